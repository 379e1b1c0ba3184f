/* The entry points of the commands, one per command line verb. */
#ifndef LG_CMD_H
#define LG_CMD_H

struct cli;

int cmd_contacts_list(struct cli *, int, char **);
int cmd_contacts_show(struct cli *, int, char **);
int cmd_contacts_add(struct cli *, int, char **);
int cmd_contacts_update(struct cli *, int, char **);
int cmd_contacts_export(struct cli *c, int argc, char **argv);
int cmd_contacts_erase(struct cli *c, int argc, char **argv);
int cmd_contacts_merge(struct cli *c, int argc, char **argv);
int cmd_contacts_import(struct cli *c, int argc, char **argv);
int cmd_contacts_set_status(struct cli *, int, char **);
int cmd_contacts_profile(struct cli *, int, char **);
int cmd_objects_import(struct cli *, int, char **);
int cmd_objects_list(struct cli *, int, char **);
int cmd_objects_show(struct cli *, int, char **);
int cmd_match(struct cli *, int, char **);
/* match.on_import: match each of the objects, then deliver. */
int cmd_match_objects(struct cli *, const char *const *refs, size_t n);

int cmd_leads_list(struct cli *, int, char **);
int cmd_leads_show(struct cli *, int, char **);
int cmd_leads_add(struct cli *, int, char **);
int cmd_leads_move(struct cli *, int, char **);
int cmd_leads_win(struct cli *, int, char **);
int cmd_leads_lose(struct cli *, int, char **);
int cmd_leads_convert(struct cli *, int, char **);
int cmd_leads_action(struct cli *, int, char **);
int cmd_leads_note(struct cli *, int, char **);
int cmd_leads_assign(struct cli *, int, char **);
int cmd_leads_update(struct cli *, int, char **);

int cmd_sources_list(struct cli *, int, char **);
int cmd_sources_add(struct cli *, int, char **);
int cmd_sources_rename(struct cli *, int, char **);
int cmd_sources_remove(struct cli *, int, char **);

int cmd_report(struct cli *, int, char **);
int cmd_pipelines(struct cli *, int, char **);
int cmd_db_migrate(struct cli *, int, char **);
int cmd_db_copy(struct cli *, int, char **);
int cmd_config_check(struct cli *, int, char **);
int cmd_config_get(struct cli *, int, char **);
int cmd_config_settings(struct cli *, int, char **);

int cmd_template_render(struct cli *, int, char **);
int cmd_template_preview(struct cli *, int, char **);
int cmd_parse(struct cli *, int, char **);
int cmd_ingest(struct cli *, int, char **);
int cmd_quarantine_list(struct cli *, int, char **);
int cmd_quarantine_show(struct cli *, int, char **);
int cmd_quarantine_retry(struct cli *, int, char **);
int cmd_quarantine_drop(struct cli *, int, char **);
int cmd_rules_check(struct cli *, int, char **);
int cmd_rules_test(struct cli *, int, char **);
int cmd_portals_list(struct cli *, int, char **);
int cmd_oauth_login(struct cli *, int, char **);
int cmd_oauth_status(struct cli *, int, char **);

int cmd_run(struct cli *, int, char **);
int cmd_status(struct cli *, int, char **);
int cmd_poll(struct cli *, int, char **);
int cmd_spool_list(struct cli *, int, char **);
int cmd_spool_show(struct cli *, int, char **);
int cmd_spool_retry(struct cli *, int, char **);
int cmd_spool_cancel(struct cli *, int, char **);
int cmd_spool_add(struct cli *, int, char **);
int cmd_webhooks_deliver(struct cli *, int, char **);
int cmd_webhooks_list(struct cli *, int, char **);
int cmd_webhooks_retry(struct cli *, int, char **);
int cmd_webhooks_purge(struct cli *, int, char **);
int cmd_deliver(struct cli *, int, char **);
int cmd_unsubscribe(struct cli *, int, char **);
int cmd_serve(struct cli *, int, char **);
int cmd_token_add(struct cli *, int, char **);
int cmd_token_list(struct cli *, int, char **);
int cmd_token_remove(struct cli *, int, char **);
int cmd_user_add(struct cli *, int, char **);
int cmd_user_passwd(struct cli *, int, char **);
int cmd_user_remove(struct cli *, int, char **);
int cmd_user_list(struct cli *, int, char **);

int cmd_mail_bulk(struct cli *, int, char **);
int cmd_mail_campaigns(struct cli *, int, char **);
int cmd_mail_show(struct cli *, int, char **);
int cmd_mail_attachment(struct cli *, int, char **);
int cmd_mail_purge(struct cli *, int, char **);

/*
 * What `leadgate status --json` shows (the dashboard shows it too); NULL
 * when the connectors cannot be read (the reason in e).
 */
#include <jansson.h>
struct config;
struct store;
struct err;
json_t *cmd_status_json(const struct config *cfg, struct store *st,
    struct err *e);

#endif
