/* Replies to our mail matched to the lead they answer (see thread.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/idlist.h"
#include "util/xmalloc.h"
#include "core/domain.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "core/thread.h"

#define MAX_IDS 32		/* Message-IDs looked up per mail */
#define TEXT_MAX 2000		/* of the answer's text in the history */

/* What mail clients put before a subject they answer. */
static const char *const reply_prefixes[] = {
	"Re", "AW", "RE", "Antw", "R", "SV", "VS", "Odp", "Aw", "Sv",
};
#define NPREFIXES (sizeof(reply_prefixes) / sizeof(reply_prefixes[0]))

static const char *const by_names[] = {
	[THREAD_NONE] = NULL,
	[THREAD_HEADER] = "header",
	[THREAD_SUBJECT] = "subject",
};

const char *
thread_by_name(enum thread_by by)
{
	return by_names[by];
}

static const char *
skip_space(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* Past one prefix ("Re:", "AW[2]:"), or NULL when s starts with none. */
static const char *
prefix_end(const char *s)
{
	const char *p;
	size_t i, n;

	for (i = 0; i < NPREFIXES; i++) {
		n = strlen(reply_prefixes[i]);
		if (strncasecmp(s, reply_prefixes[i], n) != 0)
			continue;
		p = s + n;
		if (*p == '[') {
			while (isdigit((unsigned char)*++p))
				;
			if (*p++ != ']')
				continue;
		}
		if (*p == ':')
			return skip_space(p + 1);
	}
	return NULL;
}

const char *
thread_subject_base(const char *subject, int *n)
{
	const char *s = skip_space(subject ? subject : ""), *p;
	int k = 0;

	while ((p = prefix_end(s)) != NULL) {
		s = p;
		k++;
	}
	if (n != NULL)
		*n = k;
	return s;
}

/* Equal but for case and runs of white space. */
static int
same_subject(const char *a, const char *b)
{
	a = skip_space(a);
	b = skip_space(b);
	while (*a && *b) {
		if (isspace((unsigned char)*a) && isspace((unsigned char)*b)) {
			a = skip_space(a);
			b = skip_space(b);
			continue;
		}
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
	return *skip_space(a) == '\0' && *skip_space(b) == '\0';
}

/* The "<...>" tokens of a header value, without <>, appended to v. */
static void
message_ids(const char *h, char **v, size_t *n, int newest_first)
{
	const char *p, *q;
	char *tmp[MAX_IDS];
	size_t k = 0, i;

	for (p = h; p && (p = strchr(p, '<')) != NULL && k < MAX_IDS; p = q) {
		if ((q = strchr(p, '>')) == NULL)
			break;
		if (q > p + 1)
			tmp[k++] = xstrndup(p + 1, (size_t)(q - p - 1));
	}
	for (i = 0; i < k; i++) {
		if (*n < MAX_IDS)
			v[(*n)++] = tmp[newest_first ? k - 1 - i : i];
		else
			free(tmp[newest_first ? k - 1 - i : i]);
	}
}

/* The newest open lead of the contact, or 0. */
static int
open_lead(struct domain *d, int64_t contact, int64_t *lead, struct err *e)
{
	struct idlist ids = IDLIST_INIT;
	struct lead *l;
	size_t i;
	int rc;

	*lead = 0;
	if ((rc = store_leads_of_contact(d->st, contact, &ids, e)) != LG_OK)
		return rc;
	for (i = ids.n; i > 0 && *lead == 0 && rc == LG_OK; i--) {
		if ((rc = store_lead_get(d->st, ids.v[i - 1], &l, e)) != LG_OK)
			break;
		if (l->status == LEAD_OPEN)
			*lead = l->id;
		lead_free(l);
	}
	idlist_free(&ids);
	return rc;
}

/*
 * Whether addr is known: one of the contact's addresses, or another
 * contact's (which keeps it: an address is not moved between contacts).
 */
static int
known_address(struct domain *d, int64_t contact, const char *addr,
    int *yes, struct err *e)
{
	struct contact *c;
	int64_t other;
	size_t i;
	int rc;

	*yes = 0;
	if ((rc = store_contact_get(d->st, contact, &c, e)) != LG_OK)
		return rc;
	for (i = 0; i < c->nemails; i++)
		if (strcasecmp(c->emails[i].norm, addr) == 0)
			*yes = 1;
	contact_free(c);
	if (*yes)
		return LG_OK;
	rc = store_contact_find(d->st, MATCH_EMAIL, addr, &other, e);
	*yes = rc == LG_OK;
	return rc == LG_ENOENT ? LG_OK : rc;
}

/* The message answered, as the lead and contact it stands for. */
static int
matched(struct domain *d, const struct thread_mail *m,
    const struct outgoing *o, enum thread_by by, struct thread_match *out,
    struct err *e)
{
	struct outgoing_lead *v = NULL;
	size_t n = 0;
	int rc, yes = 1;

	out->by = by;
	out->outgoing_id = o->id;
	out->contact_id = o->contact_id;
	out->lead_id = o->lead_id;
	if (out->lead_id == 0) {
		if ((rc = store_outgoing_leads(d->st, o->id, &v, &n, e)) !=
		    LG_OK)
			return rc;
		out->lead_id = n ? v[0].lead_id : 0;
		free(v);
	}
	if (out->lead_id == 0 && o->contact_id != 0 &&
	    (rc = open_lead(d, o->contact_id, &out->lead_id, e)) != LG_OK)
		return rc;
	if (m->from && *m->from && o->contact_id != 0 &&
	    (rc = known_address(d, o->contact_id, m->from, &yes, e)) != LG_OK)
		return rc;
	out->new_address = !yes;
	return LG_OK;
}

static int
by_header(struct domain *d, const struct thread_mail *m,
    struct thread_match *out, struct err *e)
{
	char *ids[MAX_IDS];
	struct outgoing *o = NULL;
	size_t n = 0, i;
	int rc = LG_OK;

	message_ids(m->in_reply_to, ids, &n, 0);
	message_ids(m->references, ids, &n, 1);
	for (i = 0; i < n && out->by == THREAD_NONE && rc == LG_OK; i++) {
		rc = store_outgoing_by_message_id(d->st, ids[i], &o, e);
		if (rc == LG_ENOENT) {
			rc = LG_OK;
			continue;
		}
		if (rc == LG_OK && (o->contact_id != 0 || o->lead_id != 0))
			rc = matched(d, m, o, THREAD_HEADER, out, e);
		outgoing_free(o);
		o = NULL;
	}
	for (i = 0; i < n; i++)
		free(ids[i]);
	return rc;
}

static int
by_subject(struct domain *d, const struct thread_mail *m,
    struct thread_match *out, struct err *e)
{
	struct outgoing *v = NULL;
	const char *base;
	int64_t contact, lead;
	size_t n = 0, i;
	int rc, k;

	base = thread_subject_base(m->subject, &k);
	if (k == 0 || *base == '\0' || m->from == NULL || *m->from == '\0')
		return LG_OK;
	rc = store_contact_find(d->st, MATCH_EMAIL, m->from, &contact, e);
	if (rc != LG_OK)
		return rc == LG_ENOENT ? LG_OK : rc;
	if ((rc = open_lead(d, contact, &lead, e)) != LG_OK || lead == 0)
		return rc;
	if ((rc = store_outgoing_to_contact(d->st, contact, &v, &n, e)) !=
	    LG_OK)
		return rc;
	for (i = n; i > 0 && out->by == THREAD_NONE && rc == LG_OK; i--)
		if (v[i - 1].subject && same_subject(thread_subject_base(
		    v[i - 1].subject, NULL), base))
			rc = matched(d, m, &v[i - 1], THREAD_SUBJECT, out, e);
	store_outgoing_rows_free(v, n);
	if (rc == LG_OK && out->by != THREAD_NONE && out->lead_id == 0)
		out->lead_id = lead;
	return rc;
}

int
thread_match(struct domain *d, const struct thread_mail *m,
    struct thread_match *out, struct err *e)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = by_header(d, m, out, e)) != LG_OK || out->by != THREAD_NONE)
		return rc;
	return by_subject(d, m, out, e);
}

