/*
 * thread_match() and thread_apply() on a real store: replies matched by
 * In-Reply-To, by References (the newest first), by a reply subject from
 * a contact with an open lead, and those that match nothing; an answer
 * from a new address; a pipeline with a phase for the answer and one
 * without; bulk mail without a lead. thread_subject_base() on its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "core/thread.h"
#include "util/xmalloc.h"
#include "t.h"

static const char pipelines_conf[] =
    "pipelines = (\n"
    "  { name = \"sale\"; initial = 1; phases = (\n"
    "    { no = 1; name = \"Neu\"; action = \"Demande reçue\"; },\n"
    "    { no = 2; name = \"Geantwortet\"; "
    "action = \"reply from the prospect\"; },\n"
    "    { no = 3; name = \"Weg\"; action = \"Refus\"; status = \"lost\"; },\n"
    "    { no = 4; name = \"Ja\"; action = \"Bail\"; status = \"won\"; }"
    " ); },\n"
    "  { name = \"plain\"; initial = 1; phases = (\n"
    "    { no = 1; name = \"Neu\"; action = \"Demande reçue\"; },\n"
    "    { no = 2; name = \"Weg\"; action = \"Refus\"; status = \"lost\"; },\n"
    "    { no = 3; name = \"Ja\"; action = \"Bail\"; status = \"won\"; }"
    " ); }\n"
    ");\n";

static const struct {
	const char *in, *base;
	int n;
} subjects[] = {
	{ "Re: x", "x", 1 },
	{ "AW: Re: x", "x", 2 },
	{ "RE:x", "x", 1 },
	{ "Re[2]: x", "x", 1 },
	{ "  Antw: x y", "x y", 1 },
	{ "SV: VS: Odp: R: x", "x", 4 },
	{ "Rex: y", "Rex: y", 0 },
	{ "Re x", "Re x", 0 },
	{ "Re[2 x", "Re[2 x", 0 },
	{ "", "", 0 },
	{ NULL, "", 0 },
};

/* Messages 1..4 (see setup()). */
#define AR1 "ar.1.aaaa@muster-immo.example"
#define AR2 "ar.2.bbbb@muster-immo.example"
#define BULK3 "bulk.1.3.cccc@muster-immo.example"
#define BULK2 "bulk.1.2.dddd@muster-immo.example"

static const struct {
	const char *label;
	struct thread_mail m;
	enum thread_by by;
	int64_t outgoing, lead;
	int new_address;
} cases[] = {
	{ "In-Reply-To our autoreply", { "anna@example.com", "Re: Ihre "
	    "Anfrage", "<" AR1 ">", NULL }, THREAD_HEADER, 1, 1, 0 },
	{ "only References names ours", { "bob@example.com", "Hallo",
	    "<x@elsewhere.example>", "<y@elsewhere.example> <" AR2 ">" },
	    THREAD_HEADER, 2, 2, 0 },
	{ "References: the newest first", { "bob@example.com", NULL, NULL,
	    "<" AR1 ">\r\n <" AR2 ">" }, THREAD_HEADER, 2, 2, 0 },
	{ "a new address quoting ours", { "zoe@example.net", "Re: x",
	    "<" AR1 ">", NULL }, THREAD_HEADER, 1, 1, 1 },
	{ "bulk mail, its contact without a lead", { "carl@example.com",
	    NULL, "<" BULK3 ">", NULL }, THREAD_HEADER, 3, 0, 0 },
	{ "bulk mail: the contact's open lead", { "bob@example.com", NULL,
	    "<" BULK2 ">", NULL }, THREAD_HEADER, 4, 2, 0 },
	{ "a reply subject from the contact", { "anna@example.com",
	    "Re: Ihre Anfrage: Wohnung Bern", NULL, NULL }, THREAD_SUBJECT,
	    1, 1, 0 },
	{ "prefixes, case and spaces", { "anna@example.com",
	    "AW: RE:  ihre anfrage:  wohnung bern ", NULL, NULL },
	    THREAD_SUBJECT, 1, 1, 0 },
	{ "a reply subject to a bulk mail", { "bob@example.com", "Re: News",
	    "<unknown@elsewhere.example>", NULL }, THREAD_SUBJECT, 4, 2, 0 },
	{ "the subject from someone unknown", { "zoe@example.net",
	    "Re: Ihre Anfrage: Wohnung Bern", NULL, NULL }, THREAD_NONE, 0,
	    0, 0 },
	{ "our subject, not a reply", { "anna@example.com",
	    "Ihre Anfrage: Wohnung Bern", NULL, NULL }, THREAD_NONE, 0, 0, 0 },
	{ "a reply to another subject", { "anna@example.com",
	    "Re: Wohnung Basel", NULL, NULL }, THREAD_NONE, 0, 0, 0 },
	{ "a reply subject, the contact without an open lead", {
	    "carl@example.com", "Re: News", NULL, NULL }, THREAD_NONE, 0, 0,
	    0 },
	{ "In-Reply-To someone else's", { "anna@example.com", "Hallo",
	    "<nothing@elsewhere.example>", NULL }, THREAD_NONE, 0, 0, 0 },
	{ "nothing at all", { NULL, NULL, NULL, NULL }, THREAD_NONE, 0, 0, 0 },
	{ "another contact quoting ours: not a new address", {
	    "carl@example.com", NULL, "<" AR1 ">", NULL }, THREAD_HEADER, 1, 1,
	    0 },
};

