/*
 * The IMAP connector against a real Dovecot started for this test
 * (tests/lib/dovecot.sh) on loopback ports, with the recording sink of
 * tsink.c writing inquiries into a real store. Each case has its own
 * Dovecot user (its own Maildir) and its own database.
 *
 * Connection cases (TLS modes, certificates, authentication) are a table;
 * so are the ways a handled message is marked done (keyword, \Seen, move,
 * each run through a poll and through a crash); the other delivery cases
 * (UIDVALIDITY, disconnects, IDLE, dry run, size limit, a server that
 * does not keep keywords) are one function each.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "connectors/connector.h"
#include "core/config.h"
#include "util/log.h"
#include "t.h"
#include "tdove.h"
#include "tproxy.h"
#include "tsink.h"

#define NUSERS 40

static struct tdove dove;
static const char *dir;
static char *lastlog;		/* what the connector logged in the last call */
static int next_user;

/* A connector made from a real configuration file. */
struct tconn {
	char user[32];
	struct config *cfg;
	struct connector_list list;
	struct connector *c;
	struct tsink sink;
};

static const char *
fixture(const char *name)
{
	static char path[2048];
	const char *top = getenv("TOP");

	snprintf(path, sizeof(path), "%s/tests/data/imap/%s",
	    top && *top ? top : ".", name);
	return path;
}

/* Run f with stderr (the log) captured into lastlog, echoed as comments. */
static int saved_stderr = -1;

static void
cap_begin(void)
{
	char path[2048];
	int fd;

	snprintf(path, sizeof(path), "%s/cap.log", dir);
	fflush(stderr);
	saved_stderr = dup(2);
	if ((fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600)) >= 0) {
		dup2(fd, 2);
		close(fd);
	}
}

static void
cap_end(void)
{
	char path[2048], *p, *nl;

	snprintf(path, sizeof(path), "%s/cap.log", dir);
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	free(lastlog);
	lastlog = t_slurp(path, NULL);
	if (lastlog == NULL)
		lastlog = strdup("");
	for (p = lastlog; *p; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		printf("#   %.*s\n", (int)(nl - p), p);
	}
}

static int
logged(const char *s)
{
	return lastlog != NULL && strstr(lastlog, s) != NULL;
}

