/* The kept mail as the commands show it (see mailview.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/mailview.h"
#include "core/archive.h"
#include "core/config.h"
#include "core/store.h"
#include "parse/encword.h"
#include "parse/mail.h"

int
mailview_load(const struct config *cfg, struct store *st, int64_t id,
    int parse, struct mailview *out, struct err *e)
{
	struct mail_limits lim;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_mail_get(st, id, &out->row, e)) != LG_OK)
		return rc;
	if ((rc = archive_get(cfg->archive.dir, out->row->sha256, &out->raw,
	    e)) != LG_OK) {
		err_prefix(e, "mail %lld", (long long)id);
		return rc;
	}
	if (!parse || strcmp(out->row->kind, "mail") != 0)
		return LG_OK;
	mail_limits_default(&lim);
	lim.max_size = (size_t)cfg->ingest.max_message_size;
	if ((rc = mail_parse(out->raw.data ? out->raw.data : "", out->raw.len,
	    &lim, &out->mail, e)) != LG_OK) {
		out->mail = NULL;
		err_prefix(e, "mail %lld cannot be parsed", (long long)id);
	}
	return rc;
}

void
mailview_clear(struct mailview *v)
{
	store_mail_rows_free(v->row, v->row ? 1 : 0);
	buf_free(&v->raw);
	mail_free(v->mail);
	memset(v, 0, sizeof(*v));
}

size_t
mailview_nattachments(const struct mail *m)
{
	size_t i, n = 0;

	for (i = 0; m && i < m->nparts; i++)
		if (m->parts[i].attachment)
			n++;
	return n;
}

const struct mail_part *
mailview_attachment(const struct mail *m, size_t n)
{
	size_t i;

	for (i = 0; m && i < m->nparts; i++)
		if (m->parts[i].attachment && --n == 0)
			return &m->parts[i];
	return NULL;
}

static json_t *
jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
attachments_json(const struct mail *m)
{
	json_t *a = json_array(), *o;
	const struct mail_part *p;
	size_t i, n = mailview_nattachments(m);

	for (i = 1; i <= n; i++) {
		p = mailview_attachment(m, i);
		o = json_object();
		json_object_set_new(o, "n", json_integer((json_int_t)i));
		json_object_set_new(o, "filename", jstr(p->filename));
		json_object_set_new(o, "content_type", jstr(p->content_type));
		json_object_set_new(o, "size", json_integer((json_int_t)p->len));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
mail_json(const struct config *cfg, struct store *st,
    const struct mail_row *r)
{
	json_t *o = json_object();
	struct mailview v;
	struct err e;

	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "received_at", jstr(r->received_at));
	json_object_set_new(o, "kind", jstr(r->kind));
	json_object_set_new(o, "connector", jstr(r->connector));
	json_object_set_new(o, "from", jstr(r->from));
	json_object_set_new(o, "subject", jstr(r->subject));
	json_object_set_new(o, "message_id", jstr(r->message_id));
	json_object_set_new(o, "size", json_integer(r->size));
	json_object_set_new(o, "sha256", jstr(r->sha256));
	err_clear(&e);
	if (mailview_load(cfg, st, r->id, 1, &v, &e) == LG_OK)
		json_object_set_new(o, "attachments",
		    attachments_json(v.mail));
	else
		json_object_set_new(o, "problem", json_string(e.msg));
	mailview_clear(&v);
	return o;
}

json_t *
mailview_lead_json(const struct config *cfg, struct store *st,
    int64_t lead_id)
{
	json_t *a = json_array();
	struct mail_row *v = NULL;
	size_t i, n = 0;

	if (store_mails_of_lead(st, lead_id, &v, &n, NULL) == LG_OK)
		for (i = 0; i < n; i++)
			json_array_append_new(a, mail_json(cfg, st, &v[i]));
	store_mail_rows_free(v, n);
	return a;
}

static void
mail_text(const struct config *cfg, struct store *st,
    const struct mail_row *r)
{
	const struct mail_part *p;
	struct mailview v;
	struct err e;
	size_t i, n;

	printf("  %lld  %s  %s  %s  %lld bytes\n", (long long)r->id,
	    r->received_at, r->from ? r->from : "-", r->subject ? r->subject :
	    (strcmp(r->kind, "json") == 0 ? "(portal record)" : "-"),
	    (long long)r->size);
	err_clear(&e);
	if (mailview_load(cfg, st, r->id, 1, &v, &e) != LG_OK) {
		printf("    (%s)\n", e.msg);
		mailview_clear(&v);
		return;
	}
	n = mailview_nattachments(v.mail);
	for (i = 1; i <= n; i++) {
		p = mailview_attachment(v.mail, i);
		printf("    attachment %zu: %s  %s  %zu bytes\n", i,
		    p->filename ? p->filename : "-", p->content_type ?
		    p->content_type : "-", p->len);
	}
	mailview_clear(&v);
}

void
mailview_lead_text(const struct config *cfg, struct store *st,
    int64_t lead_id)
{
	struct mail_row *v = NULL;
	size_t i, n = 0;

	if (store_mails_of_lead(st, lead_id, &v, &n, NULL) != LG_OK || n == 0) {
		store_mail_rows_free(v, n);
		return;
	}
	printf("mails:\n");
	for (i = 0; i < n; i++)
		mail_text(cfg, st, &v[i]);
	store_mail_rows_free(v, n);
}

void
mailview_readable(const char *raw, size_t len, FILE *out)
{
	const struct mail_part *p;
	struct mail_limits lim;
	struct mail *m = NULL;
	struct err e;
	size_t i, n;
	char *v;

	mail_limits_default(&lim);
	lim.max_size = len + 1;
	err_clear(&e);
	if (mail_parse(raw, len, &lim, &m, &e) != LG_OK) {
		fwrite(raw, 1, len, out);
		return;
	}
	for (i = 0; i < m->nheaders; i++) {
		v = encword_dup(m->headers[i].value, NULL);
		fprintf(out, "%s: %s\n", m->headers[i].name, v ? v : "");
		free(v);
	}
	for (i = 0; i < m->nparts; i++) {
		p = &m->parts[i];
		fprintf(out, "\n--- part %zu: %s", i + 1, p->content_type ?
		    p->content_type : "text/plain");
		if (p->filename)
			fprintf(out, ", %s", p->filename);
		if (p->text == NULL || p->attachment) {
			fprintf(out, ", %zu bytes ---\n", p->len);
			continue;
		}
		fprintf(out, " ---\n");
		/* CRLF as sent; a reader shows lines. */
		for (n = 0; p->text[n]; n++)
			if (p->text[n] != '\r')
				fputc(p->text[n], out);
		if (n > 0 && p->text[n - 1] != '\n')
			fputc('\n', out);
	}
	mail_free(m);
}
