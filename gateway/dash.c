/* The dashboard's frame: sign-in, sessions, CSRF, phrases (see dash.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "util/hex.h"
#include "gateway/apitoken.h"
#include "gateway/dash.h"
#include "gateway/html.h"
#include "gateway/http_api.h"
#include "core/config.h"
#include "core/store.h"
#include "util/passwd.h"
#include "util/xmalloc.h"

#define COOKIE_SESSION "lg_session"
#define COOKIE_LOGIN "lg_login"
#define TOUCH_EVERY 30		/* seconds between writes of "last used" */

static const char *const phrase_keys[DP_N] = {
	"lang", "title", "login", "user", "password", "logout",
	"bad_login", "too_many", "expired", "funnel", "leads",
	"quarantine", "campaigns", "status", "pipeline", "source",
	"all", "since", "until", "show", "open", "won", "lost",
	"total", "phase", "filter", "next", "lead", "history",
	"mails", "attachment", "move", "action", "remark", "note",
	"save", "retry", "drop", "none", "done", "progress",
	"not_found", "assign", "nobody",
};

/*
 * A password hash no user has: an unknown name is checked against it,
 * so that it takes as long as a known one and tells nothing.
 */
static const char dummy_hash[] = "$argon2id$v=19$m=65536,t=3,p=1$"
    "buSxThtB39WvGg0Nyzsj7A$k2x4Z9+hutS3uRB/1ojpLxkxXde+QpIPaVjd5EyW0So";

/* The navigation: path, phrase. */
static const struct {
	const char *path;
	enum dash_phrase label;
} nav[] = {
	{ "/dash", DP_FUNNEL },
	{ "/dash/leads", DP_LEADS },
	{ "/dash/quarantine", DP_QUARANTINE },
	{ "/dash/campaigns", DP_CAMPAIGNS },
	{ "/dash/status", DP_STATUS },
};

