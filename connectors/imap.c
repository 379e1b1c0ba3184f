#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/imap.h"
#include "connectors/imap_backoff.h"
#include "connectors/imap_config.h"
#include "connectors/imap_folder.h"
#include "connectors/imap_session.h"
#include "connectors/tls.h"
#include "core/config.h"
#include "util/settings.h"
#include "core/oauth_conf.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/oauth.h"
#include "util/xmalloc.h"

#define MOD "imap"

/* The connection's state machine; imap_link_set() is its one door. */
enum imap_link {
	LINK_CONNECTING,	/* never connected yet */
	LINK_CONNECTED,
	LINK_IDLE,		/* in IDLE on the first folder */
	LINK_LOST,		/* broke; a reconnect is due */
	LINK_RECONNECTING,	/* a reconnect failed; another is due */
	LINK_NEEDS_LOGIN,	/* the OAuth2 grant is dead: a person must
				   run `leadgate oauth login` */
};

static const char *const imap_link_names[] = {
	[LINK_CONNECTING] = "connecting",
	[LINK_CONNECTED] = "connected",
	[LINK_IDLE] = "idle",
	[LINK_LOST] = "lost",
	[LINK_RECONNECTING] = "reconnecting",
	[LINK_NEEDS_LOGIN] = "needs-login",
};

struct imap_conn {
	struct imap_config *cfg;
	struct tls_trust *trust;	/* NULL when nothing is verified */
	struct oauth *oauth;		/* auth = xoauth2 | oauthbearer */
	struct imap_session *s;		/* NULL between connections */
	struct imap_backoff backoff;
	enum imap_link link;
	int64_t link_since;		/* unix time */
	int64_t lost_at;		/* unix time of the loss, or 0 */
	int64_t lost_ms;		/* the same, monotonic milliseconds */
	int64_t next_try;		/* unix time, or 0 */
	char why[256];			/* why it was lost */
	/* The last poll of the first folder, the one IDLE watches. */
	struct imap_folder_stats polled;
	int have_polled;
	int checked;		/* imap_connect() just found it sound */
};

/* "inbox (alice@imap.example, INBOX)": the mailbox, for the log. */
static void
imap_mailbox(const struct imap_conn *ic, char *buf, size_t len)
{
	snprintf(buf, len, "%s (%s@%s, %s)", ic->cfg->name, ic->cfg->user,
	    ic->cfg->host, ic->cfg->nfolders > 0 ? ic->cfg->folders[0].name :
	    "-");
}

/*
 * Move the connection to state to, and log what an admin needs to know:
 * a lost connection (with the reason and the next try) and a connection
 * made again (with how long it was down).
 */
static void
imap_link_set(struct imap_conn *ic, enum imap_link to, const char *why)
{
	enum imap_link from = ic->link;
	char mb[400], when[32];
	int64_t now = (int64_t)clock_now();
	int delay = imap_backoff_delay(&ic->backoff);

	/* No backoff yet: the caller connects again right away. */
	ic->next_try = to == LINK_LOST || to == LINK_RECONNECTING ?
	    now + delay : 0;
	if (from == to)
		return;
	ic->link = to;
	ic->link_since = now;
	imap_mailbox(ic, mb, sizeof(mb));
	if (to == LINK_NEEDS_LOGIN) {
		/* What `status` shows: what to do; the log has the reason. */
		snprintf(ic->why, sizeof(ic->why), "re-authorise with "
		    "`leadgate oauth login %s`", ic->cfg->oauth);
		log_err(MOD, "%s: stopped until a new login: %s", mb,
		    why ? why : ic->why);
	} else if (to == LINK_LOST) {
		ic->lost_at = now;
		ic->lost_ms = imap_session_now_ms();
		snprintf(ic->why, sizeof(ic->why), "%s", why ? why : "");
		if (delay > 0)
			snprintf(when, sizeof(when), "in %d s", delay);
		else
			snprintf(when, sizeof(when), "now");
		log_warn(MOD, "%s: connection lost: %s; reconnecting %s", mb,
		    ic->why, when);
	} else if (to == LINK_CONNECTED && ic->lost_at != 0) {
		log_info(MOD, "%s: reconnected, %.1f s after the connection "
		    "was lost", mb, (double)(imap_session_now_ms() -
		    ic->lost_ms) / 1000.0);
		ic->lost_at = 0;
		ic->why[0] = '\0';
	}
	/* A first connection is logged by the session, with host and user. */
}

static void imap_destroy(void *arg);

