#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "connectors/maildir.h"
#include "core/config.h"
#include "util/log.h"
#include "util/settings.h"
#include "util/xmalloc.h"

#define MOD "maildir"

struct maildir {
	char *name;
	char *path;
	int interval;
	int max_size;
};

/* One poll: the names still to take from one subdirectory. */
struct maildir_names {
	char **v;
	size_t n;
};

#define F(field) offsetof(struct maildir, field)
static const struct setting maildir_rows[] = {
	{ "name", SETTINGS_STR, NULL, SETTINGS_NOFIELD,
	    .doc = "the connector's unique name" },
	{ "type", SETTINGS_STR, NULL, SETTINGS_NOFIELD, .doc = "maildir" },
	{ "path", SETTINGS_PATH, NULL, F(path),
	    .doc = "the Maildir: new/ and cur/ leadgate can read and rename in",
	    .what = "a directory", .flags = SETTINGS_REQUIRED |
	    SETTINGS_NONEMPTY },
	{ "interval", SETTINGS_INT, "60", F(interval),
	    .doc = "seconds between polls in the daemon",
	    .min = 1, .max = 86400 },
	{ "max_size", SETTINGS_INT, "ingest.max_message_size", F(max_size),
	    .doc = "bytes; bigger messages go to quarantine",
	    .min = 1024, .max = 1LL << 30, .flags = SETTINGS_DERIVED },
};
#undef F

const struct settings_table maildir_settings = SETTINGS_TABLE("maildir",
    maildir_rows, NULL, 0);

/* new/ and cur/ must be directories we can read and rename in. */
static int
maildir_check_dirs(struct settings_reader *r, const struct maildir *m,
    const config_setting_t *block)
{
	static const char *const subs[] = { "new", "cur" };
	struct stat sb;
	char p[4096];
	size_t i;

	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", m->path, subs[i]);
		if (stat(p, &sb) != 0)
			return settings_bad(r, block, "%s: %s (is %s a "
			    "Maildir?)", p, strerror(errno), m->path);
		if (!S_ISDIR(sb.st_mode))
			return settings_bad(r, block, "%s is not a directory "
			    "(is %s a Maildir?)", p, m->path);
		if (access(p, R_OK | W_OK | X_OK) != 0)
			return settings_bad(r, block, "%s: %s", p,
			    strerror(errno));
	}
	return LG_OK;
}

static void maildir_destroy(void *arg);

static int
maildir_create(const config_setting_t *block, const struct config *cfg,
    void **out, struct err_report *rep)
{
	struct settings_reader r;
	struct maildir *m;
	const char *name = "?";
	char ctx[256];
	int rc;

	*out = NULL;
	m = xcalloc(1, sizeof(*m));
	config_setting_lookup_string(block, "name", &name);
	m->name = xstrdup(name);
	m->max_size = cfg->ingest.max_message_size;
	snprintf(ctx, sizeof(ctx), "maildir connector '%s'", m->name);
	settings_reader_init(&r, &maildir_settings, cfg->path, cfg->dir, ctx,
	    rep);
	if ((rc = settings_read(&r, block, m)) == LG_OK)
		rc = maildir_check_dirs(&r, m, block);
	if (rc != LG_OK) {
		maildir_destroy(m);
		return rc;
	}
	*out = m;
	return LG_OK;
}

static void
maildir_destroy(void *arg)
{
	struct maildir *m = arg;

	if (m == NULL)
		return;
	settings_free(&maildir_settings, m);
	free(m->name);
	free(m);
}

static int
maildir_interval(void *arg)
{
	return ((struct maildir *)arg)->interval;
}

/* The flags of a name ("" without an info part), or NULL when not v2. */
static const char *
maildir_flags(const char *name)
{
	const char *info = strchr(name, ':');

	if (info == NULL)
		return "";
	return strncmp(info, ":2,", 3) == 0 ? info + 3 : NULL;
}

/* Seen (S) or trashed (T): somebody dealt with it already. */
static int
maildir_wanted(const char *sub, const char *name)
{
	const char *fl;

	if (name[0] == '.')
		return 0;
	if (strcmp(sub, "new") == 0)
		return 1;
	fl = maildir_flags(name);
	return fl == NULL || (strchr(fl, 'S') == NULL && strchr(fl, 'T') ==
	    NULL);
}

