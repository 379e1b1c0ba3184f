/*
 * The store's life cycle: migrations on an existing database, and files it
 * must refuse (newer schema, someone else's database, a corrupt file)
 * without changing a byte of them.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/contact.h"
#include "core/store.h"
#include "core/store_backend.h"
#include "core/store_sqlite.h"
#include "t.h"

static const char *dir;

static char *
path(const char *name)
{
	static char buf[4][4200];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static int
sql_file(const char *db, const char *sql)
{
	sqlite3 *h;
	int rc;

	if (sqlite3_open(db, &h) != SQLITE_OK)
		return -1;
	rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	sqlite3_close(h);
	/* Made as an admin would: private, or store_open() refuses it. */
	if (chmod(db, 0600) != 0)
		return -1;
	return rc == SQLITE_OK ? 0 : -1;
}

static void
test_migrate_v1(void)
{
	char *dump = t_slurp(t_path("tests/data/store/v1.sql"), NULL);
	const char *db = path("v1.db");
	struct contact *c = NULL;
	struct lead *l = NULL;
	struct history *h = NULL;
	struct store *st;
	char *v = NULL;
	size_t n = 0;
	struct err e;
	int ver = 0;

	T_OK(dump && sql_file(db, dump) == 0, "v1 fixture loaded");
	free(dump);
	err_clear(&e);
	T_OK(store_open(db, NULL, &st, &e) == LG_OK, "v1 database opens (%s)",
	    e.msg);
	store_schema_version(st, &ver, &e);
	T_INT(ver, store_schema_latest(), "migrated to the latest schema");
	T_OK(store_contact_get(st, 1, &c, &e) == LG_OK &&
	    strcmp(c->first_name, "Anna") == 0 && c->nemails == 1 &&
	    strcmp(c->phones[0].norm, "+41441234567") == 0,
	    "contact survived the migration");
	T_OK(store_lead_get(st, 1, &l, &e) == LG_OK &&
	    strcmp(l->source, "ImmoScout24") == 0 && l->phase_no == 2 &&
	    strcmp(l->object_ref, "OBJ-1001") == 0, "lead survived");
	T_OK(store_history_list(st, 1, 0, &h, &n, &e) == LG_OK && n == 1 &&
	    strcmp(h[0].remark, "from ImmoScout24") == 0, "history survived");
	T_OK(store_state_set(st, "inbox", "cursor", "42", &e) == LG_OK &&
	    store_state_get(st, "inbox", "cursor", &v, &e) == LG_OK &&
	    v && strcmp(v, "42") == 0, "tables of migration 2 work");
	free(v);
	store_history_free(h, n);
	lead_free(l);
	contact_free(c);
	store_close(st);
	T_OK(store_open(db, NULL, &st, &e) == LG_OK, "reopening migrates nothing");
	store_close(st);
}

/* Count of rows a query gives on the file (-1 on error). */
static long
sql_count(const char *db, const char *sql)
{
	sqlite3_stmt *s;
	sqlite3 *h;
	long n = -1;

	if (sqlite3_open(db, &h) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK) {
		for (n = 0; sqlite3_step(s) == SQLITE_ROW; n++)
			;
		sqlite3_finalize(s);
	}
	sqlite3_close(h);
	return n;
}

/*
 * Migration 6 copies the outgoing table (a new CHECK list) and the two
 * tables that refer to it: every row and link survives, and held works.
 */
