/*
 * The extractor table (parse/extract.c) over the shipped profiles and
 * lexicon: names (the built-in ones and the profiles, old rule names
 * included), detection, running a named extractor as a rule would,
 * portal addresses, language names; and the inquiry API
 * (parse/inquiry.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/err.h"
#include "parse/extract.h"
#include "parse/inquiry.h"
#include "parse/mail.h"
#include "parse/parse_data.h"
#include "t.h"

static char datadir[1024];
static struct parse_data *pd;
static struct extract_env env;

static const char *const order[] = { "openimmo", "adf", "generic" };

/* The extractor names rule files used before profiles: still known. */
static const char *const old_names[] = {
	"immoscout24", "immowelt", "homegate", "seloger", "leboncoin",
};

static const struct {
	const char *file;
	const char *extractor;
} detections[] = {
	{ "openimmo/attached.eml", "openimmo" },
	{ "adf/text-body.eml", "adf" },
	{ "immoscout24/plain-utf8.eml", "immoscout24" },
	{ "immoscout24/forwarded-quoted.eml", "immoscout24" },
	{ "immowelt/immonet.eml", "immonet" },
	{ "homegate/immoscout24ch-italian.eml", "immoscout24-ch" },
	{ "seloger/phone-only.eml", "seloger" },
	{ "leboncoin/message.eml", "leboncoin" },
	{ "generic/webform-noreply.eml", "contact-form-7" },
	{ "generic/personal-signature.eml", "generic" },
};

/* A rule names the extractor: it runs whatever detection would say. */
static const struct {
	const char *file;
	const char *extractor;
	const char *field;
	const char *want;	/* NULL: absent; "error: ...": refused */
} named[] = {
	{ "immoscout24/plain-utf8.eml", "generic", "email",
	    "max.mueller@example.de" },
	{ "immoscout24/plain-utf8.eml", "generic", "portal", NULL },
	{ "generic/comma-name-reply-to.eml", "immoscout24", "portal",
	    "ImmoScout24" },
	{ "generic/comma-name-reply-to.eml", "immoscout24", "email",
	    "anna.muster@example.ch" },
	{ "generic/comma-name-reply-to.eml", "openimmo", "email",
	    "error: no OpenImmo-Feedback XML in the mail" },
	{ "generic/comma-name-reply-to.eml", "adf", "email",
	    "error: no ADF XML in the mail" },
	{ "openimmo/attached.eml", "immoscout24", "first_name", "Irrelevant" },
	{ "generic/comma-name-reply-to.eml", "nosuch", "email",
	    "error: unknown extractor 'nosuch' (known: openimmo, adf, "
	    "generic, and the portal profiles, leadgate portals list)" },
	{ "generic/comma-name-reply-to.eml", "homegate", "portal",
	    "Homegate" },
};

static const struct {
	const char *addr;
	const char *portal;
} portals[] = {
	{ "noreply@immobilienscout24.de", "ImmoScout24" },
	{ "x@mail.homegate.ch", "Homegate" },
	{ "a@immoscout24.ch", "ImmoScout24.ch" },
	{ "a@IMMOWELT.DE", "Immowelt" },
	{ "relay-1@messagerie.leboncoin.fr", "Leboncoin" },
	{ "contact@seloger.com", "SeLoger" },
	{ "solicitudes@envios.habitaclia.com", "habitaclia" },
	{ "a@example.de", NULL },
	{ "a@notimmowelt.de", NULL },
	{ "no-address", NULL },
};

static const struct {
	const char *name;
	const char *iso;
} languages[] = {
	{ "Deutsch", "de" }, { "français", "fr" }, { "Französisch", "fr" },
	{ "it", "it" }, { "de-CH", "de" }, { "fr_CH", "fr" },
	{ "English", "en" }, { "Klingonisch", NULL }, { "", NULL },
	{ "Nederlands", "nl" }, { "anglais", "en" }, { "deu", "de" },
	{ "PL", "pl" },
};

static struct mail *
load(const char *name)
{
	char path[2048], *raw;
	struct mail *m = NULL;
	struct err e;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", datadir, name);
	if ((raw = t_slurp(path, &len)) == NULL ||
	    mail_parse(raw, len, NULL, &m, &e) != LG_OK)
		m = NULL;
	free(raw);
	T_OK(m != NULL, "%s: loaded", name);
	return m;
}

