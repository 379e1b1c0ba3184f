/* Outgoing mail and the suppression list in SQLite. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/clock.h"
#include "core/store_sqlite.h"
#include "util/xmalloc.h"

#define OUT_COLS \
    "id, dedup_key, lead_id, contact_id, template, rule, campaign_id, " \
    "sender, rcpt, spool_name, state, attempts, next_attempt, last_reply, " \
    "advance_pipeline, advance_phase, created_at, updated_at, sent_at, " \
    "message_id, subject, inflight, unconfirmed, inflight_boot, wire, " \
    "owner, claim_until"

static const char sql_out_insert[] =
    "INSERT INTO outgoing (dedup_key, lead_id, contact_id, template, rule, "
    "campaign_id, sender, rcpt, spool_name, state, attempts, next_attempt, "
    "last_reply, advance_pipeline, advance_phase, created_at, updated_at, "
    "message_id, subject) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
static const char sql_out_update[] =
    "UPDATE outgoing SET spool_name=?, state=?, attempts=?, next_attempt=?, "
    "last_reply=?, sent_at=?, updated_at=?, sender=?, inflight=?, "
    "unconfirmed=?, inflight_boot=?, wire=? WHERE id=?";
/* Only a message still waiting: one cancelled meanwhile goes nowhere. */
static const char sql_out_inflight[] =
    "UPDATE outgoing SET inflight=?2, inflight_boot=?3, wire=0 WHERE id=?1 "
    "AND state IN ('queued','deferred')";
static const char sql_out_wire[] =
    "UPDATE outgoing SET wire=1 WHERE id=?1 AND inflight != 0";
static const char sql_out_get[] =
    "SELECT " OUT_COLS " FROM outgoing WHERE id=?";
static const char sql_out_by_mid[] =
    "SELECT " OUT_COLS " FROM outgoing WHERE message_id=? ORDER BY id "
    "LIMIT 1";
static const char sql_out_to_contact[] =
    "SELECT " OUT_COLS " FROM outgoing WHERE contact_id=? ORDER BY id";
/* ?1 is a bit set over the states in enum order; 0 selects every row. */
static const char sql_out_list[] =
    "SELECT " OUT_COLS " FROM outgoing WHERE ?1 = 0 OR "
    "(?1 >> (CASE state WHEN 'queued' THEN 0 WHEN 'deferred' THEN 1 "
    "WHEN 'sent' THEN 2 WHEN 'failed' THEN 3 WHEN 'cancelled' THEN 4 "
    "ELSE 5 END)) & 1 ORDER BY id";
/* A paused campaign's mail is not due (it waits, queued, until resumed). */
#define OUT_NOT_PAUSED "(campaign_id IS NULL OR campaign_id NOT IN " \
    "(SELECT id FROM campaigns WHERE paused_at IS NOT NULL))"
static const char sql_out_due[] =
    "SELECT " OUT_COLS " FROM outgoing WHERE state IN ('queued','deferred') "
    "AND next_attempt <= ? AND id > ? AND " OUT_NOT_PAUSED
    " ORDER BY id LIMIT ?";
static const char sql_out_in_flight[] =
    "SELECT " OUT_COLS " FROM outgoing WHERE inflight != 0 "
    "AND state IN ('queued','deferred') ORDER BY id";
/* Due, nothing in flight, no other owner's claim (store_ops.h). */
#define OUT_CLAIMABLE "inflight = 0 " \
    "AND next_attempt <= ?2 AND id > ?5 AND (owner IS NULL OR owner = ?1 " \
    "OR claim_until <= ?2) AND (?4 <> 0 OR campaign_id IS NULL) AND " \
    OUT_NOT_PAUSED
/*
 * SQLite has one writer: the rows are the caller's until it commits.
 * One arm per waiting state, each read in id order from outgoing(state,
 * id) (migration 18), merged: the walk stops after ?6 rows instead of
 * sorting every waiting row for each batch, as state IN (...) would.
 */
