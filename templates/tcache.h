/*
 * Compiled templates kept for many letters. A bulk campaign reads,
 * checks and parses its template once per language variant it meets
 * (header block, subject, text and HTML parts, and the partials as the
 * renderings reach them) and renders that compiled form for every
 * contact, instead of reading and parsing the files again per letter.
 *
 * What the files say when a template is first asked for is what every
 * later letter from the cache gets; changes to the files meanwhile are
 * not seen. A template that fails to load is not kept: asking again
 * reads the files again and fails the same way. Not for several threads.
 */
#ifndef LG_TCACHE_H
#define LG_TCACHE_H

#include "util/err.h"

struct template;
struct tcache;

/* Templates from the templates directory dir (copied). */
struct tcache *tcache_new(const char *dir);
void tcache_free(struct tcache *c);

/*
 * Template name for language lang (NULL or "": the default file), as
 * template_load() would load it, loaded only the first time that name
 * is asked for with that lang. The cache owns *out; it stays valid until
 * tcache_free(), or until the next call when more than TCACHE_MAX
 * combinations were asked for.
 */
#define TCACHE_MAX 64
int tcache_get(struct tcache *c, const char *name, const char *lang,
    const struct template **out, struct err *e);

#endif
