#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/ingest.h"
#include "gateway/cli.h"
#include "gateway/cmdutil.h"
#include "core/filter.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "util/table.h"
#include "core/view.h"
#include "util/xmalloc.h"

int
cmdutil_list_opts(struct cli *c, int argc, char **argv,
    struct cmdutil_list *out)
{
	static const struct option opts[] = {
		{ "filter", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *text = "";
	struct err e;
	int ch, rc;

	memset(out, 0, sizeof(*out));
	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 'f')
			text = optarg;
		else if (ch == 'j')
			out->json = 1;
		else
			return EXIT_USAGE;
	}
	if (optind != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_domain(c, &out->d)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (filter_parse(text, out->d.pl, &out->f, &e) != LG_OK)
		return cli_fail(c, EXIT_USAGE, "%s", e.msg);
	return EXIT_OK;
}

int
cmdutil_show_opts(struct cli *c, int argc, char **argv, const char *what,
    struct cmdutil_show *out)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(out, 0, sizeof(*out));
	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch != 'j')
			return EXIT_USAGE;
		out->json = 1;
	}
	/* The id may come before or after --json. */
	if (optind < argc && argc - optind == 1) {
		if (cli_parse_id(c, argv[optind], what, &out->id) != 0)
			return EXIT_USAGE;
	} else {
		return cli_usage(c, stderr, EXIT_USAGE);
	}
	return cli_domain(c, &out->d);
}

int
cmdutil_custom_set(struct cli *c, char **custom, const char *kv)
{
	const char *eq = strchr(kv, '=');
	json_t *o;
	char *key;

	if (eq == NULL || eq == kv)
		return cli_fail(c, EXIT_USAGE, "--custom needs KEY=VALUE, not "
		    "'%s'", kv);
	o = view_custom(*custom);
	key = xstrndup(kv, (size_t)(eq - kv));
	if (eq[1] == '\0')
		json_object_del(o, key);
	else if (json_object_set_new(o, key, json_string(eq + 1)) != 0) {
		free(key);
		json_decref(o);
		return cli_fail(c, EXIT_USAGE, "--custom: not valid UTF-8");
	}
	free(key);
	free(*custom);
	*custom = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return EXIT_OK;
}

int
cmdutil_yesno(struct cli *c, const char *opt, const char *v, int *out)
{
	if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0)
		*out = 1;
	else if (strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0)
		*out = 0;
	else
		return cli_fail(c, EXIT_USAGE, "%s takes yes or no, not '%s'",
		    opt, v);
	return EXIT_OK;
}

void
cmdutil_field(const char *label, const char *value)
{
	if (value != NULL && *value != '\0')
		printf("  %s: %s\n", label, value);
}

void
cmdutil_block(const char *label, const char *text)
{
	const char *p = text, *nl;

	printf("  %s:\n", label);
	while (*p) {
		nl = strchr(p, '\n');
		if (nl != p)
			printf("    %.*s", nl ? (int)(nl - p) : (int)strlen(p), p);
		putchar('\n');
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

json_t *
cmdutil_leads_json(struct domain *d, const struct idlist *ids)
{
	json_t *arr = json_array();
	struct lead *l;
	size_t i;

	for (i = 0; i < ids->n; i++) {
		if (store_lead_get(d->st, ids->v[i], &l, NULL) != LG_OK)
			continue;
		json_array_append_new(arr, view_lead(l, d->pl));
		lead_free(l);
	}
	return arr;
}

void
cmdutil_leads_text(struct domain *d, const struct idlist *ids)
{
	static const char *const head[] = { "ID", "PIPELINE", "PHASE",
	    "STATUS", "SOURCE", "OBJECT", "CREATED" };
	const struct pipeline *pl;
	const struct phase *ph;
	char id[24], phase[160];
	const char *row[7];
	struct table *t;
	struct lead *l;
	size_t i;

	if (ids->n == 0) {
		printf("no leads\n");
		return;
	}
	printf("leads:\n");
	t = table_new(7, head);
	for (i = 0; i < ids->n; i++) {
		if (store_lead_get(d->st, ids->v[i], &l, NULL) != LG_OK)
			continue;
		pl = pipelines_find(d->pl, l->pipeline);
		ph = pl ? pipeline_phase(pl, l->phase_no) : NULL;
		snprintf(id, sizeof(id), "%lld", (long long)l->id);
		snprintf(phase, sizeof(phase), "%d %s", l->phase_no,
		    ph ? ph->name : "?");
		row[0] = id;
		row[1] = l->pipeline;
		row[2] = phase;
		row[3] = lead_status_name(l->status);
		row[4] = l->source;
		row[5] = l->object_ref;
		row[6] = l->created_at;
		table_add(t, row);
		lead_free(l);
	}
	table_print(t, stdout, TABLE_TEXT);
	table_free(t);
}

json_t *
cmdutil_history_json(struct domain *d, int64_t lead_id, int64_t contact_id)
{
	struct history *h = NULL;
	json_t *arr = json_array();
	size_t i, n = 0;

	if (store_history_list(d->st, lead_id, contact_id, &h, &n, NULL) != LG_OK)
		return arr;
	for (i = 0; i < n; i++)
		json_array_append_new(arr, view_history(&h[i]));
	store_history_free(h, n);
	return arr;
}

void
cmdutil_history_text(struct domain *d, int64_t lead_id, int64_t contact_id)
{
	struct history *h = NULL;
	size_t i, n = 0;

	if (store_history_list(d->st, lead_id, contact_id, &h, &n, NULL) != LG_OK)
		return;
	printf("history:\n");
	for (i = 0; i < n; i++) {
		printf("  %s  %s", h[i].at, h[i].action);
		if (h[i].phase_after)
			printf(" [%d -> %d]", h[i].phase_before,
			    h[i].phase_after);
		if (h[i].lead_id && !lead_id)
			printf(" (lead %lld)", (long long)h[i].lead_id);
		if (h[i].remark)
			printf(": %s", h[i].remark);
		printf("\n");
	}
	store_history_free(h, n);
}

int
cmdutil_ingest(struct cli *c, struct ingest **out)
{
	const struct parse_data *pd;
	const struct rules *r;
	struct domain d;
	int rc;

	if ((rc = cli_domain(c, &d)) != EXIT_OK ||
	    (rc = cli_rules(c, &r)) != EXIT_OK ||
	    (rc = cli_parse_data(c, &pd)) != EXIT_OK)
		return rc;
	*out = ingest_new(c->cfg, d.st, d.pl, r, pd);
	return EXIT_OK;
}
