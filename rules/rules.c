#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <libconfig.h>

#include "core/pipeline.h"
#include "parse/extract.h"
#include "rules/cond.h"
#include "rules/rules.h"
#include "util/names.h"
#include "util/settings.h"
#include "util/xmalloc.h"

#define RULES_MAX 1000

static const struct name_map action_names[] = {
	{ RULE_LEAD, "lead" },
	{ RULE_IGNORE, "ignore" },
	{ RULE_QUARANTINE, "quarantine" },
};

/* Matches everything and makes a lead with the detected extractor. */
static const struct rule default_rule = {
	.name = "(built-in default)",
	.action = RULE_LEAD,
};

struct loader {
	const char *path;
	const struct pipelines *pl;
	const char *templates_dir;
	const struct parse_data *pd;	/* NULL: extractors unchecked */
	struct err_report rep;	/* every mistake, the first in e */
};

#define D(f) offsetof(struct dedup_policy, f)
static const struct setting dedup_rows[] = {
	{ "email", SETTINGS_BOOL, "true", D(email),
	    .doc = "an inquiry joins the contact with the same e-mail address" },
	{ "phone", SETTINGS_BOOL, "true", D(phone),
	    .doc = "... else the contact with the same phone number" },
	{ "name_postcode", SETTINGS_BOOL, "false", D(name_postcode),
	    .doc = "... else the one with the same names and postcode" },
	{ "same_object", SETTINGS_BOOL, "true", D(same_object),
	    .doc = "an open lead on the same object gets the inquiry" },
};
#undef D

/* The words of the rule file's other mistakes. */
static const struct settings_words dedup_words = {
	.setting = "'{name}'",
	.unknown = "unknown key '{name}' in dedup",
	.type = "{setting} takes {what}",
};

static const struct settings_table dedup_settings = SETTINGS_TABLE("dedup",
    dedup_rows, &dedup_words, 0);

const char *
rule_action_name(enum rule_action a)
{
	return names_get(action_names, NAMES_LEN(action_names), (int)a);
}

const struct rule *
rules_default(void)
{
	return &default_rule;
}

static void
loader_report(void *arg, const char *msg)
{
	err_report(&((struct loader *)arg)->rep, "%s", msg);
}

static void bad(struct loader *ld, const config_setting_t *st,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
bad(struct loader *ld, const config_setting_t *st, const char *fmt, ...)
{
	char text[400], msg[512];
	const char *file = st ? config_setting_source_file(st) : NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof(msg), "%s:%u: %s", file ? file : ld->path,
	    st ? config_setting_source_line(st) : 1, text);
	loader_report(ld, msg);
}

static const char *const rule_keys[] = {
	"name", "when", "action", "reason", "extractor", "source", "pipeline",
	"phase", "tags", "assignee", "autoreply", NULL,
};

/* The key closest to name, as for settings (util/settings.h), or NULL. */
static const char *
rules_near(const char *const *keys, const char *name)
{
	const char *best = NULL;
	size_t k, d, bestd = (size_t)-1;

	for (k = 0; keys[k] != NULL; k++)
		if ((d = settings_distance(name, keys[k])) < bestd) {
			bestd = d;
			best = keys[k];
		}
	return bestd <= (strlen(name) <= 4 ? 1u : 2u) ? best : NULL;
}

static void
check_keys(struct loader *ld, const config_setting_t *st,
    const char *const *keys, const char *what)
{
	const char *near;
	int i, n = config_setting_length(st);
	size_t k;

	for (i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(st,
		    (unsigned)i);
		const char *name = config_setting_name(m);

		for (k = 0; keys[k] && strcmp(keys[k], name) != 0; k++)
			;
		if (keys[k] == NULL && (near = rules_near(keys, name)) != NULL)
			bad(ld, m, "unknown key '%s' in %s (did you mean "
			    "'%s'?)", name, what, near);
		else if (keys[k] == NULL)
			bad(ld, m, "unknown key '%s' in %s", name, what);
	}
}

static char *
opt_string(struct loader *ld, const config_setting_t *st, const char *key)
{
	const config_setting_t *m = config_setting_get_member(st, key);

	if (m == NULL)
		return NULL;
	if (config_setting_type(m) != CONFIG_TYPE_STRING ||
	    *config_setting_get_string(m) == '\0') {
		bad(ld, m, "'%s' takes a non-empty string", key);
		return NULL;
	}
	return xstrdup(config_setting_get_string(m));
}

