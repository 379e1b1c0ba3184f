/*
 * The portal field mapping and its transforms, from the table in
 * tests/data/portal/map.cases.json: transforms, items that map, items that
 * go to quarantine with their reason, and field blocks that are refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libconfig.h>

#include "connectors/portal_map.h"
#include "parse/inquiry.h"
#include "t.h"

static const char *
jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void
check_transforms(json_t *cases)
{
	json_t *c;
	size_t i;
	char *out;
	int rc;

	json_array_foreach(cases, i, c) {
		rc = portal_map_transform(jstr(c, "name"), jstr(c, "in"), &out);
		if (json_is_null(json_object_get(c, "want")))
			T_INT(rc, LG_ENOENT, "transform %s is unknown",
			    jstr(c, "name"));
		else
			T_STR(out, jstr(c, "want"), "transform case %zu: %s",
			    i, jstr(c, "name"));
		free(out);
	}
}

/* Parse "fields = { ... }; custom = { ... };" into a map. */
static int
map_from(json_t *c, config_t *cf, struct portal_map **m, struct err *e)
{
	struct err_report rep = { NULL, e, 0 };
	struct settings_reader r = { NULL, NULL, NULL, "connector t", &rep };
	char text[4096];

	snprintf(text, sizeof(text), "fields = { %s };\ncustom = { %s };",
	    jstr(c, "fields"), jstr(c, "custom") ? jstr(c, "custom") : "");
	config_init(cf);
	if (config_read_string(cf, text) != CONFIG_TRUE) {
		err_set(e, LG_EPERM, "libconfig: %s", config_error_text(cf));
		return LG_EPERM;
	}
	return portal_map_parse(config_lookup(cf, "fields"),
	    config_lookup(cf, "custom"), &r, m);
}

static void
check_want(const char *label, const struct inquiry *q, json_t *want)
{
	const char *k;
	json_t *v;
	size_t i;

	json_object_foreach(want, k, v) {
		if (strcmp(k, "phones") != 0) {
			T_STR(inquiry_get(q, k), json_string_value(v), "%s: %s",
			    label, k);
			continue;
		}
		T_INT((long long)q->nphones, (long long)json_array_size(v),
		    "%s: number of phones", label);
		for (i = 0; i < q->nphones && i < json_array_size(v); i++)
			T_STR(q->phones[i], json_string_value(json_array_get(v,
			    i)), "%s: phone %zu", label, i);
	}
}

static void
check_items(json_t *cases)
{
	struct portal_map *m;
	struct inquiry *q;
	struct err e;
	config_t cf;
	json_t *c;
	size_t i;
	int rc;

	json_array_foreach(cases, i, c) {
		const char *label = jstr(c, "label");

		err_clear(&e);
		if (map_from(c, &cf, &m, &e) != LG_OK) {
			T_OK(0, "%s: fields parse (%s)", label, e.msg);
			config_destroy(&cf);
			continue;
		}
		q = inquiry_new();
		rc = portal_map_item(m, json_object_get(c, "item"), q, &e);
		if (jstr(c, "problem") != NULL) {
			T_INT(rc, LG_EPERM, "%s: refused", label);
			T_STR(e.msg, jstr(c, "problem"), "%s: reason", label);
		} else {
			T_INT(rc, LG_OK, "%s: mapped (%s)", label, e.msg);
			check_want(label, q, json_object_get(c, "want"));
		}
		inquiry_free(q);
		portal_map_free(m);
		config_destroy(&cf);
	}
}

static void
check_bad_fields(json_t *cases)
{
	struct portal_map *m = NULL;
	struct err e;
	config_t cf;
	json_t *c;
	size_t i;

	json_array_foreach(cases, i, c) {
		err_clear(&e);
		T_INT(map_from(c, &cf, &m, &e), LG_EPERM, "%s: refused",
		    jstr(c, "label"));
		T_STR(e.msg, jstr(c, "error"), "%s: message", jstr(c, "label"));
		T_OK(m == NULL, "%s: no map", jstr(c, "label"));
		config_destroy(&cf);
	}
}

int
main(void)
{
	char path[4096];
	json_error_t je;
	json_t *cases;

	snprintf(path, sizeof(path), "%s/tests/data/portal/map.cases.json",
	    getenv("TOP") ? getenv("TOP") : ".");
	cases = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	T_OK(cases != NULL, "fixture loads (%s)", cases ? "" : je.text);
	if (cases == NULL)
		return t_done();
	check_transforms(json_object_get(cases, "transforms"));
	check_items(json_object_get(cases, "items"));
	check_bad_fields(json_object_get(cases, "bad_fields"));
	json_decref(cases);
	return t_done();
}
