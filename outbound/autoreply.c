#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/clock.h"
#include "core/config.h"
#include "core/domain.h"
#include "util/norm.h"
#include "core/outgoing.h"
#include "core/store.h"
#include "core/verp.h"
#include "util/xmalloc.h"
#include "outbound/autoreply.h"
#include "parse/mail.h"
#include "spool/spool.h"
#include "templates/letter.h"

/* Headers whose presence marks list traffic (RFC 2369, RFC 2919). */
static const char *const list_headers[] = {
	"List-Id", "List-Unsubscribe", "List-Post", "List-Help",
	"List-Subscribe", "List-Owner", "List-Archive", NULL,
};

/* Local parts that are robots, not people (Sieve vacation, RFC 5230 §4.6). */
static const struct {
	const char *text;
	enum { LP_IS, LP_PREFIX, LP_CONTAINS } how;
} robot_locals[] = {
	{ "mailer-daemon", LP_IS },
	{ "listserv", LP_IS },
	{ "majordomo", LP_IS },
	{ "postmaster", LP_IS },
	{ "owner-", LP_PREFIX },
	{ "-request", LP_CONTAINS },
};

/* Local parts that say "do not answer me". */
static const char *const noreply_locals[] = {
	"noreply", "no-reply", "no_reply", "donotreply", "do-not-reply",
	"do_not_reply", "nepasrepondre", "ne-pas-repondre", "ne_pas_repondre",
	"keineantwort", "keine-antwort", "nicht-antworten", "bounce", "bounces",
	NULL,
};

/* The bare address of an address header ("Anna <a@b.ch>" -> a@b.ch). */
static void
bare_address(const char *v, char *out, size_t len)
{
	const char *lt = strrchr(v, '<'), *gt;

	out[0] = '\0';
	if (lt && (gt = strchr(lt, '>')) != NULL)
		snprintf(out, len, "%.*s", (int)(gt - lt - 1), lt + 1);
	else
		snprintf(out, len, "%s", v);
	if (norm_email(out, out, len, NULL) != LG_OK)
		out[0] = '\0';
}

static size_t
local_part(const char *addr, char *out, size_t len)
{
	const char *at = strrchr(addr, '@');
	size_t n = at ? (size_t)(at - addr) : strlen(addr), i;

	if (n >= len)
		n = len - 1;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)addr[i]);
	out[n] = '\0';
	return n;
}

static int
is_robot(const char *addr)
{
	char lp[256];
	size_t i, n = local_part(addr, lp, sizeof(lp)), k;

	for (i = 0; i < sizeof(robot_locals) / sizeof(robot_locals[0]); i++) {
		k = strlen(robot_locals[i].text);
		switch (robot_locals[i].how) {
		case LP_IS:
			if (strcmp(lp, robot_locals[i].text) == 0)
				return 1;
			break;
		case LP_PREFIX:
			if (n > k && strncmp(lp, robot_locals[i].text, k) == 0)
				return 1;
			break;
		case LP_CONTAINS:
			if (strstr(lp, robot_locals[i].text) != NULL)
				return 1;
			break;
		}
	}
	return 0;
}

static int
is_noreply(const char *addr)
{
	char lp[256];
	size_t i;

	local_part(addr, lp, sizeof(lp));
	for (i = 0; noreply_locals[i]; i++)
		if (strcmp(lp, noreply_locals[i]) == 0)
			return 1;
	return 0;
}

static int
is_own(const struct config *cfg, const char *addr)
{
	char own[NORM_EMAIL_MAX + 1];
	size_t i;

	for (i = 0; i < cfg->mail.own_addresses.n; i++) {
		bare_address(cfg->mail.own_addresses.v[i], own, sizeof(own));
		if (own[0] && strcmp(own, addr) == 0)
			return 1;
	}
	if (cfg->mail.from && *cfg->mail.from) {
		bare_address(cfg->mail.from, own, sizeof(own));
		if (own[0] && strcmp(own, addr) == 0)
			return 1;
	}
	return 0;
}

