#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xmalloc.h"
#include "spool/journal.h"

#define JOURNAL_NAME "results.journal"
#define JOURNAL_REC 128
#define JOURNAL_MAGIC1 "LGR1"	/* the first format: an acceptance */
#define JOURNAL_MAGIC "LGR2"
#define JOURNAL_HMAGIC "LGH2"
/* The slots, then the header. */
#define JOURNAL_SIZE ((off_t)(JOURNAL_SLOTS + 1) * JOURNAL_REC)

/*
 * One slot on disk: magic, checksum of the rest, then the entry. The
 * first format had zeros where epoch, kind and cls are.
 */
struct journal_rec {
	char magic[4];
	uint32_t sum;
	int64_t id;
	int64_t at;
	char reply[JOURNAL_REPLY];
	uint32_t epoch;
	uint8_t kind;
	uint8_t cls;
	char pad[JOURNAL_REC - 24 - JOURNAL_REPLY - 6];
};
_Static_assert(sizeof(struct journal_rec) == JOURNAL_REC,
    "a journal record is JOURNAL_REC bytes");

/* The last slot: which epoch counts, and the boot that started it. */
struct journal_head {
	char magic[4];
	uint32_t sum;
	uint32_t epoch;
	uint32_t zero;
	char boot[JOURNAL_BOOT];
	char pad[JOURNAL_REC - 16 - JOURNAL_BOOT];
};
_Static_assert(sizeof(struct journal_head) == JOURNAL_REC,
    "the journal's header is JOURNAL_REC bytes");

struct journal {
	char *path;
	int fd;
	pthread_mutex_t lock;
	uint32_t epoch;
	char boot[JOURNAL_BOOT];
	size_t next;		/* the first slot after the last used one */
	size_t legacy;		/* slots below hold first-format records */
};

