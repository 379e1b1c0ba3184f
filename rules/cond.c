#include <fnmatch.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xmalloc.h"
#include "parse/inquiry.h"
#include "parse/mail.h"
#include "rules/cond.h"

#define COND_MAX_VALUES 64	/* headers of one name considered */

enum cond_type {
	C_ALL,
	C_ANY,
	C_NOT,
	C_LEAF,
};

enum cond_subject {
	S_HEADER,
	S_ENVELOPE_FROM,
	S_ENVELOPE_TO,
	S_CONNECTOR,
	S_BODY,
	S_SUBJECT,
	S_IS_REPLY,
	S_ATTACHMENT_NAME,
	S_ATTACHMENT_TYPE,
	S_FIELD,
	S_FROM,
	S_REPLY_TO,
	S_SENDER,
};

enum cond_op {
	OP_IS,
	OP_GLOB,
	OP_REGEX,
	OP_CONTAINS,
	OP_EXISTS,
};

struct cond {
	enum cond_type type;
	struct cond **kids;
	size_t nkids;
	enum cond_subject subject;
	char *name;		/* header or field name */
	enum cond_op op;
	char *value;
	int exists;
	regex_t re;
	int has_re;
};

static const struct {
	const char *prefix;	/* "header:" takes a name after the colon */
	enum cond_subject subject;
	int named;
} subjects[] = {
	{ "header:", S_HEADER, 1 },
	{ "field:", S_FIELD, 1 },
	{ "envelope:from", S_ENVELOPE_FROM, 0 },
	{ "envelope:to", S_ENVELOPE_TO, 0 },
	{ "connector", S_CONNECTOR, 0 },
	{ "body", S_BODY, 0 },
	{ "subject", S_SUBJECT, 0 },
	{ "is_reply", S_IS_REPLY, 0 },
	{ "attachment:name", S_ATTACHMENT_NAME, 0 },
	{ "attachment:type", S_ATTACHMENT_TYPE, 0 },
	{ "from", S_FROM, 0 },
	{ "reply-to", S_REPLY_TO, 0 },
	{ "sender", S_SENDER, 0 },
};

static const struct {
	const char *key;
	enum cond_op op;
} ops[] = {
	{ "is", OP_IS },
	{ "glob", OP_GLOB },
	{ "regex", OP_REGEX },
	{ "contains", OP_CONTAINS },
	{ "exists", OP_EXISTS },
};

struct cond_ctx {
	const char *path;
	void (*report)(void *, const char *);
	void *arg;
	int bad;
};

static void cond_bad(struct cond_ctx *cx, const config_setting_t *st,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
cond_bad(struct cond_ctx *cx, const config_setting_t *st, const char *fmt, ...)
{
	char msg[512], text[400];
	const char *file = config_setting_source_file(st);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof(msg), "%s:%u: %s", file ? file : cx->path,
	    config_setting_source_line(st), text);
	cx->report(cx->arg, msg);
	cx->bad++;
}

void
cond_free(struct cond *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nkids; i++)
		cond_free(c->kids[i]);
	free(c->kids);
	free(c->name);
	free(c->value);
	if (c->has_re)
		regfree(&c->re);
	free(c);
}

static struct cond *cond_parse_ctx(const config_setting_t *st,
    struct cond_ctx *cx);

static struct cond *
cond_parse_list(const config_setting_t *st, enum cond_type type,
    struct cond_ctx *cx)
{
	struct cond *c = xcalloc(1, sizeof(*c));
	int i, n;

	c->type = type;
	if (!config_setting_is_aggregate(st) ||
	    (n = config_setting_length(st)) == 0) {
		cond_bad(cx, st, "'%s' takes a list of conditions ( {...}, ... )",
		    type == C_ALL ? "all" : "any");
		return c;
	}
	c->kids = xcalloc((size_t)n, sizeof(*c->kids));
	for (i = 0; i < n; i++) {
		struct cond *k = cond_parse_ctx(config_setting_get_elem(st,
		    (unsigned)i), cx);

		if (k)
			c->kids[c->nkids++] = k;
	}
	return c;
}

