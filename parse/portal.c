/*
 * Reading a mail with a portal profile (or none) and the lexicon. The
 * profile's relays are never the prospect: the address comes from the
 * labels, Reply-To or the body; a relay in Reply-To still gives the
 * prospect's name.
 */
#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/err.h"
#include "util/fold.h"
#include "util/wild.h"
#include "util/xmalloc.h"
#include "parse/addr.h"
#include "parse/brand.h"
#include "parse/extractor.h"
#include "parse/forward.h"
#include "parse/inquiry.h"
#include "parse/labels.h"
#include "parse/lang.h"
#include "parse/listing_url.h"
#include "parse/mail.h"
#include "parse/message.h"
#include "parse/parse_data.h"
#include "parse/person.h"
#include "parse/portal.h"
#include "parse/postal.h"
#include "parse/profile.h"
#include "parse/segment.h"
#include "parse/vcard.h"

#define HEADERS_MAX	8	/* of one name, looked at for a match */
#define HEADER_NAME_MAX	78
#define URL_MAX		2048

static const char *const how_names[] = {
	[PORTAL_DOMAIN] = "domain",
	[PORTAL_HEADER] = "header",
	[PORTAL_SUBJECT] = "subject",
	[PORTAL_MARKER] = "marker",
};

const char *
portal_how_name(enum portal_how how)
{
	return how_names[how];
}

/* The longest profile domain of the sender's addresses. */
static const struct profile *
match_domain(const struct parse_data *pd, const struct mail *m)
{
	const char *addrs[] = { m->from_addr, m->sender_addr, m->return_path,
	    m->forward_from_addr, NULL };
	const struct profile *p, *best = NULL;
	size_t i, len, best_len = 0;
	char *fwd = NULL, *name = NULL;

	if (extractor_forwarded(pd, m->text, 0, &fwd, &name) == 0)
		addrs[4] = fwd;
	free(name);
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		if ((p = parse_data_domain(pd, addrs[i], &len)) == NULL)
			continue;
		if (best == NULL || len > best_len || (len == best_len &&
		    parse_data_profile_source(pd, p) <
		    parse_data_profile_source(pd, best))) {
			best = p;
			best_len = len;
		}
	}
	free(fwd);
	return best;
}

/* "X-WPCF7-Content-Type: *": a header of that name whose value matches. */
static int
header_matches(const struct mail *m, const char *spec)
{
	const char *vals[HEADERS_MAX], *colon = strchr(spec, ':'), *v;
	char name[HEADER_NAME_MAX];
	size_t i, n, len;

	if (colon == NULL || (size_t)(colon - spec) >= sizeof(name))
		return 0;
	memcpy(name, spec, (size_t)(colon - spec));
	name[colon - spec] = '\0';
	n = mail_headers(m, name, vals, HEADERS_MAX);
	for (i = 0; i < n; i++) {
		for (v = vals[i]; *v == ' ' || *v == '\t'; v++)
			;
		len = strlen(v);
		while (len > 0 && isspace((unsigned char)v[len - 1]))
			len--;
		if (wild_match(colon + 2, v, len))
			return 1;
	}
	return 0;
}

/* The subject without "Fwd:", "WG:", "TR:" in front, repeatedly. */
static const char *
bare_subject(const struct parse_data *pd, const char *s)
{
	const char *const *w;
	size_t n;
	int again = 1;

	while (s != NULL && again) {
		again = 0;
		while (*s == ' ')
			s++;
		for (w = parse_data_words(pd, LEX_FORWARD_SUBJECTS); *w; w++)
			if (strncasecmp(s, *w, n = strlen(*w)) == 0) {
				s += n;
				again = 1;
				break;
			}
	}
	return s;
}

static int
any_match(const char *const *pats, const char *s)
{
	for (; s != NULL && *pats != NULL; pats++)
		if (wild_match(*pats, s, strlen(s)))
			return 1;
	return 0;
}

static int
any_marker(const char *const *markers, const char *text)
{
	for (; text != NULL && *markers != NULL; markers++)
		if (strstr(text, *markers) != NULL)
			return 1;
	return 0;
}

const struct profile *
portal_match(const struct parse_data *pd, const struct mail *m,
    enum portal_how *how)
{
	const struct profile *p;
	const char *subject = bare_subject(pd, m->subject);
	size_t i, j, n = parse_data_nprofiles(pd);
	enum portal_how h;

	if ((p = match_domain(pd, m)) != NULL) {
		if (how != NULL)
			*how = PORTAL_DOMAIN;
		return p;
	}
	for (h = PORTAL_HEADER; h <= PORTAL_MARKER; h++)
		for (i = 0; i < n; i++) {
			p = parse_data_profile(pd, i);
			if (h == PORTAL_HEADER) {
				for (j = 0; j < p->headers.n; j++)
					if (header_matches(m, p->headers.v[j]))
						break;
				if (j == p->headers.n)
					continue;
			} else if (h == PORTAL_SUBJECT ? !any_match(
			    (const char *const *)p->subjects.v, subject) :
			    !any_marker((const char *const *)p->markers.v,
			    m->text)) {
				continue;
			}
			if (how != NULL)
				*how = h;
			return p;
		}
	return NULL;
}

/*
 * The mail's language (leadgate-portals(5), LANGUAGE): the profile's
 * only one; else the one most labels and stopwords of the mail are in,
 * among the profile's; else the profile's first; else none.
 */
static const char *
mail_language(struct extract_ctx *x)
{
	const struct profile *p = x->p;
	size_t i, n = parse_data_nlexicons(x->pd);
	const char *lang = NULL;
	int *votes, best = -1, tie = 0, l;

	if (p != NULL && p->languages.n == 1)
		return p->languages.v[0];
	votes = xcalloc(n + 1, sizeof(int));
	labels_votes(x->m->text, x->pd, votes);
	lang_votes(x->pd, x->m->text, votes);
	if (p != NULL) {
		for (i = 0; i < p->languages.n; i++) {
			l = parse_data_lexicon_index(x->pd, p->languages.v[i]);
			if (l >= 0 && votes[l] > 0 && (best < 0 ||
			    votes[l] > votes[best]))
				best = l;
		}
		lang = best >= 0 ? parse_data_lexicon(x->pd,
		    (size_t)best)->lang : p->languages.v[0];
	} else {
		for (i = 0; i < n; i++) {
			if (*parse_data_lexicon(x->pd, i)->lang == '\0' ||
			    votes[i] == 0)
				continue;
			if (best < 0 || votes[i] > votes[best]) {
				best = (int)i;
				tie = 0;
			} else if (votes[i] == votes[best]) {
				tie = 1;
			}
		}
		if (best >= 0 && !tie)
			lang = parse_data_lexicon(x->pd, (size_t)best)->lang;
		/* Words without spaces between them: the script says it. */
		else if (best < 0)
			lang = lang_script(x->m->text);
	}
	free(votes);
	return lang;
}

/* Group 1 of the first expression of r that matches s, or NULL. */
static char *
ref_match(const struct profile_refs *r, const char *s)
{
	regmatch_t pm[2];
	size_t i;

	for (i = 0; s != NULL && i < r->src.n; i++)
		if (r->ok[i] && regexec(&r->rx[i], s, 2, pm, 0) == 0 &&
		    pm[1].rm_so >= 0 && pm[1].rm_eo > pm[1].rm_so)
			return xstrndup(s + pm[1].rm_so,
			    (size_t)(pm[1].rm_eo - pm[1].rm_so));
	return NULL;
}

