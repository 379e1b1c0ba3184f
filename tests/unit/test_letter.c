/*
 * Letters from a real store: contacts and leads made with the domain API
 * in a fresh SQLite database, the shipped templates (etc/templates), the
 * clock pinned. Each good case is compared with a golden message under
 * tests/data/templates/letter; each bad one with its error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/domain.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "util/xmalloc.h"
#include "t.h"
#include "templates/letter.h"

#define GOLDEN "tests/data/templates/letter"

/* Contact ids in the order made below. */
enum { ANNA = 1, JEAN, PHONE_ONLY, BOB };

static const struct {
	const char *label;
	const char *tpl;
	int64_t contact, lead;
	enum letter_kind kind;
	const char *msgid;
	const char *reply_to;
	const char *token;
	const char *from;	/* mail.from, NULL: the default */
	const char *golden;	/* file under GOLDEN, or NULL for an error */
	int rc;
	const char *err;
} cases[] = {
	{ "autoreply in German with HTML", "inquiry-reply", 0, 1,
	    LETTER_AUTOREPLY, "<ar.1@muster-immo.example>",
	    "<inq.1@portal.example>", NULL, NULL, "autoreply-de.eml", LG_OK,
	    NULL },
	{ "autoreply in French, text only", "inquiry-reply", 0, 2,
	    LETTER_AUTOREPLY, "<ar.2@muster-immo.example>", NULL, NULL, NULL,
	    "autoreply-fr.eml", LG_OK, NULL },
	{ "bulk mail with the object's PDF", "new-documentation", 0, 1,
	    LETTER_BULK, "<bulk.1@muster-immo.example>", NULL, "tok-anna", NULL,
	    "bulk-de.eml", LG_OK, NULL },
	{ "plain mail to a contact without a lead", "new-documentation",
	    BOB, 0, LETTER_PLAIN, "<p.4@muster-immo.example>", NULL, NULL, NULL,
	    "plain-contact.eml", LG_OK, NULL },
	{ "a contact without an e-mail address", "inquiry-reply", PHONE_ONLY,
	    0, LETTER_PLAIN, "<x@y.example>", NULL, NULL, NULL, NULL, LG_EPERM,
	    "contact 3 has no e-mail address" },
	{ "a lead of another contact", "inquiry-reply", JEAN, 1, LETTER_PLAIN,
	    "<x@y.example>", NULL, NULL, NULL, NULL, LG_EPERM,
	    "lead 1 belongs to contact 1, not 2" },
	{ "a contact that does not exist", "inquiry-reply", 99, 0,
	    LETTER_PLAIN, "<x@y.example>", NULL, NULL, NULL, NULL, LG_ENOENT,
	    "no contact with id 99" },
	{ "a template that does not exist", "nothing", ANNA, 0, LETTER_PLAIN,
	    "<x@y.example>", NULL, NULL, NULL, NULL, LG_ENOENT,
	    "template 'nothing' not found: no etc/templates/nothing.txt" },
	{ "bulk mail without a token", "new-documentation", ANNA, 0,
	    LETTER_BULK, "<x@y.example>", NULL, NULL, NULL, NULL, LG_EPERM,
	    "bulk mail needs the contact's unsubscribe token (letters, digits, "
	    "'-' and '_')" },
	{ "bulk mail with a token that could break the URL", "new-documentation",
	    ANNA, 0, LETTER_BULK, "<x@y.example>", NULL, "a/b?c", NULL, NULL,
	    LG_EPERM, "unsubscribe token 'a/b?c' is not made of letters, "
	    "digits, '-' and '_'" },
	{ "bulk mail about an object without a PDF", "new-documentation", 0, 3,
	    LETTER_BULK, "<x@y.example>", NULL, "tok", NULL, NULL, LG_EPERM,
	    "etc/templates/new-documentation.txt:2: Attach: "
	    "etc/templates/docs/OBJ-1002.pdf: No such file or directory" },
	{ "no Message-ID", "inquiry-reply", ANNA, 0, LETTER_PLAIN, NULL, NULL,
	    NULL, NULL, NULL, LG_EPERM, "a letter needs a Message-ID" },
	{ "no From: line and no mail.from", "inquiry-reply", ANNA, 0,
	    LETTER_PLAIN, "<x@y.example>", NULL, NULL, "", NULL, LG_EPERM,
	    "etc/templates/inquiry-reply.txt has no From: line and mail.from "
	    "is not set" },
	{ "a mail.from that is no address", "inquiry-reply", ANNA, 0,
	    LETTER_PLAIN, "<x@y.example>", NULL, NULL, "Muster AG", NULL,
	    LG_EPERM, "mail.from: 'Muster AG' is not an address leadgate can "
	    "send to" },
	{ "a Message-ID that is no message id", "inquiry-reply", ANNA, 0,
	    LETTER_PLAIN, "preview", NULL, NULL, NULL, NULL, LG_EPERM,
	    "Message-ID: 'preview' is not one <id@domain>" },
};

