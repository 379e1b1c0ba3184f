/*
 * user add|passwd|remove|list: the dashboard's users. A password is read
 * from --password-file (its first line) or standard input (asked twice,
 * without echo, on a terminal), never from the command line, and stored
 * as an argon2id hash (util/passwd.h) with the dash.argon2_* parameters.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <jansson.h>

#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "core/config.h"
#include "core/store.h"
#include "core/view.h"
#include "util/passwd.h"
#include "util/secret.h"
#include "util/table.h"
#include "util/xmalloc.h"

struct user_job {
	const char *name;
	const char *role;
	const char *language;
	char *hash;
	enum { JOB_ADD, JOB_PASSWD, JOB_REMOVE } op;
};

static int
role_ok(const char *r)
{
	return strcmp(r, "agent") == 0 || strcmp(r, "admin") == 0;
}

static int
name_ok(const char *n)
{
	size_t len = strlen(n);

	return len >= 1 && len <= 64 && strspn(n, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@") == len;
}

static int
lang_ok(const char *l)
{
	size_t n = strlen(l);

	return n == 0 || (n >= 2 && n <= 3 && strspn(l,
	    "abcdefghijklmnopqrstuvwxyz") == n);
}

/* One line of standard input, without its newline; NULL at EOF. */
static char *
read_line(FILE *in, const char *prompt)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (prompt) {
		fputs(prompt, stderr);
		fflush(stderr);
	}
	if ((n = getline(&line, &cap, in)) < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

static char *
read_tty_line(const char *prompt)
{
	struct termios old, quiet;
	char *line;

	if (tcgetattr(STDIN_FILENO, &old) != 0)
		return read_line(stdin, prompt);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	line = read_line(stdin, prompt);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return line;
}

/* The new password: from file, the terminal (twice) or standard input. */
static int
read_password(struct cli *c, const char *file, char **out)
{
	char *again;
	struct err e;

	*out = NULL;
	if (file) {
		err_clear(&e);
		if (secret_read(file, NULL, out, &e) != LG_OK)
			return cli_fail(c, EXIT_CONFIG, "%s", e.msg);
		return EXIT_OK;
	}
	if (!isatty(STDIN_FILENO)) {
		if ((*out = read_line(stdin, NULL)) == NULL)
			return cli_fail(c, EXIT_USAGE, "no password on "
			    "standard input");
		return EXIT_OK;
	}
	if ((*out = read_tty_line("Password: ")) == NULL)
		return cli_fail(c, EXIT_USAGE, "no password given");
	again = read_tty_line("Again: ");
	if (again == NULL || strcmp(again, *out) != 0) {
		secret_free(again);
		secret_free(*out);
		*out = NULL;
		return cli_fail(c, EXIT_USAGE, "the passwords differ");
	}
	secret_free(again);
	return EXIT_OK;
}

static int
hash_password(struct cli *c, const char *file, char **hash)
{
	struct config *cfg;
	struct passwd_params pp;
	struct err e;
	char *pw;
	int rc;

	if ((rc = cli_config(c, &cfg)) != EXIT_OK ||
	    (rc = read_password(c, file, &pw)) != EXIT_OK)
		return rc;
	pp.t = (unsigned)cfg->dash.argon2_t;
	pp.m = (unsigned)cfg->dash.argon2_m;
	pp.p = (unsigned)cfg->dash.argon2_p;
	err_clear(&e);
	rc = passwd_hash(pw, &pp, hash, &e);
	secret_free(pw);
	return rc == LG_OK ? EXIT_OK : cli_fail_err(c, &e);
}

static int
user_save(struct cli *c, void *arg, struct err *e)
{
	struct user_job *j = arg;

	switch (j->op) {
	case JOB_ADD:
		return store_user_add(c->st, j->name, j->role, j->hash, NULL,
		    e) != LG_OK ? e->code : (j->language ? store_user_update(
		    c->st, j->name, NULL, NULL, j->language, e) : LG_OK);
	case JOB_PASSWD:
		return store_user_update(c->st, j->name, j->hash, j->role,
		    j->language, e);
	case JOB_REMOVE:
		return store_user_remove(c->st, j->name, e);
	}
	return LG_EINTERNAL;
}

static int
user_change(struct cli *c, int argc, char **argv, int add)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "language", required_argument, NULL, 'l' },
		{ "password-file", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL;
	struct user_job j;
	struct store *st;
	int ch, rc;

	memset(&j, 0, sizeof(j));
	j.op = add ? JOB_ADD : JOB_PASSWD;
	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 'r')
			j.role = optarg;
		else if (ch == 'l')
			j.language = optarg;
		else if (ch == 'f')
			file = optarg;
		else
			return EXIT_USAGE;
	}
	if (argc - optind != 1 || (add && j.role == NULL))
		return cli_usage(c, stderr, EXIT_USAGE);
	j.name = argv[optind];
	if (!name_ok(j.name))
		return cli_fail(c, EXIT_DATAERR, "a user name is 1 to 64 "
		    "letters, digits, '-', '_', '.' or '@'");
	if (j.role && !role_ok(j.role))
		return cli_fail(c, EXIT_DATAERR, "the role is agent or admin");
	if (j.language && !lang_ok(j.language))
		return cli_fail(c, EXIT_DATAERR, "the language is a two- or "
		    "three-letter lower-case code, or \"\"");
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	/* passwd with only --role or --language keeps the password. */
	if ((add || file || (j.role == NULL && j.language == NULL)) &&
	    (rc = hash_password(c, file, &j.hash)) != EXIT_OK)
		return rc;
	rc = cli_tx(c, user_save, &j);
	free(j.hash);
	return rc;
}

