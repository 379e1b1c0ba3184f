/*
 * Command-line plumbing shared by the command files (cmd_*.c): the
 * command table, lazily opened configuration and store, exit codes,
 * and the one-line error convention ("leadgate: WHAT: WHY" on stderr).
 */
#ifndef LG_CLI_H
#define LG_CLI_H

#include <stdio.h>

#include "util/err.h"

/* Exit codes follow sysexits(3) so that mail servers retry what is temporary. */
enum cli_exit {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* generic failure */
	EXIT_USAGE = 64,	/* EX_USAGE */
	EXIT_DATAERR = 65,	/* EX_DATAERR: bad input, refused */
	EXIT_NOINPUT = 66,	/* EX_NOINPUT: no such thing */
	EXIT_SOFTWARE = 70,	/* EX_SOFTWARE: internal error */
	EXIT_CANTCREAT = 73,	/* EX_CANTCREAT */
	EXIT_IOERR = 74,	/* EX_IOERR */
	EXIT_TEMPFAIL = 75,	/* EX_TEMPFAIL: try again later */
	EXIT_CONFIG = 78,	/* EX_CONFIG */
};

struct config;
struct store;
struct pipelines;

/*
 * The output options, taken out of argv by cli_main() before the command
 * runs (see DEVELOPERS.md, "The command line"): --format table|json|csv
 * and its shorthand --json, --limit N, --sort FIELD[,-FIELD]. A command
 * gets each one its usage string names: "--json" alone takes --format
 * json|table (rewritten to --json for the command's own option parser),
 * "--format" takes all three formats, "--limit" and "--sort" those.
 */
enum cli_format {
	CLI_FMT_TABLE,
	CLI_FMT_JSON,
	CLI_FMT_CSV,
	CLI_FMT_HTML,		/* only where the usage says "--format html" */
};
struct cli_output {
	enum cli_format format;
	long limit;		/* 0: all */
	const char *sort;	/* NULL: the command's order */
};

struct cli {
	const char *config_path;	/* -c, else $LEADGATE_CONFIG, else default */
	int config_given;		/* by -c or $LEADGATE_CONFIG */
	const struct cli_cmd *cmd;	/* the running command */
	char cmdname[64];		/* "leads move", for messages */
	struct config *cfg;
	struct store *st;
	struct pipelines *pl;
	struct rules *rules;
	struct parse_data *pd;		/* profiles and lexicon */
	int every_mistake;		/* print each, not only the first */
	struct cli_output out;		/* --format, --limit, --sort */
};

struct cli_cmd {
	const char *name;	/* "leads" */
	const char *sub;	/* "move", or NULL for a single-word command */
	int (*run)(struct cli *, int argc, char **argv);
	const char *usage;	/* arguments after the command words */
	const char *summary;	/* one line for the command list */
	const char *help;	/* more lines for --help, or NULL */
};

struct domain;

/* Print "leadgate: CMD: message" on stderr; returns exit. */
int cli_fail(struct cli *c, int exit, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Same, taking the message and the exit code from an error. */
int cli_fail_err(struct cli *c, const struct err *e);
/*
 * One "leadgate: CMD: mistake" line per mistake of l; with every_mistake
 * (config check) the mistake alone, "FILE:LINE: reason". Returns exit.
 */
int cli_fail_list(struct cli *c, int exit, const struct err_list *l);
int cli_exit_for(int lg_code);
/* The usage line of the running command on out (stdout for --help). */
int cli_usage(struct cli *c, FILE *out, int exit);

/*
 * Lazily load what commands need; on failure they print and return
 * non-zero: the first mistake of a file, or with c->every_mistake each.
 */
int cli_config(struct cli *c, struct config **out);
int cli_store(struct cli *c, struct store **out);
int cli_pipelines(struct cli *c, const struct pipelines **out);
/* The rule file, checked against the pipelines, templates and profiles. */
struct rules;
int cli_rules(struct cli *c, const struct rules **out);
/* The profiles and the lexicon the configuration names. */
struct parse_data;
int cli_parse_data(struct cli *c, const struct parse_data **out);
/*
 * The same for commands that work without a configuration (parse,
 * portals list): DIR/lexicon and DIR/portals/mail when dir is given
 * (--data DIR), else the configuration's when one was given (-c,
 * $LEADGATE_CONFIG), else those of the data directory leadgate was
 * built with (config_data_dir()).
 */
int cli_parse_data_at(struct cli *c, const char *dir,
    const struct parse_data **out);
/* Store and pipelines together, as the domain functions want them. */
int cli_domain(struct cli *c, struct domain *d);

/*
 * Option parsing for commands: getopt_long over argv (argv[0] is the
 * command). Returns the option, -1 at the end, or '?' after printing a
 * usage error.
 */
struct option;
int cli_getopt(struct cli *c, int argc, char **argv, const char *shortopts,
    const struct option *longopts);
/* Parse a positive row id; prints the error and returns -1 when malformed. */
int cli_parse_id(struct cli *c, const char *s, const char *what,
    long long *out);
/* Run fn inside a store transaction; the error (if any) is printed. */
int cli_tx(struct cli *c, int (*fn)(struct cli *, void *, struct err *),
    void *arg);

int cli_main(int argc, char **argv);

#endif
