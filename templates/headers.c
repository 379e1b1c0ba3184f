#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xmalloc.h"
#include "templates/encode.h"
#include "templates/headers.h"

#define EW_PREFIX "=?UTF-8?Q?"
#define EW_PRELEN (sizeof(EW_PREFIX) - 1)
#define EW_OVERHEAD (EW_PRELEN + 2)	/* the prefix and "?=" */
#define EW_PAYLOAD 63		/* 75 octets per encoded word, less overhead */
#define NAME_MAX_LEN 76
#define ADDR_MAX 254
#define PARAM_MAX 255

/* Folds a header's value into lines, one word ("atom") at a time. */
struct hwriter {
	struct buf *out;
	size_t col;
	int atoms;		/* words on the current line */
};

static const char hd_hex[] = "0123456789ABCDEF";

static void
hw_atom(struct hwriter *w, const char *s, size_t n)
{
	if (w->atoms && w->col + 1 + n > HEADERS_AIM) {
		buf_add(w->out, "\r\n", 2);
		w->col = 0;
		w->atoms = 0;
	}
	buf_addc(w->out, ' ');
	buf_add(w->out, s, n);
	w->col += 1 + n;
	w->atoms++;
}

static int
hd_atext(unsigned char c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* Characters an encoded word in a phrase may carry as they are (RFC 2047 5(3)). */
static int
hd_qsafe(unsigned char c)
{
	return isalnum(c) || (c && strchr("!*+-/", c));
}

/* One octet in Q encoding at p; returns how many characters it took. */
static size_t
hd_qchar(char *p, unsigned char c)
{
	if (c == ' ' || hd_qsafe(c)) {
		*p = c == ' ' ? '_' : (char)c;
		return 1;
	}
	p[0] = '=';
	p[1] = hd_hex[c >> 4];
	p[2] = hd_hex[c & 15];
	return 3;
}

/*
 * The payload the next encoded word may have: what is left of the line
 * when that is worth using, else a whole new line's worth.
 */
static size_t
hd_room(const struct hwriter *w)
{
	size_t used = w->col + 1 + EW_OVERHEAD;

	if (used + 12 > HEADERS_AIM)	/* 12: the longest encoded character */
		return EW_PAYLOAD;
	return HEADERS_AIM - used < EW_PAYLOAD ? HEADERS_AIM - used :
	    EW_PAYLOAD;
}

/* Q-encoded words for s[len], split between characters, never inside one. */
static void
hd_encoded(struct hwriter *w, const char *s, size_t len)
{
	char word[80];
	size_t i = 0, n = 0, k, cl, el, limit;

	memcpy(word, EW_PREFIX, EW_PRELEN);
	limit = hd_room(w);
	while (i < len) {
		for (cl = 1; i + cl < len &&
		    ((unsigned char)s[i + cl] & 0xc0) == 0x80; cl++)
			;
		for (el = 0, k = 0; k < cl; k++)
			el += hd_qsafe((unsigned char)s[i + k]) ||
			    s[i + k] == ' ' ? 1 : 3;
		if (n > 0 && n + el > limit) {
			memcpy(word + EW_PRELEN + n, "?=", 2);
			hw_atom(w, word, EW_OVERHEAD + n);
			n = 0;
			limit = hd_room(w);
		}
		for (k = 0; k < cl; k++)
			n += hd_qchar(word + EW_PRELEN + n,
			    (unsigned char)s[i + k]);
		i += cl;
	}
	if (n) {
		memcpy(word + EW_PRELEN + n, "?=", 2);
		hw_atom(w, word, EW_OVERHEAD + n);
	}
}

/* A word that must travel encoded: 8-bit, too long, or looking encoded. */
static int
hd_needs_encoding(const char *s, size_t n)
{
	size_t i;

	if (n > EW_PAYLOAD + EW_OVERHEAD)
		return 1;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 ||
		    (s[i] == '=' && i + 1 < n && s[i + 1] == '?'))
			return 1;
	return 0;
}

