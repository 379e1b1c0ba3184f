/* Labelled blocks in text, and what they say about the prospect. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/err.h"
#include "util/fold.h"
#include "util/utf8.h"
#include "util/xmalloc.h"
#include "parse/addr.h"
#include "parse/brand.h"
#include "parse/inquiry.h"
#include "parse/labels.h"
#include "parse/parse_data.h"
#include "parse/person.h"
#include "parse/phone.h"
#include "parse/postal.h"
#include "parse/profile.h"
#include "parse/segment.h"

#define QUESTION_TAIL	40	/* ", Noah?" after a question's label */
#define INLINE_LABEL_MAX 48	/* bytes offered for a reference's label */
#define CUSTOM_MAX	64	/* custom keys told apart in one mail */

/* What the segment callbacks read a mail with. */
struct scan {
	const struct labels_in *in;
	const char *keys[CUSTOM_MAX];	/* custom ids: LF_NFIELDS + index */
	size_t nkeys;
};

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

/* Spaces and dashes at the start of s (n bytes). */
static size_t
after_space(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && (s[i] == ' ' || s[i] == '-'); i++)
		;
	return i;
}

/* A reference's label after a brand: " Reference", "-Referenz". */
static int
ref_label(struct scan *sc, const char *s, size_t n, struct label_hit *h,
    size_t *matched)
{
	size_t sp = after_space(s, n);

	/* "SUUMO物件コード": no space before a label in CJK. */
	if (sp == 0 && !(n > 0 && (unsigned char)s[0] >= 0xe3))
		return 0;
	if (!parse_data_label_at(sc->in->pd, sc->in->rank, s + sp,
	    n - sp, h, matched) || (h->field != LF_OBJECT_REF &&
	    h->field != LF_PORTAL_OBJECT_REF))
		return 0;
	*matched += sp;
	return 1;
}

/* Words that make an id of a brand's name, after or before it. */
static const char *const ids[] = { "ID", "#", "No.", "Nr.", "No", "Nr",
    "Code", "Ref", "Ref.", "Kode", "Kod", "K\xc3\xb3" "d", "Nummer",
    "Numer", "Nro", "Nro.", "Codice", "C\xc3\xb3" "digo", "Codigo" };

/* The length of the id word s[0..n) starts with, or 0. */
static size_t
id_word(const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i < sizeof(ids) / sizeof(*ids); i++) {
		k = strlen(ids[i]);
		if (n >= k && strncasecmp(s, ids[i], k) == 0 &&
		    (n == k || !isalnum((unsigned char)s[k])))
			return k;
	}
	return 0;
}

/* "-ID", " ID", " #", " No.", " Nr.": an id after a brand's name. */
static int
bare_id(const char *s, size_t n, size_t *matched)
{
	size_t sp = after_space(s, n), k;

	if (sp == 0 && !(n > 0 && s[0] == '#'))
		return 0;
	if ((k = id_word(s + sp, n - sp)) == 0)
		return 0;
	*matched = sp + k;
	return 1;
}

/* "Codice Indomio", "ID Booli": the id word first, then the brand. */
static size_t
id_brand(const char *s, size_t n, const char *brand)
{
	size_t k = id_word(s, n), sp, b;

	if (k == 0 || strchr("#.", s[k - 1]) != NULL ||
	    (sp = after_space(s + k, n - k)) == 0 ||
	    (b = brand_at(s + k + sp, n - k - sp, brand)) == 0)
		return 0;
	return k + sp + b;
}

