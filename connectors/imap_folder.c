#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/imap_folder.h"
#include "util/log.h"
#include "core/store.h"
#include "util/xmalloc.h"

#define MOD "imap"

struct imap_poll {
	struct imap_session *s;
	const struct imap_config *c;
	const struct imap_folder *f;
	const struct connector_sink *sink;
	struct imap_folder_stats *stats;
	uint32_t uidvalidity;
	uint32_t *done;		/* this batch: to be marked done */
	size_t ndone, cap;
	const uint32_t *batch;	/* this batch's candidates, ascending */
	size_t nbatch;
	int sink_stopped;	/* the sink said LG_ETEMP */
	/*
	 * Done by \Seen only: every UID below from is done, the store keeps
	 * it. It moves up past the UIDs marked done, in order, and stops at
	 * the first one left (a sink failure) for the rest of the poll.
	 */
	uint32_t from;
	int stuck;
};

/* The store key of the UID mark of a folder done by \Seen. */
#define MARK_KEY "imap.uid_next:"

static int
imap_folder_uidvalidity(struct imap_poll *p, struct err *e)
{
	struct store *st = p->sink->st;
	uint32_t old;
	int rc;

	if (st == NULL)
		return LG_OK;
	rc = store_mailbox_uidvalidity_get(st, p->c->name, p->f->name, &old, e);
	if (rc == LG_OK && old == p->uidvalidity)
		return LG_OK;
	if (rc != LG_OK && rc != LG_ENOENT)
		return rc;
	if (rc == LG_OK)
		log_warn(MOD, "%s: %s: UIDVALIDITY changed from %u to %u: "
		    "messages not marked done are checked again by "
		    "Message-ID, not imported twice", p->c->name, p->f->name,
		    old, p->uidvalidity);
	if (p->sink->dry_run)
		return LG_OK;
	return store_mailbox_uidvalidity_set(st, p->c->name, p->f->name,
	    p->uidvalidity, e);
}

static int
imap_folder_uid_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* "UIDVALIDITY UID": the mark is good for this UIDVALIDITY only. */
static int
imap_folder_mark_get(struct imap_poll *p, struct err *e)
{
	struct store *st = p->sink->st;
	unsigned int uv, next;
	char key[512], *v;
	int rc;

	p->from = 1;
	if (p->c->done != IMAP_DONE_SEEN || st == NULL)
		return LG_OK;
	snprintf(key, sizeof(key), MARK_KEY "%s", p->f->name);
	if ((rc = store_state_get(st, p->c->name, key, &v, e)) != LG_OK)
		return rc;
	if (v != NULL && sscanf(v, "%u %u", &uv, &next) == 2 &&
	    uv == p->uidvalidity && next > 0)
		p->from = next;
	free(v);
	return LG_OK;
}

/*
 * After a batch is marked done: move the mark past it. A failed write
 * loses nothing; the UIDs are taken again, known as handled, marked again.
 */
static void
imap_folder_mark_advance(struct imap_poll *p)
{
	uint32_t was = p->from;
	char key[512], v[32];
	struct err why;
	size_t i;

	if (p->c->done != IMAP_DONE_SEEN || p->sink->dry_run)
		return;
	for (i = 0; i < p->nbatch && !p->stuck; i++) {
		if (bsearch(&p->batch[i], p->done, p->ndone, sizeof(*p->done),
		    imap_folder_uid_cmp) == NULL)
			p->stuck = 1;
		else
			p->from = p->batch[i] + 1;
	}
	if (p->from == was)
		return;
	snprintf(key, sizeof(key), MARK_KEY "%s", p->f->name);
	snprintf(v, sizeof(v), "%u %u", p->uidvalidity, p->from);
	if (store_state_set(p->sink->st, p->c->name, key, v, &why) != LG_OK)
		log_warn(MOD, "%s: %s: UID mark not recorded: %s", p->c->name,
		    p->f->name, why.msg);
}

/* Why a fetched message cannot be trusted whole, or NULL. */
static const char *
imap_folder_problem(const char *raw, size_t len, uint32_t size, int truncated,
    char *buf, size_t buflen)
{
	if (raw == NULL)
		return "the server sent no body";
	if (!truncated && len < size) {
		snprintf(buf, buflen, "cut short: %zu of %u bytes "
		    "(RFC822.SIZE) arrived", len, size);
		return buf;
	}
	return NULL;
}