static void
test_migrate_v5(void)
{
	char *dump = t_slurp(t_path("tests/data/store/v5.sql"), NULL);
	const char *db = path("v5.db");
	struct outgoing *o = NULL;
	struct outgoing_lead *v = NULL;
	struct store *st;
	size_t n = 0;
	struct err e;
	int ver = 0;

	T_OK(dump && sql_file(db, dump) == 0, "v5 fixture loaded");
	free(dump);
	err_clear(&e);
	T_OK(store_open(db, NULL, &st, &e) == LG_OK, "v5 database opens (%s)",
	    e.msg);
	store_schema_version(st, &ver, &e);
	T_INT(ver, store_schema_latest(), "v5: migrated to the latest schema");
	T_OK(store_outgoing_get(st, 2, &o, &e) == LG_OK &&
	    o->state == OUT_FAILED && strcmp(o->message_id,
	    "m2@test.example") == 0 && o->inflight == 0 &&
	    o->unconfirmed == 0, "v5: outgoing row survived");
	T_OK(store_outgoing_leads(st, 1, &v, &n, &e) == LG_OK && n == 1 &&
	    v[0].lead_id == 1 && v[0].advance_phase == 3,
	    "v5: outgoing_leads survived");
	free(v);
	o->state = OUT_HELD;
	T_INT(store_outgoing_update(st, o, &e), LG_OK, "v5: held is stored");
	outgoing_free(o);
	store_close(st);
	T_INT(sql_count(db, "SELECT * FROM bounces WHERE outgoing_id = 2 AND "
	    "status = '5.1.1'"), 1, "v5: the bounce survived");
	T_INT(sql_count(db, "PRAGMA foreign_key_check"), 0,
	    "v5: no broken foreign key");
	T_INT(sql_count(db, "SELECT * FROM sqlite_schema WHERE name LIKE "
	    "'%m6%' OR name IN ('outgoing_due', 'outgoing_rcpt', "
	    "'outgoing_campaign', 'outgoing_message_id', 'outgoing_contact', "
	    "'bounces_address')"), 6, "v5: every index is back, no copy left");
	T_INT(sql_count(db, "SELECT * FROM sqlite_schema WHERE name LIKE "
	    "'%m19%' OR name = 'outgoing_state_id'"), 1,
	    "v5: migration 19 left no copy and put outgoing_state_id back");
	T_INT(sql_file(db, "UPDATE outgoing SET state = 'lost' WHERE id = 2"),
	    -1, "v5: outgoing's CHECK still refuses a state it does not know");
}

/*
 * Migration 19 copies outgoing again (its CHECK as comparisons): the
 * message texts of outgoing_bodies, which cascade from it, survive too.
 * A database of schema 18 is made by running it on one of 19 marked 18:
 * the two differ only in the text of that CHECK.
 */
static void
test_migrate_19(void)
{
	const char *db = path("m19.db");
	struct store *st;
	struct err e;
	int ver = 0;

	err_clear(&e);
	T_OK(store_open(db, NULL, &st, &e) == LG_OK, "m19: new database (%s)",
	    e.msg);
	store_close(st);
	T_INT(sql_file(db, "INSERT INTO outgoing (id, dedup_key, sender, rcpt,"
	    " state, created_at, updated_at) VALUES (7, 'k7', 'a@x.example', "
	    "'b@y.example', 'deferred', 't', 't');"
	    "INSERT INTO outgoing_bodies VALUES (7, x'6869');"
	    "PRAGMA user_version = 18"), 0, "m19: a message with its text, "
	    "schema 18");
	T_OK(store_open(db, NULL, &st, &e) == LG_OK, "m19: opens (%s)", e.msg);
	store_schema_version(st, &ver, &e);
	T_INT(ver, store_schema_latest(), "m19: migrated to the latest schema");
	store_close(st);
	T_INT(sql_count(db, "SELECT * FROM outgoing o JOIN outgoing_bodies b "
	    "USING (id) WHERE o.state = 'deferred' AND b.body = x'6869'"), 1,
	    "m19: the message and its text survived");
	T_INT(sql_count(db, "PRAGMA foreign_key_check"), 0,
	    "m19: no broken foreign key");
	T_INT(sql_count(db, "SELECT * FROM sqlite_schema WHERE sql LIKE "
	    "'%state IN (%' AND name = 'outgoing'"), 0,
	    "m19: outgoing's CHECK has no IN list");
}

static char *
sum(const char *file)
{
	char cmd[4400], *out;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "sha256sum '%s' 2>/dev/null", file);
	if ((p = popen(cmd, "r")) == NULL)
		return NULL;
	out = calloc(1, 128);
	if (fgets(out, 128, p) == NULL)
		out[0] = '\0';
	pclose(p);
	return out;
}

