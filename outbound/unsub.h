/*
 * Unsubscribing: by a contact's token (the List-Unsubscribe link of bulk
 * mail) or by an address. What is unsubscribed is put on the suppression
 * list, its contacts are flagged opt-out and their history says so.
 * Doing it again changes nothing and says "already".
 *
 * Like the domain functions, these expect the caller to hold a store
 * transaction and leave the store unchanged when they fail, provided the
 * caller rolls back.
 */
#ifndef LG_UNSUB_H
#define LG_UNSUB_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct domain;
struct idlist;

#define UNSUB_TOKEN_MAX 128

/* One address unsubscribed, for one contact that has it (or none). */
struct unsub_entry {
	char *address;		/* normalized; NULL: the contact has none */
	int64_t contact_id;	/* 0: no contact has the address */
	int already;		/* nothing changed: listed and opted out before */
};

struct unsub_result {
	struct unsub_entry *v;
	size_t n;
};

void unsub_result_clear(struct unsub_result *r);
/* "a@b.example (contact 12), already c@d.example (no contact)". */
void unsub_result_describe(const struct unsub_result *r, char *buf,
    size_t len);

/* 1 when token is letters, digits, '-' and '_', at most UNSUB_TOKEN_MAX. */
int unsub_token_ok(const char *token);

/*
 * Every address of the token's contact, and the contact itself. via says
 * how the request came ("link", "mail"): the suppression reason is
 * "unsubscribed (via)". LG_EPERM for a malformed token, LG_ENOENT for an
 * unknown one. Entries are appended to r.
 */
int unsub_token(struct domain *d, const char *token, const char *via,
    struct unsub_result *r, struct err *e);
/*
 * One address, and every contact that has it (their other addresses stay
 * off the list: the opt-out flag covers the contact). LG_EPERM when the
 * address is malformed.
 */
int unsub_address(struct domain *d, const char *address, const char *via,
    struct unsub_result *r, struct err *e);
/* The contacts having the (normalized) address, ascending id. */
int unsub_contacts_with(struct domain *d, const char *addr,
    struct idlist *out, struct err *e);

#endif
