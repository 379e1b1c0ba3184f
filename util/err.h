/*
 * One error convention for all of leadgate.
 *
 * A function returns 0 (LG_OK) on success or one of the negative codes
 * below. The reason goes into a caller-supplied struct err (which may be
 * NULL when the caller does not care). Temporary failures (LG_ETEMP: the
 * same call may succeed later) are kept apart from permanent ones
 * (LG_EPERM: the input is wrong and retrying will not help).
 */
#ifndef LG_ERR_H
#define LG_ERR_H

#include <stddef.h>

enum lg_rc {
	LG_OK = 0,
	LG_EPERM = -1,		/* bad input or refused by a rule */
	LG_ETEMP = -2,		/* try again later: network, lock, disk */
	LG_ENOENT = -3,		/* the thing asked for does not exist */
	LG_EEXIST = -4,		/* already there (duplicate key) */
	LG_EINTERNAL = -5,	/* a bug or a corrupt store */
};

#define ERR_MSGLEN 512

struct err {
	int code;
	char msg[ERR_MSGLEN];
};

/* Record code and reason in e (if not NULL); returns code. */
int err_set(struct err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefix the existing reason with more context ("lead 3: ..."). */
int err_prefix(struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void err_clear(struct err *e);
const char *err_code_name(int code);

/*
 * Inputs checked as a whole (a configuration file, a connector block, a
 * rule file) report every mistake, not only the first: one line each,
 * "file:line: reason". A loader that can find several takes an optional
 * struct err_list next to its struct err; on LG_EPERM the list holds
 * every mistake and e the first.
 */
struct err_list {
	char **v;
	size_t n;
};

/* Where the mistakes of one load go: all into list, the first into e. */
struct err_report {
	struct err_list *list;	/* may be NULL */
	struct err *e;		/* may be NULL */
	size_t n;		/* mistakes so far */
};

/* Record one mistake; returns LG_EPERM. */
int err_report(struct err_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void err_list_clear(struct err_list *l);

#endif
