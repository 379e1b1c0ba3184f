/*
 * The front of the store: picks the backend and forwards every call to it.
 * Only SQLite exists today; a "postgresql:" path prefix would choose
 * another backend here without the domain code noticing.
 */
#include <stdlib.h>

#include "core/store.h"
#include "core/store_backend.h"
#include "util/xmalloc.h"

struct store {
	const struct store_backend *be;
	void *impl;
};

int
store_open(const char *path, const struct store_options *opt,
    struct store **out, struct err *e)
{
	const struct store_backend *be = &store_sqlite_backend;
	struct store_options defaults = { 5000, 0 };
	void *impl;
	int rc;

	if ((rc = be->open(path, opt ? opt : &defaults, &impl, e)) != LG_OK)
		return rc;
	*out = xcalloc(1, sizeof(**out));
	(*out)->be = be;
	(*out)->impl = impl;
	return LG_OK;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	st->be->close(st->impl);
	free(st);
}

int
store_schema_latest(void)
{
	return store_sqlite_backend.schema_latest;
}

void
lead_summary_clear(struct lead_summary *s)
{
	free(s->last_won_at);
	s->last_won_at = NULL;
}

void
store_history_free(struct history *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		history_clear(&v[i]);
	free(v);
}

void
store_deals_free(struct deal *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		deal_clear(&v[i]);
	free(v);
}

void
store_source_rows_free(struct source_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].created_at);
	}
	free(v);
}

void
store_report_free(struct report_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].pipeline);
		free(v[i].source);
	}
	free(v);
}

/* Forwarders, one per operation. */

int
store_schema_version(struct store *st, int *out, struct err *e)
{
	return st->be->schema_version(st->impl, out, e);
}

int
store_begin(struct store *st, struct err *e)
{
	return st->be->begin(st->impl, e);
}

int
store_commit(struct store *st, struct err *e)
{
	return st->be->commit(st->impl, e);
}

void
store_rollback(struct store *st)
{
	st->be->rollback(st->impl);
}

int
store_contact_insert(struct store *st, struct contact *c, struct err *e)
{
	return st->be->contact_insert(st->impl, c, e);
}

int
store_contact_update(struct store *st, struct contact *c, struct err *e)
{
	return st->be->contact_update(st->impl, c, e);
}

int
store_contact_get(struct store *st, int64_t id, struct contact **out, struct err *e)
{
	return st->be->contact_get(st->impl, id, out, e);
}

int
store_contact_find(struct store *st, enum store_match by, const char *key, int64_t *id, struct err *e)
{
	return st->be->contact_find(st->impl, by, key, id, e);
}

int
store_contact_employees(struct store *st, int64_t company_id, struct idlist *out, struct err *e)
{
	return st->be->contact_employees(st->impl, company_id, out, e);
}

int
store_contacts_query(struct store *st, const struct filter *f, struct idlist *out, struct err *e)
{
	return st->be->contacts_query(st->impl, f, out, e);
}

int
store_lead_insert(struct store *st, struct lead *l, struct err *e)
{
	return st->be->lead_insert(st->impl, l, e);
}

int
store_lead_update(struct store *st, struct lead *l, struct err *e)
{
	return st->be->lead_update(st->impl, l, e);
}

int
store_lead_get(struct store *st, int64_t id, struct lead **out, struct err *e)
{
	return st->be->lead_get(st->impl, id, out, e);
}

int
store_leads_of_contact(struct store *st, int64_t contact_id, struct idlist *out, struct err *e)
{
	return st->be->leads_of_contact(st->impl, contact_id, out, e);
}

int
store_lead_find_open(struct store *st, int64_t contact_id, const char *object_ref, int64_t *id, struct err *e)
{
	return st->be->lead_find_open(st->impl, contact_id, object_ref, id, e);
}

int
store_leads_query(struct store *st, const struct filter *f, struct idlist *out, struct err *e)
{
	return st->be->leads_query(st->impl, f, out, e);
}

int
store_lead_summary(struct store *st, const struct idlist *ids, struct lead_summary *out, struct err *e)
{
	return st->be->lead_summary(st->impl, ids, out, e);
}

int
store_history_add(struct store *st, struct history *h, struct err *e)
{
	return st->be->history_add(st->impl, h, e);
}

int
store_history_list(struct store *st, int64_t lead_id, int64_t contact_id, struct history **out, size_t *n, struct err *e)
{
	return st->be->history_list(st->impl, lead_id, contact_id, out, n, e);
}

int
store_deal_insert(struct store *st, struct deal *d, struct err *e)
{
	return st->be->deal_insert(st->impl, d, e);
}

int
store_deals_of_lead(struct store *st, int64_t lead_id, struct deal **out, size_t *n, struct err *e)
{
	return st->be->deals_of_lead(st->impl, lead_id, out, n, e);
}

