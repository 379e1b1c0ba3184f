/*
 * Internal to the SQLite backend (store_sqlite*.c): the connection,
 * the statement cache and small helpers. Not for use outside the store.
 */
#ifndef LG_STORE_SQLITE_H
#define LG_STORE_SQLITE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "util/buf.h"
#include "util/err.h"
#include "core/store.h"

#define SQ_APPLICATION_ID 0x4c474154	/* "LGAT" */
#define SQ_CACHE_SIZE 128
#define SQ_SCHEMA_LATEST 3	/* the version of the last migration */

struct sq_migration {
	int version;
	const char *sql;
};

extern const struct sq_migration sq_migrations[];
extern const size_t sq_nmigrations;

struct sq {
	sqlite3 *db;
	char *path;
	int in_tx;
	struct {
		const char *sql;	/* static text: compared by address */
		sqlite3_stmt *stmt;
	} cache[SQ_CACHE_SIZE];
	size_t ncache;
};

/* A cached prepared statement for static SQL text, reset and unbound. */
sqlite3_stmt *sq_stmt(struct sq *q, const char *sql, struct err *e);
/* Reset a statement after use so it pins no snapshot. */
void sq_done(sqlite3_stmt *s);
/* Map the connection's last error to an LG code with a message. */
int sq_fail(struct sq *q, int rc, const char *what, struct err *e);
/* Step a statement that returns no rows. */
int sq_exec_stmt(struct sq *q, sqlite3_stmt *s, const char *what,
    struct err *e);
int sq_exec(struct sq *q, const char *sql, struct err *e);

void sq_bind_text(sqlite3_stmt *s, int i, const char *v);	/* NULL -> NULL */
void sq_bind_id(sqlite3_stmt *s, int i, int64_t v);		/* 0 -> NULL */
char *sq_col_text(sqlite3_stmt *s, int i);			/* copy or NULL */
void sq_now(char *out, size_t len);

/* Run a query whose single column is an id into out. */
int sq_ids(struct sq *q, sqlite3_stmt *s, struct idlist *out, const char *what,
    struct err *e);

/* Filter to SQL: appends a WHERE expression and collects its parameters. */
struct sq_params {
	char **v;
	size_t n;
};
int sq_filter_sql(const struct filter *f, struct buf *sql, struct sq_params *p,
    struct err *e);
void sq_params_free(struct sq_params *p);

/* The per-area operations (store_sqlite_*.c). */
int sq_contact_insert(void *impl, struct contact *c, struct err *e);
int sq_contact_update(void *impl, struct contact *c, struct err *e);
int sq_contact_get(void *impl, int64_t id, struct contact **out, struct err *e);
int sq_contact_find(void *impl, enum store_match by, const char *key,
    int64_t *id, struct err *e);
int sq_contact_employees(void *impl, int64_t company_id, struct idlist *out,
    struct err *e);
int sq_contacts_query(void *impl, const struct filter *f, struct idlist *out,
    struct err *e);

int sq_lead_insert(void *impl, struct lead *l, struct err *e);
int sq_lead_update(void *impl, struct lead *l, struct err *e);
int sq_lead_get(void *impl, int64_t id, struct lead **out, struct err *e);
int sq_leads_of_contact(void *impl, int64_t contact_id, struct idlist *out,
    struct err *e);
int sq_lead_find_open(void *impl, int64_t contact_id, const char *object_ref,
    int64_t *id, struct err *e);
int sq_leads_query(void *impl, const struct filter *f, struct idlist *out,
    struct err *e);
int sq_lead_summary(void *impl, const struct idlist *ids,
    struct lead_summary *out, struct err *e);
int sq_history_add(void *impl, struct history *h, struct err *e);
int sq_history_list(void *impl, int64_t lead_id, int64_t contact_id,
    struct history **out, size_t *n, struct err *e);
int sq_deal_insert(void *impl, struct deal *d, struct err *e);
int sq_deals_of_lead(void *impl, int64_t lead_id, struct deal **out,
    size_t *n, struct err *e);

int sq_source_add(void *impl, const char *name, struct err *e);
int sq_source_rename(void *impl, const char *from, const char *to,
    struct err *e);
int sq_source_remove(void *impl, const char *name, struct err *e);
int sq_source_get(void *impl, const char *name, char **canonical,
    struct err *e);
