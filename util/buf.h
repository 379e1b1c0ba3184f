/* A growable byte buffer, always NUL-terminated for convenience. */
#ifndef LG_BUF_H
#define LG_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_reserve(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_reset(struct buf *b);
/* Hand the data to the caller (who frees it); the buffer becomes empty. */
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);
/* A NUL-terminated view; "" for an empty buffer. */
const char *buf_str(const struct buf *b);

#endif
