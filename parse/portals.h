/*
 * The portals we know by their addresses: each portal's sender domains,
 * the name it goes by there, and the language of its mails. Data only:
 * the extractors ask it whose an address is (a portal's address is never
 * the prospect's); what a portal's mails look like is in portal.c.
 */
#ifndef LG_PORTALS_H
#define LG_PORTALS_H

struct portals_domain {
	const char *portal;	/* the extractor's name ("immoscout24") */
	const char *domain;	/* "immobilienscout24.de", subdomains too */
	const char *display;	/* "ImmoScout24" */
	const char *lang;	/* NULL: the portal's languages vary */
};

/*
 * The domain of portal (NULL: of any portal, in table order) that addr
 * belongs to, or NULL; addr may be NULL.
 */
const struct portals_domain *portals_domain(const char *portal,
    const char *addr);
/* The display name of the portal owning addr, or NULL. */
const char *portals_of_address(const char *addr);
/* The language of the portal owning addr ("de"), or NULL. */
const char *portals_language(const char *addr);
/* The display name for a portal's own name of itself ("immowelt.de"). */
const char *portals_display(const char *name);

#endif
