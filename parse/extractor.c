/*
 * What the extractors share: who sent the mail (never a relay, a
 * machine or the agency itself), the prospect's names and language, the
 * text without its signature and quoted reply, an XML document anywhere
 * in the mail, and the custom fields.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/wild.h"
#include "util/xmalloc.h"
#include "parse/addr.h"
#include "parse/extractor.h"
#include "parse/inquiry.h"
#include "parse/lang.h"
#include "parse/mail.h"
#include "parse/parse_data.h"
#include "parse/person.h"
#include "parse/profile.h"
#include "parse/xml.h"

#define FORWARD_LINES	8	/* where a forwarded From: line may be */
#define ROOT_NAME_MAX	64
#define INLINE_TRIES	16
#define ADDR_MAX	320

/* The bare address of an own_addresses entry ("Name <a@b>" or "a@b"). */
static int
same_address(const char *entry, const char *addr)
{
	char *a = NULL, *n = NULL;
	int same;

	if (addr_first(entry, &a, &n) != 0)
		return strcasecmp(entry, addr) == 0;
	same = strcasecmp(a, addr) == 0;
	free(a);
	free(n);
	return same;
}

static int
own_domain(const struct extract_env *env, const char *addr)
{
	const char *const *d;

	for (d = env->own_domains; d != NULL && *d != NULL; d++)
		if (addr_domain_is(addr, *d))
			return 1;
	return 0;
}

static int
own_address(const struct extract_env *env, const char *addr)
{
	const char *const *a;

	if (env->mailbox != NULL && same_address(env->mailbox, addr))
		return 1;
	for (a = env->own_addresses; a != NULL && *a != NULL; a++)
		if (same_address(*a, addr))
			return 1;
	return 0;
}

/* Why addr is never the prospect's, or NULL. */
static const char *
not_prospect(struct extract_ctx *x, const char *addr, char *why, size_t len)
{
	const struct profile *p;
	const char *at;

	/* The mail's own profile's relays are among all profiles' relays. */
	if ((p = parse_data_relay(x->pd, addr)) != NULL) {
		snprintf(why, len, "a relay of %s", p->name);
		return why;
	}
	if ((p = parse_data_domain(x->pd, addr, NULL)) != NULL) {
		snprintf(why, len, "an address of %s", p->name);
		return why;
	}
	if (parse_data_machine(x->pd, addr))
		return "a machine sender";
	at = strrchr(addr, '@');
	/* A portal's relay: a made-up mailbox, or its machine's domain. */
	if (at != NULL && !parse_data_mailbox_domain(x->pd, at + 1)) {
		const char *f = x->m->from_addr, *fat;

		if (addr_made_up(addr))
			return "a relay's made-up mailbox";
		if (f != NULL && (fat = strrchr(f, '@')) != NULL &&
		    strcasecmp(f, addr) != 0 && parse_data_machine(x->pd, f) &&
		    strcasecmp(addr_registered(fat + 1),
		    addr_registered(at + 1)) == 0)
			return "a relay of the machine sender's domain";
	}
	if (own_address(x->env, addr))
		return "our own address";
	if (own_domain(x->env, addr))
		return "our own domain";
	/*
	 * The domain the mail went to is the agency's (its form mailer,
	 * a colleague), unless anyone has a mailbox there (webmail).
	 */
	if ((at = strrchr(addr, '@')) != NULL && x->m->to != NULL &&
	    addr_agency_domain(x->env->own_domains, x->m->to, at + 1) &&
	    !parse_data_mailbox_domain(x->pd, at + 1))
		return "the domain the mail went to";
	return NULL;
}

int
extractor_usable(struct extract_ctx *x, const char *addr)
{
	char buf[ADDR_MAX];
	const char *why;

	if (addr == NULL || !addr_valid(addr))
		return 0;
	if ((why = not_prospect(x, addr, buf, sizeof(buf))) == NULL)
		return 1;
	/* Each address once: "a (why), b (why)". */
	if (strcasestr(buf_str(&x->aside), addr) == NULL)
		buf_printf(&x->aside, "%s%s (%s)", x->aside.len ? ", " : "",
		    addr, why);
	return 0;
}

static int
forward_line(const struct parse_data *pd, const char *line, size_t n,
    int quotes)
{
	const char *const *w;

	for (w = parse_data_words(pd, LEX_FORWARD_MARKERS); *w; w++)
		if (wild_match(*w, line, n))
			return 1;
	for (w = parse_data_words(pd, LEX_QUOTE_HEADERS); quotes && *w; w++)
		if (wild_match(*w, line, n))
			return 1;
	return 0;
}

