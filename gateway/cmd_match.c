/* contacts profile add|list|remove, match */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "core/config.h"
#include "core/domain.h"
#include "core/object.h"
#include "core/pipeline.h"
#include "core/space.h"
#include "core/store.h"
#include "core/view.h"
#include "outbound/match.h"
#include "spool/deliver.h"
#include "spool/spool.h"
#include "util/table.h"
#include "util/xmalloc.h"

/* ---- contacts profile ---- */

/* "MIN-MAX", "MIN-" or "-MAX" into the two fields named base_min/max. */
static int
profile_range(struct cli *c, struct search_profile *p, const char *base,
    const char *v)
{
	const char *dash = strchr(v, '-');
	char key[32], *lo;
	struct err e;
	int rc = EXIT_OK;

	err_clear(&e);
	if (dash == NULL)
		return cli_fail(c, EXIT_USAGE, "--%s takes MIN-MAX, MIN- or "
		    "-MAX, not '%s'", base, v);
	lo = xstrndup(v, (size_t)(dash - v));
	snprintf(key, sizeof(key), "%s_min", base);
	if (*lo && search_profile_set(p, key, lo, &e) != LG_OK)
		rc = cli_fail(c, EXIT_USAGE, "--%s: %s", base, e.msg);
	snprintf(key, sizeof(key), "%s_max", base);
	if (rc == EXIT_OK && dash[1] &&
	    search_profile_set(p, key, dash + 1, &e) != LG_OK)
		rc = cli_fail(c, EXIT_USAGE, "--%s: %s", base, e.msg);
	free(lo);
	return rc;
}

struct profile_job {
	struct search_profile *p;
};

static int
profile_save(struct cli *c, void *arg, struct err *e)
{
	struct profile_job *j = arg;
	struct contact *ct;
	int rc;

	if ((rc = store_contact_get(c->st, j->p->contact_id, &ct, e)) != LG_OK)
		return rc;
	contact_free(ct);
	return store_profile_add(c->st, j->p, e);
}

static int
profile_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "type", required_argument, NULL, 't' },
		{ "price", required_argument, NULL, 'p' },
		{ "rooms", required_argument, NULL, 'r' },
		{ "area", required_argument, NULL, 'a' },
		{ "postcodes", required_argument, NULL, 'z' },
		{ "cities", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct search_profile *p = search_profile_new();
	struct profile_job j = { p };
	long long id;
	struct err e;
	int ch, rc = EXIT_OK;

	err_clear(&e);
	while (rc == EXIT_OK &&
	    (ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		switch (ch) {
		case 'k':
		case 't':
		case 'z':
		case 'c':
			if (search_profile_set(p, ch == 'k' ? "kind" :
			    ch == 't' ? "type" : ch == 'z' ? "postcodes" :
			    "cities", optarg, &e) != LG_OK)
				rc = cli_fail(c, EXIT_USAGE, "%s", e.msg);
			break;
		case 'p':
		case 'r':
		case 'a':
			rc = profile_range(c, p, ch == 'p' ? "price" :
			    ch == 'r' ? "rooms" : "area", optarg);
			break;
		default:
			rc = EXIT_USAGE;
		}
	}
	if (rc == EXIT_OK && optind + 1 != argc)
		rc = cli_usage(c, stderr, EXIT_USAGE);
	if (rc == EXIT_OK && cli_parse_id(c, argv[optind], "contact id",
	    &id) != 0)
		rc = EXIT_USAGE;
	if (rc == EXIT_OK && search_profile_empty(p))
		rc = cli_fail(c, EXIT_USAGE, "a profile needs at least one of "
		    "--kind --type --price --rooms --area --postcodes --cities");
	if (rc == EXIT_OK) {
		p->contact_id = id;
		p->origin = xstrdup("manual");
		if ((rc = cli_tx(c, profile_save, &j)) == EXIT_OK)
			printf("%lld\n", (long long)p->id);
	}
	search_profile_clear(p);
	free(p);
	return rc;
}

static int
profile_list(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "ID", "CONTACT", "ORIGIN",
	    "PROFILE" };
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct search_profile *v = NULL;
	char id[24], cid[24], *d;
	const char *row[4];
	long long contact = 0;
	struct store *st;
	struct table *t;
	json_t *arr;
	struct err e;
	size_t n = 0, i;
	int ch, json = 0, rc;

	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 'j')
			json = 1;
		else
			return EXIT_USAGE;
	}
	if (optind + 1 < argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if (optind < argc && cli_parse_id(c, argv[optind], "contact id",
	    &contact) != 0)
		return EXIT_USAGE;
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_profiles_list(st, contact, &v, &n, &e) != LG_OK)
		return cli_fail_err(c, &e);
	if (json) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, view_profile(&v[i]));
		view_print(arr);
	} else if (n == 0) {
		printf("no search profiles\n");
	} else {
		t = table_new(4, head);
		table_keep_whole(t, 3);
		for (i = 0; i < n; i++) {
			snprintf(id, sizeof(id), "%lld", (long long)v[i].id);
			snprintf(cid, sizeof(cid), "%lld",
			    (long long)v[i].contact_id);
			d = search_profile_describe(&v[i]);
			row[0] = id;
			row[1] = cid;
			row[2] = v[i].origin;
			row[3] = d;
			table_add(t, row);
			free(d);
		}
		table_print(t, stdout, TABLE_TEXT);
		table_free(t);
	}
	search_profiles_free(v, n);
	return EXIT_OK;
}

