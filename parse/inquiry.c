/* The extracted inquiry and its public JSON shape. */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/xmalloc.h"
#include "parse/inquiry.h"
#include "parse/phone.h"
#include "parse/postal.h"

enum field_kind {
	F_STR,
	F_PHONES,
	F_CUSTOM,	/* JSON object text */
};

/* The fields by their JSON name, in the order `parse --json` prints them. */
static const struct {
	const char *name;
	size_t off;
	enum field_kind kind;
} fields[] = {
	{ "extractor", offsetof(struct inquiry, extractor), F_STR },
	{ "portal", offsetof(struct inquiry, portal), F_STR },
	{ "salutation", offsetof(struct inquiry, salutation), F_STR },
	{ "first_name", offsetof(struct inquiry, first_name), F_STR },
	{ "last_name", offsetof(struct inquiry, last_name), F_STR },
	{ "company", offsetof(struct inquiry, company), F_STR },
	{ "email", offsetof(struct inquiry, email), F_STR },
	{ "phones", offsetof(struct inquiry, phones), F_PHONES },
	{ "street", offsetof(struct inquiry, street), F_STR },
	{ "postcode", offsetof(struct inquiry, postcode), F_STR },
	{ "city", offsetof(struct inquiry, city), F_STR },
	{ "country", offsetof(struct inquiry, country), F_STR },
	{ "language", offsetof(struct inquiry, language), F_STR },
	{ "message", offsetof(struct inquiry, message), F_STR },
	{ "object_ref", offsetof(struct inquiry, object_ref), F_STR },
	{ "portal_object_ref", offsetof(struct inquiry, portal_object_ref), F_STR },
	{ "portal_ref", offsetof(struct inquiry, portal_ref), F_STR },
	{ "forwarded_by", offsetof(struct inquiry, forwarded_by), F_STR },
	{ "custom", offsetof(struct inquiry, custom), F_CUSTOM },
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static char **
field_ptr(struct inquiry *q, size_t i)
{
	return (char **)(void *)((char *)q + fields[i].off);
}

static int
field_index(const char *name)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

struct inquiry *
inquiry_new(void)
{
	return xcalloc(1, sizeof(struct inquiry));
}

void
inquiry_free(struct inquiry *q)
{
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < NFIELDS; i++)
		if (fields[i].kind != F_PHONES)
			free(*field_ptr(q, i));
	for (i = 0; i < q->nphones; i++)
		free(q->phones[i]);
	free(q->source);
	free(q->set_aside);
	free(q->phones);
	free(q);
}

/* "+41 44 123 45 67" and "+41441234567" are the same number. */
static int
same_phone(const char *a, const char *b)
{
	for (;;) {
		while (*a && !isdigit((unsigned char)*a) && *a != '+')
			a++;
		while (*b && !isdigit((unsigned char)*b) && *b != '+')
			b++;
		if (*a != *b)
			return 0;
		if (*a == '\0')
			return 1;
		a++;
		b++;
	}
}

void
inquiry_add_phone(struct inquiry *q, const char *phone)
{
	size_t i;

	if (phone == NULL || *phone == '\0')
		return;
	for (i = 0; i < q->nphones; i++)
		if (same_phone(q->phones[i], phone))
			return;
	q->phones = xreallocarray(q->phones, q->nphones + 1,
	    sizeof(*q->phones));
	q->phones[q->nphones++] = xstrdup(phone);
}

int
inquiry_set(struct inquiry *q, const char *field, const char *value)
{
	int i = field_index(field);

	if (i < 0)
		return -1;
	if (fields[i].kind == F_PHONES)
		inquiry_add_phone(q, value);
	else
		xstrset(field_ptr(q, (size_t)i), value);
	return 0;
}

const char *
inquiry_get(const struct inquiry *q, const char *field)
{
	int i = field_index(field);

	if (i < 0)
		return NULL;
	if (fields[i].kind == F_PHONES)
		return q->nphones ? q->phones[0] : NULL;
	return *field_ptr((struct inquiry *)(uintptr_t)q, (size_t)i);
}

