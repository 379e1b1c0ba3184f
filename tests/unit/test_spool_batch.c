/*
 * Batch files (spool_batch): many messages of one transaction in one
 * file with an index, read back byte for byte by row, removed once every
 * row naming it is sent (spool_release), and what spool_recover() does
 * with them after a crash.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/store.h"
#include "util/xmalloc.h"
#include "spool/spool.h"
#include "t.h"
#include "t_spool.h"

static char spooldir[4096];

static int
nfiles(const char *sub)
{
	char cmd[4300], out[32];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls -A '%s/%s' | wc -l", spooldir, sub);
	if ((p = popen(cmd, "r")) == NULL || fgets(out, sizeof(out), p) == NULL)
		return -1;
	pclose(p);
	return atoi(out);
}

static int
exists(const char *sub)
{
	char path[4200];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s", spooldir, sub);
	return stat(path, &sb) == 0;
}

/*
 * Messages from..to in one batch transaction; committed when commit is
 * set, else rolled back after the sync (a crash between the two).
 */
static int
batch_tx(struct spool *sp, struct store *st, int from, int to, int commit,
    struct err *e)
{
	struct outgoing *o;
	char *msg;
	int i, rc;

	if ((rc = store_begin(st, e)) != LG_OK)
		return rc;
	spool_batch(sp, 1);
	for (i = from; rc == LG_OK && i <= to; i++) {
		o = t_spool_outgoing(i);
		msg = t_spool_message(i);
		rc = spool_enqueue(sp, st, o, msg, strlen(msg), e);
		free(msg);
		outgoing_free(o);
	}
	if (rc == LG_OK)
		rc = spool_sync(sp, e);
	if (rc == LG_OK && commit)
		rc = store_commit(st, e);
	else
		store_rollback(st);
	spool_batch(sp, 0);
	return rc;
}

static void
mark_sent(struct store *st, int64_t id)
{
	struct outgoing *o = NULL;
	struct err e;

	err_clear(&e);
	if (store_outgoing_get(st, id, &o, &e) != LG_OK) {
		T_OK(0, "get %lld: %s", (long long)id, e.msg);
		return;
	}
	o->state = OUT_SENT;
	if (store_outgoing_update(st, o, &e) != LG_OK)
		T_OK(0, "update %lld: %s", (long long)id, e.msg);
	outgoing_free(o);
}

static void
test_batch(struct spool *sp, struct store *st)
{
	struct outgoing *o = NULL;
	int64_t lo = 0, hi = 0;
	char *msg, *want;
	size_t len = 0;
	struct err e;
	int i, same = 1;

	err_clear(&e);
	T_INT(batch_tx(sp, st, 1, 3, 1, &e), LG_OK, "three messages in a batch");
	T_INT(nfiles("queue"), 1, "one file for the three");
	T_INT(nfiles("tmp"), 0, "nothing left in tmp/");
	T_OK(exists("queue/b1"), "named after its first row");
	for (i = 1; i <= 3; i++) {
		store_outgoing_get(st, i, &o, &e);
		T_STR(o ? o->spool_name : NULL, "b1", "row %d names it", i);
		msg = NULL;
		want = t_spool_message(i);
		T_INT(spool_read_row(sp, "b1", i, &msg, &len, &e), LG_OK,
		    "read message %d", i);
		same = msg != NULL && len == strlen(want) &&
		    memcmp(msg, want, len) == 0;
		T_OK(same, "message %d byte for byte", i);
		free(msg);
		free(want);
		outgoing_free(o);
		o = NULL;
	}
	msg = NULL;
	T_INT(spool_read_row(sp, "b1", 9, &msg, &len, &e), LG_ENOENT,
	    "a row that is not in the file");
	T_INT(spool_batch_ids(sp, "b1", &lo, &hi, &e), LG_OK, "its index");
	T_OK(lo == 1 && hi == 3, "rows 1 to 3 (%lld to %lld)", (long long)lo,
	    (long long)hi);

	mark_sent(st, 1);
	mark_sent(st, 2);
	T_INT(spool_release(sp, st, "b1", &e), LG_OK, "release, one unsent");
	T_OK(exists("queue/b1"), "stays while a row of it is not sent");
	mark_sent(st, 3);
	T_INT(spool_release(sp, st, "b1", &e), LG_OK, "release, all sent");
	T_OK(!exists("queue/b1"), "goes once all of it is sent");
	T_INT(spool_release(sp, st, "b1", &e), LG_OK, "release again");
}

