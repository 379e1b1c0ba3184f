/*
 * The Maildir connector (type "maildir"): takes the messages in new/ and
 * the unseen ones in cur/ (no S, no T flag), hands each to the sink, and
 * once the sink said LG_OK moves it to cur/ with the S flag added
 * (NAME:2,S). LG_ETEMP from the sink leaves the message where it is and
 * ends the poll; a dry run reads and hands over but moves nothing.
 *
 *   { name = "local"; type = "maildir"; path = "/var/mail/leads";
 *     interval = 60; max_size = 26214400; }
 *
 * path is taken from the configuration file's directory when relative;
 * messages over max_size are handed over cut at max_size + 1 bytes with
 * meta->truncated set. There is no wait(): the caller sleeps interval().
 */
#ifndef LG_MAILDIR_H
#define LG_MAILDIR_H

#include "connectors/source.h"
#include "util/settings.h"

extern const struct connector_ops maildir_ops;
/* The settings of a maildir block, for `leadgate config settings`. */
extern const struct settings_table maildir_settings;

#endif
