/*
 * The ingest pipeline (see ingest.h). One inquiry, one transaction:
 * everything it leads to (contact, lead, history, inquiry keys, quarantine)
 * commits together or not at all, so a connector that flags the message
 * after LG_OK can crash at any point without losing or doubling anything.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "ingest/ingest.h"
#include "core/archive.h"
#include "util/buf.h"
#include "util/clock.h"
#include "core/config.h"
#include "core/domain.h"
#include "core/intake.h"
#include "util/log.h"
#include "util/norm.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "core/thread.h"
#include "util/xmalloc.h"
#include "outbound/assign.h"
#include "outbound/autoreply.h"
#include "outbound/onphase.h"
#include "outbound/bounce.h"
#include "outbound/unsub_mail.h"
#include "parse/extract.h"
#include "parse/inquiry.h"
#include "parse/mail.h"
#include "parse/phone.h"
#include "rules/cond.h"
#include "rules/rules.h"
#include "spool/spool.h"

#define MOD "ingest"
#define EXTRACT_CACHE 8
/*
 * Group commit: up to GROUP_MAX mails in one database transaction, at
 * most GROUP_MS old, each its own savepoint. The connectors mark mail
 * done only after ingest_sync(), which commits the group. GROUP_MAX is
 * above the connectors' batch (ingest.batch, 100 by default, and
 * Maildir's 100), so a batch is one commit, one archive sync and one
 * WAL sync rather than two of each: a WAL commit writes every page the
 * group dirtied, and a bigger group shares the index pages its rows
 * land on. GROUP_MS bounds how long the write lock is held when mail
 * comes in slowly (the busy timeout of other writers is 5 s).
 */
#define GROUP_MAX 256
#define GROUP_MS 1000
#define DEFAULT_SOURCE "E-Mail"

struct ingest {
	const struct config *cfg;
	struct domain d;
	const struct rules *rules;
	struct extract_env env;		/* mailbox: per job */
	struct mail_limits lim;
	struct spool *sp;		/* opened with the first autoreply */
	struct archive_batch *kept;	/* kept mail not yet durable */
	int dry_run;
	int grouped;			/* group commit is available */
	int grouping;			/* a group is on: until ingest_sync() */
	struct held {			/* log lines of commits not synced */
		enum log_level level;
		char *text;
	} *held;
	size_t nheld, heldcap;
	struct ingest_report last;
	struct ingest_stats stats;
	void (*on_queued)(void *);	/* ingest_on_queued() */
	void *on_queued_arg;
	long queued_synced;		/* stats.queued at the last sync */
};

/* One extraction result per extractor name tried on this inquiry. */
struct extraction {
	char *name;		/* NULL: detection */
	struct inquiry *q;
	char problem[256];
};

struct job {
	struct ingest *ig;
	const struct source_meta *meta;
	const char *raw;
	size_t len;
	const char *kind;		/* "mail" or "json" */
	struct mail *mail;
	const struct inquiry *given;	/* portal items come extracted */
	struct extraction ex[EXTRACT_CACHE];
	size_t nex;
	int64_t retry_of;		/* the quarantine row being retried */
	const struct rule *rule;
	char where[300];		/* "rule NAME (file:line)" */
	const struct inquiry *q;	/* the rule's extraction */
	char email[NORM_EMAIL_MAX + 1];
	char sender[NORM_EMAIL_MAX + 1];
	struct contact_addr *phones;
	size_t nphones;
	struct thread_mail tmail;	/* what threading looks at */
	struct thread_match thread;	/* the message of ours it answers */
};

static void held_flush(struct ingest *ig, int committed);

static const char *const outcome_names[] = {
	[INGEST_NEW_LEAD] = "new lead",
	[INGEST_EXISTING_LEAD] = "existing lead",
	[INGEST_DUPLICATE] = "duplicate",
	[INGEST_IGNORED] = "ignored",
	[INGEST_QUARANTINED] = "quarantined",
};

const char *
ingest_outcome_name(enum ingest_outcome o)
{
	return outcome_names[o];
}

/*
 * The store's commit hook: the kept mail files of the transactions
 * being committed become durable before the rows that name them can
 * (core/archive.h), one syncfs() for a whole group.
 */
static int
kept_sync(void *arg, struct err *e)
{
	struct ingest *ig = arg;
	int rc;

	if ((rc = archive_batch_sync(ig->kept, e)) != LG_OK)
		log_warn(MOD, "archive: %s", e ? e->msg : "cannot keep mail");
	return rc;
}

struct ingest *
ingest_new(const struct config *cfg, struct store *st,
    const struct pipelines *pl, const struct rules *rules,
    const struct parse_data *pd)
{
	struct ingest *ig = xcalloc(1, sizeof(*ig));

	ig->cfg = cfg;
	ig->d.st = st;
	ig->d.pl = pl;
	ig->d.country = cfg->default_country;
	ig->rules = rules;
	ig->env.data = pd;
	ig->env.own_addresses = (const char *const *)cfg->mail.own_addresses.v;
	ig->env.own_domains = (const char *const *)cfg->mail.own_domains.v;
	mail_limits_default(&ig->lim);
	ig->lim.max_size = (size_t)cfg->ingest.max_message_size;
	ig->kept = archive_batch_new();
	store_commit_hook(st, kept_sync, ig, NULL);
	return ig;
}

static void
report_clear(struct ingest_report *r)
{
	inquiry_free(r->inquiry);
	memset(r, 0, sizeof(*r));
}

void
ingest_free(struct ingest *ig)
{
	struct err e;
	int rc;

	if (ig == NULL)
		return;
	if (ig->grouping) {
		/* The store goes on without groups: commit the open one. */
		err_clear(&e);
		if ((rc = store_group_commit(ig->d.st, 0, 0, &e)) != LG_OK)
			log_warn(MOD, "%s", e.msg);
		held_flush(ig, rc == LG_OK);
	}
	store_commit_hook(ig->d.st, NULL, NULL, NULL);
	archive_batch_free(ig->kept);
	free(ig->held);
	report_clear(&ig->last);
	spool_close(ig->sp);
	free(ig);
}

