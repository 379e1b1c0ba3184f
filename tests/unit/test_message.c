/*
 * The prospect's words (parse/message.c): closings in the thirteen
 * languages, signatures, quoted replies, forwards, footers, a profile's
 * start and end, portal quotes, what is no closing; then finding the
 * words in a segmented mail. The phrase lists are this test's own, taken
 * from etc/lexicon/LANG.conf (the real ones are loaded at run time); many
 * texts are snippets of tests/data/corpus/train.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "parse/message.h"
#include "parse/segment.h"
#include "t.h"

static const char *const closings[] = {
	/* de */
	"Mit freundlichen Grüßen", "Mit freundlichen Grüssen",
	"Freundliche Grüße", "Freundliche Grüsse", "Viele Grüße",
	"Liebe Grüße", "Beste Grüße", "Grüße", "Gruß", "MfG", "LG",
	"Besten Dank", "Vielen Dank", "Danke",
	/* fr */
	"Cordialement", "Bien cordialement", "Bien à vous",
	"Meilleures salutations", "Salutations distinguées", "Merci d'avance",
	"Merci",
	/* it */
	"Cordiali saluti", "Distinti saluti", "Saluti", "Un saluto",
	"Grazie mille", "Grazie",
	/* es */
	"Saludos", "Un saludo", "Saludos cordiales", "Atentamente",
	"Muchas gracias", "Gracias",
	/* pt */
	"Atenciosamente", "Cumprimentos", "Com os melhores cumprimentos",
	"Obrigado", "Obrigada",
	/* nl */
	"Met vriendelijke groet", "Vriendelijke groeten", "Groeten", "Groet",
	"Alvast bedankt", "Bedankt", "Mvg",
	/* en */
	"Kind regards", "Best regards", "Regards", "Many thanks", "Thanks",
	"Thank you", "Thanks in advance", "Best", "Cheers", "Yours sincerely",
	"Yours faithfully", "Sincerely",
	/* pl, cs */
	"Pozdrawiam", "Z poważaniem", "Dziękuję", "S pozdravem", "S úctou",
	"Děkuji", "Díky",
	/* sv, da, nb, fi */
	"Med vänliga hälsningar", "Vänliga hälsningar", "Hälsningar", "Mvh",
	"Tack", "Med venlig hilsen", "Venlig hilsen", "Hilsen", "Tak",
	"Med vennlig hilsen", "Vennlig hilsen", "Takk",
	"Ystävällisin terveisin", "Terveisin", "Kiitos",
	/* uk, zh */
	"З повагою", "谢谢",
	NULL
};

static const char *const footers[] = {
	"Diese E-Mail wurde", "Von meinem iPhone gesendet", "Gesendet von meinem",
	"Цей лист надіслано", "本電郵",
	"Sent from my iPhone", "Sent from my", "This enquiry was sent via",
	"Ce message a été", "Envoyé de mon iPhone", "L'équipe Bien'ici",
	"Questa e-mail", "Inviato da iPhone", "Enviado desde mi",
	"Deze e-mail is verzonden", "Verzonden vanaf mijn", "Wysłane z mojego",
	"Odesláno z", "Skickat från min", "Sendt fra min", "Lähetetty",
	"Please do not reply",
	NULL
};

static const char *const quote_headers[] = {
	"Am * schrieb *:", "* schrieb am *:", "-*Ursprüngliche Nachricht*-",
	"On * wrote:", "-*Original Message*-", "Le * a écrit :",
	"Le * a écrit:", "Il giorno * ha scritto:", "El * escribió:",
	"Em * escreveu:", "Op * schreef *:", "W dniu * napisał:",
	"Dne * napsal(a):", "Den * skrev *:", "* kirjoitti:",
	NULL
};

static const char *const forward_markers[] = {
	"-*Forwarded message*-", "Begin forwarded message:",
	"-*Weitergeleitete Nachricht*-", "-*Message transféré*-",
	"-*Messaggio inoltrato*-", "-*Doorgestuurd bericht*-",
	NULL
};

static const char *const greetings[] = {
	"Hallo", "Guten Tag", "Sehr geehrte", "Grüezi", "Bonjour",
	"Madame, Monsieur", "Buongiorno", "Ciao", "Gentile", "Hola",
	"Buenos días", "Estimados", "Olá", "Boa tarde", "Goedemiddag", "Beste",
	"Geachte", "Hello", "Hi", "Dear", "Good morning", "Dzień dobry",
	"Witam", "Dobrý den", "Hej", "Hei",
	NULL
};

