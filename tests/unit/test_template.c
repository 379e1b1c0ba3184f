/*
 * Template files: language fallback (tests/data/templates/lang), and one
 * fixture per bad template (tests/data/templates/bad/NAME.txt with the
 * message it must give in NAME.err), parse-time or render-time.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "templates/template.h"

#define LANG_DIR "tests/data/templates/lang"
#define BAD_DIR "tests/data/templates/bad"

static const struct {
	const char *lang;
	const char *text;	/* the file chosen */
	const char *html;	/* its HTML part, or NULL */
	const char *subject;
	const char *body;
	const char *language;
} langs[] = {
	{ NULL, "offer.txt", "offer.html", "Angebot (Standard)",
	    "Text Standard 7\nGruss\n", "de" },
	{ "", "offer.txt", "offer.html", "Angebot (Standard)",
	    "Text Standard 7\nGruss\n", "de" },
	{ "fr", "offer.fr.txt", NULL, "Offre", "Texte fr 7\nSalutations\n",
	    "fr" },
	{ "FR-ch", "offer.fr.txt", NULL, "Offre",
	    "Texte fr 7\nSalutations\n", "fr" },
	{ "de-CH", "offer.de-ch.txt", "offer.de-ch.html", "Offerte  (Schweiz)",
	    "Text CH 7\nGruss\n", "de-ch" },
	{ "de", "offer.txt", "offer.html", "Angebot (Standard)",
	    "Text Standard 7\nGruss\n", "de" },
	{ "it", "offer.txt", "offer.html", "Angebot (Standard)",
	    "Text Standard 7\nGruss\n", "de" },
	{ "../../etc", "offer.txt", "offer.html", "Angebot (Standard)",
	    "Text Standard 7\nGruss\n", "de" },
};

static const char *
base(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;

	return s ? s + 1 : path;
}

static void
test_languages(void)
{
	json_t *ctx = json_pack("{s:i}", "n", 7);
	size_t i;

	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		const char *l = langs[i].lang ? langs[i].lang : "(none)";
		struct template *t = NULL;
		struct template_msg *m = NULL;
		struct err e;

		err_clear(&e);
		if (template_load(LANG_DIR, "offer", langs[i].lang, &t, &e) !=
		    LG_OK || template_render(t, ctx, &m, &e) != LG_OK) {
			T_OK(0, "language %s: loads and renders: %s", l, e.msg);
			template_free(t);
			continue;
		}
		T_STR(base(template_path(t)), langs[i].text,
		    "language %s: text file", l);
		T_STR(base(template_html_path(t)), langs[i].html,
		    "language %s: HTML file of the same variant", l);
		T_STR(m->subject, langs[i].subject, "language %s: subject", l);
		T_STR(m->text, langs[i].body, "language %s: body with the "
		    "variant's partial", l);
		T_STR(m->language, langs[i].language, "language %s: Content-"
		    "Language", l);
		T_OK((m->html != NULL) == (langs[i].html != NULL),
		    "language %s: an HTML body exactly with an HTML file", l);
		template_msg_free(m);
		template_free(t);
	}
	json_decref(ctx);
}

static const struct {
	const char *label;
	const char *name;
	int rc;
	const char *want;
} names[] = {
	{ "a path is no template name", "../offer", LG_EPERM,
	    "bad template name '../offer' (letters, digits, '-' and '_')" },
	{ "a dot is no part of a name", "offer.fr", LG_EPERM,
	    "bad template name 'offer.fr' (letters, digits, '-' and '_')" },
	{ "an empty name", "", LG_EPERM,
	    "bad template name '' (letters, digits, '-' and '_')" },
	{ "a template that is not there", "nothing", LG_ENOENT,
	    "template 'nothing' not found: no " LANG_DIR "/nothing.txt" },
};

static void
test_names(void)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct template *t = NULL;
		struct err e;

		err_clear(&e);
		T_INT(template_load(LANG_DIR, names[i].name, "fr", &t, &e),
		    names[i].rc, "%s: refused", names[i].label);
		T_STR(e.msg, names[i].want, "%s: message", names[i].label);
		template_free(t);
	}
}

static int
is_txt(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && strcmp(d->d_name + n - 4, ".txt") == 0;
}

/* Each bad template fails to load or to render, with the message in .err. */
static void
test_bad(void)
{
	char path[512], *want, *ctxtext;
	struct dirent **ents;
	json_t *ctx;
	int i, n;

	ctxtext = t_slurp(BAD_DIR "/context.json", NULL);
	ctx = json_loads(ctxtext ? ctxtext : "{}", 0, NULL);
	if ((n = scandir(BAD_DIR, &ents, is_txt, alphasort)) <= 0)
		T_OK(0, "fixtures in %s", BAD_DIR);
	for (i = 0; i < n; i++) {
		struct template *t = NULL;
		struct template_msg *m = NULL;
		struct err e;
		size_t wlen;
		int rc;

		snprintf(path, sizeof(path), "%s/%.*s.err", BAD_DIR,
		    (int)strlen(ents[i]->d_name) - 4, ents[i]->d_name);
		want = t_slurp(path, &wlen);
		if (want && wlen && want[wlen - 1] == '\n')
			want[wlen - 1] = '\0';
		snprintf(path, sizeof(path), "%s/%s", BAD_DIR, ents[i]->d_name);
		err_clear(&e);
		rc = template_load_file(path, NULL, &t, &e);
		if (rc == LG_OK)
			rc = template_render(t, ctx, &m, &e);
		T_INT(rc, LG_EPERM, "%s is refused", ents[i]->d_name);
		T_STR(e.msg, want ? want : "(no .err file)", "%s says where "
		    "and why", ents[i]->d_name);
		template_msg_free(m);
		template_free(t);
		free(want);
		free(ents[i]);
	}
	free(ents);
	free(ctxtext);
	json_decref(ctx);
}

int
main(void)
{
	if (getenv("TOP") == NULL || chdir(getenv("TOP")) != 0) {
		T_OK(0, "TOP is set (run through make test)");
		return t_done();
	}
	test_languages();
	test_names();
	test_bad();
	return t_done();
}
