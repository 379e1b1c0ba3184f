/*
 * The CRM rows of the store (core/store.h): contacts, leads, history and
 * deals come as the structs of contact.h and lead.h; here are the keys a
 * contact is found by, what the status rules learn about a contact's
 * leads, sources, reports, and the free functions of the arrays the store
 * returns.
 */
#ifndef LG_STORE_CRM_H
#define LG_STORE_CRM_H

#include <stddef.h>
#include <stdint.h>

#include "core/contact.h"
#include "core/filter.h"
#include "core/lead.h"
#include "util/idlist.h"

enum store_match {
	MATCH_EMAIL,		/* key: normalized address */
	MATCH_PHONE,		/* key: E.164 number */
	MATCH_NAME_POSTCODE,	/* key: "first\tlast\tpostcode", case-insensitive */
	MATCH_COMPANY,		/* key: a company contact's name, case-insensitive */
};

/* What the status rules need to know about a contact's leads. */
struct lead_summary {
	int open;
	int won;
	int lost;
	enum lead_status last_closed;	/* of the most recently closed lead */
	char *last_won_at;		/* NULL when never won */
};
void lead_summary_clear(struct lead_summary *s);

/* A history entry to add; the store sets its time (struct history). */
struct new_history {
	int64_t lead_id;		/* 0 for a contact-only entry */
	int64_t contact_id;
	const char *action;
	int phase_before;		/* 0 when not a phase change */
	int phase_after;
	const char *remark;
};
void store_history_free(struct history *v, size_t n);
void store_deals_free(struct deal *v, size_t n);

struct source_row {
	char *name;
	long leads;
	char *created_at;
};
void store_source_rows_free(struct source_row *v, size_t n);

/* An arrival of a lead in a phase (migration 13), whose steps may run. */
struct phase_arrival {
	int64_t id;
	int64_t lead_id;
	char *pipeline;
	int phase_no;
};
void phase_arrival_clear(struct phase_arrival *a);

/* Reports: lead counts by (pipeline, phase) or by source. */
enum report_by {
	REPORT_BY_PHASE,
	REPORT_BY_SOURCE,
	REPORT_BY_OBJECT,
};
struct report_row {
	char *pipeline;		/* REPORT_BY_PHASE */
	int phase_no;		/* REPORT_BY_PHASE */
	char *source;		/* REPORT_BY_SOURCE */
	char *object;		/* REPORT_BY_OBJECT: ref, NULL: none */
	long open, won, lost;
};
void store_report_free(struct report_row *v, size_t n);

/* What store_contact_erase() did and left to the caller. */
struct erase_count {
	const char *what;	/* static text: "leads", "outgoing mails", ... */
	long n;
};
struct erase_spool {
	char *name;		/* the spool file */
	int64_t row;		/* the outgoing row whose message it holds */
};
struct erase_result {
	struct erase_count *counts;
	size_t ncounts;
	struct erase_spool *spool;	/* messages not sent yet */
	size_t nspool;
	char **mails;		/* archive contents (SHA-256) no row names */
	size_t nmails;
};
void store_erase_result_free(struct erase_result *r);

#endif
