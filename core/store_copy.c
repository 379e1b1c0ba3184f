/*
 * leadgate db copy: SQLite to PostgreSQL, verified (store_copy.h). This
 * file knows both backends' files on purpose: it is the one place that
 * reads one and writes the other, table by table, by column name (the
 * column order differs where SQLite had to rebuild a table).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "util/buf.h"
#include "core/store.h"
#include "core/store_backend.h"
#include "core/store_copy.h"
#include "core/store_pg.h"
#include "util/xmalloc.h"

/*
 * Every table of schema 10, parents before children; the triggers of
 * migration 10 are on leads, contacts and quarantine.
 */
static const char *const copy_tables[] = {
	"sources", "contacts", "contact_emails", "contact_phones", "leads",
	"history", "deals", "quarantine", "inquiries", "mailbox_state",
	"mailbox_uids", "connector_state", "campaigns", "outgoing",
	"outgoing_bodies", "outgoing_leads", "suppression", "bounces", "archive_mails",
	"api_tokens", "api_idempotency", "webhook_events", "webhook_cursors",
	"webhook_deliveries", "users", "user_sessions", "login_failures",
	"objects", "object_ids", "search_profiles", "assign_turns",
	"phase_arrivals", "erasures",
};
#define NTABLES (sizeof(copy_tables) / sizeof(copy_tables[0]))

/*
 * Tables left out: leases (migration 16) say which running instance
 * works on what; the copy is made with the daemons stopped, and the
 * instances on the new store take their leases anew.
 */
static const char *const copy_skipped[] = { "leases" };

static const char *const copy_triggered[] = { "leads", "contacts",
	"quarantine" };

/* contacts.company_id may name a later row: set in a second pass. */
#define SELF_REF_TABLE "contacts"
#define SELF_REF_COL "company_id"

struct sum {
	long long rows;
	uint64_t add, xor;
};

static int
copy_known(const char *table)
{
	size_t i;

	for (i = 0; i < NTABLES; i++)
		if (strcmp(copy_tables[i], table) == 0)
			return 1;
	for (i = 0; i < sizeof(copy_skipped) / sizeof(copy_skipped[0]); i++)
		if (strcmp(copy_skipped[i], table) == 0)
			return 1;
	return 0;
}

/* One value in canonical text: NULL marked apart, bytes as \x hex. */
static void
canon_add(struct buf *b, const char *v, size_t len, int null, int blob)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	if (null) {
		buf_adds(b, "\x01N\x02");
		return;
	}
	buf_addc(b, '\x01');
	if (blob) {
		buf_adds(b, "\\x");
		for (i = 0; i < len; i++) {
			buf_addc(b, digits[(unsigned char)v[i] >> 4]);
			buf_addc(b, digits[(unsigned char)v[i] & 15]);
		}
	} else {
		for (i = 0; i < len; i++)
			buf_addc(b, v[i]);
	}
	buf_addc(b, '\x02');
}

static void
sum_row(struct sum *s, const struct buf *row)
{
	unsigned char md[32];
	uint64_t a = 0, x = 0;
	int i;

	gnutls_hash_fast(GNUTLS_DIG_SHA256, buf_str(row), row->len, md);
	for (i = 0; i < 8; i++) {
		a = a << 8 | md[i];
		x = x << 8 | md[8 + i];
	}
	s->rows++;
	s->add += a;
	s->xor ^= x;
}

/* The tables of the SQLite file, checked against the list. */
static int
copy_check_tables(sqlite3 *db, struct err *e)
{
	sqlite3_stmt *s;
	const char *t;
	int rc = LG_OK;

	if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE "
	    "type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name", -1, &s,
	    NULL) != SQLITE_OK)
		return err_set(e, LG_EPERM, "sqlite: %s", sqlite3_errmsg(db));
	while (rc == LG_OK && sqlite3_step(s) == SQLITE_ROW) {
		t = (const char *)sqlite3_column_text(s, 0);
		if (!copy_known(t))
			rc = err_set(e, LG_EPERM, "table %s of the SQLite store "
			    "has no PostgreSQL counterpart yet: nothing copied",
			    t);
	}
	sqlite3_finalize(s);
	return rc;
}

/* The column names of table, in the file's order. */
static int
copy_columns(sqlite3 *db, const char *table, char ***cols, int *n,
    struct err *e)
{
	sqlite3_stmt *s;
	char sql[128];

