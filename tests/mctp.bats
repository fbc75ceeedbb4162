#!/usr/bin/env bats
# The MCTP transport (issue 17): the unmodified tool reaches switch0 as
# mctp:1:8 through its own AF_MCTP sockets, which the emulator's preloaded
# shim serves (--mctp); the answers must be the ioctl path's, the faults
# of the MCTP path must be caught.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_state
}

# The JSON, state and audit of every command over both transports are
# compared in tests/transports.bats; here, what only MCTP has.

@test "mctp: identify names the switch mctp:1:8, in JSON and for people" {
	run emu --mctp 1:8 -- -j identify mctp:1:8
	assert_success
	echo "$output" | jq -e '.switch == "mctp:1:8" and .path == "mctp:1:8"'
	echo "$output" | jq -e --argjson s "$(topo .identify.serial)" '.serial == $s'
	run emu --mctp 1:8 -- identify mctp:1:8
	assert_success
	assert_line --regexp '^switch +mctp:1:8$'
}

@test "list --mctp: the endpoint's switch is listed beside the host's" {
	run emu --mctp 1:8 -- -j list --mctp 1:8
	assert_success
	echo "$output" | jq -e '[.switches[].switch] == ["switch0", "mctp:1:8"]'
	echo "$output" | jq -e '.switches[0].serial == .switches[1].serial'
	run emu --mctp 1:8 -- list --mctp 1:8
	assert_success
	assert_line --regexp '^mctp:1:8 +0x1b36 +0x7075 '
}

@test "list --mctp: a bad endpoint is refused, exit 2" {
	run emu --mctp 1:8 -- list --mctp 1:3
	assert_failure 2
	assert_output "cxl-switch list: invalid --mctp '1:3': expected NET:EID with EID 8-254, e.g. 1:8"
	run emu --mctp 1:8 -- list --mctp 8
	assert_failure 2
}

@test "mctp: a bad name is refused, exit 2, nothing sent" {
	for name in mctp:1:3 mctp:1:255 mctp:x:8 mctp:1 mctp:1:8:2 mctp:; do
		run emu --mctp 1:8 --stats "$BATS_TEST_TMPDIR/s.json" -- identify "$name"
		assert_failure 2
		assert_output --partial "invalid switch name '$name': expected mctp:NET:EID"
		assert_equal "$(jq '.ioctls' "$BATS_TEST_TMPDIR/s.json")" 0
	done
}

@test "mctp: an endpoint with no route fails, exit 4" {
	run emu --mctp 1:8 -- identify mctp:1:9
	assert_failure 4
	assert_output "cxl-switch identify: mctp:1:9: Identify (0x0001): sending to MCTP net 1 EID 9: no route to the endpoint (EHOSTUNREACH)"
	run emu --mctp 1:8 -- identify mctp:2:8
	assert_failure 4
}

@test "mctp: bind --dry-run prints the request, sends nothing" {
	# LD 3 holds no memory: the warning goes to stderr
	run --separate-stderr emu_state --mctp 1:8 --stats "$BATS_TEST_TMPDIR/s.json" -- \
		bind mctp:1:8 --vcs 0 --vppb 7 --port 5 --ld 3 --dry-run -j
	assert_success
	echo "$output" | jq -e '.switch == "mctp:1:8" and .status == "dry_run"'
	echo "$output" | jq -e '.request == "000705000300"'
	assert_equal "$(jq '.opcodes."0x5201" // 0' "$BATS_TEST_TMPDIR/s.json")" 0
	assert_state_untouched
}

@test "mctp: Busy is sent again, a bounded number of times" {
	run emu --mctp 1:8 --fail 0x0001:busy:1 --stats "$BATS_TEST_TMPDIR/s.json" -- -j identify mctp:1:8
	assert_success
	assert_equal "$(jq '.opcodes."0x0001"' "$BATS_TEST_TMPDIR/s.json")" 2
	run emu --mctp 1:8 --fail 0x0001:busy --stats "$BATS_TEST_TMPDIR/s.json" -- identify mctp:1:8
	assert_failure 1
	assert_output "cxl-switch identify: mctp:1:8: Identify (0x0001): Busy (0x06), still after 6 attempts"
	assert_equal "$(jq '.opcodes."0x0001"' "$BATS_TEST_TMPDIR/s.json")" 6
}

