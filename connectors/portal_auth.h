/*
 * Portal credentials: an API key in a header or query parameter, HTTP
 * Basic, a bearer token, or an OAuth2 client-credentials token from the
 * token module (util/oauth.h, the one the mailboxes use too), cached
 * until shortly before it expires and renewed when the API answers 401. Secrets are read through util/secret.h at
 * each use (so a rotated file is picked up), never logged, and wiped.
 */
#ifndef LG_PORTAL_AUTH_H
#define LG_PORTAL_AUTH_H

#include "util/err.h"

struct portal_conf;
struct portal_http;
struct portal_auth;

/* What one request carries; every string is wiped by portal_cred_clear. */
struct portal_cred {
	char *header;		/* "Name: value", or NULL */
	char *query;		/* "name=value" (escaped), or NULL */
	char *user;		/* HTTP Basic */
	char *password;
};

/* Checks that the configured secrets can be read (the message names the
 * file or variable, never the value). */
/* ca_file: for the token endpoint (NULL or "": the system store). */
int portal_auth_new(const struct portal_conf *c, struct portal_http *h,
    const char *ca_file, struct portal_auth **out, struct err *e);
void portal_auth_free(struct portal_auth *a);
/* Credentials for the next request (may fetch an OAuth2 token). */
int portal_auth_get(struct portal_auth *a, struct portal_cred *out,
    struct err *e);
void portal_cred_clear(struct portal_cred *c);
struct portal_request;
struct portal_response;
/*
 * Send rq with the credentials added (header, query parameter or Basic).
 * A 401 with OAuth2 renews the token and sends once more. Otherwise as
 * portal_http_do: read rs->status.
 */
int portal_auth_do(struct portal_auth *a, const struct portal_request *rq,
    struct portal_response *rs, struct err *e);
/* The API answered 401: 1 when a new token may help (then retry once). */
int portal_auth_rejected(struct portal_auth *a);

#endif
