/*
 * The store's operations through the front, the same cases on every
 * backend: SQLite always, PostgreSQL too when tests/run.sh (or the
 * caller) started a throwaway cluster and set LG_TEST_PG_URL and
 * LG_TEST_PG_PASSWORD_FILE. Labels say which backend ran. Each case
 * starts from an empty store (a new file; an emptied schema).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/filter.h"
#include "core/store.h"
#include "util/xmalloc.h"
#include "t.h"

struct backend {
	const char *name;
	char *(*fresh)(int n);		/* the path of an empty store */
	struct store_options opt;
};

static const char *dir;

static char *
sqlite_fresh(int n)
{
	return xasprintf("%s/ops%d.db", dir, n);
}

/*
 * Empty the test database: drop and recreate its schema as the role
 * that owns it, so that store_open() migrates from nothing.
 */
static char *
pg_fresh(int n)
{
	const char *kw[] = { "dbname", "passfile", "password", NULL };
	const char *val[] = { getenv("LG_TEST_PG_URL"), "/dev/null", NULL,
		NULL };
	char *pw = t_slurp(getenv("LG_TEST_PG_PASSWORD_FILE"), NULL);
	PGresult *r;
	PGconn *c;
	int ok;

	if (pw != NULL)
		pw[strcspn(pw, "\n")] = '\0';
	val[2] = pw;
	c = PQconnectdbParams(kw, val, 1);
	free(pw);
	r = PQexec(c, "SET client_min_messages = warning; "
	    "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "pg_fresh: %s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	(void)n;
	return xstrdup(getenv("LG_TEST_PG_URL"));
}

static struct store *
open_fresh(const struct backend *b, int n)
{
	char *p = b->fresh(n);
	struct store *st = NULL;
	struct err e;

	err_clear(&e);
	T_OK(store_open(p, &b->opt, &st, &e) == LG_OK, "%s: store %d opens (%s)",
	    b->name, n, e.msg);
	free(p);
	return st;
}

static int64_t
add_contact(struct store *st, const char *first, const char *last,
    const char *email, const char *city)
{
	struct contact *c = contact_new();
	struct err e;
	int64_t id;

	c->type = CONTACT_PERSON;
	c->kind = KIND_LEAD;
	c->first_name = xstrdup(first);
	c->last_name = xstrdup(last);
	c->city = city ? xstrdup(city) : NULL;
	c->postcode = xstrdup("8001");
	free(c->custom);
	c->custom = xstrdup("{\"budget\": 500000, \"note\": \"x\"}");
	if (email)
		contact_add_email(c, email, &e);
	id = store_contact_insert(st, c, &e) == LG_OK ? c->id : 0;
	contact_free(c);
	return id;
}

static int64_t
add_lead(struct store *st, int64_t contact, const char *source, int phase,
    const char *object)
{
	struct lead *l = lead_new();
	struct err e;
	int64_t id;

	l->contact_id = contact;
	l->pipeline = xstrdup("sales");
	l->phase_no = phase;
	l->status = LEAD_OPEN;
	l->source = xstrdup(source);
	l->object_ref = object ? xstrdup(object) : NULL;
	id = store_lead_insert(st, l, &e) == LG_OK ? l->id : 0;
	lead_free(l);
	return id;
}

static void
case_crm(const struct backend *b)
{
	struct store *st = open_fresh(b, 1);
	struct contact *c = NULL;
	struct lead *l = NULL;
	struct source_row *src = NULL;
	struct history *h = NULL;
	struct new_history nh = { 0, 0, "move", 1, 2, "by hand" };
	struct lead_summary sum;
	struct idlist ids = { 0 };
	char *canon = NULL;
	int64_t a, bb, l1, l2, id = 0;
	size_t n = 0;
	struct err e;
	int ver = 0;

	if (st == NULL)
		return;
	err_clear(&e);
	T_OK(store_schema_version(st, &ver, &e) == LG_OK &&
	    ver == store_schema_latest(), "%s: schema at the latest version",
	    b->name);
	T_OK(store_source_add(st, "ImmoScout24", &e) == LG_OK &&
	    store_source_add(st, "Web", &e) == LG_OK, "%s: sources added",
	    b->name);
	T_INT(store_source_add(st, "immoscout24", &e), LG_EEXIST,
	    "%s: a source differing only in case is a duplicate", b->name);
	T_OK(store_source_get(st, "IMMOSCOUT24", &canon, &e) == LG_OK &&
	    canon && strcmp(canon, "ImmoScout24") == 0,
	    "%s: a source is found whatever its case", b->name);
	free(canon);
	a = add_contact(st, "Anna", "Muster", "Anna@Example.ORG", "Zürich");
	bb = add_contact(st, "Ben", "Beispiel", "ben@example.org", "Bern");
	T_OK(a > 0 && bb > a, "%s: contacts inserted (%lld, %lld)", b->name,
	    (long long)a, (long long)bb);
	T_OK(store_contact_find(st, MATCH_EMAIL, "anna@example.org", &id,
	    &e) == LG_OK && id == a, "%s: found by normalized e-mail",
	    b->name);
	T_OK(store_contact_find(st, MATCH_NAME_POSTCODE, "anna\tMUSTER\t8001",
	    &id, &e) == LG_OK && id == a, "%s: found by name and postcode",
	    b->name);
	T_INT(store_contact_find(st, MATCH_EMAIL, "nobody@example.org", &id,
	    &e), LG_ENOENT, "%s: no match is LG_ENOENT", b->name);
	T_OK(store_contact_get(st, a, &c, &e) == LG_OK && c->nemails == 1 &&
	    strcmp(c->city, "Zürich") == 0, "%s: contact read back", b->name);
	if (c) {
		xstrset(&c->city, "Basel");
		T_OK(store_contact_update(st, c, &e) == LG_OK,
		    "%s: contact updated", b->name);
	}
	contact_free(c);
	l1 = add_lead(st, a, "immoscout24", 1, "OBJ-1");
	l2 = add_lead(st, bb, "Web", 3, NULL);
	T_OK(l1 > 0 && l2 > l1, "%s: leads inserted", b->name);
	T_INT(add_lead(st, a, "Nowhere", 1, NULL), 0,
	    "%s: a lead of an unknown source is refused", b->name);
	T_OK(store_lead_find_open(st, a, "OBJ-1", &id, &e) == LG_OK &&
	    id == l1, "%s: open lead on an object", b->name);
	T_OK(store_lead_find_open(st, bb, NULL, &id, &e) == LG_OK && id == l2,
	    "%s: open lead without an object (NULL matches NULL)", b->name);
	T_OK(store_lead_get(st, l1, &l, &e) == LG_OK &&
	    strcmp(l->source, "ImmoScout24") == 0 && l->phase_no == 1,
	    "%s: lead read back with its canonical source", b->name);
	if (l) {
		l->phase_no = 2;
		T_OK(store_lead_update(st, l, &e) == LG_OK,
		    "%s: lead moved", b->name);
	}
	lead_free(l);
	nh.lead_id = l1;
	nh.contact_id = a;
	T_OK(store_history_add(st, &nh, &id, &e) == LG_OK && id > 0 &&
	    store_history_list(st, l1, 0, &h, &n, &e) == LG_OK && n == 1 &&
	    h[0].phase_after == 2 && strcmp(h[0].remark, "by hand") == 0,
	    "%s: history written and read", b->name);
	store_history_free(h, n);
	idlist_add(&ids, a);
	idlist_add(&ids, bb);
	T_OK(store_lead_summary(st, &ids, &sum, &e) == LG_OK && sum.open == 2 &&
	    sum.won == 0, "%s: lead summary over two contacts", b->name);
	lead_summary_clear(&sum);
	idlist_free(&ids);
	T_OK(store_source_list(st, &src, &n, &e) == LG_OK && n == 2 &&
	    strcmp(src[0].name, "ImmoScout24") == 0 && src[0].leads == 1,
	    "%s: sources listed with their leads", b->name);
	store_source_rows_free(src, n);
	T_INT(store_source_remove(st, "Web", &e), LG_EPERM,
	    "%s: a used source cannot be removed", b->name);
	/*
	 * lead_move writes the phase, the status and closed_at, no more:
	 * between open phases (the status and closed_at as stored), then
	 * to a closed phase.
	 */
	l = NULL;
	if (store_lead_get(st, l2, &l, &e) == LG_OK) {
		l->phase_no = 2;
		xstrset(&l->object_ref, "NOT-WRITTEN");
		T_OK(store_lead_move(st, l, &e) == LG_OK,
		    "%s: lead_move between open phases", b->name);
	}
	lead_free(l);
	l = NULL;
	T_OK(store_lead_get(st, l2, &l, &e) == LG_OK && l->phase_no == 2 &&
	    l->status == LEAD_OPEN && l->closed_at == NULL &&
	    l->object_ref == NULL,
	    "%s: lead_move between open phases: the phase written, the "
	    "rest left", b->name);
	lead_free(l);
	l = NULL;
	if (store_lead_get(st, l2, &l, &e) == LG_OK) {
		l->phase_no = 5;
		l->status = LEAD_WON;
		xstrset(&l->closed_at, "2026-01-05T10:00:00Z");
		xstrset(&l->object_ref, "NOT-WRITTEN");
		T_OK(store_lead_move(st, l, &e) == LG_OK,
		    "%s: lead_move", b->name);
	}
	lead_free(l);
	l = NULL;
	T_OK(store_lead_get(st, l2, &l, &e) == LG_OK && l->phase_no == 5 &&
	    l->status == LEAD_WON && l->closed_at != NULL &&
	    strcmp(l->closed_at, "2026-01-05T10:00:00Z") == 0 &&
	    l->object_ref == NULL && strcmp(l->source, "Web") == 0,
	    "%s: lead_move: phase, status and closed_at written, the rest "
	    "left", b->name);
	if (l) {
		l->id = l2 + 1000;
		T_INT(store_lead_move(st, l, &e), LG_ENOENT,
		    "%s: lead_move of an unknown lead", b->name);
	}
	lead_free(l);
	store_close(st);
}

/* Filters: the same ids on each backend for the same text. */
static void
case_filter(const struct backend *b)
{
	static const struct {
		const char *filter;
		const char *want;	/* contact ids, by insertion order */
	} cases[] = {
		{ "", "1 2 3" },
		{ "city = zürich", "1" },
		{ "city != Bern", "1 3" },
		{ "first_name ~ B*", "2" },
		{ "email = ben@example.org", "2" },
		{ "email != ben@example.org", "1 3" },
		{ "phase >= 2", "2" },
		{ "source = web", "2" },
		{ "not (source = web)", "1 3" },	/* no lead: no source */
		{ "custom.budget >= 500000", "1 2 3" },
		{ "custom.budget > 500000", "" },
		{ "contact.custom.note = X", "1 2 3" },
		{ "status in (open, won)", "1 2" },
		/* No lead has an object: the SQL runs, nothing matches. */
		{ "object.price < 500000", "" },
		{ "object.ref = IS24-77", "" },
		{ "not (object.city = Bern)", "1 2 3" },
	};
	struct store *st = open_fresh(b, 2);
	struct filter *f;
	struct idlist ids;
	char got[64];
	size_t i, k;
	struct err e;
	int rc;

	if (st == NULL)
		return;
	store_source_add(st, "Web", &e);
	store_source_add(st, "Mail", &e);
	add_contact(st, "Anna", "Muster", "anna@example.org", "Zürich");
	add_contact(st, "Ben", "Beispiel", "ben@example.org", "Bern");
	add_contact(st, "Cleo", "Dritte", NULL, NULL);
	add_lead(st, 1, "Mail", 1, NULL);
	add_lead(st, 2, "Web", 2, NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&ids, 0, sizeof(ids));
		f = NULL;
		err_clear(&e);
		rc = filter_parse(cases[i].filter, NULL, &f, &e);
		if (rc == LG_OK)
			rc = store_contacts_query(st, f, &ids, &e);
		got[0] = '\0';
		for (k = 0; k < ids.n; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
			    "%s%lld", k ? " " : "", (long long)ids.v[k]);
		if (rc != LG_OK)
			snprintf(got, sizeof(got), "error: %s", e.msg);
		T_STR(got, cases[i].want, "%s: filter '%s'", b->name,
		    cases[i].filter);
		idlist_free(&ids);
		filter_free(f);
	}
	store_close(st);
}

