/*
 * poll --connector NAME [--dry-run] [--json]: one poll, as the daemon makes
 * on the connector's interval, through the ingest pipeline (or, dry, only
 * printing what was found).
 */
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "connectors/connector.h"
#include "ingest/ingest.h"
#include "connectors/source.h"
#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "gateway/cmdutil.h"
#include "core/config.h"
#include "core/store.h"
#include "parse/encword.h"
#include "parse/header.h"
#include "parse/inquiry.h"
#include "rules/rules.h"
#include "util/buf.h"

/* The dry-run sink: print what was found, store nothing. */
struct poll_print {
	int json;
	long items, inquiries, problems, mails;
	struct ingest *ig;	/* dry: decides, then rolls back; or NULL */
	struct cli *c;
	int loaded;		/* the rules (and ig) were tried */
	int broken;		/* and could not be loaded */
};

/*
 * The rules decide what would happen to a mail, so a broken rule file
 * fails the dry run at the first mail as it fails ingest (75: a mail
 * server retries). With a store, mails go through the pipeline dry
 * (rolled back). Portal items need neither (a portal's mapping can be
 * tried before anything else is set up).
 */
static int
poll_dry_rules(struct poll_print *pp, struct err *e)
{
	const struct rules *rules;

	if (!pp->loaded) {
		pp->loaded = 1;
		if (cli_rules(pp->c, &rules) != EXIT_OK)
			pp->broken = 1;
		else if (access(pp->c->cfg->store_path, R_OK | W_OK) == 0) {
			if (cmdutil_ingest(pp->c, &pp->ig) != EXIT_OK)
				pp->broken = 1;
			else
				ingest_set_dry_run(pp->ig, 1);
		}
	}
	if (pp->broken)
		return err_set(e, LG_ETEMP, "the rules cannot be loaded");
	return LG_OK;
}

static void
poll_print_text(const struct inquiry *q, const struct source_meta *m)
{
	size_t i;

	printf("item %s: ", m->item_id ? m->item_id : "(no id)");
	if (q == NULL) {
		printf("to quarantine: %s\n", m->problem ? m->problem : "?");
		return;
	}
	printf("%s%s%s", q->first_name ? q->first_name : "",
	    q->first_name && q->last_name ? " " : "",
	    q->last_name ? q->last_name : "");
	if (q->email)
		printf(" <%s>", q->email);
	for (i = 0; i < q->nphones; i++)
		printf("%s%s", i ? ", " : " phone ", q->phones[i]);
	if (q->object_ref)
		printf("; object %s", q->object_ref);
	if (q->portal_object_ref)
		printf("; listing %s", q->portal_object_ref);
	printf("\n");
}

static void
poll_print_json(const struct inquiry *q, const struct source_meta *m)
{
	json_t *o = json_object();
	char *s;

	json_object_set_new(o, "item_id", m->item_id ?
	    json_string(m->item_id) : json_null());
	json_object_set_new(o, "source", json_string(m->portal));
	json_object_set_new(o, "inquiry", q ? inquiry_to_json(q) :
	    json_null());
	json_object_set_new(o, "problem", m->problem ?
	    json_string(m->problem) : json_null());
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	printf("%s\n", s);
	free(s);
	json_decref(o);
}

static int
poll_inquiry(void *arg, struct inquiry *q, const char *raw, size_t len,
    const struct source_meta *m, struct err *e)
{
	struct poll_print *pp = arg;

	pp->items++;
	if (q != NULL)
		pp->inquiries++;
	else
		pp->problems++;
	if (pp->json)
		poll_print_json(q, m);
	else
		poll_print_text(q, m);
	return LG_OK;
}

/* The header field name of raw, RFC 2047-decoded; NULL when absent. */
static char *
poll_header(const char *raw, size_t len, const char *name)
{
	struct mail_header *hv = NULL;
	struct buf notes = BUF_INIT;
	size_t i, n = 0, body;
	char *v = NULL;
	struct err e;

	if (header_split(raw, len, 1000, &hv, &n, &body, &notes, &e) !=
	    LG_OK)
		n = 0;
	for (i = 0; i < n && v == NULL; i++)
		if (strcasecmp(hv[i].name, name) == 0)
			v = encword_dup(hv[i].value, NULL);
	header_free(hv, n);
	buf_free(&notes);
	return v;
}

