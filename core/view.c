#include <stdio.h>
#include <stdlib.h>

#include "core/pipeline.h"
#include "core/view.h"

static json_t *
view_str(const char *s)
{
	json_t *v;

	if (s == NULL)
		return json_null();
	/* Invalid UTF-8 never reaches the store, but never print garbage either. */
	v = json_string(s);
	return v ? v : json_string("?");
}

static json_t *
view_id(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

json_t *
view_custom(const char *text)
{
	json_t *v = json_loads(text ? text : "{}", 0, NULL);

	if (!json_is_object(v)) {
		json_decref(v);
		v = json_object();
	}
	return v;
}

static json_t *
view_addrs(const struct contact_addr *v, size_t n, int given)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, view_str(given ? v[i].given :
		    v[i].norm));
	return a;
}

json_t *
view_contact(const struct contact *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "type", view_str(contact_type_name(c->type)));
	json_object_set_new(o, "kind", view_str(contact_kind_name(c->kind)));
	json_object_set_new(o, "salutation", view_str(c->salutation));
	json_object_set_new(o, "first_name", view_str(c->first_name));
	json_object_set_new(o, "last_name", view_str(c->last_name));
	json_object_set_new(o, "company", view_str(c->company));
	json_object_set_new(o, "company_id", view_id(c->company_id));
	json_object_set_new(o, "emails", view_addrs(c->emails, c->nemails, 0));
	json_object_set_new(o, "emails_given", view_addrs(c->emails,
	    c->nemails, 1));
	json_object_set_new(o, "phones", view_addrs(c->phones, c->nphones, 0));
	json_object_set_new(o, "phones_given", view_addrs(c->phones,
	    c->nphones, 1));
	json_object_set_new(o, "language", view_str(c->language));
	json_object_set_new(o, "street", view_str(c->street));
	json_object_set_new(o, "postcode", view_str(c->postcode));
	json_object_set_new(o, "city", view_str(c->city));
	json_object_set_new(o, "prospect_state",
	    view_str(prospect_state_name(c->prospect)));
	json_object_set_new(o, "client_state",
	    view_str(client_state_name(c->client)));
	json_object_set_new(o, "opt_out", json_boolean(c->opt_out));
	json_object_set_new(o, "invalid_address",
	    json_boolean(c->invalid_address));
	json_object_set_new(o, "custom", view_custom(c->custom));
	json_object_set_new(o, "created_at", view_str(c->created_at));
	json_object_set_new(o, "updated_at", view_str(c->updated_at));
	return o;
}

json_t *
view_lead(const struct lead *l, const struct pipelines *pls)
{
	const struct pipeline *pl = pls ? pipelines_find(pls, l->pipeline) : NULL;
	const struct phase *ph = pl ? pipeline_phase(pl, l->phase_no) : NULL;
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(l->id));
	json_object_set_new(o, "contact_id", json_integer(l->contact_id));
	json_object_set_new(o, "pipeline", view_str(l->pipeline));
	json_object_set_new(o, "phase_no", json_integer(l->phase_no));
	json_object_set_new(o, "phase", view_str(ph ? ph->name : NULL));
	json_object_set_new(o, "status", view_str(lead_status_name(l->status)));
	json_object_set_new(o, "source", view_str(l->source));
	json_object_set_new(o, "object_ref", view_str(l->object_ref));
	json_object_set_new(o, "portal_object_ref",
	    view_str(l->portal_object_ref));
	json_object_set_new(o, "portal", view_str(l->portal));
	json_object_set_new(o, "portal_ref", view_str(l->portal_ref));
	json_object_set_new(o, "connector", view_str(l->connector));
	json_object_set_new(o, "message", view_str(l->message));
	json_object_set_new(o, "custom", view_custom(l->custom));
	json_object_set_new(o, "created_at", view_str(l->created_at));
	json_object_set_new(o, "updated_at", view_str(l->updated_at));
	json_object_set_new(o, "closed_at", view_str(l->closed_at));
	return o;
}

json_t *
view_history(const struct history *h)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(h->id));
	json_object_set_new(o, "at", view_str(h->at));
	json_object_set_new(o, "lead_id", view_id(h->lead_id));
	json_object_set_new(o, "contact_id", json_integer(h->contact_id));
	json_object_set_new(o, "action", view_str(h->action));
	json_object_set_new(o, "phase_before", h->phase_before ?
	    json_integer(h->phase_before) : json_null());
	json_object_set_new(o, "phase_after", h->phase_after ?
	    json_integer(h->phase_after) : json_null());
	json_object_set_new(o, "remark", view_str(h->remark));
	return o;
}

json_t *
view_deal(const struct deal *d)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(d->id));
	json_object_set_new(o, "lead_id", json_integer(d->lead_id));
	json_object_set_new(o, "contact_id", json_integer(d->contact_id));
	json_object_set_new(o, "company_id", view_id(d->company_id));
	json_object_set_new(o, "title", view_str(d->title));
	json_object_set_new(o, "object_ref", view_str(d->object_ref));
	json_object_set_new(o, "custom", view_custom(d->custom));
	json_object_set_new(o, "created_at", view_str(d->created_at));
	return o;
}

void
view_print(json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (s != NULL) {
		fputs(s, stdout);
		fputc('\n', stdout);
		free(s);
	}
	json_decref(v);
}

static json_t *
view_num(double v)
{
	return v < 0 ? json_null() : json_real(v);
}

json_t *
view_object(const struct object *o)
{
	json_t *j = json_object(), *a = json_array();
	size_t i;

	for (i = 0; i < o->naliases; i++)
		json_array_append_new(a, view_str(o->aliases[i]));
	json_object_set_new(j, "id", json_integer(o->id));
	json_object_set_new(j, "ref", view_str(o->ref));
	json_object_set_new(j, "aliases", a);
	json_object_set_new(j, "title", view_str(o->title));
	json_object_set_new(j, "kind", view_str(o->kind));
	json_object_set_new(j, "type", view_str(o->type));
	json_object_set_new(j, "price", view_num(o->price));
	json_object_set_new(j, "rooms", view_num(o->rooms));
	json_object_set_new(j, "area", view_num(o->area));
	json_object_set_new(j, "street", view_str(o->street));
	json_object_set_new(j, "postcode", view_str(o->postcode));
	json_object_set_new(j, "city", view_str(o->city));
	json_object_set_new(j, "state", view_str(o->state));
	json_object_set_new(j, "origin", view_str(o->origin));
	json_object_set_new(j, "created_at", view_str(o->created_at));
	json_object_set_new(j, "updated_at", view_str(o->updated_at));
	return j;
}

json_t *
view_profile(const struct search_profile *p)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(p->id));
	json_object_set_new(j, "contact_id", json_integer(p->contact_id));
	json_object_set_new(j, "kind", view_str(p->kind));
	json_object_set_new(j, "type", view_str(p->type));
	json_object_set_new(j, "price_min", view_num(p->price_min));
	json_object_set_new(j, "price_max", view_num(p->price_max));
	json_object_set_new(j, "rooms_min", view_num(p->rooms_min));
	json_object_set_new(j, "rooms_max", view_num(p->rooms_max));
	json_object_set_new(j, "area_min", view_num(p->area_min));
	json_object_set_new(j, "area_max", view_num(p->area_max));
	json_object_set_new(j, "postcodes", view_str(p->postcodes));
	json_object_set_new(j, "cities", view_str(p->cities));
	json_object_set_new(j, "origin", view_str(p->origin));
	json_object_set_new(j, "created_at", view_str(p->created_at));
	return j;
}
