/*
 * Compiled templates (templates/tcache.h) and partials kept across
 * renderings (mustache_render_keep): a template from the cache renders
 * exactly what a freshly loaded one does; it is read once, so changing
 * its files afterwards changes nothing from the cache (while a fresh load
 * sees the change); what failed to load is tried again; more variants
 * than the cache holds still work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t.h"
#include "templates/mustache.h"
#include "templates/tcache.h"
#include "templates/template.h"

/* The template directory the tests write, as {file, content}. */
static const struct {
	const char *name;
	const char *text;
} files[] = {
	{ "news.txt", "Subject: News for {{contact.first_name}}\n"
	    "Language: de\n\nHallo {{contact.first_name}}\n"
	    "{{#leads}}- {{ref}}\n{{/leads}}{{> sig}}\n"
	    "{{#vip}}{{> vip}}{{/vip}}" },
	{ "news.html", "<p>Hallo {{contact.first_name}}</p>{{> sig}}" },
	{ "news.fr.txt", "Subject: Nouvelles pour {{contact.first_name}}\n\n"
	    "Bonjour {{contact.first_name}}\n{{> sig}}\n" },
	{ "partials/sig.txt", "Gruss, {{sender.name}}\n" },
	{ "partials/sig.fr.txt", "Salutations, {{sender.name}}\n" },
	{ "partials/sig.html", "<p>{{sender.name}} &amp; Co</p>" },
};

static const char *dir;

static void
put(const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) < 0 ||
	    fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
}

static void
drop(const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static void
setup(void)
{
	char path[4096];
	size_t i;

	dir = t_tmpdir("tcache");
	snprintf(path, sizeof(path), "%s/partials", dir);
	mkdir(path, 0700);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		put(files[i].name, files[i].text);
}

static json_t *
context(const char *first, int vip)
{
	return json_pack("{s:{s:s}, s:[{s:s},{s:s}], s:{s:s}, s:b}",
	    "contact", "first_name", first, "leads", "ref", "OBJ-1", "ref",
	    "OBJ-2", "sender", "name", "Muster <AG>", "vip", vip);
}

/* "subject|text|html" of t rendered for ctx, or "error: why". */
static char *
render(const struct template *t, json_t *ctx)
{
	struct template_msg *m;
	struct err e;
	char *s;
	size_t n;

	err_clear(&e);
	if (template_render(t, ctx, &m, &e) != LG_OK) {
		n = strlen(e.msg) + 8;
		s = malloc(n);
		snprintf(s, n, "error: %s", e.msg);
		return s;
	}
	n = strlen(m->subject) + strlen(m->text) +
	    (m->html ? strlen(m->html) : 0) + 3;
	s = malloc(n);
	snprintf(s, n, "%s|%s|%s", m->subject, m->text, m->html ? m->html :
	    "");
	template_msg_free(m);
	return s;
}

/* The same rendering from a template loaded now. */
static char *
render_fresh(const char *lang, json_t *ctx)
{
	struct template *t;
	struct err e;
	char *s;

	err_clear(&e);
	if (template_load(dir, "news", lang, &t, &e) != LG_OK)
		return strdup(e.msg);
	s = render(t, ctx);
	template_free(t);
	return s;
}

static void
test_same_as_fresh(struct tcache *c)
{
	static const char *const langs[] = { NULL, "fr", "de-CH", "FR-ch" };
	const struct template *t, *again;
	json_t *ctx = context("Anna", 0);
	char *got, *want;
	size_t i, k;
	struct err e;

	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		const char *l = langs[i] ? langs[i] : "(none)";

		err_clear(&e);
		T_INT(tcache_get(c, "news", langs[i], &t, &e), LG_OK,
		    "tcache %s: loads (%s)", l, e.msg);
		want = render_fresh(langs[i], ctx);
		/* Three renderings: the kept partials change nothing. */
		for (k = 0; k < 3; k++) {
			got = render(t, ctx);
			T_STR(got, want, "tcache %s: rendering %zu is what a "
			    "fresh load renders", l, k + 1);
			free(got);
		}
		free(want);
		T_INT(tcache_get(c, "news", langs[i], &again, &e), LG_OK,
		    "tcache %s: asked again", l);
		T_OK(again == t, "tcache %s: the same compiled template", l);
	}
	json_decref(ctx);
}

