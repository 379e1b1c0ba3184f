/* contacts list|show|add|update|set-status|export|erase|merge|import */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "gateway/cli.h"
#include "gateway/cmd.h"
#include "gateway/cmdutil.h"
#include "core/config.h"
#include "core/domain.h"
#include "core/filter.h"
#include "core/pipeline.h"
#include "core/store.h"
#include "util/table.h"
#include "core/intake.h"
#include "core/view.h"
#include "outbound/gdpr.h"
#include "rules/rules.h"
#include "util/buf.h"
#include "util/csv.h"
#include "spool/spool.h"
#include "util/wfile.h"
#include "util/xmalloc.h"

enum {
	OPT_FIRST = 256, OPT_LAST, OPT_COMPANY_NAME, OPT_KIND, OPT_EMAIL,
	OPT_PHONE, OPT_COMPANY, OPT_SALUTATION, OPT_LANGUAGE, OPT_STREET,
	OPT_POSTCODE, OPT_CITY, OPT_CUSTOM, OPT_OPT_OUT, OPT_JSON, OPT_FORCE,
};

static const struct option contact_opts[] = {
	{ "first-name", required_argument, NULL, OPT_FIRST },
	{ "last-name", required_argument, NULL, OPT_LAST },
	{ "company-name", required_argument, NULL, OPT_COMPANY_NAME },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "email", required_argument, NULL, OPT_EMAIL },
	{ "phone", required_argument, NULL, OPT_PHONE },
	{ "company", required_argument, NULL, OPT_COMPANY },
	{ "salutation", required_argument, NULL, OPT_SALUTATION },
	{ "language", required_argument, NULL, OPT_LANGUAGE },
	{ "street", required_argument, NULL, OPT_STREET },
	{ "postcode", required_argument, NULL, OPT_POSTCODE },
	{ "city", required_argument, NULL, OPT_CITY },
	{ "custom", required_argument, NULL, OPT_CUSTOM },
	{ "opt-out", required_argument, NULL, OPT_OPT_OUT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ NULL, 0, NULL, 0 },
};

/* The plain text fields, by option. */
static const struct {
	int opt;
	size_t off;
} text_fields[] = {
	{ OPT_FIRST, offsetof(struct contact, first_name) },
	{ OPT_LAST, offsetof(struct contact, last_name) },
	{ OPT_SALUTATION, offsetof(struct contact, salutation) },
	{ OPT_LANGUAGE, offsetof(struct contact, language) },
	{ OPT_STREET, offsetof(struct contact, street) },
	{ OPT_POSTCODE, offsetof(struct contact, postcode) },
	{ OPT_CITY, offsetof(struct contact, city) },
};

/* Apply one option to c; returns an exit code (EXIT_OK to go on). */
static int
contact_apply(struct cli *c, struct contact *ct, int opt, const char *arg,
    const char *country)
{
	struct err e;
	long long id;
	size_t i;

	err_clear(&e);
	for (i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]); i++)
		if (text_fields[i].opt == opt) {
			xstrset((char **)((char *)ct + text_fields[i].off),
			    *arg ? arg : NULL);
			return EXIT_OK;
		}
	switch (opt) {
	case OPT_COMPANY_NAME:
		/* contacts_company() decides what the name belongs to. */
		xstrset(&ct->company, arg);
		return EXIT_OK;
	case OPT_KIND:
		if (contact_kind_parse(arg, &ct->kind) != 0)
			return cli_fail(c, EXIT_USAGE, "kind must be lead, "
			    "client or partner, not '%s'", arg);
		return EXIT_OK;
	case OPT_EMAIL:
		if (contact_add_email(ct, arg, &e) != LG_OK)
			return cli_fail_err(c, &e);
		return EXIT_OK;
	case OPT_PHONE:
		if (contact_add_phone(ct, arg, country, &e) != LG_OK)
			return cli_fail_err(c, &e);
		return EXIT_OK;
	case OPT_COMPANY:
		if (cli_parse_id(c, arg, "--company", &id) != 0)
			return EXIT_USAGE;
		ct->company_id = id;
		return EXIT_OK;
	case OPT_CUSTOM:
		return cmdutil_custom_set(c, &ct->custom, arg);
	case OPT_OPT_OUT:
		return cmdutil_yesno(c, "--opt-out", arg, &ct->opt_out);
	}
	return cli_usage(c, stderr, EXIT_USAGE);
}

