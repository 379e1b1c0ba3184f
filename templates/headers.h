/*
 * Header fields of outgoing mail: the one place where values are checked,
 * quoted, RFC 2047-encoded and folded.
 *
 * Every value is UTF-8. CR, LF, NUL and every other control character in
 * a value become spaces before anything else happens, so no value can
 * start a header of its own (a prospect named "x\r\nBcc: a@b" stays a
 * name). Lines end in CRLF, are folded to 78 octets where the value
 * allows and never exceed 998: a word too long for a line is carried in
 * encoded words, which may be split anywhere.
 *
 * What a header may hold depends on its name:
 *   From, To, Cc, Reply-To, Sender   one mailbox, "Name <addr>" or "addr";
 *                                    the name is quoted or encoded as
 *                                    needed, the address must be ASCII
 *   Message-ID                       one <id@domain>
 *   In-Reply-To, References          a list of <id@domain>
 *   Date, Auto-Submitted, Precedence, X-Auto-Response-Suppress,
 *   List-Unsubscribe, List-Unsubscribe-Post, Content-Language
 *                                    ASCII only, never encoded
 *   MIME-Version, Content-Type, Content-Transfer-Encoding,
 *   Content-Disposition, Bcc         refused: compose writes the first
 *                                    four itself, and Bcc never goes into
 *                                    a message
 *   anything else (Subject, X-...)   free text, encoded when not plain ASCII
 * A value that does not fit its header is LG_EPERM, naming the header.
 */
#ifndef LG_HEADERS_H
#define LG_HEADERS_H

#include "util/buf.h"
#include "util/err.h"

#define HEADERS_AIM 78		/* fold lines to this length when possible */
#define HEADERS_MAX 998		/* RFC 5322: never longer than this */

/* Append "Name: value" CRLF to out (nothing on error). */
int headers_add(struct buf *out, const char *name, const char *value,
    struct err *e);

/*
 * A mailbox value for From/To from a display name (NULL or "" for none)
 * and an address, the name quoted so that nothing in it reads as an
 * address or a separator. Caller frees.
 */
char *headers_mailbox(const char *name, const char *addr);

/* Split one mailbox into *name ("" when none) and *addr; caller frees both. */
int headers_parse_mailbox(const char *value, char **name, char **addr,
    struct err *e);

/* 1 when addr is an address leadgate can send to (ASCII addr-spec). */
int headers_addr_ok(const char *addr);

/*
 * Append ";" CRLF SP attr="value" to a header being written (RFC 2231
 * attr*=UTF-8''%XX... when value is not plain ASCII). LG_EPERM when value
 * is over 255 bytes or not UTF-8.
 */
int headers_param(struct buf *out, const char *attr, const char *value,
    struct err *e);

#endif
