/* Lexicon files: one settings table, then the checks with lines. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "util/fold.h"
#include "util/settings.h"
#include "util/xmalloc.h"
#include "parse/datafile.h"
#include "parse/iso.h"
#include "parse/labelset.h"
#include "parse/lexicon.h"

#define L(f)		offsetof(struct lexicon, f)
#define STRINGS		(SETTINGS_NONEMPTY | SETTINGS_NOCTL)
#define LIST_WHAT	"a list of non-empty strings"

static int lexicon_read_names(struct settings_reader *,
    const struct setting *, const config_setting_t *, void *);
static int lexicon_read_forms(struct settings_reader *,
    const struct setting *, const config_setting_t *, void *);

#define LIST(name, f, d) { name, SETTINGS_STRLIST, NULL, L(f),	\
	.flags = STRINGS, .what = LIST_WHAT, .doc = d }
#define LABEL_ROW(name, f)						\
	LIST("labels." name, ls.fields[f], "label texts of " name),
#define LIST_ROW(name, l, d) LIST(name, lists[l], d),

static const struct setting lexicon_rows[] = {
	{ "language", SETTINGS_STR, NULL, L(lang), .flags = SETTINGS_REQUIRED |
	    SETTINGS_NOCTL, .doc = "the ISO 639-1 code, the file's name" },
	LABELSET_FIELDS(LABEL_ROW)
	{ "custom", SETTINGS_HOOK, NULL, L(ls), .hook = labelset_read_custom,
	    .doc = "label texts per custom field", .kind = "group" },
	LIST_ROW("salutations", LEX_SALUTATIONS, "salutations as written")
	LIST_ROW("titles", LEX_TITLES, "academic and professional titles")
	LIST_ROW("particles", LEX_PARTICLES, "particles that start a last name")
	LIST_ROW("greetings", LEX_GREETINGS, "opening lines of a message")
	LIST_ROW("closings", LEX_CLOSINGS, "closing formulas: the message ends")
	LIST_ROW("footers", LEX_FOOTERS, "starts of footers and sign-offs")
	LIST_ROW("quote_headers", LEX_QUOTE_HEADERS, "reply separators")
	LIST_ROW("forward_markers", LEX_FORWARD_MARKERS,
	    "lines that start a forwarded message")
	LIST_ROW("forward_subjects", LEX_FORWARD_SUBJECTS,
	    "subject prefixes of a forwarded mail")
	LIST_ROW("stopwords", LEX_STOPWORDS, "frequent words, for the language")
	LIST_ROW("empty_values", LEX_EMPTY_VALUES, "values that mean none")
	LIST_ROW("via_words", LEX_VIA_WORDS, "\"Name via Portal\" words")
	LIST_ROW("machine_senders", LEX_MACHINE_SENDERS,
	    "local parts of machine senders")
	LIST_ROW("header_from", LEX_HEADER_FROM,
	    "From labels of a forwarded mail's header block")
	LIST_ROW("header_reply_to", LEX_HEADER_REPLY_TO,
	    "Reply-To labels of a forwarded mail's header block")
	LIST_ROW("header_subject", LEX_HEADER_SUBJECT,
	    "Subject labels of a forwarded mail's header block")
	LIST_ROW("header_date", LEX_HEADER_DATE,
	    "Date and Sent labels of a forwarded mail's header block")
	LIST_ROW("header_to", LEX_HEADER_TO,
	    "To labels of a forwarded mail's header block")
	LIST_ROW("header_cc", LEX_HEADER_CC,
	    "Cc labels of a forwarded mail's header block")
	LIST_ROW("form_words", LEX_FORM_WORDS,
	    "words that name a web form (a sender or subject with one is no "
	    "portal)")
	LIST_ROW("own_words", LEX_OWN_WORDS,
	    "words that address the reader (\"your\"): a reference label "
	    "with one is the agency's")
	LIST_ROW("listing_words", LEX_LISTING_WORDS,
	    "words of a listing's link path (\"expose\", \"annonce\"): a "
	    "number after one is the portal's id of the listing")
	LIST_ROW("mailbox_domains", LEX_MAILBOX_DOMAINS,
	    "domains where anyone has a mailbox (webmail): a sender there is "
	    "never taken for the agency because the agency's address is there "
	    "too")
	LIST_ROW("company_forms", LEX_COMPANY_FORMS,
	    "legal forms of companies (\"GmbH\", \"Ltd\", \"B.V.\"), "
	    "whole words with case: a signature line with one names the "
	    "prospect's company")
	LIST_ROW("name_intros", LEX_NAME_INTROS,
	    "words before a person's name in their own sentence (\"my name "
	    "is\", \"je m'appelle\")")
	LIST_ROW("reply_subjects", LEX_REPLY_SUBJECTS,
	    "subject prefixes of a reply in the file's language: a forward "
	    "prefix of another language spelt so (Hungarian \"VS:\") is a "
	    "reply in a mail of this language")
	LIST_ROW("name_verbs", LEX_NAME_VERBS,
	    "words after the prospect's name in a notification's sentence "
	    "(\"has sent you a message\", \"escreveu\")")
	{ "language_names", SETTINGS_HOOK, NULL, 0, .hook = lexicon_read_names,
	    .doc = "names of languages by ISO code", .kind = "group" },
	{ "salutation_forms", SETTINGS_HOOK, NULL, 0,
	    .hook = lexicon_read_forms, .kind = "list of lists",
	    .doc = "spellings of one salutation, the usual one first" },
};

#undef LIST
#undef LABEL_ROW
#undef LIST_ROW

static const struct settings_words lexicon_words = {
	.setting = "{name}",
	.unknown = "unknown key '{name}'",
	.type = "{setting}: expected {what}",
};

const struct settings_table lexicon_settings = SETTINGS_TABLE("lexicon",
    lexicon_rows, &lexicon_words, 0);

/* The list keys in enum order, for messages and lookups. */
static const char *const list_names[LEX_NLISTS] = {
	"salutations", "titles", "particles", "greetings", "closings",
	"footers", "quote_headers", "forward_markers", "forward_subjects",
	"stopwords", "empty_values", "via_words", "machine_senders",
	"header_from", "header_reply_to", "header_subject", "header_date",
	"header_to", "header_cc", "form_words", "own_words", "listing_words",
	"mailbox_domains", "company_forms", "name_intros", "reply_subjects",
	"name_verbs",
};