/* The first URL of text that r finds a reference in; *url the URL. */
static char *
ref_url(const struct profile_refs *r, const char *text, char **url)
{
	const char *p, *end;
	char *u, *v;

	for (p = text; r->src.n > 0 && p != NULL &&
	    (p = strstr(p, "http")) != NULL; p = end) {
		if (strncasecmp(p, "http://", 7) != 0 &&
		    strncasecmp(p, "https://", 8) != 0) {
			end = p + 4;
			continue;
		}
		for (end = p; *end && !isspace((unsigned char)*end) &&
		    !strchr("\"'<>()[]", *end) && end - p < URL_MAX; end++)
			;
		u = xstrndup(p, (size_t)(end - p));
		if ((v = ref_match(r, u)) != NULL) {
			*url = u;
			return v;
		}
		free(u);
	}
	return NULL;
}

/*
 * The references labels did not give: the profile's expressions on the
 * subject, the text, then the URLs of the text and the HTML links. A
 * listing URL is kept (listing_url) also when a label gave its number.
 */
static void
references(struct extract_ctx *x)
{
	static const char *const names[] = { "subject", "text", "URL" };
	const struct profile_refs *r;
	const char *field, *path = parse_data_source_path(x->pd,
	    parse_data_profile_source(x->pd, x->p));
	char *v, *url = NULL, from[512];
	int f, have, w;

	for (f = 0; f < PREF_NREFS; f++) {
		field = profile_ref_field((enum profile_ref)f);
		have = inquiry_get(x->q, field) != NULL;
		r = x->p->refs[f];
		v = NULL;
		w = 2;
		/* Explaining: what the expressions find, even when beaten. */
		if (!have || x->env->explain != NULL) {
			if ((v = ref_match(&r[PWHERE_SUBJECT],
			    x->m->subject)) != NULL)
				w = 0;
			else if ((v = ref_match(&r[PWHERE_BODY],
			    x->m->text)) != NULL)
				w = 1;
		}
		if (v == NULL && (v = ref_url(&r[PWHERE_URL], x->m->text,
		    &url)) == NULL)
			v = ref_url(&r[PWHERE_URL], x->m->html, &url);
		snprintf(from, sizeof(from), "%s: %s expression of %s",
		    x->p->name, names[w], path);
		extractor_note(x, field, v, from, w == 2 ? url : NULL);
		if (!have)
			inquiry_set(x->q, field, v);
		extractor_custom(x, "listing_url", url);
		free(v);
		free(url);
		url = NULL;
	}
}

/* A forward prefix ("Fwd:", "WG:") in front of the subject. */
static int
forwarded_subject(const struct parse_data *pd, const char *subject,
    const char *lang)
{
	return subject != NULL && bare_subject(pd, subject) != subject &&
	    *subject != ' ' && !parse_data_reply_subject(pd, lang, subject);
}

/*
 * The labelled fields, read in the order profile and language give; the
 * segment is returned for the message (free it).
 */
static struct segment *
labelled(struct extract_ctx *x, struct labels_in *in, struct labels *l)
{
	struct segment *seg;
	char *fwd = NULL, *name = NULL;

	parse_data_ranks(x->pd, x->p, x->lang, (int *)(uintptr_t)in->rank);
	/* A forwarded notification is quoted: its labels still count. */
	in->forwarded = forwarded_subject(x->pd, x->m->subject, x->lang) ||
	    extractor_forwarded(x->pd, x->m->text, 0, &fwd, &name) == 0;
	free(fwd);
	free(name);
	seg = labels_segment(x->m, in, l);
	labels_apply(l, x->pd, x->p != NULL && *x->p->country ? x->p->country :
	    NULL, x->lang, x->q, x->custom);
	/* A form's "From:" may be its own mailer: never taken. */
	if (x->q->email != NULL && !extractor_usable(x, x->q->email))
		inquiry_set(x->q, "email", NULL);
	return seg;
}

/*
 * A portal's link to the listing on its own site, when nothing else gave
 * its id (listing_url.h): not a web form's (the agency's own site) nor
 * the agency's own domain's.
 */
static void
listing_link(struct extract_ctx *x)
{
	const char *from = x->m->from_addr, *d;
	json_t *mark;
	char *v, *url;

	if (x->q->portal_object_ref != NULL || from == NULL ||
	    (d = strrchr(from, '@')) == NULL ||
	    (x->p != NULL && strcmp(x->p->kind, "form") == 0) ||
	    addr_agency_domain(x->env->own_domains, x->m->to, d + 1) ||
	    (x->q->email != NULL && strcasecmp(x->q->email, from) == 0))
		return;
	mark = extractor_mark(x);
	if ((v = listing_url_id(x->m->text, d + 1, parse_data_words(x->pd,
	    LEX_LISTING_WORDS), &url)) == NULL && x->m->html != NULL)
		v = listing_url_id(x->m->html, d + 1, parse_data_words(x->pd,
		    LEX_LISTING_WORDS), &url);
	if (v != NULL && (x->q->object_ref == NULL ||
	    strcmp(v, x->q->object_ref) != 0)) {
		inquiry_set(x->q, "portal_object_ref", v);
		extractor_custom(x, "listing_url", url);
	}
	free(v);
	free(url);
	extractor_marked(x, mark, "a link to the listing on the sender's "
	    "own site (listing_words)");
}

/*
 * A link to the listing on the agency's own site, when nothing gave its
 * reference: a form's or a chat's page the prospect was on, a person's
 * link (listing_url.h).
 */
static void
agency_link(struct extract_ctx *x)
{
	json_t *mark;
	char *v, *url;

	if (x->q->object_ref != NULL || (x->p != NULL &&
	    strcmp(x->p->kind, "form") != 0))
		return;
	mark = extractor_mark(x);
	if ((v = listing_url_agency_ref(x->m->text, x->env->own_domains,
	    x->m->to, &url)) == NULL && x->m->html != NULL)
		v = listing_url_agency_ref(x->m->html, x->env->own_domains,
		    x->m->to, &url);
	if (v != NULL && (x->q->portal_object_ref == NULL ||
	    strcmp(v, x->q->portal_object_ref) != 0)) {
		inquiry_set(x->q, "object_ref", v);
		extractor_custom(x, "page_url", url);
	}
	free(v);
	free(url);
	extractor_marked(x, mark, "a link to the listing on the agency's "
	    "own site");
}

#define PORTAL_ID_DIGITS	5

/*
 * A portal's notification (a profile's that is no form, or a machine's
 * From) whose one reference is a bare number ("cód. 1298374650", "ID:
 * 71520934"): the portal's listing id, not the agency's reference, which
 * agencies write with letters.
 */
