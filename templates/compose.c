#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/clock.h"
#include "util/xmalloc.h"
#include "templates/compose.h"
#include "templates/encode.h"
#include "templates/headers.h"

static const char *const required[] = { "From", "To", "Subject",
    "Message-ID" };

static const struct {
	const char *ext;
	const char *type;
} content_types[] = {
	{ "pdf", "application/pdf" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "png", "image/png" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "txt", "text/plain" },
	{ "csv", "text/csv" },
	{ "ics", "text/calendar" },
	{ "xml", "application/xml" },
	{ "zip", "application/zip" },
	{ "doc", "application/msword" },
	{ "docx", "application/vnd.openxmlformats-officedocument."
	    "wordprocessingml.document" },
	{ "xls", "application/vnd.ms-excel" },
	{ "xlsx", "application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet" },
};

static const char *const wdays[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
    "Fri", "Sat" };
static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* The parts of the body, encoded, and what the boundaries are made from. */
struct cparts {
	struct buf text;
	struct buf html;
	struct buf *attach;	/* base64, one per attachment */
	uint64_t hash;
};

const char *
compose_content_type(const char *filename)
{
	const char *dot = strrchr(filename, '.');
	size_t i;

	for (i = 0; dot && i < sizeof(content_types) / sizeof(content_types[0]);
	    i++)
		if (strcasecmp(dot + 1, content_types[i].ext) == 0)
			return content_types[i].type;
	return "application/octet-stream";
}

