/*
 * powercut.so: an LD_PRELOAD library that keeps the "durable image" of a
 * directory tree, what a power cut would leave of it, for crash tests that
 * a SIGKILL cannot make (after a SIGKILL the kernel still has every write).
 *
 * Model (strict POSIX, no file system's extra ordering):
 *   - a file's content survives as of its last fsync()/fdatasync() (by any
 *     descriptor of the file: the model is keyed by inode), or of syncfs()
 *     or sync(); a file never synced survives empty;
 *   - a directory's names survive as of its last fsync()/fdatasync()
 *     (syncfs()/sync() included): a create, unlink, rename or mkdir not
 *     followed by an fsync of its directory is undone, a file created and
 *     synced whose directory was never synced is gone;
 *   - a write through a descriptor opened O_SYNC or O_DSYNC is synced;
 *   - nothing else survives: sync_file_range() and msync() make nothing
 *     durable (leadgate and SQLite, as leadgate configures it, call
 *     neither); the -shm file of SQLite is never synced and so does not
 *     survive, which SQLite expects.
 *
 * Environment:
 *   POWERCUT_DIR     the tree modelled (its own entry in its parent is
 *                    taken as durable). Unset: the library does nothing.
 *   POWERCUT_SHADOW  where the image is kept, outside POWERCUT_DIR:
 *                    root           the id of POWERCUT_DIR
 *                    live/INO       symlink -> the id of that inode now
 *                    data/ID        durable content of file ID (none: empty)
 *                    dirs/ID        durable names of directory ID, lines
 *                                   "TYPE MODE ID NAME" (TYPE f or d)
 *                    dirty/ID       a process wrote ID since its last sync
 *   POWERCUT_FULL=1  compare whole files at every sync instead of copying
 *                    the ranges written (slower; the self-test compares)
 *   POWERCUT_TRACE   set: one line on stderr per sync modelled
 *   POWERCUT_REAL_SYNC=1  also call the real fsync (by default a sync of a
 *                    modelled file only updates the image: the test needs
 *                    the model, not the disk, and runs faster).
 *
 * An id names one generation of an inode: a file created where an unlinked
 * one was may get its inode number, not its id, so a durable name still
 * pointing at the old file keeps the old content.
 *
 * tests/lib/powercut.py makes the first image of a tree ("image") and
 * rebuilds the tree from the image after a SIGKILL ("restore": every name
 * of the last durable listings, with the durable content of its id; then
 * a new image of the result). A test: image, run the program with
 * LD_PRELOAD=powercut.so, SIGKILL it at any moment, restore, check.
 *
 * Cost: writes are recorded as byte ranges per inode; a sync copies only
 * those ranges (read back from the file) into data/ID. A file whose writes
 * this process did not see (written by an earlier process after its last
 * sync, through stdio, or through a shared writable mapping) is compared
 * with data/ID block by block at its sync instead.
 *
 * The model gives one outcome of a cut, the harshest for the program: no
 * write, create or rename after the last sync survives. A real disk may
 * also keep any part of them (a rename without its data, a file's first
 * blocks); those outcomes are not explored. A SIGKILL during a modelled
 * sync leaves data/ID partly updated, as a sync that never returned may.
 *
 * Limits: one modelled process at a time (ranges live in the process;
 * sequential processes hand over through dirty/); hard links, symlinks,
 * copy_file_range(), sendfile() and splice() into modelled files are not
 * modelled; names with a newline are left out of a listing (with a
 * message). Sanitizer builds: the library is built without sanitizers and
 * must come after libasan in LD_PRELOAD of an ASan-built program.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define PC_MAXRANGES 512	/* more: compare the whole file at its sync */
#define PC_BLOCK 65536

struct pc_range {
	off_t from, to;
};

struct pc_node {
	ino_t ino;
	char id[48];
	int used;
	int full;		/* compare the whole file at the next sync */
	int marked;		/* dirty/ID exists for this process's writes */
	off_t minsize;		/* smallest size since the last sync, or -1 */
	struct pc_range *r;
	size_t nr;
};

static struct {
	int configured, active, real_sync, force_full, trace;
	char dir[PATH_MAX];
	size_t dirlen;
	char shadow[PATH_MAX];
	dev_t dev;
	struct pc_node *nodes;	/* open addressing by inode */
	size_t cap, count;
	ino_t *outside;		/* inodes seen outside the tree */
	size_t ocap, ocount;
	unsigned long seq;
	pthread_mutex_t mu;
} pc = { .mu = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP };

