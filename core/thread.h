/*
 * Threading: an inbound mail that answers one of our messages (an
 * autoreply or a bulk mail) is the prospect's answer, not a new inquiry.
 *
 * Matching (thread_match()), first that fits:
 *
 *   header   a Message-ID in In-Reply-To, then in References (the newest
 *            first), is one of our outgoing messages: the lead it was
 *            written for (else the newest open lead of its contact),
 *            whoever the sender is;
 *   subject  the sender is a contact's address, the contact has an open
 *            lead, and the subject is a reply ("Re: ", "AW: " ... , see
 *            thread_subject_base()) to a subject we wrote to that contact.
 *
 * Applying (thread_apply()): an address no contact has (someone new
 * answering with our Message-ID quoted) is added to the contact; the
 * answer goes into the lead's history as THREAD_ACTION with its text, or
 * moves the lead to the phase of its pipeline whose action that is, when
 * one is (forward only, like an outgoing mail's phase). No lead is made
 * and nothing is answered. Like domain.h, in the caller's transaction.
 */
#ifndef LG_THREAD_H
#define LG_THREAD_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct domain;

/* The history action of an answer (a pipeline phase may have it). */
#define THREAD_ACTION "reply from the prospect"

/* What of the inbound mail matching looks at; NULL when absent. */
struct thread_mail {
	const char *from;		/* the sender, normalized */
	const char *subject;		/* decoded */
	const char *in_reply_to;	/* the headers as written */
	const char *references;
};

enum thread_by {
	THREAD_NONE,
	THREAD_HEADER,
	THREAD_SUBJECT,
};

struct thread_match {
	enum thread_by by;
	int64_t outgoing_id;	/* the message answered */
	int64_t contact_id;
	int64_t lead_id;	/* 0: its contact has no lead */
	int new_address;	/* from is no contact's address */
};

/* "header", "subject"; NULL for THREAD_NONE. */
const char *thread_by_name(enum thread_by by);

/*
 * The subject without its reply prefixes ("Re: AW: x" -> "x"); *n (if
 * not NULL) gets how many were taken off (0: not a reply).
 */
const char *thread_subject_base(const char *subject, int *n);

/*
 * Which of our messages m answers: LG_OK with out->by THREAD_NONE when
 * none, else what it answers; a negative code when the store fails.
 */
int thread_match(struct domain *d, const struct thread_mail *m,
    struct thread_match *out, struct err *e);

/*
 * The answer recorded (see above): connector and text for the history;
 * decision says what was done ("reply to message 3, lead 2").
 */
int thread_apply(struct domain *d, const struct thread_match *t,
    const struct thread_mail *m, const char *connector, const char *text,
    char *decision, size_t len, struct err *e);

#endif
