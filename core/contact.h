/* Contacts: people and companies, with their e-mail addresses and phones. */
#ifndef LG_CONTACT_H
#define LG_CONTACT_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

enum contact_type {
	CONTACT_PERSON = 0,
	CONTACT_COMPANY,
};

enum contact_kind {
	KIND_LEAD = 0,		/* a prospect: first and last name required */
	KIND_CLIENT,		/* first name, last name and e-mail required */
	KIND_PARTNER,		/* same as client */
};

enum prospect_state {
	PROSPECT_NONE = 0,
	PROSPECT_CURRENT,
	PROSPECT_LOST,
};

enum client_state {
	CLIENT_NONE = 0,
	CLIENT_CURRENT,
	CLIENT_FORMER,
};

/* An address or number as given, and its normalized form. */
struct contact_addr {
	char *given;
	char *norm;
};

struct contact {
	int64_t id;
	enum contact_type type;
	enum contact_kind kind;
	char *salutation;
	char *first_name;
	char *last_name;
	char *company;		/* a company's own name (type company) */
	int64_t company_id;	/* the employer of a person, 0 if none */
	struct contact_addr *emails;
	size_t nemails;
	struct contact_addr *phones;
	size_t nphones;
	char *language;
	char *street;
	char *postcode;
	char *city;
	char *custom;		/* JSON object text, "{}" when none */
	enum prospect_state prospect;
	enum client_state client;
	int opt_out;
	int invalid_address;
	char *created_at;
	char *updated_at;
};

struct contact *contact_new(void);
void contact_free(struct contact *c);

/* Add an address after normalizing it; a malformed one is LG_EPERM. */
int contact_add_email(struct contact *c, const char *given, struct err *e);
/* country: ISO 3166 alpha-2 for numbers written without a country code. */
int contact_add_phone(struct contact *c, const char *given,
    const char *country, struct err *e);
/* Add an already normalized pair as read from the store. */
void contact_push_addr(struct contact_addr **v, size_t *n, const char *given,
    const char *norm);
/* "Ms Anna Muster", "Muster AG": for messages and listings. */
const char *contact_display_name(const struct contact *c, char *buf,
    size_t len);

const char *contact_type_name(enum contact_type t);
int contact_type_parse(const char *s, enum contact_type *out);
const char *contact_kind_name(enum contact_kind k);
int contact_kind_parse(const char *s, enum contact_kind *out);
const char *prospect_state_name(enum prospect_state s);
int prospect_state_parse(const char *s, enum prospect_state *out);
const char *client_state_name(enum client_state s);
int client_state_parse(const char *s, enum client_state *out);

#endif