/* What ingest would do, in words: "new lead", "quarantine: why", ... */
static void
poll_would(const struct ingest_report *r, char *buf, size_t len)
{
	switch (r->outcome) {
	case INGEST_NEW_LEAD:
		snprintf(buf, len, "new lead%s%s", r->decision[0] ? "; " : "",
		    r->decision);
		break;
	case INGEST_EXISTING_LEAD:
		snprintf(buf, len, "added to open lead %lld%s%s",
		    (long long)r->lead_id, r->decision[0] ? "; " : "",
		    r->decision);
		break;
	case INGEST_DUPLICATE:
		snprintf(buf, len, "duplicate: seen before, nothing to do");
		break;
	case INGEST_IGNORED:
		/* The decision says by what ("ignored by rule x (f:3)"). */
		snprintf(buf, len, "%s", r->decision[0] ? r->decision :
		    r->reason[0] ? r->reason : "ignored");
		break;
	case INGEST_QUARANTINED:
		snprintf(buf, len, "quarantine: %s", r->reason);
		break;
	}
}

static void
poll_mail_json(const char *where, size_t len, const char *from,
    const char *subject, const struct ingest_report *r, const char *would)
{
	json_t *o = json_object();
	char *s;

	json_object_set_new(o, "message", json_string(where));
	json_object_set_new(o, "bytes", json_integer((json_int_t)len));
	json_object_set_new(o, "from", from ? json_string(from) : json_null());
	json_object_set_new(o, "subject", subject ? json_string(subject) :
	    json_null());
	json_object_set_new(o, "rule", r && r->rule ?
	    json_string(r->rule->name) : json_null());
	json_object_set_new(o, "outcome", r ? json_string(
	    ingest_outcome_name(r->outcome)) : json_null());
	json_object_set_new(o, "would", would ? json_string(would) :
	    json_null());
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	printf("%s\n", s);
	free(s);
	json_decref(o);
}

static int
poll_mail(void *arg, const char *raw, size_t len,
    const struct source_meta *m, struct err *e)
{
	struct poll_print *pp = arg;
	const struct ingest_report *r = NULL;
	char where[512], would[1024];
	char *from, *subject;
	struct err ie;

	if (poll_dry_rules(pp, e) != LG_OK)
		return LG_ETEMP;
	pp->items++;
	pp->mails++;
	if (m->file != NULL)
		snprintf(where, sizeof(where), "%s", m->file);
	else
		snprintf(where, sizeof(where), "%s uid %u", m->folder ?
		    m->folder : "", (unsigned)m->uid);
	from = poll_header(raw, len, "From");
	subject = poll_header(raw, len, "Subject");
	err_clear(&ie);
	if (pp->ig != NULL) {
		if (ingest_mail(pp->ig, raw, len, m, &ie) == LG_OK) {
			r = ingest_last(pp->ig);
			poll_would(r, would, sizeof(would));
		} else {
			snprintf(would, sizeof(would), "not now (%s)", ie.msg);
		}
	}
	if (pp->json) {
		poll_mail_json(where, len, from, subject, r, pp->ig ? would :
		    NULL);
	} else {
		printf("message %s: %zu bytes%s\n", where, len,
		    m->truncated ? " (truncated)" : "");
		printf("  from: %s\n  subject: %s\n", from ? from : "-",
		    subject ? subject : "-");
		if (r != NULL && r->rule != NULL)
			printf("  rule: %s (%s:%d)\n", r->rule->name,
			    r->rule->file ? r->rule->file : "built-in",
			    r->rule->line);
		else if (r != NULL)
			printf("  rule: none\n");
		if (pp->ig != NULL)
			printf("  would: %s\n", would);
		else
			printf("  would: (no store yet to decide against: "
			    "leadgate db migrate makes one)\n");
	}
	free(from);
	free(subject);
	return LG_OK;
}

/* The store, read-only, when there is one: to start where the daemon is. */
static struct store *
poll_store_ro(const struct config *cfg)
{
	struct store_options opt = { 0, 1, NULL, NULL, NULL };
	struct store *st = NULL;

	config_store_options(cfg, &opt);
	if ((*cfg->store_url == '\0' && access(cfg->store_path, R_OK) != 0) ||
	    store_open(cfg->store_path, &opt, &st, NULL) != LG_OK)
		return NULL;
	return st;
}

static int
poll_dry(struct cli *c, struct connector *cn, int json)
{
	struct poll_print pp = { json, 0, 0, 0, 0, NULL, c, 0, 0 };
	struct connector_sink sink;
	struct err e;
	int rc;

	memset(&sink, 0, sizeof(sink));
	sink.mail = poll_mail;
	sink.inquiry = poll_inquiry;
	sink.arg = &pp;
	sink.st = poll_store_ro(c->cfg);
	sink.dry_run = 1;
	err_clear(&e);
	rc = cn->ops->poll_once(cn->conn, &sink, &e);
	store_close(sink.st);
	ingest_free(pp.ig);
	fflush(stdout);
	fprintf(stderr, "poll %s: %ld item(s): %ld inquiry(ies), %ld for "
	    "quarantine%s; dry run: nothing stored, acknowledged or moved\n",
	    cn->name, pp.items, pp.inquiries + pp.mails, pp.problems,
	    rc == LG_OK ? "" : " before the error below");
	if (pp.broken)
		return EXIT_TEMPFAIL;	/* cli_rules() said why */
	if (rc != LG_OK)
		return cli_fail_err(c, &e);
	return EXIT_OK;
}