@test "mctp: the response message limit is asked once, before the rest" {
	run emu --mctp 1:8 --stats "$BATS_TEST_TMPDIR/s.json" -- identify mctp:1:8
	assert_success
	# identify sends 0x0001 and 0x5100; the ioctl path sends no 0x0003
	jq -e '.opcodes == {"0x0001": 1, "0x0003": 1, "0x5100": 1}' "$BATS_TEST_TMPDIR/s.json"
	# list-ports sizes its requests by the limit too: still asked once
	run emu --mctp 1:8 --stats "$BATS_TEST_TMPDIR/s.json" -- list-ports mctp:1:8
	assert_success
	jq -e '.opcodes == {"0x0003": 1, "0x5100": 1, "0x5101": 1}' "$BATS_TEST_TMPDIR/s.json"
}

@test "mctp: an answer over the endpoint's response limit is malformed" {
	run emu --mctp 1:8 --msg-limit 256 --fail 0x5101:long=300 -- list-ports mctp:1:8 --port 1
	assert_failure 4
	assert_output "cxl-switch list-ports: mctp:1:8: Get Physical Port State (0x5101): answer of 320 bytes is over the endpoint's 256-byte response message limit"
}

@test "mctp: an endpoint without Get Response Message Limit is still served" {
	want=$(emu --mctp 1:8 -- -j identify mctp:1:8)
	run emu --mctp 1:8 --fail 0x0003:unsupported -- -j identify mctp:1:8
	assert_success
	assert_equal "$output" "$want"
}

@test "mctp fault: a lost answer times out after 2 s, exit 4" {
	SECONDS=0
	run emu --mctp 1:8 --fail 0x0001:lost -- identify mctp:1:8
	assert_failure 4
	assert_output "cxl-switch identify: mctp:1:8: Identify (0x0001): no answer from MCTP net 1 EID 8 within 2000 ms (timed out)"
	[ "$SECONDS" -ge 2 ] || fail "gave up after $SECONDS s, not the spec's 2 s"
	run --separate-stderr emu --mctp 1:8 --fail 0x0001:lost -- -j identify mctp:1:8
	assert_failure 4
	echo "$output" | jq -e '.error.exit_code == 4 and .switch == "mctp:1:8"'
}

@test "mctp fault: an answer later than 2 s is a timeout, exit 4" {
	run emu --mctp 1:8 --fail 0x0001:delay=2600 -- identify mctp:1:8
	assert_failure 4
	assert_output --partial "no answer from MCTP net 1 EID 8 within 2000 ms (timed out)"
	# a slow answer within the limit is taken
	run emu --mctp 1:8 --fail 0x0001:delay=300 -- identify mctp:1:8
	assert_success
}

@test "mctp fault: an answer with the wrong tag is ignored" {
	run emu --mctp 1:8 --fail 0x0001:wrong-tag -- identify mctp:1:8
	assert_failure 4
	assert_output "cxl-switch identify: mctp:1:8: Identify (0x0001): no answer from MCTP net 1 EID 8 within 2000 ms (timed out); answers with another tag were ignored"
}

@test "mctp fault: a stray answer before the right one is skipped" {
	want=$(emu --mctp 1:8 -- -j identify mctp:1:8)
	run emu --mctp 1:8 --fail 0x0001:stray -- -j identify mctp:1:8
	assert_success
	assert_equal "$output" "$want"
}

@test "mctp fault: the header's length must match what arrived" {
	run emu --mctp 1:8 --fail 0x0001:overclaim=4 -- identify mctp:1:8
	assert_failure 4
	assert_output "cxl-switch identify: mctp:1:8: Identify (0x0001): the answer's header says 22 payload bytes, 18 arrived"
	run emu --mctp 1:8 --fail 0x0001:short=10 -- identify mctp:1:8
	assert_failure 4
	assert_output "cxl-switch identify: mctp:1:8: Identify (0x0001): answer of 10 bytes, the command answers 18 to 18"
}

