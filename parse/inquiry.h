/*
 * What an extractor (or a portal API connector) makes of an inquiry: the
 * prospect and what they asked about. Every field may be NULL. The JSON
 * form (inquiry_to_json) is what `leadgate parse --json` prints; its field
 * names are a public interface.
 */
#ifndef LG_INQUIRY_H
#define LG_INQUIRY_H

#include <stddef.h>

#include <jansson.h>

struct inquiry {
	char *extractor;	/* which extractor produced it */
	char *portal;		/* "ImmoScout24", "Homegate", ... */
	char *salutation;
	char *first_name;
	char *last_name;
	char *company;
	char *email;
	char **phones;
	size_t nphones;
	char *street;
	char *postcode;
	char *city;
	char *country;		/* ISO 3166 alpha-2: the prospect's, best known */
	char *language;		/* ISO 639-1 ("de"), when known */
	char *message;
	char *object_ref;	/* the agency's own object reference */
	char *portal_object_ref;/* the portal's id of the object */
	char *portal_ref;	/* the portal's id of this inquiry */
	char *forwarded_by;	/* the agent who forwarded the original mail
				   ("Name <addr>", forward.h), or NULL */
	char *custom;		/* JSON object text of anything else, or NULL */
	/* Not in the JSON form: */
	char *source;		/* the source its lead gets from what read
				   it (a profile's display: "Website") */
	char *set_aside;	/* addresses refused as the prospect's, with
				   why ("a@b (a relay of x)"), or NULL */
};

struct inquiry *inquiry_new(void);
void inquiry_free(struct inquiry *q);
/* Add a phone number as written (duplicates are ignored). */
void inquiry_add_phone(struct inquiry *q, const char *phone);
/* Set a field by its JSON name ("first_name"); -1 for an unknown name. */
int inquiry_set(struct inquiry *q, const char *field, const char *value);
/* The value of a field by its JSON name (phones: the first), or NULL. */
const char *inquiry_get(const struct inquiry *q, const char *field);
/* The `parse --json` shape: every field, absent ones as null. New reference. */
json_t *inquiry_to_json(const struct inquiry *q);
/*
 * What every extraction ends with, given the portal's country (NULL when
 * not known):
 * - address fields that hold more than their part are split again by
 *   postal_parse(), street, postcode and city together ("30159 Hannover"
 *   as the postcode, "Brighton BN2 1QE" or "Bologna (BO)" as the city,
 *   "Edinburgh EH6 6QU" as the street); the country that split shows
 *   ("D-10115", "(BO)") is the prospect's when no portal's is given;
 * - q->country, when not set yet, becomes the prospect's country by the
 *   evidence in q (phone_country() with no number: the portal's country,
 *   the postcode's, the code of the prospect's numbers); NULL when
 *   nothing tells.
 */
void inquiry_settle(struct inquiry *q, const char *portal_country);

#endif