static struct domain d;

static void
setup(void)
{
	static const char *const emails[] = { "anna@example.com",
	    "bob@example.com", "carl@example.com" };
	static const char *const pipeline[] = { "sale", "plain", NULL };
	static const struct {
		const char *mid, *subject;
		int64_t contact, lead;
	} out[] = {
		{ AR1, "Ihre Anfrage: Wohnung Bern", 1, 1 },
		{ AR2, "Your inquiry", 2, 2 },
		{ BULK3, "News", 3, 0 },
		{ BULK2, "News", 2, 0 },
	};
	struct contact *c;
	struct outgoing *o;
	struct lead *l;
	char key[32];
	size_t i;

	store_begin(d.st, NULL);
	store_source_add(d.st, "web", NULL);
	for (i = 0; i < 3; i++) {
		c = contact_new();
		c->first_name = xstrdup("T");
		c->last_name = xstrdup("Test");
		contact_add_email(c, emails[i], NULL);
		T_INT(domain_contact_add(&d, c, NULL), LG_OK, "contact %zu", i);
		if (pipeline[i] != NULL) {
			l = lead_new();
			l->contact_id = c->id;
			l->source = xstrdup("web");
			l->pipeline = xstrdup(pipeline[i]);
			T_INT(domain_lead_add(&d, l, NULL, NULL), LG_OK,
			    "lead of contact %zu", i);
			lead_free(l);
		}
		contact_free(c);
	}
	for (i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		o = outgoing_new();
		snprintf(key, sizeof(key), "k%zu", i + 1);
		o->dedup_key = xstrdup(key);
		o->message_id = xstrdup(out[i].mid);
		o->subject = xstrdup(out[i].subject);
		o->contact_id = out[i].contact;
		o->lead_id = out[i].lead;
		o->template = xstrdup("t");
		o->rcpt = xstrdup(emails[out[i].contact - 1]);
		o->sender = xstrdup("");
		T_INT(store_outgoing_insert(d.st, o, NULL), LG_OK,
		    "message %zu", i + 1);
		outgoing_free(o);
	}
	store_commit(d.st, NULL);
}

/* The last history entry of a lead (contact: lead 0), and how many. */
static size_t
last_entry(int64_t lead, int64_t contact, struct history *h)
{
	struct history *v = NULL;
	size_t n = 0;

	memset(h, 0, sizeof(*h));
	if (store_history_list(d.st, lead, contact, &v, &n, NULL) != LG_OK ||
	    n == 0)
		return 0;
	*h = v[n - 1];
	memset(&v[n - 1], 0, sizeof(v[n - 1]));
	store_history_free(v, n);
	return n;
}

