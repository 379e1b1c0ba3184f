/*
 * The IMAP connector (type "imap"): polls the configured folders of one
 * account and hands every new message to the sink; see imap_config.h for
 * the configuration block.
 *
 * Its wait() is IMAP IDLE on the first folder: it returns LG_OK when the
 * server announced new mail, timeout_ms passed or *stop was set (within
 * half a second). With more than one folder it waits at most `interval`
 * so the others are polled too. It returns LG_ENOENT when there is no
 * IDLE (idle = false, or the server lacks it) and LG_ETEMP when not
 * connected: in both cases the caller sleeps interval(), which is the
 * reconnect backoff (1-2 s, doubling to reconnect_max, jittered) after a lost
 * connection or a failed poll and the configured interval otherwise;
 * retry() is the same backoff. IDLE is ended for a NOOP every keepalive
 * seconds, so a silent server is noticed within keepalive + timeout.
 *
 * The connection's state (connecting, connected, idle, lost,
 * reconnecting) changes in one place, which logs a loss with the mailbox
 * and the reason and a reconnect with the time it was down; link()
 * reports it for `status`.
 */
#ifndef LG_IMAP_H
#define LG_IMAP_H

#include "connectors/source.h"

extern const struct connector_ops imap_ops;

#endif
