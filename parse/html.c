/*
 * A small HTML-to-text converter for mail bodies. It does not build a
 * tree: it walks tags and text once, keeping just enough state (owed
 * line breaks, owed separator, <pre> depth, cells in the row) to lay the
 * text out as the mail client would.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/utf8.h"
#include "util/buf.h"
#include "parse/charset.h"
#include "parse/html.h"

#define TAGNAME_MAX	16
#define ENTITY_MAX	10	/* longest name we know, plus one */
#define META_SCAN	4096

enum tag_kind {
	TAG_INLINE = 0,
	TAG_SKIP,	/* drop the element and everything in it */
	TAG_BLOCK,	/* a line of its own */
	TAG_PARA,	/* a paragraph: a blank line around it */
	TAG_BR,
	TAG_ROW,
	TAG_CELL,
	TAG_PRE,
};

static const struct {
	const char *name;
	enum tag_kind kind;
} tags[] = {
	{ "script", TAG_SKIP }, { "style", TAG_SKIP }, { "head", TAG_SKIP },
	{ "title", TAG_SKIP }, { "template", TAG_SKIP }, { "xml", TAG_SKIP },
	{ "noscript", TAG_SKIP }, { "object", TAG_SKIP },
	{ "p", TAG_PARA }, { "h1", TAG_PARA }, { "h2", TAG_PARA },
	{ "h3", TAG_PARA }, { "h4", TAG_PARA }, { "h5", TAG_PARA },
	{ "h6", TAG_PARA }, { "blockquote", TAG_PARA },
	{ "div", TAG_BLOCK }, { "li", TAG_BLOCK }, { "ul", TAG_BLOCK },
	{ "ol", TAG_BLOCK }, { "dl", TAG_BLOCK }, { "dt", TAG_BLOCK },
	{ "dd", TAG_BLOCK }, { "table", TAG_BLOCK }, { "form", TAG_BLOCK },
	{ "section", TAG_BLOCK }, { "article", TAG_BLOCK },
	{ "header", TAG_BLOCK }, { "footer", TAG_BLOCK }, { "nav", TAG_BLOCK },
	{ "address", TAG_BLOCK }, { "center", TAG_BLOCK },
	{ "fieldset", TAG_BLOCK }, { "hr", TAG_BLOCK }, { "body", TAG_BLOCK },
	{ "caption", TAG_BLOCK }, { "main", TAG_BLOCK }, { "aside", TAG_BLOCK },
	{ "br", TAG_BR }, { "tr", TAG_ROW }, { "td", TAG_CELL },
	{ "th", TAG_CELL }, { "pre", TAG_PRE },
};

