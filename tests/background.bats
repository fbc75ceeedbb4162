#!/usr/bin/env bats
# Background operations (bg-status, abort, waiting, timeouts, Ctrl-C), the
# response limit, and the terminal: the typed confirmation and the
# progress bar, on a pseudo-terminal the emulator provides (--tty).
load helpers

setup() {
	setup_state
}

BIND=(bind switch0 --vcs 0 --vppb 6 --port 14)

@test "bg-status: nothing has run" {
	run emu -- bg-status switch0 -j
	assert_success
	assert_output '{"version":1,"command":"bg-status","switch":"switch0","target":null,"running":false,"percent_complete":0,"opcode":0,"name":null,"return_code":"Success","vendor_status":0}'
}

@test "bg-status: a running bind, then abort rolls it back" {
	run "$EMU" --topology "$STATE_IN" --save "$STATE_OUT" --bg-polls 10 -- sh -c "
		'$CXLSW' ${BIND[*]} --force --no-wait >/dev/null &&
		'$CXLSW' bg-status switch0 -j &&
		'$CXLSW' abort switch0 --force -j &&
		'$CXLSW' bg-status switch0 -j"
	assert_success
	echo "${lines[0]}" | jq -e '.running == true and .opcode == 20993 and .name == "Bind vPPB" and .percent_complete < 100'
	echo "${lines[1]}" | jq -e '.opcode == 5 and (.effect | startswith("aborts Bind vPPB (0x5201)"))'
	echo "${lines[2]}" | jq -e '.running == false and .return_code == "Aborted"'
	assert_state_untouched
}

@test "abort without --force: refused" {
	run emu_state -- abort switch0
	assert_failure 5
	assert_output "cxl-switch abort: refusing to send Request Abort Background Operation (a switch-config change) without --force: stdin is not a terminal"
}

@test "wait: --timeout ends the wait, the operation goes on, exit 6" {
	run emu_state --bg-polls 1000000 -- "${BIND[@]}" --force --timeout 1
	assert_failure 6
	assert_line --index 0 --regexp '^cxl-switch bind: switch0: Bind vPPB \(0x5201\): still running after 1000 ms \([0-9]+% done\): it goes on in the device$'
	assert_line --index 1 "cxl-switch bind: read back: vPPB 6 of VCS 0 is still in progress: the bind goes on in the device; see 'cxl-switch bg-status switch0' and 'cxl-switch list-vcs switch0 --vcs 0'"
	assert_equal "${#lines[@]}" 2
	run jq -c '.vcss[0].vppbs[6].binding_status' "$STATE_OUT"
	assert_output '"in_progress"'
}

# Start a bind that never ends with stdin from INPUT, press Ctrl-C after a
# second; $status and $BATS_TEST_TMPDIR/out hold what came of it.
# Emulator options as arguments.  (A job started with & reads /dev/null
# unless it is redirected itself.)
interrupt_bind() {
	local input=$1
	shift
	"$EMU" "$@" --topology "$STATE_IN" --save "$STATE_OUT" --bg-polls 1000000 \
		--syslog "$BATS_TEST_TMPDIR/log" -- \
		"$CXLSW" "${BIND[@]}" --force < "$input" > "$BATS_TEST_TMPDIR/out" 2>&1 &
	local pid=$!
	wait_for "$BATS_TEST_TMPDIR/log" "result=sending"
	sleep 0.3
	kill -INT "$pid"
	status=0
	wait "$pid" || status=$?
}

@test "wait: Ctrl-C off a terminal stops waiting, exit 6" {
	interrupt_bind /dev/null
	assert_equal "$status" 6
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 0 --regexp '^cxl-switch bind: switch0: Bind vPPB \(0x5201\): interrupted at [0-9]+%: the operation goes on in the device$'
	assert_line --index 1 "cxl-switch bind: read back: vPPB 6 of VCS 0 is still in progress: the bind goes on in the device; see 'cxl-switch bg-status switch0' and 'cxl-switch list-vcs switch0 --vcs 0'"
	assert_equal "${#lines[@]}" 2
}

@test "terminal: Ctrl-C asks whether to abort; yes aborts and nothing changes" {
	printf 'y\n' > "$BATS_TEST_TMPDIR/in"
	interrupt_bind "$BATS_TEST_TMPDIR/in" --tty
	assert_equal "$status" 6
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output --partial "Abort the operation on the device? [y/N] "
	assert_output --partial "cxl-switch bind: switch0: Bind vPPB was aborted on the device"
	assert_output --partial "cxl-switch bind: read back: vPPB 6 of VCS 0 is unbound as before: nothing changed"
	assert_state_untouched
}

