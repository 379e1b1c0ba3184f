/*
 * The `oauth` blocks of the main file: one OAuth2 client and grant per
 * block, named, used by IMAP connectors (`oauth = "NAME"`) and SMTP
 * delivery (`smtp.oauth = "NAME"`), so that one consent serves a mailbox
 * for both:
 *
 *   oauth = ( { name = "office"; provider = "microsoft";
 *               tenant = "contoso.onmicrosoft.com";
 *               client_id = "..."; client_secret_file = "..."; } );
 *
 * A provider is a preset of the data file `oauth_providers`
 * (etc/oauth-providers.conf): URLs with {tenant}, default scopes. The
 * block may override each. Grants live in the folder `oauth/` next to
 * the store (util/oauth.h).
 */
#ifndef LG_OAUTH_CONF_H
#define LG_OAUTH_CONF_H

#include "util/err.h"
#include "util/oauth.h"
#include "util/settings.h"

struct config;

extern const struct settings_table oauth_conf_settings;

/* Every block read and checked: LG_EPERM, each mistake to rep. */
int oauth_conf_check(const struct config *cfg, struct err_report *rep);
/* 1 when a block of that name exists. */
int oauth_conf_exists(const struct config *cfg, const char *name);
/* The number of blocks, and the name of the i-th (NULL past the end). */
size_t oauth_conf_count(const struct config *cfg);
const char *oauth_conf_name(const struct config *cfg, size_t i);
/* The token client of block name (LG_ENOENT: no such block). */
int oauth_conf_open(const struct config *cfg, const char *name,
    struct oauth **out, struct err *e);

#endif
