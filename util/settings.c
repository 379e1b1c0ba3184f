#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/settings.h"
#include "util/xmalloc.h"

#define SETTINGS_TEXT 256	/* a name, a list of choices */

static const struct settings_words settings_own_words = {
	"{name}",
	"unknown setting '{name}'",
	"{setting}: expected {what}",
	"{setting}: expected {what}",
};

/* The table's wording of a message, else the engine's. */
#define SETTINGS_WORD(r, f)						\
	((r)->t->words && (r)->t->words->f ? (r)->t->words->f :	\
	    settings_own_words.f)

struct settings_var {
	const char *key;
	const char *val;	/* NULL reads as "" */
};

/* tpl with every {key} of vars replaced by its value. */
static void
settings_fill(char *out, size_t len, const char *tpl,
    const struct settings_var *vars, size_t nvars)
{
	struct buf b = BUF_INIT;
	const char *end;
	size_t i, k;

	for (; *tpl; tpl++) {
		if (*tpl == '{' && (end = strchr(tpl, '}')) != NULL) {
			k = (size_t)(end - tpl - 1);
			for (i = 0; i < nvars; i++)
				if (strlen(vars[i].key) == k &&
				    strncmp(vars[i].key, tpl + 1, k) == 0)
					break;
			if (i < nvars) {
				buf_adds(&b, vars[i].val ? vars[i].val : "");
				tpl = end;
				continue;
			}
		}
		buf_addc(&b, *tpl);
	}
	snprintf(out, len, "%s", buf_str(&b));
	buf_free(&b);
}

/* A setting as the table's messages call it ("setting smtp.port"). */
static const char *
settings_named(const struct settings_reader *r, const char *name, char *buf,
    size_t len)
{
	struct settings_var v[] = { { "name", name } };

	settings_fill(buf, len, SETTINGS_WORD(r, setting), v, 1);
	return buf;
}

static void *
settings_field(void *obj, const struct setting *s)
{
	return (char *)obj + s->off;
}

int
settings_bad(struct settings_reader *r, const config_setting_t *st,
    const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = settings_vbad(r, st, fmt, ap);
	va_end(ap);
	return rc;
}

void
settings_reader_init(struct settings_reader *r, const struct settings_table *t,
    const char *file, const char *base, const char *context,
    struct err_report *rep)
{
	r->t = t;
	r->file = file;
	r->base = base;
	r->context = context;
	r->rep = rep;
}

int
settings_vbad(struct settings_reader *r, const config_setting_t *st,
    const char *fmt, va_list ap)
{
	const char *file = st ? config_setting_source_file(st) : NULL;
	unsigned line = st ? config_setting_source_line(st) : 0;
	char why[ERR_MSGLEN];

	vsnprintf(why, sizeof(why), fmt, ap);
	if (file == NULL)
		file = r->file ? r->file : "(config)";
	/* The root of a file has no line: the file starts at line 1. */
	if (st != NULL && line == 0 && config_setting_parent(st) == NULL)
		line = 1;
	if (r->context != NULL && *r->context != '\0')
		return err_report(r->rep, "%s:%u: %s: %s", file, line,
		    r->context, why);
	return err_report(r->rep, "%s:%u: %s", file, line, why);
}

/* A mistake worded by one of the table's templates. */
static int
settings_bad_words(struct settings_reader *r, const config_setting_t *st,
    const char *tpl, const char *name, const char *what, const char *value,
    const char *choices, const char *names)
{
	char named[SETTINGS_TEXT], msg[ERR_MSGLEN];
	struct settings_var v[] = {
		{ "name", name }, { "setting", named }, { "what", what },
		{ "value", value }, { "choices", choices }, { "names", names },
	};

	settings_named(r, name, named, sizeof(named));
	settings_fill(msg, sizeof(msg), tpl, v, sizeof(v) / sizeof(v[0]));
	return settings_bad(r, st, "%s", msg);
}

/* "a|b|c", quoted 1 "\"a\", \"b\", \"c\"", quoted 2 "a, b, c". */
static const char *
settings_choices(const struct setting *s, int quoted, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; s->names[i] != NULL && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off,
		    quoted == 1 ? "%s\"%s\"" : "%s%s", i == 0 ? "" : quoted ?
		    ", " : "|", s->names[i]);
	return buf;
}

