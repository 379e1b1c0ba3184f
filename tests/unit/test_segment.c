/*
 * Layout-aware segmentation (parse/segment.c, segment_layout.c): text and
 * HTML bodies in many layouts and languages, against the label/value
 * items they must give; where items come from; limits; malformed HTML.
 * The labels are a small lexicon of this test's own (the real one is
 * etc/lexicon/LANG.conf, loaded at run time).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/mail.h"
#include "parse/segment.h"
#include "util/buf.h"
#include "t.h"

enum {
	F_SAL = 1, F_FIRST, F_LAST, F_NAME, F_EMAIL, F_PHONE, F_STREET, F_PC,
	F_CITY, F_PCITY, F_ADDR, F_MSG, F_REF, F_PREF, F_OBJ, F_N
};

static const char *const field_names[F_N] = {
	"?", "sal", "first", "last", "name", "email", "phone", "street", "pc",
	"city", "pcity", "addr", "msg", "ref", "pref", "obj",
};

/* Labels as the lexicon files give them, several languages. */
static const struct {
	const char *text;
	int field;
} labels[] = {
	{ "Anrede", F_SAL }, { "Civilité", F_SAL }, { "Aanhef", F_SAL },
	{ "Vorname", F_FIRST }, { "Prénom", F_FIRST }, { "First name", F_FIRST },
	{ "Voornaam", F_FIRST }, { "Nome", F_FIRST }, { "Imię", F_FIRST },
	{ "Nachname", F_LAST }, { "Last name", F_LAST }, { "Cognome", F_LAST },
	{ "Apellidos", F_LAST }, { "Achternaam", F_LAST },
	{ "Nazwisko", F_LAST }, { "Nom de famille", F_LAST },
	{ "Name", F_NAME }, { "Nom", F_NAME }, { "Nombre", F_NAME },
	{ "Naam", F_NAME }, { "Navn", F_NAME }, { "Namn", F_NAME },
	{ "Nimi", F_NAME }, { "Jméno", F_NAME }, { "Full Name", F_NAME },
	{ "Imię i nazwisko", F_NAME }, { "Vor- und Nachname", F_NAME },
	{ "E-Mail", F_EMAIL }, { "Email", F_EMAIL }, { "E-mailadres", F_EMAIL },
	{ "Courriel", F_EMAIL }, { "E-post", F_EMAIL }, { "Sähköposti", F_EMAIL },
	{ "Correo electrónico", F_EMAIL }, { "Adresse e-mail", F_EMAIL },
	{ "Telefon", F_PHONE }, { "Téléphone", F_PHONE }, { "Tél.", F_PHONE },
	{ "Tel.", F_PHONE }, { "Tel", F_PHONE }, { "Phone", F_PHONE },
	{ "Telefono", F_PHONE }, { "Teléfono", F_PHONE }, { "Telefoon", F_PHONE },
	{ "Puhelin", F_PHONE }, { "Telefone", F_PHONE }, { "Mobil", F_PHONE },
	{ "Phone number", F_PHONE },
	{ "Straße", F_STREET }, { "Street", F_STREET }, { "Rue", F_STREET },
	{ "Street Address", F_STREET },
	{ "PLZ", F_PC }, { "Postcode", F_PC }, { "Code postal", F_PC },
	{ "CAP", F_PC },
	{ "Ort", F_CITY }, { "City", F_CITY }, { "Ville", F_CITY },
	{ "PLZ/Ort", F_PCITY }, { "PLZ / Ort", F_PCITY },
	{ "NPA / Localité", F_PCITY }, { "Postnr. og by", F_PCITY },
	{ "Adresse", F_ADDR }, { "Address", F_ADDR }, { "Adres", F_ADDR },
	{ "Indirizzo", F_ADDR },
	{ "Nachricht", F_MSG }, { "Ihre Nachricht", F_MSG }, { "Message", F_MSG },
	{ "Votre message", F_MSG }, { "Messaggio", F_MSG }, { "Mensaje", F_MSG },
	{ "Bericht", F_MSG }, { "Meddelande", F_MSG }, { "Viesti", F_MSG },
	{ "Wiadomość", F_MSG }, { "Zpráva", F_MSG }, { "Mensagem", F_MSG },
	{ "Comments", F_MSG }, { "Besked", F_MSG },
	{ "Objektnummer", F_REF }, { "Objekt-Nr.", F_REF }, { "Référence", F_REF },
	{ "Your reference", F_REF }, { "Riferimento", F_REF },
	{ "Referencia", F_REF },
	{ "Scout-ID", F_PREF }, { "Anzeigen-ID", F_PREF }, { "Listing ID", F_PREF },
	{ "Objekt", F_OBJ }, { "Property", F_OBJ },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static size_t calls;

/* Case-insensitive for ASCII, a run of spaces (or U+00A0) for a space. */
static size_t
match(const char *lab, const char *t, size_t len)
{
	const char *s = t, *end = t + len;

	while (*lab) {
		if (*lab == ' ') {
			size_t n = 0;

			while (s < end && (*s == ' ' || (end - s >= 2 &&
			    (unsigned char)s[0] == 0xc2 &&
			    (unsigned char)s[1] == 0xa0))) {
				s += *s == ' ' ? 1 : 2;
				n++;
			}
			if (n == 0)
				return 0;
			lab++;
			continue;
		}
		if (s >= end || tolower((unsigned char)*lab) !=
		    tolower((unsigned char)*s))
			return 0;
		lab++;
		s++;
	}
	return (size_t)(s - t);
}

static int
is_label(void *arg, const char *text, size_t len, size_t *matched)
{
	size_t i, m, best = 0;
	int field = 0;

	(void)arg;
	calls++;
	for (i = 0; i < NELEM(labels); i++)
		if ((m = match(labels[i].text, text, len)) > best) {
			best = m;
			field = labels[i].field;
		}
	*matched = best;
	return field;
}

static enum seg_shape
shape(void *arg, int field)
{
	(void)arg;
	if (field == F_MSG)
		return SEG_VALUE_BLOCK;
	if (field == F_ADDR || field == F_STREET)
		return SEG_VALUE_LINES;
	return SEG_VALUE_LINE;
}

static const struct segment_opts opts = { is_label, shape, NULL, 0, 0 };

/* "field=value; ..." of the label items ("?label=value": unknown). */
static char *
show(const struct segment *s)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct seg_item *it = &s->items[i];

		if (it->kind == SEG_TEXT)
			continue;
		if (b.len > 0)
			buf_adds(&b, "; ");
		if (it->field > 0 && it->field < F_N)
			buf_printf(&b, "%s=%s", field_names[it->field], it->value);
		else
			buf_printf(&b, "?%s=%s", it->label, it->value);
	}
	if (b.len == 0)
		buf_adds(&b, "");
	return buf_detach(&b);
}

