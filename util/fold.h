/*
 * Text compared without case, the way labels, patterns and lexicon
 * words are: ASCII and the Latin letters of UTF-8 (Latin-1 and Latin
 * Extended-A: "É" is "é", "Ł" is "ł", "Č" is "č") in lower case; any
 * other byte as it is. No normalisation beyond that ("ß" is not "ss").
 */
#ifndef LG_FOLD_H
#define LG_FOLD_H

#include <stddef.h>

/* The character at *p folded (a code point, or a byte); *p moves past it. */
unsigned fold_char(const char **p);
/*
 * The key of n bytes of s: folded, every run of spaces (also
 * non-breaking ones) one space, none at either end. Written to out
 * (NUL-terminated); returns its length, or (size_t)-1 when it does not
 * fit in size.
 */
size_t fold_key(const char *s, size_t n, char *out, size_t size);
/*
 * fold_key() of every prefix of s at once: the key of its n bytes in out,
 * and in klen[i] (n + 1 of them) the length of the key of its first i
 * bytes, for i where a character starts ((size_t)-1 elsewhere, and past
 * what fits in size). Returns the length of the key written.
 */
size_t fold_key_prefixes(const char *s, size_t n, char *out, size_t size,
    size_t *klen);
/* 1 when a and b are the same text without case (whole strings). */
int fold_eq(const char *a, const char *b);
/*
 * fold_char() with the accents of Latin-1 letters dropped too ("É" and
 * "é" are "e"); for names people type without them (phases, cities).
 */
unsigned fold_bare_char(const char **p);
/* 1 when a and b are the same without case, accents, or extra spaces. */
int fold_bare_eq(const char *a, const char *b);
/* 1 when s is a space (' ' or U+00A0); *len its length in bytes. */
int fold_space(const char *s, size_t *len);

#endif
