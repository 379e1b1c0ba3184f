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

#include <stddef.h>

#include "util/err.h"

/*
 * A job the daemon runs besides the connectors (delivery, webhooks): run()
 * is called in a loop on its own thread with its own store and the loaded
 * set (daemon.c: configuration, pipelines, webhook endpoints, ...); it returns how
 * many milliseconds to wait before the next call, or a negative LG code.
 */
struct daemon_set;
struct store;

struct daemon_job {
	const char *name;
	int (*run)(struct daemon_set *set, struct store *st, struct err *e);
	int wake;	/* woken at once when a connector has queued mail */
	int shared;	/* on PostgreSQL, run by every instance (no lease) */
};

struct config;

/*
 * The name of the daemon with that pid among the instances sharing the
 * store: cluster.instance, else HOST:PID.
 */
void daemon_instance(const struct config *cfg, long pid, char *out,
    size_t len);

/* Serve until SIGTERM/SIGINT. config_path is re-read on SIGHUP. */
int daemon_run(const char *config_path, struct err *e);

#endif
