/*
 * The "portal" connector type: polls a lead API over HTTPS as its
 * configuration block describes (see etc/portals/generic.conf) and hands
 * each item to the sink as a struct inquiry, or as raw JSON with the
 * reason when it cannot be read.
 *
 * Its position (page, cursor, since timestamp or last id) and the
 * acknowledgements still owed are kept in the store (connector_state)
 * and move only after the sink said LG_OK for the items behind them, so
 * that a crash at any point neither skips an item nor, with the sink's
 * deduplication by (portal, item id), imports one twice. The connector
 * borrows each inquiry to the sink and frees it after the call.
 */
#ifndef LG_PORTAL_H
#define LG_PORTAL_H

#include "connectors/source.h"

extern const struct connector_ops portal_ops;

#endif
