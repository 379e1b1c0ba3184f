/*
 * core/intake.c against a real SQLite store: which contact an inquiry
 * finds again under each deduplication policy and what it fills in, the
 * lead it gets (or the open lead on the same object), and that the
 * contact and lead handed back are exactly what the store holds, so that
 * nobody needs to read them again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/domain.h"
#include "core/intake.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "core/view.h"
#include "util/norm.h"
#include "util/xmalloc.h"
#include "t.h"

static struct domain d;

static const struct intake_policy all = { 1, 1, 1, 1 };

/* One inquiry's prospect, and its lead, as ingest would map them. */
struct who {
	const char *first, *last, *email, *phone, *postcode, *city;
};

/* The normalized forms the intake borrows. */
struct norms {
	char email[NORM_EMAIL_MAX + 1];
	char phone[NORM_PHONE_MAX + 1];
	struct contact_addr ph;
};

static void
intake_of(const struct who *w, struct intake *in, struct norms *n)
{
	memset(in, 0, sizeof(*in));
	memset(n, 0, sizeof(*n));
	in->connector = "inbox";
	in->rule = "direct e-mail";
	in->first_name = w->first;
	in->last_name = w->last;
	in->postcode = w->postcode;
	in->city = w->city;
	in->email = w->email;
	if (w->email && norm_email(w->email, n->email, sizeof(n->email),
	    NULL) == LG_OK)
		in->email_norm = n->email;
	if (w->phone && norm_phone(w->phone, "CH", n->phone, sizeof(n->phone),
	    NULL) == LG_OK) {
		n->ph.given = (char *)w->phone;
		n->ph.norm = n->phone;
		in->phones = &n->ph;
		in->nphones = 1;
	}
	in->source = "Homegate";
}

/* The copy equals the stored contact, field for field. */
static int
contact_as_stored(const struct contact *c)
{
	struct contact *s;
	json_t *a, *b;
	int eq;

	if (store_contact_get(d.st, c->id, &s, NULL) != LG_OK)
		return 0;
	a = view_contact(c);
	b = view_contact(s);
	eq = json_equal(a, b);
	json_decref(a);
	json_decref(b);
	contact_free(s);
	return eq;
}

static int
lead_as_stored(const struct lead *l)
{
	struct lead *s;
	json_t *a, *b;
	int eq;

	if (store_lead_get(d.st, l->id, &s, NULL) != LG_OK)
		return 0;
	a = view_lead(l, d.pl);
	b = view_lead(s, d.pl);
	eq = json_equal(a, b);
	json_decref(a);
	json_decref(b);
	lead_free(s);
	return eq;
}

/* intake_contact() in its own transaction; the contact's id, or 0. */
static int64_t
contact_for(const struct intake_policy *p, const struct who *w,
    char *decision, size_t len, int *as_stored)
{
	struct contact *c = NULL;
	struct intake in;
	struct norms n;
	struct err e;
	int64_t id = 0;

	intake_of(w, &in, &n);
	err_clear(&e);
	decision[0] = '\0';
	if (store_begin(d.st, &e) != LG_OK)
		return 0;
	if (intake_contact(&d, p, &in, &c, decision, len, &e) == LG_OK &&
	    store_commit(d.st, &e) == LG_OK) {
		id = c->id;
		*as_stored = contact_as_stored(c);
	} else {
		store_rollback(d.st);
	}
	contact_free(c);
	return id;
}

static int
history_has(int64_t lead, int64_t contact, const char *action,
    const char *remark)
{
	struct history *h;
	size_t i, n;
	int found = 0;

	if (store_history_list(d.st, lead, contact, &h, &n, NULL) != LG_OK)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(h[i].action, action) == 0 && (remark == NULL ||
		    (h[i].remark && strcmp(h[i].remark, remark) == 0)))
			found++;
	store_history_free(h, n);
	return found;
}

