#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/imap_config.h"
#include "connectors/imap_utf7.h"
#include "core/config.h"
#include "core/oauth_conf.h"
#include "util/secret.h"
#include "util/xmalloc.h"

#define DEFAULT_KEYWORD "$LeadgateDone"
#define KEYWORD_MAX 64

static const char *const tls_names[] = { "implicit", "starttls", "none",
	NULL };
static const char *const auth_names[] = { "login", "plain", "xoauth2",
	"oauthbearer", NULL };

static settings_hook_fn imap_config_read_folders, imap_config_read_done;

#define F(field) offsetof(struct imap_config, field)
static const struct setting imap_config_rows[] = {
	{ "name", SETTINGS_STR, NULL, SETTINGS_NOFIELD,
	    .doc = "the connector's unique name" },
	{ "type", SETTINGS_STR, NULL, SETTINGS_NOFIELD, .doc = "imap" },
	{ "host", SETTINGS_STR, NULL, F(host),
	    .doc = "the server (letters, digits, .-:_)",
	    .flags = SETTINGS_REQUIRED },
	{ "port", SETTINGS_INT, "993 or 143", F(port),
	    .doc = "993 with tls = \"implicit\", else 143",
	    .min = 1, .max = 65535, .flags = SETTINGS_DERIVED },
	{ "tls", SETTINGS_ENUM, "implicit", F(tls),
	    .doc = "none is only allowed for host 127.0.0.1",
	    .names = tls_names },
	{ "tls_verify", SETTINGS_BOOL, "true", F(tls_verify),
	    .doc = "verify the server's certificate" },
	{ "ca_file", SETTINGS_PATH, "ca_file", F(ca_file),
	    .doc = "a CA file for this server", .flags = SETTINGS_DERIVED },
	{ "user", SETTINGS_STR, NULL, F(user),
	    .doc = "the login", .flags = SETTINGS_REQUIRED },
	{ "password_file", SETTINGS_PATH, "", F(password_file),
	    .doc = "a file holding the password (or password_env)" },
	{ "password_env", SETTINGS_STR, "", F(password_env),
	    .doc = "an environment variable holding it" },
	{ "auth", SETTINGS_ENUM, "login", F(auth),
	    .doc = "LOGIN, AUTHENTICATE PLAIN, XOAUTH2 or OAUTHBEARER",
	    .names = auth_names },
	{ "oauth", SETTINGS_STR, "", F(oauth),
	    .doc = "auth = xoauth2 or oauthbearer: the oauth block whose "
	    "tokens are sent" },
	{ "folders", SETTINGS_HOOK, "[ \"INBOX\" ]", 0,
	    .doc = "the folders polled (UTF-8 names; each once)",
	    .hook = imap_config_read_folders,
	    .what = "a list of names [ \"INBOX\", ... ]", .kind = "list" },
	{ "done", SETTINGS_HOOK, "{ keyword = \"" DEFAULT_KEYWORD "\"; }", 0,
	    .doc = "what marks a handled message: a keyword, \\Seen or a "
	    "move",
	    .hook = imap_config_read_done,
	    .what = "{ keyword = \"...\"; }, { move_to = \"folder\"; } or "
	    "{ seen = true; } (seen = true may join the other two)",
	    .kind = "block" },
	{ "batch", SETTINGS_INT, "ingest.batch", F(batch),
	    .doc = "messages fetched at a time",
	    .min = 1, .max = 10000, .flags = SETTINGS_DERIVED },
	{ "idle", SETTINGS_BOOL, "true", F(idle),
	    .doc = "wait with IMAP IDLE when the server has it" },
	{ "interval", SETTINGS_INT, "60", F(interval),
	    .doc = "seconds between polls without IDLE",
	    .min = 1, .max = 86400 },
	{ "timeout", SETTINGS_INT, "60", F(timeout),
	    .doc = "seconds per IMAP command", .min = 1, .max = 3600 },
	{ "keepalive", SETTINGS_INT, "60", F(keepalive),
	    .doc = "seconds between NOOPs that check an idle connection",
	    .min = 5, .max = 1500 },
	{ "reconnect_max", SETTINGS_INT, "60", F(reconnect_max),
	    .doc = "seconds: the longest wait between reconnects",
	    .min = 2, .max = 3600 },
	{ "max_size", SETTINGS_INT, "ingest.max_message_size", F(max_size),
	    .doc = "bytes; bigger messages go to quarantine",
	    .min = 1024, .max = 1LL << 30, .flags = SETTINGS_DERIVED },
};
#undef F

