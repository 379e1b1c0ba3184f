#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/config.h"
#include "core/store.h"
#include "core/verp.h"
#include "util/xmalloc.h"

/* Where the shipped lexicon/ and portals/mail/ are (make DATADIR=...). */
#ifndef LEADGATE_DATADIR
#define LEADGATE_DATADIR "/usr/share/leadgate"
#endif
/* Where the configuration is when nothing names it (make sysconfdir=...). */
#ifndef LEADGATE_SYSCONFDIR
#define LEADGATE_SYSCONFDIR "/etc"
#endif

#define F(field) offsetof(struct config, field)
#define DAY 86400LL

static const char *const log_levels[] = { "error", "warn", "info", "debug",
	NULL };
static const char *const starttls_modes[] = { "off", "when-offered",
	"required", NULL };
static const char *const smtp_auth_modes[] = { "password", "xoauth2",
	"oauthbearer", NULL };

static int config_verp_ok(const char *, struct err *);
static int config_read_connectors(struct settings_reader *,
    const struct setting *, const config_setting_t *, void *);
static int config_read_oauth(struct settings_reader *,
    const struct setting *, const config_setting_t *, void *);
static int config_domain_check(const char *, struct err *);
static int config_read_webhooks(struct settings_reader *,
    const struct setting *, const config_setting_t *, void *);
static int config_read_agents(struct settings_reader *,
    const struct setting *, const config_setting_t *, void *);
static int config_read_assign(struct settings_reader *,
    const struct setting *, const config_setting_t *, void *);

