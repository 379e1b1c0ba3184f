/*
 * The value of one hexadecimal digit, either case; -1 for any other
 * character. Shared by the decoders of quoted-printable, RFC 2047 and
 * RFC 2231 words, vCard values and URL-encoded forms.
 */
#ifndef LG_HEX_H
#define LG_HEX_H

static inline int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
