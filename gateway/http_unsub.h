/*
 * One-click unsubscribe over HTTP: POST /u/TOKEN (RFC 8058: no
 * confirmation step; the body a mailbox provider sends is
 * "List-Unsubscribe=One-Click", and any body is taken) has the effect of
 * `leadgate unsubscribe TOKEN` (outbound/unsub.h, via "link"). GET /u/TOKEN
 * changes nothing: it shows a page asking to confirm, with a button that
 * POSTs, in the contact's language. The phrases are data files,
 * serve.phrases/LANG.conf (etc/unsubscribe/), en.conf the fallback.
 */
#ifndef LG_HTTP_UNSUB_H
#define LG_HTTP_UNSUB_H

#include "gateway/http.h"

void unsub_page(struct http_req *r, struct http_resp *out);
void unsub_post(struct http_req *r, struct http_resp *out);

#endif
