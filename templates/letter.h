/*
 * A letter: a template written to one contact, ready for the spool. This
 * is the one path from template to bytes that the autoresponder, the
 * bulk mailer and `template preview` share, so a preview is exactly what
 * would be sent.
 *
 * The contact's language picks the template variant (template.h); the
 * variables are those of vars.h; From is the template's From: line, else
 * mail.from; To is the contact's first e-mail address with their name.
 * By kind, the message also carries:
 *
 *   plain      nothing more
 *   autoreply  Auto-Submitted: auto-replied, X-Auto-Response-Suppress: All,
 *              In-Reply-To and References when the inquiry's Message-ID
 *              is given (RFC 3834)
 *   bulk       Auto-Submitted: auto-generated, Precedence: bulk,
 *              X-Auto-Response-Suppress: All, List-Unsubscribe with
 *              mail.unsubscribe_url and/or mail.unsubscribe_mailto, and
 *              List-Unsubscribe-Post when the URL is https (RFC 8058);
 *              the contact's unsubscribe token is required
 *
 * Whether to write at all (opt-outs, suppression, loops, rate limits) is
 * the caller's decision; a letter only says what would be written.
 */
#ifndef LG_LETTER_H
#define LG_LETTER_H

#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

struct config;
struct contact;
struct lead;
struct pipelines;
struct store;
struct tcache;

enum letter_kind {
	LETTER_PLAIN = 0,
	LETTER_AUTOREPLY,
	LETTER_BULK,
};

struct letter_req {
	const char *template;	/* a name in the templates directory */
	int64_t contact_id;	/* 0: the lead's contact */
	int64_t lead_id;	/* 0: no lead */
	enum letter_kind kind;
	const char *message_id;	/* "<unique@domain>", required */
	const char *in_reply_to;	/* autoreply: the inquiry's Message-ID */
	const char *unsub_token;	/* bulk: store_contact_unsub_token() */
	const int64_t *lead_ids;	/* bulk: the leads it is about */
	size_t nleads;
	/* The caller's copies as stored, used instead of reading the ids. */
	const struct contact *contact;
	const struct lead *lead;
	const char *to;		/* see struct vars_req */
	/* A notification: to this agent, about the contact (vars.h). */
	const char *agent_name;
	const char *agent_email;
	const char *agent_branch;
};

struct letter {
	char *sender;		/* the From address (an envelope candidate) */
	char *rcpt;		/* the envelope recipient */
	char *language;		/* of the variant written, or NULL */
	char *subject;		/* as rendered, or NULL */
	struct buf data;	/* the whole message, CRLF lines */
};

/*
 * Fill *out (cleared first). LG_ENOENT: no such template, contact or
 * lead; LG_EPERM: anything wrong with the template, the data or the
 * configuration, with the reason. Reads the store, never writes it.
 */
int letter_build(struct store *st, const struct pipelines *pl,
    const struct config *cfg, const struct letter_req *req,
    struct letter *out, struct err *e);
void letter_clear(struct letter *l);

/* What letters written one after another may share; every field optional. */
struct letter_shared {
	struct tcache *templates;	/* compiled once (tcache.h); NULL: read */
	/* The leads of req->lead_ids as the caller read them, in order. */
	const struct lead *const *leads;
};

/* letter_build() with what sh gives (NULL: the same as letter_build()). */
int letter_build_shared(struct store *st, const struct pipelines *pl,
    const struct config *cfg, const struct letter_shared *sh,
    const struct letter_req *req, struct letter *out, struct err *e);

/* "plain", "autoreply", "bulk"; -1 for anything else. */
int letter_kind_parse(const char *s, enum letter_kind *out);

#endif
