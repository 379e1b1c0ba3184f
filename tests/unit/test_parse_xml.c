/*
 * The XML reader (parse/xml.c): each case is parsed and its tree dumped
 * as name{attr=value}"text"[children], or the error checked.
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"
#include "parse/xml.h"
#include "t.h"

#define LAUGHS "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n" \
	" <!ENTITY lol \"lol\">\n" \
	" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n" \
	" <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n" \
	"]>\n<lolz>&lol2;</lolz>"

static const struct {
	const char *label;
	const char *xml;
	size_t len;		/* 0: strlen */
	const char *want;	/* the dump, or "error: " and a substring */
} cases[] = {
	{ "element with text", "<a>hi</a>", 0, "a\"hi\"[]" },
	{ "declaration and comments",
	    "<?xml version=\"1.0\"?>\n<!-- c --><a><!-- in -->x<?pi y?></a>"
	    "<!-- after -->", 0, "a\"x\"[]" },
	{ "attributes", "<a x=\"1\" y='two' z=\"&lt;&amp;&quot;\"/>", 0,
	    "a{x=1,y=two,z=<&\"}\"\"[]" },
	{ "children and text", "<r><a>1</a> <b/><a>2</a></r>", 0,
	    "r\" \"[a\"1\"[],b\"\"[],a\"2\"[]]" },
	{ "predefined entities", "<a>&lt;&gt;&amp;&quot;&apos;</a>", 0,
	    "a\"<>&\"'\"[]" },
	{ "character references", "<a>&#8364;&#x20AC;&#x20ac;&#65;</a>", 0,
	    "a\"€€€A\"[]" },
	{ "CDATA", "<a><![CDATA[<b>&amp;]]> x</a>", 0,
	    "a\"<b>&amp; x\"[]" },
	{ "DOCTYPE without subset", "<!DOCTYPE a SYSTEM \"a.dtd\"><a>x</a>",
	    0, "a\"x\"[]" },
	{ "UTF-8 BOM", "\xef\xbb\xbf<a>\xc3\xa4</a>", 0, "a\"ä\"[]" },
	{ "ISO-8859-1 declared",
	    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe4</a>", 0,
	    "a\"ä\"[]" },
	{ "UTF-16LE with BOM", "\xff\xfe<\0a\0>\0\xe4\0<\0/\0a\0>\0", 18,
	    "a\"ä\"[]" },
	{ "invalid UTF-8 replaced", "<a>\xff</a>", 0, "a\"\xef\xbf\xbd\"[]" },
	{ "namespace prefix kept", "<x:a xmlns:x=\"u\"><x:b/></x:a>", 0,
	    "x:a{xmlns:x=u}\"\"[x:b\"\"[]]" },
	{ "trailing garbage ignored", "<a/>trailing", 0, "a\"\"[]" },
	{ "billion laughs", LAUGHS, 0,
	    "error: DOCTYPE with an internal subset refused" },
	{ "external entity", "<!DOCTYPE a [<!ENTITY e SYSTEM "
	    "\"file:///etc/passwd\">]><a>&e;</a>", 0,
	    "error: DOCTYPE with an internal subset refused" },
	{ "undefined entity", "<a>&lol;</a>", 0,
	    "error: undefined entity &lol;" },
	{ "HTML entity is no XML", "<a>&nbsp;</a>", 0,
	    "error: undefined entity &nbsp;" },
	{ "mismatched tag", "<a><b></a></b>", 0,
	    "error: XML line 1: mismatched tag" },
	{ "unclosed root", "<a><b>x</b>", 0, "error: <a> is not closed" },
	{ "unterminated comment", "<a><!-- x</a>", 0,
	    "error: XML line 1: unexpected end inside a tag, comment" },
	{ "unquoted attribute", "<a x=1/>", 0,
	    "error: XML line 1: not well-formed" },
	{ "'<' in attribute", "<a x=\"<\"/>", 0,
	    "error: XML line 1: not well-formed" },
	{ "reference out of range", "<a>&#x110000;</a>", 0,
	    "error: XML line 1: reference to invalid character number" },
	{ "bad reference", "<a>&#12a;</a>", 0,
	    "error: XML line 1: not well-formed" },
	{ "lone ampersand", "<a>fish & chips</a>", 0,
	    "error: XML line 1: not well-formed" },
	{ "text only", "hello", 0, "error: no root element" },
	{ "empty", "", 0, "error: no root element" },
	{ "declaration inside", "<a><!ELEMENT a ANY></a>", 0,
	    "error: XML line 1: not well-formed" },
	{ "line numbers", "<a>\n\n<b></c>", 0, "error: XML line 3:" },
	{ "entity of an external DTD never read",
	    "<!DOCTYPE a SYSTEM \"file:///etc/passwd\"><a>&e;</a>", 0,
	    "error: undefined entity &e;" },
	{ "windows-1252 declared",
	    "<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>\x80</a>", 0,
	    "a\"\xe2\x82\xac\"[]" },
	{ "several prefixes", "<ns2:a xmlns:ns2=\"u\"><ns3:b xmlns:ns3=\"v\">1"
	    "</ns3:b></ns2:a>", 0,
	    "ns2:a{xmlns:ns2=u}\"\"[ns3:b{xmlns:ns3=v}\"1\"[]]" },
	{ "control character reference", "<a>&#7;</a>", 0,
	    "error: XML line 1: reference to invalid character number" },
};

