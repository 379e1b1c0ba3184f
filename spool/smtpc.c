/*
 * The session: greeting, EHLO (HELO only when EHLO is refused),
 * STARTTLS, AUTH, then the messages and QUIT. With PIPELINING (RFC 2920)
 * a message's MAIL, RCPT and DATA go out in one write, and its content,
 * the final "." and the next message's MAIL, RCPT and DATA (or QUIT) in
 * the next: one round trip a message. Without it, one command at a time.
 *
 * The replies come back in the order the commands went out, so the
 * commands awaiting one sit in a FIFO (struct pend) and each reply is
 * judged by the command at its head.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "core/oauth_conf.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/oauth.h"
#include "util/secret.h"
#include "util/xmalloc.h"
#include "spool/smtpc.h"
#include "spool/smtpc_auth.h"
#include "spool/smtpc_conn.h"

#define MOD "smtp"
#define SMTPC_REPLY_MAX 300
#define SMTPC_LINE_MAX 1024	/* a reply line; longer ones are cut */
#define SMTPC_TOKEN_MAX 8192
#define SMTPC_PEND_MAX 16	/* commands awaiting a reply, at most 8 */

enum smtpc_tls_mode { TLS_OFF, TLS_WHEN_OFFERED, TLS_REQUIRED };

/* smtp.auth */
enum smtpc_auth_mode { AUTH_PASSWORD, AUTH_XOAUTH2, AUTH_OAUTHBEARER };

struct smtpc {
	char server[300];	/* "host:port", "[v6]:port" */
	char *host;
	int port;
	char *helo;
	char *user;		/* NULL: no AUTH */
	enum smtpc_auth_mode auth;
	char *password;		/* secret_free(); password mode only */
	char *token_file;	/* an access token in a file or variable */
	char *token_env;
	struct smtpc_bearer bearer;
	struct oauth *oauth;	/* smtp.oauth's grant, or NULL */
	enum smtpc_tls_mode starttls;
	int tls_for_auth;	/* when-offered made required by the password */
	int verify;
	int ip_host;		/* host is an address literal: no SNI */
	SSL_CTX *tls;		/* NULL when STARTTLS is off */
	int timeout_s;
};

/* EHLO keywords we act on. */
enum {
	EXT_PIPELINING = 1 << 0,
	EXT_STARTTLS = 1 << 1,
	EXT_AUTH = 1 << 2,
	EXT_SIZE = 1 << 3,
	EXT_8BITMIME = 1 << 4,
	EXT_ENHANCED = 1 << 5,
};

enum smtpc_cmd { CMD_MAIL, CMD_RCPT, CMD_DATA, CMD_EOD, CMD_RSET, CMD_QUIT };

struct pend {
	enum smtpc_cmd cmd;
	size_t idx;		/* the message it is for */
};

struct sess_msg {
	char *data;
	size_t len;
	int mail_ok;		/* MAIL took: a transaction is open */
};

struct sess {
	struct smtpc *c;
	const struct smtpc_hooks *h;
	struct smtpc_msg *msgs;
	struct sess_msg *sm;
	size_t n;
	struct smtpc_conn *conn;
	unsigned ext;
	char mechs[256];	/* " PLAIN LOGIN ", from EHLO */
	long size_max;		/* SIZE, 0: none given */
	struct pend q[SMTPC_PEND_MAX];
	size_t qh, qn;
	struct buf out;		/* the group being built */
	int alive;		/* the connection may still carry QUIT */
	int stopped;		/* a message could not be loaded */
	int code;		/* of the last reply */
	char reply[SMTPC_REPLY_MAX];	/* its first line, clean */
	char last[SMTPC_REPLY_MAX];	/* the last line read */
	char why[ERR_MSGLEN];	/* why the session failed as a whole */
};

/* Why OpenSSL refused the peer, from the verify callback of this thread. */
static _Thread_local char smtpc_cert_why[256];

static const struct {
	const char *name;
	enum smtpc_tls_mode how;
} smtpc_starttls_modes[] = {
	{ "off", TLS_OFF },
	{ "when-offered", TLS_WHEN_OFFERED },
	{ "required", TLS_REQUIRED },
};

static const struct {
	const char *name;
	enum smtpc_auth_mode how;
} smtpc_auth_modes[] = {
	{ "password", AUTH_PASSWORD },
	{ "xoauth2", AUTH_XOAUTH2 },
	{ "oauthbearer", AUTH_OAUTHBEARER },
};

static int
smtpc_ssl_fail(const char *what, const char *arg, struct err *e)
{
	char buf[256];

	ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
	return err_set(e, LG_EPERM, "%s%s%s: %s", what, arg ? " " : "",
	    arg ? arg : "", buf);
}

