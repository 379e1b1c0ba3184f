#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "core/space.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xmalloc.h"
#include "spool/deliver.h"
#include "spool/journal.h"
#include "spool/queue.h"
#include "spool/smtpc.h"
#include "spool/spool.h"
#include "spool/throttle.h"

#define MOD "deliver"
/*
 * The store's commit group of a run (store_group_commit) is ended by
 * deliver_group_end() alone, never by the store on its own: after
 * DELIVER_GROUP_RESULTS results, when half the journal is used, at the
 * end of a session, and once it is DELIVER_GROUP_SECONDS old (checked at
 * each result, and by the run's flusher thread while the sessions wait
 * for their servers: the open group holds the store's write lock).
 * Until then the journal holds what the group holds.
 */
#define DELIVER_GROUP_MAX INT_MAX
#define DELIVER_GROUP_MS INT_MAX
#define DELIVER_GROUP_RESULTS 256
#define DELIVER_CAMPAIGN_LEASE "job/campaign-mail"
#define DELIVER_GROUP_SECONDS 0.5

/* A server's acceptance recorded in the open group, not yet committed. */
struct dpend {
	int64_t id;
	int journaled;		/* its record is in the journal */
	char reply[JOURNAL_REPLY];
};

/*
 * What the workers of one run share. The sessions run in parallel; the
 * store is one connection that wlock lends to one worker at a time: its
 * page cache stays warm (connections of their own would each find the
 * others' writes and read the pages again), and waiting is a wake-up
 * where SQLite's busy handler would sleep in steps of milliseconds.
 * lock guards the last nine; wlock is taken before lock. Nobody sleeps
 * holding either: a campaign message waits for its slot after letting go.
 */
struct drun {
	const struct config *cfg;
	const struct pipelines *pl;
	struct spool *sp;
	struct journal *jnl;	/* what the store does not hold yet */
	char boot[64];		/* the kernel's boot id, "" when unknown */
	struct smtpc *smtp;
	struct queue_policy policy;
	pthread_mutex_t wlock;
	struct store *st;	/* fast commits, synced once per session */
	struct domain d;
	/* Under wlock: what the open commit group holds (deliver_group_end). */
	struct queue_log plog;	/* its log lines */
	struct dpend *pend;	/* its messages the server accepted */
	size_t npend, cappend;
	long grouped;		/* its transactions */
	double group_t0;	/* when its first one was made */
	int64_t *onwire;	/* per worker: the message whose data is out
				   and which has no result yet, or 0 */
	int jkeep;		/* a group was lost: the journal stays */
	pthread_mutex_t lock;
	int ended;		/* the workers are done (the flusher stops) */
	pthread_cond_t end;	/* signalled when ended is set */
	int64_t cursor;		/* the highest row id handed out */
	int stop;		/* a session failed as a whole: no more */
	struct deliver_stats stats;
	struct err err;		/* the first error of the run itself */
	struct throttle *thr;	/* campaign mail only */
	char owner[PATH_MAX + 300];	/* HOST:DIR of the spool: the claims' */
	int lease;		/* cluster.lease: a claim's time */
	int campaigns;		/* this run may claim campaign mail */
	double renewed;		/* when the claims were last extended */
	long pending;		/* campaign rows handed out, no slot yet */
	void (*progress)(void *arg, const struct deliver_stats *s);
	void *progress_arg;
};

static int deliver_sync(struct drun *run, struct err *e);

/* Whether campaign mail goes under DELIVER_CAMPAIGN_LEASE (see below). */
static int
deliver_campaign_lease(const struct drun *run)
{
	const struct config *cfg = run->cfg;

	return store_is_remote(cfg->store_path) &&
	    (cfg->bulk.rate_per_hour > 0 || cfg->bulk.rate_per_sec > 0);
}

/* One SMTP connection's thread. */
struct dworker {
	struct drun *run;
	pthread_t tid;
	int slot;		/* its entry in run->onwire */
	struct spool_reader *rd;	/* its messages' files */
	char **sent;		/* spool files to remove once synced */
	size_t nsent, capsent;
	long unslotted;		/* its campaign rows without a slot yet */
};

/*
 * The kernel's boot id. A commit made without fsync survives the crash
 * of the process but maybe not that of the machine: what such a commit
 * says (wire) is trusted only within the boot that made it.
 */
