/*
 * The CRM's domain rules against a real SQLite store: status derivation,
 * the manual restrictions, company and employee together, required fields,
 * phase moves and their history, conversion. Each refused operation must
 * leave the store unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "util/xmalloc.h"
#include "t.h"

static struct domain d;

/* The pure derivation, as a table. */
static void
test_derive(void)
{
	static const struct {
		const char *label;
		int open, won, lost;
		enum lead_status last_closed;
		enum client_state cur_c;
		int just_won;
		enum prospect_state want_p;
		enum client_state want_c;
	} cases[] = {
		{ "no leads", 0, 0, 0, LEAD_OPEN, CLIENT_NONE, 0,
		    PROSPECT_NONE, CLIENT_NONE },
		{ "one open lead", 1, 0, 0, LEAD_OPEN, CLIENT_NONE, 0,
		    PROSPECT_CURRENT, CLIENT_NONE },
		{ "lost lead", 0, 0, 1, LEAD_LOST, CLIENT_NONE, 0,
		    PROSPECT_LOST, CLIENT_NONE },
		{ "lost then new open", 1, 0, 1, LEAD_LOST, CLIENT_NONE, 0,
		    PROSPECT_CURRENT, CLIENT_NONE },
		{ "won lead", 0, 1, 0, LEAD_WON, CLIENT_NONE, 1,
		    PROSPECT_NONE, CLIENT_CURRENT },
		{ "won and open", 1, 1, 0, LEAD_WON, CLIENT_CURRENT, 0,
		    PROSPECT_CURRENT, CLIENT_CURRENT },
		{ "won, later lost", 0, 1, 1, LEAD_LOST, CLIENT_CURRENT, 0,
		    PROSPECT_LOST, CLIENT_CURRENT },
		{ "former stays former", 1, 1, 0, LEAD_WON, CLIENT_FORMER, 0,
		    PROSPECT_CURRENT, CLIENT_FORMER },
		{ "former won again", 0, 2, 0, LEAD_WON, CLIENT_FORMER, 1,
		    PROSPECT_NONE, CLIENT_CURRENT },
		{ "former without wins", 0, 0, 0, LEAD_OPEN, CLIENT_FORMER, 0,
		    PROSPECT_NONE, CLIENT_FORMER },
	};
	enum prospect_state p;
	enum client_state c;
	struct lead_summary s;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&s, 0, sizeof(s));
		s.open = cases[i].open;
		s.won = cases[i].won;
		s.lost = cases[i].lost;
		s.last_closed = cases[i].last_closed;
		domain_derive_states(&s, PROSPECT_NONE, cases[i].cur_c,
		    cases[i].just_won, &p, &c);
		T_OK(p == cases[i].want_p && c == cases[i].want_c,
		    "derive: %s (got %s/%s)", cases[i].label,
		    prospect_state_name(p), client_state_name(c));
	}
}

/* Run one domain operation in a transaction, like the command line does. */
typedef int (*op_fn)(void *arg, struct err *e);

static int
tx(op_fn fn, void *arg, struct err *e)
{
	int rc;

	err_clear(e);
	if ((rc = store_begin(d.st, e)) != LG_OK)
		return rc;
	if ((rc = fn(arg, e)) != LG_OK) {
		store_rollback(d.st);
		return rc;
	}
	return store_commit(d.st, e);
}

struct person {
	const char *first, *last, *email, *phone;
	enum contact_kind kind;
	enum contact_type type;
	const char *company;
	int64_t company_id;
	int64_t id;
};

static int
op_add_contact(void *arg, struct err *e)
{
	struct person *p = arg;
	struct contact *c = contact_new();
	int rc = LG_OK;

	c->kind = p->kind;
	c->type = p->type;
	c->first_name = xstrdup(p->first);
	c->last_name = xstrdup(p->last);
	c->company = xstrdup(p->company);
	c->company_id = p->company_id;
	if (p->email)
		rc = contact_add_email(c, p->email, e);
	if (rc == LG_OK && p->phone)
		rc = contact_add_phone(c, p->phone, "CH", e);
	if (rc == LG_OK)
		rc = domain_contact_add(&d, c, e);
	p->id = c->id;
	contact_free(c);
	return rc;
}

