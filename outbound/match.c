/*
 * Matching (match.h): profiles against one object in memory (one pass
 * over every profile; the store is read twice, not once per contact),
 * then the bulk mailer with the matching contacts as its targets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/domain.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "outbound/bulk.h"
#include "outbound/match.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define MOD "match"
#define MATCH_TEMPLATE "object-match"
#define MATCH_SOURCE "matching"
#define MATCH_PHASE 1

/* Each contact's best profile: fewest failing fields. */
struct best {
	int64_t contact, profile;
	int fails;
	char *why;
};

/* By contact, its best profile first. */
static int
best_by_contact(const void *a, const void *b)
{
	const struct best *x = a, *y = b;

	if (x->contact != y->contact)
		return x->contact < y->contact ? -1 : 1;
	if (x->fails != y->fails)
		return x->fails - y->fails;
	return x->profile < y->profile ? -1 : x->profile > y->profile;
}

/* Matches first, then near misses; by contact within each. */
static int
best_cmp(const void *a, const void *b)
{
	const struct best *x = a, *y = b;

	if (x->fails != y->fails)
		return x->fails - y->fails;
	return x->contact < y->contact ? -1 : x->contact > y->contact;
}

/* Best per contact over every profile; fails <= 1 are kept. */
static int
match_profiles(struct domain *d, const struct object *o, struct best **out,
    size_t *nout, struct err *e)
{
	struct search_profile *p = NULL;
	struct best *v = NULL;
	size_t n = 0, i, cnt = 0, cap = 0, k;
	int rc, fails;

	if ((rc = store_profiles_list(d->st, 0, &p, &n, e)) != LG_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if ((fails = object_match(o, &p[i], NULL)) > 1)
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[cnt].contact = p[i].contact_id;
		v[cnt].profile = p[i].id;
		v[cnt].fails = fails;
		object_match(o, &p[i], &v[cnt++].why);
	}
	search_profiles_free(p, n);
	if (cnt > 0) {
		qsort(v, cnt, sizeof(*v), best_by_contact);
		for (i = 1, k = 1; i < cnt; i++) {
			if (v[i].contact == v[k - 1].contact)
				free(v[i].why);
			else
				v[k++] = v[i];
		}
		cnt = k;
		qsort(v, cnt, sizeof(*v), best_cmp);
	}
	*out = v;
	*nout = cnt;
	return LG_OK;
}

static char *
contact_name(const struct contact *c)
{
	if (c->first_name || c->last_name)
		return xasprintf("%s%s%s", c->first_name ? c->first_name : "",
		    c->first_name && c->last_name ? " " : "",
		    c->last_name ? c->last_name : "");
	return xstrdup(c->company ? c->company : "?");
}

/* Why the bulk mailer would write nothing to c (NULL: it would). */
static char *
contact_skip(struct domain *d, const struct contact *c, struct err *e,
    int *rc)
{
	char *reason = NULL;

	*rc = LG_OK;
	if (c->nemails == 0)
		return xstrdup("no e-mail address");
	if (c->opt_out)
		return xstrdup("opted out");
	if (c->invalid_address)
		return xstrdup("invalid address");
	*rc = store_suppression_get(d->st, c->emails[0].norm, &reason, e);
	if (*rc == LG_OK) {
		char *s = xasprintf("on the suppression list (%s)", reason);

		free(reason);
		return s;
	}
	if (*rc == LG_ENOENT)
		*rc = LG_OK;
	return NULL;
}

/* The object's leads, read once: whose they are and where. */
struct olead {
	int64_t contact, id;
	int phase;
	enum lead_status status;
	char *phase_name;
};

static int
olead_cmp(const void *a, const void *b)
{
	const struct olead *x = a, *y = b;

	if (x->contact != y->contact)
		return x->contact < y->contact ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
oleads_load(struct domain *d, int64_t object_id, struct olead **out,
    size_t *n, struct err *e)
{
	struct idlist ids = IDLIST_INIT;
	const struct pipeline *pl;
	const struct phase *ph;
	struct olead *v;
	struct lead *l;
	size_t i;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_object_leads(d->st, object_id, &ids, e)) != LG_OK)
		return rc;
	v = xcalloc(ids.n + 1, sizeof(*v));
	for (i = 0; i < ids.n && rc == LG_OK; i++) {
		if ((rc = store_lead_get(d->st, ids.v[i], &l, e)) != LG_OK)
			break;
		pl = pipelines_find(d->pl, l->pipeline);
		ph = pl ? pipeline_phase(pl, l->phase_no) : NULL;
		v[i].contact = l->contact_id;
		v[i].id = l->id;
		v[i].phase = l->phase_no;
		v[i].status = l->status;
		v[i].phase_name = xstrdup(ph ? ph->name : "?");
		lead_free(l);
		(*n)++;
	}
	qsort(v, *n, sizeof(*v), olead_cmp);
	*out = v;
	idlist_free(&ids);
	return rc;
}

