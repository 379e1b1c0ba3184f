/*
 * HTML for the dashboard and `report --format html`. html_esc() is the one
 * escaper every value passes through on its way into a page (text and
 * attribute values alike: it escapes & < > " '); literal markup goes in
 * with buf_adds(). html_json() draws a JSON value (a view of core/view.h)
 * as nested tables, every key and value escaped.
 */
#ifndef LG_HTML_H
#define LG_HTML_H

#include <jansson.h>

#include "util/buf.h"

/* s escaped (NULL: nothing). */
void html_esc(struct buf *b, const char *s);
/* A long in decimal. */
void html_long(struct buf *b, long long v);
/* v as a table (objects), a list (arrays) or escaped text. */
void html_json(struct buf *b, const json_t *v);
/* The inline style sheet of every page, in <style>. */
void html_style(struct buf *b);

#endif
