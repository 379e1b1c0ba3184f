/*
 * The store: contacts, leads, history, sources and everything leadgate must
 * remember. Domain code talks only to these functions; store.c hands each
 * call to the backend (store_sqlite.c today), so another database can be
 * added without touching the domain.
 *
 * Every function returns LG_OK or a negative code with the reason in e:
 * LG_ENOENT when a row asked for does not exist, LG_EEXIST for a duplicate
 * key, LG_EPERM for a refused change, LG_ETEMP when the database is busy.
 * Writes that belong together go between store_begin() and store_commit().
 *
 * The operations are listed, with what each does, in core/store_ops.h;
 * the rows they read and write are declared by concern in
 * core/store_crm.h, store_inbound.h, store_outbound.h and store_campaign.h.
 * This is the header to include.
 */
#ifndef LG_STORE_H
#define LG_STORE_H

#include "core/store_campaign.h"
#include "core/store_crm.h"
#include "core/store_inbound.h"
#include "core/store_ops.h"
#include "core/store_outbound.h"
#include "util/err.h"

struct store;

struct store_options {
	int busy_timeout_ms;
	int readonly;		/* open without creating or migrating */
	/* PostgreSQL only (util/secret.h; NULL or "": none): */
	const char *password_file;
	const char *password_env;
	const char *ca_file;	/* sslrootcert for verify-full; "": system */
};

/*
 * path is a SQLite file, or a postgresql:// (postgres://) URL for the
 * PostgreSQL backend (core/store_pg.c).
 *
 * Open (creating if needed) and migrate to the current schema. A new
 * store is private to its owner (files 0600, a missing folder made
 * 0700); a store others can reach is refused as store_check() says.
 */
int store_open(const char *path, const struct store_options *opt,
    struct store **out, struct err *e);
/*
 * LG_EPERM, naming the path, its mode and the chmod that fixes it, when
 * a file of the store at path can be read or written by group or others,
 * or its folder written by them; LG_OK otherwise (or when it does not
 * exist yet).
 */
int store_check(const char *path, struct err *e);
void store_close(struct store *st);
/* 1 when path names a database server (postgresql://), not a file. */
int store_is_remote(const char *path);
/* "sqlite" or "postgresql". */
const char *store_backend_name(const struct store *st);
/* The newest schema version this build knows. */
int store_schema_latest(void);
/* Undo the write transaction of store_begin(); safe outside one. */
void store_rollback(struct store *st);

/* int store_NAME(struct store *st, ...) for every entry of store_ops.h. */
#define STORE_DECLARE(name, params, args)				\
	int store_##name(struct store *st, STORE_UNWRAP params);
STORE_OPS(STORE_DECLARE)
#undef STORE_DECLARE

#endif
