/* run, status */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "connectors/connector.h"
#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "core/config.h"
#include "core/oauth_conf.h"
#include "gateway/daemon.h"
#include "core/space.h"
#include "core/store.h"
#include "util/clock.h"
#include "util/oauth.h"
#include "util/smtpfail.h"
#include "util/table.h"
#include "core/view.h"

int
cmd_run(struct cli *c, int argc, char **argv)
{
	struct err e;

	(void)argv;
	if (argc != 1)
		return cli_usage(c, stderr, EXIT_USAGE);
	err_clear(&e);
	if (daemon_run(c->config_path, &e) != LG_OK)
		return cli_fail(c, e.code == LG_ETEMP ? EXIT_TEMPFAIL :
		    EXIT_CONFIG, "%s", e.msg);
	return EXIT_OK;
}

/* The bookkeeping keys a worker writes (gateway/daemon.c); counts are
 * JSON integers, times and errors strings. */
static const struct {
	const char *key;
	int count;
} status_keys[] = {
	{ "last_poll", 0 }, { "last_ok", 0 }, { "last_error", 0 },
	{ "last_error_at", 0 }, { "new_leads", 1 }, { "existing_leads", 1 },
	{ "duplicates", 1 }, { "ignored", 1 }, { "quarantined", 1 },
	/* The connection (connectors that tell, see connector_link). */
	{ "link", 0 }, { "link_since", 0 }, { "lost_at", 0 },
	{ "lost_why", 0 }, { "next_try", 0 },
};

static json_t *
status_value(const char *v, int count)
{
	char *end;
	long long n;

	if (v == NULL)
		return json_null();
	if (count) {
		errno = 0;
		n = strtoll(v, &end, 10);
		if (errno == 0 && end != v && *end == '\0')
			return json_integer(n);
	}
	return json_string(v);
}

static json_t *
status_connector(struct store *st, const struct connector *cn)
{
	json_t *o = json_object();
	char *v;
	size_t i;

	json_object_set_new(o, "name", json_string(cn->name));
	json_object_set_new(o, "type", json_string(cn->ops->type));
	json_object_set_new(o, "holder", json_null());	/* status_leases */
	for (i = 0; i < sizeof(status_keys) / sizeof(status_keys[0]); i++) {
		v = NULL;
		store_state_get(st, cn->name, status_keys[i].key, &v, NULL);
		json_object_set_new(o, status_keys[i].key,
		    status_value(v, status_keys[i].count));
		free(v);
	}
	return o;
}

static long
status_quarantine(struct store *st)
{
	struct quarantine_row *v = NULL;
	size_t n = 0;

	if (store_quarantine_list(st, "held", &v, &n, NULL) != LG_OK)
		return -1;
	store_quarantine_rows_free(v, n);
	return (long)n;
}

static json_t *
status_spool(struct store *st)
{
	long counts[OUT_NSTATES];
	json_t *o = json_object();
	int i;

	if (store_outgoing_counts(st, counts, NULL) != LG_OK)
		return json_null();
	for (i = 0; i < OUT_NSTATES; i++)
		json_object_set_new(o, outgoing_state_name((enum outgoing_state)i),
		    json_integer(counts[i]));
	return o;
}

/* Messages by the class of their failure (util/smtpfail.h). */
static json_t *
status_failures(struct store *st)
{
	long counts[SF_NCLASSES];
	json_t *o = json_object();
	int i;

	if (store_outgoing_class_counts(st, counts, NULL) != LG_OK)
		return json_null();
	for (i = SF_NONE + 1; i < SF_NCLASSES; i++)
		json_object_set_new(o,
		    smtpfail_class_name((enum smtpfail_class)i),
		    json_integer(counts[i]));
	return o;
}

/*
 * Delivery's grant (smtp.oauth) when it needs a new login: what to do,
 * or NULL while it is usable. Never a token: oauth_status() reads none.
 */
static json_t *
status_delivery_login(const struct config *cfg)
{
	struct oauth_status os;
	struct oauth *o = NULL;
	struct err e;
	json_t *j = NULL;
	char why[400];

	if (*cfg->smtp.oauth == '\0')
		return NULL;
	err_clear(&e);
	if (oauth_conf_open(cfg, cfg->smtp.oauth, &o, &e) == LG_OK &&
	    oauth_status(o, &os, &e) == LG_OK && oauth_user_grant(o) &&
	    (!os.have_grant || os.needs_login))
	{
		snprintf(why, sizeof(why), "oauth '%s': %s: re-authorise "
		    "with `leadgate oauth login %s`", cfg->smtp.oauth,
		    os.have_grant ? "the grant was refused" : "no grant yet",
		    cfg->smtp.oauth);
		j = json_pack("{s:s, s:s}", "grant", cfg->smtp.oauth,
		    "why", why);
	}
	oauth_free(o);
	return j;
}

