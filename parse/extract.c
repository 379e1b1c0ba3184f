/*
 * The extractor table, detection, and what every extraction ends with:
 * fields trimmed, empty ones absent, the prospect's address checked once
 * more, the custom object serialised.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"
#include "parse/addr.h"
#include "parse/adf.h"
#include "parse/mail_types.h"
#include "parse/extract.h"
#include "parse/extractor.h"
#include "parse/forward.h"
#include "parse/generic.h"
#include "parse/inquiry.h"
#include "parse/openimmo.h"
#include "parse/parse_data.h"
#include "parse/portal.h"
#include "parse/profile.h"

#define MESSAGE_MAX	(64u << 10)

/*
 * Structured formats first: an XML attachment says more than any text.
 * The portal profiles come between adf and generic (portal.h).
 */
static const struct extractor {
	const char *name;
	int (*detect)(const struct mail *, const char *);
	int (*extract)(struct extract_ctx *, const char *);
} extractors[] = {
	{ "openimmo", openimmo_detect, openimmo_extract },
	{ "adf", adf_detect, adf_extract },
	{ "generic", NULL, generic_extract },
};

#define NEXTRACTORS (sizeof(extractors) / sizeof(extractors[0]))

/* The string fields that get trimmed when an extraction is done. */
static const char *const string_fields[] = {
	"portal", "salutation", "first_name", "last_name", "company", "email",
	"street", "postcode", "city", "language", "message", "object_ref",
	"portal_object_ref", "portal_ref", "forwarded_by",
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
extract_known(const struct parse_data *pd, const char *name)
{
	return name != NULL && (find(name) != NULL || (pd != NULL &&
	    parse_data_profile_named(pd, name) != NULL));
}

const char *
extract_name(size_t i)
{
	return i < NEXTRACTORS ? extractors[i].name : NULL;
}

/* A structured format, else a profile (*p), else generic. */
static const struct extractor *
detect(const struct parse_data *pd, const struct mail *m,
    const struct profile **p)
{
	size_t i;

	*p = NULL;
	for (i = 0; i < NEXTRACTORS; i++)
		if (extractors[i].detect != NULL &&
		    extractors[i].detect(m, NULL))
			return &extractors[i];
	*p = portal_match(pd, m, NULL);
	return find("generic");
}

/*
 * m is an agent's forward of another mail, and that mail is not the
 * agency's own: a reply that quotes the agency's message under an
 * Outlook-style header block looks like a forward whose original comes
 * from the agency's domain (mail.own_domains or the domain the reply
 * went to). Then the outer mail is the prospect's, and it is read as
 * itself. So is a prospect's forward of her own copy of a portal's mail
 * (its original went to the address the forward comes from, which is
 * not the agency's), with a note on top: she is no agent. An agent's
 * forward of a lead sent to him names someone else in it (a Reply-To,
 * an address in its text): then he is the agent after all.
 */
static int
other_address(const char *addr, void *arg)
{
	const char *const *own = arg;

	return strcasecmp(addr, own[0]) != 0 &&
	    (own[1] == NULL || !addr_domain_is(addr, own[1]));
}

static int
own_copy(const struct extract_env *env, const struct mail *m,
    const struct forward *fw)
{
	const struct mail *o = fw->orig;
	const char *at, *own[2];
	char *to = NULL, *dn = NULL, *other = NULL;
	int mine;

	if (m->from_addr == NULL || o->to == NULL ||
	    (at = strrchr(m->from_addr, '@')) == NULL ||
	    addr_agency_domain(env->own_domains, m->to, at + 1) ||
	    addr_first(o->to, &to, &dn) != 0)
		return 0;
	mine = strcasecmp(to, m->from_addr) == 0 &&
	    (o->reply_to_addr == NULL ||
	    strcasecmp(o->reply_to_addr, to) == 0);
	if (mine && o->text != NULL) {
		own[0] = to;
		own[1] = o->from_addr != NULL &&
		    (at = strrchr(o->from_addr, '@')) != NULL ?
		    addr_registered(at + 1) : NULL;
		other = addr_scan(o->text, other_address, (void *)own);
		mine = other == NULL;
	}
	free(other);
	free(to);
	free(dn);
	return mine;
}

static int
forward_of_other(const struct extract_env *env, const struct mail *m,
    struct forward *fw, int *agency_quoted)
{
	const char *a, *at;

	*agency_quoted = 0;
	if (!forward_find(env->data, m, fw))
		return 0;
	a = fw->orig->from_addr;
	if (a != NULL && (at = strrchr(a, '@')) != NULL &&
	    addr_agency_domain(env->own_domains, m->to, at + 1)) {
		forward_clear(fw);
		*agency_quoted = 1;
		return 0;
	}
	if (own_copy(env, m, fw)) {
		forward_clear(fw);
		*agency_quoted = 1;
		return 0;
	}
	return 1;
}

const char *
extract_detect(const struct extract_env *env, const struct mail *m)
{
	const struct extractor *ex;
	const struct profile *p;
	struct forward fw;
	int quoted;

	/* A forward is what its original is. */
	if (forward_of_other(env, m, &fw, &quoted))
		m = fw.orig;
	ex = detect(env->data, m, &p);
	forward_clear(&fw);
	return p != NULL ? p->name : ex->name;
}

const char *
extract_portal_of(const struct parse_data *pd, const char *addr)
{
	const struct profile *p;

	if ((p = parse_data_domain(pd, addr, NULL)) == NULL)
		p = parse_data_relay(pd, addr);
	return p ? p->display : NULL;
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

	if (x->q->email == NULL)
		return;
	if (!addr_valid(x->q->email)) {
		extractor_custom(x, "email_given", x->q->email);
		a = addr_scan(x->q->email, NULL, NULL);
		inquiry_set(x->q, "email", a);
		free(a);
	}
	/* Never a relay's, a machine's or our own, whoever found it. */
	if (x->q->email != NULL && !extractor_usable(x, x->q->email))
		inquiry_set(x->q, "email", NULL);
}

static void
finish(struct extract_ctx *x, const char *name)
{
	struct inquiry *q = x->q;
	const char *v;
	char *raw, *clean;
	json_t *mark;
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
	mark = extractor_mark(x);
	inquiry_settle(q, x->p != NULL && *x->p->country ? x->p->country :
	    NULL);
	extractor_marked(x, mark, "settled: address split by country "
	    "(postal.h), the prospect's country by the portal's, the "
	    "postcode's, the numbers' (phone.h)");
	inquiry_set(q, "extractor", name);
	if (x->aside.len > 0)
		xstrset(&q->set_aside, buf_str(&x->aside));
	if (json_object_size(x->custom) > 0) {
		free(q->custom);
		q->custom = json_dumps(x->custom, JSON_COMPACT);
	}
}

static int
unknown(const char *name, struct err *e)
{
	char list[256] = "";
	size_t i;

	for (i = 0; i < NEXTRACTORS; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s, ", extractors[i].name);
	return err_set(e, LG_EPERM, "unknown extractor '%s' (known: %sand "
	    "the portal profiles, leadgate portals list)", name, list);
}

int
extract_run(const struct extract_env *env, const char *name,
    const struct mail *m, struct inquiry **out, struct err *e)
{
	const struct extractor *ex;
	const struct profile *p = NULL;
	struct extract_ctx x;
	struct forward fw;
	int quoted;
	json_t *mark;
	int rc;

	*out = NULL;
	/* A forward is read as its original would be, the agent noted. */
	if (forward_of_other(env, m, &fw, &quoted))
		m = fw.orig;
	if (name == NULL)
		ex = detect(env->data, m, &p);
	else if ((ex = find(name)) == NULL &&
	    (p = parse_data_profile_named(env->data, name)) == NULL) {
		forward_clear(&fw);
		return unknown(name, e);
	}
	else if (ex == NULL)
		ex = find("generic");
	memset(&x, 0, sizeof(x));
	x.env = env;
	x.pd = env->data;
	x.m = m;
	x.p = p;
	x.q = inquiry_new();
	x.custom = json_object();
	x.agency_quoted = quoted;
	x.e = e;
	mark = p == NULL && strcmp(ex->name, "generic") != 0 ?
	    extractor_mark(&x) : NULL;
	rc = p != NULL ? portal_extract(&x) : ex->extract(&x, NULL);
	extractor_marked(&x, mark, "the %s extractor", ex->name);
	if (rc != LG_OK) {
		inquiry_free(x.q);
		json_decref(x.custom);
		buf_free(&x.aside);
		forward_clear(&fw);
		return rc;
	}
	if (fw.orig != NULL) {
		inquiry_set(x.q, "forwarded_by", fw.by);
		extractor_note(&x, "forwarded_by", fw.by, "the outer From of "
		    "a forward, the original read as if it came directly,",
		    fw.how);
	}
	/* finish() still reads the original (x.m), freed with fw. */
	finish(&x, p != NULL ? p->name : ex->name);
	forward_clear(&fw);
	extractor_note(&x, "extractor", x.q->extractor, name != NULL ?
	    "named by the caller (a rule's extractor)" : p != NULL ?
	    "the profile the mail matches (sender domain, header, subject "
	    "or marker)" : "detection (a structured format, else generic)",
	    NULL);
	json_decref(x.custom);
	buf_free(&x.aside);
	*out = x.q;
	return LG_OK;
}
