/* The HTTP API's tokens and idempotency keys in SQLite (store_api.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/store_sqlite.h"
#include "util/xmalloc.h"

static const char sql_token_add[] =
    "INSERT INTO api_tokens (name, scope, hash, source, created_at) "
    "VALUES (?, ?, ?, ?, ?)";
static const char sql_token_by_hash[] =
    "SELECT id, name, scope, source, created_at FROM api_tokens "
    "WHERE hash=?";
static const char sql_token_list[] =
    "SELECT id, name, scope, source, created_at FROM api_tokens "
    "ORDER BY name";
static const char sql_token_id[] =
    "SELECT id FROM api_tokens WHERE name=?";
static const char sql_idem_forget[] =
    "DELETE FROM api_idempotency WHERE token_id=?";
static const char sql_token_del[] =
    "DELETE FROM api_tokens WHERE id=?";
static const char sql_idem_get[] =
    "SELECT status, body FROM api_idempotency "
    "WHERE token_id=? AND client_key=?";
static const char sql_idem_put[] =
    "INSERT INTO api_idempotency (token_id, client_key, status, body, "
    "created_at) VALUES (?, ?, ?, ?, ?)";

int
sq_api_token_add(void *impl, const struct new_api_token *t, int64_t *id,
    struct err *e)
{
	struct sq *q = impl;
	char now[32];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_token_add, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, t->name);
	sq_bind_text(s, 2, t->scope);
	sq_bind_text(s, 3, t->hash);
	sq_bind_text(s, 4, t->source);
	sq_bind_text(s, 5, now);
	if ((rc = sq_exec_stmt(q, s, "API token", e)) != LG_OK)
		return rc;
	if (id)
		*id = sqlite3_last_insert_rowid(q->db);
	return LG_OK;
}

static void
token_row(sqlite3_stmt *s, struct api_token *t)
{
	t->id = sqlite3_column_int64(s, 0);
	t->name = sq_col_text(s, 1);
	t->scope = sq_col_text(s, 2);
	t->source = sq_col_text(s, 3);
	t->created_at = sq_col_text(s, 4);
}

int
sq_api_token_by_hash(void *impl, const char *hash, struct api_token *out,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((s = sq_stmt(q, sql_token_by_hash, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, hash);
	if ((rc = sq_step_row(q, s, "API token", e)) == LG_ENOENT)
		return err_set(e, LG_ENOENT, "no such API token");
	if (rc != LG_OK)
		return rc;
	token_row(s, out);
	sq_done(s);
	return LG_OK;
}

int
sq_api_token_list(void *impl, struct api_token **out, size_t *n,
    struct err *e)
{
	struct sq *q = impl;
	struct api_token *v = NULL;
	sqlite3_stmt *s;
	size_t cnt = 0;
	int rc;

	if ((s = sq_stmt(q, sql_token_list, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		token_row(s, &v[cnt++]);
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		store_api_tokens_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db), "API tokens",
		    e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}

int
sq_api_token_remove(void *impl, const char *name, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int64_t id;
	int rc;

	if ((s = sq_stmt(q, sql_token_id, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, name);
	if ((rc = sq_step_row(q, s, "API token", e)) == LG_ENOENT)
		return err_set(e, LG_ENOENT, "no API token named '%.64s'",
		    name);
	if (rc != LG_OK)
		return rc;
	id = sqlite3_column_int64(s, 0);
	sq_done(s);
	if ((s = sq_stmt(q, sql_idem_forget, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_exec_stmt(q, s, "API token", e)) != LG_OK)
		return rc;
	if ((s = sq_stmt(q, sql_token_del, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	return sq_exec_stmt(q, s, "API token", e);
}

int
sq_api_idem_get(void *impl, int64_t token_id, const char *key, int *status,
    char **body, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	*body = NULL;
	if ((s = sq_stmt(q, sql_idem_get, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, token_id);
	sq_bind_text(s, 2, key);
	if ((rc = sq_step_row(q, s, "idempotency key", e)) != LG_OK)
		return rc;
	*status = sqlite3_column_int(s, 0);
	*body = sq_col_text(s, 1);
	sq_done(s);
	return LG_OK;
}

int
sq_api_idem_put(void *impl, int64_t token_id, const char *key, int status,
    const char *body, struct err *e)
{
	struct sq *q = impl;
	char now[32];
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_idem_put, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sqlite3_bind_int64(s, 1, token_id);
	sq_bind_text(s, 2, key);
	sqlite3_bind_int(s, 3, status);
	sq_bind_text(s, 4, body);
	sq_bind_text(s, 5, now);
	return sq_exec_stmt(q, s, "idempotency key", e);
}