static int64_t
add_person(const char *first, const char *last, const char *email,
    const char *phone, int64_t company_id)
{
	struct person p = { first, last, email, phone, KIND_LEAD,
	    CONTACT_PERSON, NULL, company_id, 0 };
	struct err e;

	if (tx(op_add_contact, &p, &e) != LG_OK) {
		fprintf(stderr, "add_person: %s\n", e.msg);
		exit(2);
	}
	return p.id;
}

struct lead_arg {
	int64_t contact_id;
	const char *source, *pipeline, *object;
	int phase;
	int64_t id;
};

static int
op_add_lead(void *arg, struct err *e)
{
	struct lead_arg *a = arg;
	struct lead *l = lead_new();
	int rc;

	l->contact_id = a->contact_id;
	l->source = xstrdup(a->source);
	l->pipeline = xstrdup(a->pipeline);
	l->object_ref = xstrdup(a->object);
	l->phase_no = a->phase;
	rc = domain_lead_add(&d, l, NULL, e);
	a->id = l->id;
	lead_free(l);
	return rc;
}

static int
add_lead(int64_t contact, const char *object, struct err *e, int64_t *id)
{
	struct lead_arg a = { contact, "Homegate", NULL, object, 0, 0 };
	int rc = tx(op_add_lead, &a, e);

	*id = a.id;
	return rc;
}

static void
states(int64_t id, enum prospect_state *p, enum client_state *c,
    enum contact_kind *k)
{
	struct contact *ct;

	if (store_contact_get(d.st, id, &ct, NULL) != LG_OK)
		exit(2);
	*p = ct->prospect;
	*c = ct->client;
	if (k)
		*k = ct->kind;
	contact_free(ct);
}

static void
check_states(int64_t id, enum prospect_state wp, enum client_state wc,
    const char *label)
{
	enum prospect_state p;
	enum client_state c;

	states(id, &p, &c, NULL);
	T_OK(p == wp && c == wc, "%s: prospect %s client %s", label,
	    prospect_state_name(p), client_state_name(c));
}

struct move_arg {
	int64_t id;
	const char *phase, *action, *remark;
	char op;
};

static int
op_move(void *arg, struct err *e)
{
	struct move_arg *m = arg;

	switch (m->op) {
	case 'w':
		return domain_lead_win(&d, m->id, m->remark, e);
	case 'l':
		return domain_lead_lose(&d, m->id, m->remark, e);
	default:
		return domain_lead_move(&d, m->id, m->phase, m->action,
		    m->remark, e);
	}
}

static int
move(int64_t id, char op, const char *phase, const char *action,
    struct err *e)
{
	struct move_arg m = { id, phase, action, NULL, op };

	return tx(op_move, &m, e);
}

struct status_arg {
	int64_t id;
	const char *p, *c;
};

static int
op_status(void *arg, struct err *e)
{
	struct status_arg *s = arg;

	return domain_contact_set_status(&d, s->id, s->p, s->c, e);
}

static int
set_status(int64_t id, const char *p, const char *c, struct err *e)
{
	struct status_arg s = { id, p, c };

	return tx(op_status, &s, e);
}

static size_t
count_leads(void)
{
	struct idlist ids = IDLIST_INIT;
	size_t n;

	store_leads_query(d.st, NULL, &ids, NULL);
	n = ids.n;
	idlist_free(&ids);
	return n;
}

static void
test_required_fields(void)
{
	static const struct {
		const char *label;
		enum contact_type type;
		enum contact_kind kind;
		const char *first, *last, *email, *company;
		const char *want;	/* NULL: accepted; else in the message */
	} cases[] = {
		{ "lead with names", CONTACT_PERSON, KIND_LEAD, "Anna", "Muster",
		    NULL, NULL, NULL },
		{ "lead without last name", CONTACT_PERSON, KIND_LEAD, "Anna",
		    NULL, NULL, NULL, "last name" },
		{ "lead without any name", CONTACT_PERSON, KIND_LEAD, NULL,
		    NULL, "a@b.ch", NULL, "first name, last name" },
		{ "client with all", CONTACT_PERSON, KIND_CLIENT, "Jean",
		    "Dupont", "jean@x.fr", NULL, NULL },
		{ "client without e-mail", CONTACT_PERSON, KIND_CLIENT, "Jean",
		    "Dupont", NULL, NULL, "e-mail" },
		{ "partner without e-mail", CONTACT_PERSON, KIND_PARTNER, "Eva",
		    "Keller", NULL, NULL, "e-mail" },
		{ "blank name is missing", CONTACT_PERSON, KIND_LEAD, "  ",
		    "Muster", NULL, NULL, "first name" },
		{ "company with a name", CONTACT_COMPANY, KIND_CLIENT, NULL,
		    NULL, NULL, "Muster AG", NULL },
		{ "company without a name", CONTACT_COMPANY, KIND_LEAD, NULL,
		    NULL, NULL, NULL, "company name" },
	};
	struct person p;
	struct err e;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&p, 0, sizeof(p));
		p.type = cases[i].type;
		p.kind = cases[i].kind;
		p.first = cases[i].first;
		p.last = cases[i].last;
		p.email = cases[i].email;
		p.company = cases[i].company;
		rc = tx(op_add_contact, &p, &e);
		if (cases[i].want == NULL)
			T_OK(rc == LG_OK, "required fields: %s (%s)",
			    cases[i].label, e.msg);
		else
			T_OK(rc == LG_EPERM && strstr(e.msg, cases[i].want),
			    "required fields: %s refused (%s)", cases[i].label,
			    e.msg);
	}
}

