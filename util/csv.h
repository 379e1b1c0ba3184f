/*
 * CSV records as RFC 4180 has them: fields separated by commas, a field
 * in double quotes may hold commas, line breaks and "" for a quote;
 * records end with CRLF or LF. A UTF-8 byte order mark at the start is
 * skipped. Every field must be UTF-8.
 */
#ifndef LG_CSV_H
#define LG_CSV_H

#include <stddef.h>

#include "util/err.h"

struct csv {
	const char *p, *end;	/* what is left of the text */
	size_t line;		/* the line the next record starts on */
};

struct csv_record {
	char **v;		/* the fields, NUL-terminated */
	size_t n;
	size_t line;		/* the line it started on, from 1 */
};

/* Read text[0..len) (borrowed, must outlive r). */
void csv_init(struct csv *r, const char *text, size_t len);
/*
 * The next record into rec (its old fields freed): LG_OK, LG_ENOENT at
 * the end, LG_EPERM for a malformed one (a quote not closed, text after
 * a closing quote, a field not UTF-8), which is skipped: the next call
 * reads on after it. Empty lines are no records.
 */
int csv_next(struct csv *r, struct csv_record *rec, struct err *e);
void csv_record_clear(struct csv_record *rec);

#endif
