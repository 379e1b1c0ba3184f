/*
 * UTF-8 code points and the case of the letters people's names and place
 * names are written in: Latin (ASCII, Latin-1, Latin Extended-A, the
 * Romanian comma letters), Greek and Cyrillic. Changing the case of these
 * never changes a character's length in bytes, so it is done in place.
 */
#ifndef LG_UTF8_H
#define LG_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * The code point at s; *len gets its length in bytes. A byte that does
 * not start a valid sequence is U+FFFD of length 1; at the end of s,
 * 0 of length 0.
 */
uint32_t utf8_decode(const char *s, size_t *len);
/* The bytes of the sequence that lead starts (1 for ASCII or a stray byte). */
size_t utf8_seq_len(unsigned char lead);
int utf8_is_upper(uint32_t c);
int utf8_is_lower(uint32_t c);
/* A letter: a cased one above, or any other letter-like code point. */
int utf8_is_letter(uint32_t c);
/* The other case of c when it keeps the length of c, else c. */
uint32_t utf8_to_upper(uint32_t c);
uint32_t utf8_to_lower(uint32_t c);
/* Lower-case s in place. */
void utf8_lower(char *s);
/*
 * 1 when s has at least two upper-case letters and no lower-case one
 * ("DUPONT", "VOGELSANG-BRÜCK", "O'NEILL"), 0 otherwise ("J.", "Anna").
 */
int utf8_all_caps(const char *s);
/*
 * Title-case s in place: a letter that follows no letter goes upper case,
 * every other lower case ("VOGELSANG-BRÜCK" -> "Vogelsang-Brück",
 * "O'NEILL" -> "O'Neill", "ÅSA" -> "Åsa").
 */
void utf8_title(char *s);
/* Compare a and b without case (of the letters above); like strcmp. */
int utf8_casecmp(const char *a, const char *b);

#endif
