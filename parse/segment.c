/*
 * Label/value items out of a laid-out body (segment_layout.h). One pass
 * over the units: a table row is looked at as a whole first (label cell
 * beside its value cell, a header row over a value row), then every unit
 * not taken yet is read as a line ("Label: value", a label alone, text).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "parse/mail_types.h"
#include "parse/segment.h"
#include "parse/segment_layout.h"

#define LABEL_SCAN	256	/* bytes of a line offered to is_label */
#define LABEL_TRIES	4	/* shorter labels tried when one ends badly */
#define INLINE_SCAN	2048	/* longer lines hold one label at most */
#define INLINE_MAX	16	/* labels on one line */
#define ROW_GROUPS	64	/* cells of a row looked at */
#define LINES_MAX	8	/* lines of a SEG_VALUE_LINES value */
#define NEXT_BLANKS	3	/* blank lines between a label and its value */
#define SHORT_WORDS	8	/* a continuation line of an address */
#define SHORT_BYTES	80
#define EXTEND_WORDS	3	/* words before a label that are its own */
#define SENTENCE_WORDS	12	/* more: no value below a label alone */
#define PAIR_WORDS	6	/* an unknown label cell */
#define PAIR_BYTES	60

enum sep {
	SEP_COLON,	/* "Label: value", "Label:" */
	SEP_END,	/* the label is all there is */
	SEP_SPACES,	/* "Label    value", columns */
	SEP_DASH,	/* "Label - value", "Label | value": at a line's start
			   only, never inside another label's value */
};

struct lab {
	int field;
	size_t len;	/* of the label text, trailing spaces off */
	size_t voff;	/* where its value starts */
	enum sep sep;
};

struct sg {
	const struct segment_opts *o;
	const struct seg_layout *l;
	struct segment *out;
	size_t max_items;
	char *used;	/* per unit: taken as a value already */
};

struct group {
	size_t first, n;	/* units */
	size_t lines;		/* non-blank units */
	int pure;		/* a label alone */
	struct lab lab;
};

static const struct {
	enum seg_kind kind;
	const char *name;
} kind_names[] = {
	{ SEG_TEXT, "text" }, { SEG_INLINE, "inline" }, { SEG_NEXT, "next" },
	{ SEG_BLOCK, "block" }, { SEG_CELL, "cell" }, { SEG_DL, "dl" },
};

/*
 * Bullets a line may start with (each followed by a space); "|" starts
 * a row of a text table ("| Name | Max |").
 */
static const char *const bullets[] = {
	"|", "-", "*", "\xe2\x80\xa2", "\xc2\xb7", "\xe2\x80\x93", "\xe2\x97\xa6",
	"\xe2\x96\xaa", "\xe2\x96\xa0", "\xe2\x96\xba", "\xe2\x80\xba",
};