int
extractor_forwarded(const struct parse_data *pd, const char *text,
    int quotes, char **addr, char **name)
{
	const char *line, *end, *colon;
	char *rest;
	int after = -1;

	*addr = *name = NULL;
	for (line = text; line != NULL && *line && after < FORWARD_LINES;
	    line = *end ? end + 1 : NULL) {
		end = line + strcspn(line, "\n");
		while (line < end && (*line == ' ' || *line == '>'))
			line++;
		if (after < 0) {
			if (forward_line(pd, line, (size_t)(end - line) -
			    (end > line && end[-1] == '\r'), quotes))
				after = 0;
			continue;
		}
		after++;
		/* "Von: Herr Anna Muster <anna@example.de>" */
		if ((colon = memchr(line, ':', (size_t)(end - line))) == NULL)
			continue;
		rest = xstrndup(colon + 1, (size_t)(end - colon - 1));
		if (strchr(rest, '@') != NULL && addr_first(rest, addr,
		    name) == 0 && addr_valid(*addr)) {
			free(rest);
			return 0;
		}
		free(*addr);
		free(*name);
		*addr = *name = NULL;
		free(rest);
	}
	return -1;
}

/* An address in the body that is not the agency's own (in To:). */
static int
body_addr_ok(const char *addr, void *arg)
{
	struct extract_ctx *x = arg;

	return extractor_usable(x, addr) && !(x->m->to != NULL &&
	    strcasestr(x->m->to, addr));
}

void
extractor_name(struct extract_ctx *x, const char *display)
{
	struct inquiry *q = x->q;
	struct person_words w;
	struct person p;

	if (display == NULL || q->first_name != NULL || q->last_name != NULL)
		return;
	w.salutations = parse_data_words_for(x->pd, x->lang, LEX_SALUTATIONS);
	w.titles = parse_data_words_for(x->pd, x->lang, LEX_TITLES);
	w.particles = parse_data_words_for(x->pd, x->lang, LEX_PARTICLES);
	person_split_with(display, &w, x->lang, &p);
	if (p.salutation && q->salutation == NULL)
		inquiry_set(q, "salutation", p.salutation);
	inquiry_set(q, "first_name", p.first);
	inquiry_set(q, "last_name", p.last);
	extractor_custom(x, "title", p.title);
	person_clear(&p);
}

static void sender_from(struct extract_ctx *, const char *, const char *,
    int, int);

/* "Fwd:", "WG:", "TR:": the agency passing on a prospect's mail. */
static int
forward_subject(struct extract_ctx *x, const char *s)
{
	const char *const *w;

	if (parse_data_reply_subject(x->pd, x->lang, s))
		return 0;
	for (w = parse_data_words(x->pd, LEX_FORWARD_SUBJECTS);
	    s != NULL && *w != NULL; w++)
		if (strncasecmp(s, *w, strlen(*w)) == 0)
			return 1;
	return 0;
}

void
extractor_sender(struct extract_ctx *x, int from_too, int body)
{
	const struct mail *m = x->m;
	int fwd = from_too && forward_subject(x, m->subject);
	char *faddr = NULL, *fname = NULL;

	/* Forwarded inline, not attached: the "Von:" line after the marker. */
	if (fwd && m->forward_from_addr == NULL)
		extractor_forwarded(x->pd, m->text, 1, &faddr, &fname);
	sender_from(x, fwd ? (m->forward_from_addr ? m->forward_from_addr :
	    faddr) : NULL, m->forward_from_addr ? m->forward_from_name : fname,
	    from_too, body);
	free(faddr);
	free(fname);
}

#define BODY_NAME_MAX	80	/* bytes of a display name in the text */

/*
 * An address in the text written with its owner's name ("De : Élodie
 * Favre-Bulle <elodie.fb@example.ch>"): the name, after a label's colon
 * if there is one, when the mail gave none.
 */
static void
body_name(struct extract_ctx *x, const char *addr)
{
	const char *t = x->m->text, *at, *s, *e;
	char *name;

	if (x->q->first_name != NULL || x->q->last_name != NULL ||
	    (at = strstr(t, addr)) == NULL || at == t || at[-1] != '<')
		return;
	for (e = at - 1; e > t && e[-1] == ' '; e--)
		;
	for (s = e; s > t && s[-1] != '\n' && s[-1] != ':' &&
	    s[-1] != '"' && e - s < BODY_NAME_MAX; s--)
		;
	while (s < e && (*s == ' ' || *s == '"'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '"'))
		e--;
	if (e <= s || e - s >= BODY_NAME_MAX || memchr(s, '@', (size_t)(e - s)))
		return;
	name = xstrndup(s, (size_t)(e - s));
	extractor_name(x, name);
	free(name);
}

static void
sender_from(struct extract_ctx *x, const char *faddr, const char *fname,
    int from_too, int body)
{
	const struct mail *m = x->m;
	const struct {
		const char *addr;
		const char *name;
	} cand[] = {
		{ faddr, fname },
		{ m->reply_to_addr, m->reply_to_name },
		{ from_too ? m->from_addr : NULL, m->from_name },
		{ from_too ? m->sender_addr : NULL, NULL },
	};
	char *a;
	size_t i;

	for (i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		if (!extractor_usable(x, cand[i].addr))
			continue;
		if (x->q->email == NULL)
			inquiry_set(x->q, "email", cand[i].addr);
		else if (strcasecmp(x->q->email, cand[i].addr) != 0)
			continue;
		extractor_name(x, cand[i].name);
		return;
	}
	if (body && x->q->email == NULL && m->text != NULL &&
	    (a = addr_scan(m->text, body_addr_ok, x))) {
		inquiry_set(x->q, "email", a);
		body_name(x, a);
		free(a);
	}
}

