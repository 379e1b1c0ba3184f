/*
 * The outbound rows of the store (core/store.h): outgoing mail (spool/),
 * one row per message (struct outgoing, core/outgoing.h), keyed so that
 * none is queued twice; the leads each message stands for; the
 * suppression list of addresses never to write to; and the contacts'
 * unsubscribe tokens for bulk mail (contacts.unsub_token): 32 random hex
 * digits, stable once made; and the bounce and complaint reports applied
 * to messages (outbound/bounce.h).
 */
#ifndef LG_STORE_OUTBOUND_H
#define LG_STORE_OUTBOUND_H

#include <stddef.h>
#include <stdint.h>

#include "core/outgoing.h"

void store_outgoing_rows_free(struct outgoing *v, size_t n);

/* The leads a message stands for, and the phase each reaches when sent. */
struct outgoing_lead {
	int64_t lead_id;
	int advance_phase;	/* 0: none */
};

struct suppression_row {
	char *address;
	char *reason;
	char *at;
};
void store_suppression_rows_free(struct suppression_row *v, size_t n);

/* A report applied to a message; the store sets its time. */
struct new_bounce {
	const char *report_key;	/* the report's inquiry key */
	int64_t outgoing_id;
	const char *address;	/* the message's recipient, normalized */
	const char *kind;	/* "hard", "soft" or "complaint" */
	const char *action;	/* DSN Action ("failed", "delayed"), or the
				   complaint's Feedback-Type */
	const char *status;	/* "5.1.1"; NULL: none */
	const char *diagnostic;	/* NULL: none */
	const char *reporter;	/* Reporting-MTA or User-Agent; NULL: none */
};


/*
 * Webhooks out (outbound/webhook.h): an event of the outbox (written by
 * the store itself, in the transaction of the change) as one endpoint's
 * delivery of it. state is "pending", "delivered" or "failed".
 */
struct webhook_delivery {
	char *endpoint;
	int64_t event_id;	/* the outbox's order */
	char *uid;		/* the event id receivers dedup by */
	char *type;		/* "lead.created", ... */
	char *created_at;	/* ISO time of the change */
	char *data;		/* JSON object */
	char *state;
	int attempts;
	int64_t next_attempt;	/* unix time; 0: now */
	long last_status;	/* HTTP status of the last attempt; 0: none */
	char *last_error;
	char *updated_at;
};
void store_webhook_rows_free(struct webhook_delivery *v, size_t n);

#endif
