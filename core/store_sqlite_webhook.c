/*
 * The webhook outbox in SQLite. Events are written by the triggers of
 * migration 9, never here: this file only takes them on per endpoint and
 * keeps the state of each delivery.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "core/store_sqlite.h"
#include "util/xmalloc.h"

#define WH_COLS \
    "d.endpoint, d.event_id, ev.uid, ev.type, ev.created_at, ev.data, " \
    "d.state, d.attempts, d.next_attempt, d.last_status, d.last_error, " \
    "d.updated_at"

static const char sql_wh_head[] =
    "SELECT " WH_COLS " FROM webhook_deliveries d "
    "JOIN webhook_events ev ON ev.id = d.event_id "
    "WHERE d.endpoint=? AND d.state='pending' ORDER BY d.event_id LIMIT 1";
/* The next event of a wanted type after the endpoint's cursor (0: none). */
static const char sql_wh_after[] =
    "SELECT id FROM webhook_events WHERE id > coalesce((SELECT last_event "
    "FROM webhook_cursors WHERE endpoint=?1), 0) "
    "AND instr(',' || ?2 || ',', ',' || type || ',') > 0 ORDER BY id LIMIT 1";
/* Ignored when the delivery exists: taking an event on twice is one. */
static const char sql_wh_take[] =
    "INSERT OR IGNORE INTO webhook_deliveries (endpoint, event_id, "
    "updated_at) VALUES (?,?,?)";
static const char sql_wh_cursor[] =
    "INSERT INTO webhook_cursors (endpoint, last_event) VALUES (?1, ?2) "
    "ON CONFLICT (endpoint) DO UPDATE SET last_event=max(last_event, ?2)";
/*
 * None of the endpoint's types after its cursor: move it past every event
 * there is, so that the next look starts there instead of scanning the
 * others again. One statement (one snapshot): an event of its types
 * committed meanwhile keeps the cursor where it was.
 */
static const char sql_wh_skip[] =
    "INSERT INTO webhook_cursors (endpoint, last_event) "
    "SELECT ?1, coalesce(max(id), 0) FROM webhook_events WHERE NOT EXISTS "
    "(SELECT 1 FROM webhook_events WHERE "
    "instr(',' || ?2 || ',', ',' || type || ',') > 0) "
    "ON CONFLICT (endpoint) DO UPDATE SET last_event=excluded.last_event "
    "WHERE excluded.last_event > webhook_cursors.last_event AND NOT EXISTS "
    "(SELECT 1 FROM webhook_events WHERE id > webhook_cursors.last_event "
    "AND instr(',' || ?2 || ',', ',' || type || ',') > 0)";
static const char sql_wh_update[] =
    "UPDATE webhook_deliveries SET state=?, attempts=?, next_attempt=?, "
    "last_status=?, last_error=?, updated_at=? WHERE endpoint=? AND "
    "event_id=?";
static const char sql_wh_list[] =
    "SELECT " WH_COLS " FROM webhook_deliveries d "
    "JOIN webhook_events ev ON ev.id = d.event_id "
    "WHERE (?1 IS NULL OR d.endpoint=?1) AND (?2 IS NULL OR d.state=?2) "
    "ORDER BY d.event_id, d.endpoint";
static const char sql_wh_retry[] =
    "UPDATE webhook_deliveries SET state='pending', attempts=0, "
    "next_attempt=0, updated_at=?3 WHERE state='failed' AND "
    "(?1 IS NULL OR endpoint=?1) AND (?2 IS NULL OR event_id IN "
    "(SELECT id FROM webhook_events WHERE uid=?2))";

static void
sq_wh_row(sqlite3_stmt *s, struct webhook_delivery *d)
{
	memset(d, 0, sizeof(*d));
	d->endpoint = sq_col_text(s, 0);
	d->event_id = sqlite3_column_int64(s, 1);
	d->uid = sq_col_text(s, 2);
	d->type = sq_col_text(s, 3);
	d->created_at = sq_col_text(s, 4);
	d->data = sq_col_text(s, 5);
	d->state = sq_col_text(s, 6);
	d->attempts = sqlite3_column_int(s, 7);
	d->next_attempt = sqlite3_column_int64(s, 8);
	d->last_status = (long)sqlite3_column_int64(s, 9);
	d->last_error = sq_col_text(s, 10);
	d->updated_at = sq_col_text(s, 11);
}

static int
sq_wh_head(struct sq *q, const char *endpoint, struct webhook_delivery **out,
    struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_wh_head, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, endpoint);
	if ((rc = sq_step_row(q, s, "webhook delivery", e)) != LG_OK)
		return rc;
	*out = xcalloc(1, sizeof(**out));
	sq_wh_row(s, *out);
	sq_done(s);
	return LG_OK;
}

/* Take the next wanted event on; LG_ENOENT when there is none. */
static int
sq_wh_take(struct sq *q, const char *endpoint, const char *types,
    struct err *e)
{
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int64_t id;
	int rc;

