/*
 * The settings engine (util/settings.c) on tables of its own: each case is
 * a libconfig text read into a struct; the want is the dump of what was
 * read, or every mistake, one line each, with its line number. The first
 * mistake must also be the struct err.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "util/buf.h"
#include "util/settings.h"
#include "t.h"

struct thing {
	char *name;
	char *file;
	int count;
	int wide;
	int flag;
	int colour;
	char *shade;
	struct settings_strlist tags;
	int depth;
	char *label;
	int sum;
};

static const char *const colours[] = { "red", "green", "blue", NULL };

#define F(f) offsetof(struct thing, f)
static const struct setting rows[] = {
	{ "name", SETTINGS_STR, "x", F(name), .doc = "a string" },
	{ "file", SETTINGS_PATH, "default.txt", F(file), .doc = "a path" },
	{ "count", SETTINGS_INT, "5", F(count), .doc = "an integer", .min = 1,
	    .max = 10 },
	{ "wide", SETTINGS_INT, "0", F(wide), .doc = "a wide one", .min = 0,
	    .max = 2147483647 },
	{ "flag", SETTINGS_BOOL, "true", F(flag), .doc = "a boolean" },
	{ "colour", SETTINGS_ENUM, "green", F(colour), .doc = "an index",
	    .names = colours },
	{ "shade", SETTINGS_ENUM_NAME, "blue", F(shade), .doc = "a name",
	    .names = colours },
	{ "tags", SETTINGS_STRLIST, NULL, F(tags), .doc = "a list" },
	{ "inner.depth", SETTINGS_INT, "1", F(depth), .doc = "nested", .min = 0,
	    .max = 9 },
	{ "type", SETTINGS_STR, NULL, SETTINGS_NOFIELD,
	    .doc = "read elsewhere" },
};
static const struct settings_table table = SETTINGS_TABLE("test", rows,
    NULL, SETTINGS_ONELINE);

static int
check_no_x(const char *v, struct err *why)
{
	return strchr(v, 'x') ? err_set(why, LG_EPERM, "no x, please") :
	    LG_OK;
}

/* A list of small integers, summed. */
static int
read_sum(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	int i, n;

	if (!config_setting_is_array(st))
		return settings_bad_type(r, s, st);
	n = config_setting_length(st);
	for (i = 0; i < n; i++)
		((struct thing *)obj)->sum += config_setting_get_int_elem(st,
		    i);
	return LG_OK;
}

static const struct setting strict_rows[] = {
	{ "label", SETTINGS_STR, NULL, F(label), .doc = "required, one word",
	    .flags = SETTINGS_REQUIRED | SETTINGS_NOCTL | SETTINGS_NONEMPTY,
	    .check = check_no_x, .what = "a label" },
	{ "sum", SETTINGS_HOOK, NULL, 0, .doc = "a hook", .hook = read_sum,
	    .what = "an array [ 1, 2 ]", .kind = "array" },
	{ "count", SETTINGS_INT, "7", F(count), .doc = "derived", .min = 1,
	    .max = 10, .flags = SETTINGS_DERIVED },
	{ "colour", SETTINGS_ENUM, "red", F(colour), .doc = "worded",
	    .names = colours },
};
#undef F
static const struct settings_words strict_words = {
	"'{name}'", "unknown key '{name}' here", "{setting} takes {what}",
	"{setting}: '{value}' is not one of {choices}",
};
static const struct settings_table strict = SETTINGS_TABLE("strict",
    strict_rows, &strict_words, 0);

