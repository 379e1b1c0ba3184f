/* Top-level header fields: split, unfolded, counted. */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"
#include "parse/charset.h"
#include "parse/header.h"
#include "parse/notes.h"

#define NAME_MAX_LEN	128

struct line {
	const char *s;
	size_t len;		/* without the line end */
	size_t next;		/* offset of the following line */
};

static void
line_at(const char *raw, size_t len, size_t off, struct line *l)
{
	const char *nl = memchr(raw + off, '\n', len - off);

	l->s = raw + off;
	l->next = nl ? (size_t)(nl - raw) + 1 : len;
	l->len = (nl ? (size_t)(nl - raw) : len) - off;
	if (l->len > 0 && l->s[l->len - 1] == '\r')
		l->len--;
}

/* Length of the field name at the start of l (before ':'), or 0. */
static size_t
field_name(const struct line *l, size_t *colon)
{
	size_t i, n;

	for (i = 0; i < l->len && l->s[i] > ' ' && l->s[i] < 0x7f &&
	    l->s[i] != ':'; i++)
		;
	n = i;
	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	if (n == 0 || n > NAME_MAX_LEN || i >= l->len || l->s[i] != ':')
		return 0;
	*colon = i;
	return n;
}

static void
add_field(struct mail_header **v, size_t *n, const char *name, size_t nlen,
    struct buf *val, struct buf *notes)
{
	struct buf fixed = BUF_INIT;
	size_t end = val->len, start = 0;
	int flags;

	while (start < end && (val->data[start] == ' ' ||
	    val->data[start] == '\t'))
		start++;
	while (end > start && (val->data[end - 1] == ' ' ||
	    val->data[end - 1] == '\t'))
		end--;
	/* Raw 8-bit headers are UTF-8 (RFC 6532) or, failing that, 1252. */
	flags = charset_to_utf8(NULL, val->data ? val->data + start : "",
	    end - start, &fixed);
	if (flags & CHARSET_REPLACED)
		notes_add(notes, "NUL or invalid bytes in header %.*s "
		    "replaced", (int)nlen, name);
	if (flags & CHARSET_GUESSED)
		notes_add(notes, "8-bit header %.*s read as windows-1252",
		    (int)nlen, name);
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].name = xstrndup(name, nlen);
	(*v)[*n].value = buf_detach(&fixed);
	(*n)++;
	buf_reset(val);
}

int
header_split(const char *raw, size_t len, size_t max,
    struct mail_header **out, size_t *n, size_t *body, struct buf *notes,
    struct err *e)
{
	struct buf val = BUF_INIT;
	struct line l;
	const char *name = NULL;
	size_t off = 0, nlen = 0, colon, k;

	*out = NULL;
	*n = 0;
	for (; off < len; off = l.next) {
		line_at(raw, len, off, &l);
		if (l.len == 0) {
			off = l.next;
			break;
		}
		if ((l.s[0] == ' ' || l.s[0] == '\t') && name != NULL) {
			/* Unfold: the line break goes, the white space stays. */
			buf_add(&val, l.s, l.len);
			continue;
		}
		if ((k = field_name(&l, &colon)) == 0) {
			notes_add(notes, "header ends at a malformed line");
			break;
		}
		if (name != NULL)
			add_field(out, n, name, nlen, &val, notes);
		if (*n >= max) {
			buf_free(&val);
			header_free(*out, *n);
			*out = NULL;
			*n = 0;
			return err_set(e, LG_EPERM, "more than %zu header fields "
			    "in the message header", max);
		}
		name = l.s;
		nlen = k;
		buf_add(&val, l.s + colon + 1, l.len - colon - 1);
	}
	if (name != NULL)
		add_field(out, n, name, nlen, &val, notes);
	buf_free(&val);
	*body = off;
	return LG_OK;
}

void
header_free(struct mail_header *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].value);
	}
	free(v);
}
