/*
 * The XML reader: one pass over the (UTF-8) input with an explicit stack
 * of open elements, so that depth is a counted limit and never the C
 * stack. Entities other than the five predefined ones are an error: a
 * document that declares its own (billion laughs, external entities)
 * never gets past its DOCTYPE.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"
#include "parse/charset.h"
#include "parse/xml.h"

#define NAME_MAX_LEN	256

struct xp {
	const char *s, *p, *end;
	struct xml_node *stack[XML_MAX_DEPTH];
	struct buf text[XML_MAX_DEPTH];
	struct xml_node *last[XML_MAX_DEPTH];	/* last child, for appending */
	size_t depth;
	size_t nodes;
	struct xml_node *root;
	struct err *e;
};

static const struct {
	const char *name;
	char c;
} predefined[] = {
	{ "lt", '<' }, { "gt", '>' }, { "amp", '&' }, { "quot", '"' },
	{ "apos", '\'' },
};

static int
line_of(const struct xp *x)
{
	const char *q;
	int line = 1;

	for (q = x->s; q < x->p; q++)
		if (*q == '\n')
			line++;
	return line;
}

static int
fail(struct xp *x, const char *what, const char *detail)
{
	return err_set(x->e, LG_EPERM, "XML line %d: %s%s", line_of(x), what,
	    detail ? detail : "");
}

static int
starts(const struct xp *x, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(x->end - x->p) >= n && memcmp(x->p, lit, n) == 0;
}

/* Move past lit's end marker; 0 when it never comes. */
static int
skip_past(struct xp *x, const char *lit)
{
	size_t n = strlen(lit);
	const char *q = memmem(x->p, (size_t)(x->end - x->p), lit, n);

	if (q == NULL)
		return 0;
	x->p = q + n;
	return 1;
}

static void
skip_ws(struct xp *x)
{
	while (x->p < x->end && (*x->p == ' ' || *x->p == '\t' ||
	    *x->p == '\r' || *x->p == '\n'))
		x->p++;
}

static int
name_char(unsigned char c, int first)
{
	if (isalpha(c) || c == '_' || c == ':' || c >= 0x80)
		return 1;
	return !first && (isdigit(c) || c == '-' || c == '.');
}

static int
read_name(struct xp *x, char *name, size_t size)
{
	size_t n = 0;

	while (x->p < x->end && name_char((unsigned char)*x->p, n == 0)) {
		if (n + 1 >= size)
			return fail(x, "name too long", NULL);
		name[n++] = *x->p++;
	}
	name[n] = '\0';
	return n > 0 ? LG_OK : fail(x, "a name was expected", NULL);
}

/* Decode the reference at x->p ('&') into out. */
static int
reference(struct xp *x, struct buf *out)
{
	const char *semi, *q;
	unsigned long cp = 0;
	char name[16];
	size_t n, i;
	int hex;

	semi = memchr(x->p, ';', (size_t)(x->end - x->p) < 16 ?
	    (size_t)(x->end - x->p) : 16);
	if (semi == NULL)
		return fail(x, "'&' that starts no reference", NULL);
	if (x->p[1] == '#') {
		hex = x->p[2] == 'x';
		q = x->p + (hex ? 3 : 2);
		if (q == semi)
			return fail(x, "empty character reference", NULL);
		for (; q < semi; q++) {
			if (hex ? !isxdigit((unsigned char)*q) :
			    !isdigit((unsigned char)*q))
				return fail(x, "bad character reference", NULL);
			cp = cp * (hex ? 16 : 10) + (unsigned long)(isdigit(
			    (unsigned char)*q) ? *q - '0' :
			    tolower((unsigned char)*q) - 'a' + 10);
			if (cp > 0x10ffff)
				return fail(x, "character reference out of "
				    "range", NULL);
		}
		charset_put_utf8(out, cp);
		x->p = semi + 1;
		return LG_OK;
	}
	n = (size_t)(semi - x->p - 1);
	memcpy(name, x->p + 1, n);
	name[n] = '\0';
	for (i = 0; i < sizeof(predefined) / sizeof(predefined[0]); i++)
		if (strcmp(predefined[i].name, name) == 0) {
			buf_addc(out, predefined[i].c);
			x->p = semi + 1;
			return LG_OK;
		}
	err_set(x->e, LG_EPERM, "XML line %d: undefined entity &%s; (only the "
	    "predefined entities are read, none is ever expanded)",
	    line_of(x), name);
	return LG_EPERM;
}

