/*
 * Body encodings for outgoing mail and the UTF-8 check in front of them.
 * Output lines end in CRLF and never exceed 76 octets; no bare CR or LF
 * ever comes out, whatever goes in.
 */
#ifndef LG_ENCODE_H
#define LG_ENCODE_H

#include <stddef.h>

#include "util/buf.h"

/*
 * 1 when s[len] is well-formed UTF-8 (no overlong forms, surrogates or
 * code points past U+10FFFF); else 0 and *bad (if not NULL) is the offset
 * of the first bad byte.
 */
int encode_utf8_valid(const char *s, size_t len, size_t *bad);

/*
 * Quoted-printable (RFC 2045) of text whose lines end in LF, CRLF or CR;
 * each becomes a CRLF line. A line starting with "." or "From " is
 * protected too, so no relay or mailbox format can mangle it.
 */
void encode_qp(struct buf *out, const char *s, size_t len);

/* Base64 in lines of 76 characters, each ending in CRLF. */
void encode_base64(struct buf *out, const unsigned char *p, size_t len);

#endif
