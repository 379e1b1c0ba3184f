#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "connectors/jsonptr.h"
#include "connectors/portal.h"
#include "connectors/portal_ack.h"
#include "connectors/portal_auth.h"
#include "connectors/portal_conf.h"
#include "connectors/portal_http.h"
#include "connectors/portal_map.h"
#include "connectors/portal_page.h"
#include "core/config.h"
#include "util/settings.h"
#include "util/log.h"
#include "core/store.h"
#include "util/version.h"
#include "util/xmalloc.h"
#include "parse/inquiry.h"

#define PORTAL_ID_MAX 256

/* Keys in connector_state. */
#define K_POS		"pos"		/* the next page of the current run */
#define K_RUN_SINCE	"run_since"	/* the since value of that run */
#define K_RUN_MARK	"run_mark"	/* newest committed mark in that run */
#define K_MARK		"mark"		/* since / last id for the next run */
#define K_ACKS		"acks"		/* ids committed, not yet acknowledged */

struct portal {
	struct portal_conf *c;
	struct portal_http *h;
	struct portal_auth *a;
	char **headers;		/* "Name: value" from request.headers */
	time_t backoff_until;
	int failures;		/* polls failed in a row */
	char why[ERR_MSGLEN];	/* why we back off */
};

/* One poll: from the saved position to the last page (or a failure). */
struct run {
	struct portal *p;
	const struct connector_sink *sink;
	struct store *st;	/* NULL in a dry run */
	char *pos;
	char *since;
	char *mark;
	json_t *acks;		/* committed ids owed an acknowledgement */
	int page;
	int failed;		/* a sink answer other than LG_OK */
	long items, problems;
};

static int
portal_create(const config_setting_t *block, const struct config *cfg,
    void **out, struct err_report *rep)
{
	const config_setting_t *where;
	struct portal_http_opts o;
	struct portal *p;
	struct err why;
	size_t i;
	int rc;

	p = xcalloc(1, sizeof(*p));
	if ((rc = portal_conf_parse(block, cfg, &p->c, rep)) != LG_OK) {
		free(p);
		return rc;
	}
	memset(&o, 0, sizeof(o));
	o.name = p->c->name;
	o.connect_timeout = p->c->connect_timeout;
	o.timeout = p->c->timeout;
	o.max_bytes = p->c->max_response_bytes;
	o.max_redirects = p->c->max_redirects;
	o.ca_file = p->c->ca_file ? p->c->ca_file : cfg->ca_file;
	o.user_agent = "leadgate/" LEADGATE_VERSION " (portal connector)";
	where = config_setting_lookup((config_setting_t *)block, "base_url");
	err_clear(&why);
	rc = portal_http_new(&o, p->c->base_url, &p->h, &why);
	if (rc == LG_OK) {
		where = config_setting_lookup((config_setting_t *)block,
		    "auth");
		rc = portal_auth_new(p->c, p->h, o.ca_file, &p->a, &why);
	}
	if (rc != LG_OK) {
		portal_conf_bad(p->c, where ? where : block, cfg, rep, "%s",
		    why.msg);
		portal_http_free(p->h);
		portal_conf_free(p->c);
		free(p);
		return rc;
	}
	p->headers = xcalloc(p->c->headers.n + 1, sizeof(*p->headers));
	for (i = 0; i < p->c->headers.n; i++)
		p->headers[i] = xasprintf("%s: %s", p->c->headers.v[i].name,
		    p->c->headers.v[i].value);
	*out = p;
	return LG_OK;
}

static void
portal_destroy(void *conn)
{
	struct portal *p = conn;
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; p->headers && p->headers[i]; i++)
		free(p->headers[i]);
	free(p->headers);
	portal_auth_free(p->a);
	portal_http_free(p->h);
	portal_conf_free(p->c);
	free(p);
}

static int
portal_interval(void *conn)
{
	return ((struct portal *)conn)->c->interval;
}

/* Exponential, capped, with jitter so that many gateways do not align. */
static long
portal_backoff(const struct portal *p, int attempt)
{
	long d = p->c->backoff_first;
	int i;

	for (i = 0; i < p->failures + attempt && d < p->c->backoff_max; i++)
		d *= 2;
	if (d > p->c->backoff_max)
		d = p->c->backoff_max;
	d = d / 2 + (long)arc4random_uniform((uint32_t)(d - d / 2) + 1);
	return d > 0 ? d : 1;
}

