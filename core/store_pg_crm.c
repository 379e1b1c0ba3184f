/*
 * Contacts, leads, history, deals, sources and reports in PostgreSQL:
 * the same rows and answers as store_sqlite_contacts.c and
 * store_sqlite_leads.c. Source names compare without case, as SQLite's
 * COLLATE NOCASE does there (lower(name) is the unique index).
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/clock.h"
#include "core/store_pg.h"
#include "util/xmalloc.h"

#define CONTACT_COLS \
    "type, kind, salutation, first_name, last_name, company, company_id, " \
    "language, street, postcode, city, custom, prospect_state, " \
    "client_state, opt_out, invalid_address"

static const char sql_contact_insert[] =
    "INSERT INTO contacts (" CONTACT_COLS ", created_at, updated_at) "
    "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18) "
    "RETURNING id";
static const char sql_contact_update[] =
    "UPDATE contacts SET type=$1, kind=$2, salutation=$3, first_name=$4, "
    "last_name=$5, company=$6, company_id=$7, language=$8, street=$9, "
    "postcode=$10, city=$11, custom=$12, prospect_state=$13, "
    "client_state=$14, opt_out=$15, invalid_address=$16, updated_at=$17 "
    "WHERE id=$18";

static void
pg_contact_params(struct pg_params *p, const struct contact *c)
{
	pgp_text(p, contact_type_name(c->type));
	pgp_text(p, contact_kind_name(c->kind));
	pgp_text(p, c->salutation);
	pgp_text(p, c->first_name);
	pgp_text(p, c->last_name);
	pgp_text(p, c->company);
	pgp_id(p, c->company_id);
	pgp_text(p, c->language);
	pgp_text(p, c->street);
	pgp_text(p, c->postcode);
	pgp_text(p, c->city);
	pgp_text(p, c->custom ? c->custom : "{}");
	pgp_text(p, prospect_state_name(c->prospect));
	pgp_text(p, client_state_name(c->client));
	pgp_int(p, c->opt_out);
	pgp_int(p, c->invalid_address);
}

static int
pg_addrs_put(struct pg *q, const char *table, int64_t id,
    const struct contact_addr *v, size_t n, struct err *e)
{
	struct pg_params p = { 0 };
	char del[96], ins[128];
	size_t i;
	int rc;

	/* table is one of two literals below, never input. */
	snprintf(del, sizeof(del), "DELETE FROM %s WHERE contact_id=$1", table);
	snprintf(ins, sizeof(ins), "INSERT INTO %s (contact_id, pos, given, "
	    "norm) VALUES ($1,$2,$3,$4)", table);
	pgp_int(&p, id);
	if ((rc = pg_query(q, del, &p, NULL, "contact addresses", e)) != LG_OK)
		return rc;
	for (i = 0; i < n; i++) {
		p.n = 0;
		pgp_int(&p, id);
		pgp_int(&p, (int64_t)i);
		pgp_text(&p, v[i].given);
		pgp_text(&p, v[i].norm);
		if ((rc = pg_query(q, ins, &p, NULL, "contact address", e)) !=
		    LG_OK)
			return rc;
	}
	return LG_OK;
}

static int
pg_contact_addrs_put(struct pg *q, const struct contact *c, struct err *e)
{
	int rc;

	if ((rc = pg_addrs_put(q, "contact_emails", c->id, c->emails,
	    c->nemails, e)) != LG_OK)
		return rc;
	return pg_addrs_put(q, "contact_phones", c->id, c->phones, c->nphones,
	    e);
}

int
pg_contact_insert(void *impl, struct contact *c, struct err *e)
{
	struct pg *q = impl;
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	PGresult *r;
	int rc;

	pg_now(now, sizeof(now));
	pg_contact_params(&p, c);
	pgp_text(&p, now);
	pgp_text(&p, now);
	if ((rc = pg_query(q, sql_contact_insert, &p, &r, "insert contact",
	    e)) != LG_OK)
		return rc;
	c->id = pg_int(r, 0, 0);
	PQclear(r);
	xstrset(&c->created_at, now);
	xstrset(&c->updated_at, now);
	return pg_contact_addrs_put(q, c, e);
}

