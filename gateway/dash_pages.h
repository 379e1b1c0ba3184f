/*
 * The dashboard's views, each a route of scope HTTP_SESSION (the frame,
 * sign-in and CSRF are dash.h): the funnel (/dash), the leads list with
 * the filter language and paging, a lead with its history, mails and
 * attachments and the moves an agent makes (phase with its action, note),
 * the quarantine (show, retry, drop), campaigns with their progress, and
 * connector status. Every change is a POST answered by a 303 back to the
 * page it came from, so a reload never repeats it. Server-rendered HTML
 * that needs no script.
 */
#ifndef LG_DASH_PAGES_H
#define LG_DASH_PAGES_H

#include "gateway/http.h"

void dash_pages_funnel(struct http_req *r, struct http_resp *out);
void dash_pages_leads(struct http_req *r, struct http_resp *out);
void dash_pages_lead(struct http_req *r, struct http_resp *out);
void dash_pages_lead_move(struct http_req *r, struct http_resp *out);
void dash_pages_lead_note(struct http_req *r, struct http_resp *out);
void dash_pages_lead_action(struct http_req *r, struct http_resp *out);
void dash_pages_lead_assign(struct http_req *r, struct http_resp *out);
void dash_pages_attachment(struct http_req *r, struct http_resp *out);
void dash_pages_quarantine(struct http_req *r, struct http_resp *out);
void dash_pages_quarantine_item(struct http_req *r, struct http_resp *out);
void dash_pages_quarantine_retry(struct http_req *r, struct http_resp *out);
void dash_pages_quarantine_drop(struct http_req *r, struct http_resp *out);
void dash_pages_campaigns(struct http_req *r, struct http_resp *out);
void dash_pages_status(struct http_req *r, struct http_resp *out);

#endif