/* Separators left at the end of a value another label follows. */
static const char *const seps[] = {
	"|", "\xc2\xb7", "\xe2\x80\x93", "\xe2\x80\x94", "-", ",", ";", "/",
	"\xe2\x80\xa2",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *
segment_kind_name(enum seg_kind k)
{
	size_t i;

	for (i = 0; i < NELEM(kind_names); i++)
		if (kind_names[i].kind == k)
			return kind_names[i].name;
	return "?";
}

/* Bytes of white space at s: space, tab, U+00A0; 0 when none. */
static size_t
ws(const char *s)
{
	if (*s == ' ' || *s == '\t')
		return 1;
	if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
		return 2;
	return 0;
}

static const char *
skip_ws(const char *s)
{
	size_t n;

	while ((n = ws(s)) > 0)
		s += n;
	return s;
}

static int
is_blank(const char *s)
{
	return *skip_ws(s) == '\0';
}

/*
 * A member of a JSON object on a line of its own, as mail-automation
 * tools paste a submission ("  \"email\": \"ana@example.es\","): a name in
 * quotes, then a colon.
 */
static int
json_member(const char *s)
{
	const char *q;

	s = skip_ws(s);
	if (*s != '"' || (q = strchr(s + 1, '"')) == NULL || q == s + 1)
		return 0;
	return *skip_ws(q + 1) == ':';
}

/* Past indentation, quoting ("> "), bullets and a JSON name's quote. */
static const char *
deco(const char *s)
{
	size_t i, n;
	int again = 1;

	while (again) {
		again = 0;
		s = skip_ws(s);
		if (*s == '>') {
			s++;
			again = 1;
			continue;
		}
		if (json_member(s))
			return s + 1;
		/* A CJK section head: "【お問い合わせ内容】". */
		if (strncmp(s, "\xe3\x80\x90", 3) == 0) {
			s += 3;
			again = 1;
			continue;
		}
		/* Markdown-like bold labels: "**Name:** Max", "__Name__:". */
		if ((s[0] == '*' && s[1] == '*') || (s[0] == '_' &&
		    s[1] == '_')) {
			s += 2;
			again = 1;
			continue;
		}
		for (i = 0; i < NELEM(bullets); i++) {
			n = strlen(bullets[i]);
			/* "■お問合せ内容": no space before a sign of CJK. */
			if (strncmp(s, bullets[i], n) == 0 && (ws(s + n) ||
			    ((unsigned char)*s >= 0x80 &&
			    (unsigned char)s[n] >= 0xe3))) {
				s += n;
				again = 1;
				break;
			}
		}
	}
	return s;
}

/* Past indentation and quoting only: a value line. */
static const char *
unquote(const char *s)
{
	s = skip_ws(s);
	while (*s == '>')
		s = skip_ws(s + 1);
	return s;
}

/* "--", "-- ", "-----", "_____", "=====": a signature or a rule. */
static int
rule_line(const char *s)
{
	size_t n = 0;

	s = skip_ws(s);
	if (strcmp(s, "--") == 0 || strcmp(s, "-- ") == 0)
		return 1;
	for (; *s && *s != ' '; s++, n++)
		if (strchr("-_=*", *s) == NULL)
			return 0;
	return n >= 3 && is_blank(s);
}

/*
 * A dash, a bar, a bullet or an arrow between a label and its value
 * ("Telefon - 0171", "Name | Max", "Nome \xe2\x80\xa2 Rui", "Tel => 0171"),
 * followed by white space or the end: its bytes, or 0. The longer marks
 * come first ("->" before "-").
 */
static size_t
dash_sep(const char *q)
{
	static const char *const dash[] = { "->", "=>", "-", "|", "=",
	    "\xe2\x80\x93", "\xe2\x80\x94", "\xe2\x80\xa2" /* bullet */,
	    "\xc2\xb7" /* middle dot */, "\xc2\xbb" /* >> */,
	    "\xe2\x86\x92" /* arrow */, "\xe2\x96\xb8", "\xe2\x96\xba" };
	size_t i, n;

	for (i = 0; i < NELEM(dash); i++) {
		n = strlen(dash[i]);
		if (strncmp(q, dash[i], n) == 0 && (q[n] == '\0' ||
		    ws(q + n) > 0))
			return n;
	}
	return 0;
}

/* What follows a label of m bytes at p; 0 when no label may end there. */
static int
boundary(const char *p, size_t m, struct lab *out)
{
	const char *q = p + m;
	size_t n, k, spaces = 0;
	int tab = 0;

	while ((n = ws(q)) > 0) {
		tab |= *q == '\t';
		spaces++;
		q += n;
	}
	/* The end of a JSON member's name: "\"email\": ...". */
	if (*q == '"' && *skip_ws(q + 1) == ':')
		q = skip_ws(q + 1);
	/* A required-field mark: "Name*:", "Name *:"; bold: "Name**:". */
	while (*q == '*' || (*q == '_' && q[1] == '_'))
		q = skip_ws(q + (*q == '*' ? 1 : 2));
	if (*q == ':' || strncmp(q, "\xef\xbc\x9a", 3) == 0) {
		q += *q == ':' ? 1 : 3;
		/* The end of a bold label after its colon: "**Name:** Max". */
		while (*q == '*' || (*q == '_' && q[1] == '_'))
			q += *q == '*' ? 1 : 2;
		out->sep = SEP_COLON;
	} else if ((k = dash_sep(q)) > 0 && spaces > 0) {
		/* "Label - value", "Label | value", "| Label | value |". */
		q += k;
		out->sep = SEP_DASH;
	} else if (*q == '\0') {
		out->sep = SEP_END;
	} else if (spaces >= 2 || tab) {
		out->sep = SEP_SPACES;
	} else {
		return 0;
	}
	out->voff = (size_t)(skip_ws(q) - p);
	while (m > 0 && (p[m - 1] == ' ' || p[m - 1] == '\t'))
		m--;
	out->len = m;
	return m > 0;
}

/* The label p starts with, or 0. */
static int
label_at(const struct sg *g, const char *p, struct lab *out)
{
	size_t len = strnlen(p, LABEL_SCAN), m;
	int id, t;

	for (t = 0; t < LABEL_TRIES && len > 0; t++) {
		m = 0;
		id = g->o->is_label(g->o->arg, p, len, &m);
		if (id <= 0 || m == 0 || m > len)
			return 0;
		if (boundary(p, m, out)) {
			out->field = id;
			return 1;
		}
		len = m - 1;
	}
	return 0;
}

static enum seg_shape
shape(const struct sg *g, int field)
{
	return g->o->shape ? g->o->shape(g->o->arg, field) : SEG_VALUE_LINE;
}

static const struct seg_unit *
unit(const struct sg *g, size_t i)
{
	return &g->l->v[i];
}

/* Does unit i start with a label (a line that ends a value)? */
static int
label_unit(const struct sg *g, size_t i, struct lab *lab)
{
	struct lab tmp;

	if (unit(g, i)->kind == SU_DT)
		return 1;
	return label_at(g, deco(unit(g, i)->s), lab ? lab : &tmp);
}

/* "HTML table 2 row 3 cell 1", "line 12 cell 2", "HTML dl 1 item 4". */
static void
place(const struct sg *g, const struct seg_unit *u, char *buf, size_t size)
{
	const char *h = g->l->html ? "HTML " : "";

	switch (u->kind) {
	case SU_CELL:
		if (u->table > 0)
			snprintf(buf, size, "%stable %u row %u cell %u", h,
			    u->table, u->row, u->col);
		else
			snprintf(buf, size, "%sline %u cell %u", h, u->line,
			    u->col);
		break;
	case SU_DT:
	case SU_DD:
		snprintf(buf, size, "%sdl %u item %u", h, u->dl, u->item);
		break;
	default:
		snprintf(buf, size, "%sline %u", h, u->line);
		break;
	}
}

/* The label's place, and the value's when it stands elsewhere. */
static void
where(const struct sg *g, struct seg_item *it, size_t li, long vi,
    size_t vlines)
{
	const struct seg_unit *lu = unit(g, li), *vu;
	char a[SEGMENT_WHERE_MAX], b[SEGMENT_WHERE_MAX];

	place(g, lu, a, sizeof(a));
	if (vi < 0 || (size_t)vi == li) {
		snprintf(it->where, sizeof(it->where), "%s", a);
		return;
	}
	vu = unit(g, (size_t)vi);
	if (vu->kind == lu->kind && vu->group == lu->group)
		snprintf(b, sizeof(b), "line %u", vu->line);
	else if (vu->kind == SU_CELL && lu->kind == SU_CELL &&
	    vu->table == lu->table && vu->row == lu->row)
		snprintf(b, sizeof(b), "cell %u", vu->col);
	else if (vu->kind == SU_CELL && lu->kind == SU_CELL &&
	    vu->table == lu->table && vu->table > 0)
		snprintf(b, sizeof(b), "row %u cell %u", vu->row, vu->col);
	else if (vu->kind == SU_DD && lu->kind == SU_DT)
		snprintf(b, sizeof(b), "dd");
	else
		place(g, vu, b, sizeof(b));
	if (vlines > 1)
		snprintf(it->where, sizeof(it->where), "%s -> %s +%zu", a, b,
		    vlines - 1);
	else
		snprintf(it->where, sizeof(it->where), "%s -> %s", a, b);
}

static struct seg_item *
item_new(struct sg *g)
{
	struct segment *s = g->out;

	if (s->n >= g->max_items) {
		s->truncated = 1;
		return NULL;
	}
	/* Room for 16, then doubled whenever n reaches a power of two. */
	if (s->n == 0 || (s->n >= 16 && (s->n & (s->n - 1)) == 0))
		s->items = xreallocarray(s->items, s->n ? s->n * 2 : 16,
		    sizeof(*s->items));
	memset(&s->items[s->n], 0, sizeof(s->items[0]));
	return &s->items[s->n++];
}

/* Bytes of white space ending s[0..n): space, tab, U+00A0; 0 when none. */
static size_t
ws_before(const char *s, size_t n)
{
	if (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		return 1;
	if (n >= 2 && (unsigned char)s[n - 2] == 0xc2 &&
	    (unsigned char)s[n - 1] == 0xa0)
		return 2;
	return 0;
}

/* Trim white space; at an inline cut, a separator before the next label. */
static void
trim_value(const char **v, size_t *n, int cut)
{
	size_t i, k;
	int again = 1;

	while (*n > 0 && (k = ws(*v)) > 0 && k <= *n) {
		*v += k;
		*n -= k;
	}
	while (again) {
		again = 0;
		while ((k = ws_before(*v, *n)) > 0)
			*n -= k;
		/* The end of a text table's row: "| Name | Max |". */
		if (*n > 1 && (*v)[*n - 1] == '|' && ws_before(*v, *n - 1)) {
			*n -= 1;
			again = 1;
			continue;
		}
		for (i = 0; cut && i < NELEM(seps); i++) {
			k = strlen(seps[i]);
			if (*n > k && memcmp(*v + *n - k, seps[i], k) == 0 &&
			    ws(*v + *n - k - 1)) {
				*n -= k;
				again = 1;
				break;
			}
		}
	}
}

static void
emit(struct sg *g, int field, enum seg_kind kind, const char *label,
    size_t llen, const char *value, size_t vlen, size_t li, long vi,
    size_t vlines)
{
	struct seg_item *it;
	const struct seg_unit *u = unit(g, li);

	if ((it = item_new(g)) == NULL)
		return;
	/* A text table's row: its value without the closing " |". */
	if (value != NULL && *skip_ws(u->s) == '|')
		trim_value(&value, &vlen, 0);
	/* A JSON member's string: without its quotes and the comma after. */
	if (value != NULL && json_member(u->s)) {
		if (vlen > 0 && value[vlen - 1] == ',')
			vlen--;
		if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
			value++;
			vlen -= 2;
		}
	}
	it->field = field;
	it->kind = kind;
	it->label = label ? xstrndup(label, llen) : NULL;
	it->value = xstrndup(value ? value : "", value ? vlen : 0);
	it->line = u->line;
	it->html = g->l->html;
	it->quoted = u->quoted;
	where(g, it, li, vi, vlines);
}

static void
emit_text(struct sg *g, size_t i)
{
	const struct segment *s = g->out;
	const char *v = unit(g, i)->s;

	/* No blank line first, none twice. */
	if (is_blank(v) && (s->n == 0 ||
	    (s->items[s->n - 1].kind == SEG_TEXT &&
	    s->items[s->n - 1].value[0] == '\0')))
		return;
	emit(g, 0, SEG_TEXT, NULL, 0, is_blank(v) ? "" : v,
	    is_blank(v) ? 0 : strlen(v), i, -1, 0);
}

/* Units i.. of one group, non-blank ones joined by '\n'; marks them used. */
static void
take_group(struct sg *g, size_t i, struct buf *b, size_t *lines)
{
	unsigned grp = unit(g, i)->group;
	size_t j;

	for (j = i; j < g->l->n && unit(g, j)->group == grp &&
	    unit(g, j)->kind == unit(g, i)->kind; j++) {
		g->used[j] = 1;
		if (is_blank(unit(g, j)->s) && b->len == 0)
			continue;
		if (b->len > 0)
			buf_addc(b, '\n');
		buf_adds(b, unit(g, j)->s);
		(*lines)++;
	}
	while (b->len > 0 && b->data[b->len - 1] == '\n')
		b->len--;
	if (b->data)
		b->data[b->len] = '\0';
}

/* The length of an unknown label as written, its colon and marks off. */
static size_t
label_len(const char *s)
{
	size_t n = strlen(s);

	for (;;) {
		if (n > 0 && (s[n - 1] == ' ' || s[n - 1] == ':' ||
		    s[n - 1] == '*'))
			n--;
		else if (n >= 3 && memcmp(s + n - 3, "\xef\xbc\x9a", 3) == 0)
			n -= 3;
		else
			return n;
	}
}

/* Words in s, separated by white space. */
static size_t
words(const char *s)
{
	size_t n = 0;

	while (*(s = skip_ws(s)) != '\0') {
		n++;
		while (*s && !ws(s))
			s++;
	}
	return n;
}

/* A short line that goes on a value (an address's next line). */
static int
short_line(const char *s)
{
	size_t n = strlen(s);
	char last;

	if (n == 0 || n > SHORT_BYTES)
		return 0;
	last = s[n - 1];
	if (last == '.' || last == '?' || last == '!' || last == ':')
		return 0;
	return words(s) <= SHORT_WORDS;
}

/* A line that reads as a sentence of the prospect's, not a field's value. */
static int
sentence(const char *s)
{
	size_t n = strlen(s);

	return (n > 0 && s[n - 1] == '?') || words(s) > SENTENCE_WORDS;
}

/* The units after i that go on a SEG_VALUE_LINES value. */
static void
more_lines(struct sg *g, size_t i, struct buf *b, size_t *lines)
{
	size_t j;

	for (j = i + 1; j < g->l->n && *lines < LINES_MAX; j++) {
		const char *s = unquote(unit(g, j)->s);

		if (g->used[j] || is_blank(s) || rule_line(s) ||
		    label_unit(g, j, NULL) || !short_line(s))
			return;
		g->used[j] = 1;
		if (b->len > 0)
			buf_addc(b, '\n');
		buf_adds(b, s);
		(*lines)++;
	}
}

/*
 * A value block: the lines after i up to the next label, as written. A
 * label in a table cell or list item keeps its block there; a value that
 * starts in a cell of its own is that cell.
 */
static void
block(struct sg *g, size_t i, struct buf *b, size_t *lines, long *first)
{
	const struct seg_unit *u = unit(g, i);
	size_t j, keep = b->len, klines = *lines;
	unsigned grp = 0;

	for (j = i + 1; j < g->l->n && !g->used[j] &&
	    is_blank(unit(g, j)->s); j++)
		;
	if (j < g->l->n && !g->used[j] && unit(g, j)->group != 0 &&
	    !label_unit(g, j, NULL) && (b->len == 0 ||
	    unit(g, j)->group == u->group))
		grp = unit(g, j)->group;
	else if (u->group != 0)
		grp = u->group;
	for (j = i + 1; j < g->l->n; j++) {
		const char *s = unit(g, j)->s;

		if (g->used[j] || label_unit(g, j, NULL) ||
		    (grp != 0 && unit(g, j)->group != grp))
			break;
		g->used[j] = 1;
		if (is_blank(s) && b->len == 0)
			continue;
		if (*first < 0)
			*first = (long)j;
		if (b->len > 0)
			buf_addc(b, '\n');
		buf_adds(b, is_blank(s) ? "" : s);
		(*lines)++;
		if (!is_blank(s)) {
			keep = b->len;
			klines = *lines;
		}
	}
	b->len = keep;
	*lines = klines;
	if (b->data)
		b->data[b->len] = '\0';
}

/* A label alone on line i: its value is on the next non-empty line. */
static void
next_value(struct sg *g, size_t i, const struct lab *lab, const char *p)
{
	const struct seg_unit *u = unit(g, i);
	struct buf b = BUF_INIT;
	size_t j, blanks = 0, lines = 0;
	long vi = -1;

	for (j = i + 1; j < g->l->n && !g->used[j]; j++) {
		if (!is_blank(unit(g, j)->s))
			break;
		if (++blanks > NEXT_BLANKS)
			break;
	}
	if (j < g->l->n && !g->used[j] && !is_blank(unit(g, j)->s) &&
	    !rule_line(unit(g, j)->s) && !label_unit(g, j, NULL)) {
		int cell = unit(g, j)->group != 0 &&
		    (unit(g, j)->group != u->group ||
		    unit(g, j)->kind != u->kind);

		/* A form left empty, the prospect's words below: no value. */
		if (!cell && sentence(unquote(unit(g, j)->s))) {
			emit(g, lab->field, SEG_INLINE, p, lab->len, "", 0, i,
			    -1, 0);
			return;
		}
		vi = (long)j;
		if (cell) {
			take_group(g, j, &b, &lines);
		} else {
			g->used[j] = 1;
			buf_adds(&b, unquote(unit(g, j)->s));
			lines = 1;
		}
		if (shape(g, lab->field) == SEG_VALUE_LINES)
			more_lines(g, j, &b, &lines);
	}
	emit(g, lab->field, vi < 0 ? SEG_INLINE : SEG_NEXT, p, lab->len,
	    buf_str(&b), b.len, i, vi, lines);
	buf_free(&b);
}

/* The next label on a line after a value's start: a known one + colon. */
static const char *
next_inline(const struct sg *g, const char *v, struct lab *lab)
{
	const char *q = v;
	size_t n;

	if (strlen(v) > INLINE_SCAN)
		return NULL;
	while (*q) {
		if ((n = ws(q)) == 0) {
			q++;
			continue;
		}
		q = skip_ws(q);
		if (*q && label_at(g, q, lab) && lab->sep == SEP_COLON)
			return q;
	}
	return NULL;
}

/* Is s[0..n) one of the separators? */
static int
is_sep(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < NELEM(seps); i++)
		if (strlen(seps[i]) == n && memcmp(s, seps[i], n) == 0)
			return 1;
	return 0;
}

