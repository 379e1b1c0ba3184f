/*
 * leadgate parse [--json] [--data DIR] FILE...: what the extractors make
 * of mails, or what a bounce or complaint report says, with no side
 * effects (no store; a configuration only for where the profiles and the
 * lexicon are). "-" is stdin. Several files are read in one process (the
 * benchmark parses thousands so).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/buf.h"
#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "util/err.h"
#include "core/config.h"
#include "core/view.h"
#include "parse/extract.h"
#include "parse/inquiry.h"
#include "parse/mail.h"
#include "parse/report.h"
#include "parse/parse_data.h"

/* Read at most max + 1 bytes: one more than allowed is enough to refuse. */
static int
slurp(struct cli *c, const char *path, size_t max, struct buf *b)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t n;

	if (f == NULL)
		return cli_fail(c, errno == ENOENT ? EXIT_NOINPUT : EXIT_IOERR,
		    "%s: %s", path, strerror(errno));
	do {
		buf_reserve(b, 65536);
		n = fread(b->data + b->len, 1, 65536, f);
		b->len += n;
	} while (n > 0 && b->len <= max);
	if (ferror(f)) {
		if (f != stdin)
			fclose(f);
		return cli_fail(c, EXIT_IOERR, "%s: read error", path);
	}
	if (f != stdin)
		fclose(f);
	return EXIT_OK;
}

/* "field: value", continuation lines of a message indented. */
static void
print_value(const char *key, const char *v)
{
	printf("%s: ", key);
	for (; *v; v++) {
		putchar(*v);
		if (*v == '\n' && v[1] != '\0' && v[1] != '\n')
			fputs("  ", stdout);
	}
	putchar('\n');
}

static void
print_text(const struct inquiry *q, const struct mail *m)
{
	json_t *o = inquiry_to_json(q), *v;
	const char *key;
	char *s;
	size_t i;

	json_object_foreach(o, key, v) {
		if (json_is_string(v)) {
			print_value(key, json_string_value(v));
		} else if (json_is_array(v)) {
			printf("%s: ", key);
			for (i = 0; i < json_array_size(v); i++)
				printf("%s%s", i ? ", " : "",
				    json_string_value(json_array_get(v, i)));
			putchar('\n');
		} else if (json_is_object(v)) {
			s = json_dumps(v, JSON_COMPACT);
			printf("%s: %s\n", key, s ? s : "");
			free(s);
		}
	}
	if (m != NULL && m->notes)
		print_value("notes", m->notes);
	json_decref(o);
}

/* The label fields whose candidates a field of the inquiry is made of. */
static const struct {
	const char *field;
	const char *labels[4];
} explain_labels[] = {
	{ "salutation", { "salutation", "name" } },
	{ "first_name", { "first_name", "name" } },
	{ "last_name", { "last_name", "name" } },
	{ "company", { "company" } },
	{ "email", { "email" } },
	{ "phones", { "phone" } },
	{ "street", { "street", "address" } },
	{ "postcode", { "postcode", "postcode_city", "address" } },
	{ "city", { "city", "postcode_city", "address" } },
	{ "language", { "language" } },
	{ "message", { "message" } },
	{ "object_ref", { "object_ref" } },
	{ "portal_object_ref", { "portal_object_ref" } },
	{ "portal_ref", { "portal_ref" } },
};

/* Is cand (one value) what the field holds (phones: one of them)? */
static int
explain_taken(json_t *v, const char *cand)
{
	json_t *e;
	size_t i;

	if (v == NULL)
		return 0;
	if (json_is_string(v))
		return strcmp(json_string_value(v), cand) == 0 ||
		    strstr(cand, json_string_value(v)) != NULL;
	json_array_foreach(v, i, e)
		if (strstr(cand, json_string_value(e)) != NULL)
			return 1;
	return 0;
}

static void
explain_list(json_t *v, json_t *list)
{
	const char *val, *where;
	json_t *c;
	size_t i;

	json_array_foreach(list, i, c) {
		val = json_string_value(json_object_get(c, "value"));
		where = json_string_value(json_object_get(c, "where"));
		printf("  %s ", explain_taken(v, val) ? "taken" : "beat ");
		for (; *val; val++) {
			putchar(*val);
			if (*val == '\n')
				fputs("        ", stdout);
		}
		printf("\n        <- %s%s%s\n",
		    json_string_value(json_object_get(c, "from")),
		    where ? " at " : "", where ? where : "");
	}
}

/* parse --explain: each field, its candidates and where they came from. */
static void
print_explain(const struct inquiry *q, json_t *explain)
{
	json_t *o = inquiry_to_json(q), *v, *list;
	const char *key;
	size_t i, k;
	int own;

	print_text(q, NULL);
	printf("\n");
	json_object_foreach(o, key, v) {
		if (json_is_null(v) || json_is_object(v))
			continue;
		printf("%s:\n", key);
		own = 0;
		for (i = 0; i < sizeof(explain_labels) /
		    sizeof(explain_labels[0]); i++)
			if (strcmp(explain_labels[i].field, key) == 0)
				for (k = 0; k < 4 &&
				    explain_labels[i].labels[k] != NULL; k++) {
					explain_list(v, json_object_get(explain,
					    explain_labels[i].labels[k]));
					own |= strcmp(key,
					    explain_labels[i].labels[k]) == 0;
				}
		if (!own && (list = json_object_get(explain, key)) != NULL)
			explain_list(v, list);
	}
	json_object_foreach(explain, key, list)
		if (strncmp(key, "custom:", 7) == 0) {
			printf("custom %s:\n", key + 7);
			explain_list(json_object_get(json_object_get(o, "custom"),
			    key + 7), list);
		}
	json_decref(o);
}

