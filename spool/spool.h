/*
 * The durable outgoing spool: files under DIR/queue/, written through
 * DIR/tmp/ (O_EXCL, fsync, rename, fsync of the directory) so that a
 * message reported queued survives a crash. Files are 0600, directories
 * 0700. A row's spool_name is the name of the file holding its message:
 *
 * - "ID" (digits, the row's id): that message alone, byte for byte.
 * - "bID" (ID: the first row of the batch): a batch file, written by
 *   spool_batch() mode for many messages of one store transaction. The
 *   messages back to back from offset 0, then the index, one entry per
 *   message { int64 row id; uint64 offset; uint64 length } (24 bytes),
 *   then the trailer { uint64 number of entries; 8 bytes "LGBATCH1" };
 *   integers in the host's byte order. It is renamed into queue/ only
 *   once complete and synced, and removed once every row naming it is
 *   sent (spool_release, spool_recover): one inode and one removal for
 *   a whole batch instead of one per message.
 * - "dID": the text is in the store (outgoing_body_*, written in the
 *   row's transaction), where the store is PostgreSQL: instances on
 *   several hosts, each with a spool folder of its own, send each
 *   other's mail. spool_release() drops the text once it is sent, the
 *   store's erasure with the contact; no file is involved.
 *
 * A message is complete RFC 5322 text, 7-bit, with CRLF line endings,
 * and is sent byte for byte as spooled.
 */
#ifndef LG_SPOOL_H
#define LG_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "core/outgoing.h"
#include "core/store.h"

struct spool;

/* Open dir, creating it and its queue/ and tmp/ (mode 0700) if needed. */
int spool_open(const char *dir, struct spool **out, struct err *e);
void spool_close(struct spool *sp);
const char *spool_dir(const struct spool *sp);
/*
 * Where spool_read_row() and the readers find texts kept in the store
 * ("dID"): they open connections of their own to path with opt (copied).
 */
void spool_attach_store(struct spool *sp, const char *path,
    const struct store_options *opt);
/* 1 when st keeps the texts of the messages spooled (PostgreSQL). */
int spool_texts_in_store(struct store *st);
/* 1 when name is a text's in the store ("dID"). */
int spool_is_db(const char *name);

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
 * messages go into one batch file in tmp/; spool_sync() completes it,
 * syncs it and moves it into queue/, and must come before the
 * transaction commits. After a rollback, spool_batch() (on or off) drops
 * a batch file not synced yet; the next message starts a new one.
 */
void spool_batch(struct spool *sp, int on);
int spool_sync(struct spool *sp, struct err *e);
/* 1 when name is a batch file's. */
int spool_is_batch(const char *name);
/* The lowest and highest row id in batch file name's index. */
int spool_batch_ids(struct spool *sp, const char *name, int64_t *lo,
    int64_t *hi, struct err *e);

/*
 * The message of row id, whose spool_name is name (caller frees);
 * LG_ENOENT when the file or the message is missing.
 */
int spool_read_row(struct spool *sp, const char *name, int64_t id,
    char **msg, size_t *len, struct err *e);
/*
 * The same for one thread reading many messages in turn: the last batch
 * file read stays open with its index, so that each further message of
 * it is one pread(). Batch files do not change once in queue/ (an erased
 * message's bytes are zeroed in place, seen through the open file too);
 * one removed meanwhile is still read, which is why a reader is meant for
 * rows just taken as due.
 */
struct spool_reader;
struct spool_reader *spool_reader_new(struct spool *sp);
void spool_reader_free(struct spool_reader *r);
int spool_reader_read(struct spool_reader *r, const char *name, int64_t id,
    char **msg, size_t *len, struct err *e);
/* The same, a text in the store read from st (a caller's connection). */
int spool_read_text(struct spool *sp, struct store *st, const char *name,
    int64_t id, char **msg, size_t *len, struct err *e);
/* The same for a file of one message ("ID"). */
int spool_read(struct spool *sp, const char *name, char **msg, size_t *len,
    struct err *e);
/* 1 when the queue file exists (a text in the store: always). */
int spool_exists(struct spool *sp, const char *name);
/* Remove a queue file; a missing one is not an error. */
int spool_remove(struct spool *sp, const char *name, struct err *e);
/*
 * Erase the message of row id from queue file name (contacts erase): a
 * file of one message is removed; in a batch file the message's bytes
 * are overwritten with zeros in place and synced, the other messages and
 * the index left as they are (the row must no longer be sendable). A
 * missing file or message is not an error.
 */
int spool_erase(struct spool *sp, const char *name, int64_t id,
    struct err *e);
/*
 * A sent message's file goes (committed results: the store says sent):
 * a file of one message at once, a batch file once no row naming it is
 * anything but sent.
 */
int spool_release(struct spool *sp, struct store *st, const char *name,
    struct err *e);

/* What spool_recover() did, for the log and the tests. */
struct spool_recovery {
	int tmp_removed;	/* leftovers of interrupted writes */
	int orphans_removed;	/* queue files whose row never committed */
	int done_removed;	/* queue files of messages already sent */
	int lost;		/* queued rows whose file is gone: now failed */
	long texts_dropped;	/* texts in the store of sent messages */
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
