/* The store's outgoing and suppression operations (SQLite backend). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "core/store.h"
#include "util/xmalloc.h"
#include "t.h"
#include "t_spool.h"

/* "1,2,6": the ids of rows, for one-line comparisons. */
static const char *
ids_of(const struct outgoing *v, size_t n)
{
	static char buf[256];
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used,
		    "%s%lld", i ? "," : "", (long long)v[i].id);
	return buf;
}

static void
test_roundtrip(struct store *st)
{
	struct outgoing *o = t_spool_outgoing(1), *g = NULL;
	struct err e;

	err_clear(&e);
	o->rule = xstrdup("portal-reply");
	o->advance_pipeline = xstrdup("sale");
	o->advance_phase = 3;
	T_INT(store_outgoing_insert(st, o, &e), LG_OK, "insert");
	T_INT(o->id, 1, "insert sets the id");
	T_OK(o->created_at != NULL, "insert sets created_at");
	T_INT(store_outgoing_get(st, 1, &g, &e), LG_OK, "get");
	T_STR(g->dedup_key, "k1", "get: key");
	T_STR(g->sender, "info@agency.example", "get: sender");
	T_STR(g->rcpt, "anna@example.com", "get: rcpt");
	T_STR(g->template, "welcome", "get: template");
	T_STR(g->rule, "portal-reply", "get: rule");
	T_INT(g->lead_id, 1, "get: lead");
	T_INT(g->contact_id, 1, "get: contact");
	T_INT(g->campaign_id, 0, "get: no campaign");
	T_STR(g->advance_pipeline, "sale", "get: advance pipeline");
	T_INT(g->advance_phase, 3, "get: advance phase");
	T_STR(outgoing_state_name(g->state), "queued", "get: state");
	T_OK(g->sent_at == NULL && g->last_reply == NULL, "get: not sent");
	outgoing_free(g);

	T_INT(store_outgoing_insert(st, o, &e), LG_EEXIST, "same key again");
	T_STR(e.msg, "outgoing message 'k1' is already queued",
	    "same key again: reason");

	o->state = OUT_DEFERRED;
	o->attempts = 2;
	o->next_attempt = 1234;
	xstrset(&o->last_reply, "450 4.3.0 try later");
	xstrset(&o->spool_name, "1");
	T_INT(store_outgoing_update(st, o, &e), LG_OK, "update");
	T_INT(store_outgoing_get(st, 1, &g, &e), LG_OK, "get after update");
	T_STR(outgoing_state_name(g->state), "deferred", "update: state");
	T_INT(g->attempts, 2, "update: attempts");
	T_INT(g->next_attempt, 1234, "update: next attempt");
	T_STR(g->last_reply, "450 4.3.0 try later", "update: reply");
	T_STR(g->spool_name, "1", "update: spool name");
	outgoing_free(g);
	o->id = 99;
	T_INT(store_outgoing_update(st, o, &e), LG_ENOENT, "update a missing row");
	T_INT(store_outgoing_get(st, 99, &g, &e), LG_ENOENT, "get a missing row");
	outgoing_free(o);
}

/* Rows 2..6 in these states and times (row 1 is deferred at 1234). */
static void
seed_states(struct store *st)
{
	static const struct {
		enum outgoing_state state;
		int64_t next;
	} rows[] = {
		{ OUT_QUEUED, 0 },	/* 2 */
		{ OUT_SENT, 0 },	/* 3 */
		{ OUT_FAILED, 0 },	/* 4 */
		{ OUT_CANCELLED, 0 },	/* 5 */
		{ OUT_QUEUED, 2000 },	/* 6 */
	};
	struct outgoing *o;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		o = t_spool_outgoing((int)i + 2);
		o->state = rows[i].state;
		o->next_attempt = rows[i].next;
		if (store_outgoing_insert(st, o, &e) != LG_OK)
			T_OK(0, "seed row %zu: %s", i + 2, e.msg);
		outgoing_free(o);
	}
}

