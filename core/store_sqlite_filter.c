/*
 * The filter AST as an SQL expression over the aliases c (contacts),
 * l (leads) and s (sources). Every value is a bound parameter.
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "core/store_filter.h"
#include "core/store_sqlite.h"
#include "util/xmalloc.h"

static const char *cmp_sql[] = {
	[FC_EQ] = "=", [FC_NE] = "!=", [FC_LT] = "<", [FC_GT] = ">",
	[FC_LE] = "<=", [FC_GE] = ">=", [FC_GLOB] = "GLOB",
};

static void
param(struct sq_params *p, const char *v)
{
	p->v = xreallocarray(p->v, p->n + 1, sizeof(*p->v));
	p->v[p->n++] = xstrdup(v);
}

void
sq_params_free(struct sq_params *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

/* A JSON path for a custom field key, quoted so any key is literal. */
static char *
custom_path(const char *key)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "$.\"");
	for (; *key; key++) {
		if (*key == '"' || *key == '\\')
			buf_addc(&b, '\\');
		buf_addc(&b, *key);
	}
	buf_addc(&b, '"');
	return buf_detach(&b);
}

static void
value_expr(struct buf *sql, const struct filter_node *n,
    const struct filter_field *f, struct sq_params *p)
{
	if (f->type == FV_INT || f->type == FV_BOOL)
		buf_adds(sql, "CAST(? AS INTEGER)");
	else if (f->type == FV_NUM)
		buf_adds(sql, "CAST(? AS REAL)");
	else if (f->type == FV_TEXT || f->type == FV_ENUM)
		buf_adds(sql, "lower(?)");
	else
		buf_adds(sql, "?");
	/* A boolean is written yes/true/1: its parsed value, not the word. */
	if (f->type == FV_BOOL)
		param(p, n->values[0].num ? "1" : "0");
	else
		param(p, n->values[0].text);
}

/*
 * lhs OP value. A missing value (NULL) counts as "not equal", so != wraps
 * the comparison in coalesce(..., 1); lhs appears once because its own
 * parameters (custom field paths) are already bound in order.
 */
static void
emit_compare(struct buf *sql, const char *lhs, const struct filter_node *n,
    const struct filter_field *f, struct sq_params *p)
{
	int text = f->type == FV_TEXT || f->type == FV_ENUM;
	int day = f->type == FV_DATE && strlen(n->values[0].text) == 10;

	buf_adds(sql, n->cmp == FC_NE ? "coalesce(" : "(");
	if (text)
		buf_printf(sql, "lower(%s)", lhs);
	else if (day)
		buf_printf(sql, "substr(%s, 1, 10)", lhs);
	else
		buf_adds(sql, lhs);
	buf_printf(sql, " %s ", cmp_sql[n->cmp]);
	value_expr(sql, n, f, p);
	buf_adds(sql, n->cmp == FC_NE ? ", 1)" : ")");
}

/* e-mail and phone: a contact has several, so these are EXISTS tests. */
static void
emit_addr(struct buf *sql, const char *table, const struct filter_node *n,
    const struct filter_field *f, struct sq_params *p)
{
	struct filter_node eq = *n;

	if (n->cmp == FC_NE)
		eq.cmp = FC_EQ;
	buf_printf(sql, "%sEXISTS (SELECT 1 FROM %s a WHERE a.contact_id = c.id"
	    " AND ", n->cmp == FC_NE ? "NOT " : "", table);
	emit_compare(sql, "a.norm", &eq, f, p);
	buf_adds(sql, ")");
}

static void
emit_custom(struct buf *sql, const struct filter_node *n,
    const struct filter_field *f, struct sq_params *p)
{
	char *path = custom_path(n->custom_key);
	const char *lhs;

	switch (n->field) {
	case FF_CONTACT_CUSTOM:
		lhs = "json_extract(c.custom, ?)";
		param(p, path);
		break;
	case FF_LEAD_CUSTOM:
		lhs = "json_extract(l.custom, ?)";
		param(p, path);
		break;
	default:
		lhs = "coalesce(json_extract(l.custom, ?), "
		    "json_extract(c.custom, ?))";
		param(p, path);
		param(p, path);
		break;
	}
	free(path);
	/* An order against a number: lg_num() is NULL for what is none. */
	if (n->values[0].numeric && n->cmp != FC_EQ && n->cmp != FC_NE &&
	    n->cmp != FC_GLOB) {
		buf_printf(sql, "(lg_num(%s) %s CAST(? AS REAL))", lhs,
		    cmp_sql[n->cmp]);
		param(p, n->values[0].text);
		return;
	}
	emit_compare(sql, lhs, n, f, p);
}

static int
emit(const struct filter_node *n, struct buf *sql, struct sq_params *p,
    struct err *e)
{
	const struct filter_field *f;
	const char *col;
	int rc;

	switch (n->type) {
	case FN_AND:
	case FN_OR:
		buf_adds(sql, "(");
		if ((rc = emit(n->a, sql, p, e)) != LG_OK)
			return rc;
		buf_adds(sql, n->type == FN_AND ? " AND " : " OR ");
		if ((rc = emit(n->b, sql, p, e)) != LG_OK)
			return rc;
		buf_adds(sql, ")");
		return LG_OK;
	case FN_NOT:
		buf_adds(sql, "NOT coalesce(");
		if ((rc = emit(n->a, sql, p, e)) != LG_OK)
			return rc;
		buf_adds(sql, ", 0)");
		return LG_OK;
	case FN_CMP:
		break;
	}
	if ((f = filter_field_info(n->field)) == NULL)
		return err_set(e, LG_EINTERNAL, "filter field %d", n->field);
	if (n->field == FF_EMAIL)
		emit_addr(sql, "contact_emails", n, f, p);
	else if (n->field == FF_PHONE)
		emit_addr(sql, "contact_phones", n, f, p);
	else if (n->custom_key != NULL)
		emit_custom(sql, n, f, p);
	else if ((col = store_filter_column(n->field)) != NULL)
		emit_compare(sql, col, n, f, p);
	else
		return err_set(e, LG_EINTERNAL, "filter field %s has no column",
		    f->name);
	return LG_OK;
}

int
sq_filter_sql(const struct filter *f, struct buf *sql, struct sq_params *p,
    struct err *e)
{
	if (f == NULL || f->root == NULL) {
		buf_adds(sql, "1");
		return LG_OK;
	}
	return emit(f->root, sql, p, e);
}
