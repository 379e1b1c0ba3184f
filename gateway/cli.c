/*
 * The command line: global options, the command table, --help on every
 * command, and lazily opened configuration, pipelines and store.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "core/config.h"
#include "core/domain.h"
#include "core/filter.h"
#include "util/log.h"
#include "util/xmalloc.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "util/version.h"
#include "parse/parse_data.h"
#include "rules/rules.h"

#define FILTER_HELP "FILTER"	/* marker: append the filter field list */
/* Naming these in a usage makes cli_main() take them (struct cli_output). */
#define LIST_OPTS "[--format table|json|csv] [--limit N] [--sort FIELD[,-FIELD]]"

static int cli_cmd_help(struct cli *, int, char **);
static const struct cli_cmd *cli_find(int, char **, int *);
static int cli_unknown(int, char **);

static const struct cli_cmd commands[] = {
	{ "help", NULL, cli_cmd_help, "[--commands] [COMMAND [SUBCOMMAND]]",
	    "list the commands, or show a command's or a group's help",
	    "Without an argument, the command list (as leadgate --help). "
	    "COMMAND alone is a\ngroup (its subcommands) or a single-word "
	    "command; COMMAND SUBCOMMAND is one\ncommand (as leadgate "
	    "COMMAND SUBCOMMAND --help). --commands prints every\ncommand "
	    "path, one per line, for shell completion." },
	{ "contacts", "list", cmd_contacts_list, "[--filter EXPR] " LIST_OPTS,
	    "list contacts, optionally filtered", FILTER_HELP },
	{ "contacts", "show", cmd_contacts_show, "ID [--json]",
	    "show a contact with its leads and history", NULL },
	{ "contacts", "add", cmd_contacts_add,
	    "(--first-name F --last-name L | --company-name NAME) [--kind K] "
	    "[--email E]... [--phone P]... [--company ID] [--salutation S] "
	    "[--language L] [--street S] [--postcode P] [--city C] "
	    "[--custom KEY=VALUE]... [--force] [--json]",
	    "add a person or a company; prints its id",
	    "Kinds: lead (first and last name required), client and partner "
	    "(first name,\nlast name and e-mail required). A company needs "
	    "its name. A person given\n--company-name stays a person and "
	    "works for the company contact of that\nname (made when there "
	    "is none). An e-mail address another contact has is\nrefused "
	    "with that contact's id; --force adds it anyway." },
	{ "contacts", "update", cmd_contacts_update,
	    "ID [--first-name F] [--last-name L] [--company-name NAME] "
	    "[--kind K] [--email E]... [--phone P]... [--company ID] "
	    "[--salutation S] [--language L] [--street S] [--postcode P] "
	    "[--city C] [--custom KEY=VALUE]... [--opt-out yes|no] [--force]",
	    "change a contact's fields (--email/--phone add addresses)", NULL },
	{ "contacts", "export", cmd_contacts_export, "ID [--output FILE]",
	    "everything held about a contact, as one JSON document",
	    "The contact, its addresses, phones, custom fields, leads, "
	    "history, deals,\ninquiries, outgoing mails (with the text of "
	    "those still queued), archived\nmails with their raw text, "
	    "bounces, suppression entries, quarantined mails\nnaming its "
	    "addresses, webhook events and API answers naming it (GDPR\n"
	    "Articles 15 and 20). --output writes FILE (mode 0600) "
	    "atomically." },
	{ "contacts", "erase", cmd_contacts_erase, "ID",
	    "erase everything personal held about a contact",
	    "Blanks or deletes the contact's personal data everywhere "
	    "(contact, addresses,\nphones, leads' messages and custom "
	    "fields, history remarks, deals, inquiries,\noutgoing mails, "
	    "archived and quarantined mails, bounces, webhook events, API\n"
	    "answers), cancels and erases its queued mails in the spool, "
	    "and keeps only the\nSHA-256 of each address on the suppression "
	    "list, so that it is never mailed\nagain (GDPR Article 17). "
	    "Ids stay, so reports still count its leads. The\nerasure is "
	    "recorded (who, when, counts) without personal data. The\n"
	    "database is then vacuumed and its write-ahead log truncated; "
	    "exit 75 when\nanother process kept the log busy (run it "
	    "again)." },
	{ "contacts", "merge", cmd_contacts_merge, "KEEP OTHER",
	    "merge contact OTHER into contact KEEP",
	    "OTHER's leads, history, deals, addresses, phones, custom fields, "
	    "mails and\nemployees move to KEEP (KEEP's fields win, its "
	    "empty ones are filled), OTHER\nis deleted, and KEEP's history "
	    "records the merge." },
	{ "contacts", "import", cmd_contacts_import, "FILE.csv",
	    "add or complete contacts from a CSV file",
	    "The first line names the columns (any case, ' ' or '-' for '_'): "
	    "salutation,\nfirst_name, last_name, company, street, postcode, "
	    "city, language, email,\nphone, mobile, phone2. Fields as RFC "
	    "4180 has them (quoted fields may hold\ncommas, quotes as \"\" "
	    "and line breaks), UTF-8. Each row finds its contact again\n"
	    "by the rule file's dedup policy, as ingest does: a known one "
	    "gets the fields\nit lacked (updated) or nothing (skipped), an "
	    "unknown one is added (imported).\nA row without an e-mail "
	    "address or a phone number is refused. Each row says\nwhat "
	    "became of it as FILE:LINE: (refusals on standard error); "
	    "importing the\nsame file again imports nothing. Exit 65 when "
	    "a row was refused." },
	{ "contacts", "set-status", cmd_contacts_set_status,
	    "ID [--prospect none|current|lost] [--client none|current|former]",
	    "set a contact's prospect or client state by hand",
	    "A contact with an open lead cannot be set to prospect none or "
	    "lost; one with\na won lead cannot be set to prospect lost or "
	    "client none. \"former\" is only\never set by hand." },
	{ "contacts", "profile", cmd_contacts_profile,
	    "add CONTACT [--kind sale|rent] [--type T] [--price MIN-MAX] "
	    "[--rooms MIN-MAX] [--area MIN-MAX] [--postcodes LIST] "
	    "[--cities LIST] | list [CONTACT] [--json] | remove PROFILE",
	    "add, list or remove a contact's search profiles",
	    "A range is MIN-MAX, MIN- or -MAX. Lists are comma-separated; a "
	    "postcode ending\nin * is a prefix (80*); cities compare without "
	    "case or accents. Types:\napartment house land office retail "
	    "hospitality industrial agricultural\nparking leisure investment "
	    "room other (or OpenImmo's objektart names)." },
	{ "leads", "list", cmd_leads_list, "[--filter EXPR] " LIST_OPTS,
	    "list leads, optionally filtered", FILTER_HELP },
	{ "leads", "show", cmd_leads_show, "ID [--json]",
	    "show a lead with its history and its kept mails", NULL },
	{ "leads", "add", cmd_leads_add,
	    "--contact ID --source NAME [--pipeline P] [--phase PHASE] "
	    "[--object REF] [--portal-object REF] [--portal NAME] "
	    "[--portal-ref ID] [--message TEXT] [--custom KEY=VALUE]... [--json]",
	    "add a lead to a contact; prints its id", NULL },
	{ "leads", "move", cmd_leads_move,
	    "ID PHASE [--action NAME | --remark TEXT]",
	    "move a lead to a phase (number or name)",
	    "With --action (the phase's own action) the history records that "
	    "action;\nwithout, it records that the lead was moved by hand." },
	{ "leads", "action", cmd_leads_action, "ID ACTION [--remark TEXT]",
	    "record a history action; it moves the lead to its phase",
	    "The lead goes to the next phase after its current one whose "
	    "action this is\n(pipelines.conf), so a second \"Visite du "
	    "bien\" reaches the second visit.\nAn action no later phase has "
	    "(a call) is recorded without a move." },
	{ "leads", "note", cmd_leads_note, "ID TEXT [--action NAME]",
	    "record a note (or an action named NAME) without moving the lead",
	    NULL },
	{ "leads", "assign", cmd_leads_assign, "ID AGENT",
	    "assign a lead to an agent and mail the agent",
	    "AGENT is a name or an address of the agents in leadgate.conf(5)." },
	{ "leads", "update", cmd_leads_update,
	    "ID [--source NAME] [--object REF] [--portal-object REF] "
	    "[--portal NAME] [--portal-ref ID] [--message TEXT] "
	    "[--custom KEY=VALUE]... [--json]",
	    "change a lead's fields (its phase changes by move or action)",
	    "--custom KEY= (no value) removes a custom field." },
	{ "leads", "win", cmd_leads_win, "ID [--remark TEXT]",
	    "move a lead to its pipeline's won phase", NULL },
	{ "leads", "lose", cmd_leads_lose, "ID [--remark TEXT]",
	    "move a lead to its pipeline's lost phase", NULL },
	{ "leads", "convert", cmd_leads_convert,
	    "ID --to contact,company,deal [--json]",
	    "convert a lead into a contact, a company and/or a deal",
	    "Refused, and nothing changes, while a required field is missing. "
	    "Custom fields\nare carried over to what is created. An open lead "
	    "is won by its conversion;\na lead converted into a deal is "
	    "refused a second one." },
	{ "objects", "import", cmd_objects_import, "FILE",
	    "import objects from an OpenImmo XML or a CSV file",
	    "Idempotent by the object's reference (OpenImmo: objektnr_extern, "
	    "else\nobjektnr_intern, else openimmo_obid; CSV: the ref column). "
	    "An OpenImmo aktion\nDELETE withdraws its object; a full feed "
	    "(uebertragung umfang=\"VOLL\") also\nwithdraws the OpenImmo "
	    "objects it lacks. Each bad record is one error line,\nFILE:LINE: "
	    "reason; the others are imported and the status is 65." },
	{ "objects", "list", cmd_objects_list,
	    "[--state available|reserved|sold|withdrawn] "
	    "[--format table|json] [--json]",
	    "list objects", NULL },
	{ "objects", "show", cmd_objects_show,
	    "REF|ID [--format table|json] [--json]",
	    "show an object with its contacts by phase", NULL },
	{ "match", NULL, cmd_match, "OBJECT [--template NAME] [--dry-run]",
	    "write to the contacts whose search profiles match an object",
	    "Lists every match with why, and the near misses (one field "
	    "off) with what\nfailed. The real run mails the matches through "
	    "the bulk mailer as campaign\nmatch-REF (once per contact and "
	    "object; opted-out, invalid and suppressed\naddresses skipped) "
	    "with the template (default object-match) and puts each\n"
	    "contact's lead on the object in phase 1 of its pipeline "
	    "(rental for a rent\nobject), recording the phase's action. A "
	    "contact whose lead on the object is\npast phase 1 is skipped. "
	    "Only an available object is offered." },
	{ "sources", "list", cmd_sources_list, LIST_OPTS,
	    "list lead sources with their number of leads", NULL },
	{ "sources", "add", cmd_sources_add, "NAME", "add a lead source", NULL },
	{ "sources", "rename", cmd_sources_rename, "OLD NEW",
	    "rename a source (its leads follow)", NULL },
	{ "sources", "remove", cmd_sources_remove, "NAME",
	    "remove a source that no lead uses", NULL },
	{ "report", NULL, cmd_report,
	    "--by phase|source|object [--pipeline NAME] " LIST_OPTS " | "
	    "--format html [--pipeline NAME] [--since DATE] [--until DATE]",
	    "count leads by phase, by source or by object",
	    "By object: the object a lead is linked to by its object or "
	    "portal object\nreference (leadgate objects); (none) counts the "
	    "others.\n\n"
	    "--format html writes a standalone page (no script, no external "
	    "asset): the funnel\nof each pipeline as SVG, by phase, and the "
	    "counts by phase and by source,\nof the leads created from "
	    "--since to before --until (YYYY-MM-DD); the\ndashboard draws "
	    "the same funnel." },
	{ "pipelines", NULL, cmd_pipelines, "[--json]",
	    "show the pipelines and their phases", NULL },
	{ "db", "migrate", cmd_db_migrate, "",
	    "create or migrate the database; print its schema version", NULL },
	{ "db", "copy", cmd_db_copy, "--from sqlite:PATH --to postgresql://URL",
	    "copy a SQLite store into an empty PostgreSQL database, verified",
	    "Both are migrated to this build's schema first; the target must "
	    "hold no rows.\nOne transaction; ids are kept; the webhook "
	    "triggers stay off while copying.\nThen per table the row count "
	    "and a checksum of every row are compared\nand printed. The "
	    "password comes from store.password_file or\n"
	    "store.password_env, never from the URL." },
	{ "config", "check", cmd_config_check, "[--dump [--non-default]]",
	    "check the configuration file (and show every setting)",
	    "Loads the file, the pipelines and rule files it names and every "
	    "connector and\nwebhook block (their secrets included), "
	    "connecting nowhere. Each mistake is a\nline of its own on "
	    "standard error, FILE:LINE: reason (as compilers write\nthem, "
	    "for editors to jump to), all of them; an unknown name gets the "
	    "closest\nknown one as a hint. The status is 78 when there is "
	    "any.\n\n--dump prints every setting as NAME = VALUE: the file's, "
	    "then each connector's\nas TYPE.CONNECTOR.SETTING "
	    "(imap.inbox.host); --non-default only those not at\ntheir "
	    "default." },
	{ "config", "get", cmd_config_get, "KEY...",
	    "print the value of settings (as postconf does)",
	    "KEY is a name of config check --dump: a setting of the file "
	    "(smtp.port), or\na connector's as TYPE.CONNECTOR.SETTING "
	    "(imap.inbox.host, portal.web.base_url).\nPrints KEY = VALUE, "
	    "the value in effect (the default when the file sets\nnone). An "
	    "unknown KEY is an error (64) naming the closest known one." },
	{ "config", "settings", cmd_config_settings,
	    "[main|imap|maildir|portal|webhook]",
	    "list the settings leadgate knows, with type, default and use",
	    "One table per kind of block: main (the file itself), then the "
	    "imap, maildir\nand portal connector blocks; without an argument, "
	    "all four. Per setting: its\nname (a.b is b in the group a), its "
	    "type (an integer's range, a choice's\nvalues), its default "
	    "(\"required\"; \"-\": none; \"(x)\": taken from x) and what it\n"
	    "is for. These are the tables the configuration is checked "
	    "against." },
	{ "template", "render", cmd_template_render,
	    "FILE --data JSON_FILE [--partials DIR] [--raw]",
	    "render a template file with a JSON context (to try it)",
	    "FILE is a template (header block, blank line, body; see "
	    "etc/templates/);\nits .html sibling is rendered too. The "
	    "output shows the rendered headers and\nbodies, not yet encoded "
	    "as mail. Partials come from partials/ next to FILE,\nor with "
	    "--partials DIR, partial x is the file DIR/x.\n\n"
	    "With --raw, FILE is plain Mustache (no header block) and the "
	    "output is exactly\nthe rendered text, HTML-escaped as the "
	    "Mustache specification says; a\nmissing partial renders "
	    "empty." },
	{ "template", "preview", cmd_template_preview,
	    "NAME (--contact ID | --lead ID) [--kind plain|autoreply|bulk] "
	    "[--in-reply-to MSGID]",
	    "print exactly the message a contact would receive; send nothing",
	    "NAME is a template in the templates directory, in the contact's "
	    "language where\nthere is a variant. The message is printed as "
	    "it would be spooled: all headers,\nall parts, CRLF lines. Its "
	    "Message-ID is <preview.L<lead>.NAME@mail.domain>\n(C<contact> "
	    "with --contact) and its Date is now (LEADGATE_NOW pins it).\n"
	    "--kind adds the headers of an autoreply or of bulk mail; for "
	    "bulk mail the\ncontact's unsubscribe token is created if it has "
	    "none yet, as the bulk mailer\nwould." },
	{ "parse", NULL, cmd_parse,
	    "[--json | --explain] [--data DIR] FILE...",
	    "show what the extractors make of mails (no side effects)",
	    "Each FILE is an RFC 5322 message, \"-\" for standard input. The "
	    "extractor is\nchosen as for ingest: a structured attachment "
	    "(openimmo, adf), the portal\nprofile the mail matches, else "
	    "generic (leadgate-portals(5)). The profiles and\nthe lexicon "
	    "are those of DIR/lexicon and DIR/portals/mail with --data DIR,\n"
	    "else of the configuration when -c or $LEADGATE_CONFIG names one, "
	    "else of the\ndata directory leadgate was built with. With "
	    "several files, --json prints one\nJSON object per line, in "
	    "order. A mail that cannot be parsed gets an error\nline and the "
	    "run exits 65 at the end.\n\n--explain prints, for every field, "
	    "each candidate found, taken or beaten,\nwith where it came from: "
	    "a label with its file and its line or HTML cell,\na profile's "
	    "subject, text or URL expression, the headers, the message as "
	    "cut.\n\nA bounce "
	    "or complaint (a delivery status notification, RFC 3464, an\nARF "
	    "report, RFC 5965, or a MAILER-DAEMON notice) is no inquiry: "
	    "what it\nsays is shown instead, each recipient with its verdict "
	    "(hard, soft,\ncomplaint or nothing)." },
	{ "ingest", NULL, cmd_ingest,
	    "[--connector NAME] [--sender ADDR] [FILE...|-]",
	    "take raw messages (files or standard input) into leadgate",
	    "For a mail server's pipe (Postfix pipe(8), Sieve, procmail): each "
	    "FILE is one\nmessage; without FILE, standard input is. Exit 0 "
	    "when every message is\nhandled (a lead, a duplicate, ignored or "
	    "kept in quarantine), 75 (EX_TEMPFAIL)\nwhen one could not be "
	    "taken now, so the mail server retries instead of\nbouncing." },
	{ "quarantine", "list", cmd_quarantine_list,
	    "[--state held|retried|dropped|all] " LIST_OPTS,
	    "list what is kept in quarantine (held, by default)", NULL },
	{ "quarantine", "show", cmd_quarantine_show, "ID [--raw]",
	    "show a quarantined inquiry and why it is there", NULL },
	{ "quarantine", "retry", cmd_quarantine_retry, "ID",
	    "run a quarantined inquiry through the pipeline again", NULL },
	{ "quarantine", "drop", cmd_quarantine_drop, "ID",
	    "give up on a quarantined inquiry (it stays listed as dropped)",
	    NULL },
	{ "mail", "bulk", cmd_mail_bulk,
	    "--filter EXPR --template NAME [--name CAMPAIGN] "
	    "[--advance-to PHASE] [--dry-run] [--rate N/s] [--yes]",
	    "write to every contact the filter selects, then deliver",
	    "One message per contact (the filter is that of leads list; a "
	    "contact with\nseveral matching leads gets one, about all of "
	    "them), written from the template\nas bulk mail with "
	    "List-Unsubscribe. Skipped: opted out, invalid or suppressed\n"
	    "addresses, no e-mail, already sent in this campaign. The "
	    "campaign (--name,\nelse TEMPLATE-HASH of the request) keys "
	    "every message by contact: running\nit again sends only what is "
	    "missing. --advance-to moves each lead forward\nto that phase once "
	    "its message is accepted. --dry-run counts, shows one\nmessage "
	    "and changes nothing. Without --yes it asks on a terminal and "
	    "refuses\nelsewhere. --rate paces this run (default "
	    "bulk.rate_per_sec)." },
	{ "mail", "campaigns", cmd_mail_campaigns,
	    "[pause NAME | resume NAME] " LIST_OPTS,
	    "list the bulk mail campaigns; pause or resume one",
	    "The list has each campaign's counts and its STATE, active or "
	    "paused. pause NAME\nholds the campaign's queued and deferred "
	    "mail: no delivery run sends it, and\nnothing is lost; a run of "
	    "the campaign meanwhile queues its new messages,\nwhich wait "
	    "too. resume NAME lets it all go out at the next delivery." },
	{ "mail", "show", cmd_mail_show, "ID",
	    "print a kept inbound mail byte for byte, as it was received",
	    "ID is a mail of leads show. A mail fetched by IMAP is as the "
	    "server sent it\n(CRLF line ends), one read from a Maildir as "
	    "the file was; a portal\nrecord is the JSON the portal sent." },
	{ "mail", "attachment", cmd_mail_attachment, "ID N",
	    "write attachment N of kept mail ID, decoded, to standard output",
	    "The attachments are numbered from 1 as leads show lists them: "
	    "the parts with\na file name or Content-Disposition: attachment, "
	    "in the order of the message.\nBase64 and quoted-printable are "
	    "decoded; the bytes are written unchanged." },
	{ "mail", "purge", cmd_mail_purge, "",
	    "apply archive.keep_days to the kept mail and remove unused files",
	    "Forgets the kept mails received more than archive.keep_days ago "
	    "(0: none),\nthen removes every archive file no kept mail names "
	    "that is more than an\nhour old (a crash can leave one), and "
	    "says what it removed. The daemon does\nthis once a day." },
	{ "run", NULL, cmd_run, "",
	    "run the daemon: connectors, autoresponder and delivery",
	    "SIGHUP reloads the configuration, pipelines, rules, portal "
	    "profiles, lexicon\nand templates (a file with a mistake is "
	    "refused and the old set stays);\nSIGTERM finishes the current "
	    "work and exits. One daemon per configuration\n(see the setting "
	    "lock)." },
	{ "status", NULL, cmd_status, "[--json]",
	    "per connector the last poll, last error and counts; quarantine "
	    "size", NULL },
	{ "rules", "check", cmd_rules_check, "[FILE]",
	    "check a rule file, the profiles and the lexicon",
	    "FILE, else the configured rule file, and the lexicon and portal "
	    "profiles the\nconfiguration names (lexicon, portal_profiles). "
	    "Every mistake of every file is\nprinted as FILE:LINE: reason on "
	    "standard error; the status is 65 when there\nis any." },
	{ "rules", "test", cmd_rules_test,
	    "FILE.eml [--connector NAME] [--sender ADDR] [--json]",
	    "show what the rules would do with a message, changing nothing",
	    NULL },
	{ "portals", "list", cmd_portals_list, "[--json] [--data DIR]",
	    "list the mail portal profiles",
	    "One line per profile of portal_profiles (leadgate-portals(5)): "
	    "its name (what a\nrule's extractor names), the source its leads "
	    "get, its kind, country and\nlanguages. --data DIR lists those of "
	    "DIR/portals/mail instead, as parse\nreads them." },
	{ "oauth", "login", cmd_oauth_login, "NAME [--device|--browser]",
	    "consent once to an OAuth2 grant and store its refresh token",
	    "NAME is an oauth block of the configuration, or an IMAP "
	    "connector (or smtp)\nthat names one. --device (the default) "
	    "prints an address and a code to\nenter there from any browser, "
	    "and waits at the provider's pace until the\nperson consented; "
	    "--browser prints the authorization address (PKCE S256)\nand "
	    "reads back the address the browser was sent to. The grant goes "
	    "to the\nfolder oauth/ next to the store (mode 0600); a running "
	    "daemon uses it at\nits next connection." },
	{ "oauth", "status", cmd_oauth_status, "",
	    "per oauth block: its grant's state, when it was saved, who uses it",
	    "Never shows a token. STATE is ok, \"no grant\" (run oauth "
	    "login) or \"needs\nlogin\" (the provider answered invalid_grant: "
	    "revoked, expired or replaced;\nthe connectors using it are "
	    "stopped until a new login)." },
	{ "poll", NULL, cmd_poll, "--connector NAME [--dry-run] [--json]",
	    "poll one connector once and print what it found",
	    "Each inquiry goes through the rules, deduplication and lead "
	    "creation; a line per\ninquiry says what became of it. With "
	    "--dry-run nothing changes: no inquiry\nis stored, nothing is "
	    "acknowledged, no cursor moves; items that cannot be\nread are "
	    "shown with the reason they would go to quarantine. The summary "
	    "goes\nto standard error." },
	{ "spool", "list", cmd_spool_list, "[--state STATE]... " LIST_OPTS,
	    "list outgoing messages",
	    "STATE is queued, deferred, sent, failed or cancelled; NEXT is when "
	    "the next\nattempt is due." },
	{ "spool", "show", cmd_spool_show, "ID [--json]",
	    "show an outgoing message with its text", NULL },
	{ "spool", "retry", cmd_spool_retry, "ID | --all",
	    "queue a failed, deferred or cancelled message again, due now",
	    "--all takes every failed and deferred message. A message whose "
	    "spool file is\ngone, or whose recipient is on the suppression "
	    "list, is refused." },
	{ "spool", "cancel", cmd_spool_cancel, "ID",
	    "cancel a queued or deferred message", NULL },
	{ "spool", "add", cmd_spool_add,
	    "--key KEY --to ADDR [--from ADDR] [--lead ID] [--contact ID] "
	    "[--template NAME] [--rule NAME] [--campaign ID] [--advance PHASE] "
	    "FILE|-",
	    "queue a complete message; prints its id",
	    "The message is RFC 5322 text with CRLF line endings, 7-bit, with "
	    "one Date,\nFrom and Message-ID header; it is sent unchanged. KEY "
	    "is unique: the same key\nis never queued twice. --from is the "
	    "envelope sender (default: empty, <>).\nWith --advance, the lead "
	    "moves to that phase once the mail is accepted." },
	{ "webhooks", "deliver", cmd_webhooks_deliver, "[--endpoint NAME]",
	    "send the webhook events due now, each endpoint in order",
	    "An event an endpoint does not acknowledge (2xx) waits with "
	    "backoff; the daemon\n(leadgate run) sends it when it is due. "
	    "Status 75 while the daemon delivers." },
	{ "webhooks", "list", cmd_webhooks_list,
	    "[--endpoint NAME] [--state pending|delivered|failed] " LIST_OPTS,
	    "list webhook deliveries, oldest event first", NULL },
	{ "webhooks", "retry", cmd_webhooks_retry, "[--endpoint NAME] [EVENT]",
	    "make failed webhook deliveries pending again",
	    "EVENT is an event id (webhooks list); none: every failed "
	    "delivery." },
	{ "webhooks", "purge", cmd_webhooks_purge, "",
	    "forget old webhook events every endpoint is done with",
	    "Events older than webhooks_keep_days that every configured "
	    "endpoint has passed\nand none still waits to deliver (pending) "
	    "go, with their deliveries; with no\nendpoint configured, every "
	    "event that old. The daemon does this daily." },
	{ "deliver", NULL, cmd_deliver, "",
	    "deliver every message due now, then exit",
	    "Prints \"N sent, N deferred, N failed\". Exits 0 when the run "
	    "worked, even if\nsome messages were deferred; 75 when another run "
	    "holds the spool." },
	{ "unsubscribe", NULL, cmd_unsubscribe, "TOKEN|EMAIL",
	    "unsubscribe a contact by its token, or an address",
	    "TOKEN is a contact's unsubscribe token (the one in the "
	    "List-Unsubscribe link of\nbulk mail): every address of the "
	    "contact goes on the suppression list and\nthe contact is flagged "
	    "opt-out. EMAIL (anything with an @) goes on the list,\nand every "
	    "contact having it is flagged opt-out. Doing it again changes "
	    "nothing\nand says \"already\". Exits 66 for an unknown token, "
	    "65 for a malformed one." },
	{ "serve", NULL, cmd_serve, "",
	    "serve the HTTP API, web-form intake and one-click unsubscribe",
	    "Listens on serve.address and serve.port (127.0.0.1:8025 by "
	    "default; HTTPS with\nserve.tls_cert and serve.tls_key) until "
	    "SIGTERM or SIGINT. /api/v1 needs a\nbearer token (token add); "
	    "/u/TOKEN is the List-Unsubscribe link of bulk mail:\nPOST "
	    "unsubscribes at once (RFC 8058), GET shows a page to confirm. "
	    "Errors are\nRFC 9457 problem JSON. `run` serves the same with "
	    "serve.enabled." },
	{ "token", "add", cmd_token_add,
	    "NAME --scope read|write|form [--source SOURCE]",
	    "make an API token; prints it, once",
	    "read: GET on /api/v1; write: everything but web-form intake; "
	    "form: POST\n/api/v1/inquiries only, for the lead source SOURCE "
	    "(required with it). Only\nthe token's SHA-256 is stored: it "
	    "cannot be shown again." },
	{ "token", "list", cmd_token_list, LIST_OPTS,
	    "list the API tokens (names and scopes, never the tokens)",
	    NULL },
	{ "token", "remove", cmd_token_remove, "NAME",
	    "revoke an API token", NULL },
	{ "user", "add", cmd_user_add,
	    "NAME --role agent|admin [--language LANG] [--password-file F]",
	    "add a dashboard user; the password comes from F or stdin",
	    "The password is the first line of F, or of standard input (asked "
	    "twice without\necho on a terminal), never an argument; 8 to 1024 "
	    "bytes. Only its argon2id\nhash is stored (dash.argon2_*). LANG "
	    "picks the dashboard's language (else\nthe browser's)." },
	{ "user", "passwd", cmd_user_passwd,
	    "NAME [--role agent|admin] [--language LANG] [--password-file F]",
	    "set a user's password (logs out its sessions), role or language",
	    "With only --role or --language the password is kept; --language "
	    "\"\" clears it." },
	{ "user", "remove", cmd_user_remove, "NAME",
	    "remove a dashboard user and its sessions", NULL },
	{ "user", "list", cmd_user_list, "[--json]",
	    "list the dashboard users (never their hashes)", NULL },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

int
cli_exit_for(int lg_code)
{
	switch (lg_code) {
	case LG_OK:
		return EXIT_OK;
	case LG_EPERM:
	case LG_EEXIST:
		return EXIT_DATAERR;
	case LG_ENOENT:
		return EXIT_NOINPUT;
	case LG_ETEMP:
		return EXIT_TEMPFAIL;
	default:
		return EXIT_SOFTWARE;
	}
}

int
cli_fail(struct cli *c, int exit, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "leadgate: ");
	if (c && c->cmdname[0])
		fprintf(stderr, "%s: ", c->cmdname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return exit;
}

int
cli_fail_err(struct cli *c, const struct err *e)
{
	return cli_fail(c, cli_exit_for(e->code), "%s", e->msg[0] ? e->msg :
	    err_code_name(e->code));
}

/*
 * A mistake in a file: with c->every_mistake (config check) the line is
 * FILE:LINE: reason as it is, for editors to jump to; else the error line
 * of the command.
 */
static int
cli_mistake(struct cli *c, int exit, const char *msg)
{
	if (c != NULL && c->every_mistake) {
		fprintf(stderr, "%s\n", msg);
		return exit;
	}
	return cli_fail(c, exit, "%s", msg);
}

int
cli_fail_list(struct cli *c, int exit, const struct err_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		cli_mistake(c, exit, l->v[i]);
	return exit;
}

/* A file refused: every mistake when they were collected, else e. */
static int
cli_fail_load(struct cli *c, struct err_list *l, const struct err *e)
{
	int rc;

	rc = l->n > 0 ? cli_fail_list(c, EXIT_CONFIG, l) :
	    cli_mistake(c, EXIT_CONFIG, e->msg);
	err_list_clear(l);
	return rc;
}

static void
cli_print_usage(const struct cli_cmd *cmd, FILE *out)
{
	fprintf(out, "usage: leadgate [-c CONFIG] %s%s%s %s\n", cmd->name,
	    cmd->sub ? " " : "", cmd->sub ? cmd->sub : "", cmd->usage);
}

int
cli_usage(struct cli *c, FILE *out, int exit)
{
	cli_print_usage(c->cmd, out);
	return exit;
}

static int
cli_help(const struct cli_cmd *cmd)
{
	cli_print_usage(cmd, stdout);
	printf("\n%s.\n", cmd->summary);
	if (cmd->help && strcmp(cmd->help, FILTER_HELP) == 0) {
		printf("\n");
		filter_help(stdout);
	} else if (cmd->help) {
		printf("\n%s\n", cmd->help);
	}
	return EXIT_OK;
}

static void
cli_list_commands(FILE *out)
{
	size_t i;
	char words[64];

	fprintf(out, "usage: leadgate [-c CONFIG] [-v] COMMAND [ARGS...]\n\n"
	    "Commands (each takes --help):\n");
	for (i = 0; i < NCOMMANDS; i++) {
		snprintf(words, sizeof(words), "%s%s%s", commands[i].name,
		    commands[i].sub ? " " : "", commands[i].sub ?
		    commands[i].sub : "");
		fprintf(out, "  %-22s %s\n", words, commands[i].summary);
	}
	fprintf(out, "\nThe configuration is -c FILE, else $LEADGATE_CONFIG, "
	    "else %s.\n", config_default_path());
}

/*
 * For the shell completions, generated at build time (--list-commands,
 * not in --help): "COMMAND [SUB]<TAB>--option ..." per command, the
 * options taken from its usage line.
 */
static void
cli_list_words(FILE *out)
{
	const char *p, *q, *sep;
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		sep = "";
		fprintf(out, "%s%s%s\t", commands[i].name,
		    commands[i].sub ? " " : "", commands[i].sub ?
		    commands[i].sub : "");
		for (p = commands[i].usage; (p = strstr(p, "--")) != NULL;
		    p = q) {
			q = p + strspn(p, "-abcdefghijklmnopqrstuvwxyz");
			if (q - p <= 2 || (p != commands[i].usage &&
			    strchr(" [(|", p[-1]) == NULL))
				continue;
			fprintf(out, "%s%.*s", sep, (int)(q - p), p);
			sep = " ";
		}
		fputc('\n', out);
	}
}