/*
 * "Funda-ID: 4311 · Jouw kenmerk: DM-118" with only "kenmerk" known: the
 * words between the last separator and the label found at q are the
 * label's too. Returns where the label starts (q when there are none).
 */
static const char *
label_start(const char *v, const char *q)
{
	const char *p = v, *w, *start = q;
	size_t n, after = 0;

	while ((p = skip_ws(p)) < q) {
		for (w = p; *p && !ws(p); p++)
			;
		n = (size_t)(p - w);
		if (is_sep(w, n)) {
			start = skip_ws(p);
			after = 0;
		} else {
			after++;
		}
	}
	return start < q && after <= EXTEND_WORDS ? start : q;
}

/* "Label: value", maybe more labels after it on the line. */
static void
inline_values(struct sg *g, size_t i, struct lab lab, const char *p)
{
	struct lab nxt;
	const char *v = p + lab.voff, *q, *s, *val;
	struct buf b = BUF_INIT;
	size_t k, n, lines;

	for (k = 0; k < INLINE_MAX; k++) {
		q = k + 1 < INLINE_MAX ? next_inline(g, v, &nxt) : NULL;
		if (q != NULL && (s = label_start(v, q)) != q) {
			nxt.len += (size_t)(q - s);
			nxt.voff += (size_t)(q - s);
			q = s;
		}
		val = v;
		n = q ? (size_t)(q - v) : strlen(v);
		trim_value(&val, &n, q != NULL);
		if (q == NULL && shape(g, lab.field) == SEG_VALUE_LINES) {
			buf_add(&b, val, n);
			lines = 1;
			more_lines(g, i, &b, &lines);
			emit(g, lab.field, SEG_INLINE, p, lab.len, buf_str(&b),
			    b.len, i, lines > 1 ? (long)i + 1 : -1, lines);
			buf_reset(&b);
		} else {
			emit(g, lab.field, SEG_INLINE, p, lab.len, val, n, i,
			    -1, 1);
		}
		if (q == NULL)
			break;
		p = q;
		lab = nxt;
		v = p + lab.voff;
	}
	buf_free(&b);
}

