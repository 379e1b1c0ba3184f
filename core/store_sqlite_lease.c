/*
 * Leases in SQLite (migration 16): one row per piece of shared work. Each
 * operation is one statement, so it needs no transaction of its own; the
 * take is an upsert whose WHERE lets it through only for a free, expired
 * or already owned lease (sqlite3_changes() tells which).
 */
#include <stdlib.h>

#include "core/store_sqlite.h"
#include "util/xmalloc.h"

static const char sql_lease_take[] =
    "INSERT INTO leases (name, holder, taken_at, renewed_at, expires_at) "
    "VALUES (?1, ?2, ?3, ?3, ?3 + ?4) ON CONFLICT (name) DO UPDATE SET "
    "taken_at = CASE WHEN leases.holder = excluded.holder "
    "THEN leases.taken_at ELSE excluded.taken_at END, "
    "holder = excluded.holder, renewed_at = excluded.renewed_at, "
    "expires_at = excluded.expires_at "
    "WHERE leases.holder = excluded.holder OR "
    "leases.expires_at <= excluded.renewed_at";
static const char sql_lease_renew[] =
    "UPDATE leases SET renewed_at = ?3, expires_at = ?3 + ?4 "
    "WHERE name = ?1 AND holder = ?2";
static const char sql_lease_release[] =
    "DELETE FROM leases WHERE name = ? AND holder = ?";
static const char sql_lease_list[] =
    "SELECT name, holder, taken_at, renewed_at, expires_at FROM leases "
    "ORDER BY name";

static int
lease_change(struct sq *q, const char *sql, const char *name,
    const char *holder, int64_t now, int ttl, int *n, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, name);
	sq_bind_text(s, 2, holder);
	if (ttl >= 0) {
		sqlite3_bind_int64(s, 3, now);
		sqlite3_bind_int64(s, 4, ttl);
	}
	if ((rc = sq_exec_stmt(q, s, "lease", e)) == LG_OK)
		*n = sqlite3_changes(q->db);
	return rc;
}

int
sq_lease_take(void *impl, const char *name, const char *holder,
    int64_t now, int ttl, int *got, struct err *e)
{
	int n = 0, rc;

	*got = 0;
	if ((rc = lease_change(impl, sql_lease_take, name, holder, now, ttl,
	    &n, e)) == LG_OK)
		*got = n > 0;
	return rc;
}

int
sq_lease_renew(void *impl, const char *name, const char *holder,
    int64_t now, int ttl, struct err *e)
{
	int n = 0, rc;

	if ((rc = lease_change(impl, sql_lease_renew, name, holder, now, ttl,
	    &n, e)) == LG_OK && n == 0)
		rc = err_set(e, LG_ENOENT, "lease %s is not held by %s", name,
		    holder);
	return rc;
}

int
sq_lease_release(void *impl, const char *name, const char *holder,
    struct err *e)
{
	int n = 0;

	return lease_change(impl, sql_lease_release, name, holder, 0, -1, &n,
	    e);
}

int
sq_lease_list(void *impl, struct lease_row **out, size_t *n, struct err *e)
{
	struct sq *q = impl;
	struct lease_row *v = NULL;
	size_t cnt = 0, cap = 0;
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	*n = 0;
	if ((s = sq_stmt(q, sql_lease_list, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 8;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[cnt].name = sq_col_text(s, 0);
		v[cnt].holder = sq_col_text(s, 1);
		v[cnt].taken_at = sqlite3_column_int64(s, 2);
		v[cnt].renewed_at = sqlite3_column_int64(s, 3);
		v[cnt].expires_at = sqlite3_column_int64(s, 4);
		cnt++;
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		store_lease_rows_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db), "leases", e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}