static void
portal_sleep(long secs)
{
	struct timespec ts = { secs, 0 };

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* How to go on after one attempt: 0 done, else seconds to wait. */
static long
portal_retry_delay(const struct portal *p, int rc,
    const struct portal_response *rs, int attempt)
{
	long ra;

	if (rc == LG_ETEMP)
		return portal_backoff(p, attempt);
	if (rc != LG_OK)
		return 0;
	if (rs->status == 429 || rs->status == 503) {
		ra = rs->retry_after;
		return ra > 0 ? ra : portal_backoff(p, attempt);
	}
	if (rs->status >= 500)
		return portal_backoff(p, attempt);
	return 0;
}

/*
 * GET (or POST) one page with retries: network trouble, 5xx and 429/503
 * are retried here while the wait is short (backoff.wait_max); a longer
 * wait ends the poll and makes later polls wait (Retry-After honoured).
 */
static int
portal_fetch(struct run *r, const char *url, struct portal_response *rs,
    struct err *e)
{
	struct portal *p = r->p;
	struct portal_request rq;
	struct err le;
	char *shown = portal_http_display(url);
	long delay;
	int attempt, rc;

	memset(&rq, 0, sizeof(rq));
	rq.method = p->c->method;
	rq.url = url;
	rq.headers = (const char *const *)p->headers;
	rq.body = strcmp(p->c->method, "POST") == 0 ? (p->c->body ?
	    p->c->body : "{}") : NULL;
	for (attempt = 0;; attempt++) {
		err_clear(&le);
		rc = portal_auth_do(p->a, &rq, rs, &le);
		if ((delay = portal_retry_delay(p, rc, rs, attempt)) == 0)
			break;
		if (rc == LG_OK)
			err_set(&le, LG_ETEMP, "%s: HTTP %ld%s", shown,
			    rs->status, rs->retry_after ? " with Retry-After" :
			    "");
		if (attempt >= p->c->retries || delay > p->c->retry_wait_max) {
			p->backoff_until = time(NULL) + delay;
			err_prefix(&le, "retrying in %ld s", delay);
			rc = LG_ETEMP;
			break;
		}
		log_info("portal", "%s: %s; retrying in %ld s", p->c->name,
		    le.msg, delay);
		portal_sleep(delay);
	}
	if (rc != LG_OK)
		err_set(e, rc, "%s", le.msg);
	else if (rs->status / 100 != 2)
		rc = err_set(e, LG_EPERM, "%s: HTTP %ld%s", shown, rs->status,
		    rs->status == 401 || rs->status == 403 ?
		    " (credentials refused)" : "");
	free(shown);
	return rc;
}

/* The start of a body, safe to log: an HTML error page says what it is. */
static void
portal_body_start(const struct portal_response *rs, char *out, size_t len)
{
	size_t i, n = rs->body.len < len - 1 ? rs->body.len : len - 1;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)rs->body.data[i];

		out[i] = ch < 0x20 || ch >= 0x7f ? ' ' : (char)ch;
	}
	out[n] = '\0';
}

static int
portal_parse(struct run *r, const struct portal_response *rs, json_t **doc,
    json_t **items, struct err *e)
{
	const struct portal_conf *c = r->p->c;
	json_error_t je;
	char head[48];
	json_t *v;

	*items = NULL;
	*doc = json_loadb(rs->body.data ? rs->body.data : "", rs->body.len,
	    JSON_REJECT_DUPLICATES, &je);
	if (*doc == NULL) {
		portal_body_start(rs, head, sizeof(head));
		return err_set(e, LG_ETEMP, "the answer is not JSON "
		    "(Content-Type %s, %d bytes: line %d: %s; it starts "
		    "with \"%s\")", rs->content_type ? rs->content_type :
		    "none", (int)rs->body.len, je.line, je.text, head);
	}
	if (jsonptr_get(*doc, c->items, &v, NULL) != LG_OK)
		return err_set(e, LG_ETEMP, "the answer has no items array at "
		    "'%s': nothing there", c->items);
	if (json_is_null(v))
		v = NULL;	/* some APIs say "nothing" with null */
	else if (!json_is_array(v))
		return err_set(e, LG_ETEMP, "the answer has no items array at "
		    "'%s': %s there", c->items, json_is_object(v) ?
		    "an object" : "a scalar");
	*items = v;
	return LG_OK;
}

