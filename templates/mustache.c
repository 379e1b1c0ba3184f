/*
 * The Mustache engine: a parser that turns the text into a tree (the
 * standalone-line rules and delimiter changes are settled while parsing,
 * so rendering is a plain walk) and a renderer over a stack of JSON
 * contexts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"
#include "templates/mustache.h"

#define MUSTACHE_MAX_NEST 64	/* sections inside sections, per template */
#define MUSTACHE_MAX_DELIM 16	/* bytes in a delimiter */
#define NPOS ((size_t)-1)

enum mnode_type {
	MN_TEXT,
	MN_VAR,		/* {{x}}: escaped as the options say */
	MN_RAW,		/* {{{x}}} and {{&x}}: never escaped */
	MN_SECTION,
	MN_INVERTED,
	MN_PARTIAL,
};

struct mnode;

struct mlist {
	struct mnode **v;
	size_t n, cap;
};

struct mnode {
	enum mnode_type type;
	char *s;		/* the text, or the tag's name */
	size_t len;
	char *indent;		/* a partial alone on its line: the indentation */
	struct mlist kids;	/* sections */
	int line, col;		/* of the tag, for messages */
};

struct mustache {
	char *origin;
	struct mlist root;
};

/* What a tag's first character makes of it. */
enum mtag {
	T_VAR,
	T_RAW,
	T_SECTION,
	T_INVERTED,
	T_CLOSE,
	T_COMMENT,
	T_PARTIAL,
	T_DELIM,
};

static const struct msigil {
	char c;
	enum mtag tag;
	char closer;		/* expected just before the closing delimiter */
	int standalone;		/* may take a line of its own (and remove it) */
} msigils[] = {
	{ '#', T_SECTION, 0, 1 },
	{ '^', T_INVERTED, 0, 1 },
	{ '/', T_CLOSE, 0, 1 },
	{ '!', T_COMMENT, 0, 1 },
	{ '>', T_PARTIAL, 0, 1 },
	{ '=', T_DELIM, '=', 1 },
	{ '&', T_RAW, 0, 0 },
	{ '{', T_RAW, '}', 0 },
};

static const struct msigil msigil_var = { '\0', T_VAR, 0, 0 };

struct mparse {
	const char *src;
	size_t len;
	const char *origin;
	char otag[MUSTACHE_MAX_DELIM + 1];
	char ctag[MUSTACHE_MAX_DELIM + 2];	/* room for a closer in front */
	size_t olen, clen;
	struct mnode *open[MUSTACHE_MAX_NEST];	/* innermost last */
	size_t nopen;
	size_t seen_off;	/* line counting resumes from here */
	int seen_line;
	size_t seen_ls;		/* start of that line */
	int first_line;		/* where the text starts in its file */
	int first_col;
	struct err *e;
};

/* The parsed text of a partial, per name and indentation. */
struct mcache {
	char *name;
	char *indent;
	struct mustache *m;	/* NULL: the partial does not exist */
};

struct mustache_partials {
	struct mcache *v;
	size_t n;
};

struct mrender {
	const struct mustache_opts *o;
	struct buf *out;
	json_t **stack;		/* borrowed contexts, innermost last */
	size_t sp, cap;
	int depth;		/* partials being rendered */
	const char *origin;	/* of the template being walked */
	struct mustache_partials *cache;	/* kept, or this rendering's */
	struct err *e;
};

static const char *const html_entities[256] = {
	['&'] = "&amp;",
	['<'] = "&lt;",
	['>'] = "&gt;",
	['"'] = "&quot;",
	['\''] = "&#39;",
};

static int mr_list(struct mrender *, const struct mlist *);

void
mustache_escape_html(struct buf *out, const char *s, size_t len)
{
	size_t i, from = 0;

	for (i = 0; i < len; i++) {
		const char *ent = html_entities[(unsigned char)s[i]];

		if (ent == NULL)
			continue;
		buf_add(out, s + from, i - from);
		buf_adds(out, ent);
		from = i + 1;
	}
	buf_add(out, s + from, len - from);
}

static void
mlist_add(struct mlist *l, struct mnode *n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = n;
}

static void
mlist_clear(struct mlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		mlist_clear(&l->v[i]->kids);
		free(l->v[i]->s);
		free(l->v[i]->indent);
		free(l->v[i]);
	}
	free(l->v);
}

static void
mp_partials_clear(struct mustache_partials *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].indent);
		mustache_free(p->v[i].m);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

struct mustache_partials *
mustache_partials_new(void)
{
	return xcalloc(1, sizeof(struct mustache_partials));
}

