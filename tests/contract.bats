#!/usr/bin/env bats
# The JSON contract (cxl-switch(1), JSON OUTPUT): every command in -j mode
# prints exactly one object on stdout, reads, dry runs and errors alike,
# and each one passes man/cxl-switch-output.schema.json (checked by
# tests/schema.jq, the structural validator in jq the fabric schema uses).
bats_require_minimum_version 1.5.0
load helpers

SCHEMA=$TOP/man/cxl-switch-output.schema.json

setup() {
	setup_state
}

# One document, valid, of command $1: the output of "emu_state -- -j ARGS".
valid() {
	local cmd=$1 docs errors
	docs=$(jq -s length <<<"$output") || fail "not JSON: $output"
	[ "$docs" = 1 ] || fail "$docs documents: $output"
	errors=$(jq -r --slurpfile schema "$SCHEMA" -f "$TOP/tests/schema.jq" <<<"$output")
	[ -z "$errors" ] || fail "$cmd: $errors in $output"
	jq -e --arg c "$cmd" '.version == 1 and .command == $c' <<<"$output" >/dev/null ||
		fail "not command $cmd: $output"
}

# Every command line below: the command, then its arguments.
LINES=(
	"list"
	"list --names"
	"identify switch0"
	"identify switch0 --port 5 --ld 1"
	"list-ports switch0"
	"list-vcs switch0"
	"bind switch0 --vcs 1 --vppb 7 --port 14 --dry-run"
	"unbind switch0 --vcs 0 --vppb 0 --dry-run"
	"port-control switch0 --port 18 --deassert-perst --dry-run"
	"config-read switch0 --port 4 --offset 0 --width 4"
	"config-write switch0 --port 4 --offset 4 --width 2 --value 0 --dry-run"
	"mem-read switch0 --port 5 --ld 0 --address 0 --length 16"
	"mem-write switch0 --port 5 --ld 0 --address 0 --data 00000000 --dry-run"
	"bg-status switch0"
	"abort switch0 --dry-run"
	"get-response-limit switch0"
	"set-response-limit switch0 1024 --dry-run"
	"commands"
	"commands switch0"
	"fw-info switch0"
	"events switch0"
	"event-policy switch0"
	"timestamp switch0"
	"doctor switch0"
	"list-devices switch0"
	"list-lds switch0 --port 5"
	"set-lds switch0 --port 5 1=1G --dry-run"
	"topology switch0"
	"dcd-info switch0 --port 9"
	"dc-regions switch0 --port 9"
	"dc-extents switch0 --port 9 --host 0"
	"qos switch0 --port 5"
	"mhd-info switch0 --port 5"
	"export switch0"
	"help"
	"raw switch0 0xC000 --unsafe --dry-run"
)

@test "contract: every command's -j output, read or dry run, is one valid document" {
	for line in "${LINES[@]}"; do
		read -r -a args <<<"$line"
		run --separate-stderr emu_state -- -j "${args[@]}"
		[ "$status" != 2 ] || fail "$line: a usage error: $stderr"
		valid "${args[0]}"
	done
}

# Lines that fail, each its own way: still one valid document each.
FAILING=(
	"fw-activate switch0 --slot 2 --online --dry-run"
	"fw-update switch0 --slot 2 /nonexistent --dry-run"
	"bind switch0 --vcs 0 --vppb 0 --port 14 --dry-run"
	"unbind switch0 --vcs 3 --vppb 63 --dry-run"
	"set-lds switch0 --port 5 1=1T --dry-run"
	"dc-add switch0 --port 9 --host 0 --region 0 --extent 0:1G --dry-run"
	"dc-release switch0 --port 9 --host 0 --region 0 --extent 0:1G --dry-run"
	"list-lds switch0 --port 4"
	"events switch0 --port 14"
	"plan /nonexistent"
	"apply /nonexistent --dry-run"
	"monitor switch0 --count x"
	"raw switch0 0x0001 --unsafe --dry-run"
)

@test "contract: failing lines of every kind are one valid document each" {
	for line in "${FAILING[@]}"; do
		read -r -a args <<<"$line"
		run --separate-stderr emu_state -- -j "${args[@]}"
		[ "$status" != 0 ] || fail "$line: succeeded"
		valid "${args[0]}"
		jq -e --arg c "${args[0]}" '.error.exit_code > 0 and .error.command == $c' <<<"$output" >/dev/null ||
			fail "$line: no error: $output"
	done
}

@test "contract: export, plan and apply of an exported file" {
	run --separate-stderr emu_state -- export switch0
	assert_success
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/f.json"
	run --separate-stderr emu_state -- -j export switch0
	valid export
	assert_equal "$(jq -S -c .fabric <<<"$output")" "$(jq -S -c . "$BATS_TEST_TMPDIR/f.json")"
	run --separate-stderr emu_state -- -j plan "$BATS_TEST_TMPDIR/f.json"
	valid plan
	run --separate-stderr emu_state -- -j apply "$BATS_TEST_TMPDIR/f.json" --dry-run
	valid apply
}

@test "contract: every command of 'help' is covered above" {
	run "$CXLSW" -j help
	assert_success
	for c in $(jq -r '.commands[].name' <<<"$output"); do
		printf '%s\n' "${LINES[@]}" "${FAILING[@]}" plan apply | grep -q "^$c\\b" || fail "$c not covered"
	done
}

