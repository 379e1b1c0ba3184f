#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/clock.h"
#include "util/log.h"
#include "util/norm.h"
#include "util/xmalloc.h"
#include "spool/queue.h"

#define MOD "queue"

/* Every state change an outgoing row may make. */
static const struct {
	enum outgoing_state from, to;
} queue_moves[] = {
	{ OUT_QUEUED, OUT_SENT },
	{ OUT_QUEUED, OUT_DEFERRED },
	{ OUT_QUEUED, OUT_FAILED },
	{ OUT_QUEUED, OUT_CANCELLED },
	{ OUT_DEFERRED, OUT_SENT },
	{ OUT_DEFERRED, OUT_DEFERRED },
	{ OUT_DEFERRED, OUT_FAILED },
	{ OUT_DEFERRED, OUT_CANCELLED },
	{ OUT_DEFERRED, OUT_QUEUED },
	{ OUT_FAILED, OUT_QUEUED },
	{ OUT_CANCELLED, OUT_QUEUED },
	/* Cancelled while on the wire: the server has it, so record that. */
	{ OUT_CANCELLED, OUT_SENT },
	/* Unconfirmed attempts after crashes: the admin decides. */
	{ OUT_QUEUED, OUT_HELD },
	{ OUT_DEFERRED, OUT_HELD },
	{ OUT_HELD, OUT_QUEUED },
	{ OUT_HELD, OUT_CANCELLED },
};

/*
 * The log lines of the changes made in this thread's open transaction:
 * a line says what the store holds, so it is written only once the
 * caller has committed (queue_log_flush) and dropped after a rollback.
 */
struct queue_line {
	enum log_level level;
	char *text;
};
static _Thread_local struct queue_line *queue_lines;
static _Thread_local size_t queue_nlines, queue_caplines;

static void
queue_log_add(enum log_level level, char *text)
{
	if (queue_nlines == queue_caplines) {
		queue_caplines = queue_caplines ? queue_caplines * 2 : 16;
		queue_lines = xreallocarray(queue_lines, queue_caplines,
		    sizeof(*queue_lines));
	}
	queue_lines[queue_nlines].level = level;
	queue_lines[queue_nlines++].text = text;
}

static void
queue_log_end(int emit)
{
	size_t i;

	for (i = 0; i < queue_nlines; i++) {
		if (emit)
			logm(queue_lines[i].level, MOD, "%s",
			    queue_lines[i].text);
		free(queue_lines[i].text);
	}
	free(queue_lines);
	queue_lines = NULL;
	queue_nlines = queue_caplines = 0;
}

void
queue_log_flush(void)
{
	queue_log_end(1);
}

void
queue_log_drop(void)
{
	queue_log_end(0);
}

void
queue_log_keep(struct queue_log *l)
{
	size_t i;

	for (i = 0; i < queue_nlines; i++) {
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 64;
			l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
		}
		l->v[l->n++] = queue_lines[i];
	}
	free(queue_lines);
	queue_lines = NULL;
	queue_nlines = queue_caplines = 0;
}

void
queue_log_kept(struct queue_log *l, int emit)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (emit)
			logm(l->v[i].level, MOD, "%s", l->v[i].text);
		free(l->v[i].text);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
queue_move_allowed(enum outgoing_state from, enum outgoing_state to)
{
	size_t i;

	for (i = 0; i < sizeof(queue_moves) / sizeof(queue_moves[0]); i++)
		if (queue_moves[i].from == from && queue_moves[i].to == to)
			return 1;
	return 0;
}

int
queue_transition(struct store *st, struct outgoing *o,
    const struct queue_move *m, struct err *e)
{
	enum outgoing_state from = o->state;
	char now[CLOCK_ISOLEN];
	int rc;

	if (!queue_move_allowed(from, m->to))
		return err_set(e, LG_EPERM, "outgoing message %lld is %s and "
		    "cannot become %s", (long long)o->id,
		    outgoing_state_name(from), outgoing_state_name(m->to));
	o->state = m->to;
	o->inflight = 0;	/* whatever the move, the attempt is over */
	o->wire = 0;
	free(o->inflight_boot);
	o->inflight_boot = NULL;
	o->attempts += m->attempted ? 1 : 0;
	o->next_attempt = m->next_attempt;
	if (m->reply != NULL)
		xstrset(&o->last_reply, m->reply);
	if (m->to == OUT_SENT) {
		clock_iso(clock_now(), now, sizeof(now));
		xstrset(&o->sent_at, now);
	}
	if ((rc = store_outgoing_update(st, o, e)) != LG_OK)
		return rc;
	queue_log_add(m->to == OUT_FAILED || m->to == OUT_HELD ?
	    LOG_LV_WARN : LOG_LV_INFO, xasprintf("outgoing %lld to %s: "
	    "%s -> %s%s%s%s", (long long)o->id, o->rcpt,
	    outgoing_state_name(from), outgoing_state_name(m->to),
	    m->reply ? " (" : "", m->reply ? m->reply : "",
	    m->reply ? ")" : ""));
	return LG_OK;
}

