/*
 * Names, salutations, machine senders (parse/person.c) and addresses in
 * headers and text (parse/addr.c).
 */
#include <stdlib.h>
#include <string.h>

#include "parse/addr.h"
#include "parse/person.h"
#include "t.h"

static const struct {
	const char *display;
	const char *salutation, *title, *first, *last;
} names[] = {
	{ "Anna Muster", NULL, NULL, "Anna", "Muster" },
	{ "Muster, Anna", NULL, NULL, "Anna", "Muster" },
	{ "\"Muster, Anna\"", NULL, NULL, "Anna", "Muster" },
	{ "Dr. Anna von Muster", NULL, "Dr.", "Anna", "von Muster" },
	{ "Herr Max Mustermann", "Herr", NULL, "Max", "Mustermann" },
	{ "Frau Prof. Dr. Eva Schmidt", "Frau", "Prof. Dr.", "Eva", "Schmidt" },
	/* Salutations as written (person_salutation() normalises). */
	{ "Mme Claire Petit", "Mme", NULL, "Claire", "Petit" },
	{ "Mr. John Smith", "Mr.", NULL, "John", "Smith" },
	{ "Madame Camille Peeters", "Madame", NULL, "Camille", "Peeters" },
	{ "M. Olivier Dubois", "M.", NULL, "Olivier", "Dubois" },
	{ "Mr Oliver Bennett", "Mr", NULL, "Oliver", "Bennett" },
	{ "Mrs Sarah Whitmore", "Mrs", NULL, "Sarah", "Whitmore" },
	{ "Sig.ra Giulia Bianchi", "Sig.ra", NULL, "Giulia", "Bianchi" },
	{ "Pan Tomasz Wójcik", "Pan", NULL, "Tomasz", "Wójcik" },
	{ "Pani Agnieszka Kowalska", "Pani", NULL, "Agnieszka", "Kowalska" },
	{ "De heer Pieter van der Meer", "De heer", NULL, "Pieter",
	    "van der Meer" },
	{ "Dhr. Henk Oosterhuis", "Dhr.", NULL, "Henk", "Oosterhuis" },
	{ "HERR MAX MUSTER", "Herr", NULL, "Max", "Muster" },
	{ "MME LEFÈVRE Hélène", "Mme", NULL, "Hélène", "Lefèvre" },
	/* Capitals and surname first. */
	{ "DUPONT Jean", NULL, NULL, "Jean", "Dupont" },
	{ "LE GALL Anne-Sophie", NULL, NULL, "Anne-Sophie", "Le Gall" },
	{ "Anne-Sophie LE GALL", NULL, NULL, "Anne-Sophie", "Le Gall" },
	{ "JEAN DUPONT", NULL, NULL, "Jean", "Dupont" },
	{ "DUPONT J.", NULL, NULL, "J.", "Dupont" },
	{ "J. DUPONT", NULL, NULL, "J.", "Dupont" },
	{ "KERSTIN VOGELSANG-BRÜCK", NULL, NULL, "Kerstin",
	    "Vogelsang-Brück" },
	{ "LEFÈVRE Hélène", NULL, NULL, "Hélène", "Lefèvre" },
	{ "Hélène LEFÈVRE", NULL, NULL, "Hélène", "Lefèvre" },
	{ "LEFÈVRE, Hélène", NULL, NULL, "Hélène", "Lefèvre" },
	{ "ÉMILIE ÉTIENNE", NULL, NULL, "Émilie", "Étienne" },
	{ "ŁUKASZ ŚWIĄTEK", NULL, NULL, "Łukasz", "Świątek" },
	{ "JIŘÍ ČERNÝ", NULL, NULL, "Jiří", "Černý" },
	{ "ÅSA ØSTERGAARD", NULL, NULL, "Åsa", "Østergaard" },
	{ "SØREN KJÆR", NULL, NULL, "Søren", "Kjær" },
	{ "ŽOFIE ŘEZNÍČKOVÁ", NULL, NULL, "Žofie", "Řezníčková" },
	{ "PATRICK O'NEILL", NULL, NULL, "Patrick", "O'Neill" },
	{ "Ronald McDONALD", NULL, NULL, "Ronald", "McDonald" },
	{ "RONALD MCDONALD", NULL, NULL, "Ronald", "McDonald" },
	{ "BOB MILLER", NULL, NULL, "Bob", "Miller" },
	{ "Pieter VAN DER MEER", NULL, NULL, "Pieter", "van der Meer" },
	{ "VAN DER MEER Pieter", NULL, NULL, "Pieter", "Van der Meer" },
	{ "JEAN DE LA FONTAINE", NULL, NULL, "Jean", "de la Fontaine" },
	{ "JOHN SMITH III", NULL, NULL, "John", "Smith III" },
	/* Family name first: CJK script, East Slavic endings. */
	{ "山田 太郎", NULL, NULL, "太郎", "山田" },
	{ "山田\xe3\x80\x80花子", NULL, NULL, "花子", "山田" },
	{ "김 민준", NULL, NULL, "민준", "김" },
	{ "王小明", NULL, NULL, "小明", "王" },
	{ "Кузнецов Андрей", NULL, NULL, "Андрей", "Кузнецов" },
	{ "Андрей Кузнецов", NULL, NULL, "Андрей", "Кузнецов" },
	{ "Ольга Шевченко", NULL, NULL, "Ольга", "Шевченко" },
	/* Particles. */
	{ "Pieter van der Meer", NULL, NULL, "Pieter", "van der Meer" },
	{ "Jean-Pierre de La Fontaine", NULL, NULL, "Jean-Pierre",
	    "de La Fontaine" },
	{ "Marco De Luca", NULL, NULL, "Marco", "De Luca" },
	{ "Marco Di Stefano", NULL, NULL, "Marco", "Di Stefano" },
	{ "Di Stefano, Marco", NULL, NULL, "Marco", "Di Stefano" },
	{ "Bram de Vries", NULL, NULL, "Bram", "de Vries" },
	{ "Pieter du Plessis", NULL, NULL, "Pieter", "du Plessis" },
	{ "John Smith Jr.", NULL, NULL, "John", "Smith Jr." },
	{ "Anna Maria Muster", NULL, NULL, "Anna Maria", "Muster" },
	/* Titles never in a first name. */
	{ "DI Dr. Herbert Leitgeb", NULL, "DI Dr.", "Herbert", "Leitgeb" },
	{ "Herbert Leitgeb MSc", NULL, "MSc", "Herbert", "Leitgeb" },
	{ "Mag. Anna Gruber", NULL, "Mag.", "Anna", "Gruber" },
	{ "Dipl.-Ing. Max Muster", NULL, "Dipl.-Ing.", "Max", "Muster" },
	{ "Mgr. Jiří Černý", NULL, "Mgr.", "Jiří", "Černý" },
	{ "DR. ANNA MUSTER", NULL, "Dr.", "Anna", "Muster" },
	{ "Dr Muster", NULL, "Dr", NULL, "Muster" },
	{ "Anna Muster, Dipl.-Ing.", NULL, "Dipl.-Ing.", "Anna", "Muster" },
	{ "Muster, Dr. Anna", NULL, "Dr.", "Anna", "Muster" },
	/* What portals and clients put around a name. */
	{ "Max Mustermann via ImmoScout24", NULL, NULL, "Max", "Mustermann" },
	{ "Anna Muster (privat)", NULL, NULL, "Anna", "Muster" },
	{ "Anna Muster [Kundin]", NULL, NULL, "Anna", "Muster" },
	{ "\xe2\x80\x9e" "Anna Muster" "\xe2\x80\x9c", NULL, NULL, "Anna",
	    "Muster" },
	{ "\xc2\xab" "Jean Dupont" "\xc2\xbb", NULL, NULL, "Jean", "Dupont" },
	{ "'Anna Muster'", NULL, NULL, "Anna", "Muster" },
	{ "Müller, Hans", NULL, NULL, "Hans", "Müller" },
	{ "Anna", NULL, NULL, "Anna", NULL },
	{ "Herr Muster", "Herr", NULL, NULL, "Muster" },
	{ "anna@example.com", NULL, NULL, NULL, NULL },
	{ "", NULL, NULL, NULL, NULL },
	{ "   ", NULL, NULL, NULL, NULL },
};

