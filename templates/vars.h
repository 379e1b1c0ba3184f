/*
 * The variables a template sees when it is written to one contact, built
 * from the store. Field names follow core/view.h, so they are the ones
 * `contacts show --json` and `leads show --json` print:
 *
 *   contact          view_contact() of the recipient
 *   lead             view_lead() (with "phase", the phase's name);
 *                    absent without a lead
 *   object           {ref, portal_ref, portal}: the lead's object_ref,
 *                    portal_object_ref and portal; absent without a lead
 *   phase            {no, name, pipeline} of the lead; absent without one
 *   leads            view_lead() of every lead the message is about (bulk
 *                    mail: the contact's leads the filter selected; else
 *                    the lead), [] without any
 *   sender, agent    {name, email} from mail.from (the same object twice)
 *   recipient        {name, email}: the contact's display name and first
 *                    e-mail address, where the mail goes
 *   unsubscribe_url  mail.unsubscribe_url with {token} replaced by the
 *                    contact's token for bulk mail; "" otherwise
 *   assignee         {name, email, branch} of the agent a notification
 *                    goes to (then also the recipient); absent otherwise
 *   lead_url         notify.public_url + "/leads/ID" for a notification,
 *                    when both are there; "" otherwise
 */
#ifndef LG_VARS_H
#define LG_VARS_H

#include <stdint.h>

#include <jansson.h>

#include "util/err.h"

struct config;
struct contact;
struct lead;
struct pipelines;
struct store;

struct vars_req {
	int64_t contact_id;	/* 0: the lead's contact */
	int64_t lead_id;	/* 0: no lead */
	const char *unsub_token;	/* bulk mail: the contact's token */
	const int64_t *lead_ids;	/* bulk mail: the contact's leads ... */
	size_t nleads;			/* ... the message is about */
	/* The caller's copies as stored, used instead of reading the ids. */
	const struct contact *contact;
	const struct lead *lead;
	/*
	 * The recipient when it is one of the contact's addresses (the one
	 * an inquiry came from, normalized); NULL or another: the first.
	 */
	const char *to;
	/* lead_ids[i] as the caller read them, or NULL: read here. */
	const struct lead *const *leads;
	/*
	 * A notification to an agent about the contact: the recipient is
	 * the agent (the contact then needs no e-mail address).
	 */
	const char *agent_name;
	const char *agent_email;
	const char *agent_branch;
};

/*
 * *out is a new reference. LG_ENOENT for a contact or lead that does not
 * exist; LG_EPERM for a lead of another contact, a contact without an
 * e-mail address, a bad token or mail.unsubscribe_url without {token}.
 */
int vars_build(struct store *st, const struct pipelines *pl,
    const struct config *cfg, const struct vars_req *req, json_t **out,
    struct err *e);

/* 1 when a token is safe in a URL: letters, digits, '-' and '_'. */
int vars_token_ok(const char *token);

/* "Name <addr>" split into {name, email}; {"", ""} for "" (new reference). */
int vars_person(const char *mailbox, const char *what, json_t **out,
    struct err *e);

#endif
