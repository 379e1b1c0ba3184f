/* spool_enqueue(), the files it writes, and spool_recover() after a crash. */
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
mode_of(const char *sub)
{
	char path[4200];
	struct stat sb;

	snprintf(path, sizeof(path), "%s%s%s", spooldir, *sub ? "/" : "", sub);
	return stat(path, &sb) == 0 ? (int)(sb.st_mode & 07777) : -1;
}

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

static long
nrows(struct store *st)
{
	long counts[OUT_NSTATES], n = 0;
	int i;

	store_outgoing_counts(st, counts, NULL);
	for (i = 0; i < OUT_NSTATES; i++)
		n += counts[i];
	return n;
}

static int
enqueue_tx(struct spool *sp, struct store *st, struct outgoing *o,
    const char *msg, struct err *e)
{
	int rc;

	if ((rc = store_begin(st, e)) != LG_OK)
		return rc;
	if ((rc = spool_enqueue(sp, st, o, msg, strlen(msg), e)) != LG_OK) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

static void
test_enqueue(struct spool *sp, struct store *st)
{
	struct outgoing *o = t_spool_outgoing(1);
	char *msg = t_spool_message(1), *file, path[4200];
	size_t len = 0;
	struct err e;

	err_clear(&e);
	T_INT(enqueue_tx(sp, st, o, msg, &e), LG_OK, "enqueue");
	T_STR(o->spool_name, "1", "the file is named by the row id");
	snprintf(path, sizeof(path), "%s/queue/1", spooldir);
	file = t_slurp(path, &len);
	T_OK(file != NULL && len == strlen(msg) && memcmp(file, msg, len) == 0,
	    "the file holds the message, byte for byte");
	free(file);
	T_INT(mode_of("queue/1"), 0600, "spool file mode 0600");
	T_INT(mode_of(""), 0700, "spool directory mode 0700");
	T_INT(mode_of("queue"), 0700, "queue/ mode 0700");
	T_INT(mode_of("tmp"), 0700, "tmp/ mode 0700");
	T_INT(nfiles("tmp"), 0, "nothing left in tmp/");
	outgoing_free(o);

	o = t_spool_outgoing(1);
	T_INT(enqueue_tx(sp, st, o, msg, &e), LG_EEXIST, "the same key again");
	T_INT(nrows(st), 1, "the same key again: one row");
	T_INT(nfiles("queue"), 1, "the same key again: one file");
	outgoing_free(o);
	free(msg);
}

/* Bad envelopes are refused before anything is written. */
static void
test_refused(struct spool *sp, struct store *st)
{
	static const struct {
		const char *label, *key, *sender, *rcpt, *want;
	} cases[] = {
		{ "no key", "", "a@agency.example", "anna@example.com",
		    "outgoing message needs a deduplication key of 1 to 500 "
		    "octets" },
		{ "a key with a newline", "k\n2", "a@agency.example",
		    "anna@example.com", "deduplication key 'k\n2' has "
		    "control characters" },
		{ "no recipient", "k2", "", "", "outgoing message has no "
		    "recipient" },
		{ "RCPT injection", "k2", "", "anna@example.com>\r\nRCPT "
		    "TO:<x@evil.example", "recipient 'anna@example.com>\r\n"
		    "RCPT TO:<x@evil.example' is not a plain e-mail address" },
		{ "recipient in brackets", "k2", "", "<anna@example.com>",
		    "recipient '<anna@example.com>' is not a plain e-mail "
		    "address" },
		{ "recipient with a space", "k2", "", " anna@example.com",
		    "recipient ' anna@example.com' is not a plain e-mail "
		    "address" },
		{ "sender injection", "k2", "a@b.example> SIZE=1",
		    "anna@example.com", "sender 'a@b.example> SIZE=1' is not a "
		    "plain e-mail address" },
		{ "suppressed recipient", "k2", "", "bounced@example.com",
		    "recipient bounced@example.com is on the suppression list "
		    "(550 5.1.1 unknown)" },
	};
	char *msg = t_spool_message(2);
	struct outgoing *o;
	struct err e;
	size_t i;

	store_suppression_add(st, "bounced@example.com", "550 5.1.1 unknown",
	    NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o = outgoing_new();
		o->dedup_key = xstrdup(cases[i].key);
		o->sender = xstrdup(cases[i].sender);
		o->rcpt = xstrdup(cases[i].rcpt);
		err_clear(&e);
		T_INT(enqueue_tx(sp, st, o, msg, &e), LG_EPERM, "refused: %s",
		    cases[i].label);
		T_STR(e.msg, cases[i].want, "refused: %s: reason",
		    cases[i].label);
		outgoing_free(o);
	}
	o = t_spool_outgoing(2);
	err_clear(&e);
	T_INT(enqueue_tx(sp, st, o, "Subject: x\n\nbody\n", &e), LG_EPERM,
	    "refused: a bad message");
	T_STR(e.msg, "outgoing message 'k2': line 1 ends with a bare LF "
	    "(lines must end with CRLF)", "refused: a bad message: reason");
	outgoing_free(o);
	T_INT(nrows(st), 1, "refused: no row added");
	T_INT(nfiles("queue"), 1, "refused: no file added");
	free(msg);
}

static void
touch(const char *sub)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", spooldir, sub);
	if ((fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600)) < 0 ||
	    write(fd, "x", 1) != 1)
		T_OK(0, "create %s", path);
	if (fd >= 0)
		close(fd);
}