/* Read text with t; the dump, or every mistake and then "= first". */
static void
run(const char *label, const struct settings_table *t, const char *text,
    const char *context, struct buf *got)
{
	struct err_list errs = { NULL, 0 };
	struct settings_reader r;
	struct err_report rep;
	struct thing obj;
	struct err e;
	config_t lc;
	char *dump = NULL;
	size_t i, len;
	FILE *f;

	memset(&obj, 0, sizeof(obj));
	obj.count = 3;		/* the caller's default of "derived" */
	config_init(&lc);
	if (config_read_string(&lc, text) != CONFIG_TRUE) {
		buf_printf(got, "syntax: %d: %s\n", config_error_line(&lc),
		    config_error_text(&lc));
		config_destroy(&lc);
		return;
	}
	err_clear(&e);
	memset(&rep, 0, sizeof(rep));
	rep.list = &errs;
	rep.e = &e;
	r.t = t;
	r.file = "test.conf";
	r.base = "/etc/lg";
	r.context = context;
	r.rep = &rep;
	if (settings_read(&r, config_root_setting(&lc), &obj) == LG_OK) {
		f = open_memstream(&dump, &len);
		settings_dump(t, &obj, f);
		fclose(f);
		buf_adds(got, dump);
		free(dump);
		if (t == &strict)
			buf_printf(got, "sum = %d\n", obj.sum);
	} else {
		for (i = 0; i < errs.n; i++)
			buf_printf(got, "%s\n", errs.v[i]);
		buf_printf(got, "= %s\n", e.msg);
	}
	T_INT((long long)rep.n, (long long)errs.n, "%s: counted as listed",
	    label);
	err_list_clear(&errs);
	settings_free(t, &obj);
	T_OK(obj.name == NULL && obj.file == NULL && obj.tags.v == NULL &&
	    obj.shade == NULL && obj.label == NULL, "%s: freed", label);
	config_destroy(&lc);
}

static const char defaults[] =
    "name = \"x\"\n"
    "file = \"/etc/lg/default.txt\"\n"
    "count = 5\n"
    "wide = 0\n"
    "flag = true\n"
    "colour = \"green\"\n"
    "shade = \"blue\"\n"
    "tags = []\n"
    "inner.depth = 1\n";

