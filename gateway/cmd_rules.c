/* rules check, rules test */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ingest/ingest.h"
#include "util/buf.h"
#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "gateway/cmdutil.h"
#include "core/config.h"
#include "core/pipeline.h"
#include "core/view.h"
#include "parse/inquiry.h"
#include "parse/parse_data.h"
#include "rules/rules.h"

/*
 * The profiles and the lexicon the configuration names, then the rule
 * file (its extractors checked against the profiles when they loaded):
 * every mistake of every file on standard error, raw FILE:LINE lines.
 */
int
cmd_rules_check(struct cli *c, int argc, char **argv)
{
	struct err_list errs = { NULL, 0 };
	const struct pipelines *pl;
	struct parse_data *pd = NULL;
	struct config *cfg;
	struct rules *r = NULL;
	const char *path;
	struct err e;
	size_t i, n;
	int rc;

	if ((rc = cli_getopt(c, argc, argv, "", NULL)) != -1)
		return EXIT_USAGE;
	if (argc - optind > 1)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_config(c, &cfg)) != EXIT_OK ||
	    (rc = cli_pipelines(c, &pl)) != EXIT_OK)
		return rc;
	path = optind < argc ? argv[optind] : cfg->rules_path;
	err_clear(&e);
	parse_data_load(cfg->lexicon_dir, cfg->profiles_dir, &pd, &errs, &e);
	rules_load(path, pl, cfg->templates_dir, pd, &r, &errs, &e);
	if (errs.n > 0) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.v[i]);
		err_list_clear(&errs);
		rules_free(r);
		parse_data_free(pd);
		return EXIT_DATAERR;
	}
	printf("%s: %zu lexicon files, ok\n", cfg->lexicon_dir,
	    parse_data_nlexicons(pd));
	n = parse_data_nprofiles(pd);
	printf("%s: %zu profile%s, ok\n", cfg->profiles_dir, n, n == 1 ? "" :
	    "s");
	printf("%s: %zu rule%s, ok\n", path, r->n, r->n == 1 ? "" : "s");
	rules_free(r);
	parse_data_free(pd);
	return EXIT_OK;
}

static const char *
phase_name(struct cli *c, const char *pipeline, int no)
{
	const struct pipelines *pl;
	const struct pipeline *p;
	const struct phase *ph;

	if (cli_pipelines(c, &pl) != EXIT_OK ||
	    (p = pipelines_find(pl, pipeline)) == NULL)
		return "?";
	if (no == 0)
		no = p->initial;
	ph = pipeline_phase(p, no);
	return ph ? ph->name : "?";
}

static json_t *
rules_test_json(struct cli *c, const struct ingest_report *r)
{
	const struct rule *rule = r->rule;
	json_t *o = json_object(), *act = json_object();

	json_object_set_new(o, "outcome",
	    json_string(ingest_outcome_name(r->outcome)));
	json_object_set_new(o, "key", json_string(r->key));
	json_object_set_new(o, "rule", rule ? json_string(rule->name) :
	    json_null());
	json_object_set_new(o, "inquiry", r->inquiry ?
	    inquiry_to_json(r->inquiry) : json_null());
	json_object_set_new(o, "decision", json_string(r->decision));
	json_object_set_new(o, "reason", r->reason[0] ?
	    json_string(r->reason) : json_null());
	json_object_set_new(o, "autoreply", r->autoreply[0] ?
	    json_string(r->autoreply) : json_null());
	json_object_set_new(o, "reply", json_boolean(r->reply));
	if (r->reply)
		json_object_set_new(act, "history_of_lead",
		    json_integer(r->lead_id));
	else if (rule && r->outcome != INGEST_QUARANTINED &&
	    r->outcome != INGEST_IGNORED && r->outcome != INGEST_DUPLICATE) {
		json_object_set_new(act, "pipeline", json_string(rule->pipeline ?
		    rule->pipeline : c->pl->v[0].name));
		json_object_set_new(act, "phase", json_string(phase_name(c,
		    rule->pipeline, rule->phase)));
		json_object_set_new(act, "autoreply", rule->autoreply ?
		    json_string(rule->autoreply) : json_null());
	}
	json_object_set_new(o, "actions", act);
	return o;
}

