/* deliver: one delivery run, then exit. */
#include <stdio.h>

#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "core/config.h"
#include "spool/deliver.h"

int
cmd_deliver(struct cli *c, int argc, char **argv)
{
	const struct pipelines *pl;
	struct deliver_stats s;
	struct config *cfg;
	struct err e;
	int rc;

	(void)argv;
	if (argc != 1)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_config(c, &cfg)) != EXIT_OK ||
	    (rc = cli_pipelines(c, &pl)) != EXIT_OK)
		return rc;
	err_clear(&e);
	rc = deliver_run(cfg, pl, &s, &e);
	printf("%ld sent, %ld deferred, %ld failed", s.sent, s.deferred,
	    s.failed);
	if (s.held > 0)
		printf(", %ld held by bulk.rate_per_hour", s.held);
	if (s.low_space)
		printf("; paused: low on space (store.min_free_mb)");
	printf("\n");
	/* deliver_run() refuses only settings with LG_EPERM. */
	if (rc == LG_EPERM)
		return cli_fail(c, EXIT_CONFIG, "%s", e.msg);
	return rc == LG_OK ? EXIT_OK : cli_fail_err(c, &e);
}
