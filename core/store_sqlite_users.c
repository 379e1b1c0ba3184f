/* The dashboard's users, sessions and failed logins in SQLite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/store_sqlite.h"
#include "util/xmalloc.h"

static const char sql_user_add[] =
    "INSERT INTO users (name, role, hash, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?4)";
static const char sql_user_get[] =
    "SELECT id, name, role, hash, language, created_at FROM users "
    "WHERE name=?";
static const char sql_user_update[] =
    "UPDATE users SET hash=coalesce(?2, hash), role=coalesce(?3, role), "
    "language=coalesce(nullif(?4, ''), CASE WHEN ?4 = '' THEN NULL "
    "ELSE language END), updated_at=?5 WHERE name=?1";
static const char sql_user_list[] =
    "SELECT id, name, role, NULL, language, created_at FROM users "
    "ORDER BY name";
static const char sql_user_sessions_del[] =
    "DELETE FROM user_sessions WHERE user_id="
    "(SELECT id FROM users WHERE name=?)";
static const char sql_user_del[] =
    "DELETE FROM users WHERE name=?";
static const char sql_session_add[] =
    "INSERT INTO user_sessions (hash, user_id, csrf, created, seen) "
    "VALUES (?, ?, ?, ?4, ?4)";
static const char sql_session_get[] =
    "SELECT u.id, u.name, u.role, NULL, u.language, u.created_at, "
    "s.csrf, s.created, s.seen FROM user_sessions s "
    "JOIN users u ON u.id = s.user_id WHERE s.hash=?";
static const char sql_session_touch[] =
    "UPDATE user_sessions SET seen=? WHERE hash=?";
static const char sql_session_del[] =
    "DELETE FROM user_sessions WHERE hash=?1 OR seen<?2 OR created<?3";
static const char sql_fail_add[] =
    "INSERT INTO login_failures (key, at) VALUES (?, ?)";
static const char sql_fail_forget[] =
    "DELETE FROM login_failures WHERE at<?";
static const char sql_fail_count[] =
    "SELECT count(*) FROM login_failures WHERE key=? AND at>=?";

/*
 * One pass over the covering index leads_funnel: counts by phase, source
 * id and status (count(*) is cheaper than a sum per status), then the few
 * groups get their source's name. A row per status.
 */
static const char sql_window[] =
    "SELECT g.phase_no, s.name, g.status, g.n FROM (SELECT phase_no, "
    "source_id, status, count(*) n FROM leads WHERE pipeline=?1 AND "
    "(?2 IS NULL OR source_id=(SELECT id FROM sources WHERE name=?2)) AND "
    "(?3 IS NULL OR created_at>=?3) AND (?4 IS NULL OR created_at<?4) "
    "GROUP BY phase_no, source_id, status) g "
    "JOIN sources s ON s.id = g.source_id ORDER BY g.phase_no, s.name";

int
sq_user_add(void *impl, const char *name, const char *role,
    const char *hash, int64_t *id, struct err *e)
{
	struct sq *q = impl;
	char now[32];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_user_add, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, name);
	sq_bind_text(s, 2, role);
	sq_bind_text(s, 3, hash);
	sq_bind_text(s, 4, now);
	if ((rc = sq_exec_stmt(q, s, "user", e)) != LG_OK)
		return rc == LG_EEXIST ? err_set(e, LG_EEXIST, "there is "
		    "already a user named '%.64s'", name) : rc;
	if (id)
		*id = sqlite3_last_insert_rowid(q->db);
	return LG_OK;
}

static void
user_row(sqlite3_stmt *s, struct user *u)
{
	u->id = sqlite3_column_int64(s, 0);
	u->name = sq_col_text(s, 1);
	u->role = sq_col_text(s, 2);
	u->hash = sq_col_text(s, 3);
	u->language = sq_col_text(s, 4);
	u->created_at = sq_col_text(s, 5);
}