struct contact_job {
	struct domain d;
	struct contact *ct;
	int update;
	int force;		/* --force: a second contact for an address */
	size_t old_emails;	/* the addresses it had: not checked again */
	char *company;		/* --company-name of a person: its employer */
};

/*
 * --company-name names the contact itself when it is a company, or one
 * without any first or last name; a person's company name is the company
 * contact it works for (found by name or made), and it stays a person.
 */
static void
contacts_company(struct contact_job *j, int named)
{
	struct contact *ct = j->ct;

	if (!named)
		return;
	if (ct->type == CONTACT_COMPANY ||
	    (!j->update && !ct->first_name && !ct->last_name)) {
		ct->type = CONTACT_COMPANY;
		return;
	}
	j->company = ct->company;
	ct->company = NULL;
}

static int
contact_save(struct cli *c, void *arg, struct err *e)
{
	struct contact_job *j = arg;
	char why[sizeof(e->msg)];
	int64_t other;
	int rc;

	(void)c;
	if (!j->force && (rc = domain_contact_email_taken(&j->d, j->ct,
	    j->old_emails, &other, e)) != LG_OK) {
		if (rc != LG_EEXIST)
			return rc;
		snprintf(why, sizeof(why), "%s", e->msg);
		return err_set(e, rc, "%s (--force to %s anyway)", why,
		    j->update ? "give it" : "add it");
	}
	if (j->company && (rc = domain_contact_link_company(&j->d, j->ct,
	    j->company, e)) != LG_OK)
		return rc;
	if (j->update)
		return domain_contact_update(&j->d, j->ct, e);
	return domain_contact_add(&j->d, j->ct, e);
}

static int
contacts_edit(struct cli *c, int argc, char **argv, int update)
{
	struct contact_job j;
	struct err e;
	long long id = 0;
	int ch, rc, json = 0, named = 0;

	memset(&j, 0, sizeof(j));
	if ((rc = cli_domain(c, &j.d)) != EXIT_OK)
		return rc;
	if (update) {
		if (argc < 2 || argv[1][0] == '-')
			return cli_usage(c, stderr, EXIT_USAGE);
		if (cli_parse_id(c, argv[1], "contact id", &id) != 0)
			return EXIT_USAGE;
		err_clear(&e);
		if (store_contact_get(j.d.st, id, &j.ct, &e) != LG_OK)
			return cli_fail_err(c, &e);
		j.old_emails = j.ct->nemails;
		argc--;
		argv++;
	} else {
		j.ct = contact_new();
	}
	j.update = update;
	while ((ch = cli_getopt(c, argc, argv, "", contact_opts)) != -1) {
		if (ch == '?') {
			rc = EXIT_USAGE;
			goto out;
		}
		if (ch == OPT_COMPANY_NAME)
			named = 1;
		if (ch == OPT_JSON)
			json = 1;
		else if (ch == OPT_FORCE)
			j.force = 1;
		else if ((rc = contact_apply(c, j.ct, ch, optarg,
		    j.d.country)) != EXIT_OK)
			goto out;
	}
	if (optind != argc) {
		rc = cli_usage(c, stderr, EXIT_USAGE);
		goto out;
	}
	contacts_company(&j, named);
	if ((rc = cli_tx(c, contact_save, &j)) != EXIT_OK)
		goto out;
	if (json)
		view_print(view_contact(j.ct));
	else if (!update)
		printf("%lld\n", (long long)j.ct->id);
out:
	free(j.company);
	contact_free(j.ct);
	return rc;
}

