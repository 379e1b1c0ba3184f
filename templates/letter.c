#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/clock.h"
#include "core/config.h"
#include "util/xmalloc.h"
#include "templates/compose.h"
#include "templates/headers.h"
#include "templates/letter.h"
#include "templates/tcache.h"
#include "templates/template.h"
#include "templates/vars.h"

#define LETTER_MAX_HEADERS 16

/* What each kind of letter adds to the message. */
static const struct lkind {
	const char *name;
	enum letter_kind kind;
	const char *auto_submitted;	/* RFC 3834, or NULL */
	const char *precedence;
	int suppress;		/* X-Auto-Response-Suppress: All (Exchange) */
	int thread;		/* In-Reply-To and References */
	int unsubscribe;	/* List-Unsubscribe (RFC 2369, RFC 8058) */
} lkinds[] = {
	{ "plain", LETTER_PLAIN, NULL, NULL, 0, 1, 0 },
	{ "autoreply", LETTER_AUTOREPLY, "auto-replied", NULL, 1, 1, 0 },
	{ "bulk", LETTER_BULK, "auto-generated", "bulk", 1, 0, 1 },
};

/* The headers of one letter; values in own[] are freed with it. */
struct lhdrs {
	struct compose_header v[LETTER_MAX_HEADERS];
	size_t n;
	char *own[LETTER_MAX_HEADERS];
	size_t nown;
};

int
letter_kind_parse(const char *s, enum letter_kind *out)
{
	size_t i;

	for (i = 0; i < sizeof(lkinds) / sizeof(lkinds[0]); i++)
		if (strcmp(lkinds[i].name, s) == 0) {
			*out = lkinds[i].kind;
			return 0;
		}
	return -1;
}

static const struct lkind *
lt_kind(enum letter_kind k)
{
	size_t i;

	for (i = 0; i < sizeof(lkinds) / sizeof(lkinds[0]); i++)
		if (lkinds[i].kind == k)
			return &lkinds[i];
	return &lkinds[0];
}

static void
lh_add(struct lhdrs *h, const char *name, const char *value)
{
	if (value == NULL || h->n == LETTER_MAX_HEADERS)
		return;
	h->v[h->n].name = name;
	h->v[h->n++].value = value;
}

/* The same, taking value. */
static void
lh_own(struct lhdrs *h, const char *name, char *value)
{
	h->own[h->nown++] = value;
	lh_add(h, name, value);
}

static void
lh_free(struct lhdrs *h)
{
	size_t i;

	for (i = 0; i < h->nown; i++)
		free(h->own[i]);
}

static const char *
lt_get(json_t *ctx, const char *obj, const char *key)
{
	return json_string_value(json_object_get(json_object_get(ctx, obj),
	    key));
}

static int
lt_url_ok(const char *u)
{
	const char *p;

	for (p = u; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>' ||
		    *p == ',')
			return 0;
	return *u != '\0';
}

