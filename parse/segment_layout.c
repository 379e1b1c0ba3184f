/*
 * Text and HTML bodies laid out as units for segment.c. The HTML walk
 * builds no tree: it keeps a stack of the open tables and definition
 * lists (bounded), the line breaks owed, and the text of the unit being
 * written, and lays the body out as a mail client would, each table
 * cell and each <dt>/<dd> apart.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/utf8.h"
#include "util/buf.h"
#include "util/xmalloc.h"
#include "parse/html.h"
#include "parse/segment_layout.h"

#define TAGNAME_MAX	16
#define DEPTH_MAX	32	/* open tables and lists kept track of */
#define UNIT_MAX	65536	/* bytes of one unit; the rest is dropped */

enum tag_kind {
	T_INLINE = 0,
	T_SKIP,		/* the element and its content are not shown */
	T_BLOCK,	/* a line of its own */
	T_PARA,		/* a paragraph: a blank line around it */
	T_QUOTE,	/* <blockquote>: a paragraph, its lines quoted */
	T_PRE,
	T_BR,
	T_HR,
	T_TABLE,
	T_TR,
	T_CELL,
	T_DL,
	T_DT,
	T_DD,
};

static const struct {
	const char *name;
	enum tag_kind kind;
} tags[] = {
	{ "script", T_SKIP }, { "style", T_SKIP }, { "head", T_SKIP },
	{ "title", T_SKIP }, { "template", T_SKIP }, { "xml", T_SKIP },
	{ "noscript", T_SKIP }, { "object", T_SKIP }, { "svg", T_SKIP },
	{ "iframe", T_SKIP },
	{ "p", T_PARA }, { "h1", T_PARA }, { "h2", T_PARA }, { "h3", T_PARA },
	{ "h4", T_PARA }, { "h5", T_PARA }, { "h6", T_PARA },
	{ "blockquote", T_QUOTE }, { "pre", T_PRE },
	{ "div", T_BLOCK }, { "li", T_BLOCK }, { "ul", T_BLOCK },
	{ "ol", T_BLOCK }, { "form", T_BLOCK }, { "section", T_BLOCK },
	{ "article", T_BLOCK }, { "header", T_BLOCK }, { "footer", T_BLOCK },
	{ "nav", T_BLOCK }, { "address", T_BLOCK }, { "center", T_BLOCK },
	{ "fieldset", T_BLOCK }, { "legend", T_BLOCK }, { "body", T_BLOCK },
	{ "caption", T_BLOCK }, { "main", T_BLOCK }, { "aside", T_BLOCK },
	{ "figure", T_BLOCK }, { "figcaption", T_BLOCK },
	{ "br", T_BR }, { "hr", T_HR },
	{ "table", T_TABLE }, { "tr", T_TR }, { "td", T_CELL },
	{ "th", T_CELL },
	{ "dl", T_DL }, { "dt", T_DT }, { "dd", T_DD },
};

#define NTAGS (sizeof(tags) / sizeof(tags[0]))

enum frame_type { F_TABLE, F_DL };

struct frame {
	enum frame_type type;
	unsigned no;		/* table or list number */
	unsigned row, col;	/* F_TABLE: the current row and cell */
	unsigned item;		/* F_DL: the current dt/dd pair */
	int in;			/* in a cell; F_DL: 1 in a dt, 2 in a dd */
	unsigned group;		/* of the cell, dt or dd we are in */
};

struct walk {
	struct seg_layout *l;
	struct buf cur;		/* the unit being written */
	struct seg_unit meta;	/* where it stands (set by its first text) */
	int have;		/* cur has text */
	int space;		/* a space owed before the next text */
	int brk;		/* owed: 1 a new line, 2 a blank line too */
	int stop;		/* the unit limit was reached */
	struct frame st[DEPTH_MAX];
	int depth;
	int over;		/* frames opened beyond DEPTH_MAX */
	int quote;		/* <blockquote> depth */
	int pre;		/* <pre> depth */
	unsigned tables, dls, groups, line;
	const char *close_at[NTAGS];	/* next closing tag of a skipped
					   element (end: none) */
	const char *body_at;
};

