/*
 * The bulk mailer: one message per contact the filter selects (the
 * filter language of core/filter.h), written from a template as bulk
 * mail (List-Unsubscribe, Precedence: bulk) and spooled under a
 * campaign. The campaign keys every message by contact, so running it
 * again, after a crash or by mistake, spools only to the contacts that
 * did not get it yet.
 *
 * With a filter on lead fields the contacts are those of the matching
 * leads, and the message is about those leads (the template sees them as
 * "leads", the first as "lead"); once it is accepted, each moves forward
 * to the --advance-to phase of its pipeline. A filter on contact fields
 * only selects contacts, with no lead.
 */
#ifndef LG_BULK_H
#define LG_BULK_H

#include <stdint.h>

#include "util/err.h"

struct config;
struct domain;
struct spool;

struct bulk_req {
	const char *name;	/* NULL: "TEMPLATE-HASH" of what is asked */
	const char *filter;
	const char *template;
	const char *advance_to;	/* a phase name or number; NULL: none */
	int dry_run;		/* count and render a sample; change nothing */
	/*
	 * Instead of what the filter selects: these contacts (ascending;
	 * the filter then only describes the campaign). lead_for, when
	 * set, is called in the transaction that spools to a contact (not
	 * in a dry run) for the lead the message is about (*lead 0: none);
	 * its failure undoes the batch like a spool failure.
	 */
	const int64_t *contacts;
	size_t ncontacts;
	int (*lead_for)(void *arg, int64_t contact, int64_t *lead,
	    struct err *e);
	void *lead_arg;
};

/* Why a contact gets no message. */
enum bulk_skip {
	BULK_ALREADY,		/* the campaign has a message for it */
	BULK_OPTED_OUT,
	BULK_INVALID,		/* its address is marked invalid */
	BULK_NO_EMAIL,
	BULK_SUPPRESSED,	/* the address is on the suppression list */
	BULK_UNWRITABLE,	/* the template cannot be written to it */
	BULK_NSKIP
};

struct bulk_result {
	char *name;		/* the campaign's */
	int64_t campaign_id;	/* 0 in a dry run of a new campaign */
	long matched;		/* contacts the filter selected */
	long leads;		/* leads among them (lead filters) */
	long queued;		/* spooled now (dry run: would be) */
	long skipped[BULK_NSKIP];
	char *first_error;	/* of the first BULK_UNWRITABLE contact */
	char *sample;		/* dry run: one message as it would go */
	char *sample_rcpt;
};

/* Progress of the spooling: done of total contacts looked at. */
struct bulk_hooks {
	void (*progress)(void *arg, long done, long total);
	void *arg;
};

/*
 * Run the campaign (sp NULL with dry_run). LG_EPERM for a request that
 * cannot work (filter, template, phase, a name used for another
 * campaign), LG_ETEMP when the store or the spool failed: what was
 * committed stays, and running it again goes on from there.
 */
int bulk_run(struct domain *d, const struct config *cfg, struct spool *sp,
    const struct bulk_req *r, const struct bulk_hooks *h,
    struct bulk_result *out, struct err *e);
void bulk_result_clear(struct bulk_result *r);
long bulk_skipped_total(const struct bulk_result *r);
/* "already sent", "opted out", ...: for reports. */
const char *bulk_skip_name(enum bulk_skip s);

#endif
