/*
 * A small, safe XML reader for the structured inquiry formats
 * (OpenImmo-Feedback, ADF): elements, attributes, text, CDATA, the five
 * predefined entities and numeric character references. Nothing else:
 * a DOCTYPE with an internal subset is refused and entities are never
 * expanded (no billion laughs), no external resource is ever read, and
 * size, depth and node count are capped. The result is a small tree of
 * UTF-8 strings.
 */
#ifndef LG_XML_H
#define LG_XML_H

#include <stddef.h>

#include "util/err.h"

#define XML_MAX_SIZE	(8u << 20)	/* bytes of input */
#define XML_MAX_DEPTH	64
#define XML_MAX_NODES	50000		/* elements and attributes */

struct xml_attr {
	char *name;
	char *value;
	struct xml_attr *next;
};

struct xml_node {
	char *name;			/* as written, prefix included */
	char *text;			/* character data directly inside */
	struct xml_attr *attrs;
	struct xml_node *child;		/* first child */
	struct xml_node *next;		/* next sibling */
	unsigned long line;		/* where its start tag is, from 1 */
};

/* Parse s[0..len) (any encoding its declaration names); LG_EPERM if bad. */
int xml_parse(const char *s, size_t len, struct xml_node **root,
    struct err *e);
void xml_free(struct xml_node *n);
/*
 * Lookups compare local names (the part after a prefix) without regard
 * to case. The first child named name, or NULL.
 */
const struct xml_node *xml_child(const struct xml_node *n, const char *name);
/* The next sibling with the same name as n, or NULL. */
const struct xml_node *xml_next(const struct xml_node *n);
/* Follow "a/b/c" from n through first children; NULL when missing. */
const struct xml_node *xml_path(const struct xml_node *n, const char *path);
const char *xml_attr(const struct xml_node *n, const char *name);
/* The text of n with surrounding white space trimmed; NULL if empty. */
char *xml_value(const struct xml_node *n);
/* Same for xml_path(n, path). */
char *xml_path_value(const struct xml_node *n, const char *path);
/* 1 when the local name of n is name. */
int xml_is(const struct xml_node *n, const char *name);
/*
 * The local name of the root element of s[0..len) when s looks like an
 * XML document (after a BOM, white space, declaration, comments and
 * DOCTYPE), copied into name; 0 otherwise. Cheap: for detection.
 */
int xml_root_name(const char *s, size_t len, char *name, size_t size);

#endif
