#!/usr/bin/env bats
# SIGTERM and SIGHUP end a change as SIGINT does: what can be aborted (a
# firmware transfer) is aborted, the state is read back and told, the
# change is logged, the terminal's progress line is ended, exit 6.  The
# signals go with kill to the tool's own process inside the emulator.
bats_require_minimum_version 1.5.0
load helpers

setup() {
	setup_state
	FWIMG=$TOP/tests/fw-image
	LOG=$BATS_TEST_TMPDIR/syslog
	OUT=$BATS_TEST_TMPDIR/out
	PIDS=$BATS_TEST_TMPDIR/pids
}

fw_state() {
	jq '. + {firmware: {slots_supported: 3, active_slot: 2, staged_slot: 3,
		online_activation: true, revisions: ["1.0.0", "1.1.0", "1.2.0-rc1"]}}' \
		"$DEFAULT_TOPO" > "$STATE_IN"
	"$FWIMG" "$BATS_TEST_TMPDIR/big.bin" 2.0.0 200000
	"$FWIMG" "$BATS_TEST_TMPDIR/small.bin" 3.0.0 5000
}

# start SCRIPT [EMU-OPTIONS...]: run the sh script in the emulator in the
# background (output in $OUT); the script writes the pids to signal, one a
# line, into $PIDS.  Waits until the first is there.
start() {
	local script=$1
	shift
	rm -f "$PIDS"
	"$EMU" --topology "$STATE_IN" --save "$STATE_OUT" --syslog "$LOG" "$@" -- \
		sh -c "$script" > "$OUT" 2>&1 &
	EMU_PID=$!
	for _ in $(seq 100); do
		[ -s "$PIDS" ] && break
		sleep 0.1
	done
}

# The emulator's exit status in RC (the tool's), its output in $output.
finish() {
	RC=0
	wait "$EMU_PID" || RC=$?
	run cat "$OUT"
}

# A big transfer, SIG sent to it after a second; then, in the same session,
# a small update to the same slot, which finds no transfer left in progress.
fw_signal() {
	fw_state
	start "'$CXLSW' fw-update switch0 '$BATS_TEST_TMPDIR/big.bin' --slot 1 --force & echo \$! > '$PIDS'
		wait \$!; echo \"first: \$?\"
		'$CXLSW' fw-update switch0 '$BATS_TEST_TMPDIR/small.bin' --slot 1 --force >/dev/null; echo \"second: \$?\"" \
		--latency 20
	wait_for "$LOG" "result=sending"
	sleep 0.3
	kill -"$1" "$(head -1 "$PIDS")"
	finish
}

@test "SIGTERM during fw-update: the transfer is aborted, the slot read back, logged, exit 6" {
	fw_signal TERM
	assert_success
	assert_line --index 0 --regexp '^cxl-switch fw-update: switch0: Transfer FW \(0x0201\): interrupted after [0-9]+ of 200000 bytes: the transfer was aborted$'
	assert_line --index 1 "cxl-switch fw-update: read back: slot 1 holds 1.0.0 as before, slot 2 is active: nothing changed"
	assert_line --index 2 "first: 6"
	# the device dropped the transfer: the next update is not refused with 0x08
	assert_line --index 3 "second: 0"
	grep -qE 'command=fw-update .*result=interrupted by SIGTERM: Transfer FW \(0x0201\): interrupted after [0-9]+ of 200000 bytes: the transfer was aborted; read back: slot 1 holds 1.0.0 as before' "$LOG"
	assert_state_is '.firmware.revisions[0] = "3.0.0"'
}

@test "SIGHUP during fw-update: the same" {
	fw_signal HUP
	assert_line --index 2 "first: 6"
	assert_line --index 3 "second: 0"
	grep -q 'result=interrupted by SIGHUP: ' "$LOG"
}

