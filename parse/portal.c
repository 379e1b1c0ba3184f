/*
 * Portal notification mails: one table entry per portal (its own
 * labels, listing URLs, footers; its sender domains and language are in
 * portals.c), one extractor for all. The portals send from noreply
 * addresses: the prospect's address comes from the labelled block,
 * Reply-To or the body, never from the portal.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/err.h"
#include "util/xmalloc.h"
#include "parse/extractor.h"
#include "parse/inquiry.h"
#include "parse/labels.h"
#include "parse/lang.h"
#include "parse/mail.h"
#include "parse/person.h"
#include "parse/portal.h"
#include "parse/portals.h"

#define URL_MAX		512

/* A listing URL: after marker, the last run of id characters. */
struct listing_url {
	const char *marker;
	int alnum;		/* ids of letters and digits, else digits */
	size_t minlen;
};

struct portal {
	const char *name;
	const char *display;
	const struct label *labels;
	const struct listing_url *urls;
	const char *const *markers;	/* text only this portal's mails have */
};

static const struct label is24_labels[] = {
	{ "Scout-ID", LF_PORTAL_OBJECT_REF, NULL, NULL },
	{ "ScoutID", LF_PORTAL_OBJECT_REF, NULL, NULL },
	{ "Anfrage-ID", LF_PORTAL_REF, NULL, "de" },
	{ "Kontaktanfrage-ID", LF_PORTAL_REF, NULL, "de" },
	{ "Anfragenummer", LF_PORTAL_REF, NULL, "de" },
	{ "Objekt", LF_CUSTOM, "object_title", "de" },
	{ "Objekttitel", LF_CUSTOM, "object_title", "de" },
	{ "Objektadresse", LF_CUSTOM, "object_address", "de" },
	{ "Adresse des Objekts", LF_CUSTOM, "object_address", "de" },
	{ "Einzugstermin", LF_CUSTOM, "move_in", "de" },
	{ "Einzugsdatum", LF_CUSTOM, "move_in", "de" },
	{ "Personen im Haushalt", LF_CUSTOM, "household", "de" },
	{ "Haushaltsgröße", LF_CUSTOM, "household", "de" },
	{ "Haustiere", LF_CUSTOM, "pets", "de" },
	{ "Nettoeinkommen", LF_CUSTOM, "income", "de" },
	{ "Haushaltsnettoeinkommen", LF_CUSTOM, "income", "de" },
	{ "Beruf", LF_CUSTOM, "profession", "de" },
	{ "Bonitätsauskunft", LF_CUSTOM, "credit_check", "de" },
	{ "Ihr ImmoScout24", LF_STOP, NULL, NULL },
	{ "Immobilien Scout GmbH", LF_STOP, NULL, NULL },
	{ "Zum Exposé", LF_STOP, NULL, NULL },
	{ "Anfrage im ImmoScout24", LF_STOP, NULL, NULL },
	{ NULL, LF_NONE, NULL, NULL },
};

static const struct listing_url is24_urls[] = {
	{ "immobilienscout24.de/expose/", 0, 6 },
	{ "immoscout24.de/expose/", 0, 6 },
	{ NULL, 0, 0 },
};

static const char *const is24_markers[] = { "Scout-ID:", NULL };

static const struct label immowelt_labels[] = {
	{ "Online-ID", LF_PORTAL_OBJECT_REF, NULL, NULL },
	{ "Immowelt-ID", LF_PORTAL_OBJECT_REF, NULL, NULL },
	{ "Anfrage-Nr.", LF_PORTAL_REF, NULL, "de" },
	{ "Anfrage-ID", LF_PORTAL_REF, NULL, "de" },
	{ "Vorgangsnummer", LF_PORTAL_REF, NULL, "de" },
	{ "Objekt", LF_CUSTOM, "object_title", "de" },
	{ "Immobilie", LF_CUSTOM, "object_title", "de" },
	{ "Wunschtermin", LF_CUSTOM, "appointment", "de" },
	{ "Besichtigungswunsch", LF_CUSTOM, "viewing", "de" },
	{ "Zum Exposé", LF_STOP, NULL, NULL },
	{ "Ihr immowelt", LF_STOP, NULL, NULL },
	{ "immowelt GmbH", LF_STOP, NULL, NULL },
	{ "Ihr Immonet", LF_STOP, NULL, NULL },
	{ NULL, LF_NONE, NULL, NULL },
};

static const struct listing_url immowelt_urls[] = {
	{ "immowelt.de/expose/", 1, 5 },
	{ "immonet.de/angebot/", 0, 6 },
	{ NULL, 0, 0 },
};

static const char *const immowelt_markers[] = {
	"Immowelt-ID:", "Online-ID:", NULL,
};

