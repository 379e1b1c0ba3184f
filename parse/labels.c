/* Labelled blocks in text, and what they say about the prospect. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "parse/addr.h"
#include "parse/inquiry.h"
#include "parse/labels.h"
#include "parse/person.h"

#define SEGMENTS_MAX	16
#define LANGS		4

/*
 * Labels written the same in several languages ("Name", "Adresse",
 * "E-Mail") carry no language: they must not sway the vote.
 */
const struct label labels_common[] = {
	/* German */
	{ "Anrede", LF_SALUTATION, NULL, "de" },
	{ "Vorname", LF_FIRST, NULL, "de" },
	{ "Nachname", LF_LAST, NULL, "de" },
	{ "Familienname", LF_LAST, NULL, "de" },
	{ "Name", LF_NAME, NULL, NULL },
	{ "Vor- und Nachname", LF_NAME, NULL, "de" },
	{ "Ihr Name", LF_NAME, NULL, "de" },
	{ "Firma", LF_COMPANY, NULL, "de" },
	{ "Unternehmen", LF_COMPANY, NULL, "de" },
	{ "Firmenname", LF_COMPANY, NULL, "de" },
	{ "E-Mail", LF_EMAIL, NULL, NULL },
	{ "E-Mail-Adresse", LF_EMAIL, NULL, "de" },
	{ "E-Mail Adresse", LF_EMAIL, NULL, "de" },
	{ "Email", LF_EMAIL, NULL, NULL },
	{ "Telefon", LF_PHONE, NULL, "de" },
	{ "Telefonnummer", LF_PHONE, NULL, "de" },
	{ "Telefon (mobil)", LF_PHONE, NULL, "de" },
	{ "Telefon privat", LF_PHONE, NULL, "de" },
	{ "Telefon geschäftlich", LF_PHONE, NULL, "de" },
	{ "Tel.", LF_PHONE, NULL, NULL },
	{ "Tel", LF_PHONE, NULL, NULL },
	{ "Mobil", LF_PHONE, NULL, "de" },
	{ "Mobiltelefon", LF_PHONE, NULL, "de" },
	{ "Mobilnummer", LF_PHONE, NULL, "de" },
	{ "Handy", LF_PHONE, NULL, "de" },
	{ "Handynummer", LF_PHONE, NULL, "de" },
	{ "Festnetz", LF_PHONE, NULL, "de" },
	{ "Rufnummer", LF_PHONE, NULL, "de" },
	{ "Straße", LF_STREET, NULL, "de" },
	{ "Strasse", LF_STREET, NULL, "de" },
	{ "Str.", LF_STREET, NULL, "de" },
	{ "Straße und Hausnummer", LF_STREET, NULL, "de" },
	{ "Strasse und Hausnummer", LF_STREET, NULL, "de" },
	{ "Straße/Hausnummer", LF_STREET, NULL, "de" },
	{ "Straße / Nr.", LF_STREET, NULL, "de" },
	{ "Adresse", LF_ADDRESS, NULL, NULL },
	{ "Anschrift", LF_ADDRESS, NULL, "de" },
	{ "PLZ", LF_POSTCODE, NULL, "de" },
	{ "Postleitzahl", LF_POSTCODE, NULL, "de" },
	{ "Ort", LF_CITY, NULL, "de" },
	{ "Wohnort", LF_CITY, NULL, "de" },
	{ "Stadt", LF_CITY, NULL, "de" },
	{ "PLZ/Ort", LF_POSTCODE_CITY, NULL, "de" },
	{ "PLZ / Ort", LF_POSTCODE_CITY, NULL, "de" },
	{ "PLZ und Ort", LF_POSTCODE_CITY, NULL, "de" },
	{ "PLZ, Ort", LF_POSTCODE_CITY, NULL, "de" },
	{ "Nachricht", LF_MESSAGE, NULL, "de" },
	{ "Ihre Nachricht", LF_MESSAGE, NULL, "de" },
	{ "Nachricht des Interessenten", LF_MESSAGE, NULL, "de" },
	{ "Mitteilung", LF_MESSAGE, NULL, "de" },
	{ "Anfrage", LF_MESSAGE, NULL, "de" },
	{ "Ihre Anfrage", LF_MESSAGE, NULL, "de" },
	{ "Kommentar", LF_MESSAGE, NULL, "de" },
	{ "Bemerkung", LF_MESSAGE, NULL, "de" },
	{ "Bemerkungen", LF_MESSAGE, NULL, "de" },
	{ "Anmerkung", LF_MESSAGE, NULL, "de" },
	{ "Anliegen", LF_MESSAGE, NULL, "de" },
	{ "Objektnummer", LF_OBJECT_REF, NULL, "de" },
	{ "Objekt-Nr.", LF_OBJECT_REF, NULL, "de" },
	{ "Objekt-Nr", LF_OBJECT_REF, NULL, "de" },
	{ "Objektnr.", LF_OBJECT_REF, NULL, "de" },
	{ "Objekt-ID", LF_OBJECT_REF, NULL, "de" },
	{ "Ihre Objekt-Nr.", LF_OBJECT_REF, NULL, "de" },
	{ "Ihre Objektnummer", LF_OBJECT_REF, NULL, "de" },
	{ "Objektreferenz", LF_OBJECT_REF, NULL, "de" },
	{ "Anbieter-Objekt-ID", LF_OBJECT_REF, NULL, "de" },
	{ "Sprache", LF_LANGUAGE, NULL, "de" },
	{ "Korrespondenzsprache", LF_LANGUAGE, NULL, "de" },
	/* French */
	{ "Civilité", LF_SALUTATION, NULL, "fr" },
	{ "Prénom", LF_FIRST, NULL, "fr" },
	{ "Nom", LF_NAME, NULL, "fr" },
	{ "Nom de famille", LF_LAST, NULL, "fr" },
	{ "Nom complet", LF_NAME, NULL, "fr" },
	{ "Votre nom", LF_NAME, NULL, "fr" },
	{ "Société", LF_COMPANY, NULL, "fr" },
	{ "Entreprise", LF_COMPANY, NULL, "fr" },
	{ "Courriel", LF_EMAIL, NULL, "fr" },
	{ "Adresse e-mail", LF_EMAIL, NULL, "fr" },
	{ "Adresse email", LF_EMAIL, NULL, "fr" },
	{ "Adresse électronique", LF_EMAIL, NULL, "fr" },
	{ "Votre e-mail", LF_EMAIL, NULL, "fr" },
	{ "Téléphone", LF_PHONE, NULL, "fr" },
	{ "Tél.", LF_PHONE, NULL, "fr" },
	{ "Tél", LF_PHONE, NULL, "fr" },
	{ "Téléphone portable", LF_PHONE, NULL, "fr" },
	{ "Téléphone fixe", LF_PHONE, NULL, "fr" },
	{ "Portable", LF_PHONE, NULL, "fr" },
	{ "Votre téléphone", LF_PHONE, NULL, "fr" },
	{ "Rue", LF_STREET, NULL, "fr" },
	{ "Code postal", LF_POSTCODE, NULL, "fr" },
	{ "CP", LF_POSTCODE, NULL, "fr" },
	{ "NPA", LF_POSTCODE, NULL, NULL },
	{ "Ville", LF_CITY, NULL, "fr" },
	{ "Localité", LF_CITY, NULL, "fr" },
	{ "Commune", LF_CITY, NULL, "fr" },
	{ "NPA/Localité", LF_POSTCODE_CITY, NULL, "fr" },
	{ "NPA / Localité", LF_POSTCODE_CITY, NULL, "fr" },
	{ "Code postal / Ville", LF_POSTCODE_CITY, NULL, "fr" },
	{ "Votre message", LF_MESSAGE, NULL, "fr" },
	{ "Commentaire", LF_MESSAGE, NULL, "fr" },
	{ "Commentaires", LF_MESSAGE, NULL, NULL },
	{ "Référence", LF_OBJECT_REF, NULL, "fr" },
	{ "Référence de l'annonce", LF_OBJECT_REF, NULL, "fr" },
	{ "Référence annonce", LF_OBJECT_REF, NULL, "fr" },
	{ "Réf.", LF_OBJECT_REF, NULL, "fr" },
	{ "Réf. annonce", LF_OBJECT_REF, NULL, "fr" },
	{ "Votre référence", LF_OBJECT_REF, NULL, "fr" },
	{ "Langue", LF_LANGUAGE, NULL, "fr" },
	/* Italian */
	{ "Nome", LF_FIRST, NULL, "it" },
	{ "Cognome", LF_LAST, NULL, "it" },
	{ "Nome e cognome", LF_NAME, NULL, "it" },
	{ "Società", LF_COMPANY, NULL, "it" },
	{ "Telefono", LF_PHONE, NULL, "it" },
	{ "Cellulare", LF_PHONE, NULL, "it" },
	{ "Indirizzo", LF_ADDRESS, NULL, "it" },
	{ "Via", LF_STREET, NULL, "it" },
	{ "CAP", LF_POSTCODE, NULL, "it" },
	{ "Località", LF_CITY, NULL, "it" },
	{ "Città", LF_CITY, NULL, "it" },
	{ "NPA/Località", LF_POSTCODE_CITY, NULL, "it" },
	{ "Messaggio", LF_MESSAGE, NULL, "it" },
	{ "Riferimento", LF_OBJECT_REF, NULL, "it" },
	{ "Lingua", LF_LANGUAGE, NULL, "it" },
	/* English */
	{ "Salutation", LF_SALUTATION, NULL, "en" },
	{ "First name", LF_FIRST, NULL, "en" },
	{ "Firstname", LF_FIRST, NULL, "en" },
	{ "Last name", LF_LAST, NULL, "en" },
	{ "Lastname", LF_LAST, NULL, "en" },
	{ "Surname", LF_LAST, NULL, "en" },
	{ "Full name", LF_NAME, NULL, "en" },
	{ "Your name", LF_NAME, NULL, "en" },
	{ "Company", LF_COMPANY, NULL, "en" },
	{ "Email address", LF_EMAIL, NULL, "en" },
	{ "E-mail address", LF_EMAIL, NULL, "en" },
	{ "Phone", LF_PHONE, NULL, "en" },
	{ "Phone number", LF_PHONE, NULL, "en" },
	{ "Telephone", LF_PHONE, NULL, "en" },
	{ "Mobile", LF_PHONE, NULL, NULL },
	{ "Cell", LF_PHONE, NULL, "en" },
	{ "Street", LF_STREET, NULL, "en" },
	{ "Address", LF_ADDRESS, NULL, "en" },
	{ "Zip", LF_POSTCODE, NULL, "en" },
	{ "Zip code", LF_POSTCODE, NULL, "en" },
	{ "Postcode", LF_POSTCODE, NULL, "en" },
	{ "Postal code", LF_POSTCODE, NULL, "en" },
	{ "City", LF_CITY, NULL, "en" },
	{ "Town", LF_CITY, NULL, "en" },
	{ "Message", LF_MESSAGE, NULL, NULL },
	{ "Your message", LF_MESSAGE, NULL, "en" },
	{ "Comments", LF_MESSAGE, NULL, "en" },
	{ "Reference", LF_OBJECT_REF, NULL, "en" },
	{ "Property reference", LF_OBJECT_REF, NULL, "en" },
	{ "Language", LF_LANGUAGE, NULL, "en" },
	/* Footers that end a message block. */
	{ "Diese E-Mail wurde", LF_STOP, NULL, NULL },
	{ "Diese Nachricht wurde", LF_STOP, NULL, NULL },
	{ "Diese Anfrage wurde", LF_STOP, NULL, NULL },
	{ "Bitte antworten Sie", LF_STOP, NULL, NULL },
	{ "Antworten Sie direkt", LF_STOP, NULL, NULL },
	{ "Ce message a été", LF_STOP, NULL, NULL },
	{ "Cet e-mail a été", LF_STOP, NULL, NULL },
	{ "Cet email a été", LF_STOP, NULL, NULL },
	{ "Vous recevez ce", LF_STOP, NULL, NULL },
	{ "Répondez directement", LF_STOP, NULL, NULL },
	{ "Questa e-mail", LF_STOP, NULL, NULL },
	{ "Questo messaggio", LF_STOP, NULL, NULL },
	{ "This message was sent", LF_STOP, NULL, NULL },
	{ "This e-mail was sent", LF_STOP, NULL, NULL },
	{ NULL, LF_NONE, NULL, NULL },
};

