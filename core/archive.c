/* The mail archive folder (see archive.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <zlib.h>

#include "core/archive.h"
#include "core/store.h"
#include "util/clock.h"
#include "util/xmalloc.h"

#define TMP_PREFIX ".tmp-"
#define GZ_SUFFIX ".gz"
#define CHUNK 65536
/* A content larger than this when inflated is taken for damage. */
#define MAX_CONTENT (2UL << 30)

void
archive_hash(const void *data, size_t len, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[32];
	size_t i;

	gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, md);
	for (i = 0; i < sizeof(md); i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 0xf];
	}
	hex[2 * i] = '\0';
}

int
archive_hex_ok(const char *s)
{
	size_t i;

	for (i = 0; i < ARCHIVE_HEXLEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return LG_EPERM;
	return s[i] == '\0' ? LG_OK : LG_EPERM;
}

char *
archive_path(const char *dir, const char *hex)
{
	return xasprintf("%s/%.2s/%s" GZ_SUFFIX, dir, hex, hex);
}

/*
 * Files written since the last sync: each is written under a temporary
 * name and renamed into place at once, and one syncfs() of the file
 * system makes every content and every name of the group durable before
 * the commit that can make a row naming one of them durable. A power cut
 * before that sync may leave a file under its content's name that is not
 * whole (its name durable, its data not); no row names it, and
 * archive_put() checks a file it finds before trusting it (known_whole()),
 * so the same content again writes it anew.
 *
 * Measured on this project's test machine (ext4 on a virtual disk, 2
 * cores, load 4-6), groups of 256 files of 2 KB in 256 folders: this one
 * syncfs() took 10-13 ms per group; an fdatasync() of each file and an
 * fsync() of each folder 100-130 ms; sync_file_range() on each file then
 * a syncfs() about the same as the syncfs() alone. A syncfs() also
 * flushes what other processes wrote to that file system, which is why it
 * costs more under load, yet still less than a sync per file.
 */
struct archive_batch {
	char *dir;			/* whose file system is synced */
	size_t n;			/* files written since the sync */
	int touched;			/* something to sync */
	unsigned char made[256];	/* fan-out folders known to be there */
};

/* The file system to sync is dir's (one dir per batch). */
static void
batch_touch(struct archive_batch *b, const char *dir)
{
	if (b->dir == NULL)
		b->dir = xstrdup(dir);
	b->touched = 1;
}

static int
fsync_dir(const char *path, struct err *e)
{
	int fd, rc = LG_OK;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return err_set(e, LG_ETEMP, "%s: %s", path, strerror(errno));
	if (fsync(fd) == -1)
		rc = err_set(e, LG_ETEMP, "fsync %s: %s", path, strerror(errno));
	close(fd);
	return rc;
}

/*
 * path as a folder of ours: made 0700 if missing, and its parent synced
 * then, or not with b: 1 then, for the batch's syncfs().
 */
static int
private_dir(const char *path, const struct archive_batch *b,
    struct err *e)
{
	char *parent, *slash;
	int rc;

	if (mkdir(path, 0700) == -1) {
		if (errno == EEXIST)
			return LG_OK;
		return err_set(e, LG_ETEMP, "cannot make the archive folder "
		    "%s: %s", path, strerror(errno));
	}
	if (chmod(path, 0700) == -1)
		return err_set(e, LG_ETEMP, "chmod %s: %s", path,
		    strerror(errno));
	if (b != NULL)
		return 1;
	parent = xstrdup(path);
	if ((slash = strrchr(parent, '/')) == NULL)
		strcpy(parent, ".");
	else if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	rc = fsync_dir(parent, e);
	free(parent);
	return rc;
}

static int
gz_compress(const void *data, size_t len, struct buf *out, struct err *e)
{
	z_stream z;
	uLong bound;
	int rc, wbits = 9;

	/*
	 * A window no larger than the content loses nothing (zlib's sizes
	 * run from 512 bytes to 32 KB), and a hash table sized with it
	 * (memLevel + 7 bits; 8, the default, zeroes 64 KB per mail)
	 * costs about 0.5% of size on mails of a few KB. Level 1 (deflate's
	 * fast path) made files 1.9% larger than level 6 on 2,000 bench
	 * mails (39.5% of the raw size against 38.7%) for a third of the
	 * instructions: the kept mail is written once and rarely read.
	 */
	while (wbits < 15 && ((size_t)1 << wbits) < len)
		wbits++;
	memset(&z, 0, sizeof(z));
	/* + 16: a gzip wrapper, so that zcat reads the file. */
	if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, wbits + 16,
	    wbits - 7, Z_DEFAULT_STRATEGY) != Z_OK)
		return err_set(e, LG_ETEMP, "zlib: cannot start compressing");
	bound = deflateBound(&z, (uLong)len);
	buf_reserve(out, bound);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out->data + out->len;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	out->len += bound - z.avail_out;
	out->data[out->len] = '\0';	/* buf.h's promise */
	deflateEnd(&z);
	if (rc != Z_STREAM_END)
		return err_set(e, LG_ETEMP, "zlib: compressing failed (%d)", rc);
	return LG_OK;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

