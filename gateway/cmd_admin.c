/* db migrate, db copy */
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/store.h"
#include "core/store_copy.h"
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

/*
 * db copy --from sqlite:PATH --to postgresql://...: the password of the
 * target comes from store.password_file/store.password_env.
 */
int
cmd_db_copy(struct cli *c, int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	struct config *cfg;
	struct store_options opt = { 5000, 0, NULL, NULL, NULL };
	struct err e;
	int i, rc;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--from") == 0)
			from = argv[i + 1];
		else if (strcmp(argv[i], "--to") == 0)
			to = argv[i + 1];
		else
			return cli_usage(c, stderr, EXIT_USAGE);
	}
	if (i != argc || from == NULL || to == NULL ||
	    strncmp(from, "sqlite:", 7) != 0 || !store_is_remote(to))
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_config(c, &cfg)) != EXIT_OK)
		return rc;
	config_store_options(cfg, &opt);
	err_clear(&e);
	if (store_copy(from + 7, to, &opt, stdout, &e) != LG_OK)
		return cli_fail_err(c, &e);
	printf("copied and verified: %s -> %s\n", from + 7, to);
	return EXIT_OK;
}