/* What a value of the row must be, for "expected ..." messages. */
static const char *
settings_what(const struct setting *s, char *buf, size_t len)
{
	char list[SETTINGS_TEXT];

	if (s->what != NULL)
		return s->what;
	switch (s->type) {
	case SETTINGS_INT:
		return "an integer";
	case SETTINGS_BOOL:
		return "true or false";
	case SETTINGS_ENUM:
	case SETTINGS_ENUM_NAME:
		snprintf(buf, len, "one of %s", settings_choices(s, 1, list,
		    sizeof(list)));
		return buf;
	case SETTINGS_STRLIST:
		return "a list of strings";
	case SETTINGS_HOOK:
		return "a block { ... }";
	default:
		return "a string";
	}
}

int
settings_bad_type(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st)
{
	char what[SETTINGS_TEXT];

	return settings_bad_words(r, st, SETTINGS_WORD(r, type), s->name,
	    settings_what(s, what, sizeof(what)), NULL, NULL, NULL);
}

char *
settings_path(const char *base, const char *p)
{
	if (p == NULL || *p == '\0')
		return xstrdup("");
	if (*p == '/' || base == NULL || *base == '\0')
		return xstrdup(p);
	return xasprintf("%s/%s", base, p);
}

void
settings_strlist_free(struct settings_strlist *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int
settings_enum_index(const struct setting *s, const char *v)
{
	int i;

	for (i = 0; v != NULL && s->names[i] != NULL; i++)
		if (strcmp(s->names[i], v) == 0)
			return i;
	return -1;
}

static void
settings_set_text(const char *base, const struct setting *s, void *obj,
    const char *v)
{
	char **slot = settings_field(obj, s);

	if (s->type == SETTINGS_PATH) {
		free(*slot);
		*slot = settings_path(base, v);
	} else {
		xstrset(slot, v);
	}
}

static void
settings_default(const struct setting *s, void *obj, const char *base)
{
	int i;

	if (s->def == NULL || s->off == SETTINGS_NOFIELD ||
	    (s->flags & SETTINGS_DERIVED))
		return;
	switch (s->type) {
	case SETTINGS_STR:
	case SETTINGS_PATH:
	case SETTINGS_ENUM_NAME:
		settings_set_text(base, s, obj, s->def);
		break;
	case SETTINGS_INT:
		*(int *)settings_field(obj, s) = (int)strtoll(s->def, NULL, 10);
		break;
	case SETTINGS_BOOL:
		*(int *)settings_field(obj, s) = strcmp(s->def, "true") == 0;
		break;
	case SETTINGS_ENUM:
		if ((i = settings_enum_index(s, s->def)) < 0)
			abort();	/* a table whose default is no choice */
		*(int *)settings_field(obj, s) = i;
		break;
	case SETTINGS_STRLIST:
	case SETTINGS_HOOK:
		break;
	}
}

void
settings_defaults(const struct settings_table *t, void *obj,
    const char *base)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		settings_default(&t->v[i], obj, base);
}

/* A string's own rules: its flags and the table's, then its check. */
static int
settings_string_ok(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, const char *v)
{
	int flags = s->flags | r->t->flags;
	char named[SETTINGS_TEXT];
	const unsigned char *p;
	struct err why;

	if ((flags & SETTINGS_NONEMPTY) && *v == '\0')
		return settings_bad_type(r, s, st);
	/* The setting's name is worded only for a mistake: lists are long. */
	for (p = (const unsigned char *)v; (flags & SETTINGS_NOCTL) && *p;
	    p++)
		if (*p < 0x20 || *p == 0x7f)
			return settings_bad(r, st, "%s: control characters are "
			    "not allowed", settings_named(r, s->name, named,
			    sizeof(named)));
	if ((flags & SETTINGS_ONELINE) && strpbrk(v, "\r\n") != NULL)
		return settings_bad(r, st, "%s: line breaks are not allowed",
		    settings_named(r, s->name, named, sizeof(named)));
	if (s->check == NULL)
		return LG_OK;
	err_clear(&why);
	if (s->check(v, &why) != LG_OK)
		return settings_bad(r, st, "%s: %s", settings_named(r, s->name,
		    named, sizeof(named)), why.msg);
	return LG_OK;
}

