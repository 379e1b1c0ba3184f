/* objects import|list|show */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gateway/cli.h"
#include "gateway/cmdutil.h"
#include "gateway/cmd.h"
#include "core/config.h"
#include "core/domain.h"
#include "core/object.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "core/view.h"
#include "parse/objfeed.h"
#include "util/table.h"
#include "util/xmalloc.h"

/* ---- import ---- */

struct import_job {
	struct objfeed feed;
	long made, changed, same, withdrawn, bad;
	char **avail;		/* refs made available: match.on_import */
	size_t navail;
	const char *path;
};

static void
import_avail(struct import_job *j, const struct object *o,
    const struct object *old)
{
	if (strcmp(o->state ? o->state : "available", "available") != 0 ||
	    (old != NULL && strcmp(old->state, "available") == 0))
		return;
	j->avail = xreallocarray(j->avail, j->navail + 1, sizeof(*j->avail));
	j->avail[j->navail++] = xstrdup(o->ref);
}

static int
text_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* 1 when what the feed says about o is what the store has. */
static int
object_same(const struct object *a, const struct object *b)
{
	size_t i, j;

	if (!text_eq(a->title, b->title) || !text_eq(a->kind, b->kind) ||
	    !text_eq(a->type, b->type) || !text_eq(a->street, b->street) ||
	    !text_eq(a->postcode, b->postcode) || !text_eq(a->city, b->city) ||
	    !text_eq(a->state, b->state) || !text_eq(a->origin, b->origin) ||
	    a->price != b->price || a->rooms != b->rooms || a->area != b->area ||
	    a->naliases != b->naliases)
		return 0;
	for (i = 0; i < a->naliases; i++) {
		for (j = 0; j < b->naliases; j++)
			if (strcmp(a->aliases[i], b->aliases[j]) == 0)
				break;
		if (j == b->naliases)
			return 0;
	}
	return 1;
}

/* An alias that is another object's id: the record is refused. */
static int
import_alias_taken(struct store *st, const struct object *o, int64_t self,
    struct err *e)
{
	int64_t owner;
	size_t i;
	int rc;

	for (i = 0; i < o->naliases; i++) {
		rc = store_object_find(st, o->aliases[i], &owner, e);
		if (rc == LG_OK && owner != self)
			return err_set(e, LG_EEXIST, "object %s: '%s' is already "
			    "an id of another object", o->ref, o->aliases[i]);
		if (rc != LG_OK && rc != LG_ENOENT)
			return rc;
	}
	return LG_OK;
}

static int
import_one(struct store *st, struct import_job *j, struct object *o,
    struct err *e)
{
	struct object *old = NULL;
	int64_t id = 0;
	int rc;

	rc = store_object_find(st, o->ref, &id, e);
	if (rc == LG_ENOENT)
		id = 0;
	if ((rc == LG_OK || rc == LG_ENOENT) &&
	    (rc = import_alias_taken(st, o, id, e)) != LG_OK)
		return rc;
	rc = id ? LG_OK : LG_ENOENT;
	if (rc == LG_OK && (rc = store_object_get(st, id, &old, e)) == LG_OK &&
	    object_same(o, old)) {
		j->same++;
		object_free(old);
		return LG_OK;
	}
	if (rc != LG_OK && rc != LG_ENOENT)
		return rc;
	if ((rc = store_object_save(st, o, e)) == LG_OK) {
		import_avail(j, o, old);
		if (old)
			j->changed++;
		else
			j->made++;
	}
	object_free(old);
	return rc;
}

static int
withdraw(struct store *st, struct import_job *j, int64_t id, struct err *e)
{
	struct object *o;
	int rc;

	if ((rc = store_object_get(st, id, &o, e)) != LG_OK)
		return rc;
	if (strcmp(o->state, "withdrawn") != 0 &&
	    (rc = store_object_set_state(st, id, "withdrawn", e)) == LG_OK)
		j->withdrawn++;
	object_free(o);
	return rc;
}

static int
in_feed(const struct objfeed *f, const char *ref)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i]->ref, ref) == 0)
			return 1;
	return 0;
}

