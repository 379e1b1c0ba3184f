/*
 * The parsed message as data: struct mail, its header fields and leaf
 * parts, and the limits a parse runs under. The parser's pieces (header,
 * mime, precheck) fill these; mail.h is the front that runs them and the
 * one place that includes them all.
 */
#ifndef LG_MAIL_TYPES_H
#define LG_MAIL_TYPES_H

#include <stddef.h>

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
	char *embedded;		/* the first embedded message/rfc822 as
				   sent (headers and body), or NULL */
	size_t embedded_len;
};

#endif
