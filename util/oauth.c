#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <jansson.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/oauth.h"
#include "util/oauth_http.h"
#include "util/oauth_jwt.h"
#include "util/secret.h"
#include "util/xmalloc.h"

#define MOD "oauth"
#define OAUTH_TOKEN_MAX 8192
/* What a refused client assertion usually means. */
#define CERT_HINT ": is the certificate registered with the application, " \
	"does the key fit it, is this host's clock right?"
#define DEVICE_GRANT "urn:ietf:params:oauth:grant-type:device_code"

struct oauth {
	char *name, *token_url, *device_url, *authorize_url, *client_id;
	char *secret_file, *secret_env, *scope, *ca_file, *redirect_uri;
	char *state_path, *lock_path, *state_dir;
	char *cert_file, *key_file, *key_env;	/* cert_file "": none */
	int grant, client_basic, timeout, skew, assertion_alg;
	pthread_mutex_t mu;
	char *access;		/* the last token handed out, or NULL */
	int64_t refresh_at;	/* unix time it is to be renewed */
	int needs_login;
	char *refused;		/* oauth_refused(): the grant's refresh
				   token then; NULL when not refused */
	char refused_why[200];
};

/* The state file of a user grant. */
struct oauth_state {
	char *refresh, *access, *scope, *invalid;
	int64_t refresh_at, expires, saved;
};

static void
wipe_free(char *s)
{
	if (s != NULL)
		explicit_bzero(s, strlen(s));
	free(s);
}

static void
state_clear(struct oauth_state *s)
{
	wipe_free(s->refresh);
	wipe_free(s->access);
	free(s->scope);
	free(s->invalid);
	memset(s, 0, sizeof(*s));
}

static char *
dup_or_empty(const char *s)
{
	return xstrdup(s != NULL ? s : "");
}

const char *
oauth_name(const struct oauth *o)
{
	return o->name;
}

int
oauth_user_grant(const struct oauth *o)
{
	return o->grant == OAUTH_GRANT_USER;
}

int
oauth_new(const struct oauth_client *c, struct oauth **out, struct err *e)
{
	struct oauth *o;
	int rc;

	*out = NULL;
	if (c->client_id == NULL || *c->client_id == '\0')
		return err_set(e, LG_EPERM, "oauth '%s': no client_id",
		    c->name);
	if ((rc = oauth_http_url_ok("token_url", c->token_url, e)) != LG_OK ||
	    (c->device_url && *c->device_url && (rc = oauth_http_url_ok(
	    "device_url", c->device_url, e)) != LG_OK) ||
	    (c->authorize_url && *c->authorize_url && (rc = oauth_http_url_ok(
	    "authorize_url", c->authorize_url, e)) != LG_OK))
		return err_prefix(e, "oauth '%s'", c->name);
	if (c->grant == OAUTH_GRANT_USER && (c->state_dir == NULL ||
	    *c->state_dir == '\0'))
		return err_set(e, LG_EPERM, "oauth '%s': no folder for the "
		    "grant", c->name);
	o = xcalloc(1, sizeof(*o));
	o->name = dup_or_empty(c->name);
	o->token_url = dup_or_empty(c->token_url);
	o->device_url = dup_or_empty(c->device_url);
	o->authorize_url = dup_or_empty(c->authorize_url);
	o->client_id = dup_or_empty(c->client_id);
	o->secret_file = dup_or_empty(c->secret_file);
	o->secret_env = dup_or_empty(c->secret_env);
	o->scope = dup_or_empty(c->scope);
	o->ca_file = dup_or_empty(c->ca_file);
	o->redirect_uri = dup_or_empty(c->redirect_uri);
	o->grant = c->grant;
	o->client_basic = c->client_basic;
	o->cert_file = dup_or_empty(c->cert_file);
	o->key_file = dup_or_empty(c->key_file);
	o->key_env = dup_or_empty(c->key_env);
	o->assertion_alg = c->assertion_alg;
	o->timeout = c->timeout > 0 ? c->timeout : 30;
	o->skew = c->skew >= 0 ? c->skew : 60;
	if (c->grant == OAUTH_GRANT_USER) {
		o->state_dir = xstrdup(c->state_dir);
		o->state_path = xasprintf("%s/%s.json", c->state_dir, c->name);
		o->lock_path = xasprintf("%s/%s.lock", c->state_dir, c->name);
	}
	pthread_mutex_init(&o->mu, NULL);
	*out = o;
	return LG_OK;
}