/* segment.h's is_label: the tables in the order profile and language give. */
static int
is_label(void *arg, const char *text, size_t len, size_t *matched)
{
	struct scan *sc = arg;
	struct label_hit h, h2;
	size_t b, sp, m2;

	/* "Bayut Reference", "Booli-ID": the portal's, by its name. */
	if ((b = brand_at(text, len, sc->in->brand)) > 0 &&
	    (ref_label(sc, text + b, len - b, &h, matched) ||
	    bare_id(text + b, len - b, matched))) {
		*matched += b;
		return LF_PORTAL_OBJECT_REF;
	}
	if ((b = id_brand(text, len, sc->in->brand)) > 0) {
		*matched = b;
		return LF_PORTAL_OBJECT_REF;
	}
	if (!parse_data_label_at(sc->in->pd, sc->in->rank, text, len, &h,
	    matched))
		return 0;
	/* "Référence atHome", "Referentie Immovlan": the same. */
	if ((h.field == LF_OBJECT_REF || h.field == LF_PORTAL_OBJECT_REF) &&
	    (b = after_space(text + *matched, len - *matched)) > 0 &&
	    (b += brand_at(text + *matched + b, len - *matched - b,
	    sc->in->brand)) > after_space(text + *matched, len - *matched)) {
		*matched += b;
		return LF_PORTAL_OBJECT_REF;
	}
	/* "【お問い合わせ内容】": the head's closing bracket. */
	if (len - *matched >= 3 && memcmp(text + *matched, "\xe3\x80\x91",
	    3) == 0)
		*matched += 3;
	/*
	 * A label and its translation ("姓名 Name:", "電郵 Email:",
	 * bilingual Hong Kong and Gulf portals): one label.
	 */
	for (sp = *matched; sp < len && text[sp] == ' '; sp++)
		;
	/* One of the two is in another script: a cheap test first. */
	if (sp > *matched && sp < len && ((unsigned char)text[0] >= 0x80 ||
	    (unsigned char)text[sp] >= 0x80) &&
	    parse_data_label_at(sc->in->pd, sc->in->rank,
	    text + sp, len - sp, &h2, &m2) && h2.field == h.field &&
	    (h.field != LF_CUSTOM || strcmp(h.key, h2.key) == 0))
		*matched = sp + m2;
	/*
	 * A form's question that recalls an answer ("And your last name,
	 * Noah?", Typeform): the label runs to its question mark.
	 */
	if (*matched < len && text[*matched] == ',' && len - *matched <=
	    QUESTION_TAIL && text[len - 1] == '?' &&
	    memchr(text + *matched, ':', len - *matched) == NULL)
		*matched = len;
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

/* A byte of a word: a letter or digit, or part of a UTF-8 letter. */
static int
word_byte(char c)
{
	return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}

/* Does a label address its reader ("Your reference", "Votre réf.")? */
static int
addressed(const struct parse_data *pd, const char *label)
{
	const char *const *w = parse_data_words(pd, LEX_OWN_WORDS);
	char key[256], word[64];
	size_t i, n, k;
	const char *at;

	if (label == NULL || w == NULL ||
	    fold_key(label, strlen(label), key, sizeof(key)) == (size_t)-1)
		return 0;
	for (i = 0; w[i] != NULL; i++) {
		if ((n = fold_key(w[i], strlen(w[i]), word, sizeof(word))) ==
		    (size_t)-1 || n == 0)
			continue;
		/* A whole word of the label. */
		for (at = key; (at = strstr(at, word)) != NULL; at++) {
			k = (size_t)(at - key);
			if ((k == 0 || !word_byte(key[k - 1])) &&
			    !word_byte(at[n]))
				return 1;
		}
	}
	return 0;
}

/*
 * Two references of the listing under different labels, one of them
 * addressed to the agency ("Votre référence", "Il tuo numero veicolo")
 * and the other not ("Référence annonce"): the agency's is the one
 * addressed to it, the other is the portal's (unless a label names the
 * portal's outright). Two alike: the first wins.
 */
static void
record_ref(struct scan *sc, struct labels *out, const struct seg_item *it)
{
	int own = addressed(sc->in->pd, it->label);
	char *other;

	if (out->v[LF_OBJECT_REF] == NULL) {
		out->v[LF_OBJECT_REF] = xstrdup(it->value);
		out->ref_own = own;
		return;
	}
	if (own == out->ref_own ||
	    strcmp(out->v[LF_OBJECT_REF], it->value) == 0)
		return;
	other = xstrdup(it->value);
	if (own) {
		char *t = out->v[LF_OBJECT_REF];

		out->v[LF_OBJECT_REF] = other;
		out->ref_own = 1;
		other = t;
	}
	if (out->v[LF_PORTAL_OBJECT_REF] == NULL) {
		out->v[LF_PORTAL_OBJECT_REF] = other;
		out->portal_guess = 1;
	} else
		free(other);
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
	} else if (it->field == LF_OBJECT_REF) {
		record_ref(sc, out, it);
	} else if (it->field == LF_PORTAL_OBJECT_REF && out->portal_guess) {
		/* A label that names the portal's id beats a guess. */
		free(out->v[it->field]);
		out->v[it->field] = xstrdup(v);
		out->portal_guess = 0;
	} else if (out->v[it->field] == NULL) {
		out->v[it->field] = xstrdup(v);
	}
}

