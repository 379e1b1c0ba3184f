/* The /api/v1 handlers (see http_api.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "gateway/cmdutil.h"
#include "gateway/http_api.h"
#include "core/config.h"
#include "core/filter.h"
#include "core/outgoing.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "core/view.h"
#include "ingest/ingest.h"
#include "outbound/followup.h"
#include "outbound/gdpr.h"
#include "spool/spool.h"
#include "templates/template.h"
#include "util/idlist.h"
#include "util/xmalloc.h"

#define PAGE_DEFAULT 100
#define OPENAPI_MAX (1024 * 1024)

static const char *const list_args[] = { "filter", "limit", "after", NULL };
static const char *const no_args[] = { NULL };

int
api_tx(struct http_req *r, int (*fn)(struct http_req *, void *,
    struct err *), void *arg, struct http_resp *out)
{
	struct store *st = r->env->d.st;
	struct err e;

	err_clear(&e);
	if (store_begin(st, &e) != LG_OK) {
		http_problem_err(out, &e);
		return -1;
	}
	if (fn(r, arg, &e) != LG_OK || store_commit(st, &e) != LG_OK) {
		store_rollback(st);
		http_problem_err(out, &e);
		return -1;
	}
	return 0;
}

static const char *
type_name(int t)
{
	switch (t) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "a value";
	}
}

static int
type_ok(const json_t *v, int want)
{
	if (want == JSON_TRUE || want == JSON_FALSE)
		return json_is_boolean(v);
	return (int)json_typeof(v) == want;
}

static int
content_json(struct http_req *r)
{
	const char *ct = http_header_get(r, "Content-Type");
	size_t n = strlen("application/json");

	return ct != NULL && strncasecmp(ct, "application/json", n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';');
}

json_t *
api_body(struct http_req *r, const struct api_field *fields,
    struct http_resp *out)
{
	json_error_t je;
	const char *key;
	json_t *o, *v;
	size_t i;

	if (!content_json(r)) {
		http_problem(out, 415, "unsupported-media-type", "the body "
		    "must be application/json");
		return NULL;
	}
	o = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &je);
	if (o == NULL) {
		http_problem(out, 400, "invalid-json", "malformed JSON: %s "
		    "(line %d)", je.text, je.line);
		return NULL;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		http_problem(out, 400, "wrong-type", "the body must be a JSON "
		    "object");
		return NULL;
	}
	json_object_foreach(o, key, v) {
		for (i = 0; fields[i].name; i++)
			if (strcmp(fields[i].name, key) == 0)
				break;
		if (fields[i].name == NULL) {
			http_problem(out, 400, "unknown-field", "unknown field "
			    "'%.64s'", key);
			json_decref(o);
			return NULL;
		}
		if (!type_ok(v, fields[i].type)) {
			http_problem(out, 400, "wrong-type", "'%s' must be %s",
			    key, type_name(fields[i].type));
			json_decref(o);
			return NULL;
		}
	}
	for (i = 0; fields[i].name; i++)
		if (fields[i].required && json_object_get(o,
		    fields[i].name) == NULL) {
			http_problem(out, 400, "missing-field", "'%s' is "
			    "required", fields[i].name);
			json_decref(o);
			return NULL;
		}
	return o;
}

/* A positive decimal id; a problem otherwise. */
static int
parse_id(const char *s, const char *what, int64_t *out,
    struct http_resp *res)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v <= 0) {
		http_problem(res, 400, "bad-id", "%s must be a positive "
		    "integer", what);
		return -1;
	}
	*out = v;
	return 0;
}

struct page {
	size_t limit;
	int64_t after;
	struct filter *f;
};

static int
page_args(struct http_req *r, struct page *p, struct http_resp *out)
{
	const char *lim = http_query(r, "limit"), *after = http_query(r,
	    "after"), *ftext = http_query(r, "filter");
	int64_t v;
	struct err e;

	memset(p, 0, sizeof(*p));
	p->limit = PAGE_DEFAULT;
	if (http_query_only(r, list_args, out) != 0)
		return -1;
	if (lim) {
		if (parse_id(lim, "limit", &v, out) != 0)
			return -1;
		if (v > r->env->cfg->serve.page_max) {
			http_problem(out, 400, "bad-limit", "limit is at most "
			    "%d", r->env->cfg->serve.page_max);
			return -1;
		}
		p->limit = (size_t)v;
	}
	if (after && parse_id(after, "after", &p->after, out) != 0)
		return -1;
	if (ftext && *ftext) {
		err_clear(&e);
		if (filter_parse(ftext, r->env->d.pl, &p->f, &e) != LG_OK) {
			http_problem(out, 400, "bad-filter", "%s", e.msg);
			return -1;
		}
	}
	return 0;
}

