/*
 * The Mustache engine beyond the specification: escaping off, truthiness
 * and number forms, template errors with line:column (one fixture per bad
 * template under tests/data/mustache/errors), partial loading and the
 * recursion cap.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "t.h"
#include "templates/mustache.h"

#define ERR_DIR "tests/data/mustache/errors"

static const struct {
	const char *label;
	const char *tpl;
	const char *data;
	enum mustache_escape esc;
	const char *want;
} renders[] = {
	{ "escaping off leaves markup alone", "{{x}}", "{\"x\":\"<b>&\\\"'\"}",
	    MUSTACHE_ESCAPE_NONE, "<b>&\"'" },
	{ "HTML escaping covers the apostrophe", "{{x}}",
	    "{\"x\":\"<a href='x'>&\"}", MUSTACHE_ESCAPE_HTML,
	    "&lt;a href=&#39;x&#39;&gt;&amp;" },
	{ "triple mustache is never escaped", "{{{x}}}", "{\"x\":\"<i>\"}",
	    MUSTACHE_ESCAPE_HTML, "<i>" },
	{ "the empty string is falsey", "{{#s}}yes{{/s}}{{^s}}no{{/s}}",
	    "{\"s\":\"\"}", MUSTACHE_ESCAPE_NONE, "no" },
	{ "zero is truthy", "{{#n}}yes {{.}}{{/n}}", "{\"n\":0}",
	    MUSTACHE_ESCAPE_NONE, "yes 0" },
	{ "a real prints in its shortest form", "{{a}} {{b}} {{c}}",
	    "{\"a\":0.1,\"b\":2.5e21,\"c\":-3.0}", MUSTACHE_ESCAPE_NONE,
	    "0.1 2.5e+21 -3" },
	{ "booleans print as words", "{{t}}/{{f}}", "{\"t\":true,\"f\":false}",
	    MUSTACHE_ESCAPE_NONE, "true/false" },
	{ "an object where text belongs shows as JSON", "{{o}}",
	    "{\"o\":{\"a\":[1,\"x\"]}}", MUSTACHE_ESCAPE_NONE,
	    "{\"a\":[1,\"x\"]}" },
	{ "UTF-8 passes through untouched", "Grüezi {{n}} – ✓",
	    "{\"n\":\"Zoë\"}", MUSTACHE_ESCAPE_HTML, "Grüezi Zoë – ✓" },
	{ "list items are indexed by nothing", "[{{a.0}}]", "{\"a\":[1]}",
	    MUSTACHE_ESCAPE_NONE, "[]" },
	{ "a scalar context has no names", "[{{x}}]", "\"str\"",
	    MUSTACHE_ESCAPE_NONE, "[]" },
	{ "an outer name is found from inside a list", "{{#l}}{{.}}{{s}};{{/l}}",
	    "{\"l\":[1,2],\"s\":\"!\"}", MUSTACHE_ESCAPE_NONE, "1!;2!;" },
	{ "CR LF line ends stay as they are", "a\r\n{{#t}}\r\nb\r\n{{/t}}\r\n",
	    "{\"t\":true}", MUSTACHE_ESCAPE_NONE, "a\r\nb\r\n" },
};

/* Partials for the tests: "self" includes itself forever. */
static const struct {
	const char *name;
	const char *text;
} partial_files[] = {
	{ "self", "x{{>self}}" },
	{ "greet", "Hello {{name}}\n" },
	{ "broken", "{{#open}}" },
};

static int
test_partial(void *arg, const char *name, char **text, size_t *len,
    char **origin, struct err *e)
{
	size_t i;

	if (strcmp(name, "refused") == 0)
		return err_set(e, LG_EPERM, "partial %s: refused by the loader",
		    name);
	for (i = 0; i < sizeof(partial_files) / sizeof(partial_files[0]); i++)
		if (strcmp(partial_files[i].name, name) == 0) {
			*text = xstrdup(partial_files[i].text);
			*len = strlen(*text);
			return LG_OK;
		}
	return LG_ENOENT;
}

static const struct {
	const char *label;
	const char *tpl;
	int rc;
	const char *want;	/* output, or the error message */
} partial_cases[] = {
	{ "a standalone partial is indented line by line",
	    "  {{>greet}}\n", LG_OK, "  Hello Anna\n" },
	{ "a missing partial renders empty", "[{{>nothing}}]", LG_OK, "[]" },
	{ "a partial including itself stops at the cap", "{{>self}}",
	    LG_EPERM, "self:1:2: partials nested deeper than 32 (does 'self' "
	    "include itself?)" },
	{ "a broken partial names itself", "a {{>broken}}", LG_EPERM,
	    "broken:1:1: section 'open' is never closed" },
	{ "a loader error stops the rendering", "{{>refused}}", LG_EPERM,
	    "partial refused: refused by the loader" },
};

static void
test_renders(void)
{
	size_t i;

	for (i = 0; i < sizeof(renders) / sizeof(renders[0]); i++) {
		struct mustache_opts o = { renders[i].esc, NULL, NULL };
		json_t *ctx = json_loads(renders[i].data, JSON_DECODE_ANY, NULL);
		struct buf out = BUF_INIT;
		struct err e;
		int rc;

		err_clear(&e);
		rc = mustache_render_text(renders[i].tpl,
		    strlen(renders[i].tpl), "t", ctx, &o, &out, &e);
		T_INT(rc, LG_OK, "%s: renders (%s)", renders[i].label, e.msg);
		T_STR(buf_str(&out), renders[i].want, "%s", renders[i].label);
		buf_free(&out);
		json_decref(ctx);
	}
}

