/*
 * The mail archive folder (core/archive.h): contents round-trip byte for
 * byte, one file per content, modes 0600/0700 whatever the umask, a
 * damaged or missing file is a clear error, and the purge removes only
 * what no kept mail names and is old enough.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/archive.h"
#include "core/store.h"
#include "util/xmalloc.h"
#include "t.h"

#define NOW 1772618400		/* 2026-03-04T10:00:00Z */
#define DAY 86400

static const char *dir;

static char *
apath(const char *hex)
{
	static char buf[4200];
	char *p = archive_path(dir, hex);

	snprintf(buf, sizeof(buf), "%s", p);
	free(p);
	return buf;
}

static int
mode_of(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (int)(sb.st_mode & 07777) : -1;
}

static long
files_in(const char *fan)
{
	char cmd[4300], line[64];
	FILE *f;
	long n = -1;

	snprintf(cmd, sizeof(cmd), "find '%s' -type f | wc -l", fan);
	if ((f = popen(cmd, "r")) != NULL) {
		if (fgets(line, sizeof(line), f))
			n = atol(line);
		pclose(f);
	}
	return n;
}

static void
put_bytes(const char *data, size_t len, char *hex, const char *label)
{
	struct err e;

	err_clear(&e);
	T_INT(archive_put(dir, data, len, NOW, hex, NULL, &e), LG_OK,
	    "%s: put (%s)", label, e.msg);
}

static void
test_round_trip(void)
{
	/* Binary with NULs, CRs and bytes >= 0x80; and an empty content. */
	static const char bin[] = "From: a@b\r\n\r\n\0\x01\xff\xfe\r\rend";
	char hex[ARCHIVE_HEXLEN + 1], hex2[ARCHIVE_HEXLEN + 1];
	struct buf out = BUF_INIT;
	struct err e;
	char fan[4200];

	umask(022);
	put_bytes(bin, sizeof(bin) - 1, hex, "binary");
	T_INT((long long)strlen(hex), ARCHIVE_HEXLEN, "the name is a SHA-256");
	T_OK(archive_hex_ok(hex) == LG_OK, "in lower-case hex");
	err_clear(&e);
	T_INT(archive_get(dir, hex, &out, &e), LG_OK, "get (%s)", e.msg);
	T_OK(out.len == sizeof(bin) - 1 && memcmp(out.data, bin, out.len) == 0,
	    "the bytes come back unchanged (%zu bytes)", out.len);
	buf_free(&out);

	T_INT(mode_of(dir), 0700, "the archive folder is 0700 under umask 022");
	snprintf(fan, sizeof(fan), "%s/%.2s", dir, hex);
	T_INT(mode_of(fan), 0700, "its fan-out folder is 0700");
	T_INT(mode_of(apath(hex)), 0600, "the file is 0600");

	put_bytes(bin, sizeof(bin) - 1, hex2, "the same again");
	T_STR(hex2, hex, "the same content has the same name");
	T_INT(files_in(dir), 1, "and is one file");

	put_bytes("", 0, hex2, "empty");
	err_clear(&e);
	T_INT(archive_get(dir, hex2, &out, &e), LG_OK, "an empty content reads");
	T_INT((long long)out.len, 0, "... empty");
	buf_free(&out);
	T_INT(files_in(dir), 2, "two contents, two files");
}

static void
test_errors(void)
{
	static const char mail[] = "From: x@example.org\n\nhello\n";
	char hex[ARCHIVE_HEXLEN + 1], other[ARCHIVE_HEXLEN + 1];
	struct buf out = BUF_INIT;
	struct err e;
	FILE *f;
	char *gz;
	size_t len;

	put_bytes(mail, sizeof(mail) - 1, hex, "a mail");

	err_clear(&e);
	T_INT(archive_get(dir, "../../etc/passwd", &out, &e), LG_EPERM,
	    "a name that is no SHA-256 is refused");
	archive_hash("nothing kept", 12, other);
	err_clear(&e);
	T_INT(archive_get(dir, other, &out, &e), LG_ENOENT, "a missing file: "
	    "LG_ENOENT");
	T_OK(strstr(e.msg, "missing") != NULL, "... saying so: %s", e.msg);

	/* Cut short: half the gzip file. */
	gz = t_slurp(apath(hex), &len);
	T_OK(gz != NULL && len > 20, "the file reads");
	f = fopen(apath(hex), "wb");
	fwrite(gz, 1, len / 2, f);
	fclose(f);
	err_clear(&e);
	T_INT(archive_get(dir, hex, &out, &e), LG_EPERM, "a file cut short: "
	    "LG_EPERM");
	T_OK(strstr(e.msg, "damaged") != NULL, "... damaged: %s", e.msg);

	/* Not gzip at all. */
	f = fopen(apath(hex), "wb");
	fputs(mail, f);
	fclose(f);
	err_clear(&e);
	T_INT(archive_get(dir, hex, &out, &e), LG_EPERM, "not gzip: LG_EPERM");
	T_OK(strstr(e.msg, "damaged") != NULL, "... damaged: %s", e.msg);

	/* Valid gzip of another content under this name. */
	put_bytes("another content", 15, other, "another content");
	free(gz);
	gz = t_slurp(apath(other), &len);
	f = fopen(apath(hex), "wb");
	fwrite(gz, 1, len, f);
	fclose(f);
	err_clear(&e);
	T_INT(archive_get(dir, hex, &out, &e), LG_EPERM, "someone else's "
	    "content: LG_EPERM");
	T_OK(strstr(e.msg, "not the one") != NULL, "... says so: %s", e.msg);
	T_INT((long long)out.len, 0, "nothing is handed out");
	free(gz);
	buf_free(&out);
}