/* parse --explain: a labelled item as a candidate of its label's field. */
static void
note_item(const struct scan *sc, const struct seg_item *it)
{
	struct label_hit h;
	json_t *list, *o;
	char key[96], from[512];
	const char *path = "?";
	size_t m;

	if (it->field >= LF_NFIELDS)
		snprintf(key, sizeof(key), "custom:%s",
		    sc->keys[it->field - LF_NFIELDS]);
	else
		snprintf(key, sizeof(key), "%s",
		    labelset_field_name((enum label_field)it->field));
	if (it->label != NULL && parse_data_label_at(sc->in->pd,
	    sc->in->rank, it->label, strlen(it->label), &h, &m))
		path = parse_data_source_path(sc->in->pd, h.src);
	snprintf(from, sizeof(from), "label \"%s\" of %s (%s%s)",
	    it->label ? it->label : "", path, segment_kind_name(it->kind),
	    it->quoted ? ", quoted" : "");
	if ((list = json_object_get(sc->in->explain, key)) == NULL) {
		list = json_array();
		json_object_set_new(sc->in->explain, key, list);
	}
	o = json_object();
	json_object_set_new(o, "value", json_string(it->value));
	json_object_set_new(o, "from", json_string(from));
	json_object_set_new(o, "where", json_string(it->where));
	json_array_append_new(list, o);
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
		if (in->explain != NULL && it->field > 0 && (it->field <
		    LF_NFIELDS || (size_t)(it->field - LF_NFIELDS) < sc.nkeys))
			note_item(&sc, it);
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

/* An address in the country's order (postal.h); hint: the portal's. */
static void
address(struct inquiry *q, const char *v, const char *hint, const char *or)
{
	struct postal pc;

	if (postal_parse(v, hint, &pc) != LG_OK ||
	    (pc.street == NULL && pc.postcode == NULL && pc.city == NULL)) {
		fill(q, or, v);
		postal_clear(&pc);
		return;
	}
	fill(q, "street", pc.street);
	fill(q, "postcode", pc.postcode);
	fill(q, "city", pc.city);
	postal_clear(&pc);
}

/* The numbers of a phone value ("030 123456 / 0171 654321": two). */
static void
phones(struct inquiry *q, const char *v)
{
	struct phone_hit hits[LABELS_PHONES];
	size_t i, n = phone_scan(v, hits, LABELS_PHONES);
	char *one;

	if (n > LABELS_PHONES)
		n = LABELS_PHONES;
	if (n == 0 && digits(v) >= 5)
		inquiry_add_phone(q, v);
	for (i = 0; i < n; i++) {
		one = xstrndup(v + hits[i].off, hits[i].len);
		inquiry_add_phone(q, one);
		free(one);
	}
}

void
labels_phones_in(struct inquiry *q, const char *text)
{
	struct phone_hit hits[LABELS_PHONES];
	size_t i, n;
	char *one;

	if (text == NULL)
		return;
	if ((n = phone_scan(text, hits, LABELS_PHONES)) > LABELS_PHONES)
		n = LABELS_PHONES;
	for (i = 0; i < n; i++) {
		one = xstrndup(text + hits[i].off, hits[i].len);
		inquiry_add_phone(q, one);
		free(one);
	}
}

/* The words names are split by, for the mail's language. */
static void
name_words(const struct parse_data *pd, const char *lang,
    struct person_words *w)
{
	w->salutations = parse_data_words_for(pd, lang, LEX_SALUTATIONS);
	w->titles = parse_data_words_for(pd, lang, LEX_TITLES);
	w->particles = parse_data_words_for(pd, lang, LEX_PARTICLES);
}

static void
title(json_t *custom, const char *t)
{
	if (t && custom && json_object_get(custom, "title") == NULL)
		json_object_set_new(custom, "title", json_string(t));
}

/*
 * One part of a name, given alone ("KERSTIN", "Dr. Anna", "GARCÍA
 * LÓPEZ"): title-cased, salutation and title set apart, the words kept
 * together.
 */
static void
name_part(struct inquiry *q, const char *field, const char *v,
    const struct person_words *w, const char *lang, json_t *custom)
{
	struct person p;
	char *all;

	if (v == NULL || inquiry_get(q, field) != NULL)
		return;
	person_split_with(v, w, lang, &p);
	if (p.first == NULL && p.last == NULL) {
		fill(q, field, v);
	} else {
		all = xasprintf("%s%s%s", p.first ? p.first : "",
		    p.first && p.last ? " " : "", p.last ? p.last : "");
		fill(q, field, all);
		free(all);
	}
	fill(q, "salutation", p.salutation);
	title(custom, p.title);
	person_clear(&p);
}

/*
 * "Name <addr>": the name when addr is the prospect's (q's e-mail), else
 * NULL (a forwarded mail's "Von: Portal <noreply@...>"); a value without
 * an address as it is. A new string.
 */
static char *
display_of(const struct inquiry *q, const char *v)
{
	const char *lt;
	char *addr;
	size_t n;

	if (v == NULL)
		return NULL;
	if ((lt = strchr(v, '<')) == NULL)
		return strchr(v, '@') ? NULL : xstrdup(v);
	addr = addr_scan(lt, NULL, NULL);
	if (addr == NULL || q->email == NULL || strcasecmp(addr,
	    q->email) != 0) {
		free(addr);
		return NULL;
	}
	free(addr);
	for (n = (size_t)(lt - v); n > 0 && (v[n - 1] == ' ' ||
	    v[n - 1] == '"'); n--)
		;
	while (n > 0 && *v == '"') {
		v++;
		n--;
	}
	return n > 0 ? xstrndup(v, n) : NULL;
}

/*
 * "Absender: +49 152 09876543", "From: CALLER (312) 555-0147": an SMS
 * gateway or a caller id gives the number where the name goes. The
 * number is a phone; the rest, if it has a letter, the name. Takes name.
 */
static char *
name_number(struct inquiry *q, char *name)
{
	struct phone_hit h;
	char *phone;
	size_t i, n;

	if (name == NULL || phone_scan(name, &h, 1) != 1)
		return name;
	phone = xstrndup(name + h.off, h.len);
	inquiry_add_phone(q, phone);
	free(phone);
	n = strlen(name);
	memmove(name + h.off, name + h.off + h.len, n - h.off - h.len + 1);
	for (i = 0; name[i] != '\0'; i++)
		if (isalpha((unsigned char)name[i]) ||
		    (unsigned char)name[i] >= 0x80)
			return name;
	free(name);
	return NULL;
}

static void
names(const struct labels *l, struct inquiry *q, json_t *custom,
    const struct parse_data *pd, const char *lang)
{
	char *name_buf = display_of(q, l->v[LF_NAME]);
	const char *first = l->v[LF_FIRST], *last = l->v[LF_LAST];
	const char *name = name_buf;
	struct person_words w;
	struct person p;

	/* A form's "From: Name <addr>" is the prospect's name too. */
	if (name == NULL && first == NULL && last == NULL &&
	    l->v[LF_EMAIL] != NULL)
		name = name_buf = display_of(q, l->v[LF_EMAIL]);
	name = name_buf = name_number(q, name_buf);
	name_words(pd, lang, &w);
	/* "Vorname: Max" with "Name: Muster": the name is the last name. */
	if (name && first && !last)
		last = name;
	/*
	 * "Nombre: Lucía" (or "María Isabel") with "Apellidos: Ruiz": the
	 * given names; "Nombre: Lucía Ruiz" with it: what comes before.
	 */
	if (name && last && !first && strcmp(name, last) != 0) {
		size_t nl = strlen(name), ll = strlen(last);

		if (strcasestr(name, last) == NULL)
			first = name;
		else if (nl > ll + 1 && name[nl - ll - 1] == ' ' &&
		    strcasecmp(name + nl - ll, last) == 0) {
			name_buf[nl - ll - 1] = '\0';
			first = name;
		}
	}
	/* "Jméno: Petr Novák": a form's one name field, whole. */
	if (first && !last && !name && strchr(first, ' ') != NULL) {
		name = first;
		first = NULL;
	}
	if (first || last) {
		name_part(q, "first_name", first, &w, lang, custom);
		name_part(q, "last_name", last, &w, lang, custom);
		free(name_buf);
		return;
	}
	if (name == NULL)
		return;
	person_split_with(name, &w, lang, &p);
	fill(q, "salutation", p.salutation);
	fill(q, "first_name", p.first);
	fill(q, "last_name", p.last);
	title(custom, p.title);
	person_clear(&p);
	free(name_buf);
}

/* One of the lexicon's academic or professional titles ("Dr", "Prof."). */
static int
is_title(const struct parse_data *pd, const char *v)
{
	const char *const *w;

	for (w = parse_data_words(pd, LEX_TITLES); *w != NULL; w++)
		if (strcasecmp(*w, v) == 0)
			return 1;
	return 0;
}

/*
 * A reference as the line gives it, up to a separator of several on one
 * line ("NA-M-554 – ID Logic-Immo : 7745123": the rest is another
 * label's, read inline).
 */
static void
ref(struct inquiry *q, const char *field, const char *v)
{
	static const char *const seps[] = { " \xe2\x80\x93 ", " \xe2\x80\x94 ",
	    " \xc2\xb7 ", " | ", " \xc2\xa0\xc2\xb7 ", NULL };
	const char *end = NULL, *e;
	char *cut;
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; seps[i] != NULL; i++)
		if ((e = strstr(v, seps[i])) != NULL && (end == NULL || e < end))
			end = e;
	cut = end != NULL ? xstrndup(v, (size_t)(end - v)) : xstrdup(v);
	fill(q, field, cut);
	free(cut);
}

