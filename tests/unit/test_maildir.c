/*
 * The Maildir connector: configuration fixtures (tests/data/maildir/config,
 * NAME.conf and the golden NAME.want), then polls of a real Maildir in a
 * temporary directory with the recording sink of tsink.c: what is taken
 * (new/ and unseen cur/), where it ends (the .want files there), and
 * what LG_ETEMP, a dry run and the size limit leave alone.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "connectors/connector.h"
#include "util/buf.h"
#include "core/config.h"
#include "util/log.h"
#include "t.h"
#include "tsink.h"

static char data[2048];		/* tests/data/maildir */
static const char *dir;		/* this run's temporary directory */

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
is_conf(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".conf") == 0;
}

/* Every mistake without the fixture directory, one per line; or "ok". */
static void
config_case(const char *conf, struct buf *got)
{
	struct err_list errs = { NULL, 0 };
	struct connector_list list;
	struct config *cfg = NULL;
	const char *p, *m;
	struct err e;
	size_t i, n = strlen(data) + strlen("/config/");

	err_clear(&e);
	if (config_load(conf, &cfg, &errs, &e) == LG_OK &&
	    connector_load_all(cfg, &list, &errs, &e) == LG_OK) {
		buf_adds(got, "ok\n");
		connector_list_free(&list);
	} else {
		for (i = 0; i < errs.n; i++) {
			for (m = errs.v[i]; (p = strstr(m, data)) != NULL;
			    m = p + n)
				buf_add(got, m, (size_t)(p - m));
			buf_adds(got, m);
			buf_addc(got, '\n');
		}
		T_OK(errs.n > 0 && strcmp(errs.v[0], e.msg) == 0, "config %s: "
		    "the first mistake is the error", strrchr(conf, '/') + 1);
		err_list_clear(&errs);
	}
	if (cfg != NULL)
		config_free(cfg);
}

static void
config_cases(void)
{
	char path[4200], *want;
	struct dirent **ents;
	struct buf got;
	int i, n;

	snprintf(path, sizeof(path), "%s/config", data);
	if ((n = scandir(path, &ents, is_conf, by_name)) <= 0) {
		T_OK(0, "fixtures in %s", path);
		return;
	}
	for (i = 0; i < n; i++) {
		memset(&got, 0, sizeof(got));
		snprintf(path, sizeof(path), "%s/config/%s", data,
		    ents[i]->d_name);
		config_case(path, &got);
		snprintf(path + strlen(path) - 5, 6, ".want");
		want = t_slurp(path, NULL);
		T_STR(buf_str(&got), want ? want : "(no .want file)",
		    "config %s", ents[i]->d_name);
		free(want);
		buf_free(&got);
		free(ents[i]);
	}
	free(ents);
}

/* ---------------------------------------------------------------- */

struct tmd {
	char path[2048];	/* the Maildir */
	struct config *cfg;
	struct connector_list list;
	struct connector *c;
	struct tsink sink;
};

static void
put(const char *path, const char *fixture)
{
	char src[4200], *text;
	size_t len;
	FILE *f;

	snprintf(src, sizeof(src), "%s/../imap/mail/%s", data, fixture);
	if ((text = t_slurp(src, &len)) == NULL ||
	    (f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "cannot copy %s to %s\n", src, path);
		exit(2);
	}
	fwrite(text, 1, len, f);
	fclose(f);
	free(text);
}

static int
tmd_open(struct tmd *t, const char *name, const char *extra)
{
	char conf[4200], text[8192], db[4200];
	const char *subs[] = { "new", "cur", "tmp" };
	struct err e;
	size_t i;
	FILE *f;

	memset(t, 0, sizeof(*t));
	snprintf(t->path, sizeof(t->path), "%s/%s", dir, name);
	mkdir(t->path, 0700);
	for (i = 0; i < 3; i++) {
		snprintf(text, sizeof(text), "%s/%s", t->path, subs[i]);
		mkdir(text, 0700);
	}
	snprintf(conf, sizeof(conf), "%s/%s.conf", dir, name);
	snprintf(db, sizeof(db), "%s/%s.db", dir, name);
	snprintf(text, sizeof(text), "store = { path = \"%s\"; };\n"
	    "connectors = ( { name = \"%s\"; type = \"maildir\"; "
	    "path = \"%s\"; %s } );\n", db, name, t->path, extra);
	if ((f = fopen(conf, "w")) == NULL)
		return -1;
	fputs(text, f);
	fclose(f);
	if (config_load(conf, &t->cfg, NULL, &e) != LG_OK ||
	    connector_load_all(t->cfg, &t->list, NULL, &e) != LG_OK) {
		T_OK(0, "%s: connector created: %s", name, e.msg);
		return -1;
	}
	t->c = &t->list.v[0];
	return tsink_open(&t->sink, db);
}

static void
tmd_close(struct tmd *t)
{
	connector_list_free(&t->list);
	config_free(t->cfg);
	tsink_close(&t->sink);
}

static int
tmd_poll(struct tmd *t, int dry_run, struct err *e)
{
	struct connector_sink s = tsink_sink(&t->sink, dry_run);

	err_clear(e);
	return t->c->ops->poll_once(t->c->conn, &s, e);
}

