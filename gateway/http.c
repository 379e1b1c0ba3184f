/* The HTTP listener (see http.h). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "gateway/apitoken.h"
#include "gateway/http.h"
#include "core/config.h"
#include "core/store.h"
#include "templates/template.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define TLS_FILE_MAX (1024 * 1024)

struct http_server {
	struct MHD_Daemon *d;
	struct http_env *env;
	const struct http_route *routes;
	size_t nroutes;
	size_t max_body;
	char *cert;		/* PEM text MHD keeps pointing at */
	char *key;
};

/* One request's state between MHD's calls. */
struct conn_state {
	struct buf body;
	int too_large;
};

/* The titles of the statuses handlers use. */
static const struct {
	int status;
	const char *title;
} titles[] = {
	{ 400, "Bad Request" }, { 401, "Unauthorized" },
	{ 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 409, "Conflict" },
	{ 412, "Precondition Failed" }, { 413, "Content Too Large" },
	{ 415, "Unsupported Media Type" }, { 422, "Unprocessable Content" },
	{ 428, "Precondition Required" }, { 429, "Too Many Requests" },
	{ 500, "Internal Server Error" }, { 503, "Service Unavailable" },
};

static const char *
status_title(int status)
{
	size_t i;

	for (i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		if (titles[i].status == status)
			return titles[i].title;
	return "Error";
}

void
http_body(struct http_resp *out, int status, const char *type,
    const char *body, size_t len)
{
	free(out->body);
	out->status = status;
	out->type = type;
	out->body = xmalloc(len + 1);
	memcpy(out->body, body, len);
	out->body[len] = '\0';
	out->len = len;
}

void
http_json(struct http_resp *out, int status, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	json_decref(v);
	if (s == NULL)
		log_fatalx("http", "out of memory");
	free(out->body);
	out->status = status;
	out->type = "application/json";
	out->body = s;
	out->len = strlen(s);
}

void
http_problem(struct http_resp *out, int status, const char *type,
    const char *fmt, ...)
{
	char detail[512], *uri;
	va_list ap;
	json_t *o, *v;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	uri = xasprintf("urn:leadgate:problem:%s", type);
	o = json_object();
	json_object_set_new(o, "type", json_string(uri));
	json_object_set_new(o, "title", json_string(status_title(status)));
	json_object_set_new(o, "status", json_integer(status));
	/* A detail quoting bad input may hold broken UTF-8: say so instead. */
	v = json_string(detail);
	json_object_set_new(o, "detail", v ? v : json_string("(the detail is "
	    "not valid UTF-8)"));
	free(uri);
	http_json(out, status, o);
	out->type = "application/problem+json";
}

void
http_problem_err(struct http_resp *out, const struct err *e)
{
	static const struct {
		int code, status;
		const char *type;
	} map[] = {
		{ LG_EPERM, 422, "refused" },
		{ LG_ENOENT, 404, "not-found" },
		{ LG_EEXIST, 409, "conflict" },
		{ LG_ETEMP, 503, "try-later" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].code == e->code) {
			http_problem(out, map[i].status, map[i].type, "%s",
			    e->msg);
			if (map[i].status == 503)
				http_set_header(out, "Retry-After", "5");
			return;
		}
	log_err("http", "internal error: %s", e->msg);
	http_problem(out, 500, "internal", "internal error");
}

void
http_set_header(struct http_resp *out, const char *name, const char *value)
{
	if (out->nhdr >= sizeof(out->hdr) / sizeof(out->hdr[0]) ||
	    strpbrk(value, "\r\n") != NULL)
		return;
	out->hdr[out->nhdr].name = xstrdup(name);
	out->hdr[out->nhdr].value = xstrdup(value);
	out->nhdr++;
}

const char *
http_query(const struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

const char *
http_header_get(const struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

struct query_check {
	const char *const *allowed;
	const char *bad;
};

static enum MHD_Result
query_one(void *arg, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct query_check *qc = arg;
	size_t i;

	(void)kind;
	(void)value;
	for (i = 0; qc->allowed[i] != NULL; i++)
		if (strcmp(key, qc->allowed[i]) == 0)
			return MHD_YES;
	qc->bad = key;
	return MHD_NO;
}

int
http_query_only(const struct http_req *r, const char *const *allowed,
    struct http_resp *out)
{
	struct query_check qc = { allowed, NULL };

	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, query_one,
	    &qc);
	if (qc.bad == NULL)
		return 0;
	http_problem(out, 400, "unknown-parameter", "unknown query "
	    "parameter '%.64s'", qc.bad);
	return -1;
}

static void
resp_clear(struct http_resp *r)
{
	size_t i;

	free(r->body);
	for (i = 0; i < r->nhdr; i++) {
		free(r->hdr[i].name);
		free(r->hdr[i].value);
	}
	memset(r, 0, sizeof(*r));
}

/*
 * Segments of printable ASCII, none empty, "." or "..". MHD hands the
 * path percent-decoded (0.9.75): "..%2f" arrives as "../", so this sees
 * what a route would.
 */
static int
path_ok(const char *p)
{
	const char *s, *seg;
	size_t n;

	if (*p != '/')
		return 0;
	for (s = p; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f ||
		    *s == '\\')
			return 0;
	for (seg = p + 1; ; seg += n + 1) {
		n = strcspn(seg, "/");
		if (n == 0 && seg[n] != '\0')
			return 0;
		if ((n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return 0;
		if (seg[n] == '\0')
			return 1;
	}
}

/* 1 when path matches pattern; ":" segments land in params. */
static int
route_match(const char *pattern, const char *path,
    const char **params, char *store, size_t storelen)
{
	const char *p = pattern, *q = path;
	size_t np = 0, used = 0, n, m;

	for (;;) {
		if (*p != '/' || *q != '/')
			return *p == '\0' && *q == '\0';
		p++;
		q++;
		n = strcspn(p, "/");
		m = strcspn(q, "/");
		if (n == 1 && *p == ':') {
			if (m == 0 || np >= HTTP_MAX_PARAMS ||
			    used + m + 1 > storelen)
				return 0;
			memcpy(store + used, q, m);
			store[used + m] = '\0';
			params[np++] = store + used;
			used += m + 1;
		} else if (n != m || strncmp(p, q, n) != 0) {
			return 0;
		}
		p += n;
		q += m;
	}
}

/* The bearer's token into r->tok; a problem when it is missing or unknown. */
static int
authenticate(struct http_req *r, struct http_resp *out)
{
	char hex[API_HASH_HEX + 1];
	const char *h;
	struct err e;
	int rc;

	h = http_header_get(r, MHD_HTTP_HEADER_AUTHORIZATION);
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0 || h[7] == '\0' ||
	    strlen(h + 7) > 256) {
		http_problem(out, 401, "unauthorized", "a bearer token is "
		    "required (Authorization: Bearer TOKEN)");
		http_set_header(out, "WWW-Authenticate", "Bearer "
		    "realm=\"leadgate\"");
		return -1;
	}
	apitoken_hash(h + 7, hex, sizeof(hex));
	err_clear(&e);
	if ((rc = store_api_token_by_hash(r->env->d.st, hex, &r->tok,
	    &e)) == LG_ENOENT) {
		http_problem(out, 401, "unauthorized", "unknown token");
		http_set_header(out, "WWW-Authenticate", "Bearer "
		    "realm=\"leadgate\", error=\"invalid_token\"");
		return -1;
	}
	if (rc != LG_OK) {
		http_problem_err(out, &e);
		return -1;
	}
	return 0;
}

/* The token's scope covers what the route needs. */
static int
scope_ok(const struct api_token *t, enum http_scope need)
{
	switch (need) {
	case HTTP_PUBLIC:
		return 1;
	case HTTP_READ:
		return strcmp(t->scope, "read") == 0 ||
		    strcmp(t->scope, "write") == 0;
	case HTTP_WRITE:
		return strcmp(t->scope, "write") == 0;
	case HTTP_FORM:
		return strcmp(t->scope, "form") == 0;
	case HTTP_SESSION:
		return 1;
	}
	return 0;
}

static const char *const scope_names[] = { "none", "read", "write", "form",
    "session" };

static void
dispatch(struct http_server *s, struct http_req *r, struct http_resp *out)
{
	char store[1024];
	const struct http_route *rt;
	int path_found = 0;
	size_t i;

	if (!path_ok(r->path)) {
		http_problem(out, 400, "bad-path", "the path is malformed");
		return;
	}
	for (i = 0; i < s->nroutes; i++) {
		rt = &s->routes[i];
		if (!route_match(rt->pattern, r->path, r->params, store,
		    sizeof(store)))
			continue;
		path_found = 1;
		if (strcmp(rt->method, r->method) != 0)
			continue;
		if (rt->scope == HTTP_SESSION && rt->guard == NULL) {
			http_problem(out, 403, "forbidden", "no guard");
			return;
		}
		if (rt->scope != HTTP_PUBLIC && rt->scope != HTTP_SESSION &&
		    authenticate(r, out) != 0)
			return;
		if (!scope_ok(&r->tok, rt->scope)) {
			http_problem(out, 403, "forbidden", "this needs a "
			    "token of scope %s", scope_names[rt->scope]);
			return;
		}
		if (rt->guard && rt->guard(r, out) != 0)
			return;
		rt->fn(r, out);
		return;
	}
	if (path_found)
		http_problem(out, 405, "method-not-allowed", "%s is not "
		    "allowed here", r->method);
	else
		http_problem(out, 404, "not-found", "no such resource");
}

static enum MHD_Result
send_resp(struct MHD_Connection *conn, struct http_resp *r)
{
	struct MHD_Response *mr;
	enum MHD_Result ret;
	size_t i;

	mr = MHD_create_response_from_buffer(r->len, r->body,
	    MHD_RESPMEM_MUST_COPY);
	if (mr == NULL)
		return MHD_NO;
	MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, r->type ?
	    r->type : "application/json");
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(mr, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	for (i = 0; i < r->nhdr; i++)
		MHD_add_response_header(mr, r->hdr[i].name, r->hdr[i].value);
	ret = MHD_queue_response(conn, (unsigned)r->status, mr);
	MHD_destroy_response(mr);
	return ret;
}

/* A Content-Length over the limit is refused before the body is read. */
static int
length_over(struct MHD_Connection *conn, size_t max)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	char *end;
	unsigned long long n;

	if (cl == NULL)
		return 0;
	n = strtoull(cl, &end, 10);
	return *end != '\0' || n > max;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct http_server *s = cls;
	struct conn_state *cs = *con_cls;
	struct http_resp out;
	struct http_req r;
	enum MHD_Result ret;

	(void)version;
	if (cs == NULL) {
		cs = xcalloc(1, sizeof(*cs));
		*con_cls = cs;
		if (!length_over(conn, s->max_body))
			return MHD_YES;
		cs->too_large = 1;
	}
	if (*upload_size > 0) {
		/* Past the limit the rest is read and dropped: MHD can only
		 * answer before the body or after all of it. */
		if (cs->too_large || cs->body.len + *upload_size > s->max_body)
			cs->too_large = 1;
		else
			buf_add(&cs->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	memset(&out, 0, sizeof(out));
	if (cs->too_large) {
		http_problem(&out, 413, "too-large", "the body is over %zu "
		    "bytes", s->max_body);
	} else {
		memset(&r, 0, sizeof(r));
		r.env = s->env;
		r.conn = conn;
		r.method = method;
		r.path = url;
		r.body = cs->body.len ? buf_str(&cs->body) : "";
		r.len = cs->body.len;
		dispatch(s, &r, &out);
		free(r.tok.name);
		free(r.tok.scope);
		free(r.tok.source);
		free(r.tok.created_at);
		if (r.cleanup)
			r.cleanup(&r);
	}
	if (out.status >= 500)
		log_warn("http", "%s %s: %d", method, url, out.status);
	ret = send_resp(conn, &out);
	resp_clear(&out);
	return ret;
}

static void
on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode why)
{
	struct conn_state *cs = *con_cls;

	(void)cls;
	(void)conn;
	(void)why;
	if (cs == NULL)
		return;
	buf_free(&cs->body);
	free(cs);
	*con_cls = NULL;
}

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_info("http", "%s", msg);
}

/* The numeric address to bind, IPv4 or IPv6. */
static int
bind_addr(const struct config *cfg, struct sockaddr_storage *ss,
    unsigned *flags, struct err *e)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, cfg->serve.address, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)cfg->serve.port);
		return LG_OK;
	}
	if (inet_pton(AF_INET6, cfg->serve.address, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)cfg->serve.port);
		*flags |= MHD_USE_IPv6;
		return LG_OK;
	}
	return err_set(e, LG_EPERM, "serve.address '%s' is not a numeric "
	    "IPv4 or IPv6 address", cfg->serve.address);
}

