/*
 * AUTHENTICATE XOAUTH2 and OAUTHBEARER (RFC 7628) on an IMAP session
 * libetpan opened. Our own exchange rather than libetpan's
 * mailimap_oauth2_authenticate(): that one has no OAUTHBEARER, always
 * sends the token on the command line, and does not answer the error
 * challenge a refused token gets ("+ base64(json)", which must be
 * answered with an empty line before the server says NO; a client that
 * waits hangs until its timeout). LIBS.md §9.
 *
 * The token goes out only here, base64 in the initial response (SASL-IR
 * when offered, else after the server's "+"), and every copy is wiped.
 */
#ifndef LG_IMAP_OAUTH_H
#define LG_IMAP_OAUTH_H

#include <libetpan/libetpan.h>

#include "connectors/imap_config.h"
#include "util/err.h"

enum imap_oauth_result {
	IMAP_OAUTH_OK,
	IMAP_OAUTH_REFUSED,	/* a tagged NO: the token, maybe stale */
	IMAP_OAUTH_FAILED,	/* e says: network (LG_ETEMP) or protocol */
};

/*
 * One AUTHENTICATE with token for c->user, c->auth's mechanism. On OK
 * libetpan's session is in the authenticated state. LG_EPERM (in e,
 * result FAILED) when the server does not offer the mechanism.
 */
enum imap_oauth_result imap_oauth_authenticate(mailimap *imap,
    const struct imap_config *c, const char *token, char *said,
    size_t saidlen, struct err *e);

#endif
