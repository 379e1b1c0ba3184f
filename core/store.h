/*
 * The store: contacts, leads, history, sources and everything leadgate must
 * remember. Domain code talks only to these functions; store.c hands each
 * call to the backend (store_sqlite.c today), so another database can be
 * added without touching the domain.
 *
 * Every function returns LG_OK or a negative code with the reason in e:
 * LG_ENOENT when a row asked for does not exist, LG_EEXIST for a duplicate
 * key, LG_EPERM for a refused change, LG_ETEMP when the database is busy.
 * Writes that belong together go between store_begin() and store_commit().
 */
#ifndef LG_STORE_H
#define LG_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/store_campaign.h"
#include "core/store_crm.h"
#include "core/store_inbound.h"
#include "core/store_outbound.h"
#include "util/err.h"

struct store;

struct store_options {
	int busy_timeout_ms;
	int readonly;		/* open without creating or migrating */
};

/* Open (creating if needed) and migrate to the current schema. */
int store_open(const char *path, const struct store_options *opt,
    struct store **out, struct err *e);
void store_close(struct store *st);
int store_schema_version(struct store *st, int *out, struct err *e);
/* The newest schema version this build knows. */
int store_schema_latest(void);

/* A write transaction; store_rollback() is safe outside one. */
int store_begin(struct store *st, struct err *e);
int store_commit(struct store *st, struct err *e);
void store_rollback(struct store *st);

/* Contacts */
int store_contact_insert(struct store *st, struct contact *c, struct err *e);
int store_contact_update(struct store *st, struct contact *c, struct err *e);
int store_contact_get(struct store *st, int64_t id, struct contact **out,
    struct err *e);

/* The oldest contact matching key; LG_ENOENT when none does. */
int store_contact_find(struct store *st, enum store_match by, const char *key,
    int64_t *id, struct err *e);
int store_contact_employees(struct store *st, int64_t company_id,
    struct idlist *out, struct err *e);
/* Contacts matching f (NULL: all), ascending id. */
int store_contacts_query(struct store *st, const struct filter *f,
    struct idlist *out, struct err *e);

/* Leads */
int store_lead_insert(struct store *st, struct lead *l, struct err *e);
int store_lead_update(struct store *st, struct lead *l, struct err *e);
int store_lead_get(struct store *st, int64_t id, struct lead **out,
    struct err *e);
int store_leads_of_contact(struct store *st, int64_t contact_id,
    struct idlist *out, struct err *e);
/* An open lead of the contact on that object; LG_ENOENT when none. */
int store_lead_find_open(struct store *st, int64_t contact_id,
    const char *object_ref, int64_t *id, struct err *e);
int store_leads_query(struct store *st, const struct filter *f,
    struct idlist *out, struct err *e);

/* Over the leads of all the contacts in ids. */
int store_lead_summary(struct store *st, const struct idlist *ids,
    struct lead_summary *out, struct err *e);

/* History */
int store_history_add(struct store *st, struct history *h, struct err *e);
/* A lead's entries (lead_id != 0) or a contact's (lead_id == 0), oldest first. */
int store_history_list(struct store *st, int64_t lead_id, int64_t contact_id,
    struct history **out, size_t *n, struct err *e);

/* Deals */
int store_deal_insert(struct store *st, struct deal *d, struct err *e);
int store_deals_of_lead(struct store *st, int64_t lead_id, struct deal **out,
    size_t *n, struct err *e);

/* Sources */
int store_source_add(struct store *st, const char *name, struct err *e);
int store_source_rename(struct store *st, const char *from, const char *to,
    struct err *e);
/* Refused (LG_EPERM) while leads use it. */
int store_source_remove(struct store *st, const char *name, struct err *e);
/* LG_OK when it exists; *canonical (optional) gets its stored spelling. */
int store_source_get(struct store *st, const char *name, char **canonical,
    struct err *e);