static const char *
new_user(char *out, size_t len)
{
	snprintf(out, len, "u%d", ++next_user);
	if (next_user > NUSERS) {
		fprintf(stderr, "test_imap: raise NUSERS\n");
		exit(2);
	}
	return out;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

/*
 * A connector for user: settings are the block's lines after the
 * common ones (name, type, user, password_file, timeout).
 */
static int
tconn_open(struct tconn *t, const char *user, const char *password,
    const char *settings, struct err *e)
{
	char path[2048], pwfile[2048], db[2048], text[4096];
	int rc;

	memset(t, 0, sizeof(*t));
	snprintf(t->user, sizeof(t->user), "%s", user);
	snprintf(pwfile, sizeof(pwfile), "%s/%s.pw", dir, user);
	snprintf(text, sizeof(text), "%s\n", password);
	write_file(pwfile, text);
	chmod(pwfile, 0600);
	snprintf(db, sizeof(db), "%s/%s.db", dir, user);
	snprintf(path, sizeof(path), "%s/%s.conf", dir, user);
	snprintf(text, sizeof(text), "store = { path = \"%s\"; };\n"
	    "connectors = ( {\n  name = \"%s\";\n  type = \"imap\";\n"
	    "  user = \"%s\";\n  password_file = \"%s\";\n%s\n} );\n", db,
	    user, user, pwfile, settings);
	write_file(path, text);
	if ((rc = config_load(path, &t->cfg, NULL, e)) != LG_OK)
		return rc;
	if ((rc = connector_load_all(t->cfg, &t->list, NULL, e)) != LG_OK)
		return rc;
	t->c = &t->list.v[0];
	if (tsink_open(&t->sink, db) != 0)
		return err_set(e, LG_EINTERNAL, "cannot open %s", db);
	return LG_OK;
}

static void
tconn_close(struct tconn *t)
{
	connector_list_free(&t->list);
	config_free(t->cfg);
	tsink_close(&t->sink);
}

/* Common settings: implicit TLS to localhost with the test CA. */
static const char *
tls_settings(char *out, size_t len, const char *extra)
{
	snprintf(out, len, "  host = \"localhost\";\n  port = %d;\n"
	    "  tls = \"implicit\";\n  ca_file = \"%s/tls/ca.pem\";\n"
	    "  timeout = 10;\n%s", dove.imaps_port, dove.dir, extra);
	return out;
}

static int
tconn_poll(struct tconn *t, int dry_run, struct err *e)
{
	struct connector_sink s = tsink_sink(&t->sink, dry_run);
	int rc;

	err_clear(e);
	cap_begin();
	rc = t->c->ops->poll_once(t->c->conn, &s, e);
	cap_end();
	if (rc != LG_OK)
		printf("#   poll: %s: %s\n", err_code_name(rc), e->msg);
	return rc;
}

static void
save(const char *user, const char *folder, const char *file)
{
	if (tdove_sh(&dove, NULL, 0, "dove_save \"$D\" '%s' '%s' '%s'", user,
	    folder, file) != 0)
		printf("# dove_save %s %s %s failed\n", user, folder, file);
}

static void
save_fixtures(const char *user, const char *folder)
{
	save(user, folder, fixture("mail/01-immoscout.eml"));
	save(user, folder, fixture("mail/02-website.eml"));
	save(user, folder, fixture("mail/03-autoscout.eml"));
}

/* Messages of the folder carrying flag (a keyword or "\\Seen"). */
static int
count_flag(const char *user, const char *folder, const char *flag)
{
	char out[8192], *line, *tok, *save_line = NULL, *save_tok;
	int n = 0;

	if (tdove_sh(&dove, out, sizeof(out), "dove_flags \"$D\" '%s' '%s'",
	    user, folder) != 0)
		return -1;
	for (line = strtok_r(out, "\n", &save_line); line;
	    line = strtok_r(NULL, "\n", &save_line)) {
		save_tok = NULL;
		for (tok = strtok_r(line, " ", &save_tok); tok;
		    tok = strtok_r(NULL, " ", &save_tok))
			if (strcmp(tok, flag) == 0) {
				n++;
				break;
			}
	}
	return n;
}

/* Messages of the folder marked done the default way (the keyword). */
static int
count_flagged(const char *user, const char *folder)
{
	return count_flag(user, folder, "$LeadgateDone");
}

static int
count_messages(const char *user, const char *folder)
{
	char out[64];

	if (tdove_sh(&dove, out, sizeof(out), "dove_count \"$D\" '%s' '%s'",
	    user, folder) != 0)
		return -1;
	return atoi(out);
}

/* A message of about size bytes, for the size limit and cut cases. */
static const char *
big_message(const char *name, size_t size)
{
	static char path[2048];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s.eml", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		exit(2);
	fprintf(f, "From: Big Sender <big@example.org>\nTo: info@example.com\n"
	    "Subject: a large inquiry\nMessage-ID: <%s@example.org>\n\n",
	    name);
	for (n = 0; n < size; n += 64)
		fprintf(f, "%063zu\n", n);
	fclose(f);
	return path;
}

/* ---------------------------------------------------------------- */

static const struct conn_case {
	const char *label;
	const char *cert;	/* Dovecot serves: good wronghost selfsigned */
	const char *settings;	/* {IMAP}, {IMAPS}: ports; {DIR}: test dir */
	int wrong_password;
	int want;		/* poll_once */
	const char *want_err;	/* in the error, or NULL */
	const char *want_log;	/* in the log, or NULL */
} conn_cases[] = {
	{ "implicit TLS, test CA", "good",
	    "host = \"localhost\"; port = {IMAPS}; tls = \"implicit\"; "
	    "ca_file = \"{DIR}/tls/ca.pem\";", 0, LG_OK, NULL, "connected" },
	{ "STARTTLS, test CA", "good",
	    "host = \"localhost\"; port = {IMAP}; tls = \"starttls\"; "
	    "ca_file = \"{DIR}/tls/ca.pem\";", 0, LG_OK, NULL, "connected" },
	{ "IP address against the IP SAN", "good",
	    "host = \"127.0.0.1\"; port = {IMAPS}; tls = \"implicit\"; "
	    "ca_file = \"{DIR}/tls/ca.pem\";", 0, LG_OK, NULL, NULL },
	{ "AUTHENTICATE PLAIN", "good",
	    "host = \"localhost\"; port = {IMAPS}; auth = \"plain\"; "
	    "ca_file = \"{DIR}/tls/ca.pem\";", 0, LG_OK, NULL, NULL },
	{ "tls none on 127.0.0.1 is logged", "good",
	    "host = \"127.0.0.1\"; port = {IMAP}; tls = \"none\";", 0, LG_OK,
	    NULL, "without encryption" },
	{ "wrong password: LOGIN refused", "good",
	    "host = \"localhost\"; port = {IMAPS}; "
	    "ca_file = \"{DIR}/tls/ca.pem\";",
	    1, LG_EPERM, "LOGIN as", NULL },
	{ "wrong password: AUTHENTICATE PLAIN refused", "good",
	    "host = \"localhost\"; port = {IMAPS}; auth = \"plain\"; "
	    "ca_file = \"{DIR}/tls/ca.pem\";", 1, LG_EPERM,
	    "AUTHENTICATE PLAIN", NULL },
	{ "system store does not know the test CA", "good",
	    "host = \"localhost\"; port = {IMAPS};", 0, LG_EPERM,
	    "issuer is unknown", NULL },
	{ "wrong host name refused (implicit)", "wronghost",
	    "host = \"localhost\"; port = {IMAPS}; "
	    "ca_file = \"{DIR}/tls/ca.pem\";",
	    0, LG_EPERM, "does not match", NULL },
	{ "wrong host name refused (STARTTLS)", "wronghost",
	    "host = \"localhost\"; port = {IMAP}; tls = \"starttls\"; "
	    "ca_file = \"{DIR}/tls/ca.pem\";", 0, LG_EPERM, "does not match",
	    NULL },
	{ "self-signed refused", "selfsigned",
	    "host = \"localhost\"; port = {IMAPS}; "
	    "ca_file = \"{DIR}/tls/ca.pem\";",
	    0, LG_EPERM, "NOT trusted", NULL },
	{ "tls_verify = false connects and warns", "selfsigned",
	    "host = \"localhost\"; port = {IMAPS}; tls_verify = false;", 0,
	    LG_OK, NULL, "NOT verified" },
};

/* The table's settings with {IMAP}, {IMAPS} and {DIR} filled in. */
static void
expand(char *out, size_t len, const char *tmpl)
{
	static const char *const names[] = { "{IMAP}", "{IMAPS}", "{DIR}" };
	char vals[3][1100];
	size_t i, n = 0, k;

	snprintf(vals[0], sizeof(vals[0]), "%d", dove.imap_port);
	snprintf(vals[1], sizeof(vals[1]), "%d", dove.imaps_port);
	snprintf(vals[2], sizeof(vals[2]), "%s", dir);
	while (*tmpl && n + 1 < len) {
		for (i = 0; i < 3; i++) {
			k = strlen(names[i]);
			if (strncmp(tmpl, names[i], k) == 0)
				break;
		}
		if (i == 3) {
			out[n++] = *tmpl++;
			continue;
		}
		n += (size_t)snprintf(out + n, len - n, "%s", vals[i]);
		tmpl += strlen(names[i]);
	}
	out[n < len ? n : len - 1] = '\0';
}

static void
use_cert(const char *cert)
{
	static char current[32] = "good";

	if (strcmp(current, cert) == 0)
		return;
	if (tdove_sh(&dove, NULL, 0, "dove_use_cert \"$D\" %s $OWNER", cert)
	    != 0)
		printf("# dove_use_cert %s failed\n", cert);
	snprintf(current, sizeof(current), "%s", cert);
}

static void
run_conn_case(const struct conn_case *k)
{
	char user[32], pw[64], settings[2048];
	struct tconn t;
	struct err e;
	int rc;

	use_cert(k->cert);
	new_user(user, sizeof(user));
	if (k->wrong_password)
		snprintf(pw, sizeof(pw), "Wr0ng-%s-pass", user);
	else
		tdove_password(user, pw, sizeof(pw));
	expand(settings, sizeof(settings), k->settings);
	save(user, "INBOX", fixture("mail/01-immoscout.eml"));
	if ((rc = tconn_open(&t, user, pw, settings, &e)) != LG_OK) {
		T_INT(rc, LG_OK, "%s: connector created (%s)", k->label, e.msg);
		return;
	}
	rc = tconn_poll(&t, 0, &e);
	T_INT(rc, k->want, "%s: poll result (%s)", k->label, e.msg);
	if (k->want == LG_OK) {
		T_INT(t.sink.created, 1, "%s: the message arrived", k->label);
		T_INT(count_flagged(user, "INBOX"), 1, "%s: and is marked done",
		    k->label);
	} else {
		T_INT(t.sink.calls, 0, "%s: nothing handed over", k->label);
	}
	if (k->want_err)
		T_OK(strstr(e.msg, k->want_err) != NULL, "%s: error says '%s'",
		    k->label, k->want_err);
	if (k->want_log)
		T_OK(logged(k->want_log), "%s: log says '%s'", k->label,
		    k->want_log);
	T_OK(strstr(e.msg, pw) == NULL && !logged(pw),
	    "%s: the password is in no error and no log line", k->label);
	tconn_close(&t);
}

/* ---------------------------------------------------------------- */

static int
open_with(struct tconn *t, const char *user, const char *settings)
{
	char pw[64];
	struct err e;
	int rc;

	tdove_password(user, pw, sizeof(pw));
	err_clear(&e);
	rc = tconn_open(t, user, pw, settings, &e);
	T_INT(rc, LG_OK, "%s: connector created (%s)", user, e.msg);
	return rc;
}

static int
open_default(struct tconn *t, const char *user, const char *extra)
{
	char settings[2048];

	return open_with(t, user, tls_settings(settings, sizeof(settings),
	    extra));
}

static void
case_deliver(void)
{
	char user[32], *want;
	struct tconn t;
	struct err e;

	new_user(user, sizeof(user));
	save_fixtures(user, "INBOX");
	if (open_default(&t, user, "") != LG_OK)
		return;
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "deliver: first poll");
	T_INT(t.sink.calls, 3, "deliver: three handed over");
	T_INT(t.sink.created, 3, "deliver: three inquiries");
	want = t_slurp(fixture("deliver.want"), NULL);
	T_STR(buf_str(&t.sink.trace), want ? want : "(missing)",
	    "deliver: folder, UID and key of each (tests/data/imap/"
	    "deliver.want)");
	free(want);
	T_INT(count_flagged(user, "INBOX"), 3, "deliver: all marked done");
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "deliver: second poll");
	T_INT(t.sink.calls, 3, "deliver: nothing handed over again");
	T_INT(tsink_handled_rows(&t.sink), 0,
	    "deliver: no handled UIDs left in the store");
	tconn_close(&t);
}

