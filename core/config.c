#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/config.h"
#include "util/xmalloc.h"

enum setting_type {
	S_STR,
	S_PATH,		/* a string resolved against the config directory */
	S_INT,
	S_BOOL,
	S_ENUM,		/* a string from a '|'-separated list */
	S_STRLIST,
};

struct setting {
	const char *name;	/* libconfig path */
	enum setting_type type;
	const char *def;	/* default, as text */
	size_t off;		/* where it lands in struct config */
	long min, max;		/* S_INT range; libconfig 1.5 wraps silently */
	const char *choices;	/* S_ENUM */
};

#define F(field) offsetof(struct config, field)
#define DAY 86400L

/* All settings: name, type, default, where it lands. */
static const struct setting settings[] = {
	{ "store.path", S_PATH, "leadgate.db", F(store_path), 0, 0, NULL },
	{ "store.default_country", S_STR, "DE", F(default_country), 0, 0, NULL },
	{ "store.busy_timeout_ms", S_INT, "5000", F(busy_timeout_ms), 0, 600000, NULL },
	{ "pipelines", S_PATH, "pipelines.conf", F(pipelines_path), 0, 0, NULL },
	{ "rules", S_PATH, "rules.conf", F(rules_path), 0, 0, NULL },
	{ "templates", S_PATH, "templates", F(templates_dir), 0, 0, NULL },
	{ "spool", S_PATH, "spool", F(spool_dir), 0, 0, NULL },
	{ "lock", S_PATH, "leadgate.lock", F(lock_path), 0, 0, NULL },
	{ "ca_file", S_PATH, "", F(ca_file), 0, 0, NULL },
	{ "log.level", S_ENUM, "info", F(log_level), 0, 0, "error|warn|info|debug" },
	{ "log.syslog", S_BOOL, "false", F(log_syslog), 0, 0, NULL },

	{ "smtp.host", S_STR, "localhost", F(smtp.host), 0, 0, NULL },
	{ "smtp.port", S_INT, "25", F(smtp.port), 1, 65535, NULL },
	{ "smtp.starttls", S_ENUM, "when-offered", F(smtp.starttls), 0, 0, "off|when-offered|required" },
	{ "smtp.tls_verify", S_BOOL, "true", F(smtp.tls_verify), 0, 0, NULL },
	{ "smtp.user", S_STR, "", F(smtp.user), 0, 0, NULL },
	{ "smtp.password_file", S_PATH, "", F(smtp.password_file), 0, 0, NULL },
	{ "smtp.password_env", S_STR, "", F(smtp.password_env), 0, 0, NULL },
	{ "smtp.helo", S_STR, "localhost", F(smtp.helo), 0, 0, NULL },
	{ "smtp.connections", S_INT, "2", F(smtp.connections), 1, 64, NULL },
	{ "smtp.timeout", S_INT, "60", F(smtp.timeout), 1, 3600, NULL },

	{ "delivery.retry_first", S_INT, "300", F(delivery.retry_first), 1, DAY, NULL },
	{ "delivery.retry_max", S_INT, "4000", F(delivery.retry_max), 1, DAY, NULL },
	{ "delivery.give_up", S_INT, "432000", F(delivery.give_up), 1, 365 * DAY, NULL },
	{ "delivery.batch", S_INT, "100", F(delivery.batch), 1, 100000, NULL },

	{ "mail.from", S_STR, "", F(mail.from), 0, 0, NULL },
	{ "mail.domain", S_STR, "localhost", F(mail.domain), 0, 0, NULL },
	{ "mail.unsubscribe_url", S_STR, "", F(mail.unsubscribe_url), 0, 0, NULL },
	{ "mail.unsubscribe_mailto", S_STR, "", F(mail.unsubscribe_mailto), 0, 0, NULL },
	{ "mail.own_addresses", S_STRLIST, "", F(mail.own_addresses), 0, 0, NULL },

	{ "autoreply.period", S_INT, "604800", F(autoreply.period), 0, 365 * DAY, NULL },

	{ "ingest.loop_max", S_INT, "20", F(ingest.loop_max), 1, 1000000, NULL },
	{ "ingest.loop_window", S_INT, "7200", F(ingest.loop_window), 1, 30 * DAY, NULL },
	{ "ingest.max_message_size", S_INT, "26214400", F(ingest.max_message_size), 1024, 1L << 30, NULL },
	{ "ingest.batch", S_INT, "100", F(ingest.batch), 1, 10000, NULL },

	{ "bulk.rate_per_sec", S_INT, "0", F(bulk.rate_per_sec), 0, 100000, NULL },
	{ "bulk.rate_per_hour", S_INT, "0", F(bulk.rate_per_hour), 0, 100000000, NULL },
	{ "bulk.pause_after_failures", S_INT, "10", F(bulk.pause_after_failures), 0, 100000, NULL },
	{ "bulk.pause_seconds", S_INT, "60", F(bulk.pause_seconds), 0, DAY, NULL },
};

