#include <stdlib.h>
#include <string.h>

#include "connectors/jsonptr.h"
#include "connectors/portal_map.h"
#include "parse/inquiry.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* A transform rewrites a value in place (it never grows). */
struct transform {
	const char *name;
	void (*apply)(char *s);
};

struct field_spec {
	char *field;		/* inquiry field, "phones", or a custom key */
	int custom;
	char *from;		/* a pointer, or NULL with join */
	char **join;		/* pointers whose strings are joined */
	char *sep;
	char *each;		/* for arrays: the pointer in each element */
	char *def;
	const struct transform **tf;
	size_t ntf;
};

struct portal_map {
	struct field_spec *v;
	size_t n;
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\f' || c == '\v';
}

static void
tf_trim(char *s)
{
	size_t a = 0, n = strlen(s);

	while (a < n && is_space(s[a]))
		a++;
	while (n > a && is_space(s[n - 1]))
		n--;
	memmove(s, s + a, n - a);
	s[n - a] = '\0';
}

/* ASCII only: enough for e-mail addresses and codes, safe for UTF-8. */
static void
tf_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static void
tf_upper(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

/* Runs of white space become one space; the ends are trimmed. */
static void
tf_squeeze(char *s)
{
	char *w = s, *r;
	int sp = 0;

	tf_trim(s);
	for (r = s; *r; r++) {
		if (is_space(*r)) {
			sp = 1;
			continue;
		}
		if (sp)
			*w++ = ' ';
		sp = 0;
		*w++ = *r;
	}
	*w = '\0';
}

/*
 * A full name in two: "Last, First" when there is a comma, else the last
 * word is the last name ("Anna Maria Muster" -> "Anna Maria" + "Muster").
 * A single word is a last name.
 */
static void
tf_split(char *s, int want_first)
{
	char *cut, *first, *last;

	tf_squeeze(s);
	if ((cut = strchr(s, ',')) != NULL) {
		*cut = '\0';
		last = s;
		first = cut + 1;
	} else if ((cut = strrchr(s, ' ')) != NULL) {
		*cut = '\0';
		first = s;
		last = cut + 1;
	} else {
		first = s + strlen(s);
		last = s;
	}
	memmove(s, want_first ? first : last, strlen(want_first ? first :
	    last) + 1);
	tf_squeeze(s);
}

static void
tf_split_first(char *s)
{
	tf_split(s, 1);
}

static void
tf_split_last(char *s)
{
	tf_split(s, 0);
}

static const struct transform transforms[] = {
	{ "trim", tf_trim },
	{ "lower", tf_lower },
	{ "upper", tf_upper },
	{ "squeeze", tf_squeeze },
	{ "split_first", tf_split_first },
	{ "split_last", tf_split_last },
};

#define NTRANSFORMS (sizeof(transforms) / sizeof(transforms[0]))

static const struct transform *
transform_find(const char *name)
{
	size_t i;

	for (i = 0; i < NTRANSFORMS; i++)
		if (strcmp(transforms[i].name, name) == 0)
			return &transforms[i];
	return NULL;
}

int
portal_map_transform(const char *name, const char *in, char **out)
{
	const struct transform *t = transform_find(name);

	*out = NULL;
	if (t == NULL)
		return LG_ENOENT;
	*out = xstrdup(in);
	t->apply(*out);
	return LG_OK;
}

static void
strv_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static void
spec_clear(struct field_spec *f)
{
	free(f->field);
	free(f->from);
	strv_free(f->join);
	free(f->sep);
	free(f->each);
	free(f->def);
	free(f->tf);
}

void
portal_map_free(struct portal_map *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		spec_clear(&m->v[i]);
	free(m->v);
	free(m);
}

/* The string at key in g: NULL when absent; a mistake when not a string. */
static int
spec_string(struct settings_reader *r, const config_setting_t *g,
    const char *key, const char **out)
{
	const config_setting_t *st;

	*out = NULL;
	if ((st = config_setting_get_member(g, key)) == NULL)
		return LG_OK;
	if (config_setting_type(st) != CONFIG_TYPE_STRING)
		return settings_bad(r, st, "%s must be a string", key);
	*out = config_setting_get_string(st);
	return LG_OK;
}

/* A string or a list of strings, as a NULL-terminated vector. */
static int
spec_strv(struct settings_reader *r, const config_setting_t *st, char ***out)
{
	const char *s;
	char **v;
	int i, n;

	*out = NULL;
	if (config_setting_type(st) == CONFIG_TYPE_STRING) {
		v = xcalloc(2, sizeof(*v));
		v[0] = xstrdup(config_setting_get_string(st));
		*out = v;
		return LG_OK;
	}
	if (!config_setting_is_array(st) && !config_setting_is_list(st))
		return settings_bad(r, st, "%s must be a string or a list of "
		    "strings", config_setting_name(st));
	n = config_setting_length(st);
	v = xcalloc((size_t)n + 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		if ((s = config_setting_get_string_elem(st, i)) == NULL) {
			strv_free(v);
			return settings_bad(r, st, "%s must be a list of "
			    "strings", config_setting_name(st));
		}
		v[i] = xstrdup(s);
	}
	*out = v;
	return LG_OK;
}

static int
spec_pointer(struct settings_reader *r, const config_setting_t *st,
    const char *ptr, char **out)
{
	struct err pe;

	err_clear(&pe);
	if (jsonptr_check(ptr, &pe) != LG_OK)
		return settings_bad(r, st, "%s", pe.msg);
	*out = xstrdup(ptr);
	return LG_OK;
}

static int
spec_transforms(struct settings_reader *r, const config_setting_t *st,
    struct field_spec *f)
{
	char **v;
	size_t i;
	int rc;

	if ((rc = spec_strv(r, st, &v)) != LG_OK)
		return rc;
	for (i = 0; v[i] != NULL; i++)
		;
	f->tf = xcalloc(i + 1, sizeof(*f->tf));
	for (i = 0; v[i] != NULL; i++) {
		if ((f->tf[i] = transform_find(v[i])) == NULL) {
			rc = settings_bad(r, st, "unknown transform '%s' (trim, "
			    "lower, upper, squeeze, split_first, split_last)",
			    v[i]);
			break;
		}
		f->ntf++;
	}
	strv_free(v);
	return rc;
}

/* The keys a field block may have. */
static const char *const spec_keys[] = {
	"from", "join", "sep", "each", "default", "transforms", NULL,
};

static int
spec_known_keys(struct settings_reader *r, const config_setting_t *g)
{
	int i, n = config_setting_length(g), rc = LG_OK;
	size_t k;

	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g,
		    (unsigned)i);

		for (k = 0; spec_keys[k] != NULL; k++)
			if (strcmp(spec_keys[k], config_setting_name(s)) == 0)
				break;
		if (spec_keys[k] == NULL)
			rc = settings_bad(r, s, "field %s: unknown setting '%s' "
			    "(from, join, sep, each, default, transforms)",
			    config_setting_name(g), config_setting_name(s));
	}
	return rc;
}

