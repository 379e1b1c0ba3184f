/*
 * The delivery journal: allocated in full at creation, records that
 * survive a reopen, a torn record ignored, clearing (by epoch, with the
 * boot that wrote it), records of every kind, a journal of the first
 * format read and extended, and a full journal.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spool/journal.h"
#include "t.h"

static void
test_records(const char *dir)
{
	char path[4200];
	struct journal_entry *v = NULL;
	struct journal *j = NULL;
	char boot[JOURNAL_BOOT];
	struct stat sb;
	size_t n = 0;
	struct err e;
	int fd;

	err_clear(&e);
	T_INT(journal_open(dir, &j, &e), LG_OK, "create (%s)", e.msg);
	snprintf(path, sizeof(path), "%s/results.journal", dir);
	T_OK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600 &&
	    sb.st_size == (off_t)(JOURNAL_SLOTS + 1) * 128 &&
	    sb.st_blocks * 512 >= sb.st_size, "allocated in full, 0600");
	T_INT(journal_entries(j, &v, &n, boot, &e), LG_OK, "empty: read");
	T_INT((long long)n, 0, "empty: no record");
	free(v);
	T_INT(journal_add(j, 7, 1000, "250 2.0.0 Ok: queued as A", &e), LG_OK,
	    "add 7");
	T_INT(journal_add(j, 9, 1001, "250 ok", &e), LG_OK, "add 9");
	journal_close(j);

	/* A torn second record: its checksum no longer matches. */
	fd = open(path, O_RDWR);
	T_OK(fd >= 0 && pwrite(fd, "X", 1, 128 + 40) == 1, "tear record 2");
	close(fd);
	T_INT(journal_open(dir, &j, &e), LG_OK, "reopen");
	T_INT(journal_entries(j, &v, &n, boot, &e), LG_OK, "reopen: read");
	T_OK(n == 1 && v[0].id == 7 && v[0].at == 1000 &&
	    strcmp(v[0].reply, "250 2.0.0 Ok: queued as A") == 0,
	    "reopen: the whole record, not the torn one");
	free(v);
	T_INT(journal_add(j, 11, 1002, "250 ok", &e), LG_OK,
	    "add after the torn one");
	T_INT(journal_entries(j, &v, &n, boot, &e), LG_OK, "read again");
	T_OK(n == 2 && v[0].id == 7 && v[1].id == 11, "7 and 11");
	free(v);
	T_INT(journal_clear(j, "boot-a", 1, &e), LG_OK, "clear");
	T_INT(journal_entries(j, &v, &n, boot, &e), LG_OK, "cleared: read");
	T_INT((long long)n, 0, "cleared: no record");
	free(v);
	journal_close(j);
	T_INT(journal_open(dir, &j, &e), LG_OK, "reopen after clear");
	T_INT(journal_entries(j, &v, &n, boot, &e), LG_OK, "reopened: read");
	T_INT((long long)n, 0, "cleared for good");
	T_STR(boot, "boot-a", "the boot that cleared it is kept");
	free(v);
	journal_close(j);
}

/* Each kind comes back as written; a clear without sync drops them all. */
static void
test_kinds(const char *dir)
{
	struct journal_entry en, *v = NULL;
	struct journal *j = NULL;
	char boot[JOURNAL_BOOT], want[JOURNAL_REPLY];
	size_t n = 0;
	struct err e;
	int k;

	err_clear(&e);
	T_INT(journal_open(dir, &j, &e), LG_OK, "open (%s)", e.msg);
	T_INT(journal_clear(j, "boot-b", 0, &e), LG_OK, "first clear");
	for (k = 0; k < JOURNAL_NKINDS; k++) {
		memset(&en, 0, sizeof(en));
		en.id = 100 + k;
		en.at = 2000 + k;
		en.kind = (enum journal_kind)k;
		en.cls = 3 + k;
		snprintf(en.reply, sizeof(en.reply), "reply %d", k);
		T_INT(journal_put(j, &en, &e), LG_OK, "put kind %d", k);
	}
	T_INT((long long)journal_used(j), JOURNAL_NKINDS, "used slots");
	journal_close(j);
	T_INT(journal_open(dir, &j, &e), LG_OK, "reopen");
	T_INT(journal_entries(j, &v, &n, boot, &e), LG_OK, "read");
	T_INT((long long)n, JOURNAL_NKINDS, "every kind is back");
	for (k = 0; k < (int)n; k++) {
		snprintf(want, sizeof(want), "reply %d", k);
		T_OK(v[k].id == 100 + k && v[k].at == 2000 + k &&
		    (int)v[k].kind == k && v[k].cls == 3 + k &&
		    strcmp(v[k].reply, want) == 0, "kind %d as written", k);
	}
	T_STR(boot, "boot-b", "the boot");
	free(v);
	/* The next epoch: what was written no longer counts, even reopened. */
	T_INT(journal_clear(j, "boot-b", 0, &e), LG_OK, "clear, no sync");
	memset(&en, 0, sizeof(en));
	en.id = 555;
	en.kind = JOURNAL_WIRE;
	T_INT(journal_put(j, &en, &e), LG_OK, "put in the new epoch");
	journal_close(j);
	T_INT(journal_open(dir, &j, &e), LG_OK, "reopen");
	T_INT(journal_entries(j, &v, &n, boot, &e), LG_OK, "read");
	T_OK(n == 1 && v[0].id == 555 && v[0].kind == JOURNAL_WIRE,
	    "only the new epoch's record counts");
	free(v);
	journal_close(j);
}

