/*
 * Automation at a phase: the on_phase steps of the pipelines file
 * (core/pipeline.h) run for every arrival of a lead in a phase that the
 * store recorded (migration 13: every path that moves a lead records
 * one), each arrival once: its steps and its "done" mark are written in
 * the caller's one transaction, and what it sends is keyed by the
 * arrival, so a retry after a crash sends nothing twice. A later
 * arrival in the same phase is a new arrival and runs the steps again.
 *
 * The steps are in the pipelines file, not the rule file: a lead reaches
 * a phase by many paths (a command, the API, a sent mail, a reply),
 * while a rule only sees a new inquiry.
 */
#ifndef LG_ONPHASE_H
#define LG_ONPHASE_H

#include "util/err.h"

struct config;
struct domain;
struct spool;

/*
 * Run the steps of every pending arrival, inside the caller's store
 * transaction. A step that cannot be done (a missing field, an opt-out)
 * is recorded in the lead's history and the others go on. *ran (may be
 * NULL) counts the steps run. Without steps in any pipeline the
 * arrivals are only marked done (steps added later do not run for old
 * arrivals). LG_ETEMP when the store or the spool
 * failed: the caller rolls back and runs it again.
 */
int onphase_run(struct domain *d, const struct config *cfg, struct spool *sp,
    int *ran, struct err *e);

#endif
