#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <libconfig.h>

#include "core/pipeline.h"
#include "util/fold.h"
#include "util/xmalloc.h"

static int
pipeline_bad(struct err *e, const config_setting_t *st, const char *path,
    const char *fmt, const char *what)
{
	const char *file = config_setting_source_file(st);

	return err_set(e, LG_EPERM, "%s:%u: %s%s", file ? file : path,
	    config_setting_source_line(st), fmt, what ? what : "");
}

static int
phase_cmp(const void *a, const void *b)
{
	const struct phase *x = a, *y = b;

	return (x->no > y->no) - (x->no < y->no);
}

static const char *const step_names[] = {
	[STEP_SEND] = "send",
	[STEP_CONVERT] = "convert",
	[STEP_ASSIGN] = "assign",
	[STEP_NOTIFY] = "notify",
};
#define NSTEPS (sizeof(step_names) / sizeof(step_names[0]))

const char *
step_kind_name(enum step_kind k)
{
	return (size_t)k < NSTEPS ? step_names[k] : "?";
}

/* One step: a block with exactly one of send, convert, assign, notify. */
static int
pipeline_read_step(const config_setting_t *st, struct phase_step *sp,
    const char *path, struct err *e)
{
	const config_setting_t *m;
	const char *v;
	size_t k;

	if (config_setting_type(st) != CONFIG_TYPE_GROUP ||
	    config_setting_length(st) != 1)
		return pipeline_bad(e, st, path, "an on_phase step is a block "
		    "with one of send, convert, assign, notify", NULL);
	m = config_setting_get_elem(st, 0);
	for (k = 0; k < NSTEPS; k++)
		if (strcmp(config_setting_name(m), step_names[k]) == 0)
			break;
	if (k == NSTEPS)
		return pipeline_bad(e, m, path, "unknown on_phase step ",
		    config_setting_name(m));
	if ((v = config_setting_get_string(m)) == NULL)
		return pipeline_bad(e, m, path, "an on_phase step takes a "
		    "string: ", config_setting_name(m));
	if (*v == '\0' && (k == STEP_SEND || k == STEP_CONVERT))
		return pipeline_bad(e, m, path, "this on_phase step needs a "
		    "value: ", config_setting_name(m));
	sp->kind = (enum step_kind)k;
	sp->arg = xstrdup(v);
	return LG_OK;
}

static int
pipeline_read_steps(const config_setting_t *ps, struct phase *ph,
    const char *path, struct err *e)
{
	const config_setting_t *list = config_setting_get_member(ps,
	    "on_phase");
	int i, n, rc;

	if (list == NULL)
		return LG_OK;
	if (!config_setting_is_list(list))
		return pipeline_bad(e, list, path, "on_phase is a list of "
		    "steps ( { send = \"template\"; }, ... )", NULL);
	n = config_setting_length(list);
	ph->steps = xcalloc((size_t)n + 1, sizeof(*ph->steps));
	for (i = 0; i < n; i++) {
		rc = pipeline_read_step(config_setting_get_elem(list,
		    (unsigned)i), &ph->steps[i], path, e);
		if (rc != LG_OK)
			return rc;
		ph->nsteps++;
	}
	return LG_OK;
}

static int
pipeline_read_phase(const config_setting_t *ps, struct phase *ph,
    const char *path, struct err *e)
{
	const char *name, *action, *status;
	int no;

	if (!config_setting_lookup_int(ps, "no", &no) || no < 1 || no > 999)
		return pipeline_bad(e, ps, path, "phase needs a number 'no' "
		    "between 1 and 999", NULL);
	if (!config_setting_lookup_string(ps, "name", &name) || !*name)
		return pipeline_bad(e, ps, path, "phase needs a 'name'", NULL);
	if (!config_setting_lookup_string(ps, "action", &action) || !*action)
		return pipeline_bad(e, ps, path, "phase needs an 'action': ",
		    name);
	if (!config_setting_lookup_string(ps, "status", &status))
		status = "open";
	if (lead_status_parse(status, &ph->status) != 0)
		return pipeline_bad(e, ps, path, "status must be open, won or "
		    "lost, not ", status);
	ph->no = no;
	ph->name = xstrdup(name);
	ph->action = xstrdup(action);
	return pipeline_read_steps(ps, ph, path, e);
}

