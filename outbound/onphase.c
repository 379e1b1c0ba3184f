#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/domain.h"
#include "core/outgoing.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "outbound/assign.h"
#include "outbound/onphase.h"
#include "spool/spool.h"
#include "templates/letter.h"
#include "util/xmalloc.h"

/* Arrivals one run takes at most: a step that moves leads cannot loop. */
#define ONPHASE_MAX 10000

struct step_ctx {
	struct domain *d;
	const struct config *cfg;
	struct spool *sp;
	const struct phase_arrival *a;
	const struct phase *ph;
	char outcome[512];
};

/* LG_OK when written, LG_EPERM when it cannot be (said in outcome). */
static int
step_send(struct step_ctx *x, const char *template, struct err *e)
{
	struct letter_req req;
	struct letter lt;
	struct outgoing *o;
	struct contact *c = NULL;
	struct lead *l = NULL;
	char mid[160], local[48];
	int rc;

	if (x->sp == NULL) {
		snprintf(x->outcome, sizeof(x->outcome), "not sent: no spool");
		return LG_OK;
	}
	if ((rc = store_lead_get(x->d->st, x->a->lead_id, &l, e)) != LG_OK ||
	    (rc = store_contact_get(x->d->st, l->contact_id, &c, e)) != LG_OK)
		goto out;
	if (c->opt_out || c->invalid_address || c->nemails == 0) {
		snprintf(x->outcome, sizeof(x->outcome), "not sent: the contact "
		    "%s", c->opt_out ? "opted out" : c->invalid_address ?
		    "has an invalid address" : "has no e-mail address");
		goto out;
	}
	snprintf(local, sizeof(local), "ph.%lld", (long long)x->a->id);
	outgoing_message_id(local, x->cfg->mail.domain, mid, sizeof(mid));
	memset(&req, 0, sizeof(req));
	req.template = template;
	req.lead_id = l->id;
	req.lead = l;
	req.contact = c;
	req.kind = LETTER_PLAIN;
	req.message_id = mid;
	memset(&lt, 0, sizeof(lt));
	if ((rc = letter_build(x->d->st, x->d->pl, x->cfg, &req, &lt, e)) !=
	    LG_OK) {
		snprintf(x->outcome, sizeof(x->outcome), "not sent: %s",
		    e->msg);
		letter_clear(&lt);
		rc = LG_OK;
		goto out;
	}
	o = outgoing_new();
	o->dedup_key = xasprintf("phase.%lld.%s", (long long)x->a->id,
	    template);
	o->lead_id = l->id;
	o->contact_id = c->id;
	o->template = xstrdup(template);
	o->sender = xstrdup(lt.sender ? lt.sender : "");
	o->rcpt = xstrdup(lt.rcpt);
	o->subject = xstrdup(lt.subject);
	rc = spool_enqueue(x->sp, x->d->st, o, lt.data.data, lt.data.len, e);
	if (rc == LG_OK)
		snprintf(x->outcome, sizeof(x->outcome), "queued as message "
		    "%lld to %s", (long long)o->id, lt.rcpt);
	else if (rc == LG_EEXIST)
		snprintf(x->outcome, sizeof(x->outcome), "already queued");
	else if (rc == LG_EPERM)
		snprintf(x->outcome, sizeof(x->outcome), "not sent: %s",
		    e->msg);
	if (rc == LG_EEXIST || rc == LG_EPERM)
		rc = LG_OK;
	outgoing_free(o);
	letter_clear(&lt);
out:
	lead_free(l);
	contact_free(c);
	return rc;
}

static int
step_convert(struct step_ctx *x, const char *targets, struct err *e)
{
	struct convert_result res;
	unsigned t;
	int rc;

	if (convert_targets_parse(targets, &t, e) != LG_OK) {
		snprintf(x->outcome, sizeof(x->outcome), "%s", e->msg);
		return LG_OK;
	}
	rc = domain_lead_convert(x->d, x->a->lead_id, t, &res, e);
	if (rc == LG_EPERM) {
		/* Refused before it wrote anything (domain_lead_convert()). */
		snprintf(x->outcome, sizeof(x->outcome), "%s", e->msg);
		return LG_OK;
	}
	if (rc == LG_OK)
		snprintf(x->outcome, sizeof(x->outcome), "converted");
	return rc;
}

