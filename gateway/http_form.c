/* Web-form intake (see http_form.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "gateway/http_api.h"
#include "gateway/http_form.h"
#include "connectors/source.h"
#include "core/config.h"
#include "core/store.h"
#include "ingest/ingest.h"
#include "parse/inquiry.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/xmalloc.h"

#define FIELD_MAX 8192		/* characters of one value */
#define KEY_MAX 128		/* of an Idempotency-Key */
#define NFORMS 64		/* forms whose rate is tracked at once */

/* What a form may send: the inquiry's own fields, phone repeatable. */
static const char *const form_fields[] = { "salutation", "first_name",
    "last_name", "company", "email", "phone", "street", "postcode", "city",
    "country", "language", "message", "object_ref", NULL };

/*
 * Per form, the start of its window and the inquiries in it. Handlers
 * run on the listener's one thread, so no lock is needed.
 */
static struct {
	int64_t token_id;
	int64_t start;
	int count;
} rates[NFORMS];

static int
utf8_ok(const char *s)
{
	json_t *v = json_string(s);

	json_decref(v);
	return v != NULL;
}

static int
field_known(const char *name)
{
	size_t i;

	for (i = 0; form_fields[i]; i++)
		if (strcmp(form_fields[i], name) == 0)
			return 1;
	return 0;
}

static int
field_put(struct inquiry *q, const char *name, const char *value,
    struct http_resp *out)
{
	if (!field_known(name)) {
		http_problem(out, 400, "unknown-field", "unknown field "
		    "'%.64s'", name);
		return -1;
	}
	if (strlen(value) > FIELD_MAX || (strpbrk(value, "\r\n") != NULL &&
	    strcmp(name, "message") != 0)) {
		http_problem(out, 400, "bad-value", "'%s' is too long or "
		    "holds a line break", name);
		return -1;
	}
	if (strcmp(name, "phone") == 0)
		inquiry_add_phone(q, value);
	else if (inquiry_get(q, name) != NULL) {
		http_problem(out, 400, "repeated-field", "'%s' is given "
		    "twice", name);
		return -1;
	} else
		inquiry_set(q, name, value);
	return 0;
}

static int
from_json(struct http_req *r, struct inquiry *q, struct http_resp *out)
{
	static struct api_field fields[16];
	const char *key;
	json_t *o, *v, *x;
	size_t i;

	if (fields[0].name == NULL)
		for (i = 0; form_fields[i]; i++) {
			fields[i].name = form_fields[i];
			fields[i].type = strcmp(form_fields[i], "phone") == 0 ?
			    JSON_ARRAY : JSON_STRING;
		}
	if ((o = api_body(r, fields, out)) == NULL)
		return -1;
	json_object_foreach(o, key, v) {
		if (json_is_string(v)) {
			if (field_put(q, key, json_string_value(v), out) != 0)
				goto fail;
			continue;
		}
		json_array_foreach(v, i, x) {
			if (!json_is_string(x)) {
				http_problem(out, 400, "wrong-type", "'phone' "
				    "must be an array of strings");
				goto fail;
			}
			if (field_put(q, key, json_string_value(x), out) != 0)
				goto fail;
		}
	}
	json_decref(o);
	return 0;
fail:
	json_decref(o);
	return -1;
}

/* application/x-www-form-urlencoded, every name once (phone: many). */
static int
from_form(struct http_req *r, struct inquiry *q, struct http_resp *out)
{
	char *copy = xstrdup(r->body), *pair, *save = NULL, *eq, *p;
	int rc = 0;

	if (strlen(r->body) != r->len) {
		http_problem(out, 400, "bad-form", "the body holds a NUL "
		    "byte");
		free(copy);
		return -1;
	}
	for (pair = strtok_r(copy, "&", &save); pair && rc == 0;
	    pair = strtok_r(NULL, "&", &save)) {
		if ((eq = strchr(pair, '=')) == NULL) {
			http_problem(out, 400, "bad-form", "a field without "
			    "'='");
			rc = -1;
			break;
		}
		*eq = '\0';
		for (p = pair; *p; p++)
			if (*p == '+')
				*p = ' ';
		for (p = eq + 1; *p; p++)
			if (*p == '+')
				*p = ' ';
		MHD_http_unescape(pair);
		MHD_http_unescape(eq + 1);
		if (strlen(eq + 1) == 0)
			continue;
		/* Values become JSON in the store and the answers: UTF-8. */
		if (!utf8_ok(eq + 1) || !utf8_ok(pair)) {
			http_problem(out, 400, "bad-form", "'%.64s' is not "
			    "UTF-8", pair);
			rc = -1;
			break;
		}
		rc = field_put(q, pair, eq + 1, out);
	}
	free(copy);
	return rc;
}

