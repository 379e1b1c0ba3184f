/*
 * The portal notification extractor, one for every portal of its table
 * (arg names the portal: "immoscout24", "immowelt", ...). The portals'
 * addresses themselves are in portals.h.
 */
#ifndef LG_PARSE_PORTAL_H
#define LG_PARSE_PORTAL_H

struct extract_ctx;
struct mail;

int portal_detect(const struct mail *m, const char *arg);
int portal_extract(struct extract_ctx *x, const char *arg);

#endif
