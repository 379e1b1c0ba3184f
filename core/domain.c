#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/clock.h"
#include "core/domain.h"
#include "util/log.h"
#include "core/pipeline.h"
#include "util/xmalloc.h"

#define MOD "domain"

static int
blank(const char *s)
{
	if (s == NULL)
		return 1;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return 0;
	return 1;
}

/* Append ", what" to a list of missing fields. */
static void
missing(struct buf *b, const char *what)
{
	buf_printf(b, "%s%s", b->len ? ", " : "", what);
}

static void
contact_missing(const struct contact *c, enum contact_kind kind,
    struct buf *b)
{
	if (c->type == CONTACT_COMPANY) {
		if (blank(c->company))
			missing(b, "company name");
		return;
	}
	if (blank(c->first_name))
		missing(b, "first name");
	if (blank(c->last_name))
		missing(b, "last name");
	if (kind != KIND_LEAD && c->nemails == 0)
		missing(b, "e-mail");
}

int
domain_contact_check(const struct contact *c, struct err *e)
{
	struct buf b = BUF_INIT;
	int rc = LG_OK;

	contact_missing(c, c->kind, &b);
	if (b.len)
		rc = err_set(e, LG_EPERM, "a %s %s needs: %s",
		    contact_kind_name(c->kind), contact_type_name(c->type),
		    buf_str(&b));
	buf_free(&b);
	return rc;
}

static int
domain_check_company(struct domain *d, const struct contact *c,
    struct err *e)
{
	struct contact *co;
	int rc;

	if (c->company_id == 0)
		return LG_OK;
	if (c->type == CONTACT_COMPANY)
		return err_set(e, LG_EPERM, "a company cannot be an employee "
		    "of another company");
	if ((rc = store_contact_get(d->st, c->company_id, &co, e)) != LG_OK)
		return err_prefix(e, "company");
	if (co->type != CONTACT_COMPANY)
		rc = err_set(e, LG_EPERM, "contact %lld is not a company",
		    (long long)c->company_id);
	contact_free(co);
	return rc;
}

static int
domain_history(struct domain *d, int64_t lead_id, int64_t contact_id,
    const char *action, int before, int after, const char *remark,
    struct err *e)
{
	struct new_history h;

	memset(&h, 0, sizeof(h));
	h.lead_id = lead_id;
	h.contact_id = contact_id;
	h.action = action;
	h.phase_before = before;
	h.phase_after = after;
	h.remark = remark;
	return store_history_add(d->st, &h, NULL, e);
}

int
domain_contact_add(struct domain *d, struct contact *c, struct err *e)
{
	int rc;

	if ((rc = domain_contact_check(c, e)) != LG_OK ||
	    (rc = domain_check_company(d, c, e)) != LG_OK ||
	    (rc = store_contact_insert(d->st, c, e)) != LG_OK)
		return rc;
	return domain_history(d, 0, c->id, "created", 0, 0, NULL, e);
}

int
domain_contact_email_taken(struct domain *d, const struct contact *c,
    size_t from, int64_t *id, struct err *e)
{
	size_t i;
	int rc;

	for (i = from; i < c->nemails; i++) {
		rc = store_contact_find(d->st, MATCH_EMAIL, c->emails[i].norm,
		    id, NULL);
		if (rc == LG_OK && *id != c->id)
			return err_set(e, LG_EEXIST, "%s is already the "
			    "address of contact %lld", c->emails[i].norm,
			    (long long)*id);
		if (rc != LG_OK && rc != LG_ENOENT)
			return store_contact_find(d->st, MATCH_EMAIL,
			    c->emails[i].norm, id, e);
	}
	*id = 0;
	return LG_OK;
}

int
domain_contact_link_company(struct domain *d, struct contact *c,
    const char *name, struct err *e)
{
	struct contact *co;
	int64_t id;
	int rc;

	if (name == NULL || *name == '\0')
		return err_set(e, LG_EPERM, "a company name is empty");
	rc = store_contact_find(d->st, MATCH_COMPANY, name, &id, NULL);
	if (rc == LG_OK) {
		c->company_id = id;
		return LG_OK;
	}
	if (rc != LG_ENOENT)
		return store_contact_find(d->st, MATCH_COMPANY, name, &id, e);
	co = contact_new();
	co->type = CONTACT_COMPANY;
	co->kind = c->kind;
	co->company = xstrdup(name);
	if ((rc = domain_contact_add(d, co, e)) == LG_OK)
		c->company_id = co->id;
	contact_free(co);
	return rc;
}