/*
 * A decision is logged once its commit is in the database: right away,
 * or, with group commit, when ingest_sync() has committed the group.
 */
static void __attribute__((format(printf, 3, 4)))
held_log(struct ingest *ig, enum log_level level, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		log_fatalx(MOD, "out of memory");
	va_end(ap);
	if (!ig->grouping) {
		logm(level, MOD, "%s", text);
		free(text);
		return;
	}
	if (ig->nheld == ig->heldcap) {
		ig->heldcap = ig->heldcap ? 2 * ig->heldcap : 64;
		ig->held = xreallocarray(ig->held, ig->heldcap,
		    sizeof(*ig->held));
	}
	ig->held[ig->nheld].level = level;
	ig->held[ig->nheld++].text = text;
}

/* Print the held lines (committed) or drop them (the group was lost). */
static void
held_flush(struct ingest *ig, int committed)
{
	size_t i;

	for (i = 0; i < ig->nheld; i++) {
		if (committed)
			logm(ig->held[i].level, MOD, "%s", ig->held[i].text);
		free(ig->held[i].text);
	}
	if (!committed && ig->nheld)
		log_warn(MOD, "%zu decision(s) not committed: their mail stays "
		    "new at its source and is taken again", ig->nheld);
	ig->nheld = 0;
}

void
ingest_set_dry_run(struct ingest *ig, int on)
{
	ig->dry_run = on;
}

static int store_fail(struct err *e);

void
ingest_group_commit(struct ingest *ig)
{
	struct err e;

	err_clear(&e);
	if (store_fast_commit(ig->d.st, &e) != LG_OK)
		log_warn(MOD, "commits stay synchronous: %s", e.msg);
	else
		ig->grouped = 1;
}

/*
 * The first job after a sync starts a group; the sync ends it, so that
 * what the caller writes between polls (status, mailbox state) commits
 * on its own and no group stays open while a connector waits.
 */
static void
group_start(struct ingest *ig)
{
	struct err e;

	if (!ig->grouped || ig->grouping || ig->dry_run)
		return;
	err_clear(&e);
	if (store_group_commit(ig->d.st, GROUP_MAX, GROUP_MS, &e) == LG_OK)
		ig->grouping = 1;
	else
		log_warn(MOD, "commits stay one by one: %s", e.msg);
}

int
ingest_sync(void *arg, struct err *e)
{
	struct ingest *ig = arg;
	int rc = store_sync(ig->d.st, e);

	if (rc == LG_OK && ig->grouping &&
	    (rc = store_group_commit(ig->d.st, 0, 0, e)) == LG_OK)
		ig->grouping = 0;
	held_flush(ig, rc == LG_OK);
	if (rc == LG_OK && ig->stats.queued != ig->queued_synced &&
	    ig->on_queued != NULL)
		ig->on_queued(ig->on_queued_arg);
	ig->queued_synced = ig->stats.queued;
	return rc == LG_OK ? LG_OK : store_fail(e);
}

void
ingest_on_queued(struct ingest *ig, void (*fn)(void *), void *arg)
{
	ig->on_queued = fn;
	ig->on_queued_arg = arg;
}

void
ingest_sink(struct ingest *ig, struct connector_sink *sink)
{
	memset(sink, 0, sizeof(*sink));
	sink->mail = ingest_mail;
	sink->inquiry = ingest_inquiry;
	sink->sync = ingest_sync;
	sink->arg = ig;
	sink->st = ig->d.st;
	ingest_group_commit(ig);
}

const struct ingest_report *
ingest_last(const struct ingest *ig)
{
	return &ig->last;
}

const struct ingest_stats *
ingest_stats(const struct ingest *ig)
{
	return &ig->stats;
}

static void
job_clear(struct job *j)
{
	size_t i;

	for (i = 0; i < j->nex; i++) {
		free(j->ex[i].name);
		inquiry_free(j->ex[i].q);
	}
	for (i = 0; i < j->nphones; i++) {
		free(j->phones[i].given);
		free(j->phones[i].norm);
	}
	free(j->phones);
	mail_free(j->mail);
}

/* The value of a top-level header, unfolded, without parsing the message. */
static char *
header_scan(const char *raw, size_t len, const char *name)
{
	size_t n = strlen(name), i = 0, end;
	struct buf b = BUF_INIT;

	while (i < len && raw[i] != '\r' && raw[i] != '\n') {
		end = i;
		while (end < len && raw[end] != '\n')
			end++;
		if (end - i > n && strncasecmp(raw + i, name, n) == 0 &&
		    raw[i + n] == ':') {
			buf_add(&b, raw + i + n + 1, end - i - n - 1);
			while (end + 1 < len && (raw[end + 1] == ' ' ||
			    raw[end + 1] == '\t')) {
				i = end + 1;
				for (end = i; end < len && raw[end] != '\n'; end++)
					;
				buf_add(&b, raw + i, end - i);
			}
			return buf_detach(&b);
		}
		i = end + 1;
	}
	return NULL;
}

/* "mid:<id>" from the Message-ID, else "sha256:<hex>" of the raw message. */
static void
mail_key(const char *raw, size_t len, char *out, size_t outlen)
{
	char *mid = header_scan(raw, len, "Message-ID"), *p, *q;
	char hex[65];

	if (mid != NULL) {
		for (p = mid; isspace((unsigned char)*p) || *p == '<'; p++)
			;
		for (q = p + strlen(p); q > p && (isspace((unsigned char)
		    q[-1]) || q[-1] == '>'); q--)
			;
		*q = '\0';
		if (*p != '\0' && strlen(p) < outlen - 5) {
			snprintf(out, outlen, "mid:%s", p);
			free(mid);
			return;
		}
		free(mid);
	}
	archive_hash(raw, len, hex);
	snprintf(out, outlen, "sha256:%s", hex);
}

