#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/agents.h"
#include "core/contact.h"
#include "core/lead.h"
#include "util/xmalloc.h"

#define FA(field) offsetof(struct agent, field)
#define FR(field) offsetof(struct assign_rule, field)

static const struct setting agent_rows[] = {
	{ "name", SETTINGS_STR, NULL, FA(name), .doc = "the agent's name, "
	    "as `leads assign` and the assign rules name them",
	    .flags = SETTINGS_REQUIRED | SETTINGS_NONEMPTY },
	{ "email", SETTINGS_STR, NULL, FA(email), .doc = "where the agent's "
	    "notifications go", .flags = SETTINGS_REQUIRED | SETTINGS_NONEMPTY },
	{ "branch", SETTINGS_STR, "", FA(branch),
	    .doc = "the agent's branch (office), shown to templates" },
	{ "languages", SETTINGS_STRLIST, NULL, FA(languages),
	    .doc = "the languages the agent speaks (\"de\", \"fr\", ...)" },
};

const struct settings_table agent_settings = SETTINGS_TABLE("agent",
    agent_rows, NULL, SETTINGS_NOCTL | SETTINGS_ONELINE);

static const struct setting assign_rows[] = {
	{ "name", SETTINGS_STR, "its agents", FR(name), .doc = "the pool's "
	    "name, which keeps its round-robin turn in the store",
	    .flags = SETTINGS_DERIVED },
	{ "object", SETTINGS_STR, "", FR(object),
	    .doc = "matches leads with this object reference" },
	{ "source", SETTINGS_STR, "", FR(source),
	    .doc = "matches leads of this source (without case)" },
	{ "postcode", SETTINGS_STR, "", FR(postcode),
	    .doc = "matches contacts whose postcode starts with this" },
	{ "language", SETTINGS_STR, "", FR(language),
	    .doc = "matches contacts of this language" },
	{ "agents", SETTINGS_STRLIST, NULL, FR(agents), .doc = "one agent "
	    "(fixed) or several (they take turns)",
	    .flags = SETTINGS_REQUIRED },
};

const struct settings_table assign_settings = SETTINGS_TABLE("assign",
    assign_rows, NULL, SETTINGS_NOCTL | SETTINGS_ONELINE);

static int
agents_block(struct settings_reader *r, const config_setting_t *st,
    const struct settings_table *t, void *obj)
{
	struct settings_reader br = *r;
	int rc;

	br.t = t;
	if (config_setting_type(st) != CONFIG_TYPE_GROUP)
		return settings_bad(r, st, "expected a block { ... }");
	rc = settings_read(&br, st, obj);
	return rc;
}

int
agents_read(struct settings_reader *r, const config_setting_t *list,
    struct agents *a)
{
	int i, n, rc = LG_OK;

	if (!config_setting_is_list(list))
		return settings_bad(r, list, "agents: expected a list of "
		    "blocks ( {...}, ... )");
	n = config_setting_length(list);
	a->v = xcalloc((size_t)n + 1, sizeof(*a->v));
	for (i = 0; i < n; i++) {
		const config_setting_t *st = config_setting_get_elem(list,
		    (unsigned)i);
		struct agent *ag = &a->v[a->n];

		if (agents_block(r, st, &agent_settings, ag) != LG_OK) {
			settings_free(&agent_settings, ag);
			memset(ag, 0, sizeof(*ag));
			rc = LG_EPERM;
			continue;
		}
		if (agents_find(a, ag->name) != NULL) {
			rc = settings_bad(r, st, "a second agent named '%s'",
			    ag->name);
			settings_free(&agent_settings, ag);
			memset(ag, 0, sizeof(*ag));
			continue;
		}
		a->n++;
	}
	return rc;
}

