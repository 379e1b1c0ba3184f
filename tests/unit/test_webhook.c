/*
 * Webhooks out (outbound/webhook.c, core/store_sqlite_webhook.c): the
 * signature against vectors computed independently (Python's hmac), the
 * backoff's bounds, and the outbox: an event exists exactly when the
 * change that causes it was committed (a rolled-back lead leaves none),
 * an endpoint takes on only the types it asks for, in order, and an
 * acknowledged delivery is not handed out again. Retention: old events
 * every endpoint is done with go, a pending one's and recent ones stay.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/contact.h"
#include "core/lead.h"
#include "core/store.h"
#include "outbound/webhook.h"
#include "util/clock.h"
#include "util/xmalloc.h"
#include "t.h"

static const struct {
	const char *secret, *ts, *body, *want;
} sigs[] = {
	{ "whsec-test", "1772618400", "{\"id\":\"x\"}", "v1="
	    "97b0f1f47e6e695fd4f3c54cc92414e497049a9d142395a9b6454ee006638465" },
	{ "k", "0", "", "v1="
	    "6b4a4b8b3c40f1e8f53a3d36682e5f99f7ad2ac1df1c93dfe336f329167641e7" },
};

static void
test_sign(void)
{
	char got[68];
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		webhook_sign(sigs[i].secret, sigs[i].ts, sigs[i].body, got);
		T_STR(got, sigs[i].want, "signature %zu", i);
	}
}

static void
test_backoff(void)
{
	static const struct {
		int attempts;
		int64_t lo, hi;
	} want[] = { { 1, 5, 10 }, { 2, 10, 20 }, { 3, 20, 40 },
	    { 5, 50, 100 }, { 40, 50, 100 } };
	struct webhook_endpoint ep;
	int64_t d;
	size_t i;
	int k, ok;

	memset(&ep, 0, sizeof(ep));
	ep.backoff_first = 10;
	ep.backoff_max = 100;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ok = 1;
		for (k = 0; k < 200; k++) {
			d = webhook_backoff(&ep, want[i].attempts);
			if (d < want[i].lo || d > want[i].hi)
				ok = 0;
		}
		T_OK(ok, "backoff after %d attempts within %lld..%lld",
		    want[i].attempts, (long long)want[i].lo,
		    (long long)want[i].hi);
	}
}

static int64_t
add_lead(struct store *st, int64_t contact, int commit)
{
	struct lead *l = lead_new();
	struct err e;
	int64_t id;

	l->contact_id = contact;
	l->source = xstrdup("Web");
	l->pipeline = xstrdup("sale");
	l->phase_no = 1;
	store_begin(st, &e);
	if (store_lead_insert(st, l, &e) != LG_OK) {
		fprintf(stderr, "lead: %s\n", e.msg);
		exit(2);
	}
	if (commit)
		store_commit(st, &e);
	else
		store_rollback(st);
	id = l->id;
	lead_free(l);
	return id;
}

static void
test_outbox(void)
{
	const char *dir = t_tmpdir("webhook");
	struct webhook_delivery *d = NULL, *v = NULL;
	struct contact *c = contact_new();
	char db[512];
	struct store *st;
	struct err e;
	size_t n = 0;
	long cnt;
	int rc;

	snprintf(db, sizeof(db), "%s/lg.db", dir);
	if (store_open(db, NULL, &st, &e) != LG_OK) {
		fprintf(stderr, "store: %s\n", e.msg);
		exit(2);
	}
	store_source_add(st, "Web", &e);
	c->first_name = xstrdup("Anna");
	c->last_name = xstrdup("Muster");
	contact_add_email(c, "anna@example.ch", &e);
	if (store_contact_insert(st, c, &e) != LG_OK) {
		fprintf(stderr, "contact: %s\n", e.msg);
		exit(2);
	}

	add_lead(st, c->id, 0);
	rc = store_webhook_next(st, "crm", "lead.created", &d, &e);
	T_INT(rc, LG_ENOENT, "a rolled-back lead left no event");
	add_lead(st, c->id, 1);
	add_lead(st, c->id, 1);

	rc = store_webhook_next(st, "other", "contact.unsubscribed", &d, &e);
	T_INT(rc, LG_ENOENT, "an endpoint takes on no type it did not ask for");
	c->opt_out = 1;
	T_INT(store_contact_update(st, c, &e), LG_OK, "the contact opts out");
	rc = store_webhook_next(st, "other", "contact.unsubscribed", &d, &e);
	T_INT(rc, LG_OK, "after its cursor skipped the others, it gets its own");
	if (rc == LG_OK) {
		T_STR(d->type, "contact.unsubscribed", "contact.unsubscribed");
		T_OK(strstr(d->data, "anna@example.ch") != NULL,
		    "naming the address: %s", d->data);
		store_webhook_rows_free(d, 1);
	}
	rc = store_webhook_next(st, "crm", "lead.phase_changed,lead.created",
	    &d, &e);
	T_INT(rc, LG_OK, "an endpoint takes on the first event of its types");
	if (rc != LG_OK)
		goto out;
	T_STR(d->type, "lead.created", "its type");
	T_STR(d->state, "pending", "pending");
	T_INT((long long)strlen(d->uid), 32, "its id: 32 hex digits");
	T_OK(strstr(d->data, "\"source\":\"Web\"") != NULL,
	    "its data names the source: %s", d->data);
	xstrset(&d->state, "delivered");
	d->last_status = 204;
	T_INT(store_webhook_update(st, d, &e), LG_OK, "acknowledged");
	store_webhook_rows_free(d, 1);
	rc = store_webhook_next(st, "crm", "lead.created", &d, &e);
	T_INT(rc, LG_OK, "then the second lead's event");
	if (rc != LG_OK)
		goto out;
	T_INT(d->event_id, 2, "in order, no id taken by the rolled-back one");
	xstrset(&d->state, "failed");
	d->attempts = 3;
	store_webhook_update(st, d, &e);
	store_webhook_rows_free(d, 1);
	rc = store_webhook_next(st, "crm", "lead.created", &d, &e);
	T_INT(rc, LG_ENOENT, "nothing after a delivered and a failed one");
	T_INT(store_webhook_retry(st, "crm", NULL, &cnt, &e), LG_OK, "retry");
	T_INT(cnt, 1, "one failed delivery pending again");
	rc = store_webhook_next(st, "crm", "lead.created", &d, &e);
	T_INT(rc, LG_OK, "the retried one is handed out");
	if (rc == LG_OK) {
		T_INT(d->attempts, 0, "with its attempts reset");
		store_webhook_rows_free(d, 1);
	}
	store_webhook_list(st, NULL, "delivered", &v, &n, &e);
	T_INT((long long)n, 1, "one delivered in the list");
	store_webhook_rows_free(v, n);
out:
	contact_free(c);
	store_close(st);
}


/* Take the endpoint's next event and leave it in state (NULL: pending). */
static int64_t
take(struct store *st, const char *ep, const char *state)
{
	struct webhook_delivery *d = NULL;
	struct err e;
	int64_t id;

	if (store_webhook_next(st, ep, "lead.created", &d, &e) != LG_OK)
		return 0;
	if (state != NULL) {
		xstrset(&d->state, state);
		store_webhook_update(st, d, &e);
	}
	id = d->event_id;
	store_webhook_rows_free(d, 1);
	return id;
}