/*
 * The ways a handled message is marked done. Whatever the way, an agent
 * reading the same inbox keeps what they read as read and what they did
 * not as unread, unless seen = true, and what leadgate takes never
 * depends on \Seen.
 */
static const struct done_case {
	const char *name;
	const char *settings;
	const char *folder;	/* where handled messages are afterwards */
	const char *flag;	/* the flag that marks them, or NULL (moved) */
	int seen;		/* leadgate sets \Seen on them */
} done_cases[] = {
	{ "keyword (default)", "", "INBOX", "$LeadgateDone", 0 },
	{ "keyword and seen", "done = { keyword = \"$Handled\"; seen = true; "
	    "};", "INBOX", "$Handled", 1 },
	{ "seen", "done = { seen = true; };", "INBOX", "\\Seen", 1 },
	{ "move", "done = { move_to = \"Erledigt\"; };", "Erledigt", NULL,
	    0 },
	{ "move and seen", "done = { move_to = \"Erledigt\"; seen = true; };",
	    "Erledigt", NULL, 1 },
};

/* Messages marked done as k says (moved: all of the done folder). */
static int
count_done(const char *user, const struct done_case *k)
{
	return k->flag ? count_flag(user, k->folder, k->flag) :
	    count_messages(user, k->folder);
}

/* An agent (another mail client) sets or clears \Seen on all of them. */
static void
agent_seen(const char *user, const char *folder, const char *how)
{
	tdove_sh(&dove, NULL, 0, "dove_adm \"$D\" flags %s -u '%s' '\\Seen' "
	    "mailbox '%s' all", how, user, folder);
}