/* Two surnames where the language says so (person_split_with). */
static const struct {
	const char *display, *lang;
	const char *first, *last;
} surnames[] = {
	{ "María García López", "es", "María", "García López" },
	{ "AYŞE YILDIRIM", "tr", "Ayşe", "Yıldırım" },
	{ "İSMAİL KILIÇ", "tr", "İsmail", "Kılıç" },
	{ "AYŞE YILDIRIM", NULL, "Ayşe", "Yildirim" },
	{ "María García López", NULL, "María García", "López" },
	{ "María José García Fernández", "es", "María José",
	    "García Fernández" },
	{ "Francisco Javier Moreno Ortega", "es-ES", "Francisco Javier",
	    "Moreno Ortega" },
	{ "Juan de la Cruz", "es", "Juan", "de la Cruz" },
	{ "José de la Cruz Moreno", "es", "José", "de la Cruz Moreno" },
	{ "Carmen Ruiz de Alarcón", "es", "Carmen", "Ruiz de Alarcón" },
	{ "Pau Martínez Vidal", "ca", "Pau", "Martínez Vidal" },
	{ "Jordi Puig i Soler", "ca", "Jordi", "Puig i Soler" },
	{ "Ana Rita Sousa Pereira", "pt", "Ana Rita", "Sousa Pereira" },
	{ "João Pedro Silva Santos", "pt_BR", "João Pedro", "Silva Santos" },
	{ "Maria da Silva Santos", "pt", "Maria", "da Silva Santos" },
	{ "Inês Carvalho", "pt", "Inês", "Carvalho" },
	{ "GARCÍA LÓPEZ María", "es", "María", "García López" },
	{ "García López, María", "es", "María", "García López" },
	{ "Pieter van der Meer", "nl", "Pieter", "van der Meer" },
	{ "Anna Maria Muster", "de", "Anna Maria", "Muster" },
	{ "Alberto Sanz Gil", "esperanto", "Alberto Sanz", "Gil" },
	/* Hungarian: the family name first. */
	{ "Szabó Katalin", "hu", "Katalin", "Szabó" },
	{ "Nagy Anna Mária", "hu", "Anna Mária", "Nagy" },
	{ "Kovács, Péter", "hu", "Péter", "Kovács" },
	{ "Szabó Katalin", "de", "Szabó", "Katalin" },
};

