#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libetpan/libetpan.h>

#include "connectors/imap_oauth.h"
#include "connectors/imap_session.h"
#include "connectors/imap_stream.h"
#include "util/log.h"
#include "util/oauth.h"
#include "util/secret.h"
#include "util/xmalloc.h"

#define MOD "imap"
/* RFC 2177: re-issue IDLE before 29 minutes; keep a margin for slow links. */
#define IDLE_ROUND_MS (25 * 60 * 1000)
/* How soon a set *stop is noticed while idling. */
#define IDLE_SLICE_MS 500
/* Bytes asked for in one UID FETCH: libetpan holds a whole response. */
#define FETCH_BUDGET (8u << 20)

struct imap_session {
	mailimap *imap;
	const struct imap_config *cfg;
	struct oauth *oauth;	/* auth = xoauth2 | oauthbearer */
	int broken;		/* a network error: close, do not reuse */
	int preauth;
	int has_idle, has_move, has_uidplus;
};

/* libetpan results that mean the connection is gone or unusable. */
static const struct {
	int code;
	const char *what;
} imap_net_errors[] = {
	{ MAILIMAP_ERROR_STREAM, "connection lost or timed out" },
	{ MAILIMAP_ERROR_PARSE, "unreadable server response" },
	{ MAILIMAP_ERROR_CONNECTION_REFUSED, "cannot connect" },
	{ MAILIMAP_ERROR_MEMORY, "out of memory in libetpan" },
	{ MAILIMAP_ERROR_FATAL, "the server ended the session" },
	{ MAILIMAP_ERROR_PROTOCOL, "protocol error" },
	{ MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION, "the server refused the "
	    "connection" },
	{ MAILIMAP_ERROR_SSL, "TLS handshake failed" },
	{ MAILIMAP_ERROR_STARTTLS, "STARTTLS failed" },
	{ MAILIMAP_ERROR_BAD_STATE, "command in the wrong protocol state" },
};

int64_t
imap_session_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The server's last response text, made safe for one log line. */
static void
imap_session_said(const struct imap_session *s, char *out, size_t len)
{
	const char *r = s->imap ? s->imap->imap_response : NULL;
	size_t i;

	if (r == NULL || *r == '\0')
		r = "no reason given";
	for (i = 0; i + 1 < len && r[i]; i++)
		out[i] = (unsigned char)r[i] < 0x20 || r[i] == 0x7f ? '?' :
		    r[i];
	out[i] = '\0';
}

/*
 * Map a libetpan result. Network-class errors break the session and are
 * LG_ETEMP; a tagged NO or BAD keeps it and gets refused_code.
 */
static int
imap_session_fail(struct imap_session *s, int r, const char *what,
    int refused_code, struct err *e)
{
	const struct imap_config *c = s->cfg;
	char said[200];
	size_t i;

	for (i = 0; i < sizeof(imap_net_errors) / sizeof(imap_net_errors[0]);
	    i++) {
		if (imap_net_errors[i].code != r)
			continue;
		s->broken = 1;
		if (r == MAILIMAP_ERROR_STREAM && s->imap != NULL &&
		    imap_stream_closed(s->imap->imap_stream))
			return err_set(e, LG_ETEMP, "%s:%d: %s: the server "
			    "closed the connection", c->host, c->port, what);
		if (r == MAILIMAP_ERROR_STREAM)
			return err_set(e, LG_ETEMP, "%s:%d: %s: %s (timeout "
			    "%d s)", c->host, c->port, what,
			    imap_net_errors[i].what, c->timeout);
		return err_set(e, LG_ETEMP, "%s:%d: %s: %s", c->host, c->port,
		    what, imap_net_errors[i].what);
	}
	imap_session_said(s, said, sizeof(said));
	return err_set(e, refused_code, "%s:%d: %s refused: %s", c->host,
	    c->port, what, said);
}

static int
imap_session_greeted(struct imap_session *s, int r, const char *what,
    struct err *e)
{
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED)
		return imap_session_fail(s, r, what, LG_ETEMP, e);
	s->preauth = r == MAILIMAP_NO_ERROR_AUTHENTICATED;
	return LG_OK;
}

/*
 * TCP, TLS first when implicit, and the greeting, all through our own
 * stream (imap_stream.h): libetpan's waits with select().
 */
