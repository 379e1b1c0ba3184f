/* leads list|show|add|move|win|lose|convert|action|note|assign|update */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "gateway/cmdutil.h"
#include "gateway/mailview.h"
#include "core/config.h"
#include "core/domain.h"
#include "core/filter.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "util/table.h"
#include "core/view.h"
#include "util/buf.h"
#include "outbound/followup.h"
#include "util/xmalloc.h"

/* What follows a change of leads, in its transaction (followup.h). */
static int
leads_after(struct cli *c, struct domain *d, int64_t new_lead, struct err *e)
{
	return followup_change(d, c->cfg, new_lead, e);
}

static void
leads_table_row(struct domain *d, struct table *t, const struct lead *l)
{
	const struct pipeline *pl = pipelines_find(d->pl, l->pipeline);
	const struct phase *ph = pl ? pipeline_phase(pl, l->phase_no) : NULL;
	char id[24], cid[24], phase[160];
	const char *row[8];

	snprintf(id, sizeof(id), "%lld", (long long)l->id);
	snprintf(cid, sizeof(cid), "%lld", (long long)l->contact_id);
	snprintf(phase, sizeof(phase), "%d %s", l->phase_no, ph ? ph->name : "?");
	row[0] = id;
	row[1] = cid;
	row[2] = l->pipeline;
	row[3] = phase;
	row[4] = lead_status_name(l->status);
	row[5] = l->source;
	row[6] = l->object_ref;
	row[7] = l->created_at;
	table_add(t, row);
}

int
cmd_leads_list(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "ID", "CONTACT", "PIPELINE",
	    "PHASE", "STATUS", "SOURCE", "OBJECT", "CREATED" };
	struct cmdutil_list opt;
	struct idlist ids = IDLIST_INIT;
	struct table *t = NULL;
	json_t *arr = NULL;
	struct lead *l;
	struct err e;
	size_t i;
	int rc;

	if ((rc = cmdutil_list_opts(c, argc, argv, &opt)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_leads_query(opt.d.st, opt.f, &ids, &e) != LG_OK) {
		rc = cli_fail_err(c, &e);
		goto out;
	}
	if (opt.json)
		arr = json_array();
	else
		t = table_new(8, head);
	for (i = 0; i < ids.n; i++) {
		if (store_lead_get(opt.d.st, ids.v[i], &l, &e) != LG_OK) {
			rc = cli_fail_err(c, &e);
			goto out;
		}
		if (arr)
			json_array_append_new(arr, view_lead(l, opt.d.pl));
		else
			leads_table_row(&opt.d, t, l);
		lead_free(l);
	}
	if (arr) {
		rc = cmdutil_print_json(c, arr);
		arr = NULL;
	} else {
		rc = cmdutil_print_table(c, t);
	}
out:
	json_decref(arr);
	table_free(t);
	idlist_free(&ids);
	filter_free(opt.f);
	return rc;
}

static void
lead_print_text(struct domain *d, const struct lead *l)
{
	const struct pipeline *pl = pipelines_find(d->pl, l->pipeline);
	const struct phase *ph = pl ? pipeline_phase(pl, l->phase_no) : NULL;

	printf("lead %lld (contact %lld)\n", (long long)l->id,
	    (long long)l->contact_id);
	printf("  pipeline: %s\n  phase: %d %s\n  status: %s\n", l->pipeline,
	    l->phase_no, ph ? ph->name : "?", lead_status_name(l->status));
	cmdutil_field("source", l->source);
	cmdutil_field("object", l->object_ref);
	cmdutil_field("portal object", l->portal_object_ref);
	cmdutil_field("portal", l->portal);
	cmdutil_field("portal inquiry", l->portal_ref);
	cmdutil_field("connector", l->connector);
	if (l->custom && strcmp(l->custom, "{}") != 0)
		printf("  custom: %s\n", l->custom);
	cmdutil_field("created", l->created_at);
	cmdutil_field("closed", l->closed_at);
	if (l->message && *l->message)
		cmdutil_block("message", l->message);
}

static json_t *
lead_deals_json(struct domain *d, int64_t lead_id)
{
	json_t *arr = json_array();
	struct deal *v = NULL;
	size_t i, n = 0;

	if (store_deals_of_lead(d->st, lead_id, &v, &n, NULL) == LG_OK)
		for (i = 0; i < n; i++)
			json_array_append_new(arr, view_deal(&v[i]));
	store_deals_free(v, n);
	return arr;
}

