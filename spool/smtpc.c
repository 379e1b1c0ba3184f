/*
 * libESMTP 1.1.0, used as LIBS.md section 4 says. Two deliberate
 * departures from its defaults:
 *
 * - Our own SSL_CTX per run (the library's cached one is freed by the
 *   first smtp_destroy_session() and crashes the second STARTTLS
 *   session). OpenSSL checks the chain and the host name during the
 *   handshake (X509_VERIFY_PARAM), which also covers IP SANs that
 *   libESMTP's own name check does not know.
 * - No Hdr_PROHIBIT on Message-Id: in 1.1.0 it strips the message's own
 *   Message-ID. The bytes go out unchanged because spool_message_check()
 *   only admits messages libESMTP leaves alone (one Date, From and
 *   Message-ID, no Return-Path, ...).
 */
#include <stddef.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <auth-client.h>
#include <libesmtp.h>

#include "util/log.h"
#include "util/secret.h"
#include "util/xmalloc.h"
#include "spool/smtpc.h"

#define MOD "smtp"
#define SMTPC_REPLY_MAX 300

struct smtpc {
	char server[300];	/* "host:port" */
	char *host;
	char *helo;
	char *user;		/* NULL: no AUTH */
	char *password;		/* secret_free() */
	enum starttls_option starttls;
	int tls_for_auth;	/* when-offered made required by the password */
	int verify;
	SSL_CTX *tls;		/* NULL when STARTTLS is off */
	int timeout_s;
};

struct sess;

struct sess_msg {
	struct sess *s;
	struct smtpc_msg *msg;
	smtp_message_t m;
	smtp_recipient_t r;
	char *data;
	size_t len;
	int given;		/* the data went to libESMTP since the rewind */
};

/* One session, as the libESMTP callbacks see it. */
struct sess {
	struct smtpc *c;
	const struct smtpc_hooks *h;
	struct sess_msg *sm;
	int connected;
	int tls_on;
	int in_auth;		/* an AUTH exchange is under way */
	int auth_tried;
	int authenticated;	/* an AUTH exchange ended with 2xx */
	int auth_checked;	/* looked at when the first MAIL was answered */
	int auth_failed;
	char auth_reply[SMTPC_REPLY_MAX];	/* how the last AUTH ended */
	char why[ERR_MSGLEN];	/* why the session failed as a whole */
	char last[SMTPC_REPLY_MAX];	/* the last reply line read */
	enum smtpfail_stage stage;	/* of the last command written */
	char refusal[SMTPC_REPLY_MAX];	/* a 4xx/5xx before MAIL */
	enum smtpfail_stage refused_at;
	struct timespec last_read;
};

/* Why OpenSSL refused the peer, from the verify callback of this thread. */
static _Thread_local char smtpc_cert_why[256];

static pthread_once_t smtpc_once = PTHREAD_ONCE_INIT;

static const struct {
	const char *name;
	enum starttls_option how;
} smtpc_starttls_modes[] = {
	{ "off", Starttls_DISABLED },
	{ "when-offered", Starttls_ENABLED },
	{ "required", Starttls_REQUIRED },
};

static void
smtpc_init_once(void)
{
	auth_client_init();
}

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
	/*
	 * Not 1.3: its NewSessionTicket arrives after the handshake, and
	 * libESMTP 1.1.0 then reads before flushing the EHLO it has
	 * buffered (protocol.c reads first when both are ready): SSL_read
	 * eats the ticket and waits for an answer to a command never sent,
	 * until the timeout. 1.2 sends its ticket inside the handshake.
	 */
	SSL_CTX_set_max_proto_version(c->tls, TLS1_2_VERSION);
	if (!c->verify) {
		log_warn(MOD, "smtp.tls_verify is off: the certificate of %s "
		    "is not checked", c->host);
		SSL_CTX_set_verify(c->tls, SSL_VERIFY_NONE, NULL);
		return LG_OK;
	}
	return smtpc_tls_verify(c, cfg, e);
}

