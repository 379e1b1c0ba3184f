/* Labelled blocks in text, and what they say about the prospect. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/wild.h"
#include "util/xmalloc.h"
#include "parse/addr.h"
#include "parse/inquiry.h"
#include "parse/labels.h"
#include "parse/parse_data.h"
#include "parse/person.h"
#include "parse/profile.h"

#define SEGMENTS_MAX	16

struct scan {
	const struct labels_in *in;
	struct labels *out;
	struct buf msg;
	int in_msg;
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

static int
find_label(const struct scan *sc, const char *seg, struct label_hit *hit)
{
	return parse_data_label(sc->in->pd, sc->in->rank, seg, strlen(seg),
	    hit);
}

/* 1 when one of the patterns of w matches the start (or all) of s. */
static int
any_wild(const char *const *w, const char *s, size_t n, int whole)
{
	for (; w != NULL && *w != NULL; w++)
		if (whole ? wild_match(*w, s, n) : wild_start(*w, s, n))
			return 1;
	return 0;
}

int
labels_stop_line(const struct parse_data *pd, const struct profile *p,
    const char *s)
{
	size_t n = strlen(s);

	if (p != NULL && (any_wild((const char *const *)p->footers.v, s, n,
	    0) || any_wild((const char *const *)p->msg_end.v, s, n, 0)))
		return 1;
	return any_wild(parse_data_words(pd, LEX_FOOTERS), s, n, 0) ||
	    any_wild(parse_data_words(pd, LEX_QUOTE_HEADERS), s, n, 1) ||
	    any_wild(parse_data_words(pd, LEX_FORWARD_MARKERS), s, n, 1);
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

static void
record(struct scan *sc, const struct label_hit *h, const char *value)
{
	struct labels *out = sc->out;
	char *v = xstrdup(value), *end;

	for (end = v + strlen(v); end > v && (end[-1] == ' ' ||
	    end[-1] == '\t'); end--)
		*(end - 1) = '\0';
	if (parse_data_empty(sc->in->pd, v)) {
		free(v);
		return;
	}
	out->found++;
	if (h->field == LF_PHONE) {
		add_phone(out, v);
	} else if (h->field == LF_CUSTOM) {
		if (json_object_get(out->custom, h->key) == NULL)
			json_object_set_new(out->custom, h->key,
			    json_string(v));
	} else if (out->v[h->field] == NULL) {
		out->v[h->field] = v;
		return;
	}
	free(v);
}

static void
msg_end(struct scan *sc)
{
	struct buf *m = &sc->msg;
	size_t start = 0;

	if (!sc->in_msg)
		return;
	sc->in_msg = 0;
	while (m->len > 0 && (m->data[m->len - 1] == '\n' ||
	    m->data[m->len - 1] == ' '))
		m->len--;
	while (start < m->len && m->data[start] == '\n')
		start++;
	if (m->len > start && sc->out->v[LF_MESSAGE] == NULL)
		sc->out->v[LF_MESSAGE] = xstrndup(m->data + start,
		    m->len - start);
	buf_reset(m);
}

static void
msg_line(struct scan *sc, const char *s)
{
	/* At most one empty line in a row. */
	if (*s == '\0' && sc->msg.len >= 2 &&
	    strcmp(sc->msg.data + sc->msg.len - 2, "\n\n") == 0)
		return;
	buf_adds(&sc->msg, s);
	buf_addc(&sc->msg, '\n');
}

int
labels_rule_line(const char *s)
{
	size_t n = 0;

	if (strcmp(s, "--") == 0 || strcmp(s, "-- ") == 0)
		return 1;
	for (; *s; s++, n++)
		if (!strchr("-_=*", *s))
			return 0;
	return n >= 3;
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

static size_t
segments(char *s, char **seg)
{
	size_t n = 0;
	char *tab;

	for (;;) {
		seg[n++] = s;
		if (n == SEGMENTS_MAX || (tab = strchr(s, '\t')) == NULL)
			return n;
		*tab = '\0';
		s = tab + 1;
	}
}

/* The next line that can be a value (not empty, not a label), or NULL. */
static const char *
peek_value(struct scan *sc, char **lines, size_t n, size_t *i)
{
	struct label_hit h;
	const char *s;
	size_t k;

	for (k = *i + 1; k < n; k++) {
		s = line_start(lines[k]);
		if (*s == '\0')
			continue;
		if (find_label(sc, s, &h) || labels_rule_line(s) ||
		    labels_stop_line(sc->in->pd, sc->in->p, s))
			return NULL;
		*i = k;
		return s;
	}
	return NULL;
}

static void
scan_line(struct scan *sc, char **lines, size_t n, size_t *i)
{
	char *seg[SEGMENTS_MAX], *s = (char *)line_start(lines[*i]);
	const char *v, *next;
	struct label_hit h;
	size_t nseg, k;

	if (labels_rule_line(s)) {
		msg_end(sc);
		return;
	}
	if (sc->in_msg) {
		if (*s != '\0' && labels_stop_line(sc->in->pd, sc->in->p, s)) {
			msg_end(sc);
			return;
		}
		if (*s == '\0' || !find_label(sc, s, &h)) {
			msg_line(sc, s);
			return;
		}
	}
	nseg = segments(s, seg);
	for (k = 0; k < nseg; k++) {
		if (!find_label(sc, line_start(seg[k]), &h))
			continue;
		msg_end(sc);
		v = h.value;
		if (h.field == LF_MESSAGE) {
			sc->in_msg = 1;
			sc->out->found++;
			msg_line(sc, v);
			return;
		}
		if (h.only && k + 1 < nseg)
			v = seg[++k];
		else if (h.only && k + 1 == nseg &&
		    (next = peek_value(sc, lines, n, i)) != NULL)
			v = next;
		record(sc, &h, v);
	}
}

/* The lines of a copy of text (the copy is cut in place). */
static char **
split_lines(char *copy, size_t *n)
{
	char **lines = NULL, *p, *nl;
	size_t cap = 0;

	*n = 0;
	for (p = copy; p; p = nl) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			lines = xreallocarray(lines, cap, sizeof(*lines));
		}
		lines[(*n)++] = p;
	}
	return lines;
}

void
labels_scan(const char *text, const struct labels_in *in,
    struct labels *out)
{
	struct scan sc;
	char *copy, **lines;
	size_t n, i;

	memset(out, 0, sizeof(*out));
	out->custom = json_object();
	if (text == NULL)
		return;
	memset(&sc, 0, sizeof(sc));
	sc.in = in;
	sc.out = out;
	copy = xstrdup(text);
	lines = split_lines(copy, &n);
	for (i = 0; i < n; i++)
		scan_line(&sc, lines, n, &i);
	msg_end(&sc);
	buf_free(&sc.msg);
	free(lines);
	free(copy);
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
	fill(q, "message", l->v[LF_MESSAGE]);
	fill(q, "object_ref", l->v[LF_OBJECT_REF]);
	fill(q, "portal_object_ref", l->v[LF_PORTAL_OBJECT_REF]);
	fill(q, "portal_ref", l->v[LF_PORTAL_REF]);
	if (custom == NULL)
		return;
	json_object_foreach(l->custom, k, v)
		if (json_object_get(custom, k) == NULL)
			json_object_set(custom, k, v);
}