static void
table(void)
{
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		T_STR(extract_name(i), order[i], "extractor %zu", i);
		T_INT(extract_known(pd, order[i]), 1, "%s is known", order[i]);
	}
	T_OK(extract_name(i) == NULL, "no extractor after the last");
	for (i = 0; i < sizeof(old_names) / sizeof(old_names[0]); i++)
		T_INT(extract_known(pd, old_names[i]), 1, "%s (a profile) is "
		    "known", old_names[i]);
	T_INT(extract_known(pd, "habitaclia"), 1, "a new profile is known");
	T_INT(extract_known(NULL, "habitaclia"), 0, "profiles need data");
	T_INT(extract_known(pd, "Generic"), 0, "names are exact");
	T_INT(extract_known(pd, ""), 0, "empty name");
	T_INT(extract_known(pd, NULL), 0, "no name");
}

static void
detection(void)
{
	struct mail *m;
	size_t i;

	for (i = 0; i < sizeof(detections) / sizeof(detections[0]); i++) {
		if ((m = load(detections[i].file)) == NULL)
			continue;
		T_STR(extract_detect(&env, m), detections[i].extractor,
		    "detect %s",
		    detections[i].file);
		mail_free(m);
	}
}

static void
run_named(void)
{
	struct inquiry *q;
	struct mail *m;
	struct err e;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		if ((m = load(named[i].file)) == NULL)
			continue;
		err_clear(&e);
		rc = extract_run(&env, named[i].extractor, m, &q, &e);
		if (named[i].want && strncmp(named[i].want, "error: ", 7) == 0) {
			T_INT(rc, LG_EPERM, "%s on %s: refused",
			    named[i].extractor, named[i].file);
			T_STR(e.msg, named[i].want + 7, "%s on %s: reason",
			    named[i].extractor, named[i].file);
			T_OK(q == NULL, "%s on %s: no inquiry",
			    named[i].extractor, named[i].file);
		} else {
			T_INT(rc, LG_OK, "%s on %s: ran", named[i].extractor,
			    named[i].file);
			T_STR(q ? inquiry_get(q, named[i].field) : NULL,
			    named[i].want, "%s on %s: %s", named[i].extractor,
			    named[i].file, named[i].field);
			T_STR(q ? q->extractor : NULL, named[i].extractor,
			    "%s on %s: extractor recorded",
			    named[i].extractor, named[i].file);
		}
		inquiry_free(q);
		mail_free(m);
	}
}

/* Address fields split again when an extraction ends (inquiry_settle). */
static const struct {
	const char *street, *postcode, *city, *portal;	/* given */
	const char *want_street, *want_postcode, *want_city, *want_country;
} settles[] = {
	{ NULL, "30159 Hannover", NULL, NULL,
	    NULL, "30159", "Hannover", NULL },
	{ NULL, "D-10115 Berlin", NULL, NULL,
	    NULL, "10115", "Berlin", "DE" },
	{ "27 Upper Rock Gardens", NULL, "Brighton BN2 1QE", NULL,
	    "27 Upper Rock Gardens", "BN2 1QE", "Brighton", "GB" },
	{ "Flat 3, 12 Park Road, Kendal", NULL, "Cumbria LA9 4PQ", NULL,
	    "Flat 3, 12 Park Road", "LA9 4PQ", "Kendal", "GB" },
	{ "Edinburgh EH6 6QU", NULL, NULL, NULL,
	    NULL, "EH6 6QU", "Edinburgh", "GB" },
	{ NULL, NULL, "Bologna (BO)", NULL, NULL, NULL, "Bologna", "IT" },
	{ NULL, "2200", "København N", "DK", NULL, "2200", "København", "DK" },
	{ "Jagtvej 101", NULL, "2. tv.", NULL,
	    "Jagtvej 101, 2. tv.", NULL, NULL, NULL },
	/* Clean fields stay as they are. */
	{ "Musterstr. 1", "10115", "Berlin", NULL,
	    "Musterstr. 1", "10115", "Berlin", NULL },
	{ "Hauptstrasse 1", "8001", "Zürich", "CH",
	    "Hauptstrasse 1", "8001", "Zürich", "CH" },
	{ "742 Evergreen Terrace", "62704", "Springfield", NULL,
	    "742 Evergreen Terrace", "62704", "Springfield", NULL },
	{ "Rua Augusta 10", NULL, NULL, NULL,
	    "Rua Augusta 10", NULL, NULL, NULL },
	/* A postcode that is none stays. */
	{ NULL, "k. A.", "Berlin", NULL, NULL, "k. A.", "Berlin", NULL },
};