/* A control character would end an IMAP command early: none anywhere. */
const struct settings_table imap_config_settings = SETTINGS_TABLE("imap",
    imap_config_rows, NULL, SETTINGS_NOCTL);

/* Control characters would end an IMAP command early: refuse them. */
static int
imap_config_has_ctl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static int
imap_config_folder_set(struct settings_reader *r, struct imap_folder *f,
    const char *name, const config_setting_t *st)
{
	struct err why;

	if (*name == '\0')
		return settings_bad(r, st, "empty folder name");
	if (imap_utf7_encode(name, &f->wire, &why) != LG_OK)
		return settings_bad(r, st, "folder: %s", why.msg);
	f->name = xstrdup(name);
	return LG_OK;
}

static int
imap_config_read_folders(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	struct imap_config *c = obj;
	const char *v;
	int i, n, rc = LG_OK;
	size_t j;

	if (!config_setting_is_array(st) && !config_setting_is_list(st))
		return settings_bad_type(r, s, st);
	if ((n = config_setting_length(st)) == 0)
		return settings_bad(r, st, "folders: the list is empty");
	c->folders = xcalloc((size_t)n, sizeof(*c->folders));
	for (i = 0; i < n; i++) {
		if ((v = config_setting_get_string_elem(st, i)) == NULL) {
			rc = settings_bad(r, st, "folders: entry %d is not a "
			    "string", i + 1);
			continue;
		}
		for (j = 0; j < c->nfolders; j++)
			if (strcmp(c->folders[j].name, v) == 0)
				break;
		if (j < c->nfolders)
			rc = settings_bad(r, st, "folders: '%s' is listed "
			    "twice", v);
		else if (imap_config_folder_set(r, &c->folders[c->nfolders],
		    v, st) != LG_OK)
			rc = LG_EPERM;
		else
			c->nfolders++;
	}
	return rc;
}

/* An IMAP atom that is not a system flag (RFC 3501 flag-keyword). */
static int
imap_config_keyword_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > KEYWORD_MAX)
		return 0;
	for (; *s; s++)
		if (*s <= 0x20 || *s >= 0x7f || strchr("(){%*\"\\]", *s))
			return 0;
	return 1;
}

/* The members a done block may have, and their libconfig types. */
static const struct {
	const char *name;
	int type;
} imap_config_done_keys[] = {
	{ "keyword", CONFIG_TYPE_STRING },
	{ "move_to", CONFIG_TYPE_STRING },
	{ "seen", CONFIG_TYPE_BOOL },
};
#define NDONE_KEYS \
	(sizeof(imap_config_done_keys) / sizeof(imap_config_done_keys[0]))

/* Every member known and of its type: else not a done block at all. */
static int
imap_config_done_shape(const config_setting_t *st)
{
	const config_setting_t *m;
	const char *name;
	int i, n = config_setting_length(st);
	size_t k;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		m = config_setting_get_elem(st, (unsigned int)i);
		name = config_setting_name(m);
		for (k = 0; k < NDONE_KEYS; k++)
			if (name != NULL &&
			    strcmp(name, imap_config_done_keys[k].name) == 0)
				break;
		if (k == NDONE_KEYS ||
		    config_setting_type(m) != imap_config_done_keys[k].type)
			return 0;
	}
	return 1;
}

