/* Durable whole-file writes: tmp + fsync + rename + fsync of the folder. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/wfile.h"
#include "util/xmalloc.h"

static int
wfile_fail(struct err *e, const char *what, const char *path)
{
	int code = errno == EACCES || errno == ENOENT || errno == ENOTDIR ||
	    errno == EROFS || errno == EISDIR ? LG_EPERM : LG_ETEMP;

	return err_set(e, code, "%s %s: %s", what, path, strerror(errno));
}

static int
wfile_sync_dir(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int fd, rc = 0;

	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    fsync(fd) != 0)
		rc = -1;
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

int
wfile_put(const char *path, const void *data, size_t len, mode_t mode,
    struct err *e)
{
	char *tmp = xasprintf("%s.tmpXXXXXX", path);
	const char *p = data;
	ssize_t n;
	int fd, rc = LG_OK;

	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		rc = wfile_fail(e, "creating", tmp);
		free(tmp);
		return rc;
	}
	if (fchmod(fd, mode) != 0)
		rc = wfile_fail(e, "chmod", tmp);
	while (rc == LG_OK && len > 0) {
		if ((n = write(fd, p, len)) < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			rc = wfile_fail(e, "writing", tmp);
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (rc == LG_OK && fsync(fd) != 0)
		rc = wfile_fail(e, "syncing", tmp);
	if (close(fd) != 0 && rc == LG_OK)
		rc = wfile_fail(e, "closing", tmp);
	if (rc == LG_OK && rename(tmp, path) != 0)
		rc = wfile_fail(e, "renaming to", path);
	if (rc != LG_OK)
		unlink(tmp);
	else if (wfile_sync_dir(path) != 0)
		rc = wfile_fail(e, "syncing the folder of", path);
	free(tmp);
	return rc;
}