static const struct {
	const char *label;
	int html;
	const char *in;
	const char *want;
} cases[] = {
	/* Text: "Label: value" and its variants. */
	{ "de colon lines", 0,
	    "Vorname: Max\nNachname: Muster\nE-Mail: max@example.de\n",
	    "first=Max; last=Muster; email=max@example.de" },
	{ "fr spacing before colon", 0,
	    "Prénom : Marie\nNom : Dupont\nTéléphone : 06 12 34 56 78",
	    "first=Marie; name=Dupont; phone=06 12 34 56 78" },
	{ "fullwidth colon", 0, "Name\xef\xbc\x9aMax Muster\nTel\xef\xbc\x9a 030 1",
	    "name=Max Muster; phone=030 1" },
	{ "required marks", 0,
	    "Name*: Max Muster\nE-Mail *: max@example.de\nTelefon* : 0171 1",
	    "name=Max Muster; email=max@example.de; phone=0171 1" },
	{ "bullets", 0,
	    "- Name: Max\n\xe2\x80\xa2 Telefon: 0171 2345678\n* E-Mail: m@x.de",
	    "name=Max; phone=0171 2345678; email=m@x.de" },
	{ "quoted lines", 0, "> Name: Max\n>> Tel.: 030 1234\n",
	    "name=Max; phone=030 1234" },
	{ "indentation", 0, "    Name:   Max Muster\n\t\tE-Mail: a@example.de",
	    "name=Max Muster; email=a@example.de" },
	{ "nl colon", 0, "Naam: Bram de Vries\nTelefoon: 06 11 22 33 44",
	    "name=Bram de Vries; phone=06 11 22 33 44" },
	{ "fi sv colon", 0,
	    "Nimi: Mikko Virtanen\nSähköposti: mikko@example.fi\nPuhelin: 040 1",
	    "name=Mikko Virtanen; email=mikko@example.fi; phone=040 1" },
	{ "pl cs colon", 0,
	    "Imię i nazwisko: Marta Kamińska\nJméno: Petr Novák",
	    "name=Marta Kamińska; name=Petr Novák" },
	{ "longest label wins", 0,
	    "PLZ/Ort: 10115 Berlin\nPLZ: 8001\nOrt: Zürich\nPLZ / Ort: 1 X",
	    "pcity=10115 Berlin; pc=8001; city=Zürich; pcity=1 X" },
	{ "pt colon", 0,
	    "Nome: Inês Carvalho\nTelefone: 253 123 456\nMensagem: Boa noite.",
	    "first=Inês Carvalho; phone=253 123 456; msg=Boa noite." },
	{ "label with dots", 0, "Postnr. og by: 2200 København N",
	    "pcity=2200 København N" },
	{ "case does not matter", 0, "E-MAIL: a@example.de\nnachname: Muster",
	    "email=a@example.de; last=Muster" },
	/* A label alone, its value below. */
	{ "label alone, value next line", 0,
	    "Name\nMax Muster\n\nE-Mail\nmax@example.de\n",
	    "name=Max Muster; email=max@example.de" },
	{ "label with colon, blank line, value", 0,
	    "Naam:\n\nMarloes van Leeuwen\n\nTelefoon:\n023 531 22 11",
	    "name=Marloes van Leeuwen; phone=023 531 22 11" },
	{ "label alone before a label: empty", 0,
	    "Telefon:\nE-Mail: a@example.de", "phone=; email=a@example.de" },
	{ "label alone before a rule: empty", 0, "Telefon:\n-----\nText",
	    "phone=" },
	{ "label alone before a sentence: empty", 0,
	    "Telefon:\n\nHallo, wann kann ich die Wohnung besichtigen?",
	    "phone=" },
	{ "uppercase label alone, message below", 0,
	    "Nome: Giulia\nCognome: Bianchi\n\nMESSAGGIO\nBuongiorno, è "
	    "disponibile?\n", "first=Giulia; last=Bianchi; "
	    "msg=Buongiorno, è disponibile?" },
	/* Several labels on one line. */
	{ "several labels, two spaces", 0,
	    "Name: Max Muster  Tel: 0171 2345678  E-Mail: max@x.de",
	    "name=Max Muster; phone=0171 2345678; email=max@x.de" },
	{ "several labels, one space", 0,
	    "Nombre: Rocío Domínguez Ruiz Teléfono: 654 32 10 98 Email: "
	    "rocio@example.es", "name=Rocío Domínguez Ruiz; "
	    "phone=654 32 10 98; email=rocio@example.es" },
	{ "several labels, separators", 0,
	    "Objektnummer: A-12 \xc2\xb7 Scout-ID: 998877 | Objekt: Wohnung",
	    "ref=A-12; pref=998877; obj=Wohnung" },
	{ "several labels, words before a known one", 0,
	    "Scout-ID: 998877 \xc2\xb7 Ihre Objektnummer: A-12",
	    "pref=998877; ref=A-12" },
	{ "several labels, dash separator", 0,
	    "Référence : LY4-T2 - Code postal : 69004",
	    "ref=LY4-T2; pc=69004" },
	/* Values over several lines. */
	{ "address over lines", 0,
	    "Adresse: Musterstr. 1\n10115 Berlin\n\nTelefon: 030 1",
	    "addr=Musterstr. 1\n10115 Berlin; phone=030 1" },
	{ "address below its label", 0,
	    "Adres:\nKleverparkweg 31\n2023 CA Haarlem\n\nTelefoon:\n023 5",
	    "addr=Kleverparkweg 31\n2023 CA Haarlem; phone=023 5" },
	{ "address stops at a sentence", 0,
	    "Address: 18 Unthank Road\nNorwich\nHello, I would like to view "
	    "it on Saturday.", "addr=18 Unthank Road\nNorwich" },
	{ "message block to the next label", 0,
	    "Name: Max\nNachricht:\nHallo,\n\nist die Wohnung frei?\n\n"
	    "Gruß Max\n\nTelefon: 0171 1",
	    "name=Max; msg=Hallo,\n\nist die Wohnung frei?\n\nGruß Max; "
	    "phone=0171 1" },
	{ "message block starting on its line", 0,
	    "Message: Hi there,\nis it still available?\nEmail: a@example.com",
	    "msg=Hi there,\nis it still available?; email=a@example.com" },
	{ "message keeps a label inside a line", 0,
	    "Nachricht: Bitte rufen Sie an, Telefon: 0171 2345",
	    "msg=Bitte rufen Sie an, Telefon: 0171 2345" },
	{ "message block keeps quotes and signature", 0,
	    "Bericht:\nGoedendag,\n-- \nBram\n> oud", "msg=Goedendag,\n-- \n"
	    "Bram\n> oud" },
	/* What is no label. */
	{ "no label inside a word", 0, "Namenstag: heute\nTelefonanbieter: X",
	    "" },
	{ "no colon, one space: no label", 0, "Name Max Muster\nTel 0171", "" },
	{ "columns: two spaces or more", 0,
	    "Name        Max Muster\nE-Mail      max@example.de",
	    "name=Max Muster; email=max@example.de" },
	{ "tab cells", 0,
	    "Name\tOlivia Papadopoulos\nEmail\tolivia@example.com.au\n",
	    "name=Olivia Papadopoulos; email=olivia@example.com.au" },
	{ "CRLF", 0, "Name: Max\r\nE-Mail: max@x.de\r\n",
	    "name=Max; email=max@x.de" },
	{ "prose only", 0, "Hallo,\n\nist die Wohnung noch frei?\n\nGruß\nMax",
	    "" },
	/* HTML tables. */
	{ "html td td", 1,
	    "<table><tr><td>Name</td><td>Max Muster</td></tr><tr><td>E-Mail"
	    "</td><td><a href=\"mailto:max@x.de\">max@x.de</a></td></tr>"
	    "</table>", "name=Max Muster; email=max@x.de" },
	{ "html th label", 1,
	    "<table><tr><th align=left>Nombre</th><td>Pau</td></tr><tr><th>"
	    "Apellidos</th><td>Martínez Vidal</td></tr></table>",
	    "name=Pau; last=Martínez Vidal" },
	{ "html label cell with colon", 1,
	    "<table><tr><td>Téléphone :</td><td>06 12 34 56 78</td></tr>"
	    "<tr><td><b>Courriel:</b></td><td>m@x.fr</td></tr></table>",
	    "phone=06 12 34 56 78; email=m@x.fr" },
	{ "html nested layout tables", 1,
	    "<table width=100%><tr><td align=center><table width=600><tr><td>"
	    "<p>Neue Anfrage</p><table cellpadding=4><tr><td>Vorname</td><td>"
	    "Jonas</td></tr><tr><td>Nachname</td><td>Schneider</td></tr>"
	    "</table><p>Nachricht:<br>Hallo,<br>ich bin interessiert.</p>"
	    "</td></tr></table></td></tr></table>",
	    "first=Jonas; last=Schneider; msg=Hallo,\nich bin interessiert." },
	{ "html header row over value row", 1,
	    "<table><tr><th>Name</th><th>E-Mail</th><th>Telefon</th></tr>"
	    "<tr><td>Max</td><td>m@x.de</td><td>030 1</td></tr></table>",
	    "name=Max; email=m@x.de; phone=030 1" },
	{ "html label row then value row", 1,
	    "<table><tr><td colspan=2><strong>Name</strong></td></tr><tr><td>"
	    "&nbsp;</td><td>Kevin Brooks</td></tr><tr><td colspan=2><strong>"
	    "Address</strong></td></tr><tr><td>&nbsp;</td><td>742 Evergreen "
	    "Terrace<br />Springfield, IL 62704<br />United States</td></tr>"
	    "</table>", "name=Kevin Brooks; addr=742 Evergreen Terrace\n"
	    "Springfield, IL 62704\nUnited States" },
	{ "html multi-line value cell", 1,
	    "<table><tr><td>Adresse</td><td>Rue de la Victoire 41<br>1060 "
	    "Saint-Gilles</td></tr></table>",
	    "addr=Rue de la Victoire 41\n1060 Saint-Gilles" },
	{ "html value cell of labelled lines", 1,
	    "<table><tr><td>Address</td><td>Street Address: 1220 N Prospect "
	    "Ave<br>City: Milwaukee<br>Postcode: 53202</td></tr></table>",
	    "street=1220 N Prospect Ave; city=Milwaukee; pc=53202" },
	{ "html message cell with paragraphs", 1,
	    "<table><tr><td>Message</td><td><p>Hello,</p><p>is it free?</p>"
	    "</td></tr></table>", "msg=Hello,\n\nis it free?" },
	{ "html unknown label row", 1,
	    "<table><tr><td>Buyer status</td><td>Renting</td></tr><tr><td>"
	    "Email</td><td>d@x.uk</td></tr></table>",
	    "?Buyer status=Renting; email=d@x.uk" },
	{ "html four cells: two pairs", 1,
	    "<table><tr><td>Name</td><td>Max</td><td>Tel</td><td>030 1</td>"
	    "</tr></table>", "name=Max; phone=030 1" },
	{ "html uppercase tags", 1,
	    "<TABLE><TR><TD>Name</TD><TD>Max</TD></TR></TABLE>", "name=Max" },
	/* HTML definition lists, <br> pairs, paragraphs. */
	{ "html dl", 1,
	    "<dl><dt>Name</dt><dd>Max Muster</dd><dt>Telefon:</dt><dd>0171 1"
	    "</dd></dl>", "name=Max Muster; phone=0171 1" },
	{ "html dl unknown term", 1,
	    "<dl><dt>Lieblingsfarbe</dt><dd>Blau</dd><dt>Email</dt><dd>b@x.de"
	    "</dd></dl>", "?Lieblingsfarbe=Blau; email=b@x.de" },
	{ "html br pairs", 1,
	    "<p><b>Name:</b> Max<br><b>Tel:</b> 0171 2345678<br><b>E-Mail:</b>"
	    " max@x.de</p>", "name=Max; phone=0171 2345678; email=max@x.de" },
	{ "html br pairs with spaced colon", 1,
	    "<p><b>Annonce</b> : Appartement<br>\n<b>Référence</b> : BXL-1</p>",
	    "ref=BXL-1" },
	{ "html strong label, br, value", 1,
	    "<p><strong>Nachricht</strong><br>Hallo,<br>ist die Wohnung frei?"
	    "</p><p>Viele Grüße</p>",
	    "msg=Hallo,\nist die Wohnung frei?\n\nViele Grüße" },
	{ "html question paragraphs", 1,
	    "<p><b>Name</b><br>Noah Fischer</p><p><b>Phone</b><br>+49 157 1"
	    "</p>", "name=Noah Fischer; phone=+49 157 1" },
	{ "html several labels with nbsp", 1,
	    "<p>Nombre: Rocío Ruiz &nbsp;&nbsp; Teléfono: 654 32 10 98 "
	    "&nbsp;&nbsp; Email: r@x.es</p>",
	    "name=Rocío Ruiz; phone=654 32 10 98; email=r@x.es" },
	{ "html entities", 1,
	    "<table><tr><td>T&eacute;l&eacute;phone</td><td>06&nbsp;12</td>"
	    "</tr></table>", "phone=06 12" },
	{ "html script, style, comments skipped", 1,
	    "<head><title>Name: T</title></head><style>td{}</style><script>"
	    "var x = 'Name: S';</script><!-- Name: C --><p>Name: Max</p>",
	    "name=Max" },
	{ "html pre", 1, "<pre>Name: Max\nE-Mail: m@x.de</pre>",
	    "name=Max; email=m@x.de" },
	/* Snippets of the corpus (tests/data/corpus/train). */
	{ "corpus be-immoweb-fr-html", 1,
	    "<p><b>Annonce</b> : Appartement 2 chambres, Avenue Louise, "
	    "Bruxelles<br>\n<b>Code Immoweb</b> : 10987654<br><b>Votre "
	    "r&eacute;f&eacute;rence</b> : BXL-A-301</p>\n<p><b>Coordonn&eacute;es"
	    " du demandeur</b><br>\nMadame Camille Peeters<br>Rue de la "
	    "Victoire 41<br>1060 Saint-Gilles<br>\nT&eacute;l. : 0475 12 34 56"
	    "<br>E-mail : camille.peeters@example.be</p>\n<p><b>Message</b><br>"
	    "Bonjour,<br>\nJe souhaiterais visiter cet appartement.</p>\n<p>"
	    "Bien &agrave; vous,<br>Camille Peeters</p>",
	    "phone=0475 12 34 56; email=camille.peeters@example.be; "
	    "msg=Bonjour,\nJe souhaiterais visiter cet appartement.\n\n"
	    "Bien à vous,\nCamille Peeters" },
	{ "corpus fr-seloger text cells", 0,
	    "Civilit\xc3\xa9\tMme\nNom\tLEF\xc3\x88VRE H\xc3\xa9l\xc3\xa8ne\n"
	    "Email\thelene.lefevre@example.fr\nCode postal\t69004 Lyon\n\n"
	    "Son message :\n\nBonjour,",
	    "sal=Mme; name=LEFÈVRE Hélène; email=helene.lefevre@example.fr; "
	    "pc=69004 Lyon" },
	{ "corpus uk-onthemarket-plain", 0,
	    "Title: Mrs\nFirst name: Sarah\nLast name: Whitmore\nEmail: "
	    "sarah.whitmore@example.co.uk\nAddress: 18 Unthank Road\nNorwich\n"
	    "NR2 2PA\n\nEnquiry:\nGood morning, we would like to view.",
	    "first=Sarah; last=Whitmore; email=sarah.whitmore@example.co.uk; "
	    "addr=18 Unthank Road\nNorwich\nNR2 2PA" },
	{ "corpus form-hubspot-html rows", 1,
	    "<table width=\"100%\">\n<tr><td style=\"padding:12px 0 2px 0\">"
	    "First name</td></tr>\n<tr><td style=\"padding:0 0 10px 0\">"
	    "Jennifer</td></tr>\n<tr><td>Phone number</td></tr>\n<tr><td>+1 415 "
	    "555 0176</td></tr>\n<tr><td>Message</td></tr>\n<tr><td>We are an "
	    "international family relocating to Munich.</td></tr>\n</table>\n"
	    "<p><a href=\"https://app.hubspot.com/contacts/1\">View contact "
	    "record</a></p>", "first=Jennifer; phone=+1 415 555 0176; "
	    "msg=We are an international family relocating to Munich." },
	{ "corpus car-mobilede-plain", 0,
	    "Fahrzeug: BMW 320d Touring Sport Line\nInterne Nummer: AB-24-0815\n"
	    "mobile.de Anzeigen-ID: 384756129\n\nAnrede: Herr\nName: Michael "
	    "Krause\nPLZ/Ort: 80331 M\xc3\xbcnchen\n\nNachricht:\nGuten Tag,\n\n"
	    "ist der BMW 320d noch verf\xc3\xbcgbar?\n\nMit freundlichen "
	    "Gr\xc3\xbc\xc3\x9f" "en\nM. Krause",
	    "sal=Herr; name=Michael Krause; pcity=80331 München; "
	    "msg=Guten Tag,\n\nist der BMW 320d noch verfügbar?\n\n"
	    "Mit freundlichen Grüßen\nM. Krause" },
	/* Bold labels, dash and bar separators, text tables. */
	{ "markdown bold labels", 0,
	    "**Name:** Max Muster\n**Telefon:** 0171 2345678\n__E-Mail__: "
	    "m@x.de", "name=Max Muster; phone=0171 2345678; email=m@x.de" },
	{ "label - value", 0, "Name - Max Muster\nTelefon \xe2\x80\x93 0171 1",
	    "name=Max Muster; phone=0171 1" },
	{ "label | value", 0, "Name | Max Muster", "name=Max Muster" },
	{ "text table rows", 0,
	    "| Feld | Wert |\n|------|------|\n| Name | Max Muster |\n"
	    "| Nachricht | Hallo, ist es frei? |",
	    "name=Max Muster; msg=Hallo, ist es frei?" },
	{ "a dash inside a value names no label", 0,
	    "Name: Max Muster - Nachricht - Hallo", "name=Max Muster - Nachricht - Hallo" },
	{ "a dash word is no separator", 0, "Name -Max", "" },
	/* Malformed HTML: what can be read. */
	{ "html unclosed cells and rows", 1,
	    "<table><tr><td>Name<td>Max<tr><td>E-Mail<td>m@x.de",
	    "name=Max; email=m@x.de" },
	{ "html unterminated tag at the end", 1, "<p>Name: Max<br", "name=Max" },
	{ "html stray closing tags", 1,
	    "</td></tr></table></dl><p>Name: Max</p></dd></dt>", "name=Max" },
	{ "html unclosed comment", 1, "<p>Name: Max</p><!-- Email: x",
	    "name=Max" },
	{ "html unclosed script", 1, "<p>Name: Max</p><script>Email: x",
	    "name=Max" },
	{ "html quotes in attributes", 1,
	    "<p title=\"a>b\">Name: Max</p><p class='x>'>Tel: 1</p>",
	    "name=Max; phone=1" },
	{ "html cells outside rows", 1,
	    "<table><td>Name</td><td>Max</td></table>", "name=Max" },
	{ "html dd without dt", 1, "<dl><dd>Name: Max</dd></dl>", "name=Max" },
	{ "html lone angle brackets", 1, "<p>a < b > c</p><p>Name: Max</p>",
	    "name=Max" },
};

