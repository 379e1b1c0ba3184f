/*
 * The PostgreSQL backend: one libpq connection per store handle, values
 * only as bound parameters, the same schema versions as SQLite (a
 * schema_version table instead of PRAGMA user_version), migrations run
 * at open under an advisory lock so that several instances starting at
 * once migrate once.
 *
 * Connection: store.url as given to libpq; the password from
 * store.password_file or store.password_env (util/secret.h), never from
 * the URL (refused there: it would end up in logs and ps). TLS: when the
 * URL names no sslmode, a server off this machine gets
 * sslmode=verify-full (the certificate and the host name checked against
 * ca_file, or the system's CA bundle); a loopback address or a socket
 * folder gets libpq's default (prefer): nothing crosses a network there.
 *
 * Isolation is READ COMMITTED; what must happen once (an inquiry key, an
 * outgoing dedup key) is a UNIQUE constraint, whose violation comes back
 * as LG_EEXIST, as with SQLite. A broken connection is LG_ETEMP and is
 * re-established at the next transaction.
 */
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/log.h"
#include "util/secret.h"
#include "core/store.h"
#include "core/store_backend.h"
#include "core/store_pg.h"
#include "util/xmalloc.h"

#define MOD "store"
#define PG_SYSTEM_CA "/etc/ssl/certs/ca-certificates.crt"

void
pgp_text(struct pg_params *p, const char *v)
{
	if (p->n == PG_MAXPARAMS)
		log_fatalx(MOD, "too many parameters: raise PG_MAXPARAMS");
	p->v[p->n++] = v;
}

void
pgp_int(struct pg_params *p, int64_t v)
{
	if (p->n == PG_MAXPARAMS)
		log_fatalx(MOD, "too many parameters: raise PG_MAXPARAMS");
	snprintf(p->num[p->n], sizeof(p->num[p->n]), "%lld", (long long)v);
	p->v[p->n] = p->num[p->n];
	p->n++;
}

void
pgp_bytes(struct pg_params *p, const char *v, size_t len)
{
	if (p->n == PG_MAXPARAMS)
		log_fatalx(MOD, "too many parameters: raise PG_MAXPARAMS");
	if (len > INT_MAX)
		log_fatalx(MOD, "a value of %zu bytes", len);
	p->len[p->n] = (int)len;
	p->fmt[p->n] = 1;
	p->binary = 1;
	p->v[p->n++] = v;
}

void
pgp_num(struct pg_params *p, double v)
{
	if (v < 0) {		/* OBJ_UNSET and the like: not given */
		pgp_text(p, NULL);
		return;
	}
	if (p->n == PG_MAXPARAMS)
		log_fatalx(MOD, "too many parameters: raise PG_MAXPARAMS");
	/* %.17g round-trips; positive, it fits the 24 bytes. */
	snprintf(p->num[p->n], sizeof(p->num[p->n]), "%.17g", v);
	p->v[p->n] = p->num[p->n];
	p->n++;
}

void
pgp_id(struct pg_params *p, int64_t v)
{
	if (v == 0)
		pgp_text(p, NULL);
	else
		pgp_int(p, v);
}

/* SQLSTATE classes and codes to LG codes; first match wins. */
static const struct {
	const char *state;	/* a full code, or a two-character class */
	int code;
} pg_states[] = {
	{ "23505", LG_EEXIST },		/* unique_violation */
	{ "23", LG_EPERM },		/* other integrity violations */
	{ "22", LG_EPERM },		/* data exceptions */
	{ "40", LG_ETEMP },		/* serialization failure, deadlock */
	{ "55P03", LG_ETEMP },		/* lock_not_available */
	{ "57014", LG_ETEMP },		/* query_canceled (timeout) */
	{ "08", LG_ETEMP },		/* connection exceptions */
	{ "53", LG_ETEMP },		/* insufficient resources */
	{ "57P", LG_ETEMP },		/* admin shutdown, crash shutdown */
	{ "28", LG_EPERM },		/* invalid authorization */
	{ "42501", LG_EPERM },		/* insufficient privilege */
	{ "25006", LG_EPERM },		/* read-only transaction */
};