/* The pool's default name: its agents, comma-separated. */
static void
assign_name(struct assign_rule *ar)
{
	size_t i, len = 1;
	char *s;

	if (ar->name && *ar->name)
		return;
	for (i = 0; i < ar->agents.n; i++)
		len += strlen(ar->agents.v[i]) + 1;
	s = xcalloc(1, len);
	for (i = 0; i < ar->agents.n; i++) {
		if (i)
			strcat(s, ",");
		strcat(s, ar->agents.v[i]);
	}
	free(ar->name);
	ar->name = s;
}

int
agents_read_rules(struct settings_reader *r, const config_setting_t *list,
    struct agents *a)
{
	int i, n, rc = LG_OK;

	if (!config_setting_is_list(list))
		return settings_bad(r, list, "assign: expected a list of "
		    "blocks ( {...}, ... )");
	n = config_setting_length(list);
	a->rules = xcalloc((size_t)n + 1, sizeof(*a->rules));
	for (i = 0; i < n; i++) {
		const config_setting_t *st = config_setting_get_elem(list,
		    (unsigned)i);
		struct assign_rule *ar = &a->rules[a->nrules];

		if (agents_block(r, st, &assign_settings, ar) != LG_OK ||
		    ar->agents.n == 0) {
			if (ar->agents.n == 0 &&
			    config_setting_type(st) == CONFIG_TYPE_GROUP)
				settings_bad(r, st, "assign: a rule needs at "
				    "least one agent");
			settings_free(&assign_settings, ar);
			memset(ar, 0, sizeof(*ar));
			rc = LG_EPERM;
			continue;
		}
		assign_name(ar);
		a->nrules++;
	}
	return rc;
}

int
agents_check(struct settings_reader *r, const config_setting_t *at,
    const struct agents *a)
{
	size_t i, j;
	int rc = LG_OK;

	for (i = 0; i < a->nrules; i++)
		for (j = 0; j < a->rules[i].agents.n; j++)
			if (agents_find(a, a->rules[i].agents.v[j]) == NULL)
				rc = settings_bad(r, at, "assign: rule '%s' "
				    "names agent '%s', who is not in agents",
				    a->rules[i].name, a->rules[i].agents.v[j]);
	return rc;
}

void
agents_free(struct agents *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++)
		settings_free(&agent_settings, &a->v[i]);
	for (i = 0; i < a->nrules; i++)
		settings_free(&assign_settings, &a->rules[i]);
	free(a->v);
	free(a->rules);
	memset(a, 0, sizeof(*a));
}

const struct agent *
agents_find(const struct agents *a, const char *who)
{
	size_t i;

	if (who == NULL)
		return NULL;
	for (i = 0; i < a->n; i++)
		if (strcasecmp(a->v[i].name, who) == 0 ||
		    strcasecmp(a->v[i].email, who) == 0)
			return &a->v[i];
	return NULL;
}

static int
is_set(const char *s)
{
	return s != NULL && *s != '\0';
}

static int
rule_matches(const struct assign_rule *ar, const struct lead *l,
    const struct contact *c)
{
	const char *pc = c ? c->postcode : NULL;
	const char *lang = c ? c->language : NULL;

	if (is_set(ar->object) && (l->object_ref == NULL ||
	    strcasecmp(ar->object, l->object_ref) != 0))
		return 0;
	if (is_set(ar->source) && (l->source == NULL ||
	    strcasecmp(ar->source, l->source) != 0))
		return 0;
	if (is_set(ar->postcode) && (pc == NULL ||
	    strncmp(pc, ar->postcode, strlen(ar->postcode)) != 0))
		return 0;
	if (is_set(ar->language) && (lang == NULL ||
	    strncasecmp(lang, ar->language, strlen(ar->language)) != 0))
		return 0;
	return 1;
}

const struct assign_rule *
agents_rule_for(const struct agents *a, const struct lead *l,
    const struct contact *c)
{
	size_t i;

	for (i = 0; i < a->nrules; i++)
		if (rule_matches(&a->rules[i], l, c))
			return &a->rules[i];
	return NULL;
}