#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

static void *
config_field(struct config *c, const struct setting *s)
{
	return (char *)c + s->off;
}

static int
config_enum_ok(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices;

	while (p != NULL) {
		if (strncmp(p, v, n) == 0 && (p[n] == '|' || p[n] == '\0'))
			return 1;
		p = strchr(p, '|');
		if (p)
			p++;
	}
	return 0;
}

char *
config_path(const struct config *c, const char *p)
{
	if (p == NULL || *p == '\0')
		return xstrdup("");
	if (*p == '/' || c->dir == NULL || *c->dir == '\0')
		return xstrdup(p);
	return xasprintf("%s/%s", c->dir, p);
}

static void
config_set_text(struct config *c, const struct setting *s, const char *v)
{
	char **slot = config_field(c, s);

	free(*slot);
	*slot = s->type == S_PATH ? config_path(c, v) : xstrdup(v);
}

static void
config_apply_default(struct config *c, const struct setting *s)
{
	switch (s->type) {
	case S_STR:
	case S_PATH:
	case S_ENUM:
		config_set_text(c, s, s->def);
		break;
	case S_INT:
		*(int *)config_field(c, s) = atoi(s->def);
		break;
	case S_BOOL:
		*(int *)config_field(c, s) = strcmp(s->def, "true") == 0;
		break;
	case S_STRLIST:
		break;
	}
}

static struct config *
config_alloc(const char *path, const char *dir)
{
	struct config *c = xcalloc(1, sizeof(*c));
	size_t i;

	c->path = xstrdup(path);
	c->dir = xstrdup(dir);
	config_init(&c->lc);
	for (i = 0; i < NSETTINGS; i++)
		config_apply_default(c, &settings[i]);
	return c;
}

struct config *
config_defaults(const char *dir)
{
	return config_alloc("", dir ? dir : ".");
}

static int
config_bad(struct err *e, const config_setting_t *st, const char *fallback,
    const char *fmt, const char *name, const char *detail)
{
	const char *file = st ? config_setting_source_file(st) : NULL;
	int line = st ? (int)config_setting_source_line(st) : 0;

	return err_set(e, LG_EPERM, "%s:%d: %s %s%s%s", file ? file : fallback,
	    line, fmt, name, detail ? ": " : "", detail ? detail : "");
}

static int
config_read_strlist(struct config *c, const struct setting *s,
    const config_setting_t *st, struct err *e)
{
	struct config_strlist *l = config_field(c, s);
	int i, n;

	if (!config_setting_is_aggregate(st))
		return config_bad(e, st, c->path, "setting", s->name,
		    "expected a list of strings");
	n = config_setting_length(st);
	l->v = xcalloc((size_t)n + 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		const char *v = config_setting_get_string_elem(st, i);

		if (v == NULL)
			return config_bad(e, st, c->path, "setting", s->name,
			    "expected a list of strings");
		l->v[l->n++] = xstrdup(v);
	}
	return LG_OK;
}

static int
config_read_setting(struct config *c, const struct setting *s,
    const config_setting_t *st, struct err *e)
{
	char detail[160];
	long long v;
	const char *str;

	switch (s->type) {
	case S_STR:
	case S_PATH:
	case S_ENUM:
		if ((str = config_setting_get_string(st)) == NULL)
			return config_bad(e, st, c->path, "setting", s->name,
			    "expected a string");
		if (s->type == S_ENUM && !config_enum_ok(s->choices, str)) {
			snprintf(detail, sizeof(detail), "'%s' is not one of %s",
			    str, s->choices);
			return config_bad(e, st, c->path, "setting", s->name,
			    detail);
		}
		config_set_text(c, s, str);
		return LG_OK;
	case S_INT:
		if (config_setting_type(st) == CONFIG_TYPE_INT)
			v = config_setting_get_int(st);
		else if (config_setting_type(st) == CONFIG_TYPE_INT64)
			v = config_setting_get_int64(st);
		else
			return config_bad(e, st, c->path, "setting", s->name,
			    "expected an integer");
		if (v < s->min || v > s->max) {
			snprintf(detail, sizeof(detail),
			    "%lld is out of range %ld..%ld", v, s->min, s->max);
			return config_bad(e, st, c->path, "setting", s->name,
			    detail);
		}
		*(int *)config_field(c, s) = (int)v;
		return LG_OK;
	case S_BOOL:
		if (config_setting_type(st) != CONFIG_TYPE_BOOL)
			return config_bad(e, st, c->path, "setting", s->name,
			    "expected true or false");
		*(int *)config_field(c, s) = config_setting_get_bool(st);
		return LG_OK;
	case S_STRLIST:
		return config_read_strlist(c, s, st, e);
	}
	return LG_OK;
}