int64_t
queue_backoff(const struct queue_policy *p, int attempts)
{
	int64_t wait = p->retry_first;
	int i;

	for (i = 1; i < attempts && wait < p->retry_max; i++)
		wait *= 2;
	return wait < p->retry_max ? wait : p->retry_max;
}

/* "'welcome' to a@b.example" or "mail to a@b.example", for the history. */
static void
queue_describe(const struct outgoing *o, char *buf, size_t len)
{
	if (o->template != NULL && *o->template != '\0')
		snprintf(buf, len, "'%s' to %s", o->template, o->rcpt);
	else
		snprintf(buf, len, "mail to %s", o->rcpt);
}

/* 1 when the lead is in the pipeline the message names (or it names none). */
static int
queue_same_pipeline(struct domain *d, const struct outgoing *o,
    char *why, size_t len)
{
	struct lead *l;
	int same;

	if (o->advance_pipeline == NULL || *o->advance_pipeline == '\0')
		return 1;
	if (store_lead_get(d->st, o->lead_id, &l, NULL) != LG_OK) {
		snprintf(why, len, "lead %lld is gone", (long long)o->lead_id);
		return 0;
	}
	same = l->pipeline != NULL &&
	    strcasecmp(l->pipeline, o->advance_pipeline) == 0;
	if (!same)
		snprintf(why, len, "the lead is in pipeline %s, not %s",
		    l->pipeline ? l->pipeline : "?", o->advance_pipeline);
	lead_free(l);
	return same;
}

static int
queue_advance(struct domain *d, const struct outgoing *o, const char *reply,
    struct err *e)
{
	char what[400], remark[800], why[200];
	int moved = 0, rc;

	queue_describe(o, what, sizeof(what));
	snprintf(remark, sizeof(remark), "%s (%s)", what, reply);
	if (o->advance_phase > 0) {
		if (queue_same_pipeline(d, o, why, sizeof(why))) {
			rc = domain_lead_advance(d, o->lead_id, o->advance_phase,
			    remark, &moved, e);
			if (rc != LG_OK)
				return rc;
		} else {
			snprintf(remark, sizeof(remark), "%s (%s); phase "
			    "unchanged: %s", what, reply, why);
		}
	}
	if (moved)
		return LG_OK;
	return domain_lead_note(d, o->lead_id, "mail sent", remark, e);
}

/*
 * A bulk message stands for every matching lead of its contact, each
 * with the phase of --advance-to in its own pipeline.
 */
static int
queue_advance_leads(struct domain *d, const struct outgoing *o,
    const struct outgoing_lead *v, size_t n, const char *reply,
    struct err *e)
{
	char what[400], remark[800];
	size_t i;
	int moved, rc = LG_OK;

	queue_describe(o, what, sizeof(what));
	snprintf(remark, sizeof(remark), "%s (%s)", what, reply);
	for (i = 0; i < n && rc == LG_OK; i++) {
		moved = 0;
		if (v[i].advance_phase > 0)
			rc = domain_lead_advance(d, v[i].lead_id,
			    v[i].advance_phase, remark, &moved, e);
		if (rc == LG_OK && !moved)
			rc = domain_lead_note(d, v[i].lead_id, "mail sent",
			    remark, e);
	}
	return rc;
}

int
queue_sent(struct domain *d, struct outgoing *o, const char *reply,
    int advance, struct err *e)
{
	struct queue_move m = { OUT_SENT, 1, reply, 0 };
	struct outgoing_lead *v = NULL;
	size_t n = 0;
	int rc;

	if ((rc = queue_transition(d->st, o, &m, e)) != LG_OK || !advance)
		return rc;
	if (o->campaign_id != 0 &&
	    (rc = store_outgoing_leads(d->st, o->id, &v, &n, e)) != LG_OK)
		return rc;
	if (n > 0)
		rc = queue_advance_leads(d, o, v, n, reply, e);
	else if (o->lead_id != 0)
		rc = queue_advance(d, o, reply, e);
	free(v);
	return rc;
}

