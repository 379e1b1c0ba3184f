#include <stdlib.h>
#include <string.h>

#include "core/lead.h"
#include "util/names.h"
#include "util/xmalloc.h"

static const struct name_map status_names[] = {
	{ LEAD_OPEN, "open" },
	{ LEAD_WON, "won" },
	{ LEAD_LOST, "lost" },
};

struct lead *
lead_new(void)
{
	struct lead *l = xcalloc(1, sizeof(*l));

	l->custom = xstrdup("{}");
	return l;
}

void
lead_free(struct lead *l)
{
	if (l == NULL)
		return;
	free(l->pipeline);
	free(l->source);
	free(l->object_ref);
	free(l->portal_object_ref);
	free(l->portal);
	free(l->portal_ref);
	free(l->connector);
	free(l->message);
	free(l->custom);
	free(l->created_at);
	free(l->updated_at);
	free(l->closed_at);
	free(l);
}

void
history_clear(struct history *h)
{
	if (h == NULL)
		return;
	free(h->at);
	free(h->action);
	free(h->remark);
	memset(h, 0, sizeof(*h));
}

void
deal_clear(struct deal *d)
{
	if (d == NULL)
		return;
	free(d->title);
	free(d->object_ref);
	free(d->custom);
	free(d->created_at);
	memset(d, 0, sizeof(*d));
}

NAMES_FUNCS(lead_status, enum lead_status, status_names)