const char *
lexicon_list_name(enum lexicon_list l)
{
	return l < LEX_NLISTS ? list_names[l] : NULL;
}

static const char *
iso_key_bad(const char *k)
{
	return iso_language(k) ? NULL : "no ISO 639-1 code";
}

static int
lexicon_read_names(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	struct lexicon *lx = obj;

	return labelset_read_groups(r, st, s->name, iso_key_bad, &lx->names,
	    &lx->nnames);
}

static int
lexicon_read_forms(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	struct lexicon *lx = obj;
	const config_setting_t *m;
	int i, n, rc = LG_OK;

	if (!config_setting_is_list(st))
		return settings_bad(r, st, "%s: expected a list ( [ \"Herr\", "
		    "\"Herrn\" ], ... )", s->name);
	n = config_setting_length(st);
	lx->forms = xcalloc((size_t)n + 1, sizeof(*lx->forms));
	for (i = 0; i < n; i++) {
		m = config_setting_get_elem(st, (unsigned)i);
		if (datafile_strlist(r, m, s->name, &lx->forms[lx->nforms++]) !=
		    LG_OK)
			rc = LG_EPERM;
		else if (lx->forms[lx->nforms - 1].n == 0)
			rc = settings_bad(r, m, "%s: an empty list", s->name);
	}
	return rc;
}

