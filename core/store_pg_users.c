/*
 * The dashboard's users, sessions and failed logins in PostgreSQL, and
 * the funnel's windowed report, as store_sqlite_users.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/store_pg.h"
#include "util/xmalloc.h"

#define USER_COLS "id, name, role, hash, language, created_at"

int
pg_user_add(void *impl, const char *name, const char *role,
    const char *hash, int64_t *id, struct err *e)
{
	struct pg_params p = { 0 };
	char now[32];
	PGresult *r;
	int rc;

	pg_now(now, sizeof(now));
	pgp_text(&p, name);
	pgp_text(&p, role);
	pgp_text(&p, hash);
	pgp_text(&p, now);
	if ((rc = pg_query(impl, "INSERT INTO users (name, role, hash, "
	    "created_at, updated_at) VALUES ($1,$2,$3,$4,$4) RETURNING id", &p,
	    &r, "user", e)) != LG_OK)
		return rc == LG_EEXIST ? err_set(e, LG_EEXIST, "there is "
		    "already a user named '%.64s'", name) : rc;
	if (id)
		*id = pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

static void
user_row(const PGresult *r, int i, struct user *u)
{
	u->id = pg_int(r, i, 0);
	u->name = pg_text(r, i, 1);
	u->role = pg_text(r, i, 2);
	u->hash = pg_text(r, i, 3);
	u->language = pg_text(r, i, 4);
	u->created_at = pg_text(r, i, 5);
}

int
pg_user_get(void *impl, const char *name, struct user *out, struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	memset(out, 0, sizeof(*out));
	pgp_text(&p, name);
	if ((rc = pg_query(impl, "SELECT " USER_COLS " FROM users WHERE "
	    "name=$1", &p, &r, "user", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "no user named '%.64s'", name);
	}
	user_row(r, 0, out);
	PQclear(r);
	return LG_OK;
}

int
pg_user_update(void *impl, const char *name, const char *hash,
    const char *role, const char *language, struct err *e)
{
	struct pg_params p = { 0 }, k = { 0 };
	char now[32];
	int64_t n;
	int rc;

	pg_now(now, sizeof(now));
	pgp_text(&p, name);
	pgp_text(&p, hash);
	pgp_text(&p, role);
	pgp_text(&p, language);
	pgp_text(&p, now);
	/* language "" clears it, NULL keeps it. */
	if ((rc = pg_change(impl, "UPDATE users SET hash=coalesce($2, hash), "
	    "role=coalesce($3, role), language=CASE WHEN $4::text IS NULL "
	    "THEN language ELSE nullif($4::text, '') END, updated_at=$5 "
	    "WHERE name=$1", &p, &n, "user", e)) != LG_OK)
		return rc;
	if (n == 0)
		return err_set(e, LG_ENOENT, "no user named '%.64s'", name);
	if (hash == NULL)
		return LG_OK;
	/* A new password logs every session of the user out. */
	pgp_text(&k, name);
	return pg_query(impl, "DELETE FROM user_sessions WHERE user_id="
	    "(SELECT id FROM users WHERE name=$1)", &k, NULL, "user", e);
}

int
pg_user_remove(void *impl, const char *name, struct err *e)
{
	struct pg_params p = { 0 };
	int64_t n;
	int rc;

	pgp_text(&p, name);
	if ((rc = pg_query(impl, "DELETE FROM user_sessions WHERE user_id="
	    "(SELECT id FROM users WHERE name=$1)", &p, NULL, "user", e)) !=
	    LG_OK)
		return rc;
	if ((rc = pg_change(impl, "DELETE FROM users WHERE name=$1", &p, &n,
	    "user", e)) != LG_OK)
		return rc;
	if (n == 0)
		return err_set(e, LG_ENOENT, "no user named '%.64s'", name);
	return LG_OK;
}

int
pg_user_list(void *impl, struct user **out, size_t *n, struct err *e)
{
	struct user *v;
	PGresult *r;
	int i, cnt, rc;

	/* COLLATE "C": SQLite's byte order; hashes stay NULL. */
	if ((rc = pg_query(impl, "SELECT id, name, role, NULL, language, "
	    "created_at FROM users ORDER BY name COLLATE \"C\"", NULL, &r,
	    "users", e)) != LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++)
		user_row(r, i, &v[i]);
	PQclear(r);
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}