	if ((s = sq_stmt(q, sql_wh_after, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, endpoint);
	sq_bind_text(s, 2, types);
	if ((rc = sq_step_row(q, s, "webhook events", e)) == LG_ENOENT) {
		if ((s = sq_stmt(q, sql_wh_skip, e)) == NULL)
			return e ? e->code : LG_EINTERNAL;
		sq_bind_text(s, 1, endpoint);
		sq_bind_text(s, 2, types);
		if ((rc = sq_exec_stmt(q, s, "webhook cursor", e)) != LG_OK)
			return rc;
		return err_set(e, LG_ENOENT, "no event for %s", endpoint);
	}
	if (rc != LG_OK)
		return rc;
	id = sqlite3_column_int64(s, 0);
	sq_done(s);
	/*
	 * Two statements, no transaction needed: after a crash between
	 * them the delivery exists and the next call moves the cursor.
	 */
	if ((s = sq_stmt(q, sql_wh_take, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, endpoint);
	sqlite3_bind_int64(s, 2, id);
	sq_bind_text(s, 3, now);
	if ((rc = sq_exec_stmt(q, s, "webhook take", e)) != LG_OK)
		return rc;
	if ((s = sq_stmt(q, sql_wh_cursor, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, endpoint);
	sqlite3_bind_int64(s, 2, id);
	return sq_exec_stmt(q, s, "webhook cursor", e);
}

int
sq_webhook_next(void *impl, const char *endpoint, const char *types,
    struct webhook_delivery **out, struct err *e)
{
	struct sq *q = impl;
	int rc, i;

	*out = NULL;
	/* An event taken on earlier may already be delivered: go on. */
	for (i = 0; i < 1000; i++) {
		if ((rc = sq_wh_head(q, endpoint, out, e)) != LG_ENOENT)
			return rc;
		if ((rc = sq_wh_take(q, endpoint, types, e)) != LG_OK)
			return rc;
	}
	return err_set(e, LG_ETEMP, "webhook %s: no pending delivery after "
	    "1000 events taken on", endpoint);
}

int
sq_webhook_update(void *impl, const struct webhook_delivery *d,
    struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_wh_update, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, d->state);
	sqlite3_bind_int(s, 2, d->attempts);
	sqlite3_bind_int64(s, 3, d->next_attempt);
	sqlite3_bind_int64(s, 4, d->last_status);
	sq_bind_text(s, 5, d->last_error);
	sq_bind_text(s, 6, now);
	sq_bind_text(s, 7, d->endpoint);
	sqlite3_bind_int64(s, 8, d->event_id);
	if ((rc = sq_exec_stmt(q, s, "webhook update", e)) != LG_OK)
		return rc;
	if (sqlite3_changes(q->db) == 0)
		return err_set(e, LG_ENOENT, "no delivery of event %lld to %s",
		    (long long)d->event_id, d->endpoint);
	return LG_OK;
}

int
sq_webhook_list(void *impl, const char *endpoint, const char *state,
    struct webhook_delivery **out, size_t *n, struct err *e)
{
	struct sq *q = impl;
	struct webhook_delivery *v = NULL;
	sqlite3_stmt *s;
	size_t cnt = 0;
	int rc;

	if ((s = sq_stmt(q, sql_wh_list, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, endpoint);
	sq_bind_text(s, 2, state);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		sq_wh_row(s, &v[cnt++]);
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		store_webhook_rows_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "webhook list", e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}

int
sq_webhook_retry(void *impl, const char *endpoint, const char *uid, long *n,
    struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	if ((s = sq_stmt(q, sql_wh_retry, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, endpoint);
	sq_bind_text(s, 2, uid);
	sq_bind_text(s, 3, now);
	if ((rc = sq_exec_stmt(q, s, "webhook retry", e)) != LG_OK)
		return rc;
	*n = sqlite3_changes(q->db);
	return LG_OK;
}

static const char sql_wh_cursor_of[] =
    "SELECT last_event FROM webhook_cursors WHERE endpoint=?";
/*
 * Retention, two statements that need no transaction: a crash between
 * them leaves events without deliveries, which the next run forgets. NOT
 * IN over a subquery is evaluated once (deliveries have no index by
 * event alone). Cursors only move forward, so an upper id read earlier
 * stays safe; a failed delivery made pending again keeps its event.
 */
static const char sql_wh_purge_dlv[] =
    "DELETE FROM webhook_deliveries WHERE event_id IN (SELECT id FROM "
    "webhook_events WHERE id <= ?2 AND created_at < ?1 AND id NOT IN "
    "(SELECT event_id FROM webhook_deliveries WHERE state='pending'))";
static const char sql_wh_purge_ev[] =
    "DELETE FROM webhook_events WHERE id <= ?2 AND created_at < ?1 AND "
    "id NOT IN (SELECT event_id FROM webhook_deliveries)";

int
sq_webhook_purge(void *impl, const char *const *endpoints, size_t n,
    const char *before, long *events, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int64_t upto = INT64_MAX, c;
	size_t i;
	int rc;

	*events = 0;
	/* The events every endpoint has passed: up to the lowest cursor. */
	for (i = 0; i < n && upto > 0; i++) {
		if ((s = sq_stmt(q, sql_wh_cursor_of, e)) == NULL)
			return e ? e->code : LG_EINTERNAL;
		sq_bind_text(s, 1, endpoints[i]);
		rc = sq_step_row(q, s, "webhook cursor", e);
		if (rc == LG_ENOENT) {
			upto = 0;
			break;
		}
		if (rc != LG_OK)
			return rc;
		c = sqlite3_column_int64(s, 0);
		sq_done(s);
		if (c < upto)
			upto = c;
	}
	if (upto <= 0)
		return LG_OK;
	if ((s = sq_stmt(q, sql_wh_purge_dlv, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, before);
	sqlite3_bind_int64(s, 2, upto);
	if ((rc = sq_exec_stmt(q, s, "webhook purge", e)) != LG_OK)
		return rc;
	if ((s = sq_stmt(q, sql_wh_purge_ev, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, before);
	sqlite3_bind_int64(s, 2, upto);
	if ((rc = sq_exec_stmt(q, s, "webhook purge", e)) != LG_OK)
		return rc;
	*events = sqlite3_changes(q->db);
	return LG_OK;
}
