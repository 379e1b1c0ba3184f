/*
 * The SQLite backend: one connection per store handle, WAL with
 * synchronous=FULL (a committed lead survives a power cut before its mail
 * is flagged), foreign keys on, prepared statements only, and migrations
 * run at open.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/log.h"
#include "core/store.h"
#include "core/store_backend.h"
#include "core/store_sqlite.h"
#include "util/xmalloc.h"

#define MOD "store"

/* Where the text at address sql sits or would sit in the index. */
static size_t
sq_slot_of(const struct sq *q, const char *sql)
{
	uint64_t h = (uint64_t)(uintptr_t)sql * 0x9e3779b97f4a7c15ULL;
	size_t i = (size_t)(h >> 32) & (q->nslot - 1);

	while (q->slot[i] != 0 && q->cache[q->slot[i] - 1].sql != sql)
		i = (i + 1) & (q->nslot - 1);
	return i;
}

/*
 * Room for one more statement. The list holds nslot / 2 entries, the
 * most the index takes: both double together.
 */
static void
sq_cache_grow(struct sq *q)
{
	size_t i;

	if (2 * (q->ncache + 1) <= q->nslot)
		return;
	q->nslot = q->nslot ? 2 * q->nslot : 256;
	q->cache = xreallocarray(q->cache, q->nslot / 2, sizeof(*q->cache));
	free(q->slot);
	q->slot = xcalloc(q->nslot, sizeof(*q->slot));
	for (i = 0; i < q->ncache; i++)
		q->slot[sq_slot_of(q, q->cache[i].sql)] = (uint32_t)i + 1;
}

/*
 * The statement of a static SQL text, prepared once per connection and
 * kept until sq_close(): texts are told apart by address, so a caller
 * passes string literals (or other text that lives as long), never a
 * buffer it reuses.
 */
sqlite3_stmt *
sq_stmt(struct sq *q, const char *sql, struct err *e)
{
	sqlite3_stmt *s;
	size_t i;
	int rc;

	if (q->nslot > 0 && q->slot[i = sq_slot_of(q, sql)] != 0)
		return q->cache[q->slot[i] - 1].stmt;
	rc = sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
	    NULL);
	if (rc != SQLITE_OK) {
		sq_fail(q, rc, "prepare", e);
		return NULL;
	}
	sq_cache_grow(q);
	q->cache[q->ncache].sql = sql;
	q->cache[q->ncache].stmt = s;
	q->slot[sq_slot_of(q, sql)] = (uint32_t)++q->ncache;
	return s;
}

void
sq_done(sqlite3_stmt *s)
{
	if (s == NULL)
		return;
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

int
sq_fail(struct sq *q, int rc, const char *what, struct err *e)
{
	const char *msg = sqlite3_errmsg(q->db);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return err_set(e, LG_ETEMP, "database %s is busy (%s): %s",
		    q->path, what, msg);
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		return err_set(e, LG_ETEMP, "database %s: %s: %s", q->path,
		    what, msg);
	case SQLITE_READONLY:
		return err_set(e, LG_EPERM, "database %s is read-only", q->path);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return err_set(e, LG_EPERM, "database %s is corrupt or not a "
		    "leadgate database: %s", q->path, msg);
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_UNIQUE ||
		    rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return err_set(e, LG_EEXIST, "%s: already exists", what);
		return err_set(e, LG_EPERM, "%s: %s", what, msg);
	default:
		return err_set(e, LG_EINTERNAL, "database %s: %s: %s", q->path,
		    what, msg);
	}
}

int
sq_step_row(struct sq *q, sqlite3_stmt *s, const char *what, struct err *e)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return LG_OK;
	sq_done(s);
	if (rc == SQLITE_DONE)
		return LG_ENOENT;
	return sq_fail(q, sqlite3_extended_errcode(q->db), what, e);
}

int
sq_exec_stmt(struct sq *q, sqlite3_stmt *s, const char *what, struct err *e)
{
	int rc = sqlite3_step(s);

	sq_done(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sq_fail(q, sqlite3_extended_errcode(q->db), what, e);
	return LG_OK;
}

int
sq_exec(struct sq *q, const char *sql, struct err *e)
{
	char *msg = NULL;
	int rc = sqlite3_exec(q->db, sql, NULL, NULL, &msg);

	sqlite3_free(msg);
	if (rc != SQLITE_OK)
		return sq_fail(q, sqlite3_extended_errcode(q->db), "exec", e);
	return LG_OK;
}

/*
 * The statements of a transaction's begin and end, prepared once per
 * connection (sq_stmt() caches by address): a group commit runs a
 * SAVEPOINT and a RELEASE per inquiry, and sqlite3_exec() compiled
 * them again each time (5% of ingest's instructions).
 */
static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_SAVEPOINT[] = "SAVEPOINT tx";
static const char SQL_RELEASE[] = "RELEASE tx";

static int
sq_tx(struct sq *q, const char *sql, struct err *e)
{
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql, e)) == NULL)
		return e ? e->code : LG_ETEMP;
	return sq_exec_stmt(q, s, "exec", e);
}

