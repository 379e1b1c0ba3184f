/*
 * Loading the profiles and the lexicon as one set, the checks across
 * files, and the indexes built once: labels and stopwords by their
 * folded text, domains by name, word lists merged.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/fold.h"
#include "util/wild.h"
#include "util/xmalloc.h"
#include "parse/datafile.h"
#include "parse/iso.h"
#include "parse/keymap.h"
#include "parse/lexicon.h"
#include "parse/message.h"
#include "parse/parse_data.h"
#include "parse/profile.h"

#define LABEL_MAX	160	/* longer text before a colon is no label */
#define KEY_MAX		(LABEL_MAX * 2 + 8)
#define LOCAL_MAX	64
#define NAME_MAX_	64

typedef const char **wordlist;

struct parse_data {
	atomic_int refs;
	char *lexicon_dir;
	char *profiles_dir;
	struct lexicon **lex;
	size_t nlex;
	struct profile **prof;
	size_t nprof;
	struct keymap *labels;		/* folded label -> meanings */
	struct keymap *stopwords;	/* folded word -> files */
	struct keymap *domains;		/* domain -> profile */
	struct keymap *langnames;	/* folded language name -> code */
	wordlist all[LEX_NLISTS];	/* every file's words */
	wordlist *per;			/* [nlex]: with common.conf */
	int common;			/* index of common.conf, or -1 */
	struct message_words *msgw;	/* [nprof + 1]: by profile, then none */
	wordlist *pfooters;		/* [nprof]: every footer and p's */
};

/* *.conf, not hidden, in file-name order. */
static int
conf_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 &&
	    strcmp(d->d_name + n - 5, ".conf") == 0;
}

static int
list_dir(const char *dir, const char *what, char ***out, size_t *n,
    struct err_report *rep)
{
	struct dirent **ents;
	int i, k;

