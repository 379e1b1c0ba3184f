/*
 * The contact's rights in SQLite: export (GDPR Articles 15 and 20), erase
 * (Article 17) and merge.
 *
 * Which rows name a person is said once, as SQL fragments below (?1 the
 * contact id): export reads them, erase blanks or deletes them, merge
 * moves them. A table added later that names a contact must be added to
 * the three lists. search_profiles (12) are the person's wishes: exported,
 * erased, moved. phase_arrivals (13) hang on leads and say only when a
 * lead reached a phase: exported with the leads, kept by an erase (no
 * personal data), following their leads in a merge. users and
 * user_sessions (11) are the dashboard's users, not contacts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <jansson.h>

#include "core/store_sqlite.h"
#include "util/xmalloc.h"

/* The rows that name contact ?1, as sub-selects. */
#define P_LEADS "(SELECT id FROM leads WHERE contact_id=?1)"
#define P_EMAILS "(SELECT norm FROM contact_emails WHERE contact_id=?1)"
#define P_OUTGOING "(SELECT id FROM outgoing WHERE contact_id=?1 OR " \
    "lead_id IN " P_LEADS " OR rcpt IN " P_EMAILS ")"
#define P_QUARANTINE "(SELECT id FROM quarantine WHERE id IN (SELECT " \
    "quarantine_id FROM inquiries WHERE contact_id=?1) OR EXISTS (SELECT 1 " \
    "FROM contact_emails WHERE contact_id=?1 AND " \
    "instr(lower(CAST(raw AS TEXT)), norm) > 0))"
#define P_EVENTS "(SELECT id FROM webhook_events WHERE " \
    "json_extract(data, '$.contact_id')=?1 OR " \
    "json_extract(data, '$.lead_id') IN " P_LEADS " OR " \
    "json_extract(data, '$.quarantine_id') IN " P_QUARANTINE ")"
#define P_IDEM "json_valid(body) AND json_extract(body, '$.contact_id')=?1"

/* Export: one member of the document per row, list or single row. */
static const struct {
	const char *name;
	int single;		/* an object, not an array */
	const char *sql;
} export_parts[] = {
	{ "contact", 1, "SELECT * FROM contacts WHERE id=?1" },
	{ "emails", 0, "SELECT pos, given, norm FROM contact_emails "
	    "WHERE contact_id=?1 ORDER BY pos" },
	{ "phones", 0, "SELECT pos, given, norm FROM contact_phones "
	    "WHERE contact_id=?1 ORDER BY pos" },
	{ "employees", 0, "SELECT id FROM contacts WHERE company_id=?1 "
	    "ORDER BY id" },
	{ "leads", 0, "SELECT leads.*, sources.name AS source FROM leads "
	    "JOIN sources ON sources.id = leads.source_id "
	    "WHERE contact_id=?1 ORDER BY leads.id" },
	{ "search_profiles", 0, "SELECT * FROM search_profiles "
	    "WHERE contact_id=?1 ORDER BY id" },
	{ "phase_arrivals", 0, "SELECT * FROM phase_arrivals WHERE "
	    "lead_id IN " P_LEADS " ORDER BY id" },
	{ "history", 0, "SELECT * FROM history WHERE contact_id=?1 OR "
	    "lead_id IN " P_LEADS " ORDER BY id" },
	{ "deals", 0, "SELECT * FROM deals WHERE contact_id=?1 OR "
	    "lead_id IN " P_LEADS " ORDER BY id" },
	{ "inquiries", 0, "SELECT * FROM inquiries WHERE contact_id=?1 OR "
	    "lead_id IN " P_LEADS " ORDER BY id" },
	{ "outgoing", 0, "SELECT * FROM outgoing WHERE id IN " P_OUTGOING
	    " ORDER BY id" },
	{ "bounces", 0, "SELECT * FROM bounces WHERE outgoing_id IN "
	    P_OUTGOING " OR address IN " P_EMAILS " ORDER BY id" },
	{ "mails", 0, "SELECT * FROM archive_mails WHERE contact_id=?1 OR "
	    "lead_id IN " P_LEADS " ORDER BY id" },
	{ "quarantine", 0, "SELECT id, at, connector, kind, inquiry_key, "
	    "reason, location, state, CAST(raw AS TEXT) AS raw FROM quarantine "
	    "WHERE id IN " P_QUARANTINE " ORDER BY id" },
	{ "suppression", 0, "SELECT * FROM suppression WHERE address IN "
	    P_EMAILS " ORDER BY at" },
	{ "webhook_events", 0, "SELECT * FROM webhook_events WHERE id IN "
	    P_EVENTS " ORDER BY id" },
	{ "api_answers", 0, "SELECT token_id, client_key, status, body, "
	    "created_at FROM api_idempotency WHERE " P_IDEM
	    " ORDER BY created_at" },
	{ "erasures", 0, "SELECT id, at, actor, counts FROM erasures "
	    "WHERE contact_id=?1 ORDER BY id" },
};