static const struct {
	const char *name;
	unsigned cp;
} entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", 0xa0 }, { "shy", 0xad },
	{ "euro", 0x20ac }, { "pound", 0xa3 }, { "yen", 0xa5 },
	{ "cent", 0xa2 }, { "copy", 0xa9 }, { "reg", 0xae },
	{ "trade", 0x2122 }, { "deg", 0xb0 }, { "sect", 0xa7 },
	{ "para", 0xb6 }, { "middot", 0xb7 }, { "bull", 0x2022 },
	{ "hellip", 0x2026 }, { "ndash", 0x2013 }, { "mdash", 0x2014 },
	{ "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "sbquo", 0x201a },
	{ "ldquo", 0x201c }, { "rdquo", 0x201d }, { "bdquo", 0x201e },
	{ "laquo", 0xab }, { "raquo", 0xbb }, { "lsaquo", 0x2039 },
	{ "rsaquo", 0x203a }, { "times", 0xd7 }, { "divide", 0xf7 },
	{ "plusmn", 0xb1 }, { "sup2", 0xb2 }, { "sup3", 0xb3 },
	{ "frac12", 0xbd }, { "frac14", 0xbc }, { "frac34", 0xbe },
	{ "micro", 0xb5 }, { "iexcl", 0xa1 }, { "iquest", 0xbf },
	{ "ordf", 0xaa }, { "ordm", 0xba }, { "szlig", 0xdf },
	{ "Agrave", 0xc0 }, { "Aacute", 0xc1 }, { "Acirc", 0xc2 },
	{ "Atilde", 0xc3 }, { "Auml", 0xc4 }, { "Aring", 0xc5 },
	{ "AElig", 0xc6 }, { "Ccedil", 0xc7 }, { "Egrave", 0xc8 },
	{ "Eacute", 0xc9 }, { "Ecirc", 0xca }, { "Euml", 0xcb },
	{ "Igrave", 0xcc }, { "Iacute", 0xcd }, { "Icirc", 0xce },
	{ "Iuml", 0xcf }, { "Ntilde", 0xd1 }, { "Ograve", 0xd2 },
	{ "Oacute", 0xd3 }, { "Ocirc", 0xd4 }, { "Otilde", 0xd5 },
	{ "Ouml", 0xd6 }, { "Oslash", 0xd8 }, { "Ugrave", 0xd9 },
	{ "Uacute", 0xda }, { "Ucirc", 0xdb }, { "Uuml", 0xdc },
	{ "Yacute", 0xdd }, { "agrave", 0xe0 }, { "aacute", 0xe1 },
	{ "acirc", 0xe2 }, { "atilde", 0xe3 }, { "auml", 0xe4 },
	{ "aring", 0xe5 }, { "aelig", 0xe6 }, { "ccedil", 0xe7 },
	{ "egrave", 0xe8 }, { "eacute", 0xe9 }, { "ecirc", 0xea },
	{ "euml", 0xeb }, { "igrave", 0xec }, { "iacute", 0xed },
	{ "icirc", 0xee }, { "iuml", 0xef }, { "ntilde", 0xf1 },
	{ "ograve", 0xf2 }, { "oacute", 0xf3 }, { "ocirc", 0xf4 },
	{ "otilde", 0xf5 }, { "ouml", 0xf6 }, { "oslash", 0xf8 },
	{ "ugrave", 0xf9 }, { "uacute", 0xfa }, { "ucirc", 0xfb },
	{ "uuml", 0xfc }, { "yacute", 0xfd }, { "yuml", 0xff },
	{ "OElig", 0x152 }, { "oelig", 0x153 }, { "Scaron", 0x160 },
	{ "scaron", 0x161 }, { "Yuml", 0x178 }, { "zwnj", 0x200c },
	{ "zwj", 0x200d }, { "ensp", 0x2002 }, { "emsp", 0x2003 },
	{ "thinsp", 0x2009 },
};

#define NTAGS (sizeof(tags) / sizeof(tags[0]))

struct conv {
	struct buf out;
	/*
	 * Where the next closing tag of each skipped element is (end: there
	 * is none), so that a thousand unclosed <head>s cost one search.
	 */
	const char *close_at[NTAGS];
	const char *body_at;
	int nl;		/* line breaks owed before the next text (max 2) */
	char sep;	/* ' ' or '\t' owed before the next text */
	int pre;	/* inside <pre> */
	int cells;	/* cells opened in this row */
};

static void
owe_lines(struct conv *c, int n)
{
	if (c->nl < n)
		c->nl = n;
	c->sep = 0;
}

static int
at_line_start(const struct conv *c)
{
	return c->out.len == 0 || c->out.data[c->out.len - 1] == '\n';
}

/* Pay what is owed, then write one character of text. */
static void
put(struct conv *c, const char *s, size_t n)
{
	if (c->out.len > 0 && c->nl > 0) {
		while (c->out.len > 0 && c->out.data[c->out.len - 1] == ' ')
			c->out.len--;
		for (; c->nl > 0; c->nl--)
			buf_addc(&c->out, '\n');
	} else if (c->sep && !at_line_start(c)) {
		buf_addc(&c->out, c->sep);
	}
	c->nl = 0;
	c->sep = 0;
	buf_add(&c->out, s, n);
}

static void
text_char(struct conv *c, const char *s, size_t n)
{
	int ws = n == 1 && (*s == ' ' || *s == '\t' || *s == '\n' ||
	    *s == '\r' || *s == '\f');

	/* U+00A0 reads as a space but is collapsed like one. */
	if (n == 2 && (unsigned char)s[0] == 0xc2 &&
	    (unsigned char)s[1] == 0xa0)
		ws = 1;
	if (c->pre) {
		if (*s == '\r')
			return;
		if (*s == '\n') {
			c->nl = c->nl < 2 ? c->nl + 1 : 2;
			return;
		}
		put(c, ws ? " " : s, ws ? 1 : n);
		return;
	}
	if (ws) {
		if (!at_line_start(c) && c->nl == 0 && c->sep != '\t')
			c->sep = ' ';
		return;
	}
	put(c, s, n);
}