static void
push(struct seg_layout *l, const struct seg_unit *u, const char *s,
    size_t n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n] = *u;
	l->v[l->n].s = xstrndup(s, n);
	l->n++;
}

void
segment_layout_free(struct seg_layout *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i].s);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Cut len back to a UTF-8 character boundary. */
static size_t
utf8_floor(const char *s, size_t len)
{
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	return len;
}

static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\f' && s[i] != '\v')
			return 0;
	return 1;
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static int
full(struct seg_layout *l)
{
	if (l->n < l->max)
		return 0;
	l->truncated = 1;
	return 1;
}

/* A line with two cells or more, split at tabs, is a row of cells. */
static void
text_line(struct seg_layout *l, const char *s, size_t n, unsigned line,
    unsigned *groups)
{
	struct seg_unit u;
	const char *p, *tab, *end = s + n;
	size_t cells = 0, k;
	unsigned col = 0;

	memset(&u, 0, sizeof(u));
	u.line = line;
	for (k = 0; k < n && (s[k] == ' ' || s[k] == '\t'); k++)
		;
	u.quoted = k < n && s[k] == '>';
	for (p = s; p <= end; p = tab + 1) {
		if ((tab = memchr(p, '\t', (size_t)(end - p))) == NULL)
			tab = end;
		cells += !blank(p, (size_t)(tab - p));
	}
	if (cells < 2) {
		push(l, &u, s, blank(s, n) ? 0 : n);
		return;
	}
	u.kind = SU_CELL;
	u.row = line;
	for (p = s; p <= end && !full(l); p = tab + 1) {
		const char *c = p;
		size_t cn;

		if ((tab = memchr(p, '\t', (size_t)(end - p))) == NULL)
			tab = end;
		col++;
		cn = (size_t)(tab - p);
		trim(&c, &cn);
		if (cn == 0)
			continue;
		u.col = col;
		u.group = ++*groups;
		push(l, &u, c, cn);
	}
}

void
segment_layout_text(struct seg_layout *l, const char *text, size_t len,
    size_t max_input, size_t max_units)
{
	const char *p, *nl, *end;
	unsigned line = 0, groups = 0;
	size_t n;

	memset(l, 0, sizeof(*l));
	l->max = max_units;
	if (text == NULL)
		return;
	if (len > max_input) {
		len = utf8_floor(text, max_input);
		l->truncated = 1;
	}
	end = text + len;
	for (p = text; p < end && !full(l); p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > UNIT_MAX)
			n = utf8_floor(p, UNIT_MAX);
		text_line(l, p, n, ++line, &groups);
	}
}

/* The HTML walk. */

static struct frame *
top(struct walk *w)
{
	return w->depth > 0 && w->over == 0 ? &w->st[w->depth - 1] : NULL;
}

/* Where text written now stands. */
static void
context(struct walk *w, struct seg_unit *u)
{
	struct frame *f = top(w);

	memset(u, 0, sizeof(*u));
	u->quoted = w->quote > 0;
	if (f == NULL || !f->in)
		return;
	u->group = f->group;
	if (f->type == F_TABLE) {
		u->kind = SU_CELL;
		u->table = f->no;
		u->row = f->row;
		u->col = f->col;
	} else {
		u->kind = f->in == 1 ? SU_DT : SU_DD;
		u->dl = f->no;
		u->item = f->item;
	}
}

static void
unit_push(struct walk *w, const struct seg_unit *u, const char *s, size_t n)
{
	struct seg_unit v = *u;

	if (w->stop || (w->stop = full(w->l)))
		return;
	v.line = ++w->line;
	push(w->l, &v, s, n);
}

/* ":", "-", "=": what stands between a label's cell and its value's. */
static int
separator_cell(const char *s, size_t n)
{
	return n == 1 && (*s == ':' || *s == '-' || *s == '=');
}

/* End the unit being written. */
static void
flush(struct walk *w)
{
	const char *s = w->cur.data;
	size_t n = w->cur.len;

	if (w->have) {
		trim(&s, &n);
		/* A cell of its own for the ":" between label and value. */
		if (!(w->meta.kind == SU_CELL && separator_cell(s, n)))
			unit_push(w, &w->meta, s, n);
	}
	buf_reset(&w->cur);
	w->have = 0;
	w->space = 0;
}

