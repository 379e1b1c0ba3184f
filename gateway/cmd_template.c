/* template render, template preview */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "core/config.h"
#include "core/domain.h"
#include "core/store.h"
#include "util/xmalloc.h"
#include "templates/letter.h"
#include "templates/mustache.h"
#include "templates/template.h"

#define DATA_MAX (16u << 20)

struct render_opts {
	const char *file;
	const char *data;
	const char *partials;
	int raw;
};

static int
render_load_data(struct cli *c, const char *path, json_t **out)
{
	json_error_t je;
	struct err e;
	char *text;
	size_t len;

	err_clear(&e);
	if (template_read_file(path, DATA_MAX, &text, &len, &e) != LG_OK)
		return cli_fail_err(c, &e);
	*out = json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
	    &je);
	free(text);
	if (*out == NULL)
		return cli_fail(c, EXIT_DATAERR, "%s:%d:%d: %s", path, je.line,
		    je.column, je.text);
	return EXIT_OK;
}

/* --raw: partial x is the file x in the directory; a missing one is empty. */
static int
render_raw_partial(void *arg, const char *name, char **text, size_t *len,
    char **origin, struct err *e)
{
	const char *dir = arg;
	char *path;
	int rc;

	if (dir == NULL)
		return LG_ENOENT;
	if (strchr(name, '/') || name[0] == '.')
		return err_set(e, LG_EPERM, "bad partial name '%.64s'", name);
	path = xasprintf("%s/%s", dir, name);
	rc = template_read_file(path, TEMPLATE_MAX_SIZE, text, len, e);
	if (rc == LG_OK)
		*origin = path;
	else
		free(path);
	return rc;
}

static int
render_raw(struct cli *c, const struct render_opts *o, json_t *ctx)
{
	struct mustache_opts mo = { MUSTACHE_ESCAPE_HTML, render_raw_partial,
	    (void *)o->partials };
	struct buf out = BUF_INIT;
	struct err e;
	char *text;
	size_t len;
	int rc;

	err_clear(&e);
	if (template_read_file(o->file, TEMPLATE_MAX_SIZE, &text, &len, &e) !=
	    LG_OK)
		return cli_fail_err(c, &e);
	rc = mustache_render_text(text, len, o->file, ctx, &mo, &out, &e);
	free(text);
	if (rc == LG_OK)
		fwrite(out.data ? out.data : "", 1, out.len, stdout);
	buf_free(&out);
	return rc == LG_OK ? EXIT_OK : cli_fail_err(c, &e);
}

static void
render_print(const struct template *t, const struct template_msg *m)
{
	size_t i, n;

	printf("Subject: %s\n", m->subject);
	if (m->from)
		printf("From: %s\n", m->from);
	if (m->reply_to)
		printf("Reply-To: %s\n", m->reply_to);
	for (i = 0; i < m->nattach; i++)
		printf("Attach: %s (%zu bytes)\n", m->attach[i].filename,
		    m->attach[i].len);
	if (m->language)
		printf("Language: %s\n", m->language);
	printf("\n%s", m->text);
	n = strlen(m->text);
	if (m->html == NULL)
		return;
	printf("%s--- HTML part: %s ---\n%s", n && m->text[n - 1] != '\n' ?
	    "\n" : "", template_html_path(t), m->html);
}

static int
render_template(struct cli *c, const struct render_opts *o, json_t *ctx)
{
	struct template *t;
	struct template_msg *m;
	struct err e;

	err_clear(&e);
	if (template_load_file(o->file, o->partials, &t, &e) != LG_OK)
		return cli_fail_err(c, &e);
	if (template_render(t, ctx, &m, &e) != LG_OK) {
		template_free(t);
		return cli_fail_err(c, &e);
	}
	render_print(t, m);
	template_msg_free(m);
	template_free(t);
	return EXIT_OK;
}

int
cmd_template_render(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "partials", required_argument, NULL, 'p' },
		{ "raw", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct render_opts o;
	json_t *ctx;
	int ch, rc;

	memset(&o, 0, sizeof(o));
	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		switch (ch) {
		case 'd':
			o.data = optarg;
			break;
		case 'p':
			o.partials = optarg;
			break;
		case 'r':
			o.raw = 1;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc || o.data == NULL)
		return cli_usage(c, stderr, EXIT_USAGE);
	o.file = argv[optind];
	if ((rc = render_load_data(c, o.data, &ctx)) != EXIT_OK)
		return rc;
	rc = o.raw ? render_raw(c, &o, ctx) : render_template(c, &o, ctx);
	json_decref(ctx);
	return rc;
}

struct preview_opts {
	const char *name;
	long long contact;
	long long lead;
	enum letter_kind kind;
	const char *in_reply_to;
};

static int
preview_opts(struct cli *c, int argc, char **argv, struct preview_opts *o)
{
	static const struct option opts[] = {
		{ "contact", required_argument, NULL, 'c' },
		{ "lead", required_argument, NULL, 'l' },
		{ "kind", required_argument, NULL, 'k' },
		{ "in-reply-to", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		switch (ch) {
		case 'c':
			if (cli_parse_id(c, optarg, "--contact", &o->contact))
				return EXIT_USAGE;
			break;
		case 'l':
			if (cli_parse_id(c, optarg, "--lead", &o->lead))
				return EXIT_USAGE;
			break;
		case 'k':
			if (letter_kind_parse(optarg, &o->kind) != 0)
				return cli_fail(c, EXIT_USAGE, "--kind is plain, "
				    "autoreply or bulk, not '%s'", optarg);
			break;
		case 'i':
			o->in_reply_to = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc || (o->contact == 0) == (o->lead == 0))
		return cli_usage(c, stderr, EXIT_USAGE);
	o->name = argv[optind];
	return EXIT_OK;
}

/* Bulk mail carries the contact's token: make it now, as the mailer would. */
static int
preview_token(struct domain *d, const struct preview_opts *o, char **tok,
    struct err *e)
{
	struct lead *l;
	int64_t cid = o->contact;
	int rc;

	*tok = NULL;
	if (o->kind != LETTER_BULK)
		return LG_OK;
	if (o->lead) {
		if ((rc = store_lead_get(d->st, o->lead, &l, e)) != LG_OK)
			return rc;
		cid = l->contact_id;
		lead_free(l);
	}
	return store_contact_unsub_token(d->st, cid, 1, tok, e);
}

int
cmd_template_preview(struct cli *c, int argc, char **argv)
{
	struct preview_opts o;
	struct letter_req req;
	struct letter out;
	struct domain d;
	struct err e;
	char *msgid, *tok = NULL;
	int rc;

	if ((rc = preview_opts(c, argc, argv, &o)) != EXIT_OK ||
	    (rc = cli_domain(c, &d)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (preview_token(&d, &o, &tok, &e) != LG_OK)
		return cli_fail_err(c, &e);
	msgid = xasprintf("<preview.%c%lld.%s@%s>", o.lead ? 'L' : 'C',
	    o.lead ? o.lead : o.contact, o.name, c->cfg->mail.domain);
	memset(&req, 0, sizeof(req));
	req.template = o.name;
	req.contact_id = o.contact;
	req.lead_id = o.lead;
	req.kind = o.kind;
	req.message_id = msgid;
	req.in_reply_to = o.in_reply_to;
	req.unsub_token = tok;
	rc = letter_build(d.st, d.pl, c->cfg, &req, &out, &e);
	if (rc == LG_OK)
		fwrite(out.data.data, 1, out.data.len, stdout);
	letter_clear(&out);
	free(msgid);
	free(tok);
	return rc == LG_OK ? EXIT_OK : cli_fail_err(c, &e);
}
