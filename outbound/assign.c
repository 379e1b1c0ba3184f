#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/agents.h"
#include "core/config.h"
#include "core/domain.h"
#include "core/outgoing.h"
#include "core/store.h"
#include "outbound/assign.h"
#include "spool/spool.h"
#include "templates/letter.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define MOD "assign"

/* The agent the rule picks: its only one, or the pool's next turn. */
static int
assign_pick(struct domain *d, const struct assign_rule *ar,
    const struct agents *a, const struct agent **out, char *how, size_t len,
    struct err *e)
{
	long turn = 0;
	int rc;

	if (ar->agents.n > 1 &&
	    (rc = store_assign_turn(d->st, ar->name, &turn, e)) != LG_OK)
		return rc;
	*out = agents_find(a, ar->agents.v[(size_t)turn % ar->agents.n]);
	if (*out == NULL)
		return err_set(e, LG_EPERM, "assign rule '%s' names an "
		    "unknown agent", ar->name);
	if (ar->agents.n > 1)
		snprintf(how, len, "assign rule '%s', turn %ld of %zu",
		    ar->name, turn % (long)ar->agents.n + 1, ar->agents.n);
	else
		snprintf(how, len, "assign rule '%s'", ar->name);
	return LG_OK;
}

int
assign_lead(struct domain *d, const struct config *cfg, int64_t lead_id,
    const char *agent, const char *how, const struct agent **out,
    struct err *e)
{
	const struct assign_rule *ar;
	const struct agent *ag = NULL;
	struct contact *c = NULL;
	struct lead *l = NULL;
	char text[256];
	int rc;

	if (out)
		*out = NULL;
	if (agent != NULL) {
		if ((ag = agents_find(&cfg->agents, agent)) == NULL)
			return err_set(e, LG_EPERM, "no agent '%s' (see agents "
			    "in leadgate.conf(5))", agent);
		snprintf(text, sizeof(text), "%s", how ? how : "by hand");
	} else {
		if ((rc = store_lead_get(d->st, lead_id, &l, e)) != LG_OK ||
		    (rc = store_contact_get(d->st, l->contact_id, &c, e)) !=
		    LG_OK)
			goto out;
		if ((ar = agents_rule_for(&cfg->agents, l, c)) == NULL) {
			rc = LG_OK;
			goto out;
		}
		if ((rc = assign_pick(d, ar, &cfg->agents, &ag, text,
		    sizeof(text), e)) != LG_OK)
			goto out;
	}
	rc = domain_lead_assign(d, lead_id, ag->name, text, e);
	if (rc == LG_OK && out)
		*out = ag;
out:
	lead_free(l);
	contact_free(c);
	return rc;
}

static int
assign_enqueue(struct domain *d, struct spool *sp, const struct lead *l,
    const struct agent *ag, const char *template, const char *key,
    struct letter *lt, struct err *e)
{
	struct outgoing *o = outgoing_new();
	int rc;

	o->dedup_key = xasprintf("notify.%lld.%s.%s", (long long)l->id, key,
	    ag->name);
	o->lead_id = l->id;
	o->contact_id = l->contact_id;
	o->template = xstrdup(template);
	o->sender = xstrdup(lt->sender ? lt->sender : "");
	o->rcpt = xstrdup(lt->rcpt);
	o->subject = xstrdup(lt->subject);
	rc = spool_enqueue(sp, d->st, o, lt->data.data, lt->data.len, e);
	outgoing_free(o);
	return rc;
}

static int
assign_note(struct domain *d, int64_t lead_id, const char *text,
    struct err *e)
{
	return domain_lead_note(d, lead_id, "notify", text, e) == LG_OK ?
	    LG_OK : LG_ETEMP;
}

int
assign_notify(struct domain *d, const struct config *cfg, struct spool *sp,
    int64_t lead_id, const struct agent *ag, const char *event,
    const char *key, struct err *e)
{
	struct letter_req req;
	struct letter lt;
	struct lead *l = NULL;
	char *who = NULL, mid[160], local[48], text[512];
	int rc;

	if ((rc = store_lead_get(d->st, lead_id, &l, e)) != LG_OK)
		return rc;
	if (ag == NULL && (who = domain_lead_assignee(l)) != NULL)
		ag = agents_find(&cfg->agents, who);
	if (ag == NULL || sp == NULL) {
		if (who != NULL && sp != NULL) {
			snprintf(text, sizeof(text), "%s: assignee '%s' is not "
			    "an agent of the configuration", event, who);
			rc = assign_note(d, lead_id, text, e);
		}
		goto out;
	}
	snprintf(local, sizeof(local), "nt.%lld", (long long)lead_id);
	outgoing_message_id(local, cfg->mail.domain, mid, sizeof(mid));
	memset(&req, 0, sizeof(req));
	req.template = cfg->notify.template;
	req.lead_id = l->id;
	req.lead = l;
	req.kind = LETTER_PLAIN;
	req.message_id = mid;
	req.agent_name = ag->name;
	req.agent_email = ag->email;
	req.agent_branch = ag->branch;
	memset(&lt, 0, sizeof(lt));
	if ((rc = letter_build(d->st, d->pl, cfg, &req, &lt, e)) != LG_OK) {
		/* A template mistake must not cost the lead: say it. */
		snprintf(text, sizeof(text), "%s: %s not notified: %s", event,
		    ag->name, e->msg);
		letter_clear(&lt);
		rc = assign_note(d, lead_id, text, e);
		goto out;
	}
	rc = assign_enqueue(d, sp, l, ag, cfg->notify.template, key, &lt, e);
	letter_clear(&lt);
	if (rc == LG_EEXIST) {
		rc = LG_OK;	/* notified before: once is enough */
		goto out;
	}
	if (rc == LG_EPERM) {
		snprintf(text, sizeof(text), "%s: %s not notified: %s", event,
		    ag->name, e->msg);
		rc = assign_note(d, lead_id, text, e);
		goto out;
	}
	if (rc != LG_OK) {
		rc = LG_ETEMP;
		goto out;
	}
	snprintf(text, sizeof(text), "%s: %s notified at %s", event, ag->name,
	    ag->email);
	rc = assign_note(d, lead_id, text, e);
out:
	free(who);
	lead_free(l);
	return rc;
}

int
assign_new_lead(struct domain *d, const struct config *cfg,
    struct spool *sp, int64_t lead_id, struct err *e)
{
	struct lead *l;
	char *who;
	int rc;

	if (cfg->agents.n == 0)
		return LG_OK;
	if ((rc = store_lead_get(d->st, lead_id, &l, e)) != LG_OK)
		return rc;
	who = domain_lead_assignee(l);
	lead_free(l);
	if (who == NULL && (rc = assign_lead(d, cfg, lead_id, NULL, NULL,
	    NULL, e)) != LG_OK) {
		free(who);
		return rc;
	}
	free(who);
	return assign_notify(d, cfg, sp, lead_id, NULL, "new lead", "new", e);
}
