/* The dashboard's views (see dash_pages.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/cmd.h"
#include "gateway/cmdutil.h"
#include "gateway/dash.h"
#include "gateway/dash_pages.h"
#include "gateway/funnel.h"
#include "gateway/html.h"
#include "gateway/http_api.h"
#include "gateway/mailview.h"
#include "core/agents.h"
#include "core/config.h"
#include "core/domain.h"
#include "core/contact.h"
#include "core/filter.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "core/view.h"
#include "ingest/ingest.h"
#include "outbound/followup.h"
#include "parse/mail_types.h"
#include "util/clock.h"
#include "util/idlist.h"
#include "util/xmalloc.h"

#define LEADS_PAGE 50

/* A positive decimal id, else 0. */
static int64_t
id_of(const char *s)
{
	char *end;
	long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	return *end != '\0' || errno != 0 || v <= 0 ? 0 : v;
}

/* A page saying text (escaped) in class cls, with status. */
static void
say(struct http_req *r, struct http_resp *out, int status, const char *cls,
    const char *text)
{
	struct dash_page p;

	if (dash_begin(&p, r, NULL, out) != 0)
		return;
	dash_note(&p, cls, text);
	dash_end(&p, out, status);
}

static void
not_found(struct http_req *r, struct http_resp *out)
{
	struct dash_page p;

	if (dash_begin(&p, r, NULL, out) != 0)
		return;
	dash_note(&p, "err", p.ph[DP_NOT_FOUND]);
	dash_end(&p, out, 404);
}

/* The failure of a store or domain call, as a page. */
static void
failed(struct http_req *r, struct http_resp *out, const struct err *e)
{
	int status = e->code == LG_ENOENT ? 404 : e->code == LG_EPERM ? 422 :
	    e->code == LG_EEXIST ? 409 : e->code == LG_ETEMP ? 503 : 500;

	say(r, out, status, "err", status == 500 ? "internal error" : e->msg);
}

/* Percent-encode s for a query string (then HTML-escape it). */
static void
url_arg(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf u = BUF_INIT;
	char c[3];

	for (; s && *s; s++) {
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789-._~", *s) != NULL) {
			buf_add(&u, s, 1);
			continue;
		}
		c[0] = '%';
		c[1] = hex[(unsigned char)*s >> 4];
		c[2] = hex[(unsigned char)*s & 15];
		buf_add(&u, c, 3);
	}
	html_esc(b, buf_str(&u));
	buf_free(&u);
}

/* <option value=v [selected]>label</option> */
static void
option(struct buf *b, const char *v, const char *label, int sel)
{
	buf_adds(b, "<option value=\"");
	html_esc(b, v);
	buf_adds(b, sel ? "\" selected>" : "\">");
	html_esc(b, label);
	buf_adds(b, "</option>");
}

static void
label_input(struct buf *b, const char *label, const char *name,
    const char *type, const char *value)
{
	buf_adds(b, "<label>");
	html_esc(b, label);
	buf_adds(b, " <input name=\"");
	html_esc(b, name);
	buf_adds(b, "\" id=\"");
	html_esc(b, name);
	buf_adds(b, "\" type=\"");
	html_esc(b, type);
	buf_adds(b, "\" value=\"");
	html_esc(b, value ? value : "");
	buf_adds(b, "\"></label> ");
}

static void
post_button(struct dash_page *p, const char *action, const char *id,
    const char *label)
{
	buf_adds(&p->b, "<form class=\"inline\" method=\"post\" action=\"");
	html_esc(&p->b, action);
	buf_adds(&p->b, "\">");
	dash_csrf_field(p);
	buf_adds(&p->b, "<button type=\"submit\" id=\"");
	html_esc(&p->b, id);
	buf_adds(&p->b, "\">");
	html_esc(&p->b, label);
	buf_adds(&p->b, "</button></form> ");
}

/* "YYYY-MM-DD" into an ISO time for the window; 0 when empty. */
static int
window_date(const char *s, char *iso, size_t len)
{
	time_t t;

	if (s == NULL || *s == '\0')
		return 0;
	if (strlen(s) != 10 || clock_parse_iso(s, &t) != 0)
		return -1;
	clock_iso(t, iso, len);
	return 1;
}

static void
funnel_form(struct dash_page *p, const struct pipelines *pls,
    const struct pipeline *pl, const struct source_row *src, size_t nsrc,
    const char *source, const char *since, const char *until)
{
	struct buf *b = &p->b;
	size_t i;

	buf_adds(b, "<form method=\"get\" action=\"/dash\"><label>");
	html_esc(b, p->ph[DP_PIPELINE]);
	buf_adds(b, " <select name=\"pipeline\">");
	for (i = 0; i < pls->n; i++)
		option(b, pls->v[i].name, pls->v[i].name, &pls->v[i] == pl);
	buf_adds(b, "</select></label> <label>");
	html_esc(b, p->ph[DP_SOURCE]);
	buf_adds(b, " <select name=\"source\">");
	option(b, "", p->ph[DP_ALL], source == NULL);
	for (i = 0; i < nsrc; i++)
		option(b, src[i].name, src[i].name, source &&
		    strcmp(source, src[i].name) == 0);
	buf_adds(b, "</select></label> ");
	label_input(b, p->ph[DP_SINCE], "since", "date", since);
	label_input(b, p->ph[DP_UNTIL], "until", "date", until);
	buf_adds(b, "<button type=\"submit\">");
	html_esc(b, p->ph[DP_SHOW]);
	buf_adds(b, "</button></form>\n");
}

