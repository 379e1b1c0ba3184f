/*
 * Settings tables: the one engine that reads a libconfig group into a
 * struct (the main configuration file, connector blocks, the dedup block
 * of rule files).
 *
 * A table has a row per setting: its name (a libconfig path below the
 * group, "smtp.port" being port inside the group smtp), its type, its
 * default as text, where it lands (offsetof) and one line of
 * documentation. settings_read() applies the defaults, reads every
 * setting of the group, refuses names that are not in the table (a
 * misspelt setting must fail, not be ignored), checks types and ranges
 * (integers are taken as 64 bits and checked: libconfig 1.5 wraps large
 * ones silently), and reports every mistake of the group, each as
 * "FILE:LINE: CONTEXT: reason", through the reader's struct err_report
 * (util/err.h): every one into its list, the first into its struct err.
 */
#ifndef LG_SETTINGS_H
#define LG_SETTINGS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <libconfig.h>

#include "util/err.h"

enum settings_type {
	SETTINGS_STR,		/* char *, a copy */
	SETTINGS_PATH,		/* char *, relative to the reader's base */
	SETTINGS_INT,		/* int within min..max */
	SETTINGS_BOOL,		/* int, 0 or 1 */
	SETTINGS_ENUM,		/* int, the index of the value in names */
	SETTINGS_ENUM_NAME,	/* char *, the value, one of names */
	SETTINGS_STRLIST,	/* struct settings_strlist */
	SETTINGS_HOOK,		/* read by the row's hook */
};

/* Row flags (the string ones may be given to a whole table). */
#define SETTINGS_REQUIRED	0x01	/* missing is a mistake */
#define SETTINGS_NOCTL		0x02	/* strings: no control character */
#define SETTINGS_ONELINE	0x04	/* strings: no CR, no LF */
#define SETTINGS_NONEMPTY	0x08	/* strings: "" is a mistake */
#define SETTINGS_DERIVED	0x10	/* the reader's caller sets the
					   default; def says from what */

/* The row is checked but lands nowhere (someone else reads it). */
#define SETTINGS_NOFIELD	((size_t)-1)

struct settings_strlist {
	char **v;		/* NULL-terminated */
	size_t n;
};

struct setting;
struct settings_reader;

/* Read st for row s into obj; mistakes go to settings_bad(). */
typedef int settings_hook_fn(struct settings_reader *r,
    const struct setting *s, const config_setting_t *st, void *obj);
/* More than the type says of a string: LG_OK, or LG_EPERM and why. */
typedef int settings_check_fn(const char *v, struct err *why);

/*
 * A row: the first four fields positionally, the others by designator
 * ({ "port", SETTINGS_INT, "25", F(port), .doc = "the port", .min = 1,
 * .max = 65535 }). The string flags apply to STR, PATH and the elements
 * of a STRLIST.
 */
struct setting {
	const char *name;	/* libconfig path below the group */
	enum settings_type type;
	const char *def;	/* default, as text; NULL: none */
	size_t off;		/* offsetof() in the struct, or NOFIELD */
	const char *doc;	/* one line, for `leadgate config settings` */
	long long min, max;	/* SETTINGS_INT */
	const char *const *names;	/* SETTINGS_ENUM*: NULL-terminated */
	settings_hook_fn *hook;		/* SETTINGS_HOOK */
	settings_check_fn *check;	/* strings: its reason follows "NAME: " */
	const char *what;	/* what a wrong value should have been */
	const char *kind;	/* the type for the docs, when not the engine's */
	int flags;
};

/*
 * How the mistakes of a table are worded, for readers whose messages
 * predate the engine (admins and tests quote them). Templates with
 * {placeholders}; a NULL field takes the engine's words, given here.
 */
struct settings_words {
	const char *setting;	/* {name}: "{name}" */
	const char *unknown;	/* {name}: "unknown setting '{name}'" */
	const char *type;	/* {setting} {what}: "{setting}: expected {what}" */
	const char *choice;	/* {setting} {value} {choices} (a|b) {names}
				   (a, b) {what}: "{setting}: expected {what}" */
};

struct settings_table {
	const char *name;	/* "main", "imap", ...: `config settings` */
	const struct setting *v;
	size_t n;
	const struct settings_words *words;	/* NULL: the engine's */
	int flags;		/* string flags every row has */
};

#define SETTINGS_TABLE(name, rows, words, flags)			\
	{ (name), (rows), sizeof(rows) / sizeof((rows)[0]), (words), (flags) }

/* One read: the table, where the group is, where mistakes go. */
struct settings_reader {
	const struct settings_table *t;
	const char *file;	/* in messages when libconfig knows none */
	const char *base;	/* relative paths are taken from here */
	const char *context;	/* "imap connector 'inbox'", or "" */
	struct err_report *rep;
};

/* The defaults (rows with one that is not SETTINGS_DERIVED) into obj. */
void settings_defaults(const struct settings_table *t, void *obj,
    const char *base);
/*
 * The defaults, then every setting of group into obj. LG_EPERM when
 * there was a mistake (each went to r->rep); obj is then still complete
 * enough for settings_free().
 */
int settings_read(struct settings_reader *r, const config_setting_t *group,
    void *obj);
/* A reader of table t for a group of file; context as in the struct. */
void settings_reader_init(struct settings_reader *r,
    const struct settings_table *t, const char *file, const char *base,
    const char *context, struct err_report *rep);
/* settings_bad() with a va_list, for a module's own *_bad() wrapper. */
int settings_vbad(struct settings_reader *r, const config_setting_t *st,
    const char *fmt, va_list ap);
/* Report a mistake at st: "FILE:LINE: CONTEXT: why". Returns LG_EPERM. */
int settings_bad(struct settings_reader *r, const config_setting_t *st,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* For hooks: "NAME: expected WHAT" (s->what), in the table's words. */
int settings_bad_type(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st);
/* Free what the rows own in obj (strings, lists); not obj itself. */
void settings_free(const struct settings_table *t, void *obj);
/* "name = value" per row; hooks and rows landing nowhere left out. */
void settings_dump(const struct settings_table *t, const void *obj,
    FILE *out);
/*
 * The same, each name after prefix ("imap.inbox.", or ""); with
 * non_default only the rows whose value is not their default (a default
 * derived from other settings counts as none: such a row shows when set).
 */
void settings_dump_ext(const struct settings_table *t, const void *obj,
    const char *prefix, int non_default, const char *base, FILE *out);
/*
 * The name of t closest to name at its depth ("store" for "stroe",
 * "smtp.port" for "smtp.prot"): at most 1 edit for short names, 2 for
 * longer ones (a swap of two letters is one). NULL when none is close.
 */
const char *settings_suggest(const struct settings_table *t,
    const char *name, char *buf, size_t len);
/* Optimal string alignment distance (case-insensitive, bytes). */
size_t settings_distance(const char *a, const char *b);
/* The type as the docs say it: "int 1..65535", "enum a|b", "path". */
const char *settings_type_text(const struct setting *s, char *buf,
    size_t len);
/*
 * The default as the docs say it: "25", "\"\"" (empty), "(ingest.batch)"
 * (from elsewhere), "required", "-" (none).
 */
const char *settings_default_text(const struct setting *s, char *buf,
    size_t len);
/* p taken from base (absolute paths and "" as they are); caller frees. */
char *settings_path(const char *base, const char *p);
void settings_strlist_free(struct settings_strlist *l);

#endif