static void
case_ingest(const struct backend *b)
{
	static const char raw[] = "From: a@b\r\n\r\nbin\0ary\xff";
	struct new_inquiry inq = { "k1", "inbox", "a@b", 0, 0, 0, "r", "new" };
	struct new_quarantine nq = { "inbox", NULL, "k2", "no parse", "f:1",
		NULL, raw, sizeof(raw) - 1 };
	struct store *st = open_fresh(b, 3);
	struct inquiry_row *ir = NULL;
	struct quarantine_row *qr = NULL;
	uint32_t uids[] = { 5, 7, 9 }, keep[] = { 7 }, uv = 0;
	char *v = NULL;
	int64_t id = 0;
	long n = 0;
	struct err e;

	if (st == NULL)
		return;
	err_clear(&e);
	T_OK(store_begin(st, &e) == LG_OK &&
	    store_inquiry_add(st, &inq, &id, &e) == LG_OK &&
	    store_commit(st, &e) == LG_OK && id > 0, "%s: inquiry added in a "
	    "transaction", b->name);
	T_INT(store_inquiry_add(st, &inq, &id, &e), LG_EEXIST,
	    "%s: the same inquiry key twice is LG_EEXIST", b->name);
	T_OK(store_inquiry_find(st, "k1", &ir, &e) == LG_OK && ir &&
	    strcmp(ir->decision, "new") == 0, "%s: inquiry found", b->name);
	store_inquiry_rows_free(ir, 1);
	T_OK(store_inquiry_count_from(st, "a@b", "2000-01-01T00:00:00Z", &n,
	    &e) == LG_OK && n == 1, "%s: inquiries counted by sender",
	    b->name);
	T_OK(store_begin(st, &e) == LG_OK && store_state_set(st, "inbox",
	    "cursor", "1", &e) == LG_OK, "%s: state set in a transaction",
	    b->name);
	store_rollback(st);
	T_OK(store_state_get(st, "inbox", "cursor", &v, &e) == LG_OK &&
	    v == NULL, "%s: a rolled-back write is gone", b->name);
	T_OK(store_quarantine_add(st, &nq, &id, &e) == LG_OK &&
	    store_quarantine_get(st, id, &qr, &e) == LG_OK &&
	    qr->rawlen == sizeof(raw) - 1 &&
	    memcmp(qr->raw, raw, qr->rawlen) == 0, "%s: quarantined bytes come "
	    "back exactly", b->name);
	store_quarantine_rows_free(qr, 1);
	T_OK(store_mailbox_uidvalidity_set(st, "inbox", "INBOX", 42, &e) ==
	    LG_OK && store_mailbox_uidvalidity_get(st, "inbox", "INBOX", &uv,
	    &e) == LG_OK && uv == 42, "%s: uidvalidity kept", b->name);
	T_OK(store_mailbox_uids_add(st, "inbox", "INBOX", 42, uids, 3, &e) ==
	    LG_OK && store_mailbox_uids_add(st, "inbox", "INBOX", 42, uids, 3,
	    &e) == LG_OK, "%s: uids added twice", b->name);
	T_OK(store_mailbox_uid_handled(st, "inbox", "INBOX", 42, 9, &e) ==
	    LG_OK && store_mailbox_uid_handled(st, "inbox", "INBOX", 42, 8,
	    &e) == LG_ENOENT, "%s: handled uids known", b->name);
	T_OK(store_mailbox_uids_prune(st, "inbox", "INBOX", 42, keep, 1, &e) ==
	    LG_OK && store_mailbox_uid_handled(st, "inbox", "INBOX", 42, 7,
	    &e) == LG_OK && store_mailbox_uid_handled(st, "inbox", "INBOX", 42,
	    9, &e) == LG_ENOENT, "%s: prune keeps only the given uids",
	    b->name);
	store_close(st);
}