int
cmd_contacts_add(struct cli *c, int argc, char **argv)
{
	return contacts_edit(c, argc, argv, 0);
}

int
cmd_contacts_update(struct cli *c, int argc, char **argv)
{
	return contacts_edit(c, argc, argv, 1);
}

/* A person's company: the linked company's name, else the name as given. */
static char *
contact_company_name(struct store *st, const struct contact *ct)
{
	struct contact *co;
	char *name;

	if (ct->type != CONTACT_PERSON)
		return NULL;
	if (ct->company_id == 0 ||
	    store_contact_get(st, ct->company_id, &co, NULL) != LG_OK)
		return xstrdup(ct->company);
	name = xstrdup(co->company);
	contact_free(co);
	return name;
}

static void
contacts_table_row(struct store *st, struct table *t, const struct contact *ct)
{
	char id[24], name[256], mail[400], *company = contact_company_name(st,
	    ct);
	const char *row[8];

	snprintf(id, sizeof(id), "%lld", (long long)ct->id);
	row[0] = id;
	row[1] = contact_kind_name(ct->kind);
	row[2] = contact_display_name(ct, name, sizeof(name));
	row[3] = company;
	/* A bounce marked it: said where the address is shown. */
	snprintf(mail, sizeof(mail), "%s%s", ct->nemails ? ct->emails[0].norm :
	    "", ct->nemails && ct->invalid_address ? " (invalid)" : "");
	row[4] = mail;
	row[5] = ct->nphones ? ct->phones[0].norm : "";
	row[6] = prospect_state_name(ct->prospect);
	row[7] = client_state_name(ct->client);
	table_add(t, row);
	free(company);
}

int
cmd_contacts_list(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "ID", "KIND", "NAME", "COMPANY",
	    "E-MAIL", "PHONE", "PROSPECT", "CLIENT" };
	struct cmdutil_list opt;
	struct idlist ids = IDLIST_INIT;
	struct contact *ct;
	struct table *t = NULL;
	json_t *arr = NULL;
	struct err e;
	size_t i;
	int rc;

	if ((rc = cmdutil_list_opts(c, argc, argv, &opt)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_contacts_query(opt.d.st, opt.f, &ids, &e) != LG_OK) {
		rc = cli_fail_err(c, &e);
		goto out;
	}
	if (opt.json)
		arr = json_array();
	else
		t = table_new(8, head);
	for (i = 0; i < ids.n; i++) {
		if (store_contact_get(opt.d.st, ids.v[i], &ct, &e) != LG_OK) {
			rc = cli_fail_err(c, &e);
			goto out;
		}
		if (arr)
			json_array_append_new(arr, view_contact(ct));
		else
			contacts_table_row(opt.d.st, t, ct);
		contact_free(ct);
	}
	if (arr) {
		rc = cmdutil_print_json(c, arr);
		arr = NULL;
	} else {
		rc = cmdutil_print_table(c, t);
	}
out:
	json_decref(arr);
	table_free(t);
	idlist_free(&ids);
	filter_free(opt.f);
	return rc;
}

