#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/names.h"

const char *
names_get(const struct name_map *m, size_t n, int v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (m[i].value == v)
			return m[i].name;
	return "?";
}

int
names_parse(const struct name_map *m, size_t n, const char *s, int *out)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcasecmp(m[i].name, s) == 0) {
			*out = m[i].value;
			return 0;
		}
	}
	return -1;
}

const char *
names_list(const struct name_map *m, size_t n, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    i ? "|" : "", m[i].name);
	return buf;
}
