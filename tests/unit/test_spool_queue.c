/* The outgoing state machine and what delivery results do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/norm.h"
#include "core/store.h"
#include "util/xmalloc.h"
#include "spool/queue.h"
#include "t.h"
#include "t_spool.h"

#define NOW "2026-01-05T10:00:00Z"
#define T0 1767607200	/* NOW as unix time */

static const struct queue_policy postfix = { 300, 4000, 432000 };

static int64_t
insert_in(struct store *st, int n, enum outgoing_state state)
{
	struct outgoing *o = t_spool_outgoing(n);
	int64_t id;
	struct err e;

	o->state = state;
	if (store_outgoing_insert(st, o, &e) != LG_OK)
		T_OK(0, "insert %d: %s", n, e.msg);
	id = o->id;
	outgoing_free(o);
	return id;
}

static struct outgoing *
get(struct store *st, int64_t id)
{
	struct outgoing *o = NULL;
	struct err e;

	if (store_outgoing_get(st, id, &o, &e) != LG_OK) {
		T_OK(0, "get %lld: %s", (long long)id, e.msg);
		exit(t_done());
	}
	return o;
}

/* Every (from, to) pair against the moves the issue allows. */
static void
test_transitions(struct store *st)
{
	static const char *const allowed[] = {
		"queued>sent", "queued>deferred", "queued>failed",
		"queued>cancelled", "deferred>sent", "deferred>deferred",
		"deferred>failed", "deferred>cancelled", "deferred>queued",
		"failed>queued", "cancelled>queued", "cancelled>sent",
		"queued>held", "deferred>held", "held>queued",
		"held>cancelled",
	};
	struct queue_move m = { OUT_QUEUED, 1, "250 ok", 42 };
	struct outgoing *o, *g;
	char pair[64];
	int from, to, want, rc, n = 100;
	size_t i;
	struct err e;

	for (from = 0; from < OUT_NSTATES; from++) {
		for (to = 0; to < OUT_NSTATES; to++) {
			snprintf(pair, sizeof(pair), "%s>%s",
			    outgoing_state_name(from), outgoing_state_name(to));
			for (want = 0, i = 0; i < sizeof(allowed) /
			    sizeof(allowed[0]); i++)
				want |= strcmp(allowed[i], pair) == 0;
			o = get(st, insert_in(st, n++, from));
			m.to = to;
			err_clear(&e);
			rc = queue_transition(st, o, &m, &e);
			g = get(st, o->id);
			T_INT(rc, want ? LG_OK : LG_EPERM, "%s %s", pair,
			    want ? "allowed" : "refused");
			T_STR(outgoing_state_name(g->state), want ?
			    outgoing_state_name(to) : outgoing_state_name(from),
			    "%s: stored state", pair);
			if (want)
				T_OK(g->attempts == 1 && g->next_attempt == 42 &&
				    strcmp(g->last_reply, "250 ok") == 0,
				    "%s: attempts, next attempt, reply", pair);
			outgoing_free(o);
			outgoing_free(g);
		}
	}
}