static void
test_partials(void)
{
	json_t *ctx = json_pack("{s:s}", "name", "Anna");
	size_t i;

	for (i = 0; i < sizeof(partial_cases) / sizeof(partial_cases[0]);
	    i++) {
		struct mustache_opts o = { MUSTACHE_ESCAPE_NONE, test_partial,
		    NULL };
		struct buf out = BUF_INIT;
		struct err e;
		int rc;

		err_clear(&e);
		rc = mustache_render_text(partial_cases[i].tpl,
		    strlen(partial_cases[i].tpl), "t", ctx, &o, &out, &e);
		T_INT(rc, partial_cases[i].rc, "%s: result",
		    partial_cases[i].label);
		T_STR(rc == LG_OK ? buf_str(&out) : e.msg, partial_cases[i].want,
		    "%s", partial_cases[i].label);
		buf_free(&out);
	}
	json_decref(ctx);
}

static int
is_fixture(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 9 && strcmp(d->d_name + n - 9, ".mustache") == 0;
}

/* Each bad template is a fixture; NAME.err holds the message it must give. */
static void
test_error_fixtures(void)
{
	struct dirent **ents;
	char dir[1024], path[1300];
	int i, n;

	snprintf(dir, sizeof(dir), "%s/%s", getenv("TOP"), ERR_DIR);
	if ((n = scandir(dir, &ents, is_fixture, alphasort)) <= 0) {
		T_OK(0, "error fixtures in %s", dir);
		return;
	}
	for (i = 0; i < n; i++) {
		struct mustache *m = NULL;
		struct err e;
		size_t len, wlen;
		char *text, *want;
		int rc;

		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		text = t_slurp(path, &len);
		snprintf(path + strlen(path) - 8, 5, "err");
		want = t_slurp(path, &wlen);
		if (text == NULL || want == NULL) {
			T_OK(0, "%s: fixture and .err readable", ents[i]->d_name);
		} else {
			if (wlen && want[wlen - 1] == '\n')
				want[wlen - 1] = '\0';
			err_clear(&e);
			rc = mustache_parse(text, len, ents[i]->d_name, &m, &e);
			T_INT(rc, LG_EPERM, "%s is refused", ents[i]->d_name);
			T_STR(e.msg, want, "%s says where and why",
			    ents[i]->d_name);
		}
		mustache_free(m);
		free(text);
		free(want);
		free(ents[i]);
	}
	free(ents);
}

static void
test_nesting_cap(void)
{
	struct buf tpl = BUF_INIT;
	struct mustache *m = NULL;
	struct err e;
	int i;

	for (i = 0; i < 65; i++)
		buf_printf(&tpl, "{{#s%d}}", i);
	err_clear(&e);
	T_INT(mustache_parse(tpl.data, tpl.len, "deep", &m, &e), LG_EPERM,
	    "65 nested sections are refused");
	T_STR(e.msg, "deep:1:503: sections nested deeper than 64",
	    "the message names the section that goes too deep");
	mustache_free(m);
	buf_free(&tpl);
}

static void
test_parse_at(void)
{
	static const char text[] = "one\n{{#a}}";
	struct mustache *m = NULL;
	struct err e;

	err_clear(&e);
	mustache_parse_at(text, strlen(text), "file.txt", 10, 9, &m, &e);
	T_STR(e.msg, "file.txt:11:1: section 'a' is never closed",
	    "parse_at counts lines from where the text starts");
	err_clear(&e);
	mustache_parse_at("{{/b}}", 6, "file.txt", 3, 10, &m, &e);
	T_STR(e.msg, "file.txt:3:10: {{/b}} closes no open section",
	    "parse_at counts columns of the first line from where it starts");
}

static void
test_render_twice(void)
{
	static const char text[] = "{{#l}}<{{.}}>{{/l}}";
	json_t *a = json_pack("{s:[i,i]}", "l", 1, 2);
	json_t *b = json_pack("{s:[s]}", "l", "x&y");
	struct buf out = BUF_INIT;
	struct mustache *m;
	struct err e;

	T_INT(mustache_parse(text, strlen(text), "t", &m, &e), LG_OK,
	    "parse once");
	mustache_render(m, a, NULL, &out, &e);
	buf_addc(&out, '|');
	mustache_render(m, b, NULL, &out, &e);
	T_STR(buf_str(&out), "<1><2>|<x&amp;y>",
	    "one tree renders any number of contexts (HTML by default)");
	mustache_free(m);
	buf_free(&out);
	json_decref(a);
	json_decref(b);
}

int
main(void)
{
	if (getenv("TOP") == NULL) {
		T_OK(0, "TOP is set (run through make test)");
		return t_done();
	}
	test_renders();
	test_partials();
	test_error_fixtures();
	test_nesting_cap();
	test_parse_at();
	test_render_twice();
	return t_done();
}