int
cmd_leads_show(struct cli *c, int argc, char **argv)
{
	struct cmdutil_show s;
	struct config *cfg;
	struct lead *l;
	struct err e;
	json_t *o;
	int rc;

	if ((rc = cmdutil_show_opts(c, argc, argv, "lead id", &s)) != EXIT_OK ||
	    (rc = cli_config(c, &cfg)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_lead_get(s.d.st, s.id, &l, &e) != LG_OK)
		return cli_fail_err(c, &e);
	if (s.json) {
		o = view_lead(l, s.d.pl);
		json_object_set_new(o, "history", cmdutil_history_json(&s.d,
		    l->id, 0));
		json_object_set_new(o, "deals", lead_deals_json(&s.d, l->id));
		json_object_set_new(o, "mails", mailview_lead_json(cfg, s.d.st,
		    l->id));
		view_print(o);
	} else {
		lead_print_text(&s.d, l);
		cmdutil_history_text(&s.d, l->id, 0);
		mailview_lead_text(cfg, s.d.st, l->id);
	}
	lead_free(l);
	return EXIT_OK;
}

enum {
	OPT_CONTACT = 256, OPT_SOURCE, OPT_PIPELINE, OPT_PHASE, OPT_OBJECT,
	OPT_PORTAL_OBJECT, OPT_PORTAL, OPT_PORTAL_REF, OPT_MESSAGE, OPT_CUSTOM,
	OPT_JSON,
};

struct lead_job {
	struct domain d;
	struct lead *l;
	const char *phase;
};

static int
lead_save(struct cli *c, void *arg, struct err *e)
{
	struct lead_job *j = arg;
	const struct pipeline *pl = pipelines_find(j->d.pl, j->l->pipeline);
	const struct phase *ph;
	int rc;

	if (pl == NULL)
		return err_set(e, LG_EPERM, "unknown pipeline '%s'",
		    j->l->pipeline);
	if (j->phase) {
		if ((rc = pipeline_phase_lookup(pl, j->phase, &ph, e)) != LG_OK)
			return rc;
		j->l->phase_no = ph->no;
	}
	if ((rc = domain_lead_add(&j->d, j->l, "added by hand", e)) != LG_OK)
		return rc;
	return leads_after(c, &j->d, j->l->id, e);
}

static int
lead_apply(struct cli *c, struct lead_job *j, int ch, const char *arg)
{
	long long id;

	switch (ch) {
	case OPT_CONTACT:
		if (cli_parse_id(c, arg, "--contact", &id) != 0)
			return EXIT_USAGE;
		j->l->contact_id = id;
		return EXIT_OK;
	case OPT_SOURCE:
		xstrset(&j->l->source, arg);
		return EXIT_OK;
	case OPT_PIPELINE:
		xstrset(&j->l->pipeline, arg);
		return EXIT_OK;
	case OPT_PHASE:
		j->phase = arg;
		return EXIT_OK;
	case OPT_OBJECT:
		xstrset(&j->l->object_ref, arg);
		return EXIT_OK;
	case OPT_PORTAL_OBJECT:
		xstrset(&j->l->portal_object_ref, arg);
		return EXIT_OK;
	case OPT_PORTAL:
		xstrset(&j->l->portal, arg);
		return EXIT_OK;
	case OPT_PORTAL_REF:
		xstrset(&j->l->portal_ref, arg);
		return EXIT_OK;
	case OPT_MESSAGE:
		xstrset(&j->l->message, arg);
		return EXIT_OK;
	case OPT_CUSTOM:
		return cmdutil_custom_set(c, &j->l->custom, arg);
	}
	return EXIT_USAGE;
}

int
cmd_leads_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "contact", required_argument, NULL, OPT_CONTACT },
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ "pipeline", required_argument, NULL, OPT_PIPELINE },
		{ "phase", required_argument, NULL, OPT_PHASE },
		{ "object", required_argument, NULL, OPT_OBJECT },
		{ "portal-object", required_argument, NULL, OPT_PORTAL_OBJECT },
		{ "portal", required_argument, NULL, OPT_PORTAL },
		{ "portal-ref", required_argument, NULL, OPT_PORTAL_REF },
		{ "message", required_argument, NULL, OPT_MESSAGE },
		{ "custom", required_argument, NULL, OPT_CUSTOM },
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	struct lead_job j;
	int ch, rc = EXIT_OK, json = 0;

	memset(&j, 0, sizeof(j));
	j.l = lead_new();
	j.l->connector = xstrdup("manual");
	while (rc == EXIT_OK &&
	    (ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == '?')
			rc = EXIT_USAGE;
		else if (ch == OPT_JSON)
			json = 1;
		else
			rc = lead_apply(c, &j, ch, optarg);
	}
	if (rc == EXIT_OK && (optind != argc || j.l->contact_id == 0 ||
	    j.l->source == NULL))
		rc = cli_usage(c, stderr, EXIT_USAGE);
	if (rc == EXIT_OK && (rc = cli_domain(c, &j.d)) == EXIT_OK &&
	    (rc = cli_tx(c, lead_save, &j)) == EXIT_OK) {
		if (json)
			view_print(view_lead(j.l, j.d.pl));
		else
			printf("%lld\n", (long long)j.l->id);
	}
	lead_free(j.l);
	return rc;
}

