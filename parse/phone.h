/*
 * Phone numbers in free text, and the country a number written without
 * its country code belongs to.
 */
#ifndef LG_PHONE_H
#define LG_PHONE_H

#include <stddef.h>

struct phone_hit {
	size_t off;		/* where the number starts in the text */
	size_t len;		/* its bytes, as written */
};

/*
 * The phone numbers in text (UTF-8), in order, national and
 * international forms: "+49 171 2345678", "0171/2345678",
 * "(0)6 12 34 56 78", "+1 (555) 123-4567", "555-123-4567",
 * "+44 (0)20 7946 0958", "0708-22 33 44". Not dates, times, prices,
 * amounts, postcodes, IBANs, numbers in URLs or after an id label ("ID",
 * "Nr.", "Ref", "IBAN"...); a run of digits without separators only
 * from a trunk "0", a "+" or "00", or after a phone label ("Tel",
 * "Phone", "Mobil", "Handy", "Cell"...). Fills up to max hits; returns
 * how many numbers there are (more than max when they did not fit).
 */
size_t phone_scan(const char *text, struct phone_hit *hits, size_t max);

/*
 * What is known about the prospect, to tell the country of a number.
 * Every field may be NULL.
 */
struct phone_evidence {
	const char *country;	/* the prospect's, as settled (inquiry) */
	const char *portal;	/* the portal's country */
	const char *postcode;	/* the prospect's postcode, as written */
	const char *city;	/* and city */
	const char *language;	/* ISO 639-1 of the prospect's words */
	char *const *numbers;	/* all the prospect's numbers */
	size_t nnumbers;
	const char *fallback;	/* store.default_country */
};

/*
 * The country (ISO 3166 alpha-2) of number, by the best evidence, in
 * this order:
 *
 *  1. its own code: "+49...", "0049..." (NULL for a code we do not know:
 *     the number needs no country);
 *  2. the prospect's country as already settled (ev->country);
 *  3. the portal's country;
 *  4. the country of the postcode: evident from its shape or the city
 *     (postal_parse(): "3511 AB", "BN2 1TL", "D-10115"), else the one
 *     country of the language's whose shape it has (10115 and "de": DE;
 *     1207 and "fr": BE, CH or LU, so the fallback when it is one of
 *     them, else none);
 *  5. the code of the prospect's other numbers, when they agree
 *     ("+49 30 1234567" and "0171 2345678");
 *  6. the language, only where it is evidence: the fallback when the
 *     language is spoken there (de and CH), else the language's one
 *     country (it: IT, es: ES, pt: PT, pl: PL, cs: CZ, sv: SE, da: DK,
 *     nb: NO, fi: FI, hu: HU, sk: SK), else the one country of the
 *     language's that the number fits ("06 12345678" and nl: NL, not BE;
 *     de, fr and en are never one country);
 *  7. ev->fallback.
 *
 * Steps 2 to 6 are skipped when number cannot be a national number of
 * that country (norm_phone_fits(): "0171 2345678" is not Swiss, so a
 * German mobile on a Swiss portal goes on to the postcode or the
 * default). number NULL asks for the prospect's country: steps 2 to 5
 * without that check, then the fallback; the language alone says where a
 * number is written, not where the prospect lives (Italian is spoken in
 * Lugano too). NULL when nothing is known.
 */
const char *phone_country(const char *number, const struct phone_evidence *ev);

#endif
