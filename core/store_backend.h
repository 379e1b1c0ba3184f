/*
 * What a store backend provides: one function per entry of
 * core/store_ops.h, taking the backend's private handle instead of the
 * store, plus opening and closing. store.c forwards each store_NAME()
 * call to the member of the same name.
 */
#ifndef LG_STORE_BACKEND_H
#define LG_STORE_BACKEND_H

#include "core/store_ops.h"

struct store_options;

#define STORE_BACKEND_MEMBER(name, params, args)			\
	int (*name)(void *impl, STORE_UNWRAP params);

struct store_backend {
	const char *name;
	int schema_latest;
	int (*open)(const char *path, const struct store_options *opt,
	    void **impl, struct err *e);
	/* LG_EPERM when others can read the store at path (store_check()). */
	int (*check)(const char *path, struct err *e);
	void (*close)(void *impl);
	void (*rollback)(void *impl);
	STORE_OPS(STORE_BACKEND_MEMBER)
};

#undef STORE_BACKEND_MEMBER

extern const struct store_backend store_sqlite_backend;
/* core/store_pg.c; its NULL members are operations it does not have. */
extern const struct store_backend store_pg_backend;

#endif
