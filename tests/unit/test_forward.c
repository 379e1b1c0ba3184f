/*
 * forward.c over the shipped lexicon: which mails are an agent's forward
 * and what original comes out (its sender, subject, first body line,
 * how deep), and which are not (a reply quoting the agency, a bounce,
 * a marker with no header block); where a quoted mail's header block
 * starts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "parse/forward.h"
#include "parse/mail.h"
#include "parse/parse_data.h"
#include "t.h"

static struct parse_data *pd;

#define HDR(from, subject) "From: " from "\r\nTo: leads@agentur.example\r\n" \
	"Subject: " subject "\r\nMIME-Version: 1.0\r\n" \
	"Content-Type: text/plain; charset=utf-8\r\n\r\n"
#define AGENT "Eva Agent <eva@agentur.example>"

static const struct {
	const char *label;
	const char *raw;
	const char *from;	/* the original's From address, "" when it
				   has none; NULL: no forward */
	const char *subject;
	const char *first;	/* its body's first non-blank line */
	int depth;
} cases[] = {
	{ "gmail, english labels", HDR(AGENT, "Fwd: Flat")
	    "see below\r\n\r\n---------- Forwarded message ---------\r\n"
	    "From: Ann Lee <ann@example.org>\r\nDate: Mon, 2 Dec 2024\r\n"
	    "Subject: Flat\r\nTo: <eva@agentur.example>\r\n\r\n\r\nHi there,\r\n"
	    "is it free?\r\n", "ann@example.org", "Flat", "Hi there,", 1 },
	{ "a marker needs no forward subject", HDR(AGENT, "Anfrage")
	    "-------- Weitergeleitete Nachricht --------\r\n"
	    "Betreff: \tWohnung\r\nDatum: \tMon, 2 Dec 2024\r\n"
	    "Von: \tKai Roth <kai@example.de>\r\nAn: \teva@agentur.example\r\n"
	    "\r\nGuten Tag\r\n", "kai@example.de", "Wohnung", "Guten Tag", 1 },
	{ "outlook, mailto in brackets, french spacing", HDR(AGENT, "TR: Visite")
	    "-----Message d'origine-----\r\n"
	    "De : Luc Petit [mailto:luc.petit@example.fr]\r\n"
	    "Envoy\xc3\xa9 : lundi 2 d\xc3\xa9" "cembre 2024 10:00\r\n"
	    "\xc3\x80 : eva@agentur.example\r\nObjet : Visite\r\n\r\n"
	    "Bonjour,\r\n", "luc.petit@example.fr", "Visite", "Bonjour,", 1 },
	{ "outlook web rule line, spanish", HDR(AGENT, "RV: Piso")
	    "Para el CRM\r\n\r\n________________________________\r\n"
	    "De: Ana Gil <ana.gil@example.es>\r\nEnviado: lunes\r\n"
	    "Para: eva@agentur.example\r\nAsunto: Piso\r\n\r\nHola\r\n",
	    "ana.gil@example.es", "Piso", "Hola", 1 },
	{ "apple mail, all quoted, italian", HDR(AGENT, "I: Casa")
	    "> Inizio messaggio inoltrato:\r\n> \r\n"
	    "> Da: Ugo Neri <ugo@example.it>\r\n> Oggetto: Casa\r\n"
	    "> Data: 2 dicembre 2024\r\n> A: eva@agentur.example\r\n> \r\n"
	    "> Buongiorno\r\n> >> an older quote\r\n", "ugo@example.it",
	    "Casa", "Buongiorno", 1 },
	{ "forward of a forward: the innermost", HDR(AGENT, "Fwd: Fwd: Huis")
	    "---------- Forwarded message ---------\r\n"
	    "From: Bo Colleague <bo@agentur.example>\r\nDate: today\r\n"
	    "Subject: Fwd: Huis\r\n\r\nfor you\r\n\r\n"
	    "-------- Doorgestuurd bericht --------\r\n"
	    "Onderwerp: Huis\r\nVan: Sanne Vos <sanne@example.nl>\r\n"
	    "Aan: bo@agentur.example\r\n\r\nBeste,\r\n", "sanne@example.nl",
	    "Huis", "Beste,", 2 },
	{ "a reply quoting our mail is no forward", HDR("Ann Lee <ann@example.org>",
	    "RE: Your enquiry") "Saturday is fine.\r\n\r\n"
	    "-----Original Message-----\r\n"
	    "From: Agentur <info@agentur.example>\r\nSent: Monday\r\n"
	    "To: ann@example.org\r\nSubject: Your enquiry\r\n\r\nThanks\r\n",
	    NULL, NULL, NULL, 0 },
	{ "a marker without a header block is no forward", HDR(AGENT, "Fwd: x")
	    "---------- Forwarded message ---------\r\nno headers here\r\n",
	    NULL, NULL, NULL, 0 },
	{ "a header block without an address: a forward with no sender",
	    HDR(AGENT, "FW: x") "-----Original Message-----\r\n"
	    "From: Ann Lee\r\nSent: Monday\r\nSubject: x\r\n\r\nHello\r\n",
	    "", "x", "Hello", 1 },
	{ "standing alone, a block needs an address", HDR(AGENT, "FW: x")
	    "From: Ann Lee\r\nSent: Monday\r\nSubject: x\r\n\r\nHello\r\n",
	    NULL, NULL, NULL, 0 },
	{ "an attached message", "From: " AGENT "\r\nSubject: Fwd: Flat\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n"
	    "\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\n"
	    "Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n"
	    "\r\nFrom: Ann Lee <ann@example.org>\r\nSubject: Flat\r\n\r\n"
	    "Hello from Ann\r\n--b--\r\n", "ann@example.org", "Flat",
	    "Hello from Ann", 1 },
	{ "a bounce is no forward", "From: MAILER-DAEMON@mx.example\r\n"
	    "Subject: Undelivered Mail\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/report; report-type=delivery-status; "
	    "boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n"
	    "--b\r\nContent-Type: message/rfc822\r\n\r\n"
	    "From: info@agentur.example\r\nSubject: Hello\r\n\r\nHi\r\n--b--\r\n",
	    NULL, NULL, NULL, 0 },
};

