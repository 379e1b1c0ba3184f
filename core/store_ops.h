/*
 * Every operation of the store, in one list. From it come the store_NAME()
 * declarations (store.h), the members of struct store_backend
 * (store_backend.h), the forwarders in store.c, and the sq_NAME()
 * prototypes and backend table of the SQLite backend.
 *
 * To add an operation: add an entry to its group below, with a one-line
 * comment, and write sq_NAME() in the store_sqlite_*.c file of its
 * concern; a new row type goes into the header of the concern. Nothing
 * else is written by hand. An entry is
 *
 *	X(name, (parameters after the store), (the same names, as arguments))
 *
 * and becomes int store_name(struct store *st, parameters), which calls
 * the backend's int (*name)(void *impl, arguments). Every operation
 * returns LG_OK or a negative code and takes struct err *e last.
 * store_open(), store_close() and store_rollback() are written by hand
 * (store.h); the row types and their free functions are in the header of
 * each concern, included below. Callers include store.h, not this file.
 */
#ifndef LG_STORE_OPS_H
#define LG_STORE_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "core/store_api.h"
#include "core/store_campaign.h"
#include "core/store_crm.h"
#include "core/store_inbound.h"
#include "core/object.h"
#include "core/store_outbound.h"
#include "core/store_users.h"
#include "util/err.h"
#include "util/smtpfail.h"

/*
 * Called by the store before a commit that can make writes durable (see
 * commit_hook below); LG_OK or a negative code with the reason in e.
 */
typedef int (*store_hook_fn)(void *arg, struct err *e);

/* Strips the parentheses of an entry's parameter or argument list. */
#define STORE_UNWRAP(...) __VA_ARGS__