static int
add_contact(struct domain *d, const char *first, const char *last,
    const char *sal, const char *email, const char *phone, const char *lang)
{
	struct contact *c = contact_new();
	struct err e;
	int rc;

	c->first_name = xstrdup(first);
	c->last_name = xstrdup(last);
	c->salutation = xstrdup(sal);
	c->language = xstrdup(lang);
	rc = email ? contact_add_email(c, email, &e) : LG_OK;
	if (rc == LG_OK && phone)
		rc = contact_add_phone(c, phone, "CH", &e);
	if (rc == LG_OK)
		rc = domain_contact_add(d, c, &e);
	T_OK(rc == LG_OK, "contact %s %s added (%s)", first, last,
	    rc ? e.msg : "");
	contact_free(c);
	return rc;
}

static int
add_lead(struct domain *d, int64_t contact, const char *object,
    const char *portal)
{
	struct lead *l = lead_new();
	struct err e;
	int rc;

	l->contact_id = contact;
	l->source = xstrdup(portal);
	l->object_ref = xstrdup(object);
	l->portal = xstrdup(portal);
	rc = domain_lead_add(d, l, "test", &e);
	T_OK(rc == LG_OK, "lead on %s added (%s)", object, rc ? e.msg : "");
	lead_free(l);
	return rc;
}

/* Anna (de-CH, lead 1 on OBJ-1001), Jean (fr, lead 2), Phone-only, Bob. */
static int
fill(struct domain *d)
{
	struct err e;
	int rc = LG_OK;

	if (store_begin(d->st, &e) != LG_OK ||
	    store_source_add(d->st, "ImmoScout24", &e) != LG_OK ||
	    store_source_add(d->st, "SeLoger", &e) != LG_OK)
		return LG_EPERM;
	rc |= add_contact(d, "Anna", "Müller-Lüdenscheidt", "Frau",
	    "Anna.Mueller@Example.CH", NULL, "de-CH");
	rc |= add_contact(d, "Jean", "Dupont", NULL, "jean.dupont@example.fr",
	    NULL, "fr");
	rc |= add_contact(d, "Paul", "Phone", NULL, NULL, "044 123 45 67",
	    "de");
	rc |= add_contact(d, "Bob", "O'Neill, Jr.", NULL, "bob@example.com",
	    NULL, NULL);
	rc |= add_lead(d, ANNA, "OBJ-1001", "ImmoScout24");
	rc |= add_lead(d, JEAN, "OBJ-1002", "SeLoger");
	rc |= add_lead(d, ANNA, "OBJ-1002", "ImmoScout24");
	if (rc != LG_OK || store_commit(d->st, &e) != LG_OK) {
		store_rollback(d->st);
		return LG_EPERM;
	}
	return LG_OK;
}

static struct config *
test_config(const char *dir)
{
	struct config *cfg = config_defaults(dir);

	xstrset(&cfg->templates_dir, "etc/templates");
	xstrset(&cfg->mail.from, "Immobilien Muster AG "
	    "<info@muster-immo.example>");
	xstrset(&cfg->mail.domain, "muster-immo.example");
	xstrset(&cfg->mail.unsubscribe_url,
	    "https://muster-immo.example/unsubscribe/{token}");
	xstrset(&cfg->mail.unsubscribe_mailto, "unsubscribe@muster-immo.example");
	return cfg;
}

