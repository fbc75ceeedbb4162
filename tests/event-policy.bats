#!/usr/bin/env bats
# event-policy: a switch's MCTP event interrupt policy (0x0104, 0x0105),
# and a Type 3 device's event interrupt policy (0x0102, 0x0103) behind
# --port: r3.1 Table 8-37 prohibits 0x0102/0x0103 on a switch CCI.
# Checked against the topology file and the saved state.
bats_require_minimum_version 1.5.0
load helpers

setup() {
	setup_state
	STATS=$BATS_TEST_TMPDIR/stats.json
}

# the device on port 5 with these settings bytes
device_policy() {
	jq "(.ports[] | select(.port_id == 5) | .device.event_interrupt_policy) = $1" \
		"$DEFAULT_TOPO" > "$STATE_IN"
}

@test "event-policy SWITCH: the MCTP policy (0x0104), never 0x0102" {
	jq '. + {mctp_event_interrupt_policy: 9}' "$DEFAULT_TOPO" > "$STATE_IN"
	run emu_state --stats "$STATS" -- event-policy switch0 -j
	assert_success
	assert_output '{"version":1,"command":"event-policy","switch":"switch0","target":null,"mctp_settings":9,"policy":[{"log":"info","mode":"notify"},{"log":"warning","mode":"none"},{"log":"failure","mode":"none"},{"log":"fatal","mode":"notify"},{"log":"dcd","mode":"none"}]}'
	run jq -c '[.opcodes."0x0104", .opcodes."0x0102"]' "$STATS"
	assert_output '[1,null]'
	assert_state_untouched
}

@test "event-policy SWITCH: human output" {
	jq '. + {mctp_event_interrupt_policy: 16}' "$DEFAULT_TOPO" > "$STATE_IN"
	run emu_state -- event-policy switch0
	assert_success
	assert_line --index 0 "switch0 MCTP event interrupt policy (settings 0x0010):"
	assert_line --index 1 --regexp '^  LOG +MODE$'
	assert_line --index 2 --regexp '^  info +none$'
	assert_line --index 6 --regexp '^  dcd +notify$'
}

@test "event-policy SWITCH --set: 0x0105 with only the logs named changed, other bits kept" {
	# bit 15 is not a log: what the switch had there is sent back as it was
	jq '. + {mctp_event_interrupt_policy: 32770}' "$DEFAULT_TOPO" > "$STATE_IN"
	run emu_state --stats "$STATS" -- event-policy switch0 --set info=notify,warning=none --force -j
	assert_success
	jq -e '.opcode == 261 and .request == "0180" and .status == "done" and
		.policy == "info=notify warning=none failure=none fatal=none dcd=none"' <<<"$output"
	assert_state_is '. + {mctp_event_interrupt_policy: 32769}'
	assert_equal "$(jq '.opcodes."0x0103"' "$STATS")" null
}

@test "event-policy SWITCH --set --dry-run: the effect in words, nothing sent" {
	run emu_state --stats "$STATS" -- event-policy switch0 --set fatal=notify --dry-run
	assert_success
	assert_line --index 0 "switch0: Set MCTP Event Interrupt Policy (0x0105) not sent (dry run)"
	assert_line --index 1 "  effect:  sets the Event Notification of the fatal log none -> notify"
	assert_line --index 3 "  request: 08 00"
	assert_equal "$(jq '.opcodes."0x0105"' "$STATS")" null
	assert_state_untouched
}

@test "event-policy SWITCH --set: a device's modes are refused on a switch, nothing sent" {
	run emu_state --stats "$STATS" -- event-policy switch0 --set info=msi --force
	assert_failure 2
	assert_output "cxl-switch event-policy: invalid --set item 'info=msi': a switch's MODE is notify or none (MCTP Event Interrupt Policy); none, msi and fw[:N] are a device's, with --port"
	assert_equal "$(jq '.opcodes."0x0105"' "$STATS")" null
	assert_state_untouched
	run emu_state -- event-policy switch0 --set debug=notify --force
	assert_failure 2
	assert_output "cxl-switch event-policy: invalid --set item 'debug': expected LOG=MODE with LOG info, warning, failure, fatal or dcd"
	run emu_state -- event-policy switch0 --set fatal=notify
	assert_failure 5
	assert_state_untouched
}

@test "the emulated switch answers 0x0102 and 0x0103 Unsupported (r3.1 Table 8-37)" {
	run "$EMU" --topology "$STATE_IN" -- "$TOP/tests/emulator/probe" /dev/cxl/switch0 0x0102
	assert_output --regexp '^rc=0x03 '
	run "$EMU" --topology "$STATE_IN" -- "$TOP/tests/emulator/probe" /dev/cxl/switch0 0x0103 0000000000
	assert_output --regexp '^rc=0x03 '
}

@test "event-policy --port: the device's settings of each log (0x0102, tunnelled)" {
	device_policy '[1, 0, 2, 50, 0]'
	run emu_state --stats "$STATS" -- event-policy switch0 --port 5 -j
	assert_success
	jq -e '.switch == "switch0" and .target == {port: 5} and
		([.policy[] | [.log, .mode, .message_number]] ==
		[["info","msi",0],["warning","none",0],["failure","fw",0],["fatal","fw",3],["dcd","none",0]])' <<<"$output"
	assert_equal "$(jq '.opcodes."0x5300>0x0102"' "$STATS")" 1
	run emu_state -- event-policy switch0 --port 5
	assert_line --index 0 "switch0 port 5 event interrupt policy:"
	assert_line --regexp '^  fatal +fw +3 +0x32$'
	assert_state_untouched
}

@test "event-policy --port --set: only the logs named change, in the device" {
	run emu_state -- event-policy switch0 --port 5 --set info=msi,fatal=fw:3 --force -j
	assert_success
	jq -e '.opcode == 259 and .target == {port: 5} and .request == "0100003200" and
		.policy == "info=msi warning=none failure=none fatal=fw:3 dcd=none"' <<<"$output"
	assert_state_is '(.ports[] | select(.port_id == 5) | .device.event_interrupt_policy) = [1, 0, 0, 50, 0]'
}

@test "event-policy --port --set: bad items are usage errors, nothing sent" {
	run emu_state --stats "$STATS" -- event-policy switch0 --port 5 --set info=loud --force
	assert_failure 2
	assert_output "cxl-switch event-policy: invalid --set item 'info=loud': MODE is none, msi, fw or fw:N with N 0-15"
	run emu_state -- event-policy switch0 --port 5 --set info=msi:2 --force
	assert_failure 2
	assert_output "cxl-switch event-policy: invalid --set item 'info=msi:2': MODE is none, msi, fw or fw:N with N 0-15"
	run emu_state -- event-policy switch0 --port 5 --set info=notify --force
	assert_failure 2
	assert_output "cxl-switch event-policy: invalid --set item 'info=notify': MODE is none, msi, fw or fw:N with N 0-15"
	assert_equal "$(jq '.opcodes."0x5300>0x0103"' "$STATS")" null
	assert_state_untouched
}