int
store_source_add(struct store *st, const char *name, struct err *e)
{
	return st->be->source_add(st->impl, name, e);
}

int
store_source_rename(struct store *st, const char *from, const char *to, struct err *e)
{
	return st->be->source_rename(st->impl, from, to, e);
}

int
store_source_remove(struct store *st, const char *name, struct err *e)
{
	return st->be->source_remove(st->impl, name, e);
}

int
store_source_get(struct store *st, const char *name, char **canonical, struct err *e)
{
	return st->be->source_get(st->impl, name, canonical, e);
}

int
store_source_list(struct store *st, struct source_row **out, size_t *n, struct err *e)
{
	return st->be->source_list(st->impl, out, n, e);
}

int
store_report(struct store *st, enum report_by by, const char *pipeline, struct report_row **out, size_t *n, struct err *e)
{
	return st->be->report(st->impl, by, pipeline, out, n, e);
}

int
store_state_get(struct store *st, const char *connector, const char *key,
    char **value, struct err *e)
{
	return st->be->state_get(st->impl, connector, key, value, e);
}

int
store_state_set(struct store *st, const char *connector, const char *key,
    const char *value, struct err *e)
{
	return st->be->state_set(st->impl, connector, key, value, e);
}

int
store_inquiry_find(struct store *st, const char *key,
    struct inquiry_row **out, struct err *e)
{
	return st->be->inquiry_find(st->impl, key, out, e);
}

int
store_inquiry_add(struct store *st, struct inquiry_row *r, struct err *e)
{
	return st->be->inquiry_add(st->impl, r, e);
}

int
store_inquiry_delete(struct store *st, int64_t id, struct err *e)
{
	return st->be->inquiry_delete(st->impl, id, e);
}

int
store_inquiry_count_from(struct store *st, const char *sender,
    const char *since, long *n, struct err *e)
{
	return st->be->inquiry_count_from(st->impl, sender, since, n, e);
}

int
store_inquiries_of_lead(struct store *st, int64_t lead_id,
    struct inquiry_row **out, size_t *n, struct err *e)
{
	return st->be->inquiries_of_lead(st->impl, lead_id, out, n, e);
}

void
store_inquiry_rows_free(struct inquiry_row *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].key);
		free(v[i].connector);
		free(v[i].sender);
		free(v[i].rule);
		free(v[i].decision);
		free(v[i].received_at);
	}
	free(v);
}

int
store_outgoing_insert(struct store *st, struct outgoing *o, struct err *e)
{
	return st->be->outgoing_insert(st->impl, o, e);
}

int
store_outgoing_update(struct store *st, struct outgoing *o, struct err *e)
{
	return st->be->outgoing_update(st->impl, o, e);
}

int
store_outgoing_get(struct store *st, int64_t id, struct outgoing **out,
    struct err *e)
{
	return st->be->outgoing_get(st->impl, id, out, e);
}

int
store_outgoing_list(struct store *st, unsigned states, struct outgoing **out,
    size_t *n, struct err *e)
{
	return st->be->outgoing_list(st->impl, states, out, n, e);
}

int
store_outgoing_due(struct store *st, int64_t now, int64_t after, size_t limit,
    struct outgoing **out, size_t *n, struct err *e)
{
	return st->be->outgoing_due(st->impl, now, after, limit, out, n, e);
}

int
store_outgoing_next_due(struct store *st, int64_t *when, struct err *e)
{
	return st->be->outgoing_next_due(st->impl, when, e);
}

int
store_outgoing_counts(struct store *st, long counts[OUT_NSTATES],
    struct err *e)
{
	return st->be->outgoing_counts(st->impl, counts, e);
}

void
store_outgoing_rows_free(struct outgoing *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		outgoing_clear(&v[i]);
	free(v);
}

int
store_quarantine_add(struct store *st, struct quarantine_row *q,
    struct err *e)
{
	return st->be->quarantine_add(st->impl, q, e);
}

int
store_quarantine_get(struct store *st, int64_t id,
    struct quarantine_row **out, struct err *e)
{
	return st->be->quarantine_get(st->impl, id, out, e);
}

int
store_quarantine_list(struct store *st, const char *state,
    struct quarantine_row **out, size_t *n, struct err *e)
{
	return st->be->quarantine_list(st->impl, state, out, n, e);
}

int
store_quarantine_set_state(struct store *st, int64_t id, const char *state,
    struct err *e)
{
	return st->be->quarantine_set_state(st->impl, id, state, e);
}

void
store_quarantine_rows_free(struct quarantine_row *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].at);
		free(v[i].connector);
		free(v[i].kind);
		free(v[i].inquiry_key);
		free(v[i].reason);
		free(v[i].location);
		free(v[i].state);
		free(v[i].meta);
		free(v[i].raw);
	}
	free(v);
}

