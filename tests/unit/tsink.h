/*
 * A recording sink for connector tests, standing in for the ingest
 * pipeline with the same contract: each message becomes a row of the
 * inquiries table of a real leadgate store, keyed by Message-ID (or the
 * SHA-256 of the raw message when there is none), committed before it
 * answers LG_OK; a key already there is a duplicate and also LG_OK.
 */
#ifndef LG_TSINK_H
#define LG_TSINK_H

#include <stddef.h>
#include <sqlite3.h>

#include "connectors/connector.h"
#include "util/buf.h"
#include "core/store.h"

struct tsink {
	struct store *st;	/* for the connector's own state */
	sqlite3 *db;		/* the sink's connection to the same file */
	int calls;		/* messages handed over */
	int created;		/* new inquiry rows */
	int duplicates;
	int truncated;		/* calls with meta->truncated */
	size_t last_len;
	int etemp_at;		/* answer LG_ETEMP at this call (1-based) */
	int kill_at;		/* SIGKILL ourselves once this call committed */
	int syncs;		/* calls of the sink's sync hook */
	int sync_fail;		/* the sync hook answers LG_ETEMP */
	struct buf trace;	/* per call: "folder uid key [truncated]..." */
};

int tsink_open(struct tsink *t, const char *db_path);
void tsink_close(struct tsink *t);
/* A sink over t; dry_run as given. */
struct connector_sink tsink_sink(struct tsink *t, int dry_run);
int tsink_mail(void *arg, const char *raw, size_t len,
    const struct source_meta *meta, struct err *e);
/* Rows in the inquiries table; -1 on error. */
int tsink_rows(struct tsink *t);
/* Rows in mailbox_uids (the connector's handled set); -1 on error. */
int tsink_handled_rows(struct tsink *t);

#endif
