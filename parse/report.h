/*
 * Reports about mail we sent, as they come back to us: delivery status
 * notifications (RFC 3464, multipart/report; report-type=delivery-status,
 * as Postfix, Exim, Exchange and Gmail write them), complaints (ARF, RFC
 * 5965, report-type=feedback-report, from feedback loops) and the common
 * bounces of MAILER-DAEMON that are no DSN but return the message.
 *
 * A report is read from the raw message (the parts of struct mail lose
 * the header of a returned message/rfc822, which names our message): one
 * entry per recipient with what happened to it, the header of the
 * returned message (its Message-ID, Return-Path and To), and the addresses
 * the report was delivered to (Delivered-To, X-Original-To, To, ...),
 * where a VERP address says which message it is about.
 */
#ifndef LG_REPORT_H
#define LG_REPORT_H

#include <stddef.h>

#include <jansson.h>

#include "util/err.h"

struct mail;

enum report_type {
	REPORT_NONE = 0,	/* not a report: an ordinary mail */
	REPORT_DSN,		/* RFC 3464 */
	REPORT_ARF,		/* RFC 5965 */
	REPORT_BOUNCE,		/* a MAILER-DAEMON notice, no DSN part */
};

/* What a report means for the recipient's address. */
enum report_verdict {
	REPORT_NOTHING = 0,	/* delivered, relayed, expanded; not-spam */
	REPORT_SOFT,		/* delayed, or failed with a 4.x.x status */
	REPORT_HARD,		/* failed with a 5.x.x status */
	REPORT_COMPLAINT,	/* ARF abuse, fraud, virus, other */
};

struct report_rcpt {
	char *final_rcpt;	/* normalized if it can be, else as written */
	char *original_rcpt;	/* the same; NULL when absent */
	char *action;		/* lower case: "failed", "delayed", ...;
				   ARF: the Feedback-Type */
	char *status;		/* "5.1.1", or NULL */
	char *diagnostic;	/* Diagnostic-Code, white space squeezed */
	char *remote_mta;	/* without its "dns;" */
	enum report_verdict verdict;
};

struct report {
	enum report_type type;
	char *reporter;		/* Reporting-MTA, User-Agent or From */
	char *feedback_type;	/* ARF only, lower case */
	struct report_rcpt *rcpts;	/* DSN: one per recipient; else one */
	size_t nrcpts;
	/* The returned message (message/rfc822 or text/rfc822-headers). */
	char *orig_message_id;	/* without <>, or NULL */
	char *orig_return_path;	/* its Return-Path, X-Postfix-Sender or
				   the ARF's Original-Mail-From, normalized */
	char *orig_to;		/* its To's first address, normalized */
	/* Where the report was delivered, normalized, most reliable first. */
	char **to;
	size_t nto;
};

/* What kind of report m is (REPORT_NONE: none), from m alone. */
enum report_type report_detect(const struct mail *m);
/*
 * The report in raw (the message m was parsed from). LG_ENOENT when it
 * is no report; LG_EPERM for a report that says nothing usable (no
 * recipient, no Feedback-Type), with the reason.
 */
int report_parse(const struct mail *m, const char *raw, size_t len,
    struct report **out, struct err *e);
void report_free(struct report *r);

/* "dsn", "arf", "bounce"; "hard", "soft", "complaint", "nothing". */
const char *report_type_name(enum report_type t);
const char *report_verdict_name(enum report_verdict v);
/* Every field, for `leadgate parse --json` and the tests. New reference. */
json_t *report_to_json(const struct report *r);

#endif
