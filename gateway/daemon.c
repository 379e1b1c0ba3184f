/*
 * The daemon. Threads: the main one waits for signals and supervises;
 * every connector and every job (delivery) runs on a worker thread of its
 * own, so a hung peer only ever holds up its own worker. Jobs have a
 * store connection each; the connector workers share a small pool of
 * them (POOL_MAX, more only while some wait on slow servers), taking one
 * for a poll and giving it back, its ingest group committed, before they
 * wait for new mail: descriptors stay at about one (the socket) per
 * mailbox. Workers sleep on a condition
 * variable so that a reload or a stop wakes them at once.
 *
 * Several instances may share one store (PostgreSQL, or SQLite on one
 * host): every connector and every job is work under a lease of the
 * store (core/store_ops.h, lease_*), named "connector/NAME" or
 * "job/NAME". A worker works only while its instance holds the lease;
 * it takes a free or expired one before it polls or runs. The main
 * thread renews the leases held every third of cluster.lease, so a long
 * poll or delivery run does not lose its lease; a worker counts its
 * lease as held only until a third of the lease time before it expires,
 * so that a holder whose renewals fail stops before another takes over.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "connectors/connector.h"
#include "core/archive.h"
#include "ingest/ingest.h"
#include "util/clock.h"
#include "core/config.h"
#include "gateway/daemon.h"
#include "gateway/http.h"
#include "gateway/http_routes.h"
#include "util/log.h"
#include "core/pipeline.h"
#include "core/space.h"
#include "core/store.h"
#include "util/xmalloc.h"
#include "parse/parse_data.h"
#include "rules/rules.h"
#include "spool/deliver.h"
#include "core/domain.h"
#include "outbound/onphase.h"
#include "outbound/webhook.h"
#include "spool/spool.h"

#define MOD "daemon"
#define BACKOFF_MIN 5		/* seconds after the first failure */
#define BACKOFF_MAX 300
#define STOP_GRACE 8		/* seconds the workers get to finish */

/*
 * Store connections (three descriptors each: database, WAL, shared
 * memory) shared by all connector workers of a generation. A worker
 * holds one only while it polls, so more would mostly wait on SQLite's
 * one writer anyway.
 */
#define POOL_MAX 8
#define POOL_WAIT_MS 2000	/* then a connection beyond POOL_MAX */

/* Everything a (re)load produces; replaced as a whole on SIGHUP. */
struct daemon_set {
	struct config *cfg;
	struct pipelines *pl;
	struct parse_data *pd;		/* profiles and lexicon */
	struct rules *rules;
	struct connector_list conns;
	struct webhook_set *hooks;	/* outbound/webhook.h */
};

/*
 * An autoreply queued by a connector of this daemon wakes delivery at
 * once (gen_kick()); the idle poll is for mail queued by other processes
 * (`leadgate ingest`, `bulk send`) and by the HTTP listener.
 */
#define DELIVER_IDLE_MS 250
#define DELIVER_BUSY_MS 1000
#define DELIVER_MAX_MS 30000

/*
 * Delivery: a run whenever something is due. Asking the store is cheap,
 * so an idle daemon asks often and a fresh autoreply leaves at once.
 */
static int
deliver_job(struct daemon_set *set, struct store *st, struct err *e)
{
	const struct config *cfg = set->cfg;
	const struct pipelines *pl = set->pl;
	struct deliver_stats ds;
	int64_t when, now = clock_now();
	int rc;

	rc = store_outgoing_next_due(st, &when, e);
	if (rc == LG_ENOENT)
		return DELIVER_IDLE_MS;
	if (rc != LG_OK)
		return rc;
	if (when > now)
		return when - now > DELIVER_MAX_MS / 1000 ? DELIVER_MAX_MS :
		    (int)(when - now) * 1000;
	memset(&ds, 0, sizeof(ds));
	rc = deliver_run(cfg, pl, &ds, e);
	/* Instances sharing a spool folder take turns: no error. */
	if (rc == LG_ETEMP && ds.locked_out)
		return DELIVER_IDLE_MS;
	if (rc != LG_OK)
		return rc;
	if (ds.sent + ds.deferred + ds.failed > 0)
		log_info(MOD, "[delivery] %ld sent, %ld deferred, %ld failed, "
		    "%ld held", ds.sent, ds.deferred, ds.failed, ds.held);
	/*
	 * Due but nothing claimed: other instances' claims (PostgreSQL).
	 * Asked again less often; a kick (mail queued here) still wakes it.
	 */
	if (ds.sessions == 0 && ds.held == 0)
		return DELIVER_BUSY_MS;
	return DELIVER_IDLE_MS;
}

static const struct daemon_job delivery = { "delivery", deliver_job, 1, 1 };

#define ARCHIVE_EVERY_MS (24 * 3600 * 1000)

/*
 * The kept mail's retention (core/archive.h), at start and then once a
 * day: what `leadgate mail purge` does.
 */
