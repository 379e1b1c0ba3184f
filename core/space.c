#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/statvfs.h>

#include "util/xmalloc.h"
#include "core/space.h"

/* MiB free on the filesystem of path; -1 when it cannot be read. */
static long
space_free_mb(const char *path)
{
	struct statvfs sv;

	if (statvfs(path, &sv) != 0)
		return -1;
	return (long)((unsigned long long)sv.f_bavail * sv.f_frsize /
	    (1024 * 1024));
}

static int
space_check(const char *what, const char *path, int min_mb, char *why,
    size_t len)
{
	long mb = space_free_mb(path);

	if (mb < 0 || mb >= min_mb)
		return 0;
	snprintf(why, len, "%s %s has %ld MiB free, less than "
	    "store.min_free_mb (%d)", what, path, mb, min_mb);
	return 1;
}

int
space_low(const struct config *cfg, char *why, size_t len)
{
	char *copy;
	int low;

	if (cfg->min_free_mb <= 0)
		return 0;
	copy = xstrdup(cfg->store_path);
	low = space_check("the store's directory", dirname(copy),
	    cfg->min_free_mb, why, len) ||
	    space_check("the spool", cfg->spool_dir, cfg->min_free_mb, why,
	    len);
	free(copy);
	return low;
}
