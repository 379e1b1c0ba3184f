/*
 * Non-blocking socket + poll(), with OpenSSL on top after STARTTLS. The
 * timeout counts from the last progress, so a long message keeps going
 * as long as the peer takes bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

#include "util/xmalloc.h"
#include "spool/smtpc_conn.h"

#define CONN_RBUF 16384

struct smtpc_conn {
	int fd;
	SSL *ssl;
	int timeout_ms;
	char rbuf[CONN_RBUF];
	size_t rpos, rlen;
};

static int
conn_fail(enum smtpc_conn_fail *why, enum smtpc_conn_fail f, struct err *e,
    const char *msg)
{
	*why = f;
	return err_set(e, LG_ETEMP, "%s", msg);
}

/* Wait for events on fd; 1 ready, 0 timed out, -1 error (errno). */
static int
conn_wait(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n;

	do {
		n = poll(&p, 1, timeout_ms);
	} while (n < 0 && errno == EINTR);
	return n;
}

static int
conn_try(const struct addrinfo *ai, int timeout_ms, int *err)
{
	socklen_t sl = sizeof(*err);
	int fd, n;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		*err = errno;
		close(fd);
		return -1;
	}
	n = conn_wait(fd, POLLOUT, timeout_ms);
	if (n == 0)
		*err = ETIMEDOUT;
	else if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, err, &sl) < 0)
		*err = errno;
	if (n > 0 && *err == 0)
		return fd;
	close(fd);
	return -1;
}

int
smtpc_conn_open(const char *host, int port, int timeout_s,
    struct smtpc_conn **out, enum smtpc_conn_fail *why, struct err *e)
{
	struct addrinfo hints, *res, *ai;
	char service[16];
	int fd = -1, rc, err = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(service, sizeof(service), "%d", port);
	if ((rc = getaddrinfo(host, service, &hints, &res)) != 0)
		return conn_fail(why, SMTPC_CONN_REFUSED, e,
		    gai_strerror(rc));
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next)
		fd = conn_try(ai, timeout_s * 1000, &err);
	freeaddrinfo(res);
	if (fd < 0)
		return conn_fail(why, err == ETIMEDOUT ? SMTPC_CONN_TIMEOUT :
		    SMTPC_CONN_REFUSED, e, strerror(err));
	*out = xcalloc(1, sizeof(**out));
	(*out)->fd = fd;
	(*out)->timeout_ms = timeout_s * 1000;
	*why = SMTPC_CONN_OK;
	return LG_OK;
}

void
smtpc_conn_free(struct smtpc_conn *c)
{
	if (c == NULL)
		return;
	if (c->ssl != NULL) {
		/* No close_notify: the session is over either way. */
		SSL_set_quiet_shutdown(c->ssl, 1);
		SSL_free(c->ssl);
	}
	close(c->fd);
	free(c);
}

int
smtpc_conn_fd(const struct smtpc_conn *c)
{
	return c->fd;
}

const char *
smtpc_conn_cipher(const struct smtpc_conn *c)
{
	return c->ssl != NULL ? SSL_get_cipher(c->ssl) : "";
}

int
smtpc_conn_pending(const struct smtpc_conn *c)
{
	return c->rpos < c->rlen;
}

/*
 * What an OpenSSL call that returned r wants: 1 wait (events set), 0
 * closed, -1 failed.
 */
