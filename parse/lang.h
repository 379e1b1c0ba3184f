/*
 * The language of a short text from its most common words (the
 * lexicon's stopwords): enough to pick the autoreply template for a
 * prospect who wrote a few sentences, and to order the label tables of
 * a mail.
 */
#ifndef LG_LANG_H
#define LG_LANG_H

struct parse_data;

/* Add the stopword votes of text to votes[lexicon index]. */
void lang_votes(const struct parse_data *pd, const char *text, int *votes);
/*
 * The ISO 639-1 code of text, or NULL when it does not say clearly; a
 * text mostly in a script lang_script() knows is in that script's
 * language.
 */
const char *lang_guess(const struct parse_data *pd, const char *text);

/*
 * The language a script says alone (kana: "ja", Hangul: "ko", Han
 * without kana: "zh", Arabic, Hebrew, Greek, Thai, Georgian, Armenian,
 * Devanagari: "hi"), when most letters of text are of it, or the one
 * that letters of its own mark (Persian's and Urdu's in Arabic script);
 * NULL otherwise (Latin and
 * Cyrillic serve many languages: their stopwords decide).
 */
const char *lang_script(const char *text);

#endif