void
dash_pages_funnel(struct http_req *r, struct http_resp *out)
{
	const struct pipelines *pls = r->env->d.pl;
	const struct pipeline *pl = NULL;
	const char *pn = http_query(r, "pipeline"), *since = http_query(r,
	    "since"), *until = http_query(r, "until");
	const char *source = http_query(r, "source");
	char s_iso[CLOCK_ISOLEN], u_iso[CLOCK_ISOLEN];
	struct source_row *src = NULL;
	struct report_window w;
	struct funnel_words fw;
	struct dash_page p;
	struct funnel f;
	size_t nsrc = 0;
	struct err e;
	int bad = 0;

	if (source && *source == '\0')
		source = NULL;
	if (pn && *pn)
		pl = pipelines_find(pls, pn);
	else if (pls->n > 0)
		pl = &pls->v[0];
	memset(&w, 0, sizeof(w));
	w.source = source;
	switch (window_date(since, s_iso, sizeof(s_iso))) {
	case 1: w.since = s_iso; break;
	case -1: bad = 1; break;
	}
	switch (window_date(until, u_iso, sizeof(u_iso))) {
	case 1: w.until = u_iso; break;
	case -1: bad = 1; break;
	}
	err_clear(&e);
	if (store_source_list(r->env->d.st, &src, &nsrc, &e) != LG_OK) {
		failed(r, out, &e);
		return;
	}
	if (dash_begin(&p, r, NULL, out) != 0) {
		store_source_rows_free(src, nsrc);
		return;
	}
	buf_adds(&p.b, "<h1>");
	html_esc(&p.b, p.ph[DP_FUNNEL]);
	if (pl) {
		buf_adds(&p.b, ": ");
		html_esc(&p.b, pl->name);
	}
	buf_adds(&p.b, "</h1>\n");
	funnel_form(&p, pls, pl, src, nsrc, source, since, until);
	store_source_rows_free(src, nsrc);
	if (bad)
		dash_note(&p, "err", "YYYY-MM-DD");
	if (pl == NULL) {
		dash_note(&p, "msg", p.ph[DP_NONE]);
		dash_end(&p, out, 200);
		return;
	}
	if (funnel_build(r->env->d.st, pl, &w, &f, &e) != LG_OK) {
		dash_discard(&p);
		failed(r, out, &e);
		return;
	}
	fw.open = p.ph[DP_OPEN];
	fw.won = p.ph[DP_WON];
	fw.lost = p.ph[DP_LOST];
	fw.total = p.ph[DP_TOTAL];
	fw.source = p.ph[DP_SOURCE];
	fw.phase = p.ph[DP_PHASE];
	buf_adds(&p.b, "<div id=\"funnel\">");
	funnel_svg(&p.b, &f, &fw);
	buf_adds(&p.b, "</div>\n");
	funnel_tables(&p.b, &f, &fw);
	funnel_free(&f);
	dash_end(&p, out, 200);
}

static void
lead_row(struct dash_page *p, const struct lead *l, const struct contact *c,
    const struct pipelines *pls)
{
	const struct pipeline *pl = pipelines_find(pls, l->pipeline);
	const struct phase *ph = pl ? pipeline_phase(pl, l->phase_no) : NULL;
	char name[256];

	buf_adds(&p->b, "<tr><td><a href=\"/dash/leads/");
	html_long(&p->b, l->id);
	buf_adds(&p->b, "\">");
	html_long(&p->b, l->id);
	buf_adds(&p->b, "</a></td><td>");
	html_esc(&p->b, c ? contact_display_name(c, name, sizeof(name)) : "");
	buf_adds(&p->b, "</td><td>");
	html_esc(&p->b, ph ? ph->name : "?");
	buf_adds(&p->b, "</td><td>");
	html_esc(&p->b, lead_status_name(l->status));
	buf_adds(&p->b, "</td><td>");
	html_esc(&p->b, l->source);
	buf_adds(&p->b, "</td><td>");
	html_esc(&p->b, l->created_at);
	buf_adds(&p->b, "</td></tr>\n");
}

