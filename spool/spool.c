#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <stdint.h>
#include <unistd.h>

#include "util/log.h"
#include "util/norm.h"
#include "util/xmalloc.h"
#include "spool/queue.h"
#include "spool/spool.h"

#define MOD "spool"
#define SPOOL_LINE_MAX 998	/* RFC 5322 2.1.1, without the CRLF */
#define SPOOL_KEY_MAX 500
#define SPOOL_MAGIC "LGBATCH1"
#define SPOOL_BATCH_MAX 100000	/* entries a batch file may claim */
#define SPOOL_WBUF (256 * 1024)	/* a batch file is written in such pieces */

/* One entry of a batch file's index (spool.h). */
struct spool_ent {
	int64_t id;
	uint64_t off, len;
};

struct spool_trailer {
	uint64_t n;
	char magic[8];
};

struct spool {
	char *dir;
	char *store_path;	/* spool_attach_store(): where texts "dID" are */
	struct store_options store_opt;
	struct store *st;	/* opened for spool_read_row() when needed */
	int queue_fd;		/* DIR/queue */
	int tmp_fd;		/* DIR/tmp */
	int batch;		/* spool_batch(): one batch file until spool_sync() */
	int bfd;		/* the batch file being written in tmp/, or -1 */
	char bname[32];		/* its name */
	uint64_t boff;		/* its length so far */
	struct spool_ent *idx;	/* its index so far */
	size_t nidx, capidx;
	char *wbuf;		/* its bytes not written yet */
	size_t wlen;
};

/*
 * Headers libESMTP (1.1.0) drops, rewrites or adds unless the message has
 * them exactly so (headers.c): within these bounds it sends every byte as
 * given. Bcc would reach every recipient: never.
 */
static const struct {
	const char *name;
	int min, max;
} spool_headers[] = {
	{ "Date", 1, 1 },
	{ "From", 1, 1 },
	{ "Message-ID", 1, 1 },
	{ "Sender", 0, 1 },
	{ "To", 0, 1 },
	{ "Cc", 0, 1 },
	{ "Reply-To", 0, 1 },
	{ "Disposition-Notification-To", 0, 1 },
	{ "Bcc", 0, 0 },
	{ "Return-Path", 0, 0 },
	{ "Original-Recipient", 0, 0 },
};
#define SPOOL_NHEADERS (sizeof(spool_headers) / sizeof(spool_headers[0]))