static void
test_lead_inputs(void)
{
	struct lead_arg a;
	int64_t bare, anna;
	struct err e;
	size_t before;

	bare = add_person("No", "Address", NULL, NULL, 0);
	anna = add_person("Anna", "Muster", "anna@example.ch", NULL, 0);
	before = count_leads();
	memset(&a, 0, sizeof(a));
	a.contact_id = bare;
	a.source = "Homegate";
	T_OK(tx(op_add_lead, &a, &e) == LG_EPERM &&
	    strstr(e.msg, "neither an e-mail") && count_leads() == before,
	    "lead needs an e-mail or a phone (%s)", e.msg);
	a.contact_id = anna;
	a.source = "Nowhere";
	T_OK(tx(op_add_lead, &a, &e) == LG_EPERM &&
	    strstr(e.msg, "unknown source") && count_leads() == before,
	    "unknown source refused (%s)", e.msg);
	a.source = "homegate";
	a.phase = 42;
	T_OK(tx(op_add_lead, &a, &e) == LG_EPERM &&
	    strstr(e.msg, "no phase 42") && count_leads() == before,
	    "unknown phase refused (%s)", e.msg);
	a.phase = 0;
	a.pipeline = "boats";
	T_OK(tx(op_add_lead, &a, &e) == LG_EPERM &&
	    strstr(e.msg, "unknown pipeline") && count_leads() == before,
	    "unknown pipeline refused (%s)", e.msg);
	a.pipeline = "rental";
	T_OK(tx(op_add_lead, &a, &e) == LG_OK && count_leads() == before + 1,
	    "rental lead added (%s)", e.msg);
}

static void
test_status_flow(void)
{
	int64_t c, l1, l2;
	enum prospect_state p;
	enum client_state cl;
	enum contact_kind k;
	struct err e;

	c = add_person("Max", "Keller", "max@example.ch", "079 111 22 33", 0);
	check_states(c, PROSPECT_NONE, CLIENT_NONE, "new contact");
	T_OK(add_lead(c, "OBJ-1", &e, &l1) == LG_OK, "lead added");
	check_states(c, PROSPECT_CURRENT, CLIENT_NONE, "open lead");
	T_OK(set_status(c, "none", NULL, &e) == LG_EPERM &&
	    strstr(e.msg, "open lead"), "open lead: prospect none refused");
	T_OK(set_status(c, "lost", NULL, &e) == LG_EPERM,
	    "open lead: prospect lost refused");
	check_states(c, PROSPECT_CURRENT, CLIENT_NONE, "refusals changed nothing");
	T_OK(move(l1, 'l', NULL, NULL, &e) == LG_OK, "lead lost");
	check_states(c, PROSPECT_LOST, CLIENT_NONE, "lost lead");
	T_OK(add_lead(c, "OBJ-2", &e, &l2) == LG_OK, "second lead");
	check_states(c, PROSPECT_CURRENT, CLIENT_NONE, "new lead after lost");
	T_OK(move(l2, 'w', NULL, NULL, &e) == LG_OK, "lead won (%s)", e.msg);
	states(c, &p, &cl, &k);
	T_OK(p == PROSPECT_NONE && cl == CLIENT_CURRENT && k == KIND_CLIENT,
	    "won lead makes a client (%s/%s/%s)", prospect_state_name(p),
	    client_state_name(cl), contact_kind_name(k));
	T_OK(set_status(c, "lost", NULL, &e) == LG_EPERM &&
	    strstr(e.msg, "won lead"), "won lead: prospect lost refused");
	T_OK(set_status(c, NULL, "none", &e) == LG_EPERM,
	    "won lead: client none refused");
	T_OK(set_status(c, NULL, "former", &e) == LG_OK, "former by hand");
	check_states(c, PROSPECT_NONE, CLIENT_FORMER, "former client");
	T_OK(add_lead(c, "OBJ-3", &e, &l1) == LG_OK, "third lead");
	check_states(c, PROSPECT_CURRENT, CLIENT_FORMER,
	    "former stays former with an open lead");
	T_OK(move(l1, 'w', NULL, NULL, &e) == LG_OK, "third lead won");
	check_states(c, PROSPECT_NONE, CLIENT_CURRENT, "a new win: current");
}

