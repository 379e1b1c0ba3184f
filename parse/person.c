/* Names, salutations and machine senders. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "parse/person.h"

#define TOKENS_MAX	16
#define LOCAL_MAX	64

static const struct {
	const char *given;	/* lower case */
	const char *norm;
} salutations[] = {
	{ "herr", "Herr" }, { "herrn", "Herr" }, { "hr", "Herr" },
	{ "hr.", "Herr" }, { "frau", "Frau" }, { "fr.", "Frau" },
	{ "monsieur", "Monsieur" }, { "m.", "Monsieur" },
	{ "madame", "Madame" }, { "mme", "Madame" }, { "mme.", "Madame" },
	{ "mademoiselle", "Madame" }, { "mlle", "Madame" },
	{ "mlle.", "Madame" }, { "mr", "Mr" }, { "mr.", "Mr" },
	{ "mister", "Mr" }, { "mrs", "Ms" }, { "mrs.", "Ms" }, { "ms", "Ms" },
	{ "ms.", "Ms" }, { "miss", "Ms" }, { "signor", "Signor" },
	{ "signore", "Signor" }, { "sig.", "Signor" }, { "sig", "Signor" },
	{ "signora", "Signora" }, { "sig.ra", "Signora" },
	{ "male", "Mr" }, { "female", "Ms" },
};

/* Academic titles that precede a name (lower case). */
static const char *const titles[] = {
	"dr.", "dr", "prof.", "prof", "dipl.-ing.", "dipl.-kfm.",
	"dipl.-kffr.", "dipl.-inf.", "mag.", "ing.", "lic.", "dres.", "med.",
	"phil.", "rer.", "nat.", "jur.", "h.c.", "pd",
};

/* Name particles that start a last name (compared case-insensitively). */
static const char *const particles[] = {
	"von", "van", "vom", "zu", "zum", "zur", "de", "der", "den", "del",
	"della", "di", "da", "du", "des", "dos", "das", "le", "la", "ten",
	"ter", "af", "al", "el", "bin",
};

/* Suffixes portals add to the sender's name: "Max Muster via X". */
static const char *const via_words[] = {
	" via ", " über ", " par ", " by ", " per ", " tramite ",
};

/* Local parts of machine senders, after dropping all but letters/digits. */
static const char *const machine_contains[] = {
	"noreply", "donotreply", "nepasrepondre", "nichtantworten",
	"keineantwort", "noanswer", "nonrispondere", "mailerdaemon",
};
static const char *const machine_prefix[] = {
	"bounce", "postmaster", "notification", "notify", "automailer",
	"autoreply", "autoresponder",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
in_list(const char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(v[i], s) == 0)
			return 1;
	return 0;
}

const char *
person_salutation(const char *s)
{
	char w[24] = "";
	size_t n = 0, i;

	while (*s == ' ' || *s == '\t')
		s++;
	for (; *s && n + 1 < sizeof(w); s++)
		w[n++] = (char)tolower((unsigned char)*s);
	while (n > 0 && (w[n - 1] == ' ' || w[n - 1] == ',' ||
	    w[n - 1] == '\t'))
		n--;
	w[n] = '\0';
	if (*s != '\0')
		return NULL;
	for (i = 0; i < NELEM(salutations); i++)
		if (strcmp(salutations[i].given, w) == 0)
			return salutations[i].norm;
	return NULL;
}

static int
is_title(const char *t)
{
	return in_list(titles, NELEM(titles), t);
}

/* All letters upper case, at least two of them: "DUPONT", "LE-GALL". */
static int
all_caps(const char *t)
{
	int upper = 0;

	for (; *t; t++) {
		if (islower((unsigned char)*t))
			return 0;
		/* UTF-8 lower-case Latin-1 letters (U+00DF..U+00FF). */
		if ((unsigned char)t[0] == 0xc3 && (unsigned char)t[1] >= 0x9f)
			return 0;
		upper += isupper((unsigned char)*t) != 0;
	}
	return upper >= 2;
}

static char *
join(char **tok, size_t from, size_t to)
{
	struct buf b = BUF_INIT;
	size_t i;

	if (from >= to)
		return NULL;
	for (i = from; i < to; i++) {
		if (i > from)
			buf_addc(&b, ' ');
		buf_adds(&b, tok[i]);
	}
	return buf_detach(&b);
}

/* Cut "via X" suffixes, trailing "(...)" / "[...]" and quotes. */
static void
clean(char *s)
{
	char *p, *end;
	size_t i;

	for (i = 0; i < NELEM(via_words); i++)
		if ((p = strcasestr(s, via_words[i])) != NULL && p > s)
			*p = '\0';
	for (;;) {
		end = s + strlen(s);
		while (end > s && (end[-1] == ' ' || end[-1] == '"' ||
		    end[-1] == '\''))
			*--end = '\0';
		if (end > s && (end[-1] == ')' || end[-1] == ']') &&
		    (p = strrchr(s, end[-1] == ')' ? '(' : '[')) != NULL &&
		    p > s) {
			*p = '\0';
			continue;
		}
		break;
	}
	for (p = s; *p == ' ' || *p == '"' || *p == '\''; p++)
		;
	memmove(s, p, strlen(p) + 1);
}

