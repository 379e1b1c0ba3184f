# leadgate: build with `make`, run every test with `make test`,
# and the same tests under ASan+UBSan with `make test SAN=1`.

PKGS     := jansson sqlite3 libconfig libcurl gnutls openssl expat zlib libmicrohttpd libargon2
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

.PHONY: all test check tests clean deps demo
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

-include $(LIB_OBJS:.o=.d) $(BUILD)/gateway/main.d \
    $(TEST_HELPER_OBJS:.o=.d) $(TEST_BINS:=.d)
