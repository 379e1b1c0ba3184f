#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "connectors/portal_http.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct portal_http {
	CURL *curl;
	char *name;
	char *ca_file;
	char *user_agent;
	int connect_timeout, timeout, max_redirects;
	int insecure;
	long max_bytes;
	char errbuf[CURL_ERROR_SIZE];
};

/* What the callbacks fill during one transfer. */
struct transfer {
	struct portal_response *rs;
	long max_bytes;
	int too_big;
	const char *url;
};

static int
host_is_loopback(const char *host)
{
	return strcasecmp(host, "localhost") == 0 ||
	    strncmp(host, "127.", 4) == 0 || strcmp(host, "[::1]") == 0 ||
	    strcmp(host, "::1") == 0;
}

static char *
url_part(CURLU *u, CURLUPart what, unsigned flags)
{
	char *s = NULL, *copy;

	if (curl_url_get(u, what, &s, flags) != CURLUE_OK)
		return NULL;
	copy = xstrdup(s);
	curl_free(s);
	return copy;
}

/*
 * Only https, or plain http to a loopback host (the tests' emulator, a
 * local relay): a portal API key must never cross the network in clear.
 * insecure (an admin's explicit choice) allows plain http to any host.
 */
static int
http_url_ok(const char *name, const char *url, int insecure, int *plain,
    struct err *e)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int rc = LG_OK;

	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    (scheme = url_part(u, CURLUPART_SCHEME, 0)) == NULL ||
	    (host = url_part(u, CURLUPART_HOST, 0)) == NULL)
		rc = err_set(e, LG_EPERM, "%s: not a URL", name);
	else if (strcmp(scheme, "https") == 0)
		*plain = 0;
	else if (strcmp(scheme, "http") == 0 &&
	    (insecure || host_is_loopback(host)))
		*plain = 1;
	else
		rc = err_set(e, LG_EPERM, "%s: only https URLs are allowed "
		    "(plain http only to a loopback host)", name);
	free(scheme);
	free(host);
	curl_url_cleanup(u);
	return rc;
}

int
portal_http_url_ok(const char *what, const char *url, struct err *e)
{
	int plain;

	return http_url_ok(what, url, 0, &plain, e);
}

int
portal_http_url_allowed(const char *what, const char *url, int insecure,
    struct err *e)
{
	int plain;

	return http_url_ok(what, url, insecure, &plain, e);
}

char *
portal_http_display(const char *url)
{
	size_t n = strcspn(url, "?#");

	return xstrndup(url, n);
}

char *
portal_http_escape(const char *s)
{
	char *t = curl_easy_escape(NULL, s, 0), *copy;

	if (t == NULL)
		log_fatalx("portal", "out of memory escaping a URL part");
	copy = xstrdup(t);
	curl_free(t);
	return copy;
}

int
portal_http_resolve(const char *base, const char *rel, char **out,
    struct err *e)
{
	CURLU *u = curl_url();
	int rc = LG_OK;

	*out = NULL;
	if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_URL, rel, 0) != CURLUE_OK ||
	    (*out = url_part(u, CURLUPART_URL, 0)) == NULL)
		rc = err_set(e, LG_EPERM, "not a usable link");
	curl_url_cleanup(u);
	return rc;
}

static char *
url_origin(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *o = NULL;

	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    (scheme = url_part(u, CURLUPART_SCHEME, 0)) != NULL &&
	    (host = url_part(u, CURLUPART_HOST, 0)) != NULL &&
	    (port = url_part(u, CURLUPART_PORT, CURLU_DEFAULT_PORT)) != NULL)
		o = xasprintf("%s://%s:%s", scheme, host, port);
	free(scheme);
	free(host);
	free(port);
	curl_url_cleanup(u);
	return o;
}

int
portal_http_same_origin(const char *base, const char *url)
{
	char *a = url_origin(base), *b = url_origin(url);
	int same = a != NULL && b != NULL && strcasecmp(a, b) == 0;

	free(a);
	free(b);
	return same;
}

int
portal_http_new(const struct portal_http_opts *o, const char *base_url,
    struct portal_http **out, struct err *e)
{
	struct portal_http *h;
	int plain, rc;

