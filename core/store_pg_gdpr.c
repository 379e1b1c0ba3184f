/*
 * The contact's rights in PostgreSQL: export, erase and merge, as
 * store_sqlite_gdpr.c (the same rows, the same order, the same counts).
 * A table added later that names a contact must be added to both files.
 *
 * Translation: json_extract() is ->> on the text cast to jsonb; an API
 * answer's body need not be JSON (SQLite checks json_valid(), which
 * PostgreSQL 15 lacks), so its contact_id is read with a pattern (the
 * answers are flat objects, gateway/http_form.c); a quarantined
 * mail's bytes are searched for an address in escape encoding, where
 * ASCII stays as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/store_pg.h"
#include "util/xmalloc.h"

#define PG_INT2OID 21
#define PG_INT4OID 23
#define PG_INT8OID 20
#define PG_FLOAT8OID 701
#define PG_BYTEAOID 17

/* The rows that name contact $1, as sub-selects. */
#define P_LEADS "(SELECT id FROM leads WHERE contact_id=$1)"
#define P_LEADS_T "(SELECT id::text FROM leads WHERE contact_id=$1)"
#define P_EMAILS "(SELECT norm FROM contact_emails WHERE contact_id=$1)"
#define P_OUTGOING "(SELECT id FROM outgoing WHERE contact_id=$1 OR " \
    "lead_id IN " P_LEADS " OR rcpt IN " P_EMAILS ")"
#define P_QUARANTINE "(SELECT id FROM quarantine WHERE id IN (SELECT " \
    "quarantine_id FROM inquiries WHERE contact_id=$1) OR EXISTS (SELECT 1 " \
    "FROM contact_emails WHERE contact_id=$1 AND " \
    "strpos(lower(encode(raw, 'escape')), norm) > 0))"
#define P_QUARANTINE_T "(SELECT id::text FROM quarantine WHERE id IN " \
    P_QUARANTINE ")"
#define P_EVENTS "(SELECT id FROM webhook_events WHERE " \
    "data::jsonb->>'contact_id' = $1::bigint::text OR " \
    "data::jsonb->>'lead_id' IN " P_LEADS_T " OR " \
    "data::jsonb->>'quarantine_id' IN " P_QUARANTINE_T ")"
#define P_IDEM "substring(body from '\"contact_id\" *: *([0-9]+)') = " \
    "$1::bigint::text"

/* Export: one member of the document per row, list or single row. */
static const struct {
	const char *name;
	int single;		/* an object, not an array */
	const char *sql;
} export_parts[] = {
	{ "contact", 1, "SELECT * FROM contacts WHERE id=$1" },
	{ "emails", 0, "SELECT pos, given, norm FROM contact_emails "
	    "WHERE contact_id=$1 ORDER BY pos" },
	{ "phones", 0, "SELECT pos, given, norm FROM contact_phones "
	    "WHERE contact_id=$1 ORDER BY pos" },
	{ "employees", 0, "SELECT id FROM contacts WHERE company_id=$1 "
	    "ORDER BY id" },
	{ "leads", 0, "SELECT leads.*, sources.name AS source FROM leads "
	    "JOIN sources ON sources.id = leads.source_id "
	    "WHERE contact_id=$1 ORDER BY leads.id" },
	{ "history", 0, "SELECT * FROM history WHERE contact_id=$1 OR "
	    "lead_id IN " P_LEADS " ORDER BY id" },
	{ "deals", 0, "SELECT * FROM deals WHERE contact_id=$1 OR "
	    "lead_id IN " P_LEADS " ORDER BY id" },
	{ "inquiries", 0, "SELECT * FROM inquiries WHERE contact_id=$1 OR "
	    "lead_id IN " P_LEADS " ORDER BY id" },
	{ "outgoing", 0, "SELECT * FROM outgoing WHERE id IN " P_OUTGOING
	    " ORDER BY id" },
	{ "bounces", 0, "SELECT * FROM bounces WHERE outgoing_id IN "
	    P_OUTGOING " OR address IN " P_EMAILS " ORDER BY id" },
	{ "mails", 0, "SELECT * FROM archive_mails WHERE contact_id=$1 OR "
	    "lead_id IN " P_LEADS " ORDER BY id" },
	{ "quarantine", 0, "SELECT id, at, connector, kind, inquiry_key, "
	    "reason, location, state, raw FROM quarantine "
	    "WHERE id IN " P_QUARANTINE " ORDER BY id" },
	{ "suppression", 0, "SELECT * FROM suppression WHERE address IN "
	    P_EMAILS " ORDER BY at COLLATE \"C\"" },
	{ "webhook_events", 0, "SELECT * FROM webhook_events WHERE id IN "
	    P_EVENTS " ORDER BY id" },
	{ "api_answers", 0, "SELECT token_id, client_key, status, body, "
	    "created_at FROM api_idempotency WHERE " P_IDEM
	    " ORDER BY created_at COLLATE \"C\"" },
	{ "erasures", 0, "SELECT id, at, actor, counts FROM erasures "
	    "WHERE contact_id=$1 ORDER BY id" },
};