static int
profile_remove_tx(struct cli *c, void *arg, struct err *e)
{
	return store_profile_remove(c->st, *(long long *)arg, e);
}

static int
profile_remove(struct cli *c, int argc, char **argv)
{
	long long id;

	if (argc != 2)
		return cli_usage(c, stderr, EXIT_USAGE);
	if (cli_parse_id(c, argv[1], "profile id", &id) != 0)
		return EXIT_USAGE;
	return cli_tx(c, profile_remove_tx, &id);
}

static const struct {
	const char *verb;
	int (*run)(struct cli *, int, char **);
} profile_verbs[] = {
	{ "add", profile_add },
	{ "list", profile_list },
	{ "remove", profile_remove },
};

int
cmd_contacts_profile(struct cli *c, int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return cli_usage(c, stderr, EXIT_USAGE);
	for (i = 0; i < sizeof(profile_verbs) / sizeof(profile_verbs[0]); i++)
		if (strcmp(argv[1], profile_verbs[i].verb) == 0)
			return profile_verbs[i].run(c, argc - 1, argv + 1);
	return cli_fail(c, EXIT_USAGE, "profile takes add, list or remove, "
	    "not '%s'", argv[1]);
}

/* ---- match ---- */

static void
match_print(const struct match_result *r, int dry_run)
{
	const struct object *o = r->obj;
	size_t i;

	printf("object %s: %s %s, price %.15g, %.15g rooms, %.15g m2, %s %s "
	    "(%s)\n", o->ref, o->kind ? o->kind : "?", o->type ? o->type : "?",
	    o->price, o->rooms, o->area, o->postcode ? o->postcode : "?",
	    o->city ? o->city : "?", o->state);
	printf("matches: %ld (%s %ld)\n", r->matches, dry_run ?
	    "would write to" : "to write to", r->writable);
	for (i = 0; i < r->n; i++)
		if (!r->v[i].near)
			printf("  contact %lld %s (profile %lld): %s%s%s\n",
			    (long long)r->v[i].contact_id, r->v[i].name,
			    (long long)r->v[i].profile_id, r->v[i].why,
			    r->v[i].skip ? " -- skipped: " : "",
			    r->v[i].skip ? r->v[i].skip : "");
	printf("near misses: %ld\n", r->nears);
	for (i = 0; i < r->n; i++)
		if (r->v[i].near)
			printf("  contact %lld %s (profile %lld): %s\n",
			    (long long)r->v[i].contact_id, r->v[i].name,
			    (long long)r->v[i].profile_id, r->v[i].why);
}

