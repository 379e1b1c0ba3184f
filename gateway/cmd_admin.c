/* db migrate, config check */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "connectors/connector.h"
#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "core/config.h"
#include "core/pipeline.h"
#include "core/store.h"

int
cmd_db_migrate(struct cli *c, int argc, char **argv)
{
	struct store *st;
	struct err e;
	int rc, version;

	(void)argv;
	if (argc != 1)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_schema_version(st, &version, &e) != LG_OK)
		return cli_fail_err(c, &e);
	printf("%s: schema version %d\n", c->cfg->store_path, version);
	return EXIT_OK;
}

int
cmd_config_check(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dump", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const struct pipelines *pl;
	const struct rules *r;
	struct connector_list cl;
	struct config *cfg;
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
	if ((rc = cli_config(c, &cfg)) != EXIT_OK ||
	    (rc = cli_pipelines(c, &pl)) != EXIT_OK ||
	    (rc = cli_rules(c, &r)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (connector_load_all(cfg, &cl, NULL, &e) != LG_OK)
		return cli_fail(c, EXIT_CONFIG, "%s", e.msg);
	connector_list_free(&cl);
	if (dump)
		config_dump(cfg, stdout);
	else
		printf("%s: ok\n", cfg->path);
	return EXIT_OK;
}