	*cols = NULL;
	*n = 0;
	snprintf(sql, sizeof(sql), "SELECT name FROM pragma_table_info('%s') "
	    "ORDER BY cid", table);	/* table: one of copy_tables */
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return err_set(e, LG_EPERM, "sqlite: %s", sqlite3_errmsg(db));
	while (sqlite3_step(s) == SQLITE_ROW) {
		*cols = xreallocarray(*cols, (size_t)*n + 1, sizeof(**cols));
		(*cols)[(*n)++] = xstrdup((const char *)sqlite3_column_text(s,
		    0));
	}
	sqlite3_finalize(s);
	return *n > 0 ? LG_OK : err_set(e, LG_EPERM, "sqlite: no table %s",
	    table);
}

static void
cols_free(char **cols, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(cols[i]);
	free(cols);
}

static void
cols_list(struct buf *b, char **cols, int n)
{
	int i;

	for (i = 0; i < n; i++)
		buf_printf(b, "%s\"%s\"", i ? ", " : "", cols[i]);
}

/*
 * A REAL/double in one text: SQLite writes 350000.0 where PostgreSQL
 * writes 350000; %.17g round-trips exactly and is the same on both sides.
 */
#define PG_FLOAT8OID 701	/* pg_type.oid of double precision */

static char *
float_text(double d)
{
	char t[40];

	snprintf(t, sizeof(t), "%.17g", d);
	return xstrdup(t);
}

/* Copy one table's rows; the sum of what was read into s. */
static int
copy_table(sqlite3 *db, PGconn *pg, const char *table, char **cols, int n,
    struct sum *s, struct err *e)
{
	struct buf sel = BUF_INIT, ins = BUF_INIT, row = BUF_INIT;
	const char **vals = xcalloc((size_t)n, sizeof(*vals));
	char **hex = xcalloc((size_t)n, sizeof(*hex));
	int i, self = -1, rc = LG_OK, type;
	sqlite3_stmt *st = NULL;
	PGresult *r;

	buf_adds(&sel, "SELECT ");
	cols_list(&sel, cols, n);
	buf_printf(&sel, " FROM \"%s\"", table);
	buf_printf(&ins, "INSERT INTO \"%s\" (", table);
	cols_list(&ins, cols, n);
	buf_adds(&ins, ") VALUES (");
	for (i = 0; i < n; i++) {
		buf_printf(&ins, "%s$%d", i ? ", " : "", i + 1);
		if (strcmp(table, SELF_REF_TABLE) == 0 &&
		    strcmp(cols[i], SELF_REF_COL) == 0)
			self = i;
	}
	buf_adds(&ins, ")");
	if (sqlite3_prepare_v2(db, buf_str(&sel), -1, &st, NULL) != SQLITE_OK) {
		rc = err_set(e, LG_EPERM, "sqlite: %s: %s", table,
		    sqlite3_errmsg(db));
		goto out;
	}
	while (rc == LG_OK && sqlite3_step(st) == SQLITE_ROW) {
		buf_reset(&row);
		for (i = 0; i < n; i++) {
			type = sqlite3_column_type(st, i);
			free(hex[i]);
			hex[i] = NULL;
			if (type == SQLITE_BLOB) {
				struct buf h = BUF_INIT;

				canon_add(&h, sqlite3_column_blob(st, i),
				    (size_t)sqlite3_column_bytes(st, i), 0, 1);
				/* canon form minus its markers is bytea hex */
				hex[i] = xstrndup(buf_str(&h) + 1,
				    h.len - 2);
				buf_free(&h);
				vals[i] = hex[i];
			} else if (type == SQLITE_FLOAT) {
				/* one text for both sides (copy_sum_pg) */
				hex[i] = float_text(sqlite3_column_double(st,
				    i));
				vals[i] = hex[i];
			} else {
				vals[i] = (const char *)sqlite3_column_text(st,
				    i);
			}
			canon_add(&row, vals[i] ? vals[i] : "", vals[i] ?
			    strlen(vals[i]) : 0, vals[i] == NULL, 0);
		}
		sum_row(s, &row);
		if (self >= 0)
			vals[self] = NULL;	/* the second pass sets it */
		r = PQexecParams(pg, buf_str(&ins), n, NULL, vals, NULL, NULL,
		    0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = err_set(e, LG_EPERM, "postgresql: %s: %s", table,
			    PQresultErrorMessage(r));
		PQclear(r);
	}
	if (rc == LG_OK && self >= 0) {
		/* The employer of each contact, now that all exist. */
		sqlite3_finalize(st);
		st = NULL;
		if (sqlite3_prepare_v2(db, "SELECT id, company_id FROM contacts "
		    "WHERE company_id IS NOT NULL", -1, &st, NULL) != SQLITE_OK)
			rc = err_set(e, LG_EPERM, "sqlite: %s",
			    sqlite3_errmsg(db));
		while (rc == LG_OK && sqlite3_step(st) == SQLITE_ROW) {
			vals[0] = (const char *)sqlite3_column_text(st, 0);
			vals[1] = (const char *)sqlite3_column_text(st, 1);
			r = PQexecParams(pg, "UPDATE contacts SET company_id=$2 "
			    "WHERE id=$1", 2, NULL, vals, NULL, NULL, 0);
			if (PQresultStatus(r) != PGRES_COMMAND_OK)
				rc = err_set(e, LG_EPERM, "postgresql: contacts:"
				    " %s", PQresultErrorMessage(r));
			PQclear(r);
		}
	}
out:
	sqlite3_finalize(st);
	for (i = 0; i < n; i++)
		free(hex[i]);
	free(hex);
	free(vals);
	buf_free(&sel);
	buf_free(&ins);
	buf_free(&row);
	return rc;
}

/* The same sum over PostgreSQL's rows (bytea comes back as \x hex). */
static int
copy_sum_pg(PGconn *pg, const char *table, char **cols, int n,
    struct sum *s, struct err *e)
{
	struct buf sel = BUF_INIT, row = BUF_INIT;
	PGresult *r;
	int i, k;

