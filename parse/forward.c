/*
 * The original inside an agent's forward (forward.h): an embedded
 * message, else a marker and header block in the text; the original is
 * written out as a mail of its own and parsed with mail_parse().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/wild.h"
#include "util/xmalloc.h"
#include "parse/addr.h"
#include "parse/forward.h"
#include "parse/lexicon.h"
#include "parse/mail.h"
#include "parse/parse_data.h"

#define DEPTH_MAX	4	/* forwards of forwards unwrapped */
#define GAP_MAX		3	/* blank lines between marker and block */
#define LABEL_MAX	32	/* bytes of a header label */
#define MARKER_MAX	120	/* bytes of a marker line */
#define RULE_MIN	10	/* "__________": Outlook's rule line */

/* The header lines of a forwarded mail, as they are written again. */
static const struct {
	enum lexicon_list list;
	const char *name;
} headers[] = {
	{ LEX_HEADER_FROM, "From" },
	{ LEX_HEADER_REPLY_TO, "Reply-To" },
	{ LEX_HEADER_SUBJECT, "Subject" },
	{ LEX_HEADER_DATE, "Date" },
	{ LEX_HEADER_TO, "To" },
	{ LEX_HEADER_CC, "Cc" },
};

#define NHEADERS (sizeof(headers) / sizeof(headers[0]))
#define H_FROM 0

struct line {
	const char *s;	/* after the quote marks and leading blanks */
	size_t n;
	const char *raw;	/* the whole line */
	size_t rawn;
	int depth;	/* '>' quote marks */
};

struct lines {
	struct line *v;
	size_t n;
};

static void
split(const char *text, struct lines *L)
{
	const char *p = text, *end;
	struct line *l;
	size_t cap = 0;

	L->v = NULL;
	L->n = 0;
	while (p != NULL && *p) {
		end = p + strcspn(p, "\n");
		if (L->n == cap) {
			cap = cap ? cap * 2 : 64;
			L->v = xreallocarray(L->v, cap, sizeof(*L->v));
		}
		l = &L->v[L->n++];
		l->raw = p;
		l->rawn = (size_t)(end - p) - (end > p && end[-1] == '\r');
		l->s = p;
		l->depth = 0;
		while (l->s < p + l->rawn && (*l->s == '>' || *l->s == ' ' ||
		    *l->s == '\t'))
			l->depth += *l->s++ == '>';
		l->n = (size_t)(p + l->rawn - l->s);
		while (l->n > 0 && (l->s[l->n - 1] == ' ' ||
		    l->s[l->n - 1] == '\t'))
			l->n--;
		p = *end ? end + 1 : NULL;
	}
}

static int
any(const char *const *w, const char *s, size_t n)
{
	for (; w != NULL && *w != NULL; w++)
		if (wild_match(*w, s, n))
			return 1;
	return 0;
}

/* "________________________________" (Outlook web) or "-----". */
static int
rule_line(const struct line *l)
{
	size_t i;

	if (l->n < RULE_MIN)
		return 0;
	for (i = 0; i < l->n; i++)
		if (strchr("-_=", l->s[i]) == NULL)
			return 0;
	return 1;
}

/*
 * The header a "Label: value" line gives ("*Von:* Anna", "De : Anna"),
 * with its value; -1 for any other line.
 */
static int
header_of(const struct parse_data *pd, const struct line *l,
    const char **val, size_t *vn)
{
	const char *colon, *a, *b, *end = l->s + l->n;
	size_t i;

	if (l->n == 0 || (colon = memchr(l->s, ':', l->n < LABEL_MAX ? l->n :
	    LABEL_MAX)) == NULL)
		return -1;
	for (a = l->s; a < colon && (*a == '*' || *a == ' '); a++)
		;
	for (b = colon; b > a && (b[-1] == ' ' || b[-1] == '*' ||
	    b[-1] == '\t'); b--)
		;
	if (b == a)
		return -1;
	for (i = 0; i < NHEADERS; i++) {
		if (!any(parse_data_words(pd, headers[i].list), a,
		    (size_t)(b - a)))
			continue;
		for (a = colon + 1; a < end && (*a == ' ' || *a == '\t' ||
		    *a == '*'); a++)
			;
		*val = a;
		*vn = (size_t)(end - a);
		return (int)i;
	}
	return -1;
}