static int
imap_folder_body(void *arg, uint32_t uid, const char *raw, size_t len,
    uint32_t size, int truncated, struct err *e)
{
	struct imap_poll *p = arg;
	struct source_meta m;
	char problem[128];
	struct err why;
	int rc;

	memset(&m, 0, sizeof(m));
	m.connector = p->c->name;
	/* A login that is an address is the mailbox's own: never a prospect. */
	m.mailbox = p->c->user != NULL && strchr(p->c->user, '@') ? p->c->user :
	    NULL;
	m.folder = p->f->name;
	m.uidvalidity = p->uidvalidity;
	m.uid = uid;
	m.truncated = truncated;
	m.problem = imap_folder_problem(raw, len, size, truncated, problem,
	    sizeof(problem));
	err_clear(&why);
	rc = p->sink->mail(p->sink->arg, raw ? raw : "", len, &m, &why);
	p->stats->delivered++;
	if (rc == LG_OK) {
		/* The session hands each UID over once: a bug otherwise. */
		if (p->ndone == p->cap)
			log_fatalx(MOD, "%s: more messages than UIDs asked for",
			    p->c->name);
		p->done[p->ndone++] = uid;
		return LG_OK;
	}
	if (rc == LG_ETEMP) {
		p->sink_stopped = 1;
		return err_set(e, LG_ETEMP, "%s: %s: UID %u not handled now, "
		    "left for the next poll: %s", p->c->name, p->f->name, uid,
		    why.msg);
	}
	/* The contract: a bug downstream; keep the message, go on. */
	log_err(MOD, "%s: %s: UID %u left on the server (%s): %s", p->c->name,
	    p->f->name, uid, err_code_name(rc), why.msg);
	return LG_OK;
}

/* Split a batch into handled-before (straight to done) and fresh. */
static int
imap_folder_split(struct imap_poll *p, const uint32_t *uids, size_t n,
    uint32_t *fresh, size_t *nfresh, struct err *e)
{
	struct store *st = p->sink->st;
	size_t i;
	int rc;

	*nfresh = 0;
	for (i = 0; i < n; i++) {
		rc = st == NULL ? LG_ENOENT : store_mailbox_uid_handled(st,
		    p->c->name, p->f->name, p->uidvalidity, uids[i], e);
		if (rc == LG_ENOENT)
			fresh[(*nfresh)++] = uids[i];
		else if (rc != LG_OK)
			return rc;
		else if (!p->sink->dry_run)
			p->done[p->ndone++] = uids[i];
	}
	return LG_OK;
}

/*
 * Record what the sink took, then mark the batch done on the server. A
 * failed record is not fatal: the sink's own keys (Message-ID or hash)
 * still recognise the message if it comes again.
 */
static int
imap_folder_finish(struct imap_poll *p, size_t nbefore, struct err *e)
{
	struct err why;
	int rc;

	if (p->sink->dry_run || p->ndone == 0)
		return LG_OK;
	if (p->sink->st != NULL && store_mailbox_uids_add(p->sink->st,
	    p->c->name, p->f->name, p->uidvalidity, p->done + nbefore,
	    p->ndone - nbefore, &why) != LG_OK)
		log_warn(MOD, "%s: %s: handled UIDs not recorded: %s",
		    p->c->name, p->f->name, why.msg);
	if (imap_session_broken(p->s))
		return LG_OK;
	/* Nothing is marked done on the server before it is on disk here. */
	if ((rc = source_sink_sync(p->sink, e)) != LG_OK)
		return rc;
	qsort(p->done, p->ndone, sizeof(*p->done), imap_folder_uid_cmp);
	if ((rc = imap_session_mark(p->s, p->done, p->ndone, e)) != LG_OK)
		return rc;
	p->stats->marked += p->ndone;
	imap_folder_mark_advance(p);
	return LG_OK;
}

static int
imap_folder_batch(struct imap_poll *p, const uint32_t *uids, size_t n,
    struct err *e)
{
	uint32_t *fresh = xcalloc(n, sizeof(*fresh));
	size_t nfresh, nbefore;
	int rc;

