/*
 * Webhooks out (outbound/webhook.c, core/store_sqlite_webhook.c): the
 * signature against vectors computed independently (Python's hmac), the
 * backoff's bounds, and the outbox: an event exists exactly when the
 * change that causes it was committed (a rolled-back lead leaves none),
 * an endpoint takes on only the types it asks for, in order, and an
 * acknowledged delivery is not handed out again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/contact.h"
#include "core/lead.h"
#include "core/store.h"
#include "outbound/webhook.h"
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

int
main(void)
{
	test_sign();
	test_backoff();
	test_outbox();
	return t_done();
}
