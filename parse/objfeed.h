/*
 * Object feeds: an OpenImmo XML file (openimmo/anbieter/immobilie) or a
 * CSV file whose first line names the columns. Reading never stops at a
 * bad record: each becomes one "FILE:LINE: reason" in errors and the
 * others are read. What to do with them (save, withdraw) is the
 * caller's; nothing here touches the store.
 *
 * OpenImmo: <uebertragung umfang="VOLL"> is a full feed (full = 1: an
 * object of the feed's origin missing from it is gone); with TEIL (or
 * no uebertragung) only the objects whose aktion is DELETE are gone,
 * listed in deleted. The identity (ref) is objektnr_extern, else
 * objektnr_intern, else openimmo_obid; the others become aliases.
 *
 * CSV columns (any order, by name in the header; comma or semicolon):
 * ref (required), aliases (separated by spaces), title, kind, type,
 * price, rooms, area, street, postcode, city, state. A quoted field may
 * hold the separator and "" but no line break.
 */
#ifndef LG_OBJFEED_H
#define LG_OBJFEED_H

#include <stddef.h>

#include "core/object.h"
#include "util/err.h"

struct objfeed {
	struct object **v;	/* read objects, in file order */
	unsigned long *lines;	/* where each starts */
	size_t n;
	char **deleted;		/* refs an OpenImmo aktion DELETE names */
	size_t ndeleted;
	int full;		/* umfang VOLL: the feed is every object */
	char **errors;		/* "FILE:LINE: reason", one per bad record */
	size_t nerrors;		/* and per ignored column */
	size_t nbad;		/* records left out */
};

/*
 * Read path as OpenImmo XML (a name ending in .xml, or content starting
 * with '<') or as CSV. LG_EPERM only when the file as a whole cannot be
 * read (not XML, no ref column); bad records go to errors.
 */
int objfeed_read(const char *path, struct objfeed *out, struct err *e);
void objfeed_clear(struct objfeed *f);

#endif
