#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/contact.h"
#include "util/names.h"
#include "util/norm.h"
#include "util/xmalloc.h"

static const struct name_map type_names[] = {
	{ CONTACT_PERSON, "person" },
	{ CONTACT_COMPANY, "company" },
};

static const struct name_map kind_names[] = {
	{ KIND_LEAD, "lead" },
	{ KIND_CLIENT, "client" },
	{ KIND_PARTNER, "partner" },
};

static const struct name_map prospect_names[] = {
	{ PROSPECT_NONE, "none" },
	{ PROSPECT_CURRENT, "current" },
	{ PROSPECT_LOST, "lost" },
};

static const struct name_map client_names[] = {
	{ CLIENT_NONE, "none" },
	{ CLIENT_CURRENT, "current" },
	{ CLIENT_FORMER, "former" },
};

struct contact *
contact_new(void)
{
	struct contact *c = xcalloc(1, sizeof(*c));

	c->custom = xstrdup("{}");
	return c;
}

static void
contact_addrs_free(struct contact_addr *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].given);
		free(v[i].norm);
	}
	free(v);
}

void
contact_free(struct contact *c)
{
	if (c == NULL)
		return;
	free(c->salutation);
	free(c->first_name);
	free(c->last_name);
	free(c->company);
	contact_addrs_free(c->emails, c->nemails);
	contact_addrs_free(c->phones, c->nphones);
	free(c->language);
	free(c->street);
	free(c->postcode);
	free(c->city);
	free(c->custom);
	free(c->created_at);
	free(c->updated_at);
	free(c);
}

void
contact_push_addr(struct contact_addr **v, size_t *n, const char *given,
    const char *norm)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].norm, norm) == 0)
			return;		/* the same address twice is one address */
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].given = xstrdup(given);
	(*v)[*n].norm = xstrdup(norm);
	(*n)++;
}

int
contact_add_email(struct contact *c, const char *given, struct err *e)
{
	char norm[NORM_EMAIL_MAX + 1];
	int rc;

	if ((rc = norm_email(given, norm, sizeof(norm), e)) != LG_OK)
		return rc;
	contact_push_addr(&c->emails, &c->nemails, given, norm);
	return LG_OK;
}

int
contact_add_phone(struct contact *c, const char *given, const char *country,
    struct err *e)
{
	char norm[NORM_PHONE_MAX + 1];
	int rc;

	if ((rc = norm_phone(given, country, norm, sizeof(norm), e)) != LG_OK)
		return rc;
	contact_push_addr(&c->phones, &c->nphones, given, norm);
	return LG_OK;
}

const char *
contact_display_name(const struct contact *c, char *buf, size_t len)
{
	if (c->type == CONTACT_COMPANY)
		snprintf(buf, len, "%s", c->company ? c->company : "");
	else
		snprintf(buf, len, "%s%s%s", c->first_name ? c->first_name : "",
		    c->first_name && c->last_name ? " " : "",
		    c->last_name ? c->last_name : "");
	return buf;
}

NAMES_FUNCS(contact_type, enum contact_type, type_names)
NAMES_FUNCS(contact_kind, enum contact_kind, kind_names)
NAMES_FUNCS(prospect_state, enum prospect_state, prospect_names)
NAMES_FUNCS(client_state, enum client_state, client_names)