static int
archive_job(struct daemon_set *set, struct store *st, struct err *e)
{
	const struct config *cfg = set->cfg;
	struct archive_purged r;
	int rc;

	if ((rc = archive_purge(cfg->archive.dir, st, cfg->archive.keep_days,
	    clock_now(), &r, e)) != LG_OK)
		return rc;
	if (r.rows + r.files + r.temps > 0)
		log_info(MOD, "[archive] %ld kept mails forgotten, %ld files "
		    "removed (%lld bytes), %ld temporary files removed", r.rows,
		    r.files, r.bytes, r.temps);
	return ARCHIVE_EVERY_MS;
}

static const struct daemon_job archive = { "archive", archive_job, 0, 0 };

#define WEBHOOK_IDLE_MS 250	/* an event goes out within about this */
#define WEBHOOK_BATCH 50	/* events per endpoint per run */

/*
 * Webhooks out: whatever is due, each endpoint in order. The events are
 * in the store already; this only asks it what is next, so it is cheap
 * when idle.
 */
static int
webhook_job(struct daemon_set *set, struct store *st, struct err *e)
{
	struct webhook_stats ws;
	int64_t due = 0, now = clock_now();
	int more = 0, rc;

	if (set->hooks == NULL || set->hooks->n == 0)
		return DELIVER_MAX_MS;
	memset(&ws, 0, sizeof(ws));
	if ((rc = webhook_deliver(set->hooks, st, now, WEBHOOK_BATCH, &ws,
	    &due, &more, e)) != LG_OK)
		return rc;
	if (ws.delivered + ws.deferred + ws.failed > 0)
		log_info(MOD, "[webhooks] %ld delivered, %ld deferred, "
		    "%ld failed", ws.delivered, ws.deferred, ws.failed);
	return more ? 0 : WEBHOOK_IDLE_MS;
}

static const struct daemon_job webhooks = { "webhooks", webhook_job, 0, 0 };

/*
 * The webhook outbox's retention (webhooks_keep_days), at start and then
 * once a day, with or without endpoints: what `leadgate webhooks purge`
 * does.
 */
static int
webhook_purge_job(struct daemon_set *set, struct store *st, struct err *e)
{
	long n;
	int rc;

	if ((rc = webhook_purge(set->hooks, st, set->cfg->webhooks_keep_days,
	    clock_now(), &n, e)) != LG_OK)
		return rc;
	if (n > 0)
		log_info(MOD, "[webhooks] %ld old events forgotten", n);
	return ARCHIVE_EVERY_MS;
}

static const struct daemon_job webhook_purges = { "webhook purge",
    webhook_purge_job, 0, 0 };

#define ONPHASE_EVERY_MS 1000

/*
 * The on_phase steps of arrivals no command ran (a sent mail's advance,
 * a move by another process): outbound/onphase.h, in a transaction of
 * its own. Idle when no phase has steps.
 */
static int
onphase_job(struct daemon_set *set, struct store *st, struct err *e)
{
	struct domain d = { st, set->pl, set->cfg->default_country };
	struct spool *sp = NULL;
	int rc, ran = 0;

	if (!pipelines_have_steps(set->pl))
		return ONPHASE_EVERY_MS * 60;
	if ((rc = spool_open(set->cfg->spool_dir, &sp, e)) != LG_OK)
		return rc;
	if ((rc = store_begin(st, e)) == LG_OK) {
		if ((rc = onphase_run(&d, set->cfg, sp, &ran, e)) == LG_OK)
			rc = store_commit(st, e);
		else
			store_rollback(st);
	}
	spool_close(sp);
	if (rc != LG_OK)
		return rc;
	if (ran > 0)
		log_info(MOD, "[on_phase] %d steps run", ran);
	return ONPHASE_EVERY_MS;
}

static const struct daemon_job onphase = { "on_phase", onphase_job, 0, 0 };

/* Jobs besides the connectors; add a line per job. */
static const struct daemon_job *const jobs[] = {
	&delivery,
	&onphase,
	&archive,
	&webhooks,
	&webhook_purges,
	NULL,
};


struct worker;

/* Store connections not in use; opened on demand, up to POOL_MAX. */
struct pool {
	struct store *free[POOL_MAX];
	int nfree;
	int nopen;
	int64_t extra_ms;	/* when the last one beyond POOL_MAX opened */
};

/*
 * The workers started from one configuration. A reload stops them and
 * starts a new generation; one that does not stop in time (a worker stuck
 * in a network read) is retired and freed by its last worker.
 */
struct gen {
	struct daemon *dm;
	struct daemon_set *set;
	volatile sig_atomic_t stop;
	int running;		/* workers not yet finished */
	int retired;
	struct worker *w;
	size_t nw;
	struct pool pool;	/* under dm->mu */
	unsigned long kicks;	/* under dm->mu: connector polls that queued */
	/* The HTTP listener with serve.enabled: its own store connection. */
	struct http_server *http;
	struct http_env henv;
	struct store *hst;
	struct ingest *hig;
};

struct daemon {
	const char *config_path;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct gen *cur;
	char instance[300];	/* cluster.instance, or HOST:PID */
	struct store *lst;	/* the main thread's, for renewals */
};

struct worker {
	struct gen *g;
	pthread_t tid;
	const char *name;
	struct connector *conn;		/* a connector, or */
	const struct daemon_job *job;	/* a job */
	unsigned backoff;		/* seconds; 0 after success */
	int low_space;			/* paused by store.min_free_mb */
	char lease[300];		/* connector/NAME or job/NAME */
	atomic_llong lease_until;	/* unix time it expires; 0: not held */
	struct ingest_stats stats;	/* a connector's, since its start */
};