static int
settings_read_text(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	char what[SETTINGS_TEXT], list[SETTINGS_TEXT], names[SETTINGS_TEXT];
	const char *v = NULL;
	int i;

	if (config_setting_type(st) == CONFIG_TYPE_STRING)
		v = config_setting_get_string(st);
	if (v == NULL)
		return settings_bad_type(r, s, st);
	if (s->type == SETTINGS_ENUM || s->type == SETTINGS_ENUM_NAME) {
		if ((i = settings_enum_index(s, v)) < 0)
			return settings_bad_words(r, st,
			    SETTINGS_WORD(r, choice), s->name,
			    settings_what(s, what, sizeof(what)), v,
			    settings_choices(s, 0, list, sizeof(list)),
			    settings_choices(s, 2, names, sizeof(names)));
		if (s->off == SETTINGS_NOFIELD)
			return LG_OK;
		if (s->type == SETTINGS_ENUM)
			*(int *)settings_field(obj, s) = i;
		else
			xstrset(settings_field(obj, s), v);
		return LG_OK;
	}
	if (settings_string_ok(r, s, st, v) != LG_OK)
		return LG_EPERM;
	if (s->off != SETTINGS_NOFIELD)
		settings_set_text(r->base, s, obj, v);
	return LG_OK;
}

static int
settings_read_int(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	int plain = config_setting_type(st) == CONFIG_TYPE_INT;
	char named[SETTINGS_TEXT];
	long long v;

	/* libconfig 1.5 wraps large plain integers: take INT64 and check. */
	if (plain)
		v = config_setting_get_int(st);
	else if (config_setting_type(st) == CONFIG_TYPE_INT64)
		v = config_setting_get_int64(st);
	else
		return settings_bad_type(r, s, st);
	if (v < s->min || v > s->max)
		return settings_bad(r, st, "%s: %lld is out of range "
		    "%lld..%lld%s", settings_named(r, s->name, named,
		    sizeof(named)), v, s->min, s->max, plain && v < 0 &&
		    s->min >= 0 ? " (beyond 2147483647 write the number "
		    "with an L suffix)" : "");
	if (s->off != SETTINGS_NOFIELD)
		*(int *)settings_field(obj, s) = (int)v;
	return LG_OK;
}

static int
settings_read_strlist(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	struct settings_strlist *l = settings_field(obj, s);
	const char *v;
	int i, n;

	if (!config_setting_is_array(st) && !config_setting_is_list(st))
		return settings_bad_type(r, s, st);
	settings_strlist_free(l);
	n = config_setting_length(st);
	l->v = xcalloc((size_t)n + 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		if ((v = config_setting_get_string_elem(st, i)) == NULL)
			return settings_bad_type(r, s, st);
		if (settings_string_ok(r, s, st, v) != LG_OK)
			return LG_EPERM;
		l->v[l->n++] = xstrdup(v);
	}
	return LG_OK;
}

static int
settings_read_row(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	switch (s->type) {
	case SETTINGS_STR:
	case SETTINGS_PATH:
	case SETTINGS_ENUM:
	case SETTINGS_ENUM_NAME:
		return settings_read_text(r, s, st, obj);
	case SETTINGS_INT:
		return settings_read_int(r, s, st, obj);
	case SETTINGS_BOOL:
		if (config_setting_type(st) != CONFIG_TYPE_BOOL)
			return settings_bad_type(r, s, st);
		if (s->off != SETTINGS_NOFIELD)
			*(int *)settings_field(obj, s) =
			    config_setting_get_bool(st);
		return LG_OK;
	case SETTINGS_STRLIST:
		return settings_read_strlist(r, s, st, obj);
	case SETTINGS_HOOK:
		return s->hook(r, s, st, obj);
	}
	return LG_OK;
}

static const struct setting *
settings_row(const struct settings_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return &t->v[i];
	return NULL;
}

/* Is name a group holding settings ("smtp" for "smtp.port")? */
static int
settings_is_group(const struct settings_table *t, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < t->n; i++)
		if (strncmp(t->v[i].name, name, n) == 0 &&
		    t->v[i].name[n] == '.')
			return 1;
	return 0;
}

/* "prefix.leaf", or "leaf" (not snprintf(): this runs for every setting). */
static void
settings_join(char *out, size_t len, const char *prefix, const char *leaf)
{
	size_t p = strlen(prefix), l = strlen(leaf);

	if (p + l + 2 > len) {
		snprintf(out, len, "%s.%s", prefix, leaf);
		return;
	}
	memcpy(out, prefix, p);
	if (p > 0)
		out[p++] = '.';
	memcpy(out + p, leaf, l + 1);
}

