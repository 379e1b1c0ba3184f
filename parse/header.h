/*
 * The top-level header block of a message, read by us rather than by
 * libetpan so that every field is kept as written (repeats, order,
 * unknown names) and counted before anything else looks at it.
 */
#ifndef LG_HEADER_H
#define LG_HEADER_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"
#include "parse/mail_types.h"

/*
 * Split the header block at raw[0..len): the fields into *out (names as
 * written, values unfolded and made valid UTF-8, not RFC 2047-decoded),
 * *body the offset where the body starts. More than max fields is
 * LG_EPERM. Defects go to notes.
 */
int header_split(const char *raw, size_t len, size_t max,
    struct mail_header **out, size_t *n, size_t *body, struct buf *notes,
    struct err *e);
void header_free(struct mail_header *v, size_t n);

#endif
