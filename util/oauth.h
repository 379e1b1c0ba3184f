/*
 * OAuth2 tokens, one module for every user of them: IMAP and SMTP
 * mailboxes (XOAUTH2, OAUTHBEARER) and portal APIs.
 *
 * Two kinds of grant. OAUTH_GRANT_CLIENT (client credentials, the portal
 * case): the token is asked for when needed and kept in memory only.
 * OAUTH_GRANT_USER: a person consents once (`leadgate oauth login`,
 * through the device authorization grant of RFC 8628 or the
 * authorization code with PKCE S256); the refresh token is kept in the
 * state file DIR/NAME.json (mode 0600; written to a temporary file,
 * fsynced, renamed, the folder fsynced), and each access token is
 * refreshed `skew` seconds before it expires. A rotated refresh token
 * replaces the old one in the same atomic write, before the new access
 * token is used. Several users of one grant (the IMAP connector, the SMTP
 * delivery, a command) share the file under a lock (DIR/NAME.lock), so
 * that one rotation is never raced by another.
 *
 * Errors: LG_ETEMP for the network, timeouts, 5xx, 429 (retry later);
 * LG_EPERM for what only a person can fix. `invalid_grant` (revoked,
 * expired or replaced consent) is recorded in the state file: every
 * later call fails at once, without asking the server, with "re-authorise
 * with `leadgate oauth login NAME`", until a login writes a new grant.
 *
 * The client secret is read through util/secret.h at each use, the
 * certificate's private key through util/oauth_jwt.h likewise. No token,
 * secret, key or assertion is ever logged or put into a message.
 */
#ifndef LG_OAUTH_H
#define LG_OAUTH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/err.h"

enum oauth_grant {
	OAUTH_GRANT_CLIENT,	/* client_credentials */
	OAUTH_GRANT_USER,	/* device or code, then refresh_token */
};

/* A client's configuration; oauth_new() copies what it keeps. */
struct oauth_client {
	const char *name;	/* the grant's name: state file, messages */
	int grant;		/* enum oauth_grant */
	const char *token_url;
	const char *device_url;		/* "" when the provider has none */
	const char *authorize_url;	/* "" when the provider has none */
	const char *client_id;
	const char *secret_file;	/* "" or NULL: a public client */
	const char *secret_env;
	int client_basic;	/* secret by HTTP Basic, not in the form */
	/*
	 * Certificate credentials (util/oauth_jwt.h) instead of a secret:
	 * cert_file set means every request to token_url carries a fresh
	 * client assertion; the device endpoint gets client_id only (the
	 * assertion's audience is the token URL).
	 */
	const char *cert_file;	/* "" or NULL: no certificate */
	const char *key_file;
	const char *key_env;
	int assertion_alg;	/* enum oauth_jwt_alg */
	const char *scope;	/* space separated, may be "" */
	const char *state_dir;	/* OAUTH_GRANT_USER: where NAME.json is */
	const char *ca_file;	/* "" : the system store */
	int timeout;		/* seconds per request */
	int skew;		/* refresh this long before expiry */
	const char *redirect_uri;	/* the code grant's, "" : none */
};

struct oauth;

/* LG_EPERM for a URL that is not allowed or a missing setting. */
int oauth_new(const struct oauth_client *c, struct oauth **out,
    struct err *e);
void oauth_free(struct oauth *o);
const char *oauth_name(const struct oauth *o);
/* 1 for OAUTH_GRANT_USER. */
int oauth_user_grant(const struct oauth *o);

/*
 * An access token into tok (NUL-terminated). force: the server refused
 * the last one, get another. Thread-safe.
 */
int oauth_token(struct oauth *o, int force, char *tok, size_t toklen,
    struct err *e);
/*
 * The same shaped for a SASL client (spool/smtpc.h struct smtpc_bearer,
 * the IMAP session): arg is a struct oauth *.
 */
int oauth_bearer_token(void *arg, int force, char *tok, size_t toklen,
    struct err *e);
/* 1 after invalid_grant until a new login: the caller stops. */
int oauth_needs_login(struct oauth *o);
/*
 * The server refused fresh tokens of this grant (its scope, or the
 * mailbox is not the consenting person's): oauth_token() fails with why
 * and "re-authorise with `leadgate oauth login NAME`" until a new login
 * replaces the grant; oauth_needs_login() is 1 meanwhile.
 */
void oauth_refused(struct oauth *o, const char *why);

/* The device authorization grant (RFC 8628). */
struct oauth_device {
	char *device_code;	/* secret: never shown */
	char *user_code;
	char *verification_uri;
	char *verification_uri_complete;	/* or NULL */
	int interval;		/* seconds between polls */
	int expires_in;
};
int oauth_device_start(struct oauth *o, struct oauth_device *d,
    struct err *e);
/*
 * Poll until the person consented (the grant is stored), the code
 * expired, they refused, or *stop. Honours authorization_pending and
 * slow_down (RFC 8628 3.5).
 */
int oauth_device_wait(struct oauth *o, struct oauth_device *d,
    volatile sig_atomic_t *stop, struct err *e);
void oauth_device_clear(struct oauth_device *d);

/* The authorization code grant with PKCE (RFC 7636, S256). */
struct oauth_pkce {
	char *verifier;		/* secret */
	char *state;
	char *url;		/* to open in a browser */
	char *redirect_uri;
};
int oauth_pkce_start(struct oauth *o, struct oauth_pkce *p, struct err *e);
/* code from the redirect; state must match p->state. Stores the grant. */
int oauth_pkce_finish(struct oauth *o, const struct oauth_pkce *p,
    const char *code, const char *state, struct err *e);
void oauth_pkce_clear(struct oauth_pkce *p);

/* What `status` may show: never a token. */
struct oauth_status {
	int have_grant;		/* a refresh token is stored */
	int needs_login;	/* invalid_grant was seen */
	int64_t saved;		/* unix time the grant was last written */
	int64_t expires;	/* of the stored access token, 0: none */
	char why[200];		/* the server's error code when needs_login */
	char scope[512];
};
int oauth_status(struct oauth *o, struct oauth_status *st, struct err *e);

#endif