int
domain_contact_merge(struct domain *d, int64_t keep, int64_t other,
    struct err *e)
{
	struct contact *k = NULL, *o = NULL;
	char remark[80];
	int rc;

	if (keep == other)
		return err_set(e, LG_EPERM, "cannot merge contact %lld into "
		    "itself", (long long)keep);
	if ((rc = store_contact_get(d->st, keep, &k, e)) != LG_OK ||
	    (rc = store_contact_get(d->st, other, &o, e)) != LG_OK)
		goto out;
	if (k->type != o->type) {
		rc = err_set(e, LG_EPERM, "contact %lld is a %s, contact %lld "
		    "a %s: only two people or two companies merge",
		    (long long)keep, contact_type_name(k->type),
		    (long long)other, contact_type_name(o->type));
		goto out;
	}
	if ((rc = store_contact_merge(d->st, keep, other, e)) != LG_OK)
		goto out;
	snprintf(remark, sizeof(remark), "contact %lld merged into this one",
	    (long long)other);
	if ((rc = domain_history(d, 0, keep, "merged", 0, 0, remark,
	    e)) != LG_OK)
		goto out;
	rc = domain_refresh_states(d, keep, 0, e);
out:
	contact_free(k);
	contact_free(o);
	return rc;
}

int
domain_contact_add_inquiry(struct domain *d, struct contact *c,
    const char *remark, struct err *e)
{
	struct buf b = BUF_INIT;
	char *text;
	int rc;

	if (c->nemails == 0 && c->nphones == 0)
		return err_set(e, LG_EPERM, "an inquiry needs an e-mail address "
		    "or a phone number");
	if ((rc = domain_check_company(d, c, e)) != LG_OK ||
	    (rc = store_contact_insert(d->st, c, e)) != LG_OK)
		return rc;
	contact_missing(c, c->kind, &b);
	text = b.len ? xasprintf("%s; still missing: %s", remark, buf_str(&b)) :
	    xstrdup(remark);
	rc = domain_history(d, 0, c->id, "created", 0, 0, text, e);
	free(text);
	buf_free(&b);
	return rc;
}

int
domain_contact_update(struct domain *d, struct contact *c, struct err *e)
{
	int rc;

	if ((rc = domain_contact_check(c, e)) != LG_OK ||
	    (rc = domain_check_company(d, c, e)) != LG_OK)
		return rc;
	return store_contact_update(d->st, c, e);
}

void
domain_derive_states(const struct lead_summary *s, enum prospect_state cur_p,
    enum client_state cur_c, int just_won, enum prospect_state *p,
    enum client_state *c)
{
	(void)cur_p;
	if (s->open > 0)
		*p = PROSPECT_CURRENT;
	else if (s->won + s->lost == 0)
		*p = PROSPECT_NONE;
	else
		*p = s->last_closed == LEAD_LOST ? PROSPECT_LOST : PROSPECT_NONE;

	/* "former" is only ever set by hand; a new win makes it current again. */
	if (s->won > 0)
		*c = cur_c == CLIENT_FORMER && !just_won ? CLIENT_FORMER :
		    CLIENT_CURRENT;
	else
		*c = cur_c == CLIENT_FORMER ? CLIENT_FORMER : CLIENT_NONE;
}

/* "prospect none -> current": only what changed. */
static void
states_remark(char *buf, size_t len, enum prospect_state p0,
    enum prospect_state p1, enum client_state c0, enum client_state c1)
{
	size_t n = 0;

	buf[0] = '\0';
	if (p0 != p1)
		n = (size_t)snprintf(buf, len, "prospect %s -> %s",
		    prospect_state_name(p0), prospect_state_name(p1));
	if (c0 != c1 && n < len)
		snprintf(buf + n, len - n, "%sclient %s -> %s", n ? ", " : "",
		    client_state_name(c0), client_state_name(c1));
}

/* Derive c's states from the leads in ids; store and record a change. */
static int
domain_states_of(struct domain *d, struct contact *c, const struct idlist *ids,
    int just_won, struct err *e)
{
	struct lead_summary s;
	enum prospect_state p;
	enum client_state cl;
	char remark[160];
	int rc;

	if ((rc = store_lead_summary(d->st, ids, &s, e)) != LG_OK)
		return rc;
	domain_derive_states(&s, c->prospect, c->client, just_won, &p, &cl);
	lead_summary_clear(&s);
	if (p == c->prospect && cl == c->client)
		return LG_OK;
	states_remark(remark, sizeof(remark), c->prospect, p, c->client, cl);
	c->prospect = p;
	c->client = cl;
	if ((rc = store_contact_states_set(d->st, c, e)) != LG_OK)
		return rc;
	return domain_history(d, 0, c->id, "status", 0, 0, remark, e);
}