static int
cli_is_group(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (commands[i].sub != NULL &&
		    strcmp(commands[i].name, name) == 0)
			return 1;
	return 0;
}

/* A group's subcommands with their summaries; from the command table. */
static int
cli_group_help(const char *name, FILE *out)
{
	size_t i;

	fprintf(out, "usage: leadgate [-c CONFIG] %s SUBCOMMAND [ARGS...]\n\n"
	    "Subcommands (each takes --help):\n", name);
	for (i = 0; i < NCOMMANDS; i++)
		if (commands[i].sub != NULL &&
		    strcmp(commands[i].name, name) == 0)
			fprintf(out, "  %-22s %s\n", commands[i].sub,
			    commands[i].summary);
	return EXIT_OK;
}

static int
cli_cmd_help(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "commands", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_cmd *cmd;
	size_t i;
	int ch, paths = 0, used;

	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch != 'C')
			return EXIT_USAGE;
		paths = 1;
	}
	argc -= optind;
	argv += optind;
	if (paths && argc == 0) {
		for (i = 0; i < NCOMMANDS; i++)
			printf("%s%s%s\n", commands[i].name, commands[i].sub ?
			    " " : "", commands[i].sub ? commands[i].sub : "");
		return EXIT_OK;
	}
	if (paths || argc > 2)
		return cli_usage(c, stderr, EXIT_USAGE);
	if (argc == 0) {
		cli_list_commands(stdout);
		return EXIT_OK;
	}
	if ((cmd = cli_find(argc, argv, &used)) != NULL && used == argc)
		return cli_help(cmd);
	if (argc == 1 && cli_is_group(argv[0]))
		return cli_group_help(argv[0], stdout);
	return cli_unknown(argc, argv);
}

