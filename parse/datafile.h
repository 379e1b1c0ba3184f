/*
 * What the loaders of profiles and lexicon files share: reading one
 * file, finding the setting of a list element (for its line), and the
 * checks every list of strings gets. Mistakes go through the settings
 * reader, each as "FILE:LINE: reason".
 */
#ifndef LG_DATAFILE_H
#define LG_DATAFILE_H

#include <stddef.h>

#include <libconfig.h>

#include "util/settings.h"

/* Read path into lc (initialised by the caller); a mistake is reported. */
int datafile_read(config_t *lc, const char *path, struct err_report *rep);
/* Element i of list (an array or a list), or NULL. */
const config_setting_t *datafile_at(const config_setting_t *list, size_t i);
/*
 * The members of group named names[0..n) into out[0..n) (NULL for the
 * ones missing): one pass over the group, where looking each up would
 * be one pass per name.
 */
void datafile_children(const config_setting_t *group,
    const char *const *names, size_t n, const config_setting_t **out);
/* Element i of the list at path name below root, or NULL. */
const config_setting_t *datafile_elem(const config_setting_t *root,
    const char *name, size_t i);
/*
 * The texts of the setting list, called group.leaf (or leaf when group
 * is NULL), read into l: none with a space at an end, none twice
 * (without case, runs of spaces as one).
 */
void datafile_check_list(struct settings_reader *r,
    const config_setting_t *list, const char *group, const char *leaf,
    const struct settings_strlist *l);
/* "group.leaf" in buf, or leaf when group is NULL: for messages. */
const char *datafile_name(char *buf, size_t len, const char *group,
    const char *leaf);
/* The setting at path name below root, or NULL. */
const config_setting_t *datafile_get(const config_setting_t *root,
    const char *name);
/*
 * The setting m, a list of non-empty strings without tabs or line
 * breaks, into l (name: the setting, in messages). For hooks.
 */
int datafile_strlist(struct settings_reader *r, const config_setting_t *m,
    const char *name, struct settings_strlist *l);
/*
 * The mistakes path added to rep since it had before of them, in the
 * order of their lines (the first in rep->e when they are the first).
 */
void datafile_sort(struct err_report *rep, size_t before, const char *path);
/* A mistake at a line of the reader's file: "FILE:LINE: why". */
int datafile_bad_line(struct settings_reader *r, unsigned line,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Every list of obj (read by t) NULL-terminated, also an empty one. */
void datafile_terminate(const struct settings_table *t, void *obj);
/* "dir/NAME.conf" -> "NAME" (a new string). */
char *datafile_stem(const char *path);

#endif