int
pg_contact_update(void *impl, struct contact *c, struct err *e)
{
	struct pg *q = impl;
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	int64_t n;
	int rc;

	pg_now(now, sizeof(now));
	pg_contact_params(&p, c);
	pgp_text(&p, now);
	pgp_int(&p, c->id);
	if ((rc = pg_change(q, sql_contact_update, &p, &n, "update contact",
	    e)) != LG_OK)
		return rc;
	if (n == 0)
		return err_set(e, LG_ENOENT, "no contact with id %lld",
		    (long long)c->id);
	xstrset(&c->updated_at, now);
	return pg_contact_addrs_put(q, c, e);
}

int
pg_contact_states_set(void *impl, struct contact *c, struct err *e)
{
	struct pg *q = impl;
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	int64_t n;
	int rc;

	pg_now(now, sizeof(now));
	pgp_text(&p, prospect_state_name(c->prospect));
	pgp_text(&p, client_state_name(c->client));
	pgp_text(&p, now);
	pgp_int(&p, c->id);
	if ((rc = pg_change(q, "UPDATE contacts SET prospect_state=$1, "
	    "client_state=$2, updated_at=$3 WHERE id=$4", &p, &n,
	    "contact states", e)) != LG_OK)
		return rc;
	if (n == 0)
		return err_set(e, LG_ENOENT, "no contact with id %lld",
		    (long long)c->id);
	xstrset(&c->updated_at, now);
	return LG_OK;
}

static int
pg_addrs_get(struct pg *q, const char *sql, int64_t id,
    struct contact_addr **v, size_t *n, struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int i, rc;

	pgp_int(&p, id);
	if ((rc = pg_query(q, sql, &p, &r, "contact addresses", e)) != LG_OK)
		return rc;
	for (i = 0; i < PQntuples(r); i++)
		contact_push_addr(v, n, PQgetvalue(r, i, 0),
		    PQgetvalue(r, i, 1));
	PQclear(r);
	return LG_OK;
}

int
pg_contact_get(void *impl, int64_t id, struct contact **out, struct err *e)
{
	struct pg *q = impl;
	struct pg_params p = { 0 };
	struct contact *c;
	PGresult *r;
	int rc;

	pgp_int(&p, id);
	if ((rc = pg_query(q, "SELECT " CONTACT_COLS ", created_at, "
	    "updated_at FROM contacts WHERE id=$1", &p, &r, "get contact",
	    e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "no contact with id %lld",
		    (long long)id);
	}
	c = contact_new();
	c->id = id;
	contact_type_parse(PQgetvalue(r, 0, 0), &c->type);
	contact_kind_parse(PQgetvalue(r, 0, 1), &c->kind);
	c->salutation = pg_text(r, 0, 2);
	c->first_name = pg_text(r, 0, 3);
	c->last_name = pg_text(r, 0, 4);
	c->company = pg_text(r, 0, 5);
	c->company_id = pg_int(r, 0, 6);
	c->language = pg_text(r, 0, 7);
	c->street = pg_text(r, 0, 8);
	c->postcode = pg_text(r, 0, 9);
	c->city = pg_text(r, 0, 10);
	free(c->custom);
	c->custom = pg_text(r, 0, 11);
	prospect_state_parse(PQgetvalue(r, 0, 12), &c->prospect);
	client_state_parse(PQgetvalue(r, 0, 13), &c->client);
	c->opt_out = (int)pg_int(r, 0, 14);
	c->invalid_address = (int)pg_int(r, 0, 15);
	c->created_at = pg_text(r, 0, 16);
	c->updated_at = pg_text(r, 0, 17);
	PQclear(r);
	if ((rc = pg_addrs_get(q, "SELECT given, norm FROM contact_emails "
	    "WHERE contact_id=$1 ORDER BY pos", id, &c->emails, &c->nemails,
	    e)) != LG_OK || (rc = pg_addrs_get(q, "SELECT given, norm FROM "
	    "contact_phones WHERE contact_id=$1 ORDER BY pos", id, &c->phones,
	    &c->nphones, e)) != LG_OK) {
		contact_free(c);
		return rc;
	}
	*out = c;
	return LG_OK;
}

int
pg_contact_find(void *impl, enum store_match by, const char *key,
    int64_t *id, struct err *e)
{
	struct pg *q = impl;
	struct pg_params p = { 0 };
	char *copy = NULL, *last, *pc;
	const char *sql;
	PGresult *r;
	int rc;

	if (by == MATCH_NAME_POSTCODE) {
		copy = xstrdup(key);
		if ((last = strchr(copy, '\t')) == NULL ||
		    (pc = strchr(last + 1, '\t')) == NULL) {
			free(copy);
			return err_set(e, LG_EINTERNAL, "bad name key");
		}
		*last++ = '\0';
		*pc++ = '\0';
		pgp_text(&p, copy);
		pgp_text(&p, last);
		pgp_text(&p, pc);
		sql = "SELECT id FROM contacts WHERE lower(first_name)="
		    "lower($1) AND lower(last_name)=lower($2) AND postcode=$3 "
		    "ORDER BY id LIMIT 1";
	} else {
		pgp_text(&p, key);
		sql = by == MATCH_EMAIL ? "SELECT min(contact_id) FROM "
		    "contact_emails WHERE norm=$1" : "SELECT min(contact_id) "
		    "FROM contact_phones WHERE norm=$1";
	}
	rc = pg_query(q, sql, &p, &r, "find contact", e);
	free(copy);
	if (rc != LG_OK)
		return rc;
	if (PQntuples(r) == 0 || pg_isnull(r, 0, 0)) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "no contact matches");
	}
	*id = pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

