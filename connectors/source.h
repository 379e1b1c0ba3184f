/*
 * What every connector hands downstream. A connector fetches raw
 * inquiries and calls its deliver callback for each one; the callback
 * (the ingest pipeline, or a test's recorder) returns:
 *
 *   LG_OK     the inquiry is durably handled (a lead committed, recorded as
 *             a duplicate, or kept in quarantine): the connector may now
 *             mark it done on its side (flag, move, acknowledge);
 *   LG_ETEMP  not handled now (the store is busy, the disk full): leave it
 *             as it is and offer it again on the next poll;
 *   other     a bug: log it, leave the message, go on with the next.
 *
 * Connectors never mark anything done before the callback said LG_OK.
 */
#ifndef LG_SOURCE_H
#define LG_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct inquiry;

struct source_meta {
	const char *connector;		/* the connector's configured name */
	const char *folder;		/* IMAP folder or Maildir path, or NULL */
	uint32_t uidvalidity;		/* IMAP only */
	uint32_t uid;			/* IMAP only */
	const char *file;		/* Maildir only: the message's file */
	const char *envelope_from;	/* the SMTP sender when known ("" = <>) */
	const char *portal;		/* portal API connectors: the source name */
	const char *item_id;		/* portal API: the portal's inquiry id */
	const char *problem;		/* set when the item could not be read:
					   quarantine the raw data with this reason */
	int truncated;			/* only the first bytes were fetched
					   (the message is over the size limit) */
};

/* A raw message (RFC 5322). */
typedef int (*source_mail_fn)(void *arg, const char *raw, size_t len,
    const struct source_meta *meta, struct err *e);
/*
 * An inquiry already structured (portal APIs), with its raw JSON for
 * quarantine. q is NULL when meta->problem says why the item was unreadable.
 */
typedef int (*source_inquiry_fn)(void *arg, struct inquiry *q,
    const char *raw_json, size_t raw_len, const struct source_meta *meta,
    struct err *e);

#endif
