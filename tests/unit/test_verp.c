/*
 * VERP addresses: the formats bounce.verp takes, the address of a
 * message (its HMAC checked against openssl dgst -hmac), and reading
 * addresses back: ours, not ours, and forged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/verp.h"
#include "t.h"

#define FMT "bounces+{id}-{hmac}@agency.example"
#define SECRET "s3cret"
/* printf 'leadgate-verp:12' | openssl dgst -sha256 -hmac s3cret */
#define MAC12 "0f3dd125f1852bd8"

static const struct {
	const char *label;
	const char *format;
	const char *why;	/* NULL: accepted; else part of the reason */
} formats[] = {
	{ "the usual", FMT, NULL },
	{ "hmac first", "b-{hmac}.{id}@agency.example", NULL },
	{ "a subdomain", "{id}_{hmac}@bounce.agency.example", NULL },
	{ "no at", "bounces+{id}-{hmac}", "needs one '@'" },
	{ "two ats", "b+{id}-{hmac}@a@b.example", "needs one '@'" },
	{ "no domain", "b+{id}-{hmac}@", "needs one '@'" },
	{ "no id", "bounces+{hmac}@agency.example", "{id} exactly once" },
	{ "no hmac", "bounces+{id}@agency.example", "{hmac} exactly once" },
	{ "id twice", "b{id}-{id}-{hmac}@a.example", "{id} exactly once" },
	{ "unknown brace", "b+{id}-{hmac}-{x}@a.example", "only {id} and {hmac}" },
	{ "stray brace", "b+{id}-{hmac}}@a.example", "only {id} and {hmac}" },
	{ "placeholder in domain", "b+{id}@{hmac}.example",
	    "belongs before the '@'" },
	{ "glued to a letter", "b+{id}x{hmac}@a.example",
	    "not a letter or digit" },
	{ "glued together", "b+{id}{hmac}@a.example", "not a letter or digit" },
	{ "a space", "b+{id} {hmac}@a.example", "no place" },
	{ "angle bracket", "<b+{id}-{hmac}@a.example>", "no place" },
	{ "8-bit", "b\xc3\xa9+{id}-{hmac}@a.example", "no place" },
};

static const struct {
	const char *label;
	const char *addr;
	int want;		/* LG_OK, LG_ENOENT, LG_EPERM */
	long long id;
	const char *why;
} parses[] = {
	{ "ours", "bounces+12-" MAC12 "@agency.example", LG_OK, 12, NULL },
	{ "in upper case", "BOUNCES+12-0F3DD125F1852BD8@Agency.Example", LG_OK,
	    12, NULL },
	{ "another id, same hmac", "bounces+13-" MAC12 "@agency.example",
	    LG_EPERM, 0, "wrong HMAC for message 13" },
	{ "a digit changed", "bounces+12-0f3dd125f1852bd9@agency.example",
	    LG_EPERM, 0, "wrong HMAC" },
	{ "hmac cut short", "bounces+12-0f3dd125@agency.example", LG_EPERM, 0,
	    "8 digits, not 16" },
	{ "no hmac at all", "bounces+12-@agency.example", LG_EPERM, 0,
	    "0 digits" },
	{ "id 0", "bounces+0-" MAC12 "@agency.example", LG_EPERM, 0,
	    "no message has that id" },
	{ "id too long", "bounces+12345678901234567890-" MAC12
	    "@agency.example", LG_EPERM, 0, "no message has that id" },
	{ "another domain", "bounces+12-" MAC12 "@evil.example", LG_ENOENT, 0,
	    NULL },
	{ "another local part", "info@agency.example", LG_ENOENT, 0, NULL },
	{ "no id", "bounces+-" MAC12 "@agency.example", LG_ENOENT, 0, NULL },
	{ "trailing text", "bounces+12-" MAC12 "@agency.example.org",
	    LG_ENOENT, 0, NULL },
	{ "empty", "", LG_ENOENT, 0, NULL },
};

static void
test_formats(void)
{
	struct err e;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		err_clear(&e);
		rc = verp_format_check(formats[i].format, &e);
		if (formats[i].why == NULL) {
			T_INT(rc, LG_OK, "format %s: accepted (%s)",
			    formats[i].label, e.msg);
			continue;
		}
		T_INT(rc, LG_EPERM, "format %s: refused", formats[i].label);
		T_OK(strstr(e.msg, formats[i].why) != NULL, "format %s: says "
		    "'%s' (%s)", formats[i].label, formats[i].why, e.msg);
	}
	T_OK(verp_new("bounces@agency.example", SECRET) == NULL,
	    "verp_new refuses a bad format");
	T_OK(verp_new(FMT, "") == NULL, "verp_new refuses an empty secret");
}