static const char sql_out_claim[] =
    "UPDATE outgoing SET owner = ?1, claim_until = ?3 WHERE id IN "
    "(SELECT id FROM outgoing WHERE state = 'queued' AND " OUT_CLAIMABLE
    " UNION ALL SELECT id FROM outgoing WHERE state = 'deferred' AND "
    OUT_CLAIMABLE " ORDER BY id LIMIT ?6) RETURNING " OUT_COLS;
static const char sql_out_claim_renew[] =
    "UPDATE outgoing SET claim_until = ?3 WHERE owner = ?1 AND state IN "
    "('queued','deferred') AND (inflight != 0 OR claim_until > ?2)";
static const char sql_out_orphans[] =
    "SELECT " OUT_COLS " FROM outgoing WHERE inflight != 0 AND state IN "
    "('queued','deferred') AND (owner IS NULL OR owner = ?1 OR "
    "claim_until <= ?2) ORDER BY id";
static const char sql_out_body_put[] =
    "INSERT INTO outgoing_bodies (id, body) VALUES (?1, ?2) "
    "ON CONFLICT (id) DO UPDATE SET body = excluded.body";
static const char sql_out_body_get[] =
    "SELECT body FROM outgoing_bodies WHERE id = ?1";
static const char sql_out_body_drop[] =
    "DELETE FROM outgoing_bodies WHERE id = ?1 OR (?1 = 0 AND EXISTS "
    "(SELECT 1 FROM outgoing o WHERE o.id = outgoing_bodies.id AND "
    "o.state = 'sent'))";
static const char sql_out_next_due[] =
    "SELECT min(next_attempt) FROM outgoing "
    "WHERE state IN ('queued','deferred') AND " OUT_NOT_PAUSED;
static const char sql_out_counts[] =
    "SELECT state, count(*) FROM outgoing GROUP BY state";
static const char sql_out_set_class[] =
    "UPDATE outgoing SET fail_class=? WHERE id=?";
static const char sql_out_class_counts[] =
    "SELECT fail_class, count(*) FROM outgoing WHERE fail_class IS NOT NULL "
    "GROUP BY fail_class";
static const char sql_out_sent_since[] =
    "SELECT count(*) FROM outgoing WHERE state = 'sent' AND sent_at >= ?1 "
    "AND (?2 = 0 OR campaign_id IS NOT NULL)";
/* A primary key range: the rows of one batch file, at most a few hundred. */
static const char sql_out_spool_count[] =
    "SELECT count(*), coalesce(sum(state <> 'sent'), 0) FROM outgoing "
    "WHERE id BETWEEN ?2 AND ?3 AND spool_name = ?1";
/* The first reason stays: it is the one that explains the listing. */
static const char sql_supp_add[] =
    "INSERT INTO suppression (address, reason, at) VALUES (?,?,?) "
    "ON CONFLICT (address) DO NOTHING";
/* Two probes of the key: an IN list would build a table at each call. */
static const char sql_supp_get[] =
    "SELECT reason FROM suppression WHERE address = ?1 UNION ALL "
    "SELECT reason FROM suppression WHERE address = ?2 LIMIT 1";
static const char sql_supp_list[] =
    "SELECT address, reason, at FROM suppression ORDER BY at, address";

