/*
 * Paging: the URL of a page from the saved position, and the position of
 * the next page from an answer. A position is text so that it can be
 * kept in the store: a page number, an offset, an opaque cursor or the
 * URL of the next page, depending on paging.type.
 */
#ifndef LG_PORTAL_PAGE_H
#define LG_PORTAL_PAGE_H

#include <stddef.h>

#include <jansson.h>

#include "util/err.h"

struct portal_conf;
struct portal_response;

struct portal_next {
	int more;	/* another page follows now */
	char *pos;	/* its position; at the end, a cursor to resume from */
};

/* The URL of the page at pos (NULL: the first), with since when set. */
char *portal_page_url(const struct portal_conf *c, const char *pos,
    const char *since);
/*
 * From one answer (doc, headers, the number of items on it) at url and
 * pos, where the next page is. LG_EPERM when the answer's paging data is
 * unusable (a link to another host, a cursor of the wrong type).
 */
int portal_page_next(const struct portal_conf *c, const char *url,
    const char *pos, json_t *doc, const struct portal_response *rs,
    size_t nitems, struct portal_next *out, struct err *e);
/* An id, cursor or timestamp as text: strings as they are, integers in
 * decimal; NULL for anything else. */
char *portal_page_text(const json_t *v);

#endif
