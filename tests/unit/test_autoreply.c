/*
 * The autoresponder never feeds a loop: each suppression case of RFC 3834
 * and the Sieve vacation rules on a real message file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "outbound/autoreply.h"
#include "parse/mail.h"
#include "t.h"

static const struct {
	const char *file;
	const char *envelope;	/* NULL: unknown (IMAP) */
	const char *target;	/* the prospect's address, or NULL */
	const char *want;	/* NULL: answered; else part of the reason */
} cases[] = {
	{ "plain", NULL, "anna.muster@example.ch", NULL },
	{ "plain", "anna.muster@example.ch", "anna.muster@example.ch", NULL },
	{ "plain", "", "anna.muster@example.ch", "empty return path" },
	{ "plain", NULL, NULL, "no e-mail address" },
	{ "null-return-path", NULL, "anna.muster@example.ch",
	    "empty return path" },
	{ "auto-submitted", NULL, "anna.muster@example.ch", "Auto-Submitted" },
	{ "auto-generated", NULL, "anna.muster@example.ch", "Auto-Submitted" },
	{ "auto-submitted-no", NULL, "anna.muster@example.ch", NULL },
	{ "list-id", NULL, "anna.muster@example.ch", "List-Id" },
	{ "list-unsubscribe", NULL, "anna.muster@example.ch",
	    "List-Unsubscribe" },
	{ "list-post", NULL, "anna.muster@example.ch", "List-Post" },
	{ "list-help", NULL, "anna.muster@example.ch", "List-Help" },
	{ "list-subscribe", NULL, "anna.muster@example.ch", "List-Subscribe" },
	{ "list-owner", NULL, "anna.muster@example.ch", "List-Owner" },
	{ "list-archive", NULL, "anna.muster@example.ch", "List-Archive" },
	{ "precedence-bulk", NULL, "anna.muster@example.ch", "Precedence" },
	{ "precedence-junk", NULL, "anna.muster@example.ch", "Precedence" },
	{ "precedence-list", NULL, "anna.muster@example.ch", "Precedence" },
	{ "precedence-first-class", NULL, "anna.muster@example.ch", NULL },
	/* A portal's notification with list headers names a third party. */
	{ "portal-list-unsubscribe", NULL, "anna.muster@example.ch", NULL },
	{ "portal-list-unsubscribe", "bounces+8812@mail.portal.example",
	    "anna.muster@example.ch", NULL },
	/* ... but an answer to one of its own senders is list traffic. */
	{ "portal-list-unsubscribe", NULL, "support@portal.example",
	    "List-Unsubscribe" },
	{ "portal-list-unsubscribe", "bounces+8812@mail.portal.example",
	    "bounces+8812@mail.portal.example", "List-Unsubscribe" },
	{ "xars-all", NULL, "anna.muster@example.ch",
	    "X-Auto-Response-Suppress" },
	{ "xars-oof", NULL, "anna.muster@example.ch",
	    "X-Auto-Response-Suppress" },
	{ "xars-dr", NULL, "anna.muster@example.ch", NULL },
	{ "mailer-daemon", NULL, "mailer-daemon@mx.example.ch", "robot" },
	{ "listserv", NULL, "listserv@lists.example.ch", "robot" },
	{ "majordomo", NULL, "majordomo@lists.example.ch", "robot" },
	{ "owner", NULL, "owner-immo@lists.example.ch", "robot" },
	{ "request", NULL, "immo-request@lists.example.ch", "robot" },
	{ "own-address", NULL, "info@muster-immo.example", "our own" },
	{ "plain", NULL, "INFO@muster-immo.example", "our own" },
	{ "noreply-portal", NULL, "noreply@immobilienscout24.de", "no-reply" },
	{ "noreply-portal", NULL, "max.mueller@example.de", NULL },
};

int
main(void)
{
	struct mail_limits lim;
	struct config *cfg;
	struct mail *m;
	char path[512], why[256], *raw;
	struct err e;
	size_t i, len;
	int sup;

	cfg = config_defaults(".");
	cfg->mail.own_addresses.v = calloc(2, sizeof(char *));
	cfg->mail.own_addresses.v[0] = strdup("Immobilien Muster AG "
	    "<info@muster-immo.example>");
	cfg->mail.own_addresses.n = 1;
	mail_limits_default(&lim);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "tests/data/autoreply/%s.eml",
		    cases[i].file);
		if ((raw = t_slurp(t_path(path), &len)) == NULL ||
		    mail_parse(raw, len, &lim, &m, &e) != LG_OK) {
			T_OK(0, "%s: readable", cases[i].file);
			free(raw);
			continue;
		}
		why[0] = '\0';
		sup = autoreply_suppressed(m, cases[i].envelope,
		    cases[i].target, cfg, why, sizeof(why));
		if (cases[i].want == NULL)
			T_OK(!sup, "%s to %s: answered (%s)", cases[i].file,
			    cases[i].target, why);
		else
			T_OK(sup && strstr(why, cases[i].want), "%s to %s: not "
			    "answered (%s)", cases[i].file,
			    cases[i].target ? cases[i].target : "nobody", why);
		mail_free(m);
		free(raw);
	}
	config_free(cfg);
	return t_done();
}