static int
spec_join(struct settings_reader *r, const config_setting_t *st,
    struct field_spec *f)
{
	struct err pe;
	size_t i;
	int rc;

	if ((rc = spec_strv(r, st, &f->join)) != LG_OK)
		return rc;
	for (i = 0; f->join[i] != NULL; i++) {
		err_clear(&pe);
		if (jsonptr_check(f->join[i], &pe) != LG_OK)
			return settings_bad(r, st, "%s", pe.msg);
	}
	return LG_OK;
}

static int
spec_block(struct settings_reader *r, const config_setting_t *g,
    struct field_spec *f)
{
	const config_setting_t *s;
	const char *v;
	int rc;

	if ((rc = spec_known_keys(r, g)) != LG_OK)
		return rc;
	if ((rc = spec_string(r, g, "from", &v)) != LG_OK ||
	    (v && (rc = spec_pointer(r, g, v, &f->from)) != LG_OK))
		return rc;
	if ((s = config_setting_get_member(g, "join")) != NULL &&
	    (rc = spec_join(r, s, f)) != LG_OK)
		return rc;
	if ((f->from == NULL) == (f->join == NULL))
		return settings_bad(r, g, "field %s needs either 'from' or "
		    "'join'", f->field);
	if ((rc = spec_string(r, g, "each", &v)) != LG_OK ||
	    (v && (rc = spec_pointer(r, g, v, &f->each)) != LG_OK))
		return rc;
	if ((rc = spec_string(r, g, "sep", &v)) != LG_OK)
		return rc;
	f->sep = xstrdup(v ? v : " ");
	if ((rc = spec_string(r, g, "default", &v)) != LG_OK)
		return rc;
	f->def = xstrdup(v);
	if ((s = config_setting_get_member(g, "transforms")) != NULL)
		return spec_transforms(r, s, f);
	return LG_OK;
}