static int
leads_table(struct dash_page *p, struct http_req *r, const struct idlist *ids,
    size_t limit, struct err *e)
{
	struct store *st = r->env->d.st;
	struct contact *c;
	struct lead *l;
	size_t i;

	buf_adds(&p->b, "<div class=\"scroll\"><table id=\"leads\"><tr>"
	    "<th>#</th><th>");
	html_esc(&p->b, p->ph[DP_LEAD]);
	buf_adds(&p->b, "</th><th>");
	html_esc(&p->b, p->ph[DP_PHASE]);
	buf_adds(&p->b, "</th><th></th><th>");
	html_esc(&p->b, p->ph[DP_SOURCE]);
	buf_adds(&p->b, "</th><th></th></tr>\n");
	for (i = 0; i < ids->n && i < limit; i++) {
		if (store_lead_get(st, ids->v[i], &l, e) != LG_OK)
			return e->code;
		c = NULL;
		(void)store_contact_get(st, l->contact_id, &c, NULL);
		lead_row(p, l, c, r->env->d.pl);
		contact_free(c);
		lead_free(l);
	}
	buf_adds(&p->b, "</table></div>\n");
	return LG_OK;
}

void
dash_pages_leads(struct http_req *r, struct http_resp *out)
{
	const char *ftext = http_query(r, "filter");
	int64_t after = id_of(http_query(r, "after"));
	struct idlist ids = IDLIST_INIT;
	struct filter *f = NULL;
	struct dash_page p;
	struct err e, fe;
	int rc;

	if (dash_begin(&p, r, NULL, out) != 0)
		return;
	buf_adds(&p.b, "<h1>");
	html_esc(&p.b, p.ph[DP_LEADS]);
	buf_adds(&p.b, "</h1>\n<form method=\"get\" action=\"/dash/leads\">");
	label_input(&p.b, p.ph[DP_FILTER], "filter", "text", ftext);
	buf_adds(&p.b, "<button type=\"submit\">");
	html_esc(&p.b, p.ph[DP_SHOW]);
	buf_adds(&p.b, "</button></form>\n");
	err_clear(&fe);
	if (ftext && *ftext && filter_parse(ftext, r->env->d.pl, &f,
	    &fe) != LG_OK) {
		dash_note(&p, "err", fe.msg);
		dash_end(&p, out, 400);
		return;
	}
	err_clear(&e);
	if ((rc = store_leads_page(r->env->d.st, f, after, LEADS_PAGE + 1,
	    &ids, &e)) == LG_OK)
		rc = leads_table(&p, r, &ids, LEADS_PAGE, &e);
	filter_free(f);
	if (rc != LG_OK) {
		idlist_free(&ids);
		dash_discard(&p);
		failed(r, out, &e);
		return;
	}
	if (ids.n == 0)
		dash_note(&p, "msg", p.ph[DP_NONE]);
	if (ids.n > LEADS_PAGE) {
		buf_adds(&p.b, "<p><a id=\"next\" href=\"/dash/leads?filter=");
		url_arg(&p.b, ftext ? ftext : "");
		buf_adds(&p.b, "&amp;after=");
		html_long(&p.b, ids.v[LEADS_PAGE - 1]);
		buf_adds(&p.b, "\">");
		html_esc(&p.b, p.ph[DP_NEXT]);
		buf_adds(&p.b, "</a></p>\n");
	}
	idlist_free(&ids);
	dash_end(&p, out, 200);
}

static void
move_form(struct dash_page *p, const struct lead *l,
    const struct pipeline *pl)
{
	char no[16];
	size_t i;

	buf_adds(&p->b, "<h2>");
	html_esc(&p->b, p->ph[DP_MOVE]);
	buf_adds(&p->b, "</h2><form method=\"post\" action=\"/dash/leads/");
	html_long(&p->b, l->id);
	buf_adds(&p->b, "/move\">");
	dash_csrf_field(p);
	buf_adds(&p->b, "<select name=\"phase\" id=\"phase\">");
	for (i = 0; pl && i < pl->nphases; i++) {
		char label[300];

		snprintf(no, sizeof(no), "%d", pl->phases[i].no);
		snprintf(label, sizeof(label), "%d %s (%s)", pl->phases[i].no,
		    pl->phases[i].name, pl->phases[i].action);
		option(&p->b, no, label, pl->phases[i].no == l->phase_no);
	}
	buf_adds(&p->b, "</select> ");
	label_input(&p->b, p->ph[DP_REMARK], "move_remark", "text", NULL);
	buf_adds(&p->b, "<button type=\"submit\" id=\"move\">");
	html_esc(&p->b, p->ph[DP_SAVE]);
	buf_adds(&p->b, "</button></form>\n<h2>");
	html_esc(&p->b, p->ph[DP_NOTE]);
	buf_adds(&p->b, "</h2><form method=\"post\" action=\"/dash/leads/");
	html_long(&p->b, l->id);
	buf_adds(&p->b, "/note\">");
	dash_csrf_field(p);
	buf_adds(&p->b, "<textarea name=\"remark\" id=\"remark\" rows=\"2\" "
	    "cols=\"40\" required></textarea><br><button type=\"submit\" "
	    "id=\"addnote\">");
	html_esc(&p->b, p->ph[DP_SAVE]);
	buf_adds(&p->b, "</button></form>\n");
}