static const char *const end_woonplein[] = { "Bekijk de woning", NULL };
static const char *const start_says[] = { "* says:", NULL };
static const char *const start_von[] = { "Nachricht von *:", NULL };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *label;
	const char *text;
	const char *const *starts, *const *ends;
	int flags;
	const char *want;	/* NULL: none */
} cuts[] = {
	/* Closings, one language after the other. */
	{ "de Mit freundlichen Grüßen",
	    "Guten Tag,\n\nich interessiere mich für die Wohnung. Ist eine "
	    "Besichtigung möglich?\n\nMit freundlichen Grüßen\nJonas Schneider",
	    NULL, NULL, 0, "Guten Tag,\n\nich interessiere mich für die "
	    "Wohnung. Ist eine Besichtigung möglich?" },
	{ "de-CH Freundliche Grüsse (corpus ch-homegate-plain)",
	    "Grüezi\n\nIch interessiere mich für die 3.5-Zimmer-Wohnung in "
	    "Oerlikon.\n\nFreundliche Grüsse\nNadine Keller\n\nIhr Homegate-Team",
	    NULL, NULL, 0, "Grüezi\n\nIch interessiere mich für die "
	    "3.5-Zimmer-Wohnung in Oerlikon." },
	{ "fr Cordialement (corpus fr-pap-plain)",
	    "Bonjour,\nVotre appartement m'intéresse beaucoup. Je suis "
	    "joignable le soir.\n\nCordialement,\nClaire Moreau\n\nPour "
	    "répondre, écrivez directement à claire.moreau@example.fr.",
	    NULL, NULL, 0, "Bonjour,\nVotre appartement m'intéresse beaucoup. "
	    "Je suis joignable le soir." },
	{ "it Cordiali saluti",
	    "Buongiorno,\nvorrei visitare l'appartamento martedì.\nCordiali "
	    "saluti\nGiulia Bianchi", NULL, NULL, 0,
	    "Buongiorno,\nvorrei visitare l'appartamento martedì." },
	{ "es Saludos (corpus car-cochesnet-plain)",
	    "Hola, ¿el Seat León sigue disponible? Me interesa financiarlo a 60 "
	    "meses. ¿Tiene garantía?\n\nSaludos,\nJavi", NULL, NULL, 0,
	    "Hola, ¿el Seat León sigue disponible? Me interesa financiarlo a 60 "
	    "meses. ¿Tiene garantía?" },
	{ "pt Atenciosamente",
	    "Boa tarde, gostaria de agendar uma visita ao apartamento.\n\n"
	    "Atenciosamente,\nAna Rita Sousa", NULL, NULL, 0,
	    "Boa tarde, gostaria de agendar uma visita ao apartamento." },
	{ "pt Com os melhores cumprimentos (corpus pt-imovirtual-plain)",
	    "Olá, a moradia ainda está disponível?\n\nCom os melhores "
	    "cumprimentos,\nTiago Almeida\n\n--\nImovirtual - Portal "
	    "Imobiliário", NULL, NULL, 0,
	    "Olá, a moradia ainda está disponível?" },
	{ "nl Met vriendelijke groet (corpus form-php-nl-labels-next)",
	    "Goedemorgen, ik wil graag mijn huis in Haarlem laten taxeren en "
	    "verkopen. Wanneer kan er iemand langskomen?\n\nMet vriendelijke "
	    "groet,\nMarloes van Leeuwen", NULL, NULL, 0,
	    "Goedemorgen, ik wil graag mijn huis in Haarlem laten taxeren en "
	    "verkopen. Wanneer kan er iemand langskomen?" },
	{ "en Kind regards (corpus ie-daft-plain)",
	    "Hi there,\n\nI'm interested in viewing the apartment in Ranelagh."
	    "\n\nKind regards,\nAoife\n\n-----------------------------------\n"
	    "Daft.ie, Distilled Media Ltd", NULL, NULL, 0,
	    "Hi there,\n\nI'm interested in viewing the apartment in "
	    "Ranelagh." },
	{ "pl Pozdrawiam (corpus pl-morizon-plain)",
	    "Dzień dobry, proszę o przesłanie rzutu mieszkania i informację o "
	    "wysokości czynszu administracyjnego.\n\nPozdrawiam\n"
	    "K. Lewandowska-Nowak\n\nMorizon.pl", NULL, NULL, 0,
	    "Dzień dobry, proszę o przesłanie rzutu mieszkania i informację o "
	    "wysokości czynszu administracyjnego." },
	{ "pl Z POWAŻANIEM in capitals",
	    "Witam serdecznie, czy działka ma dostęp do mediów?\n\nZ "
	    "POWA\xc5\xbb" "ANIEM, Tomasz Wójcik", NULL, NULL, 0,
	    "Witam serdecznie, czy działka ma dostęp do mediów?" },
	{ "cs S pozdravem (corpus cz-sreality-plain)",
	    "Dobrý den,\nmám zájem o prohlídku bytu na Vinohradech. Je možné "
	    "mít v bytě psa?\n\nS pozdravem\nPetr Novák\n\nSeznam.cz, a.s.",
	    NULL, NULL, 0, "Dobrý den,\nmám zájem o prohlídku bytu na "
	    "Vinohradech. Je možné mít v bytě psa?" },
	{ "sv Med vänliga hälsningar (corpus se-hemnet-plain)",
	    "Hej!\n\nVi är intresserade av lägenheten på Södermalm.\n\nMed "
	    "vänliga hälsningar\nErik Johansson\n\nHemnet AB, Box 4047",
	    NULL, NULL, 0,
	    "Hej!\n\nVi är intresserade av lägenheten på Södermalm." },
	{ "da Venlig hilsen (corpus dk-boligsiden-plain)",
	    "Hej,\n\nJeg er meget interesseret i lejligheden på Nørrebro. Er "
	    "der mulighed for fremvisning i næste uge?\n\nVenlig hilsen\n"
	    "Mette Rasmussen\n\nBoligsiden A/S", NULL, NULL, 0,
	    "Hej,\n\nJeg er meget interesseret i lejligheden på Nørrebro. Er "
	    "der mulighed for fremvisning i næste uge?" },
	{ "nb Med vennlig hilsen (corpus mail-gmail-nb)",
	    "Hei,\n\nJeg lurer på om hytta på Geilo fortsatt er til salgs.\n\n"
	    "Med vennlig hilsen\nKari Nordmann-Bakke\n+47 922 33 444\n", NULL,
	    NULL, 0, "Hei,\n\nJeg lurer på om hytta på Geilo fortsatt er til "
	    "salgs." },
	{ "fi Ystävällisin terveisin (corpus fi-oikotie-plain)",
	    "Hei,\n\nolisin kiinnostunut asunnosta Kalliossa.\n\nYstävällisin "
	    "terveisin\nMikko Virtanen\n\nOikotie Oy", NULL, NULL, 0,
	    "Hei,\n\nolisin kiinnostunut asunnosta Kalliossa." },
	{ "closing in capitals",
	    "Ist die Wohnung noch frei?\nMIT FREUNDLICHEN GRÜSSEN\nMAX", NULL,
	    NULL, 0, "Ist die Wohnung noch frei?" },
	{ "closing and name on one line: Merci, Marie",
	    "Bonjour, le studio est-il libre ?\nMerci, Marie", NULL, NULL, 0,
	    "Bonjour, le studio est-il libre ?" },
	{ "closing and name on one line: Gruß Jonas",
	    "Hallo, passt Samstag?\n\nGruß Jonas", NULL, NULL, 0,
	    "Hallo, passt Samstag?" },
	{ "two closings (corpus ch-newhome-plain)",
	    "Grüezi mitenand\nIst das Einfamilienhaus in Winterthur noch "
	    "verfügbar?\n\nBesten Dank und freundliche Grüsse\nBeat Meier",
	    NULL, NULL, 0, "Grüezi mitenand\nIst das Einfamilienhaus in "
	    "Winterthur noch verfügbar?" },
	{ "closing after two words (corpus ch-comparis-fr-html)",
	    "Madame, Monsieur,\n\nLe studio à Lausanne est-il toujours "
	    "disponible ?\nAvec mes meilleures salutations,\nÉlodie Favre-Bulle",
	    NULL, NULL, 0, "Madame, Monsieur,\n\nLe studio à Lausanne est-il "
	    "toujours disponible ?" },
	{ "thanks only",
	    "Hi, is the Ford Fiesta still for sale?\n\nThanks!\nJordan", NULL,
	    NULL, 0, "Hi, is the Ford Fiesta still for sale?" },
	{ "thanks and a name (corpus au-rea-plain)",
	    "Hi, could you please let me know the price guide? Also is the "
	    "property strata titled?\n\nThanks,\nChloe\n\nrealestate.com.au - "
	    "Australia's No.1 property site", NULL, NULL, 0,
	    "Hi, could you please let me know the price guide? Also is the "
	    "property strata titled?" },
	{ "thanks with few words (corpus it-immobiliare-foreign-fr)",
	    "Bonjour, pouvez-vous m'envoyer des photos du jardin?\n\nMerci "
	    "d'avance et bonne journée,\nSophie\n\nIl team di Immobiliare.it",
	    NULL, NULL, 0,
	    "Bonjour, pouvez-vous m'envoyer des photos du jardin?" },
	/* What is no closing. */
	{ "thanks in a question: no closing",
	    "Thanks for the quick reply, is the flat still free?\nWe could come "
	    "on Monday.", NULL, NULL, 0, "Thanks for the quick reply, is the "
	    "flat still free?\nWe could come on Monday." },
	{ "thanks in a long sentence: no closing",
	    "Hi,\nThanks for getting back to me about the garage. I would like "
	    "to see it.\n\nCheers\nTom", NULL, NULL, 0, "Hi,\nThanks for "
	    "getting back to me about the garage. I would like to see it." },
	{ "thanks first, a question next: no closing",
	    "Danke für die Info!\nIst die Wohnung noch frei?\n\nGruß Max", NULL,
	    NULL, 0, "Danke für die Info!\nIst die Wohnung noch frei?" },
	{ "a closing with a team's name, a portal's footer next",
	    "Чи актуальна ще пропозиція?\n\nЗ повагою, команда Оселя\n"
	    "Цей лист надіслано автоматично, не відповідайте на нього.", NULL,
	    NULL, 0, "Чи актуальна ще пропозиція?" },
	{ "an automation's field key ends the words",
	    "Posso venire sabato mattina?\nconsenso_privacy: true\n"
	    "utm_source: google", NULL, NULL, 0, "Posso venire sabato mattina?" },
	{ "a word with a colon is no field key",
	    "Posso venire sabato mattina?\nnota bene: anche domenica va bene.",
	    NULL, NULL, 0, "Posso venire sabato mattina?\nnota bene: anche "
	    "domenica va bene." },
	{ "a Chinese footer with no space after it",
	    "請問單位仲有冇？\n\n本電郵由系統發出，請勿直接回覆。", NULL, NULL, 0,
	    "請問單位仲有冇？" },
	{ "a short Chinese closing starts a sentence: no closing",
	    "谢谢您的回复，请问周六可以看房吗？", NULL, NULL, 0,
	    "谢谢您的回复，请问周六可以看房吗？" },
	{ "thanks after the greeting, a sentence next: no closing",
	    "Hej,\nTack för svaret!\nVi kommer gärna på visning på lördag.\n\n"
	    "Hälsningar\nErik", NULL, NULL, 0, "Hej,\nTack för svaret!\nVi "
	    "kommer gärna på visning på lördag." },
	{ "a word that starts like a closing",
	    "Bestätigung der Finanzierung liegt vor.\nBesten Gruß\nAnna", NULL,
	    NULL, 0, "Bestätigung der Finanzierung liegt vor." },
	{ "a closing inside a line (corpus fr-logicimmo-plain)",
	    "Bonjour, pouvez-vous m'envoyer le diagnostic de performance "
	    "énergétique ? Merci.", NULL, NULL, 0, "Bonjour, pouvez-vous "
	    "m'envoyer le diagnostic de performance énergétique ? Merci." },
	{ "a closing word starting a question",
	    "Grüße aus Berlin und vielen Dank, wann können wir die Wohnung "
	    "sehen?", NULL, NULL, 0, "Grüße aus Berlin und vielen Dank, wann "
	    "können wir die Wohnung sehen?" },
	{ "a greeting is no closing",
	    "Hallo Frau Winter,\n\nvielen Dank für die schnelle Antwort und "
	    "das Exposé. Der Samstag passt uns sehr gut.\n\nViele Grüße\nTim",
	    NULL, NULL, 0, "Hallo Frau Winter,\n\nvielen Dank für die schnelle "
	    "Antwort und das Exposé. Der Samstag passt uns sehr gut." },
	/* Signatures and rules. */
	{ "signature -- ",
	    "Hallo,\nist das Haus noch zu haben?\n-- \nDr. Klaus Weber\nTel. "
	    "0228 123456", NULL, NULL, 0,
	    "Hallo,\nist das Haus noch zu haben?" },
	{ "signature --", "Is de woning nog beschikbaar?\n\n--\nJaap.nl", NULL,
	    NULL, 0, "Is de woning nog beschikbaar?" },
	{ "rule (corpus form-elementor-plain)",
	    "Hi, we're interested in the villa in Marbella.\n\n---\n\nDate: "
	    "June 14, 2024\nPowered by: Elementor", NULL, NULL, 0,
	    "Hi, we're interested in the villa in Marbella." },
	/* Quoted mails. */
	{ "Outlook rule and header block",
	    "Ist die Wohnung frei?\n\n________________________________\nVon: "
	    "Max <m@x.example>\nGesendet: Montag\nAn: info@agentur.example\n"
	    "Betreff: Wohnung", NULL, NULL, 0, "Ist die Wohnung frei?" },
	{ "header block alone",
	    "Ja, Samstag passt.\n\nVon: Immobilien Winter <info@winter."
	    "example>\nGesendet: Dienstag, 18. Juni 2024 09:12\nAn: Tim "
	    "Hartmann\nBetreff: Besichtigung", NULL, NULL, 0,
	    "Ja, Samstag passt." },
	{ "de Am ... schrieb ...:",
	    "Passt, bis Samstag.\n\nAm 18.06.2024 um 09:12 schrieb Immobilien "
	    "Winter:\n> Sehr geehrter Herr Hartmann,", NULL, NULL, 0,
	    "Passt, bis Samstag." },
	{ "en On ... wrote:",
	    "Sounds good, see you Saturday.\n\nOn Mon, Jun 3, 2024 at 10:00 AM "
	    "Agency <info@agency.example> wrote:\n> Dear Tom", NULL, NULL, 0,
	    "Sounds good, see you Saturday." },
	{ "en On ... wrote: over two lines",
	    "Sounds good.\n\nOn Mon, Jun 3, 2024 at 10:00 AM Some Agency <\n"
	    "info@agency.example> wrote:\n\n> Dear Tom", NULL, NULL, 0,
	    "Sounds good." },
	{ "fr Le ... a écrit :",
	    "D'accord pour samedi.\n\nLe lun. 3 juin 2024 à 10:00, Agence "
	    "<contact@flandres.example> a écrit :\n> Madame,", NULL, NULL, 0,
	    "D'accord pour samedi." },
	{ "-----Original Message-----",
	    "Yes please.\n\n-----Original Message-----\nFrom: Agency\nSent: "
	    "Monday", NULL, NULL, 0, "Yes please." },
	{ "a quoted line after the words", "Ja gerne.\n> alter Text", NULL,
	    NULL, 0, "Ja gerne." },
	{ "quoted first, the answer below",
	    "> Wann passt es Ihnen?\n\nAm Samstag um 11 Uhr.", NULL, NULL, 0,
	    "Am Samstag um 11 Uhr." },
	{ "all of it quoted", "> Hallo,\n> ist die Wohnung frei?", NULL, NULL,
	    0, "Hallo,\nist die Wohnung frei?" },
	/* Forwards. */
	{ "forward by an agent (corpus mail-forward-agent-de)",
	    "Hallo zusammen,\n\nbitte ins System übernehmen, Herr Baumann hat "
	    "mir direkt geschrieben.\n\nDanke\nSabine\n\nSabine Koch\n"
	    "Neckarland Immobilien GmbH\nTel. 07141 900 100\n\n"
	    "-----Ursprüngliche Nachricht-----\nVon: Herr Rüdiger Baumann "
	    "<r.baumann@example.de>\nGesendet: Mittwoch, 19. Juni 2024 21:17\n"
	    "An: Sabine Koch <s.koch@neckarland-immo.example>\nBetreff: "
	    "Baugrundstück Eglosheim\n\nGuten Tag,\n\nwir interessieren uns für "
	    "das Baugrundstück. Ist das Grundstück bauträgerfrei?\n\nMit "
	    "freundlichen Grüßen\nRüdiger Baumann\n", NULL, NULL,
	    MESSAGE_FORWARD, "Guten Tag,\n\nwir interessieren uns für das "
	    "Baugrundstück. Ist das Grundstück bauträgerfrei?" },
	{ "Gmail forward",
	    "FYI\n\n---------- Forwarded message ---------\nFrom: Anna "
	    "<anna@example.org>\nDate: Mon, 3 Jun 2024\nSubject: Flat\nTo: "
	    "<agent@x.example>\n\nHello, is the flat on Main Street still "
	    "available?\n\nKind regards\nAnna", NULL, NULL, MESSAGE_FORWARD,
	    "Hello, is the flat on Main Street still available?" },
	{ "Gmail forward read as a mail of its own",
	    "FYI\n\n---------- Forwarded message ---------\nFrom: Anna "
	    "<anna@example.org>\n\nHello", NULL, NULL, 0, "FYI" },
	{ "forward with the mail quoted",
	    "Bitte übernehmen.\n\n-------- Weitergeleitete Nachricht --------\n"
	    "Von: Max <m@x.example>\nBetreff: Haus\n\n> Hallo, ist das Haus "
	    "noch frei?\n> Gruß Max", NULL, NULL, MESSAGE_FORWARD,
	    "Hallo, ist das Haus noch frei?" },
	{ "forward flag, no forward",
	    "Hallo,\nist das Haus noch frei?\n\nGruß Max", NULL, NULL,
	    MESSAGE_FORWARD, "Hallo,\nist das Haus noch frei?" },
	/* Footers. */
	{ "en Sent from my iPhone",
	    "Is it still available?\n\nSent from my iPhone", NULL, NULL, 0,
	    "Is it still available?" },
	{ "de Von meinem iPhone gesendet (no closing)",
	    "Ist es noch da?\nVon meinem iPhone gesendet", NULL, NULL, 0,
	    "Ist es noch da?" },
	{ "portal footer",
	    "Ist das Studio noch frei?\nDiese E-Mail wurde über comparis.ch "
	    "versendet.", NULL, NULL, 0, "Ist das Studio noch frei?" },
	{ "footer after a sentence on its line (corpus it-casa-html)",
	    "Buonasera, il prezzo è trattabile?\n\nCasa.it S.r.l. - Milano. "
	    "Questa e-mail è stata inviata automaticamente.", NULL, NULL, 0,
	    "Buonasera, il prezzo è trattabile?" },
	{ "footer with typographic apostrophes",
	    "Bonjour, la maison est-elle libre ?\n\nL\xe2\x80\x99\xc3\xa9quipe "
	    "Bien\xe2\x80\x99ici", NULL, NULL, 0,
	    "Bonjour, la maison est-elle libre ?" },
	/* A profile's start and end. */
	{ "profile end (leadgate-portals(5) Woonplein)",
	    "Goedemiddag,\nWij zijn erg geïnteresseerd in deze woning.\n"
	    "Bekijk de woning: https://www.woonplein.example/woning/4471203",
	    NULL, end_woonplein, 0,
	    "Goedemiddag,\nWij zijn erg geïnteresseerd in deze woning." },
	{ "profile start with the words on its line",
	    "Zillow\n\nErnestine says: Hi, I'm interested in the condo.\nCould "
	    "we see it?\n\nView listing", start_says, NULL, 0,
	    "Hi, I'm interested in the condo.\nCould we see it?" },
	{ "profile start alone on its line",
	    "Kleinanzeigen\n\nNachricht von Tobias:\nHallo, ist die Wohnung "
	    "frei?\n", start_von, NULL, 0, "Hallo, ist die Wohnung frei?" },
	/* White space and quotation marks. */
	{ "blank lines and CRLF",
	    "\r\n\r\nHallo,\r\n\r\nist das frei?\r\n\r\n\r\n", NULL, NULL, 0,
	    "Hallo,\n\nist das frei?" },
	{ "inner white space as written",
	    "Hallo,   Welt.\n    eingerückt.", NULL, NULL, 0,
	    "Hallo,   Welt.\n    eingerückt." },
	{ "portal's typographic quotes (corpus it-idealista-plain)",
	    "\xe2\x80\x9cSalve, l'appartamento è ancora disponibile?\xe2\x80\x9d",
	    NULL, NULL, 0, "Salve, l'appartamento è ancora disponibile?" },
	{ "portal's straight quotes (corpus pl-olx-relay)",
	    "\"Cześć, czy mieszkanie jest nadal do wynajęcia?\"", NULL, NULL, 0,
	    "Cześć, czy mieszkanie jest nadal do wynajęcia?" },
	{ "guillemets", "\xc2\xab" "Bonjour, c'est libre ?\xc2\xbb", NULL,
	    NULL, 0, "Bonjour, c'est libre ?" },
	{ "quotes inside are kept", "\"Ja\" sagte sie, \"nein\"", NULL, NULL,
	    0, "\"Ja\" sagte sie, \"nein\"" },
	/* Paragraphs after the words that hold none. */
	{ "a trailing name paragraph (corpus au-domain-plain)",
	    "Hi, what's the price guide for the apartment in Newtown? Will it "
	    "go to auction?\n\nDomain Group", NULL, NULL, 0, "Hi, what's the "
	    "price guide for the apartment in Newtown? Will it go to auction?" },
	{ "an unknown closing in a paragraph (corpus es-habitaclia)",
	    "Bon dia, estic interessat en el pis del carrer Major. Seria "
	    "possible fer una visita?\n\nSalutacions,\nJordi", NULL, NULL, 0,
	    "Bon dia, estic interessat en el pis del carrer Major. Seria "
	    "possible fer una visita?" },
	{ "one short line stays", "Bitte um Rückruf", NULL, NULL, 0,
	    "Bitte um Rückruf" },
	/* Nothing of the prospect's. */
	{ "empty", "", NULL, NULL, 0, NULL },
	{ "blank", "\n\n  \n\t\n", NULL, NULL, 0, NULL },
	{ "a closing only", "Mit freundlichen Grüßen\nMax Muster", NULL, NULL,
	    0, NULL },
	{ "a signature only", "-- \nMax Muster\nTel. 030 1", NULL, NULL, 0,
	    NULL },
	{ "a footer only", "Sent from my iPhone", NULL, NULL, 0, NULL },
	{ "punctuation only", "...\n!!", NULL, NULL, 0, NULL },
};