static void
run_cases(void)
{
	struct segment *s;
	size_t i, len;
	char *got;

	for (i = 0; i < NELEM(cases); i++) {
		len = strlen(cases[i].in);
		s = cases[i].html ? segment_html(cases[i].in, len, &opts) :
		    segment_text(cases[i].in, len, &opts);
		got = show(s);
		T_STR(got, cases[i].want, "%s: %s", cases[i].html ? "html" :
		    "text", cases[i].label);
		free(got);
		segment_free(s);
	}
}

/* How items were found and where they stand. */
static const struct {
	const char *label;
	int html;
	const char *in;
	size_t item;
	enum seg_kind kind;
	const char *where;
	int quoted;
} wheres[] = {
	{ "inline", 0, "Hallo\n\nName: Max", 2, SEG_INLINE, "line 3", 0 },
	{ "next", 0, "Name\nMax", 0, SEG_NEXT, "line 1 -> line 2", 0 },
	{ "block", 0, "Nachricht:\nHallo\nwie geht's\n\nTschüss", 0,
	    SEG_BLOCK, "line 1 -> line 2 +3", 0 },
	{ "quoted", 0, "> Name: Max", 0, SEG_INLINE, "line 1", 1 },
	{ "text tab cells", 0, "x\nName\tMax", 1, SEG_CELL,
	    "line 2 cell 1 -> cell 2", 0 },
	{ "html cell", 1, "<table><tr><td>a</td></tr><tr><td>Name</td><td>Max"
	    "</td></tr></table>", 1, SEG_CELL,
	    "HTML table 1 row 2 cell 1 -> cell 2", 0 },
	{ "html nested", 1, "<table><tr><td><table><tr><td>Name</td><td>Max"
	    "</td></tr></table></td></tr></table>", 0, SEG_CELL,
	    "HTML table 2 row 1 cell 1 -> cell 2", 0 },
	{ "html header row", 1, "<table><tr><th>Name</th><th>Tel</th></tr>"
	    "<tr><td>Max</td><td>1</td></tr></table>", 1, SEG_CELL,
	    "HTML table 1 row 1 cell 2 -> row 2 cell 2", 0 },
	{ "html dl", 1, "<dl><dt>a</dt><dd>b</dd><dt>Name</dt><dd>Max</dd>"
	    "</dl>", 1, SEG_DL, "HTML dl 1 item 2 -> dd", 0 },
	{ "html line", 1, "<p>Hallo</p><p>Name: Max</p>", 2, SEG_INLINE,
	    "HTML line 3", 0 },
	{ "html text", 1, "<p>Hallo</p>", 0, SEG_TEXT, "HTML line 1", 0 },
	{ "html blockquote", 1, "<blockquote>Name: Alt</blockquote>", 0,
	    SEG_INLINE, "HTML line 1", 1 },
	{ "html in one cell", 1, "<table><tr><td><p>Name</p><p>Max</p></td>"
	    "</tr></table>", 0, SEG_NEXT, "HTML table 1 row 1 cell 1 -> line 3",
	    0 },
};

