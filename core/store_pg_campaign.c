/*
 * Bulk mail campaigns, the leads of outgoing messages, unsubscribe
 * tokens and bounce reports in PostgreSQL: the same rows and answers as
 * store_sqlite_campaign.c, _unsub.c and _bounce.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "util/clock.h"
#include "core/store_pg.h"
#include "util/xmalloc.h"

#define CAMPAIGN_COLS "c.id, c.name, c.filter, c.template, c.advance_to, " \
    "c.matched, c.queued, c.skipped, c.created_at, c.updated_at, " \
    "c.paused_at"

static void
pg_campaign_row(const PGresult *r, int i, struct campaign *c)
{
	memset(c, 0, sizeof(*c));
	c->id = pg_int(r, i, 0);
	c->name = pg_text(r, i, 1);
	c->filter = pg_text(r, i, 2);
	c->template = pg_text(r, i, 3);
	c->advance_to = pg_text(r, i, 4);
	c->matched = (long)pg_int(r, i, 5);
	c->queued = (long)pg_int(r, i, 6);
	c->skipped = (long)pg_int(r, i, 7);
	c->created_at = pg_text(r, i, 8);
	c->updated_at = pg_text(r, i, 9);
	c->paused_at = pg_text(r, i, 10);
}

int
pg_campaign_find(void *impl, const char *name, struct campaign **out,
    struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	*out = NULL;
	pgp_text(&p, name);
	if ((rc = pg_query(impl, "SELECT " CAMPAIGN_COLS " FROM campaigns c "
	    "WHERE c.name=$1", &p, &r, "campaign", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "no campaign '%s'", name);
	}
	*out = xcalloc(1, sizeof(**out));
	pg_campaign_row(r, 0, *out);
	PQclear(r);
	return LG_OK;
}

int
pg_campaign_insert(void *impl, struct campaign *c, struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	PGresult *r;
	int rc;

	pg_now(now, sizeof(now));
	pgp_text(&p, c->name);
	pgp_text(&p, c->filter);
	pgp_text(&p, c->template);
	pgp_text(&p, c->advance_to);
	pgp_int(&p, c->matched);
	pgp_int(&p, c->queued);
	pgp_int(&p, c->skipped);
	pgp_text(&p, now);
	pgp_text(&p, now);
	rc = pg_query(impl, "INSERT INTO campaigns (name, filter, template, "
	    "advance_to, matched, queued, skipped, created_at, updated_at) "
	    "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id", &p, &r,
	    "campaign", e);
	if (rc == LG_EEXIST)
		return err_set(e, LG_EEXIST, "campaign '%s' exists", c->name);
	if (rc != LG_OK)
		return rc;
	c->id = pg_int(r, 0, 0);
	PQclear(r);
	xstrset(&c->created_at, now);
	xstrset(&c->updated_at, now);
	return LG_OK;
}

int
pg_campaign_update(void *impl, const struct campaign *c, struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];

	pg_now(now, sizeof(now));
	pgp_int(&p, c->matched);
	pgp_int(&p, c->queued);
	pgp_int(&p, c->skipped);
	pgp_text(&p, now);
	pgp_int(&p, c->id);
	return pg_query(impl, "UPDATE campaigns SET matched=$1, queued=$2, "
	    "skipped=$3, updated_at=$4 WHERE id=$5", &p, NULL, "campaign", e);
}

int
pg_campaign_set_paused(void *impl, const char *name, int paused,
    struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	int64_t n;
	int rc;

	pg_now(now, sizeof(now));
	pgp_text(&p, paused ? now : NULL);
	pgp_text(&p, now);
	pgp_text(&p, name);
	if ((rc = pg_change(impl, "UPDATE campaigns SET paused_at=$1, "
	    "updated_at=$2 WHERE name=$3", &p, &n, "campaign", e)) != LG_OK)
		return rc;
	if (n == 0)
		return err_set(e, LG_ENOENT, "no campaign '%s'", name);
	return LG_OK;
}

int
pg_campaign_list(void *impl, struct campaign **out, size_t *n, struct err *e)
{
	struct campaign *v;
	PGresult *r;
	int i, rc, cnt;

	if ((rc = pg_query(impl, "SELECT " CAMPAIGN_COLS ", "
	    "(SELECT count(*) FROM outgoing o WHERE o.campaign_id=c.id AND "
	    "o.state='sent'), "
	    "(SELECT count(*) FROM outgoing o WHERE o.campaign_id=c.id AND "
	    "o.state IN ('failed','cancelled')), "
	    "(SELECT count(*) FROM outgoing o WHERE o.campaign_id=c.id AND "
	    "o.state IN ('queued','deferred')), "
	    "(SELECT count(DISTINCT b.outgoing_id) FROM bounces b JOIN outgoing "
	    "o ON o.id=b.outgoing_id WHERE o.campaign_id=c.id AND b.kind IN "
	    "('hard','soft') AND b.action='failed'), "
	    "(SELECT count(DISTINCT b.outgoing_id) FROM bounces b JOIN outgoing "
	    "o ON o.id=b.outgoing_id WHERE o.campaign_id=c.id AND "
	    "b.kind='complaint'), "
	    "(SELECT count(*) FROM outgoing o WHERE o.campaign_id=c.id AND "
	    "o.fail_class='policy'), "
	    "(SELECT count(*) FROM outgoing o WHERE o.campaign_id=c.id AND "
	    "o.fail_class='content') FROM campaigns c ORDER BY c.id", NULL, &r,
	    "campaigns", e)) != LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++) {
		pg_campaign_row(r, i, &v[i]);
		v[i].sent = (long)pg_int(r, i, 11);
		v[i].failed = (long)pg_int(r, i, 12);
		v[i].waiting = (long)pg_int(r, i, 13);
		v[i].bounced = (long)pg_int(r, i, 14);
		v[i].complained = (long)pg_int(r, i, 15);
		v[i].policy = (long)pg_int(r, i, 16);
		v[i].content = (long)pg_int(r, i, 17);
	}
	PQclear(r);
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}

int
pg_campaign_contacts(void *impl, int64_t campaign_id, struct idlist *out,
    struct err *e)
{
	struct pg_params p = { 0 };

	pgp_int(&p, campaign_id);
	return pg_ids(impl, "SELECT contact_id FROM outgoing WHERE "
	    "campaign_id=$1 AND contact_id IS NOT NULL ORDER BY contact_id", &p,
	    out, "campaign contacts", e);
}

int
pg_outgoing_lead_add(void *impl, int64_t outgoing_id, int64_t lead_id,
    int advance_phase, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_int(&p, outgoing_id);
	pgp_int(&p, lead_id);
	pgp_int(&p, advance_phase);
	return pg_query(impl, "INSERT INTO outgoing_leads (outgoing_id, "
	    "lead_id, advance_phase) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING",
	    &p, NULL, "outgoing lead", e);
}

int
pg_outgoing_leads(void *impl, int64_t outgoing_id, struct outgoing_lead **out,
    size_t *n, struct err *e)
{
	struct pg_params p = { 0 };
	struct outgoing_lead *v;
	PGresult *r;
	int i, rc, cnt;

	pgp_int(&p, outgoing_id);
	if ((rc = pg_query(impl, "SELECT lead_id, advance_phase FROM "
	    "outgoing_leads WHERE outgoing_id=$1 ORDER BY lead_id", &p, &r,
	    "outgoing leads", e)) != LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++) {
		v[i].lead_id = pg_int(r, i, 0);
		v[i].advance_phase = (int)pg_int(r, i, 1);
	}
	PQclear(r);
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}

/* Unsubscribe tokens */

