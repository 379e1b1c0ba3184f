/*
 * The SMTP client's connection: a non-blocking TCP socket waited on with
 * poll() (never select(): no limit on descriptor numbers), optionally
 * wrapped in TLS by OpenSSL. Every connect, read and write waits at most
 * the timeout given to smtpc_conn_open() for progress. Internal to
 * spool/smtpc*.c.
 */
#ifndef LG_SMTPC_CONN_H
#define LG_SMTPC_CONN_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "util/err.h"

/* How a call failed, beyond its message. */
enum smtpc_conn_fail {
	SMTPC_CONN_OK = 0,
	SMTPC_CONN_REFUSED,	/* no connection could be made */
	SMTPC_CONN_CLOSED,	/* the peer closed or reset it */
	SMTPC_CONN_TIMEOUT,	/* no progress within the timeout */
	SMTPC_CONN_TLS,		/* the TLS handshake or a TLS record failed */
};

struct smtpc_conn;

/*
 * Connect to host (a name, an IPv4 or an IPv6 literal) and port, trying
 * each address in turn. LG_ETEMP with e set and *why telling which.
 */
int smtpc_conn_open(const char *host, int port, int timeout_s,
    struct smtpc_conn **out, enum smtpc_conn_fail *why, struct err *e);
void smtpc_conn_free(struct smtpc_conn *c);

/*
 * Start TLS on the connection (nothing may be buffered unread: a reply
 * sent before the handshake would be a STARTTLS injection). sni is the
 * server name to send, NULL for none.
 */
int smtpc_conn_starttls(struct smtpc_conn *c, SSL_CTX *ctx, const char *sni,
    enum smtpc_conn_fail *why, struct err *e);
/* The socket, for socket options. */
int smtpc_conn_fd(const struct smtpc_conn *c);
/* The TLS cipher in use, "" before STARTTLS. */
const char *smtpc_conn_cipher(const struct smtpc_conn *c);
/* Whether bytes have arrived that nobody read yet. */
int smtpc_conn_pending(const struct smtpc_conn *c);

/* Write all of buf. */
int smtpc_conn_write(struct smtpc_conn *c, const void *buf, size_t len,
    enum smtpc_conn_fail *why, struct err *e);
/*
 * One line without its CRLF into line (NUL-terminated, cut at len - 1
 * bytes; the rest of a longer line is read and dropped).
 */
int smtpc_conn_line(struct smtpc_conn *c, char *line, size_t len,
    enum smtpc_conn_fail *why, struct err *e);

#endif