	*out = NULL;
	if ((rc = http_url_ok("base_url", base_url, o->insecure, &plain,
	    e)) != LG_OK)
		return rc;
	h = xcalloc(1, sizeof(*h));
	if ((h->curl = curl_easy_init()) == NULL)
		log_fatalx("portal", "curl_easy_init failed");
	h->name = xstrdup(o->name);
	h->ca_file = o->ca_file && *o->ca_file ? xstrdup(o->ca_file) : NULL;
	h->user_agent = xstrdup(o->user_agent);
	h->connect_timeout = o->connect_timeout;
	h->timeout = o->timeout;
	h->max_redirects = o->max_redirects;
	h->max_bytes = o->max_bytes;
	h->insecure = o->insecure;
	*out = h;
	return LG_OK;
}

void
portal_http_free(struct portal_http *h)
{
	if (h == NULL)
		return;
	curl_easy_cleanup(h->curl);
	free(h->name);
	free(h->ca_file);
	free(h->user_agent);
	free(h);
}

void
portal_response_clear(struct portal_response *rs)
{
	buf_free(&rs->body);
	free(rs->content_type);
	free(rs->link_next);
	memset(rs, 0, sizeof(*rs));
}

/* MAXFILESIZE misses chunked bodies in 7.88 (LIBS.md §5): cap here. */
static size_t
http_write(char *p, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;

	if (t->rs->body.len + n > (size_t)t->max_bytes) {
		t->too_big = 1;
		return 0;
	}
	buf_add(&t->rs->body, p, n);
	return n;
}

/* Does the parameter text [p, stop) say rel="next" (rel="prev next")? */
static int
link_is_next(const char *p, const char *stop)
{
	const char *r;

	for (; p + 4 <= stop; p++)
		if (strncasecmp(p, "rel=", 4) == 0)
			break;
	if (p + 4 > stop)
		return 0;
	for (r = p + 4; r + 4 <= stop && *r != ';'; r++)
		if (strncasecmp(r, "next", 4) == 0 && strchr("\"= ", r[-1]) &&
		    (r + 4 == stop || strchr("\" ;", r[4])))
			return 1;
	return 0;
}

/* The target of the rel="next" entry of a Link header value (RFC 8288). */
static char *
link_next(const char *v)
{
	const char *end = v + strlen(v), *lt, *gt, *stop;

	for (; v < end; v = stop + 1) {
		if ((lt = strchr(v, '<')) == NULL ||
		    (gt = strchr(lt, '>')) == NULL)
			return NULL;
		if ((stop = strchr(gt, ',')) == NULL)
			stop = end;
		if (link_is_next(gt, stop))
			return xstrndup(lt + 1, (size_t)(gt - lt - 1));
		if (stop == end)
			break;
	}
	return NULL;
}

static size_t
http_header(char *p, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	char *line, *next;

	if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		free(t->rs->link_next);
		t->rs->link_next = NULL;
	} else if (n > 5 && strncasecmp(p, "link:", 5) == 0) {
		/* curl's buffer is not NUL-terminated: parse a copy. */
		line = xstrndup(p + 5, n - 5);
		if ((next = link_next(line)) != NULL) {
			free(t->rs->link_next);
			t->rs->link_next = NULL;
			portal_http_resolve(t->url, next, &t->rs->link_next,
			    NULL);
			free(next);
		}
		free(line);
	}
	return n;
}

static struct curl_slist *
http_headers(const struct portal_request *rq)
{
	struct curl_slist *l = NULL, *x;
	char ct[128];
	size_t i;

	/* An empty Expect avoids a 1 s wait for 100-continue. */
	snprintf(ct, sizeof(ct), "Content-Type: %s", rq->content_type ?
	    rq->content_type : "application/json");
	if (rq->body != NULL && (x = curl_slist_append(l, ct)) != NULL)
		l = x;
	if ((x = curl_slist_append(l, "Expect:")) != NULL)
		l = x;
	if ((x = curl_slist_append(l, "Accept: application/json")) != NULL)
		l = x;
	for (i = 0; rq->headers && rq->headers[i]; i++)
		if ((x = curl_slist_append(l, rq->headers[i])) != NULL)
			l = x;
	return l;
}

/* Headers may carry a key or a token: wipe them before freeing. */
static void
http_headers_free(struct curl_slist *l)
{
	struct curl_slist *x;

	for (x = l; x != NULL; x = x->next)
		explicit_bzero(x->data, strlen(x->data));
	curl_slist_free_all(l);
}

