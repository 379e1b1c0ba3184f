#include <stdlib.h>
#include <string.h>

#include "connectors/connector.h"
#include "connectors/portal.h"
#include "connectors/imap.h"
#include "connectors/maildir.h"
#include "core/config.h"
#include "core/oauth_conf.h"
#include "util/settings.h"
#include "util/xmalloc.h"

/* The connector types: add a line per type. */
static const struct connector_ops *const types[] = {
	&portal_ops,
	&imap_ops,
	&maildir_ops,
	NULL,
};

static const struct connector_ops *
connector_type(const char *name)
{
	size_t i;

	for (i = 0; types[i] != NULL; i++)
		if (strcmp(types[i]->type, name) == 0)
			return types[i];
	return NULL;
}

/* A mistake of the list itself, before a block is its type's to read. */
static int
connector_bad(const config_setting_t *st, const struct config *cfg,
    struct err_report *rep, const char *what, const char *arg)
{
	struct settings_reader r = { NULL, cfg->path, cfg->dir, "", rep };

	return settings_bad(&r, st, "%s%s", what, arg ? arg : "");
}

static int
connector_load_one(const config_setting_t *st, const struct config *cfg,
    struct connector_list *l, struct err_report *rep)
{
	const struct connector_ops *ops;
	const char *name, *type;
	struct connector *c;
	int rc;

	if (!config_setting_is_group(st))
		return connector_bad(st, cfg, rep, "a connector is a block "
		    "{ name = ...; type = ...; ... }", NULL);
	if (!config_setting_lookup_string(st, "name", &name) || !*name)
		return connector_bad(st, cfg, rep, "connector needs a 'name'",
		    NULL);
	if (connector_find(l, name) != NULL)
		return connector_bad(st, cfg, rep, "two connectors named ",
		    name);
	if (!config_setting_lookup_string(st, "type", &type))
		return connector_bad(st, cfg, rep, "connector needs a 'type': ",
		    name);
	if ((ops = connector_type(type)) == NULL)
		return connector_bad(st, cfg, rep, "unknown connector type ",
		    type);
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	c = &l->v[l->n];
	memset(c, 0, sizeof(*c));
	if ((rc = ops->create(st, cfg, &c->conn, rep)) != LG_OK)
		return rc;
	c->name = xstrdup(name);
	c->ops = ops;
	l->n++;
	return LG_OK;
}

int
connector_load_all(const struct config *cfg, struct connector_list *out,
    struct err_list *errs, struct err *e)
{
	struct err_report rep = { errs, e, 0 };
	int i, n, rc, first = LG_OK;

	memset(out, 0, sizeof(*out));
	/* The grants first: imap blocks name them. */
	first = oauth_conf_check(cfg, &rep);
	if (cfg->connectors == NULL)
		return first;
	/* Every block, so that each of their mistakes is reported. */
	n = config_setting_length(cfg->connectors);
	for (i = 0; i < n; i++) {
		rc = connector_load_one(config_setting_get_elem(cfg->connectors,
		    (unsigned)i), cfg, out, &rep);
		if (rc != LG_OK && first == LG_OK)
			first = rc;
	}
	if (first == LG_OK && rep.n > 0)
		first = LG_EPERM;
	if (first != LG_OK)
		connector_list_free(out);
	return first;
}

void
connector_list_free(struct connector_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		l->v[i].ops->destroy(l->v[i].conn);
		free(l->v[i].name);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

struct connector *
connector_find(struct connector_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}