static int
smtpc_starttls_mode(const char *name, enum starttls_option *out,
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
smtpc_auth_new(struct smtpc *c, const struct config *cfg, struct err *e)
{
	int rc;

	if (cfg->smtp.user == NULL || *cfg->smtp.user == '\0')
		return LG_OK;
	rc = secret_read(cfg->smtp.password_file, cfg->smtp.password_env,
	    &c->password, e);
	if (rc == LG_ENOENT)
		return err_set(e, LG_EPERM, "smtp.user is set but neither "
		    "smtp.password_file nor smtp.password_env");
	if (rc != LG_OK)
		return err_prefix(e, "smtp password");
	c->user = xstrdup(cfg->smtp.user);
	if (c->starttls == Starttls_DISABLED)
		log_warn(MOD, "smtp.user is set with smtp.starttls = off: the "
		    "password may cross the network in clear");
	/*
	 * A relay that offers AUTH without STARTTLS is what an attacker
	 * stripping STARTTLS shows, and libESMTP's when-offered would then
	 * send the password in clear (LIBS.md): with a password, TLS is
	 * required unless the admin turned it off on purpose.
	 */
	if (c->starttls == Starttls_ENABLED) {
		c->starttls = Starttls_REQUIRED;
		c->tls_for_auth = 1;
	}
	return LG_OK;
}

/* A name for EHLO or the server: libESMTP puts it on the wire as is. */
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
smtpc_check_names(const struct config *cfg, struct err *e)
{
	char shown[80];

	/* libESMTP splits host:port at the first colon: no IPv6 literal. */
	if (!smtpc_name_ok(cfg->smtp.host, ".-_"))
		return err_set(e, LG_EPERM, "smtp.host '%s' is not a host name "
		    "or an IPv4 address", smtpc_shown(cfg->smtp.host, shown,
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
	int rc;

	pthread_once(&smtpc_once, smtpc_init_once);
	if ((rc = smtpc_check_names(cfg, e)) != LG_OK)
		return rc;
	c = xcalloc(1, sizeof(*c));
	c->host = xstrdup(cfg->smtp.host);
	c->helo = xstrdup(cfg->smtp.helo);
	c->verify = cfg->smtp.tls_verify;
	c->timeout_s = cfg->smtp.timeout;
	snprintf(c->server, sizeof(c->server), "%s:%d", c->host,
	    cfg->smtp.port);
	if ((rc = smtpc_starttls_mode(cfg->smtp.starttls, &c->starttls,
	    e)) != LG_OK ||
	    (c->starttls != Starttls_DISABLED &&
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
	secret_free(c->password);
	free(c->user);
	free(c->host);
	free(c->helo);
	free(c);
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

/* "550 5.1.1 text": a status as one clean line. */
static void
smtpc_status_text(const smtp_status_t *st, char *buf, size_t len)
{
	if (st->enh_class > 0)
		snprintf(buf, len, "%d %d.%d.%d %s", st->code, st->enh_class,
		    st->enh_subject, st->enh_detail, st->text ? st->text : "");
	else
		snprintf(buf, len, "%d %s", st->code, st->text ? st->text : "");
	smtpc_clean(buf);
}

/* What each action of the classifier makes of the message. */
static const enum smtpc_verdict smtpc_verdicts[] = {
	[SF_OK] = SMTPC_SENT,
	[SF_DEFER] = SMTPC_DEFERRED,
	[SF_FAIL] = SMTPC_FAILED,
	[SF_SUPPRESS] = SMTPC_FAILED_RCPT,
};

/* The verdict on a status at a stage, its class in *cls. */
static enum smtpc_verdict
smtpc_verdict(const smtp_status_t *st, enum smtpfail_stage stage,
    enum smtpfail_class *cls)
{
	struct smtpfail f;
	char enh[24] = "";

	if (st->enh_class > 0)
		snprintf(enh, sizeof(enh), "%d.%d.%d", st->enh_class,
		    st->enh_subject, st->enh_detail);
	smtpfail_classify(st->code, enh, stage, &f);
	*cls = f.cls;
	return smtpc_verdicts[f.act];
}

static void
smtpc_give(struct sess_msg *sm, enum smtpc_verdict v, enum smtpfail_class cls,
    const char *reply)
{
	struct sess *s = sm->s;
	char buf[ERR_MSGLEN + SMTPC_REPLY_MAX];

	if (sm->msg->done)
		return;
	sm->msg->cls = cls;
	/* Without the AUTH we were told to do, a refusal says nothing. */
	if (s->auth_failed && v != SMTPC_SENT) {
		snprintf(buf, sizeof(buf), "%s; the server said: %s", s->why,
		    reply);
		v = SMTPC_DEFERRED;
		reply = buf;
	}
	sm->msg->done = 1;
	s->h->result(s->h->arg, sm->msg, v, reply);
	free(sm->data);
	sm->data = NULL;
}

/* The first MAIL answered: had we been told to authenticate, did we? */
static void
smtpc_check_auth(struct sess *s)
{
	if (s->auth_checked || s->c->user == NULL)
		return;
	s->auth_checked = 1;
	if (s->authenticated)
		return;
	s->auth_failed = 1;
	if (s->auth_tried)
		snprintf(s->why, sizeof(s->why), "AUTH as %s failed: %s",
		    s->c->user, s->auth_reply);
	else
		snprintf(s->why, sizeof(s->why), "%s offered no AUTH PLAIN or "
		    "LOGIN for %s", s->c->server, s->c->user);
}

static void
smtpc_ev_connect(struct sess *s, va_list ap)
{
	(void)ap;
	s->connected = 1;
}

static void
smtpc_ev_mailstatus(struct sess *s, va_list ap)
{
	const char *mailbox = va_arg(ap, const char *);
	smtp_message_t m = va_arg(ap, smtp_message_t);
	struct sess_msg *sm = smtp_message_get_application_data(m);
	const smtp_status_t *st = smtp_reverse_path_status(m);
	char reply[SMTPC_REPLY_MAX];
	enum smtpfail_class cls;
	enum smtpc_verdict v;

	(void)mailbox;
	smtpc_check_auth(s);
	if (sm == NULL || st->code / 100 == 2)
		return;
	smtpc_status_text(st, reply, sizeof(reply));
	v = smtpc_verdict(st, SF_MAIL, &cls);
	smtpc_give(sm, v, cls, reply);
}

/* The answer to the data, or to RCPT when that already refused it. */
static void
smtpc_ev_messagesent(struct sess *s, va_list ap)
{
	smtp_message_t m = va_arg(ap, smtp_message_t);
	struct sess_msg *sm = smtp_message_get_application_data(m);
	const smtp_status_t *st;
	char reply[SMTPC_REPLY_MAX];
	enum smtpfail_stage stage = SF_RCPT;
	enum smtpfail_class cls;
	enum smtpc_verdict v;

	(void)s;
	if (sm == NULL)
		return;
	st = smtp_recipient_status(sm->r);
	if (st->code / 100 == 2) {
		st = smtp_message_transfer_status(m);
		/* The data went out: the reply judges the message. */
		stage = sm->given ? SF_EOD : SF_DATA;
	}
	smtpc_status_text(st, reply, sizeof(reply));
	v = smtpc_verdict(st, stage, &cls);
	smtpc_give(sm, v, cls, reply);
}

static void
smtpc_ev_starttls_ok(struct sess *s, va_list ap)
{
	SSL *ssl = va_arg(ap, SSL *);
	const char *cipher = va_arg(ap, const char *);

	(void)ssl;
	s->tls_on = 1;
	log_debug(MOD, "%s: TLS established (%s)", s->c->server, cipher);
}

/* Chain refused (only reachable with verification off: else no handshake). */
static void
smtpc_ev_invalid_cert(struct sess *s, va_list ap)
{
	long res = va_arg(ap, long);
	int *ok = va_arg(ap, int *);

	*ok = !s->c->verify;
	if (!*ok)
		snprintf(s->why, sizeof(s->why), "TLS: the certificate of %s "
		    "is not valid: %s", s->c->server,
		    X509_verify_cert_error_string(res));
}

static void
smtpc_ev_no_cert(struct sess *s, va_list ap)
{
	int *ok = va_arg(ap, int *);

	*ok = !s->c->verify;
	if (!*ok)
		snprintf(s->why, sizeof(s->why), "TLS: %s presented no "
		    "certificate", s->c->server);
}

/* libESMTP's own name check; OpenSSL has already matched the name. */
static void
smtpc_ev_wrong_cert(struct sess *s, va_list ap)
{
	int *ok = va_arg(ap, int *);

	(void)s;
	*ok = 1;
}

static void
smtpc_ev_weak_cipher(struct sess *s, va_list ap)
{
	int bits = va_arg(ap, int);
	int *ok = va_arg(ap, int *);

	*ok = 0;
	snprintf(s->why, sizeof(s->why), "TLS: %s negotiated a %d-bit "
	    "cipher", s->c->server, bits);
}

static void
smtpc_ev_no_starttls(struct sess *s, va_list ap)
{
	(void)ap;
	if (s->c->tls_for_auth)
		snprintf(s->why, sizeof(s->why), "%s does not offer STARTTLS: "
		    "the password of smtp.user goes only over TLS (set "
		    "smtp.starttls = \"off\" to send it in clear)",
		    s->c->server);
	else
		snprintf(s->why, sizeof(s->why), "%s does not offer STARTTLS "
		    "(smtp.starttls = required)", s->c->server);
}

/* libESMTP's own certificate files ($HOME/.authenticate) are unusable. */
static void
smtpc_ev_bad_files(struct sess *s, va_list ap)
{
	(void)ap;
	snprintf(s->why, sizeof(s->why), "TLS: libESMTP found an unusable "
	    "certificate or CA file under $HOME/.authenticate");
}

static const struct {
	int event;
	void (*fn)(struct sess *, va_list);
} smtpc_events[] = {
	{ SMTP_EV_CONNECT, smtpc_ev_connect },
	{ SMTP_EV_MAILSTATUS, smtpc_ev_mailstatus },
	{ SMTP_EV_MESSAGESENT, smtpc_ev_messagesent },
	{ SMTP_EV_STARTTLS_OK, smtpc_ev_starttls_ok },
	{ SMTP_EV_INVALID_PEER_CERTIFICATE, smtpc_ev_invalid_cert },
	{ SMTP_EV_NO_PEER_CERTIFICATE, smtpc_ev_no_cert },
	{ SMTP_EV_WRONG_PEER_CERTIFICATE, smtpc_ev_wrong_cert },
	{ SMTP_EV_WEAK_CIPHER, smtpc_ev_weak_cipher },
	{ SMTP_EV_EXTNA_STARTTLS, smtpc_ev_no_starttls },
	{ SMTP_EV_UNUSABLE_CA_LIST, smtpc_ev_bad_files },
	{ SMTP_EV_UNUSABLE_CLIENT_CERTIFICATE, smtpc_ev_bad_files },
};

static void
smtpc_event(smtp_session_t session, int event, void *arg, ...)
{
	size_t i;
	va_list ap;

	(void)session;
	for (i = 0; i < sizeof(smtpc_events) / sizeof(smtpc_events[0]); i++) {
		if (smtpc_events[i].event != event)
			continue;
		va_start(ap, arg);
		smtpc_events[i].fn(arg, ap);
		va_end(ap);
		return;
	}
}

/* One reply line read: the last one, and how an AUTH exchange ends. */
static void
smtpc_reply_line(struct sess *s, const char *p, size_t n)
{
	if (n > sizeof(s->last) - 1)
		n = sizeof(s->last) - 1;
	memcpy(s->last, p, n);
	s->last[n] = '\0';
	smtpc_clean(s->last);
	log_debug(MOD, "%s: %s", s->c->server, s->last);
	/*
	 * A refusal of the session itself, for smtpc_why(); one the
	 * session got past (EHLO refused, HELO taken) is forgotten.
	 */
	if (s->last[3] != '-' && s->stage < SF_MAIL) {
		if ((s->last[0] == '4' || s->last[0] == '5') &&
		    s->refusal[0] == '\0') {
			memcpy(s->refusal, s->last, sizeof(s->refusal));
			s->refused_at = s->stage;
		} else if (s->last[0] == '2' && s->stage != SF_CONNECT) {
			s->refusal[0] = '\0';
		}
	}
	/* "334 challenge" goes on; a final line ends the exchange. */
	if (!s->in_auth || s->last[0] == '3' || s->last[3] == '-')
		return;
	s->in_auth = 0;
	s->authenticated = s->last[0] == '2';
	memcpy(s->auth_reply, s->last, sizeof(s->auth_reply));
}

/* The commands of the session's start, not pipelined: EHLO to MAIL. */
static const struct {
	const char *verb;
	enum smtpfail_stage stage;
} smtpc_verbs[] = {
	{ "EHLO ", SF_EHLO },
	{ "HELO ", SF_EHLO },
	{ "STARTTLS", SF_CONNECT },
	{ "AUTH ", SF_AUTH },
	{ "MAIL FROM:", SF_MAIL },
	{ "QUIT", SF_NSTAGES },		/* its 221 clears no refusal */
};

/*
 * A buffer we write: which stage of the session it starts. Once MAIL
 * went out, what follows (recipients, data) is not looked at; during
 * AUTH the buffers hold the credentials and are not either.
 */
static void
smtpc_written(struct sess *s, const char *buf, int len)
{
	size_t i, n;

	if (s->stage >= SF_MAIL || s->in_auth)
		return;
	for (i = 0; i < sizeof(smtpc_verbs) / sizeof(smtpc_verbs[0]); i++) {
		n = strlen(smtpc_verbs[i].verb);
		if (len >= (int)n &&
		    strncmp(buf, smtpc_verbs[i].verb, n) == 0) {
			s->stage = smtpc_verbs[i].stage;
			if (s->stage == SF_AUTH)
				s->in_auth = s->auth_tried = 1;
			return;
		}
	}
}

/*
 * What the server says, line by line, and when it last spoke. Of what
 * we write, only whether a buffer starts an AUTH command is looked at:
 * the rest holds the credentials.
 */
static void
smtpc_monitor(const char *buf, int len, int writing, void *arg)
{
	struct sess *s = arg;
	const char *p = buf, *end = buf + (len > 0 ? len : 0), *nl;

	if (writing == SMTP_CB_WRITING) {
		smtpc_written(s, buf, len);
		return;
	}
	if (writing != SMTP_CB_READING)
		return;
	clock_gettime(CLOCK_MONOTONIC, &s->last_read);
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl - p >= 4)
			smtpc_reply_line(s, p, (size_t)(nl - p));
	}
}

static int
smtpc_interact(auth_client_request_t req, char **res, int n, void *arg)
{
	struct smtpc *c = arg;
	int i;

	for (i = 0; i < n; i++) {
		if (req[i].flags & AUTH_USER)
			res[i] = c->user;
		else if (req[i].flags & AUTH_PASS)
			res[i] = c->password;
		else
			return 0;	/* a realm or more: not ours to guess */
	}
	return 1;
}

/* libESMTP reads the message through this; len == NULL is a rewind. */
static const char *
smtpc_message_cb(void **ctx, int *len, void *arg)
{
	struct sess_msg *sm = arg;
	struct sess *s = sm->s;

	(void)ctx;
	if (len == NULL) {
		sm->given = 0;
		if (sm->data == NULL && (s->h->load(s->h->arg, sm->msg,
		    &sm->data, &sm->len) != 0 || sm->len > INT_MAX)) {
			free(sm->data);
			sm->data = NULL;
		}
		return NULL;
	}
	/* libESMTP goes on unauthenticated after a refused AUTH: not us. */
	if (sm->data == NULL || s->auth_failed) {
		errno = EIO;	/* makes libESMTP drop the session, not send */
		*len = 0;
		return NULL;
	}
	*len = sm->given ? 0 : (int)sm->len;
	sm->given = 1;
	return *len ? sm->data : NULL;
}

static void
smtpc_set_timeouts(smtp_session_t ses, int seconds)
{
	static const int which[] = { Timeout_GREETING, Timeout_ENVELOPE,
	    Timeout_DATA, Timeout_TRANSFER, Timeout_DATA2 };
	size_t i;

	for (i = 0; i < sizeof(which) / sizeof(which[0]); i++)
		smtp_set_timeout(ses, which[i] | Timeout_OVERRIDE_RFC2822_MINIMUM,
		    seconds * 1000L);
}

static smtp_session_t
smtpc_session_new(struct sess *s, auth_context_t *auth)
{
	struct smtpc *c = s->c;
	smtp_session_t ses = smtp_create_session();

	if (ses == NULL)
		log_fatalx(MOD, "smtp_create_session: out of memory");
	smtp_set_server(ses, c->server);
	smtp_set_hostname(ses, c->helo);
	smtpc_set_timeouts(ses, c->timeout_s);
	smtp_set_eventcb(ses, smtpc_event, s);
	smtp_set_monitorcb(ses, smtpc_monitor, s, 0);
	smtp_starttls_enable(ses, c->starttls);
	if (c->tls != NULL)
		smtp_starttls_set_ctx(ses, c->tls);
	*auth = NULL;
	if (c->user != NULL) {
		*auth = auth_create_context();
		auth_set_mechanism_flags(*auth, AUTH_PLUGIN_PLAIN, 0);
		auth_set_interact_cb(*auth, smtpc_interact, c);
		smtp_auth_set_context(ses, *auth);
	}
	return ses;
}

static void
smtpc_add(smtp_session_t ses, struct sess *s, struct smtpc_msg *msgs,
    size_t n)
{
	struct sess_msg *sm;
	size_t i;

	for (i = 0; i < n; i++) {
		sm = &s->sm[i];
		sm->s = s;
		sm->msg = &msgs[i];
		msgs[i].done = 0;
		sm->m = smtp_add_message(ses);
		smtp_set_reverse_path(sm->m, msgs[i].sender);
		sm->r = smtp_add_recipient(sm->m, msgs[i].rcpt);
		smtp_set_messagecb(sm->m, smtpc_message_cb, sm);
		smtp_message_set_application_data_release(sm->m, sm, NULL);
	}
}

static int
smtpc_timed_out(const struct sess *s)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - s->last_read.tv_sec) * 1000L +
	    (now.tv_nsec - s->last_read.tv_nsec) / 1000000L;
	return ms >= s->c->timeout_s * 1000L - 100;
}

/* Why the session ended with messages unanswered. */
static void
smtpc_why(struct sess *s, int smtp_err, char *buf, size_t len)
{
	char what[128];

	smtp_strerror(smtp_err, what, sizeof(what));
	if (s->why[0] != '\0')
		snprintf(buf, len, "%s", s->why);
	else if (!s->connected)
		snprintf(buf, len, "cannot connect to %s: %s", s->c->server,
		    what);
	else if (s->c->tls != NULL && !s->tls_on && smtpc_cert_why[0])
		snprintf(buf, len, "TLS: the certificate of %s was refused: %s",
		    s->c->server, smtpc_cert_why);
	else if (s->c->tls != NULL && !s->tls_on &&
	    smtp_err == SMTP_ERR_CLIENT_ERROR)
		snprintf(buf, len, "TLS handshake with %s failed: %s",
		    s->c->server, ERR_reason_error_string(ERR_peek_error()) ?
		    ERR_reason_error_string(ERR_peek_error()) : "no reason");
	else if (s->refusal[0] != '\0')
		snprintf(buf, len, "%s refused %s: %s", s->c->server,
		    s->refused_at == SF_CONNECT ? "the connection" :
		    smtpfail_stage_name(s->refused_at), s->refusal);
	else if (s->last[0] == '4' || s->last[0] == '5')
		snprintf(buf, len, "%s answered: %s", s->c->server, s->last);
	else if (smtpc_timed_out(s))
		snprintf(buf, len, "no answer from %s within %d s "
		    "(smtp.timeout)", s->c->server, s->c->timeout_s);
	else if (smtp_err != 0)
		snprintf(buf, len, "%s: %s", s->c->server, what);
	else if (s->last[0] != '\0')
		snprintf(buf, len, "%s ended the session before the messages "
		    "went out; its last reply: %s", s->c->server, s->last);
	else
		snprintf(buf, len, "%s closed the connection without a reply",
		    s->c->server);
}

int
smtpc_session(struct smtpc *c, struct smtpc_msg *msgs, size_t n,
    const struct smtpc_hooks *h, struct err *e)
{
	struct sess s;
	smtp_session_t ses;
	auth_context_t auth;
	char why[ERR_MSGLEN];
	size_t i, left = 0;
	int smtp_err;

	memset(&s, 0, sizeof(s));
	s.c = c;
	s.h = h;
	s.sm = xcalloc(n, sizeof(*s.sm));
	clock_gettime(CLOCK_MONOTONIC, &s.last_read);
	smtpc_cert_why[0] = '\0';
	ERR_clear_error();
	ses = smtpc_session_new(&s, &auth);
	smtpc_add(ses, &s, msgs, n);
	smtp_start_session(ses);
	smtp_err = smtp_errno();
	smtp_destroy_session(ses);
	if (auth != NULL)
		auth_destroy_context(auth);
	for (i = 0; i < n; i++) {
		left += !msgs[i].done;
		free(s.sm[i].data);
	}
	free(s.sm);
	if (left == 0 && !s.auth_failed)
		return LG_OK;
	smtpc_why(&s, smtp_err, why, sizeof(why));
	return err_set(e, LG_ETEMP, "%s", why);
}