static int
imap_create(const config_setting_t *block, const struct config *cfg,
    void **out, struct err_report *rep)
{
	struct imap_conn *ic = xcalloc(1, sizeof(*ic));
	struct err why;
	int rc;

	*out = NULL;
	if ((rc = imap_config_read(block, cfg, &ic->cfg, rep)) != LG_OK) {
		imap_destroy(ic);
		return rc;
	}
	if (ic->cfg->tls != IMAP_TLS_NONE && ic->cfg->tls_verify &&
	    tls_trust_new(ic->cfg->ca_file, &ic->trust, &why) != LG_OK) {
		rc = imap_config_bad(ic->cfg, block, cfg, rep, "%s", why.msg);
		imap_destroy(ic);
		return rc;
	}
	if (imap_config_oauth(ic->cfg) && (rc = oauth_conf_open(cfg,
	    ic->cfg->oauth, &ic->oauth, &why)) != LG_OK) {
		rc = imap_config_bad(ic->cfg, block, cfg, rep, "%s", why.msg);
		imap_destroy(ic);
		return rc;
	}
	ic->backoff.max = ic->cfg->reconnect_max;
	*out = ic;
	return LG_OK;
}

static void
imap_destroy(void *arg)
{
	struct imap_conn *ic = arg;

	if (ic == NULL)
		return;
	imap_session_close(ic->s);
	tls_trust_free(ic->trust);
	oauth_free(ic->oauth);
	imap_config_free(ic->cfg);
	free(ic);
}

static void
imap_drop(struct imap_conn *ic)
{
	imap_session_close(ic->s);
	ic->s = NULL;
}

/*
 * With a dead grant the connector stops: no connection to the server,
 * only the grant's file is looked at (is there a new login?) at each
 * retry. The daemon and the other connectors go on.
 */
static int
imap_oauth_ready(struct imap_conn *ic, struct err *e)
{
	char tok[8192];
	int rc;

	if (ic->oauth == NULL)
		return LG_OK;
	rc = oauth_token(ic->oauth, 0, tok, sizeof(tok), e);
	explicit_bzero(tok, sizeof(tok));
	if (rc == LG_OK)
		return LG_OK;
	imap_backoff_fail(&ic->backoff);
	if (oauth_needs_login(ic->oauth))
		imap_link_set(ic, LINK_NEEDS_LOGIN, e->msg);
	else if (ic->link != LINK_CONNECTING)
		imap_link_set(ic, LINK_RECONNECTING, e->msg);
	return rc;
}

/* A session that still answers, or a new one. */
static int
imap_connected(struct imap_conn *ic, struct err *e)
{
	struct err why;
	int rc;

	err_clear(&why);
	if (ic->checked && ic->s != NULL && !imap_session_broken(ic->s)) {
		ic->checked = 0;
		return LG_OK;
	}
	ic->checked = 0;
	if (ic->s != NULL && !imap_session_broken(ic->s) &&
	    imap_session_noop(ic->s, &why) == LG_OK)
		return LG_OK;
	if (ic->s != NULL) {
		imap_drop(ic);
		imap_link_set(ic, LINK_LOST, why.msg[0] ? why.msg :
		    "the last command failed");
	}
	if ((rc = imap_oauth_ready(ic, e)) != LG_OK)
		return rc;
	if ((rc = imap_session_open(ic->cfg, ic->trust, ic->oauth, &ic->s,
	    e)) != LG_OK) {
		imap_backoff_fail(&ic->backoff);
		if (ic->oauth != NULL && oauth_needs_login(ic->oauth)) {
			imap_link_set(ic, LINK_NEEDS_LOGIN, e->msg);
			return err_prefix(e, "%s", ic->cfg->name);
		}
		if (ic->link != LINK_CONNECTING)
			imap_link_set(ic, LINK_RECONNECTING, e->msg);
		return err_prefix(e, "%s", ic->cfg->name);
	}
	imap_link_set(ic, LINK_CONNECTED, NULL);
	return LG_OK;
}

/* The connection, before the poll: imap_poll_once() does not check again. */
static int
imap_connect(void *arg, struct err *e)
{
	struct imap_conn *ic = arg;
	int rc;

	if ((rc = imap_connected(ic, e)) == LG_OK)
		ic->checked = 1;
	return rc;
}

static int
imap_poll_once(void *arg, const struct connector_sink *sink, struct err *e)
{
	struct imap_conn *ic = arg;
	struct imap_folder_stats stats;
	struct err why;
	int rc, first = LG_OK;
	size_t i;

	ic->have_polled = 0;
	if ((rc = imap_connected(ic, e)) != LG_OK)
		return rc;
	for (i = 0; i < ic->cfg->nfolders; i++) {
		rc = imap_folder_poll(ic->s, ic->cfg, &ic->cfg->folders[i],
		    sink, &stats, &why);
		if (rc == LG_OK && i == 0) {
			ic->polled = stats;
			ic->have_polled = 1;
		}
		if (rc == LG_OK)
			continue;
		if (imap_session_broken(ic->s)) {
			imap_drop(ic);
			imap_backoff_fail(&ic->backoff);
			imap_link_set(ic, LINK_LOST, why.msg);
		}
		if (rc == LG_ETEMP || ic->s == NULL) {
			*e = why;
			return rc;
		}
		/* This folder is misconfigured: the others still get polled. */
		log_err(MOD, "%s", why.msg);
		if (first == LG_OK) {
			first = rc;
			*e = why;
		}
	}
	imap_backoff_reset(&ic->backoff);
	return first;
}

