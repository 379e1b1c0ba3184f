/*
 * An inquiry becoming a contact and a lead (see intake.h). The words of
 * the decisions and remarks are what `rules test`, the logs and the
 * history show.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "core/domain.h"
#include "core/intake.h"
#include "core/store.h"

int
intake_find(struct domain *d, const struct intake_policy *p,
    const struct intake *in, int64_t *id, char *decision, size_t len)
{
	char key[512];
	size_t i;

	if (p->email && in->email_norm && in->email_norm[0] &&
	    store_contact_find(d->st, MATCH_EMAIL, in->email_norm, id,
	    NULL) == LG_OK) {
		snprintf(decision, len, "matched contact %lld by e-mail %s",
		    (long long)*id, in->email_norm);
		return 1;
	}
	for (i = 0; p->phone && i < in->nphones; i++)
		if (store_contact_find(d->st, MATCH_PHONE, in->phones[i].norm,
		    id, NULL) == LG_OK) {
			snprintf(decision, len, "matched contact %lld by phone "
			    "%s", (long long)*id, in->phones[i].norm);
			return 1;
		}
	if (p->name_postcode && in->first_name && in->last_name &&
	    in->postcode) {
		snprintf(key, sizeof(key), "%s\t%s\t%s", in->first_name,
		    in->last_name, in->postcode);
		if (store_contact_find(d->st, MATCH_NAME_POSTCODE, key, id,
		    NULL) == LG_OK) {
			snprintf(decision, len, "matched contact %lld by name "
			    "and postcode %s", (long long)*id, in->postcode);
			return 1;
		}
	}
	return 0;
}

/* Fill what the contact lacks from the inquiry; say what changed. */
static int
intake_fill(char **dst, const char *src, const char *what,
    struct buf *changes)
{
	if (src == NULL || *src == '\0' || (*dst && **dst))
		return 0;
	xstrset(dst, src);
	buf_printf(changes, "%s%s", changes->len ? ", " : "", what);
	return 1;
}

static void
intake_take(const struct intake *in, struct contact *c, struct buf *changes)
{
	size_t i, before;

	intake_fill(&c->salutation, in->salutation, "salutation", changes);
	intake_fill(&c->first_name, in->first_name, "first name", changes);
	intake_fill(&c->last_name, in->last_name, "last name", changes);
	if (c->company_id == 0)
		intake_fill(&c->company, in->company, "company", changes);
	intake_fill(&c->street, in->street, "street", changes);
	intake_fill(&c->postcode, in->postcode, "postcode", changes);
	intake_fill(&c->city, in->city, "city", changes);
	intake_fill(&c->language, in->language, "language", changes);
	before = c->nemails;
	if (in->email_norm && in->email_norm[0])
		contact_push_addr(&c->emails, &c->nemails, in->email,
		    in->email_norm);
	if (c->nemails != before)
		buf_printf(changes, "%se-mail %s", changes->len ? ", " : "",
		    in->email_norm);
	for (i = 0; i < in->nphones; i++) {
		before = c->nphones;
		contact_push_addr(&c->phones, &c->nphones, in->phones[i].given,
		    in->phones[i].norm);
		if (c->nphones != before)
			buf_printf(changes, "%sphone %s", changes->len ? ", " :
			    "", in->phones[i].norm);
	}
}

/* A contact found again: what it lacked, saved and noted. */
static int
intake_merge(struct domain *d, const struct intake *in, struct contact *c,
    struct err *e)
{
	struct buf changes = BUF_INIT;
	char *remark;
	int rc = LG_OK;

	intake_take(in, c, &changes);
	if (changes.len) {
		remark = xasprintf("from an inquiry: %s", buf_str(&changes));
		if ((rc = store_contact_update(d->st, c, e)) == LG_OK)
			rc = domain_contact_note(d, c->id, "updated", remark,
			    e);
		free(remark);
	}
	buf_free(&changes);
	return rc;
}

static int
intake_create(struct domain *d, const struct intake *in, struct contact *c,
    struct err *e)
{
	struct buf changes = BUF_INIT;
	char *remark;
	int rc;

	intake_take(in, c, &changes);
	buf_free(&changes);
	remark = xasprintf("from an inquiry via %s", in->connector ?
	    in->connector : "?");
	rc = domain_contact_add_inquiry(d, c, remark, e);
	free(remark);
	return rc;
}

int
intake_contact(struct domain *d, const struct intake_policy *p,
    const struct intake *in, struct contact **out, char *decision,
    size_t len, struct err *e)
{
	struct contact *c;
	int64_t id;
	int rc;

	*out = NULL;
	if (intake_find(d, p, in, &id, decision, len)) {
		if ((rc = store_contact_get(d->st, id, &c, e)) != LG_OK)
			return rc;
		rc = intake_merge(d, in, c, e);
	} else {
		c = contact_new();
		rc = intake_create(d, in, c, e);
		snprintf(decision, len, "new contact %lld", (long long)c->id);
	}
	if (rc != LG_OK) {
		contact_free(c);
		return rc;
	}
	*out = c;
	return LG_OK;
}

int64_t
intake_open_lead(struct domain *d, const struct intake_policy *p,
    const struct intake *in, int64_t contact)
{
	int64_t id;

	if (p->same_object && in->object_ref &&
	    store_lead_find_open(d->st, contact, in->object_ref, &id,
	    NULL) == LG_OK)
		return id;
	return 0;
}

int
intake_lead_note(struct domain *d, int64_t lead, const struct intake *in,
    const char *decision, struct err *e)
{
	const char *msg = in->message ? in->message : "";
	char *remark;
	int rc;

	remark = xasprintf("another inquiry on %s via %s (%s)%s%s%s%.500s",
	    in->object_ref, in->connector ? in->connector : "-", decision,
	    in->forwarded_by ? ", forwarded by " : "",
	    in->forwarded_by ? in->forwarded_by : "", *msg ? ": " : "", msg);
	rc = domain_lead_note(d, lead, "inquiry", remark, e);
	free(remark);
	return rc;
}

int
intake_source(struct domain *d, const char *name, int *created,
    struct err *e)
{
	char *canonical = NULL;
	int rc;

	*created = 0;
	rc = store_source_get(d->st, name, &canonical, e);
	free(canonical);
	if (rc != LG_ENOENT)
		return rc;
	if ((rc = store_source_add(d->st, name, e)) == LG_OK)
		*created = 1;
	return rc;
}

int
intake_lead(struct domain *d, const struct intake *in, struct contact *c,
    const char *decision, struct lead **out, struct err *e)
{
	struct lead *l = lead_new();
	char *remark;
	int rc;

	*out = NULL;
	l->contact_id = c->id;
	l->pipeline = xstrdup(in->pipeline);
	l->phase_no = in->phase;
	l->source = xstrdup(in->source);
	l->object_ref = xstrdup(in->object_ref);
	l->portal_object_ref = xstrdup(in->portal_object_ref);
	l->portal = xstrdup(in->portal);
	l->portal_ref = xstrdup(in->portal_ref);
	l->connector = xstrdup(in->connector);
	l->message = xstrdup(in->message);
	xstrset(&l->custom, in->custom ? in->custom : "{}");
	remark = xasprintf("inquiry via %s, rule %s%s%s: %s", in->connector ?
	    in->connector : "-", in->rule, in->forwarded_by ?
	    ", forwarded by " : "", in->forwarded_by ? in->forwarded_by : "",
	    decision);
	rc = domain_lead_add_to(d, c, l, remark, e);
	free(remark);
	if (rc != LG_OK) {
		lead_free(l);
		return rc;
	}
	*out = l;
	return LG_OK;
}