/* Unit i read as a line. */
static void
line(struct sg *g, size_t i)
{
	const char *p = deco(unit(g, i)->s);
	struct buf b = BUF_INIT;
	struct lab lab;
	size_t lines = 0;
	long first = -1;

	g->used[i] = 1;
	if (!label_at(g, p, &lab)) {
		emit_text(g, i);
		return;
	}
	/* A JSON member: its value is its string, never more lines. */
	if (json_member(unit(g, i)->s)) {
		if (p[lab.voff] != '{' && p[lab.voff] != '[')
			emit(g, lab.field, SEG_INLINE, p, lab.len, p + lab.voff,
			    strlen(p + lab.voff), i, (long)i, 1);
		return;
	}
	if (shape(g, lab.field) == SEG_VALUE_BLOCK) {
		if (p[lab.voff] != '\0') {
			buf_adds(&b, p + lab.voff);
			lines = 1;
			first = (long)i;
		}
		block(g, i, &b, &lines, &first);
		emit(g, lab.field, SEG_BLOCK, p, lab.len, buf_str(&b), b.len,
		    i, first, lines);
		buf_free(&b);
		return;
	}
	if (p[lab.voff] == '\0')
		next_value(g, i, &lab, p);
	else
		inline_values(g, i, lab, p);
}

