#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "connectors/imap_oauth.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* Our own tag: libetpan's counter is left alone for its commands. */
#define TAG "LGAUTH"

static const char *const mechs[] = {
	[IMAP_AUTH_XOAUTH2] = "XOAUTH2",
	[IMAP_AUTH_OAUTHBEARER] = "OAUTHBEARER",
};

static void
b64(struct buf *out, const unsigned char *p, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t v;
	size_t i;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		buf_addc(out, abc[v >> 18 & 63]);
		buf_addc(out, abc[v >> 12 & 63]);
		buf_addc(out, i + 1 < n ? abc[v >> 6 & 63] : '=');
		buf_addc(out, i + 2 < n ? abc[v & 63] : '=');
	}
}

static void
wipe(struct buf *b)
{
	if (b->data != NULL)
		explicit_bzero(b->data, b->len);
	buf_free(b);
}

/* RFC 7628 3.1: in the gs2 authzid, ',' is =2C and '=' is =3D. */
static void
gs2_name(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == ',')
			buf_adds(b, "=2C");
		else if (*s == '=')
			buf_adds(b, "=3D");
		else
			buf_addc(b, *s);
	}
}

/* The initial client response, base64. */
static void
initial_response(const struct imap_config *c, const char *token,
    struct buf *out)
{
	struct buf raw = BUF_INIT;

	if (c->auth == IMAP_AUTH_XOAUTH2) {
		buf_printf(&raw, "user=%s\001auth=Bearer %s\001\001", c->user,
		    token);
	} else {
		buf_adds(&raw, "n,a=");
		gs2_name(&raw, c->user);
		buf_printf(&raw, ",\001host=%s\001port=%d\001auth=Bearer "
		    "%s\001\001", c->host, c->port, token);
	}
	b64(out, (const unsigned char *)raw.data, raw.len);
	wipe(&raw);
}

static int
send_line(mailimap *imap, const char *s, size_t n)
{
	mailstream *st = imap->imap_stream;
	int rc = 0;

	if (mailstream_write(st, s, n) < 0 || mailstream_write(st, "\r\n",
	    2) < 0 || mailstream_flush(st) < 0)
		rc = -1;
	/* The token passed through the stream's buffer: leave none there. */
	if (st->write_buffer != NULL)
		explicit_bzero(st->write_buffer, st->buffer_max_size);
	return rc;
}

static void
said_copy(const char *line, char *said, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len && line[i]; i++)
		said[i] = (unsigned char)line[i] < 0x20 ? '?' : line[i];
	said[i] = '\0';
}

static enum imap_oauth_result
net_fail(const struct imap_config *c, const char *what, struct err *e)
{
	err_set(e, LG_ETEMP, "%s:%d: AUTHENTICATE %s: %s", c->host, c->port,
	    mechs[c->auth], what);
	return IMAP_OAUTH_FAILED;
}

/* Lines until our tagged answer; the error challenge gets an empty line. */
static enum imap_oauth_result
exchange(mailimap *imap, const struct imap_config *c, struct buf *ir,
    int sent, char *said, size_t saidlen, struct err *e)
{
	MMAPString *m = mmap_string_new("");
	enum imap_oauth_result res = IMAP_OAUTH_FAILED;
	char *line;

	for (;;) {
		if ((line = mailstream_read_line_remove_eol(imap->imap_stream,
		    m)) == NULL) {
			res = net_fail(c, "connection lost or timed out", e);
			break;
		}
		if (line[0] == '*')
			continue;
		if (line[0] == '+') {
			/* Our response, or the answer to an error challenge. */
			if (send_line(imap, sent ? "" : ir->data, sent ? 0 :
			    ir->len) != 0) {
				res = net_fail(c, "cannot send", e);
				break;
			}
			sent = 1;
			continue;
		}
		if (strncmp(line, TAG " ", sizeof(TAG)) != 0)
			continue;
		said_copy(line + sizeof(TAG), said, saidlen);
		if (strncasecmp(line + sizeof(TAG), "OK", 2) == 0) {
			imap->imap_state = MAILIMAP_STATE_AUTHENTICATED;
			res = IMAP_OAUTH_OK;
		} else if (strncasecmp(line + sizeof(TAG), "NO", 2) == 0)
			res = IMAP_OAUTH_REFUSED;
		else
			err_set(e, LG_EPERM, "%s:%d: AUTHENTICATE %s: %s",
			    c->host, c->port, mechs[c->auth], said);
		break;
	}
	mmap_string_free(m);
	return res;
}

enum imap_oauth_result
imap_oauth_authenticate(mailimap *imap, const struct imap_config *c,
    const char *token, char *said, size_t saidlen, struct err *e)
{
	struct mailimap_capability_data *cap = NULL;
	struct buf cmd = BUF_INIT, ir = BUF_INIT;
	enum imap_oauth_result res;
	int sasl_ir;

	said[0] = '\0';
	if (mailimap_capability(imap, &cap) != MAILIMAP_NO_ERROR)
		return net_fail(c, "CAPABILITY failed", e);
	mailimap_capability_data_free(cap);
	if (!mailimap_has_authentication(imap, mechs[c->auth])) {
		err_set(e, LG_EPERM, "%s:%d: the server does not offer "
		    "AUTH=%s (auth = \"%s\")", c->host, c->port, mechs[c->auth],
		    c->auth == IMAP_AUTH_XOAUTH2 ? "xoauth2" : "oauthbearer");
		return IMAP_OAUTH_FAILED;
	}
	sasl_ir = mailimap_has_extension(imap, "SASL-IR");
	initial_response(c, token, &ir);
	buf_printf(&cmd, TAG " AUTHENTICATE %s", mechs[c->auth]);
	if (sasl_ir)
		buf_printf(&cmd, " %s", ir.data);
	if (send_line(imap, cmd.data, cmd.len) != 0)
		res = net_fail(c, "cannot send", e);
	else
		res = exchange(imap, c, &ir, sasl_ir, said, saidlen, e);
	wipe(&cmd);
	wipe(&ir);
	return res;
}