@test "mctp: a machine without AF_MCTP gets one clear line, exit 4" {
	run emu --no-af-mctp -- identify mctp:1:8
	assert_failure 4
	assert_output "cxl-switch identify: mctp:1:8: this kernel has no AF_MCTP sockets (EAFNOSUPPORT): MCTP needs Linux 5.15 or later built with CONFIG_MCTP"
	run --separate-stderr emu --no-af-mctp -- -j identify mctp:1:8
	assert_failure 4
	echo "$output" | jq -e '.error.exit_code == 4'
	echo "$output" | jq -e '.error.message | test("no AF_MCTP sockets")'
	# list reports it the same way and still lists the host's switch
	run --separate-stderr emu --no-af-mctp -- list --mctp 1:8
	assert_failure 4
	assert_equal "$stderr" "cxl-switch list: mctp:1:8: this kernel has no AF_MCTP sockets (EAFNOSUPPORT): MCTP needs Linux 5.15 or later built with CONFIG_MCTP"
	assert_line --regexp '^switch0 '
	# the ioctl path is untouched by it
	run emu --no-af-mctp -- identify switch0
	assert_success
}

@test "emulator: --mctp takes NET:EID" {
	run "$EMU" --mctp 1:300 -- true
	assert_failure 2
	assert_output "cxl-switch-emu: 1:300: bad --mctp, want NET:EID, EID 8-254, e.g. 1:8"
	run "$EMU" --mctp 1:8 --no-af-mctp -- true
	assert_failure 2
}

@test "emulator: the lost fault over the ioctl is the driver's timeout" {
	run emu --fail 0x0001:lost -- identify switch0
	assert_failure 4
	assert_output "cxl-switch identify: switch0: Identify (0x0001): /dev/cxl/switch0: the mailbox timed out (ETIMEDOUT)"
}

# The emulator's MCTP side with messages the tool never sends
# (tests/emulator/mctp-probe: one raw request, the answer in hex).
PROBE=$TOP/tests/emulator/mctp-probe

@test "emulator mctp: a CCI request answered as DSP0234 says" {
	# Identify, tag 5: category 1, tag and opcode echoed, 18 payload bytes
	run "$EMU" --mctp 1:8 -- "$PROBE" 1:8 7 000500010000000000000000
	assert_success
	assert_output --regexp '^type 0x07 tag 0x0[0-7]: 01 05 00 01 00 12 00 00 00 00 00 00 36 1b 75 70 '
}

@test "emulator mctp: a length field that lies is Invalid Payload Length" {
	run "$EMU" --mctp 1:8 -- "$PROBE" 1:8 7 000500010004000000000000
	assert_success
	assert_output --regexp ': 01 05 00 01 00 00 00 00 16 00 00 00$'
}

@test "emulator mctp: another type, a response or a runt gets no answer" {
	run "$EMU" --mctp 1:8 -- "$PROBE" 1:8 8 000500010000000000000000
	assert_output "no answer"
	run "$EMU" --mctp 1:8 -- "$PROBE" 1:8 7 010500010000000000000000
	assert_output "no answer"
	run "$EMU" --mctp 1:8 -- "$PROBE" 1:8 7 0005000100
	assert_output "no answer"
	run "$EMU" --mctp 1:8 -- "$PROBE" 1:9 7 000500010000000000000000
	assert_failure 1
	assert_output "mctp-probe: No route to host"
}

@test "mctp: one change at a time, locked by the endpoint's lock file; the session's own" {
	local script=$BATS_TEST_TMPDIR/two.sh
	setup_state
	cat > "$script" <<-EOF2
		"$CXLSW" bind mctp:1:8 --vcs 0 --vppb 6 --port 14 --force > "$BATS_TEST_TMPDIR/a.out" 2>&1 &
		echo \$! > "$BATS_TEST_TMPDIR/a.pid"
		sleep 1
		"$CXLSW" unbind mctp:1:8 --vcs 0 --vppb 0 --force --no-lock-wait > "$BATS_TEST_TMPDIR/b.out" 2>&1
		echo \$? > "$BATS_TEST_TMPDIR/b.rc"
		wait \$!
		echo \$? > "$BATS_TEST_TMPDIR/a.rc"
		ls "\$UMOCKDEV_DIR/run/cxl-switch" > "$BATS_TEST_TMPDIR/locks"
	EOF2
	"$EMU" --mctp 1:8 --topology "$STATE_IN" --save "$STATE_OUT" \
		--fail 0x5101:delay=1500:1 --fail 0x5201:delay=1500:1 -- sh "$script"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/a.rc")" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/b.rc")" 8
	run cat "$BATS_TEST_TMPDIR/b.out"
	assert_output --partial "cxl-switch unbind: mctp:1:8: another change holds the switch: pid $(cat "$BATS_TEST_TMPDIR/a.pid") ("
	assert_equal "$(cat "$BATS_TEST_TMPDIR/locks")" "mctp-1-8.lock"
	assert_state_is '.vcss[0].vppbs[6] |= (.binding_status = "bound_port" | .port_id = 14)'
	[ ! -e /run/cxl-switch/mctp-1-8.lock ] || fail "the host's /run was used"
}