static void
portal_number(struct extract_ctx *x)
{
	const char *v = x->q->object_ref, *s;
	const struct mail *m = x->m;
	const char *const *forms = parse_data_words(x->pd, LEX_FORM_WORDS);

	if (v == NULL || x->q->portal_object_ref != NULL ||
	    strlen(v) < PORTAL_ID_DIGITS)
		return;
	for (s = v; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return;
	if (x->p != NULL ? strcmp(x->p->kind, "form") == 0 :
	    (m->from_addr == NULL || !parse_data_machine(x->pd, m->from_addr) ||
	    brand_names_form(forms, m->from_name) || brand_names_form(forms, m->subject)))
		return;
	inquiry_set(x->q, "portal_object_ref", v);
	inquiry_set(x->q, "object_ref", NULL);
}

/*
 * References no label line and no profile expression gave: labels
 * inline in the text or the subject, then a reference's shape in the
 * subject (the agency's own: a portal's id is the profile's to find).
 */
static void
inline_refs(struct extract_ctx *x, const struct labels_in *in)
{
	json_t *mark = extractor_mark(x);
	char *v;

	labels_inline_refs(in, x->m->text, x->q);
	labels_inline_refs(in, x->m->subject, x->q);
	portal_number(x);
	extractor_marked(x, mark, "a reference label inline in the text or "
	    "the subject (lexicon or profile)");
	mark = extractor_mark(x);
	if (x->q->object_ref == NULL &&
	    (v = labels_subject_ref(x->m->subject)) != NULL) {
		/* Not the portal's id of the listing or of the inquiry. */
		if ((x->q->portal_object_ref == NULL ||
		    strcmp(v, x->q->portal_object_ref) != 0) &&
		    (x->q->portal_ref == NULL ||
		    strcmp(v, x->q->portal_ref) != 0))
			inquiry_set(x->q, "object_ref", v);
		free(v);
	}
	extractor_marked(x, mark, "a reference's shape in the subject");
	/* A person's own words name the listing by its reference too. */
	mark = extractor_mark(x);
	if (x->p == NULL && x->q->object_ref == NULL && x->m->text != NULL &&
	    (v = labels_text_ref(x->m->text, forward_quote_offset(x->pd,
	    x->m->text))) != NULL) {
		if ((x->q->portal_object_ref == NULL ||
		    strcmp(v, x->q->portal_object_ref) != 0) &&
		    (x->q->portal_ref == NULL ||
		    strcmp(v, x->q->portal_ref) != 0))
			inquiry_set(x->q, "object_ref", v);
		free(v);
	}
	extractor_marked(x, mark, "a reference's shape in the text (no "
	    "profile)");
	agency_link(x);
	listing_link(x);
}

#define PORTAL_LONG_DIGITS	9	/* a run an agency's numbering lacks */

/*
 * A portal's notification whose only reference, in its subject, is
 * letters and a run of nine digits or more ("MLC-1523648790",
 * MercadoLibre's): the portal's numbering, not the agency's, which is
 * shorter (and a date has eight). One of digits alone may be an
 * agency's software's, and one a label gave is what the label says.
 */
static void
portal_long_ref(struct extract_ctx *x)
{
	const char *v = x->q->object_ref, *s;
	size_t run = 0, most = 0;
	int letter = 0;

	if (x->q->portal == NULL || v == NULL ||
	    x->q->portal_object_ref != NULL || x->m->subject == NULL ||
	    strstr(x->m->subject, v) == NULL)
		return;
	for (s = v; *s != '\0'; s++) {
		run = isdigit((unsigned char)*s) ? run + 1 : 0;
		if (run > most)
			most = run;
		letter |= isalpha((unsigned char)*s) != 0;
	}
	if (most < PORTAL_LONG_DIGITS || !letter)
		return;
	inquiry_set(x->q, "portal_object_ref", v);
	inquiry_set(x->q, "object_ref", NULL);
}

/*
 * With no portal, the listing's number a form or a person gives
 * ("Listing number", "Listing ID") is the agency's own: its site lists
 * it so. Not when a portal's link gave it, nor in a forward (the
 * original may be a portal's).
 */
static void
own_listing(struct extract_ctx *x, int forwarded)
{
	json_t *mark;

	if (x->q->portal != NULL || x->q->object_ref != NULL ||
	    x->q->portal_object_ref == NULL || forwarded ||
	    (x->p != NULL && strcmp(x->p->kind, "form") != 0) ||
	    (x->custom != NULL && json_object_get(x->custom,
	    "listing_url") != NULL))
		return;
	mark = extractor_mark(x);
	inquiry_set(x->q, "object_ref", x->q->portal_object_ref);
	inquiry_set(x->q, "portal_object_ref", NULL);
	extractor_marked(x, mark, "no portal: the listing's number is the "
	    "agency's own (its site's)");
}

static const char *verb_line_find(struct extract_ctx *, int, const char **,
    size_t *);

/*
 * A notification's line that introduces the prospect's words by their
 * name ("Juliana Pereira Costa escreveu:", "Arjun says: "...""), as a
 * start after those of list (message.start): the line up to its colon,
 * written as it is. Returns the new NULL-terminated list, its last
 * string new, or NULL when there is no such line.
 */
static const char **
verb_starts(struct extract_ctx *x, const char *const *list)
{
	const char **v, *line, *p;
	size_t n, vlen;

	if ((p = verb_line_find(x, 1, &line, &vlen)) == NULL)
		return NULL;
	for (n = 0; list != NULL && list[n] != NULL; n++)
		;
	v = xcalloc(n + 2, sizeof(*v));
	if (n > 0)
		memcpy(v, list, n * sizeof(*v));
	v[n] = xstrndup(line, (size_t)(p + 1 + vlen + 1 - line));
	return v;
}

static int quoted_only(struct extract_ctx *, const char *);

/*
 * A mail that quotes one the prospect's words are not in (agency_quoted)
 * and whose message labels are all in the quoted part: those labels
 * name someone else's words, or the prospect's older ones.
 */
static int
quoted_labels(struct extract_ctx *x, const struct segment *seg)
{
	size_t i;
	int any = 0;

	if (!x->agency_quoted)
		return 0;
	for (i = 0; i < seg->n; i++)
		if (seg->items[i].field == LF_MESSAGE) {
			if (!quoted_only(x, seg->items[i].value))
				return 0;
			any = 1;
		}
	return any;
}

/* The prospect's words (message.h): a notification's, a forward's. */
static void
message(struct extract_ctx *x, const struct segment *seg)
{
	struct message_words w;
	const char **ends = NULL, **starts = NULL;
	size_t n;
	int flags = 0;
	char *msg, *chat;

	/* A portal no profile knows (brand.h) notifies too. */
	if (x->p != NULL || x->q->portal != NULL)
		flags |= MESSAGE_NOTIFICATION;
	if (forwarded_subject(x->pd, x->m->subject, x->lang) && !x->agency_quoted)
		flags |= MESSAGE_FORWARD;
	w = *parse_data_message_words(x->pd, x->p);
	/*
	 * A notification's sender signs below the prospect's words with
	 * its own name ("Immobili Italia - Il portale della casa"): a line
	 * that starts with it ends them, as a profile's message.end would.
	 */
	if (x->m->from_name != NULL && strlen(x->m->from_name) >= BRAND_MIN &&
	    (x->p != NULL || brand_portal(x, x->q->email) != NULL)) {
		for (n = 0; w.ends != NULL && w.ends[n] != NULL; n++)
			;
		ends = xcalloc(n + 2, sizeof(*ends));
		if (n > 0)
			memcpy(ends, w.ends, n * sizeof(*ends));
		ends[n] = x->m->from_name;
		w.ends = ends;
	}
	if ((flags & MESSAGE_NOTIFICATION) &&
	    (starts = verb_starts(x, w.starts)) != NULL)
		w.starts = starts;
	msg = message_find(seg, seg != NULL && quoted_labels(x, seg) ? 0 :
	    LF_MESSAGE, &w, flags);
	/* A chat's transcript: the prospect's lines are the message. */
	if ((chat = message_chat(msg, x->q->first_name,
	    x->q->last_name)) != NULL) {
		free(msg);
		msg = chat;
	}
	free(ends);
	if (starts != NULL) {
		for (n = 0; starts[n + 1] != NULL; n++)
			;
		free((char *)starts[n]);
		free(starts);
	}
	inquiry_set(x->q, "message", msg);
	free(msg);
}

/* A portal's relay address of a person (not a machine's). */
static int
relay_of(struct extract_ctx *x, const char *addr)
{
	return addr != NULL && (parse_data_relay(x->pd, addr) != NULL ||
	    parse_data_domain(x->pd, addr, NULL) != NULL) &&
	    !parse_data_machine(x->pd, addr);
}

/* A line a quoted or forwarded mail starts at. */
static int
quote_start(const struct parse_data *pd, const char *line, size_t n)
{
	const char *const *w;

	if (n > 0 && line[0] == '>')
		return 1;
	for (w = parse_data_words(pd, LEX_QUOTE_HEADERS); *w; w++)
		if (wild_match(*w, line, n))
			return 1;
	for (w = parse_data_words(pd, LEX_FORWARD_MARKERS); *w; w++)
		if (wild_match(*w, line, n))
			return 1;
	return 0;
}

#define STREET_DIGITS	6	/* a "street" with as many is a phone's */

/*
 * The most digits of s[0..n) in one number, spaces within it counted
 * through ("0664 987 6543": 11; "Mariahilfer Straße 120/3/12": 3).
 */
static size_t
digits(const char *s, size_t n)
{
	size_t i, d = 0, most = 0;

	for (i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			d++;
		else if (s[i] != ' ')
			d = 0;
		if (d > most)
			most = d;
	}
	return most;
}

/*
 * An address in two lines of a signature: "Lindenstraße 5\n53115 Bonn";
 * prev may hold two lines, for a postcode on a line of its own below
 * the city ("7 Main Street\nGalway\nH91 C6X2", as UK and Irish write).
 */
static int
own_address(struct extract_ctx *x, const char *prev, size_t pn,
    const char *line, size_t n)
{
	struct postal pc;
	char *text;
	int ok;

	/* "T: +31 40 123 4567" is no address. */
	if (memchr(line, ':', n) || memchr(line, '+', n) ||
	    memchr(prev, ':', pn) || memchr(prev, '+', pn))
		return 0;
	text = pn > 0 ? xasprintf("%.*s\n%.*s", (int)pn, prev, (int)n, line) :
	    xstrndup(line, n);
	/* A "street" of many digits is a phone's: "Tel. 0664 987 6543". */
	ok = postal_parse(text, x->p != NULL && *x->p->country ?
	    x->p->country : NULL, &pc) == LG_OK && pc.postcode != NULL &&
	    pc.city != NULL && pc.street != NULL &&
	    strpbrk(pc.city, "0123456789") == NULL &&
	    strpbrk(pc.street, "0123456789") != NULL &&
	    digits(pc.street, strlen(pc.street)) < STREET_DIGITS;
	if (ok) {
		inquiry_set(x->q, "street", pc.street);
		inquiry_set(x->q, "postcode", pc.postcode);
		inquiry_set(x->q, "city", pc.city);
	}
	postal_clear(&pc);
	free(text);
	return ok;
}

#define COMPANY_WORDS	6	/* of a signature line naming a company */

/* Where the legal form f stands in s[0..n) as whole words, or NULL. */
static const char *
form_in(const char *s, size_t n, const char *f)
{
	size_t k = strlen(f), i;

	for (i = 0; k > 0 && i + k <= n; i++) {
		if (memcmp(s + i, f, k) != 0)
			continue;
		if ((i == 0 || !isalnum((unsigned char)s[i - 1])) &&
		    (i + k == n || !(isalnum((unsigned char)s[i + k]) ||
		    (unsigned char)s[i + k] >= 0x80)))
			return s + i;
	}
	return NULL;
}

/*
 * A line of a person's signature that names their company: a few words
 * with a legal form ("Kessler Technik GmbH", "Gérant – Atelier Nord
 * SARL"): the part between separators that has the form. Not a line of
 * their message, not a sentence of a legal footer.
 */
static void
own_company(struct extract_ctx *x, const char *line, size_t n)
{
	static const char *const seps[] = { " \xe2\x80\x93 ",
	    " \xe2\x80\x94 ", " - ", " | ", ", " };
	const char *const *f = parse_data_words(x->pd, LEX_COMPANY_FORMS);
	const char *s = line, *e = line + n, *at = NULL, *c;
	size_t i, k, words = 1;
	char *v;

	if (x->q->company != NULL || f == NULL || n == 0 || n > 80 ||
	    memchr(line, '@', n) || memchr(line, ':', n))
		return;
	for (; *f != NULL && at == NULL; f++)
		at = form_in(line, n, *f);
	if (at == NULL)
		return;
	/* The part with the form: between the separators around it. */
	for (i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
		k = strlen(seps[i]);
		for (c = line; (c = memmem(c, (size_t)(line + n - c), seps[i],
		    k)) != NULL; c += k) {
			if (c < at && c + k > s)
				s = c + k;
			else if (c > at && c < e)
				e = c;
		}
	}
	for (c = s; c < e; c++)
		words += *c == ' ';
	if (e <= s || words > COMPANY_WORDS)
		return;
	v = xstrndup(s, (size_t)(e - s));
	if (x->q->message == NULL || strstr(x->q->message, v) == NULL)
		inquiry_set(x->q, "company", v);
	free(v);
}

/*
 * A label's value that is only in the quoted mail of a reply ("From:
 * Anna Varga <anna@...>" in Outlook's header block): no label of the
 * prospect's. NULL is none either.
 */
static int
quoted_only(struct extract_ctx *x, const char *v)
{
	const char *t = x->m->text, *at;

	if (v == NULL)
		return 1;
	if (t == NULL || (at = strstr(t, v)) == NULL)
		return 0;
	return (size_t)(at - t) >= forward_quote_offset(x->pd, t);
}

/*
 * A person's own mail (no profile, no labels): their signature is theirs
 * too, up to a quoted or forwarded mail: phone numbers, an address, a
 * company.
 */
static void
own_part(struct extract_ctx *x)
{
	const char *t = x->m->text, *line, *nl, *prev = "", *prev2 = "", *quote;
	size_t n, pn = 0, pn2 = 0;
	char *own;
	int addr = x->q->street != NULL || x->q->postcode != NULL ||
	    x->q->city != NULL;

	if (t == NULL)
		return;
	/* A quoted mail's header block ends it too (forward.h). */
	quote = t + forward_quote_offset(x->pd, t);
	for (line = t; *line && line < quote; line = nl + 1) {
		nl = strchr(line, '\n');
		n = nl != NULL ? (size_t)(nl - line) : strlen(line);
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (quote_start(x->pd, line, n))
			break;
		if (!addr && n > 0)
			addr = own_address(x, prev, 0, line, n) ||
			    (pn > 0 && own_address(x, prev, pn, line, n)) ||
			    (pn > 0 && pn2 > 0 && own_address(x, prev2,
			    (size_t)(prev + pn - prev2), line, n));
		own_company(x, line, n);
		prev2 = prev;
		pn2 = pn;
		prev = line;
		pn = n;
		if (nl == NULL) {
			line += strlen(line);
			break;
		}
	}
	own = xstrndup(t, (size_t)(line - t));
	labels_phones_in(x->q, own);
	free(own);
}

/* One line of a contact block, trimmed; NULL past the end. */
struct line {
	const char *s;
	size_t n;
};

#define BLOCK_LINES	12	/* of a contact block, looked at */

/* "Laura Ferri", "Herr Beat Meier", "Madame Camille Peeters". */
static int
name_like(const struct line *l)
{
	size_t i, words = 0;
	int start = 1;

	if (l->n < 3 || l->n > 60)
		return 0;
	for (i = 0; i < l->n; i++) {
		unsigned char c = (unsigned char)l->s[i];

		if (isdigit(c) || strchr("@:/()<>,;|", c))
			return 0;
		if (c == ' ') {
			start = 1;
			continue;
		}
		if (start) {
			words++;
			/* A word starts with a capital (or any UTF-8 letter). */
			if (c < 0x80 && !isupper(c) && words == 1)
				return 0;
		}
		start = 0;
	}
	return words >= 2 && words <= 5;
}

/* A line that is one phone number alone ("3281234567", "+61 7 3123 4567"). */
static int
phone_like(const struct line *l)
{
	size_t i, digits = 0;

	for (i = 0; i < l->n; i++) {
		if (isdigit((unsigned char)l->s[i]))
			digits++;
		else if (!strchr(" +()-./", l->s[i]))
			return 0;
	}
	return digits >= 6 && digits <= 15;
}

#define LOCAL_KEY	4	/* letters of a name word sought in the address */

/* Does a word of the name open a part of the address's local part? */
static int
name_in_local(const char *name, size_t n, const char *email)
{
	const char *at = strchr(email, '@'), *w = name, *end = name + n;
	char local[128], key[LOCAL_KEY + 1];
	size_t ln, k;

	if (at == NULL || (ln = (size_t)(at - email)) >= sizeof(local))
		return 0;
	for (k = 0; k < ln; k++)
		local[k] = (char)tolower((unsigned char)email[k]);
	local[ln] = '\0';
	while (w < end) {
		while (w < end && !isalpha((unsigned char)*w))
			w++;
		for (k = 0; w + k < end && k < LOCAL_KEY &&
		    isalpha((unsigned char)w[k]); k++)
			key[k] = (char)tolower((unsigned char)w[k]);
		key[k] = '\0';
		/* Short names whole ("Li"), longer ones by their start. */
		if (k >= 2 && (k == LOCAL_KEY || w + k == end ||
		    !isalnum((unsigned char)w[k])) && strstr(local, key))
			return 1;
		while (w < end && *w != ' ')
			w++;
	}
	return 0;
}

/*
 * A person's own mail with no name in its headers: the one who signs it
 * ("Mit freundlichen Grüßen / Anna Kogler"), when the line reads as a
 * name and a word of it is in their address (a company or a team that
 * signs is not taken for them).
 */
static void
signer_name(struct extract_ctx *x)
{
	struct line l;
	char *name;

	if (x->q->first_name != NULL || x->q->last_name != NULL ||
	    x->q->email == NULL || x->m->text == NULL)
		return;
	l.s = message_signer(x->m->text, strlen(x->m->text),
	    parse_data_message_words(x->pd, x->p), &l.n);
	if (l.s == NULL || !name_like(&l) || !name_in_local(l.s, l.n,
	    x->q->email))
		return;
	name = xstrndup(l.s, l.n);
	extractor_name(x, name);
	free(name);
}

/* Is every word of the name in the address's local part? */
static int
all_in_local(const char *name, size_t n, const char *email)
{
	const char *w = name, *end = name + n, *e;

	for (; w < end; w = e + 1) {
		if ((e = memchr(w, ' ', (size_t)(end - w))) == NULL)
			e = end;
		if (e > w && !name_in_local(w, (size_t)(e - w), email))
			return 0;
	}
	return 1;
}

struct signer_arg {
	struct extract_ctx *x;
	struct line signer;
};

static int
signers_address(const char *addr, void *arg)
{
	struct signer_arg *a = arg;

	return all_in_local(a->signer.s, a->signer.n, addr) &&
	    extractor_usable(a->x, addr);
}

/*
 * A person who writes from someone else's mailbox (their partner's, a
 * colleague's) and gives their own address in their words ("please
 * answer to my address tomasz.wisniewski@..."): when the one who signs
 * is not the one whose address sent it, an address in the message with
 * every word of the signer's name is theirs, and so is the name.
 */
static void
signer_address(struct extract_ctx *x)
{
	struct signer_arg a = { x, { NULL, 0 } };
	const char *sp;
	char *addr, *name;

	/* An address in their words, before the costlier look at the end. */
	if (x->q->email == NULL || x->q->message == NULL || x->m->text == NULL ||
	    strchr(x->q->message, '@') == NULL)
		return;
	a.signer.s = message_signer(x->m->text, strlen(x->m->text),
	    parse_data_message_words(x->pd, x->p), &a.signer.n);
	/* Their given name is not in the address that sent it. */
	if (a.signer.s == NULL || !name_like(&a.signer) ||
	    (sp = memchr(a.signer.s, ' ', a.signer.n)) == NULL ||
	    name_in_local(a.signer.s, (size_t)(sp - a.signer.s), x->q->email) ||
	    (addr = addr_scan(x->q->message, signers_address, &a)) == NULL)
		return;
	name = xstrndup(a.signer.s, a.signer.n);
	inquiry_set(x->q, "email", addr);
	inquiry_set(x->q, "salutation", NULL);
	inquiry_set(x->q, "first_name", NULL);
	inquiry_set(x->q, "last_name", NULL);
	extractor_name(x, name);
	free(name);
	free(addr);
}

/*
 * A person's own mail whose display name writes the family name first
 * (Outlook's "Černý Jiří"), signed the other way round ("Mgr. Jiří
 * Černý"): the signature's order is the person's.
 */
static void
signer_order(struct extract_ctx *x)
{
	const char *f = x->q->first_name, *l = x->q->last_name;
	struct line s;
	char *both, *first;
	size_t n;

	if (f == NULL || l == NULL || x->m->text == NULL ||
	    person_surname_first(x->lang) ||
	    person_surname_first(x->q->language) ||
	    strchr(f, ' ') != NULL || strchr(l, ' ') != NULL)
		return;
	both = xasprintf("%s %s", l, f);
	n = strlen(both);
	/* Written so anywhere at all, before the costlier look at the end. */
	if (strstr(x->m->text, both) == NULL ||
	    (s.s = message_signer(x->m->text, strlen(x->m->text),
	    parse_data_message_words(x->pd, x->p), &s.n)) == NULL) {
		free(both);
		return;
	}
	while (s.n > 0 && isspace((unsigned char)s.s[s.n - 1]))
		s.n--;
	/* The line ends with them, a title or salutation may come first. */
	if (s.n >= n && memcmp(s.s + s.n - n, both, n) == 0 &&
	    (s.n == n || s.s[s.n - n - 1] == ' ')) {
		first = xstrdup(l);
		inquiry_set(x->q, "last_name", f);
		inquiry_set(x->q, "first_name", first);
		free(first);
	}
	free(both);
}

/* Languages whose romanised names keep the family name first. */
static const char *const romanised_family_first[] = { "zh", "ko", "vi" };

/*
 * A name in Latin letters in a Chinese, Korean or Vietnamese mail, of
 * three words, keeps the family name first ("Chan Tai Man", "Wong Ka
 * Yan"): split in the Western order it came out "Chan Tai" / "Man".
 * Two words stay as they are ("Peter Chan" is as likely as "Chan Wai").
 */
static void
romanised_order(struct extract_ctx *x)
{
	const char *f = x->q->first_name, *l = x->q->last_name, *sp, *s;
	char *family, *given;
	size_t i;

	if (f == NULL || l == NULL || x->q->language == NULL ||
	    (sp = strchr(f, ' ')) == NULL || strchr(sp + 1, ' ') != NULL ||
	    strchr(l, ' ') != NULL)
		return;
	for (i = 0; i < sizeof(romanised_family_first) /
	    sizeof(*romanised_family_first); i++)
		if (strcmp(x->q->language, romanised_family_first[i]) == 0)
			break;
	if (i == sizeof(romanised_family_first) /
	    sizeof(*romanised_family_first))
		return;
	for (s = f; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return;
	family = xstrndup(f, (size_t)(sp - f));
	given = xasprintf("%s %s", sp + 1, l);
	inquiry_set(x->q, "first_name", given);
	inquiry_set(x->q, "last_name", family);
	free(family);
	free(given);
}

/* Set field to v when it is empty. */
static void
fill_empty(struct extract_ctx *x, const char *field, const char *v)
{
	if (v != NULL && *v != '\0' && inquiry_get(x->q, field) == NULL)
		inquiry_set(x->q, field, v);
}

/*
 * A vCard the prospect attached (vcard.h): their number, address and
 * company, and their name and address when the mail gave none. Only a
 * card of the prospect's: its address is theirs or, with none found yet,
 * one that may be a prospect's (never the agency's or an agent's card).
 */
static void
vcard_contact(struct extract_ctx *x)
{
	const struct mail_part *pt;
	struct vcard c;
	size_t i, k;

	for (i = 0; i < x->m->nparts; i++) {
		pt = &x->m->parts[i];
		if (pt->text == NULL || !vcard_part(pt->content_type,
		    pt->filename) || !vcard_parse(pt->text, &c))
			continue;
		if (c.email != NULL ? (x->q->email != NULL ? strcasecmp(c.email,
		    x->q->email) != 0 : !extractor_usable(x, c.email)) :
		    x->q->email == NULL) {
			vcard_clear(&c);
			continue;
		}
		fill_empty(x, "email", c.email);
		if (x->q->first_name == NULL && x->q->last_name == NULL) {
			if (c.fn != NULL)
				extractor_name(x, c.fn);
			else {
				fill_empty(x, "first_name", c.given);
				fill_empty(x, "last_name", c.family);
			}
		}
		for (k = 0; k < c.ntel; k++)
			inquiry_add_phone(x->q, c.tel[k]);
		if (x->q->street == NULL && x->q->postcode == NULL &&
		    x->q->city == NULL) {
			fill_empty(x, "street", c.street);
			fill_empty(x, "postcode", c.postcode);
			fill_empty(x, "city", c.city);
		}
		fill_empty(x, "company", c.org);
		vcard_clear(&c);
		return;
	}
}

/* "S.", "S", "J.-P.": a first name written as its initials. */
static int
initials(const char *s)
{
	size_t letters = 0;

	for (; *s; s++) {
		if (*s == '.' || *s == '-')
			continue;
		if (!isalpha((unsigned char)*s) && (unsigned char)*s < 0x80)
			return 0;
		if (((unsigned char)*s & 0xc0) != 0x80)
			letters++;
	}
	return letters > 0 && letters <= 2;
}

/*
 * A first name given as its initial ("Mevrouw S. Bakker") that the
 * person's signature spells out ("Met vriendelijke groet, Sanne
 * Bakker"): the signer's first name, when the last names agree and the
 * initial is its first letter.
 */
static void
initial_name(struct extract_ctx *x)
{
	const char *f = x->q->first_name, *l = x->q->last_name, *s;
	size_t n, ln;
	char *first;

	if (f == NULL || l == NULL || !initials(f) || x->m->text == NULL ||
	    (s = message_signer(x->m->text, strlen(x->m->text),
	    parse_data_message_words(x->pd, x->p), &n)) == NULL)
		return;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	ln = strlen(l);
	/* "Sanne Bakker": one first name, then the same last name. */
	if (n <= ln + 2 || strncasecmp(s + n - ln, l, ln) != 0 ||
	    s[n - ln - 1] != ' ' || toupper((unsigned char)*s) !=
	    toupper((unsigned char)*f) || memchr(s, ' ', n - ln - 1) != NULL)
		return;
	first = xstrndup(s, n - ln - 1);
	inquiry_set(x->q, "first_name", first);
	free(first);
}

#define SAL_WORDS	3	/* of a name after a salutation in a sentence */

/* Does a name's word start at s (a capital, or any UTF-8 letter)? */
static int
name_word_at(const char *s)
{
	return isupper((unsigned char)*s) || (unsigned char)*s >= 0x80;
}

/* Where the words of a name after a salutation end, or NULL. */
static const char *
name_after(const char *s)
{
	const char *e = NULL;
	int k;

	for (k = 0; k < SAL_WORDS && name_word_at(s); k++) {
		while (*s != '\0' && !isspace((unsigned char)*s) &&
		    strchr(",;:()\"'", *s) == NULL)
			s++;
		e = s;
		if (*s != ' ')
			break;
		s++;
	}
	return e;
}

/*
 * A notification that names the prospect in a sentence, after a
 * salutation ("Mme Isabelle Moreau est intéressée", "La Sig.ra Francesca
 * Greco ha richiesto"): taken when a word of the name is in their
 * address, so that the agent a mail greets ("Hallo Frau Schneider") is
 * never taken.
 */
static void
salutation_name(struct extract_ctx *x)
{
	const char *const *sal = parse_data_words(x->pd, LEX_SALUTATIONS);
	const char *t = x->m->text, *p, *quote, *e, *const *w;
	char *name;
	size_t n;

	if (x->q->first_name != NULL || x->q->last_name != NULL ||
	    x->q->email == NULL || t == NULL || sal == NULL)
		return;
	quote = t + forward_quote_offset(x->pd, t);
	for (p = t; p < quote; p++) {
		if (p > t && !isspace((unsigned char)p[-1]) && p[-1] != '(')
			continue;
		for (w = sal; *w != NULL; w++) {
			n = strlen(*w);
			if (strncmp(p, *w, n) != 0 || p[n] != ' ' ||
			    (e = name_after(p + n + 1)) == NULL ||
			    !name_in_local(p + n + 1, (size_t)(e - p - n - 1),
			    x->q->email))
				continue;
			name = xstrndup(p, (size_t)(e - p));
			extractor_name(x, name);
			free(name);
			return;
		}
	}
}

#define VERB_NAME_WORDS	4	/* of a name before a name verb */

/* Is the word at s (up to a space or end) one of the particles? */
static int
particle_at(const char *const *particles, const char *s, const char *end)
{
	const char *e = memchr(s, ' ', (size_t)(end - s));
	size_t n = e != NULL ? (size_t)(e - s) : (size_t)(end - s);

	for (; particles != NULL && *particles != NULL; particles++)
		if (strlen(*particles) == n && strncmp(*particles, s, n) == 0)
			return 1;
	return 0;
}

/*
 * The words of a name that make up all of line[0..n): capitalised (or
 * of a script without case) or particles ("de Wit"), no digit, '@' or
 * punctuation but '-', '.', '\''; 0 otherwise.
 */
static int
whole_name(const char *const *particles, const char *s, size_t n)
{
	size_t i, words = 0;

	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (i == 0 || s[i - 1] == ' ') {
			if (s[i] == ' ')
				return 0;
			if ((!name_word_at(s + i) && (i == 0 ||
			    !particle_at(particles, s + i, s + n))) ||
			    ++words > VERB_NAME_WORDS)
				return 0;
		}
		if ((unsigned char)s[i] < 0x80 && !isalpha((unsigned char)s[i]) &&
		    strchr(" -.'", s[i]) == NULL)
			return 0;
	}
	return 1;
}

/*
 * Is line[0..n) someone's name rather than words of the mail's own ("Der
 * Interessent", "Le client"): no word of it but a particle is a
 * stopword and it does not start with a label?
 */
static int
proper_name(struct extract_ctx *x, const char *s, size_t n)
{
	const char *const *stop = parse_data_words(x->pd, LEX_STOPWORDS);
	const char *const *particles = parse_data_words(x->pd, LEX_PARTICLES);
	const char *w, *e, *end = s + n, *const *sw;
	struct label_hit hit;
	char key[128];
	int *rank, label;

	for (w = s; w < end; w = e + 1) {
		if ((e = memchr(w, ' ', (size_t)(end - w))) == NULL)
			e = end;
		if (fold_key(w, (size_t)(e - w), key, sizeof(key)) ==
		    (size_t)-1)
			return 0;
		if (w > s && particle_at(particles, w, end))
			continue;
		for (sw = stop; sw != NULL && *sw != NULL; sw++)
			if (fold_eq(*sw, key))
				return 0;
	}
	rank = xcalloc(parse_data_nsources(x->pd) + 1, sizeof(int));
	parse_data_ranks(x->pd, x->p, x->lang, rank);
	label = parse_data_label(x->pd, rank, s, n, &hit);
	free(rank);
	return !label;
}

/*
 * Does the line s..nl open with a name and one of the lexicon's
 * name_verbs ("Juliana Pereira Costa escreveu:", "Ahmed Karimi har
 * svarat på din annons")? The space before the verb, its length in
 * *vlen; NULL otherwise.
 */
static const char *
verb_line(struct extract_ctx *x, const char *s, const char *nl, size_t *vlen)
{
	/* The mail's language's (all of them when it is not known). */
	const char *const *verbs = parse_data_words_for(x->pd, x->lang,
	    LEX_NAME_VERBS);
	const char *const *particles = parse_data_words(x->pd, LEX_PARTICLES);
	const char *p, *const *v;
	size_t n;
	int words = 0;

	for (p = memchr(s, ' ', (size_t)(nl - s)); p != NULL && p < nl &&
	    words++ < VERB_NAME_WORDS; p = memchr(p + 1, ' ',
	    (size_t)(nl - p - 1))) {
		/* A longer prefix of a line that is no name is none either. */
		if (!whole_name(particles, s, (size_t)(p - s)))
			return NULL;
		for (v = verbs; v != NULL && *v != NULL; v++) {
			n = strlen(*v);
			if ((size_t)(nl - p - 1) < n ||
			    strncasecmp(p + 1, *v, n) != 0 ||
			    (p + 1 + n < nl && (isalnum((unsigned char)
			    p[1 + n]) || (unsigned char)p[1 + n] >= 0x80)) ||
			    !proper_name(x, s, (size_t)(p - s)))
				continue;
			*vlen = n;
			return p;
		}
	}
	return NULL;
}

/*
 * The first line of the text before any quoted mail that verb_line()
 * accepts and, when colon is set, whose verb a colon follows; its start
 * in *line, the space before the verb returned, or NULL.
 */
static const char *
verb_line_find(struct extract_ctx *x, int colon, const char **line,
    size_t *vlen)
{
	const char *t = x->m->text, *end, *s, *nl, *p;

	if (t == NULL)
		return NULL;
	end = t + forward_quote_offset(x->pd, t);
	for (s = t; s < end; s = nl + 1) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		while (s < nl && (*s == ' ' || *s == '\t'))
			s++;
		if ((p = verb_line(x, s, nl, vlen)) != NULL && (!colon ||
		    (p + 1 + *vlen < nl && p[1 + *vlen] == ':'))) {
			*line = s;
			return p;
		}
		if (nl == end)
			break;
	}
	return NULL;
}

