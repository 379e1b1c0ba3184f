/*
 * Labelled blocks: the "Vorname: Max", "Téléphone : ...", "E-Mail\tx@y"
 * lines that portal notifications and contact forms are made of, read
 * with the label tables of the profiles and the lexicon (parse_data.h)
 * in the order one mail's profile and language give. Tolerant of order,
 * case, spacing, bullets, quoting ("> "), label-only lines with the
 * value on the next line, and table rows turned into text by
 * html_to_text(). The message block runs over several lines until the
 * next label, a rule or signature line, a footer, a reply or forward
 * separator, or the profile's message.end.
 */
#ifndef LG_LABELS_H
#define LG_LABELS_H

#include <stddef.h>

#include <jansson.h>

#include "parse/labelset.h"

struct inquiry;
struct parse_data;
struct profile;

#define LABELS_PHONES	8

/* What one mail is read with. */
struct labels_in {
	const struct parse_data *pd;
	const int *rank;		/* parse_data_ranks() */
	const struct profile *p;	/* the matched profile, or NULL */
};

struct labels {
	char *v[LF_NFIELDS];	/* the first value of each field */
	char *phones[LABELS_PHONES];
	size_t nphones;
	json_t *custom;		/* LF_CUSTOM values (an object) */
	int found;		/* labels matched */
};

/* Scan text; out is filled (free it with labels_free()). */
void labels_scan(const char *text, const struct labels_in *in,
    struct labels *out);
void labels_free(struct labels *l);
/*
 * Votes for the language of text: its label texts, each for the
 * language files that have it (votes[lexicon index]). Returns how many
 * labels voted.
 */
int labels_votes(const char *text, const struct parse_data *pd, int *votes);
/*
 * Fill the fields q lacks from l: names resolved and split, postcode and
 * city separated, the salutation as the lexicon stores it, language
 * names to ISO 639-1, e-mail addresses checked. LF_CUSTOM values are
 * added to custom.
 */
void labels_apply(const struct labels *l, const struct parse_data *pd,
    struct inquiry *q, json_t *custom);
/* A line that is a signature or rule line ("-- ", "-----", "_____"). */
int labels_rule_line(const char *s);
/*
 * A line (without its line break) that ends a message: a footer or
 * sign-off of profile p (may be NULL) or of any lexicon file, p's
 * message.end, a reply separator or a forward marker.
 */
int labels_stop_line(const struct parse_data *pd, const struct profile *p,
    const char *s);

#endif
