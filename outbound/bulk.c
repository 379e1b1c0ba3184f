#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/domain.h"
#include "core/filter.h"
#include "util/log.h"
#include "core/outgoing.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "core/verp.h"
#include "util/xmalloc.h"
#include "outbound/bulk.h"
#include "spool/spool.h"
#include "templates/letter.h"
#include "templates/tcache.h"

#define MOD "bulk"
/* Contacts per transaction: one spool sync and one commit for each. */
#define BULK_BATCH 250
/* A dry run writes no token; the sample shows where it would go. */
#define BULK_SAMPLE_TOKEN "TOKEN"

/* One contact to write to, and the leads the message is about. */
struct target {
	int64_t contact;
	int64_t *leads;
	int *phases;		/* --advance-to in each lead's pipeline */
	size_t nleads;
};

struct brun {
	struct domain *d;
	const struct config *cfg;
	struct spool *sp;
	const struct bulk_req *r;
	struct bulk_result *out;
	struct campaign *camp;	/* NULL in a dry run of a new campaign */
	struct verp *verp;	/* bounce.verp; NULL: off, or a dry run */
	struct idlist done;	/* contacts it has a message for, ascending */
	struct target *t;
	size_t nt;
	struct tcache *tc;	/* the template, compiled once for all */
};

static const char *const bulk_skip_names[BULK_NSKIP] = {
	[BULK_ALREADY] = "already sent in this campaign",
	[BULK_OPTED_OUT] = "opted out",
	[BULK_INVALID] = "invalid address",
	[BULK_NO_EMAIL] = "no e-mail address",
	[BULK_SUPPRESSED] = "on the suppression list",
	[BULK_UNWRITABLE] = "template cannot be written",
};

const char *
bulk_skip_name(enum bulk_skip s)
{
	return s < BULK_NSKIP ? bulk_skip_names[s] : "?";
}

long
bulk_skipped_total(const struct bulk_result *r)
{
	long n = 0;
	int i;

	for (i = 0; i < BULK_NSKIP; i++)
		n += r->skipped[i];
	return n;
}

void
bulk_result_clear(struct bulk_result *r)
{
	if (r == NULL)
		return;
	free(r->name);
	free(r->first_error);
	free(r->sample);
	free(r->sample_rcpt);
	memset(r, 0, sizeof(*r));
}

/* The same request gets the same name, so a repeat is a rerun. */
static char *
bulk_default_name(const struct bulk_req *r)
{
	const char *parts[3] = { r->filter, r->template, r->advance_to };
	uint32_t h = 2166136261u;	/* FNV-1a */
	const char *p;
	size_t i;

	for (i = 0; i < 3; i++) {
		for (p = parts[i] ? parts[i] : ""; *p; p++)
			h = (h ^ (unsigned char)*p) * 16777619u;
		h = (h ^ '\n') * 16777619u;
	}
	return xasprintf("%s-%08x", r->template, (unsigned)h);
}

/* Pairs of (contact, lead) sort by contact, then lead. */
struct pick {
	int64_t contact, lead;
	int phase;
};

static int
pick_cmp(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	if (x->contact != y->contact)
		return x->contact < y->contact ? -1 : 1;
	return x->lead < y->lead ? -1 : x->lead > y->lead;
}

static struct target *
bulk_target_add(struct brun *b, int64_t contact)
{
	b->t = xreallocarray(b->t, b->nt + 1, sizeof(*b->t));
	memset(&b->t[b->nt], 0, sizeof(*b->t));
	b->t[b->nt].contact = contact;
	return &b->t[b->nt++];
}

static void
bulk_group(struct brun *b, struct pick *v, size_t n)
{
	struct target *t = NULL;
	size_t i;

	qsort(v, n, sizeof(*v), pick_cmp);
	for (i = 0; i < n; i++) {
		if (t == NULL || t->contact != v[i].contact)
			t = bulk_target_add(b, v[i].contact);
		t->leads = xreallocarray(t->leads, t->nleads + 1,
		    sizeof(*t->leads));
		t->phases = xreallocarray(t->phases, t->nleads + 1,
		    sizeof(*t->phases));
		t->leads[t->nleads] = v[i].lead;
		t->phases[t->nleads++] = v[i].phase;
	}
}

