/*
 * The history action -> phase resolution of the pipelines file (the
 * reference sale table, etc/pipelines.conf) and its on_phase steps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pipeline.h"
#include "t.h"

/* From phase `from`, action reaches `want` (0: no later phase has it). */
static const struct {
	const char *pipeline;
	int from;
	const char *action;
	int want;
	int known;	/* some phase has the action at all */
} cases[] = {
	{ "sale", 2, "Réponse à la demande", 3, 1 },
	{ "sale", 3, "Envoi de documentation", 4, 1 },
	{ "sale", 4, "Visite du bien", 5, 1 },
	{ "sale", 5, "Visite du bien", 6, 1 },	/* the second visit */
	{ "sale", 2, "Visite du bien", 5, 1 },	/* skipping phases */
	{ "sale", 6, "Visite du bien", 0, 1 },	/* no third visit */
	{ "sale", 6, "Action manuelle", 7, 1 },
	{ "sale", 7, "Réservation", 8, 1 },
	{ "sale", 8, "Confirmation d'achat", 9, 1 },
	{ "sale", 9, "Action manuelle", 10, 1 },
	{ "sale", 10, "Action manuelle", 11, 1 },
	{ "sale", 11, "Action manuelle", 12, 1 },
	{ "sale", 12, "Action manuelle", 0, 1 },
	{ "sale", 12, "Certification notariale", 13, 1 },
	{ "sale", 5, "Refus", 14, 1 },
	{ "sale", 2, "visite DU BIEN", 5, 1 },	/* without case */
	{ "sale", 4, "Appel", 0, 0 },		/* a call moves nothing */
	{ "sale", 4, "Demande reçue", 0, 1 },	/* behind the lead */
	{ "rental", 4, "Visite du bien", 5, 1 },
	{ "rental", 5, "Visite du bien", 0, 1 },
	{ "rental", 5, "Réception du dossier", 6, 1 },
	{ "rental", 8, "Signature du bail", 9, 1 },
};

static void
test_actions(const struct pipelines *pl)
{
	const struct pipeline *p;
	const struct phase *ph;
	size_t i;
	int known;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p = pipelines_find(pl, cases[i].pipeline);
		known = -1;
		ph = pipeline_action_next(p, cases[i].from, cases[i].action,
		    &known);
		T_INT(ph ? ph->no : 0, cases[i].want, "%s: '%s' from %d",
		    cases[i].pipeline, cases[i].action, cases[i].from);
		T_INT(known, cases[i].known, "%s: '%s' known",
		    cases[i].pipeline, cases[i].action);
	}
}

static void
test_steps(void)
{
	static const char *const want[][2] = {
		{ "send", "new-documentation" }, { "assign", "" },
		{ "notify", "anna" }, { "convert", "contact,deal" },
	};
	const struct phase *ph;
	struct pipelines *pl;
	struct err e;
	size_t i;

	err_clear(&e);
	T_OK(pipelines_load(t_path("tests/data/pipelines/steps.conf"), &pl,
	    &e) == LG_OK, "steps.conf loads (%s)", e.msg);
	if (pl == NULL)
		return;
	ph = pipeline_phase(pipelines_find(pl, NULL), 4);
	T_INT((int)ph->nsteps, 4, "phase 4 has four steps");
	for (i = 0; i < ph->nsteps && i < 4; i++) {
		T_STR(step_kind_name(ph->steps[i].kind), want[i][0],
		    "step %zu kind", i);
		T_STR(ph->steps[i].arg, want[i][1], "step %zu value", i);
	}
	T_OK(pipelines_have_steps(pl), "the file has steps");
	pipelines_free(pl);
	pl = NULL;
	T_OK(pipelines_load(t_path("tests/data/pipelines/bad-step.conf"), &pl,
	    &e) == LG_EPERM && strstr(e.msg, "unknown on_phase step "
	    "telephone") && strstr(e.msg, "bad-step.conf:2"),
	    "an unknown step is refused at its line (%s)", e.msg);
	T_OK(pipelines_load(t_path("tests/data/pipelines/empty-send.conf"),
	    &pl, &e) == LG_EPERM && strstr(e.msg, "needs a value: send"),
	    "send without a template is refused (%s)", e.msg);
}

int
main(void)
{
	struct pipelines *pl = NULL;
	struct err e;

	err_clear(&e);
	if (pipelines_load(t_path("etc/pipelines.conf"), &pl, &e) != LG_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	test_actions(pl);
	T_OK(!pipelines_have_steps(pl), "the shipped pipelines have no steps");
	pipelines_free(pl);
	test_steps();
	return t_done();
}
