/*
 * The HTTP API's tokens and idempotency keys in PostgreSQL: the same
 * rows and answers as store_sqlite_api.c.
 */
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "core/store_pg.h"
#include "util/xmalloc.h"

int
pg_api_token_add(void *impl, const struct new_api_token *t, int64_t *id,
    struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	PGresult *r;
	int rc;

	pg_now(now, sizeof(now));
	pgp_text(&p, t->name);
	pgp_text(&p, t->scope);
	pgp_text(&p, t->hash);
	pgp_text(&p, t->source);
	pgp_text(&p, now);
	if ((rc = pg_query(impl, "INSERT INTO api_tokens (name, scope, hash, "
	    "source, created_at) VALUES ($1,$2,$3,$4,$5) RETURNING id", &p, &r,
	    "API token", e)) != LG_OK)
		return rc;
	if (id)
		*id = pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

static void
token_row(const PGresult *r, int i, struct api_token *t)
{
	t->id = pg_int(r, i, 0);
	t->name = pg_text(r, i, 1);
	t->scope = pg_text(r, i, 2);
	t->source = pg_text(r, i, 3);
	t->created_at = pg_text(r, i, 4);
}

int
pg_api_token_by_hash(void *impl, const char *hash, struct api_token *out,
    struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	memset(out, 0, sizeof(*out));
	pgp_text(&p, hash);
	if ((rc = pg_query(impl, "SELECT id, name, scope, source, created_at "
	    "FROM api_tokens WHERE hash=$1", &p, &r, "API token", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "no such API token");
	}
	token_row(r, 0, out);
	PQclear(r);
	return LG_OK;
}

int
pg_api_token_list(void *impl, struct api_token **out, size_t *n,
    struct err *e)
{
	struct api_token *v;
	PGresult *r;
	int i, rc, cnt;

	/* COLLATE "C": SQLite's binary order, whatever the database's. */
	if ((rc = pg_query(impl, "SELECT id, name, scope, source, created_at "
	    "FROM api_tokens ORDER BY name COLLATE \"C\"", NULL, &r,
	    "API tokens", e)) != LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++)
		token_row(r, i, &v[i]);
	PQclear(r);
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}

/* One statement: the token and its idempotency keys go together. */
int
pg_api_token_remove(void *impl, const char *name, struct err *e)
{
	struct pg_params p = { 0 };
	int64_t n;
	int rc;

	pgp_text(&p, name);
	if ((rc = pg_change(impl, "WITH t AS (SELECT id FROM api_tokens WHERE "
	    "name=$1), i AS (DELETE FROM api_idempotency WHERE token_id IN "
	    "(SELECT id FROM t)) DELETE FROM api_tokens WHERE id IN (SELECT id "
	    "FROM t)", &p, &n, "API token", e)) != LG_OK)
		return rc;
	if (n == 0)
		return err_set(e, LG_ENOENT, "no API token named '%.64s'", name);
	return LG_OK;
}

int
pg_api_idem_get(void *impl, int64_t token_id, const char *key, int *status,
    char **body, struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	*body = NULL;
	pgp_int(&p, token_id);
	pgp_text(&p, key);
	if ((rc = pg_query(impl, "SELECT status, body FROM api_idempotency "
	    "WHERE token_id=$1 AND client_key=$2", &p, &r, "idempotency key",
	    e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return LG_ENOENT;
	}
	*status = (int)pg_int(r, 0, 0);
	*body = pg_text(r, 0, 1);
	PQclear(r);
	return LG_OK;
}

int
pg_api_idem_put(void *impl, int64_t token_id, const char *key, int status,
    const char *body, struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];

	pg_now(now, sizeof(now));
	pgp_int(&p, token_id);
	pgp_text(&p, key);
	pgp_int(&p, status);
	pgp_text(&p, body);
	pgp_text(&p, now);
	return pg_query(impl, "INSERT INTO api_idempotency (token_id, "
	    "client_key, status, body, created_at) VALUES ($1,$2,$3,$4,$5)", &p,
	    NULL, "idempotency key", e);
}
