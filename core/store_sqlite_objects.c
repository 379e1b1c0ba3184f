/*
 * Objects, their alias ids and the search profiles in SQLite. A number
 * nobody gave (OBJ_UNSET) is stored as NULL.
 */
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "core/store_sqlite.h"
#include "util/xmalloc.h"

#define OBJECT_COLS "id, ref, title, kind, type, price, rooms, area, " \
    "street, postcode, city, state, origin, created_at, updated_at"
#define PROFILE_COLS "id, contact_id, kind, type, price_min, price_max, " \
    "rooms_min, rooms_max, area_min, area_max, postcodes, cities, origin, " \
    "created_at"

static const char sql_by_ref[] = "SELECT id FROM objects WHERE ref=?";
static const char sql_insert[] =
    "INSERT INTO objects (ref, title, kind, type, price, rooms, area,"
    " street, postcode, city, state, origin, created_at, updated_at)"
    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?13)";
static const char sql_update[] =
    "UPDATE objects SET title=?2, kind=?3, type=?4, price=?5, rooms=?6,"
    " area=?7, street=?8, postcode=?9, city=?10, state=?11, origin=?12,"
    " updated_at=?13 WHERE id=?14";
static const char sql_ids_clear[] = "DELETE FROM object_ids WHERE object_id=?";
static const char sql_id_add[] =
    "INSERT INTO object_ids (key, object_id) VALUES (?,?)";
static const char sql_id_owner[] =
    "SELECT object_id FROM object_ids WHERE key=?";
static const char sql_get[] = "SELECT " OBJECT_COLS " FROM objects WHERE id=?";
static const char sql_aliases[] =
    "SELECT i.key FROM object_ids i JOIN objects o ON o.id = i.object_id"
    " WHERE i.object_id=? AND i.key <> o.ref ORDER BY i.key";
static const char sql_list[] =
    "SELECT " OBJECT_COLS " FROM objects WHERE (?1 IS NULL OR state=?1)"
    " AND (?2 IS NULL OR origin=?2) ORDER BY ref";
static const char sql_state[] =
    "UPDATE objects SET state=?, updated_at=? WHERE id=?";
/* What the lead_objects view says, by the indexes of both references. */
static const char sql_leads[] =
    "SELECT l.id FROM leads l WHERE l.object_ref IN"
    " (SELECT key FROM object_ids WHERE object_id=?1) OR l.portal_object_ref IN"
    " (SELECT key FROM object_ids WHERE object_id=?1) ORDER BY l.id";
static const char sql_profile_add[] =
    "INSERT INTO search_profiles (contact_id, kind, type, price_min,"
    " price_max, rooms_min, rooms_max, area_min, area_max, postcodes,"
    " cities, origin, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";
static const char sql_profile_remove[] =
    "DELETE FROM search_profiles WHERE id=?";
static const char sql_profiles[] =
    "SELECT " PROFILE_COLS " FROM search_profiles"
    " WHERE ?1 = 0 OR contact_id=?1 ORDER BY id";

static void
bind_num(sqlite3_stmt *s, int i, double v)
{
	if (v < 0)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_double(s, i, v);
}

static double
col_num(sqlite3_stmt *s, int i)
{
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return OBJ_UNSET;
	return sqlite3_column_double(s, i);
}

