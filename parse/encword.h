/*
 * RFC 2047 encoded words ("=?utf-8?q?M=C3=BCller?=") in header values.
 * Lenient as mail needs: words inside quoted strings or glued to text are
 * decoded too, words split in the middle of a multibyte character join
 * up, raw 8-bit text around them is UTF-8 if valid, else windows-1252.
 * Control characters (CR, LF, NUL, ...) become spaces, so a decoded value
 * can never carry a header line break.
 */
#ifndef LG_ENCWORD_H
#define LG_ENCWORD_H

#include <stddef.h>

#include "util/buf.h"

/* Append the decoded s[0..len) to out; returns CHARSET_* flags. */
int encword_decode(const char *s, size_t len, struct buf *out);
/* The same into a new string (NULL stays NULL); *flags may be NULL. */
char *encword_dup(const char *s, int *flags);

#endif
