/*
 * Rule conditions: a small tree read from a rule file.
 *
 *   when = { on = "from"; glob = "*@immobilienscout24.de"; };
 *   when = { any = ( { on = "header:List-Id"; exists = true; },
 *                    { on = "header:Precedence"; regex = "^(bulk|list)$"; } ); };
 *   when = { not = { on = "field:email"; exists = true; }; };
 *
 * Subjects (on): from, reply-to, sender (the bare address of that header),
 * header:NAME (the whole header as written), envelope:from, envelope:to,
 * connector, body, subject, attachment:name, attachment:type, is_reply
 * ("header" or "subject": how it answers our mail), field:NAME
 * (an extracted field: first_name, email, phones, object_ref, portal...).
 * Operators: is (equal, case-insensitive), glob, regex (POSIX extended,
 * case-insensitive), contains, exists (true/false). Combinators: all,
 * any, not. A subject with several values (headers seen twice, phones,
 * attachments) matches when one of them does.
 */
#ifndef LG_COND_H
#define LG_COND_H

#include <libconfig.h>

#include "util/err.h"

struct mail;
struct inquiry;
struct cond;

/*
 * What a condition can look at. extracted() runs an extractor lazily (and
 * should cache): the one of the rule being tried (extractor, NULL for
 * detection), so field conditions see what that rule would extract.
 */
struct cond_input {
	const struct mail *mail;	/* NULL for portal items */
	const char *connector;
	const char *envelope_from;
	const char *envelope_to;
	const char *reply;		/* how it answers our mail; NULL: not */
	const char *extractor;		/* set by rules_match per rule */
	const struct inquiry *(*extracted)(void *arg, const char *extractor);
	void *arg;
};

/* Parse a condition; every mistake is reported through report(). */
struct cond *cond_parse(const config_setting_t *st, const char *path,
    void (*report)(void *arg, const char *msg), void *arg);
void cond_free(struct cond *c);
int cond_eval(const struct cond *c, const struct cond_input *in);
/* 1 when the condition looks at extracted fields. */
int cond_uses_fields(const struct cond *c);

#endif