static int
imap_session_dial(struct imap_session *s, int implicit, struct err *e)
{
	const struct imap_config *c = s->cfg;
	mailstream *st;
	int rc;

	rc = imap_stream_connect(c->host, c->port, c->timeout, &st, e);
	if (rc != LG_OK) {
		s->broken = 1;
		return rc;
	}
	if (implicit && (rc = imap_stream_tls(st, c->host, e)) != LG_OK) {
		mailstream_close(st);
		s->broken = 1;
		return err_prefix(e, "%s:%d", c->host, c->port);
	}
	/* libetpan owns st from here, also when the greeting fails. */
	return imap_session_greeted(s, mailimap_connect(s->imap, st),
	    implicit ? "connect (implicit TLS)" : "connect", e);
}

static int
imap_session_connect_implicit(struct imap_session *s, struct err *e)
{
	return imap_session_dial(s, 1, e);
}

static int
imap_session_connect_starttls(struct imap_session *s, struct err *e)
{
	const struct imap_config *c = s->cfg;
	struct mailimap_capability_data *cap = NULL;
	int r, rc;

	if ((rc = imap_session_dial(s, 0, e)) != LG_OK)
		return rc;
	if (s->preauth) {
		s->broken = 1;
		return err_set(e, LG_EPERM, "%s:%d: the server logged us in "
		    "(PREAUTH) before STARTTLS: refusing a clear-text "
		    "session", c->host, c->port);
	}
	if ((r = mailimap_starttls(s->imap)) != MAILIMAP_NO_ERROR) {
		rc = imap_session_fail(s, r, "STARTTLS", LG_EPERM, e);
		s->broken = 1;
		return rc;
	}
	/* Bytes sent after the OK would pass as encrypted (CVE-2020-15953). */
	if (s->imap->imap_stream->read_buffer_len > 0) {
		s->broken = 1;
		return err_set(e, LG_EPERM, "%s:%d: STARTTLS: the server sent "
		    "data after its OK, before the TLS handshake", c->host,
		    c->port);
	}
	if ((rc = imap_stream_tls(s->imap->imap_stream, c->host, e)) !=
	    LG_OK) {
		s->broken = 1;
		return err_prefix(e, "%s:%d: STARTTLS", c->host, c->port);
	}
	/* What the server said before TLS is not to be trusted: ask again. */
	if ((r = mailimap_capability(s->imap, &cap)) != MAILIMAP_NO_ERROR)
		return imap_session_fail(s, r, "CAPABILITY", LG_ETEMP, e);
	mailimap_capability_data_free(cap);
	return LG_OK;
}

static int
imap_session_connect_plain(struct imap_session *s, struct err *e)
{
	return imap_session_dial(s, 0, e);
}

static const struct {
	int (*connect)(struct imap_session *, struct err *);
	int encrypted;
} imap_tls_modes[] = {
	[IMAP_TLS_IMPLICIT] = { imap_session_connect_implicit, 1 },
	[IMAP_TLS_STARTTLS] = { imap_session_connect_starttls, 1 },
	[IMAP_TLS_NONE] = { imap_session_connect_plain, 0 },
};

static int
imap_session_chain(struct imap_session *s, const struct tls_trust *trust,
    struct err *e)
{
	const struct imap_config *c = s->cfg;
	struct tls_der *der;
	unsigned int i, n;
	carray *ch;
	int rc;

	if ((ch = mailstream_get_certificate_chain(s->imap->imap_stream)) ==
	    NULL)
		return err_set(e, LG_EPERM, "%s:%d: no certificate from the "
		    "server", c->host, c->port);
	n = carray_count(ch);
	der = xcalloc(n ? n : 1, sizeof(*der));
	for (i = 0; i < n; i++) {
		MMAPString *m = carray_get(ch, i);

		der[i].data = (const unsigned char *)m->str;
		der[i].len = m->len;
	}
	rc = tls_trust_verify(trust, der, n, c->host, e);
	free(der);
	mailstream_certificate_chain_free(ch);
	if (rc != LG_OK)
		err_prefix(e, "%s:%d", c->host, c->port);
	return rc;
}

/* Before any password leaves: is this the server we mean? */
static int
imap_session_verify(struct imap_session *s, const struct tls_trust *trust,
    struct err *e)
{
	const struct imap_config *c = s->cfg;
	int rc;

	if (!imap_tls_modes[c->tls].encrypted) {
		log_warn(MOD, "%s: tls = \"none\": %s:%d without encryption",
		    c->name, c->host, c->port);
		return LG_OK;
	}
	if (!c->tls_verify) {
		log_warn(MOD, "%s: the TLS certificate of %s is NOT verified "
		    "(tls_verify = false)", c->name, c->host);
		return LG_OK;
	}
	if ((rc = imap_session_chain(s, trust, e)) != LG_OK)
		s->broken = 1;
	return rc;
}

/*
 * A token instead of a password. Refused: perhaps revoked or expired
 * early at the server, so one fresh token (force) on the same
 * connection; refused again: the grant lacks the scope or the mailbox
 * is not the user's, LG_EPERM with what the server said.
 */
