/* Static tables mapping enum values to their stable external names. */
#ifndef LG_NAMES_H
#define LG_NAMES_H

#include <stddef.h>

struct name_map {
	int value;
	const char *name;
};

#define NAMES_LEN(m) (sizeof(m) / sizeof((m)[0]))

/* The name of v, or "?" when v is not in the table (a broken invariant). */
const char *names_get(const struct name_map *m, size_t n, int v);
/* Case-insensitive lookup; 0 and *out set on success, -1 otherwise. */
int names_parse(const struct name_map *m, size_t n, const char *s, int *out);
/* "a|b|c" for error messages. */
const char *names_list(const struct name_map *m, size_t n, char *buf,
    size_t len);

/*
 * Define TYPE_name() and TYPE_parse() for an enum over a name table, as
 * declared in the module's header.
 */
#define NAMES_FUNCS(prefix, type, table)				\
const char *								\
prefix##_name(type v)							\
{									\
	return names_get(table, NAMES_LEN(table), (int)v);		\
}									\
int									\
prefix##_parse(const char *s, type *out)				\
{									\
	int v;								\
									\
	if (names_parse(table, NAMES_LEN(table), s, &v) != 0)		\
		return -1;						\
	*out = (type)v;							\
	return 0;							\
}

#endif
