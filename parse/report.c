/*
 * Delivery status notifications and complaints (see report.h), read with
 * a small MIME walk of our own over the raw message: reports are machine
 * made, a few parts deep, and the header of a returned message is what
 * matters, which struct mail does not keep.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/norm.h"
#include "util/xmalloc.h"
#include "parse/addr.h"
#include "parse/cte.h"
#include "parse/header.h"
#include "parse/mail.h"
#include "parse/report.h"

#define RP_DEPTH	3	/* multipart levels walked */
#define RP_PARTS	64	/* parts looked at, in all */
#define RP_FIELDS	200	/* header fields per part or status block */
#define RP_BLOCKS	100	/* per-recipient blocks of a DSN */
#define RP_TO		16	/* addresses it was delivered to */

/* One walk over a report. */
struct rp {
	struct report *r;
	int saw_dsn, saw_arf;
	int nparts;
};

static const char *const type_names[] = {
	[REPORT_NONE] = "none",
	[REPORT_DSN] = "dsn",
	[REPORT_ARF] = "arf",
	[REPORT_BOUNCE] = "bounce",
};

static const char *const verdict_names[] = {
	[REPORT_NOTHING] = "nothing",
	[REPORT_SOFT] = "soft",
	[REPORT_HARD] = "hard",
	[REPORT_COMPLAINT] = "complaint",
};

/* report-type= of multipart/report, and the part that carries it. */
static const struct {
	const char *name;
	enum report_type type;
} report_types[] = {
	{ "delivery-status", REPORT_DSN },
	{ "global-delivery-status", REPORT_DSN },	/* RFC 6533 */
	{ "feedback-report", REPORT_ARF },
	{ "message/delivery-status", REPORT_DSN },
	{ "message/global-delivery-status", REPORT_DSN },
	{ "message/feedback-report", REPORT_ARF },
};

/* DSN Action values (RFC 3464 2.3.3); use_status: the class decides. */
static const struct {
	const char *name;
	enum report_verdict verdict;
	int use_status;
} actions[] = {
	{ "failed", REPORT_HARD, 1 },
	{ "delayed", REPORT_SOFT, 0 },
	{ "delivered", REPORT_NOTHING, 0 },
	{ "relayed", REPORT_NOTHING, 0 },
	{ "expanded", REPORT_NOTHING, 0 },
};

/* ARF Feedback-Type values (RFC 5965 7.3); others count as "other". */
static const struct {
	const char *name;
	enum report_verdict verdict;
} feedback_types[] = {
	{ "abuse", REPORT_COMPLAINT },
	{ "fraud", REPORT_COMPLAINT },
	{ "virus", REPORT_COMPLAINT },
	{ "other", REPORT_COMPLAINT },
	{ "not-spam", REPORT_NOTHING },
	{ "auth-failure", REPORT_NOTHING },	/* DMARC, no complaint */
};

/* Bounces of MAILER-DAEMON without a DSN part, by their Subject. */
static const char *const bounce_subjects[] = {
	"Undelivered Mail Returned to Sender",
	"Mail Delivery Status Notification",
	"Delivery Status Notification",
	"Mail delivery failed",
	"Returned mail:",
	"Undeliverable:",
	"Undelivered Mail",
	"failure notice",
};
static const char *const bounce_senders[] = {
	"mailer-daemon", "postmaster",
};

/* Where a report was delivered, most reliable first. */
static const char *const delivered_to[] = {
	"Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To",
	"X-Rcpt-To", "To", "Cc",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *
report_type_name(enum report_type t)
{
	return (size_t)t < NELEM(type_names) ? type_names[t] : "?";
}

const char *
report_verdict_name(enum report_verdict v)
{
	return (size_t)v < NELEM(verdict_names) ? verdict_names[v] : "?";
}

/* A block of header fields; its defects do not matter here. */
static int
rp_fields(const char *p, size_t len, struct mail_header **h, size_t *n,
    size_t *next)
{
	struct buf notes = BUF_INIT;
	int rc;

	rc = header_split(p, len, RP_FIELDS, h, n, next, &notes, NULL);
	buf_free(&notes);
	return rc;
}

/* The header field of that name in v[0..n), or NULL. */
static const char *
field(const struct mail_header *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(v[i].name, name) == 0)
			return v[i].value;
	return NULL;
}

