/*
 * Row types of the dashboard's store operations (store_ops.h): users with
 * a role and an argon2id password hash (util/passwd.h), their sessions
 * and the failed logins that rate-limit the login form.
 *
 * A session id is 32 random bytes the browser holds in a cookie; only its
 * SHA-256 is stored (like an API token: a random secret needs no slow
 * hash). Times of sessions and failures are seconds since the epoch.
 */
#ifndef LG_STORE_USERS_H
#define LG_STORE_USERS_H

#include <stddef.h>
#include <stdint.h>

struct user {
	int64_t id;
	char *name;
	char *role;		/* "agent" or "admin" */
	char *hash;		/* argon2id encoded string */
	char *language;		/* NULL: the browser's */
	char *created_at;
};
void store_users_free(struct user *v, size_t n);

struct user_session {
	struct user user;	/* its user, hash left NULL */
	char *csrf;		/* the forms' token, hex */
	int64_t created;
	int64_t seen;
};
void store_user_session_clear(struct user_session *s);

/*
 * The window of the funnel's counts: leads of a pipeline created in a
 * time window, counted by phase and source at once (report_row with
 * phase_no and source both set).
 */
struct report_window {
	const char *pipeline;	/* required */
	const char *source;	/* NULL: every one */
	const char *since;	/* ISO 8601, NULL: from the start */
	const char *until;	/* ISO 8601, NULL: to now */
};

#endif
