/* The notes line of a parsed mail. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "parse/notes.h"

/* 1 when note is already one of the "; "-separated items of s. */
static int
has_note(const char *s, const char *note)
{
	size_t n = strlen(note);
	const char *p;

	for (p = s; (p = strstr(p, note)) != NULL; p += n)
		if ((p == s || (p >= s + 2 && p[-2] == ';' && p[-1] == ' ')) &&
		    (p[n] == '\0' || p[n] == ';'))
			return 1;
	return 0;
}

void
notes_add(struct buf *notes, const char *fmt, ...)
{
	char note[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(note, sizeof(note), fmt, ap);
	va_end(ap);
	if (has_note(buf_str(notes), note))
		return;
	if (notes->len + strlen(note) + 2 > NOTES_MAX) {
		if (!has_note(buf_str(notes), "more defects"))
			buf_adds(notes, notes->len ? "; more defects" :
			    "more defects");
		return;
	}
	if (notes->len)
		buf_adds(notes, "; ");
	buf_adds(notes, note);
}
