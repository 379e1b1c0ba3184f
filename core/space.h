/*
 * Free space where the store and the spool live. Below store.min_free_mb
 * on either filesystem, leadgate takes no new work (the daemon's
 * connectors do not poll, delivery sends nothing new) so that what is
 * under way can still be recorded; work resumes by itself once space is
 * back. Space is counted as an unprivileged writer sees it (f_bavail).
 */
#ifndef LG_SPACE_H
#define LG_SPACE_H

#include <stddef.h>

#include "core/config.h"

/*
 * 1 when the store's or the spool's filesystem has less than
 * cfg->min_free_mb MiB free, with why saying which and how much; 0 when
 * there is enough, the check is off, or the space cannot be read.
 */
int space_low(const struct config *cfg, char *why, size_t len);

#endif
