/*
 * Objects, search profiles and the matcher (object.h). The words of
 * kinds, states and types are tables; a feed's own words (OpenImmo's
 * KAUF, OFFEN, wohnung) map onto them here, once.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "core/object.h"
#include "util/buf.h"
#include "util/fold.h"
#include "util/xmalloc.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* {word as written, leadgate's word}: the first column is compared. */
struct alias {
	const char *from;
	const char *to;
};

static const struct alias kinds[] = {
	{ "sale", "sale" }, { "rent", "rent" },
	{ "kauf", "sale" }, { "miete_pacht", "rent" }, { "miete", "rent" },
	{ "pacht", "rent" }, { "vente", "sale" }, { "location", "rent" },
	{ "buy", "sale" },
};

static const struct alias states[] = {
	{ "available", "available" }, { "reserved", "reserved" },
	{ "sold", "sold" }, { "withdrawn", "withdrawn" },
	{ "offen", "available" }, { "reserviert", "reserved" },
	{ "verkauft", "sold" }, { "vermietet", "sold" },
	{ "rented", "sold" },
};

/* leadgate's types first (their own row), then OpenImmo's objektart. */
static const struct alias types[] = {
	{ "apartment", "apartment" }, { "house", "house" },
	{ "land", "land" }, { "office", "office" }, { "retail", "retail" },
	{ "hospitality", "hospitality" }, { "industrial", "industrial" },
	{ "agricultural", "agricultural" }, { "parking", "parking" },
	{ "leisure", "leisure" }, { "investment", "investment" },
	{ "room", "room" }, { "other", "other" },
	{ "wohnung", "apartment" }, { "haus", "house" },
	{ "grundstueck", "land" }, { "buero_praxen", "office" },
	{ "einzelhandel", "retail" }, { "gastgewerbe", "hospitality" },
	{ "hallen_lager_prod", "industrial" },
	{ "land_und_forstwirtschaft", "agricultural" },
	{ "parken", "parking" }, { "freizeitimmobilie_gewerblich", "leisure" },
	{ "zinshaus_renditeobjekt", "investment" }, { "zimmer", "room" },
	{ "sonstige", "other" },
};

static const char *
alias_find(const struct alias *v, size_t n, const char *s)
{
	size_t i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (strcasecmp(v[i].from, s) == 0)
			return v[i].to;
	return NULL;
}

const char *
object_kind_norm(const char *s)
{
	return alias_find(kinds, NELEM(kinds), s);
}

const char *
object_state_norm(const char *s)
{
	return alias_find(states, NELEM(states), s);
}

const char *
object_type_norm(const char *s)
{
	return alias_find(types, NELEM(types), s);
}

const char *
object_type_names(void)
{
	return "apartment|house|land|office|retail|hospitality|industrial|"
	    "agricultural|parking|leisure|investment|room|other";
}

/* Digits with ' or spaces as thousands marks, , or . as decimal mark. */
int
object_number(const char *s, double *out)
{
	char tmp[64], *end;
	size_t n = 0;

	*out = OBJ_UNSET;
	if (s == NULL)
		return -1;
	for (; *s && n + 1 < sizeof(tmp); s++) {
		if (*s == '\'' || *s == ' ' || *s == '_')
			continue;
		tmp[n++] = *s == ',' ? '.' : *s;
	}
	tmp[n] = '\0';
	if (n == 0)
		return -1;
	*out = strtod(tmp, &end);
	if (*end != '\0' || !isfinite(*out) || *out < 0) {
		*out = OBJ_UNSET;
		return -1;
	}
	return 0;
}

struct object *
object_new(void)
{
	struct object *o = xcalloc(1, sizeof(*o));

	o->price = o->rooms = o->area = OBJ_UNSET;
	return o;
}

static void
object_clear(struct object *o)
{
	size_t i;

	for (i = 0; i < o->naliases; i++)
		free(o->aliases[i]);
	free(o->aliases);
	free(o->ref);
	free(o->title);
	free(o->kind);
	free(o->type);
	free(o->street);
	free(o->postcode);
	free(o->city);
	free(o->state);
	free(o->origin);
	free(o->created_at);
	free(o->updated_at);
}

void
object_free(struct object *o)
{
	if (o == NULL)
		return;
	object_clear(o);
	free(o);
}

void
objects_free(struct object *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		object_clear(&v[i]);
	free(v);
}

void
object_alias_add(struct object *o, const char *alias)
{
	size_t i;

	if (alias == NULL || *alias == '\0' ||
	    (o->ref && strcmp(o->ref, alias) == 0))
		return;
	for (i = 0; i < o->naliases; i++)
		if (strcmp(o->aliases[i], alias) == 0)
			return;
	o->aliases = xreallocarray(o->aliases, o->naliases + 1,
	    sizeof(*o->aliases));
	o->aliases[o->naliases++] = xstrdup(alias);
}

