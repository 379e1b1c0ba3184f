/*
 * Extractors: what turns a parsed mail into an inquiry. A static table
 * of {name, detect, extract}; the rules engine names one, or lets
 * detection choose: the first extractor whose detect() recognises the
 * mail (a structured XML attachment, a portal's sender domain or its
 * notification labels), else "generic".
 *
 * Names: openimmo, adf, immoscout24, immowelt, homegate, seloger,
 * leboncoin, generic (extract_name() lists them in detection order).
 */
#ifndef LG_EXTRACT_H
#define LG_EXTRACT_H

#include <stddef.h>

#include "util/err.h"

struct mail;
struct inquiry;

/*
 * Run extractor name (NULL: detect) on m. LG_OK with a new inquiry in
 * *out (free with inquiry_free), or LG_EPERM with the reason (an unknown
 * extractor name, a structured attachment that is refused).
 */
int extract_run(const char *name, const struct mail *m,
    struct inquiry **out, struct err *e);
/* 1 when name is an extractor (for `rules check`). */
int extract_known(const char *name);
/* The i-th extractor's name, in detection order; NULL past the end. */
const char *extract_name(size_t i);
/* The extractor detection would choose for m (no extraction). */
const char *extract_detect(const struct mail *m);
/*
 * The portal an address belongs to ("ImmoScout24" for
 * noreply@immobilienscout24.de), or NULL: such an address is never the
 * prospect's (and never worth an autoreply).
 */
const char *extract_portal_of(const char *addr);

#endif
