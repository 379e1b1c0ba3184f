/* Reading and checking profile and lexicon files. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libconfig.h>

#include "util/fold.h"
#include "util/settings.h"
#include "util/xmalloc.h"
#include "parse/datafile.h"
#include "parse/keymap.h"

#define KEY_MAX		256
#define NAME_MAX_	300
#define LIST_SMALL	16	/* compared pairwise; longer: hashed */

int
datafile_read(config_t *lc, const char *path, struct err_report *rep)
{
	const char *f;
	struct stat sb;

	if (stat(path, &sb) != 0)
		return err_report(rep, "%s:0: %s", path, strerror(errno));
	if (config_read_file(lc, path) != CONFIG_TRUE) {
		f = config_error_file(lc);
		return err_report(rep, "%s:%d: %s", f ? f : path,
		    config_error_line(lc), config_error_text(lc));
	}
	return LG_OK;
}

const config_setting_t *
datafile_at(const config_setting_t *list, size_t i)
{
	if (list == NULL || (!config_setting_is_array(list) &&
	    !config_setting_is_list(list)))
		return NULL;
	return config_setting_get_elem(list, (unsigned)i);
}

const config_setting_t *
datafile_get(const config_setting_t *root, const char *name)
{
	return config_setting_lookup((config_setting_t *)root, name);
}

void
datafile_children(const config_setting_t *group, const char *const *names,
    size_t n, const config_setting_t **out)
{
	const config_setting_t *m;
	const char *name;
	int i, len;
	size_t k;

	for (k = 0; k < n; k++)
		out[k] = NULL;
	if (group == NULL || !config_setting_is_group(group))
		return;
	len = config_setting_length(group);
	for (i = 0; i < len; i++) {
		m = config_setting_get_elem(group, (unsigned)i);
		if ((name = config_setting_name(m)) == NULL)
			continue;
		for (k = 0; k < n; k++)
			if (names[k] != NULL && strcmp(names[k], name) == 0)
				out[k] = m;
	}
}

const config_setting_t *
datafile_elem(const config_setting_t *root, const char *name, size_t i)
{
	return datafile_at(config_setting_lookup((config_setting_t *)root,
	    name), i);
}

const char *
datafile_name(char *buf, size_t len, const char *group, const char *leaf)
{
	if (group == NULL)
		return leaf;
	snprintf(buf, len, "%s.%s", group, leaf);
	return buf;
}

static unsigned
datafile_line(const config_setting_t *st)
{
	return st ? config_setting_source_line(st) : 0;
}

/* The index of an earlier text with key k among keys[0..i), or -1. */
static long
datafile_seen(struct keymap *km, char (*keys)[KEY_MAX], size_t i)
{
	const struct keymap_val *v;
	struct keymap_val nv;
	size_t j, n;

	if (km == NULL) {
		for (j = 0; j < i; j++)
			if (strcmp(keys[j], keys[i]) == 0)
				return (long)j;
		return -1;
	}
	if ((v = keymap_get(km, keys[i], strlen(keys[i]), &n)) != NULL)
		return v->src;
	memset(&nv, 0, sizeof(nv));
	nv.src = (int)i;
	keymap_add(km, keys[i], strlen(keys[i]), &nv);
	return -1;
}

void
datafile_check_list(struct settings_reader *r, const config_setting_t *list,
    const char *group, const char *leaf, const struct settings_strlist *l)
{
	char (*keys)[KEY_MAX], name[NAME_MAX_];
	struct keymap *km = NULL;
	size_t i, n;
	const char *v;
	long j;

	if (l->n == 0)
		return;
	keys = xreallocarray(NULL, l->n, sizeof(*keys));
	if (l->n > LIST_SMALL)
		km = keymap_new(l->n);
	for (i = 0; i < l->n; i++) {
		v = l->v[i];
		n = strlen(v);
		if (fold_key(v, n, keys[i], KEY_MAX) == (size_t)-1)
			snprintf(keys[i], KEY_MAX, "\001%zu", i); /* unique */
		if (n > 0 && (v[0] == ' ' || v[n - 1] == ' ')) {
			settings_bad(r, datafile_at(list, i), "%s: '%s' has a "
			    "space at an end", datafile_name(name, sizeof(name),
			    group, leaf), v);
			continue;
		}
		if ((j = datafile_seen(km, keys, i)) >= 0)
			settings_bad(r, datafile_at(list, i), "%s: '%s' twice "
			    "(line %u)", datafile_name(name, sizeof(name),
			    group, leaf), v, datafile_line(datafile_at(list,
			    (size_t)j)));
	}
	keymap_free(km);
	free(keys);
}

int
datafile_strlist(struct settings_reader *r, const config_setting_t *m,
    const char *name, struct settings_strlist *l)
{
	const char *v;
	int i, n;

	if (!config_setting_is_array(m) && !config_setting_is_list(m))
		return settings_bad(r, m, "%s: expected a list of strings",
		    name);
	n = config_setting_length(m);
	l->v = xcalloc((size_t)n + 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		v = config_setting_get_string_elem(m, i);
		if (v == NULL || *v == '\0')
			return settings_bad(r, m, "%s: expected a list of "
			    "strings", name);
		if (strpbrk(v, "\t\r\n") != NULL)
			return settings_bad(r, m, "%s: control characters are "
			    "not allowed", name);
		l->v[l->n++] = xstrdup(v);
	}
	return LG_OK;
}

/* The line of a "PATH:LINE: why" message of path; past any line else. */
static unsigned long
datafile_msg_line(const char *msg, const char *path)
{
	size_t n = strlen(path);

	if (strncmp(msg, path, n) != 0 || msg[n] != ':')
		return (unsigned long)-1;
	return strtoul(msg + n + 1, NULL, 10);
}

void
datafile_sort(struct err_report *rep, size_t before, const char *path)
{
	struct err_list *l = rep->list;
	size_t i, j;
	char *m;

	if (l == NULL || before >= l->n)
		return;
	/* Insertion sort: stable, and a file has few mistakes. */
	for (i = before + 1; i < l->n; i++) {
		m = l->v[i];
		for (j = i; j > before && datafile_msg_line(l->v[j - 1], path) >
		    datafile_msg_line(m, path); j--)
			l->v[j] = l->v[j - 1];
		l->v[j] = m;
	}
	if (before == 0 && rep->e != NULL)
		err_set(rep->e, LG_EPERM, "%s", l->v[0]);
}

int
datafile_bad_line(struct settings_reader *r, unsigned line, const char *fmt,
    ...)
{
	char why[ERR_MSGLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return err_report(r->rep, "%s:%u: %s", r->file, line, why);
}

void
datafile_terminate(const struct settings_table *t, void *obj)
{
	struct settings_strlist *l;
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (t->v[i].type != SETTINGS_STRLIST ||
		    t->v[i].off == SETTINGS_NOFIELD)
			continue;
		l = (struct settings_strlist *)(void *)((char *)obj +
		    t->v[i].off);
		if (l->v == NULL)
			l->v = xcalloc(1, sizeof(char *));
	}
}

char *
datafile_stem(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".conf") == 0)
		n -= 5;
	return xstrndup(base, n);
}