/* A real poll: the ingest pipeline behind a sink that also reports. */
struct poll_real {
	struct ingest *ig;
	int json;
};

static void
poll_report(const struct poll_real *pr, const struct source_meta *m)
{
	const struct ingest_report *r = ingest_last(pr->ig);
	const char *what = m->item_id ? m->item_id : m->folder ? m->folder :
	    "(no id)";
	json_t *o;
	char *s;

	if (pr->json) {
		o = json_object();
		json_object_set_new(o, "item_id", json_string(what));
		json_object_set_new(o, "outcome",
		    json_string(ingest_outcome_name(r->outcome)));
		json_object_set_new(o, "lead_id", json_integer(r->lead_id));
		json_object_set_new(o, "contact_id",
		    json_integer(r->contact_id));
		json_object_set_new(o, "quarantine_id",
		    json_integer(r->quarantine_id));
		s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
		printf("%s\n", s);
		free(s);
		json_decref(o);
		return;
	}
	printf("item %s: %s", what, ingest_outcome_name(r->outcome));
	if (r->lead_id)
		printf(", lead %lld", (long long)r->lead_id);
	if (r->contact_id)
		printf(", contact %lld", (long long)r->contact_id);
	if (r->outcome == INGEST_QUARANTINED)
		printf(", quarantine %lld: %s", (long long)r->quarantine_id,
		    r->reason);
	else if (r->unsubscribe || r->report || r->reply)
		printf(": %s", r->decision);
	printf("\n");
}

static int
poll_real_inquiry(void *arg, struct inquiry *q, const char *raw, size_t len,
    const struct source_meta *m, struct err *e)
{
	struct poll_real *pr = arg;
	int rc;

	if ((rc = ingest_inquiry(pr->ig, q, raw, len, m, e)) == LG_OK)
		poll_report(pr, m);
	return rc;
}

static int
poll_real_mail(void *arg, const char *raw, size_t len,
    const struct source_meta *m, struct err *e)
{
	struct poll_real *pr = arg;
	int rc;

	if ((rc = ingest_mail(pr->ig, raw, len, m, e)) == LG_OK)
		poll_report(pr, m);
	return rc;
}

static int
poll_real_sync(void *arg, struct err *e)
{
	struct poll_real *pr = arg;

	return ingest_sync(pr->ig, e);
}

static int
poll_store(struct cli *c, struct connector *cn, int json)
{
	struct poll_real pr = { NULL, json };
	const struct ingest_stats *s;
	struct connector_sink sink;
	struct err e;
	int rc;

	if ((rc = cmdutil_ingest(c, &pr.ig)) != EXIT_OK)
		return rc;
	ingest_sink(pr.ig, &sink);
	sink.mail = poll_real_mail;
	sink.inquiry = poll_real_inquiry;
	sink.sync = poll_real_sync;
	sink.arg = &pr;
	err_clear(&e);
	rc = cn->ops->poll_once(cn->conn, &sink, &e);
	fflush(stdout);
	s = ingest_stats(pr.ig);
	fprintf(stderr, "poll %s: %ld new lead(s), %ld added to open leads, "
	    "%ld duplicate(s), %ld ignored, %ld in quarantine%s\n", cn->name,
	    s->new_leads, s->existing_leads, s->duplicates, s->ignored,
	    s->quarantined, rc == LG_OK ? "" : " before the error below");
	ingest_free(pr.ig);
	if (rc != LG_OK)
		return cli_fail_err(c, &e);
	return EXIT_OK;
}

int
cmd_poll(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "connector", required_argument, NULL, 'n' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct connector_list l;
	struct connector *cn;
	struct config *cfg;
	const char *name = NULL;
	struct err e;
	int ch, rc, dry = 0, json = 0;

	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 'n')
			name = optarg;
		else if (ch == 'd')
			dry = 1;
		else if (ch == 'j')
			json = 1;
		else
			return EXIT_USAGE;
	}
	if (optind != argc || name == NULL)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_config(c, &cfg)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (connector_load_all(cfg, &l, NULL, &e) != LG_OK)
		return cli_fail(c, EXIT_CONFIG, "%s", e.msg);
	if ((cn = connector_find(&l, name)) == NULL)
		rc = cli_fail(c, EXIT_NOINPUT, "no connector named '%s' in %s",
		    name, cfg->path);
	else if (dry)
		rc = poll_dry(c, cn, json);
	else
		rc = poll_store(c, cn, json);
	connector_list_free(&l);
	return rc;
}