static int
ct_equal(const char *a, const char *b)
{
	size_t n = strlen(a), i;
	unsigned char d = 0;

	if (n != strlen(b))
		return 0;
	for (i = 0; i < n; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

/* lang is two or three lower-case letters, so it is safe in a path. */
static int
phrases_read(struct dash_page *p, const char *lang)
{
	char path[4096];
	size_t i, n = strlen(lang);

	if (n < 2 || n > 3 || strspn(lang, "abcdefghijklmnopqrstuvwxyz") != n)
		return -1;
	snprintf(path, sizeof(path), "%s/%s.conf", p->r->env->dash_dir, lang);
	config_init(&p->lc);
	if (config_read_file(&p->lc, path) != CONFIG_TRUE) {
		config_destroy(&p->lc);
		return -1;
	}
	for (i = 0; i < DP_N; i++)
		if (config_lookup_string(&p->lc, phrase_keys[i], &p->ph[i]) !=
		    CONFIG_TRUE) {
			config_destroy(&p->lc);
			return -1;
		}
	p->loaded = 1;
	return 0;
}

/* The user's language, else the browser's first that has a file. */
static int
phrases_load(struct dash_page *p)
{
	const char *al, *s;
	char lang[4];
	size_t n, i;

	if (p->r->sess && p->r->sess->user.language &&
	    phrases_read(p, p->r->sess->user.language) == 0)
		return 0;
	al = http_header_get(p->r, "Accept-Language");
	for (s = al; s && *s; s += strcspn(s, ",") + (s[strcspn(s, ",")] ==
	    ',')) {
		s += strspn(s, " \t");
		n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
		if (n < 2 || n > 3)
			continue;
		for (i = 0; i < n; i++)
			lang[i] = (char)tolower((unsigned char)s[i]);
		lang[n] = '\0';
		if (phrases_read(p, lang) == 0)
			return 0;
	}
	return phrases_read(p, "en");
}

static void
security_headers(struct http_resp *out)
{
	http_set_header(out, "Content-Security-Policy", "default-src 'none'; "
	    "style-src 'unsafe-inline'; img-src 'self' data:; "
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	http_set_header(out, "X-Frame-Options", "DENY");
	http_set_header(out, "Referrer-Policy", "same-origin");
}

int
dash_begin(struct dash_page *p, struct http_req *r, const char *title,
    struct http_resp *out)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->r = r;
	if (phrases_load(p) != 0) {
		http_problem(out, 500, "internal", "the dashboard's phrases "
		    "cannot be read (dash.phrases)");
		return -1;
	}
	buf_adds(&p->b, "<!DOCTYPE html>\n<html lang=\"");
	html_esc(&p->b, p->ph[DP_LANG]);
	buf_adds(&p->b, "\"><head><meta charset=\"utf-8\"><meta "
	    "name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	    "<meta name=\"robots\" content=\"noindex\"><title>");
	if (title) {
		html_esc(&p->b, title);
		buf_adds(&p->b, " - ");
	}
	html_esc(&p->b, p->ph[DP_TITLE]);
	buf_adds(&p->b, "</title>\n");
	html_style(&p->b);
	buf_adds(&p->b, "</head>\n<body><header><b>");
	html_esc(&p->b, p->ph[DP_TITLE]);
	buf_adds(&p->b, "</b>");
	if (r->sess) {
		for (i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
			buf_adds(&p->b, "<a href=\"");
			html_esc(&p->b, nav[i].path);
			buf_adds(&p->b, "\">");
			html_esc(&p->b, p->ph[nav[i].label]);
			buf_adds(&p->b, "</a>");
		}
		buf_adds(&p->b, "<form class=\"inline\" method=\"post\" "
		    "action=\"/dash/logout\">");
		dash_csrf_field(p);
		buf_adds(&p->b, "<span>");
		html_esc(&p->b, r->sess->user.name);
		buf_adds(&p->b, "</span> <button type=\"submit\" "
		    "id=\"logout\">");
		html_esc(&p->b, p->ph[DP_LOGOUT]);
		buf_adds(&p->b, "</button></form>");
	}
	buf_adds(&p->b, "</header>\n<main>");
	if (title) {
		buf_adds(&p->b, "<h1>");
		html_esc(&p->b, title);
		buf_adds(&p->b, "</h1>\n");
	}
	return 0;
}

void
dash_discard(struct dash_page *p)
{
	buf_free(&p->b);
	if (p->loaded)
		config_destroy(&p->lc);
	p->loaded = 0;
}

void
dash_end(struct dash_page *p, struct http_resp *out, int status)
{
	buf_adds(&p->b, "</main></body></html>\n");
	http_body(out, status, "text/html; charset=utf-8", buf_str(&p->b),
	    p->b.len);
	security_headers(out);
	dash_discard(p);
}

void
dash_csrf_field(struct dash_page *p)
{
	if (p->r->sess == NULL)
		return;
	buf_adds(&p->b, "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_esc(&p->b, p->r->sess->csrf);
	buf_adds(&p->b, "\">");
}

void
dash_note(struct dash_page *p, const char *cls, const char *text)
{
	buf_adds(&p->b, "<p class=\"");
	html_esc(&p->b, cls);
	buf_adds(&p->b, "\">");
	html_esc(&p->b, text);
	buf_adds(&p->b, "</p>\n");
}

/* application/x-www-form-urlencoded: + is a space, %XX a byte. */
static char *
form_decode(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%' && i + 2 < n &&
		    (hi = hex_value((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hex_value((unsigned char)s[i + 2])) >= 0) {
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

char *
dash_form(const struct http_req *r, const char *name)
{
	const char *ct = http_header_get(r, "Content-Type"), *s, *eq;
	size_t n, klen = strlen(name);

	if (ct == NULL || strncasecmp(ct, "application/x-www-form-urlencoded",
	    33) != 0)
		return NULL;
	for (s = r->body; *s; s += n + (s[n] == '&')) {
		n = strcspn(s, "&");
		eq = memchr(s, '=', n);
		if (eq && (size_t)(eq - s) == klen && strncmp(s, name,
		    klen) == 0)
			return form_decode(eq + 1, n - klen - 1);
	}
	return NULL;
}

void
dash_redirect(struct http_resp *out, const char *to)
{
	http_body(out, 303, "text/plain; charset=utf-8", "", 0);
	http_set_header(out, "Location", to);
}

static int
cookie_secure(const struct http_req *r)
{
	return r->env->cfg->dash.secure_cookie ||
	    *r->env->cfg->serve.tls_cert != '\0';
}

static void
set_cookie(struct http_req *r, struct http_resp *out, const char *name,
    const char *value, long max_age)
{
	char *c;

	c = xasprintf("%s=%s; Path=/dash; Max-Age=%ld; HttpOnly; "
	    "SameSite=Strict%s", name, value, max_age, cookie_secure(r) ?
	    "; Secure" : "");
	http_set_header(out, "Set-Cookie", c);
	free(c);
}

static const char *
cookie(const struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

struct sess_job {
	const char *hash;
	const char *csrf;
	int64_t user_id;
	int64_t now, idle, made;
	const char *fail_key[2];
	int op;			/* 0 touch, 1 remove, 2 add, 3 failures */
};

static int
sess_save(struct http_req *r, void *arg, struct err *e)
{
	struct sess_job *j = arg;
	struct store *st = r->env->d.st;
	int rc;

	switch (j->op) {
	case 0:
		return store_session_touch(st, j->hash, j->now, e);
	case 1:
		return store_session_remove(st, j->hash, j->idle, j->made, e);
	case 2:
		if ((rc = store_session_remove(st, NULL, j->idle, j->made,
		    e)) != LG_OK)
			return rc;
		return store_session_add(st, j->hash, j->user_id, j->csrf,
		    j->now, e);
	default:
		if ((rc = store_login_fail_add(st, j->fail_key[0], j->now,
		    j->made, e)) != LG_OK)
			return rc;
		return store_login_fail_add(st, j->fail_key[1], j->now,
		    j->made, e);
	}
}

/* A page saying text (a phrase) with status, for refusals. */
static void
refuse(struct http_req *r, struct http_resp *out, int status,
    enum dash_phrase text)
{
	struct dash_page p;

	if (dash_begin(&p, r, NULL, out) != 0)
		return;
	dash_note(&p, "err", p.ph[text]);
	buf_adds(&p.b, "<p><a href=\"/dash/login\">");
	html_esc(&p.b, p.ph[DP_LOGIN]);
	buf_adds(&p.b, "</a></p>\n");
	dash_end(&p, out, status);
}

static int
no_session(struct http_req *r, struct http_resp *out)
{
	if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)
		dash_redirect(out, "/dash/login");
	else
		refuse(r, out, 403, DP_EXPIRED);
	return -1;
}

static void session_clear(struct http_req *);

int
dash_session(struct http_req *r, struct http_resp *out)
{
	const struct config *cfg = r->env->cfg;
	const char *tok = cookie(r, COOKIE_SESSION);
	struct user_session *s;
	struct sess_job j;
	struct http_resp ignore;
	struct err e;
	char *csrf;
	int rc, ok;

	if (tok == NULL || strlen(tok) != APITOKEN_LEN)
		return no_session(r, out);
	apitoken_hash(tok, r->sess_hash, sizeof(r->sess_hash));
	s = xcalloc(1, sizeof(*s));
	err_clear(&e);
	if ((rc = store_session_get(r->env->d.st, r->sess_hash, s, &e)) !=
	    LG_OK) {
		free(s);
		if (rc == LG_ENOENT)
			return no_session(r, out);
		http_problem_err(out, &e);
		return -1;
	}
	memset(&j, 0, sizeof(j));
	j.hash = r->sess_hash;
	j.now = (int64_t)time(NULL);
	memset(&ignore, 0, sizeof(ignore));
	if (j.now - s->seen > cfg->dash.session_idle ||
	    j.now - s->created > cfg->dash.session_max) {
		store_user_session_clear(s);
		free(s);
		j.op = 1;
		(void)api_tx(r, sess_save, &j, &ignore);
		free(ignore.body);
		return no_session(r, out);
	}
	r->sess = s;
	r->cleanup = session_clear;
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
		csrf = dash_form(r, "csrf");
		ok = csrf != NULL && ct_equal(csrf, s->csrf);
		free(csrf);
		if (!ok) {
			refuse(r, out, 403, DP_EXPIRED);
			return -1;
		}
	}
	if (j.now - s->seen >= TOUCH_EVERY) {
		j.op = 0;
		if (api_tx(r, sess_save, &j, out) != 0)
			return -1;
	}
	return 0;
}

static void
session_clear(struct http_req *r)
{
	if (r->sess == NULL)
		return;
	store_user_session_clear(r->sess);
	free(r->sess);
	r->sess = NULL;
}

void
dash_root(struct http_req *r, struct http_resp *out)
{
	(void)r;
	dash_redirect(out, "/dash");
}

/* The sign-in form, with its own token in a cookie and a field. */
static void
login_form(struct http_req *r, struct http_resp *out, int status,
    const char *name, int msg)
{
	char tok[APITOKEN_LEN + 1];
	struct dash_page p;
	struct err e;

	err_clear(&e);
	if (apitoken_new(tok, sizeof(tok), &e) != LG_OK) {
		http_problem_err(out, &e);
		return;
	}
	if (dash_begin(&p, r, NULL, out) != 0)
		return;
	buf_adds(&p.b, "<h1>");
	html_esc(&p.b, p.ph[DP_LOGIN]);
	buf_adds(&p.b, "</h1>\n");
	if (msg >= 0)
		dash_note(&p, "err", p.ph[msg]);
	buf_adds(&p.b, "<form method=\"post\" action=\"/dash/login\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_esc(&p.b, tok);
	buf_adds(&p.b, "\"><p><label>");
	html_esc(&p.b, p.ph[DP_USER]);
	buf_adds(&p.b, "<br><input name=\"user\" id=\"user\" "
	    "autocomplete=\"username\" required value=\"");
	html_esc(&p.b, name ? name : "");
	buf_adds(&p.b, "\"></label></p><p><label>");
	html_esc(&p.b, p.ph[DP_PASSWORD]);
	buf_adds(&p.b, "<br><input name=\"password\" id=\"password\" "
	    "type=\"password\" autocomplete=\"current-password\" required>"
	    "</label></p><p><button type=\"submit\" id=\"signin\">");
	html_esc(&p.b, p.ph[DP_LOGIN]);
	buf_adds(&p.b, "</button></p></form>\n");
	dash_end(&p, out, status);
	set_cookie(r, out, COOKIE_LOGIN, tok, 3600);
}

void
dash_login_page(struct http_req *r, struct http_resp *out)
{
	login_form(r, out, 200, NULL, -1);
}

static void
client_addr(const struct http_req *r, char *out, size_t len)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	snprintf(out, len, "?");
	ci = MHD_get_connection_info(r->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)
		    sa)->sin_addr, out, (socklen_t)len);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)
		    sa)->sin6_addr, out, (socklen_t)len);
}

