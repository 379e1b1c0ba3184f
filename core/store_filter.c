#include <stddef.h>

#include "core/store_filter.h"

/* A column of the lead's object (the lead_objects view links them). */
#define OBJ_COL(c) "(SELECT o." c " FROM objects o WHERE o.id = " \
    "(SELECT lo.object_id FROM lead_objects lo WHERE lo.lead_id = l.id))"

static const struct {
	enum filter_field_id id;
	const char *sql;
} columns[] = {
	{ FF_CONTACT_ID, "c.id" },
	{ FF_TYPE, "c.type" },
	{ FF_KIND, "c.kind" },
	{ FF_FIRST_NAME, "c.first_name" },
	{ FF_LAST_NAME, "c.last_name" },
	{ FF_COMPANY, "coalesce(c.company, (SELECT x.company FROM contacts x "
	    "WHERE x.id = c.company_id))" },
	{ FF_LANGUAGE, "c.language" },
	{ FF_CITY, "c.city" },
	{ FF_POSTCODE, "c.postcode" },
	{ FF_PROSPECT_STATE, "c.prospect_state" },
	{ FF_CLIENT_STATE, "c.client_state" },
	{ FF_OPT_OUT, "c.opt_out" },
	{ FF_INVALID_ADDRESS, "c.invalid_address" },
	{ FF_CONTACT_CREATED, "c.created_at" },
	{ FF_LEAD_ID, "l.id" },
	{ FF_PIPELINE, "l.pipeline" },
	{ FF_PHASE_NO, "l.phase_no" },
	{ FF_STATUS, "l.status" },
	{ FF_SOURCE, "s.name" },
	{ FF_OBJECT, "l.object_ref" },
	{ FF_PORTAL_OBJECT, "l.portal_object_ref" },
	{ FF_PORTAL, "l.portal" },
	{ FF_PORTAL_REF, "l.portal_ref" },
	{ FF_CONNECTOR, "l.connector" },
	{ FF_LEAD_CREATED, "l.created_at" },
	{ FF_LEAD_UPDATED, "l.updated_at" },
	{ FF_OBJ_REF, OBJ_COL("ref") },
	{ FF_OBJ_TITLE, OBJ_COL("title") },
	{ FF_OBJ_KIND, OBJ_COL("kind") },
	{ FF_OBJ_TYPE, OBJ_COL("type") },
	{ FF_OBJ_PRICE, OBJ_COL("price") },
	{ FF_OBJ_ROOMS, OBJ_COL("rooms") },
	{ FF_OBJ_AREA, OBJ_COL("area") },
	{ FF_OBJ_POSTCODE, OBJ_COL("postcode") },
	{ FF_OBJ_CITY, OBJ_COL("city") },
	{ FF_OBJ_STATE, OBJ_COL("state") },
};

const char *
store_filter_column(enum filter_field_id id)
{
	size_t i;

	for (i = 0; i < sizeof(columns) / sizeof(columns[0]); i++)
		if (columns[i].id == id)
			return columns[i].sql;
	return NULL;
}