static pthread_once_t pc_once = PTHREAD_ONCE_INIT;

/* The real functions. */
static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static FILE *(*real_fopen)(const char *, const char *);
static FILE *(*real_fopen64)(const char *, const char *);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static ssize_t (*real_pwritev64)(int, const struct iovec *, int, off_t);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off_t);
static int (*real_truncate)(const char *, off_t);
static int (*real_fallocate)(int, int, off_t, off_t);
static int (*real_posix_fallocate)(int, off_t, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_syncfs)(int);
static void (*real_sync)(void);
static int (*real_mkdir)(const char *, mode_t);
static int (*real_mkdirat)(int, const char *, mode_t);
static void *(*real_mmap)(void *, size_t, int, int, int, off_t);
static void *(*real_mmap64)(void *, size_t, int, int, int, off_t);

/* Prototypes glibc declares only under _FORTIFY_SOURCE or not at all. */
int __open_2(const char *, int);
int __open64_2(const char *, int);
int __openat_2(int, const char *, int);
int __openat64_2(int, const char *, int);
int open64(const char *, int, ...);
int openat64(int, const char *, int, ...);
int creat64(const char *, mode_t);
FILE *fopen64(const char *, const char *);
ssize_t pwrite64(int, const void *, size_t, off_t);
ssize_t pwritev64(int, const struct iovec *, int, off_t);
int ftruncate64(int, off_t);
void *mmap64(void *, size_t, int, int, int, off_t);

static void
pc_die(const char *what)
{
	char msg[512];
	int n = snprintf(msg, sizeof(msg), "powercut: %s: %s\n", what,
	    strerror(errno));

	if (n > 0)
		(void)!real_write(2, msg, (size_t)n < sizeof(msg) ?
		    (size_t)n : sizeof(msg) - 1);
	abort();
}

static void
pc_say(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n > 0)
		(void)!real_write(2, msg, (size_t)n < sizeof(msg) ?
		    (size_t)n : sizeof(msg) - 1);
}

static void *
pc_sym(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	if (p == NULL) {
		errno = ENOSYS;
		pc_die(name);
	}
	return p;
}

static void
pc_spath(char *out, size_t len, const char *sub, const char *name)
{
	if ((size_t)snprintf(out, len, "%s/%s/%s", pc.shadow, sub, name) >= len) {
		errno = ENAMETOOLONG;
		pc_die(sub);
	}
}

static struct pc_node *
pc_find(ino_t ino)
{
	size_t i;

	if (pc.cap == 0)
		return NULL;
	for (i = ino % pc.cap; pc.nodes[i].used; i = (i + 1) % pc.cap)
		if (pc.nodes[i].ino == ino)
			return &pc.nodes[i];
	return NULL;
}

static struct pc_node *pc_insert(ino_t ino);

static void
pc_grow(void)
{
	struct pc_node *old = pc.nodes;
	size_t i, ocap = pc.cap;

	pc.cap = pc.cap ? pc.cap * 2 : 1024;
	if ((pc.nodes = calloc(pc.cap, sizeof(*pc.nodes))) == NULL)
		pc_die("calloc");
	pc.count = 0;
	for (i = 0; i < ocap; i++)
		if (old[i].used)
			*pc_insert(old[i].ino) = old[i];
	free(old);
}

/* The node of ino, a new empty one if there is none. */
static struct pc_node *
pc_insert(ino_t ino)
{
	struct pc_node *n;
	size_t i;

	if ((n = pc_find(ino)) != NULL)
		return n;
	if ((pc.count + 1) * 2 > pc.cap)
		pc_grow();
	for (i = ino % pc.cap; pc.nodes[i].used; i = (i + 1) % pc.cap)
		;
	n = &pc.nodes[i];
	memset(n, 0, sizeof(*n));
	n->used = 1;
	n->ino = ino;
	n->minsize = -1;
	pc.count++;
	return n;
}

static int
pc_is_outside(ino_t ino)
{
	size_t i;

	for (i = 0; i < pc.ocount; i++)
		if (pc.outside[i] == ino)
			return 1;
	return 0;
}

static void
pc_not_outside(ino_t ino)
{
	size_t i;

	for (i = 0; i < pc.ocount; i++)
		if (pc.outside[i] == ino)
			pc.outside[i] = pc.outside[--pc.ocount];
}

