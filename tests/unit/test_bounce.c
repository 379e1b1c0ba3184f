/*
 * bounce_handle() on a real store: reports about messages of ours,
 * matched by VERP or by Message-ID, one case after the other (each sees
 * what the ones before did): hard and soft bounces, a complaint whose
 * recipient is redacted, reports applied twice, and those held in
 * quarantine with their reason (forged, not ours, unreadable, no secret).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/domain.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "core/verp.h"
#include "outbound/bounce.h"
#include "parse/mail.h"
#include "util/xmalloc.h"
#include "t.h"

#define FMT "bounces+{id}-{hmac}@muster-immo.example"
#define SECRET_ENV "TEST_BOUNCE_SECRET"

enum kind { DSN, ARF, DSN_EMPTY };

static const struct {
	const char *label;
	enum kind kind;
	int64_t verp;		/* the message whose VERP it is sent to; 0: none */
	int forge;		/* that VERP with a wrong HMAC */
	const char *rcpt;	/* Final-Recipient / Original-Rcpt-To; NULL: none */
	const char *action;	/* DSN Action; ARF Feedback-Type */
	const char *status;
	const char *mid;	/* the returned Message-ID; NULL: none */
	const char *want;	/* the note, or "held: " and the reason (a prefix) */
} cases[] = {
	{ "a hard bounce by VERP", DSN, 1, 0, "anna@example.com", "failed",
	    "5.1.1", "m1@muster-immo.example",
	    "hard bounce of 'news' (message 1) to anna@example.com: 550 5.1.1 "
	    "unknown (mx.example.org); suppressed, address marked invalid" },
	{ "another report of it", DSN, 1, 0, "anna@example.com", "failed",
	    "5.1.1", NULL, "hard report about 'news' (message 1) to "
	    "anna@example.com was applied before: nothing changed" },
	{ "a forged VERP", DSN, 4, 1, "dora@example.com", "failed", "5.1.1",
	    "m4@muster-immo.example", "held: VERP address bounces+4-" },
	{ "a soft bounce below the limit", DSN, 2, 0, "bob@example.com",
	    "delayed", "4.4.1", NULL, "soft bounce of 'news' (message 2) to "
	    "bob@example.com: 4.4.1 ... (mx.example.org); 1 of 2 soft bounces "
	    "within 30 days" },
	{ "a soft bounce at the limit", DSN, 5, 0, "bob@example.com", "failed",
	    "4.4.7", NULL, "soft bounce of 'news' (message 5) to "
	    "bob@example.com: 4.4.7 ... (mx.example.org); 2 of 2 soft bounces "
	    "within 30 days; suppressed, address marked invalid" },
	{ "a complaint by Message-ID, its recipient redacted", ARF, 0, 0, NULL,
	    "abuse", NULL, "m3@muster-immo.example", "complaint (abuse) about "
	    "'news' (message 3) to carl@example.com (ExampleFBL/1.0): "
	    "unsubscribed carl@example.com (contact 3)" },
	{ "a Message-ID of ours, to someone else", DSN, 0, 0, "zoe@example.com",
	    "failed", "5.1.1", "m4@muster-immo.example", "held: the report "
	    "names no message of ours (Message-ID <m4@muster-immo.example> went "
	    "to someone else)" },
	{ "neither VERP nor Message-ID", DSN, 0, 0, "dora@example.com",
	    "failed", "5.1.1", NULL, "held: the report names no message of "
	    "ours (no VERP address, no returned Message-ID)" },
	{ "a Message-ID not ours", DSN, 0, 0, "dora@example.com", "failed",
	    "5.1.1", "other@example.org", "held: the report names no message "
	    "of ours (Message-ID <other@example.org> is not one we sent)" },
	{ "a spam verdict (5.7.1): refused, the address stays", DSN, 4, 0,
	    "dora@example.com", "failed", "5.7.1", NULL, "refused (policy) "
	    "'news' (message 4) to dora@example.com: 550 5.7.1 unknown "
	    "(mx.example.org); the address stays" },
	{ "a full mailbox (5.2.2): a soft bounce", DSN, 4, 0,
	    "dora@example.com", "failed", "5.2.2", NULL, "soft bounce of "
	    "'news' (message 4) to dora@example.com: 550 5.2.2 unknown "
	    "(mx.example.org); 1 of 2 soft bounces within 30 days" },
	{ "delivered", DSN, 4, 0, "dora@example.com", "delivered", "2.0.0",
	    NULL, "delivered report about 'news' (message 4) to "
	    "dora@example.com: nothing to do" },
	{ "the VERP of no message", DSN, 99, 0, "dora@example.com", "failed",
	    "5.1.1", NULL, "held: the report names no message of ours (no "
	    "outgoing message 99)" },
	{ "an unreadable report", DSN_EMPTY, 4, 0, NULL, NULL, NULL, NULL,
	    "held: unreadable report: delivery status notification without a "
	    "recipient" },
};

static struct domain d;
static struct config *cfg;
static struct verp *verp;