/*
 * The page of ids (the store fetched one more than the limit: then there
 * is a next page); fn makes each item.
 */
static void
page_answer(struct http_req *r, const struct page *p,
    const struct idlist *ids, json_t *(*fn)(struct http_req *, int64_t,
    struct err *), struct http_resp *out)
{
	json_t *items = json_array(), *o, *item;
	int64_t last = 0;
	struct err e;
	size_t i;

	err_clear(&e);
	for (i = 0; i < ids->n && i < p->limit; i++) {
		if ((item = fn(r, ids->v[i], &e)) == NULL) {
			json_decref(items);
			http_problem_err(out, &e);
			return;
		}
		json_array_append_new(items, item);
		last = ids->v[i];
	}
	o = json_object();
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "next", ids->n > p->limit ? json_integer(last) :
	    json_null());
	http_json(out, 200, o);
}

static json_t *
lead_item(struct http_req *r, int64_t id, struct err *e)
{
	struct lead *l;
	json_t *v;

	if (store_lead_get(r->env->d.st, id, &l, e) != LG_OK)
		return NULL;
	v = view_lead(l, r->env->d.pl);
	lead_free(l);
	return v;
}

static json_t *
contact_item(struct http_req *r, int64_t id, struct err *e)
{
	struct contact *c;
	json_t *v;

	if (store_contact_get(r->env->d.st, id, &c, e) != LG_OK)
		return NULL;
	v = view_contact(c);
	contact_free(c);
	return v;
}

static void
list_of(struct http_req *r, struct http_resp *out, int leads)
{
	struct idlist ids = IDLIST_INIT;
	struct page p;
	struct err e;
	int rc;

	if (page_args(r, &p, out) != 0)
		return;
	err_clear(&e);
	rc = leads ? store_leads_page(r->env->d.st, p.f, p.after, p.limit + 1,
	    &ids, &e) : store_contacts_page(r->env->d.st, p.f, p.after,
	    p.limit + 1, &ids, &e);
	if (rc != LG_OK)
		http_problem_err(out, &e);
	else
		page_answer(r, &p, &ids, leads ? lead_item : contact_item, out);
	idlist_free(&ids);
	filter_free(p.f);
}

void
api_leads_list(struct http_req *r, struct http_resp *out)
{
	list_of(r, out, 1);
}

void
api_contacts_list(struct http_req *r, struct http_resp *out)
{
	list_of(r, out, 0);
}

/* The quoted ETag of a lead: a hash of its view. */
static void
lead_etag(const struct lead *l, const struct pipelines *pl, char *tag,
    size_t len)
{
	unsigned char d[32];
	json_t *v = view_lead(l, pl);
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	size_t i;

	gnutls_hash_fast(GNUTLS_DIG_SHA256, s, strlen(s), d);
	snprintf(tag, len, "\"");
	for (i = 0; i < 12 && 2 * i + 3 < len; i++)
		snprintf(tag + 1 + 2 * i, 3, "%02x", d[i]);
	strncat(tag, "\"", len - strlen(tag) - 1);
	free(s);
	json_decref(v);
}

void
api_lead_show(struct http_req *r, struct http_resp *out)
{
	struct domain *d = &r->env->d;
	struct lead *l;
	char tag[32];
	int64_t id;
	struct err e;
	json_t *o;

	if (http_query_only(r, no_args, out) != 0 ||
	    parse_id(r->params[0], "the lead id", &id, out) != 0)
		return;
	err_clear(&e);
	if (store_lead_get(d->st, id, &l, &e) != LG_OK) {
		http_problem_err(out, &e);
		return;
	}
	lead_etag(l, d->pl, tag, sizeof(tag));
	o = view_lead(l, d->pl);
	json_object_set_new(o, "history", cmdutil_history_json(d, l->id, 0));
	lead_free(l);
	http_json(out, 200, o);
	http_set_header(out, "ETag", tag);
}

struct move_job {
	int64_t id;
	const char *phase;
	const char *action;
	const char *remark;
	const char *if_match;
	int note;		/* a note, not a move */
	int act;		/* a history action, moving to its phase */
	int stale;		/* If-Match named another version */
};