static void
add_row(struct store *st, const char *hex)
{
	struct new_mail_row m;
	struct err e;

	memset(&m, 0, sizeof(m));
	m.connector = "test";
	m.size = 1;
	m.sha256 = hex;
	err_clear(&e);
	T_INT(store_mail_add(st, &m, NULL, &e), LG_OK, "row for %.8s (%s)", hex,
	    e.msg);
}

static void
touch(const char *path, time_t t)
{
	char cmd[4400];

	snprintf(cmd, sizeof(cmd), "touch -d @%lld '%s'", (long long)t, path);
	T_OK(system(cmd) == 0, "touch %s", path);
}

static void
test_purge(void)
{
	char old_kept[ARCHIVE_HEXLEN + 1], old_free[ARCHIVE_HEXLEN + 1],
	    new_free[ARCHIVE_HEXLEN + 1], expired[ARCHIVE_HEXLEN + 1],
	    tmp[4300], alien[4300];
	struct archive_purged r;
	struct store *st;
	struct err e;
	char db[4200];
	time_t now = time(NULL);
	const char *saved = dir;
	char *pdir = xasprintf("%s-purge", dir);

	dir = pdir;

	snprintf(db, sizeof(db), "%s.db", dir);
	unlink(db);
	err_clear(&e);
	T_INT(store_open(db, NULL, &st, &e), LG_OK, "store (%s)", e.msg);
	if (st == NULL) {
		dir = saved;
		free(pdir);
		return;
	}

	err_clear(&e);
	T_INT(archive_purge(dir, st, 0, now, &r, &e), LG_OK, "purge an "
	    "archive that was never written");

	archive_put(dir, "kept and named", 14, now - 40 * DAY, old_kept,
	    NULL, &e);
	archive_put(dir, "old, no row", 11, now - 40 * DAY, old_free,
	    NULL, &e);
	archive_put(dir, "new, no row", 11, now - 60, new_free,
	    NULL, &e);
	archive_put(dir, "expired", 7, now - 40 * DAY, expired,
	    NULL, &e);
	add_row(st, old_kept);
	/* A row received 40 days ago (the store's clock is pinned for it). */
	setenv("LEADGATE_NOW", "2000-01-01T00:00:00Z", 1);
	add_row(st, expired);
	unsetenv("LEADGATE_NOW");
	snprintf(tmp, sizeof(tmp), "%s/%.2s/.tmp-abcdef", dir, old_kept);
	fclose(fopen(tmp, "w"));
	touch(tmp, now - 2 * 3600);
	snprintf(alien, sizeof(alien), "%s/%.2s/README", dir, old_kept);
	fclose(fopen(alien, "w"));
	touch(alien, now - 40 * DAY);

	err_clear(&e);
	T_INT(archive_purge(dir, st, 0, now, &r, &e), LG_OK, "purge, "
	    "keep_days 0 (%s)", e.msg);
	T_INT(r.rows, 0, "keep_days 0 forgets no row");
	T_INT(r.files, 1, "one old file no row names is removed");
	T_INT(r.temps, 1, "the old temporary file is removed");
	T_OK(access(apath(old_free), F_OK) != 0, "it is the unnamed old one");
	T_OK(access(apath(old_kept), F_OK) == 0, "a named file stays");
	T_OK(access(apath(expired), F_OK) == 0, "so does the expired one, "
	    "still named");
	T_OK(access(apath(new_free), F_OK) == 0, "an unnamed file younger "
	    "than an hour stays (ingest may be recording it)");
	T_OK(access(alien, F_OK) == 0, "a file that is not the archive's "
	    "stays");

	err_clear(&e);
	T_INT(archive_purge(dir, st, 30, now, &r, &e), LG_OK, "purge, "
	    "keep_days 30 (%s)", e.msg);
	T_INT(r.rows, 1, "the row older than 30 days is forgotten");
	T_INT(r.files, 1, "and its file removed");
	T_OK(access(apath(expired), F_OK) != 0, "it is the expired one");
	T_OK(access(apath(old_kept), F_OK) == 0, "the recent row's file stays");

	err_clear(&e);
	T_INT(archive_purge(dir, st, 0, now + 2 * 3600, &r, &e), LG_OK,
	    "purge two hours later");
	T_INT(r.files, 1, "the unnamed file is old enough now");
	T_OK(access(apath(new_free), F_OK) != 0, "and gone");
	store_close(st);
	dir = saved;
	free(pdir);
}

/*
 * A batch: each file is in place at once (one syncfs() makes the group
 * durable, content and names); a batch freed unsynced leaves its files
 * for the purge, and no temporary file.
 */
