/*
 * The portal of a notification that no profile knows, by its sender: a
 * portal signs its mails with its own name, and its name is its domain's
 * ("Trade Me <noreply@trademe.co.nz>", "Njuškalo <no-reply@njuskalo.hr>",
 * "REALTOR.ca <noreply@realtor.ca>").
 */
#ifndef LG_BRAND_H
#define LG_BRAND_H

#include "parse/extractor.h"

/* A brand this short ("kv", "ss") names no label ("SS-ID"?). */
#define BRAND_MIN	3

/*
 * The display name of From when the mail reads as a portal's
 * notification: the prospect (prospect, may be NULL) is not the sender,
 * the display name spells the name of the sender's domain (case,
 * accents, spaces and dots aside), the domain is none of the agency's
 * (own_domains, the recipients' domains), and neither the display name
 * nor the subject names a web form (the lexicon's form_words: a hosted
 * form builder signs with its own name too). The name is what follows
 * a via word when there is one ("Emily via Kijiji"); one with no letters
 * of a script read here (Hangul, Arabic) is the portal's when From is a
 * machine's address. NULL otherwise; the string is the mail's.
 */
const char *brand_portal(const struct extract_ctx *x, const char *prospect);

/*
 * Does a mail without labels read as a notification, were its sender
 * a portal? Its From is a machine's address, or its Reply-To is at
 * another domain (the prospect's).
 */
int brand_notice(const struct extract_ctx *x);

/* Does From's display name name someone via a service ("Ciara via X")? */
int brand_via(const struct extract_ctx *x);

/*
 * The name a domain is known by: its label before the public suffix,
 * lower case ("crm.wix.com" -> "wix", "trademe.co.nz" -> "trademe",
 * "kv.ee" -> "kv"). Written to out (NUL-terminated); 0 when there is
 * none or it does not fit.
 */
size_t brand_of_domain(const char *domain, char *out, size_t size);

/*
 * s reduced to lower-case ASCII letters and digits: Latin letters with
 * accents lose them ("Njuškalo" -> "njuskalo"), Cyrillic ones are
 * romanised ("ЦИАН" -> "cian"), anything else goes.
 */
size_t brand_letters(const char *s, char *out, size_t size);

/*
 * The bytes of s (at most n) that spell brand (brand_letters() of it;
 * spaces, dots and dashes inside it aside) up to the end of a word; 0
 * when s does not start with it.
 */
size_t brand_at(const char *s, size_t n, const char *brand);

/*
 * Does a word of words (form_words) start a word of s, folded ("New
 * Tally submission", "Formspree")? s NULL is none.
 */
int brand_names_form(const char *const *words, const char *s);

#endif