int
cli_config(struct cli *c, struct config **out)
{
	struct err_list errs = { NULL, 0 };
	struct err e;

	err_clear(&e);
	if (c->cfg == NULL) {
		if (config_load(c->config_path, &c->cfg, c->every_mistake ?
		    &errs : NULL, &e) != LG_OK)
			return cli_fail_load(c, &errs, &e);
		if (!c->cfg->log_syslog) {
			enum log_level lv;

			if (log_get_level() == LOG_LV_WARN &&
			    log_level_parse(c->cfg->log_level, &lv) == 0 &&
			    lv < LOG_LV_WARN)
				log_set_level(lv);
		}
	}
	*out = c->cfg;
	return EXIT_OK;
}

int
cli_pipelines(struct cli *c, const struct pipelines **out)
{
	struct config *cfg;
	struct err e;
	int rc;

	if (c->pl == NULL) {
		if ((rc = cli_config(c, &cfg)) != EXIT_OK)
			return rc;
		err_clear(&e);
		if (pipelines_load(cfg->pipelines_path, &c->pl, &e) != LG_OK)
			return cli_mistake(c, EXIT_CONFIG, e.msg);
	}
	*out = c->pl;
	return EXIT_OK;
}

static int
cli_load_data(struct cli *c, const char *lexicon, const char *profiles)
{
	struct err_list errs = { NULL, 0 };
	struct err e;

	err_clear(&e);
	if (parse_data_load(lexicon, profiles, &c->pd, c->every_mistake ?
	    &errs : NULL, &e) != LG_OK)
		return cli_fail_load(c, &errs, &e);
	return EXIT_OK;
}