static void
test_backoff(void)
{
	static const struct {
		struct queue_policy p;
		int attempts;
		int64_t want;
	} cases[] = {
		{ { 300, 4000, 0 }, 1, 300 },
		{ { 300, 4000, 0 }, 2, 600 },
		{ { 300, 4000, 0 }, 3, 1200 },
		{ { 300, 4000, 0 }, 4, 2400 },
		{ { 300, 4000, 0 }, 5, 4000 },
		{ { 300, 4000, 0 }, 6, 4000 },
		{ { 300, 4000, 0 }, 1000, 4000 },
		{ { 60, 100, 0 }, 2, 100 },
		{ { 500, 200, 0 }, 1, 200 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_INT(queue_backoff(&cases[i].p, cases[i].attempts),
		    cases[i].want, "backoff %d/%d after %d attempts",
		    cases[i].p.retry_first, cases[i].p.retry_max,
		    cases[i].attempts);
}

/* "action [before>after] remark" of the lead's entries after the first skip. */
static char *
history_after(struct domain *d, size_t skip)
{
	struct buf out = BUF_INIT;
	struct history *h = NULL;
	size_t i, n = 0;

	store_history_list(d->st, 1, 0, &h, &n, NULL);
	for (i = skip; i < n; i++)
		buf_printf(&out, "%s%s [%d>%d] %s", i > skip ? "\n" : "",
		    h[i].action, h[i].phase_before, h[i].phase_after,
		    h[i].remark ? h[i].remark : "");
	store_history_free(h, n);
	return buf_detach(&out);
}

static size_t
history_len(struct domain *d)
{
	struct history *h = NULL;
	size_t n = 0;

	store_history_list(d->st, 1, 0, &h, &n, NULL);
	store_history_free(h, n);
	return n;
}

static void
test_sent(struct domain *d)
{
	struct outgoing *o;
	struct lead *l;
	size_t before = history_len(d);
	char *h;
	struct err e;

	o = get(d->st, insert_in(d->st, 1, OUT_QUEUED));
	xstrset(&o->advance_pipeline, "sale");
	o->advance_phase = 3;
	T_INT(queue_sent(d, o, "250 2.0.0 Ok", 1, &e), LG_OK, "sent");
	store_lead_get(d->st, 1, &l, &e);
	T_INT(l->phase_no, 3, "sent: the lead moved to phase 3");
	lead_free(l);
	h = history_after(d, before);
	T_STR(h, "Réponse à la demande [2>3] 'welcome' to anna@example.com "
	    "(250 2.0.0 Ok)", "sent: the move is the phase's action");
	free(h);
	T_OK(o->sent_at != NULL && o->attempts == 1, "sent: sent_at, attempts");
	outgoing_free(o);

	before = history_len(d);
	o = get(d->st, insert_in(d->st, 2, OUT_QUEUED));
	o->advance_phase = 3;
	T_INT(queue_sent(d, o, "250 2.0.0 Ok", 1, &e), LG_OK, "sent again");
	h = history_after(d, before);
	T_STR(h, "mail sent [0>0] 'welcome' to anna@example.com (250 2.0.0 Ok)",
	    "sent to a lead already there: a note, no move");
	free(h);
	outgoing_free(o);

	before = history_len(d);
	o = get(d->st, insert_in(d->st, 3, OUT_QUEUED));
	xstrset(&o->advance_pipeline, "rental");
	o->advance_phase = 5;
	T_INT(queue_sent(d, o, "250 ok", 1, &e), LG_OK, "sent, other pipeline");
	h = history_after(d, before);
	T_STR(h, "mail sent [0>0] 'welcome' to anna@example.com (250 ok); "
	    "phase unchanged: the lead is in pipeline sale, not rental",
	    "a phase of another pipeline is not applied");
	free(h);
	outgoing_free(o);
}

static void
test_deferred(struct domain *d)
{
	static const struct {
		int64_t age;		/* of the row when the attempt fails */
		int attempts;		/* before it */
		const char *state;
		int64_t next;		/* after T0 */
	} cases[] = {
		{ 0, 0, "deferred", 300 },
		{ 600, 1, "deferred", 600 },
		{ 3600, 4, "deferred", 4000 },
		{ 432000, 9, "deferred", 4000 },
		{ 432001, 9, "failed", -T0 },
	};
	struct outgoing *o;
	char created[CLOCK_ISOLEN];
	int64_t last = 0;
	size_t i;
	struct err e;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		last = insert_in(d->st, 200 + (int)i, OUT_QUEUED);
		o = get(d->st, last);
		o->attempts = cases[i].attempts;
		clock_iso((time_t)(T0 - cases[i].age), created, sizeof(created));
		xstrset(&o->created_at, created);
		err_clear(&e);
		T_INT(queue_deferred(d, o, "451 4.3.0 later", &postfix, T0, &e),
		    LG_OK, "deferred at age %lld", (long long)cases[i].age);
		T_STR(outgoing_state_name(o->state), cases[i].state,
		    "age %lld, %d attempts: state", (long long)cases[i].age,
		    cases[i].attempts);
		T_INT(o->next_attempt - T0, cases[i].next,
		    "age %lld, %d attempts: next attempt", (long long)cases[i].age,
		    cases[i].attempts);
		T_INT(o->attempts, cases[i].attempts + 1, "age %lld: attempts",
		    (long long)cases[i].age);
		outgoing_free(o);
	}
	o = get(d->st, last);
	T_STR(o->last_reply, "gave up after 10 attempts over 432001 s: "
	    "451 4.3.0 later", "give-up: the reason");
	outgoing_free(o);
}

static void
test_failed(struct domain *d)
{
	struct outgoing *o;
	struct contact *c;
	char *reason = NULL, *h;
	size_t before = history_len(d);
	long counts[SF_NCLASSES];
	struct err e;

	o = get(d->st, insert_in(d->st, 300, OUT_QUEUED));
	T_INT(queue_failed(d, o, "550 5.7.1 spam", SF_POLICY, &e), LG_OK,
	    "failed, not the address");
	T_INT(store_suppression_get(d->st, "anna@example.com", &reason, &e),
	    LG_ENOENT, "not the address: not suppressed");
	store_contact_get(d->st, 1, &c, &e);
	T_INT(c->invalid_address, 0, "not the address: contact valid");
	contact_free(c);
	outgoing_free(o);

	o = get(d->st, insert_in(d->st, 301, OUT_DEFERRED));
	xstrset(&o->rcpt, "Anna@Example.COM");
	T_INT(queue_failed(d, o, "550 5.1.1 no such user", SF_MAILBOX, &e), LG_OK,
	    "failed: the address");
	T_INT(store_suppression_get(d->st, "anna@example.com", &reason, &e),
	    LG_OK, "the address is suppressed (normalized)");
	T_STR(reason, "550 5.1.1 no such user", "suppressed with the reply");
	free(reason);
	store_contact_get(d->st, 1, &c, &e);
	T_INT(c->invalid_address, 1, "the contact's address is invalid");
	contact_free(c);
	h = history_after(d, before);
	T_STR(h, "delivery failed [0>0] 'welcome' to anna@example.com: 550 "
	    "5.7.1 spam (policy)\ndelivery failed [0>0] 'welcome' to "
	    "Anna@Example.COM: 550 5.1.1 no such user (mailbox)",
	    "the lead's history says why, with the class");
	free(h);
	T_INT(store_outgoing_class_counts(d->st, counts, &e), LG_OK,
	    "count the classes");
	T_OK(counts[SF_POLICY] == 1 && counts[SF_MAILBOX] == 1 &&
	    counts[SF_CONTENT] == 0, "one policy, one mailbox failure recorded");
	outgoing_free(o);
}

static void
test_retry_cancel(struct domain *d)
{
	struct outgoing *o;
	struct err e;

	o = get(d->st, insert_in(d->st, 400, OUT_FAILED));
	T_INT(queue_retry(d->st, o, T0, &e), LG_OK, "retry a failed message");
	T_OK(o->state == OUT_QUEUED && o->next_attempt == T0 &&
	    o->attempts == 0, "retry: queued, due now, no attempt counted");
	T_INT(queue_cancel(d->st, o, &e), LG_OK, "cancel it");
	T_STR(o->last_reply, "cancelled by hand", "cancel: the reason");
	T_INT(queue_cancel(d->st, o, &e), LG_EPERM, "cancel twice");
	T_OK(strstr(e.msg, " is cancelled and cannot become cancelled") != NULL,
	    "cancel twice: the reason");
	outgoing_free(o);
}

/*
 * An attempt left in flight by a crash: counted and deferred while at
 * most max, then held; the store holds each step, and a retry by hand
 * clears the count.
 */
static void
test_unconfirmed(struct domain *d)
{
	static const struct {
		int max;
		enum outgoing_state want;
		int unconfirmed;
		int64_t next;
	} steps[] = {
		{ 1, OUT_DEFERRED, 1, T0 + 900 },	/* one extra copy may go */
		{ 1, OUT_HELD, 2, 0 },			/* not a second one */
	};
	struct outgoing *o, *g;
	int64_t id = insert_in(d->st, 500, OUT_QUEUED);
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		T_INT(store_outgoing_inflight(d->st, id, T0 - 10, "boot-1", &e), LG_OK,
		    "step %zu: record an attempt", i);
		o = get(d->st, id);
		T_OK(o->inflight == T0 - 10, "step %zu: in flight", i);
		T_INT(queue_unconfirmed(d->st, o, steps[i].max, T0 + 900, &e),
		    LG_OK, "step %zu: unconfirmed", i);
		g = get(d->st, id);
		T_STR(outgoing_state_name(g->state),
		    outgoing_state_name(steps[i].want), "step %zu: state", i);
		T_OK(g->unconfirmed == steps[i].unconfirmed &&
		    g->inflight == 0 && g->attempts == (int)i + 1 &&
		    g->next_attempt == steps[i].next,
		    "step %zu: counted, no longer in flight", i);
		outgoing_free(o);
		outgoing_free(g);
	}
	T_INT(store_outgoing_inflight(d->st, id, T0, "boot-1", &e), LG_OK,
	    "a held message is not marked");
	o = get(d->st, id);
	T_OK(o->inflight == 0, "held: not in flight");
	T_OK(strstr(o->last_reply, "2 attempts without a result") != NULL,
	    "held: the reason");
	T_INT(queue_retry(d->st, o, T0, &e), LG_OK, "retry a held message");
	g = get(d->st, id);
	T_OK(g->state == OUT_QUEUED && g->unconfirmed == 0,
	    "retry: queued, its count cleared");
	outgoing_free(o);
	outgoing_free(g);
	queue_log_drop();
}

int
main(void)
{
	const char *dir = t_tmpdir("spool-queue");
	struct domain d;

	setenv("LEADGATE_NOW", NOW, 1);
	t_spool_domain(dir, &d);
	test_backoff();
	test_sent(&d);
	test_deferred(&d);
	test_failed(&d);
	test_retry_cancel(&d);
	test_transitions(d.st);
	test_unconfirmed(&d);
	queue_log_drop();
	t_spool_domain_close(&d);
	return t_done();
}