static void
set_free(struct daemon_set *s)
{
	if (s == NULL)
		return;
	connector_list_free(&s->conns);
	webhook_set_free(s->hooks);
	rules_free(s->rules);
	parse_data_free(s->pd);
	pipelines_free(s->pl);
	config_free(s->cfg);
	free(s);
}

/* Load everything anew; on any mistake nothing of the new set is kept. */
static int
set_load(const char *path, struct daemon_set **out, struct err *e)
{
	struct daemon_set *s = xcalloc(1, sizeof(*s));
	int rc;

	if ((rc = config_load(path, &s->cfg, NULL, e)) != LG_OK ||
	    (rc = pipelines_load(s->cfg->pipelines_path, &s->pl, e)) != LG_OK ||
	    (rc = parse_data_load(s->cfg->lexicon_dir, s->cfg->profiles_dir,
	    &s->pd, NULL, e)) != LG_OK ||
	    (rc = rules_load(s->cfg->rules_path, s->pl, s->cfg->templates_dir,
	    s->pd, &s->rules, NULL, e)) != LG_OK ||
	    (rc = connector_load_all(s->cfg, &s->conns, NULL, e)) != LG_OK ||
	    (rc = webhook_load_all(s->cfg, &s->hooks, NULL, e)) != LG_OK) {
		set_free(s);
		return rc;
	}
	*out = s;
	return LG_OK;
}

/*
 * Sleep up to ms milliseconds, returning early when the workers stop or,
 * with seen, when g->kicks is no longer *seen (it is then updated).
 */
static void
worker_wait_ms(struct gen *g, unsigned ms, unsigned long *seen)
{
	struct daemon *dm = g->dm;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&dm->mu);
	while (!g->stop && (seen == NULL || *seen == g->kicks) &&
	    pthread_cond_timedwait(&dm->cv, &dm->mu, &until) != ETIMEDOUT)
		;
	if (seen != NULL)
		*seen = g->kicks;
	pthread_mutex_unlock(&dm->mu);
}

static void
worker_sleep_ms(struct gen *g, unsigned ms)
{
	worker_wait_ms(g, ms, NULL);
}

/* Wake the jobs that wait for queued mail (delivery): ingest_on_queued(). */
static void
gen_kick(void *arg)
{
	struct gen *g = arg;
	struct daemon *dm = g->dm;

	pthread_mutex_lock(&dm->mu);
	g->kicks++;
	pthread_cond_broadcast(&dm->cv);
	pthread_mutex_unlock(&dm->mu);
}

static void
worker_sleep(struct gen *g, unsigned secs)
{
	worker_sleep_ms(g, secs * 1000);
}

/* Exponential backoff with jitter, so restarted workers do not march in step. */
static unsigned
worker_backoff(struct worker *w)
{
	unsigned jitter;

	w->backoff = w->backoff ? w->backoff * 2 : BACKOFF_MIN;
	if (w->backoff > BACKOFF_MAX)
		w->backoff = BACKOFF_MAX;
	jitter = (unsigned)(random() % (w->backoff / 4 + 1));
	return w->backoff + jitter;
}

static void
worker_status(struct worker *w, struct store *st, int rc,
    const struct err *e)
{
	const struct ingest_stats *s = &w->stats;
	char now[CLOCK_ISOLEN], num[32];
	struct err se;

	clock_iso(clock_now(), now, sizeof(now));
	err_clear(&se);
	if (store_begin(st, &se) != LG_OK)
		return;
	store_state_set(st, w->name, "last_poll", now, &se);
	if (rc == LG_OK) {
		store_state_set(st, w->name, "last_ok", now, &se);
	} else {
		store_state_set(st, w->name, "last_error", e->msg, &se);
		store_state_set(st, w->name, "last_error_at", now, &se);
	}
#define COUNTER(key, v) \
	snprintf(num, sizeof(num), "%ld", (long)(v)); \
	store_state_set(st, w->name, key, num, &se)
	COUNTER("new_leads", s->new_leads);
	COUNTER("existing_leads", s->existing_leads);
	COUNTER("duplicates", s->duplicates);
	COUNTER("ignored", s->ignored);
	COUNTER("quarantined", s->quarantined);
#undef COUNTER
	if (store_commit(st, &se) != LG_OK)
		store_rollback(st);
}

/*
 * Ingest commits in groups: end the open one before the worker waits,
 * so that no write lock is held while it sleeps or idles.
 */
static void
worker_flush(struct worker *w, struct ingest *ig)
{
	struct err e;

	err_clear(&e);
	if (ingest_sync(ig, &e) != LG_OK)
		log_warn(MOD, "[%s] %s", w->name, e.msg);
}

/* An ISO time, or NULL for 0 (the key is then removed). */
static const char *
worker_iso(int64_t t, char *buf, size_t len)
{
	if (t == 0)
		return NULL;
	clock_iso((time_t)t, buf, len);
	return buf;
}