void
labels_apply(const struct labels *l, const struct parse_data *pd,
    const char *country, const char *lang, struct inquiry *q, json_t *custom)
{
	const char *k, *sal;
	json_t *v;
	char *email;
	size_t i;

	/* As written, "Herrn" as "Herr", a form's "male" as "Mr". */
	if ((sal = l->v[LF_SALUTATION]) != NULL && is_title(pd, sal) &&
	    parse_data_salutation(pd, sal) == NULL)
		title(custom, sal);	/* "Title: Dr" */
	else if (sal != NULL)
		fill(q, "salutation", parse_data_salutation(pd, sal) ?
		    parse_data_salutation(pd, sal) : sal);
	if (l->v[LF_EMAIL] &&
	    (email = addr_scan(l->v[LF_EMAIL], NULL, NULL)) != NULL) {
		fill(q, "email", email);
		free(email);
	}
	names(l, q, custom, pd, lang);
	fill(q, "company", l->v[LF_COMPANY]);
	for (i = 0; i < l->nphones; i++)
		phones(q, l->phones[i]);
	/* A street over several lines is the whole address. */
	if (l->v[LF_STREET] && strchr(l->v[LF_STREET], '\n'))
		address(q, l->v[LF_STREET], country, "street");
	else
		fill(q, "street", l->v[LF_STREET]);
	fill(q, "postcode", l->v[LF_POSTCODE]);
	fill(q, "city", l->v[LF_CITY]);
	if (l->v[LF_POSTCODE_CITY])
		address(q, l->v[LF_POSTCODE_CITY], country, "city");
	if (l->v[LF_ADDRESS])
		address(q, l->v[LF_ADDRESS], country, "street");
	fill(q, "language", parse_data_language_code(pd, l->v[LF_LANGUAGE]));
	ref(q, "object_ref", l->v[LF_OBJECT_REF]);
	ref(q, "portal_object_ref", l->v[LF_PORTAL_OBJECT_REF]);
	ref(q, "portal_ref", l->v[LF_PORTAL_REF]);
	if (custom == NULL)
		return;
	json_object_foreach(l->custom, k, v)
		if (json_object_get(custom, k) == NULL)
			json_object_set(custom, k, v);
}