static const struct label homegate_labels[] = {
	{ "Inserate-ID", LF_PORTAL_OBJECT_REF, NULL, "de" },
	{ "Inserat-ID", LF_PORTAL_OBJECT_REF, NULL, "de" },
	{ "Inseratenummer", LF_PORTAL_OBJECT_REF, NULL, "de" },
	{ "Homegate-ID", LF_PORTAL_OBJECT_REF, NULL, NULL },
	{ "Angebots-ID", LF_PORTAL_OBJECT_REF, NULL, "de" },
	{ "ID de l'annonce", LF_PORTAL_OBJECT_REF, NULL, "fr" },
	{ "N° d'annonce", LF_PORTAL_OBJECT_REF, NULL, "fr" },
	{ "Numéro d'annonce", LF_PORTAL_OBJECT_REF, NULL, "fr" },
	{ "ID dell'annuncio", LF_PORTAL_OBJECT_REF, NULL, "it" },
	{ "Objekt-Referenz", LF_OBJECT_REF, NULL, "de" },
	{ "Referenz", LF_OBJECT_REF, NULL, "de" },
	{ "Anfrage-ID", LF_PORTAL_REF, NULL, "de" },
	{ "ID de la demande", LF_PORTAL_REF, NULL, "fr" },
	{ "ID della richiesta", LF_PORTAL_REF, NULL, "it" },
	{ "Inserat", LF_CUSTOM, "object_title", "de" },
	{ "Annonce", LF_CUSTOM, "object_title", "fr" },
	{ "Annuncio", LF_CUSTOM, "object_title", "it" },
	{ "Besichtigung", LF_CUSTOM, "viewing", "de" },
	{ "Visite", LF_CUSTOM, "viewing", "fr" },
	{ "Ihr Homegate", LF_STOP, NULL, NULL },
	{ "Votre équipe Homegate", LF_STOP, NULL, NULL },
	{ "Il vostro team Homegate", LF_STOP, NULL, NULL },
	{ "Ihr ImmoScout24", LF_STOP, NULL, NULL },
	{ "Votre équipe ImmoScout24", LF_STOP, NULL, NULL },
	{ "Homegate AG", LF_STOP, NULL, NULL },
	{ "SMG Swiss Marketplace Group", LF_STOP, NULL, NULL },
	{ NULL, LF_NONE, NULL, NULL },
};

static const struct listing_url homegate_urls[] = {
	{ "homegate.ch/", 0, 6 },
	{ "immoscout24.ch/", 0, 6 },
	{ NULL, 0, 0 },
};

static const char *const homegate_markers[] = {
	"Inserate-ID:", "Homegate-ID:", NULL,
};

static const struct label seloger_labels[] = {
	{ "Réf. SeLoger", LF_PORTAL_OBJECT_REF, NULL, "fr" },
	{ "Référence SeLoger", LF_PORTAL_OBJECT_REF, NULL, "fr" },
	{ "Identifiant SeLoger", LF_PORTAL_OBJECT_REF, NULL, "fr" },
	{ "N° de l'annonce", LF_PORTAL_OBJECT_REF, NULL, "fr" },
	{ "Numéro de l'annonce", LF_PORTAL_OBJECT_REF, NULL, "fr" },
	{ "N° de la demande", LF_PORTAL_REF, NULL, "fr" },
	{ "Numéro de demande", LF_PORTAL_REF, NULL, "fr" },
	{ "Référence de la demande", LF_PORTAL_REF, NULL, "fr" },
	{ "Identifiant de la demande", LF_PORTAL_REF, NULL, "fr" },
	{ "Annonce", LF_CUSTOM, "object_title", "fr" },
	{ "Bien", LF_CUSTOM, "object_title", "fr" },
	{ "Projet", LF_CUSTOM, "project", "fr" },
	{ "Type de projet", LF_CUSTOM, "project", "fr" },
	{ "Budget", LF_CUSTOM, "budget", "fr" },
	{ "Financement", LF_CUSTOM, "financing", "fr" },
	{ "Disponibilités", LF_CUSTOM, "availability", "fr" },
	{ "L'équipe SeLoger", LF_STOP, NULL, NULL },
	{ "L\xe2\x80\x99\xc3\xa9quipe SeLoger", LF_STOP, NULL, NULL },
	{ "Répondre à ce contact", LF_STOP, NULL, NULL },
	{ "Voir l'annonce", LF_STOP, NULL, NULL },
	{ NULL, LF_NONE, NULL, NULL },
};

static const struct listing_url seloger_urls[] = {
	{ "seloger.com/annonces/", 0, 6 },
	{ NULL, 0, 0 },
};

static const char *const seloger_markers[] = {
	"Réf. SeLoger", "Référence SeLoger", NULL,
};

static const struct label leboncoin_labels[] = {
	{ "Annonce", LF_CUSTOM, "object_title", "fr" },
	{ "Titre de l'annonce", LF_CUSTOM, "object_title", "fr" },
	{ "Numéro de l'annonce", LF_PORTAL_OBJECT_REF, NULL, "fr" },
	{ "Voir l'annonce", LF_STOP, NULL, NULL },
	{ "Pour répondre", LF_STOP, NULL, NULL },
	{ "L'équipe leboncoin", LF_STOP, NULL, NULL },
	{ NULL, LF_NONE, NULL, NULL },
};

static const struct listing_url leboncoin_urls[] = {
	{ "leboncoin.fr/", 0, 8 },
	{ NULL, 0, 0 },
};

static const char *const leboncoin_markers[] = {
	"messagerie leboncoin", NULL,
};