static void
test_company(void)
{
	struct person co = { NULL, NULL, NULL, NULL, KIND_LEAD,
	    CONTACT_COMPANY, "Keller Immobilien AG", 0, 0 };
	int64_t emp, other, l;
	struct err e;

	T_OK(tx(op_add_contact, &co, &e) == LG_OK, "company added");
	emp = add_person("Lea", "Keller", "lea@keller.ch", NULL, co.id);
	other = add_person("Tom", "Keller", "tom@keller.ch", NULL, co.id);
	T_OK(add_lead(emp, "OBJ-9", &e, &l) == LG_OK, "lead on employee");
	check_states(emp, PROSPECT_CURRENT, CLIENT_NONE, "employee current");
	check_states(co.id, PROSPECT_CURRENT, CLIENT_NONE, "company current too");
	check_states(other, PROSPECT_NONE, CLIENT_NONE,
	    "other employee unchanged");
	T_OK(move(l, 'w', NULL, NULL, &e) == LG_OK, "employee's lead won");
	check_states(emp, PROSPECT_NONE, CLIENT_CURRENT, "employee client");
	check_states(co.id, PROSPECT_NONE, CLIENT_CURRENT, "company client too");
}

static int
history_has(int64_t lead, const char *action, const char *remark)
{
	struct history *h;
	size_t i, n;
	int found = 0;

	if (store_history_list(d.st, lead, 0, &h, &n, NULL) != LG_OK)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(h[i].action, action) == 0 && (remark == NULL ||
		    (h[i].remark && strstr(h[i].remark, remark))))
			found = 1;
	store_history_free(h, n);
	return found;
}

static void
test_moves(void)
{
	int64_t c, l;
	struct err e;
	int moved;

	c = add_person("Jean", "Dupont", NULL, "+33 1 23 45 67 89", 0);
	T_OK(add_lead(c, "OBJ-5", &e, &l) == LG_OK, "lead for moves");
	T_OK(history_has(l, "Demande reçue", NULL),
	    "creation recorded with the phase's action");
	T_OK(move(l, 'm', "5", "Visite du bien", &e) == LG_OK &&
	    history_has(l, "Visite du bien", NULL), "move with action (%s)",
	    e.msg);
	T_OK(move(l, 'm', "Réservation", NULL, &e) == LG_OK &&
	    history_has(l, "move", "moved by hand from 5 (1. Visite du bien) "
	    "to 8 (Réservation)"), "move without action: remark");
	T_OK(move(l, 'm', "3", "Refus", &e) == LG_EPERM &&
	    strstr(e.msg, "does not lead to phase 3"), "wrong action refused");
	T_OK(move(l, 'm', "Nowhere", NULL, &e) == LG_EPERM &&
	    strstr(e.msg, "no phase named"), "unknown phase refused");
	T_OK(move(l, 'm', "8", NULL, &e) == LG_EPERM, "same phase refused");
	T_OK(move(l, 'w', NULL, NULL, &e) == LG_EPERM &&
	    strstr(e.msg, "needs: e-mail"), "win needs a client's e-mail (%s)",
	    e.msg);
	err_clear(&e);
	store_begin(d.st, &e);
	T_OK(domain_lead_advance(&d, l, 3, NULL, &moved, &e) == LG_OK &&
	    !moved, "advance never goes back");
	T_OK(domain_lead_advance(&d, l, 9, "sent", &moved, &e) == LG_OK &&
	    moved && history_has(l, "Confirmation d'achat", "sent"),
	    "advance forward with the phase's action");
	T_OK(domain_lead_advance(&d, l, 14, NULL, &moved, &e) == LG_OK &&
	    moved, "advance to the lost phase");
	store_commit(d.st, &e);
}