/*
 * A notification that names the prospect only in its sentence ("Anna
 * Berg has sent you a message", "Juliana Pereira Costa escreveu:",
 * "Ahmed Karimi har svarat på din annons"): a line that opens with a
 * name, then one of the lexicon's name_verbs. Only a portal's or a
 * form's mail says so of someone; a person's own mail does not.
 */
static void
verb_name(struct extract_ctx *x)
{
	const char *s, *p;
	char *name;
	size_t vlen;

	if (x->q->first_name != NULL || x->q->last_name != NULL ||
	    (x->p == NULL && x->q->portal == NULL) ||
	    (p = verb_line_find(x, 0, &s, &vlen)) == NULL)
		return;
	name = xstrndup(s, (size_t)(p - s));
	extractor_name(x, name);
	free(name);
}

/*
 * A person who names themselves in their message ("my name is Hannah
 * Cole", "soy Paula Jiménez Castro"): taken when a word of the name is
 * in their address; a name from the headers that the sentence spells
 * out further ("Paula Jiménez") gets the rest of the last name.
 */
static void
intro_name(struct extract_ctx *x)
{
	const char *const *in = parse_data_words(x->pd, LEX_NAME_INTROS);
	const char *t = x->q->message, *p, *e, *sp, *const *w;
	const char *first = x->q->first_name, *last = x->q->last_name;
	size_t n, fl;
	char *name, *rest;

	if (t == NULL || x->q->email == NULL || in == NULL)
		return;
	for (p = t; *p != '\0'; p++) {
		if (p > t && !isspace((unsigned char)p[-1]) && p[-1] != ',')
			continue;
		for (w = in; *w != NULL; w++) {
			n = strlen(*w);
			if (strncasecmp(p, *w, n) != 0 || p[n] != ' ' ||
			    (e = name_after(p + n + 1)) == NULL ||
			    (sp = memchr(p + n + 1, ' ', (size_t)(e - p - n -
			    1))) == NULL || !name_in_local(p + n + 1,
			    (size_t)(e - p - n - 1), x->q->email))
				continue;
			name = xstrndup(p + n + 1, (size_t)(e - p - n - 1));
			/* "... Jiménez Castro." */
			while ((fl = strlen(name)) > 0 && strchr(".!?",
			    name[fl - 1]) != NULL)
				name[fl - 1] = '\0';
			rest = strchr(name, ' ');
			if (first == NULL && last == NULL)
				extractor_name(x, name);
			else if (first != NULL && last != NULL && rest != NULL &&
			    (fl = strlen(first)) == (size_t)(rest - name) &&
			    strncmp(name, first, fl) == 0 &&
			    strncmp(rest + 1, last, strlen(last)) == 0 &&
			    rest[1 + strlen(last)] == ' ')
				inquiry_set(x->q, "last_name", rest + 1);
			free(name);
			return;
		}
	}
}

