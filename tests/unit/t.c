#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t.h"

static int t_failed;

static void
t_emit(int ok, const char *file, int line, const char *detail,
    const char *fmt, va_list ap)
{
	printf("%s - ", ok ? "ok" : "not ok");
	vprintf(fmt, ap);
	if (!ok)
		printf(": %s (%s:%d)", detail ? detail : "failed", file, line);
	printf("\n");
	fflush(stdout);
	if (!ok)
		t_failed++;
}

void
t_check(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	t_emit(ok, file, line, NULL, fmt, ap);
	va_end(ap);
}

void
t_str(const char *got, const char *want, const char *file, int line,
    const char *fmt, ...)
{
	char detail[4096];
	va_list ap;
	int ok;

	if (got == NULL || want == NULL)
		ok = got == want;
	else
		ok = strcmp(got, want) == 0;
	snprintf(detail, sizeof(detail), "got [%s], want [%s]",
	    got ? got : "(null)", want ? want : "(null)");
	va_start(ap, fmt);
	t_emit(ok, file, line, detail, fmt, ap);
	va_end(ap);
}

void
t_int(long long got, long long want, const char *file, int line,
    const char *fmt, ...)
{
	char detail[128];
	va_list ap;

	snprintf(detail, sizeof(detail), "got %lld, want %lld", got, want);
	va_start(ap, fmt);
	t_emit(got == want, file, line, detail, fmt, ap);
	va_end(ap);
}

int
t_done(void)
{
	return t_failed ? 1 : 0;
}

const char *
t_tmpdir(const char *name)
{
	static char path[4096];
	const char *base = getenv("TMPDIR");
	char cmd[4200];

	if (base == NULL || *base == '\0')
		base = "/tmp";
	snprintf(path, sizeof(path), "%s/lgtest-%s-%ld", base, name,
	    (long)getpid());
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	if (system(cmd) != 0 || mkdir(path, 0700) != 0) {
		fprintf(stderr, "t_tmpdir %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return path;
}

char *
t_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	size_t n = 0, cap = 0, r;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			p = realloc(p, cap + 1);
			if (p == NULL)
				abort();
		}
		r = fread(p + n, 1, cap - n, f);
		if (r == 0)
			break;
		n += r;
	}
	fclose(f);
	p[n] = '\0';
	if (len)
		*len = n;
	return p;
}

const char *
t_path(const char *rel)
{
	static char path[4096];
	const char *top = getenv("TOP");

	snprintf(path, sizeof(path), "%s/%s", top && *top ? top : ".", rel);
	return path;
}
