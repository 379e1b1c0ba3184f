/*
 * An inquiry becoming a contact and a lead: the CRM's side of ingest.
 * The prospect is found again by the deduplication policy (e-mail, then
 * phone, then name and postcode) and given what the contact lacked, or
 * created; then either the open lead of that contact on the same object
 * takes the inquiry, or a new lead is added with its source, pipeline,
 * initial phase and history.
 *
 * Like domain.h, every function expects the caller's store transaction.
 * The inquiry comes in the store's terms (struct intake), so that core/
 * knows nothing of parsing or rule files.
 */
#ifndef LG_INTAKE_H
#define LG_INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "core/contact.h"
#include "core/lead.h"

struct domain;

/* Which keys find a contact again, and whether an open lead takes more. */
struct intake_policy {
	int email;
	int phone;
	int name_postcode;
	int same_object;	/* an open lead on the object takes more */
};

/* What one inquiry says. Everything borrowed; NULL when absent. */
struct intake {
	const char *connector;	/* for the history; NULL: unknown */
	const char *rule;	/* the rule that took the inquiry */
	/* The prospect. */
	const char *salutation;
	const char *first_name;
	const char *last_name;
	const char *company;
	const char *street;
	const char *postcode;
	const char *city;
	const char *language;
	const char *email;		/* as given */
	const char *email_norm;	/* normalized; NULL or "": none */
	const struct contact_addr *phones;	/* as given and normalized */
	size_t nphones;
	/* The lead. */
	const char *source;		/* must exist: see intake_source() */
	const char *pipeline;
	int phase;			/* 0: the pipeline's initial phase */
	const char *object_ref;
	const char *portal_object_ref;
	const char *portal;
	const char *portal_ref;
	const char *message;
	const char *custom;		/* JSON object text */
	const char *forwarded_by;	/* the agent who forwarded the mail
					   ("Name <addr>"), noted in the
					   history; NULL: came directly */
};

/*
 * The contact the policy's keys find, in the order e-mail, phone, name
 * and postcode: 1 with *id and decision set, else 0. Nothing changes.
 */
int intake_find(struct domain *d, const struct intake_policy *p,
    const struct intake *in, int64_t *id, char *decision, size_t len);

/*
 * The inquiry's contact: the first one found by the policy's keys, with
 * the fields it lacked filled in from the inquiry (its history says
 * which), else a new one. *out is the contact as stored (contact_free);
 * decision says what was done ("matched contact 3 by e-mail a@b.ch",
 * "new contact 4").
 */
int intake_contact(struct domain *d, const struct intake_policy *p,
    const struct intake *in, struct contact **out, char *decision,
    size_t len, struct err *e);

/*
 * The open lead of contact on the inquiry's object, when the policy has
 * such a lead take the inquiry; else 0.
 */
int64_t intake_open_lead(struct domain *d, const struct intake_policy *p,
    const struct intake *in, int64_t contact);

/* Another inquiry on the open lead: noted in its history with decision. */
int intake_lead_note(struct domain *d, int64_t lead, const struct intake *in,
    const char *decision, struct err *e);

/* Make sure source name exists; *created says it was added just now. */
int intake_source(struct domain *d, const char *name, int *created,
    struct err *e);

/*
 * A new lead for contact c, as intake_contact() left it: the inquiry's
 * fields, its source, pipeline and phase, and its creation in the history
 * with decision. *out is the lead as stored (lead_free), and c comes back
 * with the states the lead gave it: neither needs reading again.
 * LG_EPERM when the domain refuses the lead (a pipeline, phase or source
 * that does not exist).
 */
int intake_lead(struct domain *d, const struct intake *in, struct contact *c,
    const char *decision, struct lead **out, struct err *e);

#endif