struct archive_batch *
archive_batch_new(void)
{
	return xcalloc(1, sizeof(struct archive_batch));
}

/* What was written stays: each file whole in place, or checked on reuse. */
void
archive_batch_free(struct archive_batch *b)
{
	if (b == NULL)
		return;
	free(b->dir);
	free(b);
}

size_t
archive_batch_len(const struct archive_batch *b)
{
	return b->n;
}

/*
 * syncfs() of the file system dir is on: every file written there so
 * far, data and names, on the disk (Linux since 5.8 reports its errors).
 */
static int
sync_fs(const char *dir, struct err *e)
{
	int fd, rc = LG_OK;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return err_set(e, LG_ETEMP, "%s: %s", dir, strerror(errno));
	if (syncfs(fd) == -1)
		rc = err_set(e, LG_ETEMP, "syncfs %s: %s", dir,
		    strerror(errno));
	close(fd);
	return rc;
}

int
archive_batch_sync(struct archive_batch *b, struct err *e)
{
	if (b == NULL || !b->touched)
		return LG_OK;
	/* Failed or not, it is tried again only for new files: the rows
	 * naming these are rolled back with the commit that fails. */
	b->touched = 0;
	b->n = 0;
	return sync_fs(b->dir, e);
}

/*
 * gz into fan/<hex>.gz: temporary file, renamed into place; without a
 * batch also fsync()ed before and its folder after, durable on return;
 * with one made durable by archive_batch_sync().
 */
static int
write_file(const char *dir, const char *fan, char *path,
    const struct buf *gz, time_t now, struct archive_batch *b,
    struct err *e)
{
	struct timespec ts[2] = { { now, 0 }, { now, 0 } };
	char *tmp = xasprintf("%s/" TMP_PREFIX "XXXXXX", fan);
	int fd, rc = LG_OK;

	if ((fd = mkstemp(tmp)) == -1) {
		rc = err_set(e, LG_ETEMP, "cannot write in %s: %s", fan,
		    strerror(errno));
		free(tmp);
		return rc;
	}
	if (fchmod(fd, 0600) == -1 || write_all(fd, gz->data, gz->len) == -1 ||
	    futimens(fd, ts) == -1 || (b == NULL && fsync(fd) == -1))
		rc = err_set(e, LG_ETEMP, "cannot write %s: %s", tmp,
		    strerror(errno));
	if (close(fd) == -1 && rc == LG_OK)
		rc = err_set(e, LG_ETEMP, "cannot write %s: %s", tmp,
		    strerror(errno));
	if (rc == LG_OK && rename(tmp, path) == -1)
		rc = err_set(e, LG_ETEMP, "cannot rename %s: %s", tmp,
		    strerror(errno));
	if (rc != LG_OK)
		unlink(tmp);
	else if (b != NULL) {
		batch_touch(b, dir);
		b->n++;
	} else
		rc = fsync_dir(fan, e);
	free(tmp);
	return rc;
}

/*
 * Whether the file in place for hex holds its content whole (1), or is
 * to be written anew (0: gone, or cut short by a power cut that kept
 * its name and not its data, see struct archive_batch); LG_ETEMP when
 * it cannot be read now. Reading it back costs only when the same
 * content comes again.
 */
static int
known_whole(const char *dir, const char *hex, struct err *e)
{
	struct buf old = BUF_INIT;
	int rc = archive_get(dir, hex, &old, e);

	buf_free(&old);
	if (rc == LG_OK)
		return 1;
	if (rc == LG_ENOENT || rc == LG_EPERM) {
		err_clear(e);
		return 0;
	}
	return rc;
}