static void
test_cases(void)
{
	static const struct {
		const char *label;
		const struct settings_table *t;
		const char *context;
		const char *text;
		const char *want;	/* NULL: the defaults */
	} cases[] = {
		{ "empty: every default", &table, "", "", NULL },
		{ "string", &table, "", "name = \"Anna\";",
		    "name = \"Anna\"\n"
		    "file = \"/etc/lg/default.txt\"\ncount = 5\nwide = 0\n"
		    "flag = true\ncolour = \"green\"\nshade = \"blue\"\n"
		    "tags = []\ninner.depth = 1\n" },
		{ "path relative to the base", &table, "",
		    "file = \"a/b.txt\";",
		    "name = \"x\"\nfile = \"/etc/lg/a/b.txt\"\ncount = 5\n"
		    "wide = 0\nflag = true\ncolour = \"green\"\n"
		    "shade = \"blue\"\ntags = []\ninner.depth = 1\n" },
		{ "absolute path", &table, "", "file = \"/srv/c.txt\";",
		    "name = \"x\"\nfile = \"/srv/c.txt\"\ncount = 5\nwide = 0\n"
		    "flag = true\ncolour = \"green\"\nshade = \"blue\"\n"
		    "tags = []\ninner.depth = 1\n" },
		{ "empty path stays empty", &table, "", "file = \"\";",
		    "name = \"x\"\nfile = \"\"\ncount = 5\nwide = 0\n"
		    "flag = true\ncolour = \"green\"\nshade = \"blue\"\n"
		    "tags = []\ninner.depth = 1\n" },
		{ "every type", &table, "",
		    "count = 10; wide = 2147483647L; flag = false;\n"
		    "colour = \"blue\"; shade = \"red\";\n"
		    "tags = [ \"a\", \"b\" ];\n"
		    "inner = { depth = 0; }; type = \"t\";",
		    "name = \"x\"\nfile = \"/etc/lg/default.txt\"\ncount = 10\n"
		    "wide = 2147483647\nflag = false\ncolour = \"blue\"\n"
		    "shade = \"red\"\ntags = [\"a\", \"b\"]\n"
		    "inner.depth = 0\n" },
		{ "a list in parentheses", &table, "", "tags = ( \"a\" );",
		    "name = \"x\"\nfile = \"/etc/lg/default.txt\"\ncount = 5\n"
		    "wide = 0\nflag = true\ncolour = \"green\"\n"
		    "shade = \"blue\"\ntags = [\"a\"]\ninner.depth = 1\n" },
		{ "below the range", &table, "", "count = 0;",
		    "test.conf:1: count: 0 is out of range 1..10\n"
		    "= test.conf:1: count: 0 is out of range 1..10\n" },
		{ "above the range", &table, "", "count = 11;",
		    "test.conf:1: count: 11 is out of range 1..10\n"
		    "= test.conf:1: count: 11 is out of range 1..10\n" },
		{ "wrapped by libconfig", &table, "", "wide = 3000000000;",
		    "test.conf:1: wide: -1294967296 is out of range "
		    "0..2147483647 (beyond 2147483647 write the number with an "
		    "L suffix)\n"
		    "= test.conf:1: wide: -1294967296 is out of range "
		    "0..2147483647 (beyond 2147483647 write the number with an "
		    "L suffix)\n" },
		{ "64 bits, out of range", &table, "", "wide = 3000000000L;",
		    "test.conf:1: wide: 3000000000 is out of range "
		    "0..2147483647\n"
		    "= test.conf:1: wide: 3000000000 is out of range "
		    "0..2147483647\n" },
		{ "unknown name", &table, "", "\nnaem = \"Anna\";",
		    "test.conf:2: unknown setting 'naem' (did you mean "
		    "'name'?)\n"
		    "= test.conf:2: unknown setting 'naem' (did you mean "
		    "'name'?)\n" },
		{ "unknown name in a group", &table, "",
		    "inner = { dept = 1; };",
		    "test.conf:1: unknown setting 'inner.dept' (did you mean "
		    "'inner.depth'?)\n"
		    "= test.conf:1: unknown setting 'inner.dept' (did you mean "
		    "'inner.depth'?)\n" },
		{ "unknown name, nothing close", &table, "", "zzzzzz = 1;",
		    "test.conf:1: unknown setting 'zzzzzz'\n"
		    "= test.conf:1: unknown setting 'zzzzzz'\n" },
		{ "a value where a group belongs", &table, "", "inner = 3;",
		    "test.conf:1: inner: expected a block { ... }\n"
		    "= test.conf:1: inner: expected a block { ... }\n" },
		{ "string for an integer", &table, "", "count = \"5\";",
		    "test.conf:1: count: expected an integer\n"
		    "= test.conf:1: count: expected an integer\n" },
		{ "float for an integer", &table, "", "count = 5.0;",
		    "test.conf:1: count: expected an integer\n"
		    "= test.conf:1: count: expected an integer\n" },
		{ "integer for a string", &table, "", "name = 5;",
		    "test.conf:1: name: expected a string\n"
		    "= test.conf:1: name: expected a string\n" },
		{ "string for a boolean", &table, "", "flag = \"true\";",
		    "test.conf:1: flag: expected true or false\n"
		    "= test.conf:1: flag: expected true or false\n" },
		{ "integer for a boolean", &table, "", "flag = 1;",
		    "test.conf:1: flag: expected true or false\n"
		    "= test.conf:1: flag: expected true or false\n" },
		{ "not a choice", &table, "", "colour = \"pink\";",
		    "test.conf:1: colour: expected one of \"red\", \"green\", "
		    "\"blue\"\n"
		    "= test.conf:1: colour: expected one of \"red\", "
		    "\"green\", \"blue\"\n" },
		{ "not a choice, by name", &table, "", "shade = 2;",
		    "test.conf:1: shade: expected one of \"red\", \"green\", "
		    "\"blue\"\n"
		    "= test.conf:1: shade: expected one of \"red\", \"green\", "
		    "\"blue\"\n" },
		{ "not a list", &table, "", "tags = \"a\";",
		    "test.conf:1: tags: expected a list of strings\n"
		    "= test.conf:1: tags: expected a list of strings\n" },
		{ "a number in a list", &table, "", "tags = ( \"a\", 2 );",
		    "test.conf:1: tags: expected a list of strings\n"
		    "= test.conf:1: tags: expected a list of strings\n" },
		{ "a line break", &table, "", "name = \"a\\nb\";",
		    "test.conf:1: name: line breaks are not allowed\n"
		    "= test.conf:1: name: line breaks are not allowed\n" },
		{ "a line break in a list", &table, "", "tags = [ \"a\\r\" ];",
		    "test.conf:1: tags: line breaks are not allowed\n"
		    "= test.conf:1: tags: line breaks are not allowed\n" },
		{ "a context", &table, "imap connector 'inbox'", "count = 0;",
		    "test.conf:1: imap connector 'inbox': count: 0 is out of "
		    "range 1..10\n"
		    "= test.conf:1: imap connector 'inbox': count: 0 is out of "
		    "range 1..10\n" },
		{ "every mistake of the group, in the order of the file",
		    &table, "connector x",
		    "name = \"ok\";\n"
		    "count = 99;\n"
		    "colour = \"pink\";\n"
		    "\n"
		    "naem = 1;\n"
		    "inner = { depth = true; deep = 1; };\n"
		    "flag = true;\n",
		    "test.conf:2: connector x: count: 99 is out of range "
		    "1..10\n"
		    "test.conf:3: connector x: colour: expected one of "
		    "\"red\", \"green\", \"blue\"\n"
		    "test.conf:5: connector x: unknown setting 'naem' (did you "
		    "mean 'name'?)\n"
		    "test.conf:6: connector x: inner.depth: expected an "
		    "integer\n"
		    "test.conf:6: connector x: unknown setting 'inner.deep'\n"
		    "= test.conf:2: connector x: count: 99 is out of range "
		    "1..10\n" },

		/* The strict table: required, flags, check, hook, words. */
		{ "required and given", &strict, "",
		    "label = \"abc\"; sum = [ 1, 2, 3 ];",
		    "label = \"abc\"\ncount = 3\ncolour = \"red\"\nsum = 6\n" },
		{ "derived default left to the caller", &strict, "",
		    "label = \"a\"; count = 9;",
		    "label = \"a\"\ncount = 9\ncolour = \"red\"\nsum = 0\n" },
		{ "required and missing", &strict, "", "\ncount = 2;",
		    "test.conf:1: 'label' is required\n"
		    "= test.conf:1: 'label' is required\n" },
		{ "required but empty", &strict, "", "label = \"\";",
		    "test.conf:1: 'label' takes a label\n"
		    "= test.conf:1: 'label' takes a label\n" },
		{ "a control character", &strict, "", "label = \"a\\tb\";",
		    "test.conf:1: 'label': control characters are not "
		    "allowed\n"
		    "= test.conf:1: 'label': control characters are not "
		    "allowed\n" },
		{ "the row's own check", &strict, "", "label = \"box\";",
		    "test.conf:1: 'label': no x, please\n"
		    "= test.conf:1: 'label': no x, please\n" },
		{ "the hook's mistake", &strict, "",
		    "label = \"a\"; sum = 5;",
		    "test.conf:1: 'sum' takes an array [ 1, 2 ]\n"
		    "= test.conf:1: 'sum' takes an array [ 1, 2 ]\n" },
		{ "the table's words", &strict, "",
		    "label = \"a\";\ncolour = \"pink\";\ncount = true;\n"
		    "size = 3;",
		    "test.conf:2: 'colour': 'pink' is not one of "
		    "red|green|blue\n"
		    "test.conf:3: 'count' takes an integer\n"
		    "test.conf:4: unknown key 'size' here\n"
		    "= test.conf:2: 'colour': 'pink' is not one of "
		    "red|green|blue\n" },
	};
	struct buf got;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&got, 0, sizeof(got));
		run(cases[i].label, cases[i].t, cases[i].text,
		    cases[i].context, &got);
		T_STR(buf_str(&got), cases[i].want ? cases[i].want : defaults,
		    "%s", cases[i].label);
		buf_free(&got);
	}
}

