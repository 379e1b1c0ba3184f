/*
 * The filter language: a recursive-descent parser producing a small AST
 * (see filter.h). Phase names are resolved here, against the pipelines,
 * so that every backend sees plain (pipeline, number) comparisons.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/clock.h"
#include "core/filter.h"
#include "core/pipeline.h"
#include "util/fold.h"
#include "util/xmalloc.h"

#define FILTER_MAX_DEPTH 64
#define FILTER_MAX_LEN 4096

/* The fields, with their aliases. Lead fields look at the contact's leads. */
static const struct filter_field fields[] = {
	{ "contact", FF_CONTACT_ID, FV_INT, 0, NULL },
	{ "contact.id", FF_CONTACT_ID, FV_INT, 0, NULL },
	{ "type", FF_TYPE, FV_ENUM, 0, "person|company" },
	{ "kind", FF_KIND, FV_ENUM, 0, "lead|client|partner" },
	{ "first_name", FF_FIRST_NAME, FV_TEXT, 0, NULL },
	{ "last_name", FF_LAST_NAME, FV_TEXT, 0, NULL },
	{ "company", FF_COMPANY, FV_TEXT, 0, NULL },
	{ "email", FF_EMAIL, FV_TEXT, 0, NULL },
	{ "phone", FF_PHONE, FV_TEXT, 0, NULL },
	{ "language", FF_LANGUAGE, FV_TEXT, 0, NULL },
	{ "city", FF_CITY, FV_TEXT, 0, NULL },
	{ "postcode", FF_POSTCODE, FV_TEXT, 0, NULL },
	{ "prospect_state", FF_PROSPECT_STATE, FV_ENUM, 0, "none|current|lost" },
	{ "client_state", FF_CLIENT_STATE, FV_ENUM, 0, "none|current|former" },
	{ "opt_out", FF_OPT_OUT, FV_BOOL, 0, NULL },
	{ "invalid_address", FF_INVALID_ADDRESS, FV_BOOL, 0, NULL },
	{ "contact.created_at", FF_CONTACT_CREATED, FV_DATE, 0, NULL },
	{ "lead", FF_LEAD_ID, FV_INT, 1, NULL },
	{ "lead.id", FF_LEAD_ID, FV_INT, 1, NULL },
	{ "pipeline", FF_PIPELINE, FV_TEXT, 1, NULL },
	{ "phase", FF_PHASE_NO, FV_INT, 1, NULL },
	{ "status", FF_STATUS, FV_ENUM, 1, "open|won|lost" },
	{ "source", FF_SOURCE, FV_TEXT, 1, NULL },
	{ "object", FF_OBJECT, FV_TEXT, 1, NULL },
	{ "object_ref", FF_OBJECT, FV_TEXT, 1, NULL },
	{ "portal_object", FF_PORTAL_OBJECT, FV_TEXT, 1, NULL },
	{ "portal_object_ref", FF_PORTAL_OBJECT, FV_TEXT, 1, NULL },
	{ "portal", FF_PORTAL, FV_TEXT, 1, NULL },
	{ "portal_ref", FF_PORTAL_REF, FV_TEXT, 1, NULL },
	{ "connector", FF_CONNECTOR, FV_TEXT, 1, NULL },
	{ "created_at", FF_LEAD_CREATED, FV_DATE, 1, NULL },
	{ "lead.created_at", FF_LEAD_CREATED, FV_DATE, 1, NULL },
	{ "updated_at", FF_LEAD_UPDATED, FV_DATE, 1, NULL },
	{ "lead.updated_at", FF_LEAD_UPDATED, FV_DATE, 1, NULL },
	/* custom fields: the prefix is matched, the rest is the key */
	{ "contact.custom.", FF_CONTACT_CUSTOM, FV_TEXT, 0, NULL },
	{ "lead.custom.", FF_LEAD_CUSTOM, FV_TEXT, 1, NULL },
	{ "custom.", FF_ANY_CUSTOM, FV_TEXT, 1, NULL },
	/* the lead's object (leadgate objects) */
	{ "object.ref", FF_OBJ_REF, FV_TEXT, 1, NULL },
	{ "object.title", FF_OBJ_TITLE, FV_TEXT, 1, NULL },
	{ "object.kind", FF_OBJ_KIND, FV_ENUM, 1, "sale|rent" },
	{ "object.type", FF_OBJ_TYPE, FV_TEXT, 1, NULL },
	{ "object.price", FF_OBJ_PRICE, FV_NUM, 1, NULL },
	{ "object.rooms", FF_OBJ_ROOMS, FV_NUM, 1, NULL },
	{ "object.area", FF_OBJ_AREA, FV_NUM, 1, NULL },
	{ "object.postcode", FF_OBJ_POSTCODE, FV_TEXT, 1, NULL },
	{ "object.city", FF_OBJ_CITY, FV_TEXT, 1, NULL },
	{ "object.state", FF_OBJ_STATE, FV_ENUM, 1,
	    "available|reserved|sold|withdrawn" },
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

enum tok_type {
	T_END,
	T_LPAREN,
	T_RPAREN,
	T_COMMA,
	T_OP,
	T_WORD,		/* bare word: field, keyword or value */
	T_STRING,	/* quoted value */
};

struct tok {
	enum tok_type type;
	enum filter_cmp op;
	char *text;
	size_t pos;	/* byte offset, for the column in errors */
};

struct parser {
	const char *src;
	size_t pos;
	struct tok tok;
	const struct pipelines *pl;
	struct err *e;
	int depth;
};

static struct filter_node *parse_or(struct parser *p);

const struct filter_field *
filter_field_info(enum filter_field_id id)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (fields[i].id == id)
			return &fields[i];
	return NULL;
}

