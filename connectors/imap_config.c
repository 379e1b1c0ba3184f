#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/imap_config.h"
#include "connectors/imap_utf7.h"
#include "core/config.h"
#include "util/secret.h"
#include "util/xmalloc.h"

#define DEFAULT_KEYWORD "$LeadgateDone"
#define KEYWORD_MAX 64

/* What every reading function needs: the result, the file, the error. */
struct imap_config_reader {
	struct imap_config *c;
	const struct config *cfg;
	struct err *e;
};

struct ikey;
typedef int ikey_read_fn(struct imap_config_reader *, const struct ikey *,
    const config_setting_t *);

struct ikey {
	const char *name;
	ikey_read_fn *read;
	size_t off;		/* where it lands in struct imap_config */
	long min, max;		/* integers */
	const char *const *names;	/* enumerations, NULL-terminated */
};

static const char *const tls_names[] = { "implicit", "starttls", "none",
	NULL };
static const char *const auth_names[] = { "login", "plain", NULL };

static int imap_config_bad(struct imap_config_reader *r,
    const config_setting_t *st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "file:line: imap connector 'NAME': why", at the setting's own line. */
static int
imap_config_bad(struct imap_config_reader *r, const config_setting_t *st,
    const char *fmt, ...)
{
	const char *file = config_setting_source_file(st);
	char why[ERR_MSGLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return err_set(r->e, LG_EPERM, "%s:%u: imap connector '%s': %s",
	    file ? file : r->cfg->path, config_setting_source_line(st),
	    r->c->name, why);
}

static void *
imap_config_field(struct imap_config *c, const struct ikey *k)
{
	return (char *)c + k->off;
}

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
imap_config_read_str(struct imap_config_reader *r, const struct ikey *k,
    const config_setting_t *st)
{
	const char *v = config_setting_get_string(st);

	if (v == NULL)
		return imap_config_bad(r, st, "%s: expected a string",
		    k->name);
	if (imap_config_has_ctl(v))
		return imap_config_bad(r, st, "%s: control characters are "
		    "not allowed", k->name);
	xstrset(imap_config_field(r->c, k), v);
	return LG_OK;
}

static int
imap_config_read_path(struct imap_config_reader *r, const struct ikey *k,
    const config_setting_t *st)
{
	char **slot = imap_config_field(r->c, k), *p;
	int rc;

	if ((rc = imap_config_read_str(r, k, st)) != LG_OK)
		return rc;
	if (**slot != '\0') {
		p = config_path(r->cfg, *slot);
		free(*slot);
		*slot = p;
	}
	return LG_OK;
}

static int
imap_config_read_int(struct imap_config_reader *r, const struct ikey *k,
    const config_setting_t *st)
{
	int plain = config_setting_type(st) == CONFIG_TYPE_INT;
	long long v;

	/* libconfig 1.5 wraps large plain integers: take INT64 and check. */
	if (plain)
		v = config_setting_get_int(st);
	else if (config_setting_type(st) == CONFIG_TYPE_INT64)
		v = config_setting_get_int64(st);
	else
		return imap_config_bad(r, st, "%s: expected an integer",
		    k->name);
	if (v < k->min || v > k->max)
		return imap_config_bad(r, st, "%s: %lld is out of range "
		    "%ld..%ld%s", k->name, v, k->min, k->max,
		    plain && v < 0 ? " (beyond 2147483647 write the number "
		    "with an L suffix)" : "");
	*(int *)imap_config_field(r->c, k) = (int)v;
	return LG_OK;
}

static int
imap_config_read_bool(struct imap_config_reader *r, const struct ikey *k,
    const config_setting_t *st)
{
	if (config_setting_type(st) != CONFIG_TYPE_BOOL)
		return imap_config_bad(r, st, "%s: expected true or false",
		    k->name);
	*(int *)imap_config_field(r->c, k) = config_setting_get_bool(st);
	return LG_OK;
}

static int
imap_config_read_enum(struct imap_config_reader *r, const struct ikey *k,
    const config_setting_t *st)
{
	const char *v = config_setting_get_string(st);
	char list[128];
	size_t off = 0;
	int i;

	for (i = 0; v != NULL && k->names[i] != NULL; i++) {
		if (strcmp(v, k->names[i]) == 0) {
			*(int *)imap_config_field(r->c, k) = i;
			return LG_OK;
		}
	}
	list[0] = '\0';
	for (i = 0; k->names[i] != NULL && off < sizeof(list); i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off,
		    "%s\"%s\"", i ? ", " : "", k->names[i]);
	return imap_config_bad(r, st, "%s: expected one of %s", k->name,
	    list);
}

static int
imap_config_folder_set(struct imap_config_reader *r, struct imap_folder *f,
    const char *name, const config_setting_t *st)
{
	struct err why;

	if (*name == '\0')
		return imap_config_bad(r, st, "empty folder name");
	if (imap_utf7_encode(name, &f->wire, &why) != LG_OK)
		return imap_config_bad(r, st, "folder: %s", why.msg);
	f->name = xstrdup(name);
	return LG_OK;
}

static int
imap_config_read_folders(struct imap_config_reader *r, const struct ikey *k,
    const config_setting_t *st)
{
	struct imap_config *c = r->c;
	const char *v;
	int i, n, rc;
	size_t j;

	if (!config_setting_is_array(st) && !config_setting_is_list(st))
		return imap_config_bad(r, st, "folders: expected a list of "
		    "names [ \"INBOX\", ... ]");
	if ((n = config_setting_length(st)) == 0)
		return imap_config_bad(r, st, "folders: the list is empty");
	c->folders = xcalloc((size_t)n, sizeof(*c->folders));
	for (i = 0; i < n; i++) {
		if ((v = config_setting_get_string_elem(st, i)) == NULL)
			return imap_config_bad(r, st, "folders: entry %d is "
			    "not a string", i + 1);
		for (j = 0; j < c->nfolders; j++)
			if (strcmp(c->folders[j].name, v) == 0)
				return imap_config_bad(r, st, "folders: '%s' "
				    "is listed twice", v);
		rc = imap_config_folder_set(r, &c->folders[c->nfolders], v,
		    st);
		if (rc != LG_OK)
			return rc;
		c->nfolders++;
	}
	return LG_OK;
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

static int
imap_config_read_done(struct imap_config_reader *r, const struct ikey *k,
    const config_setting_t *st)
{
	static const char usage[] = "done: expected { keyword = \"...\"; } "
	    "or { move_to = \"folder\"; }";
	const char *kw = NULL, *mv = NULL;
	struct imap_config *c = r->c;

	if (!config_setting_is_group(st) || config_setting_length(st) != 1)
		return imap_config_bad(r, st, "%s", usage);
	config_setting_lookup_string(st, "keyword", &kw);
	config_setting_lookup_string(st, "move_to", &mv);
	if (kw != NULL) {
		if (!imap_config_keyword_ok(kw))
			return imap_config_bad(r, st, "done: keyword '%s' is "
			    "not an IMAP keyword (1-%d printable characters, "
			    "none of ( ) { %% * \" \\ ] or space)", kw,
			    KEYWORD_MAX);
		xstrset(&c->keyword, kw);
		return LG_OK;
	}
	if (mv == NULL)
		return imap_config_bad(r, st, "%s", usage);
	free(c->keyword);
	c->keyword = NULL;
	return imap_config_folder_set(r, &c->move_to, mv, st);
}

static int
imap_config_read_skip(struct imap_config_reader *r, const struct ikey *k,
    const config_setting_t *st)
{
	return LG_OK;
}

#define F(field) offsetof(struct imap_config, field)
static const struct ikey ikeys[] = {
	{ "name", imap_config_read_skip, 0, 0, 0, NULL },
	{ "type", imap_config_read_skip, 0, 0, 0, NULL },
	{ "host", imap_config_read_str, F(host), 0, 0, NULL },
	{ "port", imap_config_read_int, F(port), 1, 65535, NULL },
	{ "tls", imap_config_read_enum, F(tls), 0, 0, tls_names },
	{ "tls_verify", imap_config_read_bool, F(tls_verify), 0, 0, NULL },
	{ "ca_file", imap_config_read_path, F(ca_file), 0, 0, NULL },
	{ "user", imap_config_read_str, F(user), 0, 0, NULL },
	{ "password_file", imap_config_read_path, F(password_file), 0, 0,
	    NULL },
	{ "password_env", imap_config_read_str, F(password_env), 0, 0, NULL },
	{ "auth", imap_config_read_enum, F(auth), 0, 0, auth_names },
	{ "folders", imap_config_read_folders, 0, 0, 0, NULL },
	{ "done", imap_config_read_done, 0, 0, 0, NULL },
	{ "batch", imap_config_read_int, F(batch), 1, 10000, NULL },
	{ "idle", imap_config_read_bool, F(idle), 0, 0, NULL },
	{ "interval", imap_config_read_int, F(interval), 1, 86400, NULL },
	{ "timeout", imap_config_read_int, F(timeout), 1, 3600, NULL },
	{ "max_size", imap_config_read_int, F(max_size), 1024, 1L << 30,
	    NULL },
};
#undef F

static const struct ikey *
imap_config_key(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(ikeys) / sizeof(ikeys[0]); i++)
		if (strcmp(ikeys[i].name, name) == 0)
			return &ikeys[i];
	return NULL;
}

static void
imap_config_defaults(struct imap_config *c, const struct config *cfg)
{
	c->tls = IMAP_TLS_IMPLICIT;
	c->tls_verify = 1;
	c->ca_file = xstrdup(cfg->ca_file ? cfg->ca_file : "");
	c->password_file = xstrdup("");
	c->password_env = xstrdup("");
	c->auth = IMAP_AUTH_LOGIN;
	c->keyword = xstrdup(DEFAULT_KEYWORD);
	c->batch = cfg->ingest.batch;
	c->idle = 1;
	c->interval = 60;
	c->timeout = 60;
	c->max_size = cfg->ingest.max_message_size;
}

/* Checks across settings, each with the block as the place to look. */
static int
imap_config_check_host(struct imap_config_reader *r,
    const config_setting_t *b)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:_";
	struct imap_config *c = r->c;

	if (c->host == NULL || *c->host == '\0')
		return imap_config_bad(r, b, "'host' is required");
	if (c->host[strspn(c->host, ok)] != '\0')
		return imap_config_bad(r, b, "host '%s' is not a host name or "
		    "address", c->host);
	if (c->tls == IMAP_TLS_NONE && strcmp(c->host, "127.0.0.1") != 0)
		return imap_config_bad(r, b, "tls = \"none\" is only allowed "
		    "for host 127.0.0.1 (the password would cross the network "
		    "in clear)");
	if (c->port == 0)
		c->port = c->tls == IMAP_TLS_IMPLICIT ? 993 : 143;
	return LG_OK;
}

static int
imap_config_check_user(struct imap_config_reader *r,
    const config_setting_t *b)
{
	struct imap_config *c = r->c;
	struct err why;
	char *pw;
	int bad;

	if (c->user == NULL || *c->user == '\0')
		return imap_config_bad(r, b, "'user' is required");
	if (*c->password_file == '\0' && *c->password_env == '\0')
		return imap_config_bad(r, b, "a password is required: "
		    "password_file or password_env");
	if (*c->password_file != '\0' && *c->password_env != '\0')
		return imap_config_bad(r, b, "password_file and password_env: "
		    "give one of them");
	/* Read it once now, so a wrong path fails at load, not at 3 a.m. */
	if (secret_read(c->password_file, c->password_env, &pw, &why) !=
	    LG_OK)
		return imap_config_bad(r, b, "%s", why.msg);
	bad = imap_config_has_ctl(pw);
	secret_free(pw);
	if (bad)
		return imap_config_bad(r, b, "the password has control "
		    "characters");
	return LG_OK;
}

static int
imap_config_check_folders(struct imap_config_reader *r,
    const config_setting_t *b)
{
	struct imap_config *c = r->c;
	size_t i;

	if (c->nfolders == 0) {
		c->folders = xcalloc(1, sizeof(*c->folders));
		c->folders[0].name = xstrdup("INBOX");
		c->folders[0].wire = xstrdup("INBOX");
		c->nfolders = 1;
	}
	for (i = 0; c->move_to.name != NULL && i < c->nfolders; i++)
		if (strcmp(c->folders[i].name, c->move_to.name) == 0)
			return imap_config_bad(r, b, "done: move_to '%s' is "
			    "one of the polled folders", c->move_to.name);
	return LG_OK;
}

typedef int imap_config_check_fn(struct imap_config_reader *,
    const config_setting_t *);
static imap_config_check_fn *const imap_config_checks[] = {
	imap_config_check_host,
	imap_config_check_user,
	imap_config_check_folders,
};
#define NCHECKS (sizeof(imap_config_checks) / sizeof(imap_config_checks[0]))

static int
imap_config_read_all(struct imap_config_reader *r,
    const config_setting_t *block)
{
	const config_setting_t *st;
	const struct ikey *k;
	size_t i;
	int n, rc;

	n = config_setting_length(block);
	for (i = 0; i < (size_t)n; i++) {
		st = config_setting_get_elem(block, (unsigned)i);
		if ((k = imap_config_key(config_setting_name(st))) == NULL)
			return imap_config_bad(r, st, "unknown setting '%s'",
			    config_setting_name(st));
		if ((rc = k->read(r, k, st)) != LG_OK)
			return rc;
	}
	for (i = 0; i < NCHECKS; i++)
		if ((rc = imap_config_checks[i](r, block)) != LG_OK)
			return rc;
	return LG_OK;
}

int
imap_config_read(const config_setting_t *block, const struct config *cfg,
    struct imap_config **out, struct err *e)
{
	struct imap_config_reader r;
	const char *name = "?";
	int rc;

	*out = NULL;
	r.c = xcalloc(1, sizeof(*r.c));
	r.cfg = cfg;
	r.e = e;
	config_setting_lookup_string(block, "name", &name);
	r.c->name = xstrdup(name);
	imap_config_defaults(r.c, cfg);
	if ((rc = imap_config_read_all(&r, block)) != LG_OK) {
		imap_config_free(r.c);
		return rc;
	}
	*out = r.c;
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
	free(c->name);
	free(c->host);
	free(c->ca_file);
	free(c->user);
	free(c->password_file);
	free(c->password_env);
	free(c->keyword);
	free(c);
}
