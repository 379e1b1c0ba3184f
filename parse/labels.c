/* Labelled blocks in text, and what they say about the prospect. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/xmalloc.h"
#include "parse/addr.h"
#include "parse/inquiry.h"
#include "parse/labels.h"
#include "parse/parse_data.h"
#include "parse/person.h"
#include "parse/profile.h"
#include "parse/segment.h"

#define CUSTOM_MAX	64	/* custom keys told apart in one mail */

/* What the segment callbacks read a mail with. */
struct scan {
	const struct labels_in *in;
	const char *keys[CUSTOM_MAX];	/* custom ids: LF_NFIELDS + index */
	size_t nkeys;
};

static int
is_space(const char *s)
{
	return *s == ' ' || ((unsigned char)s[0] == 0xc2 &&
	    (unsigned char)s[1] == 0xa0);
}

static const char *
skip_spaces(const char *s)
{
	while (is_space(s))
		s += *s == ' ' ? 1 : 2;
	return s;
}

/* Custom keys as ids above the standard fields. */
static int
custom_id(struct scan *sc, const char *key)
{
	size_t i;

	for (i = 0; i < sc->nkeys; i++)
		if (strcmp(sc->keys[i], key) == 0)
			return LF_NFIELDS + (int)i;
	if (sc->nkeys == CUSTOM_MAX)
		return 0;
	sc->keys[sc->nkeys] = key;
	return LF_NFIELDS + (int)sc->nkeys++;
}

/* segment.h's is_label: the tables in the order profile and language give. */
static int
is_label(void *arg, const char *text, size_t len, size_t *matched)
{
	struct scan *sc = arg;
	struct label_hit h;

	if (!parse_data_label_at(sc->in->pd, sc->in->rank, text, len, &h,
	    matched))
		return 0;
	return h.field == LF_CUSTOM ? custom_id(sc, h.key) : (int)h.field;
}

/* An address runs over lines, a message up to the next label. */
static enum seg_shape
shape(void *arg, int field)
{
	struct scan *sc = arg;

	if (field == LF_MESSAGE)
		return SEG_VALUE_BLOCK;
	if (field == LF_ADDRESS || field == LF_STREET)
		return SEG_VALUE_LINES;
	if (field >= LF_NFIELDS && (size_t)(field - LF_NFIELDS) < sc->nkeys &&
	    strcmp(sc->keys[field - LF_NFIELDS], "object_address") == 0)
		return SEG_VALUE_LINES;
	return SEG_VALUE_LINE;
}

static void
add_phone(struct labels *out, const char *v)
{
	size_t i;

	for (i = 0; i < out->nphones; i++)
		if (strcmp(out->phones[i], v) == 0)
			return;
	if (out->nphones < LABELS_PHONES)
		out->phones[out->nphones++] = xstrdup(v);
}

/* One labelled value: the first of a field wins, every phone counts. */
static void
record(struct scan *sc, struct labels *out, const struct seg_item *it)
{
	const char *v = it->value, *key;

	if (*v == '\0' || parse_data_empty(sc->in->pd, v))
		return;
	out->found++;
	if (it->field >= LF_NFIELDS) {
		key = sc->keys[it->field - LF_NFIELDS];
		if (json_object_get(out->custom, key) == NULL)
			json_object_set_new(out->custom, key, json_string(v));
	} else if (it->field == LF_PHONE) {
		add_phone(out, v);
	} else if (out->v[it->field] == NULL) {
		out->v[it->field] = xstrdup(v);
	}
}

struct segment *
labels_segment(const struct mail *m, const struct labels_in *in,
    struct labels *out)
{
	struct scan sc;
	struct segment_opts o;
	struct segment *seg;
	const struct seg_item *it;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->custom = json_object();
	memset(&sc, 0, sizeof(sc));
	sc.in = in;
	memset(&o, 0, sizeof(o));
	o.is_label = is_label;
	o.shape = shape;
	o.arg = &sc;
	seg = segment_mail(m, &o);
	for (i = 0; i < seg->n; i++) {
		it = &seg->items[i];
		if (it->quoted && !in->forwarded)
			continue;
		if (it->field > 0 && it->field != LF_MESSAGE &&
		    (it->field < LF_NFIELDS ||
		    (size_t)(it->field - LF_NFIELDS) < sc.nkeys))
			record(&sc, out, it);
		else if (it->field == LF_MESSAGE)
			out->found++;
	}
	return seg;
}

/* Strip quoting ("> "), bullets and indentation at the start of a line. */
static const char *
line_start(const char *s)
{
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '>')
			s++;
		if ((s[0] == '-' || s[0] == '*') && s[1] == ' ')
			s += 2;
		else if (strncmp(s, "\xe2\x80\xa2", 3) == 0)
			s += 3;
		else if (strncmp(s, "\xc2\xb7", 2) == 0)
			s += 2;
		else
			return s;
	}
}

int
labels_votes(const char *text, const struct parse_data *pd, int *votes)
{
	const char *line, *s, *end, *tab;
	int n = 0;

	for (line = text; line != NULL && *line; line = end + (*end != '\0')) {
		end = line + strcspn(line, "\n");
		for (s = line_start(line); s < end; s = tab + 1) {
			s = line_start(s);
			if ((tab = memchr(s, '\t', (size_t)(end - s))) == NULL)
				tab = end;
			if (s < tab)
				n += parse_data_label_votes(pd, s,
				    (size_t)(tab - s), votes);
		}
	}
	return n;
}

void
labels_free(struct labels *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < LF_NFIELDS; i++)
		free(l->v[i]);
	for (i = 0; i < l->nphones; i++)
		free(l->phones[i]);
	json_decref(l->custom);
	memset(l, 0, sizeof(*l));
}