void
oauth_free(struct oauth *o)
{
	if (o == NULL)
		return;
	pthread_mutex_destroy(&o->mu);
	free(o->name);
	free(o->token_url);
	free(o->device_url);
	free(o->authorize_url);
	free(o->client_id);
	free(o->secret_file);
	free(o->secret_env);
	free(o->cert_file);
	free(o->key_file);
	free(o->key_env);
	free(o->scope);
	free(o->ca_file);
	free(o->redirect_uri);
	free(o->state_dir);
	free(o->state_path);
	free(o->lock_path);
	wipe_free(o->access);
	wipe_free(o->refused);
	free(o);
}

/* A token goes into protocol lines and headers: printable, no space. */
static int
token_ok(const char *t)
{
	size_t n = strlen(t);

	if (n == 0 || n >= OAUTH_TOKEN_MAX)
		return 0;
	for (; *t; t++)
		if ((unsigned char)*t <= 0x20 || (unsigned char)*t >= 0x7f)
			return 0;
	return 1;
}

/* The server's error code, if it is a plain word (it goes into messages). */
static void
error_code(json_t *j, char *out, size_t len)
{
	const char *s = json_string_value(json_object_get(j, "error"));

	out[0] = '\0';
	if (s == NULL || strlen(s) >= len || s[strspn(s,
	    "abcdefghijklmnopqrstuvwxyz_")] != '\0')
		return;
	snprintf(out, len, "%s", s);
}

/* What a refused request means (RFC 6749 5.2, RFC 8628 3.5). */
static const struct {
	const char *error;
	int code;
	const char *says;
} oauth_errors[] = {
	{ "invalid_grant", LG_EPERM, "the grant was revoked, expired or "
	    "replaced" },
	{ "invalid_client", LG_EPERM, "the client id or secret was refused" },
	{ "unauthorized_client", LG_EPERM, "the client may not use this "
	    "grant" },
	{ "invalid_scope", LG_EPERM, "the scope was refused" },
	{ "access_denied", LG_EPERM, "the person refused consent" },
	{ "expired_token", LG_EPERM, "the code expired before consent" },
	{ "authorization_pending", LG_ETEMP, "consent is pending" },
	{ "slow_down", LG_ETEMP, "polling too fast" },
	{ "temporarily_unavailable", LG_ETEMP, "temporarily unavailable" },
	{ "server_error", LG_ETEMP, "server error" },
};

/*
 * Certificate credentials (RFC 7523 2.2): a fresh signed assertion whose
 * audience is the token URL. Other endpoints (device authorization) get
 * the client id only, so that an assertion never reaches any other URL.
 */
static int
form_assertion(struct oauth *o, const char *url, struct buf *form,
    struct err *e)
{
	struct oauth_jwt_cred cr = { o->client_id, o->cert_file, o->key_file,
		o->key_env, o->assertion_alg };
	char *jwt, *esc;
	int rc;

	esc = oauth_http_escape(o->client_id);
	buf_printf(form, "&client_id=%s", esc);
	free(esc);
	if (strcmp(url, o->token_url) != 0)
		return LG_OK;
	if ((rc = oauth_jwt_assertion(&cr, o->token_url, &jwt, e)) != LG_OK)
		return rc;
	esc = oauth_http_escape(OAUTH_JWT_BEARER);
	buf_printf(form, "&client_assertion_type=%s", esc);
	free(esc);
	esc = oauth_http_escape(jwt);
	buf_printf(form, "&client_assertion=%s", esc);
	wipe_free(esc);
	oauth_jwt_free(jwt);
	return LG_OK;
}

/*
 * POST form to url (with the client's authentication) and parse the JSON
 * answer of a 2xx into *out. A refusal: its error code into code (may be
 * NULL) and the LG class in the return.
 */
