/* Portal profiles: one settings table, then the checks with lines. */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>
#include <regex.h>

#include "util/settings.h"
#include "util/wild.h"
#include "util/xmalloc.h"
#include "parse/datafile.h"
#include "parse/iso.h"
#include "parse/labelset.h"
#include "parse/profile.h"

#define P(f)		offsetof(struct profile, f)
#define STRINGS		(SETTINGS_NONEMPTY | SETTINGS_NOCTL)
#define LIST_WHAT	"a list of non-empty strings"
#define MARKER_MIN	6	/* shorter is hardly one portal's only */

static const char *const kinds[] = { "cars", "classifieds", "form",
	"real-estate", NULL };

static int id_check(const char *, struct err *);

#define LIST(name, f, d) { name, SETTINGS_STRLIST, NULL, P(f),	\
	.flags = STRINGS, .what = LIST_WHAT, .doc = d }
#define LABEL_ROW(name, f)						\
	LIST("labels." name, ls.fields[f], "the portal's labels of " name),
#define REF_ROW(field, where, f, w)					\
	LIST("references." field "_" where, refs[f][w].src,		\
	    "regular expressions for " field " in the " where),
#define REF_ROWS(field, f)						\
	REF_ROW(field, "subject", f, PWHERE_SUBJECT)			\
	REF_ROW(field, "body", f, PWHERE_BODY)				\
	REF_ROW(field, "url", f, PWHERE_URL)

static const struct setting profile_rows[] = {
	{ "name", SETTINGS_STR, NULL, P(name), .check = id_check,
	    .flags = SETTINGS_REQUIRED | STRINGS, .what = "a non-empty string",
	    .doc = "the profile's id, the file's name" },
	{ "display", SETTINGS_STR, NULL, P(display),
	    .flags = SETTINGS_REQUIRED | STRINGS, .what = "a non-empty string",
	    .doc = "the portal's name as leads get it for their source" },
	{ "kind", SETTINGS_ENUM_NAME, NULL, P(kind), .names = kinds,
	    .flags = SETTINGS_REQUIRED, .doc = "what the portal lists" },
	{ "country", SETTINGS_STR, NULL, P(country),
	    .flags = SETTINGS_REQUIRED | SETTINGS_NOCTL,
	    .doc = "ISO 3166 alpha-2 code of its market, or \"\"" },
	{ "languages", SETTINGS_STRLIST, NULL, P(languages),
	    .flags = SETTINGS_REQUIRED | STRINGS, .what = LIST_WHAT,
	    .doc = "ISO 639-1 codes of its mails' languages" },
	LIST("match.domains", domains, "sender domains, subdomains included"),
	LIST("match.headers", headers, "\"Header-Name: pattern\""),
	LIST("match.subjects", subjects, "patterns for the whole Subject"),
	LIST("match.markers", markers, "text only this portal's mails hold"),
	LIST("relays", relays, "address patterns never the prospect's"),
	LABELSET_FIELDS(LABEL_ROW)
	{ "custom", SETTINGS_HOOK, NULL, P(ls), .hook = labelset_read_custom,
	    .doc = "label texts per custom field", .kind = "group" },
	REF_ROWS("object_ref", PREF_OBJECT_REF)
	REF_ROWS("portal_object_ref", PREF_PORTAL_OBJECT_REF)
	REF_ROWS("portal_ref", PREF_PORTAL_REF)
	LIST("message.start", msg_start, "a line starting so begins it"),
	LIST("message.end", msg_end, "a line starting so ends it"),
	LIST("footers", footers, "lines that start the portal's footer"),
};

#undef LIST
#undef LABEL_ROW
#undef REF_ROW
#undef REF_ROWS

static const struct settings_words profile_words = {
	.setting = "{name}",
	.unknown = "unknown key '{name}'",
	.type = "{setting}: expected {what}",
	.choice = "{name} '{value}': one of {names}",
};

const struct settings_table profile_settings = SETTINGS_TABLE("profile",
    profile_rows, &profile_words, 0);

static const char *const ref_fields[PREF_NREFS] = {
	"object_ref", "portal_object_ref", "portal_ref",
};
static const char *const ref_wheres[PWHERE_N] = { "subject", "body", "url" };

