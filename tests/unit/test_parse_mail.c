/*
 * mail_parse() (parse/mail.c, mime.c, header.c, precheck.c, cte.c): the
 * convenience fields, parts and attachments of fixture mails, the
 * limits, and the inputs that must be refused or noted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"
#include "parse/mail.h"
#include "t.h"

static char datadir[1024];

static struct mail *
parse_file(const char *name, const struct mail_limits *lim)
{
	char path[2048], *raw;
	struct mail *m = NULL;
	struct err e;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", datadir, name);
	if ((raw = t_slurp(path, &len)) == NULL) {
		T_OK(0, "%s: readable", name);
		return NULL;
	}
	err_clear(&e);
	T_INT(mail_parse(raw, len, lim, &m, &e), LG_OK, "%s: parsed (%s)",
	    name, e.msg);
	free(raw);
	return m;
}

static int
parse_str(const char *raw, const struct mail_limits *lim, struct mail **m,
    struct err *e)
{
	err_clear(e);
	*m = NULL;
	return mail_parse(raw, strlen(raw), lim, m, e);
}

static void
convenience(void)
{
	struct mail *m = parse_file("immoscout24/plain-utf8.eml", NULL);
	const char *v[4];

	if (m == NULL)
		return;
	T_STR(m->subject, "Neue Kontaktanfrage für Ihr Objekt PB-2024-017",
	    "subject decoded");
	T_STR(m->from_addr, "noreply@immobilienscout24.de", "from_addr");
	T_STR(m->from_name, "ImmoScout24", "from_name");
	T_STR(m->reply_to_addr, "max.mueller@example.de", "reply_to_addr");
	T_STR(m->reply_to_name, "Maximilian Müller-Lüdenscheidt",
	    "reply_to_name decoded");
	T_STR(m->message_id, "20240312081401.7f3c2a91@immobilienscout24.de",
	    "message_id without brackets");
	T_STR(m->return_path, "bounce-12345@mail.immobilienscout24.de",
	    "return_path");
	T_STR(m->to, "anfragen@agentur-beispiel.de", "to");
	T_STR(m->date, "Tue, 12 Mar 2024 09:14:01 +0100", "date");
	T_STR(mail_header(m, "x-mailer"), "IS24 Messaging",
	    "mail_header without case");
	T_INT(mail_headers(m, "Received", v, 4), 1, "one Received");
	T_OK(strstr(v[0], "(Postfix) with ESMTPS") != NULL &&
	    strchr(v[0], '\n') == NULL, "Received unfolded");
	T_OK(mail_header(m, "X-Missing") == NULL, "absent header");
	T_INT(m->nparts, 1, "one part");
	T_OK(m->text && strstr(m->text, "Scout-ID: 148392751\n"),
	    "quoted-printable decoded, LF line ends");
	T_OK(m->html == NULL, "no html");
	T_OK(m->notes == NULL, "no notes");
	mail_free(m);
}

static void
parts(void)
{
	struct mail *m = parse_file("openimmo/rfc2231-filename.eml", NULL);

	if (m != NULL && m->nparts == 2) {
		T_STR(m->parts[1].filename, "Anfrage Zürich.xml",
		    "RFC 2231 continuation file name");
		T_STR(m->parts[1].content_type, "application/octet-stream",
		    "attachment type");
		T_INT(m->parts[1].attachment, 1, "attachment flag");
		T_OK(m->parts[1].text == NULL, "no text for a non-text part");
		T_OK(m->parts[1].len > 100 && memcmp(m->parts[1].data,
		    "<?xml", 5) == 0, "base64 attachment decoded");
		T_STR(m->parts[0].charset, "utf-8", "charset lower-cased");
		T_INT(m->parts[0].attachment, 0, "body is no attachment");
	} else {
		T_OK(0, "rfc2231-filename: two parts");
	}
	mail_free(m);
	m = parse_file("immoscout24/latin1-alternative.eml", NULL);
	if (m != NULL) {
		T_INT(m->nparts, 2, "alternative: two parts");
		T_OK(m->text && strncmp(m->text, "Neue Anfrage für", 16) == 0,
		    "alternative: the plain part, latin-1 converted");
		T_OK(m->html && strstr(m->html, "(HTML-Version)"),
		    "alternative: the html part kept");
	}
	mail_free(m);
	m = parse_file("immoscout24/html-only.eml", NULL);
	if (m != NULL)
		T_OK(m->text && strstr(m->text, "Vorname\tSabine") &&
		    !strstr(m->text, "Hacker"), "html-only: text from HTML");
	mail_free(m);
	m = parse_file("generic/forwarded-rfc822.eml", NULL);
	if (m != NULL) {
		T_STR(m->forward_from_addr, "kunde@example.org",
		    "forwarded message's sender");
		T_STR(m->forward_from_name, "Kunde Beispiel",
		    "forwarded message's sender name");
		T_OK(m->text && strstr(m->text, "Siehe unten.") &&
		    strstr(m->text, "Besichtigungstermin"),
		    "forwarded message shown inline");
		T_INT(m->nparts, 3, "leaves of the nested message counted");
	}
	mail_free(m);
}

static void
defects(void)
{
	struct mail *m = parse_file("bad/truncated-base64.eml", NULL);

	if (m != NULL && m->nparts == 2) {
		T_STR(m->parts[1].filename, "Selbstauskunft.pdf",
		    "truncated: attachment still there");
		T_OK(m->parts[1].len > 800, "truncated: the bytes that came");
		T_OK(m->notes && strstr(m->notes, "cut short"),
		    "truncated: noted");
	} else {
		T_OK(0, "truncated: two parts");
	}
	mail_free(m);
	m = parse_file("bad/nul-bytes.eml", NULL);
	if (m != NULL) {
		T_STR(m->subject, "Anfrage\xef\xbf\xbd mit NUL",
		    "NUL in the subject replaced, not cut");
		T_OK(m->text && strstr(m->text, "noch frei?"),
		    "NUL in the body replaced, not cut");
	}
	mail_free(m);
}

/* A message with an attachment of exactly size bytes of a pattern. */
static char *
big_message(size_t size)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789+/";
	struct buf b = BUF_INIT;
	size_t i, col = 0;
	unsigned char in[3];

	buf_adds(&b, "From: a@example.de\nSubject: big\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=B\n\n--B\n"
	    "Content-Type: text/plain\n\nsee attachment\n--B\n"
	    "Content-Type: application/octet-stream\n"
	    "Content-Disposition: attachment; filename=big.bin\n"
	    "Content-Transfer-Encoding: base64\n\n");
	buf_reserve(&b, size / 3 * 4 + size / 57 + 64);
	for (i = 0; i < size; i += 3) {
		in[0] = (unsigned char)(i * 7);
		in[1] = (unsigned char)((i + 1) * 7);
		in[2] = (unsigned char)((i + 2) * 7);
		buf_addc(&b, b64[in[0] >> 2]);
		buf_addc(&b, b64[((in[0] & 3) << 4) | (in[1] >> 4)]);
		buf_addc(&b, i + 1 < size ? b64[((in[1] & 15) << 2) |
		    (in[2] >> 6)] : '=');
		buf_addc(&b, i + 2 < size ? b64[in[2] & 63] : '=');
		if (++col == 19) {
			buf_addc(&b, '\n');
			col = 0;
		}
	}
	buf_adds(&b, "\n--B--\n");
	return buf_detach(&b);
}

