/* run, status */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "connectors/connector.h"
#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "gateway/config.h"
#include "gateway/daemon.h"
#include "gateway/store.h"
#include "gateway/table.h"
#include "gateway/view.h"

int
cmd_run(struct cli *c, int argc, char **argv)
{
	struct err e;

	(void)argv;
	if (argc != 1)
		return cli_usage(c, stderr, EXIT_USAGE);
	err_clear(&e);
	if (daemon_run(c->config_path, &e) != LG_OK)
		return cli_fail(c, e.code == LG_ETEMP ? EXIT_TEMPFAIL :
		    EXIT_CONFIG, "%s", e.msg);
	return EXIT_OK;
}

/* The bookkeeping keys a worker writes (gateway/daemon.c). */
static const char *const status_keys[] = {
	"last_poll", "last_ok", "last_error", "last_error_at", "new_leads",
	"existing_leads", "duplicates", "ignored", "quarantined", NULL,
};

static json_t *
status_connector(struct store *st, const struct connector *cn)
{
	json_t *o = json_object();
	char *v;
	size_t i;

	json_object_set_new(o, "name", json_string(cn->name));
	json_object_set_new(o, "type", json_string(cn->ops->type));
	for (i = 0; status_keys[i]; i++) {
		v = NULL;
		store_state_get(st, cn->name, status_keys[i], &v, NULL);
		json_object_set_new(o, status_keys[i], v ? json_string(v) :
		    json_null());
		free(v);
	}
	return o;
}

static long
status_quarantine(struct store *st)
{
	struct quarantine_row *v = NULL;
	size_t n = 0;

	if (store_quarantine_list(st, "held", &v, &n, NULL) != LG_OK)
		return -1;
	store_quarantine_rows_free(v, n);
	return (long)n;
}

static json_t *
status_spool(struct store *st)
{
	long counts[OUT_NSTATES];
	json_t *o = json_object();
	int i;

	if (store_outgoing_counts(st, counts, NULL) != LG_OK)
		return json_null();
	for (i = 0; i < OUT_NSTATES; i++)
		json_object_set_new(o, outgoing_state_name((enum outgoing_state)i),
		    json_integer(counts[i]));
	return o;
}

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "-";
}

static void
status_text(json_t *st)
{
	static const char *const head[] = { "CONNECTOR", "TYPE", "LAST POLL",
	    "NEW", "DUP", "QUAR", "LAST ERROR" };
	json_t *arr = json_object_get(st, "connectors"), *o, *v;
	const char *k;
	struct table *t = table_new(7, head);
	const char *row[7];
	size_t i;

	json_array_foreach(arr, i, o) {
		row[0] = jstr(o, "name");
		row[1] = jstr(o, "type");
		row[2] = jstr(o, "last_poll");
		row[3] = jstr(o, "new_leads");
		row[4] = jstr(o, "duplicates");
		row[5] = jstr(o, "quarantined");
		row[6] = json_is_string(json_object_get(o, "last_error")) ?
		    jstr(o, "last_error") : "";
		table_add(t, row);
	}
	table_print(t, stdout, TABLE_TEXT);
	table_free(t);
	printf("spool:");
	json_object_foreach(json_object_get(st, "spool"), k, v)
		printf(" %lld %s", (long long)json_integer_value(v), k);
	printf("\nquarantine: %lld held\n", (long long)json_integer_value(
	    json_object_get(st, "quarantine_held")));
}

int
cmd_status(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct connector_list cl;
	struct store *st;
	json_t *o, *arr;
	struct err e;
	size_t i;
	int ch, rc, json = 0;

	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch != 'j')
			return EXIT_USAGE;
		json = 1;
	}
	if (optind != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (connector_load_all(c->cfg, &cl, &e) != LG_OK)
		return cli_fail(c, EXIT_CONFIG, "%s", e.msg);
	o = json_object();
	arr = json_array();
	for (i = 0; i < cl.n; i++)
		json_array_append_new(arr, status_connector(st, &cl.v[i]));
	json_object_set_new(o, "connectors", arr);
	json_object_set_new(o, "spool", status_spool(st));
	json_object_set_new(o, "quarantine_held",
	    json_integer(status_quarantine(st)));
	connector_list_free(&cl);
	if (json)
		view_print(o);
	else {
		status_text(o);
		json_decref(o);
	}
	return EXIT_OK;
}
