/*
 * The result journal: where a message the server accepted is recorded
 * when the store cannot take the result (a full disk, an I/O error), so
 * that it is not sent again. DIR/results.journal is allocated in full
 * when it is created (JOURNAL_SLOTS fixed-size records, 0600, written
 * under a temporary name and renamed), so that
 * writing a record needs no new block: each one is a pwrite() into a free
 * slot and an fdatasync(). A record carries a checksum; a torn one is
 * ignored. The next delivery run replays the records into the store
 * before it sends anything, then clears them (journal_clear).
 *
 * journal_add() may be called from several threads at once.
 */
#ifndef LG_JOURNAL_H
#define LG_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define JOURNAL_SLOTS 4096
#define JOURNAL_REPLY 96	/* the reply kept, NUL included */

struct journal;

struct journal_entry {
	int64_t id;		/* the outgoing row */
	int64_t at;		/* unix time of the server's answer */
	char reply[JOURNAL_REPLY];
};

/*
 * Open DIR/results.journal, creating and allocating it if needed.
 * LG_ETEMP when it cannot be created or allocated (no space).
 */
int journal_open(const char *dir, struct journal **out, struct err *e);
void journal_close(struct journal *j);

/* Record that the server accepted message id; LG_ETEMP when full. */
int journal_add(struct journal *j, int64_t id, int64_t at,
    const char *reply, struct err *e);

/* The valid records, oldest slot first (caller frees *out). */
int journal_entries(struct journal *j, struct journal_entry **out,
    size_t *n, struct err *e);

/* Zero every used slot, synced: call once the store holds them. */
int journal_clear(struct journal *j, struct err *e);

#endif
