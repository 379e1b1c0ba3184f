/*
 * The configuration block of an IMAP connector, read and checked once:
 *
 *   { name = "office"; type = "imap"; host = "imap.example.com";
 *     port = 993; tls = "implicit";      # implicit | starttls | none
 *     tls_verify = true; ca_file = "ca.pem";
 *     user = "leads@example.com"; password_file = "imap.pw";  # or password_env
 *     auth = "login";                    # login | plain
 *     folders = [ "INBOX", "Portale" ];
 *     done = { keyword = "$LeadgateDone"; };   # or { move_to = "Erledigt"; }
 *     batch = 100; idle = true; interval = 60; timeout = 60;
 *     max_size = 26214400; }
 *
 * Every mistake is an LG_EPERM "file:line: imap connector 'NAME': why".
 */
#ifndef LG_IMAP_CONFIG_H
#define LG_IMAP_CONFIG_H

#include <stddef.h>

#include <libconfig.h>

#include "util/err.h"

struct config;

enum imap_tls {
	IMAP_TLS_IMPLICIT,
	IMAP_TLS_STARTTLS,
	IMAP_TLS_NONE,		/* 127.0.0.1 only */
};

enum imap_auth {
	IMAP_AUTH_LOGIN,
	IMAP_AUTH_PLAIN,	/* AUTHENTICATE PLAIN through Cyrus SASL */
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
	struct imap_folder *folders;
	size_t nfolders;
	char *keyword;		/* done by keyword (and \Seen), or NULL */
	struct imap_folder move_to;	/* done by moving (name NULL if not) */
	int batch;		/* messages per UID FETCH */
	int idle;
	int interval;		/* seconds between polls without IDLE */
	int timeout;		/* seconds, every network wait */
	int max_size;		/* bytes; larger messages arrive truncated */
};

int imap_config_read(const config_setting_t *block, const struct config *cfg,
    struct imap_config **out, struct err *e);
void imap_config_free(struct imap_config *c);

#endif
