/*
 * Object feeds (objfeed.h): OpenImmo XML through parse/xml.h (expat),
 * CSV by hand. The OpenImmo elements read are tables below; a feed's
 * words (KAUF, OFFEN, wohnung) become leadgate's in core/object.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse/objfeed.h"
#include "parse/xml.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define FEED_MAX (XML_MAX_SIZE)

static void feed_error(struct objfeed *f, const char *path,
    unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
feed_error(struct objfeed *f, const char *path, unsigned long line,
    const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f->errors = xreallocarray(f->errors, f->nerrors + 1,
	    sizeof(*f->errors));
	f->errors[f->nerrors++] = xasprintf("%s:%lu: %s", path, line, msg);
}

static void
feed_bad(struct objfeed *f, const char *path, unsigned long line,
    const char *why)
{
	feed_error(f, path, line, "%s", why);
	f->nbad++;
}

static void
feed_add(struct objfeed *f, struct object *o, unsigned long line)
{
	f->v = xreallocarray(f->v, f->n + 1, sizeof(*f->v));
	f->lines = xreallocarray(f->lines, f->n + 1, sizeof(*f->lines));
	f->lines[f->n] = line;
	f->v[f->n++] = o;
}

void
objfeed_clear(struct objfeed *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++)
		object_free(f->v[i]);
	for (i = 0; i < f->ndeleted; i++)
		free(f->deleted[i]);
	for (i = 0; i < f->nerrors; i++)
		free(f->errors[i]);
	free(f->v);
	free(f->lines);
	free(f->deleted);
	free(f->errors);
	memset(f, 0, sizeof(*f));
}

static int
slurp(const char *path, struct buf *b, struct err *e)
{
	char chunk[8192];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		return err_set(e, errno == ENOENT ? LG_ENOENT : LG_EPERM,
		    "%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (b->len + n > FEED_MAX) {
			fclose(fp);
			return err_set(e, LG_EPERM, "%s: larger than %u bytes",
			    path, (unsigned)FEED_MAX);
		}
		buf_add(b, chunk, n);
	}
	if (ferror(fp)) {
		fclose(fp);
		return err_set(e, LG_ETEMP, "%s: %s", path, strerror(errno));
	}
	fclose(fp);
	return LG_OK;
}

/* ---- OpenImmo ---- */

