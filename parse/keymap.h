/*
 * A hash map from a text key (folded by the caller: util/fold.h) to the
 * values added under it, built once when the profiles and the lexicon
 * are loaded and only read afterwards: the label texts of every file,
 * the stopwords, the portals' domains.
 */
#ifndef LG_KEYMAP_H
#define LG_KEYMAP_H

#include <stddef.h>

/* What a key stands for: which file (src) says what (field, key). */
struct keymap_val {
	int src;		/* the file: a lexicon or a profile index */
	int field;		/* enum label_field, or 0 */
	const char *key;	/* a custom field's key, or NULL */
	const char *text;	/* as written in the file */
	unsigned line;
};

struct keymap;

/* A map for about n keys (it grows when there are more). */
struct keymap *keymap_new(size_t n);
void keymap_free(struct keymap *km);
/* Add v under the key of len bytes (copied; v is copied too). */
void keymap_add(struct keymap *km, const char *key, size_t len,
    const struct keymap_val *v);
/* The same with key borrowed: it must outlive the map. */
void keymap_add_ref(struct keymap *km, const char *key, size_t len,
    const struct keymap_val *v);
/* The values under key, *n of them; NULL when there are none. */
const struct keymap_val *keymap_get(const struct keymap *km, const char *key,
    size_t len, size_t *n);
/* Calls fn for every key with its values, in no particular order. */
void keymap_walk(const struct keymap *km, void (*fn)(void *arg,
    const char *key, const struct keymap_val *v, size_t n), void *arg);

#endif
