/* One-click unsubscribe pages (see http_unsub.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "gateway/http_api.h"
#include "gateway/http_unsub.h"
#include "core/contact.h"
#include "core/store.h"
#include "outbound/unsub.h"
#include "templates/mustache.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* The phrases of one page, in the order of the files' keys. */
enum phrase { PH_LANG, PH_TITLE, PH_CONFIRM, PH_BUTTON, PH_DONE,
    PH_ALREADY, PH_N };
static const char *const phrase_keys[PH_N] = { "lang", "title", "confirm",
    "button", "done", "already" };

struct phrases {
	config_t lc;
	const char *v[PH_N];
};

/* lang is two or three lower-case letters, so it is safe in a path. */
static int
phrases_read(const char *dir, const char *lang, struct phrases *p)
{
	char path[4096];
	size_t i;

	if (strlen(lang) < 2 || strlen(lang) > 3 || strspn(lang,
	    "abcdefghijklmnopqrstuvwxyz") != strlen(lang))
		return -1;
	snprintf(path, sizeof(path), "%s/%s.conf", dir, lang);
	config_init(&p->lc);
	if (config_read_file(&p->lc, path) != CONFIG_TRUE) {
		config_destroy(&p->lc);
		return -1;
	}
	for (i = 0; i < PH_N; i++)
		if (config_lookup_string(&p->lc, phrase_keys[i], &p->v[i]) !=
		    CONFIG_TRUE) {
			config_destroy(&p->lc);
			return -1;
		}
	return 0;
}

/* The contact's language, else English. */
static int
phrases_for(struct http_req *r, int64_t contact_id, struct phrases *p)
{
	struct contact *c = NULL;
	char lang[8] = "en";
	size_t i;

	if (store_contact_get(r->env->d.st, contact_id, &c, NULL) == LG_OK &&
	    c->language && strlen(c->language) < sizeof(lang)) {
		for (i = 0; c->language[i]; i++)
			lang[i] = (char)tolower((unsigned char)c->language[i]);
		lang[i] = '\0';
	}
	contact_free(c);
	if (phrases_read(r->env->phrases_dir, lang, p) == 0 ||
	    phrases_read(r->env->phrases_dir, "en", p) == 0)
		return 0;
	return -1;
}

static void
esc(struct buf *b, const char *s)
{
	mustache_escape_html(b, s, strlen(s));
}

/* The page: a paragraph, and on the GET page the button that POSTs. */
static void
page(struct http_resp *out, const struct phrases *p, enum phrase text,
    int button)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "<!DOCTYPE html>\n<html lang=\"");
	esc(&b, p->v[PH_LANG]);
	buf_adds(&b, "\"><head><meta charset=\"utf-8\"><meta name=\"robots\" "
	    "content=\"noindex\"><title>");
	esc(&b, p->v[PH_TITLE]);
	buf_adds(&b, "</title></head>\n<body><h1>");
	esc(&b, p->v[PH_TITLE]);
	buf_adds(&b, "</h1>\n<p>");
	esc(&b, p->v[text]);
	buf_adds(&b, "</p>\n");
	if (button) {
		/* An empty action posts to this very URL. */
		buf_adds(&b, "<form method=\"post\" action=\"\"><input "
		    "type=\"hidden\" name=\"List-Unsubscribe\" "
		    "value=\"One-Click\"><button type=\"submit\">");
		esc(&b, p->v[PH_BUTTON]);
		buf_adds(&b, "</button></form>\n");
	}
	buf_adds(&b, "</body></html>\n");
	http_body(out, 200, "text/html; charset=utf-8", buf_str(&b), b.len);
	buf_free(&b);
	/* The token is in the URL: keep it out of other sites' logs. */
	http_set_header(out, "Referrer-Policy", "no-referrer");
}

static int
token_contact(struct http_req *r, int64_t *id, struct http_resp *out)
{
	struct err e;

	if (!unsub_token_ok(r->params[0])) {
		http_problem(out, 400, "bad-token", "that is not an "
		    "unsubscribe token");
		return -1;
	}
	err_clear(&e);
	if (store_contact_by_unsub_token(r->env->d.st, r->params[0], id,
	    &e) != LG_OK) {
		if (e.code == LG_ENOENT)
			http_problem(out, 404, "not-found", "unknown "
			    "unsubscribe token");
		else
			http_problem_err(out, &e);
		return -1;
	}
	return 0;
}

static void
phrases_fail(struct http_resp *out)
{
	http_problem(out, 500, "internal", "the unsubscribe page's phrases "
	    "cannot be read (serve.phrases)");
}

void
unsub_page(struct http_req *r, struct http_resp *out)
{
	struct phrases p;
	int64_t id;

	if (token_contact(r, &id, out) != 0)
		return;
	if (phrases_for(r, id, &p) != 0) {
		phrases_fail(out);
		return;
	}
	page(out, &p, PH_CONFIRM, 1);
	config_destroy(&p.lc);
}

struct unsub_job {
	struct unsub_result res;
};

static int
unsub_save(struct http_req *r, void *arg, struct err *e)
{
	struct unsub_job *j = arg;

	return unsub_token(&r->env->d, r->params[0], "link", &j->res, e);
}

void
unsub_post(struct http_req *r, struct http_resp *out)
{
	struct unsub_job j;
	struct phrases p;
	int64_t id;
	int already = 1;
	size_t i;

	if (token_contact(r, &id, out) != 0)
		return;
	memset(&j, 0, sizeof(j));
	if (api_tx(r, unsub_save, &j, out) != 0) {
		unsub_result_clear(&j.res);
		return;
	}
	for (i = 0; i < j.res.n; i++)
		already &= j.res.v[i].already;
	unsub_result_clear(&j.res);
	if (phrases_for(r, id, &p) != 0) {
		phrases_fail(out);
		return;
	}
	page(out, &p, already ? PH_ALREADY : PH_DONE, 0);
	config_destroy(&p.lc);
}