/* Word lists handed in, as the lexicon will. */
static const char *const fr_salutations[] = { "Monsieur", "M.", NULL };
static const char *const it_titles[] = { "Dott.", "Ing.", NULL };
static const char *const de_salutations[] = {
	"Herr", "Frau", "Herr und Frau", NULL,
};
static const char *const nl_particles[] = { "van", "der", "'t", NULL };
static const char *const zh_salutations[] = { "先生", "女士", "小姐", NULL };

static const struct {
	const char *display;
	struct person_words w;
	const char *salutation, *title, *first, *last;
} lists[] = {
	{ "Monsieur Jean van Damme", { fr_salutations, NULL, NULL },
	    "Monsieur", NULL, "Jean van", "Damme" },
	{ "Dott. Ing. Mario Rossi", { NULL, it_titles, NULL },
	    NULL, "Dott. Ing.", "Mario", "Rossi" },
	{ "Dr. Mario Rossi", { NULL, it_titles, NULL },
	    NULL, NULL, "Dr. Mario", "Rossi" },
	{ "Herr und Frau Muster", { de_salutations, NULL, NULL },
	    "Herr und Frau", NULL, NULL, "Muster" },
	{ "Herr Max Muster", { de_salutations, NULL, NULL },
	    "Herr", NULL, "Max", "Muster" },
	{ "Joost van 't Hek", { NULL, NULL, nl_particles },
	    NULL, NULL, "Joost", "van 't Hek" },
	{ "Herr Max Muster", { NULL, NULL, NULL },
	    NULL, NULL, "Herr Max", "Muster" },
	{ "陳怡君 小姐", { zh_salutations, NULL, NULL },
	    "小姐", NULL, "怡君", "陳" },
	{ "Thomas Herr", { de_salutations, NULL, NULL },
	    NULL, NULL, "Thomas", "Herr" },
};

