/* Tabular output for the command line: aligned text (UTF-8 aware) or CSV. */
#ifndef LG_TABLE_H
#define LG_TABLE_H

#include <stdio.h>

enum table_format {
	TABLE_TEXT,
	TABLE_CSV,
};

struct table;

struct table *table_new(size_t ncols, const char *const *headers);
/* Right-align a column (numbers). */
void table_align_right(struct table *t, size_t col);
/* Never cut a column's cells (others stop at 60 columns with "…"). */
void table_keep_whole(struct table *t, size_t col);
/* Add one row of ncols values (copied; NULL prints empty). */
void table_add(struct table *t, const char *const *values);
/* Data rows (the header row not counted), and one cell or heading. */
size_t table_nrows(const struct table *t);
size_t table_ncols(const struct table *t);
const char *table_heading(const struct table *t, size_t col);
const char *table_cell_text(const struct table *t, size_t row, size_t col);
/*
 * Order the data rows by cmp over their cells (ncols strings each); rows
 * that compare equal keep their order. Then keep the first n rows.
 */
void table_sort(struct table *t, int (*cmp)(const char *const *,
    const char *const *, void *), void *arg);
void table_truncate(struct table *t, size_t n);
void table_print(const struct table *t, FILE *out, enum table_format fmt);
void table_free(struct table *t);
/* Display width of UTF-8 text (one column per code point). */
size_t table_width(const char *s);

#endif
