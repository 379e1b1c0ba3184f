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
 * nothing. When a message's data is about to go out (the load hook), that
 * is committed too (wire), without fsync: it survives a crash of the
 * process, and after a reboot it is not trusted. Each result, which
 * clears the attempt, goes into the store's commit group of the run (a
 * savepoint of one open transaction) the moment the server gives it; the
 * group is committed with the next wire mark of any session, or by a
 * session's sync, so a crash of the process loses at most the result of
 * the one message per session on the wire, and the sessions share one
 * commit per message instead of two. Those commits skip the fsync, and
 * one per session makes them durable before the sent messages' files go
 * (spool_release: a batch file once all of it is sent), so a power cut
 * can make the last session's messages go twice, never lost. A message
 * accepted by the server whose result the store refuses (a full disk,
 * also when the group is committed) is written to the result journal,
 * and the run stops. Log lines of state changes are written after the
 * commit that made them durable. Only one run at a time holds the spool
 * (DIR/deliver.lock).
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