static int
pipeline_check(const config_setting_t *st, struct pipeline *pl,
    const char *path, struct err *e)
{
	size_t i, j;

	qsort(pl->phases, pl->nphases, sizeof(pl->phases[0]), phase_cmp);
	for (i = 0; i < pl->nphases; i++) {
		for (j = i + 1; j < pl->nphases; j++) {
			if (pl->phases[i].no == pl->phases[j].no)
				return pipeline_bad(e, st, path,
				    "two phases with the same number in ",
				    pl->name);
			if (strcasecmp(pl->phases[i].name,
			    pl->phases[j].name) == 0)
				return pipeline_bad(e, st, path,
				    "two phases with the same name: ",
				    pl->phases[i].name);
		}
	}
	if (pipeline_phase_with_status(pl, LEAD_WON) == NULL ||
	    pipeline_phase_with_status(pl, LEAD_LOST) == NULL)
		return pipeline_bad(e, st, path, "a pipeline needs a won and a "
		    "lost phase: ", pl->name);
	if (pipeline_phase(pl, pl->initial) == NULL ||
	    pipeline_phase(pl, pl->initial)->status != LEAD_OPEN)
		return pipeline_bad(e, st, path, "'initial' must name an open "
		    "phase of ", pl->name);
	return LG_OK;
}

static int
pipeline_read(const config_setting_t *st, struct pipeline *pl,
    const char *path, struct err *e)
{
	const config_setting_t *phases;
	const char *name;
	int i, n, rc;

	if (!config_setting_lookup_string(st, "name", &name) || !*name)
		return pipeline_bad(e, st, path, "pipeline needs a 'name'", NULL);
	pl->name = xstrdup(name);
	phases = config_setting_get_member(st, "phases");
	if (phases == NULL || !config_setting_is_list(phases) ||
	    (n = config_setting_length(phases)) == 0)
		return pipeline_bad(e, st, path, "pipeline needs a list of "
		    "'phases': ", name);
	pl->phases = xcalloc((size_t)n, sizeof(*pl->phases));
	for (i = 0; i < n; i++) {
		rc = pipeline_read_phase(config_setting_get_elem(phases,
		    (unsigned)i), &pl->phases[i], path, e);
		/* Counted even when refused: what it read is freed with it. */
		pl->nphases++;
		if (rc != LG_OK)
			return rc;
	}
	if (!config_setting_lookup_int(st, "initial", &pl->initial))
		pl->initial = 2;
	return pipeline_check(st, pl, path, e);
}

static int
pipelines_parse(config_t *lc, struct pipelines *p, struct err *e)
{
	const config_setting_t *list = config_lookup(lc, "pipelines");
	int i, n, rc;
	size_t j;

	if (list == NULL || !config_setting_is_list(list) ||
	    (n = config_setting_length(list)) == 0)
		return err_set(e, LG_EPERM, "%s:1: expected 'pipelines = "
		    "( { name = ...; phases = (...); }, ... );'", p->path);
	p->v = xcalloc((size_t)n, sizeof(*p->v));
	for (i = 0; i < n; i++) {
		const config_setting_t *st = config_setting_get_elem(list,
		    (unsigned)i);

		if ((rc = pipeline_read(st, &p->v[i], p->path, e)) != LG_OK) {
			p->n = (size_t)i + 1;
			return rc;
		}
		for (j = 0; j < (size_t)i; j++)
			if (strcasecmp(p->v[j].name, p->v[i].name) == 0) {
				p->n = (size_t)i + 1;
				return pipeline_bad(e, st, p->path,
				    "two pipelines named ", p->v[i].name);
			}
		p->n = (size_t)i + 1;
	}
	return LG_OK;
}

