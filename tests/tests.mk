# SPDX-License-Identifier: LGPL-2.1-or-later
comma		:= ,
# Tests: bats suites against the emulated switch, fuzz targets, benchmarks.
BATS_SUITES	?= $(wildcard tests/*.bats)
DEPS_CHECK	:= bats bats-assert bats-support jq mandoc umockdev \
		   libumockdev-dev libjson-c-dev libcxl-dev pkg-config gcc make \
		   graphviz zsh
DEPS_DEMO	:= umockdev libumockdev-dev libjson-c-dev libcxl-dev pkg-config gcc make

# Installs what is missing when root, otherwise prints the apt-get line.
deps-check:
	@tests/ensure-packages $(DEPS_CHECK)
deps-demo:
	@tests/ensure-packages $(DEPS_DEMO)

TEST_BINS	:= $(CLI) tests/emulator/cxl-switch-emu tests/emulator/probe \
		   tests/emulator/host-probe tests/emulator/mctp-probe \
		   tests/bench/floor

# `make check`: every suite once, in parallel (tests/run-bats), with the
# tool and the emulator built with ASan and UBSan in a copy of the tree
# (build-sanitize/), so that one instrumented run is both the functional
# test and the sanitizer run; the ordinary build is left as it was.
# `make valgrind` runs every suite again with the ordinary build under
# valgrind, which sees what the sanitizers do not (uninitialised reads).
SANITIZE_FLAGS	:= -fsanitize=address,undefined -fno-omit-frame-pointer \
		   -fno-sanitize-recover=all
check sanitize: deps-check
	rm -rf build-sanitize && mkdir build-sanitize
	tar -cf - --exclude=./build-sanitize --exclude=./.git --exclude='*.o' \
		--exclude='*.d' . | tar -C build-sanitize -xf -
	$(MAKE) -C build-sanitize clean
	$(MAKE) -C build-sanitize SANITIZE="$(SANITIZE_FLAGS)" $(TEST_BINS)
	cd build-sanitize && \
	ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		tests/run-bats $(BATS_SUITES)
CLEAN_DIRS	+= build-sanitize

# Without the sanitizers, for a quick look at one suite:
# `make check-plain BATS_SUITES=tests/ports.bats`.
check-plain: deps-check
	$(MAKE) $(TEST_BINS)
	tests/run-bats $(BATS_SUITES)

# README's picture: the default topology drawn by Graphviz (a phony
# target: redraw it after changing topo-dot.c, then commit it).
.PHONY: doc-topology
doc-topology: $(TEST_BINS)
	mkdir -p doc
	tests/emulator/cxl-switch-emu -- $(CLI) topology switch0 --dot | dot -Tsvg > doc/topology.svg

demo: deps-demo
	$(MAKE) $(TEST_BINS)
	tests/demo

# Benchmark: every read-only command on 32-256 ports against the derived
# minimum of round trips and a floor program (tests/bench/run).
BENCH_BINS	:= tests/bench/measure
tests/bench/%: tests/bench/%.c
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<
bench: deps-check $(TEST_BINS) $(BENCH_BINS)
	tests/bench/run
CLEAN_FILES	+= $(BENCH_BINS) tests/bench/floor

# Fuzzing: one libFuzzer target per response decoder (tests/fuzz/*.c but
# seed.c), seeded with real answers of the emulated switch's model.
FUZZ_CC		?= clang
FUZZ_SECONDS	?= 60
FUZZ_FLAGS	:= -g -O1 -std=gnu11 -D_GNU_SOURCE -Ilib \
		   -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_NAMES	:= $(filter-out seed,$(basename $(notdir $(wildcard tests/fuzz/*.c))))
FUZZ_BINS	:= $(addprefix tests/fuzz/fuzz-,$(FUZZ_NAMES))
FUZZ_CORPUS	:= tests/fuzz/corpus-run

# The library is compiled once for all targets (fuzzer-no-link: the
# coverage hooks without a second main), not once per target.
FUZZ_OBJ_DIR	:= tests/fuzz/obj
FUZZ_OBJ_FLAGS	:= $(subst -fsanitize=fuzzer$(comma),-fsanitize=fuzzer-no-link$(comma),$(FUZZ_FLAGS))
FUZZ_LIB_OBJS	:= $(addprefix $(FUZZ_OBJ_DIR)/,$(LIB_SRCS:.c=.o))
FUZZ_EMU_OBJS	:= $(addprefix $(FUZZ_OBJ_DIR)/,$(EMU_TOPOLOGY_OBJS))
# common.c explains errors (hint.c), which reaches the target, state,
# guard and renderers: what common.o needs to link.
FUZZ_CLI_OBJS	:= $(addprefix $(FUZZ_OBJ_DIR)/,cxl-switch/common.o \
		   cxl-switch/policy.o cxl-switch/policy-path.o cxl-switch/json.o \
		   cxl-switch/json-print.o cxl-switch/time.o cxl-switch/hint.o \
		   cxl-switch/target.o cxl-switch/state.o cxl-switch/guard.o \
		   cxl-switch/lock.o cxl-switch/audit.o cxl-switch/interrupt.o \
		   cxl-switch/render.o cxl-switch/fields.o cxl-switch/size.o \
		   cxl-switch/doc.o cxl-switch/opterr.o)
$(FUZZ_OBJ_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_OBJ_FLAGS) -MMD -MP $(JSONC_CFLAGS) $(CXL_CFLAGS) -c -o $@ $<

tests/fuzz/fuzz-%: tests/fuzz/%.c $(FUZZ_LIB_OBJS) lib/cxlswitch.h lib/private.h
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(filter %.c %.o,$^) $(CXL_LIBS)
# The emulator's own parser, and the tool's command-line and policy parsers.
tests/fuzz/fuzz-topology: tests/fuzz/topology.c $(FUZZ_EMU_OBJS)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(JSONC_CFLAGS) -o $@ $^ $(JSONC_LIBS) $(CXL_LIBS)
tests/fuzz/fuzz-cli-parse: tests/fuzz/cli-parse.c $(FUZZ_CLI_OBJS) $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(JSONC_CFLAGS) -o $@ $^ $(JSONC_LIBS) $(CXL_LIBS)
# The desired-state file of fabric as code, and the plan made from it.
FUZZ_FABRIC_OBJS := $(addprefix $(FUZZ_OBJ_DIR)/,cxl-switch/fabric-file.o cxl-switch/json-read.o cxl-switch/qos-fields.o \
		   cxl-switch/fabric-plan.o)
tests/fuzz/fuzz-fabric-file: tests/fuzz/fabric-file.c $(FUZZ_CLI_OBJS) $(FUZZ_FABRIC_OBJS) $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(JSONC_CFLAGS) -o $@ $^ $(JSONC_LIBS) $(CXL_LIBS)
tests/fuzz/fuzz-mctpd: tests/fuzz/mctpd.c $(FUZZ_OBJ_DIR)/cxl-switch/mctpd.o
	$(FUZZ_CC) $(FUZZ_FLAGS) $(JSONC_CFLAGS) -o $@ $^ $(JSONC_LIBS)
tests/fuzz/seed: tests/fuzz/seed.c $(EMU_TOPOLOGY_OBJS)
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $^ $(JSONC_LIBS)

# Each target runs FUZZ_SECONDS (see tests/fuzz/run).
fuzz: deps-fuzz $(FUZZ_BINS) tests/fuzz/seed
	rm -rf $(FUZZ_CORPUS) && mkdir -p $(FUZZ_CORPUS)
	tests/fuzz/seed $(FUZZ_CORPUS) tests/topologies/default.json tests/topologies/big256.json \
		tests/topologies/dcd-small.json
	mkdir -p $(FUZZ_CORPUS)/topology $(FUZZ_CORPUS)/cli-parse $(FUZZ_CORPUS)/mctpd
	cp tests/topologies/default.json $(FUZZ_CORPUS)/topology/
	cp tests/fuzz/cli-seeds/* $(FUZZ_CORPUS)/cli-parse/
	mkdir -p $(FUZZ_CORPUS)/fabric-file
	cp tests/fuzz/fabric-seeds/* $(FUZZ_CORPUS)/fabric-file/
	cp tests/fuzz/mctpd-seeds/* $(FUZZ_CORPUS)/mctpd/
	tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_NAMES)
# After a long campaign (tests/fuzz/campaign MINUTES ROUND_SECONDS), shrink
# its corpus for git; tests/fuzz/hours sums the campaign ledger.
fuzz-merge: deps-fuzz $(FUZZ_BINS)
	tests/fuzz/merge $(FUZZ_NAMES)
deps-fuzz:
	@tests/ensure-packages clang libclang-rt-14-dev
CLEAN_FILES	+= $(FUZZ_BINS) tests/fuzz/seed
CLEAN_DIRS	+= $(FUZZ_CORPUS) tests/fuzz/crashes $(FUZZ_OBJ_DIR)

# The whole suite with the tool under valgrind (the emulator is not).
VALGRIND	:= valgrind -q --error-exitcode=99 --leak-check=full \
		   --suppressions=$(CURDIR)/tests/valgrind.supp \
		   --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
# The suites about the runner, man pages, completions and installation
# check text and files; the few tool runs in them (--help, monitor -j) are
# run under valgrind by other suites too, so valgrind leaves them to the
# check run instead of repeating them at full cost.
VALGRIND_SKIP	:= tests/run-bats.bats tests/man.bats tests/completion.bats \
		   tests/install.bats
valgrind: deps-check
	$(MAKE) $(TEST_BINS)
	CXLSW_WRAP="$(VALGRIND)" tests/run-bats $(filter-out $(VALGRIND_SKIP),$(BATS_SUITES))