/*
 * 1 when key had limit failures in the window: dash.login_rate for a
 * name, four times that for an address (an office behind one NAT address
 * is not locked out by one user's typos).
 */
static int
too_many(struct http_req *r, const char *key, long limit, int64_t now,
    struct err *e)
{
	long n = 0;

	if (store_login_fail_count(r->env->d.st, key, now -
	    r->env->cfg->dash.login_window, &n, e) != LG_OK)
		return -1;
	return n >= limit;
}

/* A new session for u: the cookie and the redirect. */
static void
login_ok(struct http_req *r, struct http_resp *out, const struct user *u,
    int64_t now)
{
	const struct config *cfg = r->env->cfg;
	char tok[APITOKEN_LEN + 1], csrf[APITOKEN_LEN + 1];
	char hex[API_HASH_HEX + 1];
	struct sess_job j;
	struct err e;

	err_clear(&e);
	if (apitoken_new(tok, sizeof(tok), &e) != LG_OK ||
	    apitoken_new(csrf, sizeof(csrf), &e) != LG_OK) {
		http_problem_err(out, &e);
		return;
	}
	apitoken_hash(tok, hex, sizeof(hex));
	memset(&j, 0, sizeof(j));
	j.op = 2;
	j.hash = hex;
	j.csrf = csrf + 3;
	j.user_id = u->id;
	j.now = now;
	j.idle = now - cfg->dash.session_idle;
	j.made = now - cfg->dash.session_max;
	if (api_tx(r, sess_save, &j, out) == 0) {
		dash_redirect(out, "/dash");
		set_cookie(r, out, COOKIE_SESSION, tok, cfg->dash.session_max);
		set_cookie(r, out, COOKIE_LOGIN, "", 0);
	}
	explicit_bzero(tok, sizeof(tok));
}

