/* portals list */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "core/view.h"
#include "parse/parse_data.h"
#include "parse/profile.h"

#define NCOLS	5

static json_t *
portals_json(const struct parse_data *pd)
{
	json_t *a = json_array(), *o, *l;
	const struct profile *p;
	size_t i, j;

	for (i = 0; (p = parse_data_profile(pd, i)) != NULL; i++) {
		o = json_object();
		json_object_set_new(o, "name", json_string(p->name));
		json_object_set_new(o, "display", json_string(p->display));
		json_object_set_new(o, "kind", json_string(p->kind));
		json_object_set_new(o, "country", *p->country ?
		    json_string(p->country) : json_null());
		l = json_array();
		for (j = 0; j < p->languages.n; j++)
			json_array_append_new(l,
			    json_string(p->languages.v[j]));
		json_object_set_new(o, "languages", l);
		l = json_array();
		for (j = 0; j < p->domains.n; j++)
			json_array_append_new(l, json_string(p->domains.v[j]));
		json_object_set_new(o, "domains", l);
		json_object_set_new(o, "file", json_string(p->path));
		json_array_append_new(a, o);
	}
	return a;
}

/* The row of p: name, display, kind, country ("-": many), languages. */
static void
portals_row(const struct profile *p, char *langs, size_t len,
    const char **col)
{
	size_t j, off = 0;

	langs[0] = '\0';
	for (j = 0; j < p->languages.n && off < len; j++)
		off += (size_t)snprintf(langs + off, len - off, "%s%s",
		    j ? "," : "", p->languages.v[j]);
	col[0] = p->name;
	col[1] = p->display;
	col[2] = p->kind;
	col[3] = *p->country ? p->country : "-";
	col[4] = langs;
}

static void
portals_text(const struct parse_data *pd)
{
	static const char *const head[NCOLS] = { "NAME", "DISPLAY", "KIND",
		"COUNTRY", "LANGUAGES" };
	const struct profile *p;
	const char *col[NCOLS];
	char langs[128];
	size_t i, j, w[NCOLS];

	for (j = 0; j < NCOLS; j++)
		w[j] = strlen(head[j]);
	for (i = 0; (p = parse_data_profile(pd, i)) != NULL; i++) {
		portals_row(p, langs, sizeof(langs), col);
		for (j = 0; j < NCOLS; j++)
			if (strlen(col[j]) > w[j])
				w[j] = strlen(col[j]);
	}
	printf("%-*s  %-*s  %-*s  %-*s  %s\n", (int)w[0], head[0], (int)w[1],
	    head[1], (int)w[2], head[2], (int)w[3], head[3], head[4]);
	for (i = 0; (p = parse_data_profile(pd, i)) != NULL; i++) {
		portals_row(p, langs, sizeof(langs), col);
		printf("%-*s  %-*s  %-*s  %-*s  %s\n", (int)w[0], col[0],
		    (int)w[1], col[1], (int)w[2], col[2], (int)w[3], col[3],
		    col[4]);
	}
}

int
cmd_portals_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "data", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const struct parse_data *pd;
	const char *data = NULL;
	int ch, rc, json = 0;

	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 'j')
			json = 1;
		else if (ch == 'd')
			data = optarg;
		else
			return EXIT_USAGE;
	}
	if (optind != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_parse_data_at(c, data, &pd)) != EXIT_OK)
		return rc;
	if (json)
		view_print(portals_json(pd));
	else
		portals_text(pd);
	return EXIT_OK;
}