static void
case_outgoing(const struct backend *b)
{
	struct store *st = open_fresh(b, 4);
	struct outgoing *o = outgoing_new(), *v = NULL;
	long counts[OUT_NSTATES];
	int64_t when = 0;
	size_t n = 0;
	struct err e;

	if (st == NULL) {
		outgoing_free(o);
		return;
	}
	err_clear(&e);
	o->dedup_key = xstrdup("auto:1");
	o->rcpt = xstrdup("anna@example.org");
	o->sender = xstrdup("office@example.com");
	o->rule = xstrdup("welcome");
	o->next_attempt = 100;
	T_OK(store_outgoing_insert(st, o, &e) == LG_OK && o->id > 0,
	    "%s: outgoing queued", b->name);
	T_INT(store_outgoing_insert(st, o, &e), LG_EEXIST,
	    "%s: the same dedup key twice is LG_EEXIST", b->name);
	T_OK(store_outgoing_due(st, 200, 0, 10, &v, &n, &e) == LG_OK && n == 1,
	    "%s: due", b->name);
	store_outgoing_rows_free(v, n);
	T_OK(store_outgoing_next_due(st, &when, &e) == LG_OK && when == 100,
	    "%s: next due", b->name);
	o->state = OUT_SENT;
	xstrset(&o->sent_at, "2026-01-01T00:00:00Z");
	T_OK(store_outgoing_update(st, o, &e) == LG_OK &&
	    store_outgoing_counts(st, counts, &e) == LG_OK &&
	    counts[OUT_SENT] == 1, "%s: sent counted", b->name);
	T_OK(store_outgoing_list(st, 1u << OUT_SENT, &v, &n, &e) == LG_OK &&
	    n == 1, "%s: listed by state", b->name);
	store_outgoing_rows_free(v, n);
	T_OK(store_suppression_add(st, "x@example.org", "bounce", &e) ==
	    LG_OK && store_suppression_add(st, "x@example.org", "other", &e) ==
	    LG_OK, "%s: suppression added twice", b->name);
	outgoing_free(o);
	store_close(st);
}