void
mustache_partials_free(struct mustache_partials *p)
{
	if (p == NULL)
		return;
	mp_partials_clear(p);
	free(p);
}

void
mustache_free(struct mustache *m)
{
	if (m == NULL)
		return;
	mlist_clear(&m->root);
	free(m->origin);
	free(m);
}

/* Line and column (in characters, not bytes) of offset off. */
static void
mp_where(struct mparse *p, size_t off, int *line, int *col)
{
	size_t i;

	if (off < p->seen_off) {
		p->seen_off = p->seen_ls = 0;
		p->seen_line = p->first_line;
	}
	for (i = p->seen_off; i < off && i < p->len; i++)
		if (p->src[i] == '\n') {
			p->seen_line++;
			p->seen_ls = i + 1;
		}
	p->seen_off = i;
	*line = p->seen_line;
	*col = p->seen_ls == 0 ? p->first_col : 1;
	for (i = p->seen_ls; i < off && i < p->len; i++)
		if (((unsigned char)p->src[i] & 0xc0) != 0x80)
			(*col)++;
}

static int
mp_fail(struct mparse *p, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
mp_fail(struct mparse *p, size_t off, const char *fmt, ...)
{
	char why[ERR_MSGLEN];
	va_list ap;
	int line, col;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	mp_where(p, off, &line, &col);
	return err_set(p->e, LG_EPERM, "%s:%d:%d: %s", p->origin, line, col,
	    why);
}

static size_t
mp_find(const struct mparse *p, size_t from, const char *needle, size_t n)
{
	const char *hit;

	if (from > p->len)
		return NPOS;
	hit = memmem(p->src + from, p->len - from, needle, n);
	return hit ? (size_t)(hit - p->src) : NPOS;
}

static struct mlist *
mp_list(struct mparse *p, struct mustache *m)
{
	return p->nopen ? &p->open[p->nopen - 1]->kids : &m->root;
}

static struct mnode *
mp_node(struct mparse *p, struct mustache *m, enum mnode_type type,
    const char *s, size_t len, size_t off)
{
	struct mnode *n = xcalloc(1, sizeof(*n));

	n->type = type;
	n->s = xstrndup(s, len);
	n->len = len;
	mp_where(p, off, &n->line, &n->col);
	mlist_add(mp_list(p, m), n);
	return n;
}

static void
mp_text(struct mparse *p, struct mustache *m, size_t from, size_t to)
{
	if (to > from)
		mp_node(p, m, MN_TEXT, p->src + from, to - from, from);
}

static int
mp_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trim s[*len] in place; 0 when what is left is empty or has a blank. */
static int
mp_name(const char **s, size_t *len)
{
	size_t i;

	while (*len && mp_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && mp_space((*s)[*len - 1]))
		(*len)--;
	for (i = 0; i < *len; i++)
		if (mp_space((*s)[i]))
			return 0;
	return *len > 0;
}

/*
 * A tag from t to end is standalone when only blanks share its line: the
 * line (with its newline) then vanishes from the output. *ls is where the
 * line starts, *after where the next one does.
 */
static int
mp_standalone(const struct mparse *p, size_t t, size_t end, size_t *ls,
    size_t *after)
{
	size_t i = t, j = end;

	while (i > 0 && (p->src[i - 1] == ' ' || p->src[i - 1] == '\t'))
		i--;
	if (i > 0 && p->src[i - 1] != '\n')
		return 0;
	while (j < p->len && (p->src[j] == ' ' || p->src[j] == '\t'))
		j++;
	if (j + 1 < p->len && p->src[j] == '\r' && p->src[j + 1] == '\n')
		j += 2;
	else if (j < p->len && p->src[j] == '\n')
		j++;
	else if (j < p->len)
		return 0;
	*ls = i;
	*after = j;
	return 1;
}

static const char *
mp_skip_space(const char *s, const char *end)
{
	while (s < end && mp_space(*s))
		s++;
	return s;
}

static size_t
mp_word(const char *s, const char *end)
{
	const char *w = s;

	while (w < end && !mp_space(*w))
		w++;
	return (size_t)(w - s);
}

/* {{=OPEN CLOSE=}}: s[len] is what stands between the two '='. */
static int
mp_delims(struct mparse *p, size_t t, const char *s, size_t len)
{
	const char *end = s + len, *o, *c;
	size_t olen, clen;

	o = mp_skip_space(s, end);
	olen = mp_word(o, end);
	c = mp_skip_space(o + olen, end);
	clen = mp_word(c, end);
	if (olen == 0 || clen == 0 || mp_skip_space(c + clen, end) != end)
		return mp_fail(p, t, "bad delimiters: want {{=OPEN CLOSE=}}");
	if (olen > MUSTACHE_MAX_DELIM || clen > MUSTACHE_MAX_DELIM ||
	    memchr(o, '=', olen) || memchr(c, '=', clen))
		return mp_fail(p, t, "bad delimiters: at most %d characters "
		    "each, no '='", MUSTACHE_MAX_DELIM);
	memcpy(p->otag, o, olen);
	p->otag[olen] = '\0';
	p->olen = olen;
	memcpy(p->ctag, c, clen);
	p->ctag[clen] = '\0';
	p->clen = clen;
	return LG_OK;
}

static const struct msigil *
mp_sigil(char c)
{
	size_t i;

	for (i = 0; i < sizeof(msigils) / sizeof(msigils[0]); i++)
		if (msigils[i].c == c)
			return &msigils[i];
	return &msigil_var;
}

/* Act on a tag whose trimmed name is s[len], opened at offset t. */
static int
mp_act(struct mparse *p, struct mustache *m, const struct msigil *sg,
    size_t t, const char *s, size_t len, const char *indent, size_t ilen)
{
	struct mnode *n, *top;

	if (sg->tag == T_COMMENT)
		return LG_OK;
	if (sg->tag == T_DELIM)
		return mp_delims(p, t, s, len);
	if (!mp_name(&s, &len))
		return mp_fail(p, t, "a tag needs a name without blanks");
	switch (sg->tag) {
	case T_VAR:
	case T_RAW:
		mp_node(p, m, sg->tag == T_VAR ? MN_VAR : MN_RAW, s, len, t);
		return LG_OK;
	case T_PARTIAL:
		n = mp_node(p, m, MN_PARTIAL, s, len, t);
		n->indent = indent ? xstrndup(indent, ilen) : NULL;
		return LG_OK;
	case T_SECTION:
	case T_INVERTED:
		if (p->nopen == MUSTACHE_MAX_NEST)
			return mp_fail(p, t, "sections nested deeper than %d",
			    MUSTACHE_MAX_NEST);
		n = mp_node(p, m, sg->tag == T_SECTION ? MN_SECTION :
		    MN_INVERTED, s, len, t);
		p->open[p->nopen++] = n;
		return LG_OK;
	default:
		break;
	}
	if (p->nopen == 0)
		return mp_fail(p, t, "{{/%.*s}} closes no open section",
		    (int)len, s);
	top = p->open[p->nopen - 1];
	if (top->len != len || memcmp(top->s, s, len) != 0)
		return mp_fail(p, t, "{{/%.*s}} where section '%s' (opened at "
		    "%d:%d) must close", (int)len, s, top->s, top->line,
		    top->col);
	p->nopen--;
	return LG_OK;
}

/* One tag at offset t; text since from goes before it. *next: resume. */
static int
mp_tag(struct mparse *p, struct mustache *m, size_t t, size_t from,
    size_t *next)
{
	const struct msigil *sg;
	char closer[MUSTACHE_MAX_DELIM + 2];
	size_t in = t + p->olen, cl, end, ls = 0, after = 0, clen = p->clen;
	int alone;

	sg = mp_sigil(in < p->len ? p->src[in] : '\0');
	if (sg->c)
		in++;
	if (sg->closer) {
		closer[0] = sg->closer;
		memcpy(closer + 1, p->ctag, p->clen + 1);
		clen++;
	} else {
		memcpy(closer, p->ctag, p->clen + 1);
	}
	if ((cl = mp_find(p, in, closer, clen)) == NPOS)
		return mp_fail(p, t, "tag opened here is never closed with "
		    "'%s'", closer);
	end = cl + clen;
	alone = sg->standalone && mp_standalone(p, t, end, &ls, &after);
	mp_text(p, m, from, alone ? ls : t);
	*next = alone ? after : end;
	return mp_act(p, m, sg, t, p->src + in, cl - in,
	    alone ? p->src + ls : NULL, t - ls);
}

int
mustache_parse(const char *text, size_t len, const char *origin,
    struct mustache **out, struct err *e)
{
	return mustache_parse_at(text, len, origin, 1, 1, out, e);
}

int
mustache_parse_at(const char *text, size_t len, const char *origin,
    int line, int col, struct mustache **out, struct err *e)
{
	struct mparse p;
	struct mustache *m = xcalloc(1, sizeof(*m));
	size_t pos = 0, from = 0, t;

	memset(&p, 0, sizeof(p));
	p.src = text;
	p.len = len;
	p.origin = origin ? origin : "template";
	p.e = e;
	p.seen_line = p.first_line = line;
	p.first_col = col;
	memcpy(p.otag, "{{", 3);
	memcpy(p.ctag, "}}", 3);
	p.olen = p.clen = 2;
	m->origin = xstrdup(p.origin);
	while ((t = mp_find(&p, pos, p.otag, p.olen)) != NPOS) {
		if (mp_tag(&p, m, t, from, &pos) != LG_OK)
			goto fail;
		from = pos;
	}
	mp_text(&p, m, from, len);
	if (p.nopen) {
		const struct mnode *n = p.open[p.nopen - 1];

		err_set(e, LG_EPERM, "%s:%d:%d: section '%s' is never closed",
		    p.origin, n->line, n->col, n->s);
		goto fail;
	}
	*out = m;
	return LG_OK;
fail:
	mustache_free(m);
	return LG_EPERM;
}

/* Rendering */

static void
mr_push(struct mrender *r, json_t *v)
{
	if (r->sp == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->stack = xreallocarray(r->stack, r->cap, sizeof(*r->stack));
	}
	r->stack[r->sp++] = v;
}

/* The first part of a dotted name up the stack, the rest strictly below. */
static json_t *
mr_lookup(const struct mrender *r, const char *name, size_t len)
{
	const char *dot = memchr(name, '.', len);
	size_t seg = dot ? (size_t)(dot - name) : len, i;
	json_t *v = NULL;

	if (len == 1 && name[0] == '.')
		return r->sp ? r->stack[r->sp - 1] : NULL;
	for (i = r->sp; i-- > 0 && v == NULL; )
		if (json_is_object(r->stack[i]))
			v = json_object_getn(r->stack[i], name, seg);
	while (v != NULL && dot != NULL) {
		len -= seg + 1;
		name = dot + 1;
		dot = memchr(name, '.', len);
		seg = dot ? (size_t)(dot - name) : len;
		v = json_is_object(v) ? json_object_getn(v, name, seg) : NULL;
	}
	return v;
}

static int
mr_truthy(const json_t *v)
{
	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE:
		return 0;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	default:
		return 1;
	}
}

