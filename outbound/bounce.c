/* Bounces and complaints matched to our mail and applied (see bounce.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/idlist.h"
#include "util/norm.h"
#include "util/smtpfail.h"
#include "util/xmalloc.h"
#include "core/config.h"
#include "core/domain.h"
#include "core/store.h"
#include "core/verp.h"
#include "outbound/bounce.h"
#include "outbound/unsub.h"
#include "parse/mail.h"
#include "parse/report.h"

#define MOD "bounce"
#define DIAG_MAX 160		/* of a diagnostic in history and reasons */

/* One report being applied. */
struct bjob {
	struct domain *d;
	const struct config *cfg;
	const struct report *r;
	const char *key;
	struct bounce_result *res;
	struct outgoing *o;		/* the message it is about */
	const struct report_rcpt *x;	/* what it says of its recipient */
	char addr[NORM_EMAIL_MAX + 1];	/* the message's recipient */
	char what[400];			/* "'news' (message 4) to a@b" */
	enum smtpfail_class cls;	/* of a failure, by its codes */
};

static int apply_nothing(struct bjob *, struct err *);
static int apply_soft(struct bjob *, struct err *);
static int apply_hard(struct bjob *, struct err *);
static int apply_complaint(struct bjob *, struct err *);
static int apply_refused(struct bjob *, struct err *);

/* What each verdict does, and under which kind it is recorded once. */
static const struct {
	enum report_verdict verdict;
	const char *kind;	/* bounces.kind; NULL: nothing to record */
	int rank;		/* the worst of several recipients wins */
	int (*apply)(struct bjob *, struct err *);
} verdicts[] = {
	{ REPORT_NOTHING, NULL, 0, apply_nothing },
	{ REPORT_SOFT, "soft", 1, apply_soft },
	{ REPORT_COMPLAINT, "complaint", 2, apply_complaint },
	{ REPORT_HARD, "hard", 3, apply_hard },
};
#define NVERDICTS (sizeof(verdicts) / sizeof(verdicts[0]))

/*
 * A failed delivery by the class of its codes (util/smtpfail.h): only a
 * dead mailbox is a hard bounce; a full one counts as a soft bounce; a
 * refusal for policy, content or the like is recorded and noted but
 * leaves the address alone. The last row takes every other class.
 */
static const struct {
	enum smtpfail_class cls;
	const char *kind;
	int (*apply)(struct bjob *, struct err *);
} failed_classes[] = {
	{ SF_MAILBOX, "hard", apply_hard },
	{ SF_MAILBOX_FULL, "soft", apply_soft },
	{ SF_NONE, "hard", apply_refused },
};
#define NFAILED (sizeof(failed_classes) / sizeof(failed_classes[0]))

static size_t
verdict_row(enum report_verdict v)
{
	size_t i;

	for (i = 0; i < NVERDICTS; i++)
		if (verdicts[i].verdict == v)
			return i;
	return 0;
}

