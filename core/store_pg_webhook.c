/*
 * The webhook outbox in PostgreSQL: the same rows and answers as
 * store_sqlite_webhook.c. Events are written by the triggers of
 * migration 10 (store_pg_schema.c), never here: this file only takes
 * them on per endpoint and keeps the state of each delivery.
 *
 * Every value is a bound parameter. Parameters are cast (::text,
 * ::bigint) where PostgreSQL could not infer their type on its own
 * (an "$1 IS NULL" test, both sides of ||).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "core/store_pg.h"
#include "util/xmalloc.h"

#define WH_COLS \
    "d.endpoint, d.event_id, ev.uid, ev.type, ev.created_at, ev.data, " \
    "d.state, d.attempts, d.next_attempt, d.last_status, d.last_error, " \
    "d.updated_at"
/* Whether type is one of the comma-separated list in parameter $2. */
#define WH_WANTED(type) \
    "position(',' || " type " || ',' in ',' || $2::text || ',') > 0"

static const char sql_wh_head[] =
    "SELECT " WH_COLS " FROM webhook_deliveries d "
    "JOIN webhook_events ev ON ev.id = d.event_id "
    "WHERE d.endpoint=$1 AND d.state='pending' ORDER BY d.event_id LIMIT 1";
/* The next event of a wanted type after the endpoint's cursor (0: none). */
static const char sql_wh_after[] =
    "SELECT id FROM webhook_events WHERE id > coalesce((SELECT last_event "
    "FROM webhook_cursors WHERE endpoint=$1::text), 0) "
    "AND " WH_WANTED("type") " ORDER BY id LIMIT 1";
/* Nothing when the delivery exists: taking an event on twice is one. */
static const char sql_wh_take[] =
    "INSERT INTO webhook_deliveries (endpoint, event_id, updated_at) "
    "VALUES ($1,$2,$3) ON CONFLICT (endpoint, event_id) DO NOTHING";
static const char sql_wh_cursor[] =
    "INSERT INTO webhook_cursors (endpoint, last_event) VALUES ($1, $2) "
    "ON CONFLICT (endpoint) DO UPDATE SET "
    "last_event=greatest(webhook_cursors.last_event, excluded.last_event)";
/*
 * None of the endpoint's types after its cursor: move it past every event
 * there is, so that the next look starts there instead of scanning the
 * others again. One statement (one snapshot): an event of its types
 * committed meanwhile keeps the cursor where it was.
 */
static const char sql_wh_skip[] =
    "INSERT INTO webhook_cursors (endpoint, last_event) "
    "SELECT $1::text, coalesce(max(id), 0) FROM webhook_events WHERE NOT "
    "EXISTS (SELECT 1 FROM webhook_events WHERE " WH_WANTED("type") ") "
    "ON CONFLICT (endpoint) DO UPDATE SET last_event=excluded.last_event "
    "WHERE excluded.last_event > webhook_cursors.last_event AND NOT EXISTS "
    "(SELECT 1 FROM webhook_events w WHERE w.id > webhook_cursors.last_event "
    "AND " WH_WANTED("w.type") ")";
static const char sql_wh_update[] =
    "UPDATE webhook_deliveries SET state=$1, attempts=$2, next_attempt=$3, "
    "last_status=$4, last_error=$5, updated_at=$6 WHERE endpoint=$7 AND "
    "event_id=$8";
static const char sql_wh_list[] =
    "SELECT " WH_COLS " FROM webhook_deliveries d "
    "JOIN webhook_events ev ON ev.id = d.event_id "
    "WHERE ($1::text IS NULL OR d.endpoint=$1::text) AND "
    "($2::text IS NULL OR d.state=$2::text) "
    "ORDER BY d.event_id, d.endpoint COLLATE \"C\"";
static const char sql_wh_retry[] =
    "UPDATE webhook_deliveries SET state='pending', attempts=0, "
    "next_attempt=0, updated_at=$3 WHERE state='failed' AND "
    "($1::text IS NULL OR endpoint=$1::text) AND ($2::text IS NULL OR "
    "event_id IN (SELECT id FROM webhook_events WHERE uid=$2::text))";
static const char sql_wh_cursor_of[] =
    "SELECT last_event FROM webhook_cursors WHERE endpoint=$1";
/*
 * Retention, two statements that need no transaction: a crash between
 * them leaves events without deliveries, which the next run forgets.
 * Cursors only move forward, so an upper id read earlier stays safe; a
 * failed delivery made pending again keeps its event.
 */