static struct xml_node *
node_new(struct xp *x, const char *name)
{
	struct xml_node *n;

	if (++x->nodes > XML_MAX_NODES)
		return NULL;
	n = xcalloc(1, sizeof(*n));
	n->name = xstrdup(name);
	return n;
}

static int
attribute(struct xp *x, struct xml_node *n, struct xml_attr ***tail)
{
	char name[NAME_MAX_LEN];
	struct buf v = BUF_INIT;
	struct xml_attr *a;
	char q;

	if (read_name(x, name, sizeof(name)) != LG_OK)
		return LG_EPERM;
	skip_ws(x);
	if (x->p >= x->end || *x->p != '=')
		return fail(x, "attribute without a value: ", name);
	x->p++;
	skip_ws(x);
	if (x->p >= x->end || (*x->p != '"' && *x->p != '\''))
		return fail(x, "unquoted attribute value: ", name);
	q = *x->p++;
	while (x->p < x->end && *x->p != q) {
		if (*x->p == '<') {
			buf_free(&v);
			return fail(x, "'<' in an attribute value", NULL);
		}
		if (*x->p == '&') {
			if (reference(x, &v) != LG_OK) {
				buf_free(&v);
				return LG_EPERM;
			}
			continue;
		}
		buf_addc(&v, *x->p++);
	}
	if (x->p >= x->end) {
		buf_free(&v);
		return fail(x, "unterminated attribute value", NULL);
	}
	x->p++;
	if (++x->nodes > XML_MAX_NODES) {
		buf_free(&v);
		return fail(x, "too many nodes", NULL);
	}
	a = xcalloc(1, sizeof(*a));
	a->name = xstrdup(name);
	a->value = buf_detach(&v);
	**tail = a;
	*tail = &a->next;
	return LG_OK;
}

static void
attach(struct xp *x, struct xml_node *n)
{
	struct xml_node *parent;

	if (x->depth == 0) {
		x->root = n;
		return;
	}
	parent = x->stack[x->depth - 1];
	if (x->last[x->depth - 1])
		x->last[x->depth - 1]->next = n;
	else
		parent->child = n;
	x->last[x->depth - 1] = n;
}

static int
open_tag(struct xp *x)
{
	char name[NAME_MAX_LEN];
	struct xml_attr **tail;
	struct xml_node *n;

	if (x->root != NULL && x->depth == 0)
		return fail(x, "a second root element", NULL);
	x->p++;
	if (read_name(x, name, sizeof(name)) != LG_OK)
		return LG_EPERM;
	if ((n = node_new(x, name)) == NULL)
		return fail(x, "too many nodes", NULL);
	attach(x, n);
	tail = &n->attrs;
	for (;;) {
		skip_ws(x);
		if (x->p >= x->end)
			return fail(x, "unterminated tag <", name);
		if (*x->p == '>' || starts(x, "/>"))
			break;
		if (attribute(x, n, &tail) != LG_OK)
			return LG_EPERM;
	}
	if (*x->p == '/') {
		x->p += 2;
		n->text = xstrdup("");
		return LG_OK;
	}
	x->p++;
	if (x->depth >= XML_MAX_DEPTH)
		return fail(x, "elements nested too deep", NULL);
	x->stack[x->depth] = n;
	x->last[x->depth] = NULL;
	buf_reset(&x->text[x->depth]);
	x->depth++;
	return LG_OK;
}

static int
close_tag(struct xp *x)
{
	char name[NAME_MAX_LEN];
	struct xml_node *n;

	x->p += 2;
	if (read_name(x, name, sizeof(name)) != LG_OK)
		return LG_EPERM;
	skip_ws(x);
	if (x->p >= x->end || *x->p != '>')
		return fail(x, "bad closing tag </", name);
	x->p++;
	if (x->depth == 0)
		return fail(x, "closing tag without an open one: ", name);
	n = x->stack[x->depth - 1];
	if (strcmp(n->name, name) != 0)
		return fail(x, "mismatched closing tag </", name);
	x->depth--;
	n->text = buf_detach(&x->text[x->depth]);
	return LG_OK;
}