static void
refused(const char *label, const char *db, const char *want)
{
	char *before = sum(db), *after, wal[4300];
	struct store *st = NULL;
	struct err e;
	int rc;

	err_clear(&e);
	rc = store_open(db, NULL, &st, &e);
	after = sum(db);
	T_OK(rc != LG_OK && strstr(e.msg, want) != NULL, "%s: refused (%s)",
	    label, e.msg);
	T_OK(before && after && strcmp(before, after) == 0,
	    "%s: file unchanged", label);
	snprintf(wal, sizeof(wal), "%s-wal", db);
	T_OK(access(wal, F_OK) != 0, "%s: no WAL left", label);
	if (rc == LG_OK)
		store_close(st);
	free(before);
	free(after);
}

static void
test_refusals(void)
{
	const char *newer = path("newer.db"), *foreign = path("foreign.db");
	const char *corrupt = path("corrupt.db");
	struct store *st;
	struct err e;
	int fd, i;
	char junk[8192];

	T_OK(store_open(newer, NULL, &st, &e) == LG_OK, "fresh database");
	store_close(st);
	sql_file(newer, "PRAGMA user_version = 99");
	refused("newer schema", newer, "newer than this leadgate knows");

	sql_file(foreign, "CREATE TABLE accounts (id INTEGER, iban TEXT);"
	    "INSERT INTO accounts VALUES (1, 'CH93')");
	refused("someone else's database", foreign, "not a leadgate database");

	for (i = 0; i < (int)sizeof(junk); i++)
		junk[i] = (char)(i * 7 + 13);
	fd = open(corrupt, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd < 0 || write(fd, junk, sizeof(junk)) != (ssize_t)sizeof(junk))
		exit(2);
	close(fd);
	refused("corrupt file", corrupt, "corrupt or not a leadgate database");

	/* One missing folder is made (0700); a missing path above it is not. */
	T_OK(store_open(path("no/such/dir/x.db"), NULL, &st, &e) != LG_OK &&
	    strstr(e.msg, "cannot make the store's folder"),
	    "missing directories (%s)", e.msg);
}

/* Several processes opening a new database at once all migrate it once. */
static void
test_concurrent_open(void)
{
	const char *db = path("race.db");
	int i, status, good = 0;
	pid_t pids[4];

	for (i = 0; i < 4; i++) {
		if ((pids[i] = fork()) == 0) {
			struct store *st;
			struct err e;

			_exit(store_open(db, NULL, &st, &e) == LG_OK ? 0 : 1);
		}
	}
	for (i = 0; i < 4; i++)
		if (waitpid(pids[i], &status, 0) == pids[i] &&
		    WIFEXITED(status) && WEXITSTATUS(status) == 0)
			good++;
	T_INT(good, 4, "four processes opening a new database at once");
}

/* The value of key as another connection sees it; "" when absent. */
static const char *
seen(const char *db, const char *key)
{
	static char out[64];
	struct store *other;
	struct err e;
	char *v = NULL;

	out[0] = '\0';
	err_clear(&e);
	if (store_open(db, NULL, &other, &e) != LG_OK)
		return "(cannot open)";
	if (store_state_get(other, "grp", key, &v, &e) == LG_OK && v)
		snprintf(out, sizeof(out), "%s", v);
	free(v);
	store_close(other);
	return out;
}

static int
put(struct store *st, const char *key, const char *value, int keep)
{
	struct err e;

	err_clear(&e);
	if (store_begin(st, &e) != LG_OK ||
	    store_state_set(st, "grp", key, value, &e) != LG_OK)
		return -1;
	if (!keep) {
		store_rollback(st);
		return 0;
	}
	return store_commit(st, &e) == LG_OK ? 0 : -1;
}

/*
 * Group commit: the transactions of a group are seen by others only once
 * it is committed (full, store_sync(), store_close()), and a rolled-back
 * one is undone alone.
 */
