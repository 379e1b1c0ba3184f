/*
 * Internal to the PostgreSQL backend (store_pg*.c): the connection and
 * small helpers. Not for use outside the store.
 *
 * Every statement goes through PQexecParams() with its values bound as
 * parameters ($1, $2, ...), never formatted into the SQL text; only the
 * static text of the migrations runs through PQexec().
 */
#ifndef LG_STORE_PG_H
#define LG_STORE_PG_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "util/buf.h"
#include "util/err.h"
#include "core/store_ops.h"

#define PG_SCHEMA_LATEST 19	/* the same numbers as SQLite's */
#define PG_MAXPARAMS 32
#define PG_CACHE_SIZE 160	/* prepared statements per connection */
/* Held during migrations so that two instances do not migrate at once. */
#define PG_MIGRATE_LOCK 0x4c474154	/* "LGAT", SQLite's application id */
/* store_spool_guard(): writers of the spool share it, recovery not. */
#define PG_SPOOL_LOCK 0x4c475350	/* "LGSP" */

struct pg_migration {
	int version;
	const char *sql;
};

extern const struct pg_migration pg_migrations[];
extern const size_t pg_nmigrations;

struct pg {
	PGconn *conn;
	char *name;		/* host/database, for messages (no secret) */
	int in_tx;
	int fast;		/* store_fast_commit(): synchronous_commit off */
	struct {		/* store_group_commit(), as in SQLite */
		int max, max_ms;
		int open;
		int n;
		int64_t since;
		int failed;
		char why[200];
	} grp;
	store_hook_fn hook;
	void *hook_arg;
	struct {		/* prepared statements, by SQL text */
		const char *key;	/* the caller's text: compared first */
		char *sql;		/* a copy: compared on a key match */
	} cache[PG_CACHE_SIZE];
	size_t ncache;		/* statement i is named "lg<i>" */
};

/*
 * How an erased contact's address stands on the suppression list, as
 * SQL of the parameter v: the same text as sq_suppression_key() makes
 * ("sha256:" and the hex SHA-256 of the address; sha256() is core SQL
 * since PostgreSQL 11).
 */
#define PG_SUPPRESSION_KEY(v) "('sha256:' || encode(sha256(convert_to(" \
    v "::text, 'UTF8')), 'hex'))"

/*
 * The values of one statement, as text; NULL is SQL NULL. A value given
 * by pgp_bytes() goes in binary (bytea), its length in len.
 */
struct pg_params {
	int n;
	const char *v[PG_MAXPARAMS];
	char num[PG_MAXPARAMS][24];
	int len[PG_MAXPARAMS];
	int fmt[PG_MAXPARAMS];
	int binary;		/* some value is binary */
};

void pgp_text(struct pg_params *p, const char *v);
void pgp_int(struct pg_params *p, int64_t v);
void pgp_id(struct pg_params *p, int64_t v);	/* 0 -> NULL */
void pgp_num(struct pg_params *p, double v);	/* < 0 -> NULL */
void pgp_bytes(struct pg_params *p, const char *v, size_t len); /* bytea */

/*
 * Run sql with p (NULL: none). LG_OK with the result in *out (the caller
 * PQclear()s it; out NULL: dropped), else the error mapped to an LG code,
 * naming what.
 */
int pg_query(struct pg *q, const char *sql, const struct pg_params *p,
    PGresult **out, const char *what, struct err *e);
/* The same, for a statement whose changed-row count matters (*n). */
int pg_change(struct pg *q, const char *sql, const struct pg_params *p,
    int64_t *n, const char *what, struct err *e);
/* The first column of every row into out. */
int pg_ids(struct pg *q, const char *sql, const struct pg_params *p,
    struct idlist *out, const char *what, struct err *e);
/* Ends the transaction of pg_begin() unsaved (a no-op outside one). */
void pg_rollback(void *impl);
/* Static SQL without parameters (transactions, migrations). */
int pg_exec(struct pg *q, const char *sql, struct err *e);

char *pg_text(const PGresult *r, int row, int col);	/* copy or NULL */
int64_t pg_int(const PGresult *r, int row, int col);	/* NULL -> 0 */
int pg_isnull(const PGresult *r, int row, int col);
void pg_now(char *out, size_t len);

/* Filter to SQL ($N placeholders from first on), core/store_pg_filter.c. */
struct pg_fparams {
	char **v;
	size_t n;
};
int pg_filter_sql(const struct filter *f, int first, struct buf *sql,
    struct pg_fparams *p, struct err *e);
