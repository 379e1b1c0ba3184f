/*
 * One IMAP connection through libetpan: connect, check the server's
 * certificate ourselves (libetpan does not), log in, and the handful of
 * commands the connector needs. Every libetpan result becomes an LG code
 * here, with host, port and what failed in the message (never the
 * password). After a network error the session is broken: the caller
 * closes it and connects again later.
 */
#ifndef LG_IMAP_SESSION_H
#define LG_IMAP_SESSION_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "connectors/imap_config.h"
#include "connectors/tls.h"
#include "util/err.h"

struct imap_session;

struct imap_uids {
	uint32_t *v;		/* ascending */
	size_t n;
};

struct imap_selected {
	uint32_t uidvalidity;
	uint32_t uidnext;	/* 0 when the server sent none */
	uint32_t exists;
	const char *unkept;	/* a done flag the server would not keep
				   (PERMANENTFLAGS), or NULL */
};

/*
 * One fetched message. size is the server's RFC822.SIZE; truncated when
 * only the first max_size + 1 bytes were fetched. raw is NULL when the
 * server sent no body. A non-LG_OK return stops the fetch and is returned.
 */
typedef int imap_body_fn(void *arg, uint32_t uid, const char *raw, size_t len,
    uint32_t size, int truncated, struct err *e);

struct oauth;
/*
 * trust may be NULL for tls = "none" and tls_verify = false. oauth: the
 * token source when c->auth is xoauth2 or oauthbearer (else NULL); it
 * must outlive the session.
 */
int imap_session_open(const struct imap_config *c,
    const struct tls_trust *trust, struct oauth *oauth,
    struct imap_session **out, struct err *e);
/* Log out when the connection is still sound; always frees. NULL is fine. */
void imap_session_close(struct imap_session *s);
int imap_session_broken(const struct imap_session *s);
int imap_session_has_idle(const struct imap_session *s);

int imap_session_noop(struct imap_session *s, struct err *e);
/* SELECT, or EXAMINE when readonly (a dry run changes nothing). */
int imap_session_select(struct imap_session *s, const struct imap_folder *f,
    int readonly, struct imap_selected *out, struct err *e);
/*
 * The folder's undeleted UIDs from the UID from on (1: all) that are not
 * done: without the keyword (done by keyword), else all of them. Never
 * by \Seen, which agents set and clear.
 */
int imap_session_search(struct imap_session *s, uint32_t from,
    struct imap_uids *out, struct err *e);
/*
 * 1 when the server announced new messages (EXISTS or RECENT) in the
 * selected folder since the last imap_session_search() began: they may
 * have arrived after the search and wait for another poll.
 */
int imap_session_news(const struct imap_session *s);
/*
 * Fetch these UIDs of the selected folder and hand each to fn. BODY.PEEK:
 * fetching leaves \Seen as it was.
 */
int imap_session_fetch(struct imap_session *s, const uint32_t *uids, size_t n,
    imap_body_fn *fn, void *arg, struct err *e);
/*
 * Mark done: add the keyword and/or \Seen (as configured), then move to
 * the done folder when that is what marks done.
 */
int imap_session_mark(struct imap_session *s, const uint32_t *uids, size_t n,
    struct err *e);
/*
 * IDLE on the selected folder until the server announces new messages
 * (*news = 1), deadline_ms (CLOCK_MONOTONIC, milliseconds) passes or
 * *stop is set. Re-issued well before the 29 minutes of RFC 2177.
 */
int imap_session_idle(struct imap_session *s, int64_t deadline_ms,
    volatile sig_atomic_t *stop, int *news, struct err *e);

void imap_session_uids_free(struct imap_uids *u);
/* CLOCK_MONOTONIC in milliseconds, for deadlines. */
int64_t imap_session_now_ms(void);

#endif
