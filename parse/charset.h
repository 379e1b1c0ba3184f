/*
 * Charset conversion to UTF-8. Whatever comes in, valid UTF-8 comes out:
 * jansson and SQLite want nothing else. Invalid sequences and NUL bytes
 * become U+FFFD; an unknown charset is read as windows-1252 so that the
 * text stays readable; the returned flags say what happened.
 */
#ifndef LG_CHARSET_H
#define LG_CHARSET_H

#include <stddef.h>

#include "util/buf.h"

#define CHARSET_UNKNOWN		0x1	/* unknown charset, read as windows-1252 */
#define CHARSET_REPLACED	0x2	/* invalid bytes or NULs became U+FFFD */
#define CHARSET_GUESSED		0x4	/* 8-bit text without a charset: not UTF-8,
					   read as windows-1252 */

/*
 * Append in[0..len) in charset cs to out as UTF-8. cs NULL, "" or
 * us-ascii: UTF-8 when the bytes are valid UTF-8, else windows-1252.
 * Returns CHARSET_* flags (0 when clean).
 */
int charset_to_utf8(const char *cs, const char *in, size_t len,
    struct buf *out);
/* Append in as UTF-8, invalid bytes and NULs as U+FFFD; flags as above. */
int charset_fix_utf8(const char *in, size_t len, struct buf *out);
/* 1 when s[0..len) is valid UTF-8 without NUL bytes. */
int charset_utf8_valid(const char *s, size_t len);
/* Append the UTF-8 encoding of code point c (U+FFFD when not a scalar). */
void charset_put_utf8(struct buf *out, unsigned long c);

#endif
