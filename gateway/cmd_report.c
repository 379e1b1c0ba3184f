/* report, pipelines */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "gateway/funnel.h"
#include "core/domain.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "gateway/cmdutil.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/table.h"
#include "core/view.h"

struct report_out {
	struct table *t;
	json_t *arr;
	const char *key;	/* "source" or "object": what a row counts */
};

static void
report_emit(struct report_out *o, const char *pipeline, int phase_no,
    const char *label, long open, long won, long lost)
{
	char no[16], n[4][24];
	const char *row[7];
	json_t *j;

	if (o->arr) {
		j = json_object();
		if (pipeline) {
			json_object_set_new(j, "pipeline", json_string(pipeline));
			json_object_set_new(j, "phase_no", json_integer(phase_no));
			json_object_set_new(j, "phase", json_string(label));
		} else {
			json_object_set_new(j, o->key, label ? json_string(label)
			    : json_null());
		}
		json_object_set_new(j, "open", json_integer(open));
		json_object_set_new(j, "won", json_integer(won));
		json_object_set_new(j, "lost", json_integer(lost));
		json_object_set_new(j, "total", json_integer(open + won + lost));
		json_array_append_new(o->arr, j);
		return;
	}
	snprintf(no, sizeof(no), "%d", phase_no);
	snprintf(n[0], sizeof(n[0]), "%ld", open);
	snprintf(n[1], sizeof(n[1]), "%ld", won);
	snprintf(n[2], sizeof(n[2]), "%ld", lost);
	snprintf(n[3], sizeof(n[3]), "%ld", open + won + lost);
	if (pipeline) {
		row[0] = pipeline;
		row[1] = no;
		row[2] = label;
		memcpy(&row[3], (const char *[]){ n[0], n[1], n[2], n[3] },
		    sizeof(char *) * 4);
	} else {
		row[0] = label;
		memcpy(&row[1], (const char *[]){ n[0], n[1], n[2], n[3] },
		    sizeof(char *) * 4);
	}
	table_add(o->t, row);
}

/* Every phase of the pipeline, with zeros where no lead is. */
static void
report_pipeline(struct report_out *o, const struct pipeline *pl,
    const struct report_row *v, size_t n)
{
	const struct phase *ph;
	size_t i, j;

	for (i = 0; i < pl->nphases; i++) {
		long cnt[3] = { 0, 0, 0 };

		for (j = 0; j < n; j++)
			if (strcmp(v[j].pipeline, pl->name) == 0 &&
			    v[j].phase_no == pl->phases[i].no) {
				cnt[0] = v[j].open;
				cnt[1] = v[j].won;
				cnt[2] = v[j].lost;
			}
		report_emit(o, pl->name, pl->phases[i].no, pl->phases[i].name,
		    cnt[0], cnt[1], cnt[2]);
	}
	/* Leads in a phase the configuration no longer has. */
	for (j = 0; j < n; j++) {
		if (strcmp(v[j].pipeline, pl->name) != 0)
			continue;
		ph = pipeline_phase(pl, v[j].phase_no);
		if (ph == NULL)
			report_emit(o, pl->name, v[j].phase_no, "(unknown phase)",
			    v[j].open, v[j].won, v[j].lost);
	}
}

/* The window of --since and --until (YYYY-MM-DD) as ISO times. */
struct report_dates {
	const char *since, *until;
	char s_iso[CLOCK_ISOLEN], u_iso[CLOCK_ISOLEN];
};

static int
report_date(struct cli *c, const char *opt, const char *v, char *iso)
{
	time_t t;

	if (strlen(v) != 10 || clock_parse_iso(v, &t) != 0)
		return cli_fail(c, EXIT_USAGE, "--%s takes YYYY-MM-DD, not "
		    "'%s'", opt, v);
	clock_iso(t, iso, CLOCK_ISOLEN);
	return EXIT_OK;
}

/* --format, --limit and --sort are the common ones (c->out). */
static int
report_parse(struct cli *c, int argc, char **argv, enum report_by *by,
    const char **pipeline, struct report_dates *rd)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "pipeline", required_argument, NULL, 'p' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *b = NULL;
	int ch, rc, html;

	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 'b')
			b = optarg;
		else if (ch == 'p')
			*pipeline = optarg;
		else if (ch == 's')
			rd->since = optarg;
		else if (ch == 'u')
			rd->until = optarg;
		else
			return EXIT_USAGE;
	}
	html = c->out.format == CLI_FMT_HTML;
	if (optind != argc || (b == NULL && !html))
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rd->since && (rc = report_date(c, "since", rd->since,
	    rd->s_iso)) != EXIT_OK) || (rd->until && (rc = report_date(c,
	    "until", rd->until, rd->u_iso)) != EXIT_OK))
		return rc;
	if (html)
		return EXIT_OK;
	if (rd->since || rd->until)
		return cli_fail(c, EXIT_USAGE, "--since and --until go with "
		    "--format html");
	if (strcmp(b, "phase") == 0)
		*by = REPORT_BY_PHASE;
	else if (strcmp(b, "source") == 0)
		*by = REPORT_BY_SOURCE;
	else if (strcmp(b, "object") == 0)
		*by = REPORT_BY_OBJECT;
	else
		return cli_fail(c, EXIT_USAGE, "--by takes phase, source or "
		    "object, not '%s'", b);
	return EXIT_OK;
}