/* A header block found at line i: the values, and the line after it. */
struct block {
	const char *val[NHEADERS];
	size_t vn[NHEADERS];
	size_t end;
};

/*
 * need_addr: the From line must hold an address (a block standing alone);
 * after a marker or separator, Outlook's "From: Anna Muster" (an address
 * book entry) is enough to know the mail is a forward.
 */
static int
block_at(const struct parse_data *pd, const struct lines *L, size_t i,
    int need_addr, struct block *b)
{
	const char *v;
	size_t vn, count = 0;
	int h;

	memset(b, 0, sizeof(*b));
	while (i < L->n) {
		if (L->v[i].n == 0 && count > 0 && i + 1 < L->n &&
		    header_of(pd, &L->v[i + 1], &v, &vn) >= 0) {
			i++;	/* a blank line between two header lines */
			continue;
		}
		if ((h = header_of(pd, &L->v[i], &v, &vn)) < 0)
			break;
		if (b->val[h] == NULL) {
			b->val[h] = v;
			b->vn[h] = vn;
		}
		count++;
		i++;
	}
	b->end = i;
	return count >= 2 && b->val[H_FROM] != NULL && (!need_addr ||
	    memchr(b->val[H_FROM], '@', b->vn[H_FROM]) != NULL);
}

/* The header block within a few blank lines after line i, if any. */
static int
block_after(const struct parse_data *pd, const struct lines *L, size_t i,
    struct block *b)
{
	size_t j, gap = 0;

	for (j = i + 1; j < L->n && gap <= GAP_MAX; j++) {
		if (L->v[j].n == 0) {
			gap++;
			continue;
		}
		return block_at(pd, L, j, 0, b);
	}
	return 0;
}

static int
forward_subject(const struct parse_data *pd, const char *s)
{
	const char *const *w;

	if (s == NULL)
		return 0;
	while (*s == ' ')
		s++;
	for (w = parse_data_words(pd, LEX_FORWARD_SUBJECTS); *w != NULL; w++)
		if (strncasecmp(s, *w, strlen(*w)) == 0)
			return 1;
	return 0;
}

/*
 * The line the forwarded mail starts at and its header block: a marker
 * (any subject), else with a forward subject a reply separator, a rule
 * line or the block alone. -1 when there is none.
 */
static long
find_block(const struct parse_data *pd, const struct mail *m,
    const struct lines *L, struct block *b)
{
	int fwd = forward_subject(pd, m->subject);
	const struct line *l;
	size_t i;

	for (i = 0; i < L->n; i++) {
		l = &L->v[i];
		if (l->n == 0 || l->n > MARKER_MAX)
			continue;
		if (any(parse_data_words(pd, LEX_FORWARD_MARKERS), l->s, l->n))
			return block_after(pd, L, i, b) ? (long)i : -1;
		if (!fwd)
			continue;
		if ((any(parse_data_words(pd, LEX_QUOTE_HEADERS), l->s, l->n) ||
		    rule_line(l)) && block_after(pd, L, i, b))
			return (long)i;
		if (block_at(pd, L, i, 1, b))
			return (long)i;
	}
	return -1;
}

/* A header value as one clean line; "[mailto:a@b]" becomes "<a@b>". */
static void
add_header(struct buf *out, const char *name, const char *v, size_t n)
{
	size_t i;

	buf_printf(out, "%s: ", name);
	for (i = 0; i < n; i++) {
		if (n - i > 8 && strncasecmp(v + i, "[mailto:", 8) == 0) {
			buf_addc(out, '<');
			i += 7;
		} else if (n - i > 7 && strncasecmp(v + i, "mailto:", 7) == 0) {
			i += 6;
		} else if (v[i] == ']' && memchr(v, '@', i) != NULL) {
			buf_addc(out, '>');
		} else {
			buf_addc(out, (unsigned char)v[i] < 0x20 ? ' ' : v[i]);
		}
	}
	buf_adds(out, "\r\n");
}

/*
 * The quote level of the whole original: the least of its non-blank
 * lines (a client that quotes the forward quotes every line).
 */