/* The groups of the row unit i starts; returns how many. */
static size_t
row_groups(struct sg *g, size_t i, struct group *gr, size_t max)
{
	const struct seg_unit *u0 = unit(g, i), *u;
	size_t j = i, k = 0;

	while (j < g->l->n && k < max) {
		u = unit(g, j);
		if (u->kind != SU_CELL || u->table != u0->table ||
		    u->row != u0->row || g->used[j])
			break;
		memset(&gr[k], 0, sizeof(gr[k]));
		gr[k].first = j;
		for (; j < g->l->n && unit(g, j)->group == u->group &&
		    unit(g, j)->kind == SU_CELL; j++) {
			gr[k].n++;
			gr[k].lines += !is_blank(unit(g, j)->s);
		}
		if (gr[k].lines == 1 && gr[k].n == 1) {
			const char *p = deco(u->s);

			gr[k].pure = label_at(g, p, &gr[k].lab) &&
			    p[gr[k].lab.voff] == '\0';
		}
		k++;
	}
	return k;
}

/* Does a group hold a line starting with a label? */
static int
group_labelled(struct sg *g, const struct group *gr)
{
	size_t j;

	for (j = gr->first; j < gr->first + gr->n; j++)
		if (label_unit(g, j, NULL))
			return 1;
	return 0;
}

