/*
 * Moving an installation from SQLite to PostgreSQL (leadgate db copy).
 *
 * The SQLite store is migrated to the latest schema and then only read;
 * the PostgreSQL database is migrated to the same version and must hold
 * no rows yet. Every table is copied in one transaction, keeping ids
 * (identity sequences are moved past them), with the webhook triggers
 * off (a copied lead is no new lead). A table of the SQLite file that
 * the copy does not know refuses the copy: nothing is left behind
 * silently. After the commit each table is verified: the row counts and
 * an order-independent checksum (the sum and the xor of the SHA-256 of
 * each row's values in a canonical text form) must match on both sides.
 */
#ifndef LG_STORE_COPY_H
#define LG_STORE_COPY_H

#include <stdio.h>

#include "util/err.h"

struct store_options;

/* Per table, on out: "TABLE ROWS CHECKSUM" once verified. */
int store_copy(const char *sqlite_path, const char *pg_url,
    const struct store_options *opt, FILE *out, struct err *e);

#endif