/* Columns holding JSON text, exported as JSON. */
static const char *const json_columns[] = { "custom", "data", "body",
    "meta", "counts" };

static json_t *
pg_json_value(const PGresult *r, int row, int i)
{
	const char *name = PQfname(r, i), *text = PQgetvalue(r, row, i);
	unsigned char *bytes;
	size_t k, len;
	json_t *v;

	if (PQgetisnull(r, row, i))
		return json_null();
	switch (PQftype(r, i)) {
	case PG_INT2OID:
	case PG_INT4OID:
	case PG_INT8OID:
		return json_integer(strtoll(text, NULL, 10));
	case PG_FLOAT8OID:
		return json_real(strtod(text, NULL));
	case PG_BYTEAOID:
		/* A raw mail: its bytes as text, as SQLite's CAST gives. */
		bytes = PQunescapeBytea((const unsigned char *)text, &len);
		v = bytes ? json_stringn((const char *)bytes, len) : NULL;
		PQfreemem(bytes);
		return v ? v : json_string("(not UTF-8)");
	}
	for (k = 0; k < sizeof(json_columns) / sizeof(json_columns[0]); k++)
		if (strcmp(name, json_columns[k]) == 0 &&
		    (v = json_loads(text, JSON_DECODE_ANY, NULL)) != NULL)
			return v;
	if ((v = json_string(text)) == NULL)
		v = json_string("(not UTF-8)");
	return v;
}

static json_t *
pg_json_row(const PGresult *r, int row)
{
	json_t *o = json_object();
	int i;

	for (i = 0; i < PQnfields(r); i++)
		json_object_set_new(o, PQfname(r, i), pg_json_value(r, row, i));
	return o;
}

int
pg_contact_export(void *impl, int64_t id, char **json, struct err *e)
{
	struct pg_params p = { 0 };
	json_t *doc = json_object(), *part;
	PGresult *r;
	size_t i;
	int k, rc = LG_OK;

	*json = NULL;
	pgp_int(&p, id);
	for (i = 0; i < sizeof(export_parts) / sizeof(export_parts[0]); i++) {
		if ((rc = pg_query(impl, export_parts[i].sql, &p, &r, "export",
		    e)) != LG_OK)
			break;
		if (export_parts[i].single) {
			part = PQntuples(r) > 0 ? pg_json_row(r, 0) : NULL;
		} else {
			part = json_array();
			for (k = 0; k < PQntuples(r); k++)
				json_array_append_new(part, pg_json_row(r, k));
		}
		PQclear(r);
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

/* Erase, in SQLite's order; $2 is the time where a step needs it. */
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
	    "last_reply=NULL, updated_at=$2, state=CASE WHEN state IN "
	    "('queued','deferred','held') THEN 'cancelled' ELSE state END "
	    "WHERE id IN " P_OUTGOING },
	{ "archived mails", "DELETE FROM archive_mails WHERE contact_id=$1 OR "
	    "lead_id IN " P_LEADS },
	{ "quarantine links", "UPDATE inquiries SET quarantine_id=NULL "
	    "WHERE quarantine_id IN " P_QUARANTINE },
	{ "quarantined mails", "DELETE FROM quarantine WHERE id IN "
	    P_QUARANTINE },
	{ "inquiries", "UPDATE inquiries SET sender=NULL, decision=NULL "
	    "WHERE contact_id=$1 "
	    "OR lead_id IN " P_LEADS " OR sender IN " P_EMAILS },
	{ "suppression entries", "DELETE FROM suppression WHERE address IN "
	    P_EMAILS },
	{ "history", "UPDATE history SET remark=NULL WHERE contact_id=$1 OR "
	    "lead_id IN " P_LEADS },
	{ "deals", "UPDATE deals SET title='(erased)', custom='{}' WHERE "
	    "contact_id=$1 OR lead_id IN " P_LEADS },
	{ "leads", "UPDATE leads SET message=NULL, custom='{}', "
	    "portal_ref=NULL, updated_at=$2 WHERE contact_id=$1" },
	{ "e-mail addresses", "DELETE FROM contact_emails WHERE "
	    "contact_id=$1" },
	{ "phone numbers", "DELETE FROM contact_phones WHERE contact_id=$1" },
	{ "contact", "UPDATE contacts SET salutation=NULL, first_name=NULL, "
	    "last_name=NULL, company=NULL, language=NULL, street=NULL, "
	    "postcode=NULL, city=NULL, custom='{}', unsub_token=NULL, "
	    "updated_at=$2 WHERE id=$1" },
};