/* "MAD-CH-221", "6271-0045", "R1900345": a reference's characters. */
static size_t
ref_token(const char *s, int *digit)
{
	size_t n = 0;

	*digit = 0;
	while (isalnum((unsigned char)s[n]) || ((s[n] == '-' || s[n] == '.' ||
	    s[n] == '/' || s[n] == '_') && isalnum((unsigned char)s[n + 1]))) {
		*digit |= isdigit((unsigned char)s[n]) != 0;
		n++;
	}
	return n;
}

/* The value after an inline label: "ref. X", "Ref.: X", "n° X", "# X". */
static char *
ref_after(const char *v)
{
	size_t n;
	int digit;

	for (;;) {
		while (*v == ' ' || *v == ':' || *v == '#' || *v == '\t')
			v++;
		if (strncmp(v, "n\xc2\xb0", 3) == 0 || strncmp(v,
		    "n\xc2\xba", 3) == 0 || strncmp(v, "\xe2\x84\x96", 3) == 0)
			v += 3;	/* "n°", "nº", "№" */
		else if (strncmp(v, "\xc2\xa0", 2) == 0)
			v += 2;
		else
			break;
	}
	n = ref_token(v, &digit);
	return n >= 3 && digit ? xstrndup(v, n) : NULL;
}

/*
 * Does a word start at p after CJK punctuation ("（编号 CW-2B-1187）",
 * "，" "：" "、")? Those scripts put no space before a label.
 */
