/*
 * The generic extractor: a person writing to the agency, or a contact
 * form. What detection falls back on when no other extractor knows the
 * mail.
 */
#ifndef LG_GENERIC_H
#define LG_GENERIC_H

struct extract_ctx;

int generic_extract(struct extract_ctx *x, const char *arg);

#endif
