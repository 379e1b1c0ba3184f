/*
 * Our own low layer under libetpan's IMAP stream: the TCP connection and,
 * for TLS, a GnuTLS session on it, waiting with poll() only. libetpan
 * 1.9.4's socket and TLS drivers wait with select(), which aborts the
 * process (_FORTIFY_SOURCE) on a descriptor >= 1024 (LIBS.md section 1);
 * with this layer the descriptor number has no limit.
 *
 * Every wait (connect, handshake, each read or write) ends after the
 * timeout given at connect; that is an inactivity timeout, as libetpan's.
 * End of file is a read error: libetpan 1.9.4 spins at 100% CPU when the
 * server closes inside a literal and the read returns 0 (seen with a
 * proxy cutting a UID FETCH). Writes never raise SIGPIPE.
 *
 * The TLS handshake does not check the certificate: the caller checks the
 * chain (mailstream_get_certificate_chain(), DER, leaf first) with
 * tls_trust_verify() before sending a password, as before.
 */
#ifndef LG_IMAP_STREAM_H
#define LG_IMAP_STREAM_H

#include <libetpan/libetpan.h>

#include "util/err.h"

/*
 * Connect to host:port (each address in turn) within timeout seconds;
 * *out is a plain stream for mailimap_connect(). LG_ETEMP on failure.
 */
int imap_stream_connect(const char *host, int port, int timeout,
    mailstream **out, struct err *e);
/*
 * Start TLS on a stream of ours: right after connecting (implicit TLS)
 * or after the server's OK to STARTTLS. sni is the server name to send,
 * or NULL (a literal address gets none). LG_ETEMP when the handshake
 * fails or times out.
 */
int imap_stream_tls(mailstream *s, const char *sni, struct err *e);
/* 1 when the server closed the connection (a stream of ours). */
int imap_stream_closed(mailstream *s);
/* 1 when bytes are read already but not yet taken, so poll() misses them. */
int imap_stream_pending(mailstream *s);

#endif