static void
http_setup(struct portal_http *h, const struct portal_request *rq,
    const char *url, const char *method, int plain, struct transfer *t,
    struct curl_slist *hdr)
{
	CURL *c = h->curl;

	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, plain ? "http,https" :
	    "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 0L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)h->connect_timeout);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)h->timeout);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, h->user_agent);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca_file != NULL) {
		/* CAINFO alone still trusts /etc/ssl/certs (LIBS.md §5). */
		curl_easy_setopt(c, CURLOPT_CAINFO, h->ca_file);
		curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
	}
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)h->max_bytes);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, http_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "GET") == 0)
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	else if (rq->body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE,
		    (long)strlen(rq->body));
	} else if (strcmp(method, "DELETE") != 0) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
	}
	if (rq->user != NULL) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, rq->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, rq->password ?
		    rq->password : "");
	}
}

static int
http_failed(struct portal_http *h, CURLcode cc, const struct transfer *t,
    const char *shown, struct err *e)
{
	if (t->too_big || cc == CURLE_FILESIZE_EXCEEDED)
		return err_set(e, LG_EPERM, "%s: response larger than "
		    "max_response_bytes (%ld)", shown, h->max_bytes);
	if (cc == CURLE_OPERATION_TIMEDOUT)
		return err_set(e, LG_ETEMP, "%s: no complete answer within "
		    "%d s (timeouts.total)", shown, h->timeout);
	if (cc == CURLE_UNSUPPORTED_PROTOCOL || cc == CURLE_URL_MALFORMAT)
		return err_set(e, LG_EPERM, "%s: %s", shown,
		    curl_easy_strerror(cc));
	return err_set(e, LG_ETEMP, "%s: %s", shown, h->errbuf[0] ?
	    h->errbuf : curl_easy_strerror(cc));
}

/* One exchange, no redirects. */
static int
http_once(struct portal_http *h, const struct portal_request *rq,
    const char *url, const char *method, struct portal_response *rs,
    struct err *e)
{
	struct transfer t = { rs, h->max_bytes, 0, url };
	struct curl_slist *hdr;
	char *shown = portal_http_display(url), *ct = NULL;
	curl_off_t ra = 0;
	CURLcode cc;
	int plain = 0, rc;

	portal_response_clear(rs);
	if ((rc = http_url_ok(shown, url, h->insecure, &plain, e)) != LG_OK) {
		free(shown);
		return rc;
	}
	hdr = http_headers(rq);
	h->errbuf[0] = '\0';
	http_setup(h, rq, url, method, plain, &t, hdr);
	cc = curl_easy_perform(h->curl);
	if (cc != CURLE_OK) {
		rc = http_failed(h, cc, &t, shown, e);
	} else {
		curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &rs->status);
		curl_easy_getinfo(h->curl, CURLINFO_RETRY_AFTER, &ra);
		curl_easy_getinfo(h->curl, CURLINFO_CONTENT_TYPE, &ct);
		rs->retry_after = ra > 0 ? (long)(ra > 86400 ? 86400 : ra) : 0;
		rs->content_type = xstrdup(ct);
	}
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	http_headers_free(hdr);
	free(shown);
	return rc;
}

int
portal_http_do(struct portal_http *h, const struct portal_request *rq,
    struct portal_response *rs, struct err *e)
{
	const char *method = rq->method;
	char *url = xstrdup(rq->url), *loc, *shown;
	int hops, rc;

	for (hops = 0;; hops++) {
		if ((rc = http_once(h, rq, url, method, rs, e)) != LG_OK ||
		    rs->status < 300 || rs->status > 399)
			break;
		loc = NULL;
		if (curl_easy_getinfo(h->curl, CURLINFO_REDIRECT_URL, &loc) !=
		    CURLE_OK || loc == NULL)
			break;	/* a 3xx without Location: the caller sees it */
		shown = portal_http_display(url);
		if (hops >= h->max_redirects)
			rc = err_set(e, LG_EPERM, "%s: more than %d redirects "
			    "(a redirect loop?)", shown, h->max_redirects);
		else if (!portal_http_same_origin(url, loc))
			rc = err_set(e, LG_EPERM, "%s: redirected to another "
			    "host; not followed, credentials stay here", shown);
		free(shown);
		if (rc != LG_OK)
			break;
		if (rs->status == 303)
			method = "GET";
		free(url);
		url = xstrdup(loc);
	}
	free(url);
	return rc;
}
