#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "connectors/portal_setting.h"
#include "util/xmalloc.h"

int
portal_setting_bad(const config_setting_t *st, const char *name,
    struct err *e, const char *fmt, ...)
{
	const char *file = config_setting_source_file(st);
	char why[ERR_MSGLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return err_set(e, LG_EPERM, "%s:%u: connector %s: %s",
	    file ? file : "(config)", config_setting_source_line(st),
	    name ? name : "?", why);
}

int
portal_setting_string(const config_setting_t *group, const char *path,
    const char *name, const char **out, struct err *e)
{
	const config_setting_t *st;

	*out = NULL;
	if ((st = config_setting_lookup((config_setting_t *)group, path)) ==
	    NULL)
		return LG_OK;
	if (config_setting_type(st) != CONFIG_TYPE_STRING)
		return portal_setting_bad(st, name, e, "%s must be a string",
		    path);
	*out = config_setting_get_string(st);
	return LG_OK;
}

int
portal_setting_strv(const config_setting_t *st, const char *name,
    char ***out, struct err *e)
{
	char **v;
	int i, n;

	*out = NULL;
	if (config_setting_type(st) == CONFIG_TYPE_STRING) {
		v = xcalloc(2, sizeof(*v));
		v[0] = xstrdup(config_setting_get_string(st));
		*out = v;
		return LG_OK;
	}
	if (!config_setting_is_array(st) && !config_setting_is_list(st))
		return portal_setting_bad(st, name, e, "%s must be a string "
		    "or a list of strings", config_setting_name(st));
	n = config_setting_length(st);
	v = xcalloc((size_t)n + 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		const char *s = config_setting_get_string_elem(st, i);

		if (s == NULL) {
			portal_strv_free(v);
			return portal_setting_bad(st, name, e, "%s must be a "
			    "list of strings", config_setting_name(st));
		}
		v[i] = xstrdup(s);
	}
	*out = v;
	return LG_OK;
}

void
portal_strv_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}