/* FNV-1a over the slot after its checksum. */
static uint32_t
journal_sum(const void *r)
{
	const unsigned char *p = (const unsigned char *)r + 8;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < JOURNAL_REC - 8; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static int
journal_legacy(const struct journal_rec *r)
{
	return memcmp(r->magic, JOURNAL_MAGIC1, 4) == 0 &&
	    r->sum == journal_sum(r) && r->id > 0;
}

static int
journal_valid(const struct journal *j, const struct journal_rec *r)
{
	if (journal_legacy(r))
		return 1;
	return memcmp(r->magic, JOURNAL_MAGIC, 4) == 0 &&
	    r->sum == journal_sum(r) && r->id > 0 && r->epoch == j->epoch &&
	    r->kind < JOURNAL_NKINDS;
}

static int
journal_pread(struct journal *j, size_t slot, void *r)
{
	ssize_t n;

	n = pread(j->fd, r, JOURNAL_REC, (off_t)(slot * JOURNAL_REC));
	return n == (ssize_t)JOURNAL_REC ? 0 : -1;
}

static int
journal_pwrite(struct journal *j, size_t slot, const void *r)
{
	ssize_t n;

	n = pwrite(j->fd, r, JOURNAL_REC, (off_t)(slot * JOURNAL_REC));
	return n == (ssize_t)JOURNAL_REC ? 0 : -1;
}

static void
journal_fsync_dir(const char *dir)
{
	int dfd;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
}

/*
 * Created whole under a temporary name, every block allocated, then
 * renamed: a crash half-way leaves no short journal behind.
 */
static int
journal_create(struct journal *j, const char *dir, struct err *e)
{
	char *tmp = xasprintf("%s.new", j->path);
	int err = 0, rc = LG_OK;

	j->fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (j->fd < 0)
		rc = err_set(e, LG_ETEMP, "%s: %s", tmp, strerror(errno));
	else if ((err = posix_fallocate(j->fd, 0, JOURNAL_SIZE)) != 0 ||
	    fsync(j->fd) != 0 || rename(tmp, j->path) != 0)
		rc = err_set(e, LG_ETEMP, "%s: cannot allocate it: %s",
		    j->path, strerror(err ? err : errno));
	if (rc != LG_OK) {
		if (j->fd >= 0)
			close(j->fd);
		j->fd = -1;
		unlink(tmp);
	} else
		journal_fsync_dir(dir);
	free(tmp);
	return rc;
}

/* A journal of the first format has no header slot yet: add it. */
static int
journal_extend(struct journal *j, struct err *e)
{
	struct stat sb;
	int err;

	if (fstat(j->fd, &sb) != 0)
		return err_set(e, LG_ETEMP, "%s: %s", j->path,
		    strerror(errno));
	if (sb.st_size >= JOURNAL_SIZE)
		return LG_OK;
	if (sb.st_size < (off_t)JOURNAL_SLOTS * JOURNAL_REC)
		return err_set(e, LG_ETEMP, "%s: shorter than %d records",
		    j->path, JOURNAL_SLOTS);
	if ((err = posix_fallocate(j->fd, 0, JOURNAL_SIZE)) != 0 ||
	    fsync(j->fd) != 0)
		return err_set(e, LG_ETEMP, "%s: cannot allocate its header: "
		    "%s", j->path, strerror(err ? err : errno));
	return LG_OK;
}

/* The header's epoch and boot; a missing or torn header is epoch 0. */
static void
journal_head_read(struct journal *j)
{
	struct journal_head h;

	j->epoch = 0;
	j->boot[0] = '\0';
	if (journal_pread(j, JOURNAL_SLOTS, &h) != 0 ||
	    memcmp(h.magic, JOURNAL_HMAGIC, 4) != 0 ||
	    h.sum != journal_sum(&h))
		return;
	j->epoch = h.epoch;
	memcpy(j->boot, h.boot, sizeof(j->boot));
	j->boot[JOURNAL_BOOT - 1] = '\0';
}

int
journal_open(const char *dir, struct journal **out, struct err *e)
{
	struct journal *j = xcalloc(1, sizeof(*j));
	struct journal_rec r;
	char *all;
	size_t i;
	int rc = LG_OK;

	j->path = xasprintf("%s/%s", dir, JOURNAL_NAME);
	pthread_mutex_init(&j->lock, NULL);
	j->fd = open(j->path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (j->fd < 0 && errno == ENOENT)
		rc = journal_create(j, dir, e);
	else if (j->fd < 0)
		rc = err_set(e, LG_ETEMP, "%s: %s", j->path, strerror(errno));
	else
		rc = journal_extend(j, e);
	if (rc == LG_OK)
		journal_head_read(j);
	/* Every slot in one read: the journal is read at each run's start. */
	all = rc == LG_OK ? xmalloc((size_t)JOURNAL_SLOTS * JOURNAL_REC) : NULL;
	if (all != NULL && pread(j->fd, all, (size_t)JOURNAL_SLOTS * JOURNAL_REC,
	    0) != (ssize_t)JOURNAL_SLOTS * JOURNAL_REC)
		rc = err_set(e, LG_ETEMP, "%s: cannot read it: %s", j->path,
		    strerror(errno));
	for (i = 0; rc == LG_OK && i < JOURNAL_SLOTS; i++) {
		memcpy(&r, all + i * JOURNAL_REC, sizeof(r));
		if (journal_valid(j, &r))
			j->next = i + 1;
		if (journal_legacy(&r))
			j->legacy = i + 1;
	}
	free(all);
	if (rc != LG_OK) {
		journal_close(j);
		return rc;
	}
	*out = j;
	return LG_OK;
}

void
journal_close(struct journal *j)
{
	if (j == NULL)
		return;
	if (j->fd >= 0)
		close(j->fd);
	pthread_mutex_destroy(&j->lock);
	free(j->path);
	free(j);
}

int
journal_put(struct journal *j, const struct journal_entry *en,
    struct err *e)
{
	struct journal_rec r;
	size_t slot;
	int rc = LG_OK;

	memset(&r, 0, sizeof(r));
	memcpy(r.magic, JOURNAL_MAGIC, 4);
	r.id = en->id;
	r.at = en->at;
	r.kind = (uint8_t)en->kind;
	r.cls = (uint8_t)en->cls;
	snprintf(r.reply, sizeof(r.reply), "%.*s", (int)sizeof(r.reply) - 1,
	    en->reply);
	pthread_mutex_lock(&j->lock);
	r.epoch = j->epoch;
	r.sum = journal_sum(&r);
	if ((slot = j->next) >= JOURNAL_SLOTS)
		rc = err_set(e, LG_ETEMP, "%s is full", j->path);
	else if (journal_pwrite(j, slot, &r) != 0)
		rc = err_set(e, LG_ETEMP, "%s: %s", j->path, strerror(errno));
	else
		j->next = slot + 1;
	pthread_mutex_unlock(&j->lock);
	return rc;
}

int
journal_sync(struct journal *j, struct err *e)
{
	if (fdatasync(j->fd) != 0)
		return err_set(e, LG_ETEMP, "%s: %s", j->path, strerror(errno));
	return LG_OK;
}

int
journal_add(struct journal *j, int64_t id, int64_t at, const char *reply,
    struct err *e)
{
	struct journal_entry en;
	int rc;

	memset(&en, 0, sizeof(en));
	en.id = id;
	en.at = at;
	en.kind = JOURNAL_SENT;
	snprintf(en.reply, sizeof(en.reply), "%s", reply ? reply : "");
	if ((rc = journal_put(j, &en, e)) != LG_OK)
		return rc;
	return journal_sync(j, e);
}

size_t
journal_used(struct journal *j)
{
	size_t n;

	pthread_mutex_lock(&j->lock);
	n = j->next;
	pthread_mutex_unlock(&j->lock);
	return n;
}

int
journal_entries(struct journal *j, struct journal_entry **out, size_t *n,
    char boot[JOURNAL_BOOT], struct err *e)
{
	struct journal_rec r;
	struct journal_entry *en;
	size_t i;

	*out = NULL;
	*n = 0;
	pthread_mutex_lock(&j->lock);
	memcpy(boot, j->boot, JOURNAL_BOOT);
	for (i = 0; i < j->next; i++) {
		if (journal_pread(j, i, &r) != 0) {
			pthread_mutex_unlock(&j->lock);
			free(*out);
			*out = NULL;
			*n = 0;
			return err_set(e, LG_ETEMP, "%s: %s", j->path,
			    strerror(errno));
		}
		if (!journal_valid(j, &r))
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		en = &(*out)[(*n)++];
		en->id = r.id;
		en->at = r.at;
		en->kind = (enum journal_kind)r.kind;
		en->cls = r.cls;
		memcpy(en->reply, r.reply, sizeof(r.reply));
		en->reply[JOURNAL_REPLY - 1] = '\0';
	}
	pthread_mutex_unlock(&j->lock);
	return LG_OK;
}

int
journal_clear(struct journal *j, const char *boot, int sync, struct err *e)
{
	struct journal_rec zero;
	struct journal_head h;
	size_t i;
	int rc = LG_OK;

	memset(&zero, 0, sizeof(zero));
	memset(&h, 0, sizeof(h));
	pthread_mutex_lock(&j->lock);
	/* First-format records count in every epoch: they go for good. */
	for (i = 0; rc == LG_OK && i < j->legacy; i++)
		if (journal_pwrite(j, i, &zero) != 0)
			rc = err_set(e, LG_ETEMP, "%s: %s", j->path,
			    strerror(errno));
	memcpy(h.magic, JOURNAL_HMAGIC, 4);
	h.epoch = j->epoch + 1;
	snprintf(h.boot, sizeof(h.boot), "%s", boot ? boot : "");
	h.sum = journal_sum(&h);
	if (rc == LG_OK && journal_pwrite(j, JOURNAL_SLOTS, &h) != 0)
		rc = err_set(e, LG_ETEMP, "%s: %s", j->path, strerror(errno));
	if (rc == LG_OK && sync && fdatasync(j->fd) != 0)
		rc = err_set(e, LG_ETEMP, "%s: %s", j->path, strerror(errno));
	if (rc == LG_OK) {
		j->epoch = h.epoch;
		memcpy(j->boot, h.boot, sizeof(j->boot));
		j->next = 0;
		j->legacy = 0;
	}
	pthread_mutex_unlock(&j->lock);
	return rc;
}
