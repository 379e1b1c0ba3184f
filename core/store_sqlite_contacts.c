/* Contacts and their addresses in SQLite. */
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "core/store_sqlite.h"
#include "util/xmalloc.h"

#define CONTACT_COLS \
    "type, kind, salutation, first_name, last_name, company, company_id, " \
    "language, street, postcode, city, custom, prospect_state, " \
    "client_state, opt_out, invalid_address"

static const char sql_contact_insert[] =
    "INSERT INTO contacts (" CONTACT_COLS ", created_at, updated_at) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
static const char sql_contact_update[] =
    "UPDATE contacts SET type=?, kind=?, salutation=?, first_name=?, "
    "last_name=?, company=?, company_id=?, language=?, street=?, "
    "postcode=?, city=?, custom=?, prospect_state=?, client_state=?, "
    "opt_out=?, invalid_address=?, updated_at=? WHERE id=?";
static const char sql_contact_states[] =
    "UPDATE contacts SET prospect_state=?, client_state=?, updated_at=? "
    "WHERE id=?";
static const char sql_contact_get[] =
    "SELECT " CONTACT_COLS ", created_at, updated_at FROM contacts WHERE id=?";
static const char sql_emails_del[] =
    "DELETE FROM contact_emails WHERE contact_id=?";
static const char sql_phones_del[] =
    "DELETE FROM contact_phones WHERE contact_id=?";
static const char sql_email_ins[] =
    "INSERT INTO contact_emails (contact_id, pos, given, norm) "
    "VALUES (?,?,?,?)";
static const char sql_phone_ins[] =
    "INSERT INTO contact_phones (contact_id, pos, given, norm) "
    "VALUES (?,?,?,?)";
static const char sql_emails_get[] =
    "SELECT given, norm FROM contact_emails WHERE contact_id=? ORDER BY pos";
static const char sql_phones_get[] =
    "SELECT given, norm FROM contact_phones WHERE contact_id=? ORDER BY pos";
static const char sql_find_email[] =
    "SELECT min(contact_id) FROM contact_emails WHERE norm=?";
static const char sql_find_phone[] =
    "SELECT min(contact_id) FROM contact_phones WHERE norm=?";
static const char sql_find_name_postcode[] =
    "SELECT id FROM contacts WHERE lower(first_name)=lower(?) AND "
    "lower(last_name)=lower(?) AND postcode=? ORDER BY id LIMIT 1";
static const char sql_find_company[] =
    "SELECT min(id) FROM contacts WHERE type='company' AND "
    "lower(company)=lower(?)";
static const char sql_employees[] =
    "SELECT id FROM contacts WHERE company_id=? ORDER BY id";

/* Bind the CONTACT_COLS columns, starting at parameter 1. */
static void
sq_contact_bind(sqlite3_stmt *s, const struct contact *c)
{
	sq_bind_text(s, 1, contact_type_name(c->type));
	sq_bind_text(s, 2, contact_kind_name(c->kind));
	sq_bind_text(s, 3, c->salutation);
	sq_bind_text(s, 4, c->first_name);
	sq_bind_text(s, 5, c->last_name);
	sq_bind_text(s, 6, c->company);
	sq_bind_id(s, 7, c->company_id);
	sq_bind_text(s, 8, c->language);
	sq_bind_text(s, 9, c->street);
	sq_bind_text(s, 10, c->postcode);
	sq_bind_text(s, 11, c->city);
	sq_bind_text(s, 12, c->custom ? c->custom : "{}");
	sq_bind_text(s, 13, prospect_state_name(c->prospect));
	sq_bind_text(s, 14, client_state_name(c->client));
	sqlite3_bind_int(s, 15, c->opt_out);
	sqlite3_bind_int(s, 16, c->invalid_address);
}

