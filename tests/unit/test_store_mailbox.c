/*
 * The store's mail folder state: UIDVALIDITY per folder and the handled
 * UIDs, as a table of steps run in order against a real SQLite store.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/store.h"
#include "t.h"

enum op { GETV, SETV, HANDLED, ADD, PRUNE, BEGIN, ROLLBACK };

static const struct step {
	const char *label;
	enum op op;
	const char *conn, *folder;
	uint32_t v, uid;
	uint32_t list[4];
	size_t nlist;
	int want;		/* rc */
	uint32_t want_v;	/* GETV */
} steps[] = {
	{ "never polled", GETV, "c1", "INBOX", 0, 0, {0}, 0, LG_ENOENT, 0 },
	{ "set", SETV, "c1", "INBOX", 7, 0, {0}, 0, LG_OK, 0 },
	{ "read back", GETV, "c1", "INBOX", 0, 0, {0}, 0, LG_OK, 7 },
	{ "change", SETV, "c1", "INBOX", 9, 0, {0}, 0, LG_OK, 0 },
	{ "read changed", GETV, "c1", "INBOX", 0, 0, {0}, 0, LG_OK, 9 },
	{ "other folder apart", GETV, "c1", "Other", 0, 0, {0}, 0, LG_ENOENT,
	    0 },
	{ "largest uidvalidity", SETV, "c2", "INBOX", 0xffffffffu, 0, {0}, 0,
	    LG_OK, 0 },
	{ "largest read back", GETV, "c2", "INBOX", 0, 0, {0}, 0, LG_OK,
	    0xffffffffu },
	{ "add three", ADD, "c1", "INBOX", 9, 0, { 3, 5, 8 }, 3, LG_OK, 0 },
	{ "add again is no error", ADD, "c1", "INBOX", 9, 0, { 5 }, 1, LG_OK,
	    0 },
	{ "add under old uidvalidity", ADD, "c1", "INBOX", 7, 0, { 1 }, 1,
	    LG_OK, 0 },
	{ "handled", HANDLED, "c1", "INBOX", 9, 5, {0}, 0, LG_OK, 0 },
	{ "largest uid", ADD, "c1", "INBOX", 9, 0, { 0xffffffffu }, 1, LG_OK,
	    0 },
	{ "largest uid handled", HANDLED, "c1", "INBOX", 9, 0xffffffffu, {0}, 0,
	    LG_OK, 0 },
	{ "not handled", HANDLED, "c1", "INBOX", 9, 4, {0}, 0, LG_ENOENT, 0 },
	{ "other uidvalidity", HANDLED, "c1", "INBOX", 8, 5, {0}, 0, LG_ENOENT,
	    0 },
	{ "other connector", HANDLED, "c2", "INBOX", 9, 5, {0}, 0, LG_ENOENT,
	    0 },
	{ "other folder", HANDLED, "c1", "Other", 9, 5, {0}, 0, LG_ENOENT, 0 },
	{ "prune keeps 5 and 6", PRUNE, "c1", "INBOX", 9, 0, { 5, 6 }, 2,
	    LG_OK, 0 },
	{ "pruned 3", HANDLED, "c1", "INBOX", 9, 3, {0}, 0, LG_ENOENT, 0 },
	{ "kept 5", HANDLED, "c1", "INBOX", 9, 5, {0}, 0, LG_OK, 0 },
	{ "pruned 8", HANDLED, "c1", "INBOX", 9, 8, {0}, 0, LG_ENOENT, 0 },
	{ "old uidvalidity pruned", HANDLED, "c1", "INBOX", 7, 1, {0}, 0,
	    LG_ENOENT, 0 },
	{ "caller's transaction", BEGIN, NULL, NULL, 0, 0, {0}, 0, LG_OK, 0 },
	{ "add inside it", ADD, "c1", "INBOX", 9, 0, { 20 }, 1, LG_OK, 0 },
	{ "seen inside it", HANDLED, "c1", "INBOX", 9, 20, {0}, 0, LG_OK, 0 },
	{ "caller rolls back", ROLLBACK, NULL, NULL, 0, 0, {0}, 0, LG_OK, 0 },
	{ "rolled back with it", HANDLED, "c1", "INBOX", 9, 20, {0}, 0,
	    LG_ENOENT, 0 },
	{ "prune to nothing", PRUNE, "c1", "INBOX", 9, 0, {0}, 0, LG_OK, 0 },
	{ "5 gone too", HANDLED, "c1", "INBOX", 9, 5, {0}, 0, LG_ENOENT, 0 },
	{ "state survives prune", GETV, "c1", "INBOX", 0, 0, {0}, 0, LG_OK, 9 },
};

static int
run_step(struct store *st, const struct step *s, uint32_t *v, struct err *e)
{
	switch (s->op) {
	case GETV:
		return store_mailbox_uidvalidity_get(st, s->conn, s->folder, v,
		    e);
	case SETV:
		return store_mailbox_uidvalidity_set(st, s->conn, s->folder,
		    s->v, e);
	case HANDLED:
		return store_mailbox_uid_handled(st, s->conn, s->folder, s->v,
		    s->uid, e);
	case ADD:
		return store_mailbox_uids_add(st, s->conn, s->folder, s->v,
		    s->list, s->nlist, e);
	case PRUNE:
		return store_mailbox_uids_prune(st, s->conn, s->folder, s->v,
		    s->list, s->nlist, e);
	case BEGIN:
		return store_begin(st, e);
	case ROLLBACK:
		store_rollback(st);
		return LG_OK;
	}
	return LG_EINTERNAL;
}

int
main(void)
{
	char path[4200];
	struct store *st;
	struct err e;
	uint32_t v;
	size_t i;
	int rc;

	snprintf(path, sizeof(path), "%s/store.db", t_tmpdir("store_mailbox"));
	rc = store_open(path, NULL, &st, &e);
	T_INT(rc, LG_OK, "open store");
	if (rc != LG_OK)
		return t_done();
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		v = 0;
		err_clear(&e);
		rc = run_step(st, &steps[i], &v, &e);
		T_INT(rc, steps[i].want, "%s (%s)", steps[i].label, e.msg);
		if (steps[i].op == GETV && steps[i].want == LG_OK)
			T_INT(v, steps[i].want_v, "%s: value", steps[i].label);
	}
	store_close(st);
	return t_done();
}
