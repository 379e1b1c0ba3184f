/*
 * The prospect's own words out of a mail: from the first line (a
 * greeting such as "Bonjour," stays) up to, not including, the closing
 * formula, the signature, the quoted earlier message and the portal's
 * footer (issue 14, leadgate-portals(5) THE MESSAGE).
 *
 * The phrases come from the caller (the lexicon's closings, footers,
 * quote headers and forward markers of every language, the profile's
 * message.start and message.end), so this module knows no language.
 * Phrases are compared without case (Latin, Greek and Cyrillic letters),
 * a space matching any run of white space, '*' any text: closings,
 * footers, starts and ends at the start of a line, quote headers and
 * forward markers against the whole line.
 */
#ifndef LG_MESSAGE_H
#define LG_MESSAGE_H

#include <stddef.h>

struct segment;

/* NULL-terminated lists; a NULL list is an empty one. */
struct message_words {
	const char *const *closings;	/* "Mit freundlichen Grüßen" */
	const char *const *footers;	/* "Diese E-Mail wurde" */
	const char *const *quote_headers;	/* "Am * schrieb *:" */
	const char *const *forward_markers;	/* "-*Forwarded message*-" */
	const char *const *greetings;	/* "Hallo": where a person's mail
					   starts (optional) */
	const char *const *starts;	/* the profile's message.start */
	const char *const *ends;	/* the profile's message.end */
};

/*
 * The mail was forwarded to the agency (a forward subject prefix, an
 * agent's mail): the prospect's words are those of the forwarded or
 * quoted mail, after its separator and header lines, not the note above.
 */
#define MESSAGE_FORWARD	0x1
/*
 * The mail is a portal's or a form's notification (a profile matched):
 * message_find() never takes it for a person's own mail read from its
 * first line.
 */
#define MESSAGE_NOTIFICATION	0x2

/*
 * Cut the prospect's words out of text (a message label's value, or a
 * whole body): after a line starting with a `starts` phrase when there
 * is one, else from the first line; up to the first line that is a
 * closing (with at most a few words after it on the line: "Merci,
 * Marie", not "Thanks for the quick reply, is the flat still free?"),
 * a footer, a reply separator or forward marker, the header block of a
 * quoted mail, a signature or rule line ("-- ", "-----"), a quoted line
 * ("> ") after the message, or an `ends` phrase. Leading and trailing
 * blank lines go, quotes a portal puts around the whole text go, the
 * rest stays as written. Returns a new string, or NULL when nothing of
 * the prospect's is left.
 */
char *message_cut(const char *text, size_t len, const struct message_words *w,
    int flags);

/*
 * The prospect's words in a segmented mail (segment.h), field being the
 * id is_label gives message labels, in this order:
 *  1. the first message label's value, cut;
 *  2. the lines after a `starts` phrase, up to the next label, cut;
 *  3. a person's own mail (no MESSAGE_NOTIFICATION; it opens with a
 *     greeting or a sentence, not a portal's title; no label, or none
 *     before a closing, signature or the like ends its words): the body
 *     from its first line, cut;
 *  4. the first paragraphs after the first label (else from the top)
 *     that read as a person's words (a greeting, sentences that end as
 *     sentences do), a short line introducing them ("Tobias schreibt:")
 *     left out, up to one that does not or to a label, cut; a paragraph
 *     in quotation marks stands alone;
 *  5. the same before the first label.
 * NULL rather than the whole mail when nothing looks like the prospect's
 * words.
 */
char *message_find(const struct segment *s, int field,
    const struct message_words *w, int flags);

/*
 * Who signs a person's mail: the words after its first sure closing on
 * the same line ("Gruß Jonas"), else the next line that is not blank
 * ("Mit freundlichen Grüßen" / "Anna Kogler"); before any quoted mail or
 * reply separator. Returns where they start in text and their length in
 * *n (to the line's end), or NULL. Whether it is a name is the caller's
 * to judge.
 */
const char *message_signer(const char *text, size_t len,
    const struct message_words *w, size_t *n);

/*
 * A chat transcript ("[12:31:40] Hannah Pritchard: Hi, is ...", "10:15
 * Petra Horáková: Dobrý den"): the lines of the speaker whose name
 * starts with first (and holds last, when given), in order, without
 * times and names; NULL when msg is no transcript of two speakers or
 * the prospect says nothing in it.
 */
char *message_chat(const char *msg, const char *first, const char *last);

#endif