struct sq_src *
sq_src_entry(struct sq *q, const char *name)
{
	size_t i;

	if (!q->in_tx || name == NULL)
		return NULL;
	for (i = 0; i < q->nsrc; i++)
		if (strcmp(q->src[i].name, name) == 0)
			return &q->src[i];
	if (q->nsrc == SQ_SRC_CACHE)
		return NULL;
	memset(&q->src[q->nsrc], 0, sizeof(q->src[0]));
	q->src[q->nsrc].name = xstrdup(name);
	return &q->src[q->nsrc++];
}

void
sq_src_forget(struct sq *q)
{
	size_t i;

	for (i = 0; i < q->nsrc; i++) {
		free(q->src[i].name);
		free(q->src[i].canonical);
	}
	q->nsrc = 0;
}

void
sq_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

void
sq_bind_id(sqlite3_stmt *s, int i, int64_t v)
{
	if (v == 0)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, v);
}

char *
sq_col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? xstrdup((const char *)t) : NULL;
}

void
sq_now(char *out, size_t len)
{
	clock_iso(clock_now(), out, len);
}

int
sq_ids(struct sq *q, sqlite3_stmt *s, struct idlist *out, const char *what,
    struct err *e)
{
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		idlist_add(out, sqlite3_column_int64(s, 0));
	sq_done(s);
	if (rc != SQLITE_DONE)
		return sq_fail(q, sqlite3_extended_errcode(q->db), what, e);
	return LG_OK;
}

