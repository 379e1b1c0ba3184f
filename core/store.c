/*
 * The front of the store: picks the backend and forwards every call to it.
 * A path that is a postgresql:// (or postgres://) URL chooses PostgreSQL
 * (core/store_pg.c), anything else is a SQLite file. An operation a
 * backend does not have (a NULL member) fails permanently, naming the
 * operation and the backend: never a crash.
 */
#include <stdlib.h>
#include <string.h>

#include "core/store.h"
#include "core/store_backend.h"
#include "util/xmalloc.h"

struct store {
	const struct store_backend *be;
	void *impl;
};

/* The URL schemes of each backend other than SQLite; a table. */
static const struct {
	const char *prefix;
	const struct store_backend *be;
} store_schemes[] = {
	{ "postgresql://", &store_pg_backend },
	{ "postgres://", &store_pg_backend },
};

static const struct store_backend *
store_backend_for(const char *path)
{
	size_t i;

	for (i = 0; i < sizeof(store_schemes) / sizeof(store_schemes[0]); i++)
		if (strncmp(path, store_schemes[i].prefix,
		    strlen(store_schemes[i].prefix)) == 0)
			return store_schemes[i].be;
	return &store_sqlite_backend;
}

int
store_is_remote(const char *path)
{
	return store_backend_for(path) != &store_sqlite_backend;
}

const char *
store_backend_name(const struct store *st)
{
	return st->be->name;
}

int
store_open(const char *path, const struct store_options *opt,
    struct store **out, struct err *e)
{
	const struct store_backend *be = store_backend_for(path);
	struct store_options defaults = { 5000, 0, NULL, NULL, NULL };
	void *impl;
	int rc;

	if ((rc = be->open(path, opt ? opt : &defaults, &impl, e)) != LG_OK)
		return rc;
	*out = xcalloc(1, sizeof(**out));
	(*out)->be = be;
	(*out)->impl = impl;
	return LG_OK;
}

int
store_check(const char *path, struct err *e)
{
	return store_backend_for(path)->check(path, e);
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	st->be->close(st->impl);
	free(st);
}

int
store_schema_latest(void)
{
	return store_sqlite_backend.schema_latest;
}

void
store_rollback(struct store *st)
{
	st->be->rollback(st->impl);
}

/*
 * The forwarders: store_NAME() calls the backend's NAME(), see store_ops.h;
 * every operation's last parameter is struct err *e.
 */
#define STORE_FORWARD(op, params, args)					\
int									\
store_##op(struct store *st, STORE_UNWRAP params)			\
{									\
	if (st->be->op == NULL)						\
		return err_set(e, LG_EPERM, "store: %s is not available "	\
		    "on the %s backend yet", #op, st->be->name);	\
	return st->be->op(st->impl, STORE_UNWRAP args);			\
}
STORE_OPS(STORE_FORWARD)
#undef STORE_FORWARD

/* The free functions of the rows, by concern. */

void
lead_summary_clear(struct lead_summary *s)
{
	free(s->last_won_at);
	s->last_won_at = NULL;
}

void
phase_arrival_clear(struct phase_arrival *a)
{
	if (a == NULL)
		return;
	free(a->pipeline);
	memset(a, 0, sizeof(*a));
}

void
store_history_free(struct history *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		history_clear(&v[i]);
	free(v);
}

void
store_erase_result_free(struct erase_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nspool; i++)
		free(r->spool[i].name);
	for (i = 0; i < r->nmails; i++)
		free(r->mails[i]);
	free(r->counts);
	free(r->spool);
	free(r->mails);
	memset(r, 0, sizeof(*r));
}

void
store_deals_free(struct deal *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		deal_clear(&v[i]);
	free(v);
}

void
store_source_rows_free(struct source_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].created_at);
	}
	free(v);
}

void
store_report_free(struct report_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].pipeline);
		free(v[i].source);
		free(v[i].object);
	}
	free(v);
}

void
store_mail_rows_free(struct mail_row *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].received_at);
		free(v[i].kind);
		free(v[i].connector);
		free(v[i].from);
		free(v[i].subject);
		free(v[i].message_id);
		free(v[i].sha256);
	}
	free(v);
}

void
store_inquiry_rows_free(struct inquiry_row *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].key);
		free(v[i].connector);
		free(v[i].sender);
		free(v[i].rule);
		free(v[i].decision);
		free(v[i].received_at);
	}
	free(v);
}

void
store_lease_rows_free(struct lease_row *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].name);
		free(v[i].holder);
	}
	free(v);
}

void
store_quarantine_rows_free(struct quarantine_row *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].at);
		free(v[i].connector);
		free(v[i].kind);
		free(v[i].inquiry_key);
		free(v[i].reason);
		free(v[i].location);
		free(v[i].state);
		free(v[i].meta);
		free(v[i].raw);
	}
	free(v);
}

void
store_outgoing_rows_free(struct outgoing *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		outgoing_clear(&v[i]);
	free(v);
}

void
store_suppression_rows_free(struct suppression_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].address);
		free(v[i].reason);
		free(v[i].at);
	}
	free(v);
}

void
store_webhook_rows_free(struct webhook_delivery *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].endpoint);
		free(v[i].uid);
		free(v[i].type);
		free(v[i].created_at);
		free(v[i].data);
		free(v[i].state);
		free(v[i].last_error);
		free(v[i].updated_at);
	}
	free(v);
}

static void
campaign_clear(struct campaign *c)
{
	free(c->name);
	free(c->filter);
	free(c->template);
	free(c->advance_to);
	free(c->created_at);
	free(c->updated_at);
	free(c->paused_at);
}

void
campaign_free(struct campaign *c)
{
	if (c == NULL)
		return;
	campaign_clear(c);
	free(c);
}

void
store_campaign_rows_free(struct campaign *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		campaign_clear(&v[i]);
	free(v);
}

void
store_api_tokens_free(struct api_token *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].scope);
		free(v[i].source);
		free(v[i].created_at);
	}
	free(v);
}

static void
user_clear(struct user *u)
{
	free(u->name);
	free(u->role);
	free(u->hash);
	free(u->language);
	free(u->created_at);
	memset(u, 0, sizeof(*u));
}

void
store_users_free(struct user *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		user_clear(&v[i]);
	free(v);
}

void
store_user_session_clear(struct user_session *s)
{
	user_clear(&s->user);
	free(s->csrf);
	memset(s, 0, sizeof(*s));
}
