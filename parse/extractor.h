/*
 * Inside the extractors (parse/ only): the context every extractor works
 * in and the helpers they share. Each extractor (generic.h, portal.h,
 * openimmo.h, adf.h) builds on these; extract.c, on top, lists them in
 * its table. Nothing here calls an extractor.
 */
#ifndef LG_EXTRACTOR_H
#define LG_EXTRACTOR_H

#include <stddef.h>

#include <jansson.h>

#include "util/err.h"

struct mail;
struct inquiry;

struct extract_ctx {
	const struct mail *m;
	struct inquiry *q;
	json_t *custom;		/* becomes q->custom when not empty */
	struct err *e;
};

/*
 * Take e-mail and name from Reply-To, From, Sender (first usable one,
 * never a machine or a portal) for what q lacks. body: also look for an
 * address in the text when no header gives one.
 */
void extractor_sender(struct extract_ctx *x, int from_too, int body);
/* Split display into the names q lacks (the title goes to custom). */
void extractor_name(struct extract_ctx *x, const char *display);
/* Language: Content-Language, else a guess from the message or text. */
void extractor_language(struct extract_ctx *x);
/* The mail text without signature and quoted reply. */
char *extractor_message(const char *text);

/*
 * The XML document with root element root in m: an attachment or part
 * whose content sniffs so, or XML inside the text body. *label names
 * where it was found (for errors). NULL when there is none.
 */
const char *extractor_find_xml(const struct mail *m, const char *root,
    size_t *len, const char **label);
/* Set custom[key] = value (a string) unless it is there or value NULL. */
void extractor_custom(struct extract_ctx *x, const char *key,
    const char *value);

#endif
