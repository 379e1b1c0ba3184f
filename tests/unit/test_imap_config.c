/*
 * IMAP connector blocks: every tests/data/imap/config/NAME.conf is loaded
 * as a leadgate configuration and its connectors created; NAME.want holds
 * the settings as read (ok-*) or every mistake, one line each (bad-*),
 * with the fixture directory left out of paths. The first mistake must
 * also be the struct err.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/connector.h"
#include "connectors/imap_config.h"
#include "util/buf.h"
#include "core/config.h"
#include "util/log.h"
#include "t.h"

static char fixdir[2048];

/* s without the fixture directory (and its slash) wherever it appears. */
static void
strip_dir(const char *s, struct buf *out)
{
	size_t n = strlen(fixdir);
	const char *p;

	while ((p = strstr(s, fixdir)) != NULL) {
		buf_add(out, s, (size_t)(p - s));
		s = p + n + (p[n] == '/');
	}
	buf_adds(out, s);
}

static const char *const tls_names[] = { "implicit", "starttls", "none" };
static const char *const auth_names[] = { "login", "plain" };

static void
dump(const struct imap_config *c, struct buf *b)
{
	struct buf raw = BUF_INIT;
	size_t i;

	buf_printf(&raw, "name = %s\nhost = %s\nport = %d\ntls = %s\n"
	    "tls_verify = %s\nca_file = %s\nuser = %s\npassword_file = %s\n"
	    "password_env = %s\nauth = %s\n", c->name, c->host, c->port,
	    tls_names[c->tls], c->tls_verify ? "true" : "false", c->ca_file,
	    c->user, c->password_file, c->password_env, auth_names[c->auth]);
	for (i = 0; i < c->nfolders; i++)
		buf_printf(&raw, "folder = %s (sent as %s)\n",
		    c->folders[i].name, c->folders[i].wire);
	if (c->done == IMAP_DONE_KEYWORD)
		buf_printf(&raw, "done = keyword %s%s\n", c->keyword,
		    c->seen ? ", seen" : "");
	else if (c->done == IMAP_DONE_MOVE)
		buf_printf(&raw, "done = move_to %s (sent as %s)%s\n",
		    c->move_to.name, c->move_to.wire, c->seen ? ", seen" : "");
	else
		buf_printf(&raw, "done = seen%s\n", c->seen ? "" : " (unset!)");
	buf_printf(&raw, "batch = %d\nidle = %s\ninterval = %d\ntimeout = %d\n"
	    "max_size = %d\n", c->batch, c->idle ? "true" : "false",
	    c->interval, c->timeout, c->max_size);
	strip_dir(buf_str(&raw), b);
	buf_free(&raw);
}

/* Every mistake, one line each; the first is e. */
static void
mistakes(const char *conf, struct err_list *errs, const struct err *e,
    struct buf *got)
{
	size_t i;

	for (i = 0; i < errs->n; i++) {
		strip_dir(errs->v[i], got);
		buf_addc(got, '\n');
	}
	T_OK(errs->n > 0 && strcmp(errs->v[0], e->msg) == 0, "%s: the first "
	    "mistake is the error", strrchr(conf, '/') + 1);
	err_list_clear(errs);
}

/* What the fixture gives: the dump, or the mistakes. */
static void
run(const char *conf, struct buf *got)
{
	struct err_list errs = { NULL, 0 };
	const config_setting_t *block;
	struct connector_list list;
	struct imap_config *ic;
	struct err_report rep;
	struct config *cfg;
	struct err e;

	err_clear(&e);
	if (config_load(conf, &cfg, &errs, &e) != LG_OK) {
		mistakes(conf, &errs, &e, got);
		return;
	}
	if (connector_load_all(cfg, &list, &errs, &e) != LG_OK) {
		mistakes(conf, &errs, &e, got);
	} else {
		connector_list_free(&list);
		block = config_setting_get_elem(cfg->connectors, 0);
		memset(&rep, 0, sizeof(rep));
		rep.e = &e;
		if (imap_config_read(block, cfg, &ic, &rep) == LG_OK) {
			dump(ic, got);
			imap_config_free(ic);
		}
	}
	config_free(cfg);
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
is_conf(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".conf") == 0;
}

int
main(void)
{
	const char *top = getenv("TOP");
	struct dirent **ents;
	char path[4200], *want;
	struct buf got;
	int i, n;

	/* Fixture password files are 0644 in git: spare us the warning. */
	log_set_level(LOG_LV_ERR);
	snprintf(fixdir, sizeof(fixdir), "%s/tests/data/imap/config",
	    top && *top ? top : ".");
	setenv("LG_TEST_IMAP_PASSWORD", "s3cret-env", 1);
	setenv("LG_TEST_IMAP_CRLF", "pw\r\nA1 LOGOUT", 1);
	unsetenv("LG_TEST_IMAP_UNSET");
	if ((n = scandir(fixdir, &ents, is_conf, by_name)) <= 0) {
		T_OK(0, "fixtures in %s", fixdir);
		return t_done();
	}
	for (i = 0; i < n; i++) {
		memset(&got, 0, sizeof(got));
		snprintf(path, sizeof(path), "%s/%s", fixdir, ents[i]->d_name);
		run(path, &got);
		snprintf(path + strlen(path) - 5, 6, ".want");
		want = t_slurp(path, NULL);
		T_STR(buf_str(&got), want ? want : "(no .want file)", "%s",
		    ents[i]->d_name);
		T_OK(strstr(buf_str(&got), "s3cret") == NULL, "%s: no password "
		    "in the output", ents[i]->d_name);
		free(want);
		buf_free(&got);
		free(ents[i]);
	}
	free(ents);
	return t_done();
}
