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
	{ "Mme Claire Petit", "Madame", NULL, "Claire", "Petit" },
	{ "Mr. John Smith", "Mr", NULL, "John", "Smith" },
	{ "DUPONT Jean", NULL, NULL, "Jean", "DUPONT" },
	{ "LE GALL Anne-Sophie", NULL, NULL, "Anne-Sophie", "LE GALL" },
	{ "JEAN DUPONT", NULL, NULL, "JEAN", "DUPONT" },
	{ "Jean-Pierre de La Fontaine", NULL, NULL, "Jean-Pierre",
	    "de La Fontaine" },
	{ "Marco De Luca", NULL, NULL, "Marco", "De Luca" },
	{ "Anna Maria Muster", NULL, NULL, "Anna Maria", "Muster" },
	{ "Max Mustermann via ImmoScout24", NULL, NULL, "Max", "Mustermann" },
	{ "Anna Muster (privat)", NULL, NULL, "Anna", "Muster" },
	{ "Anna Muster [Kundin]", NULL, NULL, "Anna", "Muster" },
	{ "Anna Muster, Dipl.-Ing.", NULL, NULL, "Anna", "Muster" },
	{ "Müller, Hans", NULL, NULL, "Hans", "Müller" },
	{ "Anna", NULL, NULL, "Anna", NULL },
	{ "Herr Muster", "Herr", NULL, NULL, "Muster" },
	{ "anna@example.com", NULL, NULL, NULL, NULL },
	{ "", NULL, NULL, NULL, NULL },
	{ "   ", NULL, NULL, NULL, NULL },
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

static int
no_machines(const char *addr, void *arg)
{
	return !person_noreply(addr);
}

static void
test_names(void)
{
	struct person p;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		person_split(names[i].display, &p);
		T_STR(p.salutation, names[i].salutation, "split [%s]: "
		    "salutation", names[i].display);
		T_STR(p.title, names[i].title, "split [%s]: title",
		    names[i].display);
		T_STR(p.first, names[i].first, "split [%s]: first",
		    names[i].display);
		T_STR(p.last, names[i].last, "split [%s]: last",
		    names[i].display);
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
