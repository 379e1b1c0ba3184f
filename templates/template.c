/*
 * Template files: finding the language variant, parsing the header block
 * and the bodies once, rendering them per recipient.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "templates/encode.h"
#include "templates/mustache.h"
#include "templates/template.h"

#define LANG_MAX 16

struct tattach {
	struct mustache *m;
	int line;
};

struct template {
	char *dir;		/* attachments and partials are found from here */
	char *lang;		/* of the variant (from the file name), or NULL */
	char *language;		/* the Language: line, or NULL */
	char *path;
	char *html_path;	/* NULL: no HTML part */
	struct mustache *subject, *from, *reply_to;
	struct tattach attach[TEMPLATE_MAX_ATTACH];
	size_t nattach;
	struct mustache *text, *html;
	char *partials;		/* the partials directory */
	int flat;		/* partial x is the file partials/x */
	/* Partials parsed by earlier renderings, of each body kind. */
	struct mustache_partials *keep_txt, *keep_html;
};

enum theader_kind {
	TH_ONE,		/* Mustache, at most once */
	TH_MANY,	/* Mustache, repeatable (Attach) */
	TH_LITERAL,	/* plain text (Language) */
};

static const struct theader {
	const char *name;
	enum theader_kind kind;
	size_t slot;		/* TH_ONE: where its tree goes */
} theaders[] = {
	{ "Subject", TH_ONE, offsetof(struct template, subject) },
	{ "From", TH_ONE, offsetof(struct template, from) },
	{ "Reply-To", TH_ONE, offsetof(struct template, reply_to) },
	{ "Attach", TH_MANY, 0 },
	{ "Language", TH_LITERAL, 0 },
};

#define NTHEADERS (sizeof(theaders) / sizeof(theaders[0]))

/* The header block being read. */
struct tparse {
	struct template *t;
	const char *text;
	size_t len;
	const struct theader *cur;	/* header being collected */
	size_t vstart, vend;		/* its value (continuations included) */
	int vline, vcol;
	int seen[NTHEADERS];
	struct err *e;
};

struct tpartial_arg {
	const struct template *t;
	const char *ext;	/* "txt" or "html" */
};