static void
check_golden(const char *label, const char *file, const struct buf *got,
    const char *tmp)
{
	char path[512], *want;
	size_t wlen;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", GOLDEN, file);
	want = t_slurp(path, &wlen);
	if (want && wlen == got->len && memcmp(want, got->data, wlen) == 0) {
		T_OK(1, "%s: matches %s", label, file);
	} else {
		snprintf(path, sizeof(path), "%s/%s", tmp, file);
		if ((f = fopen(path, "wb")) != NULL) {
			fwrite(got->data, 1, got->len, f);
			fclose(f);
		}
		T_OK(0, "%s: matches %s (got %s)", label, file, path);
	}
	free(want);
}

static void
run_cases(struct domain *d, struct config *cfg, const char *tmp)
{
	char *from = xstrdup(cfg->mail.from);
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct letter_req req = { cases[i].tpl, cases[i].contact,
		    cases[i].lead, cases[i].kind, cases[i].msgid,
		    cases[i].reply_to, cases[i].token, NULL, 0, NULL, NULL, NULL,
		    NULL, NULL, NULL };
		struct letter out;
		struct err e;
		int rc;

		xstrset(&cfg->mail.from, cases[i].from ? cases[i].from : from);
		err_clear(&e);
		rc = letter_build(d->st, d->pl, cfg, &req, &out, &e);
		T_INT(rc, cases[i].rc, "%s: result (%s)", cases[i].label, e.msg);
		if (cases[i].golden && rc == LG_OK)
			check_golden(cases[i].label, cases[i].golden, &out.data,
			    tmp);
		else if (cases[i].err)
			T_STR(e.msg, cases[i].err, "%s: says why",
			    cases[i].label);
		letter_clear(&out);
	}
	free(from);
}

/* The caller's copies of contact and lead give the same letter as the ids. */
static void
test_copies(struct domain *d, struct config *cfg, const char *tmp)
{
	struct letter_req req = { "inquiry-reply", 0, 0, LETTER_AUTOREPLY,
	    "<ar.1@muster-immo.example>", "<inq.1@portal.example>", NULL, NULL,
	    0, NULL, NULL, NULL, NULL, NULL, NULL };
	struct contact *c = NULL;
	struct lead *l = NULL;
	struct letter out;
	struct err e;

	err_clear(&e);
	if (store_lead_get(d->st, 1, &l, &e) != LG_OK ||
	    store_contact_get(d->st, l->contact_id, &c, &e) != LG_OK) {
		T_OK(0, "copies: lead 1 and its contact (%s)", e.msg);
		lead_free(l);
		return;
	}
	req.contact = c;
	req.lead = l;
	if (letter_build(d->st, d->pl, cfg, &req, &out, &e) != LG_OK)
		T_OK(0, "copies: letter builds (%s)", e.msg);
	else
		check_golden("autoreply from the copies of lead 1 and its "
		    "contact", "autoreply-de.eml", &out.data, tmp);
	letter_clear(&out);
	contact_free(c);
	lead_free(l);
}

/*
 * A reply goes to the address that wrote when the contact has it (a
 * second address merged in by a phone match), never to another one.
 */