/* The column people count: characters, not bytes. */
static int
filter_column(const char *src, size_t pos)
{
	int col = 1;
	size_t i;

	for (i = 0; i < pos && src[i]; i++)
		if (((unsigned char)src[i] & 0xc0) != 0x80)
			col++;
	return col;
}

static struct filter_node *parse_error(struct parser *p, size_t pos,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static struct filter_node *
parse_error(struct parser *p, size_t pos, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (p->e && p->e->code != LG_OK)
		return NULL;		/* keep the first error */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_set(p->e, LG_EPERM, "filter:1:%d: %s", filter_column(p->src, pos),
	    msg);
	return NULL;
}

static int
is_word_char(unsigned char c)
{
	return isalnum(c) || c >= 0x80 || strchr("_.@+-:*?/[]'#%", c) != NULL;
}

static int
lex_string(struct parser *p, char quote)
{
	struct buf b = BUF_INIT;
	const char *s = p->src;
	size_t start = p->pos;

	p->pos++;
	while (s[p->pos] && s[p->pos] != quote) {
		if (s[p->pos] == '\\' && s[p->pos + 1])
			p->pos++;
		buf_addc(&b, s[p->pos++]);
	}
	if (s[p->pos] != quote) {
		buf_free(&b);
		parse_error(p, start, "unterminated string");
		return -1;
	}
	p->pos++;
	p->tok.type = T_STRING;
	p->tok.text = buf_detach(&b);
	return 0;
}

static const struct {
	const char *text;
	enum filter_cmp op;
} ops[] = {
	{ "!=", FC_NE }, { "<=", FC_LE }, { ">=", FC_GE }, { "=", FC_EQ },
	{ "<", FC_LT }, { ">", FC_GT }, { "~", FC_GLOB },
};

static int
lex_op(struct parser *p)
{
	size_t i, n;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		n = strlen(ops[i].text);
		if (strncmp(p->src + p->pos, ops[i].text, n) == 0) {
			p->tok.type = T_OP;
			p->tok.op = ops[i].op;
			p->tok.text = xstrdup(ops[i].text);
			p->pos += n;
			return 0;
		}
	}
	return -1;
}