static void
test_list(struct store *st)
{
	static const struct {
		const char *label;
		unsigned states;
		const char *want;
	} cases[] = {
		{ "every row", 0, "1,2,3,4,5,6" },
		{ "queued", 1u << OUT_QUEUED, "2,6" },
		{ "queued or deferred", 1u << OUT_QUEUED | 1u << OUT_DEFERRED,
		    "1,2,6" },
		{ "sent", 1u << OUT_SENT, "3" },
		{ "failed or cancelled", 1u << OUT_FAILED | 1u << OUT_CANCELLED,
		    "4,5" },
	};
	struct outgoing *v;
	struct err e;
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = NULL;
		n = 0;
		if (store_outgoing_list(st, cases[i].states, &v, &n, &e) != LG_OK)
			T_OK(0, "list %s: %s", cases[i].label, e.msg);
		T_STR(ids_of(v, n), cases[i].want, "list %s", cases[i].label);
		store_outgoing_rows_free(v, n);
	}
}

static void
test_due(struct store *st)
{
	static const struct {
		const char *label;
		int64_t now, after;
		size_t limit;
		const char *want;
	} cases[] = {
		{ "only what is due at once", 0, 0, 10, "2" },
		{ "a deferred row once its time comes", 1234, 0, 10, "1,2" },
		{ "before its time", 1233, 0, 10, "2" },
		{ "everything waiting", 5000, 0, 10, "1,2,6" },
		{ "after a cursor", 5000, 1, 10, "2,6" },
		{ "a limit", 5000, 0, 2, "1,2" },
		{ "past the last", 5000, 6, 10, "" },
	};
	struct outgoing *v;
	struct err e;
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = NULL;
		n = 0;
		if (store_outgoing_due(st, cases[i].now, cases[i].after,
		    cases[i].limit, &v, &n, &e) != LG_OK)
			T_OK(0, "due %s: %s", cases[i].label, e.msg);
		T_STR(ids_of(v, n), cases[i].want, "due: %s", cases[i].label);
		store_outgoing_rows_free(v, n);
	}
}

static void
test_next_due_and_counts(struct store *st)
{
	long counts[OUT_NSTATES];
	struct outgoing *o;
	int64_t when = -1;
	struct err e;

	T_INT(store_outgoing_next_due(st, &when, &e), LG_OK, "next due");
	T_INT(when, 0, "next due: the queued row, at once");
	T_INT(store_outgoing_counts(st, counts, &e), LG_OK, "counts");
	T_INT(counts[OUT_QUEUED], 2, "counts: queued");
	T_INT(counts[OUT_DEFERRED], 1, "counts: deferred");
	T_INT(counts[OUT_SENT], 1, "counts: sent");
	T_INT(counts[OUT_FAILED], 1, "counts: failed");
	T_INT(counts[OUT_CANCELLED], 1, "counts: cancelled");
	store_outgoing_get(st, 2, &o, &e);
	o->state = OUT_SENT;
	store_outgoing_update(st, o, &e);
	outgoing_free(o);
	T_INT(store_outgoing_next_due(st, &when, &e), LG_OK, "next due later");
	T_INT(when, 1234, "next due: the deferred row");
}

static void
test_next_due_none(const char *dir)
{
	struct domain d;
	int64_t when;
	struct err e;
	char sub[4096];

	snprintf(sub, sizeof(sub), "%s/empty", dir);
	mkdir(sub, 0700);
	t_spool_domain(sub, &d);
	T_INT(store_outgoing_next_due(d.st, &when, &e), LG_ENOENT,
	    "next due: none waiting");
	t_spool_domain_close(&d);
}

static void
test_suppression(struct store *st)
{
	struct suppression_row *v = NULL;
	char *reason = NULL;
	struct err e;
	size_t n = 0;

	T_INT(store_suppression_add(st, "anna@example.com", "550 no such user",
	    &e), LG_OK, "suppress");
	T_INT(store_suppression_add(st, "anna@example.com", "later reason",
	    &e), LG_OK, "suppress again");
	T_INT(store_suppression_get(st, "anna@example.com", &reason, &e), LG_OK,
	    "listed");
	T_STR(reason, "550 no such user", "the first reason stays");
	free(reason);
	T_INT(store_suppression_get(st, "bob@example.com", &reason, &e),
	    LG_ENOENT, "not listed");
	T_OK(reason == NULL, "not listed: no reason");
	store_suppression_add(st, "bob@example.com", "bounced", &e);
	T_INT(store_suppression_list(st, &v, &n, &e), LG_OK, "list");
	T_INT((long long)n, 2, "list: both");
	if (n == 2) {
		T_STR(v[0].address, "anna@example.com", "list: oldest first");
		T_STR(v[1].reason, "bounced", "list: reasons");
	}
	store_suppression_rows_free(v, n);
}