void
extractor_language(struct extract_ctx *x, const char *fallback)
{
	const char *cl, *code, *msg;

	if (x->q->language != NULL)
		return;
	if ((cl = mail_header(x->m, "Content-Language")) != NULL &&
	    (code = parse_data_language_code(x->pd, cl)) != NULL) {
		inquiry_set(x->q, "language", code);
		return;
	}
	/*
	 * The prospect's words by their stopwords, else by a script of one
	 * language; with no language of the portal's to fall back on, the
	 * whole text too (a signature's "Distinti saluti", a form's labels).
	 */
	msg = x->q->message;
	if ((code = lang_guess(x->pd, msg ? msg : x->m->text)) == NULL &&
	    (code = lang_script(msg ? msg : x->m->text)) == NULL &&
	    (code = fallback) == NULL && msg != NULL &&
	    (code = lang_guess(x->pd, x->m->text)) == NULL)
		code = lang_script(x->m->text);
	inquiry_set(x->q, "language", code);
}

void
extractor_note(struct extract_ctx *x, const char *field, const char *value,
    const char *from, const char *where)
{
	json_t *list, *o;

	if (x->env->explain == NULL || value == NULL)
		return;
	if ((list = json_object_get(x->env->explain, field)) == NULL) {
		list = json_array();
		json_object_set_new(x->env->explain, field, list);
	}
	o = json_object();
	json_object_set_new(o, "value", json_string(value));
	json_object_set_new(o, "from", json_string(from));
	if (where != NULL)
		json_object_set_new(o, "where", json_string(where));
	json_array_append_new(list, o);
}

json_t *
extractor_mark(struct extract_ctx *x)
{
	return x->env->explain != NULL ? inquiry_to_json(x->q) : NULL;
}

/* A field's value as one line: phones joined. */
static char *
shown(json_t *v)
{
	struct buf b = BUF_INIT;
	json_t *e;
	size_t i;

	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	json_array_foreach(v, i, e)
		buf_printf(&b, "%s%s", i ? ", " : "", json_string_value(e));
	buf_adds(&b, "");
	return buf_detach(&b);
}

void
extractor_marked(struct extract_ctx *x, json_t *before, const char *fmt, ...)
{
	json_t *now, *v;
	const char *k;
	char from[512], *s;
	va_list ap;

	if (before == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(from, sizeof(from), fmt, ap);
	va_end(ap);
	now = inquiry_to_json(x->q);
	json_object_foreach(now, k, v) {
		if (json_is_null(v) || !(json_is_string(v) ||
		    json_is_array(v)) || json_equal(v, json_object_get(before,
		    k)))
			continue;
		s = shown(v);
		extractor_note(x, k, s, from, NULL);
		free(s);
	}
	json_decref(now);
	json_decref(before);
}

void
extractor_custom(struct extract_ctx *x, const char *key, const char *value)
{
	if (value != NULL && *value != '\0' &&
	    json_object_get(x->custom, key) == NULL)
		json_object_set_new(x->custom, key, json_string(value));
}

static int
root_is(const char *s, size_t len, const char *root)
{
	char name[ROOT_NAME_MAX];

	return xml_root_name(s, len, name, sizeof(name)) &&
	    strcasecmp(name, root) == 0;
}

/*
 * XML starting somewhere inside a text part ("Hello,\n<?xml ..."). Only
 * the first few candidates are sniffed: each sniff may read to the end
 * of the part, and a mail carries one document, not thousands.
 */
static const char *
inline_xml(const char *s, size_t len, const char *root, size_t *out)
{
	char open[ROOT_NAME_MAX + 2];
	const char *p, *end = s + len;
	int tries = 0;

	snprintf(open, sizeof(open), "<%s", root);
	for (p = s; tries < INLINE_TRIES &&
	    (p = memchr(p, '<', (size_t)(end - p))) != NULL; p++) {
		if (!((size_t)(end - p) > 5 && (strncmp(p, "<?xml", 5) == 0 ||
		    strncasecmp(p, "<?adf", 5) == 0 ||
		    strncasecmp(p, open, strlen(open)) == 0)))
			continue;
		tries++;
		if (root_is(p, (size_t)(end - p), root)) {
			*out = (size_t)(end - p);
			return p;
		}
	}
	return NULL;
}

const char *
extractor_find_xml(const struct mail *m, const char *root, size_t *len,
    const char **label)
{
	const struct mail_part *p;
	const char *s;
	size_t i;

	for (i = 0; i < m->nparts; i++) {
		p = &m->parts[i];
		if (p->data == NULL || p->len == 0)
			continue;
		*label = p->filename ? p->filename : p->content_type;
		if (root_is((const char *)p->data, p->len, root)) {
			*len = p->len;
			return (const char *)p->data;
		}
		if (strncmp(p->content_type, "text/", 5) == 0 &&
		    (s = inline_xml((const char *)p->data, p->len, root, len)))
			return s;
	}
	return NULL;
}