/*
 * A journal of the first format (no header, "LGR1" acceptances): its
 * records are read as acceptances, it gets a header, and a clear zeroes
 * them for good.
 */
static void
test_legacy(const char *dir)
{
	unsigned char rec[128];
	char path[4200], boot[JOURNAL_BOOT];
	struct journal_entry *v = NULL;
	struct journal *j = NULL;
	const unsigned char *p;
	struct stat sb;
	uint32_t h = 2166136261u;
	int64_t id = 42, at = 77;
	size_t i, n = 0;
	struct err e;
	int fd;

	snprintf(path, sizeof(path), "%s/results.journal", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	T_OK(fd >= 0 && ftruncate(fd, (off_t)JOURNAL_SLOTS * 128) == 0,
	    "a first-format journal");
	memset(rec, 0, sizeof(rec));
	memcpy(rec, "LGR1", 4);
	memcpy(rec + 8, &id, 8);
	memcpy(rec + 16, &at, 8);
	memcpy(rec + 24, "250 old", 7);
	for (p = rec + 8, i = 0; i < 120; i++)
		h = (h ^ p[i]) * 16777619u;
	memcpy(rec + 4, &h, 4);
	T_OK(pwrite(fd, rec, sizeof(rec), 128 * 3) == 128, "its record");
	close(fd);
	err_clear(&e);
	T_INT(journal_open(dir, &j, &e), LG_OK, "open (%s)", e.msg);
	T_OK(stat(path, &sb) == 0 &&
	    sb.st_size == (off_t)(JOURNAL_SLOTS + 1) * 128, "extended");
	T_INT(journal_entries(j, &v, &n, boot, &e), LG_OK, "read");
	T_OK(n == 1 && v[0].id == 42 && v[0].at == 77 &&
	    v[0].kind == JOURNAL_SENT && strcmp(v[0].reply, "250 old") == 0,
	    "the old record is an acceptance");
	T_STR(boot, "", "no boot yet");
	free(v);
	T_INT(journal_clear(j, "boot-c", 1, &e), LG_OK, "clear");
	journal_close(j);
	T_INT(journal_open(dir, &j, &e), LG_OK, "reopen");
	T_INT(journal_entries(j, &v, &n, boot, &e), LG_OK, "read");
	T_INT((long long)n, 0, "the old record is gone");
	free(v);
	journal_close(j);
}

static void
test_full(const char *dir)
{
	struct journal *j = NULL;
	struct err e;
	int i, rc = LG_OK;

	err_clear(&e);
	T_INT(journal_open(dir, &j, &e), LG_OK, "open");
	for (i = 0; i < JOURNAL_SLOTS && rc == LG_OK; i++)
		rc = journal_add(j, i + 1, 0, "250 ok", &e);
	T_INT(rc, LG_OK, "%d records fit", JOURNAL_SLOTS);
	T_INT(journal_add(j, 99999, 0, "250 ok", &e), LG_ETEMP, "one more: full");
	T_OK(strstr(e.msg, "is full") != NULL, "full: the reason");
	journal_close(j);
}

int
main(void)
{
	const char *dir = t_tmpdir("spool-journal");
	char full[4200];

	test_records(dir);
	snprintf(full, sizeof(full), "%s/kinds", dir);
	mkdir(full, 0700);
	test_kinds(full);
	snprintf(full, sizeof(full), "%s/legacy", dir);
	mkdir(full, 0700);
	test_legacy(full);
	snprintf(full, sizeof(full), "%s/full", dir);
	mkdir(full, 0700);
	test_full(full);
	return t_done();
}