/* 0 when the form may send one more now; else the problem is set. */
static int
rate_take(struct http_req *r, struct http_resp *out)
{
	const struct config *cfg = r->env->cfg;
	int64_t now = (int64_t)time(NULL);
	size_t i, slot = 0;
	char after[16];

	for (i = 0; i < NFORMS; i++) {
		if (rates[i].token_id == r->tok.id)
			break;
		if (rates[i].start < rates[slot].start)
			slot = i;
	}
	if (i == NFORMS) {
		i = slot;
		rates[i].token_id = r->tok.id;
		rates[i].start = now;
		rates[i].count = 0;
	}
	if (now - rates[i].start >= cfg->serve.form_window) {
		rates[i].start = now;
		rates[i].count = 0;
	}
	if (rates[i].count >= cfg->serve.form_rate) {
		http_problem(out, 429, "rate-limited", "this form sent %d "
		    "inquiries within %d seconds", rates[i].count,
		    cfg->serve.form_window);
		snprintf(after, sizeof(after), "%lld", (long long)
		    (rates[i].start + cfg->serve.form_window - now));
		http_set_header(out, "Retry-After", after);
		return -1;
	}
	rates[i].count++;
	return 0;
}

static int
key_ok(const char *k)
{
	size_t n = strlen(k), i;

	if (n == 0 || n > KEY_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)k[i] <= 0x20 || (unsigned char)k[i] >= 0x7f)
			return 0;
	return 1;
}

/* The answer given before for this key: 1 when replayed. */
static int
replay(struct http_req *r, const char *key, struct http_resp *out)
{
	struct err e;
	char *body = NULL;
	int status, rc;

	err_clear(&e);
	rc = store_api_idem_get(r->env->d.st, r->tok.id, key, &status, &body,
	    &e);
	if (rc == LG_ENOENT)
		return 0;
	if (rc != LG_OK) {
		http_problem_err(out, &e);
		return 1;
	}
	http_body(out, status, "application/json", body, strlen(body));
	http_set_header(out, "Idempotent-Replayed", "true");
	free(body);
	return 1;
}

static json_t *
answer(const struct ingest_report *rep)
{
	json_t *o = json_object();

	json_object_set_new(o, "outcome", json_string(ingest_outcome_name(
	    rep->outcome)));
	json_object_set_new(o, "lead_id", rep->lead_id ? json_integer(
	    rep->lead_id) : json_null());
	json_object_set_new(o, "contact_id", rep->contact_id ? json_integer(
	    rep->contact_id) : json_null());
	json_object_set_new(o, "quarantine_id", rep->quarantine_id ?
	    json_integer(rep->quarantine_id) : json_null());
	return o;
}

struct keep_job {
	const char *key;
	int status;
	const char *body;
};

static int
keep_save(struct http_req *r, void *arg, struct err *e)
{
	struct keep_job *j = arg;

	return store_api_idem_put(r->env->d.st, r->tok.id, j->key, j->status,
	    j->body, e);
}

static void
ingest_form(struct http_req *r, struct inquiry *q, const char *key,
    struct http_resp *out)
{
	struct source_meta meta;
	struct keep_job kj;
	char *item = NULL;
	struct err e;
	int status;

	memset(&meta, 0, sizeof(meta));
	meta.connector = "http";
	meta.portal = r->tok.source;
	if (key)
		meta.item_id = item = xasprintf("%s:%s", r->tok.name, key);
	inquiry_set(q, "extractor", "webform");
	err_clear(&e);
	if (ingest_inquiry(r->env->ig, q, r->body, r->len, &meta, &e) !=
	    LG_OK) {
		http_problem_err(out, &e);
		free(item);
		return;
	}
	status = ingest_last(r->env->ig)->outcome == INGEST_NEW_LEAD ? 201 :
	    200;
	http_json(out, status, answer(ingest_last(r->env->ig)));
	if (key) {
		/* Kept after the inquiry's own commit: a crash in between
		 * leaves the ingest key, which answers "duplicate". */
		kj.key = key;
		kj.status = status;
		kj.body = out->body;
		if (api_tx(r, keep_save, &kj, out) != 0) {
			free(item);
			return;
		}
	}
	free(item);
}

void
form_inquiry(struct http_req *r, struct http_resp *out)
{
	static const char *const no_args[] = { NULL };
	const char *key = http_header_get(r, "Idempotency-Key");
	const char *ct = http_header_get(r, "Content-Type");
	struct inquiry *q;
	int rc;

	if (http_query_only(r, no_args, out) != 0)
		return;
	if (key && !key_ok(key)) {
		http_problem(out, 400, "bad-idempotency-key", "an "
		    "Idempotency-Key is 1 to %d printable ASCII characters",
		    KEY_MAX);
		return;
	}
	if (key && replay(r, key, out))
		return;
	q = inquiry_new();
	if (ct && strncasecmp(ct, "application/x-www-form-urlencoded",
	    33) == 0)
		rc = from_form(r, q, out);
	else
		rc = from_json(r, q, out);
	if (rc == 0 && inquiry_get(q, "email") == NULL && q->nphones == 0) {
		http_problem(out, 422, "no-contact", "an inquiry needs an "
		    "email or a phone");
		rc = -1;
	}
	/* Counted once checked: a refused body takes no turn. */
	if (rc == 0 && rate_take(r, out) == 0)
		ingest_form(r, q, key, out);
	inquiry_free(q);
}
