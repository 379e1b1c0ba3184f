/*
 * The filter language: parse errors point at the column, and filters
 * select the right contacts and leads from a real store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"
#include "core/filter.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "util/xmalloc.h"
#include "t.h"

static struct pipelines *pl;
static struct domain d;

static void
test_errors(void)
{
	static const struct {
		const char *label;
		const char *in;
		const char *want;	/* NULL: parses */
	} cases[] = {
		{ "empty is everything", "", NULL },
		{ "simple", "phase = 2", NULL },
		{ "phase by name", "phase = \"Demande reçue\"", NULL },
		{ "in list", "status in (open, won)", NULL },
		{ "not in", "source not in (\"ImmoScout24\", Homegate)", NULL },
		{ "nested", "not (kind = lead or (city ~ Z* and lead > 3))", NULL },
		{ "date", "created_at > 2026-01-01", NULL },
		{ "relative date", "created_at > -7d", NULL },
		{ "custom", "custom.budget >= 500000", NULL },
		{ "unknown field", "phaze = 2", "filter:1:1: unknown field 'phaze'" },
		{ "unknown field later", "kind = lead and colour = red",
		    "filter:1:17: unknown field 'colour'" },
		{ "missing value", "phase =", "filter:1:8: expected a value after "
		    "the operator" },
		{ "missing operator", "phase 2", "filter:1:7: expected an operator" },
		{ "bad enum", "status = pending",
		    "filter:1:10: 'pending' is not one of open|won|lost" },
		{ "unknown phase", "phase = \"Gibt es nicht\"",
		    "filter:1:9: unknown phase 'Gibt es nicht'" },
		{ "unclosed paren", "(kind = lead", "filter:1:1: missing ')'" },
		{ "trailing junk", "kind = lead lead", "filter:1:13: unexpected "
		    "'lead'" },
		{ "unterminated string", "city = \"Zürich",
		    "filter:1:8: unterminated string" },
		{ "bad date", "created_at > yesterday",
		    "filter:1:14: expected a date" },
		{ "glob on number", "lead ~ 1*", "filter:1:8: '~' needs a text" },
		{ "not a number", "lead = abc", "filter:1:8: expected a number" },
		{ "bad character", "kind = lead ; drop", "filter:1:13: unexpected "
		    "character ';'" },
		{ "column counts characters", "city = \"Zürich\" and x = 1",
		    "filter:1:21: unknown field 'x'" },
		{ "in without paren", "kind in lead", "filter:1:9: expected '('" },
		{ "dangling and", "kind = lead and", "filter:1:16: expected a "
		    "field name at the end" },
		{ "object field", "object.price >= 1000000", NULL },
		{ "object number", "object.rooms = many",
		    "filter:1:16: expected a number" },
		{ "glob on an object number", "object.price ~ 1*",
		    "filter:1:16: '~' needs a text" },
		{ "object kind", "object.kind = lease",
		    "filter:1:15: 'lease' is not one of sale|rent" },
	};
	struct filter *f;
	struct err e;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err_clear(&e);
		f = NULL;
		rc = filter_parse(cases[i].in, pl, &f, &e);
		if (cases[i].want == NULL)
			T_OK(rc == LG_OK, "parse: %s (%s)", cases[i].label, e.msg);
		else
			T_OK(rc == LG_EPERM && strncmp(e.msg, cases[i].want,
			    strlen(cases[i].want)) == 0, "error: %s (%s)",
			    cases[i].label, e.msg);
		filter_free(f);
	}
}

static int64_t
person(const char *first, const char *last, const char *email,
    const char *city, const char *lang)
{
	struct contact *c = contact_new();
	struct err e;
	int64_t id;

	c->first_name = xstrdup(first);
	c->last_name = xstrdup(last);
	c->city = xstrdup(city);
	c->language = xstrdup(lang);
	contact_add_email(c, email, &e);
	if (domain_contact_add(&d, c, &e) != LG_OK)
		exit(2);
	id = c->id;
	contact_free(c);
	return id;
}