struct move_job {
	struct domain d;
	long long id;
	const char *phase;
	const char *action;
	const char *remark;
	int op;			/* 'm'ove, 'w'in, 'l'ose */
};

static int
move_save(struct cli *c, void *arg, struct err *e)
{
	struct move_job *j = arg;
	int rc;

	switch (j->op) {
	case 'w':
		rc = domain_lead_win(&j->d, j->id, j->remark, e);
		break;
	case 'l':
		rc = domain_lead_lose(&j->d, j->id, j->remark, e);
		break;
	default:
		rc = domain_lead_move(&j->d, j->id, j->phase, j->action,
		    j->remark, e);
		break;
	}
	return rc == LG_OK ? leads_after(c, &j->d, 0, e) : rc;
}

static int
leads_move_cmd(struct cli *c, int argc, char **argv, int op)
{
	static const struct option opts[] = {
		{ "action", required_argument, NULL, 'a' },
		{ "remark", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int nargs = op == 'm' ? 2 : 1, ch, rc;
	struct move_job j;

	memset(&j, 0, sizeof(j));
	j.op = op;
	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 'a' && op == 'm')
			j.action = optarg;
		else if (ch == 'r')
			j.remark = optarg;
		else
			return ch == '?' ? EXIT_USAGE :
			    cli_usage(c, stderr, EXIT_USAGE);
	}
	if (argc - optind != nargs)
		return cli_usage(c, stderr, EXIT_USAGE);
	if (j.action && j.remark)
		return cli_fail(c, EXIT_USAGE, "give --action or --remark, "
		    "not both");
	if (cli_parse_id(c, argv[optind], "lead id", &j.id) != 0)
		return EXIT_USAGE;
	j.phase = op == 'm' ? argv[optind + 1] : NULL;
	if ((rc = cli_domain(c, &j.d)) != EXIT_OK)
		return rc;
	return cli_tx(c, move_save, &j);
}

int
cmd_leads_move(struct cli *c, int argc, char **argv)
{
	return leads_move_cmd(c, argc, argv, 'm');
}

int
cmd_leads_win(struct cli *c, int argc, char **argv)
{
	return leads_move_cmd(c, argc, argv, 'w');
}

int
cmd_leads_lose(struct cli *c, int argc, char **argv)
{
	return leads_move_cmd(c, argc, argv, 'l');
}

struct convert_job {
	struct domain d;
	long long id;
	unsigned targets;
	struct convert_result res;
};

static int
convert_save(struct cli *c, void *arg, struct err *e)
{
	struct convert_job *j = arg;
	int rc;

	if ((rc = domain_lead_convert(&j->d, j->id, j->targets, &j->res, e)) !=
	    LG_OK)
		return rc;
	return leads_after(c, &j->d, 0, e);
}