static void
run_done_case(const struct done_case *k)
{
	char user[32], name[64];
	struct tconn t;
	struct err e;

	new_user(user, sizeof(user));
	tdove_sh(&dove, NULL, 0, "dove_mkbox \"$D\" '%s' Erledigt", user);
	save_fixtures(user, "INBOX");
	/* An agent has read the second inquiry before leadgate polls. */
	tdove_sh(&dove, NULL, 0, "dove_adm \"$D\" flags add -u '%s' "
	    "'\\Seen' mailbox INBOX uid 2", user);
	if (open_default(&t, user, k->settings) != LG_OK)
		return;
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "done %s: poll", k->name);
	T_INT(t.sink.created, 3, "done %s: three inquiries, the one already "
	    "read included", k->name);
	T_INT(count_done(user, k), 3, "done %s: all three marked done in %s",
	    k->name, k->folder);
	if (strcmp(k->folder, "INBOX") != 0)
		T_INT(count_messages(user, "INBOX"), 0, "done %s: none left in "
		    "INBOX", k->name);
	if (k->seen)
		T_INT(count_flag(user, k->folder, "\\Seen"), 3, "done %s: all "
		    "three \\Seen", k->name);
	else
		T_INT(count_flag(user, k->folder, "\\Seen"), 1, "done %s: "
		    "unread, but for the one the agent had read", k->name);
	if (k->flag == NULL || strcmp(k->flag, "$LeadgateDone") != 0)
		T_INT(count_flagged(user, k->folder), 0, "done %s: no default "
		    "keyword set", k->name);
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "done %s: second poll", k->name);
	T_INT(t.sink.calls, 3, "done %s: nothing taken twice", k->name);
	agent_seen(user, k->folder, "remove");
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "done %s: poll after the agent "
	    "marked all unread", k->name);
	T_INT(t.sink.calls, 3, "done %s: still nothing taken twice", k->name);
	agent_seen(user, k->folder, "add");
	snprintf(name, sizeof(name), "fourth-%s", user);
	save(user, "INBOX", big_message(name, 200));
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "done %s: poll after the agent "
	    "read all and a new message came", k->name);
	T_INT(t.sink.calls, 4, "done %s: only the new message taken", k->name);
	T_INT(count_done(user, k), 4, "done %s: and marked done", k->name);
	T_INT(count_flag(user, k->folder, "\\Seen"), k->seen ? 4 : 3,
	    "done %s: the new one %s", k->name, k->seen ? "\\Seen" :
	    "unread");
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "done %s: last poll", k->name);
	T_INT(t.sink.calls, 4, "done %s: nothing taken again", k->name);
	T_INT(tsink_handled_rows(&t.sink), 0, "done %s: no handled UIDs left "
	    "in the store", k->name);
	tconn_close(&t);
}

/*
 * The sink dies (SIGKILL) after committing the second inquiry, before
 * answering: nothing is marked done yet; after a restart the two
 * committed come back as duplicates, the third is new, all get marked.
 */
static void
run_crash_case(const struct done_case *k)
{
	char user[32];
	struct tconn t;
	struct err e;
	pid_t pid;
	int st = 0;

	new_user(user, sizeof(user));
	tdove_sh(&dove, NULL, 0, "dove_mkbox \"$D\" '%s' Erledigt", user);
	save_fixtures(user, "INBOX");
	fflush(NULL);
	if ((pid = fork()) == 0) {
		if (open_default(&t, user, k->settings) != LG_OK)
			_exit(3);
		t.sink.kill_at = 2;
		tconn_poll(&t, 0, &e);
		_exit(4);	/* not reached: the sink kills us */
	}
	waitpid(pid, &st, 0);
	T_OK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	    "crash %s: the poller died of SIGKILL inside the sink", k->name);
	T_INT(count_done(user, k), 0, "crash %s: nothing marked done before "
	    "the batch ended", k->name);
	T_INT(count_flag(user, "INBOX", "\\Seen"), 0, "crash %s: nothing "
	    "\\Seen", k->name);
	if (open_default(&t, user, k->settings) != LG_OK)
		return;
	T_INT(tsink_rows(&t.sink), 2, "crash %s: two inquiries committed",
	    k->name);
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "crash %s: poll after restart",
	    k->name);
	T_INT(t.sink.duplicates, 2, "crash %s: the two committed come back as "
	    "duplicates", k->name);
	T_INT(t.sink.created, 1, "crash %s: the third is new", k->name);
	T_INT(tsink_rows(&t.sink), 3, "crash %s: three inquiries, no more",
	    k->name);
	T_INT(count_done(user, k), 3, "crash %s: all marked done now",
	    k->name);
	T_INT(count_flag(user, k->folder, "\\Seen"), k->seen ? 3 : 0,
	    "crash %s: %s", k->name, k->seen ? "all \\Seen" : "all unread");
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "crash %s: next poll", k->name);
	T_INT(t.sink.calls, 3, "crash %s: nothing taken twice", k->name);
	tconn_close(&t);
}

static void
case_done(void)
{
	size_t i;

	for (i = 0; i < sizeof(done_cases) / sizeof(done_cases[0]); i++)
		run_done_case(&done_cases[i]);
}

static void
case_crash(void)
{
	size_t i;

	for (i = 0; i < sizeof(done_cases) / sizeof(done_cases[0]); i++)
		run_crash_case(&done_cases[i]);
}

/*
 * Done by \Seen alone, the sink says "later" for the second message: the
 * UID mark stops before it, and the next poll starts there.
 */
