/*
 * One mail portal profile, etc/portals/mail/NAME.conf: how a portal's
 * notifications are recognised, which of its addresses are relays, its
 * own labels, where its references are, where the prospect's message
 * ends, its country and languages (leadgate-portals(5), PORTAL
 * PROFILES). Web-form builders have profiles too. parse_data.h loads
 * every file of the directory and answers lookups.
 */
#ifndef LG_PROFILE_H
#define LG_PROFILE_H

#include <stddef.h>

#include <regex.h>

#include "util/err.h"
#include "util/settings.h"
#include "parse/labelset.h"

/* references = { FIELD_WHERE = [ "RE", ... ]; } */
enum profile_ref {
	PREF_OBJECT_REF,
	PREF_PORTAL_OBJECT_REF,
	PREF_PORTAL_REF,
	PREF_NREFS
};

enum profile_where {
	PWHERE_SUBJECT,		/* the decoded Subject */
	PWHERE_BODY,		/* the text of the mail */
	PWHERE_URL,		/* each URL of the text and the HTML links */
	PWHERE_N
};

struct profile_refs {
	struct settings_strlist src;	/* as written */
	regex_t *rx;			/* compiled, src.n of them */
	char *ok;			/* rx[i] was compiled */
};

struct profile {
	char *path;
	char *name;		/* the file's name, what `extractor` names */
	char *display;		/* the lead's source */
	char *kind;		/* real-estate, cars, classifieds, form */
	char *country;		/* ISO 3166 alpha-2, or "" */
	struct settings_strlist languages;	/* ISO 639-1, default first */
	struct settings_strlist domains;	/* match.domains, lower case */
	unsigned *domain_lines;
	struct settings_strlist headers;	/* "Name: pattern" */
	struct settings_strlist subjects;
	struct settings_strlist markers;
	struct settings_strlist relays;
	struct labelset ls;
	struct profile_refs refs[PREF_NREFS][PWHERE_N];
	struct settings_strlist msg_start;
	struct settings_strlist msg_end;
	struct settings_strlist footers;
};

extern const struct settings_table profile_settings;

/*
 * Read and check the profile at path. langs: the languages that have a
 * lexicon file (NULL-terminated); a profile may name no other. LG_OK
 * with *out, or LG_EPERM with every mistake reported to rep.
 */
int profile_load(const char *path, const char *const *langs,
    struct profile **out, struct err_report *rep);
void profile_free(struct profile *p);
/* "object_ref" for PREF_OBJECT_REF: the inquiry's field. */
const char *profile_ref_field(enum profile_ref f);

#endif
