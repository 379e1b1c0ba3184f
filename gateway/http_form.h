/*
 * Web-form intake: POST /api/v1/inquiries with a form's token (scope
 * "form", made with `leadgate token add NAME --scope form --source S`).
 * The body is a JSON object or form-encoded fields, named as in
 * `parse --json` (first_name, email, message, ...; "phone" may repeat);
 * anything else is refused. The inquiry goes through the ingest pipeline
 * (ingest_inquiry(): rules, dedup, quarantine, autoreply) as a portal
 * item of source S would.
 *
 * An Idempotency-Key header makes it idempotent: the same key of the same
 * form gets the first answer again and changes nothing (the ingest key
 * is "portal:S:NAME:KEY" besides). Each form may send serve.form_rate
 * inquiries per serve.form_window seconds (429 with Retry-After beyond);
 * replays and refused bodies do not count.
 */
#ifndef LG_HTTP_FORM_H
#define LG_HTTP_FORM_H

#include "gateway/http.h"

void form_inquiry(struct http_req *r, struct http_resp *out);

#endif