static int
smtpc_verify_cb(int ok, X509_STORE_CTX *x)
{
	X509 *cert = X509_STORE_CTX_get_current_cert(x);
	char subject[128] = "";

	if (!ok && smtpc_cert_why[0] == '\0') {
		if (cert != NULL)
			X509_NAME_oneline(X509_get_subject_name(cert), subject,
			    sizeof(subject));
		snprintf(smtpc_cert_why, sizeof(smtpc_cert_why), "%s (%s)",
		    X509_verify_cert_error_string(X509_STORE_CTX_get_error(x)),
		    subject);
	}
	return ok;
}

/* Trust ca_file (else the system store) and check the name in the handshake. */
static int
smtpc_tls_verify(struct smtpc *c, const struct config *cfg, struct err *e)
{
	X509_VERIFY_PARAM *param = SSL_CTX_get0_param(c->tls);
	unsigned char ip[16];

	if (cfg->ca_file != NULL && *cfg->ca_file != '\0') {
		if (SSL_CTX_load_verify_locations(c->tls, cfg->ca_file,
		    NULL) != 1)
			return smtpc_ssl_fail("ca_file", cfg->ca_file, e);
	} else if (SSL_CTX_set_default_verify_paths(c->tls) != 1) {
		return smtpc_ssl_fail("the system CA store", NULL, e);
	}
	if (inet_pton(AF_INET, c->host, ip) == 1 ||
	    inet_pton(AF_INET6, c->host, ip) == 1) {
		if (X509_VERIFY_PARAM_set1_ip_asc(param, c->host) != 1)
			return smtpc_ssl_fail("smtp.host", c->host, e);
	} else if (X509_VERIFY_PARAM_set1_host(param, c->host, 0) != 1) {
		return smtpc_ssl_fail("smtp.host", c->host, e);
	}
	SSL_CTX_set_verify(c->tls, SSL_VERIFY_PEER, smtpc_verify_cb);
	return LG_OK;
}

static int
smtpc_tls_new(struct smtpc *c, const struct config *cfg, struct err *e)
{
	if ((c->tls = SSL_CTX_new(TLS_client_method())) == NULL)
		return smtpc_ssl_fail("TLS context", NULL, e);
	SSL_CTX_set_min_proto_version(c->tls, TLS1_2_VERSION);
	/* No session cache: one handshake per session, nothing to resume. */
	SSL_CTX_set_session_cache_mode(c->tls, SSL_SESS_CACHE_OFF);
	if (!c->verify) {
		log_warn(MOD, "smtp.tls_verify is off: the certificate of %s "
		    "is not checked", c->host);
		SSL_CTX_set_verify(c->tls, SSL_VERIFY_NONE, NULL);
		return LG_OK;
	}
	return smtpc_tls_verify(c, cfg, e);
}

static int
smtpc_starttls_mode(const char *name, enum smtpc_tls_mode *out,
    struct err *e)
{
	size_t i;

	for (i = 0; i < sizeof(smtpc_starttls_modes) /
	    sizeof(smtpc_starttls_modes[0]); i++)
		if (strcmp(smtpc_starttls_modes[i].name, name) == 0) {
			*out = smtpc_starttls_modes[i].how;
			return LG_OK;
		}
	return err_set(e, LG_EPERM, "smtp.starttls: unknown mode '%s'", name);
}

static int
smtpc_auth_mode(const char *name, enum smtpc_auth_mode *out, struct err *e)
{
	size_t i;

	if (name == NULL || *name == '\0')
		name = "password";
	for (i = 0; i < sizeof(smtpc_auth_modes) /
	    sizeof(smtpc_auth_modes[0]); i++)
		if (strcmp(smtpc_auth_modes[i].name, name) == 0) {
			*out = smtpc_auth_modes[i].how;
			return LG_OK;
		}
	return err_set(e, LG_EPERM, "smtp.auth: unknown mechanism '%s'",
	    name);
}

/* The default token source: the access token in a file or a variable. */
static int
smtpc_secret_token(void *arg, int force, char *tok, size_t toklen,
    struct err *e)
{
	struct smtpc *c = arg;
	char *s = NULL;
	int rc;

	(void)force;		/* read again each time anyway */
	if ((rc = secret_read(c->token_file, c->token_env, &s, e)) != LG_OK)
		return err_prefix(e, "smtp access token");
	if (strlen(s) >= toklen) {
		secret_free(s);
		return err_set(e, LG_EPERM, "smtp access token: longer than "
		    "%zu bytes", toklen - 1);
	}
	memcpy(tok, s, strlen(s) + 1);
	secret_free(s);
	return LG_OK;
}

