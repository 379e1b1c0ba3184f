/*
 * A forwarded inquiry: the original mail an agent passed on, found in
 * the agent's mail and parsed as if it had arrived directly, so that the
 * extractors read the prospect (or the portal's notification) from it and
 * never the agent.
 *
 * Where the original is, first found first:
 *  - an embedded message/rfc822 part (attached or inline): its headers
 *    and body as sent;
 *  - inline in the text: a forward marker line (the lexicon's
 *    forward_markers: "---------- Forwarded message ---------",
 *    "Begin forwarded message:", "-------- Weitergeleitete Nachricht
 *    --------") followed by a header block; or, when the subject has a
 *    forward prefix (forward_subjects: "Fwd:", "WG:", "TR:"), a reply
 *    separator (quote_headers: "-----Original Message-----"), a rule
 *    line ("________") or nothing, followed by a header block.
 * A header block is a run of "Label: value" lines whose labels are the
 * lexicon's header_from, header_reply_to, header_subject, header_date,
 * header_to and header_cc ("Von:", "Envoyé :", "Oggetto:"), with a From
 * line; standing alone (no marker or separator above it) its From line
 * must hold an address. An original whose From holds none (Outlook's
 * "From: Anna Muster") has no sender: the agent is never taken instead. The original's body is the text after the
 * block (one level of "> " quoting taken off); what the agent wrote above
 * the marker, and their signature, is not part of it.
 *
 * A forward of a forward is unwrapped to the innermost original.
 */
#ifndef LG_FORWARD_H
#define LG_FORWARD_H

#include <stddef.h>

struct mail;
struct parse_data;

struct forward {
	struct mail *orig;	/* the innermost original (mail_free) */
	char *by;		/* the agent: the outer From, "Name <addr>" */
	char *by_addr;		/* the agent's address alone, or NULL */
	int depth;		/* forwards taken off, 1 or more */
	char how[96];		/* where the original was found, for
				   parse --explain */
};

/*
 * 1 with *f filled (forward_clear) when m is an agent's forward of
 * another mail; 0 when it is not (f zeroed). A multipart/report (a
 * bounce) is never a forward.
 */
int forward_find(const struct parse_data *pd, const struct mail *m,
    struct forward *f);
void forward_clear(struct forward *f);
/*
 * Where the first header block of a quoted or forwarded mail starts in
 * text ("Von: Agentur <info@...>", "Gesendet: ...", "Betreff: ..."),
 * whatever the subject: the byte offset of its first line, or the length
 * of text when there is none. A reply quoted in HTML (Outlook's
 * divRplyFwdMsg, web mailers' "Gesendet:" block) shows so in the text.
 */
size_t forward_quote_offset(const struct parse_data *pd, const char *text);

#endif