static int
after_cjk_mark(const char *text, const char *p)
{
	const char *q = p;
	uint32_t c;
	size_t n;

	/* Those marks are three bytes led by 0xe3 or 0xef: cheap first. */
	if (p - text < 3 || ((unsigned char)p[-3] != 0xe3 &&
	    (unsigned char)p[-3] != 0xef) || ((unsigned char)*p & 0xc0) == 0x80)
		return 0;
	while (q > text && ((unsigned char)q[-1] & 0xc0) == 0x80)
		q--;
	if (q == text || q == p)
		return 0;
	q--;
	c = utf8_decode(q, &n);
	return q + n == p && ((c >= 0x3000 && c <= 0x303f) ||
	    (c >= 0xff00 && c <= 0xff0f) || (c >= 0xff1a && c <= 0xff20));
}

void
labels_inline_refs(const struct labels_in *in, const char *text,
    struct inquiry *q)
{
	const char *p, *end;
	struct label_hit h;
	size_t m;
	char *v, *label, *own = NULL, *other = NULL, *portal = NULL, **slot;

	for (p = text; p != NULL && *p; p++) {
		if (p > text && (isalnum((unsigned char)p[-1]) ||
		    (unsigned char)p[-1] >= 0x80) && !after_cjk_mark(text, p))
			continue;
		if (!isalpha((unsigned char)*p) && (unsigned char)*p < 0x80)
			continue;
		end = p + strcspn(p, "\n");
		/* A reference's label is short: no need to fold more. */
		if (end - p > INLINE_LABEL_MAX)
			end = p + INLINE_LABEL_MAX;
		if (!parse_data_label_at(in->pd, in->rank, p, (size_t)(end - p),
		    &h, &m) || (h.field != LF_OBJECT_REF &&
		    h.field != LF_PORTAL_OBJECT_REF))
			continue;
		if ((v = ref_after(p + m)) != NULL) {
			/*
			 * "(código 103847722, tu referencia BOA-22)": of two
			 * of the listing's, the one addressed to the agency
			 * is its own, the other the portal's.
			 */
			label = xstrndup(p, m);
			slot = h.field == LF_PORTAL_OBJECT_REF ? &portal :
			    addressed(in->pd, label) ? &own : &other;
			free(label);
			if (*slot == NULL)
				*slot = v;
			else
				free(v);
		}
		p += m - 1;
	}
	/* "AutoTrader Ref: 26543219" read inline is the portal's id again. */
	if (other != NULL && q->portal_object_ref != NULL &&
	    strcmp(other, q->portal_object_ref) == 0) {
		free(other);
		other = NULL;
	}
	if (own != NULL) {
		fill(q, "object_ref", own);
		if (other != NULL && strcmp(other, own) != 0)
			fill(q, "portal_object_ref", other);
	} else
		fill(q, "object_ref", other);
	fill(q, "portal_object_ref", portal);
	free(own);
	free(other);
	free(portal);
}

