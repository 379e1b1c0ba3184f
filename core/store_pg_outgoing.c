/*
 * Outgoing mail and the suppression list in PostgreSQL: the same rows
 * and answers as store_sqlite_outgoing.c.
 */
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "core/store_pg.h"
#include "util/xmalloc.h"

#define OUT_COLS \
    "id, dedup_key, lead_id, contact_id, template, rule, campaign_id, " \
    "sender, rcpt, spool_name, state, attempts, next_attempt, last_reply, " \
    "advance_pipeline, advance_phase, created_at, updated_at, sent_at, " \
    "message_id, subject, inflight, unconfirmed, inflight_boot, wire, " \
    "owner, claim_until"

/* A paused campaign's mail is not due (it waits, queued, until resumed). */
#define OUT_NOT_PAUSED "(campaign_id IS NULL OR campaign_id NOT IN " \
    "(SELECT id FROM campaigns WHERE paused_at IS NOT NULL))"

static void
pg_out_read(const PGresult *r, int i, struct outgoing *o)
{
	o->id = pg_int(r, i, 0);
	o->dedup_key = pg_text(r, i, 1);
	o->lead_id = pg_int(r, i, 2);
	o->contact_id = pg_int(r, i, 3);
	o->template = pg_text(r, i, 4);
	o->rule = pg_text(r, i, 5);
	o->campaign_id = pg_int(r, i, 6);
	o->sender = pg_text(r, i, 7);
	o->rcpt = pg_text(r, i, 8);
	o->spool_name = pg_text(r, i, 9);
	if (outgoing_state_parse(PQgetvalue(r, i, 10), &o->state) != 0)
		o->state = OUT_FAILED;	/* the CHECK constraint forbids it */
	o->attempts = (int)pg_int(r, i, 11);
	o->next_attempt = pg_int(r, i, 12);
	o->last_reply = pg_text(r, i, 13);
	o->advance_pipeline = pg_text(r, i, 14);
	o->advance_phase = (int)pg_int(r, i, 15);
	o->created_at = pg_text(r, i, 16);
	o->updated_at = pg_text(r, i, 17);
	o->sent_at = pg_text(r, i, 18);
	o->message_id = pg_text(r, i, 19);
	o->subject = pg_text(r, i, 20);
	o->inflight = pg_int(r, i, 21);
	o->unconfirmed = (int)pg_int(r, i, 22);
	o->inflight_boot = pg_text(r, i, 23);
	o->wire = (int)pg_int(r, i, 24);
	o->owner = pg_text(r, i, 25);
	o->claim_until = pg_int(r, i, 26);
}

int
pg_outgoing_insert(void *impl, struct outgoing *o, struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	PGresult *r;
	int rc;

	pg_now(now, sizeof(now));
	pgp_text(&p, o->dedup_key);
	pgp_id(&p, o->lead_id);
	pgp_id(&p, o->contact_id);
	pgp_text(&p, o->template);
	pgp_text(&p, o->rule);
	pgp_id(&p, o->campaign_id);
	pgp_text(&p, o->sender ? o->sender : "");
	pgp_text(&p, o->rcpt);
	pgp_text(&p, o->spool_name);
	pgp_text(&p, outgoing_state_name(o->state));
	pgp_int(&p, o->attempts);
	pgp_int(&p, o->next_attempt);
	pgp_text(&p, o->last_reply);
	pgp_text(&p, o->advance_pipeline);
	pgp_id(&p, o->advance_phase);
	pgp_text(&p, now);
	pgp_text(&p, now);
	pgp_text(&p, o->message_id);
	pgp_text(&p, o->subject);
	rc = pg_query(impl, "INSERT INTO outgoing (dedup_key, lead_id, "
	    "contact_id, template, rule, campaign_id, sender, rcpt, spool_name, "
	    "state, attempts, next_attempt, last_reply, advance_pipeline, "
	    "advance_phase, created_at, updated_at, message_id, subject) "
	    "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,"
	    "$17,$18,$19) RETURNING id", &p, &r, "outgoing", e);
	if (rc == LG_EEXIST)
		return err_set(e, LG_EEXIST, "outgoing message '%s' is already "
		    "queued", o->dedup_key);
	if (rc != LG_OK)
		return rc;
	o->id = pg_int(r, 0, 0);
	PQclear(r);
	xstrset(&o->created_at, now);
	xstrset(&o->updated_at, now);
	return LG_OK;
}