int
store_contact_unsub_token(struct store *st, int64_t contact_id, int create,
    char **out, struct err *e)
{
	return st->be->contact_unsub_token(st->impl, contact_id, create, out, e);
}

int
store_contact_by_unsub_token(struct store *st, const char *token,
    int64_t *contact_id, struct err *e)
{
	return st->be->contact_by_unsub_token(st->impl, token, contact_id, e);
}

int
store_suppression_add(struct store *st, const char *address,
    const char *reason, struct err *e)
{
	return st->be->suppression_add(st->impl, address, reason, e);
}

int
store_suppression_get(struct store *st, const char *address, char **reason,
    struct err *e)
{
	return st->be->suppression_get(st->impl, address, reason, e);
}

int
store_suppression_list(struct store *st, struct suppression_row **out,
    size_t *n, struct err *e)
{
	return st->be->suppression_list(st->impl, out, n, e);
}

int
store_fast_commit(struct store *st, struct err *e)
{
	return st->be->fast_commit(st->impl, e);
}

int
store_sync(struct store *st, struct err *e)
{
	return st->be->sync(st->impl, e);
}

int
store_outgoing_recent(struct store *st, const char *rcpt, const char *rule,
    const char *since, long *n, struct err *e)
{
	return st->be->outgoing_recent(st->impl, rcpt, rule, since, n, e);
}

int
store_outgoing_sent_since(struct store *st, int campaign_only,
    const char *since_iso, long *n, struct err *e)
{
	return st->be->outgoing_sent_since(st->impl, campaign_only, since_iso,
	    n, e);
}

void
store_suppression_rows_free(struct suppression_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].address);
		free(v[i].reason);
		free(v[i].at);
	}
	free(v);
}

int
store_mailbox_uidvalidity_get(struct store *st, const char *connector,
    const char *folder, uint32_t *out, struct err *e)
{
	return st->be->mailbox_uidvalidity_get(st->impl, connector, folder, out,
	    e);
}

int
store_mailbox_uidvalidity_set(struct store *st, const char *connector,
    const char *folder, uint32_t uidvalidity, struct err *e)
{
	return st->be->mailbox_uidvalidity_set(st->impl, connector, folder,
	    uidvalidity, e);
}

int
store_mailbox_uid_handled(struct store *st, const char *connector,
    const char *folder, uint32_t uidvalidity, uint32_t uid, struct err *e)
{
	return st->be->mailbox_uid_handled(st->impl, connector, folder,
	    uidvalidity, uid, e);
}

int
store_mailbox_uids_add(struct store *st, const char *connector,
    const char *folder, uint32_t uidvalidity, const uint32_t *uids, size_t n,
    struct err *e)
{
	return st->be->mailbox_uids_add(st->impl, connector, folder,
	    uidvalidity, uids, n, e);
}

int
store_mailbox_uids_prune(struct store *st, const char *connector,
    const char *folder, uint32_t uidvalidity, const uint32_t *keep, size_t n,
    struct err *e)
{
	return st->be->mailbox_uids_prune(st->impl, connector, folder,
	    uidvalidity, keep, n, e);
}

int
store_campaign_find(struct store *st, const char *name, struct campaign **out,
    struct err *e)
{
	return st->be->campaign_find(st->impl, name, out, e);
}

int
store_campaign_insert(struct store *st, struct campaign *c, struct err *e)
{
	return st->be->campaign_insert(st->impl, c, e);
}

int
store_campaign_update(struct store *st, const struct campaign *c,
    struct err *e)
{
	return st->be->campaign_update(st->impl, c, e);
}

int
store_campaign_list(struct store *st, struct campaign **out, size_t *n,
    struct err *e)
{
	return st->be->campaign_list(st->impl, out, n, e);
}

int
store_campaign_contacts(struct store *st, int64_t campaign_id,
    struct idlist *out, struct err *e)
{
	return st->be->campaign_contacts(st->impl, campaign_id, out, e);
}

int
store_outgoing_lead_add(struct store *st, int64_t outgoing_id,
    int64_t lead_id, int advance_phase, struct err *e)
{
	return st->be->outgoing_lead_add(st->impl, outgoing_id, lead_id,
	    advance_phase, e);
}

int
store_outgoing_leads(struct store *st, int64_t outgoing_id,
    struct outgoing_lead **out, size_t *n, struct err *e)
{
	return st->be->outgoing_leads(st->impl, outgoing_id, out, n, e);
}

static void
campaign_clear(struct campaign *c)
{
	free(c->name);
	free(c->filter);
	free(c->template);
	free(c->advance_to);
	free(c->created_at);
	free(c->updated_at);
}

void
campaign_free(struct campaign *c)
{
	if (c == NULL)
		return;
	campaign_clear(c);
	free(c);
}

void
store_campaign_rows_free(struct campaign *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		campaign_clear(&v[i]);
	free(v);
}