/* Numbers compare as numbers, everything else as text (ISO 8601 UTC). */
static int
portal_mark_cmp(const char *a, const char *b)
{
	size_t la = strspn(a, "0123456789"), lb = strspn(b, "0123456789");

	if (a[la] == '\0' && b[lb] == '\0' && la && lb && la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}

static void
portal_mark(struct run *r, json_t *item, const char *id)
{
	const struct portal_conf *c = r->p->c;
	char *v = NULL;
	json_t *x;

	if (c->incr.type == INCR_LAST_ID && id != NULL)
		v = xstrdup(id);
	else if (c->incr.type == INCR_SINCE &&
	    jsonptr_get(item, c->incr.from, &x, NULL) == LG_OK)
		v = portal_page_text(x);
	if (v != NULL && (r->mark == NULL || portal_mark_cmp(v, r->mark) > 0)) {
		free(r->mark);
		r->mark = v;
		return;
	}
	free(v);
}

/* The item's id as text, or the reason there is none. */
static char *
portal_item_id(const struct portal_conf *c, json_t *item, struct err *e)
{
	json_t *v;
	char *id;
	size_t i;

	if (!json_is_object(item)) {
		err_set(e, LG_EPERM, "the item is not an object");
		return NULL;
	}
	if (jsonptr_get(item, c->id, &v, NULL) != LG_OK || json_is_null(v)) {
		err_set(e, LG_EPERM, "no id at '%s'", c->id);
		return NULL;
	}
	if ((id = portal_page_text(v)) == NULL) {
		err_set(e, LG_EPERM, "the id at '%s' is neither a string nor "
		    "an integer", c->id);
		return NULL;
	}
	for (i = 0; id[i] != '\0'; i++)
		if ((unsigned char)id[i] < 0x20 || id[i] == 0x7f)
			break;
	if (*id == '\0' || id[i] != '\0' || i > PORTAL_ID_MAX) {
		err_set(e, LG_EPERM, "the id at '%s' is empty, too long or "
		    "has control characters", c->id);
		free(id);
		return NULL;
	}
	return id;
}

/* Map one item; NULL and the reason in e when it cannot be used. */
static struct inquiry *
portal_inquiry(const struct portal_conf *c, json_t *item, const char *id,
    struct err *e)
{
	struct inquiry *q = inquiry_new();

	if (portal_map_item(c->map, item, q, e) != LG_OK) {
		inquiry_free(q);
		return NULL;
	}
	inquiry_set(q, "extractor", "portal");
	inquiry_set(q, "portal", c->source);
	inquiry_set(q, "portal_ref", id);
	return q;
}

static int
portal_item(struct run *r, json_t *item, size_t idx, struct err *e)
{
	const struct portal_conf *c = r->p->c;
	struct source_meta meta;
	struct inquiry *q = NULL;
	struct err pe, se;
	char *raw, *id;
	int rc;

	err_clear(&pe);
	err_clear(&se);
	memset(&meta, 0, sizeof(meta));
	raw = json_dumps(item, JSON_COMPACT | JSON_ENCODE_ANY);
	if ((id = portal_item_id(c, item, &pe)) != NULL)
		q = portal_inquiry(c, item, id, &pe);
	meta.connector = c->name;
	meta.portal = c->source;
	meta.item_id = id;
	meta.problem = q == NULL ? pe.msg : NULL;
	r->items++;
	r->problems += q == NULL;
	if (q == NULL)
		log_warn("portal", "%s: page %d: item %zu (id %s): %s; to "
		    "quarantine", c->name, r->page, idx, id ? id : "none",
		    pe.msg);
	rc = r->sink->inquiry(r->sink->arg, q, raw, strlen(raw), &meta, &se);
	if (rc == LG_OK) {
		portal_mark(r, item, id);
		if (id != NULL && c->ack.per != ACK_NONE)
			json_array_append_new(r->acks, json_string(id));
	} else if (rc == LG_ETEMP) {
		err_set(e, rc, "item %s: %s", id ? id : "without id", se.msg);
	} else {
		log_err("portal", "%s: page %d: item %s: the sink failed (%s); "
		    "it stays unread", c->name, r->page, id ? id : "none",
		    se.msg);
		r->failed = rc;
	}
	inquiry_free(q);
	free(id);
	free(raw);
	return rc == LG_ETEMP ? rc : LG_OK;
}

static int
run_get(struct run *r, const char *key, char **out, struct err *e)
{
	*out = NULL;
	if (r->st == NULL)
		return LG_OK;
	return store_state_get(r->st, r->p->c->name, key, out, e);
}

static int
run_set(struct run *r, const char *key, const char *value, struct err *e)
{
	return store_state_set(r->st, r->p->c->name, key, value, e);
}

static int
run_load(struct run *r, struct err *e)
{
	const struct portal_conf *c = r->p->c;
	char *run_since = NULL, *mark = NULL, *acks = NULL;
	int rc;

	if ((rc = run_get(r, K_POS, &r->pos, e)) != LG_OK ||
	    (rc = run_get(r, K_RUN_SINCE, &run_since, e)) != LG_OK ||
	    (rc = run_get(r, K_MARK, &mark, e)) != LG_OK ||
	    (rc = run_get(r, K_ACKS, &acks, e)) != LG_OK ||
	    (r->pos && (rc = run_get(r, K_RUN_MARK, &r->mark, e)) != LG_OK))
		goto out;
	/* The since value stays the same on every page of one run. */
	if (r->pos != NULL)
		r->since = xstrdup(run_since);
	else
		r->since = xstrdup(mark ? mark : c->incr.start);
	r->acks = acks ? json_loads(acks, 0, NULL) : NULL;
	if (!json_is_array(r->acks)) {
		json_decref(r->acks);
		r->acks = json_array();
	}
out:
	free(run_since);
	free(mark);
	free(acks);
	return rc;
}

/* Send what is owed; keep in the store what still is. */
static int
run_send_acks(struct run *r, struct err *e)
{
	const struct portal_conf *c = r->p->c;
	struct err ae;
	json_t *left;
	char *text;
	int rc;

	if (json_array_size(r->acks) == 0)
		return LG_OK;
	/* An acknowledged item is gone from the API: it must be on disk first. */
	if ((rc = source_sink_sync(r->sink, e)) != LG_OK)
		return rc;
	err_clear(&ae);
	if (portal_ack_send(c, r->p->a, r->acks, &left, &ae) != LG_OK)
		log_warn("portal", "%s: %zu acknowledgement(s) failed, kept to "
		    "send again: %s", c->name, json_array_size(left), ae.msg);
	json_decref(r->acks);
	r->acks = left;
	text = json_dumps(left, JSON_COMPACT);
	rc = run_set(r, K_ACKS, json_array_size(left) ? text : NULL, e);
	free(text);
	return rc;
}

/* A page is done: record the owed acks and, when every item of it was
 * handled, the position after it, in one transaction. */
static int
run_commit_page(struct run *r, const struct portal_next *nx, int complete,
    struct err *e)
{
	const struct portal_conf *c = r->p->c;
	int cursor = c->paging.type == PAGING_CURSOR, rc;
	char *acks = json_dumps(r->acks, JSON_COMPACT);

	if ((rc = store_begin(r->st, e)) != LG_OK) {
		free(acks);
		return rc;
	}
	rc = run_set(r, K_ACKS, json_array_size(r->acks) ? acks : NULL, e);
	free(acks);
	if (rc == LG_OK && complete && nx->more) {
		if ((rc = run_set(r, K_POS, nx->pos, e)) == LG_OK &&
		    (rc = run_set(r, K_RUN_SINCE, r->since, e)) == LG_OK)
			rc = run_set(r, K_RUN_MARK, r->mark, e);
	} else if (rc == LG_OK && complete) {
		/* The end: a cursor is where the next run resumes. */
		if ((rc = run_set(r, K_POS, cursor ? nx->pos : NULL, e)) ==
		    LG_OK && (rc = run_set(r, K_RUN_SINCE, cursor && r->mark ?
		    r->mark : cursor ? r->since : NULL, e)) == LG_OK &&
		    (rc = run_set(r, K_RUN_MARK, NULL, e)) == LG_OK && r->mark)
			rc = run_set(r, K_MARK, r->mark, e);
	}
	if (rc == LG_OK)
		rc = store_commit(r->st, e);
	if (rc != LG_OK)
		store_rollback(r->st);
	return rc;
}

static int
run_page_items(struct run *r, json_t *items, struct err *e)
{
	json_t *item;
	size_t i;
	int rc;

	json_array_foreach(items, i, item)
		if ((rc = portal_item(r, item, i, e)) != LG_OK)
			return rc;
	return LG_OK;
}

static int
run_same_pos(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Fetch, hand over and commit one page; *more when another follows. */
static int
run_page(struct run *r, int *more, struct err *e)
{
	const struct portal_conf *c = r->p->c;
	struct portal_response rs;
	struct portal_next nx = { 0, NULL };
	json_t *doc = NULL, *items = NULL;
	char *url = portal_page_url(c, r->pos, r->since);
	int rc, rc2;

	*more = 0;
	memset(&rs, 0, sizeof(rs));
	r->page++;
	if ((rc = portal_fetch(r, url, &rs, e)) == LG_OK &&
	    (rc = portal_parse(r, &rs, &doc, &items, e)) != LG_OK)
		r->p->backoff_until = time(NULL) + portal_backoff(r->p, 0);
	if (rc == LG_OK)
		rc = run_page_items(r, items, e);
	if (rc == LG_OK && !r->failed)
		rc = portal_page_next(c, url, r->pos, doc, &rs,
		    json_array_size(items), &nx, e);
	if (rc == LG_OK && nx.more && run_same_pos(nx.pos, r->pos))
		rc = err_set(e, LG_EPERM, "the API gave the same next page "
		    "again (%s); stopping", c->paging.type == PAGING_CURSOR ?
		    "cursor" : "position");
	if (r->st != NULL && !r->sink->dry_run && doc != NULL) {
		rc2 = run_commit_page(r, &nx, rc == LG_OK && !r->failed, e);
		if (rc2 == LG_OK)
			rc2 = run_send_acks(r, e);
		if (rc == LG_OK)
			rc = rc2;
	}
	if (rc == LG_OK && r->failed)
		rc = err_set(e, r->failed, "the sink failed on an item; the "
		    "position stays before this page");
	if (rc == LG_OK) {
		free(r->pos);
		r->pos = nx.pos;
		nx.pos = NULL;
		*more = nx.more;
	} else {
		err_prefix(e, "page %d", r->page);
	}
	free(nx.pos);
	free(url);
	json_decref(doc);
	portal_response_clear(&rs);
	return rc;
}

static void
run_free(struct run *r)
{
	free(r->pos);
	free(r->since);
	free(r->mark);
	json_decref(r->acks);
}

static int
portal_poll_once(void *conn, const struct connector_sink *sink,
    struct err *e)
{
	struct portal *p = conn;
	struct run r;
	time_t now = time(NULL);
	int rc, more = 1;

	if (p->backoff_until > now)
		return err_set(e, LG_ETEMP, "connector %s: waiting %ld s more "
		    "before polling again (%s)", p->c->name,
		    (long)(p->backoff_until - now), p->why);
	memset(&r, 0, sizeof(r));
	r.p = p;
	r.sink = sink;
	r.st = sink->st;
	p->backoff_until = 0;
	if ((rc = run_load(&r, e)) == LG_OK && r.st && !sink->dry_run)
		rc = run_send_acks(&r, e);
	while (rc == LG_OK && more) {
		if (r.page >= p->c->max_pages) {
			log_info("portal", "%s: stopped after max_pages (%d); "
			    "the next poll goes on", p->c->name, r.page);
			break;
		}
		rc = run_page(&r, &more, e);
	}
	run_free(&r);
	if (rc == LG_OK) {
		/* An idle poll (nothing new) is the usual case: debug. */
		logm(r.items > 0 ? LOG_LV_INFO : LOG_LV_DEBUG, "portal",
		    "%s: %d page(s), %ld item(s), %ld of them "
		    "unreadable%s", p->c->name, r.page, r.items, r.problems,
		    sink->dry_run ? " (dry run)" : "");
		p->failures = 0;
		return LG_OK;
	}
	p->failures++;
	snprintf(p->why, sizeof(p->why), "%s", e ? e->msg : "");
	err_prefix(e, "connector %s", p->c->name);
	return rc;
}

static void
portal_dump(void *conn, const char *prefix, int non_default,
    const char *base, FILE *out)
{
	struct portal *p = conn;

	settings_dump_ext(&portal_conf_settings, p->c, prefix, non_default,
	    base, out);
}

const struct connector_ops portal_ops = {
	.type = "portal",
	.create = portal_create,
	.destroy = portal_destroy,
	.poll_once = portal_poll_once,
	.interval = portal_interval,
	.dump = portal_dump,
};
