/*
 * Objects, their alias ids and the search profiles in PostgreSQL, as
 * store_sqlite_objects.c. A number nobody gave (OBJ_UNSET) is NULL.
 */
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "core/store_pg.h"
#include "util/xmalloc.h"

#define OBJECT_COLS "id, ref, title, kind, type, price, rooms, area, " \
    "street, postcode, city, state, origin, created_at, updated_at"
#define PROFILE_COLS "id, contact_id, kind, type, price_min, price_max, " \
    "rooms_min, rooms_max, area_min, area_max, postcodes, cities, origin, " \
    "created_at"

static double
col_num(const PGresult *r, int row, int col)
{
	if (pg_isnull(r, row, col))
		return OBJ_UNSET;
	return strtod(PQgetvalue(r, row, col), NULL);
}

/* The object id that holds key; 0 when none. */
static int
pg_id_owner(struct pg *q, const char *key, int64_t *owner, struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	*owner = 0;
	pgp_text(&p, key);
	if ((rc = pg_query(q, "SELECT object_id FROM object_ids WHERE key=$1",
	    &p, &r, "object id", e)) != LG_OK)
		return rc;
	if (PQntuples(r) > 0)
		*owner = pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

static int
pg_id_add(struct pg *q, int64_t id, const char *key, struct err *e)
{
	struct pg_params p = { 0 };
	int64_t owner;
	int rc;

	if ((rc = pg_id_owner(q, key, &owner, e)) != LG_OK)
		return rc;
	if (owner == id)
		return LG_OK;
	if (owner != 0)
		return err_set(e, LG_EEXIST, "'%s' is already an id of object "
		    "%lld", key, (long long)owner);
	pgp_text(&p, key);
	pgp_int(&p, id);
	return pg_query(q, "INSERT INTO object_ids (key, object_id) VALUES "
	    "($1,$2)", &p, NULL, "object id", e);
}

int
pg_object_save(void *impl, struct object *o, struct err *e)
{
	struct pg_params p = { 0 }, k = { 0 };
	char now[CLOCK_ISOLEN];
	PGresult *r;
	size_t i;
	int rc;

	pgp_text(&k, o->ref);
	if ((rc = pg_query(impl, "SELECT id FROM objects WHERE ref=$1", &k, &r,
	    "object", e)) != LG_OK)
		return rc;
	o->id = PQntuples(r) > 0 ? pg_int(r, 0, 0) : 0;
	PQclear(r);
	pg_now(now, sizeof(now));
	pgp_text(&p, o->ref);
	pgp_text(&p, o->title);
	pgp_text(&p, o->kind);
	pgp_text(&p, o->type);
	pgp_num(&p, o->price);
	pgp_num(&p, o->rooms);
	pgp_num(&p, o->area);
	pgp_text(&p, o->street);
	pgp_text(&p, o->postcode);
	pgp_text(&p, o->city);
	pgp_text(&p, o->state ? o->state : "available");
	pgp_text(&p, o->origin ? o->origin : "manual");
	pgp_text(&p, now);
	if (o->id) {
		pgp_int(&p, o->id);
		rc = pg_query(impl, "UPDATE objects SET ref=$1, title=$2, "
		    "kind=$3, type=$4, price=$5, rooms=$6, area=$7, "
		    "street=$8, postcode=$9, city=$10, state=$11, origin=$12, "
		    "updated_at=$13 WHERE id=$14", &p, NULL, "object", e);
	} else {
		rc = pg_query(impl, "INSERT INTO objects (ref, title, kind, "
		    "type, price, rooms, area, street, postcode, city, state, "
		    "origin, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,"
		    "$6,$7,$8,$9,$10,$11,$12,$13,$13) RETURNING id", &p, &r,
		    "object", e);
		if (rc == LG_OK) {
			o->id = pg_int(r, 0, 0);
			PQclear(r);
		}
	}
	if (rc != LG_OK)
		return rc;
	memset(&k, 0, sizeof(k));
	pgp_int(&k, o->id);
	if ((rc = pg_query(impl, "DELETE FROM object_ids WHERE object_id=$1",
	    &k, NULL, "object ids", e)) != LG_OK)
		return rc;
	rc = pg_id_add(impl, o->id, o->ref, e);
	for (i = 0; rc == LG_OK && i < o->naliases; i++)
		rc = pg_id_add(impl, o->id, o->aliases[i], e);
	return rc;
}

static void
pg_object_row(const PGresult *r, int i, struct object *o)
{
	o->id = pg_int(r, i, 0);
	o->ref = pg_text(r, i, 1);
	o->title = pg_text(r, i, 2);
	o->kind = pg_text(r, i, 3);
	o->type = pg_text(r, i, 4);
	o->price = col_num(r, i, 5);
	o->rooms = col_num(r, i, 6);
	o->area = col_num(r, i, 7);
	o->street = pg_text(r, i, 8);
	o->postcode = pg_text(r, i, 9);
	o->city = pg_text(r, i, 10);
	o->state = pg_text(r, i, 11);
	o->origin = pg_text(r, i, 12);
	o->created_at = pg_text(r, i, 13);
	o->updated_at = pg_text(r, i, 14);
}

static int
pg_object_aliases(struct pg *q, struct object *o, struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int i, rc;

	pgp_int(&p, o->id);
	if ((rc = pg_query(q, "SELECT i.key FROM object_ids i JOIN objects o "
	    "ON o.id = i.object_id WHERE i.object_id=$1 AND i.key <> o.ref "
	    "ORDER BY i.key COLLATE \"C\"", &p, &r, "object ids", e)) != LG_OK)
		return rc;
	for (i = 0; i < PQntuples(r); i++)
		object_alias_add(o, PQgetvalue(r, i, 0));
	PQclear(r);
	return LG_OK;
}

int
pg_object_get(void *impl, int64_t id, struct object **out, struct err *e)
{
	struct pg_params p = { 0 };
	struct object *o;
	PGresult *r;
	int rc;

	*out = NULL;
	pgp_int(&p, id);
	if ((rc = pg_query(impl, "SELECT " OBJECT_COLS " FROM objects WHERE "
	    "id=$1", &p, &r, "object", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return err_set(e, LG_ENOENT, "no object %lld", (long long)id);
	}
	o = object_new();
	pg_object_row(r, 0, o);
	PQclear(r);
	if ((rc = pg_object_aliases(impl, o, e)) != LG_OK) {
		object_free(o);
		return rc;
	}
	*out = o;
	return LG_OK;
}

int
pg_object_find(void *impl, const char *key, int64_t *id, struct err *e)
{
	int rc;

	if ((rc = pg_id_owner(impl, key, id, e)) != LG_OK)
		return rc;
	if (*id == 0)
		return err_set(e, LG_ENOENT, "no object '%s'", key);
	return LG_OK;
}

int
pg_objects_list(void *impl, const char *state, const char *origin,
    struct object **out, size_t *n, struct err *e)
{
	struct pg_params p = { 0 };
	struct object *v;
	PGresult *r;
	int i, cnt, rc;

	*out = NULL;
	*n = 0;
	pgp_text(&p, state);
	pgp_text(&p, origin);
	/* COLLATE "C": the byte order SQLite sorts by. */
	if ((rc = pg_query(impl, "SELECT " OBJECT_COLS " FROM objects WHERE "
	    "($1::text IS NULL OR state=$1) AND ($2::text IS NULL OR "
	    "origin=$2) ORDER BY ref COLLATE \"C\"", &p, &r, "objects",
	    e)) != LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++)
		pg_object_row(r, i, &v[i]);
	PQclear(r);
	for (i = 0, rc = LG_OK; i < cnt && rc == LG_OK; i++)
		rc = pg_object_aliases(impl, &v[i], e);
	if (rc != LG_OK) {
		objects_free(v, (size_t)cnt);
		return rc;
	}
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}

int
pg_object_set_state(void *impl, int64_t id, const char *state,
    struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	int64_t n;
	int rc;

	pg_now(now, sizeof(now));
	pgp_text(&p, state);
	pgp_text(&p, now);
	pgp_int(&p, id);
	if ((rc = pg_change(impl, "UPDATE objects SET state=$1, updated_at=$2 "
	    "WHERE id=$3", &p, &n, "object", e)) != LG_OK)
		return rc;
	if (n == 0)
		return err_set(e, LG_ENOENT, "no object %lld", (long long)id);
	return LG_OK;
}

int
pg_object_leads(void *impl, int64_t object_id, struct idlist *out,
    struct err *e)
{
	struct pg_params p = { 0 };

	/* What the lead_objects view says, by the indexes of both refs. */
	pgp_int(&p, object_id);
	return pg_ids(impl, "SELECT l.id FROM leads l WHERE l.object_ref IN "
	    "(SELECT key FROM object_ids WHERE object_id=$1) OR "
	    "l.portal_object_ref IN (SELECT key FROM object_ids WHERE "
	    "object_id=$1) ORDER BY l.id", &p, out, "object leads", e);
}

int
pg_profile_add(void *impl, struct search_profile *sp, struct err *e)
{
	struct pg_params p = { 0 };
	char now[CLOCK_ISOLEN];
	PGresult *r;
	int rc;

	pg_now(now, sizeof(now));
	pgp_int(&p, sp->contact_id);
	pgp_text(&p, sp->kind);
	pgp_text(&p, sp->type);
	pgp_num(&p, sp->price_min);
	pgp_num(&p, sp->price_max);
	pgp_num(&p, sp->rooms_min);
	pgp_num(&p, sp->rooms_max);
	pgp_num(&p, sp->area_min);
	pgp_num(&p, sp->area_max);
	pgp_text(&p, sp->postcodes);
	pgp_text(&p, sp->cities);
	pgp_text(&p, sp->origin ? sp->origin : "manual");
	pgp_text(&p, now);
	if ((rc = pg_query(impl, "INSERT INTO search_profiles (contact_id, "
	    "kind, type, price_min, price_max, rooms_min, rooms_max, area_min,"
	    " area_max, postcodes, cities, origin, created_at) VALUES ($1,$2,"
	    "$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id", &p, &r,
	    "search profile", e)) != LG_OK)
		return rc;
	sp->id = pg_int(r, 0, 0);
	PQclear(r);
	xstrset(&sp->created_at, now);
	return LG_OK;
}

int
pg_profile_remove(void *impl, int64_t id, struct err *e)
{
	struct pg_params p = { 0 };
	int64_t n;
	int rc;

	pgp_int(&p, id);
	if ((rc = pg_change(impl, "DELETE FROM search_profiles WHERE id=$1",
	    &p, &n, "search profile", e)) != LG_OK)
		return rc;
	if (n == 0)
		return err_set(e, LG_ENOENT, "no search profile %lld",
		    (long long)id);
	return LG_OK;
}

int
pg_profiles_list(void *impl, int64_t contact_id, struct search_profile **out,
    size_t *n, struct err *e)
{
	struct pg_params p = { 0 };
	struct search_profile *v, *sp;
	PGresult *r;
	int i, cnt, rc;

	*out = NULL;
	*n = 0;
	pgp_int(&p, contact_id);
	if ((rc = pg_query(impl, "SELECT " PROFILE_COLS " FROM search_profiles "
	    "WHERE $1::bigint = 0 OR contact_id=$1::bigint ORDER BY id", &p, &r,
	    "search profiles", e)) != LG_OK)
		return rc;
	cnt = PQntuples(r);
	v = cnt ? xcalloc((size_t)cnt, sizeof(*v)) : NULL;
	for (i = 0; i < cnt; i++) {
		sp = &v[i];
		sp->id = pg_int(r, i, 0);
		sp->contact_id = pg_int(r, i, 1);
		sp->kind = pg_text(r, i, 2);
		sp->type = pg_text(r, i, 3);
		sp->price_min = col_num(r, i, 4);
		sp->price_max = col_num(r, i, 5);
		sp->rooms_min = col_num(r, i, 6);
		sp->rooms_max = col_num(r, i, 7);
		sp->area_min = col_num(r, i, 8);
		sp->area_max = col_num(r, i, 9);
		sp->postcodes = pg_text(r, i, 10);
		sp->cities = pg_text(r, i, 11);
		sp->origin = pg_text(r, i, 12);
		sp->created_at = pg_text(r, i, 13);
	}
	PQclear(r);
	*out = v;
	*n = (size_t)cnt;
	return LG_OK;
}