static int
domain_apply_states(struct domain *d, int64_t id, const struct idlist *ids,
    int just_won, struct err *e)
{
	struct contact *c;
	int rc;

	if ((rc = store_contact_get(d->st, id, &c, e)) != LG_OK)
		return rc;
	rc = domain_states_of(d, c, ids, just_won, e);
	contact_free(c);
	return rc;
}

/*
 * A company's states follow its own leads and those of its employees; an
 * employee's follow its own leads. A lead on an employee thus changes both.
 * c is the contact as stored, and is kept so.
 */
static int
domain_refresh_contact(struct domain *d, struct contact *c, int just_won,
    struct err *e)
{
	struct idlist ids = IDLIST_INIT;
	int64_t company;
	int rc;

	company = c->type == CONTACT_COMPANY ? c->id : c->company_id;
	if (company != c->id) {
		idlist_add(&ids, c->id);
		rc = domain_states_of(d, c, &ids, just_won, e);
		ids.n = 0;
		if (rc != LG_OK || company == 0)
			goto out;
	}
	idlist_add(&ids, company);
	if ((rc = store_contact_employees(d->st, company, &ids, e)) != LG_OK)
		goto out;
	if (company == c->id)
		rc = domain_states_of(d, c, &ids, just_won, e);
	else
		rc = domain_apply_states(d, company, &ids, just_won, e);
out:
	idlist_free(&ids);
	return rc;
}

int
domain_refresh_states(struct domain *d, int64_t contact_id, int just_won,
    struct err *e)
{
	struct contact *c;
	int rc;

	if ((rc = store_contact_get(d->st, contact_id, &c, e)) != LG_OK)
		return rc;
	rc = domain_refresh_contact(d, c, just_won, e);
	contact_free(c);
	return rc;
}

static int
domain_contact_summary(struct domain *d, int64_t id, struct lead_summary *s,
    struct err *e)
{
	struct idlist ids = IDLIST_INIT;
	struct contact *c;
	int rc;

	if ((rc = store_contact_get(d->st, id, &c, e)) != LG_OK)
		return rc;
	idlist_add(&ids, id);
	if (c->type == CONTACT_COMPANY)
		rc = store_contact_employees(d->st, id, &ids, e);
	contact_free(c);
	if (rc == LG_OK)
		rc = store_lead_summary(d->st, &ids, s, e);
	idlist_free(&ids);
	return rc;
}

static int
domain_status_allowed(int64_t id, const struct lead_summary *s,
    const enum prospect_state *p, const enum client_state *c, struct err *e)
{
	if (p && *p != PROSPECT_CURRENT && s->open > 0)
		return err_set(e, LG_EPERM, "contact %lld has an open lead: it "
		    "cannot be set to prospect %s", (long long)id,
		    prospect_state_name(*p));
	if (p && *p == PROSPECT_LOST && s->won > 0)
		return err_set(e, LG_EPERM, "contact %lld has a won lead: it "
		    "cannot be set to prospect lost", (long long)id);
	if (c && *c == CLIENT_NONE && s->won > 0)
		return err_set(e, LG_EPERM, "contact %lld has a won lead: it "
		    "stays a client (set client former instead)", (long long)id);
	return LG_OK;
}

int
domain_contact_set_status(struct domain *d, int64_t contact_id,
    const char *prospect, const char *client, struct err *e)
{
	enum prospect_state p;
	enum client_state c;
	struct lead_summary s;
	struct contact *ct;
	char remark[160];
	int rc;

	if (prospect && prospect_state_parse(prospect, &p) != 0)
		return err_set(e, LG_EPERM, "prospect state must be none, "
		    "current or lost, not '%s'", prospect);
	if (client && client_state_parse(client, &c) != 0)
		return err_set(e, LG_EPERM, "client state must be none, "
		    "current or former, not '%s'", client);
	if ((rc = domain_contact_summary(d, contact_id, &s, e)) != LG_OK)
		return rc;
	rc = domain_status_allowed(contact_id, &s, prospect ? &p : NULL,
	    client ? &c : NULL, e);
	lead_summary_clear(&s);
	if (rc != LG_OK ||
	    (rc = store_contact_get(d->st, contact_id, &ct, e)) != LG_OK)
		return rc;
	states_remark(remark, sizeof(remark), ct->prospect,
	    prospect ? p : ct->prospect, ct->client, client ? c : ct->client);
	if (remark[0] == '\0')
		snprintf(remark, sizeof(remark), "unchanged");
	if (prospect)
		ct->prospect = p;
	if (client)
		ct->client = c;
	if ((rc = store_contact_update(d->st, ct, e)) == LG_OK)
		rc = domain_history(d, 0, contact_id, "status by hand", 0, 0,
		    remark, e);
	contact_free(ct);
	return rc;
}