static int
imap_session_oauth(struct imap_session *s, struct err *e)
{
	const struct imap_config *c = s->cfg;
	enum imap_oauth_result res = IMAP_OAUTH_REFUSED;
	char tok[8192], said[200];
	int force, rc;

	for (force = 0; force < 2 && res == IMAP_OAUTH_REFUSED; force++) {
		if ((rc = oauth_token(s->oauth, force, tok, sizeof(tok), e)) !=
		    LG_OK) {
			s->broken = 1;
			return err_prefix(e, "%s", c->name);
		}
		res = imap_oauth_authenticate(s->imap, c, tok, said,
		    sizeof(said), e);
		explicit_bzero(tok, sizeof(tok));
	}
	if (res == IMAP_OAUTH_OK)
		return LG_OK;
	s->broken = 1;
	if (res == IMAP_OAUTH_FAILED)
		return e->code;
	/* A fresh token refused too: a person must look; stop asking. */
	oauth_refused(s->oauth, "the IMAP server refused a fresh token (does "
	    "the grant have the scope for this mailbox?)");
	return err_set(e, LG_EPERM, "%s:%d: AUTHENTICATE %s as %s refused "
	    "twice, with a fresh token too: %s (does the grant '%s' have "
	    "the scope for this mailbox?)", c->host, c->port,
	    c->auth == IMAP_AUTH_XOAUTH2 ? "XOAUTH2" : "OAUTHBEARER", c->user,
	    said, oauth_name(s->oauth));
}

static int
imap_session_login(struct imap_session *s, struct err *e)
{
	const struct imap_config *c = s->cfg;
	char what[300];
	char *pw;
	int r, rc;

	if (s->preauth)
		return LG_OK;
	if (s->oauth != NULL)
		return imap_session_oauth(s, e);
	if ((rc = secret_read(c->password_file, c->password_env, &pw, e)) !=
	    LG_OK)
		return err_prefix(e, "%s: password", c->name);
	if (c->auth == IMAP_AUTH_PLAIN)
		r = mailimap_authenticate(s->imap, "PLAIN", c->host, NULL, NULL,
		    c->user, c->user, pw, NULL);
	else
		r = mailimap_login(s->imap, c->user, pw);
	secret_free(pw);
	if (r == MAILIMAP_NO_ERROR)
		return LG_OK;
	snprintf(what, sizeof(what), "%s as %s", c->auth == IMAP_AUTH_PLAIN ?
	    "AUTHENTICATE PLAIN" : "LOGIN", c->user);
	rc = imap_session_fail(s, r, what, LG_EPERM, e);
	/* Without the SASL plugin this looks just like a wrong password. */
	if (c->auth == IMAP_AUTH_PLAIN && e != NULL)
		snprintf(e->msg + strlen(e->msg), sizeof(e->msg) -
		    strlen(e->msg), " (auth = \"plain\" also needs the "
		    "package libsasl2-modules)");
	s->broken = 1;
	return rc;
}

static int
imap_session_caps(struct imap_session *s, struct err *e)
{
	const struct imap_config *c = s->cfg;
	struct mailimap_capability_data *cap = NULL;
	int r;

	/* Login may change them (Dovecot adds MOVE, UIDPLUS): ask now. */
	if ((r = mailimap_capability(s->imap, &cap)) != MAILIMAP_NO_ERROR)
		return imap_session_fail(s, r, "CAPABILITY", LG_ETEMP, e);
	mailimap_capability_data_free(cap);
	s->has_idle = mailimap_has_idle(s->imap);
	s->has_move = mailimap_has_extension(s->imap, "MOVE");
	s->has_uidplus = mailimap_has_uidplus(s->imap);
	if (c->done == IMAP_DONE_MOVE && !s->has_move && !s->has_uidplus) {
		s->broken = 1;
		return err_set(e, LG_EPERM, "%s:%d: the server offers neither "
		    "MOVE nor UIDPLUS, so done = { move_to } cannot be done "
		    "safely: use done = { keyword = ... } or { seen = true; }",
		    c->host, c->port);
	}
	return LG_OK;
}