/* All settings: name, type, default, where it lands, what it is for. */
static const struct setting config_rows[] = {
	{ "store.path", SETTINGS_PATH, "leadgate.db", F(store_path),
	    .doc = "the SQLite database (unless store.url is set)" },
	{ "store.url", SETTINGS_STR, "", F(store_url),
	    .doc = "postgresql://[user@]host[:port]/db[?param=...]: keep the "
	    "store in PostgreSQL instead (no password in it: see "
	    "store.password_file); empty: SQLite at store.path" },
	{ "store.password_file", SETTINGS_PATH, "", F(store_password_file),
	    .doc = "a file holding the PostgreSQL password" },
	{ "store.password_env", SETTINGS_STR, "", F(store_password_env),
	    .doc = "an environment variable holding it" },
	{ "store.default_country", SETTINGS_STR, "DE", F(default_country),
	    .doc = "ISO 3166 country for phone numbers written without +CC" },
	{ "store.busy_timeout_ms", SETTINGS_INT, "5000", F(busy_timeout_ms),
	    .doc = "how long a command waits for a busy database",
	    .min = 0, .max = 600000 },
	{ "store.min_free_mb", SETTINGS_INT, "64", F(min_free_mb),
	    .doc = "below this many MiB free where the store or the spool "
	    "is, no new work is taken (0: no check)", .min = 0,
	    .max = 1000000 },
	{ "pipelines", SETTINGS_PATH, "pipelines.conf", F(pipelines_path),
	    .doc = "the pipelines and their phases" },
	{ "rules", SETTINGS_PATH, "rules.conf", F(rules_path),
	    .doc = "the rule file, leadgate-rules(5)" },
	{ "lexicon", SETTINGS_PATH, "lexicon", F(lexicon_dir),
	    .doc = "the lexicon, leadgate-portals(5); left out and missing: "
	    "the built-in one" },
	{ "portal_profiles", SETTINGS_PATH, "portals/mail", F(profiles_dir),
	    .doc = "the mail portal profiles, leadgate-portals(5); left out "
	    "and missing: the built-in ones" },
	{ "templates", SETTINGS_PATH, "templates", F(templates_dir),
	    .doc = "the templates directory, leadgate-templates(5)" },
	{ "spool", SETTINGS_PATH, "spool", F(spool_dir),
	    .doc = "the directory of the outgoing spool" },
	{ "lock", SETTINGS_PATH, "leadgate.lock", F(lock_path),
	    .doc = "the lock file that keeps a second daemon off" },
	{ "ca_file", SETTINGS_PATH, "", F(ca_file),
	    .doc = "one CA file for IMAP, SMTP and HTTPS; empty: the system's" },
	{ "cluster.instance", SETTINGS_STR, "", F(cluster.instance),
	    .doc = "this daemon's name among the instances sharing the "
	    "store; empty: HOST:PID" },
	{ "cluster.lease", SETTINGS_INT, "30", F(cluster.lease),
	    .doc = "seconds a connector or job stays an instance's without "
	    "renewal (renewed every third of it); a dead instance's work "
	    "is taken over after at most this long; also a delivery "
	    "claim's time", .min = 3, .max = 3600 },
	{ "log.level", SETTINGS_ENUM_NAME, "info", F(log_level),
	    .doc = "the daemon's log level", .names = log_levels },
	{ "log.syslog", SETTINGS_BOOL, "false", F(log_syslog),
	    .doc = "the daemon logs to syslog instead of standard error" },

	{ "smtp.host", SETTINGS_STR, "localhost", F(smtp.host),
	    .doc = "the SMTP relay" },
	{ "smtp.port", SETTINGS_INT, "25", F(smtp.port),
	    .doc = "its port", .min = 1, .max = 65535 },
	{ "smtp.starttls", SETTINGS_ENUM_NAME, "when-offered", F(smtp.starttls),
	    .doc = "STARTTLS: never, when offered, or required",
	    .names = starttls_modes },
	{ "smtp.tls_verify", SETTINGS_BOOL, "true", F(smtp.tls_verify),
	    .doc = "verify the server's certificate and name" },
	{ "smtp.user", SETTINGS_STR, "", F(smtp.user),
	    .doc = "the user for SMTP AUTH; empty: no authentication" },
	{ "smtp.auth", SETTINGS_ENUM_NAME, "password", F(smtp.auth),
	    .doc = "AUTH with a password (PLAIN or LOGIN, as offered), or "
	    "XOAUTH2 or OAUTHBEARER with an OAuth2 access token",
	    .names = smtp_auth_modes },
	{ "smtp.password_file", SETTINGS_PATH, "", F(smtp.password_file),
	    .doc = "a file holding the SMTP password" },
	{ "smtp.password_env", SETTINGS_STR, "", F(smtp.password_env),
	    .doc = "an environment variable holding it" },
	{ "smtp.oauth", SETTINGS_STR, "", F(smtp.oauth),
	    .doc = "the oauth block whose tokens SMTP AUTH XOAUTH2 or "
	    "OAUTHBEARER sends (\"\": none)" },
	{ "smtp.helo", SETTINGS_STR, "localhost", F(smtp.helo),
	    .doc = "the name given in EHLO" },
	{ "smtp.connections", SETTINGS_INT, "2", F(smtp.connections),
	    .doc = "delivery workers, each with its own connection",
	    .min = 1, .max = 64 },
	{ "smtp.timeout", SETTINGS_INT, "60", F(smtp.timeout),
	    .doc = "seconds per SMTP command", .min = 1, .max = 3600 },

	{ "delivery.retry_first", SETTINGS_INT, "300", F(delivery.retry_first),
	    .doc = "seconds before the first retry", .min = 1, .max = DAY },
	{ "delivery.retry_max", SETTINGS_INT, "4000", F(delivery.retry_max),
	    .doc = "the longest wait between retries", .min = 1, .max = DAY },
	{ "delivery.give_up", SETTINGS_INT, "432000", F(delivery.give_up),
	    .doc = "seconds after queueing when a deferred message fails",
	    .min = 1, .max = 365 * DAY },
	{ "delivery.batch", SETTINGS_INT, "100", F(delivery.batch),
	    .doc = "due messages a worker takes at a time",
	    .min = 1, .max = 100000 },
	{ "delivery.inflight_delay", SETTINGS_INT, "900",
	    F(delivery.inflight_delay),
	    .doc = "seconds before a message whose attempt had no result "
	    "(a crash) is tried again", .min = 1, .max = DAY },
	{ "delivery.max_unconfirmed", SETTINGS_INT, "1",
	    F(delivery.max_unconfirmed),
	    .doc = "attempts without a result a message may have; one more "
	    "and it is held for the admin", .min = 0, .max = 100 },

	{ "mail.from", SETTINGS_STR, "", F(mail.from),
	    .doc = "the sender, Name <address>" },
	{ "mail.domain", SETTINGS_STR, "localhost", F(mail.domain),
	    .doc = "the domain of the Message-IDs leadgate writes" },
	{ "mail.unsubscribe_url", SETTINGS_STR, "", F(mail.unsubscribe_url),
	    .doc = "the unsubscribe URL of bulk mail; {token} is replaced" },
	{ "mail.unsubscribe_mailto", SETTINGS_STR, "",
	    F(mail.unsubscribe_mailto),
	    .doc = "an address for List-Unsubscribe of bulk mail" },
	{ "mail.own_addresses", SETTINGS_STRLIST, NULL, F(mail.own_addresses),
	    .doc = "our own addresses: never answered" },
	{ "mail.own_domains", SETTINGS_STRLIST, NULL, F(mail.own_domains),
	    .doc = "our own domains: their addresses are never a prospect's",
	    .check = config_domain_check },

	{ "autoreply.period", SETTINGS_INT, "604800", F(autoreply.period),
	    .doc = "a rule answers an address once within this many seconds",
	    .min = 0, .max = 365 * DAY },

	{ "ingest.loop_max", SETTINGS_INT, "20", F(ingest.loop_max),
	    .doc = "the loop breaker: more inquiries from one sender ...",
	    .min = 1, .max = 1000000 },
	{ "ingest.loop_window", SETTINGS_INT, "7200", F(ingest.loop_window),
	    .doc = "... within this many seconds go to quarantine",
	    .min = 1, .max = 30 * DAY },
	{ "ingest.max_message_size", SETTINGS_INT, "26214400",
	    F(ingest.max_message_size),
	    .doc = "bytes; a bigger message goes to quarantine",
	    .min = 1024, .max = 1LL << 30 },
	{ "ingest.batch", SETTINGS_INT, "100", F(ingest.batch),
	    .doc = "the default batch of IMAP connectors",
	    .min = 1, .max = 10000 },

	{ "archive.enabled", SETTINGS_BOOL, "true", F(archive.enabled),
	    .doc = "keep the raw mail of every inquiry and answer with its "
	    "lead" },
	{ "archive.dir", SETTINGS_PATH, "archive", F(archive.dir),
	    .doc = "the folder the kept mail is written to (0700)" },
	{ "archive.keep_days", SETTINGS_INT, "0", F(archive.keep_days),
	    .doc = "mail purge forgets kept mail older than this many days; "
	    "0: never", .min = 0, .max = 36500 },

	{ "bulk.rate_per_sec", SETTINGS_INT, "0", F(bulk.rate_per_sec),
	    .doc = "campaign messages per second; 0: no limit",
	    .min = 0, .max = 100000 },
	{ "bulk.rate_per_hour", SETTINGS_INT, "0", F(bulk.rate_per_hour),
	    .doc = "campaign messages within any sliding hour; 0: no limit",
	    .min = 0, .max = 100000000 },
	{ "bulk.pause_after_failures", SETTINGS_INT, "10",
	    F(bulk.pause_after_failures),
	    .doc = "failures in a row that pause campaign mail; 0: never",
	    .min = 0, .max = 100000 },
	{ "bulk.pause_seconds", SETTINGS_INT, "60", F(bulk.pause_seconds),
	    .doc = "the length of that pause", .min = 0, .max = DAY },

	{ "match.on_import", SETTINGS_BOOL, "false", F(match.on_import),
	    .doc = "objects import runs match for every object it makes "
	    "available (new, or back from another state)" },
	{ "match.template", SETTINGS_STR, "object-match", F(match.template),
	    .doc = "the template of the matching mail (match without "
	    "--template, and match.on_import)" },

	{ "bounce.verp", SETTINGS_STR, "", F(bounce.verp),
	    .doc = "the envelope sender of each message, with {id} and {hmac}; "
	    "empty: off", .check = config_verp_ok },
	{ "bounce.secret_file", SETTINGS_PATH, "", F(bounce.secret_file),
	    .doc = "a file holding the key of the VERP HMAC" },
	{ "bounce.secret_env", SETTINGS_STR, "", F(bounce.secret_env),
	    .doc = "an environment variable holding it" },
	{ "bounce.soft_limit", SETTINGS_INT, "3", F(bounce.soft_limit),
	    .doc = "soft bounces of an address that count as a hard one ...",
	    .min = 1, .max = 1000 },
	{ "bounce.soft_window", SETTINGS_INT, "2592000", F(bounce.soft_window),
	    .doc = "... within this many seconds", .min = 60,
	    .max = 365 * DAY },

	{ "serve.enabled", SETTINGS_BOOL, "false", F(serve.enabled),
	    .doc = "also run the HTTP listener inside leadgate run" },
	{ "serve.address", SETTINGS_STR, "127.0.0.1", F(serve.address),
	    .doc = "the numeric address the HTTP listener binds to" },
	{ "serve.port", SETTINGS_INT, "8025", F(serve.port),
	    .doc = "its TCP port", .min = 1, .max = 65535 },
	{ "serve.tls_cert", SETTINGS_PATH, "", F(serve.tls_cert),
	    .doc = "a PEM certificate chain; with serve.tls_key: HTTPS" },
	{ "serve.tls_key", SETTINGS_PATH, "", F(serve.tls_key),
	    .doc = "its PEM private key" },
	{ "serve.connections", SETTINGS_INT, "64", F(serve.connections),
	    .doc = "connections served at once", .min = 1, .max = 10000 },
	{ "serve.per_ip", SETTINGS_INT, "16", F(serve.per_ip),
	    .doc = "connections at once from one address", .min = 1,
	    .max = 10000 },
	{ "serve.timeout", SETTINGS_INT, "30", F(serve.timeout),
	    .doc = "seconds an idle connection is kept", .min = 1,
	    .max = 3600 },
	{ "serve.max_body", SETTINGS_INT, "65536", F(serve.max_body),
	    .doc = "the largest request body taken, in bytes", .min = 1024,
	    .max = 16777216 },
	{ "serve.page_max", SETTINGS_INT, "500", F(serve.page_max),
	    .doc = "the most rows one page of a list holds", .min = 1,
	    .max = 100000 },
	{ "serve.form_rate", SETTINGS_INT, "30", F(serve.form_rate),
	    .doc = "inquiries one web form may send ...", .min = 1,
	    .max = 1000000 },
	{ "serve.form_window", SETTINGS_INT, "60", F(serve.form_window),
	    .doc = "... within this many seconds", .min = 1, .max = DAY },
	{ "serve.phrases", SETTINGS_PATH, "", F(serve.phrases_dir),
	    .doc = "the folder of the unsubscribe page's phrases, one "
	    "LANG.conf each; empty: the built-in data directory's" },
	{ "serve.openapi", SETTINGS_PATH, "", F(serve.openapi),
	    .doc = "the OpenAPI document served; empty: the built-in data "
	    "directory's" },

	{ "dash.phrases", SETTINGS_PATH, "", F(dash.phrases_dir),
	    .doc = "the folder of the dashboard's phrases, one LANG.conf "
	    "each; empty: the built-in data directory's" },
	{ "dash.secure_cookie", SETTINGS_BOOL, "false", F(dash.secure_cookie),
	    .doc = "mark the session cookie Secure although leadgate speaks "
	    "plain HTTP (a proxy in front terminates TLS); with serve.tls_* "
	    "it always is" },
	{ "dash.session_idle", SETTINGS_INT, "1800", F(dash.session_idle),
	    .doc = "seconds a dashboard session may go unused", .min = 60,
	    .max = DAY },
	{ "dash.session_max", SETTINGS_INT, "43200", F(dash.session_max),
	    .doc = "seconds a dashboard session lives at most", .min = 60,
	    .max = 30 * DAY },
	{ "dash.login_rate", SETTINGS_INT, "5", F(dash.login_rate),
	    .doc = "failed logins for one user name or from one address ...",
	    .min = 1, .max = 1000 },
	{ "dash.login_window", SETTINGS_INT, "300", F(dash.login_window),
	    .doc = "... within this many seconds, before more are refused",
	    .min = 1, .max = DAY },
	{ "dash.argon2_t", SETTINGS_INT, "3", F(dash.argon2_t),
	    .doc = "argon2id passes for a new password hash", .min = 1,
	    .max = 100 },
	{ "dash.argon2_m", SETTINGS_INT, "65536", F(dash.argon2_m),
	    .doc = "argon2id memory for a new password hash, in KiB",
	    .min = 8192, .max = 4194304 },
	{ "dash.argon2_p", SETTINGS_INT, "1", F(dash.argon2_p),
	    .doc = "argon2id lanes for a new password hash", .min = 1,
	    .max = 16 },

	{ "oauth_providers", SETTINGS_PATH, "oauth-providers.conf",
	    F(oauth_providers),
	    .doc = "the OAuth2 provider presets; left out and missing: the "
	    "built-in ones" },
	{ "oauth", SETTINGS_HOOK, NULL, F(oauth),
	    .doc = "OAuth2 clients and grants for mailboxes, by name",
	    .hook = config_read_oauth,
	    .what = "a list of blocks ( {...}, ... )", .kind = "list" },
	{ "connectors", SETTINGS_HOOK, NULL, F(connectors),
	    .doc = "the connector blocks, each read by its type's table",
	    .hook = config_read_connectors,
	    .what = "a list of blocks ( {...}, ... )", .kind = "list" },
	{ "webhooks_keep_days", SETTINGS_INT, "30", F(webhooks_keep_days),
	    .doc = "webhooks purge (and the daemon, daily) forgets events "
	    "older than this many days once every endpoint is done with "
	    "them; 0: never", .min = 0, .max = 36500 },
	{ "agents", SETTINGS_HOOK, NULL, F(agents),
	    .doc = "the agents leads are assigned to: a list of blocks "
	    "{ name; email; branch; languages; } (leadgate.conf(5))",
	    .hook = config_read_agents,
	    .what = "a list of blocks ( {...}, ... )", .kind = "list" },
	{ "assign", SETTINGS_HOOK, NULL, F(agents),
	    .doc = "assignment rules, the first matching one wins: a list of "
	    "blocks { object; source; postcode; language; agents; }",
	    .hook = config_read_assign,
	    .what = "a list of blocks ( {...}, ... )", .kind = "list" },
	{ "notify.template", SETTINGS_STR, "agent-notify",
	    F(notify.template), .doc = "the template of the mail an agent "
	    "gets for a new lead or a prospect's reply" },
	{ "notify.public_url", SETTINGS_STR, "", F(notify.public_url),
	    .doc = "the dashboard's base URL (\"https://crm.example\"): the "
	    "notification links to /leads/ID there; empty: no link" },
	{ "webhooks", SETTINGS_HOOK, NULL, F(webhooks),
	    .doc = "webhook endpoints: a list of blocks (leadgate.conf(5))",
	    .hook = config_read_webhooks,
	    .what = "a list of blocks ( {...}, ... )", .kind = "list" },
};