/* "type/subtype" of a Content-Type value, lower case; NULL: none. */
static char *
ct_type(const char *v)
{
	size_t n, i;
	char *s;

	if (v == NULL)
		return NULL;
	while (isspace((unsigned char)*v))
		v++;
	for (n = 0; v[n] && v[n] != ';' && !isspace((unsigned char)v[n]); n++)
		;
	s = xstrndup(v, n);
	for (i = 0; i < n; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	return s;
}

/* A parameter of a Content-Type value, unquoted; NULL when absent. */
static char *
ct_param(const char *v, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = v ? strchr(v, ';') : NULL, *s;
	struct buf b = BUF_INIT;

	while (p != NULL) {
		for (p++; isspace((unsigned char)*p); p++)
			;
		if (strncasecmp(p, name, nlen) == 0 && (p[nlen] == '=' ||
		    isspace((unsigned char)p[nlen]))) {
			for (s = p + nlen; isspace((unsigned char)*s); s++)
				;
			if (*s++ != '=')
				return NULL;
			while (isspace((unsigned char)*s))
				s++;
			if (*s == '"') {
				for (s++; *s && *s != '"'; s++) {
					if (*s == '\\' && s[1])
						s++;
					buf_addc(&b, *s);
				}
			} else {
				for (; *s && *s != ';' &&
				    !isspace((unsigned char)*s); s++)
					buf_addc(&b, *s);
			}
			return b.len ? buf_detach(&b) : (buf_free(&b), NULL);
		}
		/* Past this parameter, quotes and all. */
		for (; *p && *p != ';'; p++)
			if (*p == '"')
				for (p++; *p && *p != '"'; p++)
					if (*p == '\\' && p[1])
						p++;
		p = *p == ';' ? p : NULL;
	}
	return NULL;
}

/* The value without its "type;" (rfc822; dns; smtp;), trimmed. */
static const char *
typed_value(const char *v, size_t *len)
{
	const char *semi = strchr(v, ';'), *end;

	if (semi != NULL)
		v = semi + 1;
	while (isspace((unsigned char)*v))
		v++;
	for (end = v + strlen(v); end > v && isspace((unsigned char)end[-1]);
	    end--)
		;
	*len = (size_t)(end - v);
	return v;
}

/* An address as a report writes it, normalized when it can be. */
static char *
rp_address(const char *v, int typed)
{
	char norm[NORM_EMAIL_MAX + 1], *a = NULL, *dn = NULL, *s;
	size_t len;

	if (v == NULL)
		return NULL;
	if (typed) {
		v = typed_value(v, &len);
		s = xstrndup(v, len);
	} else {
		s = xstrdup(v);
	}
	if (addr_first(s, &a, &dn) == 0 &&
	    norm_email(a, norm, sizeof(norm), NULL) == LG_OK) {
		free(s);
		s = xstrdup(norm);
	} else if (*s == '\0' || strcmp(s, "<>") == 0) {
		free(s);
		s = NULL;
	}
	free(a);
	free(dn);
	return s;
}

/* Text with its runs of white space as one space, trimmed. */
static char *
squeezed(const char *v, size_t len)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < len; i++) {
		if (isspace((unsigned char)v[i])) {
			if (b.len > 0 && b.data[b.len - 1] != ' ')
				buf_addc(&b, ' ');
		} else {
			buf_addc(&b, v[i]);
		}
	}
	if (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	return b.len ? buf_detach(&b) : (buf_free(&b), NULL);
}

static char *
text_of(const char *v)
{
	return v ? squeezed(v, strlen(v)) : NULL;
}

static char *
typed_text(const char *v)
{
	size_t len;

	if (v == NULL)
		return NULL;
	v = typed_value(v, &len);
	return squeezed(v, len);
}