static struct line
line_at(const char *s, const char **next)
{
	struct line l;
	const char *nl = strchr(s, '\n');
	size_t n = nl != NULL ? (size_t)(nl - s) : strlen(s);

	*next = nl != NULL ? nl + 1 : s + n;
	while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' ||
	    s[n - 1] == '\t'))
		n--;
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	l.s = s;
	l.n = n;
	return l;
}

static void
block_name(struct extract_ctx *x, const struct line *l)
{
	struct person_words w;
	struct person p;
	char *v = xstrndup(l->s, l->n);

	w.salutations = parse_data_words_for(x->pd, x->lang, LEX_SALUTATIONS);
	w.titles = parse_data_words_for(x->pd, x->lang, LEX_TITLES);
	w.particles = parse_data_words_for(x->pd, x->lang, LEX_PARTICLES);
	person_split_with(v, &w, x->lang, &p);
	/* The name known from a header: the salutation before it here. */
	if (x->q->last_name != NULL) {
		if (x->q->salutation == NULL && p.salutation != NULL &&
		    p.last != NULL && strcasecmp(p.last, x->q->last_name) == 0)
			inquiry_set(x->q, "salutation", p.salutation);
	} else if (p.first != NULL && p.last != NULL) {
		if (x->q->salutation == NULL)
			inquiry_set(x->q, "salutation", p.salutation);
		inquiry_set(x->q, "first_name", p.first);
		inquiry_set(x->q, "last_name", p.last);
		extractor_custom(x, "title", p.title);
	}
	person_clear(&p);
	free(v);
}

