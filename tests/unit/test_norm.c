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
	return t_done();
}