int
pg_outgoing_update(void *impl, struct outgoing *o, struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	int64_t n;
	int rc;

	pg_now(now, sizeof(now));
	pgp_text(&p, o->spool_name);
	pgp_text(&p, outgoing_state_name(o->state));
	pgp_int(&p, o->attempts);
	pgp_int(&p, o->next_attempt);
	pgp_text(&p, o->last_reply);
	pgp_text(&p, o->sent_at);
	pgp_text(&p, now);
	pgp_text(&p, o->sender ? o->sender : "");
	pgp_int(&p, o->inflight);
	pgp_int(&p, o->unconfirmed);
	pgp_text(&p, o->inflight_boot);
	pgp_int(&p, o->wire);
	pgp_int(&p, o->id);
	if ((rc = pg_change(impl, "UPDATE outgoing SET spool_name=$1, "
	    "state=$2, attempts=$3, next_attempt=$4, last_reply=$5, "
	    "sent_at=$6, updated_at=$7, sender=$8, inflight=$9, "
	    "unconfirmed=$10, inflight_boot=$11, wire=$12 WHERE id=$13", &p, &n,
	    "outgoing", e)) != LG_OK)
		return rc;
	if (n == 0)
		return err_set(e, LG_ENOENT, "no outgoing message %lld",
		    (long long)o->id);
	xstrset(&o->updated_at, now);
	return LG_OK;
}

int
pg_outgoing_inflight(void *impl, int64_t id, int64_t at, const char *boot,
    struct err *e)
{
	struct pg_params p = { 0 };

	pgp_int(&p, id);
	pgp_int(&p, at);
	pgp_text(&p, at != 0 ? boot : NULL);
	return pg_query(impl, "UPDATE outgoing SET inflight=$2, "
	    "inflight_boot=$3, wire=0 WHERE id=$1 AND state IN "
	    "('queued','deferred')", &p, NULL, "outgoing", e);
}

int
pg_outgoing_wire(void *impl, int64_t id, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_int(&p, id);
	return pg_query(impl, "UPDATE outgoing SET wire=1 WHERE id=$1 AND "
	    "inflight <> 0", &p, NULL, "outgoing", e);
}

/* The first row of a query, or LG_ENOENT with why. */
static int
pg_out_one(struct pg *q, const char *sql, const struct pg_params *p,
    struct outgoing **out, const char *why, struct err *e)
{
	PGresult *r;
	int rc;

	if ((rc = pg_query(q, sql, p, &r, "outgoing", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "%s", why);
	}
	*out = outgoing_new();
	pg_out_read(r, 0, *out);
	PQclear(r);
	return LG_OK;
}

int
pg_outgoing_get(void *impl, int64_t id, struct outgoing **out, struct err *e)
{
	struct pg_params p = { 0 };
	char why[64];

	pgp_int(&p, id);
	snprintf(why, sizeof(why), "no outgoing message %lld", (long long)id);
	return pg_out_one(impl, "SELECT " OUT_COLS " FROM outgoing WHERE id=$1",
	    &p, out, why, e);
}

int
pg_outgoing_by_message_id(void *impl, const char *message_id,
    struct outgoing **out, struct err *e)
{
	struct pg_params p = { 0 };
	char why[300];

	*out = NULL;
	pgp_text(&p, message_id);
	snprintf(why, sizeof(why), "no outgoing message has the Message-ID "
	    "<%s>", message_id);
	return pg_out_one(impl, "SELECT " OUT_COLS " FROM outgoing WHERE "
	    "message_id=$1 ORDER BY id LIMIT 1", &p, out, why, e);
}

static int
pg_out_rows(struct pg *q, const char *sql, const struct pg_params *p,
    struct outgoing **out, size_t *n, struct err *e)
{
	struct outgoing *v;
	PGresult *r;
	int i, rc, cnt;