int
sq_user_get(void *impl, const char *name, struct user *out, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((s = sq_stmt(q, sql_user_get, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, name);
	if ((rc = sq_step_row(q, s, "user", e)) == LG_ENOENT)
		return err_set(e, LG_ENOENT, "no user named '%.64s'", name);
	if (rc != LG_OK)
		return rc;
	user_row(s, out);
	sq_done(s);
	return LG_OK;
}

int
sq_user_update(void *impl, const char *name, const char *hash,
    const char *role, const char *language, struct err *e)
{
	struct sq *q = impl;
	char now[32];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_user_update, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, name);
	sq_bind_text(s, 2, hash);
	sq_bind_text(s, 3, role);
	sq_bind_text(s, 4, language);
	sq_bind_text(s, 5, now);
	if ((rc = sq_exec_stmt(q, s, "user", e)) != LG_OK)
		return rc;
	if (sqlite3_changes(q->db) == 0)
		return err_set(e, LG_ENOENT, "no user named '%.64s'", name);
	if (hash == NULL)
		return LG_OK;
	/* A new password logs every session of the user out. */
	if ((s = sq_stmt(q, sql_user_sessions_del, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, name);
	return sq_exec_stmt(q, s, "user", e);
}

int
sq_user_remove(void *impl, const char *name, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_user_sessions_del, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, name);
	if ((rc = sq_exec_stmt(q, s, "user", e)) != LG_OK)
		return rc;
	if ((s = sq_stmt(q, sql_user_del, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, name);
	if ((rc = sq_exec_stmt(q, s, "user", e)) != LG_OK)
		return rc;
	if (sqlite3_changes(q->db) == 0)
		return err_set(e, LG_ENOENT, "no user named '%.64s'", name);
	return LG_OK;
}

int
sq_user_list(void *impl, struct user **out, size_t *n, struct err *e)
{
	struct sq *q = impl;
	struct user *v = NULL;
	sqlite3_stmt *s;
	size_t cnt = 0;
	int rc;

	if ((s = sq_stmt(q, sql_user_list, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		user_row(s, &v[cnt++]);
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		store_users_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db), "users", e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}

int
sq_session_add(void *impl, const char *hash, int64_t user_id,
    const char *csrf, int64_t now, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_session_add, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, hash);
	sqlite3_bind_int64(s, 2, user_id);
	sq_bind_text(s, 3, csrf);
	sqlite3_bind_int64(s, 4, now);
	return sq_exec_stmt(q, s, "session", e);
}

int
sq_session_get(void *impl, const char *hash, struct user_session *out,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((s = sq_stmt(q, sql_session_get, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, hash);
	if ((rc = sq_step_row(q, s, "session", e)) == LG_ENOENT)
		return err_set(e, LG_ENOENT, "no such session");
	if (rc != LG_OK)
		return rc;
	user_row(s, &out->user);
	out->csrf = sq_col_text(s, 6);
	out->created = sqlite3_column_int64(s, 7);
	out->seen = sqlite3_column_int64(s, 8);
	sq_done(s);
	return LG_OK;
}

int
sq_session_touch(void *impl, const char *hash, int64_t now, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_session_touch, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, now);
	sq_bind_text(s, 2, hash);
	return sq_exec_stmt(q, s, "session", e);
}

int
sq_session_remove(void *impl, const char *hash, int64_t idle, int64_t made,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_session_del, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, hash);
	sqlite3_bind_int64(s, 2, idle);
	sqlite3_bind_int64(s, 3, made);
	return sq_exec_stmt(q, s, "session", e);
}

int
sq_login_fail_add(void *impl, const char *key, int64_t now, int64_t old,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_fail_forget, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, old);
	if ((rc = sq_exec_stmt(q, s, "failed login", e)) != LG_OK)
		return rc;
	if ((s = sq_stmt(q, sql_fail_add, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, now);
	return sq_exec_stmt(q, s, "failed login", e);
}

int
sq_login_fail_count(void *impl, const char *key, int64_t since, long *n,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_fail_count, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, since);
	if ((rc = sq_step_row(q, s, "failed logins", e)) != LG_OK)
		return rc;
	*n = (long)sqlite3_column_int64(s, 0);
	sq_done(s);
	return LG_OK;
}

/* The count of r a status goes into. */
static long *
cnt_of(struct report_row *r, const char *status)
{
	if (strcmp(status, "won") == 0)
		return &r->won;
	if (strcmp(status, "lost") == 0)
		return &r->lost;
	return &r->open;
}

int
sq_report_window(void *impl, const struct report_window *w,
    struct report_row **out, size_t *n, struct err *e)
{
	struct sq *q = impl;
	struct report_row *v = NULL, *r;
	const char *st;
	sqlite3_stmt *s;
	size_t cnt = 0;
	int rc;

	if ((s = sq_stmt(q, sql_window, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, w->pipeline);
	sq_bind_text(s, 2, w->source);
	sq_bind_text(s, 3, w->since);
	sq_bind_text(s, 4, w->until);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		r = &v[cnt++];
		memset(r, 0, sizeof(*r));
		r->pipeline = xstrdup(w->pipeline);
		r->phase_no = sqlite3_column_int(s, 0);
		r->source = sq_col_text(s, 1);
		st = (const char *)sqlite3_column_text(s, 2);
		cnt_of(r, st ? st : "")[0] = (long)sqlite3_column_int64(s, 3);
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		store_report_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db), "report", e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}
