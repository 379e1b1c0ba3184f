/* Unsubscribe tokens of contacts (contacts.unsub_token) in SQLite. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/store_sqlite.h"
#include "util/xmalloc.h"

#define TOKEN_BYTES 16

static const char sql_token_get[] =
    "SELECT unsub_token FROM contacts WHERE id=?";
/* Only where none is set: two writers cannot give a contact two tokens. */
static const char sql_token_set[] =
    "UPDATE contacts SET unsub_token=? WHERE id=? AND unsub_token IS NULL";

static int
sq_token_get(struct sq *q, int64_t id, char **out, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	if ((s = sq_stmt(q, sql_token_get, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sq_col_text(s, 0);
	sq_done(s);
	if (rc == SQLITE_DONE)
		return err_set(e, LG_ENOENT, "no contact with id %lld",
		    (long long)id);
	if (rc != SQLITE_ROW)
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "unsubscribe token", e);
	return LG_OK;
}

static int
sq_token_new(char *hex, size_t len, struct err *e)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char raw[TOKEN_BYTES];
	size_t i;

	if (len < 2 * TOKEN_BYTES + 1 ||
	    getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return err_set(e, LG_ETEMP, "no random bytes for a token: %s",
		    strerror(errno));
	for (i = 0; i < TOKEN_BYTES; i++) {
		hex[2 * i] = digits[raw[i] >> 4];
		hex[2 * i + 1] = digits[raw[i] & 0xf];
	}
	hex[2 * TOKEN_BYTES] = '\0';
	return LG_OK;
}

int
sq_contact_unsub_token(void *impl, int64_t contact_id, int create,
    char **out, struct err *e)
{
	struct sq *q = impl;
	char hex[2 * TOKEN_BYTES + 1];
	sqlite3_stmt *s;
	int rc;

	if ((rc = sq_token_get(q, contact_id, out, e)) != LG_OK || *out ||
	    !create)
		return rc;
	if ((rc = sq_token_new(hex, sizeof(hex), e)) != LG_OK)
		return rc;
	if ((s = sq_stmt(q, sql_token_set, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, hex);
	sqlite3_bind_int64(s, 2, contact_id);
	if ((rc = sq_exec_stmt(q, s, "unsubscribe token", e)) != LG_OK)
		return rc;
	/* Ours went in (a bulk run gives most contacts theirs here). */
	if (sqlite3_changes(q->db) == 1) {
		*out = xstrdup(hex);
		return LG_OK;
	}
	return sq_token_get(q, contact_id, out, e);
}

static const char sql_token_find[] =
    "SELECT id FROM contacts WHERE unsub_token=?";

int
sq_contact_by_unsub_token(void *impl, const char *token, int64_t *contact_id,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	*contact_id = 0;
	if ((s = sq_stmt(q, sql_token_find, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, token);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*contact_id = sqlite3_column_int64(s, 0);
	sq_done(s);
	if (rc == SQLITE_DONE)
		return err_set(e, LG_ENOENT, "no contact has the unsubscribe "
		    "token '%.64s'", token);
	if (rc != SQLITE_ROW)
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "unsubscribe token", e);
	return LG_OK;
}