/* POSIX bracket classes a reference may use. */
static const char *const classes[] = { "alnum", "alpha", "blank", "cntrl",
	"digit", "graph", "lower", "print", "punct", "space", "upper",
	"xdigit", NULL };

const char *
profile_ref_field(enum profile_ref f)
{
	return f < PREF_NREFS ? ref_fields[f] : NULL;
}

static int
id_check(const char *v, struct err *why)
{
	if (v[strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_-")] != '\0')
		return err_set(why, LG_EPERM, "'%s': lower case letters, "
		    "digits, _ and - only", v);
	return LG_OK;
}

/* "immobiliare.it": lower-case labels of letters, digits and '-'. */
static int
domain_ok(const char *d)
{
	size_t n, labels = 0;
	const char *tld = d;

	for (;;) {
		n = strspn(d, "abcdefghijklmnopqrstuvwxyz0123456789-");
		if (n == 0 || d[0] == '-' || d[n - 1] == '-')
			return 0;
		labels++;
		tld = d;
		if (d[n] == '\0')
			break;
		if (d[n] != '.')
			return 0;
		d += n + 1;
	}
	return labels >= 2 && strspn(tld, "abcdefghijklmnopqrstuvwxyz") ==
	    strlen(tld) && strlen(tld) >= 2;
}

/* "X-Mailer: pattern" */
static int
header_ok(const char *h)
{
	size_t n = strspn(h, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
	    "vwxyz0123456789-");

	return n > 0 && h[n] == ':' && h[n + 1] == ' ' && h[n + 2] != '\0' &&
	    h[n + 2] != ' ';
}

static int
relay_ok(const char *s)
{
	const char *at = strchr(s, '@'), *p;

	if (at == NULL || strchr(at + 1, '@') != NULL)
		return 0;
	for (p = s; *p; p++)
		if (isupper((unsigned char)*p) || *p == ' ')
			return 0;
	return 1;
}

/* Why re is not POSIX ERE as leadgate reads it, or NULL. */
static const char *
posix_problem(const char *re, char *buf, size_t len)
{
	const char *p = re, *end;
	size_t i, n;

	for (; *p; p++) {
		if (*p == '\\') {
			if (p[1] == '\0')
				return "a trailing backslash";
			if (isalnum((unsigned char)p[1])) {
				snprintf(buf, len, "'\\%c' is not POSIX ERE "
				    "(use [0-9], [[:alnum:]], [[:space:]]...)",
				    p[1]);
				return buf;
			}
			p++;
		} else if (*p == '(' && p[1] == '?') {
			return "'(?' groups (lookarounds, non-capturing, "
			    "flags) are not POSIX ERE";
		} else if (strchr("*+?}", *p) && p[1] == '?') {
			return "lazy quantifiers ('*?') are not POSIX ERE";
		} else if (*p == '[') {
			p += p[1] == '^' ? 2 : 1;
			if (*p == ']')
				p++;
			for (; *p && *p != ']'; p++) {
				if (*p == '\\')
					return "a backslash inside [ ] is a "
					    "literal backslash in POSIX, not "
					    "an escape";
				if (p[0] != '[' || p[1] != ':')
					continue;
				if ((end = strstr(p + 2, ":]")) == NULL)
					return "an unterminated [: :] class";
				n = (size_t)(end - p - 2);
				for (i = 0; classes[i] != NULL; i++)
					if (strlen(classes[i]) == n &&
					    strncmp(classes[i], p + 2, n) == 0)
						break;
				if (classes[i] == NULL)
					return "an unknown [: :] class";
				p = end + 1;
			}
			if (*p == '\0')
				return "an unterminated [ ]";
		}
	}
	return NULL;
}

/* Whether the first ( ) group is followed by ?, * or {0. */
static int
first_group_optional(const char *re)
{
	const char *p;
	int depth = 0, start = -1;

	for (p = re; *p; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
		} else if (*p == '[') {
			p += p[1] == '^' ? 2 : 1;
			if (*p == ']')
				p++;
			while (*p && *p != ']')
				p += p[0] == '[' && p[1] == ':' &&
				    strstr(p, ":]") ? strstr(p, ":]") + 2 - p :
				    1;
			if (*p == '\0')
				return 0;
		} else if (*p == '(') {
			if (start < 0)
				start = depth;
			depth++;
		} else if (*p == ')' && --depth == start) {
			return p[1] == '?' || p[1] == '*' ||
			    strncmp(p + 1, "{0", 2) == 0;
		}
	}
	return 0;
}

static void
compile_refs(struct settings_reader *r, const config_setting_t *list,
    struct profile_refs *pr)
{
	const config_setting_t *el;
	char why[256], buf[200];
	const char *re, *prob;
	size_t i;
	int rc;

	pr->rx = xcalloc(pr->src.n + 1, sizeof(regex_t));
	pr->ok = xcalloc(pr->src.n + 1, 1);
	for (i = 0; i < pr->src.n; i++) {
		re = pr->src.v[i];
		el = datafile_at(list, i);
		if ((prob = posix_problem(re, buf, sizeof(buf))) != NULL) {
			settings_bad(r, el, "regex '%s': %s", re, prob);
			continue;
		}
		if ((rc = regcomp(&pr->rx[i], re, REG_EXTENDED)) != 0) {
			regerror(rc, &pr->rx[i], why, sizeof(why));
			settings_bad(r, el, "regex '%s' does not compile: %s",
			    re, why);
			continue;
		}
		pr->ok[i] = 1;
		if (pr->rx[i].re_nsub < 1)
			settings_bad(r, el, "regex '%s' has no group: group 1 "
			    "is the value", re);
		else if (first_group_optional(re))
			settings_bad(r, el, "regex '%s': group 1 is optional; "
			    "the value must be group 1", re);
		else if (regexec(&pr->rx[i], "", 0, NULL, 0) == 0)
			settings_bad(r, el, "regex '%s' matches the empty text",
			    re);
	}
}

static int
has_lang(const char *const *langs, const char *l)
{
	for (; langs && *langs; langs++)
		if (strcmp(*langs, l) == 0)
			return 1;
	return 0;
}

static void
check_match(struct settings_reader *r, const config_setting_t *root,
    struct profile *p)
{
	const config_setting_t *m = datafile_get(root, "match"), *d;
	size_t i;

	if (m == NULL) {
		settings_bad(r, root, "'match' is required");
		return;
	}
	if (p->domains.n + p->headers.n + p->subjects.n + p->markers.n == 0)
		settings_bad(r, m, "match: no domains, headers, subjects or "
		    "markers");
	p->domain_lines = xcalloc(p->domains.n + 1, sizeof(unsigned));
	d = p->domains.n > 0 ? datafile_get(m, "domains") : NULL;
	for (i = 0; i < p->domains.n; i++) {
		m = datafile_at(d, i);
		p->domain_lines[i] = m ? config_setting_source_line(m) : 0;
		if (!domain_ok(p->domains.v[i]))
			settings_bad(r, m, "domain '%s': a lower-case host "
			    "name, no '*' or '@' (subdomains are included)",
			    p->domains.v[i]);
	}
	for (i = 0; i < p->headers.n; i++)
		if (!header_ok(p->headers.v[i]))
			settings_bad(r, datafile_elem(root, "match.headers", i),
			    "header '%s': \"Name: pattern\"", p->headers.v[i]);
	for (i = 0; i < p->subjects.n; i++)
		if (wild_any(p->subjects.v[i]))
			settings_bad(r, datafile_elem(root, "match.subjects",
			    i), "subject pattern '%s' matches any subject",
			    p->subjects.v[i]);
	for (i = 0; i < p->markers.n; i++)
		if (strlen(p->markers.v[i]) < MARKER_MIN)
			settings_bad(r, datafile_elem(root, "match.markers", i),
			    "marker '%s' is too short to be only this "
			    "portal's", p->markers.v[i]);
}

static void
check_languages(struct settings_reader *r, const config_setting_t *root,
    const char *const *langs, struct profile *p)
{
	const config_setting_t *el;
	size_t i;

	for (i = 0; i < p->languages.n; i++) {
		el = datafile_elem(root, "languages", i);
		if (!iso_language(p->languages.v[i]))
			settings_bad(r, el, "language '%s' is no ISO 639-1 "
			    "code", p->languages.v[i]);
		else if (!has_lang(langs, p->languages.v[i]))
			settings_bad(r, el, "language '%s' has no lexicon file "
			    "%s.conf", p->languages.v[i], p->languages.v[i]);
	}
	el = datafile_get(root, "languages");
	if (p->languages.n == 0 && el != NULL && (config_setting_is_array(el) ||
	    config_setting_is_list(el)) && config_setting_length(el) == 0)
		settings_bad(r, el, "languages: at least one");
}

/* The lists that are plain text, checked for spaces and doubles. */
static const struct {
	const char *name;
	size_t off;
} text_lists[] = {
	{ "languages", P(languages) }, { "match.domains", P(domains) },
	{ "match.headers", P(headers) }, { "match.subjects", P(subjects) },
	{ "match.markers", P(markers) }, { "relays", P(relays) },
	{ "message.start", P(msg_start) }, { "message.end", P(msg_end) },
	{ "footers", P(footers) },
};

static void
profile_check(struct settings_reader *r, const config_setting_t *root,
    const char *const *langs, struct profile *p)
{
	char *stem = datafile_stem(p->path), name[300];
	const struct settings_strlist *l;
	size_t i;
	int f, w;

	if (p->name != NULL && strcmp(p->name, stem) != 0)
		settings_bad(r, config_setting_lookup((config_setting_t *)root,
		    "name"), "name '%s' is not the file's name '%s'", p->name,
		    stem);
	if (p->country != NULL && *p->country != '\0' &&
	    !iso_country(p->country))
		settings_bad(r, config_setting_lookup((config_setting_t *)root,
		    "country"), "country '%s' is no ISO 3166 alpha-2 code "
		    "(upper case)", p->country);
	for (i = 0; i < sizeof(text_lists) / sizeof(text_lists[0]); i++) {
		l = (const struct settings_strlist *)(const void *)
		    ((const char *)p + text_lists[i].off);
		if (l->n > 0)
			datafile_check_list(r, datafile_get(root,
			    text_lists[i].name), NULL, text_lists[i].name, l);
	}
	check_languages(r, root, langs, p);
	check_match(r, root, p);
	for (i = 0; i < p->relays.n; i++)
		if (!relay_ok(p->relays.v[i]))
			settings_bad(r, datafile_elem(root, "relays", i),
			    "relay '%s': a lower-case address pattern with one "
			    "'@' ('*' = any text)", p->relays.v[i]);
	labelset_index(r, root, &p->ls);
	for (f = 0; f < PREF_NREFS; f++)
		for (w = 0; w < PWHERE_N; w++) {
			if (p->refs[f][w].src.n == 0)
				continue;
			snprintf(name, sizeof(name), "references.%s_%s",
			    ref_fields[f], ref_wheres[w]);
			compile_refs(r, datafile_get(root, name),
			    &p->refs[f][w]);
		}
	free(stem);
}

int
profile_load(const char *path, const char *const *langs,
    struct profile **out, struct err_report *rep)
{
	struct settings_reader r = { &profile_settings, path, NULL, "", rep };
	struct profile *p = xcalloc(1, sizeof(*p));
	size_t before = rep->n;
	config_t lc;

	*out = NULL;
	p->path = xstrdup(path);
	config_init(&lc);
	if (datafile_read(&lc, path, rep) == LG_OK) {
		settings_read(&r, config_root_setting(&lc), p);
		profile_check(&r, config_root_setting(&lc), langs, p);
	}
	config_destroy(&lc);
	datafile_sort(rep, rep->list ? rep->list->n - (rep->n - before) : 0,
	    path);
	if (rep->n > before) {
		profile_free(p);
		return LG_EPERM;
	}
	/* Every list NULL-terminated even when empty: callers walk them. */
	datafile_terminate(&profile_settings, p);
	*out = p;
	return LG_OK;
}

static void
refs_free(struct profile_refs *pr)
{
	size_t i;

	for (i = 0; pr->ok != NULL && i < pr->src.n; i++)
		if (pr->ok[i])
			regfree(&pr->rx[i]);
	free(pr->rx);
	free(pr->ok);
	pr->rx = NULL;
	pr->ok = NULL;
}

void
profile_free(struct profile *p)
{
	int f, w;

	if (p == NULL)
		return;
	for (f = 0; f < PREF_NREFS; f++)
		for (w = 0; w < PWHERE_N; w++)
			refs_free(&p->refs[f][w]);
	settings_free(&profile_settings, p);
	labelset_free(&p->ls);
	free(p->domain_lines);
	free(p->path);
	free(p);
}
