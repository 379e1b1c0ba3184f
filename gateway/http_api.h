/*
 * The handlers of /api/v1 (the route table is http_routes.c). Lists page
 * by id: ?limit=N (1 to serve.page_max, default 100) and ?after=ID; the
 * answer is {"items": [...], "next": ID or null}. A lead's answer carries
 * an ETag (a hash of what it shows); a change to a lead needs If-Match
 * with it (428 without, 412 when the lead changed since).
 */
#ifndef LG_HTTP_API_H
#define LG_HTTP_API_H

#include "gateway/http.h"

void api_leads_list(struct http_req *r, struct http_resp *out);
void api_lead_show(struct http_req *r, struct http_resp *out);
void api_lead_move(struct http_req *r, struct http_resp *out);
void api_lead_note(struct http_req *r, struct http_resp *out);
void api_lead_assign(struct http_req *r, struct http_resp *out);
/* POST {action, remark}: a history action, moving the lead to its phase. */
void api_lead_action(struct http_req *r, struct http_resp *out);
void api_contacts_list(struct http_req *r, struct http_resp *out);
void api_contact_show(struct http_req *r, struct http_resp *out);
/* Everything held about a contact (contacts export), write scope. */
void api_contact_export(struct http_req *r, struct http_resp *out);
void api_sources(struct http_req *r, struct http_resp *out);
void api_pipelines(struct http_req *r, struct http_resp *out);
void api_report(struct http_req *r, struct http_resp *out);
void api_quarantine_list(struct http_req *r, struct http_resp *out);
void api_quarantine_show(struct http_req *r, struct http_resp *out);
void api_quarantine_retry(struct http_req *r, struct http_resp *out);
void api_quarantine_drop(struct http_req *r, struct http_resp *out);
void api_campaigns(struct http_req *r, struct http_resp *out);
void api_spool(struct http_req *r, struct http_resp *out);
void api_openapi(struct http_req *r, struct http_resp *out);

/*
 * The request's JSON object body, checked against fields (name, jansson
 * type, required), NULL-name terminated: malformed JSON, another type,
 * an unknown or missing field is a problem and NULL.
 */
struct api_field {
	const char *name;
	int type;		/* json_type */
	int required;
};
json_t *api_body(struct http_req *r, const struct api_field *fields,
    struct http_resp *out);
/* Run fn in a store transaction; on failure the problem is set. */
int api_tx(struct http_req *r, int (*fn)(struct http_req *, void *,
    struct err *), void *arg, struct http_resp *out);

#endif