/* A phase given as a number or a name, checked against the pipeline. */
static int
opt_phase(struct loader *ld, const config_setting_t *st, const char *key,
    const char *pipeline)
{
	const config_setting_t *m = config_setting_get_member(st, key);
	const struct pipeline *pl = pipelines_find(ld->pl, pipeline);
	const struct phase *ph;
	char num[16];
	const char *text;
	struct err e;

	if (m == NULL || pl == NULL)
		return 0;
	if (config_setting_type(m) == CONFIG_TYPE_INT) {
		snprintf(num, sizeof(num), "%d", config_setting_get_int(m));
		text = num;
	} else if ((text = config_setting_get_string(m)) == NULL) {
		bad(ld, m, "'%s' takes a phase number or name", key);
		return 0;
	}
	if (pipeline_phase_lookup(pl, text, &ph, &e) != LG_OK) {
		bad(ld, m, "%s", e.msg);
		return 0;
	}
	return ph->no;
}

static void
load_tags(struct loader *ld, const config_setting_t *st, struct rule *r)
{
	const config_setting_t *m = config_setting_get_member(st, "tags");
	int i, n;

	if (m == NULL)
		return;
	if (!config_setting_is_array(m) && !config_setting_is_list(m)) {
		bad(ld, m, "'tags' takes a list of strings");
		return;
	}
	n = config_setting_length(m);
	r->tags = xcalloc((size_t)n + 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		const char *t = config_setting_get_string_elem(m, i);

		if (t == NULL || *t == '\0')
			bad(ld, m, "'tags' takes a list of strings");
		else
			r->tags[r->ntags++] = xstrdup(t);
	}
}