static size_t
tokenize(char *s, char **tok)
{
	size_t n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(s, " \t", &save); t && n < TOKENS_MAX;
	    t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	return n;
}

/* Salutation and titles at the front; returns where the name starts. */
static size_t
prefixes(char **tok, size_t n, struct person *p)
{
	struct buf title = BUF_INIT;
	const char *sal;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i + 1 < n && p->salutation == NULL &&
		    (sal = person_salutation(tok[i])) != NULL) {
			p->salutation = xstrdup(sal);
		} else if (i + 1 < n && is_title(tok[i])) {
			if (title.len)
				buf_addc(&title, ' ');
			buf_adds(&title, tok[i]);
		} else {
			break;
		}
	}
	if (title.len)
		p->title = buf_detach(&title);
	buf_free(&title);
	return i;
}

static void
split_tokens(char **tok, size_t n, struct person *p)
{
	size_t i, cut;

	if (n == 1) {
		/* "Herr Muster" is a last name; a lone word is a first name. */
		if (p->salutation)
			p->last = xstrdup(tok[0]);
		else
			p->first = xstrdup(tok[0]);
		return;
	}
	if (all_caps(tok[0]) && !all_caps(tok[n - 1])) {
		for (cut = 1; cut < n && all_caps(tok[cut]); cut++)
			;
		p->last = join(tok, 0, cut);
		p->first = join(tok, cut, n);
		return;
	}
	cut = n - 1;
	for (i = 1; i + 1 < n; i++)
		if (in_list(particles, NELEM(particles), tok[i])) {
			cut = i;
			break;
		}
	p->first = join(tok, 0, cut);
	p->last = join(tok, cut, n);
}

/* 1 when every word of s is a title or salutation ("Dipl.-Ing., Dr."). */
static int
only_titles(const char *s)
{
	char *copy = xstrdup(s), *tok[TOKENS_MAX];
	size_t n = tokenize(copy, tok), i;
	int yes = n > 0;

	for (i = 0; i < n; i++)
		if (!is_title(tok[i]) && person_salutation(tok[i]) == NULL)
			yes = 0;
	free(copy);
	return yes;
}

void
person_split(const char *display, struct person *p)
{
	char *tok[TOKENS_MAX], *s, *comma;
	size_t n, start;

	memset(p, 0, sizeof(*p));
	if (display == NULL || strchr(display, '@') != NULL)
		return;
	s = xstrdup(display);
	clean(s);
	/* "Anna Muster, Dr.": titles after the name are dropped. */
	if ((comma = strrchr(s, ',')) != NULL && only_titles(comma + 1))
		*comma = '\0';
	comma = strchr(s, ',');
	if (comma && strchr(comma + 1, ',') == NULL && comma > s) {
		/* "Muster, Anna": the part before the comma is the last name. */
		*comma = '\0';
		n = tokenize(comma + 1, tok);
		start = prefixes(tok, n, p);
		p->first = join(tok, start, n);
		n = tokenize(s, tok);
		start = prefixes(tok, n, p);
		p->last = join(tok, start, n);
	} else {
		n = tokenize(s, tok);
		start = prefixes(tok, n, p);
		if (start < n)
			split_tokens(tok + start, n - start, p);
	}
	free(s);
}

void
person_clear(struct person *p)
{
	if (p == NULL)
		return;
	free(p->salutation);
	free(p->title);
	free(p->first);
	free(p->last);
	memset(p, 0, sizeof(*p));
}

int
person_noreply(const char *addr)
{
	char local[LOCAL_MAX];
	const char *at = strrchr(addr, '@'), *s;
	size_t n = 0, i;

	if (at == NULL)
		return 0;
	for (s = addr; s < at && n + 1 < sizeof(local); s++)
		if (isalnum((unsigned char)*s))
			local[n++] = (char)tolower((unsigned char)*s);
	local[n] = '\0';
	for (i = 0; i < NELEM(machine_contains); i++)
		if (strstr(local, machine_contains[i]) != NULL)
			return 1;
	for (i = 0; i < NELEM(machine_prefix); i++)
		if (strncmp(local, machine_prefix[i],
		    strlen(machine_prefix[i])) == 0)
			return 1;
	/* Mailing list robots: "list-request@". */
	n = (size_t)(at - addr);
	return n > 8 && strncasecmp(at - 8, "-request", 8) == 0;
}