/* A second read of a group adds its mistakes to those of the first. */
static void
test_report_across_groups(void)
{
	struct err_list errs = { NULL, 0 };
	struct settings_reader r;
	struct err_report rep;
	struct thing a, b;
	struct err e;
	config_t lc;
	int rc1, rc2;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&rep, 0, sizeof(rep));
	rep.list = &errs;
	rep.e = &e;
	config_init(&lc);
	T_OK(config_read_string(&lc, "one = { count = 0; };\n"
	    "two = { count = 12; name = 1; };\n") == CONFIG_TRUE,
	    "two groups parsed");
	r.t = &table;
	r.file = "f.conf";
	r.base = "";
	r.context = "one";
	r.rep = &rep;
	rc1 = settings_read(&r, config_lookup(&lc, "one"), &a);
	r.context = "two";
	rc2 = settings_read(&r, config_lookup(&lc, "two"), &b);
	T_INT(rc1, LG_EPERM, "first group refused");
	T_INT(rc2, LG_EPERM, "second group refused");
	T_INT((long long)errs.n, 3, "three mistakes in all");
	T_STR(errs.n == 3 ? errs.v[2] : "", "f.conf:2: two: name: expected "
	    "a string", "the last one names its group");
	T_STR(e.msg, "f.conf:1: one: count: 0 is out of range 1..10",
	    "e keeps the first");
	err_list_clear(&errs);
	settings_free(&table, &a);
	settings_free(&table, &b);
	config_destroy(&lc);
}