/* A history action: recorded, and the lead moves to the phase it reaches. */
static void
action_form(struct dash_page *p, const struct lead *l,
    const struct pipeline *pl)
{
	const char *next = NULL;	/* the next phase's action, selected */
	size_t i, k;

	if (pl == NULL || pl->nphases == 0)
		return;
	for (i = 0; i < pl->nphases && next == NULL; i++)
		if (pl->phases[i].no > l->phase_no)
			next = pl->phases[i].action;
	buf_adds(&p->b, "<h2>");
	html_esc(&p->b, p->ph[DP_ACTION]);
	buf_adds(&p->b, "</h2><form method=\"post\" action=\"/dash/leads/");
	html_long(&p->b, l->id);
	buf_adds(&p->b, "/action\">");
	dash_csrf_field(p);
	buf_adds(&p->b, "<select name=\"action\" id=\"action\">");
	for (i = 0; i < pl->nphases; i++) {
		/* each action once, in the order of its first phase */
		for (k = 0; k < i; k++)
			if (strcmp(pl->phases[k].action,
			    pl->phases[i].action) == 0)
				break;
		if (k == i)
			option(&p->b, pl->phases[i].action,
			    pl->phases[i].action, next != NULL &&
			    strcmp(next, pl->phases[i].action) == 0);
	}
	buf_adds(&p->b, "</select> ");
	label_input(&p->b, p->ph[DP_REMARK], "action_remark", "text", NULL);
	buf_adds(&p->b, "<button type=\"submit\" id=\"act\">");
	html_esc(&p->b, p->ph[DP_SAVE]);
	buf_adds(&p->b, "</button></form>\n");
}

/* The configuration's agents, the lead's assignee selected. */
static void
assign_form(struct dash_page *p, const struct config *cfg,
    const struct lead *l)
{
	char *who = domain_lead_assignee(l);
	const struct agent *cur = who ? agents_find(&cfg->agents, who) : NULL;
	char label[512];
	size_t i;

	if (cfg->agents.n == 0) {
		free(who);
		return;
	}
	buf_adds(&p->b, "<h2>");
	html_esc(&p->b, p->ph[DP_ASSIGN]);
	buf_adds(&p->b, "</h2><form method=\"post\" action=\"/dash/leads/");
	html_long(&p->b, l->id);
	buf_adds(&p->b, "/assign\">");
	dash_csrf_field(p);
	buf_adds(&p->b, "<select name=\"agent\" id=\"agent\">");
	if (cur == NULL)
		option(&p->b, "", p->ph[DP_NOBODY], 1);
	for (i = 0; i < cfg->agents.n; i++) {
		const struct agent *a = &cfg->agents.v[i];

		snprintf(label, sizeof(label), "%s <%s>%s%s", a->name,
		    a->email, a->branch && *a->branch ? ", " : "",
		    a->branch ? a->branch : "");
		option(&p->b, a->name, label, a == cur);
	}
	buf_adds(&p->b, "</select> <button type=\"submit\" id=\"assign\">");
	html_esc(&p->b, p->ph[DP_SAVE]);
	buf_adds(&p->b, "</button></form>\n");
	free(who);
}

/* The lead's mails, each with links to its attachments. */
static void
lead_mails(struct dash_page *p, struct http_req *r, int64_t lead_id)
{
	json_t *mails = mailview_lead_json(r->env->cfg, r->env->d.st, lead_id);
	json_t *m, *atts, *a;
	size_t i, k;

	buf_adds(&p->b, "<h2>");
	html_esc(&p->b, p->ph[DP_MAILS]);
	buf_adds(&p->b, "</h2>\n");
	if (json_array_size(mails) == 0)
		dash_note(p, "msg", p->ph[DP_NONE]);
	json_array_foreach(mails, i, m) {
		atts = json_incref(json_object_get(m, "attachments"));
		json_object_del(m, "attachments");
		json_object_del(m, "sha256");
		html_json(&p->b, m);
		json_array_foreach(atts, k, a) {
			buf_adds(&p->b, "<p>");
			html_esc(&p->b, p->ph[DP_ATTACHMENT]);
			buf_adds(&p->b, ": <a href=\"/dash/mails/");
			html_long(&p->b, (long long)json_integer_value(
			    json_object_get(m, "id")));
			buf_adds(&p->b, "/attachments/");
			html_long(&p->b, (long long)k + 1);
			buf_adds(&p->b, "\">");
			html_esc(&p->b, json_string_value(json_object_get(a,
			    "filename")));
			buf_adds(&p->b, "</a> (");
			html_esc(&p->b, json_string_value(json_object_get(a,
			    "content_type")));
			buf_adds(&p->b, ", ");
			html_long(&p->b, (long long)json_integer_value(
			    json_object_get(a, "size")));
			buf_adds(&p->b, " B)</p>\n");
		}
		json_decref(atts);
	}
	json_decref(mails);
}

/* The lead's history without what the page says already. */
static void
history_trim(json_t *v)
{
	json_t *h;
	size_t i;

	json_array_foreach(v, i, h) {
		json_object_del(h, "id");
		json_object_del(h, "lead_id");
		json_object_del(h, "contact_id");
	}
}