static int
spec_parse(struct settings_reader *r, const config_setting_t *st, int custom,
    struct field_spec *f)
{
	struct inquiry *probe;
	const char *key = config_setting_name(st);
	int known;

	f->field = xstrdup(key);
	f->custom = custom;
	if (!custom) {
		probe = inquiry_new();
		known = inquiry_set(probe, key, "") == 0 &&
		    strcmp(key, "custom") != 0 && strcmp(key, "portal") != 0 &&
		    strcmp(key, "extractor") != 0;
		inquiry_free(probe);
		if (!known)
			return settings_bad(r, st, "fields: '%s' is not an "
			    "inquiry field (use custom = { ... } for anything "
			    "else)", key);
	}
	if (config_setting_type(st) == CONFIG_TYPE_STRING) {
		f->sep = xstrdup(" ");
		return spec_pointer(r, st, config_setting_get_string(st),
		    &f->from);
	}
	if (config_setting_type(st) != CONFIG_TYPE_GROUP)
		return settings_bad(r, st, "field %s must be a JSON pointer or "
		    "a block { from = ...; }", key);
	return spec_block(r, st, f);
}

int
portal_map_add(struct portal_map **m, const config_setting_t *g, int custom,
    struct settings_reader *r)
{
	int i, n, rc = LG_OK;

	if (*m == NULL)
		*m = xcalloc(1, sizeof(**m));
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return settings_bad(r, g, "%s must be a block { field = "
		    "\"/pointer\"; ... }", custom ? "custom" : "fields");
	/* Every field, so that each mistake is reported. */
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		(*m)->v = xreallocarray((*m)->v, (*m)->n + 1,
		    sizeof(*(*m)->v));
		memset(&(*m)->v[(*m)->n], 0, sizeof((*m)->v[(*m)->n]));
		(*m)->n++;
		if (spec_parse(r, config_setting_get_elem(g, (unsigned)i),
		    custom, &(*m)->v[(*m)->n - 1]) != LG_OK)
			rc = LG_EPERM;
	}
	return rc;
}

int
portal_map_parse(const config_setting_t *fields,
    const config_setting_t *custom, struct settings_reader *r,
    struct portal_map **out)
{
	struct portal_map *m = NULL;
	int rc;

	*out = NULL;
	rc = portal_map_add(&m, fields, 0, r);
	if (custom != NULL && portal_map_add(&m, custom, 1, r) != LG_OK)
		rc = LG_EPERM;
	if (rc != LG_OK) {
		portal_map_free(m);
		return rc;
	}
	*out = m;
	return LG_OK;
}

static const char *
json_kind(const json_t *v)
{
	if (v == NULL)
		return "missing";
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

/* A string at ptr below v: *out NULL when absent or null. */
static int
map_string(const struct field_spec *f, json_t *v, const char *ptr,
    const char **out, struct err *e)
{
	json_t *x;

	*out = NULL;
	if (jsonptr_get(v, ptr, &x, NULL) != LG_OK || json_is_null(x))
		return LG_OK;
	if (!json_is_string(x))
		return err_set(e, LG_EPERM, "%s: %s is %s, expected a string",
		    f->field, *ptr ? ptr : "(the value)", json_kind(x));
	*out = json_string_value(x);
	return LG_OK;
}

/* The finished value: transforms, then the default when empty. */
static char *
map_finish(const struct field_spec *f, const char *raw)
{
	char *s = xstrdup(raw ? raw : "");
	size_t i;

	for (i = 0; i < f->ntf; i++)
		f->tf[i]->apply(s);
	if (*s == '\0') {
		free(s);
		return f->def ? xstrdup(f->def) : NULL;
	}
	return s;
}

static int
map_join(const struct field_spec *f, json_t *item, char **out,
    struct err *e)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;
	int rc;

	for (i = 0; f->join[i] != NULL; i++) {
		if ((rc = map_string(f, item, f->join[i], &s, e)) != LG_OK) {
			buf_free(&b);
			return rc;
		}
		if (s == NULL || *s == '\0')
			continue;
		if (b.len)
			buf_adds(&b, f->sep);
		buf_adds(&b, s);
	}
	*out = map_finish(f, buf_str(&b));
	buf_free(&b);
	return LG_OK;
}

