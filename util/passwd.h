/*
 * Password hashes for the dashboard's users: argon2id (libargon2, Debian
 * libargon2-dev) in its encoded form "$argon2id$v=19$m=...,t=...,p=...$
 * salt$hash", so that a hash keeps the parameters it was made with and
 * new parameters (dash.argon2_*) apply to new passwords only.
 */
#ifndef LG_PASSWD_H
#define LG_PASSWD_H

#include "util/err.h"

struct passwd_params {
	unsigned t;		/* passes */
	unsigned m;		/* KiB */
	unsigned p;		/* lanes */
};

#define PASSWD_MIN 8		/* the shortest password taken */
#define PASSWD_MAX 1024		/* the longest */

/*
 * The encoded hash of pw with a fresh random salt, to free. LG_EPERM: pw
 * is shorter than PASSWD_MIN or longer than PASSWD_MAX bytes.
 */
int passwd_hash(const char *pw, const struct passwd_params *pp, char **out,
    struct err *e);
/* 1 when pw matches the encoded hash, else 0 (a malformed hash too). */
int passwd_verify(const char *encoded, const char *pw);

#endif