/* --advance-to in the lead's pipeline; every lead must have it. */
static int
bulk_phase(struct brun *b, const struct lead *l, int *out, struct err *e)
{
	const struct pipeline *p;
	const struct phase *ph;

	*out = 0;
	if (b->r->advance_to == NULL)
		return LG_OK;
	if ((p = pipelines_find(b->d->pl, l->pipeline)) == NULL)
		return err_set(e, LG_EPERM, "lead %lld is in pipeline '%s', "
		    "which is not configured", (long long)l->id,
		    l->pipeline ? l->pipeline : "");
	if (pipeline_phase_lookup(p, b->r->advance_to, &ph, e) != LG_OK)
		return err_prefix(e, "--advance-to: lead %lld (pipeline %s)",
		    (long long)l->id, p->name);
	*out = ph->no;
	return LG_OK;
}

static int
bulk_select_leads(struct brun *b, const struct filter *f, struct err *e)
{
	struct idlist ids = IDLIST_INIT;
	struct pick *v;
	struct lead *l;
	size_t i, n = 0;
	int rc;

	/*
	 * One transaction for the query and every lead it names, written
	 * to by nothing: one snapshot, and one lock instead of one each.
	 */
	if ((rc = store_begin(b->d->st, e)) != LG_OK)
		return rc;
	if ((rc = store_leads_query(b->d->st, f, &ids, e)) != LG_OK) {
		store_rollback(b->d->st);
		return rc;
	}
	v = xcalloc(ids.n + 1, sizeof(*v));
	for (i = 0, rc = LG_OK; i < ids.n && rc == LG_OK; i++) {
		if ((rc = store_lead_get(b->d->st, ids.v[i], &l, e)) != LG_OK)
			break;
		v[n].contact = l->contact_id;
		v[n].lead = l->id;
		if ((rc = bulk_phase(b, l, &v[n].phase, e)) == LG_OK)
			n++;
		lead_free(l);
	}
	store_rollback(b->d->st);
	if (rc == LG_OK) {
		bulk_group(b, v, n);
		b->out->leads = (long)n;
	}
	free(v);
	idlist_free(&ids);
	return rc;
}

static int
bulk_select(struct brun *b, struct err *e)
{
	struct idlist ids = IDLIST_INIT;
	struct filter *f;
	size_t i;
	int rc;

	if (b->r->contacts != NULL) {
		for (i = 0; i < b->r->ncontacts; i++)
			bulk_target_add(b, b->r->contacts[i]);
		b->out->matched = (long)b->nt;
		return LG_OK;
	}
	if (filter_parse(b->r->filter, b->d->pl, &f, e) != LG_OK)
		return LG_EPERM;
	if (filter_uses_leads(f)) {
		rc = bulk_select_leads(b, f, e);
	} else if (b->r->advance_to != NULL) {
		rc = err_set(e, LG_EPERM, "--advance-to moves leads: the filter "
		    "must select leads (for example phase = 1)");
	} else if ((rc = store_contacts_query(b->d->st, f, &ids, e)) ==
	    LG_OK) {
		for (i = 0; i < ids.n; i++)
			bulk_target_add(b, ids.v[i]);
	}
	idlist_free(&ids);
	filter_free(f);
	b->out->matched = (long)b->nt;
	return rc;
}

static int
bulk_same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* The campaign of that name, made now unless it is a dry run. */
static int
bulk_campaign(struct brun *b, struct err *e)
{
	const struct bulk_req *r = b->r;
	struct campaign *c;
	int rc;

	rc = store_campaign_find(b->d->st, b->out->name, &c, e);
	if (rc == LG_OK) {
		b->camp = c;
		b->out->campaign_id = c->id;
		if (!bulk_same(c->filter, r->filter) ||
		    !bulk_same(c->template, r->template) ||
		    !bulk_same(c->advance_to, r->advance_to))
			return err_set(e, LG_EPERM, "campaign '%s' was made with "
			    "--filter '%s' --template %s%s%s: give another "
			    "--name", c->name, c->filter, c->template,
			    c->advance_to ? " --advance-to " : "",
			    c->advance_to ? c->advance_to : "");
		return store_campaign_contacts(b->d->st, c->id, &b->done, e);
	}
	if (rc != LG_ENOENT || r->dry_run)
		return rc == LG_ENOENT ? LG_OK : rc;
	c = xcalloc(1, sizeof(*c));
	c->name = xstrdup(b->out->name);
	c->filter = xstrdup(r->filter);
	c->template = xstrdup(r->template);
	c->advance_to = r->advance_to ? xstrdup(r->advance_to) : NULL;
	b->camp = c;
	if ((rc = store_begin(b->d->st, e)) != LG_OK)
		return rc;
	if ((rc = store_campaign_insert(b->d->st, c, e)) == LG_OK &&
	    (rc = store_commit(b->d->st, e)) == LG_OK) {
		b->out->campaign_id = c->id;
		log_info(MOD, "campaign %s (%lld) made: template %s, filter %s",
		    c->name, (long long)c->id, c->template, c->filter);
		return LG_OK;
	}
	store_rollback(b->d->st);
	return rc;
}

