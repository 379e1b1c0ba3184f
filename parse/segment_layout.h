/*
 * A body laid out as the units segment.c reads: lines of text, table
 * cells (a cell with line breaks is several units of one group), <dt>
 * and <dd> lines, each with where it stands. The text part gives lines
 * and tab-separated cells; the HTML part its structure. Only segment.c
 * uses this.
 */
#ifndef LG_SEGMENT_LAYOUT_H
#define LG_SEGMENT_LAYOUT_H

#include <stddef.h>

enum seg_unit_kind {
	SU_TEXT = 0,	/* a line */
	SU_CELL,	/* a line of a table cell (a text line's tab cell) */
	SU_DT,		/* a line of a <dt> */
	SU_DD,		/* a line of a <dd> */
};

struct seg_unit {
	char *s;		/* one line, UTF-8, no '\n'; "" when blank */
	enum seg_unit_kind kind;
	unsigned line;		/* 1-based line in the text (HTML: laid out) */
	unsigned table;		/* SU_CELL: table number, 0 in a text part */
	unsigned row, col;	/* SU_CELL: 1-based (a text part: row = line) */
	unsigned dl, item;	/* SU_DT, SU_DD: list number, dt/dd pair */
	unsigned group;		/* the units of one cell, dt or dd share it;
				   0 for SU_TEXT */
	int quoted;		/* "> " or inside <blockquote> */
};

struct seg_layout {
	struct seg_unit *v;
	size_t n, cap;
	size_t max;		/* units at most */
	int html;
	int truncated;		/* input or unit limit reached */
};

/* Lay out text (len bytes, at most max_input read) in l (zeroed first). */
void segment_layout_text(struct seg_layout *l, const char *text, size_t len,
    size_t max_input, size_t max_units);
void segment_layout_html(struct seg_layout *l, const char *html, size_t len,
    size_t max_input, size_t max_units);
void segment_layout_free(struct seg_layout *l);

#endif