static void
case_seen_busy(void)
{
	char user[32];
	struct tconn t;
	struct err e;

	new_user(user, sizeof(user));
	save_fixtures(user, "INBOX");
	if (open_default(&t, user, "done = { seen = true; };") != LG_OK)
		return;
	t.sink.etemp_at = 2;
	T_INT(tconn_poll(&t, 0, &e), LG_ETEMP, "seen, sink busy: poll stops");
	T_INT(count_flag(user, "INBOX", "\\Seen"), 1, "seen, sink busy: only "
	    "the first marked done");
	t.sink.etemp_at = 0;
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "seen, sink busy: next poll");
	T_INT(t.sink.calls, 4, "seen, sink busy: the first not offered again");
	T_INT(t.sink.created, 3, "seen, sink busy: all three arrive");
	T_INT(t.sink.duplicates, 0, "seen, sink busy: none twice");
	T_INT(count_flag(user, "INBOX", "\\Seen"), 3, "seen, sink busy: all "
	    "marked done");
	tconn_close(&t);
}

/* The connection drops when the client sends the STORE that marks done. */
static void
case_cut_store(void)
{
	char user[32], extra[256];
	struct tproxy px;
	struct tconn t;
	struct err e;

	new_user(user, sizeof(user));
	save_fixtures(user, "INBOX");
	if (tproxy_start(&px, dir, dove.imap_port, "--cut-on-client",
	    "UID STORE") != 0) {
		T_OK(0, "cut at STORE: proxy started");
		return;
	}
	snprintf(extra, sizeof(extra), "host = \"127.0.0.1\"; port = %d; "
	    "tls = \"none\"; timeout = 10;", px.port);
	if (open_with(&t, user, extra) == LG_OK) {
		T_INT(tconn_poll(&t, 0, &e), LG_ETEMP, "cut at STORE: poll "
		    "fails for now");
		T_OK(strstr(e.msg, "UID STORE") != NULL, "cut at STORE: the "
		    "error names the command (%s)", e.msg);
		T_INT(t.sink.created, 3, "cut at STORE: three committed");
		T_INT(tsink_handled_rows(&t.sink), 3, "cut at STORE: and "
		    "recorded as handled");
		T_INT(count_flagged(user, "INBOX"), 0, "cut at STORE: none "
		    "marked on the server");
		T_INT(tconn_poll(&t, 0, &e), LG_OK, "cut at STORE: next poll");
		T_INT(t.sink.calls, 3, "cut at STORE: nothing handed over "
		    "twice");
		T_INT(count_flagged(user, "INBOX"), 3, "cut at STORE: all "
		    "marked done now");
		T_INT(tconn_poll(&t, 0, &e), LG_OK, "cut at STORE: third poll");
		T_INT(tsink_handled_rows(&t.sink), 0, "cut at STORE: the "
		    "handled set is emptied");
		tconn_close(&t);
	}
	tproxy_stop(&px);
}

/* The connection drops in the middle of a message literal. */
static void
case_cut_fetch(void)
{
	char user[32], extra[256];
	struct tproxy px;
	struct tconn t;
	struct err e;

	new_user(user, sizeof(user));
	save(user, "INBOX", fixture("mail/01-immoscout.eml"));
	save(user, "INBOX", big_message("cut-fetch", 400000));
	if (tproxy_start(&px, dir, dove.imap_port, "--cut-server-bytes",
	    "200000") != 0) {
		T_OK(0, "cut in FETCH: proxy started");
		return;
	}
	snprintf(extra, sizeof(extra), "host = \"127.0.0.1\"; port = %d; "
	    "tls = \"none\"; timeout = 10;", px.port);
	if (open_with(&t, user, extra) == LG_OK) {
		T_INT(tconn_poll(&t, 0, &e), LG_ETEMP, "cut in FETCH: poll "
		    "fails for now");
		T_OK(strstr(e.msg, "UID FETCH") && strstr(e.msg, "127.0.0.1:"),
		    "cut in FETCH: the error names host and command (%s)",
		    e.msg);
		T_INT(t.sink.calls, 0, "cut in FETCH: nothing half-read "
		    "handed over");
		T_INT(count_flagged(user, "INBOX"), 0, "cut in FETCH: nothing "
		    "marked");
		T_INT(tconn_poll(&t, 0, &e), LG_OK, "cut in FETCH: next poll "
		    "reconnects");
		T_INT(t.sink.created, 2, "cut in FETCH: both arrive");
		T_INT(t.sink.duplicates, 0, "cut in FETCH: no duplicate");
		T_INT(count_flagged(user, "INBOX"), 2, "cut in FETCH: both "
		    "marked done");
		tconn_close(&t);
	}
	tproxy_stop(&px);
}

/* A server that stops answering: the read timeout ends the wait. */
static void
case_stall(void)
{
	char user[32], extra[256];
	struct tproxy px;
	struct tconn t;
	struct err e;

	new_user(user, sizeof(user));
	save(user, "INBOX", fixture("mail/01-immoscout.eml"));
	if (tproxy_start(&px, dir, dove.imap_port, "--stall-server-bytes",
	    "0") != 0) {
		T_OK(0, "stalled server: proxy started");
		return;
	}
	snprintf(extra, sizeof(extra), "host = \"127.0.0.1\"; port = %d; "
	    "tls = \"none\"; timeout = 2;", px.port);
	if (open_with(&t, user, extra) == LG_OK) {
		T_INT(tconn_poll(&t, 0, &e), LG_ETEMP, "stalled server: poll "
		    "gives up");
		T_OK(strstr(e.msg, "timed out") != NULL, "stalled server: the "
		    "error says so (%s)", e.msg);
		T_OK(t.c->ops->interval(t.c->conn) <= 2, "stalled server: "
		    "first retry after the shortest backoff");
		T_INT(tconn_poll(&t, 0, &e), LG_OK, "stalled server: next poll "
		    "works");
		T_INT(t.sink.created, 1, "stalled server: the message arrives");
		T_INT(t.c->ops->interval(t.c->conn), 60, "stalled server: "
		    "backoff reset after a good poll");
		tconn_close(&t);
	}
	tproxy_stop(&px);
}