static int64_t
lead(int64_t contact, const char *source, const char *pipeline, int phase,
    const char *object, const char *custom)
{
	struct lead *l = lead_new();
	struct err e;
	int64_t id;

	l->contact_id = contact;
	l->source = xstrdup(source);
	l->pipeline = xstrdup(pipeline);
	l->phase_no = phase;
	l->object_ref = xstrdup(object);
	xstrset(&l->custom, custom ? custom : "{}");
	if (domain_lead_add(&d, l, NULL, &e) != LG_OK) {
		fprintf(stderr, "%s\n", e.msg);
		exit(2);
	}
	id = l->id;
	lead_free(l);
	return id;
}

static void
ids_text(const struct idlist *l, char *out, size_t len)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < l->n && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%lld",
		    i ? "," : "", (long long)l->v[i]);
}

static void
object(const char *ref, const char *alias, const char *kind, double price,
    double rooms, const char *city)
{
	struct object *o = object_new();
	struct err e;

	o->ref = xstrdup(ref);
	object_alias_add(o, alias);
	o->kind = xstrdup(kind);
	o->price = price;
	o->rooms = rooms;
	o->city = xstrdup(city);
	o->origin = xstrdup("csv");
	if (store_object_save(d.st, o, &e) != LG_OK) {
		fprintf(stderr, "%s\n", e.msg);
		exit(2);
	}
	object_free(o);
}

static void
test_selection(void)
{
	static const struct {
		const char *label;
		const char *filter;
		const char *leads;	/* lead ids, in order */
		const char *contacts;	/* contact ids */
	} cases[] = {
		{ "everything", "", "1,2,3,4", "1,2,3,4,5" },
		{ "phase number", "phase = 2", "1,4", "1,4" },
		{ "phase name in both pipelines", "phase = \"Demande reçue\"",
		    "1,4", "1,4" },
		{ "phase name of one pipeline", "phase = \"Bail signé\"", "",
		    "" },
		{ "phase name only in sale", "phase < \"1. Visite du bien\"",
		    "1", "1" },
		{ "phase name in rental", "phase <= \"Visite du bien\"", "4",
		    "4" },
		{ "phase not (no lead counts as not)", "phase != 2", "2,3",
		    "2,3,5" },
		{ "source case-insensitive", "source = homegate", "2,3", "2,3" },
		{ "source glob", "source ~ \"immo*\"", "1,4", "1,4" },
		{ "source and phase", "source = ImmoScout24 and phase = 2",
		    "1,4", "1,4" },
		{ "pipeline", "pipeline = rental", "4", "4" },
		{ "status in", "status in (won, lost)", "3", "3" },
		{ "prospect state", "prospect_state = current", "1,2,4", "1,2,4" },
		{ "client state", "client_state = current", "3", "3" },
		{ "city with umlaut", "city = \"Zürich\"", "1,2", "1,2" },
		{ "or and not", "city = Bern or not language = de", "3,4", "3,4" },
		{ "email", "email = ANNA@example.ch", "1", "1" },
		{ "email glob", "email ~ \"*@example.fr\"", "4", "4" },
		{ "object not equal", "object != OBJ-1", "2,3,4", "2,3,4,5" },
		{ "custom field", "custom.rooms = 4", "2", "2" },
		{ "custom field missing", "custom.rooms != 4", "1,3,4", "1,3,4,5" },
		{ "contact without leads", "kind = lead and first_name = Solo",
		    "", "5" },
		{ "lead id", "lead > 2", "3,4", "3,4" },
		{ "created today", "created_at = 2026-03-04", "1,2,3,4",
		    "1,2,3,4" },
		{ "created before", "created_at < 2026-03-04", "", "" },
		{ "opted out (yes)", "opt_out = yes", "", "5" },
		{ "opted out (true)", "opt_out = true", "", "5" },
		{ "opted out (1)", "opt_out = 1", "", "5" },
		{ "not opted out", "opt_out = false", "1,2,3,4", "1,2,3,4" },
		{ "not opted out (!=)", "opt_out != yes", "1,2,3,4", "1,2,3,4" },
		/* issue 21: numbers, objects, phases without accents */
		{ "custom number, not text (\"4\" > \"10\")",
		    "custom.rooms > 10", "", "" },
		{ "custom number below", "custom.rooms < 10", "2", "2" },
		{ "custom number, decimals", "lead.custom.rooms >= 3.5", "2",
		    "2" },
		{ "contact custom number; text that is none never matches",
		    "contact.custom.budget >= 1000000", "3", "3" },
		{ "custom text still compares as text", "custom.rooms = 4", "2",
		    "2" },
		{ "phase without case or accents", "phase = \"demande recue\"",
		    "1,4", "1,4" },
		{ "phase in capitals", "phase = \"DEMANDE REÇUE\"", "1,4",
		    "1,4" },
		{ "object price", "object.price < 1000000", "1,4", "1,4" },
		{ "object kind and price", "object.kind = sale and "
		    "object.price >= 1000000", "2", "2" },
		{ "object rooms", "object.rooms > 3", "1,2", "1,2" },
		{ "object city", "object.city = zürich", "1,2", "1,2" },
		{ "object state", "object.state = available", "1,2,4",
		    "1,2,4" },
		{ "object linked by an alias", "object.ref = X-2", "2", "2" },
		{ "a lead without object matches no object field",
		    "object.price >= 0", "1,2,4", "1,2,4" },
	};
	struct idlist ids = IDLIST_INIT;
	struct filter *f;
	char got[256];
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err_clear(&e);
		if (filter_parse(cases[i].filter, pl, &f, &e) != LG_OK) {
			T_OK(0, "select: %s: %s", cases[i].label, e.msg);
			continue;
		}
		ids.n = 0;
		store_leads_query(d.st, f, &ids, &e);
		ids_text(&ids, got, sizeof(got));
		T_STR(got, cases[i].leads, "leads: %s", cases[i].label);
		ids.n = 0;
		store_contacts_query(d.st, f, &ids, &e);
		ids_text(&ids, got, sizeof(got));
		T_STR(got, cases[i].contacts, "contacts: %s", cases[i].label);
		filter_free(f);
	}
	idlist_free(&ids);
}