static void
run_wheres(void)
{
	struct segment *s;
	size_t i, len;

	for (i = 0; i < NELEM(wheres); i++) {
		len = strlen(wheres[i].in);
		s = wheres[i].html ? segment_html(wheres[i].in, len, &opts) :
		    segment_text(wheres[i].in, len, &opts);
		T_OK(s->n > wheres[i].item, "where %s: %zu items", wheres[i].label,
		    s->n);
		if (s->n > wheres[i].item) {
			const struct seg_item *it = &s->items[wheres[i].item];

			T_STR(segment_kind_name(it->kind),
			    segment_kind_name(wheres[i].kind), "kind %s",
			    wheres[i].label);
			T_STR(it->where, wheres[i].where, "where %s",
			    wheres[i].label);
			T_INT(it->quoted, wheres[i].quoted, "quoted %s",
			    wheres[i].label);
			T_INT(it->html, wheres[i].html, "html %s",
			    wheres[i].label);
		}
		segment_free(s);
	}
}

/* Text items: every line that is no label's, as written, blank lines once. */
static void
text_items(void)
{
	const char *in = "\n\nHallo,\n\n\n  > zitiert\nName: Max\nGruß\n\n";
	struct segment *s = segment_text(in, strlen(in), &opts);
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < s->n; i++)
		buf_printf(&b, "%s[%s]", segment_kind_name(s->items[i].kind),
		    s->items[i].value);
	T_STR(buf_str(&b), "text[Hallo,]text[]text[  > zitiert]inline[Max]"
	    "text[Gruß]", "text items as written");
	T_STR(s->items[3].label, "Name", "label as written");
	buf_free(&b);
	segment_free(s);

	in = "<hr><p>Hallo</p><hr>";
	s = segment_html(in, strlen(in), &opts);
	for (i = 0; i < s->n; i++)
		buf_printf(&b, "[%s]", s->items[i].value);
	T_STR(buf_str(&b), "[---][][Hallo][---]", "html: <hr> is a rule line");
	buf_free(&b);
	segment_free(s);
}

