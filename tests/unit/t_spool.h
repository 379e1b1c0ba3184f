/* Shared set-up of the spool and delivery unit tests. */
#ifndef LG_T_SPOOL_H
#define LG_T_SPOOL_H

#include <stdint.h>

#include "core/domain.h"
#include "core/outgoing.h"

/*
 * A fresh store in dir/lg.db with the bundled pipelines, source "web",
 * contact 1 (Anna Muster, anna@example.com) and lead 1 (sale, phase 2).
 * Exits the test when that fails.
 */
void t_spool_domain(const char *dir, struct domain *d);
void t_spool_domain_close(struct domain *d);
/* A valid CRLF message with Message-ID <n@test.example>; caller frees. */
char *t_spool_message(int n);
/* An outgoing row for lead 1 / contact 1 keyed "k<n>"; caller frees. */
struct outgoing *t_spool_outgoing(int n);

#endif