/* Columns holding JSON text, exported as JSON. */
static const char *const json_columns[] = { "custom", "data", "body",
    "meta", "counts" };

static json_t *
sq_json_value(sqlite3_stmt *s, int i)
{
	const char *name = sqlite3_column_name(s, i);
	const char *text;
	json_t *v;
	size_t k;

	switch (sqlite3_column_type(s, i)) {
	case SQLITE_NULL:
		return json_null();
	case SQLITE_INTEGER:
		return json_integer(sqlite3_column_int64(s, i));
	case SQLITE_FLOAT:
		return json_real(sqlite3_column_double(s, i));
	}
	text = (const char *)sqlite3_column_text(s, i);
	for (k = 0; k < sizeof(json_columns) / sizeof(json_columns[0]); k++)
		if (strcmp(name, json_columns[k]) == 0 &&
		    (v = json_loads(text, JSON_DECODE_ANY, NULL)) != NULL)
			return v;
	/* Not UTF-8 (a raw mail in another charset): as Latin-1. */
	if ((v = json_string(text)) == NULL)
		v = json_string("(not UTF-8)");
	return v;
}

static json_t *
sq_json_row(sqlite3_stmt *s)
{
	json_t *o = json_object();
	int i, n = sqlite3_column_count(s);

	for (i = 0; i < n; i++)
		json_object_set_new(o, sqlite3_column_name(s, i),
		    sq_json_value(s, i));
	return o;
}

/* Run sql (?1 = id) into a JSON array, or the first row when single. */
static int
sq_json_query(struct sq *q, const char *sql, int64_t id, int single,
    json_t **out, struct err *e)
{
	json_t *arr = single ? NULL : json_array();
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	if ((s = sq_stmt(q, sql, e)) == NULL) {
		json_decref(arr);
		return e ? e->code : LG_EINTERNAL;
	}
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (single) {
			*out = sq_json_row(s);
			break;
		}
		json_array_append_new(arr, sq_json_row(s));
	}
	sq_done(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		json_decref(arr);
		return sq_fail(q, sqlite3_extended_errcode(q->db), "export", e);
	}
	if (!single)
		*out = arr;
	return LG_OK;
}

int
sq_contact_export(void *impl, int64_t id, char **json, struct err *e)
{
	struct sq *q = impl;
	json_t *doc = json_object(), *part;
	size_t i;
	int rc = LG_OK;

	*json = NULL;
	for (i = 0; i < sizeof(export_parts) / sizeof(export_parts[0]); i++) {
		if ((rc = sq_json_query(q, export_parts[i].sql, id,
		    export_parts[i].single, &part, e)) != LG_OK)
			break;
		if (part == NULL) {
			rc = err_set(e, LG_ENOENT, "no contact with id %lld",
			    (long long)id);
			break;
		}
		json_object_set_new(doc, export_parts[i].name, part);
	}
	if (rc == LG_OK)
		*json = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return rc;
}

