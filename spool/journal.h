/*
 * The delivery journal, DIR/results.journal: what a delivery run did on
 * the wire that the store does not hold yet. It is allocated in full when
 * it is created (JOURNAL_SLOTS fixed-size records and a header, 0600,
 * written under a temporary name and renamed), so that writing a record
 * needs no new block: each one is a pwrite() into the next free slot.
 *
 * Per message, a run writes a wire record when its data is about to go
 * out and a result record when the server has answered it, both without
 * fsync: they survive a crash of the process, which is what they are
 * for. The store takes the results in groups; once a group is committed
 * the journal is reset (journal_clear), which only moves the header to a
 * new epoch: records of an earlier epoch no longer count. A record
 * carries a checksum; a torn one is ignored.
 *
 * When the store cannot take a result at all (a full disk, an I/O
 * error), journal_sync() makes the records durable, and the next
 * delivery run replays them into the store before it sends anything.
 * The header names the boot that wrote the epoch: after a reboot only
 * the acceptances (JOURNAL_SENT) are facts worth replaying.
 *
 * Records of the first format ("LGR1", acceptances written with an
 * fdatasync each) are read as JOURNAL_SENT whatever the epoch, and
 * zeroed by the first clear.
 *
 * Every function may be called from several threads at once.
 */
#ifndef LG_JOURNAL_H
#define LG_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define JOURNAL_SLOTS 4096
#define JOURNAL_REPLY 96	/* the reply kept, NUL included */
#define JOURNAL_BOOT 64		/* the boot id kept, NUL included */

/* What a record says about message id (0 is the first format's). */
enum journal_kind {
	JOURNAL_SENT = 0,	/* the server accepted it */
	JOURNAL_WIRE,		/* its data is about to go out */
	JOURNAL_DEFERRED,	/* refused for now */
	JOURNAL_FAILED,		/* refused for good */
	JOURNAL_FAILED_RCPT,	/* refused for good: the mailbox is dead */
	JOURNAL_NKINDS
};

struct journal;

struct journal_entry {
	int64_t id;		/* the outgoing row */
	int64_t at;		/* unix time of the server's answer */
	enum journal_kind kind;
	int cls;		/* the failure's class (util/smtpfail.h) */
	char reply[JOURNAL_REPLY];
};

/*
 * Open DIR/results.journal, creating and allocating it if needed (a
 * journal of the first format is extended by its header). LG_ETEMP when
 * it cannot be created or allocated (no space).
 */
int journal_open(const char *dir, struct journal **out, struct err *e);
void journal_close(struct journal *j);

/*
 * Append a record, no fsync; LG_ETEMP when the journal is full or the
 * write fails.
 */
int journal_put(struct journal *j, const struct journal_entry *en,
    struct err *e);
/* The records so far reach the disk (fdatasync). */
int journal_sync(struct journal *j, struct err *e);
/* Record that the server accepted message id, synced; LG_ETEMP when full. */
int journal_add(struct journal *j, int64_t id, int64_t at,
    const char *reply, struct err *e);
/* Slots used in this epoch. */
size_t journal_used(struct journal *j);

/*
 * The valid records of this epoch, oldest first (caller frees *out), and
 * the boot id that wrote the epoch ("" when unknown) into boot.
 */
int journal_entries(struct journal *j, struct journal_entry **out,
    size_t *n, char boot[JOURNAL_BOOT], struct err *e);

/*
 * Start a new epoch written by boot: every record so far stops counting.
 * sync: also fdatasync (after a replay into the store); without it the
 * clear survives a crash of the process only, and a record it drops may
 * count again after a power cut.
 */
int journal_clear(struct journal *j, const char *boot, int sync,
    struct err *e);

#endif