static void
big(void)
{
	size_t size = 20u << 20, i, bad = 0;
	char *raw = big_message(size);
	struct mail *m = NULL;
	struct err e;

	T_INT(parse_str(raw, NULL, &m, &e), LG_OK, "20 MB attachment parsed");
	if (m != NULL && m->nparts == 2) {
		T_INT((long long)m->parts[1].len, (long long)size,
		    "20 MB attachment: every byte");
		for (i = 0; i < size; i++)
			bad += m->parts[1].data[i] != (unsigned char)(i * 7);
		T_INT((long long)bad, 0, "20 MB attachment: bytes intact");
	}
	mail_free(m);
	free(raw);
}

/* Many parts push the parse onto its own big-stack thread. */
static void
threaded(void)
{
	struct buf b = BUF_INIT;
	struct mail *m = NULL;
	struct err e;
	int i;

	buf_adds(&b, "From: a@example.de\nSubject: nested\n");
	for (i = 0; i < 30; i++)
		buf_printf(&b, "Content-Type: multipart/mixed; boundary=\"n%d\""
		    "\n\n--n%d\n", i, i);
	buf_adds(&b, "Content-Type: text/plain\n\ninnen\n");
	for (i = 29; i >= 0; i--)
		buf_printf(&b, "--n%d--\n", i);
	T_INT(parse_str(b.data, NULL, &m, &e), LG_OK, "30 levels parsed on "
	    "the parser thread (%s)", e.msg);
	T_STR(m ? m->text : NULL, "innen", "30 levels: the innermost text");
	mail_free(m);
	buf_free(&b);
}