static void
case_uidvalidity(void)
{
	char user[32], out[64];
	struct tconn t;
	struct err e;
	uint32_t v = 0;

	new_user(user, sizeof(user));
	save_fixtures(user, "INBOX");
	if (open_default(&t, user, "") != LG_OK)
		return;
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "UIDVALIDITY: first poll");
	/* A restored folder: new UIDVALIDITY, and the done marks lost. */
	tdove_sh(&dove, NULL, 0, "dove_uidvalidity \"$D\" '%s' INBOX 4242 && "
	    "dove_adm \"$D\" flags remove -u '%s' '$LeadgateDone \\Seen' "
	    "mailbox INBOX all", user, user);
	tdove_sh(&dove, out, sizeof(out), "dove_uidvalidity \"$D\" '%s' INBOX",
	    user);
	T_STR(out, "4242", "UIDVALIDITY: changed on the server");
	T_INT(count_flagged(user, "INBOX"), 0, "UIDVALIDITY: marks removed");
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "UIDVALIDITY: poll after the "
	    "change");
	T_OK(logged("UIDVALIDITY changed"), "UIDVALIDITY: the change is "
	    "logged");
	T_INT(t.sink.calls, 6, "UIDVALIDITY: the three are checked again");
	T_INT(t.sink.duplicates, 3, "UIDVALIDITY: and known by Message-ID or "
	    "hash");
	T_INT(tsink_rows(&t.sink), 3, "UIDVALIDITY: no inquiry twice");
	T_INT(count_flagged(user, "INBOX"), 3, "UIDVALIDITY: marked done "
	    "again");
	store_mailbox_uidvalidity_get(t.sink.st, user, "INBOX", &v, &e);
	T_INT(v, 4242, "UIDVALIDITY: the store follows");
	tconn_close(&t);
}

static void
case_dry_run(void)
{
	char user[32];
	struct tconn t;
	struct err e;
	uint32_t v;

	new_user(user, sizeof(user));
	save_fixtures(user, "INBOX");
	if (open_default(&t, user, "") != LG_OK)
		return;
	T_INT(tconn_poll(&t, 1, &e), LG_OK, "dry run: poll");
	T_INT(t.sink.calls, 3, "dry run: all handed over");
	T_INT(count_flagged(user, "INBOX"), 0, "dry run: nothing marked");
	T_INT(count_flag(user, "INBOX", "\\Seen"), 0, "dry run: nothing "
	    "\\Seen");
	T_INT(store_mailbox_uidvalidity_get(t.sink.st, user, "INBOX", &v, &e),
	    LG_ENOENT, "dry run: no folder state written");
	T_INT(tsink_handled_rows(&t.sink), 0, "dry run: no UIDs recorded");
	tconn_close(&t);
}

static void
case_folders(void)
{
	char user[32];
	struct tconn t;
	struct err e;
	const char *want = "INBOX 1 <20260105091244.4711.anfrage@"
	    "immobilienscout24.de>\n"
	    "K\xc3\xa4ufer.Anfragen 1 <lead-98765-20260107@"
	    "autoscout24.example>\n";

	new_user(user, sizeof(user));
	tdove_sh(&dove, NULL, 0, "dove_mkbox \"$D\" '%s' 'K\xc3\xa4ufer."
	    "Anfragen'", user);
	save(user, "INBOX", fixture("mail/01-immoscout.eml"));
	save(user, "K\xc3\xa4ufer.Anfragen", fixture("mail/03-autoscout.eml"));
	if (open_default(&t, user, "folders = [ \"INBOX\", "
	    "\"K\xc3\xa4ufer.Anfragen\" ];") != LG_OK)
		return;
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "two folders: poll");
	T_STR(buf_str(&t.sink.trace), want, "two folders: one from each, "
	    "non-ASCII name included");
	T_INT(count_flagged(user, "K\xc3\xa4ufer.Anfragen"), 1,
	    "two folders: marked in the second folder too");
	tconn_close(&t);
}

static void
case_missing_folder(void)
{
	char user[32];
	struct tconn t;
	struct err e;

	new_user(user, sizeof(user));
	save(user, "INBOX", fixture("mail/01-immoscout.eml"));
	if (open_default(&t, user, "folders = [ \"Nope\", \"INBOX\" ];") !=
	    LG_OK)
		return;
	T_INT(tconn_poll(&t, 0, &e), LG_EPERM, "missing folder: poll refused");
	T_OK(strstr(e.msg, "SELECT Nope refused") != NULL, "missing folder: "
	    "the error names it (%s)", e.msg);
	T_INT(t.sink.created, 1, "missing folder: the other folder is "
	    "still polled");
	tconn_close(&t);
}

static void
case_too_big(void)
{
	char user[32];
	struct tconn t;
	struct err e;

	new_user(user, sizeof(user));
	save(user, "INBOX", big_message("too-big", 20000));
	if (open_default(&t, user, "max_size = 2048;") != LG_OK)
		return;
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "too big: poll");
	T_INT(t.sink.truncated, 1, "too big: handed over marked truncated");
	T_INT(t.sink.last_len, 2049, "too big: only max_size + 1 bytes read");
	T_INT(count_flagged(user, "INBOX"), 1, "too big: marked done once the "
	    "sink took it");
	tconn_close(&t);
}