static int
sq_pragma_int(struct sq *q, const char *sql, int *out, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	rc = sqlite3_prepare_v2(q->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(q, sqlite3_extended_errcode(q->db), sql, e);
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_fail(q, sqlite3_extended_errcode(q->db), sql, e);
	return LG_OK;
}

int
sq_schema_version(void *impl, int *out, struct err *e)
{
	return sq_pragma_int(impl, "PRAGMA user_version", out, e);
}

/*
 * Refuse a file that SQLite can open but that is not ours: writing our
 * tables into someone else's database would be a silent disaster. One
 * statement reads everything, so all of it comes from one snapshot even
 * while another process migrates the file.
 */
static int
sq_check_file(struct sq *q, int *version, struct err *e)
{
	static const char sql[] = "SELECT (SELECT application_id FROM "
	    "pragma_application_id), (SELECT user_version FROM "
	    "pragma_user_version), (SELECT count(*) FROM sqlite_schema)";
	int rc, appid = 0, ntables = 0, latest = SQ_SCHEMA_LATEST;
	sqlite3_stmt *s;

	rc = sqlite3_prepare_v2(q->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(q, sqlite3_extended_errcode(q->db), "identity", e);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		appid = sqlite3_column_int(s, 0);
		*version = sqlite3_column_int(s, 1);
		ntables = sqlite3_column_int(s, 2);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return sq_fail(q, sqlite3_extended_errcode(q->db), "identity", e);
	if (appid != SQ_APPLICATION_ID && (appid != 0 || *version != 0 ||
	    ntables != 0))
		return err_set(e, LG_EPERM, "database %s is not a leadgate "
		    "database (application id %#x)", q->path, (unsigned)appid);
	if (*version > latest)
		return err_set(e, LG_EPERM, "database %s has schema version %d, "
		    "newer than this leadgate knows (%d)", q->path, *version,
		    latest);
	return LG_OK;
}

static int
sq_migrate_one(struct sq *q, const struct sq_migration *m, struct err *e)
{
	char sql[96];
	int rc, version;

	if ((rc = sq_exec(q, "BEGIN IMMEDIATE", e)) != LG_OK)
		return rc;
	/* Another connection may have migrated while we waited for the lock. */
	if ((rc = sq_schema_version(q, &version, e)) != LG_OK ||
	    version >= m->version) {
		sq_exec(q, "ROLLBACK", NULL);
		return rc;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d;"
	    "PRAGMA application_id = %d;", m->version, SQ_APPLICATION_ID);
	if ((rc = sq_exec(q, m->sql, e)) != LG_OK ||
	    (rc = sq_exec(q, sql, e)) != LG_OK ||
	    (rc = sq_exec(q, "COMMIT", e)) != LG_OK) {
		sq_exec(q, "ROLLBACK", NULL);
		return err_prefix(e, "migration %d", m->version);
	}
	log_info(MOD, "%s: migrated schema to version %d", q->path, m->version);
	return LG_OK;
}

static int
sq_migrate(struct sq *q, int version, struct err *e)
{
	size_t i;
	int rc;

	for (i = 0; i < sq_nmigrations; i++) {
		if (sq_migrations[i].version <= version)
			continue;
		if ((rc = sq_migrate_one(q, &sq_migrations[i], e)) != LG_OK)
			return rc;
	}
	return LG_OK;
}

/*
 * Switching to WAL takes an exclusive lock and answers SQLITE_BUSY at once,
 * without the busy handler, while another connection opens the same new
 * file: retry within the busy timeout.
 */
static int
sq_wal(struct sq *q, int timeout_ms, struct err *e)
{
	int rc, waited = 0;

	while ((rc = sq_exec(q, "PRAGMA journal_mode = WAL", e)) == LG_ETEMP &&
	    waited < timeout_ms) {
		usleep(10000);
		waited += 10;
	}
	return rc;
}

/*
 * lg_num(v): v as a number when it is one (an integer, a real, or text
 * that is a whole decimal number, spaces around allowed), else NULL; the
 * filter compares custom fields with it (store_sqlite_filter.c).
 */
static void
sq_fn_num(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *t;
	char *end;
	double v;

	(void)argc;
	switch (sqlite3_value_type(argv[0])) {
	case SQLITE_INTEGER:
	case SQLITE_FLOAT:
		sqlite3_result_double(ctx, sqlite3_value_double(argv[0]));
		return;
	case SQLITE_TEXT:
		t = (const char *)sqlite3_value_text(argv[0]);
		while (*t == ' ')
			t++;
		if (*t == '\0' || strchr("0123456789+-.", *t) == NULL)
			break;
		v = strtod(t, &end);
		while (*end == ' ')
			end++;
		if (*end == '\0') {
			sqlite3_result_double(ctx, v);
			return;
		}
		break;
	}
	sqlite3_result_null(ctx);
}

static int
sq_setup(struct sq *q, const struct store_options *opt, struct err *e)
{
	int rc, version = 0;

	if (sqlite3_create_function(q->db, "lg_num", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, sq_fn_num, NULL,
	    NULL) != SQLITE_OK)
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "lg_num function", e);

	sqlite3_busy_timeout(q->db, opt->busy_timeout_ms);
	if (sqlite3_db_readonly(q->db, "main") == 1 && !opt->readonly)
		return err_set(e, LG_EPERM, "database %s is read-only", q->path);
	/* The first read fails on a corrupt file, before anything is written. */
	/*
	 * Temporary tables, sort B-trees and the savepoint journals of a
	 * commit group stay in memory: no personal data in /var/tmp.
	 */
	if ((rc = sq_check_file(q, &version, e)) != LG_OK ||
	    (rc = sq_exec(q, "PRAGMA foreign_keys = ON;"
	    "PRAGMA temp_store = MEMORY", e)) != LG_OK)
		return rc;
	if (opt->readonly)
		return LG_OK;
	if ((rc = sq_wal(q, opt->busy_timeout_ms, e)) != LG_OK ||
	    (rc = sq_exec(q, "PRAGMA synchronous = FULL", e)) != LG_OK)
		return rc;
	return sq_migrate(q, version, e);
}

static void sq_close(void *impl);

/* The files of a database: SQLite's are named after it. */
static const char *const sq_suffixes[] = { "", "-wal", "-shm", "-journal" };

/* The folder of path, in buf. */
static void
sq_folder(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(buf, len, ".");
	else if (slash == path)
		snprintf(buf, len, "/");
	else
		snprintf(buf, len, "%.*s", (int)(slash - path), path);
}

/*
 * Personal data: refused when a file of the database can be read or
 * written by group or others, or when its folder can be written by them
 * (they could replace the database, or plant its -wal file). A folder
 * others can only read or search shows them file names, not data.
 */
static int
sq_check(const char *path, struct err *e)
{
	char file[4096], dir[4096];
	struct stat st;
	size_t i;

	if (strcmp(path, ":memory:") == 0)
		return LG_OK;
	for (i = 0; i < sizeof(sq_suffixes) / sizeof(sq_suffixes[0]); i++) {
		snprintf(file, sizeof(file), "%s%s", path, sq_suffixes[i]);
		if (stat(file, &st) != 0 || !S_ISREG(st.st_mode) ||
		    (st.st_mode & 077) == 0)
			continue;
		return err_set(e, LG_EPERM, "store %s has mode %04o: other "
		    "users can %s its personal data; run chmod 600 %s",
		    file, (unsigned)(st.st_mode & 07777),
		    st.st_mode & 044 ? "read" : "change", file);
	}
	sq_folder(path, dir, sizeof(dir));
	if (stat(dir, &st) == 0 && (st.st_mode & 022) != 0)
		return err_set(e, LG_EPERM, "the store's folder %s has mode "
		    "%04o: other users can replace the store; run chmod 700 "
		    "%s (or move the store)", dir,
		    (unsigned)(st.st_mode & 07777), dir);
	return LG_OK;
}

/* A store's folder that does not exist yet: made 0700. */
static int
sq_create_folder(const char *path, struct err *e)
{
	char dir[4096];
	struct stat st;

	sq_folder(path, dir, sizeof(dir));
	if (stat(dir, &st) == 0)
		return LG_OK;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return err_set(e, errno == ENOENT || errno == EACCES ?
		    LG_EPERM : LG_ETEMP, "cannot make the store's folder %s: "
		    "%s", dir, strerror(errno));
	if (chmod(dir, 0700) != 0)
		return err_set(e, LG_ETEMP, "%s: %s", dir, strerror(errno));
	return LG_OK;
}

/*
 * Personal data: a new database is created 0600 whatever the umask (in
 * a folder made 0700 when it is missing), and SQLite gives its -wal and
 * -shm files the database file's mode.
 */
static int
sq_create_private(const char *path, struct err *e)
{
	int fd, rc;

	if (strcmp(path, ":memory:") == 0 || access(path, F_OK) == 0)
		return LG_OK;
	if ((rc = sq_create_folder(path, e)) != LG_OK)
		return rc;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST)
		return err_set(e, errno == ENOENT || errno == EACCES ?
		    LG_EPERM : LG_ETEMP, "cannot open database %s: %s", path,
		    strerror(errno));
	if (fd >= 0 && (fchmod(fd, 0600) != 0 || close(fd) != 0))
		return err_set(e, LG_ETEMP, "cannot open database %s: %s",
		    path, strerror(errno));
	return LG_OK;
}

