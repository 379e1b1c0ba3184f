/*
 * One lexicon file, etc/lexicon/LANG.conf (or common.conf): the labels
 * forms and portals print in that language, and the words around them
 * (salutations, titles, particles, greetings, closings, footers, reply
 * and forward separators, stopwords, empty values, machine senders,
 * language names). The format is leadgate-portals(5), THE LEXICON.
 * parse_data.h loads every file of the directory and answers lookups.
 */
#ifndef LG_LEXICON_H
#define LG_LEXICON_H

#include <stddef.h>

#include "util/err.h"
#include "util/settings.h"
#include "parse/labelset.h"

/* The lists of words, each a key of the file of the same name. */
enum lexicon_list {
	LEX_SALUTATIONS,
	LEX_TITLES,
	LEX_PARTICLES,
	LEX_GREETINGS,
	LEX_CLOSINGS,
	LEX_FOOTERS,
	LEX_QUOTE_HEADERS,
	LEX_FORWARD_MARKERS,
	LEX_FORWARD_SUBJECTS,
	LEX_STOPWORDS,
	LEX_EMPTY_VALUES,
	LEX_VIA_WORDS,
	LEX_MACHINE_SENDERS,
	LEX_HEADER_FROM,
	LEX_HEADER_REPLY_TO,
	LEX_HEADER_SUBJECT,
	LEX_HEADER_DATE,
	LEX_HEADER_TO,
	LEX_HEADER_CC,
	LEX_FORM_WORDS,
	LEX_OWN_WORDS,
	LEX_LISTING_WORDS,
	LEX_MAILBOX_DOMAINS,
	LEX_COMPANY_FORMS,
	LEX_NAME_INTROS,
	LEX_REPLY_SUBJECTS,
	LEX_NAME_VERBS,
	LEX_NLISTS
};

struct lexicon {
	char *path;
	char *lang;			/* "de"; "" for common.conf */
	struct labelset ls;
	struct settings_strlist lists[LEX_NLISTS];	/* NULL-terminated */
	struct label_group *names;	/* language_names, by ISO code */
	size_t nnames;
	struct settings_strlist *forms;	/* salutation_forms */
	size_t nforms;
};

/* The settings of a lexicon file (for the docs and checks). */
extern const struct settings_table lexicon_settings;

/*
 * Read and check the file at path (named LANG.conf or common.conf).
 * LG_OK with *out, or LG_EPERM with every mistake reported to rep.
 */
int lexicon_load(const char *path, struct lexicon **out,
    struct err_report *rep);
void lexicon_free(struct lexicon *lx);
/* "closings" for LEX_CLOSINGS. */
const char *lexicon_list_name(enum lexicon_list l);

#endif