/* The address the report was delivered to. */
static void
sent_to(size_t i, char *out, size_t len)
{
	char *p;

	if (cases[i].verp == 0) {
		snprintf(out, len, "info@muster-immo.example");
		return;
	}
	verp_address(verp, cases[i].verp, out, len, NULL);
	if (cases[i].forge && (p = strchr(out, '@')) != NULL && p - out > 4)
		memcpy(p - 4, "0000", 4);
}

static char *
report(size_t i)
{
	char to[VERP_ADDR_MAX + 1], status[400] = "", orig[300] = "";
	char diag[64] = "...";

	sent_to(i, to, sizeof(to));
	if (cases[i].mid != NULL)
		snprintf(orig, sizeof(orig), "Message-ID: <%s>\n",
		    cases[i].mid);
	if (cases[i].kind == ARF)
		return xasprintf("From: fbl@feedback.example\nTo: %s\n"
		    "Message-ID: <r%zu@feedback.example>\nMIME-Version: 1.0\n"
		    "Content-Type: multipart/report; "
		    "report-type=feedback-report; boundary=b\n\n--b\n"
		    "Content-Type: text/plain\n\nA complaint.\n\n--b\n"
		    "Content-Type: message/feedback-report\n\n"
		    "Feedback-Type: %s\nUser-Agent: ExampleFBL/1.0\n"
		    "Version: 1\nOriginal-Mail-From: info@muster-immo.example\n"
		    "\n--b\nContent-Type: text/rfc822-headers\n\n"
		    "From: info@muster-immo.example\nTo: redacted\n%s\n--b--\n",
		    to, i, cases[i].action, orig);
	if (cases[i].kind == DSN && cases[i].status[0] == '5')
		snprintf(diag, sizeof(diag), "550 %s unknown", cases[i].status);
	if (cases[i].kind == DSN)
		snprintf(status, sizeof(status), "Final-Recipient: rfc822; %s\n"
		    "Action: %s\nStatus: %s\nDiagnostic-Code: smtp; %s\n",
		    cases[i].rcpt, cases[i].action, cases[i].status, diag);
	return xasprintf("From: MAILER-DAEMON@mx.example.org\nTo: %s\n"
	    "Subject: Undelivered Mail Returned to Sender\n"
	    "Message-ID: <r%zu@mx.example.org>\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/report; report-type=delivery-status; "
	    "boundary=b\n\n--b\nContent-Type: text/plain\n\nFailed.\n\n--b\n"
	    "Content-Type: message/delivery-status\n\n"
	    "Reporting-MTA: dns; mx.example.org\n\n%s\n--b\n"
	    "Content-Type: text/rfc822-headers\n\nFrom: info@muster-immo.example"
	    "\nTo: %s\n%s\n--b--\n", to, i, status, cases[i].rcpt ?
	    cases[i].rcpt : "someone@example.com", orig);
}

static void
run(size_t i)
{
	struct bounce_result r;
	struct mail *m = NULL;
	char *raw = report(i), key[64], got[700];
	struct err e;
	int rc;

	err_clear(&e);
	snprintf(key, sizeof(key), "mid:r%zu", i);
	if (mail_parse(raw, strlen(raw), NULL, &m, &e) != LG_OK) {
		T_OK(0, "%s: parsed (%s)", cases[i].label, e.msg);
		free(raw);
		return;
	}
	T_INT(bounce_detect(m), 1, "%s: detected", cases[i].label);
	store_begin(d.st, NULL);
	rc = bounce_handle(&d, cfg, m, raw, strlen(raw), key, &r, &e);
	T_INT(rc, LG_OK, "%s: handled (%s)", cases[i].label, e.msg);
	if (rc == LG_OK)
		store_commit(d.st, NULL);
	else
		store_rollback(d.st);
	if (r.quarantine)
		snprintf(got, sizeof(got), "held: %s", r.reason);
	else
		snprintf(got, sizeof(got), "%s", r.note);
	T_OK(strncmp(got, cases[i].want, strlen(cases[i].want)) == 0,
	    "%s: '%s' (want '%s')", cases[i].label, got, cases[i].want);
	mail_free(m);
	free(raw);
}

static long
count(const char *what, const char *address)
{
	struct suppression_row *v;
	struct contact *c;
	size_t n, i;
	long k = 0;

	if (strcmp(what, "suppressed") == 0) {
		if (store_suppression_list(d.st, &v, &n, NULL) != LG_OK)
			return -1;
		for (i = 0; i < n; i++)
			k += address == NULL || strcmp(v[i].address, address) == 0;
		store_suppression_rows_free(v, n);
		return k;
	}
	if (store_contact_get(d.st, atoll(address), &c, NULL) != LG_OK)
		return -1;
	k = strcmp(what, "invalid") == 0 ? c->invalid_address : c->opt_out;
	contact_free(c);
	return k;
}

