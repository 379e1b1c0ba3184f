/*
 * mail_parse(): size cap, our own header split, the raw-byte pre-checks,
 * libetpan's MIME parse, and the convenience fields the extractors read.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"
#include "parse/addr.h"
#include "parse/charset.h"
#include "parse/encword.h"
#include "parse/header.h"
#include "parse/html.h"
#include "parse/mail.h"
#include "parse/mime.h"
#include "parse/notes.h"
#include "parse/precheck.h"

void
mail_limits_default(struct mail_limits *lim)
{
	/* A 20 MB attachment is 27 MB in base64: still read. */
	lim->max_size = 32u << 20;
	lim->max_headers = 1000;
	lim->max_parts = 500;
	lim->max_depth = 32;
}

const char *
mail_header(const struct mail *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nheaders; i++)
		if (strcasecmp(m->headers[i].name, name) == 0)
			return m->headers[i].value;
	return NULL;
}

size_t
mail_headers(const struct mail *m, const char *name, const char **out,
    size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < m->nheaders; i++)
		if (strcasecmp(m->headers[i].name, name) == 0) {
			if (n < max)
				out[n] = m->headers[i].value;
			n++;
		}
	return n;
}

static char *
decoded(const struct mail *m, const char *name, struct buf *notes)
{
	const char *v = mail_header(m, name);
	int flags = 0;
	char *s;

	if (v == NULL)
		return NULL;
	s = encword_dup(v, &flags);
	if (flags & CHARSET_UNKNOWN)
		notes_add(notes, "%s: encoded word in an unknown charset", name);
	if (flags & CHARSET_REPLACED)
		notes_add(notes, "%s: invalid bytes replaced", name);
	return s;
}

/* The first address of header name, and its decoded display name. */
static void
address(const struct mail *m, const char *name, char **addr, char **display)
{
	const char *v = mail_header(m, name);
	char *a = NULL, *dn = NULL;

	if (v != NULL && addr_first(v, &a, &dn) == 0) {
		*addr = a;
		if (display != NULL)
			*display = encword_dup(dn, NULL);
	}
	free(dn);
}

/* "<id@host>" -> "id@host". */
static char *
message_id(const struct mail *m)
{
	const char *v = mail_header(m, "Message-ID"), *s, *e;

	if (v == NULL)
		return NULL;
	if ((s = strchr(v, '<')) != NULL && (e = strchr(s, '>')) != NULL &&
	    e > s + 1)
		return xstrndup(s + 1, (size_t)(e - s - 1));
	return xstrdup(v);
}

static char *
return_path(const struct mail *m)
{
	const char *v = mail_header(m, "Return-Path");
	char *a = NULL, *dn = NULL;

	if (v == NULL)
		return NULL;
	/* "<>" is the null sender (a bounce): keep it apart from no header. */
	if (addr_first(v, &a, &dn) != 0)
		a = xstrdup("");
	free(dn);
	return a;
}

static void
convenience(struct mail *m, struct buf *notes)
{
	m->message_id = message_id(m);
	m->subject = decoded(m, "Subject", notes);
	m->from = decoded(m, "From", notes);
	m->to = decoded(m, "To", notes);
	if (mail_header(m, "Date"))
		m->date = xstrdup(mail_header(m, "Date"));
	m->return_path = return_path(m);
	address(m, "From", &m->from_addr, &m->from_name);
	address(m, "Reply-To", &m->reply_to_addr, &m->reply_to_name);
	address(m, "Sender", &m->sender_addr, NULL);
}

/* Letters and digits in s: what a reader sees of a text. */
static size_t
visible(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += (unsigned char)*s >= 0x80 || (*s >= '0' && *s <= '9') ||
		    ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z');
	return n;
}

/*
 * A text part that stands in for its HTML alternative ("use a client
 * that shows HTML", a link to the portal's dashboard) while the HTML
 * holds the inquiry: the HTML's text is the mail's text. A stub is a
 * small fraction of what its alternative says.
 */
#define STUB_RATIO	2
#define STUB_MIN	100

static void
unstub(struct mail *m)
{
	char *h;
	size_t t, v;

	if (m->text == NULL || m->html == NULL)
		return;
	/* The HTML's text is never longer than the HTML. */
	if ((t = visible(m->text)) * STUB_RATIO >= strlen(m->html))
		return;
	h = html_to_text(m->html, strlen(m->html));
	v = h != NULL ? visible(h) : 0;
	if (v >= STUB_MIN && t * STUB_RATIO < v) {
		free(m->text);
		m->text = h;
	} else
		free(h);
}

