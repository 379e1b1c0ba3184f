#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"
#include "templates/tcache.h"
#include "templates/template.h"

struct tentry {
	char *name;
	char *lang;		/* as asked for; "" for none */
	struct template *t;
};

struct tcache {
	char *dir;
	struct tentry v[TCACHE_MAX];
	size_t n;
	struct template *spare;	/* beyond TCACHE_MAX: the last one asked */
};

struct tcache *
tcache_new(const char *dir)
{
	struct tcache *c = xcalloc(1, sizeof(*c));

	c->dir = xstrdup(dir);
	return c;
}

void
tcache_free(struct tcache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].name);
		free(c->v[i].lang);
		template_free(c->v[i].t);
	}
	template_free(c->spare);
	free(c->dir);
	free(c);
}

int
tcache_get(struct tcache *c, const char *name, const char *lang,
    const struct template **out, struct err *e)
{
	struct template *t;
	size_t i;
	int rc;

	if (lang == NULL)
		lang = "";
	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i].name, name) == 0 &&
		    strcmp(c->v[i].lang, lang) == 0) {
			*out = c->v[i].t;
			return LG_OK;
		}
	if ((rc = template_load(c->dir, name, *lang ? lang : NULL, &t, e)) !=
	    LG_OK)
		return rc;
	if (c->n == TCACHE_MAX) {
		template_free(c->spare);
		c->spare = t;
	} else {
		c->v[c->n].name = xstrdup(name);
		c->v[c->n].lang = xstrdup(lang);
		c->v[c->n++].t = t;
	}
	*out = t;
	return LG_OK;
}