/* The sink says "later" for the second message. */
static void
case_sink_busy(void)
{
	char user[32];
	struct tconn t;
	struct err e;

	new_user(user, sizeof(user));
	save_fixtures(user, "INBOX");
	if (open_default(&t, user, "") != LG_OK)
		return;
	t.sink.etemp_at = 2;
	T_INT(tconn_poll(&t, 0, &e), LG_ETEMP, "sink busy: poll stops");
	T_OK(strstr(e.msg, "not handled now") != NULL, "sink busy: the error "
	    "says what (%s)", e.msg);
	T_INT(t.sink.calls, 2, "sink busy: nothing offered after the refusal");
	T_INT(count_flagged(user, "INBOX"), 1, "sink busy: only the first "
	    "marked done");
	t.sink.etemp_at = 0;
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "sink busy: next poll");
	T_INT(t.sink.created, 3, "sink busy: all three arrive");
	T_INT(t.sink.duplicates, 0, "sink busy: none twice");
	T_INT(count_flagged(user, "INBOX"), 3, "sink busy: all marked done");
	tconn_close(&t);
}

static void
case_kick(void)
{
	char user[32];
	struct tconn t;
	struct err e;

	new_user(user, sizeof(user));
	if (open_default(&t, user, "") != LG_OK)
		return;
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "kicked: first poll");
	T_INT(tdove_sh(&dove, NULL, 0, "dove_kick \"$D\" '%s'", user), 0,
	    "kicked: the server drops the session");
	save(user, "INBOX", fixture("mail/02-website.eml"));
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "kicked: next poll reconnects");
	T_OK(logged("reconnecting"), "kicked: the reconnect is logged");
	T_INT(t.sink.created, 1, "kicked: the new message arrives");
	tconn_close(&t);
}

static int
tconn_wait(struct tconn *t, int ms, volatile sig_atomic_t *stop,
    struct err *e)
{
	int rc;

	err_clear(e);
	cap_begin();
	rc = t->c->ops->wait(t->c->conn, ms, stop, e);
	cap_end();
	return rc;
}

static void
case_idle(void)
{
	static volatile sig_atomic_t stop;
	char user[32];
	struct tconn t;
	struct err e;
	pid_t pid;

	new_user(user, sizeof(user));
	if (open_default(&t, user, "") != LG_OK)
		return;
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "IDLE: first poll, empty");
	fflush(NULL);
	if ((pid = fork()) == 0) {
		sleep(1);
		save(user, "INBOX", fixture("mail/03-autoscout.eml"));
		_exit(0);
	}
	/* Bounded: a missed wake-up ends at the deadline and fails below. */
	T_INT(tconn_wait(&t, 120000, &stop, &e), LG_OK, "IDLE: wait (%s)",
	    e.msg);
	waitpid(pid, NULL, 0);
	T_OK(logged("IDLE ended: new mail"), "IDLE: woken by the new message");
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "IDLE: poll after the wake-up");
	T_INT(t.sink.created, 1, "IDLE: the message arrives");
	stop = 1;
	T_INT(tconn_wait(&t, 120000, &stop, &e), LG_OK, "IDLE: wait with stop "
	    "set");
	T_OK(logged("stop requested"), "IDLE: returns for stop");
	tconn_close(&t);
	new_user(user, sizeof(user));
	if (open_default(&t, user, "idle = false;") != LG_OK)
		return;
	T_INT(tconn_poll(&t, 0, &e), LG_OK, "no IDLE: poll");
	T_INT(tconn_wait(&t, 1000, &stop, &e), LG_ENOENT, "no IDLE: wait "
	    "declines (%s)", e.msg);
	T_INT(t.c->ops->interval(t.c->conn), 60, "no IDLE: poll every "
	    "interval");
	tconn_close(&t);
}

/*
 * A server without MOVE and IDLE (a second Dovecot that advertises less):
 * done = move_to falls back to COPY, \Deleted and UID EXPUNGE of exactly
 * those UIDs, and wait() declines.
 */
static void
case_no_move(void)
{
	static volatile sig_atomic_t stop;
	/* Not a uN: its database must not be one of an earlier case. */
	char sub[2048], user[32] = "nomove";
	struct tdove saved = dove;
	struct tconn t;
	struct err e;

	snprintf(sub, sizeof(sub), "%s/plain-server", dir);
	if (tdove_start(&dove, sub, user, "imap_capability = IMAP4rev1 "
	    "LITERAL+ SASL-IR ID ENABLE UIDPLUS") != 0) {
		T_OK(0, "no MOVE: second Dovecot started");
		dove = saved;
		return;
	}
	tdove_sh(&dove, NULL, 0, "dove_mkbox \"$D\" %s Erledigt", user);
	save(user, "INBOX", fixture("mail/02-website.eml"));
	/* Someone else's deleted message: a plain EXPUNGE would take it. */
	tdove_sh(&dove, NULL, 0, "dove_adm \"$D\" flags add -u %s "
	    "'\\Deleted' mailbox INBOX all", user);
	save_fixtures(user, "INBOX");
	if (open_default(&t, user, "done = { move_to = \"Erledigt\"; };") ==
	    LG_OK) {
		T_INT(tconn_poll(&t, 0, &e), LG_OK, "no MOVE: poll");
		T_INT(t.sink.created, 3, "no MOVE: the three undeleted arrive");
		T_INT(count_messages(user, "Erledigt"), 3, "no MOVE: copied to "
		    "Erledigt");
		T_INT(count_messages(user, "INBOX"), 1, "no MOVE: only those "
		    "expunged, the other deleted message stays");
		T_INT(tconn_wait(&t, 1000, &stop, &e), LG_ENOENT, "no IDLE: "
		    "wait declines (%s)", e.msg);
		T_OK(strstr(e.msg, "the server lacks it") != NULL, "no IDLE: "
		    "and says why");
		tconn_close(&t);
	}
	tdove_stop(&dove);
	dove = saved;
}

