/*
 * Pipelines and their phases, read from a libconfig file (etc/pipelines.conf).
 * Each phase has a number, a name, the history action that reaches it, and
 * whether a lead in it is open, won or lost.
 */
#ifndef LG_PIPELINE_H
#define LG_PIPELINE_H

#include <stddef.h>

#include "util/err.h"
#include "core/lead.h"

/*
 * What on_phase does when a lead arrives in the phase (outbound/onphase.h
 * runs it, once per arrival): send a template to the prospect, convert
 * the lead (arg: "contact,deal", ...), assign it (arg: an agent, or ""
 * for the assignment rules), notify the assignee (arg "") or an agent.
 */
enum step_kind {
	STEP_SEND,
	STEP_CONVERT,
	STEP_ASSIGN,
	STEP_NOTIFY,
};

struct phase_step {
	enum step_kind kind;
	char *arg;
};

const char *step_kind_name(enum step_kind k);

struct phase {
	int no;
	char *name;
	char *action;
	enum lead_status status;
	struct phase_step *steps;	/* on_phase, in order */
	size_t nsteps;
};

struct pipeline {
	char *name;
	int initial;		/* phase of a new inquiry */
	struct phase *phases;	/* sorted by number */
	size_t nphases;
};

struct pipelines {
	char *path;
	struct pipeline *v;
	size_t n;		/* v[0] is the default pipeline */
};

int pipelines_load(const char *path, struct pipelines **out, struct err *e);
void pipelines_free(struct pipelines *p);

/* By name (case-insensitive); NULL or "" gives the default pipeline. */
const struct pipeline *pipelines_find(const struct pipelines *p,
    const char *name);
const struct phase *pipeline_phase(const struct pipeline *p, int no);
/* "5", "1. Visite du bien" or "visite du bien": by number, then by name. */
int pipeline_phase_lookup(const struct pipeline *p, const char *text,
    const struct phase **out, struct err *e);
/*
 * The phase a history action moves a lead in phase from to: the first
 * phase after from (by number) whose action it is, compared without
 * case. NULL when none after from has it; *known (may be NULL) is then 1
 * when some phase of p has that action (the lead is past it), 0 when the
 * action moves no lead at all (a call, a note).
 */
const struct phase *pipeline_action_next(const struct pipeline *p, int from,
    const char *action, int *known);
/* 1 when some phase of some pipeline has on_phase steps. */
int pipelines_have_steps(const struct pipelines *p);
/* The first phase (lowest number) with that status, or NULL. */
const struct phase *pipeline_phase_with_status(const struct pipeline *p,
    enum lead_status status);

#endif
