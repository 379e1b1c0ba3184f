/* Bounce and complaint reports applied to outgoing mail, in SQLite. */
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "core/store_sqlite.h"

static const char sql_bounce_add[] =
    "INSERT INTO bounces (at, report_key, outgoing_id, address, kind, action,"
    " status, diagnostic, reporter) VALUES (?,?,?,?,?,?,?,?,?)";
/* Messages, not reports: two reports of one message count once. */
static const char sql_bounce_soft[] =
    "SELECT count(DISTINCT outgoing_id) FROM bounces"
    " WHERE address=? AND kind='soft' AND at>=?";

int
sq_bounce_add(void *impl, const struct new_bounce *b, int64_t *id,
    struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_bounce_add, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, now);
	sq_bind_text(s, 2, b->report_key);
	sqlite3_bind_int64(s, 3, b->outgoing_id);
	sq_bind_text(s, 4, b->address);
	sq_bind_text(s, 5, b->kind);
	sq_bind_text(s, 6, b->action);
	sq_bind_text(s, 7, b->status);
	sq_bind_text(s, 8, b->diagnostic);
	sq_bind_text(s, 9, b->reporter);
	if ((rc = sq_exec_stmt(q, s, "bounce", e)) != LG_OK) {
		if (rc == LG_EEXIST)
			err_set(e, LG_EEXIST, "message %lld has a %s report "
			    "(%s) already", (long long)b->outgoing_id, b->kind,
			    b->action);
		return rc;
	}
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(q->db);
	return LG_OK;
}

int
sq_bounce_soft_count(void *impl, const char *address, const char *since,
    long *n, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	if ((s = sq_stmt(q, sql_bounce_soft, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, address);
	sq_bind_text(s, 2, since);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(s, 0);
	sq_done(s);
	if (rc != SQLITE_ROW)
		return sq_fail(q, sqlite3_extended_errcode(q->db), "bounces",
		    e);
	return LG_OK;
}
