/*
 * Template files of outgoing mail, in the templates directory.
 *
 * NAME.txt is a header block, a blank line and the text body:
 *
 *     Subject: Ihre Anfrage zu {{object.ref}}
 *     From: {{sender.name}} <{{sender.email}}>     (optional)
 *     Reply-To: ...                                 (optional)
 *     Attach: docs/{{object.ref}}.pdf               (optional, repeatable)
 *     Language: de                                  (optional)
 *
 *     Guten Tag {{contact.first_name}} ...
 *
 * Header names are case-insensitive; a line starting with a blank
 * continues the one before. Every value but Language is Mustache, as is
 * the body; neither is HTML-escaped. NAME.html next to it, if present, is
 * the HTML body (escaped) and makes the message multipart/alternative.
 *
 * Languages: for language "de-CH" the files tried are NAME.de-ch.txt,
 * NAME.de.txt, then NAME.txt; the HTML part is the .html file of the same
 * variant, so text and HTML never differ in language. Language: declares
 * the language of a default file (it becomes Content-Language).
 *
 * An Attach value is a path relative to the templates directory, rendered
 * first; one that renders empty is skipped, one that is absolute or holds
 * a ".." or hidden component is refused (values come from inquiries).
 * {{> name}} in a body is partials/name.LANG.txt or partials/name.txt
 * (.html in the HTML body); a missing partial is an error here.
 *
 * Errors name the file and line (LG_EPERM), or LG_ENOENT for a template
 * that does not exist.
 */
#ifndef LG_TEMPLATE_H
#define LG_TEMPLATE_H

#include <stddef.h>

#include <jansson.h>

#include "util/err.h"
#include "templates/compose.h"

#define TEMPLATE_MAX_SIZE (1u << 20)	/* a template or partial file */
#define TEMPLATE_MAX_ATTACH 16

struct template;

/* A template rendered for one recipient. */
struct template_msg {
	char *subject;
	char *from;		/* NULL when the template has none */
	char *reply_to;		/* NULL when none */
	char *language;		/* Language:, else the variant's, else NULL */
	char *text;
	char *html;		/* NULL without an HTML file */
	struct compose_attachment *attach;
	size_t nattach;
};

/* NAME for language lang (NULL or "": the default file) from dir. */
int template_load(const char *dir, const char *name, const char *lang,
    struct template **out, struct err *e);
/*
 * One template file (and its .html sibling when it ends in .txt), its
 * directory being the templates directory. partials_dir, when not NULL,
 * holds the partials as plain files named like the partial.
 */
int template_load_file(const char *path, const char *partials_dir,
    struct template **out, struct err *e);
void template_free(struct template *t);

/* The path of the text file and of the HTML file (NULL when none). */
const char *template_path(const struct template *t);
const char *template_html_path(const struct template *t);

/*
 * Render t for one recipient. A template is parsed once and rendered any
 * number of times; it keeps the partials its renderings loaded (each
 * read and parsed once), so one template is rendered by one thread at a
 * time.
 */
int template_render(const struct template *t, json_t *ctx,
    struct template_msg **out, struct err *e);
void template_msg_free(struct template_msg *m);

/*
 * Read a whole file of at most max bytes (NUL-terminated for
 * convenience). LG_ENOENT when it does not exist, else LG_EPERM.
 */
int template_read_file(const char *path, size_t max, char **out,
    size_t *len, struct err *e);

#endif
