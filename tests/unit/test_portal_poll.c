/*
 * Real polls (not dry runs) of the portal connector against the emulator
 * (tests/lib/portal_emulator.py on a free loopback port), with a sink that
 * records each item in its own SQLite file keyed by portal and item id and
 * answers LG_OK for a key it already has, as the ingest pipeline does.
 *
 * Each row of the table: an API shape, faults, what the sink does (die by
 * SIGKILL right after committing item N, or answer LG_ETEMP at item N),
 * then polls until done, and what must hold afterwards: every item stored
 * once, how many were offered again, how acknowledgements went, and what
 * the incremental position sent on the last poll.
 */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sqlite3.h>

#include "connectors/connector.h"
#include "core/config.h"
#include "util/log.h"
#include "core/store.h"
#include "parse/inquiry.h"
#include "t.h"

struct pcase {
	const char *label;
	const char *shape;
	const char *block;	/* etc/portals/NAME.conf */
	const char *base;	/* its base URL, pointed at the emulator */
	int items;
	const char *fault;	/* one --fault, or NULL */
	int die_at;		/* SIGKILL after committing this call */
	int etemp_at;		/* answer LG_ETEMP at this call */
	int want_first;		/* first poll's result */
	int want_dups;		/* items offered again and answered LG_OK */
	int acks_once;		/* every id acknowledged exactly once */
	int want_ack_requests;	/* -1: do not check */
	const char *last_query;	/* "param=value" of the last page request */
	int want_pages;		/* page requests in all; -1: do not check */
};

