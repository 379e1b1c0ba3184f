/*
 * Delivery runs: after recovery, every message due goes to the smarthost
 * in smtp.connections sessions in parallel, each carrying up to
 * delivery.batch messages over one connection.
 *
 * Recovery, in this order, before anything is sent: the result journal
 * (spool/journal.h) is replayed into the store and cleared; the spool and
 * the store are made to agree (spool_recover); and every message still
 * marked in flight (a run was killed with it on the wire: the server may
 * have it) counts an unconfirmed attempt and waits
 * delivery.inflight_delay, or is held for the admin once it has more than
 * delivery.max_unconfirmed of them. Whatever the number of crashes, a
 * message goes out at most 1 + delivery.max_unconfirmed times before the
 * admin is asked. A message in flight whose data had not started going
 * out, in the same boot, is not counted and stays due.
 *
 * A session first records an attempt on each of its messages, with the
 * kernel's boot id, in one commit and one fsync; if that fails, it sends
 * nothing. When a message's data is about to go out (the load hook), a
 * wire record goes into the delivery journal (spool/journal.h: one pwrite,
 * no fsync); each result, which clears the attempt, goes into the journal
 * the same way and into the store's commit group of the run (a savepoint
 * of one open transaction) the moment the server gives it. The group is
 * committed after DELIVER_GROUP_RESULTS (256) results, when it is
 * DELIVER_GROUP_SECONDS (0.5 s) old (a flusher thread sees to it while the
 * sessions wait for their servers, so that the open group does not keep
 * the store's write lock from others), when half the journal is used, and
 * by each session's sync, together with a wire mark in the store for each
 * message whose data is out and whose result has not come; then the
 * journal is reset. A crash of the process thus leaves at most one message
 * per session that the server may have and neither the store nor the
 * journal says so: the next run replays the journal first (results
 * recorded, wire marks counted as unconfirmed attempts). The journal and
 * those commits skip the fsync, and one per session makes the results
 * durable before the sent messages' files go (spool_release: a batch file
 * once all of it is sent), so a power cut can make the last sessions'
 * messages go twice, never lost; after a reboot the journal is trusted
 * only for acceptances. A message accepted by the server whose result the
 * store refuses (a full disk, also when the group is committed) stays in
 * the journal, synced, and the run stops: no more data goes out. Log lines
 * of state changes are written after the commit that made them durable.
 * Only one run at a time holds the spool (DIR/deliver.lock).
 *
 * While the store's or the spool's filesystem has less than
 * store.min_free_mb free (core/space.h), no new session starts: the
 * run sets low_space and logs the pause once, and the end of it.
 *
 * Campaign mail (campaign_id set) is throttled by the bulk.* settings;
 * other mail goes at full speed. Its send slots are spaced evenly over
 * all connections (bulk.rate_per_sec), a message waiting for its slot
 * after the server's go-ahead for the data. Its sends within a sliding
 * hour, counted from the store so that earlier runs count too, stay
 * within bulk.rate_per_hour: the rest stays queued as it is, for a later
 * run, and is counted as held. bulk.pause_after_failures deferred or
 * failed campaign messages in a row pause campaign mail for
 * bulk.pause_seconds (logged once); a pause that starts during a session
 * is waited out with that session open.
 */
#ifndef LG_DELIVER_H
#define LG_DELIVER_H

#include "core/config.h"
#include "util/err.h"
#include "core/pipeline.h"

struct deliver_stats {
	long sent;
	long deferred;
	long failed;
	long sessions;
	long held;	/* campaign messages left queued: the hour is full */
	int locked_out;	/* another run holds the spool: nothing was tried */
	int low_space;	/* store.min_free_mb: no new session was started */
};

struct deliver_opts {
	int rate_per_sec;	/* -1: bulk.rate_per_sec of the configuration; 0: no limit */
	/*
	 * After each recorded result, may be NULL. Called from the worker
	 * threads one at a time, under the run's lock, with a snapshot of
	 * the counts: it must return quickly and not call into delivery.
	 */
	void (*progress)(void *arg, const struct deliver_stats *s);
	void *arg;
};

/*
 * One run over everything due now. LG_OK when the run itself worked, even
 * if messages were deferred or failed; LG_ETEMP when another run holds
 * the spool or a result could not be recorded; LG_EPERM for settings that
 * cannot work (smtp.*, ca_file, the password).
 */
int deliver_run(const struct config *cfg, const struct pipelines *pl,
    struct deliver_stats *out, struct err *e);
/* The same with a rate of its own and a progress hook; opts may be NULL. */
int deliver_run_opts(const struct config *cfg, const struct pipelines *pl,
    const struct deliver_opts *opts, struct deliver_stats *out,
    struct err *e);

#endif