void
dash_pages_lead(struct http_req *r, struct http_resp *out)
{
	struct domain *d = &r->env->d;
	int64_t id = id_of(r->params[0]);
	struct contact *c = NULL;
	struct dash_page p;
	struct lead *l;
	struct err e;
	char name[256], title[320];
	json_t *v;

	err_clear(&e);
	if (id == 0) {
		not_found(r, out);
		return;
	}
	if (store_lead_get(d->st, id, &l, &e) != LG_OK) {
		failed(r, out, &e);
		return;
	}
	(void)store_contact_get(d->st, l->contact_id, &c, NULL);
	snprintf(title, sizeof(title), "#%lld %s", (long long)id, c ?
	    contact_display_name(c, name, sizeof(name)) : "");
	if (dash_begin(&p, r, title, out) != 0)
		goto out;
	if (http_query(r, "done"))
		dash_note(&p, "msg", p.ph[DP_DONE]);
	buf_adds(&p.b, "<div class=\"cols\"><div id=\"lead\">");
	v = view_lead(l, d->pl);
	html_json(&p.b, v);
	json_decref(v);
	buf_adds(&p.b, "</div>\n");
	if (c) {
		buf_adds(&p.b, "<div id=\"contact\">");
		v = view_contact(c);
		html_json(&p.b, v);
		json_decref(v);
		buf_adds(&p.b, "</div>");
	}
	buf_adds(&p.b, "</div>\n");
	move_form(&p, l, pipelines_find(d->pl, l->pipeline));
	action_form(&p, l, pipelines_find(d->pl, l->pipeline));
	assign_form(&p, r->env->cfg, l);
	buf_adds(&p.b, "<h2>");
	html_esc(&p.b, p.ph[DP_HISTORY]);
	buf_adds(&p.b, "</h2><div id=\"history\">");
	v = cmdutil_history_json(d, id, 0);
	history_trim(v);
	html_json(&p.b, v);
	json_decref(v);
	buf_adds(&p.b, "</div>\n");
	lead_mails(&p, r, id);
	dash_end(&p, out, 200);
out:
	contact_free(c);
	lead_free(l);
}

enum change_kind { CHANGE_MOVE, CHANGE_NOTE, CHANGE_ACTION, CHANGE_ASSIGN };

struct move_job {
	int64_t id;
	const char *phase;
	const char *action;
	const char *remark;
	const char *agent;
	enum change_kind kind;
};

/*
 * The dashboard's changes do what the CLI's leads move, note, action and
 * assign do, with what follows them (outbound/followup.h) in the same
 * transaction: an assignment tells the agent, an arrival in a phase runs
 * its on_phase steps.
 */
static int
move_save(struct http_req *r, void *arg, struct err *e)
{
	struct move_job *j = arg;
	struct domain *d = &r->env->d;
	int rc;

	switch (j->kind) {
	case CHANGE_NOTE:
		rc = domain_lead_note(d, j->id, "note", j->remark, e);
		break;
	case CHANGE_ACTION:
		rc = domain_lead_action(d, j->id, j->action, j->remark, NULL,
		    e);
		break;
	case CHANGE_ASSIGN:
		return followup_assign(d, r->env->cfg, j->id, j->agent, NULL,
		    e);
	default:
		rc = domain_lead_move(d, j->id, j->phase, j->action, j->remark,
		    e);
		break;
	}
	return rc == LG_OK ? followup_change(d, r->env->cfg, 0, e) : rc;
}

/* The form's field name, NULL when absent or empty (caller frees). */
static char *
form_field(struct http_req *r, const char *name)
{
	char *v = dash_form(r, name);

	if (v && *v == '\0') {
		free(v);
		v = NULL;
	}
	return v;
}