static const struct {
	const char *given;
	const char *want;
} salutations[] = {
	{ "Herr", "Herr" }, { "Hr.", "Herr" }, { "herrn", "Herr" },
	{ "FRAU", "Frau" }, { "Fr.", "Frau" }, { "Monsieur", "Monsieur" },
	{ "M.", "Monsieur" }, { "Mme", "Madame" }, { "Mlle", "Madame" },
	{ "Mr", "Mr" }, { "Mrs.", "Ms" }, { "Miss", "Ms" }, { "Ms", "Ms" },
	{ "Sig.ra", "Signora" }, { " Herr ", "Herr" }, { "Firma", NULL },
	{ "Familie", NULL }, { "", NULL },
	{ "Herrxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", NULL },
};

static const struct {
	const char *addr;
	int machine;
} machines[] = {
	{ "noreply@example.com", 1 }, { "no-reply@immobilienscout24.de", 1 },
	{ "No_Reply@x.de", 1 }, { "do-not-reply@x.de", 1 },
	{ "donotreply@x.de", 1 }, { "ne-pas-repondre@seloger.com", 1 },
	{ "MAILER-DAEMON@mx.example", 1 }, { "bounce+1234@x.de", 1 },
	{ "bounces-99@list.example", 1 }, { "postmaster@x.de", 1 },
	{ "notifications@x.de", 1 }, { "immo-list-request@x.de", 1 },
	{ "info@x.de", 0 }, { "anna.noreen@x.de", 0 }, { "max@x.de", 0 },
	{ "request@x.de", 0 }, { "no-at-sign", 0 },
};

static const struct {
	const char *value;
	const char *addr;	/* NULL: no address */
	const char *name;
} headers[] = {
	{ "Anna <a@b.de>", "a@b.de", "Anna" },
	{ "\"Muster, Anna\" <a@b.de>, other@x.de", "a@b.de", "Muster, Anna" },
	{ "a@b.de (Anna Muster)", "a@b.de", "Anna Muster" },
	{ "a@b.de", "a@b.de", NULL },
	{ "  a@b.de  ", "a@b.de", NULL },
	{ "=?utf-8?q?M=C3=BCller?= <m@b.de>", "m@b.de",
	    "=?utf-8?q?M=C3=BCller?=" },
	{ "\"a\\\"b\" <c@d.de>", "c@d.de", "a\"b" },
	{ "Name (comment (nested)) <c@d.de>", "c@d.de", "Name" },
	{ "undisclosed-recipients:;", NULL, NULL },
	{ "Team: x@y.de, z@w.de;", "x@y.de", NULL },
	{ "<mailto:a@b.de>", "a@b.de", NULL },
	{ "<>", NULL, NULL },
	{ "Relay <@relay.example:a@b.de>", "a@b.de", "Relay" },
	{ "not an address, Anna <a@b.de>", "a@b.de", "Anna" },
	{ "", NULL, NULL },
	{ "\"unterminated <a@b.de>", NULL, NULL },
};

static const struct {
	const char *addr;
	int valid;
} valids[] = {
	{ "a@b.de", 1 }, { "first.last+tag@sub.example.co.uk", 1 },
	{ "a@localhost", 0 }, { "@b.de", 0 }, { "a@", 0 }, { "a b@c.de", 0 },
	{ "a@b..de", 0 }, { "a@.b.de", 0 }, { "a@b.de.", 0 },
	{ "a@b_c.de", 0 }, { "a\"b@c.de", 0 }, { "a@müller.de", 1 },
};

static const struct {
	const char *text;
	const char *want;
} scans[] = {
	{ "Kontakt: mailto:x@y.de.", "x@y.de" },
	{ "schreiben Sie an 'a.b@c.de' bitte", "a.b@c.de" },
	{ "(max@example.com)", "max@example.com" },
	{ "kein @ hier, a@localhost auch nicht", NULL },
	{ "zuerst noreply@x.de dann anna@x.de", "anna@x.de" },
	{ "", NULL },
};