static int
bulk_done(const struct brun *b, int64_t contact)
{
	const int64_t *v = b->done.v;
	size_t lo = 0, hi = b->done.n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid] == contact)
			return 1;
		if (v[mid] < contact)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Why c gets nothing (BULK_NSKIP: it may be written to), or < 0. */
static int
bulk_why_not(struct brun *b, const struct contact *c, struct err *e)
{
	char *reason = NULL;
	int rc;

	if (bulk_done(b, c->id))
		return BULK_ALREADY;
	if (c->nemails == 0)
		return BULK_NO_EMAIL;
	if (c->opt_out)
		return BULK_OPTED_OUT;
	if (c->invalid_address)
		return BULK_INVALID;
	rc = store_suppression_get(b->d->st, c->emails[0].norm, &reason, e);
	free(reason);
	if (rc == LG_OK)
		return BULK_SUPPRESSED;
	return rc == LG_ENOENT ? BULK_NSKIP : rc;
}

static void
bulk_message_id(const struct brun *b, int64_t contact, char *out,
    size_t len)
{
	char local[64];

	if (b->r->dry_run) {
		snprintf(out, len, "<bulk.sample.%lld@%s>", (long long)contact,
		    b->cfg->mail.domain);
		return;
	}
	snprintf(local, sizeof(local), "bulk.%lld.%lld", (long long)b->camp->id,
	    (long long)contact);
	outgoing_message_id(local, b->cfg->mail.domain, out, len);
}

static void
bulk_skip(struct brun *b, enum bulk_skip why, int64_t contact,
    const char *detail)
{
	b->out->skipped[why]++;
	if (why != BULK_UNWRITABLE || detail == NULL)
		return;
	log_warn(MOD, "contact %lld: %s", (long long)contact, detail);
	if (b->out->first_error == NULL)
		b->out->first_error = xasprintf("contact %lld: %s",
		    (long long)contact, detail);
}

/*
 * Spool the letter to c. l is the first lead of t, or NULL. bulk_why_not()
 * has looked c's address up on the suppression list in this transaction.
 */
static int
bulk_enqueue(struct brun *b, const struct target *t, const struct contact *c,
    const struct lead *l, struct letter *lt, struct err *e)
{
	struct outgoing *o = outgoing_new();
	size_t i;
	int rc;

	o->dedup_key = outgoing_key_campaign(b->camp->id, t->contact);
	o->lead_id = t->nleads ? t->leads[0] : 0;
	o->contact_id = t->contact;
	o->template = xstrdup(b->r->template);
	o->campaign_id = b->camp->id;
	/* Bulk mail wants its bounces: they mark addresses invalid. */
	o->sender = xstrdup(lt->sender);	/* VERP: set once o has its id */
	o->rcpt = xstrdup(lt->rcpt);
	o->subject = xstrdup(lt->subject);
	o->advance_pipeline = l ? xstrdup(l->pipeline) : NULL;
	o->advance_phase = t->nleads ? t->phases[0] : 0;
	rc = spool_enqueue_checked(b->sp, b->d->st, o, lt->data.data,
	    lt->data.len, c->emails[0].norm, e);
	/* Queued: a failure now must undo the batch, not skip a contact. */
	if (rc == LG_OK &&
	    (rc = verp_sender(b->verp, b->d->st, o, e)) == LG_EPERM)
		rc = LG_EINTERNAL;
	for (i = 0; rc == LG_OK && i < t->nleads; i++)
		rc = store_outgoing_lead_add(b->d->st, o->id, t->leads[i],
		    t->phases[i], e);
	outgoing_free(o);
	return rc;
}

