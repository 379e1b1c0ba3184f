/*
 * Every route of the listener, one row each. docs/leadgate.1.md and
 * etc/openapi.json list the same; t_serve checks the document against
 * the answers.
 */
#include "gateway/http_api.h"
#include "gateway/http_form.h"
#include "gateway/http_routes.h"
#include "gateway/http_unsub.h"

const struct http_route http_routes[] = {
	{ "GET", "/u/:", HTTP_PUBLIC, unsub_page },
	{ "POST", "/u/:", HTTP_PUBLIC, unsub_post },
	{ "GET", "/api/v1/openapi.json", HTTP_PUBLIC, api_openapi },
	{ "POST", "/api/v1/inquiries", HTTP_FORM, form_inquiry },
	{ "GET", "/api/v1/leads", HTTP_READ, api_leads_list },
	{ "GET", "/api/v1/leads/:", HTTP_READ, api_lead_show },
	{ "POST", "/api/v1/leads/:/move", HTTP_WRITE, api_lead_move },
	{ "POST", "/api/v1/leads/:/notes", HTTP_WRITE, api_lead_note },
	{ "GET", "/api/v1/contacts", HTTP_READ, api_contacts_list },
	{ "GET", "/api/v1/contacts/:", HTTP_READ, api_contact_show },
	{ "GET", "/api/v1/contacts/:/export", HTTP_WRITE, api_contact_export },
	{ "GET", "/api/v1/sources", HTTP_READ, api_sources },
	{ "GET", "/api/v1/pipelines", HTTP_READ, api_pipelines },
	{ "GET", "/api/v1/reports", HTTP_READ, api_report },
	{ "GET", "/api/v1/quarantine", HTTP_READ, api_quarantine_list },
	{ "GET", "/api/v1/quarantine/:", HTTP_READ, api_quarantine_show },
	{ "POST", "/api/v1/quarantine/:/retry", HTTP_WRITE,
	    api_quarantine_retry },
	{ "POST", "/api/v1/quarantine/:/drop", HTTP_WRITE,
	    api_quarantine_drop },
	{ "GET", "/api/v1/campaigns", HTTP_READ, api_campaigns },
	{ "GET", "/api/v1/spool", HTTP_READ, api_spool },
};

const size_t http_nroutes = sizeof(http_routes) / sizeof(http_routes[0]);
