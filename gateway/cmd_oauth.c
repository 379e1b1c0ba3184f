/* oauth login|status */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libconfig.h>

#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "core/config.h"
#include "core/oauth_conf.h"
#include "util/clock.h"
#include "util/oauth.h"
#include "util/table.h"

/* NAME is an oauth block, or an IMAP connector that names one. */
static const char *
oauth_grant_of(const struct config *cfg, const char *name)
{
	const config_setting_t *b;
	const char *n, *g;
	int i;

	if (oauth_conf_exists(cfg, name))
		return name;
	for (i = 0; cfg->connectors != NULL &&
	    i < config_setting_length(cfg->connectors); i++) {
		b = config_setting_get_elem(cfg->connectors, (unsigned)i);
		if (config_setting_lookup_string(b, "name", &n) &&
		    strcmp(n, name) == 0 &&
		    config_setting_lookup_string(b, "oauth", &g))
			return g;
	}
	if (strcmp(name, "smtp") == 0 && *cfg->smtp.oauth != '\0')
		return cfg->smtp.oauth;
	return NULL;
}

static int
oauth_login_device(struct cli *c, struct oauth *o)
{
	struct oauth_device d;
	struct err e;
	int rc;

	if ((rc = oauth_device_start(o, &d, &e)) != LG_OK)
		return cli_fail_err(c, &e);
	printf("To sign in, open %s and enter the code %s\n",
	    d.verification_uri, d.user_code);
	if (d.verification_uri_complete != NULL)
		printf("(or open %s)\n", d.verification_uri_complete);
	printf("Waiting for the consent (the code expires in %d s)...\n",
	    d.expires_in);
	fflush(stdout);
	rc = oauth_device_wait(o, &d, NULL, &e);
	oauth_device_clear(&d);
	if (rc != LG_OK)
		return cli_fail_err(c, &e);
	return EXIT_OK;
}

/* "code=...&state=..." of a pasted address, or a bare code. */
static void
oauth_query_get(const char *line, const char *key, char *out, size_t len)
{
	const char *q = strchr(line, '?'), *p;
	size_t n = strlen(key);

	out[0] = '\0';
	for (p = q ? q + 1 : line; p != NULL && *p; p = strchr(p, '&')) {
		if (*p == '&')
			p++;
		if (strncmp(p, key, n) == 0 && p[n] == '=') {
			snprintf(out, len, "%.*s", (int)strcspn(p + n + 1,
			    "&#\r\n"), p + n + 1);
			return;
		}
	}
}

static int
oauth_login_browser(struct cli *c, struct oauth *o)
{
	struct oauth_pkce p;
	char line[8192], code[4096], state[256];
	struct err e;
	int rc;

	if ((rc = oauth_pkce_start(o, &p, &e)) != LG_OK)
		return cli_fail_err(c, &e);
	printf("Open this address in a browser and consent:\n\n%s\n\n"
	    "Then paste the address the browser was sent to:\n", p.url);
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL) {
		oauth_pkce_clear(&p);
		return cli_fail(c, EXIT_USAGE, "no address given");
	}
	oauth_query_get(line, "code", code, sizeof(code));
	oauth_query_get(line, "state", state, sizeof(state));
	rc = *code == '\0' ? err_set(&e, LG_EPERM, "the address has no "
	    "code (the consent was refused?)") :
	    oauth_pkce_finish(o, &p, code, state, &e);
	explicit_bzero(line, sizeof(line));
	explicit_bzero(code, sizeof(code));
	oauth_pkce_clear(&p);
	if (rc != LG_OK)
		return cli_fail_err(c, &e);
	return EXIT_OK;
}

