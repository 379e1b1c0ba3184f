/* Open addressing over FNV-1a hashes; grows at half full. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"
#include "parse/keymap.h"

#define KEYMAP_MIN	16

struct slot {
	const char *key;	/* NULL: empty */
	int owned;		/* key is our copy */
	size_t len;
	uint32_t hash;
	struct keymap_val *v;
	size_t n;
};

struct keymap {
	struct slot *s;
	size_t size;		/* a power of two */
	size_t used;
};

static uint32_t
keymap_hash(const char *k, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)k[i];
		h *= 16777619u;
	}
	return h;
}

struct keymap *
keymap_new(size_t n)
{
	struct keymap *km = xcalloc(1, sizeof(*km));

	km->size = KEYMAP_MIN;
	while (km->size < n * 2)
		km->size *= 2;
	km->s = xcalloc(km->size, sizeof(*km->s));
	return km;
}

void
keymap_free(struct keymap *km)
{
	size_t i;

	if (km == NULL)
		return;
	for (i = 0; i < km->size; i++) {
		if (km->s[i].owned)
			free((char *)km->s[i].key);
		free(km->s[i].v);
	}
	free(km->s);
	free(km);
}

static struct slot *
keymap_slot(const struct keymap *km, const char *key, size_t len,
    uint32_t h)
{
	size_t i = h & (km->size - 1);
	struct slot *s;

	for (;;) {
		s = &km->s[i];
		if (s->key == NULL || (s->hash == h && s->len == len &&
		    memcmp(s->key, key, len) == 0))
			return s;
		i = (i + 1) & (km->size - 1);
	}
}

static void
keymap_grow(struct keymap *km)
{
	struct slot *old = km->s, *s;
	size_t n = km->size, i;

	km->size *= 2;
	km->s = xcalloc(km->size, sizeof(*km->s));
	for (i = 0; i < n; i++) {
		if (old[i].key == NULL)
			continue;
		s = keymap_slot(km, old[i].key, old[i].len, old[i].hash);
		*s = old[i];
	}
	free(old);
}

static void
keymap_put(struct keymap *km, const char *key, size_t len,
    const struct keymap_val *v, int copy)
{
	uint32_t h = keymap_hash(key, len);
	struct slot *s;

	if ((km->used + 1) * 2 > km->size)
		keymap_grow(km);
	s = keymap_slot(km, key, len, h);
	if (s->key == NULL) {
		s->key = copy ? xstrndup(key, len) : key;
		s->owned = copy;
		s->len = len;
		s->hash = h;
		km->used++;
	}
	s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = *v;
}

void
keymap_add(struct keymap *km, const char *key, size_t len,
    const struct keymap_val *v)
{
	keymap_put(km, key, len, v, 1);
}

void
keymap_add_ref(struct keymap *km, const char *key, size_t len,
    const struct keymap_val *v)
{
	keymap_put(km, key, len, v, 0);
}

const struct keymap_val *
keymap_get(const struct keymap *km, const char *key, size_t len, size_t *n)
{
	const struct slot *s = keymap_slot(km, key, len,
	    keymap_hash(key, len));

	*n = s->key ? s->n : 0;
	return s->key ? s->v : NULL;
}

void
keymap_walk(const struct keymap *km, void (*fn)(void *, const char *,
    const struct keymap_val *, size_t), void *arg)
{
	size_t i;

	for (i = 0; i < km->size; i++)
		if (km->s[i].key != NULL)
			fn(arg, km->s[i].key, km->s[i].v, km->s[i].n);
}