static void
pc_add_outside(ino_t ino)
{
	if (pc.ocount == pc.ocap) {
		pc.ocap = pc.ocap ? pc.ocap * 2 : 256;
		if ((pc.outside = realloc(pc.outside, pc.ocap *
		    sizeof(*pc.outside))) == NULL)
			pc_die("realloc");
	}
	pc.outside[pc.ocount++] = ino;
}

/* Point live/INO at id, atomically. */
static void
pc_set_live(ino_t ino, const char *id)
{
	char name[64], path[PATH_MAX], tmp[PATH_MAX];

	snprintf(name, sizeof(name), "%llu", (unsigned long long)ino);
	pc_spath(path, sizeof(path), "live", name);
	snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
	unlink(tmp);
	if (symlink(id, tmp) != 0 || rename(tmp, path) != 0)
		pc_die(path);
}

/* A new generation for ino: a fresh id whose durable content is none. */
static struct pc_node *
pc_new_gen(ino_t ino, int full)
{
	struct pc_node *n = pc_insert(ino);

	free(n->r);
	n->r = NULL;
	n->nr = 0;
	n->minsize = -1;
	n->marked = 0;
	n->full = full;
	snprintf(n->id, sizeof(n->id), "%ld.%ld.%lu", (long)getpid(),
	    (long)time(NULL), ++pc.seq);
	pc_set_live(ino, n->id);
	pc_not_outside(ino);
	return n;
}

static void
pc_load(void)
{
	char path[PATH_MAX], id[64], dpath[PATH_MAX];
	struct dirent *de;
	struct pc_node *n;
	ssize_t len;
	DIR *d;

	snprintf(path, sizeof(path), "%s/live", pc.shadow);
	if ((d = opendir(path)) == NULL)
		pc_die(path);
	while ((de = readdir(d)) != NULL) {
		char *end;
		unsigned long long ino;

		if (de->d_name[0] == '.')
			continue;
		ino = strtoull(de->d_name, &end, 10);
		if (*end != '\0')
			continue;	/* a leftover temporary name */
		pc_spath(path, sizeof(path), "live", de->d_name);
		if ((len = readlink(path, id, sizeof(id) - 1)) <= 0)
			continue;
		id[len] = '\0';
		n = pc_insert((ino_t)ino);
		snprintf(n->id, sizeof(n->id), "%s", id);
		pc_spath(dpath, sizeof(dpath), "dirty", id);
		n->full = access(dpath, F_OK) == 0;
	}
	closedir(d);
}

/* The real functions, once. */
static void
pc_init(void)
{
	real_open = pc_sym("open");
	real_openat = pc_sym("openat");
	real_fopen = pc_sym("fopen");
	real_fopen64 = pc_sym("fopen64");
	real_write = pc_sym("write");
	real_pwrite = pc_sym("pwrite");
	real_pwrite64 = pc_sym("pwrite64");
	real_writev = pc_sym("writev");
	real_pwritev = pc_sym("pwritev");
	real_pwritev64 = pc_sym("pwritev64");
	real_ftruncate = pc_sym("ftruncate");
	real_ftruncate64 = pc_sym("ftruncate64");
	real_truncate = pc_sym("truncate");
	real_fallocate = pc_sym("fallocate");
	real_posix_fallocate = pc_sym("posix_fallocate");
	real_fsync = pc_sym("fsync");
	real_fdatasync = pc_sym("fdatasync");
	real_syncfs = pc_sym("syncfs");
	real_sync = pc_sym("sync");
	real_mkdir = pc_sym("mkdir");
	real_mkdirat = pc_sym("mkdirat");
	real_mmap = pc_sym("mmap");
	real_mmap64 = pc_sym("mmap64");
}

