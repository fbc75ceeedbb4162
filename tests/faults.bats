#!/usr/bin/env bats
# A device that misbehaves: injected faults and the tool's answers to them.
# Each says what went wrong, exits with its documented code, prints no
# partial JSON, and leaves nothing half-applied in the saved state.
bats_require_minimum_version 1.5.0
load helpers

setup() {
	setup_state
}

stats() {
	jq -c "$1" "$BATS_TEST_TMPDIR/s.json"
}

@test "Busy once: sent again, and it works" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" --fail 0x5101:busy:1 -- list-ports switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq '.ports | length')" 32
	assert_equal "$(stats '.opcodes."0x5101"')" 2
}

@test "Retry Required twice: sent again, and it works" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" --fail 0x5100:retry-required:1 --fail 0x5100:retry-required:2 -- identify switch0 -j
	assert_success
	assert_equal "$(stats '.opcodes."0x5100"')" 3
}

@test "Busy for ever: bounded retries, then a clear error" {
	run --separate-stderr emu --stats "$BATS_TEST_TMPDIR/s.json" --fail 0x5101:busy -- list-ports switch0 -j
	assert_failure 1
	assert_equal "$stderr" "cxl-switch list-ports: switch0: Get Physical Port State (0x5101): Busy (0x06), still after 6 attempts"
	echo "$output" | jq -e '.error.return_code == "Busy" and .error.exit_code == 1'
	assert_equal "$(stats '.opcodes."0x5101"')" 6
}

@test "EBUSY from the ioctl: retried too" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" --fail 0x5100:errno=EBUSY:1 -- identify switch0
	assert_success
	assert_equal "$(stats '.opcodes."0x5100"')" 2
}

@test "Internal Error is not retried" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" --fail 0x5100:internal-error -- identify switch0
	assert_failure 1
	assert_output "cxl-switch identify: switch0: Identify Switch Device (0x5100): Internal Error (0x04)"
	assert_equal "$(stats '.opcodes."0x5100"')" 1
}

@test "ioctl errors: EIO, ENXIO (device removed), ETIMEDOUT" {
	run emu --fail 0x5101:errno=EIO -- list-ports switch0
	assert_failure 4
	assert_output "cxl-switch list-ports: switch0: Get Physical Port State (0x5101): /dev/cxl/switch0: I/O error on the mailbox (EIO)"
	run emu --fail 0x5101:errno=ENXIO -- list-ports switch0
	assert_failure 4
	assert_output "cxl-switch list-ports: switch0: Get Physical Port State (0x5101): /dev/cxl/switch0: device removed (ENXIO)"
	run emu --fail 0x5200:errno=ETIMEDOUT -- list-vcs switch0
	assert_failure 4
	assert_output "cxl-switch list-vcs: switch0: Get Virtual CXL Switch Info (0x5200): /dev/cxl/switch0: the mailbox timed out (ETIMEDOUT)"
}

@test "a short answer is rejected, naming the command" {
	run emu --fail 0x5100:short=10 -- identify switch0
	assert_failure 4
	assert_output "cxl-switch identify: switch0: Identify Switch Device (0x5100): answer of 10 bytes, the command answers 73 to 73"
	run emu --fail 0x0003:short=0 -- list-ports switch0
	assert_failure 4
	assert_output "cxl-switch list-ports: switch0: Get Response Message Limit (0x0003): answer of 0 bytes, the command answers 1 to 1"
}

@test "a short answer in the middle of a split listing" {
	run --separate-stderr emu --topology "$BIG_TOPO" --msg-limit 256 --fail 0x5101:short=100:4 -- list-ports switch0 -j
	assert_failure 4
	assert_equal "$stderr" "cxl-switch list-ports: switch0: Get Physical Port State (0x5101): answer of 100 bytes for 15 ports"
	echo "$output" | jq -e '.error.exit_code == 4 and .error.opcode == 20737'
}

@test "a short VCS page is rejected" {
	run emu --topology "$BIG_TOPO" --msg-limit 256 --fail 0x5200:short=40:2 -- list-vcs switch0
	assert_failure 4
	assert_output --regexp '^cxl-switch list-vcs: switch0: Get Virtual CXL Switch Info \(0x5200\): answer of 40 bytes does not match a request for [0-9]+ VCSs from vPPB [0-9]+$'
}

@test "a driver that claims more bytes than the buffer holds" {
	run emu --fail 0x5101:overclaim=1 -- list-ports switch0
	assert_failure 4
	assert_output "cxl-switch list-ports: switch0: Get Physical Port State (0x5101): /dev/cxl/switch0: the driver reported more answer bytes than the buffer holds"
}

@test "extra bytes past the buffer are cut off by the driver, not read" {
	run emu --fail 0x0003:long=1 --fail 0x5100:long=40 -- identify switch0 -j
	assert_success
}

@test "a slow device: the answer still comes, nothing is lost" {
	run emu --latency 30 -- list-vcs switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq -S -c '[.vcss[] | del(.num_vppbs)]')" "$(topo '.vcss' | jq -S -c .)"
}

@test "a background operation that never ends: the wait times out" {
	run emu_state --bg-polls 1000000 -- bind switch0 --vcs 0 --vppb 6 --port 14 --force --timeout 1 -j
	assert_failure 6
	assert_line --regexp '"exit_code":6'
}

@test "a background operation that fails halfway: nothing applied" {
	run emu_state --bg-polls 4 --bg-fail 0x5201:internal-error -- bind switch0 --vcs 0 --vppb 6 --port 14 --force
	assert_failure 1
	assert_line --index 0 "cxl-switch bind: switch0: Bind vPPB (0x5201): background operation ended with Internal Error (0x04)"
	# the outcome is read back, not assumed
	assert_line --index 1 "cxl-switch bind: read back: vPPB 6 of VCS 0 is unbound as before: nothing changed"
	assert_equal "${#lines[@]}" 2
	assert_state_untouched
}

@test "a failing state read before a change: nothing sent, state untouched" {
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" --fail 0x5200:errno=EIO -- bind switch0 --vcs 0 --vppb 6 --port 14 --force
	assert_failure 4
	assert_equal "$(stats '.opcodes."0x5201" // 0')" 0
	assert_state_untouched
}

@test "Busy on the change itself: retried, then applied once" {
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" --fail 0x5102:busy:1 -- port-control switch0 --port 4 --assert-perst --force
	assert_success
	assert_equal "$(stats '.opcodes."0x5102"')" 2
	assert_state_is '.ports[4] |= (.link_state_flags.perst_asserted = true | .ltssm_state = "detect" | .current_link_speed_gts = null | .negotiated_link_width = 0)'
}

@test "usage errors in JSON mode are JSON objects too" {
	run --separate-stderr "$CXLSW" list-ports -j switch0 --port 999
	assert_failure 2
	assert_output '{"version":1,"command":"list-ports","switch":null,"target":null,"error":{"command":"list-ports","exit_code":2,"message":"--port: invalid id '"'"'999'"'"': expected a number 0-255 or a range like 4-7"}}'
}
