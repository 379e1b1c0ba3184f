/*
 * Mail folder state in SQLite: mailbox_state holds a folder's UIDVALIDITY,
 * mailbox_uids the UIDs committed but perhaps not yet marked done on the
 * server. Lookups are one indexed row each, so a large folder costs no
 * memory here.
 */
#include <stdlib.h>

#include "core/store_sqlite.h"
#include "util/xmalloc.h"

static const char sql_uidv_get[] =
    "SELECT uidvalidity FROM mailbox_state WHERE connector=? AND folder=?";
static const char sql_uidv_set[] =
    "INSERT INTO mailbox_state (connector, folder, uidvalidity) "
    "VALUES (?,?,?) ON CONFLICT (connector, folder) "
    "DO UPDATE SET uidvalidity=excluded.uidvalidity";
static const char sql_uid_get[] =
    "SELECT 1 FROM mailbox_uids WHERE connector=? AND folder=? "
    "AND uidvalidity=? AND uid=?";
static const char sql_uid_add[] =
    "INSERT OR IGNORE INTO mailbox_uids (connector, folder, uidvalidity, uid) "
    "VALUES (?,?,?,?)";
static const char sql_uid_list[] =
    "SELECT uid FROM mailbox_uids WHERE connector=? AND folder=? "
    "AND uidvalidity=? ORDER BY uid";
static const char sql_uid_del[] =
    "DELETE FROM mailbox_uids WHERE connector=? AND folder=? "
    "AND uidvalidity=? AND uid=?";
static const char sql_uid_del_old[] =
    "DELETE FROM mailbox_uids WHERE connector=? AND folder=? "
    "AND uidvalidity<>?";

static void
sq_mailbox_bind(sqlite3_stmt *s, const char *connector, const char *folder,
    uint32_t uidvalidity)
{
	sq_bind_text(s, 1, connector);
	sq_bind_text(s, 2, folder);
	sqlite3_bind_int64(s, 3, uidvalidity);
}

int
sq_mailbox_uidvalidity_get(void *impl, const char *connector,
    const char *folder, uint32_t *out, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_uidv_get, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, connector);
	sq_bind_text(s, 2, folder);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = (uint32_t)sqlite3_column_int64(s, 0);
	sq_done(s);
	if (rc == SQLITE_DONE)
		return err_set(e, LG_ENOENT, "folder %s of %s was never polled",
		    folder, connector);
	if (rc != SQLITE_ROW)
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "mailbox state", e);
	return LG_OK;
}

int
sq_mailbox_uidvalidity_set(void *impl, const char *connector,
    const char *folder, uint32_t uidvalidity, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_uidv_set, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_mailbox_bind(s, connector, folder, uidvalidity);
	return sq_exec_stmt(q, s, "mailbox state", e);
}

int
sq_mailbox_uid_handled(void *impl, const char *connector, const char *folder,
    uint32_t uidvalidity, uint32_t uid, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_uid_get, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_mailbox_bind(s, connector, folder, uidvalidity);
	sqlite3_bind_int64(s, 4, uid);
	if ((rc = sq_step_row(q, s, "mailbox uids", e)) == LG_OK)
		sq_done(s);
	return rc;
}

/* Our own transaction unless the caller has one open. */
static int
sq_mailbox_begin(struct sq *q, int *own, struct err *e)
{
	*own = !q->in_tx;
	return *own ? sq_begin(q, e) : LG_OK;
}

static int
sq_mailbox_end(struct sq *q, int own, int rc, struct err *e)
{
	if (!own)
		return rc;
	if (rc == LG_OK)
		return sq_commit(q, e);
	sq_rollback(q);
	return rc;
}

static int
sq_mailbox_uid_step(struct sq *q, const char *sql, const char *connector,
    const char *folder, uint32_t uidvalidity, uint32_t uid, struct err *e)
{
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_mailbox_bind(s, connector, folder, uidvalidity);
	sqlite3_bind_int64(s, 4, uid);
	return sq_exec_stmt(q, s, "mailbox uids", e);
}

int
sq_mailbox_uids_add(void *impl, const char *connector, const char *folder,
    uint32_t uidvalidity, const uint32_t *uids, size_t n, struct err *e)
{
	struct sq *q = impl;
	size_t i;
	int own, rc;

	if (n == 0)
		return LG_OK;
	if ((rc = sq_mailbox_begin(q, &own, e)) != LG_OK)
		return rc;
	for (i = 0; i < n && rc == LG_OK; i++)
		rc = sq_mailbox_uid_step(q, sql_uid_add, connector, folder,
		    uidvalidity, uids[i], e);
	return sq_mailbox_end(q, own, rc, e);
}

static int
sq_mailbox_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The recorded UIDs not in keep: normally none or a crashed batch. */
static int
sq_mailbox_stale(struct sq *q, const char *connector, const char *folder,
    uint32_t uidvalidity, const uint32_t *keep, size_t n, uint32_t **out,
    size_t *nout, struct err *e)
{
	sqlite3_stmt *s;
	uint32_t uid;
	int rc;

	if ((s = sq_stmt(q, sql_uid_list, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_mailbox_bind(s, connector, folder, uidvalidity);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		uid = (uint32_t)sqlite3_column_int64(s, 0);
		if (n > 0 && bsearch(&uid, keep, n, sizeof(*keep),
		    sq_mailbox_cmp) != NULL)
			continue;
		*out = xreallocarray(*out, *nout + 1, sizeof(**out));
		(*out)[(*nout)++] = uid;
	}
	sq_done(s);
	if (rc != SQLITE_DONE)
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "mailbox uids", e);
	return LG_OK;
}

static int
sq_mailbox_del_old(struct sq *q, const char *connector, const char *folder,
    uint32_t uidvalidity, struct err *e)
{
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_uid_del_old, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_mailbox_bind(s, connector, folder, uidvalidity);
	return sq_exec_stmt(q, s, "mailbox uids", e);
}

int
sq_mailbox_uids_prune(void *impl, const char *connector, const char *folder,
    uint32_t uidvalidity, const uint32_t *keep, size_t n, struct err *e)
{
	struct sq *q = impl;
	uint32_t *stale = NULL;
	size_t nstale = 0, i;
	int own, rc;

	if ((rc = sq_mailbox_begin(q, &own, e)) != LG_OK)
		return rc;
	rc = sq_mailbox_stale(q, connector, folder, uidvalidity, keep, n,
	    &stale, &nstale, e);
	for (i = 0; i < nstale && rc == LG_OK; i++)
		rc = sq_mailbox_uid_step(q, sql_uid_del, connector, folder,
		    uidvalidity, stale[i], e);
	free(stale);
	if (rc == LG_OK)
		rc = sq_mailbox_del_old(q, connector, folder, uidvalidity, e);
	return sq_mailbox_end(q, own, rc, e);
}
