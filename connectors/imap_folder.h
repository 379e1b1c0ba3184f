/*
 * One poll of one IMAP folder: SELECT, compare UIDVALIDITY with the
 * store, find what is not done yet, hand new messages to the sink in
 * batches, record the handled UIDs, then mark the batch done on the
 * server. A UID recorded as handled but not yet marked (a crash between
 * the two) is only marked, not handed over again.
 *
 * What is "not done" depends on done (imap_config.h), never on \Seen:
 * without the keyword; still in the folder (move); or, done by \Seen
 * alone, at or above the UID mark the store keeps per folder and
 * UIDVALIDITY, moved up once a batch is marked.
 */
#ifndef LG_IMAP_FOLDER_H
#define LG_IMAP_FOLDER_H

#include <stddef.h>

#include "connectors/source.h"
#include "connectors/imap_config.h"
#include "connectors/imap_session.h"

struct imap_folder_stats {
	size_t candidates;	/* not done on the server */
	size_t delivered;	/* handed to the sink */
	size_t marked;		/* marked done on the server */
	/*
	 * What the poll covered, for the IDLE that follows: every message
	 * below uidnext (of uidvalidity; 0: the server sent no UIDNEXT) was
	 * searched; news when the server announced new mail since.
	 */
	uint32_t uidvalidity, uidnext;
	int news;
};

/*
 * LG_ETEMP: the connection broke (imap_session_broken()), the server
 * refused for now, or the sink said "later"; LG_EPERM: this folder cannot
 * be polled as configured. The error names the connector and the folder.
 */
int imap_folder_poll(struct imap_session *s, const struct imap_config *c,
    const struct imap_folder *f, const struct connector_sink *sink,
    struct imap_folder_stats *stats, struct err *e);

#endif