/*
 * Erase, in this order: what is found through the addresses and leads
 * goes before the addresses and the leads' data do. ?2 is the time.
 */
static const struct {
	const char *what;
	const char *sql;
} erase_steps[] = {
	{ "webhook deliveries", "DELETE FROM webhook_deliveries WHERE "
	    "event_id IN " P_EVENTS },
	{ "webhook events", "DELETE FROM webhook_events WHERE id IN "
	    P_EVENTS },
	{ "API answers", "DELETE FROM api_idempotency WHERE " P_IDEM },
	{ "bounces", "DELETE FROM bounces WHERE outgoing_id IN " P_OUTGOING
	    " OR address IN " P_EMAILS },
	{ "outgoing texts", "DELETE FROM outgoing_bodies WHERE id IN "
	    P_OUTGOING },
	{ "outgoing mails", "UPDATE outgoing SET rcpt='', subject=NULL, "
	    "last_reply=NULL, updated_at=?2, state=CASE WHEN state IN "
	    "('queued','deferred','held') THEN 'cancelled' ELSE state END "
	    "WHERE id IN " P_OUTGOING },
	{ "archived mails", "DELETE FROM archive_mails WHERE contact_id=?1 OR "
	    "lead_id IN " P_LEADS },
	{ "quarantine links", "UPDATE inquiries SET quarantine_id=NULL "
	    "WHERE quarantine_id IN " P_QUARANTINE },
	{ "quarantined mails", "DELETE FROM quarantine WHERE id IN "
	    P_QUARANTINE },
	{ "inquiries", "UPDATE inquiries SET sender=NULL, decision=NULL "
	    "WHERE contact_id=?1 "
	    "OR lead_id IN " P_LEADS " OR sender IN " P_EMAILS },
	{ "suppression entries", "DELETE FROM suppression WHERE address IN "
	    P_EMAILS },
	{ "history", "UPDATE history SET remark=NULL WHERE contact_id=?1 OR "
	    "lead_id IN " P_LEADS },
	{ "deals", "UPDATE deals SET title='(erased)', custom='{}' WHERE "
	    "contact_id=?1 OR lead_id IN " P_LEADS },
	{ "leads", "UPDATE leads SET message=NULL, custom='{}', "
	    "portal_ref=NULL, updated_at=?2 WHERE contact_id=?1" },
	{ "search profiles", "DELETE FROM search_profiles WHERE "
	    "contact_id=?1" },
	{ "e-mail addresses", "DELETE FROM contact_emails WHERE "
	    "contact_id=?1" },
	{ "phone numbers", "DELETE FROM contact_phones WHERE contact_id=?1" },
	{ "contact", "UPDATE contacts SET salutation=NULL, first_name=NULL, "
	    "last_name=NULL, company=NULL, language=NULL, street=NULL, "
	    "postcode=NULL, city=NULL, custom='{}', unsub_token=NULL, "
	    "updated_at=?2 WHERE id=?1" },
};

static const char sql_erase_spool[] =
    "SELECT id, spool_name FROM outgoing WHERE id IN " P_OUTGOING
    " AND state IN ('queued','deferred','held') AND spool_name IS NOT NULL";
static const char sql_erase_shas[] =
    "SELECT DISTINCT sha256 FROM archive_mails WHERE contact_id=?1 OR "
    "lead_id IN " P_LEADS;
static const char sql_erase_sha_used[] =
    "SELECT 1 FROM archive_mails WHERE sha256=?";
static const char sql_erase_emails[] =
    "SELECT norm FROM contact_emails WHERE contact_id=?1";
static const char sql_erase_suppress[] =
    "INSERT OR IGNORE INTO suppression (address, reason, at) VALUES "
    "(?, 'erased', ?)";
static const char sql_erase_audit[] =
    "INSERT INTO erasures (at, actor, contact_id, counts) VALUES (?,?,?,?)";
static const char sql_contact_exists[] =
    "SELECT 1 FROM contacts WHERE id=?1";

