# Tests: bats suites against the emulated switch, fuzz targets, benchmarks.
BATS_SUITES	:= $(wildcard tests/*.bats)
DEPS_CHECK	:= bats bats-assert bats-support jq mandoc umockdev \
		   libumockdev-dev libjson-c-dev libcxl-dev pkg-config gcc make
DEPS_DEMO	:= umockdev libumockdev-dev libjson-c-dev libcxl-dev pkg-config gcc make

# Installs what is missing when root, otherwise prints the apt-get line.
deps-check:
	@tests/ensure-packages $(DEPS_CHECK)
deps-demo:
	@tests/ensure-packages $(DEPS_DEMO)

TEST_BINS	:= $(CLI) tests/emulator/cxl-switch-emu

check: deps-check
	$(MAKE) $(TEST_BINS)
	tests/run-bats $(BATS_SUITES)

demo: deps-demo
	$(MAKE) $(TEST_BINS)
	tests/demo

# The whole suite with ASan and UBSan in a separate build tree.
sanitize: deps-check
	$(MAKE) clean
	$(MAKE) SANITIZE="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" $(TEST_BINS)
	ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		tests/run-bats $(BATS_SUITES)
	$(MAKE) clean

# Benchmark: the tool against a minimal program making the same ioctls.
BENCH_BINS	:= tests/bench/floor tests/bench/measure
tests/bench/%: tests/bench/%.c
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<
bench: deps-check $(TEST_BINS) $(BENCH_BINS)
	tests/bench/run
CLEAN_FILES	+= $(BENCH_BINS)
