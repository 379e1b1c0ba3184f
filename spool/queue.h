/*
 * The outgoing queue's state machine. Every change of an outgoing row's
 * state goes through queue_transition(), which checks the move against
 * one table, records attempts, next attempt and last reply, and logs it:
 *
 *   queued   -> sent | deferred | failed | cancelled
 *   deferred -> sent | deferred | failed | cancelled | queued (retry)
 *   failed, cancelled -> queued (retry)
 *   cancelled -> sent (cancelled while on the wire: the server has it)
 *   queued, deferred -> held (too many attempts without a result)
 *   held -> queued (retry) | cancelled
 *
 * Every move ends an attempt in flight (o->inflight = 0). The log line of
 * a move is kept until the caller has committed: queue_log_flush() after
 * the commit writes the lines of this thread, queue_log_drop() after a
 * rollback forgets them, so the log never names a state the store does
 * not hold.
 *
 * On top of it, what a delivery result does to the row, the lead and the
 * contact. Every function here works inside the caller's store
 * transaction.
 */
#ifndef LG_QUEUE_H
#define LG_QUEUE_H

#include <stdint.h>

#include "core/domain.h"
#include "util/err.h"
#include "util/smtpfail.h"
#include "core/outgoing.h"
#include "core/store.h"

/* Postfix's defaults: 5 minutes doubling up to 4000 s, give up after 5 days. */
struct queue_policy {
	int retry_first;	/* seconds before the first retry */
	int retry_max;		/* cap on the doubling backoff */
	int give_up;		/* seconds after queueing: fail, do not defer */
};

struct queue_move {
	enum outgoing_state to;
	int attempted;		/* the move reports a delivery attempt */
	const char *reply;	/* last reply or reason; NULL keeps the old */
	int64_t next_attempt;	/* unix time */
};

/*
 * Apply m to o and the store; LG_EPERM for a move the table forbids.
 * When the store fails, o already holds the new values: the caller rolls
 * back and drops it.
 */
int queue_transition(struct store *st, struct outgoing *o,
    const struct queue_move *m, struct err *e);

/* Write (after a commit) or forget (after a rollback) the pending lines. */
void queue_log_flush(void);
void queue_log_drop(void);

/*
 * For a commit that is not yet durable against a crash of the process (a
 * savepoint of a store commit group): queue_log_keep() moves this
 * thread's pending lines to the end of l, any thread's; once the group
 * has committed, queue_log_kept(l, 1) writes them, or queue_log_kept(l,
 * 0) forgets them when it failed. l starts zeroed.
 */
struct queue_line;
struct queue_log {
	struct queue_line *v;
	size_t n, cap;
};
void queue_log_keep(struct queue_log *l);
void queue_log_kept(struct queue_log *l, int emit);

/* The wait after the attempts-th failed attempt (attempts >= 1). */
int64_t queue_backoff(const struct queue_policy *p, int attempts);

/*
 * Accepted by the server (reply is its answer). With advance, the lead
 * moves forward to o->advance_phase as a history action, or gets a note
 * that the mail went out when it is already past that phase.
 */
int queue_sent(struct domain *d, struct outgoing *o, const char *reply,
    int advance, struct err *e);
/* A temporary failure: deferred with backoff, failed after give_up. */
int queue_deferred(struct domain *d, struct outgoing *o, const char *reply,
    const struct queue_policy *p, int64_t now, struct err *e);
/*
 * A permanent failure of class cls (util/smtpfail.h), recorded with the
 * row (SF_NONE: none). Only SF_MAILBOX (the recipient's mailbox is dead)
 * marks the contact's address invalid and puts it on the suppression
 * list; a policy or content refusal fails this message alone. The lead's
 * history says why, and of which class, in every case.
 */
int queue_failed(struct domain *d, struct outgoing *o, const char *reply,
    enum smtpfail_class cls, struct err *e);
/*
 * An attempt found in flight after a crash (o->inflight set, no result):
 * counted in o->unconfirmed and as an attempt; deferred until next, or
 * held for the admin once o->unconfirmed is above max.
 */
int queue_unconfirmed(struct store *st, struct outgoing *o, int max,
    int64_t next, struct err *e);
/*
 * By hand: back to queued now (from deferred, failed, cancelled or held),
 * its count of unconfirmed attempts cleared.
 */
int queue_retry(struct store *st, struct outgoing *o, int64_t now,
    struct err *e);
/* By hand: stop a queued or deferred message. */
int queue_cancel(struct store *st, struct outgoing *o, struct err *e);

#endif