/* The first word of v, lower case ("failed (bad address)" -> "failed"). */
static char *
first_word(const char *v)
{
	size_t n = 0, i;
	char *s;

	if (v == NULL)
		return NULL;
	while (isspace((unsigned char)*v))
		v++;
	while (v[n] && !isspace((unsigned char)v[n]) && v[n] != '(' &&
	    v[n] != ';')
		n++;
	if (n == 0)
		return NULL;
	s = xstrndup(v, n);
	for (i = 0; i < n; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	return s;
}

/* The first "D.D.D" status code in text (RFC 3463), or NULL. */
static char *
status_code(const char *v)
{
	const char *p, *q;
	int dots, digits;

	for (p = v; p && *p; p++) {
		if ((*p != '2' && *p != '4' && *p != '5') ||
		    (p > v && (isalnum((unsigned char)p[-1]) || p[-1] == '.')))
			continue;
		for (q = p + 1, dots = 0, digits = 1; *q; q++) {
			if (*q == '.' && digits > 0 && dots < 2) {
				dots++;
				digits = 0;
			} else if (isdigit((unsigned char)*q) && digits < 3 &&
			    (dots > 0)) {
				digits++;
			} else {
				break;
			}
		}
		if (dots == 2 && digits > 0 && !isalnum((unsigned char)*q) &&
		    *q != '.')
			return xstrndup(p, (size_t)(q - p));
	}
	return NULL;
}

static enum report_verdict
dsn_verdict(const char *action, const char *status)
{
	char cls = status ? status[0] : '\0';
	size_t i;

	for (i = 0; action != NULL && i < NELEM(actions); i++) {
		if (strcmp(action, actions[i].name) != 0)
			continue;
		if (!actions[i].use_status)
			return actions[i].verdict;
		return cls == '4' ? REPORT_SOFT : REPORT_HARD;
	}
	/* No Action, or an unknown one: the status class decides. */
	return cls == '5' ? REPORT_HARD : cls == '4' ? REPORT_SOFT :
	    REPORT_NOTHING;
}

static struct report_rcpt *
rcpt_add(struct report *r)
{
	r->rcpts = xreallocarray(r->rcpts, r->nrcpts + 1, sizeof(*r->rcpts));
	memset(&r->rcpts[r->nrcpts], 0, sizeof(*r->rcpts));
	return &r->rcpts[r->nrcpts++];
}

static void
set_once(char **dst, char *v)
{
	if (*dst == NULL)
		*dst = v;
	else
		free(v);
}

/* One per-recipient block of a DSN. */
static void
dsn_recipient(struct rp *rp, const struct mail_header *h, size_t n)
{
	struct report_rcpt *x;

	if (field(h, n, "Final-Recipient") == NULL &&
	    field(h, n, "Original-Recipient") == NULL &&
	    field(h, n, "Action") == NULL && field(h, n, "Status") == NULL)
		return;
	x = rcpt_add(rp->r);
	x->final_rcpt = rp_address(field(h, n, "Final-Recipient"), 1);
	x->original_rcpt = rp_address(field(h, n, "Original-Recipient"), 1);
	x->action = first_word(field(h, n, "Action"));
	x->status = status_code(field(h, n, "Status"));
	x->diagnostic = typed_text(field(h, n, "Diagnostic-Code"));
	x->remote_mta = typed_text(field(h, n, "Remote-MTA"));
	x->verdict = dsn_verdict(x->action, x->status);
}

/* message/delivery-status: a per-message block, then one per recipient. */
static void
rp_dsn(struct rp *rp, const char *body, size_t len)
{
	struct mail_header *h;
	size_t off = 0, n, next;
	int block;

	rp->saw_dsn = 1;
	for (block = 0; off < len && block <= RP_BLOCKS; block++) {
		while (off < len && (body[off] == '\n' || body[off] == '\r'))
			off++;
		if (off >= len ||
		    rp_fields(body + off, len - off, &h, &n, &next) != LG_OK)
			break;
		if (block == 0) {
			set_once(&rp->r->reporter, typed_text(field(h, n,
			    "Reporting-MTA")));
			set_once(&rp->r->orig_return_path,
			    rp_address(field(h, n, "X-Postfix-Sender"), 1));
		}
		/* Some write the first recipient into the first block. */
		dsn_recipient(rp, h, n);
		header_free(h, n);
		if (next == 0) {
			/* A line that is no field: past it, to the next. */
			while (off < len && body[off] != '\n')
				off++;
			next = 1;
		}
		off += next;
	}
}

static enum report_verdict
arf_verdict(const char *type)
{
	size_t i;

	for (i = 0; i < NELEM(feedback_types); i++)
		if (strcmp(type, feedback_types[i].name) == 0)
			return feedback_types[i].verdict;
	return REPORT_COMPLAINT;
}

/* message/feedback-report: one block of fields. */
static void
rp_arf(struct rp *rp, const char *body, size_t len)
{
	struct report *r = rp->r;
	struct report_rcpt *x;
	struct mail_header *h;
	size_t n, next;

	rp->saw_arf = 1;
	while (len > 0 && (*body == '\n' || *body == '\r'))
		body++, len--;
	if (r->feedback_type != NULL ||
	    rp_fields(body, len, &h, &n, &next) != LG_OK)
		return;
	r->feedback_type = first_word(field(h, n, "Feedback-Type"));
	set_once(&r->reporter, typed_text(field(h, n, "Reporting-MTA")));
	set_once(&r->reporter, text_of(field(h, n, "User-Agent")));
	set_once(&r->orig_return_path, rp_address(field(h, n,
	    "Original-Mail-From"), 0));
	if (r->feedback_type != NULL) {
		x = rcpt_add(r);
		x->original_rcpt = rp_address(field(h, n, "Original-Rcpt-To"),
		    0);
		x->action = xstrdup(r->feedback_type);
		x->verdict = arf_verdict(r->feedback_type);
	}
	header_free(h, n);
}

/* message/rfc822 or text/rfc822-headers: the header of our message. */
static void
rp_original(struct rp *rp, const char *body, size_t len)
{
	struct report *r = rp->r;
	struct mail_header *h;
	const char *v, *lt, *gt;
	size_t n, next;

	if (r->orig_message_id != NULL || r->orig_to != NULL)
		return;		/* the first returned message only */
	while (len > 0 && (*body == '\n' || *body == '\r'))
		body++, len--;
	if (rp_fields(body, len, &h, &n, &next) != LG_OK)
		return;
	if ((v = field(h, n, "Message-ID")) != NULL &&
	    (lt = strchr(v, '<')) != NULL && (gt = strchr(lt, '>')) != NULL &&
	    gt > lt + 1)
		r->orig_message_id = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	/* Ours, put first by the bouncing MTA: over X-Postfix-Sender. */
	if ((v = field(h, n, "Return-Path")) != NULL) {
		free(r->orig_return_path);
		r->orig_return_path = rp_address(v, 0);
	}
	r->orig_to = rp_address(field(h, n, "To"), 0);
	header_free(h, n);
}

static void rp_body(struct rp *, const char *, size_t, int);

/* The parts of a multipart between its boundary lines. */
static void
rp_multipart(struct rp *rp, const char *b, size_t len, const char *bound,
    int depth)
{
	size_t blen = strlen(bound), off = 0, next, start = 0, end, k;
	const char *nl;
	int in = 0, close;

	for (; off < len; off = next) {
		nl = memchr(b + off, '\n', len - off);
		next = nl ? (size_t)(nl - b) + 1 : len;
		if (next - off < 2 + blen || b[off] != '-' ||
		    b[off + 1] != '-' || memcmp(b + off + 2, bound, blen) != 0)
			continue;
		k = off + 2 + blen;
		close = k + 1 < next && b[k] == '-' && b[k + 1] == '-';
		for (k += close ? 2 : 0; k < next && isspace((unsigned char)
		    b[k]); k++)
			;
		if (k < next)
			continue;	/* a longer boundary: not ours */
		if (in) {
			end = off;
			if (end > start && b[end - 1] == '\n')
				end--;
			if (end > start && b[end - 1] == '\r')
				end--;
			rp_body(rp, b + start, end - start, depth);
		}
		if (close)
			return;
		in = 1;
		start = next;
	}
	if (in && start < len)
		rp_body(rp, b + start, len - start, depth);
}

static const struct {
	const char *type;
	void (*fn)(struct rp *, const char *, size_t);
} part_kinds[] = {
	{ "message/delivery-status", rp_dsn },
	{ "message/global-delivery-status", rp_dsn },
	{ "message/feedback-report", rp_arf },
	{ "message/rfc822", rp_original },
	{ "message/global", rp_original },
	{ "text/rfc822-headers", rp_original },
	{ "message/rfc822-headers", rp_original },
	{ "message/global-headers", rp_original },
};

/* One entity: its header, its decoded body, what kind it is. */
static void
rp_body(struct rp *rp, const char *p, size_t len, int depth)
{
	struct mail_header *h = NULL;
	struct buf dec = BUF_INIT;
	char *type, *bound, *cte;
	size_t n = 0, body = 0, i;
	enum cte enc = CTE_IDENTITY;

	if (++rp->nparts > RP_PARTS)
		return;
	if (rp_fields(p, len, &h, &n, &body) != LG_OK)
		return;
	type = ct_type(field(h, n, "Content-Type"));
	cte = first_word(field(h, n, "Content-Transfer-Encoding"));
	if (cte != NULL && strcmp(cte, "base64") == 0)
		enc = CTE_BASE64;
	else if (cte != NULL && strcmp(cte, "quoted-printable") == 0)
		enc = CTE_QP;
	if (type != NULL && strncmp(type, "multipart/", 10) == 0) {
		bound = ct_param(field(h, n, "Content-Type"), "boundary");
		if (bound != NULL && depth < RP_DEPTH)
			rp_multipart(rp, p + body, len - body, bound,
			    depth + 1);
		free(bound);
	} else if (type != NULL) {
		for (i = 0; i < NELEM(part_kinds); i++)
			if (strcmp(type, part_kinds[i].type) == 0)
				break;
		if (i < NELEM(part_kinds)) {
			cte_decode(enc, p + body, len - body, &dec);
			part_kinds[i].fn(rp, buf_str(&dec), dec.len);
		}
	}
	buf_free(&dec);
	free(cte);
	free(type);
	header_free(h, n);
}

static int
is_bounce_sender(const struct mail *m)
{
	const char *a = m->from_addr, *at;
	size_t i, n;

	if (a == NULL || (at = strchr(a, '@')) == NULL)
		return 0;
	n = (size_t)(at - a);
	for (i = 0; i < NELEM(bounce_senders); i++)
		if (strlen(bounce_senders[i]) == n &&
		    strncasecmp(a, bounce_senders[i], n) == 0)
			return 1;
	return 0;
}

static int
is_bounce_subject(const struct mail *m)
{
	size_t i;

	for (i = 0; m->subject != NULL && i < NELEM(bounce_subjects); i++)
		if (strncasecmp(m->subject, bounce_subjects[i],
		    strlen(bounce_subjects[i])) == 0)
			return 1;
	return 0;
}

static enum report_type
report_type_of(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < NELEM(report_types); i++)
		if (strcasecmp(name, report_types[i].name) == 0)
			return report_types[i].type;
	return REPORT_NONE;
}