static void
deliver_boot(char *out, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");

	out[0] = '\0';
	if (f == NULL)
		return;
	if (fgets(out, (int)len, f) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

/* The throttle's clock: monotonic, so that LEADGATE_NOW cannot stop it. */
static double
deliver_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
deliver_sleep(double seconds)
{
	struct timespec ts;

	if (seconds <= 0)
		return;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* A recorded result: the counts, the throttle's tally, the caller's hook. */
static void
deliver_count(struct drun *run, enum outgoing_state st, int campaign)
{
	struct deliver_stats snap;
	int paused = 0;

	pthread_mutex_lock(&run->lock);
	run->stats.sent += st == OUT_SENT;
	run->stats.deferred += st == OUT_DEFERRED;
	run->stats.failed += st == OUT_FAILED;
	if (campaign)
		paused = throttle_result(run->thr, st == OUT_SENT,
		    deliver_mono());
	if (run->progress != NULL) {
		snap = run->stats;
		run->progress(run->progress_arg, &snap);
	}
	pthread_mutex_unlock(&run->lock);
	if (paused)
		log_warn(MOD, "campaign mail paused for %d s after %d failed "
		    "or deferred messages in a row", run->cfg->bulk.pause_seconds,
		    run->cfg->bulk.pause_after_failures);
}

/* A problem of the run itself: remembered, logged, and the run stops. */
static void
deliver_trouble(struct drun *run, const struct err *e)
{
	log_err(MOD, "%s", e->msg);
	pthread_mutex_lock(&run->lock);
	if (run->err.code == LG_OK)
		run->err = *e;
	run->stop = 1;
	pthread_mutex_unlock(&run->lock);
}

/*
 * Apply the server's verdict, given at unix time now, to the row as it is
 * now in the store; cls is the failure's class (util/smtpfail.h).
 */
static int
deliver_apply(struct domain *d, const struct queue_policy *p, int64_t now,
    struct outgoing *o, enum smtpc_verdict v, enum smtpfail_class cls,
    const char *reply, int advance, struct err *e)
{
	int waiting = o->state == OUT_QUEUED || o->state == OUT_DEFERRED;

	if (!waiting && !(o->state == OUT_CANCELLED && v == SMTPC_SENT)) {
		log_info(MOD, "outgoing %lld is %s now; the answer '%s' changes "
		    "nothing", (long long)o->id, outgoing_state_name(o->state),
		    reply);
		return LG_OK;
	}
	switch (v) {
	case SMTPC_SENT:
		return queue_sent(d, o, reply, advance, e);
	case SMTPC_DEFERRED:
		return queue_deferred(d, o, reply, p, now, e);
	case SMTPC_FAILED:
	case SMTPC_FAILED_RCPT:
		return queue_failed(d, o, reply, cls, e);
	}
	return err_set(e, LG_EINTERNAL, "unknown verdict %d", (int)v);
}

static void
deliver_sent_file(struct dworker *w, const char *name)
{
	if (w->nsent == w->capsent) {
		w->capsent = w->capsent ? w->capsent * 2 : 64;
		w->sent = xreallocarray(w->sent, w->capsent, sizeof(*w->sent));
	}
	w->sent[w->nsent++] = xstrdup(name);
}

/* A sent message's file goes (a batch file once all of it is sent). */
static void
deliver_release(struct dworker *w, const char *name)
{
	struct err e;
	int rc;

	err_clear(&e);
	if (spool_is_batch(name)) {
		/* Its rows are looked up in the store. */
		pthread_mutex_lock(&w->run->wlock);
		rc = spool_release(w->run->sp, w->run->st, name, &e);
		pthread_mutex_unlock(&w->run->wlock);
	} else
		rc = spool_remove(w->run->sp, name, &e);
	if (rc != LG_OK)
		log_warn(MOD, "%s", e.msg);
}

/*
 * The session's results reach the disk together, then the files of the
 * sent messages go: after a power cut a result may be lost and the
 * message sent again, but no file is missing for a row still queued.
 */
static void
deliver_settle(struct dworker *w)
{
	struct err e;
	size_t i;
	int rc;

	err_clear(&e);
	pthread_mutex_lock(&w->run->wlock);
	rc = deliver_sync(w->run, &e);
	pthread_mutex_unlock(&w->run->wlock);
	if (rc != LG_OK)
		deliver_trouble(w->run, &e);
	for (i = 0; i < w->nsent; i++) {
		/* A batch file is named by each of its messages in a row. */
		if (rc == LG_OK && (i == 0 ||
		    strcmp(w->sent[i], w->sent[i - 1]) != 0))
			deliver_release(w, w->sent[i]);
	}
	for (i = 0; i < w->nsent; i++)
		free(w->sent[i]);
	w->nsent = 0;
}

/* Under wlock: an acceptance the open group holds. */
static void
deliver_pend(struct drun *run, int64_t id, int journaled, const char *reply)
{
	if (run->npend == run->cappend) {
		run->cappend = run->cappend ? run->cappend * 2 : 64;
		run->pend = xreallocarray(run->pend, run->cappend,
		    sizeof(*run->pend));
	}
	run->pend[run->npend].id = id;
	run->pend[run->npend].journaled = journaled;
	snprintf(run->pend[run->npend++].reply, JOURNAL_REPLY, "%s", reply);
}

/*
 * Under wlock: the messages whose data is out and which have no result
 * yet are marked so in the open group, since the journal that says so is
 * about to be reset.
 */
static int
deliver_group_wire(struct drun *run, struct err *e)
{
	int i, rc = LG_OK;

	for (i = 0; rc == LG_OK && i < run->cfg->smtp.connections; i++) {
		if (run->onwire[i] == 0)
			continue;
		if ((rc = store_begin(run->st, e)) != LG_OK)
			break;
		if ((rc = store_outgoing_wire(run->st, run->onwire[i], e)) ==
		    LG_OK)
			rc = store_commit(run->st, e);
		if (rc != LG_OK)
			store_rollback(run->st);
	}
	return rc;
}

/*
 * Under wlock: the acceptances of a group the store did not take are kept
 * in the journal, synced, for the next run to replay.
 */
static void
deliver_group_lost(struct drun *run)
{
	struct err je;
	size_t i;
	int synced;

	err_clear(&je);
	run->jkeep = 1;
	synced = journal_sync(run->jnl, &je) == LG_OK;
	for (i = 0; i < run->npend; i++) {
		if (!synced || !run->pend[i].journaled) {
			err_clear(&je);
			if (journal_add(run->jnl, run->pend[i].id,
			    (int64_t)clock_now(), run->pend[i].reply, &je) !=
			    LG_OK) {
				log_err(MOD, "outgoing %lld: accepted, but not "
				    "in the result journal either: %s",
				    (long long)run->pend[i].id, je.msg);
				continue;
			}
		}
		log_warn(MOD, "outgoing %lld: accepted, kept in the result "
		    "journal until the store takes it",
		    (long long)run->pend[i].id);
	}
}

/*
 * Under wlock: commit the group of results (savepoints of one store
 * transaction) that the workers made since the last one, with the wire
 * marks of the messages still out, then write their log lines and reset
 * the journal. When that commit fails the results are lost to the store:
 * the journal keeps the messages the server accepted, synced, and the
 * run stops.
 */
static int
deliver_group_end(struct drun *run, struct err *e)
{
	struct err je;
	int rc;

	if ((rc = deliver_group_wire(run, e)) == LG_OK)
		rc = store_group_commit(run->st, 0, 0, e);
	queue_log_kept(&run->plog, rc == LG_OK);
	if (rc != LG_OK)
		deliver_group_lost(run);
	run->npend = 0;
	run->grouped = 0;
	if (rc != LG_OK) {
		err_prefix(e, "results not recorded in the store");
		deliver_trouble(run, e);
	}
	err_clear(&je);
	if (rc == LG_OK && !run->jkeep &&
	    journal_clear(run->jnl, run->boot, 0, &je) != LG_OK) {
		/* Its records would be replayed: harmless, but it is broken. */
		err_prefix(&je, "the delivery journal cannot be reset");
		deliver_trouble(run, &je);
	}
	if (store_group_commit(run->st, DELIVER_GROUP_MAX, DELIVER_GROUP_MS,
	    &je) != LG_OK)
		log_warn(MOD, "%s", je.msg);
	return rc;
}

/* Under wlock: whether the open group is to be committed now. */
static int
deliver_group_due(struct drun *run)
{
	return run->grouped >= DELIVER_GROUP_RESULTS ||
	    deliver_mono() - run->group_t0 >= DELIVER_GROUP_SECONDS ||
	    journal_used(run->jnl) >= JOURNAL_SLOTS / 2;
}

/* Under wlock: the group committed, and everything synced to the disk. */
static int
deliver_sync(struct drun *run, struct err *e)
{
	int rc;

	if ((rc = deliver_group_end(run, e)) != LG_OK)
		return rc;
	return store_sync(run->st, e);
}

/* The journal's kind for a verdict. */
static const enum journal_kind deliver_kinds[] = {
	[SMTPC_SENT] = JOURNAL_SENT,
	[SMTPC_DEFERRED] = JOURNAL_DEFERRED,
	[SMTPC_FAILED] = JOURNAL_FAILED,
	[SMTPC_FAILED_RCPT] = JOURNAL_FAILED_RCPT,
};

/*
 * Under wlock: the result into the journal, where it survives a crash of
 * the process until its group is committed. 0 when it is not there.
 */
static int
deliver_journal_result(struct drun *run, int64_t id, enum smtpc_verdict v,
    enum smtpfail_class cls, const char *reply)
{
	struct journal_entry en;
	struct err e;

	memset(&en, 0, sizeof(en));
	en.id = id;
	en.at = (int64_t)clock_now();
	en.kind = deliver_kinds[v];
	en.cls = (int)cls;
	snprintf(en.reply, sizeof(en.reply), "%s", reply);
	err_clear(&e);
	if (journal_put(run->jnl, &en, &e) == LG_OK)
		return 1;
	log_warn(MOD, "outgoing %lld: %s; its result goes into the store at "
	    "once", (long long)id, e.msg);
	return 0;
}

/*
 * Fetch, apply, commit into the open group (the result first into the
 * journal when journal is set); a sent message's file goes in
 * deliver_settle(). *journaled: whether the journal has it.
 */
static int
deliver_record_tx(struct dworker *w, int64_t id, enum smtpc_verdict v,
    enum smtpfail_class cls, const char *reply, int advance, int journal,
    int *journaled, struct err *e)
{
	struct drun *run = w->run;
	struct outgoing *o = NULL;
	enum outgoing_state before = OUT_QUEUED;
	struct err ge;
	int rc, now = 0;

	pthread_mutex_lock(&run->wlock);
	if (journal)
		*journaled = deliver_journal_result(run, id, v, cls, reply);
	if (run->onwire[w->slot] == id)
		run->onwire[w->slot] = 0;
	if ((rc = store_begin(run->st, e)) != LG_OK) {
		pthread_mutex_unlock(&run->wlock);
		return rc;
	}
	if ((rc = store_outgoing_get(run->st, id, &o, e)) == LG_OK) {
		before = o->state;
		rc = deliver_apply(&run->d, &run->policy, (int64_t)clock_now(),
		    o, v, cls, reply, advance, e);
	}
	if (rc == LG_OK && (rc = store_commit(run->st, e)) == LG_OK) {
		/* In the open group: its log lines wait for the group. */
		queue_log_keep(&run->plog);
		if (run->grouped++ == 0)
			run->group_t0 = deliver_mono();
		if (v == SMTPC_SENT)
			deliver_pend(run, id, *journaled, reply);
		if (o->state != before || before == OUT_DEFERRED)
			deliver_count(run, o->state, o->campaign_id != 0);
		if (o->state == OUT_SENT && o->spool_name != NULL)
			deliver_sent_file(w, o->spool_name);
		/* Without its journal record, the group must hold it now. */
		now = !*journaled || deliver_group_due(run);
	} else {
		store_rollback(run->st);
		queue_log_drop();
	}
	/* A group the store refuses is the run's trouble, not this one's. */
	err_clear(&ge);
	if (now)
		(void)deliver_group_end(run, &ge);
	pthread_mutex_unlock(&run->wlock);
	outgoing_free(o);
	return rc;
}

/*
 * One message's result: into the journal, and into the store's open
 * group, committed with the group.
 */
static void
deliver_record(struct dworker *w, int64_t id, enum smtpc_verdict v,
    enum smtpfail_class cls, const char *reply)
{
	struct err e, je;
	int rc, journaled = 0;

	err_clear(&e);
	err_clear(&je);
	rc = deliver_record_tx(w, id, v, cls, reply, 1, 1, &journaled, &e);
	/* The server has it: record that even if the lead cannot move. */
	if (rc != LG_OK && rc != LG_ETEMP && v == SMTPC_SENT) {
		log_warn(MOD, "outgoing %lld sent, but its lead was not "
		    "advanced: %s", (long long)id, e.msg);
		err_clear(&e);
		rc = deliver_record_tx(w, id, v, cls, reply, 0, 0, &journaled,
		    &e);
	}
	if (rc != LG_OK && v == SMTPC_SENT) {
		/* The server has it: that must not be lost to the store. */
		err_prefix(&e, "outgoing %lld: result '%s' not recorded in the "
		    "store", (long long)id, reply);
		pthread_mutex_lock(&w->run->wlock);
		w->run->jkeep = 1;
		if ((journaled && journal_sync(w->run->jnl, &je) == LG_OK) ||
		    journal_add(w->run->jnl, id, (int64_t)clock_now(), reply,
		    &je) == LG_OK) {
			log_warn(MOD, "outgoing %lld: accepted, kept in the "
			    "result journal until the store takes it",
			    (long long)id);
		} else {
			log_err(MOD, "outgoing %lld: accepted, but not in the "
			    "result journal either: %s", (long long)id, je.msg);
		}
		pthread_mutex_unlock(&w->run->wlock);
		deliver_trouble(w->run, &e);
	} else if (rc != LG_OK) {
		err_prefix(&e, "outgoing %lld: result '%s' not recorded",
		    (long long)id, reply);
		deliver_trouble(w->run, &e);
	}
}

/*
 * Wait for a campaign message's slot. deliver_next() handed out no more
 * campaign rows than the hour's budget had left, so one is there.
 */
static int
deliver_slot(struct dworker *w, const struct outgoing *o)
{
	struct drun *run = w->run;
	enum throttle_verdict v;
	struct err e;
	double wait;

	pthread_mutex_lock(&run->lock);
	w->unslotted--;
	run->pending--;
	v = throttle_reserve(run->thr, deliver_mono(), &wait);
	pthread_mutex_unlock(&run->lock);
	if (v != THROTTLE_GO) {
		log_err(MOD, "outgoing %lld: no slot left in the hour's budget "
		    "(bulk.rate_per_hour)", (long long)o->id);
		return -1;
	}
	if (wait > 0.001) {
		log_debug(MOD, "outgoing %lld: waiting %.3f s for its slot",
		    (long long)o->id, wait);
		/* The open group would keep the store's writers waiting. */
		err_clear(&e);
		pthread_mutex_lock(&run->wlock);
		if (run->grouped > 0 && deliver_group_end(run, &e) != LG_OK) {
			pthread_mutex_unlock(&run->wlock);
			return -1;
		}
		pthread_mutex_unlock(&run->wlock);
	}
	deliver_sleep(wait);
	return 0;
}

/*
 * The message's data is about to go out: say so in the journal (a
 * pwrite, enough for a crash of the process). A message in flight whose
 * data never started is sent again after a crash without counting an
 * unconfirmed attempt. The results every session got since the last
 * group are in the journal too, so that a crash leaves at most one
 * message per session that the server may have and neither the store
 * nor the journal says so. Without the journal, the mark goes into the
 * store and the group is committed with it, as each message did before
 * the journal took them.
 */
static int
deliver_wire(struct dworker *w, int64_t id, struct err *e)
{
	struct drun *run = w->run;
	struct journal_entry en;
	struct err je;
	int rc = LG_OK;

	memset(&en, 0, sizeof(en));
	en.id = id;
	en.at = (int64_t)clock_now();
	en.kind = JOURNAL_WIRE;
	err_clear(&je);
	pthread_mutex_lock(&run->wlock);
	run->onwire[w->slot] = id;
	if (journal_put(run->jnl, &en, &je) != LG_OK) {
		log_warn(MOD, "outgoing %lld: %s; its wire mark goes into the "
		    "store", (long long)id, je.msg);
		rc = deliver_group_end(run, e);
	}
	if (rc != LG_OK)
		run->onwire[w->slot] = 0;
	pthread_mutex_unlock(&run->wlock);
	return rc;
}

/*
 * Whether the run has had trouble of its own (a result the store refused,
 * say): then no more data goes out, since results keep piling up in the
 * journal while nothing can take them.
 */
static int
deliver_troubled(struct drun *run)
{
	int bad;

	pthread_mutex_lock(&run->lock);
	bad = run->err.code != LG_OK;
	pthread_mutex_unlock(&run->lock);
	return bad;
}

static int
deliver_load(void *arg, struct smtpc_msg *m, char **data, size_t *len)
{
	struct dworker *w = arg;
	const struct outgoing *o = m->arg;
	struct err e;

	err_clear(&e);
	if (deliver_troubled(w->run)) {
		log_info(MOD, "outgoing %lld: not sent: the run stops",
		    (long long)o->id);
		return -1;
	}
	/* Read first: a message that cannot be read takes no slot. */
	if (spool_reader_read(w->rd, o->spool_name, o->id, data, len,
	    &e) != LG_OK) {
		log_err(MOD, "outgoing %lld: %s", (long long)o->id, e.msg);
		return -1;
	}
	if (o->campaign_id != 0 && deliver_slot(w, o) != 0)
		return -1;
	if (deliver_wire(w, o->id, &e) != LG_OK) {
		log_err(MOD, "outgoing %lld: not sent: %s", (long long)o->id,
		    e.msg);
		return -1;
	}
	return 0;
}

static void
deliver_result(void *arg, struct smtpc_msg *m, enum smtpc_verdict v,
    const char *reply)
{
	const struct outgoing *o = m->arg;

	deliver_record(arg, o->id, v, m->cls, reply);
}

/* The messages a failed session never got an answer for: one commit. */
static int
deliver_defer_tx(struct dworker *w, struct smtpc_msg *msgs, size_t n,
    const char *why, struct err *e)
{
	enum outgoing_state *after = xcalloc(n, sizeof(*after));
	struct outgoing *o;
	size_t i;
	int rc;

	pthread_mutex_lock(&w->run->wlock);
	if ((rc = store_begin(w->run->st, e)) != LG_OK) {
		pthread_mutex_unlock(&w->run->wlock);
		free(after);
		return rc;
	}
	for (i = 0; rc == LG_OK && i < n; i++) {
		after[i] = OUT_NSTATES;
		if (msgs[i].done)
			continue;
		o = NULL;
		rc = store_outgoing_get(w->run->st,
		    ((const struct outgoing *)msgs[i].arg)->id, &o, e);
		if (rc == LG_OK && (rc = deliver_apply(&w->run->d,
		    &w->run->policy, (int64_t)clock_now(), o, SMTPC_DEFERRED,
		    SF_NONE, why, 0, e)) == LG_OK)
			after[i] = o->state;
		outgoing_free(o);
	}
	if (rc == LG_OK && (rc = store_commit(w->run->st, e)) == LG_OK) {
		queue_log_keep(&w->run->plog);
		if (w->run->grouped++ == 0)
			w->run->group_t0 = deliver_mono();
		/* Its message out, if any, has its result in the group now. */
		w->run->onwire[w->slot] = 0;
		for (i = 0; i < n; i++)
			if (after[i] != OUT_NSTATES)
				deliver_count(w->run, after[i],
				    ((const struct outgoing *)msgs[i].arg)->
				    campaign_id != 0);
	}
	if (rc != LG_OK) {
		store_rollback(w->run->st);
		queue_log_drop();
	}
	pthread_mutex_unlock(&w->run->wlock);
	free(after);
	return rc;
}

static void
deliver_defer_rest(struct dworker *w, struct smtpc_msg *msgs, size_t n,
    const char *why)
{
	struct err e;
	size_t i;

	err_clear(&e);
	if (deliver_defer_tx(w, msgs, n, why, &e) == LG_OK)
		return;
	log_warn(MOD, "deferring %zu messages at once: %s; one by one", n,
	    e.msg);
	for (i = 0; i < n; i++)
		if (!msgs[i].done)
			deliver_record(w, ((const struct outgoing *)
			    msgs[i].arg)->id, SMTPC_DEFERRED, SF_NONE, why);
}

/*
 * Record an attempt on every message of the session before any data goes
 * out: one commit and one fsync for the batch. A crash from here on
 * leaves them in flight, and the next run counts that attempt instead of
 * sending them again at once (deliver_unconfirmed). Each result clears
 * it. When this cannot be recorded, nothing is sent.
 */
static int
deliver_inflight(struct dworker *w, struct smtpc_msg *msgs, size_t n,
    struct err *e)
{
	int64_t now = (int64_t)clock_now();
	size_t i;
	int rc;

	pthread_mutex_lock(&w->run->wlock);
	if ((rc = store_begin(w->run->st, e)) != LG_OK) {
		pthread_mutex_unlock(&w->run->wlock);
		return rc;
	}
	for (i = 0; rc == LG_OK && i < n; i++)
		rc = store_outgoing_inflight(w->run->st,
		    ((const struct outgoing *)msgs[i].arg)->id, now,
		    w->run->boot, e);
	if (rc == LG_OK && (rc = store_commit(w->run->st, e)) == LG_OK)
		rc = deliver_sync(w->run, e);
	else
		store_rollback(w->run->st);
	pthread_mutex_unlock(&w->run->wlock);
	return rc;
}

/* One session for rows[0..n-1] (those whose file is still there). */
static void
deliver_batch(struct dworker *w, struct outgoing *rows, size_t n)
{
	struct smtpc_hooks h = { deliver_load, deliver_result, w };
	struct smtpc_msg *msgs = xcalloc(n, sizeof(*msgs));
	const char *last = NULL;
	struct err e;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		/* The rows of a batch file come in a row: looked up once. */
		if ((last == NULL || rows[i].spool_name == NULL ||
		    strcmp(last, rows[i].spool_name) != 0) &&
		    !spool_exists(w->run->sp, rows[i].spool_name)) {
			deliver_record(w, rows[i].id, SMTPC_FAILED, SF_SYSTEM,
			    "spool file lost");
			continue;
		}
		last = rows[i].spool_name;
		msgs[k].sender = rows[i].sender ? rows[i].sender : "";
		msgs[k].rcpt = rows[i].rcpt;
		msgs[k++].arg = &rows[i];
	}
	err_clear(&e);
	if (k > 0 && deliver_inflight(w, msgs, k, &e) != LG_OK) {
		err_prefix(&e, "attempts not recorded, nothing sent");
		deliver_trouble(w->run, &e);
		k = 0;
	}
	if (k > 0 && smtpc_session(w->run->smtp, msgs, k, &h, &e) != LG_OK) {
		log_warn(MOD, "%s", e.msg);
		deliver_defer_rest(w, msgs, k, e.msg);
		pthread_mutex_lock(&w->run->lock);
		w->run->stop = 1;
		pthread_mutex_unlock(&w->run->lock);
	}
	deliver_settle(w);
	pthread_mutex_lock(&w->run->lock);
	w->run->stats.sessions += k > 0;
	/* Rows the session never got to give their share of the budget back. */
	w->run->pending -= w->unslotted;
	w->unslotted = 0;
	pthread_mutex_unlock(&w->run->lock);
	free(msgs);
}

/*
 * Campaign rows beyond what the hour's budget has left (less those handed
 * out and still waiting for their slot) stay as they are, queued, for a
 * later run: no attempt counted, and the run ends instead of waiting.
 */
static void
deliver_hold(struct dworker *w, struct outgoing *rows, size_t *n)
{
	struct drun *run = w->run;
	long left = throttle_left(run->thr, deliver_mono());
	int limited = left >= 0;
	size_t i, k = 0;

	left -= run->pending;
	for (i = 0; i < *n; i++) {
		if (rows[i].campaign_id != 0 && limited && left <= 0) {
			run->stats.held++;
			outgoing_clear(&rows[i]);
			continue;
		}
		if (rows[i].campaign_id != 0) {
			left--;
			run->pending++;
			w->unslotted++;
		}
		if (k != i)
			rows[k] = rows[i];
		k++;
	}
	*n = k;
}

/*
 * Low on space where the store or the spool is: no new session, so that
 * the results of those under way can still be recorded. Logged when it
 * starts and when it ends, not at every run of the daemon.
 */
static atomic_int deliver_was_low;

static int
deliver_space(struct drun *run)
{
	char why[600];
	int low = space_low(run->cfg, why, sizeof(why));

	pthread_mutex_lock(&run->lock);
	if (low && !run->stats.low_space) {
		run->stats.low_space = 1;
		run->stop = 1;
		if (!atomic_exchange(&deliver_was_low, 1))
			log_warn(MOD, "delivery paused: %s", why);
	} else if (!low && atomic_exchange(&deliver_was_low, 0)) {
		log_warn(MOD, "delivery resumed: there is space again");
	}
	pthread_mutex_unlock(&run->lock);
	return low;
}

/*
 * The next batch of due rows, none of which another worker has (the
 * cursor) nor another instance (the claim: store_ops.h, outgoing_claim).
 */
static int
deliver_next(struct dworker *w, struct outgoing **rows, size_t *n)
{
	struct drun *run = w->run;
	struct err e;
	int64_t now;
	int rc = LG_OK;

	*rows = NULL;
	*n = 0;
	err_clear(&e);
	if (deliver_space(run))
		return LG_OK;
	pthread_mutex_lock(&run->wlock);
	pthread_mutex_lock(&run->lock);
	while (!run->stop) {
		now = (int64_t)clock_now();
		rc = store_outgoing_claim(run->st, run->owner, now, now +
		    run->lease, run->campaigns, run->cursor,
		    (size_t)run->cfg->delivery.batch, rows, n, &e);
		if (rc != LG_OK || *n == 0)
			break;
		run->cursor = (*rows)[*n - 1].id;
		deliver_hold(w, *rows, n);
		if (*n > 0)
			break;
		free(*rows);
		*rows = NULL;
	}
	pthread_mutex_unlock(&run->lock);
	pthread_mutex_unlock(&run->wlock);
	if (rc != LG_OK)
		deliver_trouble(run, &e);
	return rc;
}

/*
 * Under wlock, every third of cluster.lease: the claims of this run (its
 * rows in flight) and its lease on campaign mail last another lease, so
 * that no other instance takes them over while it works. A failure is
 * logged; the claims then run out and the rows in flight are recovered
 * elsewhere as unconfirmed attempts, never sent blindly.
 */
static void
deliver_claims_renew(struct drun *run)
{
	int64_t now = (int64_t)clock_now();
	struct err e;
	int got = 1;

	if (deliver_mono() - run->renewed < run->lease / 3.0)
		return;
	run->renewed = deliver_mono();
	err_clear(&e);
	if (store_outgoing_claim_renew(run->st, run->owner, now, now +
	    run->lease, &e) != LG_OK ||
	    (run->campaigns && deliver_campaign_lease(run) &&
	    store_lease_take(run->st, DELIVER_CAMPAIGN_LEASE, run->owner, now,
	    run->lease, &got, &e) != LG_OK))
		log_warn(MOD, "claims not renewed: %s", e.msg);
	else if (!got)
		log_warn(MOD, "lease %s lost: campaign mail is another "
		    "instance's now", DELIVER_CAMPAIGN_LEASE);
}

/*
 * The flusher: a group older than DELIVER_GROUP_SECONDS is committed even
 * while no result comes (a slow server), so that the store's other
 * writers (the daemon's connectors) do not wait on it.
 */
static void *
deliver_flusher(void *arg)
{
	struct drun *run = arg;
	struct timespec ts;
	struct err e;

	pthread_mutex_lock(&run->lock);
	while (!run->ended) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (long)(DELIVER_GROUP_SECONDS * 1e9 / 4);
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&run->end, &run->lock, &ts);
		if (run->ended)
			break;
		pthread_mutex_unlock(&run->lock);
		err_clear(&e);
		/* wlock comes before lock. */
		pthread_mutex_lock(&run->wlock);
		deliver_claims_renew(run);
		if (run->grouped > 0 &&
		    deliver_mono() - run->group_t0 >= DELIVER_GROUP_SECONDS)
			(void)deliver_group_end(run, &e);
		pthread_mutex_unlock(&run->wlock);
		pthread_mutex_lock(&run->lock);
	}
	pthread_mutex_unlock(&run->lock);
	return NULL;
}

