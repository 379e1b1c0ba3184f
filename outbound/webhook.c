/* Webhooks out: configuration, signing and delivery (see webhook.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "connectors/portal_http.h"
#include "core/config.h"
#include "core/store.h"
#include "outbound/webhook.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/secret.h"
#include "util/version.h"
#include "util/xmalloc.h"

#define MOD "webhook"
#define RESPONSE_MAX 65536	/* a receiver's answer is read, not kept */

const char *const webhook_types[] = { "lead.created", "lead.phase_changed",
	"contact.unsubscribed", "inquiry.quarantined", NULL };

#define O(f) offsetof(struct webhook_endpoint, f)

/* Every setting of a block of the webhooks list. */
static const struct setting wh_rows[] = {
	{ "name", SETTINGS_STR, NULL, O(name),
	    .doc = "the endpoint's unique name (deliveries are kept by it)",
	    .flags = SETTINGS_REQUIRED | SETTINGS_NONEMPTY },
	{ "url", SETTINGS_STR, NULL, O(url),
	    .doc = "where events are POSTed; https, or http to loopback",
	    .flags = SETTINGS_REQUIRED | SETTINGS_NONEMPTY },
	{ "events", SETTINGS_STRLIST, NULL, O(events),
	    .doc = "the event types sent here (none given: all)" },
	{ "secret_file", SETTINGS_PATH, "", O(secret_file),
	    .doc = "a file holding the signing secret" },
	{ "secret_env", SETTINGS_STR, "", O(secret_env),
	    .doc = "or an environment variable holding it" },
	{ "timeout", SETTINGS_INT, "10", O(timeout),
	    .doc = "seconds an attempt may take", .min = 1, .max = 300 },
	{ "connect_timeout", SETTINGS_INT, "5", O(connect_timeout),
	    .doc = "seconds to connect", .min = 1, .max = 300 },
	{ "max_attempts", SETTINGS_INT, "12", O(max_attempts),
	    .doc = "attempts before a delivery is failed", .min = 1,
	    .max = 1000 },
	{ "backoff.first", SETTINGS_INT, "10", O(backoff_first),
	    .doc = "seconds before the second attempt (then doubling)",
	    .min = 1, .max = 86400 },
	{ "backoff.max", SETTINGS_INT, "3600", O(backoff_max),
	    .doc = "the longest wait between attempts", .min = 1,
	    .max = 7 * 86400 },
	{ "insecure", SETTINGS_BOOL, "false", O(insecure),
	    .doc = "allow plain http to a host that is not loopback" },
	{ "ca_file", SETTINGS_PATH, "ca_file", O(ca_file),
	    .doc = "a CA file for this endpoint", .flags = SETTINGS_DERIVED },
};
#undef O

/* No CR or LF may reach a header or a request line. */
const struct settings_table webhook_settings = SETTINGS_TABLE("webhook",
    wh_rows, NULL, SETTINGS_ONELINE);

static void
wh_endpoint_free(struct webhook_endpoint *ep)
{
	if (ep == NULL)
		return;
	settings_free(&webhook_settings, ep);
	free(ep->types);
	secret_free(ep->secret);
	portal_http_free(ep->http);
	free(ep);
}

void
webhook_set_free(struct webhook_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		wh_endpoint_free(s->v[i]);
	free(s->v);
	free(s->lock_path);
	free(s);
}

struct webhook_endpoint *
webhook_find(const struct webhook_set *s, const char *name)
{
	size_t i;

	for (i = 0; s != NULL && i < s->n; i++)
		if (strcmp(s->v[i]->name, name) == 0)
			return s->v[i];
	return NULL;
}

static int
wh_type_known(const char *t)
{
	size_t i;

	for (i = 0; webhook_types[i] != NULL; i++)
		if (strcmp(webhook_types[i], t) == 0)
			return 1;
	return 0;
}

static const config_setting_t *
wh_at(const config_setting_t *block, const char *name)
{
	const config_setting_t *st;

	st = config_setting_lookup((config_setting_t *)block, name);
	return st ? st : block;
}

