/* Round-robin turns and phase arrivals in SQLite (migration 13). */
#include <stdlib.h>
#include <string.h>

#include "core/store_sqlite.h"

static const char sql_turn_get[] =
    "SELECT turns FROM assign_turns WHERE pool=?";
static const char sql_turn_put[] =
    "INSERT INTO assign_turns (pool, turns) VALUES (?1, 1) "
    "ON CONFLICT (pool) DO UPDATE SET turns = turns + 1";
static const char sql_arrival_next[] =
    "SELECT id, lead_id, pipeline, phase_no FROM phase_arrivals "
    "WHERE done = 0 AND id > ? ORDER BY id LIMIT 1";
static const char sql_arrival_done[] =
    "UPDATE phase_arrivals SET done = 1 WHERE done = 0 AND (?1 = 0 OR id = ?1)";

int
sq_assign_turn(void *impl, const char *pool, long *turn, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_turn_get, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, pool);
	rc = sq_step_row(q, s, "assign turn", e);
	if (rc == LG_OK) {
		*turn = (long)sqlite3_column_int64(s, 0);
		sq_done(s);
	} else if (rc == LG_ENOENT) {
		*turn = 0;
	} else {
		return rc;
	}
	if ((s = sq_stmt(q, sql_turn_put, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, pool);
	return sq_exec_stmt(q, s, "assign turn", e);
}

int
sq_arrival_next(void *impl, int64_t after, struct phase_arrival *out,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((s = sq_stmt(q, sql_arrival_next, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, after);
	if ((rc = sq_step_row(q, s, "phase arrival", e)) != LG_OK)
		return rc;
	out->id = sqlite3_column_int64(s, 0);
	out->lead_id = sqlite3_column_int64(s, 1);
	out->pipeline = sq_col_text(s, 2);
	out->phase_no = sqlite3_column_int(s, 3);
	sq_done(s);
	return LG_OK;
}

int
sq_arrival_done(void *impl, int64_t id, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_arrival_done, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	return sq_exec_stmt(q, s, "phase arrival", e);
}
