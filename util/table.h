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
void table_print(const struct table *t, FILE *out, enum table_format fmt);
void table_free(struct table *t);
/* Display width of UTF-8 text (one column per code point). */
size_t table_width(const char *s);

#endif
