#include <stdint.h>
#include <stdlib.h>

#include "connectors/imap_backoff.h"

void
imap_backoff_fail(struct imap_backoff *b)
{
	int base = IMAP_BACKOFF_FIRST, i;

	b->failures++;
	for (i = 1; i < b->failures && base < IMAP_BACKOFF_MAX; i++)
		base *= 2;
	if (base > IMAP_BACKOFF_MAX)
		base = IMAP_BACKOFF_MAX;
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
