/*
 * The configuration block of an IMAP connector, read and checked once:
 *
 *   { name = "office"; type = "imap"; host = "imap.example.com";
 *     port = 993; tls = "implicit";      # implicit | starttls | none
 *     tls_verify = true; ca_file = "ca.pem";
 *     user = "leads@example.com"; password_file = "imap.pw";  # or password_env
 *     auth = "login";       # login | plain | xoauth2 | oauthbearer
 *     oauth = "office";     # xoauth2, oauthbearer: the oauth block
 *                           # (core/oauth_conf.h), instead of a password
 *     folders = [ "INBOX", "Portale" ];
 *     done = { keyword = "$LeadgateDone"; };  # the default; or
 *         # { seen = true; } or { move_to = "Erledigt"; }, and seen = true
 *         # beside keyword or move_to sets \Seen as well
 *     batch = 100; idle = true; interval = 60; timeout = 60;
 *     max_size = 26214400; }
 *
 * Its settings are the table imap_config_settings (util/settings.h); every
 * mistake is reported as "file:line: imap connector 'NAME': why".
 */
#ifndef LG_IMAP_CONFIG_H
#define LG_IMAP_CONFIG_H

#include <stddef.h>

#include <libconfig.h>

#include "util/err.h"
#include "util/settings.h"

struct config;

enum imap_tls {
	IMAP_TLS_IMPLICIT,
	IMAP_TLS_STARTTLS,
	IMAP_TLS_NONE,		/* 127.0.0.1 only */
};

enum imap_auth {
	IMAP_AUTH_LOGIN,
	IMAP_AUTH_PLAIN,	/* AUTHENTICATE PLAIN through Cyrus SASL */
	IMAP_AUTH_XOAUTH2,	/* AUTHENTICATE XOAUTH2, token of `oauth` */
	IMAP_AUTH_OAUTHBEARER,	/* AUTHENTICATE OAUTHBEARER (RFC 7628) */
};

/*
 * What marks a handled message on the server, and so how the connector
 * tells the new ones: never by \Seen, which agents reading the same
 * inbox set and clear.
 */
enum imap_done {
	IMAP_DONE_KEYWORD,	/* the keyword: new = without it */
	IMAP_DONE_SEEN,		/* \Seen only: new = above the UID mark
				   the store keeps */
	IMAP_DONE_MOVE,		/* moved away: new = still in the folder */
};

struct imap_folder {
	char *name;		/* UTF-8 as configured: store key, messages */
	char *wire;		/* modified UTF-7, what the server is sent */
};

struct imap_config {
	char *name;
	char *host;
	int port;
	int tls;		/* enum imap_tls */
	int tls_verify;
	char *ca_file;		/* "" = the system store */
	char *user;
	char *password_file;	/* resolved path, or "" */
	char *password_env;	/* variable name, or "" */
	int auth;		/* enum imap_auth */
	char *oauth;		/* XOAUTH2/OAUTHBEARER: the oauth block */
	struct imap_folder *folders;
	size_t nfolders;
	int done;		/* enum imap_done */
	char *keyword;		/* IMAP_DONE_KEYWORD: the keyword, else NULL */
	struct imap_folder move_to;	/* IMAP_DONE_MOVE (name NULL if not) */
	int seen;		/* also set \Seen (always with IMAP_DONE_SEEN) */
	int batch;		/* messages per UID FETCH */
	int idle;
	int interval;		/* seconds between polls without IDLE */
	int timeout;		/* seconds, every network wait */
	int keepalive;		/* seconds between NOOPs while idle */
	int reconnect_max;	/* seconds: the longest reconnect backoff */
	int max_size;		/* bytes; larger messages arrive truncated */
};

extern const struct settings_table imap_config_settings;

/* LG_EPERM when the block has mistakes; each went to rep. */
int imap_config_read(const config_setting_t *block, const struct config *cfg,
    struct imap_config **out, struct err_report *rep);
/* A mistake found later (the CA file): "file:line: imap connector ...". */
int imap_config_bad(const struct imap_config *c, const config_setting_t *st,
    const struct config *cfg, struct err_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void imap_config_free(struct imap_config *c);
/* 1 when the block logs in with an OAuth2 token. */
int imap_config_oauth(const struct imap_config *c);

#endif
