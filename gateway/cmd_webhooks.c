/* webhooks deliver, webhooks list, webhooks retry, webhooks purge */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/config.h"
#include "core/store.h"
#include "core/view.h"
#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "gateway/cmdutil.h"
#include "outbound/webhook.h"
#include "util/clock.h"
#include "util/table.h"

#define DELIVER_BATCH 1000

static const struct option wh_opts[] = {
	{ "endpoint", required_argument, NULL, 'e' },
	{ "state", required_argument, NULL, 's' },
	{ NULL, 0, NULL, 0 },
};

static int
wh_load(struct cli *c, struct webhook_set **out)
{
	struct err_list errs = { NULL, 0 };
	struct config *cfg;
	struct err e;
	int rc;

	if ((rc = cli_config(c, &cfg)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (webhook_load_all(cfg, out, &errs, &e) != LG_OK) {
		rc = errs.n > 0 ? cli_fail_list(c, EXIT_CONFIG, &errs) :
		    cli_fail(c, EXIT_CONFIG, "%s", e.msg);
		err_list_clear(&errs);
		return rc;
	}
	return EXIT_OK;
}

int
cmd_webhooks_deliver(struct cli *c, int argc, char **argv)
{
	struct webhook_endpoint *tmp;
	struct webhook_set *s;
	struct webhook_stats ws;
	struct store *st;
	struct err e;
	const char *only = NULL;
	int ch, rc, more = 1;
	size_t i, n;

	while ((ch = cli_getopt(c, argc, argv, "", wh_opts)) != -1) {
		if (ch != 'e')
			return EXIT_USAGE;
		only = optarg;
	}
	if (optind != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = wh_load(c, &s)) != EXIT_OK)
		return rc;
	if (only != NULL) {
		for (i = 0; i < s->n && strcmp(s->v[i]->name, only); i++)
			;
		if (i == s->n) {
			webhook_set_free(s);
			return cli_fail(c, EXIT_NOINPUT, "no webhook named "
			    "'%s'", only);
		}
		/* Deliver only to it: move it first, count one. */
		tmp = s->v[0];
		s->v[0] = s->v[i];
		s->v[i] = tmp;
	}
	n = s->n;
	if (only != NULL)
		s->n = 1;
	if ((rc = cli_store(c, &st)) != EXIT_OK) {
		s->n = n;
		webhook_set_free(s);
		return rc;
	}
	memset(&ws, 0, sizeof(ws));
	err_clear(&e);
	/* What is due now; a deferred event waits for the daemon or a rerun. */
	while (more && rc == EXIT_OK && !ws.locked_out)
		if (webhook_deliver(s, st, clock_now(), DELIVER_BATCH, &ws,
		    NULL, &more, &e) != LG_OK)
			rc = cli_fail_err(c, &e);
	s->n = n;
	webhook_set_free(s);
	if (rc != EXIT_OK)
		return rc;
	if (ws.locked_out)
		return cli_fail(c, EXIT_TEMPFAIL, "another run (the daemon?) "
		    "is delivering webhooks");
	printf("%ld delivered, %ld deferred, %ld failed\n", ws.delivered,
	    ws.deferred, ws.failed);
	return EXIT_OK;
}

static json_t *
wh_json(const struct webhook_delivery *d)
{
	json_t *o = json_object(), *data;

	json_object_set_new(o, "id", json_string(d->uid));
	json_object_set_new(o, "type", json_string(d->type));
	json_object_set_new(o, "created_at", json_string(d->created_at));
	json_object_set_new(o, "endpoint", json_string(d->endpoint));
	json_object_set_new(o, "state", json_string(d->state));
	json_object_set_new(o, "attempts", json_integer(d->attempts));
	json_object_set_new(o, "next_attempt",
	    json_integer(d->next_attempt));
	json_object_set_new(o, "last_status", json_integer(d->last_status));
	json_object_set_new(o, "last_error", d->last_error ?
	    json_string(d->last_error) : json_null());
	if ((data = json_loads(d->data, 0, NULL)) != NULL)
		json_object_set_new(o, "data", data);
	return o;
}

static int
wh_print(struct cli *c, const struct webhook_delivery *v, size_t n)
{
	static const char *const head[] = { "EVENT", "TYPE", "ENDPOINT",
	    "STATE", "TRIES", "STATUS", "LAST ERROR" };
	char tries[16], status[16];
	const char *row[7];
	struct table *t;
	json_t *arr;
	size_t i;
	int rc;

	if (cmdutil_json(c)) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, wh_json(&v[i]));
		return cmdutil_print_json(c, arr);
	}
	if (n == 0 && c->out.format == CLI_FMT_TABLE) {
		printf("no webhook deliveries\n");
		return EXIT_OK;
	}
	t = table_new(7, head);
	for (i = 0; i < n; i++) {
		snprintf(tries, sizeof(tries), "%d", v[i].attempts);
		snprintf(status, sizeof(status), "%ld", v[i].last_status);
		row[0] = v[i].uid;
		row[1] = v[i].type;
		row[2] = v[i].endpoint;
		row[3] = v[i].state;
		row[4] = tries;
		row[5] = v[i].last_status ? status : "-";
		row[6] = v[i].last_error ? v[i].last_error : "";
		table_add(t, row);
	}
	rc = cmdutil_print_table(c, t);
	table_free(t);
	return rc;
}