static void
lead_change(struct http_req *r, struct http_resp *out, enum change_kind kind)
{
	static const char *const remark_field[] = {
		[CHANGE_MOVE] = "move_remark", [CHANGE_NOTE] = "remark",
		[CHANGE_ACTION] = "action_remark", [CHANGE_ASSIGN] = "",
	};
	struct domain *d = &r->env->d;
	const struct pipeline *pl;
	const struct phase *ph;
	struct move_job j;
	struct http_resp tx;
	struct lead *l;
	struct err e;
	char *phase = NULL, *remark = NULL, *action = NULL, *agent = NULL;
	char *to;

	memset(&j, 0, sizeof(j));
	j.kind = kind;
	if ((j.id = id_of(r->params[0])) == 0) {
		not_found(r, out);
		return;
	}
	if (*remark_field[kind] != '\0')
		remark = form_field(r, remark_field[kind]);
	j.remark = remark;
	err_clear(&e);
	switch (kind) {
	case CHANGE_MOVE:
		phase = dash_form(r, "phase");
		if (store_lead_get(d->st, j.id, &l, &e) != LG_OK) {
			failed(r, out, &e);
			goto out;
		}
		/* The move records the phase's own action. */
		pl = pipelines_find(d->pl, l->pipeline);
		ph = pl && phase ? pipeline_phase(pl, (int)id_of(phase)) : NULL;
		j.action = ph ? ph->action : NULL;
		lead_free(l);
		j.phase = phase ? phase : "";
		break;
	case CHANGE_NOTE:
		if (j.remark == NULL) {
			say(r, out, 422, "err", "a note needs a remark");
			goto out;
		}
		break;
	case CHANGE_ACTION:
		if ((j.action = action = form_field(r, "action")) == NULL) {
			say(r, out, 422, "err", "an action needs its name");
			goto out;
		}
		break;
	case CHANGE_ASSIGN:
		if ((j.agent = agent = form_field(r, "agent")) == NULL) {
			say(r, out, 422, "err", "choose an agent");
			goto out;
		}
		break;
	}
	memset(&tx, 0, sizeof(tx));
	if (api_tx(r, move_save, &j, &tx) != 0) {
		/* The problem's detail is in tx; say it as a page. */
		json_t *pj = json_loads(tx.body ? tx.body : "", 0, NULL);

		say(r, out, tx.status, "err", json_string_value(
		    json_object_get(pj, "detail")));
		json_decref(pj);
		free(tx.body);
		for (size_t i = 0; i < tx.nhdr; i++) {
			free(tx.hdr[i].name);
			free(tx.hdr[i].value);
		}
		goto out;
	}
	to = xasprintf("/dash/leads/%lld?done=1", (long long)j.id);
	dash_redirect(out, to);
	free(to);
out:
	free(phase);
	free(remark);
	free(action);
	free(agent);
}

void
dash_pages_lead_move(struct http_req *r, struct http_resp *out)
{
	lead_change(r, out, CHANGE_MOVE);
}

void
dash_pages_lead_note(struct http_req *r, struct http_resp *out)
{
	lead_change(r, out, CHANGE_NOTE);
}

void
dash_pages_lead_action(struct http_req *r, struct http_resp *out)
{
	lead_change(r, out, CHANGE_ACTION);
}

void
dash_pages_lead_assign(struct http_req *r, struct http_resp *out)
{
	lead_change(r, out, CHANGE_ASSIGN);
}