/* What was queued goes now; another run (the daemon's) may hold it. */
static int
match_deliver(struct cli *c)
{
	struct deliver_opts dopt = { -1, NULL, NULL };
	const struct pipelines *pl;
	struct deliver_stats s;
	struct err e;
	int rc;

	if ((rc = cli_pipelines(c, &pl)) != EXIT_OK)
		return rc;
	err_clear(&e);
	rc = deliver_run_opts(c->cfg, pl, &dopt, &s, &e);
	if (s.locked_out) {
		printf("delivery: left to the delivery run under way\n");
		return EXIT_OK;
	}
	printf("delivery: %ld sent, %ld deferred, %ld failed\n", s.sent,
	    s.deferred, s.failed);
	if (rc == LG_EPERM)
		return cli_fail(c, EXIT_CONFIG, "%s", e.msg);
	return rc == LG_OK ? EXIT_OK : cli_fail_err(c, &e);
}

int
cmd_match(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "template", required_argument, NULL, 't' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct match_req req;
	struct match_result r;
	struct spool *sp = NULL;
	struct domain d;
	char why[600];
	struct err e;
	int ch, rc;

	memset(&req, 0, sizeof(req));
	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 't')
			req.template = optarg;
		else if (ch == 'n')
			req.dry_run = 1;
		else
			return EXIT_USAGE;
	}
	if (optind + 1 != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	req.object = argv[optind];
	if ((rc = cli_domain(c, &d)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (!req.dry_run) {
		if (space_low(c->cfg, why, sizeof(why)))
			return cli_fail(c, EXIT_TEMPFAIL, "low on space, "
			    "nothing queued: %s", why);
		if (spool_open(c->cfg->spool_dir, &sp, &e) != LG_OK)
			return cli_fail_err(c, &e);
	}
	rc = match_run(&d, c->cfg, sp, &req, &r, &e);
	spool_close(sp);
	if (r.obj != NULL)
		match_print(&r, req.dry_run);
	if (rc != LG_OK) {
		match_result_clear(&r);
		return cli_fail(c, cli_exit_for(rc), "%s%s", e.msg,
		    rc == LG_ETEMP ? " (run it again to go on)" : "");
	}
	if (req.dry_run) {
		printf("dry run: nothing is sent or changed\n");
		match_result_clear(&r);
		return EXIT_OK;
	}
	printf("campaign %s: %ld queued, %ld skipped; %ld leads made\n",
	    r.campaign, r.queued, r.skipped, r.leads_made);
	match_result_clear(&r);
	return match_deliver(c);
}

int
cmd_match_objects(struct cli *c, const char *const *refs, size_t n)
{
	struct match_req req;
	struct match_result r;
	struct spool *sp = NULL;
	struct domain d;
	char why[600];
	struct err e;
	size_t i;
	int rc = EXIT_OK, one;

	if ((rc = cli_domain(c, &d)) != EXIT_OK)
		return rc;
	if (space_low(c->cfg, why, sizeof(why)))
		return cli_fail(c, EXIT_TEMPFAIL, "low on space, no matching: "
		    "%s", why);
	err_clear(&e);
	if (spool_open(c->cfg->spool_dir, &sp, &e) != LG_OK)
		return cli_fail_err(c, &e);
	for (i = 0; i < n; i++) {
		memset(&req, 0, sizeof(req));
		req.object = refs[i];
		err_clear(&e);
		one = match_run(&d, c->cfg, sp, &req, &r, &e);
		if (one == LG_OK)
			printf("match %s: %ld matches, %ld queued, %ld skipped; "
			    "%ld leads made\n", refs[i], r.matches, r.queued,
			    r.skipped, r.leads_made);
		else
			rc = cli_fail(c, cli_exit_for(one), "match %s: %s",
			    refs[i], e.msg);
		match_result_clear(&r);
	}
	spool_close(sp);
	one = match_deliver(c);
	return rc != EXIT_OK ? rc : one;
}
