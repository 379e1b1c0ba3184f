#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/jsonptr.h"
#include "util/buf.h"

/*
 * Decode one reference token (from tok up to the next '/') into b:
 * "~1" is '/', "~0" is '~', in that order (RFC 6901 §4), any other '~'
 * is an error. Returns the end of the token or NULL.
 */
static const char *
jsonptr_token(const char *tok, struct buf *b)
{
	const char *p;

	buf_reset(b);
	for (p = tok; *p != '\0' && *p != '/'; p++) {
		if (*p != '~') {
			buf_addc(b, *p);
			continue;
		}
		if (p[1] == '0')
			buf_addc(b, '~');
		else if (p[1] == '1')
			buf_addc(b, '/');
		else
			return NULL;
		p++;
	}
	return p;
}

/* An array index: "0" or [1-9][0-9]*, below size ("-" is past the end). */
static int
jsonptr_index(const struct buf *b, size_t size, size_t *out)
{
	size_t i, v = 0;

	if (b->len == 0 || (b->len > 1 && b->data[0] == '0'))
		return -1;
	for (i = 0; i < b->len; i++) {
		if (b->data[i] < '0' || b->data[i] > '9')
			return -1;
		if (v > (SIZE_MAX - 9) / 10)
			return -1;
		v = v * 10 + (size_t)(b->data[i] - '0');
	}
	if (v >= size)
		return -1;
	*out = v;
	return 0;
}

static int
jsonptr_walk(json_t *doc, const char *ptr, json_t **out, struct err *e)
{
	struct buf b = BUF_INIT;
	const char *p = ptr;
	json_t *cur = doc;
	size_t idx;
	int rc = LG_OK;

	if (*p != '\0' && *p != '/')
		return err_set(e, LG_EPERM, "JSON pointer '%s' must start "
		    "with '/'", ptr);
	while (*p == '/') {
		if ((p = jsonptr_token(p + 1, &b)) == NULL) {
			rc = err_set(e, LG_EPERM, "JSON pointer '%s': '~' "
			    "must be followed by 0 or 1", ptr);
			break;
		}
		if (cur == NULL)
			continue;	/* keep checking the syntax */
		if (json_is_object(cur))
			cur = json_object_getn(cur, b.data ? b.data : "",
			    b.len);
		else if (json_is_array(cur) &&
		    jsonptr_index(&b, json_array_size(cur), &idx) == 0)
			cur = json_array_get(cur, idx);
		else
			cur = NULL;
	}
	buf_free(&b);
	if (rc != LG_OK)
		return rc;
	if (cur == NULL)
		return err_set(e, LG_ENOENT, "nothing at %s", ptr);
	if (out != NULL)
		*out = cur;
	return LG_OK;
}

int
jsonptr_check(const char *ptr, struct err *e)
{
	json_t *empty = json_object();
	int rc;

	rc = jsonptr_walk(empty, ptr, NULL, e);
	json_decref(empty);
	return rc == LG_EPERM ? rc : LG_OK;
}

int
jsonptr_get(json_t *doc, const char *ptr, json_t **out, struct err *e)
{
	*out = NULL;
	return jsonptr_walk(doc, ptr, out, e);
}
