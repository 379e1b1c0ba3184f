#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "core/config.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "core/view.h"
#include "util/xmalloc.h"
#include "templates/headers.h"
#include "templates/vars.h"

#define TOKEN_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
    "0123456789-_"

static json_t *
vars_str(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;

	return v ? v : json_string("");
}

int
vars_person(const char *mailbox, const char *what, json_t **out,
    struct err *e)
{
	char *name = NULL, *addr = NULL;

	if (mailbox != NULL && *mailbox != '\0' &&
	    headers_parse_mailbox(mailbox, &name, &addr, e) != LG_OK)
		return err_prefix(e, "%s", what);
	*out = json_pack("{s:o, s:o}", "name", vars_str(name), "email",
	    vars_str(addr));
	free(name);
	free(addr);
	return LG_OK;
}

int
vars_token_ok(const char *token)
{
	return token != NULL && *token != '\0' &&
	    token[strspn(token, TOKEN_CHARS)] == '\0';
}

/* mail.unsubscribe_url with every {token} replaced. */
static int
vars_unsub_url(const struct config *cfg, const char *token, json_t **out,
    struct err *e)
{
	const char *url = cfg->mail.unsubscribe_url, *p, *hit;
	struct buf b = BUF_INIT;

	if (token == NULL || *url == '\0') {
		*out = json_string("");
		return LG_OK;
	}
	if (!vars_token_ok(token))
		return err_set(e, LG_EPERM, "unsubscribe token '%.40s' is not "
		    "made of letters, digits, '-' and '_'", token);
	if (strstr(url, "{token}") == NULL)
		return err_set(e, LG_EPERM, "mail.unsubscribe_url '%.100s' has "
		    "no {token}", url);
	for (p = url; (hit = strstr(p, "{token}")) != NULL; p = hit + 7) {
		buf_add(&b, p, (size_t)(hit - p));
		buf_adds(&b, token);
	}
	buf_adds(&b, p);
	*out = vars_str(buf_str(&b));
	buf_free(&b);
	return LG_OK;
}

static void
vars_lead(json_t *ctx, const struct lead *l, const struct pipelines *pl)
{
	const struct pipeline *p = pl ? pipelines_find(pl, l->pipeline) : NULL;
	const struct phase *ph = p ? pipeline_phase(p, l->phase_no) : NULL;

	json_object_set_new(ctx, "lead", view_lead(l, pl));
	json_object_set_new(ctx, "object", json_pack("{s:o, s:o, s:o}",
	    "ref", vars_str(l->object_ref),
	    "portal_ref", vars_str(l->portal_object_ref),
	    "portal", vars_str(l->portal)));
	json_object_set_new(ctx, "phase", json_pack("{s:I, s:o, s:o}",
	    "no", (json_int_t)l->phase_no,
	    "name", vars_str(ph ? ph->name : NULL),
	    "pipeline", vars_str(l->pipeline)));
}

/*
 * The message's own lead (ctx's "lead", ONE the lead it was made of) is
 * shared, not made again: a bulk message's first lead is both.
 */
static int
vars_leads_add(json_t *a, const struct lead *l, json_t *ctx,
    const struct lead *one, const struct pipelines *pl, int64_t cid,
    struct err *e)
{
	json_t *v;

	if (l->contact_id != cid)
		return err_set(e, LG_EPERM, "lead %lld belongs to contact %lld, "
		    "not %lld", (long long)l->id, (long long)l->contact_id,
		    (long long)cid);
	if (one != NULL && one->id == l->id &&
	    (v = json_object_get(ctx, "lead")) != NULL)
		json_array_append(a, v);
	else
		json_array_append_new(a, view_lead(l, pl));
	return LG_OK;
}

/* The leads of a bulk message, else the one lead (ONE), as an array. */
static int
vars_leads(json_t *ctx, struct store *st, const struct pipelines *pl,
    const struct vars_req *req, const struct lead *one, int64_t cid,
    struct err *e)
{
	json_t *a = json_array(), *v;
	struct lead *l;
	size_t i;
	int rc = LG_OK;

	for (i = 0; i < req->nleads && rc == LG_OK; i++) {
		if (req->leads != NULL)
			l = NULL;
		else if ((rc = store_lead_get(st, req->lead_ids[i], &l, e)) !=
		    LG_OK)
			break;
		rc = vars_leads_add(a, l ? l : req->leads[i], ctx, one, pl,
		    cid, e);
		lead_free(l);
	}
	if (rc != LG_OK) {
		json_decref(a);
		return rc;
	}
	if (req->nleads == 0 && (v = json_object_get(ctx, "lead")) != NULL)
		json_array_append(a, v);
	json_object_set_new(ctx, "leads", a);
	return LG_OK;
}

