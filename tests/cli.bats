#!/usr/bin/env bats
# The command line itself: dispatch, help, version, global options.
bats_require_minimum_version 1.5.0
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

# opt_error LINE ARGS...: ARGS are refused with LINE alone on stderr, exit
# 2, nothing on stdout and no ioctl; with -j the document's error has the
# same words (LINE without "cxl-switch CMD: ") and the command.
opt_error() {
	local want=$1 cmd=null msg stats=$BATS_TEST_TMPDIR/s.json
	shift
	msg=${want#cxl-switch: }
	if [ "$msg" = "$want" ]; then
		cmd=${want#cxl-switch }
		cmd=${cmd%%: *}
		msg=${want#"cxl-switch $cmd: "}
		cmd=\"$cmd\"
	fi
	rm -f "$stats"
	run --separate-stderr emu --stats "$stats" -- "$@"
	assert_failure 2
	assert_equal "$stderr" "$want"
	assert_output ''
	assert_equal "$(jq .ioctls "$stats")" 0
	rm -f "$stats"
	run --separate-stderr emu --stats "$stats" -- -j "$@"
	assert_failure 2
	assert_equal "$stderr" "$want"
	assert_equal "$(jq -s length <<<"$output")" 1
	jq -e --arg msg "$msg" --argjson cmd "$cmd" '.version == 1 and
		.command == $cmd and .error == {command: $cmd, exit_code: 2, message: $msg}' <<<"$output"
	assert_equal "$(jq .ioctls "$stats")" 0
}

@test "unknown long option: named with the command and its --help, exit 2, nothing sent" {
	opt_error "cxl-switch list-ports: unknown option '--frob': see 'cxl-switch list-ports --help'" \
		list-ports switch0 --frob
	# its value is not part of its name
	opt_error "cxl-switch identify: unknown option '--frob': see 'cxl-switch identify --help'" \
		identify switch0 --frob=1
	opt_error "cxl-switch list-ports: unknown option '--=1': see 'cxl-switch list-ports --help'" \
		list-ports switch0 --=1
	# after the command's arguments and options, and before them
	opt_error "cxl-switch bind: unknown option '--mode': see 'cxl-switch bind --help'" \
		bind --mode wait switch0 --vcs 0 --vppb 1 --port 3
}

@test "every command names an unknown option the same way, in -j too, nothing sent" {
	local cmd stats=$BATS_TEST_TMPDIR/s.json want
	for cmd in $("$CXLSW" -j help | jq -r '.commands[].name'); do
		want="unknown option '--frob': see 'cxl-switch $cmd --help'"
		rm -f "$stats"
		run --separate-stderr emu --stats "$stats" -- $cmd switch0 --frob -j
		assert_failure 2
		assert_equal "$stderr" "cxl-switch $cmd: $want"
		jq -e --arg c "$cmd" --arg m "$want" '.command == $c and
			.error == {command: $c, exit_code: 2, message: $m}' <<<"$output"
		assert_equal "$(jq .ioctls "$stats")" 0
	done
	[ -n "$cmd" ]
}

@test "unknown short option: the letter, also inside a cluster, exit 2, nothing sent" {
	opt_error "cxl-switch list-ports: unknown option '-x': see 'cxl-switch list-ports --help'" \
		list-ports switch0 -x
	opt_error "cxl-switch list-ports: unknown option '-q': see 'cxl-switch list-ports --help'" \
		list-ports switch0 -vq
}

@test "an option without its value: names the value and the option, exit 2, nothing sent" {
	opt_error "cxl-switch bind: missing ID after '--port': see 'cxl-switch bind --help'" \
		bind switch0 --vcs 0 --vppb 1 --port
	opt_error "cxl-switch bind: missing ID after '-p': see 'cxl-switch bind --help'" \
		bind switch0 --vcs 0 --vppb 1 -p
	opt_error "cxl-switch list-ports: missing LIST after '--port': see 'cxl-switch list-ports --help'" \
		list-ports switch0 --po
}

@test "a value for an option that takes none: exit 2, nothing sent" {
	opt_error "cxl-switch list-ports: option '--json' takes no value: see 'cxl-switch list-ports --help'" \
		list-ports switch0 --json=yes
}

@test "an ambiguous abbreviation names every option it could be, exit 2, nothing sent" {
	opt_error "cxl-switch bind: ambiguous option '--p': could be --port or --pretty" \
		bind switch0 --vcs 0 --vppb 1 --p 3
	opt_error "cxl-switch list-ports: ambiguous option '--p': could be --port or --pretty" \
		list-ports switch0 --p=1
}

@test "global option errors: named without a command, exit 2, nothing sent" {
	opt_error "cxl-switch: unknown option '--frob': see 'cxl-switch --help'" \
		--frob list-ports switch0
	opt_error "cxl-switch: unknown option '-x': see 'cxl-switch --help'" \
		-x list-ports switch0
	opt_error "cxl-switch: missing SECONDS after '--mailbox-timeout': see 'cxl-switch --help'" \
		--mailbox-timeout
	opt_error "cxl-switch: ambiguous option '--ver': could be --verbose or --version" \
		--ver list-ports switch0
	# a command's option before the command is not a global one
	opt_error "cxl-switch: unknown option '--port': see 'cxl-switch --help'" \
		--port 3 list-ports switch0
}

@test "an argument a command takes none of: named, exit 2, nothing sent" {
	opt_error "cxl-switch list: unexpected argument 'switch0': see 'cxl-switch list --help'" \
		list switch0
}

@test "a bad option on a change: nothing sent, the switch unchanged" {
	setup_state
	local stats=$BATS_TEST_TMPDIR/s.json
	run --separate-stderr emu_state --stats "$stats" -- \
		bind switch0 --vcs 0 --vppb 6 --port 14 --force --frob
	assert_failure 2
	assert_equal "$stderr" "cxl-switch bind: unknown option '--frob': see 'cxl-switch bind --help'"
	assert_equal "$(jq .ioctls "$stats")" 0
	assert_state_is .
	run --separate-stderr emu_state --stats "$stats" -- \
		bind switch0 --vcs 0 --vppb 6 --port 14 -fx
	assert_failure 2
	assert_equal "$stderr" "cxl-switch bind: unknown option '-x': see 'cxl-switch bind --help'"
	assert_equal "$(jq .ioctls "$stats")" 0
	assert_state_is .
	# the same line without it: sent and done, so the counts above mean something
	run emu_state --stats "$stats" -- bind switch0 --vcs 0 --vppb 6 --port 14 -f
	assert_success
	assert_equal "$(jq '.opcodes."0x5201"' "$stats")" 1
	assert_state_is '.vcss[0].vppbs[6] |= (.binding_status = "bound_port" | .port_id = 14)'
}

@test "--help, --usage, -?, --version and abbreviations of options still work" {
	for help in --help -? --he; do
		run "$CXLSW" list-ports $help
		assert_success
		assert_line --index 0 "Usage: cxl-switch list-ports [OPTION...] SWITCH"
		assert_line --regexp '^  -\?, --help +Give this help list$'
		run "$CXLSW" $help
		assert_success
		assert_line --index 0 "Usage: cxl-switch [OPTION...] COMMAND [ARGS...]"
	done
	for usage in --usage --us; do
		run "$CXLSW" list-ports $usage
		assert_success
		assert_line --index 0 --regexp '^Usage: cxl-switch list-ports \[-\?jvV\] '
		run "$CXLSW" $usage
		assert_success
		assert_line --index 0 --regexp '^Usage: cxl-switch \[-\?jvV\] '
	done
	for version in --version --vers -V; do
		run "$CXLSW" list-ports switch0 $version
		assert_success
		assert_output --regexp '^cxl-switch [0-9]+\.[0-9]+\.[0-9]+$'
	done
	# -j does not turn help into a document
	run --separate-stderr "$CXLSW" -j list-ports --help
	assert_success
	assert_line --index 0 "Usage: cxl-switch list-ports [OPTION...] SWITCH"
	# abbreviations of a command's and a global option
	run emu -- --mailbox-t 1 list-ports switch0 --js --po 3
	assert_success
	jq -e '.switch == "switch0" and [.ports[].port_id] == [3]' <<<"$output"
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
