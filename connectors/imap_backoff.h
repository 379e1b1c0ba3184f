/*
 * Reconnect backoff for a connector: exponential from 2 s, capped at max
 * (5 minutes when 0), with "equal jitter" (half fixed, half random) so
 * that many connectors failing together do not come back in step: the
 * first try again comes after 1 to 2 s.
 */
#ifndef LG_IMAP_BACKOFF_H
#define LG_IMAP_BACKOFF_H

struct imap_backoff {
	int failures;
	int delay;		/* seconds before the next attempt; 0: none */
	int max;		/* the cap in seconds; 0: IMAP_BACKOFF_MAX */
};

#define IMAP_BACKOFF_FIRST 2
#define IMAP_BACKOFF_MAX 300

void imap_backoff_fail(struct imap_backoff *b);
/* No failure any more; the cap stays. */
void imap_backoff_reset(struct imap_backoff *b);
int imap_backoff_delay(const struct imap_backoff *b);

#endif