enum report_type
report_detect(const struct mail *m)
{
	const char *ct = mail_header(m, "Content-Type");
	char *type = ct_type(ct), *rt = NULL;
	enum report_type t = REPORT_NONE;
	size_t i;

	if (type != NULL && strcmp(type, "multipart/report") == 0 &&
	    (rt = ct_param(ct, "report-type")) != NULL)
		t = report_type_of(rt);
	free(type);
	free(rt);
	for (i = 0; t == REPORT_NONE && i < m->nparts; i++)
		t = report_type_of(m->parts[i].content_type);
	if (t == REPORT_NONE && is_bounce_sender(m) && is_bounce_subject(m))
		t = REPORT_BOUNCE;
	return t;
}

/* Addresses of one header value, each once, up to RP_TO in all. */
static int
to_add(const char *a, void *arg)
{
	struct report *r = arg;
	char norm[NORM_EMAIL_MAX + 1];
	size_t i;

	if (r->nto >= RP_TO || norm_email(a, norm, sizeof(norm), NULL) != LG_OK)
		return 0;
	for (i = 0; i < r->nto; i++)
		if (strcmp(r->to[i], norm) == 0)
			return 0;
	r->to = xreallocarray(r->to, r->nto + 1, sizeof(*r->to));
	r->to[r->nto++] = xstrdup(norm);
	return 0;	/* never taken: addr_scan goes on to the next */
}