/* The shortest text that reads back as the same double (1.21, not 1.2099…). */
static void
mr_real(struct buf *b, double d)
{
	char tmp[40];
	int prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	buf_adds(b, tmp);
}

static void
mr_scalar(struct buf *b, json_t *v)
{
	char *s;

	switch (json_typeof(v)) {
	case JSON_STRING:
		buf_add(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		mr_real(b, json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		buf_adds(b, json_is_true(v) ? "true" : "false");
		break;
	case JSON_NULL:
		break;
	default:
		/* A list or object where text belongs: show it, do not hide it. */
		if ((s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)) != NULL)
			buf_adds(b, s);
		free(s);
		break;
	}
}

static void
mr_var(struct mrender *r, const struct mnode *n)
{
	json_t *v = mr_lookup(r, n->s, n->len);
	struct buf tmp = BUF_INIT;

	if (v == NULL)
		return;
	if (n->type == MN_RAW || r->o->escape == MUSTACHE_ESCAPE_NONE) {
		mr_scalar(r->out, v);
		return;
	}
	mr_scalar(&tmp, v);
	mustache_escape_html(r->out, buf_str(&tmp), tmp.len);
	buf_free(&tmp);
}

static int
mr_section(struct mrender *r, const struct mnode *n)
{
	json_t *v = mr_lookup(r, n->s, n->len);
	size_t i;
	int rc = LG_OK;

	if (n->type == MN_INVERTED)
		return mr_truthy(v) ? LG_OK : mr_list(r, &n->kids);
	if (!mr_truthy(v))
		return LG_OK;
	if (!json_is_array(v)) {
		mr_push(r, v);
		rc = mr_list(r, &n->kids);
		r->sp--;
		return rc;
	}
	for (i = 0; i < json_array_size(v) && rc == LG_OK; i++) {
		mr_push(r, json_array_get(v, i));
		rc = mr_list(r, &n->kids);
		r->sp--;
	}
	return rc;
}

/* Indent every non-empty line of a partial standing alone on its line. */
static char *
mr_indent(const char *text, size_t len, const char *indent, size_t *outlen)
{
	struct buf b = BUF_INIT;
	size_t i, start = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		if (i > start && !(i == start + 1 && text[start] == '\r'))
			buf_adds(&b, indent);
		buf_add(&b, text + start, i - start + (i < len));
		start = i + 1;
	}
	*outlen = b.len;
	return buf_detach(&b);
}