int
pg_contact_employees(void *impl, int64_t company_id, struct idlist *out,
    struct err *e)
{
	struct pg_params p = { 0 };

	pgp_int(&p, company_id);
	return pg_ids(impl, "SELECT id FROM contacts WHERE company_id=$1 "
	    "ORDER BY id", &p, out, "company employees", e);
}

/*
 * head [WHERE idcol > after AND] (filter) ORDER BY idcol [LIMIT limit]:
 * after < 0 is no page (the whole list).
 */
static int
pg_query_ids(struct pg *q, const char *head, const char *idcol,
    const struct filter *f, int64_t after, size_t limit, struct idlist *out,
    struct err *e)
{
	struct pg_fparams fp = { NULL, 0 };
	struct pg_params p = { 0 };
	struct buf sql = BUF_INIT;
	size_t i;
	int rc;

	buf_printf(&sql, "%s WHERE ", head);
	if (after >= 0) {
		pgp_int(&p, after);
		buf_printf(&sql, "%s > $1 AND ", idcol);
	}
	buf_adds(&sql, "(");
	if ((rc = pg_filter_sql(f, p.n + 1, &sql, &fp, e)) != LG_OK)
		goto out;
	buf_printf(&sql, ") ORDER BY %s", idcol);
	if (fp.n + 2 > PG_MAXPARAMS) {
		rc = err_set(e, LG_EPERM, "filter too long (%zu values)", fp.n);
		goto out;
	}
	for (i = 0; i < fp.n; i++)
		pgp_text(&p, fp.v[i]);
	if (after >= 0) {
		buf_printf(&sql, " LIMIT $%d", p.n + 1);
		pgp_int(&p, (int64_t)limit);
	}
	rc = pg_ids(q, buf_str(&sql), &p, out, "query", e);
out:
	pg_fparams_free(&fp);
	buf_free(&sql);
	return rc;
}

#define LEADS_HEAD "SELECT l.id FROM leads l JOIN contacts c ON c.id = " \
    "l.contact_id JOIN sources s ON s.id = l.source_id"
#define CONTACTS_HEAD "SELECT DISTINCT c.id FROM contacts c LEFT JOIN " \
    "leads l ON l.contact_id = c.id LEFT JOIN sources s ON s.id = l.source_id"

int
pg_leads_page(void *impl, const struct filter *f, int64_t after,
    size_t limit, struct idlist *out, struct err *e)
{
	return pg_query_ids(impl, LEADS_HEAD, "l.id", f, after, limit, out, e);
}

int
pg_contacts_page(void *impl, const struct filter *f, int64_t after,
    size_t limit, struct idlist *out, struct err *e)
{
	return pg_query_ids(impl, CONTACTS_HEAD, "c.id", f, after, limit, out,
	    e);
}

int
pg_contacts_query(void *impl, const struct filter *f, struct idlist *out,
    struct err *e)
{
	return pg_query_ids(impl, CONTACTS_HEAD, "c.id", f, -1, 0, out, e);
}

int
pg_leads_query(void *impl, const struct filter *f, struct idlist *out,
    struct err *e)
{
	return pg_query_ids(impl, LEADS_HEAD, "l.id", f, -1, 0, out, e);
}

/* Leads */