int
template_read_file(const char *path, size_t max, char **out, size_t *len,
    struct err *e)
{
	struct stat sb;
	char *p;
	ssize_t r;
	size_t n = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return err_set(e, errno == ENOENT ? LG_ENOENT : LG_EPERM,
		    "%s: %s", path, strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (size_t)sb.st_size > max) {
		close(fd);
		return err_set(e, LG_EPERM, "%s: not a regular file of at most "
		    "%zu bytes", path, max);
	}
	p = xmalloc((size_t)sb.st_size + 1);
	while (n < (size_t)sb.st_size &&
	    (r = read(fd, p + n, (size_t)sb.st_size - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err_set(e, LG_EPERM, "%s: %s", path, strerror(errno));
			close(fd);
			free(p);
			return LG_EPERM;
		}
		n += (size_t)r;
	}
	close(fd);
	p[n] = '\0';
	*out = p;
	*len = n;
	return LG_OK;
}

static int
tp_line_of(const char *text, size_t off)
{
	size_t i;
	int line = 1;

	for (i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

/* Templates are UTF-8 text: no NUL, no broken sequences. */
static int
tp_check_text(const char *path, const char *text, size_t len, struct err *e)
{
	const char *nul = memchr(text, '\0', len);
	size_t bad;

	if (nul)
		return err_set(e, LG_EPERM, "%s:%d: a NUL byte in a template",
		    path, tp_line_of(text, (size_t)(nul - text)));
	if (!encode_utf8_valid(text, len, &bad))
		return err_set(e, LG_EPERM, "%s:%d: not UTF-8", path,
		    tp_line_of(text, bad));
	return LG_OK;
}

static int
tp_lang_ok(const char *s)
{
	size_t i, n = strlen(s), primary = 0;

	while (primary < n && isalpha((unsigned char)s[primary]))
		primary++;
	if (primary < 2 || primary > 3 || n > LANG_MAX)
		return 0;
	if (primary == n)
		return 1;
	if (s[primary] != '-' || primary + 1 == n)
		return 0;
	for (i = primary + 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Names become file names: letters, digits, '-' and '_' only. */
static int
tp_name_ok(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-_");

	return n > 0 && n <= 64 && s[n] == '\0';
}

static const struct theader *
tp_header(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NTHEADERS; i++)
		if (strlen(theaders[i].name) == len &&
		    strncasecmp(theaders[i].name, name, len) == 0)
			return &theaders[i];
	return NULL;
}

static int
tp_literal(struct tparse *p, const char *v, size_t len)
{
	char *s;

	while (len && isspace((unsigned char)*v)) {
		v++;
		len--;
	}
	while (len && isspace((unsigned char)v[len - 1]))
		len--;
	s = xstrndup(v, len);
	if (!tp_lang_ok(s)) {
		err_set(p->e, LG_EPERM, "%s:%d: Language: '%.40s' is not a "
		    "language tag such as de or de-CH", p->t->path, p->vline, s);
		free(s);
		return LG_EPERM;
	}
	p->t->language = s;
	return LG_OK;
}

/* The header collected so far is complete: parse its value. */
static int
tp_flush(struct tparse *p)
{
	const struct theader *h = p->cur;
	const char *v = p->text + p->vstart;
	size_t len = p->vend - p->vstart;
	struct mustache **slot;

	p->cur = NULL;
	if (h == NULL)
		return LG_OK;
	if (h->kind == TH_LITERAL)
		return tp_literal(p, v, len);
	if (h->kind == TH_MANY) {
		p->t->attach[p->t->nattach].line = p->vline;
		slot = &p->t->attach[p->t->nattach++].m;
	} else {
		slot = (struct mustache **)((char *)p->t + h->slot);
	}
	return mustache_parse_at(v, len, p->t->path, p->vline, p->vcol, slot,
	    p->e);
}

static int
tp_start(struct tparse *p, size_t pos, size_t end, int line)
{
	const char *s = p->text + pos;
	const char *colon = memchr(s, ':', end - pos);
	const struct theader *h;
	size_t nlen, v;

	if (colon == NULL)
		return err_set(p->e, LG_EPERM, "%s:%d: not a header line "
		    "(want 'Name: value', then a blank line, then the body)",
		    p->t->path, line);
	for (nlen = (size_t)(colon - s); nlen && s[nlen - 1] == ' '; nlen--)
		;
	if ((h = tp_header(s, nlen)) == NULL)
		return err_set(p->e, LG_EPERM, "%s:%d: unknown header '%.*s' "
		    "(known: Subject, From, Reply-To, Attach, Language)",
		    p->t->path, line, (int)(nlen > 60 ? 60 : nlen), s);
	if (h->kind != TH_MANY && p->seen[h - theaders])
		return err_set(p->e, LG_EPERM, "%s:%d: %s given twice",
		    p->t->path, line, h->name);
	if (h->kind == TH_MANY && p->t->nattach == TEMPLATE_MAX_ATTACH)
		return err_set(p->e, LG_EPERM, "%s:%d: more than %d %s lines",
		    p->t->path, line, TEMPLATE_MAX_ATTACH, h->name);
	p->seen[h - theaders] = 1;
	for (v = (size_t)(colon - p->text) + 1; v < end &&
	    (p->text[v] == ' ' || p->text[v] == '\t'); v++)
		;
	p->cur = h;
	p->vstart = v;
	p->vend = end;
	p->vline = line;
	p->vcol = (int)(v - pos) + 1;
	return LG_OK;
}

/* Read the header block; *body is where the body starts, on *body_line. */
static int
tp_headers(struct tparse *p, size_t *body, int *body_line)
{
	size_t pos = 0, eol, end;
	const char *nl;
	int line = 1, rc;

	for (;;) {
		if ((nl = memchr(p->text + pos, '\n', p->len - pos)) == NULL)
			return err_set(p->e, LG_EPERM, "%s:%d: the headers must "
			    "end with a blank line before the body", p->t->path,
			    line);
		eol = (size_t)(nl - p->text);
		end = eol > pos && p->text[eol - 1] == '\r' ? eol - 1 : eol;
		if (end == pos) {
			*body = eol + 1;
			*body_line = line + 1;
			return tp_flush(p);
		}
		if (p->text[pos] == ' ' || p->text[pos] == '\t') {
			if (p->cur == NULL)
				return err_set(p->e, LG_EPERM, "%s:%d: a "
				    "continuation line with no header before it",
				    p->t->path, line);
			p->vend = end;
		} else if ((rc = tp_flush(p)) != LG_OK ||
		    (rc = tp_start(p, pos, end, line)) != LG_OK) {
			return rc;
		}
		pos = eol + 1;
		line++;
	}
}

static int
tp_parse_text(struct template *t, const char *text, size_t len,
    struct err *e)
{
	struct tparse p;
	size_t body = 0;
	int body_line = 1, rc;

	memset(&p, 0, sizeof(p));
	p.t = t;
	p.text = text;
	p.len = len;
	p.e = e;
	if ((rc = tp_check_text(t->path, text, len, e)) != LG_OK ||
	    (rc = tp_headers(&p, &body, &body_line)) != LG_OK)
		return rc;
	if (t->subject == NULL)
		return err_set(e, LG_EPERM, "%s:1: no Subject header", t->path);
	return mustache_parse_at(text + body, len - body, t->path, body_line, 1,
	    &t->text, e);
}

static int
tp_parse_html(struct template *t, struct err *e)
{
	char *text;
	size_t len;
	int rc;

	if ((rc = template_read_file(t->html_path, TEMPLATE_MAX_SIZE, &text,
	    &len, e)) != LG_OK)
		return rc;
	if ((rc = tp_check_text(t->html_path, text, len, e)) == LG_OK)
		rc = mustache_parse(text, len, t->html_path, &t->html, e);
	free(text);
	return rc;
}

static int
tp_exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Takes the strings given. */
static int
tp_load(char *dir, char *path, char *html_path, char *lang, char *partials,
    int flat, struct template **out, struct err *e)
{
	struct template *t = xcalloc(1, sizeof(*t));
	char *text;
	size_t len;
	int rc;

	t->dir = dir;
	t->path = path;
	t->lang = lang;
	t->partials = partials;
	t->flat = flat;
	t->keep_txt = mustache_partials_new();
	t->keep_html = mustache_partials_new();
	if (html_path && tp_exists(html_path))
		t->html_path = html_path;
	else
		free(html_path);
	rc = template_read_file(t->path, TEMPLATE_MAX_SIZE, &text, &len, e);
	if (rc == LG_OK) {
		rc = tp_parse_text(t, text, len, e);
		free(text);
	}
	if (rc == LG_OK && t->html_path)
		rc = tp_parse_html(t, e);
	if (rc != LG_OK) {
		template_free(t);
		return rc;
	}
	*out = t;
	return LG_OK;
}

/* The variants to try for lang: "de-ch", "de", then the default (NULL). */
static size_t
tp_variants(const char *lang, char *v[2])
{
	char *s, *dash;
	size_t n = 0, i;

	if (lang == NULL || !tp_lang_ok(lang))
		return 0;
	s = xstrdup(lang);
	for (i = 0; s[i]; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	v[n++] = s;
	if ((dash = strchr(s, '-')) != NULL)
		v[n++] = xstrndup(s, (size_t)(dash - s));
	return n;
}

int
template_load(const char *dir, const char *name, const char *lang,
    struct template **out, struct err *e)
{
	char *v[2], *path = NULL, *chosen = NULL;
	size_t n, i;

	if (!tp_name_ok(name))
		return err_set(e, LG_EPERM, "bad template name '%.64s' (letters, "
		    "digits, '-' and '_')", name);
	n = tp_variants(lang, v);
	for (i = 0; i < n && chosen == NULL; i++) {
		path = xasprintf("%s/%s.%s.txt", dir, name, v[i]);
		if (tp_exists(path)) {
			chosen = xstrdup(v[i]);
		} else {
			free(path);
			path = NULL;
		}
	}
	for (i = 0; i < n; i++)
		free(v[i]);
	if (path == NULL) {
		path = xasprintf("%s/%s.txt", dir, name);
		if (!tp_exists(path)) {
			err_set(e, LG_ENOENT, "template '%s' not found: no %s",
			    name, path);
			free(path);
			return LG_ENOENT;
		}
	}
	return tp_load(xstrdup(dir), path, chosen ?
	    xasprintf("%s/%s.%s.html", dir, name, chosen) :
	    xasprintf("%s/%s.html", dir, name), chosen,
	    xasprintf("%s/partials", dir), 0, out, e);
}

/* "x/name.fr.txt" is the fr variant. */
static char *
tp_lang_of(const char *path)
{
	const char *base = strrchr(path, '/'), *dot, *ext;
	char *lang;

	base = base ? base + 1 : path;
	if ((ext = strrchr(base, '.')) == NULL || strcmp(ext, ".txt") != 0)
		return NULL;
	for (dot = ext - 1; dot > base && *dot != '.'; dot--)
		;
	if (dot <= base)
		return NULL;
	lang = xstrndup(dot + 1, (size_t)(ext - dot - 1));
	if (!tp_lang_ok(lang)) {
		free(lang);
		return NULL;
	}
	return lang;
}

int
template_load_file(const char *path, const char *partials_dir,
    struct template **out, struct err *e)
{
	const char *slash = strrchr(path, '/');
	size_t n = strlen(path);
	char *dir = slash ? xstrndup(path, (size_t)(slash - path)) :
	    xstrdup(".");
	char *html = NULL;

	if (n > 4 && strcmp(path + n - 4, ".txt") == 0)
		html = xasprintf("%.*s.html", (int)(n - 4), path);
	return tp_load(dir, xstrdup(path), html, tp_lang_of(path),
	    partials_dir ? xstrdup(partials_dir) :
	    xasprintf("%s/partials", dir), partials_dir != NULL, out, e);
}

void
template_free(struct template *t)
{
	size_t i;

	if (t == NULL)
		return;
	mustache_free(t->subject);
	mustache_free(t->from);
	mustache_free(t->reply_to);
	for (i = 0; i < t->nattach; i++)
		mustache_free(t->attach[i].m);
	mustache_free(t->text);
	mustache_free(t->html);
	mustache_partials_free(t->keep_txt);
	mustache_partials_free(t->keep_html);
	free(t->dir);
	free(t->lang);
	free(t->language);
	free(t->path);
	free(t->html_path);
	free(t->partials);
	free(t);
}

const char *
template_path(const struct template *t)
{
	return t->path;
}

const char *
template_html_path(const struct template *t)
{
	return t->html_path;
}

/* Rendering */

static int
tr_partial(void *arg, const char *name, char **text, size_t *len,
    char **origin, struct err *e)
{
	const struct tpartial_arg *a = arg;
	const struct template *t = a->t;
	char *path;
	int rc;

	if (t->flat ? (strchr(name, '/') || name[0] == '.') :
	    !tp_name_ok(name))
		return err_set(e, LG_EPERM, "bad partial name '%.64s'", name);
	if (t->flat) {
		path = xasprintf("%s/%s", t->partials, name);
	} else {
		path = t->lang ? xasprintf("%s/%s.%s.%s", t->partials, name,
		    t->lang, a->ext) : NULL;
		if (path == NULL || !tp_exists(path)) {
			free(path);
			path = xasprintf("%s/%s.%s", t->partials, name, a->ext);
		}
	}
	rc = template_read_file(path, TEMPLATE_MAX_SIZE, text, len, e);
	if (rc == LG_ENOENT)
		rc = err_set(e, LG_EPERM, "partial '%s' not found: no %s", name,
		    path);
	if (rc == LG_OK)
		*origin = path;
	else
		free(path);
	return rc;
}

static int
tr_run(const struct template *t, const struct mustache *m, const char *ext,
    enum mustache_escape esc, json_t *ctx, char **out, struct err *e)
{
	struct tpartial_arg arg = { t, ext };
	struct mustache_opts o = { esc, tr_partial, &arg };
	struct buf b = BUF_INIT;
	int rc;

	if ((rc = mustache_render_keep(m, ctx, &o, strcmp(ext, "html") == 0 ?
	    t->keep_html : t->keep_txt, &b, e)) != LG_OK) {
		buf_free(&b);
		return rc;
	}
	*out = buf_detach(&b);
	return LG_OK;
}

/* Header continuation lines join the line before (RFC 5322 unfolding). */
static void
tr_unfold(char *s)
{
	char *r, *w;

	for (r = w = s; *r; r++) {
		if (r[0] == '\r' && r[1] == '\n' && (r[2] == ' ' || r[2] == '\t'))
			r++;
		if (r[0] == '\n' && (r[1] == ' ' || r[1] == '\t'))
			continue;
		*w++ = *r;
	}
	*w = '\0';
}

/* A header value: rendered, unfolded, trimmed; NULL when it comes out empty. */
static int
tr_value(const struct template *t, const struct mustache *m, json_t *ctx,
    char **out, struct err *e)
{
	char *s, *p;
	size_t n;
	int rc;

	*out = NULL;
	if (m == NULL)
		return LG_OK;
	if ((rc = tr_run(t, m, "txt", MUSTACHE_ESCAPE_NONE, ctx, &s, e)) !=
	    LG_OK)
		return rc;
	tr_unfold(s);
	for (p = s; isspace((unsigned char)*p); p++)
		;
	for (n = strlen(p); n && isspace((unsigned char)p[n - 1]); n--)
		;
	if (n)
		*out = xstrndup(p, n);
	free(s);
	return LG_OK;
}

/* Inside the templates directory: relative, no "..", nothing hidden. */
static int
tr_relpath_ok(const char *rel)
{
	const char *c = rel, *p;

	if (*rel == '/' || strlen(rel) > 1024)
		return 0;
	for (p = rel; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return 0;
	for (;;) {
		if (*c == '.' || *c == '/' || *c == '\0')
			return 0;
		if ((c = strchr(c, '/')) == NULL)
			return 1;
		c++;
	}
}

static int
tr_attach(const struct template *t, const struct tattach *a, json_t *ctx,
    struct template_msg *m, struct err *e)
{
	struct compose_attachment *ca;
	const char *base;
	char *rel, *path, *data;
	size_t len;
	int rc;

	if ((rc = tr_value(t, a->m, ctx, &rel, e)) != LG_OK || rel == NULL)
		return rc;
	if (!tr_relpath_ok(rel)) {
		err_set(e, LG_EPERM, "%s:%d: Attach: '%.100s' is not a path "
		    "inside the templates directory", t->path, a->line, rel);
		free(rel);
		return LG_EPERM;
	}
	path = xasprintf("%s/%s", t->dir, rel);
	rc = template_read_file(path, COMPOSE_MAX_ATTACH_SIZE, &data, &len, e);
	if (rc != LG_OK) {
		err_prefix(e, "%s:%d: Attach", t->path, a->line);
		rc = LG_EPERM;
	} else {
		ca = &m->attach[m->nattach++];
		base = strrchr(rel, '/');
		ca->filename = xstrdup(base ? base + 1 : rel);
		ca->data = (unsigned char *)data;
		ca->len = len;
	}
	free(path);
	free(rel);
	return rc;
}

int
template_render(const struct template *t, json_t *ctx,
    struct template_msg **out, struct err *e)
{
	struct template_msg *m = xcalloc(1, sizeof(*m));
	size_t i;
	int rc;

	m->attach = xcalloc(t->nattach + 1, sizeof(*m->attach));
	rc = tr_value(t, t->subject, ctx, &m->subject, e);
	if (rc == LG_OK)
		rc = tr_value(t, t->from, ctx, &m->from, e);
	if (rc == LG_OK)
		rc = tr_value(t, t->reply_to, ctx, &m->reply_to, e);
	for (i = 0; i < t->nattach && rc == LG_OK; i++)
		rc = tr_attach(t, &t->attach[i], ctx, m, e);
	if (rc == LG_OK)
		rc = tr_run(t, t->text, "txt", MUSTACHE_ESCAPE_NONE, ctx,
		    &m->text, e);
	if (rc == LG_OK && t->html)
		rc = tr_run(t, t->html, "html", MUSTACHE_ESCAPE_HTML, ctx,
		    &m->html, e);
	if (rc != LG_OK) {
		template_msg_free(m);
		return rc;
	}
	if (m->subject == NULL)
		m->subject = xstrdup("");
	m->language = xstrdup(t->language ? t->language : t->lang);
	*out = m;
	return LG_OK;
}

void
template_msg_free(struct template_msg *m)
{
	size_t i;

	if (m == NULL)
		return;
	free(m->subject);
	free(m->from);
	free(m->reply_to);
	free(m->language);
	free(m->text);
	free(m->html);
	for (i = 0; i < m->nattach; i++)
		compose_attachment_clear(&m->attach[i]);
	free(m->attach);
	free(m);
}
