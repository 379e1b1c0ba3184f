/*
 * OpenImmo-Feedback XML (openimmo_feedback/objekt/interessent), sent by
 * the German-speaking portals as an attachment or inline: the most
 * reliable source there is, so detection tries it before any text.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/err.h"
#include "util/xmalloc.h"
#include "parse/extractor.h"
#include "parse/inquiry.h"
#include "parse/lang.h"
#include "parse/mail.h"
#include "parse/openimmo.h"
#include "parse/person.h"
#include "parse/parse_data.h"
#include "parse/profile.h"
#include "parse/xml.h"

#define ROOT	"openimmo_feedback"

/* interessent/<element> -> inquiry field, or custom key when field NULL. */
static const struct {
	const char *element;
	const char *field;
	const char *custom;
} prospect_map[] = {
	{ "vorname", "first_name", NULL },
	{ "nachname", "last_name", NULL },
	{ "firma", "company", NULL },
	{ "strasse", "street", NULL },
	{ "plz", "postcode", NULL },
	{ "ort", "city", NULL },
	{ "email", "email", NULL },
	{ "tel", "phones", NULL },
	{ "mobil", "phones", NULL },
	{ "anfrage", "message", NULL },
	{ "int_id", "portal_ref", NULL },
	{ "fax", NULL, "fax" },
	{ "postfach", NULL, "po_box" },
	{ "bevorzugt", NULL, "preferred_contact" },
	{ "wunsch", NULL, "request_type" },
	{ "anrede_brief", NULL, "letter_salutation" },
};