static int
tls_load(struct http_server *s, const struct config *cfg, struct err *e)
{
	size_t n;

	if (*cfg->serve.tls_cert == '\0' && *cfg->serve.tls_key == '\0')
		return LG_OK;
	if (*cfg->serve.tls_cert == '\0' || *cfg->serve.tls_key == '\0')
		return err_set(e, LG_EPERM, "serve.tls_cert and serve.tls_key "
		    "go together");
	if (template_read_file(cfg->serve.tls_cert, TLS_FILE_MAX, &s->cert,
	    &n, e) != LG_OK ||
	    template_read_file(cfg->serve.tls_key, TLS_FILE_MAX, &s->key, &n,
	    e) != LG_OK)
		return err_prefix(e, "serve TLS");
	return LG_OK;
}

static char *
data_path(const char *set, const char *builtin)
{
	return *set ? xstrdup(set) : xasprintf("%s/%s", config_data_dir(),
	    builtin);
}

void
http_env_init(struct http_env *env, const struct config *cfg,
    struct store *st, const struct pipelines *pl, struct ingest *ig)
{
	memset(env, 0, sizeof(*env));
	env->cfg = cfg;
	env->d.st = st;
	env->d.pl = pl;
	env->d.country = cfg->default_country;
	env->ig = ig;
	env->phrases_dir = data_path(cfg->serve.phrases_dir, "unsubscribe");
	env->openapi_path = data_path(cfg->serve.openapi, "openapi.json");
	env->dash_dir = data_path(cfg->dash.phrases_dir, "dash");
}