/* What follows a change of a lead, in its transaction (followup.h). */
static int
lead_after(struct http_req *r, struct err *e)
{
	return followup_change(&r->env->d, r->env->cfg, 0, e);
}

static int
move_save(struct http_req *r, void *arg, struct err *e)
{
	struct move_job *j = arg;
	struct domain *d = &r->env->d;
	struct lead *l;
	char tag[32];
	int rc;

	if ((rc = store_lead_get(d->st, j->id, &l, e)) != LG_OK)
		return rc;
	lead_etag(l, d->pl, tag, sizeof(tag));
	lead_free(l);
	if (j->if_match && strcmp(j->if_match, tag) != 0 &&
	    strcmp(j->if_match, "*") != 0) {
		j->stale = 1;
		return err_set(e, LG_EEXIST, "the lead changed since that "
		    "ETag (it is %s now)", tag);
	}
	if (j->note)
		return domain_lead_note(d, j->id, j->action ? j->action :
		    "note", j->remark, e);
	if (j->act)
		rc = domain_lead_action(d, j->id, j->action, j->remark, NULL,
		    e);
	else
		rc = domain_lead_move(d, j->id, j->phase, j->action, j->remark,
		    e);
	return rc == LG_OK ? lead_after(r, e) : rc;
}

enum lead_change_kind { CHANGE_MOVE, CHANGE_NOTE, CHANGE_ACTION };

static void
lead_change(struct http_req *r, struct http_resp *out, int kind)
{
	static const struct api_field move_fields[] = {
		{ "phase", JSON_STRING, 1 },
		{ "action", JSON_STRING, 0 },
		{ "remark", JSON_STRING, 0 },
		{ NULL, 0, 0 },
	};
	static const struct api_field note_fields[] = {
		{ "remark", JSON_STRING, 1 },
		{ NULL, 0, 0 },
	};
	static const struct api_field action_fields[] = {
		{ "action", JSON_STRING, 1 },
		{ "remark", JSON_STRING, 0 },
		{ NULL, 0, 0 },
	};
	const struct api_field *fields = kind == CHANGE_NOTE ? note_fields :
	    kind == CHANGE_ACTION ? action_fields : move_fields;
	int note = kind == CHANGE_NOTE;
	struct move_job j;
	json_t *b;

	memset(&j, 0, sizeof(j));
	j.note = note;
	j.act = kind == CHANGE_ACTION;
	if (http_query_only(r, no_args, out) != 0 ||
	    parse_id(r->params[0], "the lead id", &j.id, out) != 0)
		return;
	j.if_match = http_header_get(r, "If-Match");
	if (!note && j.if_match == NULL) {
		http_problem(out, 428, "if-match-required", "a change of "
		    "phase (a move, an action) needs If-Match with the "
		    "lead's ETag");
		return;
	}
	if ((b = api_body(r, fields, out)) == NULL)
		return;
	j.phase = json_string_value(json_object_get(b, "phase"));
	j.action = json_string_value(json_object_get(b, "action"));
	j.remark = json_string_value(json_object_get(b, "remark"));
	if (api_tx(r, move_save, &j, out) == 0) {
		/* The answer is the lead as it is now, with its new ETag. */
		api_lead_show(r, out);
	} else if (j.stale) {
		http_problem(out, 412, "precondition-failed", "the lead "
		    "changed since that ETag: read it again");
	}
	json_decref(b);
}

void
api_lead_move(struct http_req *r, struct http_resp *out)
{
	lead_change(r, out, CHANGE_MOVE);
}

void
api_lead_action(struct http_req *r, struct http_resp *out)
{
	lead_change(r, out, CHANGE_ACTION);
}

void
api_lead_note(struct http_req *r, struct http_resp *out)
{
	lead_change(r, out, CHANGE_NOTE);
}

struct assign_job {
	int64_t id;
	const char *agent;
};

/* What leads assign does: assign, tell the agent, on_phase steps. */
static int
assign_save(struct http_req *r, void *arg, struct err *e)
{
	struct assign_job *j = arg;

	return followup_assign(&r->env->d, r->env->cfg, j->id, j->agent, NULL,
	    e);
}

