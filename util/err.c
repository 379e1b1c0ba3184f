#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/xmalloc.h"

int
err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return code;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

int
err_prefix(struct err *e, const char *fmt, ...)
{
	char head[ERR_MSGLEN], old[ERR_MSGLEN];
	va_list ap;

	if (e == NULL)
		return LG_OK;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	snprintf(e->msg, sizeof(e->msg), "%s: %s", head, old);
	return e->code;
}

void
err_clear(struct err *e)
{
	if (e == NULL)
		return;
	e->code = LG_OK;
	e->msg[0] = '\0';
}

static const struct {
	int code;
	const char *name;
} err_names[] = {
	{ LG_OK, "ok" },
	{ LG_EPERM, "permanent" },
	{ LG_ETEMP, "temporary" },
	{ LG_ENOENT, "not found" },
	{ LG_EEXIST, "exists" },
	{ LG_EINTERNAL, "internal" },
};

const char *
err_code_name(int code)
{
	size_t i;

	for (i = 0; i < sizeof(err_names) / sizeof(err_names[0]); i++)
		if (err_names[i].code == code)
			return err_names[i].name;
	return "unknown";
}

int
err_report(struct err_report *r, const char *fmt, ...)
{
	char msg[ERR_MSGLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->n++ == 0)
		err_set(r->e, LG_EPERM, "%s", msg);
	if (r->list != NULL) {
		r->list->v = xreallocarray(r->list->v, r->list->n + 1,
		    sizeof(char *));
		r->list->v[r->list->n++] = xstrdup(msg);
	}
	return LG_EPERM;
}

void
err_list_clear(struct err_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