static void
case_api(const struct backend *b)
{
	struct new_api_token t = { "crm", "read", "ab12", NULL };
	struct store *st = open_fresh(b, 5);
	struct api_token tok, *v = NULL;
	char *body = NULL;
	int64_t id = 0;
	size_t n = 0;
	struct err e;
	int status = 0;

	if (st == NULL)
		return;
	err_clear(&e);
	T_OK(store_api_token_add(st, &t, &id, &e) == LG_OK && id > 0,
	    "%s: API token added", b->name);
	T_OK(store_api_token_by_hash(st, "ab12", &tok, &e) == LG_OK &&
	    tok.id == id && strcmp(tok.scope, "read") == 0,
	    "%s: API token found by hash", b->name);
	free(tok.name);
	free(tok.scope);
	free(tok.source);
	free(tok.created_at);
	T_OK(store_api_idem_put(st, id, "k", 201, "{}", &e) == LG_OK &&
	    store_api_idem_get(st, id, "k", &status, &body, &e) == LG_OK &&
	    status == 201 && strcmp(body, "{}") == 0, "%s: idempotency key "
	    "kept", b->name);
	free(body);
	T_OK(store_api_token_remove(st, "crm", &e) == LG_OK &&
	    store_api_token_list(st, &v, &n, &e) == LG_OK && n == 0,
	    "%s: API token removed with its keys", b->name);
	store_api_tokens_free(v, n);
	T_INT(store_api_token_remove(st, "crm", &e), LG_ENOENT,
	    "%s: removing it again is LG_ENOENT", b->name);
	store_close(st);
}

/* Users, sessions, failed logins and the windowed funnel (migration 11). */
static void
case_users(const struct backend *b)
{
	struct report_window w = { "sales", "web", NULL, NULL };
	struct store *st = open_fresh(b, 6);
	struct user u, *v = NULL;
	struct user_session ss;
	struct report_row *rr = NULL;
	size_t n = 0;
	int64_t id = 0, c;
	long fails = -1;
	struct err e;

	if (st == NULL)
		return;
	err_clear(&e);
	T_OK(store_user_add(st, "zoe", "agent", "h1", &id, &e) == LG_OK &&
	    store_user_add(st, "Anna", "admin", "h2", NULL, &e) == LG_OK &&
	    id > 0, "%s: users added", b->name);
	T_INT(store_user_add(st, "zoe", "agent", "h3", NULL, &e), LG_EEXIST,
	    "%s: a taken user name is LG_EEXIST", b->name);
	T_OK(store_user_update(st, "zoe", NULL, NULL, "de", &e) == LG_OK &&
	    store_user_get(st, "zoe", &u, &e) == LG_OK &&
	    strcmp(u.hash, "h1") == 0 && u.language != NULL &&
	    strcmp(u.language, "de") == 0, "%s: user updated, hash kept",
	    b->name);
	free(u.name);
	free(u.role);
	free(u.hash);
	free(u.language);
	free(u.created_at);
	T_OK(store_user_list(st, &v, &n, &e) == LG_OK && n == 2 &&
	    strcmp(v[0].name, "Anna") == 0 && v[0].hash == NULL,
	    "%s: users listed by name, without hashes", b->name);
	store_users_free(v, n);
	T_OK(store_session_add(st, "s1", id, "csrf1", 100, &e) == LG_OK &&
	    store_session_touch(st, "s1", 150, &e) == LG_OK &&
	    store_session_get(st, "s1", &ss, &e) == LG_OK &&
	    strcmp(ss.user.name, "zoe") == 0 && ss.seen == 150 &&
	    ss.created == 100, "%s: session added, touched, found", b->name);
	store_user_session_clear(&ss);
	T_OK(store_user_update(st, "zoe", "h9", NULL, NULL, &e) == LG_OK &&
	    store_session_get(st, "s1", &ss, &e) == LG_ENOENT,
	    "%s: a new password ends the user's sessions", b->name);
	T_OK(store_login_fail_add(st, "k", 10, 0, &e) == LG_OK &&
	    store_login_fail_add(st, "k", 20, 0, &e) == LG_OK &&
	    store_login_fail_add(st, "k", 30, 15, &e) == LG_OK &&
	    store_login_fail_count(st, "k", 0, &fails, &e) == LG_OK &&
	    fails == 2, "%s: failed logins counted, old ones forgotten",
	    b->name);
	T_INT(store_user_remove(st, "nobody", &e), LG_ENOENT,
	    "%s: removing an unknown user is LG_ENOENT", b->name);
	store_source_add(st, "Web", &e);
	store_source_add(st, "Other", &e);
	c = add_contact(st, "Eva", "Muster", "eva@example.org", NULL);
	add_lead(st, c, "Web", 1, NULL);
	add_lead(st, c, "Web", 1, NULL);
	add_lead(st, c, "Other", 1, NULL);
	T_OK(store_report_window(st, &w, &rr, &n, &e) == LG_OK && n == 1 &&
	    rr[0].open == 2 && strcmp(rr[0].source, "Web") == 0,
	    "%s: the funnel window counts one source by name", b->name);
	store_report_free(rr, n);
	store_close(st);
}

/* Objects, profiles, turns, arrivals and a paused campaign (12, 13, 15). */
static void
case_objects(const struct backend *b)
{
	struct store *st = open_fresh(b, 7);
	struct object *o = object_new(), *g = NULL;
	struct search_profile *sp = search_profile_new(), *pv = NULL;
	struct phase_arrival a;
	struct idlist ids = { 0 };
	int64_t c, l, found = 0;
	long turn = -1, turn2 = -1;
	size_t n = 0;
	struct err e;

	if (st == NULL) {
		object_free(o);
		search_profiles_free(sp, 1);
		return;
	}
	err_clear(&e);
	o->ref = xstrdup("OBJ-1");
	o->price = 850000.5;
	o->rooms = 3.5;
	object_alias_add(o, "IS24-77");
	T_OK(store_object_save(st, o, &e) == LG_OK && o->id > 0 &&
	    store_object_find(st, "IS24-77", &found, &e) == LG_OK &&
	    found == o->id, "%s: object saved, found by alias", b->name);
	T_OK(store_object_get(st, o->id, &g, &e) == LG_OK &&
	    g->price == 850000.5 && g->area == OBJ_UNSET &&
	    g->naliases == 1, "%s: object read back, unset stays unset",
	    b->name);
	object_free(g);
	store_source_add(st, "Web", &e);
	c = add_contact(st, "Eva", "Muster", "eva@example.org", NULL);
	l = add_lead(st, c, "Web", 1, "IS24-77");
	T_OK(store_object_leads(st, o->id, &ids, &e) == LG_OK &&
	    ids.n == 1 && ids.v[0] == l, "%s: the lead naming the alias is "
	    "the object's", b->name);
	idlist_free(&ids);
	sp->contact_id = c;
	sp->rooms_min = 3;
	T_OK(store_profile_add(st, sp, &e) == LG_OK && sp->id > 0 &&
	    store_profiles_list(st, c, &pv, &n, &e) == LG_OK && n == 1 &&
	    pv[0].rooms_min == 3 && pv[0].price_max == OBJ_UNSET,
	    "%s: search profile added and listed", b->name);
	search_profiles_free(pv, n);
	T_OK(store_profile_remove(st, sp->id, &e) == LG_OK &&
	    store_profile_remove(st, sp->id, &e) == LG_ENOENT,
	    "%s: search profile removed once", b->name);
	T_OK(store_assign_turn(st, "p", &turn, &e) == LG_OK &&
	    store_assign_turn(st, "p", &turn2, &e) == LG_OK && turn == 0 &&
	    turn2 == 1, "%s: turns go round", b->name);
	T_OK(store_arrival_next(st, 0, &a, &e) == LG_OK && a.lead_id == l &&
	    a.phase_no == 1, "%s: a new lead arrives in its phase", b->name);
	found = a.id;
	phase_arrival_clear(&a);
	T_OK(store_arrival_done(st, found, &e) == LG_OK &&
	    store_arrival_next(st, 0, &a, &e) == LG_ENOENT,
	    "%s: an arrival done is not next again", b->name);
	phase_arrival_clear(&a);
	T_INT(store_campaign_set_paused(st, "none", 1, &e), LG_ENOENT,
	    "%s: pausing an unknown campaign is LG_ENOENT", b->name);
	object_free(o);
	search_profiles_free(sp, 1);
	store_close(st);
}

