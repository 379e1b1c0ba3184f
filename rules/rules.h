/*
 * Rule files (etc/rules.conf, libconfig syntax), edited by an admin:
 * ordered rules, the first whose condition matches decides what becomes
 * of an inquiry; and the deduplication policy. A rule file can name an
 * extractor, a source, a pipeline and phase, tags, an assignee and an
 * autoreply; it can never run a program.
 *
 *   dedup = { email = true; phone = true; name_postcode = false;
 *             same_object = true; };
 *   rules = (
 *     { name = "immoscout24";
 *       when = { on = "from"; glob = "*@immobilienscout24.de"; };
 *       extractor = "immoscout24"; source = "ImmoScout24";
 *       pipeline = "sale"; phase = "Demande reçue";
 *       autoreply = { template = "inquiry-reply"; phase = "Demande répondue"; };
 *     },
 *     { name = "mailing lists"; action = "ignore";
 *       when = { on = "header:List-Id"; exists = true; }; },
 *     { name = "default"; source = "E-Mail"; }
 *   );
 */
#ifndef LG_RULES_H
#define LG_RULES_H

#include <stddef.h>

#include "util/err.h"

struct cond;
struct cond_input;
struct inquiry;
struct mail;
struct parse_data;
struct pipelines;

enum rule_action {
	RULE_LEAD,		/* make or update a lead (the default) */
	RULE_IGNORE,		/* record the inquiry as seen and do nothing */
	RULE_QUARANTINE,	/* keep it for a person to look at */
};

struct rule {
	char *name;
	char *file;
	int line;
	struct cond *when;		/* NULL: always */
	int uses_fields;		/* the condition needs extraction */
	enum rule_action action;
	char *reason;			/* RULE_QUARANTINE */
	char *extractor;		/* NULL: detect; a profile too */
	char *source;			/* NULL: the portal's name, else "E-Mail" */
	char *pipeline;			/* NULL: the default pipeline */
	int phase;			/* 0: the pipeline's initial phase */
	char **tags;
	size_t ntags;
	char *assignee;
	char *autoreply;		/* template name, or NULL */
	int autoreply_phase;		/* reached when the reply is accepted */
};

struct dedup_policy {
	int email;
	int phone;
	int name_postcode;
	int same_object;	/* an open lead on the same object gets the inquiry */
};

struct rules {
	char *path;
	struct rule *v;
	size_t n;
	struct dedup_policy dedup;
};

/*
 * Load and check a rule file against the pipelines, the templates
 * directory (NULL: templates are not checked) and the profiles of pd
 * (an extractor names a built-in one or a profile; NULL: not checked).
 * On mistakes: LG_EPERM, every one of them in errs (may be NULL), the
 * first also in e.
 */
int rules_load(const char *path, const struct pipelines *pl,
    const char *templates_dir, const struct parse_data *pd,
    struct rules **out, struct err_list *errs, struct err *e);
void rules_free(struct rules *r);

/*
 * The first rule whose condition holds (in->extracted is asked for the
 * fields a condition looks at, with that rule's extractor). Never NULL:
 * when no rule matches, the built-in default (detect, make a lead).
 */
const struct rule *rules_match(const struct rules *r,
    const struct cond_input *in);
/* The built-in catch-all used when no rule matches. */
const struct rule *rules_default(void);
const char *rule_action_name(enum rule_action a);

#endif