int
cmd_oauth_login(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", no_argument, NULL, 'd' },
		{ "browser", no_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	struct config *cfg;
	struct oauth *o;
	const char *grant;
	struct err e;
	int ch, browser = 0, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'b')
			browser = 1;
		else if (ch == 'd')
			browser = 0;
		else
			return cli_usage(c, stderr, EXIT_USAGE);
	}
	if (optind != argc - 1)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_config(c, &cfg)) != EXIT_OK)
		return rc;
	if ((grant = oauth_grant_of(cfg, argv[optind])) == NULL)
		return cli_fail(c, EXIT_NOINPUT, "'%s' is neither an oauth "
		    "block nor a connector with oauth", argv[optind]);
	if (oauth_conf_open(cfg, grant, &o, &e) != LG_OK)
		return cli_fail_err(c, &e);
	rc = browser ? oauth_login_browser(c, o) : oauth_login_device(c, o);
	if (rc == EXIT_OK)
		printf("oauth %s: the grant is stored; the daemon uses it at "
		    "its next connection\n", grant);
	oauth_free(o);
	return rc;
}

/* Who uses grant name: connectors and "smtp", comma separated. */
static void
oauth_users(const struct config *cfg, const char *name, char *out,
    size_t len)
{
	const config_setting_t *b;
	const char *n, *g;
	size_t off = 0;
	int i;

	out[0] = '\0';
	for (i = 0; cfg->connectors != NULL &&
	    i < config_setting_length(cfg->connectors) && off < len; i++) {
		b = config_setting_get_elem(cfg->connectors, (unsigned)i);
		if (config_setting_lookup_string(b, "oauth", &g) &&
		    strcmp(g, name) == 0 &&
		    config_setting_lookup_string(b, "name", &n))
			off += (size_t)snprintf(out + off, len - off, "%s%s",
			    off ? "," : "", n);
	}
	if (strcmp(cfg->smtp.oauth, name) == 0 && off < len)
		off += (size_t)snprintf(out + off, len - off, "%ssmtp",
		    off ? "," : "");
	if (off == 0)
		snprintf(out, len, "-");
}

static const char *
oauth_state_word(const struct oauth_status *st, int user)
{
	if (!user)
		return "client credentials";
	if (!st->have_grant)
		return "no grant: run oauth login";
	if (st->needs_login)
		return "needs login (invalid_grant)";
	return "ok";
}

/* Never a token: the state, when it was saved, when the token expires. */
int
cmd_oauth_status(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "OAUTH", "STATE", "SAVED",
		"TOKEN EXPIRES", "USED BY", "SCOPE" };
	struct oauth_status st;
	struct config *cfg;
	struct table *t;
	struct oauth *o;
	const char *row[6], *name;
	char saved[CLOCK_ISOLEN], exp[CLOCK_ISOLEN], users[512];
	struct err e;
	size_t i;
	int rc, fail = 0;

	if (argc > 1)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_config(c, &cfg)) != EXIT_OK)
		return rc;
	t = table_new(6, head);
	for (i = 0; (name = oauth_conf_name(cfg, i)) != NULL; i++) {
		if (oauth_conf_open(cfg, name, &o, &e) != LG_OK ||
		    oauth_status(o, &st, &e) != LG_OK) {
			fprintf(stderr, "leadgate: oauth status: %s\n", e.msg);
			oauth_free(o);
			fail = 1;
			continue;
		}
		strcpy(saved, "-");
		strcpy(exp, "-");
		if (st.saved)
			clock_iso((time_t)st.saved, saved, sizeof(saved));
		if (st.expires)
			clock_iso((time_t)st.expires, exp, sizeof(exp));
		oauth_users(cfg, name, users, sizeof(users));
		row[0] = name;
		row[1] = oauth_state_word(&st, oauth_user_grant(o));
		row[2] = saved;
		row[3] = exp;
		row[4] = users;
		row[5] = *st.scope ? st.scope : "-";
		table_add(t, row);
		oauth_free(o);
	}
	table_print(t, stdout, TABLE_TEXT);
	table_free(t);
	return fail ? EXIT_CONFIG : EXIT_OK;
}