static size_t
hd_word(const char *s, size_t from, size_t len, size_t *start)
{
	while (from < len && s[from] == ' ')
		from++;
	*start = from;
	while (from < len && s[from] != ' ')
		from++;
	return from;
}

/*
 * Unstructured text: plain words stay readable; the stretch from the
 * first to the last word that needs encoding goes as encoded words, its
 * blanks inside them (blanks between encoded words do not survive).
 */
static void
hd_text(struct hwriter *w, const char *s, size_t len)
{
	size_t ws, we, enc_from = len, enc_to = 0;

	for (we = 0; (we = hd_word(s, we, len, &ws)) > ws; )
		if (hd_needs_encoding(s + ws, we - ws)) {
			if (enc_from == len)
				enc_from = ws;
			enc_to = we;
		}
	for (we = 0; (we = hd_word(s, we, len, &ws)) > ws; ) {
		if (ws == enc_from) {
			hd_encoded(w, s + enc_from, enc_to - enc_from);
			we = enc_to;
		} else {
			hw_atom(w, s + ws, we - ws);
		}
	}
}

/* A display name: atoms, a quoted string, or encoded words. */
static void
hd_phrase(struct hwriter *w, const char *s, size_t len)
{
	struct buf q = BUF_INIT;
	size_t i;
	int atoms = 1;

	if (len > EW_PAYLOAD || hd_needs_encoding(s, len)) {
		hd_encoded(w, s, len);
		return;
	}
	for (i = 0; i < len; i++)
		if (s[i] != ' ' && !hd_atext((unsigned char)s[i]))
			atoms = 0;
	if (atoms) {
		hd_text(w, s, len);
		return;
	}
	buf_addc(&q, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_addc(&q, '\\');
		buf_addc(&q, s[i]);
	}
	buf_addc(&q, '"');
	if (q.len <= EW_PAYLOAD + EW_OVERHEAD)
		hw_atom(w, q.data, q.len);
	else
		hd_encoded(w, s, len);
	buf_free(&q);
}

static int
hd_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/* Controls (CR, LF, NUL, TAB, ...) become blanks; then trimmed. */
static char *
hd_flatten(const char *v)
{
	char *s = xstrdup(v ? v : ""), *p, *start = s;
	size_t n;

	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	while (*start == ' ')
		start++;
	n = strlen(start);
	while (n && start[n - 1] == ' ')
		n--;
	memmove(s, start, n);
	s[n] = '\0';
	return s;
}

int
headers_addr_ok(const char *a)
{
	const char *at = strrchr(a, '@'), *p;
	size_t len = strlen(a);

	if (at == NULL || at == a || len > ADDR_MAX || at - a > 64 ||
	    a[0] == '.' || at[-1] == '.' || strstr(a, "..") ||
	    at[1] == '\0' || at[1] == '.' || a[len - 1] == '.')
		return 0;
	for (p = a; p < at; p++)
		if (*p != '.' && !hd_atext((unsigned char)*p))
			return 0;
	for (p = at + 1; *p; p++)
		if (*p != '.' && *p != '-' && !isalnum((unsigned char)*p))
			return 0;
	return 1;
}

static char *
hd_unquote(const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	size_t i;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"')
		return xstrndup(s, len);
	for (i = 1; i + 1 < len; i++) {
		if (s[i] == '\\' && i + 2 < len)
			i++;
		buf_addc(&b, s[i]);
	}
	return buf_detach(&b);
}

int
headers_parse_mailbox(const char *value, char **name, char **addr,
    struct err *e)
{
	char *v = hd_flatten(value), *lt;
	size_t len = strlen(v), nlen;

	*name = *addr = NULL;
	if (len && v[len - 1] == '>' && (lt = strrchr(v, '<')) != NULL) {
		v[len - 1] = '\0';
		*addr = hd_flatten(lt + 1);
		for (nlen = (size_t)(lt - v); nlen && v[nlen - 1] == ' '; nlen--)
			;
		*name = hd_unquote(v, nlen);
	} else {
		*addr = xstrdup(v);
		*name = xstrdup("");
	}
	free(v);
	if (headers_addr_ok(*addr))
		return LG_OK;
	err_set(e, LG_EPERM, "'%.100s' is not an address leadgate can send "
	    "to%s", *addr, hd_ascii(*addr, strlen(*addr)) ? "" :
	    " (non-ASCII addresses need SMTPUTF8)");
	free(*name);
	free(*addr);
	*name = *addr = NULL;
	return LG_EPERM;
}