static int
maildir_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
maildir_list_free(struct maildir_names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* The wanted names of one subdirectory, sorted (oldest first, by name). */
static int
maildir_list(const struct maildir *m, const char *sub, struct maildir_names *l,
    struct err *e)
{
	char p[4096];
	struct dirent *d;
	DIR *dir;

	memset(l, 0, sizeof(*l));
	snprintf(p, sizeof(p), "%s/%s", m->path, sub);
	if ((dir = opendir(p)) == NULL)
		return err_set(e, errno == ENOENT ? LG_EPERM : LG_ETEMP,
		    "%s: %s: %s", m->name, p, strerror(errno));
	while ((d = readdir(dir)) != NULL) {
		if (!maildir_wanted(sub, d->d_name))
			continue;
		l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
		l->v[l->n++] = xstrdup(d->d_name);
	}
	closedir(dir);
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), maildir_cmp);
	return LG_OK;
}

/*
 * Read up to max_size + 1 bytes of a message. LG_ENOENT when it is gone
 * (another reader took it): not an error.
 */
static int
maildir_read(const struct maildir *m, const char *file, char **out, size_t *len,
    int *truncated, struct err *e)
{
	size_t want, got = 0;
	struct stat sb;
	ssize_t r;
	int fd;

	*out = NULL;
	*len = 0;
	*truncated = 0;
	if ((fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return err_set(e, errno == ENOENT ? LG_ENOENT : LG_ETEMP,
		    "%s: %s", file, strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return err_set(e, LG_EPERM, "%s: not a regular file", file);
	}
	*truncated = sb.st_size > m->max_size;
	want = *truncated ? (size_t)m->max_size + 1 : (size_t)sb.st_size;
	*out = xmalloc(want + 1);
	while (got < want && (r = read(fd, *out + got, want - got)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			free(*out);
			*out = NULL;
			return err_set(e, LG_ETEMP, "%s: %s", file,
			    strerror(errno));
		}
		got += (size_t)r;
	}
	close(fd);
	(*out)[got] = '\0';
	*len = got;
	return LG_OK;
}

/* The name in cur/ with S added to its flags, kept in ASCII order. */
static char *
maildir_seen_name(const char *name)
{
	const char *fl = maildir_flags(name), *info = strchr(name, ':');
	size_t base = info ? (size_t)(info - name) : strlen(name);
	char flags[64];
	size_t i, n = 0;
	int added = 0;

	for (i = 0; fl != NULL && fl[i] && n + 2 < sizeof(flags); i++) {
		if (!added && fl[i] > 'S') {
			flags[n++] = 'S';
			added = 1;
		}
		if (fl[i] == 'S')
			added = 1;
		flags[n++] = fl[i];
	}
	if (!added)
		flags[n++] = 'S';
	flags[n] = '\0';
	return xasprintf("%.*s:2,%s", (int)base, name, flags);
}

static int
maildir_fsync_dir(const char *path)
{
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/*
 * Messages handled but not yet moved: their leads are committed, not yet
 * synced. One sync makes a whole batch durable before its renames, so a
 * rename never runs ahead of its lead and a crash in between only
 * brings the messages back, recognised by their keys.
 */
#define MAILDIR_BATCH 100

struct maildir_poll {
	struct maildir *m;
	const struct connector_sink *sink;
	size_t delivered, moved;
	const char *sub;		/* where the pending names are */
	char *pending[MAILDIR_BATCH];
	size_t npending;
};

static void
maildir_mark_done(struct maildir_poll *p, const char *sub, const char *name)
{
	char from[4096], to[4096], *seen = maildir_seen_name(name);

	snprintf(from, sizeof(from), "%s/%s/%s", p->m->path, sub, name);
	snprintf(to, sizeof(to), "%s/cur/%s", p->m->path, seen);
	free(seen);
	/* Not fatal: the sink knows the message by its key next time. */
	if (rename(from, to) != 0)
		log_err(MOD, "%s: handled but not moved: rename %s: %s",
		    p->m->name, from, strerror(errno));
	else
		p->moved++;
}

/* Sync the sink, then move the pending messages to cur/. */
static int
maildir_flush(struct maildir_poll *p, struct err *e)
{
	struct err why;
	size_t i;
	int rc = LG_OK;

	if (p->npending == 0)
		return LG_OK;
	err_clear(&why);
	if (source_sink_sync(p->sink, &why) != LG_OK)
		rc = err_set(e, LG_ETEMP, "%s: %zu message(s) in %s/ left for "
		    "the next poll: %s", p->m->name, p->npending, p->sub,
		    why.msg);
	for (i = 0; i < p->npending; i++) {
		if (rc == LG_OK)
			maildir_mark_done(p, p->sub, p->pending[i]);
		free(p->pending[i]);
	}
	p->npending = 0;
	return rc;
}

static int
maildir_done_later(struct maildir_poll *p, const char *sub, const char *name,
    struct err *e)
{
	p->sub = sub;
	p->pending[p->npending++] = xstrdup(name);
	return p->npending < MAILDIR_BATCH ? LG_OK : maildir_flush(p, e);
}

static int
maildir_take(struct maildir_poll *p, const char *sub, const char *name,
    struct err *e)
{
	char file[4096], *raw;
	struct source_meta meta;
	struct err why;
	size_t len;
	int rc, truncated;

	snprintf(file, sizeof(file), "%s/%s/%s", p->m->path, sub, name);
	rc = maildir_read(p->m, file, &raw, &len, &truncated, &why);
	if (rc != LG_OK) {
		if (rc != LG_ENOENT)
			log_err(MOD, "%s: %s", p->m->name, why.msg);
		return LG_OK;
	}
	memset(&meta, 0, sizeof(meta));
	meta.connector = p->m->name;
	meta.folder = p->m->path;
	meta.file = file;
	meta.truncated = truncated;
	err_clear(&why);
	rc = p->sink->mail(p->sink->arg, raw, len, &meta, &why);
	free(raw);
	p->delivered++;
	if (rc == LG_OK)
		return p->sink->dry_run ? LG_OK :
		    maildir_done_later(p, sub, name, e);
	if (rc == LG_ETEMP)
		return err_set(e, LG_ETEMP, "%s: %s not handled now, left "
		    "for the next poll: %s", p->m->name, file, why.msg);
	log_err(MOD, "%s: %s left in place (%s): %s", p->m->name, file,
	    err_code_name(rc), why.msg);
	return LG_OK;
}

static int
maildir_poll_sub(struct maildir_poll *p, const char *sub, struct err *e)
{
	struct err why;
	struct maildir_names l;
	size_t i;
	int rc;

	if ((rc = maildir_list(p->m, sub, &l, e)) != LG_OK)
		return rc;
	for (i = 0; i < l.n && rc == LG_OK; i++)
		rc = maildir_take(p, sub, l.v[i], e);
	/* What was committed before a failure is still moved. */
	if (rc == LG_OK)
		rc = maildir_flush(p, e);
	else if (maildir_flush(p, &why) != LG_OK)
		log_err(MOD, "%s", why.msg);
	maildir_list_free(&l);
	return rc;
}

static int
maildir_poll_once(void *arg, const struct connector_sink *sink, struct err *e)
{
	static const char *const subs[] = { "new", "cur" };
	struct maildir_poll p;
	char dir[4096];
	size_t i;
	int rc = LG_OK;

	memset(&p, 0, sizeof(p));
	p.m = arg;
	p.sink = sink;
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]) && rc == LG_OK; i++)
		rc = maildir_poll_sub(&p, subs[i], e);
	/* The renames survive a power cut once the directories are synced. */
	for (i = 0; p.moved > 0 && i < sizeof(subs) / sizeof(subs[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/%s", p.m->path, subs[i]);
		if (maildir_fsync_dir(dir) != 0)
			log_warn(MOD, "%s: fsync %s: %s", p.m->name, dir,
			    strerror(errno));
	}
	if (p.delivered > 0)
		log_info(MOD, "%s: %zu handed over, %zu moved to cur/%s",
		    p.m->name, p.delivered, p.moved, sink->dry_run ?
		    " (dry run)" : "");
	return rc;
}

static void
maildir_dump(void *conn, const char *prefix, int non_default,
    const char *base, FILE *out)
{
	settings_dump_ext(&maildir_settings, conn, prefix, non_default, base,
	    out);
}

const struct connector_ops maildir_ops = {
	.type = "maildir",
	.create = maildir_create,
	.destroy = maildir_destroy,
	.poll_once = maildir_poll_once,
	.wait = NULL,
	.interval = maildir_interval,
	.dump = maildir_dump,
};