static int
smtpc_auth_new(struct smtpc *c, const struct config *cfg, struct err *e)
{
	int rc;

	if (cfg->smtp.user == NULL || *cfg->smtp.user == '\0')
		return LG_OK;
	if ((rc = smtpc_auth_mode(cfg->smtp.auth, &c->auth, e)) != LG_OK)
		return rc;
	if (*cfg->smtp.oauth != '\0' && c->auth == AUTH_PASSWORD)
		return err_set(e, LG_EPERM, "smtp.oauth names a grant but "
		    "smtp.auth is \"password\": set it to \"xoauth2\" or "
		    "\"oauthbearer\"");
	if (*cfg->smtp.oauth != '\0') {
		/* util/oauth.h: refreshed, rotated and shared with IMAP. */
		if ((rc = oauth_conf_open(cfg, cfg->smtp.oauth, &c->oauth,
		    e)) != LG_OK)
			return err_prefix(e, "smtp.oauth");
		c->bearer.token = oauth_bearer_token;
		c->bearer.arg = c->oauth;
	} else if (c->auth != AUTH_PASSWORD) {
		/* A token in the file is read before each AUTH, not here. */
		if (*cfg->smtp.password_file != '\0' ||
		    *cfg->smtp.password_env != '\0') {
			c->token_file = xstrdup(cfg->smtp.password_file);
			c->token_env = xstrdup(cfg->smtp.password_env);
			c->bearer.token = smtpc_secret_token;
			c->bearer.arg = c;
		}
	} else {
		rc = secret_read(cfg->smtp.password_file,
		    cfg->smtp.password_env, &c->password, e);
		if (rc == LG_ENOENT)
			return err_set(e, LG_EPERM, "smtp.user is set but "
			    "neither smtp.password_file nor smtp.password_env");
		if (rc != LG_OK)
			return err_prefix(e, "smtp password");
	}
	c->user = xstrdup(cfg->smtp.user);
	if (c->starttls == TLS_OFF)
		log_warn(MOD, "smtp.user is set with smtp.starttls = off: the "
		    "password may cross the network in clear");
	/*
	 * A relay that offers AUTH without STARTTLS is what an attacker
	 * stripping STARTTLS shows: with credentials, TLS is required
	 * unless the admin turned it off on purpose.
	 */
	if (c->starttls == TLS_WHEN_OFFERED) {
		c->starttls = TLS_REQUIRED;
		c->tls_for_auth = 1;
	}
	return LG_OK;
}

/* A name for EHLO or the server: it goes on the wire as is. */
static int
smtpc_name_ok(const char *name, const char *extra)
{
	const char *p;

	if (name == NULL || *name == '\0' || strlen(name) > 255)
		return 0;
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr(extra, *p) == NULL)
			return 0;
	return 1;
}

/* A setting's value for a message: one line, control characters as '?'. */
static const char *
smtpc_shown(const char *v, char *buf, size_t len)
{
	size_t i;

	snprintf(buf, len, "%s", v ? v : "");
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < ' ' || buf[i] == 0x7f)
			buf[i] = '?';
	return buf;
}

static int
smtpc_is_ip(const char *host, int *v6)
{
	unsigned char ip[16];

	*v6 = inet_pton(AF_INET6, host, ip) == 1;
	return *v6 || inet_pton(AF_INET, host, ip) == 1;
}

static int
smtpc_check_names(const struct config *cfg, struct err *e)
{
	char shown[80];
	int v6;

	if (!smtpc_is_ip(cfg->smtp.host, &v6) &&
	    !smtpc_name_ok(cfg->smtp.host, ".-_"))
		return err_set(e, LG_EPERM, "smtp.host '%s' is not a host name "
		    "or an IP address", smtpc_shown(cfg->smtp.host, shown,
		    sizeof(shown)));
	if (!smtpc_name_ok(cfg->smtp.helo, ".-_[]:"))
		return err_set(e, LG_EPERM, "smtp.helo '%s' is not a host name "
		    "or an address literal", smtpc_shown(cfg->smtp.helo, shown,
		    sizeof(shown)));
	return LG_OK;
}

int
smtpc_new(const struct config *cfg, struct smtpc **out, struct err *e)
{
	struct smtpc *c;
	int rc, v6;

	if ((rc = smtpc_check_names(cfg, e)) != LG_OK)
		return rc;
	c = xcalloc(1, sizeof(*c));
	c->host = xstrdup(cfg->smtp.host);
	c->port = cfg->smtp.port;
	c->helo = xstrdup(cfg->smtp.helo);
	c->verify = cfg->smtp.tls_verify;
	c->timeout_s = cfg->smtp.timeout;
	c->ip_host = smtpc_is_ip(c->host, &v6);
	snprintf(c->server, sizeof(c->server), v6 ? "[%s]:%d" : "%s:%d",
	    c->host, c->port);
	if ((rc = smtpc_starttls_mode(cfg->smtp.starttls, &c->starttls,
	    e)) != LG_OK ||
	    (c->starttls != TLS_OFF &&
	    (rc = smtpc_tls_new(c, cfg, e)) != LG_OK) ||
	    (rc = smtpc_auth_new(c, cfg, e)) != LG_OK) {
		smtpc_free(c);
		return rc;
	}
	*out = c;
	return LG_OK;
}

