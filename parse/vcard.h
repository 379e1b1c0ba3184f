/*
 * A vCard (RFC 6350, and the 2.1 and 3.0 forms mail clients still
 * attach: text/vcard, text/x-vcard, text/directory): the contact it
 * gives, for a prospect who attaches their card instead of writing their
 * number and address. Only what an inquiry needs is read; the first
 * card of the text counts.
 */
#ifndef LG_VCARD_H
#define LG_VCARD_H

#include <stddef.h>

#define VCARD_TELS	4

/* Every field NULL when absent; free with vcard_clear(). */
struct vcard {
	char *fn;		/* FN: "Magdalena Wróblewska" */
	char *family;		/* N: family;given;additional;prefix;suffix */
	char *given;
	char *prefix;		/* "Dr.", "Mrs" */
	char *org;		/* ORG, its first unit */
	char *email;		/* the first EMAIL */
	char *tel[VCARD_TELS];	/* TEL values as written */
	size_t ntel;
	char *street;		/* ADR: pobox;ext;street;locality;region;code;country */
	char *city;
	char *postcode;
	char *country;
};

/*
 * Read the first BEGIN:VCARD ... END:VCARD of text (UTF-8, any line
 * ends): folded lines joined, property groups ("item1.TEL") and
 * parameters skipped, quoted-printable values (2.1) decoded, "\," "\;"
 * "\n" unescaped. Returns 1 when a card was found, else 0 (c cleared).
 */
int vcard_parse(const char *text, struct vcard *c);
void vcard_clear(struct vcard *c);
/* Is a part of this content type or file name a vCard? */
int vcard_part(const char *content_type, const char *filename);

#endif