static void
limits(void)
{
	struct segment_opts o = opts;
	struct segment *s;
	struct buf b = BUF_INIT;
	size_t i;

	o.max_items = 3;
	s = segment_text("Name: a\nName: b\nName: c\nName: d\nName: e", 39, &o);
	T_INT(s->n, 3, "max_items: 3 items");
	T_INT(s->truncated, 1, "max_items: truncated");
	segment_free(s);

	o = opts;
	o.max_input = 16;
	s = segment_text("Name: Max\nTel: 0171 2345678\n", 28, &o);
	T_INT(s->truncated, 1, "max_input: truncated");
	T_OK(s->n == 2 && strcmp(s->items[1].value, "0") == 0,
	    "max_input: the first 16 bytes read");
	segment_free(s);

	/* A cut inside a UTF-8 character goes back to its start. */
	o.max_input = 8;
	s = segment_text("Nom: \xc3\xa9\xc3\xa9", 9, &o);
	T_OK(s->n == 1 && strcmp(s->items[0].value, "\xc3\xa9") == 0,
	    "max_input: no half character");
	segment_free(s);

	/* Megabytes: bounded by the defaults. */
	for (i = 0; i < 300000; i++)
		buf_adds(&b, "Name: Max Muster\n");
	s = segment_text(b.data, b.len, &opts);
	T_OK(s->n == SEGMENT_MAX_ITEMS && s->truncated,
	    "5 MB of text: %zu items, truncated", s->n);
	segment_free(s);
	buf_reset(&b);
	for (i = 0; i < 200000; i++)
		buf_adds(&b, "<table><tr><td>");
	buf_adds(&b, "Name</td><td>Max");
	s = segment_html(b.data, b.len, &opts);
	T_OK(s->truncated, "3 MB of nested tables: truncated");
	segment_free(s);
	buf_reset(&b);
	for (i = 0; i < 100; i++)
		buf_adds(&b, "<table><tr><td>");
	buf_adds(&b, "<table><tr><td>Name</td><td>Max</td></tr></table>");
	s = segment_html(b.data, b.len, &opts);
	T_OK(s->n == 1 && s->items[0].field == F_NAME &&
	    strcmp(s->items[0].value, "Max") == 0,
	    "100 nested tables: the row in them is read as text");
	segment_free(s);
	buf_reset(&b);
	for (i = 0; i < 20000; i++)
		buf_adds(&b, "<head><script>");
	s = segment_html(b.data, b.len, &opts);
	T_INT(s->n, 0, "unclosed <head> and <script> many times: nothing");
	segment_free(s);
	buf_free(&b);

	s = segment_text(NULL, 0, &opts);
	T_INT(s->n, 0, "NULL text");
	segment_free(s);
	s = segment_html(NULL, 0, &opts);
	T_INT(s->n, 0, "NULL html");
	segment_free(s);
	s = segment_text("\xff\xfe\x80\nName: \xc3\x28\x01\n", 13, &opts);
	T_OK(s->n == 2 && s->items[1].field == F_NAME,
	    "invalid UTF-8 and control bytes");
	segment_free(s);
	s = segment_html("<\xff\xfe<<&#xffffffff;&#0;&bogus;<p>Name: M", 38,
	    &opts);
	T_OK(s->n >= 1 && s->items[s->n - 1].field == F_NAME,
	    "garbage HTML before a label");
	segment_free(s);
	segment_free(NULL);
	T_INT(segment_labels(NULL), 0, "segment_labels(NULL)");
}