int
imap_session_open(const struct imap_config *c, const struct tls_trust *trust,
    struct oauth *oauth, struct imap_session **out, struct err *e)
{
	struct imap_session *s = xcalloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	s->cfg = c;
	s->oauth = oauth;
	if ((s->imap = mailimap_new(0, NULL)) == NULL)
		log_fatalx(MOD, "out of memory for an IMAP session");
	/* Our stream (imap_stream.c) has its own copy of the timeout. */
	mailimap_set_timeout(s->imap, c->timeout);
	if ((rc = imap_tls_modes[c->tls].connect(s, e)) != LG_OK ||
	    (rc = imap_session_verify(s, trust, e)) != LG_OK ||
	    (rc = imap_session_login(s, e)) != LG_OK ||
	    (rc = imap_session_caps(s, e)) != LG_OK) {
		s->broken = 1;
		imap_session_close(s);
		return rc;
	}
	log_info(MOD, "%s: connected to %s:%d as %s%s", c->name, c->host,
	    c->port, c->user, s->has_idle ? " (IDLE)" : "");
	*out = s;
	return LG_OK;
}

void
imap_session_close(struct imap_session *s)
{
	if (s == NULL)
		return;
	/*
	 * LOGOUT waits for the server: not over a dead or untrusted link.
	 * mailimap_free() would send it on any open stream, so close first.
	 */
	if (s->imap->imap_stream != NULL) {
		if (!s->broken)
			mailimap_logout(s->imap);
		else {
			mailstream_close(s->imap->imap_stream);
			s->imap->imap_stream = NULL;
		}
	}
	mailimap_free(s->imap);
	free(s);
}

int
imap_session_broken(const struct imap_session *s)
{
	return s->broken;
}

int
imap_session_has_idle(const struct imap_session *s)
{
	return s->has_idle;
}

int
imap_session_noop(struct imap_session *s, struct err *e)
{
	int r = mailimap_noop(s->imap);

	return r == MAILIMAP_NO_ERROR ? LG_OK :
	    imap_session_fail(s, r, "NOOP", LG_ETEMP, e);
}

/*
 * Is flag (a MAILIMAP_FLAG_* type; kw for a keyword) kept for good in the
 * selected folder? A server may take a STORE it does not keep (Dovecot
 * with an ACL without the "w" right answers OK): the next poll would take
 * the message again.
 */
static int
imap_session_kept(const struct imap_session *s, int flag, const char *kw)
{
	const struct mailimap_selection_info *info =
	    s->imap->imap_selection_info;
	const struct mailimap_flag_perm *p;
	clistiter *it;

	/* RFC 3501: without PERMANENTFLAGS, every flag is permanent. */
	if (info->sel_perm_flags == NULL)
		return 1;
	for (it = clist_begin(info->sel_perm_flags); it; it = clist_next(it)) {
		p = clist_content(it);
		/* \* is about new keywords, not system flags. */
		if (p->fl_type == MAILIMAP_FLAG_PERM_ALL &&
		    flag == MAILIMAP_FLAG_KEYWORD)
			return 1;
		if (p->fl_type != MAILIMAP_FLAG_PERM_FLAG ||
		    p->fl_flag == NULL || p->fl_flag->fl_type != flag)
			continue;
		if (flag != MAILIMAP_FLAG_KEYWORD)
			return 1;
		if (p->fl_flag->fl_data.fl_keyword != NULL &&
		    strcasecmp(p->fl_flag->fl_data.fl_keyword, kw) == 0)
			return 1;
	}
	return 0;
}

/* The done flag the selected folder would not keep, or NULL. */
static const char *
imap_session_unkept(const struct imap_session *s)
{
	const struct imap_config *c = s->cfg;

	if (c->done == IMAP_DONE_KEYWORD &&
	    !imap_session_kept(s, MAILIMAP_FLAG_KEYWORD, c->keyword))
		return c->keyword;
	if (c->seen && !imap_session_kept(s, MAILIMAP_FLAG_SEEN, NULL))
		return "\\Seen";
	return NULL;
}

int
imap_session_select(struct imap_session *s, const struct imap_folder *f,
    int readonly, struct imap_selected *out, struct err *e)
{
	const struct mailimap_selection_info *info;
	char what[300];
	int r;

	snprintf(what, sizeof(what), "%s %s", readonly ? "EXAMINE" : "SELECT",
	    f->name);
	r = readonly ? mailimap_examine(s->imap, f->wire) :
	    mailimap_select(s->imap, f->wire);
	if (r != MAILIMAP_NO_ERROR)
		return imap_session_fail(s, r, what, LG_EPERM, e);
	/* NULL until a select succeeds (LIBS.md section 1). */
	if ((info = s->imap->imap_selection_info) == NULL) {
		s->broken = 1;
		return err_set(e, LG_EINTERNAL, "%s: no selection state after "
		    "%s", s->cfg->host, what);
	}
	if (info->sel_uidvalidity == 0)
		return err_set(e, LG_EPERM, "%s:%d: %s: the server sent no "
		    "UIDVALIDITY", s->cfg->host, s->cfg->port, what);
	out->uidvalidity = info->sel_uidvalidity;
	out->uidnext = info->sel_uidnext;
	out->exists = info->sel_exists;
	out->unkept = readonly ? NULL : imap_session_unkept(s);
	return LG_OK;
}