size_t
html_entity(const char *s, size_t len, struct buf *out)
{
	char name[ENTITY_MAX];
	unsigned long cp = 0;
	size_t i = 1, k;
	char byte;

	if (len < 3 || s[0] != '&')
		return 0;
	if (s[1] == '#') {
		int hex = i + 1 < len && (s[2] == 'x' || s[2] == 'X');

		for (i = hex ? 3 : 2; i < len && i < 12 &&
		    (hex ? isxdigit((unsigned char)s[i]) :
		    isdigit((unsigned char)s[i])); i++)
			cp = cp * (hex ? 16 : 10) + (unsigned long)(
			    isdigit((unsigned char)s[i]) ? s[i] - '0' :
			    tolower((unsigned char)s[i]) - 'a' + 10);
		if (i == (size_t)(hex ? 3 : 2) || i >= len || s[i] != ';')
			return 0;
		/* As browsers do: &#150; means windows-1252's en dash. */
		if (cp >= 0x80 && cp < 0xa0) {
			byte = (char)cp;
			charset_to_utf8("windows-1252", &byte, 1, out);
		} else {
			charset_put_utf8(out, cp);
		}
		return i + 1;
	}
	for (k = 0; i < len && k + 1 < sizeof(name) &&
	    isalnum((unsigned char)s[i]); i++)
		name[k++] = s[i];
	name[k] = '\0';
	if (i >= len || s[i] != ';')
		return 0;
	for (k = 0; k < sizeof(entities) / sizeof(entities[0]); k++)
		if (strcmp(entities[k].name, name) == 0) {
			charset_put_utf8(out, entities[k].cp);
			return i + 1;
		}
	return 0;
}