static int
store_fail(struct err *e)
{
	/* Whatever went wrong in the store, the inquiry is offered again later. */
	if (e && e->code != LG_ETEMP)
		log_err(MOD, "store: %s", e->msg);
	return e ? (e->code = LG_ETEMP) : LG_ETEMP;
}

static int
record_inquiry_id(struct job *j, const char *key, int64_t contact,
    int64_t lead, int64_t quarantine, const char *decision, int64_t *id,
    struct err *e)
{
	struct new_inquiry r;

	memset(&r, 0, sizeof(r));
	r.key = key;
	r.connector = j->meta->connector;
	r.sender = j->sender[0] ? j->sender : NULL;
	r.contact_id = contact;
	r.lead_id = lead;
	r.quarantine_id = quarantine;
	r.rule = j->rule ? j->rule->name : NULL;
	r.decision = decision;
	if (store_inquiry_add(j->ig->d.st, &r, id, e) != LG_OK)
		return store_fail(e);
	return LG_OK;
}

static int
record_inquiry(struct job *j, const char *key, int64_t contact, int64_t lead,
    int64_t quarantine, const char *decision, struct err *e)
{
	return record_inquiry_id(j, key, contact, lead, quarantine, decision,
	    NULL, e);
}

/*
 * The raw mail (or portal record) kept with its lead (core/archive.h).
 * The file is written inside this transaction and made durable by the
 * store's commit hook (kept_sync) before the commit of the row that
 * names it: a row never names a missing file (a crash leaves at most a
 * file no row names, which the purge removes), and the purge, which
 * checks and removes files under the store's write lock, never takes a
 * file that is being recorded.
 */
static int
keep_mail(struct job *j, int64_t inquiry, int64_t contact, int64_t lead,
    struct err *e)
{
	const struct config *cfg = j->ig->cfg;
	char hex[ARCHIVE_HEXLEN + 1];
	struct new_mail_row m;

	if (!cfg->archive.enabled || j->ig->dry_run || j->raw == NULL ||
	    j->len == 0)
		return LG_OK;
	if (archive_put(cfg->archive.dir, j->raw, j->len, clock_now(), hex,
	    j->ig->kept, e) != LG_OK) {
		log_warn(MOD, "archive: %s", e ? e->msg : "cannot keep the mail");
		return store_fail(e);
	}
	memset(&m, 0, sizeof(m));
	m.kind = j->kind;
	m.connector = j->meta->connector;
	m.lead_id = lead;
	m.contact_id = contact;
	m.inquiry_id = inquiry;
	if (j->mail != NULL) {
		m.from = j->mail->from;
		m.subject = j->mail->subject;
		m.message_id = j->mail->message_id;
	} else if (j->q != NULL) {
		m.from = j->q->email;
	}
	m.size = (int64_t)j->len;
	m.sha256 = hex;
	if (store_mail_add(j->ig->d.st, &m, NULL, e) != LG_OK)
		return store_fail(e);
	return LG_OK;
}

static int
quarantine(struct job *j, const char *location, const char *reason,
    struct err *e)
{
	struct ingest_report *rep = &j->ig->last;
	struct new_quarantine q;
	json_t *meta = json_object();
	char *metatext;
	int64_t qid;
	int rc;

