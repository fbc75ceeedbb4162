#!/usr/bin/env bats
# timestamp (0x0300, 0x0301): the clock read against the topology's value,
# and set, in the saved state.
bats_require_minimum_version 1.5.0
load helpers

setup() {
	setup_state
}

T0=1764018000000000000		# 2025-11-24T21:00:00Z

@test "timestamp: a clock never set reads 0, no time" {
	run emu_state -- timestamp switch0 -j
	assert_success
	assert_output '{"version":1,"command":"timestamp","switch":"switch0","target":null,"timestamp":null,"timestamp_ns":0,"valid":false}'
	run emu_state -- timestamp switch0
	assert_line --regexp '^timestamp +-$'
	assert_line --regexp '^valid +no$'
	assert_state_untouched
}

@test "timestamp: the topology's clock, running, in ISO 8601 and ns" {
	jq ". + {timestamp_ns: $T0}" "$DEFAULT_TOPO" > "$STATE_IN"
	run emu_state -- timestamp switch0 -j
	assert_success
	# within a minute of the value loaded (jq reads ns as doubles)
	echo "$output" | jq -e --argjson t "$T0" '.valid and .timestamp_ns >= $t and .timestamp_ns < $t + 60e9 and
		(.timestamp | test("^2025-11-24T21:00:[0-5][0-9]\\.[0-9]{9}Z$"))'
	run emu_state -- timestamp switch0
	assert_line --regexp '^timestamp +2025-11-24T21:00:[0-5][0-9]\.[0-9]{9}Z$'
}

@test "timestamp --set TIME: ISO 8601 and @seconds, in the saved state" {
	run emu_state -- timestamp switch0 --set 2026-01-02T03:04:05.5Z --force -j
	assert_success
	# 1767323045.5 s, little-endian ns
	echo "$output" | jq -e '.request == "0097633af2ca8618" and .effect_class == "switch-config" and
		.effect == "sets the switch'"'"'s clock from unset to 2026-01-02T03:04:05.500000000Z (1767323045500000000 ns)"'
	jq -e '.timestamp_ns >= 1767323045500000000 and .timestamp_ns < 1767323105500000000' "$STATE_OUT"
	run emu_state -- timestamp switch0 --set @1767323045.5 -n -j
	echo "$output" | jq -e '.request == "0097633af2ca8618"'
	run emu_state -- timestamp switch0 --set 2026-01-02T04:04:05.5+01:00 -n -j
	echo "$output" | jq -e '.request == "0097633af2ca8618"'
}

@test "timestamp --set --now: this host's time" {
	before=$(date +%s)
	run emu_state -- timestamp switch0 --set --now --force
	assert_success
	after=$(date +%s)
	jq -e --argjson b "$before" --argjson a "$after" '.timestamp_ns >= $b * 1e9 and .timestamp_ns <= ($a + 60) * 1e9' "$STATE_OUT"
}

@test "timestamp: bad TIME, TIME without --set, refused without --force" {
	run "$CXLSW" timestamp switch0 --set yesterday
	assert_failure 2
	assert_output "cxl-switch timestamp: invalid TIME 'yesterday': expected ISO 8601 like 2026-11-24T21:00:00Z (or +HH:MM) or @SECONDS since the epoch"
	run "$CXLSW" timestamp switch0 --set 2026-01-02T03:04:05
	assert_failure 2
	run "$CXLSW" timestamp switch0 @5
	assert_failure 2
	assert_output "cxl-switch timestamp: TIME needs --set"
	run "$CXLSW" timestamp switch0 --set
	assert_failure 2
	assert_output "cxl-switch timestamp: --set needs exactly one of --now and TIME"
	run "$CXLSW" timestamp switch0 --set --now @5
	assert_failure 2
	run emu_state -- timestamp switch0 --set @5
	assert_failure 5
	assert_output "cxl-switch timestamp: refusing to send Set Timestamp (a switch-config change) without --force: stdin is not a terminal"
	assert_state_untouched
}

@test "timestamp: faults on 0x0300 and 0x0301 are named" {
	run emu --fail 0x0300:short=4 -- timestamp switch0
	assert_failure 4
	assert_output "cxl-switch timestamp: switch0: Get Timestamp (0x0300): answer of 4 bytes, the command answers 8 to 8"
	run emu_state --fail 0x0301:internal-error -- timestamp switch0 --set @5 --force
	assert_failure 1
	assert_output "cxl-switch timestamp: switch0: Set Timestamp (0x0301): Internal Error (0x04)"
	assert_state_untouched
}

@test "timestamp: event records carry the switch's time" {
	jq ". + {timestamp_ns: $T0}" "$DEFAULT_TOPO" > "$STATE_IN"
	run emu_state -- port-control switch0 --port 4 --reset --force
	assert_success
	run emu --topology "$STATE_OUT" -- events switch0 --log info -j
	echo "$output" | jq -e --argjson t "$T0" '.logs[0].records[0].timestamp_ns >= $t and .logs[0].records[0].timestamp_ns < $t + 60e9'
}

# ---- a device behind the switch (--port, --ld) ---------------------------

@test "timestamp --port: the device's own clock, set through the tunnel; the switch's untouched" {
	jq 'del(.timestamp_ns)' "$DEFAULT_TOPO" > "$STATE_IN"
	run "$EMU" --topology "$STATE_IN" --save "$STATE_OUT" --stats "$BATS_TEST_TMPDIR/s.json" -- sh -c "
		'$CXLSW' timestamp switch0 --port 4 -j &&
		'$CXLSW' timestamp switch0 --port 4 --set @1767323045.5 --force -j &&
		'$CXLSW' timestamp switch0 --port 4 -j &&
		'$CXLSW' timestamp switch0 -j"
	assert_success
	echo "${lines[0]}" | jq -e '.switch == "switch0" and .target == {port: 4} and .valid == false and .timestamp_ns == 0'
	echo "${lines[1]}" | jq -e '.request == "0097633af2ca8618" and .wire_opcode == 21248 and
		.effect == "sets the device'"'"'s on port 4 clock from unset to 2026-01-02T03:04:05.500000000Z (1767323045500000000 ns)"'
	echo "${lines[2]}" | jq -e '.valid == true and .timestamp_ns >= 1767323045500000000 and .timestamp_ns < 1767323105500000000'
	# the switch's clock was never set
	echo "${lines[3]}" | jq -e '.valid == false and .target == null'
	jq -e '.opcodes."0x5300>0x0301" == 1 and (.opcodes."0x0301" // 0) == 0' "$BATS_TEST_TMPDIR/s.json"
	jq -e 'has("timestamp_ns") | not' "$STATE_OUT"
}

@test "timestamp --port --set: the policy decides for the port; without --force refused" {
	printf 'allow switch-config ports=5\n' > "$BATS_TEST_TMPDIR/policy"
	run emu_state --policy "$BATS_TEST_TMPDIR/policy" -- timestamp switch0 --port 4 --set --now --force
	assert_failure 5
	assert_output "cxl-switch timestamp: refused: no rule of /etc/cxl-switch/policy.conf allows switch-config changes to switch0 on this port"
	run emu_state -- timestamp switch0 --port 4 --set --now
	assert_failure 5
	assert_output --partial "without --force: stdin is not a terminal"
	run emu -- timestamp switch0 --port 14
	assert_failure 1
	assert_output "cxl-switch timestamp: switch0: no device on port 14; see 'cxl-switch list-ports switch0'"
}
