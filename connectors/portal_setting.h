/*
 * Reading a portal connector block: every mistake is reported as
 * "file:line: connector NAME: reason" so an admin finds it at once.
 */
#ifndef LG_PORTAL_SETTING_H
#define LG_PORTAL_SETTING_H

#include <libconfig.h>

#include "util/err.h"

/* LG_EPERM with "file:line: connector NAME: <fmt>" in e. */
int portal_setting_bad(const config_setting_t *st, const char *name,
    struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/*
 * The string at path below group: NULL when absent; LG_EPERM when it is
 * there but not a string.
 */
int portal_setting_string(const config_setting_t *group, const char *path,
    const char *name, const char **out, struct err *e);
/* A string or a list of strings, as a NULL-terminated vector (caller frees). */
int portal_setting_strv(const config_setting_t *st, const char *name,
    char ***out, struct err *e);
void portal_strv_free(char **v);

#endif