static void
test_recipient(struct domain *d, struct config *cfg, struct letter_req *req)
{
	static const struct {
		const char *to, *want, *label;
	} rcpts[] = {
		{ "anna.work@example.ch", "anna.work@example.ch",
		    "the contact's second address that wrote" },
		{ "anna.mueller@example.ch", "anna.mueller@example.ch",
		    "the first address that wrote" },
		{ "someone.else@example.ch", "anna.mueller@example.ch",
		    "an address the contact lacks: its first" },
		{ NULL, "anna.mueller@example.ch", "no address asked: the first" },
	};
	struct contact *c = NULL;
	struct lead *l = NULL;
	struct letter out;
	struct err e;
	size_t i;

	if (store_lead_get(d->st, 1, &l, &e) != LG_OK ||
	    store_contact_get(d->st, l->contact_id, &c, &e) != LG_OK ||
	    contact_add_email(c, "Anna.Work@example.ch", &e) != LG_OK) {
		T_OK(0, "recipient: lead 1, its contact, a second address (%s)",
		    e.msg);
		contact_free(c);
		lead_free(l);
		return;
	}
	req->contact = c;
	req->lead = l;
	for (i = 0; i < sizeof(rcpts) / sizeof(rcpts[0]); i++) {
		req->to = rcpts[i].to;
		if (letter_build(d->st, d->pl, cfg, req, &out, &e) != LG_OK) {
			T_OK(0, "recipient: %s: %s", rcpts[i].label, e.msg);
			continue;
		}
		T_STR(out.rcpt, rcpts[i].want, "recipient: %s", rcpts[i].label);
		letter_clear(&out);
	}
	req->contact = NULL;
	req->lead = NULL;
	req->to = NULL;
	contact_free(c);
	lead_free(l);
}

/* What the spool needs besides the bytes. */
static void
test_envelope(struct domain *d, struct config *cfg)
{
	struct letter_req req = { "inquiry-reply", 0, 1, LETTER_AUTOREPLY,
	    "<env@muster-immo.example>", NULL, NULL, NULL, 0, NULL, NULL,
	    NULL, NULL, NULL, NULL };
	struct letter out;
	struct err e;

	if (letter_build(d->st, d->pl, cfg, &req, &out, &e) != LG_OK) {
		T_OK(0, "envelope letter builds: %s", e.msg);
		return;
	}
	T_STR(out.sender, "info@muster-immo.example", "the From address is the "
	    "sender");
	T_STR(out.rcpt, "anna.mueller@example.ch", "the recipient is the "
	    "contact's first address, normalized");
	T_STR(out.language, "de", "the language of the variant written");
	letter_clear(&out);
	test_recipient(d, cfg, &req);
}

static void
test_token(struct domain *d)
{
	char *a = NULL, *b = NULL, *none = NULL;
	struct err e;

	T_INT(store_contact_unsub_token(d->st, JEAN, 0, &none, &e), LG_OK,
	    "token lookup without create");
	T_OK(none == NULL, "no token until one is made");
	T_INT(store_contact_unsub_token(d->st, JEAN, 1, &a, &e), LG_OK,
	    "token made");
	T_INT(store_contact_unsub_token(d->st, JEAN, 1, &b, &e), LG_OK,
	    "token asked again");
	T_OK(a && strlen(a) == 32 && strspn(a, "0123456789abcdef") == 32,
	    "a token is 32 hex digits");
	T_STR(b, a, "a contact keeps its token");
	free(a);
	free(b);
	T_INT(store_contact_unsub_token(d->st, 99, 1, &a, &e), LG_ENOENT,
	    "no token for a contact that does not exist");
}

int
main(void)
{
	struct store_options opt = { 5000, 0, NULL, NULL, NULL };
	struct pipelines *pl = NULL;
	struct config *cfg;
	struct domain d;
	struct err e;
	const char *tmp;
	char db[512];

	if (getenv("TOP") == NULL || chdir(getenv("TOP")) != 0) {
		T_OK(0, "TOP is set (run through make test)");
		return t_done();
	}
	setenv("LEADGATE_NOW", "2026-03-02T09:30:00Z", 1);
	tmp = t_tmpdir("letter");
	snprintf(db, sizeof(db), "%s/lg.db", tmp);
	memset(&d, 0, sizeof(d));
	if (pipelines_load("etc/pipelines.conf", &pl, &e) != LG_OK ||
	    store_open(db, &opt, &d.st, &e) != LG_OK) {
		T_OK(0, "store and pipelines open: %s", e.msg);
		return t_done();
	}
	d.pl = pl;
	d.country = "CH";
	cfg = test_config(tmp);
	if (fill(&d) == LG_OK) {
		run_cases(&d, cfg, tmp);
		test_copies(&d, cfg, tmp);
		test_envelope(&d, cfg);
		test_token(&d);
	}
	config_free(cfg);
	store_close(d.st);
	pipelines_free(pl);
	return t_done();
}