static void
settle_addresses(void)
{
	struct inquiry *q;
	size_t i;

	for (i = 0; i < sizeof(settles) / sizeof(settles[0]); i++) {
		q = inquiry_new();
		inquiry_set(q, "street", settles[i].street);
		inquiry_set(q, "postcode", settles[i].postcode);
		inquiry_set(q, "city", settles[i].city);
		inquiry_settle(q, settles[i].portal);
		T_STR(q->street, settles[i].want_street, "settle %zu: street",
		    i);
		T_STR(q->postcode, settles[i].want_postcode,
		    "settle %zu: postcode", i);
		T_STR(q->city, settles[i].want_city, "settle %zu: city", i);
		T_STR(q->country, settles[i].want_country,
		    "settle %zu: country", i);
		inquiry_free(q);
	}
}

static void
inquiry_api(void)
{
	struct inquiry *q = inquiry_new();
	json_t *o;
	char *s;

	inquiry_add_phone(q, "+41 44 123 45 67");
	inquiry_add_phone(q, "+41441234567");
	inquiry_add_phone(q, "044 123 45 67");
	inquiry_add_phone(q, "");
	inquiry_add_phone(q, NULL);
	T_INT(q->nphones, 2, "same number twice is one phone");
	T_INT(inquiry_set(q, "first_name", "Anna"), 0, "set first_name");
	T_INT(inquiry_set(q, "nosuch", "x"), -1, "unknown field");
	T_STR(inquiry_get(q, "first_name"), "Anna", "get first_name");
	T_STR(inquiry_get(q, "phones"), "+41 44 123 45 67", "first phone");
	T_STR(inquiry_get(q, "nosuch"), NULL, "get unknown field");
	T_INT(inquiry_set(q, "first_name", NULL), 0, "clear first_name");
	inquiry_set(q, "custom", "{\"a\":1}");
	o = inquiry_to_json(q);
	s = json_dumps(o, JSON_COMPACT);
	T_STR(s, "{\"extractor\":null,\"portal\":null,\"salutation\":null,"
	    "\"first_name\":null,\"last_name\":null,\"company\":null,"
	    "\"email\":null,\"phones\":[\"+41 44 123 45 67\",\"044 123 45 67\"],"
	    "\"street\":null,\"postcode\":null,\"city\":null,\"country\":null,"
	    "\"language\":null,"
	    "\"message\":null,\"object_ref\":null,\"portal_object_ref\":null,"
	    "\"portal_ref\":null,\"forwarded_by\":null,"
	    "\"custom\":{\"a\":1}}", "JSON shape");
	free(s);
	inquiry_settle(q, NULL);
	T_STR(q->country, "CH", "settled country: from +41");
	inquiry_set(q, "postcode", "10115");
	inquiry_set(q, "language", "de");
	inquiry_settle(q, NULL);
	T_STR(q->country, "CH", "settled country: once set it stays");
	inquiry_set(q, "country", NULL);
	inquiry_settle(q, "AT");
	T_STR(q->country, "AT", "settled country: the portal's first");
	json_decref(o);
	inquiry_set(q, "custom", "not json");
	o = inquiry_to_json(q);
	T_OK(json_is_null(json_object_get(o, "custom")), "broken custom is "
	    "null");
	json_decref(o);
	inquiry_free(q);
	inquiry_free(NULL);
}

int
main(void)
{
	const char *top = getenv("TOP");
	size_t i;

	char lex[1100], prof[1100];
	struct err e;

	snprintf(datadir, sizeof(datadir), "%s/tests/data/parse",
	    top ? top : ".");
	snprintf(lex, sizeof(lex), "%s/etc/lexicon", top ? top : ".");
	snprintf(prof, sizeof(prof), "%s/etc/portals/mail", top ? top : ".");
	if (parse_data_load(lex, prof, &pd, NULL, &e) != LG_OK) {
		T_OK(0, "the shipped profiles and lexicon load: %s", e.msg);
		return t_done();
	}
	env.data = pd;
	table();
	detection();
	run_named();
	for (i = 0; i < sizeof(portals) / sizeof(portals[0]); i++)
		T_STR(extract_portal_of(pd, portals[i].addr), portals[i].portal,
		    "portal of %s", portals[i].addr);
	T_STR(extract_portal_of(pd, NULL), NULL, "portal of NULL");
	for (i = 0; i < sizeof(languages) / sizeof(languages[0]); i++)
		T_STR(parse_data_language_code(pd, languages[i].name),
		    languages[i].iso, "language name [%s]", languages[i].name);
	inquiry_api();
	settle_addresses();
	parse_data_free(pd);
	return t_done();
}