/* A date ("2024-05-01", "01-05-2024"): no reference. */
static int
date_like(const char *s, size_t n)
{
	size_t i, groups = 1, digits = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '-' || s[i] == '.' || s[i] == '/')
			groups++;
		else if (isdigit((unsigned char)s[i]))
			digits++;
		else
			return 0;
	}
	return groups == 3 && digits >= 6 && digits <= 8;
}

char *
labels_text_ref(const char *text, size_t len)
{
	const char *p, *end = text + len;
	size_t n, i;
	int digit, upper, letter;

	for (p = text; p != NULL && p < end && *p; p += n ? n : 1) {
		n = 0;
		if (p > text && (isalnum((unsigned char)p[-1]) ||
		    (unsigned char)p[-1] >= 0x80 || p[-1] == '-'))
			continue;
		n = ref_token(p, &digit);
		if (p + n > end || n < 4 || !digit ||
		    memchr(p, '-', n) == NULL || date_like(p, n) ||
		    (p + n < end && ((unsigned char)p[n] >= 0x80 ||
		    p[n] == '-')))
			continue;
		for (i = 0, upper = 1, letter = 0; i < n; i++) {
			if (islower((unsigned char)p[i]))
				upper = 0;
			letter |= isupper((unsigned char)p[i]) != 0;
		}
		if (upper && letter)
			return xstrndup(p, n);
	}
	return NULL;
}

char *
labels_subject_ref(const char *subject)
{
	const char *p;
	size_t n, i;
	int digit, upper;

	for (p = subject; p != NULL && *p; p += n ? n : 1) {
		n = 0;
		if (p > subject && isalnum((unsigned char)p[-1]))
			continue;
		n = ref_token(p, &digit);
		if (n < 4 || !digit || memchr(p, '-', n) == NULL ||
		    date_like(p, n))
			continue;
		for (i = 0, upper = 1; i < n; i++)
			if (islower((unsigned char)p[i]))
				upper = 0;
		if (upper)
			return xstrndup(p, n);
	}
	return NULL;
}
