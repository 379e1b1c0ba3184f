/*
 * VERP: an envelope sender of its own for every outgoing message, so that
 * a bounce names the message it is about. The address is made from the
 * setting bounce.verp, "bounces+{id}-{hmac}@agency.example": {id} is the
 * outgoing row's id, {hmac} the first VERP_HMAC_LEN hex digits of
 * HMAC-SHA256 over "leadgate-verp:ID", keyed by a secret (bounce.secret_file
 * or bounce.secret_env, util/secret.h). Without the secret nobody can
 * make the address of a message, so a forged bounce cannot suppress or
 * unsubscribe anybody.
 */
#ifndef LG_VERP_H
#define LG_VERP_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define VERP_HMAC_LEN 16	/* hex digits: 64 bits of the HMAC */
#define VERP_ADDR_MAX 254	/* RFC 5321 path limit, without <> */

struct outgoing;
struct store;
struct verp;

/*
 * A format as bounce.verp takes it: one '@' with a domain after it,
 * {id} and {hmac} once each in the local part, each followed by a
 * character that is not a letter, a digit or another placeholder (so
 * that the address can be read back), no other braces, and printable
 * ASCII without spaces only. LG_EPERM says what is wrong.
 */
int verp_format_check(const char *format, struct err *e);

/*
 * The VERP of the settings: *out NULL when format is empty (VERP off).
 * LG_EPERM for a bad format, a secret that is not configured or cannot
 * be read (the message names the file or variable, never the secret).
 */
int verp_load(const char *format, const char *secret_file,
    const char *secret_env, struct verp **out, struct err *e);
/* The same with the secret given (tests); NULL for a bad format. */
struct verp *verp_new(const char *format, const char *secret);
void verp_free(struct verp *v);

/* The envelope sender of outgoing message id; LG_EPERM if it is too long. */
int verp_address(const struct verp *v, int64_t id, char *out, size_t len,
    struct err *e);

/*
 * Read an address back (case does not matter): LG_OK and *id when it is
 * one of ours with the right HMAC; LG_ENOENT when it does not have the
 * format's shape; LG_EPERM when it has the shape but not the HMAC of its
 * id (forged or damaged), with the reason.
 */
int verp_parse(const struct verp *v, const char *addr, int64_t *id,
    struct err *e);

/*
 * Give o, queued in the caller's store transaction, its VERP envelope
 * sender, and write it to the store before the transaction commits.
 * v NULL: nothing changes.
 */
int verp_sender(const struct verp *v, struct store *st, struct outgoing *o,
    struct err *e);

#endif