static int
cond_subject_parse(struct cond *c, const char *on)
{
	size_t i, n;

	for (i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
		n = strlen(subjects[i].prefix);
		if (subjects[i].named && strncasecmp(on, subjects[i].prefix,
		    n) == 0 && on[n] != '\0') {
			c->subject = subjects[i].subject;
			c->name = xstrdup(on + n);
			return 0;
		}
		if (!subjects[i].named && strcasecmp(on, subjects[i].prefix) == 0) {
			c->subject = subjects[i].subject;
			return 0;
		}
	}
	return -1;
}

/* Exactly one operator per leaf. */
static int
cond_op_parse(struct cond *c, const config_setting_t *st, struct cond_ctx *cx)
{
	const config_setting_t *v = NULL, *m;
	size_t i;
	int found = 0;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if ((m = config_setting_get_member(st, ops[i].key)) == NULL)
			continue;
		found++;
		v = m;
		c->op = ops[i].op;
	}
	if (found != 1) {
		cond_bad(cx, st, "a condition needs exactly one of is, glob, "
		    "regex, contains, exists");
		return -1;
	}
	if (c->op == OP_EXISTS) {
		if (config_setting_type(v) != CONFIG_TYPE_BOOL) {
			cond_bad(cx, v, "exists takes true or false");
			return -1;
		}
		c->exists = config_setting_get_bool(v);
		return 0;
	}
	if (config_setting_type(v) != CONFIG_TYPE_STRING) {
		cond_bad(cx, v, "%s takes a string", config_setting_name(v));
		return -1;
	}
	c->value = xstrdup(config_setting_get_string(v));
	if (c->op == OP_REGEX) {
		if (regcomp(&c->re, c->value, REG_EXTENDED | REG_ICASE |
		    REG_NOSUB) != 0) {
			cond_bad(cx, v, "invalid regular expression '%s'",
			    c->value);
			return -1;
		}
		c->has_re = 1;
	}
	return 0;
}

static int
cond_known_key(const char *k)
{
	size_t i;

	if (strcmp(k, "on") == 0)
		return 1;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(k, ops[i].key) == 0)
			return 1;
	return 0;
}

static struct cond *
cond_parse_leaf(const config_setting_t *st, struct cond_ctx *cx)
{
	struct cond *c = xcalloc(1, sizeof(*c));
	const char *on;
	int i, n = config_setting_length(st);

	c->type = C_LEAF;
	for (i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(st,
		    (unsigned)i);

		if (!cond_known_key(config_setting_name(m)))
			cond_bad(cx, m, "unknown key '%s' in a condition",
			    config_setting_name(m));
	}
	if (!config_setting_lookup_string(st, "on", &on)) {
		cond_bad(cx, st, "a condition needs 'on' (from, header:NAME, "
		    "envelope:from, connector, body, subject, field:NAME, ...)");
		return c;
	}
	if (cond_subject_parse(c, on) != 0)
		cond_bad(cx, config_setting_get_member(st, "on"),
		    "unknown subject '%s'", on);
	cond_op_parse(c, st, cx);
	return c;
}

static struct cond *
cond_parse_ctx(const config_setting_t *st, struct cond_ctx *cx)
{
	const config_setting_t *m;
	struct cond *c;

	if (!config_setting_is_group(st)) {
		cond_bad(cx, st, "a condition is a block { ... }");
		return NULL;
	}
	if ((m = config_setting_get_member(st, "all")) != NULL)
		return cond_parse_list(m, C_ALL, cx);
	if ((m = config_setting_get_member(st, "any")) != NULL)
		return cond_parse_list(m, C_ANY, cx);
	if ((m = config_setting_get_member(st, "not")) != NULL) {
		c = xcalloc(1, sizeof(*c));
		c->type = C_NOT;
		c->kids = xcalloc(1, sizeof(*c->kids));
		if ((c->kids[0] = cond_parse_ctx(m, cx)) != NULL)
			c->nkids = 1;
		return c;
	}
	return cond_parse_leaf(st, cx);
}

struct cond *
cond_parse(const config_setting_t *st, const char *path,
    void (*report)(void *arg, const char *msg), void *arg)
{
	struct cond_ctx cx = { path, report, arg, 0 };
	struct cond *c = cond_parse_ctx(st, &cx);

	if (cx.bad) {
		cond_free(c);
		return NULL;
	}
	return c;
}

