/*
 * autoreply_queue() with the contact and lead the caller just stored
 * (core/intake.h hands them over), on a real store, spool and the shipped
 * templates: what it queues, records and says for each case, and that
 * the reply is written from the copies handed in, not read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/domain.h"
#include "core/intake.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "outbound/autoreply.h"
#include "spool/spool.h"
#include "util/xmalloc.h"
#include "t.h"

static const struct {
	const char *label;
	const char *earlier;	/* an earlier inquiry's, same phone */
	const char *email;	/* this inquiry's, normalized */
	const char *first;	/* the first name in the inquiry */
	const char *copy_first;	/* then set on the copy only, or NULL */
	int opt_out;		/* set on the copy only */
	const char *suppressed;	/* on the suppression list, or NULL */
	int dry_run;
	const char *want;	/* the outcome in words */
	const char *note;	/* the lead's history action, NULL: none */
	const char *to;		/* in the spooled message, or NULL */
} cases[] = {
	{ "a new lead is answered", NULL, "anna@example.ch", "Anna", NULL, 0,
	    NULL, 0,
	    "reply inquiry-reply queued as message 1 to anna@example.ch",
	    "autoreply queued", "To: Anna Muster <anna@example.ch>" },
	{ "written from the copies handed in", NULL, "eva@example.ch", "Eva",
	    "Eva-Maria", 0, NULL, 0,
	    "reply inquiry-reply queued as message 2 to eva@example.ch",
	    "autoreply queued", "To: Eva-Maria Muster <eva@example.ch>" },
	{ "a dry run writes nothing", NULL, "ben@example.ch", "Ben", NULL, 0,
	    NULL, 1, "would reply with inquiry-reply to ben@example.ch", NULL,
	    NULL },
	{ "the copy says opted out", NULL, "cleo@example.ch", "Cleo", NULL, 1,
	    NULL, 0, "no reply: the contact opted out", "autoreply skipped",
	    NULL },
	{ "a suppressed address", NULL, "dora@example.ch", "Dora", NULL, 0,
	    "dora@example.ch", 0,
	    "no reply: dora@example.ch is on the suppression list (bounced)",
	    "autoreply skipped", NULL },
	/* The reply goes to the address that wrote, which a phone match
	   merged into the contact, not to the contact's first one. */
	{ "the first address suppressed, the reply to the one that wrote",
	    "fritz@home.example", "fritz@work.example", "Fritz", NULL, 0,
	    "fritz@home.example", 0,
	    "reply inquiry-reply queued as message 3 to fritz@work.example",
	    "autoreply queued", "To: Fritz Muster <fritz@work.example>" },
};

static struct domain d;

static int
history_has(int64_t lead, const char *action)
{
	struct history *h;
	size_t i, n;
	int found = 0;

	if (store_history_list(d.st, lead, 0, &h, &n, NULL) != LG_OK)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(h[i].action, action) == 0)
			found++;
	store_history_free(h, n);
	return found;
}

/* The contact and lead of case i's inquiry, as ingest makes them. */
static int
make(size_t i, struct contact **c, struct lead **l, struct err *e)
{
	static const struct intake_policy p = { 1, 1, 0, 1 };
	struct contact_addr phone = { "044 123 45 67", "+41441234567" };
	struct intake in;
	char decision[320];
	int created, rc;

	memset(&in, 0, sizeof(in));
	in.connector = "inbox";
	in.rule = "direct e-mail";
	in.first_name = cases[i].first;
	in.last_name = "Muster";
	in.language = "de";
	in.source = "E-Mail";
	in.object_ref = "OBJ-1";
	if (cases[i].earlier) {
		in.email = in.email_norm = cases[i].earlier;
		in.phones = &phone;
		in.nphones = 1;
		if ((rc = intake_contact(&d, &p, &in, c, decision,
		    sizeof(decision), e)) != LG_OK)
			return rc;
		contact_free(*c);
		*c = NULL;
	}
	in.email = in.email_norm = cases[i].email;
	if ((rc = intake_source(&d, in.source, &created, e)) != LG_OK ||
	    (rc = intake_contact(&d, &p, &in, c, decision, sizeof(decision),
	    e)) != LG_OK)
		return rc;
	return intake_lead(&d, &in, *c, decision, l, e);
}

