#!/usr/bin/env bats
# Outcomes are what the device says: a fault in the emulator at every part
# of a multi-part or background change, then the tool's read-back line, its
# exit code, its log line and the saved state, which must agree.
bats_require_minimum_version 1.5.0
load helpers

setup() {
	setup_state
	FWIMG=$TOP/tests/fw-image
	LOG=$BATS_TEST_TMPDIR/syslog
}

LD='(.ports[] | select(.port_id == 7) | .device.mld.lds)'
SET=(set-lds switch0 --port 7 0=1G 15=1G --force)
SET_ERR="cxl-switch set-lds: switch0 port 7: Set LD Allocations (0x5402): Internal Error (0x04)"

# ---- set-lds: two parts (LDs 0-14, then 15) -------------------------------

@test "set-lds: the second part applied but answered badly: read back, done, exit 0" {
	run emu_state --fail 0x5402:short=2:2 -- "${SET[@]}"
	assert_success
	assert_output "cxl-switch set-lds: switch0 port 7: Set LD Allocations (0x5402): answer of 2 bytes, the command answers 4 to 4084
cxl-switch set-lds: read back: LDs 0, 15 as asked: the change is done"
	assert_state_is "$LD[0,15] |= (.range1_multiplier = 1 | .range2_multiplier = 0)"
}

@test "set-lds: the second part fails: the first is put back, as a read-back shows (JSON, log)" {
	run --separate-stderr emu_state --syslog "$LOG" --fail 0x5402:internal-error:2 -- "${SET[@]}" -j
	assert_failure 1
	jq -e '.error.exit_code == 1 and .error.return_code == "Internal Error" and
		.error.outcome == "read back: LD 0 put back after being applied: nothing changed"' <<<"$output"
	grep -q 'command=set-lds .*result=failed: .*Internal Error (0x04); read back: LD 0 put back after being applied: nothing changed$' "$LOG"
	assert_state_untouched
}

@test "set-lds: second part and the undo fail: partly done, which LDs, exit 9" {
	run emu_state --syslog "$LOG" --fail 0x5402:internal-error:2 --fail 0x5402:internal-error:3 -- "${SET[@]}"
	assert_failure 9
	assert_output "$SET_ERR
cxl-switch set-lds: read back: partly done: LD 0 as asked, LD 15 not; putting them back failed"
	grep -q 'result=failed: .*; read back: partly done: LD 0 as asked, LD 15 not; putting them back failed$' "$LOG"
	assert_state_is "$LD[0].range1_multiplier = 1"
}

@test "set-lds: the read-back fails: unknown, which command shows it, exit 9" {
	# the check reads the allocations in two requests: the read-back is the third
	run emu_state --fail 0x5402:internal-error:2 --fail 0x5401:errno=EIO:3 -- "${SET[@]}"
	assert_failure 9
	assert_output "$SET_ERR
cxl-switch set-lds: the allocations could not be read back: the outcome is unknown; see 'cxl-switch list-lds switch0 --port 7'"
	# what the message does not know: the first part stays
	assert_state_is "$LD[0].range1_multiplier = 1"
}

@test "set-lds: the first part fails: nothing changed, read back" {
	run emu_state --fail 0x5402:internal-error:1 -- "${SET[@]}"
	assert_failure 1
	assert_output "$SET_ERR
cxl-switch set-lds: read back: the LDs are as they were: nothing changed"
	assert_state_untouched
}

# ---- fw-update ----------------------------------------------------------------

fw_state() {
	jq '. + {firmware: {slots_supported: 3, active_slot: 2, staged_slot: 3,
		online_activation: true, revisions: ["1.0.0", "1.1.0", "1.2.0-rc1"]}}' \
		"$DEFAULT_TOPO" > "$STATE_IN"
	"$FWIMG" "$BATS_TEST_TMPDIR/fw.bin" 2.0.0 5000
}