static void
test_recover(struct spool *sp, struct store *st)
{
	struct spool_recovery r;
	struct outgoing *o;
	char *msg;
	struct err e;
	int i;

	/* 2, 3, 4: queued; 3 is then sent; a crash loses 4's file. */
	for (i = 2; i <= 4; i++) {
		o = t_spool_outgoing(i);
		msg = t_spool_message(i);
		if (enqueue_tx(sp, st, o, msg, &e) != LG_OK)
			T_OK(0, "enqueue %d: %s", i, e.msg);
		if (i == 3) {
			o->state = OUT_SENT;
			store_outgoing_update(st, o, &e);
		}
		free(msg);
		outgoing_free(o);
	}
	/* Written, then the transaction never committed (a crash). */
	o = t_spool_outgoing(5);
	msg = t_spool_message(5);
	store_begin(st, &e);
	T_INT(spool_enqueue(sp, st, o, msg, strlen(msg), &e), LG_OK,
	    "enqueue inside a transaction");
	store_rollback(st);
	T_INT(nfiles("queue"), 5, "after the rollback its file is there");
	free(msg);
	outgoing_free(o);
	touch("tmp/77");
	snprintf(e.msg, sizeof(e.msg), "%s/queue/4", spooldir);
	unlink(e.msg);

	err_clear(&e);
	T_INT(spool_recover(sp, st, &r, &e), LG_OK, "recover");
	T_INT(r.tmp_removed, 1, "recover: the tmp/ leftover removed");
	T_INT(r.orphans_removed, 1, "recover: the uncommitted file removed");
	T_INT(r.done_removed, 1, "recover: the sent message's file removed");
	T_INT(r.lost, 1, "recover: one message lost");
	T_INT(nfiles("tmp"), 0, "recover: tmp/ empty");
	T_INT(nfiles("queue"), 2, "recover: the files of 1 and 2 stay");
	store_outgoing_get(st, 4, &o, &e);
	T_STR(outgoing_state_name(o->state), "failed", "recover: lost is failed");
	T_STR(o->last_reply, "spool file lost", "recover: the reason");
	T_INT(o->attempts, 0, "recover: no attempt counted");
	outgoing_free(o);
	T_INT(spool_recover(sp, st, &r, &e), LG_OK, "recover again");
	T_INT(r.tmp_removed + r.orphans_removed + r.done_removed + r.lost, 0,
	    "recover again: nothing to do");
}

int
main(void)
{
	const char *dir = t_tmpdir("spool-enqueue");
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
	test_enqueue(sp, d.st);
	test_refused(sp, d.st);
	test_recover(sp, d.st);
	spool_close(sp);
	T_OK(chmod(spooldir, 0755) == 0, "widen the spool directory");
	T_INT(spool_open(spooldir, &sp, &e), LG_OK, "open it again");
	T_INT(mode_of(""), 0700, "open narrows it back to 0700");
	spool_close(sp);
	t_spool_domain_close(&d);
	return t_done();
}
