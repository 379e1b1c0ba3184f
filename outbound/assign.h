/*
 * Leads and the agents who take them (core/agents.h): assignment by hand
 * or by the assignment rules, and the notification mail an agent gets
 * for a new lead, a prospect's reply or an on_phase step. A notification
 * is a letter (templates/letter.h) from notify.template to the agent,
 * queued in the outgoing spool under a unique key, inside the caller's
 * store transaction: it goes once, whatever is retried.
 */
#ifndef LG_ASSIGN_H
#define LG_ASSIGN_H

#include <stdint.h>

#include "util/err.h"

struct agent;
struct config;
struct domain;
struct spool;

/*
 * Assign lead_id to agent (a name or address of the configuration's
 * agents), or with agent NULL to the agent its first matching rule
 * picks (one agent, or the pool's next turn). *out (may be NULL) is the
 * agent, or NULL when no rule matched (LG_OK). LG_EPERM: an unknown
 * agent; LG_EEXIST: the lead is that agent's already.
 */
int assign_lead(struct domain *d, const struct config *cfg, int64_t lead_id,
    const char *agent, const char *how, const struct agent **out,
    struct err *e);

/*
 * Mail agent ag (NULL: the lead's assignee; none: nothing, LG_OK) about
 * lead_id; event says why ("new lead", "reply", ...), key what makes it
 * unique ("new", "reply.<inquiry>", ...). sp NULL: nothing is written.
 * The lead's history records it. LG_ETEMP when the store or the spool
 * failed; a template mistake is recorded, not returned.
 */
int assign_notify(struct domain *d, const struct config *cfg,
    struct spool *sp, int64_t lead_id, const struct agent *ag,
    const char *event, const char *key, struct err *e);

/* A new lead: assigned by the rules unless it has an assignee, notified. */
int assign_new_lead(struct domain *d, const struct config *cfg,
    struct spool *sp, int64_t lead_id, struct err *e);

#endif
