/*
 * The portals' sender domains, in one table: the order is the order of
 * detection in extract.c, so the first portal listed wins a lookup.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "parse/addr.h"
#include "parse/portals.h"

static const struct portals_domain domains[] = {
	{ "immoscout24", "immobilienscout24.de", "ImmoScout24", "de" },
	{ "immoscout24", "immoscout24.de", "ImmoScout24", "de" },
	{ "immoscout24", "immobilienscout24.at", "ImmoScout24.at", "de" },
	{ "immowelt", "immowelt.de", "Immowelt", "de" },
	{ "immowelt", "immowelt.at", "Immowelt", "de" },
	{ "immowelt", "immonet.de", "Immonet", "de" },
	{ "homegate", "homegate.ch", "Homegate", NULL },
	{ "homegate", "immoscout24.ch", "ImmoScout24.ch", NULL },
	{ "seloger", "seloger.com", "SeLoger", "fr" },
	{ "leboncoin", "leboncoin.fr", "Leboncoin", "fr" },
};

#define NDOMAINS (sizeof(domains) / sizeof(domains[0]))

const struct portals_domain *
portals_domain(const char *portal, const char *addr)
{
	size_t i;

	if (addr == NULL)
		return NULL;
	for (i = 0; i < NDOMAINS; i++)
		if ((portal == NULL ||
		    strcmp(domains[i].portal, portal) == 0) &&
		    addr_domain_is(addr, domains[i].domain))
			return &domains[i];
	return NULL;
}

const char *
portals_of_address(const char *addr)
{
	const struct portals_domain *d = portals_domain(NULL, addr);

	return d ? d->display : NULL;
}

const char *
portals_language(const char *addr)
{
	const struct portals_domain *d = portals_domain(NULL, addr);

	return d ? d->lang : NULL;
}

/* Letters and digits only, lower case: "ImmobilienScout24" -> ... */
static void
squash(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s && n + 1 < size; s++)
		if (isalnum((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
}

const char *
portals_display(const char *name)
{
	const struct portals_domain *d;
	char want[64], have[64];
	size_t i, first;

	if (name == NULL)
		return NULL;
	squash(name, want, sizeof(want));
	for (i = 0; i < NDOMAINS; i++) {
		d = &domains[i];
		/* "ImmoScout24", "immobilienscout24.de", "Immowelt" */
		squash(d->display, have, sizeof(have));
		if (strcmp(want, have) == 0)
			return d->display;
		squash(d->domain, have, sizeof(have));
		if (strcmp(want, have) == 0)
			return d->display;
		first = strcspn(d->domain, ".");
		if (strlen(want) == first && strncmp(want, have, first) == 0)
			return d->display;
	}
	return NULL;
}
