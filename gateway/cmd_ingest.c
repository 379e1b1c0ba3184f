/* ingest, quarantine list|show|retry|drop */
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
#include "core/store.h"
#include "util/table.h"
#include "core/view.h"
#include "util/xmalloc.h"

/*
 * Read a whole message, at most max + 1 bytes: one byte more than allowed
 * tells that it was cut, and the pipeline quarantines it with that reason.
 */
static int
read_message(FILE *f, size_t max, struct buf *b, int *truncated)
{
	char chunk[65536];
	size_t n;

	*truncated = 0;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > max + 1)
			n = max + 1 - b->len;
		buf_add(b, chunk, n);
		if (b->len > max) {
			*truncated = 1;
			break;
		}
	}
	return ferror(f) ? -1 : 0;
}

/* One line per message: what became of it. */
static void
ingest_print(const char *name, const struct ingest_report *r)
{
	printf("%s: %s", name, ingest_outcome_name(r->outcome));
	if (r->lead_id)
		printf(", lead %lld", (long long)r->lead_id);
	if (r->contact_id)
		printf(", contact %lld", (long long)r->contact_id);
	if (r->quarantine_id && r->outcome == INGEST_QUARANTINED)
		printf(", quarantine %lld: %s", (long long)r->quarantine_id,
		    r->reason);
	else if (r->quarantine_id)
		printf(", kept in quarantine %lld", (long long)r->quarantine_id);
	if (r->unsubscribe || r->report || r->reply)
		printf(": %s", r->decision);
	printf("\n");
}

static int
ingest_one(struct cli *c, struct ingest *ig, const char *name,
    struct source_meta *meta)
{
	FILE *f = strcmp(name, "-") == 0 ? stdin : fopen(name, "rb");
	struct buf b = BUF_INIT;
	struct err e;
	int rc;

	if (f == NULL)
		return cli_fail(c, EXIT_NOINPUT, "%s: %s", name, strerror(errno));
	rc = read_message(f, (size_t)c->cfg->ingest.max_message_size, &b,
	    &meta->truncated);
	if (f != stdin)
		fclose(f);
	if (rc != 0) {
		buf_free(&b);
		return cli_fail(c, EXIT_TEMPFAIL, "%s: read error", name);
	}
	err_clear(&e);
	rc = ingest_mail(ig, b.data ? b.data : "", b.len, meta, &e);
	buf_free(&b);
	if (rc != LG_OK)
		return cli_fail(c, EXIT_TEMPFAIL, "%s: %s", name, e.msg);
	ingest_print(name, ingest_last(ig));
	return EXIT_OK;
}

/*
 * Everything that is not the message's own fault is temporary here: a
 * mail server piping into us must retry, never bounce or drop.
 */
int
cmd_ingest(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "connector", required_argument, NULL, 'C' },
		{ "sender", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct source_meta meta;
	struct ingest *ig;
	int ch, i, rc = EXIT_OK, r;

	memset(&meta, 0, sizeof(meta));
	meta.connector = "stdin";
	meta.envelope_from = getenv("SENDER");
	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 'C')
			meta.connector = optarg;
		else if (ch == 's')
			meta.envelope_from = optarg;
		else
			return EXIT_USAGE;
	}
	if (cmdutil_ingest(c, &ig) != EXIT_OK)
		return EXIT_TEMPFAIL;
	if (optind == argc)
		rc = ingest_one(c, ig, "-", &meta);
	for (i = optind; i < argc; i++)
		if ((r = ingest_one(c, ig, argv[i], &meta)) != EXIT_OK &&
		    rc != EXIT_TEMPFAIL)
			rc = r;
	ingest_free(ig);
	return rc;
}

static json_t *
quarantine_json(const struct quarantine_row *q)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(q->id));
	json_object_set_new(o, "at", json_string(q->at));
	json_object_set_new(o, "connector", q->connector ?
	    json_string(q->connector) : json_null());
	json_object_set_new(o, "kind", json_string(q->kind));
	json_object_set_new(o, "state", json_string(q->state));
	json_object_set_new(o, "reason", json_string(q->reason));
	json_object_set_new(o, "location", q->location ?
	    json_string(q->location) : json_null());
	json_object_set_new(o, "inquiry_key", q->inquiry_key ?
	    json_string(q->inquiry_key) : json_null());
	json_object_set_new(o, "size", json_integer((json_int_t)q->rawlen));
	json_object_set_new(o, "meta", view_custom(q->meta));
	return o;
}

