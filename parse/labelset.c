/* The label texts of a profile or lexicon file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "util/fold.h"
#include "util/settings.h"
#include "util/xmalloc.h"
#include "parse/datafile.h"
#include "parse/keymap.h"
#include "parse/labelset.h"

#define KEY_MAX		328	/* a folded label of 160+ bytes */
#define PATH_MAX_	320

#define NAME_ROW(name, f) [f] = name,
static const char *const field_names[LF_NFIELDS] = {
	LABELSET_FIELDS(NAME_ROW)
};
#undef NAME_ROW

const char *
labelset_field_name(enum label_field f)
{
	return f < LF_NFIELDS ? field_names[f] : NULL;
}

/* A custom field's key: lower case letters, digits, '_'. */
static const char *
custom_key_bad(const char *k)
{
	if (*k < 'a' || *k > 'z' || k[strspn(k,
	    "abcdefghijklmnopqrstuvwxyz0123456789_")] != '\0')
		return "lower case letters, digits and _ only";
	return NULL;
}

int
labelset_read_groups(struct settings_reader *r, const config_setting_t *st,
    const char *what, const char *(*key_bad)(const char *),
    struct label_group **out, size_t *n)
{
	const config_setting_t *m;
	char name[PATH_MAX_];
	const char *key, *why;
	int i, len, rc = LG_OK;

	if (!config_setting_is_group(st))
		return settings_bad(r, st, "%s: expected a block { ... }",
		    what);
	len = config_setting_length(st);
	*out = xcalloc((size_t)len + 1, sizeof(**out));
	for (i = 0; i < len; i++) {
		m = config_setting_get_elem(st, (unsigned)i);
		key = config_setting_name(m);
		if (key_bad != NULL && (why = key_bad(key)) != NULL) {
			rc = settings_bad(r, m, "%s key '%s': %s", what, key,
			    why);
			continue;
		}
		(*out)[*n].key = xstrdup(key);
		if (datafile_strlist(r, m, datafile_name(name, sizeof(name),
		    what, key), &(*out)[(*n)++].texts) != LG_OK)
			rc = LG_EPERM;
	}
	return rc;
}

int
labelset_read_custom(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	struct labelset *ls = (struct labelset *)((char *)obj + s->off);

	return labelset_read_groups(r, st, s->name, custom_key_bad,
	    &ls->custom, &ls->ncustom);
}

void
labelset_groups_free(struct label_group *g, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(g[i].key);
		settings_strlist_free(&g[i].texts);
	}
	free(g);
}

/* The texts of one list: entries, each checked on its own. */
static void
index_list(struct settings_reader *r, const config_setting_t *list,
    const struct settings_strlist *l, enum label_field f, const char *key,
    struct labelset *ls)
{
	const config_setting_t *el;
	char fold[KEY_MAX];
	struct label_entry *e;
	size_t i, n, fn;
	const char *v;

	for (i = 0; i < l->n; i++) {
		v = l->v[i];
		n = strlen(v);
		el = datafile_at(list, i);
		if (n > 0 && (v[0] == ' ' || v[n - 1] == ' '))
			settings_bad(r, el, "label '%s' has a space at an end",
			    v);
		else if (n > 0 && (v[n - 1] == ':' || (n >= 3 &&
		    strcmp(v + n - 3, "\xef\xbc\x9a") == 0)))
			settings_bad(r, el, "label '%s': write it without its "
			    "colon", v);
		else if (n > 0 && v[n - 1] == '*')
			settings_bad(r, el, "label '%s': a trailing '*' (the "
			    "mark of a required field) is skipped anyway; "
			    "leave it out", v);
		if ((fn = fold_key(v, n, fold, sizeof(fold))) == (size_t)-1) {
			settings_bad(r, el, "label '%s' is longer than %d "
			    "bytes", v, KEY_MAX / 2);
			continue;
		}
		e = &ls->ent[ls->nent++];
		e->text = v;
		e->fold = xstrndup(fold, fn);
		e->flen = fn;
		e->field = f;
		e->key = key;
		e->line = el ? config_setting_source_line(el) : 0;
	}
}

/* "labels.first_name" or "custom.move_in" of an entry. */
static const char *
entry_name(const struct label_entry *e, char *buf, size_t len)
{
	snprintf(buf, len, "%s.%s", e->field == LF_CUSTOM ? "custom" :
	    "labels", e->field == LF_CUSTOM ? e->key :
	    labelset_field_name(e->field));
	return buf;
}

/* A text is written once and means one field in one file. */
static void
one_meaning(struct settings_reader *r, struct labelset *ls)
{
	struct keymap *km = keymap_new(ls->nent);
	const struct keymap_val *seen;
	const struct label_entry *e, *o;
	struct keymap_val v;
	char a[PATH_MAX_], b[PATH_MAX_];
	size_t i, n;

	memset(&v, 0, sizeof(v));
	for (i = 0; i < ls->nent; i++) {
		e = &ls->ent[i];
		if ((seen = keymap_get(km, e->fold, e->flen, &n)) == NULL) {
			v.src = (int)i;
			keymap_add_ref(km, e->fold, e->flen, &v);
			continue;
		}
		o = &ls->ent[seen->src];
		if (o->field == e->field && (e->field != LF_CUSTOM ||
		    strcmp(o->key, e->key) == 0))
			datafile_bad_line(r, e->line, "%s: '%s' twice (line "
			    "%u)", entry_name(e, a, sizeof(a)), e->text,
			    o->line);
		else
			datafile_bad_line(r, e->line, "label '%s' is %s here "
			    "and %s on line %u", e->text, entry_name(e, a,
			    sizeof(a)), entry_name(o, b, sizeof(b)), o->line);
	}
	keymap_free(km);
}

void
labelset_index(struct settings_reader *r, const config_setting_t *root,
    struct labelset *ls)
{
	const config_setting_t *lists[LF_NFIELDS], *custom;
	size_t i, n = 0;
	int f;

	for (f = 0; f < LF_NFIELDS; f++)
		n += ls->fields[f].n;
	for (i = 0; i < ls->ncustom; i++)
		n += ls->custom[i].texts.n;
	ls->ent = xcalloc(n + 1, sizeof(*ls->ent));
	datafile_children(datafile_get(root, "labels"), field_names,
	    LF_NFIELDS, lists);
	for (f = LF_SALUTATION; f < LF_CUSTOM; f++)
		index_list(r, lists[f], &ls->fields[f], (enum label_field)f,
		    NULL, ls);
	custom = datafile_get(root, "custom");
	for (i = 0; i < ls->ncustom; i++)
		index_list(r, custom ? config_setting_get_member(
		    (config_setting_t *)custom, ls->custom[i].key) : NULL,
		    &ls->custom[i].texts, LF_CUSTOM, ls->custom[i].key, ls);
	one_meaning(r, ls);
}

void
labelset_free(struct labelset *ls)
{
	size_t i;
	int f;

	if (ls == NULL)
		return;
	for (f = 0; f < LF_NFIELDS; f++)
		settings_strlist_free(&ls->fields[f]);
	labelset_groups_free(ls->custom, ls->ncustom);
	for (i = 0; i < ls->nent; i++)
		free(ls->ent[i].fold);
	free(ls->ent);
	memset(ls, 0, sizeof(*ls));
}