/* Leases: taken once, renewed by their holder, taken over when expired. */
static void
case_lease(const struct backend *b)
{
	struct store *st = open_fresh(b, 3);
	struct lease_row *v = NULL;
	size_t n = 0;
	int got = -1, got2 = -1;
	struct err e;

	if (st == NULL)
		return;
	err_clear(&e);
	T_OK(store_lease_take(st, "inbox", "a:1", 1000, 30, &got, &e) ==
	    LG_OK && got == 1, "%s: a free lease is taken", b->name);
	T_OK(store_lease_take(st, "inbox", "b:2", 1010, 30, &got, &e) ==
	    LG_OK && got == 0, "%s: a held lease is not taken by another",
	    b->name);
	T_OK(store_lease_take(st, "inbox", "a:1", 1020, 30, &got, &e) ==
	    LG_OK && got == 1, "%s: its holder takes it again", b->name);
	T_OK(store_lease_renew(st, "inbox", "a:1", 1040, 30, &e) == LG_OK,
	    "%s: its holder renews it", b->name);
	T_INT(store_lease_renew(st, "inbox", "b:2", 1040, 30, &e), LG_ENOENT,
	    "%s: another cannot renew it", b->name);
	T_OK(store_lease_take(st, "inbox", "b:2", 1069, 30, &got, &e) ==
	    LG_OK && got == 0, "%s: not taken over before it expires",
	    b->name);
	T_OK(store_lease_take(st, "inbox", "b:2", 1070, 30, &got, &e) ==
	    LG_OK && got == 1 && store_lease_take(st, "inbox", "a:1", 1071,
	    30, &got2, &e) == LG_OK && got2 == 0, "%s: taken over once "
	    "expired, and the old holder lost it", b->name);
	T_INT(store_lease_renew(st, "inbox", "a:1", 1072, 30, &e), LG_ENOENT,
	    "%s: the old holder cannot renew it", b->name);
	T_OK(store_lease_take(st, "portal", "a:1", 1072, 10, &got, &e) ==
	    LG_OK && store_lease_list(st, &v, &n, &e) == LG_OK && n == 2 &&
	    strcmp(v[0].name, "inbox") == 0 && strcmp(v[0].holder, "b:2") ==
	    0 && v[0].taken_at == 1070 && v[0].expires_at == 1100 &&
	    strcmp(v[1].holder, "a:1") == 0 && v[1].expires_at == 1082,
	    "%s: leases listed with holders and times", b->name);
	store_lease_rows_free(v, n);
	T_OK(store_lease_release(st, "inbox", "a:1", &e) == LG_OK &&
	    store_lease_release(st, "portal", "a:1", &e) == LG_OK &&
	    store_lease_list(st, &v, &n, &e) == LG_OK && n == 1 &&
	    strcmp(v[0].holder, "b:2") == 0, "%s: released only by its "
	    "holder", b->name);
	store_lease_rows_free(v, n);
	T_OK(store_begin(st, &e) == LG_OK && store_spool_guard(st, 0, &e) ==
	    LG_OK && store_spool_guard(st, 0, &e) == LG_OK &&
	    store_commit(st, &e) == LG_OK && store_begin(st, &e) == LG_OK &&
	    store_spool_guard(st, 1, &e) == LG_OK && store_commit(st, &e) ==
	    LG_OK, "%s: the spool guard, shared twice and then exclusive",
	    b->name);
	store_close(st);
}

/*
 * The webhook outbox: events come from the triggers (a lead inserted),
 * endpoints take them on by type, deliveries fail, are retried, are
 * delivered and are purged.
 */