	buf_adds(&sel, "SELECT ");
	cols_list(&sel, cols, n);
	buf_printf(&sel, " FROM \"%s\"", table);
	r = PQexecParams(pg, buf_str(&sel), 0, NULL, NULL, NULL, NULL, 0);
	buf_free(&sel);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		err_set(e, LG_ETEMP, "postgresql: %s: %s", table,
		    PQresultErrorMessage(r));
		PQclear(r);
		return LG_ETEMP;
	}
	for (k = 0; k < PQntuples(r); k++) {
		buf_reset(&row);
		for (i = 0; i < n; i++) {
			const char *v = PQgetvalue(r, k, i);
			char *f = NULL;

			if (PQftype(r, i) == PG_FLOAT8OID &&
			    !PQgetisnull(r, k, i))
				v = f = float_text(strtod(v, NULL));
			canon_add(&row, v, strlen(v), PQgetisnull(r, k, i), 0);
			free(f);
		}
		sum_row(s, &row);
	}
	PQclear(r);
	buf_free(&row);
	return LG_OK;
}

static int
pg_do(PGconn *pg, const char *sql, struct err *e)
{
	PGresult *r = PQexec(pg, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
	    PQresultStatus(r) == PGRES_TUPLES_OK;

	if (!ok)
		err_set(e, LG_ETEMP, "postgresql: %s", PQresultErrorMessage(r));
	PQclear(r);
	return ok ? LG_OK : LG_ETEMP;
}

/* The target must be empty: a copy never merges into data. */
static int
copy_target_empty(PGconn *pg, struct err *e)
{
	char sql[128];
	PGresult *r;
	size_t i;
	long n;

	for (i = 0; i < NTABLES; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"",
		    copy_tables[i]);
		r = PQexec(pg, sql);
		n = PQresultStatus(r) == PGRES_TUPLES_OK ?
		    strtol(PQgetvalue(r, 0, 0), NULL, 10) : -1;
		PQclear(r);
		if (n != 0)
			return err_set(e, LG_EPERM, "the PostgreSQL database "
			    "is not empty (table %s has %s rows): db copy "
			    "moves into an empty one only", copy_tables[i],
			    n < 0 ? "unknown" : "some");
	}
	return LG_OK;
}

static int
copy_triggers(PGconn *pg, const char *how, struct err *e)
{
	char sql[96];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(copy_triggered) / sizeof(copy_triggered[0]);
	    i++) {
		snprintf(sql, sizeof(sql), "ALTER TABLE %s %s TRIGGER USER",
		    copy_triggered[i], how);
		if ((rc = pg_do(pg, sql, e)) != LG_OK)
			return rc;
	}
	return LG_OK;
}

/* Identity columns continue after the copied ids. */
static int
copy_sequences(PGconn *pg, struct err *e)
{
	return pg_do(pg, "DO $$ DECLARE t record; BEGIN FOR t IN SELECT "
	    "table_name FROM information_schema.columns WHERE table_schema = "
	    "current_schema() AND column_name = 'id' AND is_identity = 'YES' "
	    "LOOP EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, "
	    "''id''), coalesce((SELECT max(id) FROM %I), 0) + 1, false)', "
	    "t.table_name, t.table_name); END LOOP; END $$", e);
}

