/*
 * Delivery failures classified: one table over the enhanced status codes
 * of RFC 3463 (class.subject.detail), and one over the bare reply codes
 * by the stage of the SMTP dialogue they answer, used alike by SMTP
 * delivery and by the delivery status notifications that come back.
 *
 * What a failure does follows from its class and from whether it is
 * permanent (a 5xx reply, or a 5.x.x status with no reply code):
 *
 *   mailbox       permanent: the address is dead (5.1.x such as 5.1.1,
 *                 5.1.2, 5.1.10; 5.2.1; a bare 550/551/553 to RCPT).
 *                 The only class that suppresses the address.
 *   mailbox-full  5.2.2, 552 to RCPT: deferred, never suppressing.
 *   policy        5.7.x, a refused sender: that message fails.
 *   content       5.6.x, 5.2.3, 5.3.4, a bare 5xx to the data: fails.
 *   system, network, protocol: the receiving or our own side (5.3.x,
 *                 5.4.x, 5.5.x, our sender's address): fails.
 *   temporary     4xx, or a failure of ours with no reply at all.
 *
 * A failure of the session as a whole (the greeting, EHLO, STARTTLS,
 * AUTH, no connection) is never final for the messages: it defers them.
 */
#ifndef LG_SMTPFAIL_H
#define LG_SMTPFAIL_H

enum smtpfail_stage {
	SF_CONNECT = 0,		/* connection, TLS, greeting */
	SF_EHLO,
	SF_AUTH,
	SF_MAIL,
	SF_RCPT,
	SF_DATA,		/* the DATA command */
	SF_EOD,			/* the reply after the message's data */
	SF_DSN,			/* a delivery status notification */
	SF_NSTAGES
};

enum smtpfail_class {
	SF_NONE = 0,		/* no failure */
	SF_MAILBOX,
	SF_MAILBOX_FULL,
	SF_POLICY,
	SF_CONTENT,
	SF_SYSTEM,
	SF_NETWORK,
	SF_PROTOCOL,
	SF_TEMPORARY,
	SF_NCLASSES
};

enum smtpfail_action {
	SF_OK = 0,		/* delivered */
	SF_DEFER,		/* try again later */
	SF_FAIL,		/* this message fails; the address stays */
	SF_SUPPRESS,		/* fails, and the address is dead */
};

struct smtpfail {
	enum smtpfail_class cls;
	enum smtpfail_action act;
};

/*
 * Classify a reply: code is the three-digit reply code (0 when there is
 * none: a local failure, or a DSN without a Diagnostic-Code), enh the
 * enhanced status code ("5.1.1", may be followed by text; NULL or ""
 * when there is none).
 */
void smtpfail_classify(int code, const char *enh, enum smtpfail_stage stage,
    struct smtpfail *out);

/*
 * "5.1.10" at the start of s (after blanks) into v; 0 on success, -1
 * when s does not start with an enhanced status code.
 */
int smtpfail_enh_parse(const char *s, int v[3]);

/*
 * A reply such as "550 5.7.1 text" or a Diagnostic-Code such as
 * "smtp; 550 5.1.1 <a@b>: unknown": its reply code (0 when none) and
 * where its enhanced code starts (NULL when none).
 */
int smtpfail_reply_code(const char *reply, const char **enh);

const char *smtpfail_class_name(enum smtpfail_class c);
/* 0 and *out for a name of smtpfail_class_name(), else -1. */
int smtpfail_class_parse(const char *name, enum smtpfail_class *out);
const char *smtpfail_stage_name(enum smtpfail_stage s);

#endif