static void
owe(struct walk *w, int n)
{
	flush(w);
	if (w->brk < n)
		w->brk = n;
}

/* A blank line before new text, when it goes on what the last unit says. */
static void
blank_line(struct walk *w, const struct seg_unit *u)
{
	const struct seg_unit *last;

	if (w->l->n == 0)
		return;
	last = &w->l->v[w->l->n - 1];
	if (last->s[0] == '\0' || last->kind != u->kind ||
	    last->group != u->group)
		return;
	unit_push(w, u, "", 0);
}

static void
text(struct walk *w, const char *s, size_t n)
{
	int ws = n == 1 && (*s == ' ' || *s == '\t' || *s == '\n' ||
	    *s == '\r' || *s == '\f');

	if (n == 2 && (unsigned char)s[0] == 0xc2 &&
	    (unsigned char)s[1] == 0xa0)
		ws = 1;
	if (w->pre && n == 1 && (*s == '\n' || *s == '\r')) {
		if (*s == '\n')
			owe(w, w->have ? 1 : 2);
		return;
	}
	if (ws && !w->pre) {
		if (w->have)
			w->space = 1;
		return;
	}
	if (!w->have) {
		context(w, &w->meta);
		if (w->brk == 2)
			blank_line(w, &w->meta);
		w->brk = 0;
		w->have = 1;
	} else if (w->space) {
		buf_addc(&w->cur, ' ');
	}
	w->space = 0;
	if (w->cur.len + n <= UNIT_MAX)
		buf_add(&w->cur, ws ? " " : s, ws ? 1 : n);
}