#define STORE_OPS(X)							\
									\
	/* Schema, transactions and durability */			\
									\
	/* The schema version the database is at. */			\
	X(schema_version, (int *out, struct err *e), (out, e))		\
	/* Start a write transaction (store_rollback() ends it too). */	\
	X(begin, (struct err *e), (e))					\
	/* Commit the write transaction store_begin() started. */	\
	X(commit, (struct err *e), (e))					\
	/*								\
	 * From now on a commit survives a crash of the process but	\
	 * not of the machine until store_sync() (SQLite: synchronous	\
	 * NORMAL, not FULL): for work that would rather redo than	\
	 * lose nothing.						\
	 */								\
	X(fast_commit, (struct err *e), (e))				\
	/* Make every commit so far survive a power cut. */		\
	X(sync, (struct err *e), (e))					\
	/*								\
	 * Group commit, on top of fast_commit: up to max transactions	\
	 * (store_begin() to store_commit()) become savepoints of one	\
	 * database transaction, committed when max is reached, after	\
	 * max_ms, and by store_sync(). A rolled-back one is undone	\
	 * alone. Until then other connections do not see them and a	\
	 * crash of the process loses them: only for work whose source	\
	 * is marked done after store_sync(). max 0 turns it off.	\
	 */								\
	X(group_commit, (int max, int max_ms, struct err *e),		\
	    (max, max_ms, e))						\
	/*								\
	 * fn(arg) runs before every database commit (a group's	\
	 * included) that can make what this connection wrote durable,	\
	 * for files its rows name that must be durable first; its	\
	 * failure rolls that commit back. fn NULL: none.		\
	 */								\
	X(commit_hook, (store_hook_fn fn, void *arg, struct err *e),	\
	    (fn, arg, e))						\
									\
	/* Contacts */							\
									\
	/* Add c; sets c->id, created_at and updated_at. */		\
	X(contact_insert, (struct contact *c, struct err *e), (c, e))	\
	/* Write c back; sets updated_at; LG_ENOENT: no such id. */	\
	X(contact_update, (struct contact *c, struct err *e), (c, e))	\
	/*							\
	 * Write c's prospect and client states alone (no addresses,	\
	 * no other column or index); sets updated_at; LG_ENOENT: no	\
	 * such id.							\
	 */								\
	X(contact_states_set, (struct contact *c, struct err *e), (c, e)) \
	/* The contact with that id, for contact_free(). */		\
	X(contact_get, (int64_t id, struct contact **out,		\
	    struct err *e), (id, out, e))				\
	/* The oldest contact matching key; LG_ENOENT: none does. */	\
	X(contact_find, (enum store_match by, const char *key,		\
	    int64_t *id, struct err *e), (by, key, id, e))		\
	/* The contacts whose company is company_id, ascending id. */	\
	X(contact_employees, (int64_t company_id, struct idlist *out,	\
	    struct err *e), (company_id, out, e))			\
	/* Contacts matching f (NULL: all), ascending id. */		\
	X(contacts_query, (const struct filter *f, struct idlist *out,	\
	    struct err *e), (f, out, e))				\
									\
	/* Leads */							\
									\
	/* Add l, of a known source; sets l->id and the times. */	\
	X(lead_insert, (struct lead *l, struct err *e), (l, e))		\
	/* Write l back; sets updated_at; LG_ENOENT: no such id. */	\
	X(lead_update, (struct lead *l, struct err *e), (l, e))		\
	/*								\
	 * Write back only l's phase_no, status and closed_at (a phase	\
	 * move: no index of the other columns is touched); sets	\
	 * updated_at; LG_ENOENT: no such id.				\
	 */								\
	X(lead_move, (struct lead *l, struct err *e), (l, e))		\
	/* The lead with that id, for lead_free(). */			\
	X(lead_get, (int64_t id, struct lead **out, struct err *e),	\
	    (id, out, e))						\
	/* The contact's leads, ascending id. */			\
	X(leads_of_contact, (int64_t contact_id, struct idlist *out,	\
	    struct err *e), (contact_id, out, e))			\
	/* The contact's open lead on that object; LG_ENOENT: none. */	\
	X(lead_find_open, (int64_t contact_id, const char *object_ref,	\
	    int64_t *id, struct err *e),				\
	    (contact_id, object_ref, id, e))				\
	/* Leads matching f (NULL: all), ascending id. */		\
	X(leads_query, (const struct filter *f, struct idlist *out,	\
	    struct err *e), (f, out, e))				\
	/* The pool's round-robin turn (0 first), counted on by one. */	\
	X(assign_turn, (const char *pool, long *turn, struct err *e),	\
	    (pool, turn, e))						\
	/* The oldest arrival not done; LG_ENOENT: none (to clear). */	\
	X(arrival_next, (int64_t after, struct phase_arrival *out,	\
	    struct err *e), (after, out, e))				\
	/* Mark an arrival's steps as run; id 0: every pending one. */	\
	X(arrival_done, (int64_t id, struct err *e), (id, e))		\
	/* One page of those: id > after, ascending, at most limit. */	\
	X(leads_page, (const struct filter *f, int64_t after,		\
	    size_t limit, struct idlist *out, struct err *e),		\
	    (f, after, limit, out, e))					\
	/* The same for contacts_query. */				\
	X(contacts_page, (const struct filter *f, int64_t after,	\
	    size_t limit, struct idlist *out, struct err *e),		\
	    (f, after, limit, out, e))					\
	/* Over the leads of all the contacts in ids. */		\
	X(lead_summary, (const struct idlist *ids,			\
	    struct lead_summary *out, struct err *e), (ids, out, e))	\
									\
	/* History and deals */						\
									\
	/* Add an entry; *id (optional) gets its id. */			\
	X(history_add, (const struct new_history *h, int64_t *id,	\
	    struct err *e), (h, id, e))					\
	/* A lead's entries (lead_id 0: a contact's), oldest first. */	\
	X(history_list, (int64_t lead_id, int64_t contact_id,		\
	    struct history **out, size_t *n, struct err *e),		\
	    (lead_id, contact_id, out, n, e))				\
	/* Add d; sets d->id and d->created_at. */			\
	X(deal_insert, (struct deal *d, struct err *e), (d, e))		\
	/* The deals made from the lead, oldest first. */		\
	X(deals_of_lead, (int64_t lead_id, struct deal **out,		\
	    size_t *n, struct err *e), (lead_id, out, n, e))		\
									\
	/* Sources and reports */					\
									\
	/* LG_EEXIST when a source of that name exists. */		\
	X(source_add, (const char *name, struct err *e), (name, e))	\
	/* LG_ENOENT for an unknown from, LG_EEXIST for a to in use. */	\
	X(source_rename, (const char *from, const char *to,		\
	    struct err *e), (from, to, e))				\
	/* Refused (LG_EPERM) while leads use it. */			\
	X(source_remove, (const char *name, struct err *e), (name, e))	\
	/* LG_OK if known; optional *canonical: its stored spelling. */	\
	X(source_get, (const char *name, char **canonical,		\
	    struct err *e), (name, canonical, e))			\
	/* Every source with its number of leads, by name. */		\
	X(source_list, (struct source_row **out, size_t *n,		\
	    struct err *e), (out, n, e))				\
	/* Lead counts by phase or by source; pipeline NULL: all. */	\
	X(report, (enum report_by by, const char *pipeline,		\
	    struct report_row **out, size_t *n, struct err *e),		\
	    (by, pipeline, out, n, e))					\
									\
	/* Connector state (store_inbound.h) */				\
									\
	/* A connector's value of key; unset: LG_OK, *value NULL. */	\
	X(state_get, (const char *connector, const char *key,		\
	    char **value, struct err *e), (connector, key, value, e))	\
	/* Set a connector's key; value NULL deletes it. */		\
	X(state_set, (const char *connector, const char *key,		\
	    const char *value, struct err *e),				\
	    (connector, key, value, e))					\
									\
	/* Leases: work shared by instances (store_inbound.h) */	\
									\
	/*								\
	 * holder takes the lease name until now + ttl when nobody	\
	 * holds it, its holder's expired, or holder has it already	\
	 * (then only its time is extended); *got 1 when it did.	\
	 */								\
	X(lease_take, (const char *name, const char *holder,		\
	    int64_t now, int ttl, int *got, struct err *e),		\
	    (name, holder, now, ttl, got, e))				\
	/* Extend holder's lease to now + ttl; LG_ENOENT: not its. */	\
	X(lease_renew, (const char *name, const char *holder,		\
	    int64_t now, int ttl, struct err *e),			\
	    (name, holder, now, ttl, e))				\
	/* Give holder's lease up (another's is left alone). */	\
	X(lease_release, (const char *name, const char *holder,	\
	    struct err *e), (name, holder, e))				\
	/* Every lease, expired ones included, by name. */		\
	X(lease_list, (struct lease_row **out, size_t *n,		\
	    struct err *e), (out, n, e))				\
									\
	/* Inquiries and quarantine (store_inbound.h) */		\
									\
	/* The inquiry of that key; LG_ENOENT when it is new. */	\
	X(inquiry_find, (const char *key, struct inquiry_row **out,	\
	    struct err *e), (key, out, e))				\
	/* LG_EEXIST when the key is known; *id (optional): its id. */	\
	X(inquiry_add, (const struct new_inquiry *r, int64_t *id,	\
	    struct err *e), (r, id, e))					\
	/* Forget an inquiry, so that its key is handled again. */	\
	X(inquiry_delete, (int64_t id, struct err *e), (id, e))		\
	/* Inquiries from sender since the ISO time since, in *n. */	\
	X(inquiry_count_from, (const char *sender, const char *since,	\
	    long *n, struct err *e), (sender, since, n, e))		\
	/* The inquiries of the lead, oldest first. */			\
	X(inquiries_of_lead, (int64_t lead_id,				\
	    struct inquiry_row **out, size_t *n, struct err *e),	\
	    (lead_id, out, n, e))					\
	/* Hold q; *id (optional) gets its id. */			\
	X(quarantine_add, (const struct new_quarantine *q, int64_t *id,	\
	    struct err *e), (q, id, e))					\
	/* One row, with its raw data; LG_ENOENT when none. */		\
	X(quarantine_get, (int64_t id, struct quarantine_row **out,	\
	    struct err *e), (id, out, e))				\
	/* state NULL: every row. Rows come without raw data. */	\
	X(quarantine_list, (const char *state,				\
	    struct quarantine_row **out, size_t *n, struct err *e),	\
	    (state, out, n, e))						\
	/* To held, retried or dropped; LG_ENOENT: no such row. */	\
	X(quarantine_set_state, (int64_t id, const char *state,		\
	    struct err *e), (id, state, e))				\
									\
	/* The mail kept (store_inbound.h, core/archive.h) */		\
									\
	/* Record a kept mail; *id (optional) gets its id. */		\
	X(mail_add, (const struct new_mail_row *m, int64_t *id,	\
	    struct err *e), (m, id, e))					\
	/* One kept mail; LG_ENOENT when none has that id. */		\
	X(mail_get, (int64_t id, struct mail_row **out,		\
	    struct err *e), (id, out, e))				\
	/* The lead's kept mails, oldest first. */			\
	X(mails_of_lead, (int64_t lead_id, struct mail_row **out,	\
	    size_t *n, struct err *e), (lead_id, out, n, e))		\
	/* Forget the mails received before the ISO time; *n: how many. */ \
	X(mail_expire, (const char *before, long *n, struct err *e),	\
	    (before, n, e))						\
	/* LG_OK when a kept mail has that content, else LG_ENOENT. */	\
	X(mail_sha_used, (const char *sha256, struct err *e),		\
	    (sha256, e))						\
									\
	/* Mail folder state (store_inbound.h) */			\
									\
	/* LG_ENOENT when the folder was never polled. */		\
	X(mailbox_uidvalidity_get, (const char *connector,		\
	    const char *folder, uint32_t *out, struct err *e),		\
	    (connector, folder, out, e))				\
	/* Remember the folder's UIDVALIDITY. */			\
	X(mailbox_uidvalidity_set, (const char *connector,		\
	    const char *folder, uint32_t uidvalidity, struct err *e),	\
	    (connector, folder, uidvalidity, e))			\
	/* LG_OK when uid is recorded as handled, else LG_ENOENT. */	\
	X(mailbox_uid_handled, (const char *connector,			\
	    const char *folder, uint32_t uidvalidity, uint32_t uid,	\
	    struct err *e),						\
	    (connector, folder, uidvalidity, uid, e))			\
	/* Mark n UIDs handled, in one transaction or the caller's. */	\
	X(mailbox_uids_add, (const char *connector, const char *folder,	\
	    uint32_t uidvalidity, const uint32_t *uids, size_t n,	\
	    struct err *e), (connector, folder, uidvalidity, uids, n,	\
	    e))								\
	/*								\
	 * Forget the UIDs of other UIDVALIDITYs and those not in keep	\
	 * (ascending): they are marked done on the server or gone.	\
	 */								\
	X(mailbox_uids_prune, (const char *connector,			\
	    const char *folder, uint32_t uidvalidity,			\
	    const uint32_t *keep, size_t n, struct err *e),		\
	    (connector, folder, uidvalidity, keep, n, e))		\
									\
	/* Outgoing mail (store_outbound.h) */				\
									\
	/* Sets o->id and the times; LG_EEXIST: dedup_key known. */	\
	X(outgoing_insert, (struct outgoing *o, struct err *e), (o, e))	\
	/*								\
	 * Writes spool_name, state, attempts, next_attempt,		\
	 * last_reply, sent_at, sender, inflight, inflight_boot,	\
	 * wire and unconfirmed.					\
	 */								\
	X(outgoing_update, (struct outgoing *o, struct err *e), (o, e))	\
	/*								\
	 * Record an attempt starting at unix time at, in the boot	\
	 * boot, on a queued or deferred message (any other is left	\
	 * alone), wire cleared; at 0 clears the attempt.		\
	 */								\
	X(outgoing_inflight, (int64_t id, int64_t at, const char *boot,	\
	    struct err *e), (id, at, boot, e))				\
	/* The data of a message in flight starts going out. */	\
	X(outgoing_wire, (int64_t id, struct err *e), (id, e))		\
	/* Queued or deferred rows with an attempt recorded, by id. */	\
	X(outgoing_in_flight, (struct outgoing **out, size_t *n,	\
	    struct err *e), (out, n, e))				\
	/* The message with that id, for outgoing_free(). */		\
	X(outgoing_get, (int64_t id, struct outgoing **out,		\
	    struct err *e), (id, out, e))				\
	/* The first with that Message-ID (no <>); LG_ENOENT: none. */	\
	X(outgoing_by_message_id, (const char *message_id,		\
	    struct outgoing **out, struct err *e),			\
	    (message_id, out, e))					\
	/* The messages to the contact, by id. */			\
	X(outgoing_to_contact, (int64_t contact_id,			\
	    struct outgoing **out, size_t *n, struct err *e),		\
	    (contact_id, out, n, e))					\
	/* Rows with state in states (1 << OUT_*; 0: all), by id. */	\
	X(outgoing_list, (unsigned states, struct outgoing **out,	\
	    size_t *n, struct err *e), (states, out, n, e))		\
	/*								\
	 * Up to limit rows queued or deferred, due at now, with	\
	 * id > after, by id.						\
	 */								\
	X(outgoing_due, (int64_t now, int64_t after, size_t limit,	\
	    struct outgoing **out, size_t *n, struct err *e),		\
	    (now, after, limit, out, n, e))				\
	/*								\
	 * Claim, for owner (an instance's spool, HOST:DIR) until the	\
	 * unix time until, up to limit rows due at now with id >	\
	 * after, by id, as outgoing_due() but only those no attempt	\
	 * is in flight on and no other owner's claim holds (claims	\
	 * end at claim_until); campaign mail only with campaigns.	\
	 * PostgreSQL skips rows another transaction has locked (FOR	\
	 * UPDATE SKIP LOCKED): instances claiming at once get	\
	 * different rows.						\
	 */								\
	X(outgoing_claim, (const char *owner, int64_t now,		\
	    int64_t until, int campaigns, int64_t after, size_t limit,	\
	    struct outgoing **out, size_t *n, struct err *e),		\
	    (owner, now, until, campaigns, after, limit, out, n, e))	\
	/*								\
	 * owner's claims still waiting for a result (in flight, or	\
	 * not run out at now) last until until.			\
	 */								\
	X(outgoing_claim_renew, (const char *owner, int64_t now,	\
	    int64_t until, struct err *e), (owner, now, until, e))	\
	/*								\
	 * Queued or deferred rows with an attempt in flight that	\
	 * owner may recover at now, by id: its own, those of no owner	\
	 * and those whose claim has run out (their instance is gone).	\
	 * PostgreSQL locks them to the transaction's end and skips	\
	 * those another recovery has locked.				\
	 */								\
	X(outgoing_orphans, (const char *owner, int64_t now,		\
	    struct outgoing **out, size_t *n, struct err *e),		\
	    (owner, now, out, n, e))					\
	/* The text of message id kept in the store (spool_name dID). */ \
	X(outgoing_body_put, (int64_t id, const char *msg, size_t len,	\
	    struct err *e), (id, msg, len, e))				\
	/* Message id's text (caller frees); LG_ENOENT: none. */	\
	X(outgoing_body_get, (int64_t id, char **msg, size_t *len,	\
	    struct err *e), (id, msg, len, e))				\
	/* Drop message id's text; id 0: that of every sent row. */	\
	X(outgoing_body_drop, (int64_t id, long *n, struct err *e),	\
	    (id, n, e))							\
	/*								\
	 * The earliest next_attempt of a queued or deferred row;	\
	 * LG_ENOENT if none.						\
	 */								\
	X(outgoing_next_due, (int64_t *when, struct err *e), (when, e))	\
	/* How many rows are in each state. */				\
	X(outgoing_counts, (long counts[OUT_NSTATES], struct err *e),	\
	    (counts, e))						\
	/*								\
	 * The class of the row's failure (util/smtpfail.h), recorded	\
	 * when it failed or a report came back; SF_NONE clears it.	\
	 */								\
	X(outgoing_set_class, (int64_t id, enum smtpfail_class cls,	\
	    struct err *e), (id, cls, e))				\
	/* How many rows have each failure class (counts[SF_NONE] 0). */ \
	X(outgoing_class_counts, (long counts[SF_NCLASSES],		\
	    struct err *e), (counts, e))				\
	/* Sent or queued to rcpt by rule since the ISO time, in *n. */	\
	X(outgoing_recent, (const char *rcpt, const char *rule,		\
	    const char *since, long *n, struct err *e),			\
	    (rcpt, rule, since, n, e))					\
	/*								\
	 * How many were sent at or after the ISO time since_iso;	\
	 * with campaign_only, those of a campaign (the budget of bulk	\
	 * mail).							\
	 */								\
	X(outgoing_sent_since, (int campaign_only,			\
	    const char *since_iso, long *n, struct err *e),		\
	    (campaign_only, since_iso, n, e))				\
	/*								\
	 * Of the rows with ids lo..hi whose spool file is name: how	\
	 * many there are, and how many are not sent (a batch file	\
	 * goes when they all are).					\
	 */								\
	X(outgoing_spool_count, (const char *name, int64_t lo,		\
	    int64_t hi, long *rows, long *unsent, struct err *e),	\
	    (name, lo, hi, rows, unsent, e))				\
	/*								\
	 * Keep the spool's writers (shared) and its recovery		\
	 * (exclusive) apart until this transaction ends, across	\
	 * processes: the recovery takes a file without a committed	\
	 * row for a leftover. SQLite's one writer does so already.	\
	 */								\
	X(spool_guard, (int exclusive, struct err *e), (exclusive, e))	\
	/* A lead the message stands for; advance_phase 0: none. */	\
	X(outgoing_lead_add, (int64_t outgoing_id, int64_t lead_id,	\
	    int advance_phase, struct err *e),				\
	    (outgoing_id, lead_id, advance_phase, e))			\
	/* Ascending lead id; none is LG_OK with *n 0. */		\
	X(outgoing_leads, (int64_t outgoing_id,				\
	    struct outgoing_lead **out, size_t *n, struct err *e),	\
	    (outgoing_id, out, n, e))					\
									\
	/* Suppression and unsubscribing (store_outbound.h) */		\
									\
	/* address as norm_email() has it; the first reason stays. */	\
	X(suppression_add, (const char *address, const char *reason,	\
	    struct err *e), (address, reason, e))			\
	/* Listed: LG_OK and the reason to free; else LG_ENOENT. */	\
	X(suppression_get, (const char *address, char **reason,		\
	    struct err *e), (address, reason, e))			\
	/* The whole list, oldest first. */				\
	X(suppression_list, (struct suppression_row **out, size_t *n,	\
	    struct err *e), (out, n, e))				\
	/*								\
	 * The contact's token; when it has none, one is made with	\
	 * create, else *out is NULL. LG_ENOENT: no such contact.	\
	 */								\
	X(contact_unsub_token, (int64_t contact_id, int create,		\
	    char **out, struct err *e), (contact_id, create, out, e))	\
	/* The contact whose token that is; LG_ENOENT: none. */		\
	X(contact_by_unsub_token, (const char *token,			\
	    int64_t *contact_id, struct err *e),			\
	    (token, contact_id, e))					\
									\
	/* Webhooks out (store_outbound.h, outbound/webhook.h) */	\
									\
	/*								\
	 * The endpoint's oldest pending delivery; when it has none,	\
	 * the next event after its cursor whose type is in types	\
	 * (comma-separated) is taken on as pending first. LG_ENOENT:	\
	 * nothing to deliver. Safe to repeat after a crash.		\
	 */								\
	X(webhook_next, (const char *endpoint, const char *types,	\
	    struct webhook_delivery **out, struct err *e),		\
	    (endpoint, types, out, e))					\
	/*								\
	 * Writes state, attempts, next_attempt, last_status and	\
	 * last_error of d's row; LG_ENOENT: no such delivery.		\
	 */								\
	X(webhook_update, (const struct webhook_delivery *d,		\
	    struct err *e), (d, e))					\
	/* Deliveries by event (endpoint, state NULL: any), with data. */ \
	X(webhook_list, (const char *endpoint, const char *state,	\
	    struct webhook_delivery **out, size_t *n, struct err *e),	\
	    (endpoint, state, out, n, e))				\
	/*								\
	 * Failed deliveries (endpoint, uid NULL: any) back to pending	\
	 * with no attempts; *n: how many.				\
	 */								\
	X(webhook_retry, (const char *endpoint, const char *uid,	\
	    long *n, struct err *e), (endpoint, uid, n, e))		\
	/*								\
	 * Forget events created before the ISO time that every one of	\
	 * the n endpoints has passed (cursor) and that no delivery	\
	 * waits for (pending), with their delivered or failed		\
	 * deliveries; n 0: every such event. *events: how many.	\
	 */								\
	X(webhook_purge, (const char *const *endpoints, size_t n,	\
	    const char *before, long *events, struct err *e),		\
	    (endpoints, n, before, events, e))				\
									\
	/* Bounces and complaints (store_outbound.h) */			\
									\
	/* LG_EEXIST: the message has one of that kind and action. */	\
	X(bounce_add, (const struct new_bounce *b, int64_t *id,		\
	    struct err *e), (b, id, e))					\
	/* *n: messages to address soft-bounced since the ISO time. */	\
	X(bounce_soft_count, (const char *address, const char *since,	\
	    long *n, struct err *e), (address, since, n, e))		\
									\
	/* Campaigns (store_campaign.h) */				\
									\
	/* LG_ENOENT when there is none of that name. */		\
	X(campaign_find, (const char *name, struct campaign **out,	\
	    struct err *e), (name, out, e))				\
	/* Sets c->id and the times; LG_EEXIST for a name in use. */	\
	X(campaign_insert, (struct campaign *c, struct err *e), (c, e))	\
	/* Writes matched, queued, skipped and updated_at. */		\
	X(campaign_update, (const struct campaign *c, struct err *e),	\
	    (c, e))							\
	/*								\
	 * Pause (paused: its queued and deferred mail is not due until	\
	 * resumed, nothing is lost) or resume the campaign name.	\
	 * LG_ENOENT when there is none.					\
	 */								\
	X(campaign_set_paused, (const char *name, int paused,		\
	    struct err *e), (name, paused, e))				\
	/* Oldest first, with sent, failed and waiting counted. */	\
	X(campaign_list, (struct campaign **out, size_t *n,		\
	    struct err *e), (out, n, e))				\
	/* The contacts the campaign has a message for, ascending. */	\
	X(campaign_contacts, (int64_t campaign_id, struct idlist *out,	\
	    struct err *e), (campaign_id, out, e))			\
									\
	/* Objects and search profiles (core/object.h) */		\
									\
	/*								\
	 * Insert o, or update the object of its ref (o->id set	\
	 * either way); its aliases replace the stored ones. LG_EEXIST:	\
	 * an alias is another object's id.				\
	 */								\
	X(object_save, (struct object *o, struct err *e), (o, e))	\
	/* The object with that id, for object_free(). */		\
	X(object_get, (int64_t id, struct object **out, struct err *e),	\
	    (id, out, e))						\
	/* The object whose ref or alias key is; LG_ENOENT: none. */	\
	X(object_find, (const char *key, int64_t *id, struct err *e),	\
	    (key, id, e))						\
	/* Objects by ref (state, origin NULL: any), with aliases. */	\
	X(objects_list, (const char *state, const char *origin,	\
	    struct object **out, size_t *n, struct err *e),		\
	    (state, origin, out, n, e))					\
	/* Change the state; LG_ENOENT: no such object. */		\
	X(object_set_state, (int64_t id, const char *state,		\
	    struct err *e), (id, state, e))				\
	/* The leads linked to the object, ascending id. */		\
	X(object_leads, (int64_t object_id, struct idlist *out,	\
	    struct err *e), (object_id, out, e))			\
	/* Add p (p->contact_id set); sets p->id and created_at. */	\
	X(profile_add, (struct search_profile *p, struct err *e),	\
	    (p, e))							\
	/* LG_ENOENT: no such profile. */				\
	X(profile_remove, (int64_t id, struct err *e), (id, e))		\
	/* A contact's profiles (contact_id 0: all), ascending id. */	\
	X(profiles_list, (int64_t contact_id,				\
	    struct search_profile **out, size_t *n, struct err *e),	\
	    (contact_id, out, n, e))					\
									\
	/* The HTTP API's tokens and idempotency keys (store_api.h) */	\
									\
	/* LG_EEXIST: the name or the hash is taken. */			\
	X(api_token_add, (const struct new_api_token *t, int64_t *id,	\
	    struct err *e), (t, id, e))					\
	/* The token with that hash, one to free; LG_ENOENT: none. */	\
	X(api_token_by_hash, (const char *hash, struct api_token *out,	\
	    struct err *e), (hash, out, e))				\
	/* Every token, by name. */					\
	X(api_token_list, (struct api_token **out, size_t *n,		\
	    struct err *e), (out, n, e))				\
	/* With its kept answers; LG_ENOENT: no token of that name. */	\
	X(api_token_remove, (const char *name, struct err *e),		\
	    (name, e))							\
	/*								\
	 * The answer kept for a token's client key: LG_OK with the	\
	 * status and the body to free; LG_ENOENT: none yet.		\
	 */								\
	X(api_idem_get, (int64_t token_id, const char *key,		\
	    int *status, char **body, struct err *e),			\
	    (token_id, key, status, body, e))				\
	/* Keep it, in the transaction of what it answers. */		\
	X(api_idem_put, (int64_t token_id, const char *key, int status,	\
	    const char *body, struct err *e),				\
	    (token_id, key, status, body, e))				\
									\
	/* The dashboard's users and sessions (store_users.h) */	\
									\
	/* LG_EEXIST: the name is taken. */				\
	X(user_add, (const char *name, const char *role,		\
	    const char *hash, int64_t *id, struct err *e),		\
	    (name, role, hash, id, e))					\
	/* The user of that name, to free; LG_ENOENT: none. */		\
	X(user_get, (const char *name, struct user *out,		\
	    struct err *e), (name, out, e))				\
	/* New hash (logs out), role, language (NULL kept, "" none). */	\
	X(user_update, (const char *name, const char *hash,		\
	    const char *role, const char *language, struct err *e),	\
	    (name, hash, role, language, e))				\
	/* With every session; LG_ENOENT: no such user. */		\
	X(user_remove, (const char *name, struct err *e), (name, e))	\
	/* Every user, by name (hashes left NULL). */			\
	X(user_list, (struct user **out, size_t *n, struct err *e),	\
	    (out, n, e))						\
	/* A new session of user_id at now. */				\
	X(session_add, (const char *hash, int64_t user_id,		\
	    const char *csrf, int64_t now, struct err *e),		\
	    (hash, user_id, csrf, now, e))				\
	/* The session with that hash; LG_ENOENT: none. */		\
	X(session_get, (const char *hash, struct user_session *out,	\
	    struct err *e), (hash, out, e))				\
	/* It was used at now. */					\
	X(session_touch, (const char *hash, int64_t now,		\
	    struct err *e), (hash, now, e))				\
	/*								\
	 * Forget the session with that hash (NULL: none) and every	\
	 * one idle since before idle or made before made.		\
	 */								\
	X(session_remove, (const char *hash, int64_t idle,		\
	    int64_t made, struct err *e), (hash, idle, made, e))	\
	/* A failed login for key at now; forgets those before old. */	\
	X(login_fail_add, (const char *key, int64_t now, int64_t old,	\
	    struct err *e), (key, now, old, e))				\
	/* How many failed logins key had since since. */		\
	X(login_fail_count, (const char *key, int64_t since,		\
	    long *n, struct err *e), (key, since, n, e))		\
	/* Counts by phase, source, status of leads in a window. */	\
	X(report_window, (const struct report_window *w,		\
	    struct report_row **out, size_t *n, struct err *e),	\
	    (w, out, n, e))						\
								\
	/* The contact's rights (store_crm.h: struct erase_result) */	\
									\
	/*								\
	 * Everything held about contact id, as a JSON object text	\
	 * (caller frees): its row, addresses, phones, leads, history,	\
	 * deals, inquiries, outgoing and archived mail rows, bounces,	\
	 * suppression entries, quarantined mails naming its		\
	 * addresses, webhook events and API answers naming it.	\
	 * LG_ENOENT: no such contact.					\
	 */								\
	X(contact_export, (int64_t id, char **json, struct err *e),	\
	    (id, json, e))						\
	/*								\
	 * In the caller's transaction, with SQLite's secure_delete on:	\
	 * every personal datum of contact id goes (the rows above	\
	 * deleted or blanked; the contact row stays, empty, for the	\
	 * ids that name it); the SHA-256 of each of its addresses	\
	 * goes on the suppression list; an erasures row records actor	\
	 * and the counts. out gets the counts and the files to erase	\
	 * (spool messages, archive contents no row names any more).	\
	 */								\
	X(contact_erase, (int64_t id, const char *actor,		\
	    struct erase_result *out, struct err *e), (id, actor, out, e))	\
	/*								\
	 * Outside a transaction: checkpoint the WAL and truncate it,	\
	 * VACUUM, and again, so that no deleted byte stays in a file;	\
	 * *busy 1 when a reader kept part of the WAL.			\
	 */								\
	X(scrub, (int *busy, struct err *e), (busy, e))			\
	/*								\
	 * Contact other into keep: its leads, history, deals,		\
	 * inquiries, mail rows and employees move to keep, its		\
	 * addresses and phones too (those keep lacks), empty fields	\
	 * of keep are filled from it and custom fields merged (keep's	\
	 * win); then other is deleted.					\
	 */								\
	X(contact_merge, (int64_t keep, int64_t other, struct err *e),	\
	    (keep, other, e))

#endif
