/*
 * How a portal item becomes an inquiry: per inquiry field a JSON Pointer
 * (or several joined), a chain of transforms and a default, all from the
 * connector block's `fields` and `custom` groups. No C per portal.
 *
 *   fields = {
 *     email = "/contact/email";
 *     first_name = { from = "/contact/name"; transforms = ["trim", "split_first"]; };
 *     message = { join = ["/subject", "/text"]; sep = "\n"; };
 *     phones = { from = "/phoneNumbers"; each = "/number"; };
 *     (or phones = { join = ["/tel", "/mobile"]; }: one number each)
 *     language = { from = "/lang"; transforms = "lower"; default = "de"; };
 *   };
 *   custom = { budget = "/budget"; };	# any JSON value, kept as is
 */
#ifndef LG_PORTAL_MAP_H
#define LG_PORTAL_MAP_H

#include <jansson.h>
#include <libconfig.h>

#include "util/err.h"
#include "util/settings.h"

struct inquiry;
struct portal_map;

/*
 * Add the fields group g (custom = 0) or the custom group to *m, made when
 * NULL. LG_EPERM when a field has a mistake; each went to r, whose
 * context names the connector.
 */
int portal_map_add(struct portal_map **m, const config_setting_t *g,
    int custom, struct settings_reader *r);
/* The same for fields (required) and custom (may be NULL) at once. */
int portal_map_parse(const config_setting_t *fields,
    const config_setting_t *custom, struct settings_reader *r,
    struct portal_map **out);
void portal_map_free(struct portal_map *m);
/*
 * Fill q from item. LG_EPERM with the reason ("email: /contact/email is a
 * number, expected a string") when the item cannot be used; q is then
 * partly filled and the caller discards it.
 */
int portal_map_item(const struct portal_map *m, json_t *item,
    struct inquiry *q, struct err *e);
/* Apply the transform called name to in; LG_ENOENT for an unknown name. */
int portal_map_transform(const char *name, const char *in, char **out);

#endif
