/* config check, config settings */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "connectors/connector.h"
#include "connectors/imap_config.h"
#include "connectors/maildir.h"
#include "connectors/portal_conf.h"
#include "core/config.h"
#include "core/store.h"
#include "core/verp.h"
#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "outbound/webhook.h"
#include "core/oauth_conf.h"
#include "util/settings.h"

/* The settings tables, in the order of leadgate.conf(5). */
static const struct settings_table *const config_tables[] = {
	&config_settings,
	&imap_config_settings,
	&maildir_settings,
	&portal_conf_settings,
	&agent_settings,
	&assign_settings,
	&webhook_settings,
	&oauth_conf_settings,
};
#define NTABLES (sizeof(config_tables) / sizeof(config_tables[0]))

int
cmd_config_check(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dump", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct err_list errs = { NULL, 0 };
	const struct pipelines *pl;
	const struct rules *r;
	struct connector_list cl;
	struct webhook_set *hooks;
	struct config *cfg;
	struct verp *v;
	struct err e;
	int ch, rc, dump = 0;

	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch != 'd')
			return EXIT_USAGE;
		dump = 1;
	}
	if (optind != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	/* Everything the daemon would load, without connecting anywhere. */
	c->every_mistake = 1;
	if ((rc = cli_config(c, &cfg)) != EXIT_OK ||
	    (rc = cli_pipelines(c, &pl)) != EXIT_OK ||
	    (rc = cli_rules(c, &r)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (connector_load_all(cfg, &cl, &errs, &e) != LG_OK) {
		rc = errs.n > 0 ? cli_fail_list(c, EXIT_CONFIG, &errs) :
		    cli_fail(c, EXIT_CONFIG, "%s", e.msg);
		err_list_clear(&errs);
		return rc;
	}
	connector_list_free(&cl);
	if (webhook_load_all(cfg, &hooks, &errs, &e) != LG_OK) {
		rc = errs.n > 0 ? cli_fail_list(c, EXIT_CONFIG, &errs) :
		    cli_fail(c, EXIT_CONFIG, "%s", e.msg);
		err_list_clear(&errs);
		return rc;
	}
	webhook_set_free(hooks);
	if (store_check(cfg->store_path, &e) != LG_OK)
		return cli_fail(c, EXIT_CONFIG, "%s: %s", cfg->path, e.msg);
	/* The VERP secret is read once now, as the connectors' are. */
	if (verp_load(cfg->bounce.verp, cfg->bounce.secret_file,
	    cfg->bounce.secret_env, &v, &e) != LG_OK)
		return cli_fail(c, EXIT_CONFIG, "%s: %s", cfg->path, e.msg);
	verp_free(v);
	if (dump)
		config_dump(cfg, stdout);
	else
		printf("%s: ok\n", cfg->path);
	return EXIT_OK;
}

/* NAME TYPE DEFAULT DOC, the first three columns aligned. */
static void
config_print_table(const struct settings_table *t)
{
	static const char *const head[] = { "NAME", "TYPE", "DEFAULT", "DOC" };
	char tb[256], db[256];
	const char *col[4];
	size_t i, j, w[3], n;

	for (j = 0; j < 3; j++)
		w[j] = strlen(head[j]);
	for (i = 0; i < t->n; i++) {
		col[0] = t->v[i].name;
		col[1] = settings_type_text(&t->v[i], tb, sizeof(tb));
		col[2] = settings_default_text(&t->v[i], db, sizeof(db));
		for (j = 0; j < 3; j++)
			if ((n = strlen(col[j])) > w[j])
				w[j] = n;
	}
	printf("%-*s  %-*s  %-*s  %s\n", (int)w[0], head[0], (int)w[1],
	    head[1], (int)w[2], head[2], head[3]);
	for (i = 0; i < t->n; i++)
		printf("%-*s  %-*s  %-*s  %s\n", (int)w[0], t->v[i].name,
		    (int)w[1], settings_type_text(&t->v[i], tb, sizeof(tb)),
		    (int)w[2], settings_default_text(&t->v[i], db, sizeof(db)),
		    t->v[i].doc);
}

int
cmd_config_settings(struct cli *c, int argc, char **argv)
{
	const char *want;
	size_t i, shown = 0;

	if (cli_getopt(c, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (argc - optind > 1)
		return cli_usage(c, stderr, EXIT_USAGE);
	want = optind < argc ? argv[optind] : NULL;
	for (i = 0; i < NTABLES; i++) {
		if (want != NULL && strcmp(want, config_tables[i]->name) != 0)
			continue;
		if (want == NULL)
			printf("%s%s:\n", shown ? "\n" : "",
			    config_tables[i]->name);
		config_print_table(config_tables[i]);
		shown++;
	}
	if (shown == 0) {
		char names[256] = "";
		size_t len = 0;

		for (i = 0; i < NTABLES && len < sizeof(names); i++)
			len += snprintf(names + len, sizeof(names) - len,
			    "%s%s", i > 0 ? ", " : "", config_tables[i]->name);
		return cli_fail(c, EXIT_USAGE, "no settings table '%s' (one "
		    "of: %s)", want, names);
	}
	return EXIT_OK;
}