/* A full OpenImmo feed: the OpenImmo objects it lacks are gone. */
static int
withdraw_missing(struct store *st, struct import_job *j, struct err *e)
{
	struct object *v;
	size_t n, i;
	int rc;

	if ((rc = store_objects_list(st, NULL, "openimmo", &v, &n, e)) != LG_OK)
		return rc;
	for (i = 0; i < n && rc == LG_OK; i++)
		if (!in_feed(&j->feed, v[i].ref))
			rc = withdraw(st, j, v[i].id, e);
	objects_free(v, n);
	return rc;
}

static int
import_tx(struct cli *c, void *arg, struct err *e)
{
	struct import_job *j = arg;
	int64_t id;
	size_t i;
	int rc = LG_OK;

	/* cli_tx() may run this again after a busy store: start afresh. */
	for (i = 0; i < j->navail; i++)
		free(j->avail[i]);
	j->navail = 0;
	j->made = j->changed = j->same = j->withdrawn = j->bad = 0;
	for (i = 0; i < j->feed.n && rc == LG_OK; i++)
		if ((rc = import_one(c->st, j, j->feed.v[i], e)) == LG_EEXIST) {
			/* checked before anything of it was written */
			fprintf(stderr, "leadgate: %s: %s:%lu: %s\n",
			    c->cmdname, j->path,
			    j->feed.lines[i], e->msg);
			err_clear(e);
			j->bad++;
			rc = LG_OK;
		}
	for (i = 0; i < j->feed.ndeleted && rc == LG_OK; i++) {
		rc = store_object_find(c->st, j->feed.deleted[i], &id, e);
		if (rc == LG_OK)
			rc = withdraw(c->st, j, id, e);
		else if (rc == LG_ENOENT)
			rc = LG_OK;	/* never imported: nothing to withdraw */
	}
	if (rc == LG_OK && j->feed.full)
		rc = withdraw_missing(c->st, j, e);
	return rc;
}

int
cmd_objects_import(struct cli *c, int argc, char **argv)
{
	struct import_job j;
	struct store *st;
	struct err e;
	size_t i;
	int rc;

	if (argc != 2)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	memset(&j, 0, sizeof(j));
	j.path = argv[1];
	err_clear(&e);
	if ((rc = objfeed_read(argv[1], &j.feed, &e)) != LG_OK)
		return cli_fail_err(c, &e);
	for (i = 0; i < j.feed.nerrors; i++)
		fprintf(stderr, "leadgate: %s: %s\n", c->cmdname,
		    j.feed.errors[i]);
	if ((rc = cli_tx(c, import_tx, &j)) == EXIT_OK) {
		printf("%s: %zu objects: %ld new, %ld changed, %ld unchanged; "
		    "%ld withdrawn; %zu bad records\n", argv[1], j.feed.n,
		    j.made, j.changed, j.same, j.withdrawn,
		    j.feed.nbad + (size_t)j.bad);
		if (j.feed.nbad > 0 || j.bad > 0)
			rc = EXIT_DATAERR;
		if (c->cfg->match.on_import && j.navail > 0) {
			int mrc = cmd_match_objects(c, (const char *const *)
			    j.avail, j.navail);

			if (mrc != EXIT_OK)
				rc = mrc;
		}
	}
	for (i = 0; i < j.navail; i++)
		free(j.avail[i]);
	free(j.avail);
	objfeed_clear(&j.feed);
	return rc;
}

/* ---- list and show ---- */

static json_t *
json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

static void
num_text(char *out, size_t len, double v)
{
	if (v < 0)
		snprintf(out, len, "-");
	else
		snprintf(out, len, "%.15g", v);
}

/* --json, or --format table|json; a state to keep. */
static int
objects_format(struct cli *c, const char *f, int *json)
{
	if (strcmp(f, "json") == 0)
		*json = 1;
	else if (strcmp(f, "table") == 0)
		*json = 0;
	else
		return cli_fail(c, EXIT_USAGE, "--format takes table or json, "
		    "not '%s'", f);
	return EXIT_OK;
}