static int
domain_lead_pipeline(struct domain *d, const struct lead *l,
    const struct pipeline **out, struct err *e)
{
	if ((*out = pipelines_find(d->pl, l->pipeline)) == NULL)
		return err_set(e, LG_EPERM, "unknown pipeline '%s'",
		    l->pipeline ? l->pipeline : "");
	return LG_OK;
}

int
domain_lead_add(struct domain *d, struct lead *l, const char *remark,
    struct err *e)
{
	struct contact *c;
	int rc;

	if ((rc = store_contact_get(d->st, l->contact_id, &c, e)) != LG_OK)
		return rc;
	rc = domain_lead_add_to(d, c, l, remark, e);
	contact_free(c);
	return rc;
}

int
domain_lead_add_to(struct domain *d, struct contact *c, struct lead *l,
    const char *remark, struct err *e)
{
	const struct pipeline *pl;
	const struct phase *ph;
	char *canonical = NULL;
	int rc;

	if (c->id != l->contact_id)
		log_fatalx(MOD, "lead for contact %lld added to contact %lld",
		    (long long)l->contact_id, (long long)c->id);
	if (c->nemails == 0 && c->nphones == 0)
		return err_set(e, LG_EPERM, "contact %lld has neither an e-mail "
		    "address nor a phone number: an inquiry needs one",
		    (long long)c->id);
	if ((rc = domain_lead_pipeline(d, l, &pl, e)) != LG_OK)
		return rc;
	if (l->phase_no == 0)
		l->phase_no = pl->initial;
	if ((ph = pipeline_phase(pl, l->phase_no)) == NULL)
		return err_set(e, LG_EPERM, "pipeline %s has no phase %d",
		    pl->name, l->phase_no);
	rc = store_source_get(d->st, l->source ? l->source : "", &canonical, e);
	if (rc == LG_ENOENT)
		return err_set(e, LG_EPERM, "unknown source '%s' (see `leadgate "
		    "sources list`)", l->source ? l->source : "");
	if (rc != LG_OK)
		return rc;
	xstrset(&l->source, canonical);
	free(canonical);
	xstrset(&l->pipeline, pl->name);
	l->status = ph->status;
	if ((rc = store_lead_insert(d->st, l, e)) != LG_OK ||
	    (rc = domain_history(d, l->id, l->contact_id, ph->action, 0,
	    ph->no, remark, e)) != LG_OK)
		return rc;
	return domain_refresh_contact(d, c, ph->status == LEAD_WON, e);
}

/* A won lead makes its contact a client, so the client fields must be there. */
static int
domain_promote_client(struct domain *d, int64_t contact_id, struct err *e)
{
	struct buf b = BUF_INIT;
	struct contact *c;
	int rc;

	if ((rc = store_contact_get(d->st, contact_id, &c, e)) != LG_OK)
		return rc;
	if (c->kind == KIND_LEAD) {
		contact_missing(c, KIND_CLIENT, &b);
		if (b.len) {
			rc = err_set(e, LG_EPERM, "a won lead makes contact %lld "
			    "a client, which needs: %s", (long long)c->id,
			    buf_str(&b));
		} else {
			c->kind = KIND_CLIENT;
			rc = store_contact_update(d->st, c, e);
		}
	}
	buf_free(&b);
	contact_free(c);
	return rc;
}

