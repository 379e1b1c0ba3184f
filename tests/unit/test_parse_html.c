/*
 * HTML to text (parse/html.c): every tests/data/parse/html/NAME.html
 * against NAME.txt, and the <meta> charset sniffing.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/html.h"
#include "t.h"

static const struct {
	const char *label;
	const char *html;
	const char *want;	/* NULL: none found */
} metas[] = {
	{ "meta charset", "<meta charset=\"ISO-8859-15\">", "iso-8859-15" },
	{ "http-equiv", "<meta http-equiv=\"Content-Type\" content=\"text/html; "
	    "charset=windows-1252\">", "windows-1252" },
	{ "spaces around =", "<meta charset = 'utf-8'>", "utf-8" },
	{ "none", "<html><body>charset</body></html>", NULL },
	{ "empty value", "<meta charset=\"\">", NULL },
};

static void
fixtures(const char *dir)
{
	struct dirent *d;
	char path[1024], *html, *want, *got;
	size_t len, n = 0;
	DIR *dp = opendir(dir);

	T_OK(dp != NULL, "open %s", dir);
	if (dp == NULL)
		return;
	while ((d = readdir(dp)) != NULL) {
		size_t l = strlen(d->d_name);

		if (l < 6 || strcmp(d->d_name + l - 5, ".html") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		html = t_slurp(path, &len);
		snprintf(path, sizeof(path), "%s/%.*s.txt", dir, (int)(l - 5),
		    d->d_name);
		want = t_slurp(path, NULL);
		T_OK(html && want, "%s: fixture and golden file", d->d_name);
		if (html && want) {
			got = html_to_text(html, len);
			T_STR(got, want, "%s", d->d_name);
			free(got);
		}
		free(html);
		free(want);
		n++;
	}
	closedir(dp);
	T_OK(n >= 5, "found %zu HTML fixtures", n);
}

int
main(void)
{
	const char *top = getenv("TOP");
	char dir[1024], cs[32];
	size_t i;
	int found;

	snprintf(dir, sizeof(dir), "%s/tests/data/parse/html", top ? top : ".");
	fixtures(dir);
	for (i = 0; i < sizeof(metas) / sizeof(metas[0]); i++) {
		found = html_meta_charset(metas[i].html, strlen(metas[i].html),
		    cs, sizeof(cs));
		T_STR(found ? cs : NULL, metas[i].want, "meta: %s",
		    metas[i].label);
	}
	return t_done();
}