static int
sq_addrs_put(struct sq *q, const char *del_sql, const char *ins_sql,
    int64_t id, const struct contact_addr *v, size_t n, struct err *e)
{
	sqlite3_stmt *s;
	size_t i;
	int rc;

	if (del_sql != NULL) {
		if ((s = sq_stmt(q, del_sql, e)) == NULL)
			return e ? e->code : LG_EINTERNAL;
		sqlite3_bind_int64(s, 1, id);
		if ((rc = sq_exec_stmt(q, s, "contact addresses", e)) != LG_OK)
			return rc;
	}
	if ((s = sq_stmt(q, ins_sql, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		sq_bind_text(s, 3, v[i].given);
		sq_bind_text(s, 4, v[i].norm);
		if ((rc = sq_exec_stmt(q, s, "contact address", e)) != LG_OK)
			return rc;
	}
	return LG_OK;
}

/*
 * The contact's addresses replace those stored. fresh: c was just
 * inserted, and its new id has none (ON DELETE CASCADE removed those of
 * any earlier contact with that id), so nothing is deleted first.
 */
static int
sq_contact_addrs_put(struct sq *q, const struct contact *c, int fresh,
    struct err *e)
{
	int rc;

	rc = sq_addrs_put(q, fresh ? NULL : sql_emails_del, sql_email_ins,
	    c->id, c->emails, c->nemails, e);
	if (rc != LG_OK)
		return rc;
	return sq_addrs_put(q, fresh ? NULL : sql_phones_del, sql_phone_ins,
	    c->id, c->phones, c->nphones, e);
}

int
sq_contact_insert(void *impl, struct contact *c, struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_contact_insert, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_contact_bind(s, c);
	sq_bind_text(s, 17, now);
	sq_bind_text(s, 18, now);
	if ((rc = sq_exec_stmt(q, s, "insert contact", e)) != LG_OK)
		return rc;
	c->id = sqlite3_last_insert_rowid(q->db);
	xstrset(&c->created_at, now);
	xstrset(&c->updated_at, now);
	return sq_contact_addrs_put(q, c, 1, e);
}

int
sq_contact_update(void *impl, struct contact *c, struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_contact_update, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_contact_bind(s, c);
	sq_bind_text(s, 17, now);
	sqlite3_bind_int64(s, 18, c->id);
	if ((rc = sq_exec_stmt(q, s, "update contact", e)) != LG_OK)
		return rc;
	if (sqlite3_changes(q->db) == 0)
		return err_set(e, LG_ENOENT, "no contact with id %lld",
		    (long long)c->id);
	xstrset(&c->updated_at, now);
	return sq_contact_addrs_put(q, c, 0, e);
}

/*
 * Only the columns that change: SQLite then leaves the indexes on other
 * columns (the name and postcode expression index, the company) and the
 * address tables alone, where contact_update rewrites them all.
 */
int
sq_contact_states_set(void *impl, struct contact *c, struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_contact_states, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, prospect_state_name(c->prospect));
	sq_bind_text(s, 2, client_state_name(c->client));
	sq_bind_text(s, 3, now);
	sqlite3_bind_int64(s, 4, c->id);
	if ((rc = sq_exec_stmt(q, s, "contact states", e)) != LG_OK)
		return rc;
	if (sqlite3_changes(q->db) == 0)
		return err_set(e, LG_ENOENT, "no contact with id %lld",
		    (long long)c->id);
	xstrset(&c->updated_at, now);
	return LG_OK;
}

static int
sq_addrs_get(struct sq *q, const char *sql, int64_t id,
    struct contact_addr **v, size_t *n, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		contact_push_addr(v, n, (const char *)sqlite3_column_text(s, 0),
		    (const char *)sqlite3_column_text(s, 1));
	sq_done(s);
	if (rc != SQLITE_DONE)
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "contact addresses", e);
	return LG_OK;
}