/* The object id that holds key; 0 when none. */
static int
sq_id_owner(struct sq *q, const char *key, int64_t *owner, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	*owner = 0;
	if ((s = sq_stmt(q, sql_id_owner, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, key);
	if ((rc = sq_step_row(q, s, "object id", e)) == LG_OK)
		*owner = sqlite3_column_int64(s, 0);
	sq_done(s);
	return rc == LG_ENOENT ? LG_OK : rc;
}

static int
sq_id_add(struct sq *q, int64_t id, const char *key, struct err *e)
{
	sqlite3_stmt *s;
	int64_t owner;
	int rc;

	if ((rc = sq_id_owner(q, key, &owner, e)) != LG_OK)
		return rc;
	if (owner == id)
		return LG_OK;
	if (owner != 0)
		return err_set(e, LG_EEXIST, "'%s' is already an id of object "
		    "%lld", key, (long long)owner);
	if ((s = sq_stmt(q, sql_id_add, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, id);
	return sq_exec_stmt(q, s, "object id", e);
}

int
sq_object_save(void *impl, struct object *o, struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	size_t i;
	int rc;

	if ((s = sq_stmt(q, sql_by_ref, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, o->ref);
	o->id = 0;
	if ((rc = sq_step_row(q, s, "object", e)) == LG_OK)
		o->id = sqlite3_column_int64(s, 0);
	sq_done(s);
	if (rc != LG_OK && rc != LG_ENOENT)
		return rc;
	if ((s = sq_stmt(q, o->id ? sql_update : sql_insert, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, o->ref);
	sq_bind_text(s, 2, o->title);
	sq_bind_text(s, 3, o->kind);
	sq_bind_text(s, 4, o->type);
	bind_num(s, 5, o->price);
	bind_num(s, 6, o->rooms);
	bind_num(s, 7, o->area);
	sq_bind_text(s, 8, o->street);
	sq_bind_text(s, 9, o->postcode);
	sq_bind_text(s, 10, o->city);
	sq_bind_text(s, 11, o->state ? o->state : "available");
	sq_bind_text(s, 12, o->origin ? o->origin : "manual");
	sq_bind_text(s, 13, now);
	if (o->id)
		sqlite3_bind_int64(s, 14, o->id);
	if ((rc = sq_exec_stmt(q, s, "object", e)) != LG_OK)
		return rc;
	if (o->id == 0)
		o->id = sqlite3_last_insert_rowid(q->db);
	if ((s = sq_stmt(q, sql_ids_clear, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, o->id);
	if ((rc = sq_exec_stmt(q, s, "object ids", e)) != LG_OK)
		return rc;
	rc = sq_id_add(q, o->id, o->ref, e);
	for (i = 0; rc == LG_OK && i < o->naliases; i++)
		rc = sq_id_add(q, o->id, o->aliases[i], e);
	return rc;
}

static void
sq_object_row(sqlite3_stmt *s, struct object *o)
{
	o->id = sqlite3_column_int64(s, 0);
	o->ref = sq_col_text(s, 1);
	o->title = sq_col_text(s, 2);
	o->kind = sq_col_text(s, 3);
	o->type = sq_col_text(s, 4);
	o->price = col_num(s, 5);
	o->rooms = col_num(s, 6);
	o->area = col_num(s, 7);
	o->street = sq_col_text(s, 8);
	o->postcode = sq_col_text(s, 9);
	o->city = sq_col_text(s, 10);
	o->state = sq_col_text(s, 11);
	o->origin = sq_col_text(s, 12);
	o->created_at = sq_col_text(s, 13);
	o->updated_at = sq_col_text(s, 14);
}

static int
sq_object_aliases(struct sq *q, struct object *o, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_aliases, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, o->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		object_alias_add(o, (const char *)sqlite3_column_text(s, 0));
	sq_done(s);
	if (rc != SQLITE_DONE)
		return sq_fail(q, sqlite3_extended_errcode(q->db), "object ids",
		    e);
	return LG_OK;
}

int
sq_object_get(void *impl, int64_t id, struct object **out, struct err *e)
{
	struct sq *q = impl;
	struct object *o;
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	if ((s = sq_stmt(q, sql_get, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_step_row(q, s, "object", e)) != LG_OK) {
		sq_done(s);
		if (rc == LG_ENOENT)
			err_set(e, LG_ENOENT, "no object %lld", (long long)id);
		return rc;
	}
	o = object_new();
	sq_object_row(s, o);
	sq_done(s);
	if ((rc = sq_object_aliases(q, o, e)) != LG_OK) {
		object_free(o);
		return rc;
	}
	*out = o;
	return LG_OK;
}

int
sq_object_find(void *impl, const char *key, int64_t *id, struct err *e)
{
	int rc;

	if ((rc = sq_id_owner(impl, key, id, e)) != LG_OK)
		return rc;
	if (*id == 0)
		return err_set(e, LG_ENOENT, "no object '%s'", key);
	return LG_OK;
}

int
sq_objects_list(void *impl, const char *state, const char *origin,
    struct object **out, size_t *n, struct err *e)
{
	struct sq *q = impl;
	struct object *v = NULL;
	sqlite3_stmt *s;
	size_t cnt = 0, i;
	int rc;

	*out = NULL;
	*n = 0;
	if ((s = sq_stmt(q, sql_list, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_bind_text(s, 1, state);
	sq_bind_text(s, 2, origin);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		memset(&v[cnt], 0, sizeof(*v));
		sq_object_row(s, &v[cnt++]);
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		objects_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db), "objects", e);
	}
	for (i = 0, rc = LG_OK; i < cnt && rc == LG_OK; i++)
		rc = sq_object_aliases(q, &v[i], e);
	if (rc != LG_OK) {
		objects_free(v, cnt);
		return rc;
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}

int
sq_object_set_state(void *impl, int64_t id, const char *state,
    struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_state, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sq_bind_text(s, 1, state);
	sq_bind_text(s, 2, now);
	sqlite3_bind_int64(s, 3, id);
	if ((rc = sq_exec_stmt(q, s, "object", e)) != LG_OK)
		return rc;
	if (sqlite3_changes(q->db) == 0)
		return err_set(e, LG_ENOENT, "no object %lld", (long long)id);
	return LG_OK;
}

int
sq_object_leads(void *impl, int64_t object_id, struct idlist *out,
    struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;

	if ((s = sq_stmt(q, sql_leads, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, object_id);
	return sq_ids(q, s, out, "object leads", e);
}

int
sq_profile_add(void *impl, struct search_profile *p, struct err *e)
{
	struct sq *q = impl;
	char now[CLOCK_ISOLEN];
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_profile_add, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sq_now(now, sizeof(now));
	sqlite3_bind_int64(s, 1, p->contact_id);
	sq_bind_text(s, 2, p->kind);
	sq_bind_text(s, 3, p->type);
	bind_num(s, 4, p->price_min);
	bind_num(s, 5, p->price_max);
	bind_num(s, 6, p->rooms_min);
	bind_num(s, 7, p->rooms_max);
	bind_num(s, 8, p->area_min);
	bind_num(s, 9, p->area_max);
	sq_bind_text(s, 10, p->postcodes);
	sq_bind_text(s, 11, p->cities);
	sq_bind_text(s, 12, p->origin ? p->origin : "manual");
	sq_bind_text(s, 13, now);
	if ((rc = sq_exec_stmt(q, s, "search profile", e)) != LG_OK)
		return rc;
	p->id = sqlite3_last_insert_rowid(q->db);
	xstrset(&p->created_at, now);
	return LG_OK;
}

int
sq_profile_remove(void *impl, int64_t id, struct err *e)
{
	struct sq *q = impl;
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(q, sql_profile_remove, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sq_exec_stmt(q, s, "search profile", e)) != LG_OK)
		return rc;
	if (sqlite3_changes(q->db) == 0)
		return err_set(e, LG_ENOENT, "no search profile %lld",
		    (long long)id);
	return LG_OK;
}

int
sq_profiles_list(void *impl, int64_t contact_id, struct search_profile **out,
    size_t *n, struct err *e)
{
	struct sq *q = impl;
	struct search_profile *v = NULL, *p;
	sqlite3_stmt *s;
	size_t cnt = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((s = sq_stmt(q, sql_profiles, e)) == NULL)
		return e ? e->code : LG_EINTERNAL;
	sqlite3_bind_int64(s, 1, contact_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		p = &v[cnt++];
		memset(p, 0, sizeof(*p));
		p->id = sqlite3_column_int64(s, 0);
		p->contact_id = sqlite3_column_int64(s, 1);
		p->kind = sq_col_text(s, 2);
		p->type = sq_col_text(s, 3);
		p->price_min = col_num(s, 4);
		p->price_max = col_num(s, 5);
		p->rooms_min = col_num(s, 6);
		p->rooms_max = col_num(s, 7);
		p->area_min = col_num(s, 8);
		p->area_max = col_num(s, 9);
		p->postcodes = sq_col_text(s, 10);
		p->cities = sq_col_text(s, 11);
		p->origin = sq_col_text(s, 12);
		p->created_at = sq_col_text(s, 13);
	}
	sq_done(s);
	if (rc != SQLITE_DONE) {
		search_profiles_free(v, cnt);
		return sq_fail(q, sqlite3_extended_errcode(q->db),
		    "search profiles", e);
	}
	*out = v;
	*n = cnt;
	return LG_OK;
}
