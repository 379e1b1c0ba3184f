/*
 * Composed messages against golden files. Each directory under
 * tests/data/templates/compose holds a template (template.txt, maybe
 * template.html and attachments), the variables (context.json), the
 * envelope (envelope.json: to_name, to, message_id, extra headers) and
 * either expected.eml or expected.err. Every message is also checked for
 * what must hold whatever the content: CRLF lines, none over 998 octets,
 * and exactly the header fields that were asked for (nothing a value
 * smuggled in).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "t.h"
#include "templates/compose.h"
#include "templates/headers.h"
#include "templates/template.h"

#define CASES "tests/data/templates/compose"
#define MAX_HEADERS 32

static const char *tmpdir;	/* where a message that differs is left */

struct chdrs {
	struct compose_header v[MAX_HEADERS];
	size_t n;
	char *to;
};

static json_t *
load_json(const char *dir, const char *file)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
}

static void
add(struct chdrs *h, const char *name, const char *value)
{
	if (value != NULL && h->n < MAX_HEADERS) {
		h->v[h->n].name = name;
		h->v[h->n++].value = value;
	}
}

/* The headers asked for, in order: From, To, Reply-To, Subject, ... */
static void
headers_for(const struct template_msg *m, json_t *env, struct chdrs *h)
{
	json_t *extra = json_object_get(env, "extra"), *pair;
	const char *to = json_string_value(json_object_get(env, "to"));
	size_t i;

	memset(h, 0, sizeof(*h));
	add(h, "From", m->from ? m->from :
	    json_string_value(json_object_get(env, "from")));
	if (to) {
		h->to = headers_mailbox(json_string_value(json_object_get(env,
		    "to_name")), to);
		add(h, "To", h->to);
	}
	add(h, "Reply-To", m->reply_to);
	add(h, "Subject", m->subject);
	add(h, "Message-ID", json_string_value(json_object_get(env,
	    "message_id")));
	for (i = 0; i < json_array_size(extra); i++) {
		pair = json_array_get(extra, i);
		add(h, json_string_value(json_array_get(pair, 0)),
		    json_string_value(json_array_get(pair, 1)));
	}
}

/* Every line ends in CRLF and is at most 998 octets. */
static int
lines_ok(const struct buf *b)
{
	size_t i, col = 0;

	for (i = 0; i < b->len; i++) {
		if (b->data[i] == '\r') {
			if (i + 1 >= b->len || b->data[i + 1] != '\n')
				return 0;
			i++;
			col = 0;
		} else if (b->data[i] == '\n' || ++col > HEADERS_MAX) {
			return 0;
		}
	}
	return col == 0;
}

/* The names of the top-level header fields, comma-separated. */
static char *
field_names(const struct buf *b)
{
	struct buf names = BUF_INIT;
	const char *p = buf_str(b), *colon, *eol;

	while (*p && strncmp(p, "\r\n", 2) != 0) {
		eol = strstr(p, "\r\n");
		if (*p != ' ' && *p != '\t' && (colon = strchr(p, ':')) &&
		    (eol == NULL || colon < eol))
			buf_printf(&names, "%s%.*s", names.len ? "," : "",
			    (int)(colon - p), p);
		if (eol == NULL)
			break;
		p = eol + 2;
	}
	return buf_detach(&names);
}

static char *
names_wanted(const struct chdrs *h, const struct template_msg *m)
{
	struct buf names = BUF_INIT;
	size_t i;

	for (i = 0; i < h->n; i++)
		buf_printf(&names, "%s,", h->v[i].name);
	buf_adds(&names, "Date,MIME-Version,Content-Type");
	if (m->html == NULL && m->nattach == 0)
		buf_adds(&names, ",Content-Transfer-Encoding");
	return buf_detach(&names);
}

static void
check_message(const char *name, const char *dir, const struct buf *got,
    const struct chdrs *h, const struct template_msg *m)
{
	char path[512], *want, *names, *wanted;
	size_t wlen;
	FILE *f;

	snprintf(path, sizeof(path), "%s/expected.eml", dir);
	want = t_slurp(path, &wlen);
	if (want == NULL || wlen != got->len ||
	    memcmp(want, got->data, wlen) != 0) {
		snprintf(path, sizeof(path), "%s/%s.eml", tmpdir, name);
		if ((f = fopen(path, "wb")) != NULL) {
			fwrite(got->data, 1, got->len, f);
			fclose(f);
		}
		T_OK(0, "%s: matches expected.eml (got %s)", name, path);
	} else {
		T_OK(1, "%s: matches expected.eml", name);
	}
	T_OK(lines_ok(got), "%s: CRLF lines of at most 998 octets", name);
	names = field_names(got);
	wanted = names_wanted(h, m);
	T_STR(names, wanted, "%s: exactly the header fields asked for", name);
	free(names);
	free(wanted);
	free(want);
}