/* What `leadgate config settings` prints comes from these. */
static void
test_describe(void)
{
	static const struct {
		const struct setting *s;
		const char *type, *def;
	} cases[] = {
		{ &rows[0], "string", "x" },
		{ &rows[1], "path", "default.txt" },
		{ &rows[2], "integer 1..10", "5" },
		{ &rows[4], "boolean", "true" },
		{ &rows[5], "choice red|green|blue", "green" },
		{ &rows[6], "choice red|green|blue", "blue" },
		{ &rows[7], "list", "[]" },
		{ &rows[9], "string", "-" },
		{ &strict_rows[0], "string", "required" },
		{ &strict_rows[1], "array", "-" },
		{ &strict_rows[2], "integer 1..10", "(7)" },
	};
	char tb[128], db[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		T_STR(settings_type_text(cases[i].s, tb, sizeof(tb)),
		    cases[i].type, "type of %s", cases[i].s->name);
		T_STR(settings_default_text(cases[i].s, db, sizeof(db)),
		    cases[i].def, "default of %s", cases[i].s->name);
	}
	T_INT((long long)table.n, 10, "the table has every row");
	for (i = 0; i < table.n; i++)
		T_OK(table.v[i].doc && *table.v[i].doc, "%s has a doc line",
		    table.v[i].name);
}

static void
test_path(void)
{
	char *p;

	p = settings_path("/etc/lg", "x.db");
	T_STR(p, "/etc/lg/x.db", "relative path");
	free(p);
	p = settings_path("/etc/lg", "/var/x.db");
	T_STR(p, "/var/x.db", "absolute path");
	free(p);
	p = settings_path("/etc/lg", "");
	T_STR(p, "", "empty path");
	free(p);
	p = settings_path("", "x.db");
	T_STR(p, "x.db", "no base");
	free(p);
}

/* Did-you-mean: the distance, and the closest name at the same depth. */
static void
test_suggest(void)
{
	static const struct {
		const char *a, *b;
		size_t want;
	} dist[] = {
		{ "store", "store", 0 },
		{ "stroe", "store", 1 },	/* a swap is one edit */
		{ "hots", "host", 1 },
		{ "PORT", "port", 0 },		/* any case */
		{ "folder", "folders", 1 },
		{ "", "abc", 3 },
		{ "kitten", "sitting", 3 },
	};
	static const struct {
		const char *name, *want;
	} near[] = {
		{ "naem", "name" },
		{ "inner.dept", "inner.depth" },
		{ "innr", "inner" },		/* a group at its depth */
		{ "cuont", "count" },
		{ "zzzzzz", NULL },		/* nothing close */
		{ "nam", "name" },
		{ "inner.deep", NULL },		/* 3 edits: too far */
	};
	char buf[64];
	const char *got;
	size_t i;

	for (i = 0; i < sizeof(dist) / sizeof(dist[0]); i++)
		T_INT((long long)settings_distance(dist[i].a, dist[i].b),
		    (long long)dist[i].want, "distance %s %s", dist[i].a,
		    dist[i].b);
	for (i = 0; i < sizeof(near) / sizeof(near[0]); i++) {
		got = settings_suggest(&table, near[i].name, buf, sizeof(buf));
		if (near[i].want == NULL)
			T_OK(got == NULL, "no suggestion for %s (got %s)",
			    near[i].name, got ? got : "-");
		else
			T_STR(got ? got : "(none)", near[i].want,
			    "suggestion for %s", near[i].name);
	}
}

int
main(void)
{
	test_suggest();
	test_cases();
	test_report_across_groups();
	test_describe();
	test_path();
	return t_done();
}