void
api_lead_assign(struct http_req *r, struct http_resp *out)
{
	static const struct api_field fields[] = {
		{ "agent", JSON_STRING, 1 },
		{ NULL, 0, 0 },
	};
	struct assign_job j;
	json_t *b;

	memset(&j, 0, sizeof(j));
	if (http_query_only(r, no_args, out) != 0 ||
	    parse_id(r->params[0], "the lead id", &j.id, out) != 0)
		return;
	if ((b = api_body(r, fields, out)) == NULL)
		return;
	j.agent = json_string_value(json_object_get(b, "agent"));
	if (api_tx(r, assign_save, &j, out) == 0)
		api_lead_show(r, out);
	json_decref(b);
}

void
api_contact_show(struct http_req *r, struct http_resp *out)
{
	struct domain *d = &r->env->d;
	struct idlist leads = IDLIST_INIT;
	struct err e;
	int64_t id;
	json_t *o;

	if (http_query_only(r, no_args, out) != 0 ||
	    parse_id(r->params[0], "the contact id", &id, out) != 0)
		return;
	err_clear(&e);
	if ((o = contact_item(r, id, &e)) == NULL ||
	    store_leads_of_contact(d->st, id, &leads, &e) != LG_OK) {
		json_decref(o);
		http_problem_err(out, &e);
		return;
	}
	json_object_set_new(o, "leads", cmdutil_leads_json(d, &leads));
	json_object_set_new(o, "history", cmdutil_history_json(d, 0, id));
	idlist_free(&leads);
	http_json(out, 200, o);
}

void
api_contact_export(struct http_req *r, struct http_resp *out)
{
	struct store *st = r->env->d.st;
	struct spool *sp = NULL;
	char *text = NULL;
	struct err e;
	int64_t id;
	json_t *doc;

	if (http_query_only(r, no_args, out) != 0 ||
	    parse_id(r->params[0], "the contact id", &id, out) != 0)
		return;
	err_clear(&e);
	/* Without the spool, the export lacks only the queued mails' text. */
	if (spool_open(r->env->cfg->spool_dir, &sp, NULL) != LG_OK)
		sp = NULL;
	/* One transaction: every part from the same snapshot. */
	if (store_begin(st, &e) == LG_OK) {
		if (gdpr_export(st, r->env->cfg->archive.dir, sp, id, &text,
		    &e) == LG_OK)
			store_commit(st, NULL);
		else
			store_rollback(st);
	}
	spool_close(sp);
	if (text == NULL || (doc = json_loads(text, 0, NULL)) == NULL) {
		free(text);
		http_problem_err(out, &e);
		return;
	}
	free(text);
	http_json(out, 200, doc);
}

void
api_sources(struct http_req *r, struct http_resp *out)
{
	struct source_row *v = NULL;
	json_t *arr, *o;
	size_t i, n = 0;
	struct err e;

	if (http_query_only(r, no_args, out) != 0)
		return;
	err_clear(&e);
	if (store_source_list(r->env->d.st, &v, &n, &e) != LG_OK) {
		http_problem_err(out, &e);
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++) {
		o = json_object();
		json_object_set_new(o, "name", json_string(v[i].name));
		json_object_set_new(o, "leads", json_integer(v[i].leads));
		json_object_set_new(o, "created_at", json_string(
		    v[i].created_at));
		json_array_append_new(arr, o);
	}
	store_source_rows_free(v, n);
	http_json(out, 200, arr);
}

void
api_pipelines(struct http_req *r, struct http_resp *out)
{
	const struct pipelines *pls = r->env->d.pl;
	const struct pipeline *pl;
	const struct phase *ph;
	json_t *arr, *o, *phases, *po;
	size_t i, k;

	if (http_query_only(r, no_args, out) != 0)
		return;
	arr = json_array();
	for (i = 0; i < pls->n; i++) {
		pl = &pls->v[i];
		o = json_object();
		json_object_set_new(o, "name", json_string(pl->name));
		phases = json_array();
		for (k = 0; k < pl->nphases; k++) {
			ph = &pl->phases[k];
			po = json_object();
			json_object_set_new(po, "number", json_integer(ph->no));
			json_object_set_new(po, "name", json_string(ph->name));
			json_array_append_new(phases, po);
		}
		json_object_set_new(o, "phases", phases);
		json_array_append_new(arr, o);
	}
	http_json(out, 200, arr);
}

