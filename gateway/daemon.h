/*
 * `leadgate run`: one supervisor with a worker thread per connector and
 * the delivery workers, each restarted with backoff when it fails, none
 * able to block another. SIGHUP reloads configuration, pipelines, rules,
 * portal profiles, lexicon and templates (a file with a mistake is
 * refused and the old set stays);
 * SIGTERM and SIGINT finish the current transaction and exit.
 */
#ifndef LG_DAEMON_H
#define LG_DAEMON_H

#include "util/err.h"

/*
 * A job the daemon runs besides the connectors (delivery): run() is
 * called in a loop on its own thread with its own store; it returns how
 * many milliseconds to wait before the next call, or a negative LG code.
 */
struct config;
struct store;
struct pipelines;

struct daemon_job {
	const char *name;
	int (*run)(const struct config *cfg, struct store *st,
	    const struct pipelines *pl, struct err *e);
};

/* Serve until SIGTERM/SIGINT. config_path is re-read on SIGHUP. */
int daemon_run(const char *config_path, struct err *e);

#endif