static void
pair(struct sg *g, const struct group *lg, const struct group *vg,
    int field, size_t llen)
{
	struct buf b = BUF_INIT;
	size_t lines = 0;
	const char *p = deco(unit(g, lg->first)->s);

	g->used[lg->first] = 1;
	take_group(g, vg->first, &b, &lines);
	emit(g, field, SEG_CELL, p, llen, buf_str(&b), b.len, lg->first,
	    (long)vg->first, lines);
	buf_free(&b);
}

/* A row of labels over a row of as many values (an HTML table). */
static int
header_row(struct sg *g, struct group *gr, size_t n)
{
	struct group vr[ROW_GROUPS];
	size_t k, m, j = gr[n - 1].first + gr[n - 1].n;

	if (n < 2 || j >= g->l->n || unit(g, j)->kind != SU_CELL ||
	    unit(g, j)->table != unit(g, gr[0].first)->table ||
	    unit(g, gr[0].first)->table == 0)
		return 0;
	for (k = 0; k < n; k++)
		if (!gr[k].pure)
			return 0;
	if ((m = row_groups(g, j, vr, ROW_GROUPS)) != n)
		return 0;
	for (k = 0; k < m; k++)
		if (vr[k].pure || group_labelled(g, &vr[k]))
			return 0;
	for (k = 0; k < n; k++)
		pair(g, &gr[k], &vr[k], gr[k].lab.field, gr[k].lab.len);
	return 1;
}