void
sq_suppression_key(const char *address, char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	size_t i, n;

	if (len == 0)
		return;
	gnutls_hash_fast(GNUTLS_DIG_SHA256, address, strlen(address), md);
	snprintf(out, len, "sha256:");
	/* Looked up for every bulk message: no snprintf() per octet. */
	n = strlen(out);
	for (i = 0; i < sizeof(md) && n + 3 <= len; i++) {
		out[n++] = hex[md[i] >> 4];
		out[n++] = hex[md[i] & 0xf];
	}
	out[n] = '\0';
}

/* The rows of s (?1 = id) as strings of column 0 (and ids of col 1). */
static int
sq_erase_collect(struct sq *q, const char *sql, int64_t id,
    struct erase_result *r, int spool, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (spool) {
			r->spool = xreallocarray(r->spool, r->nspool + 1,
			    sizeof(*r->spool));
			r->spool[r->nspool].row = sqlite3_column_int64(s, 0);
			r->spool[r->nspool++].name = sq_col_text(s, 1);
		} else {
			r->mails = xreallocarray(r->mails, r->nmails + 1,
			    sizeof(*r->mails));
			r->mails[r->nmails++] = sq_col_text(s, 0);
		}
	}
	sq_done(s);
	if (rc != SQLITE_DONE)
		return sq_fail(q, sqlite3_extended_errcode(q->db), "erase", e);
	return LG_OK;
}

/* The addresses' hashes on the suppression list. */
static int
sq_erase_suppress(struct sq *q, int64_t id, const char *now, struct err *e)
{
	char **addrs = NULL, key[80];
	size_t i, n = 0;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_erase_emails, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		addrs = xreallocarray(addrs, n + 1, sizeof(*addrs));
		addrs[n++] = sq_col_text(s, 0);
	}
	sq_done(s);
	rc = rc == SQLITE_DONE ? LG_OK : sq_fail(q,
	    sqlite3_extended_errcode(q->db), "erase", e);
	for (i = 0; i < n; i++) {
		if (rc == LG_OK && (s = sq_stmt(q, sql_erase_suppress,
		    e)) == NULL)
			rc = e ? e->code : LG_EINTERNAL;
		if (rc == LG_OK) {
			sq_suppression_key(addrs[i], key, sizeof(key));
			sq_bind_text(s, 1, key);
			sq_bind_text(s, 2, now);
			rc = sq_exec_stmt(q, s, "suppression", e);
		}
		free(addrs[i]);
	}
	free(addrs);
	return rc;
}

/* Keep in r->mails only the contents no row names any more. */
static int
sq_erase_unused(struct sq *q, struct erase_result *r, struct err *e)
{
	sqlite3_stmt *s;
	size_t i, k = 0;
	int rc = LG_OK, step;

	for (i = 0; i < r->nmails; i++) {
		if (rc == LG_OK && (s = sq_stmt(q, sql_erase_sha_used,
		    e)) == NULL)
			rc = e ? e->code : LG_EINTERNAL;
		step = SQLITE_ROW;
		if (rc == LG_OK) {
			sq_bind_text(s, 1, r->mails[i]);
			step = sqlite3_step(s);
			sq_done(s);
			if (step != SQLITE_ROW && step != SQLITE_DONE)
				rc = sq_fail(q, sqlite3_extended_errcode(q->db),
				    "erase", e);
		}
		if (rc == LG_OK && step == SQLITE_DONE)
			r->mails[k++] = r->mails[i];
		else
			free(r->mails[i]);
	}
	r->nmails = k;
	return rc;
}