	memset(&q, 0, sizeof(q));
	q.connector = j->meta->connector;
	q.kind = j->kind;
	q.inquiry_key = rep->key;
	q.reason = reason;
	q.location = location;
	q.raw = j->raw;
	q.rawlen = j->len;
	if (j->meta->folder)
		json_object_set_new(meta, "folder", json_string(j->meta->folder));
	if (j->meta->uid)
		json_object_set_new(meta, "uid", json_integer(j->meta->uid));
	if (j->meta->item_id)
		json_object_set_new(meta, "item_id",
		    json_string(j->meta->item_id));
	if (j->meta->portal)
		json_object_set_new(meta, "portal", json_string(j->meta->portal));
	q.meta = metatext = json_dumps(meta, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(meta);
	rc = store_quarantine_add(j->ig->d.st, &q, &qid, e);
	free(metatext);
	if (rc != LG_OK)
		return store_fail(e);
	rep->outcome = INGEST_QUARANTINED;
	rep->quarantine_id = qid;
	snprintf(rep->reason, sizeof(rep->reason), "%s", reason);
	if (location != j->where)
		snprintf(j->where, sizeof(j->where), "%s", location);
	return record_inquiry(j, rep->key, 0, 0, qid, "quarantined", e);
}

static struct extraction *
extraction_for(struct job *j, const char *name)
{
	struct extraction *x;
	struct extract_env env;
	struct err e;
	size_t i;

	for (i = 0; i < j->nex; i++)
		if ((j->ex[i].name == NULL && name == NULL) ||
		    (j->ex[i].name && name && strcmp(j->ex[i].name, name) == 0))
			return &j->ex[i];
	if (j->nex == EXTRACT_CACHE)
		return NULL;
	x = &j->ex[j->nex++];
	x->name = xstrdup(name);
	env = j->ig->env;
	env.mailbox = j->meta->mailbox;
	err_clear(&e);
	if (extract_run(&env, name, j->mail, &x->q, &e) != LG_OK) {
		x->q = NULL;
		snprintf(x->problem, sizeof(x->problem), "extractor %s: %s",
		    name ? name : "(detected)", e.msg);
	}
	return x;
}

/* cond_input.extracted: portal items are already extracted. */
static const struct inquiry *
job_extracted(void *arg, const char *extractor)
{
	struct job *j = arg;
	struct extraction *x;

	if (j->given)
		return j->given;
	x = extraction_for(j, extractor);
	return x ? x->q : NULL;
}

/*
 * The e-mail and phones that identify the prospect, normalized. A number
 * without its country code is the prospect's country's (the inquiry's
 * country, else what the postcode, the other numbers and the language
 * tell: phone_country()), else store.default_country's.
 */
static void
job_identity(struct job *j)
{
	const struct inquiry *q = j->q;
	struct phone_evidence ev = {
		.country = q->country,
		.postcode = q->postcode,
		.city = q->city,
		.language = q->language,
		.numbers = q->phones,
		.nnumbers = q->nphones,
		.fallback = j->ig->d.country,
	};
	char norm[NORM_PHONE_MAX + 1];
	size_t i;

	j->email[0] = j->sender[0] = '\0';
	if (q->email && norm_email(q->email, j->email, sizeof(j->email),
	    NULL) != LG_OK)
		j->email[0] = '\0';
	for (i = 0; i < q->nphones; i++)
		if (norm_phone(q->phones[i], phone_country(q->phones[i], &ev),
		    norm, sizeof(norm), NULL) == LG_OK)
			contact_push_addr(&j->phones, &j->nphones,
			    q->phones[i], norm);
	if (j->email[0])
		snprintf(j->sender, sizeof(j->sender), "%s", j->email);
	else if (j->nphones)
		snprintf(j->sender, sizeof(j->sender), "%s", j->phones[0].norm);
}

/* More than loop_max inquiries from one sender within the window. */
static int
loop_broken(struct job *j, char *why, size_t len, struct err *e)
{
	const struct config *cfg = j->ig->cfg;
	char since[CLOCK_ISOLEN];
	long n;

	clock_iso(clock_now() - cfg->ingest.loop_window, since, sizeof(since));
	if (store_inquiry_count_from(j->ig->d.st, j->sender, since, &n, e) !=
	    LG_OK)
		return store_fail(e);
	if (n < cfg->ingest.loop_max)
		return 0;
	snprintf(why, len, "loop breaker: more than %d inquiries from %s "
	    "within %d minutes", cfg->ingest.loop_max, j->sender,
	    cfg->ingest.loop_window / 60);
	return 1;
}

/* The inquiry in the store's terms, for core/intake.h. */
static void
job_intake(const struct job *j, struct intake *in)
{
	const struct inquiry *q = j->q;

	memset(in, 0, sizeof(*in));
	in->connector = j->meta->connector;
	in->rule = j->rule->name;
	in->salutation = q->salutation;
	in->first_name = q->first_name;
	in->last_name = q->last_name;
	in->company = q->company;
	in->street = q->street;
	in->postcode = q->postcode;
	in->city = q->city;
	in->language = q->language;
	in->email = q->email;
	in->email_norm = j->email;
	in->phones = j->phones;
	in->nphones = j->nphones;
	in->pipeline = j->rule->pipeline;
	in->phase = j->rule->phase;
	in->object_ref = q->object_ref;
	in->portal_object_ref = q->portal_object_ref;
	in->portal = q->portal ? q->portal : j->meta->portal;
	in->portal_ref = q->portal_ref ? q->portal_ref : j->meta->item_id;
	in->message = q->message;
	in->forwarded_by = q->forwarded_by;
}

static char *
lead_custom(struct job *j)
{
	json_t *o = json_loads(j->q->custom ? j->q->custom : "{}", 0, NULL);
	json_t *tags;
	char *s;
	size_t i;

	if (!json_is_object(o)) {
		json_decref(o);
		o = json_object();
	}
	if (j->rule->ntags) {
		tags = json_array();
		for (i = 0; i < j->rule->ntags; i++)
			json_array_append_new(tags, json_string(j->rule->tags[i]));
		json_object_set_new(o, "tags", tags);
	}
	if (j->rule->assignee)
		json_object_set_new(o, "assignee",
		    json_string(j->rule->assignee));
	/* A forward keeps its original's subject (forward.h), not "Fwd: ...". */
	if (j->mail && j->mail->subject && !(j->q->forwarded_by &&
	    json_object_get(o, "subject")))
		json_object_set_new(o, "subject", json_string(j->mail->subject));
	if (j->q->forwarded_by)
		json_object_set_new(o, "forwarded_by",
		    json_string(j->q->forwarded_by));
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s ? s : xstrdup("{}");
}

/*
 * A new lead: the rule's source, else the portal's, else the one of the
 * profile that read it (a web form's "Website"), else "E-Mail" (created
 * if new), and the lead's custom fields.
 */
static int
lead_create(struct job *j, struct intake *in, struct contact *c,
    const char *decision, struct lead **out, struct err *e)
{
	char *custom;
	int rc, created;

	in->source = j->rule->source ? j->rule->source : j->meta->portal ?
	    j->meta->portal : j->q->portal ? j->q->portal : j->q->source ?
	    j->q->source : DEFAULT_SOURCE;
	if (intake_source(&j->ig->d, in->source, &created, e) != LG_OK)
		return store_fail(e);
	if (created)
		log_info(MOD, "source '%s' created for connector %s",
		    in->source, j->meta->connector ? j->meta->connector : "-");
	custom = lead_custom(j);
	in->custom = custom;
	rc = intake_lead(&j->ig->d, in, c, decision, out, e);
	in->custom = NULL;
	free(custom);
	return rc;
}

/*
 * The rule's autoreply, in this inquiry's transaction: a crash never
 * leaves a lead without its reply or a reply without its lead.
 */
static int
reply(struct job *j, const struct contact *c, const struct lead *l,
    struct err *e)
{
	struct ingest *ig = j->ig;
	struct autoreply_req r;
	int queued, rc;

