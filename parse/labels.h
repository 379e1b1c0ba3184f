/*
 * Labelled blocks: the "Vorname: Max", "Téléphone : ...", "E-Mail\tx@y"
 * lines that portal notifications and contact forms are made of.
 * Tolerant of order, case, spacing, bullets, quoting ("> "), label-only
 * lines with the value on the next line, and table rows turned into
 * text by html_to_text(). The message block runs over several lines
 * until the next label or a stop marker (a portal's footer).
 */
#ifndef LG_LABELS_H
#define LG_LABELS_H

#include <stddef.h>

#include <jansson.h>

struct inquiry;

enum label_field {
	LF_NONE = 0,
	LF_SALUTATION,
	LF_FIRST,
	LF_LAST,
	LF_NAME,		/* a whole name, or the last name next to LF_FIRST */
	LF_COMPANY,
	LF_EMAIL,
	LF_PHONE,
	LF_STREET,
	LF_POSTCODE,
	LF_CITY,
	LF_POSTCODE_CITY,	/* "10115 Berlin" */
	LF_ADDRESS,		/* "Musterstr. 1, 10115 Berlin" */
	LF_LANGUAGE,
	LF_MESSAGE,
	LF_OBJECT_REF,
	LF_PORTAL_OBJECT_REF,
	LF_PORTAL_REF,
	LF_CUSTOM,		/* into custom under key */
	LF_STOP,		/* a line starting so ends the message */
	LF_NFIELDS
};

struct label {
	const char *text;	/* "Vorname"; NULL ends a table */
	enum label_field field;
	const char *key;	/* LF_CUSTOM: the key in custom */
	const char *lang;	/* the language the label is written in */
};

#define LABELS_PHONES	8

struct labels {
	char *v[LF_NFIELDS];	/* the first value of each field */
	char *phones[LABELS_PHONES];
	size_t nphones;
	json_t *custom;		/* LF_CUSTOM values (an object) */
	const char *lang;	/* the language most labels were written in */
	int found;		/* labels matched */
};

/* The labels every extractor knows: German, French, Italian, English. */
extern const struct label labels_common[];

/*
 * Scan text with the tables (a NULL-terminated list; earlier tables
 * win). out is filled; free it with labels_free().
 */
void labels_scan(const char *text, const struct label *const *tables,
    struct labels *out);
void labels_free(struct labels *l);
/*
 * Fill the fields q lacks from l: names resolved and split, postcode and
 * city separated, salutation normalised, language names to ISO 639-1,
 * e-mail addresses checked. LF_CUSTOM values are added to custom.
 */
void labels_apply(const struct labels *l, struct inquiry *q, json_t *custom);
/* "Deutsch", "français", "it", "English" -> "de", "fr", ...; NULL if none. */
const char *labels_language(const char *name);

#endif