int
main(void)
{
	char db[4200];
	struct err e;
	int64_t anna, max, eva, jean, solo;
	struct contact *c;

	setenv("LEADGATE_NOW", "2026-03-04T10:00:00Z", 1);
	if (pipelines_load(t_path("etc/pipelines.conf"), &pl, &e) != LG_OK)
		return 2;
	test_errors();
	snprintf(db, sizeof(db), "%s/t.db", t_tmpdir("filter"));
	if (store_open(db, NULL, &d.st, &e) != LG_OK)
		return 2;
	d.pl = pl;
	d.country = "CH";
	store_source_add(d.st, "ImmoScout24", &e);
	store_source_add(d.st, "Homegate", &e);
	store_begin(d.st, &e);
	anna = person("Anna", "Muster", "anna@example.ch", "Zürich", "de");
	max = person("Max", "Keller", "max@example.ch", "Zürich", "de");
	eva = person("Eva", "Brunner", "eva@example.ch", "Bern", "de");
	jean = person("Jean", "Dupont", "jean@example.fr", "Lausanne", "fr");
	solo = person("Solo", "Nolead", "solo@example.ch", "Basel", "de");
	if (store_contact_get(d.st, solo, &c, &e) != LG_OK)
		return 2;
	c->opt_out = 1;
	if (store_contact_update(d.st, c, &e) != LG_OK)
		return 2;
	contact_free(c);
	if (store_contact_get(d.st, eva, &c, &e) != LG_OK)
		return 2;
	xstrset(&c->custom, "{\"budget\":\"1200000\"}");
	if (store_contact_update(d.st, c, &e) != LG_OK)
		return 2;
	contact_free(c);
	if (store_contact_get(d.st, jean, &c, &e) != LG_OK)
		return 2;
	xstrset(&c->custom, "{\"budget\":\"abc\"}");
	if (store_contact_update(d.st, c, &e) != LG_OK)
		return 2;
	contact_free(c);
	object("OBJ-1", NULL, "sale", 900000, 3.5, "Zürich");
	object("X-2", "OBJ-2", "sale", 1500000, 4.5, "Zürich");
	object("OBJ-4", NULL, "rent", 2500, 2.5, "Lausanne");
	lead(anna, "ImmoScout24", "sale", 2, "OBJ-1", NULL);
	lead(max, "Homegate", "sale", 5, "OBJ-2", "{\"rooms\":\"4\"}");
	lead(eva, "Homegate", "sale", 13, "OBJ-3", NULL);
	lead(jean, "ImmoScout24", "rental", 2, "OBJ-4", NULL);
	store_commit(d.st, &e);
	/* Eva's lead was added directly in the won phase. */
	test_selection();
	store_close(d.st);
	pipelines_free(pl);
	return t_done();
}