static int
oauth_post(struct oauth *o, const char *url, struct buf *form, json_t **out,
    char *code, size_t codelen, struct err *e)
{
	struct oauth_http_req rq = { url, NULL, NULL, NULL, o->ca_file,
		o->timeout };
	struct buf body = BUF_INIT;
	char *secret = NULL, *esc, *shown, ecode[64] = "", pfx[160] = "";
	json_t *j;
	long status;
	size_t i;
	int rc;

	*out = NULL;
	if (code != NULL)
		code[0] = '\0';
	/* A portal's messages name the connector already. */
	if (o->grant == OAUTH_GRANT_USER)
		snprintf(pfx, sizeof(pfx), "oauth '%s': ", o->name);
	if (*o->cert_file != '\0') {
		if ((rc = form_assertion(o, url, form, e)) != LG_OK)
			return err_prefix(e, "oauth '%s': client certificate",
			    o->name);
	} else if (*o->secret_file != '\0' || *o->secret_env != '\0') {
		if ((rc = secret_read(o->secret_file, o->secret_env, &secret,
		    e)) != LG_OK)
			return err_prefix(e, "oauth '%s': client secret",
			    o->name);
		if (strpbrk(secret, "\r\n") != NULL) {
			secret_free(secret);
			return err_set(e, LG_EPERM, "oauth '%s': the client "
			    "secret holds a line break", o->name);
		}
	}
	if (*o->cert_file != '\0') {
		/* form_assertion() did it. */
	} else if (secret != NULL && o->client_basic) {
		rq.user = o->client_id;
		rq.password = secret;
	} else {
		esc = oauth_http_escape(o->client_id);
		buf_printf(form, "&client_id=%s", esc);
		free(esc);
		if (secret != NULL) {
			esc = oauth_http_escape(secret);
			buf_printf(form, "&client_secret=%s", esc);
			wipe_free(esc);
		}
	}
	rq.form = buf_str(form);
	rc = oauth_http_post(&rq, &status, &body, e);
	secret_free(secret);
	if (rc != LG_OK) {
		buf_free(&body);
		return *pfx ? err_prefix(e, "oauth '%s'", o->name) : rc;
	}
	j = json_loadb(body.data ? body.data : "", body.len,
	    JSON_REJECT_DUPLICATES, NULL);
	if (body.data != NULL)
		explicit_bzero(body.data, body.len);
	buf_free(&body);
	shown = oauth_http_display(url);
	if (status / 100 == 2 && json_is_object(j)) {
		free(shown);
		*out = j;
		return LG_OK;
	}
	error_code(j, ecode, sizeof(ecode));
	json_decref(j);
	if (code != NULL)
		snprintf(code, codelen, "%s", ecode);
	for (i = 0; i < sizeof(oauth_errors) / sizeof(oauth_errors[0]); i++)
		if (strcmp(oauth_errors[i].error, ecode) == 0)
			break;
	if (status / 100 == 2)
		rc = err_set(e, LG_ETEMP, "%s%s: the answer is not a JSON "
		    "object", pfx, shown);
	else if (o->grant == OAUTH_GRANT_CLIENT && (status == 400 ||
	    status == 401 || status == 403))
		/* A portal's client credentials (the words its admins know). */
		rc = err_set(e, LG_EPERM, "%s refused the client %s (%s%s"
		    "HTTP %ld)%s", shown, *o->cert_file ? "certificate "
		    "assertion" : "credentials", ecode, *ecode ? ", " : "",
		    status, *o->cert_file ? CERT_HINT : "");
	else if (*o->cert_file && strcmp(ecode, "invalid_client") == 0)
		rc = err_set(e, LG_EPERM, "%s%s: the client id or certificate "
		    "assertion was refused (%s, HTTP %ld)%s", pfx, shown, ecode,
		    status, CERT_HINT);
	else if (i < sizeof(oauth_errors) / sizeof(oauth_errors[0]))
		rc = err_set(e, oauth_errors[i].code, "%s%s: %s (%s, HTTP %ld)",
		    pfx, shown, oauth_errors[i].says, ecode, status);
	else if (status >= 500 || status == 429 || status == 408)
		rc = err_set(e, LG_ETEMP, "%s%s answered HTTP %ld", pfx, shown,
		    status);
	else
		rc = err_set(e, LG_EPERM, "%s%s refused the client credentials "
		    "(%s%sHTTP %ld)", pfx, shown, ecode, *ecode ? ", " : "",
		    status);
	free(shown);
	return rc;
}

static void
form_add(struct buf *b, const char *name, const char *value)
{
	char *esc = oauth_http_escape(value);

	buf_printf(b, "%s%s=%s", b->len ? "&" : "", name, esc);
	wipe_free(esc);
}

static void
form_free(struct buf *b)
{
	if (b->data != NULL)
		explicit_bzero(b->data, b->len);
	buf_free(b);
}