int
cmd_user_add(struct cli *c, int argc, char **argv)
{
	return user_change(c, argc, argv, 1);
}

int
cmd_user_passwd(struct cli *c, int argc, char **argv)
{
	return user_change(c, argc, argv, 0);
}

int
cmd_user_remove(struct cli *c, int argc, char **argv)
{
	struct user_job j;

	if (cli_getopt(c, argc, argv, "", NULL) != -1)
		return EXIT_USAGE;
	if (argc - optind != 1)
		return cli_usage(c, stderr, EXIT_USAGE);
	memset(&j, 0, sizeof(j));
	j.op = JOB_REMOVE;
	j.name = argv[optind];
	return cli_tx(c, user_save, &j);
}

int
cmd_user_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const head[] = { "NAME", "ROLE", "LANGUAGE",
	    "CREATED" };
	struct user *v = NULL;
	struct store *st;
	struct table *t;
	const char *row[4];
	json_t *arr, *o;
	size_t i, n = 0;
	struct err e;
	int ch, json = 0, rc;

	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch != 'j')
			return EXIT_USAGE;
		json = 1;
	}
	if (argc - optind != 0)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_user_list(st, &v, &n, &e) != LG_OK)
		return cli_fail_err(c, &e);
	if (json) {
		arr = json_array();
		for (i = 0; i < n; i++) {
			o = json_object();
			json_object_set_new(o, "name", json_string(v[i].name));
			json_object_set_new(o, "role", json_string(v[i].role));
			json_object_set_new(o, "language", v[i].language ?
			    json_string(v[i].language) : json_null());
			json_object_set_new(o, "created_at", json_string(
			    v[i].created_at));
			json_array_append_new(arr, o);
		}
		view_print(arr);
	} else {
		t = table_new(4, head);
		for (i = 0; i < n; i++) {
			row[0] = v[i].name;
			row[1] = v[i].role;
			row[2] = v[i].language ? v[i].language : "-";
			row[3] = v[i].created_at;
			table_add(t, row);
		}
		table_print(t, stdout, TABLE_TEXT);
		table_free(t);
	}
	store_users_free(v, n);
	return EXIT_OK;
}
