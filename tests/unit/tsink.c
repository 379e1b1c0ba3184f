#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <gnutls/crypto.h>

#include "tsink.h"

int
tsink_open(struct tsink *t, const char *db_path)
{
	struct err e;

	memset(t, 0, sizeof(*t));
	if (store_open(db_path, NULL, &t->st, &e) != LG_OK) {
		fprintf(stderr, "tsink: %s\n", e.msg);
		return -1;
	}
	if (sqlite3_open(db_path, &t->db) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(t->db, 5000);
	return 0;
}

void
tsink_close(struct tsink *t)
{
	store_close(t->st);
	sqlite3_close(t->db);
	buf_free(&t->trace);
	memset(t, 0, sizeof(*t));
}

/* The sink commits each row durably; sync only counts, or fails. */
static int
tsink_sync(void *arg, struct err *e)
{
	struct tsink *t = arg;

	t->syncs++;
	if (t->sync_fail)
		return err_set(e, LG_ETEMP, "sync refused (test)");
	return LG_OK;
}

struct connector_sink
tsink_sink(struct tsink *t, int dry_run)
{
	struct connector_sink s;

	memset(&s, 0, sizeof(s));
	s.mail = tsink_mail;
	s.sync = tsink_sync;
	s.arg = t;
	s.st = t->st;
	s.dry_run = dry_run;
	return s;
}

/* The Message-ID of the top-level header, or the hash of the whole. */
static void
tsink_key(const char *raw, size_t len, char *out, size_t outlen)
{
	const char *p = raw, *end = raw + len, *eol;
	unsigned char md[32];
	size_t i, n;

	while (p < end && *p != '\r' && *p != '\n') {
		eol = memchr(p, '\n', (size_t)(end - p));
		eol = eol ? eol : end;
		if ((size_t)(eol - p) > 11 && strncasecmp(p, "Message-ID:", 11)
		    == 0) {
			p += 11;
			while (p < eol && isspace((unsigned char)*p))
				p++;
			n = (size_t)(eol - p);
			while (n > 0 && isspace((unsigned char)p[n - 1]))
				n--;
			snprintf(out, outlen, "%.*s", (int)n, p);
			return;
		}
		p = eol < end ? eol + 1 : end;
	}
	gnutls_hash_fast(GNUTLS_DIG_SHA256, raw, len, md);
	n = (size_t)snprintf(out, outlen, "sha256:");
	for (i = 0; i < sizeof(md) && n + 2 < outlen; i++, n += 2)
		snprintf(out + n, outlen - n, "%02x", md[i]);
}

/* 1 new, 0 duplicate, -1 error. */
static int
tsink_insert(struct tsink *t, const char *key, const char *connector)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(t->db, "INSERT INTO inquiries (key, connector, "
	    "received_at) VALUES (?, ?, '2026-01-01T00:00:00Z')", -1, &s,
	    NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, connector, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return 1;
	return rc == SQLITE_CONSTRAINT ? 0 : -1;
}

int
tsink_mail(void *arg, const char *raw, size_t len,
    const struct source_meta *meta, struct err *e)
{
	struct tsink *t = arg;
	char key[512];
	int r;

	t->calls++;
	t->last_len = len;
	t->truncated += meta->truncated;
	if (t->etemp_at == t->calls)
		return err_set(e, LG_ETEMP, "the store is busy (test)");
	tsink_key(raw, len, key, sizeof(key));
	buf_printf(&t->trace, "%s %u %s%s%s%s\n", meta->folder ? meta->folder :
	    "-", meta->uid, key, meta->truncated ? " truncated" : "",
	    meta->problem ? " problem: " : "", meta->problem ? meta->problem :
	    "");
	if ((r = tsink_insert(t, key, meta->connector)) < 0)
		return err_set(e, LG_ETEMP, "insert: %s",
		    sqlite3_errmsg(t->db));
	if (r == 1)
		t->created++;
	else
		t->duplicates++;
	/* Committed, not yet answered: the worst moment to die. */
	if (t->kill_at == t->calls)
		kill(getpid(), SIGKILL);
	return LG_OK;
}

static int
tsink_count(struct tsink *t, const char *sql)
{
	sqlite3_stmt *s;
	int n = -1;

	if (sqlite3_prepare_v2(t->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n;
}

int
tsink_rows(struct tsink *t)
{
	return tsink_count(t, "SELECT count(*) FROM inquiries");
}

int
tsink_handled_rows(struct tsink *t)
{
	return tsink_count(t, "SELECT count(*) FROM mailbox_uids");
}