static void
contact_print_text(struct store *st, const struct contact *ct)
{
	char name[256], *company = contact_company_name(st, ct);
	size_t i;

	printf("contact %lld: %s\n", (long long)ct->id,
	    contact_display_name(ct, name, sizeof(name)));
	printf("  type: %s\n  kind: %s\n", contact_type_name(ct->type),
	    contact_kind_name(ct->kind));
	cmdutil_field("salutation", ct->salutation);
	cmdutil_field("first name", ct->first_name);
	cmdutil_field("last name", ct->last_name);
	if (ct->company_id)
		printf("  company: %s (contact %lld)\n", company ? company : "?",
		    (long long)ct->company_id);
	else
		cmdutil_field("company", company);
	free(company);
	for (i = 0; i < ct->nemails; i++)
		printf("  e-mail: %s\n", ct->emails[i].given);
	for (i = 0; i < ct->nphones; i++)
		printf("  phone: %s (%s)\n", ct->phones[i].given,
		    ct->phones[i].norm);
	cmdutil_field("language", ct->language);
	cmdutil_field("street", ct->street);
	cmdutil_field("postcode", ct->postcode);
	cmdutil_field("city", ct->city);
	printf("  prospect: %s\n  client: %s\n",
	    prospect_state_name(ct->prospect), client_state_name(ct->client));
	if (ct->opt_out)
		printf("  opted out\n");
	if (ct->invalid_address)
		printf("  invalid address\n");
	if (ct->custom && strcmp(ct->custom, "{}") != 0)
		printf("  custom: %s\n", ct->custom);
	printf("  created: %s\n", ct->created_at);
}

int
cmd_contacts_show(struct cli *c, int argc, char **argv)
{
	struct cmdutil_show s;
	struct contact *ct = NULL;
	struct idlist leads = IDLIST_INIT;
	struct err e;
	json_t *o;
	int rc;

	if ((rc = cmdutil_show_opts(c, argc, argv, "contact id", &s)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (store_contact_get(s.d.st, s.id, &ct, &e) != LG_OK ||
	    store_leads_of_contact(s.d.st, s.id, &leads, &e) != LG_OK) {
		rc = cli_fail_err(c, &e);
		goto out;
	}
	if (s.json) {
		o = view_contact(ct);
		json_object_set_new(o, "leads", cmdutil_leads_json(&s.d, &leads));
		json_object_set_new(o, "history", cmdutil_history_json(&s.d, 0,
		    ct->id));
		view_print(o);
	} else {
		contact_print_text(s.d.st, ct);
		cmdutil_leads_text(&s.d, &leads);
		cmdutil_history_text(&s.d, 0, ct->id);
	}
out:
	idlist_free(&leads);
	contact_free(ct);
	return rc;
}

struct status_job {
	struct domain d;
	long long id;
	const char *prospect;
	const char *client;
};

static int
status_save(struct cli *c, void *arg, struct err *e)
{
	struct status_job *j = arg;

	(void)c;
	return domain_contact_set_status(&j->d, j->id, j->prospect, j->client,
	    e);
}

int
cmd_contacts_set_status(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "prospect", required_argument, NULL, 'p' },
		{ "client", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	struct status_job j;
	int ch, rc;

	memset(&j, 0, sizeof(j));
	if (argc < 2 || argv[1][0] == '-')
		return cli_usage(c, stderr, EXIT_USAGE);
	if (cli_parse_id(c, argv[1], "contact id", &j.id) != 0)
		return EXIT_USAGE;
	argc--;
	argv++;
	while ((ch = cli_getopt(c, argc, argv, "", opts)) != -1) {
		if (ch == 'p')
			j.prospect = optarg;
		else if (ch == 'C')
			j.client = optarg;
		else
			return EXIT_USAGE;
	}
	if (optind != argc || (!j.prospect && !j.client))
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_domain(c, &j.d)) != EXIT_OK)
		return rc;
	return cli_tx(c, status_save, &j);
}

/* "ID" as the only argument before the options; -1 on a usage error. */
static int
contacts_id_arg(struct cli *c, int *argc, char ***argv, long long *id)
{
	if (*argc < 2 || (*argv)[1][0] == '-') {
		cli_usage(c, stderr, EXIT_USAGE);
		return -1;
	}
	if (cli_parse_id(c, (*argv)[1], "contact id", id) != 0)
		return -1;
	(*argc)--;
	(*argv)++;
	return 0;
}

