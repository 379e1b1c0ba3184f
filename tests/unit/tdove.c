#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tdove.h"

static const char *
tdove_top(void)
{
	const char *top = getenv("TOP");

	return top && *top ? top : ".";
}

int
tdove_sh(const struct tdove *d, char *out, size_t outlen, const char *fmt,
    ...)
{
	char cmd[8192], body[4096];
	size_t n = 0, r;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "TOP='%s'; D='%s'; OWNER=%ld; "
	    ". \"$TOP/tests/lib/dovecot.sh\" && { %s ; }", tdove_top(), d->dir,
	    (long)getpid(), body);
	fflush(NULL);
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	while (out && n + 1 < outlen &&
	    (r = fread(out + n, 1, outlen - n - 1, p)) > 0)
		n += r;
	if (out) {
		out[n] = '\0';
		while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
			out[--n] = '\0';
	} else {
		char sink[512];

		while (fread(sink, 1, sizeof(sink), p) > 0)
			;
	}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
tdove_start(struct tdove *d, const char *dir, const char *users,
    const char *extra)
{
	char port[32];

	memset(d, 0, sizeof(*d));
	snprintf(d->dir, sizeof(d->dir), "%s", dir);
	mkdir(dir, 0711);
	/* dove_start's watchdog stops Dovecot once this process is gone. */
	if (tdove_sh(d, NULL, 0, "DOVE_EXTRA_CONF='%s' dove_setup \"$D\" %s "
	    "&& dove_start \"$D\" $OWNER", extra ? extra : "", users) != 0)
		return -1;
	if (tdove_sh(d, port, sizeof(port), "cat \"$D/imap.port\"") != 0)
		return -1;
	d->imap_port = atoi(port);
	if (tdove_sh(d, port, sizeof(port), "cat \"$D/imaps.port\"") != 0)
		return -1;
	d->imaps_port = atoi(port);
	return 0;
}

void
tdove_stop(struct tdove *d)
{
	if (d->dir[0] != '\0')
		tdove_sh(d, NULL, 0, "dove_stop \"$D\"");
}

void
tdove_password(const char *user, char *out, size_t outlen)
{
	snprintf(out, outlen, "pw-%s", user);
}

int
tdove_free_port(const struct tdove *d)
{
	char port[32];

	if (tdove_sh(d, port, sizeof(port), "dove_free_port") != 0)
		return -1;
	return atoi(port);
}