/*
 * A callback whose longest label runs past where a label may end (into
 * the value): a shorter one is asked for.
 */
static int
greedy(void *arg, const char *text, size_t len, size_t *matched)
{
	(void)arg;
	calls++;
	*matched = 0;
	if (len < 7 || strncmp(text, "Telefon", 7) != 0)
		return 0;
	*matched = len >= 13 ? 13 : 7;
	return F_PHONE;
}

static void
callback(void)
{
	struct segment_opts o = { greedy, NULL, NULL, 0, 0 };
	struct segment *s;
	const char *in = "Telefon: 0171 2345\nTelefonnummer 1";

	s = segment_text(in, strlen(in), &o);
	T_OK(s->n == 2 && s->items[0].label &&
	    strcmp(s->items[0].label, "Telefon") == 0 &&
	    strcmp(s->items[0].value, "0171 2345") == 0,
	    "a label running into the value: a shorter one");
	T_OK(s->n == 2 && s->items[1].kind == SEG_TEXT,
	    "no label ending inside a word");
	segment_free(s);

	calls = 0;
	in = "Name: Max Muster Telefon: 0171 E-Mail: m@x.de";
	s = segment_text(in, strlen(in), &opts);
	T_OK(calls < 40, "is_label called %zu times for one line", calls);
	segment_free(s);
}

