/*
 * What an extraction knows besides the mail: the profiles and the
 * lexicon, and the agency's own addresses (never a prospect's). Filled
 * by ingest and the commands, read by every extractor (extract.h,
 * extractor.h).
 */
#ifndef LG_EXTRACT_ENV_H
#define LG_EXTRACT_ENV_H

#include <jansson.h>

struct parse_data;

/*
 * own_addresses: mail.own_addresses ("a@b" or "Name <a@b>"), and
 * own_domains: mail.own_domains, NULL-terminated (NULL: none). mailbox:
 * the connector's own address, or NULL.
 */
struct extract_env {
	const struct parse_data *data;	/* profiles, lexicon: required */
	const char *const *own_addresses;
	const char *const *own_domains;
	const char *mailbox;
	/*
	 * parse --explain: when not NULL (an object), every field's
	 * candidates are added to it: field -> [{value, from, where}], in
	 * the order found; label candidates under the label's field name
	 * ("name", "postcode_city", "custom:KEY").
	 */
	json_t *explain;
};

#endif