/* The model's settings, from the environment. */
static void
pc_configure(void)
{
	const char *dir = getenv("POWERCUT_DIR"), *sh = getenv("POWERCUT_SHADOW");
	const char *rs = getenv("POWERCUT_REAL_SYNC");
	struct stat sb;

	if (dir == NULL || *dir == '\0' || sh == NULL || *sh == '\0')
		return;
	if (realpath(dir, pc.dir) == NULL)
		pc_die(dir);
	if (realpath(sh, pc.shadow) == NULL)
		pc_die(sh);
	if (stat(pc.dir, &sb) != 0)
		pc_die(pc.dir);
	pc.dev = sb.st_dev;
	pc.dirlen = strlen(pc.dir);
	pc.real_sync = rs != NULL && strcmp(rs, "1") == 0;
	pc.trace = getenv("POWERCUT_TRACE") != NULL;
	pc.force_full = getenv("POWERCUT_FULL") != NULL &&
	    strcmp(getenv("POWERCUT_FULL"), "1") == 0;
	pc_load();
	if (pc_find(sb.st_ino) == NULL) {
		errno = ENOENT;
		pc_die("no image of POWERCUT_DIR (run powercut.py image)");
	}
	pc.active = 1;
}

/*
 * Whether the model is on. The settings are read once the environment is
 * there: an ASan runtime preloaded first calls some of these functions
 * while it starts, before libc has set environ up.
 */