static int
domain_move_to(struct domain *d, struct lead *l, const struct phase *to,
    const char *action, const char *remark, struct err *e)
{
	char text[512], now[CLOCK_ISOLEN];
	int before = l->phase_no, rc;
	enum lead_status was = l->status;
	const struct pipeline *pl;

	if ((rc = domain_lead_pipeline(d, l, &pl, e)) != LG_OK)
		return rc;
	if (to->status == LEAD_WON &&
	    (rc = domain_promote_client(d, l->contact_id, e)) != LG_OK)
		return rc;
	l->phase_no = to->no;
	l->status = to->status;
	clock_iso(clock_now(), now, sizeof(now));
	xstrset(&l->closed_at, to->status == LEAD_OPEN ? NULL : now);
	/* Only these three change: the other columns' indexes stay. */
	if ((rc = store_lead_move(d->st, l, e)) != LG_OK)
		return rc;
	if (action == NULL) {
		const struct phase *from = pipeline_phase(pl, before);

		snprintf(text, sizeof(text), "moved by hand from %d (%s) to %d "
		    "(%s)%s%s", before, from ? from->name : "?", to->no,
		    to->name, remark ? ": " : "", remark ? remark : "");
		rc = domain_history(d, l->id, l->contact_id, "move", before,
		    to->no, text, e);
	} else {
		rc = domain_history(d, l->id, l->contact_id, action, before,
		    to->no, remark, e);
	}
	if (rc != LG_OK)
		return rc;
	/*
	 * The contact's states follow its leads' open, won and lost counts
	 * and the last one closed: a move between open phases changes none.
	 */
	if (was == LEAD_OPEN && to->status == LEAD_OPEN)
		return LG_OK;
	return domain_refresh_states(d, l->contact_id, to->status == LEAD_WON,
	    e);
}

int
domain_lead_move(struct domain *d, int64_t lead_id, const char *phase,
    const char *action, const char *remark, struct err *e)
{
	const struct pipeline *pl;
	const struct phase *to;
	struct lead *l;
	int rc;

	if ((rc = store_lead_get(d->st, lead_id, &l, e)) != LG_OK)
		return rc;
	if ((rc = domain_lead_pipeline(d, l, &pl, e)) != LG_OK ||
	    (rc = pipeline_phase_lookup(pl, phase, &to, e)) != LG_OK)
		goto out;
	if (to->no == l->phase_no) {
		rc = err_set(e, LG_EPERM, "lead %lld is already in phase %d "
		    "(%s)", (long long)lead_id, to->no, to->name);
		goto out;
	}
	if (action != NULL && strcasecmp(action, to->action) != 0) {
		rc = err_set(e, LG_EPERM, "action '%s' does not lead to phase "
		    "%d (%s); its action is '%s'", action, to->no, to->name,
		    to->action);
		goto out;
	}
	rc = domain_move_to(d, l, to, action ? to->action : NULL, remark, e);
out:
	lead_free(l);
	return rc;
}

static int
domain_lead_close(struct domain *d, int64_t lead_id, enum lead_status st,
    const char *remark, struct err *e)
{
	const struct pipeline *pl;
	const struct phase *to;
	struct lead *l;
	int rc;

	if ((rc = store_lead_get(d->st, lead_id, &l, e)) != LG_OK)
		return rc;
	if ((rc = domain_lead_pipeline(d, l, &pl, e)) == LG_OK) {
		to = pipeline_phase_with_status(pl, st);
		if (l->status == st)
			rc = err_set(e, LG_EPERM, "lead %lld is already %s",
			    (long long)lead_id, lead_status_name(st));
		else
			rc = domain_move_to(d, l, to, to->action, remark, e);
	}
	lead_free(l);
	return rc;
}

int
domain_lead_win(struct domain *d, int64_t lead_id, const char *remark,
    struct err *e)
{
	return domain_lead_close(d, lead_id, LEAD_WON, remark, e);
}

int
domain_lead_lose(struct domain *d, int64_t lead_id, const char *remark,
    struct err *e)
{
	return domain_lead_close(d, lead_id, LEAD_LOST, remark, e);
}

int
domain_lead_advance(struct domain *d, int64_t lead_id, int phase_no,
    const char *remark, int *moved, struct err *e)
{
	const struct pipeline *pl;
	const struct phase *to;
	struct lead *l;
	int rc;

	*moved = 0;
	if ((rc = store_lead_get(d->st, lead_id, &l, e)) != LG_OK)
		return rc;
	if ((rc = domain_lead_pipeline(d, l, &pl, e)) != LG_OK)
		goto out;
	if ((to = pipeline_phase(pl, phase_no)) == NULL) {
		rc = err_set(e, LG_EPERM, "pipeline %s has no phase %d",
		    pl->name, phase_no);
		goto out;
	}
	/* Only forward, and never out of a closed lead, unless to "lost". */
	if (to->status != LEAD_LOST &&
	    (phase_no <= l->phase_no || l->status != LEAD_OPEN))
		goto out;
	if (to->status == LEAD_LOST && l->status == LEAD_LOST)
		goto out;
	if ((rc = domain_move_to(d, l, to, to->action, remark, e)) == LG_OK)
		*moved = 1;
out:
	lead_free(l);
	return rc;
}