/* Which contact each inquiry finds, in order (each new one is kept). */
static void
test_matching(void)
{
	static const struct {
		const char *label;
		struct intake_policy p;
		struct who w;
		const char *want;
	} cases[] = {
		{ "a first inquiry", { 1, 1, 1, 1 }, { "Anna", "Muster",
		    "anna.muster@example.ch", "044 123 45 67", "8001", NULL },
		    "new contact 1" },
		{ "the same e-mail", { 1, 1, 1, 1 }, { NULL, NULL,
		    "anna.muster@example.ch", NULL, NULL, NULL },
		    "matched contact 1 by e-mail anna.muster@example.ch" },
		{ "the same e-mail, written otherwise", { 1, 1, 1, 1 }, { NULL,
		    NULL, "Anna.Muster@EXAMPLE.CH", NULL, NULL, NULL },
		    "matched contact 1 by e-mail anna.muster@example.ch" },
		{ "e-mail off: a new contact", { 0, 1, 1, 1 }, { NULL, NULL,
		    "anna.muster@example.ch", NULL, NULL, NULL },
		    "new contact 2" },
		{ "the same phone, written otherwise", { 1, 1, 1, 1 }, { NULL,
		    NULL, NULL, "+41 44 123 45 67", NULL, NULL },
		    "matched contact 1 by phone +41441234567" },
		{ "phone off: a new contact", { 1, 0, 1, 1 }, { NULL, NULL,
		    NULL, "044 123 45 67", NULL, NULL }, "new contact 3" },
		{ "an unknown e-mail, a known phone", { 1, 1, 1, 1 }, { NULL,
		    NULL, "max@example.ch", "044 123 45 67", NULL, NULL },
		    "matched contact 1 by phone +41441234567" },
		{ "e-mail before phone", { 1, 1, 1, 1 }, { NULL, NULL,
		    "anna.muster@example.ch", "079 555 66 77", NULL, NULL },
		    "matched contact 1 by e-mail anna.muster@example.ch" },
		{ "name and postcode, in any case", { 1, 1, 1, 1 }, { "anna",
		    "MUSTER", NULL, "079 111 22 33", "8001", NULL },
		    "matched contact 1 by name and postcode 8001" },
		{ "name and postcode off", { 1, 1, 0, 1 }, { "Anna", "Muster",
		    NULL, "079 222 33 44", "8001", NULL }, "new contact 4" },
		{ "name without postcode", { 1, 1, 1, 1 }, { "Anna", "Muster",
		    NULL, "079 333 44 55", NULL, NULL }, "new contact 5" },
		{ "another postcode", { 1, 1, 1, 1 }, { "Anna", "Muster", NULL,
		    "079 444 55 66", "3000", NULL }, "new contact 6" },
	};
	char decision[320];
	size_t i;
	int stored;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		stored = 0;
		T_OK(contact_for(&cases[i].p, &cases[i].w, decision,
		    sizeof(decision), &stored) != 0, "match: %s: done",
		    cases[i].label);
		T_STR(decision, cases[i].want, "match: %s", cases[i].label);
		T_OK(stored, "match: %s: the contact handed back is the "
		    "stored one", cases[i].label);
	}
}

