/*
 * What the extractors share: who sent the mail (never a machine or a
 * portal), the prospect's names and language, the text without its
 * signature and quoted reply, an XML document anywhere in the mail, and
 * the custom fields.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/xmalloc.h"
#include "parse/addr.h"
#include "parse/extractor.h"
#include "parse/inquiry.h"
#include "parse/labels.h"
#include "parse/lang.h"
#include "parse/mail.h"
#include "parse/person.h"
#include "parse/portals.h"
#include "parse/xml.h"

#define ROOT_NAME_MAX	64
#define INLINE_TRIES	16
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Lines where a quoted earlier message begins. */
static const char *const reply_markers[] = {
	"-----Original Message-----",
	"-----Ursprüngliche Nachricht-----",
	"----- Original Message -----",
	"----- Message d'origine -----",
	"-------- Message original --------",
	"-------- Original-Nachricht --------",
	"-----Messaggio originale-----",
};

/* "On ... wrote:", "Am ... schrieb ...:", "Le ... a écrit :". */
static const struct {
	const char *start;
	const char *end;
} reply_headers[] = {
	{ "On ", "wrote:" },
	{ "Am ", ":" },
	{ "Le ", "a écrit :" },
	{ "Le ", "a écrit:" },
	{ "Il ", "ha scritto:" },
};

static int
cut_here(const char *line, size_t len)
{
	size_t i, n, e;

	if ((len == 3 && strncmp(line, "-- ", 3) == 0) ||
	    (len == 2 && strncmp(line, "--", 2) == 0))
		return 1;
	for (i = 0; i < NELEM(reply_markers); i++)
		if (len >= (n = strlen(reply_markers[i])) &&
		    strncasecmp(line, reply_markers[i], n) == 0)
			return 1;
	for (i = 0; i < NELEM(reply_headers); i++) {
		n = strlen(reply_headers[i].start);
		e = strlen(reply_headers[i].end);
		if (len > n + e && strncmp(line, reply_headers[i].start, n) == 0 &&
		    strncmp(line + len - e, reply_headers[i].end, e) == 0 &&
		    (strcmp(reply_headers[i].start, "Am ") != 0 ||
		    strstr(line, " schrieb") != NULL))
			return 1;
	}
	return 0;
}

char *
extractor_message(const char *text)
{
	const char *p, *nl;
	size_t len;

	if (text == NULL)
		return NULL;
	for (p = text; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (cut_here(p, len) || (len > 0 && p[0] == '>'))
			break;
		if (nl == NULL) {
			p += len;
			break;
		}
	}
	return p > text ? xstrndup(text, (size_t)(p - text)) : NULL;
}

static int
usable(const char *addr)
{
	return addr != NULL && addr_valid(addr) && !person_noreply(addr) &&
	    portals_of_address(addr) == NULL;
}

/* An address in the body that is not the agency's own (in To:). */
static int
body_addr_ok(const char *addr, void *arg)
{
	const struct mail *m = arg;

	return usable(addr) && !(m->to != NULL && strcasestr(m->to, addr));
}

void
extractor_name(struct extract_ctx *x, const char *display)
{
	struct inquiry *q = x->q;
	struct person p;

	if (display == NULL || q->first_name != NULL || q->last_name != NULL)
		return;
	person_split(display, &p);
	if (p.salutation && q->salutation == NULL)
		inquiry_set(q, "salutation", p.salutation);
	inquiry_set(q, "first_name", p.first);
	inquiry_set(q, "last_name", p.last);
	extractor_custom(x, "title", p.title);
	person_clear(&p);
}

/* "Fwd:", "WG:", "TR:": the agency passing on a prospect's mail. */
static int
forward_subject(const char *s)
{
	static const char *const prefixes[] = { "fwd:", "fw:", "wg:", "tr:" };
	size_t i;

	for (i = 0; s != NULL && i < NELEM(prefixes); i++)
		if (strncasecmp(s, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

void
extractor_sender(struct extract_ctx *x, int from_too, int body)
{
	const struct mail *m = x->m;
	int fwd = from_too && forward_subject(m->subject);
	const struct {
		const char *addr;
		const char *name;
	} cand[] = {
		{ fwd ? m->forward_from_addr : NULL, m->forward_from_name },
		{ m->reply_to_addr, m->reply_to_name },
		{ from_too ? m->from_addr : NULL, m->from_name },
		{ from_too ? m->sender_addr : NULL, NULL },
	};
	char *a;
	size_t i;

	for (i = 0; i < NELEM(cand); i++) {
		if (!usable(cand[i].addr))
			continue;
		if (x->q->email == NULL)
			inquiry_set(x->q, "email", cand[i].addr);
		else if (strcasecmp(x->q->email, cand[i].addr) != 0)
			continue;
		extractor_name(x, cand[i].name);
		return;
	}
	if (body && x->q->email == NULL && m->text != NULL &&
	    (a = addr_scan(m->text, body_addr_ok, (void *)(uintptr_t)m))) {
		inquiry_set(x->q, "email", a);
		free(a);
	}
}

void
extractor_language(struct extract_ctx *x)
{
	const char *cl;

	if (x->q->language != NULL)
		return;
	if ((cl = mail_header(x->m, "Content-Language")) != NULL &&
	    labels_language(cl) != NULL) {
		inquiry_set(x->q, "language", labels_language(cl));
		return;
	}
	inquiry_set(x->q, "language", lang_guess(x->q->message ?
	    x->q->message : x->m->text));
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
