/*
 * Logging: one line per event, "LEVEL MODULE: text", to stderr or syslog.
 * Under systemd (stderr is the journal's stream, $JOURNAL_STREAM) each
 * line starts with its syslog priority, "<3>error store: ...", and has no
 * stamp of its own: journald keeps the time, the name and the pid.
 * The module tag is the first argument everywhere ("imap", "store", ...).
 * Never pass a secret to these functions.
 */
#ifndef LG_LOG_H
#define LG_LOG_H

enum log_level {
	LOG_LV_ERR = 0,
	LOG_LV_WARN,
	LOG_LV_INFO,
	LOG_LV_DEBUG,
};

enum log_dest {
	LOG_TO_STDERR = 0,
	LOG_TO_SYSLOG,
};

void log_init(const char *ident, enum log_dest dest, enum log_level level);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
int log_level_parse(const char *name, enum log_level *out);
/* Timestamps on stderr lines (the daemon wants them, the CLI does not). */
void log_set_timestamps(int on);

void logm(enum log_level level, const char *mod, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A broken invariant: log and abort. */
void log_fatalx(const char *mod, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

#define log_err(mod, ...)	logm(LOG_LV_ERR, mod, __VA_ARGS__)
#define log_warn(mod, ...)	logm(LOG_LV_WARN, mod, __VA_ARGS__)
#define log_info(mod, ...)	logm(LOG_LV_INFO, mod, __VA_ARGS__)
#define log_debug(mod, ...)	logm(LOG_LV_DEBUG, mod, __VA_ARGS__)

#endif