/* The spool, for the files of a contact's outgoing mail. */
static int
contacts_spool(struct cli *c, struct spool **sp)
{
	struct config *cfg;
	struct err e;
	int rc;

	*sp = NULL;
	if ((rc = cli_config(c, &cfg)) != EXIT_OK)
		return rc;
	err_clear(&e);
	if (spool_open(cfg->spool_dir, sp, &e) != LG_OK)
		return cli_fail_err(c, &e);
	return EXIT_OK;
}

struct export_job {
	struct store *st;
	const char *archive_dir;
	struct spool *sp;
	long long id;
	char *json;
};

static int
export_run(struct cli *c, void *arg, struct err *e)
{
	struct export_job *j = arg;

	(void)c;
	/* In a transaction: every part from the same snapshot. */
	return gdpr_export(j->st, j->archive_dir, j->sp, j->id, &j->json, e);
}

int
cmd_contacts_export(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct export_job j;
	struct config *cfg;
	const char *output = NULL;
	char *text;
	struct err e;
	int ch, rc;

	memset(&j, 0, sizeof(j));
	if (contacts_id_arg(c, &argc, &argv, &j.id) != 0)
		return EXIT_USAGE;
	while ((ch = cli_getopt(c, argc, argv, "o:", opts)) != -1) {
		if (ch != 'o')
			return EXIT_USAGE;
		output = optarg;
	}
	if (optind != argc)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_config(c, &cfg)) != EXIT_OK ||
	    (rc = cli_store(c, &j.st)) != EXIT_OK ||
	    (rc = contacts_spool(c, &j.sp)) != EXIT_OK)
		return rc;
	j.archive_dir = cfg->archive.dir;
	if ((rc = cli_tx(c, export_run, &j)) != EXIT_OK)
		goto out;
	err_clear(&e);
	text = xasprintf("%s\n", j.json);
	if (output == NULL)
		fputs(text, stdout);
	else if (wfile_put(output, text, strlen(text), 0600, &e) != LG_OK)
		rc = cli_fail_err(c, &e);
	free(text);
out:
	free(j.json);
	spool_close(j.sp);
	return rc;
}

struct erase_job {
	struct store *st;
	const char *archive_dir;
	struct spool *sp;
	long long id;
	char actor[96];
	struct erase_result r;
};

static int
erase_run(struct cli *c, void *arg, struct err *e)
{
	struct erase_job *j = arg;

	(void)c;
	store_erase_result_free(&j->r);
	return gdpr_erase(j->st, j->archive_dir, j->sp, j->id, j->actor, &j->r,
	    e);
}

/* Who asked, for the record of the erasure: the Unix user. */
static void
erase_actor(char *buf, size_t len)
{
	struct passwd *pw = getpwuid(geteuid());

	if (pw != NULL)
		snprintf(buf, len, "user %s", pw->pw_name);
	else
		snprintf(buf, len, "uid %lu", (unsigned long)geteuid());
}

int
cmd_contacts_erase(struct cli *c, int argc, char **argv)
{
	struct erase_job j;
	struct config *cfg;
	struct err e;
	size_t i;
	int busy = 0, rc;

	memset(&j, 0, sizeof(j));
	if (contacts_id_arg(c, &argc, &argv, &j.id) != 0)
		return EXIT_USAGE;
	if (argc != 1)
		return cli_usage(c, stderr, EXIT_USAGE);
	if ((rc = cli_config(c, &cfg)) != EXIT_OK ||
	    (rc = cli_store(c, &j.st)) != EXIT_OK ||
	    (rc = contacts_spool(c, &j.sp)) != EXIT_OK)
		return rc;
	j.archive_dir = cfg->archive.dir;
	erase_actor(j.actor, sizeof(j.actor));
	if ((rc = cli_tx(c, erase_run, &j)) != EXIT_OK)
		goto out;
	printf("contact %lld erased\n", j.id);
	for (i = 0; i < j.r.ncounts; i++)
		if (j.r.counts[i].n)
			printf("  %s: %ld\n", j.r.counts[i].what,
			    j.r.counts[i].n);
	if (j.r.nspool)
		printf("  spool messages: %zu\n", j.r.nspool);
	if (j.r.nmails)
		printf("  archive files: %zu\n", j.r.nmails);
	err_clear(&e);
	if (store_scrub(j.st, &busy, &e) != LG_OK)
		rc = cli_fail_err(c, &e);
	else if (busy)
		rc = cli_fail(c, EXIT_TEMPFAIL, "contact %lld is erased, but "
		    "another process is reading the database: the old pages "
		    "stay in its write-ahead log until it stops; run this "
		    "command again then", j.id);
out:
	store_erase_result_free(&j.r);
	spool_close(j.sp);
	return rc;
}