/*
 * The connection's state for `status`: the connector's own word, or
 * "idle" while the worker waits for new mail on a sound connection.
 */
static void
worker_link(struct worker *w, struct store *st, int waiting)
{
	const struct connector_ops *ops = w->conn->ops;
	struct connector_link l;
	char since[CLOCK_ISOLEN], lost[CLOCK_ISOLEN], next[CLOCK_ISOLEN];
	const char *state;
	struct err se;

	if (ops->link == NULL)
		return;
	ops->link(w->conn->conn, &l);
	if (l.state == NULL)
		return;
	state = waiting && strcmp(l.state, "connected") == 0 ? "idle" :
	    l.state;
	err_clear(&se);
	if (store_begin(st, &se) != LG_OK)
		return;
	store_state_set(st, w->name, "link", state, &se);
	store_state_set(st, w->name, "link_since",
	    worker_iso(l.since, since, sizeof(since)), &se);
	store_state_set(st, w->name, "lost_at",
	    worker_iso(l.lost_at, lost, sizeof(lost)), &se);
	store_state_set(st, w->name, "next_try",
	    worker_iso(l.next_try, next, sizeof(next)), &se);
	store_state_set(st, w->name, "lost_why", l.why[0] ? l.why : NULL,
	    &se);
	if (store_commit(st, &se) != LG_OK)
		store_rollback(st);
}

/*
 * Low on space for the store or the spool: the connector takes no new
 * inquiry (each would become a lead and an autoreply) until space is
 * back. Logged when the pause starts and when it ends.
 */
static int
worker_space(struct worker *w)
{
	char why[600];
	int low = space_low(w->g->set->cfg, why, sizeof(why));

	if (low && !w->low_space)
		log_warn(MOD, "[%s] paused: %s", w->name, why);
	else if (!low && w->low_space)
		log_warn(MOD, "[%s] resumed: there is space again", w->name);
	w->low_space = low;
	return low;
}

static int64_t
pool_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * A store connection from the generation's pool: a free one, a new one
 * while fewer than POOL_MAX are open, else one given back within
 * POOL_WAIT_MS. After that a new one all the same (one per POOL_WAIT_MS
 * for all waiting workers): a worker that holds its connection through a
 * server's timeout in the middle of a poll must not hold up the others.
 * The extra ones are closed as they come back. NULL when the workers
 * stop or the store cannot be opened.
 */
static struct store *
pool_take(struct worker *w)
{
	struct gen *g = w->g;
	struct daemon *dm = g->dm;
	struct pool *p = &g->pool;
	struct store_options opt = { 5000, 0, NULL, NULL, NULL };
	struct store *st = NULL;
	struct timespec until;
	struct err e;
	int fresh = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += POOL_WAIT_MS / 1000;
	pthread_mutex_lock(&dm->mu);
	while (!g->stop && st == NULL && !fresh) {
		if (p->nfree > 0)
			st = p->free[--p->nfree];
		else if (p->nopen < POOL_MAX)
			fresh = ++p->nopen;
		else if (pthread_cond_timedwait(&dm->cv, &dm->mu, &until) !=
		    ETIMEDOUT)
			continue;
		else if (pool_now_ms() - p->extra_ms >= POOL_WAIT_MS) {
			/* One extra at a time: a crowd waiting opens one. */
			p->extra_ms = pool_now_ms();
			fresh = ++p->nopen;
		} else
			until.tv_sec += 1;
	}
	pthread_mutex_unlock(&dm->mu);
	if (!fresh)
		return st;
	config_store_options(g->set->cfg, &opt);
	err_clear(&e);
	if (store_open(g->set->cfg->store_path, &opt, &st, &e) == LG_OK)
		return st;
	log_err(MOD, "[%s] %s", w->name, e.msg);
	pthread_mutex_lock(&dm->mu);
	p->nopen--;
	pthread_cond_broadcast(&dm->cv);
	pthread_mutex_unlock(&dm->mu);
	return NULL;
}

/* Back to the pool; no transaction or group may be open on st. */
static void
pool_give(struct worker *w, struct store *st)
{
	struct daemon *dm = w->g->dm;
	struct pool *p = &w->g->pool;
	struct store *extra = NULL;

	pthread_mutex_lock(&dm->mu);
	if (p->nfree < POOL_MAX)
		p->free[p->nfree++] = st;
	else {
		extra = st;
		p->nopen--;
	}
	pthread_cond_broadcast(&dm->cv);
	pthread_mutex_unlock(&dm->mu);
	store_close(extra);
}

static void
pool_close(struct pool *p)
{
	while (p->nfree > 0)
		store_close(p->free[--p->nfree]);
	p->nopen = 0;
}

static void
worker_stats_add(struct worker *w, const struct ingest *ig)
{
	const struct ingest_stats *s = ingest_stats(ig);

	w->stats.new_leads += s->new_leads;
	w->stats.existing_leads += s->existing_leads;
	w->stats.duplicates += s->duplicates;
	w->stats.ignored += s->ignored;
	w->stats.quarantined += s->quarantined;
}

/*
 * Whether w's instance holds its lease now; if not, take it when it is
 * free or expired (on st). Logged when it changes hands.
 */