static int
wh_state_ok(const char *s)
{
	return strcmp(s, "pending") == 0 || strcmp(s, "delivered") == 0 ||
	    strcmp(s, "failed") == 0;
}

int
cmd_webhooks_list(struct cli *c, int argc, char **argv)
{
	struct webhook_delivery *v = NULL;
	const char *only = NULL, *state = NULL;
	struct store *st;
	struct err e;
	size_t n = 0;
	int ch, rc;

	while ((ch = cli_getopt(c, argc, argv, "", wh_opts)) != -1) {
		if (ch == 'e')
			only = optarg;
		else if (ch == 's' && wh_state_ok(optarg))
			state = optarg;
		else if (ch == 's')
			return cli_fail(c, EXIT_USAGE, "unknown state '%s' "
			    "(pending, delivered, failed)", optarg);
		else
			return EXIT_USAGE;
	}
	if (optind != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_webhook_list(st, only, state, &v, &n, &e) != LG_OK)
		return cli_fail_err(c, &e);
	rc = wh_print(c, v, n);
	store_webhook_rows_free(v, n);
	return rc;
}

int
cmd_webhooks_retry(struct cli *c, int argc, char **argv)
{
	const char *only = NULL, *uid;
	struct store *st;
	struct err e;
	long n = 0;
	int ch, rc;

	while ((ch = cli_getopt(c, argc, argv, "", wh_opts)) != -1) {
		if (ch != 'e')
			return EXIT_USAGE;
		only = optarg;
	}
	if (argc - optind > 1)
		return cli_usage(c, stderr, EXIT_USAGE);
	uid = optind < argc ? argv[optind] : NULL;
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_webhook_retry(st, only, uid, &n, &e) != LG_OK)
		return cli_fail_err(c, &e);
	if (n == 0 && uid != NULL)
		return cli_fail(c, EXIT_NOINPUT, "no failed delivery of event "
		    "'%s'", uid);
	printf("%ld failed deliveries pending again\n", n);
	return EXIT_OK;
}

int
cmd_webhooks_purge(struct cli *c, int argc, char **argv)
{
	struct webhook_set *s;
	struct config *cfg;
	struct store *st;
	struct err e;
	long n = 0;
	int rc;

	if (cli_getopt(c, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (optind != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_config(c, &cfg)) != EXIT_OK)
		return rc;
	if ((rc = wh_load(c, &s)) != EXIT_OK)
		return rc;
	if ((rc = cli_store(c, &st)) != EXIT_OK) {
		webhook_set_free(s);
		return rc;
	}
	err_clear(&e);
	rc = webhook_purge(s, st, cfg->webhooks_keep_days, clock_now(), &n,
	    &e);
	webhook_set_free(s);
	if (rc != LG_OK)
		return cli_fail_err(c, &e);
	printf("%ld webhook events forgotten\n", n);
	return EXIT_OK;
}
