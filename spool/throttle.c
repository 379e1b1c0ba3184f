#include <stdlib.h>

#include "util/xmalloc.h"
#include "spool/throttle.h"

#define HOUR 3600.0

struct throttle {
	double spacing;		/* 1/rate_per_sec; 0: none */
	long per_hour;		/* 0: no budget */
	int pause_after;
	double pause_for;
	double last_slot;
	int have_slot;
	double pause_until;
	int failures;		/* in a row, outside pauses */
	/* The window: earlier runs' sends, then this run's slots, oldest first. */
	long seeded;
	double seeded_until;	/* known once the first now is */
	int started;
	double *ring;
	size_t cap, head, len;
};

struct throttle *
throttle_new(int rate_per_sec, int rate_per_hour, int pause_after_failures,
    int pause_seconds, long sent_last_hour)
{
	struct throttle *t = xcalloc(1, sizeof(*t));

	t->spacing = rate_per_sec > 0 ? 1.0 / rate_per_sec : 0;
	t->per_hour = rate_per_hour > 0 ? rate_per_hour : 0;
	t->pause_after = pause_after_failures > 0 ? pause_after_failures : 0;
	t->pause_for = pause_seconds > 0 ? pause_seconds : 0;
	t->seeded = t->per_hour && sent_last_hour > 0 ? sent_last_hour : 0;
	return t;
}

void
throttle_free(struct throttle *t)
{
	if (t == NULL)
		return;
	free(t->ring);
	free(t);
}

/* Forget what left the window by now. */
static void
throttle_slide(struct throttle *t, double now)
{
	if (!t->started) {
		t->started = 1;
		t->seeded_until = now + HOUR;
	}
	if (t->seeded > 0 && now >= t->seeded_until)
		t->seeded = 0;
	while (t->len > 0 && now >= t->ring[t->head] + HOUR) {
		t->head = (t->head + 1) % t->cap;
		t->len--;
	}
}

static void
throttle_push(struct throttle *t, double slot)
{
	double *v;
	size_t i;

	if (t->len == t->cap) {
		v = xreallocarray(NULL, t->cap ? t->cap * 2 : 64, sizeof(*v));
		for (i = 0; i < t->len; i++)
			v[i] = t->ring[(t->head + i) % t->cap];
		free(t->ring);
		t->ring = v;
		t->head = 0;
		t->cap = t->cap ? t->cap * 2 : 64;
	}
	t->ring[(t->head + t->len++) % t->cap] = slot;
}

/* When the window has room again: its oldest entry leaves it. */
static double
throttle_release(const struct throttle *t)
{
	if (t->seeded > 0)
		return t->seeded_until;
	return t->ring[t->head] + HOUR;
}

long
throttle_left(struct throttle *t, double now)
{
	long used;

	throttle_slide(t, now);
	if (t->per_hour == 0)
		return -1;
	used = t->seeded + (long)t->len;
	return used < t->per_hour ? t->per_hour - used : 0;
}

enum throttle_verdict
throttle_reserve(struct throttle *t, double now, double *wait)
{
	double slot = now;

	if (throttle_left(t, now) == 0) {
		*wait = throttle_release(t) - now;
		return THROTTLE_EXHAUSTED;
	}
	if (t->have_slot && t->last_slot + t->spacing > slot)
		slot = t->last_slot + t->spacing;
	if (t->pause_until > slot)
		slot = t->pause_until;
	t->last_slot = slot;
	t->have_slot = 1;
	if (t->per_hour)
		throttle_push(t, slot);
	*wait = slot - now;
	return THROTTLE_GO;
}

int
throttle_result(struct throttle *t, int ok, double now)
{
	throttle_slide(t, now);
	if (now < t->pause_until)
		return 0;
	if (ok || t->pause_after == 0 || t->pause_for == 0) {
		t->failures = 0;
		return 0;
	}
	if (++t->failures < t->pause_after)
		return 0;
	t->failures = 0;
	t->pause_until = now + t->pause_for;
	return 1;
}