/* objekt/<element>: the first one present wins for a field. */
static const struct {
	const char *element;
	const char *field;
	const char *custom;
} object_map[] = {
	{ "oobj_id", "object_ref", NULL },
	{ "zusatz_refnr", "object_ref", "additional_ref" },
	{ "portal_obj_id", "portal_object_ref", NULL },
	{ "portal_unique_id", "portal_object_ref", "portal_unique_id" },
	{ "expose_url", NULL, "expose_url" },
	{ "anbieter_id", NULL, "provider_id" },
	{ "bezeichnung", NULL, "object_title" },
	{ "vermarktungsart", NULL, "marketing_type" },
	{ "etage", NULL, "floor" },
	{ "whg_nr", NULL, "unit" },
	{ "preis", NULL, "price" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * interessent/suchprofil/<element> -> the custom field "search.KEY"
 * that ingest turns into the contact's search profile (core/object.h).
 * Repeated elements (several plz, ort) become one comma list.
 */
static const struct {
	const char *element;
	const char *key;
} search_map[] = {
	{ "vermarktungsart", "search.kind" },
	{ "objektart", "search.type" },
	{ "preis_von", "search.price_min" },
	{ "preis_bis", "search.price_max" },
	{ "zimmer_von", "search.rooms_min" },
	{ "zimmer_bis", "search.rooms_max" },
	{ "flaeche_von", "search.area_min" },
	{ "flaeche_bis", "search.area_max" },
	{ "plz", "search.postcodes" },
	{ "ort", "search.cities" },
};

int
openimmo_detect(const struct mail *m, const char *arg)
{
	const char *label;
	size_t len;

	return extractor_find_xml(m, ROOT, &len, &label) != NULL;
}

static void
set(struct extract_ctx *x, const char *field, const char *custom,
    const char *v)
{
	if (v == NULL)
		return;
	if (field != NULL && strcmp(field, "phones") == 0)
		inquiry_add_phone(x->q, v);
	else if (field != NULL && inquiry_get(x->q, field) == NULL)
		inquiry_set(x->q, field, v);
	if (custom != NULL)
		extractor_custom(x, custom, v);
}

static void
prospect(struct extract_ctx *x, const struct xml_node *in)
{
	const char *sal;
	char *v;
	size_t i;

	for (i = 0; i < NELEM(prospect_map); i++) {
		v = xml_path_value(in, prospect_map[i].element);
		set(x, prospect_map[i].field, prospect_map[i].custom, v);
		free(v);
	}
	if ((v = xml_path_value(in, "anrede")) != NULL) {
		sal = person_salutation(v);
		/* "Firma" is no salutation: the prospect is a company. */
		if (sal != NULL || strcasecmp(v, "Firma") != 0)
			inquiry_set(x->q, "salutation", sal ? sal : v);
		free(v);
	}
	if ((v = xml_path_value(in, "titel")) != NULL) {
		extractor_custom(x, "title", v);
		free(v);
	}
}

static void
search(struct extract_ctx *x, const struct xml_node *in)
{
	const struct xml_node *sp = xml_child(in, "suchprofil"), *n;
	char *v, *all;
	size_t i;

	for (i = 0; sp != NULL && i < NELEM(search_map); i++) {
		all = NULL;
		for (n = xml_child(sp, search_map[i].element); n;
		    n = xml_next(n)) {
			if ((v = xml_value(n)) == NULL)
				continue;
			if (all == NULL) {
				all = v;
			} else {
				char *j = xasprintf("%s,%s", all, v);

				free(all);
				free(v);
				all = j;
			}
		}
		if (all != NULL)
			extractor_custom(x, search_map[i].key, all);
		free(all);
	}
}

static void
object(struct extract_ctx *x, const struct xml_node *obj)
{
	char *v, *street, *city;
	size_t i;

	for (i = 0; i < NELEM(object_map); i++) {
		v = xml_path_value(obj, object_map[i].element);
		set(x, object_map[i].field, object_map[i].custom, v);
		free(v);
	}
	street = xml_path_value(obj, "strasse");
	city = xml_path_value(obj, "ort");
	if (street || city) {
		v = xasprintf("%s%s%s", street ? street : "",
		    street && city ? ", " : "", city ? city : "");
		extractor_custom(x, "object_address", v);
		free(v);
	}
	free(street);
	free(city);
}

/* The portal: the profile of the sender's domain, else of sender/name. */
static const struct profile *
portal(struct extract_ctx *x, const struct xml_node *root)
{
	char *name = xml_path_value(root, "sender/name");
	const struct profile *p = parse_data_domain(x->pd, x->m->from_addr,
	    NULL);

	if (p == NULL)
		p = parse_data_profile_like(x->pd, name);
	inquiry_set(x->q, "portal", p ? p->display : name);
	free(name);
	return p;
}

/* The first objekt that has an interessent. */
static const struct xml_node *
first_inquiry(const struct xml_node *root, const struct xml_node **in)
{
	const struct xml_node *obj;

	for (obj = xml_child(root, "objekt"); obj; obj = xml_next(obj))
		if ((*in = xml_child(obj, "interessent")) != NULL)
			return obj;
	return NULL;
}

int
openimmo_extract(struct extract_ctx *x, const char *arg)
{
	const struct xml_node *obj, *in = NULL;
	const struct profile *p;
	struct xml_node *root;
	const char *s, *label;
	size_t len;

	if ((s = extractor_find_xml(x->m, ROOT, &len, &label)) == NULL)
		return err_set(x->e, LG_EPERM, "no OpenImmo-Feedback XML in "
		    "the mail");
	if (xml_parse(s, len, &root, x->e) != LG_OK)
		return err_prefix(x->e, "OpenImmo-Feedback in %s", label);
	if ((obj = first_inquiry(root, &in)) == NULL) {
		xml_free(root);
		return err_set(x->e, LG_EPERM, "OpenImmo-Feedback in %s: no "
		    "objekt with an interessent", label);
	}
	prospect(x, in);
	search(x, in);
	object(x, obj);
	p = portal(x, root);
	xml_free(root);
	extractor_sender(x, 0, 0);
	/* A portal of one language writes in it; else the prospect's words. */
	if (p != NULL && p->languages.n == 1 &&
	    parse_data_domain(x->pd, x->m->from_addr, NULL) == p)
		inquiry_set(x->q, "language", p->languages.v[0]);
	extractor_language(x, NULL);
	return LG_OK;
}
