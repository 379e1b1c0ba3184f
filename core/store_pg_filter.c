/*
 * The filter AST as a PostgreSQL expression over the aliases c (contacts),
 * l (leads) and s (sources), meaning what store_sqlite_filter.c's SQL
 * means in SQLite. Every value is a bound parameter ($N). Differences
 * handled here: booleans are booleans (coalesce(x, true), not 1); GLOB
 * is a regular expression made from the pattern (~, anchored); a custom
 * field is (custom::jsonb ->> key), compared as a number when the field
 * is one and the text is an integer.
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "core/store_filter.h"
#include "core/store_pg.h"
#include "util/xmalloc.h"

static const char *cmp_sql[] = {
	[FC_EQ] = "=", [FC_NE] = "<>", [FC_LT] = "<", [FC_GT] = ">",
	[FC_LE] = "<=", [FC_GE] = ">=", [FC_GLOB] = "~",
};

struct fctx {
	struct buf *sql;
	struct pg_fparams *p;
	int first;		/* the number of the first placeholder */
};

/* Add a value; its placeholder number. */
static int
param(struct fctx *x, const char *v)
{
	x->p->v = xreallocarray(x->p->v, x->p->n + 1, sizeof(*x->p->v));
	x->p->v[x->p->n++] = xstrdup(v);
	return x->first + (int)x->p->n - 1;
}

