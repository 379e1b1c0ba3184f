/* The pipeline funnel (see funnel.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/funnel.h"
#include "gateway/html.h"
#include "core/pipeline.h"
#include "util/xmalloc.h"

/*
 * Each phase is its name and count on a line, its bar centred under it:
 * narrow enough that a phone shows the text at a readable size.
 */
#define SVG_W 480
#define PAD 8
#define BARS_W (SVG_W - 2 * PAD)	/* the widest bar */
#define ROW_H 50
#define BAR_H 20

/* The bar of phase no, added at the end when it is not there. */
static struct funnel_bar *
bar_of(struct funnel *f, const char *label, int no)
{
	struct funnel_bar *b;
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->v[i].phase_no == no)
			return &f->v[i];
	f->v = xreallocarray(f->v, f->n + 1, sizeof(*f->v));
	b = &f->v[f->n++];
	memset(b, 0, sizeof(*b));
	b->label = label;
	b->phase_no = no;
	return b;
}

static struct funnel_source *
source_of(struct funnel *f, const char *name)
{
	struct funnel_source *s;
	size_t i;

	for (i = 0; i < f->nsrc; i++)
		if (strcmp(f->src[i].source, name) == 0)
			return &f->src[i];
	f->src = xreallocarray(f->src, f->nsrc + 1, sizeof(*f->src));
	s = &f->src[f->nsrc++];
	memset(s, 0, sizeof(*s));
	s->source = name;
	return s;
}

static int
source_cmp(const void *a, const void *b)
{
	return strcmp(((const struct funnel_source *)a)->source,
	    ((const struct funnel_source *)b)->source);
}

int
funnel_build(struct store *st, const struct pipeline *pl,
    const struct report_window *w, struct funnel *out, struct err *e)
{
	struct report_window pw = *w;
	const struct report_row *r;
	struct funnel_bar *b;
	struct funnel_source *s;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	pw.pipeline = pl->name;
	if ((rc = store_report_window(st, &pw, &out->rows, &out->nrows,
	    e)) != LG_OK) {
		funnel_free(out);
		return rc;
	}
	/* Every phase in order, zero ones too; then unknown ones. */
	for (i = 0; i < pl->nphases; i++)
		(void)bar_of(out, pl->phases[i].name, pl->phases[i].no);
	for (i = 0; i < out->nrows; i++) {
		r = &out->rows[i];
		b = bar_of(out, "?", r->phase_no);
		b->open += r->open;
		b->won += r->won;
		b->lost += r->lost;
		s = source_of(out, r->source ? r->source : "?");
		s->open += r->open;
		s->won += r->won;
		s->lost += r->lost;
	}
	if (out->nsrc > 1)
		qsort(out->src, out->nsrc, sizeof(*out->src), source_cmp);
	return LG_OK;
}

void
funnel_free(struct funnel *f)
{
	free(f->v);
	free(f->src);
	store_report_free(f->rows, f->nrows);
	memset(f, 0, sizeof(*f));
}

static void
rect(struct buf *b, long x, long y, long w, long h, const char *fill,
    const char *title, long n)
{
	char s[160];

	if (w <= 0)
		return;
	snprintf(s, sizeof(s), "<rect x=\"%ld\" y=\"%ld\" width=\"%ld\" "
	    "height=\"%ld\" fill=\"%s\"><title>", x, y, w, h, fill);
	buf_adds(b, s);
	html_esc(b, title);
	snprintf(s, sizeof(s), ": %ld</title></rect>", n);
	buf_adds(b, s);
}

static void
text(struct buf *b, long x, long y, const char *anchor, const char *fill,
    const char *t)
{
	char s[160];

	snprintf(s, sizeof(s), "<text x=\"%ld\" y=\"%ld\" text-anchor=\"%s\" "
	    "fill=\"%s\">", x, y, anchor, fill);
	buf_adds(b, s);
	html_esc(b, t);
	buf_adds(b, "</text>");
}