static void
test_group_commit(void)
{
	const char *db = path("group.db");
	struct store *st;
	struct err e;

	err_clear(&e);
	T_OK(store_open(db, NULL, &st, &e) == LG_OK, "group: open");
	T_INT(store_fast_commit(st, &e), LG_OK, "group: fast commits");
	T_INT(store_group_commit(st, 3, 60000, &e), LG_OK, "group: on");
	T_INT(put(st, "a", "1", 1), 0, "group: first commit");
	T_INT(put(st, "b", "2", 0), 0, "group: a rollback");
	T_INT(put(st, "c", "3", 1), 0, "group: second commit");
	T_STR(seen(db, "a"), "", "group: not seen before the group ends");
	T_INT(store_sync(st, &e), LG_OK, "group: sync");
	T_STR(seen(db, "a"), "1", "group: seen after sync");
	T_STR(seen(db, "b"), "", "group: the rolled-back one is undone");
	T_STR(seen(db, "c"), "3", "group: the one after it is kept");
	T_INT(put(st, "d", "4", 1), 0, "group: d");
	T_INT(put(st, "e", "5", 1), 0, "group: e");
	T_STR(seen(db, "d"), "", "group: two of three: still open");
	T_INT(put(st, "f", "6", 1), 0, "group: f");
	T_STR(seen(db, "f"), "6", "group: the third commit ends the group");
	T_INT(put(st, "g", "7", 1), 0, "group: g");
	store_close(st);
	T_STR(seen(db, "g"), "7", "group: close commits the open group");

	T_OK(store_open(db, NULL, &st, &e) == LG_OK, "group: reopen");
	T_INT(store_group_commit(st, 100, 0, &e), LG_OK, "group: 0 ms");
	T_INT(put(st, "h", "8", 1), 0, "group: h");
	T_STR(seen(db, "h"), "8", "group: past its time a commit ends it");
	T_INT(store_group_commit(st, 100, 60000, &e), LG_OK, "group: again");
	T_INT(put(st, "i", "9", 1), 0, "group: i");
	T_INT(store_group_commit(st, 0, 0, &e), LG_OK, "group: off");
	T_STR(seen(db, "i"), "9", "group: turning it off commits");
	T_INT(put(st, "j", "10", 1), 0, "group: j");
	T_STR(seen(db, "j"), "10", "group: off: each commit is seen");
	store_close(st);
}

/* One step of test_source_cache: source_get of name in its own savepoint. */
static int
source_in_tx(struct store *st, const char *name, char **canonical)
{
	struct err e;
	int rc;

	err_clear(&e);
	if (store_begin(st, &e) != LG_OK)
		return -100;
	rc = store_source_get(st, name, canonical, &e);
	store_commit(st, &e);
	return rc;
}

/*
 * Inside a commit group a source is looked up once (the SQLite backend
 * caches it for the write transaction): what the same connection
 * changes meanwhile, and what a rollback undoes, must show at once.
 */
static void
test_source_cache(void)
{
	const char *db = path("sources.db");
	char *canon = NULL;
	struct store *st;
	struct err e;

	err_clear(&e);
	T_OK(store_open(db, NULL, &st, &e) == LG_OK, "sources: open");
	T_INT(store_group_commit(st, 100, 60000, &e), LG_OK, "sources: group");
	T_INT(store_begin(st, &e), LG_OK, "sources: begin");
	T_INT(store_source_add(st, "Fair", &e), LG_OK, "sources: add Fair");
	T_INT(store_commit(st, &e), LG_OK, "sources: commit");
	T_INT(source_in_tx(st, "Fair", &canon), LG_OK, "sources: found");
	T_STR(canon ? canon : "", "Fair", "sources: its name");
	free(canon);
	canon = NULL;
	T_INT(source_in_tx(st, "Fair", NULL), LG_OK, "sources: found again");

	T_INT(store_begin(st, &e), LG_OK, "sources: begin rename");
	T_INT(store_source_rename(st, "Fair", "Expo", &e), LG_OK,
	    "sources: rename Fair to Expo");
	T_INT(store_commit(st, &e), LG_OK, "sources: commit rename");
	T_INT(source_in_tx(st, "Fair", NULL), LG_ENOENT,
	    "sources: the old name is gone in the same group");
	T_INT(source_in_tx(st, "Expo", NULL), LG_OK, "sources: the new one is");

	T_INT(store_begin(st, &e), LG_OK, "sources: begin, to roll back");
	T_INT(store_source_add(st, "Flyer", &e), LG_OK, "sources: add Flyer");
	T_INT(store_source_get(st, "Flyer", NULL, &e), LG_OK,
	    "sources: Flyer seen in its transaction");
	store_rollback(st);
	T_INT(source_in_tx(st, "Flyer", NULL), LG_ENOENT,
	    "sources: rolled back, Flyer is unknown");
	T_INT(store_sync(st, &e), LG_OK, "sources: sync");
	T_INT(source_in_tx(st, "Expo", NULL), LG_OK,
	    "sources: Expo in the next group");
	store_close(st);
}