void
http_env_clear(struct http_env *env)
{
	free((char *)env->phrases_dir);
	free((char *)env->openapi_path);
	free((char *)env->dash_dir);
	env->phrases_dir = env->openapi_path = env->dash_dir = NULL;
}

int
http_start(struct http_env *env, const struct http_route *routes,
    size_t nroutes, struct http_server **out, struct err *e)
{
	const struct config *cfg = env->cfg;
	struct sockaddr_storage ss;
	struct http_server *s;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
	    MHD_USE_ERROR_LOG;
	int rc;

	s = xcalloc(1, sizeof(*s));
	s->env = env;
	s->routes = routes;
	s->nroutes = nroutes;
	s->max_body = (size_t)cfg->serve.max_body;
	if ((rc = bind_addr(cfg, &ss, &flags, e)) != LG_OK ||
	    (rc = tls_load(s, cfg, e)) != LG_OK) {
		http_stop(s);
		return rc;
	}
	if (s->cert)
		flags |= MHD_USE_TLS;
	/*
	 * MHD reads the options up to MHD_OPTION_END: the TLS ones last, so
	 * that without TLS the list ends before them. The logger first: MHD
	 * logs through its own until it has read it (and says so).
	 */
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, s,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->serve.connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->serve.per_ip,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->serve.timeout,
	    MHD_OPTION_NOTIFY_COMPLETED, on_done, s,
	    s->cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, s->cert,
	    MHD_OPTION_HTTPS_MEM_KEY, s->key,
	    MHD_OPTION_END);
	if (s->d == NULL) {
		http_stop(s);
		return err_set(e, LG_ETEMP, "cannot listen on %s port %d "
		    "(taken, or a bad TLS key)", cfg->serve.address,
		    cfg->serve.port);
	}
	log_info("http", "listening on %s port %d (%s)", cfg->serve.address,
	    cfg->serve.port, flags & MHD_USE_TLS ? "https" : "http");
	*out = s;
	return LG_OK;
}

void
http_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	if (s->d)
		MHD_stop_daemon(s->d);
	free(s->cert);
	if (s->key) {
		explicit_bzero(s->key, strlen(s->key));
		free(s->key);
	}
	free(s);
}