/* Older than the engine, and quoted by admins: "setting smtp.port: ...". */
static const struct settings_words config_words = {
	.setting = "setting {name}",
	.unknown = "unknown setting {name}",
	.choice = "{setting}: '{value}' is not one of {choices}",
};

const struct settings_table config_settings = SETTINGS_TABLE("main",
    config_rows, &config_words, 0);

/* bounce.verp: empty (off) or a format verp.h can read back. */
static int
config_verp_ok(const char *v, struct err *why)
{
	return *v == '\0' ? LG_OK : verp_format_check(v, why);
}

/* "muster-immo.example": a host name, no '@', no '*' (subdomains count). */
static int
config_domain_check(const char *v, struct err *why)
{
	if (*v == '\0' || strpbrk(v, "@* \t") != NULL || strchr(v, '.') == NULL)
		return err_set(why, LG_EPERM, "'%s' is no domain (write "
		    "\"example.org\": its subdomains count too)", v);
	return LG_OK;
}

/* The blocks are the connector modules' to read: keep the list. */
static int
config_read_connectors(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	if (!config_setting_is_list(st))
		return settings_bad_type(r, s, st);
	((struct config *)obj)->connectors = st;
	return LG_OK;
}

/* The blocks are outbound/webhook.c's to read: keep the list. */
static int
config_read_webhooks(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	if (!config_setting_is_list(st))
		return settings_bad_type(r, s, st);
	((struct config *)obj)->webhooks = st;
	return LG_OK;
}