/* A search key with no arguments (UNDELETED): libetpan has no helper. */
static struct mailimap_search_key *
imap_session_key_plain(int type)
{
	return mailimap_search_key_new(type, NULL, NULL, NULL, NULL, NULL,
	    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL,
	    NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL);
}

static void
imap_session_key_add(struct mailimap_search_key *all,
    struct mailimap_search_key *k)
{
	if (k == NULL || mailimap_search_key_multiple_add(all, k) != 0)
		log_fatalx(MOD, "out of memory for a search key");
}

/* UNDELETED [UID from:*] [NOT KEYWORD kw]: never UNSEEN. */
static struct mailimap_search_key *
imap_session_key_candidates(const struct imap_config *c, uint32_t from)
{
	struct mailimap_search_key *all;
	struct mailimap_set *set;

	if ((all = mailimap_search_key_new_multiple_empty()) == NULL)
		log_fatalx(MOD, "out of memory for a search key");
	imap_session_key_add(all,
	    imap_session_key_plain(MAILIMAP_SEARCH_KEY_UNDELETED));
	if (from > 1) {
		if ((set = mailimap_set_new_interval(from, 0)) == NULL)
			log_fatalx(MOD, "out of memory for a UID set");
		imap_session_key_add(all, mailimap_search_key_new_uid(set));
	}
	if (c->done == IMAP_DONE_KEYWORD)
		imap_session_key_add(all, mailimap_search_key_new_not(
		    mailimap_search_key_new_keyword(xstrdup(c->keyword))));
	return all;
}

static int
imap_session_uid_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int
imap_session_search(struct imap_session *s, uint32_t from,
    struct imap_uids *out, struct err *e)
{
	struct mailimap_search_key *key;
	clist *res = NULL;
	clistiter *it;
	uint32_t uid;
	int r;

	memset(out, 0, sizeof(*out));
	/* From here on, an EXISTS may be a message the search misses. */
	if (s->imap->imap_selection_info != NULL) {
		s->imap->imap_selection_info->sel_has_exists = 0;
		s->imap->imap_selection_info->sel_has_recent = 0;
	}
	key = imap_session_key_candidates(s->cfg, from);
	r = mailimap_uid_search(s->imap, NULL, key, &res);
	mailimap_search_key_free(key);
	if (r != MAILIMAP_NO_ERROR)
		return imap_session_fail(s, r, "UID SEARCH", LG_ETEMP, e);
	out->v = xcalloc((size_t)clist_count(res) + 1, sizeof(*out->v));
	/* "UID n:*" also matches the last message when its UID is below n. */
	for (it = clist_begin(res); it; it = clist_next(it))
		if ((uid = *(uint32_t *)clist_content(it)) >= from)
			out->v[out->n++] = uid;
	mailimap_search_result_free(res);
	qsort(out->v, out->n, sizeof(*out->v), imap_session_uid_cmp);
	return LG_OK;
}

int
imap_session_news(const struct imap_session *s)
{
	const struct mailimap_selection_info *info =
	    s->imap->imap_selection_info;

	return info != NULL && (info->sel_has_exists || info->sel_has_recent);
}

void
imap_session_uids_free(struct imap_uids *u)
{
	if (u == NULL)
		return;
	free(u->v);
	u->v = NULL;
	u->n = 0;
}

/* A UID set of runs of consecutive UIDs (uids ascending). */
static struct mailimap_set *
imap_session_set(const uint32_t *uids, size_t n)
{
	struct mailimap_set *set = mailimap_set_new_empty();
	size_t i, j;

	if (set == NULL)
		log_fatalx(MOD, "out of memory for a UID set");
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && uids[j] == uids[j - 1] + 1; j++)
			;
		if (mailimap_set_add_interval(set, uids[i], uids[j - 1]) != 0)
			log_fatalx(MOD, "out of memory for a UID set");
	}
	return set;
}

/* What one FETCH response item carries for us. */
struct imap_item {
	uint32_t uid;
	uint32_t size;
	const char *body;
	size_t len;
	int has_body;
};

