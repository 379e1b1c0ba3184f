/*
 * The one HTTP request the OAuth2 token machinery (util/oauth.h) makes:
 * a form POST to a token or device endpoint, answer capped, TLS verified
 * (pinned to ca_file when one is given: LIBS.md §5, CAPATH cleared), no
 * redirects (a token request never follows one), only https, or plain
 * http to a loopback host (tests, local relays). The form carries
 * secrets: it is never logged, and messages name the URL without its
 * query.
 */
#ifndef LG_OAUTH_HTTP_H
#define LG_OAUTH_HTTP_H

#include "util/buf.h"
#include "util/err.h"

struct oauth_http_req {
	const char *url;
	const char *form;	/* application/x-www-form-urlencoded */
	const char *user;	/* HTTP Basic (client_secret_basic), or NULL */
	const char *password;
	const char *ca_file;	/* NULL or "": the system store */
	int timeout;		/* seconds, whole transfer */
};

/*
 * LG_OK when an answer came (any status, in *status, the body in out);
 * LG_ETEMP for network trouble; LG_EPERM for a URL that is not allowed
 * or an answer over the cap.
 */
int oauth_http_post(const struct oauth_http_req *rq, long *status,
    struct buf *out, struct err *e);
/* LG_OK for https, or http to 127.0.0.0/8, ::1 or localhost. */
int oauth_http_url_ok(const char *what, const char *url, struct err *e);
/* Percent-encoded s, for a form or a query (caller frees). */
char *oauth_http_escape(const char *s);
/* url without query and fragment, for messages (caller frees). */
char *oauth_http_display(const char *url);

#endif