char *
headers_mailbox(const char *name, const char *addr)
{
	struct buf b = BUF_INIT;
	const char *p;

	if (name == NULL || *name == '\0')
		return xstrdup(addr);
	buf_addc(&b, '"');
	for (p = name; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_addc(&b, '\\');
		buf_addc(&b, *p);
	}
	buf_printf(&b, "\" <%s>", addr);
	return buf_detach(&b);
}

static int
hd_msgid_ok(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);
	size_t i;

	if (n < 5 || n > 250 || s[0] != '<' || s[n - 1] != '>' || at == NULL ||
	    at == s + 1 || at == s + n - 2)
		return 0;
	for (i = 1; i + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c >= 0x7f || strchr("<>\"\\", c))
			return 0;
	}
	return 1;
}

static int
hw_text(struct hwriter *w, const char *name, const char *v, struct err *e)
{
	hd_text(w, v, strlen(v));
	return LG_OK;
}

static int
hw_mailbox(struct hwriter *w, const char *name, const char *v, struct err *e)
{
	char *dn, *addr, *angle;

	if (headers_parse_mailbox(v, &dn, &addr, e) != LG_OK)
		return err_prefix(e, "%s", name);
	if (*dn) {
		hd_phrase(w, dn, strlen(dn));
		angle = xasprintf("<%s>", addr);
		hw_atom(w, angle, strlen(angle));
		free(angle);
	} else {
		hw_atom(w, addr, strlen(addr));
	}
	free(dn);
	free(addr);
	return LG_OK;
}

static int
hw_msgids(struct hwriter *w, const char *name, const char *v, struct err *e,
    int max)
{
	size_t len = strlen(v), ws, we = 0;
	int n = 0;

	while ((we = hd_word(v, we, len, &ws)) > ws) {
		if (!hd_msgid_ok(v + ws, we - ws) || ++n > max)
			return err_set(e, LG_EPERM, "%s: '%.*s' is not %s", name,
			    (int)(we - ws > 100 ? 100 : we - ws), v + ws,
			    max == 1 ? "one <id@domain>" :
			    "a list of <id@domain>");
		hw_atom(w, v + ws, we - ws);
	}
	if (n == 0)
		return err_set(e, LG_EPERM, "%s: empty", name);
	return LG_OK;
}

static int
hw_msgid(struct hwriter *w, const char *name, const char *v, struct err *e)
{
	return hw_msgids(w, name, v, e, 1);
}

static int
hw_msgid_list(struct hwriter *w, const char *name, const char *v,
    struct err *e)
{
	return hw_msgids(w, name, v, e, 1000);
}

static int
hw_ascii(struct hwriter *w, const char *name, const char *v, struct err *e)
{
	size_t len = strlen(v), ws, we = 0;

	if (!hd_ascii(v, len))
		return err_set(e, LG_EPERM, "%s: only ASCII may go into this "
		    "header", name);
	while ((we = hd_word(v, we, len, &ws)) > ws) {
		if (we - ws + strlen(name) + 2 > HEADERS_MAX)
			return err_set(e, LG_EPERM, "%s: a word of %zu octets "
			    "does not fit a line", name, we - ws);
		hw_atom(w, v + ws, we - ws);
	}
	return LG_OK;
}

typedef int (*hw_fn)(struct hwriter *, const char *, const char *,
    struct err *);

