/* Unsubscribing by token or by address (see unsub.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "core/domain.h"
#include "core/filter.h"
#include "util/idlist.h"
#include "util/norm.h"
#include "core/store.h"
#include "util/xmalloc.h"
#include "outbound/unsub.h"
#include "templates/vars.h"

void
unsub_result_clear(struct unsub_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		free(r->v[i].address);
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

static int
same_addr(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static void
result_add(struct unsub_result *r, const char *address, int64_t contact_id,
    int already)
{
	struct unsub_entry *x;
	size_t i;

	/* One request may reach a contact twice (its token and its sender). */
	for (i = 0; i < r->n; i++)
		if (r->v[i].contact_id == contact_id &&
		    same_addr(r->v[i].address, address))
			return;
	r->v = xreallocarray(r->v, r->n + 1, sizeof(*r->v));
	x = &r->v[r->n++];
	x->address = xstrdup(address);
	x->contact_id = contact_id;
	x->already = already;
}

void
unsub_result_describe(const struct unsub_result *r, char *buf, size_t len)
{
	struct buf b = BUF_INIT;
	const struct unsub_entry *x;
	size_t i;

	for (i = 0; i < r->n; i++) {
		x = &r->v[i];
		buf_printf(&b, "%s%s%s", b.len ? ", " : "",
		    x->already ? "already " : "", x->address ? x->address :
		    "no address");
		if (x->contact_id)
			buf_printf(&b, " (contact %lld)", (long long)x->contact_id);
		else
			buf_adds(&b, " (no contact)");
	}
	snprintf(buf, len, "%s", b.len ? buf_str(&b) : "nothing");
	buf_free(&b);
}

int
unsub_token_ok(const char *token)
{
	return vars_token_ok(token) && strlen(token) <= UNSUB_TOKEN_MAX;
}

/* Put addr on the suppression list; *added says whether it was not yet. */
static int
suppress(struct domain *d, const char *addr, const char *via, int *added,
    struct err *e)
{
	char *reason = NULL;
	int rc;

	*added = 0;
	rc = store_suppression_get(d->st, addr, &reason, e);
	free(reason);
	if (rc != LG_ENOENT)
		return rc;
	reason = xasprintf("unsubscribed (%s)", via);
	rc = store_suppression_add(d->st, addr, reason, e);
	free(reason);
	*added = rc == LG_OK;
	return rc;
}

/*
 * Flag c opt-out and note in its history what this request changed (added:
 * the addresses it listed). The flag is written to the store directly, not
 * through domain_contact_update(): that checks the fields the contact's
 * kind requires, and a request to stop writing must never be refused
 * because a contact made from an inquiry still lacks a name.
 */
static int
contact_mark(struct domain *d, struct contact *c, const char *added,
    const char *via, struct err *e)
{
	struct buf remark = BUF_INIT;
	int rc = LG_OK, was_out = c->opt_out;

	if (was_out && *added == '\0')
		return LG_OK;
	if (!was_out) {
		c->opt_out = 1;
		rc = store_contact_update(d->st, c, e);
	}
	buf_printf(&remark, "via %s", via);
	if (!was_out)
		buf_adds(&remark, "; opted out");
	if (*added)
		buf_printf(&remark, "; suppressed %s", added);
	if (rc == LG_OK)
		rc = domain_contact_note(d, c->id, "unsubscribed",
		    buf_str(&remark), e);
	buf_free(&remark);
	return rc;
}

/* Every address of c; added collects those newly listed. */
static int
suppress_all(struct domain *d, const struct contact *c, const char *via,
    struct buf *added, struct unsub_result *r, struct err *e)
{
	const char *addr;
	int rc, listed;
	size_t i;

	for (i = 0; i < c->nemails; i++) {
		addr = c->emails[i].norm;
		if ((rc = suppress(d, addr, via, &listed, e)) != LG_OK)
			return rc;
		if (listed)
			buf_printf(added, "%s%s", added->len ? ", " : "", addr);
		result_add(r, addr, c->id, !listed && c->opt_out);
	}
	if (c->nemails == 0)
		result_add(r, NULL, c->id, c->opt_out);
	return LG_OK;
}

int
unsub_token(struct domain *d, const char *token, const char *via,
    struct unsub_result *r, struct err *e)
{
	struct buf added = BUF_INIT;
	struct contact *c;
	int64_t id;
	int rc;

	if (!unsub_token_ok(token))
		return err_set(e, LG_EPERM, "'%.40s%s' is not an unsubscribe "
		    "token (letters, digits, '-' and '_')", token,
		    strlen(token) > 40 ? "..." : "");
	if ((rc = store_contact_by_unsub_token(d->st, token, &id, e)) != LG_OK ||
	    (rc = store_contact_get(d->st, id, &c, e)) != LG_OK)
		return rc;
	if ((rc = suppress_all(d, c, via, &added, r, e)) == LG_OK)
		rc = contact_mark(d, c, buf_str(&added), via, e);
	buf_free(&added);
	contact_free(c);
	return rc;
}

int
unsub_contacts_with(struct domain *d, const char *addr, struct idlist *out,
    struct err *e)
{
	struct filter_value v = { (char *)addr, 0, 0 };
	struct filter_node n;
	struct filter f = { NULL, &n };

	/* Built, not parsed: an address needs no quoting this way. */
	memset(&n, 0, sizeof(n));
	n.type = FN_CMP;
	n.field = FF_EMAIL;
	n.cmp = FC_EQ;
	n.values = &v;
	n.nvalues = 1;
	return store_contacts_query(d->st, &f, out, e);
}

int
unsub_address(struct domain *d, const char *address, const char *via,
    struct unsub_result *r, struct err *e)
{
	char addr[NORM_EMAIL_MAX + 1];
	struct idlist ids = IDLIST_INIT;
	struct contact *c;
	int rc, listed;
	size_t i;

	if ((rc = norm_email(address, addr, sizeof(addr), e)) != LG_OK)
		return rc;
	if ((rc = suppress(d, addr, via, &listed, e)) != LG_OK ||
	    (rc = unsub_contacts_with(d, addr, &ids, e)) != LG_OK)
		goto out;
	if (ids.n == 0)
		result_add(r, addr, 0, !listed);
	for (i = 0; i < ids.n; i++) {
		if ((rc = store_contact_get(d->st, ids.v[i], &c, e)) != LG_OK)
			break;
		result_add(r, addr, c->id, !listed && c->opt_out);
		rc = contact_mark(d, c, listed ? addr : "", via, e);
		contact_free(c);
		if (rc != LG_OK)
			break;
	}
out:
	idlist_free(&ids);
	return rc;
}