static const struct message_words words = {
	closings, footers, quote_headers, forward_markers, greetings, NULL,
	NULL,
};

static void
run_cuts(void)
{
	struct message_words w = words;
	size_t i;
	char *got;

	for (i = 0; i < NELEM(cuts); i++) {
		w.starts = cuts[i].starts;
		w.ends = cuts[i].ends;
		got = message_cut(cuts[i].text, strlen(cuts[i].text), &w,
		    cuts[i].flags);
		T_STR(got, cuts[i].want, "cut: %s", cuts[i].label);
		free(got);
	}
}

/* Folding beyond ASCII and Latin-1, and no lists at all. */
static void
special(void)
{
	static const char *const ru[] = { "С уважением", NULL };
	static const char *const el[] = { "Με εκτίμηση", NULL };
	struct message_words w = { 0 };
	const char *t;
	char *got;

	w.closings = ru;
	t = "Добрый день, квартира свободна?\nС УВАЖЕНИЕМ, Иван";
	got = message_cut(t, strlen(t), &w, 0);
	T_STR(got, "Добрый день, квартира свободна?", "cut: Cyrillic case");
	free(got);
	w.closings = el;
	t = "Καλησπέρα, είναι διαθέσιμο;\nΜΕ ΕΚΤΙΜΗΣΗ";
	got = message_cut(t, strlen(t), &w, 0);
	T_STR(got, "Καλησπέρα, είναι διαθέσιμο;", "cut: Greek case");
	free(got);
	t = "Hallo,\nfrei?\n-- \nMax";
	got = message_cut(t, strlen(t), NULL, 0);
	T_STR(got, "Hallo,\nfrei?", "cut: no phrases, the signature still");
	free(got);
	got = message_cut(NULL, 0, &words, 0);
	T_STR(got, NULL, "cut: NULL text");
	t = "Hallo\xff\xfe,\nist \xc3 frei?\nGruß";
	got = message_cut(t, strlen(t), &words, 0);
	T_STR(got, "Hallo\xff\xfe,\nist \xc3 frei?", "cut: invalid UTF-8");
	free(got);
	t = "Hallo\n\nGruß";
	got = message_cut(t, 5, &words, 0);
	T_STR(got, "Hallo", "cut: len, not the NUL, ends the text");
	free(got);
}

