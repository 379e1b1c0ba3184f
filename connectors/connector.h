/*
 * Connectors: where inquiries come from. Each type (imap, maildir,
 * portal) provides a struct connector_ops; connector.c maps the "type" of
 * each block of the configuration's `connectors` list to its ops.
 *
 * A poll fetches what is new and hands each inquiry to the sink (see
 * connectors/source.h for what the sink's answers mean). The daemon calls
 * poll_once, then wait, in a loop, reconnecting with backoff after errors;
 * `leadgate poll --connector NAME` calls poll_once once.
 */
#ifndef LG_CONNECTOR_H
#define LG_CONNECTOR_H

#include <signal.h>

#include <libconfig.h>

#include "connectors/source.h"
#include "util/err.h"

struct config;
struct store;

struct connector_sink {
	source_mail_fn mail;		/* raw messages (imap, maildir) */
	source_inquiry_fn inquiry;	/* structured items (portal APIs) */
	void *arg;
	struct store *st;	/* the connector's store connection, for its state */
	int dry_run;		/* change nothing: no flags, acks or cursors */
	/*
	 * Make everything the sink answered LG_OK for durable (the store
	 * may commit without an fsync each time). Connectors call it, through
	 * connector_sink_sync(), before they mark anything done remotely:
	 * flags, moves, renames, acknowledgements. NULL: nothing to do.
	 */
	int (*sync)(void *arg, struct err *e);
};

struct connector_ops {
	const char *type;
	/*
	 * Read and check a configuration block; every mistake goes to rep
	 * as "file:line: why".
	 */
	int (*create)(const config_setting_t *block, const struct config *cfg,
	    void **out, struct err_report *rep);
	void (*destroy)(void *conn);
	/* One poll. LG_ETEMP: a network or server problem, try again later. */
	int (*poll_once)(void *conn, const struct connector_sink *sink,
	    struct err *e);
	/*
	 * Block until something new may be there (IMAP IDLE), at most
	 * timeout_ms, returning early when *stop is set. NULL: the caller
	 * sleeps for the connector's interval.
	 */
	int (*wait)(void *conn, int timeout_ms, volatile sig_atomic_t *stop,
	    struct err *e);
	/* Seconds between polls when there is no wait (or it fails). */
	int (*interval)(void *conn);
};

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
int connector_sink_sync(const struct connector_sink *sink, struct err *e);

#endif