int
domain_lead_action(struct domain *d, int64_t lead_id, const char *action,
    const char *remark, struct action_result *res, struct err *e)
{
	struct action_result r = { 0, 0, 0 };
	const struct pipeline *pl;
	const struct phase *to = NULL;
	struct lead *l;
	int rc;

	if (blank(action))
		return err_set(e, LG_EPERM, "an action needs a name");
	if ((rc = store_lead_get(d->st, lead_id, &l, e)) != LG_OK)
		return rc;
	if ((rc = domain_lead_pipeline(d, l, &pl, e)) != LG_OK)
		goto out;
	r.phase_before = r.phase_after = l->phase_no;
	/* A closed lead is reopened only by an explicit move. */
	if (l->status == LEAD_OPEN)
		to = pipeline_action_next(pl, l->phase_no, action, NULL);
	if (to != NULL) {
		/* The phase's own spelling of the action goes to the history. */
		rc = domain_move_to(d, l, to, to->action, remark, e);
		r.moved = 1;
		r.phase_after = to->no;
	} else {
		rc = domain_lead_note_on(d, l, action, remark, e);
	}
	if (rc == LG_OK && res)
		*res = r;
out:
	lead_free(l);
	return rc;
}

int
domain_lead_update(struct domain *d, struct lead *l, const char *what,
    struct err *e)
{
	struct lead *old;
	char *canonical = NULL;
	int rc;

	if ((rc = store_lead_get(d->st, l->id, &old, e)) != LG_OK)
		return rc;
	/* What a move changes is not an update's. */
	xstrset(&l->pipeline, old->pipeline);
	l->phase_no = old->phase_no;
	l->status = old->status;
	l->contact_id = old->contact_id;
	lead_free(old);
	rc = store_source_get(d->st, l->source ? l->source : "", &canonical, e);
	if (rc == LG_ENOENT)
		return err_set(e, LG_EPERM, "unknown source '%s' (see `leadgate "
		    "sources list`)", l->source ? l->source : "");
	if (rc != LG_OK)
		return rc;
	xstrset(&l->source, canonical);
	free(canonical);
	if ((rc = store_lead_update(d->st, l, e)) != LG_OK)
		return rc;
	return domain_history(d, l->id, l->contact_id, "updated", 0, 0, what,
	    e);
}

char *
domain_lead_assignee(const struct lead *l)
{
	json_t *o = json_loads(l->custom ? l->custom : "{}", 0, NULL);
	const char *v = json_string_value(json_object_get(o, "assignee"));
	char *out = v && *v ? xstrdup(v) : NULL;

	json_decref(o);
	return out;
}

int
domain_lead_assign(struct domain *d, int64_t lead_id, const char *agent,
    const char *how, struct err *e)
{
	char *cur = NULL, *text;
	struct lead *l;
	json_t *o;
	int rc;

	if (blank(agent))
		return err_set(e, LG_EPERM, "an assignment needs an agent");
	if ((rc = store_lead_get(d->st, lead_id, &l, e)) != LG_OK)
		return rc;
	cur = domain_lead_assignee(l);
	if (cur && strcmp(cur, agent) == 0) {
		rc = err_set(e, LG_EEXIST, "lead %lld is already assigned to "
		    "%s", (long long)lead_id, agent);
		goto out;
	}
	o = json_loads(l->custom ? l->custom : "{}", 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		o = json_object();
	}
	json_object_set_new(o, "assignee", json_string(agent));
	free(l->custom);
	l->custom = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	if ((rc = store_lead_update(d->st, l, e)) != LG_OK)
		goto out;
	text = cur ? xasprintf("assigned to %s (was %s)%s%s", agent, cur,
	    how ? ": " : "", how ? how : "") : xasprintf("assigned to %s%s%s",
	    agent, how ? ": " : "", how ? how : "");
	rc = domain_history(d, l->id, l->contact_id, "assign", 0, 0, text, e);
	free(text);
out:
	free(cur);
	lead_free(l);
	return rc;
}

int
domain_contact_note(struct domain *d, int64_t contact_id, const char *action,
    const char *remark, struct err *e)
{
	return domain_history(d, 0, contact_id, action, 0, 0, remark, e);
}

int
domain_lead_note(struct domain *d, int64_t lead_id, const char *action,
    const char *remark, struct err *e)
{
	struct lead *l;
	int rc;

	if ((rc = store_lead_get(d->st, lead_id, &l, e)) != LG_OK)
		return rc;
	rc = domain_lead_note_on(d, l, action, remark, e);
	lead_free(l);
	return rc;
}

