/* The portal of an unknown notification by its sender (parse/brand.c). */
#include <stddef.h>
#include <string.h>

#include "parse/brand.h"
#include "t.h"

static const struct {
	const char *domain, *brand;
} domains[] = {
	{ "trademe.co.nz", "trademe" },
	{ "crm.wix.com", "wix" },
	{ "zapimoveis.com.br", "zapimoveis" },
	{ "mail.njuskalo.hr", "njuskalo" },
	{ "kv.ee", "kv" },
	{ "realtor.ca", "realtor" },
	{ "immo-welt.de", "immowelt" },
	{ "example.co.uk", "example" },
	{ "suumo.example.jp", "suumo" },
	{ "dim.ria.com", "ria" },
	{ "mail.example.com", "example" },
	{ "olx.com.br", "olx" },
	{ "localhost", "" },
	{ "co.uk", "co" },
};

static const struct {
	const char *text, *letters;
} letters[] = {
	{ "Njuškalo", "njuskalo" },
	{ "ZAP Imóveis", "zapimoveis" },
	{ "REALTOR.ca", "realtorca" },
	{ "Nehnuteľnosti.sk", "nehnutelnostisk" },
	{ "Straße", "strase" },
	{ "Ονοματεπώνυμο", "" },
	{ "ЦИАН", "cian" },
	{ "Авито", "avito" },
	{ "Щука", "shchuka" },
	{ "직방", "" },
};

static const struct {
	const char *text, *brand;
	size_t len;
} at[] = {
	{ "Bayut Reference", "bayut", 5 },
	{ "Booli-ID", "booli", 5 },
	{ "Trade Me Listing #", "trademe", 8 },
	{ "Boolinger ID", "booli", 0 },
	{ "atHome", "athome", 6 },
	{ "Njuškalo ID", "njuskalo", 9 },
	{ "Bay", "bayut", 0 },
	{ "Bayut", "", 0 },
	{ "ЦИАН ID", "cian", 8 },
	{ "Циановый", "cian", 0 },
	{ "Щ", "s", 0 },
};

int
main(void)
{
	char out[64];
	size_t i, n;

	for (i = 0; i < sizeof(domains) / sizeof(*domains); i++) {
		out[0] = '\0';
		n = brand_of_domain(domains[i].domain, out, sizeof(out));
		T_STR(n ? out : "", domains[i].brand, "brand of %s",
		    domains[i].domain);
	}
	T_INT((int)brand_of_domain(NULL, out, sizeof(out)), 0, "no domain");
	T_INT((int)brand_of_domain("trademe.co.nz", out, 4), 0,
	    "a brand that does not fit");
	for (i = 0; i < sizeof(letters) / sizeof(*letters); i++) {
		brand_letters(letters[i].text, out, sizeof(out));
		T_STR(out, letters[i].letters, "letters of %s",
		    letters[i].text);
	}
	for (i = 0; i < sizeof(at) / sizeof(*at); i++)
		T_INT((int)brand_at(at[i].text, strlen(at[i].text),
		    at[i].brand), (int)at[i].len, "%s at the start of %s",
		    at[i].brand, at[i].text);
	T_INT((int)brand_at("Bayut", 5, NULL), 0, "no brand");
	return t_done();
}
