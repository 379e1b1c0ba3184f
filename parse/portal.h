/*
 * Mail read with the portal profiles and the lexicon, as
 * leadgate-portals(5), HOW A MAIL IS READ, says: the profile a mail
 * matches (domain > header > subject > marker), the mail's language,
 * the labels in the order these give, the references in the subject,
 * the text and the listing URLs, the sender (never a relay), the
 * message. generic.c reads a mail no profile matches the same way,
 * with the lexicon alone.
 */
#ifndef LG_PARSE_PORTAL_H
#define LG_PARSE_PORTAL_H

struct extract_ctx;
struct mail;
struct parse_data;
struct profile;

/* How a profile matched, strongest first. */
enum portal_how {
	PORTAL_DOMAIN,
	PORTAL_HEADER,
	PORTAL_SUBJECT,
	PORTAL_MARKER,
};

/* The profile m matches (how in *how when not NULL), or NULL. */
const struct profile *portal_match(const struct parse_data *pd,
    const struct mail *m, enum portal_how *how);
/* "domain", "header", "subject", "marker". */
const char *portal_how_name(enum portal_how how);
/* Read x->m with x->p, the mail's profile (NULL: the lexicon alone). */
int portal_extract(struct extract_ctx *x);

#endif
