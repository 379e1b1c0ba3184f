/*
 * util/fold.h: fold_key_prefixes() gives, for every prefix of a text,
 * the key fold_key() gives for that prefix alone (the label lookups of
 * parse_data fold a line once instead of once per place a label may end).
 */
#include <string.h>

#include "t.h"
#include "util/fold.h"

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
	return t_done();
}
