/*
 * One HTTP client per portal connector (libcurl, one easy handle kept for
 * keep-alive). It is careful on the connector's behalf: TLS verified
 * (pinned to ca_file when one is configured), only https (plain http only
 * to a loopback host, for tests and local relays), connect and total
 * timeouts, gzip accepted, bodies capped while they arrive (which also
 * stops decompression bombs), and redirects followed by hand, only within
 * the same origin, so that credentials never go to another host.
 *
 * Messages name the URL without its query string: an API key may be a
 * query parameter.
 */
#ifndef LG_PORTAL_HTTP_H
#define LG_PORTAL_HTTP_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

struct portal_http;

struct portal_http_opts {
	const char *name;	/* the connector, for messages */
	int connect_timeout;	/* seconds */
	int timeout;		/* seconds, whole transfer */
	long max_bytes;		/* response body cap (decoded) */
	int max_redirects;
	const char *ca_file;	/* NULL or "": the system store */
	const char *user_agent;
	int insecure;		/* plain http to any host (the admin said so) */
};

struct portal_request {
	const char *method;	/* GET, POST, PATCH, PUT, DELETE */
	const char *url;
	const char *const *headers;	/* "Name: value", NULL-terminated */
	const char *body;	/* NULL: none */
	const char *content_type;	/* of body; NULL: application/json */
	const char *user;	/* HTTP Basic, with password */
	const char *password;
};

struct portal_response {
	long status;
	struct buf body;
	char *content_type;
	char *link_next;	/* the Link header's rel="next", resolved */
	long retry_after;	/* seconds, 0 when absent */
};

/* LG_EPERM when the URL is not acceptable (scheme, host). */
int portal_http_new(const struct portal_http_opts *o, const char *base_url,
    struct portal_http **out, struct err *e);
void portal_http_free(struct portal_http *h);
/*
 * Send rq. LG_OK when an HTTP answer came (any status: read rs->status);
 * LG_ETEMP for network trouble and timeouts; LG_EPERM for what retrying
 * will not fix (a body over the cap, a redirect loop or a redirect away).
 */
int portal_http_do(struct portal_http *h, const struct portal_request *rq,
    struct portal_response *rs, struct err *e);
void portal_response_clear(struct portal_response *rs);
/* LG_OK for an https URL, or plain http to a loopback host; what names
 * the setting in the message. */
int portal_http_url_ok(const char *what, const char *url, struct err *e);
/* The same, plain http to any host allowed when insecure. */
int portal_http_url_allowed(const char *what, const char *url, int insecure,
    struct err *e);
/* rel resolved against base (absolute, or relative to base). New string. */
int portal_http_resolve(const char *base, const char *rel, char **out,
    struct err *e);
/* Whether url has the same origin (scheme, host, port) as base. */
int portal_http_same_origin(const char *base, const char *url);
/* url without its query and fragment, for messages (caller frees). */
char *portal_http_display(const char *url);
/* Percent-encode s for a URL path segment or query value (caller frees). */
char *portal_http_escape(const char *s);

#endif
