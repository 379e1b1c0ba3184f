#include <stdlib.h>
#include <string.h>

#include "connectors/portal_ack.h"
#include "connectors/portal_auth.h"
#include "connectors/portal_conf.h"
#include "connectors/portal_http.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Replace every {key} in tpl by value. */
static char *
ack_fill(const char *tpl, const char *key, const char *value)
{
	struct buf b = BUF_INIT;
	size_t klen = strlen(key);
	const char *p;

	if (tpl == NULL)
		return NULL;
	while ((p = strstr(tpl, key)) != NULL) {
		buf_add(&b, tpl, (size_t)(p - tpl));
		buf_adds(&b, value);
		tpl = p + klen;
	}
	buf_adds(&b, tpl);
	return buf_detach(&b);
}

/* 404, 409, 410: the portal no longer wants this acknowledgement. */
static int
ack_status_done(long status)
{
	return status / 100 == 2 || status == 404 || status == 409 ||
	    status == 410;
}

static int
ack_one(const struct portal_conf *c, struct portal_auth *a, const char *path,
    const char *body, struct err *e)
{
	struct portal_request rq;
	struct portal_response rs;
	char *url, *shown;
	int rc;

	memset(&rq, 0, sizeof(rq));
	memset(&rs, 0, sizeof(rs));
	url = xasprintf("%s%s", c->base_url, path);
	rq.method = c->ack.method;
	rq.url = url;
	rq.body = body;
	rc = portal_auth_do(a, &rq, &rs, e);
	shown = portal_http_display(url);
	if (rc == LG_OK && !ack_status_done(rs.status))
		rc = err_set(e, rs.status >= 500 || rs.status == 429 ?
		    LG_ETEMP : LG_EPERM, "ack %s %s: HTTP %ld", rq.method,
		    shown, rs.status);
	else if (rc == LG_OK && rs.status / 100 != 2)
		log_info("portal", "%s: ack %s: HTTP %ld, taken as done",
		    c->name, shown, rs.status);
	free(shown);
	free(url);
	portal_response_clear(&rs);
	return rc;
}

static int
ack_items(const struct portal_conf *c, struct portal_auth *a, json_t *ids,
    json_t *left, struct err *e)
{
	char *path, *body, *esc, *quoted;
	size_t i;
	json_t *id;
	int rc, last = LG_OK;

	json_array_foreach(ids, i, id) {
		esc = portal_http_escape(json_string_value(id));
		quoted = json_dumps(id, JSON_ENCODE_ANY);
		path = ack_fill(c->ack.path, "{id}", esc);
		body = ack_fill(c->ack.body, "{id}", quoted);
		if ((rc = ack_one(c, a, path, body, e)) != LG_OK) {
			json_array_append(left, id);
			last = rc;
		}
		free(esc);
		free(quoted);
		free(path);
		free(body);
	}
	return last;
}

int
portal_ack_send(const struct portal_conf *c, struct portal_auth *a,
    json_t *ids, json_t **left, struct err *e)
{
	char *list, *body;
	int rc;

	*left = json_array();
	if (c->ack.per == ACK_NONE || json_array_size(ids) == 0)
		return LG_OK;
	if (c->ack.per == ACK_ITEM)
		return ack_items(c, a, ids, *left, e);
	list = json_dumps(ids, JSON_COMPACT);
	body = ack_fill(c->ack.body, "{ids}", list);
	if ((rc = ack_one(c, a, c->ack.path, body, e)) != LG_OK)
		json_array_extend(*left, ids);
	free(list);
	free(body);
	return rc;
}