static void
case_webhook(const struct backend *b)
{
	struct store *st = open_fresh(b, 9);
	struct webhook_delivery *d = NULL, *v = NULL;
	const char *eps[] = { "crm", "idle" };
	int64_t contact, lead, ev;
	long cnt = 0;
	size_t n = 0;
	struct err e;

	if (st == NULL)
		return;
	err_clear(&e);
	contact = add_contact(st, "Anna", "Muster", "anna@example.org", NULL);
	lead = store_source_add(st, "Web", &e) == LG_OK ?
	    add_lead(st, contact, "Web", 1, NULL) : 0;
	T_OK(contact > 0 && lead > 0, "%s: webhook: a lead to announce",
	    b->name);
	T_INT(store_webhook_next(st, "chat", "contact.unsubscribed", &d, &e),
	    LG_ENOENT, "%s: webhook: no event of an unwanted type", b->name);
	T_OK(d == NULL, "%s: webhook: nothing handed out", b->name);
	err_clear(&e);
	T_OK(store_webhook_next(st, "crm", "x.y,lead.created", &d, &e) ==
	    LG_OK && d != NULL && strcmp(d->type, "lead.created") == 0 &&
	    strcmp(d->state, "pending") == 0 && strcmp(d->endpoint, "crm") ==
	    0 && d->uid != NULL && strlen(d->uid) == 32 && d->data != NULL &&
	    strstr(d->data, "\"lead_id\"") != NULL && d->attempts == 0,
	    "%s: webhook: the lead's event taken on (%s)", b->name, e.msg);
	if (d == NULL) {
		store_close(st);
		return;
	}
	ev = d->event_id;
	store_webhook_rows_free(d, 1);
	d = NULL;
	T_OK(store_webhook_next(st, "crm", "lead.created", &d, &e) == LG_OK &&
	    d != NULL && d->event_id == ev, "%s: webhook: asked again, the "
	    "same pending delivery", b->name);
	if (d != NULL) {
		xstrset(&d->state, "failed");
		d->attempts = 3;
		d->next_attempt = 1234567890;
		d->last_status = 503;
		xstrset(&d->last_error, "HTTP 503");
		T_OK(store_webhook_update(st, d, &e) == LG_OK,
		    "%s: webhook: delivery updated", b->name);
		d->event_id += 1000;
		T_INT(store_webhook_update(st, d, &e), LG_ENOENT,
		    "%s: webhook: updating no delivery is LG_ENOENT", b->name);
		store_webhook_rows_free(d, 1);
		d = NULL;
	}
	T_INT(store_webhook_next(st, "crm", "lead.created", &d, &e), LG_ENOENT,
	    "%s: webhook: a failed delivery is not handed out again",
	    b->name);
	T_OK(store_webhook_list(st, NULL, "failed", &v, &n, &e) == LG_OK &&
	    n == 1 && v[0].attempts == 3 && v[0].last_status == 503 &&
	    v[0].next_attempt == 1234567890 && v[0].last_error != NULL &&
	    strcmp(v[0].last_error, "HTTP 503") == 0,
	    "%s: webhook: the failed delivery listed with its state", b->name);
	store_webhook_rows_free(v, n);
	T_OK(store_webhook_list(st, "chat", NULL, &v, &n, &e) == LG_OK &&
	    n == 0, "%s: webhook: another endpoint has none", b->name);
	store_webhook_rows_free(v, n);
	T_OK(store_webhook_retry(st, "crm", "no-such-uid", &cnt, &e) ==
	    LG_OK && cnt == 0, "%s: webhook: retry of another uid: 0",
	    b->name);
	T_OK(store_webhook_retry(st, NULL, NULL, &cnt, &e) == LG_OK &&
	    cnt == 1, "%s: webhook: retry of every failed one: 1", b->name);
	T_OK(store_webhook_next(st, "crm", "lead.created", &d, &e) == LG_OK &&
	    d != NULL && d->event_id == ev && d->attempts == 0 &&
	    strcmp(d->state, "pending") == 0,
	    "%s: webhook: retried, pending with no attempts", b->name);
	/* Not purged while pending, nor while an endpoint has no cursor. */
	T_OK(store_webhook_purge(st, eps, 1, "9999-01-01T00:00:00Z", &cnt,
	    &e) == LG_OK && cnt == 0, "%s: webhook: a pending event is kept",
	    b->name);
	if (d != NULL) {
		xstrset(&d->state, "delivered");
		d->last_status = 200;
		xstrset(&d->last_error, NULL);
		T_OK(store_webhook_update(st, d, &e) == LG_OK,
		    "%s: webhook: delivered", b->name);
		store_webhook_rows_free(d, 1);
		d = NULL;
	}
	T_INT(store_webhook_next(st, "crm", "lead.created", &d, &e), LG_ENOENT,
	    "%s: webhook: nothing left to deliver", b->name);
	T_OK(store_webhook_purge(st, eps, 2, "9999-01-01T00:00:00Z", &cnt,
	    &e) == LG_OK && cnt == 0, "%s: webhook: kept while an endpoint "
	    "has not passed it", b->name);
	T_OK(store_webhook_purge(st, eps, 1, "2000-01-01T00:00:00Z", &cnt,
	    &e) == LG_OK && cnt == 0, "%s: webhook: kept when newer than the "
	    "limit", b->name);
	T_OK(store_webhook_purge(st, eps, 1, "9999-01-01T00:00:00Z", &cnt,
	    &e) == LG_OK && cnt == 1, "%s: webhook: purged once delivered",
	    b->name);
	T_OK(store_webhook_list(st, NULL, NULL, &v, &n, &e) == LG_OK &&
	    n == 0, "%s: webhook: its delivery purged too", b->name);
	store_webhook_rows_free(v, n);
	store_close(st);
}

/* The lead_id of an event's JSON data (either backend's spacing). */
static int64_t
data_lead(const char *data)
{
	const char *p = strstr(data, "\"lead_id\"");

	if (p == NULL)
		return -1;
	p += strlen("\"lead_id\"");
	p += strspn(p, " :");
	return strtoll(p, NULL, 10);
}

/*
 * PostgreSQL: ids are drawn when an event is written, but commit in any
 * order. An event still being written (a second connection's open
 * transaction) holds the cursor back: a later event committed meanwhile
 * is not taken on before it, and both come, in id order, once it is in.
 */