int
archive_put(const char *dir, const void *data, size_t len, time_t now,
    char *hex, struct archive_batch *b, struct err *e)
{
	struct timespec ts[2] = { { now, 0 }, { now, 0 } };
	struct buf gz = BUF_INIT;
	char *path, *fan;
	struct stat sb;
	int rc, fanno;

	archive_hash(data, len, hex);
	path = archive_path(dir, hex);
	fan = xasprintf("%s/%.2s", dir, hex);
	if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (rc = known_whole(dir, hex, e)) != 0) {
		if (rc < 0)
			goto out;
		/* Known content: a fresh time keeps the purge off it. */
		rc = utimensat(AT_FDCWD, path, ts, 0) == -1 ?
		    err_set(e, LG_ETEMP, "cannot touch %s: %s", path,
		    strerror(errno)) : LG_OK;
		if (b != NULL)
			batch_touch(b, dir);
		goto out;
	}
	/* The batch's syncfs() of dir covers the names in it, not dir's. */
	fanno = (int)strtol((char[3]){ hex[0], hex[1], '\0' }, NULL, 16);
	if (b == NULL || !b->made[fanno]) {
		if ((rc = private_dir(dir, NULL, e)) != LG_OK ||
		    (rc = private_dir(fan, b, e)) < 0)
			goto out;
		if (rc == 1)
			batch_touch(b, dir);
		if (b != NULL)
			b->made[fanno] = 1;
	}
	if ((rc = gz_compress(data, len, &gz, e)) != LG_OK)
		goto out;
	rc = write_file(dir, fan, path, &gz, now, b, e);
out:
	buf_free(&gz);
	free(fan);
	free(path);
	return rc;
}

static int
read_file(const char *path, struct buf *out, struct err *e)
{
	char chunk[CHUNK];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return err_set(e, LG_ENOENT, "the archive file %s is "
			    "missing", path);
		return err_set(e, LG_ETEMP, "cannot read %s: %s", path,
		    strerror(errno));
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			close(fd);
			return err_set(e, LG_ETEMP, "cannot read %s: %s", path,
			    strerror(errno));
		}
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	return LG_OK;
}

static int
gz_inflate(const struct buf *gz, struct buf *out, const char *path,
    struct err *e)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return err_set(e, LG_ETEMP, "zlib: cannot start inflating");
	z.next_in = (Bytef *)gz->data;
	z.avail_in = (uInt)gz->len;
	do {
		buf_reserve(out, CHUNK);
		z.next_out = (Bytef *)out->data + out->len;
		z.avail_out = CHUNK;
		rc = inflate(&z, Z_NO_FLUSH);
		out->len += CHUNK - z.avail_out;
		if (out->data)
			out->data[out->len] = '\0';
	} while (rc == Z_OK && out->len < MAX_CONTENT);
	inflateEnd(&z);
	if (rc == Z_STREAM_END && z.avail_in == 0)
		return LG_OK;
	if (rc == Z_STREAM_END)
		return err_set(e, LG_EPERM, "the archive file %s is damaged: "
		    "data after its end", path);
	return err_set(e, LG_EPERM, "the archive file %s is damaged: %s", path,
	    rc == Z_BUF_ERROR ? "cut short" : z.msg ? z.msg : "not gzip");
}

int
archive_get(const char *dir, const char *hex, struct buf *out,
    struct err *e)
{
	struct buf gz = BUF_INIT, plain = BUF_INIT;
	char got[ARCHIVE_HEXLEN + 1];
	char *path;
	int rc;

	if (archive_hex_ok(hex) != LG_OK)
		return err_set(e, LG_EPERM, "not an archive name: %.80s", hex);
	path = archive_path(dir, hex);
	if ((rc = read_file(path, &gz, e)) == LG_OK &&
	    (rc = gz_inflate(&gz, &plain, path, e)) == LG_OK) {
		archive_hash(plain.data ? plain.data : "", plain.len, got);
		if (strcmp(got, hex) != 0)
			rc = err_set(e, LG_EPERM, "the archive file %s is "
			    "damaged: its content is not the one it is named "
			    "for", path);
		else
			buf_add(out, plain.data, plain.len);
	}
	buf_free(&plain);
	buf_free(&gz);
	free(path);
	return rc;
}

