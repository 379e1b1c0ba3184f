/* serve; token add|list|remove */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gateway/apitoken.h"
#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "gateway/cmdutil.h"
#include "gateway/http.h"
#include "gateway/http_routes.h"
#include "core/config.h"
#include "core/store.h"
#include "core/view.h"
#include "ingest/ingest.h"
#include "util/log.h"
#include "util/table.h"
#include "util/xmalloc.h"

int
cmd_serve(struct cli *c, int argc, char **argv)
{
	struct http_server *srv = NULL;
	struct http_env env;
	struct ingest *ig;
	struct domain d;
	sigset_t set;
	struct err e;
	int rc, sig;

	if (cli_getopt(c, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (argc - optind != 0)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_domain(c, &d)) != EXIT_OK ||
	    (rc = cmdutil_ingest(c, &ig)) != EXIT_OK)
		return rc;
	http_env_init(&env, c->cfg, d.st, d.pl, ig);
	/* Only this thread takes the signals: block them before MHD's starts. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	err_clear(&e);
	if (http_start(&env, http_routes, http_nroutes, &srv, &e) != LG_OK) {
		rc = cli_fail(c, e.code == LG_ETEMP ? EXIT_TEMPFAIL :
		    EXIT_CONFIG, "%s", e.msg);
		goto out;
	}
	do {
		if (sigwait(&set, &sig) != 0)
			break;
		if (sig == SIGHUP)
			log_info("http", "SIGHUP: restart serve to reload");
	} while (sig == SIGHUP);
	log_info("http", "stopping");
	http_stop(srv);
	rc = EXIT_OK;
out:
	ingest_free(ig);
	http_env_clear(&env);
	return rc;
}

struct token_job {
	struct new_api_token t;
	const char *name;	/* remove */
};

static int
token_save(struct cli *c, void *arg, struct err *e)
{
	struct token_job *j = arg;

	if (j->name)
		return store_api_token_remove(c->st, j->name, e);
	return store_api_token_add(c->st, &j->t, NULL, e);
}

int
cmd_token_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scope", required_argument, NULL, 's' },
		{ "source", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	char tok[APITOKEN_LEN + 1], hex[API_HASH_HEX + 1];
	struct token_job j;
	struct store *st;
	struct err e;
	int ch, rc;

	memset(&j, 0, sizeof(j));
	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 's')
			j.t.scope = optarg;
		else if (ch == 'S')
			j.t.source = optarg;
		else
			return EXIT_USAGE;
	}
	if (argc - optind != 1 || j.t.scope == NULL)
		return cli_usage(c, stderr, EXIT_USAGE);
	j.t.name = argv[optind];
	if (!apitoken_name_ok(j.t.name))
		return cli_fail(c, EXIT_DATAERR, "a token name is 1 to 64 "
		    "letters, digits, '-', '_' or '.'");
	if (!apitoken_scope_ok(j.t.scope))
		return cli_fail(c, EXIT_DATAERR, "the scope is read, write or "
		    "form");
	if ((strcmp(j.t.scope, "form") == 0) != (j.t.source != NULL))
		return cli_fail(c, EXIT_USAGE, "--source goes with --scope "
		    "form, and only with it");
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (apitoken_new(tok, sizeof(tok), &e) != LG_OK)
		return cli_fail_err(c, &e);
	apitoken_hash(tok, hex, sizeof(hex));
	j.t.hash = hex;
	if ((rc = cli_tx(c, token_save, &j)) == EXIT_OK)
		printf("%s\n", tok);
	explicit_bzero(tok, sizeof(tok));
	return rc;
}

int
cmd_token_list(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "NAME", "SCOPE", "SOURCE",
	    "CREATED" };
	struct api_token *v = NULL;
	struct store *st;
	struct table *t;
	const char *row[4];
	json_t *arr, *o;
	size_t i, n = 0;
	struct err e;
	int rc;

	if (cli_getopt(c, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (argc - optind != 0)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_api_token_list(st, &v, &n, &e) != LG_OK)
		return cli_fail_err(c, &e);
	if (cmdutil_json(c)) {
		arr = json_array();
		for (i = 0; i < n; i++) {
			o = json_object();
			json_object_set_new(o, "name", json_string(v[i].name));
			json_object_set_new(o, "scope", json_string(v[i].scope));
			json_object_set_new(o, "source", v[i].source ?
			    json_string(v[i].source) : json_null());
			json_object_set_new(o, "created_at", json_string(
			    v[i].created_at));
			json_array_append_new(arr, o);
		}
		rc = cmdutil_print_json(c, arr);
	} else {
		t = table_new(4, head);
		for (i = 0; i < n; i++) {
			row[0] = v[i].name;
			row[1] = v[i].scope;
			row[2] = v[i].source ? v[i].source : "-";
			row[3] = v[i].created_at;
			table_add(t, row);
		}
		rc = cmdutil_print_table(c, t);
		table_free(t);
	}
	store_api_tokens_free(v, n);
	return rc;
}

int
cmd_token_remove(struct cli *c, int argc, char **argv)
{
	struct token_job j;

	if (cli_getopt(c, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (argc - optind != 1)
		return cli_usage(c, stderr, EXIT_USAGE);
	memset(&j, 0, sizeof(j));
	j.name = argv[optind];
	return cli_tx(c, token_save, &j);
}
