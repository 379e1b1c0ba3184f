/* Postal addresses by country (parse/postal.c): table-driven. */
#include <stddef.h>
#include <stdio.h>

#include "util/err.h"
#include "parse/postal.h"
#include "t.h"

static const struct {
	const char *text;
	const char *hint;
	const char *street, *postcode, *city, *country;
} cases[] = {
	/* Postcode before the city. */
	{ "Musterstr. 1, 10115 Berlin", "DE",
	    "Musterstr. 1", "10115", "Berlin", "DE" },
	{ "Musterstr. 1, 10115 Berlin", NULL,
	    "Musterstr. 1", "10115", "Berlin", "" },
	{ "D-10115 Berlin", NULL, NULL, "10115", "Berlin", "DE" },
	{ "CH-8001 Zürich", NULL, NULL, "8001", "Zürich", "CH" },
	{ "A-1030 Wien", "DE", NULL, "1030", "Wien", "AT" },
	{ "8001 Zürich", "CH", NULL, "8001", "Zürich", "CH" },
	{ "8001 Zürich", NULL, NULL, "8001", "Zürich", "" },
	{ "8001 Zürich", "DE", NULL, "8001", "Zürich", "" },
	{ "Hauptplatz 3, 8700 Leoben", "AT",
	    "Hauptplatz 3", "8700", "Leoben", "AT" },
	{ "1030 Wien 3.", "AT", NULL, "1030", "Wien", "AT" },
	{ "3511 AB Utrecht", NULL, NULL, "3511 AB", "Utrecht", "NL" },
	/* The street after postcode and city, as Hungarian writes it. */
	{ "4032 Debrecen, Egyetem tér 5.", "HU",
	    "Egyetem tér 5.", "4032", "Debrecen", "HU" },
	{ "Biltstraat 88\n3572 BH Utrecht", NULL,
	    "Biltstraat 88", "3572 BH", "Utrecht", "NL" },
	{ "00-590 Warszawa", NULL, NULL, "00-590", "Warszawa", "PL" },
	{ "ul. Puławska 12 m. 5, 00-590 Warszawa", NULL,
	    "ul. Puławska 12 m. 5", "00-590", "Warszawa", "PL" },
	{ "Calle Mayor 5, 3º B, 28013 Madrid", "ES",
	    "Calle Mayor 5, 3º B", "28013", "Madrid", "ES" },
	{ "Rua Augusta 10, 1100-053 Lisboa", NULL,
	    "Rua Augusta 10", "1100-053", "Lisboa", "PT" },
	{ "Jagtvej 101, 2. tv., 2200 København N", "DK",
	    "Jagtvej 101, 2. tv.", "2200", "København", "DK" },
	{ "Jagtvej 101, 2. tv., 2200 København N", NULL,
	    "Jagtvej 101, 2. tv.", "2200", "København", "" },
	{ "8000 Aarhus C", "DK", NULL, "8000", "Aarhus", "DK" },
	{ "5260 Odense SØ", "DK", NULL, "5260", "Odense", "DK" },
	{ "SE-114 55 Stockholm", NULL, NULL, "114 55", "Stockholm", "SE" },
	{ "114 55 Stockholm", NULL, NULL, "114 55", "Stockholm", "" },
	{ "413 04 Göteborg", "SE", NULL, "413 04", "Göteborg", "SE" },
	{ "120 00 Praha 2", "CZ", NULL, "120 00", "Praha", "CZ" },
	{ "Fleminginkatu 12 B 34, 00530 Helsinki", "FI",
	    "Fleminginkatu 12 B 34", "00530", "Helsinki", "FI" },
	{ "0150 Oslo", "NO", NULL, "0150", "Oslo", "NO" },
	{ "1051 Budapest", "HU", NULL, "1051", "Budapest", "HU" },
	{ "L-1724 Luxembourg", NULL, NULL, "L-1724", "Luxembourg", "LU" },
	{ "Rue de la Victoire 41, 1060 Saint-Gilles", "BE",
	    "Rue de la Victoire 41", "1060", "Saint-Gilles", "BE" },
	{ "69004 Lyon 4e", "FR", NULL, "69004", "Lyon", "FR" },
	{ "75001 Paris Cedex 01", "FR", NULL, "75001", "Paris", "FR" },
	{ "F-75008 Paris", NULL, NULL, "75008", "Paris", "FR" },
	/* Italian provinces. */
	{ "40121 Bologna BO", NULL, NULL, "40121", "Bologna", "IT" },
	{ "40121 Bologna (BO)", NULL, NULL, "40121", "Bologna", "IT" },
	{ "Via Roma 1, 40121 Bologna (BO)", NULL,
	    "Via Roma 1", "40121", "Bologna", "IT" },
	{ "Bologna (BO)", NULL, NULL, NULL, "Bologna", "IT" },
	/* City before the postcode. */
	{ "Brighton BN2 1TL", NULL, NULL, "BN2 1TL", "Brighton", "GB" },
	{ "1275, rue Beaubien Est, Montréal (Québec) H2G 1K9", NULL,
	    "1275, rue Beaubien Est", "H2G 1K9", "Montréal", "CA" },
	{ "5, Springfield, IL 62704", NULL, "5", "62704", "Springfield", "US" },
	{ "Brīvības iela 112-5, Rīga, LV-1001", NULL, "Brīvības iela 112-5",
	    "LV-1001", "Rīga", "LV" },
	{ "Triq San Pawl 45, San Pawl il-Baħar NXR 2010", NULL,
	    "Triq San Pawl 45", "NXR 2010", "San Pawl il-Baħar", "MT" },
	{ "Vukovarska 12, 10000 Zagreb, Hrvatska", NULL, "Vukovarska 12",
	    "10000", "Zagreb", "HR" },
	{ "27 Upper Rock Gardens, Brighton, BN2 1QE", NULL,
	    "27 Upper Rock Gardens", "BN2 1QE", "Brighton", "GB" },
	{ "Flat 3, 12 Park Road, Kendal, Cumbria LA9 4PQ", NULL,
	    "Flat 3, 12 Park Road", "LA9 4PQ", "Kendal", "GB" },
	{ "18 Unthank Road, Norwich NR2 2PA", NULL,
	    "18 Unthank Road", "NR2 2PA", "Norwich", "GB" },
	{ "London sw1a 1aa", NULL, NULL, "SW1A 1AA", "London", "GB" },
	{ "Edinburgh EH6 6QU", "GB", NULL, "EH6 6QU", "Edinburgh", "GB" },
	{ "D02 X285 Dublin", NULL, NULL, "D02 X285", "Dublin", "IE" },
	{ "14 Leinster Road, Rathmines, Dublin 6, D06 F2X7", NULL,
	    "14 Leinster Road", "D06 F2X7", "Dublin", "IE" },
	{ "Springfield, IL 62704", NULL, NULL, "62704", "Springfield",
	    "US" },
	{ "742 Evergreen Terrace, Springfield, IL 62704", NULL,
	    "742 Evergreen Terrace", "62704", "Springfield", "US" },
	{ "1220 N Prospect Ave, Apt 4, Milwaukee, WI 53202", NULL,
	    "1220 N Prospect Ave, Apt 4", "53202", "Milwaukee", "US" },
	{ "New York, NY 10001-2345", NULL, NULL, "10001-2345", "New York",
	    "US" },
	{ "Toronto, ON M5V 2T6", NULL, NULL, "M5V 2T6", "Toronto", "CA" },
	{ "Fitzroy North VIC 3068", NULL, NULL, "3068", "Fitzroy North",
	    "AU" },
	{ "12/88 Vulture St, West End QLD 4101", NULL,
	    "12/88 Vulture St", "4101", "West End", "AU" },
	{ "Cape Town 8001", "ZA", NULL, "8001", "Cape Town", "ZA" },
	{ "Auckland 1010", "NZ", NULL, "1010", "Auckland", "NZ" },
	/* Country names. */
	{ "Musterstr. 1, 10115 Berlin, Germany", NULL,
	    "Musterstr. 1", "10115", "Berlin", "DE" },
	{ "Bahnhofstrasse 1, 8001 Zürich, Schweiz", NULL,
	    "Bahnhofstrasse 1", "8001", "Zürich", "CH" },
	{ "Storgatan 1, 114 55 Stockholm, Sverige", "DE",
	    "Storgatan 1", "114 55", "Stockholm", "SE" },
	/* The postcode and the text around it, other orders. */
	{ "Berlin 10115", "DE", NULL, "10115", "Berlin", "DE" },
	{ "10115", "DE", NULL, "10115", NULL, "DE" },
	{ "Berlin", "DE", NULL, NULL, "Berlin", "DE" },
	{ "Musterstr. 1", NULL, "Musterstr. 1", NULL, NULL, "" },
	{ "Musterstr. 1, Berlin", NULL, "Musterstr. 1", NULL, "Berlin", "" },
	{ "Musterstr. 1 10115 Berlin", "DE", "Musterstr. 1", "10115",
	    "Berlin", "DE" },
	{ "  Lindenstraße 5 ,  53115   Bonn  ", "DE",
	    "Lindenstraße 5", "53115", "Bonn", "DE" },
	{ "Kleverparkweg 31\r\n2023 CA Haarlem\r\n", NULL,
	    "Kleverparkweg 31", "2023 CA", "Haarlem", "NL" },
	/* Evidence in the text beats the hint. */
	{ "Brighton BN2 1TL", "DE", NULL, "BN2 1TL", "Brighton", "GB" },
	{ "3511 AB Utrecht", "BE", NULL, "3511 AB", "Utrecht", "NL" },
};

