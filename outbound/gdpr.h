/*
 * The contact's rights over everything leadgate holds and sends: export
 * (GDPR Articles 15 and 20) and erase (Article 17). The store says which
 * rows name a person (store_contact_export(), store_contact_erase());
 * here the files those rows name are added or removed: the archived raw
 * mails (core/archive.h) and the messages waiting in the spool.
 */
#ifndef LG_GDPR_H
#define LG_GDPR_H

#include <stdint.h>

#include "core/store.h"
#include "spool/spool.h"
#include "util/err.h"

/*
 * Everything held about contact id as one JSON document (caller frees):
 * the store's export, each archived mail with its raw text ("text") and
 * each message still in the spool with its text. archive_dir or sp NULL:
 * no such files. LG_ENOENT: no such contact.
 */
int gdpr_export(struct store *st, const char *archive_dir, struct spool *sp,
    int64_t id, char **json, struct err *e);

/*
 * Inside the caller's write transaction: store_contact_erase(), then the
 * files it names are erased before the commit (a crash in between
 * leaves rows naming files that are gone, never a file nobody would
 * remove). After the commit the caller runs store_scrub(). r as
 * store_contact_erase() fills it (store_erase_result_free()).
 */
int gdpr_erase(struct store *st, const char *archive_dir, struct spool *sp,
    int64_t id, const char *actor, struct erase_result *r, struct err *e);

#endif