static int
lex(struct parser *p)
{
	const char *s = p->src;
	size_t start;

	free(p->tok.text);
	p->tok.text = NULL;
	while (isspace((unsigned char)s[p->pos]))
		p->pos++;
	p->tok.pos = p->pos;
	switch (s[p->pos]) {
	case '\0':
		p->tok.type = T_END;
		return 0;
	case '(':
	case ')':
	case ',':
		p->tok.type = s[p->pos] == '(' ? T_LPAREN :
		    s[p->pos] == ')' ? T_RPAREN : T_COMMA;
		p->tok.text = xstrndup(s + p->pos, 1);
		p->pos++;
		return 0;
	case '"':
	case '\'':
		return lex_string(p, s[p->pos]);
	}
	if (lex_op(p) == 0)
		return 0;
	if (!is_word_char((unsigned char)s[p->pos])) {
		char bad[2] = { s[p->pos], '\0' };

		parse_error(p, p->pos, "unexpected character '%s'", bad);
		return -1;
	}
	start = p->pos;
	while (s[p->pos] && is_word_char((unsigned char)s[p->pos]))
		p->pos++;
	p->tok.type = T_WORD;
	p->tok.text = xstrndup(s + start, p->pos - start);
	return 0;
}

static int
tok_is_kw(const struct parser *p, const char *kw)
{
	return p->tok.type == T_WORD && strcasecmp(p->tok.text, kw) == 0;
}

static struct filter_node *
node_new(enum filter_node_type type)
{
	struct filter_node *n = xcalloc(1, sizeof(*n));

	n->type = type;
	return n;
}

static void
node_free(struct filter_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	node_free(n->a);
	node_free(n->b);
	for (i = 0; i < n->nvalues; i++)
		free(n->values[i].text);
	free(n->values);
	free(n->custom_key);
	free(n);
}

static struct filter_node *
node_pair(enum filter_node_type type, struct filter_node *a,
    struct filter_node *b)
{
	struct filter_node *n;

	if (a == NULL)
		return b;
	n = node_new(type);
	n->a = a;
	n->b = b;
	return n;
}

static const struct filter_field *
lookup_field(const char *name, const char **custom_key)
{
	size_t i, n;

	*custom_key = NULL;
	for (i = 0; i < NFIELDS; i++) {
		n = strlen(fields[i].name);
		if (fields[i].name[n - 1] == '.') {
			if (strncasecmp(name, fields[i].name, n) == 0 &&
			    name[n] != '\0') {
				*custom_key = name + n;
				return &fields[i];
			}
		} else if (strcasecmp(name, fields[i].name) == 0) {
			return &fields[i];
		}
	}
	return NULL;
}

static int
enum_has(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *c = choices;

	for (; c; c = strchr(c, '|') ? strchr(c, '|') + 1 : NULL)
		if (strncasecmp(c, v, n) == 0 && (c[n] == '|' || c[n] == '\0'))
			return 1;
	return 0;
}

/* "-7d", "-12h", "-30m": relative to now. */
static int
relative_date(const char *s, char *out, size_t outlen)
{
	char *end;
	long v;
	long unit;

	if (s[0] != '-' || !isdigit((unsigned char)s[1]))
		return -1;
	v = strtol(s + 1, &end, 10);
	if (end[0] == '\0' || end[1] != '\0' || v > 100000)
		return -1;
	unit = end[0] == 'd' ? 86400 : end[0] == 'h' ? 3600 :
	    end[0] == 'm' ? 60 : 0;
	if (unit == 0)
		return -1;
	clock_iso(clock_now() - v * unit, out, outlen);
	return 0;
}

static int
check_value(struct parser *p, const struct filter_field *f,
    enum filter_cmp op, struct filter_value *v, size_t pos)
{
	char iso[CLOCK_ISOLEN];
	time_t t;
	char *end;

