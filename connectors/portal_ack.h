/*
 * Acknowledgements: tell the portal which inquiries are safely stored,
 * per item (PATCH .../leads/{id}) or per page (POST .../ack with {ids}).
 * Only ever called with ids the sink answered LG_OK for; the ids not yet
 * acknowledged are kept by the caller in the store and sent again later.
 */
#ifndef LG_PORTAL_ACK_H
#define LG_PORTAL_ACK_H

#include <jansson.h>

#include "util/err.h"

struct portal_conf;
struct portal_auth;

/*
 * Acknowledge the ids (a JSON array of strings). *left (a new reference)
 * gets those that failed; LG_OK when none did, else the last error.
 */
int portal_ack_send(const struct portal_conf *c, struct portal_auth *a,
    json_t *ids, json_t **left, struct err *e);

#endif
