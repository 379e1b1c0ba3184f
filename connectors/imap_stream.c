#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "connectors/imap_stream.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define MOD "imap"
/* What libetpan's own socket stream buffers. */
#define STREAM_BUFFER 8192

struct imap_stream {
	int fd;
	int timeout_ms;		/* each wait; inactivity, not a deadline */
	int eof;		/* the server closed the connection */
	gnutls_session_t tls;	/* NULL: plain */
	gnutls_certificate_credentials_t cred;
};

static mailstream_low_driver imap_stream_driver;

static int64_t
imap_stream_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until fd is ready for events; 0, or -1 on timeout or error. */
static int
imap_stream_wait(const struct imap_stream *st, short events)
{
	int64_t until = imap_stream_now_ms() + st->timeout_ms, left;
	struct pollfd pfd;
	int r;

	pfd.fd = st->fd;
	pfd.events = events;
	for (;;) {
		if ((left = until - imap_stream_now_ms()) <= 0)
			return -1;
		pfd.revents = 0;
		r = poll(&pfd, 1, (int)left);
		if (r > 0)
			return 0;	/* ready, or an error the call reports */
		if (r == 0 || errno != EINTR)
			return -1;
	}
}

/* GnuTLS says which way it is blocked. */
static short
imap_stream_tls_events(const struct imap_stream *st)
{
	return gnutls_record_get_direction(st->tls) ? POLLOUT : POLLIN;
}

static ssize_t
imap_stream_read_tls(struct imap_stream *st, void *buf, size_t count)
{
	ssize_t r;

	for (;;) {
		r = gnutls_record_recv(st->tls, buf, count);
		if (r >= 0)
			return r;
		if (r == GNUTLS_E_INTERRUPTED)
			continue;
		if (r != GNUTLS_E_AGAIN)
			return r == GNUTLS_E_PREMATURE_TERMINATION ? 0 : -1;
		if (imap_stream_wait(st, imap_stream_tls_events(st)) != 0)
			return -1;
	}
}

static ssize_t
imap_stream_read_plain(struct imap_stream *st, void *buf, size_t count)
{
	ssize_t r;

	for (;;) {
		r = recv(st->fd, buf, count, 0);
		if (r >= 0)
			return r;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (imap_stream_wait(st, POLLIN) != 0)
			return -1;
	}
}

static ssize_t
imap_stream_read(mailstream_low *s, void *buf, size_t count)
{
	struct imap_stream *st = s->data;
	ssize_t r;

	if (count == 0)
		return 0;
	r = st->tls ? imap_stream_read_tls(st, buf, count) :
	    imap_stream_read_plain(st, buf, count);
	/* End of file is never an answer an IMAP client waits for. */
	if (r == 0) {
		st->eof = 1;
		return -1;
	}
	return r;
}

