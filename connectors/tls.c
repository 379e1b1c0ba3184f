#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "connectors/tls.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define MOD "tls"
/* A server chain longer than this is not one we need to accept. */
#define TLS_MAX_CHAIN 16

struct tls_trust {
	gnutls_x509_trust_list_t list;
	char *name;
};

static int
tls_trust_load(struct tls_trust *t, const char *ca_file, struct err *e)
{
	int n;

	if (ca_file == NULL || *ca_file == '\0') {
		n = gnutls_x509_trust_list_add_system_trust(t->list, 0, 0);
		if (n <= 0)
			return err_set(e, LG_EPERM, "no system CA certificates "
			    "(%s): set ca_file", n < 0 ? gnutls_strerror(n) :
			    "the store is empty");
		return LG_OK;
	}
	n = gnutls_x509_trust_list_add_trust_file(t->list, ca_file, NULL,
	    GNUTLS_X509_FMT_PEM, 0, 0);
	if (n < 0)
		return err_set(e, LG_EPERM, "CA file %s: %s", ca_file,
		    gnutls_strerror(n));
	if (n == 0)
		return err_set(e, LG_EPERM, "CA file %s holds no PEM "
		    "certificate", ca_file);
	return LG_OK;
}

int
tls_trust_new(const char *ca_file, struct tls_trust **out, struct err *e)
{
	struct tls_trust *t = xcalloc(1, sizeof(*t));
	int rc;

	*out = NULL;
	if (gnutls_x509_trust_list_init(&t->list, 0) < 0)
		log_fatalx(MOD, "out of memory for a trust list");
	t->name = xstrdup(ca_file && *ca_file ? ca_file : "system store");
	if ((rc = tls_trust_load(t, ca_file, e)) != LG_OK) {
		tls_trust_free(t);
		return rc;
	}
	*out = t;
	return LG_OK;
}

void
tls_trust_free(struct tls_trust *t)
{
	if (t == NULL)
		return;
	/* 1: also free the CA certificates the list owns. */
	gnutls_x509_trust_list_deinit(t->list, 1);
	free(t->name);
	free(t);
}

const char *
tls_trust_name(const struct tls_trust *t)
{
	return t->name;
}

static void
tls_crts_free(gnutls_x509_crt_t *crts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
}

static int
tls_crts_import(const struct tls_der *chain, size_t n,
    gnutls_x509_crt_t *crts, struct err *e)
{
	gnutls_datum_t d;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (gnutls_x509_crt_init(&crts[i]) < 0)
			log_fatalx(MOD, "out of memory for a certificate");
		d.data = (unsigned char *)chain[i].data;
		d.size = (unsigned int)chain[i].len;
		rc = gnutls_x509_crt_import(crts[i], &d, GNUTLS_X509_FMT_DER);
		if (rc < 0) {
			tls_crts_free(crts, i + 1);
			return err_set(e, LG_EPERM, "server certificate %zu "
			    "is unreadable: %s", i, gnutls_strerror(rc));
		}
	}
	return LG_OK;
}

static int
tls_status_fail(unsigned int status, const char *host, const char *trust,
    struct err *e)
{
	gnutls_datum_t out = { NULL, 0 };
	int rc;

	rc = gnutls_certificate_verification_status_print(status,
	    GNUTLS_CRT_X509, &out, 0);
	while (rc == 0 && out.data && out.size > 0 &&
	    out.data[out.size - 1] == ' ')
		out.data[--out.size] = '\0';
	rc = err_set(e, LG_EPERM, "certificate of %s not accepted (trusting "
	    "%s): %s", host, trust, rc == 0 && out.data ? (char *)out.data :
	    "verification failed");
	gnutls_free(out.data);
	return rc;
}

int
tls_trust_verify(const struct tls_trust *t, const struct tls_der *chain,
    size_t n, const char *host, struct err *e)
{
	gnutls_x509_crt_t crts[TLS_MAX_CHAIN];
	gnutls_typed_vdata_st vd[2];
	unsigned int status = 0;
	int rc;

	if (n == 0)
		return err_set(e, LG_EPERM, "%s sent no certificate", host);
	if (n > TLS_MAX_CHAIN)
		return err_set(e, LG_EPERM, "%s sent a chain of %zu "
		    "certificates (at most %d)", host, n, TLS_MAX_CHAIN);
	if ((rc = tls_crts_import(chain, n, crts, e)) != LG_OK)
		return rc;
	vd[0].type = GNUTLS_DT_DNS_HOSTNAME;
	vd[0].data = (unsigned char *)host;
	vd[0].size = 0;
	vd[1].type = GNUTLS_DT_KEY_PURPOSE_OID;
	vd[1].data = (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER;
	vd[1].size = 0;
	rc = gnutls_x509_trust_list_verify_crt2(t->list, crts, (unsigned)n,
	    vd, 2, 0, &status, NULL);
	tls_crts_free(crts, n);
	if (rc < 0)
		return err_set(e, LG_EPERM, "certificate of %s: %s", host,
		    gnutls_strerror(rc));
	if (status != 0)
		return tls_status_fail(status, host, t->name, e);
	return LG_OK;
}