static const struct {
	const char *postcode, *country;
	int fits;
} fits[] = {
	{ "10115", "DE", 1 }, { "1011", "DE", 0 }, { "3511 AB", "NL", 1 },
	{ "3511AB", "NL", 1 }, { "3511 ab", "NL", 0 }, { "BN2 1TL", "GB", 1 },
	{ "SW1A 1AA", "GB", 1 }, { "00-590", "PL", 1 }, { "00590", "PL", 0 },
	{ "1100-053", "PT", 1 }, { "D02 X285", "IE", 1 }, { "8001", "CH", 1 },
	{ "8001", "XX", 0 }, { "62704-1234", "US", 1 }, { "M5V 2T6", "CA", 1 },
	{ "114 55", "SE", 1 }, { "11455", "SE", 1 }, { "10115 ", "DE", 0 },
	{ "10115", NULL, 1 }, { "BN2 1TL", NULL, 1 },
	{ "30159 Hannover", NULL, 0 }, { "D-10115", NULL, 0 },
};

/* The case as one line: "TEXT (HINT)", line ends shown as "|". */
static const char *
shown(const char *text, const char *hint)
{
	static char line[256];
	size_t i;

	snprintf(line, sizeof(line), "[%s] (%s)", text, hint ? hint : "-");
	for (i = 0; line[i]; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = '|';
	return line;
}

int
main(void)
{
	struct postal p;
	const char *l;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rc = postal_parse(cases[i].text, cases[i].hint, &p);
		l = shown(cases[i].text, cases[i].hint);
		T_INT(rc, LG_OK, "%s: found", l);
		T_STR(p.street, cases[i].street, "%s: street", l);
		T_STR(p.postcode, cases[i].postcode, "%s: postcode", l);
		T_STR(p.city, cases[i].city, "%s: city", l);
		T_STR(p.country, cases[i].country, "%s: country", l);
		postal_clear(&p);
	}
	T_INT(postal_parse(NULL, "DE", &p), LG_EPERM, "NULL text");
	T_INT(postal_parse("", NULL, &p), LG_EPERM, "empty text");
	T_INT(postal_parse(" , ,\n", NULL, &p), LG_EPERM, "only separators");
	T_OK(p.street == NULL && p.city == NULL, "nothing left behind");
	postal_clear(&p);
	postal_clear(NULL);
	for (i = 0; i < sizeof(fits) / sizeof(fits[0]); i++)
		T_INT(postal_fits(fits[i].postcode, fits[i].country),
		    fits[i].fits, "fits [%s] %s", fits[i].postcode,
		    fits[i].country ? fits[i].country : "any");
	return t_done();
}
