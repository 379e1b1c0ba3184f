/*
 * Extractors: what turns a parsed mail into an inquiry. The structured
 * formats (openimmo, adf), then every portal profile of the loaded data
 * (parse_data.h; leadgate-portals(5)), then generic (the lexicon alone).
 * The rules engine names one, or lets detection choose: the first
 * structured format the mail carries, else the profile the mail matches,
 * else "generic".
 */
#ifndef LG_EXTRACT_H
#define LG_EXTRACT_H

#include <stddef.h>

#include "util/err.h"
#include "parse/extract_env.h"

struct mail;
struct inquiry;
struct parse_data;

/*
 * Run extractor name (NULL: detect) on m. LG_OK with a new inquiry in
 * *out (free with inquiry_free), or LG_EPERM with the reason (an unknown
 * extractor name, a structured attachment that is refused).
 */
int extract_run(const struct extract_env *env, const char *name,
    const struct mail *m, struct inquiry **out, struct err *e);
/* 1 when name is an extractor: a built-in one or a profile of pd. */
int extract_known(const struct parse_data *pd, const char *name);
/*
 * The i-th built-in extractor's name (openimmo, adf, generic: the
 * profiles are tried between adf and generic); NULL past the end.
 */
const char *extract_name(size_t i);
/* The extractor detection would choose for m (no extraction). */
const char *extract_detect(const struct extract_env *env,
    const struct mail *m);
/*
 * The portal an address belongs to, by the profiles' domains and relays
 * ("ImmoScout24" for noreply@immobilienscout24.de), or NULL: such an
 * address is never the prospect's.
 */
const char *extract_portal_of(const struct parse_data *pd, const char *addr);

#endif
