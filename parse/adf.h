/* The ADF (Auto-lead Data Format) XML extractor. */
#ifndef LG_ADF_H
#define LG_ADF_H

struct extract_ctx;
struct mail;

int adf_detect(const struct mail *m, const char *arg);
int adf_extract(struct extract_ctx *x, const char *arg);

#endif