# the 4th to 9th Transfer FW (the abort after 3 requests and its 5 retries)
ABORT_BUSY=(--fail 0x0201:busy:4 --fail 0x0201:busy:5 --fail 0x0201:busy:6
	--fail 0x0201:busy:7 --fail 0x0201:busy:8 --fail 0x0201:busy:9)

@test "fw-update: the abort refused (Busy six times) while the slot got the image: said, exit 9" {
	fw_state
	# the End's verification ends after one poll; the second poll fails
	run emu_state --syslog "$LOG" --bg-polls 1 --fail 0x0002:errno=EIO:2 "${ABORT_BUSY[@]}" -- \
		fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 1 --force
	assert_failure 9
	assert_output "cxl-switch fw-update: switch0: Background Operation Status (0x0002): /dev/cxl/switch0: I/O error on the mailbox (EIO) after 3840 of 5000 bytes; the abort failed (Busy (0x06))
cxl-switch fw-update: read back: slot 1 now holds 2.0.0 (it held 1.0.0), slot 2 is active: the device did not confirm the transfer; see 'cxl-switch fw-info switch0'"
	refute_output --partial "was aborted"
	grep -q 'command=fw-update .*; read back: slot 1 now holds 2.0.0 (it held 1.0.0)' "$LOG"
	assert_state_is '.firmware.revisions[0] = "2.0.0"'
}

@test "fw-update --timeout: not both 'goes on' and 'was aborted'; the device still works on it, exit 9" {
	fw_state
	run emu_state --bg-polls 1000000 -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 1 --force --timeout 1
	assert_failure 9
	assert_output "cxl-switch fw-update: switch0: Transfer FW (0x0201): still running after 1000 ms (0% done) after 3840 of 5000 bytes; the abort failed (Busy (0x06))
cxl-switch fw-update: read back: the device is still working on the image (0%): the outcome is unknown; see 'cxl-switch bg-status switch0', then 'cxl-switch fw-info switch0'"
	assert_state_untouched
}

@test "fw-update: transferred, then the activation fails: partly done, exit 9" {
	fw_state
	run emu_state --fail 0x0202:internal-error -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 1 --force --activate online
	assert_failure 9
	assert_output "cxl-switch fw-update: switch0: Activate FW (0x0202): Internal Error (0x04)
cxl-switch fw-update: read back: partly done: slot 1 holds 2.0.0 (it held 1.0.0), its activation failed; slot 2 is active"
	assert_state_is '.firmware.revisions[0] = "2.0.0"'
}

@test "fw-update: FW Transfer in Progress at the first request: no abort is sent" {
	fw_state
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" --fail 0x0201:0x08:1 -- \
		fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 1 --force
	assert_failure 1
	assert_output "cxl-switch fw-update: switch0: Transfer FW (0x0201): FW Transfer in Progress (0x08) after 0 of 5000 bytes
cxl-switch fw-update: read back: slot 1 holds 1.0.0 as before, slot 2 is active: nothing changed"
	assert_equal "$(jq '.opcodes."0x0201"' "$BATS_TEST_TMPDIR/s.json")" 1
	assert_state_untouched
}

@test "fw-update: an abort that fails leaves a partial transfer: said, exit 9" {
	fw_state
	run emu_state --fail 0x0201:internal-error:3 "${ABORT_BUSY[@]}" -- \
		fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 1 --force
	assert_failure 9
	assert_output "cxl-switch fw-update: switch0: Transfer FW (0x0201): Internal Error (0x04) after 3840 of 5000 bytes; the abort failed (Busy (0x06))
cxl-switch fw-update: read back: slot 1 holds 1.0.0 as before, but the device may keep the partial transfer: a new fw-update may answer FW Transfer in Progress until it drops it"
	assert_state_untouched
}

# ---- bind and unbind ------------------------------------------------------------

BIND=(bind switch0 --vcs 0 --vppb 6 --port 14 --force)

