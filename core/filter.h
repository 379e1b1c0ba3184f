/*
 * The filter language shared by `contacts list`, `leads list` and the bulk
 * mailer:
 *
 *   expr   := term { "or" term }
 *   term   := factor { "and" factor }
 *   factor := "not" factor | "(" expr ")" | FIELD OP VALUE
 *           | FIELD ["not"] "in" "(" VALUE { "," VALUE } ")"
 *   OP     := "=" | "!=" | "<" | ">" | "<=" | ">=" | "~" (glob, case-insensitive)
 *
 * Values are bare words, numbers or quoted strings; dates are YYYY-MM-DD,
 * a full ISO time, or relative ("-7d", "-12h"). A phase is a number or a
 * phase name; names are resolved against the pipelines when parsing, so
 * the store only ever sees (pipeline, phase number) comparisons. Custom
 * fields are "custom.NAME" (the lead's, then the contact's) or
 * "contact.custom.NAME" / "lead.custom.NAME"; with < > <= >= and a
 * number they compare as numbers (a value that is no number never
 * matches). "object.*" are the fields of the lead's object (objects are
 * linked by object_ref or portal_object_ref; see core/object.h). Phase
 * names compare without case or accents ("demande recue").
 *
 * Errors point at the column: "filter:1:12: unknown field 'phaze'".
 */
#ifndef LG_FILTER_H
#define LG_FILTER_H

#include <stddef.h>
#include <stdio.h>

#include "util/err.h"

struct pipelines;

enum filter_field_id {
	/* contact fields */
	FF_CONTACT_ID,
	FF_TYPE,
	FF_KIND,
	FF_FIRST_NAME,
	FF_LAST_NAME,
	FF_COMPANY,
	FF_EMAIL,
	FF_PHONE,
	FF_LANGUAGE,
	FF_CITY,
	FF_POSTCODE,
	FF_PROSPECT_STATE,
	FF_CLIENT_STATE,
	FF_OPT_OUT,
	FF_INVALID_ADDRESS,
	FF_CONTACT_CREATED,
	FF_CONTACT_CUSTOM,
	/* lead fields */
	FF_LEAD_ID,
	FF_PIPELINE,
	FF_PHASE_NO,
	FF_STATUS,
	FF_SOURCE,
	FF_OBJECT,
	FF_PORTAL_OBJECT,
	FF_PORTAL,
	FF_PORTAL_REF,
	FF_CONNECTOR,
	FF_LEAD_CREATED,
	FF_LEAD_UPDATED,
	FF_LEAD_CUSTOM,
	FF_ANY_CUSTOM,		/* lead.custom, else contact.custom */
	/* the lead's object */
	FF_OBJ_REF,
	FF_OBJ_TITLE,
	FF_OBJ_KIND,
	FF_OBJ_TYPE,
	FF_OBJ_PRICE,
	FF_OBJ_ROOMS,
	FF_OBJ_AREA,
	FF_OBJ_POSTCODE,
	FF_OBJ_CITY,
	FF_OBJ_STATE,
};

enum filter_vtype {
	FV_TEXT,
	FV_INT,
	FV_DATE,	/* ISO text; a bare date compares with the day */
	FV_BOOL,
	FV_ENUM,	/* text from a fixed set */
	FV_NUM,		/* a number with decimals (num_value) */
};

enum filter_node_type {
	FN_AND,
	FN_OR,
	FN_NOT,
	FN_CMP,
};

enum filter_cmp {
	FC_EQ,
	FC_NE,
	FC_LT,
	FC_GT,
	FC_LE,
	FC_GE,
	FC_GLOB,
};

struct filter_value {
	char *text;		/* always set; for FV_INT/FV_BOOL the digits */
	long long num;		/* FV_INT, FV_BOOL */
	int numeric;		/* text is a number: custom fields order by it */
};

struct filter_node {
	enum filter_node_type type;
	struct filter_node *a, *b;	/* AND/OR operands; NOT uses a */
	enum filter_field_id field;	/* CMP */
	char *custom_key;		/* for the custom fields */
	enum filter_cmp cmp;		/* CMP */
	struct filter_value *values;	/* one value ("in" becomes ORs) */
	size_t nvalues;
};

struct filter {
	char *text;
	struct filter_node *root;	/* NULL: everything matches */
};

struct filter_field {
	const char *name;
	enum filter_field_id id;
	enum filter_vtype type;
	int is_lead;			/* a lead field, not a contact field */
	const char *choices;		/* FV_ENUM: "a|b|c" */
};

/* Parse text; pipelines resolve phase names (may be NULL: numbers only). */
int filter_parse(const char *text, const struct pipelines *pl,
    struct filter **out, struct err *e);
void filter_free(struct filter *f);
const struct filter_field *filter_field_info(enum filter_field_id id);
/* 1 when the expression uses a lead field. */
int filter_uses_leads(const struct filter *f);
/* The documented field list, one per line, for --help. */
void filter_help(FILE *out);

#endif
