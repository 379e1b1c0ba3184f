/*
 * The generic extractor: a person writing to the agency, or a form no
 * profile knows. The mail is read with the lexicon alone (portal.c with
 * no profile): labelled fields in the body win (a form says who is
 * asking); then the sender: Reply-To, From, Sender, never a machine, a
 * portal or the agency itself, and failing those an address in the text.
 */
#include "parse/extractor.h"
#include "parse/generic.h"
#include "parse/portal.h"

int
generic_extract(struct extract_ctx *x, const char *arg)
{
	x->p = NULL;
	return portal_extract(x);
}
