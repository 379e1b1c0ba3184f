/*
 * The inbound rows of the store (core/store.h): what the connectors and
 * ingest/ remember about what came in.
 *
 * Connector state is key/value pairs per connector: portal cursors, last
 * poll, last error, counters.
 *
 * Inquiries: every inquiry seen, under a unique key ("mid:<Message-ID>",
 * "portal:<portal>:<id>", "sha256:<hex>"), so each is handled once.
 *
 * Quarantine: what could not become a lead, with the raw data and why.
 *
 * Mail folder state (IMAP connectors): the UIDVALIDITY last seen and the
 * UIDs whose inquiry is committed but that may not be marked done on the
 * server yet (a crash between the two). Rows are keyed by UIDVALIDITY, so
 * a changed one leaves the old UIDs out of the way.
 */
#ifndef LG_STORE_INBOUND_H
#define LG_STORE_INBOUND_H

#include <stddef.h>
#include <stdint.h>

/*
 * A lease (store_lease_take()): the named work is its holder's (an
 * instance id, cluster.instance) until expires_at; times in unix seconds.
 */
struct lease_row {
	char *name;
	char *holder;
	int64_t taken_at;
	int64_t renewed_at;
	int64_t expires_at;
};

void store_lease_rows_free(struct lease_row *v, size_t n);

struct inquiry_row {
	int64_t id;
	char *key;
	char *connector;
	char *sender;		/* normalized, for the loop breaker */
	int64_t lead_id;	/* 0 when none */
	int64_t contact_id;
	int64_t quarantine_id;
	char *rule;
	char *decision;		/* what deduplication decided, in words */
	char *received_at;
};
void store_inquiry_rows_free(struct inquiry_row *v, size_t n);

/* An inquiry to record; the store sets its time. */
struct new_inquiry {
	const char *key;
	const char *connector;
	const char *sender;	/* normalized, for the loop breaker */
	int64_t lead_id;	/* 0 when none */
	int64_t contact_id;
	int64_t quarantine_id;
	const char *rule;
	const char *decision;	/* what deduplication decided, in words */
};

struct quarantine_row {
	int64_t id;
	char *at;
	char *connector;
	char *kind;		/* "mail" or "json" */
	char *inquiry_key;
	char *reason;
	char *location;		/* where the decision was made ("rule x (f:12)") */
	char *state;		/* held, retried, dropped */
	char *meta;		/* JSON object text */
	unsigned char *raw;	/* NULL in listings */
	size_t rawlen;
};
void store_quarantine_rows_free(struct quarantine_row *v, size_t n);

/* Data to quarantine; the store sets its time and the state "held". */
struct new_quarantine {
	const char *connector;
	const char *kind;	/* "mail" or "json"; NULL: "mail" */
	const char *inquiry_key;
	const char *reason;
	const char *location;	/* where it was decided ("rule x (f:12)") */
	const char *meta;	/* JSON object text; NULL: "{}" */
	const void *raw;
	size_t rawlen;
};

/*
 * The mail kept: one row per raw message (or portal record) kept with
 * its lead; the content is the archive file named by sha256
 * (core/archive.h). Several rows may share one file.
 */
struct mail_row {
	int64_t id;
	char *received_at;
	char *kind;		/* "mail" or "json" */
	char *connector;
	int64_t lead_id;
	int64_t contact_id;
	int64_t inquiry_id;	/* the inquiries row it came with */
	char *from;		/* decoded From, or the portal's e-mail */
	char *subject;
	char *message_id;
	int64_t size;		/* bytes of the raw message */
	char *sha256;		/* lower-case hex */
};
void store_mail_rows_free(struct mail_row *v, size_t n);

/* A mail to record; the store sets its time. */
struct new_mail_row {
	const char *kind;	/* "mail" or "json"; NULL: "mail" */
	const char *connector;
	int64_t lead_id;
	int64_t contact_id;
	int64_t inquiry_id;
	const char *from;
	const char *subject;
	const char *message_id;
	int64_t size;
	const char *sha256;
};

#endif