static void
case_webhook_order(const struct backend *b)
{
	struct store *st = open_fresh(b, 10), *st2 = NULL;
	struct webhook_delivery *d = NULL;
	int64_t contact, early = 0, late;
	char *url;
	struct err e;
	int rc;

	if (st == NULL)
		return;
	err_clear(&e);
	url = xstrdup(getenv("LG_TEST_PG_URL"));
	contact = add_contact(st, "Ben", "Beispiel", "ben@example.org", NULL);
	T_OK(contact > 0 && store_source_add(st, "Web", &e) == LG_OK &&
	    store_open(url, &b->opt, &st2, &e) == LG_OK,
	    "%s: webhook order: a second connection (%s)", b->name, e.msg);
	free(url);
	if (st2 == NULL) {
		store_close(st);
		return;
	}
	T_OK(store_begin(st2, &e) == LG_OK &&
	    (early = add_lead(st2, contact, "Web", 1, NULL)) > 0,
	    "%s: webhook order: an event written, not committed", b->name);
	late = add_lead(st, contact, "Web", 2, NULL);
	T_OK(late > 0, "%s: webhook order: a later event committed", b->name);
	rc = store_webhook_next(st, "crm", "lead.created", &d, &e);
	T_OK(rc == LG_ETEMP && d == NULL, "%s: webhook order: the later "
	    "event waits for the earlier one (%d, %s)", b->name, rc,
	    rc == LG_OK ? "taken on" : e.msg);
	store_webhook_rows_free(d, d ? 1 : 0);
	d = NULL;
	T_OK(store_commit(st2, &e) == LG_OK, "%s: webhook order: the earlier "
	    "one committed", b->name);
	T_OK(store_webhook_next(st, "crm", "lead.created", &d, &e) == LG_OK &&
	    d != NULL && data_lead(d->data) == early,
	    "%s: webhook order: the earlier event first", b->name);
	if (d != NULL) {
		xstrset(&d->state, "delivered");
		store_webhook_update(st, d, &e);
		store_webhook_rows_free(d, 1);
		d = NULL;
	}
	T_OK(store_webhook_next(st, "crm", "lead.created", &d, &e) == LG_OK &&
	    d != NULL && data_lead(d->data) == late,
	    "%s: webhook order: then the later one", b->name);
	store_webhook_rows_free(d, d ? 1 : 0);
	store_close(st2);
	store_close(st);
}

/* Row n (1-based) for the claim cases: queued, due at once. */
static int64_t
add_out(struct store *st, int n)
{
	struct outgoing *o = outgoing_new();
	struct err e;
	int64_t id;

	o->dedup_key = xasprintf("claim:%d", n);
	o->rcpt = xasprintf("r%d@example.org", n);
	o->sender = xstrdup("office@example.com");
	o->rule = xstrdup("welcome");
	id = store_outgoing_insert(st, o, &e) == LG_OK ? o->id : 0;
	outgoing_free(o);
	return id;
}

/* The ids of v[0..n-1], "1,2", and whether every row is owner's. */
static char *
ids_of(const struct outgoing *v, size_t n, const char *owner, int *mine)
{
	char *s = xstrdup(""), *t;
	size_t i;

	*mine = 1;
	for (i = 0; i < n; i++) {
		t = xasprintf("%s%s%lld", s, i ? "," : "", (long long)v[i].id);
		free(s);
		s = t;
		if (v[i].owner == NULL || strcmp(v[i].owner, owner) != 0)
			*mine = 0;
	}
	return s;
}

/*
 * Several instances delivering from one store: claims (one owner's rows
 * are not another's until the claim runs out), the recovery of attempts
 * in flight (only one's own or run-out ones), and the texts kept in the
 * store. On PostgreSQL a second connection claims while the first one's
 * claim is not committed: it gets other rows, without waiting.
 */
static void
case_claims(const struct backend *b)
{
	struct store *st = open_fresh(b, 10), *st2 = NULL;
	struct outgoing *v = NULL, *o = NULL;
	char *p, *ids, *msg = NULL;
	size_t n = 0, len = 0;
	int i, mine = 0;
	long dropped = -1;
	struct err e;

	if (st == NULL)
		return;
	err_clear(&e);
	for (i = 1; i <= 4; i++)
		add_out(st, i);
	T_OK(store_outgoing_claim(st, "h:/a", 1000, 1030, 1, 0, 2, &v, &n,
	    &e) == LG_OK, "%s: claim by a (%s)", b->name, e.msg);
	ids = ids_of(v, n, "h:/a", &mine);
	T_OK(strcmp(ids, "1,2") == 0 && mine && v[0].claim_until == 1030,
	    "%s: a claims the first two rows: %s", b->name, ids);
	free(ids);
	store_outgoing_rows_free(v, n);
	T_OK(store_outgoing_claim(st, "h:/b", 1010, 1040, 1, 0, 10, &v, &n,
	    &e) == LG_OK, "%s: claim by b", b->name);
	ids = ids_of(v, n, "h:/b", &mine);
	T_OK(strcmp(ids, "3,4") == 0 && mine, "%s: b gets the other two, "
	    "not a's: %s", b->name, ids);
	free(ids);
	store_outgoing_rows_free(v, n);
	T_OK(store_outgoing_claim(st, "h:/a", 1020, 1050, 1, 0, 10, &v, &n,
	    &e) == LG_OK && n == 2, "%s: a may claim its own rows again",
	    b->name);
	store_outgoing_rows_free(v, n);
	T_OK(store_outgoing_inflight(st, 1, 1020, "boot", &e) == LG_OK &&
	    store_outgoing_claim(st, "h:/b", 1060, 1090, 1, 0, 10, &v, &n,
	    &e) == LG_OK, "%s: an attempt in flight on row 1", b->name);
	ids = ids_of(v, n, "h:/b", &mine);
	T_OK(strcmp(ids, "2,3,4") == 0, "%s: once a's claim ran out b claims "
	    "its rows, but not one in flight: %s", b->name, ids);
	free(ids);
	store_outgoing_rows_free(v, n);
	T_OK(store_outgoing_orphans(st, "h:/b", 1040, &v, &n, &e) == LG_OK &&
	    n == 0, "%s: a's attempt is not b's to recover while a's claim "
	    "holds", b->name);
	store_outgoing_rows_free(v, n);
	T_OK(store_outgoing_orphans(st, "h:/a", 1040, &v, &n, &e) == LG_OK &&
	    n == 1 && v[0].id == 1, "%s: but a's own (its predecessor's)",
	    b->name);
	store_outgoing_rows_free(v, n);
	T_OK(store_outgoing_claim_renew(st, "h:/a", 1045, 1100, &e) == LG_OK &&
	    store_outgoing_orphans(st, "h:/b", 1060, &v, &n, &e) == LG_OK &&
	    n == 0, "%s: a renewed its claim: still not b's", b->name);
	store_outgoing_rows_free(v, n);
	T_OK(store_outgoing_orphans(st, "h:/b", 1100, &v, &n, &e) == LG_OK &&
	    n == 1 && v[0].id == 1 && v[0].owner != NULL &&
	    strcmp(v[0].owner, "h:/a") == 0, "%s: run out: b recovers a's "
	    "attempt, and sees whose it was", b->name);
	store_outgoing_rows_free(v, n);

	/* Texts in the store: bytes as given, dropped once sent. */
	T_OK(store_outgoing_body_put(st, 1, "a\r\n\0b", 5, &e) == LG_OK &&
	    store_outgoing_body_get(st, 1, &msg, &len, &e) == LG_OK &&
	    len == 5 && memcmp(msg, "a\r\n\0b", 5) == 0, "%s: a text kept "
	    "and read back byte for byte", b->name);
	free(msg);
	msg = NULL;
	T_OK(store_outgoing_body_drop(st, 0, &dropped, &e) == LG_OK &&
	    dropped == 0, "%s: an unsent message's text stays", b->name);
	T_OK(store_outgoing_get(st, 1, &o, &e) == LG_OK, "%s: row 1",
	    b->name);
	if (o != NULL) {
		o->state = OUT_SENT;
		o->inflight = 0;
		T_OK(store_outgoing_update(st, o, &e) == LG_OK &&
		    store_outgoing_body_drop(st, 0, &dropped, &e) == LG_OK &&
		    dropped == 1 && store_outgoing_body_get(st, 1, &msg, &len,
		    &e) == LG_ENOENT, "%s: a sent message's text goes",
		    b->name);
		free(msg);
		outgoing_free(o);
	}
	if (strcmp(b->name, "postgresql") != 0) {
		store_close(st);
		return;
	}
	/* Two instances claiming at once get different rows. */
	add_out(st, 5);
	add_out(st, 6);
	p = b->fresh == NULL ? NULL : xstrdup(getenv("LG_TEST_PG_URL"));
	T_OK(p != NULL && store_open(p, &b->opt, &st2, &e) == LG_OK,
	    "%s: a second connection", b->name);
	free(p);
	if (st2 == NULL) {
		store_close(st);
		return;
	}
	T_OK(store_begin(st, &e) == LG_OK && store_outgoing_claim(st, "h:/c",
	    2000, 2030, 1, 4, 1, &v, &n, &e) == LG_OK && n == 1 &&
	    v[0].id == 5, "%s: c claims row 5, not committed yet", b->name);
	store_outgoing_rows_free(v, n);
	err_clear(&e);
	T_OK(store_outgoing_claim(st2, "h:/d", 2000, 2030, 1, 4, 10, &v, &n,
	    &e) == LG_OK, "%s: d claims meanwhile (%s)", b->name, e.msg);
	ids = ids_of(v, n, "h:/d", &mine);
	T_OK(strcmp(ids, "6") == 0, "%s: d skips c's locked row 5 and takes "
	    "6: %s", b->name, ids);
	free(ids);
	store_outgoing_rows_free(v, n);
	T_OK(store_commit(st, &e) == LG_OK, "%s: c commits", b->name);
	store_close(st2);
	store_close(st);
}

