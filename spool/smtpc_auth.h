/*
 * SMTP AUTH mechanisms (RFC 4954) as pure text: the AUTH command with
 * its initial response, and the answer to each 334 challenge. PLAIN
 * (RFC 4616), LOGIN, XOAUTH2 (Google's and Microsoft's) and OAUTHBEARER
 * (RFC 7628). The lines hold credentials: the caller writes them to the
 * wire, wipes them (smtpc_auth_wipe) and never logs them. Internal to
 * spool/smtpc*.c.
 */
#ifndef LG_SMTPC_AUTH_H
#define LG_SMTPC_AUTH_H

#include "util/buf.h"

enum smtpc_mech {
	SMTPC_PLAIN,
	SMTPC_LOGIN,
	SMTPC_XOAUTH2,
	SMTPC_OAUTHBEARER,
	SMTPC_NMECHS
};

/* "PLAIN", "XOAUTH2", ...: the name in EHLO's AUTH line. */
const char *smtpc_auth_name(enum smtpc_mech m);
/* Whether the mechanism takes an OAuth2 access token. */
int smtpc_auth_bearer(enum smtpc_mech m);

/*
 * "AUTH MECH initial-response\r\n" appended to out; secret is the
 * password or the access token; host and port are the server's (for
 * OAUTHBEARER).
 */
void smtpc_auth_first(enum smtpc_mech m, const char *user,
    const char *secret, const char *host, int port, struct buf *out);
/*
 * The answer to the step-th 334 challenge of the exchange (from 0)
 * appended to out, CRLF included. For XOAUTH2 and OAUTHBEARER a
 * challenge is the server's error report, answered with the empty or
 * dummy response the server waits for before it says 535.
 */
void smtpc_auth_answer(enum smtpc_mech m, int step, const char *user,
    const char *secret, struct buf *out);
/* Zero and free a buffer that held credentials. */
void smtpc_auth_wipe(struct buf *b);

#endif
