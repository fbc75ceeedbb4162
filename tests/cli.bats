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

# ---- one vocabulary (cxl-switch(1), The options of every command) --------

@test "vocabulary: --no-wait only where a background operation runs" {
	for cmd in bind unbind fw-update fw-activate dc-add dc-release raw; do
		"$CXLSW" "$cmd" --help | grep -q -- '--no-wait' || fail "$cmd lost --no-wait"
	done
	for cmd in abort port-control config-write mem-write events event-policy \
		   timestamp set-response-limit set-lds qos dc-regions config-read mem-read; do
		run "$CXLSW" "$cmd" --help
		refute_output --partial -- '--no-wait'
	done
	# still parsed, to say why
	run --separate-stderr "$CXLSW" timestamp switch0 --set @0 --no-wait
	assert_failure 2
	assert_equal "$stderr" "cxl-switch timestamp: --no-wait does not apply: timestamp starts no background operation"
}

@test "vocabulary: set-lds and qos offer no --ld or --ld-pool; reads no --force" {
	for cmd in set-lds qos; do
		run "$CXLSW" "$cmd" --help
		refute_output --regexp -- '--ld(-pool)?[ =]'
	done
	run --separate-stderr "$CXLSW" set-lds switch0 --port 5 --ld 1 1=1G
	assert_failure 2
	assert_equal "$stderr" "cxl-switch set-lds: --ld and --ld-pool do not apply: allocations are set at the port's device"
	for cmd in config-read mem-read; do
		run "$CXLSW" "$cmd" --help
		refute_output --regexp -- '--force|--timeout|--no-lock-wait'
		assert_output --partial -- '--dry-run'
	done
}

@test "vocabulary: fw-activate --activate online|reset as fw-update; --online, --on-reset hidden aliases" {
	run "$CXLSW" fw-activate --help
	assert_output --partial -- '--activate=WHEN'
	refute_output --partial -- '--on-reset'
	refute_output --regexp -- '--online'
	run emu -- -j fw-activate switch0 --slot 1 --activate reset --dry-run
	assert_success
	a=$(jq -c '[.request, .status]' <<<"$output")
	run emu -- -j fw-activate switch0 --slot 1 --on-reset --dry-run
	assert_success
	assert_equal "$(jq -c '[.request, .status]' <<<"$output")" "$a"
	assert_equal "$a" '["0101","dry_run"]'
	run --separate-stderr "$CXLSW" fw-activate switch0 --slot 1 --activate reset --online
	assert_failure 2
	assert_equal "$stderr" "cxl-switch fw-activate: give --activate once: online or reset"
}