static int
pc_on(void)
{
	pthread_once(&pc_once, pc_init);
	if (__atomic_load_n(&pc.configured, __ATOMIC_ACQUIRE))
		return pc.active;
	if (environ == NULL)
		return 0;
	pthread_mutex_lock(&pc.mu);
	if (!pc.configured) {
		pc_configure();
		__atomic_store_n(&pc.configured, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&pc.mu);
	return pc.active;
}

/*
 * The node of an open descriptor in the tree, or NULL. Called with the
 * lock held. A file the hooks did not see created gets a new generation.
 */
static struct pc_node *
pc_node_fd(int fd, struct stat *sb)
{
	char link[64], path[PATH_MAX];
	struct pc_node *n;
	ssize_t len;

	if (fstat(fd, sb) != 0 || sb->st_dev != pc.dev ||
	    !(S_ISREG(sb->st_mode) || S_ISDIR(sb->st_mode)))
		return NULL;
	if ((n = pc_find(sb->st_ino)) != NULL)
		return n;
	if (pc_is_outside(sb->st_ino))
		return NULL;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if ((len = readlink(link, path, sizeof(path) - 1)) < 0)
		return NULL;
	path[len] = '\0';
	if (strncmp(path, pc.dir, pc.dirlen) != 0 ||
	    (path[pc.dirlen] != '/' && path[pc.dirlen] != '\0')) {
		pc_add_outside(sb->st_ino);
		return NULL;
	}
	return pc_new_gen(sb->st_ino, 1);
}

/* Record that [from, to) of n changed and is not durable. */
static void
pc_dirty(struct pc_node *n, off_t from, off_t to)
{
	char path[PATH_MAX];
	size_t i;
	int fd;

	if (!n->marked) {
		pc_spath(path, sizeof(path), "dirty", n->id);
		if ((fd = real_open(path, O_WRONLY | O_CREAT | O_CLOEXEC,
		    0600)) < 0)
			pc_die(path);
		close(fd);
		n->marked = 1;
	}
	if (n->full || from >= to)
		return;
	for (i = 0; i < n->nr; i++)
		if (from <= n->r[i].to && to >= n->r[i].from) {
			if (from < n->r[i].from)
				n->r[i].from = from;
			if (to > n->r[i].to)
				n->r[i].to = to;
			return;
		}
	if (n->nr == PC_MAXRANGES) {
		n->full = 1;
		return;
	}
	if ((n->r = realloc(n->r, (n->nr + 1) * sizeof(*n->r))) == NULL)
		pc_die("realloc");
	n->r[n->nr].from = from;
	n->r[n->nr].to = to;
	n->nr++;
}

static void pc_sync_file(struct pc_node *, int, const struct stat *);

/* A change to fd; durable at once when fd was opened O_SYNC or O_DSYNC. */
static void
pc_dirty_fd(int fd, off_t from, off_t to, off_t newsize)
{
	struct pc_node *n;
	struct stat sb;
	int fl;

	pthread_mutex_lock(&pc.mu);
	if ((n = pc_node_fd(fd, &sb)) != NULL && S_ISREG(sb.st_mode)) {
		if (newsize >= 0 && (n->minsize < 0 || newsize < n->minsize))
			n->minsize = newsize;
		pc_dirty(n, from, to);
		if ((fl = fcntl(fd, F_GETFL)) >= 0 && (fl & O_DSYNC))
			pc_sync_file(n, fd, &sb);
	}
	pthread_mutex_unlock(&pc.mu);
}

/* After a write of got bytes at the current offset. */
static void
pc_wrote_here(int fd, ssize_t got)
{
	off_t end;

	if (got <= 0 || !pc_on())
		return;
	if ((end = lseek(fd, 0, SEEK_CUR)) < 0)
		end = got;	/* not seekable: not a file of the tree */
	pc_dirty_fd(fd, end - got, end, -1);
}

static void
pc_wrote_at(int fd, ssize_t got, off_t off)
{
	if (got > 0 && pc_on())
		pc_dirty_fd(fd, off, off + got, -1);
}

static void
pc_copy(int from, int to, off_t off, off_t len)
{
	char buf[PC_BLOCK];
	ssize_t n;

	while (len > 0) {
		n = pread(from, buf, len < PC_BLOCK ? (size_t)len : PC_BLOCK,
		    off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			pc_die("read back");
		if (n == 0)
			return;
		if (real_pwrite(to, buf, (size_t)n, off) != n)
			pc_die("write image");
		off += n;
		len -= n;
	}
}

/* Copy the blocks of from that differ from to. */
static void
pc_compare_copy(int from, int to, off_t size)
{
	static char a[PC_BLOCK], b[PC_BLOCK];	/* under the lock */
	ssize_t n, m;
	off_t off;

	for (off = 0; off < size; off += n) {
		if ((n = pread(from, a, PC_BLOCK, off)) <= 0) {
			if (n < 0)
				pc_die("read back");
			return;
		}
		m = pread(to, b, (size_t)n, off);
		if (m < 0)
			pc_die("read image");
		if (m != n || memcmp(a, b, (size_t)n) != 0)
			if (real_pwrite(to, a, (size_t)n, off) != n)
				pc_die("write image");
	}
}

/* Make the content of n (open as fd) durable: update data/ID. */
static void
pc_sync_file(struct pc_node *n, int fd, const struct stat *sb)
{
	char path[PATH_MAX], link[64];
	size_t i;
	int rfd, sfd;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if ((rfd = real_open(link, O_RDONLY | O_CLOEXEC)) < 0)
		pc_die(link);
	pc_spath(path, sizeof(path), "data", n->id);
	if ((sfd = real_open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		pc_die(path);
	if (n->full || pc.force_full) {
		if (real_ftruncate(sfd, sb->st_size) != 0)
			pc_die(path);
		pc_compare_copy(rfd, sfd, sb->st_size);
	} else {
		if (n->minsize >= 0 && real_ftruncate(sfd, n->minsize) != 0)
			pc_die(path);
		for (i = 0; i < n->nr; i++)
			if (n->r[i].from < sb->st_size)
				pc_copy(rfd, sfd, n->r[i].from,
				    (n->r[i].to < sb->st_size ? n->r[i].to :
				    sb->st_size) - n->r[i].from);
		if (real_ftruncate(sfd, sb->st_size) != 0)
			pc_die(path);
	}
	close(sfd);
	close(rfd);
	free(n->r);
	n->r = NULL;
	n->nr = 0;
	n->full = 0;
	n->minsize = -1;
	pc_spath(path, sizeof(path), "dirty", n->id);
	if (unlink(path) != 0 && errno != ENOENT)
		pc_die(path);
	n->marked = 0;
}

/* Make the names of directory n (open as fd) durable: write dirs/ID. */
static void
pc_sync_dir(struct pc_node *n, int fd)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	struct pc_node *c;
	struct dirent *de;
	struct stat sb;
	FILE *out;
	DIR *d;
	int dfd;

	pc_spath(path, sizeof(path), "dirs", n->id);
	snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
	if ((dfd = real_openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (d = fdopendir(dfd)) == NULL)
		pc_die("listing a directory");
	if ((out = real_fopen(tmp, "w")) == NULL)
		pc_die(tmp);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
			continue;	/* gone meanwhile */
		if (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
			pc_say("powercut: %s: not a file or directory, "
			    "left out\n", de->d_name);
			continue;
		}
		if (strchr(de->d_name, '\n') != NULL) {
			pc_say("powercut: a name with a newline, left out\n");
			continue;
		}
		if ((c = pc_find(sb.st_ino)) == NULL)
			c = pc_new_gen(sb.st_ino, 1);
		fprintf(out, "%c %o %s %s\n", S_ISDIR(sb.st_mode) ? 'd' : 'f',
		    (unsigned)(sb.st_mode & 07777), c->id, de->d_name);
	}
	closedir(d);
	if (fclose(out) != 0 || rename(tmp, path) != 0)
		pc_die(path);
}

static void
pc_sync_node(struct pc_node *n, int fd, const struct stat *sb)
{
	if (pc.trace)
		pc_say("powercut: sync %s %s (%zu ranges%s)\n",
		    S_ISDIR(sb->st_mode) ? "directory" : "file", n->id, n->nr,
		    n->full ? ", whole" : "");
	if (S_ISDIR(sb->st_mode))
		pc_sync_dir(n, fd);
	else
		pc_sync_file(n, fd, sb);
}

/* syncfs(), sync(): every file and directory reachable from fd. */
static void
pc_sync_tree(int fd)
{
	struct pc_node *n;
	struct dirent *de;
	struct stat sb;
	DIR *d;
	int dfd, cfd;

	if ((n = pc_node_fd(fd, &sb)) == NULL)
		return;
	pc_sync_node(n, fd, &sb);
	if (!S_ISDIR(sb.st_mode))
		return;
	if ((dfd = real_openat(fd, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0 || (d = fdopendir(dfd)) == NULL)
		pc_die("walking the tree");
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((cfd = real_openat(dfd, de->d_name, O_RDONLY | O_NOFOLLOW |
		    O_CLOEXEC | O_NONBLOCK)) < 0)
			continue;
		pc_sync_tree(cfd);
		close(cfd);
	}
	closedir(d);
}

/* fsync(), fdatasync(): 1 when fd is in the tree (its image updated). */
static int
pc_synced(int fd)
{
	struct pc_node *n;
	struct stat sb;
	int in = 0;

	if (!pc_on())
		return 0;
	pthread_mutex_lock(&pc.mu);
	if ((n = pc_node_fd(fd, &sb)) != NULL) {
		pc_sync_node(n, fd, &sb);
		in = 1;
	}
	pthread_mutex_unlock(&pc.mu);
	return in;
}

static void
pc_sync_all(void)
{
	int fd;

	if ((fd = real_open(pc.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		pc_die(pc.dir);
	pthread_mutex_lock(&pc.mu);
	pc_sync_tree(fd);
	pthread_mutex_unlock(&pc.mu);
	close(fd);
}

/* After an open: a file it created is a new generation. */
static void
pc_opened(int fd, int created, int flags)
{
	struct pc_node *n;
	struct stat sb;

	if (fd < 0)
		return;
	pthread_mutex_lock(&pc.mu);
	if (fstat(fd, &sb) == 0 && sb.st_dev == pc.dev && created &&
	    S_ISREG(sb.st_mode)) {
		/* Is it in the tree? pc_node_fd() asks /proc once. */
		pc_not_outside(sb.st_ino);
		if ((n = pc_find(sb.st_ino)) != NULL)
			pc_new_gen(sb.st_ino, 0);
		else
			pc_node_fd(fd, &sb);
		if ((n = pc_find(sb.st_ino)) != NULL)
			n->full = 0;	/* empty, as data/ID (none) is */
	} else if ((flags & O_TRUNC) && (n = pc_node_fd(fd, &sb)) != NULL &&
	    S_ISREG(sb.st_mode)) {
		n->minsize = 0;
		pc_dirty(n, 0, 0);
	}
	pthread_mutex_unlock(&pc.mu);
}

/* Whether path (relative to dirfd) is missing now, before an O_CREAT. */
static int
pc_missing(int dirfd, const char *path, int flags)
{
	struct stat sb;

	return (flags & O_CREAT) && pc_on() &&
	    fstatat(dirfd, path, &sb, AT_SYMLINK_NOFOLLOW) != 0 &&
	    errno == ENOENT;
}

static int
pc_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	int missing, fd, saved;

	pthread_once(&pc_once, pc_init);
	missing = pc_missing(dirfd, path, flags);
	fd = real_openat(dirfd, path, flags, mode);
	saved = errno;
	if (pc_on() && (missing || (flags & O_TRUNC)))
		pc_opened(fd, missing, flags);
	errno = saved;
	return fd;
}

#define PC_MODE(flags, mode) do {					\
	va_list ap;							\
	if ((flags) & (O_CREAT | __O_TMPFILE)) {			\
		va_start(ap, flags);					\
		mode = va_arg(ap, mode_t);				\
		va_end(ap);						\
	}								\
} while (0)

int
open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	PC_MODE(flags, mode);
	return pc_openat(AT_FDCWD, path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	mode_t mode = 0;

	PC_MODE(flags, mode);
	return pc_openat(AT_FDCWD, path, flags, mode);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	PC_MODE(flags, mode);
	return pc_openat(dirfd, path, flags, mode);
}

int
openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	PC_MODE(flags, mode);
	return pc_openat(dirfd, path, flags, mode);
}

int
__open_2(const char *path, int flags)
{
	return pc_openat(AT_FDCWD, path, flags, 0);
}

int
__open64_2(const char *path, int flags)
{
	return pc_openat(AT_FDCWD, path, flags, 0);
}

int
__openat_2(int dirfd, const char *path, int flags)
{
	return pc_openat(dirfd, path, flags, 0);
}

int
__openat64_2(int dirfd, const char *path, int flags)
{
	return pc_openat(dirfd, path, flags, 0);
}

int
creat(const char *path, mode_t mode)
{
	return pc_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int
creat64(const char *path, mode_t mode)
{
	return pc_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

/* stdio writes bypass the hooks: such a file is compared at its sync. */
static FILE *
pc_fopen(FILE *(*fn)(const char *, const char *), const char *path,
    const char *how)
{
	int missing, saved;
	struct pc_node *n;
	struct stat sb;
	FILE *f;

	missing = pc_on() && strpbrk(how, "wa+") != NULL &&
	    pc_missing(AT_FDCWD, path, O_CREAT);
	f = fn(path, how);
	saved = errno;
	if (f != NULL && pc_on() && strpbrk(how, "wa+") != NULL) {
		pc_opened(fileno(f), missing, how[0] == 'w' ? O_TRUNC : 0);
		pthread_mutex_lock(&pc.mu);
		if ((n = pc_node_fd(fileno(f), &sb)) != NULL) {
			pc_dirty(n, 0, 0);
			n->full = 1;
		}
		pthread_mutex_unlock(&pc.mu);
	}
	errno = saved;
	return f;
}

FILE *
fopen(const char *path, const char *how)
{
	pthread_once(&pc_once, pc_init);
	return pc_fopen(real_fopen, path, how);
}

FILE *
fopen64(const char *path, const char *how)
{
	pthread_once(&pc_once, pc_init);
	return pc_fopen(real_fopen64, path, how);
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	ssize_t n;
	int saved;

	pthread_once(&pc_once, pc_init);
	n = real_write(fd, buf, len);
	saved = errno;
	pc_wrote_here(fd, n);
	errno = saved;
	return n;
}

ssize_t
writev(int fd, const struct iovec *iov, int cnt)
{
	ssize_t n;
	int saved;

	pthread_once(&pc_once, pc_init);
	n = real_writev(fd, iov, cnt);
	saved = errno;
	pc_wrote_here(fd, n);
	errno = saved;
	return n;
}

ssize_t
pwrite(int fd, const void *buf, size_t len, off_t off)
{
	ssize_t n;
	int saved;

	pthread_once(&pc_once, pc_init);
	n = real_pwrite(fd, buf, len, off);
	saved = errno;
	pc_wrote_at(fd, n, off);
	errno = saved;
	return n;
}

ssize_t
pwrite64(int fd, const void *buf, size_t len, off_t off)
{
	ssize_t n;
	int saved;

	pthread_once(&pc_once, pc_init);
	n = real_pwrite64(fd, buf, len, off);
	saved = errno;
	pc_wrote_at(fd, n, off);
	errno = saved;
	return n;
}

ssize_t
pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	ssize_t n;
	int saved;

	pthread_once(&pc_once, pc_init);
	n = real_pwritev(fd, iov, cnt, off);
	saved = errno;
	pc_wrote_at(fd, n, off);
	errno = saved;
	return n;
}

ssize_t
pwritev64(int fd, const struct iovec *iov, int cnt, off_t off)
{
	ssize_t n;
	int saved;

	pthread_once(&pc_once, pc_init);
	n = real_pwritev64(fd, iov, cnt, off);
	saved = errno;
	pc_wrote_at(fd, n, off);
	errno = saved;
	return n;
}

static int
pc_truncated(int fd, int rc, off_t len)
{
	int saved = errno;

	if (rc == 0 && pc_on())
		pc_dirty_fd(fd, 0, 0, len);
	errno = saved;
	return rc;
}

int
ftruncate(int fd, off_t len)
{
	pthread_once(&pc_once, pc_init);
	return pc_truncated(fd, real_ftruncate(fd, len), len);
}

int
ftruncate64(int fd, off_t len)
{
	pthread_once(&pc_once, pc_init);
	return pc_truncated(fd, real_ftruncate64(fd, len), len);
}

int
truncate(const char *path, off_t len)
{
	int fd, rc;

	pthread_once(&pc_once, pc_init);
	rc = real_truncate(path, len);
	if (rc == 0 && pc_on() &&
	    (fd = real_open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) >= 0) {
		pc_truncated(fd, 0, len);
		close(fd);
	}
	return rc;
}

int
fallocate(int fd, int mode, off_t off, off_t len)
{
	int rc, saved;

	pthread_once(&pc_once, pc_init);
	rc = real_fallocate(fd, mode, off, len);
	saved = errno;
	if (rc == 0 && pc_on())
		pc_dirty_fd(fd, off, off + len, -1);
	errno = saved;
	return rc;
}

int
posix_fallocate(int fd, off_t off, off_t len)
{
	int rc;

	pthread_once(&pc_once, pc_init);
	rc = real_posix_fallocate(fd, off, len);
	if (rc == 0 && pc_on())
		pc_dirty_fd(fd, off, off + len, -1);
	return rc;
}

int
fsync(int fd)
{
	if (pc_synced(fd) && !pc.real_sync)
		return 0;
	return real_fsync(fd);
}

int
fdatasync(int fd)
{
	if (pc_synced(fd) && !pc.real_sync)
		return 0;
	return real_fdatasync(fd);
}

int
syncfs(int fd)
{
	struct stat sb;

	if (pc_on() && fstat(fd, &sb) == 0 && sb.st_dev == pc.dev) {
		pc_sync_all();
		if (!pc.real_sync)
			return 0;
	}
	return real_syncfs(fd);
}

void
sync(void)
{
	if (pc_on())
		pc_sync_all();
	real_sync();
}

/* A new directory is a new generation with no durable names. */
static int
pc_made_dir(int dirfd, const char *path, int rc)
{
	int fd, saved = errno;

	if (rc == 0 && pc_on() && (fd = real_openat(dirfd, path, O_RDONLY |
	    O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)) >= 0) {
		struct stat sb;

		pthread_mutex_lock(&pc.mu);
		if (fstat(fd, &sb) == 0 && sb.st_dev == pc.dev) {
			pc_not_outside(sb.st_ino);
			if (pc_find(sb.st_ino) != NULL)
				pc_new_gen(sb.st_ino, 0);
			else
				pc_node_fd(fd, &sb);
		}
		pthread_mutex_unlock(&pc.mu);
		close(fd);
	}
	errno = saved;
	return rc;
}

int
mkdir(const char *path, mode_t mode)
{
	pthread_once(&pc_once, pc_init);
	return pc_made_dir(AT_FDCWD, path, real_mkdir(path, mode));
}

int
mkdirat(int dirfd, const char *path, mode_t mode)
{
	pthread_once(&pc_once, pc_init);
	return pc_made_dir(dirfd, path, real_mkdirat(dirfd, path, mode));
}

/* Stores through a shared writable mapping are not seen: compare. */
static void
pc_mapped(void *p, int prot, int flags, int fd)
{
	struct pc_node *n;
	struct stat sb;
	int saved = errno;

	if (p != MAP_FAILED && fd >= 0 && (prot & PROT_WRITE) &&
	    (flags & MAP_SHARED) && pc_on()) {
		pthread_mutex_lock(&pc.mu);
		if ((n = pc_node_fd(fd, &sb)) != NULL && S_ISREG(sb.st_mode)) {
			pc_dirty(n, 0, 0);
			n->full = 1;
		}
		pthread_mutex_unlock(&pc.mu);
	}
	errno = saved;
}

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p;

	pthread_once(&pc_once, pc_init);
	p = real_mmap(addr, len, prot, flags, fd, off);
	pc_mapped(p, prot, flags, fd);
	return p;
}

void *
mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p;

	pthread_once(&pc_once, pc_init);
	p = real_mmap64(addr, len, prot, flags, fd, off);
	pc_mapped(p, prot, flags, fd);
	return p;
}
