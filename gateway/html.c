/* HTML pieces (see html.h). */
#include <stdio.h>
#include <string.h>

#include "gateway/html.h"
#include "templates/mustache.h"

void
html_esc(struct buf *b, const char *s)
{
	if (s != NULL)
		mustache_escape_html(b, s, strlen(s));
}

void
html_long(struct buf *b, long long v)
{
	char n[32];

	snprintf(n, sizeof(n), "%lld", v);
	buf_adds(b, n);
}

/* An array of objects: one table, a column per key of the first. */
static int
json_rows(struct buf *b, const json_t *v)
{
	const json_t *first = json_array_get(v, 0), *row;
	const char *key;
	json_t *x;
	size_t i;

	if (!json_is_object(first))
		return 0;
	for (i = 0; i < json_array_size(v); i++)
		if (!json_is_object(json_array_get(v, i)))
			return 0;
	buf_adds(b, "<div class=\"scroll\"><table><tr>");
	json_object_foreach((json_t *)first, key, x) {
		buf_adds(b, "<th>");
		html_esc(b, key);
		buf_adds(b, "</th>");
	}
	buf_adds(b, "</tr>\n");
	for (i = 0; i < json_array_size(v); i++) {
		row = json_array_get(v, i);
		buf_adds(b, "<tr>");
		json_object_foreach((json_t *)first, key, x) {
			buf_adds(b, "<td>");
			html_json(b, json_object_get(row, key));
			buf_adds(b, "</td>");
		}
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</table></div>\n");
	return 1;
}

void
html_json(struct buf *b, const json_t *v)
{
	const char *key;
	json_t *x;
	size_t i;
	char n[64];

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT:
		buf_adds(b, "<table class=\"kv\">");
		json_object_foreach((json_t *)v, key, x) {
			/* Nothing to show: no row. */
			if (json_is_null(x) || (json_is_object(x) &&
			    json_object_size(x) == 0) || (json_is_array(x) &&
			    json_array_size(x) == 0) || (json_is_string(x) &&
			    *json_string_value(x) == '\0'))
				continue;
			buf_adds(b, "<tr><th>");
			html_esc(b, key);
			buf_adds(b, "</th><td>");
			html_json(b, x);
			buf_adds(b, "</td></tr>\n");
		}
		buf_adds(b, "</table>");
		break;
	case JSON_ARRAY:
		if (json_array_size(v) == 0 || json_rows(b, v))
			break;
		for (i = 0; i < json_array_size(v); i++) {
			if (i)
				buf_adds(b, ", ");
			html_json(b, json_array_get(v, i));
		}
		break;
	case JSON_STRING:
		html_esc(b, json_string_value(v));
		break;
	case JSON_INTEGER:
		html_long(b, (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		snprintf(n, sizeof(n), "%g", json_real_value(v));
		buf_adds(b, n);
		break;
	case JSON_TRUE:
		buf_adds(b, "yes");
		break;
	case JSON_FALSE:
		buf_adds(b, "no");
		break;
	case JSON_NULL:
		break;
	}
}

void
html_style(struct buf *b)
{
	buf_adds(b, "<style>\n"
	    "body{font:15px/1.4 system-ui,sans-serif;margin:0;color:#222;"
	    "background:#f6f7f9}\n"
	    "header{background:#1f3b57;color:#fff;padding:.5em 1em;display:flex;"
	    "flex-wrap:wrap;gap:.3em 1em;align-items:center}\n"
	    "header a{color:#fff;text-decoration:none}header b{margin-right:1em}"
	    "\nheader form{margin-left:auto}\n"
	    "main{padding:1em;max-width:70em}\n"
	    "h1{font-size:1.3em;margin:.2em 0 .6em}h2{font-size:1.1em}\n"
	    "table{border-collapse:collapse;background:#fff;margin:.3em 0}\n"
	    "th,td{border:1px solid #d5d9de;padding:.25em .5em;text-align:left;"
	    "vertical-align:top}\nth{background:#eef1f4}\n"
	    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	    ".scroll{overflow-x:auto;max-width:100%}\n"
	    ".cols{display:flex;flex-wrap:wrap;gap:0 1.5em;align-items:"
	    "flex-start}\n.cols>div{flex:1 1 20em;min-width:0;max-width:48em}\n"
	    ".cols table.kv{width:100%}\n"
	    "form.inline{display:inline}\n"
	    "input,select,button,textarea{font:inherit;padding:.3em;"
	    "margin:.15em 0;max-width:100%}\n"
	    "button{background:#1f3b57;color:#fff;border:0;border-radius:3px;"
	    "padding:.35em .9em}\n"
	    ".msg{background:#fff3cd;border:1px solid #e0c872;padding:.5em}\n"
	    ".err{background:#f8d7da;border:1px solid #d9a0a6;padding:.5em}\n"
	    ".bar{height:.8em;background:#2e7d32;display:inline-block}\n"
	    "svg{max-width:100%;height:auto;background:#fff;margin:.5em 0}\n"
	    "</style>\n");
}
