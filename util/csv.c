/* RFC 4180 CSV records (see csv.h). */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/csv.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

void
csv_init(struct csv *r, const char *text, size_t len)
{
	r->p = text;
	r->end = text + len;
	r->line = 1;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		r->p += 3;
}

void
csv_record_clear(struct csv_record *rec)
{
	size_t i;

	for (i = 0; i < rec->n; i++)
		free(rec->v[i]);
	free(rec->v);
	memset(rec, 0, sizeof(*rec));
}

static int
csv_utf8_ok(const char *s)
{
	size_t len;

	while (*s) {
		if (utf8_decode(s, &len) == 0xfffd &&
		    memcmp(s, "\xef\xbf\xbd", len < 3 ? len : 3) != 0)
			return 0;
		s += len;
	}
	return 1;
}

/* Past the end of the current line, for a record that cannot be read. */
static void
csv_skip_line(struct csv *r)
{
	while (r->p < r->end && *r->p != '\n')
		r->p++;
	if (r->p < r->end) {
		r->p++;
		r->line++;
	}
}

/* One field at r->p into f; *last set when the record ends after it. */
static int
csv_field(struct csv *r, struct buf *f, int *last, struct err *e)
{
	size_t start = r->line;

	*last = 0;
	if (r->p < r->end && *r->p == '"') {
		r->p++;
		for (;;) {
			if (r->p == r->end)
				return err_set(e, LG_EPERM, "a quote opened on "
				    "line %zu is not closed", start);
			if (*r->p == '"' && r->p + 1 < r->end &&
			    r->p[1] == '"') {
				buf_add(f, "\"", 1);
				r->p += 2;
				continue;
			}
			if (*r->p == '"') {
				r->p++;
				break;
			}
			if (*r->p == '\n')
				r->line++;
			buf_add(f, r->p++, 1);
		}
		if (r->p < r->end && *r->p == '\r')
			r->p++;
		if (r->p < r->end && *r->p != ',' && *r->p != '\n')
			return err_set(e, LG_EPERM, "text after a closing "
			    "quote");
	} else {
		while (r->p < r->end && *r->p != ',' && *r->p != '\n') {
			if (*r->p == '"')
				return err_set(e, LG_EPERM, "a quote inside an "
				    "unquoted field");
			buf_add(f, r->p++, 1);
		}
		if (f->len && f->data[f->len - 1] == '\r')
			f->len--;
	}
	if (r->p == r->end || *r->p == '\n') {
		*last = 1;
		if (r->p < r->end) {
			r->p++;
			r->line++;
		}
	} else {
		r->p++;		/* the comma */
	}
	return LG_OK;
}

int
csv_next(struct csv *r, struct csv_record *rec, struct err *e)
{
	struct buf f = BUF_INIT;
	size_t start;
	int last = 0, rc = LG_OK;

	csv_record_clear(rec);
	/* Empty lines between records. */
	while (r->p < r->end && (*r->p == '\n' || (*r->p == '\r' &&
	    r->p + 1 < r->end && r->p[1] == '\n'))) {
		r->p += *r->p == '\r' ? 2 : 1;
		r->line++;
	}
	if (r->p == r->end)
		return LG_ENOENT;
	rec->line = r->line;
	while (!last) {
		buf_reset(&f);
		if ((rc = csv_field(r, &f, &last, e)) != LG_OK)
			break;
		buf_add(&f, "", 1);
		if (!csv_utf8_ok(f.data)) {
			rc = err_set(e, LG_EPERM, "field %zu is not UTF-8",
			    rec->n + 1);
			break;
		}
		rec->v = xreallocarray(rec->v, rec->n + 1, sizeof(*rec->v));
		rec->v[rec->n++] = xstrdup(f.data);
	}
	buf_free(&f);
	if (rc != LG_OK) {
		start = rec->line;
		if (!last)
			csv_skip_line(r);
		csv_record_clear(rec);
		rec->line = start;
	}
	return rc;
}
