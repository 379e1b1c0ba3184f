/*
 * The ingest pipeline: what every connector's inquiries go through.
 * parse -> rules -> deduplication -> contact and lead in the store (or
 * quarantine), in one transaction per inquiry, keyed so that the same
 * inquiry is never handled twice (Message-ID, portal and inquiry id, or a
 * hash of the raw data).
 *
 * ingest_mail and ingest_inquiry have the connector sink signatures of
 * connectors/source.h and keep its contract: LG_OK once the inquiry is
 * durably handled (a lead, a duplicate, ignored by a rule, an unsubscribe
 * request done, or kept in quarantine), LG_ETEMP when the store could not
 * take it now.
 *
 * A mail to mail.unsubscribe_mailto is an unsubscribe request, not an
 * inquiry (outbound/unsub_mail.h): it counts as ignored. So does a bounce
 * or complaint about mail we sent (outbound/bounce.h), unless it names no
 * message of ours: then it is quarantined.
 */
#ifndef LG_INGEST_H
#define LG_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "connectors/connector.h"
#include "connectors/source.h"
#include "util/err.h"

struct config;
struct inquiry;
struct parse_data;
struct pipelines;
struct rules;
struct rule;
struct store;

enum ingest_outcome {
	INGEST_NEW_LEAD,
	INGEST_EXISTING_LEAD,	/* an open lead on the same object got it */
	INGEST_DUPLICATE,	/* seen before: nothing done */
	INGEST_IGNORED,		/* a rule said so, or an unsubscribe request */
	INGEST_QUARANTINED,
};

/* What happened to the last inquiry, for `rules test` and the logs. */
struct ingest_report {
	enum ingest_outcome outcome;
	char key[320];
	const struct rule *rule;
	struct inquiry *inquiry;	/* what the rule's extractor found */
	char decision[320];		/* the deduplication decision in words */
	char reason[512];		/* why quarantined */
	char autoreply[600];		/* what the autoresponder did, or "" */
	int unsubscribe;		/* an unsubscribe request (decision: what it did) */
	int report;			/* a bounce or complaint (decision: the same) */
	int reply;			/* an answer to our mail (decision: the same) */
	int64_t contact_id;
	int64_t lead_id;
	int64_t quarantine_id;
};

struct ingest_stats {
	long new_leads;
	long existing_leads;
	long duplicates;
	long ignored;
	long quarantined;
	long queued;		/* autoreplies queued (committed or not) */
};

struct ingest;

/*
 * Borrows everything; the store must not be in a transaction. pd: the
 * profiles and the lexicon mail is read with.
 */
struct ingest *ingest_new(const struct config *cfg, struct store *st,
    const struct pipelines *pl, const struct rules *rules,
    const struct parse_data *pd);
void ingest_free(struct ingest *ig);
/*
 * Commits skip their fsync; sync (the sink's, which connectors call before
 * they flag, move or acknowledge) makes them all durable at once.
 */
void ingest_group_commit(struct ingest *ig);
int ingest_sync(void *ig, struct err *e);
/* Decide and report, but roll everything back (rules test). */
void ingest_set_dry_run(struct ingest *ig, int on);
/* A sink for connectors, with this pipeline behind it. */
void ingest_sink(struct ingest *ig, struct connector_sink *sink);

int ingest_mail(void *ig, const char *raw, size_t len,
    const struct source_meta *meta, struct err *e);
int ingest_inquiry(void *ig, struct inquiry *q, const char *raw, size_t len,
    const struct source_meta *meta, struct err *e);
/* Run a quarantined inquiry through the pipeline again. */
int ingest_retry(struct ingest *ig, int64_t quarantine_id, struct err *e);

const struct ingest_report *ingest_last(const struct ingest *ig);
const struct ingest_stats *ingest_stats(const struct ingest *ig);
/*
 * fn(arg) after each ingest_sync() that made autoreplies durable which
 * were queued since the one before: the daemon wakes its delivery job
 * with it instead of leaving the mail to its next idle poll.
 */
void ingest_on_queued(struct ingest *ig, void (*fn)(void *), void *arg);
const char *ingest_outcome_name(enum ingest_outcome o);

#endif
