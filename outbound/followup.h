/*
 * What follows a change of a lead, in the caller's store transaction,
 * the same whoever made it (the CLI, the API, the dashboard): a new lead
 * is assigned by the rules and its agent told (outbound/assign.h), and
 * every pending arrival in a phase runs that phase's on_phase steps
 * (outbound/onphase.h). The spool is opened only when something could
 * write to it. LG_ETEMP: the caller rolls back.
 */
#ifndef LG_FOLLOWUP_H
#define LG_FOLLOWUP_H

#include <stdint.h>

#include "util/err.h"

struct agent;
struct config;
struct domain;

/* After a change; new_lead is a lead just created, or 0. */
int followup_change(struct domain *d, const struct config *cfg,
    int64_t new_lead, struct err *e);

/*
 * Assign lead_id by hand to agent (a name or address of the agents), tell
 * the agent ("assigned") and run the on_phase steps. *out (may be NULL)
 * is the agent. Errors as assign_lead().
 */
int followup_assign(struct domain *d, const struct config *cfg,
    int64_t lead_id, const char *agent, const struct agent **out,
    struct err *e);

#endif
