/*
 * The main configuration file (libconfig syntax). Every setting is a row
 * of one table in config.c (config_settings, read by util/settings.c):
 * its name, type, default, the field it lands in and a line of doc.
 * Relative paths are taken from the configuration file's directory.
 * Connector blocks are parsed by the connector modules from
 * config->connectors.
 */
#ifndef LG_CONFIG_H
#define LG_CONFIG_H

#include <stdio.h>

#include <libconfig.h>

#include "core/agents.h"
#include "util/err.h"
#include "util/settings.h"

/*
 * The configuration file when neither -c nor $LEADGATE_CONFIG names one:
 * SYSCONFDIR/leadgate/leadgate.conf (make sysconfdir=..., /etc unless
 * installed elsewhere).
 */
const char *config_default_path(void);

struct config {
	char *path;		/* as given */
	char *dir;		/* its directory, for relative paths */

	char *store_path;	/* the SQLite file, or store.url when set */
	char *store_url;	/* postgresql://...: the PostgreSQL backend */
	char *store_password_file;
	char *store_password_env;
	char *default_country;	/* ISO 3166 alpha-2, for phone numbers */
	int busy_timeout_ms;
	int min_free_mb;	/* less free on store or spool: no new work */

	char *pipelines_path;
	char *rules_path;
	char *lexicon_dir;	/* leadgate-portals(5): etc/lexicon */
	char *profiles_dir;	/* etc/portals/mail */
	char *templates_dir;
	char *spool_dir;
	char *lock_path;
	char *ca_file;		/* one CA file for IMAP, SMTP and HTTPS */
	char *oauth_providers;	/* core/oauth_conf.h: the presets */

	char *log_level;
	int log_syslog;

	struct {
		char *instance;		/* "": HOST:PID (daemon_instance) */
		int lease;		/* seconds, core/store_ops.h lease_* */
	} cluster;

	struct {
		char *host;
		int port;
		char *starttls;	/* off | when-offered | required */
		int tls_verify;
		char *user;
		char *auth;	/* password | xoauth2 | oauthbearer */
		char *password_file;
		char *password_env;
		char *oauth;	/* an oauth block's name, or "" */
		char *helo;
		int connections;
		int timeout;	/* seconds, per command */
	} smtp;

	struct {
		int retry_first;	/* seconds before the first retry */
		int retry_max;		/* cap on the backoff */
		int give_up;		/* seconds after queueing */
		int batch;		/* messages per connection */
		int inflight_delay;	/* seconds before an unconfirmed retry */
		int max_unconfirmed;	/* more unconfirmed attempts: held */
	} delivery;

	struct {
		char *from;		/* default sender */
		char *domain;		/* for Message-IDs */
		char *unsubscribe_url;	/* "{token}" is replaced */
		char *unsubscribe_mailto;
		struct settings_strlist own_addresses;
		struct settings_strlist own_domains;	/* no prospect's */
	} mail;

	struct {
		int period;		/* do not answer a sender twice within */
	} autoreply;

	struct {
		int loop_max;		/* inquiries per sender ... */
		int loop_window;	/* ... within this many seconds */
		int max_message_size;
		int batch;
	} ingest;

	struct {
		char *verp;		/* "" off, else verp.h's format */
		char *secret_file;	/* the key of its HMAC ... */
		char *secret_env;	/* ... or where it is */
		int soft_limit;		/* soft bounces of an address ... */
		int soft_window;	/* ... within this many seconds: hard */
	} bounce;

	struct {
		int enabled;		/* keep the raw inbound mail */
		char *dir;		/* the archive folder, core/archive.h */
		int keep_days;		/* 0: forever */
	} archive;

	struct {
		int rate_per_sec;
		int rate_per_hour;
		int pause_after_failures;
		int pause_seconds;
	} bulk;

	struct {
		int on_import;		/* objects import runs match */
		char *template;		/* of the matching mail */
	} match;

	struct {
		int enabled;		/* run the listener inside `run` too */
		char *address;		/* numeric IPv4 or IPv6 address */
		int port;
		char *tls_cert;		/* PEM files; both empty: plain HTTP */
		char *tls_key;
		int connections;	/* at once, in all */
		int per_ip;		/* at once, from one address */
		int timeout;		/* seconds a connection may idle */
		int max_body;		/* bytes of a request body */
		int page_max;		/* rows of one page of a list */
		int form_rate;		/* inquiries per form ... */
		int form_window;	/* ... within this many seconds */
		char *phrases_dir;	/* the unsubscribe page's phrases */
		char *openapi;		/* the OpenAPI document served */
	} serve;

	struct {
		char *phrases_dir;	/* the dashboard's phrases */
		int secure_cookie;	/* a proxy terminates TLS */
		int session_idle;	/* seconds a session may idle */
		int session_max;	/* seconds a session lives at most */
		int login_rate;		/* failed logins per name or address */
		int login_window;	/* ... within this many seconds */
		int argon2_t;		/* passes */
		int argon2_m;		/* KiB of memory */
		int argon2_p;		/* lanes */
	} dash;
	struct agents agents;		/* agents and assign: core/agents.h */
	struct {
		char *template;		/* the agent's notification */
		char *public_url;	/* the dashboard's base URL, or "" */
	} notify;

	config_t lc;			/* kept alive for connector blocks */
	const config_setting_t *connectors;	/* list, or NULL */
	const config_setting_t *webhooks;	/* list, or NULL: outbound/ */
	int webhooks_keep_days;		/* outbox retention; 0: forever */
	const config_setting_t *oauth;	/* list, or NULL: core/oauth_conf.h */
};

/* The settings of the main file, for `leadgate config settings`. */
extern const struct settings_table config_settings;

/*
 * Load and validate path. On mistakes: LG_EPERM, every one of them as
 * "file:line: reason" in errs (may be NULL), the first also in e.
 */
int config_load(const char *path, struct config **out, struct err_list *errs,
    struct err *e);
/* Defaults only, as if the file were empty; dir is the base for paths. */
struct config *config_defaults(const char *dir);
void config_free(struct config *c);
/*
 * The data directory leadgate was built with (make DATADIR=..., this
 * source tree's etc/ by default): lexicon/ and portals/mail/ for
 * configurations that name none and for commands without one.
 */
const char *config_data_dir(void);
struct store_options;
/*
 * The store's settings in o (busy timeout, PostgreSQL password source,
 * CA file); leaves o->readonly alone.
 */
void config_store_options(const struct config *c, struct store_options *o);
/* Resolve a path relative to the configuration directory (caller frees). */
char *config_path(const struct config *c, const char *p);
/* Print every setting with its value (secrets are never settings). */
void config_dump(const struct config *c, FILE *out);

#endif