int
pg_session_add(void *impl, const char *hash, int64_t user_id,
    const char *csrf, int64_t now, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_text(&p, hash);
	pgp_int(&p, user_id);
	pgp_text(&p, csrf);
	pgp_int(&p, now);
	return pg_query(impl, "INSERT INTO user_sessions (hash, user_id, csrf,"
	    " created, seen) VALUES ($1,$2,$3,$4,$4)", &p, NULL, "session", e);
}

int
pg_session_get(void *impl, const char *hash, struct user_session *out,
    struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	memset(out, 0, sizeof(*out));
	pgp_text(&p, hash);
	if ((rc = pg_query(impl, "SELECT u.id, u.name, u.role, NULL, "
	    "u.language, u.created_at, s.csrf, s.created, s.seen FROM "
	    "user_sessions s JOIN users u ON u.id = s.user_id WHERE s.hash=$1",
	    &p, &r, "session", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "no such session");
	}
	user_row(r, 0, &out->user);
	out->csrf = pg_text(r, 0, 6);
	out->created = pg_int(r, 0, 7);
	out->seen = pg_int(r, 0, 8);
	PQclear(r);
	return LG_OK;
}

int
pg_session_touch(void *impl, const char *hash, int64_t now, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_int(&p, now);
	pgp_text(&p, hash);
	return pg_query(impl, "UPDATE user_sessions SET seen=$1 WHERE hash=$2",
	    &p, NULL, "session", e);
}

int
pg_session_remove(void *impl, const char *hash, int64_t idle, int64_t made,
    struct err *e)
{
	struct pg_params p = { 0 };

	pgp_text(&p, hash);
	pgp_int(&p, idle);
	pgp_int(&p, made);
	return pg_query(impl, "DELETE FROM user_sessions WHERE hash=$1 OR "
	    "seen<$2 OR created<$3", &p, NULL, "session", e);
}

int
pg_login_fail_add(void *impl, const char *key, int64_t now, int64_t old,
    struct err *e)
{
	struct pg_params p = { 0 }, k = { 0 };
	int rc;

	pgp_int(&p, old);
	if ((rc = pg_query(impl, "DELETE FROM login_failures WHERE at<$1", &p,
	    NULL, "failed login", e)) != LG_OK)
		return rc;
	pgp_text(&k, key);
	pgp_int(&k, now);
	return pg_query(impl, "INSERT INTO login_failures (key, at) VALUES "
	    "($1,$2)", &k, NULL, "failed login", e);
}

int
pg_login_fail_count(void *impl, const char *key, int64_t since, long *n,
    struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pgp_text(&p, key);
	pgp_int(&p, since);
	if ((rc = pg_query(impl, "SELECT count(*) FROM login_failures WHERE "
	    "key=$1 AND at>=$2", &p, &r, "failed logins", e)) != LG_OK)
		return rc;
	*n = (long)pg_int(r, 0, 0);
	PQclear(r);
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
pg_report_window(void *impl, const struct report_window *w,
    struct report_row **out, size_t *n, struct err *e)
{
	struct pg_params p = { 0 };
	struct report_row *v, *rr;
	PGresult *r;
	int i, cnt, rc;

	pgp_text(&p, w->pipeline);
	pgp_text(&p, w->source);
	pgp_text(&p, w->since);
	pgp_text(&p, w->until);
	/*
	 * As SQLite: counts by phase, source and status over leads_funnel,
	 * then the source names; a source by name without case (as its
	 * unique index), ordered as SQLite's NOCASE column sorts.
	 */
	if ((rc = pg_query(impl, "SELECT g.phase_no, s.name, g.status, g.n "
	    "FROM (SELECT phase_no, source_id, status, count(*) n FROM leads "
	    "WHERE pipeline=$1 AND ($2::text IS NULL OR source_id=(SELECT id "
	    "FROM sources WHERE lower(name)=lower($2::text))) AND ($3::text IS "
	    "NULL OR created_at>=$3::text) AND ($4::text IS NULL OR "
	    "created_at<$4::text) GROUP BY phase_no, source_id, status) g "
	    "JOIN sources s ON s.id = g.source_id ORDER BY g.phase_no, "
	    "lower(s.name) COLLATE \"C\"", &p, &r, "report", e)) != LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++) {
		rr = &v[i];
		rr->pipeline = xstrdup(w->pipeline);
		rr->phase_no = (int)pg_int(r, i, 0);
		rr->source = pg_text(r, i, 1);
		cnt_of(rr, PQgetvalue(r, i, 2))[0] = (long)pg_int(r, i, 3);
	}
	PQclear(r);
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}