static int hold(struct bjob *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Not applied: held in quarantine for this reason. */
static int
hold(struct bjob *b, const char *fmt, ...)
{
	va_list ap;

	b->res->quarantine = 1;
	va_start(ap, fmt);
	vsnprintf(b->res->reason, sizeof(b->res->reason), fmt, ap);
	va_end(ap);
	return LG_OK;
}

/*
 * The VERP addresses of the report: where it was delivered, then the
 * envelope sender of the returned message. 1 with *id for a good one;
 * 0 when there is none; -1 for a forged one (its reason in why).
 */
static int
match_verp(const struct report *r, const struct verp *v, int64_t *id,
    char *why, size_t len)
{
	struct err e;
	size_t i;
	int forged = 0, rc;

	for (i = 0; i <= r->nto; i++) {
		const char *a = i < r->nto ? r->to[i] : r->orig_return_path;

		if (a == NULL)
			continue;
		err_clear(&e);
		if ((rc = verp_parse(v, a, id, &e)) == LG_OK)
			return 1;
		if (rc == LG_EPERM && !forged) {
			forged = 1;
			snprintf(why, len, "%s", e.msg);
		}
	}
	return forged ? -1 : 0;
}

static int
names_addr(const char *a, const char *addr)
{
	return a != NULL && strcmp(a, addr) == 0;
}

/* 1 when the report names addr; -1 when it names no address at all. */
static int
report_names(const struct report *r, const char *addr)
{
	int any = 0;
	size_t i;

	for (i = 0; i < r->nrcpts; i++) {
		if (names_addr(r->rcpts[i].final_rcpt, addr) ||
		    names_addr(r->rcpts[i].original_rcpt, addr))
			return 1;
		any |= (r->rcpts[i].final_rcpt != NULL &&
		    strchr(r->rcpts[i].final_rcpt, '@') != NULL) ||
		    (r->rcpts[i].original_rcpt != NULL &&
		    strchr(r->rcpts[i].original_rcpt, '@') != NULL);
	}
	if (names_addr(r->orig_to, addr))
		return 1;
	any |= r->orig_to != NULL && strchr(r->orig_to, '@') != NULL;
	return any ? 0 : -1;
}

/* By the returned message's Message-ID, sent to whom the report names. */
static int
match_message_id(struct bjob *b, struct err *e)
{
	const struct report *r = b->r;
	char addr[NORM_EMAIL_MAX + 1];
	int rc;

	if (r->orig_message_id == NULL)
		return hold(b, "the report names no message of ours (no VERP "
		    "address, no returned Message-ID)");
	rc = store_outgoing_by_message_id(b->d->st, r->orig_message_id, &b->o,
	    e);
	if (rc == LG_ENOENT)
		return hold(b, "the report names no message of ours "
		    "(Message-ID <%s> is not one we sent)", r->orig_message_id);
	if (rc != LG_OK)
		return rc;
	if (norm_email(b->o->rcpt, addr, sizeof(addr), NULL) == LG_OK &&
	    report_names(r, addr) == 0) {
		outgoing_free(b->o);
		b->o = NULL;
		return hold(b, "the report names no message of ours "
		    "(Message-ID <%s> went to someone else)",
		    r->orig_message_id);
	}
	return LG_OK;
}

static int
match(struct bjob *b, struct err *e)
{
	const struct config *cfg = b->cfg;
	char why[ERR_MSGLEN];
	struct verp *v;
	struct err ve;
	int64_t id = 0;
	int rc, found = 0;

	err_clear(&ve);
	if (verp_load(cfg->bounce.verp, cfg->bounce.secret_file,
	    cfg->bounce.secret_env, &v, &ve) != LG_OK)
		return hold(b, "the VERP HMAC cannot be checked: %s", ve.msg);
	if (v != NULL)
		found = match_verp(b->r, v, &id, why, sizeof(why));
	verp_free(v);
	if (found < 0)
		return hold(b, "VERP address %s", why);
	if (found == 0)
		return match_message_id(b, e);
	rc = store_outgoing_get(b->d->st, id, &b->o, e);
	if (rc == LG_ENOENT)
		return hold(b, "the report names no message of ours (%s)",
		    e->msg);
	return rc;
}

/* The report's word on the message's recipient: theirs, else the worst. */
static const struct report_rcpt *
pick(const struct report *r, const char *addr)
{
	const struct report_rcpt *worst = NULL;
	size_t i;

	for (i = 0; i < r->nrcpts; i++)
		if (names_addr(r->rcpts[i].final_rcpt, addr) ||
		    names_addr(r->rcpts[i].original_rcpt, addr))
			return &r->rcpts[i];
	for (i = 0; i < r->nrcpts; i++)
		if (worst == NULL ||
		    verdicts[verdict_row(r->rcpts[i].verdict)].rank >
		    verdicts[verdict_row(worst->verdict)].rank)
			worst = &r->rcpts[i];
	return worst;
}

/* "5.1.1 550 no such user (mx.example.org)": for reasons and history. */
static void
describe(const struct bjob *b, char *out, size_t len)
{
	const struct report_rcpt *x = b->x;
	/* "5.1.1 550 5.1.1 <a@b>: ...": the status once is enough. */
	const char *st = x->status && (x->diagnostic == NULL ||
	    strstr(x->diagnostic, x->status) == NULL) ? x->status : NULL;

	snprintf(out, len, "%s%s%.*s%s%s%s", st ? st : "",
	    st && x->diagnostic ? " " : "", DIAG_MAX,
	    x->diagnostic ? x->diagnostic : "", b->r->reporter ? " (" : "",
	    b->r->reporter ? b->r->reporter : "", b->r->reporter ? ")" : "");
	if (out[0] == '\0')
		snprintf(out, len, "%s", x->action ? x->action : "no status");
}

/*
 * A history entry on every lead the message stands for, or on its
 * contact when it stands for none.
 */
static int
note(struct bjob *b, const char *action, const char *remark, struct err *e)
{
	struct outgoing_lead *v = NULL;
	size_t i, n = 0;
	int rc = LG_OK;

	if (b->o->campaign_id != 0 &&
	    (rc = store_outgoing_leads(b->d->st, b->o->id, &v, &n, e)) != LG_OK)
		return rc;
	for (i = 0; i < n && rc == LG_OK; i++)
		rc = domain_lead_note(b->d, v[i].lead_id, action, remark, e);
	free(v);
	if (n > 0 || rc != LG_OK)
		return rc;
	if (b->o->lead_id != 0)
		return domain_lead_note(b->d, b->o->lead_id, action, remark, e);
	if (b->o->contact_id != 0)
		return domain_contact_note(b->d, b->o->contact_id, action,
		    remark, e);
	return LG_OK;
}

/* Recorded once per message, kind and action: 1 when it was already. */
static int
record(struct bjob *b, const char *kind, struct err *e)
{
	struct new_bounce nb;
	int rc;

	memset(&nb, 0, sizeof(nb));
	nb.report_key = b->key;
	nb.outgoing_id = b->o->id;
	nb.address = b->addr;
	nb.kind = kind;
	nb.action = b->x->action ? b->x->action : "failed";
	nb.status = b->x->status;
	nb.diagnostic = b->x->diagnostic;
	nb.reporter = b->r->reporter;
	rc = store_bounce_add(b->d->st, &nb, NULL, e);
	if (rc == LG_EEXIST) {
		snprintf(b->res->note, sizeof(b->res->note), "%s report about "
		    "%s was applied before: nothing changed", kind, b->what);
		return 1;
	}
	return rc;
}

/*
 * The address is dead: on the suppression list, and invalid for every
 * contact that writes to it (its first address); the other contacts
 * having it get a note. *marked counts the contacts flagged.
 */
static int
invalidate(struct bjob *b, const char *reason, const char *remark,
    int *marked, struct err *e)
{
	struct idlist ids = IDLIST_INIT;
	struct contact *c;
	size_t i;
	int rc;

	*marked = 0;
	if ((rc = store_suppression_add(b->d->st, b->addr, reason, e)) !=
	    LG_OK ||
	    (rc = unsub_contacts_with(b->d, b->addr, &ids, e)) != LG_OK)
		goto out;
	for (i = 0; i < ids.n && rc == LG_OK; i++) {
		if ((rc = store_contact_get(b->d->st, ids.v[i], &c, e)) !=
		    LG_OK)
			break;
		if (c->nemails > 0 && strcmp(c->emails[0].norm, b->addr) == 0 &&
		    !c->invalid_address) {
			/* Directly, as unsub.c does: no name is required. */
			c->invalid_address = 1;
			rc = store_contact_update(b->d->st, c, e);
			(*marked)++;
		}
		if (rc == LG_OK && c->id != b->o->contact_id)
			rc = domain_contact_note(b->d, c->id, "bounce", remark,
			    e);
		contact_free(c);
	}
out:
	idlist_free(&ids);
	return rc;
}

/* A hard bounce, or soft ones that reached the limit. */
static int
dead_address(struct bjob *b, const char *why, const char *history,
    struct err *e)
{
	char reason[400], remark[900];
	int rc, marked;

	snprintf(reason, sizeof(reason), "bounced: %s", why);
	snprintf(remark, sizeof(remark), "%s of %s: %s; %s on the suppression "
	    "list", history, b->what, why, b->addr);
	if ((rc = invalidate(b, reason, remark, &marked, e)) != LG_OK)
		return rc;
	if (marked > 0)
		snprintf(remark + strlen(remark), sizeof(remark) -
		    strlen(remark), ", address marked invalid");
	if ((rc = note(b, "bounce", remark, e)) != LG_OK)
		return rc;
	snprintf(b->res->note, sizeof(b->res->note), "%s of %s: %s; "
	    "suppressed%s", history, b->what, why, marked ? ", address "
	    "marked invalid" : "");
	return LG_OK;
}

static int
apply_hard(struct bjob *b, struct err *e)
{
	char why[400];

	describe(b, why, sizeof(why));
	return dead_address(b, why, "hard bounce", e);
}

static int
apply_soft(struct bjob *b, struct err *e)
{
	const struct config *cfg = b->cfg;
	char since[CLOCK_ISOLEN], why[400], count[600], remark[900];
	long n;
	int rc;

	clock_iso(clock_now() - cfg->bounce.soft_window, since, sizeof(since));
	if ((rc = store_bounce_soft_count(b->d->st, b->addr, since, &n, e)) !=
	    LG_OK)
		return rc;
	describe(b, why, sizeof(why));
	snprintf(count, sizeof(count), "%s; %ld of %d soft bounces within %d "
	    "days", why, n, cfg->bounce.soft_limit,
	    cfg->bounce.soft_window / 86400);
	if (n >= cfg->bounce.soft_limit)
		return dead_address(b, count, "soft bounce", e);
	snprintf(remark, sizeof(remark), "soft bounce of %s: %s", b->what,
	    count);
	if ((rc = note(b, "soft bounce", remark, e)) != LG_OK)
		return rc;
	snprintf(b->res->note, sizeof(b->res->note), "%s", remark);
	return LG_OK;
}

static int
apply_complaint(struct bjob *b, struct err *e)
{
	struct unsub_result ur = { NULL, 0 };
	char done[400], remark[900];
	int rc;

	if ((rc = unsub_address(b->d, b->addr, "complaint", &ur, e)) != LG_OK) {
		unsub_result_clear(&ur);
		return rc;
	}
	unsub_result_describe(&ur, done, sizeof(done));
	unsub_result_clear(&ur);
	snprintf(remark, sizeof(remark), "complaint (%s) about %s%s%s%s: "
	    "unsubscribed %s", b->x->action, b->what, b->r->reporter ? " (" :
	    "", b->r->reporter ? b->r->reporter : "", b->r->reporter ? ")" : "",
	    done);
	if ((rc = note(b, "complaint", remark, e)) != LG_OK)
		return rc;
	snprintf(b->res->note, sizeof(b->res->note), "%s", remark);
	return LG_OK;
}

/* Refused for policy, content and the like: the address stays. */
static int
apply_refused(struct bjob *b, struct err *e)
{
	char why[400], remark[900];
	int rc;

	describe(b, why, sizeof(why));
	snprintf(remark, sizeof(remark), "refused (%s) %s: %s; the address "
	    "stays", smtpfail_class_name(b->cls), b->what, why);
	if ((rc = note(b, "bounce", remark, e)) != LG_OK)
		return rc;
	snprintf(b->res->note, sizeof(b->res->note), "%s", remark);
	return LG_OK;
}

/*
 * The class of a failed delivery: Status is the word of the reporting
 * MTA, the Diagnostic-Code the remote server's reply; its enhanced code
 * counts when Status says no more than X.0.0, its reply code when it is
 * of the same class as Status.
 */
static enum smtpfail_class
failed_class(const struct report_rcpt *x)
{
	const char *denh = NULL, *enh = x->status;
	struct smtpfail f;
	int v[3], code;

	code = smtpfail_reply_code(x->diagnostic, &denh);
	if (denh != NULL && (enh == NULL || (smtpfail_enh_parse(enh, v) == 0 &&
	    v[1] == 0 && v[2] == 0)))
		enh = denh;
	if (enh != NULL && code / 100 != enh[0] - '0')
		code = 0;
	smtpfail_classify(code, enh, SF_DSN, &f);
	/* A failed report with nothing that says otherwise: hard. */
	return f.cls == SF_TEMPORARY || f.cls == SF_NONE ? SF_MAILBOX : f.cls;
}

static int
apply_nothing(struct bjob *b, struct err *e)
{
	(void)e;
	snprintf(b->res->note, sizeof(b->res->note), "%s report about %s: "
	    "nothing to do", b->x->action ? b->x->action : "status", b->what);
	return LG_OK;
}

/* A failed delivery, by its class; the class is kept with the message. */
static int
apply_failed(struct bjob *b, struct err *e)
{
	size_t i;
	int rc;

	b->cls = failed_class(b->x);
	for (i = 0; i < NFAILED - 1; i++)
		if (failed_classes[i].cls == b->cls)
			break;
	if ((rc = record(b, failed_classes[i].kind, e)) != LG_OK)
		return rc > 0 ? LG_OK : rc;
	if ((rc = store_outgoing_set_class(b->d->st, b->o->id, b->cls, e)) !=
	    LG_OK)
		return rc;
	return failed_classes[i].apply(b, e);
}

static int
apply(struct bjob *b, struct err *e)
{
	size_t row;
	int rc;

	if (norm_email(b->o->rcpt, b->addr, sizeof(b->addr), NULL) != LG_OK)
		return hold(b, "message %s has no valid recipient", b->o->rcpt);
	b->res->outgoing_id = b->o->id;
	b->res->contact_id = b->o->contact_id;
	if (b->o->template != NULL)
		snprintf(b->what, sizeof(b->what), "'%s' (message %lld) to %s",
		    b->o->template, (long long)b->o->id, b->addr);
	else
		snprintf(b->what, sizeof(b->what), "message %lld to %s",
		    (long long)b->o->id, b->addr);
	if ((b->x = pick(b->r, b->addr)) == NULL)
		return hold(b, "the report says nothing about a recipient");
	row = verdict_row(b->x->verdict);
	if (b->x->verdict == REPORT_HARD)
		return apply_failed(b, e);
	if (verdicts[row].kind != NULL &&
	    (rc = record(b, verdicts[row].kind, e)) != LG_OK)
		return rc > 0 ? LG_OK : rc;
	return verdicts[row].apply(b, e);
}

int
bounce_detect(const struct mail *m)
{
	return report_detect(m) != REPORT_NONE;
}

int
bounce_handle(struct domain *d, const struct config *cfg,
    const struct mail *m, const char *raw, size_t len,
    const char *report_key, struct bounce_result *res, struct err *e)
{
	struct report *r = NULL;
	struct bjob b;
	struct err pe;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&b, 0, sizeof(b));
	b.d = d;
	b.cfg = cfg;
	b.key = report_key;
	b.res = res;
	err_clear(&pe);
	if (report_parse(m, raw, len, &r, &pe) != LG_OK)
		return hold(&b, "unreadable report: %s", pe.msg);
	b.r = r;
	if ((rc = match(&b, e)) == LG_OK && !res->quarantine)
		rc = apply(&b, e);
	outgoing_free(b.o);
	report_free(r);
	return rc;
}