	if (op == FC_GLOB && (f->type == FV_INT || f->type == FV_BOOL ||
	    f->type == FV_DATE || f->type == FV_NUM) && f->id != FF_PHASE_NO)
		return parse_error(p, pos, "'~' needs a text field"), -1;
	switch (f->type) {
	case FV_INT:
		v->num = strtoll(v->text, &end, 10);
		if (*v->text == '\0' || *end != '\0')
			return parse_error(p, pos, "expected a number, not '%s'",
			    v->text), -1;
		return 0;
	case FV_NUM:
		(void)strtod(v->text, &end);
		if (*v->text == '\0' || *end != '\0')
			return parse_error(p, pos, "expected a number, not '%s'",
			    v->text), -1;
		return 0;
	case FV_BOOL:
		if (enum_has("true|yes|1", v->text))
			v->num = 1;
		else if (enum_has("false|no|0", v->text))
			v->num = 0;
		else
			return parse_error(p, pos, "expected true or false, not "
			    "'%s'", v->text), -1;
		return 0;
	case FV_ENUM:
		if (op != FC_GLOB && !enum_has(f->choices, v->text))
			return parse_error(p, pos, "'%s' is not one of %s",
			    v->text, f->choices), -1;
		for (end = v->text; *end; end++)
			*end = (char)tolower((unsigned char)*end);
		return 0;
	case FV_DATE:
		if (relative_date(v->text, iso, sizeof(iso)) == 0) {
			xstrset(&v->text, iso);
			return 0;
		}
		if (clock_parse_iso(v->text, &t) != 0)
			return parse_error(p, pos, "expected a date (YYYY-MM-DD, "
			    "an ISO time or -7d), not '%s'", v->text), -1;
		return 0;
	case FV_TEXT:
		if (f->type == FV_TEXT && v->text[0] != '\0') {
			(void)strtod(v->text, &end);
			v->numeric = *end == '\0' && strspn(v->text,
			    "0123456789.+-eE") == strlen(v->text);
		}
		if (f->id == FF_EMAIL)
			for (end = v->text; *end; end++)
				*end = (char)tolower((unsigned char)*end);
		return 0;
	}
	return 0;
}

static struct filter_node *
cmp_node(const struct filter_field *f, const char *key, enum filter_cmp op,
    const char *text, long long num)
{
	struct filter_node *n = node_new(FN_CMP);

	n->field = f->id;
	n->custom_key = xstrdup(key);
	n->cmp = op;
	n->values = xcalloc(1, sizeof(*n->values));
	n->values[0].text = xstrdup(text);
	n->values[0].num = num;
	n->nvalues = 1;
	return n;
}

static struct filter_node *
not_node(struct filter_node *a)
{
	struct filter_node *n = node_new(FN_NOT);

	n->a = a;
	return n;
}

/*
 * A phase given by name (or glob) becomes, for every pipeline that has
 * such a phase, (pipeline = P and phase OP N).
 */
static struct filter_node *
phase_by_name(struct parser *p, enum filter_cmp op, const char *name,
    size_t pos)
{
	const struct filter_field *fp = filter_field_info(FF_PIPELINE);
	const struct filter_field *fn = filter_field_info(FF_PHASE_NO);
	struct filter_node *res = NULL, *one;
	enum filter_cmp want = op == FC_NE ? FC_EQ : op;
	char num[16];
	size_t i, j;

	for (i = 0; p->pl && i < p->pl->n; i++) {
		const struct pipeline *pl = &p->pl->v[i];

		for (j = 0; j < pl->nphases; j++) {
			const struct phase *ph = &pl->phases[j];

			if (op == FC_GLOB ? fnmatch(name, ph->name,
			    FNM_CASEFOLD) != 0 : !fold_bare_eq(name, ph->name))
				continue;
			snprintf(num, sizeof(num), "%d", ph->no);
			one = node_pair(FN_AND, cmp_node(fp, NULL, FC_EQ,
			    pl->name, 0), cmp_node(fn, NULL, op == FC_GLOB ?
			    FC_EQ : want, num, ph->no));
			res = node_pair(FN_OR, res, one);
		}
	}
	if (res == NULL)
		return parse_error(p, pos, "unknown phase '%s'", name);
	if (op == FC_NE)
		res = not_node(res);
	return res;
}