static int
tag_index(const char *name)
{
	size_t i;

	for (i = 0; i < NTAGS; i++)
		if (strcasecmp(tags[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The '>' ending the tag at s, quotes respected; else the first '>'. */
static const char *
tag_end(const char *s, const char *end)
{
	const char *gt = html_tag_end(s, end);

	return gt ? gt : memchr(s + 1, '>', (size_t)(end - s - 1));
}

static void
frame_push(struct walk *w, enum frame_type t, unsigned no)
{
	struct frame *f;

	if (w->depth == DEPTH_MAX || w->over > 0) {
		w->over++;
		return;
	}
	f = &w->st[w->depth++];
	memset(f, 0, sizeof(*f));
	f->type = t;
	f->no = no;
}

/* Close the innermost frame of type t and those opened inside it. */
static void
frame_pop(struct walk *w, enum frame_type t)
{
	int i;

	if (w->over > 0) {
		w->over--;
		return;
	}
	for (i = w->depth - 1; i >= 0 && w->st[i].type != t; i--)
		;
	if (i < 0)
		return;
	w->depth = i;
	/* What follows in the cell around it is a new group. */
	if (w->depth > 0 && w->st[w->depth - 1].in)
		w->st[w->depth - 1].group = ++w->groups;
}

static void
cell_open(struct walk *w, enum tag_kind k)
{
	struct frame *f = top(w);

	flush(w);
	w->brk = 0;
	if (f == NULL || (k == T_CELL) != (f->type == F_TABLE)) {
		owe(w, 1);
		return;
	}
	if (k == T_CELL) {
		if (f->row == 0)
			f->row = 1;
		f->col++;
		f->in = 1;
	} else {
		if (k == T_DT || f->item == 0)
			f->item++;
		f->in = k == T_DT ? 1 : 2;
	}
	f->group = ++w->groups;
}

static void
tag_open(struct walk *w, enum tag_kind k)
{
	struct frame *f;
	struct seg_unit u;

	switch (k) {
	case T_PARA:
		owe(w, 2);
		break;
	case T_QUOTE:
		owe(w, 2);
		w->quote++;
		break;
	case T_PRE:
		owe(w, 2);
		w->pre++;
		break;
	case T_BLOCK:
		owe(w, 1);
		break;
	case T_BR:
		if (!w->have && w->brk > 0)
			w->brk = 2;
		else
			owe(w, 1);
		break;
	case T_HR:
		/* A rule, as mail clients draw it: it ends a message. */
		owe(w, 1);
		context(w, &u);
		unit_push(w, &u, "---", 3);
		break;
	case T_TABLE:
		owe(w, 1);
		w->brk = 0;
		frame_push(w, F_TABLE, ++w->tables);
		break;
	case T_DL:
		owe(w, 1);
		w->brk = 0;
		frame_push(w, F_DL, ++w->dls);
		break;
	case T_TR:
		flush(w);
		w->brk = 0;
		if ((f = top(w)) != NULL && f->type == F_TABLE) {
			f->row++;
			f->col = 0;
			f->in = 0;
		}
		break;
	case T_CELL:
	case T_DT:
	case T_DD:
		cell_open(w, k);
		break;
	default:
		break;
	}
}

static void
tag_close(struct walk *w, enum tag_kind k)
{
	struct frame *f;

	switch (k) {
	case T_PARA:
		owe(w, 2);
		break;
	case T_QUOTE:
		owe(w, 2);
		if (w->quote > 0)
			w->quote--;
		break;
	case T_PRE:
		owe(w, 2);
		if (w->pre > 0)
			w->pre--;
		break;
	case T_BLOCK:
		owe(w, 1);
		break;
	case T_TABLE:
	case T_DL:
		owe(w, 1);
		frame_pop(w, k == T_TABLE ? F_TABLE : F_DL);
		break;
	case T_TR:
	case T_CELL:
	case T_DT:
	case T_DD:
		flush(w);
		if ((f = top(w)) != NULL)
			f->in = 0;
		break;
	default:
		break;
	}
}

/* The tag at p ('<'); returns where the walk goes on. */
static const char *
tag(struct walk *w, const char *p, const char *end)
{
	char name[TAGNAME_MAX];
	const char *q = p + 1, *gt;
	size_t n = 0;
	int closing = 0, idx;
	enum tag_kind k;

	if (end - p >= 4 && strncmp(p, "<!--", 4) == 0) {
		q = html_find_ci(p + 4, (size_t)(end - p - 4), "-->");
		return q ? q + 3 : end;
	}
	if ((gt = tag_end(p, end)) == NULL)
		return end;
	if (*q == '/') {
		closing = 1;
		q++;
	}
	while (q < gt && n + 1 < sizeof(name) && isalnum((unsigned char)*q))
		name[n++] = *q++;
	name[n] = '\0';
	idx = tag_index(name);
	k = idx < 0 ? T_INLINE : tags[idx].kind;
	if (k == T_SKIP && !closing && gt[-1] != '/')
		return html_skip_content(tags[idx].name, &w->close_at[idx],
		    &w->body_at, gt + 1, end);
	if (closing)
		tag_close(w, k);
	else
		tag_open(w, k);
	return gt + 1;
}

void
segment_layout_html(struct seg_layout *l, const char *html, size_t len,
    size_t max_input, size_t max_units)
{
	struct walk w;
	struct buf ent = BUF_INIT;
	const char *p, *end;
	size_t n;

	memset(l, 0, sizeof(*l));
	l->max = max_units;
	l->html = 1;
	if (html == NULL)
		return;
	if (len > max_input) {
		len = utf8_floor(html, max_input);
		l->truncated = 1;
	}
	memset(&w, 0, sizeof(w));
	w.l = l;
	p = html;
	end = html + len;
	while (p < end && !w.stop) {
		if (*p == '<' && p + 1 < end && (isalpha((unsigned char)p[1]) ||
		    p[1] == '/' || p[1] == '!' || p[1] == '?')) {
			p = tag(&w, p, end);
		} else if (*p == '&' &&
		    (n = html_entity(p, (size_t)(end - p), &ent)) > 0) {
			text(&w, ent.data, ent.len);
			buf_reset(&ent);
			p += n;
		} else {
			n = utf8_seq_len((unsigned char)*p);
			if (n > (size_t)(end - p))
				n = (size_t)(end - p);
			text(&w, p, n);
			p += n;
		}
	}
	flush(&w);
	buf_free(&ent);
	buf_free(&w.cur);
}