static int
pg_source_id(struct pg *q, const char *name, int64_t *id, struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pgp_text(&p, name);
	if ((rc = pg_query(q, "SELECT id FROM sources WHERE lower(name)="
	    "lower($1)", &p, &r, "source", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "unknown source '%s'",
		    name ? name : "");
	}
	*id = pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

static void
pg_lead_params(struct pg_params *p, const struct lead *l, int64_t source_id)
{
	pgp_int(p, l->contact_id);
	pgp_text(p, l->pipeline);
	pgp_int(p, l->phase_no);
	pgp_text(p, lead_status_name(l->status));
	pgp_int(p, source_id);
	pgp_text(p, l->object_ref);
	pgp_text(p, l->portal_object_ref);
	pgp_text(p, l->portal);
	pgp_text(p, l->portal_ref);
	pgp_text(p, l->connector);
	pgp_text(p, l->message);
	pgp_text(p, l->custom ? l->custom : "{}");
}

int
pg_lead_insert(void *impl, struct lead *l, struct err *e)
{
	struct pg *q = impl;
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	int64_t source_id;
	PGresult *r;
	int rc;

	if ((rc = pg_source_id(q, l->source, &source_id, e)) != LG_OK)
		return rc;
	pg_now(now, sizeof(now));
	pg_lead_params(&p, l, source_id);
	pgp_text(&p, now);
	pgp_text(&p, now);
	pgp_text(&p, l->closed_at);
	if ((rc = pg_query(q, "INSERT INTO leads (contact_id, pipeline, "
	    "phase_no, status, source_id, object_ref, portal_object_ref, "
	    "portal, portal_ref, connector, message, custom, created_at, "
	    "updated_at, closed_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,"
	    "$11,$12,$13,$14,$15) RETURNING id", &p, &r, "insert lead", e)) !=
	    LG_OK)
		return rc;
	l->id = pg_int(r, 0, 0);
	PQclear(r);
	xstrset(&l->created_at, now);
	xstrset(&l->updated_at, now);
	return LG_OK;
}

int
pg_lead_update(void *impl, struct lead *l, struct err *e)
{
	struct pg *q = impl;
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	int64_t source_id, n;
	int rc;

	if ((rc = pg_source_id(q, l->source, &source_id, e)) != LG_OK)
		return rc;
	pg_now(now, sizeof(now));
	pg_lead_params(&p, l, source_id);
	pgp_text(&p, now);
	pgp_text(&p, l->closed_at);
	pgp_int(&p, l->id);
	if ((rc = pg_change(q, "UPDATE leads SET contact_id=$1, pipeline=$2, "
	    "phase_no=$3, status=$4, source_id=$5, object_ref=$6, "
	    "portal_object_ref=$7, portal=$8, portal_ref=$9, connector=$10, "
	    "message=$11, custom=$12, updated_at=$13, closed_at=$14 WHERE "
	    "id=$15", &p, &n, "update lead", e)) != LG_OK)
		return rc;
	if (n == 0)
		return err_set(e, LG_ENOENT, "no lead with id %lld",
		    (long long)l->id);
	xstrset(&l->updated_at, now);
	return LG_OK;
}

int
pg_lead_move(void *impl, struct lead *l, struct err *e)
{
	struct pg *q = impl;
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	int64_t n;
	int rc;

	pg_now(now, sizeof(now));
	pgp_int(&p, l->phase_no);
	pgp_text(&p, lead_status_name(l->status));
	pgp_text(&p, now);
	pgp_text(&p, l->closed_at);
	pgp_int(&p, l->id);
	if ((rc = pg_change(q, "UPDATE leads SET phase_no=$1, status=$2, "
	    "updated_at=$3, closed_at=$4 WHERE id=$5", &p, &n, "move lead",
	    e)) != LG_OK)
		return rc;
	if (n == 0)
		return err_set(e, LG_ENOENT, "no lead with id %lld",
		    (long long)l->id);
	xstrset(&l->updated_at, now);
	return LG_OK;
}

int
pg_lead_get(void *impl, int64_t id, struct lead **out, struct err *e)
{
	struct pg *q = impl;
	struct pg_params p = { 0 };
	struct lead *l;
	PGresult *r;
	int rc;

	pgp_int(&p, id);
	if ((rc = pg_query(q, "SELECT l.contact_id, l.pipeline, l.phase_no, "
	    "l.status, s.name, l.object_ref, l.portal_object_ref, l.portal, "
	    "l.portal_ref, l.connector, l.message, l.custom, l.created_at, "
	    "l.updated_at, l.closed_at FROM leads l JOIN sources s ON s.id = "
	    "l.source_id WHERE l.id=$1", &p, &r, "get lead", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "no lead with id %lld",
		    (long long)id);
	}
	l = lead_new();
	l->id = id;
	l->contact_id = pg_int(r, 0, 0);
	l->pipeline = pg_text(r, 0, 1);
	l->phase_no = (int)pg_int(r, 0, 2);
	lead_status_parse(PQgetvalue(r, 0, 3), &l->status);
	l->source = pg_text(r, 0, 4);
	l->object_ref = pg_text(r, 0, 5);
	l->portal_object_ref = pg_text(r, 0, 6);
	l->portal = pg_text(r, 0, 7);
	l->portal_ref = pg_text(r, 0, 8);
	l->connector = pg_text(r, 0, 9);
	l->message = pg_text(r, 0, 10);
	free(l->custom);
	l->custom = pg_text(r, 0, 11);
	l->created_at = pg_text(r, 0, 12);
	l->updated_at = pg_text(r, 0, 13);
	l->closed_at = pg_text(r, 0, 14);
	PQclear(r);
	*out = l;
	return LG_OK;
}

int
pg_leads_of_contact(void *impl, int64_t contact_id, struct idlist *out,
    struct err *e)
{
	struct pg_params p = { 0 };

	pgp_int(&p, contact_id);
	return pg_ids(impl, "SELECT id FROM leads WHERE contact_id=$1 ORDER BY "
	    "id", &p, out, "leads of contact", e);
}

int
pg_lead_find_open(void *impl, int64_t contact_id, const char *object_ref,
    int64_t *id, struct err *e)
{
	struct pg_params p = { 0 };
	struct idlist ids = { 0 };
	int rc;

	pgp_int(&p, contact_id);
	pgp_text(&p, object_ref);
	rc = pg_ids(impl, "SELECT id FROM leads WHERE contact_id=$1 AND "
	    "status='open' AND object_ref IS NOT DISTINCT FROM $2::text "
	    "ORDER BY id DESC LIMIT 1", &p, &ids, "find open lead", e);
	if (rc == LG_OK && ids.n == 0)
		rc = err_set(e, LG_ENOENT, "no open lead on that object");
	if (rc == LG_OK)
		*id = ids.v[0];
	idlist_free(&ids);
	return rc;
}

/* The ids go in as one array parameter ({1,2,3}). */
int
pg_lead_summary(void *impl, const struct idlist *ids,
    struct lead_summary *out, struct err *e)
{
	struct pg *q = impl;
	struct pg_params p = { 0 };
	struct buf arr = BUF_INIT;
	PGresult *r;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	buf_addc(&arr, '{');
	for (i = 0; i < ids->n; i++)
		buf_printf(&arr, "%s%lld", i ? "," : "", (long long)ids->v[i]);
	buf_addc(&arr, '}');
	pgp_text(&p, buf_str(&arr));
	rc = pg_query(q, "SELECT count(*) FILTER (WHERE status='open'), "
	    "count(*) FILTER (WHERE status='won'), count(*) FILTER (WHERE "
	    "status='lost'), (SELECT status FROM leads WHERE contact_id = "
	    "ANY($1::bigint[]) AND status <> 'open' ORDER BY closed_at DESC "
	    "NULLS LAST, id DESC LIMIT 1), (SELECT max(closed_at) FROM leads "
	    "WHERE contact_id = ANY($1::bigint[]) AND status='won') FROM leads "
	    "WHERE contact_id = ANY($1::bigint[])", &p, &r, "lead summary", e);
	buf_free(&arr);
	if (rc != LG_OK)
		return rc;
	out->open = (int)pg_int(r, 0, 0);
	out->won = (int)pg_int(r, 0, 1);
	out->lost = (int)pg_int(r, 0, 2);
	if (!pg_isnull(r, 0, 3))
		lead_status_parse(PQgetvalue(r, 0, 3), &out->last_closed);
	out->last_won_at = pg_text(r, 0, 4);
	PQclear(r);
	return LG_OK;
}

int
pg_history_add(void *impl, const struct new_history *h, int64_t *id,
    struct err *e)
{
	struct pg *q = impl;
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	PGresult *r;
	int rc;

	pg_now(now, sizeof(now));
	pgp_id(&p, h->lead_id);
	pgp_int(&p, h->contact_id);
	pgp_text(&p, now);
	pgp_text(&p, h->action);
	pgp_id(&p, h->phase_before);
	pgp_id(&p, h->phase_after);
	pgp_text(&p, h->remark);
	if ((rc = pg_query(q, "INSERT INTO history (lead_id, contact_id, at, "
	    "action, phase_before, phase_after, remark) VALUES ($1,$2,$3,$4,"
	    "$5,$6,$7) RETURNING id", &p, &r, "add history", e)) != LG_OK)
		return rc;
	if (id != NULL)
		*id = pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

int
pg_history_list(void *impl, int64_t lead_id, int64_t contact_id,
    struct history **out, size_t *n, struct err *e)
{
	struct pg *q = impl;
	struct pg_params p = { 0 };
	struct history *v;
	PGresult *r;
	int i, rc, cnt;

	pgp_int(&p, lead_id ? lead_id : contact_id);
	if ((rc = pg_query(q, lead_id ? "SELECT id, lead_id, contact_id, at, "
	    "action, phase_before, phase_after, remark FROM history WHERE "
	    "lead_id=$1 ORDER BY id" : "SELECT id, lead_id, contact_id, at, "
	    "action, phase_before, phase_after, remark FROM history WHERE "
	    "contact_id=$1 ORDER BY id", &p, &r, "history", e)) != LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++) {
		v[i].id = pg_int(r, i, 0);
		v[i].lead_id = pg_int(r, i, 1);
		v[i].contact_id = pg_int(r, i, 2);
		v[i].at = pg_text(r, i, 3);
		v[i].action = pg_text(r, i, 4);
		v[i].phase_before = (int)pg_int(r, i, 5);
		v[i].phase_after = (int)pg_int(r, i, 6);
		v[i].remark = pg_text(r, i, 7);
	}
	PQclear(r);
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}

int
pg_deal_insert(void *impl, struct deal *d, struct err *e)
{
	struct pg *q = impl;
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	PGresult *r;
	int rc;

	pg_now(now, sizeof(now));
	pgp_int(&p, d->lead_id);
	pgp_int(&p, d->contact_id);
	pgp_id(&p, d->company_id);
	pgp_text(&p, d->title);
	pgp_text(&p, d->object_ref);
	pgp_text(&p, d->custom ? d->custom : "{}");
	pgp_text(&p, now);
	if ((rc = pg_query(q, "INSERT INTO deals (lead_id, contact_id, "
	    "company_id, title, object_ref, custom, created_at) VALUES ($1,$2,"
	    "$3,$4,$5,$6,$7) RETURNING id", &p, &r, "insert deal", e)) != LG_OK)
		return rc;
	d->id = pg_int(r, 0, 0);
	PQclear(r);
	xstrset(&d->created_at, now);
	return LG_OK;
}

int
pg_deals_of_lead(void *impl, int64_t lead_id, struct deal **out, size_t *n,
    struct err *e)
{
	struct pg *q = impl;
	struct pg_params p = { 0 };
	struct deal *v;
	PGresult *r;
	int i, rc, cnt;

	pgp_int(&p, lead_id);
	if ((rc = pg_query(q, "SELECT id, lead_id, contact_id, company_id, "
	    "title, object_ref, custom, created_at FROM deals WHERE lead_id=$1 "
	    "ORDER BY id", &p, &r, "deals", e)) != LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++) {
		v[i].id = pg_int(r, i, 0);
		v[i].lead_id = pg_int(r, i, 1);
		v[i].contact_id = pg_int(r, i, 2);
		v[i].company_id = pg_int(r, i, 3);
		v[i].title = pg_text(r, i, 4);
		v[i].object_ref = pg_text(r, i, 5);
		v[i].custom = pg_text(r, i, 6);
		v[i].created_at = pg_text(r, i, 7);
	}
	PQclear(r);
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}

int
pg_source_add(void *impl, const char *name, struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	int rc;

	pg_now(now, sizeof(now));
	pgp_text(&p, name);
	pgp_text(&p, now);
	rc = pg_query(impl, "INSERT INTO sources (name, created_at) VALUES "
	    "($1,$2)", &p, NULL, "add source", e);
	if (rc == LG_EEXIST)
		return err_set(e, LG_EEXIST, "source '%s' already exists", name);
	return rc;
}

int
pg_source_rename(void *impl, const char *from, const char *to, struct err *e)
{
	struct pg_params p = { 0 };
	int64_t n;
	int rc;

	pgp_text(&p, to);
	pgp_text(&p, from);
	rc = pg_change(impl, "UPDATE sources SET name=$1 WHERE lower(name)="
	    "lower($2)", &p, &n, "rename source", e);
	if (rc == LG_EEXIST)
		return err_set(e, LG_EEXIST, "source '%s' already exists", to);
	if (rc == LG_OK && n == 0)
		return err_set(e, LG_ENOENT, "unknown source '%s'", from);
	return rc;
}

int
pg_source_remove(void *impl, const char *name, struct err *e)
{
	struct pg *q = impl;
	struct pg_params p = { 0 };
	PGresult *r;
	int64_t used, n;
	int rc;

	pgp_text(&p, name);
	if ((rc = pg_query(q, "SELECT count(*) FROM leads l JOIN sources s ON "
	    "s.id = l.source_id WHERE lower(s.name)=lower($1)", &p, &r,
	    "source use", e)) != LG_OK)
		return rc;
	used = pg_int(r, 0, 0);
	PQclear(r);
	if (used > 0)
		return err_set(e, LG_EPERM, "source '%s' is used by %lld lead%s; "
		    "rename it instead", name, (long long)used,
		    used == 1 ? "" : "s");
	if ((rc = pg_change(q, "DELETE FROM sources WHERE lower(name)="
	    "lower($1)", &p, &n, "remove source", e)) != LG_OK)
		return rc;
	if (n == 0)
		return err_set(e, LG_ENOENT, "unknown source '%s'", name);
	return LG_OK;
}

int
pg_source_get(void *impl, const char *name, char **canonical, struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pgp_text(&p, name);
	if ((rc = pg_query(impl, "SELECT name FROM sources WHERE lower(name)="
	    "lower($1)", &p, &r, "source", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "unknown source '%s'", name);
	}
	if (canonical)
		*canonical = pg_text(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

int
pg_source_list(void *impl, struct source_row **out, size_t *n, struct err *e)
{
	struct source_row *v;
	PGresult *r;
	int i, rc, cnt;

	if ((rc = pg_query(impl, "SELECT s.name, count(l.id), s.created_at "
	    "FROM sources s LEFT JOIN leads l ON l.source_id = s.id GROUP BY "
	    "s.id ORDER BY lower(s.name) COLLATE \"C\"", NULL, &r, "sources",
	    e)) != LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++) {
		v[i].name = pg_text(r, i, 0);
		v[i].leads = pg_int(r, i, 1);
		v[i].created_at = pg_text(r, i, 2);
	}
	PQclear(r);
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}

int
pg_report(void *impl, enum report_by by, const char *pipeline,
    struct report_row **out, size_t *n, struct err *e)
{
	struct pg_params p = { 0 };
	struct report_row *v;
	PGresult *r;
	int i, rc, cnt, c;

	pgp_text(&p, pipeline);
	rc = pg_query(impl, by == REPORT_BY_PHASE ? "SELECT pipeline, "
	    "phase_no, count(*) FILTER (WHERE status='open'), count(*) FILTER "
	    "(WHERE status='won'), count(*) FILTER (WHERE status='lost') FROM "
	    "leads WHERE $1::text IS NULL OR pipeline=$1 GROUP BY pipeline, "
	    "phase_no ORDER BY pipeline COLLATE \"C\", phase_no" : "SELECT "
	    "s.name, count(l.id) FILTER (WHERE l.status='open'), count(l.id) "
	    "FILTER (WHERE l.status='won'), count(l.id) FILTER (WHERE "
	    "l.status='lost') FROM sources s LEFT JOIN leads l ON l.source_id "
	    "= s.id AND ($1::text IS NULL OR l.pipeline=$1) GROUP BY s.id "
	    "ORDER BY lower(s.name) COLLATE \"C\"",
	    &p, &r, "report", e);
	if (rc != LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++) {
		if (by == REPORT_BY_PHASE) {
			v[i].pipeline = pg_text(r, i, 0);
			v[i].phase_no = (int)pg_int(r, i, 1);
			c = 2;
		} else {
			v[i].source = pg_text(r, i, 0);
			c = 1;
		}
		v[i].open = pg_int(r, i, c);
		v[i].won = pg_int(r, i, c + 1);
		v[i].lost = pg_int(r, i, c + 2);
	}
	PQclear(r);
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}
