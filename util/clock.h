/*
 * Wall-clock time for records. LEADGATE_NOW (an ISO 8601 UTC time such
 * as 2026-01-02T03:04:05Z) pins the clock so that outputs are
 * reproducible in tests and documentation examples.
 */
#ifndef LG_CLOCK_H
#define LG_CLOCK_H

#include <stddef.h>
#include <time.h>

#define CLOCK_ISOLEN 21		/* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

time_t clock_now(void);
/* Format t as ISO 8601 UTC into out (at least CLOCK_ISOLEN bytes). */
void clock_iso(time_t t, char *out, size_t outlen);
/* Parse "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ"; -1 when malformed. */
int clock_parse_iso(const char *s, time_t *out);

#endif
