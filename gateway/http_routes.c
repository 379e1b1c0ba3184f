/*
 * Every route of the listener, one row each. docs/leadgate.1.md and
 * etc/openapi.json list the same; t_serve checks the document against
 * the answers.
 */
#include "gateway/dash.h"
#include "gateway/dash_pages.h"
#include "gateway/http_api.h"
#include "gateway/http_form.h"
#include "gateway/http_routes.h"
#include "gateway/http_unsub.h"

const struct http_route http_routes[] = {
	{ "GET", "/u/:", HTTP_PUBLIC, unsub_page, NULL },
	{ "POST", "/u/:", HTTP_PUBLIC, unsub_post, NULL },
	{ "GET", "/api/v1/openapi.json", HTTP_PUBLIC, api_openapi, NULL },
	{ "POST", "/api/v1/inquiries", HTTP_FORM, form_inquiry, NULL },
	{ "GET", "/api/v1/leads", HTTP_READ, api_leads_list, NULL },
	{ "GET", "/api/v1/leads/:", HTTP_READ, api_lead_show, NULL },
	{ "POST", "/api/v1/leads/:/move", HTTP_WRITE, api_lead_move, NULL },
	{ "POST", "/api/v1/leads/:/notes", HTTP_WRITE, api_lead_note, NULL },
	{ "POST", "/api/v1/leads/:/actions", HTTP_WRITE, api_lead_action, NULL },
	{ "POST", "/api/v1/leads/:/assign", HTTP_WRITE, api_lead_assign, NULL },
	{ "GET", "/api/v1/contacts", HTTP_READ, api_contacts_list, NULL },
	{ "GET", "/api/v1/contacts/:", HTTP_READ, api_contact_show, NULL },
	{ "GET", "/api/v1/contacts/:/export", HTTP_WRITE, api_contact_export,
	    NULL },
	{ "GET", "/api/v1/sources", HTTP_READ, api_sources, NULL },
	{ "GET", "/api/v1/pipelines", HTTP_READ, api_pipelines, NULL },
	{ "GET", "/api/v1/reports", HTTP_READ, api_report, NULL },
	{ "GET", "/api/v1/quarantine", HTTP_READ, api_quarantine_list, NULL },
	{ "GET", "/api/v1/quarantine/:", HTTP_READ, api_quarantine_show, NULL },
	{ "POST", "/api/v1/quarantine/:/retry", HTTP_WRITE,
	    api_quarantine_retry, NULL },
	{ "POST", "/api/v1/quarantine/:/drop", HTTP_WRITE,
	    api_quarantine_drop, NULL },
	{ "GET", "/api/v1/campaigns", HTTP_READ, api_campaigns, NULL },
	{ "GET", "/api/v1/spool", HTTP_READ, api_spool, NULL },
	{ "GET", "/", HTTP_PUBLIC, dash_root, NULL },
	{ "GET", "/dash/login", HTTP_PUBLIC, dash_login_page, NULL },
	{ "POST", "/dash/login", HTTP_PUBLIC, dash_login_post, NULL },
	{ "POST", "/dash/logout", HTTP_SESSION, dash_logout, dash_session },
	{ "GET", "/dash", HTTP_SESSION, dash_pages_funnel, dash_session },
	{ "GET", "/dash/leads", HTTP_SESSION, dash_pages_leads, dash_session },
	{ "GET", "/dash/leads/:", HTTP_SESSION, dash_pages_lead, dash_session },
	{ "POST", "/dash/leads/:/move", HTTP_SESSION,
	    dash_pages_lead_move, dash_session },
	{ "POST", "/dash/leads/:/note", HTTP_SESSION,
	    dash_pages_lead_note, dash_session },
	{ "POST", "/dash/leads/:/action", HTTP_SESSION,
	    dash_pages_lead_action, dash_session },
	{ "POST", "/dash/leads/:/assign", HTTP_SESSION,
	    dash_pages_lead_assign, dash_session },
	{ "GET", "/dash/mails/:/attachments/:", HTTP_SESSION,
	    dash_pages_attachment, dash_session },
	{ "GET", "/dash/quarantine", HTTP_SESSION,
	    dash_pages_quarantine, dash_session },
	{ "GET", "/dash/quarantine/:", HTTP_SESSION,
	    dash_pages_quarantine_item, dash_session },
	{ "POST", "/dash/quarantine/:/retry", HTTP_SESSION,
	    dash_pages_quarantine_retry, dash_session },
	{ "POST", "/dash/quarantine/:/drop", HTTP_SESSION,
	    dash_pages_quarantine_drop, dash_session },
	{ "GET", "/dash/campaigns", HTTP_SESSION,
	    dash_pages_campaigns, dash_session },
	{ "GET", "/dash/status", HTTP_SESSION,
	    dash_pages_status, dash_session },
};

const size_t http_nroutes = sizeof(http_routes) / sizeof(http_routes[0]);
