/*
 * What every connector hands downstream. A connector fetches raw
 * inquiries and calls its deliver callback for each one; the callback
 * (the ingest pipeline, or a test's recorder) returns:
 *
 *   LG_OK     the inquiry is durably handled (a lead committed, recorded as
 *             a duplicate, or kept in quarantine): the connector may now
 *             mark it done on its side (flag, move, acknowledge);
 *   LG_ETEMP  not handled now (the store is busy, the disk full): leave it
 *             as it is and offer it again on the next poll;
 *   other     a bug: log it, leave the message, go on with the next.
 *
 * Connectors never mark anything done before the callback said LG_OK.
 *
 * Each connector type provides a struct connector_ops; the registry in
 * connectors/connector.c picks one by the block's "type".
 */
#ifndef LG_SOURCE_H
#define LG_SOURCE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libconfig.h>

#include "util/err.h"

struct inquiry;

struct source_meta {
	const char *connector;		/* the connector's configured name */
	const char *mailbox;		/* its own address when known (an
					   IMAP login that is one), or NULL */
	const char *folder;		/* IMAP folder or Maildir path, or NULL */
	uint32_t uidvalidity;		/* IMAP only */
	uint32_t uid;			/* IMAP only */
	const char *file;		/* Maildir only: the message's file */
	const char *envelope_from;	/* the SMTP sender when known ("" = <>) */
	const char *portal;		/* portal API connectors: the source name */
	const char *item_id;		/* portal API: the portal's inquiry id */
	const char *problem;		/* set when the item could not be read:
					   quarantine the raw data with this reason */
	int truncated;			/* only the first bytes were fetched
					   (the message is over the size limit) */
};

/* A raw message (RFC 5322). */
typedef int (*source_mail_fn)(void *arg, const char *raw, size_t len,
    const struct source_meta *meta, struct err *e);
/*
 * An inquiry already structured (portal APIs), with its raw JSON for
 * quarantine. q is NULL when meta->problem says why the item was unreadable.
 */
typedef int (*source_inquiry_fn)(void *arg, struct inquiry *q,
    const char *raw_json, size_t raw_len, const struct source_meta *meta,
    struct err *e);

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
	 * source_sink_sync(), before they mark anything done remotely:
	 * flags, moves, renames, acknowledgements. NULL: nothing to do.
	 */
	int (*sync)(void *arg, struct err *e);
};

/*
 * A connection's state: "connecting", "connected", "idle" (waiting in
 * IMAP IDLE), "lost" (the connection broke; a reconnect is due at
 * next_try) or "reconnecting" (a reconnect failed; the next at next_try).
 */
struct connector_link {
	const char *state;	/* NULL: the connector does not tell */
	int64_t since;		/* unix time the state began */
	int64_t lost_at;	/* unix time the connection was lost, or 0 */
	int64_t next_try;	/* unix time of the next attempt, or 0 */
	char why[256];		/* why it was lost, or "" */
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
	/*
	 * Optional. Make sure the connection is up (connect and log in, or
	 * check the one there is), before the caller takes a store
	 * connection for poll_once: a server that hangs at connect then
	 * holds up no store connection. LG_ETEMP as poll_once.
	 */
	int (*connect)(void *conn, struct err *e);
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
	/*
	 * Optional. Seconds before the next try after poll_once() failed:
	 * the connector's own reconnect backoff. NULL: the caller's.
	 */
	int (*retry)(void *conn);
	/* Optional. The state of its connection, for `status`. */
	void (*link)(void *conn, struct connector_link *out);
	/*
	 * Optional. Its settings as settings_dump_ext() prints them, each
	 * name after prefix ("imap.inbox."), for config check --dump.
	 */
	void (*dump)(void *conn, const char *prefix, int non_default,
	    const char *base, FILE *out);
};

/* Call sink->sync unless this is a dry run or there is nothing to sync. */
int source_sink_sync(const struct connector_sink *sink, struct err *e);

#endif