/* "new/NAME" and "cur/NAME" lines, sorted: where every file is now. */
static void
listing(const struct tmd *t, struct buf *out)
{
	static const char *const subs[] = { "cur", "new" };
	struct dirent **ents;
	char p[4200];
	int i, n;
	size_t k;

	buf_reset(out);
	for (k = 0; k < 2; k++) {
		snprintf(p, sizeof(p), "%s/%s", t->path, subs[k]);
		if ((n = scandir(p, &ents, NULL, by_name)) < 0)
			continue;
		for (i = 0; i < n; i++) {
			if (ents[i]->d_name[0] != '.')
				buf_printf(out, "%s/%s\n", subs[k],
				    ents[i]->d_name);
			free(ents[i]);
		}
		free(ents);
	}
}

static void
want_file(const struct buf *got, const char *name, const char *label)
{
	char path[4200], *want;

	snprintf(path, sizeof(path), "%s/%s", data, name);
	want = t_slurp(path, NULL);
	T_STR(buf_str(got), want ? want : "(missing)", "%s (tests/data/"
	    "maildir/%s)", label, name);
	free(want);
}

/* Five files: three to take, one seen, one trashed, one hidden. */
static void
fill(const struct tmd *t)
{
	static const struct {
		const char *name, *fixture;
	} files[] = {
		{ "new/1767600000.M1P100.host", "01-immoscout.eml" },
		{ "cur/1767600001.M2P100.host:2,", "02-website.eml" },
		{ "cur/1767600002.M3P100.host:2,FR", "03-autoscout.eml" },
		{ "cur/1767500000.M4P100.host:2,S", "01-immoscout.eml" },
		{ "cur/1767500001.M5P100.host:2,ST", "02-website.eml" },
		{ "new/.1767600003.M6P100.host", "03-autoscout.eml" },
	};
	char p[4200];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", t->path, files[i].name);
		put(p, files[i].fixture);
	}
}

static void
case_flow(void)
{
	struct buf before = BUF_INIT, after = BUF_INIT;
	struct tmd t;
	struct err e;

	if (tmd_open(&t, "flow", "") != 0)
		return;
	fill(&t);
	listing(&t, &before);
	T_INT(tmd_poll(&t, 1, &e), LG_OK, "dry run: poll");
	T_INT(t.sink.calls, 3, "dry run: new/ and unseen cur/ handed over");
	listing(&t, &after);
	T_STR(buf_str(&after), buf_str(&before), "dry run: nothing moved");
	tsink_close(&t.sink);
	{
		char db[4200];

		snprintf(db, sizeof(db), "%s/flow-real.db", dir);
		tsink_open(&t.sink, db);
	}
	t.sink.etemp_at = 2;
	T_INT(tmd_poll(&t, 0, &e), LG_ETEMP, "sink busy: poll stops");
	T_OK(strstr(e.msg, "not handled now") != NULL, "sink busy: the error "
	    "says which file (%s)", e.msg);
	listing(&t, &after);
	want_file(&after, "after-busy.want", "sink busy: only the first "
	    "moved");
	t.sink.etemp_at = 0;
	t.sink.sync_fail = 1;
	T_INT(tmd_poll(&t, 0, &e), LG_ETEMP, "sync refused: poll fails");
	T_OK(strstr(e.msg, "left for the next poll") != NULL, "sync refused: "
	    "the error says so (%s)", e.msg);
	listing(&t, &after);
	want_file(&after, "after-busy.want", "sync refused: nothing more "
	    "moved");
	t.sink.sync_fail = 0;
	t.sink.syncs = 0;
	T_INT(tmd_poll(&t, 0, &e), LG_OK, "next poll");
	T_INT(t.sink.syncs, 1, "one sync for the batch, before the renames");
	T_INT(t.sink.created, 3, "three inquiries");
	T_INT(t.sink.duplicates, 2, "the two of the refused sync come back, "
	    "known by their keys");
	listing(&t, &after);
	want_file(&after, "after.want", "all moved to cur/ with S");
	T_INT(tmd_poll(&t, 0, &e), LG_OK, "third poll");
	T_INT(t.sink.calls, 6, "nothing handed over again");
	buf_free(&before);
	buf_free(&after);
	tmd_close(&t);
}

static void
case_too_big(void)
{
	char p[4200];
	struct tmd t;
	struct err e;
	FILE *f;
	int i;

	if (tmd_open(&t, "big", "max_size = 1024;") != 0)
		return;
	snprintf(p, sizeof(p), "%s/new/1767600009.M9P100.host", t.path);
	if ((f = fopen(p, "w")) == NULL)
		return;
	fputs("From: a@example.org\nSubject: big\n\n", f);
	for (i = 0; i < 200; i++)
		fputs("0123456789012345678901234567890123456789\n", f);
	fclose(f);
	T_INT(tmd_poll(&t, 0, &e), LG_OK, "too big: poll");
	T_INT(t.sink.truncated, 1, "too big: handed over marked truncated");
	T_INT(t.sink.last_len, 1025, "too big: max_size + 1 bytes read");
	tmd_close(&t);
}

int
main(void)
{
	const char *top = getenv("TOP");

	log_set_level(LOG_LV_ERR);
	snprintf(data, sizeof(data), "%s/tests/data/maildir",
	    top && *top ? top : ".");
	dir = t_tmpdir("maildir");
	config_cases();
	case_flow();
	case_too_big();
	return t_done();
}