/* One row of OUT_COLS into o. */
static void
sq_out_read(sqlite3_stmt *s, struct outgoing *o)
{
	o->id = sqlite3_column_int64(s, 0);
	o->dedup_key = sq_col_text(s, 1);
	o->lead_id = sqlite3_column_int64(s, 2);
	o->contact_id = sqlite3_column_int64(s, 3);
	o->template = sq_col_text(s, 4);
	o->rule = sq_col_text(s, 5);
	o->campaign_id = sqlite3_column_int64(s, 6);
	o->sender = sq_col_text(s, 7);
	o->rcpt = sq_col_text(s, 8);
	o->spool_name = sq_col_text(s, 9);
	if (outgoing_state_parse((const char *)sqlite3_column_text(s, 10),
	    &o->state) != 0)
		o->state = OUT_FAILED;	/* the CHECK constraint forbids it */
	o->attempts = sqlite3_column_int(s, 11);
	o->next_attempt = sqlite3_column_int64(s, 12);
	o->last_reply = sq_col_text(s, 13);
	o->advance_pipeline = sq_col_text(s, 14);
	o->advance_phase = sqlite3_column_int(s, 15);
	o->created_at = sq_col_text(s, 16);
	o->updated_at = sq_col_text(s, 17);
	o->sent_at = sq_col_text(s, 18);
	o->message_id = sq_col_text(s, 19);
	o->subject = sq_col_text(s, 20);
	o->inflight = sqlite3_column_int64(s, 21);
	o->unconfirmed = sqlite3_column_int(s, 22);
	o->inflight_boot = sq_col_text(s, 23);
	o->wire = sqlite3_column_int(s, 24);
	o->owner = sq_col_text(s, 25);
	o->claim_until = sqlite3_column_int64(s, 26);
}

int
sq_outgoing_insert(void *impl, struct outgoing *o, struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_out_insert, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, o->dedup_key);
	sq_bind_id(s, 2, o->lead_id);
	sq_bind_id(s, 3, o->contact_id);
	sq_bind_text(s, 4, o->template);
	sq_bind_text(s, 5, o->rule);
	sq_bind_id(s, 6, o->campaign_id);
	sq_bind_text(s, 7, o->sender ? o->sender : "");
	sq_bind_text(s, 8, o->rcpt);
	sq_bind_text(s, 9, o->spool_name);
	sq_bind_text(s, 10, outgoing_state_name(o->state));
	sqlite3_bind_int(s, 11, o->attempts);
	sqlite3_bind_int64(s, 12, o->next_attempt);
	sq_bind_text(s, 13, o->last_reply);
	sq_bind_text(s, 14, o->advance_pipeline);
	if (o->advance_phase)
		sqlite3_bind_int(s, 15, o->advance_phase);
	sq_bind_text(s, 16, now);
	sq_bind_text(s, 17, now);
	sq_bind_text(s, 18, o->message_id);
	sq_bind_text(s, 19, o->subject);
	if ((rc = sq_exec_stmt(q, s, "outgoing", e)) != LG_OK) {
		if (rc == LG_EEXIST)
			err_set(e, LG_EEXIST, "outgoing message '%s' is already "
			    "queued", o->dedup_key);
		return rc;
	}
	o->id = sqlite3_last_insert_rowid(q->db);
	xstrset(&o->created_at, now);
	xstrset(&o->updated_at, now);
	return LG_OK;
}

int
sq_outgoing_update(void *impl, struct outgoing *o, struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_out_update, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, o->spool_name);
	sq_bind_text(s, 2, outgoing_state_name(o->state));
	sqlite3_bind_int(s, 3, o->attempts);
	sqlite3_bind_int64(s, 4, o->next_attempt);
	sq_bind_text(s, 5, o->last_reply);
	sq_bind_text(s, 6, o->sent_at);
	sq_bind_text(s, 7, now);
	sq_bind_text(s, 8, o->sender ? o->sender : "");
	sqlite3_bind_int64(s, 9, o->inflight);
	sqlite3_bind_int(s, 10, o->unconfirmed);
	sq_bind_text(s, 11, o->inflight_boot);
	sqlite3_bind_int(s, 12, o->wire);
	sqlite3_bind_int64(s, 13, o->id);
	if ((rc = sq_exec_stmt(q, s, "outgoing", e)) != LG_OK)
		return rc;
	if (sqlite3_changes(q->db) == 0)
		return err_set(e, LG_ENOENT, "no outgoing message %lld",
		    (long long)o->id);
	xstrset(&o->updated_at, now);
	return LG_OK;
}