static int
attr_true(const struct xml_node *n, const char *name)
{
	const char *v = n ? xml_attr(n, name) : NULL;

	return v && (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

/* A number element: LG_OK unset or read, LG_EPERM with the reason. */
static int
oi_number(const struct xml_node *im, const char *path, double *out,
    char *why, size_t len)
{
	char *v = xml_path_value(im, path);
	int rc = LG_OK;

	if (v != NULL && object_number(v, out) != 0) {
		snprintf(why, len, "%s: not a number: '%s'", path, v);
		rc = LG_EPERM;
	}
	free(v);
	return rc;
}

/* The first element child of objektart names the type. */
static int
oi_type(const struct xml_node *im, struct object *o, char *why, size_t len)
{
	const struct xml_node *k = xml_path(im, "objektkategorie/objektart");
	const char *name, *t;

	if (k == NULL || k->child == NULL)
		return LG_OK;
	name = strchr(k->child->name, ':') ? strchr(k->child->name, ':') + 1 :
	    k->child->name;
	if ((t = object_type_norm(name)) == NULL) {
		snprintf(why, len, "objektart: unknown '%s'", name);
		return LG_EPERM;
	}
	o->type = xstrdup(t);
	return LG_OK;
}

static int
oi_kind(const struct xml_node *im, struct object *o, char *why, size_t len)
{
	const struct xml_node *v = xml_path(im,
	    "objektkategorie/vermarktungsart");
	int sale = attr_true(v, "KAUF"), rent = attr_true(v, "MIETE_PACHT");

	if (sale == rent) {
		snprintf(why, len, "vermarktungsart: %s", sale ?
		    "both KAUF and MIETE_PACHT" : "neither KAUF nor MIETE_PACHT");
		return LG_EPERM;
	}
	o->kind = xstrdup(sale ? "sale" : "rent");
	return LG_OK;
}

static int
oi_state(const struct xml_node *im, struct object *o, char *why, size_t len)
{
	static const char *const paths[] = { "zustand_angaben/verkaufstatus",
	    "verwaltung_objekt/verkaufstatus" };
	const struct xml_node *n;
	const char *v, *st;
	size_t i;

	for (i = 0; i < NELEM(paths); i++) {
		if ((n = xml_path(im, paths[i])) == NULL ||
		    (v = xml_attr(n, "stand")) == NULL)
			continue;
		if ((st = object_state_norm(v)) == NULL) {
			snprintf(why, len, "verkaufstatus: unknown stand '%s'",
			    v);
			return LG_EPERM;
		}
		o->state = xstrdup(st);
		return LG_OK;
	}
	o->state = xstrdup("available");
	return LG_OK;
}

/* geo/strasse and geo/hausnummer as one street line. */
static void
oi_street(const struct xml_node *im, struct object *o)
{
	char *s = xml_path_value(im, "geo/strasse");
	char *no = xml_path_value(im, "geo/hausnummer");

	if (s && no)
		o->street = xasprintf("%s %s", s, no);
	else if (s)
		o->street = xstrdup(s);
	free(s);
	free(no);
}

/* preise: the sale price, or the rent (cold, else warm). */
static const char *const price_paths[] = {
	"preise/kaufpreis", "preise/kaltmiete", "preise/nettokaltmiete",
	"preise/warmmiete",
};

static int
oi_price(const struct xml_node *im, struct object *o, char *why, size_t len)
{
	size_t i;
	int rc;

	for (i = 0; i < NELEM(price_paths); i++) {
		if (strcmp(o->kind, "sale") == 0 && i > 0)
			break;
		if (strcmp(o->kind, "rent") == 0 && i == 0)
			continue;
		if ((rc = oi_number(im, price_paths[i], &o->price, why,
		    len)) != LG_OK)
			return rc;
		if (o->price >= 0)
			return LG_OK;
	}
	return LG_OK;
}

/* verwaltung_techn: the ids and the aktion. */
static int
oi_ids(const struct xml_node *im, struct object *o, int *deleted,
    char *why, size_t len)
{
	char *ext = xml_path_value(im, "verwaltung_techn/objektnr_extern");
	char *in = xml_path_value(im, "verwaltung_techn/objektnr_intern");
	char *obid = xml_path_value(im, "verwaltung_techn/openimmo_obid");
	const struct xml_node *a = xml_path(im, "verwaltung_techn/aktion");
	const char *act = a ? xml_attr(a, "aktionart") : NULL;

	*deleted = act != NULL && strcasecmp(act, "DELETE") == 0;
	o->ref = xstrdup(ext ? ext : in ? in : obid);
	object_alias_add(o, in);
	object_alias_add(o, obid);
	free(ext);
	free(in);
	free(obid);
	if (o->ref == NULL) {
		snprintf(why, len, "immobilie without objektnr_extern, "
		    "objektnr_intern or openimmo_obid");
		return LG_EPERM;
	}
	return LG_OK;
}

static int
oi_object(const struct xml_node *im, struct object *o, int *deleted,
    char *why, size_t len)
{
	int rc;

	if ((rc = oi_ids(im, o, deleted, why, len)) != LG_OK || *deleted)
		return rc;
	if ((rc = oi_kind(im, o, why, len)) != LG_OK ||
	    (rc = oi_type(im, o, why, len)) != LG_OK ||
	    (rc = oi_state(im, o, why, len)) != LG_OK ||
	    (rc = oi_price(im, o, why, len)) != LG_OK ||
	    (rc = oi_number(im, "flaechen/wohnflaeche", &o->area, why,
	    len)) != LG_OK ||
	    (rc = oi_number(im, "flaechen/anzahl_zimmer", &o->rooms, why,
	    len)) != LG_OK)
		return rc;
	o->title = xml_path_value(im, "freitexte/objekttitel");
	o->postcode = xml_path_value(im, "geo/plz");
	o->city = xml_path_value(im, "geo/ort");
	oi_street(im, o);
	o->origin = xstrdup("openimmo");
	return LG_OK;
}

static void
oi_immobilie(struct objfeed *f, const char *path, const struct xml_node *im)
{
	struct object *o = object_new();
	char why[300];
	int deleted = 0;

	if (oi_object(im, o, &deleted, why, sizeof(why)) != LG_OK) {
		if (o->ref) {
			char msg[400];

			snprintf(msg, sizeof(msg), "object %s: %s", o->ref, why);
			feed_bad(f, path, im->line, msg);
		} else {
			feed_bad(f, path, im->line, why);
		}
		object_free(o);
		return;
	}
	if (deleted) {
		f->deleted = xreallocarray(f->deleted, f->ndeleted + 1,
		    sizeof(*f->deleted));
		f->deleted[f->ndeleted++] = xstrdup(o->ref);
		object_free(o);
		return;
	}
	feed_add(f, o, im->line);
}

static int
objfeed_openimmo(const char *path, const struct buf *b, struct objfeed *f,
    struct err *e)
{
	const struct xml_node *an, *im, *u;
	struct xml_node *root;
	const char *umfang;

	if (xml_parse(b->data, b->len, &root, e) != LG_OK)
		return err_prefix(e, "%s", path);
	if (!xml_is(root, "openimmo")) {
		xml_free(root);
		return err_set(e, LG_EPERM, "%s: the root element is not "
		    "openimmo", path);
	}
	if ((u = xml_child(root, "uebertragung")) != NULL &&
	    (umfang = xml_attr(u, "umfang")) != NULL)
		f->full = strcasecmp(umfang, "VOLL") == 0;
	for (an = xml_child(root, "anbieter"); an; an = xml_next(an))
		for (im = xml_child(an, "immobilie"); im; im = xml_next(im))
			oi_immobilie(f, path, im);
	xml_free(root);
	return LG_OK;
}

/* ---- CSV ---- */

enum csv_col { C_REF, C_ALIASES, C_TITLE, C_KIND, C_TYPE, C_PRICE, C_ROOMS,
	C_AREA, C_STREET, C_POSTCODE, C_CITY, C_STATE, C_NCOLS };

static const char *const csv_names[C_NCOLS] = {
	[C_REF] = "ref", [C_ALIASES] = "aliases", [C_TITLE] = "title",
	[C_KIND] = "kind", [C_TYPE] = "type", [C_PRICE] = "price",
	[C_ROOMS] = "rooms", [C_AREA] = "area", [C_STREET] = "street",
	[C_POSTCODE] = "postcode", [C_CITY] = "city", [C_STATE] = "state",
};

/* Split one line into fields; -1 on an unclosed quote. */
static int
csv_split(const char *s, size_t len, char sep, char ***out, size_t *n)
{
	struct buf b = BUF_INIT;
	size_t i = 0;
	int quoted;

	*out = NULL;
	*n = 0;
	for (;;) {
		buf_reset(&b);
		buf_adds(&b, "");
		quoted = i < len && s[i] == '"';
		if (quoted)
			i++;
		while (i < len) {
			if (quoted && s[i] == '"') {
				if (i + 1 < len && s[i + 1] == '"') {
					buf_addc(&b, '"');
					i += 2;
					continue;
				}
				quoted = 0;
				i++;
				continue;
			}
			if (!quoted && s[i] == sep)
				break;
			buf_addc(&b, s[i++]);
		}
		if (quoted) {
			buf_free(&b);
			return -1;
		}
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		(*out)[(*n)++] = xstrdup(buf_str(&b));
		if (i >= len)
			break;
		i++;		/* the separator */
	}
	buf_free(&b);
	return 0;
}

static void
fields_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
csv_trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	memmove(s, s + i, n - i + 1);
}

/* One row into o; LG_EPERM with the reason. */
static int
csv_row(char **v, size_t n, const int *col, struct object *o, char *why,
    size_t len)
{
	const char *val[C_NCOLS];
	const char *w;
	double *num[] = { [C_PRICE] = &o->price, [C_ROOMS] = &o->rooms,
	    [C_AREA] = &o->area };
	char *p, *tok, *save;
	int c;

	for (c = 0; c < C_NCOLS; c++) {
		val[c] = col[c] >= 0 && (size_t)col[c] < n &&
		    *v[col[c]] ? v[col[c]] : NULL;
	}
	if (val[C_REF] == NULL)
		return snprintf(why, len, "no ref"), LG_EPERM;
	o->ref = xstrdup(val[C_REF]);
	if (val[C_KIND] && (w = object_kind_norm(val[C_KIND])) == NULL)
		return snprintf(why, len, "kind: sale or rent, not '%s'",
		    val[C_KIND]), LG_EPERM;
	o->kind = val[C_KIND] ? xstrdup(w) : NULL;
	if (val[C_TYPE] && (w = object_type_norm(val[C_TYPE])) == NULL)
		return snprintf(why, len, "type: unknown '%s'", val[C_TYPE]),
		    LG_EPERM;
	o->type = val[C_TYPE] ? xstrdup(w) : NULL;
	if (val[C_STATE] && (w = object_state_norm(val[C_STATE])) == NULL)
		return snprintf(why, len, "state: available, reserved, sold or "
		    "withdrawn, not '%s'", val[C_STATE]), LG_EPERM;
	o->state = xstrdup(val[C_STATE] ? w : "available");
	for (c = C_PRICE; c <= C_AREA; c++)
		if (val[c] && object_number(val[c], num[c]) != 0)
			return snprintf(why, len, "%s: not a number: '%s'",
			    csv_names[c], val[c]), LG_EPERM;
	o->title = val[C_TITLE] ? xstrdup(val[C_TITLE]) : NULL;
	o->street = val[C_STREET] ? xstrdup(val[C_STREET]) : NULL;
	o->postcode = val[C_POSTCODE] ? xstrdup(val[C_POSTCODE]) : NULL;
	o->city = val[C_CITY] ? xstrdup(val[C_CITY]) : NULL;
	o->origin = xstrdup("csv");
	if (val[C_ALIASES]) {
		p = xstrdup(val[C_ALIASES]);
		for (tok = strtok_r(p, " ", &save); tok;
		    tok = strtok_r(NULL, " ", &save))
			object_alias_add(o, tok);
		free(p);
	}
	return LG_OK;
}

static int
csv_header(const char *path, const char *s, size_t len, char sep,
    int *col, struct objfeed *f, struct err *e)
{
	char **v;
	size_t n, i;
	int c;

	for (c = 0; c < C_NCOLS; c++)
		col[c] = -1;
	if (csv_split(s, len, sep, &v, &n) != 0)
		return err_set(e, LG_EPERM, "%s:1: unclosed quote", path);
	for (i = 0; i < n; i++) {
		csv_trim(v[i]);
		for (c = 0; c < C_NCOLS; c++)
			if (strcasecmp(v[i], csv_names[c]) == 0)
				break;
		if (c == C_NCOLS)
			feed_error(f, path, 1, "unknown column '%s' (ignored)",
			    v[i]);
		else if (col[c] >= 0)
			return fields_free(v, n), err_set(e, LG_EPERM,
			    "%s:1: column '%s' twice", path, csv_names[c]);
		else
			col[c] = (int)i;
	}
	fields_free(v, n);
	if (col[C_REF] < 0)
		return err_set(e, LG_EPERM, "%s:1: no ref column", path);
	return LG_OK;
}

static int
objfeed_csv(const char *path, const struct buf *b, struct objfeed *f,
    struct err *e)
{
	const char *s = b->data, *end = b->data + b->len, *nl;
	int col[C_NCOLS];
	unsigned long line = 0;
	char why[300], sep, **v;
	struct object *o;
	size_t n, len, i;

	for (;;) {
		if (s >= end)
			return err_set(e, LG_EPERM, "%s: empty", path);
		nl = memchr(s, '\n', (size_t)(end - s));
		len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		line++;
		if (len > 0)
			break;
		s = nl ? nl + 1 : end;
	}
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		len -= 3;
	}
	if (len > 0 && s[len - 1] == '\r')
		len--;
	sep = memchr(s, ';', len) && !memchr(s, ',', len) ? ';' : ',';
	if (csv_header(path, s, len, sep, col, f, e) != LG_OK)
		return LG_EPERM;
	for (s += len; s < end; ) {
		s = memchr(s, '\n', (size_t)(end - s));
		if (s == NULL || ++s >= end)
			break;
		line++;
		nl = memchr(s, '\n', (size_t)(end - s));
		len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		if (len > 0 && s[len - 1] == '\r')
			len--;
		if (len == 0)
			continue;
		if (csv_split(s, len, sep, &v, &n) != 0) {
			feed_bad(f, path, line, "unclosed quote");
			continue;
		}
		for (i = 0; i < n; i++)
			csv_trim(v[i]);
		o = object_new();
		if (csv_row(v, n, col, o, why, sizeof(why)) != LG_OK) {
			feed_bad(f, path, line, why);
			object_free(o);
		} else {
			feed_add(f, o, line);
		}
		fields_free(v, n);
	}
	return LG_OK;
}

