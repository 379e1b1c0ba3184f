/*
 * Mustache templates (the core of the specification: interpolation,
 * sections, inverted sections, comments, partials, set delimiter; no
 * lambdas, no inheritance) over a jansson context.
 *
 * A template is parsed once into a tree and rendered any number of times.
 * Values are looked up on the context stack as the specification says
 * (dotted names resolve their first part up the stack, the rest strictly
 * below it). A section is skipped for a missing name, null, false, an
 * empty list and the empty string; a list repeats it; anything else is
 * pushed as the new context. Numbers print as JSON writes them (1.21, 42).
 *
 * Errors in a template (unclosed or mismatched section, unclosed tag, bad
 * delimiter, empty name) are LG_EPERM with "ORIGIN:LINE:COLUMN: reason".
 */
#ifndef LG_MUSTACHE_H
#define LG_MUSTACHE_H

#include <stddef.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/err.h"

/* Partials nested deeper than this (a partial including itself) fail. */
#define MUSTACHE_MAX_DEPTH 32

struct mustache;

enum mustache_escape {
	MUSTACHE_ESCAPE_HTML = 0,	/* {{x}} is HTML-escaped (the spec's default) */
	MUSTACHE_ESCAPE_NONE,		/* text bodies and headers: nothing is */
};

/*
 * Load the text of partial name into *text (malloc'd, *len bytes) and,
 * if it likes, what to call it in error messages into *origin (malloc'd;
 * left NULL, the partial's name is used). LG_ENOENT renders the partial
 * as empty, as the specification wants; any other error stops the
 * rendering with that error.
 */
typedef int (*mustache_partial_fn)(void *arg, const char *name, char **text,
    size_t *len, char **origin, struct err *e);

/*
 * Parsed partials kept from one rendering to the next, so that a
 * template rendered many times (a bulk campaign) loads and parses each
 * partial once. A partial is loaded when a rendering first reaches it;
 * one that failed to load is not kept, so it fails again the same way.
 * One set serves one partial function with one argument: renderings
 * sharing it must load partials the same way. Not for several threads.
 */
struct mustache_partials;

struct mustache_opts {
	enum mustache_escape escape;
	mustache_partial_fn partial;	/* NULL: every partial is empty */
	void *partial_arg;
};

/* origin names the template in error messages (a file name). */
int mustache_parse(const char *text, size_t len, const char *origin,
    struct mustache **out, struct err *e);
/* The same for text that starts at line:col of a larger file. */
int mustache_parse_at(const char *text, size_t len, const char *origin,
    int line, int col, struct mustache **out, struct err *e);
void mustache_free(struct mustache *m);

struct mustache_partials *mustache_partials_new(void);
void mustache_partials_free(struct mustache_partials *p);

/* Append the rendering of m against ctx (borrowed) to out. */
int mustache_render(const struct mustache *m, json_t *ctx,
    const struct mustache_opts *o, struct buf *out, struct err *e);
/* The same, keeping the partials it loads in keep (NULL: none kept). */
int mustache_render_keep(const struct mustache *m, json_t *ctx,
    const struct mustache_opts *o, struct mustache_partials *keep,
    struct buf *out, struct err *e);

/* Parse and render in one go (for templates used once). */
int mustache_render_text(const char *text, size_t len, const char *origin,
    json_t *ctx, const struct mustache_opts *o, struct buf *out,
    struct err *e);

/* The one HTML escaper: & < > " ' become entities. */
void mustache_escape_html(struct buf *out, const char *s, size_t len);

#endif
