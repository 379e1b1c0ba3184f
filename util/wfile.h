/*
 * A whole file written durably: a temporary file beside it (mode as
 * given, whatever the umask), written, fsynced, renamed over path, and
 * the folder fsynced. Readers see the old file or the new one, never a
 * part; after LG_OK the new one survives a power cut. LG_ETEMP when
 * the disk fails, LG_EPERM when path cannot be written at all.
 */
#ifndef LG_WFILE_H
#define LG_WFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"

int wfile_put(const char *path, const void *data, size_t len, mode_t mode,
    struct err *e);

#endif