static int
is_number(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static struct filter_node *
parse_value_cmp(struct parser *p, const struct filter_field *f,
    const char *key, enum filter_cmp op)
{
	struct filter_value v = { NULL, 0, 0 };
	struct filter_node *n;
	size_t pos = p->tok.pos;

	if (p->tok.type != T_WORD && p->tok.type != T_STRING)
		return parse_error(p, pos, "expected a value after the "
		    "operator");
	if (f->id == FF_PHASE_NO && (op == FC_GLOB || !is_number(p->tok.text))) {
		n = phase_by_name(p, op, p->tok.text, pos);
		if (n != NULL && lex(p) != 0) {
			node_free(n);
			return NULL;
		}
		return n;
	}
	v.text = xstrdup(p->tok.text);
	if (check_value(p, f, op, &v, pos) != 0) {
		free(v.text);
		return NULL;
	}
	n = cmp_node(f, key, op, v.text, v.num);
	n->values[0].numeric = v.numeric;
	free(v.text);
	if (lex(p) != 0) {
		node_free(n);
		return NULL;
	}
	return n;
}

/* FIELD [not] in ( V, V, ... ): an OR of equalities, negated for "not in". */
static struct filter_node *
parse_in(struct parser *p, const struct filter_field *f, const char *key,
    int negate)
{
	struct filter_node *res = NULL, *one;

	if (lex(p) != 0)
		return NULL;
	if (p->tok.type != T_LPAREN)
		return parse_error(p, p->tok.pos, "expected '(' after 'in'");
	do {
		if (lex(p) != 0 || (one = parse_value_cmp(p, f, key,
		    FC_EQ)) == NULL) {
			node_free(res);
			return NULL;
		}
		res = node_pair(FN_OR, res, one);
	} while (p->tok.type == T_COMMA);
	if (p->tok.type != T_RPAREN) {
		node_free(res);
		return parse_error(p, p->tok.pos, "expected ',' or ')' in the "
		    "list");
	}
	if (lex(p) != 0) {
		node_free(res);
		return NULL;
	}
	return negate ? not_node(res) : res;
}

static struct filter_node *
parse_comparison(struct parser *p)
{
	const struct filter_field *f;
	const char *key;
	struct filter_node *n;
	char *name;
	size_t pos = p->tok.pos;
	enum filter_cmp op;

	if (p->tok.type == T_END)
		return parse_error(p, pos, "expected a field name at the end");
	if (p->tok.type != T_WORD)
		return parse_error(p, pos, "expected a field name, not '%s'",
		    p->tok.text);
	if ((f = lookup_field(p->tok.text, &key)) == NULL)
		return parse_error(p, pos, "unknown field '%s'", p->tok.text);
	name = xstrdup(key);
	if (lex(p) != 0) {
		free(name);
		return NULL;
	}
	if (tok_is_kw(p, "in") || tok_is_kw(p, "not")) {
		int negate = tok_is_kw(p, "not");

		if (negate && (lex(p) != 0 || !tok_is_kw(p, "in"))) {
			free(name);
			return parse_error(p, p->tok.pos, "expected 'in' after "
			    "'not'");
		}
		n = parse_in(p, f, name, negate);
		free(name);
		return n;
	}
	if (p->tok.type != T_OP) {
		free(name);
		return parse_error(p, p->tok.pos, "expected an operator (= != "
		    "< > <= >= ~ in) after the field");
	}
	op = p->tok.op;
	if (lex(p) != 0) {
		free(name);
		return NULL;
	}
	n = parse_value_cmp(p, f, name, op);
	free(name);
	return n;
}

static struct filter_node *
parse_factor(struct parser *p)
{
	struct filter_node *n;

	if (++p->depth > FILTER_MAX_DEPTH)
		return parse_error(p, p->tok.pos, "expression nested too "
		    "deeply");
	if (tok_is_kw(p, "not")) {
		if (lex(p) != 0 || (n = parse_factor(p)) == NULL)
			return NULL;
		n = not_node(n);
	} else if (p->tok.type == T_LPAREN) {
		size_t open = p->tok.pos;

		if (lex(p) != 0 || (n = parse_or(p)) == NULL)
			return NULL;
		if (p->tok.type != T_RPAREN) {
			node_free(n);
			return parse_error(p, p->tok.type == T_END ? open :
			    p->tok.pos, "missing ')'");
		}
		if (lex(p) != 0) {
			node_free(n);
			return NULL;
		}
	} else {
		n = parse_comparison(p);
	}
	p->depth--;
	return n;
}

static struct filter_node *
parse_binary(struct parser *p, const char *kw, enum filter_node_type type,
    struct filter_node *(*sub)(struct parser *))
{
	struct filter_node *n, *r;

	if ((n = sub(p)) == NULL)
		return NULL;
	while (tok_is_kw(p, kw)) {
		if (lex(p) != 0 || (r = sub(p)) == NULL) {
			node_free(n);
			return NULL;
		}
		n = node_pair(type, n, r);
	}
	return n;
}

static struct filter_node *
parse_and(struct parser *p)
{
	return parse_binary(p, "and", FN_AND, parse_factor);
}

static struct filter_node *
parse_or(struct parser *p)
{
	return parse_binary(p, "or", FN_OR, parse_and);
}

int
filter_parse(const char *text, const struct pipelines *pl,
    struct filter **out, struct err *e)
{
	struct parser p;
	struct filter_node *root = NULL;
	struct err local;
	const char *s = text;

	err_clear(&local);
	memset(&p, 0, sizeof(p));
	p.src = text;
	p.pl = pl;
	p.e = e ? e : &local;
	err_clear(p.e);
	if (strlen(text) > FILTER_MAX_LEN)
		return err_set(e, LG_EPERM, "filter: longer than %d bytes",
		    FILTER_MAX_LEN);
	while (isspace((unsigned char)*s))
		s++;
	if (*s != '\0') {
		if (lex(&p) != 0 || (root = parse_or(&p)) == NULL) {
			free(p.tok.text);
			return p.e->code ? p.e->code : LG_EPERM;
		}
		if (p.tok.type != T_END) {
			parse_error(&p, p.tok.pos, "unexpected '%s' (expected "
			    "'and', 'or' or the end)", p.tok.text);
			free(p.tok.text);
			node_free(root);
			return LG_EPERM;
		}
	}
	free(p.tok.text);
	*out = xcalloc(1, sizeof(**out));
	(*out)->text = xstrdup(text);
	(*out)->root = root;
	return LG_OK;
}

void
filter_free(struct filter *f)
{
	if (f == NULL)
		return;
	node_free(f->root);
	free(f->text);
	free(f);
}

static int
node_uses_leads(const struct filter_node *n)
{
	const struct filter_field *f;

	if (n == NULL)
		return 0;
	if (n->type == FN_CMP) {
		f = filter_field_info(n->field);
		return f && f->is_lead;
	}
	return node_uses_leads(n->a) || node_uses_leads(n->b);
}

int
filter_uses_leads(const struct filter *f)
{
	return f && node_uses_leads(f->root);
}

static const char *
vtype_name(enum filter_vtype t)
{
	switch (t) {
	case FV_TEXT: return "text";
	case FV_INT: return "number";
	case FV_DATE: return "date";
	case FV_BOOL: return "true|false";
	case FV_ENUM: return "one of ";
	case FV_NUM: return "number";
	}
	return "?";
}

void
filter_help(FILE *out)
{
	size_t i;

	fprintf(out, "Filter fields (operators = != < > <= >= ~ in, "
	    "combined with and, or, not, parentheses):\n");
	for (i = 0; i < NFIELDS; i++)
		fprintf(out, "  %-20s %s %s%s\n", fields[i].name,
		    fields[i].is_lead ? "lead   " : "contact",
		    vtype_name(fields[i].type),
		    fields[i].choices ? fields[i].choices : "");
	fprintf(out, "  phase is a number or a phase name (case and accents "
	    "do not matter); dates are\n  YYYY-MM-DD, an ISO time or "
	    "-7d/-12h; custom fields compare as numbers with\n  < > <= >= "
	    "and a number.\n");
}
