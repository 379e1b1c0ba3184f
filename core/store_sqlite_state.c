/* Connector bookkeeping (key/value per connector) in SQLite. */
#include <stdlib.h>

#include "core/store_sqlite.h"

static const char sql_state_get[] =
    "SELECT value FROM connector_state WHERE connector=? AND key=?";
static const char sql_state_set[] =
    "INSERT INTO connector_state (connector, key, value) VALUES (?,?,?) "
    "ON CONFLICT (connector, key) DO UPDATE SET value=excluded.value";
static const char sql_state_del[] =
    "DELETE FROM connector_state WHERE connector=? AND key=?";

int
sq_state_get(void *impl, const char *connector, const char *key,
    char **value, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	*value = NULL;
	if ((s = sq_stmt(q, sql_state_get, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, connector);
	sq_bind_text(s, 2, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*value = sq_col_text(s, 0);
	sq_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "connector state", e);
	return LG_OK;
}

int
sq_state_set(void *impl, const char *connector, const char *key,
    const char *value, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, value ? sql_state_set : sql_state_del, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, connector);
	sq_bind_text(s, 2, key);
	if (value)
		sq_bind_text(s, 3, value);
	return sq_exec_stmt(q, s, "connector state", e);
}
