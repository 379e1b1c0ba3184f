/*
 * The kept mail as the commands show it (leads show, mail show, mail
 * attachment): a kept mail's row, its raw bytes from the archive
 * (core/archive.h) and, for a mail, its attachments as parse/mail.h
 * finds them. An attachment is a leaf part with a filename or
 * Content-Disposition: attachment; they are numbered from 1 in the
 * order of the message.
 */
#ifndef LG_MAILVIEW_H
#define LG_MAILVIEW_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/err.h"

struct config;
struct mail;
struct mail_part;
struct mail_row;
struct store;

struct mailview {
	struct mail_row *row;
	struct buf raw;		/* the bytes as received */
	struct mail *mail;	/* NULL for a portal record */
};

/*
 * Load kept mail id: its row, its raw bytes and (parse) the parsed mail.
 * LG_ENOENT: no such mail or its file is missing; LG_EPERM: the file is
 * damaged or the mail cannot be parsed.
 */
int mailview_load(const struct config *cfg, struct store *st, int64_t id,
    int parse, struct mailview *out, struct err *e);
void mailview_clear(struct mailview *v);

/* How many attachments m has; the n-th (from 1), or NULL. */
size_t mailview_nattachments(const struct mail *m);
const struct mail_part *mailview_attachment(const struct mail *m, size_t n);

/*
 * A message as a mail reader shows it, for people (mail bulk --dry-run):
 * every header RFC 2047-decoded, then each part transfer-decoded and in
 * UTF-8 (text parts as text, the others named with type and size). A
 * message that cannot be parsed is printed as it is.
 */
void mailview_readable(const char *raw, size_t len, FILE *out);

/* The lead's kept mails with their attachments, as leads show has them. */
json_t *mailview_lead_json(const struct config *cfg, struct store *st,
    int64_t lead_id);
void mailview_lead_text(const struct config *cfg, struct store *st,
    int64_t lead_id);

#endif