/* Row id, now in state st, due at next. */
static int
set_state(struct store *st, int64_t id, enum outgoing_state to, int64_t next)
{
	struct outgoing *o = NULL;
	struct err e;
	int rc;

	if ((rc = store_outgoing_get(st, id, &o, &e)) != LG_OK)
		return rc;
	o->state = to;
	o->next_attempt = next;
	rc = store_outgoing_update(st, o, &e);
	outgoing_free(o);
	return rc;
}

/*
 * A claim takes due rows of both waiting states in one id order, after
 * the cursor and up to the limit: queued and deferred rows interleave,
 * sent ones and those not due yet are passed over.
 */
static void
case_claim_order(const struct backend *b)
{
	static const struct {
		enum outgoing_state state;
		int64_t next;
	} rows[] = {
		{ OUT_QUEUED, 0 }, { OUT_DEFERRED, 900 }, { OUT_SENT, 0 },
		{ OUT_DEFERRED, 5000 }, { OUT_QUEUED, 0 }, { OUT_DEFERRED, 990 },
		{ OUT_QUEUED, 0 },
	};
	static const struct {
		int64_t after;
		size_t limit;
		const char *want;
	} cases[] = {
		{ 0, 10, "1,2,5,6,7" },
		{ 0, 3, "1,2,5" },
		{ 2, 2, "5,6" },
		{ 6, 10, "7" },
		{ 7, 10, "" },
	};
	struct store *st = open_fresh(b, 11);
	struct outgoing *v = NULL;
	size_t i, n = 0;
	char *ids;
	int mine;
	struct err e;

	if (st == NULL)
		return;
	err_clear(&e);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		T_OK(add_out(st, (int)i + 1) == (int64_t)i + 1 &&
		    set_state(st, (int64_t)i + 1, rows[i].state,
		    rows[i].next) == LG_OK, "%s: claim order: row %zu",
		    b->name, i + 1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		T_OK(store_outgoing_claim(st, "h:/a", 1000, 1030, 1,
		    cases[i].after, cases[i].limit, &v, &n, &e) == LG_OK,
		    "%s: claim after %lld (%s)", b->name,
		    (long long)cases[i].after, e.msg);
		ids = ids_of(v, n, "h:/a", &mine);
		T_OK(strcmp(ids, cases[i].want) == 0, "%s: claim after %lld, "
		    "limit %zu: %s, want %s", b->name,
		    (long long)cases[i].after, cases[i].limit, ids,
		    cases[i].want);
		free(ids);
		store_outgoing_rows_free(v, n);
		v = NULL;
		n = 0;
	}
	store_close(st);
}

static void
run(const struct backend *b)
{
	case_lease(b);
	case_claims(b);
	case_claim_order(b);
	case_crm(b);
	case_filter(b);
	case_ingest(b);
	case_outgoing(b);
	case_api(b);
	case_users(b);
	case_objects(b);
	case_webhook(b);
	if (strcmp(b->name, "postgresql") == 0)
		case_webhook_order(b);
}

int
main(void)
{
	struct backend sqlite = { "sqlite", sqlite_fresh,
		{ 5000, 0, NULL, NULL, NULL } };
	struct backend pg = { "postgresql", pg_fresh,
		{ 5000, 0, NULL, NULL, NULL } };

	dir = t_tmpdir("store_ops");
	run(&sqlite);
	if (getenv("LG_TEST_PG_URL") != NULL && *getenv("LG_TEST_PG_URL")) {
		pg.opt.password_file = getenv("LG_TEST_PG_PASSWORD_FILE");
		run(&pg);
	} else {
		printf("ok - postgresql: skipped, LG_TEST_PG_URL is not set\n");
	}
	return t_done();
}