/* Finding the words in segmented mails. */

enum { F_NAME = 1, F_EMAIL, F_PHONE, F_MSG, F_REF };

static const struct {
	const char *text;
	int field;
} labels[] = {
	{ "Name", F_NAME }, { "Navn", F_NAME }, { "Email", F_EMAIL },
	{ "E-Mail", F_EMAIL }, { "E-mail", F_EMAIL }, { "Telefon", F_PHONE },
	{ "Phone", F_PHONE }, { "Tel", F_PHONE }, { "Nachricht", F_MSG },
	{ "Message", F_MSG }, { "Comments", F_MSG }, { "Referenz", F_REF },
	{ "Anzeigennummer", F_REF },
};

static int
is_label(void *arg, const char *text, size_t len, size_t *matched)
{
	size_t i, n, best = 0;
	int field = 0;

	(void)arg;
	for (i = 0; i < NELEM(labels); i++) {
		n = strlen(labels[i].text);
		if (n <= len && n > best && strncasecmp(text, labels[i].text,
		    n) == 0) {
			best = n;
			field = labels[i].field;
		}
	}
	*matched = best;
	return field;
}

static enum seg_shape
shape(void *arg, int field)
{
	(void)arg;
	return field == F_MSG ? SEG_VALUE_BLOCK : SEG_VALUE_LINE;
}