/* An address in mail.own_domains (or a subdomain of one). */
static int
in_own_domain(const struct config *cfg, const char *addr)
{
	const char *at = strrchr(addr, '@'), *d;
	size_t i, n, dn;

	if (at == NULL)
		return 0;
	n = strlen(++at);
	for (i = 0; i < cfg->mail.own_domains.n; i++) {
		d = cfg->mail.own_domains.v[i];
		dn = strlen(d);
		if (n >= dn && strcasecmp(at + n - dn, d) == 0 &&
		    (n == dn || at[n - dn - 1] == '.'))
			return 1;
	}
	return 0;
}

/*
 * The answer goes back to one of the mail's own senders (From, Reply-To,
 * Sender or the envelope), not to a third party named inside it.
 */
static int
to_sender(const struct mail *m, const char *envelope_from, const char *target)
{
	static const char *const senders[] = { "Reply-To", "Sender", NULL };
	char a[NORM_EMAIL_MAX + 1];
	const char *v;
	size_t i;

	if (m->from_addr) {
		bare_address(m->from_addr, a, sizeof(a));
		if (strcasecmp(a, target) == 0)
			return 1;
	}
	if (envelope_from && *envelope_from) {
		bare_address(envelope_from, a, sizeof(a));
		if (strcasecmp(a, target) == 0)
			return 1;
	}
	for (i = 0; senders[i]; i++)
		if ((v = mail_header(m, senders[i])) != NULL) {
			bare_address(v, a, sizeof(a));
			if (strcasecmp(a, target) == 0)
				return 1;
		}
	return 0;
}

/*
 * Auto-Submitted and X-Auto-Response-Suppress speak of the mail itself and
 * always stop the reply. List headers and Precedence say the mail came
 * through a list or a bulk sender (RFC 2369, RFC 3834 §2): they stop an
 * answer to that sender, not one to a prospect a portal's notification
 * names, since many portals send their notifications with List-Unsubscribe.
 */
static int
header_says(const struct mail *m, const char *envelope_from,
    const char *target, char *why, size_t len)
{
	const char *v;
	size_t i;

	if ((v = mail_header(m, "Auto-Submitted")) != NULL) {
		while (isspace((unsigned char)*v))
			v++;
		if (strncasecmp(v, "no", 2) != 0 || isalnum((unsigned char)v[2]))
			return snprintf(why, len, "Auto-Submitted: %s", v), 1;
	}
	if ((v = mail_header(m, "X-Auto-Response-Suppress")) != NULL &&
	    (strcasestr(v, "all") || strcasestr(v, "oof")))
		return snprintf(why, len, "X-Auto-Response-Suppress: %s", v), 1;
	if (!to_sender(m, envelope_from, target))
		return 0;
	for (i = 0; list_headers[i]; i++)
		if (mail_header(m, list_headers[i]) != NULL)
			return snprintf(why, len, "mailing list (%s)",
			    list_headers[i]), 1;
	if ((v = mail_header(m, "Precedence")) != NULL &&
	    (strcasestr(v, "bulk") || strcasestr(v, "junk") ||
	    strcasestr(v, "list")))
		return snprintf(why, len, "Precedence: %s", v), 1;
	return 0;
}

static int
null_sender(const struct mail *m, const char *envelope_from)
{
	const char *rp = m->return_path;

	if (envelope_from != NULL && *envelope_from == '\0')
		return 1;
	if (envelope_from != NULL && strcmp(envelope_from, "<>") == 0)
		return 1;
	return rp != NULL && (*rp == '\0' || strcmp(rp, "<>") == 0);
}

/*
 * autoreply_suppressed(); from_own: a From among our own addresses stops
 * the reply (not in an agent's forward, where the From is the agent's
 * and the prospect's original was read).
 */