/* Run sql with $1 = id, and $2 = now when sql names it. */
static int
pg_erase_run(struct pg *q, const char *sql, int64_t id, const char *now,
    PGresult **out, int64_t *n, const char *what, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_int(&p, id);
	if (strstr(sql, "$2") != NULL)
		pgp_text(&p, now);
	if (n != NULL)
		return pg_change(q, sql, &p, n, what, e);
	return pg_query(q, sql, &p, out, what, e);
}

static int
pg_erase_audit(struct pg *q, int64_t id, const char *actor, const char *now,
    const struct erase_result *r, struct err *e)
{
	struct pg_params p = { 0 };
	json_t *counts = json_object();
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
	pgp_text(&p, now);
	pgp_text(&p, actor);
	pgp_int(&p, id);
	pgp_text(&p, text);
	rc = pg_query(q, "INSERT INTO erasures (at, actor, contact_id, counts) "
	    "VALUES ($1,$2,$3,$4)", &p, NULL, "erasure record", e);
	free(text);
	return rc;
}

/*
 * In the caller's transaction. PostgreSQL has no secure_delete: a
 * deleted row's bytes stay in the table's pages until VACUUM reuses
 * them (see pg_scrub()).
 */
int
pg_contact_erase(void *impl, int64_t id, const char *actor,
    struct erase_result *r, struct err *e)
{
	struct pg *q = impl;
	char now[40];
	PGresult *res;
	size_t i, k, n = sizeof(erase_steps) / sizeof(erase_steps[0]);
	int64_t changed;
	int rc, row;

	memset(r, 0, sizeof(*r));
	pg_now(now, sizeof(now));
	if ((rc = pg_erase_run(q, "SELECT 1 FROM contacts WHERE id=$1", id,
	    now, &res, NULL, "erase", e)) != LG_OK)
		return rc;
	row = PQntuples(res);
	PQclear(res);
	if (row == 0)
		return err_set(e, LG_ENOENT, "no contact with id %lld",
		    (long long)id);
	/* The spool files of unsent mail, the archive contents named. */
	if ((rc = pg_erase_run(q, "SELECT id, spool_name FROM outgoing WHERE "
	    "id IN " P_OUTGOING " AND state IN ('queued','deferred','held') "
	    "AND spool_name IS NOT NULL", id, now, &res, NULL, "erase", e)) !=
	    LG_OK)
		return rc;
	for (row = 0; row < PQntuples(res); row++) {
		r->spool = xreallocarray(r->spool, r->nspool + 1,
		    sizeof(*r->spool));
		r->spool[r->nspool].row = pg_int(res, row, 0);
		r->spool[r->nspool++].name = pg_text(res, row, 1);
	}
	PQclear(res);
	if ((rc = pg_erase_run(q, "SELECT DISTINCT sha256 FROM archive_mails "
	    "WHERE contact_id=$1 OR lead_id IN " P_LEADS, id, now, &res, NULL,
	    "erase", e)) != LG_OK)
		return rc;
	for (row = 0; row < PQntuples(res); row++) {
		r->mails = xreallocarray(r->mails, r->nmails + 1,
		    sizeof(*r->mails));
		r->mails[r->nmails++] = pg_text(res, row, 0);
	}
	PQclear(res);
	/* The addresses' hashes on the suppression list. */
	if ((rc = pg_erase_run(q, "INSERT INTO suppression (address, reason, "
	    "at) SELECT " PG_SUPPRESSION_KEY("norm") ", 'erased', $2 FROM "
	    "contact_emails WHERE contact_id=$1 ON CONFLICT (address) DO "
	    "NOTHING", id, now, NULL, &changed, "suppression", e)) != LG_OK)
		return rc;
	r->counts = xreallocarray(NULL, n, sizeof(*r->counts));
	for (i = 0; i < n; i++) {
		if ((rc = pg_erase_run(q, erase_steps[i].sql, id, now, NULL,
		    &changed, erase_steps[i].what, e)) != LG_OK)
			return rc;
		r->counts[i].what = erase_steps[i].what;
		r->counts[i].n = (long)changed;
		r->ncounts++;
	}
	/* Keep in r->mails only the contents no row names any more. */
	for (i = 0, k = 0; i < r->nmails; i++) {
		struct pg_params p = { 0 };

		row = 1;
		pgp_text(&p, r->mails[i]);
		if (rc == LG_OK && (rc = pg_query(q, "SELECT 1 FROM "
		    "archive_mails WHERE sha256=$1 LIMIT 1", &p, &res, "erase",
		    e)) == LG_OK) {
			row = PQntuples(res);
			PQclear(res);
		}
		if (rc == LG_OK && row == 0)
			r->mails[k++] = r->mails[i];
		else
			free(r->mails[i]);
	}
	r->nmails = k;
	if (rc != LG_OK)
		return rc;
	return pg_erase_audit(q, id, actor, now, r, e);
}

