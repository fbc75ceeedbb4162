#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# The test runner itself: a bats run that dies part-way, runs nothing, or
# is missing must fail, with a line saying which (tests/run-bats).

load helpers

setup() {
	RUNNER=$BATS_TEST_DIRNAME/run-bats
	FAKE=$BATS_TEST_TMPDIR/bin
	mkdir -p "$FAKE"
}

# fake_bats EXIT LINES...: a bats that prints LINES and exits EXIT.
fake_bats() {
	local rc=$1
	shift
	{
		echo '#!/bin/sh'
		printf "printf '%%s\\\\n'"
		printf " '%s'" "$@"
		echo
		echo "exit $rc"
	} > "$FAKE/bats"
	chmod +x "$FAKE/bats"
}

run_runner() {
	PATH=$FAKE:$PATH run "$RUNNER" some.bats
}

@test "run-bats: a bats that dies part-way fails the run and counts the missing tests" {
	fake_bats 1 '1..3' 'ok 1 first'
	run_runner
	[ "$status" -eq 1 ]
	[ "${lines[-2]}" = "run-bats: some.bats: bats planned 3 tests but reported 1: 2 never ran" ]
	[ "${lines[-1]}" = "1 passed, 2 failed, 0 skipped" ]
}

@test "run-bats: a bats that exits non-zero with every test passed fails the run" {
	fake_bats 1 '1..1' 'ok 1 first'
	run_runner
	[ "$status" -eq 1 ]
	[ "${lines[-2]}" = "run-bats: some.bats: bats exited 1 although no test failed" ]
	[ "${lines[-1]}" = "1 passed, 1 failed, 0 skipped" ]
}

@test "run-bats: a plan that promises fewer tests than ran fails the run" {
	fake_bats 0 '1..1' 'ok 1 first' 'ok 2 second'
	run_runner
	[ "$status" -eq 1 ]
	[ "${lines[-2]}" = "run-bats: some.bats: bats planned 1 tests but reported 2: the plan is wrong" ]
	[ "${lines[-1]}" = "2 passed, 1 failed, 0 skipped" ]
}

@test "run-bats: no plan at all fails the run" {
	fake_bats 0 'bats: something broke'
	run_runner
	[ "$status" -eq 1 ]
	[ "${lines[-2]}" = "run-bats: some.bats: bats printed no plan (1..N): it did not start or died at once" ]
	[ "${lines[-1]}" = "0 passed, 1 failed, 0 skipped" ]
}

@test "run-bats: a run of no test fails" {
	fake_bats 0 '1..0'
	run_runner
	[ "$status" -eq 1 ]
	[ "${lines[-2]}" = "run-bats: some.bats: bats ran no test" ]
	[ "${lines[-1]}" = "0 passed, 1 failed, 0 skipped" ]
}

@test "run-bats: a missing bats fails the run" {
	BATS=no-such-bats-here run "$RUNNER" some.bats
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "run-bats: 'no-such-bats-here' is not installed (Debian package bats); no test ran" ]
	[ "${lines[1]}" = "0 passed, 1 failed, 0 skipped" ]
}

@test "run-bats: failures and skips are counted apart, and fail the run" {
	fake_bats 1 '1..4' 'ok 1 a' 'not ok 2 b' 'ok 3 c # skip no zsh' 'ok 4 d'
	run_runner
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = "2 passed, 1 failed, 1 skipped" ]
	refute_line --partial "run-bats:"
}

@test "run-bats: a clean run passes and says so" {
	fake_bats 0 '1..2' 'ok 1 a' 'ok 2 b # skip not here'
	run_runner
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "1 passed, 0 failed, 1 skipped" ]
}

@test "run-bats: suites run apart; the one that died is named and the others still count" {
	cat > "$FAKE/bats" <<'SH'
#!/bin/sh
case $2 in
good*) printf '1..2\nok 1 a\nok 2 b\n' ;;
dies*) printf '1..3\nok 1 a\n'; exit 1 ;;
esac
SH
	chmod +x "$FAKE/bats"
	PATH=$FAKE:$PATH BATS_JOBS=2 run "$RUNNER" good1.bats dies.bats good2.bats
	[ "$status" -eq 1 ]
	[ "${lines[-2]}" = "run-bats: dies.bats: bats planned 3 tests but reported 1: 2 never ran" ]
	[ "${lines[-1]}" = "5 passed, 2 failed, 0 skipped" ]
	assert_line --regexp "^# good1.bats \([0-9]+ s\)$"
	assert_line --regexp "^# good2.bats \([0-9]+ s\)$"
}

@test "run-bats: no suite at all fails the run" {
	fake_bats 0 '1..1' 'ok 1 a'
	PATH=$FAKE:$PATH run "$RUNNER"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "run-bats: no suite given" ]
	[ "${lines[-1]}" = "0 passed, 1 failed, 0 skipped" ]
}
