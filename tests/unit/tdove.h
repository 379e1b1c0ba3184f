/*
 * The test Dovecot of tests/lib/dovecot.sh, driven from C tests: each
 * call runs one of its shell functions with the Dovecot directory in $D.
 * The Dovecot is stopped when the test process ends, however it ends.
 */
#ifndef LG_TDOVE_H
#define LG_TDOVE_H

#include <stddef.h>

struct tdove {
	char dir[1024];
	int imap_port;		/* plain / STARTTLS */
	int imaps_port;		/* implicit TLS */
};

/*
 * Certificates, configuration for users (space-separated) plus the
 * settings in extra (or NULL), start.
 */
int tdove_start(struct tdove *d, const char *dir, const char *users,
    const char *extra);
void tdove_stop(struct tdove *d);
/*
 * Run a shell command after sourcing dovecot.sh, with D set to the
 * directory and TOP to the source tree; stdout (trimmed) into out.
 * Returns the exit status.
 */
int tdove_sh(const struct tdove *d, char *out, size_t outlen,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The password dovecot.sh gives a user. */
void tdove_password(const char *user, char *out, size_t outlen);
/* A free TCP port on 127.0.0.1 (from the shell helper). */
int tdove_free_port(const struct tdove *d);

#endif
