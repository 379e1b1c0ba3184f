/*
 * The SMTP client: sessions to the configured smarthost, with STARTTLS
 * through our own verified SSL_CTX, AUTH PLAIN/LOGIN with a password
 * from secret.h or XOAUTH2/OAUTHBEARER with an OAuth2 access token, many
 * messages per session and RFC 2920 PIPELINING when offered. It knows
 * nothing of the store: the caller hands messages in and is told each
 * verdict the moment the server gives it.
 *
 * Our own client (spool/smtpc*.c), not libESMTP 1.1.0, because that
 * library is unmaintained (its STARTTLS use-after-free is fixed upstream
 * but never released), waits for MAIL FROM's reply before RCPT (three
 * round trips a message where PIPELINING needs one), rewrites headers
 * (Date, Message-Id, repeats), cannot match IP SANs or send SNI, blocks
 * in connect() without a timeout, and loads its SASL mechanisms as
 * plugins from a system folder, so XOAUTH2/OAUTHBEARER could not be
 * added in-tree. Bytes go out as load() gave them, with bare LF made
 * CRLF and dot-stuffing; nothing else is changed.
 */
#ifndef LG_SMTPC_H
#define LG_SMTPC_H

#include <stddef.h>

#include "core/config.h"
#include "util/err.h"
#include "util/smtpfail.h"

/*
 * What a reply means for the message, by util/smtpfail.h: its reply
 * code, enhanced status code and the stage it answers.
 */
enum smtpc_verdict {
	SMTPC_SENT,		/* 2xx after the data */
	SMTPC_DEFERRED,		/* 4xx, mailbox full, or no answer (drop,
				   timeout, TLS, EHLO, AUTH) */
	SMTPC_FAILED,		/* refused for good: this message fails
				   (policy, content, our sender, ...) */
	SMTPC_FAILED_RCPT,	/* the recipient's mailbox is dead */
};

struct smtpc_msg {
	const char *sender;	/* "" for the null reverse path */
	const char *rcpt;
	void *arg;		/* the caller's, for the hooks */
	int done;		/* set once result() has been called */
	enum smtpfail_class cls;	/* of the reply result() was given */
};

struct smtpc_hooks {
	/*
	 * The bytes of m, read when they are about to be sent (the caller
	 * frees them after result()). Non-zero drops the session.
	 */
	int (*load)(void *arg, struct smtpc_msg *m, char **data, size_t *len);
	/* The verdict on m, called as soon as the server has given it. */
	void (*result)(void *arg, struct smtpc_msg *m, enum smtpc_verdict v,
	    const char *reply);
	void *arg;
};

struct smtpc;

/*
 * Where AUTH XOAUTH2/OAUTHBEARER gets its access token: fill tok
 * (NUL-terminated), or return LG_ETEMP / LG_EPERM with e set. Called
 * before each AUTH; force=1 after the server refused the token once
 * (refresh it); a second refusal fails the session.
 */
struct smtpc_bearer {
	int (*token)(void *arg, int force, char *tok, size_t toklen,
	    struct err *e);
	void *arg;
};

/*
 * Check the smtp.* settings, read the password, build the TLS context.
 * LG_EPERM names the setting or file at fault.
 */
int smtpc_new(const struct config *cfg, struct smtpc **out, struct err *e);
void smtpc_free(struct smtpc *c);
/*
 * Before smtpc_session(); b is copied. Needed when smtp.auth is
 * xoauth2/oauthbearer, unless smtp.password_file or smtp.password_env
 * holds the access token itself (read again before each AUTH).
 */
void smtpc_set_bearer(struct smtpc *c, const struct smtpc_bearer *b);

/* "host:port" ("[v6]:port"), for messages. */
const char *smtpc_server(const struct smtpc *c);

/*
 * One session sending msgs[0..n-1]. Each message gets result() as soon
 * as the server answers it. LG_OK when the session worked, whatever the
 * answers were. LG_ETEMP when it failed as a whole (no connection, TLS or
 * AUTH refused, dropped, timed out): e says why, and the messages left
 * with m->done == 0 never got an answer. One session per thread.
 */
int smtpc_session(struct smtpc *c, struct smtpc_msg *msgs, size_t n,
    const struct smtpc_hooks *h, struct err *e);

#endif
