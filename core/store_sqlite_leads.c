/* Leads, history, deals, sources and reports in SQLite. */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/clock.h"
#include "core/store_sqlite.h"
#include "util/xmalloc.h"

#define LEAD_COLS \
    "l.contact_id, l.pipeline, l.phase_no, l.status, s.name, l.object_ref, " \
    "l.portal_object_ref, l.portal, l.portal_ref, l.connector, l.message, " \
    "l.custom, l.created_at, l.updated_at, l.closed_at"

static const char sql_source_id[] =
    "SELECT id FROM sources WHERE name=?";
static const char sql_lead_insert[] =
    "INSERT INTO leads (contact_id, pipeline, phase_no, status, source_id, "
    "object_ref, portal_object_ref, portal, portal_ref, connector, message, "
    "custom, created_at, updated_at, closed_at) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
static const char sql_lead_update[] =
    "UPDATE leads SET contact_id=?, pipeline=?, phase_no=?, status=?, "
    "source_id=?, object_ref=?, portal_object_ref=?, portal=?, portal_ref=?, "
    "connector=?, message=?, custom=?, updated_at=?, closed_at=? WHERE id=?";
/*
 * A move that leaves the status and closed_at as they are (between open
 * phases: nearly every move) writes neither: a written status costs its
 * CHECK (an IN list, a temporary table per row on SQLite 3.40) and the
 * leads_contact index entry. It changes no row when they differ; the
 * full statement then writes them.
 */
static const char sql_lead_move_phase[] =
    "UPDATE leads SET phase_no=?1, updated_at=?3 "
    "WHERE id=?5 AND status=?2 AND closed_at IS ?4";
static const char sql_lead_move[] =
    "UPDATE leads SET phase_no=?1, status=?2, updated_at=?3, closed_at=?4 "
    "WHERE id=?5";
static const char sql_lead_get[] =
    "SELECT " LEAD_COLS " FROM leads l JOIN sources s ON s.id = l.source_id "
    "WHERE l.id=?";
static const char sql_leads_of_contact[] =
    "SELECT id FROM leads WHERE contact_id=? ORDER BY id";
static const char sql_lead_find_open[] =
    "SELECT id FROM leads WHERE contact_id=? AND status='open' AND "
    "object_ref IS ? ORDER BY id DESC LIMIT 1";
static const char sql_history_add[] =
    "INSERT INTO history (lead_id, contact_id, at, action, phase_before, "
    "phase_after, remark) VALUES (?,?,?,?,?,?,?)";
static const char sql_history_lead[] =
    "SELECT id, lead_id, contact_id, at, action, phase_before, phase_after, "
    "remark FROM history WHERE lead_id=? ORDER BY id";
static const char sql_history_contact[] =
    "SELECT id, lead_id, contact_id, at, action, phase_before, phase_after, "
    "remark FROM history WHERE contact_id=? ORDER BY id";
static const char sql_deal_insert[] =
    "INSERT INTO deals (lead_id, contact_id, company_id, title, object_ref, "
    "custom, created_at) VALUES (?,?,?,?,?,?,?)";
static const char sql_deals_of_lead[] =
    "SELECT id, lead_id, contact_id, company_id, title, object_ref, custom, "
    "created_at FROM deals WHERE lead_id=? ORDER BY id";
static const char sql_source_add[] =
    "INSERT INTO sources (name, created_at) VALUES (?,?)";
static const char sql_source_rename[] =
    "UPDATE sources SET name=? WHERE name=?";
static const char sql_source_used[] =
    "SELECT count(*) FROM leads l JOIN sources s ON s.id = l.source_id "
    "WHERE s.name=?";
static const char sql_source_remove[] =
    "DELETE FROM sources WHERE name=?";
static const char sql_source_get[] =
    "SELECT name FROM sources WHERE name=?";
static const char sql_source_list[] =
    "SELECT s.name, count(l.id), s.created_at FROM sources s "
    "LEFT JOIN leads l ON l.source_id = s.id GROUP BY s.id ORDER BY s.name";
static const char sql_report_phase[] =
    "SELECT pipeline, phase_no, sum(status='open'), sum(status='won'), "
    "sum(status='lost') FROM leads WHERE ?1 IS NULL OR pipeline=?1 "
    "GROUP BY pipeline, phase_no ORDER BY pipeline, phase_no";