/* The events filter as "a,b,c"; every name must be a type. */
static int
wh_check_events(struct settings_reader *r, struct webhook_endpoint *ep,
    const config_setting_t *block)
{
	struct buf b = BUF_INIT;
	const char *const *v;
	size_t i;
	int rc = LG_OK;

	v = ep->events.n > 0 ? (const char *const *)ep->events.v :
	    webhook_types;
	for (i = 0; v[i] != NULL; i++) {
		if (!wh_type_known(v[i]))
			rc = settings_bad(r, wh_at(block, "events"), "events: "
			    "'%s' is no event type (lead.created, "
			    "lead.phase_changed, contact.unsubscribed, "
			    "inquiry.quarantined)", v[i]);
		buf_printf(&b, "%s%s", i ? "," : "", v[i]);
	}
	ep->types = xstrdup(buf_str(&b));
	buf_free(&b);
	return rc;
}

/* The checks across settings, the URL and the secret. */
static int
wh_check(struct settings_reader *r, struct webhook_endpoint *ep,
    const config_setting_t *block, const struct config *cfg)
{
	struct err why;
	int rc = wh_check_events(r, ep, block);

	err_clear(&why);
	if (portal_http_url_allowed("url", ep->url, ep->insecure, &why) !=
	    LG_OK)
		rc = settings_bad(r, wh_at(block, "url"), "%s%s", why.msg,
		    ep->insecure ? "" : "; or say insecure = true");
	if (ep->backoff_first > ep->backoff_max)
		rc = settings_bad(r, wh_at(block, "backoff"), "backoff.first "
		    "is longer than backoff.max");
	if ((*ep->secret_file == '\0') == (*ep->secret_env == '\0')) {
		rc = settings_bad(r, block, "give the signing secret by one "
		    "of secret_file and secret_env");
	} else if (secret_read(ep->secret_file, ep->secret_env, &ep->secret,
	    &why) != LG_OK) {
		rc = settings_bad(r, wh_at(block, *ep->secret_file ?
		    "secret_file" : "secret_env"), "%s", why.msg);
	} else if (*ep->secret == '\0') {
		rc = settings_bad(r, block, "the signing secret is empty");
	}
	if (ep->ca_file == NULL)
		ep->ca_file = xstrdup(cfg->ca_file);
	return rc;
}

static int
wh_http(struct webhook_endpoint *ep, struct err *e)
{
	struct portal_http_opts o;

	memset(&o, 0, sizeof(o));
	o.name = ep->name;
	o.connect_timeout = ep->connect_timeout;
	o.timeout = ep->timeout;
	o.max_bytes = RESPONSE_MAX;
	o.max_redirects = 0;	/* a redirect is no acknowledgement */
	o.ca_file = ep->ca_file;
	o.user_agent = "leadgate/" LEADGATE_VERSION " (webhooks)";
	o.insecure = ep->insecure;
	return portal_http_new(&o, ep->url, &ep->http, e);
}

static int
wh_load_one(const config_setting_t *block, const struct config *cfg,
    struct webhook_set *s, struct err_report *rep)
{
	struct webhook_endpoint *ep = xcalloc(1, sizeof(*ep));
	struct settings_reader r;
	const char *name = NULL;
	char ctx[256];
	struct err e;
	int rc;

	config_setting_lookup_string(block, "name", &name);
	snprintf(ctx, sizeof(ctx), "webhook %s", name ? name : "?");
	settings_reader_init(&r, &webhook_settings, cfg->path, cfg->dir, ctx,
	    rep);
	if (config_setting_type(block) != CONFIG_TYPE_GROUP)
		rc = settings_bad(&r, block, "expected a block { ... }");
	else if ((rc = settings_read(&r, block, ep)) == LG_OK)
		rc = wh_check(&r, ep, block, cfg);
	if (rc == LG_OK && webhook_find(s, ep->name) != NULL)
		rc = settings_bad(&r, wh_at(block, "name"), "a second webhook "
		    "named '%s'", ep->name);
	err_clear(&e);
	if (rc == LG_OK && (rc = wh_http(ep, &e)) != LG_OK)
		rc = settings_bad(&r, wh_at(block, "url"), "%s", e.msg);
	if (rc != LG_OK) {
		wh_endpoint_free(ep);
		return rc;
	}
	s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = ep;
	return LG_OK;
}

int
webhook_load_all(const struct config *cfg, struct webhook_set **out,
    struct err_list *errs, struct err *e)
{
	struct err_report rep = { errs, e, 0 };
	struct webhook_set *s = xcalloc(1, sizeof(*s));
	int i, n, rc, first = LG_OK;