@test "bind: the status poll fails while the vPPB is in progress: not 'failed', exit 9" {
	run emu_state --syslog "$LOG" --bg-polls 3 --fail 0x0002:errno=EIO:2 -- "${BIND[@]}"
	assert_failure 9
	assert_output "cxl-switch bind: switch0: Background Operation Status (0x0002): /dev/cxl/switch0: I/O error on the mailbox (EIO)
cxl-switch bind: read back: vPPB 6 of VCS 0 is still in progress: the bind goes on in the device; see 'cxl-switch bg-status switch0' and 'cxl-switch list-vcs switch0 --vcs 0'"
	grep -q 'command=bind .*; read back: vPPB 6 of VCS 0 is still in progress: the bind goes on in the device' "$LOG"
	run jq -c '.vcss[0].vppbs[6] | [.binding_status, .port_id]' "$STATE_OUT"
	assert_output '["in_progress",14]'
}

@test "bind: the status poll fails after the bind ended: done, exit 0" {
	run emu_state --bg-polls 1 --fail 0x0002:errno=EIO:2 -- "${BIND[@]}"
	assert_success
	assert_line --index 1 "cxl-switch bind: read back: vPPB 6 of VCS 0 is bound to port 14: the bind is done"
	assert_state_is '.vcss[0].vppbs[6] |= (.binding_status = "bound_port" | .port_id = 14)'
}

@test "bind: the vPPB cannot be read back: unknown, exit 9" {
	# 0x5200 calls: the check's read, then the read-back's
	run emu_state --bg-polls 3 --fail 0x0002:errno=EIO:2 --fail 0x5200:errno=EIO:2 -- "${BIND[@]}"
	assert_failure 9
	assert_line --index 1 "cxl-switch bind: the vPPB could not be read back: the outcome is unknown; see 'cxl-switch list-vcs switch0 --vcs 0'"
}

@test "unbind: the status poll fails after the unbind ended: done, exit 0" {
	run emu_state --bg-polls 1 --fail 0x0002:errno=EIO:2 -- unbind switch0 --vcs 0 --vppb 5 --force
	assert_success
	assert_line --index 1 "cxl-switch unbind: read back: vPPB 5 of VCS 0 is unbound: the unbind is done"
	assert_state_is '.vcss[0].vppbs[5] |= (.binding_status = "unbound" | .port_id = null | .ld_id = null)'
}

# ---- dc-add and dc-release --------------------------------------------------------

@test "dc-add: the device's status poll fails after the add ended: done, exit 0" {
	run emu_state --bg-polls 1 --fail 0x0002:errno=EIO:2 -- dc-add switch0 --port 12 --host 1 --region 0 --size 64M --force
	assert_success
	assert_line --index 1 "cxl-switch dc-add: read back: host 1 holds 192 MiB (it held 128 MiB): the add is done"
	run jq '.ports[12].device.dcd.hosts[1] | [.generation, (.extents | length)]' "$STATE_OUT"
	assert_output "$(printf '[\n  2,\n  2\n]')"
}

@test "dc-add: the status poll fails while it runs: it goes on, exit 9" {
	run emu_state --bg-polls 3 --fail 0x0002:errno=EIO:2 -- dc-add switch0 --port 12 --host 1 --region 0 --size 64M --force
	assert_failure 9
	assert_line --index 1 "cxl-switch dc-add: read back: the add is still running on the device (50%): it goes on; see 'cxl-switch bg-status switch0 --port 12' and 'cxl-switch dc-extents switch0 --port 12 --host 1'"
}

@test "dc-release: the status poll fails after the release ended: done, exit 0" {
	run emu_state --bg-polls 1 --fail 0x0002:errno=EIO:2 -- dc-release switch0 --port 12 --host 1 --tag 6a2c5e64-3f0e-4d61-9c9e-1b2a0c4d5e03 --force
	assert_success
	assert_line --index 1 "cxl-switch dc-release: read back: host 1 holds 0 bytes (it held 128 MiB): the release is done"
	run jq -c '.ports[12].device.dcd.hosts[1].extents' "$STATE_OUT"
	assert_output '[]'
}