void
compose_date(long long t, char *out, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	snprintf(out, len, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    wdays[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void
compose_attachment_clear(struct compose_attachment *a)
{
	if (a == NULL)
		return;
	free(a->filename);
	free(a->content_type);
	free(a->data);
	memset(a, 0, sizeof(*a));
}

/* FNV-1a: boundaries that depend on nothing but the content. */
static void
cp_hash(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++) {
		*h ^= s[i];
		*h *= 0x100000001b3ULL;
	}
}

static int
cp_check_text(const char *what, const char *s, struct err *e)
{
	size_t bad;

	if (!encode_utf8_valid(s, strlen(s), &bad))
		return err_set(e, LG_EPERM, "%s body is not UTF-8 (at byte %zu)",
		    what, bad);
	return LG_OK;
}

/* type/subtype, both RFC 2045 tokens. */
static int
cp_type_ok(const char *t)
{
	const char *p;
	int slashes = 0;

	for (p = t; *p; p++) {
		if (*p == '/' && p != t && p[1] != '\0')
			slashes++;
		else if (*p <= ' ' || *p >= 0x7f ||
		    strchr("()<>@,;:\\\"[]?=/", *p))
			return 0;
	}
	return slashes == 1;
}

static int
cp_check(const struct compose_msg *m, struct err *e)
{
	size_t i, j;
	int rc;

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		for (j = 0; j < m->nheaders; j++)
			if (strcasecmp(m->headers[j].name, required[i]) == 0)
				break;
		if (j == m->nheaders)
			return err_set(e, LG_EPERM, "no %s header", required[i]);
	}
	if (m->text == NULL)
		return err_set(e, LG_EPERM, "no text body");
	if ((rc = cp_check_text("text", m->text, e)) != LG_OK ||
	    (m->html && (rc = cp_check_text("HTML", m->html, e)) != LG_OK))
		return rc;
	for (i = 0; i < m->nattach; i++) {
		const struct compose_attachment *a = &m->attach[i];

		if (a->len > COMPOSE_MAX_ATTACH_SIZE)
			return err_set(e, LG_EPERM, "attachment %s: %zu bytes, "
			    "more than %u", a->filename, a->len,
			    COMPOSE_MAX_ATTACH_SIZE);
		if (a->content_type && !cp_type_ok(a->content_type))
			return err_set(e, LG_EPERM, "attachment %s: bad content "
			    "type '%.60s'", a->filename, a->content_type);
	}
	return LG_OK;
}

static int
cp_headers(const struct compose_msg *m, struct buf *out, struct err *e)
{
	char date[40];
	size_t i;
	int rc, dated = 0;

	for (i = 0; i < m->nheaders; i++) {
		if ((rc = headers_add(out, m->headers[i].name,
		    m->headers[i].value, e)) != LG_OK)
			return rc;
		dated |= strcasecmp(m->headers[i].name, "Date") == 0;
	}
	if (!dated) {
		compose_date((long long)clock_now(), date, sizeof(date));
		if ((rc = headers_add(out, "Date", date, e)) != LG_OK)
			return rc;
	}
	buf_adds(out, "MIME-Version: 1.0\r\n");
	return LG_OK;
}

static void
cp_encode(const struct compose_msg *m, struct cparts *p)
{
	size_t i;

	p->hash = 0xcbf29ce484222325ULL;
	encode_qp(&p->text, m->text, strlen(m->text));
	cp_hash(&p->hash, p->text.data, p->text.len);
	if (m->html) {
		encode_qp(&p->html, m->html, strlen(m->html));
		cp_hash(&p->hash, p->html.data, p->html.len);
	}
	p->attach = xcalloc(m->nattach + 1, sizeof(*p->attach));
	for (i = 0; i < m->nattach; i++) {
		encode_base64(&p->attach[i], m->attach[i].data,
		    m->attach[i].len);
		cp_hash(&p->hash, m->attach[i].filename,
		    strlen(m->attach[i].filename) + 1);
		cp_hash(&p->hash, p->attach[i].data, p->attach[i].len);
	}
}

/* Body text, then the CRLF that belongs to what follows. */
static void
cp_content(struct buf *out, const struct buf *b)
{
	buf_add(out, b->data ? b->data : "", b->len);
	if (b->len < 2 || memcmp(b->data + b->len - 2, "\r\n", 2) != 0)
		buf_add(out, "\r\n", 2);
}

static void
cp_text_part(struct buf *out, const char *subtype, const struct buf *qp)
{
	buf_printf(out, "Content-Type: text/%s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", subtype);
	cp_content(out, qp);
}

/* The readable part: text alone, or text and HTML as alternatives. */
static void
cp_readable(struct buf *out, const struct compose_msg *m,
    const struct cparts *p)
{
	char boundary[48];

	if (m->html == NULL) {
		cp_text_part(out, "plain", &p->text);
		return;
	}
	/* "=_" cannot occur in quoted-printable or base64: no collision. */
	snprintf(boundary, sizeof(boundary), "=_lg_alt_%016llx",
	    (unsigned long long)p->hash);
	buf_printf(out, "Content-Type: multipart/alternative;\r\n"
	    " boundary=\"%s\"\r\n\r\n", boundary);
	buf_printf(out, "--%s\r\n", boundary);
	cp_text_part(out, "plain", &p->text);
	buf_printf(out, "--%s\r\n", boundary);
	cp_text_part(out, "html", &p->html);
	buf_printf(out, "--%s--\r\n", boundary);
}

static int
cp_attachment(struct buf *out, const struct compose_attachment *a,
    const struct buf *b64, struct err *e)
{
	const char *type = a->content_type ? a->content_type :
	    compose_content_type(a->filename);
	int rc;

	buf_printf(out, "Content-Type: %s", type);
	if ((rc = headers_param(out, "name", a->filename, e)) != LG_OK)
		return rc;
	buf_adds(out, "\r\nContent-Disposition: attachment");
	if ((rc = headers_param(out, "filename", a->filename, e)) != LG_OK)
		return rc;
	buf_adds(out, "\r\nContent-Transfer-Encoding: base64\r\n\r\n");
	cp_content(out, b64);
	return LG_OK;
}

static int
cp_body(struct buf *out, const struct compose_msg *m, const struct cparts *p,
    struct err *e)
{
	char boundary[48];
	size_t i;
	int rc;

	if (m->nattach == 0) {
		cp_readable(out, m, p);
		return LG_OK;
	}
	snprintf(boundary, sizeof(boundary), "=_lg_mix_%016llx",
	    (unsigned long long)p->hash);
	buf_printf(out, "Content-Type: multipart/mixed;\r\n"
	    " boundary=\"%s\"\r\n\r\n", boundary);
	buf_printf(out, "--%s\r\n", boundary);
	cp_readable(out, m, p);
	for (i = 0; i < m->nattach; i++) {
		buf_printf(out, "--%s\r\n", boundary);
		if ((rc = cp_attachment(out, &m->attach[i], &p->attach[i],
		    e)) != LG_OK)
			return rc;
	}
	buf_printf(out, "--%s--\r\n", boundary);
	return LG_OK;
}

static void
cp_parts_free(struct cparts *p, size_t nattach)
{
	size_t i;

	buf_free(&p->text);
	buf_free(&p->html);
	for (i = 0; i < nattach && p->attach; i++)
		buf_free(&p->attach[i]);
	free(p->attach);
}

int
compose_message(const struct compose_msg *m, struct buf *out,
    struct err *e)
{
	struct buf msg = BUF_INIT;
	struct cparts p;
	int rc;

	if ((rc = cp_check(m, e)) != LG_OK)
		return rc;
	memset(&p, 0, sizeof(p));
	if ((rc = cp_headers(m, &msg, e)) == LG_OK) {
		cp_encode(m, &p);
		rc = cp_body(&msg, m, &p, e);
	}
	if (rc == LG_OK)
		buf_add(out, msg.data, msg.len);
	cp_parts_free(&p, m->nattach);
	buf_free(&msg);
	return rc;
}