static int
imap_config_read_done(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	const char *kw = NULL, *mv = NULL;
	struct imap_config *c = obj;
	int seen = 0;

	if (!config_setting_is_group(st) || !imap_config_done_shape(st))
		return settings_bad_type(r, s, st);
	config_setting_lookup_string(st, "keyword", &kw);
	config_setting_lookup_string(st, "move_to", &mv);
	config_setting_lookup_bool(st, "seen", &seen);
	if (kw != NULL && mv != NULL)
		return settings_bad_type(r, s, st);
	xstrset(&c->keyword, NULL);
	c->seen = seen != 0;
	if (kw != NULL) {
		if (!imap_config_keyword_ok(kw))
			return settings_bad(r, st, "done: keyword '%s' is not "
			    "an IMAP keyword (1-%d printable characters, none "
			    "of ( ) { %% * \" \\ ] or space)", kw, KEYWORD_MAX);
		c->done = IMAP_DONE_KEYWORD;
		xstrset(&c->keyword, kw);
		return LG_OK;
	}
	if (mv != NULL) {
		c->done = IMAP_DONE_MOVE;
		return imap_config_folder_set(r, &c->move_to, mv, st);
	}
	if (!c->seen)
		return settings_bad(r, st, "done: seen = false alone marks "
		    "nothing: give keyword, move_to or seen = true");
	c->done = IMAP_DONE_SEEN;
	return LG_OK;
}

/* The defaults that come from the main configuration. */
static void
imap_config_defaults(struct imap_config *c, const struct config *cfg)
{
	c->ca_file = xstrdup(cfg->ca_file ? cfg->ca_file : "");
	c->done = IMAP_DONE_KEYWORD;
	c->keyword = xstrdup(DEFAULT_KEYWORD);
	c->batch = cfg->ingest.batch;
	c->max_size = cfg->ingest.max_message_size;
}

/* Checks across settings, each with the block as the place to look. */
static int
imap_config_check_host(struct settings_reader *r, struct imap_config *c,
    const config_setting_t *b)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:_";

	if (*c->host == '\0')
		return settings_bad(r, b, "'host' is required");
	if (c->host[strspn(c->host, ok)] != '\0')
		return settings_bad(r, b, "host '%s' is not a host name or "
		    "address", c->host);
	if (c->tls == IMAP_TLS_NONE && strcmp(c->host, "127.0.0.1") != 0)
		return settings_bad(r, b, "tls = \"none\" is only allowed for "
		    "host 127.0.0.1 (the password would cross the network in "
		    "clear)");
	if (c->port == 0)
		c->port = c->tls == IMAP_TLS_IMPLICIT ? 993 : 143;
	return LG_OK;
}

int
imap_config_oauth(const struct imap_config *c)
{
	return c->auth == IMAP_AUTH_XOAUTH2 || c->auth == IMAP_AUTH_OAUTHBEARER;
}

/* A token instead of a password: from a grant that exists. */
static int
imap_config_check_oauth(struct settings_reader *r, struct imap_config *c,
    const config_setting_t *b, const struct config *cfg)
{
	if (!imap_config_oauth(c))
		return LG_OK;
	if (*c->oauth == '\0')
		return settings_bad(r, b, "auth = \"%s\" needs oauth = "
		    "\"NAME\" (an oauth block)", auth_names[c->auth]);
	if (!oauth_conf_exists(cfg, c->oauth))
		return settings_bad(r, b, "oauth: no oauth block is named "
		    "'%s'", c->oauth);
	if (*c->password_file != '\0' || *c->password_env != '\0')
		return settings_bad(r, b, "auth = \"%s\" sends a token: "
		    "leave password_file and password_env out",
		    auth_names[c->auth]);
	return LG_OK;
}