static void
convert_print(const struct convert_job *j, int json)
{
	json_t *o;

	if (!json) {
		if (j->res.contact_id)
			printf("contact %lld\n", (long long)j->res.contact_id);
		if (j->res.company_id)
			printf("company %lld\n", (long long)j->res.company_id);
		if (j->res.deal_id)
			printf("deal %lld\n", (long long)j->res.deal_id);
		return;
	}
	o = json_object();
	json_object_set_new(o, "lead_id", json_integer(j->id));
	json_object_set_new(o, "contact_id", j->res.contact_id ?
	    json_integer(j->res.contact_id) : json_null());
	json_object_set_new(o, "company_id", j->res.company_id ?
	    json_integer(j->res.company_id) : json_null());
	json_object_set_new(o, "deal_id", j->res.deal_id ?
	    json_integer(j->res.deal_id) : json_null());
	view_print(o);
}

int
cmd_leads_convert(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *to = NULL;
	struct convert_job j;
	struct err e;
	int ch, rc, json = 0;

	memset(&j, 0, sizeof(j));
	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 't')
			to = optarg;
		else if (ch == 'j')
			json = 1;
		else
			return EXIT_USAGE;
	}
	if (argc - optind != 1 || to == NULL)
		return cli_usage(c, stderr, EXIT_USAGE);
	if (cli_parse_id(c, argv[optind], "lead id", &j.id) != 0)
		return EXIT_USAGE;
	err_clear(&e);
	if (convert_targets_parse(to, &j.targets, &e) != LG_OK)
		return cli_fail(c, EXIT_USAGE, "%s", e.msg);
	if ((rc = cli_domain(c, &j.d)) != EXIT_OK ||
	    (rc = cli_tx(c, convert_save, &j)) != EXIT_OK)
		return rc;
	convert_print(&j, json);
	return EXIT_OK;
}

struct action_job {
	struct domain d;
	long long id;
	const char *action;
	const char *remark;
	int note;
	struct action_result res;
};

static int
action_save(struct cli *c, void *arg, struct err *e)
{
	struct action_job *j = arg;
	int rc;

	if (j->note)
		rc = domain_lead_note(&j->d, j->id, j->action ? j->action :
		    "note", j->remark, e);
	else
		rc = domain_lead_action(&j->d, j->id, j->action, j->remark,
		    &j->res, e);
	return rc == LG_OK ? leads_after(c, &j->d, 0, e) : rc;
}

static void
action_print(const struct action_job *j)
{
	const struct pipeline *pl;
	const struct phase *ph;
	struct lead *l;

	if (store_lead_get(j->d.st, j->id, &l, NULL) != LG_OK)
		return;
	pl = pipelines_find(j->d.pl, l->pipeline);
	ph = pl ? pipeline_phase(pl, l->phase_no) : NULL;
	if (j->res.moved)
		printf("lead %lld: %s, phase %d -> %d (%s)\n", j->id,
		    j->action, j->res.phase_before, j->res.phase_after,
		    ph ? ph->name : "?");
	else
		printf("lead %lld: %s recorded, still in phase %d (%s)\n",
		    j->id, j->action, l->phase_no, ph ? ph->name : "?");
	lead_free(l);
}

static int
leads_action_cmd(struct cli *c, int argc, char **argv, int note)
{
	static const struct option opts[] = {
		{ "remark", required_argument, NULL, 'r' },
		{ "action", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct action_job j;
	int ch, rc;

	memset(&j, 0, sizeof(j));
	j.note = note;
	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 'r' && !note)
			j.remark = optarg;
		else if (ch == 'a' && note)
			j.action = optarg;
		else
			return ch == '?' ? EXIT_USAGE :
			    cli_usage(c, stderr, EXIT_USAGE);
	}
	if (argc - optind != 2)
		return cli_usage(c, stderr, EXIT_USAGE);
	if (cli_parse_id(c, argv[optind], "lead id", &j.id) != 0)
		return EXIT_USAGE;
	if (note)
		j.remark = argv[optind + 1];
	else
		j.action = argv[optind + 1];
	if ((rc = cli_domain(c, &j.d)) != EXIT_OK ||
	    (rc = cli_tx(c, action_save, &j)) != EXIT_OK)
		return rc;
	if (!note)
		action_print(&j);
	return EXIT_OK;
}

int
cmd_leads_action(struct cli *c, int argc, char **argv)
{
	return leads_action_cmd(c, argc, argv, 0);
}

int
cmd_leads_note(struct cli *c, int argc, char **argv)
{
	return leads_action_cmd(c, argc, argv, 1);
}