int
cmd_objects_list(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "ID", "REF", "KIND", "TYPE",
	    "PRICE", "ROOMS", "AREA", "POSTCODE", "CITY", "STATE" };
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *state = NULL, *row[10];
	char id[24], price[32], rooms[32], area[32];
	struct object *v = NULL;
	struct table *t;
	struct store *st;
	json_t *arr;
	struct err e;
	size_t n = 0, i;
	int ch, json = 0, rc;

	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 's')
			state = optarg;
		else if (ch == 'j')
			json = 1;
		else if (ch == 'f') {
			if ((rc = objects_format(c, optarg, &json)) != EXIT_OK)
				return rc;
		} else
			return EXIT_USAGE;
	}
	/* --format and --json are taken out of argv before (cli.h). */
	json |= cmdutil_json(c);
	if (optind != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if (state && object_state_norm(state) == NULL)
		return cli_fail(c, EXIT_USAGE, "--state takes available, "
		    "reserved, sold or withdrawn, not '%s'", state);
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_objects_list(st, state ? object_state_norm(state) : NULL,
	    NULL, &v, &n, &e) != LG_OK)
		return cli_fail_err(c, &e);
	if (json) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, view_object(&v[i]));
		view_print(arr);
		objects_free(v, n);
		return EXIT_OK;
	}
	t = table_new(10, head);
	for (i = 4; i <= 6; i++)
		table_align_right(t, i);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)v[i].id);
		num_text(price, sizeof(price), v[i].price);
		num_text(rooms, sizeof(rooms), v[i].rooms);
		num_text(area, sizeof(area), v[i].area);
		row[0] = id;
		row[1] = v[i].ref;
		row[2] = v[i].kind;
		row[3] = v[i].type;
		row[4] = price;
		row[5] = rooms;
		row[6] = area;
		row[7] = v[i].postcode;
		row[8] = v[i].city;
		row[9] = v[i].state;
		table_add(t, row);
	}
	table_print(t, stdout, TABLE_TEXT);
	table_free(t);
	objects_free(v, n);
	return EXIT_OK;
}

/* The object of a ref, an alias or an id. */
static int
object_lookup(struct cli *c, struct store *st, const char *key,
    struct object **out)
{
	struct err e;
	int64_t id;
	char *end;
	int rc;

	err_clear(&e);
	if ((rc = store_object_find(st, key, &id, &e)) == LG_ENOENT) {
		id = strtoll(key, &end, 10);
		if (*key == '\0' || *end != '\0' || id <= 0)
			return cli_fail(c, EXIT_NOINPUT, "no object '%s'", key);
		rc = LG_OK;
	}
	if (rc == LG_OK)
		rc = store_object_get(st, id, out, &e);
	if (rc == LG_ENOENT)
		return cli_fail(c, EXIT_NOINPUT, "no object '%s'", key);
	return rc == LG_OK ? EXIT_OK : cli_fail_err(c, &e);
}

/* One lead of the object, with its contact, for "Objet > Contact". */
struct oline {
	struct lead *l;
	struct contact *ct;
	int order;		/* pipeline index * 1000 + phase */
};

static int
oline_cmp(const void *a, const void *b)
{
	const struct oline *x = a, *y = b;

	if (x->order != y->order)
		return x->order - y->order;
	return x->l->id < y->l->id ? -1 : x->l->id > y->l->id;
}

static int
olines_load(struct domain *d, int64_t object_id, struct oline **out,
    size_t *n, struct err *e)
{
	struct idlist ids = IDLIST_INIT;
	struct oline *v;
	size_t i, k;
	int rc;

	*n = 0;
	if ((rc = store_object_leads(d->st, object_id, &ids, e)) != LG_OK)
		return rc;
	v = xcalloc(ids.n + 1, sizeof(*v));
	for (i = 0; i < ids.n && rc == LG_OK; i++) {
		if ((rc = store_lead_get(d->st, ids.v[i], &v[i].l, e)) != LG_OK ||
		    (rc = store_contact_get(d->st, v[i].l->contact_id,
		    &v[i].ct, e)) != LG_OK)
			break;
		for (k = 0; k < d->pl->n; k++)
			if (strcmp(d->pl->v[k].name, v[i].l->pipeline) == 0)
				break;
		v[i].order = (int)k * 1000 + v[i].l->phase_no;
	}
	*n = i;
	if (rc == LG_OK)
		qsort(v, *n, sizeof(*v), oline_cmp);
	*out = v;
	idlist_free(&ids);
	return rc;
}