/* The index of name in tags[], or -1 for an inline element. */
static int
tag_index(const char *name)
{
	size_t i;

	for (i = 0; i < NTAGS; i++)
		if (strcasecmp(tags[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *
html_find_ci(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (strncasecmp(s + i, needle, n) == 0)
			return s + i;
	return NULL;
}

const char *
html_tag_end(const char *s, const char *end)
{
	char q = 0;

	for (s++; s < end; s++) {
		if (q) {
			if (*s == q)
				q = 0;
		} else if (*s == '"' || *s == '\'') {
			q = *s;
		} else if (*s == '>') {
			return s;
		}
	}
	return NULL;
}

/* The next occurrence of needle at or after p, cached in *at. */
static const char *
find_cached(const char **at, const char *p, const char *end,
    const char *needle)
{
	const char *q;

	if (*at == NULL || (*at != end && *at < p)) {
		q = html_find_ci(p, (size_t)(end - p), needle);
		*at = q ? q : end;
	}
	return *at == end ? NULL : *at;
}

const char *
html_skip_content(const char *name, const char **close_at,
    const char **body_at, const char *p, const char *end)
{
	char close[TAGNAME_MAX + 3];
	const char *q, *gt;

	snprintf(close, sizeof(close), "</%s", name);
	q = find_cached(close_at, p, end, close);
	/* A <head> that is never closed ends where <body> starts, if it does. */
	if (q == NULL && strcmp(name, "head") == 0) {
		q = find_cached(body_at, p, end, "<body");
		return q ? q : p;
	}
	if (q == NULL)
		return end;
	gt = html_tag_end(q, end);
	return gt ? gt + 1 : end;
}
static void
tag_open(struct conv *c, enum tag_kind k)
{
	switch (k) {
	case TAG_PARA:
		owe_lines(c, 2);
		break;
	case TAG_BLOCK:
		owe_lines(c, 1);
		break;
	case TAG_BR:
		c->nl = c->nl < 2 ? c->nl + 1 : 2;
		c->sep = 0;
		break;
	case TAG_ROW:
		owe_lines(c, 1);
		c->cells = 0;
		break;
	case TAG_CELL:
		if (c->cells++ > 0 && c->nl == 0) {
			size_t n = c->out.len;

			while (n > 0 && c->out.data[n - 1] == ' ')
				n--;
			c->sep = n > 0 && c->out.data[n - 1] == ':' ?
			    ' ' : '\t';
		}
		break;
	case TAG_PRE:
		owe_lines(c, 1);
		c->pre++;
		break;
	default:
		break;
	}
}

static void
tag_close(struct conv *c, enum tag_kind k)
{
	switch (k) {
	case TAG_PARA:
		owe_lines(c, 2);
		break;
	case TAG_BLOCK:
	case TAG_ROW:
		owe_lines(c, 1);
		break;
	case TAG_PRE:
		if (c->pre > 0)
			c->pre--;
		owe_lines(c, 1);
		break;
	default:
		break;
	}
}

/* Handle the tag at p ('<'); returns where the text goes on. */
static const char *
tag(struct conv *c, const char *p, const char *end)
{
	char name[TAGNAME_MAX];
	const char *q = p + 1, *gt;
	enum tag_kind k;
	size_t n = 0;
	int closing = 0, idx;

	if (end - p >= 4 && strncmp(p, "<!--", 4) == 0) {
		q = html_find_ci(p + 4, (size_t)(end - p - 4), "-->");
		return q ? q + 3 : end;
	}
	if ((gt = html_tag_end(p, end)) == NULL)
		return end;
	if (*q == '/') {
		closing = 1;
		q++;
	}
	while (q < gt && n + 1 < sizeof(name) &&
	    (isalnum((unsigned char)*q) || *q == ':'))
		name[n++] = *q++;
	name[n] = '\0';
	idx = tag_index(name);
	k = idx < 0 ? TAG_INLINE : tags[idx].kind;
	if (k == TAG_SKIP && !closing && gt[-1] != '/')
		return html_skip_content(tags[idx].name, &c->close_at[idx],
		    &c->body_at, gt + 1, end);
	if (closing)
		tag_close(c, k);
	else
		tag_open(c, k);
	return gt + 1;
}

static int
starts_tag(const char *p, const char *end)
{
	return p + 1 < end && (isalpha((unsigned char)p[1]) || p[1] == '/' ||
	    p[1] == '!' || p[1] == '?');
}

char *
html_to_text(const char *html, size_t len)
{
	struct conv c;
	const char *p = html, *end = html + len;
	struct buf ent = BUF_INIT;
	size_t n;

	memset(&c, 0, sizeof(c));
	buf_reserve(&c.out, len / 2);
	while (p < end) {
		if (*p == '<' && starts_tag(p, end)) {
			p = tag(&c, p, end);
		} else if (*p == '&' &&
		    (n = html_entity(p, (size_t)(end - p), &ent)) > 0) {
			text_char(&c, ent.data, ent.len);
			buf_reset(&ent);
			p += n;
		} else {
			n = utf8_seq_len((unsigned char)*p);
			if (n > (size_t)(end - p))
				n = (size_t)(end - p);
			text_char(&c, p, n);
			p += n;
		}
	}
	buf_free(&ent);
	while (c.out.len > 0 && (c.out.data[c.out.len - 1] == ' ' ||
	    c.out.data[c.out.len - 1] == '\n'))
		c.out.len--;
	if (c.out.data)
		c.out.data[c.out.len] = '\0';
	return buf_detach(&c.out);
}

int
html_meta_charset(const char *html, size_t len, char *cs, size_t size)
{
	const char *p, *end = html + (len < META_SCAN ? len : META_SCAN);
	size_t n = 0;

	for (p = html; (p = html_find_ci(p, (size_t)(end - p), "charset")) != NULL;
	    p += 7) {
		const char *q = p + 7;
		int eq = 0;

		for (; q < end && (*q == ' ' || *q == '='); q++)
			eq |= *q == '=';
		if (!eq)
			continue;
		while (q < end && (*q == '"' || *q == '\''))
			q++;
		for (n = 0; q < end && n + 1 < size &&
		    (isalnum((unsigned char)*q) || *q == '-' || *q == '_' ||
		    *q == '.' || *q == ':'); q++)
			cs[n++] = (char)tolower((unsigned char)*q);
		cs[n] = '\0';
		if (n > 0)
			return 1;
	}
	return 0;
}
