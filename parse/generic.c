/*
 * The generic extractor: a person writing to the agency, or a contact
 * form. Labelled fields in the body win (a form says who is asking);
 * then the sender: Reply-To, From, Sender, never a machine or a portal,
 * and failing those an address in the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "parse/addr.h"
#include "parse/extractor.h"
#include "parse/inquiry.h"
#include "parse/labels.h"
#include "parse/lang.h"
#include "parse/mail.h"
#include "parse/person.h"

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

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

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
generic_message(const char *text)
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
	    portal_of_address(addr) == NULL;
}

/* An address in the body that is not the agency's own (in To:). */
static int
body_addr_ok(const char *addr, void *arg)
{
	const struct mail *m = arg;

	return usable(addr) && !(m->to != NULL && strcasestr(m->to, addr));
}

void
generic_name(struct extract_ctx *x, const char *display)
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
	extract_custom(x, "title", p.title);
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
generic_sender(struct extract_ctx *x, int from_too, int body)
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
		generic_name(x, cand[i].name);
		return;
	}
	if (body && x->q->email == NULL && m->text != NULL &&
	    (a = addr_scan(m->text, body_addr_ok, (void *)(uintptr_t)m))) {
		inquiry_set(x->q, "email", a);
		free(a);
	}
}

void
generic_language(struct extract_ctx *x)
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

int
generic_extract(struct extract_ctx *x, const char *arg)
{
	static const struct label *const tables[] = { labels_common, NULL };
	struct labels l;
	char *msg;

	labels_scan(x->m->text, tables, &l);
	labels_apply(&l, x->q, x->custom);
	generic_sender(x, 1, 1);
	if (x->q->message == NULL && (msg = generic_message(x->m->text))) {
		inquiry_set(x->q, "message", msg);
		free(msg);
	}
	generic_language(x);
	/* Else a form in one language was most likely read by its user. */
	if (x->q->language == NULL && l.found >= 3 && l.lang != NULL)
		inquiry_set(x->q, "language", l.lang);
	extract_custom(x, "subject", x->m->subject);
	labels_free(&l);
	return LG_OK;
}
