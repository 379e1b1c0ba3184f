/*
 * Content-Transfer-Encoding decoding (base64, quoted-printable, the
 * identity ones). Our own rather than libetpan's mailmime_part_parse():
 * Debian's copy has an unfixed base64 length bug (LIBS.md §3), and
 * decoding straight into our buffer saves a copy of every attachment.
 * Decoding never fails; what was wrong is reported in the flags.
 */
#ifndef LG_CTE_H
#define LG_CTE_H

#include <stddef.h>

#include "util/buf.h"

enum cte {
	CTE_IDENTITY,		/* 7bit, 8bit, binary, unknown */
	CTE_BASE64,
	CTE_QP,
};

#define CTE_TRUNCATED	0x1	/* base64 ends inside a quantum */
#define CTE_BAD		0x2	/* invalid characters or escapes */

/* Append the decoded in[0..len) to out; returns CTE_* flags. */
int cte_decode(enum cte enc, const char *in, size_t len, struct buf *out);

#endif
