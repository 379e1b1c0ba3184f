/*
 * The pipeline funnel the dashboard shows and `report --format html`
 * writes: one bar per phase of a pipeline (every phase, zero ones too,
 * then any phase the configuration no longer has), each as wide as the
 * leads in it and split into open, won and lost, drawn as inline SVG by
 * leadgate itself (no script, no external asset). The leads counted are
 * those created in a window (core/store_users.h, struct report_window).
 */
#ifndef LG_FUNNEL_H
#define LG_FUNNEL_H

#include <stddef.h>

#include "core/store.h"
#include "util/buf.h"
#include "util/err.h"

struct pipeline;

struct funnel_bar {
	const char *label;	/* the phase's name (borrowed) */
	int phase_no;
	long open, won, lost;
};

/* A count by source (source borrowed from rows). */
struct funnel_source {
	const char *source;
	long open, won, lost;
};

struct funnel {
	struct funnel_bar *v;	/* by phase */
	size_t n;
	struct funnel_source *src;	/* by source, by name */
	size_t nsrc;
	struct report_row *rows;	/* by phase and source, as stored */
	size_t nrows;
};

/* The words of a funnel: "open", "won", "lost", "total", "source". */
struct funnel_words {
	const char *open, *won, *lost, *total, *source, *phase;
};

int funnel_build(struct store *st, const struct pipeline *pl,
    const struct report_window *w, struct funnel *out, struct err *e);
void funnel_free(struct funnel *f);
/* The SVG of the bars. */
void funnel_svg(struct buf *b, const struct funnel *f,
    const struct funnel_words *fw);
/* The counts as tables: by phase, then by source. */
void funnel_tables(struct buf *b, const struct funnel *f,
    const struct funnel_words *fw);
/*
 * A standalone page (report --format html): funnel_page_begin() with the
 * title and a line saying the window, then a funnel_section() per
 * pipeline (its name, SVG and tables), then funnel_page_end().
 */
void funnel_page_begin(struct buf *b, const char *title, const char *window);
void funnel_section(struct buf *b, const char *name, const struct funnel *f,
    const struct funnel_words *fw);
void funnel_page_end(struct buf *b);

#endif