/* The new address on the contact, and a word of it in its history. */
static int
add_address(struct domain *d, const struct thread_match *t, const char *addr,
    struct err *e)
{
	struct contact *c;
	char *remark;
	int rc;

	if ((rc = store_contact_get(d->st, t->contact_id, &c, e)) != LG_OK)
		return rc;
	contact_push_addr(&c->emails, &c->nemails, addr, addr);
	rc = domain_contact_update(d, c, e);
	contact_free(c);
	if (rc != LG_OK)
		return rc;
	remark = xasprintf("address %s added: it answered message %lld", addr,
	    (long long)t->outgoing_id);
	rc = domain_contact_note(d, t->contact_id, "address added", remark, e);
	free(remark);
	return rc;
}

/* *no: the phase of the lead's pipeline whose action an answer is, or 0. */
static int
answer_phase(struct domain *d, int64_t lead_id, int *no, struct err *e)
{
	const struct pipeline *p;
	struct lead *l;
	size_t i;
	int rc;

	*no = 0;
	if (d->pl == NULL)
		return LG_OK;
	if ((rc = store_lead_get(d->st, lead_id, &l, e)) != LG_OK)
		return rc;
	if ((p = pipelines_find(d->pl, l->pipeline)) != NULL)
		for (i = 0; i < p->nphases && *no == 0; i++)
			if (p->phases[i].action && strcasecmp(
			    p->phases[i].action, THREAD_ACTION) == 0)
				*no = p->phases[i].no;
	lead_free(l);
	return LG_OK;
}

int
thread_apply(struct domain *d, const struct thread_match *t,
    const struct thread_mail *m, const char *connector, const char *text,
    char *decision, size_t len, struct err *e)
{
	char *remark;
	size_t n;
	int rc = LG_OK, moved = 0, phase;

	if (t->new_address && m->from && *m->from &&
	    (rc = add_address(d, t, m->from, e)) != LG_OK)
		return rc;
	if (t->lead_id != 0)
		snprintf(decision, len, "reply to message %lld, lead %lld (by "
		    "%s)%s", (long long)t->outgoing_id, (long long)t->lead_id,
		    thread_by_name(t->by), t->new_address ? ", new address" :
		    "");
	else
		snprintf(decision, len, "reply to message %lld, contact %lld "
		    "(by %s)", (long long)t->outgoing_id,
		    (long long)t->contact_id, thread_by_name(t->by));
	n = text ? strlen(text) : 0;
	while (n > 0 && isspace((unsigned char)text[n - 1]))
		n--;
	remark = xasprintf("%s via %s (%s)%s%.*s", m->from ? m->from : "-",
	    connector ? connector : "-", decision, n ? ": " : "",
	    (int)(n < TEXT_MAX ? n : TEXT_MAX), n ? text : "");
	if (t->lead_id == 0) {
		rc = domain_contact_note(d, t->contact_id, THREAD_ACTION,
		    remark, e);
	} else {
		if ((rc = answer_phase(d, t->lead_id, &phase, e)) == LG_OK &&
		    phase != 0)
			rc = domain_lead_advance(d, t->lead_id, phase, remark,
			    &moved, e);
		if (rc == LG_OK && !moved)
			rc = domain_lead_note(d, t->lead_id, THREAD_ACTION,
			    remark, e);
	}
	free(remark);
	return rc;
}