static void
report_delivered_to(const struct mail *m, struct report *r)
{
	size_t i, k;

	for (i = 0; i < NELEM(delivered_to); i++)
		for (k = 0; k < m->nheaders; k++)
			if (strcasecmp(m->headers[k].name,
			    delivered_to[i]) == 0)
				free(addr_scan(m->headers[k].value, to_add, r));
}

/*
 * A notice that quotes the message in its text (qmail's "Below this line
 * is a copy of the message."): the header block holding its Message-ID.
 */
static void
report_inline_original(struct rp *rp, const char *text)
{
	const char *p, *start;

	if (text == NULL || rp->r->orig_message_id != NULL ||
	    (p = strcasestr(text, "\nMessage-ID:")) == NULL)
		return;
	/* Back to the empty line before that block. */
	for (start = p; start > text + 1 && !(start[-1] == '\n' &&
	    start[-2] == '\n'); start--)
		;
	rp_original(rp, start, strlen(start));
}

/* A MAILER-DAEMON notice: one recipient, from its text and the original. */
static void
report_bounce(struct rp *rp, const struct mail *m)
{
	struct report *r = rp->r;
	struct report_rcpt *x;
	int delay = m->subject != NULL && strcasestr(m->subject, "delay");

	report_inline_original(rp, m->text);
	x = rcpt_add(r);
	x->final_rcpt = r->orig_to ? xstrdup(r->orig_to) : NULL;
	x->status = status_code(m->text);
	if (x->status == NULL)
		x->status = xstrdup(delay ? "4.0.0" : "5.0.0");
	x->action = xstrdup(delay ? "delayed" : "failed");
	x->verdict = dsn_verdict(x->action, x->status);
	set_once(&r->reporter, m->from_addr ? xstrdup(m->from_addr) : NULL);
}

