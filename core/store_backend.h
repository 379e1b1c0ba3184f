/*
 * What a store backend provides. store.c forwards each store_* call to
 * the backend's function of the same name, passing its private handle.
 */
#ifndef LG_STORE_BACKEND_H
#define LG_STORE_BACKEND_H

#include "core/store.h"

struct store_backend {
	const char *name;
	int schema_latest;
	int (*open)(const char *path, const struct store_options *opt,
	    void **impl, struct err *e);
	void (*close)(void *impl);
	int (*schema_version)(void *impl, int *out, struct err *e);
	int (*begin)(void *impl, struct err *e);
	int (*commit)(void *impl, struct err *e);
	void (*rollback)(void *impl);
	int (*contact_insert)(void *impl, struct contact *c, struct err *e);
	int (*contact_update)(void *impl, struct contact *c, struct err *e);
	int (*contact_get)(void *impl, int64_t id, struct contact **out, struct err *e);
	int (*contact_find)(void *impl, enum store_match by, const char *key, int64_t *id, struct err *e);
	int (*contact_employees)(void *impl, int64_t company_id, struct idlist *out, struct err *e);
	int (*contacts_query)(void *impl, const struct filter *f, struct idlist *out, struct err *e);
	int (*lead_insert)(void *impl, struct lead *l, struct err *e);
	int (*lead_update)(void *impl, struct lead *l, struct err *e);
	int (*lead_get)(void *impl, int64_t id, struct lead **out, struct err *e);
	int (*leads_of_contact)(void *impl, int64_t contact_id, struct idlist *out, struct err *e);
	int (*lead_find_open)(void *impl, int64_t contact_id, const char *object_ref, int64_t *id, struct err *e);
	int (*leads_query)(void *impl, const struct filter *f, struct idlist *out, struct err *e);
	int (*lead_summary)(void *impl, const struct idlist *ids, struct lead_summary *out, struct err *e);
	int (*history_add)(void *impl, struct history *h, struct err *e);
	int (*history_list)(void *impl, int64_t lead_id, int64_t contact_id, struct history **out, size_t *n, struct err *e);
	int (*deal_insert)(void *impl, struct deal *d, struct err *e);
	int (*deals_of_lead)(void *impl, int64_t lead_id, struct deal **out, size_t *n, struct err *e);
	int (*source_add)(void *impl, const char *name, struct err *e);
	int (*source_rename)(void *impl, const char *from, const char *to, struct err *e);
	int (*source_remove)(void *impl, const char *name, struct err *e);
	int (*source_get)(void *impl, const char *name, char **canonical, struct err *e);
	int (*source_list)(void *impl, struct source_row **out, size_t *n, struct err *e);
	int (*report)(void *impl, enum report_by by, const char *pipeline, struct report_row **out, size_t *n, struct err *e);	int (*state_get)(void *impl, const char *connector, const char *key, char **value, struct err *e);
	int (*state_set)(void *impl, const char *connector, const char *key, const char *value, struct err *e);
	int (*inquiry_find)(void *impl, const char *key, struct inquiry_row **out, struct err *e);
	int (*inquiry_add)(void *impl, struct inquiry_row *r, struct err *e);
	int (*inquiry_delete)(void *impl, int64_t id, struct err *e);
	int (*inquiry_count_from)(void *impl, const char *sender, const char *since, long *n, struct err *e);
	int (*inquiries_of_lead)(void *impl, int64_t lead_id, struct inquiry_row **out, size_t *n, struct err *e);
	int (*quarantine_add)(void *impl, struct quarantine_row *q, struct err *e);
	int (*quarantine_get)(void *impl, int64_t id, struct quarantine_row **out, struct err *e);
	int (*quarantine_list)(void *impl, const char *state, struct quarantine_row **out, size_t *n, struct err *e);
	int (*quarantine_set_state)(void *impl, int64_t id, const char *state, struct err *e);
	int (*contact_unsub_token)(void *impl, int64_t contact_id, int create, char **out, struct err *e);
	int (*contact_by_unsub_token)(void *impl, const char *token, int64_t *contact_id, struct err *e);
	int (*outgoing_insert)(void *impl, struct outgoing *o, struct err *e);
	int (*outgoing_update)(void *impl, struct outgoing *o, struct err *e);
	int (*outgoing_get)(void *impl, int64_t id, struct outgoing **out, struct err *e);
	int (*outgoing_list)(void *impl, unsigned states, struct outgoing **out, size_t *n, struct err *e);
	int (*outgoing_due)(void *impl, int64_t now, int64_t after, size_t limit, struct outgoing **out, size_t *n, struct err *e);
	int (*outgoing_next_due)(void *impl, int64_t *when, struct err *e);
	int (*outgoing_counts)(void *impl, long counts[OUT_NSTATES], struct err *e);
	int (*suppression_add)(void *impl, const char *address, const char *reason, struct err *e);
	int (*suppression_get)(void *impl, const char *address, char **reason, struct err *e);
	int (*suppression_list)(void *impl, struct suppression_row **out, size_t *n, struct err *e);
	int (*fast_commit)(void *impl, struct err *e);
	int (*sync)(void *impl, struct err *e);
	int (*outgoing_recent)(void *impl, const char *rcpt, const char *rule, const char *since, long *n, struct err *e);
	int (*campaign_find)(void *impl, const char *name, struct campaign **out, struct err *e);
	int (*campaign_insert)(void *impl, struct campaign *c, struct err *e);
	int (*campaign_update)(void *impl, const struct campaign *c, struct err *e);
	int (*campaign_list)(void *impl, struct campaign **out, size_t *n, struct err *e);
	int (*campaign_contacts)(void *impl, int64_t campaign_id, struct idlist *out, struct err *e);
	int (*outgoing_lead_add)(void *impl, int64_t outgoing_id, int64_t lead_id, int advance_phase, struct err *e);
	int (*outgoing_leads)(void *impl, int64_t outgoing_id, struct outgoing_lead **out, size_t *n, struct err *e);
	int (*outgoing_sent_since)(void *impl, int campaign_only, const char *since_iso, long *n, struct err *e);
	int (*mailbox_uidvalidity_get)(void *impl, const char *connector, const char *folder, uint32_t *out, struct err *e);
	int (*mailbox_uidvalidity_set)(void *impl, const char *connector, const char *folder, uint32_t uidvalidity, struct err *e);
	int (*mailbox_uid_handled)(void *impl, const char *connector, const char *folder, uint32_t uidvalidity, uint32_t uid, struct err *e);
	int (*mailbox_uids_add)(void *impl, const char *connector, const char *folder, uint32_t uidvalidity, const uint32_t *uids, size_t n, struct err *e);
	int (*mailbox_uids_prune)(void *impl, const char *connector, const char *folder, uint32_t uidvalidity, const uint32_t *keep, size_t n, struct err *e);
};

extern const struct store_backend store_sqlite_backend;

#endif