static const struct {
	const char *domain, *registered;
} registered[] = {
	{ "viestit.tori.fi", "tori.fi" },
	{ "tori.fi", "tori.fi" },
	{ "reply.olx.com.br", "olx.com.br" },
	{ "relay.portal.example", "portal.example" },
	{ "mail.example.com", "example.com" },
	{ "localhost", "localhost" },
};

static int
no_machines(const char *addr, void *arg)
{
	return !person_noreply(addr);
}

static void
check(const struct person *p, const char *sal, const char *title,
    const char *first, const char *last, const char *what)
{
	T_STR(p->salutation, sal, "split [%s]: salutation", what);
	T_STR(p->title, title, "split [%s]: title", what);
	T_STR(p->first, first, "split [%s]: first", what);
	T_STR(p->last, last, "split [%s]: last", what);
}

static void
test_names(void)
{
	struct person p;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		person_split(names[i].display, &p);
		check(&p, names[i].salutation, names[i].title, names[i].first,
		    names[i].last, names[i].display);
		person_clear(&p);
	}
	for (i = 0; i < sizeof(surnames) / sizeof(surnames[0]); i++) {
		person_split_with(surnames[i].display, NULL, surnames[i].lang,
		    &p);
		T_STR(p.first, surnames[i].first, "split [%s] (%s): first",
		    surnames[i].display, surnames[i].lang ? surnames[i].lang :
		    "-");
		T_STR(p.last, surnames[i].last, "split [%s] (%s): last",
		    surnames[i].display, surnames[i].lang ? surnames[i].lang :
		    "-");
		person_clear(&p);
	}
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		person_split_with(lists[i].display, &lists[i].w, NULL, &p);
		check(&p, lists[i].salutation, lists[i].title, lists[i].first,
		    lists[i].last, lists[i].display);
		person_clear(&p);
	}
	person_split(NULL, &p);
	T_OK(p.first == NULL && p.last == NULL, "split NULL");
	person_clear(NULL);
}

static void
test_headers(void)
{
	char *a, *n;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		rc = addr_first(headers[i].value, &a, &n);
		T_INT(rc, headers[i].addr ? 0 : -1, "addr_first [%s]: found",
		    headers[i].value);
		T_STR(a, headers[i].addr, "addr_first [%s]: address",
		    headers[i].value);
		T_STR(n, headers[i].name, "addr_first [%s]: name",
		    headers[i].value);
		free(a);
		free(n);
	}
}

int
main(void)
{
	char *s;
	size_t i;

	test_names();
	for (i = 0; i < sizeof(salutations) / sizeof(salutations[0]); i++)
		T_STR(person_salutation(salutations[i].given),
		    salutations[i].want, "salutation [%s]",
		    salutations[i].given);
	for (i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		T_INT(person_noreply(machines[i].addr), machines[i].machine,
		    "machine sender %s", machines[i].addr);
	test_headers();
	for (i = 0; i < sizeof(valids) / sizeof(valids[0]); i++)
		T_INT(addr_valid(valids[i].addr), valids[i].valid,
		    "addr_valid %s", valids[i].addr);
	for (i = 0; i < sizeof(registered) / sizeof(registered[0]); i++)
		T_STR(addr_registered(registered[i].domain),
		    registered[i].registered, "registered domain of %s",
		    registered[i].domain);
	for (i = 0; i < sizeof(scans) / sizeof(scans[0]); i++) {
		s = addr_scan(scans[i].text, no_machines, NULL);
		T_STR(s, scans[i].want, "addr_scan [%s]", scans[i].text);
		free(s);
	}
	T_INT(addr_domain_is("x@mail.homegate.ch", "homegate.ch"), 1,
	    "domain: subdomain");
	T_INT(addr_domain_is("x@nothomegate.ch", "homegate.ch"), 0,
	    "domain: not a suffix on a label boundary");
	T_INT(addr_domain_is("x@HOMEGATE.CH", "homegate.ch"), 1,
	    "domain: without case");
	return t_done();
}