static void
dump(const struct xml_node *n, struct buf *b)
{
	const struct xml_attr *a;
	const struct xml_node *c;

	buf_adds(b, n->name);
	if (n->attrs) {
		buf_addc(b, '{');
		for (a = n->attrs; a; a = a->next)
			buf_printf(b, "%s%s=%s", a == n->attrs ? "" : ",",
			    a->name, a->value);
		buf_addc(b, '}');
	}
	buf_printf(b, "\"%s\"[", n->text ? n->text : "(null)");
	for (c = n->child; c; c = c->next) {
		if (c != n->child)
			buf_addc(b, ',');
		dump(c, b);
	}
	buf_addc(b, ']');
}

/* Depth and node count limits, built at run time. */
static void
limits(void)
{
	struct buf b = BUF_INIT;
	struct xml_node *root;
	struct err e;
	int i;

	for (i = 0; i < XML_MAX_DEPTH; i++)
		buf_adds(&b, "<d>");
	for (i = 0; i < XML_MAX_DEPTH; i++)
		buf_adds(&b, "</d>");
	T_INT(xml_parse(b.data, b.len, &root, &e), LG_OK, "depth %d is fine",
	    XML_MAX_DEPTH);
	xml_free(root);
	buf_reset(&b);
	for (i = 0; i <= XML_MAX_DEPTH; i++)
		buf_adds(&b, "<d>");
	T_INT(xml_parse(b.data, b.len, &root, &e), LG_EPERM, "depth %d "
	    "refused", XML_MAX_DEPTH + 1);
	T_OK(strstr(e.msg, "nested too deep") != NULL, "depth: %s", e.msg);
	buf_reset(&b);
	buf_adds(&b, "<r>");
	for (i = 0; i < XML_MAX_NODES; i++)
		buf_adds(&b, "<x/>");
	buf_adds(&b, "</r>");
	T_INT(xml_parse(b.data, b.len, &root, &e), LG_EPERM, "%d nodes "
	    "refused", XML_MAX_NODES + 1);
	T_OK(strstr(e.msg, "too many nodes") != NULL, "nodes: %s", e.msg);
	buf_free(&b);
	T_INT(xml_parse("<a/>", XML_MAX_SIZE + 1, &root, &e), LG_EPERM,
	    "over the size limit");
}

static void
lookups(void)
{
	const char *doc = "<?xml version=\"1.0\"?>\n<r><o:objekt><id>1</id>"
	    "</o:objekt><objekt><id> 2 </id><leer>  </leer></objekt>"
	    "<other/><OBJEKT><id>3</id></OBJEKT></r>";
	const struct xml_node *o;
	struct xml_node *root;
	struct err e;
	char name[32], *v;

	T_INT(xml_parse(doc, strlen(doc), &root, &e), LG_OK, "lookup doc");
	o = xml_child(root, "objekt");
	v = xml_path_value(o, "id");
	T_STR(v, "1", "xml_child matches the local name");
	free(v);
	o = xml_next(o);
	v = xml_path_value(o, "id");
	T_STR(v, "2", "xml_next skips others, value trimmed");
	free(v);
	v = xml_path_value(o, "leer");
	T_STR(v, NULL, "blank value is NULL");
	free(v);
	o = xml_next(o);
	v = xml_path_value(o, "id");
	T_STR(v, "3", "names compared without case");
	free(v);
	T_OK(xml_next(o) == NULL, "no more objekt");
	T_OK(xml_path(root, "objekt/missing") == NULL, "missing path");
	T_OK(xml_attr(root, "x") == NULL, "missing attribute");
	xml_free(root);
	xml_free(NULL);
	T_INT(xml_root_name(doc, strlen(doc), name, sizeof(name)), 1,
	    "root name found");
	T_STR(name, "r", "root name");
	T_INT(xml_root_name(LAUGHS, strlen(LAUGHS), name, sizeof(name)), 1,
	    "root name of a refused DOCTYPE");
	T_STR(name, "lolz", "root name from the DOCTYPE");
	T_INT(xml_root_name("Hallo <a/>", 10, name, sizeof(name)), 0,
	    "text is no XML");
}

int
main(void)
{
	struct buf b = BUF_INIT;
	struct xml_node *root;
	struct err e;
	size_t i, len;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = cases[i].len ? cases[i].len : strlen(cases[i].xml);
		err_clear(&e);
		rc = xml_parse(cases[i].xml, len, &root, &e);
		if (strncmp(cases[i].want, "error: ", 7) == 0) {
			T_INT(rc, LG_EPERM, "%s: refused", cases[i].label);
			T_OK(strstr(e.msg, cases[i].want + 7) != NULL,
			    "%s: reason [%s]", cases[i].label, e.msg);
			T_OK(root == NULL, "%s: no tree", cases[i].label);
			continue;
		}
		T_INT(rc, LG_OK, "%s: parsed (%s)", cases[i].label, e.msg);
		if (rc != LG_OK)
			continue;
		buf_reset(&b);
		dump(root, &b);
		T_STR(buf_str(&b), cases[i].want, "%s", cases[i].label);
		xml_free(root);
	}
	buf_free(&b);
	limits();
	lookups();
	return t_done();
}