void
api_report(struct http_req *r, struct http_resp *out)
{
	static const char *const args[] = { "by", "pipeline", NULL };
	const char *by = http_query(r, "by");
	struct report_row *v = NULL;
	enum report_by rb;
	json_t *arr, *o;
	size_t i, n = 0;
	struct err e;

	if (http_query_only(r, args, out) != 0)
		return;
	if (by == NULL || (strcmp(by, "phase") != 0 &&
	    strcmp(by, "source") != 0)) {
		http_problem(out, 400, "bad-parameter", "by must be phase or "
		    "source");
		return;
	}
	rb = strcmp(by, "phase") == 0 ? REPORT_BY_PHASE : REPORT_BY_SOURCE;
	err_clear(&e);
	if (store_report(r->env->d.st, rb, http_query(r, "pipeline"), &v, &n,
	    &e) != LG_OK) {
		http_problem_err(out, &e);
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++) {
		o = json_object();
		if (rb == REPORT_BY_PHASE) {
			json_object_set_new(o, "pipeline", json_string(
			    v[i].pipeline));
			json_object_set_new(o, "phase_no", json_integer(
			    v[i].phase_no));
		} else {
			json_object_set_new(o, "source", json_string(
			    v[i].source));
		}
		json_object_set_new(o, "open", json_integer(v[i].open));
		json_object_set_new(o, "won", json_integer(v[i].won));
		json_object_set_new(o, "lost", json_integer(v[i].lost));
		json_array_append_new(arr, o);
	}
	store_report_free(v, n);
	http_json(out, 200, arr);
}

static json_t *
jstr(const char *s)
{
	json_t *v = s ? json_string(s) : json_null();

	return v ? v : json_string("?");
}

static json_t *
quarantine_json(const struct quarantine_row *q)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(q->id));
	json_object_set_new(o, "at", jstr(q->at));
	json_object_set_new(o, "connector", jstr(q->connector));
	json_object_set_new(o, "kind", jstr(q->kind));
	json_object_set_new(o, "key", jstr(q->inquiry_key));
	json_object_set_new(o, "reason", jstr(q->reason));
	json_object_set_new(o, "location", jstr(q->location));
	json_object_set_new(o, "state", jstr(q->state));
	return o;
}

void
api_quarantine_list(struct http_req *r, struct http_resp *out)
{
	static const char *const args[] = { "state", NULL };
	static const char *const states[] = { "held", "retried", "dropped",
	    "all" };
	const char *state = http_query(r, "state");
	struct quarantine_row *v = NULL;
	size_t i, n = 0;
	struct err e;
	json_t *arr;

	if (http_query_only(r, args, out) != 0)
		return;
	if (state == NULL)
		state = "held";
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(state, states[i]) == 0)
			break;
	if (i == sizeof(states) / sizeof(states[0])) {
		http_problem(out, 400, "bad-parameter", "state must be held, "
		    "retried, dropped or all");
		return;
	}
	err_clear(&e);
	if (store_quarantine_list(r->env->d.st, strcmp(state, "all") == 0 ?
	    NULL : state, &v, &n, &e) != LG_OK) {
		http_problem_err(out, &e);
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, quarantine_json(&v[i]));
	store_quarantine_rows_free(v, n);
	http_json(out, 200, arr);
}

void
api_quarantine_show(struct http_req *r, struct http_resp *out)
{
	struct quarantine_row *q;
	struct err e;
	int64_t id;
	json_t *o, *raw;

	if (http_query_only(r, no_args, out) != 0 ||
	    parse_id(r->params[0], "the quarantine id", &id, out) != 0)
		return;
	err_clear(&e);
	if (store_quarantine_get(r->env->d.st, id, &q, &e) != LG_OK) {
		http_problem_err(out, &e);
		return;
	}
	o = quarantine_json(q);
	json_object_set_new(o, "meta", view_custom(q->meta));
	/* Raw mail need not be UTF-8: then it is null (mail show has it). */
	raw = q->raw ? json_stringn((const char *)q->raw, q->rawlen) : NULL;
	json_object_set_new(o, "raw", raw ? raw : json_null());
	store_quarantine_rows_free(q, 1);
	http_json(out, 200, o);
}

