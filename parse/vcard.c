/* vCard reading: the few properties an inquiry needs (vcard.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "parse/cte.h"
#include "parse/vcard.h"

#define COMPONENTS	7	/* of ADR, the longest structured value */

void
vcard_clear(struct vcard *c)
{
	size_t i;

	free(c->fn);
	free(c->family);
	free(c->given);
	free(c->prefix);
	free(c->org);
	free(c->email);
	for (i = 0; i < c->ntel; i++)
		free(c->tel[i]);
	free(c->street);
	free(c->city);
	free(c->postcode);
	free(c->country);
	memset(c, 0, sizeof(*c));
}

int
vcard_part(const char *content_type, const char *filename)
{
	size_t n;

	if (content_type != NULL && (strcmp(content_type, "text/vcard") == 0 ||
	    strcmp(content_type, "text/x-vcard") == 0 ||
	    strcmp(content_type, "text/directory") == 0))
		return 1;
	return filename != NULL && (n = strlen(filename)) > 4 &&
	    strcasecmp(filename + n - 4, ".vcf") == 0;
}

/* Quoted-printable in place; soft breaks were joined before (cte.c). */
static void
unqp(char *s)
{
	struct buf b = BUF_INIT;

	cte_decode(CTE_QP, s, strlen(s), &b);
	memcpy(s, buf_str(&b), b.len);	/* never longer than its input */
	s[b.len] = '\0';
	buf_free(&b);
}

/*
 * Split a structured value at unescaped ';' into at most max parts,
 * unescaping each ("\," "\;" "\\" "\n"); empty parts are NULL.
 */
static size_t
components(const char *v, char **out, size_t max)
{
	struct buf b = BUF_INIT;
	size_t n = 0;

	for (;; v++) {
		if (*v == '\\' && v[1] != '\0') {
			v++;
			buf_addc(&b, *v == 'n' || *v == 'N' ? ' ' : *v);
			continue;
		}
		if (*v == ';' || *v == '\0') {
			if (n < max) {
				while (b.len > 0 && b.data[b.len - 1] == ' ')
					b.len--;
				out[n++] = b.len > 0 ? xstrndup(buf_str(&b),
				    b.len) : NULL;
			}
			buf_reset(&b);
			if (*v == '\0')
				break;
			continue;
		}
		buf_addc(&b, *v);
	}
	buf_free(&b);
	return n;
}

static void
take(char **dst, char *v)
{
	if (*dst == NULL)
		*dst = v;
	else
		free(v);
}

/* One unfolded content line: "item1.TEL;TYPE=CELL:+48 601 234 775". */
static void
property(struct vcard *c, char *line)
{
	char *colon, *name, *dot, *semi, *v[COMPONENTS];
	size_t n, i;
	int qp;

	if ((colon = strchr(line, ':')) == NULL)
		return;
	*colon = '\0';
	name = line;
	if ((dot = strchr(name, '.')) != NULL && (semi = strchr(name, ';'),
	    semi == NULL || dot < semi))
		name = dot + 1;
	qp = strcasestr(name, "QUOTED-PRINTABLE") != NULL;
	if ((semi = strchr(name, ';')) != NULL)
		*semi = '\0';
	if (qp)
		unqp(colon + 1);
	memset(v, 0, sizeof(v));
	if (strcasecmp(name, "N") == 0) {
		n = components(colon + 1, v, COMPONENTS);
		take(&c->family, v[0]);
		take(&c->given, v[1]);
		take(&c->prefix, v[3]);
		for (i = 2; i < n; i++)
			if (i != 3)
				free(v[i]);
	} else if (strcasecmp(name, "ADR") == 0) {
		n = components(colon + 1, v, COMPONENTS);
		take(&c->street, v[2]);
		take(&c->city, v[3]);
		take(&c->postcode, v[5]);
		take(&c->country, v[6]);
		free(v[0]);
		free(v[1]);
		free(v[4]);
	} else if (strcasecmp(name, "FN") == 0 ||
	    strcasecmp(name, "ORG") == 0 || strcasecmp(name, "EMAIL") == 0 ||
	    strcasecmp(name, "TEL") == 0) {
		n = components(colon + 1, v, COMPONENTS);
		for (i = 1; i < n; i++)
			free(v[i]);
		if (v[0] == NULL)
			return;
		if (strcasecmp(name, "FN") == 0)
			take(&c->fn, v[0]);
		else if (strcasecmp(name, "ORG") == 0)
			take(&c->org, v[0]);
		else if (strcasecmp(name, "EMAIL") == 0)
			take(&c->email, v[0]);
		else if (c->ntel < VCARD_TELS)
			c->tel[c->ntel++] = v[0];
		else
			free(v[0]);
	}
}

int
vcard_parse(const char *text, struct vcard *c)
{
	struct buf line = BUF_INIT;
	const char *p, *e;
	int in = 0, done = 0, qp_soft;

	memset(c, 0, sizeof(*c));
	for (p = text; p != NULL && *p != '\0' && !done; p = *e ? e + 1 : e) {
		size_t n;

		e = p + strcspn(p, "\n");
		n = (size_t)(e - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		/* A folded line goes on with a space or a tab. */
		if (line.len > 0 && n > 0 && (*p == ' ' || *p == '\t')) {
			buf_add(&line, p + 1, n - 1);
			continue;
		}
		/* A 2.1 quoted-printable value goes on after a soft "=". */
		qp_soft = line.len > 0 && line.data[line.len - 1] == '=' &&
		    strcasestr(buf_str(&line), "QUOTED-PRINTABLE") != NULL;
		if (qp_soft) {
			line.len--;
			buf_add(&line, p, n);
			continue;
		}
		if (line.len > 0) {
			if (strncasecmp(buf_str(&line), "END:VCARD", 9) == 0)
				done = in;
			else if (in)
				property(c, line.data);
			else if (strncasecmp(buf_str(&line), "BEGIN:VCARD", 11)
			    == 0)
				in = 1;
			buf_reset(&line);
		}
		buf_add(&line, p, n);
	}
	if (!done && line.len > 0 && in &&
	    strncasecmp(buf_str(&line), "END:VCARD", 9) == 0)
		done = 1;
	buf_free(&line);
	if (!done)
		vcard_clear(c);
	return done;
}