static const struct {
	const char *label;
	const char *raw;
	size_t max_size, max_headers, max_parts, max_depth;
	const char *reason;	/* NULL: parsed */
} limits[] = {
	{ "size limit", "From: a@b.de\n\n0123456789", 20, 10, 10, 10,
	    "message of 24 bytes is over the 20-byte limit" },
	{ "header limit", "A: 1\nB: 2\nC: 3\n\nbody", 1000, 2, 10, 10,
	    "more than 2 header fields in the message header" },
	{ "header limit met", "A: 1\nB: 2\n\nbody", 1000, 2, 10, 10, NULL },
	{ "parts without Content-Type",
	    "Content-Type: multipart/mixed; boundary=b\n\n--b\n\n1\n--b\n\n2\n"
	    "--b\n\n3\n--b--\n", 1000, 10, 2, 10, "more than 2 MIME parts" },
	{ "depth limit", "Content-Type: multipart/mixed; boundary=a\n\n--a\n"
	    "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n"
	    "--a--\n", 1000, 10, 10, 1, "MIME parts nested deeper than 1" },
	{ "empty", "", 1000, 10, 10, 10, "empty message" },
	{ "mbox From_ line skipped",
	    "From a@b.de Mon Apr 15 10:00:00 2024\nSubject: x\n\nhi\n", 1000,
	    10, 10, 10, NULL },
};

static void
limit_cases(void)
{
	struct mail_limits lim;
	struct mail *m;
	struct err e;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		lim.max_size = limits[i].max_size;
		lim.max_headers = limits[i].max_headers;
		lim.max_parts = limits[i].max_parts;
		lim.max_depth = limits[i].max_depth;
		rc = parse_str(limits[i].raw, &lim, &m, &e);
		if (limits[i].reason == NULL) {
			T_INT(rc, LG_OK, "%s: parsed (%s)", limits[i].label,
			    e.msg);
		} else {
			T_INT(rc, LG_EPERM, "%s: refused", limits[i].label);
			T_STR(e.msg, limits[i].reason, "%s: reason",
			    limits[i].label);
			T_OK(m == NULL, "%s: no mail", limits[i].label);
		}
		if (i + 1 == sizeof(limits) / sizeof(limits[0]) && m)
			T_STR(mail_header(m, "Subject"), "x",
			    "mbox: headers after the From_ line");
		mail_free(m);
	}
	mail_limits_default(&lim);
	T_OK(lim.max_size >= 28u << 20, "default size takes a 20 MB "
	    "attachment in base64");
}

static void
line_ends(void)
{
	const char *lf = "From: a@b.de\nSubject: x\nContent-Type: text/plain;"
	    " charset=utf-8\n\nZeile 1\nZeile 2\n";
	const char *crlf = "From: a@b.de\r\nSubject: x\r\nContent-Type: "
	    "text/plain;\r\n charset=utf-8\r\n\r\nZeile 1\r\nZeile 2\r\n";
	struct mail *a, *b;
	struct err e;

	T_INT(parse_str(lf, NULL, &a, &e), LG_OK, "LF message");
	T_INT(parse_str(crlf, NULL, &b, &e), LG_OK, "CRLF message");
	if (a && b) {
		T_STR(b->text, a->text, "CRLF and LF give the same text");
		T_STR(mail_header(b, "Content-Type"),
		    "text/plain; charset=utf-8", "CRLF header unfolded");
	}
	mail_free(a);
	mail_free(b);
	T_INT(parse_str("Subject:\nFrom: a@b.de\n\nx", NULL, &a, &e), LG_OK,
	    "empty header value parsed");
	T_STR(a ? a->subject : NULL, "", "empty subject is \"\"");
	T_STR(a ? mail_header(a, "Subject") : NULL, "", "empty header value");
	mail_free(a);
	T_INT(parse_str("Return-Path: <>\nFrom: a@b.de\n\nx", NULL, &a, &e),
	    LG_OK, "bounce parsed");
	T_STR(a ? a->return_path : NULL, "", "null sender is \"\"");
	mail_free(a);
	mail_free(NULL);
}

int
main(void)
{
	const char *top = getenv("TOP");

	snprintf(datadir, sizeof(datadir), "%s/tests/data/parse",
	    top ? top : ".");
	convenience();
	parts();
	defects();
	big();
	threaded();
	limit_cases();
	line_ends();
	return t_done();
}