int
cli_parse_data(struct cli *c, const struct parse_data **out)
{
	struct config *cfg;
	int rc;

	if (c->pd == NULL && ((rc = cli_config(c, &cfg)) != EXIT_OK ||
	    (rc = cli_load_data(c, cfg->lexicon_dir, cfg->profiles_dir)) !=
	    EXIT_OK))
		return rc;
	*out = c->pd;
	return EXIT_OK;
}

int
cli_parse_data_at(struct cli *c, const char *dir,
    const struct parse_data **out)
{
	char *lexicon, *profiles;
	int rc;

	if (dir == NULL && c->config_given)
		return cli_parse_data(c, out);
	if (c->pd == NULL) {
		if (dir == NULL)
			dir = config_data_dir();
		lexicon = xasprintf("%s/lexicon", dir);
		profiles = xasprintf("%s/portals/mail", dir);
		rc = cli_load_data(c, lexicon, profiles);
		free(lexicon);
		free(profiles);
		if (rc != EXIT_OK)
			return rc;
	}
	*out = c->pd;
	return EXIT_OK;
}

int
cli_rules(struct cli *c, const struct rules **out)
{
	struct err_list errs = { NULL, 0 };
	const struct parse_data *pd;
	const struct pipelines *pl;
	struct err e;
	int rc;

	if (c->rules == NULL) {
		if ((rc = cli_pipelines(c, &pl)) != EXIT_OK ||
		    (rc = cli_parse_data(c, &pd)) != EXIT_OK)
			return rc;
		err_clear(&e);
		if (rules_load(c->cfg->rules_path, pl, c->cfg->templates_dir,
		    pd, &c->rules, c->every_mistake ? &errs : NULL, &e) !=
		    LG_OK)
			return cli_fail_load(c, &errs, &e);
	}
	*out = c->rules;
	return EXIT_OK;
}