static const struct {
	const char *label;
	int html;
	const char *text;
	int flags;
	const char *want;
} finds[] = {
	{ "a message label's value", 0,
	    "Name: Max\nNachricht:\nHallo,\nist die Wohnung frei?\n\nGruß Max\n"
	    "\nIhr Portal-Team", MESSAGE_NOTIFICATION,
	    "Hallo,\nist die Wohnung frei?" },
	{ "a message label in an HTML table", 1,
	    "<table><tr><td>Name</td><td>Pau</td></tr><tr><td>Message</td><td>"
	    "Hola, buenos días. Quisiera una visita.</td></tr></table><p>Este "
	    "correo ha sido enviado por fotocasa.es.</p>", MESSAGE_NOTIFICATION,
	    "Hola, buenos días. Quisiera una visita." },
	{ "a person's mail with labels in the signature", 0,
	    "Hallo,\n\nist das Haus frei?\n\nViele Grüße\nMax Muster\nTel: 0171 "
	    "1", 0, "Hallo,\n\nist das Haus frei?" },
	{ "a person's mail without labels (corpus mail-gmail-sv)", 0,
	    "Hej!\n\nJag såg er annons för villan i Lerum.\n\nMed vänlig "
	    "hälsning\nSofia Åberg\n0702-345 678", 0,
	    "Hej!\n\nJag såg er annons för villan i Lerum." },
	{ "words after the labels (corpus dk-boligsiden-html)", 0,
	    "Henvendelse fra Boligsiden på sag JB-3377 (Villa, Aarhus V)\n\n"
	    "Navn\nSøren Østergaard\nTelefon\n86 12 34 56\n\nHej. Vi vil gerne "
	    "se huset i Aarhus V. Passer det lørdag formiddag?\n\nMvh\nSøren\n",
	    MESSAGE_NOTIFICATION, "Hej. Vi vil gerne se huset i Aarhus V. "
	    "Passer det lørdag formiddag?" },
	{ "a paragraph before them left for the words after", 0,
	    "Zoopla\n\nYou have a new enquiry for 3 bed house, Manchester M16\n"
	    "\nEmail: d@example.co.uk\n\nBuyer status: Renting, mortgage in "
	    "principle\n\nHi, I'd love to book a viewing. Is the garden south "
	    "facing?\n\nCheers,\nDan", MESSAGE_NOTIFICATION,
	    "Hi, I'd love to book a viewing. Is the garden south facing?" },
	{ "words before the labels (corpus us-zillow-html)", 1,
	    "<p><b>Zillow</b> Premier Agent</p><p><b>Ernestine is requesting "
	    "information about</b><br>1919 W Diamond St #2, Philadelphia, PA "
	    "19121</p><p>Hi, I am interested in 1919 W Diamond St #2 and "
	    "would like to schedule a tour.</p><table><tr><td>Name</td><td>"
	    "Ernestine Walker</td></tr></table><p><a href=\"x\">View listing"
	    "</a></p>", MESSAGE_NOTIFICATION, "Hi, I am interested in 1919 W "
	    "Diamond St #2 and would like to schedule a tour." },
	{ "an introducing line (corpus it-subito-relay)", 0,
	    "Hai ricevuto un nuovo messaggio su Subito\n\nAnnuncio Bilocale "
	    "arredato zona Vomero\nhttps://www.subito.it/x-548712345.htm\n\n"
	    "Paolo ti ha scritto:\n\nCiao, è ancora disponibile? Cerco casa per "
	    "me e la mia compagna.\n\nSubito.it S.r.l. - Via Benigno Crespi 19, "
	    "20159 Milano", MESSAGE_NOTIFICATION, "Ciao, è ancora disponibile? "
	    "Cerco casa per me e la mia compagna." },
	{ "an introducing line before the words (corpus us-redfin-html)", 0,
	    "Redfin - New tour request\n\nEmail: hannah.kim@example.com\nPhone: "
	    "(206) 555-0110\n\nNote from buyer:\nHi! I'd like to tour 612 Alder "
	    "St this Saturday.\n", MESSAGE_NOTIFICATION,
	    "Hi! I'd like to tour 612 Alder St this Saturday." },
	{ "quoted words only (corpus it-idealista-plain)", 0,
	    "Ciao Torino Centro Case,\n\nLaura Ferri ti ha scritto riguardo al "
	    "tuo annuncio:\n\nBilocale in affitto in via Po, 12, Torino\n750 "
	    "euro/mese\n\n\"Salve, l'appartamento è ancora disponibile? Posso "
	    "venire giovedì.\"\n\ndati di contatto\nLaura Ferri\n3281234567\n\n"
	    "Rispondi a questo messaggio per scrivere direttamente a Laura.",
	    MESSAGE_NOTIFICATION, "Salve, l'appartamento è ancora disponibile? "
	    "Posso venire giovedì." },
	{ "the portal's greeting to the agency (corpus fr-leboncoin)", 0,
	    "leboncoin\n\nBonjour Marseille Location,\n\nKarim vous a envoyé un "
	    "message concernant votre annonce\nT3 lumineux - Cinq Avenues "
	    "(https://www.leboncoin.fr/ad/locations/2598741236).\n\nBonjour, "
	    "est-ce que l'appartement est toujours disponible ?\n\nRépondre "
	    "(https://www.leboncoin.fr/messages)", MESSAGE_NOTIFICATION,
	    "Bonjour, est-ce que l'appartement est toujours disponible ?" },
	{ "a relay mail's words up to its footer (corpus se-blocket)", 0,
	    "Blocket\n\nAhmed Karimi har svarat på din annons\n"
	    "https://www.blocket.se/annons/1112233445\n\nHej! Jag undrar om "
	    "lägenheten fortfarande är ledig.\n\nRing gärna på 073-987 65 43.\n"
	    "\nSvara på detta mejl för att svara Ahmed.\nBlocket AB",
	    MESSAGE_NOTIFICATION, "Hej! Jag undrar om lägenheten fortfarande "
	    "är ledig.\n\nRing gärna på 073-987 65 43." },
	{ "a forward found as such", 0,
	    "Bitte anlegen.\n\nDanke\nSabine\n\n-----Ursprüngliche Nachricht---"
	    "--\nVon: Anna <anna@example.org>\nGesendet: Montag\nBetreff: Haus\n"
	    "\nGuten Tag, ist das Haus noch frei?\n\nViele Grüße\nAnna",
	    MESSAGE_FORWARD, "Guten Tag, ist das Haus noch frei?" },
	{ "an unknown portal's relay, no profile (corpus pl-olx-relay)", 0,
	    "OLX\n\nMichał wysłał Ci wiadomość w sprawie ogłoszenia:\n"
	    "Kawalerka Wrzeszcz, 28 m2\nhttps://www.olx.pl/d/oferta/x.html\n\n"
	    "\"Cześć, czy mieszkanie jest nadal do wynajęcia?\"\n\nOdpowiedz "
	    "na olx.pl lub w aplikacji OLX.\n", 0,
	    "Cześć, czy mieszkanie jest nadal do wynajęcia?" },
	{ "a portal's title first, no profile (corpus au-rea-html)", 0,
	    "New rental enquiry\n\n12/88 Vulture St, West End QLD 4101 (ID "
	    "436712345)\n\nLiam Nguyen-Smith\nliam.ns@example.com.au\n\nG'day,"
	    " I'm keen to inspect the unit on Saturday.\n\nCheers, Liam", 0,
	    "G'day, I'm keen to inspect the unit on Saturday." },
	{ "a person's mail opening with a sentence", 0,
	    "Ich interessiere mich für Ihr Haus in Bonn.\nIst es noch frei?\n"
	    "\nMfG\nK. Weber", 0, "Ich interessiere mich für Ihr Haus in "
	    "Bonn.\nIst es noch frei?" },
	{ "nothing of the prospect's", 0,
	    "Neue Anfrage\n\nName: Max\nTelefon: 0171 1\n\nIhr Portal-Team",
	    MESSAGE_NOTIFICATION, NULL },
	{ "an empty message label, nothing else", 0,
	    "Nachricht:\n\nName: Max Muster", MESSAGE_NOTIFICATION, NULL },
	{ "a notification's words are not its first lines", 0,
	    "Neue Anfrage für Ihr Objekt\nObjekt: Wohnung\n\nName: Max\n\nIhr "
	    "Team", MESSAGE_NOTIFICATION, NULL },
};