static void *
deliver_worker(void *arg)
{
	struct dworker *w = arg;
	struct outgoing *rows;
	size_t n;

	while (deliver_next(w, &rows, &n) == LG_OK && n > 0) {
		deliver_batch(w, rows, n);
		store_outgoing_rows_free(rows, n);
	}
	return NULL;
}

/* Only one run at a time: two would send the same due messages. */
static int
deliver_lock(struct drun *run, int *fd, struct err *e)
{
	char *path = xasprintf("%s/deliver.lock", spool_dir(run->sp));
	int rc = LG_OK;

	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (*fd < 0)
		rc = err_set(e, LG_ETEMP, "%s: %s", path, strerror(errno));
	else if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
		run->stats.locked_out = 1;
		rc = err_set(e, LG_ETEMP, "another delivery run holds %s", path);
	}
	free(path);
	return rc;
}

/* The row was last claimed by this spool (or by none, before claims). */
static int
deliver_owned(const struct drun *run, const struct outgoing *o)
{
	return o->owner == NULL || strcmp(o->owner, run->owner) == 0;
}

/*
 * Messages left in flight by a crash: the server may have them. Each such
 * attempt is counted and the message waits delivery.inflight_delay, or is
 * held once it has more than delivery.max_unconfirmed of them: whatever
 * the number of crashes, at most that many extra copies go out. One whose
 * data never started (wire unset, recorded in this boot) is due as it was.
 */