static ssize_t
imap_stream_write(mailstream_low *s, const void *buf, size_t count)
{
	struct imap_stream *st = s->data;
	ssize_t r;

	for (;;) {
		if (st->tls)
			r = gnutls_record_send(st->tls, buf, count);
		else
			r = send(st->fd, buf, count, MSG_NOSIGNAL);
		if (r >= 0)
			return r;
		if (st->tls && r == GNUTLS_E_INTERRUPTED)
			continue;
		if (!st->tls && errno == EINTR)
			continue;
		if (st->tls ? r != GNUTLS_E_AGAIN :
		    errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		/* GnuTLS: the same call again once the socket takes more. */
		if (imap_stream_wait(st, st->tls ? imap_stream_tls_events(st) :
		    POLLOUT) != 0)
			return -1;
	}
}

static int
imap_stream_close(mailstream_low *s)
{
	struct imap_stream *st = s->data;

	if (st->fd >= 0) {
		close(st->fd);
		st->fd = -1;
	}
	return 0;
}

static int
imap_stream_get_fd(mailstream_low *s)
{
	return ((struct imap_stream *)s->data)->fd;
}

static void
imap_stream_free(mailstream_low *s)
{
	struct imap_stream *st = s->data;

	if (st->tls != NULL)
		gnutls_deinit(st->tls);
	if (st->cred != NULL)
		gnutls_certificate_free_credentials(st->cred);
	if (st->fd >= 0)
		close(st->fd);
	free(st);
	free(s);
}

static void
imap_stream_cancel(mailstream_low *s)
{
	(void)s;
}

static struct mailstream_cancel *
imap_stream_get_cancel(mailstream_low *s)
{
	(void)s;
	return NULL;
}

/* The peer's chain, DER, leaf first, as libetpan hands it out. */
static carray *
imap_stream_chain(mailstream_low *s)
{
	struct imap_stream *st = s->data;
	const gnutls_datum_t *certs;
	unsigned int i, n = 0;
	MMAPString *m;
	carray *ch;

	if (st->tls == NULL ||
	    (certs = gnutls_certificate_get_peers(st->tls, &n)) == NULL ||
	    n == 0)
		return NULL;
	if ((ch = carray_new(n)) == NULL)
		log_fatalx(MOD, "out of memory for a certificate chain");
	for (i = 0; i < n; i++) {
		m = mmap_string_new_len((const char *)certs[i].data,
		    certs[i].size);
		if (m == NULL || carray_add(ch, m, NULL) != 0)
			log_fatalx(MOD, "out of memory for a certificate chain");
	}
	return ch;
}

/* libetpan's own idle waiting is not used (imap_session polls the fd). */
static int
imap_stream_no_idle(mailstream_low *s)
{
	(void)s;
	return -1;
}

static mailstream_low_driver imap_stream_driver = {
	.mailstream_read = imap_stream_read,
	.mailstream_write = imap_stream_write,
	.mailstream_close = imap_stream_close,
	.mailstream_get_fd = imap_stream_get_fd,
	.mailstream_free = imap_stream_free,
	.mailstream_cancel = imap_stream_cancel,
	.mailstream_get_cancel = imap_stream_get_cancel,
	.mailstream_get_certificate_chain = imap_stream_chain,
	.mailstream_setup_idle = imap_stream_no_idle,
	.mailstream_unsetup_idle = imap_stream_no_idle,
	.mailstream_interrupt_idle = imap_stream_no_idle,
};

static struct imap_stream *
imap_stream_of(mailstream *s)
{
	mailstream_low *low = s ? mailstream_get_low(s) : NULL;

	return low != NULL && low->driver == &imap_stream_driver ? low->data :
	    NULL;
}

/* One address: a non-blocking socket connected within the timeout. */
static int
imap_stream_dial(const struct addrinfo *ai, int timeout_ms, int *err)
{
	struct imap_stream probe;
	socklen_t len = sizeof(*err);
	int fd;

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
	probe.fd = fd;
	probe.timeout_ms = timeout_ms;
	if (imap_stream_wait(&probe, POLLOUT) != 0) {
		*err = ETIMEDOUT;
		close(fd);
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, err, &len) != 0)
		*err = errno;
	if (*err != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
imap_stream_connect(const char *host, int port, int timeout,
    mailstream **out, struct err *e)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct imap_stream *st;
	mailstream_low *low;
	char serv[16];
	int fd = -1, err = 0, r;

	*out = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(serv, sizeof(serv), "%d", port);
	if ((r = getaddrinfo(host, serv, &hints, &res)) != 0)
		return err_set(e, LG_ETEMP, "%s:%d: cannot resolve: %s", host,
		    port, gai_strerror(r));
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next)
		fd = imap_stream_dial(ai, timeout * 1000, &err);
	freeaddrinfo(res);
	if (fd < 0)
		return err_set(e, LG_ETEMP, "%s:%d: cannot connect: %s", host,
		    port, strerror(err));
	st = xcalloc(1, sizeof(*st));
	st->fd = fd;
	st->timeout_ms = timeout * 1000;
	if ((low = mailstream_low_new(st, &imap_stream_driver)) == NULL)
		log_fatalx(MOD, "out of memory for a stream");
	mailstream_low_set_timeout(low, (time_t)timeout);
	if ((*out = mailstream_new(low, STREAM_BUFFER)) == NULL)
		log_fatalx(MOD, "out of memory for a stream");
	return LG_OK;
}

static int
imap_stream_handshake(struct imap_stream *st)
{
	int r;

	for (;;) {
		r = gnutls_handshake(st->tls);
		if (r == GNUTLS_E_SUCCESS)
			return 0;
		if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED &&
		    gnutls_error_is_fatal(r))
			return r;
		if (imap_stream_wait(st, imap_stream_tls_events(st)) != 0)
			return GNUTLS_E_TIMEDOUT;
	}
}

/* SNI is for names only (RFC 6066): not for a literal address. */
static int
imap_stream_is_address(const char *host)
{
	unsigned char addr[16];

	return inet_pton(AF_INET, host, addr) == 1 ||
	    inet_pton(AF_INET6, host, addr) == 1;
}

int
imap_stream_tls(mailstream *s, const char *sni, struct err *e)
{
	struct imap_stream *st = imap_stream_of(s);
	int r;

	if (st == NULL || st->tls != NULL)
		return err_set(e, LG_EINTERNAL, "TLS on a stream that is not "
		    "ours or already encrypted");
	if (gnutls_certificate_allocate_credentials(&st->cred) < 0 ||
	    gnutls_init(&st->tls, GNUTLS_CLIENT | GNUTLS_NONBLOCK) < 0)
		log_fatalx(MOD, "out of memory for a TLS session");
	if ((r = gnutls_set_default_priority(st->tls)) < 0 ||
	    (r = gnutls_credentials_set(st->tls, GNUTLS_CRD_CERTIFICATE,
	    st->cred)) < 0)
		return err_set(e, LG_ETEMP, "TLS set-up: %s",
		    gnutls_strerror(r));
	if (sni != NULL && *sni != '\0' && !imap_stream_is_address(sni) &&
	    (r = gnutls_server_name_set(st->tls, GNUTLS_NAME_DNS, sni,
	    strlen(sni))) < 0)
		return err_set(e, LG_ETEMP, "TLS server name: %s",
		    gnutls_strerror(r));
	gnutls_transport_set_int(st->tls, st->fd);
	if ((r = imap_stream_handshake(st)) != 0)
		return err_set(e, LG_ETEMP, "TLS handshake failed: %s",
		    gnutls_strerror(r));
	return LG_OK;
}

int
imap_stream_closed(mailstream *s)
{
	struct imap_stream *st = imap_stream_of(s);

	return st != NULL && st->eof;
}

int
imap_stream_pending(mailstream *s)
{
	struct imap_stream *st = imap_stream_of(s);

	if (s != NULL && s->read_buffer_len > 0)
		return 1;
	return st != NULL && st->tls != NULL &&
	    gnutls_record_check_pending(st->tls) > 0;
}