/* An address on the lines of a block ("Rue de la Victoire 41 / 1060 ..."). */
static int
block_address(struct extract_ctx *x, const struct line *prev,
    const struct line *l)
{
	struct postal pc;
	char *text;
	int ok;

	/* Labelled lines and table cells ("Phone\t0423 ...") are not. */
	if (strcspn(l->s, ":@\t") < l->n || phone_like(l))
		return 0;
	if (prev != NULL && (strcspn(prev->s, ":@\t") < prev->n ||
	    phone_like(prev) || name_like(prev)))
		prev = NULL;
	text = prev != NULL ? xasprintf("%.*s\n%.*s", (int)prev->n, prev->s,
	    (int)l->n, l->s) : xstrndup(l->s, l->n);
	/* A "street" of many digits is a phone's: "Tel. 0664 987 6543". */
	ok = postal_parse(text, x->p != NULL && *x->p->country ?
	    x->p->country : NULL, &pc) == LG_OK && pc.postcode != NULL &&
	    pc.city != NULL && strpbrk(pc.city, "0123456789") == NULL;
	if (ok) {
		inquiry_set(x->q, "street", pc.street);
		inquiry_set(x->q, "postcode", pc.postcode);
		inquiry_set(x->q, "city", pc.city);
	}
	postal_clear(&pc);
	free(text);
	return ok;
}