void
api_quarantine_retry(struct http_req *r, struct http_resp *out)
{
	const struct ingest_report *rep;
	struct err e;
	int64_t id;
	json_t *o;

	if (http_query_only(r, no_args, out) != 0 ||
	    parse_id(r->params[0], "the quarantine id", &id, out) != 0)
		return;
	err_clear(&e);
	if (ingest_retry(r->env->ig, id, &e) != LG_OK) {
		http_problem_err(out, &e);
		return;
	}
	rep = ingest_last(r->env->ig);
	o = json_object();
	json_object_set_new(o, "outcome", json_string(ingest_outcome_name(
	    rep->outcome)));
	json_object_set_new(o, "lead_id", rep->lead_id ? json_integer(
	    rep->lead_id) : json_null());
	json_object_set_new(o, "quarantine_id", rep->quarantine_id ?
	    json_integer(rep->quarantine_id) : json_null());
	http_json(out, 200, o);
}

static int
drop_save(struct http_req *r, void *arg, struct err *e)
{
	int64_t id = *(int64_t *)arg;
	struct quarantine_row *q;
	int rc;

	if ((rc = store_quarantine_get(r->env->d.st, id, &q, e)) != LG_OK)
		return rc;
	if (strcmp(q->state, "held") != 0)
		rc = err_set(e, LG_EEXIST, "quarantine %lld is already %s",
		    (long long)id, q->state);
	store_quarantine_rows_free(q, 1);
	if (rc != LG_OK)
		return rc;
	return store_quarantine_set_state(r->env->d.st, id, "dropped", e);
}

void
api_quarantine_drop(struct http_req *r, struct http_resp *out)
{
	int64_t id;

	if (http_query_only(r, no_args, out) != 0 ||
	    parse_id(r->params[0], "the quarantine id", &id, out) != 0)
		return;
	if (api_tx(r, drop_save, &id, out) == 0)
		api_quarantine_show(r, out);
}

void
api_campaigns(struct http_req *r, struct http_resp *out)
{
	struct campaign *v = NULL;
	size_t i, n = 0;
	struct err e;
	json_t *arr, *o;

	if (http_query_only(r, no_args, out) != 0)
		return;
	err_clear(&e);
	if (store_campaign_list(r->env->d.st, &v, &n, &e) != LG_OK) {
		http_problem_err(out, &e);
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++) {
		o = json_object();
		json_object_set_new(o, "id", json_integer(v[i].id));
		json_object_set_new(o, "name", jstr(v[i].name));
		json_object_set_new(o, "template", jstr(v[i].template));
		json_object_set_new(o, "created_at", jstr(v[i].created_at));
		json_object_set_new(o, "matched", json_integer(v[i].matched));
		json_object_set_new(o, "queued", json_integer(v[i].queued));
		json_object_set_new(o, "skipped", json_integer(v[i].skipped));
		json_object_set_new(o, "sent", json_integer(v[i].sent));
		json_object_set_new(o, "failed", json_integer(v[i].failed));
		json_object_set_new(o, "waiting", json_integer(v[i].waiting));
		json_object_set_new(o, "bounced", json_integer(v[i].bounced));
		json_object_set_new(o, "complained", json_integer(
		    v[i].complained));
		json_object_set_new(o, "filter", jstr(v[i].filter));
		json_object_set_new(o, "advance_to", jstr(v[i].advance_to));
		json_array_append_new(arr, o);
	}
	store_campaign_rows_free(v, n);
	http_json(out, 200, arr);
}

void
api_spool(struct http_req *r, struct http_resp *out)
{
	struct outgoing *v = NULL;
	long count[OUT_NSTATES];
	size_t i, n = 0;
	struct err e;
	json_t *o;

	if (http_query_only(r, no_args, out) != 0)
		return;
	err_clear(&e);
	if (store_outgoing_list(r->env->d.st, 0, &v, &n, &e) != LG_OK) {
		http_problem_err(out, &e);
		return;
	}
	memset(count, 0, sizeof(count));
	for (i = 0; i < n; i++)
		if ((unsigned)v[i].state < OUT_NSTATES)
			count[v[i].state]++;
	store_outgoing_rows_free(v, n);
	o = json_object();
	for (i = 0; i < OUT_NSTATES; i++)
		json_object_set_new(o, outgoing_state_name(
		    (enum outgoing_state)i), json_integer(count[i]));
	http_json(out, 200, o);
}

void
api_openapi(struct http_req *r, struct http_resp *out)
{
	char *text;
	size_t len;
	struct err e;

	err_clear(&e);
	if (template_read_file(r->env->openapi_path, OPENAPI_MAX, &text, &len,
	    &e) != LG_OK) {
		http_problem_err(out, &e);
		return;
	}
	http_body(out, 200, "application/json", text, len);
	free(text);
}
