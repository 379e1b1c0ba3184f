/* A growable list of row ids. */
#ifndef LG_IDLIST_H
#define LG_IDLIST_H

#include <stddef.h>
#include <stdint.h>

struct idlist {
	int64_t *v;
	size_t n;
	size_t cap;
};

#define IDLIST_INIT { NULL, 0, 0 }

void idlist_add(struct idlist *l, int64_t id);
int idlist_has(const struct idlist *l, int64_t id);
void idlist_free(struct idlist *l);

#endif
