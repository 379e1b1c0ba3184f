/* db migrate */
#include <stdio.h>

#include "core/config.h"
#include "core/store.h"
#include "gateway/cli.h"
#include "gateway/cmd.h"

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