#define TOKEN_BYTES 16

static int
pg_token_get(struct pg *q, int64_t id, char **out, struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	*out = NULL;
	pgp_int(&p, id);
	if ((rc = pg_query(q, "SELECT unsub_token FROM contacts WHERE id=$1",
	    &p, &r, "unsubscribe token", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "no contact with id %lld",
		    (long long)id);
	}
	*out = pg_text(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

int
pg_contact_unsub_token(void *impl, int64_t contact_id, int create,
    char **out, struct err *e)
{
	struct pg_params p = { 0 };
	unsigned char raw[TOKEN_BYTES];
	char hex[2 * TOKEN_BYTES + 1];
	size_t i;
	int rc;

	if ((rc = pg_token_get(impl, contact_id, out, e)) != LG_OK || *out ||
	    !create)
		return rc;
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return err_set(e, LG_ETEMP, "no random bytes for a token: %s",
		    strerror(errno));
	for (i = 0; i < TOKEN_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	pgp_text(&p, hex);
	pgp_int(&p, contact_id);
	/* Only where none is set: two writers cannot give two tokens. */
	if ((rc = pg_query(impl, "UPDATE contacts SET unsub_token=$1 WHERE "
	    "id=$2 AND unsub_token IS NULL", &p, NULL, "unsubscribe token",
	    e)) != LG_OK)
		return rc;
	return pg_token_get(impl, contact_id, out, e);
}

int
pg_contact_by_unsub_token(void *impl, const char *token, int64_t *contact_id,
    struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	*contact_id = 0;
	pgp_text(&p, token);
	if ((rc = pg_query(impl, "SELECT id FROM contacts WHERE unsub_token=$1",
	    &p, &r, "unsubscribe token", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "no contact has the unsubscribe "
		    "token '%.64s'", token);
	}
	*contact_id = pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

/* Bounces */

int
pg_bounce_add(void *impl, const struct new_bounce *b, int64_t *id,
    struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	PGresult *r;
	int rc;

	pg_now(now, sizeof(now));
	pgp_text(&p, now);
	pgp_text(&p, b->report_key);
	pgp_int(&p, b->outgoing_id);
	pgp_text(&p, b->address);
	pgp_text(&p, b->kind);
	pgp_text(&p, b->action);
	pgp_text(&p, b->status);
	pgp_text(&p, b->diagnostic);
	pgp_text(&p, b->reporter);
	rc = pg_query(impl, "INSERT INTO bounces (at, report_key, outgoing_id, "
	    "address, kind, action, status, diagnostic, reporter) VALUES ($1,"
	    "$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id", &p, &r, "bounce", e);
	if (rc == LG_EEXIST)
		return err_set(e, LG_EEXIST, "message %lld has a %s report (%s) "
		    "already", (long long)b->outgoing_id, b->kind, b->action);
	if (rc != LG_OK)
		return rc;
	if (id != NULL)
		*id = pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

int
pg_bounce_soft_count(void *impl, const char *address, const char *since,
    long *n, struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	*n = 0;
	pgp_text(&p, address);
	pgp_text(&p, since);
	/* Messages, not reports: two reports of one message count once. */
	if ((rc = pg_query(impl, "SELECT count(DISTINCT outgoing_id) FROM "
	    "bounces WHERE address=$1 AND kind='soft' AND at>=$2", &p, &r,
	    "bounces", e)) != LG_OK)
		return rc;
	*n = (long)pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}
