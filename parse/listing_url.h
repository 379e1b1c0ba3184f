/*
 * A portal's id of a listing read off a link to it: portals link their
 * notifications to the listing on their own site, and the listing's
 * number is in the link's path ("https://www.example-portal.de/expose/
 * 112233445", ".../annonce/vente/appartement/aix/12345678.htm"). A
 * fallback for portals no profile knows and for profiles without a URL
 * expression; the words that mark a listing's path are data
 * (listing_words in the lexicon, leadgate-portals(5)).
 */
#ifndef LG_LISTING_URL_H
#define LG_LISTING_URL_H

/*
 * The first link in text (http or https) whose host is of the same
 * domain name as domain (brand_of_domain(): "mail.portal.co.uk" and
 * "www.portal.co.uk" alike) and whose path has one of words (whole,
 * without case) followed, in that segment or a later one, by a run of 5
 * to 12 digits standing alone (between non-alphanumerics): the last such
 * run of the path is the id; without one, the last run of 6 to 16
 * letters and digits with at least 3 digits ("Xk72hP9d", "p998877").
 * A path without a listing word gives the number its last segment is
 * named by, 7 to 12 digits: after a slug of words ("...-en-palermo--
 * 15234789") or as the page ("7781234567.html"). Returns it as a new
 * string and the link in *url (new; may be NULL), or NULL.
 */
char *listing_url_id(const char *text, const char *domain,
    const char *const *words, char **url);

/*
 * The agency's reference of a listing in a link to the agency's own site
 * (its own_domains, or a domain of the recipients' header value to): in
 * the path or a query value, capitals and digits in groups joined by '-'
 * ("/annonce/ANC-CHX-56", "/nabidka/BR-ZAB-311-byt-3-kk",
 * "bien.php?ref=PQ-T3-57"). Returns it as a new string and the link in
 * *url (new), or NULL.
 */
char *listing_url_agency_ref(const char *text, const char *const *own_domains,
    const char *to, char **url);

#endif
