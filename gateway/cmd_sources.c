/* sources list|add|rename|remove */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "gateway/cmdutil.h"
#include "core/store.h"
#include "util/table.h"
#include "core/view.h"

static int
sources_print(struct cli *c, const struct source_row *v, size_t n)
{
	static const char *const head[] = { "SOURCE", "LEADS" };
	struct table *t;
	json_t *arr, *o;
	char count[24];
	const char *row[2];
	size_t i;

	int rc;

	if (cmdutil_json(c)) {
		arr = json_array();
		for (i = 0; i < n; i++) {
			o = json_object();
			json_object_set_new(o, "name", json_string(v[i].name));
			json_object_set_new(o, "leads", json_integer(v[i].leads));
			json_object_set_new(o, "created_at",
			    json_string(v[i].created_at));
			json_array_append_new(arr, o);
		}
		return cmdutil_print_json(c, arr);
	}
	t = table_new(2, head);
	table_align_right(t, 1);
	for (i = 0; i < n; i++) {
		snprintf(count, sizeof(count), "%ld", v[i].leads);
		row[0] = v[i].name;
		row[1] = count;
		table_add(t, row);
	}
	rc = cmdutil_print_table(c, t);
	table_free(t);
	return rc;
}

int
cmd_sources_list(struct cli *c, int argc, char **argv)
{
	struct source_row *v = NULL;
	struct store *st;
	struct err e;
	size_t n = 0;
	int rc;

	if (cli_getopt(c, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (optind != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_source_list(st, &v, &n, &e) != LG_OK)
		return cli_fail_err(c, &e);
	rc = sources_print(c, v, n);
	store_source_rows_free(v, n);
	return rc;
}

struct source_job {
	char op;
	const char *a, *b;
};

static int
source_save(struct cli *c, void *arg, struct err *e)
{
	struct source_job *j = arg;

	switch (j->op) {
	case 'a':
		return store_source_add(c->st, j->a, e);
	case 'r':
		return store_source_rename(c->st, j->a, j->b, e);
	default:
		return store_source_remove(c->st, j->a, e);
	}
}

static int
source_name_ok(struct cli *c, const char *name)
{
	const char *p;

	for (p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			break;
	if (*name == '\0' || *p != '\0' || strlen(name) > 100)
		return cli_fail(c, EXIT_USAGE, "a source name is 1 to 100 "
		    "printable characters");
	return EXIT_OK;
}

static int
sources_edit(struct cli *c, int argc, char **argv, char op, int nargs)
{
	struct source_job j = { op, NULL, NULL };
	int rc;

	if (argc - 1 != nargs || argv[1][0] == '-')
		return cli_usage(c, stderr, EXIT_USAGE);
	j.a = argv[1];
	j.b = nargs > 1 ? argv[2] : NULL;
	if ((rc = source_name_ok(c, j.a)) != EXIT_OK ||
	    (j.b && (rc = source_name_ok(c, j.b)) != EXIT_OK))
		return rc;
	return cli_tx(c, source_save, &j);
}

int
cmd_sources_add(struct cli *c, int argc, char **argv)
{
	return sources_edit(c, argc, argv, 'a', 1);
}

int
cmd_sources_rename(struct cli *c, int argc, char **argv)
{
	return sources_edit(c, argc, argv, 'r', 2);
}

int
cmd_sources_remove(struct cli *c, int argc, char **argv)
{
	return sources_edit(c, argc, argv, 'd', 1);
}
