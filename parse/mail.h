/*
 * A parsed e-mail message: headers, the best text body in UTF-8, the HTML
 * body, and every leaf part (attachments included) for the extractors.
 *
 * Parsing untrusted mail is dangerous with Debian's libetpan (see
 * ../shared/LIBS.md §2-§3): mail_parse() checks the raw message first
 * (size, header count, nesting, the known crashing boundary forms) and
 * fails with LG_EPERM and a reason for anything it will not hand to the
 * library. A parse failure is a reason for quarantine, never a crash.
 */
#ifndef LG_MAIL_H
#define LG_MAIL_H

#include <stddef.h>

#include "util/err.h"

struct mail_header {
	char *name;		/* as written */
	char *value;		/* unfolded, not decoded */
};

struct mail_part {
	char *content_type;	/* lower-case "type/subtype" */
	char *charset;		/* lower-case, or NULL */
	char *filename;		/* decoded (RFC 2047 / RFC 2231), or NULL */
	int attachment;		/* Content-Disposition: attachment, or a filename */
	unsigned char *data;	/* transfer-decoded bytes (not charset-converted) */
	size_t len;
	char *text;		/* for text/ parts: data converted to UTF-8 */
};

struct mail_limits {
	size_t max_size;	/* bytes; larger messages are refused */
	size_t max_headers;	/* header fields in the top-level header */
	size_t max_parts;	/* MIME parts in all */
	size_t max_depth;	/* multipart / message nesting */
};

struct mail {
	struct mail_header *headers;
	size_t nheaders;
	/* Convenience copies, decoded to UTF-8 (NULL when absent). */
	char *message_id;	/* without the angle brackets */
	char *subject;
	char *from;		/* the whole From: decoded */
	char *from_addr;	/* the address alone, as written */
	char *from_name;	/* the display name, decoded */
	char *reply_to_addr;
	char *reply_to_name;
	char *sender_addr;
	char *return_path;	/* "" for the null sender <> */
	char *to;
	char *date;
	char *text;		/* text/plain, else HTML made readable, UTF-8 */
	char *html;		/* the HTML body, UTF-8, or NULL */
	struct mail_part *parts;	/* every leaf part, in order */
	size_t nparts;
	char *notes;		/* defects seen ("bad charset x-foo"), or NULL */
	/* Added by the parser: the sender of the first forwarded message
	   shown inline (message/rfc822), or NULL. */
	char *forward_from_addr;
	char *forward_from_name;	/* decoded */
};

void mail_limits_default(struct mail_limits *lim);
int mail_parse(const char *raw, size_t len, const struct mail_limits *lim,
    struct mail **out, struct err *e);
void mail_free(struct mail *m);
/* The first header of that name (case-insensitive), raw; NULL if none. */
const char *mail_header(const struct mail *m, const char *name);
/* Every header of that name, in order: returns how many, fills up to max. */
size_t mail_headers(const struct mail *m, const char *name,
    const char **out, size_t max);

#endif