static int
worker_lease(struct worker *w, struct store *st)
{
	struct gen *g = w->g;
	int lease = g->set->cfg->cluster.lease;
	int64_t now = (int64_t)clock_now();
	long long until = atomic_load(&w->lease_until);
	struct err e;
	int got = 0;

	/* Counted as held until a third of the time before it expires. */
	if (until != 0 && now < until - lease / 3)
		return 1;
	err_clear(&e);
	if (store_lease_take(st, w->lease, g->dm->instance, now, lease, &got,
	    &e) != LG_OK) {
		log_warn(MOD, "[%s] lease %s: %s", w->name, w->lease, e.msg);
		got = 0;
	}
	if (got && until == 0)
		log_info(MOD, "[%s] lease %s taken by %s", w->name, w->lease,
		    g->dm->instance);
	else if (!got && until != 0)
		log_warn(MOD, "[%s] lease %s lost; another instance works on "
		    "it", w->name, w->lease);
	atomic_store(&w->lease_until, got ? (long long)(now + lease) : 0);
	return got;
}

/* How long a worker without its lease waits before it asks again. */
static unsigned
worker_lease_wait(const struct worker *w)
{
	int lease = w->g->set->cfg->cluster.lease;

	return (unsigned)(lease / 3 > 0 ? lease / 3 : 1);
}

/*
 * One poll on a store connection of the pool. The ingest group ends
 * (worker_flush) and the ingest is freed before the connection goes back:
 * the next holder finds no transaction open.
 */
static int
connector_poll(struct worker *w, struct store *st, struct err *e)
{
	struct gen *g = w->g;
	const struct connector_ops *ops = w->conn->ops;
	struct connector_sink sink;
	struct ingest *ig;
	int rc;

	ig = ingest_new(g->set->cfg, st, g->set->pl, g->set->rules,
	    g->set->pd);
	ingest_sink(ig, &sink);
	ingest_on_queued(ig, gen_kick, g);
	err_clear(e);
	rc = ops->poll_once(w->conn->conn, &sink, e);
	worker_stats_add(w, ig);
	worker_status(w, st, rc, e);
	worker_flush(w, ig);
	worker_link(w, st, rc == LG_OK && ops->wait != NULL);
	ingest_free(ig);
	return rc;
}

/* secs, but no longer than the lease's renewal period. */
static int
worker_wait_cap(const struct worker *w, int secs)
{
	int cap = (int)worker_lease_wait(w);

	return secs < cap ? secs : cap;
}

static void
connector_loop(struct worker *w)
{
	struct gen *g = w->g;
	const struct connector_ops *ops = w->conn->ops;
	struct store *st;
	struct err e;
	unsigned delay;
	int rc;

	while (!g->stop) {
		err_clear(&e);
		if (worker_space(w)) {
			worker_sleep(g, (unsigned)ops->interval(w->conn->conn));
			continue;
		}
		/* Another instance's connector: not ours to poll now. */
		if ((st = pool_take(w)) == NULL) {
			if (!g->stop)
				worker_sleep(g, worker_backoff(w));
			continue;
		}
		rc = worker_lease(w, st);
		pool_give(w, st);
		if (!rc) {
			worker_sleep(g, worker_lease_wait(w));
			continue;
		}
		/* Connecting needs no store connection: a hung server keeps none. */
		rc = ops->connect != NULL ? ops->connect(w->conn->conn, &e) :
		    LG_OK;
		if ((st = pool_take(w)) == NULL) {
			if (!g->stop)
				worker_sleep(g, worker_backoff(w));
			continue;
		}
		if (rc == LG_OK)
			rc = connector_poll(w, st, &e);
		else {
			worker_status(w, st, rc, &e);
			worker_link(w, st, 0);
		}
		pool_give(w, st);
		if (rc != LG_OK) {
			/* The connector's reconnect backoff, if it has one. */
			delay = ops->retry != NULL ?
			    (unsigned)ops->retry(w->conn->conn) :
			    worker_backoff(w);
			log_warn(MOD, "[%s] %s; next try in %u s", w->name,
			    e.msg, delay);
			worker_sleep(g, delay);
			continue;
		}
		w->backoff = 0;
		/* Waits end in time for the lease to be looked at again. */
		if (ops->wait != NULL && !g->stop &&
		    ops->wait(w->conn->conn, worker_wait_cap(w,
		    ops->interval(w->conn->conn)) * 1000, &g->stop, &e) ==
		    LG_OK)
			continue;
		if ((st = pool_take(w)) != NULL) {
			worker_link(w, st, 0);
			pool_give(w, st);
		}
		worker_sleep(g, (unsigned)ops->interval(w->conn->conn));
	}
}

/*
 * A job every instance runs at once, without a lease: delivery on
 * PostgreSQL, where each instance claims the rows it sends
 * (core/store_ops.h, outgoing_claim) and keeps the texts in the store.
 * On SQLite (one host) the delivery stays one instance's at a time.
 */
static int
job_shared(const struct worker *w)
{
	return w->job->shared && store_is_remote(w->g->set->cfg->store_path);
}