static pthread_once_t sq_once = PTHREAD_ONCE_INIT;

/*
 * Before SQLite's first use in the process: no allocation statistics.
 * With them (Debian's default) every sqlite3_malloc() and sqlite3_free()
 * of every connection takes one process-wide mutex, which the delivery
 * sessions and the flusher contend for; leadgate never reads them. Too
 * late (SQLite already in use) it is refused, and nothing changes.
 */
static void
sq_global(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int
sq_open(const char *path, const struct store_options *opt, void **impl,
    struct err *e)
{
	struct sq *q = xcalloc(1, sizeof(*q));
	int flags, rc;

	pthread_once(&sq_once, sq_global);
	q->path = xstrdup(path);
	flags = opt->readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	flags |= SQLITE_OPEN_NOMUTEX;
	if ((!opt->readonly && (rc = sq_create_private(path, e)) != LG_OK) ||
	    (rc = sq_check(path, e)) != LG_OK) {
		sq_close(q);
		return rc;
	}
	rc = sqlite3_open_v2(path, &q->db, flags, NULL);
	if (rc != SQLITE_OK) {
		if (q->db)
			rc = err_set(e, rc == SQLITE_CANTOPEN ? LG_EPERM :
			    LG_ETEMP, "cannot open database %s: %s", path,
			    sqlite3_errmsg(q->db));
		else
			rc = err_set(e, LG_ETEMP, "cannot open database %s",
			    path);
		sq_close(q);
		return rc;
	}
	sqlite3_extended_result_codes(q->db, 1);
	if ((rc = sq_setup(q, opt, e)) != LG_OK) {
		sq_close(q);
		return rc;
	}
	*impl = q;
	return LG_OK;
}

static void
sq_close(void *impl)
{
	struct sq *q = impl;
	size_t i;

	if (q == NULL)
		return;
	/* What a group holds is as good as done: the caller moved on. */
	if (q->db && q->grp.open && sq_group_end(q, NULL) != LG_OK)
		log_warn(MOD, "%s: %s", q->path, q->grp.why);
	sq_src_forget(q);
	for (i = 0; i < q->ncache; i++)
		sqlite3_finalize(q->cache[i].stmt);
	free(q->cache);
	free(q->slot);
	if (q->db && sqlite3_close(q->db) != SQLITE_OK)
		log_fatalx(MOD, "close %s: statements left unfinalized",
		    q->path);
	free(q->path);
	free(q);
}

/* Monotonic milliseconds, for the age of a commit group. */
static int64_t
sq_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The commit hook (store_commit_hook()), before a COMMIT. */
static int
sq_hook(struct sq *q, struct err *e)
{
	return q->hook != NULL ? q->hook(q->hook_arg, e) : LG_OK;
}

int
sq_commit_hook(void *impl, store_hook_fn fn, void *arg, struct err *e)
{
	struct sq *q = impl;

	q->hook = fn;
	q->hook_arg = arg;
	return LG_OK;
}

/*
 * Commit the group's database transaction. A failure loses every
 * transaction of the group: it is kept for store_sync() to report, so
 * that no source is marked done for them.
 */
int
sq_group_end(struct sq *q, struct err *e)
{
	struct err why;
	int rc;

	if (!q->grp.open)
		return LG_OK;
	q->grp.open = 0;
	sq_src_forget(q);
	err_clear(&why);
	if ((rc = sq_hook(q, &why)) == LG_OK &&
	    (rc = sq_tx(q, SQL_COMMIT, &why)) == LG_OK)
		return LG_OK;
	sq_exec(q, "ROLLBACK", NULL);
	q->grp.failed = rc;
	snprintf(q->grp.why, sizeof(q->grp.why), "%d transaction(s) of a "
	    "group lost: %s", q->grp.n, why.msg);
	return err_set(e, rc, "%s", q->grp.why);
}

int
sq_group_commit(void *impl, int max, int max_ms, struct err *e)
{
	struct sq *q = impl;

	if (q->in_tx)
		log_fatalx(MOD, "group commit changed inside a transaction");
	q->grp.max = max > 0 ? max : 0;
	q->grp.max_ms = max_ms;
	return q->grp.max ? LG_OK : sq_group_end(q, e);
}

int
sq_begin(void *impl, struct err *e)
{
	struct sq *q = impl;
	int rc;

	if (q->in_tx)
		log_fatalx(MOD, "nested transaction");
	if (q->grp.max && !q->grp.open) {
		/* IMMEDIATE: a deferred read-then-write gets BUSY_SNAPSHOT. */
		if ((rc = sq_tx(q, SQL_BEGIN, e)) != LG_OK)
			return rc;
		q->grp.open = 1;
		q->grp.n = 0;
		q->grp.since = sq_ms();
	}
	rc = sq_tx(q, q->grp.open ? SQL_SAVEPOINT : SQL_BEGIN, e);
	if (rc == LG_OK)
		q->in_tx = 1;
	return rc;
}

int
sq_commit(void *impl, struct err *e)
{
	struct sq *q = impl;
	int rc;

	if (!q->in_tx)
		log_fatalx(MOD, "commit outside a transaction");
	q->in_tx = 0;
	if (!q->grp.open) {
		sq_src_forget(q);
		if ((rc = sq_hook(q, e)) != LG_OK ||
		    (rc = sq_tx(q, SQL_COMMIT, e)) != LG_OK)
			sq_exec(q, "ROLLBACK", NULL);
		return rc;
	}
	if ((rc = sq_tx(q, SQL_RELEASE, e)) != LG_OK) {
		sq_src_forget(q);
		sq_exec(q, "ROLLBACK TO tx; RELEASE tx", NULL);
		return rc;
	}
	if (++q->grp.n >= q->grp.max ||
	    sq_ms() - q->grp.since >= q->grp.max_ms)
		return sq_group_end(q, e);
	return LG_OK;
}

void
sq_rollback(void *impl)
{
	struct sq *q = impl;

	if (!q->in_tx)
		return;
	q->in_tx = 0;
	sq_src_forget(q);
	sq_exec(q, q->grp.open ? "ROLLBACK TO tx; RELEASE tx" : "ROLLBACK",
	    NULL);
}

/* The open and close of this file, then .NAME = sq_NAME per operation. */
#define SQ_ENTRY(name, params, args) .name = sq_##name,

const struct store_backend store_sqlite_backend = {
	.name = "sqlite",
	.schema_latest = SQ_SCHEMA_LATEST,
	.open = sq_open,
	.check = sq_check,
	.close = sq_close,
	.rollback = sq_rollback,
	STORE_OPS(SQ_ENTRY)
};

#undef SQ_ENTRY
