/*
 * The AUTH mechanisms' lines: known answers for PLAIN (RFC 4616 4), the
 * XOAUTH2 example of Google's documentation, an OAUTHBEARER initial
 * response as RFC 7628 3.1 builds it, LOGIN's two answers, and the
 * responses to an error challenge (XOAUTH2: empty; OAUTHBEARER: %x01).
 */
#include <string.h>

#include "spool/smtpc_auth.h"
#include "t.h"

static const struct {
	const char *label;
	enum smtpc_mech m;
	const char *user, *secret;
	const char *want;
} firsts[] = {
	{ "PLAIN", SMTPC_PLAIN, "tim", "tanstaaftanstaaf",
	    "AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n" },
	{ "LOGIN has no initial response", SMTPC_LOGIN, "alice", "x",
	    "AUTH LOGIN\r\n" },
	{ "XOAUTH2", SMTPC_XOAUTH2, "someuser@example.com",
	    "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg",
	    "AUTH XOAUTH2 dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5"
	    "YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ=="
	    "\r\n" },
	{ "OAUTHBEARER", SMTPC_OAUTHBEARER, "user@example.com",
	    "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==",
	    "AUTH OAUTHBEARER bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4"
	    "YW1wbGUuY29tAXBvcnQ9NTg3AWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNS"
	    "bGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB\r\n" },
};

static const struct {
	const char *label;
	enum smtpc_mech m;
	int step;
	const char *want;
} answers[] = {
	{ "LOGIN user", SMTPC_LOGIN, 0, "YWxpY2U=\r\n" },
	{ "LOGIN password", SMTPC_LOGIN, 1, "cMOkc3M=\r\n" },
	{ "LOGIN a third challenge: cancel", SMTPC_LOGIN, 2, "*\r\n" },
	{ "XOAUTH2 error challenge: empty", SMTPC_XOAUTH2, 0, "\r\n" },
	{ "OAUTHBEARER error challenge: %x01", SMTPC_OAUTHBEARER, 0,
	    "AQ==\r\n" },
	{ "PLAIN challenged: cancel", SMTPC_PLAIN, 0, "*\r\n" },
};

int
main(void)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(firsts) / sizeof(firsts[0]); i++) {
		smtpc_auth_first(firsts[i].m, firsts[i].user,
		    firsts[i].secret, "server.example.com", 587, &b);
		T_STR(buf_str(&b), firsts[i].want, "%s", firsts[i].label);
		smtpc_auth_wipe(&b);
	}
	for (i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		smtpc_auth_answer(answers[i].m, answers[i].step, "alice",
		    "p\xc3\xa4ss", &b);
		T_STR(buf_str(&b), answers[i].want, "%s", answers[i].label);
		smtpc_auth_wipe(&b);
	}
	T_OK(smtpc_auth_bearer(SMTPC_XOAUTH2) &&
	    smtpc_auth_bearer(SMTPC_OAUTHBEARER) &&
	    !smtpc_auth_bearer(SMTPC_PLAIN) && !smtpc_auth_bearer(SMTPC_LOGIN),
	    "which mechanisms take a token");
	return t_done();
}