	if (j->rule->autoreply == NULL)
		return LG_OK;
	if (ig->sp == NULL && !ig->dry_run &&
	    (rc = spool_open(ig->cfg->spool_dir, &ig->sp, e)) != LG_OK)
		return store_fail(e);
	memset(&r, 0, sizeof(r));
	r.mail = j->mail;
	r.envelope_from = j->meta->envelope_from;
	r.target = j->email;
	r.contact = c;
	r.lead = l;
	r.rule = j->rule->name;
	r.template = j->rule->autoreply;
	r.advance_phase = j->rule->autoreply_phase;
	r.forwarded = j->q->forwarded_by != NULL;
	rc = autoreply_queue(&ig->d, ig->cfg, ig->dry_run ? NULL : ig->sp, &r,
	    &queued, ig->last.autoreply, sizeof(ig->last.autoreply), e);
	if (rc == LG_OK && queued)
		ig->stats.queued++;
	return rc == LG_OK ? LG_OK : store_fail(e);
}

/*
 * The new lead's agent (outbound/assign.h), told by mail, and the steps
 * of the phase it arrived in (outbound/onphase.h): in this inquiry's
 * transaction, like its reply.
 */
static int
agent_new(struct job *j, int64_t lead, struct err *e)
{
	struct ingest *ig = j->ig;

	if (ig->dry_run)
		return LG_OK;
	if (ig->cfg->agents.n == 0 && !pipelines_have_steps(ig->d.pl))
		return onphase_run(&ig->d, ig->cfg, NULL, NULL, e) == LG_OK ?
		    LG_OK : store_fail(e);
	if (ig->sp == NULL &&
	    spool_open(ig->cfg->spool_dir, &ig->sp, e) != LG_OK)
		return store_fail(e);
	if (assign_new_lead(&ig->d, ig->cfg, ig->sp, lead, e) != LG_OK ||
	    onphase_run(&ig->d, ig->cfg, ig->sp, NULL, e) != LG_OK)
		return store_fail(e);
	return LG_OK;
}

/* The prospect's reply: the lead's agent is told (keyed by the mail). */
static int
agent_reply(struct job *j, int64_t lead, int64_t inquiry, struct err *e)
{
	struct ingest *ig = j->ig;
	char key[48];

	if (ig->dry_run || (ig->cfg->agents.n == 0 &&
	    !pipelines_have_steps(ig->d.pl)))
		return LG_OK;
	if (ig->sp == NULL &&
	    spool_open(ig->cfg->spool_dir, &ig->sp, e) != LG_OK)
		return store_fail(e);
	snprintf(key, sizeof(key), "reply.%lld", (long long)inquiry);
	if (assign_notify(&ig->d, ig->cfg, ig->sp, lead, NULL, "reply", key,
	    e) != LG_OK ||
	    onphase_run(&ig->d, ig->cfg, ig->sp, NULL, e) != LG_OK)
		return store_fail(e);
	return LG_OK;
}

/* A portal inquiry may arrive by mail and by API: one key for both. */
static void
portal_key(const struct job *j, char *out, size_t len)
{
	const char *portal = j->q->portal ? j->q->portal : j->meta->portal;
	const char *ref = j->q->portal_ref ? j->q->portal_ref :
	    j->meta->item_id;

	out[0] = '\0';
	if (portal && ref && *portal && *ref)
		snprintf(out, len, "portal:%s:%s", portal, ref);
}

/* The rule's deduplication policy, in core/intake.h's terms. */
static void
job_policy(const struct job *j, struct intake_policy *p)
{
	const struct dedup_policy *dd = &j->ig->rules->dedup;

	p->email = dd->email;
	p->phone = dd->phone;
	p->name_postcode = dd->name_postcode;
	p->same_object = dd->same_object;
}

/*
 * The search profile an inquiry carries (custom fields "search.*", from
 * OpenImmo-Feedback or a portal's fields), added to the contact unless
 * it has the same one already.
 */
static int
profile_from_inquiry(struct job *j, int64_t contact_id, struct err *e)
{
	struct search_profile *p, *v = NULL;
	char *bad = NULL, *want, *have;
	size_t n = 0, i;
	int rc, same = 0;

	if ((p = search_profile_from_custom(j->q->custom, &bad)) == NULL) {
		free(bad);
		return LG_OK;
	}
	if (bad != NULL)
		log_warn(MOD, "search profile of contact %lld: %s (left out)",
		    (long long)contact_id, bad);
	free(bad);
	p->contact_id = contact_id;
	p->origin = xstrdup("inquiry");
	want = search_profile_describe(p);
	rc = store_profiles_list(j->ig->d.st, contact_id, &v, &n, e);
	for (i = 0; rc == LG_OK && i < n && !same; i++) {
		have = search_profile_describe(&v[i]);
		same = strcmp(have, want) == 0;
		free(have);
	}
	if (rc == LG_OK && !same)
		rc = store_profile_add(j->ig->d.st, p, e);
	search_profiles_free(v, n);
	free(want);
	search_profile_clear(p);
	free(p);
	return rc == LG_OK ? LG_OK : store_fail(e);
}

/* Contact and lead for the inquiry, its reply, and its keys recorded. */
static int
contact_and_lead(struct job *j, const char *pkey, struct err *e)
{
	struct ingest_report *rep = &j->ig->last;
	struct intake_policy pol;
	struct contact *c = NULL;
	struct lead *l = NULL;
	struct intake in;
	int64_t lead, iid = 0;
	int rc;

	job_policy(j, &pol);
	job_intake(j, &in);
	if (intake_contact(&j->ig->d, &pol, &in, &c, rep->decision,
	    sizeof(rep->decision), e) != LG_OK)
		return store_fail(e);
	if ((lead = intake_open_lead(&j->ig->d, &pol, &in, c->id)) != 0) {
		snprintf(rep->decision + strlen(rep->decision),
		    sizeof(rep->decision) - strlen(rep->decision),
		    "; open lead %lld on the same object", (long long)lead);
		rc = intake_lead_note(&j->ig->d, lead, &in, rep->decision, e);
	} else if ((rc = lead_create(j, &in, c, rep->decision, &l, e)) ==
	    LG_OK)
		lead = l->id;
	if (rc != LG_OK) {
		rc = rc == LG_EPERM ? quarantine(j, j->where, e->msg, e) :
		    store_fail(e);
		goto out;
	}
	rep->outcome = l ? INGEST_NEW_LEAD : INGEST_EXISTING_LEAD;
	rep->contact_id = c->id;
	rep->lead_id = lead;
	if ((rc = profile_from_inquiry(j, c->id, e)) != LG_OK)
		goto out;
	if (l != NULL && (rc = reply(j, c, l, e)) != LG_OK)
		goto out;
	if (l != NULL && (rc = agent_new(j, l->id, e)) != LG_OK)
		goto out;
	if ((rc = record_inquiry_id(j, rep->key, c->id, lead, 0,
	    rep->decision, &iid, e)) != LG_OK ||
	    (rc = keep_mail(j, iid, c->id, lead, e)) != LG_OK)
		goto out;
	if (pkey[0] && strcmp(pkey, rep->key) != 0)
		rc = record_inquiry(j, pkey, c->id, lead, 0, rep->decision, e);
out:
	lead_free(l);
	contact_free(c);
	return rc;
}

/*
 * Why an inquiry without an address or phone is held, with the
 * addresses the extractor refused as the prospect's: it is never
 * answered, whoever sent it.
 */
static const char *
nobody(const struct job *j, char *why, size_t len)
{
	if (j->q->set_aside == NULL)
		return "the inquiry has neither an e-mail address nor a phone "
		    "number";
	snprintf(why, len, "the inquiry has neither an e-mail address nor a "
	    "phone number of the prospect; not the prospect's: %s",
	    j->q->set_aside);
	return why;
}

static int
make_lead(struct job *j, struct err *e)
{
	struct ingest_report *rep = &j->ig->last;
	char why[512], pkey[320];
	struct inquiry_row *seen;
	int rc;

	job_identity(j);
	if (!j->email[0] && j->nphones == 0)
		return quarantine(j, j->where, nobody(j, why, sizeof(why)), e);
	portal_key(j, pkey, sizeof(pkey));
	if (pkey[0] && strcmp(pkey, rep->key) != 0 &&
	    store_inquiry_find(j->ig->d.st, pkey, &seen, NULL) == LG_OK) {
		rep->outcome = INGEST_DUPLICATE;
		snprintf(rep->decision, sizeof(rep->decision), "already "
		    "received as %s", pkey);
		rc = record_inquiry(j, rep->key, seen->contact_id,
		    seen->lead_id, 0, rep->decision, e);
		store_inquiry_rows_free(seen, 1);
		return rc;
	}
	if ((rc = loop_broken(j, why, sizeof(why), e)) != 0)
		return rc < 0 ? rc : quarantine(j, "loop breaker", why, e);
	return contact_and_lead(j, pkey, e);
}

/*
 * Threading: a mail that answers one of our messages (core/thread.h) is
 * the prospect's answer, matched here before any rule or extraction and
 * taken by answer() once the rule (which sees is_reply) has not ignored
 * or held it: the lead's history gets it, no lead is made, no autoreply
 * goes out. Recorded under the mail's key like any inquiry, in the same
 * transaction, so that it is applied once.
 */
static int
thread_find(struct job *j, struct err *e)
{
	struct thread_mail *t = &j->tmail;

	if (j->mail->from_addr == NULL || norm_email(j->mail->from_addr,
	    j->sender, sizeof(j->sender), NULL) != LG_OK)
		j->sender[0] = '\0';
	t->from = j->sender[0] ? j->sender : NULL;
	t->subject = j->mail->subject;
	t->in_reply_to = mail_header(j->mail, "In-Reply-To");
	t->references = mail_header(j->mail, "References");
	if (thread_match(&j->ig->d, t, &j->thread, e) != LG_OK)
		return store_fail(e);
	return LG_OK;
}

static int
answer(struct job *j, struct err *e)
{
	struct ingest_report *rep = &j->ig->last;
	const struct thread_match *t = &j->thread;
	int64_t iid = 0;
	int rc;

	rc = thread_apply(&j->ig->d, t, &j->tmail, j->meta->connector,
	    j->mail->text, rep->decision, sizeof(rep->decision), e);
	if (rc == LG_EPERM)
		return quarantine(j, j->where, e->msg, e);
	if (rc != LG_OK)
		return store_fail(e);
	rep->outcome = INGEST_EXISTING_LEAD;
	rep->reply = 1;
	rep->contact_id = t->contact_id;
	rep->lead_id = t->lead_id;
	if ((rc = record_inquiry_id(j, rep->key, t->contact_id, t->lead_id, 0,
	    rep->decision, &iid, e)) != LG_OK ||
	    (rc = keep_mail(j, iid, t->contact_id, t->lead_id, e)) != LG_OK)
		return rc;
	return t->lead_id ? agent_reply(j, t->lead_id, iid, e) : LG_OK;
}

/* The rule decides; extraction for the chosen rule; then the action. */
static int
apply_rules(struct job *j, struct err *e)
{
	struct ingest_report *rep = &j->ig->last;
	struct cond_input in;
	struct extraction *x;
	char *loc = j->where;

	memset(&in, 0, sizeof(in));
	in.mail = j->mail;
	in.connector = j->meta->connector;
	in.envelope_from = j->meta->envelope_from;
	in.reply = thread_by_name(j->thread.by);
	in.extracted = job_extracted;
	in.arg = j;
	j->rule = rules_match(j->ig->rules, &in);
	rep->rule = j->rule;
	snprintf(loc, sizeof(j->where), "rule %s (%s:%d)", j->rule->name,
	    j->rule->file ? j->rule->file : "built-in", j->rule->line);
	if (j->rule->action == RULE_IGNORE) {
		rep->outcome = INGEST_IGNORED;
		snprintf(rep->decision, sizeof(rep->decision), "ignored by %s",
		    loc);
		return record_inquiry(j, rep->key, 0, 0, 0, rep->decision, e);
	}
	if (j->rule->action == RULE_QUARANTINE)
		return quarantine(j, loc, j->rule->reason ? j->rule->reason :
		    "held by a rule", e);
	if (j->thread.by != THREAD_NONE)
		return answer(j, e);
	if (j->given) {
		j->q = j->given;
	} else {
		x = extraction_for(j, j->rule->extractor);
		if (x == NULL || x->q == NULL)
			return quarantine(j, loc, x ? x->problem :
			    "too many extractors tried", e);
		j->q = x->q;
	}
	return make_lead(j, e);
}

/*
 * A mail to mail.unsubscribe_mailto is a request, not an inquiry: having
 * done what it asks, it goes the way of a rule's "ignore" (recorded, no
 * lead, no reply).
 */
static int
unsubscribe(struct job *j, struct err *e)
{
	struct ingest_report *rep = &j->ig->last;
	struct unsub_result r = { NULL, 0 };
	int rc;

	snprintf(j->where, sizeof(j->where), "unsubscribe request");
	rc = unsub_mail_handle(&j->ig->d, j->mail, j->ig->cfg, &r,
	    rep->decision, sizeof(rep->decision), e);
	if (rc == LG_OK) {
		rep->outcome = INGEST_IGNORED;
		rep->unsubscribe = 1;
		rep->contact_id = r.n ? r.v[0].contact_id : 0;
		rc = record_inquiry(j, rep->key, rep->contact_id, 0, 0,
		    rep->decision, e);
	}
	unsub_result_clear(&r);
	return rc == LG_OK ? LG_OK : store_fail(e);
}

/*
 * A bounce or complaint about mail we sent is never an inquiry: it is
 * applied to the message it names, in this transaction, and recorded
 * like an ignored mail (so it is applied once), or held in quarantine
 * when it names no message of ours. Never a lead, never answered.
 */
static int
bounce(struct job *j, struct err *e)
{
	struct ingest_report *rep = &j->ig->last;
	struct bounce_result r;

	snprintf(j->where, sizeof(j->where), "bounce report");
	if (bounce_handle(&j->ig->d, j->ig->cfg, j->mail, j->raw, j->len,
	    rep->key, &r, e) != LG_OK)
		return store_fail(e);
	if (r.quarantine)
		return quarantine(j, j->where, r.reason, e);
	rep->outcome = INGEST_IGNORED;
	rep->report = 1;
	rep->contact_id = r.contact_id;
	snprintf(rep->decision, sizeof(rep->decision), "%s", r.note);
	return record_inquiry(j, rep->key, r.contact_id, 0, 0, rep->decision,
	    e);
}

static int
job_begin(struct job *j, struct err *e)
{
	struct ingest_report *rep = &j->ig->last;
	struct inquiry_row *seen;
	int rc;

	group_start(j->ig);
	if (store_begin(j->ig->d.st, e) != LG_OK)
		return store_fail(e);
	rc = store_inquiry_find(j->ig->d.st, rep->key, &seen, e);
	if (rc == LG_ENOENT)
		return LG_OK;
	if (rc != LG_OK)
		return store_fail(e);
	if (j->retry_of && seen->quarantine_id == j->retry_of) {
		rc = store_inquiry_delete(j->ig->d.st, seen->id, e);
		store_inquiry_rows_free(seen, 1);
		return rc == LG_OK ? LG_OK : store_fail(e);
	}
	rep->outcome = INGEST_DUPLICATE;
	rep->contact_id = seen->contact_id;
	rep->lead_id = seen->lead_id;
	rep->quarantine_id = seen->quarantine_id;
	snprintf(rep->decision, sizeof(rep->decision), "already received "
	    "(%s)", seen->decision ? seen->decision : "no decision recorded");
	store_inquiry_rows_free(seen, 1);
	return 1;	/* nothing more to do */
}

static int
job_end(struct job *j, int rc, struct err *e)
{
	struct ingest *ig = j->ig;
	struct ingest_report *rep = &ig->last;
	char at[300] = "", by[300] = "";
	const char *conn;

	if (rc != LG_OK || ig->dry_run) {
		store_rollback(ig->d.st);
		return rc;
	}
	if (store_commit(ig->d.st, e) != LG_OK)
		return store_fail(e);
	switch (rep->outcome) {
	case INGEST_NEW_LEAD:
		ig->stats.new_leads++;
		break;
	case INGEST_EXISTING_LEAD:
		ig->stats.existing_leads++;
		break;
	case INGEST_DUPLICATE:
		ig->stats.duplicates++;
		break;
	case INGEST_IGNORED:
		ig->stats.ignored++;
		break;
	case INGEST_QUARANTINED:
		ig->stats.quarantined++;
		break;
	}
	conn = j->meta->connector ? j->meta->connector : "-";
	/* Which message: the key (its Message-ID) and, by IMAP, its UID. */
	if (j->meta->uid != 0)
		snprintf(at, sizeof(at), " (%s uid %u)", j->meta->folder ?
		    j->meta->folder : "?", (unsigned)j->meta->uid);
	if (rep->rule != NULL)
		snprintf(by, sizeof(by), ", rule %s", rep->rule->name);
	if (rep->unsubscribe || rep->report || rep->reply)
		held_log(ig, LOG_LV_INFO, "[%s] %s%s: %s", conn, rep->key, at,
		    rep->decision);
	else if (rep->outcome == INGEST_QUARANTINED && !j->retry_of)
		held_log(ig, LOG_LV_WARN, "[%s] %s%s quarantined as %lld by "
		    "%s: %s", conn, rep->key, at, (long long)rep->quarantine_id,
		    j->where, rep->reason);
	else
		held_log(ig, LOG_LV_INFO, "[%s] %s%s: %s (contact %lld, lead "
		    "%lld%s)", conn, rep->key, at,
		    ingest_outcome_name(rep->outcome),
		    (long long)rep->contact_id, (long long)rep->lead_id, by);
	return LG_OK;
}

static void
report_keep(struct job *j)
{
	size_t i;

	/* Hand the rule's extraction to the report (rules test prints it). */
	for (i = 0; i < j->nex; i++)
		if (j->q && j->ex[i].q == j->q) {
			j->ig->last.inquiry = j->ex[i].q;
			j->ex[i].q = NULL;
		}
}

static int
mail_steps(struct job *j, struct err *e)
{
	char why[600];
	struct err pe;
	int rc;

	if (j->meta->truncated)
		return quarantine(j, "connector", "the message is larger than "
		    "ingest.max_message_size; only its beginning was fetched", e);
	err_clear(&pe);
	if (mail_parse(j->raw, j->len, &j->ig->lim, &j->mail, &pe) != LG_OK) {
		snprintf(why, sizeof(why), "cannot parse the message: %s",
		    pe.msg);
		return quarantine(j, "parse", why, e);
	}
	if (bounce_detect(j->mail))
		return bounce(j, e);
	if (unsub_mail_addressed(j->mail, j->ig->cfg))
		return unsubscribe(j, e);
	if ((rc = thread_find(j, e)) != LG_OK)
		return rc;
	rc = apply_rules(j, e);
	report_keep(j);
	return rc;
}

/* A retried inquiry that ends in quarantine again changes nothing. */
static int
retry_outcome(struct job *j, struct err *e)
{
	struct ingest_report *rep = &j->ig->last;

	if (rep->outcome == INGEST_QUARANTINED)
		return err_set(e, LG_EPERM, "still not accepted: %s",
		    rep->reason);
	if (store_quarantine_set_state(j->ig->d.st, j->retry_of, "retried",
	    e) != LG_OK)
		return store_fail(e);
	return LG_OK;
}

static int
run_mail(struct job *j, struct err *e)
{
	int rc = job_begin(j, e);

	if (rc == LG_OK)
		rc = mail_steps(j, e);
	else if (rc > 0)
		rc = LG_OK;	/* a duplicate: nothing to do */
	if (rc == LG_OK && j->retry_of)
		rc = retry_outcome(j, e);
	return job_end(j, rc, e);
}

int
ingest_mail(void *arg, const char *raw, size_t len,
    const struct source_meta *meta, struct err *e)
{
	struct ingest *ig = arg;
	struct job j;
	int rc;

	memset(&j, 0, sizeof(j));
	j.ig = ig;
	j.meta = meta;
	j.raw = raw;
	j.len = len;
	j.kind = "mail";
	report_clear(&ig->last);
	mail_key(raw, len, ig->last.key, sizeof(ig->last.key));
	rc = run_mail(&j, e);
	job_clear(&j);
	return rc;
}

int
ingest_inquiry(void *arg, struct inquiry *q, const char *raw, size_t len,
    const struct source_meta *meta, struct err *e)
{
	struct ingest *ig = arg;
	char hex[65];
	struct job j;
	int rc;

	memset(&j, 0, sizeof(j));
	j.ig = ig;
	j.meta = meta;
	j.raw = raw;
	j.len = len;
	j.kind = "json";
	j.given = q;
	report_clear(&ig->last);
	if (meta->portal && meta->item_id && *meta->item_id) {
		snprintf(ig->last.key, sizeof(ig->last.key), "portal:%s:%s",
		    meta->portal, meta->item_id);
	} else {
		archive_hash(raw, len, hex);
		snprintf(ig->last.key, sizeof(ig->last.key), "sha256:%s", hex);
	}
	if ((rc = job_begin(&j, e)) != LG_OK) {
		rc = job_end(&j, rc > 0 ? LG_OK : rc, e);
	} else if (q == NULL || meta->problem) {
		rc = job_end(&j, quarantine(&j, "connector", meta->problem ?
		    meta->problem : "unreadable item", e), e);
	} else {
		rc = job_end(&j, apply_rules(&j, e), e);
	}
	job_clear(&j);
	return rc;
}

int
ingest_retry(struct ingest *ig, int64_t id, struct err *e)
{
	struct quarantine_row *q;
	struct source_meta meta;
	struct job j;
	int rc;

	if ((rc = store_quarantine_get(ig->d.st, id, &q, e)) != LG_OK)
		return rc;
	if (strcmp(q->state, "held") != 0 || strcmp(q->kind, "mail") != 0) {
		rc = err_set(e, LG_EPERM, "quarantine %lld is %s %s: only held "
		    "mail can be retried here", (long long)id, q->state, q->kind);
		store_quarantine_rows_free(q, 1);
		return rc;
	}
	memset(&meta, 0, sizeof(meta));
	meta.connector = q->connector;
	memset(&j, 0, sizeof(j));
	j.ig = ig;
	j.meta = &meta;
	j.raw = (const char *)q->raw;
	j.len = q->rawlen;
	j.kind = "mail";
	j.retry_of = id;
	report_clear(&ig->last);
	snprintf(ig->last.key, sizeof(ig->last.key), "%s", q->inquiry_key ?
	    q->inquiry_key : "");
	if (ig->last.key[0] == '\0')
		mail_key(j.raw, j.len, ig->last.key, sizeof(ig->last.key));
	rc = run_mail(&j, e);
	job_clear(&j);
	store_quarantine_rows_free(q, 1);
	return rc;
}