static void
apply(size_t i, const char *decision, const char *action, int phase)
{
	struct thread_match t;
	struct history h;
	struct lead *l;
	char got[320];

	store_begin(d.st, NULL);
	T_INT(thread_match(&d, &cases[i].m, &t, NULL), LG_OK, "%s: matched",
	    cases[i].label);
	T_INT(thread_apply(&d, &t, &cases[i].m, "imap", "Gerne, wann?",
	    got, sizeof(got), NULL), LG_OK, "%s: applied", cases[i].label);
	store_commit(d.st, NULL);
	T_STR(got, decision, "%s: decision", cases[i].label);
	T_OK(last_entry(t.lead_id, t.lead_id ? 0 : t.contact_id, &h) > 0,
	    "%s: a history entry", cases[i].label);
	T_STR(h.action, action, "... its action");
	T_OK(h.remark && strstr(h.remark, "Gerne, wann?") &&
	    strstr(h.remark, decision), "... the text and decision: %s",
	    h.remark ? h.remark : "(none)");
	history_clear(&h);
	if (t.lead_id && store_lead_get(d.st, t.lead_id, &l, NULL) == LG_OK) {
		T_INT(l->phase_no, phase, "... lead %lld in phase %d",
		    (long long)t.lead_id, phase);
		lead_free(l);
	}
}

int
main(void)
{
	struct pipelines *pl;
	struct thread_match t;
	struct contact *c;
	const char *tmp, *b;
	char path[4200];
	struct err e;
	FILE *f;
	size_t i;
	int n;

	for (i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
		b = thread_subject_base(subjects[i].in, &n);
		T_STR(b, subjects[i].base, "base of '%s'", subjects[i].in ?
		    subjects[i].in : "(null)");
		T_INT(n, subjects[i].n, "... %d prefixes", subjects[i].n);
	}

	err_clear(&e);
	tmp = t_tmpdir("thread");
	snprintf(path, sizeof(path), "%s/pipelines.conf", tmp);
	if ((f = fopen(path, "w")) == NULL)
		return 2;
	fputs(pipelines_conf, f);
	fclose(f);
	if (pipelines_load(path, &pl, &e) != LG_OK ||
	    (snprintf(path, sizeof(path), "%s/t.db", tmp),
	    store_open(path, NULL, &d.st, &e)) != LG_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	d.pl = pl;
	d.country = "CH";
	setup();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		T_INT(thread_match(&d, &cases[i].m, &t, &e), LG_OK, "%s: ok",
		    cases[i].label);
		T_INT(t.by, cases[i].by, "%s: by %s", cases[i].label,
		    thread_by_name(cases[i].by) ? thread_by_name(cases[i].by) :
		    "nothing");
		T_INT(t.outgoing_id, cases[i].outgoing, "... message %lld",
		    (long long)cases[i].outgoing);
		T_INT(t.lead_id, cases[i].lead, "... lead %lld",
		    (long long)cases[i].lead);
		T_INT(t.new_address, cases[i].new_address, "... new address %d",
		    cases[i].new_address);
	}

	/* The sale pipeline has a phase for the answer, plain has none. */
	apply(3, "reply to message 1, lead 1 (by header), new address",
	    "reply from the prospect", 2);
	T_INT(store_contact_get(d.st, 1, &c, NULL), LG_OK, "Anna's contact");
	T_INT(c->nemails, 2, "... has the new address");
	T_STR(c->nemails == 2 ? c->emails[1].norm : NULL, "zoe@example.net",
	    "... zoe@example.net");
	contact_free(c);
	t.by = THREAD_NONE;
	T_INT(thread_match(&d, &cases[3].m, &t, NULL), LG_OK, "again");
	T_INT(t.new_address, 0, "... the address is no longer new");
	apply(1, "reply to message 2, lead 2 (by header)",
	    "reply from the prospect", 1);
	apply(4, "reply to message 3, contact 3 (by header)",
	    "reply from the prospect", 0);

	store_close(d.st);
	pipelines_free(pl);
	return t_done();
}
