/*
 * An outgoing message as the store records it: who it goes to, why it
 * exists (lead, template, rule, campaign), the key that keeps it from
 * being queued twice, and where it stands in delivery. The message text
 * itself lives in the spool (spool/spool.h), named by spool_name: a file,
 * or the store's outgoing_bodies (PostgreSQL).
 */
#ifndef LG_OUTGOING_H
#define LG_OUTGOING_H

#include <stddef.h>
#include <stdint.h>

enum outgoing_state {
	OUT_QUEUED = 0,		/* waiting for its first attempt or a retry */
	OUT_DEFERRED,		/* a temporary failure; next_attempt says when */
	OUT_SENT,		/* the smarthost accepted it */
	OUT_FAILED,		/* refused for good, or given up */
	OUT_CANCELLED,		/* stopped by hand */
	OUT_HELD,		/* too many unconfirmed attempts: the admin decides */
};
#define OUT_NSTATES 6

struct outgoing {
	int64_t id;
	char *dedup_key;	/* UNIQUE: the same key is never queued twice */
	int64_t lead_id;	/* 0 when none */
	int64_t contact_id;	/* 0 when none */
	char *template;
	char *rule;
	int64_t campaign_id;	/* 0 when none */
	char *sender;		/* envelope sender, "" for the null path */
	char *message_id;	/* without <>, NULL when not known */
	char *subject;		/* as written, NULL when not known */
	char *rcpt;		/* envelope recipient */
	char *spool_name;	/* file name in the spool's queue/ */
	enum outgoing_state state;
	int attempts;
	int64_t next_attempt;	/* unix time; 0 = at once */
	char *last_reply;	/* the last SMTP reply or failure reason */
	int64_t inflight;	/* unix time of an attempt with no result yet; 0 */
	char *inflight_boot;	/* the kernel's boot id when it was recorded */
	int wire;		/* its data started going out */
	int unconfirmed;	/* attempts that never got a result recorded */
	char *owner;		/* the delivering instance's spool (HOST:DIR)
				   that claimed it last; NULL: none yet */
	int64_t claim_until;	/* unix time its claim runs out; 0: none */
	char *advance_pipeline;	/* when sent, move the lead ... */
	int advance_phase;	/* ... forward to this phase (0: none) */
	char *created_at;
	char *updated_at;
	char *sent_at;
};

struct outgoing *outgoing_new(void);
void outgoing_free(struct outgoing *o);
/* Free the strings of o and zero it (for arrays of rows). */
void outgoing_clear(struct outgoing *o);

const char *outgoing_state_name(enum outgoing_state s);
int outgoing_state_parse(const char *s, enum outgoing_state *out);

/*
 * The deduplication keys, one spelling for every producer: an autoreply
 * is keyed by lead and template, a campaign mail by campaign and contact.
 * The caller frees the result.
 */
char *outgoing_key_autoreply(int64_t lead_id, const char *template);
char *outgoing_key_campaign(int64_t campaign_id, int64_t contact_id);

/*
 * A Message-ID no one else will make: "<LOCAL.RANDOM@DOMAIN>", where
 * LOCAL says what it is ("ar.12", "bulk.3.45") and RANDOM is 96 bits.
 */
void outgoing_message_id(const char *local, const char *domain, char *out,
    size_t len);

#endif
