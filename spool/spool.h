/*
 * The durable outgoing spool: one file per message under DIR/queue/,
 * named by the outgoing row's id, written through DIR/tmp/ (O_EXCL,
 * fsync, rename, fsync of the directory) so that a message reported
 * queued survives a crash. Files are 0600, directories 0700.
 *
 * A message is complete RFC 5322 text, 7-bit, with CRLF line endings,
 * and is sent byte for byte as spooled.
 */
#ifndef LG_SPOOL_H
#define LG_SPOOL_H

#include <stddef.h>

#include "util/err.h"
#include "core/outgoing.h"
#include "core/store.h"

struct spool;

/* Open dir, creating it and its queue/ and tmp/ (mode 0700) if needed. */
int spool_open(const char *dir, struct spool **out, struct err *e);
void spool_close(struct spool *sp);
const char *spool_dir(const struct spool *sp);

/*
 * Whether msg can go out unchanged: CRLF line endings only, lines of at
 * most 998 octets, 7-bit, a header section ended by an empty line with
 * exactly one Date, From and Message-ID, at most one Sender, To, Cc and
 * Reply-To, and no Bcc or Return-Path. LG_EPERM names the line at fault.
 */
int spool_message_check(const char *msg, size_t len, struct err *e);

/*
 * Queue a message. Called inside the caller's store transaction; the
 * caller commits. Inserts o (state queued; o->id, o->spool_name and the
 * times are set, and o->message_id from the message when not given) and
 * writes the spool file. LG_EEXIST, and nothing
 * changes, when o->dedup_key is already there; LG_EPERM for a bad
 * message or address, or a recipient on the suppression list; LG_ETEMP
 * when the file cannot be written (the caller rolls back).
 */
int spool_enqueue(struct spool *sp, struct store *st, struct outgoing *o,
    const char *msg, size_t len, struct err *e);
/*
 * The same, for a caller that has looked up checked (a normalized
 * address) on the suppression list in this transaction: a recipient that
 * is that address is not looked up again.
 */
int spool_enqueue_checked(struct spool *sp, struct store *st,
    struct outgoing *o, const char *msg, size_t len, const char *checked,
    struct err *e);

/*
 * For many messages in one store transaction: with batch on, enqueued
 * files are not synced one by one; spool_sync() makes all of them
 * durable at once and must come before the transaction commits.
 */
void spool_batch(struct spool *sp, int on);
int spool_sync(struct spool *sp, struct err *e);

/* The message of a queue file (caller frees); LG_ENOENT when missing. */
int spool_read(struct spool *sp, const char *name, char **msg, size_t *len,
    struct err *e);
/* 1 when the queue file exists. */
int spool_exists(struct spool *sp, const char *name);
/* Remove a queue file; a missing one is not an error. */
int spool_remove(struct spool *sp, const char *name, struct err *e);

/* What spool_recover() did, for the log and the tests. */
struct spool_recovery {
	int tmp_removed;	/* leftovers of interrupted writes */
	int orphans_removed;	/* queue files whose row never committed */
	int done_removed;	/* queue files of messages already sent */
	int lost;		/* queued rows whose file is gone: now failed */
};

/*
 * Make the spool and the store agree after a crash, in its own store
 * transaction (which also keeps concurrent enqueues out): remove tmp/
 * leftovers, queue files without a row and files of sent messages, and
 * fail queued or deferred rows whose file is missing ("spool file lost").
 */
int spool_recover(struct spool *sp, struct store *st,
    struct spool_recovery *r, struct err *e);

#endif