static void
sq_contact_row(sqlite3_stmt *s, struct contact *c)
{
	contact_type_parse((const char *)sqlite3_column_text(s, 0), &c->type);
	contact_kind_parse((const char *)sqlite3_column_text(s, 1), &c->kind);
	c->salutation = sq_col_text(s, 2);
	c->first_name = sq_col_text(s, 3);
	c->last_name = sq_col_text(s, 4);
	c->company = sq_col_text(s, 5);
	c->company_id = sqlite3_column_int64(s, 6);
	c->language = sq_col_text(s, 7);
	c->street = sq_col_text(s, 8);
	c->postcode = sq_col_text(s, 9);
	c->city = sq_col_text(s, 10);
	free(c->custom);
	c->custom = sq_col_text(s, 11);
	prospect_state_parse((const char *)sqlite3_column_text(s, 12),
	    &c->prospect);
	client_state_parse((const char *)sqlite3_column_text(s, 13), &c->client);
	c->opt_out = sqlite3_column_int(s, 14);
	c->invalid_address = sqlite3_column_int(s, 15);
	c->created_at = sq_col_text(s, 16);
	c->updated_at = sq_col_text(s, 17);
}

int
sq_contact_get(void *impl, int64_t id, struct contact **out, struct err *e)
{
	struct sq *q = impl;
	struct contact *c;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_contact_get, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sq_done(s);
		if (rc == SQLITE_DONE)
			return err_set(e, LG_ENOENT, "no contact with id %lld",
			    (long long)id);
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "get contact", e);
	}
	c = contact_new();
	c->id = id;
	sq_contact_row(s, c);
	sq_done(s);
	if ((rc = sq_addrs_get(q, sql_emails_get, id, &c->emails, &c->nemails,
	    e)) != LG_OK || (rc = sq_addrs_get(q, sql_phones_get, id,
	    &c->phones, &c->nphones, e)) != LG_OK) {
		contact_free(c);
		return rc;
	}
	*out = c;
	return LG_OK;
}

static int
sq_find_name_postcode(struct sq *q, sqlite3_stmt *s, const char *key)
{
	char *copy = xstrdup(key), *first = copy, *last, *pc;

	if ((last = strchr(first, '\t')) == NULL ||
	    (pc = strchr(last + 1, '\t')) == NULL) {
		free(copy);
		return -1;
	}
	*last++ = '\0';
	*pc++ = '\0';
	sq_bind_text(s, 1, first);
	sq_bind_text(s, 2, last);
	sq_bind_text(s, 3, pc);
	free(copy);
	return 0;
}

