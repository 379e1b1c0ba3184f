/*
 * The columns the filter fields name, as SQL over the aliases c
 * (contacts), l (leads) and s (sources): one table for both backends,
 * whose expressions mean the same in SQLite and PostgreSQL.
 */
#ifndef LG_STORE_FILTER_H
#define LG_STORE_FILTER_H

#include "core/filter.h"

/* The SQL of field id's column; NULL for the fields handled specially. */
const char *store_filter_column(enum filter_field_id id);

#endif
