#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>

#include "util/names.h"
#include "core/outgoing.h"
#include "util/xmalloc.h"

/* The names stored in outgoing.state (the schema's CHECK list). */
static const struct name_map state_names[] = {
	{ OUT_QUEUED, "queued" },
	{ OUT_DEFERRED, "deferred" },
	{ OUT_SENT, "sent" },
	{ OUT_FAILED, "failed" },
	{ OUT_CANCELLED, "cancelled" },
	{ OUT_HELD, "held" },
};

struct outgoing *
outgoing_new(void)
{
	return xcalloc(1, sizeof(struct outgoing));
}

void
outgoing_clear(struct outgoing *o)
{
	if (o == NULL)
		return;
	free(o->dedup_key);
	free(o->template);
	free(o->rule);
	free(o->sender);
	free(o->message_id);
	free(o->subject);
	free(o->rcpt);
	free(o->spool_name);
	free(o->last_reply);
	free(o->advance_pipeline);
	free(o->created_at);
	free(o->updated_at);
	free(o->sent_at);
	free(o->inflight_boot);
	free(o->owner);
	memset(o, 0, sizeof(*o));
}

void
outgoing_free(struct outgoing *o)
{
	if (o == NULL)
		return;
	outgoing_clear(o);
	free(o);
}

char *
outgoing_key_autoreply(int64_t lead_id, const char *template)
{
	return xasprintf("autoreply:%lld:%s", (long long)lead_id, template);
}

char *
outgoing_key_campaign(int64_t campaign_id, int64_t contact_id)
{
	return xasprintf("campaign:%lld:%lld", (long long)campaign_id,
	    (long long)contact_id);
}

void
outgoing_message_id(const char *local, const char *domain, char *out,
    size_t len)
{
	unsigned char rnd[12];
	char hex[2 * sizeof(rnd) + 1];
	size_t i;

	gnutls_rnd(GNUTLS_RND_NONCE, rnd, sizeof(rnd));
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
	snprintf(out, len, "<%s.%s@%s>", local, hex, domain);
}

NAMES_FUNCS(outgoing_state, enum outgoing_state, state_names)