void
pg_fparams_free(struct pg_fparams *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

/*
 * A GLOB pattern (* ? [set] [!set], case-sensitive, whole string) as a
 * POSIX regular expression with the same meaning.
 */
static char *
glob_regex(const char *g)
{
	struct buf b = BUF_INIT;
	int inset = 0;

	buf_addc(&b, '^');
	for (; *g; g++) {
		if (inset) {
			if (*g == ']')
				inset = 0;
			if (*g == '\\')
				buf_addc(&b, '\\');
			buf_addc(&b, *g);
		} else if (*g == '*') {
			buf_adds(&b, ".*");
		} else if (*g == '?') {
			buf_addc(&b, '.');
		} else if (*g == '[' && strchr(g + 1, ']') != NULL) {
			inset = 1;
			buf_addc(&b, '[');
			if (g[1] == '!' || g[1] == '^') {
				buf_addc(&b, '^');
				g++;
			}
			if (g[1] == ']') {	/* a leading ] is literal */
				buf_adds(&b, "\\]");
				g++;
			}
		} else {
			if (strchr(".^$|()[]{}+*?\\", *g) != NULL)
				buf_addc(&b, '\\');
			buf_addc(&b, *g);
		}
	}
	buf_addc(&b, '$');
	return buf_detach(&b);
}

static void
value_expr(struct fctx *x, const struct filter_node *n,
    const struct filter_field *f)
{
	char *re;
	int k;

	if (f->type == FV_BOOL) {
		/* A boolean is written yes/true/1: its parsed value. */
		k = param(x, n->values[0].num ? "1" : "0");
		buf_printf(x->sql, "CAST($%d AS bigint)", k);
	} else if (f->type == FV_INT && n->cmp != FC_GLOB) {
		k = param(x, n->values[0].text);
		buf_printf(x->sql, "CAST($%d AS bigint)", k);
	} else if (f->type == FV_NUM && n->cmp != FC_GLOB) {
		k = param(x, n->values[0].text);
		buf_printf(x->sql, "CAST($%d AS double precision)", k);
	} else if (n->cmp == FC_GLOB) {
		re = glob_regex(n->values[0].text);
		k = param(x, re);
		free(re);
		buf_printf(x->sql, f->type == FV_TEXT || f->type == FV_ENUM ?
		    "lower($%d::text)" : "$%d::text", k);
	} else if (f->type == FV_TEXT || f->type == FV_ENUM) {
		buf_printf(x->sql, "lower($%d::text)",
		    param(x, n->values[0].text));
	} else {
		buf_printf(x->sql, "$%d::text", param(x, n->values[0].text));
	}
}

/* lhs OP value; a missing value (NULL) counts as "not equal". */
static void
emit_compare(struct fctx *x, const char *lhs, const struct filter_node *n,
    const struct filter_field *f)
{
	int text = f->type == FV_TEXT || f->type == FV_ENUM;
	int day = f->type == FV_DATE && strlen(n->values[0].text) == 10;
	int glob = n->cmp == FC_GLOB;

	buf_adds(x->sql, n->cmp == FC_NE ? "coalesce(" : "(");
	if (text)
		buf_printf(x->sql, "lower(%s)", lhs);
	else if (day)
		buf_printf(x->sql, "substr(%s, 1, 10)", lhs);
	else if (glob)
		buf_printf(x->sql, "(%s)::text", lhs);
	else
		buf_adds(x->sql, lhs);
	buf_printf(x->sql, " %s ", cmp_sql[n->cmp]);
	value_expr(x, n, f);
	buf_adds(x->sql, n->cmp == FC_NE ? ", true)" : ")");
}

static void
emit_addr(struct fctx *x, const char *table, const struct filter_node *n,
    const struct filter_field *f)
{
	struct filter_node eq = *n;

	if (n->cmp == FC_NE)
		eq.cmp = FC_EQ;
	buf_printf(x->sql, "%sEXISTS (SELECT 1 FROM %s a WHERE a.contact_id = "
	    "c.id AND ", n->cmp == FC_NE ? "NOT " : "", table);
	emit_compare(x, "a.norm", &eq, f);
	buf_adds(x->sql, ")");
}

static void
emit_custom(struct fctx *x, const struct filter_node *n,
    const struct filter_field *f)
{
	struct buf lhs = BUF_INIT, num = BUF_INIT;
	int k = param(x, n->custom_key);

	switch (n->field) {
	case FF_CONTACT_CUSTOM:
		buf_printf(&lhs, "(c.custom::jsonb ->> $%d::text)", k);
		break;
	case FF_LEAD_CUSTOM:
		buf_printf(&lhs, "(l.custom::jsonb ->> $%d::text)", k);
		break;
	default:
		buf_printf(&lhs, "coalesce(l.custom::jsonb ->> $%d::text, "
		    "c.custom::jsonb ->> $%d::text)", k, k);
		break;
	}
	if ((f->type == FV_INT || f->type == FV_BOOL) && n->cmp != FC_GLOB) {
		/* SQLite's json_extract() gives a number; text is no match. */
		buf_printf(&num, "(CASE WHEN %s ~ '^-?[0-9]{1,18}$' THEN "
		    "(%s)::bigint WHEN %s = 'true' THEN 1 WHEN %s = 'false' "
		    "THEN 0 END)", buf_str(&lhs), buf_str(&lhs),
		    buf_str(&lhs), buf_str(&lhs));
		emit_compare(x, buf_str(&num), n, f);
	} else {
		emit_compare(x, buf_str(&lhs), n, f);
	}
	buf_free(&lhs);
	buf_free(&num);
}

static int
emit(struct fctx *x, const struct filter_node *n, struct err *e)
{
	const struct filter_field *f;
	const char *col;
	int rc;

	switch (n->type) {
	case FN_AND:
	case FN_OR:
		buf_adds(x->sql, "(");
		if ((rc = emit(x, n->a, e)) != LG_OK)
			return rc;
		buf_adds(x->sql, n->type == FN_AND ? " AND " : " OR ");
		if ((rc = emit(x, n->b, e)) != LG_OK)
			return rc;
		buf_adds(x->sql, ")");
		return LG_OK;
	case FN_NOT:
		buf_adds(x->sql, "NOT coalesce(");
		if ((rc = emit(x, n->a, e)) != LG_OK)
			return rc;
		buf_adds(x->sql, ", false)");
		return LG_OK;
	case FN_CMP:
		break;
	}
	if ((f = filter_field_info(n->field)) == NULL)
		return err_set(e, LG_EINTERNAL, "filter field %d", n->field);
	if (n->field == FF_EMAIL)
		emit_addr(x, "contact_emails", n, f);
	else if (n->field == FF_PHONE)
		emit_addr(x, "contact_phones", n, f);
	else if (n->custom_key != NULL)
		emit_custom(x, n, f);
	else if ((col = store_filter_column(n->field)) != NULL)
		emit_compare(x, col, n, f);
	else
		return err_set(e, LG_EINTERNAL, "filter field %s has no column",
		    f->name);
	return LG_OK;
}

int
pg_filter_sql(const struct filter *f, int first, struct buf *sql,
    struct pg_fparams *p, struct err *e)
{
	struct fctx x = { sql, p, first };

	if (f == NULL || f->root == NULL) {
		buf_adds(sql, "true");
		return LG_OK;
	}
	return emit(&x, f->root, e);
}