static int
lt_unsubscribe(const struct config *cfg, const struct letter_req *req,
    json_t *ctx, struct lhdrs *h, struct err *e)
{
	const char *url;
	const char *mailto = cfg->mail.unsubscribe_mailto;
	const char *tok = req->unsub_token;
	char *v;

	url = json_string_value(json_object_get(ctx, "unsubscribe_url"));
	if (!vars_token_ok(tok))
		return err_set(e, LG_EPERM, "bulk mail needs the contact's "
		    "unsubscribe token (letters, digits, '-' and '_')");
	if ((url == NULL || *url == '\0') && *mailto == '\0')
		return err_set(e, LG_EPERM, "bulk mail needs "
		    "mail.unsubscribe_url or mail.unsubscribe_mailto");
	if (url && *url && !lt_url_ok(url))
		return err_set(e, LG_EPERM, "mail.unsubscribe_url gives "
		    "'%.100s', not a URL for List-Unsubscribe", url);
	if (*mailto && !headers_addr_ok(mailto))
		return err_set(e, LG_EPERM, "mail.unsubscribe_mailto '%.100s' is "
		    "not an address", mailto);
	if (url && *url && *mailto)
		v = xasprintf("<%s>, <mailto:%s?subject=unsubscribe%%20%s>", url,
		    mailto, tok);
	else if (url && *url)
		v = xasprintf("<%s>", url);
	else
		v = xasprintf("<mailto:%s?subject=unsubscribe%%20%s>", mailto,
		    tok);
	lh_own(h, "List-Unsubscribe", v);
	if (url && strncmp(url, "https://", 8) == 0)
		lh_add(h, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
	return LG_OK;
}

static int
lt_headers(const struct config *cfg, const struct letter_req *req,
    json_t *ctx, const struct template_msg *tm, const char *from,
    struct lhdrs *h, struct err *e)
{
	const struct lkind *k = lt_kind(req->kind);
	char date[40];

	compose_date((long long)clock_now(), date, sizeof(date));
	lh_add(h, "From", from);
	lh_own(h, "To", headers_mailbox(lt_get(ctx, "recipient", "name"),
	    lt_get(ctx, "recipient", "email")));
	lh_add(h, "Reply-To", tm->reply_to);
	lh_add(h, "Subject", tm->subject);
	lh_own(h, "Date", xstrdup(date));
	lh_add(h, "Message-ID", req->message_id);
	if (k->thread && req->in_reply_to && *req->in_reply_to) {
		lh_add(h, "In-Reply-To", req->in_reply_to);
		lh_add(h, "References", req->in_reply_to);
	}
	lh_add(h, "Auto-Submitted", k->auto_submitted);
	lh_add(h, "Precedence", k->precedence);
	if (k->suppress)
		lh_add(h, "X-Auto-Response-Suppress", "All");
	if (k->unsubscribe && lt_unsubscribe(cfg, req, ctx, h, e) != LG_OK)
		return LG_EPERM;
	lh_add(h, "Content-Language", tm->language);
	return LG_OK;
}

/* Everything after the variables: template, headers, composition. */
static int
lt_write(const struct config *cfg, struct tcache *tc,
    const struct letter_req *req, json_t *ctx, struct letter *out,
    struct err *e)
{
	struct template *own = NULL;
	const struct template *t;
	struct template_msg *tm = NULL;
	struct compose_msg m;
	struct lhdrs h;
	const char *from, *lang = lt_get(ctx, "contact", "language");
	char *name = NULL;
	int rc;

	memset(&h, 0, sizeof(h));
	if (tc != NULL)
		rc = tcache_get(tc, req->template, lang, &t, e);
	else if ((rc = template_load(cfg->templates_dir, req->template, lang,
	    &own, e)) == LG_OK)
		t = own;
	if (rc != LG_OK || (rc = template_render(t, ctx, &tm, e)) != LG_OK)
		goto out;
	from = tm->from ? tm->from : cfg->mail.from;
	if (from == NULL || *from == '\0') {
		rc = err_set(e, LG_EPERM, "%s has no From: line and mail.from "
		    "is not set", template_path(t));
		goto out;
	}
	if ((rc = headers_parse_mailbox(from, &name, &out->sender, e)) !=
	    LG_OK) {
		err_prefix(e, "From");
		goto out;
	}
	if ((rc = lt_headers(cfg, req, ctx, tm, from, &h, e)) != LG_OK)
		goto out;
	memset(&m, 0, sizeof(m));
	m.headers = h.v;
	m.nheaders = h.n;
	m.text = tm->text;
	m.html = tm->html;
	m.attach = tm->attach;
	m.nattach = tm->nattach;
	rc = compose_message(&m, &out->data, e);
	out->language = xstrdup(tm->language);
	out->subject = xstrdup(tm->subject);
out:
	free(name);
	lh_free(&h);
	template_msg_free(tm);
	template_free(own);
	return rc;
}

int
letter_build(struct store *st, const struct pipelines *pl,
    const struct config *cfg, const struct letter_req *req,
    struct letter *out, struct err *e)
{
	return letter_build_shared(st, pl, cfg, NULL, req, out, e);
}

int
letter_build_shared(struct store *st, const struct pipelines *pl,
    const struct config *cfg, const struct letter_shared *sh,
    const struct letter_req *req, struct letter *out, struct err *e)
{
	struct vars_req vr = { req->contact_id, req->lead_id,
	    req->kind == LETTER_BULK ? req->unsub_token : NULL, req->lead_ids,
	    req->nleads, req->contact, req->lead, req->to,
	    sh ? sh->leads : NULL, req->agent_name, req->agent_email,
	    req->agent_branch };
	json_t *ctx = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (req->message_id == NULL)
		return err_set(e, LG_EPERM, "a letter needs a Message-ID");
	if ((rc = vars_build(st, pl, cfg, &vr, &ctx, e)) == LG_OK) {
		out->rcpt = xstrdup(lt_get(ctx, "recipient", "email"));
		rc = lt_write(cfg, sh ? sh->templates : NULL, req, ctx, out,
		    e);
	}
	json_decref(ctx);
	if (rc != LG_OK)
		letter_clear(out);
	return rc;
}

void
letter_clear(struct letter *l)
{
	if (l == NULL)
		return;
	free(l->sender);
	free(l->rcpt);
	free(l->language);
	free(l->subject);
	buf_free(&l->data);
	memset(l, 0, sizeof(*l));
}