/* fsync the folder holding path, so that a new entry in it is durable. */
static int
spool_sync_parent(const char *path)
{
	char *parent = xstrdup(path), *slash = strrchr(parent, '/');
	int fd, rc = -1;

	if (slash == NULL)
		strcpy(parent, ".");
	else
		slash[slash == parent] = '\0';
	if ((fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	free(parent);
	return rc;
}

static int
spool_mkdir(const char *path, struct err *e)
{
	struct stat sb;
	int made;

	if (!(made = mkdir(path, 0700) == 0) && errno != EEXIST)
		return err_set(e, LG_ETEMP, "spool: cannot create %s: %s", path,
		    strerror(errno));
	/* Else a power cut could take the folder and every file in it. */
	if (made && spool_sync_parent(path) != 0)
		return err_set(e, LG_ETEMP, "spool: syncing the folder of %s: "
		    "%s", path, strerror(errno));
	if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return err_set(e, LG_EPERM, "spool: %s is not a directory", path);
	if ((sb.st_mode & 0077) != 0) {
		log_warn(MOD, "%s was readable by others: mode set to 0700",
		    path);
		if (chmod(path, 0700) != 0)
			return err_set(e, LG_EPERM, "spool: chmod %s: %s", path,
			    strerror(errno));
	}
	return LG_OK;
}

static int
spool_open_sub(struct spool *sp, const char *sub, int *fd, struct err *e)
{
	char *path = xasprintf("%s/%s", sp->dir, sub);
	int rc = spool_mkdir(path, e);

	if (rc == LG_OK && (*fd = open(path, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0)
		rc = err_set(e, LG_ETEMP, "spool: %s: %s", path,
		    strerror(errno));
	free(path);
	return rc;
}

int
spool_open(const char *dir, struct spool **out, struct err *e)
{
	struct spool *sp = xcalloc(1, sizeof(*sp));
	int rc;

	sp->dir = xstrdup(dir);
	sp->queue_fd = sp->tmp_fd = sp->bfd = -1;
	if ((rc = spool_mkdir(dir, e)) != LG_OK ||
	    (rc = spool_open_sub(sp, "queue", &sp->queue_fd, e)) != LG_OK ||
	    (rc = spool_open_sub(sp, "tmp", &sp->tmp_fd, e)) != LG_OK) {
		spool_close(sp);
		return rc;
	}
	*out = sp;
	return LG_OK;
}

void
spool_close(struct spool *sp)
{
	if (sp == NULL)
		return;
	spool_batch(sp, 0);
	store_close(sp->st);
	free(sp->store_path);
	free((char *)sp->store_opt.password_file);
	free((char *)sp->store_opt.password_env);
	free((char *)sp->store_opt.ca_file);
	if (sp->queue_fd >= 0)
		close(sp->queue_fd);
	if (sp->tmp_fd >= 0)
		close(sp->tmp_fd);
	free(sp->dir);
	free(sp);
}

const char *
spool_dir(const struct spool *sp)
{
	return sp->dir;
}

static char *
spool_strdup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
spool_attach_store(struct spool *sp, const char *path,
    const struct store_options *opt)
{
	free(sp->store_path);
	sp->store_path = xstrdup(path);
	sp->store_opt = *opt;
	sp->store_opt.password_file = spool_strdup(opt->password_file);
	sp->store_opt.password_env = spool_strdup(opt->password_env);
	sp->store_opt.ca_file = spool_strdup(opt->ca_file);
}

int
spool_texts_in_store(struct store *st)
{
	return strcmp(store_backend_name(st), "postgresql") == 0;
}

int
spool_is_db(const char *name)
{
	return name != NULL && name[0] == 'd';
}

/* The row id of a name "dID"; 0 when it is not one. */
static int64_t
spool_db_id(const char *name)
{
	char *end;
	long long id;

	if (!spool_is_db(name))
		return 0;
	errno = 0;
	id = strtoll(name + 1, &end, 10);
	return name[1] != '\0' && *end == '\0' && errno == 0 && id > 0 ?
	    (int64_t)id : 0;
}

/* A connection of its own for the texts in the store, opened once. */
static int
spool_store(struct spool *sp, struct store **st, struct err *e)
{
	struct store_options ro;

	if (*st != NULL)
		return LG_OK;
	if (sp->store_path == NULL)
		return err_set(e, LG_EINTERNAL, "spool: the texts are in the "
		    "store, and no store is known here");
	ro = sp->store_opt;
	return store_open(sp->store_path, &ro, st, e);
}

/* Message id's text from st, the row's spool_name being name. */
static int
spool_read_db(struct store *st, const char *name, int64_t id, char **msg,
    size_t *len, struct err *e)
{
	if (spool_db_id(name) != id || id == 0)
		return err_set(e, LG_ENOENT, "spool: %s is not the text of "
		    "outgoing message %lld", name, (long long)id);
	return store_outgoing_body_get(st, id, msg, len, e);
}

/* Count one header line against the table; LG_EPERM when over a bound. */
static int
spool_count_header(const char *line, size_t namelen, int counts[],
    size_t lineno, struct err *e)
{
	size_t i;

	for (i = 0; i < SPOOL_NHEADERS; i++) {
		if (strlen(spool_headers[i].name) != namelen ||
		    strncasecmp(spool_headers[i].name, line, namelen) != 0)
			continue;
		if (++counts[i] > spool_headers[i].max)
			return err_set(e, LG_EPERM, "line %zu: %s header %s",
			    lineno, spool_headers[i].name,
			    spool_headers[i].max ? "appears more than once" :
			    "is not allowed in outgoing mail");
	}
	return LG_OK;
}

/* One header line: "Name: value" or a continuation. */
static int
spool_header_line(const char *line, size_t len, int counts[], size_t lineno,
    struct err *e)
{
	size_t n;

	if (line[0] == ' ' || line[0] == '\t')
		return lineno > 1 ? LG_OK : err_set(e, LG_EPERM,
		    "line 1: the message starts with a continuation line");
	for (n = 0; n < len && line[n] != ':'; n++)
		if (line[n] <= ' ' || line[n] > '~')
			break;
	if (n == 0 || n == len || line[n] != ':')
		return err_set(e, LG_EPERM, "line %zu: not a header line "
		    "(Name: value), and no empty line before it", lineno);
	return spool_count_header(line, n, counts, lineno, e);
}

/* One line (without CRLF): length, bytes, and which section it is in. */
static int
spool_line(const char *line, size_t len, size_t lineno, int *in_header,
    int counts[], struct err *e)
{
	size_t i;

	if (len > SPOOL_LINE_MAX)
		return err_set(e, LG_EPERM, "line %zu is %zu octets long "
		    "(at most %d)", lineno, len, SPOOL_LINE_MAX);
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)line[i];

		if (ch == '\0' || ch == '\r' || ch == '\n' || ch >= 0x80)
			return err_set(e, LG_EPERM, "line %zu: %s at octet %zu",
			    lineno, ch == '\0' ? "NUL" : ch >= 0x80 ?
			    "8-bit octet (encode it: quoted-printable, base64 "
			    "or RFC 2047)" : "bare CR or LF", i + 1);
	}
	if (!*in_header)
		return LG_OK;
	if (len == 0) {
		*in_header = 0;
		return LG_OK;
	}
	return spool_header_line(line, len, counts, lineno, e);
}

static int
spool_check_counts(const int counts[], struct err *e)
{
	size_t i;

	for (i = 0; i < SPOOL_NHEADERS; i++)
		if (counts[i] < spool_headers[i].min)
			return err_set(e, LG_EPERM, "the header has no %s line",
			    spool_headers[i].name);
	return LG_OK;
}

int
spool_message_check(const char *msg, size_t len, struct err *e)
{
	int counts[SPOOL_NHEADERS] = { 0 }, in_header = 1, rc;
	const char *p = msg, *end = msg + len, *lf;
	size_t lineno = 0;

	if (len == 0)
		return err_set(e, LG_EPERM, "the message is empty");
	while (p < end) {
		lineno++;
		if ((lf = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return err_set(e, LG_EPERM, "line %zu does not end with "
			    "CRLF", lineno);
		if (lf == p || lf[-1] != '\r')
			return err_set(e, LG_EPERM, "line %zu ends with a bare "
			    "LF (lines must end with CRLF)", lineno);
		rc = spool_line(p, (size_t)(lf - 1 - p), lineno, &in_header,
		    counts, e);
		if (rc != LG_OK)
			return rc;
		p = lf + 1;
	}
	if (in_header)
		return err_set(e, LG_EPERM, "no empty line ends the header");
	return spool_check_counts(counts, e);
}

static int
spool_write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* tmp/NAME, written and synced, then renamed into queue/ and synced. */
static int
spool_write(struct spool *sp, const char *name, const char *msg, size_t len,
    struct err *e)
{
	int fd, flags = O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW;

	fd = openat(sp->tmp_fd, name, flags, 0600);
	if (fd < 0 && errno == EEXIST) {
		/* A leftover of a crash: we hold the store's write lock. */
		unlinkat(sp->tmp_fd, name, 0);
		fd = openat(sp->tmp_fd, name, flags, 0600);
	}
	if (fd < 0)
		return err_set(e, LG_ETEMP, "spool: cannot create %s/tmp/%s: %s",
		    sp->dir, name, strerror(errno));
	if (spool_write_all(fd, msg, len) != 0 || fsync(fd) != 0) {
		err_set(e, LG_ETEMP, "spool: writing %s/tmp/%s: %s", sp->dir,
		    name, strerror(errno));
		close(fd);
		unlinkat(sp->tmp_fd, name, 0);
		return LG_ETEMP;
	}
	if (close(fd) != 0 ||
	    renameat(sp->tmp_fd, name, sp->queue_fd, name) != 0) {
		err_set(e, LG_ETEMP, "spool: moving %s into %s/queue: %s", name,
		    sp->dir, strerror(errno));
		unlinkat(sp->tmp_fd, name, 0);
		return LG_ETEMP;
	}
	if (fsync(sp->queue_fd) != 0)
		return err_set(e, LG_ETEMP, "spool: syncing %s/queue: %s",
		    sp->dir, strerror(errno));
	return LG_OK;
}

/* The batch file not synced yet goes, with what it holds. */
static void
spool_batch_drop(struct spool *sp)
{
	if (sp->bfd >= 0) {
		close(sp->bfd);
		unlinkat(sp->tmp_fd, sp->bname, 0);
	}
	sp->bfd = -1;
	sp->bname[0] = '\0';
	sp->boff = 0;
	sp->nidx = 0;
	sp->wlen = 0;
}

void
spool_batch(struct spool *sp, int on)
{
	spool_batch_drop(sp);
	if (!on) {
		free(sp->idx);
		sp->idx = NULL;
		sp->capidx = 0;
		free(sp->wbuf);
		sp->wbuf = NULL;
	}
	sp->batch = on;
}

/* tmp/bID for the batch whose first message is row id. */
static int
spool_batch_open(struct spool *sp, int64_t id, struct err *e)
{
	int flags = O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW;

	snprintf(sp->bname, sizeof(sp->bname), "b%lld", (long long)id);
	sp->bfd = openat(sp->tmp_fd, sp->bname, flags, 0600);
	if (sp->bfd < 0 && errno == EEXIST) {
		/* A leftover of a crash: we hold the store's write lock. */
		unlinkat(sp->tmp_fd, sp->bname, 0);
		sp->bfd = openat(sp->tmp_fd, sp->bname, flags, 0600);
	}
	if (sp->bfd < 0)
		return err_set(e, LG_ETEMP, "spool: cannot create %s/tmp/%s: %s",
		    sp->dir, sp->bname, strerror(errno));
	sp->boff = 0;
	sp->nidx = 0;
	return LG_OK;
}

/* Write what the buffer holds into the batch file. */
static int
spool_batch_flush(struct spool *sp)
{
	int rc = spool_write_all(sp->bfd, sp->wbuf, sp->wlen);

	sp->wlen = 0;
	return rc;
}

/* Append message id to the batch file, which is opened if need be. */
static int
spool_batch_add(struct spool *sp, int64_t id, const char *msg, size_t len,
    struct err *e)
{
	int rc;

	if (sp->bfd < 0 && (rc = spool_batch_open(sp, id, e)) != LG_OK)
		return rc;
	if (sp->wbuf == NULL)
		sp->wbuf = xmalloc(SPOOL_WBUF);
	if (sp->wlen + len <= SPOOL_WBUF) {
		memcpy(sp->wbuf + sp->wlen, msg, len);
		sp->wlen += len;
	} else if (spool_batch_flush(sp) != 0 ||
	    spool_write_all(sp->bfd, msg, len) != 0) {
		err_set(e, LG_ETEMP, "spool: writing %s/tmp/%s: %s", sp->dir,
		    sp->bname, strerror(errno));
		spool_batch_drop(sp);
		return LG_ETEMP;
	}
	if (sp->nidx == sp->capidx) {
		sp->capidx = sp->capidx ? sp->capidx * 2 : 256;
		sp->idx = xreallocarray(sp->idx, sp->capidx, sizeof(*sp->idx));
	}
	sp->idx[sp->nidx].id = id;
	sp->idx[sp->nidx].off = sp->boff;
	sp->idx[sp->nidx++].len = len;
	sp->boff += len;
	return LG_OK;
}

/*
 * The batch file gets its index and trailer, is synced, renamed into
 * queue/, and the folder synced: the rows naming it may commit. Without
 * a batch file there is nothing to sync (every message of a batch goes
 * into it).
 */
int
spool_sync(struct spool *sp, struct err *e)
{
	struct spool_trailer tr;
	int rc = LG_OK;

	if (sp->bfd < 0)
		return LG_OK;
	memset(&tr, 0, sizeof(tr));
	tr.n = sp->nidx;
	memcpy(tr.magic, SPOOL_MAGIC, sizeof(tr.magic));
	if (spool_batch_flush(sp) != 0 ||
	    spool_write_all(sp->bfd, (const char *)sp->idx,
	    sp->nidx * sizeof(*sp->idx)) != 0 ||
	    spool_write_all(sp->bfd, (const char *)&tr, sizeof(tr)) != 0 ||
	    fsync(sp->bfd) != 0)
		rc = err_set(e, LG_ETEMP, "spool: writing %s/tmp/%s: %s",
		    sp->dir, sp->bname, strerror(errno));
	else if (renameat(sp->tmp_fd, sp->bname, sp->queue_fd, sp->bname) != 0)
		rc = err_set(e, LG_ETEMP, "spool: moving %s into %s/queue: %s",
		    sp->bname, sp->dir, strerror(errno));
	else if (fsync(sp->queue_fd) != 0)
		rc = err_set(e, LG_ETEMP, "spool: syncing %s/queue: %s",
		    sp->dir, strerror(errno));
	if (rc == LG_OK) {
		close(sp->bfd);
		sp->bfd = -1;
	}
	spool_batch_drop(sp);
	return rc;
}

/* An envelope address: empty (sender only) or a plain addr-spec. */
static int
spool_address_ok(const char *what, const char *addr, int empty_ok,
    struct err *e)
{
	char norm[NORM_EMAIL_MAX + 1];

	if (addr == NULL || *addr == '\0')
		return empty_ok ? LG_OK : err_set(e, LG_EPERM,
		    "outgoing message has no %s", what);
	/* norm_email() trims and strips <>: the given text must not need it. */
	if (norm_email(addr, norm, sizeof(norm), NULL) != LG_OK ||
	    strlen(norm) != strlen(addr))
		return err_set(e, LG_EPERM, "%s '%.80s' is not a plain e-mail "
		    "address", what, addr);
	return LG_OK;
}

static int
spool_key_ok(const char *key, struct err *e)
{
	const char *p;

	if (key == NULL || *key == '\0' || strlen(key) > SPOOL_KEY_MAX)
		return err_set(e, LG_EPERM, "outgoing message needs a "
		    "deduplication key of 1 to %d octets", SPOOL_KEY_MAX);
	for (p = key; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			return err_set(e, LG_EPERM, "deduplication key '%.80s' "
			    "has control characters", key);
	return LG_OK;
}

static int
spool_not_suppressed(struct store *st, const char *rcpt, const char *checked,
    struct err *e)
{
	char norm[NORM_EMAIL_MAX + 1], *reason = NULL;
	int rc;

	if ((rc = norm_email(rcpt, norm, sizeof(norm), e)) != LG_OK)
		return rc;
	if (checked != NULL && strcmp(norm, checked) == 0)
		return LG_OK;
	rc = store_suppression_get(st, norm, &reason, e);
	if (rc == LG_ENOENT)
		return LG_OK;
	if (rc == LG_OK)
		rc = err_set(e, LG_EPERM, "recipient %s is on the suppression "
		    "list (%s)", norm, reason ? reason : "");
	free(reason);
	return rc;
}

/*
 * The Message-ID of a checked message, without <> (a bounce names it),
 * as a new string; NULL when it is not a plain <id>.
 */
static char *
spool_message_id(const char *msg, size_t len)
{
	const char *p = msg, *end = msg + len, *lf, *v, *lt, *gt;

	while (p < end && (lf = memchr(p, '\n', (size_t)(end - p))) != NULL &&
	    lf - p > 1) {
		if (lf - p > 11 && strncasecmp(p, "Message-ID:", 11) == 0) {
			v = p + 11;
			lt = memchr(v, '<', (size_t)(lf - v));
			gt = lt ? memchr(lt, '>', (size_t)(lf - lt)) : NULL;
			if (lt == NULL || gt == NULL || gt - lt < 2)
				return NULL;
			return xstrndup(lt + 1, (size_t)(gt - lt - 1));
		}
		p = lf + 1;
	}
	return NULL;
}

int
spool_enqueue(struct spool *sp, struct store *st, struct outgoing *o,
    const char *msg, size_t len, struct err *e)
{
	return spool_enqueue_checked(sp, st, o, msg, len, NULL, e);
}

int
spool_enqueue_checked(struct spool *sp, struct store *st, struct outgoing *o,
    const char *msg, size_t len, const char *checked, struct err *e)
{
	char name[32];
	int rc, named;

	if (o->state != OUT_QUEUED || o->attempts != 0 || o->advance_phase < 0)
		return err_set(e, LG_EPERM, "a new outgoing message is queued, "
		    "with no attempts");
	if ((rc = spool_key_ok(o->dedup_key, e)) != LG_OK ||
	    (rc = spool_address_ok("sender", o->sender, 1, e)) != LG_OK ||
	    (rc = spool_address_ok("recipient", o->rcpt, 0, e)) != LG_OK)
		return rc;
	if ((rc = spool_message_check(msg, len, e)) != LG_OK)
		return err_prefix(e, "outgoing message '%s'", o->dedup_key);
	if (o->message_id == NULL)
		o->message_id = spool_message_id(msg, len);
	/*
	 * A batch file already open is named by the row as it goes in (not
	 * by an update of the row afterwards): the first row of a batch
	 * names the file, so only that one is written twice.
	 */
	named = sp->batch && sp->bfd >= 0 && !spool_texts_in_store(st);
	if (named)
		xstrset(&o->spool_name, sp->bname);
	if ((rc = spool_not_suppressed(st, o->rcpt, checked, e)) != LG_OK ||
	    (rc = store_spool_guard(st, 0, e)) != LG_OK ||
	    (rc = store_outgoing_insert(st, o, e)) != LG_OK)
		return rc;
	if (named)
		return spool_batch_add(sp, o->id, msg, len, e);
	if (spool_texts_in_store(st)) {
		/* In the row's transaction: any instance can send it. */
		snprintf(name, sizeof(name), "d%lld", (long long)o->id);
		xstrset(&o->spool_name, name);
		if ((rc = store_outgoing_body_put(st, o->id, msg, len, e)) !=
		    LG_OK)
			return rc;
	} else if (sp->batch) {
		if ((rc = spool_batch_add(sp, o->id, msg, len, e)) != LG_OK)
			return rc;
		xstrset(&o->spool_name, sp->bname);
	} else {
		snprintf(name, sizeof(name), "%lld", (long long)o->id);
		xstrset(&o->spool_name, name);
		if ((rc = spool_write(sp, name, msg, len, e)) != LG_OK)
			return rc;
	}
	return store_outgoing_update(st, o, e);
}

int
spool_is_batch(const char *name)
{
	return name != NULL && name[0] == 'b';
}

/* pread() all of len at off; -1 with errno, or EIO when the file is short. */
static int
spool_pread(int fd, void *buf, size_t len, uint64_t off)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = pread(fd, (char *)buf + got, len - got, (off_t)(off + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		got += (size_t)n;
	}
	return 0;
}

/*
 * The index of the open batch file fd (caller frees *idx); LG_ETEMP when
 * it cannot be read or is not one.
 */
static int
spool_index(struct spool *sp, int fd, const char *name,
    struct spool_ent **idx, size_t *n, uint64_t *data_end, struct err *e)
{
	struct spool_trailer tr;
	struct stat sb;
	uint64_t size, isz;

	*idx = NULL;
	*n = 0;
	if (fstat(fd, &sb) != 0)
		return err_set(e, LG_ETEMP, "spool: %s/queue/%s: %s", sp->dir,
		    name, strerror(errno));
	size = (uint64_t)sb.st_size;
	if (size < sizeof(tr) || spool_pread(fd, &tr, sizeof(tr),
	    size - sizeof(tr)) != 0 ||
	    memcmp(tr.magic, SPOOL_MAGIC, sizeof(tr.magic)) != 0 ||
	    tr.n == 0 || tr.n > SPOOL_BATCH_MAX ||
	    (isz = tr.n * sizeof(**idx)) > size - sizeof(tr))
		return err_set(e, LG_ETEMP, "spool: %s/queue/%s is not a "
		    "complete batch file", sp->dir, name);
	*idx = xreallocarray(NULL, tr.n, sizeof(**idx));
	if (spool_pread(fd, *idx, isz, size - sizeof(tr) - isz) != 0) {
		free(*idx);
		*idx = NULL;
		return err_set(e, LG_ETEMP, "spool: reading %s/queue/%s: %s",
		    sp->dir, name, strerror(errno));
	}
	*n = tr.n;
	*data_end = size - sizeof(tr) - isz;
	return LG_OK;
}

static int
spool_open_queue(struct spool *sp, const char *name, int *fd, struct err *e)
{
	if ((*fd = openat(sp->queue_fd, name, O_RDONLY | O_CLOEXEC |
	    O_NOFOLLOW)) < 0)
		return err_set(e, errno == ENOENT ? LG_ENOENT : LG_ETEMP,
		    "spool: %s/queue/%s: %s", sp->dir, name, strerror(errno));
	return LG_OK;
}

int
spool_batch_ids(struct spool *sp, const char *name, int64_t *lo,
    int64_t *hi, struct err *e)
{
	struct spool_ent *idx;
	uint64_t end;
	size_t i, n;
	int fd, rc;

	if ((rc = spool_open_queue(sp, name, &fd, e)) != LG_OK)
		return rc;
	rc = spool_index(sp, fd, name, &idx, &n, &end, e);
	close(fd);
	for (i = 0; rc == LG_OK && i < n; i++) {
		if (i == 0 || idx[i].id < *lo)
			*lo = idx[i].id;
		if (i == 0 || idx[i].id > *hi)
			*hi = idx[i].id;
	}
	free(idx);
	return rc;
}

/* The entry of message id in idx[0..n-1], looked for from hint on; n: none. */
static size_t
spool_batch_find(const struct spool_ent *idx, size_t n, size_t hint,
    int64_t id)
{
	size_t i, k;

	for (k = 0; k < n; k++) {
		i = (hint + k) % n;
		if (idx[i].id == id)
			return i;
	}
	return n;
}

/* The message of entry i of batch file name, open as fd. */
static int
spool_batch_msg(struct spool *sp, int fd, const char *name,
    const struct spool_ent *idx, size_t n, size_t i, uint64_t end,
    int64_t id, char **msg, size_t *len, struct err *e)
{
	char *buf;

	if (i == n)
		return err_set(e, LG_ENOENT, "spool: %s/queue/%s has no "
		    "message %lld", sp->dir, name, (long long)id);
	if (idx[i].off > end || idx[i].len > end - idx[i].off)
		return err_set(e, LG_ETEMP, "spool: %s/queue/%s: message "
		    "%lld lies outside the file", sp->dir, name,
		    (long long)id);
	buf = xmalloc(idx[i].len + 1);
	if (spool_pread(fd, buf, idx[i].len, idx[i].off) != 0) {
		free(buf);
		return err_set(e, LG_ETEMP, "spool: reading %s/queue/%s: %s",
		    sp->dir, name, strerror(errno));
	}
	buf[idx[i].len] = '\0';
	*msg = buf;
	*len = idx[i].len;
	return LG_OK;
}

/* Message id of the batch file name. */
static int
spool_read_batch(struct spool *sp, const char *name, int64_t id, char **msg,
    size_t *len, struct err *e)
{
	struct spool_ent *idx = NULL;
	uint64_t end = 0;
	size_t n = 0;
	int fd, rc;

	if ((rc = spool_open_queue(sp, name, &fd, e)) != LG_OK)
		return rc;
	if ((rc = spool_index(sp, fd, name, &idx, &n, &end, e)) == LG_OK)
		rc = spool_batch_msg(sp, fd, name, idx, n,
		    spool_batch_find(idx, n, 0, id), end, id, msg, len, e);
	close(fd);
	free(idx);
	return rc;
}

/* The last batch file a reader read from, open, with its index. */
struct spool_reader {
	struct spool *sp;
	char name[32];		/* "" when none */
	int fd;
	struct spool_ent *idx;
	size_t n, hint;
	uint64_t end;
	struct store *st;	/* for texts in the store, opened when needed */
};

struct spool_reader *
spool_reader_new(struct spool *sp)
{
	struct spool_reader *r = xcalloc(1, sizeof(*r));

	r->sp = sp;
	r->fd = -1;
	return r;
}

static void
spool_reader_drop(struct spool_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	free(r->idx);
	r->idx = NULL;
	r->n = r->hint = 0;
	r->name[0] = '\0';
}

void
spool_reader_free(struct spool_reader *r)
{
	if (r == NULL)
		return;
	spool_reader_drop(r);
	store_close(r->st);
	free(r);
}

int
spool_reader_read(struct spool_reader *r, const char *name, int64_t id,
    char **msg, size_t *len, struct err *e)
{
	size_t i;
	int rc;

	if (spool_is_db(name)) {
		if ((rc = spool_store(r->sp, &r->st, e)) != LG_OK)
			return rc;
		return spool_read_db(r->st, name, id, msg, len, e);
	}
	if (!spool_is_batch(name) || strlen(name) >= sizeof(r->name))
		return spool_read_row(r->sp, name, id, msg, len, e);
	if (strcmp(r->name, name) != 0) {
		spool_reader_drop(r);
		if ((rc = spool_open_queue(r->sp, name, &r->fd, e)) != LG_OK)
			return rc;
		if ((rc = spool_index(r->sp, r->fd, name, &r->idx, &r->n,
		    &r->end, e)) != LG_OK) {
			spool_reader_drop(r);
			return rc;
		}
		snprintf(r->name, sizeof(r->name), "%s", name);
	}
	i = spool_batch_find(r->idx, r->n, r->hint, id);
	if (i < r->n)
		r->hint = i + 1;
	return spool_batch_msg(r->sp, r->fd, name, r->idx, r->n, i, r->end,
	    id, msg, len, e);
}

int
spool_read(struct spool *sp, const char *name, char **msg, size_t *len,
    struct err *e)
{
	return spool_read_row(sp, name, 0, msg, len, e);
}

int
spool_read_row(struct spool *sp, const char *name, int64_t id, char **msg,
    size_t *len, struct err *e)
{
	struct stat sb;
	ssize_t n;
	size_t got = 0;
	char *buf;
	int fd, rc;

	if (spool_is_db(name)) {
		if ((rc = spool_store(sp, &sp->st, e)) != LG_OK)
			return rc;
		return spool_read_db(sp->st, name, id, msg, len, e);
	}
	if (spool_is_batch(name))
		return spool_read_batch(sp, name, id, msg, len, e);
	if ((rc = spool_open_queue(sp, name, &fd, e)) != LG_OK)
		return rc;
	if (fstat(fd, &sb) != 0) {
		close(fd);
		return err_set(e, LG_ETEMP, "spool: %s/queue/%s: %s", sp->dir,
		    name, strerror(errno));
	}
	buf = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size &&
	    (n = read(fd, buf + got, (size_t)sb.st_size - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, LG_ETEMP, "spool: reading %s/queue/%s: %s",
			    sp->dir, name, strerror(errno));
			close(fd);
			free(buf);
			return LG_ETEMP;
		}
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*msg = buf;
	*len = got;
	return LG_OK;
}

int
spool_read_text(struct spool *sp, struct store *st, const char *name,
    int64_t id, char **msg, size_t *len, struct err *e)
{
	if (spool_is_db(name))
		return spool_read_db(st, name, id, msg, len, e);
	return spool_read_row(sp, name, id, msg, len, e);
}

int
spool_exists(struct spool *sp, const char *name)
{
	struct stat sb;

	/* A text in the store commits with its row, and goes with it. */
	if (spool_db_id(name) != 0)
		return 1;
	return name != NULL && fstatat(sp->queue_fd, name, &sb,
	    AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode);
}

int
spool_remove(struct spool *sp, const char *name, struct err *e)
{
	if (spool_is_db(name))
		return LG_OK;	/* no file; spool_release() drops the text */
	if (unlinkat(sp->queue_fd, name, 0) != 0 && errno != ENOENT)
		return err_set(e, LG_ETEMP, "spool: removing %s/queue/%s: %s",
		    sp->dir, name, strerror(errno));
	return LG_OK;
}

/* Zeros over [off, off + len) of fd, then synced. */
static int
spool_zero(int fd, uint64_t off, uint64_t len)
{
	static const char zeros[4096];
	size_t chunk;
	ssize_t n;

	while (len > 0) {
		chunk = len < sizeof(zeros) ? (size_t)len : sizeof(zeros);
		n = pwrite(fd, zeros, chunk, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return fdatasync(fd);
}

int
spool_erase(struct spool *sp, const char *name, int64_t id, struct err *e)
{
	struct spool_ent *idx = NULL;
	uint64_t end = 0;
	size_t i, n = 0;
	int fd, rc;

	if (spool_is_db(name))
		return LG_OK;	/* the store's erasure dropped the text */
	if (!spool_is_batch(name))
		return spool_remove(sp, name, e);
	if ((fd = openat(sp->queue_fd, name, O_RDWR | O_CLOEXEC |
	    O_NOFOLLOW)) < 0)
		return errno == ENOENT ? LG_OK : err_set(e, LG_ETEMP,
		    "spool: %s/queue/%s: %s", sp->dir, name, strerror(errno));
	rc = spool_index(sp, fd, name, &idx, &n, &end, e);
	for (i = 0; rc == LG_OK && i < n; i++) {
		if (idx[i].id != id || idx[i].off > end ||
		    idx[i].len > end - idx[i].off)
			continue;
		if (spool_zero(fd, idx[i].off, idx[i].len) != 0)
			rc = err_set(e, LG_ETEMP, "spool: erasing in %s/queue/"
			    "%s: %s", sp->dir, name, strerror(errno));
	}
	close(fd);
	free(idx);
	return rc;
}

/* Of the rows of batch file name: how many, how many not sent. */
static int
spool_batch_rows(struct spool *sp, struct store *st, const char *name,
    long *rows, long *unsent, struct err *e)
{
	int64_t lo = 0, hi = 0;
	int rc;

	if ((rc = spool_batch_ids(sp, name, &lo, &hi, e)) != LG_OK)
		return rc;
	return store_outgoing_spool_count(st, name, lo, hi, rows, unsent, e);
}

int
spool_release(struct spool *sp, struct store *st, const char *name,
    struct err *e)
{
	long rows = 0, unsent = 0;
	int rc;

	if (spool_db_id(name) != 0)
		return store_outgoing_body_drop(st, spool_db_id(name), &rows, e);
	if (!spool_is_batch(name))
		return spool_remove(sp, name, e);
	rc = spool_batch_rows(sp, st, name, &rows, &unsent, e);
	if (rc == LG_ENOENT)
		return LG_OK;	/* gone already */
	if (rc != LG_OK || unsent > 0)
		return rc;
	return spool_remove(sp, name, e);
}

/* Call fn(name) for every entry of the directory fd (not . and ..). */
static int
spool_each(int fd, const char *what, int (*fn)(struct spool *, struct store *,
    const char *, struct spool_recovery *, struct err *), struct spool *sp,
    struct store *st, struct spool_recovery *r, struct err *e)
{
	struct dirent *de;
	DIR *d;
	int dfd, rc = LG_OK;

	if ((dfd = dup(fd)) < 0 || (d = fdopendir(dfd)) == NULL) {
		if (dfd >= 0)
			close(dfd);
		return err_set(e, LG_ETEMP, "spool: reading %s/%s: %s", sp->dir,
		    what, strerror(errno));
	}
	rewinddir(d);
	while (rc == LG_OK && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			rc = fn(sp, st, de->d_name, r, e);
	closedir(d);
	return rc;
}

static int
spool_recover_tmp(struct spool *sp, struct store *st, const char *name,
    struct spool_recovery *r, struct err *e)
{
	(void)st;
	if (unlinkat(sp->tmp_fd, name, 0) != 0 && errno != ENOENT)
		return err_set(e, LG_ETEMP, "spool: removing %s/tmp/%s: %s",
		    sp->dir, name, strerror(errno));
	log_warn(MOD, "removed %s/tmp/%s, left by an interrupted write",
	    sp->dir, name);
	r->tmp_removed++;
	return LG_OK;
}

/* The row a queue file belongs to: its name is the row id. */
static int
spool_file_row(struct store *st, const char *name, struct outgoing **o,
    struct err *e)
{
	char *end;
	long long id;

	errno = 0;
	id = strtoll(name, &end, 10);
	if (*name == '\0' || *end != '\0' || errno != 0 || id <= 0)
		return LG_ENOENT;
	return store_outgoing_get(st, id, o, e);
}

static int
spool_recover_queue(struct spool *sp, struct store *st, const char *name,
    struct spool_recovery *r, struct err *e)
{
	struct outgoing *o = NULL;
	long rows = 0, unsent = 0;
	int rc, sent;

	if (spool_is_batch(name)) {
		int64_t lo = 0, hi = 0;

		if ((rc = spool_batch_ids(sp, name, &lo, &hi, e)) != LG_OK) {
			/* Only renamed here once synced: a disk error. Kept. */
			log_err(MOD, "%s", e->msg);
			return LG_OK;
		}
		rc = store_outgoing_spool_count(st, name, lo, hi, &rows,
		    &unsent, e);
		if (rc != LG_OK || (rows > 0 && unsent > 0))
			return rc;
		if ((rc = spool_remove(sp, name, e)) != LG_OK)
			return rc;
		if (rows > 0) {
			log_info(MOD, "removed %s/queue/%s: every message of "
			    "it sent", sp->dir, name);
			r->done_removed++;
		} else {
			log_warn(MOD, "removed %s/queue/%s: no outgoing row "
			    "(its transaction never committed)", sp->dir, name);
			r->orphans_removed++;
		}
		return LG_OK;
	}
	rc = spool_file_row(st, name, &o, e);
	if (rc != LG_OK && rc != LG_ENOENT)
		return rc;
	sent = o != NULL && o->state == OUT_SENT;
	if (o != NULL && !sent && o->spool_name != NULL &&
	    strcmp(o->spool_name, name) == 0) {
		outgoing_free(o);
		return LG_OK;
	}
	outgoing_free(o);
	if ((rc = spool_remove(sp, name, e)) != LG_OK)
		return rc;
	if (sent) {
		log_info(MOD, "removed %s/queue/%s: already sent", sp->dir,
		    name);
		r->done_removed++;
	} else {
		log_warn(MOD, "removed %s/queue/%s: no outgoing row (its "
		    "transaction never committed)", sp->dir, name);
		r->orphans_removed++;
	}
	return LG_OK;
}

static int
spool_recover_lost(struct spool *sp, struct store *st,
    struct spool_recovery *r, struct err *e)
{
	struct queue_move m = { OUT_FAILED, 0, "spool file lost", 0 };
	struct outgoing *v = NULL;
	size_t i, n = 0;
	int rc;

	/*
	 * Texts in the store commit with their rows. A file another host
	 * spooled (a row `db copy` brought from SQLite) is not ours to
	 * judge missing.
	 */
	if (spool_texts_in_store(st))
		return LG_OK;
	rc = store_outgoing_list(st, 1u << OUT_QUEUED | 1u << OUT_DEFERRED,
	    &v, &n, e);
	for (i = 0; rc == LG_OK && i < n; i++) {
		if (spool_exists(sp, v[i].spool_name))
			continue;
		log_err(MOD, "outgoing %lld to %s: its spool file %s/queue/%s "
		    "is gone; marked failed", (long long)v[i].id, v[i].rcpt,
		    sp->dir, v[i].spool_name ? v[i].spool_name : "(none)");
		if ((rc = queue_transition(st, &v[i], &m, e)) == LG_OK)
			r->lost++;
	}
	store_outgoing_rows_free(v, n);
	return rc;
}

int
spool_recover(struct spool *sp, struct store *st, struct spool_recovery *r,
    struct err *e)
{
	long dropped = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = store_begin(st, e)) != LG_OK)
		return rc;
	/* No writer between its file and its commit meanwhile. */
	if ((rc = store_spool_guard(st, 1, e)) != LG_OK ||
	    (rc = spool_each(sp->tmp_fd, "tmp", spool_recover_tmp, sp, st, r,
	    e)) != LG_OK ||
	    (rc = spool_each(sp->queue_fd, "queue", spool_recover_queue, sp,
	    st, r, e)) != LG_OK ||
	    (rc = spool_recover_lost(sp, st, r, e)) != LG_OK ||
	    (rc = store_outgoing_body_drop(st, 0, &dropped, e)) != LG_OK ||
	    (rc = store_commit(st, e)) != LG_OK) {
		store_rollback(st);
		queue_log_drop();
		return rc;
	}
	queue_log_flush();
	r->texts_dropped = dropped;	/* normal: not a crash's leftover */
	return LG_OK;
}