/*
 * A server that keeps no keywords: a second Dovecot whose ACL denies the
 * "w" right, so PERMANENTFLAGS is (\Deleted \Seen) and a STORE of a
 * keyword is answered OK but not kept. Done by keyword is refused before
 * anything is taken, with the way out in the error; done by \Seen works.
 */
static void
case_no_keywords(void)
{
	static const struct {
		const char *user, *settings, *want_err;
	} ks[] = {
		{ "nokw1", "", "does not keep keyword $LeadgateDone" },
		{ "nokw2", "done = { keyword = \"$Handled\"; seen = true; };",
		    "does not keep keyword $Handled" },
		{ "nokw3", "done = { seen = true; };", NULL },
	};
	char sub[2048], acl[2048], extra[4096];
	struct tdove saved = dove;
	struct tconn t;
	struct err e;
	size_t i;

	snprintf(acl, sizeof(acl), "%s/no-keywords.acl", dir);
	write_file(acl, "* user=nokw1 lrstei\n* user=nokw2 lrstei\n"
	    "* user=nokw3 lrstei\n");
	chmod(acl, 0644);
	snprintf(extra, sizeof(extra), "mail_plugins = $mail_plugins acl\n"
	    "plugin {\n  acl = vfile:%s\n}", acl);
	snprintf(sub, sizeof(sub), "%s/acl-server", dir);
	if (tdove_start(&dove, sub, "nokw1 nokw2 nokw3", extra) != 0) {
		T_OK(0, "no keywords: second Dovecot started");
		dove = saved;
		return;
	}
	for (i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		save(ks[i].user, "INBOX", fixture("mail/01-immoscout.eml"));
		if (open_default(&t, ks[i].user, ks[i].settings) != LG_OK)
			continue;
		if (ks[i].want_err != NULL) {
			T_INT(tconn_poll(&t, 0, &e), LG_EPERM, "no keywords, %s: "
			    "poll refused", ks[i].user);
			T_OK(strstr(e.msg, ks[i].want_err) &&
			    strstr(e.msg, "PERMANENTFLAGS") &&
			    strstr(e.msg, "seen = true"), "no keywords, %s: the "
			    "error says why and what to use (%s)", ks[i].user,
			    e.msg);
			T_INT(t.sink.calls, 0, "no keywords, %s: nothing taken",
			    ks[i].user);
			T_INT(count_flag(ks[i].user, "INBOX", "\\Seen"), 0,
			    "no keywords, %s: nothing marked", ks[i].user);
		} else {
			T_INT(tconn_poll(&t, 0, &e), LG_OK, "no keywords, %s: "
			    "done by \\Seen works", ks[i].user);
			T_INT(t.sink.created, 1, "no keywords, %s: the message "
			    "arrives", ks[i].user);
			T_INT(count_flag(ks[i].user, "INBOX", "\\Seen"), 1,
			    "no keywords, %s: marked \\Seen", ks[i].user);
			T_INT(tconn_poll(&t, 0, &e), LG_OK, "no keywords, %s: "
			    "second poll", ks[i].user);
			T_INT(t.sink.calls, 1, "no keywords, %s: nothing taken "
			    "twice", ks[i].user);
		}
		tconn_close(&t);
	}
	tdove_stop(&dove);
	dove = saved;
}

/* The delivery cases; IMAP_CASE=name runs one (or "conn": the table). */
static const struct {
	const char *name;
	void (*run)(void);
} flow_cases[] = {
	{ "deliver", case_deliver },
	{ "crash", case_crash },
	{ "cut_store", case_cut_store },
	{ "cut_fetch", case_cut_fetch },
	{ "stall", case_stall },
	{ "uidvalidity", case_uidvalidity },
	{ "dry_run", case_dry_run },
	{ "folders", case_folders },
	{ "missing_folder", case_missing_folder },
	{ "done", case_done },
	{ "seen_busy", case_seen_busy },
	{ "too_big", case_too_big },
	{ "sink_busy", case_sink_busy },
	{ "kick", case_kick },
	{ "idle", case_idle },
	{ "no_move", case_no_move },
	{ "no_keywords", case_no_keywords },
};

int
main(void)
{
	const char *only = getenv("IMAP_CASE");
	char users[NUSERS * 8] = "";
	size_t i;
	int n;

	signal(SIGPIPE, SIG_IGN);
	log_init("test_imap", LOG_TO_STDERR, LOG_LV_DEBUG);
	dir = t_tmpdir("imap");
	for (n = 1; n <= NUSERS; n++)
		snprintf(users + strlen(users), sizeof(users) - strlen(users),
		    "u%d ", n);
	if (tdove_start(&dove, dir, users, NULL) != 0) {
		T_OK(0, "Dovecot started (see %s/dovecot.log)", dir);
		tdove_stop(&dove);
		return t_done();
	}
	for (i = 0; i < sizeof(flow_cases) / sizeof(flow_cases[0]); i++)
		if (only == NULL || strcmp(only, flow_cases[i].name) == 0)
			flow_cases[i].run();
	for (i = 0; i < sizeof(conn_cases) / sizeof(conn_cases[0]); i++)
		if (only == NULL || strcmp(only, "conn") == 0)
			run_conn_case(&conn_cases[i]);
	tdove_stop(&dove);
	free(lastlog);
	return t_done();
}