int
pipelines_load(const char *path, struct pipelines **out, struct err *e)
{
	struct pipelines *p = xcalloc(1, sizeof(*p));
	struct stat sb;
	config_t lc;
	int rc;

	p->path = xstrdup(path);
	if (stat(path, &sb) != 0) {
		rc = err_set(e, LG_EPERM, "%s: %s", path, strerror(errno));
		pipelines_free(p);
		return rc;
	}
	config_init(&lc);
	if (config_read_file(&lc, path) != CONFIG_TRUE) {
		const char *f = config_error_file(&lc);

		rc = err_set(e, LG_EPERM, "%s:%d: %s", f ? f : path,
		    config_error_line(&lc), config_error_text(&lc));
	} else {
		rc = pipelines_parse(&lc, p, e);
	}
	config_destroy(&lc);
	if (rc != LG_OK) {
		pipelines_free(p);
		return rc;
	}
	*out = p;
	return LG_OK;
}

void
pipelines_free(struct pipelines *p)
{
	size_t i, j;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		for (j = 0; j < p->v[i].nphases; j++) {
			struct phase *ph = &p->v[i].phases[j];
			size_t k;

			for (k = 0; k < ph->nsteps; k++)
				free(ph->steps[k].arg);
			free(ph->steps);
			free(ph->name);
			free(ph->action);
		}
		free(p->v[i].phases);
		free(p->v[i].name);
	}
	free(p->v);
	free(p->path);
	free(p);
}

const struct pipeline *
pipelines_find(const struct pipelines *p, const char *name)
{
	size_t i;

	if (p->n == 0)
		return NULL;
	if (name == NULL || *name == '\0')
		return &p->v[0];
	for (i = 0; i < p->n; i++)
		if (strcasecmp(p->v[i].name, name) == 0)
			return &p->v[i];
	return NULL;
}

const struct phase *
pipeline_phase(const struct pipeline *p, int no)
{
	size_t i;

	for (i = 0; i < p->nphases; i++)
		if (p->phases[i].no == no)
			return &p->phases[i];
	return NULL;
}

static int
pipeline_is_number(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno || v < 1 || v > 999)
		return 0;
	*out = (int)v;
	return 1;
}

int
pipeline_phase_lookup(const struct pipeline *p, const char *text,
    const struct phase **out, struct err *e)
{
	size_t i;
	int no;

	if (pipeline_is_number(text, &no)) {
		if ((*out = pipeline_phase(p, no)) != NULL)
			return LG_OK;
		return err_set(e, LG_EPERM, "pipeline %s has no phase %d",
		    p->name, no);
	}
	for (i = 0; i < p->nphases; i++) {
		if (fold_bare_eq(p->phases[i].name, text)) {
			*out = &p->phases[i];
			return LG_OK;
		}
	}
	return err_set(e, LG_EPERM, "pipeline %s has no phase named '%s'",
	    p->name, text);
}

const struct phase *
pipeline_action_next(const struct pipeline *p, int from, const char *action,
    int *known)
{
	size_t i;
	int seen = 0;

	for (i = 0; i < p->nphases; i++) {
		if (strcasecmp(p->phases[i].action, action) != 0)
			continue;
		seen = 1;
		/* phases are sorted by number: the first after from wins */
		if (p->phases[i].no > from) {
			if (known)
				*known = 1;
			return &p->phases[i];
		}
	}
	if (known)
		*known = seen;
	return NULL;
}

int
pipelines_have_steps(const struct pipelines *p)
{
	size_t i, j;

	for (i = 0; p && i < p->n; i++)
		for (j = 0; j < p->v[i].nphases; j++)
			if (p->v[i].phases[j].nsteps > 0)
				return 1;
	return 0;
}

const struct phase *
pipeline_phase_with_status(const struct pipeline *p, enum lead_status status)
{
	size_t i;

	for (i = 0; i < p->nphases; i++)
		if (p->phases[i].status == status)
			return &p->phases[i];
	return NULL;
}