static void
test_batch(void)
{
	static const char a[] = "From: a@example.org\n\nbatch one\n";
	static const char b[] = "From: b@example.org\n\nbatch two\n";
	static const char c[] = "From: c@example.org\n\nnever synced\n";
	char ha[ARCHIVE_HEXLEN + 1], hb[ARCHIVE_HEXLEN + 1];
	char hc[ARCHIVE_HEXLEN + 1];
	struct archive_batch *bt = archive_batch_new();
	struct buf out = BUF_INIT;
	long before = files_in(dir);
	struct err e;

	err_clear(&e);
	T_INT(archive_put(dir, a, sizeof(a) - 1, NOW, ha, bt, &e), LG_OK,
	    "batch: put one (%s)", e.msg);
	T_INT(archive_put(dir, b, sizeof(b) - 1, NOW, hb, bt, &e), LG_OK,
	    "batch: put two (%s)", e.msg);
	T_INT(archive_put(dir, a, sizeof(a) - 1, NOW, ha, bt, &e), LG_OK,
	    "batch: the first again, in the same batch (%s)", e.msg);
	T_INT((long long)archive_batch_len(bt), 2, "batch: two files written");
	T_INT(files_in(dir), before + 2, "batch: two contents in place, no "
	    "temporary file left");
	T_INT(mode_of(apath(hb)), 0600, "batch: a file in place is 0600");
	err_clear(&e);
	T_INT(archive_batch_sync(bt, &e), LG_OK, "batch: sync (%s)", e.msg);
	T_INT((long long)archive_batch_len(bt), 0, "batch: empty after it");
	T_INT(archive_get(dir, ha, &out, &e), LG_OK, "batch: reads (%s)",
	    e.msg);
	T_OK(out.len == sizeof(a) - 1 && memcmp(out.data, a, out.len) == 0,
	    "batch: the bytes come back");
	buf_free(&out);
	T_INT(archive_put(dir, b, sizeof(b) - 1, NOW, hb, bt, &e), LG_OK,
	    "batch: a content in place again (%s)", e.msg);
	T_INT((long long)archive_batch_len(bt), 0, "batch: writes nothing");
	T_INT(archive_batch_sync(bt, &e), LG_OK, "batch: its sync (%s)",
	    e.msg);

	T_INT(archive_put(dir, c, sizeof(c) - 1, NOW, hc, bt, &e), LG_OK,
	    "batch: put (%s)", e.msg);
	archive_batch_free(bt);
	T_INT(files_in(dir), before + 3, "batch: freed unsynced, its file "
	    "stays for the purge, no temporary file");
	archive_batch_free(NULL);
	T_INT(archive_batch_sync(NULL, &e), LG_OK, "batch: NULL syncs nothing");
}

/*
 * What a power cut between a batch's renames and its sync may leave: a
 * file in place, named for its content, that is empty or cut short. No
 * row names it; the same content again must not trust it.
 */
static void
test_cut_short(void)
{
	static const char m[] = "From: d@example.org\n\ncut short by a "
	    "power cut, then the same mail again\n";
	char hex[ARCHIVE_HEXLEN + 1], hex2[ARCHIVE_HEXLEN + 1];
	struct archive_batch *bt;
	struct buf out = BUF_INIT;
	struct stat sb;
	struct err e;
	int i;

	for (i = 0; i < 2; i++) {
		bt = i ? archive_batch_new() : NULL;
		put_bytes(m, sizeof(m) - 1, hex, "cut short: first put");
		T_OK(stat(apath(hex), &sb) == 0 && sb.st_size > 10,
		    "cut short: written (%s)", i ? "batch" : "no batch");
		T_OK(truncate(apath(hex), i ? 0 : sb.st_size / 2) == 0,
		    "cut short: %s", i ? "emptied" : "halved");
		err_clear(&e);
		T_INT(archive_get(dir, hex, &out, &e), LG_EPERM,
		    "cut short: reads as damaged (%s)", e.msg);
		buf_free(&out);
		err_clear(&e);
		T_INT(archive_put(dir, m, sizeof(m) - 1, NOW, hex2, bt, &e),
		    LG_OK, "cut short: the same content again (%s)", e.msg);
		T_INT(archive_batch_sync(bt, &e), LG_OK, "cut short: sync (%s)",
		    e.msg);
		T_INT(archive_get(dir, hex, &out, &e), LG_OK,
		    "cut short: written anew, whole (%s, %s)",
		    i ? "batch" : "no batch", e.msg);
		T_OK(out.len == sizeof(m) - 1 && memcmp(out.data, m,
		    out.len) == 0, "cut short: the bytes come back");
		buf_free(&out);
		archive_batch_free(bt);
		T_OK(unlink(apath(hex)) == 0, "cut short: removed for the next");
	}
}

int
main(void)
{
	char *kept = xasprintf("%s/kept", t_tmpdir("archive"));

	dir = kept;
	test_round_trip();
	test_errors();
	test_batch();
	test_cut_short();
	test_purge();
	free(kept);
	return t_done();
}