size_t
settings_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, cost, v, *d;
	size_t w = lb + 1;

	d = xreallocarray(NULL, (la + 1) * w, sizeof(size_t));
	for (i = 0; i <= la; i++)
		d[i * w] = i;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			cost = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			v = d[(i - 1) * w + j] + 1;
			if (d[i * w + j - 1] + 1 < v)
				v = d[i * w + j - 1] + 1;
			if (d[(i - 1) * w + j - 1] + cost < v)
				v = d[(i - 1) * w + j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[(i - 2) * w + j - 2] + 1 < v)
				v = d[(i - 2) * w + j - 2] + 1;
			d[i * w + j] = v;
		}
	v = d[la * w + lb];
	free(d);
	return v;
}

const char *
settings_suggest(const struct settings_table *t, const char *name,
    char *buf, size_t len)
{
	size_t i, k, depth = 0, best = (size_t)-1, dist, seg;
	const char *p, *n;
	char cand[SETTINGS_TEXT];

	for (p = name; *p; p++)
		depth += *p == '.';
	for (i = 0; i < t->n; i++) {
		/* The row's name cut at name's depth: a setting or a group. */
		n = t->v[i].name;
		for (k = 0, seg = 0; n[k] && !(n[k] == '.' && seg++ == depth);
		    k++)
			;
		if (k >= sizeof(cand) || seg < depth)
			continue;
		memcpy(cand, n, k);
		cand[k] = '\0';
		dist = settings_distance(name, cand);
		if (dist < best && dist > 0) {
			best = dist;
			snprintf(buf, len, "%s", cand);
		}
	}
	if (best == (size_t)-1 || best > (strlen(name) <= 4 ? 1u : 2u))
		return NULL;
	return buf;
}

/* "unknown setting 'x'" in the table's words, with a did-you-mean. */
static int
settings_bad_unknown(struct settings_reader *r, const config_setting_t *st,
    const char *name)
{
	char msg[ERR_MSGLEN], near[SETTINGS_TEXT];
	struct settings_var v[] = { { "name", name } };

	settings_fill(msg, sizeof(msg), SETTINGS_WORD(r, unknown), v, 1);
	if (settings_suggest(r->t, name, near, sizeof(near)) != NULL)
		return settings_bad(r, st, "%s (did you mean '%s'?)", msg, near);
	return settings_bad(r, st, "%s", msg);
}

/* Every member of g, in the order of the file, below the path prefix. */
static void
settings_walk(struct settings_reader *r, const config_setting_t *g,
    const char *prefix, void *obj)
{
	const config_setting_t *st;
	const struct setting *s;
	char name[SETTINGS_TEXT];
	const char *leaf;
	int i, n = config_setting_length(g);

	for (i = 0; i < n; i++) {
		st = config_setting_get_elem(g, (unsigned)i);
		if ((leaf = config_setting_name(st)) == NULL)
			continue;
		settings_join(name, sizeof(name), prefix, leaf);
		if ((s = settings_row(r->t, name)) != NULL)
			settings_read_row(r, s, st, obj);
		else if (!settings_is_group(r->t, name))
			settings_bad_unknown(r, st, name);
		else if (config_setting_is_group(st))
			settings_walk(r, st, name, obj);
		else
			settings_bad_words(r, st, SETTINGS_WORD(r, type), name,
			    "a block { ... }", NULL, NULL, NULL);
	}
}

int
settings_read(struct settings_reader *r, const config_setting_t *group,
    void *obj)
{
	const struct setting *s;
	size_t i, before = r->rep->n;

	settings_defaults(r->t, obj, r->base);
	if (!config_setting_is_group(group))
		return settings_bad(r, group, "expected a block { ... }");
	settings_walk(r, group, "", obj);
	for (i = 0; i < r->t->n; i++) {
		s = &r->t->v[i];
		if ((s->flags & SETTINGS_REQUIRED) && config_setting_lookup(
		    (config_setting_t *)group, s->name) == NULL)
			settings_bad(r, group, "'%s' is required", s->name);
	}
	return r->rep->n > before ? LG_EPERM : LG_OK;
}

void
settings_free(const struct settings_table *t, void *obj)
{
	const struct setting *s;
	size_t i;

	if (obj == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		s = &t->v[i];
		if (s->off == SETTINGS_NOFIELD)
			continue;
		if (s->type == SETTINGS_STR || s->type == SETTINGS_PATH ||
		    s->type == SETTINGS_ENUM_NAME)
			xstrset(settings_field(obj, s), NULL);
		else if (s->type == SETTINGS_STRLIST)
			settings_strlist_free(settings_field(obj, s));
	}
}