int
sq_outgoing_inflight(void *impl, int64_t id, int64_t at, const char *boot,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_out_inflight, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, at);
	sq_bind_text(s, 3, at != 0 ? boot : NULL);
	return sq_exec_stmt(q, s, "outgoing", e);
}

int
sq_outgoing_wire(void *impl, int64_t id, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_out_wire, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	return sq_exec_stmt(q, s, "outgoing", e);
}

int
sq_outgoing_get(void *impl, int64_t id, struct outgoing **out, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_out_get, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = outgoing_new();
		sq_out_read(s, *out);
	}
	sq_done(s);
	if (rc == SQLITE_DONE)
		return err_set(e, LG_ENOENT, "no outgoing message %lld",
		    (long long)id);
	if (rc != SQLITE_ROW)
		return sq_fail(q, sqlite3_extended_errcode(q->db), "outgoing",
		    e);
	return LG_OK;
}

int
sq_outgoing_by_message_id(void *impl, const char *message_id,
    struct outgoing **out, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	if ((s = sq_stmt(q, sql_out_by_mid, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, message_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = outgoing_new();
		sq_out_read(s, *out);
	}
	sq_done(s);
	if (rc == SQLITE_DONE)
		return err_set(e, LG_ENOENT, "no outgoing message has the "
		    "Message-ID <%s>", message_id);
	if (rc != SQLITE_ROW)
		return sq_fail(q, sqlite3_extended_errcode(q->db), "outgoing",
		    e);
	return LG_OK;
}

/* Every row of a prepared and bound statement, as an array. */
static int
sq_out_rows(struct sq *q, sqlite3_stmt *s, struct outgoing **out, size_t *n,
    struct err *e)
{
	struct outgoing *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		memset(&v[cnt], 0, sizeof(v[cnt]));
		sq_out_read(s, &v[cnt++]);
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		store_outgoing_rows_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db), "outgoing",
		    e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}

int
sq_outgoing_to_contact(void *impl, int64_t contact_id,
    struct outgoing **out, size_t *n, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_out_to_contact, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, contact_id);
	return sq_out_rows(q, s, out, n, e);
}

int
sq_outgoing_list(void *impl, unsigned states, struct outgoing **out,
    size_t *n, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_out_list, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)states);
	return sq_out_rows(q, s, out, n, e);
}

int
sq_outgoing_due(void *impl, int64_t now, int64_t after, size_t limit,
    struct outgoing **out, size_t *n, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_out_due, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, after);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)limit);
	return sq_out_rows(q, s, out, n, e);
}

int
sq_outgoing_in_flight(void *impl, struct outgoing **out, size_t *n,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_out_in_flight, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	return sq_out_rows(q, s, out, n, e);
}

static int
sq_out_byid(const void *a, const void *b)
{
	const struct outgoing *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

int
sq_outgoing_claim(void *impl, const char *owner, int64_t now, int64_t until,
    int campaigns, int64_t after, size_t limit, struct outgoing **out,
    size_t *n, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_out_claim, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, owner);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, until);
	sqlite3_bind_int(s, 4, campaigns != 0);
	sqlite3_bind_int64(s, 5, after);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)limit);
	if ((rc = sq_out_rows(q, s, out, n, e)) == LG_OK && *n > 1)
		qsort(*out, *n, sizeof(**out), sq_out_byid);
	return rc;
}

int
sq_outgoing_claim_renew(void *impl, const char *owner, int64_t now,
    int64_t until, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_out_claim_renew, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, owner);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, until);
	return sq_exec_stmt(q, s, "outgoing claims", e);
}

int
sq_outgoing_orphans(void *impl, const char *owner, int64_t now,
    struct outgoing **out, size_t *n, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_out_orphans, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, owner);
	sqlite3_bind_int64(s, 2, now);
	return sq_out_rows(q, s, out, n, e);
}