	if ((rc = pg_query(q, sql, p, &r, "outgoing", e)) != LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++)
		pg_out_read(r, i, &v[i]);
	PQclear(r);
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}

int
pg_outgoing_to_contact(void *impl, int64_t contact_id,
    struct outgoing **out, size_t *n, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_int(&p, contact_id);
	return pg_out_rows(impl, "SELECT " OUT_COLS " FROM outgoing WHERE "
	    "contact_id=$1 ORDER BY id", &p, out, n, e);
}

/* $1 is a bit set over the states in enum order; 0 selects every row. */
int
pg_outgoing_list(void *impl, unsigned states, struct outgoing **out,
    size_t *n, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_int(&p, (int64_t)states);
	return pg_out_rows(impl, "SELECT " OUT_COLS " FROM outgoing WHERE "
	    "$1::bigint = 0 OR (($1::bigint >> (CASE state WHEN 'queued' THEN 0 "
	    "WHEN 'deferred' THEN 1 WHEN 'sent' THEN 2 WHEN 'failed' THEN 3 "
	    "WHEN 'cancelled' THEN 4 ELSE 5 END)) & 1) = 1 ORDER BY id", &p,
	    out, n, e);
}

int
pg_outgoing_due(void *impl, int64_t now, int64_t after, size_t limit,
    struct outgoing **out, size_t *n, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_int(&p, now);
	pgp_int(&p, after);
	pgp_int(&p, (int64_t)limit);
	return pg_out_rows(impl, "SELECT " OUT_COLS " FROM outgoing WHERE "
	    "state IN ('queued','deferred') AND next_attempt <= $1 AND id > $2 "
	    "AND " OUT_NOT_PAUSED " ORDER BY id LIMIT $3", &p, out, n, e);
}

static int
pg_out_byid(const void *a, const void *b)
{
	const struct outgoing *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/*
 * Rows locked by another instance's claim (or recovery) not yet
 * committed are skipped, not waited for: each instance gets rows of its
 * own. RETURNING gives no order: sorted here.
 */
int
pg_outgoing_claim(void *impl, const char *owner, int64_t now, int64_t until,
    int campaigns, int64_t after, size_t limit, struct outgoing **out,
    size_t *n, struct err *e)
{
	struct pg_params p = { 0 };
	int rc;

	pgp_text(&p, owner);
	pgp_int(&p, now);
	pgp_int(&p, until);
	pgp_int(&p, campaigns != 0);
	pgp_int(&p, after);
	pgp_int(&p, (int64_t)limit);
	rc = pg_out_rows(impl, "UPDATE outgoing SET owner = $1, claim_until = "
	    "$3 WHERE id IN (SELECT id FROM outgoing WHERE state IN "
	    "('queued','deferred') AND inflight = 0 AND next_attempt <= $2 AND "
	    "id > $5 AND (owner IS NULL OR owner = $1 OR claim_until <= $2) AND "
	    "($4::int <> 0 OR campaign_id IS NULL) AND " OUT_NOT_PAUSED
	    " ORDER BY id LIMIT $6 FOR UPDATE SKIP LOCKED) RETURNING " OUT_COLS,
	    &p, out, n, e);
	if (rc == LG_OK && *n > 1)
		qsort(*out, *n, sizeof(**out), pg_out_byid);
	return rc;
}

int
pg_outgoing_claim_renew(void *impl, const char *owner, int64_t now,
    int64_t until, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_text(&p, owner);
	pgp_int(&p, now);
	pgp_int(&p, until);
	return pg_query(impl, "UPDATE outgoing SET claim_until = $3 WHERE "
	    "owner = $1 AND state IN ('queued','deferred') AND (inflight <> 0 "
	    "OR claim_until > $2)", &p, NULL, "outgoing claims", e);
}

int
pg_outgoing_orphans(void *impl, const char *owner, int64_t now,
    struct outgoing **out, size_t *n, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_text(&p, owner);
	pgp_int(&p, now);
	return pg_out_rows(impl, "SELECT " OUT_COLS " FROM outgoing WHERE "
	    "inflight <> 0 AND state IN ('queued','deferred') AND (owner IS "
	    "NULL OR owner = $1 OR claim_until <= $2) ORDER BY id FOR UPDATE "
	    "SKIP LOCKED", &p, out, n, e);
}

int
pg_outgoing_body_put(void *impl, int64_t id, const char *msg, size_t len,
    struct err *e)
{
	struct pg_params p = { 0 };

	pgp_int(&p, id);
	pgp_bytes(&p, len ? msg : "", len);
	return pg_query(impl, "INSERT INTO outgoing_bodies (id, body) VALUES "
	    "($1, $2) ON CONFLICT (id) DO UPDATE SET body = excluded.body", &p,
	    NULL, "outgoing body", e);
}

int
pg_outgoing_body_get(void *impl, int64_t id, char **msg, size_t *len,
    struct err *e)
{
	struct pg_params p = { 0 };
	unsigned char *raw;
	size_t n = 0;
	PGresult *r;
	int rc;

	*msg = NULL;
	*len = 0;
	pgp_int(&p, id);
	if ((rc = pg_query(impl, "SELECT body FROM outgoing_bodies WHERE id = "
	    "$1", &p, &r, "outgoing body", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "no text of outgoing message %lld "
		    "in the store", (long long)id);
	}
	/* Text format: bytea comes as \x hex, undone here. */
	raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 0), &n);
	PQclear(r);
	if (raw == NULL)
		return err_set(e, LG_ETEMP, "outgoing body %lld: out of memory",
		    (long long)id);
	*msg = xmalloc(n + 1);
	memcpy(*msg, raw, n);
	(*msg)[n] = '\0';
	*len = n;
	PQfreemem(raw);
	return LG_OK;
}

int
pg_outgoing_body_drop(void *impl, int64_t id, long *n, struct err *e)
{
	struct pg_params p = { 0 };
	int64_t k = 0;
	int rc;

	*n = 0;
	pgp_int(&p, id);
	/* Driven by the texts (few), not by the sent rows (many). */
	rc = pg_change(impl, "DELETE FROM outgoing_bodies WHERE id = $1 OR "
	    "($1 = 0 AND EXISTS (SELECT 1 FROM outgoing o WHERE o.id = "
	    "outgoing_bodies.id AND o.state = 'sent'))",
	    &p, &k, "outgoing body", e);
	*n = (long)k;
	return rc;
}

int
pg_outgoing_in_flight(void *impl, struct outgoing **out, size_t *n,
    struct err *e)
{
	return pg_out_rows(impl, "SELECT " OUT_COLS " FROM outgoing WHERE "
	    "inflight <> 0 AND state IN ('queued','deferred') ORDER BY id", NULL,
	    out, n, e);
}

int
pg_outgoing_next_due(void *impl, int64_t *when, struct err *e)
{
	PGresult *r;
	int rc;

	if ((rc = pg_query(impl, "SELECT min(next_attempt) FROM outgoing "
	    "WHERE state IN ('queued','deferred') AND " OUT_NOT_PAUSED, NULL,
	    &r, "outgoing", e)) !=
	    LG_OK)
		return rc;
	rc = pg_isnull(r, 0, 0) ? LG_ENOENT : LG_OK;
	if (rc == LG_OK)
		*when = pg_int(r, 0, 0);
	PQclear(r);
	return rc;
}

int
pg_outgoing_counts(void *impl, long counts[OUT_NSTATES], struct err *e)
{
	enum outgoing_state st;
	PGresult *r;
	int i, rc;

	memset(counts, 0, sizeof(long) * OUT_NSTATES);
	if ((rc = pg_query(impl, "SELECT state, count(*) FROM outgoing GROUP "
	    "BY state", NULL, &r, "outgoing", e)) != LG_OK)
		return rc;
	for (i = 0; i < PQntuples(r); i++)
		if (outgoing_state_parse(PQgetvalue(r, i, 0), &st) == 0)
			counts[st] = (long)pg_int(r, i, 1);
	PQclear(r);
	return LG_OK;
}

int
pg_outgoing_set_class(void *impl, int64_t id, enum smtpfail_class cls,
    struct err *e)
{
	struct pg_params p = { 0 };
	int64_t n;
	int rc;