static void
run_finds(void)
{
	static const struct segment_opts o = { is_label, shape, NULL, 0, 0 };
	struct segment *s;
	size_t i, len;
	char *got;

	for (i = 0; i < NELEM(finds); i++) {
		len = strlen(finds[i].text);
		s = finds[i].html ? segment_html(finds[i].text, len, &o) :
		    segment_text(finds[i].text, len, &o);
		got = message_find(s, F_MSG, &words, finds[i].flags);
		T_STR(got, finds[i].want, "find: %s", finds[i].label);
		free(got);
		segment_free(s);
	}
	got = message_find(NULL, F_MSG, &words, 0);
	T_STR(got, NULL, "find: NULL segment");
	s = segment_text("Hallo,\nfrei?", 12, &o);
	got = message_find(s, 0, NULL, 0);
	T_STR(got, "Hallo,\nfrei?", "find: no field, no phrases");
	free(got);
	segment_free(s);
}

/* A profile's start in a segmented mail: the lines after it. */
static void
find_start(void)
{
	static const struct segment_opts o = { is_label, shape, NULL, 0, 0 };
	struct message_words w = words;
	const char *t = "Kleinanzeigen\n\nHallo Immobilien,\n\nAnzeigennummer: "
	    "2745612398\n\nNachricht von Tobias:\n\nHallo, ist die Wohnung "
	    "noch zu haben?\n\nAntworte direkt auf diese E-Mail.\nName: x";
	struct segment *s = segment_text(t, strlen(t), &o);
	char *got;

	w.starts = start_von;
	got = message_find(s, F_MSG, &w, MESSAGE_NOTIFICATION);
	T_STR(got, "Hallo, ist die Wohnung noch zu haben?\n\nAntworte direkt "
	    "auf diese E-Mail.", "find: after the profile's start, to the "
	    "next label");
	free(got);
	segment_free(s);
	/* The words in quotes on the line of the start, after a space. */
	t = "Listing ID: 18273645\n\nArjun says: \"Is the flat available for "
	    "bachelors?\"\n\nHousing.com";
	s = segment_text(t, strlen(t), &o);
	w.starts = start_says;
	got = message_find(s, F_MSG, &w, MESSAGE_NOTIFICATION);
	T_STR(got, "Is the flat available for bachelors?", "find: the quoted "
	    "words on the start's line");
	free(got);
	segment_free(s);
}

int
main(void)
{
	run_cuts();
	special();
	run_finds();
	find_start();
	return t_done();
}