static int
suppressed(const struct mail *m, const char *envelope_from,
    const char *target, const struct config *cfg, int from_own, char *why,
    size_t len)
{
	char from[NORM_EMAIL_MAX + 1] = "", env[NORM_EMAIL_MAX + 1] = "";
	char to[NORM_EMAIL_MAX + 1] = "";

	if (target != NULL)
		bare_address(target, to, sizeof(to));
	if (to[0] == '\0')
		return snprintf(why, len, "no e-mail address to answer"), 1;
	target = to;
	if (m == NULL)
		return 0;	/* portal API items carry no mail headers */
	if (null_sender(m, envelope_from))
		return snprintf(why, len, "empty return path (<>)"), 1;
	if (header_says(m, envelope_from, target, why, len))
		return 1;
	if (m->from_addr)
		bare_address(m->from_addr, from, sizeof(from));
	if (envelope_from && *envelope_from)
		bare_address(envelope_from, env, sizeof(env));
	if (is_own(cfg, target) || (from_own && from[0] && is_own(cfg, from)) ||
	    (env[0] && is_own(cfg, env)))
		return snprintf(why, len, "the sender is one of our own "
		    "addresses"), 1;
	/* A web form's mailer may be ours (From): the target never is. */
	if (in_own_domain(cfg, target))
		return snprintf(why, len, "%s is in one of our own domains "
		    "(mail.own_domains)", target), 1;
	if (is_robot(target) || (env[0] && is_robot(env)) ||
	    (from[0] && is_robot(from)))
		return snprintf(why, len, "the sender is a robot (%s)",
		    is_robot(target) ? target : env[0] && is_robot(env) ? env :
		    from), 1;
	/* A portal's noreply sender is fine when the prospect's address is elsewhere. */
	if (is_noreply(target))
		return snprintf(why, len, "%s is a no-reply address and the "
		    "inquiry carries no other", target), 1;
	return 0;
}

int
autoreply_suppressed(const struct mail *m, const char *envelope_from,
    const char *target, const struct config *cfg, char *why, size_t len)
{
	return suppressed(m, envelope_from, target, cfg, 1, why, len);
}

/* Answered by this rule within autoreply.period: the per-sender limit. */
static int
recently_answered(struct domain *d, const struct config *cfg,
    const struct autoreply_req *r, char *why, size_t len, struct err *e)
{
	char since[CLOCK_ISOLEN];
	long n;

	if (cfg->autoreply.period <= 0)
		return 0;
	clock_iso(clock_now() - cfg->autoreply.period, since, sizeof(since));
	if (store_outgoing_recent(d->st, r->target, r->rule, since, &n, e) !=
	    LG_OK)
		return -1;
	if (n == 0)
		return 0;
	snprintf(why, len, "%s was already answered by rule %s within %d "
	    "days", r->target, r->rule, cfg->autoreply.period / 86400);
	return 1;
}

/*
 * What the contact and the suppression list say about writing at all.
 * The one suppression lookup for target: enqueue() tells the spool.
 */
static int
contact_refuses(struct domain *d, const struct autoreply_req *r, char *why,
    size_t len, struct err *e)
{
	char *reason = NULL;
	int rc;

	if (r->contact->opt_out) {
		snprintf(why, len, "the contact opted out");
		return 1;
	}
	if (r->contact->invalid_address) {
		snprintf(why, len, "the contact's address is marked invalid");
		return 1;
	}
	rc = store_suppression_get(d->st, r->target, &reason, e);
	if (rc == LG_OK)
		snprintf(why, len, "%s is on the suppression list (%s)",
		    r->target, reason);
	free(reason);
	return rc == LG_OK ? 1 : rc == LG_ENOENT ? 0 : -1;
}

static void
message_id(const struct config *cfg, int64_t lead, char *out, size_t len)
{
	char local[32];

	snprintf(local, sizeof(local), "ar.%lld", (long long)lead);
	outgoing_message_id(local, cfg->mail.domain, out, len);
}

/* The inquiry's Message-ID for In-Reply-To, when it is a sane one. */
static void
in_reply_to(const struct mail *m, char *out, size_t len)
{
	const char *p;

	out[0] = '\0';
	if (m == NULL || m->message_id == NULL || !strchr(m->message_id, '@'))
		return;
	for (p = m->message_id; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' ||
		    (unsigned char)*p >= 0x7f)
			return;
	snprintf(out, len, "<%s>", m->message_id);
}

/*
 * RFC 3834 §3.3: an automatic reply goes with the null return path,
 * unless its bounces are handled by the responder, as they are with
 * bounce.verp: then the reply has a VERP sender of its own and a bounce
 * of it marks the address.
 */
