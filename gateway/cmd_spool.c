/* spool list|show|retry|cancel|add */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/buf.h"
#include "gateway/cli.h"
#include "util/clock.h"
#include "gateway/cmd.h"
#include "gateway/cmdutil.h"
#include "core/config.h"
#include "core/space.h"
#include "util/log.h"
#include "util/norm.h"
#include "core/pipeline.h"
#include "util/table.h"
#include "core/view.h"
#include "util/xmalloc.h"
#include "spool/queue.h"
#include "spool/spool.h"

#define REPLY_COLUMN 60		/* of the last reply in `spool list` */

static int
spool_cli_open(struct cli *c, struct spool **sp)
{
	struct config *cfg;
	struct err e;
	int rc;

	if ((rc = cli_config(c, &cfg)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (spool_open(cfg->spool_dir, sp, &e) != LG_OK)
		return cli_fail_err(c, &e);
	return EXIT_OK;
}

static json_t *
spool_str(const char *s)
{
	json_t *v = s ? json_string(s) : json_null();

	return v ? v : json_string("?");
}

static json_t *
spool_id(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

static json_t *
spool_json(const struct outgoing *o)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(o->id));
	json_object_set_new(j, "state",
	    json_string(outgoing_state_name(o->state)));
	json_object_set_new(j, "dedup_key", spool_str(o->dedup_key));
	json_object_set_new(j, "sender", spool_str(o->sender));
	json_object_set_new(j, "rcpt", spool_str(o->rcpt));
	json_object_set_new(j, "message_id", spool_str(o->message_id));
	json_object_set_new(j, "lead_id", spool_id(o->lead_id));
	json_object_set_new(j, "contact_id", spool_id(o->contact_id));
	json_object_set_new(j, "campaign_id", spool_id(o->campaign_id));
	json_object_set_new(j, "template", spool_str(o->template));
	json_object_set_new(j, "rule", spool_str(o->rule));
	json_object_set_new(j, "attempts", json_integer(o->attempts));
	json_object_set_new(j, "next_attempt", json_integer(o->next_attempt));
	json_object_set_new(j, "last_reply", spool_str(o->last_reply));
	json_object_set_new(j, "advance_pipeline",
	    spool_str(o->advance_pipeline));
	json_object_set_new(j, "advance_phase", o->advance_phase ?
	    json_integer(o->advance_phase) : json_null());
	json_object_set_new(j, "spool_name", spool_str(o->spool_name));
	json_object_set_new(j, "created_at", spool_str(o->created_at));
	json_object_set_new(j, "updated_at", spool_str(o->updated_at));
	json_object_set_new(j, "sent_at", spool_str(o->sent_at));
	return j;
}

/* When the next attempt is due: "now", a time, or "" when none is. */
static const char *
spool_next(const struct outgoing *o, char *buf, size_t len)
{
	if (o->state != OUT_QUEUED && o->state != OUT_DEFERRED)
		return "";
	if (o->next_attempt <= 0)
		return "now";
	clock_iso((time_t)o->next_attempt, buf, len);
	return buf;
}

static void
spool_table_row(struct table *t, const struct outgoing *o)
{
	char id[24], tries[16], next[CLOCK_ISOLEN], reply[REPLY_COLUMN + 4];
	const char *row[7];

	snprintf(id, sizeof(id), "%lld", (long long)o->id);
	snprintf(tries, sizeof(tries), "%d", o->attempts);
	snprintf(reply, sizeof(reply), "%.*s%s", REPLY_COLUMN,
	    o->last_reply ? o->last_reply : "", o->last_reply &&
	    strlen(o->last_reply) > REPLY_COLUMN ? "..." : "");
	row[0] = id;
	row[1] = outgoing_state_name(o->state);
	row[2] = tries;
	row[3] = spool_next(o, next, sizeof(next));
	row[4] = o->rcpt;
	row[5] = o->dedup_key;
	row[6] = reply;
	table_add(t, row);
}

static int
spool_list_print(struct cli *c, const struct outgoing *v, size_t n)
{
	static const char *const head[] = { "ID", "STATE", "TRIES", "NEXT",
	    "TO", "KEY", "LAST REPLY" };
	struct table *t;
	json_t *arr;
	size_t i;
	int rc;

	if (cmdutil_json(c)) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, spool_json(&v[i]));
		return cmdutil_print_json(c, arr);
	}
	if (n == 0 && c->out.format == CLI_FMT_TABLE) {
		printf("no outgoing messages\n");
		return EXIT_OK;
	}
	t = table_new(7, head);
	table_align_right(t, 0);
	table_align_right(t, 2);
	for (i = 0; i < n; i++)
		spool_table_row(t, &v[i]);
	rc = cmdutil_print_table(c, t);
	table_free(t);
	return rc;
}