/* The funnel of each pipeline (or only) as one standalone page. */
static int
report_html(struct cli *c, struct domain *d, const struct pipeline *only,
    const struct report_dates *rd)
{
	static const struct funnel_words fw = { "open", "won", "lost",
	    "total", "Source", "Phase" };
	struct report_window w;
	struct buf b = BUF_INIT;
	struct funnel f;
	char window[128];
	struct err e;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.since = rd->since ? rd->s_iso : NULL;
	w.until = rd->until ? rd->u_iso : NULL;
	snprintf(window, sizeof(window), "Leads created %s%s%s%s",
	    rd->since ? "from " : "", rd->since ? rd->since : "",
	    rd->until ? " before " : "", rd->until ? rd->until : "");
	funnel_page_begin(&b, "Pipeline funnel", rd->since || rd->until ?
	    window : "All leads");
	for (i = 0; i < d->pl->n; i++) {
		if (only && only != &d->pl->v[i])
			continue;
		err_clear(&e);
		if (funnel_build(d->st, &d->pl->v[i], &w, &f, &e) != LG_OK) {
			buf_free(&b);
			return cli_fail_err(c, &e);
		}
		funnel_section(&b, d->pl->v[i].name, &f, &fw);
		funnel_free(&f);
	}
	funnel_page_end(&b);
	fwrite(buf_str(&b), 1, b.len, stdout);
	buf_free(&b);
	return fflush(stdout) == 0 ? EXIT_OK : cli_fail(c, EXIT_IOERR,
	    "cannot write the page");
}

int
cmd_report(struct cli *c, int argc, char **argv)
{
	static const char *const phase_head[] = { "PIPELINE", "NO", "PHASE",
	    "OPEN", "WON", "LOST", "TOTAL" };
	static const char *const source_head[] = { "SOURCE", "OPEN", "WON",
	    "LOST", "TOTAL" };
	static const char *const object_head[] = { "OBJECT", "OPEN", "WON",
	    "LOST", "TOTAL" };
	const char *pipeline = NULL;
	const struct pipeline *only = NULL;
	struct report_out o = { NULL, NULL, "source" };
	struct report_row *v = NULL;
	enum report_by by = REPORT_BY_PHASE;
	struct report_dates rd;
	struct domain d;
	struct err e;
	size_t i, n = 0, first;
	int rc;

	memset(&rd, 0, sizeof(rd));
	if ((rc = report_parse(c, argc, argv, &by, &pipeline, &rd)) !=
	    EXIT_OK || (rc = cli_domain(c, &d)) != EXIT_OK)
		return rc;
	if (pipeline && (only = pipelines_find(d.pl, pipeline)) == NULL)
		return cli_fail(c, EXIT_DATAERR, "unknown pipeline '%s'",
		    pipeline);
	if (c->out.format == CLI_FMT_HTML)
		return report_html(c, &d, only, &rd);
	err_clear(&e);
	if (store_report(d.st, by, only ? only->name : NULL, &v, &n, &e) != LG_OK)
		return cli_fail_err(c, &e);
	if (cmdutil_json(c))
		o.arr = json_array();
	else
		o.t = by == REPORT_BY_PHASE ? table_new(7, phase_head) :
		    table_new(5, by == REPORT_BY_OBJECT ? object_head :
		    source_head);
	if (by == REPORT_BY_OBJECT)
		o.key = "object";
	first = by == REPORT_BY_PHASE ? 3 : 1;
	for (i = first; o.t && i < first + 4; i++)
		table_align_right(o.t, i);
	if (by == REPORT_BY_PHASE) {
		if (o.t)
			table_align_right(o.t, 1);
		for (i = 0; i < d.pl->n; i++)
			if (only == NULL || only == &d.pl->v[i])
				report_pipeline(&o, &d.pl->v[i], v, n);
	} else {
		for (i = 0; i < n; i++)
			report_emit(&o, NULL, 0, by == REPORT_BY_OBJECT ?
			    (o.arr || v[i].object ? v[i].object : "(none)") :
			    v[i].source, v[i].open, v[i].won, v[i].lost);
	}
	rc = o.arr ? cmdutil_print_json(c, o.arr) : cmdutil_print_table(c, o.t);
	table_free(o.t);
	store_report_free(v, n);
	return rc;
}

int
cmd_pipelines(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "PIPELINE", "NO", "PHASE",
	    "ACTION", "STATUS" };
	const struct pipelines *pls;
	struct table *t;
	const char *row[5];
	char no[16];
	size_t i, j;
	int rc;

	(void)argv;
	if (argc != 1)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_pipelines(c, &pls)) != EXIT_OK)
		return rc;
	t = table_new(5, head);
	table_align_right(t, 1);
	for (i = 0; i < pls->n; i++)
		for (j = 0; j < pls->v[i].nphases; j++) {
			const struct phase *ph = &pls->v[i].phases[j];

			snprintf(no, sizeof(no), "%d%s", ph->no,
			    ph->no == pls->v[i].initial ? "*" : "");
			row[0] = pls->v[i].name;
			row[1] = no;
			row[2] = ph->name;
			row[3] = ph->action;
			row[4] = lead_status_name(ph->status);
			table_add(t, row);
		}
	table_print(t, stdout, TABLE_TEXT);
	table_free(t);
	printf("(* the phase a new inquiry starts in)\n");
	return EXIT_OK;
}
