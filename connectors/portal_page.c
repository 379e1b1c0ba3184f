#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/jsonptr.h"
#include "connectors/portal_conf.h"
#include "connectors/portal_http.h"
#include "connectors/portal_page.h"
#include "util/buf.h"
#include "util/xmalloc.h"

char *
portal_page_text(const json_t *v)
{
	if (json_is_string(v))
		return xstrndup(json_string_value(v), json_string_length(v));
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	return NULL;
}

static void
query_add(struct buf *b, const char *name, const char *value)
{
	char *n = portal_http_escape(name), *v = portal_http_escape(value);

	buf_printf(b, "%c%s=%s", strchr(buf_str(b), '?') ? '&' : '?', n, v);
	free(n);
	free(v);
}

static int
page_link_type(const struct portal_conf *c)
{
	return c->paging.type == PAGING_NEXT_LINK ||
	    c->paging.type == PAGING_LINK_HEADER;
}

char *
portal_page_url(const struct portal_conf *c, const char *pos,
    const char *since)
{
	struct buf b = BUF_INIT;
	char num[24];
	size_t i;

	/* A next link already carries every parameter the API wants. */
	if (pos != NULL && page_link_type(c))
		return xstrdup(pos);
	buf_adds(&b, c->base_url);
	buf_adds(&b, c->path);
	for (i = 0; i < c->query.n; i++)
		query_add(&b, c->query.v[i].name, c->query.v[i].value);
	if (c->paging.type == PAGING_PAGE || c->paging.type == PAGING_OFFSET) {
		snprintf(num, sizeof(num), "%d", c->paging.start);
		query_add(&b, c->paging.param, pos ? pos : num);
	} else if (c->paging.type == PAGING_CURSOR && pos != NULL) {
		query_add(&b, c->paging.param, pos);
	}
	if (c->paging.size_param != NULL && c->paging.size > 0) {
		snprintf(num, sizeof(num), "%d", c->paging.size);
		query_add(&b, c->paging.size_param, num);
	}
	if (c->incr.type != INCR_NONE && since != NULL)
		query_add(&b, c->incr.param, since);
	return buf_detach(&b);
}

static long long
page_number(const char *s, long long def)
{
	long long v;
	char *end;

	if (s == NULL)
		return def;
	errno = 0;
	v = strtoll(s, &end, 10);
	return (*s == '\0' || *end != '\0' || errno || v < 0) ? def : v;
}

/* A number the answer gives at ptr (total pages, total items), or -1. */
static long long
page_total(json_t *doc, const char *ptr)
{
	json_t *v;
	char *t;
	long long n;

	if (ptr == NULL || jsonptr_get(doc, ptr, &v, NULL) != LG_OK)
		return -1;
	if ((t = portal_page_text(v)) == NULL)
		return -1;
	n = page_number(t, -1);
	free(t);
	return n;
}

static int
page_link(const struct portal_conf *c, const char *url, const char *link,
    struct portal_next *out, struct err *e)
{
	char *abs;

	if (link == NULL || *link == '\0')
		return LG_OK;
	if (portal_http_resolve(url, link, &abs, e) != LG_OK)
		return err_set(e, LG_EPERM, "the next-page link is not a URL");
	if (!portal_http_same_origin(c->base_url, abs)) {
		free(abs);
		return err_set(e, LG_EPERM, "the next-page link points to "
		    "another host; not followed");
	}
	out->more = 1;
	out->pos = abs;
	return LG_OK;
}

static int
page_next_link(const struct portal_conf *c, const char *url, json_t *doc,
    const struct portal_response *rs, struct portal_next *out,
    struct err *e)
{
	json_t *v;

	if (c->paging.type == PAGING_LINK_HEADER)
		return page_link(c, url, rs->link_next, out, e);
	if (jsonptr_get(doc, c->paging.next, &v, NULL) != LG_OK ||
	    json_is_null(v))
		return LG_OK;
	if (!json_is_string(v))
		return err_set(e, LG_EPERM, "the next link at %s is not a "
		    "string", c->paging.next);
	return page_link(c, url, json_string_value(v), out, e);
}

static int
page_next_cursor(const struct portal_conf *c, json_t *doc,
    struct portal_next *out, struct err *e)
{
	json_t *v, *more;

	if (jsonptr_get(doc, c->paging.next, &v, NULL) != LG_OK ||
	    json_is_null(v))
		return LG_OK;
	if ((out->pos = portal_page_text(v)) == NULL)
		return err_set(e, LG_EPERM, "the cursor at %s is neither a "
		    "string nor an integer", c->paging.next);
	if (*out->pos == '\0') {
		free(out->pos);
		out->pos = NULL;
		return LG_OK;
	}
	out->more = 1;
	if (c->paging.has_more != NULL &&
	    jsonptr_get(doc, c->paging.has_more, &more, NULL) == LG_OK)
		out->more = json_is_true(more);
	return LG_OK;
}

int
portal_page_next(const struct portal_conf *c, const char *url,
    const char *pos, json_t *doc, const struct portal_response *rs,
    size_t nitems, struct portal_next *out, struct err *e)
{
	long long cur, total;
	int full;

	out->more = 0;
	out->pos = NULL;
	full = nitems > 0 && (c->paging.size == 0 ||
	    nitems >= (size_t)c->paging.size);
	switch (c->paging.type) {
	case PAGING_NONE:
		return LG_OK;
	case PAGING_NEXT_LINK:
	case PAGING_LINK_HEADER:
		return page_next_link(c, url, doc, rs, out, e);
	case PAGING_CURSOR:
		return page_next_cursor(c, doc, out, e);
	case PAGING_PAGE:
		cur = page_number(pos, c->paging.start);
		total = page_total(doc, c->paging.total);
		out->more = total >= 0 ? cur < total : full;
		out->pos = xasprintf("%lld", cur + 1);
		return LG_OK;
	case PAGING_OFFSET:
		cur = page_number(pos, c->paging.start) + (long long)nitems;
		total = page_total(doc, c->paging.total);
		out->more = full && (total < 0 || cur < total);
		out->pos = xasprintf("%lld", cur);
		return LG_OK;
	}
	return LG_OK;
}