static void
job_loop(struct worker *w, struct store *st)
{
	struct gen *g = w->g;
	struct err e;
	unsigned long seen = 0;
	unsigned delay;
	int rc;

	while (!g->stop) {
		err_clear(&e);
		/* A kick while it runs: run again at once. */
		pthread_mutex_lock(&g->dm->mu);
		seen = g->kicks;
		pthread_mutex_unlock(&g->dm->mu);
		if (!job_shared(w) && !worker_lease(w, st)) {
			worker_wait_ms(g, worker_lease_wait(w) * 1000, NULL);
			continue;
		}
		rc = w->job->run(g->set, st, &e);
		if (rc < 0) {
			delay = worker_backoff(w);
			log_warn(MOD, "[%s] %s; next try in %u s", w->name,
			    e.msg, delay);
			worker_sleep(g, delay);
		} else {
			w->backoff = 0;
			worker_wait_ms(g, (unsigned)rc, w->job->wake ? &seen :
			    NULL);
		}
	}
}

static void
gen_free(struct gen *g)
{
	pool_close(&g->pool);
	set_free(g->set);
	free(g->w);
	free(g);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct gen *g = w->g;
	struct daemon *dm = g->dm;
	struct store_options opt = { 5000, 0, NULL, NULL, NULL };
	struct store *st = NULL;
	struct err e;
	int last;

	config_store_options(g->set->cfg, &opt);
	if (w->conn != NULL) {
		/* Store connections come from the pool, poll by poll. */
		log_info(MOD, "[%s] started", w->name);
		connector_loop(w);
	}
	while (w->job != NULL && !g->stop && st == NULL) {
		err_clear(&e);
		if (store_open(g->set->cfg->store_path, &opt, &st, &e) != LG_OK) {
			unsigned delay = worker_backoff(w);

			log_err(MOD, "[%s] %s; next try in %u s", w->name, e.msg,
			    delay);
			worker_sleep(g, delay);
		}
	}
	if (st != NULL) {
		log_info(MOD, "[%s] started", w->name);
		job_loop(w, st);
		store_close(st);
	}
	log_info(MOD, "[%s] stopped", w->name);
	pthread_mutex_lock(&dm->mu);
	last = --g->running == 0 && g->retired;
	pthread_cond_broadcast(&dm->cv);
	pthread_mutex_unlock(&dm->mu);
	if (last)
		gen_free(g);	/* nobody waits for a retired generation */
	return NULL;
}

/*
 * The listener of this generation (serve.enabled), on its own store
 * connection and ingest pipeline: its handlers run on its one thread.
 * Failing to listen is logged; the connectors run anyway.
 */
static void
gen_http_start(struct gen *g)
{
	const struct config *cfg = g->set->cfg;
	struct store_options opt = { 5000, 0, NULL, NULL, NULL };
	struct err e;

	if (!cfg->serve.enabled)
		return;
	err_clear(&e);
	config_store_options(cfg, &opt);
	if (store_open(cfg->store_path, &opt, &g->hst, &e) != LG_OK) {
		log_err(MOD, "[http] %s; not listening", e.msg);
		return;
	}
	g->hig = ingest_new(cfg, g->hst, g->set->pl, g->set->rules,
	    g->set->pd);
	http_env_init(&g->henv, cfg, g->hst, g->set->pl, g->hig);
	if (http_start(&g->henv, http_routes, http_nroutes, &g->http, &e) !=
	    LG_OK)
		log_err(MOD, "[http] %s; not listening", e.msg);
}

/* Before the set goes: MHD's thread ends inside http_stop(). */
static void
gen_http_stop(struct gen *g)
{
	http_stop(g->http);
	g->http = NULL;
	ingest_free(g->hig);
	g->hig = NULL;
	http_env_clear(&g->henv);
	if (g->hst)
		store_close(g->hst);
	g->hst = NULL;
}

static struct gen *
gen_start(struct daemon *dm, struct daemon_set *set)
{
	struct gen *g = xcalloc(1, sizeof(*g));
	size_t i, n = set->conns.n, k;
	pthread_attr_t attr;

	for (k = 0; jobs[k] != NULL; k++)
		;
	g->dm = dm;
	g->set = set;
	g->nw = n + k;
	g->w = xcalloc(g->nw ? g->nw : 1, sizeof(*g->w));
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (i = 0; i < g->nw; i++) {
		struct worker *w = &g->w[i];

		w->g = g;
		if (i < n) {
			w->conn = &set->conns.v[i];
			w->name = w->conn->name;
		} else {
			w->job = jobs[i - n];
			w->name = w->job->name;
		}
		snprintf(w->lease, sizeof(w->lease), "%s/%s", w->conn ?
		    "connector" : "job", w->name);
		/* A reload keeps what this instance held (same holder). */
		atomic_init(&w->lease_until, 0);
		pthread_mutex_lock(&dm->mu);
		g->running++;
		pthread_mutex_unlock(&dm->mu);
		if (pthread_create(&w->tid, &attr, worker_main, w) != 0)
			log_fatalx(MOD, "cannot start a thread for %s", w->name);
	}
	pthread_attr_destroy(&attr);
	gen_http_start(g);
	log_info(MOD, "running: %zu connector%s, %zu job%s", n, n == 1 ? "" :
	    "s", k, k == 1 ? "" : "s");
	return g;
}