/* Whether name is "<hex>.gz" of a content in the fan-out folder xx. */
static int
content_name(const char *name, const char *xx, char *hex)
{
	if (strlen(name) != ARCHIVE_HEXLEN + strlen(GZ_SUFFIX) ||
	    strcmp(name + ARCHIVE_HEXLEN, GZ_SUFFIX) != 0 ||
	    strncmp(name, xx, 2) != 0)
		return 0;
	memcpy(hex, name, ARCHIVE_HEXLEN);
	hex[ARCHIVE_HEXLEN] = '\0';
	return archive_hex_ok(hex) == LG_OK;
}

/* One file of a fan-out folder: removed when it is old and unnamed. */
static int
purge_entry(const char *fan, const char *xx, const char *name,
    struct store *st, time_t now, struct archive_purged *out,
    struct err *e)
{
	char hex[ARCHIVE_HEXLEN + 1], path[PATH_MAX];
	int tmp = strncmp(name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0;
	struct stat sb;
	int rc;

	if (!tmp && !content_name(name, xx, hex))
		return LG_OK;	/* not ours: left alone */
	snprintf(path, sizeof(path), "%s/%s", fan, name);
	if (lstat(path, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_mtime + ARCHIVE_GRACE > now)
		return LG_OK;
	if (!tmp) {
		rc = store_mail_sha_used(st, hex, e);
		if (rc == LG_OK)
			return LG_OK;
		if (rc != LG_ENOENT)
			return rc;
	}
	if (unlink(path) == -1)
		return err_set(e, LG_ETEMP, "cannot remove %s: %s", path,
		    strerror(errno));
	if (tmp) {
		out->temps++;
	} else {
		out->files++;
		out->bytes += sb.st_size;
	}
	return LG_OK;
}

/*
 * One fan-out folder under the store's write lock (see archive.h): no
 * ingest is between writing a file and recording it meanwhile.
 */
static int
purge_fan(const char *dir, const char *xx, struct store *st, time_t now,
    struct archive_purged *out, struct err *e)
{
	char *fan = xasprintf("%s/%s", dir, xx);
	long before = out->files + out->temps;
	struct dirent *de;
	DIR *d;
	int rc;

	if ((rc = store_begin(st, e)) != LG_OK) {
		free(fan);
		return rc;
	}
	if ((d = opendir(fan)) == NULL) {
		rc = err_set(e, LG_ETEMP, "cannot read %s: %s", fan,
		    strerror(errno));
	} else {
		while (rc == LG_OK && (de = readdir(d)) != NULL)
			rc = purge_entry(fan, xx, de->d_name, st, now, out, e);
		closedir(d);
	}
	store_rollback(st);	/* nothing was written */
	if (rc == LG_OK && out->files + out->temps > before)
		rc = fsync_dir(fan, e);
	free(fan);
	return rc;
}

static int
expire_rows(struct store *st, int keep_days, time_t now, long *n,
    struct err *e)
{
	char before[CLOCK_ISOLEN];
	int rc;

	*n = 0;
	if (keep_days <= 0)
		return LG_OK;
	clock_iso(now - (time_t)keep_days * 86400, before, sizeof(before));
	if ((rc = store_begin(st, e)) != LG_OK)
		return rc;
	if ((rc = store_mail_expire(st, before, n, e)) == LG_OK)
		rc = store_commit(st, e);
	if (rc != LG_OK) {
		store_rollback(st);
		*n = 0;
	}
	return rc;
}

static int
fan_name(const char *name)
{
	static const char digits[] = "0123456789abcdef";

	return name[0] && name[1] && name[2] == '\0' &&
	    strchr(digits, name[0]) && strchr(digits, name[1]);
}

int
archive_purge(const char *dir, struct store *st, int keep_days, time_t now,
    struct archive_purged *out, struct err *e)
{
	struct dirent *de;
	DIR *d;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = expire_rows(st, keep_days, now, &out->rows, e)) != LG_OK)
		return rc;
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return LG_OK;	/* nothing was ever kept */
		return err_set(e, LG_ETEMP, "cannot read %s: %s", dir,
		    strerror(errno));
	}
	while (rc == LG_OK && (de = readdir(d)) != NULL)
		if (fan_name(de->d_name))
			rc = purge_fan(dir, de->d_name, st, now, out, e);
	closedir(d);
	return rc;
}
