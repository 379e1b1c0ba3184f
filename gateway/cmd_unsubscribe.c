/* unsubscribe TOKEN|EMAIL */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "core/domain.h"
#include "outbound/unsub.h"

struct unsub_job {
	struct domain d;
	const char *what;	/* the token or the address */
	struct unsub_result r;
};

static int
unsub_save(struct cli *c, void *arg, struct err *e)
{
	struct unsub_job *j = arg;

	(void)c;
	/* The link's token is what the web page hands over; an address is typed in. */
	if (strchr(j->what, '@') != NULL)
		return unsub_address(&j->d, j->what, "command line", &j->r, e);
	return unsub_token(&j->d, j->what, "link", &j->r, e);
}

static void
unsub_print(const struct unsub_result *r)
{
	const struct unsub_entry *x;
	size_t i;

	for (i = 0; i < r->n; i++) {
		x = &r->v[i];
		printf("%sunsubscribed: ", x->already ? "already " : "");
		if (x->address == NULL)
			printf("contact %lld (no e-mail address)\n",
			    (long long)x->contact_id);
		else if (x->contact_id)
			printf("%s (contact %lld)\n", x->address,
			    (long long)x->contact_id);
		else
			printf("%s (no contact)\n", x->address);
	}
}

int
cmd_unsubscribe(struct cli *c, int argc, char **argv)
{
	struct unsub_job j;
	int rc;

	if (cli_getopt(c, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (argc - optind != 1)
		return cli_usage(c, stderr, EXIT_USAGE);
	memset(&j, 0, sizeof(j));
	j.what = argv[optind];
	if ((rc = cli_domain(c, &j.d)) != EXIT_OK)
		return rc;
	if ((rc = cli_tx(c, unsub_save, &j)) == EXIT_OK)
		unsub_print(&j.r);
	unsub_result_clear(&j.r);
	return rc;
}