static int
pg_state_code(const char *state)
{
	size_t i;

	if (state == NULL)	/* no result at all: the connection broke */
		return LG_ETEMP;
	for (i = 0; i < sizeof(pg_states) / sizeof(pg_states[0]); i++)
		if (strncmp(state, pg_states[i].state,
		    strlen(pg_states[i].state)) == 0)
			return pg_states[i].code;
	return LG_EINTERNAL;
}

static int
pg_fail(struct pg *q, const PGresult *r, const char *what, struct err *e)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) :
	    NULL;
	int code;

	if (PQstatus(q->conn) != CONNECTION_OK)
		state = NULL;
	code = pg_state_code(state);
	if (msg == NULL)
		msg = PQerrorMessage(q->conn);
	if (code == LG_EEXIST)
		return err_set(e, code, "%s: already exists", what);
	return err_set(e, code, "database %s: %s: %s%s%s", q->name, what,
	    msg, state ? " SQLSTATE " : "", state ? state : "");
}

/*
 * Each statement text is prepared once per connection (parse and plan
 * once, as SQLite's statement cache does) and run by name; a text that
 * only shares the address of a cached one (a dynamic buffer) is told
 * apart by comparing it. When the cache is full, a statement runs
 * unprepared. *name NULL: not prepared.
 */
static int
pg_prepared(struct pg *q, const char *sql, int nparams, char *name,
    size_t len, const char *what, struct err *e)
{
	PGresult *r;
	size_t i;
	int rc;

	*name = '\0';
	for (i = 0; i < q->ncache; i++)
		if (q->cache[i].key == sql && strcmp(q->cache[i].sql, sql) == 0) {
			snprintf(name, len, "lg%zu", i);
			return LG_OK;
		}
	if (q->ncache == PG_CACHE_SIZE)
		return LG_OK;
	snprintf(name, len, "lg%zu", q->ncache);
	r = PQprepare(q->conn, name, sql, nparams, NULL);
	if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = pg_fail(q, r, what, e);
		PQclear(r);
		*name = '\0';
		return rc;
	}
	PQclear(r);
	q->cache[q->ncache].key = sql;
	q->cache[q->ncache].sql = xstrdup(sql);
	q->ncache++;
	return LG_OK;
}

/* A new session (PQreset) has none of the old one's statements. */
static void
pg_cache_clear(struct pg *q)
{
	size_t i;

	for (i = 0; i < q->ncache; i++)
		free(q->cache[i].sql);
	q->ncache = 0;
}

int
pg_query(struct pg *q, const char *sql, const struct pg_params *p,
    PGresult **out, const char *what, struct err *e)
{
	char name[16];
	PGresult *r;
	int st, rc;

	if ((rc = pg_prepared(q, sql, p ? p->n : 0, name, sizeof(name), what,
	    e)) != LG_OK)
		return rc;
	if (*name != '\0')
		r = PQexecPrepared(q->conn, name, p ? p->n : 0,
		    p ? p->v : NULL, p && p->binary ? p->len : NULL,
		    p && p->binary ? p->fmt : NULL, 0);
	else
		r = PQexecParams(q->conn, sql, p ? p->n : 0, NULL,
		    p ? p->v : NULL, p && p->binary ? p->len : NULL,
		    p && p->binary ? p->fmt : NULL, 0);
	st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		rc = pg_fail(q, r, what, e);
		PQclear(r);
		return rc;
	}
	if (out != NULL)
		*out = r;
	else
		PQclear(r);
	return LG_OK;
}

int
pg_change(struct pg *q, const char *sql, const struct pg_params *p,
    int64_t *n, const char *what, struct err *e)
{
	PGresult *r;
	int rc;

	if ((rc = pg_query(q, sql, p, &r, what, e)) != LG_OK)
		return rc;
	*n = strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return LG_OK;
}

int
pg_ids(struct pg *q, const char *sql, const struct pg_params *p,
    struct idlist *out, const char *what, struct err *e)
{
	PGresult *r;
	int i, rc;