static int
mr_partial_load(struct mrender *r, const struct mnode *n, struct mustache **m)
{
	char *text = NULL, *origin = NULL, *ind;
	size_t len = 0, ilen;
	int rc;

	*m = NULL;
	if (r->o->partial == NULL)
		return LG_OK;
	rc = r->o->partial(r->o->partial_arg, n->s, &text, &len, &origin,
	    r->e);
	if (rc != LG_OK) {
		free(origin);
		if (rc != LG_ENOENT)
			return rc;
		err_clear(r->e);
		return LG_OK;
	}
	if (n->indent && *n->indent) {
		ind = mr_indent(text, len, n->indent, &ilen);
		free(text);
		text = ind;
		len = ilen;
	}
	rc = mustache_parse(text, len, origin ? origin : n->s, m, r->e);
	free(text);
	free(origin);
	return rc;
}

/* A partial's tree, loaded and parsed once per rendering or per set. */
static int
mr_partial_get(struct mrender *r, const struct mnode *n, struct mustache **m)
{
	const char *ind = n->indent ? n->indent : "";
	struct mcache *c;
	size_t i;
	int rc;

	for (i = 0; i < r->cache->n; i++)
		if (strcmp(r->cache->v[i].name, n->s) == 0 &&
		    strcmp(r->cache->v[i].indent, ind) == 0) {
			*m = r->cache->v[i].m;
			return LG_OK;
		}
	if ((rc = mr_partial_load(r, n, m)) != LG_OK)
		return rc;
	r->cache->v = xreallocarray(r->cache->v, r->cache->n + 1,
	    sizeof(*r->cache->v));
	c = &r->cache->v[r->cache->n++];
	c->name = xstrdup(n->s);
	c->indent = xstrdup(ind);
	c->m = *m;
	return LG_OK;
}