static int
imap_config_check_user(struct settings_reader *r, struct imap_config *c,
    const config_setting_t *b)
{
	struct err why;
	char *pw;
	int bad;

	if (*c->user == '\0')
		return settings_bad(r, b, "'user' is required");
	if (imap_config_oauth(c))
		return LG_OK;	/* imap_config_check_oauth() */
	if (*c->oauth != '\0')
		return settings_bad(r, b, "oauth = \"%s\" needs auth = "
		    "\"xoauth2\" or \"oauthbearer\"", c->oauth);
	if (*c->password_file == '\0' && *c->password_env == '\0')
		return settings_bad(r, b, "a password is required: "
		    "password_file or password_env");
	if (*c->password_file != '\0' && *c->password_env != '\0')
		return settings_bad(r, b, "password_file and password_env: "
		    "give one of them");
	/* Read it once now, so a wrong path fails at load, not at 3 a.m. */
	if (secret_read(c->password_file, c->password_env, &pw, &why) !=
	    LG_OK)
		return settings_bad(r, b, "%s", why.msg);
	bad = imap_config_has_ctl(pw);
	secret_free(pw);
	if (bad)
		return settings_bad(r, b, "the password has control "
		    "characters");
	return LG_OK;
}

static int
imap_config_check_folders(struct settings_reader *r, struct imap_config *c,
    const config_setting_t *b)
{
	size_t i;

	if (c->nfolders == 0) {
		c->folders = xcalloc(1, sizeof(*c->folders));
		c->folders[0].name = xstrdup("INBOX");
		c->folders[0].wire = xstrdup("INBOX");
		c->nfolders = 1;
	}
	for (i = 0; c->move_to.name != NULL && i < c->nfolders; i++)
		if (strcmp(c->folders[i].name, c->move_to.name) == 0)
			return settings_bad(r, b, "done: move_to '%s' is one "
			    "of the polled folders", c->move_to.name);
	return LG_OK;
}

typedef int imap_config_check_fn(struct settings_reader *,
    struct imap_config *, const config_setting_t *);
static imap_config_check_fn *const imap_config_checks[] = {
	imap_config_check_host,
	imap_config_check_user,
	imap_config_check_folders,
};
#define NCHECKS (sizeof(imap_config_checks) / sizeof(imap_config_checks[0]))

static void
imap_config_reader(struct settings_reader *r, char *ctx, size_t len,
    const char *name, const struct config *cfg, struct err_report *rep)
{
	snprintf(ctx, len, "imap connector '%s'", name);
	settings_reader_init(r, &imap_config_settings, cfg->path, cfg->dir, ctx,
	    rep);
}

int
imap_config_bad(const struct imap_config *c, const config_setting_t *st,
    const struct config *cfg, struct err_report *rep, const char *fmt, ...)
{
	struct settings_reader r;
	char ctx[256];
	va_list ap;
	int rc;

	imap_config_reader(&r, ctx, sizeof(ctx), c->name, cfg, rep);
	va_start(ap, fmt);
	rc = settings_vbad(&r, st, fmt, ap);
	va_end(ap);
	return rc;
}

int
imap_config_read(const config_setting_t *block, const struct config *cfg,
    struct imap_config **out, struct err_report *rep)
{
	struct settings_reader r;
	struct imap_config *c;
	const char *name = "?";
	char ctx[256];
	size_t i;
	int rc;

	*out = NULL;
	c = xcalloc(1, sizeof(*c));
	config_setting_lookup_string(block, "name", &name);
	c->name = xstrdup(name);
	imap_config_defaults(c, cfg);
	imap_config_reader(&r, ctx, sizeof(ctx), c->name, cfg, rep);
	/* The checks across settings only make sense when each one read. */
	if ((rc = settings_read(&r, block, c)) == LG_OK)
		for (i = 0; i < NCHECKS; i++)
			if (imap_config_checks[i](&r, c, block) != LG_OK)
				rc = LG_EPERM;
	if (rc == LG_OK)
		rc = imap_config_check_oauth(&r, c, block, cfg);
	if (rc != LG_OK) {
		imap_config_free(c);
		return rc;
	}
	*out = c;
	return LG_OK;
}

static void
imap_config_folder_clear(struct imap_folder *f)
{
	free(f->name);
	free(f->wire);
}

void
imap_config_free(struct imap_config *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nfolders; i++)
		imap_config_folder_clear(&c->folders[i]);
	free(c->folders);
	imap_config_folder_clear(&c->move_to);
	settings_free(&imap_config_settings, c);
	free(c->name);
	free(c->keyword);
	free(c);
}