struct conv_arg {
	int64_t lead;
	unsigned targets;
	struct convert_result res;
};

static int
op_convert(void *arg, struct err *e)
{
	struct conv_arg *a = arg;

	return domain_lead_convert(&d, a->lead, a->targets, &a->res, e);
}

static void
test_convert(void)
{
	struct conv_arg a;
	struct person p = { "Sara", "Lang", NULL, "079 222 33 44", KIND_LEAD,
	    CONTACT_PERSON, NULL, 0, 0 };
	struct contact *c;
	struct lead *l;
	struct deal *deals;
	size_t n;
	struct err e;

	T_OK(tx(op_add_contact, &p, &e) == LG_OK, "contact to convert");
	memset(&a, 0, sizeof(a));
	T_OK(add_lead(p.id, NULL, &e, &a.lead) == LG_OK, "lead to convert");
	/* A custom field to carry over. */
	store_begin(d.st, &e);
	store_lead_get(d.st, a.lead, &l, &e);
	xstrset(&l->custom, "{\"budget\":\"900000\"}");
	store_lead_update(d.st, l, &e);
	lead_free(l);
	store_commit(d.st, &e);

	a.targets = CONVERT_CONTACT | CONVERT_COMPANY | CONVERT_DEAL;
	T_OK(tx(op_convert, &a, &e) == LG_EPERM &&
	    strstr(e.msg, "the contact needs e-mail") &&
	    strstr(e.msg, "the company needs a company name") &&
	    strstr(e.msg, "the deal needs an object reference"),
	    "conversion refused with every missing field (%s)", e.msg);
	store_contact_get(d.st, p.id, &c, &e);
	T_OK(c->kind == KIND_LEAD && c->company_id == 0,
	    "refused conversion changed nothing");
	contact_add_email(c, "sara@lang.ch", &e);
	xstrset(&c->company, "Lang Treuhand GmbH");
	store_begin(d.st, &e);
	store_contact_update(d.st, c, &e);
	store_lead_get(d.st, a.lead, &l, &e);
	xstrset(&l->object_ref, "OBJ-77");
	store_lead_update(d.st, l, &e);
	store_commit(d.st, &e);
	lead_free(l);
	contact_free(c);
	T_OK(tx(op_convert, &a, &e) == LG_OK && a.res.contact_id == p.id &&
	    a.res.company_id && a.res.deal_id, "conversion done (%s)", e.msg);
	store_contact_get(d.st, p.id, &c, &e);
	T_OK(c->kind == KIND_CLIENT && c->company_id == a.res.company_id &&
	    strstr(c->custom, "900000"), "contact: client, employee, custom "
	    "carried (%s)", c->custom);
	contact_free(c);
	store_contact_get(d.st, a.res.company_id, &c, &e);
	T_OK(c->type == CONTACT_COMPANY && strcmp(c->company,
	    "Lang Treuhand GmbH") == 0 && strstr(c->custom, "900000"),
	    "company created with custom fields");
	contact_free(c);
	store_deals_of_lead(d.st, a.lead, &deals, &n, &e);
	T_OK(n == 1 && strcmp(deals[0].title, "OBJ-77 - Sara Lang") == 0 &&
	    strstr(deals[0].custom, "900000"), "deal with custom fields");
	store_deals_free(deals, n);
}

int
main(void)
{
	struct pipelines *pl;
	char db[4200];
	struct err e;

	err_clear(&e);
	test_derive();
	if (pipelines_load(t_path("etc/pipelines.conf"), &pl, &e) != LG_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	snprintf(db, sizeof(db), "%s/t.db", t_tmpdir("domain"));
	if (store_open(db, NULL, &d.st, &e) != LG_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	d.pl = pl;
	d.country = "CH";
	store_source_add(d.st, "Homegate", &e);
	test_required_fields();
	test_lead_inputs();
	test_status_flow();
	test_company();
	test_moves();
	test_convert();
	store_close(d.st);
	pipelines_free(pl);
	return t_done();
}