# A Type 3 device as an MCTP endpoint of its own (--mctp-type3 1:9:4, the
# device on switch0's port 4): DSP0281's message type 0x08, chosen from
# the endpoint's answer to Get Message Type Support.

@test "mctp type 3: identify over 0x08 answers as the switch's tunnel to it" {
	want=$(emu -- -j identify switch0 --port 4 | jq -S 'del(.switch, .target, .command, .version)')
	run emu --mctp 1:8 --mctp-type3 1:9:4 -- -j identify mctp:1:9
	assert_success
	echo "$output" | jq -e '.switch == "mctp:1:9" and .target == null'
	echo "$output" | jq -e --argjson s "$(topo '.ports[] | select(.port_id == 4) | .device.identify.serial')" \
		'.serial == $s and .component_type == "type3"'
	assert_equal "$(echo "$output" | jq -S 'del(.switch, .target, .command, .version)')" "$want"
	# the switch at 1:8 is still a switch
	run emu --mctp 1:8 --mctp-type3 1:9:4 -- -j identify mctp:1:8
	echo "$output" | jq -e '.component_type == "switch" and .num_physical_ports > 0'
}

@test "mctp type 3: list shows the device beside the switch" {
	run emu --mctp 1:8 --mctp-type3 1:9:4 -- -j list --mctp 1:8 --mctp 1:9
	assert_success
	echo "$output" | jq -e '[.switches[] | [.switch, .component_type]] ==
		[["switch0", "switch"], ["mctp:1:8", "switch"], ["mctp:1:9", "type3"]]'
	run emu --mctp 1:8 --mctp-type3 1:9:4 -- list --mctp 1:9
	assert_line --regexp '^mctp:1:9 +0x1b36 +0x0d93 +0x00c0ffee00000004 +type3 +1024 +- '
}

@test "mctp type 3: the device endpoint takes 0x08 only, the switch 0x07 only" {
	run "$EMU" --mctp 1:8 --mctp-type3 1:9:4 -- "$PROBE" 1:9 7 000500010000000000000000
	assert_output "no answer"
	run "$EMU" --mctp 1:8 --mctp-type3 1:9:4 -- "$PROBE" 1:9 8 000500010000000000000000
	assert_output --regexp '^type 0x08 tag 0x0[0-7]: 01 05 00 01 00 12 00 00 00 00 00 00 36 1b 93 0d '
	# component type (the last byte of Identify): 3, a Type 3 device
	assert_output --regexp ' 03$'
}

@test "emulator mctp: Get Message Type Support names the endpoint's CXL type" {
	# DSP0236 control message: Rq and instance ID 1, command 0x05
	run "$EMU" --mctp 1:8 --mctp-type3 1:9:4 -- "$PROBE" 1:8 0 8105
	assert_output --regexp ': 01 05 00 02 00 07$'
	run "$EMU" --mctp 1:8 --mctp-type3 1:9:4 -- "$PROBE" 1:9 0 8305
	assert_output --regexp ': 03 05 00 02 00 08$'
	# another control command: completion code 0x05, unsupported
	run "$EMU" --mctp 1:8 -- "$PROBE" 1:8 0 8101
	assert_output --regexp ': 01 01 05$'
	# a control response is not answered
	run "$EMU" --mctp 1:8 -- "$PROBE" 1:8 0 0105
	assert_output "no answer"
}

@test "emulator: --mctp-type3 takes NET:EID:PORT and needs --mctp" {
	run "$EMU" --mctp-type3 1:9:4 -- true
	assert_failure 2
	assert_output "cxl-switch-emu: --mctp-type3: needs --mctp"
	run "$EMU" --mctp 1:8 --mctp-type3 1:9 -- true
	assert_failure 2
	assert_output "cxl-switch-emu: 1:9: bad --mctp-type3, want NET:EID:PORT, EID 8-254, at most 4"
	run "$EMU" --mctp 1:8 --mctp-type3 1:9:256 -- true
	assert_failure 2
}

