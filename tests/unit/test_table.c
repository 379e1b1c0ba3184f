/* util/table: sorting and cutting rows (--sort, --limit), CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "util/table.h"

/* Column 0 ascending, ties keep their order. */
static int
by_first(const char *const *a, const char *const *b, void *arg)
{
	(void)arg;
	return strcmp(a[0], b[0]);
}

static char *
csv_of(const struct table *t)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	table_print(t, f, TABLE_CSV);
	fclose(f);
	return text;
}

static void
test_sort_limit(void)
{
	static const char *const head[] = { "K", "V" };
	static const char *const rows[][2] = {
		{ "b", "1" }, { "a", "2" }, { "b", "3" }, { "a", "4" },
		{ "c", "x,\"y\"" },
	};
	struct table *t = table_new(2, head);
	char *got;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		table_add(t, rows[i]);
	T_INT((long long)table_nrows(t), 5, "rows, header not counted");
	T_INT((long long)table_ncols(t), 2, "columns");
	T_STR(table_heading(t, 1), "V", "a heading");
	T_OK(table_heading(t, 2) == NULL, "no heading past the last");
	table_sort(t, by_first, NULL);
	got = csv_of(t);
	T_STR(got, "K,V\r\na,2\r\na,4\r\nb,1\r\nb,3\r\nc,\"x,\"\"y\"\"\"\r\n",
	    "sorted, stable, CSV quoted");
	free(got);
	T_STR(table_cell_text(t, 0, 1), "2", "a cell after sorting");
	T_OK(table_cell_text(t, 5, 0) == NULL, "no cell past the last row");
	table_truncate(t, 2);
	got = csv_of(t);
	T_STR(got, "K,V\r\na,2\r\na,4\r\n", "cut to 2 rows");
	free(got);
	table_truncate(t, 10);
	T_INT((long long)table_nrows(t), 2, "cutting to more rows keeps all");
	table_free(t);
}

int
main(void)
{
	test_sort_limit();
	return t_done();
}