	*out = NULL;
	s->lock_path = xasprintf("%s.webhooks", cfg->lock_path);
	n = cfg->webhooks ? config_setting_length(cfg->webhooks) : 0;
	/* Every block, so that each of their mistakes is reported. */
	for (i = 0; i < n; i++) {
		rc = wh_load_one(config_setting_get_elem(cfg->webhooks,
		    (unsigned)i), cfg, s, &rep);
		if (rc != LG_OK && first == LG_OK)
			first = rc;
	}
	if (first == LG_OK && rep.n > 0)
		first = LG_EPERM;
	if (first != LG_OK) {
		webhook_set_free(s);
		return first;
	}
	*out = s;
	return LG_OK;
}

void
webhook_sign(const char *secret, const char *ts, const char *body,
    char out[68])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	struct buf msg = BUF_INIT;
	unsigned int mdlen = 0, i;

	buf_printf(&msg, "%s.", ts);
	buf_adds(&msg, body);
	HMAC(EVP_sha256(), secret, (int)strlen(secret),
	    (const unsigned char *)buf_str(&msg), msg.len, md, &mdlen);
	buf_free(&msg);
	memcpy(out, "v1=", 3);
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(out + 3 + 2 * i, 3, "%02x", md[i]);
	out[3 + 2 * i] = '\0';
}

int64_t
webhook_backoff(const struct webhook_endpoint *ep, int attempts)
{
	int64_t d = ep->backoff_first;
	int i;

	for (i = 1; i < attempts && d < ep->backoff_max; i++)
		d *= 2;
	if (d > ep->backoff_max)
		d = ep->backoff_max;
	/*
	 * Jitter: between half and all of it, so that endpoints failing
	 * together (one receiver down) do not come back in step.
	 */
	return d / 2 + (int64_t)arc4random_uniform((uint32_t)(d - d / 2) + 1);
}

/* The body: {"id","type","created_at","data"}, compact. */
static char *
wh_body(const struct webhook_delivery *d)
{
	json_t *data, *o;
	char *s;

	if ((data = json_loads(d->data, 0, NULL)) == NULL)
		data = json_object();	/* the CHECK makes this unreachable */
	o = json_object();
	json_object_set_new(o, "id", json_string(d->uid));
	json_object_set_new(o, "type", json_string(d->type));
	json_object_set_new(o, "created_at", json_string(d->created_at));
	json_object_set_new(o, "data", data);
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL)
		log_fatalx(MOD, "out of memory building an event body");
	return s;
}

/* One attempt: LG_OK and the status when an answer came. */
static int
wh_post(struct webhook_endpoint *ep, const struct webhook_delivery *d,
    int64_t now, long *status, struct err *e)
{
	struct portal_response rs;
	struct portal_request rq;
	char ts[24], sig[68];
	char *body = wh_body(d), *h[5];
	int rc;

	snprintf(ts, sizeof(ts), "%lld", (long long)now);
	webhook_sign(ep->secret, ts, body, sig);
	h[0] = xasprintf("Leadgate-Event-Id: %s", d->uid);
	h[1] = xasprintf("Leadgate-Event-Type: %s", d->type);
	h[2] = xasprintf("Leadgate-Timestamp: %s", ts);
	h[3] = xasprintf("Leadgate-Signature: %s", sig);
	h[4] = NULL;
	memset(&rq, 0, sizeof(rq));
	memset(&rs, 0, sizeof(rs));
	rq.method = "POST";
	rq.url = ep->url;
	rq.headers = (const char *const *)h;
	rq.body = body;
	rq.content_type = "application/json";
	rc = portal_http_do(ep->http, &rq, &rs, e);
	*status = rc == LG_OK ? rs.status : 0;
	portal_response_clear(&rs);
	free(h[0]);
	free(h[1]);
	free(h[2]);
	free(h[3]);
	free(body);
	return rc;
}

/*
 * Record an acknowledgement durably before anything else goes to this
 * endpoint: an acknowledged event must never be sent again.
 */
static int
wh_acked(struct store *st, struct webhook_delivery *d, long status,
    struct err *e)
{
	int rc;

	xstrset(&d->state, "delivered");
	d->last_status = status;
	xstrset(&d->last_error, NULL);
	d->attempts++;
	if ((rc = store_webhook_update(st, d, e)) != LG_OK)
		return rc;
	return store_sync(st, e);
}

