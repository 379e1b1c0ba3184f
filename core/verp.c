/* VERP envelope senders and their HMAC (see verp.h). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/outgoing.h"
#include "core/store.h"
#include "core/verp.h"
#include "util/secret.h"
#include "util/xmalloc.h"

#define VERP_CONTEXT "leadgate-verp:"
#define VERP_ID_MAX 19		/* digits of INT64_MAX */

struct verp {
	char *format;
	char *secret;
};

/* The placeholders of a format, in a table: what each one reads. */
static const struct {
	const char *name;
	int (*ok)(int);		/* the characters it stands for */
} verp_fields[] = {
	{ "{id}", isdigit },
	{ "{hmac}", isalnum },
};
#define VERP_NFIELDS (sizeof(verp_fields) / sizeof(verp_fields[0]))

/* The placeholder at p, or -1. */
static int
verp_field_at(const char *p)
{
	size_t i;

	for (i = 0; i < VERP_NFIELDS; i++)
		if (strncmp(p, verp_fields[i].name,
		    strlen(verp_fields[i].name)) == 0)
			return (int)i;
	return -1;
}

int
verp_format_check(const char *format, struct err *e)
{
	const char *p, *at = strchr(format, '@');
	int seen[VERP_NFIELDS] = { 0 }, f = -1;
	size_t i;

	if (at == NULL || strchr(at + 1, '@') != NULL || at[1] == '\0')
		return err_set(e, LG_EPERM, "'%s' needs one '@' and a domain "
		    "after it", format);
	for (p = format; *p; p++) {
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    strchr("<>\"(),;:\\[]", *p) != NULL)
			return err_set(e, LG_EPERM, "'%s': the character '%c' "
			    "has no place in an envelope address", format,
			    isprint((unsigned char)*p) ? *p : '?');
		if (*p == '}' || (*p == '{' && (f = verp_field_at(p)) < 0))
			return err_set(e, LG_EPERM, "'%s': only {id} and "
			    "{hmac} may stand in braces", format);
		if (*p != '{')
			continue;
		if (p > at)
			return err_set(e, LG_EPERM, "'%s': %s belongs before "
			    "the '@'", format, verp_fields[f].name);
		seen[f]++;
		p += strlen(verp_fields[f].name) - 1;
		if (isalnum((unsigned char)p[1]) || p[1] == '{')
			return err_set(e, LG_EPERM, "'%s': %s must be followed "
			    "by a character that is not a letter or digit",
			    format, verp_fields[f].name);
	}
	for (i = 0; i < VERP_NFIELDS; i++)
		if (seen[i] != 1)
			return err_set(e, LG_EPERM, "'%s' needs %s exactly "
			    "once", format, verp_fields[i].name);
	/* The longest address: the biggest id and the HMAC put in. */
	if (strlen(format) - strlen("{id}{hmac}") + VERP_ID_MAX +
	    VERP_HMAC_LEN > VERP_ADDR_MAX)
		return err_set(e, LG_EPERM, "'%.40s...' makes addresses longer "
		    "than %d octets", format, VERP_ADDR_MAX);
	return LG_OK;
}

struct verp *
verp_new(const char *format, const char *secret)
{
	struct verp *v;

	if (verp_format_check(format, NULL) != LG_OK || secret == NULL ||
	    *secret == '\0')
		return NULL;
	v = xcalloc(1, sizeof(*v));
	v->format = xstrdup(format);
	v->secret = xstrdup(secret);
	return v;
}

int
verp_load(const char *format, const char *secret_file, const char *secret_env,
    struct verp **out, struct err *e)
{
	char *secret = NULL;
	int rc;

	*out = NULL;
	if (format == NULL || *format == '\0')
		return LG_OK;
	if ((rc = verp_format_check(format, e)) != LG_OK)
		return err_prefix(e, "bounce.verp");
	rc = secret_read(secret_file, secret_env, &secret, e);
	if (rc == LG_ENOENT)
		return err_set(e, LG_EPERM, "bounce.verp needs a secret: "
		    "bounce.secret_file or bounce.secret_env");
	if (rc != LG_OK)
		return err_prefix(e, "bounce secret");
	*out = verp_new(format, secret);
	secret_free(secret);
	return LG_OK;
}

void
verp_free(struct verp *v)
{
	if (v == NULL)
		return;
	free(v->format);
	secret_free(v->secret);
	free(v);
}