/* The raw message after an mbox "From " line, as mail_parse() reads it. */
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
report_check(struct rp *rp, enum report_type detected, struct err *e)
{
	struct report *r = rp->r;

	r->type = rp->saw_arf ? REPORT_ARF : rp->saw_dsn ? REPORT_DSN :
	    detected;
	if (r->type == REPORT_ARF && r->feedback_type == NULL)
		return err_set(e, LG_EPERM, "complaint report (ARF) without a "
		    "Feedback-Type");
	if (r->type == REPORT_DSN && !rp->saw_dsn)
		return err_set(e, LG_EPERM, "delivery status notification "
		    "without its message/delivery-status part");
	if (r->type == REPORT_DSN && r->nrcpts == 0)
		return err_set(e, LG_EPERM, "delivery status notification "
		    "without a recipient (Final-Recipient, Action, Status)");
	return LG_OK;
}

int
report_parse(const struct mail *m, const char *raw, size_t len,
    struct report **out, struct err *e)
{
	enum report_type detected = report_detect(m);
	size_t skip = skip_envelope(raw, len);
	struct rp rp;
	int rc;

	*out = NULL;
	if (detected == REPORT_NONE)
		return err_set(e, LG_ENOENT, "not a report");
	memset(&rp, 0, sizeof(rp));
	rp.r = xcalloc(1, sizeof(*rp.r));
	rp_body(&rp, raw + skip, len - skip, 0);
	if (detected == REPORT_BOUNCE && !rp.saw_dsn && !rp.saw_arf)
		report_bounce(&rp, m);
	if ((rc = report_check(&rp, detected, e)) != LG_OK) {
		report_free(rp.r);
		return rc;
	}
	set_once(&rp.r->reporter, m->from_addr ? xstrdup(m->from_addr) : NULL);
	report_delivered_to(m, rp.r);
	*out = rp.r;
	return LG_OK;
}

void
report_free(struct report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nrcpts; i++) {
		free(r->rcpts[i].final_rcpt);
		free(r->rcpts[i].original_rcpt);
		free(r->rcpts[i].action);
		free(r->rcpts[i].status);
		free(r->rcpts[i].diagnostic);
		free(r->rcpts[i].remote_mta);
	}
	free(r->rcpts);
	for (i = 0; i < r->nto; i++)
		free(r->to[i]);
	free(r->to);
	free(r->reporter);
	free(r->feedback_type);
	free(r->orig_message_id);
	free(r->orig_return_path);
	free(r->orig_to);
	free(r);
}

static json_t *
jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *
report_to_json(const struct report *r)
{
	json_t *o = json_object(), *a = json_array(), *x;
	size_t i;

	json_object_set_new(o, "type", json_string(report_type_name(r->type)));
	json_object_set_new(o, "reporter", jstr(r->reporter));
	json_object_set_new(o, "feedback_type", jstr(r->feedback_type));
	for (i = 0; i < r->nto; i++)
		json_array_append_new(a, json_string(r->to[i]));
	json_object_set_new(o, "delivered_to", a);
	x = json_object();
	json_object_set_new(x, "message_id", jstr(r->orig_message_id));
	json_object_set_new(x, "return_path", jstr(r->orig_return_path));
	json_object_set_new(x, "to", jstr(r->orig_to));
	json_object_set_new(o, "original", x);
	a = json_array();
	for (i = 0; i < r->nrcpts; i++) {
		x = json_object();
		json_object_set_new(x, "final_recipient",
		    jstr(r->rcpts[i].final_rcpt));
		json_object_set_new(x, "original_recipient",
		    jstr(r->rcpts[i].original_rcpt));
		json_object_set_new(x, "action", jstr(r->rcpts[i].action));
		json_object_set_new(x, "status", jstr(r->rcpts[i].status));
		json_object_set_new(x, "diagnostic",
		    jstr(r->rcpts[i].diagnostic));
		json_object_set_new(x, "remote_mta",
		    jstr(r->rcpts[i].remote_mta));
		json_object_set_new(x, "verdict", json_string(
		    report_verdict_name(r->rcpts[i].verdict)));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "recipients", a);
	return o;
}
