/*
 * The Mustache specification's core modules (tests/data/mustache-spec),
 * run case by case through the real binary:
 *   $LEADGATE template render FILE --data DATA --partials DIR --raw
 * and compared byte for byte with the expected text.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "util/buf.h"
#include "t.h"

#define SPEC_DIR "tests/data/mustache-spec"
#define SPEC_CASES 136

static int spec_passed, spec_total;

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(2);
	}
}

/* Run argv, return its exit status; stdout into out, stderr to errfile. */
static int
run(char *const argv[], struct buf *out, const char *errfile)
{
	int po[2], status;
	char chunk[4096];
	ssize_t n;
	pid_t pid;

	if (pipe(po) != 0)
		return -1;
	if ((pid = fork()) == 0) {
		int fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(po[1], 1);
		if (fd >= 0)
			dup2(fd, 2);
		close(po[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(po[1]);
	while ((n = read(po[0], chunk, sizeof(chunk))) > 0)
		buf_add(out, chunk, (size_t)n);
	close(po[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void
spec_case(const char *dir, const char *module, size_t idx, json_t *c)
{
	const char *name = json_string_value(json_object_get(c, "name"));
	const char *tpl = json_string_value(json_object_get(c, "template"));
	const char *want = json_string_value(json_object_get(c, "expected"));
	json_t *partials = json_object_get(c, "partials"), *v;
	char cdir[1024], file[1100], data[1100], pdir[1100], pfile[1200];
	char errfile[1100], *leadgate = getenv("LEADGATE"), *dump, *err;
	struct buf out = BUF_INIT;
	const char *key;
	void *it;
	int rc;

	snprintf(cdir, sizeof(cdir), "%s/%s-%zu", dir, module, idx);
	snprintf(file, sizeof(file), "%s/template", cdir);
	snprintf(data, sizeof(data), "%s/data.json", cdir);
	snprintf(pdir, sizeof(pdir), "%s/partials", cdir);
	snprintf(errfile, sizeof(errfile), "%s/stderr", cdir);
	if (mkdir(cdir, 0700) != 0 || mkdir(pdir, 0700) != 0)
		exit(2);
	write_file(file, tpl, strlen(tpl));
	dump = json_dumps(json_object_get(c, "data"), JSON_ENCODE_ANY);
	write_file(data, dump, strlen(dump));
	free(dump);
	for (it = json_object_iter(partials); it != NULL;
	    it = json_object_iter_next(partials, it)) {
		key = json_object_iter_key(it);
		v = json_object_iter_value(it);
		snprintf(pfile, sizeof(pfile), "%s/%s", pdir, key);
		write_file(pfile, json_string_value(v),
		    strlen(json_string_value(v)));
	}
	{
		char *argv[] = { leadgate, "template", "render", file,
		    "--data", data, "--partials", pdir, "--raw", NULL };

		rc = run(argv, &out, errfile);
	}
	err = t_slurp(errfile, NULL);
	spec_total++;
	if (rc == 0 && strcmp(buf_str(&out), want) == 0) {
		spec_passed++;
		T_OK(1, "spec %s: %s", module, name);
	} else {
		T_OK(0, "spec %s: %s: exit %d, got [%s], want [%s] %s", module,
		    name, rc, buf_str(&out), want, err ? err : "");
	}
	buf_free(&out);
	free(err);
}

static void
spec_module(const char *dir, const char *file)
{
	char path[1024], module[256];
	json_error_t je;
	json_t *doc, *tests;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s/%s", getenv("TOP"), SPEC_DIR, file);
	snprintf(module, sizeof(module), "%.*s", (int)(strlen(file) - 5), file);
	if ((doc = json_load_file(path, 0, &je)) == NULL) {
		T_OK(0, "spec %s loads: %s:%d: %s", module, path, je.line,
		    je.text);
		return;
	}
	tests = json_object_get(doc, "tests");
	for (i = 0; i < json_array_size(tests); i++)
		spec_case(dir, module, i, json_array_get(tests, i));
	json_decref(doc);
}

static int
spec_is_module(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

int
main(void)
{
	const char *dir = t_tmpdir("mustache-spec");
	struct dirent **ents;
	char path[1024];
	int i, n;

	if (getenv("LEADGATE") == NULL || getenv("TOP") == NULL) {
		T_OK(0, "LEADGATE and TOP are set (run through make test)");
		return t_done();
	}
	snprintf(path, sizeof(path), "%s/%s", getenv("TOP"), SPEC_DIR);
	if ((n = scandir(path, &ents, spec_is_module, alphasort)) < 0) {
		T_OK(0, "%s: %s", path, strerror(errno));
		return t_done();
	}
	for (i = 0; i < n; i++) {
		spec_module(dir, ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	printf("mustache spec: %d/%d passed\n", spec_passed, spec_total);
	T_INT(spec_total, SPEC_CASES, "the spec's core modules have %d cases",
	    SPEC_CASES);
	return t_done();
}
