/*
 * The dashboard's pieces that need no listener: argon2id password hashes
 * (util/passwd.c) and the one HTML escaper with the JSON drawing
 * (gateway/html.c). Table-driven.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gateway/html.h"
#include "util/passwd.h"
#include "util/xmalloc.h"
#include "t.h"

/* Cheap parameters: the tests check behaviour, not strength. */
static const struct passwd_params pp = { 1, 8192, 1 };

static void
test_passwd(void)
{
	static const struct {
		const char *pw, *try;
		int match;
	} cases[] = {
		{ "correct horse", "correct horse", 1 },
		{ "correct horse", "correct horsE", 0 },
		{ "correct horse", "correct horse ", 0 },
		{ "correct horse", "", 0 },
		{ "pässwörd-ü", "pässwörd-ü", 1 },
	};
	struct err e;
	char *h, *h2;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err_clear(&e);
		T_INT(passwd_hash(cases[i].pw, &pp, &h, &e), LG_OK, "hash %zu",
		    i);
		T_OK(strncmp(h, "$argon2id$v=19$m=8192,t=1,p=1$", 30) == 0,
		    "encoded argon2id with its parameters: %s", h);
		T_INT(passwd_verify(h, cases[i].try), cases[i].match,
		    "verify %zu", i);
		free(h);
	}
	/* A fresh salt each time: the same password, two hashes. */
	T_INT(passwd_hash("same password", &pp, &h, &e), LG_OK, "hash a");
	T_INT(passwd_hash("same password", &pp, &h2, &e), LG_OK, "hash b");
	T_OK(strcmp(h, h2) != 0, "two hashes of one password differ");
	free(h2);
	T_INT(passwd_hash("short", &pp, &h2, &e), LG_EPERM, "7 bytes refused");
	T_OK(h2 == NULL, "... and no hash");
	/* Anything but an argon2id hash never matches. */
	T_INT(passwd_verify("same password", "same password"), 0,
	    "a plain text is no hash");
	T_INT(passwd_verify("$argon2i$v=19$m=8192,t=1,p=1$c2FsdHNhbHQ$"
	    "aGFzaGhhc2hoYXNo", "x"), 0, "argon2i is not taken");
	h[strlen(h) - 2] ^= 1;
	T_INT(passwd_verify(h, "same password"), 0, "a damaged hash");
	free(h);
}

static void
test_escape(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "<script>alert(1)</script>",
		    "&lt;script&gt;alert(1)&lt;/script&gt;" },
		{ "a \"b\" 'c' & d", "a &quot;b&quot; &#39;c&#39; &amp; d" },
		{ "Zürich", "Zürich" },
		{ "", "" },
	};
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		html_esc(&b, cases[i].in);
		T_STR(buf_str(&b), cases[i].want, "escape %zu", i);
	}
	buf_reset(&b);
	html_esc(&b, NULL);
	T_STR(buf_str(&b), "", "NULL is nothing");
	buf_free(&b);
}

static void
test_json(void)
{
	struct buf b = BUF_INIT;
	json_t *v;

	v = json_pack("{s:s, s:[{s:s}], s:n, s:{}, s:s}", "<k>", "<v>",
	    "rows", "x\"", "<td>", "gone", "empty", "blank", "");
	html_json(&b, v);
	json_decref(v);
	T_OK(strstr(buf_str(&b), "<th>&lt;k&gt;</th><td>&lt;v&gt;</td>") !=
	    NULL, "keys and values escaped");
	T_OK(strstr(buf_str(&b), "<th>x&quot;</th>") != NULL &&
	    strstr(buf_str(&b), "<td>&lt;td&gt;</td>") != NULL,
	    "an array of objects is a table, escaped");
	T_OK(strstr(buf_str(&b), "gone") == NULL && strstr(buf_str(&b),
	    "empty") == NULL && strstr(buf_str(&b), "blank") == NULL,
	    "null, empty and blank fields are left out");
	buf_free(&b);
}

int
main(void)
{
	test_passwd();
	test_escape();
	test_json();
	return t_done();
}
