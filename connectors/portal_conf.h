/*
 * A portal connector's configuration block, read and checked once in
 * create(): every setting is a row of one table in portal_conf.c
 * (portal_conf_settings, read by util/settings.c), and every mistake is
 * reported as "file:line: connector NAME: reason".
 * etc/portals/generic.conf documents every setting.
 */
#ifndef LG_PORTAL_CONF_H
#define LG_PORTAL_CONF_H

#include <stddef.h>

#include <libconfig.h>

#include "util/err.h"
#include "util/settings.h"

struct config;
struct portal_map;

enum portal_auth_type {
	AUTH_NONE,
	AUTH_API_KEY,
	AUTH_BASIC,
	AUTH_BEARER,
	AUTH_OAUTH2,
};

enum portal_paging {
	PAGING_NONE,
	PAGING_NEXT_LINK,	/* a URL in the body */
	PAGING_LINK_HEADER,	/* Link: <...>; rel="next" */
	PAGING_PAGE,		/* page=1,2,... */
	PAGING_OFFSET,		/* offset=0,n,2n,... */
	PAGING_CURSOR,		/* an opaque cursor from the body */
};

enum portal_incr {
	INCR_NONE,
	INCR_SINCE,		/* a timestamp from the newest item */
	INCR_LAST_ID,		/* the id of the newest item */
};

enum portal_ack {
	ACK_NONE,
	ACK_ITEM,		/* one request per item, {id} */
	ACK_BATCH,		/* one request per page, {ids} */
};

struct portal_kv {
	char *name;
	char *value;
};

struct portal_kvlist {
	struct portal_kv *v;
	size_t n;
};

struct portal_conf {
	char *name;
	char *source;		/* the leads' source (meta.portal) */
	int interval;
	char *base_url;
	char *method;		/* GET or POST */
	char *path;
	char *body;		/* POST body, JSON text */
	struct portal_kvlist headers;	/* request.headers */
	struct portal_kvlist query;	/* request.query */

	struct {
		enum portal_auth_type type;
		char *header;	/* api_key: header name, or */
		char *query;	/* api_key: query parameter */
		char *prefix;	/* api_key: text before the key */
		char *key_file, *key_env;
		char *user;
		char *password_file, *password_env;
		char *token_file, *token_env;
		char *token_url;
		char *client_id;
		char *client_secret_file, *client_secret_env;
		char *scope;
		int client_basic;	/* client_auth = "basic" (else body) */
	} auth;

	char *items;		/* pointer to the items array */
	char *id;		/* pointer to an item's id */
	struct portal_map *map;

	struct {
		enum portal_paging type;
		char *param;
		int start;
		char *size_param;
		int size;
		char *next;		/* pointer: next link or cursor */
		char *has_more;		/* pointer to a boolean */
		char *total;		/* pointer: total pages or items */
	} paging;

	struct {
		enum portal_incr type;
		char *param;
		char *from;		/* pointer in the item (since) */
		char *start;		/* the first value, optional */
	} incr;

	struct {
		enum portal_ack per;
		char *method;
		char *path;		/* with {id} for per = "item" */
		char *body;		/* template with {id} or {ids} */
	} ack;

	int connect_timeout;
	int timeout;
	int max_response_bytes;
	int max_pages;
	int retries;
	int backoff_first;
	int backoff_max;
	int retry_wait_max;	/* wait inline up to this, else back off */
	int max_redirects;
	char *ca_file;
};

extern const struct settings_table portal_conf_settings;

/* LG_EPERM when the block has mistakes; each went to rep. */
int portal_conf_parse(const config_setting_t *block, const struct config *cfg,
    struct portal_conf **out, struct err_report *rep);
/* A mistake found later (a secret, the URL): "file:line: connector ...". */
int portal_conf_bad(const struct portal_conf *c, const config_setting_t *st,
    const struct config *cfg, struct err_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void portal_conf_free(struct portal_conf *c);

#endif
