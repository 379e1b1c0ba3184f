/*
 * A guess at the language of a short text (German, French, Italian or
 * English) from its most common words: enough to pick the autoreply
 * template for a prospect who wrote a few sentences.
 */
#ifndef LG_LANG_H
#define LG_LANG_H

/* "de", "fr", "it", "en", or NULL when the text does not say clearly. */
const char *lang_guess(const char *text);

#endif
