/*
 * Message composition: the complete RFC 5322 / MIME message from header
 * values, a text body, an optional HTML body and attachments. This is
 * what the spool stores and SMTP sends, byte for byte.
 *
 *   text only            text/plain
 *   text and HTML        multipart/alternative (text first)
 *   with attachments     multipart/mixed around the above, then one
 *                        base64 part per attachment
 *
 * Bodies are UTF-8, quoted-printable; lines end in CRLF, never exceed 76
 * octets in bodies and 998 in headers; no bare CR or LF anywhere. Header
 * values go through headers_add() (headers.h): quoted, encoded, folded,
 * and with CR/LF flattened so nothing can inject a header. The output is
 * deterministic: MIME boundaries derive from a hash of the content, the
 * Message-ID comes from the caller, the Date (unless given) from
 * clock_now(), which LEADGATE_NOW pins.
 */
#ifndef LG_COMPOSE_H
#define LG_COMPOSE_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

#define COMPOSE_MAX_ATTACH_SIZE (20u << 20)	/* bytes per attachment */

struct compose_attachment {
	char *filename;		/* what the recipient sees, UTF-8 */
	char *content_type;	/* NULL: from the file name's extension */
	unsigned char *data;
	size_t len;
};

struct compose_header {
	const char *name;
	const char *value;
};

struct compose_msg {
	/*
	 * In the order they are written. From, To, Subject and Message-ID
	 * are required; Date is added when absent. See headers.h for what
	 * each header accepts.
	 */
	const struct compose_header *headers;
	size_t nheaders;
	const char *text;	/* required, UTF-8 */
	const char *html;	/* NULL: text only */
	const struct compose_attachment *attach;
	size_t nattach;
};

/*
 * Append the message to out. LG_EPERM (out unchanged) for a missing or
 * malformed header, a body that is not UTF-8, or an attachment that is
 * too large or badly named.
 */
int compose_message(const struct compose_msg *m, struct buf *out,
    struct err *e);

/* The MIME type for a file name ("application/pdf"); never NULL. */
const char *compose_content_type(const char *filename);

/* "Tue, 02 Jan 2026 03:04:05 +0000" (RFC 5322, UTC) into out[32]. */
void compose_date(long long t, char *out, size_t len);

void compose_attachment_clear(struct compose_attachment *a);

#endif