/* The first non-blank line of s, in buf. */
static const char *
first_line(const char *s, char *buf, size_t len)
{
	size_t n;

	if (s == NULL)
		return NULL;
	s += strspn(s, "\r\n ");
	n = strcspn(s, "\r\n");
	snprintf(buf, len, "%.*s", (int)n, s);
	return buf;
}

static void
finding(void)
{
	struct forward f;
	struct mail *m;
	struct err e;
	char buf[256];
	size_t i;
	int found;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (mail_parse(cases[i].raw, strlen(cases[i].raw), NULL, &m,
		    &e) != LG_OK) {
			T_OK(0, "%s: parses: %s", cases[i].label, e.msg);
			continue;
		}
		found = forward_find(pd, m, &f);
		T_INT(found, cases[i].from != NULL, "%s: a forward",
		    cases[i].label);
		if (found) {
			T_STR(f.orig->from_addr, *cases[i].from ?
			    cases[i].from : NULL, "%s: its From",
			    cases[i].label);
			T_STR(f.orig->subject, cases[i].subject,
			    "%s: its Subject", cases[i].label);
			T_STR(first_line(f.orig->text, buf, sizeof(buf)),
			    cases[i].first, "%s: its text", cases[i].label);
			T_INT(f.depth, cases[i].depth, "%s: depth",
			    cases[i].label);
			T_STR(f.by_addr, "eva@agentur.example", "%s: the agent",
			    cases[i].label);
		}
		forward_clear(&f);
		mail_free(m);
	}
}

static void
quote_offset(void)
{
	const char *reply = "Samstag passt.\nSabine\n\n"
	    "Gesendet: Dienstag, 3. Dezember 2024\n"
	    "Von: \"Agentur\" <info@agentur.example>\nAn: s@example.de\n"
	    "Betreff: Ihre Anfrage\nTel. 089 1234567\n";
	const char *plain = "Hallo,\nVon: mir\nTel. 089 1234567\n";

	T_INT((long long)forward_quote_offset(pd, reply),
	    (long long)(strstr(reply, "Gesendet") - reply),
	    "a reply's quoted header block starts at its first label");
	T_INT((long long)forward_quote_offset(pd, plain),
	    (long long)strlen(plain), "a label line alone is no block");
}

int
main(void)
{
	const char *top = getenv("TOP");
	char lex[1100], prof[1100];
	struct err e;

	snprintf(lex, sizeof(lex), "%s/etc/lexicon", top ? top : ".");
	snprintf(prof, sizeof(prof), "%s/etc/portals/mail", top ? top : ".");
	if (parse_data_load(lex, prof, &pd, NULL, &e) != LG_OK) {
		T_OK(0, "the shipped profiles and lexicon load: %s", e.msg);
		return t_done();
	}
	finding();
	quote_offset();
	parse_data_free(pd);
	return t_done();
}
