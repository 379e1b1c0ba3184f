/* Phone numbers in text and their country (parse/phone.c): table-driven. */
#include <stdio.h>
#include <string.h>

#include "parse/phone.h"
#include "t.h"

#define HITS_MAX 8

/* want: the numbers as written, separated by "|"; "" for none. */
static const struct {
	const char *label, *text, *want;
} scans[] = {
	{ "international", "Tel: +49 171 2345678", "+49 171 2345678" },
	{ "slash", "0171/2345678", "0171/2345678" },
	{ "(0) in front", "Rufen Sie an: (0)6 12 34 56 78 merci",
	    "(0)6 12 34 56 78" },
	{ "french pairs", "06 12 34 56 78", "06 12 34 56 78" },
	{ "french dots", "Portable : 06.12.34.56.78", "06.12.34.56.78" },
	{ "US with code", "+1 (555) 123-4567", "+1 (555) 123-4567" },
	{ "US dashes", "call 555-123-4567 today", "555-123-4567" },
	{ "US parens", "(503) 555-0165", "(503) 555-0165" },
	{ "UK national", "020 7946 0958", "020 7946 0958" },
	{ "UK with (0)", "+44 (0)20 7946 0958", "+44 (0)20 7946 0958" },
	{ "00 prefix", "0041 79 123 45 67", "0041 79 123 45 67" },
	{ "swedish", "Ring 0708-22 33 44 efter kl. 17", "0708-22 33 44" },
	{ "norwegian", "+47 922 33 444", "+47 922 33 444" },
	{ "danish 8 digits", "Ring 22 33 44 55 efter kl. 17", "22 33 44 55" },
	{ "finnish", "Puh. 050 765 4321", "050 765 4321" },
	{ "spanish", "mi móvil es 612 345 678", "612 345 678" },
	{ "australian", "+61 7 3123 4567", "+61 7 3123 4567" },
	{ "bare with label", "Telefon: 3281234567", "3281234567" },
	{ "bare from trunk 0", "erreichbar unter 01712345678", "01712345678" },
	{ "end of sentence", "Tél. : 06 71 23 45 89.", "06 71 23 45 89" },
	{ "two on a line", "Mobil 0176 98765432, Festnetz 030 12345678",
	    "0176 98765432|030 12345678" },
	{ "comma list", "089 / 2345 6789, 0160 9876543",
	    "089 / 2345 6789|0160 9876543" },
	{ "slash between two", "0171 2345678 / 030 1234567",
	    "0171 2345678|030 1234567" },
	{ "in lines", "Name: Anna\nTel.: 0221 / 456 789 00\nE-Mail: a@b.de",
	    "0221 / 456 789 00" },
	{ "after a date", "am 21.06.2024 0171 2345678 anrufen",
	    "0171 2345678" },
	{ "non-breaking spaces", "0171\xc2\xa0" "2345678", "0171\xc2\xa0"
	    "2345678" },
	{ "signature", "Tim Hartmann\n0160 9988776\n", "0160 9988776" },
	{ "bare on its own line",
	    "Laura Ferri\nlaura@example.com\n3281234567\n", "3281234567" },
	{ "label on the line before", "Telefon\r\n3281234567 (mobil)",
	    "3281234567" },
	/* None of these is a phone number. */
	{ "date", "Besichtigung am 21.06.2024", "" },
	{ "ISO date", "ab 2024-06-21", "" },
	{ "US date", "on 06/21/2024", "" },
	{ "price dots", "Kaufpreis: 1.250.000 €", "" },
	{ "price spaces", "Preis 1 250 000 EUR", "" },
	{ "price before", "CHF 1 250 000", "" },
	{ "object id", "Objekt-ID: 12345678", "" },
	{ "listing id", "Listing ID 2019345678 · Agent ref YP-FN-8", "" },
	{ "id in parens", "West End QLD 4101 (ID 436712345)", "" },
	{ "scout id", "Scout-ID: 98765432", "" },
	{ "ref with dash", "Ref. 2024-118832", "" },
	{ "number label", "Nr. 123 456 789", "" },
	{ "IBAN", "IBAN: DE89 3704 0044 0532 0130 00", "" },
	{ "IBAN no label", "CH93 0076 2011 6238 5295 7", "" },
	{ "URL", "https://www.daft.ie/for-rent/apartment-dublin-6/5512345",
	    "" },
	{ "URL query", "https://x.example/?id=0171234567", "" },
	{ "PT postcode", "Rua Augusta 10, 1100-053 Lisboa", "" },
	{ "ZIP+4", "Springfield, IL 62704-1234", "" },
	{ "time range", "Besichtigung 10.30-12.00 Uhr", "" },
	{ "year range", "Baujahr 1998-2004", "" },
	{ "house and postcode", "Musterstr. 12 10115 Berlin", "" },
	{ "time", "Um 14:30 Uhr", "" },
	{ "bare digits", "Wohnung 98765432 ist frei", "" },
	{ "area", "Fläche 120 m², 3 Zimmer", "" },
	{ "in an address", "max.01712345678@example.com", "" },
	{ "too short", "Tel. 12345", "" },
	{ "too long", "+49 171 2345678 9012 3456", "" },
	{ "decimal", "Nebenkosten 1234567,50 pro Jahr", "" },
	{ "id label on the line before", "Objekt-ID\n987654321\n", "" },
	{ "IP address", "Remote IP: 198.51.100.23", "" },
	{ "house number and postcode",
	    "Via di Santa Cornelia 1000 - 00060 Formello (RM)", "" },
	{ "empty", "", "" },
};

