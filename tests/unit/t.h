/*
 * A tiny test harness. Each check prints "ok - LABEL" or
 * "not ok - LABEL: detail (file:line)"; tests/run.sh counts those lines.
 */
#ifndef LG_T_H
#define LG_T_H

#include <stdint.h>

void t_check(int ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void t_str(const char *got, const char *want, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void t_int(long long got, long long want, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Exit status for main(): 1 when any check failed. */
int t_done(void);
/* A fresh empty directory under $TMPDIR for this test (never removed on failure). */
const char *t_tmpdir(const char *name);
/* A path under the source tree ($TOP, else "."): static buffer. */
const char *t_path(const char *rel);
/* Read a whole file (NUL-terminated); NULL when it cannot be read. */
char *t_slurp(const char *path, size_t *len);

#define T_OK(cond, ...)		t_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define T_STR(got, want, ...)	t_str(got, want, __FILE__, __LINE__, __VA_ARGS__)
#define T_INT(got, want, ...)	t_int(got, want, __FILE__, __LINE__, __VA_ARGS__)

#endif