static void
test_recover(struct spool *sp, struct store *st)
{
	struct spool_recovery r;
	struct err e;
	char path[4200];
	int fd;

	err_clear(&e);
	/* 4, 5: committed, 4 then sent; 6, 7: all sent, file left. */
	T_INT(batch_tx(sp, st, 4, 5, 1, &e), LG_OK, "batch of 4 and 5");
	mark_sent(st, 4);
	T_INT(batch_tx(sp, st, 6, 7, 1, &e), LG_OK, "batch of 6 and 7");
	mark_sent(st, 6);
	mark_sent(st, 7);
	/* 8, 9: synced and moved into queue/, never committed (a crash). */
	T_INT(batch_tx(sp, st, 8, 9, 0, &e), LG_OK, "batch of 8 and 9, rolled "
	    "back");
	T_INT(nfiles("queue"), 3, "three batch files");
	/* A batch file cut short while it was written. */
	snprintf(path, sizeof(path), "%s/tmp/b50", spooldir);
	if ((fd = open(path, O_CREAT | O_WRONLY, 0600)) >= 0)
		close(fd);

	T_INT(spool_recover(sp, st, &r, &e), LG_OK, "recover");
	T_INT(r.tmp_removed, 1, "recover: the one in tmp/ removed");
	T_INT(r.orphans_removed, 1, "recover: the uncommitted batch removed");
	T_INT(r.done_removed, 1, "recover: the batch all sent removed");
	T_INT(r.lost, 0, "recover: nothing lost");
	T_OK(exists("queue/b4"), "recover: the batch with a queued row stays");
	T_OK(!exists("queue/b6") && !exists("queue/b8"), "recover: the others "
	    "are gone");
	T_INT(spool_recover(sp, st, &r, &e), LG_OK, "recover again");
	T_INT(r.tmp_removed + r.orphans_removed + r.done_removed + r.lost, 0,
	    "recover again: nothing to do");
}

/* Messages larger than the write buffer, and between: byte for byte. */
static void
test_large(struct spool *sp, struct store *st)
{
	char *msg[3], *got, name[32];
	int64_t ids[3] = { 0, 0, 0 };
	struct outgoing *o;
	size_t len, i, k;
	struct err e;
	int rc;

	err_clear(&e);
	rc = store_begin(st, &e);
	spool_batch(sp, 1);
	for (i = 0; i < 3; i++) {
		char *head = t_spool_message(20 + (int)i);
		size_t hl = strlen(head), lines = i == 1 ? 400 : 150;

		msg[i] = xmalloc(hl + lines * 902 + 1);
		memcpy(msg[i], head, hl);
		for (k = 0; k < lines; k++) {
			memset(msg[i] + hl + k * 902, 'a' + (int)((i + k) % 26),
			    900);
			memcpy(msg[i] + hl + k * 902 + 900, "\r\n", 2);
		}
		msg[i][hl + lines * 902] = '\0';
		free(head);
		o = t_spool_outgoing(20 + (int)i);
		if (rc == LG_OK)
			rc = spool_enqueue(sp, st, o, msg[i], strlen(msg[i]),
			    &e);
		ids[i] = o->id;
		if (i == 0)
			snprintf(name, sizeof(name), "%s", o->spool_name ?
			    o->spool_name : "");
		outgoing_free(o);
	}
	if (rc == LG_OK && (rc = spool_sync(sp, &e)) == LG_OK)
		rc = store_commit(st, &e);
	else
		store_rollback(st);
	spool_batch(sp, 0);
	T_INT(rc, LG_OK, "135, 360 and 135 KB in one batch");
	for (i = 0; i < 3; i++) {
		got = NULL;
		len = 0;
		T_INT(spool_read_row(sp, name, ids[i], &got, &len, &e),
		    LG_OK, "read large message %zu", i + 1);
		T_OK(got != NULL && len == strlen(msg[i]) &&
		    memcmp(got, msg[i], len) == 0,
		    "large message %zu byte for byte", i + 1);
		free(got);
		free(msg[i]);
	}
}

int
main(void)
{
	const char *dir = t_tmpdir("spool-batch");
	struct spool *sp;
	struct domain d;
	struct err e;

	t_spool_domain(dir, &d);
	snprintf(spooldir, sizeof(spooldir), "%s/spool", dir);
	err_clear(&e);
	if (spool_open(spooldir, &sp, &e) != LG_OK) {
		T_OK(0, "spool_open: %s", e.msg);
		return t_done();
	}
	test_batch(sp, d.st);
	test_recover(sp, d.st);
	test_large(sp, d.st);
	spool_close(sp);
	t_spool_domain_close(&d);
	return t_done();
}