struct assign_job {
	struct domain d;
	long long id;
	const char *agent;
	const struct agent *ag;
};

static int
assign_save(struct cli *c, void *arg, struct err *e)
{
	struct assign_job *j = arg;

	return followup_assign(&j->d, c->cfg, j->id, j->agent, &j->ag, e);
}

int
cmd_leads_assign(struct cli *c, int argc, char **argv)
{
	struct assign_job j;
	int rc;

	memset(&j, 0, sizeof(j));
	if (cli_getopt(c, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (argc - optind != 2)
		return cli_usage(c, stderr, EXIT_USAGE);
	if (cli_parse_id(c, argv[optind], "lead id", &j.id) != 0)
		return EXIT_USAGE;
	j.agent = argv[optind + 1];
	if ((rc = cli_domain(c, &j.d)) != EXIT_OK ||
	    (rc = cli_tx(c, assign_save, &j)) != EXIT_OK)
		return rc;
	printf("lead %lld: assigned to %s <%s>\n", j.id, j.ag->name,
	    j.ag->email);
	return EXIT_OK;
}

#define UPDATE_MAX 32

struct update_job {
	struct domain d;
	long long id;
	int n;
	int ch[UPDATE_MAX];	/* the options given, in order */
	const char *arg[UPDATE_MAX];
};

/* The fields `leads update` changes; pipeline and phase move a lead. */
static const struct option update_opts[] = {
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "object", required_argument, NULL, OPT_OBJECT },
	{ "portal-object", required_argument, NULL, OPT_PORTAL_OBJECT },
	{ "portal", required_argument, NULL, OPT_PORTAL },
	{ "portal-ref", required_argument, NULL, OPT_PORTAL_REF },
	{ "message", required_argument, NULL, OPT_MESSAGE },
	{ "custom", required_argument, NULL, OPT_CUSTOM },
	{ "json", no_argument, NULL, OPT_JSON },
	{ NULL, 0, NULL, 0 },
};

static const char *
update_name(int ch)
{
	size_t i;

	for (i = 0; update_opts[i].name; i++)
		if (update_opts[i].val == ch)
			return update_opts[i].name;
	return "?";
}

static int
update_save(struct cli *c, void *arg, struct err *e)
{
	struct update_job *j = arg;
	struct lead_job lj;
	struct buf what = BUF_INIT;
	int i, rc;

	memset(&lj, 0, sizeof(lj));
	if ((rc = store_lead_get(j->d.st, j->id, &lj.l, e)) != LG_OK)
		return rc;
	for (i = 0; i < j->n; i++) {
		if (lead_apply(c, &lj, j->ch[i], j->arg[i]) != EXIT_OK) {
			rc = err_set(e, LG_EPERM, "--%s: bad value",
			    update_name(j->ch[i]));
			goto out;
		}
		buf_printf(&what, "%s%s", what.len ? ", " : "",
		    update_name(j->ch[i]));
	}
	rc = domain_lead_update(&j->d, lj.l, buf_str(&what), e);
out:
	buf_free(&what);
	lead_free(lj.l);
	return rc;
}

int
cmd_leads_update(struct cli *c, int argc, char **argv)
{
	struct update_job j;
	int ch, rc, json = 0;

	memset(&j, 0, sizeof(j));
	while ((ch = cli_getopt(c, argc, argv, "", update_opts)) != -1) {
		if (ch == '?')
			return EXIT_USAGE;
		if (ch == OPT_JSON) {
			json = 1;
			continue;
		}
		if (j.n == UPDATE_MAX)
			return cli_fail(c, EXIT_USAGE, "too many options");
		j.ch[j.n] = ch;
		j.arg[j.n++] = optarg;
	}
	if (argc - optind != 1 || j.n == 0)
		return cli_usage(c, stderr, EXIT_USAGE);
	if (cli_parse_id(c, argv[optind], "lead id", &j.id) != 0)
		return EXIT_USAGE;
	if ((rc = cli_domain(c, &j.d)) != EXIT_OK ||
	    (rc = cli_tx(c, update_save, &j)) != EXIT_OK)
		return rc;
	if (json) {
		struct lead *l;

		if (store_lead_get(j.d.st, j.id, &l, NULL) == LG_OK) {
			view_print(view_lead(l, j.d.pl));
			lead_free(l);
		}
	}
	return EXIT_OK;
}
