/* E-mail and phone normalization: table-driven. */
#include <stdio.h>
#include <string.h>

#include "util/norm.h"
#include "t.h"

static const struct {
	const char *label;
	const char *in;
	const char *want;	/* NULL: refused */
} emails[] = {
	{ "lower-cased", "Anna.Muster@Example.CH", "anna.muster@example.ch" },
	{ "trimmed", "  max@example.de \t", "max@example.de" },
	{ "angle brackets", "<jean@exemple.fr>", "jean@exemple.fr" },
	{ "plus tag kept", "a+tag@example.com", "a+tag@example.com" },
	{ "subdomain", "x@mail.example.co.uk", "x@mail.example.co.uk" },
	{ "no at", "anna.example.ch", NULL },
	{ "empty local", "@example.ch", NULL },
	{ "empty domain", "anna@", NULL },
	{ "space inside", "an na@example.ch", NULL },
	{ "double dot", "anna..m@example.ch", NULL },
	{ "domain dot start", "anna@.example.ch", NULL },
	{ "CRLF injection", "a@b.ch\r\nBcc: c@d.ch", NULL },
	{ "bad domain char", "a@exa_mple.ch", NULL },
	{ "empty", "", NULL },
};

static const struct {
	const char *label;
	const char *in;
	const char *country;
	const char *want;	/* NULL: refused */
} phones[] = {
	{ "swiss national", "044 123 45 67", "CH", "+41441234567" },
	{ "swiss mobile dashes", "079-123-45-67", "CH", "+41791234567" },
	{ "plus with (0)", "+41 (0)44 123 45 67", "DE", "+41441234567" },
	{ "00 prefix", "0049 30 1234567", "CH", "+49301234567" },
	{ "german slash", "030/1234567", "DE", "+49301234567" },
	{ "french dots", "01.23.45.67.89", "FR", "+33123456789" },
	{ "italy keeps zero", "06 1234 5678", "IT", "+390612345678" },
	{ "US ten digits", "(212) 555-0100", "US", "+12125550100" },
	{ "US with 1", "1 212 555 0100", "US", "+12125550100" },
	{ "tel: uri", "tel:+41441234567", "CH", "+41441234567" },
	{ "letters", "call me maybe", "CH", NULL },
	{ "too short", "123", "CH", NULL },
	{ "too long", "+1234567890123456", "CH", NULL },
	{ "unknown country", "044 123 45 67", "XX", NULL },
	{ "two pluses", "++41441234567", "CH", NULL },
	{ "empty", "", "CH", NULL },
	{ "hungary drops 06", "06 30 123 4567", "HU", "+36301234567" },
	{ "australia", "0412 345 678", "AU", "+61412345678" },
	{ "south africa", "082 555 1234", "ZA", "+27825551234" },
	{ "slovakia", "0905 123 456", "SK", "+421905123456" },
	{ "new zealand", "021 123 4567", "NZ", "+64211234567" },
	{ "UK with (0)", "+44 (0)20 7946 0958", "CH", "+442079460958" },
};

/* Which national numbers could be a country's (norm_phone_fits). */
static const struct {
	const char *in;
	const char *country;
	int fits;
} fits[] = {
	{ "0171 2345678", "DE", 1 }, { "0171 2345678", "CH", 0 },
	{ "079 123 45 67", "CH", 1 }, { "079 123 45 67", "DE", 1 },
	{ "06 12 34 56 78", "FR", 1 }, { "06 12 34 56 78", "BE", 0 },
	{ "0475 12 34 56", "BE", 1 }, { "081 22 45 67", "BE", 1 },
	{ "06-12345678", "NL", 1 }, { "06-12345678", "BE", 0 },
	{ "612 345 678", "ES", 1 }, { "012 345 678", "ES", 0 },
	{ "912 345 678", "PT", 1 }, { "3281234567", "IT", 1 },
	{ "045 8012345", "IT", 1 }, { "045 8012345", "ES", 0 },
	{ "020 7946 0958", "GB", 1 }, { "(555) 123-4567", "US", 1 },
	{ "555-123-4567", "CA", 1 }, { "555-123-4567", "GB", 0 },
	{ "22 33 44 55", "DK", 1 }, { "22 33 44 55", "SE", 0 },
	{ "070-123 45 67", "SE", 1 }, { "+49 171 2345678", "DE", 1 },
	{ "+49 171 2345678", "CH", 0 }, { "0049 171 2345678", "DE", 1 },
	{ "06 30 123 4567", "HU", 1 }, { "0412 345 678", "AU", 1 },
	{ "0171 2345678", "XX", 0 }, { "call me", "DE", 0 },
};

/* The country of a number written with its code (norm_phone_country). */
static const struct {
	const char *in;
	const char *want;
} codes[] = {
	{ "+49 171 2345678", "DE" }, { "0041 79 123 45 67", "CH" },
	{ "+1 (555) 123-4567", "US" }, { "+353 87 123 4567", "IE" },
	{ "+358 50 987 6543", "FI" }, { "+351 934 567 890", "PT" },
	{ "+420 603 123 456", "CZ" }, { "+421 905 123 456", "SK" },
	{ "+44 (0)20 7946 0958", "GB" }, { "+86 10 1234 5678", NULL },
	{ "0171 2345678", NULL }, { "", NULL },
};

int
main(void)
{
	char out[64];
	struct err e;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(emails) / sizeof(emails[0]); i++) {
		err_clear(&e);
		rc = norm_email(emails[i].in, out, sizeof(out), &e);
		if (emails[i].want)
			T_STR(rc == LG_OK ? out : e.msg, emails[i].want,
			    "email: %s", emails[i].label);
		else
			T_OK(rc == LG_EPERM && strstr(e.msg, "malformed"),
			    "email refused: %s", emails[i].label);
	}
	for (i = 0; i < sizeof(phones) / sizeof(phones[0]); i++) {
		err_clear(&e);
		rc = norm_phone(phones[i].in, phones[i].country, out,
		    sizeof(out), &e);
		if (phones[i].want)
			T_STR(rc == LG_OK ? out : e.msg, phones[i].want,
			    "phone: %s", phones[i].label);
		else
			T_OK(rc == LG_EPERM && e.msg[0], "phone refused: %s",
			    phones[i].label);
	}
	for (i = 0; i < sizeof(fits) / sizeof(fits[0]); i++)
		T_INT(norm_phone_fits(fits[i].in, fits[i].country),
		    fits[i].fits, "fits: %s in %s", fits[i].in,
		    fits[i].country);
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		T_STR(norm_phone_country(codes[i].in), codes[i].want,
		    "country of [%s]", codes[i].in);
	return t_done();
}