static int
body_depth(const struct lines *L, size_t from)
{
	size_t i;
	int d = -1;

	for (i = from; i < L->n; i++)
		if (L->v[i].n > 0 && (d < 0 || L->v[i].depth < d))
			d = L->v[i].depth;
	return d < 0 ? 0 : d;
}

/* Line l without its first depth quote marks (and the space after). */
static void
add_unquoted(struct buf *out, const struct line *l, int depth)
{
	const char *s = l->raw;
	size_t n = l->rawn;
	int d = 0;

	while (d < depth && n > 0 && (*s == '>' || *s == ' ')) {
		d += *s == '>';
		s++;
		n--;
	}
	if (depth > 0 && n > 0 && *s == ' ')
		s++, n--;
	buf_add(out, s, n);
	buf_adds(out, "\r\n");
}

/* The original written as a mail: its header block, then its body. */
static char *
write_original(const struct lines *L, const struct block *b, size_t *len)
{
	struct buf out = BUF_INIT;
	size_t i;
	int depth = body_depth(L, b->end);

	for (i = 0; i < NHEADERS; i++)
		if (b->val[i] != NULL && b->vn[i] > 0)
			add_header(&out, headers[i].name, b->val[i], b->vn[i]);
	buf_adds(&out, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n");
	for (i = b->end; i < L->n; i++)
		add_unquoted(&out, &L->v[i], depth);
	*len = out.len;
	buf_adds(&out, "");
	return buf_detach(&out);
}

static int
is_report(const struct mail *m)
{
	const char *ct = mail_header(m, "Content-Type");

	return ct != NULL && strcasestr(ct, "multipart/report") != NULL;
}

/* One level: the original inside m, or NULL. */
static struct mail *
unwrap(const struct parse_data *pd, const struct mail *m, char *how,
    size_t howlen)
{
	struct mail *orig = NULL;
	struct lines L;
	struct block b;
	struct err e;
	char *raw;
	size_t len;
	long at;

	err_clear(&e);
	if (m->embedded != NULL && mail_parse(m->embedded, m->embedded_len,
	    NULL, &orig, &e) == LG_OK) {
		snprintf(how, howlen, "the embedded message/rfc822 part");
		return orig;
	}
	if (m->text == NULL)
		return NULL;
	split(m->text, &L);
	if ((at = find_block(pd, m, &L, &b)) >= 0) {
		raw = write_original(&L, &b, &len);
		if (mail_parse(raw, len, NULL, &orig, &e) != LG_OK)
			orig = NULL;
		else
			snprintf(how, howlen, "line %ld of the text (the "
			    "forward's marker or header block)", at + 1);
		free(raw);
	}
	free(L.v);
	return orig;
}

int
forward_find(const struct parse_data *pd, const struct mail *m,
    struct forward *f)
{
	struct mail *orig, *inner;
	char how[sizeof(f->how)];

	memset(f, 0, sizeof(*f));
	if (pd == NULL || is_report(m) ||
	    (orig = unwrap(pd, m, f->how, sizeof(f->how))) == NULL)
		return 0;
	f->depth = 1;
	while (f->depth < DEPTH_MAX &&
	    (inner = unwrap(pd, orig, how, sizeof(how))) != NULL) {
		mail_free(orig);
		orig = inner;
		f->depth++;
	}
	f->orig = orig;
	f->by = xstrdup(m->from ? m->from : m->from_addr ? m->from_addr : "");
	f->by_addr = m->from_addr ? xstrdup(m->from_addr) : NULL;
	return 1;
}

size_t
forward_quote_offset(const struct parse_data *pd, const char *text)
{
	struct lines L;
	struct block b;
	size_t i, off = strlen(text);

	split(text, &L);
	for (i = 0; i < L.n; i++)
		if (L.v[i].n > 0 && block_at(pd, &L, i, 1, &b)) {
			off = (size_t)(L.v[i].raw - text);
			break;
		}
	free(L.v);
	return off;
}

void
forward_clear(struct forward *f)
{
	if (f == NULL)
		return;
	mail_free(f->orig);
	free(f->by);
	free(f->by_addr);
	memset(f, 0, sizeof(*f));
}
