/*
 * Internal to the SQLite backend (store_sqlite*.c): the connection,
 * the statement cache and small helpers. Not for use outside the store.
 */
#ifndef LG_STORE_SQLITE_H
#define LG_STORE_SQLITE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "util/buf.h"
#include "util/err.h"
#include "core/store_ops.h"

#define SQ_APPLICATION_ID 0x4c474154	/* "LGAT" */
#define SQ_SRC_CACHE 8
#define SQ_SCHEMA_LATEST 19	/* the version of the last migration */

struct sq_migration {
	int version;
	const char *sql;
};

extern const struct sq_migration sq_migrations[];
extern const size_t sq_nmigrations;

struct sq {
	sqlite3 *db;
	char *path;
	int in_tx;
	struct {		/* store_group_commit() */
		int max, max_ms;	/* max 0: off */
		int open;		/* the database transaction is */
		int n;			/* transactions in it */
		int64_t since;		/* when it began, monotonic ms */
		int failed;		/* its commit failed: the code */
		char why[200];		/* and the reason, for sync */
	} grp;
	store_hook_fn hook;		/* store_commit_hook() */
	void *hook_arg;
	/*
	 * Prepared statements by the address of their static text
	 * (sq_stmt()): cache[0..ncache) in the order prepared, and an
	 * open-addressed index of nslot (a power of two, at most half
	 * full) whose entries are an index into cache plus one, 0 empty.
	 */
	struct sq_cached {
		const char *sql;
		sqlite3_stmt *stmt;
	} *cache;
	size_t ncache;
	uint32_t *slot;
	size_t nslot;
	/*
	 * Sources looked up in the open transaction (sq_src_*()): each
	 * inquiry asked for its source three times. The transaction holds
	 * the write lock (BEGIN IMMEDIATE), so only this connection can
	 * change the table meanwhile: its writes and any rollback forget.
	 */
	struct sq_src {
		char *name;		/* as asked */
		char *canonical;	/* as stored, NULL: not asked yet */
		int64_t id;		/* 0: not asked yet */
	} src[SQ_SRC_CACHE];
	size_t nsrc;
};

/* A cached prepared statement for static SQL text, reset and unbound. */
sqlite3_stmt *sq_stmt(struct sq *q, const char *sql, struct err *e);
/* Reset a statement after use so it pins no snapshot. */
void sq_done(sqlite3_stmt *s);
/* Map the connection's last error to an LG code with a message. */
int sq_fail(struct sq *q, int rc, const char *what, struct err *e);
/* Step a statement that returns no rows. */
int sq_exec_stmt(struct sq *q, sqlite3_stmt *s, const char *what,
    struct err *e);
int sq_exec(struct sq *q, const char *sql, struct err *e);
/*
 * Step to the first row: LG_OK with s on it (the caller reads, then
 * sq_done()), LG_ENOENT when there is none, else the error as what.
 */
int sq_step_row(struct sq *q, sqlite3_stmt *s, const char *what,
    struct err *e);
/*
 * Commit an open commit group (store_group_commit()); on failure the
 * reason stays for sq_sync() to report.
 */
int sq_group_end(struct sq *q, struct err *e);
/* Undo the open transaction (its savepoint only, in a commit group). */
void sq_rollback(void *impl);
/*
 * The source cache: the entry of name in the open transaction (made when
 * missing and there is room; NULL outside a transaction or when full),
 * and forgetting every entry.
 */
struct sq_src *sq_src_entry(struct sq *q, const char *name);
void sq_src_forget(struct sq *q);

void sq_bind_text(sqlite3_stmt *s, int i, const char *v);	/* NULL -> NULL */
void sq_bind_id(sqlite3_stmt *s, int i, int64_t v);		/* 0 -> NULL */
char *sq_col_text(sqlite3_stmt *s, int i);			/* copy or NULL */
void sq_now(char *out, size_t len);

/* Run a query whose single column is an id into out. */
int sq_ids(struct sq *q, sqlite3_stmt *s, struct idlist *out, const char *what,
    struct err *e);

/*
 * How an erased contact's address stands on the suppression list:
 * "sha256:" and the SHA-256 of the normalized address in hex (out: at
 * least SQ_SUPPRESSION_KEYLEN bytes).
 */
#define SQ_SUPPRESSION_KEYLEN 72
void sq_suppression_key(const char *address, char *out, size_t len);

/* Filter to SQL: appends a WHERE expression and collects its parameters. */
struct sq_params {
	char **v;
	size_t n;
};
int sq_filter_sql(const struct filter *f, struct buf *sql, struct sq_params *p,
    struct err *e);
void sq_params_free(struct sq_params *p);

/* sq_NAME() for every entry of store_ops.h, in the store_sqlite*.c files. */
#define SQ_PROTOTYPE(name, params, args)				\
	int sq_##name(void *impl, STORE_UNWRAP params);
STORE_OPS(SQ_PROTOTYPE)
#undef SQ_PROTOTYPE

#endif