static const struct pcase cases[] = {
	{ "killed mid-page, restarted", "immo", "immo-oauth-cursor",
	    "https://api.immo-portal.example", 120, NULL, 70, 0, LG_OK, 20, 1,
	    3, "cursor=c120", -1 },
	{ "sink busy mid-page, polled again", "cars", "cars-basic-linkheader",
	    "https://services.car-market.example", 45, NULL, 0, 25, LG_ETEMP,
	    4, 0, -1, "afterLeadId=lead-000045", -1 },
	{ "failed ack sent again, no duplicate", "immo", "immo-oauth-cursor",
	    "https://api.immo-portal.example", 10, "ack_fail:1", 0, 0, LG_OK, 0,
	    1, 2, "cursor=c10", 3 },
	{ "since moves only after commit", "aggregator",
	    "aggregator-bearer-pages", "https://api.lead-aggregator.example",
	    60, NULL, 0, 0, LG_OK, 0, 1, 0, "sent_after=2026-11-20 09:00:00", 5 },
	{ "Retry-After beyond wait_max: later polls wait", "aggregator",
	    "aggregator-bearer-pages", "https://api.lead-aggregator.example",
	    5, "r503:120", 0, 0, LG_ETEMP, 0, 1, 0, NULL, 1 },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* The recording sink. */
struct rec {
	sqlite3 *db;
	int calls, dups, problems;
	int die_at, etemp_at;
};

static int
rec_inquiry(void *arg, struct inquiry *q, const char *raw, size_t len,
    const struct source_meta *m, struct err *e)
{
	struct rec *r = arg;
	sqlite3_stmt *s;
	char key[512];
	int rc;

	r->calls++;
	if (r->calls == r->etemp_at)
		return err_set(e, LG_ETEMP, "the store is busy (test)");
	snprintf(key, sizeof(key), "%s\t%s", m->portal, m->item_id ?
	    m->item_id : "");
	sqlite3_prepare_v2(r->db, "INSERT INTO seen (key, email, problem, raw)"
	    " VALUES (?, ?, ?, ?)", -1, &s, NULL);
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, q ? q->email : NULL, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, m->problem, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(s, 4, raw, (int)len, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_CONSTRAINT)
		r->dups++;
	else if (rc != SQLITE_DONE)
		return err_set(e, LG_ETEMP, "sink: %s", sqlite3_errmsg(r->db));
	if (r->calls == r->die_at)
		raise(SIGKILL);	/* committed, but the connector never hears */
	return LG_OK;
}

static int
free_port(void)
{
	struct sockaddr_in a;
	socklen_t n = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&a, sizeof(a));
	getsockname(fd, (struct sockaddr *)&a, &n);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static int
port_open(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(fd);
	return ok;
}

static pid_t
emulator_start(const struct pcase *c, const char *dir, int port)
{
	char script[4096], ports[16], items[16], log[4096];
	struct timespec ts = { 0, 50000000 };
	pid_t pid;
	int i;

	snprintf(script, sizeof(script), "%s/tests/lib/portal_emulator.py",
	    getenv("TOP") ? getenv("TOP") : ".");
	snprintf(ports, sizeof(ports), "%d", port);
	snprintf(items, sizeof(items), "%d", c->items);
	snprintf(log, sizeof(log), "%s/emulator.log", dir);
	if ((pid = fork()) == 0) {
		execlp("python3", "python3", script, "--port", ports, "--shape",
		    c->shape, "--items", items, "--log", log, "--fault",
		    c->fault ? c->fault : "none", (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 200 && !port_open(port); i++)
		nanosleep(&ts, NULL);
	return pid;
}

static void
emulator_stop(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

/* The shipped block with its base URL pointed at the emulator. */
static void
write_config(const struct pcase *c, const char *dir, int port)
{
	char path[4096], *text, *p, url[64];
	size_t blen = strlen(c->base);
	FILE *f;

	snprintf(path, sizeof(path), "%s/etc/portals/%s.conf",
	    getenv("TOP") ? getenv("TOP") : ".", c->block);
	text = t_slurp(path, NULL);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
	snprintf(path, sizeof(path), "%s/portal.conf", dir);
	f = fopen(path, "w");
	for (p = text; *p; ) {
		if (strncmp(p, c->base, blen) == 0) {
			fputs(url, f);
			p += blen;
		} else {
			fputc(*p++, f);
		}
	}
	fclose(f);
	free(text);
	snprintf(path, sizeof(path), "%s/leadgate.conf", dir);
	f = fopen(path, "w");
	fprintf(f, "store = { path = \"leadgate.db\"; };\nconnectors = (\n"
	    "@include \"portal.conf\"\n);\n");
	fclose(f);
	snprintf(path, sizeof(path), "mkdir -p %s/secrets && cd %s/secrets && "
	    "for f in immo-client-secret aggregator-token cars-password; do "
	    "echo s3cret-portal-credential > $f; chmod 600 $f; done", dir, dir);
	if (system(path) != 0)
		T_OK(0, "%s: secrets written", c->label);
}

struct world {
	struct config *cfg;
	struct connector_list l;
	struct store *st;
	struct rec rec;
};

static int
world_open(const struct pcase *c, const char *dir, struct world *w)
{
	char path[4096];
	struct store_options so = { 5000, 0, NULL, NULL, NULL };
	struct err e;

	memset(w, 0, sizeof(*w));
	err_clear(&e);
	snprintf(path, sizeof(path), "%s/leadgate.conf", dir);
	if (config_load(path, &w->cfg, NULL, &e) != LG_OK ||
	    connector_load_all(w->cfg, &w->l, NULL, &e) != LG_OK ||
	    store_open(w->cfg->store_path, &so, &w->st, &e) != LG_OK) {
		T_OK(0, "%s: set up (%s)", c->label, e.msg);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/sink.db", dir);
	sqlite3_open(path, &w->rec.db);
	sqlite3_exec(w->rec.db, "PRAGMA synchronous=FULL; CREATE TABLE IF NOT "
	    "EXISTS seen (key TEXT PRIMARY KEY, email TEXT, problem TEXT, "
	    "raw BLOB)", NULL, NULL, NULL);
	return 0;
}

static void
world_close(struct world *w)
{
	connector_list_free(&w->l);
	store_close(w->st);
	config_free(w->cfg);
	sqlite3_close(w->rec.db);
}

static int
world_poll(struct world *w, struct err *e)
{
	struct connector_sink sink;

	memset(&sink, 0, sizeof(sink));
	sink.inquiry = rec_inquiry;
	sink.arg = &w->rec;
	sink.st = w->st;
	err_clear(e);
	return w->l.v[0].ops->poll_once(w->l.v[0].conn, &sink, e);
}

/* The part of the run that is killed: a child process of its own. */
static void
run_killed(const struct pcase *c, const char *dir)
{
	struct world w;
	struct err e;
	pid_t pid;
	int status = 0;

	if ((pid = fork()) == 0) {
		if (world_open(c, dir, &w) != 0)
			_exit(2);
		w.rec.die_at = c->die_at;
		world_poll(&w, &e);
		_exit(3);	/* not reached when the kill happened */
	}
	waitpid(pid, &status, 0);
	T_OK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	    "%s: killed in the middle of a page", c->label);
}

static long
db_count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	long n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* From the emulator's log: ack requests, acked ids, the last page query. */
static void
check_log(const struct pcase *c, const char *dir)
{
	char path[4096], *text, *line, *save = NULL, want[128];
	json_t *acked = json_object(), *last = NULL, *j, *doc, *ids, *id;
	int requests = 0, pages = 0, once = 1;
	const char *k;
	size_t i;

	snprintf(path, sizeof(path), "%s/emulator.log", dir);
	text = t_slurp(path, NULL);
	for (line = strtok_r(text ? text : (char *)"", "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		j = json_loads(line, 0, NULL);
		k = json_string_value(json_object_get(j, "kind"));
		if (k && strcmp(k, "page") == 0) {
			pages++;
			json_decref(last);
			last = json_incref(json_object_get(j, "query"));
		} else if (k && strcmp(k, "ack") == 0) {
			requests++;
			doc = json_loads(json_string_value(json_object_get(j,
			    "body")), 0, NULL);
			ids = json_object_get(doc, "leadIds");
			if (ids == NULL) {	/* per item: the id is the path */
				ids = json_array();
				json_array_append_new(ids, json_string(strrchr(
				    json_string_value(json_object_get(j,
				    "path")), '/') + 1));
				json_object_set_new(doc, "leadIds", ids);
			}
			if (!(c->fault && strncmp(c->fault, "ack_fail", 8) ==
			    0 && requests == 1))
				json_array_foreach(ids, i, id) {
					k = json_string_value(id);
					if (json_object_get(acked, k))
						once = 0;
					json_object_set_new(acked, k,
					    json_true());
				}
			json_decref(doc);
		}
		json_decref(j);
	}
	if (c->want_pages >= 0)
		T_INT(pages, c->want_pages, "%s: page requests", c->label);
	if (c->want_ack_requests >= 0)
		T_INT(requests, c->want_ack_requests, "%s: ack requests",
		    c->label);
	if (c->want_ack_requests != 0) {
		T_INT((long long)json_object_size(acked), c->items,
		    "%s: every item acknowledged", c->label);
		if (c->acks_once)
			T_OK(once, "%s: none acknowledged twice", c->label);
	}
	if (c->last_query != NULL) {
		const char *eq = strchr(c->last_query, '=');

		snprintf(want, sizeof(want), "%.*s", (int)(eq - c->last_query),
		    c->last_query);
		T_STR(json_string_value(json_object_get(last, want)), eq + 1,
		    "%s: the last poll asked from where it stopped", c->label);
	}
	json_decref(last);
	json_decref(acked);
	free(text);
}

static void
run_case(const struct pcase *c)
{
	char dir[4096];
	struct world w;
	struct err e;
	pid_t em;
	int port = free_port(), rc, n;

	snprintf(dir, sizeof(dir), "%s", t_tmpdir(c->shape));
	write_config(c, dir, port);
	em = emulator_start(c, dir, port);
	if (c->die_at)
		run_killed(c, dir);
	if (world_open(c, dir, &w) != 0) {
		emulator_stop(em);
		return;
	}
	w.rec.etemp_at = c->etemp_at;
	rc = world_poll(&w, &e);
	T_INT(rc, c->want_first, "%s: first poll (%s)", c->label, e.msg);
	n = w.rec.calls;
	if (rc == LG_ETEMP && c->etemp_at == 0) {
		/* Backing off: the next poll sends nothing. */
		rc = world_poll(&w, &e);
		T_INT(rc, LG_ETEMP, "%s: the next poll waits", c->label);
		T_OK(strstr(e.msg, "waiting 1") != NULL, "%s: says how long "
		    "(%s)", c->label, e.msg);
	} else {
		rc = world_poll(&w, &e);
		T_INT(rc, LG_OK, "%s: next poll (%s)", c->label, e.msg);
		T_OK(w.rec.calls >= n, "%s: polled", c->label);
		rc = world_poll(&w, &e);
		T_INT(rc, LG_OK, "%s: a later poll finds nothing new (%s)",
		    c->label, e.msg);
	}
	if (c->want_first == LG_OK || c->etemp_at) {
		T_INT(db_count(w.rec.db, "SELECT count(*) FROM seen"), c->items,
		    "%s: every item stored once", c->label);
		T_INT(w.rec.dups, c->want_dups, "%s: offered again", c->label);
	}
	world_close(&w);
	emulator_stop(em);
	check_log(c, dir);
}

int
main(void)
{
	size_t i;

	log_init("test", LOG_TO_STDERR, LOG_LV_ERR);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (i = 0; i < NCASES; i++)
		run_case(&cases[i]);
	curl_global_cleanup();
	return t_done();
}
