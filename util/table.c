#include <stdlib.h>
#include <string.h>

#include "util/table.h"
#include "util/xmalloc.h"

#define TABLE_MAX_CELL 60	/* longer cells are cut with an ellipsis */

struct table {
	size_t ncols;
	char **cells;		/* row-major, headers first */
	size_t nrows;		/* including the header row */
	int *right;
	int *whole;		/* columns never cut */
};

struct table *
table_new(size_t ncols, const char *const *headers)
{
	struct table *t = xcalloc(1, sizeof(*t));

	t->ncols = ncols;
	t->right = xcalloc(ncols, sizeof(int));
	t->whole = xcalloc(ncols, sizeof(int));
	table_add(t, headers);
	return t;
}

void
table_align_right(struct table *t, size_t col)
{
	if (col < t->ncols)
		t->right[col] = 1;
}

void
table_keep_whole(struct table *t, size_t col)
{
	if (col < t->ncols)
		t->whole[col] = 1;
}

void
table_add(struct table *t, const char *const *values)
{
	size_t i;

	t->cells = xreallocarray(t->cells, (t->nrows + 1) * t->ncols,
	    sizeof(char *));
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = xstrdup(values[i] ?
		    values[i] : "");
	t->nrows++;
}

size_t
table_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

/* Cut at a code point boundary so the cell fits; newlines become spaces. */
static char *
table_cell(const char *s, int whole)
{
	size_t w = 0, i;
	char *out = xstrdup(s);

	for (i = 0; out[i]; i++) {
		if (out[i] == '\n' || out[i] == '\r' || out[i] == '\t')
			out[i] = ' ';
		if (!whole && ((unsigned char)out[i] & 0xc0) != 0x80 &&
		    ++w > TABLE_MAX_CELL - 1 && table_width(s) > TABLE_MAX_CELL) {
			strcpy(out + i, "\xe2\x80\xa6");	/* … */
			break;
		}
	}
	return out;
}

static void
table_print_text(const struct table *t, FILE *out)
{
	size_t *width = xcalloc(t->ncols, sizeof(size_t));
	size_t r, c, w, pad;
	char *cell;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			cell = table_cell(t->cells[r * t->ncols + c], t->whole[c]);
			if ((w = table_width(cell)) > width[c])
				width[c] = w;
			free(cell);
		}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			cell = table_cell(t->cells[r * t->ncols + c], t->whole[c]);
			pad = width[c] - table_width(cell);
			if (t->right[c])
				fprintf(out, "%*s%s", (int)pad, "", cell);
			else if (c + 1 < t->ncols)
				fprintf(out, "%s%*s", cell, (int)pad, "");
			else
				fputs(cell, out);
			fputs(c + 1 < t->ncols ? "  " : "\n", out);
			free(cell);
		}
	}
	free(width);
}

size_t
table_nrows(const struct table *t)
{
	return t->nrows - 1;
}

size_t
table_ncols(const struct table *t)
{
	return t->ncols;
}

const char *
table_heading(const struct table *t, size_t col)
{
	return col < t->ncols ? t->cells[col] : NULL;
}

const char *
table_cell_text(const struct table *t, size_t row, size_t col)
{
	if (row + 1 >= t->nrows || col >= t->ncols)
		return NULL;
	return t->cells[(row + 1) * t->ncols + col];
}

struct table_sort_ctx {
	int (*cmp)(const char *const *, const char *const *, void *);
	void *arg;
};

/* Rows are pointers into the cells; ties go by position (stable). */
static int
table_row_cmp(const void *a, const void *b, void *arg)
{
	char **const *ra = a, **const *rb = b;
	const struct table_sort_ctx *ctx = arg;
	int r;

	r = ctx->cmp((const char *const *)*ra, (const char *const *)*rb,
	    ctx->arg);
	if (r != 0)
		return r;
	return *ra < *rb ? -1 : *ra > *rb;
}

void
table_sort(struct table *t, int (*cmp)(const char *const *,
    const char *const *, void *), void *arg)
{
	struct table_sort_ctx ctx = { cmp, arg };
	size_t n = t->nrows - 1, i;
	char ***rows, **cells;

	if (n < 2)
		return;
	rows = xreallocarray(NULL, n, sizeof(*rows));
	for (i = 0; i < n; i++)
		rows[i] = t->cells + (i + 1) * t->ncols;
	qsort_r(rows, n, sizeof(*rows), table_row_cmp, &ctx);
	cells = xreallocarray(NULL, t->nrows * t->ncols, sizeof(char *));
	memcpy(cells, t->cells, t->ncols * sizeof(char *));
	for (i = 0; i < n; i++)
		memcpy(cells + (i + 1) * t->ncols, rows[i],
		    t->ncols * sizeof(char *));
	free(rows);
	free(t->cells);
	t->cells = cells;
}

void
table_truncate(struct table *t, size_t n)
{
	size_t i;

	if (n + 1 >= t->nrows)
		return;
	for (i = (n + 1) * t->ncols; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	t->nrows = n + 1;
}

static void
table_csv_field(const char *s, FILE *out)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void
table_print(const struct table *t, FILE *out, enum table_format fmt)
{
	size_t r, c;

	if (fmt == TABLE_TEXT) {
		table_print_text(t, out);
		return;
	}
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			table_csv_field(t->cells[r * t->ncols + c], out);
			fputs(c + 1 < t->ncols ? "," : "\r\n", out);
		}
}

void
table_free(struct table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->right);
	free(t->whole);
	free(t);
}
