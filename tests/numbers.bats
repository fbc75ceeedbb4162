#!/usr/bin/env bats
# Numbers on the command line (issue 14): decimal or 0x hexadecimal, a
# leading zero never octal, every value and every sum range-checked,
# times within the device's 64-bit nanoseconds.  Each refusal leaves the
# switch as it was and sends nothing.
load helpers

setup() {
	setup_state
	STATS=$BATS_TEST_TMPDIR/s.json
}

@test "numbers: a leading zero is decimal in ids (--port 014 is port 14, not 12)" {
	run emu -- bind switch0 --vcs 0 --vppb 06 --port 014 --dry-run -j
	assert_success
	echo "$output" | jq -e '.request == "00060e00ffff" and .effect == "binds port 14 (no device) to vPPB 6 of VCS 0"'
	run emu -- bind switch0 --vcs 0x0 --vppb 0x6 --port 0xE --dry-run -j
	assert_success
	echo "$output" | jq -e '.request == "00060e00ffff"'
	# 08 was a bad octal number; it is eight
	run emu -- unbind switch0 --vcs 0 --vppb 08 --dry-run
	assert_failure 2
	assert_output "cxl-switch unbind: VCS 0 has 8 vPPBs: there is no vPPB 8"
}

@test "numbers: --port 016 is 16, whatever it holds" {
	run emu_state --stats "$STATS" -- bind switch0 --vcs 0 --vppb 6 --port 016 --force
	assert_failure 2
	assert_output "cxl-switch bind: port 16 is not a downstream port (it is disabled)"
	assert_equal "$(jq '.opcodes."0x5201" // 0' "$STATS")" 0
	assert_state_untouched
}

@test "numbers: what is not a plain number is a usage error" {
	for bad in 0x 0x0x1 " 1" +1 -1 1e1 0o7 256 99999999999999999999999; do
		run emu_state --stats "$STATS" -- bind switch0 --vcs 0 --vppb 6 --port "$bad" --force
		assert_failure 2
		assert_output "cxl-switch bind: invalid --port '$bad': expected a number 0-255"
		assert_equal "$(jq .ioctls "$STATS")" 0
	done
	assert_state_untouched
}

@test "set-lds: the same LD twice after normalising is refused (8 and 08)" {
	run emu_state --stats "$STATS" -- set-lds switch0 --port 7 8=2G 08=3G --force
	assert_failure 2
	assert_output "cxl-switch set-lds: LD 8 is given twice"
	assert_equal "$(jq .ioctls "$STATS")" 0
	assert_state_untouched
}

@test "set-lds: 010 is LD 10, not a second LD 8" {
	run emu_state -- set-lds switch0 --port 7 8=2G 010=3G --force
	assert_success
	# LD=SIZE is the whole allocation: the range 2 each held is cleared
	assert_state_is '(.ports[] | select(.port_id == 7) | .device.mld.lds[8]) |= (.range1_multiplier = 2 | .range2_multiplier = 0) | (.ports[] | select(.port_id == 7) | .device.mld.lds[10]) |= (.range1_multiplier = 3 | .range2_multiplier = 0)'
}

@test "set-lds: sizes whose sum wraps 64 bits are refused, nothing sent" {
	run emu_state --stats "$STATS" -- set-lds switch0 --port 7 12=8388608T 13=8388608T --force
	assert_failure 2
	assert_output "cxl-switch set-lds: the LDs would hold more than 2^64 bytes, more than the device's 256 GiB"
	assert_equal "$(jq '.opcodes."0x5300>0x5402" // 0' "$STATS")" 0
	assert_state_untouched
	# one size alone past 64 bits is no size
	run emu_state -- set-lds switch0 --port 7 12=16777216T --force
	assert_failure 2
	assert_output "cxl-switch set-lds: invalid size in '12=16777216T': expected bytes or a number with K, M, G or T (256M, 4G)"
	assert_state_untouched
}

@test "timestamp --set: past the 64-bit nanosecond clock is refused, not wrapped to 1970" {
	local msg="outside the clock's range, 1970-01-01T00:00:00Z to 2554-07-21T23:34:33.709551615Z (64-bit nanoseconds)"
	for t in 2554-07-21T23:34:34Z 2554-07-21T23:34:33.709551616Z @18446744074 @18446744073.709551616 9999-01-01T00:00:00Z; do
		run emu_state --stats "$STATS" -- timestamp switch0 --set "$t" --force
		assert_failure 2
		assert_output "cxl-switch timestamp: invalid TIME '$t': $msg"
		assert_equal "$(jq .ioctls "$STATS")" 0
	done
	assert_state_untouched
}

@test "timestamp --set: the last nanosecond of the clock is sent as it is" {
	run emu -- timestamp switch0 --set 2554-07-21T23:34:33.709551615Z --dry-run -j
	assert_success
	echo "$output" | jq -e '.request == "ffffffffffffffff"'
	run emu -- timestamp switch0 --set @18446744073.709551615 --dry-run -j
	assert_success
	echo "$output" | jq -e '.request == "ffffffffffffffff"'
}