static void
check_spooled(struct spool *sp, int64_t lead, const char *to)
{
	struct outgoing *o = NULL;
	char *msg = NULL;
	size_t len;
	struct err e;
	int64_t id;

	/* The outgoing row of this lead: its id is the message number. */
	for (id = 1; id < 10; id++) {
		outgoing_free(o);
		o = NULL;
		if (store_outgoing_get(d.st, id, &o, &e) != LG_OK)
			break;
		if (o->lead_id == lead)
			break;
	}
	if (o == NULL || o->lead_id != lead) {
		T_OK(0, "lead %lld: an outgoing row", (long long)lead);
		outgoing_free(o);
		return;
	}
	T_STR(o->advance_pipeline, "sale", "lead %lld: the reply advances "
	    "the lead's pipeline", (long long)lead);
	T_OK(strncmp(o->dedup_key, "autoreply:", 10) == 0, "lead %lld: keyed "
	    "%s", (long long)lead, o->dedup_key);
	T_OK(spool_read(sp, o->spool_name, &msg, &len, &e) == LG_OK &&
	    strstr(msg, to) != NULL, "lead %lld: %s", (long long)lead, to);
	free(msg);
	outgoing_free(o);
}

static void
run(const struct config *cfg, struct spool *sp, size_t i)
{
	struct autoreply_req r;
	struct contact *c = NULL;
	struct lead *l = NULL;
	char outcome[600];
	struct err e;
	int queued = -1, rc;

	err_clear(&e);
	if (store_begin(d.st, &e) != LG_OK)
		return;
	if (cases[i].suppressed)
		store_suppression_add(d.st, cases[i].suppressed, "bounced", &e);
	if ((rc = make(i, &c, &l, &e)) != LG_OK) {
		T_OK(0, "%s: contact and lead (%s)", cases[i].label, e.msg);
		store_rollback(d.st);
		contact_free(c);
		return;
	}
	if (cases[i].copy_first)
		xstrset(&c->first_name, cases[i].copy_first);
	c->opt_out = cases[i].opt_out;
	memset(&r, 0, sizeof(r));
	r.target = cases[i].email;
	r.contact = c;
	r.lead = l;
	r.rule = "direct e-mail";
	r.template = "inquiry-reply";
	r.advance_phase = 3;
	outcome[0] = '\0';
	rc = autoreply_queue(&d, cfg, cases[i].dry_run ? NULL : sp, &r,
	    &queued, outcome, sizeof(outcome), &e);
	T_INT(rc, LG_OK, "%s: done (%s)", cases[i].label, rc ? e.msg : "");
	T_STR(outcome, cases[i].want, "%s: says what it did", cases[i].label);
	T_INT(queued, cases[i].to != NULL, "%s: queued or not",
	    cases[i].label);
	if (store_commit(d.st, &e) != LG_OK)
		T_OK(0, "%s: committed (%s)", cases[i].label, e.msg);
	T_INT(history_has(l->id, "autoreply queued") +
	    history_has(l->id, "autoreply skipped"), cases[i].note != NULL,
	    "%s: the lead's history", cases[i].label);
	if (cases[i].note)
		T_OK(history_has(l->id, cases[i].note) == 1, "%s: noted as "
		    "'%s'", cases[i].label, cases[i].note);
	if (cases[i].to)
		check_spooled(sp, l->id, cases[i].to);
	contact_free(c);
	lead_free(l);
}

int
main(void)
{
	struct pipelines *pl;
	struct config *cfg;
	struct spool *sp;
	char path[4200];
	const char *tmp;
	struct err e;
	size_t i;

	err_clear(&e);
	tmp = t_tmpdir("autoreply_queue");
	if (pipelines_load(t_path("etc/pipelines.conf"), &pl, &e) != LG_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/t.db", tmp);
	if (store_open(path, NULL, &d.st, &e) != LG_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/spool", tmp);
	if (spool_open(path, &sp, &e) != LG_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	d.pl = pl;
	d.country = "CH";
	cfg = config_defaults(tmp);
	xstrset(&cfg->templates_dir, t_path("etc/templates"));
	xstrset(&cfg->mail.from, "Immobilien Muster AG "
	    "<info@muster-immo.example>");
	xstrset(&cfg->mail.domain, "muster-immo.example");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run(cfg, sp, i);
	config_free(cfg);
	spool_close(sp);
	store_close(d.st);
	pipelines_free(pl);
	return t_done();
}