/*
 * Ask every worker of g to stop and wait a little for the current work to
 * end. Those still busy afterwards finish on their own; the last one
 * frees the generation.
 */
static int
gen_stop(struct gen *g)
{
	struct daemon *dm = g->dm;
	struct timespec until;
	int late;

	gen_http_stop(g);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += STOP_GRACE;
	pthread_mutex_lock(&dm->mu);
	g->stop = 1;
	pthread_cond_broadcast(&dm->cv);
	while (g->running > 0 && pthread_cond_timedwait(&dm->cv, &dm->mu,
	    &until) != ETIMEDOUT)
		;
	late = g->running;
	g->retired = late > 0;
	pthread_mutex_unlock(&dm->mu);
	if (late == 0)
		gen_free(g);
	else
		log_warn(MOD, "%d worker%s still busy after %d s; left to finish "
		    "on %s own", late, late == 1 ? "" : "s", STOP_GRACE,
		    late == 1 ? "its" : "their");
	return late;
}

static void
daemon_reload(struct daemon *dm)
{
	struct daemon_set *s;
	struct err e;

	err_clear(&e);
	if (set_load(dm->config_path, &s, &e) != LG_OK) {
		log_err(MOD, "reload refused, the old configuration stays: %s",
		    e.msg);
		return;
	}
	gen_stop(dm->cur);
	log_info(MOD, "reloaded %s", dm->config_path);
	dm->cur = gen_start(dm, s);
}

/*
 * One daemon per configuration: the lock file holds our pid. The pid of
 * the daemon that held it before (a crashed one) goes to was ("" none).
 */
static int
daemon_lock(const char *path, char *was, size_t waslen, struct err *e)
{
	char pid[32] = "";
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return err_set(e, LG_EPERM, "lock %s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		n = read(fd, pid, sizeof(pid) - 1);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		close(fd);
		return err_set(e, LG_EPERM, "another leadgate (pid %s) already "
		    "runs with this configuration (lock %s)", pid[0] ? pid : "?",
		    path);
	}
	n = read(fd, pid, sizeof(pid) - 1);
	pid[n > 0 ? n : 0] = '\0';
	pid[strcspn(pid, "\n")] = '\0';
	snprintf(was, waslen, "%s", pid);
	if (ftruncate(fd, 0) == 0) {
		snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
		if (write(fd, pid, strlen(pid)) < 0)
			log_warn(MOD, "lock %s: %s", path, strerror(errno));
	}
	return fd;	/* kept open (and locked) until we exit */
}

static int
daemon_store_check(const struct config *cfg, struct err *e)
{
	struct store_options opt = { 0, 0, NULL, NULL, NULL };
	struct store *st;
	int rc;

	config_store_options(cfg, &opt);

	if ((rc = store_open(cfg->store_path, &opt, &st, e)) == LG_OK)
		store_close(st);
	return rc;
}

static void
daemon_logging(const struct config *cfg)
{
	enum log_level lv = LOG_LV_INFO;

	log_level_parse(cfg->log_level, &lv);
	log_init("leadgate", cfg->log_syslog ? LOG_TO_SYSLOG : LOG_TO_STDERR,
	    lv);
	log_set_timestamps(1);
}

/*
 * A descriptor per mailbox: take the hard limit, not the soft one (often
 * 1024). Our IMAP stream has no select(), so high numbers are fine.
 */
static void
daemon_nofile(void)
{
	struct rlimit rl;
	rlim_t was;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= rl.rlim_max)
		return;
	was = rl.rlim_cur;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		log_warn(MOD, "cannot raise the descriptor limit from %llu to "
		    "%llu: %s", (unsigned long long)was,
		    (unsigned long long)rl.rlim_max, strerror(errno));
	else
		log_info(MOD, "descriptor limit raised from %llu to %llu",
		    (unsigned long long)was, (unsigned long long)rl.rlim_max);
}

/* cluster.instance, or HOST:PID of the daemon with that pid. */
void
daemon_instance(const struct config *cfg, long pid, char *out, size_t len)
{
	char host[256];

	if (cfg->cluster.instance[0] != '\0') {
		snprintf(out, len, "%s", cfg->cluster.instance);
		return;
	}
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(out, len, "%s:%ld", host, pid);
}

/* The main thread's store connection, opened when first needed. */
static struct store *
daemon_lease_store(struct daemon *dm, const struct config *cfg,
    struct err *e)
{
	struct store_options opt = { 5000, 0, NULL, NULL, NULL };

	if (dm->lst == NULL && cfg == NULL)
		err_set(e, LG_ETEMP, "no store connection");
	else if (dm->lst == NULL) {
		config_store_options(cfg, &opt);
		if (store_open(cfg->store_path, &opt, &dm->lst, e) != LG_OK)
			dm->lst = NULL;
	}
	return dm->lst;
}

/*
 * Renew the leases this instance's workers hold. One that is another's
 * now is dropped (its worker stops at its next look); a failure to
 * reach the store leaves them to run out (worker_lease).
 */
