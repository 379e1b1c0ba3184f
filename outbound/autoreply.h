/*
 * The autoresponder: answers a new inquiry with the template its rule
 * names, spooled in the same transaction that records the lead, and never
 * feeds a loop (RFC 3834 and the Sieve vacation rules, RFC 5230).
 */
#ifndef LG_AUTOREPLY_H
#define LG_AUTOREPLY_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct config;
struct contact;
struct domain;
struct lead;
struct mail;
struct spool;

/*
 * Why an inquiry must not be answered, or NULL when it may be. target is
 * the address the reply would go to (the prospect's, normalized);
 * envelope_from the SMTP sender when known ("" is the null sender <>).
 * The reason is written to why.
 */
int autoreply_suppressed(const struct mail *m, const char *envelope_from,
    const char *target, const struct config *cfg, char *why, size_t len);

/*
 * One inquiry's reply, as its rule asks for it. contact and lead are the
 * caller's copies as its transaction stored them (core/intake.h hands
 * them back): the autoresponder reads neither again.
 */
struct autoreply_req {
	const struct mail *mail;	/* the inquiry; NULL for portal items */
	const char *envelope_from;	/* NULL when unknown */
	const char *target;		/* the prospect's, normalized */
	const struct contact *contact;	/* the lead's contact */
	const struct lead *lead;	/* the new lead */
	const char *rule;
	const char *template;
	int advance_phase;		/* reached once the reply is accepted */
	int forwarded;			/* the mail is an agent's forward of
					   the prospect's (parse/forward.h):
					   its From is the agent's, which may
					   be one of our own addresses */
};

/*
 * Queue the reply inside the caller's store transaction, or record in the
 * lead's history why not. LG_OK either way (*queued says which, outcome
 * says what happened in words); LG_ETEMP when the store or the spool
 * failed (the caller rolls back and the inquiry comes again). With sp
 * NULL nothing is written: outcome says what would happen.
 */
int autoreply_queue(struct domain *d, const struct config *cfg,
    struct spool *sp, const struct autoreply_req *r, int *queued,
    char *outcome, size_t len, struct err *e);

#endif