void
dash_pages_attachment(struct http_req *r, struct http_resp *out)
{
	int64_t id = id_of(r->params[0]), n = id_of(r->params[1]);
	const struct mail_part *part;
	struct mailview v;
	struct err e;
	char *cd, fname[128];
	size_t i;

	err_clear(&e);
	if (id == 0 || n == 0) {
		not_found(r, out);
		return;
	}
	if (mailview_load(r->env->cfg, r->env->d.st, id, 1, &v, &e) != LG_OK) {
		mailview_clear(&v);
		failed(r, out, &e);
		return;
	}
	if (v.mail == NULL || (part = mailview_attachment(v.mail,
	    (size_t)n)) == NULL) {
		mailview_clear(&v);
		not_found(r, out);
		return;
	}
	/* Only a tame file name goes into the header. */
	snprintf(fname, sizeof(fname), "%s", part->filename ?
	    part->filename : "attachment");
	for (i = 0; fname[i]; i++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789._-", fname[i]) == NULL)
			fname[i] = '_';
	http_body(out, 200, "application/octet-stream", (const char *)part->data,
	    part->len);
	cd = xasprintf("attachment; filename=\"%s\"", fname);
	http_set_header(out, "Content-Disposition", cd);
	free(cd);
	mailview_clear(&v);
}

static void
quarantine_buttons(struct dash_page *p, const struct quarantine_row *q)
{
	char path[64], id[32];

	if (strcmp(q->state, "held") != 0)
		return;
	snprintf(path, sizeof(path), "/dash/quarantine/%lld/retry",
	    (long long)q->id);
	snprintf(id, sizeof(id), "retry-%lld", (long long)q->id);
	post_button(p, path, id, p->ph[DP_RETRY]);
	if (strcmp(p->r->sess->user.role, "admin") != 0)
		return;
	snprintf(path, sizeof(path), "/dash/quarantine/%lld/drop",
	    (long long)q->id);
	snprintf(id, sizeof(id), "drop-%lld", (long long)q->id);
	post_button(p, path, id, p->ph[DP_DROP]);
}

void
dash_pages_quarantine(struct http_req *r, struct http_resp *out)
{
	const char *state = http_query(r, "state");
	struct quarantine_row *v = NULL;
	struct dash_page p;
	size_t i, n = 0;
	struct err e;

	if (state == NULL || (strcmp(state, "held") != 0 && strcmp(state,
	    "retried") != 0 && strcmp(state, "dropped") != 0))
		state = "held";
	err_clear(&e);
	if (store_quarantine_list(r->env->d.st, state, &v, &n, &e) != LG_OK) {
		failed(r, out, &e);
		return;
	}
	if (dash_begin(&p, r, NULL, out) != 0) {
		store_quarantine_rows_free(v, n);
		return;
	}
	buf_adds(&p.b, "<h1>");
	html_esc(&p.b, p.ph[DP_QUARANTINE]);
	buf_adds(&p.b, "</h1>\n<p><a href=\"/dash/quarantine?state=held\">held"
	    "</a> &middot; <a href=\"/dash/quarantine?state=retried\">retried"
	    "</a> &middot; <a href=\"/dash/quarantine?state=dropped\">dropped"
	    "</a></p>\n");
	if (http_query(r, "done"))
		dash_note(&p, "msg", p.ph[DP_DONE]);
	if (n == 0)
		dash_note(&p, "msg", p.ph[DP_NONE]);
	else
		buf_adds(&p.b, "<div class=\"scroll\"><table id=\"quarantine\">"
		    "<tr><th>#</th><th>at</th><th>connector</th><th>kind</th>"
		    "<th>reason</th><th></th></tr>\n");
	for (i = 0; i < n; i++) {
		buf_adds(&p.b, "<tr><td><a href=\"/dash/quarantine/");
		html_long(&p.b, v[i].id);
		buf_adds(&p.b, "\">");
		html_long(&p.b, v[i].id);
		buf_adds(&p.b, "</a></td><td>");
		html_esc(&p.b, v[i].at);
		buf_adds(&p.b, "</td><td>");
		html_esc(&p.b, v[i].connector);
		buf_adds(&p.b, "</td><td>");
		html_esc(&p.b, v[i].kind);
		buf_adds(&p.b, "</td><td>");
		html_esc(&p.b, v[i].reason);
		buf_adds(&p.b, "</td><td>");
		quarantine_buttons(&p, &v[i]);
		buf_adds(&p.b, "</td></tr>\n");
	}
	if (n > 0)
		buf_adds(&p.b, "</table></div>\n");
	store_quarantine_rows_free(v, n);
	dash_end(&p, out, 200);
}

void
dash_pages_quarantine_item(struct http_req *r, struct http_resp *out)
{
	int64_t id = id_of(r->params[0]);
	struct quarantine_row *q;
	struct dash_page p;
	struct err e;
	char title[64];
	json_t *meta;

	err_clear(&e);
	if (id == 0) {
		not_found(r, out);
		return;
	}
	if (store_quarantine_get(r->env->d.st, id, &q, &e) != LG_OK) {
		failed(r, out, &e);
		return;
	}
	snprintf(title, sizeof(title), "%s #%lld", "Quarantine",
	    (long long)id);
	if (dash_begin(&p, r, title, out) != 0) {
		store_quarantine_rows_free(q, 1);
		return;
	}
	buf_adds(&p.b, "<table class=\"kv\"><tr><th>at</th><td>");
	html_esc(&p.b, q->at);
	buf_adds(&p.b, "</td></tr><tr><th>connector</th><td>");
	html_esc(&p.b, q->connector);
	buf_adds(&p.b, "</td></tr><tr><th>kind</th><td>");
	html_esc(&p.b, q->kind);
	buf_adds(&p.b, "</td></tr><tr><th>key</th><td>");
	html_esc(&p.b, q->inquiry_key);
	buf_adds(&p.b, "</td></tr><tr><th>reason</th><td>");
	html_esc(&p.b, q->reason);
	buf_adds(&p.b, "</td></tr><tr><th>state</th><td>");
	html_esc(&p.b, q->state);
	buf_adds(&p.b, "</td></tr></table>\n");
	quarantine_buttons(&p, q);
	meta = view_custom(q->meta);
	html_json(&p.b, meta);
	json_decref(meta);
	if (q->raw) {
		char *raw = xmalloc(q->rawlen + 1);

		memcpy(raw, q->raw, q->rawlen);
		raw[q->rawlen] = '\0';
		buf_adds(&p.b, "<div class=\"scroll\"><pre>");
		html_esc(&p.b, raw);
		buf_adds(&p.b, "</pre></div>\n");
		free(raw);
	}
	store_quarantine_rows_free(q, 1);
	dash_end(&p, out, 200);
}

void
dash_pages_quarantine_retry(struct http_req *r, struct http_resp *out)
{
	const struct ingest_report *rep;
	int64_t id = id_of(r->params[0]);
	struct err e;
	char *to;

	err_clear(&e);
	if (id == 0) {
		not_found(r, out);
		return;
	}
	if (ingest_retry(r->env->ig, id, &e) != LG_OK) {
		failed(r, out, &e);
		return;
	}
	rep = ingest_last(r->env->ig);
	/* To the lead it became, else back to the (remaining) quarantine. */
	if (rep->lead_id)
		to = xasprintf("/dash/leads/%lld?done=1",
		    (long long)rep->lead_id);
	else
		to = xasprintf("/dash/quarantine?done=%s",
		    ingest_outcome_name(rep->outcome));
	dash_redirect(out, to);
	free(to);
}

static int
drop_save(struct http_req *r, void *arg, struct err *e)
{
	int64_t id = *(int64_t *)arg;
	struct quarantine_row *q;
	int rc;

	if ((rc = store_quarantine_get(r->env->d.st, id, &q, e)) != LG_OK)
		return rc;
	if (strcmp(q->state, "held") != 0)
		rc = err_set(e, LG_EEXIST, "quarantine %lld is already %s",
		    (long long)id, q->state);
	store_quarantine_rows_free(q, 1);
	if (rc != LG_OK)
		return rc;
	return store_quarantine_set_state(r->env->d.st, id, "dropped", e);
}

void
dash_pages_quarantine_drop(struct http_req *r, struct http_resp *out)
{
	int64_t id = id_of(r->params[0]);
	struct http_resp tx;
	struct err e;

	if (id == 0) {
		not_found(r, out);
		return;
	}
	if (strcmp(r->sess->user.role, "admin") != 0) {
		say(r, out, 403, "err", "only an admin drops an inquiry");
		return;
	}
	memset(&tx, 0, sizeof(tx));
	if (api_tx(r, drop_save, &id, &tx) != 0) {
		free(tx.body);
		for (size_t i = 0; i < tx.nhdr; i++) {
			free(tx.hdr[i].name);
			free(tx.hdr[i].value);
		}
		err_clear(&e);
		err_set(&e, LG_EEXIST, "quarantine %lld cannot be dropped",
		    (long long)id);
		failed(r, out, &e);
		return;
	}
	dash_redirect(out, "/dash/quarantine?done=dropped");
}

static void
campaign_row(struct dash_page *p, const struct campaign *c)
{
	long v[8] = { c->matched, c->queued, c->sent, c->failed, c->skipped,
	    c->waiting, c->bounced, c->complained };
	long pct = c->queued > 0 ? 100 * (c->sent + c->failed) / c->queued :
	    0;
	size_t i;

	buf_adds(&p->b, "<tr><td>");
	html_long(&p->b, c->id);
	buf_adds(&p->b, "</td><td>");
	html_esc(&p->b, c->name);
	buf_adds(&p->b, "</td><td>");
	html_esc(&p->b, c->created_at);
	buf_adds(&p->b, "</td>");
	for (i = 0; i < 8; i++) {
		buf_adds(&p->b, "<td class=\"n\">");
		html_long(&p->b, v[i]);
		buf_adds(&p->b, "</td>");
	}
	buf_adds(&p->b, "<td><span class=\"bar\" style=\"width:");
	html_long(&p->b, pct / 2 + 1);
	buf_adds(&p->b, "px\"></span> ");
	html_long(&p->b, pct);
	buf_adds(&p->b, "%</td></tr>\n");
}

void
dash_pages_campaigns(struct http_req *r, struct http_resp *out)
{
	static const char *const head[] = { "#", "name", "created", "matched",
	    "queued", "sent", "failed", "skipped", "waiting", "bounced",
	    "complained" };
	struct campaign *v = NULL;
	struct dash_page p;
	size_t i, n = 0;
	struct err e;

	err_clear(&e);
	if (store_campaign_list(r->env->d.st, &v, &n, &e) != LG_OK) {
		failed(r, out, &e);
		return;
	}
	if (dash_begin(&p, r, NULL, out) != 0) {
		store_campaign_rows_free(v, n);
		return;
	}
	buf_adds(&p.b, "<h1>");
	html_esc(&p.b, p.ph[DP_CAMPAIGNS]);
	buf_adds(&p.b, "</h1>\n");
	if (n == 0)
		dash_note(&p, "msg", p.ph[DP_NONE]);
	else {
		buf_adds(&p.b, "<div class=\"scroll\"><table id=\"campaigns\">"
		    "<tr>");
		for (i = 0; i < sizeof(head) / sizeof(head[0]); i++) {
			buf_adds(&p.b, "<th>");
			html_esc(&p.b, head[i]);
			buf_adds(&p.b, "</th>");
		}
		buf_adds(&p.b, "<th>");
		html_esc(&p.b, p.ph[DP_PROGRESS]);
		buf_adds(&p.b, "</th></tr>\n");
		for (i = 0; i < n; i++)
			campaign_row(&p, &v[i]);
		buf_adds(&p.b, "</table></div>\n");
	}
	store_campaign_rows_free(v, n);
	dash_end(&p, out, 200);
}

void
dash_pages_status(struct http_req *r, struct http_resp *out)
{
	struct dash_page p;
	struct err e;
	json_t *o;

	err_clear(&e);
	if ((o = cmd_status_json(r->env->cfg, r->env->d.st, &e)) == NULL) {
		say(r, out, 500, "err", e.msg);
		return;
	}
	if (dash_begin(&p, r, NULL, out) != 0) {
		json_decref(o);
		return;
	}
	buf_adds(&p.b, "<h1>");
	html_esc(&p.b, p.ph[DP_STATUS]);
	buf_adds(&p.b, "</h1>\n<div id=\"status\">");
	html_json(&p.b, o);
	buf_adds(&p.b, "</div>\n");
	json_decref(o);
	dash_end(&p, out, 200);
}
