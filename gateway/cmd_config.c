/* config check, config get, config settings */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Each mistake of l as its own line, FILE:LINE: reason first. */
static int
config_mistakes(struct cli *c, struct err_list *l, const struct err *e)
{
	int rc;

	rc = l->n > 0 ? cli_fail_list(c, EXIT_CONFIG, l) :
	    cli_fail(c, EXIT_CONFIG, "%s", e->msg);	/* no line known */
	err_list_clear(l);
	return rc;
}

/* A mistake of the file as a whole: FILE: reason. */
static int
config_file_mistake(const struct config *cfg, const struct err *e)
{
	fprintf(stderr, "%s: %s\n", cfg->path, e->msg);
	return EXIT_CONFIG;
}

/*
 * Everything the daemon would load, connecting nowhere: the file, its
 * pipelines and rule file, every connector and webhook block, the store's
 * mode and the VERP secret. Each part reports all its mistakes; the parts
 * after the file are all checked even when one of them has mistakes.
 */
static int
config_check_all(struct cli *c, struct connector_list *cl)
{
	struct err_list errs = { NULL, 0 };
	const struct pipelines *pl;
	const struct rules *r;
	struct webhook_set *hooks;
	struct config *cfg;
	struct verp *v;
	struct err e;
	int rc, worst = EXIT_OK;

	c->every_mistake = 1;
	if ((rc = cli_config(c, &cfg)) != EXIT_OK)
		return rc;
	if ((rc = cli_pipelines(c, &pl)) != EXIT_OK ||
	    (rc = cli_rules(c, &r)) != EXIT_OK)
		worst = rc;
	err_clear(&e);
	if (connector_load_all(cfg, cl, &errs, &e) != LG_OK)
		worst = config_mistakes(c, &errs, &e);
	err_clear(&e);
	if (webhook_load_all(cfg, &hooks, &errs, &e) != LG_OK)
		worst = config_mistakes(c, &errs, &e);
	else
		webhook_set_free(hooks);
	err_clear(&e);
	if (store_check(cfg->store_path, &e) != LG_OK)
		worst = config_file_mistake(cfg, &e);
	/* The VERP secret is read once now, as the connectors' are. */
	err_clear(&e);
	if (verp_load(cfg->bounce.verp, cfg->bounce.secret_file,
	    cfg->bounce.secret_env, &v, &e) != LG_OK)
		worst = config_file_mistake(cfg, &e);
	else
		verp_free(v);
	return worst;
}

/*
 * Every setting as "name = value": the file's, then each connector's as
 * TYPE.NAME.setting (imap.inbox.host), the names config get takes.
 */
static void
config_dump_all(struct cli *c, struct connector_list *cl, int non_default,
    FILE *out)
{
	char prefix[256];
	size_t i;

	settings_dump_ext(&config_settings, c->cfg, "", non_default,
	    c->cfg->dir, out);
	for (i = 0; i < cl->n; i++) {
		if (cl->v[i].ops->dump == NULL)
			continue;
		snprintf(prefix, sizeof(prefix), "%s.%s.", cl->v[i].ops->type,
		    cl->v[i].name);
		cl->v[i].ops->dump(cl->v[i].conn, prefix, non_default,
		    c->cfg->dir, out);
	}
}

int
cmd_config_check(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dump", no_argument, NULL, 'd' },
		{ "non-default", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct connector_list cl = { NULL, 0 };
	int ch, rc, dump = 0, non_default = 0;

	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 'd')
			dump = 1;
		else if (ch == 'n')
			non_default = dump = 1;
		else
			return EXIT_USAGE;
	}
	if (optind != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = config_check_all(c, &cl)) == EXIT_OK) {
		if (dump)
			config_dump_all(c, &cl, non_default, stdout);
		else
			printf("%s: ok\n", c->cfg->path);
	}
	connector_list_free(&cl);
	return rc;
}

/* KEY's line of the dump, else the closest name as a hint. */
static int
config_get_one(struct cli *c, const char *dump, const char *key)
{
	const char *p = dump, *nl, *best = NULL, *end;
	size_t klen = strlen(key), d, bestd = (size_t)-1;
	char name[256];

	for (; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (strncmp(p, key, klen) == 0 && (strncmp(p + klen, " = ",
		    3) == 0 || strncmp(p + klen, " is not set\n", 12) == 0)) {
			printf("%.*s\n", (int)(nl - p), p);
			return EXIT_OK;
		}
		end = strpbrk(p, " ");
		if (end == NULL || (size_t)(end - p) >= sizeof(name))
			continue;
		memcpy(name, p, (size_t)(end - p));
		name[end - p] = '\0';
		if ((d = settings_distance(key, name)) < bestd) {
			bestd = d;
			best = p;
		}
	}
	if (best != NULL && bestd <= (klen <= 4 ? 1u : 2u)) {
		end = strchr(best, ' ');
		return cli_fail(c, EXIT_USAGE, "unknown setting '%s' (did you "
		    "mean '%.*s'?)", key, (int)(end - best), best);
	}
	return cli_fail(c, EXIT_USAGE, "unknown setting '%s' (see leadgate "
	    "config check --dump)", key);
}

int
cmd_config_get(struct cli *c, int argc, char **argv)
{
	struct connector_list cl = { NULL, 0 };
	struct err_list errs = { NULL, 0 };
	struct config *cfg;
	char *dump = NULL;
	size_t len = 0;
	struct err e;
	FILE *f;
	int i, rc, worst = EXIT_OK;

	if (cli_getopt(c, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (optind == argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_config(c, &cfg)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (connector_load_all(cfg, &cl, &errs, &e) != LG_OK) {
		err_list_clear(&errs);
		return cli_fail(c, EXIT_CONFIG, "%s", e.msg);
	}
	if ((f = open_memstream(&dump, &len)) == NULL)
		abort();
	config_dump_all(c, &cl, 0, f);
	fclose(f);
	for (i = optind; i < argc; i++)
		if ((rc = config_get_one(c, dump, argv[i])) != EXIT_OK)
			worst = rc;
	free(dump);
	connector_list_free(&cl);
	return worst;
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