static int
config_known(const char *name)
{
	size_t i, n = strlen(name);

	if (strcmp(name, "connectors") == 0)
		return 1;
	for (i = 0; i < NSETTINGS; i++)
		if (strncmp(settings[i].name, name, n) == 0 &&
		    (settings[i].name[n] == '\0' || settings[i].name[n] == '.'))
			return 1;
	return 0;
}

/* A misspelt setting silently ignored is a day lost: refuse unknown names. */
static int
config_check_unknown(struct config *c, const config_setting_t *group,
    const char *prefix, struct err *e)
{
	int i, n = config_setting_length(group);
	char name[256];

	for (i = 0; i < n; i++) {
		config_setting_t *st = config_setting_get_elem(group, (unsigned)i);
		const char *leaf = config_setting_name(st);

		if (leaf == NULL)
			continue;
		snprintf(name, sizeof(name), "%s%s%s", prefix, *prefix ? "." : "",
		    leaf);
		if (!config_known(name))
			return config_bad(e, st, c->path, "unknown setting", name,
			    NULL);
		if (config_setting_type(st) == CONFIG_TYPE_GROUP &&
		    config_check_unknown(c, st, name, e) != LG_OK)
			return e ? e->code : LG_EPERM;
	}
	return LG_OK;
}

static char *
config_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static int
config_parse(struct config *c, struct err *e)
{
	const config_setting_t *st;
	struct stat sb;
	size_t i;

	if (stat(c->path, &sb) != 0)
		return err_set(e, LG_EPERM, "%s: %s", c->path, strerror(errno));
	config_set_include_dir(&c->lc, c->dir);
	if (config_read_file(&c->lc, c->path) != CONFIG_TRUE) {
		const char *f = config_error_file(&c->lc);

		return err_set(e, LG_EPERM, "%s:%d: %s", f ? f : c->path,
		    config_error_line(&c->lc), config_error_text(&c->lc));
	}
	if (config_check_unknown(c, config_root_setting(&c->lc), "", e) != LG_OK)
		return e ? e->code : LG_EPERM;
	for (i = 0; i < NSETTINGS; i++) {
		if ((st = config_lookup(&c->lc, settings[i].name)) == NULL)
			continue;
		if (config_read_setting(c, &settings[i], st, e) != LG_OK)
			return e ? e->code : LG_EPERM;
	}
	c->connectors = config_lookup(&c->lc, "connectors");
	if (c->connectors && !config_setting_is_list(c->connectors))
		return config_bad(e, c->connectors, c->path, "setting",
		    "connectors", "expected a list of blocks ( {...}, ... )");
	return LG_OK;
}

int
config_load(const char *path, struct config **out, struct err *e)
{
	char *dir = config_dirname(path);
	struct config *c = config_alloc(path, dir);
	int rc;

	free(dir);
	if ((rc = config_parse(c, e)) != LG_OK) {
		config_free(c);
		return rc;
	}
	*out = c;
	return LG_OK;
}

void
config_free(struct config *c)
{
	size_t i, j;

	if (c == NULL)
		return;
	for (i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];

		if (s->type == S_STR || s->type == S_PATH || s->type == S_ENUM) {
			free(*(char **)config_field(c, s));
		} else if (s->type == S_STRLIST) {
			struct config_strlist *l = config_field(c, s);

			for (j = 0; j < l->n; j++)
				free(l->v[j]);
			free(l->v);
		}
	}
	config_destroy(&c->lc);
	free(c->path);
	free(c->dir);
	free(c);
}

void
config_dump(const struct config *c, FILE *out)
{
	size_t i, j;

	for (i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];
		void *f = config_field((struct config *)c, s);

		switch (s->type) {
		case S_STR:
		case S_PATH:
		case S_ENUM:
			fprintf(out, "%s = \"%s\"\n", s->name, *(char **)f);
			break;
		case S_INT:
			fprintf(out, "%s = %d\n", s->name, *(int *)f);
			break;
		case S_BOOL:
			fprintf(out, "%s = %s\n", s->name,
			    *(int *)f ? "true" : "false");
			break;
		case S_STRLIST:
			fprintf(out, "%s = [", s->name);
			for (j = 0; j < ((struct config_strlist *)f)->n; j++)
				fprintf(out, "%s\"%s\"", j ? ", " : "",
				    ((struct config_strlist *)f)->v[j]);
			fprintf(out, "]\n");
			break;
		}
	}
}