/*
 * A token answer into s: access token, when to renew it, and a rotated
 * refresh token when the server sent one (RFC 6749 6).
 */
static int
token_accept(struct oauth *o, json_t *j, struct oauth_state *s,
    struct err *e)
{
	const char *acc = json_string_value(json_object_get(j, "access_token"));
	const char *ref = json_string_value(json_object_get(j,
	    "refresh_token"));
	const char *sc = json_string_value(json_object_get(j, "scope"));
	json_t *exp = json_object_get(j, "expires_in");
	int64_t life = 3600, now = (int64_t)time(NULL), early;

	if (acc == NULL || !token_ok(acc))
		return err_set(e, LG_ETEMP, "oauth '%s': the token endpoint's "
		    "answer has no usable access_token", o->name);
	if (ref != NULL && !token_ok(ref))
		return err_set(e, LG_ETEMP, "oauth '%s': the token endpoint's "
		    "refresh_token is not usable", o->name);
	if (json_is_integer(exp) && json_integer_value(exp) > 0)
		life = (int64_t)json_integer_value(exp);
	else if (json_is_string(exp) && atoll(json_string_value(exp)) > 0)
		life = atoll(json_string_value(exp));
	/* Renew early: our clock is not the server's, a poll takes time. */
	early = o->skew < life / 2 ? o->skew : life / 2;
	wipe_free(s->access);
	s->access = xstrdup(acc);
	s->expires = now + life;
	s->refresh_at = now + life - early;
	if (ref != NULL) {
		wipe_free(s->refresh);
		s->refresh = xstrdup(ref);
	}
	if (sc != NULL)
		xstrset(&s->scope, sc);
	free(s->invalid);
	s->invalid = NULL;
	return LG_OK;
}

static int
copy_out(const char *t, char *tok, size_t toklen, struct err *e)
{
	if (strlen(t) >= toklen)
		return err_set(e, LG_EPERM, "oauth: the access token is "
		    "longer than %zu bytes", toklen - 1);
	memcpy(tok, t, strlen(t) + 1);
	return LG_OK;
}

/* ---- the state file ---- */

static int
state_read(struct oauth *o, struct oauth_state *s, struct err *e)
{
	json_error_t je;
	json_t *j;
	const char *v;

	memset(s, 0, sizeof(*s));
	if ((j = json_load_file(o->state_path, JSON_REJECT_DUPLICATES, &je)) ==
	    NULL) {
		if (access(o->state_path, F_OK) != 0 && errno == ENOENT)
			return err_set(e, LG_ENOENT, "oauth '%s': no grant "
			    "yet: run `leadgate oauth login %s`", o->name,
			    o->name);
		return err_set(e, LG_EPERM, "oauth '%s': %s is unreadable: %s "
		    "(line %d)", o->name, o->state_path, je.text, je.line);
	}
#define STR(field, key) \
	if ((v = json_string_value(json_object_get(j, key))) != NULL) \
		s->field = xstrdup(v)
	STR(refresh, "refresh_token");
	STR(access, "access_token");
	STR(scope, "scope");
	STR(invalid, "invalid");
#undef STR
	s->refresh_at = json_integer_value(json_object_get(j, "refresh_at"));
	s->expires = json_integer_value(json_object_get(j, "expires_at"));
	s->saved = json_integer_value(json_object_get(j, "saved_at"));
	json_decref(j);
	if (s->refresh == NULL || !token_ok(s->refresh)) {
		state_clear(s);
		return err_set(e, LG_EPERM, "oauth '%s': %s has no refresh "
		    "token: run `leadgate oauth login %s`", o->name,
		    o->state_path, o->name);
	}
	return LG_OK;
}

