/*
 * The registry of connectors: maps the "type" of each block of the
 * configuration's `connectors` list to the struct connector_ops of that
 * type (imap, maildir, portal; see connectors/source.h for the contract
 * each type fulfils). The daemon calls connect (if the type has it),
 * poll_once, then wait, in a loop, reconnecting with backoff after
 * errors; `leadgate poll --connector NAME` calls poll_once once.
 */
#ifndef LG_CONNECTOR_H
#define LG_CONNECTOR_H

#include "connectors/source.h"
#include "util/err.h"

struct config;

struct connector {
	char *name;
	const struct connector_ops *ops;
	void *conn;
};

struct connector_list {
	struct connector *v;
	size_t n;
};

/*
 * Every block of cfg->connectors; a mistake in any fails the whole load:
 * LG_EPERM, every mistake of every block in errs (may be NULL), the first
 * also in e.
 */
int connector_load_all(const struct config *cfg, struct connector_list *out,
    struct err_list *errs, struct err *e);
void connector_list_free(struct connector_list *l);
struct connector *connector_find(struct connector_list *l, const char *name);

#endif
