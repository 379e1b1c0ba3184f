/*
 * Unsubscribe requests by mail: the mailto: of List-Unsubscribe (RFC 2369,
 * RFC 8058) is mail.unsubscribe_mailto with the Subject "unsubscribe
 * TOKEN". A message to that address is a request, never an inquiry: a
 * known token unsubscribes its contact, and the sending address is put on
 * the suppression list in any case.
 */
#ifndef LG_UNSUB_MAIL_H
#define LG_UNSUB_MAIL_H

#include <stddef.h>

#include "util/err.h"
#include "outbound/unsub.h"

struct config;
struct domain;
struct mail;

/* 1 when To, Cc or Delivered-To names mail.unsubscribe_mailto (when set). */
int unsub_mail_addressed(const struct mail *m, const struct config *cfg);
/*
 * Carry out the request inside the caller's transaction; r gets what was
 * unsubscribed, note a line for the logs and the inquiry's decision. Only
 * store failures are errors: a bad token or sender is said in note.
 */
int unsub_mail_handle(struct domain *d, const struct mail *m,
    const struct config *cfg, struct unsub_result *r, char *note,
    size_t len, struct err *e);

#endif
