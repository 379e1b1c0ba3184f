/*
 * The CRM's rules, on top of the store: required fields per contact kind,
 * prospect and client states derived from leads, the manual restrictions,
 * phase moves recorded as history actions, and lead conversion.
 *
 * Every function here expects the caller to hold a store transaction
 * (store_begin ... store_commit) and leaves the store unchanged when it
 * fails, provided the caller rolls back.
 */
#ifndef LG_DOMAIN_H
#define LG_DOMAIN_H

#include <stdint.h>

#include "core/contact.h"
#include "util/err.h"
#include "core/lead.h"
#include "core/store.h"

struct pipelines;

struct domain {
	struct store *st;
	const struct pipelines *pl;
	const char *country;	/* default for phone numbers */
};

/* Required fields of c for its type and kind; LG_EPERM names what is missing. */
int domain_contact_check(const struct contact *c, struct err *e);
/* Check, insert, link to its company; c->id is set. */
int domain_contact_add(struct domain *d, struct contact *c, struct err *e);
/*
 * A contact already holding one of c's e-mail addresses from the one at
 * index from on (those being added), other than c itself: LG_EEXIST
 * naming it and the address, with *id set to it; LG_OK when none does.
 */
int domain_contact_email_taken(struct domain *d, const struct contact *c,
    size_t from, int64_t *id, struct err *e);
/*
 * Make person c an employee of the company named name: the company
 * contact of that name (case-insensitive), else a new one, which gets
 * c's kind. c stays a person; c->company_id is set (c is not saved).
 */
int domain_contact_link_company(struct domain *d, struct contact *c,
    const char *name, struct err *e);
/*
 * Two contacts that are one person: other's leads, history, deals,
 * addresses, phones and mail move to keep (store_contact_merge()), other
 * is deleted, keep's states are derived again and its history records
 * the merge. Refused: the same id twice, a person with a company.
 */
int domain_contact_merge(struct domain *d, int64_t keep, int64_t other,
    struct err *e);
/*
 * A contact made from an inquiry: an inquiry needs an e-mail address or a
 * phone number, not the names a person typing it in must give; what the
 * contact's kind would require is noted in its history instead.
 */
int domain_contact_add_inquiry(struct domain *d, struct contact *c,
    const char *remark, struct err *e);
/* Check and save changed fields (not the derived states). */
int domain_contact_update(struct domain *d, struct contact *c, struct err *e);

/*
 * Manual status change; NULL leaves a state alone. Refused: prospect
 * none/lost with an open lead, prospect lost with a won lead, client none
 * with a won lead.
 */
int domain_contact_set_status(struct domain *d, int64_t contact_id,
    const char *prospect, const char *client, struct err *e);

/*
 * Add a lead: the contact needs an e-mail or a phone, the source must
 * exist, pipeline and phase default to the default pipeline's initial
 * phase. The phase's action is recorded in the history.
 */
int domain_lead_add(struct domain *d, struct lead *l, const char *remark,
    struct err *e);
/*
 * The same for contact c (l->contact_id), which the caller holds as
 * stored: c is not read again, and comes back with the states the new
 * lead gives it (as stored too). l comes back as stored.
 */
int domain_lead_add_to(struct domain *d, struct contact *c, struct lead *l,
    const char *remark, struct err *e);

/*
 * Move a lead to phase (number or name). With action (which must be the
 * phase's own action) the history records that action; without one it
 * records a remark that the lead was moved by hand.
 */
int domain_lead_move(struct domain *d, int64_t lead_id, const char *phase,
    const char *action, const char *remark, struct err *e);
/* To the pipeline's won / lost phase, with that phase's action. */
int domain_lead_win(struct domain *d, int64_t lead_id, const char *remark,
    struct err *e);
int domain_lead_lose(struct domain *d, int64_t lead_id, const char *remark,
    struct err *e);
/*
 * What an outgoing mail does once accepted: move forward to phase_no with
 * that phase's action. Backwards or sideways is a no-op (*moved = 0),
 * except to a lost phase.
 */
int domain_lead_advance(struct domain *d, int64_t lead_id, int phase_no,
    const char *remark, int *moved, struct err *e);

/*
 * Record a history action on a lead and move the lead to the phase that
 * action reaches (pipeline_action_next(): the next phase after the
 * current one with that action, so a second "Visite du bien" reaches the
 * second visit's phase). An action that reaches no later phase (a call,
 * a note, an action the lead is past) and any action on a closed lead is
 * recorded without a move. res (may be NULL) says what happened.
 */
struct action_result {
	int moved;		/* 1 when the lead changed phase */
	int phase_before;
	int phase_after;	/* == phase_before when not moved */
};
int domain_lead_action(struct domain *d, int64_t lead_id, const char *action,
    const char *remark, struct action_result *res, struct err *e);
/*
 * Save l's changed fields (source, object, portal references, message,
 * custom; not its pipeline, phase or status, which moves change): the
 * source must exist; the history records what (a list of field names).
 */
int domain_lead_update(struct domain *d, struct lead *l, const char *what,
    struct err *e);
/*
 * Assign a lead to an agent (a name from the configuration's agents,
 * which the caller checked): kept as the lead's custom field "assignee"
 * (where rules put it too) and recorded in the history with how (by
 * hand, a rule's name). LG_EEXIST when it is that agent's already.
 */
int domain_lead_assign(struct domain *d, int64_t lead_id, const char *agent,
    const char *how, struct err *e);
/* The lead's assignee, or NULL (caller frees). */
char *domain_lead_assignee(const struct lead *l);

/* Append an entry to a contact's own history. */
int domain_contact_note(struct domain *d, int64_t contact_id,
    const char *action, const char *remark, struct err *e);
/* Append an entry to a lead's history without moving it. */
int domain_lead_note(struct domain *d, int64_t lead_id, const char *action,
    const char *remark, struct err *e);
/* The same for lead l, which the caller holds: it is not read again. */
int domain_lead_note_on(struct domain *d, const struct lead *l,
    const char *action, const char *remark, struct err *e);

enum convert_target {
	CONVERT_CONTACT = 1 << 0,
	CONVERT_COMPANY = 1 << 1,
	CONVERT_DEAL = 1 << 2,
};
struct convert_result {
	int64_t contact_id;	/* when CONVERT_CONTACT */
	int64_t company_id;	/* when CONVERT_COMPANY */
	int64_t deal_id;	/* when CONVERT_DEAL */
};
int convert_targets_parse(const char *list, unsigned *out, struct err *e);
/*
 * All or nothing: refused with every missing field named. An open lead
 * is won by its conversion (so the contact must have what a client
 * needs); a lead that has a deal is refused a second one, with its id.
 */
int domain_lead_convert(struct domain *d, int64_t lead_id, unsigned targets,
    struct convert_result *res, struct err *e);

/*
 * The status rules as a pure function: the states a contact (or a company
 * with its employees) gets from a summary of its leads. just_won: the
 * event being applied is a win (it turns a former client current again).
 */
void domain_derive_states(const struct lead_summary *s,
    enum prospect_state cur_p, enum client_state cur_c, int just_won,
    enum prospect_state *p, enum client_state *c);

/* Recompute the states of a contact and of its company after a lead event. */
int domain_refresh_states(struct domain *d, int64_t contact_id, int just_won,
    struct err *e);

/* Merge the JSON object src into dst (keys of dst win); returns new text. */
char *domain_custom_merge(const char *dst, const char *src);

#endif