struct merge_job {
	struct domain d;
	long long keep, other;
};

static int
merge_run(struct cli *c, void *arg, struct err *e)
{
	struct merge_job *j = arg;

	(void)c;
	return domain_contact_merge(&j->d, j->keep, j->other, e);
}

int
cmd_contacts_merge(struct cli *c, int argc, char **argv)
{
	struct merge_job j;
	int rc;

	memset(&j, 0, sizeof(j));
	if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-')
		return cli_usage(c, stderr, EXIT_USAGE);
	if (cli_parse_id(c, argv[1], "contact id", &j.keep) != 0 ||
	    cli_parse_id(c, argv[2], "contact id", &j.other) != 0)
		return EXIT_USAGE;
	if ((rc = cli_domain(c, &j.d)) != EXIT_OK ||
	    (rc = cli_tx(c, merge_run, &j)) != EXIT_OK)
		return rc;
	printf("contact %lld merged into contact %lld\n", j.other, j.keep);
	return EXIT_OK;
}

/*
 * contacts import: a CSV file's rows through the same deduplication as
 * ingest (core/intake.h, the rule file's dedup policy): a row whose
 * person is found again fills what the contact lacked, else it becomes
 * a contact. Importing the same file again changes nothing.
 */

/* The columns, by their header (lower case, '_' for ' ' and '-'). */
static const struct {
	const char *name;
	size_t off;		/* in struct intake; 0: a phone number */
} import_cols[] = {
	{ "salutation", offsetof(struct intake, salutation) },
	{ "first_name", offsetof(struct intake, first_name) },
	{ "last_name", offsetof(struct intake, last_name) },
	{ "company", offsetof(struct intake, company) },
	{ "street", offsetof(struct intake, street) },
	{ "postcode", offsetof(struct intake, postcode) },
	{ "city", offsetof(struct intake, city) },
	{ "language", offsetof(struct intake, language) },
	{ "email", offsetof(struct intake, email) },
	{ "e_mail", offsetof(struct intake, email) },
	{ "phone", 0 },
	{ "mobile", 0 },
	{ "phone2", 0 },
};
#define IMPORT_NCOLS (sizeof(import_cols) / sizeof(import_cols[0]))

enum import_outcome { IMPORT_NEW, IMPORT_UPDATED, IMPORT_SAME, IMPORT_BAD };

struct import_job {
	struct domain d;
	struct intake_policy pol;
	const char *file;
	const int *col;			/* per field: import_cols index or -1 */
	size_t ncols;			/* fields in the header */
	const struct csv_record *rec;
	enum import_outcome outcome;
	char decision[256];
};

/* The row as an inquiry; its addresses normalized into scratch. */
static int
import_intake(struct import_job *j, struct intake *in, struct contact *scr,
    struct err *e)
{
	const char *v;
	size_t i;
	int rc;

