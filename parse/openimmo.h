/* The OpenImmo-Feedback XML extractor. */
#ifndef LG_OPENIMMO_H
#define LG_OPENIMMO_H

struct extract_ctx;
struct mail;

int openimmo_detect(const struct mail *m, const char *arg);
int openimmo_extract(struct extract_ctx *x, const char *arg);

#endif