int
cmd_quarantine_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const head[] = { "ID", "AT", "CONNECTOR", "STATE",
	    "SIZE", "REASON" };
	const char *state = "held", *row[6];
	struct quarantine_row *v = NULL;
	char id[24], size[24];
	struct table *t;
	struct store *st;
	json_t *arr;
	struct err e;
	size_t i, n = 0;
	int ch, rc;

	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 's')
			state = optarg;
		else
			return EXIT_USAGE;
	}
	if (optind != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if (strcmp(state, "all") == 0)
		state = NULL;
	else if (strcmp(state, "held") && strcmp(state, "retried") &&
	    strcmp(state, "dropped"))
		return cli_fail(c, EXIT_USAGE, "--state takes held, retried, "
		    "dropped or all, not '%s'", state);
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_quarantine_list(st, state, &v, &n, &e) != LG_OK)
		return cli_fail_err(c, &e);
	if (cmdutil_json(c)) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, quarantine_json(&v[i]));
		rc = cmdutil_print_json(c, arr);
	} else {
		t = table_new(6, head);
		for (i = 0; i < n; i++) {
			snprintf(id, sizeof(id), "%lld", (long long)v[i].id);
			snprintf(size, sizeof(size), "%zu", v[i].rawlen);
			row[0] = id;
			row[1] = v[i].at;
			row[2] = v[i].connector;
			row[3] = v[i].state;
			row[4] = size;
			row[5] = v[i].reason;
			table_add(t, row);
		}
		rc = cmdutil_print_table(c, t);
		table_free(t);
	}
	store_quarantine_rows_free(v, n);
	return rc;
}

static int
quarantine_id(struct cli *c, int argc, char **argv, long long *id)
{
	if (argc - optind != 1)
		return cli_usage(c, stderr, EXIT_USAGE);
	return cli_parse_id(c, argv[optind], "quarantine id", id) == 0 ?
	    EXIT_OK : EXIT_USAGE;
}

int
cmd_quarantine_show(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "raw", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct quarantine_row *q;
	struct store *st;
	struct err e;
	long long id;
	int ch, rc, raw = 0;

	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch != 'r')
			return EXIT_USAGE;
		raw = 1;
	}
	if ((rc = quarantine_id(c, argc, argv, &id)) != EXIT_OK ||
	    (rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_quarantine_get(st, id, &q, &e) != LG_OK)
		return cli_fail_err(c, &e);
	if (raw) {
		fwrite(q->raw, 1, q->rawlen, stdout);
	} else {
		printf("quarantine %lld (%s)\n  at: %s\n  connector: %s\n"
		    "  kind: %s\n  reason: %s\n  where: %s\n  key: %s\n"
		    "  size: %zu bytes\n  meta: %s\n", (long long)q->id,
		    q->state, q->at, q->connector ? q->connector : "-",
		    q->kind, q->reason, q->location ? q->location : "-",
		    q->inquiry_key ? q->inquiry_key : "-", q->rawlen, q->meta);
		printf("(the raw data: leadgate quarantine show %lld --raw)\n",
		    (long long)q->id);
	}
	store_quarantine_rows_free(q, 1);
	return EXIT_OK;
}

int
cmd_quarantine_retry(struct cli *c, int argc, char **argv)
{
	const struct ingest_report *r;
	struct ingest *ig;
	struct err e;
	long long id;
	int rc;

	if ((rc = cli_getopt(c, argc, argv, "", NULL)) != -1)
		return EXIT_USAGE;
	if ((rc = quarantine_id(c, argc, argv, &id)) != EXIT_OK ||
	    (rc = cmdutil_ingest(c, &ig)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (ingest_retry(ig, id, &e) != LG_OK) {
		ingest_free(ig);
		return cli_fail_err(c, &e);
	}
	r = ingest_last(ig);
	printf("quarantine %lld: %s", id, ingest_outcome_name(r->outcome));
	if (r->lead_id)
		printf(", lead %lld", (long long)r->lead_id);
	printf("\n");
	ingest_free(ig);
	return EXIT_OK;
}

struct drop_job {
	long long id;
};

static int
drop_save(struct cli *c, void *arg, struct err *e)
{
	struct drop_job *j = arg;
	struct quarantine_row *q;
	int rc;

	if ((rc = store_quarantine_get(c->st, j->id, &q, e)) != LG_OK)
		return rc;
	if (strcmp(q->state, "held") != 0)
		rc = err_set(e, LG_EPERM, "quarantine %lld is already %s",
		    j->id, q->state);
	store_quarantine_rows_free(q, 1);
	if (rc != LG_OK)
		return rc;
	return store_quarantine_set_state(c->st, j->id, "dropped", e);
}

int
cmd_quarantine_drop(struct cli *c, int argc, char **argv)
{
	struct drop_job j;
	int rc;

	if ((rc = cli_getopt(c, argc, argv, "", NULL)) != -1)
		return EXIT_USAGE;
	if ((rc = quarantine_id(c, argc, argv, &j.id)) != EXIT_OK)
		return rc;
	return cli_tx(c, drop_save, &j);
}