static int
deliver_unconfirmed(struct drun *run, struct store *st, struct err *e)
{
	int64_t next = (int64_t)clock_now() + run->cfg->delivery.inflight_delay;
	struct outgoing *v = NULL;
	size_t i, n = 0;
	long found = 0, unsent = 0;
	int rc;

	if ((rc = store_begin(st, e)) != LG_OK)
		return rc;
	/* A live instance's attempts are not ours: its claim holds them. */
	rc = store_outgoing_orphans(st, run->owner, (int64_t)clock_now(), &v,
	    &n, e);
	for (i = 0; rc == LG_OK && i < n; i++) {
		/*
		 * Only this spool's journal was replayed: another's wire
		 * marks (another host's, or a folder of its own) are not
		 * known here, so its attempts all count.
		 */
		if (!v[i].wire && run->boot[0] != '\0' &&
		    deliver_owned(run, &v[i]) &&
		    v[i].inflight_boot != NULL &&
		    strcmp(v[i].inflight_boot, run->boot) == 0) {
			/* Same boot, its data never started: not an attempt. */
			rc = store_outgoing_inflight(st, v[i].id, 0, NULL, e);
			unsent++;
			continue;
		}
		found++;
		rc = queue_unconfirmed(st, &v[i],
		    run->cfg->delivery.max_unconfirmed, next, e);
	}
	store_outgoing_rows_free(v, n);
	if (rc == LG_OK && (rc = store_commit(st, e)) == LG_OK) {
		queue_log_flush();
		if (found > 0)
			log_warn(MOD, "%ld messages were in flight when the last "
			    "run ended without their result", found);
		if (unsent > 0)
			log_info(MOD, "%ld messages of the sessions cut short "
			    "never had their data sent: due as they were",
			    unsent);
		return LG_OK;
	}
	store_rollback(st);
	queue_log_drop();
	return rc;
}