static json_t *
str_or_null(const char *s)
{
	json_t *v;

	if (s == NULL)
		return json_null();
	/* Extractors only produce UTF-8; never print garbage if one did not. */
	v = json_string(s);
	return v ? v : json_string("\xef\xbf\xbd");
}

static json_t *
phones_json(const struct inquiry *q)
{
	json_t *a;
	size_t i;

	if (q->nphones == 0)
		return json_null();
	a = json_array();
	for (i = 0; i < q->nphones; i++)
		json_array_append_new(a, str_or_null(q->phones[i]));
	return a;
}

static json_t *
custom_json(const char *text)
{
	json_t *v;

	if (text == NULL)
		return json_null();
	v = json_loads(text, 0, NULL);
	if (!json_is_object(v)) {
		json_decref(v);
		return json_null();
	}
	return v;
}

json_t *
inquiry_to_json(const struct inquiry *q)
{
	json_t *o = json_object();
	const char *name;
	size_t i;

	for (i = 0; i < NFIELDS; i++) {
		name = fields[i].name;
		if (fields[i].kind == F_PHONES)
			json_object_set_new(o, name, phones_json(q));
		else if (fields[i].kind == F_CUSTOM)
			json_object_set_new(o, name, custom_json(q->custom));
		else
			json_object_set_new(o, name, str_or_null(*field_ptr(
			    (struct inquiry *)(uintptr_t)q, i)));
	}
	return o;
}

/*
 * Address fields that hold more than their part ("30159 Hannover" as the
 * postcode, "Brighton BN2 1QE" or "Bologna (BO)" as the city, the whole
 * address as the street): 1 when postal_parse() would split them.
 */
static int
address_mixed(const struct inquiry *q, const char *hint)
{
	struct postal pc;
	int mixed = 0;

	if (q->postcode && !postal_fits(q->postcode, NULL))
		return 1;
	if (q->city) {
		postal_parse(q->city, hint, &pc);
		mixed = pc.postcode != NULL || pc.street != NULL ||
		    pc.city == NULL || strcmp(pc.city, q->city) != 0;
	} else if (q->street && q->postcode == NULL) {
		postal_parse(q->street, hint, &pc);
		mixed = pc.postcode != NULL;
	} else {
		return 0;
	}
	postal_clear(&pc);
	return mixed;
}

/* Split mixed address fields again, all three together. */
static void
settle_address(struct inquiry *q, const char *hint)
{
	struct postal pc;
	char *text;

	if (!address_mixed(q, hint))
		return;
	text = xasprintf("%s%s%s%s%s", q->street ? q->street : "",
	    q->street && (q->postcode || q->city) ? ", " : "",
	    q->postcode ? q->postcode : "", q->postcode && q->city ? " " : "",
	    q->city ? q->city : "");
	postal_parse(text, hint, &pc);
	/* Never lose a postcode: an unreadable one stays as it was. */
	if (pc.postcode || q->postcode == NULL) {
		xstrset(&q->street, pc.street);
		xstrset(&q->postcode, pc.postcode);
		xstrset(&q->city, pc.city);
		/* "D-10115": evidence that is gone from the postcode now. */
		if (hint == NULL && pc.country[0] && q->country == NULL)
			xstrset(&q->country, pc.country);
	}
	postal_clear(&pc);
	free(text);
}

static void
settle_country(struct inquiry *q, const char *portal_country)
{
	struct phone_evidence ev = {
		.portal = portal_country,
		.postcode = q->postcode,
		.city = q->city,
		.language = q->language,
		.numbers = q->phones,
		.nnumbers = q->nphones,
	};

	if (q->country == NULL)
		xstrset(&q->country, phone_country(NULL, &ev));
}

void
inquiry_settle(struct inquiry *q, const char *portal_country)
{
	settle_address(q, portal_country);
	settle_country(q, portal_country);
}
