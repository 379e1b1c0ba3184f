/*
 * RFC 4180 records: table-driven. Each case's records are written with
 * '|' between fields and '/' after each record; "!" plus the line is a
 * refused record.
 */
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/csv.h"
#include "t.h"

static const struct {
	const char *label;
	const char *in;
	const char *want;
} cases[] = {
	{ "plain, LF", "a,b\n1,2\n", "1:a|b/2:1|2/" },
	{ "CRLF", "a,b\r\n1,2\r\n", "1:a|b/2:1|2/" },
	{ "no final line break", "a,b\n1,2", "1:a|b/2:1|2/" },
	{ "empty fields", ",\n,x,\n", "1:|/2:|x|/" },
	{ "quoted comma", "\"a,b\",c\n", "1:a,b|c/" },
	{ "doubled quote", "\"say \"\"hi\"\"\"\n", "1:say \"hi\"/" },
	{ "line break in quotes, counted", "\"a\nb\",c\nd\n",
	    "1:a\nb|c/3:d/" },
	{ "CRLF in quotes kept", "\"a\r\nb\"\r\n", "1:a\r\nb/" },
	{ "empty lines are no records", "a\n\n\r\nb\n", "1:a/4:b/" },
	{ "byte order mark skipped", "\xef\xbb\xbf" "a\n", "1:a/" },
	{ "UTF-8", "Zürich,Genève\n", "1:Zürich|Genève/" },
	{ "text after a closing quote", "\"a\"x,b\nc\n", "!1/2:c/" },
	{ "quote inside a bare field", "a\"b\nc\n", "!1/2:c/" },
	{ "quote not closed", "a\n\"b\nc\n", "1:a/!2/" },
	{ "not UTF-8", "caf\xe9\nok\n", "!1/2:ok/" },
	{ "U+FFFD itself is UTF-8", "\xef\xbf\xbd\n", "1:\xef\xbf\xbd/" },
};

int
main(void)
{
	struct csv_record rec = { 0 };
	struct buf got = BUF_INIT;
	struct csv r;
	struct err e;
	size_t i, k;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&got);
		csv_init(&r, cases[i].in, strlen(cases[i].in));
		for (;;) {
			err_clear(&e);
			if ((rc = csv_next(&r, &rec, &e)) == LG_ENOENT)
				break;
			if (rc != LG_OK) {
				buf_printf(&got, "!%zu/", rec.line);
				if (got.len > 200)
					break;
				continue;
			}
			buf_printf(&got, "%zu:", rec.line);
			for (k = 0; k < rec.n; k++)
				buf_printf(&got, "%s%s", k ? "|" : "",
				    rec.v[k]);
			buf_adds(&got, "/");
		}
		buf_addc(&got, '\0');
		T_STR(got.data, cases[i].want, "%s", cases[i].label);
	}
	csv_record_clear(&rec);
	buf_free(&got);
	return t_done();
}
