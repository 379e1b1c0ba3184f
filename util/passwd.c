/* argon2id password hashes (see passwd.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <argon2.h>

#include "util/passwd.h"
#include "util/xmalloc.h"

#define SALT_LEN 16
#define HASH_LEN 32

int
passwd_hash(const char *pw, const struct passwd_params *pp, char **out,
    struct err *e)
{
	unsigned char salt[SALT_LEN];
	size_t n = strlen(pw), len;
	char *enc;
	int rc;

	*out = NULL;
	if (n < PASSWD_MIN || n > PASSWD_MAX)
		return err_set(e, LG_EPERM, "a password is %d to %d bytes",
		    PASSWD_MIN, PASSWD_MAX);
	if (getrandom(salt, sizeof(salt), 0) != (ssize_t)sizeof(salt))
		return err_set(e, LG_ETEMP, "no random bytes for a salt: %s",
		    strerror(errno));
	len = argon2_encodedlen(pp->t, pp->m, pp->p, SALT_LEN, HASH_LEN,
	    Argon2_id);
	enc = xmalloc(len);
	rc = argon2id_hash_encoded(pp->t, pp->m, pp->p, pw, n, salt,
	    sizeof(salt), HASH_LEN, enc, len);
	if (rc != ARGON2_OK) {
		free(enc);
		return err_set(e, rc == ARGON2_MEMORY_ALLOCATION_ERROR ?
		    LG_ETEMP : LG_EPERM, "argon2id: %s",
		    argon2_error_message(rc));
	}
	*out = enc;
	return LG_OK;
}

int
passwd_verify(const char *encoded, const char *pw)
{
	size_t n = strlen(pw);

	/* argon2_verify compares in constant time. */
	if (n > PASSWD_MAX || strncmp(encoded, "$argon2id$", 10) != 0)
		return 0;
	return argon2id_verify(encoded, pw, n) == ARGON2_OK;
}
