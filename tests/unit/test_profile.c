/*
 * The profiles and the lexicon (parse/parse_data.c, lexicon.c,
 * profile.c): the shipped files load and answer the lookups the
 * extractors make; every file of tests/data/profiles/bad/ is refused
 * with exactly the FILE:LINE mistakes of its .want, every one of them.
 *
 * A bad fixture says on its first line where it goes ("# install:
 * portals/mail/NAME.conf" or "# install: lexicon/LANG.conf"), and may
 * name a shipped file to go with it ("# with: portals/mail/x.conf"). It
 * is loaded in a directory of its own holding the shipped lexicon and,
 * for a lexicon fixture, one small good profile.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/err.h"
#include "util/fold.h"
#include "util/wild.h"
#include "parse/parse_data.h"
#include "parse/profile.h"
#include "t.h"

#define PATH_LEN	4096

static const char tiny[] =
    "name = \"tiny\";\ndisplay = \"Tiny\";\nkind = \"real-estate\";\n"
    "country = \"DE\";\nlanguages = [ \"de\" ];\n"
    "match = { domains = [ \"tiny.example\" ]; };\n";

/* seg -> field (or custom key) of the label it starts with, value. */
static const struct {
	const char *profile;	/* NULL: none */
	const char *lang;	/* NULL: none */
	const char *seg;
	const char *field;	/* NULL: no label */
	const char *value;
} labels[] = {
	{ NULL, "de", "Vorname: Max", "first_name", "Max" },
	{ NULL, "de", "VORNAME :  Max", "first_name", "Max" },
	{ NULL, "de", "Vorname", "first_name", "" },
	{ NULL, "de", "E-Mail-Adresse *: a@example.de", "email",
	    "a@example.de" },
	{ NULL, "de", "Telefon\xc2\xa0(mobil)\xef\xbc\x9a 0171", "phone",
	    "0171" },
	/* Longest first: "Interessent:in" holds a colon. */
	{ NULL, "de", "Interessent:in: Max Muster", "name", "Max Muster" },
	{ NULL, "de", "Objekt-Nr.: 12", "object_ref", "12" },
	{ NULL, "de", "Objekt: Altbau", "object_title", "Altbau" },
	/* The profile first: its "Objekt-ID" is the portal's. */
	{ "immoscout24-at", "de", "Objekt-ID: 77", "portal_object_ref", "77" },
	{ NULL, "de", "Objekt-ID: 77", "object_ref", "77" },
	/* The mail's language decides: "Nome" is a first name in Italian. */
	{ NULL, "it", "Nome: Anna", "first_name", "Anna" },
	{ NULL, "pt", "Nome: Anna Silva", "name", "Anna Silva" },
	/* common.conf before the other languages. */
	{ NULL, "de", "Tel.: 12", "phone", "12" },
	{ NULL, "de", "Vorname Max", NULL, NULL },
	{ NULL, NULL, "Telefoonnummer: 06 1234", "phone", "06 1234" },
	{ NULL, "de", "Nachricht: Hallo: wie geht es?", "message",
	    "Hallo: wie geht es?" },
};

static const struct {
	const char *addr;
	const char *profile;	/* NULL: none */
} domains[] = {
	{ "noreply@immobilienscout24.de", "immoscout24" },
	{ "a@mail.immobilienscout24.at", "immoscout24-at" },
	{ "x@IMMOBILIARE.IT", "immobiliare" },
	{ "a@notimmobiliare.it", NULL },
	{ "a@example.org", NULL },
	{ "immobiliare.it", "immobiliare" },
};

static const struct {
	const char *addr;
	const char *profile;	/* NULL: no relay */
} relays[] = {
	{ "solicitudes@envios.habitaclia.com", "habitaclia" },
	{ "wordpress@muster-immo.example", "contact-form-7" },
	{ "anna@example.org", NULL },
};

static const struct {
	const char *addr;
	int machine;
} machines[] = {
	{ "no-reply@example.org", 1 }, { "MAILER-DAEMON@example.org", 1 },
	{ "bounce+42@example.org", 1 }, { "list-request@example.org", 1 },
	{ "nepasrepondre@example.fr", 1 }, { "anna.muster@example.ch", 0 },
	{ "replyto@example.org", 0 },
};

static const struct {
	const char *name;
	const char *code;
} languages[] = {
	{ "Deutsch", "de" }, { "anglais", "en" }, { "fr-CH", "fr" },
	{ "Nederlands", "nl" }, { "ces", "cs" }, { "Klingonisch", NULL },
};

static const struct {
	const char *given;
	const char *stored;	/* NULL: as written */
} salutations[] = {
	{ "Herrn", "Herr" }, { "Herr", NULL }, { "male", "Mr" },
	{ "Mme", NULL }, { "Familie", NULL }, { "Sig.ra", NULL },
	{ "Kvinde", "Fru" },
};