/* Character data, CDATA, comments, PIs and tags inside the root. */
static int
content(struct xp *x)
{
	struct buf *t;

	while (x->p < x->end) {
		t = x->depth ? &x->text[x->depth - 1] : NULL;
		if (starts(x, "<!--")) {
			if (!skip_past(x, "-->"))
				return fail(x, "unterminated comment", NULL);
		} else if (starts(x, "<![CDATA[")) {
			const char *start = x->p + 9;

			if (!skip_past(x, "]]>"))
				return fail(x, "unterminated CDATA", NULL);
			if (t)
				buf_add(t, start, (size_t)(x->p - 3 - start));
		} else if (starts(x, "<?")) {
			if (!skip_past(x, "?>"))
				return fail(x, "unterminated processing "
				    "instruction", NULL);
		} else if (starts(x, "<!")) {
			return fail(x, "declaration inside the document", NULL);
		} else if (starts(x, "</")) {
			if (close_tag(x) != LG_OK)
				return LG_EPERM;
		} else if (*x->p == '<') {
			if (open_tag(x) != LG_OK)
				return LG_EPERM;
		} else if (*x->p == '&') {
			if (reference(x, t ? t : &x->text[0]) != LG_OK)
				return LG_EPERM;
		} else {
			if (t)
				buf_addc(t, *x->p);
			else if (!isspace((unsigned char)*x->p))
				return fail(x, "text outside the root element",
				    NULL);
			x->p++;
		}
		if (x->depth == 0 && x->root != NULL)
			break;
	}
	return LG_OK;
}

/* Declaration, comments, PIs and a DOCTYPE without internal subset. */
static int
prolog(struct xp *x)
{
	const char *q;

	for (;;) {
		skip_ws(x);
		if (starts(x, "<?")) {
			if (!skip_past(x, "?>"))
				return fail(x, "unterminated declaration",
				    NULL);
		} else if (starts(x, "<!--")) {
			if (!skip_past(x, "-->"))
				return fail(x, "unterminated comment", NULL);
		} else if (x->end - x->p >= 9 &&
		    strncasecmp(x->p, "<!DOCTYPE", 9) == 0) {
			for (q = x->p; q < x->end && *q != '>' && *q != '['; q++)
				;
			if (q < x->end && *q == '[')
				return fail(x, "DOCTYPE with an internal subset "
				    "refused (entities are never expanded)",
				    NULL);
			if (q >= x->end)
				return fail(x, "unterminated DOCTYPE", NULL);
			x->p = q + 1;
		} else {
			return LG_OK;
		}
	}
}

/* The encoding named by the XML declaration, if any (lower-case). */
static int
declared_encoding(const char *s, size_t len, char *enc, size_t size)
{
	const char *end, *q;
	size_t n = 0;
	char quote;

	if (len < 6 || strncmp(s, "<?xml", 5) != 0 ||
	    (end = memmem(s, len, "?>", 2)) == NULL ||
	    (q = memmem(s, (size_t)(end - s), "encoding", 8)) == NULL)
		return 0;
	for (q += 8; q < end && (*q == ' ' || *q == '='); q++)
		;
	if (q >= end || (*q != '"' && *q != '\''))
		return 0;
	quote = *q++;
	while (q < end && *q != quote && n + 1 < size)
		enc[n++] = (char)tolower((unsigned char)*q++);
	enc[n] = '\0';
	return n > 0;
}

