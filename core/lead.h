/* Leads, their history, and deals created from them. */
#ifndef LG_LEAD_H
#define LG_LEAD_H

#include <stdint.h>

enum lead_status {
	LEAD_OPEN = 0,
	LEAD_WON,
	LEAD_LOST,
};

struct lead {
	int64_t id;
	int64_t contact_id;
	char *pipeline;
	int phase_no;
	enum lead_status status;
	char *source;
	char *object_ref;		/* the agency's own object reference */
	char *portal_object_ref;	/* the portal's id for the object */
	char *portal;
	char *portal_ref;		/* the portal's inquiry id */
	char *connector;
	char *message;
	char *custom;			/* JSON object text, "{}" when none */
	char *created_at;
	char *updated_at;
	char *closed_at;		/* when won or lost, else NULL */
};

/* One entry of the history of a lead or a contact. */
struct history {
	int64_t id;
	int64_t lead_id;		/* 0 for a contact-only entry */
	int64_t contact_id;
	char *at;
	char *action;			/* "Demande reçue", "move", "convert", ... */
	int phase_before;		/* 0 when not a phase change */
	int phase_after;
	char *remark;
};

/* A deal made by converting a lead. */
struct deal {
	int64_t id;
	int64_t lead_id;
	int64_t contact_id;
	int64_t company_id;		/* 0 if none */
	char *title;
	char *object_ref;
	char *custom;
	char *created_at;
};

struct lead *lead_new(void);
void lead_free(struct lead *l);
void history_clear(struct history *h);	/* frees the strings, not h */
void deal_clear(struct deal *d);

const char *lead_status_name(enum lead_status s);
int lead_status_parse(const char *s, enum lead_status *out);

#endif
