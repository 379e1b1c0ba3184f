/*
 * The generic extractor: a person writing to the agency, or a contact
 * form. Labelled fields in the body win (a form says who is asking);
 * then the sender: Reply-To, From, Sender, never a machine or a portal,
 * and failing those an address in the text.
 */
#include <stdlib.h>

#include <jansson.h>

#include "util/err.h"
#include "parse/extractor.h"
#include "parse/generic.h"
#include "parse/inquiry.h"
#include "parse/labels.h"
#include "parse/mail.h"

int
generic_extract(struct extract_ctx *x, const char *arg)
{
	static const struct label *const tables[] = { labels_common, NULL };
	struct labels l;
	char *msg;

	labels_scan(x->m->text, tables, &l);
	labels_apply(&l, x->q, x->custom);
	extractor_sender(x, 1, 1);
	if (x->q->message == NULL && (msg = extractor_message(x->m->text))) {
		inquiry_set(x->q, "message", msg);
		free(msg);
	}
	extractor_language(x);
	/* Else a form in one language was most likely read by its user. */
	if (x->q->language == NULL && l.found >= 3 && l.lang != NULL)
		inquiry_set(x->q, "language", l.lang);
	extractor_custom(x, "subject", x->m->subject);
	labels_free(&l);
	return LG_OK;
}