	memset(in, 0, sizeof(*in));
	in->connector = "import";
	for (i = 0; i < j->rec->n; i++) {
		v = j->rec->v[i];
		if (j->col[i] < 0 || *v == '\0')
			continue;
		if (import_cols[j->col[i]].off == 0)
			rc = contact_add_phone(scr, v, j->d.country, e);
		else if (import_cols[j->col[i]].off ==
		    offsetof(struct intake, email))
			rc = contact_add_email(scr, v, e);
		else
			rc = LG_OK;
		if (rc != LG_OK)
			return rc;
		if (import_cols[j->col[i]].off != 0)
			*(const char **)((char *)in +
			    import_cols[j->col[i]].off) = v;
	}
	if (scr->nemails == 0 && scr->nphones == 0)
		return err_set(e, LG_EPERM, "no e-mail address or phone number "
		    "to find the contact again by");
	if (scr->nemails) {
		in->email = scr->emails[0].given;
		in->email_norm = scr->emails[0].norm;
	}
	in->phones = scr->phones;
	in->nphones = scr->nphones;
	return LG_OK;
}

/* The contact as compact JSON text, to compare. */
static char *
import_text(const struct contact *ct)
{
	json_t *o = view_contact(ct);
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(o);
	return s;
}

static int
import_row(struct cli *c, void *arg, struct err *e)
{
	struct import_job *j = arg;
	struct contact *scr = contact_new(), *ct = NULL;
	char *before = NULL, *after = NULL;
	struct intake in;
	int64_t id;
	int rc;

	(void)c;
	j->outcome = IMPORT_BAD;
	if ((rc = import_intake(j, &in, scr, e)) != LG_OK)
		goto out;
	/* What the contact found was, to tell an update from nothing new. */
	if (intake_find(&j->d, &j->pol, &in, &id, j->decision,
	    sizeof(j->decision)) && store_contact_get(j->d.st, id, &ct,
	    NULL) == LG_OK) {
		before = import_text(ct);
		contact_free(ct);
		ct = NULL;
	}
	if ((rc = intake_contact(&j->d, &j->pol, &in, &ct, j->decision,
	    sizeof(j->decision), e)) != LG_OK)
		goto out;
	if (strncmp(j->decision, "new ", 4) == 0) {
		j->outcome = IMPORT_NEW;
	} else {
		after = import_text(ct);
		j->outcome = before && strcmp(before, after) == 0 ?
		    IMPORT_SAME : IMPORT_UPDATED;
	}
out:
	free(before);
	free(after);
	contact_free(ct);
	contact_free(scr);
	return rc;
}