/*
 * A body with next to nothing in it ("Sent from my phone") and the
 * inquiry in a text file attached: the file's text is the mail's text,
 * as the reader opens it. A stub as for unstub().
 */
static void
unstub_attached(struct mail *m)
{
	size_t t = m->text != NULL ? visible(m->text) : 0, v, i;
	const struct mail_part *p;

	if (t >= STUB_MIN)
		return;
	for (i = 0; i < m->nparts; i++) {
		p = &m->parts[i];
		if (!p->attachment || p->text == NULL ||
		    strcmp(p->content_type, "text/plain") != 0)
			continue;
		if ((v = visible(p->text)) >= STUB_MIN && t * STUB_RATIO < v) {
			free(m->text);
			m->text = xstrdup(p->text);
		}
		return;
	}
}

static void
bodies(struct mail *m, struct mime_result *r)
{
	m->parts = r->parts;
	m->nparts = r->nparts;
	r->parts = NULL;
	r->nparts = 0;
	if (r->has_html)
		m->html = buf_detach(&r->html);
	m->forward_from_addr = r->fwd_from_addr;
	m->forward_from_name = encword_dup(r->fwd_from_name, NULL);
	r->fwd_from_addr = NULL;
	m->embedded = r->fwd_raw;
	m->embedded_len = r->fwd_len;
	r->fwd_raw = NULL;
	if (r->has_plain) {
		m->text = buf_detach(&r->plain);
		unstub(m);
	} else if (m->html != NULL)
		m->text = html_to_text(m->html, strlen(m->html));
	unstub_attached(m);
}

/* An mbox "From " line before the headers is no header. */
static size_t
skip_envelope(const char *raw, size_t len)
{
	const char *nl;

	if (len < 5 || memcmp(raw, "From ", 5) != 0 ||
	    (nl = memchr(raw, '\n', len)) == NULL)
		return 0;
	return (size_t)(nl - raw) + 1;
}

static int
parse(struct mail *m, const char *raw, size_t len,
    const struct mail_limits *lim, struct buf *notes, struct err *e)
{
	struct mime_result r;
	size_t body, ctypes;
	int rc;

	if (memchr(raw, '\0', len) != NULL)
		notes_add(notes, "NUL bytes in the message (replaced)");
	if ((rc = header_split(raw, len, lim->max_headers, &m->headers,
	    &m->nheaders, &body, notes, e)) != LG_OK)
		return rc;
	if (m->nheaders == 0)
		notes_add(notes, "no header fields");
	if ((rc = precheck_raw(raw, len, lim, &ctypes, e)) != LG_OK)
		return rc;
	if ((rc = mime_parse(raw, len, lim, ctypes, &r, notes, e)) != LG_OK)
		return rc;
	bodies(m, &r);
	mime_result_free(&r);
	convenience(m, notes);
	return LG_OK;
}

int
mail_parse(const char *raw, size_t len, const struct mail_limits *lim,
    struct mail **out, struct err *e)
{
	struct mail_limits def;
	struct buf notes = BUF_INIT;
	struct mail *m;
	size_t skip;
	int rc;

	*out = NULL;
	if (lim == NULL) {
		mail_limits_default(&def);
		lim = &def;
	}
	if (len > lim->max_size)
		return err_set(e, LG_EPERM, "message of %zu bytes is over the "
		    "%zu-byte limit", len, lim->max_size);
	if (len == 0)
		return err_set(e, LG_EPERM, "empty message");
	skip = skip_envelope(raw, len);
	m = xcalloc(1, sizeof(*m));
	if ((rc = parse(m, raw + skip, len - skip, lim, &notes, e)) !=
	    LG_OK) {
		buf_free(&notes);
		mail_free(m);
		return rc;
	}
	if (notes.len > 0)
		m->notes = buf_detach(&notes);
	buf_free(&notes);
	*out = m;
	return LG_OK;
}

void
mail_free(struct mail *m)
{
	if (m == NULL)
		return;
	header_free(m->headers, m->nheaders);
	free(m->message_id);
	free(m->subject);
	free(m->from);
	free(m->from_addr);
	free(m->from_name);
	free(m->reply_to_addr);
	free(m->reply_to_name);
	free(m->sender_addr);
	free(m->return_path);
	free(m->to);
	free(m->date);
	free(m->text);
	free(m->html);
	mime_parts_free(m->parts, m->nparts);
	free(m->notes);
	free(m->forward_from_addr);
	free(m->forward_from_name);
	free(m->embedded);
	free(m);
}