static void
oleads_free(struct olead *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].phase_name);
	free(v);
}

/* The contact's lead on the object: reuse it, or skip the contact. */
static void
lead_check(const struct olead *v, size_t n, struct match_hit *h)
{
	struct olead key = { h->contact_id, 0, 0, LEAD_OPEN, NULL };
	const struct olead *o;
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (olead_cmp(&v[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (o = v + lo; o < v + n && o->contact == h->contact_id; o++) {
		if (o->status == LEAD_OPEN && o->phase == MATCH_PHASE) {
			h->lead_id = o->id;
			continue;
		}
		free(h->skip);
		h->skip = xasprintf("lead %lld on it is in phase %d (%s)%s",
		    (long long)o->id, o->phase, o->phase_name,
		    o->status == LEAD_OPEN ? "" : ", closed");
		h->lead_id = 0;
		return;
	}
}

static int
match_hits(struct domain *d, struct match_result *out, struct best *v,
    size_t n, struct err *e)
{
	struct olead *ol;
	struct match_hit *h;
	struct contact *c;
	size_t i, nol;
	int rc;

	if ((rc = oleads_load(d, out->obj->id, &ol, &nol, e)) != LG_OK) {
		oleads_free(ol, nol);
		return rc;
	}
	out->v = xcalloc(n + 1, sizeof(*out->v));
	for (i = 0; i < n && rc == LG_OK; i++) {
		if ((rc = store_contact_get(d->st, v[i].contact, &c, e)) != LG_OK)
			break;
		h = &out->v[out->n++];
		h->contact_id = v[i].contact;
		h->profile_id = v[i].profile;
		h->why = v[i].why;
		v[i].why = NULL;
		h->near = v[i].fails > 0;
		h->name = contact_name(c);
		if (!h->near) {
			out->matches++;
			h->skip = contact_skip(d, c, e, &rc);
			if (rc == LG_OK && h->skip == NULL)
				lead_check(ol, nol, h);
			if (h->skip == NULL)
				out->writable++;
		} else {
			out->nears++;
		}
		contact_free(c);
	}
	oleads_free(ol, nol);
	return rc;
}

static int
match_object(struct domain *d, const char *key, struct object **out,
    struct err *e)
{
	int64_t id = 0;
	char *end;
	int rc;

	if ((rc = store_object_find(d->st, key, &id, e)) == LG_ENOENT) {
		id = strtoll(key, &end, 10);
		if (*key == '\0' || *end != '\0' || id <= 0)
			return err_set(e, LG_ENOENT, "no object '%s'", key);
		rc = LG_OK;
	}
	if (rc != LG_OK)
		return rc;
	return store_object_get(d->st, id, out, e);
}

struct lead_job {
	struct domain *d;
	struct match_result *out;
	const char *source;
	const char *pipeline;
};

/* The pipeline of the object's kind: rental for rent, else the default. */
static const struct pipeline *
match_pipeline(const struct domain *d, const struct object *o)
{
	const struct pipeline *p = NULL;

	if (o->kind && strcmp(o->kind, "rent") == 0)
		p = pipelines_find(d->pl, "rental");
	return p ? p : pipelines_find(d->pl, NULL);
}

static int
match_lead_for(void *arg, int64_t contact, int64_t *lead, struct err *e)
{
	struct lead_job *j = arg;
	struct match_hit *h = NULL;
	struct lead *l;
	size_t lo = 0, hi = (size_t)j->out->matches, mid;
	int rc;

	/* The matches are the first hits, by contact. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (j->out->v[mid].contact_id < contact)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < (size_t)j->out->matches && j->out->v[lo].contact_id == contact)
		h = &j->out->v[lo];
	if (h != NULL && h->lead_id != 0) {
		*lead = h->lead_id;
		return LG_OK;
	}
	l = lead_new();
	l->contact_id = contact;
	l->pipeline = xstrdup(j->pipeline);
	l->phase_no = MATCH_PHASE;
	l->source = xstrdup(j->source);
	l->object_ref = xstrdup(j->out->obj->ref);
	rc = domain_lead_add(j->d, l, "matching", e);
	if (rc == LG_OK) {
		*lead = l->id;
		j->out->leads_made++;
	}
	lead_free(l);
	return rc;
}

/* The source of the leads made, added once. */
static int
match_source(struct domain *d, const char *name, struct err *e)
{
	int rc;

	if ((rc = store_source_get(d->st, name, NULL, e)) != LG_ENOENT)
		return rc;
	if ((rc = store_begin(d->st, e)) != LG_OK)
		return rc;
	if ((rc = store_source_add(d->st, name, e)) == LG_OK &&
	    (rc = store_commit(d->st, e)) == LG_OK)
		return LG_OK;
	store_rollback(d->st);
	return rc;
}

static int
match_send(struct domain *d, const struct config *cfg, struct spool *sp,
    const struct match_req *r, struct match_result *out, struct err *e)
{
	const struct pipeline *pl = match_pipeline(d, out->obj);
	struct lead_job job = { d, out, r->source ? r->source : MATCH_SOURCE,
	    NULL };
	struct bulk_result br;
	struct bulk_req req;
	int64_t *ids;
	char *filter;
	size_t i, n = 0;
	int rc;

	if (pl == NULL || pipeline_phase(pl, MATCH_PHASE) == NULL)
		return err_set(e, LG_EPERM, "no pipeline with a phase %d for "
		    "a %s object", MATCH_PHASE, out->obj->kind ?
		    out->obj->kind : "?");
	job.pipeline = pl->name;
	if ((rc = match_source(d, job.source, e)) != LG_OK)
		return rc;
	ids = xcalloc(out->n + 1, sizeof(*ids));
	for (i = 0; i < out->n; i++)
		if (!out->v[i].near && out->v[i].skip == NULL)
			ids[n++] = out->v[i].contact_id;
	/* The targets go ascending; matches came sorted by contact. */
	filter = xasprintf("object = \"%s\"", out->obj->ref);
	memset(&req, 0, sizeof(req));
	req.name = out->campaign;
	req.filter = filter;
	req.template = r->template ? r->template : cfg->match.template &&
	    *cfg->match.template ? cfg->match.template : MATCH_TEMPLATE;
	req.contacts = ids;
	req.ncontacts = n;
	req.lead_for = match_lead_for;
	req.lead_arg = &job;
	rc = bulk_run(d, cfg, sp, &req, NULL, &br, e);
	out->queued = br.queued;
	out->skipped = bulk_skipped_total(&br);
	bulk_result_clear(&br);
	free(filter);
	free(ids);
	return rc;
}

int
match_run(struct domain *d, const struct config *cfg, struct spool *sp,
    const struct match_req *r, struct match_result *out, struct err *e)
{
	struct best *v = NULL;
	size_t n = 0, i;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = match_object(d, r->object, &out->obj, e)) != LG_OK)
		return rc;
	out->campaign = xasprintf("match-%s", out->obj->ref);
	if ((rc = match_profiles(d, out->obj, &v, &n, e)) == LG_OK)
		rc = match_hits(d, out, v, n, e);
	for (i = 0; i < n; i++)
		free(v[i].why);
	free(v);
	if (rc != LG_OK || r->dry_run)
		return rc;
	if (strcmp(out->obj->state, "available") != 0)
		return err_set(e, LG_EPERM, "object %s is %s: only an available "
		    "object is offered", out->obj->ref, out->obj->state);
	if ((rc = match_send(d, cfg, sp, r, out, e)) == LG_OK)
		log_info(MOD, "object %s: %ld matches, %ld queued, %ld leads "
		    "made", out->obj->ref, out->matches, out->queued,
		    out->leads_made);
	return rc;
}

void
match_result_clear(struct match_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].why);
		free(r->v[i].skip);
	}
	free(r->v);
	free(r->campaign);
	object_free(r->obj);
	memset(r, 0, sizeof(*r));
}
