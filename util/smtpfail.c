/* Delivery failures classified by status code and stage (see smtpfail.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/smtpfail.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define ST(s)		(1u << (s))
#define ANY		(-1)

static const char *const class_names[] = {
	[SF_NONE] = "none",
	[SF_MAILBOX] = "mailbox",
	[SF_MAILBOX_FULL] = "mailbox-full",
	[SF_POLICY] = "policy",
	[SF_CONTENT] = "content",
	[SF_SYSTEM] = "system",
	[SF_NETWORK] = "network",
	[SF_PROTOCOL] = "protocol",
	[SF_TEMPORARY] = "temporary",
};

static const char *const stage_names[] = {
	[SF_CONNECT] = "connect",
	[SF_EHLO] = "EHLO",
	[SF_AUTH] = "AUTH",
	[SF_MAIL] = "MAIL FROM",
	[SF_RCPT] = "RCPT TO",
	[SF_DATA] = "DATA",
	[SF_EOD] = "end of data",
	[SF_DSN] = "DSN",
};

/*
 * Enhanced codes (RFC 3463 section 3), the first row that matches wins:
 * subject, detail (ANY), the stages it holds at (0: all), the class.
 */
static const struct {
	int subject, detail;
	unsigned stages;
	enum smtpfail_class cls;
} enh_rows[] = {
	/* Addressing: at MAIL FROM it is our own sender that is wrong. */
	{ 1, ANY, ST(SF_MAIL), SF_SYSTEM },
	{ 1, 7, 0, SF_SYSTEM },		/* bad sender's address syntax */
	{ 1, 8, 0, SF_SYSTEM },		/* bad sender's system address */
	{ 1, 5, 0, SF_PROTOCOL },	/* "destination valid" as a failure */
	{ 1, 9, 0, SF_PROTOCOL },	/* relayed to a non-compliant mailer */
	{ 1, ANY, 0, SF_MAILBOX },	/* 1.1 mailbox, 1.2 system, 1.10 null MX */
	/* Mailbox status. */
	{ 2, 1, ST(SF_MAIL), SF_SYSTEM },
	{ 2, 1, 0, SF_MAILBOX },	/* mailbox disabled */
	{ 2, 2, 0, SF_MAILBOX_FULL },
	{ 2, 3, 0, SF_CONTENT },	/* message longer than allowed */
	{ 2, ANY, 0, SF_SYSTEM },
	/* Mail system status. */
	{ 3, 4, 0, SF_CONTENT },	/* message too big for the system */
	{ 3, ANY, 0, SF_SYSTEM },
	{ 4, ANY, 0, SF_NETWORK },	/* network and routing */
	{ 5, ANY, 0, SF_PROTOCOL },	/* mail delivery protocol */
	{ 6, ANY, 0, SF_CONTENT },	/* message content or media */
	{ 7, ANY, 0, SF_POLICY },	/* security or policy */
};

/*
 * Bare 5xx reply codes (no enhanced code, or X.0.0), by stage: the
 * first row whose stage matches and whose code matches (0: any) wins.
 */
static const struct {
	enum smtpfail_stage stage;
	int code;
	enum smtpfail_class cls;
} code_rows[] = {
	{ SF_CONNECT, 0, SF_SYSTEM },
	{ SF_EHLO, 0, SF_PROTOCOL },
	{ SF_AUTH, 0, SF_SYSTEM },
	{ SF_MAIL, 552, SF_CONTENT },	/* SIZE refused */
	{ SF_MAIL, 0, SF_POLICY },	/* our sender refused */
	{ SF_RCPT, 550, SF_MAILBOX },
	{ SF_RCPT, 551, SF_MAILBOX },
	{ SF_RCPT, 553, SF_MAILBOX },
	{ SF_RCPT, 552, SF_MAILBOX_FULL },
	{ SF_RCPT, 500, SF_PROTOCOL },
	{ SF_RCPT, 501, SF_PROTOCOL },
	{ SF_RCPT, 503, SF_PROTOCOL },
	{ SF_RCPT, 0, SF_POLICY },	/* 554 and the like: relay refused */
	{ SF_DATA, 0, SF_PROTOCOL },
	{ SF_EOD, 0, SF_CONTENT },	/* a verdict on the message */
	/* A DSN that says no more than "failed" stays a dead mailbox. */
	{ SF_DSN, 552, SF_MAILBOX_FULL },
	{ SF_DSN, 500, SF_PROTOCOL },
	{ SF_DSN, 501, SF_PROTOCOL },
	{ SF_DSN, 554, SF_POLICY },
	{ SF_DSN, 0, SF_MAILBOX },
};

/* A failure without a reply: whose fault, by where it happened. */
static const enum smtpfail_class local_class[SF_NSTAGES] = {
	[SF_CONNECT] = SF_NETWORK,
	[SF_EHLO] = SF_PROTOCOL,
	[SF_AUTH] = SF_SYSTEM,
	[SF_MAIL] = SF_NETWORK,
	[SF_RCPT] = SF_NETWORK,
	[SF_DATA] = SF_NETWORK,
	[SF_EOD] = SF_NETWORK,
	[SF_DSN] = SF_TEMPORARY,
};