/* The agent blocks and the assignment rules: core/agents.c reads them. */
static int
config_read_agents(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	(void)s;
	return agents_read(r, st, &((struct config *)obj)->agents);
}

static int
config_read_assign(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	(void)s;
	return agents_read_rules(r, st, &((struct config *)obj)->agents);
}

/* The oauth blocks are core/oauth_conf.c's to read: keep the list. */
static int
config_read_oauth(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	if (!config_setting_is_list(st))
		return settings_bad_type(r, s, st);
	((struct config *)obj)->oauth = st;
	return LG_OK;
}

void
config_store_options(const struct config *c, struct store_options *o)
{
	o->busy_timeout_ms = c->busy_timeout_ms;
	o->password_file = c->store_password_file;
	o->password_env = c->store_password_env;
	o->ca_file = c->ca_file;
}

const char *
config_data_dir(void)
{
	return LEADGATE_DATADIR;
}

const char *
config_default_path(void)
{
	return LEADGATE_SYSCONFDIR "/leadgate/leadgate.conf";
}

/*
 * A data directory the file does not name and that is not next to it
 * is the built-in one: configurations older than the profiles, and
 * those of tests and benchmarks, name none.
 */
static void
config_data_default(struct config *c, const char *name, char **dir,
    const char *sub)
{
	struct stat sb;

	if (config_lookup(&c->lc, name) != NULL || stat(*dir, &sb) == 0)
		return;
	free(*dir);
	*dir = xasprintf("%s/%s", config_data_dir(), sub);
}

