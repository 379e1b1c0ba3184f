/*
 * The stable external shape of contacts, leads and history: the JSON that
 * `--json` prints and that templates see. Field names here are a public
 * interface (docs/leadgate.1.md lists them): add, never rename.
 */
#ifndef LG_VIEW_H
#define LG_VIEW_H

#include <jansson.h>

#include "core/contact.h"
#include "core/lead.h"
#include "core/object.h"

struct pipelines;

/* New references. */
json_t *view_contact(const struct contact *c);
json_t *view_lead(const struct lead *l, const struct pipelines *pl);
json_t *view_history(const struct history *h);
json_t *view_deal(const struct deal *d);
json_t *view_object(const struct object *o);
json_t *view_profile(const struct search_profile *p);
/* Print v (stolen) on stdout, indented, with a final newline. */
void view_print(json_t *v);
/* A custom-fields object from its JSON text ({} when broken). */
json_t *view_custom(const char *text);

#endif
