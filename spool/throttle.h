/*
 * Pacing of bulk (campaign) mail: evenly spaced send slots (N per second
 * means one slot every 1/N s, whatever the number of connections), a
 * budget per sliding hour, and a pause after too many failures in a row.
 * It only does arithmetic on the times it is given (seconds of a
 * monotonic clock), so that tests can drive it with explicit times.
 *
 * Not thread-safe: the caller serializes every call (deliver.c does so
 * under its run lock) and sleeps, if it must, after letting go of it.
 */
#ifndef LG_THROTTLE_H
#define LG_THROTTLE_H

enum throttle_verdict {
	THROTTLE_GO,		/* a slot is reserved: send after *wait s */
	THROTTLE_EXHAUSTED,	/* the hour's budget is spent: *wait s more */
};

struct throttle;

/*
 * 0 for rate_per_sec or rate_per_hour: no limit; 0 for
 * pause_after_failures or pause_seconds: no pause. sent_last_hour: messages already sent within the last hour
 * (by earlier runs); they count as sent at the time of the first call
 * that passes a now, which is never later than they really were.
 */
struct throttle *throttle_new(int rate_per_sec, int rate_per_hour,
    int pause_after_failures, int pause_seconds, long sent_last_hour);
void throttle_free(struct throttle *t);

/*
 * Reserve the next slot at or after now: 1/rate_per_sec after the last
 * one, not within a pause, inside the hour's budget. THROTTLE_GO with
 * *wait >= 0 the time to wait before sending; THROTTLE_EXHAUSTED with
 * *wait the time until the oldest send in the window leaves it (nothing
 * is reserved then).
 */
enum throttle_verdict throttle_reserve(struct throttle *t, double now,
    double *wait);

/* How many more slots the hour's budget has at now (-1: no limit). */
long throttle_left(struct throttle *t, double now);

/*
 * The outcome of a message sent through a slot. pause_after_failures
 * failures in a row start a pause of pause_seconds (and reset the count);
 * a success resets it; outcomes during a pause (of messages already on
 * their way) change nothing. Returns 1 when this result started a pause.
 */
int throttle_result(struct throttle *t, int ok, double now);

#endif