static void
imap_session_item_read(struct mailimap_msg_att *att, struct imap_item *it)
{
	struct mailimap_msg_att_static *st;
	clistiter *c;

	memset(it, 0, sizeof(*it));
	for (c = clist_begin(att->att_list); c; c = clist_next(c)) {
		struct mailimap_msg_att_item *item = clist_content(c);

		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		st = item->att_data.att_static;
		if (st->att_type == MAILIMAP_MSG_ATT_UID)
			it->uid = st->att_data.att_uid;
		else if (st->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE)
			it->size = st->att_data.att_rfc822_size;
		else if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION &&
		    st->att_data.att_body_section != NULL) {
			it->body = st->att_data.att_body_section->sec_body_part;
			it->len = st->att_data.att_body_section->sec_length;
			it->has_body = 1;
		}
	}
}

static struct mailimap_fetch_type *
imap_session_fetch_type(int with_body, uint32_t partial)
{
	struct mailimap_fetch_type *ft;
	struct mailimap_fetch_att *a[3];
	size_t i, n = 0;

	if ((ft = mailimap_fetch_type_new_fetch_att_list_empty()) == NULL)
		log_fatalx(MOD, "out of memory for a fetch");
	a[n++] = mailimap_fetch_att_new_uid();
	a[n++] = mailimap_fetch_att_new_rfc822_size();
	if (with_body && partial)
		a[n++] = mailimap_fetch_att_new_body_peek_section_partial(
		    mailimap_section_new(NULL), 0, partial);
	else if (with_body)
		a[n++] = mailimap_fetch_att_new_body_peek_section(
		    mailimap_section_new(NULL));
	for (i = 0; i < n; i++)
		if (a[i] == NULL ||
		    mailimap_fetch_type_new_fetch_att_list_add(ft, a[i]) != 0)
			log_fatalx(MOD, "out of memory for a fetch");
	return ft;
}

/* One UID FETCH; the caller walks and frees the result. */
static int
imap_session_fetch_once(struct imap_session *s, const uint32_t *uids, size_t n,
    int with_body, uint32_t partial, clist **res, struct err *e)
{
	struct mailimap_fetch_type *ft;
	struct mailimap_set *set;
	int r;

	*res = NULL;
	ft = imap_session_fetch_type(with_body, partial);
	set = imap_session_set(uids, n);
	r = mailimap_uid_fetch(s->imap, set, ft, res);
	mailimap_set_free(set);
	mailimap_fetch_type_free(ft);
	if (r != MAILIMAP_NO_ERROR)
		return imap_session_fail(s, r, "UID FETCH", LG_ETEMP, e);
	return LG_OK;
}

static int
imap_session_deliver(const struct imap_item *it, int truncated,
    imap_body_fn *fn, void *arg, struct err *e)
{
	if (!it->has_body)
		return fn(arg, it->uid, NULL, 0, it->size, truncated, e);
	if (it->body == NULL)
		return fn(arg, it->uid, "", 0, it->size, truncated, e);
	return fn(arg, it->uid, it->body, it->len, it->size, truncated, e);
}

/* Fetch bodies of uids (all under the size limit, or one over it). */
static int
imap_session_fetch_bodies(struct imap_session *s, const uint32_t *uids,
    size_t n, uint32_t partial, imap_body_fn *fn, void *arg, struct err *e)
{
	const uint32_t *hit;
	struct imap_item it;
	char *seen;
	clistiter *c;
	clist *res;
	int rc;

	rc = imap_session_fetch_once(s, uids, n, 1, partial, &res, e);
	if (rc != LG_OK)
		return rc;
	seen = xcalloc(n, 1);
	for (c = clist_begin(res); c && rc == LG_OK; c = clist_next(c)) {
		imap_session_item_read(clist_content(c), &it);
		/* What we asked for, once: servers may add or repeat items. */
		hit = bsearch(&it.uid, uids, n, sizeof(*uids),
		    imap_session_uid_cmp);
		if (hit == NULL || seen[hit - uids])
			continue;
		seen[hit - uids] = 1;
		rc = imap_session_deliver(&it, partial != 0, fn, arg, e);
	}
	free(seen);
	mailimap_fetch_list_free(res);
	return rc;
}

struct imap_sized {
	uint32_t uid, size;
};

static int
imap_session_sized_cmp(const void *a, const void *b)
{
	return imap_session_uid_cmp(&((const struct imap_sized *)a)->uid,
	    &((const struct imap_sized *)b)->uid);
}

static int
imap_session_fetch_sizes(struct imap_session *s, const uint32_t *uids, size_t n,
    struct imap_sized **out, size_t *nout, struct err *e)
{
	struct imap_item it;
	clistiter *c;
	clist *res;
	int rc;