static void
good_labels(const struct parse_data *pd)
{
	struct label_hit h;
	int *rank = calloc(parse_data_nsources(pd), sizeof(int));
	const char *got;
	size_t i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		parse_data_ranks(pd, labels[i].profile ?
		    parse_data_profile_named(pd, labels[i].profile) : NULL,
		    labels[i].lang, rank);
		if (!parse_data_label(pd, rank, labels[i].seg,
		    strlen(labels[i].seg), &h)) {
			T_STR(NULL, labels[i].field, "label of [%s]",
			    labels[i].seg);
			continue;
		}
		got = h.field == LF_CUSTOM ? h.key : labelset_field_name(h.field);
		T_STR(got, labels[i].field, "label of [%s]", labels[i].seg);
		T_STR(h.value, labels[i].value, "value of [%s]", labels[i].seg);
		T_INT(h.only, *labels[i].value == '\0', "[%s] alone",
		    labels[i].seg);
	}
	free(rank);
}

static void
good_lookups(const struct parse_data *pd)
{
	const struct profile *p;
	const char *const *w;
	size_t i, n;

	for (i = 0; i < sizeof(domains) / sizeof(domains[0]); i++) {
		p = parse_data_domain(pd, domains[i].addr, NULL);
		T_STR(p ? p->name : NULL, domains[i].profile, "domain of %s",
		    domains[i].addr);
	}
	for (i = 0; i < sizeof(relays) / sizeof(relays[0]); i++) {
		p = parse_data_relay(pd, relays[i].addr);
		T_STR(p ? p->name : NULL, relays[i].profile, "relay %s",
		    relays[i].addr);
	}
	for (i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		T_INT(parse_data_machine(pd, machines[i].addr),
		    machines[i].machine, "machine sender %s", machines[i].addr);
	for (i = 0; i < sizeof(languages) / sizeof(languages[0]); i++)
		T_STR(parse_data_language_code(pd, languages[i].name),
		    languages[i].code, "language %s", languages[i].name);
	for (i = 0; i < sizeof(salutations) / sizeof(salutations[0]); i++)
		T_STR(parse_data_salutation(pd, salutations[i].given),
		    salutations[i].stored, "salutation %s",
		    salutations[i].given);
	T_INT(parse_data_empty(pd, "k.A."), 1, "k.A. is empty");
	T_INT(parse_data_empty(pd, "n/a"), 1, "n/a is empty");
	T_INT(parse_data_empty(pd, "Anna"), 0, "Anna is not");
	/* Every file's closings in one list, each once. */
	for (n = 0, w = parse_data_words(pd, LEX_CLOSINGS); *w; w++)
		n += fold_eq(*w, "Mit freundlichen Grüßen");
	T_INT(n, 1, "a merged list has each closing once");
	for (n = 0, w = parse_data_words_for(pd, "nl", LEX_TITLES); *w; w++)
		n += fold_eq(*w, "Drs.") + fold_eq(*w, "PhD");
	T_INT(n, 2, "Dutch titles with common.conf's");
	p = parse_data_profile_like(pd, "ImmobilienScout24");
	T_STR(p ? p->name : NULL, "immoscout24", "a portal named loosely");
	p = parse_data_profile_named(pd, "habitaclia");
	T_OK(p != NULL && p->refs[PREF_OBJECT_REF][PWHERE_SUBJECT].src.n == 1 &&
	    p->refs[PREF_OBJECT_REF][PWHERE_SUBJECT].ok[0],
	    "a reference expression compiled");
}

static void
good(void)
{
	struct err_list errs = { NULL, 0 };
	struct parse_data *pd, *again;
	struct err e;

	char lex[PATH_LEN], prof[PATH_LEN];

	snprintf(lex, sizeof(lex), "%s", t_path("etc/lexicon"));
	snprintf(prof, sizeof(prof), "%s", t_path("etc/portals/mail"));
	err_clear(&e);
	if (parse_data_load(lex, prof, &pd, &errs, &e) != LG_OK) {
		T_OK(0, "the shipped files load: %s (%zu mistakes)", e.msg,
		    errs.n);
		err_list_clear(&errs);
		return;
	}
	T_INT(errs.n, 0, "no mistakes");
	T_INT(parse_data_nlexicons(pd), 36, "36 lexicon files");
	T_INT(parse_data_nprofiles(pd), 70, "70 profiles");
	T_STR(parse_data_lexicon(pd, 0)->path + strlen(parse_data_lexicon(pd,
	    0)->path) - 7, "ar.conf", "file-name order");
	T_STR(parse_data_profile(pd, 0)->name, "autohero",
	    "profiles in file-name order");
	good_labels(pd);
	good_lookups(pd);
	again = parse_data_ref(pd);
	T_OK(again == pd, "a reference is the same set");
	parse_data_free(pd);
	T_INT(parse_data_nprofiles(again), 70, "one reference left: alive");
	parse_data_free(again);
	parse_data_free(NULL);
}

static int
copy(const char *from, const char *to)
{
	char *data;
	size_t len;
	FILE *f;
	int ok;

	if ((data = t_slurp(from, &len)) == NULL ||
	    (f = fopen(to, "wb")) == NULL) {
		free(data);
		return -1;
	}
	ok = fwrite(data, 1, len, f) == len;
	ok = fclose(f) == 0 && ok;
	free(data);
	return ok ? 0 : -1;
}

static int
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* A directory holding lexicon/ (the shipped files) and portals/mail/. */
static const char *
data_dir(const char *name)
{
	static char dir[PATH_LEN];
	char from[PATH_LEN], to[PATH_LEN * 2];
	struct dirent *d;
	DIR *ld;

	snprintf(dir, sizeof(dir), "%s", t_tmpdir(name));
	snprintf(to, sizeof(to), "%s/lexicon", dir);
	mkdir(to, 0700);
	snprintf(to, sizeof(to), "%s/portals", dir);
	mkdir(to, 0700);
	snprintf(to, sizeof(to), "%s/portals/mail", dir);
	mkdir(to, 0700);
	snprintf(from, sizeof(from), "%s", t_path("etc/lexicon"));
	if ((ld = opendir(from)) == NULL)
		return NULL;
	while ((d = readdir(ld)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(from, sizeof(from), "%s/%s", t_path("etc/lexicon"),
		    d->d_name);
		snprintf(to, sizeof(to), "%s/lexicon/%s", dir, d->d_name);
		copy(from, to);
	}
	closedir(ld);
	return dir;
}

/* The value of "# KEY: value" among the first lines of text, or "". */
static void
header(const char *text, const char *key, char *out, size_t len)
{
	const char *p = text, *nl;
	size_t k = strlen(key);

	out[0] = '\0';
	for (; *p == '#'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			return;
		if (strncmp(p + 2, key, k) == 0 && p[2 + k] == ':') {
			snprintf(out, len, "%.*s", (int)(nl - p - k - 4),
			    p + k + 4);
			return;
		}
	}
}

/* Every mistake, one a line, with the directory taken off. */
static char *
joined(const struct err_list *l, const char *dir)
{
	size_t i, n = strlen(dir), size = 1;
	char *out, *m;

	for (i = 0; i < l->n; i++)
		size += strlen(l->v[i]) + 1;
	out = calloc(1, size);
	for (i = 0; i < l->n; i++) {
		m = l->v[i];
		if (strncmp(m, dir, n) == 0 && m[n] == '/')
			m += n + 1;
		strcat(out, m);
		strcat(out, "\n");
	}
	return out;
}

static void
bad_one(const char *name)
{
	char fixture[PATH_LEN], want_path[PATH_LEN], install[256], with[256];
	char to[PATH_LEN * 2], lex[PATH_LEN * 2], prof[PATH_LEN * 2];
	struct err_list errs = { NULL, 0 };
	char *text, *want, *got;
	struct parse_data *pd = NULL;
	const char *dir;
	struct err e;
	int rc;

	snprintf(fixture, sizeof(fixture), "%s/%s.conf",
	    t_path("tests/data/profiles/bad"), name);
	snprintf(want_path, sizeof(want_path), "%s/%s.want",
	    t_path("tests/data/profiles/bad"), name);
	if ((text = t_slurp(fixture, NULL)) == NULL ||
	    (want = t_slurp(want_path, NULL)) == NULL) {
		T_OK(0, "%s: fixture and %s.want", name, name);
		free(text);
		return;
	}
	header(text, "install", install, sizeof(install));
	header(text, "with", with, sizeof(with));
	if ((dir = data_dir(name)) == NULL || install[0] == '\0') {
		T_OK(0, "%s: set up (# install: ...)", name);
		free(text);
		free(want);
		return;
	}
	snprintf(to, sizeof(to), "%s/%s", dir, install);
	put(to, text);
	if (with[0] != '\0') {
		snprintf(to, sizeof(to), "%s/%s", dir, with);
		snprintf(lex, sizeof(lex), "etc/%s", with);
		copy(t_path(lex), to);
	}
	if (strncmp(install, "lexicon/", 8) == 0) {
		snprintf(to, sizeof(to), "%s/portals/mail/tiny.conf", dir);
		put(to, tiny);
	}
	snprintf(lex, sizeof(lex), "%s/lexicon", dir);
	snprintf(prof, sizeof(prof), "%s/portals/mail", dir);
	err_clear(&e);
	rc = parse_data_load(lex, prof, &pd, &errs, &e);
	T_INT(rc, LG_EPERM, "%s: refused", name);
	T_OK(pd == NULL, "%s: nothing loaded", name);
	got = joined(&errs, dir);
	T_STR(got, want, "%s: every mistake with FILE:LINE", name);
	T_OK(errs.n > 0 && strstr(e.msg, errs.v[0]) != NULL, "%s: the first "
	    "in e", name);
	free(got);
	err_list_clear(&errs);
	parse_data_free(pd);
	free(text);
	free(want);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
bad(void)
{
	char *names[256];
	struct dirent *d;
	size_t n = 0, i, len;
	DIR *dp;

	if ((dp = opendir(t_path("tests/data/profiles/bad"))) == NULL) {
		T_OK(0, "tests/data/profiles/bad");
		return;
	}
	while ((d = readdir(dp)) != NULL && n < 256) {
		len = strlen(d->d_name);
		if (len > 5 && strcmp(d->d_name + len - 5, ".conf") == 0)
			names[n++] = strndup(d->d_name, len - 5);
	}
	closedir(dp);
	qsort(names, n, sizeof(names[0]), by_name);
	T_OK(n >= 15, "%zu bad fixtures", n);
	for (i = 0; i < n; i++) {
		bad_one(names[i]);
		free(names[i]);
	}
}

/* Mistakes of several files: all of them, file by file. */
static void
several(void)
{
	struct err_list errs = { NULL, 0 };
	struct parse_data *pd = NULL;
	char to[PATH_LEN * 2], lex[PATH_LEN * 2], prof[PATH_LEN * 2];
	const char *dir = data_dir("several");
	struct err e;

	if (dir == NULL) {
		T_OK(0, "several: set up");
		return;
	}
	snprintf(to, sizeof(to), "%s/portals/mail/bad-kind.conf", dir);
	copy(t_path("tests/data/profiles/bad/bad-kind.conf"), to);
	snprintf(to, sizeof(to), "%s/portals/mail/bad-country.conf", dir);
	copy(t_path("tests/data/profiles/bad/bad-country.conf"), to);
	snprintf(to, sizeof(to), "%s/lexicon/fr.conf", dir);
	copy(t_path("tests/data/profiles/bad/lexicon-language.conf"), to);
	snprintf(lex, sizeof(lex), "%s/lexicon", dir);
	snprintf(prof, sizeof(prof), "%s/portals/mail", dir);
	err_clear(&e);
	T_INT(parse_data_load(lex, prof, &pd, &errs, &e), LG_EPERM,
	    "several bad files: refused");
	T_INT(errs.n, 4, "several bad files: every mistake of each");
	if (errs.n == 4) {
		T_OK(strstr(errs.v[0], "lexicon/fr.conf:2:") != NULL,
		    "the lexicon first: %s", errs.v[0]);
		T_OK(strstr(errs.v[2], "bad-country.conf:5:") != NULL,
		    "then the profiles by name: %s", errs.v[2]);
		T_OK(strstr(errs.v[3], "bad-kind.conf:4:") != NULL,
		    "bad-kind after bad-country: %s", errs.v[3]);
	}
	err_list_clear(&errs);
	/* Without a list, the first mistake only, in e. */
	T_INT(parse_data_load(lex, prof, &pd, NULL, &e), LG_EPERM,
	    "no list: refused");
	T_OK(strstr(e.msg, "lexicon/fr.conf:2:") != NULL, "no list: the "
	    "first mistake in e: %s", e.msg);
	err_clear(&e);
	T_INT(parse_data_load("/nonexistent/lexicon", prof, &pd, NULL, &e),
	    LG_EPERM, "a missing directory is refused");
	T_OK(strstr(e.msg, "/nonexistent/lexicon") != NULL, "it is named: %s",
	    e.msg);
}

static void
patterns(void)
{
	const char *q = "Am 3. März schrieb Anna:";

	T_INT(wild_match("Am * schrieb *:", q, strlen(q)), 1, "quote header");
	T_INT(wild_match("*@*.immoscout24.ch", "a@MAIL.ImmoScout24.CH", 21),
	    1, "relay pattern, any case");
	T_INT(wild_match("*noreply*", "mailnoreply42", 13), 1, "machine");
	T_INT(wild_match("Nuovo contatto*", "Nuovo messaggio", 15), 0,
	    "subject pattern");
	T_INT(wild_start("Bekijk de woning", "bekijk de WONING: http://x",
	    26), 1, "footer at the start of a line");
	T_INT(wild_match("* says:", "Anna says", 9), 0, "the whole value");
	T_INT(fold_eq("ÉLODIE ŁUKASZ ČAPEK", "élodie łukasz čapek"), 1,
	    "Latin letters fold");
}

int
main(void)
{
	good();
	bad();
	several();
	patterns();
	return t_done();
}
