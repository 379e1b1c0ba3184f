/*
 * Postal addresses as people write them, in their country's order: a
 * whole address ("Musterstr. 1, 10115 Berlin", "742 Evergreen Terrace,
 * Springfield, IL 62704"), "postcode city" ("3511 AB Utrecht",
 * "D-10115 Berlin") or "city postcode" ("Brighton BN2 1TL"). Each
 * country's postcode shape decides which part is the postcode; the
 * country is the one the address is evidently in.
 */
#ifndef LG_POSTAL_H
#define LG_POSTAL_H

struct postal {
	char *street;		/* with its number: "Jagtvej 101, 2. tv." */
	char *postcode;		/* as the country writes it: "3511 AB" */
	char *city;		/* no postcode, province, state, district */
	char country[3];	/* ISO 3166 alpha-2; "" when not evident */
};

/*
 * Split text (UTF-8; parts separated by commas or line breaks) into out
 * (fields NULL when absent; free with postal_clear). country (ISO
 * alpha-2, may be NULL) is a hint: it settles a postcode several
 * countries could have ("8001": AT, BE, CH, DK...), else such a postcode
 * leaves out->country empty. Evidence in the text wins over the hint: a
 * prefix ("D-10115", "CH-8001"), a country's name as a part of its own
 * ("Germany"), a US state, Canadian province, Australian state or
 * Italian province next to the postcode, or a shape only one country has
 * ("BN2 1TL", "3511 AB", "00-590", "1100-053", "D02 X285").
 * LG_OK when anything was found, LG_EPERM for NULL or empty text.
 */
int postal_parse(const char *text, const char *country, struct postal *out);
void postal_clear(struct postal *p);
/*
 * 1 when postcode (as written, no prefix) has a shape of country's (NULL:
 * of any country's).
 */
int postal_fits(const char *postcode, const char *country);

#endif
