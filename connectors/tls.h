/*
 * Certificate verification for the TLS that libetpan sets up. Debian's
 * libetpan (GnuTLS build) completes any handshake without checking the
 * peer: the IMAP connector hands the chain it got to tls_trust_verify()
 * right after the handshake and before sending a password.
 */
#ifndef LG_TLS_H
#define LG_TLS_H

#include <stddef.h>

#include "util/err.h"

struct tls_trust;

/* One certificate of a peer's chain, DER encoded, leaf first. */
struct tls_der {
	const unsigned char *data;
	size_t len;
};

/*
 * Trust the certificates in ca_file (PEM), or the system store when
 * ca_file is NULL or "". LG_EPERM when the file is unreadable or holds
 * no certificate.
 */
int tls_trust_new(const char *ca_file, struct tls_trust **out, struct err *e);
void tls_trust_free(struct tls_trust *t);
/* What the trust is built from, for messages ("ca.pem", "system store"). */
const char *tls_trust_name(const struct tls_trust *t);
/*
 * Check chain (leaf first) against the trust, the host name (a DNS name
 * or a literal IP address) and the TLS server purpose. LG_EPERM with
 * GnuTLS's account of every problem when it does not hold.
 */
int tls_trust_verify(const struct tls_trust *t, const struct tls_der *chain,
    size_t n, const char *host, struct err *e);

#endif
