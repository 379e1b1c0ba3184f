/*
 * The failure classifier: replies and DSN statuses at each stage, what
 * class they get and what they do (only a dead mailbox suppresses), and
 * reading reply codes and enhanced codes out of replies and diagnostics.
 */
#include <stdio.h>
#include <string.h>

#include "util/smtpfail.h"
#include "t.h"

static const struct {
	const char *label;
	int code;
	const char *enh;
	enum smtpfail_stage stage;
	enum smtpfail_class cls;
	enum smtpfail_action act;
} cases[] = {
	{ "250 after the data", 250, "2.0.0", SF_EOD, SF_NONE, SF_OK },
	{ "550 5.1.1 to RCPT", 550, "5.1.1", SF_RCPT, SF_MAILBOX, SF_SUPPRESS },
	{ "550 5.1.2 to RCPT", 550, "5.1.2", SF_RCPT, SF_MAILBOX, SF_SUPPRESS },
	{ "556 5.1.10 null MX", 556, "5.1.10", SF_RCPT, SF_MAILBOX,
	    SF_SUPPRESS },
	{ "550 5.2.1 disabled", 550, "5.2.1", SF_RCPT, SF_MAILBOX,
	    SF_SUPPRESS },
	{ "bare 550 to RCPT", 550, NULL, SF_RCPT, SF_MAILBOX, SF_SUPPRESS },
	{ "bare 553 to RCPT", 553, NULL, SF_RCPT, SF_MAILBOX, SF_SUPPRESS },
	{ "550 5.0.0 to RCPT (no detail)", 550, "5.0.0", SF_RCPT, SF_MAILBOX,
	    SF_SUPPRESS },
	{ "bare 554 to RCPT", 554, NULL, SF_RCPT, SF_POLICY, SF_FAIL },
	{ "552 5.2.2 mailbox full", 552, "5.2.2", SF_RCPT, SF_MAILBOX_FULL,
	    SF_DEFER },
	{ "bare 552 to RCPT", 552, NULL, SF_RCPT, SF_MAILBOX_FULL, SF_DEFER },
	{ "550 5.7.1 after the data", 550, "5.7.1", SF_EOD, SF_POLICY,
	    SF_FAIL },
	{ "550 5.7.1 to RCPT", 550, "5.7.1", SF_RCPT, SF_POLICY, SF_FAIL },
	{ "554 5.7.1 to MAIL FROM", 554, "5.7.1", SF_MAIL, SF_POLICY, SF_FAIL },
	{ "550 5.1.1 to MAIL FROM is our sender", 550, "5.1.1", SF_MAIL,
	    SF_SYSTEM, SF_FAIL },
	{ "550 5.1.8 sender domain", 550, "5.1.8", SF_RCPT, SF_SYSTEM,
	    SF_FAIL },
	{ "bare 550 after the data", 550, NULL, SF_EOD, SF_CONTENT, SF_FAIL },
	{ "554 5.6.0 content", 554, "5.6.0", SF_EOD, SF_CONTENT, SF_FAIL },
	{ "552 5.3.4 too big", 552, "5.3.4", SF_EOD, SF_CONTENT, SF_FAIL },
	{ "552 5.2.3 too long", 552, "5.2.3", SF_EOD, SF_CONTENT, SF_FAIL },
	{ "500 5.3.0 to RCPT", 500, "5.3.0", SF_RCPT, SF_SYSTEM, SF_FAIL },
	{ "554 5.4.4 unroutable", 554, "5.4.4", SF_RCPT, SF_NETWORK, SF_FAIL },
	{ "501 5.5.2 syntax", 501, "5.5.2", SF_RCPT, SF_PROTOCOL, SF_FAIL },
	{ "bare 554 to DATA", 554, NULL, SF_DATA, SF_PROTOCOL, SF_FAIL },
	{ "450 4.2.1 to RCPT", 450, "4.2.1", SF_RCPT, SF_TEMPORARY, SF_DEFER },
	{ "421 to MAIL", 421, "4.0.0", SF_MAIL, SF_TEMPORARY, SF_DEFER },
	{ "5xx to EHLO defers", 500, "5.3.0", SF_EHLO, SF_SYSTEM, SF_DEFER },
	{ "bare 502 to EHLO defers", 502, NULL, SF_EHLO, SF_PROTOCOL,
	    SF_DEFER },
	{ "554 greeting defers", 554, NULL, SF_CONNECT, SF_SYSTEM, SF_DEFER },
	{ "535 5.7.8 AUTH defers", 535, "5.7.8", SF_AUTH, SF_POLICY,
	    SF_DEFER },
	{ "no connection", 0, NULL, SF_CONNECT, SF_NETWORK, SF_DEFER },
	{ "a drop after the data", 0, NULL, SF_EOD, SF_NETWORK, SF_DEFER },
	{ "DSN 5.1.1", 0, "5.1.1", SF_DSN, SF_MAILBOX, SF_SUPPRESS },
	{ "DSN 5.7.1", 0, "5.7.1", SF_DSN, SF_POLICY, SF_FAIL },
	{ "DSN 5.2.2", 0, "5.2.2", SF_DSN, SF_MAILBOX_FULL, SF_DEFER },
	{ "DSN 5.0.0 alone", 0, "5.0.0", SF_DSN, SF_MAILBOX, SF_SUPPRESS },
	{ "DSN 4.4.1", 0, "4.4.1", SF_DSN, SF_TEMPORARY, SF_DEFER },
	{ "DSN 550 5.7.1 in the diagnostic", 550, "5.7.1", SF_DSN, SF_POLICY,
	    SF_FAIL },
};

