/* Address headers (RFC 5322 mailbox lists) and addresses in text. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "parse/addr.h"

#define ADDR_MAX	254

/* One mailbox being read: its phrase, <address> and last comment. */
struct mbox {
	struct buf phrase;
	struct buf angle;
	struct buf comment;
	int in_angle;
};

static void
word_sep(struct buf *b)
{
	if (b->len > 0 && b->data[b->len - 1] != ' ')
		buf_addc(b, ' ');
}

static char *
trimmed(const struct buf *b)
{
	const char *s = buf_str(b), *end;

	while (*s == ' ')
		s++;
	end = s + strlen(s);
	while (end > s && end[-1] == ' ')
		end--;
	return end > s ? xstrndup(s, (size_t)(end - s)) : NULL;
}

/* The address in a phrase without <>: its words glued together. */
static char *
bare_addr(const struct buf *b)
{
	struct buf out = BUF_INIT;
	const char *s;

	for (s = buf_str(b); *s; s++)
		if (*s != ' ')
			buf_addc(&out, *s);
	if (out.len == 0) {
		buf_free(&out);
		return NULL;
	}
	return buf_detach(&out);
}

/* Done with a mailbox: 1 and the results when it had an address. */
static int
mbox_end(struct mbox *m, char **addr, char **name)
{
	char *a;

	if (m->angle.len > 0) {
		a = bare_addr(&m->angle);
		*name = trimmed(&m->phrase);
	} else {
		a = bare_addr(&m->phrase);
		*name = NULL;
	}
	if (*name == NULL)
		*name = trimmed(&m->comment);
	/* "<mailto:x@y>" and obsolete routes "<@relay:x@y>" happen. */
	if (a && strncasecmp(a, "mailto:", 7) == 0)
		memmove(a, a + 7, strlen(a + 7) + 1);
	if (a && a[0] == '@' && strchr(a, ':'))
		memmove(a, strchr(a, ':') + 1, strlen(strchr(a, ':') + 1) + 1);
	buf_reset(&m->phrase);
	buf_reset(&m->angle);
	buf_reset(&m->comment);
	m->in_angle = 0;
	/* What is left must look like an address, not like broken syntax. */
	if (a == NULL || strchr(a, '@') == NULL || strpbrk(a, "<>()[],;\"\\")) {
		free(a);
		free(*name);
		*name = NULL;
		return 0;
	}
	*addr = a;
	return 1;
}

/* Skip a (possibly nested) comment at s, keeping its text in out. */
static const char *
comment(const char *s, struct buf *out)
{
	int depth = 0;

	buf_reset(out);
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			buf_addc(out, *++s);
			continue;
		}
		if (*s == '(' && depth++ == 0)
			continue;
		if (*s == ')' && --depth == 0)
			return s + 1;
		buf_addc(out, *s);
	}
	return s;
}

static const char *
quoted(const char *s, struct buf *out)
{
	for (s++; *s && *s != '"'; s++) {
		if (*s == '\\' && s[1])
			s++;
		buf_addc(out, *s);
	}
	return *s ? s + 1 : s;
}

int
addr_first(const char *value, char **addr, char **name)
{
	struct mbox m;
	const char *s = value;
	struct buf *cur;
	int found = 0;

	*addr = *name = NULL;
	memset(&m, 0, sizeof(m));
	while (!found) {
		cur = m.in_angle ? &m.angle : &m.phrase;
		if (*s == '\0' || (*s == ',' && !m.in_angle) ||
		    (*s == ';' && !m.in_angle)) {
			found = mbox_end(&m, addr, name);
			if (*s == '\0')
				break;
			s++;
		} else if (*s == '"') {
			word_sep(cur);
			s = quoted(s, cur);
		} else if (*s == '(') {
			s = comment(s, &m.comment);
		} else if (*s == '<') {
			m.in_angle = 1;
			buf_reset(&m.angle);
			s++;
		} else if (*s == '>') {
			m.in_angle = 0;
			s++;
		} else if (*s == ':' && !m.in_angle) {
			/* A group "name: a, b;": its name is no mailbox. */
			buf_reset(&m.phrase);
			s++;
		} else if (*s == ' ' || *s == '\t' || *s == '\r' ||
		    *s == '\n') {
			if (!m.in_angle)
				word_sep(cur);
			s++;
		} else {
			buf_addc(cur, *s++);
		}
	}
	buf_free(&m.phrase);
	buf_free(&m.angle);
	buf_free(&m.comment);
	return found ? 0 : -1;
}

int
addr_valid(const char *s)
{
	const char *at = strrchr(s, '@'), *p;
	int dot = 0;

	if (at == NULL || at == s || strlen(s) > ADDR_MAX || at[1] == '\0')
		return 0;
	for (p = s; p < at; p++)
		if ((unsigned char)*p <= ' ' || strchr("<>()[],;:\\\"", *p))
			return 0;
	for (p = at + 1; *p; p++) {
		if (*p == '.') {
			if (p == at + 1 || p[-1] == '.' || p[1] == '\0')
				return 0;
			dot = 1;
		} else if (!(isalnum((unsigned char)*p) || *p == '-' ||
		    (unsigned char)*p >= 0x80)) {
			return 0;
		}
	}
	return dot;
}

