/* Unsubscribe requests by mail (see unsub_mail.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "util/norm.h"
#include "outbound/unsub_mail.h"
#include "parse/addr.h"
#include "parse/mail.h"

#define MAX_HEADERS 32

static const char *const to_headers[] = { "To", "Cc", "Delivered-To" };

/* The bare, normalized address of a setting like "Name <a@b>"; 0 if none. */
static int
setting_addr(const char *value, char *out, size_t len)
{
	char *addr = NULL, *name = NULL;
	int rc = -1;

	if (value && *value && addr_first(value, &addr, &name) == 0)
		rc = norm_email(addr, out, len, NULL);
	free(addr);
	free(name);
	return rc == LG_OK;
}

static int
is_addr(const char *found, void *arg)
{
	char norm[NORM_EMAIL_MAX + 1];

	return norm_email(found, norm, sizeof(norm), NULL) == LG_OK &&
	    strcmp(norm, arg) == 0;
}

int
unsub_mail_addressed(const struct mail *m, const struct config *cfg)
{
	char mailto[NORM_EMAIL_MAX + 1], *hit;
	const char *v[MAX_HEADERS];
	size_t h, i, n;

	if (!setting_addr(cfg->mail.unsubscribe_mailto, mailto, sizeof(mailto)))
		return 0;
	for (h = 0; h < sizeof(to_headers) / sizeof(to_headers[0]); h++) {
		n = mail_headers(m, to_headers[h], v, MAX_HEADERS);
		for (i = 0; i < n && i < MAX_HEADERS; i++)
			if ((hit = addr_scan(v[i], is_addr, mailto)) != NULL) {
				free(hit);
				return 1;
			}
	}
	return 0;
}

static int
token_char(int c)
{
	return isalnum(c) || c == '-' || c == '_';
}

/*
 * The word after "unsubscribe" in the Subject (clients may add "Re:" or
 * the like around it). One character more than a token may have is kept,
 * so that a too long one is refused rather than cut to a valid one.
 */
static int
subject_token(const char *subject, char *out, size_t len)
{
	const char *p = subject, *t;
	size_t n;

	while (p && (p = strcasestr(p, "unsubscribe")) != NULL) {
		p += strlen("unsubscribe");
		if (*p != ' ' && *p != '\t')
			continue;
		t = p + strspn(p, " \t");
		for (n = 0; token_char((unsigned char)t[n]); n++)
			;
		if (n == 0)
			continue;
		if (n >= len)
			n = len - 1;
		memcpy(out, t, n);
		out[n] = '\0';
		return 1;
	}
	return 0;
}

/* Our own addresses never go on the list, whoever claims to send from them. */
static int
is_own(const struct config *cfg, const char *addr)
{
	char norm[NORM_EMAIL_MAX + 1], own[NORM_EMAIL_MAX + 1];
	size_t i;

	if (norm_email(addr, norm, sizeof(norm), NULL) != LG_OK)
		return 0;
	if ((setting_addr(cfg->mail.unsubscribe_mailto, own, sizeof(own)) &&
	    strcmp(own, norm) == 0) ||
	    (setting_addr(cfg->mail.from, own, sizeof(own)) &&
	    strcmp(own, norm) == 0))
		return 1;
	for (i = 0; i < cfg->mail.own_addresses.n; i++)
		if (setting_addr(cfg->mail.own_addresses.v[i], own, sizeof(own))
		    && strcmp(own, norm) == 0)
			return 1;
	return 0;
}

/* The token's part; sets what to say about the token. */
static int
by_token(struct domain *d, const char *subject, struct unsub_result *r,
    char *said, size_t len, struct err *e)
{
	char tok[UNSUB_TOKEN_MAX + 2];
	int rc;

	if (subject == NULL || !subject_token(subject, tok, sizeof(tok))) {
		snprintf(said, len, "no token");
		return LG_OK;
	}
	rc = unsub_token(d, tok, "mail", r, e);
	if (rc == LG_OK)
		snprintf(said, len, "token of contact %lld",
		    r->n ? (long long)r->v[0].contact_id : 0LL);
	else if (rc == LG_ENOENT || rc == LG_EPERM)
		snprintf(said, len, "%s token '%.40s'", rc == LG_ENOENT ?
		    "unknown" : "malformed", tok);
	return rc == LG_ENOENT || rc == LG_EPERM ? LG_OK : rc;
}

/* The sender's part; sets what to say about the sender. */
static int
by_sender(struct domain *d, const struct mail *m, const struct config *cfg,
    struct unsub_result *r, char *said, size_t len, struct err *e)
{
	const char *from = m->from_addr;
	int rc;

	if (from == NULL || *from == '\0') {
		snprintf(said, len, "no sender address");
		return LG_OK;
	}
	if (is_own(cfg, from)) {
		snprintf(said, len, "sender %.200s is our own", from);
		return LG_OK;
	}
	rc = unsub_address(d, from, "mail", r, e);
	if (rc == LG_EPERM)
		snprintf(said, len, "sender %.200s is malformed", from);
	else
		snprintf(said, len, "sender %.200s", from);
	return rc == LG_EPERM ? LG_OK : rc;
}

int
unsub_mail_handle(struct domain *d, const struct mail *m,
    const struct config *cfg, struct unsub_result *r, char *note,
    size_t len, struct err *e)
{
	char tok[128], snd[256], what[400];
	int rc;

	if ((rc = by_token(d, m->subject, r, tok, sizeof(tok), e)) != LG_OK ||
	    (rc = by_sender(d, m, cfg, r, snd, sizeof(snd), e)) != LG_OK)
		return rc;
	unsub_result_describe(r, what, sizeof(what));
	snprintf(note, len, "unsubscribe request (%s, %s): %s", tok, snd, what);
	return LG_OK;
}
