/* The rows of the mail kept (store_inbound.h) in SQLite. */
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "core/store_sqlite.h"
#include "util/xmalloc.h"

#define MAIL_COLS "id, received_at, kind, connector, lead_id, contact_id, " \
    "inquiry_id, from_addr, subject, message_id, size, sha256"

static const char sql_mail_add[] =
    "INSERT INTO archive_mails (received_at, kind, connector, lead_id, "
    "contact_id, inquiry_id, from_addr, subject, message_id, size, sha256) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?)";
static const char sql_mail_get[] =
    "SELECT " MAIL_COLS " FROM archive_mails WHERE id=?";
static const char sql_mail_of_lead[] =
    "SELECT " MAIL_COLS " FROM archive_mails WHERE lead_id=? ORDER BY id";
static const char sql_mail_expire[] =
    "DELETE FROM archive_mails WHERE received_at<?";
static const char sql_mail_sha[] =
    "SELECT 1 FROM archive_mails WHERE sha256=? LIMIT 1";

static void
mail_row(sqlite3_stmt *s, struct mail_row *r)
{
	r->id = sqlite3_column_int64(s, 0);
	r->received_at = sq_col_text(s, 1);
	r->kind = sq_col_text(s, 2);
	r->connector = sq_col_text(s, 3);
	r->lead_id = sqlite3_column_int64(s, 4);
	r->contact_id = sqlite3_column_int64(s, 5);
	r->inquiry_id = sqlite3_column_int64(s, 6);
	r->from = sq_col_text(s, 7);
	r->subject = sq_col_text(s, 8);
	r->message_id = sq_col_text(s, 9);
	r->size = sqlite3_column_int64(s, 10);
	r->sha256 = sq_col_text(s, 11);
}

int
sq_mail_add(void *impl, const struct new_mail_row *m, int64_t *id,
    struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_mail_add, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, now);
	sq_bind_text(s, 2, m->kind ? m->kind : "mail");
	sq_bind_text(s, 3, m->connector);
	sq_bind_id(s, 4, m->lead_id);
	sq_bind_id(s, 5, m->contact_id);
	sq_bind_id(s, 6, m->inquiry_id);
	sq_bind_text(s, 7, m->from);
	sq_bind_text(s, 8, m->subject);
	sq_bind_text(s, 9, m->message_id);
	sqlite3_bind_int64(s, 10, m->size);
	sq_bind_text(s, 11, m->sha256);
	if ((rc = sq_exec_stmt(q, s, "keep mail", e)) != LG_OK)
		return rc;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(q->db);
	return LG_OK;
}

int
sq_mail_get(void *impl, int64_t id, struct mail_row **out, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_mail_get, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = xcalloc(1, sizeof(**out));
		mail_row(s, *out);
	}
	sq_done(s);
	if (rc == SQLITE_ROW)
		return LG_OK;
	if (rc == SQLITE_DONE)
		return err_set(e, LG_ENOENT, "no mail with id %lld",
		    (long long)id);
	return sq_fail(q, sqlite3_extended_errcode(q->db), "kept mail", e);
}

int
sq_mails_of_lead(void *impl, int64_t lead_id, struct mail_row **out,
    size_t *n, struct err *e)
{
	struct sq *q = impl;
	struct mail_row *v = NULL;
	sqlite3_stmt *s;
	size_t cnt = 0;
	int rc;

	if ((s = sq_stmt(q, sql_mail_of_lead, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, lead_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		memset(&v[cnt], 0, sizeof(v[cnt]));
		mail_row(s, &v[cnt++]);
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		store_mail_rows_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "mails of lead", e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}

int
sq_mail_expire(void *impl, const char *before, long *n, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	if ((s = sq_stmt(q, sql_mail_expire, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, before);
	if ((rc = sq_exec_stmt(q, s, "expire kept mail", e)) != LG_OK)
		return rc;
	*n = (long)sqlite3_changes(q->db);
	return LG_OK;
}

int
sq_mail_sha_used(void *impl, const char *sha256, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_mail_sha, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, sha256);
	if ((rc = sq_step_row(q, s, "kept mail", e)) == LG_OK)
		sq_done(s);
	return rc;
}