int store_source_list(struct store *st, struct source_row **out, size_t *n,
    struct err *e);

/* pipeline NULL: all pipelines. */
int store_report(struct store *st, enum report_by by, const char *pipeline,
    struct report_row **out, size_t *n, struct err *e);

/*
 * Connector bookkeeping as key/value pairs per connector: portal cursors,
 * last poll, last error, counters. *value is NULL (and LG_OK) when unset.
 */
int store_state_get(struct store *st, const char *connector, const char *key,
    char **value, struct err *e);
/* value NULL deletes the key. */
int store_state_set(struct store *st, const char *connector, const char *key,
    const char *value, struct err *e);

/*
 * Inquiries: every inquiry seen, under a unique key ("mid:<Message-ID>",
 * "portal:<portal>:<id>", "sha256:<hex>"), so each is handled once.
 */
int store_inquiry_find(struct store *st, const char *key,
    struct inquiry_row **out, struct err *e);
/* LG_EEXIST when the key is known. */
int store_inquiry_add(struct store *st, struct inquiry_row *r, struct err *e);
int store_inquiry_delete(struct store *st, int64_t id, struct err *e);
/* How many inquiries came from sender since the ISO time since. */
int store_inquiry_count_from(struct store *st, const char *sender,
    const char *since, long *n, struct err *e);
int store_inquiries_of_lead(struct store *st, int64_t lead_id,
    struct inquiry_row **out, size_t *n, struct err *e);

/* Quarantine: what could not become a lead, with the raw data and why. */
int store_quarantine_add(struct store *st, struct quarantine_row *q,
    struct err *e);
int store_quarantine_get(struct store *st, int64_t id,
    struct quarantine_row **out, struct err *e);
/* state NULL: every row. Rows come without raw data. */
int store_quarantine_list(struct store *st, const char *state,
    struct quarantine_row **out, size_t *n, struct err *e);
int store_quarantine_set_state(struct store *st, int64_t id,
    const char *state, struct err *e);

/*
 * A contact's unsubscribe token for bulk mail (contacts.unsub_token): 32
 * random hex digits, stable once made. With create, one is made when the
 * contact has none; without, *out is NULL then. LG_ENOENT: no contact.
 */
int store_contact_unsub_token(struct store *st, int64_t contact_id,
    int create, char **out, struct err *e);
/* The contact whose token that is; LG_ENOENT when none has it. */
int store_contact_by_unsub_token(struct store *st, const char *token,
    int64_t *contact_id, struct err *e);

/*
 * Outgoing mail (spool/): one row per message, keyed so that none is
 * queued twice, and the suppression list of addresses never to write to.
 */
/* Sets o->id and the times; LG_EEXIST when o->dedup_key is already there. */
int store_outgoing_insert(struct store *st, struct outgoing *o, struct err *e);
/* Writes spool_name, state, attempts, next_attempt, last_reply, sent_at. */
int store_outgoing_update(struct store *st, struct outgoing *o,
    struct err *e);
int store_outgoing_get(struct store *st, int64_t id, struct outgoing **out,
    struct err *e);
/* Rows whose state is in states (bits 1 << OUT_*; 0: all), ascending id. */
int store_outgoing_list(struct store *st, unsigned states,
    struct outgoing **out, size_t *n, struct err *e);
/* Up to limit rows queued or deferred, due at now, with id > after, by id. */
int store_outgoing_due(struct store *st, int64_t now, int64_t after,
    size_t limit, struct outgoing **out, size_t *n, struct err *e);
/* The earliest next_attempt of a queued or deferred row; LG_ENOENT if none. */
int store_outgoing_next_due(struct store *st, int64_t *when, struct err *e);
int store_outgoing_counts(struct store *st, long counts[OUT_NSTATES],
    struct err *e);

/* address as normalized by norm_email(); a listed one keeps its reason. */
int store_suppression_add(struct store *st, const char *address,
    const char *reason, struct err *e);
