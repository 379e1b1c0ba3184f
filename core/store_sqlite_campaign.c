/* Bulk mail campaigns and the leads of outgoing messages in SQLite. */
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "core/store_sqlite.h"
#include "util/xmalloc.h"

#define CAMPAIGN_COLS "c.id, c.name, c.filter, c.template, c.advance_to, " \
    "c.matched, c.queued, c.skipped, c.created_at, c.updated_at, " \
    "c.paused_at"

static const char sql_find[] =
    "SELECT " CAMPAIGN_COLS " FROM campaigns c WHERE c.name=?";
static const char sql_insert[] =
    "INSERT INTO campaigns (name, filter, template, advance_to, matched,"
    " queued, skipped, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)";
static const char sql_pause[] =
    "UPDATE campaigns SET paused_at=?, updated_at=? WHERE name=?";
static const char sql_update[] =
    "UPDATE campaigns SET matched=?, queued=?, skipped=?, updated_at=?"
    " WHERE id=?";
/* One pass over the outgoing rows by their campaign index. */
static const char sql_list[] =
    "SELECT " CAMPAIGN_COLS ","
    " (SELECT count(*) FROM outgoing o WHERE o.campaign_id=c.id"
    "   AND o.state='sent'),"
    " (SELECT count(*) FROM outgoing o WHERE o.campaign_id=c.id"
    "   AND o.state IN ('failed','cancelled')),"
    " (SELECT count(*) FROM outgoing o WHERE o.campaign_id=c.id"
    "   AND o.state IN ('queued','deferred')),"
    " (SELECT count(DISTINCT b.outgoing_id) FROM bounces b"
    "   JOIN outgoing o ON o.id=b.outgoing_id WHERE o.campaign_id=c.id"
    "   AND b.kind IN ('hard','soft') AND b.action='failed'),"
    " (SELECT count(DISTINCT b.outgoing_id) FROM bounces b"
    "   JOIN outgoing o ON o.id=b.outgoing_id WHERE o.campaign_id=c.id"
    "   AND b.kind='complaint'),"
    " (SELECT count(*) FROM outgoing o WHERE o.campaign_id=c.id"
    "   AND o.fail_class='policy'),"
    " (SELECT count(*) FROM outgoing o WHERE o.campaign_id=c.id"
    "   AND o.fail_class='content')"
    " FROM campaigns c ORDER BY c.id";
static const char sql_contacts[] =
    "SELECT contact_id FROM outgoing WHERE campaign_id=?"
    " AND contact_id IS NOT NULL ORDER BY contact_id";
static const char sql_lead_add[] =
    "INSERT OR IGNORE INTO outgoing_leads (outgoing_id, lead_id,"
    " advance_phase) VALUES (?,?,?)";
static const char sql_leads[] =
    "SELECT lead_id, advance_phase FROM outgoing_leads WHERE outgoing_id=?"
    " ORDER BY lead_id";

static void
sq_campaign_row(sqlite3_stmt *s, struct campaign *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(s, 0);
	c->name = sq_col_text(s, 1);
	c->filter = sq_col_text(s, 2);
	c->template = sq_col_text(s, 3);
	c->advance_to = sq_col_text(s, 4);
	c->matched = (long)sqlite3_column_int64(s, 5);
	c->queued = (long)sqlite3_column_int64(s, 6);
	c->skipped = (long)sqlite3_column_int64(s, 7);
	c->created_at = sq_col_text(s, 8);
	c->updated_at = sq_col_text(s, 9);
	c->paused_at = sq_col_text(s, 10);
}