struct search_profile *
search_profile_new(void)
{
	struct search_profile *p = xcalloc(1, sizeof(*p));

	p->price_min = p->price_max = OBJ_UNSET;
	p->rooms_min = p->rooms_max = OBJ_UNSET;
	p->area_min = p->area_max = OBJ_UNSET;
	return p;
}

void
search_profile_clear(struct search_profile *p)
{
	if (p == NULL)
		return;
	free(p->kind);
	free(p->type);
	free(p->postcodes);
	free(p->cities);
	free(p->origin);
	free(p->created_at);
	memset(p, 0, sizeof(*p));
	p->price_min = p->price_max = OBJ_UNSET;
	p->rooms_min = p->rooms_max = OBJ_UNSET;
	p->area_min = p->area_max = OBJ_UNSET;
}

void
search_profiles_free(struct search_profile *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		search_profile_clear(&v[i]);
	free(v);
}

/* The profile's fields by name: text ones or numbers. */
static const struct {
	const char *key;
	size_t off;
	int number;
} pfields[] = {
	{ "kind", offsetof(struct search_profile, kind), 0 },
	{ "type", offsetof(struct search_profile, type), 0 },
	{ "price_min", offsetof(struct search_profile, price_min), 1 },
	{ "price_max", offsetof(struct search_profile, price_max), 1 },
	{ "rooms_min", offsetof(struct search_profile, rooms_min), 1 },
	{ "rooms_max", offsetof(struct search_profile, rooms_max), 1 },
	{ "area_min", offsetof(struct search_profile, area_min), 1 },
	{ "area_max", offsetof(struct search_profile, area_max), 1 },
	{ "postcodes", offsetof(struct search_profile, postcodes), 0 },
	{ "cities", offsetof(struct search_profile, cities), 0 },
};

const char *
search_profile_keys(void)
{
	return "kind, type, price_min, price_max, rooms_min, rooms_max, "
	    "area_min, area_max, postcodes, cities";
}

int
search_profile_set(struct search_profile *p, const char *key,
    const char *value, struct err *e)
{
	const char *w = value;
	size_t i;
	char *at;

	for (i = 0; i < NELEM(pfields); i++)
		if (strcasecmp(pfields[i].key, key) == 0)
			break;
	if (i == NELEM(pfields))
		return err_set(e, LG_EPERM, "unknown profile field '%s' "
		    "(known: %s)", key, search_profile_keys());
	at = (char *)p + pfields[i].off;
	if (pfields[i].number) {
		if (object_number(value, (double *)(void *)at) != 0)
			return err_set(e, LG_EPERM, "%s: expected a number, "
			    "not '%s'", key, value);
		return LG_OK;
	}
	if (strcmp(pfields[i].key, "kind") == 0 &&
	    (w = object_kind_norm(value)) == NULL)
		return err_set(e, LG_EPERM, "kind: sale or rent, not '%s'",
		    value);
	if (strcmp(pfields[i].key, "type") == 0 &&
	    (w = object_type_norm(value)) == NULL)
		return err_set(e, LG_EPERM, "type: one of %s, not '%s'",
		    object_type_names(), value);
	xstrset((char **)(void *)at, *w ? w : NULL);
	return LG_OK;
}

struct search_profile *
search_profile_from_custom(const char *custom, char **bad)
{
	json_t *o = json_loads(custom ? custom : "{}", 0, NULL), *v;
	struct search_profile *p = NULL;
	const char *key;
	struct err e;

	*bad = NULL;
	if (!json_is_object(o)) {
		json_decref(o);
		return NULL;
	}
	json_object_foreach(o, key, v) {
		if (strncmp(key, "search.", 7) != 0 || !json_is_string(v))
			continue;
		if (p == NULL)
			p = search_profile_new();
		err_clear(&e);
		if (search_profile_set(p, key + 7, json_string_value(v), &e) !=
		    LG_OK && *bad == NULL)
			*bad = xstrdup(e.msg);
	}
	json_decref(o);
	if (p != NULL && search_profile_empty(p)) {
		search_profile_clear(p);
		free(p);
		p = NULL;
	}
	return p;
}

int
search_profile_empty(const struct search_profile *p)
{
	return p->kind == NULL && p->type == NULL && p->postcodes == NULL &&
	    p->cities == NULL && p->price_min < 0 && p->price_max < 0 &&
	    p->rooms_min < 0 && p->rooms_max < 0 && p->area_min < 0 &&
	    p->area_max < 0;
}