static int
step_assign(struct step_ctx *x, const char *agent, struct err *e)
{
	const struct agent *ag;
	int rc;

	rc = assign_lead(x->d, x->cfg, x->a->lead_id, *agent ? agent : NULL,
	    "on_phase", &ag, e);
	if (rc == LG_EPERM || rc == LG_EEXIST) {
		snprintf(x->outcome, sizeof(x->outcome), "%s", e->msg);
		return LG_OK;
	}
	if (rc == LG_OK)
		snprintf(x->outcome, sizeof(x->outcome), "%s", ag ? ag->name :
		    "no assignment rule matched");
	return rc;
}

static int
step_notify(struct step_ctx *x, const char *agent, struct err *e)
{
	const struct agent *ag = NULL;
	char event[96], key[48];

	if (*agent && (ag = agents_find(&x->cfg->agents, agent)) == NULL) {
		snprintf(x->outcome, sizeof(x->outcome), "no agent '%s'",
		    agent);
		return LG_OK;
	}
	snprintf(event, sizeof(event), "phase %d (%s)", x->ph->no,
	    x->ph->name);
	snprintf(key, sizeof(key), "phase.%lld", (long long)x->a->id);
	snprintf(x->outcome, sizeof(x->outcome), "see the notify entry");
	return assign_notify(x->d, x->cfg, x->sp, x->a->lead_id, ag, event,
	    key, e);
}

static int
step_run(struct step_ctx *x, const struct phase_step *s, struct err *e)
{
	char remark[768];
	int rc;

	x->outcome[0] = '\0';
	switch (s->kind) {
	case STEP_SEND:
		rc = step_send(x, s->arg, e);
		break;
	case STEP_CONVERT:
		rc = step_convert(x, s->arg, e);
		break;
	case STEP_ASSIGN:
		rc = step_assign(x, s->arg, e);
		break;
	default:
		rc = step_notify(x, s->arg, e);
		break;
	}
	if (rc != LG_OK)
		return rc;
	snprintf(remark, sizeof(remark), "arrival %lld in phase %d: %s%s%s: "
	    "%s", (long long)x->a->id, x->ph->no, step_kind_name(s->kind),
	    *s->arg ? " " : "", s->arg, x->outcome);
	return domain_lead_note(x->d, x->a->lead_id, "on_phase", remark, e);
}

static int
onphase_one(struct step_ctx *x, int *ran, struct err *e)
{
	const struct pipeline *pl = pipelines_find(x->d->pl, x->a->pipeline);
	size_t i;
	int rc;

	x->ph = pl ? pipeline_phase(pl, x->a->phase_no) : NULL;
	for (i = 0; x->ph && i < x->ph->nsteps; i++) {
		if ((rc = step_run(x, &x->ph->steps[i], e)) != LG_OK)
			return rc;
		if (ran)
			(*ran)++;
	}
	return store_arrival_done(x->d->st, x->a->id, e);
}

int
onphase_run(struct domain *d, const struct config *cfg, struct spool *sp,
    int *ran, struct err *e)
{
	struct step_ctx x;
	struct phase_arrival a;
	int64_t after = 0;
	int n, rc = LG_OK;

	if (ran)
		*ran = 0;
	/* No steps anywhere: nothing to run, and nothing kept for later. */
	if (!pipelines_have_steps(d->pl))
		return store_arrival_done(d->st, 0, e) == LG_OK ? LG_OK :
		    LG_ETEMP;
	memset(&x, 0, sizeof(x));
	x.d = d;
	x.cfg = cfg;
	x.sp = sp;
	for (n = 0; n < ONPHASE_MAX; n++) {
		if ((rc = store_arrival_next(d->st, after, &a, e)) != LG_OK)
			break;
		x.a = &a;
		after = a.id;
		rc = onphase_one(&x, ran, e);
		phase_arrival_clear(&a);
		if (rc != LG_OK)
			break;
	}
	if (rc == LG_ENOENT)
		rc = LG_OK;
	return rc == LG_OK || rc == LG_EPERM ? rc : LG_ETEMP;
}