static const char sql_wh_purge_dlv[] =
    "DELETE FROM webhook_deliveries WHERE event_id IN (SELECT id FROM "
    "webhook_events WHERE id <= $2 AND created_at < $1 AND id NOT IN "
    "(SELECT event_id FROM webhook_deliveries WHERE state='pending'))";
static const char sql_wh_purge_ev[] =
    "DELETE FROM webhook_events WHERE id <= $2 AND created_at < $1 AND "
    "id NOT IN (SELECT event_id FROM webhook_deliveries)";

static void
pg_wh_row(const PGresult *r, int i, struct webhook_delivery *d)
{
	memset(d, 0, sizeof(*d));
	d->endpoint = pg_text(r, i, 0);
	d->event_id = pg_int(r, i, 1);
	d->uid = pg_text(r, i, 2);
	d->type = pg_text(r, i, 3);
	d->created_at = pg_text(r, i, 4);
	d->data = pg_text(r, i, 5);
	d->state = pg_text(r, i, 6);
	d->attempts = (int)pg_int(r, i, 7);
	d->next_attempt = pg_int(r, i, 8);
	d->last_status = (long)pg_int(r, i, 9);
	d->last_error = pg_text(r, i, 10);
	d->updated_at = pg_text(r, i, 11);
}

static int
pg_wh_head(struct pg *q, const char *endpoint, struct webhook_delivery **out,
    struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pgp_text(&p, endpoint);
	if ((rc = pg_query(q, sql_wh_head, &p, &r, "webhook delivery", e)) !=
	    LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return LG_ENOENT;
	}
	*out = xcalloc(1, sizeof(**out));
	pg_wh_row(r, 0, *out);
	PQclear(r);
	return LG_OK;
}

/*
 * Ids are handed out when an event is written but become visible when
 * its transaction commits, and PostgreSQL's transactions commit in any
 * order: a cursor moved past id 10 while 9 is still being written would
 * never see 9. So the cursor only moves under a SHARE lock on
 * webhook_events, which waits for every transaction that has written an
 * event (each holds ROW EXCLUSIVE from before its id was drawn until it
 * ends) and holds new writers back for the few statements below: under
 * it, every id up to the highest visible one is final. The wait for
 * writers is bounded (lock_timeout, LG_ETEMP: try again later) so that
 * a long writer does not hold the others up behind this lock.
 */
static const char sql_wh_lock[] =
    "LOCK TABLE webhook_events IN SHARE MODE";
static const char sql_wh_lock_timeout[] =
    "SELECT set_config('lock_timeout', '2s', true)";

static int
pg_wh_take_locked(struct pg *q, const char *endpoint, const char *types,
    struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	PGresult *r;
	int64_t id;
	int rc;

	if ((rc = pg_query(q, sql_wh_lock, NULL, NULL, "webhook events lock",
	    e)) != LG_OK)
		return rc;
	pgp_text(&p, endpoint);
	pgp_text(&p, types);
	if ((rc = pg_query(q, sql_wh_after, &p, &r, "webhook events", e)) !=
	    LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		if ((rc = pg_query(q, sql_wh_skip, &p, NULL, "webhook cursor",
		    e)) != LG_OK)
			return rc;
		return LG_ENOENT;
	}
	id = pg_int(r, 0, 0);
	PQclear(r);
	memset(&p, 0, sizeof(p));
	pg_now(now, sizeof(now));
	pgp_text(&p, endpoint);
	pgp_int(&p, id);
	pgp_text(&p, now);
	if ((rc = pg_query(q, sql_wh_take, &p, NULL, "webhook take", e)) !=
	    LG_OK)
		return rc;
	memset(&p, 0, sizeof(p));
	pgp_text(&p, endpoint);
	pgp_int(&p, id);
	return pg_query(q, sql_wh_cursor, &p, NULL, "webhook cursor", e);
}

/* Take the next wanted event on; LG_ENOENT when there is none. */
static int
pg_wh_take(struct pg *q, const char *endpoint, const char *types,
    struct err *e)
{
	int own = !q->in_tx, rc;