	p->done = xcalloc(n, sizeof(*p->done));
	p->ndone = 0;
	p->cap = n;
	p->batch = uids;
	p->nbatch = n;
	rc = imap_folder_split(p, uids, n, fresh, &nfresh, e);
	nbefore = p->ndone;
	if (rc == LG_OK && nfresh > 0)
		rc = imap_session_fetch(p->s, fresh, nfresh,
		    imap_folder_body, p, e);
	/* Whatever stopped the fetch, what the sink took gets marked. */
	if (rc == LG_OK)
		rc = imap_folder_finish(p, nbefore, e);
	else if (imap_folder_finish(p, nbefore, NULL) != LG_OK)
		log_warn(MOD, "%s: %s: could not mark %zu handled messages "
		    "done (next poll will)", p->c->name, p->f->name, p->ndone);
	free(p->done);
	p->done = NULL;
	free(fresh);
	return rc;
}

/* The error for a done flag the server would not keep. */
static int
imap_folder_unkept(const char *flag, struct err *e)
{
	int seen = strcmp(flag, "\\Seen") == 0;

	return err_set(e, LG_EPERM, "the server does not keep %s%s in this "
	    "folder (its PERMANENTFLAGS lack it%s): no message could be "
	    "marked done; use %s", seen ? "" : "keyword ", flag,
	    seen ? "" : " and \\*", seen ?
	    "done without seen = true" : "done = { seen = true; } or "
	    "{ move_to = \"...\"; }");
}

static int
imap_folder_select(struct imap_poll *p, struct err *e)
{
	struct imap_selected sel;
	int rc;

	rc = imap_session_select(p->s, p->f, p->sink->dry_run, &sel, e);
	if (rc != LG_OK)
		return rc;
	/* Refused before anything is taken: it could never be marked. */
	if (sel.unkept != NULL)
		return imap_folder_unkept(sel.unkept, e);
	p->uidvalidity = sel.uidvalidity;
	p->stats->uidvalidity = sel.uidvalidity;
	p->stats->uidnext = sel.uidnext;
	if ((rc = imap_folder_uidvalidity(p, e)) != LG_OK)
		return rc;
	return imap_folder_mark_get(p, e);
}

static int
imap_folder_run(struct imap_poll *p, struct err *e)
{
	struct imap_uids cand;
	struct err why;
	size_t i, n, batch = (size_t)p->c->batch;
	int rc;

	if ((rc = imap_folder_select(p, e)) != LG_OK)
		return rc;
	if ((rc = imap_session_search(p->s, p->from, &cand, e)) != LG_OK)
		return rc;
	p->stats->candidates = cand.n;
	/*
	 * Forget UIDs marked done since (or below the mark): the state
	 * stays crash-sized.
	 */
	if (!p->sink->dry_run && p->sink->st != NULL &&
	    store_mailbox_uids_prune(p->sink->st, p->c->name, p->f->name,
	    p->uidvalidity, cand.v, cand.n, &why) != LG_OK)
		log_warn(MOD, "%s: %s: %s", p->c->name, p->f->name, why.msg);
	for (i = 0; i < cand.n && rc == LG_OK; i += n) {
		n = cand.n - i < batch ? cand.n - i : batch;
		rc = imap_folder_batch(p, cand.v + i, n, e);
	}
	imap_session_uids_free(&cand);
	return rc;
}

int
imap_folder_poll(struct imap_session *s, const struct imap_config *c,
    const struct imap_folder *f, const struct connector_sink *sink,
    struct imap_folder_stats *stats, struct err *e)
{
	struct imap_poll p;
	int rc;

	memset(stats, 0, sizeof(*stats));
	memset(&p, 0, sizeof(p));
	p.s = s;
	p.c = c;
	p.f = f;
	p.sink = sink;
	p.stats = stats;
	if (sink->st == NULL && !sink->dry_run)
		return err_set(e, LG_EINTERNAL, "%s: %s: no store for the "
		    "folder state", c->name, f->name);
	rc = imap_folder_run(&p, e);
	stats->news = imap_session_news(s);
	if (stats->delivered > 0 || stats->marked > 0)
		log_info(MOD, "%s: %s: %zu not done, %zu handed over, %zu "
		    "marked done%s", c->name, f->name, stats->candidates,
		    stats->delivered, stats->marked, sink->dry_run ?
		    " (dry run)" : "");
	if (rc != LG_OK && !p.sink_stopped)
		err_prefix(e, "%s: %s", c->name, f->name);
	return rc;
}
