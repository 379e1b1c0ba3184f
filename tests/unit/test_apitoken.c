/* API tokens (gateway/apitoken.c): shape, entropy, hash, names, scopes. */
#include <string.h>

#include "gateway/apitoken.h"
#include "t.h"

static const struct {
	const char *in, *sha256;
} hashes[] = {
	/* FIPS 180-2 test vectors. */
	{ "abc", "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad" },
	{ "", "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855" },
};

static const struct {
	const char *name;
	int ok;
} names[] = {
	{ "crm", 1 }, { "web-site_2.form", 1 }, { "", 0 }, { "a b", 0 },
	{ "x'; DROP TABLE api_tokens; --", 0 }, { "é", 0 },
	{ "0123456789012345678901234567890123456789012345678901234567890123",
	    1 },
	{ "01234567890123456789012345678901234567890123456789012345678901234",
	    0 },
};

static const struct {
	const char *scope;
	int ok;
} scopes[] = {
	{ "read", 1 }, { "write", 1 }, { "form", 1 }, { "admin", 0 },
	{ "Read", 0 }, { "", 0 },
};

int
main(void)
{
	char a[APITOKEN_LEN + 1], b[APITOKEN_LEN + 1], hex[API_HASH_HEX + 1];
	struct err e;
	size_t i;

	err_clear(&e);
	T_INT(apitoken_new(a, sizeof(a), &e), LG_OK, "a token");
	T_INT(apitoken_new(b, sizeof(b), &e), LG_OK, "another");
	T_INT(strlen(a), APITOKEN_LEN, "its length");
	T_OK(strncmp(a, "lg_", 3) == 0, "its prefix: %s", a);
	T_INT(strspn(a + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_"), APITOKEN_LEN - 3, "base64url: %s", a);
	T_OK(strcmp(a, b) != 0, "two tokens differ");
	T_INT(apitoken_new(a, APITOKEN_LEN, &e), LG_EINTERNAL,
	    "a buffer too small is refused");
	for (i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++) {
		apitoken_hash(hashes[i].in, hex, sizeof(hex));
		T_STR(hex, hashes[i].sha256, "sha256(\"%s\")", hashes[i].in);
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		T_INT(apitoken_name_ok(names[i].name), names[i].ok, "name '%s'",
		    names[i].name);
	for (i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++)
		T_INT(apitoken_scope_ok(scopes[i].scope), scopes[i].ok,
		    "scope '%s'", scopes[i].scope);
	return t_done();
}