int
sq_campaign_find(void *impl, const char *name, struct campaign **out,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	if ((s = sq_stmt(q, sql_find, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, name);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xcalloc(1, sizeof(**out));
		sq_campaign_row(s, *out);
	}
	sq_done(s);
	if (rc == SQLITE_DONE)
		return err_set(e, LG_ENOENT, "no campaign '%s'", name);
	if (rc != SQLITE_ROW)
		return sq_fail(q, sqlite3_extended_errcode(q->db), "campaign",
		    e);
	return LG_OK;
}

int
sq_campaign_insert(void *impl, struct campaign *c, struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_insert, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, c->name);
	sq_bind_text(s, 2, c->filter);
	sq_bind_text(s, 3, c->template);
	sq_bind_text(s, 4, c->advance_to);
	sqlite3_bind_int64(s, 5, c->matched);
	sqlite3_bind_int64(s, 6, c->queued);
	sqlite3_bind_int64(s, 7, c->skipped);
	sq_bind_text(s, 8, now);
	sq_bind_text(s, 9, now);
	if ((rc = sq_exec_stmt(q, s, "campaign", e)) != LG_OK) {
		if (rc == LG_EEXIST)
			err_set(e, LG_EEXIST, "campaign '%s' exists", c->name);
		return rc;
	}
	c->id = sqlite3_last_insert_rowid(q->db);
	xstrset(&c->created_at, now);
	xstrset(&c->updated_at, now);
	return LG_OK;
}

int
sq_campaign_update(void *impl, const struct campaign *c, struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_update, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sqlite3_bind_int64(s, 1, c->matched);
	sqlite3_bind_int64(s, 2, c->queued);
	sqlite3_bind_int64(s, 3, c->skipped);
	sq_bind_text(s, 4, now);
	sqlite3_bind_int64(s, 5, c->id);
	return sq_exec_stmt(q, s, "campaign", e);
}

int
sq_campaign_set_paused(void *impl, const char *name, int paused,
    struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_pause, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	if (paused)
		sq_bind_text(s, 1, now);
	else
		sqlite3_bind_null(s, 1);
	sq_bind_text(s, 2, now);
	sq_bind_text(s, 3, name);
	if ((rc = sq_exec_stmt(q, s, "campaign", e)) != LG_OK)
		return rc;
	if (sqlite3_changes(q->db) == 0)
		return err_set(e, LG_ENOENT, "no campaign '%s'", name);
	return LG_OK;
}

int
sq_campaign_list(void *impl, struct campaign **out, size_t *n, struct err *e)
{
	struct sq *q = impl;
	struct campaign *v = NULL;
	sqlite3_stmt *s;
	size_t cnt = 0;
	int rc;

	if ((s = sq_stmt(q, sql_list, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		sq_campaign_row(s, &v[cnt]);
		v[cnt].sent = (long)sqlite3_column_int64(s, 11);
		v[cnt].failed = (long)sqlite3_column_int64(s, 12);
		v[cnt].waiting = (long)sqlite3_column_int64(s, 13);
		v[cnt].bounced = (long)sqlite3_column_int64(s, 14);
		v[cnt].complained = (long)sqlite3_column_int64(s, 15);
		v[cnt].policy = (long)sqlite3_column_int64(s, 16);
		v[cnt].content = (long)sqlite3_column_int64(s, 17);
		cnt++;
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		store_campaign_rows_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db), "campaigns",
		    e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}

int
sq_campaign_contacts(void *impl, int64_t campaign_id, struct idlist *out,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_contacts, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, campaign_id);
	return sq_ids(q, s, out, "campaign contacts", e);
}

int
sq_outgoing_lead_add(void *impl, int64_t outgoing_id, int64_t lead_id,
    int advance_phase, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_lead_add, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, outgoing_id);
	sqlite3_bind_int64(s, 2, lead_id);
	sqlite3_bind_int(s, 3, advance_phase);
	return sq_exec_stmt(q, s, "outgoing lead", e);
}

int
sq_outgoing_leads(void *impl, int64_t outgoing_id, struct outgoing_lead **out,
    size_t *n, struct err *e)
{
	struct sq *q = impl;
	struct outgoing_lead *v = NULL;
	sqlite3_stmt *s;
	size_t cnt = 0;
	int rc;

	if ((s = sq_stmt(q, sql_leads, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, outgoing_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		v[cnt].lead_id = sqlite3_column_int64(s, 0);
		v[cnt].advance_phase = sqlite3_column_int(s, 1);
		cnt++;
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		free(v);
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "outgoing leads", e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}