static void
rules_test_text(struct cli *c, const struct ingest_report *r)
{
	const struct rule *rule = r->rule;
	char *fields;
	json_t *q;
	size_t i;

	if (rule)
		printf("rule: %s (%s:%d)\n", rule->name, rule->file ?
		    rule->file : "built-in", rule->line);
	printf("key: %s\n", r->key);
	if (r->inquiry) {
		q = inquiry_to_json(r->inquiry);
		fields = json_dumps(q, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("extracted: %s\n", fields ? fields : "?");
		free(fields);
		json_decref(q);
	}
	printf("outcome: %s\n", ingest_outcome_name(r->outcome));
	if (r->decision[0])
		printf("deduplication: %s\n", r->decision);
	if (r->reason[0])
		printf("reason: %s\n", r->reason);
	if (rule == NULL || (r->outcome != INGEST_NEW_LEAD &&
	    r->outcome != INGEST_EXISTING_LEAD))
		return;
	printf("actions:\n");
	if (r->reply) {
		/* An answer: the rule's lead settings do not apply. */
		printf("  add the answer to the history of lead %lld (no lead, "
		    "no autoreply)\n", (long long)r->lead_id);
		return;
	}
	if (r->outcome == INGEST_NEW_LEAD)
		printf("  create a lead in pipeline %s, phase %s\n",
		    rule->pipeline ? rule->pipeline : c->pl->v[0].name,
		    phase_name(c, rule->pipeline, rule->phase));
	else
		printf("  add the inquiry to the history of lead %lld\n",
		    (long long)r->lead_id);
	for (i = 0; i < rule->ntags; i++)
		printf("  tag %s\n", rule->tags[i]);
	if (rule->assignee)
		printf("  assign to %s\n", rule->assignee);
	if (rule->autoreply)
		printf("  reply with template %s, then move to phase %s: %s\n",
		    rule->autoreply, phase_name(c, rule->pipeline,
		    rule->autoreply_phase), r->autoreply[0] ? r->autoreply :
		    "not for an inquiry on an open lead");
}

static int
slurp(const char *path, struct buf *b)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	if (f != stdin)
		fclose(f);
	return 0;
}

int
cmd_rules_test(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "connector", required_argument, NULL, 'C' },
		{ "sender", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct source_meta meta;
	struct buf b = BUF_INIT;
	struct ingest *ig;
	struct err e;
	int ch, rc, json = 0;

	memset(&meta, 0, sizeof(meta));
	meta.connector = "test";
	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 'C')
			meta.connector = optarg;
		else if (ch == 's')
			meta.envelope_from = optarg;
		else if (ch == 'j')
			json = 1;
		else
			return EXIT_USAGE;
	}
	if (argc - optind != 1)
		return cli_usage(c, stderr, EXIT_USAGE);
	if (slurp(argv[optind], &b) != 0)
		return cli_fail(c, EXIT_NOINPUT, "%s: %s", argv[optind],
		    strerror(errno));
	if ((rc = cmdutil_ingest(c, &ig)) != EXIT_OK) {
		buf_free(&b);
		return rc;
	}
	ingest_set_dry_run(ig, 1);
	err_clear(&e);
	rc = ingest_mail(ig, b.data ? b.data : "", b.len, &meta, &e);
	buf_free(&b);
	if (rc != LG_OK) {
		ingest_free(ig);
		return cli_fail_err(c, &e);
	}
	if (json)
		view_print(rules_test_json(c, ingest_last(ig)));
	else
		rules_test_text(c, ingest_last(ig));
	ingest_free(ig);
	return EXIT_OK;
}