/* What a replay did. */
struct dreplay {
	long accepted;		/* acceptances in the journal */
	long done;		/* of them, recorded as sent now */
	long wire;		/* wire marks taken */
	long other;		/* refusals recorded now */
};

/* The verdict of a result record. */
static const enum smtpc_verdict deliver_verdicts[] = {
	[JOURNAL_SENT] = SMTPC_SENT,
	[JOURNAL_DEFERRED] = SMTPC_DEFERRED,
	[JOURNAL_FAILED] = SMTPC_FAILED,
	[JOURNAL_FAILED_RCPT] = SMTPC_FAILED_RCPT,
};

/* An acceptance: the row is sent, whatever it says now but by hand. */
static int
deliver_replay_sent(struct domain *d, struct outgoing *o,
    const struct journal_entry *en, int advance, struct dreplay *r,
    struct err *e)
{
	int rc = LG_OK;

	r->accepted++;
	if (o->state == OUT_QUEUED || o->state == OUT_DEFERRED ||
	    o->state == OUT_CANCELLED) {
		rc = queue_sent(d, o, en->reply, advance, e);
		r->done += rc == LG_OK;
	} else if (o->state != OUT_SENT) {
		/* Changed by hand meanwhile: left as it is, said. */
		log_warn(MOD, "result journal: outgoing %lld was accepted "
		    "('%s') but is %s now; left so", (long long)en->id,
		    en->reply, outgoing_state_name(o->state));
	}
	return rc;
}

