/*
 * The mechanisms' texts. Base64 by OpenSSL (already linked for TLS).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "util/xmalloc.h"
#include "spool/smtpc_auth.h"

static const struct {
	const char *name;
	int bearer;
} smtpc_mechs[] = {
	[SMTPC_PLAIN] = { "PLAIN", 0 },
	[SMTPC_LOGIN] = { "LOGIN", 0 },
	[SMTPC_XOAUTH2] = { "XOAUTH2", 1 },
	[SMTPC_OAUTHBEARER] = { "OAUTHBEARER", 1 },
};

const char *
smtpc_auth_name(enum smtpc_mech m)
{
	return smtpc_mechs[m].name;
}

int
smtpc_auth_bearer(enum smtpc_mech m)
{
	return smtpc_mechs[m].bearer;
}

/* base64 of raw appended to out; raw is wiped and freed. */
static void
auth_b64(struct buf *raw, struct buf *out)
{
	size_t n = 4 * ((raw->len + 2) / 3) + 1;

	buf_reserve(out, n);
	EVP_EncodeBlock((unsigned char *)out->data + out->len,
	    (const unsigned char *)(raw->data ? raw->data : ""),
	    (int)raw->len);
	out->len += n - 1;
	out->data[out->len] = '\0';
	smtpc_auth_wipe(raw);
}

static void
auth_b64s(const char *s, struct buf *out)
{
	struct buf raw = BUF_INIT;

	buf_reserve(&raw, strlen(s));
	buf_adds(&raw, s);
	auth_b64(&raw, out);
}

/* The initial response of m, unencoded, into raw. */
static void
auth_initial(enum smtpc_mech m, const char *user, const char *secret,
    const char *host, int port, struct buf *raw)
{
	/* One allocation: a realloc would leave a copy of the secret. */
	buf_reserve(raw, 64 + strlen(user) + strlen(secret) + strlen(host));
	switch (m) {
	case SMTPC_PLAIN:
		/* No authorization identity: the server derives it. */
		buf_addc(raw, '\0');
		buf_adds(raw, user);
		buf_addc(raw, '\0');
		buf_adds(raw, secret);
		break;
	case SMTPC_XOAUTH2:
		buf_printf(raw, "user=%s\001auth=Bearer %s\001\001", user,
		    secret);
		break;
	case SMTPC_OAUTHBEARER:
		/* RFC 7628 3.1: gs2 header, then key=value pairs. */
		buf_printf(raw, "n,a=%s,\001host=%s\001port=%d\001"
		    "auth=Bearer %s\001\001", user, host, port, secret);
		break;
	default:
		break;
	}
}

void
smtpc_auth_first(enum smtpc_mech m, const char *user, const char *secret,
    const char *host, int port, struct buf *out)
{
	struct buf raw = BUF_INIT;

	buf_reserve(out, 128 + 2 * (strlen(user) + strlen(secret) +
	    strlen(host)));
	buf_printf(out, "AUTH %s", smtpc_mechs[m].name);
	if (m != SMTPC_LOGIN) {
		auth_initial(m, user, secret, host, port, &raw);
		buf_addc(out, ' ');
		auth_b64(&raw, out);
	}
	buf_adds(out, "\r\n");
}

void
smtpc_auth_answer(enum smtpc_mech m, int step, const char *user,
    const char *secret, struct buf *out)
{
	switch (m) {
	case SMTPC_LOGIN:
		if (step == 0)
			auth_b64s(user, out);
		else if (step == 1)
			auth_b64s(secret, out);
		else
			buf_addc(out, '*');	/* cancel (RFC 4954 4) */
		break;
	case SMTPC_XOAUTH2:
		break;			/* an empty line */
	case SMTPC_OAUTHBEARER:
		auth_b64s("\001", out);	/* RFC 7628 3.2.3 */
		break;
	default:
		buf_addc(out, '*');
		break;
	}
	buf_adds(out, "\r\n");
}

void
smtpc_auth_wipe(struct buf *b)
{
	if (b->data != NULL)
		explicit_bzero(b->data, b->cap);
	buf_free(b);
}