@test "mctp fault: a truncated message is malformed, exit 4" {
	# Identify's message is 12 + 18 bytes; cut inside the payload ...
	run emu --mctp 1:8 --fail 0x0001:cut=20 -- identify mctp:1:8
	assert_failure 4
	assert_output "cxl-switch identify: mctp:1:8: Identify (0x0001): the answer's header says 18 payload bytes, 8 arrived"
	# ... inside the CCI header ...
	run emu --mctp 1:8 --fail 0x0001:cut=8 -- identify mctp:1:8
	assert_failure 4
	assert_output "cxl-switch identify: mctp:1:8: Identify (0x0001): answer of 8 bytes is shorter than the CCI header"
	# ... and to nothing: not an answer to us, so the wait runs out
	run emu --mctp 1:8 --fail 0x0001:cut=0 -- identify mctp:1:8
	assert_failure 4
	assert_output "cxl-switch identify: mctp:1:8: Identify (0x0001): no answer from MCTP net 1 EID 8 within 2000 ms (timed out); answers with another tag were ignored"
}

@test "mctp fault: an answer for another opcode is malformed, exit 4" {
	run emu --mctp 1:8 --fail 0x5100:other-opcode -- identify mctp:1:8
	assert_failure 4
	assert_output "cxl-switch identify: mctp:1:8: Identify Switch Device (0x5100): the answer is for opcode 0x5101"
	# over the ioctl the driver builds the header: nothing to bend
	run emu --fail 0x5100:other-opcode --fail 0x0001:cut=8 -- identify switch0
	assert_success
}

# The real kernel instead of the shim: the emulator binds AF_MCTP sockets
# (--mctp-kernel) in a network namespace of its own whose lo carries the
# local EID 8, and the tool reaches it as mctp:1:8 through the kernel.
@test "mctp kernel: a real loopback endpoint answers as the shim does" {
	run "$EMU" --mctp-kernel 1:8 -- true
	if [[ $output == *"Address family not supported"* ]]; then
		skip "this kernel has no AF_MCTP sockets (CONFIG_MCTP): no real loopback endpoint"
	fi
	[ "$(id -u)" = 0 ] || skip "a network namespace for the loopback endpoint needs root"
	command -v unshare >/dev/null || skip "unshare (util-linux) is not installed"
	command -v mctp >/dev/null || skip "the mctp tool (package mctp) is not installed"
	want=$(emu --mctp 1:8 -- -j identify mctp:1:8)
	run unshare -n sh -c "ip link set lo up && mctp link set lo up &&
		mctp addr add 8 dev lo &&
		'$EMU' --mctp-kernel 1:8 -- '$CXLSW' -j identify mctp:1:8"
	assert_success
	assert_equal "$output" "$want"
}

@test "emulator: --mctp-kernel excludes the shim's options" {
	run "$EMU" --mctp-kernel 1:8 --mctp 1:8 -- true
	assert_failure 2
	assert_output "cxl-switch-emu: --mctp-kernel: excludes --mctp and --no-af-mctp"
	run "$EMU" --mctp-kernel 1:3 -- true
	assert_failure 2
}

# How the endpoint answers Get Message Type Support (--mctp-ctl)
@test "mctp: an endpoint that takes no CXL messages is refused, nothing sent" {
	run emu --mctp 1:8 --mctp-ctl pldm --stats "$BATS_TEST_TMPDIR/s.json" -- identify mctp:1:8
	assert_failure 4
	assert_output "cxl-switch identify: mctp:1:8: Identify (0x0001): MCTP net 1 EID 8 takes neither CXL FM-API (0x07) nor CXL CCI (0x08) messages (Get Message Type Support)"
	assert_equal "$(jq '.ioctls' "$BATS_TEST_TMPDIR/s.json")" 0
}

@test "mctp: an endpoint that answers Get Message Type Support with an error gets the FM-API" {
	want=$(emu --mctp 1:8 -- -j identify mctp:1:8)
	run emu --mctp 1:8 --mctp-ctl error -- -j identify mctp:1:8
	assert_success
	assert_equal "$output" "$want"
}

@test "mctp fault: no answer to Get Message Type Support times out, exit 4" {
	run emu --mctp 1:8 --mctp-ctl lost --stats "$BATS_TEST_TMPDIR/s.json" -- identify mctp:1:8
	assert_failure 4
	assert_output "cxl-switch identify: mctp:1:8: Identify (0x0001): no answer from MCTP net 1 EID 8 within 2000 ms (timed out)"
	assert_equal "$(jq '.ioctls' "$BATS_TEST_TMPDIR/s.json")" 0
}