	*out = NULL;
	*n = 0;
	if ((k = scandir(dir, &ents, conf_file, alphasort)) < 0)
		return err_report(rep, "%s: %s: %s", dir, what,
		    strerror(errno));
	*out = xcalloc((size_t)k + 1, sizeof(char *));
	for (i = 0; i < k; i++) {
		(*out)[(*n)++] = xasprintf("%s/%s", dir, ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	if (k == 0)
		return err_report(rep, "%s: no %s (*.conf)", dir, what);
	return LG_OK;
}

static void
free_paths(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static size_t
key_of(const char *s, char *key)
{
	size_t n = fold_key(s, strlen(s), key, KEY_MAX);

	return n == (size_t)-1 ? 0 : n;
}

static void
load_lexicons(struct parse_data *pd, char **paths, size_t n,
    struct err_report *rep)
{
	struct lexicon *lx;
	size_t i;

	pd->lex = xcalloc(n + 1, sizeof(*pd->lex));
	for (i = 0; i < n; i++)
		if (lexicon_load(paths[i], &lx, rep) == LG_OK)
			pd->lex[pd->nlex++] = lx;
}

static void
load_profiles(struct parse_data *pd, char **paths, size_t n,
    const char *const *langs, struct err_report *rep)
{
	struct profile *p;
	size_t i;

	pd->prof = xcalloc(n + 1, sizeof(*pd->prof));
	for (i = 0; i < n; i++)
		if (profile_load(paths[i], langs, &p, rep) == LG_OK)
			pd->prof[pd->nprof++] = p;
}

/* Every label of file src, by its folded text. */
static void
index_labels(struct parse_data *pd, int src, const struct labelset *ls)
{
	struct keymap_val v;
	size_t i;

	for (i = 0; i < ls->nent; i++) {
		v.src = src;
		v.field = (int)ls->ent[i].field;
		v.key = ls->ent[i].key;
		v.text = ls->ent[i].text;
		v.line = ls->ent[i].line;
		keymap_add_ref(pd->labels, ls->ent[i].fold, ls->ent[i].flen,
		    &v);
	}
}

/* A text is in common.conf or in language files, not both. */
static void
check_common(struct parse_data *pd, struct err_report *rep)
{
	const struct keymap_val *v;
	const struct lexicon *lx;
	size_t i, j, k, n;

	if (pd->common < 0)
		return;
	for (i = 0; i < pd->nlex; i++) {
		if ((int)i == pd->common)
			continue;
		lx = pd->lex[i];
		for (j = 0; j < lx->ls.nent; j++) {
			v = keymap_get(pd->labels, lx->ls.ent[j].fold,
			    lx->ls.ent[j].flen, &n);
			for (k = 0; k < n; k++)
				if (v[k].src == pd->common)
					err_report(rep, "%s:%u: label '%s' is "
					    "in common.conf too (line %u): "
					    "keep one", lx->path,
					    lx->ls.ent[j].line,
					    lx->ls.ent[j].text, v[k].line);
		}
	}
}

static void
index_domains(struct parse_data *pd, struct err_report *rep)
{
	const struct keymap_val *seen;
	const struct profile *p;
	struct keymap_val v;
	size_t i, j, n, len;

	for (i = 0; i < pd->nprof; i++) {
		p = pd->prof[i];
		for (j = 0; j < p->domains.n; j++) {
			len = strlen(p->domains.v[j]);
			seen = keymap_get(pd->domains, p->domains.v[j], len,
			    &n);
			if (seen != NULL) {
				err_report(rep, "%s:%u: domain '%s' is %s's "
				    "too", p->path, p->domain_lines[j],
				    p->domains.v[j], pd->prof[seen->src]->name);
				continue;
			}
			memset(&v, 0, sizeof(v));
			v.src = (int)i;
			v.text = p->domains.v[j];
			keymap_add_ref(pd->domains, p->domains.v[j], len, &v);
		}
	}
}

static void
index_words(struct parse_data *pd)
{
	const struct lexicon *lx;
	struct keymap_val v;
	char key[KEY_MAX];
	size_t i, j, k, n;

	for (i = 0; i < pd->nlex; i++) {
		lx = pd->lex[i];
		memset(&v, 0, sizeof(v));
		v.src = (int)i;
		for (j = 0; lx->lists[LEX_STOPWORDS].v[j] != NULL; j++) {
			v.text = lx->lists[LEX_STOPWORDS].v[j];
			if ((n = key_of(v.text, key)) > 0)
				keymap_add(pd->stopwords, key, n, &v);
		}
		for (j = 0; j < lx->nnames; j++) {
			v.text = lx->names[j].key;
			for (k = 0; k < lx->names[j].texts.n; k++)
				if ((n = key_of(lx->names[j].texts.v[k],
				    key)) > 0)
					keymap_add(pd->langnames, key, n, &v);
		}
	}
}

/* Every file's list l, merged without doubles. */
static wordlist
merge_all(struct parse_data *pd, enum lexicon_list l)
{
	struct keymap *seen;
	const char *const *w;
	struct keymap_val v;
	char key[KEY_MAX];
	wordlist out;
	size_t i, n = 0, k, kn;

	for (i = 0; i < pd->nlex; i++)
		n += pd->lex[i]->lists[l].n;
	out = xcalloc(n + 1, sizeof(*out));
	seen = keymap_new(n);
	memset(&v, 0, sizeof(v));
	n = 0;
	for (i = 0; i < pd->nlex; i++)
		for (w = (const char *const *)pd->lex[i]->lists[l].v; *w;
		    w++) {
			kn = key_of(*w, key);
			if (keymap_get(seen, key, kn, &k) != NULL)
				continue;
			keymap_add(seen, key, kn, &v);
			out[n++] = *w;
		}
	keymap_free(seen);
	return out;
}

/* A file's list l, then common.conf's (a word in both is there twice). */
static wordlist
merge_common(struct parse_data *pd, size_t i, enum lexicon_list l)
{
	const struct settings_strlist *a = &pd->lex[i]->lists[l], *b;
	wordlist out;

	b = pd->common >= 0 && (int)i != pd->common ?
	    &pd->lex[pd->common]->lists[l] : NULL;
	out = xcalloc(a->n + (b ? b->n : 0) + 1, sizeof(*out));
	memcpy(out, a->v, a->n * sizeof(*out));
	if (b != NULL)
		memcpy(out + a->n, b->v, b->n * sizeof(*out));
	return out;
}

static void
merge_words(struct parse_data *pd)
{
	size_t i;
	int l;

	for (l = 0; l < LEX_NLISTS; l++)
		pd->all[l] = merge_all(pd, (enum lexicon_list)l);
	pd->per = xcalloc(pd->nlex * LEX_NLISTS + 1, sizeof(wordlist));
	for (i = 0; i < pd->nlex; i++)
		for (l = 0; l < LEX_NLISTS; l++)
			pd->per[i * LEX_NLISTS + (size_t)l] = merge_common(pd,
			    i, (enum lexicon_list)l);
}

/* Every file's footers, then p's own. */
static wordlist
profile_footers(struct parse_data *pd, const struct profile *p)
{
	const char *const *all = pd->all[LEX_FOOTERS];
	wordlist out;
	size_t n = 0;

	while (all[n] != NULL)
		n++;
	out = xcalloc(n + p->footers.n + 1, sizeof(*out));
	memcpy(out, all, n * sizeof(*out));
	memcpy(out + n, p->footers.v, p->footers.n * sizeof(*out));
	return out;
}

/* The phrases message.h cuts with, once per load: by profile, then none. */
static void
message_words(struct parse_data *pd)
{
	static const struct settings_strlist none;
	struct message_words *w;
	const struct profile *p;
	size_t i;

	pd->msgw = xcalloc(pd->nprof + 1, sizeof(*pd->msgw));
	pd->pfooters = xcalloc(pd->nprof + 1, sizeof(*pd->pfooters));
	for (i = 0; i <= pd->nprof; i++) {
		w = &pd->msgw[i];
		p = i < pd->nprof ? pd->prof[i] : NULL;
		w->closings = pd->all[LEX_CLOSINGS];
		w->quote_headers = pd->all[LEX_QUOTE_HEADERS];
		w->forward_markers = pd->all[LEX_FORWARD_MARKERS];
		w->greetings = pd->all[LEX_GREETINGS];
		if (p == NULL) {
			w->footers = pd->all[LEX_FOOTERS];
			continue;
		}
		pd->pfooters[i] = profile_footers(pd, p);
		w->footers = pd->pfooters[i];
		w->starts = (const char *const *)(p->msg_start.n > 0 ?
		    p->msg_start.v : none.v);
		w->ends = (const char *const *)(p->msg_end.n > 0 ?
		    p->msg_end.v : none.v);
	}
}

const struct message_words *
parse_data_message_words(const struct parse_data *pd,
    const struct profile *p)
{
	size_t i;

	for (i = 0; p != NULL && i < pd->nprof; i++)
		if (pd->prof[i] == p)
			return &pd->msgw[i];
	return &pd->msgw[pd->nprof];
}

static void
build(struct parse_data *pd, struct err_report *rep)
{
	size_t i, nl = 0, nw = 0;

	for (i = 0; i < pd->nlex; i++) {
		nl += pd->lex[i]->ls.nent;
		nw += pd->lex[i]->lists[LEX_STOPWORDS].n;
	}
	for (i = 0; i < pd->nprof; i++)
		nl += pd->prof[i]->ls.nent;
	pd->labels = keymap_new(nl);
	pd->stopwords = keymap_new(nw);
	pd->domains = keymap_new(pd->nprof * 2);
	pd->langnames = keymap_new(256);
	pd->common = parse_data_lexicon_index(pd, "");
	for (i = 0; i < pd->nlex; i++)
		index_labels(pd, (int)i, &pd->lex[i]->ls);
	check_common(pd, rep);
	for (i = 0; i < pd->nprof; i++)
		index_labels(pd, (int)(pd->nlex + i), &pd->prof[i]->ls);
	index_domains(pd, rep);
	index_words(pd);
	merge_words(pd);
	message_words(pd);
}

int
parse_data_load(const char *lexicon_dir, const char *profiles_dir,
    struct parse_data **out, struct err_list *errs, struct err *e)
{
	struct err_report rep = { errs, e, 0 };
	struct parse_data *pd = xcalloc(1, sizeof(*pd));
	char **lpaths, **ppaths, **langs;
	size_t nl, np, i;

	*out = NULL;
	atomic_init(&pd->refs, 1);
	pd->lexicon_dir = xstrdup(lexicon_dir);
	pd->profiles_dir = xstrdup(profiles_dir);
	pd->common = -1;
	list_dir(lexicon_dir, "lexicon files", &lpaths, &nl, &rep);
	list_dir(profiles_dir, "portal profiles", &ppaths, &np, &rep);
	load_lexicons(pd, lpaths, nl, &rep);
	/* A profile may name the language of any file, even a bad one. */
	langs = xcalloc(nl + 1, sizeof(char *));
	for (i = 0; i < nl; i++)
		langs[i] = datafile_stem(lpaths[i]);
	load_profiles(pd, ppaths, np, (const char *const *)langs, &rep);
	free_paths(langs, nl);
	free_paths(lpaths, nl);
	free_paths(ppaths, np);
	if (rep.n == 0)
		build(pd, &rep);
	if (rep.n > 0) {
		parse_data_free(pd);
		return LG_EPERM;
	}
	*out = pd;
	return LG_OK;
}

struct parse_data *
parse_data_ref(struct parse_data *pd)
{
	atomic_fetch_add(&pd->refs, 1);
	return pd;
}

void
parse_data_free(struct parse_data *pd)
{
	size_t i;
	int l;

	if (pd == NULL || atomic_fetch_sub(&pd->refs, 1) > 1)
		return;
	for (l = 0; l < LEX_NLISTS; l++)
		free(pd->all[l]);
	for (i = 0; pd->per != NULL && i < pd->nlex * LEX_NLISTS; i++)
		free(pd->per[i]);
	free(pd->per);
	for (i = 0; pd->pfooters != NULL && i < pd->nprof; i++)
		free(pd->pfooters[i]);
	free(pd->pfooters);
	free(pd->msgw);
	keymap_free(pd->labels);
	keymap_free(pd->stopwords);
	keymap_free(pd->domains);
	keymap_free(pd->langnames);
	for (i = 0; i < pd->nlex; i++)
		lexicon_free(pd->lex[i]);
	free(pd->lex);
	for (i = 0; i < pd->nprof; i++)
		profile_free(pd->prof[i]);
	free(pd->prof);
	free(pd->lexicon_dir);
	free(pd->profiles_dir);
	free(pd);
}

const char *
parse_data_lexicon_dir(const struct parse_data *pd)
{
	return pd->lexicon_dir;
}

const char *
parse_data_profiles_dir(const struct parse_data *pd)
{
	return pd->profiles_dir;
}

size_t
parse_data_nlexicons(const struct parse_data *pd)
{
	return pd->nlex;
}

const struct lexicon *
parse_data_lexicon(const struct parse_data *pd, size_t i)
{
	return i < pd->nlex ? pd->lex[i] : NULL;
}

int
parse_data_lexicon_index(const struct parse_data *pd, const char *lang)
{
	size_t i;

	for (i = 0; lang != NULL && i < pd->nlex; i++)
		if (strcmp(pd->lex[i]->lang, lang) == 0)
			return (int)i;
	return -1;
}

size_t
parse_data_nprofiles(const struct parse_data *pd)
{
	return pd->nprof;
}

const struct profile *
parse_data_profile(const struct parse_data *pd, size_t i)
{
	return i < pd->nprof ? pd->prof[i] : NULL;
}

const struct profile *
parse_data_profile_named(const struct parse_data *pd, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < pd->nprof; i++)
		if (strcmp(pd->prof[i]->name, name) == 0)
			return pd->prof[i];
	return NULL;
}

/* Letters and digits only, lower case: "ImmobilienScout24" -> ... */
static void
squash(const char *s, size_t max, char *out, size_t size)
{
	size_t n = 0;

	for (; *s && max > 0 && n + 1 < size; s++, max--)
		if (isalnum((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
}

/* How well p is called want: 3 display or name, 2 domain, 1 its name. */
static int
called(const struct profile *p, const char *want)
{
	char have[NAME_MAX_];
	size_t j;
	int best = 0;

	squash(p->display, SIZE_MAX, have, sizeof(have));
	if (strcmp(want, have) == 0)
		return 3;
	squash(p->name, SIZE_MAX, have, sizeof(have));
	if (strcmp(want, have) == 0)
		return 3;
	for (j = 0; j < p->domains.n; j++) {
		squash(p->domains.v[j], SIZE_MAX, have, sizeof(have));
		if (strcmp(want, have) == 0)
			return 2;
		squash(p->domains.v[j], strcspn(p->domains.v[j], "."), have,
		    sizeof(have));
		if (strcmp(want, have) == 0)
			best = 1;
	}
	return best;
}

const struct profile *
parse_data_profile_like(const struct parse_data *pd, const char *name)
{
	const struct profile *p, *best = NULL;
	char want[NAME_MAX_];
	int c, bc = 0;
	size_t i;

	if (name == NULL)
		return NULL;
	squash(name, SIZE_MAX, want, sizeof(want));
	if (*want == '\0')
		return NULL;
	/* On a tie, the shorter name: the family's main profile. */
	for (i = 0; i < pd->nprof; i++) {
		p = pd->prof[i];
		if ((c = called(p, want)) > bc || (c == bc && c > 0 &&
		    strlen(p->name) < strlen(best->name))) {
			best = p;
			bc = c;
		}
	}
	return best;
}

size_t
parse_data_nsources(const struct parse_data *pd)
{
	return pd->nlex + pd->nprof;
}

int
parse_data_profile_source(const struct parse_data *pd,
    const struct profile *p)
{
	size_t i;

	for (i = 0; i < pd->nprof; i++)
		if (pd->prof[i] == p)
			return (int)(pd->nlex + i);
	return -1;
}

const char *
parse_data_source_path(const struct parse_data *pd, int src)
{
	if (src < 0)
		return NULL;
	if ((size_t)src < pd->nlex)
		return pd->lex[src]->path;
	if ((size_t)src < pd->nlex + pd->nprof)
		return pd->prof[(size_t)src - pd->nlex]->path;
	return NULL;
}

const struct profile *
parse_data_domain(const struct parse_data *pd, const char *addr,
    size_t *len)
{
	const struct keymap_val *v;
	char dom[256];
	const char *at, *p;
	size_t n, i;

	if (addr == NULL)
		return NULL;
	at = strrchr(addr, '@');
	n = strlen(at ? at + 1 : addr);
	if (n == 0 || n >= sizeof(dom))
		return NULL;
	for (i = 0; i < n; i++)
		dom[i] = (char)tolower((unsigned char)(at ? at + 1 : addr)[i]);
	dom[n] = '\0';
	for (p = dom; p != NULL; p = (p = strchr(p, '.')) ? p + 1 : NULL) {
		if ((v = keymap_get(pd->domains, p, strlen(p), &i)) == NULL)
			continue;
		if (len != NULL)
			*len = strlen(p);
		return pd->prof[v->src];
	}
	return NULL;
}

const struct profile *
parse_data_relay(const struct parse_data *pd, const char *addr)
{
	const struct profile *p;
	size_t i, j, n;

	if (addr == NULL)
		return NULL;
	n = strlen(addr);
	for (i = 0; i < pd->nprof; i++) {
		p = pd->prof[i];
		for (j = 0; j < p->relays.n; j++)
			if (wild_match(p->relays.v[j], addr, n))
				return p;
	}
	return NULL;
}

int
parse_data_machine(const struct parse_data *pd, const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;
	const char *const *w;
	char local[LOCAL_MAX];

	if (at == NULL)
		return 0;
	squash(addr, (size_t)(at - addr), local, sizeof(local));
	for (w = pd->all[LEX_MACHINE_SENDERS]; *w != NULL; w++)
		if (wild_match(*w, local, strlen(local)))
			return 1;
	return 0;
}

int
parse_data_mailbox_domain(const struct parse_data *pd, const char *d)
{
	const char *const *w;

	for (w = pd->all[LEX_MAILBOX_DOMAINS]; d != NULL && *w != NULL; w++)
		if (wild_match(*w, d, strlen(d)))
			return 1;
	return 0;
}

const char *const *
parse_data_words(const struct parse_data *pd, enum lexicon_list l)
{
	return pd->all[l];
}

const char *const *
parse_data_words_for(const struct parse_data *pd, const char *lang,
    enum lexicon_list l)
{
	int i = lang != NULL && *lang != '\0' ?
	    parse_data_lexicon_index(pd, lang) : -1;

	return i < 0 ? pd->all[l] : pd->per[(size_t)i * LEX_NLISTS +
	    (size_t)l];
}

int
parse_data_reply_subject(const struct parse_data *pd, const char *lang,
    const char *subject)
{
	const char *const *w;

	if (lang == NULL || *lang == '\0' || subject == NULL ||
	    parse_data_lexicon_index(pd, lang) < 0)
		return 0;
	while (*subject == ' ')
		subject++;
	for (w = parse_data_words_for(pd, lang, LEX_REPLY_SUBJECTS);
	    *w != NULL; w++)
		if (strncasecmp(subject, *w, strlen(*w)) == 0)
			return 1;
	return 0;
}

int
parse_data_empty(const struct parse_data *pd, const char *v)
{
	const char *const *w;

	if (*v == '\0')
		return 1;
	for (w = pd->all[LEX_EMPTY_VALUES]; *w != NULL; w++)
		if (fold_eq(*w, v))
			return 1;
	return 0;
}

const char *
parse_data_language_code(const struct parse_data *pd, const char *name)
{
	const struct keymap_val *v;
	char key[KEY_MAX], code[3];
	size_t n;

	if (name == NULL)
		return NULL;
	n = fold_key(name, strlen(name), key, sizeof(key));
	if (n == 0 || n == (size_t)-1)
		return NULL;
	/* "de", "de-CH", "fr_CH" */
	if ((n == 2 || (n > 2 && (key[2] == '-' || key[2] == '_'))) &&
	    islower((unsigned char)key[0]) && islower((unsigned char)key[1])) {
		memcpy(code, key, 2);
		code[2] = '\0';
		return iso_language(code);
	}
	if ((v = keymap_get(pd->langnames, key, n, &n)) == NULL)
		return NULL;
	return v->text;
}

const char *
parse_data_salutation(const struct parse_data *pd, const char *v)
{
	const struct lexicon *lx;
	const char *const *w;
	size_t i, j, k;

	for (w = pd->all[LEX_SALUTATIONS]; *w != NULL; w++)
		if (fold_eq(*w, v))
			return NULL;
	for (i = 0; i < pd->nlex; i++) {
		lx = pd->lex[i];
		for (j = 0; j < lx->nforms; j++)
			for (k = 0; k < lx->forms[j].n; k++)
				if (fold_eq(lx->forms[j].v[k], v))
					return lx->forms[j].v[0];
	}
	return NULL;
}

void
parse_data_ranks(const struct parse_data *pd, const struct profile *p,
    const char *lang, int *rank)
{
	size_t i, n = parse_data_nsources(pd);
	int r = 0, l;

	for (i = 0; i < n; i++)
		rank[i] = -1;
	if (p != NULL)
		rank[parse_data_profile_source(pd, p)] = r++;
	if ((l = parse_data_lexicon_index(pd, lang)) >= 0 && l != pd->common)
		rank[l] = r++;
	if (pd->common >= 0)
		rank[pd->common] = r++;
	for (i = 0; p != NULL && i < p->languages.n; i++)
		if ((l = parse_data_lexicon_index(pd,
		    p->languages.v[i])) >= 0 && rank[l] < 0)
			rank[l] = r++;
	/* The rest by file name; with no language at all, alike. */
	for (i = 0; i < pd->nlex; i++)
		if (rank[i] < 0)
			rank[i] = lang != NULL || p != NULL ? r++ : r;
}

/* Where the label before end stops: spaces and a '*' taken off. */
static const char *
label_end(const char *seg, const char *end)
{
	int star = 0;

	for (;;) {
		while (end > seg && end[-1] == ' ')
			end--;
		if (end - seg >= 2 && (unsigned char)end[-2] == 0xc2 &&
		    (unsigned char)end[-1] == 0xa0) {
			end -= 2;
			continue;
		}
		if (!star && end > seg && end[-1] == '*') {
			star = 1;
			end--;
			continue;
		}
		return end;
	}
}

/* Each place a label can end in seg: before a colon, at the end. */
static const char *
next_end(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p == ':' || (end - p >= 3 && memcmp(p, "\xef\xbc\x9a",
		    3) == 0))
			return p;
	return end;
}

static const char *
value_after(const char *p, const char *end)
{
	size_t sp;

	if (p < end)
		p += *p == ':' ? 1 : 3;
	while (p < end && (fold_space(p, &sp) || *p == '\t'))
		p += *p == '\t' ? 1 : sp;
	return p;
}

int
parse_data_label(const struct parse_data *pd, const int *rank,
    const char *seg, size_t len, struct label_hit *hit)
{
	const char *end = seg + len, *p, *lend;
	const struct keymap_val *v, *best = NULL;
	const char *best_at = NULL;
	char key[KEY_MAX];
	size_t kn, n, i, best_len = 0;
	int best_rank = INT_MAX, r;

	for (p = seg; ; p++) {
		p = next_end(p, end);
		lend = label_end(seg, p);
		if (lend - seg > LABEL_MAX)
			break;
		if (lend > seg && (kn = fold_key(seg, (size_t)(lend - seg),
		    key, sizeof(key))) != (size_t)-1 && kn > 0 &&
		    (v = keymap_get(pd->labels, key, kn, &n)) != NULL)
			for (i = 0; i < n; i++) {
				if ((r = rank[v[i].src]) < 0 || r > best_rank ||
				    (r == best_rank && kn <= best_len))
					continue;
				best = &v[i];
				best_rank = r;
				best_len = kn;
				best_at = p;
			}
		if (p >= end)
			break;
	}
	if (best == NULL)
		return 0;
	hit->field = (enum label_field)best->field;
	hit->key = best->key;
	hit->text = best->text;
	hit->src = best->src;
	hit->value = value_after(best_at, end);
	hit->only = hit->value >= end;
	return 1;
}

/*
 * Where a label's words may end in text: before a space, mark, colon
 * (also the fullwidth one), or the bracket that closes a CJK section
 * head ("【お問い合わせ内容】").
 */
static int
word_end(const char *p, const char *end)
{
	return p >= end || *p == ' ' || *p == '\t' || *p == ':' || *p == '*' ||
	    *p == ',' || *p == '"' ||
	    (end - p >= 2 && (unsigned char)p[0] == 0xc2 &&
	    (unsigned char)p[1] == 0xa0) || (end - p >= 3 &&
	    (memcmp(p, "\xef\xbc\x9a", 3) == 0 ||
	    memcmp(p, "\xe3\x80\x91", 3) == 0));
}

int
parse_data_label_at(const struct parse_data *pd, const int *rank,
    const char *text, size_t len, struct label_hit *hit, size_t *matched)
{
	const char *end = text + len, *p;
	const struct keymap_val *v, *best = NULL;
	char key[KEY_MAX];
	size_t klen[LABEL_MAX + 1], kn, n, i, best_len = 0;
	int best_rank = INT_MAX, r;

	if (len > LABEL_MAX)
		end = text + LABEL_MAX;
	/* Folded once: the key of each prefix is a prefix of it. */
	fold_key_prefixes(text, (size_t)(end - text), key, sizeof(key), klen);
	for (p = text + 1; p <= end; p++) {
		if (!word_end(p, end) || word_end(p - 1, end))
			continue;
		if ((kn = klen[p - text]) == (size_t)-1 || kn == 0 ||
		    (v = keymap_get(pd->labels, key, kn, &n)) == NULL)
			continue;
		/*
		 * The longest label wins, the rank only among labels of one
		 * length: a profile's "First" must not cut the lexicon's
		 * "First name" in two.
		 */
		for (i = 0; i < n; i++) {
			if ((r = rank[v[i].src]) < 0 ||
			    (size_t)(p - text) < best_len ||
			    ((size_t)(p - text) == best_len && r >= best_rank))
				continue;
			best = &v[i];
			best_rank = r;
			best_len = (size_t)(p - text);
		}
	}
	if (best == NULL)
		return 0;
	hit->field = (enum label_field)best->field;
	hit->key = best->key;
	hit->text = best->text;
	hit->src = best->src;
	hit->value = text + best_len;
	hit->only = 0;
	*matched = best_len;
	return 1;
}

int
parse_data_label_votes(const struct parse_data *pd, const char *seg,
    size_t len, int *votes)
{
	const char *end = seg + len, *p, *lend;
	const struct keymap_val *v, *best = NULL;
	char key[KEY_MAX];
	size_t kn, n, i, nbest = 0;

	for (p = seg; ; p++) {
		p = next_end(p, end);
		lend = label_end(seg, p);
		if (lend - seg > LABEL_MAX)
			break;
		if (lend > seg && (kn = fold_key(seg, (size_t)(lend - seg),
		    key, sizeof(key))) != (size_t)-1 && kn > 0 &&
		    (v = keymap_get(pd->labels, key, kn, &n)) != NULL)
			for (i = 0; i < n; i++)
				if ((size_t)v[i].src < pd->nlex &&
				    v[i].src != pd->common) {
					best = v;
					nbest = n;
					break;
				}
		if (p >= end)
			break;
	}
	for (i = 0; i < nbest; i++)
		if ((size_t)best[i].src < pd->nlex &&
		    best[i].src != pd->common)
			votes[best[i].src]++;
	return best != NULL;
}

void
parse_data_stopword_votes(const struct parse_data *pd, const char *word,
    size_t len, int *votes)
{
	const struct keymap_val *v;
	char key[KEY_MAX];
	size_t kn, n, i;

	if ((kn = fold_key(word, len, key, sizeof(key))) == (size_t)-1 ||
	    kn == 0 || (v = keymap_get(pd->stopwords, key, kn, &n)) == NULL)
		return;
	/* A word of one language only says more than one of several. */
	for (i = 0; i < n; i++)
		votes[v[i].src] += n == 1 ? 2 : 1;
}
