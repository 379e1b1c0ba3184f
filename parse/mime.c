/*
 * libetpan's MIME parser, walked into our own structures.
 *
 * Where it runs: libetpan recurses once per nesting level of MIME
 * entities and of header comments, with no limit of its own. The
 * pre-checks bound both (Content-Type fields <= max_parts, comments <=
 * PRECHECK_PAREN_MAX), so the worst case is a few hundred levels of some
 * 330 bytes each, well inside any thread's stack. Still, the callers are
 * connector threads whose stack size we do not choose, and the pre-checks
 * can only cover the recursion we know of. So a message with more than a
 * handful of MIME entities is parsed on a thread of our own with a 32 MiB
 * stack (below glibc's 40 MiB stack cache, so creating one stays cheap:
 * about 45 us, measured); the common small message is parsed in place,
 * where a thread would double the parse time. A fork per message would
 * contain crashes as well, but costs far more than the parse itself and
 * the benchmark (10 000 mails against mbsync) rules it out; the known
 * crashers are refused by the pre-checks instead.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"
#include "parse/charset.h"
#include "parse/cte.h"
#include "parse/html.h"
#include "parse/mime.h"
#include "parse/notes.h"
#include "parse/param.h"

#define INLINE_CONTENT_TYPES	16
#define THREAD_STACK		(32u << 20)
#define PARAMS_MAX		64
#define CHARSET_LEN		64

struct body {
	struct buf plain;
	struct buf html;
	int has_plain;
	int has_html;
};

struct walk {
	const char *raw;
	size_t len;
	const struct mail_limits *lim;
	struct mime_result *r;
	struct buf *notes;
	struct err *e;
};

struct job {
	struct walk w;
	int rc;
};

static const char *const discrete_names[] = {
	[MAILMIME_DISCRETE_TYPE_TEXT] = "text",
	[MAILMIME_DISCRETE_TYPE_IMAGE] = "image",
	[MAILMIME_DISCRETE_TYPE_AUDIO] = "audio",
	[MAILMIME_DISCRETE_TYPE_VIDEO] = "video",
	[MAILMIME_DISCRETE_TYPE_APPLICATION] = "application",
};

static const struct {
	int mechanism;
	enum cte cte;
} mechanisms[] = {
	{ MAILMIME_MECHANISM_BASE64, CTE_BASE64 },
	{ MAILMIME_MECHANISM_QUOTED_PRINTABLE, CTE_QP },
};

static int walk(struct walk *, struct mailmime *, size_t, struct body *, int);

static void
body_free(struct body *b)
{
	buf_free(&b->plain);
	buf_free(&b->html);
}

static void
body_add(struct buf *dst, int *has, const char *s, size_t len)
{
	if (*has && dst->len > 0)
		buf_addc(dst, '\n');
	buf_add(dst, s, len);
	*has = 1;
}

/* "type/subtype" in lower case; NULL content type means text/plain. */
static char *
type_name(const struct mailmime_content *ct)
{
	const struct mailmime_type *t;
	const char *type = "application", *sub;
	char *s, *p;

	if (ct == NULL || ct->ct_type == NULL)
		return xstrdup("text/plain");
	t = ct->ct_type;
	if (t->tp_type == MAILMIME_TYPE_DISCRETE_TYPE &&
	    t->tp_data.tp_discrete_type != NULL) {
		int dt = t->tp_data.tp_discrete_type->dt_type;

		if (dt == MAILMIME_DISCRETE_TYPE_EXTENSION)
			type = t->tp_data.tp_discrete_type->dt_extension;
		else if (dt > 0 && (size_t)dt < sizeof(discrete_names) /
		    sizeof(discrete_names[0]) && discrete_names[dt])
			type = discrete_names[dt];
	} else if (t->tp_type == MAILMIME_TYPE_COMPOSITE_TYPE &&
	    t->tp_data.tp_composite_type != NULL) {
		int c = t->tp_data.tp_composite_type->ct_type;

		type = c == MAILMIME_COMPOSITE_TYPE_MESSAGE ? "message" :
		    c == MAILMIME_COMPOSITE_TYPE_MULTIPART ? "multipart" :
		    t->tp_data.tp_composite_type->ct_token;
	}
	sub = ct->ct_subtype ? ct->ct_subtype : "octet-stream";
	s = xasprintf("%s/%s", type ? type : "application", sub);
	for (p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return s;
}

static size_t
ct_params(const struct mailmime_content *ct, struct param *v)
{
	clistiter *it;
	size_t n = 0;

	if (ct == NULL || ct->ct_parameters == NULL)
		return 0;
	for (it = clist_begin(ct->ct_parameters); it && n < PARAMS_MAX;
	    it = clist_next(it)) {
		struct mailmime_parameter *p = clist_content(it);

		v[n].name = p->pa_name;
		v[n++].value = p->pa_value;
	}
	return n;
}

static struct mailmime_disposition *
disposition(const struct mailmime *mm)
{
	clistiter *it;

	if (mm->mm_mime_fields == NULL)
		return NULL;
	for (it = clist_begin(mm->mm_mime_fields->fld_list); it;
	    it = clist_next(it)) {
		struct mailmime_field *f = clist_content(it);

		if (f->fld_type == MAILMIME_FIELD_DISPOSITION)
			return f->fld_data.fld_disposition;
	}
	return NULL;
}

static size_t
disp_params(const struct mailmime_disposition *d, struct param *v)
{
	clistiter *it;
	size_t n = 0;

	if (d == NULL || d->dsp_parms == NULL)
		return 0;
	for (it = clist_begin(d->dsp_parms); it && n < PARAMS_MAX;
	    it = clist_next(it)) {
		struct mailmime_disposition_parm *p = clist_content(it);

		if (p->pa_type == MAILMIME_DISPOSITION_PARM_FILENAME) {
			v[n].name = "filename";
			v[n++].value = p->pa_data.pa_filename;
		} else if (p->pa_type == MAILMIME_DISPOSITION_PARM_PARAMETER) {
			v[n].name = p->pa_data.pa_parameter->pa_name;
			v[n++].value = p->pa_data.pa_parameter->pa_value;
		}
	}
	return n;
}

static int
is_attachment(const struct mailmime *mm)
{
	const struct mailmime_disposition *d = disposition(mm);

	return d != NULL && d->dsp_type != NULL &&
	    d->dsp_type->dsp_type == MAILMIME_DISPOSITION_TYPE_ATTACHMENT;
}

static enum cte
cte_of(int mechanism)
{
	size_t i;

	for (i = 0; i < sizeof(mechanisms) / sizeof(mechanisms[0]); i++)
		if (mechanisms[i].mechanism == mechanism)
			return mechanisms[i].cte;
	return CTE_IDENTITY;
}

static void
note_charset(struct walk *w, size_t no, const char *cs, int flags)
{
	if (flags & CHARSET_UNKNOWN)
		notes_add(w->notes, "part %zu: unknown charset \"%.40s\", read "
		    "as windows-1252", no, cs ? cs : "");
	if (flags & CHARSET_REPLACED)
		notes_add(w->notes, "part %zu: invalid bytes or NULs replaced",
		    no);
	if (flags & CHARSET_GUESSED)
		notes_add(w->notes, "part %zu: 8-bit text without a charset, "
		    "read as windows-1252", no);
}

/* Line ends as "\n" only. */
static void
unix_lines(struct buf *b)
{
	size_t i, j;

	for (i = j = 0; i < b->len; i++) {
		if (b->data[i] == '\r') {
			if (i + 1 < b->len && b->data[i + 1] == '\n')
				continue;
			b->data[j++] = '\n';
		} else {
			b->data[j++] = b->data[i];
		}
	}
	b->len = j;
	if (b->data)
		b->data[j] = '\0';
}

static void
part_text(struct walk *w, struct mail_part *p, size_t no)
{
	struct buf t = BUF_INIT;
	char meta[CHARSET_LEN];
	const char *cs = p->charset;
	int flags;

	if (cs == NULL && strcmp(p->content_type, "text/html") == 0 &&
	    html_meta_charset((const char *)p->data, p->len, meta,
	    sizeof(meta)))
		cs = meta;
	flags = charset_to_utf8(cs, (const char *)p->data, p->len, &t);
	note_charset(w, no, cs, flags);
	unix_lines(&t);
	p->text = buf_detach(&t);
}

static void
part_data(struct walk *w, const struct mailmime *mm, struct mail_part *p,
    size_t no)
{
	const struct mailmime_data *d = mm->mm_data.mm_single;
	struct buf out = BUF_INIT;
	int flags;

	if (d == NULL || d->dt_type != MAILMIME_DATA_TEXT ||
	    d->dt_data.dt_text.dt_data == NULL) {
		p->data = (unsigned char *)buf_detach(&out);
		return;
	}
	flags = cte_decode(cte_of(d->dt_encoding), d->dt_data.dt_text.dt_data,
	    d->dt_data.dt_text.dt_length, &out);
	if (flags & CTE_TRUNCATED)
		notes_add(w->notes, "part %zu: base64 data cut short "
		    "(message truncated?)", no);
	if (flags & CTE_BAD)
		notes_add(w->notes, "part %zu: bad characters in its transfer "
		    "encoding", no);
	p->len = out.len;
	p->data = (unsigned char *)buf_detach(&out);
}

static void
part_meta(const struct mailmime *mm, struct mail_part *p, size_t no,
    struct walk *w)
{
	struct param cp[PARAMS_MAX], dp[PARAMS_MAX];
	size_t ncp = ct_params(mm->mm_content_type, cp);
	size_t ndp = disp_params(disposition(mm), dp);
	char *s;
	int flags = 0;

	p->content_type = type_name(mm->mm_content_type);
	if ((p->charset = param_get(cp, ncp, "charset", NULL)) != NULL)
		for (s = p->charset; *s; s++)
			if (*s >= 'A' && *s <= 'Z')
				*s = (char)(*s + 32);
	p->filename = param_get(dp, ndp, "filename", &flags);
	if (p->filename == NULL)
		p->filename = param_get(cp, ncp, "name", &flags);
	if (flags & CHARSET_UNKNOWN)
		notes_add(w->notes, "part %zu: file name in an unknown charset",
		    no);
	p->attachment = is_attachment(mm) || p->filename != NULL;
}

static int
leaf(struct walk *w, struct mailmime *mm, struct body *b, int show)
{
	struct mime_result *r = w->r;
	struct mail_part *p;
	size_t no = r->nparts + 1;

	if (r->nparts >= w->lim->max_parts)
		return err_set(w->e, LG_EPERM, "more than %zu MIME parts",
		    w->lim->max_parts);
	r->parts = xreallocarray(r->parts, r->nparts + 1, sizeof(*r->parts));
	p = &r->parts[r->nparts++];
	memset(p, 0, sizeof(*p));
	part_meta(mm, p, no, w);
	/* libetpan reads a multipart without boundary as one opaque part. */
	if (strncmp(p->content_type, "multipart/", 10) == 0)
		return err_set(w->e, LG_EPERM, "part %zu: %s without a boundary",
		    no, p->content_type);
	part_data(w, mm, p, no);
	if (strncmp(p->content_type, "text/", 5) == 0)
		part_text(w, p, no);
	if (!show || p->attachment || p->text == NULL)
		return LG_OK;
	if (strcmp(p->content_type, "text/plain") == 0)
		body_add(&b->plain, &b->has_plain, p->text, strlen(p->text));
	else if (strcmp(p->content_type, "text/html") == 0)
		body_add(&b->html, &b->has_html, p->text, strlen(p->text));
	return LG_OK;
}

/* Note a multipart whose closing delimiter never comes (a cut message). */
static void
check_closed(struct walk *w, const struct mailmime *mm, const char *bound)
{
	const char *start = mm->mm_mime_start, *end;
	char *delim;

	if (start < w->raw || start > w->raw + w->len)
		start = w->raw;
	end = mm->mm_length <= (size_t)(w->raw + w->len - start) ?
	    start + mm->mm_length : w->raw + w->len;
	delim = xasprintf("--%s--", bound);
	if (memmem(start, (size_t)(end - start), delim, strlen(delim)) == NULL)
		notes_add(w->notes, "multipart boundary \"%.70s\" never closed "
		    "(message truncated?)", bound);
	free(delim);
}

static int
multipart(struct walk *w, struct mailmime *mm, size_t depth, struct body *b,
    int show)
{
	const char *bound = mailmime_content_param_get(mm->mm_content_type,
	    "boundary");
	int alt = mm->mm_content_type && mm->mm_content_type->ct_subtype &&
	    strcasecmp(mm->mm_content_type->ct_subtype, "alternative") == 0;
	struct body sub;
	clistiter *it;
	int rc = LG_OK, got_plain = 0;

	if (bound == NULL)
		return err_set(w->e, LG_EPERM, "multipart without a boundary");
	check_closed(w, mm, bound);
	for (it = clist_begin(mm->mm_data.mm_multipart.mm_mp_list);
	    it && rc == LG_OK; it = clist_next(it)) {
		if (!alt) {
			rc = walk(w, clist_content(it), depth + 1, b, show);
			continue;
		}
		/* Alternatives: the first plain text, the last HTML. */
		memset(&sub, 0, sizeof(sub));
		rc = walk(w, clist_content(it), depth + 1, &sub, show);
		if (sub.has_plain && !got_plain) {
			body_add(&b->plain, &b->has_plain, buf_str(&sub.plain),
			    sub.plain.len);
			got_plain = 1;
		}
		if (sub.has_html) {
			buf_reset(&b->html);
			b->has_html = 0;
			body_add(&b->html, &b->has_html, buf_str(&sub.html),
			    sub.html.len);
		}
		body_free(&sub);
	}
	return rc;
}

/* Remember who wrote the first forwarded message shown inline. */
static void
forwarded(struct walk *w, const struct mailmime *mm)
{
	const struct mailimf_fields *f = mm->mm_data.mm_message.mm_fields;
	const struct mailimf_mailbox *mb;
	clistiter *it;

	if (w->r->fwd_from_addr != NULL || f == NULL || f->fld_list == NULL)
		return;
	for (it = clist_begin(f->fld_list); it; it = clist_next(it)) {
		const struct mailimf_field *fld = clist_content(it);

		if (fld->fld_type != MAILIMF_FIELD_FROM ||
		    fld->fld_data.fld_from == NULL ||
		    fld->fld_data.fld_from->frm_mb_list == NULL ||
		    clist_begin(fld->fld_data.fld_from->frm_mb_list->mb_list) ==
		    NULL)
			continue;
		mb = clist_content(clist_begin(
		    fld->fld_data.fld_from->frm_mb_list->mb_list));
		w->r->fwd_from_addr = xstrdup(mb->mb_addr_spec);
		w->r->fwd_from_name = xstrdup(mb->mb_display_name);
		return;
	}
}

/*
 * Keep the first embedded message as sent: a forward attached whole is
 * read again as the original mail (forward.h). Only an unencoded one:
 * message/rfc822 may not be base64 or quoted-printable (RFC 2046 5.2.1).
 */
static void
embedded(struct walk *w, const struct mailmime *mm)
{
	const struct mailmime_data *d = mm->mm_body;

	if (w->r->fwd_raw != NULL || d == NULL ||
	    d->dt_type != MAILMIME_DATA_TEXT ||
	    d->dt_encoding == MAILMIME_MECHANISM_BASE64 ||
	    d->dt_encoding == MAILMIME_MECHANISM_QUOTED_PRINTABLE ||
	    d->dt_data.dt_text.dt_data == NULL ||
	    d->dt_data.dt_text.dt_length == 0)
		return;
	w->r->fwd_raw = xstrndup(d->dt_data.dt_text.dt_data,
	    d->dt_data.dt_text.dt_length);
	w->r->fwd_len = d->dt_data.dt_text.dt_length;
}

static int
walk(struct walk *w, struct mailmime *mm, size_t depth, struct body *b,
    int show)
{
	if (depth > w->lim->max_depth)
		return err_set(w->e, LG_EPERM, "MIME parts nested deeper than "
		    "%zu", w->lim->max_depth);
	switch (mm->mm_type) {
	case MAILMIME_SINGLE:
		return leaf(w, mm, b, show);
	case MAILMIME_MULTIPLE:
		return multipart(w, mm, depth, b, show);
	case MAILMIME_MESSAGE:
		/* A forwarded message shows unless it is an attachment. */
		if (mm->mm_parent != NULL && show && !is_attachment(mm))
			forwarded(w, mm);
		if (mm->mm_parent != NULL)
			embedded(w, mm);
		if (mm->mm_data.mm_message.mm_msg_mime == NULL)
			return LG_OK;
		return walk(w, mm->mm_data.mm_message.mm_msg_mime, depth + 1, b,
		    show && (mm->mm_parent == NULL || !is_attachment(mm)));
	default:
		return err_set(w->e, LG_EINTERNAL, "MIME part of unknown type %d",
		    mm->mm_type);
	}
}

static int
stage(struct walk *w)
{
	struct mailmime *root = NULL;
	struct body b;
	size_t idx = 0;
	int r, rc;

	r = mailmime_parse(w->raw, w->len, &idx, &root);
	if (r == MAILIMF_ERROR_MEMORY)
		return err_set(w->e, LG_ETEMP, "out of memory parsing MIME");
	if (r != MAILIMF_NO_ERROR || root == NULL)
		return err_set(w->e, LG_EPERM, "the MIME structure cannot be "
		    "parsed (libetpan error %d)", r);
	memset(&b, 0, sizeof(b));
	rc = walk(w, root, 0, &b, 1);
	mailmime_free(root);
	w->r->plain = b.plain;
	w->r->html = b.html;
	w->r->has_plain = b.has_plain;
	w->r->has_html = b.has_html;
	return rc;
}

static void *
job_run(void *arg)
{
	struct job *j = arg;

	j->rc = stage(&j->w);
	return NULL;
}

static int
on_thread(struct job *j)
{
	pthread_attr_t attr;
	pthread_t t;
	int rc;

	if (pthread_attr_init(&attr) != 0)
		return err_set(j->w.e, LG_ETEMP, "cannot start the MIME parser "
		    "thread");
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	rc = pthread_create(&t, &attr, job_run, j);
	pthread_attr_destroy(&attr);
	if (rc != 0)
		return err_set(j->w.e, LG_ETEMP, "cannot start the MIME parser "
		    "thread: %s", strerror(rc));
	pthread_join(t, NULL);
	return j->rc;
}

int
mime_parse(const char *raw, size_t len, const struct mail_limits *lim,
    size_t content_types, struct mime_result *r, struct buf *notes,
    struct err *e)
{
	struct job j;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&j, 0, sizeof(j));
	j.w.raw = raw;
	j.w.len = len;
	j.w.lim = lim;
	j.w.r = r;
	j.w.notes = notes;
	j.w.e = e;
	if (content_types <= INLINE_CONTENT_TYPES)
		rc = stage(&j.w);
	else
		rc = on_thread(&j);
	if (rc != LG_OK)
		mime_result_free(r);
	return rc;
}

void
mime_parts_free(struct mail_part *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].content_type);
		free(v[i].charset);
		free(v[i].filename);
		free(v[i].data);
		free(v[i].text);
	}
	free(v);
}

void
mime_result_free(struct mime_result *r)
{
	mime_parts_free(r->parts, r->nparts);
	r->parts = NULL;
	r->nparts = 0;
	buf_free(&r->plain);
	buf_free(&r->html);
	free(r->fwd_from_addr);
	free(r->fwd_from_name);
	r->fwd_from_addr = r->fwd_from_name = NULL;
	free(r->fwd_raw);
	r->fwd_raw = NULL;
}