static const struct {
	const char *reply;
	int code;
	const char *enh;	/* NULL: none */
} replies[] = {
	{ "550 5.1.1 <a@b.example>: unknown", 550,
	    "5.1.1 <a@b.example>: unknown" },
	{ "550 No such user", 550, NULL },
	{ "smtp; 550 5.7.1 spam", 550, "5.7.1 spam" },
	{ "X-Postfix; connect to mx.example[192.0.2.1]:25: timed out", 0,
	    NULL },
	{ "5.1.10 null MX", 0, "5.1.10 null MX" },
	{ "550-5.7.1 first line", 550, "5.7.1 first line" },
	{ "5500 not a code", 0, NULL },
	{ "", 0, NULL },
};

static const struct {
	const char *s;
	int ok, v0, v1, v2;
} enhs[] = {
	{ "5.1.1", 1, 5, 1, 1 },
	{ " 4.7.26 text", 1, 4, 7, 26 },
	{ "5.1.100", 1, 5, 1, 100 },
	{ "5.1.1000", 0, 0, 0, 0 },
	{ "3.1.1", 0, 0, 0, 0 },
	{ "5.1", 0, 0, 0, 0 },
	{ "5.1.1a", 0, 0, 0, 0 },
	{ "5.1.1.2", 0, 0, 0, 0 },
};

int
main(void)
{
	struct smtpfail f;
	enum smtpfail_class c;
	const char *enh;
	size_t i;
	int v[3], rc, code;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		smtpfail_classify(cases[i].code, cases[i].enh, cases[i].stage,
		    &f);
		T_STR(smtpfail_class_name(f.cls),
		    smtpfail_class_name(cases[i].cls), "%s: class",
		    cases[i].label);
		T_INT(f.act, cases[i].act, "%s: action", cases[i].label);
	}
	for (i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		code = smtpfail_reply_code(replies[i].reply, &enh);
		T_INT(code, replies[i].code, "reply '%s': code",
		    replies[i].reply);
		T_STR(enh ? enh : "(none)", replies[i].enh ? replies[i].enh :
		    "(none)", "reply '%s': enhanced code", replies[i].reply);
	}
	for (i = 0; i < sizeof(enhs) / sizeof(enhs[0]); i++) {
		rc = smtpfail_enh_parse(enhs[i].s, v);
		T_INT(rc == 0, enhs[i].ok, "'%s' is %san enhanced code",
		    enhs[i].s, enhs[i].ok ? "" : "not ");
		if (rc == 0 && enhs[i].ok)
			T_OK(v[0] == enhs[i].v0 && v[1] == enhs[i].v1 &&
			    v[2] == enhs[i].v2, "'%s' reads %d.%d.%d",
			    enhs[i].s, v[0], v[1], v[2]);
	}
	for (i = 0; i < SF_NCLASSES; i++) {
		T_OK(smtpfail_class_parse(smtpfail_class_name(
		    (enum smtpfail_class)i), &c) == 0 && (size_t)c == i,
		    "class %s reads back", smtpfail_class_name(
		    (enum smtpfail_class)i));
	}
	T_INT(smtpfail_class_parse("bogus", &c), -1, "an unknown class");
	T_STR(smtpfail_stage_name(SF_EOD), "end of data", "a stage's name");
	return t_done();
}