/* A report as "field: value" lines, a recipient's after "recipient:". */
static void
print_report(const struct report *r)
{
	json_t *o = report_to_json(r), *v, *x;
	const char *key, *k2;
	size_t i;

	json_object_foreach(o, key, v) {
		if (json_is_string(v)) {
			print_value(key, json_string_value(v));
		} else if (json_is_array(v) && strcmp(key, "recipients") != 0) {
			for (i = 0; i < json_array_size(v); i++)
				print_value(key, json_string_value(
				    json_array_get(v, i)));
		} else if (json_is_object(v)) {
			json_object_foreach(v, k2, x)
				if (json_is_string(x))
					printf("%s %s: %s\n", key, k2,
					    json_string_value(x));
		}
	}
	json_array_foreach(json_object_get(o, "recipients"), i, v) {
		printf("recipient:\n");
		json_object_foreach(v, k2, x)
			if (json_is_string(x))
				printf("  %s: %s\n", k2, json_string_value(x));
	}
	json_decref(o);
}

/* A bounce or complaint: what it says instead of an inquiry. */
static int
parse_report(struct cli *c, const char *name, const struct mail *m,
    const struct buf *raw, int json)
{
	struct report *r;
	struct err e;

	err_clear(&e);
	if (report_parse(m, buf_str(raw), raw->len, &r, &e) != LG_OK)
		return cli_fail(c, cli_exit_for(e.code), "%s: %s", name, e.msg);
	if (json)
		view_print(report_to_json(r));
	else
		print_report(r);
	report_free(r);
	return EXIT_OK;
}

/* One file: its output, or an error line; the exit status. */
static int
parse_one(struct cli *c, const struct extract_env *env, const char *path,
    int json, int many)
{
	struct mail_limits lim;
	struct buf raw = BUF_INIT;
	struct inquiry *q = NULL;
	struct mail *m = NULL;
	struct err e;
	json_t *o;
	char *s;
	int rc;

	mail_limits_default(&lim);
	if ((rc = slurp(c, path, lim.max_size, &raw)) != EXIT_OK) {
		buf_free(&raw);
		return rc;
	}
	if (raw.len > lim.max_size) {
		buf_free(&raw);
		return cli_fail(c, EXIT_DATAERR, "%s: message of more than %zu "
		    "bytes is over the limit", path, lim.max_size);
	}
	err_clear(&e);
	if (env->explain != NULL)
		json_object_clear(env->explain);
	if (mail_parse(buf_str(&raw), raw.len, &lim, &m, &e) == LG_OK &&
	    report_detect(m) != REPORT_NONE) {
		rc = parse_report(c, path, m, &raw, json);
		mail_free(m);
		buf_free(&raw);
		return rc;
	}
	if (m == NULL || extract_run(env, NULL, m, &q, &e) != LG_OK) {
		buf_free(&raw);
		mail_free(m);
		return cli_fail(c, cli_exit_for(e.code), "%s: %s", path, e.msg);
	}
	if (json && many) {
		o = inquiry_to_json(q);
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		printf("%s\n", s ? s : "null");
		free(s);
		json_decref(o);
	} else if (json) {
		view_print(inquiry_to_json(q));
	} else if (env->explain != NULL) {
		if (many)
			printf("== %s\n", path);
		print_explain(q, env->explain);
	} else {
		if (many)
			printf("== %s\n", path);
		print_text(q, m);
	}
	inquiry_free(q);
	mail_free(m);
	buf_free(&raw);
	return EXIT_OK;
}

int
cmd_parse(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "data", required_argument, NULL, 'd' },
		{ "explain", no_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = NULL;
	struct extract_env env;
	int ch, i, rc, first = EXIT_OK, json = 0, explain = 0;

	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 'j')
			json = 1;
		else if (ch == 'x')
			explain = 1;
		else if (ch == 'd')
			data = optarg;
		else
			return EXIT_USAGE;
	}
	if (optind >= argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if (json && explain)
		return cli_fail(c, EXIT_USAGE, "--explain and --json: one "
		    "or the other");
	memset(&env, 0, sizeof(env));
	if ((rc = cli_parse_data_at(c, data, &env.data)) != EXIT_OK)
		return rc;
	if (explain)
		env.explain = json_object();
	/* With a configuration, the agency's own addresses are known too. */
	if (c->cfg != NULL) {
		env.own_addresses =
		    (const char *const *)c->cfg->mail.own_addresses.v;
		env.own_domains =
		    (const char *const *)c->cfg->mail.own_domains.v;
	}
	for (i = optind; i < argc; i++)
		if ((rc = parse_one(c, &env, argv[i], json,
		    argc - optind > 1)) != EXIT_OK && first == EXIT_OK)
			first = rc;
	json_decref(env.explain);
	return first;
}
