/*
 * E-mail addresses in header values and in text. The header parser is
 * our own, small and forgiving (quoted names with commas, comments,
 * groups, missing angle brackets): Reply-To and From decide who the
 * prospect is, so they must be read the way mail clients read them.
 */
#ifndef LG_ADDR_H
#define LG_ADDR_H

/*
 * The first mailbox in an address header value: *addr the address as
 * written (without <>), *name the display name unquoted (RFC 2047 words
 * not decoded; NULL when none). Returns 0, or -1 when there is no
 * address; both results are new strings.
 */
int addr_first(const char *value, char **addr, char **name);
/* 1 when s looks like local@domain.tld. */
int addr_valid(const char *s);
/* 1 when the domain of addr is domain or one of its subdomains. */
int addr_domain_is(const char *addr, const char *domain);
/*
 * 1 when domain d is the agency's: one of own_domains (NULL-terminated,
 * may be NULL) or a domain of the recipients' header value to (may be
 * NULL), subdomains included.
 */
int addr_agency_domain(const char *const *own_domains, const char *to,
    const char *d);
/*
 * The label a domain is known by, its label before the public suffix
 * ("olx" of "reply.olx.com.br"), in [*start, *end); 0 when there is none
 * ("localhost").
 */
int addr_domain_label(const char *domain, const char **start,
    const char **end);
/*
 * The domain a registrar gives out, of a domain: from that label to the
 * end ("viestit.tori.fi" -> "tori.fi", "reply.olx.com.br" ->
 * "olx.com.br"); the domain itself when it has no such label.
 */
const char *addr_registered(const char *domain);
/*
 * 1 when the local part of addr was made up by a relay to stand for
 * someone ("r-7fa21c9e0b", "msg-512987654-a81c", "0b1e9c2d7a4f3e8b9c"):
 * ten letters and digits or more, two fifths of them digits. People's
 * own (anna.muster1985) have fewer.
 */
int addr_made_up(const char *addr);
/*
 * The first address in free text that accept() takes (accept NULL takes
 * any), as a new string; NULL when none.
 */
char *addr_scan(const char *text, int (*accept)(const char *, void *),
    void *arg);

#endif