/* Seconds since the row was queued; 0 when its time is unreadable. */
static int64_t
queue_age(const struct outgoing *o, int64_t now)
{
	time_t t;

	if (o->created_at == NULL || clock_parse_iso(o->created_at, &t) != 0)
		return 0;
	return now - (int64_t)t;
}

int
queue_deferred(struct domain *d, struct outgoing *o, const char *reply,
    const struct queue_policy *p, int64_t now, struct err *e)
{
	struct queue_move m = { OUT_DEFERRED, 1, reply, 0 };
	char why[ERR_MSGLEN];

	if (queue_age(o, now) > p->give_up) {
		snprintf(why, sizeof(why), "gave up after %d attempts over "
		    "%lld s: %s", o->attempts + 1, (long long)queue_age(o, now),
		    reply);
		return queue_failed(d, o, why, SF_TEMPORARY, e);
	}
	m.next_attempt = now + queue_backoff(p, o->attempts + 1);
	return queue_transition(d->st, o, &m, e);
}

/* The contact's address is bad: flag the contact, list the address. */
static int
queue_suppress(struct domain *d, const struct outgoing *o, const char *reply,
    struct err *e)
{
	char addr[NORM_EMAIL_MAX + 1];
	struct contact *c;
	int rc;

	if ((rc = norm_email(o->rcpt, addr, sizeof(addr), e)) != LG_OK)
		return rc;
	if ((rc = store_suppression_add(d->st, addr, reply, e)) != LG_OK)
		return rc;
	if (o->contact_id == 0)
		return LG_OK;
	rc = store_contact_get(d->st, o->contact_id, &c, e);
	if (rc == LG_ENOENT)
		return LG_OK;
	if (rc != LG_OK)
		return rc;
	c->invalid_address = 1;
	rc = store_contact_update(d->st, c, e);
	contact_free(c);
	return rc;
}

int
queue_failed(struct domain *d, struct outgoing *o, const char *reply,
    enum smtpfail_class cls, struct err *e)
{
	struct queue_move m = { OUT_FAILED, 1, reply, 0 };
	char what[400], remark[800];
	int rc;

	if ((rc = queue_transition(d->st, o, &m, e)) != LG_OK)
		return rc;
	if (cls != SF_NONE &&
	    (rc = store_outgoing_set_class(d->st, o->id, cls, e)) != LG_OK)
		return rc;
	if (cls == SF_MAILBOX && (rc = queue_suppress(d, o, reply, e)) != LG_OK)
		return rc;
	if (o->lead_id == 0)
		return LG_OK;
	queue_describe(o, what, sizeof(what));
	snprintf(remark, sizeof(remark), "%s: %s%s%s%s", what, reply,
	    cls != SF_NONE ? " (" : "", cls != SF_NONE ?
	    smtpfail_class_name(cls) : "", cls != SF_NONE ? ")" : "");
	return domain_lead_note(d, o->lead_id, "delivery failed", remark, e);
}

int
queue_retry(struct store *st, struct outgoing *o, int64_t now, struct err *e)
{
	struct queue_move m = { OUT_QUEUED, 0, NULL, now };

	/* The admin released it: its unconfirmed attempts count no more. */
	o->unconfirmed = 0;
	return queue_transition(st, o, &m, e);
}

int
queue_unconfirmed(struct store *st, struct outgoing *o, int max,
    int64_t next, struct err *e)
{
	struct queue_move m = { OUT_DEFERRED, 1, NULL, next };
	char why[200], at[CLOCK_ISOLEN];

	clock_iso((time_t)o->inflight, at, sizeof(at));
	o->unconfirmed++;
	if (o->unconfirmed > max) {
		m.to = OUT_HELD;
		m.next_attempt = 0;
		snprintf(why, sizeof(why), "%d attempts without a result, the "
		    "last at %s: held, it may have arrived (spool retry "
		    "sends it again)", o->unconfirmed, at);
	} else {
		snprintf(why, sizeof(why), "the attempt at %s has no result "
		    "(a crash); it may have arrived", at);
	}
	m.reply = why;
	return queue_transition(st, o, &m, e);
}

int
queue_cancel(struct store *st, struct outgoing *o, struct err *e)
{
	struct queue_move m = { OUT_CANCELLED, 0, "cancelled by hand", 0 };

	return queue_transition(st, o, &m, e);
}
