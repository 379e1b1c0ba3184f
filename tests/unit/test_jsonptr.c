/* JSON Pointer (RFC 6901) against the RFC's own examples and bad pointers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "connectors/jsonptr.h"
#include "t.h"

static json_t *
load_cases(void)
{
	char path[4096];
	json_error_t je;
	json_t *j;

	snprintf(path, sizeof(path), "%s/tests/data/jsonptr/rfc6901.json",
	    getenv("TOP") ? getenv("TOP") : ".");
	if ((j = json_load_file(path, JSON_REJECT_DUPLICATES, &je)) == NULL)
		fprintf(stderr, "%s:%d: %s\n", path, je.line, je.text);
	return j;
}

static void
check_found(json_t *doc, json_t *cases)
{
	const char *ptr;
	json_t *c, *want, *got;
	size_t i;
	int rc;

	json_array_foreach(cases, i, c) {
		ptr = json_string_value(json_object_get(c, "ptr"));
		want = json_object_get(c, "want");
		if (json_is_string(want) &&
		    strcmp(json_string_value(want), "DOC") == 0)
			want = doc;
		rc = jsonptr_get(doc, ptr, &got, NULL);
		T_OK(rc == LG_OK && json_equal(got, want), "found '%s'", ptr);
		T_INT(jsonptr_check(ptr, NULL), LG_OK, "well formed '%s'", ptr);
	}
}

static void
check_codes(json_t *doc, json_t *cases, int want, const char *what)
{
	const char *ptr;
	struct err e;
	json_t *c, *got;
	size_t i;

	json_array_foreach(cases, i, c) {
		ptr = json_string_value(c);
		err_clear(&e);
		T_INT(jsonptr_get(doc, ptr, &got, &e), want, "%s '%s'", what,
		    ptr);
		T_OK(got == NULL && e.msg[0] != '\0', "%s '%s' says why", what,
		    ptr);
		T_INT(jsonptr_check(ptr, NULL), want == LG_EPERM ? LG_EPERM :
		    LG_OK, "check '%s'", ptr);
	}
}

int
main(void)
{
	json_t *cases = load_cases(), *doc;

	T_OK(cases != NULL, "fixture loads");
	if (cases == NULL)
		return t_done();
	doc = json_object_get(cases, "doc");
	check_found(doc, json_object_get(cases, "found"));
	check_codes(doc, json_object_get(cases, "missing"), LG_ENOENT,
	    "missing");
	check_codes(doc, json_object_get(cases, "malformed"), LG_EPERM,
	    "malformed");
	json_decref(cases);
	return t_done();
}
