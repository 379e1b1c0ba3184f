/*
 * The matcher (core/object.c): a profile against an object, field by
 * field, with the reasons; profile fields from text and from an
 * inquiry's search.* custom fields; numbers as feeds write them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/object.h"
#include "util/xmalloc.h"
#include "t.h"

static struct object *
flat(void)
{
	struct object *o = object_new();

	o->ref = xstrdup("OBJ-1");
	o->kind = xstrdup("sale");
	o->type = xstrdup("apartment");
	o->price = 1190000;
	o->rooms = 4.5;
	o->area = 118;
	o->postcode = xstrdup("8001");
	o->city = xstrdup("Zürich");
	o->state = xstrdup("available");
	return o;
}

static void
test_match(void)
{
	static const struct {
		const char *label;
		const char *fields;	/* "key=value;key=value" */
		int fails;
		const char *why;
	} cases[] = {
		{ "nothing asked", "", 0, "the profile asks for nothing" },
		{ "kind", "kind=KAUF", 0, "kind sale = sale" },
		{ "wrong kind", "kind=rent", 1, "kind sale != rent" },
		{ "type from objektart", "type=wohnung", 0,
		    "type apartment = apartment" },
		{ "price at the bound", "price_max=1190000", 0,
		    "price 1190000 in <= 1190000" },
		{ "price above", "price_max=1'000'000", 1,
		    "price 1190000 not in <= 1000000" },
		{ "rooms range", "rooms_min=4;rooms_max=5", 0,
		    "rooms 4.5 in 4-5" },
		{ "rooms with a comma", "rooms_min=4,5", 0, "rooms 4.5 in >= 4.5" },
		{ "area too small", "area_min=120", 1, "area 118 not in >= 120" },
		{ "postcode prefix", "postcodes=80*", 0, "postcode 8001 in 80*" },
		{ "postcode list", "postcodes=3011, 8004", 1,
		    "postcode 8001 not in 3011, 8004" },
		{ "city without accents or case", "cities=Bern,ZURICH", 0,
		    "city Zürich in Bern,ZURICH" },
		{ "two fail", "kind=rent;cities=Bern", 2,
		    "kind sale != rent; city Zürich not in Bern" },
		{ "all pass, in order", "cities=zürich;kind=sale;rooms_min=4", 0,
		    "kind sale = sale; rooms 4.5 in >= 4; city Zürich in zürich" },
	};
	struct object *o = flat();
	struct search_profile *p;
	char *why, *spec, *kv, *save, *eq;
	struct err e;
	size_t i;
	int fails;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p = search_profile_new();
		spec = xstrdup(cases[i].fields);
		for (kv = strtok_r(spec, ";", &save); kv;
		    kv = strtok_r(NULL, ";", &save)) {
			eq = strchr(kv, '=');
			*eq = '\0';
			err_clear(&e);
			T_OK(search_profile_set(p, kv, eq + 1, &e) == LG_OK,
			    "%s: set %s (%s)", cases[i].label, kv, e.msg);
		}
		free(spec);
		fails = object_match(o, p, &why);
		T_INT(fails, cases[i].fails, "%s: failing fields",
		    cases[i].label);
		T_STR(why, cases[i].why, "%s: why", cases[i].label);
		free(why);
		search_profile_clear(p);
		free(p);
	}
	/* An object that does not say a field fails a profile asking for it. */
	o->rooms = OBJ_UNSET;
	p = search_profile_new();
	search_profile_set(p, "rooms_min", "3", &e);
	T_INT(object_match(o, p, &why), 1, "unknown rooms fail");
	T_STR(why, "rooms unknown (wanted >= 3)", "... and say so");
	free(why);
	search_profile_clear(p);
	free(p);
	object_free(o);
}

static void
test_set(void)
{
	static const struct {
		const char *key, *value, *err;	/* err NULL: accepted */
	} cases[] = {
		{ "kind", "MIETE_PACHT", NULL },
		{ "kind", "lease", "kind: sale or rent, not 'lease'" },
		{ "type", "haus", NULL },
		{ "type", "castle", "type: one of " },
		{ "price_max", "abc", "price_max: expected a number, not 'abc'" },
		{ "price_max", "-5", "price_max: expected a number" },
		{ "floor", "3", "unknown profile field 'floor'" },
	};
	struct search_profile *p = search_profile_new();
	struct err e;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err_clear(&e);
		rc = search_profile_set(p, cases[i].key, cases[i].value, &e);
		if (cases[i].err == NULL)
			T_OK(rc == LG_OK, "%s=%s accepted", cases[i].key,
			    cases[i].value);
		else
			T_OK(rc == LG_EPERM && strncmp(e.msg, cases[i].err,
			    strlen(cases[i].err)) == 0, "%s=%s refused (%s)",
			    cases[i].key, cases[i].value, e.msg);
	}
	search_profile_clear(p);
	free(p);
}

static void
test_from_custom(void)
{
	struct search_profile *p;
	char *bad, *d;

	p = search_profile_from_custom("{\"search.kind\":\"KAUF\","
	    "\"search.price_max\":\"1300000\",\"search.rooms_min\":\"x\","
	    "\"search.cities\":\"Zürich,Winterthur\",\"fax\":\"1\"}", &bad);
	T_OK(p != NULL, "a profile from search.* fields");
	T_STR(bad, "rooms_min: expected a number, not 'x'",
	    "a bad value is said");
	d = p ? search_profile_describe(p) : NULL;
	T_STR(d, "sale, price <= 1300000, cities Zürich,Winterthur",
	    "... and left out");
	free(d);
	free(bad);
	search_profile_clear(p);
	free(p);
	p = search_profile_from_custom("{\"fax\":\"1\"}", &bad);
	T_OK(p == NULL && bad == NULL, "no search.* fields: no profile");
	p = search_profile_from_custom("not json", &bad);
	T_OK(p == NULL, "broken JSON: no profile");
}

static void
test_numbers(void)
{
	static const struct {
		const char *in;
		double want;	/* OBJ_UNSET: refused */
	} cases[] = {
		{ "1250000", 1250000 }, { "1'250'000", 1250000 },
		{ "1 250 000", 1250000 }, { "4,5", 4.5 }, { "4.5", 4.5 },
		{ "", OBJ_UNSET }, { "about 3", OBJ_UNSET }, { "-1", OBJ_UNSET },
		{ "inf", OBJ_UNSET },
	};
	double v;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		object_number(cases[i].in, &v);
		T_OK(v == cases[i].want, "number '%s': %g", cases[i].in, v);
	}
}

int
main(void)
{
	test_match();
	test_set();
	test_from_custom();
	test_numbers();
	return t_done();
}