/*
 * A notification's contact block without labels: the lines around the
 * one with the prospect's address ("Laura Ferri / laura@... /
 * 3281234567", "Madame Camille Peeters / Rue de la Victoire 41 / 1060
 * Saint-Gilles / E-mail : ..."): the name line nearest above it, lines
 * that are one phone number, an address. Only for what q lacks.
 */
static void
contact_block(struct extract_ctx *x)
{
	struct line lines[BLOCK_LINES], cur;
	const char *t = x->m->text, *next, *at = NULL, *start, *quote;
	size_t n = 0, i, mine = 0;
	char *addr;
	int named = x->q->first_name != NULL || x->q->last_name != NULL;
	int located = x->q->street != NULL || x->q->postcode != NULL ||
	    x->q->city != NULL;

	if (t == NULL || x->q->email == NULL ||
	    (at = strcasestr(t, x->q->email)) == NULL)
		return;
	/* Not in the header block of a quoted mail, nor after it. */
	quote = t + forward_quote_offset(x->pd, t);
	if (at >= quote)
		return;
	/* The block: the non-empty lines around the address's. */
	for (start = at; start > t && !(start[-1] == '\n' && start - 1 > t &&
	    (start[-2] == '\n' || (start[-2] == '\r' && start - 2 > t &&
	    start[-3] == '\n'))); start--)
		;
	for (next = start; *next != '\0' && next < quote && n < BLOCK_LINES; ) {
		const char *here = next;

		cur = line_at(next, &next);
		if (cur.n == 0)
			break;
		if (here <= at)
			mine = n;
		lines[n++] = cur;
	}
	addr = NULL;
	for (i = 0; i < n; i++) {
		if ((!named || x->q->salutation == NULL) && i < mine &&
		    name_like(&lines[i]) &&
		    (i + 1 == mine || !name_like(&lines[i + 1]))) {
			block_name(x, &lines[i]);
			named = 1;
		} else if (phone_like(&lines[i])) {
			addr = xstrndup(lines[i].s, lines[i].n);
			inquiry_add_phone(x->q, addr);
			free(addr);
		} else if (!located && i != mine) {
			located = block_address(x, i > 0 ? &lines[i - 1] : NULL,
			    &lines[i]);
		}
	}
}

