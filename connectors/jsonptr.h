/*
 * JSON Pointer (RFC 6901) over jansson values: jansson has none. Used by
 * the portal connectors to find the items of a response and each field
 * of an item ("/contact/email").
 */
#ifndef LG_JSONPTR_H
#define LG_JSONPTR_H

#include <jansson.h>

#include "util/err.h"

/* LG_OK when ptr is well formed ("" or "/a/b~1c"), else LG_EPERM. */
int jsonptr_check(const char *ptr, struct err *e);
/*
 * The value ptr points to in doc, as a BORROWED reference (it lives as
 * long as doc). LG_ENOENT when nothing is there, LG_EPERM when ptr is
 * malformed.
 */
int jsonptr_get(json_t *doc, const char *ptr, json_t **out, struct err *e);

#endif