static void
map_store(const struct field_spec *f, struct inquiry *q, json_t *custom,
    char *v)
{
	if (v == NULL)
		return;
	if (f->custom)
		json_object_set_new(custom, f->field, json_string(v));
	else
		inquiry_set(q, f->field, v);
	free(v);
}

/* phones: an array of strings, or of objects with `each` in them. */
static int
map_array(const struct field_spec *f, json_t *arr, struct inquiry *q,
    struct err *e)
{
	const char *each = f->each ? f->each : "";
	json_t *el, *x;
	size_t i;

	if (strcmp(f->field, "phones") != 0)
		return err_set(e, LG_EPERM, "%s: %s is an array, expected a "
		    "string", f->field, f->from);
	json_array_foreach(arr, i, el) {
		if (jsonptr_get(el, each, &x, NULL) != LG_OK ||
		    json_is_null(x))
			continue;
		if (!json_is_string(x))
			return err_set(e, LG_EPERM, "%s: %s/%zu%s is %s, "
			    "expected a string", f->field, f->from, i, each,
			    json_kind(x));
		map_store(f, q, NULL, map_finish(f, json_string_value(x)));
	}
	return LG_OK;
}

/* phones from several pointers: each value is a number of its own. */
static int
map_phones(const struct field_spec *f, json_t *item, struct inquiry *q,
    struct err *e)
{
	const char *s;
	size_t i;
	int rc;

	for (i = 0; f->join[i] != NULL; i++) {
		if ((rc = map_string(f, item, f->join[i], &s, e)) != LG_OK)
			return rc;
		if (s != NULL)
			map_store(f, q, NULL, map_finish(f, s));
	}
	return LG_OK;
}

static int
map_field(const struct field_spec *f, json_t *item, struct inquiry *q,
    json_t *custom, struct err *e)
{
	const char *s;
	char *v = NULL;
	json_t *x;
	int rc;

	if (f->join != NULL && strcmp(f->field, "phones") == 0)
		return map_phones(f, item, q, e);
	if (f->join != NULL) {
		if ((rc = map_join(f, item, &v, e)) != LG_OK)
			return rc;
		map_store(f, q, custom, v);
		return LG_OK;
	}
	if (jsonptr_get(item, f->from, &x, NULL) == LG_OK) {
		if (json_is_array(x) && !f->custom)
			return map_array(f, x, q, e);
		if (f->custom && !json_is_string(x) && !json_is_null(x)) {
			json_object_set(custom, f->field, x);
			return LG_OK;
		}
	}
	if ((rc = map_string(f, item, f->from, &s, e)) != LG_OK)
		return rc;
	map_store(f, q, custom, map_finish(f, s));
	return LG_OK;
}

int
portal_map_item(const struct portal_map *m, json_t *item, struct inquiry *q,
    struct err *e)
{
	json_t *custom;
	size_t i;
	int rc = LG_OK;

	if (!json_is_object(item))
		return err_set(e, LG_EPERM, "the item is %s, expected an "
		    "object", json_kind(item));
	custom = json_object();
	for (i = 0; i < m->n && rc == LG_OK; i++)
		rc = map_field(&m->v[i], item, q, custom, e);
	if (rc == LG_OK && json_object_size(custom) > 0) {
		free(q->custom);
		q->custom = json_dumps(custom, JSON_COMPACT | JSON_SORT_KEYS);
	}
	json_decref(custom);
	if (rc == LG_OK && q->email == NULL && q->nphones == 0)
		rc = err_set(e, LG_EPERM, "no e-mail address and no phone "
		    "number");
	return rc;
}