/*
 * A wire mark or a refusal, from this boot: taken only while the row is
 * still in the attempt that wrote it (a result clears the attempt, so a
 * record of a group the store did commit changes nothing).
 */
static int
deliver_replay_other(struct drun *run, struct domain *d, struct outgoing *o,
    const struct journal_entry *en, int advance, struct dreplay *r,
    struct err *e)
{
	int rc;

	/* Another instance's attempt now: this journal's is over. */
	if (o->inflight == 0 || !deliver_owned(run, o) ||
	    (o->state != OUT_QUEUED && o->state != OUT_DEFERRED))
		return LG_OK;
	if (en->kind == JOURNAL_WIRE) {
		r->wire++;
		return store_outgoing_wire(d->st, en->id, e);
	}
	rc = deliver_apply(d, &run->policy, en->at, o,
	    deliver_verdicts[en->kind], (enum smtpfail_class)en->cls,
	    en->reply, advance, e);
	r->other += rc == LG_OK;
	return rc;
}

/*
 * Apply the journal's records in one transaction, in the order they were
 * written. Only acceptances count when the journal is of another boot:
 * the rest may be older than what the store says.
 */
static int
deliver_replay_tx(struct drun *run, struct domain *d,
    const struct journal_entry *v, size_t n, int trusted, int advance,
    struct dreplay *r, struct err *e)
{
	struct outgoing *o;
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = store_begin(d->st, e)) != LG_OK)
		return rc;
	for (i = 0; rc == LG_OK && i < n; i++) {
		if (v[i].kind != JOURNAL_SENT && !trusted)
			continue;
		o = NULL;
		rc = store_outgoing_get(d->st, v[i].id, &o, e);
		if (rc == LG_ENOENT) {
			log_warn(MOD, "result journal: no outgoing %lld",
			    (long long)v[i].id);
			rc = LG_OK;
		} else if (rc == LG_OK && v[i].kind == JOURNAL_SENT)
			rc = deliver_replay_sent(d, o, &v[i], advance, r, e);
		else if (rc == LG_OK)
			rc = deliver_replay_other(run, d, o, &v[i], advance, r,
			    e);
		outgoing_free(o);
	}
	if (rc == LG_OK && (rc = store_commit(d->st, e)) == LG_OK) {
		queue_log_flush();
		return LG_OK;
	}
	store_rollback(d->st);
	queue_log_drop();
	return rc;
}