int
addr_domain_is(const char *addr, const char *domain)
{
	const char *at = strrchr(addr, '@'), *d;
	size_t dl, n;

	if (at == NULL)
		return 0;
	d = at + 1;
	dl = strlen(d);
	n = strlen(domain);
	if (dl == n)
		return strcasecmp(d, domain) == 0;
	return dl > n && d[dl - n - 1] == '.' &&
	    strcasecmp(d + dl - n, domain) == 0;
}

static int
local_char(unsigned char c)
{
	return isalnum(c) || (c && strchr("._%+-'!#$&*/=?^`{|}~", c));
}

static int
domain_char(unsigned char c)
{
	return isalnum(c) || c == '.' || c == '-';
}

char *
addr_scan(const char *text, int (*accept)(const char *, void *), void *arg)
{
	const char *at, *b, *e;
	char *a;

	for (at = strchr(text, '@'); at; at = strchr(at + 1, '@')) {
		for (b = at; b > text && local_char((unsigned char)b[-1]); b--)
			;
		/* Quotes and dots around an address are punctuation. */
		while (b < at && (*b == '.' || *b == '\''))
			b++;
		for (e = at + 1; domain_char((unsigned char)*e); e++)
			;
		while (e > at + 1 && (e[-1] == '.' || e[-1] == '-'))
			e--;
		if (b == at || e == at + 1 || (size_t)(e - b) > ADDR_MAX)
			continue;
		a = xstrndup(b, (size_t)(e - b));
		if (addr_valid(a) && (accept == NULL || accept(a, arg)))
			return a;
		free(a);
	}
	return NULL;
}

/* d is dom (n bytes) or a subdomain of it. */
static int
within(const char *d, const char *dom, size_t n)
{
	size_t dn = strlen(d);

	if (n == 0 || dn < n || strncasecmp(d + dn - n, dom, n) != 0)
		return 0;
	return dn == n || d[dn - n - 1] == '.';
}

int
addr_agency_domain(const char *const *own_domains, const char *to,
    const char *d)
{
	const char *p, *q;
	size_t i;

	for (i = 0; own_domains && own_domains[i]; i++)
		if (within(d, own_domains[i], strlen(own_domains[i])))
			return 1;
	/* Every "@domain" of To, up to what ends a domain. */
	for (p = to; p != NULL && (p = strchr(p, '@')) != NULL; p = q) {
		for (q = ++p; *q && (isalnum((unsigned char)*q) || *q == '.' ||
		    *q == '-'); q++)
			;
		if (q > p && within(d, p, (size_t)(q - p)))
			return 1;
	}
	return 0;
}

/* Second-level labels under a country code: "co.uk", "com.br". */
static const char *const second_levels[] = {
	"co", "com", "net", "org", "ac", "gov", "edu", "or", "ne", "gob",
	"gv", "ltd", "plc",
};

/*
 * And "example" under a country code, reserved (RFC 2606): invented
 * addresses write it where a public suffix would be ("suumo.example.jp"
 * for "suumo.jp"; "example.com" is itself a domain).
 */
#define RESERVED_SECOND	"example"

int
addr_domain_label(const char *domain, const char **start, const char **end)
{
	const char *p, *e;
	size_t i, n = 0;
	int cc;

	e = domain + strlen(domain);
	while (e > domain && e[-1] == '.')
		e--;
	/* Off with the top-level label. */
	for (p = e; p > domain && p[-1] != '.'; p--)
		;
	if (p == domain)
		return 0;
	cc = e - p == 2;
	e = p - 1;
	for (;;) {
		for (p = e; p > domain && p[-1] != '.'; p--)
			;
		n = (size_t)(e - p);
		for (i = 0; i < sizeof(second_levels) / sizeof(*second_levels);
		    i++)
			if (strlen(second_levels[i]) == n &&
			    strncasecmp(p, second_levels[i], n) == 0)
				break;
		if (cc && n == strlen(RESERVED_SECOND) &&
		    strncasecmp(p, RESERVED_SECOND, n) == 0)
			i = 0;
		if (i == sizeof(second_levels) / sizeof(*second_levels) ||
		    p == domain)
			break;
		cc = 0;
		e = p - 1;
	}
	*start = p;
	*end = e;
	return n > 0;
}

const char *
addr_registered(const char *domain)
{
	const char *start, *end;

	return domain != NULL && addr_domain_label(domain, &start, &end) ?
	    start : domain;
}

#define TOKEN_MIN	10

int
addr_made_up(const char *addr)
{
	size_t chars = 0, digits = 0;

	for (; addr != NULL && *addr != '\0' && *addr != '@'; addr++)
		if (isalnum((unsigned char)*addr)) {
			chars++;
			digits += isdigit((unsigned char)*addr) != 0;
		}
	return chars >= TOKEN_MIN && digits * 5 >= chars * 2;
}
