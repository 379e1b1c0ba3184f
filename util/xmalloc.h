/*
 * Allocation that cannot fail: running out of memory is a broken
 * invariant for leadgate, so these abort with a message instead of
 * returning NULL to callers that would all handle it the same way.
 */
#ifndef LG_XMALLOC_H
#define LG_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);		/* NULL stays NULL */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Replace *dst by a copy of src (or NULL), freeing the old value. */
void xstrset(char **dst, const char *src);

#endif