static int
cond_match_value(const struct cond *c, const char *v)
{
	switch (c->op) {
	case OP_IS:
		return strcasecmp(v, c->value) == 0;
	case OP_GLOB:
		return fnmatch(c->value, v, FNM_CASEFOLD) == 0;
	case OP_REGEX:
		return regexec(&c->re, v, 0, NULL, 0) == 0;
	case OP_CONTAINS:
		return strcasestr(v, c->value) != NULL;
	case OP_EXISTS:
		return 1;
	}
	return 0;
}

/* Collect the values of the subject; returns how many. */
static size_t
cond_values(const struct cond *c, const struct cond_input *in,
    const char **v, size_t max)
{
	const struct inquiry *q;
	size_t n = 0, i;

	switch (c->subject) {
	case S_HEADER:
		return in->mail ? mail_headers(in->mail, c->name, v, max) : 0;
	case S_ENVELOPE_FROM:
		v[0] = in->envelope_from;
		return v[0] != NULL;
	case S_ENVELOPE_TO:
		v[0] = in->envelope_to;
		return v[0] != NULL;
	case S_CONNECTOR:
		v[0] = in->connector;
		return v[0] != NULL;
	case S_BODY:
		v[0] = in->mail ? in->mail->text : NULL;
		return v[0] != NULL;
	case S_SUBJECT:
		v[0] = in->mail ? in->mail->subject : NULL;
		return v[0] != NULL;
	case S_IS_REPLY:
		v[0] = in->reply;
		return v[0] != NULL;
	case S_FROM:
		v[0] = in->mail ? in->mail->from_addr : NULL;
		return v[0] != NULL;
	case S_REPLY_TO:
		v[0] = in->mail ? in->mail->reply_to_addr : NULL;
		return v[0] != NULL;
	case S_SENDER:
		v[0] = in->mail ? in->mail->sender_addr : NULL;
		return v[0] != NULL;
	case S_ATTACHMENT_NAME:
	case S_ATTACHMENT_TYPE:
		for (i = 0; in->mail && i < in->mail->nparts && n < max; i++) {
			const struct mail_part *p = &in->mail->parts[i];

			if (!p->attachment)
				continue;
			v[n] = c->subject == S_ATTACHMENT_NAME ? p->filename :
			    p->content_type;
			if (v[n] != NULL)
				n++;
		}
		return n;
	case S_FIELD:
		if (in->extracted == NULL ||
		    (q = in->extracted(in->arg, in->extractor)) == NULL)
			return 0;
		if (strcmp(c->name, "phones") == 0) {
			for (i = 0; i < q->nphones && n < max; i++)
				v[n++] = q->phones[i];
			return n;
		}
		v[0] = inquiry_get(q, c->name);
		return v[0] != NULL;
	}
	return 0;
}

int
cond_eval(const struct cond *c, const struct cond_input *in)
{
	const char *v[COND_MAX_VALUES];
	size_t i, n;

	if (c == NULL)
		return 1;
	switch (c->type) {
	case C_ALL:
		for (i = 0; i < c->nkids; i++)
			if (!cond_eval(c->kids[i], in))
				return 0;
		return 1;
	case C_ANY:
		for (i = 0; i < c->nkids; i++)
			if (cond_eval(c->kids[i], in))
				return 1;
		return 0;
	case C_NOT:
		return c->nkids == 1 && !cond_eval(c->kids[0], in);
	case C_LEAF:
		break;
	}
	n = cond_values(c, in, v, COND_MAX_VALUES);
	if (c->op == OP_EXISTS)
		return (n > 0) == c->exists;
	for (i = 0; i < n; i++)
		if (cond_match_value(c, v[i]))
			return 1;
	return 0;
}

int
cond_uses_fields(const struct cond *c)
{
	size_t i;

	if (c == NULL)
		return 0;
	if (c->type == C_LEAF)
		return c->subject == S_FIELD;
	for (i = 0; i < c->nkids; i++)
		if (cond_uses_fields(c->kids[i]))
			return 1;
	return 0;
}