/* A failed attempt: wait and try again, or give up. */
static int
wh_missed(struct webhook_endpoint *ep, struct store *st,
    struct webhook_delivery *d, int64_t now, long status, const char *why,
    struct webhook_stats *stats, struct err *e)
{
	d->attempts++;
	d->last_status = status;
	xstrset(&d->last_error, why);
	if (d->attempts >= ep->max_attempts) {
		xstrset(&d->state, "failed");
		stats->failed++;
		log_warn(MOD, "[%s] event %s (%s) failed after %d attempts: %s",
		    ep->name, d->uid, d->type, d->attempts, why);
	} else {
		d->next_attempt = now + webhook_backoff(ep, d->attempts);
		stats->deferred++;
		log_info(MOD, "[%s] event %s (%s): %s; attempt %d in %lld s",
		    ep->name, d->uid, d->type, why, d->attempts + 1,
		    (long long)(d->next_attempt - now));
	}
	return store_webhook_update(st, d, e);
}

/* Up to batch events to one endpoint, in order; stops at a deferral. */
static int
wh_deliver_one(struct webhook_endpoint *ep, struct store *st, int64_t now,
    int batch, struct webhook_stats *stats, int64_t *next_due, int *more,
    struct err *e)
{
	struct webhook_delivery *d;
	char why[300];
	struct err ae;
	long status;
	int i, rc = LG_OK;

	for (i = 0; i < batch; i++) {
		rc = store_webhook_next(st, ep->name, ep->types, &d, e);
		if (rc == LG_ENOENT)
			return LG_OK;
		if (rc != LG_OK)
			return rc;
		if (d->next_attempt > now) {
			if (*next_due == 0 || d->next_attempt < *next_due)
				*next_due = d->next_attempt;
			store_webhook_rows_free(d, 1);
			return LG_OK;
		}
		err_clear(&ae);
		if (wh_post(ep, d, now, &status, &ae) == LG_OK &&
		    status >= 200 && status <= 299) {
			if ((rc = wh_acked(st, d, status, e)) == LG_OK) {
				stats->delivered++;
				log_info(MOD, "[%s] event %s (%s) delivered "
				    "(%ld)", ep->name, d->uid, d->type,
				    status);
			}
		} else {
			if (ae.code != LG_OK)
				snprintf(why, sizeof(why), "%s", ae.msg);
			else
				snprintf(why, sizeof(why), "HTTP status %ld",
				    status);
			rc = wh_missed(ep, st, d, now, status, why, stats, e);
			if (rc == LG_OK && strcmp(d->state, "failed") != 0) {
				if (*next_due == 0 ||
				    d->next_attempt < *next_due)
					*next_due = d->next_attempt;
				store_webhook_rows_free(d, 1);
				return LG_OK;
			}
		}
		store_webhook_rows_free(d, 1);
		if (rc != LG_OK)
			return rc;
	}
	*more = 1;
	return LG_OK;
}

/* Two runs would both send an endpoint's next event. */
static int
wh_lock(const struct webhook_set *s, int *fd, struct webhook_stats *stats,
    struct err *e)
{
	*fd = open(s->lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (*fd < 0)
		return err_set(e, LG_ETEMP, "%s: %s", s->lock_path,
		    strerror(errno));
	if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
		close(*fd);
		*fd = -1;
		stats->locked_out = 1;
	}
	return LG_OK;
}

int
webhook_deliver(struct webhook_set *s, struct store *st, int64_t now,
    int batch, struct webhook_stats *stats, int64_t *next_due, int *more,
    struct err *e)
{
	int64_t due = 0;
	int any = 0, fd = -1, rc = LG_OK;
	size_t i;

	if (s == NULL || s->n == 0)
		goto out;
	if ((rc = wh_lock(s, &fd, stats, e)) != LG_OK || fd < 0)
		goto out;
	for (i = 0; i < s->n; i++)
		if ((rc = wh_deliver_one(s->v[i], st, now, batch, stats, &due,
		    &any, e)) != LG_OK) {
			err_prefix(e, "webhook %s", s->v[i]->name);
			break;
		}
	close(fd);
out:
	if (next_due != NULL)
		*next_due = due;
	if (more != NULL)
		*more = any;
	return rc;
}

int
webhook_purge(const struct webhook_set *s, struct store *st, int keep_days,
    int64_t now, long *events, struct err *e)
{
	char before[CLOCK_ISOLEN];
	const char **names;
	size_t i, n = s != NULL ? s->n : 0;
	int rc;

	*events = 0;
	if (keep_days <= 0)
		return LG_OK;
	names = xcalloc(n + 1, sizeof(*names));
	for (i = 0; i < n; i++)
		names[i] = s->v[i]->name;
	clock_iso((time_t)(now - (int64_t)keep_days * 86400), before,
	    sizeof(before));
	rc = store_webhook_purge(st, names, n, before, events, e);
	free(names);
	return rc;
}