char *
config_path(const struct config *c, const char *p)
{
	return settings_path(c->dir, p);
}

static struct config *
config_alloc(const char *path, const char *dir)
{
	struct config *c = xcalloc(1, sizeof(*c));

	c->path = xstrdup(path);
	c->dir = xstrdup(dir);
	config_init(&c->lc);
	settings_defaults(&config_settings, c, c->dir);
	return c;
}

struct config *
config_defaults(const char *dir)
{
	return config_alloc("", dir ? dir : ".");
}

static char *
config_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* VERP needs the key of its HMAC: one place for it. */
static int
config_check_bounce(struct settings_reader *r, const struct config *c)
{
	const config_setting_t *st = config_lookup(&c->lc, "bounce");

	if (*c->bounce.verp == '\0')
		return LG_OK;
	if (*c->bounce.secret_file == '\0' && *c->bounce.secret_env == '\0')
		return settings_bad(r, st, "bounce.verp needs a secret: "
		    "bounce.secret_file or bounce.secret_env");
	if (*c->bounce.secret_file != '\0' && *c->bounce.secret_env != '\0')
		return settings_bad(r, st, "bounce.secret_file and "
		    "bounce.secret_env: give one of them");
	return LG_OK;
}

static int
config_parse(struct config *c, struct err_report *rep)
{
	struct settings_reader r = { &config_settings, c->path, c->dir, "",
	    rep };
	const char *f;
	struct stat sb;

	if (stat(c->path, &sb) != 0)
		return err_report(rep, "%s: %s", c->path, strerror(errno));
	config_set_include_dir(&c->lc, c->dir);
	if (config_read_file(&c->lc, c->path) != CONFIG_TRUE) {
		f = config_error_file(&c->lc);
		return err_report(rep, "%s:%d: %s", f ? f : c->path,
		    config_error_line(&c->lc), config_error_text(&c->lc));
	}
	if (settings_read(&r, config_root_setting(&c->lc), c) != LG_OK)
		return LG_EPERM;
	if (agents_check(&r, config_lookup(&c->lc, "assign"), &c->agents) !=
	    LG_OK)
		return LG_EPERM;
	return config_check_bounce(&r, c);
}

int
config_load(const char *path, struct config **out, struct err_list *errs,
    struct err *e)
{
	struct err_report rep = { errs, e, 0 };
	char *dir = config_dirname(path);
	struct config *c = config_alloc(path, dir);
	int rc;

	free(dir);
	if ((rc = config_parse(c, &rep)) != LG_OK) {
		config_free(c);
		return rc;
	}
	/* One name for the store everywhere: the URL when there is one. */
	if (*c->store_url != '\0') {
		free(c->store_path);
		c->store_path = xstrdup(c->store_url);
	}
	config_data_default(c, "lexicon", &c->lexicon_dir, "lexicon");
	config_data_default(c, "portal_profiles", &c->profiles_dir,
	    "portals/mail");
	config_data_default(c, "oauth_providers", &c->oauth_providers,
	    "oauth-providers.conf");
	*out = c;
	return LG_OK;
}

void
config_free(struct config *c)
{
	if (c == NULL)
		return;
	settings_free(&config_settings, c);
	agents_free(&c->agents);
	config_destroy(&c->lc);
	free(c->path);
	free(c->dir);
	free(c);
}

void
config_dump(const struct config *c, FILE *out)
{
	settings_dump(&config_settings, c, out);
}