/* The first VERP_HMAC_LEN hex digits of the id's HMAC, lower case. */
static void
verp_mac(const struct verp *v, const char *id, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	char *msg = xasprintf(VERP_CONTEXT "%s", id);

	HMAC(EVP_sha256(), v->secret, (int)strlen(v->secret),
	    (const unsigned char *)msg, strlen(msg), md, &mdlen);
	free(msg);
	for (i = 0; i < VERP_HMAC_LEN / 2 && i < mdlen; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[VERP_HMAC_LEN] = '\0';
	OPENSSL_cleanse(md, sizeof(md));
}

int
verp_address(const struct verp *v, int64_t id, char *out, size_t len,
    struct err *e)
{
	char num[VERP_ID_MAX + 2], mac[VERP_HMAC_LEN + 1];
	const char *p;
	size_t n = 0, k;
	int f;

	snprintf(num, sizeof(num), "%" PRId64, id);
	verp_mac(v, num, mac);
	for (p = v->format; *p; p += k) {
		const char *put = p;

		k = 1;
		if (*p == '{' && (f = verp_field_at(p)) >= 0) {
			put = f == 0 ? num : mac;
			k = strlen(verp_fields[f].name);
		}
		if (put == p) {
			if (n + 1 < len)
				out[n] = *p;
			n++;
		} else {
			if (n + strlen(put) < len)
				memcpy(out + n, put, strlen(put));
			n += strlen(put);
		}
	}
	if (n >= len || n > VERP_ADDR_MAX)
		return err_set(e, LG_EPERM, "the VERP address of message %lld "
		    "is longer than %d octets", (long long)id, VERP_ADDR_MAX);
	out[n] = '\0';
	return LG_OK;
}

/* Match addr against the format; the placeholders' spans go to span. */
static int
verp_shape(const char *format, const char *addr, const char *start[],
    size_t len[])
{
	const char *f = format, *a = addr;
	int k;

	while (*f) {
		if (*f == '{' && (k = verp_field_at(f)) >= 0) {
			start[k] = a;
			while (verp_fields[k].ok((unsigned char)*a))
				a++;
			len[k] = (size_t)(a - start[k]);
			f += strlen(verp_fields[k].name);
			continue;
		}
		if (tolower((unsigned char)*f) != tolower((unsigned char)*a))
			return 0;
		f++;
		a++;
	}
	return *a == '\0' && len[0] > 0;
}

int
verp_parse(const struct verp *v, const char *addr, int64_t *id,
    struct err *e)
{
	const char *start[VERP_NFIELDS] = { NULL };
	size_t len[VERP_NFIELDS] = { 0 }, i;
	char num[VERP_ID_MAX + 2], want[VERP_HMAC_LEN + 1];
	char got[VERP_HMAC_LEN + 1];
	long long n;
	char *end;

	if (!verp_shape(v->format, addr, start, len))
		return LG_ENOENT;
	if (len[0] > VERP_ID_MAX)
		return err_set(e, LG_EPERM, "%s: no message has that id", addr);
	memcpy(num, start[0], len[0]);
	num[len[0]] = '\0';
	errno = 0;
	n = strtoll(num, &end, 10);
	if (errno != 0 || n <= 0)
		return err_set(e, LG_EPERM, "%s: no message has that id", addr);
	if (len[1] != VERP_HMAC_LEN)
		return err_set(e, LG_EPERM, "%s: wrong HMAC (%zu digits, not "
		    "%d)", addr, len[1], VERP_HMAC_LEN);
	snprintf(num, sizeof(num), "%lld", n);
	verp_mac(v, num, want);
	for (i = 0; i < VERP_HMAC_LEN; i++)
		got[i] = (char)tolower((unsigned char)start[1][i]);
	got[VERP_HMAC_LEN] = '\0';
	if (CRYPTO_memcmp(got, want, VERP_HMAC_LEN) != 0)
		return err_set(e, LG_EPERM, "%s: wrong HMAC for message %lld "
		    "(forged, or made with another secret)", addr, n);
	*id = n;
	return LG_OK;
}

int
verp_sender(const struct verp *v, struct store *st, struct outgoing *o,
    struct err *e)
{
	char addr[VERP_ADDR_MAX + 1];
	int rc;

	if (v == NULL)
		return LG_OK;
	if ((rc = verp_address(v, o->id, addr, sizeof(addr), e)) != LG_OK)
		return rc;
	xstrset(&o->sender, addr);
	return store_outgoing_update(st, o, e);
}
