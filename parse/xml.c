/*
 * The XML reader on libexpat (Debian's libexpat1, 2.5). The input is
 * turned into UTF-8 first by our charset layer (BOM, UTF-16, the declared
 * encoding, invalid bytes replaced), and expat is told so, which overrides
 * the declaration. expat checks well-formedness; we build the tree and
 * keep the limits (size, depth, nodes) and the refusals that make it safe:
 *
 * - a DOCTYPE with an internal subset stops the parse before any
 *   declaration in it is read, so no entity is ever declared, let alone
 *   expanded (billion laughs) or fetched (external entities: expat reads
 *   none without a handler, and parameter entities are never parsed);
 * - an entity other than the five predefined ones is an error.
 *
 * Text after the root element is ignored, as before: the end of the root
 * stops the parser.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include <expat.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"
#include "parse/charset.h"
#include "parse/xml.h"

#define NAME_MAX_LEN	256
#define SNIFF_MAX	(64u << 10)	/* bytes xml_root_name looks at */

/* Why we stopped expat ourselves (its status is then ABORTED). */
enum xp_stop {
	XP_RUNNING = 0,
	XP_DONE,		/* the root element ended: success */
	XP_SUBSET,		/* a DOCTYPE with an internal subset */
	XP_DEEP,
	XP_NODES,
	XP_SKIPPED,		/* an entity declared nowhere we read */
	XP_ROOT_SEEN,		/* xml_root_name: the first element is known */
};

struct xp {
	XML_Parser p;
	struct xml_node *stack[XML_MAX_DEPTH];
	struct buf text[XML_MAX_DEPTH];
	struct xml_node *last[XML_MAX_DEPTH];	/* last child, for appending */
	size_t depth;
	size_t nodes;
	struct xml_node *root;
	enum xp_stop stop;
	unsigned long stop_line;
	char root_name[NAME_MAX_LEN];	/* for xml_root_name */
};

static void
xp_halt(struct xp *x, enum xp_stop why)
{
	if (x->stop != XP_RUNNING)
		return;
	x->stop = why;
	x->stop_line = XML_GetCurrentLineNumber(x->p);
	XML_StopParser(x->p, XML_FALSE);
}

static struct xml_node *
node_new(const char *name)
{
	struct xml_node *n = xcalloc(1, sizeof(*n));

	n->name = xstrdup(name);
	return n;
}

static void
attach(struct xp *x, struct xml_node *n)
{
	size_t up;

	if (x->depth == 0) {
		x->root = n;
		return;
	}
	up = x->depth - 1;
	if (x->last[up])
		x->last[up]->next = n;
	else
		x->stack[up]->child = n;
	x->last[up] = n;
}

static void
attributes(struct xp *x, struct xml_node *n, const XML_Char **atts)
{
	struct xml_attr **tail = &n->attrs, *a;

	for (; atts[0] != NULL && x->stop == XP_RUNNING; atts += 2) {
		if (++x->nodes > XML_MAX_NODES) {
			xp_halt(x, XP_NODES);
			return;
		}
		a = xcalloc(1, sizeof(*a));
		a->name = xstrdup(atts[0]);
		a->value = xstrdup(atts[1]);
		*tail = a;
		tail = &a->next;
	}
}

static void XMLCALL
on_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	struct xp *x = arg;
	struct xml_node *n;

	if (x->stop != XP_RUNNING)
		return;
	if (x->depth >= XML_MAX_DEPTH) {
		xp_halt(x, XP_DEEP);
		return;
	}
	if (++x->nodes > XML_MAX_NODES) {
		xp_halt(x, XP_NODES);
		return;
	}
	n = node_new(name);
	n->line = (unsigned long)XML_GetCurrentLineNumber(x->p);
	attach(x, n);
	attributes(x, n, atts);
	x->stack[x->depth] = n;
	x->last[x->depth] = NULL;
	x->depth++;
}

static void XMLCALL
on_end(void *arg, const XML_Char *name)
{
	struct xp *x = arg;
	struct xml_node *n;

	if (x->stop != XP_RUNNING || x->depth == 0)
		return;
	x->depth--;
	n = x->stack[x->depth];
	n->text = xstrdup(buf_str(&x->text[x->depth]));
	buf_reset(&x->text[x->depth]);
	if (x->depth == 0)
		xp_halt(x, XP_DONE);
}