/* What a contact found again takes from the inquiry, and what it keeps. */
static void
test_merge(void)
{
	static const struct who lea = { "Lea", "Keller", "lea@keller.example",
	    "044 987 65 43", NULL, NULL };
	static const struct {
		const char *label;
		struct who w;
		const char *want;	/* the history remark, NULL: none */
	} cases[] = {
		{ "a city and a second e-mail", { "Leana", NULL,
		    "lea@work.example", "044 987 65 43", NULL, "Bern" },
		    "from an inquiry: city, e-mail lea@work.example" },
		{ "nothing new", { "Lea", "Keller", "lea@work.example",
		    "044 987 65 43", NULL, "Bern" }, NULL },
		{ "only the phone is new", { NULL, NULL, "lea@keller.example",
		    "079 999 88 77", NULL, NULL },
		    "from an inquiry: phone +41799998877" },
	};
	struct contact *c;
	char decision[320];
	size_t i, before, after;
	int64_t id, got;
	int stored;

	if ((id = contact_for(&all, &lea, decision, sizeof(decision),
	    &stored)) == 0) {
		T_OK(0, "merge: a contact to merge into");
		return;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		before = history_has(0, id, "updated", NULL);
		stored = 0;
		got = contact_for(&all, &cases[i].w, decision, sizeof(decision),
		    &stored);
		T_OK(got == id && stored, "merge: %s: the same contact, as "
		    "stored (%s)", cases[i].label, decision);
		after = history_has(0, id, "updated", NULL);
		T_INT((long long)after, (long long)before +
		    (cases[i].want != NULL), "merge: %s: history entries",
		    cases[i].label);
		if (cases[i].want)
			T_OK(history_has(0, id, "updated", cases[i].want) == 1,
			    "merge: %s: says '%s'", cases[i].label,
			    cases[i].want);
	}
	if (store_contact_get(d.st, id, &c, NULL) != LG_OK) {
		T_OK(0, "merge: the contact is readable");
		return;
	}
	T_STR(c->first_name, "Lea", "merge: a first name is never replaced");
	T_STR(c->city, "Bern", "merge: a missing city is filled in");
	T_INT((long long)c->nemails, 2, "merge: one e-mail address added");
	T_INT((long long)c->nphones, 2, "merge: one phone added");
	contact_free(c);
}

struct lead_case {
	const char *label;
	const char *source, *pipeline, *object;
	int phase;
	int rc;
	const char *want;	/* the lead's source, or part of the error */
	int want_phase;
	const char *want_action;	/* in the history */
};

/* intake_lead() for contact 1 in its own transaction: the lead id. */
static int64_t
lead_for(const struct lead_case *lc, struct err *e, int *as_stored)
{
	struct contact *c = NULL;
	struct lead *l = NULL;
	struct intake in;
	struct norms n;
	struct who w = { NULL, NULL, "anna.muster@example.ch", NULL, NULL,
	    NULL };
	char decision[320];
	int64_t id = 0;
	int rc;

	intake_of(&w, &in, &n);
	in.source = lc->source;
	in.pipeline = lc->pipeline;
	in.object_ref = lc->object;
	in.phase = lc->phase;
	in.message = "Ist die Wohnung noch frei?";
	in.custom = "{\"subject\":\"Wohnung\"}";
	err_clear(e);
	if (store_begin(d.st, e) != LG_OK)
		return 0;
	if ((rc = intake_contact(&d, &all, &in, &c, decision, sizeof(decision),
	    e)) == LG_OK)
		rc = intake_lead(&d, &in, c, decision, &l, e);
	if (rc == LG_OK && store_commit(d.st, e) == LG_OK) {
		id = l->id;
		*as_stored = lead_as_stored(l) && contact_as_stored(c) &&
		    c->prospect == PROSPECT_CURRENT;
		T_STR(l->source, lc->want, "lead: %s: source", lc->label);
		T_INT(l->phase_no, lc->want_phase, "lead: %s: phase",
		    lc->label);
	} else {
		store_rollback(d.st);
	}
	if (rc != LG_OK)
		e->code = rc;
	lead_free(l);
	contact_free(c);
	return id;
}

