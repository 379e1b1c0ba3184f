/* Pieces shared by the command files: common options and printing. */
#ifndef LG_CMDUTIL_H
#define LG_CMDUTIL_H

#include <jansson.h>

#include "core/domain.h"
#include "util/idlist.h"

struct cli;
struct filter;

/* --filter EXPR --json, with the domain opened and the filter parsed. */
struct cmdutil_list {
	struct domain d;
	struct filter *f;	/* caller frees with filter_free() */
	int json;
};
int cmdutil_list_opts(struct cli *c, int argc, char **argv,
    struct cmdutil_list *out);

/* ID [--json], with the domain opened. */
struct cmdutil_show {
	struct domain d;
	long long id;
	int json;
};
int cmdutil_show_opts(struct cli *c, int argc, char **argv, const char *what,
    struct cmdutil_show *out);

/* --custom KEY=VALUE into a JSON object text. */
int cmdutil_custom_set(struct cli *c, char **custom, const char *kv);
int cmdutil_yesno(struct cli *c, const char *opt, const char *v, int *out);

/* "  label: value" when value is set. */
void cmdutil_field(const char *label, const char *value);
/* "  label:" then every line of text indented. */
void cmdutil_block(const char *label, const char *text);

json_t *cmdutil_leads_json(struct domain *d, const struct idlist *ids);
void cmdutil_leads_text(struct domain *d, const struct idlist *ids);
json_t *cmdutil_history_json(struct domain *d, int64_t lead_id,
    int64_t contact_id);
void cmdutil_history_text(struct domain *d, int64_t lead_id,
    int64_t contact_id);

/*
 * A list in the format of --format (c->out), its rows ordered by --sort
 * and cut at --limit: cmdutil_print_table() prints t as aligned text or
 * CSV, cmdutil_print_json() the array of objects arr (which it takes).
 * A --sort FIELD is a column heading or an object key, in any case, or
 * a prefix of one only; -FIELD sorts descending, numbers as numbers.
 * Returns EXIT_OK, or EXIT_USAGE after naming an unknown field.
 */
struct table;
int cmdutil_print_table(struct cli *c, struct table *t);
int cmdutil_print_json(struct cli *c, json_t *arr);
/* The list's rows as JSON (--format json) rather than a table. */
int cmdutil_json(const struct cli *c);

/* The ingest pipeline over the configured store, pipelines and rules. */
struct ingest;
int cmdutil_ingest(struct cli *c, struct ingest **out);

#endif