static void XMLCALL
on_text(void *arg, const XML_Char *s, int len)
{
	struct xp *x = arg;

	if (x->stop == XP_RUNNING && x->depth > 0)
		buf_add(&x->text[x->depth - 1], s, (size_t)len);
}

static void XMLCALL
on_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal_subset)
{
	struct xp *x = arg;

	snprintf(x->root_name, sizeof(x->root_name), "%s", name);
	if (has_internal_subset)
		xp_halt(x, XP_SUBSET);
}

/* Never reached while the subset is refused; kept as a second lock. */
static void XMLCALL
on_entity_decl(void *arg, const XML_Char *name, int is_param,
    const XML_Char *value, int value_len, const XML_Char *base,
    const XML_Char *sysid, const XML_Char *pubid, const XML_Char *notation)
{
	xp_halt(arg, XP_SUBSET);
}

/*
 * With an external DTD that is never read, expat would skip an unknown
 * entity silently: text lost without a word. Refuse it instead.
 */
static void XMLCALL
on_skipped(void *arg, const XML_Char *name, int is_param)
{
	struct xp *x = arg;

	snprintf(x->root_name, sizeof(x->root_name), "%s", name);
	xp_halt(x, XP_SKIPPED);
}

/* xml_root_name: the first element names the root; stop there. */
static void XMLCALL
on_start_sniff(void *arg, const XML_Char *name, const XML_Char **atts)
{
	struct xp *x = arg;

	snprintf(x->root_name, sizeof(x->root_name), "%s", name);
	xp_halt(x, XP_ROOT_SEEN);
}

/*
 * The salt of expat's hash tables, drawn once per process: expat 2.5
 * draws one with a getrandom() call per parser, and the extractors sniff
 * the parts of every mail for their root element. A salt drawn at random
 * once is as unknown to a sender crafting names as expat's own; 0 (no
 * random bytes) leaves it to expat.
 */
static pthread_once_t xp_salt_once = PTHREAD_ONCE_INIT;
static unsigned long xp_salt;

static void
xp_salt_draw(void)
{
	unsigned long v;

	if (getrandom(&v, sizeof(v), 0) == (ssize_t)sizeof(v))
		xp_salt = v;
}

static void
xp_init(struct xp *x, int sniff)
{
	memset(x, 0, sizeof(*x));
	if ((x->p = XML_ParserCreate("UTF-8")) == NULL)
		abort();	/* out of memory */
	pthread_once(&xp_salt_once, xp_salt_draw);
	if (xp_salt != 0)
		XML_SetHashSalt(x->p, xp_salt);
	XML_SetUserData(x->p, x);
	XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	XML_SetEntityDeclHandler(x->p, on_entity_decl);
	XML_SetSkippedEntityHandler(x->p, on_skipped);
	if (sniff) {
		XML_SetStartElementHandler(x->p, on_start_sniff);
		return;
	}
	XML_SetElementHandler(x->p, on_start, on_end);
	XML_SetCharacterDataHandler(x->p, on_text);
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
	XML_ParserFree(x->p);
}

/* "&name;" at the error position, for a message that names it. */
static void
entity_at(const char *s, size_t len, long off, char *out, size_t size)
{
	size_t i = 0;

	out[0] = '\0';
	if (off < 0 || (size_t)off >= len || s[off] != '&')
		return;
	for (off++; (size_t)off < len && s[off] != ';' && i + 1 < size &&
	    !isspace((unsigned char)s[off]); off++)
		out[i++] = s[off];
	out[i] = '\0';
}