	pgp_text(&p, cls == SF_NONE ? NULL : smtpfail_class_name(cls));
	pgp_int(&p, id);
	if ((rc = pg_change(impl, "UPDATE outgoing SET fail_class=$1 WHERE "
	    "id=$2", &p, &n, "outgoing", e)) != LG_OK)
		return rc;
	if (n == 0)
		return err_set(e, LG_ENOENT, "no outgoing message %lld",
		    (long long)id);
	return LG_OK;
}

int
pg_outgoing_class_counts(void *impl, long counts[SF_NCLASSES], struct err *e)
{
	enum smtpfail_class c;
	PGresult *r;
	int i, rc;

	memset(counts, 0, sizeof(long) * SF_NCLASSES);
	if ((rc = pg_query(impl, "SELECT fail_class, count(*) FROM outgoing "
	    "WHERE fail_class IS NOT NULL GROUP BY fail_class", NULL, &r,
	    "outgoing", e)) != LG_OK)
		return rc;
	for (i = 0; i < PQntuples(r); i++)
		if (smtpfail_class_parse(PQgetvalue(r, i, 0), &c) == 0)
			counts[c] = (long)pg_int(r, i, 1);
	PQclear(r);
	return LG_OK;
}

int
pg_outgoing_sent_since(void *impl, int campaign_only, const char *since_iso,
    long *n, struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	*n = 0;
	pgp_text(&p, since_iso);
	pgp_int(&p, campaign_only != 0);
	if ((rc = pg_query(impl, "SELECT count(*) FROM outgoing WHERE state = "
	    "'sent' AND sent_at >= $1 AND ($2::int = 0 OR campaign_id IS NOT "
	    "NULL)", &p, &r, "outgoing sent", e)) != LG_OK)
		return rc;
	*n = (long)pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

int
pg_outgoing_spool_count(void *impl, const char *name, int64_t lo, int64_t hi,
    long *rows, long *unsent, struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	*rows = *unsent = 0;
	pgp_text(&p, name);
	pgp_int(&p, lo);
	pgp_int(&p, hi);
	if ((rc = pg_query(impl, "SELECT count(*), count(*) FILTER (WHERE "
	    "state <> 'sent') FROM outgoing WHERE id BETWEEN $2 AND $3 AND "
	    "spool_name = $1", &p, &r, "outgoing spool files", e)) != LG_OK)
		return rc;
	*rows = (long)pg_int(r, 0, 0);
	*unsent = (long)pg_int(r, 0, 1);
	PQclear(r);
	return LG_OK;
}

int
pg_suppression_add(void *impl, const char *address, const char *reason,
    struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];

	pg_now(now, sizeof(now));
	pgp_text(&p, address);
	pgp_text(&p, reason);
	pgp_text(&p, now);
	return pg_query(impl, "INSERT INTO suppression (address, reason, at) "
	    "VALUES ($1,$2,$3) ON CONFLICT (address) DO NOTHING", &p, NULL,
	    "suppression", e);
}

int
pg_suppression_get(void *impl, const char *address, char **reason,
    struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	*reason = NULL;
	pgp_text(&p, address);
	/* An erased contact's address is there by its hash only. */
	if ((rc = pg_query(impl, "SELECT reason FROM suppression WHERE "
	    "address IN ($1, " PG_SUPPRESSION_KEY("$1") ") LIMIT 1", &p, &r,
	    "suppression", e)) != LG_OK)
		return rc;
	rc = PQntuples(r) > 0 ? LG_OK : LG_ENOENT;
	if (rc == LG_OK)
		*reason = pg_text(r, 0, 0);
	PQclear(r);
	return rc;
}

int
pg_suppression_list(void *impl, struct suppression_row **out, size_t *n,
    struct err *e)
{
	struct suppression_row *v;
	PGresult *r;
	int i, rc, cnt;

	if ((rc = pg_query(impl, "SELECT address, reason, at FROM suppression "
	    "ORDER BY at COLLATE \"C\", address COLLATE \"C\"", NULL, &r,
	    "suppression", e)) != LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++) {
		v[i].address = pg_text(r, i, 0);
		v[i].reason = pg_text(r, i, 1);
		v[i].at = pg_text(r, i, 2);
	}
	PQclear(r);
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}

/*
 * Transactions here run concurrently: a recovery would see the spool
 * file of a transaction not yet committed as a leftover and remove it.
 * An advisory lock held to the transaction's end keeps them apart.
 */
int
pg_spool_guard(void *impl, int exclusive, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_int(&p, PG_SPOOL_LOCK);
	return pg_query(impl, exclusive ? "SELECT pg_advisory_xact_lock($1)" :
	    "SELECT pg_advisory_xact_lock_shared($1)", &p, NULL, "spool guard",
	    e);
}
