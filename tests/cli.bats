#!/usr/bin/env bats
# The command line itself: dispatch, help, version, global options.
load helpers

@test "no command: one-line error, exit 2" {
	run "$CXLSW"
	assert_failure 2
	assert_output "cxl-switch: no command given: try 'cxl-switch help'"
}

@test "unknown command: one-line error naming it, exit 2" {
	run "$CXLSW" frobnicate switch0
	assert_failure 2
	assert_output "cxl-switch: unknown command 'frobnicate': see 'cxl-switch help'"
}

@test "--version prints the version" {
	run "$CXLSW" --version
	assert_success
	assert_output --regexp '^cxl-switch [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "help lists every command of the dispatch table" {
	run "$CXLSW" help
	assert_success
	for cmd in list identify list-ports list-vcs help; do
		assert_line --regexp "^  $cmd +"
	done
}

@test "--help lists the commands too" {
	run "$CXLSW" --help
	assert_success
	assert_line --regexp '^  list-ports +physical port state$'
}

@test "help COMMAND off a terminal prints the command's usage" {
	run "$CXLSW" help list-ports
	assert_success
	assert_line --index 0 "Usage: cxl-switch list-ports [OPTION...] SWITCH"
}

@test "help of an unknown command: exit 2" {
	run "$CXLSW" help frobnicate
	assert_failure 2
	assert_output "cxl-switch help: unknown command 'frobnicate': see 'cxl-switch help'"
}

@test "unknown option: named, exit 2, nothing sent" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" -- list-ports switch0 --frob
	assert_failure 2
	assert_line --index 0 "cxl-switch list-ports: unrecognized option '--frob'"
	run jq .ioctls "$BATS_TEST_TMPDIR/s.json"
	assert_output 0
}

@test "a second SWITCH argument: exit 2" {
	run "$CXLSW" identify switch0 switch1
	assert_failure 2
	assert_output "cxl-switch identify: too many arguments: expected one SWITCH"
}

@test "-j before the command selects JSON like -j after it" {
	run emu -- -j identify switch0
	assert_success
	before=$output
	run emu -- identify switch0 -j
	assert_equal "$output" "$before"
	echo "$output" | jq -e '.switch == "switch0"'
}

@test "--pretty prints indented JSON with the same content" {
	run emu -- identify switch0 --pretty
	assert_success
	assert_line --index 1 --regexp '^  "version": 1,$'
	assert_line --index 3 --regexp '^  "switch": "switch0",$'
	compact=$(emu -- identify switch0 -j | jq -S -c .)
	assert_equal "$(echo "$output" | jq -S -c .)" "$compact"
}