int
cmd_spool_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	enum outgoing_state state;
	struct outgoing *v = NULL;
	unsigned states = 0;
	struct store *st;
	struct err e;
	size_t n = 0;
	int ch, rc;

	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 's' && outgoing_state_parse(optarg, &state) == 0)
			states |= 1u << state;
		else if (ch == 's')
			return cli_fail(c, EXIT_USAGE, "unknown state '%s' "
			    "(queued, deferred, sent, failed, cancelled, held)",
			    optarg);
		else
			return EXIT_USAGE;
	}
	if (optind != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_outgoing_list(st, states, &v, &n, &e) != LG_OK)
		return cli_fail_err(c, &e);
	rc = spool_list_print(c, v, n);
	store_outgoing_rows_free(v, n);
	return rc;
}

static void
spool_show_num(const char *label, int64_t v)
{
	if (v != 0)
		printf("  %s: %lld\n", label, (long long)v);
}

static void
spool_show_text(const struct outgoing *o, struct spool *sp, const char *msg)
{
	char next[CLOCK_ISOLEN], tries[16];

	printf("outgoing %lld: %s\n", (long long)o->id,
	    outgoing_state_name(o->state));
	cmdutil_field("key", o->dedup_key);
	printf("  from: %s\n", o->sender && *o->sender ? o->sender : "<>");
	cmdutil_field("to", o->rcpt);
	cmdutil_field("message-id", o->message_id);
	spool_show_num("lead", o->lead_id);
	spool_show_num("contact", o->contact_id);
	spool_show_num("campaign", o->campaign_id);
	cmdutil_field("template", o->template);
	cmdutil_field("rule", o->rule);
	snprintf(tries, sizeof(tries), "%d", o->attempts);
	cmdutil_field("attempts", tries);
	cmdutil_field("next attempt", spool_next(o, next, sizeof(next)));
	cmdutil_field("last reply", o->last_reply);
	if (o->advance_phase)
		printf("  advances to: %s%sphase %d\n", o->advance_pipeline ?
		    o->advance_pipeline : "", o->advance_pipeline ? " " : "",
		    o->advance_phase);
	cmdutil_field("created", o->created_at);
	cmdutil_field("updated", o->updated_at);
	cmdutil_field("sent", o->sent_at);
	printf("  spool file: %s/queue/%s\n", spool_dir(sp),
	    o->spool_name ? o->spool_name : "(none)");
	if (msg != NULL)
		printf("message:\n%s", msg);
	else
		printf("message: (no spool file%s)\n", o->state == OUT_SENT ?
		    ": removed once sent" : "");
}

