/*
 * The country and language codes profiles and the lexicon are written
 * with: ISO 3166-1 alpha-2 in upper case ("IT"), ISO 639-1 in lower case
 * ("it").
 */
#ifndef LG_ISO_H
#define LG_ISO_H

/* cc when it is an ISO 3166-1 alpha-2 code ("GB"; not "gb", "UK"), a
   static copy; else NULL. */
const char *iso_country(const char *cc);
/* The same for an ISO 639-1 code ("nb"). */
const char *iso_language(const char *code);

#endif