/*
 * What the journal holds that the store does not (a crash, or results the
 * store could not take) goes into the store before anything is sent; the
 * journal is cleared, synced, once the store holds it. A store that still
 * cannot take it stops the run. An empty journal of another boot gets
 * this boot's name, so that what this run writes is trusted after a
 * crash of the process.
 */
static int
deliver_replay(struct drun *run, struct store *st, struct err *e)
{
	struct domain d = { st, run->pl, run->cfg->default_country };
	struct journal_entry *v = NULL;
	char boot[JOURNAL_BOOT];
	struct dreplay r;
	size_t n = 0;
	int rc, trusted;

	if ((rc = journal_entries(run->jnl, &v, &n, boot, e)) != LG_OK)
		return rc;
	trusted = run->boot[0] != '\0' && strcmp(boot, run->boot) == 0;
	if (n == 0) {
		free(v);
		return trusted ? LG_OK : journal_clear(run->jnl, run->boot, 1,
		    e);
	}
	rc = deliver_replay_tx(run, &d, v, n, trusted, 1, &r, e);
	if (rc != LG_OK && rc != LG_ETEMP) {
		log_warn(MOD, "result journal: leads not advanced: %s", e->msg);
		err_clear(e);
		rc = deliver_replay_tx(run, &d, v, n, trusted, 0, &r, e);
	}
	free(v);
	if (rc != LG_OK)
		return err_prefix(e, "result journal not replayed, nothing "
		    "sent");
	if (r.accepted > 0)
		log_warn(MOD, "result journal: %ld of %ld accepted messages "
		    "recorded as sent now", r.done, r.accepted);
	if (r.wire > 0 || r.other > 0)
		log_warn(MOD, "result journal: %ld messages out and %ld "
		    "refusals of the last run recorded now", r.wire, r.other);
	return journal_clear(run->jnl, run->boot, 1, e);
}

static int
deliver_recover(struct drun *run, struct err *e)
{
	struct store_options opt = { 0, 0, NULL, NULL, NULL };
	struct spool_recovery r;
	struct store *st;
	int rc;

	config_store_options(run->cfg, &opt);
	if ((rc = store_open(run->cfg->store_path, &opt, &st, e)) != LG_OK)
		return rc;
	if ((rc = deliver_replay(run, st, e)) == LG_OK &&
	    (rc = spool_recover(run->sp, st, &r, e)) == LG_OK)
		rc = deliver_unconfirmed(run, st, e);
	store_close(st);
	if (rc == LG_OK && (r.tmp_removed || r.orphans_removed ||
	    r.done_removed || r.lost))
		log_warn(MOD, "spool recovered: %d tmp leftovers, %d orphans "
		    "and %d sent files removed, %d messages lost",
		    r.tmp_removed, r.orphans_removed, r.done_removed, r.lost);
	return rc;
}

/*
 * The throttle of campaign mail, its hour's budget less what earlier runs
 * sent within the hour (the daemon starts a run every minute). With the
 * store shared by several instances and a rate set, campaign mail is
 * sent by the holder of DELIVER_CAMPAIGN_LEASE alone, so that the hour's
 * budget, counted from the store, and the rate per second hold for all
 * of them together; the other instances send the other mail.
 */
static int
deliver_throttle(struct drun *run, int rate_per_sec, struct err *e)
{
	const struct config *cfg = run->cfg;
	char since[CLOCK_ISOLEN];
	long sent = 0;
	int64_t now;
	int rc;

	run->campaigns = 1;
	if (deliver_campaign_lease(run)) {
		now = (int64_t)clock_now();
		if ((rc = store_lease_take(run->st, DELIVER_CAMPAIGN_LEASE,
		    run->owner, now, run->lease, &run->campaigns, e)) != LG_OK)
			return rc;
		if (!run->campaigns)
			log_info(MOD, "campaign mail is another instance's "
			    "(lease %s): this run sends the rest",
			    DELIVER_CAMPAIGN_LEASE);
	}
	if (cfg->bulk.rate_per_hour > 0) {
		clock_iso(clock_now() - 3600, since, sizeof(since));
		if ((rc = store_outgoing_sent_since(run->st, 1, since, &sent,
		    e)) != LG_OK)
			return rc;
	}
	run->thr = throttle_new(rate_per_sec, cfg->bulk.rate_per_hour,
	    cfg->bulk.pause_after_failures, cfg->bulk.pause_seconds, sent);
	return LG_OK;
}

