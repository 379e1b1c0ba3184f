/*
 * IMAP mailbox names travel in modified UTF-7 (RFC 3501 section 5.1.3);
 * the configuration has them in UTF-8.
 */
#ifndef LG_IMAP_UTF7_H
#define LG_IMAP_UTF7_H

#include "util/err.h"

/*
 * Encode a UTF-8 mailbox name. LG_EPERM for invalid UTF-8 and for
 * control characters (CR, LF and the like would end the IMAP command).
 * The caller frees *out.
 */
int imap_utf7_encode(const char *utf8, char **out, struct err *e);

#endif
