/*
 * The HTTP listener of `leadgate serve` (and of `run` with serve.enabled):
 * libmicrohttpd with one internal poll() thread, so every handler runs on
 * that thread, one request at a time, over the one store connection the
 * listener owns. Limits: serve.connections at once, serve.per_ip from one
 * address, serve.timeout idle seconds, serve.max_body bytes of body
 * (413 before it is read when Content-Length says so).
 *
 * Handlers are rows of a route table handed to http_start(), each
 * {method, path pattern, scope, handler}: a pattern is segments, ":" one
 * taking any segment as a parameter. Errors are RFC 9457 problem JSON.
 * A path with an empty, "." or ".." segment, or with a byte outside
 * printable ASCII, is refused before any route sees it.
 *
 * It lives in gateway/ because what it serves is what the commands print:
 * the same views (cmdutil.h, mailview.h) over the same domain calls.
 */
#ifndef LG_HTTP_H
#define LG_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/domain.h"
#include "core/store_api.h"
#include "util/err.h"

struct config;
struct ingest;
struct MHD_Connection;
struct user_session;

#define HTTP_MAX_PARAMS 3

/* What handlers get: everything belongs to the listener's caller. */
struct http_env {
	const struct config *cfg;
	struct domain d;		/* the listener's store and pipelines */
	struct ingest *ig;		/* the pipeline inquiries go through */
	const char *phrases_dir;	/* the unsubscribe page's phrases */
	const char *openapi_path;	/* the OpenAPI document */
	const char *dash_dir;		/* the dashboard's phrases */
};

enum http_scope {
	HTTP_PUBLIC,	/* no token: /u/TOKEN */
	HTTP_READ,	/* read or write */
	HTTP_WRITE,	/* write */
	HTTP_FORM,	/* a form's token */
	HTTP_SESSION,	/* no bearer: the route's guard decides (dash.h) */
};

struct http_req {
	struct http_env *env;
	struct MHD_Connection *conn;
	const char *method;
	const char *path;
	const char *body;	/* NUL-terminated; "" when none */
	size_t len;
	const char *params[HTTP_MAX_PARAMS];
	struct api_token tok;	/* the bearer's (id 0: none) */
	struct user_session *sess;	/* HTTP_SESSION: the user's */
	char sess_hash[API_HASH_HEX + 1];	/* and its id's hash */
	/* Set by a guard: frees what it left in the request. */
	void (*cleanup)(struct http_req *r);
};

struct http_header {
	char *name;
	char *value;
};

struct http_resp {
	int status;
	const char *type;	/* Content-Type; NULL: application/json */
	char *body;
	size_t len;
	struct http_header hdr[8];
	size_t nhdr;
};

typedef void (*http_handler)(struct http_req *r, struct http_resp *out);
/* Run before the handler: 0 to go on, else out is the answer. */
typedef int (*http_guard)(struct http_req *r, struct http_resp *out);

struct http_route {
	const char *method;
	const char *pattern;	/* "/api/v1/leads/:" */
	enum http_scope scope;
	http_handler fn;
	http_guard guard;	/* NULL: none; HTTP_SESSION needs one */
};

struct http_server;

/*
 * Fill env for cfg (borrowed, like st, pl and ig): the phrase folder and
 * the OpenAPI document the settings name, else the built-in data
 * directory's. http_env_clear() frees what this allocated.
 */
void http_env_init(struct http_env *env, const struct config *cfg,
    struct store *st, const struct pipelines *pl, struct ingest *ig);
void http_env_clear(struct http_env *env);

/* Start listening; routes are borrowed. LG_ETEMP: the port is taken. */
int http_start(struct http_env *env, const struct http_route *routes,
    size_t nroutes, struct http_server **out, struct err *e);
void http_stop(struct http_server *s);

/* For handlers. */
/* A JSON body (v stolen), compact. */
void http_json(struct http_resp *out, int status, json_t *v);
/* An RFC 9457 problem: type is a short name ("invalid-json"). */
void http_problem(struct http_resp *out, int status, const char *type,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The problem for a failed store or domain call. */
void http_problem_err(struct http_resp *out, const struct err *e);
/* A body of type (copied). */
void http_body(struct http_resp *out, int status, const char *type,
    const char *body, size_t len);
/* Add a response header (copied; values with CR or LF are dropped). */
void http_set_header(struct http_resp *out, const char *name,
    const char *value);
/* A query argument or a request header, or NULL. */
const char *http_query(const struct http_req *r, const char *name);
const char *http_header_get(const struct http_req *r, const char *name);
/*
 * Every query argument is one of allowed (NULL-terminated); else the
 * problem is set and -1 returned.
 */
int http_query_only(const struct http_req *r, const char *const *allowed,
    struct http_resp *out);

#endif
