#include <stdint.h>
#include <stdlib.h>

#include "connectors/imap_backoff.h"

void
imap_backoff_fail(struct imap_backoff *b)
{
	int base = IMAP_BACKOFF_FIRST, i;
	int max = b->max > 0 ? b->max : IMAP_BACKOFF_MAX;

	b->failures++;
	for (i = 1; i < b->failures && base < max; i++)
		base *= 2;
	if (base > max)
		base = max;
	b->delay = base / 2 + (int)arc4random_uniform((uint32_t)(base / 2 + 1));
}

void
imap_backoff_reset(struct imap_backoff *b)
{
	b->failures = 0;
	b->delay = 0;
}

int
imap_backoff_delay(const struct imap_backoff *b)
{
	return b->delay;
}
