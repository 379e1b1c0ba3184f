/*
 * A parsed e-mail message: headers, the best text body in UTF-8, the HTML
 * body, and every leaf part (attachments included) for the extractors.
 *
 * Parsing untrusted mail is dangerous with Debian's libetpan (see
 * ../shared/LIBS.md §2-§3): mail_parse() checks the raw message first
 * (size, header count, nesting, the known crashing boundary forms) and
 * fails with LG_EPERM and a reason for anything it will not hand to the
 * library. A parse failure is a reason for quarantine, never a crash.
 */
#ifndef LG_MAIL_H
#define LG_MAIL_H

#include <stddef.h>

#include "util/err.h"
#include "parse/mail_types.h"

void mail_limits_default(struct mail_limits *lim);
int mail_parse(const char *raw, size_t len, const struct mail_limits *lim,
    struct mail **out, struct err *e);
void mail_free(struct mail *m);
/* The first header of that name (case-insensitive), raw; NULL if none. */
const char *mail_header(const struct mail *m, const char *name);
/* Every header of that name, in order: returns how many, fills up to max. */
size_t mail_headers(const struct mail *m, const char *name,
    const char **out, size_t max);

#endif
