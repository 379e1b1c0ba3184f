/*
 * Inside the extractors (parse/ only): the context every extractor
 * works in, the entry points the table in extract.c lists, and the
 * helpers they share.
 */
#ifndef LG_EXTRACTOR_H
#define LG_EXTRACTOR_H

#include <stddef.h>

#include <jansson.h>

#include "util/err.h"

struct mail;
struct inquiry;
struct mail_part;

struct extract_ctx {
	const struct mail *m;
	struct inquiry *q;
	json_t *custom;		/* becomes q->custom when not empty */
	struct err *e;
};

/* The generic extractor, and its sender logic as everyone's fallback. */
int generic_extract(struct extract_ctx *x, const char *arg);
/*
 * Take e-mail and name from Reply-To, From, Sender (first usable one,
 * never a machine or a portal) for what q lacks. body: also look for an
 * address in the text when no header gives one.
 */
void generic_sender(struct extract_ctx *x, int from_too, int body);
/* Split display into the names q lacks (the title goes to custom). */
void generic_name(struct extract_ctx *x, const char *display);
/* Language: Content-Language, else a guess from the message or text. */
void generic_language(struct extract_ctx *x);
/* The mail text without signature and quoted reply. */
char *generic_message(const char *text);

int portal_detect(const struct mail *m, const char *arg);
int portal_extract(struct extract_ctx *x, const char *arg);
/* The display name of the portal owning addr, or NULL. */
const char *portal_of_address(const char *addr);
/* The display name for a portal's own name of itself ("immowelt.de"). */
const char *portal_display(const char *name);
/* The language of the portal owning addr ("de"), or NULL. */
const char *portal_language(const char *addr);

int openimmo_detect(const struct mail *m, const char *arg);
int openimmo_extract(struct extract_ctx *x, const char *arg);

int adf_detect(const struct mail *m, const char *arg);
int adf_extract(struct extract_ctx *x, const char *arg);

/*
 * The XML document with root element root in m: an attachment or part
 * whose content sniffs so, or XML inside the text body. *label names
 * where it was found (for errors). NULL when there is none.
 */
const char *extract_find_xml(const struct mail *m, const char *root,
    size_t *len, const char **label);
/* Set custom[key] = value (a string) unless it is there or value NULL. */
void extract_custom(struct extract_ctx *x, const char *key,
    const char *value);

#endif