static const char *const empty_values[] = {
	"-", "--", "\xe2\x80\x94", "/", "k.A.", "k. A.", "keine Angabe",
	"nicht angegeben", "n/a", "none", "non renseigné", "non communiqué",
	"nessuno", "(leer)", "null",
};

static const char *const langs[LANGS] = { "de", "fr", "it", "en" };

static const struct {
	const char *name;
	const char *iso;
} language_names[] = {
	{ "deutsch", "de" }, { "german", "de" }, { "allemand", "de" },
	{ "tedesco", "de" }, { "ger", "de" }, { "deu", "de" },
	{ "français", "fr" }, { "francais", "fr" }, { "französisch", "fr" },
	{ "franzoesisch", "fr" }, { "french", "fr" }, { "francese", "fr" },
	{ "fra", "fr" }, { "fre", "fr" },
	{ "italiano", "it" }, { "italienisch", "it" }, { "italian", "it" },
	{ "italien", "it" }, { "ita", "it" },
	{ "english", "en" }, { "englisch", "en" }, { "anglais", "en" },
	{ "inglese", "en" }, { "eng", "en" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct scan {
	const struct label *const *tables;
	struct labels *out;
	struct buf msg;
	int in_msg;
	int votes[LANGS];
};

/*
 * One character for comparing labels: ASCII and the Latin-1 letters
 * (U+00C0..U+00DE in UTF-8) without case; anything else as it is.
 */
static inline unsigned
fold(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;

	if (s[0] == 0xc3 && s[1] >= 0x80 && s[1] <= 0xbf) {
		*p += 2;
		return 0xc0u + (s[1] - 0x80u) +
		    (s[1] <= 0x9e && s[1] != 0x97 ? 0x20u : 0u);
	}
	(*p)++;
	/* Not tolower(): this runs for every label on every line. */
	return s[0] >= 'A' && s[0] <= 'Z' ? s[0] + 32u : s[0];
}

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

/* Where s goes on after the label text, or NULL when it does not match. */
static const char *
match_text(const char *label, const char *s)
{
	while (*label) {
		if (*label == ' ') {
			if (!is_space(s))
				return NULL;
			s = skip_spaces(s);
			while (*label == ' ')
				label++;
			continue;
		}
		if (fold(&label) != fold(&s))
			return NULL;
	}
	return s;
}

/*
 * The label seg starts with: *value what follows its separator, *only
 * set when nothing follows. NULL when seg starts with no label.
 */
static const struct label *
find_label(const struct scan *sc, const char *seg, const char **value,
    int *only)
{
	const struct label *const *t;
	const struct label *l;
	const char *p;

	for (t = sc->tables; *t; t++)
		for (l = *t; l->text; l++) {
			if ((p = match_text(l->text, seg)) == NULL)
				continue;
			if (l->field == LF_STOP)
				return l;
			p = skip_spaces(p);
			if (*p == ':')
				p++;
			else if (strncmp(p, "\xef\xbc\x9a", 3) == 0)
				p += 3;
			else if (*p != '\0')
				continue;
			p = skip_spaces(p);
			*value = p;
			*only = *p == '\0';
			return l;
		}
	return NULL;
}

static int
empty_value(const char *v)
{
	size_t i;

	if (*v == '\0')
		return 1;
	for (i = 0; i < NELEM(empty_values); i++)
		if (strcasecmp(v, empty_values[i]) == 0)
			return 1;
	return 0;
}

static void
vote(struct scan *sc, const char *lang)
{
	size_t i;

	for (i = 0; lang && i < LANGS; i++)
		if (strcmp(langs[i], lang) == 0)
			sc->votes[i]++;
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
record(struct scan *sc, const struct label *l, const char *value)
{
	struct labels *out = sc->out;
	char *v = xstrdup(value), *end;

	for (end = v + strlen(v); end > v && (end[-1] == ' ' ||
	    end[-1] == '\t'); end--)
		*(end - 1) = '\0';
	if (empty_value(v)) {
		free(v);
		return;
	}
	out->found++;
	vote(sc, l->lang);
	if (l->field == LF_PHONE) {
		add_phone(out, v);
	} else if (l->field == LF_CUSTOM) {
		if (json_object_get(out->custom, l->key) == NULL)
			json_object_set_new(out->custom, l->key, json_string(v));
	} else if (out->v[l->field] == NULL) {
		out->v[l->field] = v;
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

/* "-- ", "-----", "_____": a signature or a footer begins. */
static int
rule_line(const char *s)
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
static char *
line_start(char *s)
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
static char *
peek_value(struct scan *sc, char **lines, size_t n, size_t *i)
{
	const char *v;
	size_t k;
	int only;

	for (k = *i + 1; k < n; k++) {
		char *s = line_start(lines[k]);

		if (*s == '\0')
			continue;
		if (find_label(sc, s, &v, &only) != NULL || rule_line(s))
			return NULL;
		*i = k;
		return s;
	}
	return NULL;
}

static void
scan_line(struct scan *sc, char **lines, size_t n, size_t *i)
{
	char *seg[SEGMENTS_MAX], *s = line_start(lines[*i]), *next;
	const struct label *l;
	const char *v;
	size_t nseg, k;
	int only;

	if (rule_line(s)) {
		msg_end(sc);
		return;
	}
	if (sc->in_msg && (*s == '\0' ||
	    find_label(sc, s, &v, &only) == NULL)) {
		msg_line(sc, s);
		return;
	}
	nseg = segments(s, seg);
	for (k = 0; k < nseg; k++) {
		if ((l = find_label(sc, line_start(seg[k]), &v, &only)) == NULL)
			continue;
		msg_end(sc);
		if (l->field == LF_STOP)
			return;
		if (l->field == LF_MESSAGE) {
			sc->in_msg = 1;
			vote(sc, l->lang);
			sc->out->found++;
			msg_line(sc, v);
			return;
		}
		if (only && k + 1 < nseg)
			v = seg[++k];
		else if (only && k + 1 == nseg &&
		    (next = peek_value(sc, lines, n, i)) != NULL)
			v = next;
		record(sc, l, v);
	}
}

static void
pick_language(struct scan *sc)
{
	int best = -1, i;

	for (i = 0; i < LANGS; i++)
		if (sc->votes[i] > 0 && (best < 0 ||
		    sc->votes[i] > sc->votes[best]))
			best = i;
	sc->out->lang = best >= 0 ? langs[best] : NULL;
}

void
labels_scan(const char *text, const struct label *const *tables,
    struct labels *out)
{
	struct scan sc;
	char *copy, **lines = NULL, *p, *nl;
	size_t n = 0, i;

	memset(out, 0, sizeof(*out));
	out->custom = json_object();
	if (text == NULL)
		return;
	memset(&sc, 0, sizeof(sc));
	sc.tables = tables;
	sc.out = out;
	copy = xstrdup(text);
	for (p = copy; p; p = nl) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		lines = xreallocarray(lines, n + 1, sizeof(*lines));
		lines[n++] = p;
	}
	for (i = 0; i < n; i++)
		scan_line(&sc, lines, n, &i);
	msg_end(&sc);
	pick_language(&sc);
	buf_free(&sc.msg);
	free(lines);
	free(copy);
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

const char *
labels_language(const char *name)
{
	size_t i, n;

	if (name == NULL)
		return NULL;
	while (*name == ' ')
		name++;
	n = strlen(name);
	while (n > 0 && name[n - 1] == ' ')
		n--;
	/* "de", "de-CH", "fr_CH" */
	if ((n == 2 || (n > 2 && (name[2] == '-' || name[2] == '_'))) &&
	    isalpha((unsigned char)name[0]) && isalpha((unsigned char)name[1]))
		for (i = 0; i < LANGS; i++)
			if (strncasecmp(name, langs[i], 2) == 0)
				return langs[i];
	for (i = 0; i < NELEM(language_names); i++)
		if (strlen(language_names[i].name) == n &&
		    strncasecmp(name, language_names[i].name, n) == 0)
			return language_names[i].iso;
	return NULL;
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
labels_apply(const struct labels *l, struct inquiry *q, json_t *custom)
{
	const char *k, *sal;
	json_t *v;
	char *email;
	size_t i;

	if ((sal = l->v[LF_SALUTATION]) != NULL)
		fill(q, "salutation", person_salutation(sal) ?
		    person_salutation(sal) : sal);
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
	fill(q, "language", labels_language(l->v[LF_LANGUAGE]));
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