int
sq_outgoing_body_put(void *impl, int64_t id, const char *msg, size_t len,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_out_body_put, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_blob64(s, 2, len ? msg : "", len, SQLITE_TRANSIENT);
	return sq_exec_stmt(q, s, "outgoing body", e);
}

int
sq_outgoing_body_get(void *impl, int64_t id, char **msg, size_t *len,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	size_t n;
	int rc;

	*msg = NULL;
	*len = 0;
	if ((s = sq_stmt(q, sql_out_body_get, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_step_row(q, s, "outgoing body", e)) == LG_ENOENT)
		return err_set(e, LG_ENOENT, "no text of outgoing message %lld "
		    "in the store", (long long)id);
	if (rc != LG_OK)
		return rc;
	n = (size_t)sqlite3_column_bytes(s, 0);
	*msg = xmalloc(n + 1);
	if (n > 0)
		memcpy(*msg, sqlite3_column_blob(s, 0), n);
	(*msg)[n] = '\0';
	*len = n;
	sq_done(s);
	return LG_OK;
}

int
sq_outgoing_body_drop(void *impl, int64_t id, long *n, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	if ((s = sq_stmt(q, sql_out_body_drop, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_exec_stmt(q, s, "outgoing body", e)) == LG_OK)
		*n = (long)sqlite3_changes(q->db);
	return rc;
}

int
sq_outgoing_next_due(void *impl, int64_t *when, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc, null = 1;

	if ((s = sq_stmt(q, sql_out_next_due, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*when = sqlite3_column_int64(s, 0);
		null = 0;
	}
	sq_done(s);
	if (rc != SQLITE_ROW)
		return sq_fail(q, sqlite3_extended_errcode(q->db), "outgoing",
		    e);
	return null ? LG_ENOENT : LG_OK;
}

int
sq_outgoing_counts(void *impl, long counts[OUT_NSTATES], struct err *e)
{
	struct sq *q = impl;
	enum outgoing_state st;
	sqlite3_stmt *s;
	int rc;

	memset(counts, 0, sizeof(long) * OUT_NSTATES);
	if ((s = sq_stmt(q, sql_out_counts, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (outgoing_state_parse((const char *)sqlite3_column_text(s, 0),
		    &st) == 0)
			counts[st] = (long)sqlite3_column_int64(s, 1);
	sq_done(s);
	if (rc != SQLITE_DONE)
		return sq_fail(q, sqlite3_extended_errcode(q->db), "outgoing",
		    e);
	return LG_OK;
}

int
sq_outgoing_set_class(void *impl, int64_t id, enum smtpfail_class cls,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_out_set_class, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, cls == SF_NONE ? NULL : smtpfail_class_name(cls));
	sqlite3_bind_int64(s, 2, id);
	if ((rc = sq_exec_stmt(q, s, "outgoing", e)) != LG_OK)
		return rc;
	if (sqlite3_changes(q->db) == 0)
		return err_set(e, LG_ENOENT, "no outgoing message %lld",
		    (long long)id);
	return LG_OK;
}

int
sq_outgoing_class_counts(void *impl, long counts[SF_NCLASSES], struct err *e)
{
	struct sq *q = impl;
	enum smtpfail_class c;
	sqlite3_stmt *s;
	int rc;

	memset(counts, 0, sizeof(long) * SF_NCLASSES);
	if ((s = sq_stmt(q, sql_out_class_counts, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (smtpfail_class_parse((const char *)sqlite3_column_text(s,
		    0), &c) == 0)
			counts[c] = (long)sqlite3_column_int64(s, 1);
	sq_done(s);
	if (rc != SQLITE_DONE)
		return sq_fail(q, sqlite3_extended_errcode(q->db), "outgoing",
		    e);
	return LG_OK;
}

int
sq_outgoing_sent_since(void *impl, int campaign_only, const char *since_iso,
    long *n, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	if ((s = sq_stmt(q, sql_out_sent_since, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, since_iso);
	sqlite3_bind_int(s, 2, campaign_only != 0);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(s, 0);
	sq_done(s);
	if (rc != SQLITE_ROW)
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "outgoing sent", e);
	return LG_OK;
}

int
sq_outgoing_spool_count(void *impl, const char *name, int64_t lo, int64_t hi,
    long *rows, long *unsent, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	*rows = *unsent = 0;
	if ((s = sq_stmt(q, sql_out_spool_count, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, name);
	sqlite3_bind_int64(s, 2, lo);
	sqlite3_bind_int64(s, 3, hi);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*rows = (long)sqlite3_column_int64(s, 0);
		*unsent = (long)sqlite3_column_int64(s, 1);
	}
	sq_done(s);
	if (rc != SQLITE_ROW)
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "outgoing spool files", e);
	return LG_OK;
}

int
sq_suppression_add(void *impl, const char *address, const char *reason,
    struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_supp_add, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, address);
	sq_bind_text(s, 2, reason);
	sq_bind_text(s, 3, now);
	return sq_exec_stmt(q, s, "suppression", e);
}

int
sq_suppression_get(void *impl, const char *address, char **reason,
    struct err *e)
{
	struct sq *q = impl;
	char key[SQ_SUPPRESSION_KEYLEN];
	sqlite3_stmt *s;
	int rc;

	*reason = NULL;
	if ((s = sq_stmt(q, sql_supp_get, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	/* An erased contact's address is there by its hash only. */
	sq_suppression_key(address, key, sizeof(key));
	sq_bind_text(s, 1, address);
	sq_bind_text(s, 2, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*reason = sq_col_text(s, 0);
	sq_done(s);
	if (rc == SQLITE_DONE)
		return LG_ENOENT;
	if (rc != SQLITE_ROW)
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "suppression", e);
	return LG_OK;
}

int
sq_suppression_list(void *impl, struct suppression_row **out, size_t *n,
    struct err *e)
{
	struct sq *q = impl;
	struct suppression_row *v = NULL;
	sqlite3_stmt *s;
	size_t cnt = 0;
	int rc;

	if ((s = sq_stmt(q, sql_supp_list, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		v[cnt].address = sq_col_text(s, 0);
		v[cnt].reason = sq_col_text(s, 1);
		v[cnt].at = sq_col_text(s, 2);
		cnt++;
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		store_suppression_rows_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "suppression", e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}

int
sq_fast_commit(void *impl, struct err *e)
{
	return sq_exec(impl, "PRAGMA synchronous = NORMAL", e);
}

/*
 * With synchronous=NORMAL a commit is in the WAL file but not on the
 * disk: fsync of that file (what FULL does at every commit) makes all
 * of them durable at once. Without a WAL everything is checkpointed,
 * which SQLite syncs itself.
 */
int
sq_sync(void *impl, struct err *e)
{
	struct sq *q = impl;
	char *wal;
	int fd, rc;

	if ((rc = sq_group_end(q, e)) != LG_OK || (rc = q->grp.failed)) {
		if (q->grp.failed)
			err_set(e, q->grp.failed, "%s", q->grp.why);
		q->grp.failed = 0;
		return rc;
	}
	wal = xasprintf("%s-wal", q->path);
	if ((fd = open(wal, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno != ENOENT)
			rc = err_set(e, LG_ETEMP, "database %s: %s", wal,
			    strerror(errno));
	} else {
		if (fsync(fd) != 0)
			rc = err_set(e, LG_ETEMP, "database %s: fsync: %s", wal,
			    strerror(errno));
		close(fd);
	}
	free(wal);
	return rc;
}

/* A write transaction already keeps every other writer out. */
int
sq_spool_guard(void *impl, int exclusive, struct err *e)
{
	(void)impl;
	(void)exclusive;
	(void)e;
	return LG_OK;
}