int
cmd_spool_show(struct cli *c, int argc, char **argv)
{
	struct cmdutil_show s;
	struct outgoing *o;
	struct spool *sp;
	char *msg = NULL;
	size_t len = 0;
	struct err e;
	json_t *j;
	int rc;

	if ((rc = cmdutil_show_opts(c, argc, argv, "outgoing id", &s)) !=
	    EXIT_OK || (rc = spool_cli_open(c, &sp)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_outgoing_get(s.d.st, s.id, &o, &e) != LG_OK) {
		spool_close(sp);
		return cli_fail_err(c, &e);
	}
	if (o->spool_name && spool_read_text(sp, s.d.st, o->spool_name, o->id,
	    &msg, &len, &e) != LG_OK && e.code != LG_ENOENT)
		log_warn("spool", "%s", e.msg);
	if (s.json) {
		j = spool_json(o);
		json_object_set_new(j, "message", msg ?
		    json_stringn(msg, len) : json_null());
		view_print(j);
	} else {
		spool_show_text(o, sp, msg);
	}
	free(msg);
	outgoing_free(o);
	spool_close(sp);
	return EXIT_OK;
}

/* What `spool retry` checks before it queues a message again. */
static int
spool_retry_one(struct store *st, struct spool *sp, struct outgoing *o,
    struct err *e)
{
	char addr[NORM_EMAIL_MAX + 1], *reason = NULL;
	int rc;

	if (!spool_exists(sp, o->spool_name))
		return err_set(e, LG_EPERM, "outgoing %lld: its spool file is "
		    "gone; it cannot be sent again", (long long)o->id);
	if (norm_email(o->rcpt, addr, sizeof(addr), e) != LG_OK)
		return LG_EPERM;
	if ((rc = store_suppression_get(st, addr, &reason, e)) == LG_OK) {
		rc = err_set(e, LG_EPERM, "outgoing %lld: %s is on the "
		    "suppression list (%s)", (long long)o->id, addr, reason);
		free(reason);
		return rc;
	}
	if (rc != LG_ENOENT)
		return rc;
	return queue_retry(st, o, (int64_t)clock_now(), e);
}

struct spool_job {
	struct spool *sp;
	long long id;		/* 0: every failed and deferred message */
	int cancel;
	long done, skipped;
};

static int
spool_retry_all(struct cli *c, struct spool_job *j, struct err *e)
{
	struct outgoing *v = NULL;
	size_t i, n = 0;
	struct err one;
	int rc;

	rc = store_outgoing_list(c->st, 1u << OUT_FAILED | 1u << OUT_DEFERRED |
	    1u << OUT_HELD, &v, &n, e);
	for (i = 0; rc == LG_OK && i < n; i++) {
		err_clear(&one);
		rc = spool_retry_one(c->st, j->sp, &v[i], &one);
		if (rc == LG_EPERM) {
			fprintf(stderr, "leadgate: %s: skipped: %s\n",
			    c->cmdname, one.msg);
			j->skipped++;
			rc = LG_OK;
		} else if (rc == LG_OK) {
			j->done++;
		} else {
			*e = one;
		}
	}
	store_outgoing_rows_free(v, n);
	return rc;
}

static int
spool_change(struct cli *c, void *arg, struct err *e)
{
	struct spool_job *j = arg;
	struct outgoing *o;
	int rc;

	if (j->id == 0)
		return spool_retry_all(c, j, e);
	if ((rc = store_outgoing_get(c->st, j->id, &o, e)) != LG_OK)
		return rc;
	rc = j->cancel ? queue_cancel(c->st, o, e) :
	    spool_retry_one(c->st, j->sp, o, e);
	j->done += rc == LG_OK;
	outgoing_free(o);
	return rc;
}

static int
spool_edit(struct cli *c, int argc, char **argv, int cancel)
{
	struct spool_job j;
	int rc;

	memset(&j, 0, sizeof(j));
	j.cancel = cancel;
	if (argc != 2)
		return cli_usage(c, stderr, EXIT_USAGE);
	if (!cancel && strcmp(argv[1], "--all") == 0)
		j.id = 0;
	else if (cli_parse_id(c, argv[1], "outgoing id", &j.id) != 0)
		return EXIT_USAGE;
	if ((rc = spool_cli_open(c, &j.sp)) != EXIT_OK)
		return rc;
	rc = cli_tx(c, spool_change, &j);
	spool_close(j.sp);
	if (rc != EXIT_OK) {
		queue_log_drop();
		return rc;
	}
	queue_log_flush();
	if (cancel)
		printf("outgoing %lld cancelled\n", j.id);
	else if (j.id)
		printf("outgoing %lld queued again\n", j.id);
	else
		printf("%ld queued again, %ld skipped\n", j.done, j.skipped);
	return EXIT_OK;
}

int
cmd_spool_retry(struct cli *c, int argc, char **argv)
{
	return spool_edit(c, argc, argv, 0);
}

int
cmd_spool_cancel(struct cli *c, int argc, char **argv)
{
	return spool_edit(c, argc, argv, 1);
}

struct spool_add {
	struct domain d;
	struct spool *sp;
	struct outgoing *o;
	const char *advance;	/* phase number or name */
	struct buf msg;
};

enum {
	OPT_KEY = 256, OPT_TO, OPT_FROM, OPT_LEAD, OPT_CONTACT, OPT_TEMPLATE,
	OPT_RULE, OPT_CAMPAIGN, OPT_ADVANCE,
};

static int
spool_add_id(struct cli *c, const char *v, const char *what, int64_t *out)
{
	long long id;

	if (cli_parse_id(c, v, what, &id) != 0)
		return EXIT_USAGE;
	*out = id;
	return EXIT_OK;
}

static int
spool_add_opt(struct cli *c, struct spool_add *a, int ch)
{
	struct outgoing *o = a->o;

	switch (ch) {
	case OPT_KEY:
		xstrset(&o->dedup_key, optarg);
		return EXIT_OK;
	case OPT_TO:
		xstrset(&o->rcpt, optarg);
		return EXIT_OK;
	case OPT_FROM:
		xstrset(&o->sender, optarg);
		return EXIT_OK;
	case OPT_TEMPLATE:
		xstrset(&o->template, optarg);
		return EXIT_OK;
	case OPT_RULE:
		xstrset(&o->rule, optarg);
		return EXIT_OK;
	case OPT_ADVANCE:
		a->advance = optarg;
		return EXIT_OK;
	case OPT_LEAD:
		return spool_add_id(c, optarg, "--lead", &o->lead_id);
	case OPT_CONTACT:
		return spool_add_id(c, optarg, "--contact", &o->contact_id);
	case OPT_CAMPAIGN:
		return spool_add_id(c, optarg, "--campaign", &o->campaign_id);
	default:
		return EXIT_USAGE;
	}
}

static int
spool_add_read(struct cli *c, const char *path, struct buf *b)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char chunk[8192];
	size_t n;

	if (f == NULL)
		return cli_fail(c, EXIT_NOINPUT, "%s: %s", path,
		    strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	if (ferror(f)) {
		if (f != stdin)
			fclose(f);
		return cli_fail(c, EXIT_IOERR, "%s: read error", path);
	}
	if (f != stdin)
		fclose(f);
	return EXIT_OK;
}

/* --advance names a phase of the lead's pipeline. */
static int
spool_add_advance(struct spool_add *a, struct err *e)
{
	const struct pipeline *pl;
	const struct phase *ph;
	struct lead *l;
	int rc;

	if (a->advance == NULL)
		return LG_OK;
	if (a->o->lead_id == 0)
		return err_set(e, LG_EPERM, "--advance needs --lead");
	if ((rc = store_lead_get(a->d.st, a->o->lead_id, &l, e)) != LG_OK)
		return rc;
	if ((pl = pipelines_find(a->d.pl, l->pipeline)) == NULL)
		rc = err_set(e, LG_EPERM, "unknown pipeline '%s'", l->pipeline);
	else if ((rc = pipeline_phase_lookup(pl, a->advance, &ph, e)) == LG_OK) {
		xstrset(&a->o->advance_pipeline, pl->name);
		a->o->advance_phase = ph->no;
	}
	lead_free(l);
	return rc;
}

static int
spool_add_save(struct cli *c, void *arg, struct err *e)
{
	struct spool_add *a = arg;
	int rc;

	(void)c;
	if ((rc = spool_add_advance(a, e)) != LG_OK)
		return rc;
	return spool_enqueue(a->sp, a->d.st, a->o, a->msg.data, a->msg.len, e);
}

static int
spool_add_run(struct cli *c, struct spool_add *a, const char *path)
{
	char why[600];
	int rc;

	if (a->o->dedup_key == NULL || a->o->rcpt == NULL)
		return cli_fail(c, EXIT_USAGE, "--key and --to are required");
	if ((rc = spool_add_read(c, path, &a->msg)) != EXIT_OK ||
	    (rc = cli_domain(c, &a->d)) != EXIT_OK ||
	    (rc = spool_cli_open(c, &a->sp)) != EXIT_OK)
		return rc;
	if (space_low(c->cfg, why, sizeof(why)))
		return cli_fail(c, EXIT_TEMPFAIL, "low on space, nothing "
		    "queued: %s", why);
	if ((rc = cli_tx(c, spool_add_save, a)) == EXIT_OK)
		printf("%lld\n", (long long)a->o->id);
	return rc;
}

int
cmd_spool_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, OPT_KEY },
		{ "to", required_argument, NULL, OPT_TO },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "lead", required_argument, NULL, OPT_LEAD },
		{ "contact", required_argument, NULL, OPT_CONTACT },
		{ "template", required_argument, NULL, OPT_TEMPLATE },
		{ "rule", required_argument, NULL, OPT_RULE },
		{ "campaign", required_argument, NULL, OPT_CAMPAIGN },
		{ "advance", required_argument, NULL, OPT_ADVANCE },
		{ NULL, 0, NULL, 0 },
	};
	struct spool_add a;
	int ch, rc = EXIT_OK;

	memset(&a, 0, sizeof(a));
	a.o = outgoing_new();
	a.o->sender = xstrdup("");
	while (rc == EXIT_OK &&
	    (ch = cli_getopt(c, argc, argv, "", opts)) != -1)
		rc = ch == '?' ? EXIT_USAGE : spool_add_opt(c, &a, ch);
	if (rc == EXIT_OK && optind != argc - 1)
		rc = cli_usage(c, stderr, EXIT_USAGE);
	if (rc == EXIT_OK)
		rc = spool_add_run(c, &a, argv[optind]);
	spool_close(a.sp);
	buf_free(&a.msg);
	outgoing_free(a.o);
	return rc;
}