@test "contract: errors are one document with a structured target" {
	run --separate-stderr emu_state -- -j identify switch0 --port 99
	assert_failure 1
	valid identify
	jq -e '.switch == "switch0" and .target == {port: 99} and .error.exit_code == 1 and
		.error.opcode == 1 and (.error.message | test("no device on port 99"))' <<<"$output"
	run --separate-stderr emu_state -- -j list-lds switch0 --port 4
	valid list-lds
	jq -e '.target == {port: 4} and (.error | has("exit_code"))' <<<"$output"
	run --separate-stderr emu_state -- -j identify switch7
	assert_failure 3
	valid identify
	jq -e '.switch == "switch7" and .target == null and .error.exit_code == 3' <<<"$output"
}

@test "contract: unknown options, bad arguments and commands print the JSON error too" {
	local bogus="unknown option '--bogus': see 'cxl-switch list-ports --help'"
	run --separate-stderr emu_state -- -j list-ports switch0 --bogus
	assert_failure 2
	valid list-ports
	# the words of the line on stderr, which is the only one
	assert_equal "$stderr" "cxl-switch list-ports: $bogus"
	jq -e --arg m "$bogus" '.error == {command: "list-ports", exit_code: 2, message: $m}' <<<"$output"
	# -j after the bad option: still one document, the same words
	run --separate-stderr emu_state -- list-ports switch0 --bogus -j
	assert_failure 2
	valid list-ports
	jq -e --arg m "$bogus" '.error.message == $m' <<<"$output"
	# a global option's error: no command
	run --separate-stderr emu_state -- -j --bogus list-ports switch0
	assert_failure 2
	[ "$(jq -s length <<<"$output")" = 1 ]
	[ -z "$(jq -r --slurpfile schema "$SCHEMA" -f "$TOP/tests/schema.jq" <<<"$output")" ]
	jq -e '.command == null and .error.message == "unknown option '"'--bogus'"': see '"'cxl-switch --help'"'"' <<<"$output"
	run --separate-stderr emu_state -- -j bind switch0 --vcs x
	assert_failure 2
	valid bind
	run --separate-stderr emu_state -- -j no-such-command
	assert_failure 2
	[ "$(jq -s length <<<"$output")" = 1 ]
	jq -e '.command == null and .error.exit_code == 2' <<<"$output"
	# without -j: no JSON on stdout
	run --separate-stderr emu_state -- list-ports switch0 --bogus
	assert_failure 2
	assert_output ''
}

@test "contract: lists are under their key, next to the switch" {
	run --separate-stderr emu_state -- -j list-ports switch0
	valid list-ports
	jq -e '.switch == "switch0" and .target == null and (.ports | length) > 0' <<<"$output"
	run --separate-stderr emu_state -- -j list-vcs switch0
	jq -e '.switch == "switch0" and (.vcss[0].vppbs | length) > 0' <<<"$output"
	run --separate-stderr emu_state -- -j list
	jq -e '.switch == null and .switches[0].switch == "switch0"' <<<"$output"
}

@test "contract: one name per field, sizes in bytes, addresses as numbers" {
	run --separate-stderr emu_state -- -j list-ports switch0
	jq -e 'all(.ports[]; has("connected_device_mode") and (has("connected_cxl_version") | not))' <<<"$output"
	run --separate-stderr emu_state -- -j list-lds switch0 --port 5
	jq -e '.granularity_bytes == 268435456 and (has("granularity") | not)' <<<"$output"
	run --separate-stderr emu_state -- -j mem-read switch0 --port 5 --ld 0 --address 16 --length 4
	jq -e '.address == 16' <<<"$output"
}

@test "contract: a change that fails part way and is put back is one document" {
	run --separate-stderr emu_state --fail 0x5402:internal-error:2 -- -j set-lds switch0 --port 7 0=1G 15=1G --force
	assert_failure 1
	valid set-lds
	jq -e '.target == {port: 7} and .error.exit_code == 1 and .error.opcode == 21506 and
		.error.outcome == "read back: LD 0 put back after being applied: nothing changed"' <<<"$output"
	assert_state_untouched
}

@test "contract: a tunnelled error names the switch and the target apart" {
	run --separate-stderr emu_state -- -j events switch0 --port 18
	[ "$status" != 0 ]
	valid events
	jq -e '.switch == "switch0" and .target == {port: 18} and
		(.error.message | test("held in reset"))' <<<"$output"
	run --separate-stderr emu_state -- -j identify switch0 --port 7 --ld 3
	valid identify
	jq -e '.switch == "switch0" and .target == {port: 7, ld: 3}' <<<"$output"
	run --separate-stderr emu_state -- -j dc-regions switch0 --port 12 --ld-pool
	valid dc-regions
	jq -e '.target == {port: 12, pool: true}' <<<"$output"
}

@test "contract: the schema check finds what breaks the contract" {
	output='{"version":2,"command":"list-ports","switch":"switch0","target":"port 5","ports":[{"port_id":"5"}],"error":{"message":"x"}}'
	run jq -r --slurpfile schema "$SCHEMA" -f "$TOP/tests/schema.jq" <<<"$output"
	assert_line "version: expected 1, not 2"
	assert_line 'target: expected ["object","null"], not string'
	assert_line "ports[0].port_id: expected integer, not string"
	assert_line "error: missing key 'exit_code'"
}
