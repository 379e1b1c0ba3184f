#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

static struct {
	char ident[32];
	enum log_dest dest;
	enum log_level level;
	int timestamps;
	int journal;		/* stderr is systemd-journald's stream */
} log_cfg = { "leadgate", LOG_TO_STDERR, LOG_LV_WARN, 0, 0 };

static const struct {
	const char *name;
	enum log_level level;
	int syslog_prio;
} log_levels[] = {
	{ "error", LOG_LV_ERR, LOG_ERR },
	{ "warn", LOG_LV_WARN, LOG_WARNING },
	{ "info", LOG_LV_INFO, LOG_INFO },
	{ "debug", LOG_LV_DEBUG, LOG_DEBUG },
};

/*
 * systemd names the stream it connects to stderr in $JOURNAL_STREAM
 * ("DEVICE:INODE", systemd.exec(5)); when stderr is still that stream,
 * journald stamps each line and reads its priority from a "<N>" prefix
 * (sd-daemon(3)). Redirected elsewhere, stderr is not the journal.
 */
static int
log_stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat sb;

	if (js == NULL || sscanf(js, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(STDERR_FILENO, &sb) != 0)
		return 0;
	return (unsigned long long)sb.st_dev == dev &&
	    (unsigned long long)sb.st_ino == ino;
}

void
log_init(const char *ident, enum log_dest dest, enum log_level level)
{
	snprintf(log_cfg.ident, sizeof(log_cfg.ident), "%s", ident);
	log_cfg.dest = dest;
	log_cfg.level = level;
	log_cfg.journal = dest == LOG_TO_STDERR && log_stderr_is_journal();
	if (dest == LOG_TO_SYSLOG)
		openlog(log_cfg.ident, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

void
log_set_level(enum log_level level)
{
	log_cfg.level = level;
}

enum log_level
log_get_level(void)
{
	return log_cfg.level;
}

void
log_set_timestamps(int on)
{
	log_cfg.timestamps = on;
}

int
log_level_parse(const char *name, enum log_level *out)
{
	size_t i;

	for (i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++) {
		if (strcasecmp(name, log_levels[i].name) == 0) {
			*out = log_levels[i].level;
			return 0;
		}
	}
	return -1;
}

/*
 * Control characters from untrusted data (a subject, a name) must not be
 * able to forge a second log line.
 */
static void
log_sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static void
log_vemit(enum log_level level, const char *mod, const char *fmt, va_list ap)
{
	char text[2048], line[2300], stamp[32] = "";
	struct tm tm;
	time_t now;
	int n;

	vsnprintf(text, sizeof(text), fmt, ap);
	log_sanitize(text);
	if (log_cfg.dest == LOG_TO_SYSLOG) {
		syslog(log_levels[level].syslog_prio, "%s: %s", mod, text);
		return;
	}
	/* The daemon's lines are stamped; a command's read like its errors. */
	if (log_cfg.journal) {
		n = snprintf(line, sizeof(line), "<%d>%s %s: %s\n",
		    log_levels[level].syslog_prio, log_levels[level].name, mod,
		    text);
	} else if (log_cfg.timestamps) {
		now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ ", &tm);
		n = snprintf(line, sizeof(line), "%s%s[%ld] %s %s: %s\n", stamp,
		    log_cfg.ident, (long)getpid(), log_levels[level].name, mod,
		    text);
	} else {
		n = snprintf(line, sizeof(line), "%s: %s %s: %s\n",
		    log_cfg.ident, log_levels[level].name, mod, text);
	}
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	/* One write per line keeps lines whole across threads. */
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

void
logm(enum log_level level, const char *mod, const char *fmt, ...)
{
	va_list ap;

	if (level > log_cfg.level)
		return;
	va_start(ap, fmt);
	log_vemit(level, mod, fmt, ap);
	va_end(ap);
}

void
log_fatalx(const char *mod, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_LV_ERR, mod, fmt, ap);
	va_end(ap);
	abort();
}