/*
 * The address to write to: the one asked for when the contact has it (a
 * reply goes to the address that wrote, not to another one a phone or a
 * name matched), else the contact's first.
 */
static const char *
vars_recipient(const struct contact *c, const char *to)
{
	size_t i;

	for (i = 0; to != NULL && i < c->nemails; i++)
		if (c->emails[i].norm && strcmp(c->emails[i].norm, to) == 0)
			return c->emails[i].norm;
	return c->emails[0].norm;
}

/* An agent's notification: the agent is the recipient, with a link. */
static void
vars_agent(json_t *ctx, const struct config *cfg, const struct vars_req *req,
    int64_t lead_id)
{
	const char *base = cfg->notify.public_url;
	size_t n = base ? strlen(base) : 0;
	char *url;

	json_object_set_new(ctx, "recipient", json_pack("{s:o, s:o}",
	    "name", vars_str(req->agent_name), "email",
	    vars_str(req->agent_email)));
	json_object_set_new(ctx, "assignee", json_pack("{s:o, s:o, s:o}",
	    "name", vars_str(req->agent_name), "email",
	    vars_str(req->agent_email), "branch",
	    vars_str(req->agent_branch)));
	while (n > 0 && base[n - 1] == '/')
		n--;
	url = n && lead_id ? xasprintf("%.*s/leads/%lld", (int)n, base,
	    (long long)lead_id) : xstrdup("");
	json_object_set_new(ctx, "lead_url", json_string(url));
	free(url);
}

static int
vars_contact(json_t *ctx, const struct contact *c, const char *to,
    int for_agent, struct err *e)
{
	char name[512];

	if (for_agent) {
		json_object_set_new(ctx, "contact", view_contact(c));
		return LG_OK;
	}
	if (c->nemails == 0)
		return err_set(e, LG_EPERM, "contact %lld has no e-mail address",
		    (long long)c->id);
	json_object_set_new(ctx, "contact", view_contact(c));
	json_object_set_new(ctx, "recipient", json_pack("{s:o, s:o}",
	    "name", vars_str(contact_display_name(c, name, sizeof(name))),
	    "email", vars_str(vars_recipient(c, to))));
	return LG_OK;
}

static int
vars_fill(struct store *st, const struct pipelines *pl,
    const struct config *cfg, const struct vars_req *req, json_t *ctx,
    struct err *e)
{
	const struct contact *c = req->contact;
	const struct lead *l = req->lead;
	struct contact *cread = NULL;
	struct lead *lread = NULL;
	int64_t cid = c ? c->id : req->contact_id;
	json_t *v;
	int rc;

	if (l == NULL && req->lead_id) {
		if ((rc = store_lead_get(st, req->lead_id, &lread, e)) != LG_OK)
			return rc;
		l = lread;
	}
	if (l && cid && cid != l->contact_id) {
		rc = err_set(e, LG_EPERM, "lead %lld belongs to contact %lld, "
		    "not %lld", (long long)l->id, (long long)l->contact_id,
		    (long long)cid);
		goto out;
	}
	if (l)
		cid = l->contact_id;
	if (cid == 0) {
		rc = err_set(e, LG_EPERM, "no contact to write to");
		goto out;
	}
	if (c == NULL) {
		if ((rc = store_contact_get(st, cid, &cread, e)) != LG_OK)
			goto out;
		c = cread;
	}
	if ((rc = vars_contact(ctx, c, req->to, req->agent_email != NULL,
	    e)) != LG_OK)
		goto out;
	if (req->agent_email)
		vars_agent(ctx, cfg, req, l ? l->id : 0);
	if (l)
		vars_lead(ctx, l, pl);
	if ((rc = vars_leads(ctx, st, pl, req, l, cid, e)) != LG_OK)
		goto out;
	if ((rc = vars_person(cfg->mail.from, "mail.from", &v, e)) != LG_OK)
		goto out;
	json_object_set(ctx, "sender", v);
	json_object_set_new(ctx, "agent", v);
	if ((rc = vars_unsub_url(cfg, req->unsub_token, &v, e)) == LG_OK)
		json_object_set_new(ctx, "unsubscribe_url", v);
out:
	contact_free(cread);
	lead_free(lread);
	return rc;
}

int
vars_build(struct store *st, const struct pipelines *pl,
    const struct config *cfg, const struct vars_req *req, json_t **out,
    struct err *e)
{
	json_t *ctx = json_object();
	int rc;

	if ((rc = vars_fill(st, pl, cfg, req, ctx, e)) != LG_OK) {
		json_decref(ctx);
		return rc;
	}
	*out = ctx;
	return LG_OK;
}
