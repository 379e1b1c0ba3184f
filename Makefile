# leadgate: build with `make`, run every test with `make test`,
# and the same tests under ASan+UBSan with `make test SAN=1`.

PKGS     := jansson sqlite3 libconfig libcurl gnutls openssl expat zlib libmicrohttpd libpq libargon2
# libetpan.pc leaks a no-PIE link spec (see LIBS.md §0): link it by hand.
ETPAN    := -letpan

SAN      ?= 0
ifeq ($(SAN),1)
BUILD    ?= build-san
OPT      ?= -O1 -g -fno-omit-frame-pointer
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
else
BUILD    ?= build
OPT      ?= -O2 -g
SANFLAGS :=
endif

# Where leadgate finds lexicon/ and portals/mail/ when no configuration
# names them (core/config.c): this tree's etc/ unless installed elsewhere.
# Changing it needs `make clean`.
DATADIR  ?= $(CURDIR)/etc

CC       ?= cc
WARN     := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-unused-parameter \
            -Wno-format-truncation
CPPFLAGS += -I. -D_GNU_SOURCE $(shell pkg-config --cflags $(PKGS))
CFLAGS   += -std=c11 $(OPT) $(WARN) $(SANFLAGS) -pthread
LDFLAGS  += $(SANFLAGS) -pthread
LDLIBS   += $(shell pkg-config --libs $(PKGS)) $(ETPAN) -lm

