/*
 * ADF, the Auto-lead Data Format car portals and manufacturers send to
 * dealers (adf/prospect with customer/contact, vehicle, vendor,
 * provider), as an attachment or as the text body itself.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"
#include "parse/adf.h"
#include "parse/extractor.h"
#include "parse/inquiry.h"
#include "parse/lang.h"
#include "parse/mail.h"
#include "parse/person.h"
#include "parse/parse_data.h"
#include "parse/profile.h"
#include "parse/xml.h"

#define ROOT	"adf"

/* vehicle/<element> into custom.vehicle. */
static const char *const vehicle_fields[] = {
	"year", "make", "model", "trim", "vin", "stock", "odometer",
	"colorcombination", "bodystyle", "transmission", "condition",
	"doors", "price",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

int
adf_detect(const struct mail *m, const char *arg)
{
	const char *label;
	size_t len;

	return extractor_find_xml(m, ROOT, &len, &label) != NULL;
}

static void
names(struct extract_ctx *x, const struct xml_node *contact)
{
	const struct xml_node *n;
	const char *part;
	struct person p;
	char *v;

	for (n = xml_child(contact, "name"); n; n = xml_next(n)) {
		if ((v = xml_value(n)) == NULL)
			continue;
		part = xml_attr(n, "part");
		if (part && strcasecmp(part, "first") == 0)
			inquiry_set(x->q, "first_name", v);
		else if (part && strcasecmp(part, "last") == 0)
			inquiry_set(x->q, "last_name", v);
		else if (x->q->first_name == NULL && x->q->last_name == NULL) {
			person_split(v, &p);
			inquiry_set(x->q, "salutation", p.salutation);
			inquiry_set(x->q, "first_name", p.first);
			inquiry_set(x->q, "last_name", p.last);
			person_clear(&p);
		}
		free(v);
	}
}

static void
address(struct extract_ctx *x, const struct xml_node *addr)
{
	const struct xml_node *n;
	struct buf street = BUF_INIT;
	char *v;

	for (n = xml_child(addr, "street"); n; n = xml_next(n))
		if ((v = xml_value(n)) != NULL) {
			if (street.len)
				buf_adds(&street, ", ");
			buf_adds(&street, v);
			free(v);
		}
	if (street.len)
		inquiry_set(x->q, "street", street.data);
	buf_free(&street);
	v = xml_path_value(addr, "postalcode");
	inquiry_set(x->q, "postcode", v);
	free(v);
	v = xml_path_value(addr, "city");
	inquiry_set(x->q, "city", v);
	free(v);
	v = xml_path_value(addr, "regioncode");
	extractor_custom(x, "region", v);
	free(v);
	v = xml_path_value(addr, "country");
	extractor_custom(x, "country", v);
	free(v);
}

static void
contact(struct extract_ctx *x, const struct xml_node *c)
{
	const struct xml_node *n;
	char *v;

	names(x, c);
	v = xml_path_value(c, "email");
	inquiry_set(x->q, "email", v);
	free(v);
	for (n = xml_child(c, "phone"); n; n = xml_next(n))
		if ((v = xml_value(n)) != NULL) {
			inquiry_add_phone(x->q, v);
			free(v);
		}
	address(x, xml_child(c, "address"));
}

static void
vehicle(struct extract_ctx *x, const struct xml_node *veh)
{
	json_t *o;
	const char *a;
	char *v;
	size_t i;

	if (veh == NULL)
		return;
	o = json_object();
	if ((a = xml_attr(veh, "interest")) != NULL)
		json_object_set_new(o, "interest", json_string(a));
	if ((a = xml_attr(veh, "status")) != NULL)
		json_object_set_new(o, "status", json_string(a));
	for (i = 0; i < NELEM(vehicle_fields); i++)
		if ((v = xml_path_value(veh, vehicle_fields[i])) != NULL) {
			json_object_set_new(o, vehicle_fields[i], json_string(v));
			free(v);
		}
	json_object_set_new(x->custom, "vehicle", o);
	/* The dealer's stock number is the object; the portal's id its own. */
	v = xml_path_value(veh, "stock");
	inquiry_set(x->q, "object_ref", v);
	free(v);
	v = xml_path_value(veh, "id");
	inquiry_set(x->q, "portal_object_ref", v);
	free(v);
}

static void
provider(struct extract_ctx *x, const struct xml_node *prospect)
{
	char *name = xml_path_value(prospect, "provider/name");
	char *vendor = xml_path_value(prospect, "vendor/vendorname");
	const struct profile *known;

	if (name == NULL)
		name = xml_path_value(prospect, "provider/service");
	known = parse_data_profile_like(x->pd, name);
	inquiry_set(x->q, "portal", known ? known->display : name);
	extractor_custom(x, "vendor", vendor);
	free(name);
	free(vendor);
}

int
adf_extract(struct extract_ctx *x, const char *arg)
{
	const struct xml_node *prospect, *customer;
	struct xml_node *root;
	const char *s, *label;
	size_t len;
	char *v;

	if ((s = extractor_find_xml(x->m, ROOT, &len, &label)) == NULL)
		return err_set(x->e, LG_EPERM, "no ADF XML in the mail");
	if (xml_parse(s, len, &root, x->e) != LG_OK)
		return err_prefix(x->e, "ADF in %s", label);
	if ((prospect = xml_child(root, "prospect")) == NULL) {
		xml_free(root);
		return err_set(x->e, LG_EPERM, "ADF in %s: no prospect", label);
	}
	customer = xml_child(prospect, "customer");
	contact(x, xml_child(customer, "contact"));
	v = xml_path_value(customer, "comments");
	inquiry_set(x->q, "message", v);
	free(v);
	v = xml_path_value(prospect, "id");
	inquiry_set(x->q, "portal_ref", v);
	free(v);
	vehicle(x, xml_child(prospect, "vehicle"));
	provider(x, prospect);
	v = xml_path_value(prospect, "requestdate");
	extractor_custom(x, "request_date", v);
	free(v);
	v = xml_path_value(customer, "timeframe/description");
	extractor_custom(x, "timeframe", v);
	free(v);
	xml_free(root);
	extractor_sender(x, 0, 0);
	extractor_language(x, NULL);
	return LG_OK;
}