/* A short cell that reads like a label nobody told us of. */
static int
unknown_label(struct sg *g, const struct group *gr)
{
	const char *s = deco(unit(g, gr->first)->s);
	size_t n = strlen(s);

	if (gr->lines != 1 || gr->n != 1 || n == 0 || n > PAIR_BYTES ||
	    words(s) > PAIR_WORDS || !short_line(s) ||
	    label_unit(g, gr->first, NULL))
		return 0;
	return s[n - 1] != ',' && s[n - 1] != ';';
}

/* The row unit i starts: label cells beside their value cells. */
static void
row(struct sg *g, size_t i)
{
	struct group gr[ROW_GROUPS];
	size_t n = row_groups(g, i, gr, ROW_GROUPS), k;
	const char *s;

	if (header_row(g, gr, n))
		return;
	if (n == 2 && !gr[0].pure && !gr[1].pure && unknown_label(g, &gr[0]) &&
	    !group_labelled(g, &gr[1])) {
		s = deco(unit(g, gr[0].first)->s);
		pair(g, &gr[0], &gr[1], 0, label_len(s));
		return;
	}
	for (k = 0; k + 1 < n; k++) {
		if (!gr[k].pure || gr[k + 1].pure)
			continue;
		if (group_labelled(g, &gr[k + 1])) {
			/* "Address" over "Street: ...<br>City: ...". */
			g->used[gr[k].first] = 1;
			continue;
		}
		pair(g, &gr[k], &gr[k + 1], gr[k].lab.field, gr[k].lab.len);
		k++;
	}
}

/* <dt>label</dt><dd>value</dd> (several dd: lines of one value). */
static void
dl_item(struct sg *g, size_t i)
{
	const struct seg_unit *u = unit(g, i);
	struct buf lb = BUF_INIT, vb = BUF_INIT;
	struct lab lab;
	size_t j, lines = 0, ll = 0;
	long vi = -1;
	int field = 0;

	take_group(g, i, &lb, &ll);
	for (j = i; j < g->l->n && g->used[j]; j++)
		;
	while (j < g->l->n && unit(g, j)->kind == SU_DD &&
	    unit(g, j)->dl == u->dl && unit(g, j)->item == u->item) {
		if (vi < 0)
			vi = (long)j;
		if (vb.len > 0)
			buf_addc(&vb, '\n');
		take_group(g, j, &vb, &lines);
		while (j < g->l->n && g->used[j])
			j++;
	}
	if (lb.len > 0 && label_at(g, deco(lb.data), &lab) &&
	    deco(lb.data)[lab.voff] == '\0')
		field = lab.field;
	emit(g, field, SEG_DL, deco(buf_str(&lb)),
	    label_len(deco(buf_str(&lb))), buf_str(&vb), vb.len, i, vi, lines);
	buf_free(&lb);
	buf_free(&vb);
}