void
smtpc_free(struct smtpc *c)
{
	if (c == NULL)
		return;
	SSL_CTX_free(c->tls);
	oauth_free(c->oauth);
	secret_free(c->password);
	free(c->token_file);
	free(c->token_env);
	free(c->user);
	free(c->host);
	free(c->helo);
	free(c);
}

void
smtpc_set_bearer(struct smtpc *c, const struct smtpc_bearer *b)
{
	c->bearer = *b;
}

const char *
smtpc_server(const struct smtpc *c)
{
	return c->server;
}

/* Printable ASCII on one line: server text goes into logs and the store. */
static void
smtpc_clean(char *s)
{
	char *r, *w = s;

	for (r = s; *r != '\0'; r++) {
		unsigned char ch = (unsigned char)*r;

		if (ch < ' ' || ch > '~')
			ch = ' ';
		if (ch == ' ' && (w == s || w[-1] == ' '))
			continue;
		*w++ = (char)ch;
	}
	while (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
}

/* The session failed as a whole; the first reason stays. */
static int
sess_fail(struct sess *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
sess_fail(struct sess *s, const char *fmt, ...)
{
	va_list ap;

	if (s->why[0] == '\0') {
		va_start(ap, fmt);
		vsnprintf(s->why, sizeof(s->why), fmt, ap);
		va_end(ap);
	}
	return LG_ETEMP;
}

/* The connection failed: why, in the words of the old client's tests. */
static int
sess_io_fail(struct sess *s, enum smtpc_conn_fail f, const struct err *e)
{
	int refused = s->last[0] == '4' || s->last[0] == '5';

	s->alive = 0;
	if (f == SMTPC_CONN_TLS)
		return sess_fail(s, "%s: %s", s->c->server, e->msg);
	if (refused)
		return sess_fail(s, "%s answered: %s", s->c->server, s->last);
	if (f == SMTPC_CONN_TIMEOUT)
		return sess_fail(s, "no answer from %s within %d s "
		    "(smtp.timeout)", s->c->server, s->c->timeout_s);
	return sess_fail(s, "%s: %s", s->c->server, e->msg);
}

static int
sess_flush(struct sess *s)
{
	enum smtpc_conn_fail f;
	struct err e;
	int rc;

	if (s->out.len == 0)
		return LG_OK;
	err_clear(&e);
	rc = smtpc_conn_write(s->conn, s->out.data, s->out.len, &f, &e);
	s->out.len = 0;
	return rc == LG_OK ? LG_OK : sess_io_fail(s, f, &e);
}

/* EHLO keywords, by name. */
static const struct {
	const char *kw;
	unsigned bit;
} smtpc_exts[] = {
	{ "PIPELINING", EXT_PIPELINING },
	{ "STARTTLS", EXT_STARTTLS },
	{ "AUTH", EXT_AUTH },
	{ "SIZE", EXT_SIZE },
	{ "8BITMIME", EXT_8BITMIME },
	{ "ENHANCEDSTATUSCODES", EXT_ENHANCED },
};

/* One line of EHLO's reply after the first: "AUTH PLAIN LOGIN", ... */
static void
sess_ext(struct sess *s, const char *line)
{
	size_t i, k;
	const char *arg;

	for (i = 0; i < sizeof(smtpc_exts) / sizeof(smtpc_exts[0]); i++) {
		k = strlen(smtpc_exts[i].kw);
		if (strncasecmp(line, smtpc_exts[i].kw, k) != 0 ||
		    (line[k] != '\0' && line[k] != ' ' && line[k] != '='))
			continue;
		s->ext |= smtpc_exts[i].bit;
		arg = line[k] != '\0' ? line + k + 1 : "";
		if (smtpc_exts[i].bit == EXT_SIZE)
			s->size_max = strtol(arg, NULL, 10);
		else if (smtpc_exts[i].bit == EXT_AUTH &&
		    strlen(s->mechs) + strlen(arg) + 2 < sizeof(s->mechs)) {
			if (s->mechs[0] == '\0')
				s->mechs[0] = ' ';
			strcat(s->mechs, arg);
			strcat(s->mechs, " ");
		}
		return;
	}
}

/*
 * Read one reply, all its lines: its code in s->code, its first line in
 * s->reply. With ehlo, its lines after the first are extensions.
 */
static int
sess_reply(struct sess *s, int ehlo)
{
	char line[SMTPC_LINE_MAX];
	enum smtpc_conn_fail f;
	struct err e;
	int first = 1, more;

	err_clear(&e);
	do {
		if (smtpc_conn_line(s->conn, line, sizeof(line), &f, &e) !=
		    LG_OK)
			return sess_io_fail(s, f, &e);
		more = line[3] == '-';
		if (!isdigit((unsigned char)line[0]) ||
		    !isdigit((unsigned char)line[1]) ||
		    !isdigit((unsigned char)line[2]) ||
		    (line[3] != '\0' && line[3] != ' ' && line[3] != '-')) {
			smtpc_clean(line);
			s->alive = 0;
			return sess_fail(s, "%s sent a malformed reply: %.200s",
			    s->c->server, line);
		}
		if (ehlo && !first)
			sess_ext(s, line + 4);
		if (more)
			line[3] = ' ';
		smtpc_clean(line);
		log_debug(MOD, "%s: %s", s->c->server, line);
		snprintf(s->last, sizeof(s->last), "%s", line);
		if (first) {
			memcpy(s->reply, s->last, sizeof(s->reply));
			s->code = atoi(line);
		}
		first = 0;
	} while (more);
	/* 421: the server is closing the session (RFC 5321 3.8). */
	if (s->code == 421)
		s->alive = 0;
	return LG_OK;
}

/* Write a command now and read its reply. */
static int
sess_cmd(struct sess *s, int ehlo, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
sess_cmd(struct sess *s, int ehlo, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	buf_vprintf(&s->out, fmt, ap);
	va_end(ap);
	buf_adds(&s->out, "\r\n");
	if ((rc = sess_flush(s)) != LG_OK)
		return rc;
	return sess_reply(s, ehlo);
}

/* EHLO, or HELO when EHLO is refused for good. */
static int
sess_ehlo(struct sess *s)
{
	char ehlo_reply[SMTPC_REPLY_MAX];
	int rc;

	s->ext = 0;
	s->mechs[0] = '\0';
	s->size_max = 0;
	if ((rc = sess_cmd(s, 1, "EHLO %s", s->c->helo)) != LG_OK)
		return rc;
	if (s->code / 100 == 2)
		return LG_OK;
	memcpy(ehlo_reply, s->reply, sizeof(ehlo_reply));
	if (s->code / 100 == 5 && s->alive) {
		s->ext = 0;
		s->mechs[0] = '\0';
		if ((rc = sess_cmd(s, 0, "HELO %s", s->c->helo)) != LG_OK)
			return rc;
		if (s->code / 100 == 2)
			return LG_OK;
	}
	return sess_fail(s, "%s refused EHLO: %s", s->c->server, ehlo_reply);
}

static int
sess_starttls(struct sess *s)
{
	enum smtpc_conn_fail f;
	struct err e;
	int rc;

	if (!(s->ext & EXT_STARTTLS)) {
		if (s->c->starttls != TLS_REQUIRED)
			return LG_OK;
		if (s->c->tls_for_auth)
			return sess_fail(s, "%s does not offer STARTTLS: the "
			    "%s of smtp.user goes only over TLS (set "
			    "smtp.starttls = \"off\" to send it in clear)",
			    s->c->server, s->c->auth == AUTH_PASSWORD ?
			    "password" : "access token");
		return sess_fail(s, "%s does not offer STARTTLS "
		    "(smtp.starttls = required)", s->c->server);
	}
	if ((rc = sess_cmd(s, 0, "STARTTLS")) != LG_OK)
		return rc;
	if (s->code != 220)
		return sess_fail(s, "%s refused STARTTLS: %s", s->c->server,
		    s->reply);
	/* Bytes before the handshake would be read as if sent over TLS. */
	if (smtpc_conn_pending(s->conn)) {
		s->alive = 0;
		return sess_fail(s, "%s sent more after STARTTLS's reply "
		    "(an injection?)", s->c->server);
	}
	err_clear(&e);
	smtpc_cert_why[0] = '\0';
	ERR_clear_error();
	if (smtpc_conn_starttls(s->conn, s->c->tls, s->c->ip_host ? NULL :
	    s->c->host, &f, &e) != LG_OK) {
		s->alive = 0;
		if (smtpc_cert_why[0] != '\0')
			return sess_fail(s, "TLS: the certificate of %s was "
			    "refused: %s", s->c->server, smtpc_cert_why);
		if (f == SMTPC_CONN_TLS)
			return sess_fail(s, "TLS handshake with %s failed: %s",
			    s->c->server, e.msg);
		return sess_io_fail(s, f, &e);
	}
	log_debug(MOD, "%s: TLS established (%s)", s->c->server,
	    smtpc_conn_cipher(s->conn));
	/* RFC 3207 4.2: forget what was said in clear, ask again. */
	return sess_ehlo(s);
}

/* Whether EHLO's AUTH line names m. */
static int
sess_offers(const struct sess *s, enum smtpc_mech m)
{
	char word[32];

	snprintf(word, sizeof(word), " %s ", smtpc_auth_name(m));
	return strcasestr(s->mechs, word) != NULL;
}

/* The mechanism smtp.auth asks for, as the server offers it. */
static int
sess_mech(struct sess *s, enum smtpc_mech *m)
{
	static const enum smtpc_mech of_mode[] = {
		[AUTH_XOAUTH2] = SMTPC_XOAUTH2,
		[AUTH_OAUTHBEARER] = SMTPC_OAUTHBEARER,
	};

	if (s->c->auth != AUTH_PASSWORD) {
		*m = of_mode[s->c->auth];
		if (sess_offers(s, *m))
			return LG_OK;
		return sess_fail(s, "%s offered no AUTH %s for %s",
		    s->c->server, smtpc_auth_name(*m), s->c->user);
	}
	*m = sess_offers(s, SMTPC_PLAIN) ? SMTPC_PLAIN : SMTPC_LOGIN;
	if (sess_offers(s, *m))
		return LG_OK;
	return sess_fail(s, "%s offered no AUTH PLAIN or LOGIN for %s",
	    s->c->server, s->c->user);
}

/* One AUTH exchange with secret; its final reply in s->code. */
static int
sess_auth_once(struct sess *s, enum smtpc_mech m, const char *secret)
{
	int rc, step;

	smtpc_auth_first(m, s->c->user, secret, s->c->host, s->c->port,
	    &s->out);
	rc = sess_flush(s);
	smtpc_auth_wipe(&s->out);
	if (rc != LG_OK || (rc = sess_reply(s, 0)) != LG_OK)
		return rc;
	for (step = 0; s->code == 334 && step < 4; step++) {
		smtpc_auth_answer(m, step, s->c->user, secret, &s->out);
		rc = sess_flush(s);
		smtpc_auth_wipe(&s->out);
		if (rc != LG_OK || (rc = sess_reply(s, 0)) != LG_OK)
			return rc;
	}
	return LG_OK;
}

/*
 * AUTH as smtp.user. A refused token is asked for again with force = 1
 * and tried once more; a refused password is not.
 */
static int
sess_auth(struct sess *s)
{
	char tok[SMTPC_TOKEN_MAX];
	enum smtpc_mech m;
	struct err e;
	int rc, force;

	if (s->c->user == NULL)
		return LG_OK;
	if ((rc = sess_mech(s, &m)) != LG_OK)
		return rc;
	if (!smtpc_auth_bearer(m))
		rc = sess_auth_once(s, m, s->c->password);
	for (force = 0; smtpc_auth_bearer(m) && force < 2; force++) {
		if (s->c->bearer.token == NULL)
			return sess_fail(s, "smtp.auth = %s: no access token "
			    "(no token source)", s->c->auth == AUTH_XOAUTH2 ?
			    "xoauth2" : "oauthbearer");
		err_clear(&e);
		if (s->c->bearer.token(s->c->bearer.arg, force, tok,
		    sizeof(tok), &e) != LG_OK)
			return sess_fail(s, "AUTH %s as %s: no access token: %s",
			    smtpc_auth_name(m), s->c->user, e.msg);
		rc = sess_auth_once(s, m, tok);
		explicit_bzero(tok, sizeof(tok));
		if (rc != LG_OK || s->code / 100 != 5 || !s->alive)
			break;
		if (force == 0)
			log_info(MOD, "%s: AUTH %s as %s refused (%s): asking "
			    "for a fresh token", s->c->server,
			    smtpc_auth_name(m), s->c->user, s->reply);
	}
	if (rc != LG_OK)
		return rc;
	if (s->code / 100 == 2) {
		log_debug(MOD, "%s: authenticated as %s with %s", s->c->server,
		    s->c->user, smtpc_auth_name(m));
		return LG_OK;
	}
	return sess_fail(s, "AUTH %s as %s failed: %s", smtpc_auth_name(m),
	    s->c->user, s->reply);
}

/* What each action of the classifier makes of the message. */
static const enum smtpc_verdict smtpc_verdicts[] = {
	[SF_OK] = SMTPC_SENT,
	[SF_DEFER] = SMTPC_DEFERRED,
	[SF_FAIL] = SMTPC_FAILED,
	[SF_SUPPRESS] = SMTPC_FAILED_RCPT,
};

/* The server's answer (s->reply) on message i, given at stage. */
static void
sess_give(struct sess *s, size_t i, enum smtpfail_stage stage)
{
	struct smtpc_msg *m = &s->msgs[i];
	struct smtpfail f;
	const char *enh = NULL;
	int code;

	if (m->done)
		return;
	code = smtpfail_reply_code(s->reply, &enh);
	smtpfail_classify(code, enh, stage, &f);
	m->cls = f.cls;
	m->done = 1;
	s->h->result(s->h->arg, m, smtpc_verdicts[f.act], s->reply);
	free(s->sm[i].data);
	s->sm[i].data = NULL;
}

/* Queue a command: its text into the group, itself into the FIFO. */
static void
sess_push(struct sess *s, enum smtpc_cmd cmd, size_t idx)
{
	struct pend *p;

	if (s->qn == SMTPC_PEND_MAX)
		log_fatalx(MOD, "more than %d SMTP commands in flight",
		    SMTPC_PEND_MAX);
	p = &s->q[(s->qh + s->qn++) % SMTPC_PEND_MAX];
	p->cmd = cmd;
	p->idx = idx;
}

/* "pre arg post\r\n" (arg may be NULL) for message idx. */
static void
sess_say(struct sess *s, enum smtpc_cmd cmd, size_t idx, const char *pre,
    const char *arg, const char *post)
{
	buf_adds(&s->out, pre);
	if (arg != NULL)
		buf_adds(&s->out, arg);
	buf_adds(&s->out, post);
	sess_push(s, cmd, idx);
}

/*
 * The content: bare LF made CRLF, a leading dot doubled, and the final
 * "." line (RFC 5321 4.5.2). Nothing else is touched.
 */
static void
sess_content(struct sess *s, const char *p, size_t len)
{
	const char *end = p + len, *nl;
	size_t n;

	buf_reserve(&s->out, len + len / 64 + 8);
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (*p == '.')
			buf_addc(&s->out, '.');
		buf_add(&s->out, p, n);
		buf_add(&s->out, "\r\n", 2);
		p = nl + 1;
	}
	buf_add(&s->out, ".\r\n", 3);
}

/*
 * Message i is through, from our side: queue RSET when it left a
 * transaction open, then the next message's envelope (all of it when
 * pipelining, else MAIL alone), or QUIT when there is none. A message is
 * loaded only once DATA is accepted (sess_data_go): load() tells the
 * caller its data is about to go out.
 */
static void
sess_next(struct sess *s, size_t i, int rset)
{
	size_t j = i + 1;

	if (rset)
		sess_say(s, CMD_RSET, i, "RSET", NULL, "\r\n");
	if (j >= s->n || s->stopped) {
		sess_say(s, CMD_QUIT, j, "QUIT", NULL, "\r\n");
		return;
	}
	sess_say(s, CMD_MAIL, j, "MAIL FROM:<", s->msgs[j].sender, ">\r\n");
	if (!(s->ext & EXT_PIPELINING))
		return;
	sess_say(s, CMD_RCPT, j, "RCPT TO:<", s->msgs[j].rcpt, ">\r\n");
	sess_say(s, CMD_DATA, j, "DATA", NULL, "\r\n");
}

static int
sess_pipelining(const struct sess *s)
{
	return (s->ext & EXT_PIPELINING) != 0;
}

/*
 * 354: load the message, send its content, and with PIPELINING the next
 * envelope behind it, in one write. A message that cannot be loaded ends
 * the session without its final ".": the server must not take a
 * truncated message.
 */
static int
sess_data_go(struct sess *s, size_t i)
{
	struct sess_msg *sm = &s->sm[i];

	if (s->msgs[i].done) {
		/* RFC 2920 3.1 says a server refuses DATA then. */
		s->alive = 0;
		return sess_fail(s, "%s accepted DATA for a refused envelope",
		    s->c->server);
	}
	if (s->h->load(s->h->arg, &s->msgs[i], &sm->data, &sm->len) != 0) {
		free(sm->data);
		sm->data = NULL;
		s->stopped = 1;
		s->alive = 0;
		return sess_fail(s, "the session stopped: message %zu of %zu "
		    "could not be made ready to send", i + 1, s->n);
	}
	sess_content(s, sm->data, sm->len);
	sess_push(s, CMD_EOD, i);
	if (sess_pipelining(s))
		sess_next(s, i, 0);
	return sess_flush(s);
}

/* The reply s->code to p, the command at the head of the FIFO. */
static int
sess_answer(struct sess *s, const struct pend *p)
{
	struct sess_msg *sm = &s->sm[p->idx < s->n ? p->idx : 0];
	int ok = s->code / 100 == 2;

	switch (p->cmd) {
	case CMD_MAIL:
		sm->mail_ok = ok;
		if (!ok)
			sess_give(s, p->idx, SF_MAIL);
		if (!sess_pipelining(s) && ok)
			sess_say(s, CMD_RCPT, p->idx, "RCPT TO:<",
			    s->msgs[p->idx].rcpt, ">\r\n");
		else if (!sess_pipelining(s))
			sess_next(s, p->idx, 0);
		return LG_OK;
	case CMD_RCPT:
		if (!ok)
			sess_give(s, p->idx, SF_RCPT);
		if (!sess_pipelining(s) && ok)
			sess_say(s, CMD_DATA, p->idx, "DATA", NULL, "\r\n");
		else if (!sess_pipelining(s))
			sess_next(s, p->idx, 1);
		return LG_OK;
	case CMD_DATA:
		if (s->code == 354)
			return sess_data_go(s, p->idx);
		sess_give(s, p->idx, SF_DATA);
		sess_next(s, p->idx, sm->mail_ok);
		return LG_OK;
	case CMD_EOD:
		sm->mail_ok = 0;
		sess_give(s, p->idx, SF_EOD);
		if (!sess_pipelining(s))
			sess_next(s, p->idx, 0);
		return LG_OK;
	case CMD_RSET:
		if (ok)
			return LG_OK;
		return sess_fail(s, "%s refused RSET: %s", s->c->server,
		    s->reply);
	case CMD_QUIT:
		s->alive = 0;
		return LG_OK;
	}
	return LG_OK;
}

/* The messages, then QUIT: until the FIFO is empty or the session fails. */
static int
sess_messages(struct sess *s)
{
	struct pend p;
	int rc = LG_OK;

	sess_next(s, (size_t)-1, 0);
	while (rc == LG_OK && s->qn > 0) {
		if ((rc = sess_flush(s)) != LG_OK ||
		    (rc = sess_reply(s, 0)) != LG_OK)
			break;
		p = s->q[s->qh];
		s->qh = (s->qh + 1) % SMTPC_PEND_MAX;
		s->qn--;
		rc = sess_answer(s, &p);
		/* A 421 ends the session: nothing more will be answered. */
		if (rc == LG_OK && !s->alive && s->qn > 0)
			rc = sess_fail(s, "%s answered: %s", s->c->server,
			    s->last);
	}
	return rc;
}

/* Greeting, EHLO, STARTTLS, AUTH: the session before the messages. */
static int
sess_open(struct sess *s)
{
	enum smtpc_conn_fail f;
	struct err e;
	int rc;

	err_clear(&e);
	if (smtpc_conn_open(s->c->host, s->c->port, s->c->timeout_s, &s->conn,
	    &f, &e) != LG_OK) {
		if (f == SMTPC_CONN_TIMEOUT)
			return sess_fail(s, "cannot connect to %s within %d s "
			    "(smtp.timeout)", s->c->server, s->c->timeout_s);
		return sess_fail(s, "cannot connect to %s: %s", s->c->server,
		    e.msg);
	}
	s->alive = 1;
	if ((rc = sess_reply(s, 0)) != LG_OK)
		return rc;
	if (s->code / 100 != 2)
		return sess_fail(s, "%s refused the connection: %s",
		    s->c->server, s->reply);
	if ((rc = sess_ehlo(s)) != LG_OK)
		return rc;
	if (s->c->tls != NULL && (rc = sess_starttls(s)) != LG_OK)
		return rc;
	return sess_auth(s);
}

/* A session that failed before its messages says goodbye if it can. */
static void
sess_quit(struct sess *s)
{
	if (!s->alive)
		return;
	s->out.len = 0;
	buf_adds(&s->out, "QUIT\r\n");
	if (sess_flush(s) == LG_OK)
		(void)sess_reply(s, 0);
}

int
smtpc_session(struct smtpc *c, struct smtpc_msg *msgs, size_t n,
    const struct smtpc_hooks *h, struct err *e)
{
	struct sess s;
	size_t i, left = 0;
	int rc;

	memset(&s, 0, sizeof(s));
	s.c = c;
	s.h = h;
	s.msgs = msgs;
	s.n = n;
	s.sm = xcalloc(n, sizeof(*s.sm));
	for (i = 0; i < n; i++)
		msgs[i].done = 0;
	rc = sess_open(&s);
	if (rc == LG_OK && n > 0)
		rc = sess_messages(&s);
	else if (rc == LG_OK)
		sess_quit(&s);
	else if (s.why[0] != '\0')
		sess_quit(&s);
	smtpc_conn_free(s.conn);
	for (i = 0; i < n; i++) {
		left += !msgs[i].done;
		free(s.sm[i].data);
	}
	free(s.sm);
	buf_free(&s.out);
	if (left == 0 && rc == LG_OK)
		return LG_OK;
	if (s.why[0] == '\0')
		snprintf(s.why, sizeof(s.why), "%s ended the session before "
		    "the messages went out; its last reply: %s", c->server,
		    s.last[0] != '\0' ? s.last : "none");
	return err_set(e, LG_ETEMP, "%s", s.why);
}