static void
test_address(const struct verp *v)
{
	char out[VERP_ADDR_MAX + 1], small[20];
	struct err e;
	int64_t id = 0;

	err_clear(&e);
	T_INT(verp_address(v, 12, out, sizeof(out), &e), LG_OK, "address of 12");
	T_STR(out, "bounces+12-" MAC12 "@agency.example",
	    "its HMAC is openssl's HMAC-SHA256, cut to 16 hex digits");
	T_INT(verp_parse(v, out, &id, &e), LG_OK, "it reads back");
	T_INT(id, 12, "... as message 12");
	T_INT(verp_address(v, 9007199254740993LL, out, sizeof(out), &e), LG_OK,
	    "a big id");
	T_STR(out, "bounces+9007199254740993-36f2aca7e4c5b52a@agency.example",
	    "... its address");
	T_INT(verp_parse(v, out, &id, &e), LG_OK, "... reads back");
	T_INT(id, 9007199254740993LL, "... as itself");
	T_INT(verp_address(v, 12, small, sizeof(small), &e), LG_EPERM,
	    "a buffer too small is refused");
}

static void
test_parse(const struct verp *v)
{
	struct err e;
	int64_t id;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(parses) / sizeof(parses[0]); i++) {
		err_clear(&e);
		id = 0;
		rc = verp_parse(v, parses[i].addr, &id, &e);
		T_INT(rc, parses[i].want, "parse %s: code", parses[i].label);
		if (parses[i].want == LG_OK)
			T_INT(id, parses[i].id, "parse %s: id", parses[i].label);
		if (parses[i].why != NULL)
			T_OK(strstr(e.msg, parses[i].why) != NULL, "parse %s: "
			    "says '%s' (%s)", parses[i].label, parses[i].why,
			    e.msg);
	}
}

static void
test_other_secret(void)
{
	struct verp *a = verp_new(FMT, SECRET), *b = verp_new(FMT, "other");
	char out[VERP_ADDR_MAX + 1];
	struct err e;
	int64_t id;

	err_clear(&e);
	verp_address(b, 12, out, sizeof(out), &e);
	T_INT(verp_parse(a, out, &id, &e), LG_EPERM,
	    "an address made with another secret is refused");
	verp_free(a);
	verp_free(b);
}

static void
test_load(void)
{
	const char *dir = t_tmpdir("verp");
	char path[512];
	struct verp *v = (struct verp *)1;
	struct err e;
	FILE *f;

	err_clear(&e);
	T_INT(verp_load("", NULL, NULL, &v, &e), LG_OK, "load: empty is off");
	T_OK(v == NULL, "load: off is NULL");
	T_INT(verp_load(FMT, "", "", &v, &e), LG_EPERM, "load: no secret");
	T_OK(strstr(e.msg, "bounce.secret_file or bounce.secret_env") != NULL,
	    "... says where it goes (%s)", e.msg);
	snprintf(path, sizeof(path), "%s/secret", dir);
	T_INT(verp_load(FMT, path, "", &v, &e), LG_EPERM, "load: no file");
	T_OK(strstr(e.msg, path) != NULL, "... names the file (%s)", e.msg);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(SECRET "\n", f);
		fclose(f);
		chmod(path, 0600);
	}
	T_INT(verp_load(FMT, path, "", &v, &e), LG_OK, "load: from a file");
	test_address(v);
	verp_free(v);
	setenv("TEST_VERP_SECRET", SECRET, 1);
	T_INT(verp_load(FMT, "", "TEST_VERP_SECRET", &v, &e), LG_OK,
	    "load: from the environment");
	test_parse(v);
	verp_free(v);
	T_INT(verp_load("bounces@x.example", path, "", &v, &e), LG_EPERM,
	    "load: a bad format");
	T_OK(strncmp(e.msg, "bounce.verp: ", 13) == 0, "... named (%s)", e.msg);
	verp_free(NULL);
}

int
main(void)
{
	test_formats();
	test_load();
	test_other_secret();
	return t_done();
}