int
sq_contact_find(void *impl, enum store_match by, const char *key,
    int64_t *id, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	const char *sql;
	int rc;

	sql = by == MATCH_EMAIL ? sql_find_email : by == MATCH_PHONE ?
	    sql_find_phone : by == MATCH_COMPANY ? sql_find_company :
	    sql_find_name_postcode;
	if ((s = sq_stmt(q, sql, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	if (by == MATCH_NAME_POSTCODE) {
		if (sq_find_name_postcode(q, s, key) != 0)
			return err_set(e, LG_EINTERNAL, "bad name key");
	} else {
		sq_bind_text(s, 1, key);
	}
	/* min() rather than ORDER BY: no sort, one row, NULL for none. */
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_NULL)
		rc = SQLITE_DONE;
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sq_done(s);
	if (rc == SQLITE_ROW)
		return LG_OK;
	if (rc == SQLITE_DONE)
		return err_set(e, LG_ENOENT, "no contact matches");
	return sq_fail(q, sqlite3_extended_errcode(q->db), "find contact", e);
}

int
sq_contact_employees(void *impl, int64_t company_id, struct idlist *out,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_employees, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, company_id);
	return sq_ids(q, s, out, "company employees", e);
}

/* Filtered queries are built per call: their SQL text is not static. */
static int
sq_query_ids(struct sq *q, const char *head, const struct filter *f,
    const char *tail, struct idlist *out, struct err *e)
{
	struct sq_params p = { NULL, 0 };
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s = NULL;
	size_t i;
	int rc;

	buf_adds(&sql, head);
	if (f != NULL && f->root != NULL) {
		buf_adds(&sql, " WHERE ");
		if ((rc = sq_filter_sql(f, &sql, &p, e)) != LG_OK)
			goto out;
	}
	buf_adds(&sql, tail);
	rc = sqlite3_prepare_v2(q->db, buf_str(&sql), -1, &s, NULL);
	if (rc != SQLITE_OK) {
		rc = sq_fail(q, sqlite3_extended_errcode(q->db), "query", e);
		goto out;
	}
	for (i = 0; i < p.n; i++)
		sq_bind_text(s, (int)i + 1, p.v[i]);
	rc = sq_ids(q, s, out, "query", e);
out:
	sqlite3_finalize(s);
	sq_params_free(&p);
	buf_free(&sql);
	return rc;
}

/*
 * One page: the ids of head's rows matching f with idcol > after, by
 * idcol, at most limit. after and limit are bound like the filter's values.
 */
static int
sq_query_page(struct sq *q, const char *head, const char *idcol,
    const struct filter *f, int64_t after, size_t limit, struct idlist *out,
    struct err *e)
{
	struct sq_params p = { NULL, 0 };
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s = NULL;
	size_t i;
	int rc;

	buf_printf(&sql, "%s WHERE %s > ?", head, idcol);
	if (f != NULL && f->root != NULL) {
		buf_adds(&sql, " AND (");
		if ((rc = sq_filter_sql(f, &sql, &p, e)) != LG_OK)
			goto out;
		buf_adds(&sql, ")");
	}
	buf_printf(&sql, " ORDER BY %s LIMIT ?", idcol);
	rc = sqlite3_prepare_v2(q->db, buf_str(&sql), -1, &s, NULL);
	if (rc != SQLITE_OK) {
		rc = sq_fail(q, sqlite3_extended_errcode(q->db), "query", e);
		goto out;
	}
	sqlite3_bind_int64(s, 1, after);
	for (i = 0; i < p.n; i++)
		sq_bind_text(s, (int)i + 2, p.v[i]);
	sqlite3_bind_int64(s, (int)p.n + 2, (sqlite3_int64)limit);
	rc = sq_ids(q, s, out, "query", e);
out:
	sqlite3_finalize(s);
	sq_params_free(&p);
	buf_free(&sql);
	return rc;
}

int
sq_leads_page(void *impl, const struct filter *f, int64_t after,
    size_t limit, struct idlist *out, struct err *e)
{
	return sq_query_page(impl, "SELECT l.id FROM leads l "
	    "JOIN contacts c ON c.id = l.contact_id "
	    "JOIN sources s ON s.id = l.source_id", "l.id", f, after, limit,
	    out, e);
}

int
sq_contacts_page(void *impl, const struct filter *f, int64_t after,
    size_t limit, struct idlist *out, struct err *e)
{
	return sq_query_page(impl, "SELECT DISTINCT c.id FROM contacts c "
	    "LEFT JOIN leads l ON l.contact_id = c.id "
	    "LEFT JOIN sources s ON s.id = l.source_id", "c.id", f, after,
	    limit, out, e);
}

int
sq_contacts_query(void *impl, const struct filter *f, struct idlist *out,
    struct err *e)
{
	return sq_query_ids(impl, "SELECT DISTINCT c.id FROM contacts c "
	    "LEFT JOIN leads l ON l.contact_id = c.id "
	    "LEFT JOIN sources s ON s.id = l.source_id", f, " ORDER BY c.id",
	    out, e);
}

int
sq_leads_query(void *impl, const struct filter *f, struct idlist *out,
    struct err *e)
{
	return sq_query_ids(impl, "SELECT l.id FROM leads l "
	    "JOIN contacts c ON c.id = l.contact_id "
	    "JOIN sources s ON s.id = l.source_id", f, " ORDER BY l.id", out, e);
}
