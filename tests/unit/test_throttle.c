/* Pacing of campaign mail, driven with explicit times. */
#include <math.h>
#include <stdio.h>

#include "spool/throttle.h"
#include "t.h"

enum act { END, RES, EXH, LEFT, OK, FAIL };

struct step {
	double now;
	enum act act;
	double want;	/* RES, EXH: the wait; LEFT: slots; OK, FAIL: paused */
};

struct tcase {
	const char *label;
	int per_sec, per_hour, pause_after, pause_s;
	long seed;
	struct step steps[12];
};

static const struct tcase cases[] = {
	{ "no limit", 0, 0, 0, 0, 0, {
		{ 0, RES, 0 }, { 0, RES, 0 }, { 0.001, RES, 0 },
		{ 1, LEFT, -1 }, { 1, FAIL, 0 }, { 1, RES, 0 } } },
	{ "2/s: slots half a second apart, not bursts", 2, 0, 0, 0, 0, {
		{ 0, RES, 0 }, { 0, RES, 0.5 }, { 0, RES, 1.0 },
		{ 0.25, RES, 1.25 }, { 3, RES, 0 }, { 3.1, RES, 0.4 } } },
	{ "3/h: exhausted, then the window slides", 0, 3, 0, 0, 0, {
		{ 0, RES, 0 }, { 10, RES, 0 }, { 20, RES, 0 },
		{ 30, EXH, 3570 }, { 30, LEFT, 0 }, { 3600, LEFT, 1 },
		{ 3600, RES, 0 }, { 3605, EXH, 5 }, { 3610, RES, 0 },
		{ 3620, RES, 0 }, { 3621, EXH, 3579 } } },
	{ "3/h seeded with 2 sent: one left", 0, 3, 0, 0, 2, {
		{ 100, LEFT, 1 }, { 100, RES, 0 }, { 101, EXH, 3599 },
		{ 3699.5, LEFT, 0 }, { 3700, LEFT, 3 } } },
	{ "seeding without an hourly limit changes nothing", 0, 0, 0, 0, 50, {
		{ 0, LEFT, -1 }, { 0, RES, 0 } } },
	{ "1/s inside 2/h: an exhausted answer reserves nothing", 1, 2, 0, 0,
	    0, {
		{ 0, RES, 0 }, { 0, RES, 1 }, { 0.5, EXH, 3599.5 },
		{ 3600, RES, 0 }, { 3600, EXH, 1 } } },
	{ "pause after 3 failures in a row", 0, 0, 3, 60, 0, {
		{ 0, RES, 0 }, { 1, FAIL, 0 }, { 2, FAIL, 0 },
		{ 3, FAIL, 1 }, { 3, RES, 60 }, { 10, RES, 53 },
		{ 20, FAIL, 0 }, { 63, RES, 0 }, { 64, FAIL, 0 },
		{ 65, FAIL, 0 }, { 66, FAIL, 1 }, { 66, RES, 60 } } },
	{ "a success resets the count", 0, 0, 2, 30, 0, {
		{ 0, FAIL, 0 }, { 1, OK, 0 }, { 2, FAIL, 0 }, { 3, RES, 0 },
		{ 4, FAIL, 1 }, { 4, RES, 30 } } },
	{ "pause_after_failures 0: never a pause", 0, 0, 0, 60, 0, {
		{ 0, FAIL, 0 }, { 1, FAIL, 0 }, { 2, FAIL, 0 },
		{ 3, FAIL, 0 }, { 4, FAIL, 0 }, { 5, RES, 0 } } },
	{ "pause_seconds 0: never a pause", 0, 0, 1, 0, 0, {
		{ 0, FAIL, 0 }, { 1, FAIL, 0 }, { 2, RES, 0 } } },
	{ "spacing resumes after the pause", 1, 0, 1, 10, 0, {
		{ 0, RES, 0 }, { 0.5, FAIL, 1 }, { 0.5, RES, 10 },
		{ 0.5, RES, 11 }, { 20, RES, 0 } } },
};

static const char *const act_name[] = { "end", "reserve", "reserve",
	"left", "ok", "fail" };

static void
run_step(struct throttle *t, const char *label, int i, const struct step *s)
{
	enum throttle_verdict v;
	double wait = -99;
	long left;
	int paused;

	switch (s->act) {
	case RES:
	case EXH:
		v = throttle_reserve(t, s->now, &wait);
		T_OK(v == (s->act == RES ? THROTTLE_GO : THROTTLE_EXHAUSTED) &&
		    fabs(wait - s->want) < 1e-6, "%s: step %d, %s at %g: %s "
		    "%g (want %s %g)", label, i, act_name[s->act], s->now,
		    v == THROTTLE_GO ? "go after" : "exhausted for", wait,
		    s->act == RES ? "go after" : "exhausted for", s->want);
		break;
	case LEFT:
		left = throttle_left(t, s->now);
		T_INT(left, (long long)s->want, "%s: step %d, left at %g", label,
		    i, s->now);
		break;
	case OK:
	case FAIL:
		paused = throttle_result(t, s->act == OK, s->now);
		T_INT(paused, (long long)s->want, "%s: step %d, %s at %g %s",
		    label, i, act_name[s->act], s->now, s->want ?
		    "starts a pause" : "starts no pause");
		break;
	case END:
		break;
	}
}

int
main(void)
{
	struct throttle *t;
	size_t c;
	int i;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		t = throttle_new(cases[c].per_sec, cases[c].per_hour,
		    cases[c].pause_after, cases[c].pause_s, cases[c].seed);
		for (i = 0; i < 12 && cases[c].steps[i].act != END; i++)
			run_step(t, cases[c].label, i, &cases[c].steps[i]);
		throttle_free(t);
	}
	throttle_free(NULL);
	T_OK(1, "throttle_free(NULL) is harmless");
	return t_done();
}
