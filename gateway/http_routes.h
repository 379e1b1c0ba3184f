/* The routes `leadgate serve` answers (the table is http_routes.c). */
#ifndef LG_HTTP_ROUTES_H
#define LG_HTTP_ROUTES_H

#include <stddef.h>

#include "gateway/http.h"

extern const struct http_route http_routes[];
extern const size_t http_nroutes;

#endif