static int
mr_partial(struct mrender *r, const struct mnode *n)
{
	struct mustache *pm;
	const char *origin = r->origin;
	int rc;

	if (r->depth >= MUSTACHE_MAX_DEPTH)
		return err_set(r->e, LG_EPERM, "%s:%d:%d: partials nested "
		    "deeper than %d (does '%s' include itself?)", r->origin,
		    n->line, n->col, MUSTACHE_MAX_DEPTH, n->s);
	if ((rc = mr_partial_get(r, n, &pm)) != LG_OK || pm == NULL)
		return rc;
	r->depth++;
	r->origin = pm->origin;
	rc = mr_list(r, &pm->root);
	r->origin = origin;
	r->depth--;
	return rc;
}

static int
mr_list(struct mrender *r, const struct mlist *l)
{
	size_t i;
	int rc = LG_OK;

	for (i = 0; i < l->n && rc == LG_OK; i++) {
		const struct mnode *n = l->v[i];

		switch (n->type) {
		case MN_TEXT:
			buf_add(r->out, n->s, n->len);
			break;
		case MN_VAR:
		case MN_RAW:
			mr_var(r, n);
			break;
		case MN_SECTION:
		case MN_INVERTED:
			rc = mr_section(r, n);
			break;
		case MN_PARTIAL:
			rc = mr_partial(r, n);
			break;
		}
	}
	return rc;
}

int
mustache_render(const struct mustache *m, json_t *ctx,
    const struct mustache_opts *o, struct buf *out, struct err *e)
{
	return mustache_render_keep(m, ctx, o, NULL, out, e);
}

int
mustache_render_keep(const struct mustache *m, json_t *ctx,
    const struct mustache_opts *o, struct mustache_partials *keep,
    struct buf *out, struct err *e)
{
	static const struct mustache_opts defaults = { MUSTACHE_ESCAPE_HTML,
	    NULL, NULL };
	struct mustache_partials own = { NULL, 0 };
	struct mrender r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.o = o ? o : &defaults;
	r.out = out;
	r.origin = m->origin;
	r.cache = keep ? keep : &own;
	r.e = e;
	if (ctx != NULL)
		mr_push(&r, ctx);
	rc = mr_list(&r, &m->root);
	mp_partials_clear(&own);
	free(r.stack);
	return rc;
}

int
mustache_render_text(const char *text, size_t len, const char *origin,
    json_t *ctx, const struct mustache_opts *o, struct buf *out,
    struct err *e)
{
	struct mustache *m;
	int rc;

	if ((rc = mustache_parse(text, len, origin, &m, e)) != LG_OK)
		return rc;
	rc = mustache_render(m, ctx, o, out, e);
	mustache_free(m);
	return rc;
}