static int
row_start(const struct sg *g, size_t i)
{
	const struct seg_unit *u = unit(g, i), *p;

	if (u->kind != SU_CELL)
		return 0;
	if (i == 0)
		return 1;
	p = unit(g, i - 1);
	return p->kind != SU_CELL || p->table != u->table || p->row != u->row;
}

static struct segment *
run(const struct seg_layout *l, const struct segment_opts *o)
{
	struct sg g;
	size_t i;

	memset(&g, 0, sizeof(g));
	g.o = o;
	g.l = l;
	g.out = xcalloc(1, sizeof(*g.out));
	g.out->truncated = l->truncated;
	g.max_items = o->max_items ? o->max_items : SEGMENT_MAX_ITEMS;
	g.used = xcalloc(l->n + 1, 1);
	for (i = 0; i < l->n && g.out->n < g.max_items; i++) {
		if (row_start(&g, i) && !g.used[i])
			row(&g, i);
		if (g.used[i])
			continue;
		if (unit(&g, i)->kind == SU_DT)
			dl_item(&g, i);
		else
			line(&g, i);
	}
	/* Units left unread for the item limit. */
	for (; i < l->n && !g.out->truncated; i++)
		if (!g.used[i] && !is_blank(unit(&g, i)->s))
			g.out->truncated = 1;
	/* No blank line last. */
	while (g.out->n > 0 && g.out->items[g.out->n - 1].kind == SEG_TEXT &&
	    g.out->items[g.out->n - 1].value[0] == '\0') {
		g.out->n--;
		free(g.out->items[g.out->n].value);
	}
	free(g.used);
	return g.out;
}

static size_t
max_input(const struct segment_opts *o)
{
	return o->max_input ? o->max_input : SEGMENT_MAX_INPUT;
}

/* Units at most: a generous multiple of the items. */
static size_t
max_units(const struct segment_opts *o)
{
	return 16 * (o->max_items ? o->max_items : SEGMENT_MAX_ITEMS);
}

struct segment *
segment_text(const char *text, size_t len, const struct segment_opts *o)
{
	struct seg_layout l;
	struct segment *s;

	segment_layout_text(&l, text, len, max_input(o), max_units(o));
	s = run(&l, o);
	segment_layout_free(&l);
	return s;
}

struct segment *
segment_html(const char *html, size_t len, const struct segment_opts *o)
{
	struct seg_layout l;
	struct segment *s;

	segment_layout_html(&l, html, len, max_input(o), max_units(o));
	s = run(&l, o);
	segment_layout_free(&l);
	return s;
}

/* Is m->text the mail's own text part (not its HTML made text)? */
static int
has_plain(const struct mail *m)
{
	size_t i;

	for (i = 0; i < m->nparts; i++)
		if (!m->parts[i].attachment && m->parts[i].content_type &&
		    strcmp(m->parts[i].content_type, "text/plain") == 0)
			return 1;
	return 0;
}

struct segment *
segment_mail(const struct mail *m, const struct segment_opts *o)
{
	struct segment *t = NULL, *h = NULL;

	if (m->text && (has_plain(m) || m->html == NULL))
		t = segment_text(m->text, strlen(m->text), o);
	if (m->html)
		h = segment_html(m->html, strlen(m->html), o);
	if (t && h) {
		if (segment_labels(h) > segment_labels(t)) {
			segment_free(t);
			return h;
		}
		segment_free(h);
		return t;
	}
	if (t || h)
		return t ? t : h;
	return xcalloc(1, sizeof(struct segment));
}

void
segment_free(struct segment *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->items[i].label);
		free(s->items[i].value);
	}
	free(s->items);
	free(s);
}

size_t
segment_labels(const struct segment *s)
{
	size_t i, n = 0;

	for (i = 0; s && i < s->n; i++)
		n += s->items[i].field > 0;
	return n;
}

const struct seg_item *
segment_find(const struct segment *s, int field)
{
	size_t i;

	for (i = 0; s && i < s->n; i++)
		if (s->items[i].field == field && s->items[i].value[0] != '\0')
			return &s->items[i];
	return NULL;
}