/*
 * contact_states_set writes the two states and updated_at, and nothing
 * else: the addresses and the other fields stay as they were stored.
 */
static void
test_contact_states(void)
{
	const char *db = path("states.db");
	struct contact *c = contact_new(), *got = NULL;
	struct store *st;
	struct err e;

	err_clear(&e);
	T_OK(store_open(db, NULL, &st, &e) == LG_OK, "states: open");
	c->first_name = strdup("Anna");
	c->last_name = strdup("Muster");
	c->postcode = strdup("8001");
	T_INT(contact_add_email(c, "anna@example.ch", &e), LG_OK,
	    "states: an address");
	T_INT(contact_add_phone(c, "+41 44 123 45 67", "CH", &e), LG_OK,
	    "states: a number");
	T_INT(store_contact_insert(st, c, &e), LG_OK, "states: inserted");
	c->prospect = PROSPECT_CURRENT;
	c->client = CLIENT_CURRENT;
	/* Not written: only the states are. */
	free(c->city);
	c->city = strdup("Bern");
	T_INT(store_contact_states_set(st, c, &e), LG_OK, "states: set");
	T_INT(store_contact_get(st, c->id, &got, &e), LG_OK, "states: read");
	if (got != NULL) {
		T_INT(got->prospect, PROSPECT_CURRENT, "states: prospect");
		T_INT(got->client, CLIENT_CURRENT, "states: client");
		T_OK(got->city == NULL, "states: another field is left alone");
		T_STR(got->first_name, "Anna", "states: the name is kept");
		T_INT((int)got->nemails, 1, "states: the address is kept");
		T_INT((int)got->nphones, 1, "states: the number is kept");
		if (got->nemails == 1)
			T_STR(got->emails[0].norm, "anna@example.ch",
			    "states: the same address");
	}
	contact_free(got);
	c->id += 1000;
	T_INT(store_contact_states_set(st, c, &e), LG_ENOENT,
	    "states: no such contact");
	contact_free(c);
	store_close(st);
}

/*
 * A connection prepares each statement text once, however many there
 * are: the cache grows (it once stopped the process at 128 texts; the
 * daemon's one connection is near that). Texts are told apart by their
 * address, so each is its own static buffer here.
 */
#define STMT_TEXTS 700
static char stmt_text[STMT_TEXTS][24];

static void
test_statement_cache(void)
{
	struct store_options opt = { .busy_timeout_ms = 1000 };
	sqlite3_stmt *first[STMT_TEXTS], *s;
	struct err e = { 0 };
	struct sq *q;
	void *impl;
	int i, same = 0, right = 0;

	T_OK(store_sqlite_backend.open(path("stmt.db"), &opt, &impl, &e) ==
	    LG_OK, "statement cache: store opens (%s)", e.msg);
	q = impl;
	for (i = 0; i < STMT_TEXTS; i++) {
		snprintf(stmt_text[i], sizeof(stmt_text[i]), "SELECT %d", i);
		first[i] = sq_stmt(q, stmt_text[i], &e);
	}
	for (i = STMT_TEXTS - 1; i >= 0; i--) {
		if ((s = sq_stmt(q, stmt_text[i], &e)) == NULL)
			continue;
		same += s == first[i];
		if (sqlite3_step(s) == SQLITE_ROW &&
		    sqlite3_column_int(s, 0) == i)
			right++;
		sq_done(s);
	}
	T_OK(same == STMT_TEXTS, "statement cache: each of %d texts is "
	    "prepared once (%d found again)", STMT_TEXTS, same);
	T_OK(right == STMT_TEXTS, "statement cache: each runs its own text "
	    "(%d of %d)", right, STMT_TEXTS);
	store_sqlite_backend.close(impl);
}

int
main(void)
{
	dir = t_tmpdir("store");
	test_concurrent_open();
	test_migrate_v1();
	test_migrate_v5();
	test_migrate_19();
	test_refusals();
	test_group_commit();
	test_source_cache();
	test_contact_states();
	test_statement_cache();
	return t_done();
}
