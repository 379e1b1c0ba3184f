/*
 * Leases in PostgreSQL: the same rows and answers as
 * store_sqlite_lease.c. The take is one INSERT ... ON CONFLICT DO UPDATE
 * ... WHERE: two instances taking one expired lease at once are
 * serialised on its row, and the second finds the first's fresh
 * expires_at and changes nothing.
 */
#include <stdlib.h>

#include "core/store_pg.h"
#include "util/xmalloc.h"

int
pg_lease_take(void *impl, const char *name, const char *holder,
    int64_t now, int ttl, int *got, struct err *e)
{
	struct pg_params p = { 0 };
	int64_t n = 0;
	int rc;

	*got = 0;
	pgp_text(&p, name);
	pgp_text(&p, holder);
	pgp_int(&p, now);
	pgp_int(&p, ttl);
	if ((rc = pg_change(impl, "INSERT INTO leases (name, holder, "
	    "taken_at, renewed_at, expires_at) VALUES ($1, $2, $3, $3, "
	    "$3::bigint + $4::bigint) ON CONFLICT (name) DO UPDATE SET "
	    "taken_at = CASE WHEN leases.holder = excluded.holder "
	    "THEN leases.taken_at ELSE excluded.taken_at END, "
	    "holder = excluded.holder, renewed_at = excluded.renewed_at, "
	    "expires_at = excluded.expires_at "
	    "WHERE leases.holder = excluded.holder OR "
	    "leases.expires_at <= excluded.renewed_at", &p, &n, "lease",
	    e)) == LG_OK)
		*got = n > 0;
	return rc;
}

int
pg_lease_renew(void *impl, const char *name, const char *holder,
    int64_t now, int ttl, struct err *e)
{
	struct pg_params p = { 0 };
	int64_t n = 0;
	int rc;

	pgp_text(&p, name);
	pgp_text(&p, holder);
	pgp_int(&p, now);
	pgp_int(&p, ttl);
	if ((rc = pg_change(impl, "UPDATE leases SET renewed_at = $3, "
	    "expires_at = $3::bigint + $4::bigint WHERE name = $1 AND "
	    "holder = $2", &p, &n, "lease", e)) == LG_OK && n == 0)
		rc = err_set(e, LG_ENOENT, "lease %s is not held by %s", name,
		    holder);
	return rc;
}

int
pg_lease_release(void *impl, const char *name, const char *holder,
    struct err *e)
{
	struct pg_params p = { 0 };

	pgp_text(&p, name);
	pgp_text(&p, holder);
	return pg_query(impl, "DELETE FROM leases WHERE name = $1 AND "
	    "holder = $2", &p, NULL, "lease", e);
}

int
pg_lease_list(void *impl, struct lease_row **out, size_t *n, struct err *e)
{
	struct lease_row *v;
	PGresult *r;
	int i, rows, rc;

	*out = NULL;
	*n = 0;
	if ((rc = pg_query(impl, "SELECT name, holder, taken_at, renewed_at, "
	    "expires_at FROM leases ORDER BY name", NULL, &r, "leases", e)) !=
	    LG_OK)
		return rc;
	rows = PQntuples(r);
	v = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof(*v));
	for (i = 0; i < rows; i++) {
		v[i].name = pg_text(r, i, 0);
		v[i].holder = pg_text(r, i, 1);
		v[i].taken_at = pg_int(r, i, 2);
		v[i].renewed_at = pg_int(r, i, 3);
		v[i].expires_at = pg_int(r, i, 4);
	}
	PQclear(r);
	*out = v;
	*n = (size_t)rows;
	return LG_OK;
}
