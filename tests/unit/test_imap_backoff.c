/* Reconnect backoff: the delay after n failures, jitter included. */
#include <stddef.h>

#include "connectors/imap_backoff.h"
#include "t.h"

static const struct {
	int failures;
	int min, max;		/* seconds, inclusive */
} cases[] = {
	{ 0, 0, 0 },
	{ 1, 1, 2 },
	{ 2, 2, 4 },
	{ 3, 4, 8 },
	{ 4, 8, 16 },
	{ 7, 64, 128 },
	{ 8, 128, 256 },
	{ 9, 150, 300 },	/* 512 capped at 300 */
	{ 40, 150, 300 },	/* no overflow however long it fails */
};

#define DRAWS 200

int
main(void)
{
	struct imap_backoff b;
	size_t i;
	int d, j, k, lo, hi;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		lo = 1 << 30;
		hi = -1;
		for (k = 0; k < DRAWS; k++) {
			imap_backoff_reset(&b);
			for (j = 0; j < cases[i].failures; j++)
				imap_backoff_fail(&b);
			d = imap_backoff_delay(&b);
			lo = d < lo ? d : lo;
			hi = d > hi ? d : hi;
		}
		T_OK(lo >= cases[i].min && hi <= cases[i].max,
		    "%d failures: delay within %d..%d s (saw %d..%d)",
		    cases[i].failures, cases[i].min, cases[i].max, lo, hi);
		if (cases[i].min < cases[i].max)
			T_OK(lo < hi, "%d failures: the delay is jittered",
			    cases[i].failures);
	}
	imap_backoff_fail(&b);
	imap_backoff_reset(&b);
	T_INT(imap_backoff_delay(&b), 0, "reset: no delay");
	/* reconnect_max = 10: doubling stops at 10 s, jitter 5..10. */
	lo = 1 << 30;
	hi = -1;
	for (k = 0; k < DRAWS; k++) {
		imap_backoff_reset(&b);
		b.max = 10;
		for (j = 0; j < 20; j++)
			imap_backoff_fail(&b);
		d = imap_backoff_delay(&b);
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
	}
	T_OK(lo >= 5 && hi <= 10 && lo < hi, "a cap of 10 s: delay within "
	    "5..10 s (saw %d..%d)", lo, hi);
	imap_backoff_reset(&b);
	imap_backoff_fail(&b);
	T_OK(b.max == 10 && imap_backoff_delay(&b) >= 1 &&
	    imap_backoff_delay(&b) <= 2, "reset keeps the cap; the first try "
	    "again after 1 to 2 s");
	return t_done();
}
