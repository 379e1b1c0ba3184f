/* Round-robin turns and phase arrivals in PostgreSQL (migration 13). */
#include <stdlib.h>
#include <string.h>

#include "core/store_pg.h"

int
pg_assign_turn(void *impl, const char *pool, long *turn, struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	/* One statement: the turn before this one, 0 for a new pool. */
	pgp_text(&p, pool);
	if ((rc = pg_query(impl, "INSERT INTO assign_turns (pool, turns) "
	    "VALUES ($1, 1) ON CONFLICT (pool) DO UPDATE SET turns = "
	    "assign_turns.turns + 1 RETURNING turns - 1", &p, &r,
	    "assign turn", e)) != LG_OK)
		return rc;
	*turn = (long)pg_int(r, 0, 0);
	PQclear(r);
	return LG_OK;
}

int
pg_arrival_next(void *impl, int64_t after, struct phase_arrival *out,
    struct err *e)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	memset(out, 0, sizeof(*out));
	pgp_int(&p, after);
	if ((rc = pg_query(impl, "SELECT id, lead_id, pipeline, phase_no FROM "
	    "phase_arrivals WHERE done = 0 AND id > $1 ORDER BY id LIMIT 1",
	    &p, &r, "phase arrival", e)) != LG_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return LG_ENOENT;
	}
	out->id = pg_int(r, 0, 0);
	out->lead_id = pg_int(r, 0, 1);
	out->pipeline = pg_text(r, 0, 2);
	out->phase_no = (int)pg_int(r, 0, 3);
	PQclear(r);
	return LG_OK;
}

int
pg_arrival_done(void *impl, int64_t id, struct err *e)
{
	struct pg_params p = { 0 };

	pgp_int(&p, id);
	return pg_query(impl, "UPDATE phase_arrivals SET done = 1 WHERE "
	    "done = 0 AND ($1::bigint = 0 OR id = $1::bigint)", &p, NULL,
	    "phase arrival", e);
}
