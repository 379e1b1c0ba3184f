/* A listing's id in a link to the portal's own site (parse/listing_url.c). */
#include <stdlib.h>
#include <string.h>

#include "parse/listing_url.h"
#include "t.h"

static const char *const words[] = { "expose", "listings", "property",
	"apartment", "flat", NULL };

static const struct {
	const char *label, *text, *domain, *want;
} cases[] = {
	{ "digits after a listing word", "see https://www.portal.example/"
	    "expose/112233445 now", "portal.example", "112233445" },
	{ "another domain's link", "https://www.other.example/expose/"
	    "112233445", "portal.example", NULL },
	{ "the last run of digits", "https://portal.example/flat/2024/"
	    "301245678/", "portal.example", "301245678" },
	{ "an id with letters", "https://www.madlan.co.il/listings/Xk72hP9d",
	    "madlan.co.il", "Xk72hP9d" },
	{ "digits alone before letters and digits",
	    "https://portal.example/property/77665544/photo/3a4b5c",
	    "portal.example", "77665544" },
	{ "letters and digits after a slug", "https://www.homes.com/"
	    "property/215-peachtree-ave-ne/5xq2kz8wq0y1d/", "homes.com",
	    "5xq2kz8wq0y1d" },
	{ "a word with a few digits is no id", "https://portal.example/"
	    "apartment/2bhk-flat-in-pune", "portal.example", NULL },
	{ "a slug ending in the number", "https://www.argenprop.com/"
	    "departamento-en-venta-en-palermo-3-ambientes--15234789",
	    "argenprop.com", "15234789" },
	{ "a page named by the number", "https://portland.craigslist.org/"
	    "mlt/apa/d/portland-sunny-studio/7781234567.html",
	    "reply.craigslist.org", "7781234567" },
	{ "a short number after a slug", "https://portal.example/"
	    "hilfe-und-kontakt-2024", "portal.example", NULL },
	{ "a number alone with no word nor page", "https://portal.example/"
	    "u/77812345678", "portal.example", NULL },
	{ "a query is not the path", "https://portal.example/search?"
	    "listing=12345678", "portal.example", NULL },
};

static const struct {
	const char *label, *text, *want;
} agency[] = {
	{ "a reference in the path", "Conversation sur https://www."
	    "alpes-chalets.example/annonce/ANC-CHX-56", "ANC-CHX-56" },
	{ "a reference before the slug", "https://www.alpes-chalets.example/"
	    "nabidka/BR-ZAB-311-byt-3-kk-zabovresky", "BR-ZAB-311" },
	{ "a reference in the query", "<a href=\"https://alpes-chalets.example/"
	    "bien.php?ref=PQ-T3-57\">T3</a>", "PQ-T3-57" },
	{ "a portal's link is not the agency's", "https://www.portal.example/"
	    "annonce/ANC-CHX-56", NULL },
	{ "words in capitals with no digit", "https://alpes-chalets.example/"
	    "FAQ-PAGE/", NULL },
	{ "a reference inside a word", "https://alpes-chalets.example/"
	    "chaletANC-CHX-56", NULL },
};

int
main(void)
{
	char *id, *url;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		id = listing_url_id(cases[i].text, cases[i].domain, words, &url);
		T_STR(id, cases[i].want, "%s", cases[i].label);
		T_OK((url != NULL) == (cases[i].want != NULL),
		    "%s: the link kept", cases[i].label);
		free(id);
		free(url);
	}
	T_STR(listing_url_id(NULL, "portal.example", words, &url), NULL,
	    "no text");
	for (i = 0; i < sizeof(agency) / sizeof(*agency); i++) {
		id = listing_url_agency_ref(agency[i].text, NULL,
		    "Agence <contact@alpes-chalets.example>", &url);
		T_STR(id, agency[i].want, "agency's link: %s", agency[i].label);
		free(id);
		free(url);
	}
	return t_done();
}