static int
sq_erase_audit(struct sq *q, int64_t id, const char *actor, const char *now,
    const struct erase_result *r, struct err *e)
{
	json_t *counts = json_object();
	sqlite3_stmt *s;
	char *text;
	size_t i;
	int rc;

	for (i = 0; i < r->ncounts; i++)
		json_object_set_new(counts, r->counts[i].what,
		    json_integer(r->counts[i].n));
	json_object_set_new(counts, "spool messages",
	    json_integer((json_int_t)r->nspool));
	json_object_set_new(counts, "archive files",
	    json_integer((json_int_t)r->nmails));
	text = json_dumps(counts, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(counts);
	if ((s = sq_stmt(q, sql_erase_audit, e)) == NULL) {
		free(text);
		return e ? e->code : LG_EINTERNAL;
	}
	sq_bind_text(s, 1, now);
	sq_bind_text(s, 2, actor);
	sqlite3_bind_int64(s, 3, id);
	sq_bind_text(s, 4, text);
	rc = sq_exec_stmt(q, s, "erasure record", e);
	free(text);
	return rc;
}

int
sq_contact_erase(void *impl, int64_t id, const char *actor,
    struct erase_result *r, struct err *e)
{
	struct sq *q = impl;
	char now[40];
	sqlite3_stmt *s;
	size_t i, n = sizeof(erase_steps) / sizeof(erase_steps[0]);
	int rc;

	memset(r, 0, sizeof(*r));
	sq_now(now, sizeof(now));
	if ((s = sq_stmt(q, sql_contact_exists, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_step_row(q, s, "erase", e)) != LG_OK)
		return rc == LG_ENOENT ? err_set(e, LG_ENOENT, "no contact with "
		    "id %lld", (long long)id) : rc;
	sq_done(s);
	/* Freed cells and pages are zeroed, not only unlinked. */
	if ((rc = sq_exec(q, "PRAGMA secure_delete = ON", e)) != LG_OK ||
	    (rc = sq_erase_collect(q, sql_erase_spool, id, r, 1, e)) != LG_OK ||
	    (rc = sq_erase_collect(q, sql_erase_shas, id, r, 0, e)) != LG_OK ||
	    (rc = sq_erase_suppress(q, id, now, e)) != LG_OK)
		return rc;
	r->counts = xreallocarray(NULL, n, sizeof(*r->counts));
	for (i = 0; i < n; i++) {
		if ((s = sq_stmt(q, erase_steps[i].sql, e)) == NULL)
			return e ? e->code : LG_EINTERNAL;
		sqlite3_bind_int64(s, 1, id);
		sq_bind_text(s, 2, now);
		if ((rc = sq_exec_stmt(q, s, erase_steps[i].what, e)) != LG_OK)
			return rc;
		r->counts[i].what = erase_steps[i].what;
		r->counts[i].n = sqlite3_changes(q->db);
		r->ncounts++;
	}
	if ((rc = sq_erase_unused(q, r, e)) != LG_OK)
		return rc;
	return sq_erase_audit(q, id, actor, now, r, e);
}

/* One PRAGMA wal_checkpoint(TRUNCATE): *busy 1 when it could not finish. */
static int
sq_checkpoint(struct sq *q, int *busy, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	rc = sqlite3_prepare_v2(q->db, "PRAGMA wal_checkpoint(TRUNCATE)", -1,
	    &s, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(q, rc, "checkpoint", e);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW && sqlite3_column_int(s, 0))
		*busy = 1;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return sq_fail(q, sqlite3_extended_errcode(q->db), "checkpoint",
		    e);
	return LG_OK;
}

int
sq_scrub(void *impl, int *busy, struct err *e)
{
	struct sq *q = impl;
	int rc;

	*busy = 0;
	if (q->in_tx || q->grp.open)
		return err_set(e, LG_EINTERNAL, "scrub inside a transaction");
	/*
	 * secure_delete zeroes what this erase freed; VACUUM rewrites every
	 * page, so fragments freed earlier without it (an old name left in
	 * a page by an update) go too; the checkpoints move the result into
	 * the database file and cut the WAL, which held the old pages.
	 */
	if ((rc = sq_exec(q, "PRAGMA secure_delete = ON", e)) != LG_OK ||
	    (rc = sq_checkpoint(q, busy, e)) != LG_OK ||
	    (rc = sq_exec(q, "VACUUM", e)) != LG_OK ||
	    (rc = sq_checkpoint(q, busy, e)) != LG_OK)
		return rc;
	return LG_OK;
}

/* Merge: ?1 keep, ?2 other; in this order. */
static const char *const merge_steps[] = {
	"INSERT INTO contact_emails (contact_id, pos, given, norm) "
	"SELECT ?1, pos + (SELECT coalesce(max(pos) + 1, 0) FROM contact_emails "
	"WHERE contact_id=?1), given, norm FROM contact_emails o "
	"WHERE o.contact_id=?2 AND norm NOT IN (SELECT norm FROM contact_emails "
	"WHERE contact_id=?1)",
	"INSERT INTO contact_phones (contact_id, pos, given, norm) "
	"SELECT ?1, pos + (SELECT coalesce(max(pos) + 1, 0) FROM contact_phones "
	"WHERE contact_id=?1), given, norm FROM contact_phones o "
	"WHERE o.contact_id=?2 AND norm NOT IN (SELECT norm FROM contact_phones "
	"WHERE contact_id=?1)",
	/* the leads take their phase_arrivals with them */
	"UPDATE leads SET contact_id=?1 WHERE contact_id=?2",
	/* before the DELETE below, which would cascade to them */
	"UPDATE search_profiles SET contact_id=?1 WHERE contact_id=?2",
	"UPDATE history SET contact_id=?1 WHERE contact_id=?2",
	"UPDATE deals SET contact_id=?1 WHERE contact_id=?2",
	"UPDATE deals SET company_id=?1 WHERE company_id=?2",
	"UPDATE inquiries SET contact_id=?1 WHERE contact_id=?2",
	"UPDATE outgoing SET contact_id=?1 WHERE contact_id=?2",
	"UPDATE archive_mails SET contact_id=?1 WHERE contact_id=?2",
	"UPDATE contacts SET company_id=?1 WHERE company_id=?2 AND id<>?1",
	"UPDATE contacts SET company_id=NULL WHERE id=?1 AND company_id=?2",
	/*
	 * Other's unsubscribe token, when keep has none, so that the links
	 * already sent still work: tokens are unique, so it is set aside
	 * under a prefix first.
	 */
	"UPDATE contacts SET unsub_token='merged:' || unsub_token WHERE id=?2 "
	"AND (SELECT unsub_token FROM contacts WHERE id=?1) IS NULL",
	"UPDATE contacts SET unsub_token=(SELECT substr(unsub_token, 8) FROM "
	"contacts WHERE id=?2) WHERE id=?1 AND unsub_token IS NULL",
	"UPDATE contacts SET (salutation, first_name, last_name, company, "
	"company_id, language, street, postcode, city, custom, opt_out, "
	"invalid_address) = (SELECT "
	"coalesce(k.salutation, o.salutation), "
	"coalesce(k.first_name, o.first_name), "
	"coalesce(k.last_name, o.last_name), coalesce(k.company, o.company), "
	"coalesce(k.company_id, CASE WHEN o.company_id=?1 THEN NULL ELSE "
	"o.company_id END), coalesce(k.language, o.language), "
	"coalesce(k.street, o.street), coalesce(k.postcode, o.postcode), "
	"coalesce(k.city, o.city), json_patch(o.custom, k.custom), "
	"max(k.opt_out, o.opt_out), k.invalid_address "
	"FROM contacts k, contacts o WHERE k.id=?1 AND o.id=?2) WHERE id=?1",
	"DELETE FROM contacts WHERE id=?2",
};

int
sq_contact_merge(void *impl, int64_t keep, int64_t other, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(merge_steps) / sizeof(merge_steps[0]); i++) {
		if ((s = sq_stmt(q, merge_steps[i], e)) == NULL)
			return e ? e->code : LG_EINTERNAL;
		sqlite3_bind_int64(s, 1, keep);
		sqlite3_bind_int64(s, 2, other);
		if ((rc = sq_exec_stmt(q, s, "merge", e)) != LG_OK)
			return rc;
	}
	return LG_OK;
}
