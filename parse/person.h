/*
 * People's names as they arrive: display names ("Muster, Anna",
 * "Dr. Anna von Muster", "LEFÈVRE Hélène", "Max Muster via ImmoScout24"),
 * salutations, titles and name particles of many languages, and senders
 * that are machines.
 */
#ifndef LG_PERSON_H
#define LG_PERSON_H

struct person {
	char *salutation;	/* as written: "Herr", "Mme", "De heer" */
	char *title;		/* "Dr.", "Prof. Dr.", "DI Dr. MSc" */
	char *first;
	char *last;		/* with particles: "van der Meer" */
};

/*
 * The words a name is split by, each list NULL-terminated (a NULL list
 * is an empty one): salutations as written ("Herr", "Mme", "De heer":
 * several words allowed), academic and professional titles ("Dr.",
 * "Dipl.-Ing.", "DI", "MSc") and the particles that start a last name
 * ("van", "de", "von"). Compared without case and without a final dot
 * ("Dr" is "Dr."), except that an entry in capitals ("DI", "PD") only
 * matches in capitals, so that "Di" stays a particle.
 */
struct person_words {
	const char *const *salutations;
	const char *const *titles;
	const char *const *particles;
};

/* Does lang write a person's family name first ("hu": "Szabó Katalin")? */
int person_surname_first(const char *lang);
/*
 * Split a display name (UTF-8) into p (fields NULL when absent; free with
 * person_clear). w: the word lists, NULL for the built-in ones. lang:
 * ISO 639-1 of the mail ("es", "pt-BR"), or NULL.
 *
 * - "via X", "(...)", "[...]" and quotes around the name are dropped;
 *   an address ('@') is no name.
 * - Salutations (kept as written; one in capitals is spelled as in the
 *   list) and titles in front, titles at the end ("Anna Muster, MSc") go
 *   to salutation and title, never into a name. A single word left after
 *   them is the last name ("Herr Muster"), otherwise the first name.
 * - "Last, First" with one comma.
 * - Capitals: a name all in capitals is title-cased ("KERSTIN
 *   VOGELSANG-BRÜCK" -> Kerstin Vogelsang-Brück, "O'NEILL" -> O'Neill,
 *   "McDONALD" -> McDonald); words in capitals in front of words that
 *   are not are the last name, surname first ("LEFÈVRE Hélène",
 *   "DUPONT J."), title-cased too. Particles in capitals go lower case
 *   ("Pieter VAN DER MEER" -> van der Meer), except at the very start
 *   ("VAN DER MEER Pieter" -> Van der Meer).
 * - Otherwise the last name starts at the first particle after the first
 *   word ("Anna von Muster", "Jean-Pierre de La Fontaine"), else it is
 *   the last word ("Anna Maria Muster" -> Anna Maria / Muster).
 * - lang es, pt, ca, gl (two surnames): particles join the word after
 *   them ("de la Cruz") and "y", "i", "e" join two surnames ("Puig i
 *   Soler"); of three or more such parts the last two are the last name
 *   ("María García López" -> María / García López, "João Pedro Silva
 *   Santos" -> João Pedro / Silva Santos, "Carmen Ruiz de Alarcón" ->
 *   Carmen / Ruiz de Alarcón), of two the second. A given name of two
 *   words with one surname ("María José García") comes out wrong; that
 *   is the rarer case.
 * - lang hu, or a name in CJK script ("山田 太郎", "김 민준"): family name
 *   first. One word of two or three Han or Hangul signs ("王小明") is
 *   split after its first sign, except in Japanese.
 */
void person_split_with(const char *display, const struct person_words *w,
    const char *lang, struct person *p);
/* person_split_with() with the built-in word lists and no language. */
void person_split(const char *display, struct person *p);
void person_clear(struct person *p);
/*
 * The normalised salutation ("Hr." -> "Herr", "Mme" -> "Madame",
 * "Mrs" -> "Ms"), or NULL when s is none we know: for letters and
 * templates that need one spelling per salutation. Names keep the
 * salutation as written (person_split).
 */
const char *person_salutation(const char *s);
/* 1 when the local part of addr reads like a machine (noreply@...). */
int person_noreply(const char *addr);

#endif