/* The input as UTF-8: BOM, UTF-16 and the declared encoding handled. */
static void
to_utf8(const char *s, size_t len, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	char enc[40];

	if (len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		charset_fix_utf8(s + 3, len - 3, out);
	else if (len >= 2 && u[0] == 0xff && u[1] == 0xfe)
		charset_to_utf8("utf-16le", s + 2, len - 2, out);
	else if (len >= 2 && u[0] == 0xfe && u[1] == 0xff)
		charset_to_utf8("utf-16be", s + 2, len - 2, out);
	else if (declared_encoding(s, len, enc, sizeof(enc)))
		charset_to_utf8(enc, s, len, out);
	else
		charset_fix_utf8(s, len, out);
}

static void
xp_cleanup(struct xp *x)
{
	size_t i;

	for (i = 0; i < XML_MAX_DEPTH; i++)
		buf_free(&x->text[i]);
	/* Open elements have no text yet: give them one before freeing. */
	for (i = 0; i < x->depth; i++)
		if (x->stack[i]->text == NULL)
			x->stack[i]->text = xstrdup("");
}

int
xml_parse(const char *s, size_t len, struct xml_node **root, struct err *e)
{
	struct xp *x;
	struct buf in = BUF_INIT;
	int rc;

	*root = NULL;
	if (len > XML_MAX_SIZE)
		return err_set(e, LG_EPERM, "XML document of %zu bytes is over "
		    "the %u-byte limit", len, XML_MAX_SIZE);
	to_utf8(s, len, &in);
	x = xcalloc(1, sizeof(*x));
	x->s = x->p = buf_str(&in);
	x->end = x->s + in.len;
	x->e = e;
	if ((rc = prolog(x)) == LG_OK) {
		if (x->p >= x->end || *x->p != '<')
			rc = fail(x, "no root element", NULL);
		else
			rc = content(x);
	}
	if (rc == LG_OK && x->depth > 0)
		rc = err_set(e, LG_EPERM, "XML: unexpected end, <%s> is not "
		    "closed", x->stack[x->depth - 1]->name);
	xp_cleanup(x);
	if (rc == LG_OK)
		*root = x->root;
	else
		xml_free(x->root);
	free(x);
	buf_free(&in);
	return rc;
}

static void
attrs_free(struct xml_attr *a)
{
	struct xml_attr *next;

	for (; a; a = next) {
		next = a->next;
		free(a->name);
		free(a->value);
		free(a);
	}
}

/* Recursion is bounded by XML_MAX_DEPTH; siblings are a loop. */
void
xml_free(struct xml_node *n)
{
	struct xml_node *next;

	for (; n; n = next) {
		next = n->next;
		xml_free(n->child);
		attrs_free(n->attrs);
		free(n->name);
		free(n->text);
		free(n);
	}
}

static const char *
local(const char *name)
{
	const char *c = strrchr(name, ':');

	return c ? c + 1 : name;
}

int
xml_is(const struct xml_node *n, const char *name)
{
	return n != NULL && strcasecmp(local(n->name), name) == 0;
}

const struct xml_node *
xml_child(const struct xml_node *n, const char *name)
{
	const struct xml_node *c;

	if (n == NULL)
		return NULL;
	for (c = n->child; c; c = c->next)
		if (xml_is(c, name))
			return c;
	return NULL;
}

const struct xml_node *
xml_next(const struct xml_node *n)
{
	const struct xml_node *c;

	if (n == NULL)
		return NULL;
	for (c = n->next; c; c = c->next)
		if (strcasecmp(local(c->name), local(n->name)) == 0)
			return c;
	return NULL;
}

const struct xml_node *
xml_path(const struct xml_node *n, const char *path)
{
	char part[NAME_MAX_LEN];
	const char *slash;
	size_t len;

	while (n != NULL && *path) {
		slash = strchr(path, '/');
		len = slash ? (size_t)(slash - path) : strlen(path);
		if (len >= sizeof(part))
			return NULL;
		memcpy(part, path, len);
		part[len] = '\0';
		n = xml_child(n, part);
		path += len + (slash != NULL);
	}
	return n;
}

const char *
xml_attr(const struct xml_node *n, const char *name)
{
	const struct xml_attr *a;

	if (n == NULL)
		return NULL;
	for (a = n->attrs; a; a = a->next)
		if (strcasecmp(local(a->name), name) == 0)
			return a->value;
	return NULL;
}

char *
xml_value(const struct xml_node *n)
{
	const char *s, *end;

	if (n == NULL || n->text == NULL)
		return NULL;
	for (s = n->text; isspace((unsigned char)*s); s++)
		;
	for (end = s + strlen(s); end > s &&
	    isspace((unsigned char)end[-1]); end--)
		;
	return end > s ? xstrndup(s, (size_t)(end - s)) : NULL;
}

char *
xml_path_value(const struct xml_node *n, const char *path)
{
	return xml_value(xml_path(n, path));
}

int
xml_root_name(const char *s, size_t len, char *name, size_t size)
{
	struct xp x;
	struct err e;
	size_t n;

	memset(&x, 0, sizeof(x));
	x.s = x.p = s;
	x.end = s + len;
	x.e = &e;
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		x.p += 3;
	if (prolog(&x) == LG_OK) {
		if (x.p >= x.end || *x.p != '<')
			return 0;
		x.p++;
	} else if (x.end - x.p >= 9 && strncasecmp(x.p, "<!DOCTYPE", 9) == 0) {
		/* A refused DOCTYPE still names the root element. */
		x.p += 9;
		skip_ws(&x);
	} else {
		return 0;
	}
	if (read_name(&x, name, size) != LG_OK)
		return 0;
	n = strlen(local(name));
	memmove(name, local(name), n + 1);
	return 1;
}