/* Our words for what expat refused, with its line. */
static int
xp_error(struct xp *x, const char *s, size_t len, struct err *e)
{
	enum XML_Error code = XML_GetErrorCode(x->p);
	unsigned long line = XML_GetCurrentLineNumber(x->p);
	char name[NAME_MAX_LEN];

	switch (x->stop) {
	case XP_SUBSET:
		return err_set(e, LG_EPERM, "XML line %lu: DOCTYPE with an "
		    "internal subset refused (entities are never expanded)",
		    x->stop_line);
	case XP_DEEP:
		return err_set(e, LG_EPERM, "XML line %lu: elements nested "
		    "too deep", x->stop_line);
	case XP_NODES:
		return err_set(e, LG_EPERM, "XML line %lu: too many nodes",
		    x->stop_line);
	case XP_SKIPPED:
		return err_set(e, LG_EPERM, "XML line %lu: undefined entity "
		    "&%s; (only the predefined entities are read, none is "
		    "ever expanded)", x->stop_line, x->root_name);
	default:
		break;
	}
	if (x->root == NULL && code == XML_ERROR_NO_ELEMENTS)
		return err_set(e, LG_EPERM, "XML: no root element");
	if (x->root == NULL && code == XML_ERROR_SYNTAX)
		return err_set(e, LG_EPERM, "XML line %lu: no root element "
		    "(text where the document should start)", line);
	if (code == XML_ERROR_NO_ELEMENTS && x->depth > 0)
		return err_set(e, LG_EPERM, "XML: unexpected end, <%s> is not "
		    "closed", x->stack[x->depth - 1]->name);
	if (code == XML_ERROR_UNCLOSED_TOKEN && x->depth > 0)
		return err_set(e, LG_EPERM, "XML line %lu: unexpected end "
		    "inside a tag, comment or CDATA section (<%s> is not "
		    "closed)", line, x->stack[x->depth - 1]->name);
	if (code == XML_ERROR_UNDEFINED_ENTITY) {
		entity_at(s, len, XML_GetCurrentByteIndex(x->p), name,
		    sizeof(name));
		return err_set(e, LG_EPERM, "XML line %lu: undefined entity "
		    "&%s; (only the predefined entities are read, none is "
		    "ever expanded)", line, name);
	}
	return err_set(e, LG_EPERM, "XML line %lu: %s", line,
	    XML_ErrorString(code));
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

int
xml_parse(const char *s, size_t len, struct xml_node **root, struct err *e)
{
	struct xp *x;
	struct buf in = BUF_INIT;
	enum XML_Status st;
	int rc = LG_OK;

	*root = NULL;
	if (len > XML_MAX_SIZE)
		return err_set(e, LG_EPERM, "XML document of %zu bytes is over "
		    "the %u-byte limit", len, XML_MAX_SIZE);
	to_utf8(s, len, &in);
	x = xmalloc(sizeof(*x));
	xp_init(x, 0);
	st = XML_Parse(x->p, buf_str(&in), (int)in.len, XML_TRUE);
	if (x->stop != XP_DONE && (st != XML_STATUS_OK || x->root == NULL))
		rc = x->root == NULL && st == XML_STATUS_OK ?
		    err_set(e, LG_EPERM, "XML: no root element") :
		    xp_error(x, buf_str(&in), in.len, e);
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

/*
 * Whether s surely holds no XML document: after XML white space comes a
 * printable ASCII character that is not '<', which no conversion of
 * to_utf8() changes and before which expat sees no element. Anything
 * else (a BOM, '<', other bytes) is left to the parser.
 */
static int
not_xml(const char *s, size_t len)
{
	const char *end = s + len;

	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' ||
	    *s == '\n'))
		s++;
	return s < end && *s > ' ' && *s < 0x7f && *s != '<';
}

int
xml_root_name(const char *s, size_t len, char *name, size_t size)
{
	struct xp x;
	struct buf in = BUF_INIT;
	const char *l;
	int found;

	if (not_xml(s, len))
		return 0;	/* a text part: no parser for it */
	to_utf8(s, len < SNIFF_MAX ? len : SNIFF_MAX, &in);
	xp_init(&x, 1);
	XML_Parse(x.p, buf_str(&in), (int)in.len, XML_FALSE);
	/* A refused DOCTYPE still names the root element. */
	found = (x.stop == XP_ROOT_SEEN || x.stop == XP_SUBSET) &&
	    x.root_name[0] != '\0';
	XML_ParserFree(x.p);
	buf_free(&in);
	if (!found)
		return 0;
	l = local(x.root_name);
	snprintf(name, size, "%s", l);
	return 1;
}