static const struct hrule {
	const char *name;
	hw_fn write;		/* NULL: refused */
	const char *why;
} hrules[] = {
	{ "From", hw_mailbox, NULL },
	{ "To", hw_mailbox, NULL },
	{ "Cc", hw_mailbox, NULL },
	{ "Reply-To", hw_mailbox, NULL },
	{ "Sender", hw_mailbox, NULL },
	{ "Message-ID", hw_msgid, NULL },
	{ "In-Reply-To", hw_msgid_list, NULL },
	{ "References", hw_msgid_list, NULL },
	{ "Date", hw_ascii, NULL },
	{ "Auto-Submitted", hw_ascii, NULL },
	{ "Precedence", hw_ascii, NULL },
	{ "X-Auto-Response-Suppress", hw_ascii, NULL },
	{ "List-Unsubscribe", hw_ascii, NULL },
	{ "List-Unsubscribe-Post", hw_ascii, NULL },
	{ "Content-Language", hw_ascii, NULL },
	{ "MIME-Version", NULL, "is written by compose itself" },
	{ "Content-Type", NULL, "is written by compose itself" },
	{ "Content-Transfer-Encoding", NULL, "is written by compose itself" },
	{ "Content-Disposition", NULL, "is written by compose itself" },
	{ "Bcc", NULL, "never goes into a message" },
};

static const struct hrule hrule_text = { NULL, hw_text, NULL };

static const struct hrule *
hd_rule(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(hrules) / sizeof(hrules[0]); i++)
		if (strcasecmp(hrules[i].name, name) == 0)
			return &hrules[i];
	return &hrule_text;
}

static int
hd_name_ok(const char *name)
{
	const char *p;

	if (*name == '\0' || strlen(name) > NAME_MAX_LEN)
		return 0;
	for (p = name; *p; p++)
		if (*p < 33 || *p > 126 || *p == ':')
			return 0;
	return 1;
}

int
headers_add(struct buf *out, const char *name, const char *value,
    struct err *e)
{
	const struct hrule *r;
	struct buf line = BUF_INIT;
	struct hwriter w = { &line, 0, 0 };
	char *v;
	size_t bad;
	int rc;

	if (!hd_name_ok(name))
		return err_set(e, LG_EPERM, "bad header name '%.80s'", name);
	if ((r = hd_rule(name))->write == NULL)
		return err_set(e, LG_EPERM, "header %s %s", r->name, r->why);
	if (r->name)
		name = r->name;
	v = hd_flatten(value);
	if (!encode_utf8_valid(v, strlen(v), &bad)) {
		rc = err_set(e, LG_EPERM, "%s: not UTF-8 (at byte %zu)", name,
		    bad);
	} else {
		buf_printf(&line, "%s:", name);
		w.col = line.len;
		if ((rc = r->write(&w, name, v, e)) == LG_OK) {
			buf_add(&line, "\r\n", 2);
			buf_add(out, line.data, line.len);
		}
	}
	free(v);
	buf_free(&line);
	return rc;
}

static int
hd_attr_char(unsigned char c)
{
	return isalnum(c) || (c && strchr("!#$&+-.^_`|~", c));
}

int
headers_param(struct buf *out, const char *attr, const char *value,
    struct err *e)
{
	size_t len = strlen(value), i;
	int plain = 1;

	if (len > PARAM_MAX || !encode_utf8_valid(value, len, NULL))
		return err_set(e, LG_EPERM, "%s: '%.60s...' is over %d bytes "
		    "or not UTF-8", attr, value, PARAM_MAX);
	for (i = 0; i < len; i++)
		if ((unsigned char)value[i] < 0x20 ||
		    (unsigned char)value[i] >= 0x7f)
			plain = 0;
	if (plain) {
		buf_printf(out, ";\r\n %s=\"", attr);
		for (i = 0; i < len; i++) {
			if (value[i] == '"' || value[i] == '\\')
				buf_addc(out, '\\');
			buf_addc(out, value[i]);
		}
		buf_addc(out, '"');
		return LG_OK;
	}
	buf_printf(out, ";\r\n %s*=UTF-8''", attr);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];

		if (hd_attr_char(c))
			buf_addc(out, (char)c);
		else
			buf_printf(out, "%%%c%c", hd_hex[c >> 4], hd_hex[c & 15]);
	}
	return LG_OK;
}
