/*
 * Layout-aware segmentation of a mail body: the ordered list of what the
 * body is made of, label/value items and plain text lines, read from the
 * text part or from the structure of the HTML part.
 *
 * It recognises "Label: value" lines ("Label : value", "Label：value",
 * "Label*:", after quoting "> ", bullets "- " "• " and indentation),
 * several labels on one line ("Name: Max  Tel: 0171 2345678"), a label
 * alone on its line with the value on the next non-empty line, values
 * over several lines (an address; a message block up to the next label),
 * tab-separated cells, and in HTML: table rows of a label cell and a
 * value cell (<td> or <th>, a trailing colon or not, nested layout
 * tables), header rows over value rows, definition lists (<dt>/<dd>),
 * pairs split by <br> ("<b>Name:</b> Max<br>") and "<p><strong>Label
 * </strong><br>value</p>".
 *
 * Whether a text is a label is the caller's to say (a callback), so this
 * module knows no language. Everything is bounded (input, items, units);
 * malformed HTML gives what can be read, never a crash.
 */
#ifndef LG_SEGMENT_H
#define LG_SEGMENT_H

#include <stddef.h>

struct mail;

/*
 * Does text (not NUL-terminated, len bytes) start with a label? Return
 * the label's field id (> 0) and set *matched_len to the bytes the
 * longest matching label covers; 0 when it starts with none. Called with
 * text starting after quoting, bullets and indentation and ending at the
 * end of its line or cell; what follows the label (a colon, a required
 * mark, spaces, the end) is checked here, so the callback matches the
 * label's words alone. It may be called again with a shorter len when
 * the longest label does not end where a label may end.
 */
typedef int (*segment_label_fn)(void *arg, const char *text, size_t len,
    size_t *matched_len);

/* How far a field's value runs. */
enum seg_shape {
	SEG_VALUE_LINE = 0,	/* one line (or one table cell) */
	SEG_VALUE_LINES,	/* and the short lines below it, up to a blank
				   line (an address) */
	SEG_VALUE_BLOCK,	/* every line up to the next label (a
				   message) */
};

typedef enum seg_shape (*segment_shape_fn)(void *arg, int field);

struct segment_opts {
	segment_label_fn is_label;	/* required */
	segment_shape_fn shape;		/* NULL: every value is one line */
	void *arg;			/* for both callbacks */
	size_t max_input;	/* bytes read; 0: SEGMENT_MAX_INPUT */
	size_t max_items;	/* items made; 0: SEGMENT_MAX_ITEMS */
};

#define SEGMENT_MAX_INPUT	(2u * 1024 * 1024)
#define SEGMENT_MAX_ITEMS	4096

/* How an item's value was found. */
enum seg_kind {
	SEG_TEXT = 0,	/* no label: value is a line as written ("" blank) */
	SEG_INLINE,	/* "Label: value" on one line, or one of several */
	SEG_NEXT,	/* a label alone, the value on the next line(s) */
	SEG_BLOCK,	/* a SEG_VALUE_BLOCK label: the lines up to the next
			   label, as written (quotes, signature and all) */
	SEG_CELL,	/* a table: the label cell and the cell beside it, or
			   the cell below it (a header row over a value row) */
	SEG_DL,		/* <dt>label</dt><dd>value</dd> */
};

#define SEGMENT_WHERE_MAX	96

struct seg_item {
	int field;		/* the callback's id; 0 for SEG_TEXT and for a
				   table or list pair whose label is unknown */
	enum seg_kind kind;
	char *label;		/* as written, without colon and marks; NULL
				   for SEG_TEXT */
	char *value;		/* trimmed (SEG_TEXT: as written); "" when the
				   label has none; '\n' between lines */
	unsigned line;		/* 1-based line of the label (of the text, or of
				   the HTML laid out as text) */
	int html;		/* read from the HTML part */
	int quoted;		/* the line was quoted ("> ", <blockquote>): a
				   label there is an earlier mail's */
	char where[SEGMENT_WHERE_MAX];	/* for parse --explain: "line 12",
				   "line 4 -> line 5", "HTML table 2 row 3 cell
				   1 -> cell 2", "HTML dl 1 item 4" */
};

struct segment {
	struct seg_item *items;
	size_t n;
	int truncated;		/* a limit was reached: the rest is unread */
};

/* Segment a text body (UTF-8): lines, tab-separated cells. */
struct segment *segment_text(const char *text, size_t len,
    const struct segment_opts *o);
/* Segment an HTML body (UTF-8) by its structure. */
struct segment *segment_html(const char *html, size_t len,
    const struct segment_opts *o);
/*
 * Segment a parsed mail: its text part, its HTML part, or when it has
 * both, the one where more labels are found (the text part on a tie).
 * Never NULL; an empty segment for a mail without a body.
 */
struct segment *segment_mail(const struct mail *m,
    const struct segment_opts *o);
void segment_free(struct segment *s);
/* How many items have a known label (field > 0). */
size_t segment_labels(const struct segment *s);
/* The first item of field with a non-empty value, or NULL. */
const struct seg_item *segment_find(const struct segment *s, int field);
/* "text", "inline", "next", "block", "cell", "dl". */
const char *segment_kind_name(enum seg_kind k);

#endif