/* LG_OK (and the reason, which the caller frees) when listed, else LG_ENOENT. */
int store_suppression_get(struct store *st, const char *address,
    char **reason, struct err *e);
int store_suppression_list(struct store *st, struct suppression_row **out,
    size_t *n, struct err *e);

/*
 * Fast commits: from now on a commit survives a crash of the process but
 * not of the machine until store_sync() (SQLite: synchronous NORMAL
 * instead of FULL). For work that would rather redo than lose nothing.
 */
int store_fast_commit(struct store *st, struct err *e);
/* Make every commit so far survive a power cut. */
int store_sync(struct store *st, struct err *e);
/* How many messages went (or are queued) to rcpt by rule since the ISO time. */
int store_outgoing_recent(struct store *st, const char *rcpt,
    const char *rule, const char *since, long *n, struct err *e);
/*
 * How many messages were sent at or after the ISO time since_iso; with
 * campaign_only, only those of a campaign (the budget of bulk mail).
 */
int store_outgoing_sent_since(struct store *st, int campaign_only,
    const char *since_iso, long *n, struct err *e);

/*
 * Bulk mail campaigns (outbound/bulk.h): what was asked for, under a
 * unique name, and its counts as of the last run. sent, failed and
 * waiting are counted from its outgoing rows when listed.
 */
/* LG_ENOENT when there is none of that name. */
int store_campaign_find(struct store *st, const char *name,
    struct campaign **out, struct err *e);
/* Sets c->id and the times; LG_EEXIST for a name in use. */
int store_campaign_insert(struct store *st, struct campaign *c,
    struct err *e);
/* Writes matched, queued, skipped and updated_at. */
int store_campaign_update(struct store *st, const struct campaign *c,
    struct err *e);
/* Oldest first, with sent, failed and waiting counted. */
int store_campaign_list(struct store *st, struct campaign **out, size_t *n,
    struct err *e);
/* The contacts the campaign has a message for, ascending. */
int store_campaign_contacts(struct store *st, int64_t campaign_id,
    struct idlist *out, struct err *e);

int store_outgoing_lead_add(struct store *st, int64_t outgoing_id,
    int64_t lead_id, int advance_phase, struct err *e);
/* Ascending lead id; none is LG_OK with *n 0. */
int store_outgoing_leads(struct store *st, int64_t outgoing_id,
    struct outgoing_lead **out, size_t *n, struct err *e);

/*
 * Mail folder state (IMAP connectors): the UIDVALIDITY last seen and the
 * UIDs whose inquiry is committed but that may not be marked done on the
 * server yet (a crash between the two). Rows are keyed by UIDVALIDITY, so
 * a changed one leaves the old UIDs out of the way.
 */
/* LG_ENOENT when the folder was never polled. */
int store_mailbox_uidvalidity_get(struct store *st, const char *connector,
    const char *folder, uint32_t *out, struct err *e);
int store_mailbox_uidvalidity_set(struct store *st, const char *connector,
    const char *folder, uint32_t uidvalidity, struct err *e);
/* LG_OK when uid is recorded as handled, LG_ENOENT when it is not. */
int store_mailbox_uid_handled(struct store *st, const char *connector,
    const char *folder, uint32_t uidvalidity, uint32_t uid, struct err *e);
/* Record n UIDs as handled, in one transaction (or the caller's). */
int store_mailbox_uids_add(struct store *st, const char *connector,
    const char *folder, uint32_t uidvalidity, const uint32_t *uids, size_t n,
    struct err *e);
/*
 * Forget the folder's UIDs of other UIDVALIDITYs and those of uidvalidity
 * not in keep (ascending): they are marked done on the server or gone.
 */
int store_mailbox_uids_prune(struct store *st, const char *connector,
    const char *folder, uint32_t uidvalidity, const uint32_t *keep, size_t n,
    struct err *e);

#endif
