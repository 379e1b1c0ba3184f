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

#include "util/buf.h"
#include "util/err.h"
#include "parse/extract_env.h"

struct mail;
struct inquiry;
struct parse_data;
struct profile;

struct extract_ctx {
	const struct extract_env *env;
	const struct parse_data *pd;	/* env->data */
	const struct mail *m;
	const struct profile *p;	/* the mail's profile, or NULL */
	const char *lang;		/* the mail's language, or NULL */
	struct inquiry *q;
	json_t *custom;		/* becomes q->custom when not empty */
	struct buf aside;	/* addresses not the prospect's, and why */
	int agency_quoted;	/* it quotes the agency's own mail, or the
				   prospect's own copy of a portal's,
				   under a forward's header block: m's own
				   words are the prospect's, not the quoted
				   ones */
	struct err *e;
};

/*
 * 1 when addr may be the prospect's: a valid address that is no
 * profile's relay or domain, no machine sender, not the agency's own
 * (mail.own_addresses, mail.own_domains, the connector's mailbox). An
 * address refused is noted in x->aside with the reason.
 */
int extractor_usable(struct extract_ctx *x, const char *addr);
/*
 * Take e-mail and name from Reply-To, From, Sender (first usable one)
 * for what q lacks. from_too: From and Sender count (not in a portal's
 * notification that names the prospect in its labels). body: also look
 * for an address in the text when no header gives one.
 */
void extractor_sender(struct extract_ctx *x, int from_too, int body);
/*
 * The sender of a message forwarded inline in text: the first "Label:
 * Name <address>" line within a few lines after a forward marker (or,
 * with quotes, a reply separator: Outlook forwards so). 0 with *addr and
 * *name (NULL when none) new strings, or -1 when there is none.
 */
int extractor_forwarded(const struct parse_data *pd, const char *text,
    int quotes, char **addr, char **name);
/* Split display into the names q lacks (the title goes to custom). */
void extractor_name(struct extract_ctx *x, const char *display);
/*
 * The prospect's language when q has none: Content-Language, else the
 * language of the message (or of the text), else fallback (may be NULL).
 */
void extractor_language(struct extract_ctx *x, const char *fallback);
/*
 * parse --explain (extract_env.h): note a candidate for field (NULL
 * where: none); no-op when not explaining.
 */
void extractor_note(struct extract_ctx *x, const char *field,
    const char *value, const char *from, const char *where);
/*
 * The fields before a step (NULL when not explaining), and after it:
 * every field the step set or changed noted with from (printf format).
 * extractor_marked() frees before.
 */
json_t *extractor_mark(struct extract_ctx *x);
void extractor_marked(struct extract_ctx *x, json_t *before,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

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