static void
check_error(const char *name, const char *dir, int rc, const struct err *e)
{
	char path[512], *want;
	size_t wlen;

	snprintf(path, sizeof(path), "%s/expected.err", dir);
	want = t_slurp(path, &wlen);
	if (want && wlen && want[wlen - 1] == '\n')
		want[wlen - 1] = '\0';
	T_INT(rc, LG_EPERM, "%s: refused", name);
	T_STR(e->msg, want, "%s: says why", name);
	free(want);
}

static void
run_case(const char *name)
{
	char dir[512], path[600];
	struct template *t = NULL;
	struct template_msg *m = NULL;
	struct compose_msg cm;
	struct buf out = BUF_INIT;
	struct chdrs h;
	struct err e;
	json_t *ctx, *env;
	int rc;

	snprintf(dir, sizeof(dir), "%s/%s", CASES, name);
	snprintf(path, sizeof(path), "%s/template.txt", dir);
	ctx = load_json(dir, "context.json");
	env = load_json(dir, "envelope.json");
	err_clear(&e);
	memset(&h, 0, sizeof(h));
	if (ctx == NULL || env == NULL ||
	    template_load_file(path, NULL, &t, &e) != LG_OK ||
	    template_render(t, ctx, &m, &e) != LG_OK) {
		T_OK(0, "%s: fixture loads: %s", name, e.msg);
		goto out;
	}
	headers_for(m, env, &h);
	memset(&cm, 0, sizeof(cm));
	cm.headers = h.v;
	cm.nheaders = h.n;
	cm.text = m->text;
	cm.html = m->html;
	cm.attach = m->attach;
	cm.nattach = m->nattach;
	rc = compose_message(&cm, &out, &e);
	snprintf(path, sizeof(path), "%s/expected.err", dir);
	if (access(path, F_OK) == 0)
		check_error(name, dir, rc, &e);
	else if (rc != LG_OK)
		T_OK(0, "%s: composes: %s", name, e.msg);
	else
		check_message(name, dir, &out, &h, m);
out:
	free(h.to);
	buf_free(&out);
	template_msg_free(m);
	template_free(t);
	json_decref(ctx);
	json_decref(env);
}

static int
is_case(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* What compose refuses that a template cannot even produce. */
static void
test_refusals(void)
{
	static const struct compose_header hs[] = {
		{ "From", "a@example.com" }, { "To", "b@example.com" },
		{ "Subject", "s" }, { "Message-ID", "<m@example.com>" },
	};
	static const struct {
		const char *label;
		const char *text;
		const char *ctype;
		const char *want;
	} cases[] = {
		{ "a text body that is not UTF-8", "Z\xfcrich", NULL,
		    "text body is not UTF-8 (at byte 1)" },
		{ "a content type hiding a header", "ok", "text/plain\r\nBcc: x",
		    "attachment a.txt: bad content type 'text/plain\r\nBcc: x'" },
		{ "a content type without a subtype", "ok", "text",
		    "attachment a.txt: bad content type 'text'" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct compose_attachment a = { "a.txt", NULL,
		    (unsigned char *)"x", 1 };
		struct compose_msg m = { hs, 4, cases[i].text, NULL, &a, 1 };
		struct buf out = BUF_INIT;
		struct err e;

		a.content_type = (char *)cases[i].ctype;
		err_clear(&e);
		T_INT(compose_message(&m, &out, &e), LG_EPERM, "%s: refused",
		    cases[i].label);
		T_STR(e.msg, cases[i].want, "%s: says why", cases[i].label);
		T_INT((long long)out.len, 0, "%s: nothing written",
		    cases[i].label);
		buf_free(&out);
	}
}

int
main(void)
{
	struct dirent **ents;
	int i, n;

	if (getenv("TOP") == NULL || chdir(getenv("TOP")) != 0) {
		T_OK(0, "TOP is set (run through make test)");
		return t_done();
	}
	setenv("LEADGATE_NOW", "2026-03-02T09:30:00Z", 1);
	tmpdir = t_tmpdir("compose");
	if ((n = scandir(CASES, &ents, is_case, alphasort)) <= 0)
		T_OK(0, "cases in %s", CASES);
	for (i = 0; i < n; i++) {
		run_case(ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	test_refusals();
	return t_done();
}
