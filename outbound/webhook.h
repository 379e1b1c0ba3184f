/*
 * Webhooks out: signed HTTP POSTs of the store's events to the endpoints
 * of the configuration's webhooks list.
 *
 * The events (lead.created, lead.phase_changed, contact.unsubscribed,
 * inquiry.quarantined) are written by the store itself, in the
 * transaction of the change (migration 9), so none is lost or invented
 * by a crash. Each endpoint takes them on in order (store_webhook_next())
 * and gets one at a time: the next only after the current one was
 * acknowledged (a 2xx, recorded and synced before going on) or given up
 * (state failed after max_attempts, retried by `webhooks retry`). So an
 * acknowledged event is never sent again, and one not yet acknowledged
 * may come twice (a crash after the receiver answered, before the record):
 * receivers dedup by the event id.
 *
 * The request: POST, body {"id","type","created_at","data"} (JSON), and
 *	Leadgate-Event-Id: <id>
 *	Leadgate-Event-Type: <type>
 *	Leadgate-Timestamp: <unix seconds of this attempt>
 *	Leadgate-Signature: v1=<hex HMAC-SHA256(secret, timestamp "." body)>
 * like Stripe's and Standard Webhooks' schemes: the receiver recomputes
 * the HMAC over the raw body, compares in constant time and refuses old
 * timestamps (replays).
 */
#ifndef LG_WEBHOOK_H
#define LG_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/settings.h"

struct config;
struct store;
struct portal_http;

struct webhook_endpoint {
	char *name;
	char *url;
	struct settings_strlist events;	/* empty: every type */
	char *secret_file;
	char *secret_env;
	int timeout;		/* seconds per attempt */
	int connect_timeout;
	int max_attempts;	/* then the delivery is failed */
	int backoff_first;	/* seconds before the second attempt */
	int backoff_max;
	int insecure;		/* plain http to a non-loopback host */
	char *ca_file;

	char *types;		/* events as "a,b,c" for the store */
	char *secret;		/* read once at load, wiped at free */
	struct portal_http *http;
};

struct webhook_set {
	struct webhook_endpoint **v;
	size_t n;
	char *lock_path;	/* one delivery run at a time */
};

struct webhook_stats {
	long delivered;		/* acknowledged */
	long deferred;		/* an attempt failed, another comes */
	long failed;		/* given up */
	int locked_out;		/* another run (the daemon) delivers */
};

/* The settings of one block of the webhooks list. */
extern const struct settings_table webhook_settings;
/* The event types there are, NULL-terminated. */
extern const char *const webhook_types[];

/*
 * Read and check every block of cfg->webhooks (none: an empty set),
 * secrets included. LG_EPERM with each mistake in errs (may be NULL),
 * the first also in e.
 */
int webhook_load_all(const struct config *cfg, struct webhook_set **out,
    struct err_list *errs, struct err *e);
void webhook_set_free(struct webhook_set *s);
/* The endpoint of that name, or NULL. */
struct webhook_endpoint *webhook_find(const struct webhook_set *s,
    const char *name);

/*
 * Deliver, per endpoint, what is due at now, up to batch events each.
 * *next_due (optional): the unix time the earliest deferred one is due,
 * 0 when none waits; *more: an endpoint had more than batch. Network
 * trouble is an attempt's result, not an error: errors are the store's.
 * One run at a time (a lock file next to the configuration's lock): a
 * second run does nothing and sets stats->locked_out.
 */
int webhook_deliver(struct webhook_set *s, struct store *st, int64_t now,
    int batch, struct webhook_stats *stats, int64_t *next_due, int *more,
    struct err *e);
/*
 * Retention of the outbox: forget the events older than keep_days days
 * before now that every endpoint of s (s NULL or empty: none configured)
 * has passed and none waits to deliver (pending), with their deliveries.
 * keep_days 0: nothing. *events: how many were forgotten.
 */
int webhook_purge(const struct webhook_set *s, struct store *st,
    int keep_days, int64_t now, long *events, struct err *e);
/* The signature header's value for body sent at ts ("v1=" + 64 hex). */
void webhook_sign(const char *secret, const char *ts, const char *body,
    char out[68]);
/* Seconds before attempt n+1 after n failed ones: doubling, jittered. */
int64_t webhook_backoff(const struct webhook_endpoint *ep, int attempts);

#endif