static int
copy_open(const char *sqlite_path, const char *pg_url,
    const struct store_options *opt, sqlite3 **db, struct err *e)
{
	struct store_options o = *opt;
	struct store *st;
	int rc, vs = 0, vp = 0;

	o.readonly = 0;
	/* Both migrated to what this build knows, then compared. */
	if ((rc = store_open(sqlite_path, &o, &st, e)) != LG_OK)
		return err_prefix(e, "source");
	rc = store_schema_version(st, &vs, e);
	store_close(st);
	if (rc != LG_OK)
		return rc;
	if ((rc = store_open(pg_url, &o, &st, e)) != LG_OK)
		return err_prefix(e, "target");
	rc = store_schema_version(st, &vp, e);
	store_close(st);
	if (rc != LG_OK)
		return rc;
	if (vs != vp)
		return err_set(e, LG_EPERM, "the SQLite store is at schema "
		    "version %d, PostgreSQL at %d: this build cannot copy "
		    "between them", vs, vp);
	if (sqlite3_open_v2(sqlite_path, db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		return err_set(e, LG_EPERM, "%s: %s", sqlite_path,
		    *db ? sqlite3_errmsg(*db) : "cannot open");
	return LG_OK;
}

/* libpq connection for the copy, with the store's password source. */
static PGconn *
copy_pg_connect(const char *url, const struct store_options *opt,
    struct err *e)
{
	struct pg *q = NULL;
	PGconn *c;

	if (store_pg_backend.open(url, opt, (void **)&q, e) != LG_OK)
		return NULL;
	c = q->conn;
	q->conn = NULL;
	store_pg_backend.close(q);
	return c;
}

int
store_copy(const char *sqlite_path, const char *pg_url,
    const struct store_options *opt, FILE *out, struct err *e)
{
	struct sum src[NTABLES], dst;
	sqlite3 *db = NULL;
	PGconn *pg = NULL;
	char **cols[NTABLES] = { 0 };
	int ncols[NTABLES] = { 0 }, rc;
	size_t i;

	memset(src, 0, sizeof(src));
	if ((rc = copy_open(sqlite_path, pg_url, opt, &db, e)) != LG_OK ||
	    (rc = copy_check_tables(db, e)) != LG_OK)
		goto out;
	if ((pg = copy_pg_connect(pg_url, opt, e)) == NULL) {
		rc = e ? e->code : LG_ETEMP;
		goto out;
	}
	/* One snapshot of the source, one transaction on the target. */
	if ((rc = pg_do(pg, "BEGIN", e)) != LG_OK ||
	    (rc = copy_target_empty(pg, e)) != LG_OK ||
	    (rc = copy_triggers(pg, "DISABLE", e)) != LG_OK ||
	    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		goto rollback;
	for (i = 0; i < NTABLES && rc == LG_OK; i++)
		if ((rc = copy_columns(db, copy_tables[i], &cols[i], &ncols[i],
		    e)) == LG_OK)
			rc = copy_table(db, pg, copy_tables[i], cols[i],
			    ncols[i], &src[i], e);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc != LG_OK || (rc = copy_sequences(pg, e)) != LG_OK ||
	    (rc = copy_triggers(pg, "ENABLE", e)) != LG_OK ||
	    (rc = pg_do(pg, "COMMIT", e)) != LG_OK)
		goto rollback;
	/* Verified from what PostgreSQL now holds. */
	for (i = 0; i < NTABLES && rc == LG_OK; i++) {
		memset(&dst, 0, sizeof(dst));
		if ((rc = copy_sum_pg(pg, copy_tables[i], cols[i], ncols[i],
		    &dst, e)) != LG_OK)
			break;
		if (dst.rows != src[i].rows || dst.add != src[i].add ||
		    dst.xor != src[i].xor) {
			rc = err_set(e, LG_EINTERNAL, "table %s differs after "
			    "the copy: %lld rows read, %lld in PostgreSQL%s",
			    copy_tables[i], src[i].rows, dst.rows,
			    dst.rows == src[i].rows ? ", checksums differ" :
			    "");
			break;
		}
		fprintf(out, "%-20s %8lld  %016llx%016llx\n", copy_tables[i],
		    dst.rows, (unsigned long long)dst.add,
		    (unsigned long long)dst.xor);
	}
	goto out;
rollback:
	if (pg)
		pg_do(pg, "ROLLBACK", NULL);
out:
	for (i = 0; i < NTABLES; i++)
		cols_free(cols[i], ncols[i]);
	PQfinish(pg);
	sqlite3_close(db);
	return rc;
}