int
domain_lead_note_on(struct domain *d, const struct lead *l,
    const char *action, const char *remark, struct err *e)
{
	return domain_history(d, l->id, l->contact_id, action, 0, 0, remark, e);
}

char *
domain_custom_merge(const char *dst, const char *src)
{
	json_t *a = json_loads(dst ? dst : "{}", 0, NULL);
	json_t *b = json_loads(src ? src : "{}", 0, NULL);
	char *out;

	if (!json_is_object(a)) {
		json_decref(a);
		a = json_object();
	}
	if (json_is_object(b))
		json_object_update_missing(a, b);
	out = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(a);
	json_decref(b);
	return out ? out : xstrdup("{}");
}

static const struct {
	const char *name;
	unsigned flag;
} convert_names[] = {
	{ "contact", CONVERT_CONTACT },
	{ "company", CONVERT_COMPANY },
	{ "deal", CONVERT_DEAL },
};

int
convert_targets_parse(const char *list, unsigned *out, struct err *e)
{
	char *copy = xstrdup(list), *tok, *save = NULL;
	size_t i;
	int rc = LG_OK;

	*out = 0;
	for (tok = strtok_r(copy, ",", &save); tok && rc == LG_OK;
	    tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(convert_names) / sizeof(convert_names[0]);
		    i++)
			if (strcasecmp(tok, convert_names[i].name) == 0)
				break;
		if (i == sizeof(convert_names) / sizeof(convert_names[0]))
			rc = err_set(e, LG_EPERM, "cannot convert to '%s' "
			    "(contact, company or deal)", tok);
		else
			*out |= convert_names[i].flag;
	}
	free(copy);
	if (rc == LG_OK && *out == 0)
		rc = err_set(e, LG_EPERM, "nothing to convert to");
	return rc;
}

struct convert {
	struct domain *d;
	struct lead *l;
	struct contact *c;
	struct convert_result *res;
};

/* Collect every missing field first: a conversion is all or nothing. */
static int
convert_check(struct convert *cv, unsigned targets, struct err *e)
{
	struct buf b = BUF_INIT, part = BUF_INIT;
	int rc = LG_OK;

	if (targets & CONVERT_CONTACT) {
		contact_missing(cv->c, KIND_CLIENT, &part);
		if (part.len)
			buf_printf(&b, "the contact needs %s", buf_str(&part));
		buf_reset(&part);
	}
	if ((targets & CONVERT_COMPANY) && cv->c->company_id == 0 &&
	    blank(cv->c->company))
		buf_printf(&b, "%sthe company needs a company name", b.len ?
		    "; " : "");
	if (cv->l->status == LEAD_OPEN && cv->c->kind == KIND_LEAD) {
		contact_missing(cv->c, KIND_CLIENT, &part);
		if (part.len && !(targets & CONVERT_CONTACT))
			buf_printf(&b, "%sthe lead is won by its conversion, "
			    "which makes the contact a client: it needs %s",
			    b.len ? "; " : "", buf_str(&part));
		buf_reset(&part);
	}
	if (targets & CONVERT_DEAL) {
		contact_missing(cv->c, KIND_LEAD, &part);
		if (blank(cv->l->object_ref))
			missing(&part, "an object reference");
		if (part.len)
			buf_printf(&b, "%sthe deal needs %s", b.len ? "; " : "",
			    buf_str(&part));
	}
	if (b.len)
		rc = err_set(e, LG_EPERM, "lead %lld cannot be converted: %s",
		    (long long)cv->l->id, buf_str(&b));
	buf_free(&b);
	buf_free(&part);
	return rc;
}

static int
convert_contact(struct convert *cv, struct err *e)
{
	char *merged = domain_custom_merge(cv->c->custom, cv->l->custom);
	int rc;

	free(cv->c->custom);
	cv->c->custom = merged;
	if (cv->c->kind == KIND_LEAD)
		cv->c->kind = KIND_CLIENT;
	if ((rc = store_contact_update(cv->d->st, cv->c, e)) != LG_OK)
		return rc;
	cv->res->contact_id = cv->c->id;
	return domain_history(cv->d, cv->l->id, cv->c->id, "convert", 0, 0,
	    "converted into contact", e);
}

