#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"
#include "util/secret.h"
#include "util/xmalloc.h"

#define SECRET_MAX 4096

static int
secret_from_file(const char *file, char **out, struct err *e)
{
	char buf[SECRET_MAX + 1];
	struct stat sb;
	ssize_t n;
	int fd;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return err_set(e, LG_EPERM, "secret file %s: %s", file,
		    strerror(errno));
	if (fstat(fd, &sb) == 0 && (sb.st_mode & 0077) != 0)
		log_warn("secret", "%s is readable by group or others "
		    "(chmod 600)", file);
	n = read(fd, buf, SECRET_MAX + 1);
	close(fd);
	if (n < 0)
		return err_set(e, LG_EPERM, "secret file %s: %s", file,
		    strerror(errno));
	if (n > SECRET_MAX)
		return err_set(e, LG_EPERM, "secret file %s: longer than %d "
		    "bytes", file, SECRET_MAX);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (buf[0] == '\0')
		return err_set(e, LG_EPERM, "secret file %s is empty", file);
	*out = xstrdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return LG_OK;
}

int
secret_read(const char *file, const char *env, char **out, struct err *e)
{
	const char *v;

	*out = NULL;
	if (file != NULL && *file != '\0')
		return secret_from_file(file, out, e);
	if (env != NULL && *env != '\0') {
		if ((v = getenv(env)) == NULL || *v == '\0')
			return err_set(e, LG_EPERM, "environment variable %s "
			    "is not set", env);
		*out = xstrdup(v);
		return LG_OK;
	}
	return err_set(e, LG_ENOENT, "no secret configured");
}

void
secret_free(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}
