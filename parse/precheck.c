/*
 * Raw-byte checks before libetpan. Two passes: the first is plain C over
 * lines (header-looking runs, comment nesting, boundary-looking lines)
 * and bounds everything the second relies on; the second hands every
 * Content-Type value to the same libetpan functions that the real parse
 * will use and looks at the boundary they produce, so that the check
 * sees exactly what the library will see (RFC 2047 words included).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "util/err.h"
#include "parse/precheck.h"

#define CT_VALUE_MAX	(16u << 10)
#define CT_TOO_MANY	"more than %zu Content-Type fields: too many or too " \
			"deeply nested MIME parts"

struct scan {
	const char *raw;
	size_t len;
	const struct mail_limits *lim;
	size_t fields;		/* header-looking lines in all */
	size_t run;		/* in the current run of them */
	size_t field_len;	/* bytes of the current field, unfolded */
	size_t dashes;		/* lines starting with "--" */
	size_t ctypes;		/* Content-Type field lines */
	int depth;		/* comment nesting in the current field */
	int quoted;
	int in_run;
	size_t lineno;
	struct err *e;
};

/* A header field line: ftext name, optional white space, colon. */
static int
field_line(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && s[i] > ' ' && s[i] < 0x7f && s[i] != ':'; i++)
		;
	if (i == 0)
		return 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < len && s[i] == ':';
}

static int
parens(struct scan *sc, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\') {
			i++;
		} else if (s[i] == '"' && sc->depth == 0) {
			sc->quoted = !sc->quoted;
		} else if (sc->quoted) {
			continue;
		} else if (s[i] == '(') {
			if (++sc->depth > PRECHECK_PAREN_MAX)
				return err_set(sc->e, LG_EPERM, "line %zu: header "
				    "comments nested deeper than %d",
				    sc->lineno, PRECHECK_PAREN_MAX);
		} else if (s[i] == ')' && sc->depth > 0) {
			sc->depth--;
		}
	}
	return LG_OK;
}

static int
line(struct scan *sc, const char *s, size_t len)
{
	const struct mail_limits *lim = sc->lim;

	if (len >= 2 && s[0] == '-' && s[1] == '-' &&
	    ++sc->dashes > lim->max_parts * 4)
		return err_set(sc->e, LG_EPERM, "more than %zu lines start "
		    "with \"--\": too many MIME parts", lim->max_parts * 4);
	if (sc->in_run && len > 0 && (s[0] == ' ' || s[0] == '\t')) {
		sc->field_len += len;
	} else if (field_line(s, len)) {
		sc->in_run = 1;
		sc->field_len = len;
		sc->depth = 0;
		sc->quoted = 0;
		if (len >= 12 && strncasecmp(s, "content-type", 12) == 0 &&
		    ++sc->ctypes > lim->max_parts)
			return err_set(sc->e, LG_EPERM, CT_TOO_MANY,
			    lim->max_parts);
		if (++sc->run > lim->max_headers)
			return err_set(sc->e, LG_EPERM, "line %zu: more than %zu "
			    "header fields in one header block", sc->lineno,
			    lim->max_headers);
		if (++sc->fields > lim->max_headers * PRECHECK_FIELDS_FACTOR)
			return err_set(sc->e, LG_EPERM, "more than %zu header "
			    "fields in the message", lim->max_headers *
			    PRECHECK_FIELDS_FACTOR);
	} else {
		sc->in_run = 0;
		sc->run = 0;
		return LG_OK;
	}
	if (sc->field_len > PRECHECK_FIELD_MAX)
		return err_set(sc->e, LG_EPERM, "line %zu: a header field "
		    "longer than %u bytes", sc->lineno, PRECHECK_FIELD_MAX);
	return parens(sc, s, len);
}

static int
lines(struct scan *sc)
{
	const char *p = sc->raw, *end = sc->raw + sc->len, *nl;
	size_t n;
	int rc;

	for (sc->lineno = 1; p < end; sc->lineno++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl ? nl : end) - p);
		if ((rc = line(sc, p, n > 0 && p[n - 1] == '\r' ? n - 1 : n)) !=
		    LG_OK)
			return rc;
		p = nl ? nl + 1 : end;
	}
	return LG_OK;
}