/* The hits of text as "a|b|c". */
static void
scan(const char *text, char *out, size_t len)
{
	struct phone_hit hits[HITS_MAX];
	size_t n, i;

	out[0] = '\0';
	n = phone_scan(text, hits, HITS_MAX);
	for (i = 0; i < n && i < HITS_MAX; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s%.*s",
		    i ? "|" : "", (int)hits[i].len, text + hits[i].off);
}

static char *const berlin_numbers[] = { "+49 30 12345678", "0171 2345678" };
static char *const french_numbers[] = { "+33 6 12 44 87 90" };
static char *const mixed_numbers[] = { "+41 79 123 45 67", "+44 7700 900123" };

static const struct {
	const char *label, *number;
	struct phone_evidence ev;
	const char *want;
} countries[] = {
	{ "own code", "+49 171 2345678", { .fallback = "CH" }, "DE" },
	{ "own 00 code", "0049 171 2345678", { .fallback = "CH" }, "DE" },
	{ "own +1", "+1 (555) 123-4567", { .fallback = "DE" }, "US" },
	{ "code not known", "+86 10 1234 5678", { .fallback = "CH" }, NULL },
	{ "settled country", "0171 2345678",
	    { .country = "de", .fallback = "CH" }, "DE" },
	{ "portal", "079 123 45 67", { .portal = "CH", .fallback = "DE" },
	    "CH" },
	{ "portal before postcode", "06 12 34 56 78",
	    { .portal = "FR", .postcode = "8001", .fallback = "CH" }, "FR" },
	{ "portal that does not fit", "0171 2345678",
	    { .portal = "CH", .postcode = "10435", .city = "Berlin",
	    .language = "de", .fallback = "CH" }, "DE" },
	{ "postcode and language", "0171 2345678",
	    { .postcode = "10435", .city = "Berlin", .language = "de",
	    .fallback = "CH" }, "DE" },
	{ "postcode of france", "06 12 34 56 78",
	    { .postcode = "69003", .city = "Lyon", .language = "fr",
	    .fallback = "CH" }, "FR" },
	{ "4 digits, fallback among", "022 345 67 89",
	    { .postcode = "1207", .city = "Genève", .language = "fr",
	    .fallback = "CH" }, "CH" },
	{ "4 digits and nl", "0475 12 34 56",
	    { .postcode = "1060", .language = "nl", .fallback = "DE" }, "BE" },
	{ "dutch postcode", "020 123 4567",
	    { .postcode = "3511 AB", .fallback = "DE" }, "NL" },
	{ "british postcode", "07700 900123",
	    { .postcode = "BN2 1TL", .fallback = "DE" }, "GB" },
	{ "prefixed postcode", "0171 2345678",
	    { .postcode = "D-10115", .fallback = "AT" }, "DE" },
	{ "other numbers", "0171 2345678",
	    { .numbers = berlin_numbers, .nnumbers = 2, .fallback = "CH" },
	    "DE" },
	{ "other numbers disagree", "0171 2345678",
	    { .numbers = mixed_numbers, .nnumbers = 2, .fallback = "DE" },
	    "DE" },
	{ "language nl", "06 12345678", { .language = "nl", .fallback = "DE" },
	    "NL" },
	{ "language es", "612 345 678", { .language = "es", .fallback = "DE" },
	    "ES" },
	{ "language pt", "912 345 678",
	    { .language = "pt-PT", .fallback = "CH" }, "PT" },
	{ "language it, swiss agency", "091 123 45 67",
	    { .language = "it", .fallback = "CH" }, "CH" },
	{ "language de is no country", "0171 2345678",
	    { .language = "de", .fallback = "CH" }, "CH" },
	{ "language en, fallback US", "555-123-4567",
	    { .language = "en", .fallback = "US" }, "US" },
	{ "language that does not fit", "0171 2345678",
	    { .language = "es", .fallback = "DE" }, "DE" },
	{ "nothing but the fallback", "0171 2345678", { .fallback = "DE" },
	    "DE" },
	{ "unknown fallback", "0171 2345678", { .fallback = "XX" }, "XX" },
	{ "nothing", "0171 2345678", { .fallback = NULL }, NULL },
	/* The prospect's country: no number to check. */
	{ "prospect: postcode", NULL,
	    { .postcode = "10435", .city = "Berlin", .language = "de" }, "DE" },
	{ "prospect: language de", NULL, { .language = "de" }, NULL },
	{ "prospect: language it is no evidence", NULL, { .language = "it" },
	    NULL },
	{ "prospect: then the fallback", NULL,
	    { .language = "it", .fallback = "CH" }, "CH" },
	{ "prospect: 4 digits and fr", NULL,
	    { .postcode = "1207", .city = "Genève", .language = "fr" }, NULL },
	{ "prospect: numbers", NULL,
	    { .numbers = french_numbers, .nnumbers = 1, .language = "it" },
	    "FR" },
	{ "prospect: nothing", NULL, { .fallback = NULL }, NULL },
};

int
main(void)
{
	char got[512];
	struct phone_hit one;
	size_t i;

	for (i = 0; i < sizeof(scans) / sizeof(scans[0]); i++) {
		scan(scans[i].text, got, sizeof(got));
		T_STR(got, scans[i].want, "scan: %s", scans[i].label);
	}
	T_INT(phone_scan(NULL, &one, 1), 0, "scan: NULL");
	T_INT(phone_scan("0171 2345678, 030 1234567, 040 7654321", &one, 1),
	    3, "scan: counts past max");
	T_INT(one.off, 0, "scan: the first in the room there is");
	for (i = 0; i < sizeof(countries) / sizeof(countries[0]); i++)
		T_STR(phone_country(countries[i].number, &countries[i].ev),
		    countries[i].want, "country: %s", countries[i].label);
	return t_done();
}
