/*
 * People's names as they arrive: display names ("Muster, Anna",
 * "Dr. Anna von Muster", "DUPONT Jean", "Max Muster via ImmoScout24"),
 * salutations in four languages, and senders that are machines.
 */
#ifndef LG_PERSON_H
#define LG_PERSON_H

struct person {
	char *salutation;	/* normalised (person_salutation) */
	char *title;		/* "Dr.", "Prof. Dr." */
	char *first;
	char *last;
};

/* Split a display name (UTF-8) into p (fields NULL when absent). */
void person_split(const char *display, struct person *p);
void person_clear(struct person *p);
/*
 * The normalised salutation ("Hr." -> "Herr", "Mme" -> "Madame",
 * "Mrs" -> "Ms"), or NULL when s is none we know.
 */
const char *person_salutation(const char *s);
/* 1 when the local part of addr reads like a machine (noreply@...). */
int person_noreply(const char *addr);

#endif