static void
daemon_leases_renew(struct daemon *dm)
{
	struct gen *g = dm->cur;
	int lease = g->set->cfg->cluster.lease, rc;
	int64_t now = (int64_t)clock_now();
	struct store *st;
	struct err e;
	size_t i;

	err_clear(&e);
	if ((st = daemon_lease_store(dm, g->set->cfg, &e)) == NULL) {
		log_warn(MOD, "leases not renewed: %s", e.msg);
		return;
	}
	for (i = 0; i < g->nw; i++) {
		struct worker *w = &g->w[i];

		if (atomic_load(&w->lease_until) == 0)
			continue;
		err_clear(&e);
		rc = store_lease_renew(st, w->lease, dm->instance, now, lease,
		    &e);
		if (rc == LG_OK)
			atomic_store(&w->lease_until, (long long)(now + lease));
		else if (rc == LG_ENOENT) {
			atomic_store(&w->lease_until, 0);
			log_warn(MOD, "[%s] lease %s lost to another instance",
			    w->name, w->lease);
		} else {
			log_warn(MOD, "[%s] lease %s not renewed: %s", w->name,
			    w->lease, e.msg);
			store_close(dm->lst);	/* reopened next time */
			dm->lst = NULL;
			return;
		}
	}
}

/*
 * Give up the leases of this instance (at exit), or those a crashed
 * predecessor on this configuration left (its HOST:PID, from the lock
 * file): the work goes on at once instead of after the lease time.
 */
static void
daemon_leases_release(struct daemon *dm, const struct config *cfg,
    const char *holder)
{
	struct lease_row *v = NULL;
	struct store *st;
	size_t i, n = 0;
	struct err e;

	err_clear(&e);
	if ((st = daemon_lease_store(dm, cfg, &e)) == NULL ||
	    store_lease_list(st, &v, &n, &e) != LG_OK) {
		log_warn(MOD, "leases of %s not released: %s", holder, e.msg);
		return;
	}
	for (i = 0; i < n; i++)
		if (strcmp(v[i].holder, holder) == 0 &&
		    store_lease_release(st, v[i].name, holder, &e) != LG_OK)
			log_warn(MOD, "lease %s not released: %s", v[i].name,
			    e.msg);
	store_lease_rows_free(v, n);
}

/* The predecessor's leases, when it was a HOST:PID of this host. */
static void
daemon_leases_inherit(struct daemon *dm, const struct config *cfg,
    const char *was)
{
	char old[300];
	char *end;
	long pid;

	if (cfg->cluster.instance[0] != '\0' || *was == '\0')
		return;		/* a fixed name takes its own back anyway */
	pid = strtol(was, &end, 10);
	if (*end != '\0' || pid <= 0 || pid == (long)getpid())
		return;
	daemon_instance(cfg, pid, old, sizeof(old));
	daemon_leases_release(dm, cfg, old);
}

int
daemon_run(const char *config_path, struct err *e)
{
	struct daemon_set *set;
	struct daemon dm;
	sigset_t sigs;
	struct timespec tick;
	char was[32];
	int sig, lockfd, rc;

	memset(&dm, 0, sizeof(dm));
	dm.config_path = config_path;
	if ((rc = set_load(config_path, &set, e)) != LG_OK)
		return rc;
	if ((lockfd = daemon_lock(set->cfg->lock_path, was, sizeof(was),
	    e)) < 0) {
		set_free(set);
		return LG_EPERM;
	}
	/* Open (and migrate) the store once before any worker does. */
	if ((rc = daemon_store_check(set->cfg, e)) != LG_OK) {
		close(lockfd);
		set_free(set);
		return rc;
	}
	daemon_logging(set->cfg);
	daemon_nofile();
	pthread_mutex_init(&dm.mu, NULL);
	pthread_cond_init(&dm.cv, NULL);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	srandom((unsigned)getpid());
	daemon_instance(set->cfg, (long)getpid(), dm.instance,
	    sizeof(dm.instance));
	log_info(MOD, "leadgate starting with %s as instance %s", config_path,
	    dm.instance);
	if (daemon_lease_store(&dm, set->cfg, e) == NULL)
		log_warn(MOD, "leases: %s", e->msg);	/* tried again later */
	err_clear(e);
	daemon_leases_inherit(&dm, set->cfg, was);
	dm.cur = gen_start(&dm, set);
	for (;;) {
		/* Renewals a little more often than every third of a lease. */
		tick.tv_sec = dm.cur->set->cfg->cluster.lease / 4;
		tick.tv_nsec = 0;
		if (tick.tv_sec < 1)
			tick.tv_sec = 1;
		sig = sigtimedwait(&sigs, NULL, &tick);
		if (sig < 0) {
			if (errno == EAGAIN)
				daemon_leases_renew(&dm);
			continue;
		}
		if (sig == SIGHUP) {
			log_info(MOD, "SIGHUP: reloading");
			daemon_reload(&dm);
			continue;
		}
		log_info(MOD, "%s: stopping", sig == SIGTERM ? "SIGTERM" :
		    "SIGINT");
		break;
	}
	gen_stop(dm.cur);	/* a worker still busy ends with the process */
	/* The others take this instance's work over at once. */
	daemon_leases_release(&dm, NULL, dm.instance);
	store_close(dm.lst);
	log_info(MOD, "stopped");
	close(lockfd);
	return LG_OK;
}