	*out = xcalloc(n ? n : 1, sizeof(**out));
	*nout = 0;
	if ((rc = imap_session_fetch_once(s, uids, n, 0, 0, &res, e)) != LG_OK)
		return rc;
	for (c = clist_begin(res); c; c = clist_next(c)) {
		imap_session_item_read(clist_content(c), &it);
		if (*nout < n && bsearch(&it.uid, uids, n, sizeof(*uids),
		    imap_session_uid_cmp) != NULL) {
			(*out)[*nout].uid = it.uid;
			(*out)[(*nout)++].size = it.size;
		}
	}
	mailimap_fetch_list_free(res);
	qsort(*out, *nout, sizeof(**out), imap_session_sized_cmp);
	return LG_OK;
}

/*
 * Sizes first, then bodies in groups of at most FETCH_BUDGET bytes, and
 * every message over max_size alone and cut at max_size + 1 bytes: memory
 * stays bounded whatever the mailbox holds.
 */
int
imap_session_fetch(struct imap_session *s, const uint32_t *uids, size_t n,
    imap_body_fn *fn, void *arg, struct err *e)
{
	uint32_t limit = (uint32_t)s->cfg->max_size;
	struct imap_sized *sz;
	uint32_t *group;
	size_t nsz, i, ng = 0, bytes = 0;
	int rc;

	rc = imap_session_fetch_sizes(s, uids, n, &sz, &nsz, e);
	if (rc != LG_OK) {
		free(sz);
		return rc;
	}
	group = xcalloc(nsz ? nsz : 1, sizeof(*group));
	for (i = 0; i < nsz && rc == LG_OK; i++) {
		if (sz[i].size > limit) {
			rc = imap_session_fetch_bodies(s, &sz[i].uid, 1,
			    limit + 1, fn, arg, e);
			continue;
		}
		if (ng > 0 && bytes + sz[i].size > FETCH_BUDGET) {
			rc = imap_session_fetch_bodies(s, group, ng, 0, fn,
			    arg, e);
			ng = bytes = 0;
		}
		group[ng++] = sz[i].uid;
		bytes += sz[i].size;
	}
	if (rc == LG_OK && ng > 0)
		rc = imap_session_fetch_bodies(s, group, ng, 0, fn, arg, e);
	free(group);
	free(sz);
	return rc;
}

static int
imap_session_store_flags(struct imap_session *s, struct mailimap_set *set,
    struct mailimap_flag_list *fl, const char *what, struct err *e)
{
	struct mailimap_store_att_flags *sa;
	int r;

	if ((sa = mailimap_store_att_flags_new_add_flags_silent(fl)) == NULL)
		log_fatalx(MOD, "out of memory for a flag list");
	r = mailimap_uid_store(s->imap, set, sa);
	mailimap_store_att_flags_free(sa);
	return r == MAILIMAP_NO_ERROR ? LG_OK :
	    imap_session_fail(s, r, what, LG_ETEMP, e);
}

/* A flag list of the flags given (NULL ones left out). */
static struct mailimap_flag_list *
imap_session_flags(struct mailimap_flag *a, struct mailimap_flag *b)
{
	struct mailimap_flag_list *fl = mailimap_flag_list_new_empty();

	if (fl == NULL || (a != NULL && mailimap_flag_list_add(fl, a) != 0) ||
	    (b != NULL && mailimap_flag_list_add(fl, b) != 0))
		log_fatalx(MOD, "out of memory for a flag list");
	return fl;
}

static struct mailimap_flag *
imap_session_flag(struct mailimap_flag *f)
{
	if (f == NULL)
		log_fatalx(MOD, "out of memory for a flag");
	return f;
}

/* The keyword and/or \Seen, as configured. */
static int
imap_session_mark_flags(struct imap_session *s, struct mailimap_set *set,
    struct err *e)
{
	const struct imap_config *c = s->cfg;
	struct mailimap_flag *kw = NULL, *seen = NULL;

	/* The keyword is free()d by libetpan: give it its own copy. */
	if (c->done == IMAP_DONE_KEYWORD)
		kw = imap_session_flag(mailimap_flag_new_flag_keyword(
		    xstrdup(c->keyword)));
	if (c->seen)
		seen = imap_session_flag(mailimap_flag_new_seen());
	return imap_session_store_flags(s, set, imap_session_flags(kw, seen),
	    "UID STORE +FLAGS", e);
}

/* Without MOVE: COPY, flag \Deleted, and expunge exactly these UIDs. */
static int
imap_session_mark_copy(struct imap_session *s, struct mailimap_set *set,
    struct err *e)
{
	const struct imap_folder *to = &s->cfg->move_to;
	char what[300];
	int r, rc;