void
funnel_svg(struct buf *b, const struct funnel *f,
    const struct funnel_words *fw)
{
	long max = 1, tot, w, x, y, wo, ww;
	char s[200];
	size_t i;

	for (i = 0; i < f->n; i++) {
		tot = f->v[i].open + f->v[i].won + f->v[i].lost;
		if (tot > max)
			max = tot;
	}
	snprintf(s, sizeof(s), "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "role=\"img\" viewBox=\"0 0 %d %zu\" width=\"%d\" height=\"%zu\" "
	    "font-family=\"sans-serif\" font-size=\"18\">", SVG_W,
	    f->n * ROW_H + 34, SVG_W, f->n * ROW_H + 34);
	buf_adds(b, s);
	for (i = 0; i < f->n; i++) {
		const struct funnel_bar *r = &f->v[i];

		tot = r->open + r->won + r->lost;
		/* Centred bars make the funnel; an empty phase keeps a line. */
		w = tot ? 4 + (BARS_W - 4) * tot / max : 0;
		x = PAD + (BARS_W - w) / 2;
		y = 6 + (long)i * ROW_H;
		wo = tot ? w * r->open / tot : 0;
		ww = tot ? w * r->won / tot : 0;
		text(b, PAD, y + 17, "start", "#222", r->label);
		snprintf(s, sizeof(s), "%ld", tot);
		text(b, SVG_W - PAD, y + 17, "end", "#222", s);
		if (tot == 0) {
			snprintf(s, sizeof(s), "<line x1=\"%d\" y1=\"%ld\" "
			    "x2=\"%d\" y2=\"%ld\" stroke=\"#ccc\"/>", PAD,
			    y + 24 + BAR_H / 2, SVG_W - PAD, y + 24 + BAR_H / 2);
			buf_adds(b, s);
		}
		rect(b, x, y + 24, wo, BAR_H, "#1f77b4", fw->open, r->open);
		rect(b, x + wo, y + 24, ww, BAR_H, "#2e7d32", fw->won, r->won);
		rect(b, x + wo + ww, y + 24, w - wo - ww, BAR_H, "#9e9e9e",
		    fw->lost, r->lost);
	}
	/* The legend. */
	y = 6 + (long)f->n * ROW_H + 6;
	rect(b, PAD, y, 14, 14, "#1f77b4", fw->open, 0);
	text(b, PAD + 18, y + 13, "start", "#222", fw->open);
	rect(b, PAD + 130, y, 14, 14, "#2e7d32", fw->won, 0);
	text(b, PAD + 148, y + 13, "start", "#222", fw->won);
	rect(b, PAD + 260, y, 14, 14, "#9e9e9e", fw->lost, 0);
	text(b, PAD + 278, y + 13, "start", "#222", fw->lost);
	buf_adds(b, "</svg>\n");
}

static void
count_cells(struct buf *b, long open, long won, long lost)
{
	long v[4] = { open, won, lost, open + won + lost };
	size_t i;

	for (i = 0; i < 4; i++) {
		buf_adds(b, "<td class=\"n\">");
		html_long(b, v[i]);
		buf_adds(b, "</td>");
	}
}

static void
count_head(struct buf *b, const char *first, const struct funnel_words *fw)
{
	buf_adds(b, "<div class=\"scroll\"><table><tr><th>");
	html_esc(b, first);
	buf_adds(b, "</th><th>");
	html_esc(b, fw->open);
	buf_adds(b, "</th><th>");
	html_esc(b, fw->won);
	buf_adds(b, "</th><th>");
	html_esc(b, fw->lost);
	buf_adds(b, "</th><th>");
	html_esc(b, fw->total);
	buf_adds(b, "</th></tr>\n");
}

void
funnel_tables(struct buf *b, const struct funnel *f,
    const struct funnel_words *fw)
{
	size_t i;

	count_head(b, fw->phase, fw);
	for (i = 0; i < f->n; i++) {
		buf_adds(b, "<tr><td>");
		html_esc(b, f->v[i].label);
		buf_adds(b, "</td>");
		count_cells(b, f->v[i].open, f->v[i].won, f->v[i].lost);
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</table></div>\n");
	count_head(b, fw->source, fw);
	for (i = 0; i < f->nsrc; i++) {
		buf_adds(b, "<tr><td>");
		html_esc(b, f->src[i].source);
		buf_adds(b, "</td>");
		count_cells(b, f->src[i].open, f->src[i].won, f->src[i].lost);
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</table></div>\n");
}

void
funnel_page_begin(struct buf *b, const char *title, const char *window)
{
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	    "charset=\"utf-8\"><meta name=\"viewport\" content=\"width="
	    "device-width,initial-scale=1\"><title>");
	html_esc(b, title);
	buf_adds(b, "</title>\n");
	html_style(b);
	buf_adds(b, "</head>\n<body><main><h1>");
	html_esc(b, title);
	buf_adds(b, "</h1>\n<p>");
	html_esc(b, window);
	buf_adds(b, "</p>\n");
}

void
funnel_section(struct buf *b, const char *name, const struct funnel *f,
    const struct funnel_words *fw)
{
	buf_adds(b, "<h2>");
	html_esc(b, name);
	buf_adds(b, "</h2>\n");
	funnel_svg(b, f, fw);
	funnel_tables(b, f, fw);
}

void
funnel_page_end(struct buf *b)
{
	buf_adds(b, "</main></body></html>\n");
}