/* One number of 1 to 3 digits; the end in *end. */
static int
enh_number(const char *p, const char **end)
{
	int n = 0, k = 0;

	while (isdigit((unsigned char)p[k]) && k < 3)
		n = n * 10 + (p[k++] - '0');
	*end = p + k;
	return k == 0 || isdigit((unsigned char)p[k]) ? -1 : n;
}

int
smtpfail_enh_parse(const char *s, int v[3])
{
	const char *p;
	int i;

	if (s == NULL)
		return -1;
	for (p = s; *p == ' ' || *p == '\t'; p++)
		;
	if (*p != '2' && *p != '4' && *p != '5')
		return -1;
	for (i = 0; i < 3; i++) {
		if ((v[i] = enh_number(p, &p)) < 0)
			return -1;
		if (i < 2 && *p++ != '.')
			return -1;
	}
	return *p == '\0' || !(isalnum((unsigned char)*p) || *p == '.') ?
	    0 : -1;
}

int
smtpfail_reply_code(const char *reply, const char **enh)
{
	const char *p = reply, *semi;
	int code, v[3];

	*enh = NULL;
	if (p == NULL)
		return 0;
	/* "smtp; 550 ...": a Diagnostic-Code's type goes first. */
	if ((semi = strchr(p, ';')) != NULL && semi - p < 16)
		p = semi + 1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!(p[0] >= '2' && p[0] <= '5') || !isdigit((unsigned char)p[1]) ||
	    !isdigit((unsigned char)p[2]) || isdigit((unsigned char)p[3]))
		code = 0;
	else {
		code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
		p += 3;
		if (*p == '-')
			p++;
	}
	if (smtpfail_enh_parse(p, v) == 0) {
		while (*p == ' ' || *p == '\t')
			p++;
		*enh = p;
	}
	return code;
}

static enum smtpfail_class
by_code(int code, enum smtpfail_stage stage)
{
	size_t i;

	for (i = 0; i < NELEM(code_rows); i++)
		if (code_rows[i].stage == stage &&
		    (code_rows[i].code == 0 || code_rows[i].code == code))
			return code_rows[i].cls;
	return SF_SYSTEM;
}

static enum smtpfail_class
by_enh(const int v[3], enum smtpfail_stage stage)
{
	size_t i;

	for (i = 0; i < NELEM(enh_rows); i++)
		if (enh_rows[i].subject == v[1] &&
		    (enh_rows[i].detail == ANY || enh_rows[i].detail == v[2]) &&
		    (enh_rows[i].stages == 0 ||
		    (enh_rows[i].stages & ST(stage)) != 0))
			return enh_rows[i].cls;
	return SF_NONE;
}

/* What a permanent failure of each class does to the message. */
static const enum smtpfail_action permanent_action[SF_NCLASSES] = {
	[SF_NONE] = SF_FAIL,
	[SF_MAILBOX] = SF_SUPPRESS,
	[SF_MAILBOX_FULL] = SF_DEFER,
	[SF_POLICY] = SF_FAIL,
	[SF_CONTENT] = SF_FAIL,
	[SF_SYSTEM] = SF_FAIL,
	[SF_NETWORK] = SF_FAIL,
	[SF_PROTOCOL] = SF_FAIL,
	[SF_TEMPORARY] = SF_DEFER,
};

void
smtpfail_classify(int code, const char *enh, enum smtpfail_stage stage,
    struct smtpfail *out)
{
	int v[3], have, digit;

	if ((unsigned)stage >= SF_NSTAGES)
		stage = SF_CONNECT;
	have = enh != NULL && smtpfail_enh_parse(enh, v) == 0;
	digit = code > 0 ? code / 100 : have ? v[0] : 0;
	out->cls = SF_NONE;
	out->act = SF_OK;
	if (digit == 2)
		return;
	out->act = SF_DEFER;
	if (digit == 4) {
		out->cls = SF_TEMPORARY;
		return;
	}
	if (digit != 5) {
		out->cls = local_class[stage];
		return;
	}
	if (have && (v[1] != 0 || v[2] != 0))
		out->cls = by_enh(v, stage);
	if (out->cls == SF_NONE)
		out->cls = by_code(code, stage);
	/* The session as a whole: nothing final for its messages. */
	if (stage == SF_CONNECT || stage == SF_EHLO || stage == SF_AUTH)
		return;
	out->act = permanent_action[out->cls];
}

const char *
smtpfail_class_name(enum smtpfail_class c)
{
	return (unsigned)c < NELEM(class_names) ? class_names[c] : "?";
}

int
smtpfail_class_parse(const char *name, enum smtpfail_class *out)
{
	size_t i;

	for (i = 0; name != NULL && i < NELEM(class_names); i++)
		if (strcmp(name, class_names[i]) == 0) {
			*out = (enum smtpfail_class)i;
			return 0;
		}
	return -1;
}

const char *
smtpfail_stage_name(enum smtpfail_stage s)
{
	return (unsigned)s < NELEM(stage_names) ? stage_names[s] : "?";
}