static void
fill(struct inquiry *q, const char *field, const char *value)
{
	if (value != NULL && *value != '\0' && inquiry_get(q, field) == NULL)
		inquiry_set(q, field, value);
}

static int
digits(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += isdigit((unsigned char)*s) != 0;
	return n;
}

/* "10115 Berlin", "D-10115 Berlin", "CH-8001 Zürich" */
static void
postcode_city(struct inquiry *q, const char *v)
{
	const char *sp = strchr(v, ' '), *pc = v, *dash;
	char *code;

	if (sp == NULL || digits(v) == 0 || !isdigit((unsigned char)sp[-1])) {
		fill(q, "city", v);
		return;
	}
	/* A country prefix before the code ("CH-") is no part of it. */
	if ((dash = memchr(v, '-', (size_t)(sp - v))) != NULL &&
	    dash - v <= 2 && isalpha((unsigned char)v[0]))
		pc = dash + 1;
	code = xstrndup(pc, (size_t)(sp - pc));
	fill(q, "postcode", code);
	free(code);
	fill(q, "city", skip_spaces(sp));
}

/* "Musterstr. 1, 10115 Berlin", or without the comma. */
static void
address(struct inquiry *q, const char *v)
{
	const char *comma = strrchr(v, ','), *p;
	char *street;

	if (comma != NULL) {
		street = xstrndup(v, (size_t)(comma - v));
		fill(q, "street", street);
		free(street);
		postcode_city(q, skip_spaces(comma + 1));
		return;
	}
	/* The first word of four or five digits after the street starts. */
	for (p = strchr(v, ' '); p; p = strchr(p + 1, ' ')) {
		const char *w = p + 1;
		size_t n = strspn(w, "0123456789");

		if ((n == 4 || n == 5) && w[n] == ' ') {
			street = xstrndup(v, (size_t)(p - v));
			fill(q, "street", street);
			free(street);
			postcode_city(q, w);
			return;
		}
	}
	fill(q, "street", v);
}

/* Two numbers in one field ("030 123456 / 0171 654321") are two phones. */
static void
phones(struct inquiry *q, const char *v)
{
	char *copy = xstrdup(v), *save = NULL, *t;
	int split = 1;

	for (t = strtok_r(copy, "/,;", &save); t; t = strtok_r(NULL, "/,;",
	    &save))
		if (digits(t) < 6)
			split = 0;
	free(copy);
	if (!split || strpbrk(v, "/,;") == NULL) {
		if (digits(v) >= 5)
			inquiry_add_phone(q, v);
		return;
	}
	copy = xstrdup(v);
	for (t = strtok_r(copy, "/,;", &save); t; t = strtok_r(NULL, "/,;",
	    &save)) {
		while (*t == ' ')
			t++;
		while (*t && t[strlen(t) - 1] == ' ')
			t[strlen(t) - 1] = '\0';
		inquiry_add_phone(q, t);
	}
	free(copy);
}

static void
names(const struct labels *l, struct inquiry *q, json_t *custom)
{
	const char *first = l->v[LF_FIRST], *last = l->v[LF_LAST];
	const char *name = l->v[LF_NAME];
	struct person p;

	/* "Vorname: Max" with "Name: Muster": the name is the last name. */
	if (name && first && !last)
		last = name;
	if (first || last) {
		fill(q, "first_name", first);
		fill(q, "last_name", last);
		return;
	}
	if (name == NULL)
		return;
	person_split(name, &p);
	fill(q, "salutation", p.salutation);
	fill(q, "first_name", p.first);
	fill(q, "last_name", p.last);
	if (p.title && custom && json_object_get(custom, "title") == NULL)
		json_object_set_new(custom, "title", json_string(p.title));
	person_clear(&p);
}

void
labels_apply(const struct labels *l, const struct parse_data *pd,
    struct inquiry *q, json_t *custom)
{
	const char *k, *sal;
	json_t *v;
	char *email;
	size_t i;

	/* As written, "Herrn" as "Herr", a form's "male" as "Mr". */
	if ((sal = l->v[LF_SALUTATION]) != NULL)
		fill(q, "salutation", parse_data_salutation(pd, sal) ?
		    parse_data_salutation(pd, sal) : sal);
	names(l, q, custom);
	fill(q, "company", l->v[LF_COMPANY]);
	if (l->v[LF_EMAIL] &&
	    (email = addr_scan(l->v[LF_EMAIL], NULL, NULL)) != NULL) {
		fill(q, "email", email);
		free(email);
	}
	for (i = 0; i < l->nphones; i++)
		phones(q, l->phones[i]);
	fill(q, "street", l->v[LF_STREET]);
	fill(q, "postcode", l->v[LF_POSTCODE]);
	fill(q, "city", l->v[LF_CITY]);
	if (l->v[LF_POSTCODE_CITY])
		postcode_city(q, l->v[LF_POSTCODE_CITY]);
	if (l->v[LF_ADDRESS])
		address(q, l->v[LF_ADDRESS]);
	fill(q, "language", parse_data_language_code(pd, l->v[LF_LANGUAGE]));
	fill(q, "object_ref", l->v[LF_OBJECT_REF]);
	fill(q, "portal_object_ref", l->v[LF_PORTAL_OBJECT_REF]);
	fill(q, "portal_ref", l->v[LF_PORTAL_REF]);
	if (custom == NULL)
		return;
	json_object_foreach(l->custom, k, v)
		if (json_object_get(custom, k) == NULL)
			json_object_set(custom, k, v);
}