static int
conn_ssl_want(struct smtpc_conn *c, int r, short *events)
{
	switch (SSL_get_error(c->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		*events = POLLIN;
		return 1;
	case SSL_ERROR_WANT_WRITE:
		*events = POLLOUT;
		return 1;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		return ERR_peek_error() == 0 ? 0 : -1;
	default:
		return -1;
	}
}

static const char *
conn_ssl_reason(void)
{
	const char *r = ERR_reason_error_string(ERR_peek_error());

	return r != NULL ? r : "no reason";
}

int
smtpc_conn_starttls(struct smtpc_conn *c, SSL_CTX *ctx, const char *sni,
    enum smtpc_conn_fail *why, struct err *e)
{
	short events;
	int r, w;

	if ((c->ssl = SSL_new(ctx)) == NULL || SSL_set_fd(c->ssl, c->fd) != 1)
		return conn_fail(why, SMTPC_CONN_TLS, e,
		    conn_ssl_reason());
	SSL_set_mode(c->ssl, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (sni != NULL)
		SSL_set_tlsext_host_name(c->ssl, sni);
	while ((r = SSL_connect(c->ssl)) != 1) {
		if ((w = conn_ssl_want(c, r, &events)) <= 0)
			return conn_fail(why, SMTPC_CONN_TLS, e, w == 0 ?
			    "the server closed the connection" :
			    conn_ssl_reason());
		if ((w = conn_wait(c->fd, events, c->timeout_ms)) <= 0)
			return conn_fail(why, w == 0 ? SMTPC_CONN_TIMEOUT :
			    SMTPC_CONN_CLOSED, e, w == 0 ? "timed out" :
			    strerror(errno));
	}
	*why = SMTPC_CONN_OK;
	return LG_OK;
}

/* One read or write step: >0 bytes, or fail. */
static int
conn_io(struct smtpc_conn *c, int writing, void *buf, size_t len,
    enum smtpc_conn_fail *why, struct err *e)
{
	short events = writing ? POLLOUT : POLLIN;
	ssize_t n;
	int w;

	for (;;) {
		if (c->ssl != NULL) {
			ERR_clear_error();
			n = writing ? SSL_write(c->ssl, buf, (int)len) :
			    SSL_read(c->ssl, buf, (int)len);
			if (n > 0)
				return (int)n;
			if ((w = conn_ssl_want(c, (int)n, &events)) == 0)
				return conn_fail(why, SMTPC_CONN_CLOSED, e,
				    "SMTP server dropped connection");
			if (w < 0)
				return conn_fail(why, SMTPC_CONN_TLS, e,
				    conn_ssl_reason());
		} else {
			n = writing ? send(c->fd, buf, len, MSG_NOSIGNAL) :
			    recv(c->fd, buf, len, 0);
			if (n > 0)
				return (int)n;
			if (n == 0 || (errno != EAGAIN && errno != EINTR))
				return conn_fail(why, SMTPC_CONN_CLOSED, e,
				    "SMTP server dropped connection");
			events = writing ? POLLOUT : POLLIN;
		}
		if ((w = conn_wait(c->fd, events, c->timeout_ms)) == 0)
			return conn_fail(why, SMTPC_CONN_TIMEOUT, e,
			    "timed out");
		if (w < 0)
			return conn_fail(why, SMTPC_CONN_CLOSED, e,
			    strerror(errno));
	}
}

int
smtpc_conn_write(struct smtpc_conn *c, const void *buf, size_t len,
    enum smtpc_conn_fail *why, struct err *e)
{
	const char *p = buf;
	size_t chunk;
	int n;

	while (len > 0) {
		chunk = len > (1u << 30) ? (1u << 30) : len;
		if ((n = conn_io(c, 1, (void *)p, chunk, why, e)) < 0)
			return n;
		p += n;
		len -= (size_t)n;
	}
	*why = SMTPC_CONN_OK;
	return LG_OK;
}

int
smtpc_conn_line(struct smtpc_conn *c, char *line, size_t len,
    enum smtpc_conn_fail *why, struct err *e)
{
	size_t got = 0;
	char ch;
	int n;

	for (;;) {
		if (c->rpos == c->rlen) {
			if ((n = conn_io(c, 0, c->rbuf, sizeof(c->rbuf), why,
			    e)) < 0)
				return n;
			c->rpos = 0;
			c->rlen = (size_t)n;
		}
		ch = c->rbuf[c->rpos++];
		if (ch == '\n')
			break;
		if (got + 1 < len)
			line[got++] = ch;
	}
	if (got > 0 && line[got - 1] == '\r')
		got--;
	line[got] = '\0';
	*why = SMTPC_CONN_OK;
	return LG_OK;
}
