#include <stdlib.h>
#include <string.h>

#include "connectors/imap.h"
#include "connectors/imap_backoff.h"
#include "connectors/imap_config.h"
#include "connectors/imap_folder.h"
#include "connectors/imap_session.h"
#include "connectors/tls.h"
#include "core/config.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define MOD "imap"

struct imap_conn {
	struct imap_config *cfg;
	struct tls_trust *trust;	/* NULL when nothing is verified */
	struct imap_session *s;		/* NULL between connections */
	struct imap_backoff backoff;
};

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
	imap_config_free(ic->cfg);
	free(ic);
}

static void
imap_drop(struct imap_conn *ic)
{
	imap_session_close(ic->s);
	ic->s = NULL;
}

/* A session that still answers, or a new one. */
static int
imap_connected(struct imap_conn *ic, struct err *e)
{
	struct err why;
	int rc;

	err_clear(&why);
	if (ic->s != NULL && !imap_session_broken(ic->s) &&
	    imap_session_noop(ic->s, &why) == LG_OK)
		return LG_OK;
	if (ic->s != NULL) {
		log_info(MOD, "%s: reconnecting: %s", ic->cfg->name,
		    why.msg[0] ? why.msg : "the last command failed");
		imap_drop(ic);
	}
	if ((rc = imap_session_open(ic->cfg, ic->trust, &ic->s, e)) != LG_OK) {
		imap_backoff_fail(&ic->backoff);
		return err_prefix(e, "%s", ic->cfg->name);
	}
	return LG_OK;
}

static int
imap_poll_once(void *arg, const struct connector_sink *sink, struct err *e)
{
	struct imap_conn *ic = arg;
	struct imap_folder_stats stats;
	struct err why;
	int rc, first = LG_OK;
	size_t i;

	if ((rc = imap_connected(ic, e)) != LG_OK)
		return rc;
	for (i = 0; i < ic->cfg->nfolders; i++) {
		rc = imap_folder_poll(ic->s, ic->cfg, &ic->cfg->folders[i],
		    sink, &stats, &why);
		if (rc == LG_OK)
			continue;
		if (imap_session_broken(ic->s)) {
			imap_drop(ic);
			imap_backoff_fail(&ic->backoff);
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

static int
imap_wait(void *arg, int timeout_ms, volatile sig_atomic_t *stop,
    struct err *e)
{
	static volatile sig_atomic_t never;
	struct imap_conn *ic = arg;
	const struct imap_config *c = ic->cfg;
	struct imap_selected sel;
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
	if (rc == LG_OK)
		rc = imap_session_idle(ic->s, imap_session_now_ms() +
		    timeout_ms, stop, &news, e);
	if (rc != LG_OK) {
		if (imap_session_broken(ic->s))
			imap_drop(ic);
		return err_prefix(e, "%s: %s: IDLE", c->name,
		    c->folders[0].name);
	}
	log_debug(MOD, "%s: %s: IDLE ended: %s", c->name, c->folders[0].name,
	    news ? "new mail" : *stop ? "stop requested" : "time is up");
	return LG_OK;
}

const struct connector_ops imap_ops = {
	.type = "imap",
	.create = imap_create,
	.destroy = imap_destroy,
	.poll_once = imap_poll_once,
	.wait = imap_wait,
	.interval = imap_interval,
};