/* Files changed after the first use: the cache keeps what it read. */
static void
test_compiled_once(struct tcache *c)
{
	const struct template *t;
	json_t *ctx = context("Ben", 0);
	char *before, *after, *fresh;
	struct err e;

	err_clear(&e);
	tcache_get(c, "news", NULL, &t, &e);
	before = render(t, ctx);
	T_OK(strstr(before, "News for Ben|Hallo Ben\n- OBJ-1\n- OBJ-2\n"
	    "Gruss, Muster <AG>\n") != NULL, "tcache: renders the template");
	put("news.txt", "Subject: Changed\n\nChanged {{contact.first_name}}\n");
	put("partials/sig.txt", "Changed signature\n");
	drop("news.html");
	T_INT(tcache_get(c, "news", NULL, &t, &e), LG_OK,
	    "tcache: still there after the files changed");
	after = render(t, ctx);
	T_STR(after, before, "tcache: renders what it read first");
	fresh = render_fresh(NULL, ctx);
	T_STR(fresh, "Changed|Changed Ben\n|", "tcache: a fresh load sees the "
	    "changed files");
	free(before);
	free(after);
	free(fresh);
	json_decref(ctx);
}

/* A template or partial that failed to load is tried again. */
static void
test_failures_not_kept(struct tcache *c)
{
	const struct template *t;
	json_t *ctx = context("Cleo", 1);
	struct err e;
	char *got;

	err_clear(&e);
	T_INT(tcache_get(c, "later", NULL, &t, &e), LG_ENOENT,
	    "tcache: a missing template is LG_ENOENT");
	put("later.txt", "Subject: Later\n\nNow {{contact.first_name}}\n");
	err_clear(&e);
	T_INT(tcache_get(c, "later", NULL, &t, &e), LG_OK,
	    "tcache: found once it exists (%s)", e.msg);

	/* news.fr.txt reaches no vip partial; news.txt is changed by now. */
	put("vipnews.txt", "Subject: VIP\n\n{{#vip}}{{> vip}}{{/vip}}end\n");
	err_clear(&e);
	tcache_get(c, "vipnews", NULL, &t, &e);
	got = render(t, ctx);
	T_OK(strstr(got, "error: partial 'vip' not found") == got,
	    "tcache: a missing partial fails (%s)", got);
	free(got);
	put("partials/vip.txt", "Dear VIP\n");
	got = render(t, ctx);
	T_STR(got, "VIP|Dear VIP\nend\n|", "tcache: the partial is read once "
	    "it exists");
	free(got);
	json_decref(ctx);
}

/* More language variants than TCACHE_MAX: each still renders right. */
static void
test_many_variants(struct tcache *c)
{
	const struct template *t;
	json_t *ctx = context("Dan", 0);
	char lang[16], *got;
	struct err e;
	int i, bad = 0;

	for (i = 0; i < TCACHE_MAX + 10; i++) {
		snprintf(lang, sizeof(lang), "fr-x%d", i);
		err_clear(&e);
		if (tcache_get(c, "news", lang, &t, &e) != LG_OK) {
			bad++;
			continue;
		}
		got = render(t, ctx);
		bad += strcmp(got, "Nouvelles pour Dan|Bonjour Dan\n"
		    "Salutations, Muster <AG>\n|") != 0;
		free(got);
	}
	T_INT(bad, 0, "tcache: %d variants beyond the %d kept render right",
	    10, TCACHE_MAX);
	json_decref(ctx);
}

static int loads;

static int
count_partial(void *arg, const char *name, char **text, size_t *len,
    char **origin, struct err *e)
{
	loads++;
	*text = strdup("[{{x}}]");
	*len = strlen(*text);
	return LG_OK;
}

/* mustache_render_keep(): a kept partial is loaded once. */
static void
test_keep(void)
{
	struct mustache_opts o = { MUSTACHE_ESCAPE_NONE, count_partial, NULL };
	struct mustache_partials *keep = mustache_partials_new();
	struct mustache *m;
	json_t *ctx = json_pack("{s:s}", "x", "1");
	struct buf out = BUF_INIT;
	struct err e;
	int i;

	err_clear(&e);
	mustache_parse("{{> p}}{{> p}}", 14, "t", &m, &e);
	for (i = 0; i < 3; i++)
		mustache_render(m, ctx, &o, &out, &e);
	T_INT(loads, 3, "mustache: without keep, a partial is loaded per "
	    "rendering");
	loads = 0;
	for (i = 0; i < 3; i++)
		mustache_render_keep(m, ctx, &o, keep, &out, &e);
	T_INT(loads, 1, "mustache: kept, a partial is loaded once");
	T_STR(buf_str(&out), "[1][1][1][1][1][1][1][1][1][1][1][1]",
	    "mustache: the same output either way");
	buf_free(&out);
	mustache_partials_free(keep);
	mustache_partials_free(NULL);
	mustache_free(m);
	json_decref(ctx);
}

int
main(void)
{
	struct tcache *c;

	setup();
	c = tcache_new(dir);
	test_same_as_fresh(c);
	test_compiled_once(c);
	test_failures_not_kept(c);
	test_many_variants(c);
	tcache_free(c);
	tcache_free(NULL);
	test_keep();
	return t_done();
}
