/*
 * The SMTP client: sessions to the configured smarthost over libESMTP
 * (LIBS.md section 4), with STARTTLS through our own verified SSL_CTX,
 * AUTH PLAIN/LOGIN with a password from secret.h, many messages per
 * session and PIPELINING when offered. It knows nothing of the store:
 * the caller hands messages in and is told each verdict the moment the
 * server gives it.
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
 * Check the smtp.* settings, read the password, build the TLS context.
 * LG_EPERM names the setting or file at fault.
 */
int smtpc_new(const struct config *cfg, struct smtpc **out, struct err *e);
void smtpc_free(struct smtpc *c);
/* "host:port", for messages. */
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
