/*
 * Patterns with one wildcard: '*' matches any text, also none; the rest
 * is compared without case (util/fold.h). Profiles use them for relays,
 * headers, subjects and message markers, the lexicon for reply
 * separators and machine senders.
 */
#ifndef LG_WILD_H
#define LG_WILD_H

#include <stddef.h>

/* 1 when pat matches all of the n bytes at s. */
int wild_match(const char *pat, const char *s, size_t n);
/* 1 when pat matches a start of the n bytes at s ("Bekijk*" on a line). */
int wild_start(const char *pat, const char *s, size_t n);
/* 1 when pat is one that matches anything ("", "*", "**"). */
int wild_any(const char *pat);

#endif