static const char sql_report_source[] =
    "SELECT s.name, sum(l.status='open'), sum(l.status='won'), "
    "sum(l.status='lost') FROM sources s "
    "LEFT JOIN leads l ON l.source_id = s.id AND (?1 IS NULL OR l.pipeline=?1) "
    "GROUP BY s.id ORDER BY s.name";
/* Leads by the object they are linked to; those without one last. */
static const char sql_report_object[] =
    "SELECT o.ref, sum(l.status='open'), sum(l.status='won'), "
    "sum(l.status='lost') FROM leads l JOIN lead_objects lo ON lo.lead_id = l.id "
    "LEFT JOIN objects o ON o.id = lo.object_id "
    "WHERE ?1 IS NULL OR l.pipeline=?1 "
    "GROUP BY o.id ORDER BY o.ref IS NULL, o.ref";

static int
sq_source_id(struct sq *q, const char *name, int64_t *id, struct err *e)
{
	struct sq_src *c = sq_src_entry(q, name);
	sqlite3_stmt *s;
	int rc;

	if (c != NULL && c->id != 0) {
		*id = c->id;
		return LG_OK;
	}
	if ((s = sq_stmt(q, sql_source_id, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, name);
	if ((rc = sq_step_row(q, s, "source", e)) == LG_ENOENT)
		return err_set(e, LG_ENOENT, "unknown source '%s'",
		    name ? name : "");
	if (rc != LG_OK)
		return rc;
	*id = sqlite3_column_int64(s, 0);
	sq_done(s);
	if (c != NULL)
		c->id = *id;
	return LG_OK;
}

/* Parameters 1..12 of both insert and update. */
static void
sq_lead_bind(sqlite3_stmt *s, const struct lead *l, int64_t source_id)
{
	sqlite3_bind_int64(s, 1, l->contact_id);
	sq_bind_text(s, 2, l->pipeline);
	sqlite3_bind_int(s, 3, l->phase_no);
	sq_bind_text(s, 4, lead_status_name(l->status));
	sqlite3_bind_int64(s, 5, source_id);
	sq_bind_text(s, 6, l->object_ref);
	sq_bind_text(s, 7, l->portal_object_ref);
	sq_bind_text(s, 8, l->portal);
	sq_bind_text(s, 9, l->portal_ref);
	sq_bind_text(s, 10, l->connector);
	sq_bind_text(s, 11, l->message);
	sq_bind_text(s, 12, l->custom ? l->custom : "{}");
}

int
sq_lead_insert(void *impl, struct lead *l, struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	int64_t source_id;
	sqlite3_stmt *s;
	int rc;

	if ((rc = sq_source_id(q, l->source, &source_id, e)) != LG_OK)
		return rc;
	if ((s = sq_stmt(q, sql_lead_insert, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_lead_bind(s, l, source_id);
	sq_bind_text(s, 13, now);
	sq_bind_text(s, 14, now);
	sq_bind_text(s, 15, l->closed_at);
	if ((rc = sq_exec_stmt(q, s, "insert lead", e)) != LG_OK)
		return rc;
	l->id = sqlite3_last_insert_rowid(q->db);
	xstrset(&l->created_at, now);
	xstrset(&l->updated_at, now);
	return LG_OK;
}

int
sq_lead_update(void *impl, struct lead *l, struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	int64_t source_id;
	sqlite3_stmt *s;
	int rc;

	if ((rc = sq_source_id(q, l->source, &source_id, e)) != LG_OK)
		return rc;
	if ((s = sq_stmt(q, sql_lead_update, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_lead_bind(s, l, source_id);
	sq_bind_text(s, 13, now);
	sq_bind_text(s, 14, l->closed_at);
	sqlite3_bind_int64(s, 15, l->id);
	if ((rc = sq_exec_stmt(q, s, "update lead", e)) != LG_OK)
		return rc;
	if (sqlite3_changes(q->db) == 0)
		return err_set(e, LG_ENOENT, "no lead with id %lld",
		    (long long)l->id);
	xstrset(&l->updated_at, now);
	return LG_OK;
}

int
sq_lead_move(void *impl, struct lead *l, struct err *e)
{
	static const char *const sql[] = { sql_lead_move_phase, sql_lead_move };
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	size_t i;
	int rc;

	sq_now(now, sizeof(now));
	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		if ((s = sq_stmt(q, sql[i], e)) == NULL)
			return e ? e->code : LG_EINTERNAL;
		sqlite3_bind_int(s, 1, l->phase_no);
		sq_bind_text(s, 2, lead_status_name(l->status));
		sq_bind_text(s, 3, now);
		sq_bind_text(s, 4, l->closed_at);
		sqlite3_bind_int64(s, 5, l->id);
		if ((rc = sq_exec_stmt(q, s, "move lead", e)) != LG_OK)
			return rc;
		if (sqlite3_changes(q->db) != 0) {
			xstrset(&l->updated_at, now);
			return LG_OK;
		}
	}
	return err_set(e, LG_ENOENT, "no lead with id %lld", (long long)l->id);
}

int
sq_lead_get(void *impl, int64_t id, struct lead **out, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	struct lead *l;
	int rc;

	if ((s = sq_stmt(q, sql_lead_get, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_step_row(q, s, "get lead", e)) == LG_ENOENT)
		return err_set(e, LG_ENOENT, "no lead with id %lld",
		    (long long)id);
	if (rc != LG_OK)
		return rc;
	l = lead_new();
	l->id = id;
	l->contact_id = sqlite3_column_int64(s, 0);
	l->pipeline = sq_col_text(s, 1);
	l->phase_no = sqlite3_column_int(s, 2);
	lead_status_parse((const char *)sqlite3_column_text(s, 3), &l->status);
	l->source = sq_col_text(s, 4);
	l->object_ref = sq_col_text(s, 5);
	l->portal_object_ref = sq_col_text(s, 6);
	l->portal = sq_col_text(s, 7);
	l->portal_ref = sq_col_text(s, 8);
	l->connector = sq_col_text(s, 9);
	l->message = sq_col_text(s, 10);
	free(l->custom);
	l->custom = sq_col_text(s, 11);
	l->created_at = sq_col_text(s, 12);
	l->updated_at = sq_col_text(s, 13);
	l->closed_at = sq_col_text(s, 14);
	sq_done(s);
	*out = l;
	return LG_OK;
}

int
sq_leads_of_contact(void *impl, int64_t contact_id, struct idlist *out,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_leads_of_contact, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, contact_id);
	return sq_ids(q, s, out, "leads of contact", e);
}

int
sq_lead_find_open(void *impl, int64_t contact_id, const char *object_ref,
    int64_t *id, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_lead_find_open, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, contact_id);
	sq_bind_text(s, 2, object_ref);
	if ((rc = sq_step_row(q, s, "find open lead", e)) == LG_ENOENT)
		return err_set(e, LG_ENOENT, "no open lead on that object");
	if (rc != LG_OK)
		return rc;
	*id = sqlite3_column_int64(s, 0);
	sq_done(s);
	return LG_OK;
}

/*
 * The summary spans several contacts (a company and its employees), so
 * the id list goes in as a JSON array: still one bound parameter. A
 * single contact, what ingest asks for, is looked up directly (no list
 * to build: no temporary table on the hot path).
 */
#define SUMMARY(in)							\
	"SELECT sum(status='open'), sum(status='won'), sum(status='lost'), " \
	"(SELECT status FROM leads WHERE contact_id " in " AND status != " \
	"'open' ORDER BY closed_at DESC, id DESC LIMIT 1), (SELECT " \
	"max(closed_at) FROM leads WHERE contact_id " in " AND " \
	"status='won') FROM leads WHERE contact_id " in

int
sq_lead_summary(void *impl, const struct idlist *ids,
    struct lead_summary *out, struct err *e)
{
	static const char sql_one[] = SUMMARY("= ?1");
	static const char sql_list[] =
	    SUMMARY("IN (SELECT value FROM json_each(?1))");
	struct sq *q = impl;
	struct buf arr = BUF_INIT;
	sqlite3_stmt *s;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((s = sq_stmt(q, ids->n == 1 ? sql_one : sql_list, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	if (ids->n == 1) {
		sqlite3_bind_int64(s, 1, ids->v[0]);
	} else {
		buf_addc(&arr, '[');
		for (i = 0; i < ids->n; i++)
			buf_printf(&arr, "%s%lld", i ? "," : "",
			    (long long)ids->v[i]);
		buf_addc(&arr, ']');
		sq_bind_text(s, 1, buf_str(&arr));
		buf_free(&arr);
	}
	if ((rc = sq_step_row(q, s, "lead summary", e)) != LG_OK)
		return rc == LG_ENOENT ? LG_OK : rc;
	out->open = sqlite3_column_int(s, 0);
	out->won = sqlite3_column_int(s, 1);
	out->lost = sqlite3_column_int(s, 2);
	if (sqlite3_column_type(s, 3) != SQLITE_NULL)
		lead_status_parse((const char *)sqlite3_column_text(s, 3),
		    &out->last_closed);
	out->last_won_at = sq_col_text(s, 4);
	sq_done(s);
	return LG_OK;
}

#undef SUMMARY

int
sq_history_add(void *impl, const struct new_history *h, int64_t *id,
    struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_history_add, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_id(s, 1, h->lead_id);
	sqlite3_bind_int64(s, 2, h->contact_id);
	sq_bind_text(s, 3, now);
	sq_bind_text(s, 4, h->action);
	if (h->phase_before)
		sqlite3_bind_int(s, 5, h->phase_before);
	if (h->phase_after)
		sqlite3_bind_int(s, 6, h->phase_after);
	sq_bind_text(s, 7, h->remark);
	if ((rc = sq_exec_stmt(q, s, "add history", e)) != LG_OK)
		return rc;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(q->db);
	return LG_OK;
}

int
sq_history_list(void *impl, int64_t lead_id, int64_t contact_id,
    struct history **out, size_t *n, struct err *e)
{
	struct sq *q = impl;
	struct history *v = NULL;
	sqlite3_stmt *s;
	size_t cnt = 0;
	int rc;

	s = sq_stmt(q, lead_id ? sql_history_lead : sql_history_contact, e);
	if (s == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, lead_id ? lead_id : contact_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct history *h;

		v = xreallocarray(v, cnt + 1, sizeof(*v));
		h = &v[cnt++];
		h->id = sqlite3_column_int64(s, 0);
		h->lead_id = sqlite3_column_int64(s, 1);
		h->contact_id = sqlite3_column_int64(s, 2);
		h->at = sq_col_text(s, 3);
		h->action = sq_col_text(s, 4);
		h->phase_before = sqlite3_column_int(s, 5);
		h->phase_after = sqlite3_column_int(s, 6);
		h->remark = sq_col_text(s, 7);
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		store_history_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db), "history", e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}

int
sq_deal_insert(void *impl, struct deal *d, struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_deal_insert, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sqlite3_bind_int64(s, 1, d->lead_id);
	sqlite3_bind_int64(s, 2, d->contact_id);
	sq_bind_id(s, 3, d->company_id);
	sq_bind_text(s, 4, d->title);
	sq_bind_text(s, 5, d->object_ref);
	sq_bind_text(s, 6, d->custom ? d->custom : "{}");
	sq_bind_text(s, 7, now);
	if ((rc = sq_exec_stmt(q, s, "insert deal", e)) != LG_OK)
		return rc;
	d->id = sqlite3_last_insert_rowid(q->db);
	xstrset(&d->created_at, now);
	return LG_OK;
}

int
sq_deals_of_lead(void *impl, int64_t lead_id, struct deal **out, size_t *n,
    struct err *e)
{
	struct sq *q = impl;
	struct deal *v = NULL;
	sqlite3_stmt *s;
	size_t cnt = 0;
	int rc;

	if ((s = sq_stmt(q, sql_deals_of_lead, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, lead_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct deal *d;

		v = xreallocarray(v, cnt + 1, sizeof(*v));
		d = &v[cnt++];
		d->id = sqlite3_column_int64(s, 0);
		d->lead_id = sqlite3_column_int64(s, 1);
		d->contact_id = sqlite3_column_int64(s, 2);
		d->company_id = sqlite3_column_int64(s, 3);
		d->title = sq_col_text(s, 4);
		d->object_ref = sq_col_text(s, 5);
		d->custom = sq_col_text(s, 6);
		d->created_at = sq_col_text(s, 7);
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		store_deals_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db), "deals", e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}

int
sq_source_add(void *impl, const char *name, struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	sq_src_forget(q);
	if ((s = sq_stmt(q, sql_source_add, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, name);
	sq_bind_text(s, 2, now);
	rc = sq_exec_stmt(q, s, "add source", e);
	if (rc == LG_EEXIST)
		return err_set(e, LG_EEXIST, "source '%s' already exists", name);
	return rc;
}

int
sq_source_rename(void *impl, const char *from, const char *to, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	sq_src_forget(q);
	if ((s = sq_stmt(q, sql_source_rename, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, to);
	sq_bind_text(s, 2, from);
	rc = sq_exec_stmt(q, s, "rename source", e);
	if (rc == LG_EEXIST)
		return err_set(e, LG_EEXIST, "source '%s' already exists", to);
	if (rc == LG_OK && sqlite3_changes(q->db) == 0)
		return err_set(e, LG_ENOENT, "unknown source '%s'", from);
	return rc;
}

int
sq_source_remove(void *impl, const char *name, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc, used;

	sq_src_forget(q);
	if ((s = sq_stmt(q, sql_source_used, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, name);
	if ((rc = sq_step_row(q, s, "source use", e)) != LG_OK)
		return rc;
	used = sqlite3_column_int(s, 0);
	sq_done(s);
	if (used > 0)
		return err_set(e, LG_EPERM, "source '%s' is used by %d lead%s; "
		    "rename it instead", name, used, used == 1 ? "" : "s");
	if ((s = sq_stmt(q, sql_source_remove, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, name);
	if ((rc = sq_exec_stmt(q, s, "remove source", e)) != LG_OK)
		return rc;
	if (sqlite3_changes(q->db) == 0)
		return err_set(e, LG_ENOENT, "unknown source '%s'", name);
	return LG_OK;
}

int
sq_source_get(void *impl, const char *name, char **canonical, struct err *e)
{
	struct sq *q = impl;
	struct sq_src *c = sq_src_entry(q, name);
	sqlite3_stmt *s;
	int rc;

	if (c == NULL || c->canonical == NULL) {
		if ((s = sq_stmt(q, sql_source_get, e)) == NULL)
			return e ? e->code : LG_EINTERNAL;
		sq_bind_text(s, 1, name);
		if ((rc = sq_step_row(q, s, "source", e)) == LG_ENOENT)
			return err_set(e, LG_ENOENT, "unknown source '%s'",
			    name);
		if (rc != LG_OK)
			return rc;
		if (c != NULL)
			c->canonical = sq_col_text(s, 0);
		else if (canonical)
			*canonical = sq_col_text(s, 0);
		sq_done(s);
		if (c == NULL)
			return LG_OK;
	}
	if (canonical)
		*canonical = xstrdup(c->canonical);
	return LG_OK;
}

int
sq_source_list(void *impl, struct source_row **out, size_t *n, struct err *e)
{
	struct sq *q = impl;
	struct source_row *v = NULL;
	sqlite3_stmt *s;
	size_t cnt = 0;
	int rc;

	if ((s = sq_stmt(q, sql_source_list, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		v[cnt].name = sq_col_text(s, 0);
		v[cnt].leads = sqlite3_column_int64(s, 1);
		v[cnt].created_at = sq_col_text(s, 2);
		cnt++;
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		store_source_rows_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db), "sources", e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}

int
sq_report(void *impl, enum report_by by, const char *pipeline,
    struct report_row **out, size_t *n, struct err *e)
{
	struct sq *q = impl;
	struct report_row *v = NULL, *r;
	sqlite3_stmt *s;
	size_t cnt = 0;
	int rc, c;

	s = sq_stmt(q, by == REPORT_BY_PHASE ? sql_report_phase :
	    by == REPORT_BY_OBJECT ? sql_report_object : sql_report_source, e);
	if (s == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, pipeline);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		r = &v[cnt++];
		memset(r, 0, sizeof(*r));
		if (by == REPORT_BY_PHASE) {
			r->pipeline = sq_col_text(s, 0);
			r->phase_no = sqlite3_column_int(s, 1);
			c = 2;
		} else if (by == REPORT_BY_OBJECT) {
			r->object = sq_col_text(s, 0);
			c = 1;
		} else {
			r->source = sq_col_text(s, 0);
			c = 1;
		}
		r->open = sqlite3_column_int64(s, c);
		r->won = sqlite3_column_int64(s, c + 1);
		r->lost = sqlite3_column_int64(s, c + 2);
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		store_report_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db), "report", e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}
