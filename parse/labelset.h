/*
 * The label texts of one profile or lexicon file, by field:
 *
 *   labels = { first_name = [ "Vorname", "Rufname" ]; ... };
 *   custom = { move_in = [ "Einzugstermin" ]; ... };
 *
 * The labels group is read by settings rows ("labels.first_name", one
 * per field: LABELSET_FIELDS), custom by the hook below; labelset_index()
 * then lists every text with its field and line, checked: no colon or
 * required-field mark at its end, no text under two fields.
 */
#ifndef LG_LABELSET_H
#define LG_LABELSET_H

#include <stddef.h>

#include <libconfig.h>

#include "util/settings.h"

enum label_field {
	LF_NONE = 0,
	LF_SALUTATION,
	LF_FIRST,
	LF_LAST,
	LF_NAME,		/* a whole name, or the last one by LF_FIRST */
	LF_COMPANY,
	LF_EMAIL,
	LF_PHONE,
	LF_STREET,
	LF_POSTCODE,
	LF_CITY,
	LF_POSTCODE_CITY,	/* "10115 Berlin" */
	LF_ADDRESS,		/* "Musterstr. 1, 10115 Berlin" */
	LF_LANGUAGE,
	LF_MESSAGE,
	LF_OBJECT_REF,		/* the agency's reference of a listing */
	LF_PORTAL_OBJECT_REF,	/* the portal's id of the listing */
	LF_PORTAL_REF,		/* the portal's id of the inquiry */
	LF_CUSTOM,		/* into the custom field of its key */
	LF_NFIELDS
};

/* X(name, field) for every key of a labels group, in the man page's order. */
#define LABELSET_FIELDS(X)						\
	X("salutation", LF_SALUTATION) X("first_name", LF_FIRST)	\
	X("last_name", LF_LAST) X("name", LF_NAME)			\
	X("company", LF_COMPANY) X("email", LF_EMAIL)			\
	X("phone", LF_PHONE) X("street", LF_STREET)			\
	X("postcode", LF_POSTCODE) X("city", LF_CITY)			\
	X("postcode_city", LF_POSTCODE_CITY) X("address", LF_ADDRESS)	\
	X("language", LF_LANGUAGE) X("message", LF_MESSAGE)		\
	X("object_ref", LF_OBJECT_REF)					\
	X("portal_object_ref", LF_PORTAL_OBJECT_REF)			\
	X("portal_ref", LF_PORTAL_REF)

/* A group of lists by key: custom = { KEY = [...] }, language_names. */
struct label_group {
	char *key;
	struct settings_strlist texts;
};

/* One text with what it means, where it was written. */
struct label_entry {
	const char *text;	/* into the labelset */
	char *fold;		/* its key (util/fold.h fold_key) */
	size_t flen;
	enum label_field field;
	const char *key;	/* LF_CUSTOM: the custom field */
	unsigned line;
};

struct labelset {
	struct settings_strlist fields[LF_NFIELDS];	/* by field */
	struct label_group *custom;
	size_t ncustom;
	struct label_entry *ent;	/* every text, after labelset_index() */
	size_t nent;
};

/* "first_name" for LF_FIRST; NULL for LF_NONE, LF_CUSTOM. */
const char *labelset_field_name(enum label_field f);
/*
 * Settings hook for "custom": the row's off is where the struct
 * labelset is in the object read.
 */
int labelset_read_custom(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj);
/*
 * A group of lists of strings into *out (what names the group in
 * messages; key_bad says why a key is none, NULL when it is fine; NULL
 * takes any key). For hooks.
 */
int labelset_read_groups(struct settings_reader *r, const config_setting_t *st,
    const char *what, const char *(*key_bad)(const char *),
    struct label_group **out, size_t *n);
void labelset_groups_free(struct label_group *g, size_t n);
/* Every text of ls with its line (root: the file's root), checked. */
void labelset_index(struct settings_reader *r, const config_setting_t *root,
    struct labelset *ls);
void labelset_free(struct labelset *ls);

#endif
