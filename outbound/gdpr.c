/* The contact's rights: export and erase, the files included. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/archive.h"
#include "outbound/gdpr.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* Bytes as a JSON string; bytes that are not UTF-8 are read as Latin-1. */
static json_t *
gdpr_text(const char *p, size_t len)
{
	json_t *v;
	char *u, *o;
	size_t i;

	if ((v = json_stringn(p, len)) != NULL)
		return v;
	o = u = xmalloc(2 * len + 1);
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch < 0x80) {
			*o++ = ch ? (char)ch : ' ';
		} else {
			*o++ = (char)(0xc0 | ch >> 6);
			*o++ = (char)(0x80 | (ch & 0x3f));
		}
	}
	v = json_stringn(u, (size_t)(o - u));
	free(u);
	return v;
}

static int
gdpr_mail_texts(const char *dir, json_t *mails, struct err *e)
{
	struct buf raw = BUF_INIT;
	const char *sha;
	json_t *m;
	size_t i;
	int rc = LG_OK;

	json_array_foreach(mails, i, m) {
		sha = json_string_value(json_object_get(m, "sha256"));
		if (dir == NULL || sha == NULL)
			continue;
		buf_reset(&raw);
		rc = archive_get(dir, sha, &raw, e);
		if (rc == LG_ENOENT) {
			json_object_set_new(m, "text", json_null());
			rc = LG_OK;
			continue;
		}
		if (rc != LG_OK)
			break;
		json_object_set_new(m, "text", gdpr_text(raw.data, raw.len));
	}
	buf_free(&raw);
	return rc;
}

static void
gdpr_spool_texts(struct spool *sp, struct store *st, json_t *outgoing)
{
	const char *name, *state;
	size_t i, len;
	char *msg;
	json_t *o;

	json_array_foreach(outgoing, i, o) {
		name = json_string_value(json_object_get(o, "spool_name"));
		state = json_string_value(json_object_get(o, "state"));
		if (sp == NULL || name == NULL || state == NULL ||
		    strcmp(state, "sent") == 0 || strcmp(state, "cancelled") == 0)
			continue;
		if (spool_read_text(sp, st, name, json_integer_value(
		    json_object_get(o, "id")), &msg, &len, NULL) != LG_OK)
			continue;
		json_object_set_new(o, "text", gdpr_text(msg, len));
		free(msg);
	}
}

int
gdpr_export(struct store *st, const char *archive_dir, struct spool *sp,
    int64_t id, char **json, struct err *e)
{
	json_t *doc;
	char *text;
	int rc;

	*json = NULL;
	if ((rc = store_contact_export(st, id, &text, e)) != LG_OK)
		return rc;
	doc = json_loads(text, 0, NULL);
	free(text);
	if (doc == NULL)
		return err_set(e, LG_EINTERNAL, "export: the store's document "
		    "is not JSON");
	rc = gdpr_mail_texts(archive_dir, json_object_get(doc, "mails"), e);
	if (rc == LG_OK) {
		gdpr_spool_texts(sp, st, json_object_get(doc, "outgoing"));
		*json = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	}
	json_decref(doc);
	return rc;
}

int
gdpr_erase(struct store *st, const char *archive_dir, struct spool *sp,
    int64_t id, const char *actor, struct erase_result *r, struct err *e)
{
	size_t i;
	char *path;
	int rc;

	if ((rc = store_contact_erase(st, id, actor, r, e)) != LG_OK)
		return rc;
	for (i = 0; sp && i < r->nspool; i++)
		if ((rc = spool_erase(sp, r->spool[i].name, r->spool[i].row,
		    e)) != LG_OK)
			return rc;
	for (i = 0; archive_dir && i < r->nmails; i++) {
		if (archive_hex_ok(r->mails[i]) != LG_OK)
			continue;
		path = archive_path(archive_dir, r->mails[i]);
		rc = unlink(path) == 0 || errno == ENOENT ? LG_OK :
		    err_set(e, LG_ETEMP, "removing %s: %s", path,
		    strerror(errno));
		free(path);
		if (rc != LG_OK)
			return rc;
	}
	return LG_OK;
}
