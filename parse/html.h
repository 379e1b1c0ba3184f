/*
 * HTML made readable: the text a person would see, so that the portal
 * extractors can read HTML-only notifications like plain ones. Script,
 * style and head are skipped; block elements and <br> end lines; table
 * cells of a row stay on one line ("Label:</td><td>Value" gives
 * "Label: Value", a cell without a colon is followed by a tab); entities
 * are decoded; whitespace collapses.
 */
#ifndef LG_HTML_H
#define LG_HTML_H

#include <stddef.h>

struct buf;

/* html is UTF-8; the result is a new UTF-8 string. */
char *html_to_text(const char *html, size_t len);
/*
 * The charset a <meta> tag in the first kilobytes declares, copied into
 * cs (lower-case); 0 when there is none.
 */
int html_meta_charset(const char *html, size_t len, char *cs, size_t size);
/*
 * Decode one entity at s ("&amp;", "&#233;", "&#x20AC;"): append it to
 * out and return the characters used, or 0 when s starts no entity.
 */
size_t html_entity(const char *s, size_t len, struct buf *out);

/* The tag scanner both HTML readers share (html.c, segment_layout.c). */
/* Case-insensitive search for needle in s[0..len), or NULL. */
const char *html_find_ci(const char *s, size_t len, const char *needle);
/* The '>' ending the tag at s ('<'), quotes respected; NULL if none. */
const char *html_tag_end(const char *s, const char *end);
/*
 * Where the content of a skipped element (script, style, head...) named
 * name ends, from p: after its closing tag. close_at and body_at cache
 * the next closing tag and <body> across calls (NULL at first).
 */
const char *html_skip_content(const char *name, const char **close_at,
    const char **body_at, const char *p, const char *end);

#endif