/* Lower case letters, digits and '*' (compared with the squashed part). */
static void
check_machine(struct settings_reader *r, const config_setting_t *list,
    const struct settings_strlist *l)
{
	const char *name = list_names[LEX_MACHINE_SENDERS];
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i][strspn(l->v[i],
		    "abcdefghijklmnopqrstuvwxyz0123456789*")] != '\0')
			settings_bad(r, datafile_at(list, i), "%s: '%s': "
			    "lower case letters, digits and * only", name,
			    l->v[i]);
}

static int
in_list(const struct settings_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (fold_eq(l->v[i], s))
			return 1;
	return 0;
}

static void
check_forms(struct settings_reader *r, const config_setting_t *root,
    struct lexicon *lx)
{
	const config_setting_t *f = config_setting_lookup(
	    (config_setting_t *)root, "salutation_forms");
	size_t i;

	for (i = 0; f != NULL && i < lx->nforms; i++)
		if (lx->forms[i].n > 0 && !in_list(&lx->lists[LEX_SALUTATIONS],
		    lx->forms[i].v[0]))
			settings_bad(r, config_setting_get_elem(f, (unsigned)i),
			    "salutation_forms: '%s' is not in salutations",
			    lx->forms[i].v[0]);
}

/* What the table cannot say: the file's name, lines of list elements. */
static void
lexicon_check(struct settings_reader *r, const config_setting_t *root,
    struct lexicon *lx)
{
	const config_setting_t *st, *lists[LEX_NLISTS], *names;
	char *stem = datafile_stem(lx->path);
	const char *want = strcmp(stem, "common") == 0 ? "" : stem;
	size_t i;
	int l;

	if (*want != '\0' && !iso_language(want))
		datafile_bad_line(r, 1, "the file name '%s' is no ISO 639-1 "
		    "code (or common)", stem);
	st = config_setting_lookup((config_setting_t *)root, "language");
	if (lx->lang != NULL && strcmp(lx->lang, want) != 0)
		settings_bad(r, st, "language \"%s\" is not \"%s\", the file's "
		    "name", lx->lang, want);
	labelset_index(r, root, &lx->ls);
	datafile_children(root, list_names, LEX_NLISTS, lists);
	for (l = 0; l < LEX_NLISTS; l++)
		datafile_check_list(r, lists[l], NULL, list_names[l],
		    &lx->lists[l]);
	check_machine(r, lists[LEX_MACHINE_SENDERS],
	    &lx->lists[LEX_MACHINE_SENDERS]);
	names = datafile_get(root, "language_names");
	for (i = 0; i < lx->nnames; i++)
		datafile_check_list(r, config_setting_get_member(
		    (config_setting_t *)names, lx->names[i].key),
		    "language_names", lx->names[i].key, &lx->names[i].texts);
	check_forms(r, root, lx);
	free(stem);
}

int
lexicon_load(const char *path, struct lexicon **out, struct err_report *rep)
{
	struct settings_reader r = { &lexicon_settings, path, NULL, "", rep };
	struct lexicon *lx = xcalloc(1, sizeof(*lx));
	size_t before = rep->n;
	config_t lc;

	*out = NULL;
	lx->path = xstrdup(path);
	config_init(&lc);
	if (datafile_read(&lc, path, rep) == LG_OK) {
		settings_read(&r, config_root_setting(&lc), lx);
		lexicon_check(&r, config_root_setting(&lc), lx);
	}
	config_destroy(&lc);
	datafile_sort(rep, rep->list ? rep->list->n - (rep->n - before) : 0,
	    path);
	if (rep->n > before) {
		lexicon_free(lx);
		return LG_EPERM;
	}
	/* Every list NULL-terminated even when empty: callers walk them. */
	datafile_terminate(&lexicon_settings, lx);
	*out = lx;
	return LG_OK;
}

void
lexicon_free(struct lexicon *lx)
{
	size_t i;

	if (lx == NULL)
		return;
	settings_free(&lexicon_settings, lx);
	labelset_free(&lx->ls);
	labelset_groups_free(lx->names, lx->nnames);
	for (i = 0; i < lx->nforms; i++)
		settings_strlist_free(&lx->forms[i]);
	free(lx->forms);
	free(lx->path);
	free(lx);
}
