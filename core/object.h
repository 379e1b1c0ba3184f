/*
 * Objects (listings) and the search profiles of contacts, and the
 * matcher between them. An object is known by its agency reference
 * (ref, unique) and by aliases (the OpenImmo internal number and obid,
 * portal ids): an inquiry's object_ref or portal_object_ref that is one
 * of them links its lead to the object. Kinds are "sale" and "rent";
 * states "available", "reserved", "sold" and "withdrawn" (gone from
 * the feed). Types are the words of object_type_names below.
 *
 * A profile field that is unset (NULL text, OBJ_UNSET number) does not
 * restrict. A profile matches an object when every set field does;
 * object_match() says why, field by field.
 */
#ifndef LG_OBJECT_H
#define LG_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define OBJ_UNSET (-1.0)	/* a number nobody gave */

struct object {
	int64_t id;
	char *ref;		/* the agency's reference: the identity */
	char **aliases;		/* other ids an inquiry may name */
	size_t naliases;
	char *title;
	char *kind;		/* sale | rent */
	char *type;		/* apartment, house, ... */
	double price;		/* sale price or monthly rent */
	double rooms;
	double area;		/* living area, m2 */
	char *street, *postcode, *city;
	char *state;		/* available | reserved | sold | withdrawn */
	char *origin;		/* openimmo | csv */
	char *created_at, *updated_at;
};

struct search_profile {
	int64_t id;
	int64_t contact_id;
	char *kind;		/* sale | rent, NULL: either */
	char *type;
	double price_min, price_max;
	double rooms_min, rooms_max;
	double area_min, area_max;
	char *postcodes;	/* "8001,8002,80*": a trailing * is a prefix */
	char *cities;		/* "Zürich,Winterthur", without case/accents */
	char *origin;		/* manual | inquiry */
	char *created_at;
};

struct object *object_new(void);
void object_free(struct object *o);
void object_alias_add(struct object *o, const char *alias);
void objects_free(struct object *v, size_t n);	/* an array of them */

struct search_profile *search_profile_new(void);
void search_profile_clear(struct search_profile *p);
void search_profiles_free(struct search_profile *v, size_t n);

/* "sale"/"rent" from any spelling leadgate knows (KAUF, MIETE_PACHT). */
const char *object_kind_norm(const char *s);
/* The state of that name (or OpenImmo's OFFEN, RESERVIERT, VERKAUFT). */
const char *object_state_norm(const char *s);
/* A type word from leadgate's list or an OpenImmo objektart. */
const char *object_type_norm(const char *s);
/* The type words, "apartment|house|...", for messages. */
const char *object_type_names(void);
/* A number as written in a feed or form ("450'000", "3,5"); -1: none. */
int object_number(const char *s, double *out);

/*
 * Set the profile's field named key (kind, type, price_min, ...,
 * postcodes, cities) from text; LG_EPERM with the reason if bad.
 */
int search_profile_set(struct search_profile *p, const char *key,
    const char *value, struct err *e);
/* The profile's field names, for messages: "kind, type, ...". */
const char *search_profile_keys(void);
/*
 * The profile the custom fields "search.KEY" of an inquiry describe
 * (JSON object text; KEY as for search_profile_set()), or NULL when
 * none is there. A bad value is left out, the first reason in *bad
 * (to free; NULL when none).
 */
struct search_profile *search_profile_from_custom(const char *custom,
    char **bad);
/* 1 when no field is set. */
int search_profile_empty(const struct search_profile *p);
/* "sale apartment, 3-5 rooms, <= 900000, in 8001,8002": for lists. */
char *search_profile_describe(const struct search_profile *p);

/*
 * How p meets o: the number of fields that fail (0: a match), and in why
 * (xmalloc'd; "kind sale; price 850000 <= 900000; ...") the checks that
 * passed when it matches, else those that failed.
 */
int object_match(const struct object *o, const struct search_profile *p,
    char **why);

#endif
