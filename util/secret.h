/*
 * Secrets (passwords, API keys, client secrets) come from a file or an
 * environment variable, never from the configuration file itself, and are
 * never logged. The caller wipes and frees them with secret_free().
 */
#ifndef LG_SECRET_H
#define LG_SECRET_H

#include "util/err.h"

/*
 * Read from file (first line, trailing newline removed) or else from the
 * environment variable env. Either may be NULL or "". LG_ENOENT when
 * neither is configured; LG_EPERM when the configured one is unreadable.
 * The error message names the file or variable, never the value.
 */
int secret_read(const char *file, const char *env, char **out, struct err *e);
void secret_free(char *s);

#endif