static void
test_lead(void)
{
	static const struct lead_case cases[] = {
		{ "the default pipeline's initial phase", "homegate", NULL,
		    "OBJ-1", 0, LG_OK, "Homegate", 2, "Demande reçue" },
		{ "a pipeline and phase of the rule", "Homegate", "rental",
		    "OBJ-2", 3, LG_OK, "Homegate", 3,
		    "Réponse à la demande" },
		{ "an unknown pipeline", "Homegate", "boats", "OBJ-3", 0,
		    LG_EPERM, "unknown pipeline 'boats'", 0, NULL },
		{ "an unknown phase", "Homegate", NULL, "OBJ-3", 42, LG_EPERM,
		    "has no phase 42", 0, NULL },
		{ "an unknown source", "Nowhere", NULL, "OBJ-3", 0, LG_EPERM,
		    "unknown source 'Nowhere'", 0, NULL },
	};
	struct err e;
	size_t i;
	int64_t id;
	int stored;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		stored = 0;
		id = lead_for(&cases[i], &e, &stored);
		if (cases[i].rc == LG_OK) {
			T_OK(id != 0, "lead: %s: added (%s)", cases[i].label,
			    e.msg);
			T_OK(stored, "lead: %s: lead and contact handed back "
			    "as stored", cases[i].label);
			T_OK(history_has(id, 0, cases[i].want_action, "inquiry "
			    "via inbox, rule direct e-mail: matched contact 1 "
			    "by e-mail anna.muster@example.ch") == 1,
			    "lead: %s: its creation in the history",
			    cases[i].label);
		} else {
			T_OK(id == 0 && e.code == cases[i].rc &&
			    strstr(e.msg, cases[i].want), "lead: %s: refused "
			    "(%s)", cases[i].label, e.msg);
		}
	}
}

static void
test_open_lead(void)
{
	static const struct {
		const char *label;
		struct intake_policy p;
		const char *object;
		int64_t want;
	} cases[] = {
		{ "the same object", { 1, 1, 1, 1 }, "OBJ-1", 1 },
		{ "the other lead's object", { 1, 1, 1, 1 }, "OBJ-2", 2 },
		{ "another object", { 1, 1, 1, 1 }, "OBJ-9", 0 },
		{ "no object", { 1, 1, 1, 1 }, NULL, 0 },
		{ "same_object off", { 1, 1, 1, 0 }, "OBJ-1", 0 },
	};
	struct intake in;
	struct norms n;
	struct who w = { NULL, NULL, NULL, NULL, NULL, NULL };
	struct err e;
	size_t i;

	intake_of(&w, &in, &n);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		in.object_ref = cases[i].object;
		T_INT((long long)intake_open_lead(&d, &cases[i].p, &in, 1),
		    (long long)cases[i].want, "open lead: %s", cases[i].label);
	}
	in.object_ref = "OBJ-1";
	in.message = "Noch eine Frage.";
	err_clear(&e);
	T_OK(store_begin(d.st, &e) == LG_OK &&
	    intake_lead_note(&d, 1, &in, "matched contact 1 by e-mail x",
	    &e) == LG_OK && store_commit(d.st, &e) == LG_OK &&
	    history_has(1, 0, "inquiry", "another inquiry on OBJ-1 via inbox "
	    "(matched contact 1 by e-mail x): Noch eine Frage.") == 1,
	    "open lead: the inquiry noted in its history (%s)", e.msg);
}

static void
test_source(void)
{
	static const struct {
		const char *name;
		int created;
	} cases[] = {
		{ "Website", 1 },
		{ "Website", 0 },
		{ "website", 0 },
		{ "Homegate", 0 },
	};
	struct err e;
	size_t i;
	int created;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		created = -1;
		err_clear(&e);
		T_OK(store_begin(d.st, &e) == LG_OK &&
		    intake_source(&d, cases[i].name, &created, &e) == LG_OK &&
		    store_commit(d.st, &e) == LG_OK &&
		    created == cases[i].created, "source %s: %s (%s)",
		    cases[i].name, cases[i].created ? "created" : "there",
		    e.msg);
	}
}

int
main(void)
{
	struct pipelines *pl;
	char db[4200];
	struct err e;

	err_clear(&e);
	if (pipelines_load(t_path("etc/pipelines.conf"), &pl, &e) != LG_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	snprintf(db, sizeof(db), "%s/t.db", t_tmpdir("intake"));
	if (store_open(db, NULL, &d.st, &e) != LG_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	d.pl = pl;
	d.country = "CH";
	store_source_add(d.st, "Homegate", &e);
	test_matching();
	test_merge();
	test_lead();
	test_open_lead();
	test_source();
	store_close(d.st);
	pipelines_free(pl);
	return t_done();
}
