/*
 * spool_message_check() over the fixtures in tests/data/spool/check:
 * NAME.eml is the message, NAME.want the golden answer ("ok" or the
 * exact error).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spool/spool.h"
#include "t.h"

static void
check_one(const char *dir, const char *name)
{
	char path[4096], *msg, *want;
	size_t len, n = strlen(name) - 4;
	struct err e;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((msg = t_slurp(path, &len)) == NULL) {
		T_OK(0, "%s: readable", name);
		return;
	}
	snprintf(path, sizeof(path), "%s/%.*s.want", dir, (int)n, name);
	if ((want = t_slurp(path, NULL)) == NULL) {
		T_OK(0, "%.*s: has a .want file", (int)n, name);
		free(msg);
		return;
	}
	want[strcspn(want, "\n")] = '\0';
	err_clear(&e);
	rc = spool_message_check(msg, len, &e);
	if (strcmp(want, "ok") == 0)
		T_STR(rc == LG_OK ? "ok" : e.msg, "ok", "%.*s", (int)n, name);
	else
		T_STR(rc == LG_EPERM ? e.msg : "(accepted)", want, "%.*s",
		    (int)n, name);
	free(want);
	free(msg);
}

int
main(void)
{
	const char *top = getenv("TOP");
	char dir[4096];
	struct dirent **names;
	int i, n;

	snprintf(dir, sizeof(dir), "%s/tests/data/spool/check",
	    top ? top : ".");
	if ((n = scandir(dir, &names, NULL, alphasort)) < 0) {
		T_OK(0, "fixtures in %s", dir);
		return t_done();
	}
	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 4 && strcmp(names[i]->d_name + len - 4, ".eml") == 0)
			check_one(dir, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	return t_done();
}