	/*
	 * Inside the caller's transaction (or a commit group), the lock
	 * lasts until that ends.
	 */
	if (own) {
		if ((rc = pg_begin(q, e)) != LG_OK)
			return rc;
		if (!q->grp.open && (rc = pg_query(q, sql_wh_lock_timeout,
		    NULL, NULL, "lock timeout", e)) != LG_OK) {
			pg_rollback(q);
			return rc;
		}
	}
	rc = pg_wh_take_locked(q, endpoint, types, e);
	if (own) {
		if (rc == LG_OK || rc == LG_ENOENT) {
			int crc;

			if ((crc = pg_commit(q, e)) != LG_OK)
				return crc;
		} else {
			pg_rollback(q);
		}
	}
	if (rc == LG_ENOENT)
		return err_set(e, LG_ENOENT, "no event for %s", endpoint);
	return rc;
}

int
pg_webhook_next(void *impl, const char *endpoint, const char *types,
    struct webhook_delivery **out, struct err *e)
{
	struct pg *q = impl;
	int rc, i;

	*out = NULL;
	/* An event taken on earlier may already be delivered: go on. */
	for (i = 0; i < 1000; i++) {
		if ((rc = pg_wh_head(q, endpoint, out, e)) != LG_ENOENT)
			return rc;
		if ((rc = pg_wh_take(q, endpoint, types, e)) != LG_OK)
			return rc;
	}
	return err_set(e, LG_ETEMP, "webhook %s: no pending delivery after "
	    "1000 events taken on", endpoint);
}

int
pg_webhook_update(void *impl, const struct webhook_delivery *d,
    struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	int64_t n;
	int rc;

	pg_now(now, sizeof(now));
	pgp_text(&p, d->state);
	pgp_int(&p, d->attempts);
	pgp_int(&p, d->next_attempt);
	pgp_int(&p, d->last_status);
	pgp_text(&p, d->last_error);
	pgp_text(&p, now);
	pgp_text(&p, d->endpoint);
	pgp_int(&p, d->event_id);
	if ((rc = pg_change(impl, sql_wh_update, &p, &n, "webhook update",
	    e)) != LG_OK)
		return rc;
	if (n == 0)
		return err_set(e, LG_ENOENT, "no delivery of event %lld to %s",
		    (long long)d->event_id, d->endpoint);
	return LG_OK;
}

int
pg_webhook_list(void *impl, const char *endpoint, const char *state,
    struct webhook_delivery **out, size_t *n, struct err *e)
{
	struct pg_params p = { 0 };
	struct webhook_delivery *v;
	PGresult *r;
	int i, rc, cnt;

	pgp_text(&p, endpoint);
	pgp_text(&p, state);
	if ((rc = pg_query(impl, sql_wh_list, &p, &r, "webhook list", e)) !=
	    LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++)
		pg_wh_row(r, i, &v[i]);
	PQclear(r);
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}

int
pg_webhook_retry(void *impl, const char *endpoint, const char *uid, long *n,
    struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	int64_t c;
	int rc;

	*n = 0;
	pg_now(now, sizeof(now));
	pgp_text(&p, endpoint);
	pgp_text(&p, uid);
	pgp_text(&p, now);
	if ((rc = pg_change(impl, sql_wh_retry, &p, &c, "webhook retry", e)) !=
	    LG_OK)
		return rc;
	*n = (long)c;
	return LG_OK;
}

int
pg_webhook_purge(void *impl, const char *const *endpoints, size_t n,
    const char *before, long *events, struct err *e)
{
	struct pg *q = impl;
	struct pg_params p;
	PGresult *r;
	int64_t upto = INT64_MAX, c;
	size_t i;
	int rc;

	*events = 0;
	/* The events every endpoint has passed: up to the lowest cursor. */
	for (i = 0; i < n && upto > 0; i++) {
		memset(&p, 0, sizeof(p));
		pgp_text(&p, endpoints[i]);
		if ((rc = pg_query(q, sql_wh_cursor_of, &p, &r,
		    "webhook cursor", e)) != LG_OK)
			return rc;
		if (PQntuples(r) == 0) {
			PQclear(r);
			upto = 0;
			break;
		}
		c = pg_int(r, 0, 0);
		PQclear(r);
		if (c < upto)
			upto = c;
	}
	if (upto <= 0)
		return LG_OK;
	memset(&p, 0, sizeof(p));
	pgp_text(&p, before);
	pgp_int(&p, upto);
	if ((rc = pg_query(q, sql_wh_purge_dlv, &p, NULL, "webhook purge",
	    e)) != LG_OK)
		return rc;
	if ((rc = pg_change(q, sql_wh_purge_ev, &p, &c, "webhook purge",
	    e)) != LG_OK)
		return rc;
	*events = (long)c;
	return LG_OK;
}
