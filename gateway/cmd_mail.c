/* mail bulk|campaigns|show|attachment|purge */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "gateway/cmdutil.h"
#include "gateway/mailview.h"
#include "core/archive.h"
#include "core/config.h"
#include "core/domain.h"
#include "util/clock.h"
#include "core/space.h"
#include "util/log.h"
#include "util/table.h"
#include "outbound/bulk.h"
#include "parse/mail.h"
#include "spool/deliver.h"
#include "spool/spool.h"

#define MOD "bulk"
#define RATE_MAX 100000
/* Redraw the progress line at most this often (seconds). */
#define PROGRESS_EVERY 0.1
/* Without a terminal, a log line at most this often (seconds). */
#define LOG_EVERY 5.0

struct bulk_opts {
	struct bulk_req req;
	int rate;		/* -1: bulk.rate_per_sec */
	int yes;
};

/* The progress of one run: a redrawn line on a terminal, else log lines. */
struct progress {
	int tty;
	double start, last;
	long queued, skipped;	/* messages spooled, contacts skipped */
};

static double
progress_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
progress_due(struct progress *p, int last)
{
	double now = progress_now();

	if (!last && now - p->last < (p->tty ? PROGRESS_EVERY : LOG_EVERY))
		return 0;
	p->last = now;
	return 1;
}

static void
progress_bar(char *out, size_t len, long done, long total)
{
	size_t i, width = len - 1, full;

	full = total > 0 ? (size_t)((double)done / (double)total *
	    (double)width) : width;
	for (i = 0; i < width; i++)
		out[i] = i < full ? '#' : '.';
	out[width] = '\0';
}