static void
olines_free(struct oline *v, size_t n)
{
	size_t i;

	for (i = 0; i <= n && v != NULL; i++) {
		lead_free(v[i].l);
		contact_free(v[i].ct);
	}
	free(v);
}

static const char *
phase_name(const struct domain *d, const struct lead *l)
{
	const struct pipeline *pl = pipelines_find(d->pl, l->pipeline);
	const struct phase *ph = pl ? pipeline_phase(pl, l->phase_no) : NULL;

	return ph ? ph->name : "?";
}

static void
object_print_text(const struct domain *d, const struct object *o,
    const struct oline *v, size_t n)
{
	char num[32];
	size_t i;
	int order = -1;

	printf("object %lld: %s\n", (long long)o->id, o->ref);
	if (o->naliases > 0) {
		printf("  also known as:");
		for (i = 0; i < o->naliases; i++)
			printf(" %s", o->aliases[i]);
		putchar('\n');
	}
	if (o->title)
		printf("  title: %s\n", o->title);
	printf("  kind: %s\n  type: %s\n", o->kind ? o->kind : "-",
	    o->type ? o->type : "-");
	num_text(num, sizeof(num), o->price);
	printf("  price: %s\n", num);
	num_text(num, sizeof(num), o->rooms);
	printf("  rooms: %s\n", num);
	num_text(num, sizeof(num), o->area);
	printf("  area: %s\n", num);
	printf("  address: %s%s%s%s%s\n", o->street ? o->street : "",
	    o->street ? ", " : "", o->postcode ? o->postcode : "",
	    o->postcode && o->city ? " " : "", o->city ? o->city : "");
	printf("  state: %s\n  origin: %s\n", o->state, o->origin);
	if (n == 0) {
		printf("no contacts\n");
		return;
	}
	printf("contacts by phase:\n");
	for (i = 0; i < n; i++) {
		if (v[i].order != order) {
			order = v[i].order;
			printf("  %s %d %s:\n", v[i].l->pipeline,
			    v[i].l->phase_no, phase_name(d, v[i].l));
		}
		printf("    lead %lld (%s): contact %lld %s %s%s%s\n",
		    (long long)v[i].l->id, lead_status_name(v[i].l->status),
		    (long long)v[i].ct->id,
		    v[i].ct->first_name ? v[i].ct->first_name : "",
		    v[i].ct->last_name ? v[i].ct->last_name :
		    v[i].ct->company ? v[i].ct->company : "",
		    v[i].ct->nemails ? " " : "",
		    v[i].ct->nemails ? v[i].ct->emails[0].given : "");
	}
}

static json_t *
object_contacts_json(const struct domain *d, const struct oline *v, size_t n)
{
	json_t *arr = json_array(), *j;
	size_t i;

	for (i = 0; i < n; i++) {
		j = json_object();
		json_object_set_new(j, "pipeline", json_str(v[i].l->pipeline));
		json_object_set_new(j, "phase_no",
		    json_integer(v[i].l->phase_no));
		json_object_set_new(j, "phase", json_str(phase_name(d, v[i].l)));
		json_object_set_new(j, "lead", view_lead(v[i].l, d->pl));
		json_object_set_new(j, "contact", view_contact(v[i].ct));
		json_array_append_new(arr, j);
	}
	return arr;
}

int
cmd_objects_show(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct object *o = NULL;
	struct oline *v = NULL;
	struct domain d;
	struct err e;
	size_t n = 0;
	json_t *j;
	int ch, json = 0, rc;

	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 'j')
			json = 1;
		else if (ch == 'f') {
			if ((rc = objects_format(c, optarg, &json)) != EXIT_OK)
				return rc;
		} else
			return EXIT_USAGE;
	}
	json |= cmdutil_json(c);
	if (optind + 1 != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_domain(c, &d)) != EXIT_OK ||
	    (rc = object_lookup(c, d.st, argv[optind], &o)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (olines_load(&d, o->id, &v, &n, &e) != LG_OK) {
		rc = cli_fail_err(c, &e);
	} else if (json) {
		j = view_object(o);
		json_object_set_new(j, "contacts", object_contacts_json(&d, v,
		    n));
		view_print(j);
	} else {
		object_print_text(&d, o, v, n);
	}
	olines_free(v, n);
	object_free(o);
	return rc;
}