/* The header: each field's column, every unknown name a mistake. */
static int
import_header(struct cli *c, const char *file, const struct csv_record *h,
    int *col)
{
	char name[64], *p;
	size_t i, k;
	int bad = 0;

	for (i = 0; i < h->n; i++) {
		snprintf(name, sizeof(name), "%s", h->v[i]);
		for (p = name; *p; p++)
			*p = *p == ' ' || *p == '-' ? '_' :
			    (*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
		col[i] = -1;
		for (k = 0; k < IMPORT_NCOLS; k++)
			if (strcmp(name, import_cols[k].name) == 0)
				col[i] = (int)k;
		if (col[i] < 0) {
			fprintf(stderr, "%s:%zu: unknown column '%s' (known: "
			    "salutation, first_name, last_name, company, "
			    "street, postcode, city, language, email, phone, "
			    "mobile, phone2)\n", file, h->line, h->v[i]);
			bad = 1;
		}
	}
	(void)c;
	return bad ? EXIT_DATAERR : EXIT_OK;
}

static const char *const import_said[] = {
	[IMPORT_NEW] = "imported",
	[IMPORT_UPDATED] = "updated",
	[IMPORT_SAME] = "skipped",
	[IMPORT_BAD] = "refused",
};

/* One row in its own transaction: a refused one changes nothing. */
static int
import_one(struct cli *c, struct import_job *j, long counts[4])
{
	struct err e;
	int rc;

	err_clear(&e);
	if ((rc = store_begin(j->d.st, &e)) == LG_OK) {
		if ((rc = import_row(c, j, &e)) != LG_OK ||
		    (rc = store_commit(j->d.st, &e)) != LG_OK)
			store_rollback(j->d.st);
	}
	if (rc == LG_ETEMP || rc == LG_EINTERNAL)
		return cli_fail(c, cli_exit_for(rc), "%s:%zu: %s", j->file,
		    j->rec->line, e.msg);
	counts[j->outcome]++;
	if (j->outcome == IMPORT_BAD)
		fprintf(stderr, "%s:%zu: refused: %s\n", j->file, j->rec->line,
		    e.msg);
	else if (j->outcome == IMPORT_SAME)
		printf("%s:%zu: skipped: %s, nothing new\n", j->file,
		    j->rec->line, j->decision);
	else
		printf("%s:%zu: %s: %s\n", j->file, j->rec->line,
		    import_said[j->outcome], j->decision);
	return EXIT_OK;
}

int
cmd_contacts_import(struct cli *c, int argc, char **argv)
{
	struct import_job j;
	struct csv_record rec = { 0 };
	const struct rules *rules;
	struct buf text = BUF_INIT;
	struct csv r;
	struct err e;
	long counts[4] = { 0 };
	char chunk[8192];
	int *col = NULL, rc, step;
	size_t n;
	FILE *f;

	memset(&j, 0, sizeof(j));
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage(c, stderr, EXIT_USAGE);
	j.file = argv[1];
	if ((rc = cli_domain(c, &j.d)) != EXIT_OK ||
	    (rc = cli_rules(c, &rules)) != EXIT_OK)
		return rc;
	/* The rule file's deduplication, as ingest applies it. */
	j.pol.email = rules->dedup.email;
	j.pol.phone = rules->dedup.phone;
	j.pol.name_postcode = rules->dedup.name_postcode;
	if ((f = fopen(j.file, "rb")) == NULL)
		return cli_fail(c, EXIT_NOINPUT, "%s: %s", j.file,
		    strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&text, chunk, n);
	if (ferror(f)) {
		fclose(f);
		buf_free(&text);
		return cli_fail(c, EXIT_IOERR, "reading %s", j.file);
	}
	fclose(f);
	csv_init(&r, text.data ? text.data : "", text.len);
	err_clear(&e);
	if ((step = csv_next(&r, &rec, &e)) != LG_OK) {
		rc = cli_fail(c, EXIT_DATAERR, "%s:%zu: %s", j.file, rec.line ?
		    rec.line : 1, step == LG_ENOENT ? "no header line" : e.msg);
		goto out;
	}
	col = xreallocarray(NULL, rec.n, sizeof(*col));
	j.col = col;
	j.ncols = rec.n;
	j.rec = &rec;
	if ((rc = import_header(c, j.file, &rec, col)) != EXIT_OK)
		goto out;
	for (;;) {
		err_clear(&e);
		step = csv_next(&r, &rec, &e);
		if (step == LG_ENOENT)
			break;
		if (step != LG_OK) {
			fprintf(stderr, "%s:%zu: refused: %s\n", j.file,
			    rec.line, e.msg);
			counts[IMPORT_BAD]++;
			continue;
		}
		if (rec.n != j.ncols) {
			fprintf(stderr, "%s:%zu: refused: %zu fields, the header "
			    "has %zu\n", j.file, rec.line, rec.n, j.ncols);
			counts[IMPORT_BAD]++;
			continue;
		}
		if ((rc = import_one(c, &j, counts)) != EXIT_OK)
			goto out;
	}
	printf("%ld imported, %ld updated, %ld skipped, %ld refused\n",
	    counts[IMPORT_NEW], counts[IMPORT_UPDATED], counts[IMPORT_SAME],
	    counts[IMPORT_BAD]);
	rc = counts[IMPORT_BAD] ? EXIT_DATAERR : EXIT_OK;
out:
	free(col);
	csv_record_clear(&rec);
	buf_free(&text);
	return rc;
}