int
portal_extract(struct extract_ctx *x)
{
	const struct profile *p = x->p;
	const char *rt = x->m->reply_to_addr;
	int *rank = xcalloc(parse_data_nsources(x->pd) + 1, sizeof(int));
	struct labels_in in = { x->pd, rank, x->p, 0, x->env->explain, NULL };
	struct segment *seg;
	struct labels l;
	const char *brand;
	char brand_buf[64];
	json_t *mark;

	x->lang = mail_language(x);
	if (x->m->from_addr != NULL && strchr(x->m->from_addr, '@') != NULL &&
	    brand_of_domain(strrchr(x->m->from_addr, '@') + 1, brand_buf,
	    sizeof(brand_buf)) >= BRAND_MIN)
		in.brand = brand_buf;
	mark = extractor_mark(x);
	seg = labelled(x, &in, &l);
	extractor_marked(x, mark, "the labels above, read (names split, "
	    "addresses by country order, numbers found)");
	if (p != NULL) {
		references(x);
		mark = extractor_mark(x);
		/* A web form is the agency's own site, not a portal. */
		if (strcmp(p->kind, "form") != 0)
			inquiry_set(x->q, "portal", p->display);
		xstrset(&x->q->source, p->display);
		extractor_marked(x, mark, "profile %s (%s)", p->name,
		    parse_data_source_path(x->pd,
		    parse_data_profile_source(x->pd, p)));
	}
	inline_refs(x, &in);
	free(rank);
	mark = extractor_mark(x);
	/*
	 * A notification names the prospect in its labels; without any,
	 * this is a person's own mail about a listing, and From is theirs.
	 */
	/*
	 * From is no candidate either when it is a portal's that no
	 * profile knows (brand.h: it signs with its domain's name). One
	 * that prints no label of ours still names itself so when it
	 * sends from a machine's address or for someone else (Reply-To).
	 */
	brand = p == NULL && (l.found > 0 || brand_notice(x)) ?
	    brand_portal(x, x->q->email) : NULL;
	extractor_sender(x, (p == NULL && brand == NULL) || l.found == 0, 1);
	extractor_marked(x, mark, "headers (Reply-To, From, Sender: the "
	    "first usable) or an address in the text");
	/* Say why the notification's sender was no candidate. */
	if (x->q->email == NULL)
		extractor_usable(x, x->m->from_addr);
	/* A portal no profile knows: it signs with its domain's name. */
	if (brand != NULL && x->q->portal == NULL &&
	    (brand = brand_portal(x, x->q->email)) != NULL) {
		mark = extractor_mark(x);
		inquiry_set(x->q, "portal", brand);
		xstrset(&x->q->source, brand);
		extractor_marked(x, mark, "no profile: From's display name, "
		    "which spells its domain's name (brand.h)");
	}
	own_listing(x, in.forwarded);
	portal_long_ref(x);
	mark = extractor_mark(x);
	/*
	 * A portal's relay (Leboncoin) in Reply-To or From still carries
	 * the name ("Karim via leboncoin", "Tobias über Kleinanzeigen").
	 */
	if (relay_of(x, rt)) {
		extractor_custom(x, "reply_via", rt);
		extractor_name(x, x->m->reply_to_name);
	}
	if (x->m->from_addr != NULL && parse_data_relay(x->pd,
	    x->m->from_addr) != NULL && relay_of(x, x->m->from_addr) &&
	    x->m->from_name != NULL &&
	    parse_data_profile_like(x->pd, x->m->from_name) == NULL)
		extractor_name(x, x->m->from_name);
	/*
	 * A relay no profile knows: "Ciara Byrne via Intercom" from a
	 * mailbox made up for her (not "Agency via Zapier" from its own).
	 */
	if (x->m->from_addr != NULL && x->m->from_name != NULL &&
	    addr_made_up(x->m->from_addr) && x->q->portal == NULL &&
	    brand_via(x))
		extractor_name(x, x->m->from_name);
	extractor_marked(x, mark, "the display name of the portal's relay "
	    "in Reply-To or From");
	mark = extractor_mark(x);
	message(x, seg);
	segment_free(seg);
	extractor_marked(x, mark, "message.h: the message label's value, "
	    "or the prospect's own words, cut before closing, signature, "
	    "quote and footer");
	mark = extractor_mark(x);
	/* Numbers the prospect wrote (not a portal's or agency's footer). */
	labels_phones_in(x->q, x->q->message);
	/*
	 * A forward's note above the mail is the agent's, not theirs. A
	 * person's own mail may label a line of its signature ("Mobile:"):
	 * it is still theirs when no label names or addresses someone.
	 */
	if (p == NULL && !in.forwarded && (l.found == 0 ||
	    (quoted_only(x, l.v[LF_EMAIL]) && quoted_only(x, l.v[LF_NAME]) &&
	    quoted_only(x, l.v[LF_FIRST]) && quoted_only(x, l.v[LF_LAST])))) {
		signer_address(x);
		signer_name(x);
		signer_order(x);
		own_part(x);
	} else
		contact_block(x);
	salutation_name(x);
	verb_name(x);
	if (p == NULL)
		intro_name(x);
	initial_name(x);
	extractor_marked(x, mark, "phone numbers in the message, in a "
	    "person's own mail also in their signature (and an address), "
	    "in a notification the lines around the prospect's address");
	mark = extractor_mark(x);
	vcard_contact(x);
	extractor_marked(x, mark, "a vCard the prospect attached (vcard.h)");
	mark = extractor_mark(x);
	extractor_language(x, x->lang);
	romanised_order(x);
	extractor_marked(x, mark, "Content-Language, else the words of the "
	    "message, else the profile's language");
	/* A person's or a form's subject is theirs; a portal's is not. */
	if (p == NULL || strcmp(p->kind, "form") == 0)
		extractor_custom(x, "subject", x->m->subject);
	labels_free(&l);
	return LG_OK;
}