/* The leads of t, read once for the letter and its row. */
static int
bulk_leads_get(struct brun *b, const struct target *t, struct lead ***out,
    struct err *e)
{
	struct lead **v = xcalloc(t->nleads + 1, sizeof(*v));
	size_t i;
	int rc = LG_OK;

	for (i = 0; i < t->nleads && rc == LG_OK; i++)
		rc = store_lead_get(b->d->st, t->leads[i], &v[i], e);
	*out = v;
	return rc;
}

static void
bulk_leads_free(struct lead **v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		lead_free(v[i]);
	free(v);
}

/* The letter to c, spooled (or kept as the sample in a dry run). */
static int
bulk_write(struct brun *b, const struct target *t, const struct contact *c,
    struct err *e)
{
	struct letter_req req;
	struct letter_shared sh;
	struct letter lt;
	struct lead **leads = NULL;
	char mid[200], *tok = NULL;
	int rc;

	if ((rc = store_contact_unsub_token(b->d->st, c->id, !b->r->dry_run,
	    &tok, e)) != LG_OK)
		return rc;
	bulk_message_id(b, c->id, mid, sizeof(mid));
	memset(&req, 0, sizeof(req));
	req.template = b->r->template;
	req.contact_id = c->id;
	req.lead_id = t->nleads ? t->leads[0] : 0;
	req.kind = LETTER_BULK;
	req.message_id = mid;
	req.unsub_token = tok ? tok : BULK_SAMPLE_TOKEN;
	req.lead_ids = t->leads;
	req.nleads = t->nleads;
	req.contact = c;
	sh.templates = b->tc;
	sh.leads = NULL;
	memset(&lt, 0, sizeof(lt));
	if ((rc = bulk_leads_get(b, t, &leads, e)) == LG_OK) {
		req.lead = t->nleads ? leads[0] : NULL;
		sh.leads = (const struct lead *const *)leads;
		rc = letter_build_shared(b->d->st, b->d->pl, b->cfg, &sh, &req,
		    &lt, e);
	}
	free(tok);
	if (rc == LG_EPERM || rc == LG_ENOENT) {
		bulk_skip(b, BULK_UNWRITABLE, c->id, e->msg);
		bulk_leads_free(leads, t->nleads);
		return LG_OK;
	}
	if (rc != LG_OK) {
		bulk_leads_free(leads, t->nleads);
		return rc;
	}
	if (b->r->dry_run) {
		if (b->out->sample == NULL) {
			b->out->sample = xstrndup(lt.data.data, lt.data.len);
			b->out->sample_rcpt = xstrdup(lt.rcpt);
		}
		b->out->queued++;
	} else if ((rc = bulk_enqueue(b, t, c, req.lead, &lt, e)) == LG_OK) {
		b->out->queued++;
	} else if (rc == LG_EEXIST) {
		bulk_skip(b, BULK_ALREADY, c->id, NULL);
		rc = LG_OK;
	} else if (rc == LG_EPERM) {
		bulk_skip(b, BULK_UNWRITABLE, c->id, e->msg);
		rc = LG_OK;
	}
	letter_clear(&lt);
	bulk_leads_free(leads, t->nleads);
	return rc;
}

/* The lead lead_for() gives the message to c, as t's only lead. */
static int
bulk_lead_for(struct brun *b, struct target *t, struct err *e)
{
	int64_t lead = 0;
	int rc;

	if (b->r->lead_for == NULL || b->r->dry_run || t->nleads > 0)
		return LG_OK;
	if ((rc = b->r->lead_for(b->r->lead_arg, t->contact, &lead, e)) !=
	    LG_OK || lead == 0)
		return rc;
	t->leads = xcalloc(1, sizeof(*t->leads));
	t->phases = xcalloc(1, sizeof(*t->phases));
	t->leads[0] = lead;
	t->nleads = 1;
	return LG_OK;
}