/* Fast commits, then one sync: both work on a live store. */
static void
test_fast_commit(struct store *st)
{
	struct outgoing *o = t_spool_outgoing(50), *g = NULL;
	struct err e;

	err_clear(&e);
	T_INT(store_fast_commit(st, &e), LG_OK, "fast commits on");
	T_INT(store_begin(st, &e), LG_OK, "fast commit: begin");
	T_INT(store_outgoing_insert(st, o, &e), LG_OK, "fast commit: insert");
	T_INT(store_commit(st, &e), LG_OK, "fast commit: commit");
	T_INT(store_sync(st, &e), LG_OK, "sync");
	T_INT(store_outgoing_get(st, o->id, &g, &e), LG_OK,
	    "fast commit: the row is there");
	outgoing_free(g);
	outgoing_free(o);
}

/* A sent row at sent_at, of campaign 1 or of none. */
static void
sent_row(struct store *st, int n, int campaign, enum outgoing_state state,
    const char *sent_at)
{
	struct outgoing *o = t_spool_outgoing(n);
	struct err e;

	o->campaign_id = campaign;
	o->state = state;
	if (store_outgoing_insert(st, o, &e) != LG_OK)
		T_OK(0, "sent_since row %d: %s", n, e.msg);
	xstrset(&o->sent_at, sent_at);
	if (store_outgoing_update(st, o, &e) != LG_OK)
		T_OK(0, "sent_since row %d: %s", n, e.msg);
	outgoing_free(o);
}

static void
test_sent_since(const char *dir)
{
	static const struct {
		int campaign_only;
		const char *since;
		long want;
	} cases[] = {
		{ 0, "2026-01-05T09:00:00Z", 3 },
		{ 1, "2026-01-05T09:00:00Z", 2 },
		{ 1, "2026-01-05T09:30:00Z", 1 },
		{ 1, "2026-01-05T07:00:00Z", 3 },
		{ 0, "2026-01-05T10:00:01Z", 0 },
	};
	char *sub = xasprintf("%s/sent-since", dir), *db;
	struct domain d;
	sqlite3 *h;
	struct err e;
	size_t i;
	long n;

	mkdir(sub, 0700);
	t_spool_domain(sub, &d);
	db = xasprintf("%s/lg.db", sub);
	T_INT(sqlite3_open(db, &h), SQLITE_OK, "sent_since: open %s", db);
	T_INT(sqlite3_exec(h, "INSERT INTO campaigns (id, name, filter, "
	    "template, created_at, updated_at) VALUES (1, 'c', '', 't', "
	    "'2026-01-05T08:00:00Z', '2026-01-05T08:00:00Z')", NULL, NULL,
	    NULL), SQLITE_OK, "sent_since: a campaign");
	sqlite3_close(h);
	sent_row(d.st, 200, 0, OUT_SENT, "2026-01-05T09:10:00Z");
	sent_row(d.st, 201, 1, OUT_SENT, "2026-01-05T08:00:00Z");
	sent_row(d.st, 202, 1, OUT_SENT, "2026-01-05T09:00:00Z");
	sent_row(d.st, 203, 1, OUT_SENT, "2026-01-05T10:00:00Z");
	sent_row(d.st, 204, 1, OUT_QUEUED, NULL);
	sent_row(d.st, 205, 1, OUT_FAILED, "2026-01-05T10:00:00Z");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err_clear(&e);
		T_INT(store_outgoing_sent_since(d.st, cases[i].campaign_only,
		    cases[i].since, &n, &e), LG_OK, "sent_since %s %s",
		    cases[i].campaign_only ? "campaign" : "all", cases[i].since);
		T_INT(n, cases[i].want, "sent_since %s %s: count",
		    cases[i].campaign_only ? "campaign" : "all", cases[i].since);
	}
	t_spool_domain_close(&d);
	free(db);
	free(sub);
}

int
main(void)
{
	const char *dir = t_tmpdir("spool-store");
	struct domain d;

	t_spool_domain(dir, &d);
	test_roundtrip(d.st);
	seed_states(d.st);
	test_list(d.st);
	test_due(d.st);
	test_next_due_and_counts(d.st);
	test_suppression(d.st);
	test_fast_commit(d.st);
	t_spool_domain_close(&d);
	test_next_due_none(dir);
	test_sent_since(dir);
	return t_done();
}
