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
#define JOURNAL_MAGIC "LGR1"

/* One slot on disk: magic, checksum of the rest, then the entry. */
struct journal_rec {
	char magic[4];
	uint32_t sum;
	int64_t id;
	int64_t at;
	char reply[JOURNAL_REPLY];
	char pad[JOURNAL_REC - 24 - JOURNAL_REPLY];
};
_Static_assert(sizeof(struct journal_rec) == JOURNAL_REC,
    "a journal record is JOURNAL_REC bytes");

struct journal {
	char *path;
	int fd;
	pthread_mutex_t lock;
	size_t next;		/* the first slot after the last used one */
};

/* FNV-1a over the record after its checksum. */
static uint32_t
journal_sum(const struct journal_rec *r)
{
	const unsigned char *p = (const unsigned char *)r + 8;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < JOURNAL_REC - 8; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static int
journal_valid(const struct journal_rec *r)
{
	return memcmp(r->magic, JOURNAL_MAGIC, 4) == 0 &&
	    r->sum == journal_sum(r) && r->id > 0;
}

static int
journal_pread(struct journal *j, size_t slot, struct journal_rec *r)
{
	ssize_t n;

	n = pread(j->fd, r, sizeof(*r), (off_t)(slot * JOURNAL_REC));
	return n == (ssize_t)sizeof(*r) ? 0 : -1;
}

/*
 * Created whole under a temporary name, every block allocated, then
 * renamed: a crash half-way leaves no short journal behind.
 */
static int
journal_create(struct journal *j, const char *dir, struct err *e)
{
	char *tmp = xasprintf("%s.new", j->path);
	int err = 0, dfd, rc = LG_OK;

	j->fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (j->fd < 0)
		rc = err_set(e, LG_ETEMP, "%s: %s", tmp, strerror(errno));
	else if ((err = posix_fallocate(j->fd, 0, (off_t)JOURNAL_SLOTS *
	    JOURNAL_REC)) != 0 || fsync(j->fd) != 0 ||
	    rename(tmp, j->path) != 0)
		rc = err_set(e, LG_ETEMP, "%s: cannot allocate it: %s",
		    j->path, strerror(err ? err : errno));
	if (rc != LG_OK) {
		if (j->fd >= 0)
			close(j->fd);
		j->fd = -1;
		unlink(tmp);
	} else if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >=
	    0) {
		fsync(dfd);
		close(dfd);
	}
	free(tmp);
	return rc;
}

int
journal_open(const char *dir, struct journal **out, struct err *e)
{
	struct journal *j = xcalloc(1, sizeof(*j));
	struct journal_rec r;
	struct stat sb;
	size_t i;
	int rc = LG_OK;

	j->path = xasprintf("%s/%s", dir, JOURNAL_NAME);
	pthread_mutex_init(&j->lock, NULL);
	j->fd = open(j->path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (j->fd < 0 && errno == ENOENT)
		rc = journal_create(j, dir, e);
	else if (j->fd < 0)
		rc = err_set(e, LG_ETEMP, "%s: %s", j->path, strerror(errno));
	else if (fstat(j->fd, &sb) != 0 ||
	    sb.st_size < (off_t)JOURNAL_SLOTS * JOURNAL_REC)
		rc = err_set(e, LG_ETEMP, "%s: shorter than %d records",
		    j->path, JOURNAL_SLOTS);
	for (i = 0; rc == LG_OK && i < JOURNAL_SLOTS; i++)
		if (journal_pread(j, i, &r) == 0 && journal_valid(&r))
			j->next = i + 1;
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
journal_add(struct journal *j, int64_t id, int64_t at, const char *reply,
    struct err *e)
{
	struct journal_rec r;
	size_t slot;
	int rc = LG_OK;

	memset(&r, 0, sizeof(r));
	memcpy(r.magic, JOURNAL_MAGIC, 4);
	r.id = id;
	r.at = at;
	strncpy(r.reply, reply ? reply : "", sizeof(r.reply) - 1);
	r.sum = journal_sum(&r);
	pthread_mutex_lock(&j->lock);
	if ((slot = j->next) >= JOURNAL_SLOTS)
		rc = err_set(e, LG_ETEMP, "%s is full", j->path);
	else if (pwrite(j->fd, &r, sizeof(r), (off_t)(slot * JOURNAL_REC)) !=
	    (ssize_t)sizeof(r) || fdatasync(j->fd) != 0)
		rc = err_set(e, LG_ETEMP, "%s: %s", j->path, strerror(errno));
	else
		j->next = slot + 1;
	pthread_mutex_unlock(&j->lock);
	return rc;
}

int
journal_entries(struct journal *j, struct journal_entry **out, size_t *n,
    struct err *e)
{
	struct journal_rec r;
	size_t i;

	*out = NULL;
	*n = 0;
	pthread_mutex_lock(&j->lock);
	for (i = 0; i < j->next; i++) {
		if (journal_pread(j, i, &r) != 0) {
			pthread_mutex_unlock(&j->lock);
			free(*out);
			*out = NULL;
			*n = 0;
			return err_set(e, LG_ETEMP, "%s: %s", j->path,
			    strerror(errno));
		}
		if (!journal_valid(&r))
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		(*out)[*n].id = r.id;
		(*out)[*n].at = r.at;
		memcpy((*out)[*n].reply, r.reply, sizeof(r.reply));
		(*out)[*n].reply[JOURNAL_REPLY - 1] = '\0';
		(*n)++;
	}
	pthread_mutex_unlock(&j->lock);
	return LG_OK;
}

int
journal_clear(struct journal *j, struct err *e)
{
	struct journal_rec zero;
	size_t i;
	int rc = LG_OK;

	memset(&zero, 0, sizeof(zero));
	pthread_mutex_lock(&j->lock);
	for (i = 0; rc == LG_OK && i < j->next; i++)
		if (pwrite(j->fd, &zero, sizeof(zero), (off_t)(i * JOURNAL_REC))
		    != (ssize_t)sizeof(zero))
			rc = err_set(e, LG_ETEMP, "%s: %s", j->path,
			    strerror(errno));
	if (rc == LG_OK && j->next > 0 && fdatasync(j->fd) != 0)
		rc = err_set(e, LG_ETEMP, "%s: %s", j->path, strerror(errno));
	if (rc == LG_OK)
		j->next = 0;
	pthread_mutex_unlock(&j->lock);
	return rc;
}