static void
setup(void)
{
	static const char *const emails[] = { "anna@example.com",
	    "bob@example.com", "carl@example.com", "dora@example.com" };
	/* Messages 1..5: Anna, Bob, Carl (no lead), Dora, Bob again. */
	static const int to[] = { 0, 1, 2, 3, 1 };
	struct contact *c;
	struct outgoing *o;
	struct lead *l;
	char key[32], mid[64], sender[VERP_ADDR_MAX + 1];
	size_t i;

	store_begin(d.st, NULL);
	store_source_add(d.st, "web", NULL);
	for (i = 0; i < 4; i++) {
		c = contact_new();
		c->first_name = xstrdup("T");
		c->last_name = xstrdup("Test");
		contact_add_email(c, emails[i], NULL);
		T_INT(domain_contact_add(&d, c, NULL), LG_OK, "contact %zu", i);
		if (i != 2) {
			l = lead_new();
			l->contact_id = c->id;
			l->source = xstrdup("web");
			T_INT(domain_lead_add(&d, l, NULL, NULL), LG_OK,
			    "lead of contact %zu", i);
			lead_free(l);
		}
		contact_free(c);
	}
	for (i = 0; i < 5; i++) {
		o = outgoing_new();
		snprintf(key, sizeof(key), "k%zu", i + 1);
		snprintf(mid, sizeof(mid), "m%zu@muster-immo.example", i + 1);
		o->dedup_key = xstrdup(key);
		o->message_id = xstrdup(mid);
		o->contact_id = to[i] + 1;
		o->lead_id = to[i] == 2 ? 0 : to[i] == 3 ? 3 : to[i] + 1;
		o->template = xstrdup("news");
		o->rcpt = xstrdup(emails[to[i]]);
		o->sender = xstrdup("");
		T_INT(store_outgoing_insert(d.st, o, NULL), LG_OK, "message %zu",
		    i + 1);
		verp_address(verp, o->id, sender, sizeof(sender), NULL);
		T_INT(verp_sender(verp, d.st, o, NULL), LG_OK, "its VERP");
		T_STR(o->sender, sender, "... is written");
		outgoing_free(o);
	}
	store_commit(d.st, NULL);
}

int
main(void)
{
	struct pipelines *pl;
	struct bounce_result r;
	char path[4200];
	const char *tmp;
	struct err e;
	size_t i;

	err_clear(&e);
	tmp = t_tmpdir("bounce");
	if (pipelines_load(t_path("etc/pipelines.conf"), &pl, &e) != LG_OK ||
	    (snprintf(path, sizeof(path), "%s/t.db", tmp),
	    store_open(path, NULL, &d.st, &e)) != LG_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	d.pl = pl;
	d.country = "CH";
	setenv(SECRET_ENV, "s3cret", 1);
	cfg = config_defaults(tmp);
	xstrset(&cfg->bounce.verp, FMT);
	xstrset(&cfg->bounce.secret_env, SECRET_ENV);
	cfg->bounce.soft_limit = 2;
	verp = verp_new(FMT, "s3cret");
	setup();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run(i);
	T_INT(count("suppressed", "anna@example.com"), 1, "Anna suppressed");
	T_INT(count("invalid", "1"), 1, "... her address invalid");
	T_INT(count("suppressed", "bob@example.com"), 1, "Bob suppressed");
	T_INT(count("invalid", "2"), 1, "... his address invalid");
	T_INT(count("optout", "3"), 1, "Carl opted out");
	T_INT(count("invalid", "3"), 0, "... his address not invalid");
	T_INT(count("invalid", "4"), 0, "Dora's address stays");
	T_INT(count("suppressed", "dora@example.com"), 0, "... not suppressed "
	    "by a 5.7.1 or a 5.2.2");
	{
		long classes[SF_NCLASSES];

		T_INT(store_outgoing_class_counts(d.st, classes, NULL), LG_OK,
		    "the classes counted");
		T_OK(classes[SF_MAILBOX] == 1 && classes[SF_MAILBOX_FULL] == 1,
		    "one dead mailbox (Anna's message), Dora's message full "
		    "last (got %ld, %ld)", classes[SF_MAILBOX],
		    classes[SF_MAILBOX_FULL]);
	}
	T_INT(count("suppressed", NULL), 3, "three addresses suppressed");

	/* Without its secret, VERP cannot be checked: held, not guessed. */
	unsetenv(SECRET_ENV);
	memset(&r, 0, sizeof(r));
	{
		struct mail *m = NULL;
		char *raw = report(0);

		mail_parse(raw, strlen(raw), NULL, &m, &e);
		store_begin(d.st, NULL);
		T_INT(bounce_handle(&d, cfg, m, raw, strlen(raw), "mid:x", &r,
		    &e), LG_OK, "no secret: handled");
		store_rollback(d.st);
		T_OK(r.quarantine && strstr(r.reason, "the VERP HMAC cannot be "
		    "checked: bounce secret: environment variable "
		    SECRET_ENV " is not set") != NULL, "... held: %s", r.reason);
		mail_free(m);
		free(raw);
	}
	verp_free(verp);
	config_free(cfg);
	store_close(d.st);
	pipelines_free(pl);
	return t_done();
}