static int
template_exists(const char *dir, const char *name)
{
	char path[4096];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s.txt", dir, name);
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static void
load_autoreply(struct loader *ld, const config_setting_t *st, struct rule *r)
{
	static const char *const keys[] = { "template", "phase", NULL };
	const config_setting_t *m = config_setting_get_member(st, "autoreply");

	if (m == NULL)
		return;
	if (!config_setting_is_group(m)) {
		bad(ld, m, "'autoreply' takes { template = ...; phase = ...; }");
		return;
	}
	check_keys(ld, m, keys, "autoreply");
	if ((r->autoreply = opt_string(ld, m, "template")) == NULL) {
		bad(ld, m, "autoreply needs a 'template'");
		return;
	}
	if (strpbrk(r->autoreply, "/\\") || r->autoreply[0] == '.')
		bad(ld, m, "template name '%s' must not be a path", r->autoreply);
	else if (ld->templates_dir && !template_exists(ld->templates_dir,
	    r->autoreply))
		bad(ld, m, "no template '%s' in the templates directory",
		    r->autoreply);
	r->autoreply_phase = opt_phase(ld, m, "phase", r->pipeline);
}

static void
load_action(struct loader *ld, const config_setting_t *st, struct rule *r)
{
	const config_setting_t *m = config_setting_get_member(st, "action");
	int v;

	if (m == NULL)
		return;
	if (names_parse(action_names, NAMES_LEN(action_names),
	    config_setting_get_string(m), &v) != 0) {
		bad(ld, m, "action must be lead, ignore or quarantine");
		return;
	}
	r->action = (enum rule_action)v;
	r->reason = opt_string(ld, st, "reason");
	if (r->action != RULE_LEAD && r->autoreply)
		bad(ld, m, "an autoreply needs action = \"lead\"");
}

static void
load_rule(struct loader *ld, const config_setting_t *st, struct rule *r)
{
	const config_setting_t *w;
	const char *file = config_setting_source_file(st);

	r->file = xstrdup(file ? file : ld->path);
	r->line = (int)config_setting_source_line(st);
	if (!config_setting_is_group(st)) {
		bad(ld, st, "a rule is a block { name = ...; ... }");
		return;
	}
	check_keys(ld, st, rule_keys, "a rule");
	if ((r->name = opt_string(ld, st, "name")) == NULL)
		bad(ld, st, "a rule needs a 'name'");
	if ((w = config_setting_get_member(st, "when")) != NULL) {
		r->when = cond_parse(w, ld->path, loader_report, ld);
		r->uses_fields = cond_uses_fields(r->when);
	}
	if ((r->extractor = opt_string(ld, st, "extractor")) != NULL &&
	    ld->pd != NULL && !extract_known(ld->pd, r->extractor))
		bad(ld, config_setting_get_member(st, "extractor"),
		    "unknown extractor '%s'", r->extractor);
	r->source = opt_string(ld, st, "source");
	if ((r->pipeline = opt_string(ld, st, "pipeline")) != NULL &&
	    pipelines_find(ld->pl, r->pipeline) == NULL)
		bad(ld, config_setting_get_member(st, "pipeline"),
		    "unknown pipeline '%s'", r->pipeline);
	r->phase = opt_phase(ld, st, "phase", r->pipeline);
	load_tags(ld, st, r);
	r->assignee = opt_string(ld, st, "assignee");
	load_autoreply(ld, st, r);
	load_action(ld, st, r);
}

static void
load_dedup(struct loader *ld, const config_setting_t *st,
    struct dedup_policy *d)
{
	struct settings_reader r = { &dedup_settings, ld->path, NULL, "",
	    &ld->rep };

	settings_defaults(&dedup_settings, d, NULL);
	if (st == NULL)
		return;
	if (!config_setting_is_group(st)) {
		bad(ld, st, "'dedup' takes { email = true; ... }");
		return;
	}
	settings_read(&r, st, d);
}

static void
load_all(struct loader *ld, config_t *lc, struct rules *r)
{
	static const char *const keys[] = { "dedup", "rules", NULL };
	const config_setting_t *list = config_lookup(lc, "rules");
	int i, n;
	size_t j;

	check_keys(ld, config_root_setting(lc), keys, "the rule file");
	load_dedup(ld, config_lookup(lc, "dedup"), &r->dedup);
	if (list == NULL)
		return;		/* only the built-in default */
	if (!config_setting_is_list(list) ||
	    (n = config_setting_length(list)) > RULES_MAX) {
		bad(ld, list, "'rules' takes a list ( {...}, ... ) of at most "
		    "1000 rules");
		return;
	}
	r->v = xcalloc((size_t)n, sizeof(*r->v));
	for (i = 0; i < n; i++) {
		const config_setting_t *st = config_setting_get_elem(list,
		    (unsigned)i);

		load_rule(ld, st, &r->v[r->n++]);
		for (j = 0; j + 1 < r->n; j++)
			if (r->v[i].name && r->v[j].name &&
			    strcmp(r->v[i].name, r->v[j].name) == 0)
				bad(ld, st, "two rules named '%s'", r->v[i].name);
	}
}

int
rules_load(const char *path, const struct pipelines *pl,
    const char *templates_dir, const struct parse_data *pd,
    struct rules **out, struct err_list *errs, struct err *e)
{
	struct loader ld = { path, pl, templates_dir, pd, { errs, e, 0 } };
	struct rules *r = xcalloc(1, sizeof(*r));
	struct stat sb;
	config_t lc;
	char dir[4096], *slash;

	r->path = xstrdup(path);
	config_init(&lc);
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		config_set_include_dir(&lc, dir);
	}
	if (stat(path, &sb) != 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s:0: %s", path, strerror(errno));
		loader_report(&ld, msg);
	} else if (config_read_file(&lc, path) != CONFIG_TRUE) {
		char msg[512];
		const char *f = config_error_file(&lc);

		snprintf(msg, sizeof(msg), "%s:%d: %s", f ? f : path,
		    config_error_line(&lc), config_error_text(&lc));
		loader_report(&ld, msg);
	} else {
		load_all(&ld, &lc, r);
	}
	config_destroy(&lc);
	if (ld.rep.n > 0) {
		rules_free(r);
		return LG_EPERM;
	}
	*out = r;
	return LG_OK;
}

static void
rule_clear(struct rule *r)
{
	size_t i;

	free(r->name);
	free(r->file);
	cond_free(r->when);
	free(r->reason);
	free(r->extractor);
	free(r->source);
	free(r->pipeline);
	for (i = 0; i < r->ntags; i++)
		free(r->tags[i]);
	free(r->tags);
	free(r->assignee);
	free(r->autoreply);
}

void
rules_free(struct rules *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		rule_clear(&r->v[i]);
	free(r->v);
	free(r->path);
	free(r);
}

const struct rule *
rules_match(const struct rules *r, const struct cond_input *in)
{
	struct cond_input each = *in;
	size_t i;

	for (i = 0; r && i < r->n; i++) {
		each.extractor = r->v[i].extractor;
		if (cond_eval(r->v[i].when, &each))
			return &r->v[i];
	}
	return &default_rule;
}