@test "terminal: the confirmation says what changes and whom it affects" {
	run emu_state --tty -- "${BIND[@]}" < <(printf 'yes\n')
	assert_success
	assert_output --partial "About to send Bind vPPB (0x5201) to switch0:
  binds port 14 (no device) to vPPB 6 of VCS 0
  affects: the host on upstream port 0 (VCS 0) gains it
Type 'yes' to go on: "
	assert_state_is '.vcss[0].vppbs[6] |= (.binding_status = "bound_port" | .port_id = 14)'
}

@test "terminal: anything but yes sends nothing" {
	for answer in no y YES ""; do
		run emu_state --tty --stats "$BATS_TEST_TMPDIR/s.json" -- "${BIND[@]}" < <(printf '%s\n' "$answer")
		assert_failure 5
		assert_output --partial "cxl-switch bind: not confirmed: nothing was sent"
		assert_equal "$(jq '.opcodes."0x5201" // 0' "$BATS_TEST_TMPDIR/s.json")" 0
		assert_state_untouched
	done
}

@test "terminal: a progress bar on stderr while the operation runs" {
	run emu_state --tty --bg-polls 3 -- "${BIND[@]}" --force
	assert_success
	assert_output --partial "Bind vPPB: [#####---------------]  25%"
	assert_output --partial "Bind vPPB: [####################] 100%"
}

@test "no terminal: no progress bar" {
	run emu_state --bg-polls 3 -- "${BIND[@]}" --force
	assert_success
	refute_output --partial "Bind vPPB: ["
}

@test "response limit: get, set, and the next listing splits to it" {
	run "$EMU" --topology "$STATE_IN" --stats "$BATS_TEST_TMPDIR/s.json" -- sh -c "
		'$CXLSW' get-response-limit switch0 -j &&
		'$CXLSW' set-response-limit switch0 256 --force -j &&
		'$CXLSW' get-response-limit switch0 -j &&
		'$CXLSW' list-ports switch0 -j >/dev/null"
	assert_success
	echo "${lines[0]}" | jq -e --argjson m "$(topo .max_msg_size)" '.response_limit == $m'
	echo "${lines[1]}" | jq -e '.request == "08" and .response_limit == 256'
	echo "${lines[2]}" | jq -e '.response_limit == 256'
	# 32 ports, 15 per answer: 3 port-state requests
	assert_equal "$(jq '.opcodes."0x5101"' "$BATS_TEST_TMPDIR/s.json")" 3
}

@test "set-response-limit: bad values are usage errors" {
	for bad in 100 300 2097152 x; do
		run "$CXLSW" set-response-limit switch0 "$bad"
		assert_failure 2
		assert_output "cxl-switch set-response-limit: invalid limit '$bad': expected a power of two from 256 to 1048576 bytes"
	done
	run emu -- set-response-limit switch0 4096 --force
	assert_failure 2
	assert_output "cxl-switch set-response-limit: limit 4096 is larger than switch0's largest message (2048 bytes)"
}

@test "Busy from a running background operation: named, with bg-status to see it" {
	run "$EMU" --topology "$STATE_IN" --save "$STATE_OUT" --bg-polls 100 -- sh -c "
		'$CXLSW' ${BIND[*]} --force --no-wait >/dev/null &&
		'$CXLSW' bind switch0 --vcs 0 --vppb 7 --port 15 --force"
	assert_failure 1
	assert_line --index 0 --regexp "^cxl-switch bind: switch0: Bind vPPB \(0x5201\): Busy \(0x06\), still after 6 attempts: another operation runs in the background: Bind vPPB \(0x5201\), [0-9]+% done; see 'cxl-switch bg-status switch0', or wait for it$"
	assert_line --index 1 "cxl-switch bind: read back: vPPB 7 of VCS 0 is unbound as before: nothing changed"
	run jq -c '.vcss[0].vppbs[7].binding_status' "$STATE_OUT"
	assert_output '"unbound"'
}

@test "Busy with nothing running in the background: the device's word, no guess" {
	run emu_state --fail 0x5201:busy -- "${BIND[@]}" --force
	assert_failure 1
	assert_line --index 0 "cxl-switch bind: switch0: Bind vPPB (0x5201): Busy (0x06), still after 6 attempts"
	assert_state_untouched
}
