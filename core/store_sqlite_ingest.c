/* Inquiry keys and the quarantine in SQLite. */
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "core/store_sqlite.h"
#include "util/xmalloc.h"

#define INQ_COLS "id, key, connector, sender, lead_id, contact_id, " \
    "quarantine_id, rule, decision, received_at"
#define QUAR_COLS "id, at, connector, kind, inquiry_key, reason, location, " \
    "state, meta"

static const char sql_inq_find[] =
    "SELECT " INQ_COLS " FROM inquiries WHERE key=?";
static const char sql_inq_add[] =
    "INSERT INTO inquiries (key, connector, sender, lead_id, contact_id, "
    "quarantine_id, rule, decision, received_at) VALUES (?,?,?,?,?,?,?,?,?)";
static const char sql_inq_del[] = "DELETE FROM inquiries WHERE id=?";
static const char sql_inq_count[] =
    "SELECT count(*) FROM inquiries WHERE sender=? AND received_at>=?";
static const char sql_inq_of_lead[] =
    "SELECT " INQ_COLS " FROM inquiries WHERE lead_id=? ORDER BY id";
static const char sql_quar_add[] =
    "INSERT INTO quarantine (at, connector, kind, inquiry_key, reason, "
    "location, raw, meta) VALUES (?,?,?,?,?,?,?,?)";
static const char sql_quar_get[] =
    "SELECT " QUAR_COLS ", raw FROM quarantine WHERE id=?";
static const char sql_quar_list[] =
    "SELECT " QUAR_COLS ", length(raw) FROM quarantine "
    "WHERE ?1 IS NULL OR state=?1 ORDER BY id";
static const char sql_out_recent[] =
    "SELECT count(*) FROM outgoing WHERE rcpt=? AND rule=? AND "
    "created_at>=? AND state != 'cancelled'";
static const char sql_quar_state[] =
    "UPDATE quarantine SET state=? WHERE id=?";

static void
inq_row(sqlite3_stmt *s, struct inquiry_row *r)
{
	r->id = sqlite3_column_int64(s, 0);
	r->key = sq_col_text(s, 1);
	r->connector = sq_col_text(s, 2);
	r->sender = sq_col_text(s, 3);
	r->lead_id = sqlite3_column_int64(s, 4);
	r->contact_id = sqlite3_column_int64(s, 5);
	r->quarantine_id = sqlite3_column_int64(s, 6);
	r->rule = sq_col_text(s, 7);
	r->decision = sq_col_text(s, 8);
	r->received_at = sq_col_text(s, 9);
}

int
sq_inquiry_find(void *impl, const char *key, struct inquiry_row **out,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_inq_find, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = xcalloc(1, sizeof(**out));
		inq_row(s, *out);
	}
	sq_done(s);
	if (rc == SQLITE_ROW)
		return LG_OK;
	if (rc == SQLITE_DONE)
		return err_set(e, LG_ENOENT, "no inquiry with key %s", key);
	return sq_fail(q, sqlite3_extended_errcode(q->db), "find inquiry", e);
}

int
sq_inquiry_add(void *impl, const struct new_inquiry *r, int64_t *id,
    struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_inq_add, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, r->key);
	sq_bind_text(s, 2, r->connector);
	sq_bind_text(s, 3, r->sender);
	sq_bind_id(s, 4, r->lead_id);
	sq_bind_id(s, 5, r->contact_id);
	sq_bind_id(s, 6, r->quarantine_id);
	sq_bind_text(s, 7, r->rule);
	sq_bind_text(s, 8, r->decision);
	sq_bind_text(s, 9, now);
	if ((rc = sq_exec_stmt(q, s, "add inquiry", e)) != LG_OK)
		return rc;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(q->db);
	return LG_OK;
}

int
sq_inquiry_delete(void *impl, int64_t id, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_inq_del, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	return sq_exec_stmt(q, s, "delete inquiry", e);
}