	snprintf(what, sizeof(what), "UID COPY to %s", to->name);
	r = mailimap_uid_copy(s->imap, set, to->wire);
	if (r != MAILIMAP_NO_ERROR)
		return imap_session_fail(s, r, what, LG_EPERM, e);
	rc = imap_session_store_flags(s, set, imap_session_flags(
	    imap_session_flag(mailimap_flag_new_deleted()), NULL),
	    "UID STORE +FLAGS (\\Deleted)", e);
	if (rc != LG_OK)
		return rc;
	/* Plain EXPUNGE would remove every \Deleted message of the user. */
	if ((r = mailimap_uid_expunge(s->imap, set)) != MAILIMAP_NO_ERROR)
		return imap_session_fail(s, r, "UID EXPUNGE", LG_ETEMP, e);
	return LG_OK;
}

static int
imap_session_mark_move(struct imap_session *s, struct mailimap_set *set,
    struct err *e)
{
	const struct imap_folder *to = &s->cfg->move_to;
	char what[300];
	int r;

	if (!s->has_move)
		return imap_session_mark_copy(s, set, e);
	snprintf(what, sizeof(what), "UID MOVE to %s", to->name);
	r = mailimap_uid_move(s->imap, set, to->wire);
	if (r != MAILIMAP_NO_ERROR)
		return imap_session_fail(s, r, what, LG_EPERM, e);
	return LG_OK;
}

int
imap_session_mark(struct imap_session *s, const uint32_t *uids, size_t n,
    struct err *e)
{
	struct mailimap_set *set;
	int rc;

	if (n == 0)
		return LG_OK;
	set = imap_session_set(uids, n);
	/* \Seen before the move, so the moved copy carries it. */
	rc = s->cfg->done == IMAP_DONE_KEYWORD || s->cfg->seen ?
	    imap_session_mark_flags(s, set, e) : LG_OK;
	if (rc == LG_OK && s->cfg->done == IMAP_DONE_MOVE)
		rc = imap_session_mark_move(s, set, e);
	mailimap_set_free(set);
	return rc;
}

/*
 * Wait for the IDLE connection to have something to say. Dovecot sends
 * "+ idling" and a pending EXISTS in one segment: libetpan keeps the rest
 * in its buffer, where poll() cannot see it (LIBS.md section 1, bug B).
 */
static int
imap_session_idle_wait(struct imap_session *s, int64_t until,
    volatile sig_atomic_t *stop)
{
	struct pollfd pfd;
	int64_t left;

	pfd.fd = mailimap_idle_get_fd(s->imap);
	pfd.events = POLLIN;
	while (!*stop) {
		if (imap_stream_pending(s->imap->imap_stream))
			return 1;
		if ((left = until - imap_session_now_ms()) <= 0)
			return 0;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)(left < IDLE_SLICE_MS ? left :
		    IDLE_SLICE_MS)) > 0)
			return 1;
	}
	return 0;
}

/* One IDLE ... DONE round; *news when the server announced EXISTS. */
static int
imap_session_idle_round(struct imap_session *s, int64_t until,
    volatile sig_atomic_t *stop, int *news, struct err *e)
{
	struct mailimap_selection_info *info = s->imap->imap_selection_info;
	int r, rc;

	/* NOOP first drains untagged data, so IDLE cannot hang (bug A). */
	info->sel_has_exists = 0;
	if ((rc = imap_session_noop(s, e)) != LG_OK)
		return rc;
	if (info->sel_has_exists) {
		*news = 1;
		return LG_OK;
	}
	if ((r = mailimap_idle(s->imap)) != MAILIMAP_NO_ERROR)
		return imap_session_fail(s, r, "IDLE", LG_ETEMP, e);
	imap_session_idle_wait(s, until, stop);
	if ((r = mailimap_idle_done(s->imap)) != MAILIMAP_NO_ERROR)
		return imap_session_fail(s, r, "IDLE (DONE)", LG_ETEMP, e);
	*news = s->imap->imap_selection_info->sel_has_exists;
	return LG_OK;
}

int
imap_session_idle(struct imap_session *s, int64_t deadline_ms,
    volatile sig_atomic_t *stop, int *news, struct err *e)
{
	int64_t now, until, round;
	int rc;

	*news = 0;
	if (!s->has_idle || s->imap->imap_selection_info == NULL)
		return err_set(e, LG_EINTERNAL, "%s: IDLE without IDLE or a "
		    "selected folder", s->cfg->name);
	while (!*news && !*stop &&
	    (now = imap_session_now_ms()) < deadline_ms) {
		round = (int64_t)s->cfg->keepalive * 1000;
		if (round > IDLE_ROUND_MS)
			round = IDLE_ROUND_MS;
		until = deadline_ms - now > round ? now + round : deadline_ms;
		rc = imap_session_idle_round(s, until, stop, news, e);
		if (rc != LG_OK)
			return rc;
	}
	return LG_OK;
}