void pg_fparams_free(struct pg_fparams *p);

/*
 * The operations written so far, by concern (the backend table in
 * store_pg.c takes these; every other entry of store_ops.h is NULL).
 */
#define PG_OPS_CRM(X)							\
	X(contact_insert) X(contact_update) X(contact_states_set)	\
	X(contact_get)		\
	X(contact_find) X(contact_employees) X(contacts_query)		\
	X(lead_insert) X(lead_update) X(lead_move) X(lead_get) X(leads_of_contact)	\
	X(lead_find_open) X(leads_query) X(leads_page) X(contacts_page)	\
	X(lead_summary) X(history_add) X(history_list) X(deal_insert)	\
	X(deals_of_lead) X(source_add) X(source_rename) X(source_remove) \
	X(source_get) X(source_list) X(report)
#define PG_OPS_INGEST(X)						\
	X(state_get) X(state_set) X(inquiry_find) X(inquiry_add)	\
	X(inquiry_delete) X(inquiry_count_from) X(inquiries_of_lead)	\
	X(quarantine_add) X(quarantine_get) X(quarantine_list)		\
	X(quarantine_set_state) X(mail_add) X(mail_get)			\
	X(mails_of_lead) X(mail_expire) X(mail_sha_used)		\
	X(mailbox_uidvalidity_get) X(mailbox_uidvalidity_set)		\
	X(mailbox_uid_handled) X(mailbox_uids_add) X(mailbox_uids_prune)	\
	X(lease_take) X(lease_renew) X(lease_release) X(lease_list)
#define PG_OPS_OUTGOING(X)						\
	X(outgoing_insert) X(outgoing_update) X(outgoing_inflight)	\
	X(outgoing_wire) X(outgoing_in_flight) X(outgoing_get)		\
	X(outgoing_by_message_id) X(outgoing_to_contact)		\
	X(outgoing_list) X(outgoing_due) X(outgoing_next_due)		\
	X(outgoing_counts) X(outgoing_set_class)			\
	X(outgoing_class_counts) X(outgoing_recent)			\
	X(outgoing_sent_since) X(outgoing_spool_count) X(spool_guard)	\
	X(outgoing_claim) X(outgoing_claim_renew) X(outgoing_orphans)	\
	X(outgoing_body_put) X(outgoing_body_get) X(outgoing_body_drop) \
	X(suppression_add) X(suppression_get) X(suppression_list)
#define PG_OPS_CAMPAIGN(X)						\
	X(campaign_find) X(campaign_insert) X(campaign_update)		\
	X(campaign_list) X(campaign_contacts) X(outgoing_lead_add)	\
	X(outgoing_leads) X(contact_unsub_token)			\
	X(contact_by_unsub_token) X(bounce_add) X(bounce_soft_count)	\
	X(campaign_set_paused)
#define PG_OPS_ASSIGN(X)						\
	X(assign_turn) X(arrival_next) X(arrival_done)
#define PG_OPS_OBJECTS(X)						\
	X(object_save) X(object_get) X(object_find) X(objects_list)	\
	X(object_set_state) X(object_leads) X(profile_add)		\
	X(profile_remove) X(profiles_list)
#define PG_OPS_USERS(X)							\
	X(user_add) X(user_get) X(user_update) X(user_remove)		\
	X(user_list) X(session_add) X(session_get) X(session_touch)	\
	X(session_remove) X(login_fail_add) X(login_fail_count)	\
	X(report_window)
#define PG_OPS_GDPR(X)							\
	X(contact_export) X(contact_erase) X(scrub) X(contact_merge)
#define PG_OPS_API(X)							\
	X(api_token_add) X(api_token_by_hash) X(api_token_list)		\
	X(api_token_remove) X(api_idem_get) X(api_idem_put)
#define PG_OPS_WEBHOOK(X)						\
	X(webhook_next) X(webhook_update) X(webhook_list)		\
	X(webhook_retry) X(webhook_purge)

/* pg_NAME() for every entry of store_ops.h; only some exist (store_pg.c). */
#define PG_PROTOTYPE(name, params, args)				\
	int pg_##name(void *impl, STORE_UNWRAP params);
STORE_OPS(PG_PROTOTYPE)
#undef PG_PROTOTYPE

#endif
