#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"

time_t
clock_now(void)
{
	const char *pin = getenv("LEADGATE_NOW");
	time_t t;

	if (pin != NULL && *pin != '\0' && clock_parse_iso(pin, &t) == 0)
		return t;
	return time(NULL);
}

void
clock_iso(time_t t, char *out, size_t outlen)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
clock_field(const char *s, int ndigits, int lo, int hi, int *out)
{
	int i, v = 0;

	for (i = 0; i < ndigits; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int
clock_parse_iso(const char *s, time_t *out)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	size_t len = strlen(s);

	if (len != 10 && len != 20)
		return -1;
	if (clock_field(s, 4, 1970, 9999, &y) || s[4] != '-' ||
	    clock_field(s + 5, 2, 1, 12, &mo) || s[7] != '-' ||
	    clock_field(s + 8, 2, 1, 31, &d))
		return -1;
	if (len == 20 && (s[10] != 'T' || clock_field(s + 11, 2, 0, 23, &h) ||
	    s[13] != ':' || clock_field(s + 14, 2, 0, 59, &mi) ||
	    s[16] != ':' || clock_field(s + 17, 2, 0, 60, &sec) || s[19] != 'Z'))
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = timegm(&tm);
	return 0;
}
