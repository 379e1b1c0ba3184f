/*
 * Matching: the contacts whose search profiles (core/object.h) match an
 * object, written to through the bulk mailer as the campaign
 * "match-REF" (so once per contact and object, with its suppression,
 * opt-out and throttling), each with a lead on the object in phase 1 of
 * its pipeline ("Contacté via matching"), the phase's action in the
 * history. A contact's best profile counts; one failing a single field
 * is a near miss, shown with what failed. A contact with a lead on the
 * object past phase 1, or closed, is skipped: it is already talking to
 * the agency about it.
 */
#ifndef LG_MATCH_H
#define LG_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct config;
struct domain;
struct object;
struct spool;

struct match_hit {
	int64_t contact_id;
	int64_t profile_id;
	char *name;		/* the contact's, for lists */
	char *why;		/* a match: what passed; a near miss: failed */
	int near;		/* a near miss, not a match */
	char *skip;		/* a match that gets no message: why */
	int64_t lead_id;	/* its open lead on the object in phase 1 */
};

struct match_result {
	struct object *obj;
	char *campaign;		/* "match-REF" */
	struct match_hit *v;	/* matches, then near misses, by contact */
	size_t n;
	long matches, nears, writable;
	long queued, skipped;	/* the real run's, from the bulk mailer */
	long leads_made;
};

struct match_req {
	const char *object;	/* ref, alias or numeric id */
	const char *template;	/* NULL: match.template */
	const char *source;	/* of the leads made; NULL: "matching" */
	int dry_run;
};

/*
 * Find (and unless dry_run, write to) the matching contacts. LG_ENOENT:
 * no such object; LG_EPERM: it is not available, or the template or
 * pipelines do not allow it; LG_ETEMP: the store or the spool failed
 * (what was committed stays; running it again goes on).
 */
int match_run(struct domain *d, const struct config *cfg, struct spool *sp,
    const struct match_req *r, struct match_result *out, struct err *e);
void match_result_clear(struct match_result *r);

#endif
