/*
 * Checks on the raw bytes of a message before Debian's libetpan 1.9.4
 * parses it (LIBS.md §2-§3). That library crashes on a boundary
 * parameter that unquotes to a lone '"' (heap overflow, also when the
 * Content-Type hides it in RFC 2047 words), recurses without limit on
 * nested MIME entities and on nested header comments, and builds
 * structures many times the size of a message made of empty parts or
 * tiny header fields. Anything of that kind is refused here with a
 * reason (LG_EPERM), so that the caller can quarantine it.
 */
#ifndef LG_PRECHECK_H
#define LG_PRECHECK_H

#include <stddef.h>

#include "util/err.h"
#include "parse/mail_types.h"

/* Header comments nested deeper than this are refused. */
#define PRECHECK_PAREN_MAX	32
/* Longest header field (unfolded) anywhere in the message. */
#define PRECHECK_FIELD_MAX	(256u << 10)
/* Header-looking lines in the whole message, per max_headers. */
#define PRECHECK_FIELDS_FACTOR	10

/*
 * LG_OK or LG_EPERM. *content_types is set to the number of Content-Type
 * fields, which bounds how deep libetpan will recurse.
 */
int precheck_raw(const char *raw, size_t len, const struct mail_limits *lim,
    size_t *content_types, struct err *e);

#endif
