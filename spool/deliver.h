/*
 * Delivery runs: after spool_recover(), every message due goes to the
 * smarthost in smtp.connections sessions in parallel, each carrying up to
 * delivery.batch messages over one connection, and each result is in the
 * store (committed) the moment the server gives it: a SIGKILL re-sends at
 * most the messages on the wire. Those commits skip the fsync; one per
 * session makes them durable before the sent messages' files go, so a
 * power cut can make the last session's messages go twice, never lost.
 * Only one run at a time holds the spool (DIR/deliver.lock).
 */
#ifndef LG_DELIVER_H
#define LG_DELIVER_H

#include "gateway/config.h"
#include "gateway/err.h"
#include "gateway/pipeline.h"

struct deliver_stats {
	long sent;
	long deferred;
	long failed;
	long sessions;
};

/*
 * One run over everything due now. LG_OK when the run itself worked, even
 * if messages were deferred or failed; LG_ETEMP when another run holds
 * the spool or a result could not be recorded; LG_EPERM for settings that
 * cannot work (smtp.*, ca_file, the password).
 */
int deliver_run(const struct config *cfg, const struct pipelines *pl,
    struct deliver_stats *out, struct err *e);

#endif
