/*
 * Defects noticed while parsing a mail that did not stop it ("unknown
 * charset x-foo, read as windows-1252"): one "; "-separated line for
 * mail->notes, each note once, the whole bounded in length.
 */
#ifndef LG_NOTES_H
#define LG_NOTES_H

#include "util/buf.h"

#define NOTES_MAX	2048

void notes_add(struct buf *notes, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
