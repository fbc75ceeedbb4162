#!/usr/bin/env bats
# doctor: what looks wrong on a switch, each finding with the command that
# fixes it, checked against the topology the emulated switch runs; exit 0
# for a clean switch, 12 when something was found.
bats_require_minimum_version 1.5.0
load helpers

setup() {
	setup_state
	CLEAN=$BATS_TEST_TMPDIR/clean.json
	# the default topology without its faults: port 18's PERST# released,
	# port 30's link up, VCS 1's stuck vPPB 6 unbound
	jq '(.ports[] | select(.port_id == 18 or .port_id == 30)) |= (.link_state_flags.perst_asserted = false |
		.ltssm_state = "l0" | .negotiated_link_width = 8 | .current_link_speed_gts = 32) |
		.vcss[1].vppbs[6] |= (.binding_status = "unbound" | .port_id = null)' "$DEFAULT_TOPO" > "$CLEAN"
}

@test "doctor: the default topology's faults, each with its fix; exit 12" {
	# what the topology holds: PERST# on 18, link down with a device on 30,
	# vPPB 6 of VCS 1 in progress with nothing running
	assert_equal "$(topo '[.ports[] | select(.link_state_flags.perst_asserted) | .port_id]')" '[18]'
	assert_equal "$(topo '[.ports[] | select(.ltssm_state != "l0" and .link_state_flags.prsnt_detected and (.link_state_flags.perst_asserted | not)) | .port_id]')" '[30]'
	assert_equal "$(topo '[.vcss[] | .vcs_id as $v | .vppbs[] | select(.binding_status == "in_progress") | [$v, .vppb_id, .port_id]]')" '[[1,6,13]]'
	run emu_state -- doctor switch0
	assert_failure 12
	assert_output "switch0: 3 findings (checked 32 ports, 4 VCSs, 32 vPPBs, 40 LDs, 70 event logs)
  port 18 is held in reset (PERST#): its cxl_type3_sld cannot be reached
    fix: cxl-switch port-control switch0 --port 18 --deassert-perst
  the link of port 30 is down (LTSSM detect) with a device present
    fix: cxl-switch port-control switch0 --port 30 --reset
  vPPB 6 of VCS 1 is stuck binding or unbinding port 13: no background operation runs
    fix: cxl-switch port-control switch0 --port 13 --reset"
	assert_state_untouched
}

@test "doctor -j: one document, findings as fields, the same as the human form" {
	run --separate-stderr emu -- doctor switch0 -j
	assert_failure 12
	echo "$output" | jq -e '.switch == "switch0" and .healthy == false and
		([.findings[] | [.kind, .port_id, .vcs_id, .vppb_id]] == [["perst_held", 18, null, null], ["link_down", 30, null, null], ["vppb_stuck", 13, 1, 6]]) and
		.findings[0].fix == "cxl-switch port-control switch0 --port 18 --deassert-perst" and
		.checked.ports == 32 and .checked.vcss == 4'
	assert_equal "$stderr" ""
	assert_equal "$(echo "$output" | wc -l)" 1
}

@test "doctor: a clean switch has no findings; exit 0" {
	run emu --topology "$CLEAN" -- doctor switch0
	assert_success
	assert_output "switch0: 0 findings (checked 32 ports, 4 VCSs, 32 vPPBs, 40 LDs, 80 event logs)"
	run emu --topology "$CLEAN" -- doctor switch0 -j
	assert_success
	echo "$output" | jq -e '.healthy == true and .findings == []'
}

@test "doctor: an LD bound to a host with no memory, and set-lds to give it some" {
	# LD 5 of port 7 is bound to vPPB 4 of VCS 1
	assert_equal "$(topo '.vcss[1].vppbs[4] | [.binding_status, .port_id, .ld_id]')" '["bound_ld",7,5]'
	jq '(.ports[] | select(.port_id == 7) | .device.mld.lds[5]) |= (.range1_multiplier = 0 | .range2_multiplier = 0)' "$CLEAN" > "$STATE_IN"
	run emu_state -- doctor switch0 -j
	assert_failure 12
	echo "$output" | jq -e '[.findings[] | [.kind, .port_id, .vcs_id, .vppb_id, .ld_id]] == [["ld_no_memory", 7, 1, 4, 5]] and
		.findings[0].problem == "LD 5 of port 7 is bound to vPPB 4 of VCS 1 but has no memory allocated" and
		.findings[0].fix == "cxl-switch set-lds switch0 --port 7 5=SIZE (a multiple of 1 GiB)"'
	# the fix works: after it, nothing is found
	run "$EMU" --topology "$STATE_IN" --save "$STATE_OUT" -- sh -c "'$CXLSW' set-lds switch0 --port 7 5=1G --force >/dev/null && '$CXLSW' doctor switch0"
	assert_success
}

@test "doctor: an event log that overflowed, the switch's or a device's" {
	jq '. + {event_logs: {capacity: 16, next_handle: 1,
		warning: {overflow_count: 3, first_overflow_ns: 1764018000000000000, last_overflow_ns: 1764018000000000001, records: []}}}' \
		"$CLEAN" > "$STATE_IN"
	run emu_state -- doctor switch0 -j
	assert_failure 12
	echo "$output" | jq -e '[.findings[] | [.kind, .log, .port_id]] == [["event_log_overflow", "warning", null]] and
		.findings[0].problem == "the warning event log of switch0 overflowed: 3 records lost" and
		.findings[0].fix == "cxl-switch events switch0 --log warning --clear"'
}

@test "doctor: a bind that runs is in progress, not stuck: bg-status to watch it" {
	run "$EMU" --topology "$CLEAN" --bg-polls 100 -- sh -c "
		'$CXLSW' bind switch0 --vcs 0 --vppb 6 --port 15 --force --no-wait >/dev/null &&
		'$CXLSW' doctor switch0 -j"
	assert_failure 12
	echo "$output" | jq -e '[.findings[] | [.kind, .vcs_id, .vppb_id, .fix]] == [["vppb_in_progress", 0, 6, "cxl-switch bg-status switch0"]]'
}

@test "doctor: read-only, nothing that changes state is sent; bad arguments are usage errors" {
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- doctor switch0 -j
	assert_failure 12
	jq -e '[.opcodes | keys[] | select(test("5201|5202|5102|5402|0101|0201|0202|0301"))] == []' "$BATS_TEST_TMPDIR/s.json"
	assert_state_untouched
	run emu -- doctor
	assert_failure 2
	run emu -- doctor switch0 extra
	assert_failure 2
	run emu -- doctor switch9
	assert_failure 3
}

@test "doctor: QEMU's switch (links in L2 are up, no VCS info, no event logs): what it lacks is not checked, not a finding" {
	run emu --profile qemu -- doctor switch0 -j
	assert_failure 12
	echo "$output" | jq -e '[.findings[] | .kind] == ["perst_held"] and .checked.vcss == 0 and
		.unavailable == ["Get Virtual CXL Switch Info (0x5200)", "Get LD Allocations (0x5401)", "Get Event Records (0x0100)"]'
	run emu --profile qemu -- doctor switch0
	assert_line "not checked: the device does not implement Get Virtual CXL Switch Info (0x5200), Get LD Allocations (0x5401), Get Event Records (0x0100)"
}
