/*
 * The agents leads are assigned to, and the rules that pick one: both in
 * the main configuration file (leadgate.conf(5), "agents" and "assign"),
 * each block read by its own settings table (util/settings.h).
 *
 * An assignment rule matches a lead when every condition it gives holds
 * (object: the lead's object reference; source: its source; postcode: a
 * prefix of the contact's postcode; language: the contact's language);
 * the first rule that matches names the agents. One agent is a fixed
 * assignment; several take turns (round-robin), the turn kept in the
 * store per pool so that it survives restarts.
 */
#ifndef LG_AGENTS_H
#define LG_AGENTS_H

#include <stddef.h>

#include <libconfig.h>

#include "util/err.h"
#include "util/settings.h"

struct contact;
struct lead;

struct agent {
	char *name;
	char *email;
	char *branch;
	struct settings_strlist languages;
};

struct assign_rule {
	char *name;		/* the pool's name: the round-robin's key */
	char *object;		/* "" when not a condition */
	char *source;
	char *postcode;		/* a prefix */
	char *language;
	struct settings_strlist agents;
};

struct agents {
	struct agent *v;
	size_t n;
	struct assign_rule *rules;
	size_t nrules;
};

extern const struct settings_table agent_settings;
extern const struct settings_table assign_settings;

/*
 * Read the list of agent blocks / of assignment blocks into a (both may
 * be called in any order); mistakes go to r (the main file's reader).
 * agents_check() then checks that every rule names known agents.
 */
int agents_read(struct settings_reader *r, const config_setting_t *list,
    struct agents *a);
int agents_read_rules(struct settings_reader *r,
    const config_setting_t *list, struct agents *a);
int agents_check(struct settings_reader *r, const config_setting_t *at,
    const struct agents *a);
void agents_free(struct agents *a);

/* By name or e-mail address, without case; NULL when none. */
const struct agent *agents_find(const struct agents *a, const char *who);
/* The first rule matching lead l of contact c (c may be NULL), or NULL. */
const struct assign_rule *agents_rule_for(const struct agents *a,
    const struct lead *l, const struct contact *c);

#endif
