/*
 * Ingest in PostgreSQL: connector state, inquiry keys, the quarantine,
 * the rows of the mail kept and mail folder state; the same rows and
 * answers as store_sqlite_ingest.c, _state.c, _archive.c and _mailbox.c.
 * The quarantine's raw bytes travel as bytea in hex text form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/clock.h"
#include "core/store_pg.h"
#include "util/xmalloc.h"

/* Connector state */

int
pg_state_get(void *impl, const char *connector, const char *key,
    char **value, struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	*value = NULL;
	pgp_text(&p, connector);
	pgp_text(&p, key);
	if ((rc = pg_query(impl, "SELECT value FROM connector_state WHERE "
	    "connector=$1 AND key=$2", &p, &r, "connector state", e)) != LG_OK)
		return rc;
	if (PQntuples(r) > 0)
		*value = pg_text(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

int
pg_state_set(void *impl, const char *connector, const char *key,
    const char *value, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_text(&p, connector);
	pgp_text(&p, key);
	if (value == NULL)
		return pg_query(impl, "DELETE FROM connector_state WHERE "
		    "connector=$1 AND key=$2", &p, NULL, "connector state", e);
	pgp_text(&p, value);
	return pg_query(impl, "INSERT INTO connector_state (connector, key, "
	    "value) VALUES ($1,$2,$3) ON CONFLICT (connector, key) DO UPDATE "
	    "SET value=excluded.value", &p, NULL, "connector state", e);
}

/* Inquiries */

#define INQ_COLS "id, key, connector, sender, lead_id, contact_id, " \
    "quarantine_id, rule, decision, received_at"

static void
inq_row(const PGresult *r, int i, struct inquiry_row *v)
{
	v->id = pg_int(r, i, 0);
	v->key = pg_text(r, i, 1);
	v->connector = pg_text(r, i, 2);
	v->sender = pg_text(r, i, 3);
	v->lead_id = pg_int(r, i, 4);
	v->contact_id = pg_int(r, i, 5);
	v->quarantine_id = pg_int(r, i, 6);
	v->rule = pg_text(r, i, 7);
	v->decision = pg_text(r, i, 8);
	v->received_at = pg_text(r, i, 9);
}

int
pg_inquiry_find(void *impl, const char *key, struct inquiry_row **out,
    struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pgp_text(&p, key);
	if ((rc = pg_query(impl, "SELECT " INQ_COLS " FROM inquiries WHERE "
	    "key=$1", &p, &r, "find inquiry", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "no inquiry with key %s", key);
	}
	*out = xcalloc(1, sizeof(**out));
	inq_row(r, 0, *out);
	PQclear(r);
	return LG_OK;
}

int
pg_inquiry_add(void *impl, const struct new_inquiry *v, int64_t *id,
    struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	PGresult *r;
	int rc;

	pg_now(now, sizeof(now));
	pgp_text(&p, v->key);
	pgp_text(&p, v->connector);
	pgp_text(&p, v->sender);
	pgp_id(&p, v->lead_id);
	pgp_id(&p, v->contact_id);
	pgp_id(&p, v->quarantine_id);
	pgp_text(&p, v->rule);
	pgp_text(&p, v->decision);
	pgp_text(&p, now);
	if ((rc = pg_query(impl, "INSERT INTO inquiries (key, connector, "
	    "sender, lead_id, contact_id, quarantine_id, rule, decision, "
	    "received_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id", &p,
	    &r, "add inquiry", e)) != LG_OK)
		return rc;
	if (id != NULL)
		*id = pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

int
pg_inquiry_delete(void *impl, int64_t id, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_int(&p, id);
	return pg_query(impl, "DELETE FROM inquiries WHERE id=$1", &p, NULL,
	    "delete inquiry", e);
}

/* One count(*) with text parameters, into *n. */
static int
pg_count(struct pg *q, const char *sql, const struct pg_params *p, long *n,
    const char *what, struct err *e)
{
	PGresult *r;
	int rc;

	*n = 0;
	if ((rc = pg_query(q, sql, p, &r, what, e)) != LG_OK)
		return rc;
	*n = (long)pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

int
pg_inquiry_count_from(void *impl, const char *sender, const char *since,
    long *n, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_text(&p, sender);
	pgp_text(&p, since);
	return pg_count(impl, "SELECT count(*) FROM inquiries WHERE sender=$1 "
	    "AND received_at>=$2", &p, n, "count inquiries", e);
}

int
pg_inquiries_of_lead(void *impl, int64_t lead_id, struct inquiry_row **out,
    size_t *n, struct err *e)
{
	struct pg_params p = { 0 };
	struct inquiry_row *v;
	PGresult *r;
	int i, rc, cnt;

	pgp_int(&p, lead_id);
	if ((rc = pg_query(impl, "SELECT " INQ_COLS " FROM inquiries WHERE "
	    "lead_id=$1 ORDER BY id", &p, &r, "inquiries of lead", e)) != LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++)
		inq_row(r, i, &v[i]);
	PQclear(r);
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}

int
pg_outgoing_recent(void *impl, const char *rcpt, const char *rule,
    const char *since, long *n, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_text(&p, rcpt);
	pgp_text(&p, rule);
	pgp_text(&p, since);
	return pg_count(impl, "SELECT count(*) FROM outgoing WHERE rcpt=$1 AND "
	    "rule=$2 AND created_at>=$3 AND state <> 'cancelled'", &p, n,
	    "recent outgoing", e);
}

/* Quarantine */

#define QUAR_COLS "id, at, connector, kind, inquiry_key, reason, location, " \
    "state, meta"

/* bytea's hex input form, \x and two digits a byte. */
static char *
pg_hex(const char *raw, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char *s = xmalloc(2 * len + 3), *o = s;
	size_t i;

	*o++ = '\\';
	*o++ = 'x';
	for (i = 0; i < len; i++) {
		*o++ = digits[(unsigned char)raw[i] >> 4];
		*o++ = digits[(unsigned char)raw[i] & 15];
	}
	*o = '\0';
	return s;
}

int
pg_quarantine_add(void *impl, const struct new_quarantine *v, int64_t *id,
    struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN], *hex;
	PGresult *r;
	int rc;

	pg_now(now, sizeof(now));
	hex = pg_hex(v->raw ? v->raw : "", v->raw ? v->rawlen : 0);
	pgp_text(&p, now);
	pgp_text(&p, v->connector);
	pgp_text(&p, v->kind ? v->kind : "mail");
	pgp_text(&p, v->inquiry_key);
	pgp_text(&p, v->reason);
	pgp_text(&p, v->location);
	pgp_text(&p, hex);
	pgp_text(&p, v->meta ? v->meta : "{}");
	rc = pg_query(impl, "INSERT INTO quarantine (at, connector, kind, "
	    "inquiry_key, reason, location, raw, meta) VALUES ($1,$2,$3,$4,$5,"
	    "$6,$7::bytea,$8) RETURNING id", &p, &r, "quarantine", e);
	free(hex);
	if (rc != LG_OK)
		return rc;
	if (id != NULL)
		*id = pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

static void
quar_row(const PGresult *r, int i, struct quarantine_row *v)
{
	v->id = pg_int(r, i, 0);
	v->at = pg_text(r, i, 1);
	v->connector = pg_text(r, i, 2);
	v->kind = pg_text(r, i, 3);
	v->inquiry_key = pg_text(r, i, 4);
	v->reason = pg_text(r, i, 5);
	v->location = pg_text(r, i, 6);
	v->state = pg_text(r, i, 7);
	v->meta = pg_text(r, i, 8);
}

int
pg_quarantine_get(void *impl, int64_t id, struct quarantine_row **out,
    struct err *e)
{
	struct pg_params p = { 0 };
	struct quarantine_row *v;
	unsigned char *raw;
	size_t len = 0;
	PGresult *r;
	int rc;

	pgp_int(&p, id);
	if ((rc = pg_query(impl, "SELECT " QUAR_COLS ", raw FROM quarantine "
	    "WHERE id=$1", &p, &r, "quarantine", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "nothing in quarantine with id "
		    "%lld", (long long)id);
	}
	raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 9),
	    &len);
	if (raw == NULL) {
		PQclear(r);
		return err_set(e, LG_ETEMP, "quarantine %lld: out of memory",
		    (long long)id);
	}
	v = xcalloc(1, sizeof(*v));
	quar_row(r, 0, v);
	PQclear(r);
	v->rawlen = len;
	v->raw = xmalloc(len + 1);
	if (len)
		memcpy(v->raw, raw, len);
	v->raw[len] = '\0';
	PQfreemem(raw);
	*out = v;
	return LG_OK;
}

int
pg_quarantine_list(void *impl, const char *state,
    struct quarantine_row **out, size_t *n, struct err *e)
{
	struct pg_params p = { 0 };
	struct quarantine_row *v;
	PGresult *r;
	int i, rc, cnt;

	pgp_text(&p, state);
	if ((rc = pg_query(impl, "SELECT " QUAR_COLS ", length(raw) FROM "
	    "quarantine WHERE $1::text IS NULL OR state=$1 ORDER BY id", &p,
	    &r, "quarantine", e)) != LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++) {
		quar_row(r, i, &v[i]);
		v[i].rawlen = (size_t)pg_int(r, i, 9);
	}
	PQclear(r);
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}

int
pg_quarantine_set_state(void *impl, int64_t id, const char *state,
    struct err *e)
{
	struct pg_params p = { 0 };
	int64_t n;
	int rc;

	pgp_text(&p, state);
	pgp_int(&p, id);
	if ((rc = pg_change(impl, "UPDATE quarantine SET state=$1 WHERE id=$2",
	    &p, &n, "quarantine state", e)) != LG_OK)
		return rc;
	if (n == 0)
		return err_set(e, LG_ENOENT, "nothing in quarantine with id "
		    "%lld", (long long)id);
	return LG_OK;
}

/* The mail kept */

#define MAIL_COLS "id, received_at, kind, connector, lead_id, contact_id, " \
    "inquiry_id, from_addr, subject, message_id, size, sha256"

static void
mail_row(const PGresult *r, int i, struct mail_row *v)
{
	v->id = pg_int(r, i, 0);
	v->received_at = pg_text(r, i, 1);
	v->kind = pg_text(r, i, 2);
	v->connector = pg_text(r, i, 3);
	v->lead_id = pg_int(r, i, 4);
	v->contact_id = pg_int(r, i, 5);
	v->inquiry_id = pg_int(r, i, 6);
	v->from = pg_text(r, i, 7);
	v->subject = pg_text(r, i, 8);
	v->message_id = pg_text(r, i, 9);
	v->size = pg_int(r, i, 10);
	v->sha256 = pg_text(r, i, 11);
}

int
pg_mail_add(void *impl, const struct new_mail_row *m, int64_t *id,
    struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	PGresult *r;
	int rc;

	pg_now(now, sizeof(now));
	pgp_text(&p, now);
	pgp_text(&p, m->kind ? m->kind : "mail");
	pgp_text(&p, m->connector);
	pgp_id(&p, m->lead_id);
	pgp_id(&p, m->contact_id);
	pgp_id(&p, m->inquiry_id);
	pgp_text(&p, m->from);
	pgp_text(&p, m->subject);
	pgp_text(&p, m->message_id);
	pgp_int(&p, m->size);
	pgp_text(&p, m->sha256);
	if ((rc = pg_query(impl, "INSERT INTO archive_mails (received_at, "
	    "kind, connector, lead_id, contact_id, inquiry_id, from_addr, "
	    "subject, message_id, size, sha256) VALUES ($1,$2,$3,$4,$5,$6,$7,"
	    "$8,$9,$10,$11) RETURNING id", &p, &r, "keep mail", e)) != LG_OK)
		return rc;
	if (id != NULL)
		*id = pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

int
pg_mail_get(void *impl, int64_t id, struct mail_row **out, struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pgp_int(&p, id);
	if ((rc = pg_query(impl, "SELECT " MAIL_COLS " FROM archive_mails "
	    "WHERE id=$1", &p, &r, "kept mail", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "no mail with id %lld",
		    (long long)id);
	}
	*out = xcalloc(1, sizeof(**out));
	mail_row(r, 0, *out);
	PQclear(r);
	return LG_OK;
}

int
pg_mails_of_lead(void *impl, int64_t lead_id, struct mail_row **out,
    size_t *n, struct err *e)
{
	struct pg_params p = { 0 };
	struct mail_row *v;
	PGresult *r;
	int i, rc, cnt;

	pgp_int(&p, lead_id);
	if ((rc = pg_query(impl, "SELECT " MAIL_COLS " FROM archive_mails "
	    "WHERE lead_id=$1 ORDER BY id", &p, &r, "mails of lead", e)) !=
	    LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++)
		mail_row(r, i, &v[i]);
	PQclear(r);
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}

int
pg_mail_expire(void *impl, const char *before, long *n, struct err *e)
{
	struct pg_params p = { 0 };
	int64_t changed = 0;
	int rc;

	pgp_text(&p, before);
	rc = pg_change(impl, "DELETE FROM archive_mails WHERE received_at<$1",
	    &p, &changed, "expire kept mail", e);
	*n = (long)changed;
	return rc;
}

/* LG_OK when a row names the file, LG_ENOENT (no message) when none. */
static int
pg_exists(struct pg *q, const char *sql, const struct pg_params *p,
    const char *what, struct err *e)
{
	PGresult *r;
	int rc;

	if ((rc = pg_query(q, sql, p, &r, what, e)) != LG_OK)
		return rc;
	rc = PQntuples(r) > 0 ? LG_OK : LG_ENOENT;
	PQclear(r);
	return rc;
}

int
pg_mail_sha_used(void *impl, const char *sha256, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_text(&p, sha256);
	return pg_exists(impl, "SELECT 1 FROM archive_mails WHERE sha256=$1 "
	    "LIMIT 1", &p, "kept mail", e);
}

/* Mail folders */

static void
mbox_params(struct pg_params *p, const char *connector, const char *folder,
    uint32_t uidvalidity)
{
	pgp_text(p, connector);
	pgp_text(p, folder);
	pgp_int(p, uidvalidity);
}

int
pg_mailbox_uidvalidity_get(void *impl, const char *connector,
    const char *folder, uint32_t *out, struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pgp_text(&p, connector);
	pgp_text(&p, folder);
	if ((rc = pg_query(impl, "SELECT uidvalidity FROM mailbox_state WHERE "
	    "connector=$1 AND folder=$2", &p, &r, "mailbox state", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "folder %s of %s was never polled",
		    folder, connector);
	}
	*out = (uint32_t)pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

int
pg_mailbox_uidvalidity_set(void *impl, const char *connector,
    const char *folder, uint32_t uidvalidity, struct err *e)
{
	struct pg_params p = { 0 };

	mbox_params(&p, connector, folder, uidvalidity);
	return pg_query(impl, "INSERT INTO mailbox_state (connector, folder, "
	    "uidvalidity) VALUES ($1,$2,$3) ON CONFLICT (connector, folder) DO "
	    "UPDATE SET uidvalidity=excluded.uidvalidity", &p, NULL,
	    "mailbox state", e);
}

int
pg_mailbox_uid_handled(void *impl, const char *connector, const char *folder,
    uint32_t uidvalidity, uint32_t uid, struct err *e)
{
	struct pg_params p = { 0 };

	mbox_params(&p, connector, folder, uidvalidity);
	pgp_int(&p, uid);
	return pg_exists(impl, "SELECT 1 FROM mailbox_uids WHERE connector=$1 "
	    "AND folder=$2 AND uidvalidity=$3 AND uid=$4", &p, "mailbox uids",
	    e);
}

/* The UIDs as one array parameter ({1,2,3}). */
static char *
pg_uid_array(const uint32_t *uids, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_addc(&b, '{');
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%u", i ? "," : "", (unsigned)uids[i]);
	buf_addc(&b, '}');
	return buf_detach(&b);
}

/* One statement each: atomic without a transaction of our own. */
int
pg_mailbox_uids_add(void *impl, const char *connector, const char *folder,
    uint32_t uidvalidity, const uint32_t *uids, size_t n, struct err *e)
{
	struct pg_params p = { 0 };
	char *arr;
	int rc;

	if (n == 0)
		return LG_OK;
	arr = pg_uid_array(uids, n);
	mbox_params(&p, connector, folder, uidvalidity);
	pgp_text(&p, arr);
	rc = pg_query(impl, "INSERT INTO mailbox_uids (connector, folder, "
	    "uidvalidity, uid) SELECT $1, $2, $3, u FROM unnest($4::bigint[]) "
	    "u ON CONFLICT DO NOTHING", &p, NULL, "mailbox uids", e);
	free(arr);
	return rc;
}

int
pg_mailbox_uids_prune(void *impl, const char *connector, const char *folder,
    uint32_t uidvalidity, const uint32_t *keep, size_t n, struct err *e)
{
	struct pg_params p = { 0 };
	char *arr = pg_uid_array(keep, n);
	int rc;

	mbox_params(&p, connector, folder, uidvalidity);
	pgp_text(&p, arr);
	rc = pg_query(impl, "DELETE FROM mailbox_uids WHERE connector=$1 AND "
	    "folder=$2 AND (uidvalidity<>$3 OR uid <> ALL($4::bigint[]))", &p,
	    NULL, "mailbox uids", e);
	free(arr);
	return rc;
}