# Every .c in a module directory belongs to the library, except main.c.
MODULES  := util core parse connectors rules templates spool outbound ingest gateway
LIB_SRCS := $(filter-out gateway/main.c,$(wildcard $(addsuffix /*.c,$(MODULES))))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libleadgate.a

TEST_SRCS := $(wildcard tests/unit/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TEST_HELPERS := $(filter-out $(TEST_SRCS),$(wildcard tests/unit/*.c))
TEST_HELPER_OBJS := $(TEST_HELPERS:%.c=$(BUILD)/%.o)

ifeq ($(SAN),1)
PROG     := $(BUILD)/leadgate
else
PROG     := leadgate
endif

.PHONY: all test check tests clean deps demo man completion installed \
    install uninstall
.SECONDARY: $(TEST_HELPER_OBJS)
all: $(PROG)

$(PROG): $(BUILD)/gateway/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(LIB): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/core/config.o: CPPFLAGS += -DLEADGATE_DATADIR='"$(DATADIR)"'

$(BUILD)/tests/%: tests/unit/%.c $(TEST_HELPER_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/unit -MMD -MP $(LDFLAGS) -o $@ $< $(TEST_HELPER_OBJS) $(LIB) $(LDLIBS)

# The power-cut model (tests/lib/powercut.c), preloaded into the programs
# of t_powercut*: built without sanitizers in every build (an ASan program
# preloads libasan before it; the test does).
PRELOADS := $(BUILD)/tests/powercut.so

$(BUILD)/tests/powercut.so: tests/lib/powercut.c
	@mkdir -p $(dir $@)
	$(CC) -D_GNU_SOURCE -std=c11 -O2 -g $(WARN) -fPIC -shared -pthread \
	    -o $@ $< -ldl

tests: $(PROG) $(TEST_BINS) $(PRELOADS)

# One summary line at the end: "N passed, N failed".
test check: tests
	LEADGATE=$(abspath $(PROG)) BUILD=$(abspath $(BUILD)) tests/run.sh "$(T)"

deps:
	scripts/install-deps.sh

demo: $(PROG)
	./scripts/demo.sh

clean:
	rm -rf build build-san leadgate

# --- Installing (make install; GNU directory names, DESTDIR for packaging).
# The installed program is built apart from ./leadgate (which keeps this
# tree's etc/ for its tests): only core/config.c differs, compiled with the
# installed data directory and configuration directory.
PREFIX        ?= /usr/local
prefix        ?= $(PREFIX)
exec_prefix   ?= $(prefix)
bindir        ?= $(exec_prefix)/bin
datarootdir   ?= $(prefix)/share
pkgdatadir    ?= $(datarootdir)/leadgate
sysconfdir    ?= $(prefix)/etc
localstatedir ?= $(prefix)/var
mandir        ?= $(datarootdir)/man
bashcompdir   ?= $(datarootdir)/bash-completion/completions
zshcompdir    ?= $(datarootdir)/zsh/site-functions
pkgconfdir    := $(sysconfdir)/leadgate
pkgstatedir   := $(localstatedir)/lib/leadgate
INSTALL       ?= install

INST     := $(BUILD)/installed
INST_BIN := $(INST)/leadgate
# Recompiled when an installation directory changes.
INST_DIRS := $(INST)/dirs.$(subst /,_,$(pkgdatadir)+$(sysconfdir)+$(localstatedir))

$(INST_DIRS):
	@mkdir -p $(dir $@)
	@rm -f $(INST)/dirs.*
	@touch $@

$(INST)/config.o: core/config.c $(INST_DIRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -DLEADGATE_DATADIR='"$(pkgdatadir)"' \
	    -DLEADGATE_SYSCONFDIR='"$(sysconfdir)"' -c -o $@ core/config.c

# The archive's own config.o is never pulled in: the one given first
# defines every symbol it has.
$(INST_BIN): $(BUILD)/gateway/main.o $(INST)/config.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The sample configuration as installed: state under localstatedir, the
# lexicon and portal profiles from pkgdatadir (not named, see config.c).
$(INST)/leadgate.conf: etc/leadgate.conf $(INST_DIRS)
	@mkdir -p $(dir $@)
	sed -e 's|"\.\./demo/|"$(pkgstatedir)/|' \
	    -e 's|^\(lexicon = \)|# \1|' \
	    -e 's|^\(portal_profiles = \)|# \1|' \
	    -e '/^lock = /a archive = { dir = "$(pkgstatedir)/archive"; };\t# kept raw mail' \
	    etc/leadgate.conf >$@

# Manual pages: roff from docs/*.md by pandoc (tables become tagged
# paragraphs, scripts/man-tables.lua: tbl columns cannot hold code on a
# terminal). SOURCE_DATE_EPOCH (set by dpkg) dates them reproducibly.
MAN_SRCS  := $(wildcard docs/*.[1-8].md)
MAN_PAGES := $(MAN_SRCS:docs/%.md=$(BUILD)/man/%)
MAN_DATE  := $(shell date -u -d @$${SOURCE_DATE_EPOCH:-$$(git log -1 \
    --format=%ct 2>/dev/null || date +%s)} +%Y-%m-%d)
LG_VERSION := $(shell sed -n 's/.*LEADGATE_VERSION "\(.*\)"/\1/p' util/version.h)

$(BUILD)/man/%: docs/%.md scripts/man-tables.lua
	@mkdir -p $(dir $@)
	sed 1d $< | pandoc -f markdown -t man -s \
	    --lua-filter scripts/man-tables.lua --shift-heading-level-by=-1 \
	    -M title=$(basename $*) -M section=$(subst .,,$(suffix $*)) \
	    -M header="leadgate manual" -M footer="leadgate $(LG_VERSION)" \
	    -M date=$(MAN_DATE) -o $@

man: $(MAN_PAGES)

COMPLETIONS := $(BUILD)/completion/leadgate.bash $(BUILD)/completion/_leadgate

$(BUILD)/completion/leadgate.bash: $(PROG) scripts/completion.sh
	@mkdir -p $(dir $@)
	scripts/completion.sh bash $(abspath $(PROG)) >$@
$(BUILD)/completion/_leadgate: $(PROG) scripts/completion.sh
	@mkdir -p $(dir $@)
	scripts/completion.sh zsh $(abspath $(PROG)) >$@

completion: $(COMPLETIONS)

installed: $(INST_BIN) $(INST)/leadgate.conf man completion

# Shipped data (read-only, pkgdatadir) and the admin's data (the sample
# configuration, pipelines, rules, templates: pkgconfdir, never
# overwritten when already there).
DATA_FILES := $(shell cd etc && find lexicon portals unsubscribe \
    oauth-providers.conf openapi.json -type f | LC_ALL=C sort)
CONF_FILES := $(shell cd etc && find pipelines.conf rules.conf templates \
    -type f | LC_ALL=C sort)

install: installed
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(pkgdatadir) \
	    $(DESTDIR)$(mandir)/man1 $(DESTDIR)$(mandir)/man5 \
	    $(DESTDIR)$(bashcompdir) $(DESTDIR)$(zshcompdir) \
	    $(DESTDIR)$(pkgconfdir)
	$(INSTALL) -d -m 0700 $(DESTDIR)$(pkgstatedir)
	$(INSTALL) -m 0755 $(INST_BIN) $(DESTDIR)$(bindir)/leadgate
	for f in $(DATA_FILES); do \
		$(INSTALL) -D -m 0644 etc/$$f $(DESTDIR)$(pkgdatadir)/$$f || exit; \
	done
	for f in $(CONF_FILES); do \
		[ -e $(DESTDIR)$(pkgconfdir)/$$f ] || \
		$(INSTALL) -D -m 0644 etc/$$f $(DESTDIR)$(pkgconfdir)/$$f || exit; \
	done
	[ -e $(DESTDIR)$(pkgconfdir)/leadgate.conf ] || \
	    $(INSTALL) -m 0640 $(INST)/leadgate.conf $(DESTDIR)$(pkgconfdir)/leadgate.conf
	for p in $(notdir $(MAN_PAGES)); do \
		$(INSTALL) -m 0644 $(BUILD)/man/$$p \
		    $(DESTDIR)$(mandir)/man$${p##*.}/$$p || exit; \
	done
	$(INSTALL) -m 0644 $(BUILD)/completion/leadgate.bash \
	    $(DESTDIR)$(bashcompdir)/leadgate
	$(INSTALL) -m 0644 $(BUILD)/completion/_leadgate $(DESTDIR)$(zshcompdir)/_leadgate

# Removes what install put there except the configuration and the state
# (the admin's: remove $(pkgconfdir) and $(pkgstatedir) by hand).
uninstall:
	rm -f $(DESTDIR)$(bindir)/leadgate $(DESTDIR)$(bashcompdir)/leadgate \
	    $(DESTDIR)$(zshcompdir)/_leadgate
	for p in $(notdir $(MAN_SRCS:.md=)); do \
		rm -f $(DESTDIR)$(mandir)/man$${p##*.}/$$p; \
	done
	rm -rf $(DESTDIR)$(pkgdatadir)

-include $(LIB_OBJS:.o=.d) $(BUILD)/gateway/main.d \
    $(TEST_HELPER_OBJS:.o=.d) $(TEST_BINS:=.d)
