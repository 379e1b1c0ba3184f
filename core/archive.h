/*
 * The mail archive: a content-addressed folder of raw inbound messages.
 *
 * A content is one file, DIR/xx/<sha256>.gz: xx the first two hex
 * digits of the SHA-256 of the raw bytes, the file their gzip
 * compression (zcat gives the bytes back). Folders are 0700 and files
 * 0600 whatever the umask. archive_put() writes a temporary file,
 * fsyncs it, renames it into place and fsyncs the folder: when it
 * returns LG_OK the content is durable, so a store row recorded after
 * it never names a missing file. With a batch it writes the temporary
 * file and renames it into place at once, without a sync;
 * archive_batch_sync() makes every file of the batch durable, content
 * and name, with one syncfs(), and must return LG_OK before a commit
 * that can make a row naming one of them durable (store_commit_hook()).
 * A power cut before that sync may leave a file in place that is not
 * whole; no row names it. The same content again writes nothing when
 * the file in place reads back whole (its time is set to now instead,
 * see the purge), and writes it anew when it does not.
 * archive_get() checks what it reads against the name: a damaged file
 * is an error (LG_EPERM), a missing one LG_ENOENT.
 *
 * The archive knows nothing of mail: what a content is and which lead
 * it belongs to is the store's (store_mail_*(), core/store_inbound.h).
 *
 * archive_purge() applies the retention: the rows received more than
 * keep_days ago are forgotten (keep_days 0: none), then every file no
 * row names and whose time is more than ARCHIVE_GRACE seconds old is
 * removed, as are temporary files that old (left by a crash). Files are
 * checked and removed while holding the store's write lock, and ingest
 * writes a file only inside its write transaction, before the row that
 * names it: a file being recorded is never removed.
 */
#ifndef LG_ARCHIVE_H
#define LG_ARCHIVE_H

#include <stddef.h>
#include <time.h>

#include "util/buf.h"
#include "util/err.h"

#define ARCHIVE_HEXLEN 64	/* a SHA-256 in hex */
#define ARCHIVE_GRACE 3600	/* seconds an unnamed file is left alone */

struct store;

/* The SHA-256 of data, lower-case hex, into hex[ARCHIVE_HEXLEN + 1]. */
void archive_hash(const void *data, size_t len, char *hex);
/* LG_OK when s is ARCHIVE_HEXLEN lower-case hex digits. */
int archive_hex_ok(const char *s);
/* DIR/xx/<hex>.gz (caller frees). */
char *archive_path(const char *dir, const char *hex);

struct archive_batch;

/*
 * An empty batch; _free leaves the files of one not synced in place (no
 * row names them: the purge removes them, a put of the same content
 * checks them).
 */
struct archive_batch *archive_batch_new(void);
void archive_batch_free(struct archive_batch *b);
/* How many files were written into b since its last sync. */
size_t archive_batch_len(const struct archive_batch *b);
/*
 * Every file put into b durable (one syncfs()); b is empty after it,
 * whatever it returns. LG_ETEMP when the disk fails: the commit is not
 * to be made. b NULL: nothing to do.
 */
int archive_batch_sync(struct archive_batch *b, struct err *e);

/*
 * Keep data[0..len) in dir (made when missing); hex gets its SHA-256.
 * now: the file's time (clock_now() in use). b NULL: durable on return;
 * else durable by archive_batch_sync(b), all of b's files in one dir.
 * LG_ETEMP when it cannot be written.
 */
int archive_put(const char *dir, const void *data, size_t len, time_t now,
    char *hex, struct archive_batch *b, struct err *e);
/*
 * Append the content named hex to out. LG_ENOENT: no such file;
 * LG_EPERM: the file is damaged (not gzip, cut short, or not the
 * content its name says); LG_ETEMP: it cannot be read now.
 */
int archive_get(const char *dir, const char *hex, struct buf *out,
    struct err *e);

struct archive_purged {
	long rows;		/* kept mails forgotten (older than keep_days) */
	long files;		/* content files removed */
	long long bytes;	/* their size on disk */
	long temps;		/* temporary files removed */
};

/* The retention (above) at time now; st must not be in a transaction. */
int archive_purge(const char *dir, struct store *st, int keep_days,
    time_t now, struct archive_purged *out, struct err *e);

#endif