static const char mail_alt[] =
    "From: fotocasa <noreply@fotocasa.example>\r\n"
    "Subject: Nuevo contacto\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/alternative; boundary=\"b\"\r\n"
    "\r\n"
    "--b\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Nombre Pau\r\n"
    "Apellidos Martinez\r\n"
    "--b\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<table><tr><th>Nombre</th><td>Pau</td></tr><tr><th>Apellidos</th>"
    "<td>Martinez</td></tr></table>\r\n"
    "--b--\r\n";

static const char mail_plain[] =
    "From: Max <max@example.de>\r\n"
    "Subject: Anfrage\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Name: Max Muster\r\n"
    "Telefon: 0171 1\r\n";

static void
mails(void)
{
	struct mail *m;
	struct segment *s;
	const struct seg_item *it;
	struct err e;

	if (mail_parse(mail_alt, sizeof(mail_alt) - 1, NULL, &m, &e) != LG_OK) {
		T_OK(0, "parse mail_alt: %s", e.msg);
		return;
	}
	s = segment_mail(m, &opts);
	T_INT(segment_labels(s), 2, "mail: the HTML part has more labels");
	T_OK(s->n > 0 && s->items[0].html, "mail: items from the HTML");
	it = segment_find(s, F_LAST);
	T_STR(it ? it->value : NULL, "Martinez", "segment_find");
	T_OK(segment_find(s, F_EMAIL) == NULL, "segment_find: none");
	segment_free(s);
	mail_free(m);

	if (mail_parse(mail_plain, sizeof(mail_plain) - 1, NULL, &m, &e) !=
	    LG_OK) {
		T_OK(0, "parse mail_plain: %s", e.msg);
		return;
	}
	s = segment_mail(m, &opts);
	T_OK(segment_labels(s) == 2 && !s->items[0].html,
	    "mail: a text part alone");
	segment_free(s);
	mail_free(m);
}

int
main(void)
{
	run_cases();
	run_wheres();
	text_items();
	limits();
	callback();
	mails();
	return t_done();
}