int sq_source_list(void *impl, struct source_row **out, size_t *n,
    struct err *e);
int sq_report(void *impl, enum report_by by, const char *pipeline,
    struct report_row **out, size_t *n, struct err *e);

int sq_state_get(void *impl, const char *connector, const char *key,
    char **value, struct err *e);
int sq_state_set(void *impl, const char *connector, const char *key,
    const char *value, struct err *e);

int sq_inquiry_find(void *impl, const char *key, struct inquiry_row **out,
    struct err *e);
int sq_inquiry_add(void *impl, struct inquiry_row *r, struct err *e);
int sq_inquiry_delete(void *impl, int64_t id, struct err *e);
int sq_inquiry_count_from(void *impl, const char *sender, const char *since,
    long *n, struct err *e);
int sq_inquiries_of_lead(void *impl, int64_t lead_id,
    struct inquiry_row **out, size_t *n, struct err *e);
int sq_quarantine_add(void *impl, struct quarantine_row *q, struct err *e);
int sq_quarantine_get(void *impl, int64_t id, struct quarantine_row **out,
    struct err *e);
int sq_quarantine_list(void *impl, const char *state,
    struct quarantine_row **out, size_t *n, struct err *e);
int sq_quarantine_set_state(void *impl, int64_t id, const char *state,
    struct err *e);
int sq_contact_unsub_token(void *impl, int64_t contact_id, int create,
    char **out, struct err *e);
int sq_contact_by_unsub_token(void *impl, const char *token,
    int64_t *contact_id, struct err *e);

int sq_outgoing_insert(void *impl, struct outgoing *o, struct err *e);
int sq_outgoing_update(void *impl, struct outgoing *o, struct err *e);
int sq_outgoing_get(void *impl, int64_t id, struct outgoing **out,
    struct err *e);
int sq_outgoing_list(void *impl, unsigned states, struct outgoing **out,
    size_t *n, struct err *e);
int sq_outgoing_due(void *impl, int64_t now, int64_t after, size_t limit,
    struct outgoing **out, size_t *n, struct err *e);
int sq_outgoing_next_due(void *impl, int64_t *when, struct err *e);
int sq_outgoing_counts(void *impl, long counts[OUT_NSTATES], struct err *e);
int sq_suppression_add(void *impl, const char *address, const char *reason,
    struct err *e);
int sq_suppression_get(void *impl, const char *address, char **reason,
    struct err *e);
int sq_suppression_list(void *impl, struct suppression_row **out, size_t *n,
    struct err *e);
int sq_fast_commit(void *impl, struct err *e);
int sq_sync(void *impl, struct err *e);
int sq_mailbox_uidvalidity_get(void *impl, const char *connector,
    const char *folder, uint32_t *out, struct err *e);
int sq_mailbox_uidvalidity_set(void *impl, const char *connector,
    const char *folder, uint32_t uidvalidity, struct err *e);
int sq_mailbox_uid_handled(void *impl, const char *connector,
    const char *folder, uint32_t uidvalidity, uint32_t uid, struct err *e);
int sq_mailbox_uids_add(void *impl, const char *connector, const char *folder,
    uint32_t uidvalidity, const uint32_t *uids, size_t n, struct err *e);
int sq_mailbox_uids_prune(void *impl, const char *connector,
    const char *folder, uint32_t uidvalidity, const uint32_t *keep, size_t n,
    struct err *e);

int sq_outgoing_recent(void *impl, const char *rcpt, const char *rule,
    const char *since, long *n, struct err *e);
int sq_outgoing_sent_since(void *impl, int campaign_only,
    const char *since_iso, long *n, struct err *e);

int sq_campaign_find(void *impl, const char *name, struct campaign **out,
    struct err *e);
int sq_campaign_insert(void *impl, struct campaign *c, struct err *e);
int sq_campaign_update(void *impl, const struct campaign *c, struct err *e);
int sq_campaign_list(void *impl, struct campaign **out, size_t *n,
    struct err *e);
int sq_campaign_contacts(void *impl, int64_t campaign_id, struct idlist *out,
    struct err *e);
int sq_outgoing_lead_add(void *impl, int64_t outgoing_id, int64_t lead_id,
    int advance_phase, struct err *e);
int sq_outgoing_leads(void *impl, int64_t outgoing_id,
    struct outgoing_lead **out, size_t *n, struct err *e);

#endif
