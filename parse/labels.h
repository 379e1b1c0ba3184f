/*
 * Labelled blocks: the "Vorname: Max", "Téléphone : ...", "E-Mail\tx@y"
 * lines, HTML tables and lists that portal notifications and contact
 * forms are made of, segmented by segment.h with the label tables of the
 * profiles and the lexicon (parse_data.h) in the order one mail's profile
 * and language give, and what they say about the prospect.
 */
#ifndef LG_LABELS_H
#define LG_LABELS_H

#include <stddef.h>

#include <jansson.h>

#include "parse/labelset.h"

struct inquiry;
struct mail;
struct segment;
struct parse_data;
struct profile;

#define LABELS_PHONES	8

/* What one mail is read with. */
struct labels_in {
	const struct parse_data *pd;
	const int *rank;		/* parse_data_ranks() */
	const struct profile *p;	/* the matched profile, or NULL */
	int forwarded;		/* a forward: quoted labels are the prospect's */
	json_t *explain;	/* parse --explain (extract_env.h), or NULL */
	const char *brand;	/* the sender's (brand.h), or NULL */
};

struct labels {
	char *v[LF_NFIELDS];	/* the first value of each field */
	char *phones[LABELS_PHONES];
	size_t nphones;
	json_t *custom;		/* LF_CUSTOM values (an object) */
	int found;		/* labels matched */
	int ref_own;		/* object_ref's label addresses the agency */
	int portal_guess;	/* portal_object_ref is the other reference */
};

/*
 * Segment m (segment.h) with the label tables of in; out is filled
 * with the first value of each field found outside quotes (every
 * phone), empty values left out (free it with labels_free()). The
 * message is not taken here: it is message.h's to cut from the segment
 * returned (the caller frees it).
 */
struct segment *labels_segment(const struct mail *m,
    const struct labels_in *in, struct labels *out);
void labels_free(struct labels *l);
/*
 * Votes for the language of text: its label texts, each for the
 * language files that have it (votes[lexicon index]). Returns how many
 * labels voted.
 */
int labels_votes(const char *text, const struct parse_data *pd, int *votes);
/*
 * Fill the fields q lacks from l: names resolved and split (person.h,
 * the words of lang), addresses by country order (postal.h, country the
 * portal's hint, may be NULL), numbers found in phone values (phone.h), the salutation as the lexicon stores it, language
 * names to ISO 639-1, e-mail addresses checked. LF_CUSTOM values are
 * added to custom.
 */
void labels_apply(const struct labels *l, const struct parse_data *pd,
    const char *country, const char *lang, struct inquiry *q, json_t *custom);
/*
 * The phone numbers in the prospect's own text (their message) added to
 * q (phone.h finds them).
 */
void labels_phones_in(struct inquiry *q, const char *text);
/*
 * The references q lacks, written inline in text ("(ref. MB-V-207)",
 * "tu referencia MAD-CH-221", "Advert ID 2024... · Stock ID GM-T3-4"):
 * a label of object_ref or portal_object_ref at any word, then a token
 * with a digit.
 */
void labels_inline_refs(const struct labels_in *in, const char *text,
    struct inquiry *q);
/*
 * A reference in a subject by its shape alone: capitals and digits in
 * groups joined by '-' ("RSI-DHH-31", "6271-0045"), not a date; a new
 * string, or NULL.
 */
char *labels_subject_ref(const char *subject);

/*
 * The same in len bytes of a person's text, where numbers abound: only
 * a reference with a capital letter too ("RB-0417", "TO-552"), never
 * digits alone (a phone number, a date, "24-118873"); NULL when none.
 */
char *labels_text_ref(const char *text, size_t len);
#endif