static void
settings_dump_row(const struct setting *s, void *f, FILE *out)
{
	const struct settings_strlist *l;
	size_t j;

	switch (s->type) {
	case SETTINGS_STR:
	case SETTINGS_PATH:
	case SETTINGS_ENUM_NAME:
		if (*(char **)f == NULL)
			fprintf(out, "%s is not set\n", s->name);
		else
			fprintf(out, "%s = \"%s\"\n", s->name, *(char **)f);
		break;
	case SETTINGS_INT:
		fprintf(out, "%s = %d\n", s->name, *(int *)f);
		break;
	case SETTINGS_BOOL:
		fprintf(out, "%s = %s\n", s->name, *(int *)f ? "true" :
		    "false");
		break;
	case SETTINGS_ENUM:
		fprintf(out, "%s = \"%s\"\n", s->name, s->names[*(int *)f]);
		break;
	case SETTINGS_STRLIST:
		l = f;
		fprintf(out, "%s = [", s->name);
		for (j = 0; j < l->n; j++)
			fprintf(out, "%s\"%s\"", j ? ", " : "", l->v[j]);
		fprintf(out, "]\n");
		break;
	case SETTINGS_HOOK:
		break;
	}
}

/* The row's "name = value" line, without the name's prefix. */
static char *
settings_row_text(const struct setting *s, void *obj)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&text, &len)) == NULL)
		abort();
	settings_dump_row(s, settings_field(obj, s), f);
	fclose(f);
	return text;
}

void
settings_dump_ext(const struct settings_table *t, const void *obj,
    const char *prefix, int non_default, const char *base, FILE *out)
{
	size_t i, size = 0;
	char *text, *def;
	void *defaults;

	/* The defaults land in a scratch object as big as the rows reach. */
	for (i = 0; i < t->n; i++)
		if (t->v[i].off != SETTINGS_NOFIELD && t->v[i].off +
		    sizeof(struct settings_strlist) > size)
			size = t->v[i].off + sizeof(struct settings_strlist);
	defaults = xcalloc(1, size + 1);
	if (non_default)
		settings_defaults(t, defaults, base);
	for (i = 0; i < t->n; i++) {
		if (t->v[i].off == SETTINGS_NOFIELD ||
		    t->v[i].type == SETTINGS_HOOK)
			continue;
		text = settings_row_text(&t->v[i], (void *)obj);
		def = non_default ? settings_row_text(&t->v[i], defaults) :
		    NULL;
		if (def == NULL || strcmp(text, def) != 0)
			fprintf(out, "%s%s", prefix, text);
		free(text);
		free(def);
	}
	settings_free(t, defaults);
	free(defaults);
}

void
settings_dump(const struct settings_table *t, const void *obj, FILE *out)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].off != SETTINGS_NOFIELD)
			settings_dump_row(&t->v[i], settings_field((void *)obj,
			    &t->v[i]), out);
}

const char *
settings_type_text(const struct setting *s, char *buf, size_t len)
{
	char list[SETTINGS_TEXT];

	if (s->kind != NULL)
		return s->kind;
	switch (s->type) {
	case SETTINGS_STR:
		return "string";
	case SETTINGS_PATH:
		return "path";
	case SETTINGS_INT:
		snprintf(buf, len, "integer %lld..%lld", s->min, s->max);
		return buf;
	case SETTINGS_BOOL:
		return "boolean";
	case SETTINGS_ENUM:
	case SETTINGS_ENUM_NAME:
		snprintf(buf, len, "choice %s", settings_choices(s, 0, list,
		    sizeof(list)));
		return buf;
	case SETTINGS_STRLIST:
		return "list";
	case SETTINGS_HOOK:
		return "block";
	}
	return "?";
}

const char *
settings_default_text(const struct setting *s, char *buf, size_t len)
{
	if (s->flags & SETTINGS_REQUIRED)
		return "required";
	if (s->def == NULL)
		return s->type == SETTINGS_STRLIST ? "[]" : "-";
	if (s->flags & SETTINGS_DERIVED)
		snprintf(buf, len, "(%s)", s->def);
	else if (*s->def == '\0')
		snprintf(buf, len, "\"\"");
	else
		snprintf(buf, len, "%s", s->def);
	return buf;
}