static void
range_describe(struct buf *b, const char *what, double lo, double hi)
{
	if (lo < 0 && hi < 0)
		return;
	if (b->len)
		buf_adds(b, ", ");
	buf_printf(b, "%s ", what);
	if (lo >= 0 && hi >= 0)
		buf_printf(b, "%.15g-%.15g", lo, hi);
	else if (lo >= 0)
		buf_printf(b, ">= %.15g", lo);
	else
		buf_printf(b, "<= %.15g", hi);
}

char *
search_profile_describe(const struct search_profile *p)
{
	struct buf b = BUF_INIT;

	if (p->kind)
		buf_adds(&b, p->kind);
	if (p->type)
		buf_printf(&b, "%s%s", b.len ? " " : "", p->type);
	range_describe(&b, "price", p->price_min, p->price_max);
	range_describe(&b, "rooms", p->rooms_min, p->rooms_max);
	range_describe(&b, "area", p->area_min, p->area_max);
	if (p->postcodes)
		buf_printf(&b, "%spostcodes %s", b.len ? ", " : "",
		    p->postcodes);
	if (p->cities)
		buf_printf(&b, "%scities %s", b.len ? ", " : "", p->cities);
	if (b.len == 0)
		buf_adds(&b, "anything");
	return buf_detach(&b);
}

/* 1 when one item of the comma list is v (a trailing * is a prefix). */
static int
list_has(const char *list, const char *v, int folded)
{
	const char *p = list, *end;
	char item[128];
	size_t n;

	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		end = p + strcspn(p, ",");
		n = (size_t)(end - p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n > 0 && n < sizeof(item)) {
			memcpy(item, p, n);
			item[n] = '\0';
			if (item[n - 1] == '*' ?
			    strncasecmp(v, item, n - 1) == 0 :
			    folded ? fold_bare_eq(item, v) : strcmp(item, v) == 0)
				return 1;
		}
		p = end;
	}
	return 0;
}

struct mctx {
	struct buf ok, bad;
	int fails;
};

static void
mnote(struct mctx *m, int pass, const char *msg)
{
	struct buf *out = pass ? &m->ok : &m->bad;

	if (!pass)
		m->fails++;
	if (out->len)
		buf_adds(out, "; ");
	buf_adds(out, msg);
}

static void
mtext(struct mctx *m, const char *what, const char *have, const char *want,
    int list, int folded)
{
	char msg[512];
	int pass;

	if (want == NULL)
		return;
	if (have == NULL) {
		snprintf(msg, sizeof(msg), "%s unknown (wanted %s)", what, want);
		mnote(m, 0, msg);
		return;
	}
	pass = list ? list_has(want, have, folded) : strcasecmp(have, want) == 0;
	snprintf(msg, sizeof(msg), "%s %s %s %s", what, have,
	    list ? (pass ? "in" : "not in") : (pass ? "=" : "!="), want);
	mnote(m, pass, msg);
}

static void
mrange(struct mctx *m, const char *what, double have, double lo, double hi)
{
	char msg[160], w[64];
	int pass;

	if (lo < 0 && hi < 0)
		return;
	if (lo >= 0 && hi >= 0)
		snprintf(w, sizeof(w), "%.15g-%.15g", lo, hi);
	else if (lo >= 0)
		snprintf(w, sizeof(w), ">= %.15g", lo);
	else
		snprintf(w, sizeof(w), "<= %.15g", hi);
	if (have < 0) {
		snprintf(msg, sizeof(msg), "%s unknown (wanted %s)", what, w);
		mnote(m, 0, msg);
		return;
	}
	pass = (lo < 0 || have >= lo) && (hi < 0 || have <= hi);
	snprintf(msg, sizeof(msg), "%s %.15g %s %s", what, have,
	    pass ? "in" : "not in", w);
	mnote(m, pass, msg);
}

int
object_match(const struct object *o, const struct search_profile *p,
    char **why)
{
	struct mctx m;

	memset(&m, 0, sizeof(m));
	mtext(&m, "kind", o->kind, p->kind, 0, 0);
	mtext(&m, "type", o->type, p->type, 0, 0);
	mrange(&m, "price", o->price, p->price_min, p->price_max);
	mrange(&m, "rooms", o->rooms, p->rooms_min, p->rooms_max);
	mrange(&m, "area", o->area, p->area_min, p->area_max);
	mtext(&m, "postcode", o->postcode, p->postcodes, 1, 0);
	mtext(&m, "city", o->city, p->cities, 1, 1);
	if (why != NULL) {
		if (m.fails == 0 && m.ok.len == 0)
			buf_adds(&m.ok, "the profile asks for nothing");
		*why = buf_detach(m.fails ? &m.bad : &m.ok);
	}
	buf_free(&m.ok);
	buf_free(&m.bad);
	return m.fails;
}