static int
convert_company(struct convert *cv, struct err *e)
{
	struct contact *co;
	char remark[128];
	int rc;

	if (cv->c->company_id != 0) {
		cv->res->company_id = cv->c->company_id;
		return LG_OK;	/* already an employee of a company */
	}
	co = contact_new();
	co->type = CONTACT_COMPANY;
	co->kind = cv->c->kind;
	co->company = xstrdup(cv->c->company);
	xstrset(&co->custom, cv->l->custom);
	co->language = xstrdup(cv->c->language);
	co->street = xstrdup(cv->c->street);
	co->postcode = xstrdup(cv->c->postcode);
	co->city = xstrdup(cv->c->city);
	if ((rc = domain_contact_add(cv->d, co, e)) == LG_OK) {
		cv->c->company_id = co->id;
		cv->res->company_id = co->id;
		rc = store_contact_update(cv->d->st, cv->c, e);
	}
	snprintf(remark, sizeof(remark), "converted into company %lld",
	    (long long)co->id);
	contact_free(co);
	if (rc != LG_OK)
		return rc;
	if ((rc = domain_history(cv->d, cv->l->id, cv->c->id, "convert", 0, 0,
	    remark, e)) != LG_OK)
		return rc;
	return domain_refresh_states(cv->d, cv->c->id, 0, e);
}

static int
convert_deal(struct convert *cv, struct err *e)
{
	char name[256], remark[64];
	struct deal dl;
	int rc;

	memset(&dl, 0, sizeof(dl));
	dl.lead_id = cv->l->id;
	dl.contact_id = cv->c->id;
	dl.company_id = cv->c->company_id;
	dl.title = xasprintf("%s - %s", cv->l->object_ref,
	    contact_display_name(cv->c, name, sizeof(name)));
	dl.object_ref = xstrdup(cv->l->object_ref);
	dl.custom = xstrdup(cv->l->custom);
	rc = store_deal_insert(cv->d->st, &dl, e);
	cv->res->deal_id = dl.id;
	snprintf(remark, sizeof(remark), "converted into deal %lld",
	    (long long)dl.id);
	deal_clear(&dl);
	if (rc != LG_OK)
		return rc;
	return domain_history(cv->d, cv->l->id, cv->c->id, "convert", 0, 0,
	    remark, e);
}

/* One lead, one deal: converting again must not make a second one. */
static int
convert_once(struct convert *cv, struct err *e)
{
	struct deal *v = NULL;
	size_t n = 0;
	int rc;

	if ((rc = store_deals_of_lead(cv->d->st, cv->l->id, &v, &n, e)) !=
	    LG_OK)
		return rc;
	if (n > 0)
		rc = err_set(e, LG_EPERM, "lead %lld was already converted "
		    "into deal %lld", (long long)cv->l->id, (long long)v[0].id);
	store_deals_free(v, n);
	return rc;
}

/* The conversion closes an open lead: won, in its pipeline's won phase. */
static int
convert_close(struct convert *cv, struct err *e)
{
	const struct pipeline *pl;
	struct lead *l;
	int rc;

	/* convert_contact() and convert_company() may have written c. */
	if ((rc = store_lead_get(cv->d->st, cv->l->id, &l, e)) != LG_OK)
		return rc;
	if (l->status == LEAD_OPEN &&
	    (rc = domain_lead_pipeline(cv->d, l, &pl, e)) == LG_OK)
		rc = domain_move_to(cv->d, l, pipeline_phase_with_status(pl,
		    LEAD_WON), pipeline_phase_with_status(pl, LEAD_WON)->action,
		    "won by its conversion", e);
	lead_free(l);
	return rc;
}

int
domain_lead_convert(struct domain *d, int64_t lead_id, unsigned targets,
    struct convert_result *res, struct err *e)
{
	struct convert cv = { d, NULL, NULL, res };
	int rc;

	memset(res, 0, sizeof(*res));
	if ((rc = store_lead_get(d->st, lead_id, &cv.l, e)) != LG_OK)
		return rc;
	if ((targets & CONVERT_DEAL) && (rc = convert_once(&cv, e)) != LG_OK)
		goto out;
	if ((rc = store_contact_get(d->st, cv.l->contact_id, &cv.c, e)) != LG_OK)
		goto out;
	if ((rc = convert_check(&cv, targets, e)) != LG_OK)
		goto out;
	if ((targets & CONVERT_CONTACT) && (rc = convert_contact(&cv, e)) != LG_OK)
		goto out;
	if ((targets & CONVERT_COMPANY) && (rc = convert_company(&cv, e)) != LG_OK)
		goto out;
	if ((targets & CONVERT_DEAL) && (rc = convert_deal(&cv, e)) != LG_OK)
		goto out;
	rc = convert_close(&cv, e);
out:
	lead_free(cv.l);
	contact_free(cv.c);
	return rc;
}