static void
progress_spool(void *arg, long done, long total)
{
	struct progress *p = arg;
	char bar[31];

	if (!progress_due(p, done == total))
		return;
	if (!p->tty) {
		log_info(MOD, "spooling: %ld of %ld contacts", done, total);
		return;
	}
	progress_bar(bar, sizeof(bar), done, total);
	fprintf(stderr, "\r[%s] spooling %ld/%ld contacts", bar, done, total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

static void
progress_send(void *arg, const struct deliver_stats *s)
{
	struct progress *p = arg;
	long done = s->sent + s->failed, waiting;
	double secs = progress_now() - p->start, rate, left;
	char bar[31];

	if (!progress_due(p, done >= p->queued))
		return;
	waiting = p->queued > done ? p->queued - done : 0;
	rate = secs > 0 ? (double)s->sent / secs : 0;
	left = rate > 0 ? (double)waiting / rate : 0;
	if (!p->tty) {
		log_info(MOD, "sent %ld, queued %ld, skipped %ld, %.0f msg/s",
		    s->sent, waiting, p->skipped, rate);
		return;
	}
	progress_bar(bar, sizeof(bar), done, p->queued);
	fprintf(stderr, "\r[%s] sent %ld, queued %ld, skipped %ld, %.0f/s, "
	    "%d:%02d left ", bar, s->sent, waiting, p->skipped, rate,
	    (int)left / 60, (int)left % 60);
	if (done >= p->queued)
		fputc('\n', stderr);
	fflush(stderr);
}

/* "20", "20/s": messages per second. */
static int
bulk_rate(struct cli *c, const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || (*end != '\0' && strcmp(end, "/s") != 0) || v < 0 ||
	    v > RATE_MAX) {
		cli_fail(c, EXIT_USAGE, "--rate '%s': give messages per second, "
		    "0 to %d (for example 20/s)", s, RATE_MAX);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int
bulk_opts(struct cli *c, int argc, char **argv, struct bulk_opts *o)
{
	enum { O_FILTER = 256, O_TEMPLATE, O_NAME, O_ADVANCE, O_DRY, O_RATE,
	    O_YES };
	static const struct option opts[] = {
		{ "filter", required_argument, NULL, O_FILTER },
		{ "template", required_argument, NULL, O_TEMPLATE },
		{ "name", required_argument, NULL, O_NAME },
		{ "advance-to", required_argument, NULL, O_ADVANCE },
		{ "dry-run", no_argument, NULL, O_DRY },
		{ "rate", required_argument, NULL, O_RATE },
		{ "yes", no_argument, NULL, O_YES },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->rate = -1;
	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		switch (ch) {
		case O_FILTER: o->req.filter = optarg; break;
		case O_TEMPLATE: o->req.template = optarg; break;
		case O_NAME: o->req.name = optarg; break;
		case O_ADVANCE: o->req.advance_to = optarg; break;
		case O_DRY: o->req.dry_run = 1; break;
		case O_RATE:
			if (bulk_rate(c, optarg, &o->rate) != 0)
				return EXIT_USAGE;
			break;
		case O_YES: o->yes = 1; break;
		default: return cli_usage(c, stderr, EXIT_USAGE);
		}
	}
	if (optind != argc || o->req.filter == NULL ||
	    o->req.template == NULL || *o->req.filter == '\0')
		return cli_usage(c, stderr, EXIT_USAGE);
	if (o->req.name && *o->req.name == '\0')
		return cli_fail(c, EXIT_USAGE, "--name must not be empty");
	return EXIT_OK;
}

static void
bulk_print_skips(const struct bulk_result *r)
{
	int i;

	for (i = 0; i < BULK_NSKIP; i++)
		if (r->skipped[i] > 0)
			printf("  %s: %ld\n", bulk_skip_name((enum bulk_skip)i),
			    r->skipped[i]);
	if (r->first_error)
		printf("  first template error: %s\n", r->first_error);
}

static void
bulk_print_dry(const struct bulk_result *r)
{
	printf("campaign %s (dry run: nothing is sent or changed)\n", r->name);
	printf("contacts matched: %ld", r->matched);
	if (r->leads > 0)
		printf(" (%ld leads)", r->leads);
	printf("\nwould send: %ld\nskipped: %ld\n", r->queued,
	    bulk_skipped_total(r));
	bulk_print_skips(r);
	if (r->sample) {
		/* For reading: decoded, not as the wire has it (=C3=A9). */
		printf("sample, to %s:\n", r->sample_rcpt);
		mailview_readable(r->sample, strlen(r->sample), stdout);
	}
}

/* Asked on a terminal; without one, --yes is required. */
static int
bulk_confirm(struct cli *c, const struct bulk_result *dry)
{
	char line[16];

	if (!isatty(STDIN_FILENO))
		return cli_fail(c, EXIT_USAGE, "campaign %s would write to %ld "
		    "contacts: add --yes to send (--dry-run shows them)",
		    dry->name, dry->queued);
	fprintf(stderr, "Send campaign %s to %ld contacts (%ld skipped)? "
	    "[y/N] ", dry->name, dry->queued, bulk_skipped_total(dry));
	if (fgets(line, sizeof(line), stdin) == NULL ||
	    (strcmp(line, "y\n") != 0 && strcmp(line, "yes\n") != 0))
		return cli_fail(c, EXIT_FAIL, "not sent");
	return EXIT_OK;
}

static int
bulk_dry(struct cli *c, struct domain *d, struct bulk_opts *o,
    struct bulk_result *r)
{
	struct bulk_req req = o->req;
	struct err e;
	int rc;

	req.dry_run = 1;
	err_clear(&e);
	if ((rc = bulk_run(d, c->cfg, NULL, &req, NULL, r, &e)) != LG_OK)
		return cli_fail(c, cli_exit_for(rc), "%s", e.msg);
	return EXIT_OK;
}

/* Deliver what is due; another run (the daemon's) may hold the spool. */
static int
bulk_deliver(struct cli *c, struct bulk_opts *o, struct progress *p)
{
	const struct pipelines *pl;
	struct deliver_stats s;
	struct err e;
	int rc;

	struct deliver_opts dopt = { o->rate, progress_send, p };

	if ((rc = cli_pipelines(c, &pl)) != EXIT_OK)
		return rc;
	err_clear(&e);
	p->start = progress_now();
	rc = deliver_run_opts(c->cfg, pl, &dopt, &s, &e);
	if (s.locked_out) {
		printf("delivery: %ld queued for the delivery run under way "
		    "(leadgate mail campaigns shows how far it is)\n", p->queued);
		return EXIT_OK;
	}
	printf("delivery: %ld sent, %ld deferred, %ld failed", s.sent,
	    s.deferred, s.failed);
	if (s.held > 0)
		printf(", %ld held by bulk.rate_per_hour", s.held);
	if (s.low_space)
		printf("; paused: low on space (store.min_free_mb)");
	putchar('\n');
	if (rc == LG_EPERM)
		return cli_fail(c, EXIT_CONFIG, "%s", e.msg);
	return rc == LG_OK ? EXIT_OK : cli_fail_err(c, &e);
}

static int
bulk_send(struct cli *c, struct domain *d, struct bulk_opts *o)
{
	struct bulk_hooks h = { progress_spool, NULL };
	struct progress p;
	struct bulk_result r;
	struct spool *sp;
	char why[600];
	struct err e;
	int rc;

	if (space_low(c->cfg, why, sizeof(why)))
		return cli_fail(c, EXIT_TEMPFAIL, "low on space, nothing "
		    "queued: %s", why);
	memset(&p, 0, sizeof(p));
	p.tty = isatty(STDERR_FILENO);
	p.start = progress_now();
	h.arg = &p;
	err_clear(&e);
	if (spool_open(c->cfg->spool_dir, &sp, &e) != LG_OK)
		return cli_fail_err(c, &e);
	rc = bulk_run(d, c->cfg, sp, &o->req, &h, &r, &e);
	spool_close(sp);
	if (rc != LG_OK) {
		rc = cli_fail(c, cli_exit_for(rc), "campaign %s: %s%s", r.name,
		    e.msg, rc == LG_ETEMP ? " (run it again to go on)" : "");
		bulk_result_clear(&r);
		return rc;
	}
	printf("campaign %s: %ld contacts matched, %ld queued, %ld skipped\n",
	    r.name, r.matched, r.queued, bulk_skipped_total(&r));
	bulk_print_skips(&r);
	p.queued = r.queued;
	p.skipped = bulk_skipped_total(&r) - r.skipped[BULK_ALREADY];
	bulk_result_clear(&r);
	return bulk_deliver(c, o, &p);
}

int
cmd_mail_bulk(struct cli *c, int argc, char **argv)
{
	struct bulk_opts o;
	struct bulk_result dry;
	struct domain d;
	int rc;

	if ((rc = bulk_opts(c, argc, argv, &o)) != EXIT_OK ||
	    (rc = cli_domain(c, &d)) != EXIT_OK)
		return rc;
	memset(&dry, 0, sizeof(dry));
	if (o.req.dry_run || !o.yes) {
		if ((rc = bulk_dry(c, &d, &o, &dry)) == EXIT_OK) {
			if (o.req.dry_run)
				bulk_print_dry(&dry);
			else
				rc = bulk_confirm(c, &dry);
		}
		bulk_result_clear(&dry);
		if (rc != EXIT_OK || o.req.dry_run)
			return rc;
	}
	return bulk_send(c, &d, &o);
}

static json_t *
campaign_json(const struct campaign *v)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s?, s:I, s:I, s:I, s:I, s:I, "
	    "s:I, s:I, s:I, s:I, s:I, s:s, s:s, s:b, s:s?}", "id",
	    (json_int_t)v->id,
	    "name",
	    v->name, "template", v->template, "filter", v->filter,
	    "advance_to", v->advance_to, "matched", (json_int_t)v->matched,
	    "queued", (json_int_t)v->queued, "skipped", (json_int_t)v->skipped,
	    "sent", (json_int_t)v->sent, "waiting", (json_int_t)v->waiting,
	    "failed", (json_int_t)v->failed, "bounced",
	    (json_int_t)v->bounced, "complained", (json_int_t)v->complained,
	    "policy", (json_int_t)v->policy, "content", (json_int_t)v->content,
	    "created_at", v->created_at, "updated_at", v->updated_at,
	    "paused", v->paused_at != NULL, "paused_at", v->paused_at);
}

static int
campaigns_text(struct cli *c, const struct campaign *v, size_t n)
{
	static const char *const head[] = { "NAME", "TEMPLATE", "MATCHED",
	    "QUEUED", "SKIPPED", "SENT", "WAITING", "FAILED", "BOUNCED",
	    "COMPLAINED", "POLICY", "CONTENT", "CREATED", "STATE" };
	struct table *t = table_new(14, head);
	char num[10][24];
	const char *row[14];
	size_t i, k;
	int rc;

	for (k = 2; k < 12; k++)
		table_align_right(t, k);
	for (i = 0; i < n; i++) {
		const long cnt[10] = { v[i].matched, v[i].queued, v[i].skipped,
		    v[i].sent, v[i].waiting, v[i].failed, v[i].bounced,
		    v[i].complained, v[i].policy, v[i].content };

		for (k = 0; k < 10; k++) {
			snprintf(num[k], sizeof(num[k]), "%ld", cnt[k]);
			row[2 + k] = num[k];
		}
		row[0] = v[i].name;
		row[1] = v[i].template;
		row[12] = v[i].created_at;
		row[13] = v[i].paused_at ? "paused" : "active";
		table_add(t, row);
	}
	rc = cmdutil_print_table(c, t);
	table_free(t);
	return rc;
}

/*
 * pause NAME | resume NAME: a paused campaign's queued and deferred mail
 * stays queued, not due, until it is resumed; a run of the campaign
 * meanwhile queues its new messages, which wait too.
 */
static int
campaigns_pause(struct cli *c, int argc, char **argv)
{
	struct store *st;
	struct err e;
	int rc, pause;

	if (argc != 2 || (strcmp(argv[0], "pause") != 0 &&
	    strcmp(argv[0], "resume") != 0))
		return cli_usage(c, stderr, EXIT_USAGE);
	pause = argv[0][0] == 'p';
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_campaign_set_paused(st, argv[1], pause, &e) != LG_OK)
		return cli_fail_err(c, &e);
	printf("campaign %s %s\n", argv[1], pause ? "paused: its mail waits "
	    "until resumed" : "resumed: its mail goes out");
	return EXIT_OK;
}