static int
imap_interval(void *arg)
{
	struct imap_conn *ic = arg;
	int d = imap_backoff_delay(&ic->backoff);

	return d > 0 ? d : ic->cfg->interval;
}

/*
 * Did mail arrive in the watched folder after the last poll searched it?
 * Its EXISTS may have come during the fetch and is gone with the
 * re-selection; IDLE would not announce it again. sel is the EXAMINE
 * just done.
 */
static const char *
imap_missed(const struct imap_conn *ic, const struct imap_selected *sel)
{
	const struct imap_folder_stats *p = &ic->polled;

	/* Nothing to compare with: IDLE, as before (and no busy loop). */
	if (!ic->have_polled)
		return NULL;
	if (p->news)
		return "new mail announced during the poll";
	if (sel->uidvalidity != p->uidvalidity)
		return "UIDVALIDITY changed";
	if (sel->uidnext == 0 || p->uidnext == 0)
		return NULL;
	return sel->uidnext > p->uidnext ? "UIDNEXT moved since the poll" :
	    NULL;
}

static int
imap_wait(void *arg, int timeout_ms, volatile sig_atomic_t *stop,
    struct err *e)
{
	static volatile sig_atomic_t never;
	struct imap_conn *ic = arg;
	const struct imap_config *c = ic->cfg;
	struct imap_selected sel;
	const char *missed = NULL;
	int news = 0, rc;

	if (stop == NULL)
		stop = &never;
	if (ic->s == NULL || imap_session_broken(ic->s))
		return err_set(e, LG_ETEMP, "%s: not connected; next attempt "
		    "in %d s", c->name, imap_interval(ic));
	if (!c->idle || !imap_session_has_idle(ic->s))
		return err_set(e, LG_ENOENT, "%s: no IDLE (%s): polling every "
		    "%d s", c->name, c->idle ? "the server lacks it" :
		    "idle = false", c->interval);
	if (c->nfolders > 1 && timeout_ms > c->interval * 1000)
		timeout_ms = c->interval * 1000;
	/* EXAMINE: watching needs no write access and changes nothing. */
	rc = imap_session_select(ic->s, &c->folders[0], 1, &sel, e);
	if (rc == LG_OK && (missed = imap_missed(ic, &sel)) != NULL) {
		/* Poll again now rather than idle until the next round. */
		ic->have_polled = 0;
		log_debug(MOD, "%s: %s: no IDLE: %s", c->name,
		    c->folders[0].name, missed);
		return LG_OK;
	}
	if (rc == LG_OK) {
		imap_link_set(ic, LINK_IDLE, NULL);
		rc = imap_session_idle(ic->s, imap_session_now_ms() +
		    timeout_ms, stop, &news, e);
	}
	if (rc != LG_OK) {
		if (imap_session_broken(ic->s)) {
			imap_drop(ic);
			/* The first try again within a second or two. */
			imap_backoff_fail(&ic->backoff);
			imap_link_set(ic, LINK_LOST, e->msg);
		}
		return err_prefix(e, "%s: %s: IDLE", c->name,
		    c->folders[0].name);
	}
	imap_link_set(ic, LINK_CONNECTED, NULL);
	log_debug(MOD, "%s: %s: IDLE ended: %s", c->name, c->folders[0].name,
	    news ? "new mail" : *stop ? "stop requested" : "time is up");
	return LG_OK;
}

/* After a failed poll: the reconnect backoff, else the interval. */
static int
imap_retry(void *arg)
{
	return imap_interval(arg);
}

static void
imap_link(void *arg, struct connector_link *out)
{
	struct imap_conn *ic = arg;

	memset(out, 0, sizeof(*out));
	out->state = imap_link_names[ic->link];
	out->since = ic->link_since;
	out->lost_at = ic->lost_at;
	out->next_try = ic->next_try;
	snprintf(out->why, sizeof(out->why), "%s", ic->why);
}

static void
imap_dump(void *conn, const char *prefix, int non_default, const char *base,
    FILE *out)
{
	struct imap_conn *ic = conn;

	settings_dump_ext(&imap_config_settings, ic->cfg, prefix, non_default,
	    base, out);
}

const struct connector_ops imap_ops = {
	.type = "imap",
	.create = imap_create,
	.destroy = imap_destroy,
	.connect = imap_connect,
	.poll_once = imap_poll_once,
	.wait = imap_wait,
	.interval = imap_interval,
	.retry = imap_retry,
	.link = imap_link,
	.dump = imap_dump,
};