/*
 * Nothing to do, never busy: SQLite's scrub truncates its WAL file and
 * VACUUMs so that no erased byte stays in a file of ours. PostgreSQL's
 * files (the tables' pages, the WAL, archives and replicas) are the
 * server's; reclaiming the space of deleted rows is VACUUM's, run by
 * autovacuum or by the DBA, and WAL retention is theirs to set.
 */
int
pg_scrub(void *impl, int *busy, struct err *e)
{
	*busy = 0;
	return LG_OK;
}

/*
 * Merge: K keep, O other; in SQLite's order. Typed where written: a
 * parameter PostgreSQL cannot infer (a select list) is an error.
 */
#define K "$1::bigint"
#define O "$2::bigint"

static const char *const merge_steps[] = {
	"INSERT INTO contact_emails (contact_id, pos, given, norm) "
	"SELECT " K ", pos + (SELECT coalesce(max(pos) + 1, 0) FROM "
	"contact_emails WHERE contact_id=" K "), given, norm FROM "
	"contact_emails o WHERE o.contact_id=" O " AND norm NOT IN (SELECT "
	"norm FROM contact_emails WHERE contact_id=" K ")",
	"INSERT INTO contact_phones (contact_id, pos, given, norm) "
	"SELECT " K ", pos + (SELECT coalesce(max(pos) + 1, 0) FROM "
	"contact_phones WHERE contact_id=" K "), given, norm FROM "
	"contact_phones o WHERE o.contact_id=" O " AND norm NOT IN (SELECT "
	"norm FROM contact_phones WHERE contact_id=" K ")",
	"UPDATE leads SET contact_id=" K " WHERE contact_id=" O,
	"UPDATE history SET contact_id=" K " WHERE contact_id=" O,
	"UPDATE deals SET contact_id=" K " WHERE contact_id=" O,
	"UPDATE deals SET company_id=" K " WHERE company_id=" O,
	"UPDATE inquiries SET contact_id=" K " WHERE contact_id=" O,
	"UPDATE outgoing SET contact_id=" K " WHERE contact_id=" O,
	"UPDATE archive_mails SET contact_id=" K " WHERE contact_id=" O,
	"UPDATE contacts SET company_id=" K " WHERE company_id=" O
	" AND id<>" K,
	"UPDATE contacts SET company_id=NULL WHERE id=" K " AND company_id="
	O,
	/* Other's unsubscribe token when keep has none (see SQLite's). */
	"UPDATE contacts SET unsub_token='merged:' || unsub_token WHERE id="
	O " AND (SELECT unsub_token FROM contacts WHERE id=" K ") IS NULL",
	"UPDATE contacts SET unsub_token=(SELECT substr(unsub_token, 8) FROM "
	"contacts WHERE id=" O ") WHERE id=" K " AND unsub_token IS NULL",
	/*
	 * Custom fields: jsonb || merges the top level, keep's winning, as
	 * json_patch(other, keep) does for the flat objects leadgate keeps.
	 */
	"UPDATE contacts SET (salutation, first_name, last_name, company, "
	"company_id, language, street, postcode, city, custom, opt_out, "
	"invalid_address) = (SELECT "
	"coalesce(k.salutation, o.salutation), "
	"coalesce(k.first_name, o.first_name), "
	"coalesce(k.last_name, o.last_name), coalesce(k.company, o.company), "
	"coalesce(k.company_id, CASE WHEN o.company_id=" K " THEN NULL ELSE "
	"o.company_id END), coalesce(k.language, o.language), "
	"coalesce(k.street, o.street), coalesce(k.postcode, o.postcode), "
	"coalesce(k.city, o.city), (o.custom::jsonb || k.custom::jsonb)::text, "
	"greatest(k.opt_out, o.opt_out), k.invalid_address "
	"FROM contacts k, contacts o WHERE k.id=" K " AND o.id=" O ") "
	"WHERE id=" K,
	/* K named so that both parameters have a type. */
	"DELETE FROM contacts WHERE id=" O " AND id<>" K,
};

#undef K
#undef O

int
pg_contact_merge(void *impl, int64_t keep, int64_t other, struct err *e)
{
	struct pg_params p;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(merge_steps) / sizeof(merge_steps[0]); i++) {
		memset(&p, 0, sizeof(p));
		pgp_int(&p, keep);
		pgp_int(&p, other);
		if ((rc = pg_query(impl, merge_steps[i], &p, NULL, "merge",
		    e)) != LG_OK)
			return rc;
	}
	return LG_OK;
}