/* Case-insensitive search for a lower-case ASCII needle. */
static const char *
find_ci(const char *s, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	const char *p;

	for (p = s; (size_t)(end - p) >= n; p++)
		if ((*p | 0x20) == needle[0] && strncasecmp(p, needle, n) == 0)
			return p;
	return NULL;
}

/* The end of the (folded) field value starting at v. */
static const char *
value_end(const char *v, const char *end)
{
	const char *nl;

	while ((nl = memchr(v, '\n', (size_t)(end - v))) != NULL) {
		if (nl + 1 < end && (nl[1] == ' ' || nl[1] == '\t')) {
			v = nl + 1;
			continue;
		}
		return nl;
	}
	return end;
}

static int
is_multipart(const struct mailmime_content *ct)
{
	return ct->ct_type != NULL &&
	    ct->ct_type->tp_type == MAILMIME_TYPE_COMPOSITE_TYPE &&
	    ct->ct_type->tp_data.tp_composite_type != NULL &&
	    ct->ct_type->tp_data.tp_composite_type->ct_type ==
	    MAILMIME_COMPOSITE_TYPE_MULTIPART;
}

/*
 * Parse the value as mailmime_field_parse() does (RFC 2047 decoding
 * first, then the content syntax) and judge its boundary.
 */
static int
judge(const char *v, size_t len, int at_line_start, struct err *e)
{
	struct mailmime_content *ct = NULL;
	char *dec = NULL, *b;
	size_t i = 0;
	int rc = LG_OK;

	if (mailmime_encoded_phrase_parse("us-ascii", v, len, &i, "utf-8",
	    &dec) != MAILIMF_NO_ERROR)
		dec = NULL;
	i = 0;
	if (mailmime_content_parse(dec ? dec : v, dec ? strlen(dec) : len, &i,
	    &ct) != MAILIMF_NO_ERROR) {
		free(dec);
		return LG_OK;
	}
	b = mailmime_content_param_get(ct, "boundary");
	if (b != NULL && b[0] == '"')
		rc = err_set(e, LG_EPERM, "a boundary parameter starting with "
		    "a quote (crashes the MIME parser)");
	else if (is_multipart(ct) && b != NULL && b[0] == '\0')
		rc = err_set(e, LG_EPERM, "multipart/%s with an empty boundary",
		    ct->ct_subtype ? ct->ct_subtype : "?");
	else if (is_multipart(ct) && b == NULL && at_line_start)
		rc = err_set(e, LG_EPERM, "multipart/%s without a boundary",
		    ct->ct_subtype ? ct->ct_subtype : "?");
	mailmime_content_free(ct);
	free(dec);
	return rc;
}

/*
 * Every "Content-Type:" anywhere (not only at line starts: what the
 * library takes for a header is its business, the check must cover it).
 */
static int
content_types(const char *raw, size_t len, const struct mail_limits *lim,
    size_t *count, struct err *e)
{
	const char *p = raw, *end = raw + len, *v, *ve;
	int start;

	*count = 0;
	while ((p = find_ci(p, end, "content-type")) != NULL) {
		start = p == raw || p[-1] == '\n' || p[-1] == '\r';
		for (v = p + 12; v < end && (*v == ' ' || *v == '\t'); v++)
			;
		p += 12;
		if (v >= end || *v != ':')
			continue;
		if (++*count > lim->max_parts)
			return err_set(e, LG_EPERM, CT_TOO_MANY, lim->max_parts);
		ve = value_end(++v, end);
		if ((size_t)(ve - v) > CT_VALUE_MAX)
			return err_set(e, LG_EPERM, "a Content-Type field longer "
			    "than %u bytes", CT_VALUE_MAX);
		if (judge(v, (size_t)(ve - v), start, e) != LG_OK)
			return LG_EPERM;
	}
	return LG_OK;
}

int
precheck_raw(const char *raw, size_t len, const struct mail_limits *lim,
    size_t *ctypes, struct err *e)
{
	struct scan sc;
	int rc;

	memset(&sc, 0, sizeof(sc));
	sc.raw = raw;
	sc.len = len;
	sc.lim = lim;
	sc.e = e;
	*ctypes = 0;
	if ((rc = lines(&sc)) != LG_OK)
		return rc;
	return content_types(raw, len, lim, ctypes, e);
}
