#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "util/log.h"
#include "util/oauth_http.h"
#include "util/xmalloc.h"

/* A token answer is a few kB; anything this big is not one. */
#define OAUTH_HTTP_MAX (256 * 1024)

struct oauth_sink {
	struct buf *b;
	int too_big;
};

static int
oauth_http_loopback(const char *host)
{
	return strcasecmp(host, "localhost") == 0 ||
	    strncmp(host, "127.", 4) == 0 || strcmp(host, "[::1]") == 0 ||
	    strcmp(host, "::1") == 0;
}

int
oauth_http_url_ok(const char *what, const char *url, struct err *e)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int rc = LG_OK;

	if (url == NULL || *url == '\0')
		rc = err_set(e, LG_EPERM, "%s: no URL", what);
	else if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		rc = err_set(e, LG_EPERM, "%s: not a URL", what);
	else if (strcmp(scheme, "https") != 0 && !(strcmp(scheme, "http") ==
	    0 && oauth_http_loopback(host)))
		rc = err_set(e, LG_EPERM, "%s: only https URLs are allowed "
		    "(plain http only to a loopback host)", what);
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

char *
oauth_http_escape(const char *s)
{
	char *t = curl_easy_escape(NULL, s, 0), *copy;

	if (t == NULL)
		log_fatalx("oauth", "out of memory escaping a form value");
	copy = xstrdup(t);
	curl_free(t);
	return copy;
}

char *
oauth_http_display(const char *url)
{
	return xstrndup(url, strcspn(url, "?#"));
}

/* MAXFILESIZE misses chunked bodies in 7.88 (LIBS.md §5): cap here. */
static size_t
oauth_http_write(char *p, size_t size, size_t n, void *arg)
{
	struct oauth_sink *s = arg;

	if (s->b->len + size * n > OAUTH_HTTP_MAX) {
		s->too_big = 1;
		return 0;
	}
	buf_add(s->b, p, size * n);
	return size * n;
}

static void
oauth_http_setup(CURL *c, const struct oauth_http_req *rq,
    struct oauth_sink *sink, char *errbuf)
{
	curl_easy_setopt(c, CURLOPT_URL, rq->url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)rq->timeout);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)rq->timeout);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (rq->ca_file != NULL && *rq->ca_file != '\0') {
		/* Debian's GnuTLS build also loads CAPATH: pin (LIBS.md §5). */
		curl_easy_setopt(c, CURLOPT_CAINFO, rq->ca_file);
		curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
	}
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->form);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(rq->form));
	if (rq->user != NULL) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, rq->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, rq->password);
	}
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, oauth_http_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, sink);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "leadgate");
}

int
oauth_http_post(const struct oauth_http_req *rq, long *status,
    struct buf *out, struct err *e)
{
	struct curl_slist *hdr = NULL;
	struct oauth_sink sink = { out, 0 };
	char errbuf[CURL_ERROR_SIZE] = "", *shown;
	CURLcode cc;
	CURL *c;
	int rc = LG_OK;

	*status = 0;
	if ((rc = oauth_http_url_ok("token endpoint", rq->url, e)) != LG_OK)
		return rc;
	if ((c = curl_easy_init()) == NULL)
		log_fatalx("oauth", "curl_easy_init failed");
	hdr = curl_slist_append(hdr, "Accept: application/json");
	oauth_http_setup(c, rq, &sink, errbuf);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	cc = curl_easy_perform(c);
	shown = oauth_http_display(rq->url);
	if (sink.too_big)
		rc = err_set(e, LG_EPERM, "%s: the answer is larger than %d "
		    "bytes", shown, OAUTH_HTTP_MAX);
	else if (cc != CURLE_OK)
		rc = err_set(e, LG_ETEMP, "%s: %s", shown, errbuf[0] ? errbuf :
		    curl_easy_strerror(cc));
	else
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	free(shown);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	return rc;
}