int
sq_inquiry_count_from(void *impl, const char *sender, const char *since,
    long *n, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	if ((s = sq_stmt(q, sql_inq_count, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, sender);
	sq_bind_text(s, 2, since);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	sq_done(s);
	if (rc != SQLITE_ROW)
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "count inquiries", e);
	return LG_OK;
}

int
sq_inquiries_of_lead(void *impl, int64_t lead_id, struct inquiry_row **out,
    size_t *n, struct err *e)
{
	struct sq *q = impl;
	struct inquiry_row *v = NULL;
	sqlite3_stmt *s;
	size_t cnt = 0;
	int rc;

	if ((s = sq_stmt(q, sql_inq_of_lead, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, lead_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		memset(&v[cnt], 0, sizeof(v[cnt]));
		inq_row(s, &v[cnt++]);
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		store_inquiry_rows_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "inquiries of lead", e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}

int
sq_quarantine_add(void *impl, const struct new_quarantine *r, int64_t *id,
    struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_quar_add, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, now);
	sq_bind_text(s, 2, r->connector);
	sq_bind_text(s, 3, r->kind ? r->kind : "mail");
	sq_bind_text(s, 4, r->inquiry_key);
	sq_bind_text(s, 5, r->reason);
	sq_bind_text(s, 6, r->location);
	sqlite3_bind_blob64(s, 7, r->raw ? r->raw : "", r->rawlen,
	    SQLITE_STATIC);
	sq_bind_text(s, 8, r->meta ? r->meta : "{}");
	if ((rc = sq_exec_stmt(q, s, "quarantine", e)) != LG_OK)
		return rc;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(q->db);
	return LG_OK;
}

static void
quar_row(sqlite3_stmt *s, struct quarantine_row *r)
{
	r->id = sqlite3_column_int64(s, 0);
	r->at = sq_col_text(s, 1);
	r->connector = sq_col_text(s, 2);
	r->kind = sq_col_text(s, 3);
	r->inquiry_key = sq_col_text(s, 4);
	r->reason = sq_col_text(s, 5);
	r->location = sq_col_text(s, 6);
	r->state = sq_col_text(s, 7);
	r->meta = sq_col_text(s, 8);
}

int
sq_quarantine_get(void *impl, int64_t id, struct quarantine_row **out,
    struct err *e)
{
	struct sq *q = impl;
	struct quarantine_row *r;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_quar_get, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sq_done(s);
		if (rc == SQLITE_DONE)
			return err_set(e, LG_ENOENT, "nothing in quarantine "
			    "with id %lld", (long long)id);
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "quarantine", e);
	}
	r = xcalloc(1, sizeof(*r));
	quar_row(s, r);
	r->rawlen = (size_t)sqlite3_column_bytes(s, 9);
	r->raw = xmalloc(r->rawlen + 1);
	if (r->rawlen)
		memcpy(r->raw, sqlite3_column_blob(s, 9), r->rawlen);
	r->raw[r->rawlen] = '\0';
	sq_done(s);
	*out = r;
	return LG_OK;
}

int
sq_quarantine_list(void *impl, const char *state, struct quarantine_row **out,
    size_t *n, struct err *e)
{
	struct sq *q = impl;
	struct quarantine_row *v = NULL;
	sqlite3_stmt *s;
	size_t cnt = 0;
	int rc;

	if ((s = sq_stmt(q, sql_quar_list, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, state);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		memset(&v[cnt], 0, sizeof(v[cnt]));
		quar_row(s, &v[cnt]);
		v[cnt++].rawlen = (size_t)sqlite3_column_int64(s, 9);
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		store_quarantine_rows_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "quarantine", e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}

int
sq_quarantine_set_state(void *impl, int64_t id, const char *state,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_quar_state, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, state);
	sqlite3_bind_int64(s, 2, id);
	if ((rc = sq_exec_stmt(q, s, "quarantine state", e)) != LG_OK)
		return rc;
	if (sqlite3_changes(q->db) == 0)
		return err_set(e, LG_ENOENT, "nothing in quarantine with id "
		    "%lld", (long long)id);
	return LG_OK;
}

int
sq_outgoing_recent(void *impl, const char *rcpt, const char *rule,
    const char *since, long *n, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	if ((s = sq_stmt(q, sql_out_recent, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, rcpt);
	sq_bind_text(s, 2, rule);
	sq_bind_text(s, 3, since);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	sq_done(s);
	if (rc != SQLITE_ROW)
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "recent outgoing", e);
	return LG_OK;
}