void
dash_login_post(struct http_req *r, struct http_resp *out)
{
	const char *lc = cookie(r, COOKIE_LOGIN);
	char *csrf = dash_form(r, "csrf"), *name = dash_form(r, "user");
	char *pw = dash_form(r, "password");
	char addr[INET6_ADDRSTRLEN], *keys[2] = { NULL, NULL };
	struct sess_job j;
	struct user u;
	struct err e;
	int64_t now = (int64_t)time(NULL);
	int hit, ok;

	memset(&u, 0, sizeof(u));
	if (csrf == NULL || lc == NULL || !ct_equal(csrf, lc)) {
		refuse(r, out, 403, DP_EXPIRED);
		goto out;
	}
	if (name == NULL || pw == NULL || *name == '\0' || strlen(name) > 64) {
		login_form(r, out, 200, NULL, DP_BAD_LOGIN);
		goto out;
	}
	client_addr(r, addr, sizeof(addr));
	keys[0] = xasprintf("user:%s", name);
	keys[1] = xasprintf("addr:%s", addr);
	err_clear(&e);
	if ((hit = too_many(r, keys[0], r->env->cfg->dash.login_rate, now,
	    &e)) == 0)
		hit = too_many(r, keys[1], 4L * r->env->cfg->dash.login_rate,
		    now, &e);
	if (hit < 0) {
		http_problem_err(out, &e);
		goto out;
	}
	if (hit) {
		login_form(r, out, 429, name, DP_TOO_MANY);
		http_set_header(out, "Retry-After", "60");
		goto out;
	}
	if (store_user_get(r->env->d.st, name, &u, &e) == LG_OK)
		ok = passwd_verify(u.hash, pw);
	else {
		(void)passwd_verify(dummy_hash, pw);
		ok = 0;
	}
	if (ok) {
		login_ok(r, out, &u, now);
		goto out;
	}
	memset(&j, 0, sizeof(j));
	j.op = 3;
	j.now = now;
	j.made = now - r->env->cfg->dash.login_window;
	j.fail_key[0] = keys[0];
	j.fail_key[1] = keys[1];
	if (api_tx(r, sess_save, &j, out) == 0)
		login_form(r, out, 200, name, DP_BAD_LOGIN);
out:
	free(u.name);
	free(u.role);
	free(u.hash);
	free(u.language);
	free(u.created_at);
	free(keys[0]);
	free(keys[1]);
	free(csrf);
	free(name);
	if (pw) {
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
}

void
dash_logout(struct http_req *r, struct http_resp *out)
{
	struct sess_job j;

	memset(&j, 0, sizeof(j));
	j.op = 1;
	j.hash = r->sess_hash;
	if (api_tx(r, sess_save, &j, out) != 0)
		return;
	dash_redirect(out, "/dash/login");
	set_cookie(r, out, COOKIE_SESSION, "", 0);
}
