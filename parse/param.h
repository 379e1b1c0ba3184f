/*
 * MIME parameter values (filename=, name=, charset=) as mailers really
 * send them: RFC 2231 extended values and continuations
 * (filename*0*=utf-8''%E2%82%AC; filename*1=".pdf"), which Debian's
 * libetpan hands over as raw parameters, and RFC 2047 words inside quotes.
 */
#ifndef LG_PARAM_H
#define LG_PARAM_H

#include <stddef.h>

struct param {
	const char *name;	/* as written: "filename*0*" */
	const char *value;	/* unquoted */
};

/*
 * The value of parameter name (case-insensitive) among v[0..n) as a new
 * UTF-8 string, or NULL when absent. The RFC 2231 forms win over the
 * plain one. CHARSET_* flags are OR-ed into *flags (may be NULL).
 */
char *param_get(const struct param *v, size_t n, const char *name,
    int *flags);

#endif