int
cli_store(struct cli *c, struct store **out)
{
	struct store_options opt = { 5000, 0, NULL, NULL, NULL };
	struct config *cfg;
	struct err e;
	int rc;

	if (c->st == NULL) {
		if ((rc = cli_config(c, &cfg)) != EXIT_OK)
			return rc;
		err_clear(&e);
		config_store_options(cfg, &opt);
		if (store_open(cfg->store_path, &opt, &c->st, &e) != LG_OK)
			return cli_fail_err(c, &e);
	}
	*out = c->st;
	return EXIT_OK;
}

int
cli_domain(struct cli *c, struct domain *d)
{
	const struct pipelines *pl;
	int rc;

	if ((rc = cli_pipelines(c, &pl)) != EXIT_OK ||
	    (rc = cli_store(c, &d->st)) != EXIT_OK)
		return rc;
	d->pl = pl;
	d->country = c->cfg->default_country;
	return EXIT_OK;
}

int
cli_getopt(struct cli *c, int argc, char **argv, const char *shortopts,
    const struct option *longopts)
{
	char opts[64];
	int ch;

	/* Leading ':' reports missing arguments; options may follow operands. */
	snprintf(opts, sizeof(opts), ":%s", shortopts);
	opterr = 0;
	ch = getopt_long(argc, argv, opts, longopts, NULL);
	if (ch == '?') {
		if (optopt)
			cli_fail(c, EXIT_USAGE, "unknown option '-%c' (see "
			    "--help)", optopt);
		else
			cli_fail(c, EXIT_USAGE, "unknown option '%s' (see "
			    "--help)", argv[optind - 1]);
		return '?';
	}
	if (ch == ':') {
		cli_fail(c, EXIT_USAGE, "option '%s' needs a value",
		    argv[optind - 1]);
		return '?';
	}
	return ch;
}