static int
fsync_dir(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int
state_dir_make(struct oauth *o, struct err *e)
{
	if (mkdir(o->state_dir, 0700) == 0) {
		/* Its entry in the parent must survive a power cut too. */
		char *slash = strrchr(o->state_dir, '/');
		char *parent = slash == NULL ? xstrdup(".") : slash ==
		    o->state_dir ? xstrdup("/") : xstrndup(o->state_dir,
		    (size_t)(slash - o->state_dir));

		fsync_dir(parent);
		free(parent);
		return LG_OK;
	}
	if (errno == EEXIST)
		return LG_OK;
	return err_set(e, LG_ETEMP, "oauth '%s': mkdir %s: %s", o->name,
	    o->state_dir, strerror(errno));
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * The grant, durably: a temporary file (0600), fsync, rename over the
 * old one, fsync of the folder. A SIGKILL or power cut at any point
 * leaves the old file or the new one, never a mix: the rotated refresh
 * token is on disk before the access token that came with it is used.
 */
static int
state_write(struct oauth *o, struct oauth_state *s, struct err *e)
{
	json_t *j = json_object();
	char *text, *tmp;
	int fd, rc = LG_OK, saved;

	if ((rc = state_dir_make(o, e)) != LG_OK) {
		json_decref(j);
		return rc;
	}
	s->saved = (int64_t)time(NULL);
	json_object_set_new(j, "refresh_token", json_string(s->refresh));
	if (s->access != NULL)
		json_object_set_new(j, "access_token", json_string(s->access));
	json_object_set_new(j, "refresh_at", json_integer(s->refresh_at));
	json_object_set_new(j, "expires_at", json_integer(s->expires));
	json_object_set_new(j, "saved_at", json_integer(s->saved));
	if (s->scope != NULL)
		json_object_set_new(j, "scope", json_string(s->scope));
	if (s->invalid != NULL)
		json_object_set_new(j, "invalid", json_string(s->invalid));
	text = json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_decref(j);
	tmp = xasprintf("%s.tmp.%ld", o->state_path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) < 0 || write_all(fd, text, strlen(text)) != 0 ||
	    write_all(fd, "\n", 1) != 0 || fsync(fd) != 0) {
		saved = errno;
		rc = err_set(e, LG_ETEMP, "oauth '%s': write %s: %s", o->name,
		    tmp, strerror(saved));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
	} else if (close(fd) != 0 || rename(tmp, o->state_path) != 0) {
		rc = err_set(e, LG_ETEMP, "oauth '%s': rename %s: %s",
		    o->name, tmp, strerror(errno));
		unlink(tmp);
	} else if (fsync_dir(o->state_dir) != 0)
		rc = err_set(e, LG_ETEMP, "oauth '%s': fsync %s: %s", o->name,
		    o->state_dir, strerror(errno));
	explicit_bzero(text, strlen(text));
	free(text);
	free(tmp);
	return rc;
}

/* The grant's lock, shared by threads and processes (flock). */
static int
state_lock(struct oauth *o, struct err *e)
{
	int fd, rc;

	if ((rc = state_dir_make(o, e)) != LG_OK)
		return rc;
	if ((fd = open(o->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return err_set(e, LG_ETEMP, "oauth '%s': %s: %s", o->name,
		    o->lock_path, strerror(errno));
	while (flock(fd, LOCK_EX) != 0)
		if (errno != EINTR) {
			close(fd);
			return err_set(e, LG_ETEMP, "oauth '%s': lock %s: %s",
			    o->name, o->lock_path, strerror(errno));
		}
	return fd;
}

static void
state_unlock(int fd)
{
	flock(fd, LOCK_UN);
	close(fd);
}

/* ---- access tokens ---- */

static int
token_client(struct oauth *o, struct err *e)
{
	struct oauth_state s = { 0 };
	struct buf form = BUF_INIT;
	json_t *j;
	int rc;

	form_add(&form, "grant_type", "client_credentials");
	if (*o->scope != '\0')
		form_add(&form, "scope", o->scope);
	rc = oauth_post(o, o->token_url, &form, &j, NULL, 0, e);
	form_free(&form);
	if (rc == LG_OK) {
		rc = token_accept(o, j, &s, e);
		json_decref(j);
	}
	if (rc == LG_OK) {
		wipe_free(o->access);
		o->access = s.access;
		o->refresh_at = s.refresh_at;
		s.access = NULL;
	}
	state_clear(&s);
	return rc;
}

static int
needs_login(struct oauth *o, const char *why, struct err *e)
{
	o->needs_login = 1;
	return err_set(e, LG_EPERM, "oauth '%s': %s: re-authorise with "
	    "`leadgate oauth login %s`", o->name, why, o->name);
}

/* The refresh grant, with the file locked; s is the file's state. */
static int
token_refresh(struct oauth *o, struct oauth_state *s, struct err *e)
{
	struct buf form = BUF_INIT;
	char code[64];
	json_t *j;
	int rc, rotated;

	form_add(&form, "grant_type", "refresh_token");
	form_add(&form, "refresh_token", s->refresh);
	if (*o->scope != '\0')
		form_add(&form, "scope", o->scope);
	rc = oauth_post(o, o->token_url, &form, &j, code, sizeof(code), e);
	form_free(&form);
	if (rc == LG_EPERM && strcmp(code, "invalid_grant") == 0) {
		/* Remember it: no one asks again with a dead grant. */
		xstrset(&s->invalid, code);
		wipe_free(s->access);
		s->access = NULL;
		state_write(o, s, NULL);
		return needs_login(o, "the grant was revoked or expired "
		    "(invalid_grant)", e);
	}
	if (rc != LG_OK)
		return rc;
	rotated = json_is_string(json_object_get(j, "refresh_token"));
	rc = token_accept(o, j, s, e);
	json_decref(j);
	if (rc == LG_OK)
		rc = state_write(o, s, e);
	if (rc == LG_OK)
		log_info(MOD, "%s: access token renewed%s", o->name,
		    rotated ? " (refresh token rotated)" : "");
	return rc;
}

static int
token_user(struct oauth *o, int force, struct err *e)
{
	struct oauth_state s;
	int64_t now = (int64_t)time(NULL);
	int fd, rc;

	if ((fd = state_lock(o, e)) < 0)
		return fd;
	if ((rc = state_read(o, &s, e)) != LG_OK) {
		state_unlock(fd);
		if (rc == LG_ENOENT)
			return needs_login(o, "no grant yet", e);
		return rc;
	}
	if (s.invalid != NULL) {
		rc = needs_login(o, "the grant was revoked or expired "
		    "(invalid_grant)", e);
	} else if (s.access != NULL && now < s.refresh_at && !(force &&
	    o->access != NULL && strcmp(o->access, s.access) == 0)) {
		/* Another user of the grant renewed it already. */
		rc = LG_OK;
	} else
		rc = token_refresh(o, &s, e);
	state_unlock(fd);
	if (rc == LG_OK) {
		o->needs_login = 0;
		wipe_free(o->access);
		o->access = s.access;
		o->refresh_at = s.refresh_at;
		s.access = NULL;
	}
	state_clear(&s);
	return rc;
}

/*
 * After oauth_refused(): still the same grant (no new login since)?
 * Then LG_EPERM without asking anyone.
 */
static int
still_refused(struct oauth *o, struct err *e)
{
	struct oauth_state s;
	struct err why;
	int same;

	if (o->refused == NULL)
		return LG_OK;
	if (state_read(o, &s, &why) != LG_OK)
		same = 1;
	else {
		same = strcmp(s.refresh, o->refused) == 0;
		state_clear(&s);
	}
	if (!same) {
		wipe_free(o->refused);
		o->refused = NULL;
		o->needs_login = 0;
		return LG_OK;
	}
	return err_set(e, LG_EPERM, "oauth '%s': %s: re-authorise with "
	    "`leadgate oauth login %s`", o->name, o->refused_why, o->name);
}

void
oauth_refused(struct oauth *o, const char *why)
{
	struct oauth_state s;
	struct err e;

	if (o->grant != OAUTH_GRANT_USER)
		return;
	pthread_mutex_lock(&o->mu);
	if (state_read(o, &s, &e) == LG_OK) {
		wipe_free(o->refused);
		o->refused = xstrdup(s.refresh);
		o->needs_login = 1;
		snprintf(o->refused_why, sizeof(o->refused_why), "%s", why);
		state_clear(&s);
	}
	pthread_mutex_unlock(&o->mu);
}

int
oauth_token(struct oauth *o, int force, char *tok, size_t toklen,
    struct err *e)
{
	int rc;

	pthread_mutex_lock(&o->mu);
	if ((rc = still_refused(o, e)) != LG_OK) {
		pthread_mutex_unlock(&o->mu);
		return rc;
	}
	if (force || o->access == NULL ||
	    (int64_t)time(NULL) >= o->refresh_at)
		rc = o->grant == OAUTH_GRANT_CLIENT ? token_client(o, e) :
		    token_user(o, force, e);
	if (rc == LG_OK)
		rc = copy_out(o->access, tok, toklen, e);
	pthread_mutex_unlock(&o->mu);
	return rc;
}

int
oauth_bearer_token(void *arg, int force, char *tok, size_t toklen,
    struct err *e)
{
	return oauth_token(arg, force, tok, toklen, e);
}

int
oauth_needs_login(struct oauth *o)
{
	int v;

	pthread_mutex_lock(&o->mu);
	v = o->needs_login;
	pthread_mutex_unlock(&o->mu);
	return v;
}

/* A grant from a login (device or code): replaces whatever was there. */
static int
grant_store(struct oauth *o, json_t *j, struct err *e)
{
	struct oauth_state s = { 0 };
	int fd, rc;

	if ((rc = token_accept(o, j, &s, e)) != LG_OK)
		return rc;
	if (s.refresh == NULL) {
		state_clear(&s);
		return err_set(e, LG_EPERM, "oauth '%s': the server gave no "
		    "refresh token (does the scope ask for offline access?)",
		    o->name);
	}
	if ((fd = state_lock(o, e)) < 0) {
		state_clear(&s);
		return fd;
	}
	rc = state_write(o, &s, e);
	state_unlock(fd);
	pthread_mutex_lock(&o->mu);
	o->needs_login = 0;
	wipe_free(o->access);
	o->access = NULL;
	pthread_mutex_unlock(&o->mu);
	state_clear(&s);
	return rc;
}

/* ---- device authorization grant (RFC 8628) ---- */

void
oauth_device_clear(struct oauth_device *d)
{
	wipe_free(d->device_code);
	free(d->user_code);
	free(d->verification_uri);
	free(d->verification_uri_complete);
	memset(d, 0, sizeof(*d));
}

static char *
json_dup(json_t *j, const char *key)
{
	const char *v = json_string_value(json_object_get(j, key));

	return v != NULL ? xstrdup(v) : NULL;
}

int
oauth_device_start(struct oauth *o, struct oauth_device *d, struct err *e)
{
	struct buf form = BUF_INIT;
	json_t *j, *v;
	int rc;

	memset(d, 0, sizeof(*d));
	if (*o->device_url == '\0')
		return err_set(e, LG_EPERM, "oauth '%s': the provider has no "
		    "device_url: use --browser", o->name);
	if (*o->scope != '\0')
		form_add(&form, "scope", o->scope);
	else
		buf_adds(&form, "");
	rc = oauth_post(o, o->device_url, &form, &j, NULL, 0, e);
	form_free(&form);
	if (rc != LG_OK)
		return rc;
	d->device_code = json_dup(j, "device_code");
	d->user_code = json_dup(j, "user_code");
	/* Google still says verification_url. */
	if ((d->verification_uri = json_dup(j, "verification_uri")) == NULL)
		d->verification_uri = json_dup(j, "verification_url");
	d->verification_uri_complete = json_dup(j,
	    "verification_uri_complete");
	v = json_object_get(j, "interval");
	d->interval = json_is_integer(v) && json_integer_value(v) > 0 &&
	    json_integer_value(v) < 600 ? (int)json_integer_value(v) : 5;
	v = json_object_get(j, "expires_in");
	d->expires_in = json_is_integer(v) && json_integer_value(v) > 0 ?
	    (int)json_integer_value(v) : 900;
	json_decref(j);
	if (d->device_code == NULL || d->user_code == NULL ||
	    d->verification_uri == NULL || !token_ok(d->device_code)) {
		oauth_device_clear(d);
		return err_set(e, LG_ETEMP, "oauth '%s': the device endpoint's "
		    "answer lacks device_code, user_code or verification_uri",
		    o->name);
	}
	return LG_OK;
}

static void
sleep_s(int s, volatile sig_atomic_t *stop)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	int i;

	for (i = 0; i < s * 10 && !(stop && *stop); i++)
		nanosleep(&ts, NULL);
}

int
oauth_device_wait(struct oauth *o, struct oauth_device *d,
    volatile sig_atomic_t *stop, struct err *e)
{
	time_t end = time(NULL) + d->expires_in;
	struct buf form = BUF_INIT;
	char code[64];
	json_t *j;
	int rc;

	for (;;) {
		sleep_s(d->interval, stop);
		if (stop != NULL && *stop)
			return err_set(e, LG_ETEMP, "oauth '%s': interrupted",
			    o->name);
		if (time(NULL) > end)
			return err_set(e, LG_EPERM, "oauth '%s': the code "
			    "expired before consent", o->name);
		form_add(&form, "grant_type", DEVICE_GRANT);
		form_add(&form, "device_code", d->device_code);
		rc = oauth_post(o, o->token_url, &form, &j, code, sizeof(code),
		    e);
		form_free(&form);
		if (rc == LG_OK)
			break;
		if (strcmp(code, "authorization_pending") == 0)
			continue;
		if (strcmp(code, "slow_down") == 0) {
			d->interval += 5;	/* RFC 8628 3.5 */
			continue;
		}
		return rc;
	}
	rc = grant_store(o, j, e);
	json_decref(j);
	return rc;
}

/* ---- authorization code with PKCE (RFC 7636) ---- */

static char *
random_b64url(size_t n)
{
	unsigned char r[64];
	char *s;

	if (n > sizeof(r) || gnutls_rnd(GNUTLS_RND_KEY, r, n) != 0)
		log_fatalx(MOD, "no random bytes");
	s = oauth_jwt_b64url(r, n);
	explicit_bzero(r, sizeof(r));
	return s;
}

void
oauth_pkce_clear(struct oauth_pkce *p)
{
	wipe_free(p->verifier);
	free(p->state);
	free(p->url);
	free(p->redirect_uri);
	memset(p, 0, sizeof(*p));
}

int
oauth_pkce_start(struct oauth *o, struct oauth_pkce *p, struct err *e)
{
	const char *redirect_uri = o->redirect_uri;
	unsigned char sum[32];
	char *challenge;
	struct buf q = BUF_INIT;

	memset(p, 0, sizeof(*p));
	if (*o->authorize_url == '\0')
		return err_set(e, LG_EPERM, "oauth '%s': the provider has no "
		    "authorize_url: use --device", o->name);
	if (*redirect_uri == '\0')
		return err_set(e, LG_EPERM, "oauth '%s': no redirect_uri",
		    o->name);
	p->verifier = random_b64url(32);	/* 43 characters */
	p->state = random_b64url(16);
	p->redirect_uri = xstrdup(redirect_uri);
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, p->verifier,
	    strlen(p->verifier), sum) != 0)
		log_fatalx(MOD, "SHA-256 failed");
	challenge = oauth_jwt_b64url(sum, sizeof(sum));
	form_add(&q, "response_type", "code");
	form_add(&q, "client_id", o->client_id);
	form_add(&q, "redirect_uri", redirect_uri);
	if (*o->scope != '\0')
		form_add(&q, "scope", o->scope);
	form_add(&q, "state", p->state);
	form_add(&q, "code_challenge", challenge);
	form_add(&q, "code_challenge_method", "S256");
	p->url = xasprintf("%s%c%s", o->authorize_url,
	    strchr(o->authorize_url, '?') ? '&' : '?', buf_str(&q));
	buf_free(&q);
	free(challenge);
	return LG_OK;
}

int
oauth_pkce_finish(struct oauth *o, const struct oauth_pkce *p,
    const char *code, const char *state, struct err *e)
{
	struct buf form = BUF_INIT;
	json_t *j;
	int rc;

	if (state == NULL || strcmp(state, p->state) != 0)
		return err_set(e, LG_EPERM, "oauth '%s': the answer's state "
		    "does not match the request (not this login?)", o->name);
	form_add(&form, "grant_type", "authorization_code");
	form_add(&form, "code", code);
	form_add(&form, "redirect_uri", p->redirect_uri);
	form_add(&form, "code_verifier", p->verifier);
	rc = oauth_post(o, o->token_url, &form, &j, NULL, 0, e);
	form_free(&form);
	if (rc != LG_OK)
		return rc;
	rc = grant_store(o, j, e);
	json_decref(j);
	return rc;
}

int
oauth_status(struct oauth *o, struct oauth_status *st, struct err *e)
{
	struct oauth_state s;
	struct err why;
	int rc;

	memset(st, 0, sizeof(*st));
	if (o->grant != OAUTH_GRANT_USER)
		return LG_OK;
	if ((rc = state_read(o, &s, &why)) != LG_OK) {
		if (rc == LG_ENOENT)
			return LG_OK;
		return err_set(e, rc, "%s", why.msg);
	}
	st->have_grant = 1;
	st->needs_login = s.invalid != NULL;
	st->saved = s.saved;
	st->expires = s.access != NULL ? s.expires : 0;
	if (s.invalid != NULL)
		snprintf(st->why, sizeof(st->why), "%s", s.invalid);
	if (s.scope != NULL)
		snprintf(st->scope, sizeof(st->scope), "%s", s.scope);
	state_clear(&s);
	return LG_OK;
}
