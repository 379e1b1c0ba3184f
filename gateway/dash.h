/*
 * The dashboard's frame: sign-in, sessions, CSRF, phrases and the page
 * around every dashboard view (the views are dash_pages.c).
 *
 * A session is 32 random bytes in the cookie lg_session (HttpOnly,
 * SameSite=Strict, Path=/dash, Secure with serve.tls_* or
 * dash.secure_cookie); the store keeps only its SHA-256, with the user,
 * a CSRF token, and when it was made and last used: a session idle longer
 * than dash.session_idle or older than dash.session_max is gone, and
 * sign-out deletes it in the store. Routes of scope HTTP_SESSION have
 * dash_session() for their guard: without a live session a GET is sent to the
 * sign-in page (303) and anything else refused (403); every POST must
 * carry the session's CSRF token in the form field "csrf" (compared in
 * constant time). The sign-in form carries its own token, a
 * double-submitted cookie. Failed sign-ins count per user name and per
 * address: dash.login_rate of them for a name (four times that for an
 * address) within dash.login_window seconds and the next are refused
 * (429) without checking the password. Only an admin drops a quarantined
 * inquiry; everything else is open to every user.
 *
 * Phrases are data files, dash.phrases/LANG.conf (etc/dash/): the user's
 * language, else the first of Accept-Language that has a file, else en.
 */
#ifndef LG_DASH_H
#define LG_DASH_H

#include <libconfig.h>

#include "gateway/http.h"
#include "util/buf.h"

enum dash_phrase {
	DP_LANG, DP_TITLE, DP_LOGIN, DP_USER, DP_PASSWORD, DP_LOGOUT,
	DP_BAD_LOGIN, DP_TOO_MANY, DP_EXPIRED, DP_FUNNEL, DP_LEADS,
	DP_QUARANTINE, DP_CAMPAIGNS, DP_STATUS, DP_PIPELINE, DP_SOURCE,
	DP_ALL, DP_SINCE, DP_UNTIL, DP_SHOW, DP_OPEN, DP_WON, DP_LOST,
	DP_TOTAL, DP_PHASE, DP_FILTER, DP_NEXT, DP_LEAD, DP_HISTORY,
	DP_MAILS, DP_ATTACHMENT, DP_MOVE, DP_ACTION, DP_REMARK, DP_NOTE,
	DP_SAVE, DP_RETRY, DP_DROP, DP_NONE, DP_DONE, DP_PROGRESS,
	DP_NOT_FOUND, DP_ASSIGN, DP_NOBODY, DP_N
};

/* A page being written. */
struct dash_page {
	struct http_req *r;
	struct buf b;
	config_t lc;
	int loaded;
	const char *ph[DP_N];
};

/* The guard of every HTTP_SESSION route: the session, or the answer. */
int dash_session(struct http_req *r, struct http_resp *out);

/*
 * Start a page: phrases, <head>, the navigation (with sign-out when
 * signed in) and <h1>title</h1> (NULL: none). -1 when the phrases
 * cannot be read (the problem is set).
 */
int dash_begin(struct dash_page *p, struct http_req *r, const char *title,
    struct http_resp *out);
/* Close the page and answer it with status. */
void dash_end(struct dash_page *p, struct http_resp *out, int status);
/* Drop a begun page (no answer). */
void dash_discard(struct dash_page *p);
/* A hidden field with the session's CSRF token. */
void dash_csrf_field(struct dash_page *p);
/* A paragraph of class cls ("msg", "err") saying text, escaped. */
void dash_note(struct dash_page *p, const char *cls, const char *text);

/* The form field name of the body, decoded, to free; NULL: absent. */
char *dash_form(const struct http_req *r, const char *name);
/* 303 See Other to a path of ours. */
void dash_redirect(struct http_resp *out, const char *to);

/* The routes of this file. */
void dash_root(struct http_req *r, struct http_resp *out);
void dash_login_page(struct http_req *r, struct http_resp *out);
void dash_login_post(struct http_req *r, struct http_resp *out);
void dash_logout(struct http_req *r, struct http_resp *out);

#endif
