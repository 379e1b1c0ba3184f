/*
 * The profiles and the lexicon as one immutable set: every file of
 * etc/lexicon/ and etc/portals/mail/ loaded, checked across
 * files, and indexed once for the lookups each mail needs (labels by
 * their folded text, domains, relays, machine senders, stopwords,
 * language names). Refcounted: the daemon swaps in a new set on SIGHUP
 * while workers finish with the old one.
 *
 * Sources: the label tables are numbered, lexicon files first (file-name
 * order, common.conf among them), then profiles (file-name order). A
 * label search ranks the sources for one mail (parse_data_ranks()).
 */
#ifndef LG_PARSE_DATA_H
#define LG_PARSE_DATA_H

#include <stddef.h>

#include "util/err.h"
#include "parse/labelset.h"
#include "parse/lexicon.h"
#include "parse/profile.h"

struct parse_data;
struct message_words;

/* A label at the start of a segment (a line or a table cell). */
struct label_hit {
	enum label_field field;
	const char *key;	/* LF_CUSTOM: the custom field */
	const char *text;	/* the label as its file writes it */
	const char *value;	/* in the segment, after the separator */
	int only;		/* nothing follows: the value is next */
	int src;		/* the source that decided */
};

/*
 * Load every *.conf of lexicon_dir and of profiles_dir. LG_OK with *out
 * (one reference), or LG_EPERM with every mistake of every file in errs
 * (may be NULL), "FILE:LINE: reason", the first also in e.
 */
int parse_data_load(const char *lexicon_dir, const char *profiles_dir,
    struct parse_data **out, struct err_list *errs, struct err *e);
/* Another reference to pd (returned). */
struct parse_data *parse_data_ref(struct parse_data *pd);
/* Drop a reference; the last one frees. NULL is fine. */
void parse_data_free(struct parse_data *pd);
const char *parse_data_lexicon_dir(const struct parse_data *pd);
const char *parse_data_profiles_dir(const struct parse_data *pd);

size_t parse_data_nlexicons(const struct parse_data *pd);
const struct lexicon *parse_data_lexicon(const struct parse_data *pd,
    size_t i);
/* The index of the lexicon file of lang ("" for common.conf), or -1. */
int parse_data_lexicon_index(const struct parse_data *pd, const char *lang);
size_t parse_data_nprofiles(const struct parse_data *pd);
const struct profile *parse_data_profile(const struct parse_data *pd,
    size_t i);
const struct profile *parse_data_profile_named(const struct parse_data *pd,
    const char *name);
/* The profile whose display, name or domain is name, written loosely. */
const struct profile *parse_data_profile_like(const struct parse_data *pd,
    const char *name);
/* Sources: lexicon files, then profiles. */
size_t parse_data_nsources(const struct parse_data *pd);
int parse_data_profile_source(const struct parse_data *pd,
    const struct profile *p);
const char *parse_data_source_path(const struct parse_data *pd, int src);

/*
 * The profile owning the domain of addr (an address or a domain), its
 * longest matching domain in *len when len is not NULL; NULL if none.
 */
const struct profile *parse_data_domain(const struct parse_data *pd,
    const char *addr, size_t *len);
/* The profile with a relay pattern addr matches, or NULL. */
const struct profile *parse_data_relay(const struct parse_data *pd,
    const char *addr);
/* 1 when the local part of addr is a machine's (machine_senders). */
int parse_data_machine(const struct parse_data *pd, const char *addr);
/* 1 when domain d is one where anyone has a mailbox (mailbox_domains). */
int parse_data_mailbox_domain(const struct parse_data *pd, const char *d);
/*
 * Does subject start with a reply prefix of lang's file ("VS:" in
 * Hungarian, a forward in Danish)? 0 when lang is NULL.
 */
int parse_data_reply_subject(const struct parse_data *pd, const char *lang,
    const char *subject);
/* A word list of every lexicon file together (NULL-terminated). */
const char *const *parse_data_words(const struct parse_data *pd,
    enum lexicon_list l);
/*
 * The word list of lang's file and common.conf together; of every file
 * when lang is NULL or has no file.
 */
const char *const *parse_data_words_for(const struct parse_data *pd,
    const char *lang, enum lexicon_list l);
/* 1 when v is one of the empty values ("k.A.", "n/a", "-"). */
int parse_data_empty(const struct parse_data *pd, const char *v);
/*
 * The ISO 639-1 code a language name or code stands for ("Deutsch",
 * "anglais", "deu", "de-CH", "fr_CH"), or NULL.
 */
const char *parse_data_language_code(const struct parse_data *pd,
    const char *name);
/*
 * The salutation a label value gives, as leads store it: as written
 * when it is one of a file's salutations, else the first spelling of
 * the salutation_forms group that lists it ("Herrn" -> "Herr"), else
 * NULL (not a salutation the lexicon knows).
 */
const char *parse_data_salutation(const struct parse_data *pd,
    const char *v);

/*
 * The search order of label tables for a mail matched to p (or none)
 * in language lang (or none), as leadgate-portals(5), LABELS, says:
 * rank[src] for every source, lower first; -1 for a table not searched
 * (other profiles).
 */
void parse_data_ranks(const struct parse_data *pd, const struct profile *p,
    const char *lang, int *rank);
/*
 * The label the len bytes at seg start with, by rank (then the longer
 * label): 1 with *hit filled, 0 when there is none.
 */
int parse_data_label(const struct parse_data *pd, const int *rank,
    const char *seg, size_t len, struct label_hit *hit);
/*
 * The label the len bytes of text start with, its words alone (what
 * follows is the caller's to check): by rank, then the longest; 1 with
 * *hit and *matched (the bytes it covers), 0 when there is none.
 */
int parse_data_label_at(const struct parse_data *pd, const int *rank,
    const char *text, size_t len, struct label_hit *hit, size_t *matched);
/*
 * The phrases the prospect's words are cut with (message.h): every
 * lexicon file's closings, footers, quote headers, forward markers and
 * greetings, with p's footers and message.start/end when p is not NULL.
 */
const struct message_words *parse_data_message_words(
    const struct parse_data *pd, const struct profile *p);
/*
 * Votes for the language of a mail: for the longest label seg starts
 * with that language files know, one vote for each of those files
 * (votes[lexicon index]). Returns 1 when there was one.
 */
int parse_data_label_votes(const struct parse_data *pd, const char *seg,
    size_t len, int *votes);
/* A word of text: a vote for every file with it among its stopwords. */
void parse_data_stopword_votes(const struct parse_data *pd,
    const char *word, size_t len, int *votes);

#endif
