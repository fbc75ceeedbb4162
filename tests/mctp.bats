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

# JSON with the switch's names made one: switch0 and its /dev path over
# the ioctl, mctp:1:8 over MCTP.
same_names() {
	jq -S 'walk(if type == "string" then
		gsub("/dev/cxl/switch0|switch0|mctp:1:8"; "SWITCH") else . end)'
}

# COMMAND's JSON over both transports, equal but for the name.
assert_same_over_mctp() {
	local cmd=$1 ioctl mctp
	shift
	ioctl=$(emu -- -j "$cmd" switch0 "$@" | same_names) ||
		fail "$cmd over the ioctl failed"
	mctp=$(emu --mctp 1:8 -- -j "$cmd" mctp:1:8 "$@" | same_names) ||
		fail "$cmd over MCTP failed"
	[ -n "$ioctl" ] && [ "$ioctl" != null ] || fail "$cmd printed nothing"
	[ "$ioctl" = "$mctp" ] ||
		fail "$cmd differs: $(diff <(echo "$ioctl") <(echo "$mctp") | head -20)"
}

@test "mctp: identify answers as over the ioctl, named mctp:1:8" {
	assert_same_over_mctp identify
	run emu --mctp 1:8 -- -j identify mctp:1:8
	assert_success
	echo "$output" | jq -e '.switch == "mctp:1:8" and .path == "mctp:1:8"'
	echo "$output" | jq -e --argjson s "$(topo .identify.serial)" '.serial == $s'
	run emu --mctp 1:8 -- identify mctp:1:8
	assert_success
	assert_line --regexp '^switch +mctp:1:8$'
}

@test "mctp: list-ports, list-vcs, list-devices as over the ioctl" {
	assert_same_over_mctp list-ports
	assert_same_over_mctp list-vcs
	# list-devices tunnels (0x5300) to the devices: the tunnel rides MCTP
	assert_same_over_mctp list-devices
}

@test "mctp: topology and commands as over the ioctl" {
	assert_same_over_mctp topology
	assert_same_over_mctp commands
}

@test "mctp: a tunnelled command to a device behind a port" {
	assert_same_over_mctp identify --port 5
}

@test "mctp: every other read-only command as over the ioctl" {
	assert_same_over_mctp config-read --port 4 --offset 0
	assert_same_over_mctp bg-status
	assert_same_over_mctp get-response-limit
	assert_same_over_mctp fw-info
	assert_same_over_mctp events
	assert_same_over_mctp event-policy
	assert_same_over_mctp timestamp
	assert_same_over_mctp list-lds --port 5
	assert_same_over_mctp dcd-info --port 12
	assert_same_over_mctp dc-extents --port 12
	assert_same_over_mctp qos --port 5
	assert_same_over_mctp mhd-info --port 20
}

# A change over each transport from the same state: the same JSON apart
# from the name, the same saved state (the running clock aside), and not
# the state it started from.
assert_same_change_over_mctp() {
	local cmd=$1 ioctl mctp
	shift
	ioctl=$(emu --topology "$STATE_IN" --save "$BATS_TEST_TMPDIR/a.json" -- \
		-j "$cmd" switch0 "$@" | same_names) || fail "$cmd over the ioctl failed"
	mctp=$(emu --topology "$STATE_IN" --save "$BATS_TEST_TMPDIR/b.json" --mctp 1:8 -- \
		-j "$cmd" mctp:1:8 "$@" | same_names) || fail "$cmd over MCTP failed"
	[ "$ioctl" = "$mctp" ] ||
		fail "$cmd differs: $(diff <(echo "$ioctl") <(echo "$mctp") | head -20)"
	[ "$(jq -S -c 'del(.timestamp_ns)' "$BATS_TEST_TMPDIR/a.json")" = \
	  "$(jq -S -c 'del(.timestamp_ns)' "$BATS_TEST_TMPDIR/b.json")" ] ||
		fail "$cmd left another state over MCTP"
	[ "$(jq -S -c 'del(.timestamp_ns)' "$STATE_IN")" != \
	  "$(jq -S -c 'del(.timestamp_ns)' "$BATS_TEST_TMPDIR/b.json")" ] ||
		fail "$cmd changed nothing"
}

@test "mctp: the change commands change the switch as over the ioctl" {
	assert_same_change_over_mctp unbind --vcs 0 --vppb 5 --force
	assert_same_change_over_mctp port-control --port 14 --reset --force
	assert_same_change_over_mctp set-lds --port 7 1=4G --force
	assert_same_change_over_mctp dc-add --port 12 --host 1 --region 0 --size 64M --force
	assert_same_change_over_mctp event-policy --set info=notify --force
	assert_same_change_over_mctp config-write --port 4 --offset 0x80 --value 1 --force
	"$TOP/tests/fw-image" "$BATS_TEST_TMPDIR/fw.bin" 2.0.0 5000
	assert_same_change_over_mctp fw-update "$BATS_TEST_TMPDIR/fw.bin" --activate online --force
}

@test "list --mctp: the endpoint's switch is listed beside the host's" {
	run emu --mctp 1:8 -- -j list --mctp 1:8
	assert_success
	echo "$output" | jq -e '[.[].switch] == ["switch0", "mctp:1:8"]'
	echo "$output" | jq -e '.[0].serial == .[1].serial'
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

@test "mctp: bind --force changes the switch, audit names mctp:1:8" {
	run emu_state --mctp 1:8 --syslog "$BATS_TEST_TMPDIR/log" -- \
		bind mctp:1:8 --vcs 0 --vppb 6 --port 14 --force
	assert_success
	assert_line --index 0 "mctp:1:8: Bind vPPB (0x5201) done"
	assert_state_is '.vcss[0].vppbs[6] |= (.binding_status = "bound_port" | .port_id = 14)'
	run grep -c 'switch=mctp:1:8 serial=0x0123456789abcdef target="switch" command=bind opcode=0x5201 (Bind vPPB) .* result=success' "$BATS_TEST_TMPDIR/log"
	assert_output 1
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
