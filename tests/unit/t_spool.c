#include <stdio.h>
#include <stdlib.h>

#include "core/pipeline.h"
#include "core/store.h"
#include "util/xmalloc.h"
#include "t_spool.h"

static void
t_spool_die(const char *what, const struct err *e)
{
	fprintf(stderr, "not ok - set-up: %s: %s\n", what, e->msg);
	exit(1);
}

static void
t_spool_seed(struct domain *d)
{
	struct contact *c = contact_new();
	struct lead *l = lead_new();
	struct err e;

	err_clear(&e);
	c->first_name = xstrdup("Anna");
	c->last_name = xstrdup("Muster");
	if (store_begin(d->st, &e) != LG_OK ||
	    store_source_add(d->st, "web", &e) != LG_OK ||
	    contact_add_email(c, "anna@example.com", &e) != LG_OK ||
	    domain_contact_add(d, c, &e) != LG_OK)
		t_spool_die("contact", &e);
	l->contact_id = c->id;
	l->source = xstrdup("web");
	l->connector = xstrdup("manual");
	if (domain_lead_add(d, l, "test", &e) != LG_OK ||
	    store_commit(d->st, &e) != LG_OK)
		t_spool_die("lead", &e);
	contact_free(c);
	lead_free(l);
}

void
t_spool_domain(const char *dir, struct domain *d)
{
	const char *top = getenv("TOP");
	struct pipelines *pl;
	char path[4096];
	struct err e;

	err_clear(&e);
	snprintf(path, sizeof(path), "%s/etc/pipelines.conf", top ? top : ".");
	if (pipelines_load(path, &pl, &e) != LG_OK)
		t_spool_die("pipelines", &e);
	snprintf(path, sizeof(path), "%s/lg.db", dir);
	d->pl = pl;
	d->country = "CH";
	if (store_open(path, NULL, &d->st, &e) != LG_OK)
		t_spool_die("store", &e);
	t_spool_seed(d);
}

void
t_spool_domain_close(struct domain *d)
{
	store_close(d->st);
	pipelines_free((struct pipelines *)d->pl);
}

char *
t_spool_message(int n)
{
	return xasprintf("Date: Mon, 05 Jan 2026 10:00:00 +0000\r\n"
	    "From: Agence Muster <info@agency.example>\r\n"
	    "To: Anna Muster <anna@example.com>\r\n"
	    "Message-ID: <%d@test.example>\r\n"
	    "Subject: Votre demande %d\r\n"
	    "\r\n"
	    "Bonjour,\r\n.leading dot\r\n", n, n);
}

struct outgoing *
t_spool_outgoing(int n)
{
	struct outgoing *o = outgoing_new();

	o->dedup_key = xasprintf("k%d", n);
	o->lead_id = 1;
	o->contact_id = 1;
	o->template = xstrdup("welcome");
	o->sender = xstrdup("info@agency.example");
	o->rcpt = xstrdup("anna@example.com");
	return o;
}
