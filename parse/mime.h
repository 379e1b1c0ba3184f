/*
 * The MIME structure of a message, through libetpan: every leaf part
 * transfer-decoded (and, for text/ parts, converted to UTF-8), and the
 * body a person would read: inline text/plain, else inline text/html,
 * choosing inside multipart/alternative as mail clients do.
 */
#ifndef LG_MIME_H
#define LG_MIME_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"
#include "parse/mail_types.h"

struct mime_result {
	struct mail_part *parts;
	size_t nparts;
	struct buf plain;	/* the inline text/plain bodies, UTF-8 */
	struct buf html;	/* the inline text/html bodies, UTF-8 */
	int has_plain;
	int has_html;
	char *fwd_from_addr;	/* the first inline forwarded message's From */
	char *fwd_from_name;	/* as written (RFC 2047 not decoded) */
	char *fwd_raw;		/* the first embedded message (message/rfc822,
				   inline or attached), headers and body as
				   sent, or NULL */
	size_t fwd_len;
};

/*
 * Parse raw[0..len) (a whole message, headers included) into r. The
 * caller has run precheck_raw() on it; content_types is what that
 * counted. LG_OK, LG_EPERM with a reason, or LG_ETEMP when no parser
 * thread could be started. Defects go to notes.
 */
int mime_parse(const char *raw, size_t len, const struct mail_limits *lim,
    size_t content_types, struct mime_result *r, struct buf *notes,
    struct err *e);
/* Free what r holds (the parts too, unless the caller took them). */
void mime_result_free(struct mime_result *r);
void mime_parts_free(struct mail_part *v, size_t n);

#endif