int
cli_parse_id(struct cli *c, const char *s, const char *what, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno || *out <= 0) {
		cli_fail(c, EXIT_USAGE, "%s must be a positive number, not '%s'",
		    what, s);
		return -1;
	}
	return 0;
}

int
cli_tx(struct cli *c, int (*fn)(struct cli *, void *, struct err *),
    void *arg)
{
	struct store *st;
	struct err e;
	int rc;

	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_begin(st, &e) != LG_OK)
		return cli_fail_err(c, &e);
	if (fn(c, arg, &e) != LG_OK || store_commit(st, &e) != LG_OK) {
		store_rollback(st);
		return cli_fail_err(c, &e);
	}
	return EXIT_OK;
}

static const struct cli_cmd *
cli_find(int argc, char **argv, int *used)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, argv[0]) != 0)
			continue;
		if (commands[i].sub == NULL) {
			*used = 1;
			return &commands[i];
		}
		if (argc > 1 && strcmp(commands[i].sub, argv[1]) == 0) {
			*used = 2;
			return &commands[i];
		}
	}
	return NULL;
}

static int
cli_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

static int
cli_unknown(int argc, char **argv)
{
	char subs[256];
	size_t i, used = 0;

	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, argv[0]) != 0)
			continue;
		used += (size_t)snprintf(subs + used, sizeof(subs) - used,
		    "%s%s", used ? ", " : "", commands[i].sub);
		if (used >= sizeof(subs))
			break;
	}
	if (used > 0) {
		fprintf(stderr, "leadgate: %s: %s '%s' (one of: %s)\n", argv[0],
		    argc > 1 ? "unknown subcommand" : "missing subcommand",
		    argc > 1 ? argv[1] : "", subs);
		return EXIT_USAGE;
	}
	fprintf(stderr, "leadgate: unknown command '%s' (try leadgate --help)\n",
	    argv[0]);
	return EXIT_USAGE;
}

