/*
 * Bounces and complaints about mail we sent (parse/report.h), arriving
 * through any connector: matched to the outgoing message they are about
 * and applied in the caller's store transaction. A report is never an
 * inquiry: it never becomes a lead and is never answered.
 *
 * Matching: by the VERP address (core/verp.h) the report was delivered
 * to, or that its returned message went out with, when its HMAC is right;
 * failing that, by the returned message's Message-ID, which must be one
 * of ours, sent to a recipient the report names (when it names any). A
 * VERP address with a wrong HMAC is a forgery: held, never applied.
 *
 * Applying, once per message, kind and action (store_bounce_add()):
 *
 *   failed     (Action failed, Status 5.x.x) classified by its codes
 *              (util/smtpfail.h), the class kept with the message: a
 *              dead mailbox is hard, a full one (5.2.2) soft; any other
 *              class (policy, content, ...) gets a history entry
 *              "bounce" and leaves the address alone;
 *   hard       the address goes on the
 *              suppression list, the contacts that write to it get their
 *              address marked invalid, and the message's leads (else its
 *              contact) get a history entry "bounce";
 *   soft       (delayed, or failed with 4.x.x) counted per address over
 *              the messages that soft-bounced within bounce.soft_window:
 *              at bounce.soft_limit, the same as hard; before, a history
 *              entry "soft bounce";
 *   complaint  (ARF abuse, fraud, virus, other) the address is
 *              unsubscribed (outbound/unsub.h: suppression list, opt-out,
 *              the contact's history) and the leads get "complaint";
 *   nothing    (delivered, relayed, not-spam) nothing changes.
 */
#ifndef LG_BOUNCE_H
#define LG_BOUNCE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct config;
struct domain;
struct mail;

struct bounce_result {
	int quarantine;		/* hold the report: reason says why */
	char reason[512];
	char note[600];		/* what was done, in words */
	int64_t outgoing_id;	/* the message it is about, or 0 */
	int64_t contact_id;	/* its contact, or 0 */
};

/* 1 when m is a report bounce_handle() takes (parse/report.h), else 0. */
int bounce_detect(const struct mail *m);

/*
 * The report in m (raw is the message m was parsed from), read, matched
 * and applied; report_key is its inquiry key, recorded with it. LG_OK
 * with res saying what happened (or why to hold it: a malformed report,
 * no message of ours, a forged VERP, a VERP secret that cannot be read);
 * otherwise a store failure (the caller rolls back).
 */
int bounce_handle(struct domain *d, const struct config *cfg,
    const struct mail *m, const char *raw, size_t len,
    const char *report_key, struct bounce_result *res, struct err *e);

#endif
