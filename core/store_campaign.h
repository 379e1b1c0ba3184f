/*
 * Bulk mail campaigns in the store (core/store.h, outbound/bulk.h): what
 * was asked for, under a unique name, and its counts as of the last run.
 * sent, failed and waiting are counted from its outgoing rows when listed,
 * bounced (a report of a failed delivery came back) and complained from
 * the reports applied to them.
 */
#ifndef LG_STORE_CAMPAIGN_H
#define LG_STORE_CAMPAIGN_H

#include <stddef.h>
#include <stdint.h>

struct campaign {
	int64_t id;
	char *name;
	char *filter;
	char *template;
	char *advance_to;	/* NULL: leads stay where they are */
	long matched;		/* contacts the filter selected */
	long queued;		/* messages spooled, all runs together */
	long skipped;		/* contacts left out, last run */
	long sent, failed, waiting;
	long bounced, complained;
	long policy, content;	/* refused for policy, content (smtpfail.h) */
	char *created_at;
	char *updated_at;
	char *paused_at;	/* NULL: its mail goes out; else it waits */
};
void campaign_free(struct campaign *c);
void store_campaign_rows_free(struct campaign *v, size_t n);

#endif