static int
bulk_one(struct brun *b, struct target *t, struct err *e)
{
	struct contact *c;
	int rc, why;

	if ((rc = store_contact_get(b->d->st, t->contact, &c, e)) != LG_OK)
		return rc == LG_ENOENT ? LG_OK : rc;	/* gone meanwhile */
	why = bulk_why_not(b, c, e);
	if (why < 0)
		rc = why;
	else if (why != BULK_NSKIP)
		bulk_skip(b, (enum bulk_skip)why, c->id, NULL);
	else if ((rc = bulk_lead_for(b, t, e)) == LG_OK)
		rc = bulk_write(b, t, c, e);
	contact_free(c);
	return rc;
}

/* The campaign's counts as of this batch, in its transaction. */
static int
bulk_counts(struct brun *b, struct err *e)
{
	b->camp->matched = b->out->matched;
	b->camp->queued = (long)b->done.n + b->out->queued;
	b->camp->skipped = bulk_skipped_total(b->out) -
	    b->out->skipped[BULK_ALREADY];
	return store_campaign_update(b->d->st, b->camp, e);
}

/* Targets [from, to) in one transaction whose files are synced first. */
static int
bulk_batch(struct brun *b, size_t from, size_t to,
    const struct bulk_hooks *h, struct err *e)
{
	size_t i;
	int rc;

	if (!b->r->dry_run && (rc = store_begin(b->d->st, e)) != LG_OK)
		return rc;
	for (i = from, rc = LG_OK; i < to && rc == LG_OK; i++) {
		rc = bulk_one(b, &b->t[i], e);
		if (h && h->progress)
			h->progress(h->arg, (long)i + 1, (long)b->nt);
	}
	if (b->r->dry_run)
		return rc;
	if (rc == LG_OK && (rc = spool_sync(b->sp, e)) == LG_OK &&
	    (rc = bulk_counts(b, e)) == LG_OK &&
	    (rc = store_commit(b->d->st, e)) == LG_OK)
		return LG_OK;
	store_rollback(b->d->st);
	return rc;
}

static void
bulk_targets_free(struct brun *b)
{
	size_t i;

	for (i = 0; i < b->nt; i++) {
		free(b->t[i].leads);
		free(b->t[i].phases);
	}
	free(b->t);
	idlist_free(&b->done);
	campaign_free(b->camp);
	verp_free(b->verp);
	tcache_free(b->tc);
}

/*
 * A template that does not exist is a mistake of the request. Its
 * default variant, read and checked here, stays compiled for the run.
 */
static int
bulk_template_ok(struct brun *b, struct err *e)
{
	const struct template *t;

	if (tcache_get(b->tc, b->r->template, NULL, &t, e) != LG_OK)
		return LG_EPERM;
	return LG_OK;
}

int
bulk_run(struct domain *d, const struct config *cfg, struct spool *sp,
    const struct bulk_req *r, const struct bulk_hooks *h,
    struct bulk_result *out, struct err *e)
{
	struct brun b;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&b, 0, sizeof(b));
	b.d = d;
	b.cfg = cfg;
	b.sp = sp;
	b.r = r;
	b.out = out;
	b.tc = tcache_new(cfg->templates_dir);
	out->name = r->name ? xstrdup(r->name) : bulk_default_name(r);
	if (!r->dry_run && sp == NULL)
		rc = err_set(e, LG_EINTERNAL, "bulk mail needs a spool");
	/* The VERP secret is read before anything is spooled. */
	else if (!r->dry_run)
		rc = verp_load(cfg->bounce.verp, cfg->bounce.secret_file,
		    cfg->bounce.secret_env, &b.verp, e);
	else
		rc = LG_OK;
	if (rc == LG_OK && (rc = bulk_template_ok(&b, e)) == LG_OK &&
	    (rc = bulk_select(&b, e)) == LG_OK &&
	    (rc = bulk_campaign(&b, e)) == LG_OK) {
		if (sp)
			spool_batch(sp, 1);
		for (i = 0; i < b.nt && rc == LG_OK; i += BULK_BATCH)
			rc = bulk_batch(&b, i, i + BULK_BATCH < b.nt ?
			    i + BULK_BATCH : b.nt, h, e);
		if (sp)
			spool_batch(sp, 0);
	}
	if (rc == LG_OK && !r->dry_run)
		log_info(MOD, "campaign %s: %ld contacts, %ld queued, %ld "
		    "skipped", out->name, out->matched, out->queued,
		    bulk_skipped_total(out));
	bulk_targets_free(&b);
	return rc;
}
