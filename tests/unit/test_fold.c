/*
 * util/fold.h: fold_key_prefixes() gives, for every prefix of a text,
 * the key fold_key() gives for that prefix alone (the label lookups of
 * parse_data fold a line once instead of once per place a label may end).
 */
#include <string.h>

#include "t.h"
#include "util/fold.h"
#include "util/wild.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define KEY	256

static const char *const texts[] = {
	"Vorname: Max",
	"  E-Mail-Adresse *:  a@example.de",
	"\xc3\x89L\xc3\x89" "ONORE  Dupr\xc3\xa9",		/* ÉLÉONORE  Dupré */
	"N\xc2\xb0 SeLoger : 219998877",		/* N° SeLoger */
	"Nom\xc2\xa0:\xc2\xa0" "Dupont",			/* non-breaking spaces */
	"And your last name, Noah?",
	"",
};

/* wild_match() against texts that its quick tail check sees first. */
static const struct {
	const char *pat, *text;
	int want;
} wilds[] = {
	{ "*@portal.de", "anna@PORTAL.DE", 1 },
	{ "*@portal.de", "anna@portal.de ", 0 },
	{ "*@portal.de", "portal.de", 0 },
	{ "*@portal.de", "@portal.de", 1 },
	{ "*@portal.de", "anna@portal.d\xc3\xa9", 0 },
	{ "*@*.portal.de", "a@mail.Portal.de", 1 },
	{ "*@*.portal.de", "a@portal.de", 0 },
	{ "abc", "ABC", 1 },
	{ "abc", "xabc", 0 },
	{ "abc", "bc", 0 },
	{ "*\xc3\xa9", "caf\xc3\x89", 1 },		/* "*é" and "cafÉ" */
	{ "caf\xc3\xa9", "CAF\xc3\x89", 1 },
	{ "a*", "ab", 1 },
	{ "*b", "b", 1 },
	{ "", "", 1 },
	{ "", "x", 0 },
	{ "*", "", 1 },
	{ "**", "x", 1 },
	{ "x*y*z", "xAyBz", 1 },
	{ "x*y*z", "xAyBzz", 1 },
	{ "x*y*z", "xAyBzq", 0 },
};

int
main(void)
{
	char all[KEY], one[KEY];
	size_t klen[KEY + 1], i, n, k, want;

	for (i = 0; i < NELEM(texts); i++) {
		n = strlen(texts[i]);
		fold_key_prefixes(texts[i], n, all, sizeof(all), klen);
		for (k = 0; k <= n; k++) {
			if (klen[k] == (size_t)-1)
				continue;
			want = fold_key(texts[i], k, one, sizeof(one));
			T_INT((long long)klen[k], (long long)want,
			    "text %zu prefix %zu: key length", i, k);
			T_OK(memcmp(all, one, want) == 0,
			    "text %zu prefix %zu: same key", i, k);
		}
		T_INT((long long)klen[n], (long long)fold_key(texts[i], n, one,
		    sizeof(one)), "text %zu: the whole", i);
	}
	for (i = 0; i < NELEM(wilds); i++)
		T_INT(wild_match(wilds[i].pat, wilds[i].text,
		    strlen(wilds[i].text)), wilds[i].want, "wild %zu: '%s' on "
		    "'%s'", i, wilds[i].pat, wilds[i].text);
	return t_done();
}