@test "SIGTERM during a bind's wait: the bind goes on, read back, logged, exit 6" {
	start "'$CXLSW' bind switch0 --vcs 0 --vppb 6 --port 14 --force & echo \$! > '$PIDS'; wait \$!" \
		--bg-polls 1000000
	wait_for "$LOG" "result=sending"
	sleep 0.3
	kill -TERM "$(cat "$PIDS")"
	finish
	assert_equal "$RC" 6
	assert_line --index 0 --regexp '^cxl-switch bind: switch0: Bind vPPB \(0x5201\): interrupted at [0-9]+%: the operation goes on in the device$'
	assert_line --index 1 "cxl-switch bind: read back: vPPB 6 of VCS 0 is still in progress: the bind goes on in the device; see 'cxl-switch bg-status switch0' and 'cxl-switch list-vcs switch0 --vcs 0'"
	grep -q 'command=bind .*result=interrupted by SIGTERM: .*; read back: vPPB 6 of VCS 0 is still in progress' "$LOG"
	run jq -c '.vcss[0].vppbs[6].binding_status' "$STATE_OUT"
	assert_output '"in_progress"'
}

@test "SIGTERM while waiting for the lock: nothing sent, exit 6" {
	start "'$CXLSW' set-lds switch0 --port 7 12=2G --force >/dev/null 2>&1 &
		until grep -Eq \" FLOCK +ADVISORY +WRITE +\$! \" /proc/locks; do sleep 0.1; done
		'$CXLSW' set-lds switch0 --port 7 13=1G --force & echo \$! > '$PIDS'; wait \$!; echo \"waiter: \$?\"; wait" \
		--fail 0x5402:delay=4000:1 --stats "$BATS_TEST_TMPDIR/s.json"
	wait_for "$OUT" "waiting for pid"
	kill -TERM "$(cat "$PIDS")"
	finish
	assert_line --index 1 "cxl-switch set-lds: interrupted by SIGTERM: nothing was sent"
	assert_line --index 2 "waiter: 6"
	assert_equal "$(jq '.opcodes."0x5300>0x5402"' "$BATS_TEST_TMPDIR/s.json")" 1
	assert_state_is '(.ports[] | select(.port_id == 7) | .device.mld.lds[12].range1_multiplier) = 2'
}

@test "SIGTERM at the confirmation prompt: nothing sent, logged, exit 6" {
	# exec: a job sh starts with & would read /dev/null, not the terminal
	"$EMU" --topology "$STATE_IN" --save "$STATE_OUT" --syslog "$LOG" --tty \
		--stats "$BATS_TEST_TMPDIR/s.json" -- sh -c "
		echo \$\$ > '$PIDS'; exec '$CXLSW' bind switch0 --vcs 0 --vppb 6 --port 14" \
		< <(sleep 4) > "$OUT" 2>&1 &
	EMU_PID=$!
	wait_for "$OUT" "Type 'yes' to go on: "
	kill -TERM "$(cat "$PIDS")"
	finish
	assert_equal "$RC" 6
	assert_output --partial "Type 'yes' to go on: cxl-switch bind: interrupted by SIGTERM: nothing was sent"
	assert_equal "$(jq '.opcodes."0x5201" // 0' "$BATS_TEST_TMPDIR/s.json")" 0
	grep -q 'command=bind .*result=interrupted before sending: nothing was sent' "$LOG"
	assert_state_untouched
}

@test "SIGTERM on a terminal: the progress bar's line is ended before the message" {
	fw_state
	"$EMU" --topology "$STATE_IN" --save "$STATE_OUT" --syslog "$LOG" --tty --latency 20 -- sh -c "
		'$CXLSW' fw-update switch0 '$BATS_TEST_TMPDIR/big.bin' --slot 1 --force & echo \$! > '$PIDS'; wait \$!; echo \"exit \$?\"" \
		< /dev/null > "$OUT" 2>&1 &
	EMU_PID=$!
	wait_for "$LOG" "result=sending"
	sleep 0.3
	kill -TERM "$(cat "$PIDS")"
	finish
	assert_output --partial "Transfer FW: ["
	assert_line --regexp '^cxl-switch fw-update: switch0: Transfer FW \(0x0201\): interrupted after [0-9]+ of 200000 bytes: the transfer was aborted$'
	assert_line "exit 6"
	assert_state_untouched
}
