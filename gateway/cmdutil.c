#include <ctype.h>
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
		{ NULL, 0, NULL, 0 },
	};
	const char *text = "";
	struct err e;
	int ch, rc;

	memset(out, 0, sizeof(*out));
	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 'f')
			text = optarg;
		else
			return EXIT_USAGE;
	}
	out->json = cmdutil_json(c);
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

#define SORT_MAX 8

struct sort_key {
	size_t col;		/* column, or index into the key names */
	int desc;
};
struct sort_spec {
	struct sort_key k[SORT_MAX];
	size_t n;
	const char *const *names;	/* JSON: the key of each col */
};

/* The one name want means: exact (any case), else a unique prefix. */
static int
sort_field(const char *want, size_t len, const char *const *names,
    size_t n, size_t *out)
{
	size_t i, hits = 0;

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len &&
		    strncasecmp(names[i], want, len) == 0) {
			*out = i;
			return 0;
		}
	for (i = 0; i < n; i++)
		if (strncasecmp(names[i], want, len) == 0) {
			*out = i;
			hits++;
		}
	return hits == 1 ? 0 : -1;
}

static int
sort_parse(struct cli *c, const char *const *names, size_t n,
    struct sort_spec *sp)
{
	const char *p = c->out.sort, *end;
	char list[512];
	size_t i, len, used = 0;

	memset(sp, 0, sizeof(*sp));
	while (p != NULL && *p) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		if (sp->n == SORT_MAX)
			return cli_fail(c, EXIT_USAGE, "--sort: at most %d "
			    "fields", SORT_MAX);
		sp->k[sp->n].desc = *p == '-';
		if (*p == '-' || *p == '+') {
			p++;
			len--;
		}
		if (len == 0 || sort_field(p, len, names, n,
		    &sp->k[sp->n].col) != 0) {
			for (i = 0; i < n && used < sizeof(list); i++)
				used += (size_t)snprintf(list + used,
				    sizeof(list) - used, "%s%s", i ? ", " : "",
				    names[i]);
			return cli_fail(c, EXIT_USAGE, "--sort: no field "
			    "'%.*s' (one of: %s)", (int)len, p, n ? list : "-");
		}
		sp->n++;
		p = end ? end + 1 : NULL;
	}
	return EXIT_OK;
}

/* Numbers (a leading one, as in "3 Offer") by value, then text. */
static int
sort_value_cmp(const char *a, const char *b)
{
	char *ea, *eb;
	double x, y;

	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	if ((isdigit((unsigned char)*a) || *a == '-') &&
	    (isdigit((unsigned char)*b) || *b == '-')) {
		x = strtod(a, &ea);
		y = strtod(b, &eb);
		if (ea != a && eb != b && x != y)
			return x < y ? -1 : 1;
	}
	return strcmp(a, b);
}

static int
sort_rows_cmp(const char *const *a, const char *const *b, void *arg)
{
	const struct sort_spec *sp = arg;
	size_t i;
	int r;

	for (i = 0; i < sp->n; i++) {
		r = sort_value_cmp(a[sp->k[i].col], b[sp->k[i].col]);
		if (r != 0)
			return sp->k[i].desc ? -r : r;
	}
	return 0;
}

int
cmdutil_json(const struct cli *c)
{
	return c->out.format == CLI_FMT_JSON;
}

int
cmdutil_print_table(struct cli *c, struct table *t)
{
	const char *names[64];
	struct sort_spec sp;
	size_t i, n = table_ncols(t);
	int rc;

	if (c->out.sort != NULL) {
		if (n > 64)
			n = 64;
		for (i = 0; i < n; i++)
			names[i] = table_heading(t, i);
		if ((rc = sort_parse(c, names, n, &sp)) != EXIT_OK)
			return rc;
		table_sort(t, sort_rows_cmp, &sp);
	}
	if (c->out.limit > 0)
		table_truncate(t, (size_t)c->out.limit);
	table_print(t, stdout, c->out.format == CLI_FMT_CSV ? TABLE_CSV :
	    TABLE_TEXT);
	return EXIT_OK;
}

/* A value as text for sorting: strings as they are, null as NULL. */
static char *
sort_json_text(json_t *v)
{
	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return xasprintf("%.17g", json_real_value(v));
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY |
	    JSON_SORT_KEYS);
}

/*
 * Sort the objects through a table: one row per object (its position
 * first), one column per key of the first object.
 */
static int
sort_json(struct cli *c, json_t *arr)
{
	const char *names[64], *key;
	const char *row[65];
	struct sort_spec sp;
	struct table *t;
	json_t *first = json_array_get(arr, 0), *sorted, *v;
	char *cells[65], pos[24];
	size_t i, j, n = 0;
	int rc;

	if (!json_is_object(first))
		return EXIT_OK;
	json_object_foreach(first, key, v) {
		if (n < 64)
			names[n++] = key;
	}
	if ((rc = sort_parse(c, names, n, &sp)) != EXIT_OK)
		return rc;
	for (i = 0; i < sp.n; i++)
		sp.k[i].col++;	/* column 0 is the position */
	row[0] = "#";
	for (j = 0; j < n; j++)
		row[j + 1] = names[j];
	t = table_new(n + 1, row);
	for (i = 0; i < json_array_size(arr); i++) {
		snprintf(pos, sizeof(pos), "%zu", i);
		row[0] = pos;
		for (j = 0; j < n; j++) {
			cells[j] = sort_json_text(json_object_get(
			    json_array_get(arr, i), names[j]));
			row[j + 1] = cells[j];
		}
		table_add(t, row);
		for (j = 0; j < n; j++)
			free(cells[j]);
	}
	table_sort(t, sort_rows_cmp, &sp);
	sorted = json_array();
	for (i = 0; i < table_nrows(t); i++)
		json_array_append(sorted, json_array_get(arr, strtoul(
		    table_cell_text(t, i, 0), NULL, 10)));
	table_free(t);
	json_array_clear(arr);
	json_array_extend(arr, sorted);
	json_decref(sorted);
	return EXIT_OK;
}

int
cmdutil_print_json(struct cli *c, json_t *arr)
{
	int rc;

	if (c->out.sort != NULL && (rc = sort_json(c, arr)) != EXIT_OK) {
		json_decref(arr);
		return rc;
	}
	while (c->out.limit > 0 && json_array_size(arr) >
	    (size_t)c->out.limit)
		json_array_remove(arr, json_array_size(arr) - 1);
	view_print(arr);
	return EXIT_OK;
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