/* Objects named twice: the later record wins, the earlier is an error. */
static void
objfeed_dups(const char *path, struct objfeed *f)
{
	size_t i, j, k;

	for (i = 0; i < f->n; i++)
		for (j = i + 1; j < f->n; j++)
			if (strcmp(f->v[i]->ref, f->v[j]->ref) == 0) {
				char msg[300];

				snprintf(msg, sizeof(msg), "object %s is in "
				    "the feed twice: the last one is imported",
				    f->v[i]->ref);
				feed_bad(f, path, f->lines[i], msg);
				object_free(f->v[i]);
				for (k = i; k + 1 < f->n; k++) {
					f->v[k] = f->v[k + 1];
					f->lines[k] = f->lines[k + 1];
				}
				f->n--;
				i--;
				break;
			}
}

int
objfeed_read(const char *path, struct objfeed *out, struct err *e)
{
	struct buf b = BUF_INIT;
	size_t i, n;
	int rc, xml;

	memset(out, 0, sizeof(*out));
	if ((rc = slurp(path, &b, e)) != LG_OK) {
		buf_free(&b);
		return rc;
	}
	n = strlen(path);
	for (i = 0; i < b.len && strchr(" \t\r\n", b.data[i]); i++)
		;
	xml = (n > 4 && strcasecmp(path + n - 4, ".xml") == 0) ||
	    (i < b.len && b.data[i] == '<') ||
	    (b.len >= 4 && memcmp(b.data, "\xef\xbb\xbf<", 4) == 0);
	rc = xml ? objfeed_openimmo(path, &b, out, e) :
	    objfeed_csv(path, &b, out, e);
	if (rc == LG_OK)
		objfeed_dups(path, out);
	buf_free(&b);
	if (rc != LG_OK)
		objfeed_clear(out);
	return rc;
}
