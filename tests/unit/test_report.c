/*
 * The report parser (parse/report.c) on the fixtures of tests/data/reports:
 * for each NAME.eml, NAME.json is what report_to_json() must print (the
 * same as `leadgate parse --json`), NAME.err the reason a malformed report
 * is refused with, NAME.none says it is no report at all. Every report is
 * read again with CRLF line ends, as IMAP hands it over: the same result.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/err.h"
#include "parse/mail.h"
#include "parse/report.h"
#include "t.h"

#define DATA "tests/data/reports"

static char *
crlf(const char *s, size_t len, size_t *outlen)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			buf_addc(&b, '\r');
		buf_addc(&b, s[i]);
	}
	*outlen = b.len;
	return buf_detach(&b);
}

/* The JSON of the report in raw, or "error: REASON", or "none". */
static char *
run(const char *raw, size_t len)
{
	struct report *r;
	struct mail *m;
	struct err e;
	json_t *o;
	char *s;

	err_clear(&e);
	if (mail_parse(raw, len, NULL, &m, &e) != LG_OK)
		return strdup(e.msg);
	if (report_detect(m) == REPORT_NONE) {
		mail_free(m);
		return strdup("none");
	}
	if (report_parse(m, raw, len, &r, &e) != LG_OK) {
		mail_free(m);
		s = malloc(strlen(e.msg) + 8);
		sprintf(s, "error: %s", e.msg);
		return s;
	}
	o = report_to_json(r);
	s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	report_free(r);
	mail_free(m);
	return s;
}

/* The golden result of base, in run()'s terms; NULL when there is none. */
static char *
golden(const char *base)
{
	char path[1024], *s;
	size_t n;

	snprintf(path, sizeof(path), "%s.json", base);
	if ((s = t_slurp(path, &n)) != NULL) {
		while (n > 0 && s[n - 1] == '\n')
			s[--n] = '\0';
		return s;
	}
	snprintf(path, sizeof(path), "%s.err", base);
	if ((s = t_slurp(path, &n)) != NULL) {
		char *want = malloc(n + 8);

		while (n > 0 && s[n - 1] == '\n')
			s[--n] = '\0';
		sprintf(want, "error: %s", s);
		free(s);
		return want;
	}
	snprintf(path, sizeof(path), "%s.none", base);
	if ((s = t_slurp(path, &n)) != NULL) {
		free(s);
		return strdup("none");
	}
	return NULL;
}

static void
fixture(const char *dir, const char *name)
{
	char base[1024], path[1100], *raw, *want, *got, *wide;
	size_t len, wlen;

	snprintf(base, sizeof(base), "%s/%.*s", dir, (int)(strlen(name) - 4),
	    name);
	snprintf(path, sizeof(path), "%s.eml", base);
	if ((raw = t_slurp(path, &len)) == NULL) {
		T_OK(0, "%s: readable", name);
		return;
	}
	if ((want = golden(base)) == NULL) {
		T_OK(0, "%s: has a golden file (.json, .err or .none)", name);
		free(raw);
		return;
	}
	got = run(raw, len);
	T_STR(got, want, "%s", name);
	free(got);
	wide = crlf(raw, len, &wlen);
	got = run(wide, wlen);
	T_STR(got, want, "%s with CRLF line ends", name);
	free(got);
	free(wide);
	free(want);
	free(raw);
}

/* Verdicts and names, and a report looked for in an ordinary mail. */
static void
names(void)
{
	static const char plain[] = "From: a@example.com\n"
	    "Subject: Hallo\nMessage-ID: <x@example.com>\n\nHallo\n";
	struct report *r = (struct report *)1;
	struct mail *m;
	struct err e;

	T_STR(report_type_name(REPORT_DSN), "dsn", "type name dsn");
	T_STR(report_type_name(REPORT_ARF), "arf", "type name arf");
	T_STR(report_type_name(REPORT_BOUNCE), "bounce", "type name bounce");
	T_STR(report_verdict_name(REPORT_HARD), "hard", "verdict name hard");
	T_STR(report_verdict_name(REPORT_COMPLAINT), "complaint",
	    "verdict name complaint");
	err_clear(&e);
	if (mail_parse(plain, sizeof(plain) - 1, NULL, &m, &e) != LG_OK) {
		T_OK(0, "plain mail parsed: %s", e.msg);
		return;
	}
	T_INT(report_parse(m, plain, sizeof(plain) - 1, &r, &e), LG_ENOENT,
	    "report_parse of an ordinary mail: LG_ENOENT");
	T_OK(r == NULL, "... and no report");
	mail_free(m);
	report_free(NULL);
}

int
main(void)
{
	char dir[1024];
	struct dirent **v;
	int i, n, seen = 0;
	size_t len;

	snprintf(dir, sizeof(dir), "%s", t_path(DATA));
	if ((n = scandir(dir, &v, NULL, alphasort)) < 0) {
		T_OK(0, "%s: readable", dir);
		return t_done();
	}
	for (i = 0; i < n; i++) {
		len = strlen(v[i]->d_name);
		if (len > 4 && strcmp(v[i]->d_name + len - 4, ".eml") == 0) {
			fixture(dir, v[i]->d_name);
			seen++;
		}
		free(v[i]);
	}
	free(v);
	T_OK(seen >= 10, "%d fixtures", seen);
	names();
	return t_done();
}
