/*
 * The extractor table, detection, and what every extraction ends with:
 * fields trimmed, empty ones absent, the custom object serialised.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/err.h"
#include "util/xmalloc.h"
#include "parse/addr.h"
#include "parse/adf.h"
#include "parse/extract.h"
#include "parse/extractor.h"
#include "parse/generic.h"
#include "parse/inquiry.h"
#include "parse/openimmo.h"
#include "parse/portal.h"
#include "parse/portals.h"

#define MESSAGE_MAX	(64u << 10)

/* Structured formats first: an XML attachment says more than any text. */
static const struct extractor {
	const char *name;
	int (*detect)(const struct mail *, const char *);
	int (*extract)(struct extract_ctx *, const char *);
	const char *arg;
} extractors[] = {
	{ "openimmo", openimmo_detect, openimmo_extract, NULL },
	{ "adf", adf_detect, adf_extract, NULL },
	{ "immoscout24", portal_detect, portal_extract, "immoscout24" },
	{ "immowelt", portal_detect, portal_extract, "immowelt" },
	{ "homegate", portal_detect, portal_extract, "homegate" },
	{ "seloger", portal_detect, portal_extract, "seloger" },
	{ "leboncoin", portal_detect, portal_extract, "leboncoin" },
	{ "generic", NULL, generic_extract, NULL },
};

#define NEXTRACTORS (sizeof(extractors) / sizeof(extractors[0]))

/* The string fields that get trimmed when an extraction is done. */
static const char *const string_fields[] = {
	"portal", "salutation", "first_name", "last_name", "company", "email",
	"street", "postcode", "city", "language", "message", "object_ref",
	"portal_object_ref", "portal_ref",
};

static const struct extractor *
find(const char *name)
{
	size_t i;

	for (i = 0; i < NEXTRACTORS; i++)
		if (strcmp(extractors[i].name, name) == 0)
			return &extractors[i];
	return NULL;
}

int
extract_known(const char *name)
{
	return name != NULL && find(name) != NULL;
}

const char *
extract_name(size_t i)
{
	return i < NEXTRACTORS ? extractors[i].name : NULL;
}

static const struct extractor *
detect(const struct mail *m)
{
	size_t i;

	for (i = 0; i < NEXTRACTORS; i++)
		if (extractors[i].detect != NULL &&
		    extractors[i].detect(m, extractors[i].arg))
			return &extractors[i];
	return find("generic");
}

const char *
extract_detect(const struct mail *m)
{
	return detect(m)->name;
}

const char *
extract_portal_of(const char *addr)
{
	return portals_of_address(addr);
}

static char *
trim(const char *s, size_t max)
{
	const char *end;
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	n = (size_t)(end - s);
	if (n > max) {
		/* Cut at a character boundary, not inside a UTF-8 sequence. */
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	return n > 0 ? xstrndup(s, n) : NULL;
}

/*
 * No control characters: a name or a reference must never carry a line
 * break into a header or a template (the message keeps its lines).
 */
static void
decontrol(char *s, int multiline)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 || *s == 0x7f) &&
		    !(multiline && (*s == '\n' || *s == '\t')))
			*s = ' ';
}

/* An address that is none goes to custom, not lost and not used. */
static void
check_email(struct extract_ctx *x)
{
	char *a;

	if (x->q->email == NULL || addr_valid(x->q->email))
		return;
	extractor_custom(x, "email_given", x->q->email);
	a = addr_scan(x->q->email, NULL, NULL);
	inquiry_set(x->q, "email", a);
	free(a);
}

static void
finish(struct extract_ctx *x, const char *name)
{
	struct inquiry *q = x->q;
	const char *v;
	char *raw, *clean;
	size_t i;
	int msg;

	for (i = 0; i < sizeof(string_fields) / sizeof(string_fields[0]); i++) {
		if ((v = inquiry_get(q, string_fields[i])) == NULL)
			continue;
		msg = strcmp(string_fields[i], "message") == 0;
		raw = xstrdup(v);
		decontrol(raw, msg);
		clean = trim(raw, msg ? MESSAGE_MAX : strlen(raw));
		inquiry_set(q, string_fields[i], clean);
		free(raw);
		free(clean);
	}
	for (i = 0; i < q->nphones; i++)
		decontrol(q->phones[i], 0);
	check_email(x);
	inquiry_settle(q, NULL);
	inquiry_set(q, "extractor", name);
	if (json_object_size(x->custom) > 0) {
		free(q->custom);
		q->custom = json_dumps(x->custom, JSON_COMPACT);
	}
}

int
extract_run(const char *name, const struct mail *m, struct inquiry **out,
    struct err *e)
{
	const struct extractor *ex;
	struct extract_ctx x;
	char list[256] = "";
	size_t i;
	int rc;

	*out = NULL;
	if (name == NULL) {
		ex = detect(m);
	} else if ((ex = find(name)) == NULL) {
		for (i = 0; i < NEXTRACTORS; i++)
			snprintf(list + strlen(list), sizeof(list) -
			    strlen(list), "%s%s", i ? ", " : "",
			    extractors[i].name);
		return err_set(e, LG_EPERM, "unknown extractor '%s' (known: %s)",
		    name, list);
	}
	x.m = m;
	x.q = inquiry_new();
	x.custom = json_object();
	x.e = e;
	if ((rc = ex->extract(&x, ex->arg)) != LG_OK) {
		inquiry_free(x.q);
		json_decref(x.custom);
		return rc;
	}
	finish(&x, ex->name);
	json_decref(x.custom);
	*out = x.q;
	return LG_OK;
}