static int
enqueue(struct domain *d, const struct config *cfg, struct spool *sp,
    const struct autoreply_req *r, struct letter *lt, char *outcome,
    size_t len, struct err *e)
{
	struct outgoing *o;
	struct verp *v;
	int rc;

	/* Before anything is queued: a missing secret only costs the reply. */
	if ((rc = verp_load(cfg->bounce.verp, cfg->bounce.secret_file,
	    cfg->bounce.secret_env, &v, e)) != LG_OK) {
		snprintf(outcome, len, "reply not queued: %s", e->msg);
		return rc;
	}
	o = outgoing_new();

	o->dedup_key = outgoing_key_autoreply(r->lead->id, r->template);
	o->lead_id = r->lead->id;
	o->contact_id = r->lead->contact_id;
	o->template = xstrdup(r->template);
	o->rule = xstrdup(r->rule);
	o->sender = xstrdup("");
	o->rcpt = xstrdup(lt->rcpt);
	o->subject = xstrdup(lt->subject);
	o->advance_pipeline = xstrdup(r->lead->pipeline);
	o->advance_phase = r->advance_phase;
	/* contact_refuses() looked target up on the suppression list. */
	rc = spool_enqueue_checked(sp, d->st, o, lt->data.data, lt->data.len,
	    r->target, e);
	/* Queued: a failure now must undo the row (the caller rolls back). */
	if (rc == LG_OK && (rc = verp_sender(v, d->st, o, e)) == LG_EPERM)
		rc = LG_EINTERNAL;
	verp_free(v);
	if (rc == LG_OK)
		snprintf(outcome, len, "reply %s queued as message %lld to %s",
		    r->template, (long long)o->id, lt->rcpt);
	else if (rc == LG_EEXIST)
		snprintf(outcome, len, "reply %s was already queued",
		    r->template);
	else if (rc == LG_EPERM)
		snprintf(outcome, len, "reply not queued: %s", e->msg);
	outgoing_free(o);
	return rc;
}

static int
note(struct domain *d, const struct autoreply_req *r, const char *action,
    const char *text, struct err *e)
{
	return domain_lead_note_on(d, r->lead, action, text, e) == LG_OK ?
	    LG_OK : LG_ETEMP;
}

int
autoreply_queue(struct domain *d, const struct config *cfg, struct spool *sp,
    const struct autoreply_req *r, int *queued, char *outcome, size_t len,
    struct err *e)
{
	struct letter_req req;
	struct letter lt;
	char why[512], mid[160], irt[1024];
	int rc;

	*queued = 0;
	/* A failed lookup (< 0) must not be hidden by the next one. */
	if (suppressed(r->mail, r->envelope_from, r->target, cfg,
	    !r->forwarded, why, sizeof(why)) ||
	    (rc = recently_answered(d, cfg, r, why, sizeof(why), e)) > 0 ||
	    (rc == 0 && (rc = contact_refuses(d, r, why, sizeof(why),
	    e)) > 0)) {
		snprintf(outcome, len, "no reply: %s", why);
		return sp ? note(d, r, "autoreply skipped", why, e) : LG_OK;
	}
	if (rc < 0)
		return LG_ETEMP;
	message_id(cfg, r->lead->id, mid, sizeof(mid));
	in_reply_to(r->mail, irt, sizeof(irt));
	memset(&req, 0, sizeof(req));
	req.template = r->template;
	req.lead_id = r->lead->id;
	req.contact = r->contact;
	req.lead = r->lead;
	req.to = r->target;
	req.kind = LETTER_AUTOREPLY;
	req.message_id = mid;
	req.in_reply_to = irt[0] ? irt : NULL;
	memset(&lt, 0, sizeof(lt));
	if ((rc = letter_build(d->st, d->pl, cfg, &req, &lt, e)) != LG_OK) {
		/* A template mistake must not cost the lead: say it and go on. */
		snprintf(outcome, len, "no reply: %s", e->msg);
		letter_clear(&lt);
		return sp ? note(d, r, "autoreply failed", e->msg, e) : LG_OK;
	}
	if (sp == NULL) {
		snprintf(outcome, len, "would reply with %s to %s", r->template,
		    lt.rcpt);
		letter_clear(&lt);
		return LG_OK;
	}
	rc = enqueue(d, cfg, sp, r, &lt, outcome, len, e);
	letter_clear(&lt);
	if (rc == LG_ETEMP || rc == LG_EINTERNAL)
		return LG_ETEMP;
	*queued = rc == LG_OK;
	return note(d, r, rc == LG_OK ? "autoreply queued" : "autoreply "
	    "skipped", outcome, e);
}