/* Whether a delivery of the event to any endpoint is left. */
static int
has_delivery(struct store *st, int64_t event)
{
	struct webhook_delivery *v = NULL;
	struct err e;
	size_t n = 0, i;
	int found = 0;

	store_webhook_list(st, NULL, NULL, &v, &n, &e);
	for (i = 0; i < n; i++)
		if (v[i].event_id == event)
			found = 1;
	store_webhook_rows_free(v, n);
	return found;
}

static void
test_purge(void)
{
	const char *dir = t_tmpdir("webhook-purge");
	struct webhook_endpoint a, b, *eps[2] = { &a, &b };
	struct webhook_set set = { eps, 2, NULL };
	struct contact *c = contact_new();
	struct webhook_delivery *d = NULL;
	char db[512];
	struct store *st;
	struct err e;
	long n = -1;
	int64_t now;
	int i;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.name = "a";
	b.name = "b";
	snprintf(db, sizeof(db), "%s/lg.db", dir);
	if (store_open(db, NULL, &st, &e) != LG_OK) {
		fprintf(stderr, "store: %s\n", e.msg);
		exit(2);
	}
	store_source_add(st, "Web", &e);
	contact_add_email(c, "old@example.ch", &e);
	store_contact_insert(st, c, &e);
	/* Events 1-4 on 1 January, 5 on 1 March; purging on 2 March. */
	setenv("LEADGATE_NOW", "2026-01-01T00:00:00Z", 1);
	for (i = 0; i < 4; i++)
		add_lead(st, c->id, 1);
	setenv("LEADGATE_NOW", "2026-03-01T00:00:00Z", 1);
	add_lead(st, c->id, 1);
	setenv("LEADGATE_NOW", "2026-03-02T00:00:00Z", 1);
	now = clock_now();
	unsetenv("LEADGATE_NOW");

	/* a: 1 delivered, 2 failed, 3 pending; b: all five delivered. */
	T_INT(take(st, "a", "delivered"), 1, "a delivered event 1");
	T_INT(take(st, "a", "failed"), 2, "a gave up on event 2");
	T_INT(take(st, "a", NULL), 3, "a has event 3 pending");
	for (i = 1; i <= 5; i++)
		T_INT(take(st, "b", "delivered"), i, "b delivered event %d", i);

	T_INT(webhook_purge(&set, st, 0, now, &n, &e), LG_OK, "keep 0");
	T_INT(n, 0, "keep_days 0 forgets nothing");
	T_INT(webhook_purge(&set, st, 30, now, &n, &e), LG_OK, "purge");
	T_INT(n, 2, "the old events both endpoints are done with go");
	T_OK(!has_delivery(st, 1) && !has_delivery(st, 2),
	    "with their delivered and failed deliveries");
	T_OK(has_delivery(st, 3), "a pending delivery's event stays");
	T_OK(has_delivery(st, 4), "an old event a has not passed stays");
	T_OK(has_delivery(st, 5), "a recent event stays");
	T_INT(webhook_purge(&set, st, 30, now, &n, &e), LG_OK, "again");
	T_INT(n, 0, "a second run finds nothing");
	T_INT(webhook_purge(&set, st, 90, now, &n, &e), LG_OK, "keep 90");
	T_INT(n, 0, "nothing is older than 90 days");

	/* No endpoint configured: every old event no delivery waits for. */
	T_INT(webhook_purge(NULL, st, 30, now, &n, &e), LG_OK, "no endpoint");
	T_INT(n, 1, "with no endpoint, the old event 4 goes too");
	T_OK(!has_delivery(st, 4), "and its delivery");
	T_OK(has_delivery(st, 3) && has_delivery(st, 5),
	    "the pending and the recent event stay");
	T_INT(store_webhook_next(st, "a", "lead.created", &d, &e), LG_OK,
	    "a still gets its pending event");
	if (d != NULL) {
		T_INT(d->event_id, 3, "event 3, intact");
		store_webhook_rows_free(d, 1);
	}
	contact_free(c);
	store_close(st);
}

int
main(void)
{
	test_sign();
	test_backoff();
	test_outbox();
	test_purge();
	return t_done();
}