/* A status field as text; buf holds the digits of an integer. */
static const char *
jstr(json_t *o, const char *k, char *buf, size_t sz)
{
	json_t *v = json_object_get(o, k);

	if (json_is_integer(v)) {
		snprintf(buf, sz, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	return json_is_string(v) ? json_string_value(v) : "-";
}

/*
 * "idle since T", "lost since T, next try at T", "reconnecting, lost
 * since T, next try at T", or "-" when the connector does not tell.
 */
static const char *
status_link(json_t *o, char *buf, size_t len)
{
	const char *state = jstr(o, "link", NULL, 0);

	if (strcmp(state, "-") == 0)
		return state;
	if (strcmp(state, "needs-login") == 0)
		snprintf(buf, len, "needs-login: %s", jstr(o, "lost_why",
		    NULL, 0));
	else
	if (strcmp(state, "lost") == 0 || strcmp(state, "reconnecting") == 0)
		snprintf(buf, len, "%s%s since %s, next try at %s",
		    state, strcmp(state, "lost") == 0 ? "" : ", lost",
		    jstr(o, "lost_at", NULL, 0), jstr(o, "next_try", NULL, 0));
	else
		snprintf(buf, len, "%s since %s", state,
		    jstr(o, "link_since", NULL, 0));
	return buf;
}

/*
 * "instance: ID" while this configuration's daemon runs, and a line per
 * lease: "lease NAME: HOLDER until T".
 */
static void
status_text_leases(json_t *st)
{
	json_t *v = json_object_get(st, "instance"), *o;
	size_t i;

	if (json_is_string(v))	/* nothing when no daemon runs */
		printf("instance: %s\n", json_string_value(v));
	json_array_foreach(json_object_get(st, "leases"), i, o)
		printf("lease %s: %s %s %s\n", jstr(o, "name", NULL, 0),
		    jstr(o, "holder", NULL, 0), json_is_true(json_object_get(o,
		    "held")) ? "until" : "expired at", jstr(o, "expires_at",
		    NULL, 0));
}

static void
status_text(json_t *st)
{
	static const char *const head[] = { "CONNECTOR", "TYPE", "LAST POLL",
	    "NEW", "DUP", "QUAR", "LINK", "LAST ERROR" };
	json_t *arr = json_object_get(st, "connectors"), *o, *v;
	const char *k;
	struct table *t = table_new(8, head);
	const char *row[8];
	char nb[3][24], link[200];
	size_t i;
	int n;

	table_keep_whole(t, 6);	/* the times and the next try */
	json_array_foreach(arr, i, o) {
		row[0] = jstr(o, "name", NULL, 0);
		row[1] = jstr(o, "type", NULL, 0);
		row[2] = jstr(o, "last_poll", NULL, 0);
		row[3] = jstr(o, "new_leads", nb[0], sizeof(nb[0]));
		row[4] = jstr(o, "duplicates", nb[1], sizeof(nb[1]));
		row[5] = jstr(o, "quarantined", nb[2], sizeof(nb[2]));
		row[6] = status_link(o, link, sizeof(link));
		row[7] = json_is_string(json_object_get(o, "last_error")) ?
		    jstr(o, "last_error", NULL, 0) : "";
		table_add(t, row);
	}
	table_print(t, stdout, TABLE_TEXT);
	table_free(t);
	status_text_leases(st);
	printf("spool:");
	json_object_foreach(json_object_get(st, "spool"), k, v)
		printf(" %lld %s", (long long)json_integer_value(v), k);
	printf("\nquarantine: %lld held\n", (long long)json_integer_value(
	    json_object_get(st, "quarantine_held")));
	n = 0;
	printf("failures:");
	json_object_foreach(json_object_get(st, "failures"), k, v)
		if (json_integer_value(v) > 0)
			printf("%s %lld %s", n++ ? "," : "",
			    (long long)json_integer_value(v), k);
	printf("%s\n", n ? "" : " none");
	if ((v = json_object_get(st, "delivery_login")) != NULL)
		printf("delivery: needs-login: %s\n",
		    json_string_value(json_object_get(v, "why")));
	if (json_is_string(json_object_get(st, "space_low")))
		printf("space: low, no new work taken: %s\n",
		    json_string_value(json_object_get(st, "space_low")));
	if (json_array_size(json_object_get(st, "campaigns_paused")) > 0) {
		printf("campaigns paused (their mail waits):");
		json_array_foreach(json_object_get(st, "campaigns_paused"), n, v)
			printf(" %s", json_string_value(v));
		printf("\n");
	}
}

/*
 * The daemon of this configuration: its instance name (the pid in the
 * lock file, when that process lives), else null.
 */
static json_t *
status_instance(const struct config *cfg)
{
	char pid[32], id[300];
	ssize_t n;
	long p;
	int fd;

	if ((fd = open(cfg->lock_path, O_RDONLY | O_CLOEXEC)) < 0)
		return json_null();
	n = read(fd, pid, sizeof(pid) - 1);
	close(fd);
	pid[n > 0 ? n : 0] = '\0';
	if ((p = strtol(pid, NULL, 10)) <= 0 || (kill((pid_t)p, 0) != 0 &&
	    errno != EPERM))
		return json_null();
	daemon_instance(cfg, p, id, sizeof(id));
	return json_string(id);
}

/*
 * Who works on what (core/store_ops.h, lease_*): every lease with its
 * holder, until when, and whether that is still ahead. Each connector
 * gets its holder too (null: nobody holds it now).
 */
static json_t *
status_leases(struct store *st, json_t *conns)
{
	struct lease_row *v = NULL;
	json_t *arr = json_array(), *o, *c;
	char iso[CLOCK_ISOLEN];
	int64_t now = (int64_t)clock_now();
	size_t i, k, n = 0;

	if (store_lease_list(st, &v, &n, NULL) != LG_OK)
		return arr;
	for (i = 0; i < n; i++) {
		o = json_object();
		json_object_set_new(o, "name", json_string(v[i].name));
		json_object_set_new(o, "holder", json_string(v[i].holder));
		clock_iso((time_t)v[i].expires_at, iso, sizeof(iso));
		json_object_set_new(o, "expires_at", json_string(iso));
		json_object_set_new(o, "held", json_boolean(v[i].expires_at >
		    now));
		json_array_append_new(arr, o);
		if (strncmp(v[i].name, "connector/", 10) != 0 ||
		    v[i].expires_at <= now)
			continue;
		json_array_foreach(conns, k, c)
			if (strcmp(json_string_value(json_object_get(c,
			    "name")), v[i].name + 10) == 0)
				json_object_set_new(c, "holder",
				    json_string(v[i].holder));
	}
	store_lease_rows_free(v, n);
	return arr;
}

/* The names of the paused campaigns: their queued mail is held. */
static json_t *
status_paused(struct store *st)
{
	struct campaign *v = NULL;
	json_t *arr = json_array();
	size_t i, n = 0;

	if (store_campaign_list(st, &v, &n, NULL) != LG_OK)
		return arr;
	for (i = 0; i < n; i++)
		if (v[i].paused_at != NULL)
			json_array_append_new(arr, json_string(v[i].name));
	store_campaign_rows_free(v, n);
	return arr;
}

json_t *
cmd_status_json(const struct config *cfg, struct store *st, struct err *e)
{
	struct connector_list cl;
	char why[600];
	json_t *o, *arr, *v;
	size_t i;

	if (connector_load_all(cfg, &cl, NULL, e) != LG_OK)
		return NULL;
	o = json_object();
	arr = json_array();
	for (i = 0; i < cl.n; i++)
		json_array_append_new(arr, status_connector(st, &cl.v[i]));
	json_object_set_new(o, "connectors", arr);
	json_object_set_new(o, "instance", status_instance(cfg));
	json_object_set_new(o, "leases", status_leases(st, arr));
	json_object_set_new(o, "spool", status_spool(st));
	json_object_set_new(o, "quarantine_held",
	    json_integer(status_quarantine(st)));
	json_object_set_new(o, "failures", status_failures(st));
	json_object_set_new(o, "campaigns_paused", status_paused(st));
	if ((v = status_delivery_login(cfg)) != NULL)
		json_object_set_new(o, "delivery_login", v);
	if (space_low(cfg, why, sizeof(why)))
		json_object_set_new(o, "space_low", json_string(why));
	connector_list_free(&cl);
	return o;
}

int
cmd_status(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct store *st;
	json_t *o;
	struct err e;
	int ch, rc, json = 0;

	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch != 'j')
			return EXIT_USAGE;
		json = 1;
	}
	if (optind != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_store(c, &st)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if ((o = cmd_status_json(c->cfg, st, &e)) == NULL)
		return cli_fail(c, EXIT_CONFIG, "%s", e.msg);
	if (json)
		view_print(o);
	else {
		status_text(o);
		json_decref(o);
	}
	return EXIT_OK;
}