	if ((rc = pg_query(q, sql, p, &r, what, e)) != LG_OK)
		return rc;
	for (i = 0; i < PQntuples(r); i++)
		idlist_add(out, pg_int(r, i, 0));
	PQclear(r);
	return LG_OK;
}

int
pg_exec(struct pg *q, const char *sql, struct err *e)
{
	PGresult *r = PQexec(q->conn, sql);
	int st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR, rc = LG_OK;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = pg_fail(q, r, "exec", e);
	PQclear(r);
	return rc;
}

char *
pg_text(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return NULL;
	return xstrdup(PQgetvalue(r, row, col));
}

int64_t
pg_int(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return 0;
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

int
pg_isnull(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col);
}

void
pg_now(char *out, size_t len)
{
	clock_iso(clock_now(), out, len);
}

int
pg_schema_version(void *impl, int *out, struct err *e)
{
	struct pg *q = impl;
	PGresult *r;
	int rc, exists;

	/* Two statements: a missing table fails the parse of any query. */
	if ((rc = pg_query(q, "SELECT to_regclass('schema_version') IS NOT "
	    "NULL", NULL, &r, "schema version", e)) != LG_OK)
		return rc;
	exists = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	*out = 0;
	if (!exists)
		return LG_OK;
	if ((rc = pg_query(q, "SELECT coalesce(max(version), 0) FROM "
	    "schema_version", NULL, &r, "schema version", e)) != LG_OK)
		return rc;
	*out = (int)pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

/*
 * A database with tables but no schema_version is someone else's:
 * writing ours into it would be a silent disaster.
 */
static int
pg_check_db(struct pg *q, int *version, struct err *e)
{
	PGresult *r;
	int rc, ntables;

	rc = pg_query(q, "SELECT to_regclass('schema_version') IS NOT NULL, "
	    "(SELECT count(*) FROM pg_tables WHERE schemaname = "
	    "current_schema())", NULL, &r, "identity", e);
	if (rc != LG_OK)
		return rc;
	ntables = (int)pg_int(r, 0, 1);
	rc = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (!rc && ntables > 0)
		return err_set(e, LG_EPERM, "database %s is not a leadgate "
		    "database (%d tables, no schema_version)", q->name,
		    ntables);
	*version = 0;
	if (rc && (rc = pg_schema_version(q, version, e)) != LG_OK)
		return rc;
	if (*version > PG_SCHEMA_LATEST)
		return err_set(e, LG_EPERM, "database %s has schema version %d, "
		    "newer than this leadgate knows (%d)", q->name, *version,
		    PG_SCHEMA_LATEST);
	return LG_OK;
}

static int
pg_migrate_one(struct pg *q, const struct pg_migration *m, struct err *e)
{
	struct pg_params p = { 0 };
	int rc, version;

	if ((rc = pg_exec(q, "BEGIN", e)) != LG_OK)
		return rc;
	pgp_int(&p, PG_MIGRATE_LOCK);
	if ((rc = pg_query(q, "SELECT pg_advisory_xact_lock($1::bigint)", &p,
	    NULL, "migration lock", e)) != LG_OK ||
	    (rc = pg_schema_version(q, &version, e)) != LG_OK ||
	    version >= m->version) {
		pg_exec(q, "ROLLBACK", NULL);
		return rc;
	}
	p.n = 0;
	pgp_int(&p, m->version);
	if ((rc = pg_exec(q, m->sql, e)) != LG_OK ||
	    (rc = pg_query(q, "INSERT INTO schema_version (version, at) "
	    "VALUES ($1, now())", &p, NULL, "schema version", e)) != LG_OK ||
	    (rc = pg_exec(q, "COMMIT", e)) != LG_OK) {
		pg_exec(q, "ROLLBACK", NULL);
		return err_prefix(e, "migration %d", m->version);
	}
	log_info(MOD, "%s: migrated schema to version %d", q->name, m->version);
	return LG_OK;
}

static int
pg_migrate(struct pg *q, int version, struct err *e)
{
	size_t i;
	int rc;

	for (i = 0; i < pg_nmigrations; i++) {
		if (pg_migrations[i].version <= version)
			continue;
		if ((rc = pg_migrate_one(q, &pg_migrations[i], e)) != LG_OK)
			return rc;
	}
	return LG_OK;
}

/* Loopback or a socket folder: TLS would protect nothing. */
static int
pg_host_local(const char *host)
{
	static const char *const local[] = { "localhost", "127.0.0.1", "::1",
		"[::1]" };
	size_t i;

	if (host == NULL || *host == '\0' || *host == '/' || *host == '@')
		return 1;
	for (i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		if (strcmp(host, local[i]) == 0)
			return 1;
	return strncmp(host, "127.", 4) == 0;
}

/* What the URL says: a password (refused), sslmode, host and database. */
struct pg_url {
	int has_password, has_sslmode, local;
	char name[200];
};

static int
pg_url_read(const char *url, struct pg_url *u, struct err *e)
{
	PQconninfoOption *opts, *o;
	const char *host = NULL, *db = NULL;
	char *msg = NULL;

	memset(u, 0, sizeof(*u));
	if ((opts = PQconninfoParse(url, &msg)) == NULL) {
		/* msg may quote the URL, password included: not passed on. */
		PQfreemem(msg);
		return err_set(e, LG_EPERM, "store.url is not a valid "
		    "PostgreSQL URL");
	}
	for (o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL)
			continue;
		if (strcmp(o->keyword, "password") == 0)
			u->has_password = 1;
		else if (strcmp(o->keyword, "sslmode") == 0)
			u->has_sslmode = 1;
		else if (strcmp(o->keyword, "host") == 0)
			host = o->val;
		else if (strcmp(o->keyword, "dbname") == 0)
			db = o->val;
	}
	u->local = pg_host_local(host);
	snprintf(u->name, sizeof(u->name), "postgresql %s/%s",
	    host ? host : "(socket)", db ? db : "");
	PQconninfoFree(opts);
	if (u->has_password)
		return err_set(e, LG_EPERM, "store.url must not hold a "
		    "password: put it in store.password_file or "
		    "store.password_env");
	return LG_OK;
}

static int
pg_connect(struct pg *q, const char *url, const struct store_options *opt,
    struct err *e)
{
	const char *kw[8], *val[8];
	char *password = NULL;
	struct pg_url u;
	char timeout[16];
	int n = 0, rc;

	if ((rc = pg_url_read(url, &u, e)) != LG_OK)
		return rc;
	q->name = xstrdup(u.name);
	rc = secret_read(opt->password_file, opt->password_env, &password, e);
	if (rc != LG_OK && rc != LG_ENOENT)
		return rc;
	kw[n] = "dbname", val[n++] = url;	/* expanded: later ones win */
	kw[n] = "application_name", val[n++] = "leadgate";
	snprintf(timeout, sizeof(timeout), "%d",
	    opt->busy_timeout_ms > 0 ? (opt->busy_timeout_ms + 999) / 1000 +
	    5 : 10);
	kw[n] = "connect_timeout", val[n++] = timeout;
	if (!u.has_sslmode && !u.local) {
		kw[n] = "sslmode", val[n++] = "verify-full";
		kw[n] = "sslrootcert", val[n++] = opt->ca_file &&
		    *opt->ca_file ? opt->ca_file : PG_SYSTEM_CA;
	}
	if (password != NULL)
		kw[n] = "password", val[n++] = password;
	kw[n] = NULL, val[n] = NULL;
	q->conn = PQconnectdbParams(kw, val, 1);
	secret_free(password);
	if (q->conn == NULL)
		return err_set(e, LG_ETEMP, "%s: out of memory", q->name);
	if (PQstatus(q->conn) != CONNECTION_OK) {
		/* libpq's message names host and user, not the password. */
		return err_set(e, strstr(PQerrorMessage(q->conn),
		    "authentication") ? LG_EPERM : LG_ETEMP, "cannot connect "
		    "to %s: %s", q->name, PQerrorMessage(q->conn));
	}
	return LG_OK;
}

static void pg_close(void *impl);

/* The statement timeout stands for SQLite's busy timeout: a lock wait. */
static int
pg_setup(struct pg *q, const struct store_options *opt, struct err *e)
{
	struct pg_params p = { 0 };
	int rc, version = 0;

	pgp_int(&p, opt->busy_timeout_ms);
	if ((rc = pg_query(q, "SELECT set_config('lock_timeout', $1 || 'ms', "
	    "false), set_config('client_min_messages', 'warning', false)",
	    &p, NULL, "setup", e)) != LG_OK ||
	    (rc = pg_check_db(q, &version, e)) != LG_OK)
		return rc;
	if (opt->readonly)
		return pg_exec(q, "SET default_transaction_read_only = on", e);
	return pg_migrate(q, version, e);
}

static int
pg_open(const char *url, const struct store_options *opt, void **impl,
    struct err *e)
{
	struct pg *q = xcalloc(1, sizeof(*q));
	int rc;

	if ((rc = pg_connect(q, url, opt, e)) != LG_OK ||
	    (rc = pg_setup(q, opt, e)) != LG_OK) {
		pg_close(q);
		return rc;
	}
	*impl = q;
	return LG_OK;
}

/* Nothing on this machine to check: the server keeps the data. */
static int
pg_check(const char *url, struct err *e)
{
	struct pg_url u;

	return pg_url_read(url, &u, e);
}

static int pg_group_end(struct pg *q, struct err *e);

static void
pg_close(void *impl)
{
	struct pg *q = impl;

	if (q == NULL)
		return;
	if (q->conn && q->grp.open && pg_group_end(q, NULL) != LG_OK)
		log_warn(MOD, "%s: %s", q->name, q->grp.why);
	PQfinish(q->conn);
	pg_cache_clear(q);
	free(q->name);
	free(q);
}

static int64_t
pg_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
pg_hook(struct pg *q, struct err *e)
{
	return q->hook != NULL ? q->hook(q->hook_arg, e) : LG_OK;
}

int
pg_commit_hook(void *impl, store_hook_fn fn, void *arg, struct err *e)
{
	struct pg *q = impl;

	q->hook = fn;
	q->hook_arg = arg;
	return LG_OK;
}

static int
pg_group_end(struct pg *q, struct err *e)
{
	struct err why;
	int rc;

	if (!q->grp.open)
		return LG_OK;
	q->grp.open = 0;
	err_clear(&why);
	if ((rc = pg_hook(q, &why)) == LG_OK &&
	    (rc = pg_exec(q, "COMMIT", &why)) == LG_OK)
		return LG_OK;
	pg_exec(q, "ROLLBACK", NULL);
	q->grp.failed = rc;
	snprintf(q->grp.why, sizeof(q->grp.why), "%d transaction(s) of a "
	    "group lost: %s", q->grp.n, why.msg);
	return err_set(e, rc, "%s", q->grp.why);
}

int
pg_group_commit(void *impl, int max, int max_ms, struct err *e)
{
	struct pg *q = impl;

	if (q->in_tx)
		log_fatalx(MOD, "group commit changed inside a transaction");
	q->grp.max = max > 0 ? max : 0;
	q->grp.max_ms = max_ms;
	return q->grp.max ? LG_OK : pg_group_end(q, e);
}

/* A connection that broke between transactions is made again. */
static int
pg_alive(struct pg *q, struct err *e)
{
	if (PQstatus(q->conn) == CONNECTION_OK)
		return LG_OK;
	PQreset(q->conn);
	pg_cache_clear(q);
	if (PQstatus(q->conn) != CONNECTION_OK)
		return err_set(e, LG_ETEMP, "%s: connection lost: %s",
		    q->name, PQerrorMessage(q->conn));
	if (q->fast)
		return pg_exec(q, "SET synchronous_commit = off", e);
	return LG_OK;
}

int
pg_begin(void *impl, struct err *e)
{
	struct pg *q = impl;
	int rc;

	if (q->in_tx)
		log_fatalx(MOD, "nested transaction");
	if (q->grp.max && !q->grp.open) {
		if ((rc = pg_alive(q, e)) != LG_OK ||
		    (rc = pg_exec(q, "BEGIN", e)) != LG_OK)
			return rc;
		q->grp.open = 1;
		q->grp.n = 0;
		q->grp.since = pg_ms();
	}
	if (!q->grp.open && (rc = pg_alive(q, e)) != LG_OK)
		return rc;
	rc = pg_exec(q, q->grp.open ? "SAVEPOINT tx" : "BEGIN", e);
	if (rc == LG_OK)
		q->in_tx = 1;
	return rc;
}

int
pg_commit(void *impl, struct err *e)
{
	struct pg *q = impl;
	int rc;

	if (!q->in_tx)
		log_fatalx(MOD, "commit outside a transaction");
	q->in_tx = 0;
	if (!q->grp.open) {
		if ((rc = pg_hook(q, e)) != LG_OK ||
		    (rc = pg_exec(q, "COMMIT", e)) != LG_OK)
			pg_exec(q, "ROLLBACK", NULL);
		return rc;
	}
	if ((rc = pg_exec(q, "RELEASE SAVEPOINT tx", e)) != LG_OK) {
		pg_exec(q, "ROLLBACK TO SAVEPOINT tx", NULL);
		pg_exec(q, "RELEASE SAVEPOINT tx", NULL);
		return rc;
	}
	if (++q->grp.n >= q->grp.max ||
	    pg_ms() - q->grp.since >= q->grp.max_ms)
		return pg_group_end(q, e);
	return LG_OK;
}

void
pg_rollback(void *impl)
{
	struct pg *q = impl;

	if (!q->in_tx)
		return;
	q->in_tx = 0;
	if (q->grp.open) {
		pg_exec(q, "ROLLBACK TO SAVEPOINT tx", NULL);
		pg_exec(q, "RELEASE SAVEPOINT tx", NULL);
	} else {
		pg_exec(q, "ROLLBACK", NULL);
	}
}

int
pg_fast_commit(void *impl, struct err *e)
{
	struct pg *q = impl;

	q->fast = 1;
	return pg_exec(q, "SET synchronous_commit = off", e);
}

/*
 * A commit with synchronous_commit on waits until the WAL is flushed up
 * to its own commit record, and with it every earlier one: a transaction
 * that takes an xid writes such a record.
 */
int
pg_sync(void *impl, struct err *e)
{
	struct pg *q = impl;
	int rc;

	if (q->grp.failed) {
		rc = q->grp.failed;
		q->grp.failed = 0;
		return err_set(e, rc, "%s", q->grp.why);
	}
	if ((rc = pg_group_end(q, e)) != LG_OK)
		return rc;
	if (!q->fast)
		return LG_OK;
	if ((rc = pg_exec(q, "BEGIN; SET LOCAL synchronous_commit = on; "
	    "SELECT txid_current(); COMMIT", e)) != LG_OK)
		pg_exec(q, "ROLLBACK", NULL);
	return rc;
}

/*
 * The operations PostgreSQL has so far; the others stay NULL and the
 * front (store.c) refuses them by name. docs/leadgate.conf.5.md lists
 * the same.
 */
#define PG_OP(name) .name = pg_##name,

const struct store_backend store_pg_backend = {
	.name = "postgresql",
	.schema_latest = PG_SCHEMA_LATEST,
	.open = pg_open,
	.check = pg_check,
	.close = pg_close,
	.rollback = pg_rollback,
	PG_OP(schema_version)
	PG_OP(begin)
	PG_OP(commit)
	PG_OP(fast_commit)
	PG_OP(sync)
	PG_OP(group_commit)
	PG_OP(commit_hook)
	PG_OPS_CRM(PG_OP)
	PG_OPS_INGEST(PG_OP)
	PG_OPS_OUTGOING(PG_OP)
	PG_OPS_CAMPAIGN(PG_OP)
	PG_OPS_API(PG_OP)
	PG_OPS_ASSIGN(PG_OP)
	PG_OPS_OBJECTS(PG_OP)
	PG_OPS_USERS(PG_OP)
	PG_OPS_GDPR(PG_OP)
	PG_OPS_WEBHOOK(PG_OP)
};

#undef PG_OP