static int
deliver_workers(struct drun *run, int rate_per_sec, struct err *e)
{
	struct store_options opt = { 0, 0, NULL, NULL, NULL };
	int i, n = run->cfg->smtp.connections, started = 0, err = 0, rc = LG_OK;
	struct dworker *w = xcalloc((size_t)n, sizeof(*w));
	pthread_t flusher;
	struct err je;

	config_store_options(run->cfg, &opt);
	run->d.pl = run->pl;
	run->d.country = run->cfg->default_country;
	if ((rc = store_open(run->cfg->store_path, &opt, &run->st, e)) ==
	    LG_OK && (rc = store_fast_commit(run->st, e)) == LG_OK &&
	    (rc = store_group_commit(run->st, DELIVER_GROUP_MAX,
	    DELIVER_GROUP_MS, e)) == LG_OK)
		rc = deliver_throttle(run, rate_per_sec, e);
	run->d.st = run->st;
	run->onwire = xcalloc((size_t)n, sizeof(*run->onwire));
	for (i = 0; i < n; i++) {
		w[i].run = run;
		w[i].slot = i;
		w[i].rd = spool_reader_new(run->sp);
	}
	for (i = 0; i < n && rc == LG_OK; i++, started++)
		if ((err = pthread_create(&w[i].tid, NULL, deliver_worker,
		    &w[i])) != 0)
			rc = err_set(e, LG_ETEMP, "cannot start a delivery "
			    "thread: %s", strerror(err));
	if (started > 0 && (err = pthread_create(&flusher, NULL,
	    deliver_flusher, run)) != 0)
		log_warn(MOD, "no flusher thread: %s; results are committed "
		    "as they come", strerror(err));
	for (i = 0; i < started; i++)
		pthread_join(w[i].tid, NULL);
	pthread_mutex_lock(&run->lock);
	run->ended = 1;
	pthread_cond_signal(&run->end);
	pthread_mutex_unlock(&run->lock);
	if (started > 0 && err == 0)
		pthread_join(flusher, NULL);
	for (i = 0; i < n; i++) {
		free(w[i].sent);
		spool_reader_free(w[i].rd);
	}
	if (run->st != NULL) {
		/* Every session ended with a sync: normally nothing is left. */
		err_clear(&je);
		deliver_sync(run, &je);
	}
	free(run->pend);
	free(run->onwire);
	run->onwire = NULL;
	store_close(run->st);
	run->st = NULL;
	free(w);
	return rc;
}

/*
 * The claims' owner: this spool, HOST:DIR. The journal and deliver.lock
 * are the spool's, so whoever holds the lock may take over the attempts
 * of an earlier holder at once (its journal is the one replayed), and
 * another's only once their claims have run out.
 */
static void
deliver_owner(const struct config *cfg, char *out, size_t len)
{
	char host[256], *dir;

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	dir = realpath(cfg->spool_dir, NULL);
	snprintf(out, len, "%s:%s", host, dir ? dir : cfg->spool_dir);
	free(dir);
}

/*
 * Once the spool folder exists (its real path names the owner): the
 * claims' owner, and the store where the readers find texts kept there,
 * through connections of their own.
 */
static int
deliver_attach(struct drun *run)
{
	struct store_options opt = { 0, 0, NULL, NULL, NULL };

	deliver_owner(run->cfg, run->owner, sizeof(run->owner));
	config_store_options(run->cfg, &opt);
	spool_attach_store(run->sp, run->cfg->store_path, &opt);
	return LG_OK;
}

int
deliver_run(const struct config *cfg, const struct pipelines *pl,
    struct deliver_stats *out, struct err *e)
{
	return deliver_run_opts(cfg, pl, NULL, out, e);
}

int
deliver_run_opts(const struct config *cfg, const struct pipelines *pl,
    const struct deliver_opts *opts, struct deliver_stats *out,
    struct err *e)
{
	int rate = opts != NULL && opts->rate_per_sec >= 0 ?
	    opts->rate_per_sec : cfg->bulk.rate_per_sec;
	struct drun run;
	int fd = -1, rc;

	memset(out, 0, sizeof(*out));
	memset(&run, 0, sizeof(run));
	run.cfg = cfg;
	run.pl = pl;
	if (opts != NULL) {
		run.progress = opts->progress;
		run.progress_arg = opts->arg;
	}
	run.policy.retry_first = cfg->delivery.retry_first;
	run.policy.retry_max = cfg->delivery.retry_max;
	run.policy.give_up = cfg->delivery.give_up;
	pthread_mutex_init(&run.lock, NULL);
	pthread_mutex_init(&run.wlock, NULL);
	pthread_cond_init(&run.end, NULL);
	deliver_boot(run.boot, sizeof(run.boot));
	run.lease = cfg->cluster.lease > 0 ? cfg->cluster.lease : 30;
	if ((rc = spool_open(cfg->spool_dir, &run.sp, e)) == LG_OK &&
	    (rc = deliver_attach(&run)) == LG_OK &&
	    (rc = deliver_lock(&run, &fd, e)) == LG_OK &&
	    (rc = journal_open(cfg->spool_dir, &run.jnl, e)) == LG_OK &&
	    (rc = deliver_recover(&run, e)) == LG_OK &&
	    (rc = smtpc_new(cfg, &run.smtp, e)) == LG_OK &&
	    (rc = deliver_workers(&run, rate, e)) == LG_OK &&
	    run.err.code != LG_OK) {
		*e = run.err;
		rc = run.err.code;
	}
	*out = run.stats;
	smtpc_free(run.smtp);
	journal_close(run.jnl);
	throttle_free(run.thr);
	if (fd >= 0)
		close(fd);
	spool_close(run.sp);
	pthread_mutex_destroy(&run.lock);
	pthread_mutex_destroy(&run.wlock);
	pthread_cond_destroy(&run.end);
	return rc;
}