int
cmd_mail_campaigns(struct cli *c, int argc, char **argv)
{
	struct campaign *v;
	struct store *st;
	json_t *a;
	size_t n, i;
	struct err e;
	int rc;

	if (cli_getopt(c, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (optind < argc)
		return campaigns_pause(c, argc - optind, argv + optind);
	if (optind != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_campaign_list(st, &v, &n, &e) != LG_OK)
		return cli_fail_err(c, &e);
	if (cmdutil_json(c)) {
		a = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(a, campaign_json(&v[i]));
		rc = cmdutil_print_json(c, a);
	} else {
		rc = campaigns_text(c, v, n);
	}
	store_campaign_rows_free(v, n);
	return rc;
}

/* ID [N]: the kept mail (and the attachment number) of the arguments. */
static int
mail_args(struct cli *c, int argc, char **argv, int want, long long *id,
    long long *n)
{
	while (cli_getopt(c, argc, argv, "", NULL) != -1)
		return cli_usage(c, stderr, EXIT_USAGE);
	if (argc - optind != want)
		return cli_usage(c, stderr, EXIT_USAGE);
	if (cli_parse_id(c, argv[optind], "mail id", id) != 0)
		return EXIT_USAGE;
	if (want == 2 && cli_parse_id(c, argv[optind + 1], "attachment number",
	    n) != 0)
		return EXIT_USAGE;
	return EXIT_OK;
}

static int
write_out(struct cli *c, const void *p, size_t len)
{
	if ((len > 0 && fwrite(p, 1, len, stdout) != len) ||
	    fflush(stdout) != 0)
		return cli_fail(c, EXIT_IOERR, "cannot write: %s",
		    strerror(errno));
	return EXIT_OK;
}

int
cmd_mail_show(struct cli *c, int argc, char **argv)
{
	struct config *cfg;
	struct mailview v;
	struct store *st;
	long long id;
	struct err e;
	int rc;

	if ((rc = mail_args(c, argc, argv, 1, &id, NULL)) != EXIT_OK ||
	    (rc = cli_config(c, &cfg)) != EXIT_OK ||
	    (rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (mailview_load(cfg, st, id, 0, &v, &e) != LG_OK)
		rc = cli_fail_err(c, &e);
	else
		rc = write_out(c, v.raw.data, v.raw.len);
	mailview_clear(&v);
	return rc;
}

int
cmd_mail_attachment(struct cli *c, int argc, char **argv)
{
	const struct mail_part *p;
	struct config *cfg;
	struct mailview v;
	struct store *st;
	long long id, n;
	struct err e;
	size_t count;
	int rc;

	if ((rc = mail_args(c, argc, argv, 2, &id, &n)) != EXIT_OK ||
	    (rc = cli_config(c, &cfg)) != EXIT_OK ||
	    (rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (mailview_load(cfg, st, id, 1, &v, &e) != LG_OK) {
		rc = cli_fail_err(c, &e);
		goto out;
	}
	count = mailview_nattachments(v.mail);
	if ((p = mailview_attachment(v.mail, (size_t)n)) == NULL)
		rc = cli_fail(c, EXIT_NOINPUT, "mail %lld has %zu attachment%s: "
		    "no attachment %lld", id, count, count == 1 ? "" : "s", n);
	else
		rc = write_out(c, p->data, p->len);
out:
	mailview_clear(&v);
	return rc;
}

int
cmd_mail_purge(struct cli *c, int argc, char **argv)
{
	struct archive_purged r;
	struct config *cfg;
	struct store *st;
	struct err e;
	int rc;

	while (cli_getopt(c, argc, argv, "", NULL) != -1)
		return cli_usage(c, stderr, EXIT_USAGE);
	if (optind != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_config(c, &cfg)) != EXIT_OK ||
	    (rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (archive_purge(cfg->archive.dir, st, cfg->archive.keep_days,
	    clock_now(), &r, &e) != LG_OK)
		return cli_fail_err(c, &e);
	printf("%ld kept mail%s forgotten (archive.keep_days %d), %ld file%s "
	    "removed (%lld bytes), %ld temporary file%s removed\n", r.rows,
	    r.rows == 1 ? "" : "s", cfg->archive.keep_days, r.files,
	    r.files == 1 ? "" : "s", r.bytes, r.temps, r.temps == 1 ? "" : "s");
	return EXIT_OK;
}
