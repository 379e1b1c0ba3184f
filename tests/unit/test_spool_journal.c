/*
 * The result journal: allocated in full at creation, records that
 * survive a reopen, a torn record ignored, clearing, and a full journal.
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
	struct stat sb;
	size_t n = 0;
	struct err e;
	int fd;

	err_clear(&e);
	T_INT(journal_open(dir, &j, &e), LG_OK, "create (%s)", e.msg);
	snprintf(path, sizeof(path), "%s/results.journal", dir);
	T_OK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600 &&
	    sb.st_size == (off_t)JOURNAL_SLOTS * 128 &&
	    sb.st_blocks * 512 >= sb.st_size, "allocated in full, 0600");
	T_INT(journal_entries(j, &v, &n, &e), LG_OK, "empty: read");
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
	T_INT(journal_entries(j, &v, &n, &e), LG_OK, "reopen: read");
	T_OK(n == 1 && v[0].id == 7 && v[0].at == 1000 &&
	    strcmp(v[0].reply, "250 2.0.0 Ok: queued as A") == 0,
	    "reopen: the whole record, not the torn one");
	free(v);
	T_INT(journal_add(j, 11, 1002, "250 ok", &e), LG_OK,
	    "add after the torn one");
	T_INT(journal_entries(j, &v, &n, &e), LG_OK, "read again");
	T_OK(n == 2 && v[0].id == 7 && v[1].id == 11, "7 and 11");
	free(v);
	T_INT(journal_clear(j, &e), LG_OK, "clear");
	T_INT(journal_entries(j, &v, &n, &e), LG_OK, "cleared: read");
	T_INT((long long)n, 0, "cleared: no record");
	free(v);
	journal_close(j);
	T_INT(journal_open(dir, &j, &e), LG_OK, "reopen after clear");
	T_INT(journal_entries(j, &v, &n, &e), LG_OK, "reopened: read");
	T_INT((long long)n, 0, "cleared for good");
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
	snprintf(full, sizeof(full), "%s/full", dir);
	mkdir(full, 0700);
	test_full(full);
	return t_done();
}