/*
 * Standard output is a pipe nobody reads any more (leadgate leads list |
 * head -n 1). SIGPIPE is ignored for the sockets (main.c), so a write
 * there fails with EPIPE instead; poll() says POLLERR for such a pipe.
 */
static int
cli_stdout_gone(void)
{
	struct pollfd p = { STDOUT_FILENO, POLLOUT, 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

static const struct {
	const char *name;
	enum cli_format format;
} cli_formats[] = {
	{ "table", CLI_FMT_TABLE },
	{ "json", CLI_FMT_JSON },
	{ "csv", CLI_FMT_CSV },
	{ "html", CLI_FMT_HTML },
};

/* --opt VALUE or --opt=VALUE at argv[i]; *n is how many words it used. */
static const char *
cli_opt_value(int argc, char **argv, int i, const char *opt, int *n)
{
	size_t len = strlen(opt);

	if (strncmp(argv[i], opt, len) != 0)
		return NULL;
	if (argv[i][len] == '=') {
		*n = 1;
		return argv[i] + len + 1;
	}
	if (argv[i][len] != '\0')
		return NULL;
	*n = 2;
	return i + 1 < argc ? argv[i + 1] : "";
}

static int
cli_output_format(struct cli *c, const char *v, int all)
{
	int html = strstr(c->cmd->usage, "--format html") != NULL;
	size_t i;

	for (i = 0; i < sizeof(cli_formats) / sizeof(cli_formats[0]); i++)
		if (strcmp(v, cli_formats[i].name) == 0 &&
		    (all || cli_formats[i].format != CLI_FMT_CSV) &&
		    (html || cli_formats[i].format != CLI_FMT_HTML)) {
			c->out.format = cli_formats[i].format;
			return 0;
		}
	cli_fail(c, EXIT_USAGE, "--format takes %s, not '%s'",
	    html ? "table, json, csv or html" : all ? "table, json or csv" :
	    "table or json", v);
	return -1;
}

/*
 * Take the output options the command's usage names out of argv (see
 * struct cli_output); the rest is the command's. Returns EXIT_OK or
 * EXIT_USAGE after printing why.
 */
static int
cli_output_opts(struct cli *c, int *argcp, char **argv)
{
	const char *u = c->cmd->usage, *v;
	int argc = *argcp, i = 1, n, all, json, limit, sort;
	char *end;

	all = strstr(u, "--format") != NULL;
	json = all || strstr(u, "--json") != NULL;
	limit = strstr(u, "--limit") != NULL;
	sort = strstr(u, "--sort") != NULL;
	while (i < argc && strcmp(argv[i], "--") != 0) {
		if (json && (v = cli_opt_value(argc, argv, i, "--format",
		    &n)) != NULL) {
			if (cli_output_format(c, v, all) != 0)
				return EXIT_USAGE;
			/* The command's own parser still sees --json. */
			if (!all && c->out.format == CLI_FMT_JSON) {
				argv[i] = "--json";
				i++;
				n--;
			}
		} else if (all && strcmp(argv[i], "--json") == 0) {
			c->out.format = CLI_FMT_JSON;
			n = 1;
		} else if (limit && (v = cli_opt_value(argc, argv, i,
		    "--limit", &n)) != NULL) {
			errno = 0;
			c->out.limit = strtol(v, &end, 10);
			if (*v == '\0' || *end != '\0' || errno ||
			    c->out.limit <= 0)
				return cli_fail(c, EXIT_USAGE, "--limit takes "
				    "a positive number, not '%s'", v);
		} else if (sort && (v = cli_opt_value(argc, argv, i,
		    "--sort", &n)) != NULL) {
			if (*v == '\0')
				return cli_fail(c, EXIT_USAGE, "--sort takes "
				    "FIELD[,-FIELD]...");
			c->out.sort = v;
		} else {
			i++;
			continue;
		}
		if (n > 0 && i + n > argc)
			n = argc - i;
		memmove(argv + i, argv + i + n, (size_t)(argc - i - n + 1) *
		    sizeof(char *));
		argc -= n;
	}
	*argcp = argc;
	return EXIT_OK;
}

static void
cli_cleanup(struct cli *c)
{
	store_close(c->st);
	rules_free(c->rules);
	parse_data_free(c->pd);
	pipelines_free(c->pl);
	config_free(c->cfg);
}

int
cli_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "list-commands", no_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c;
	const char *env = getenv("LEADGATE_CONFIG");
	int ch, used, rc, verbose = 0;

	memset(&c, 0, sizeof(c));
	c.config_path = env && *env ? env : config_default_path();
	c.config_given = env && *env;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+c:vhV", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			c.config_path = optarg;
			c.config_given = 1;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			cli_list_commands(stdout);
			return EXIT_OK;
		case 'V':
			printf("leadgate %s\n", LEADGATE_VERSION);
			return EXIT_OK;
		case 'L':
			cli_list_words(stdout);
			return EXIT_OK;
		default:
			fprintf(stderr, "leadgate: bad global option '%s'\n",
			    argv[optind - 1]);
			cli_list_commands(stderr);
			return EXIT_USAGE;
		}
	}
	log_init("leadgate", LOG_TO_STDERR, verbose > 1 ? LOG_LV_DEBUG :
	    verbose ? LOG_LV_INFO : LOG_LV_WARN);
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		cli_list_commands(stderr);
		return EXIT_USAGE;
	}
	if ((c.cmd = cli_find(argc, argv, &used)) == NULL) {
		if (argc > 1 && cli_is_group(argv[0]) &&
		    (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0))
			return cli_group_help(argv[0], stdout);
		return cli_unknown(argc, argv);
	}
	snprintf(c.cmdname, sizeof(c.cmdname), "%s%s%s", c.cmd->name,
	    c.cmd->sub ? " " : "", c.cmd->sub ? c.cmd->sub : "");
	argc -= used - 1;
	argv += used - 1;
	if (cli_wants_help(argc, argv))
		return cli_help(c.cmd);
	if ((rc = cli_output_opts(&c, &argc, argv)) != EXIT_OK)
		return rc;
	optind = 0;	/* glibc: reinitialise getopt for the command */
	rc = c.cmd->run(&c, argc, argv);
	fflush(stdout);
	if (ferror(stdout) && cli_stdout_gone()) {
		/* End as head(1)'s writers do: killed by SIGPIPE, quietly. */
		cli_cleanup(&c);
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	if (ferror(stdout) && rc == EXIT_OK)
		rc = cli_fail(&c, EXIT_IOERR, "write error on standard output");
	cli_cleanup(&c);
	return rc;
}