static const struct portal portals[] = {
	{ "immoscout24", "ImmoScout24", is24_labels, is24_urls, is24_markers },
	{ "immowelt", "Immowelt", immowelt_labels, immowelt_urls,
	    immowelt_markers },
	{ "homegate", "Homegate", homegate_labels, homegate_urls,
	    homegate_markers },
	{ "seloger", "SeLoger", seloger_labels, seloger_urls, seloger_markers },
	{ "leboncoin", "Leboncoin", leboncoin_labels, leboncoin_urls,
	    leboncoin_markers },
};

#define NPORTALS (sizeof(portals) / sizeof(portals[0]))

static const struct portal *
portal_find(const char *name)
{
	size_t i;

	for (i = 0; i < NPORTALS; i++)
		if (strcmp(portals[i].name, name) == 0)
			return &portals[i];
	/* The extractor table names only portals listed here. */
	abort();
}

/* The portal domain the mail comes from: From, Sender, Return-Path. */
static const struct portals_domain *
sender_domain(const struct portal *p, const struct mail *m)
{
	const struct portals_domain *d;

	if ((d = portals_domain(p->name, m->from_addr)) == NULL &&
	    (d = portals_domain(p->name, m->sender_addr)) == NULL)
		d = portals_domain(p->name, m->return_path);
	return d;
}

int
portal_detect(const struct mail *m, const char *arg)
{
	const struct portal *p = portal_find(arg);
	size_t i;

	if (sender_domain(p, m) != NULL)
		return 1;
	for (i = 0; p->markers[i]; i++)
		if (m->text && strstr(m->text, p->markers[i]))
			return 1;
	return 0;
}

/* The listing id in a URL after marker, and the URL itself. */
static int
url_id(const char *text, const struct listing_url *u, char **id, char **url)
{
	const char *p, *start, *end, *run, *best = NULL;
	size_t n, bestlen = 0;

	if (text == NULL || (p = strcasestr(text, u->marker)) == NULL)
		return 0;
	for (start = p; start > text && p - start < 16 &&
	    strncmp(start, "http", 4) != 0; start--)
		;
	if (strncmp(start, "http", 4) != 0)
		start = p;
	for (end = p; *end && !isspace((unsigned char)*end) &&
	    !strchr("\"'<>)]", *end) && end - start < URL_MAX; end++)
		;
	for (run = p + strlen(u->marker); run < end; run += n ? n : 1) {
		for (n = 0; run + n < end && (u->alnum ?
		    isalnum((unsigned char)run[n]) :
		    isdigit((unsigned char)run[n])); n++)
			;
		if (n >= u->minlen) {
			best = run;
			bestlen = n;
		}
	}
	if (best == NULL)
		return 0;
	*id = xstrndup(best, bestlen);
	*url = xstrndup(start, (size_t)(end - start));
	return 1;
}

static void
listing(struct extract_ctx *x, const struct portal *p)
{
	const struct listing_url *u;
	char *id, *url;

	for (u = p->urls; u->marker; u++) {
		if (!url_id(x->m->text, u, &id, &url) &&
		    !url_id(x->m->html, u, &id, &url))
			continue;
		if (x->q->portal_object_ref == NULL)
			inquiry_set(x->q, "portal_object_ref", id);
		extractor_custom(x, "listing_url", url);
		free(id);
		free(url);
		return;
	}
}

static void
language(struct extract_ctx *x, const struct portals_domain *d,
    const struct labels *l)
{
	const char *lang = NULL;

	if (x->q->language != NULL)
		return;
	if (d != NULL)
		lang = d->lang;
	/* Portals in several languages: the prospect's words, then ours. */
	if (lang == NULL)
		lang = lang_guess(x->q->message);
	if (lang == NULL)
		lang = l->lang;
	if (lang != NULL)
		inquiry_set(x->q, "language", lang);
	extractor_language(x);
}

int
portal_extract(struct extract_ctx *x, const char *arg)
{
	const struct portal *p = portal_find(arg);
	const struct portals_domain *d = sender_domain(p, x->m);
	const struct label *tables[] = { p->labels, labels_common, NULL };
	const char *rt = x->m->reply_to_addr;
	struct labels l;
	char *msg;

	labels_scan(x->m->text, tables, &l);
	labels_apply(&l, x->q, x->custom);
	listing(x, p);
	inquiry_set(x->q, "portal", d ? d->display : p->display);
	/*
	 * A notification names the prospect in its labels; without any,
	 * this is a person's own mail about a listing, and From is theirs.
	 */
	extractor_sender(x, l.found == 0, 1);
	/* A portal's relay address (Leboncoin) still carries the name. */
	if (rt && portals_of_address(rt) && !person_noreply(rt)) {
		extractor_custom(x, "reply_via", rt);
		extractor_name(x, x->m->reply_to_name);
	}
	if (x->q->message == NULL && l.found == 0 &&
	    (msg = extractor_message(x->m->text)) != NULL) {
		inquiry_set(x->q, "message", msg);
		free(msg);
	}
	language(x, d, &l);
	labels_free(&l);
	return LG_OK;
}
