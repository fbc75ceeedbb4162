#!/usr/bin/env bats
# One change at a time per switch: two tool processes against one emulated
# switch (one emulator session runs both), the first held up by a slow
# device (--fail OPCODE:delay=MS), the second waiting for it, refused with
# --no-lock-wait, or giving up after --timeout.
bats_require_minimum_version 1.5.0
load helpers

setup() {
	setup_state
	FWIMG=$TOP/tests/fw-image
}

# run_two [EMU-OPTIONS...] -- "A ARGS" "B ARGS": tool A in the background,
# then, once A holds the switch's lock (and the shell test B_AFTER, when
# given, holds), tool B, in one emulator session against STATE_IN,
# saved to STATE_OUT.  Sets APID, ARC and BRC; A's and B's output (stdout
# and stderr) are in $A_OUT and $B_OUT.
run_two() {
	local opts=() script=$BATS_TEST_TMPDIR/two.sh
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	A_OUT=$BATS_TEST_TMPDIR/a.out
	B_OUT=$BATS_TEST_TMPDIR/b.out
	cat > "$script" <<-EOF
		"$CXLSW" $1 > "$A_OUT" 2>&1 &
		echo \$! > "$BATS_TEST_TMPDIR/a.pid"
		# B starts once A holds the lock (/proc/locks), not after a guess
		# at how long A takes to start; at most 10 s
		for i in \$(seq 100); do
			grep -Eq " FLOCK +ADVISORY +WRITE +\$! " /proc/locks && break
			sleep 0.1
		done
		# and, with B_AFTER, once that holds too (A's own request sent)
		for i in \$(seq 100); do
			${B_AFTER:-true} && break
			sleep 0.1
		done
		"$CXLSW" $2 > "$B_OUT" 2>&1
		echo \$? > "$BATS_TEST_TMPDIR/b.rc"
		wait \$!
		echo \$? > "$BATS_TEST_TMPDIR/a.rc"
	EOF
	"$EMU" --topology "$STATE_IN" --save "$STATE_OUT" "${opts[@]}" -- sh "$script"
	APID=$(cat "$BATS_TEST_TMPDIR/a.pid")
	ARC=$(cat "$BATS_TEST_TMPDIR/a.rc")
	BRC=$(cat "$BATS_TEST_TMPDIR/b.rc")
}

LD='(.ports[] | select(.port_id == 7) | .device.mld.lds)'
SET_A="set-lds switch0 --port 7 12=2G 14=1G --force"

@test "lost update: a set-lds that read before another wrote does not write back its stale read" {
	# A's read of the allocations takes 3 s; B sets LD 13 meanwhile.  A's
	# request covers LDs 12-14: from a stale read it would put LD 13 back.
	run_two --fail 0x5401:delay=3000:1 -- "$SET_A" "set-lds switch0 --port 7 13=1G --force"
	assert_equal "$ARC" 0
	assert_equal "$BRC" 0
	assert_state_is "$LD[12].range1_multiplier = 2 | $LD[13].range1_multiplier = 1 | $LD[14].range1_multiplier = 1"
	run cat "$B_OUT"
	assert_line --index 0 "cxl-switch set-lds: switch0: waiting for pid $APID ($CXLSW $SET_A), which is changing the switch"
	# B's effect was computed from the state A left
	assert_line --index 2 "  effect:  LD 13 0 bytes -> 1 GiB on port 7 (100 GiB of 256 GiB allocated after)"
}

@test "--no-lock-wait: refused at once, exit 8, the holder named, nothing sent" {
	run_two --stats "$BATS_TEST_TMPDIR/s.json" --fail 0x5402:delay=3000:1 -- "$SET_A" \
		"set-lds switch0 --port 7 13=1G --force --no-lock-wait"
	assert_equal "$ARC" 0
	assert_equal "$BRC" 8
	run cat "$B_OUT"
	assert_output "cxl-switch set-lds: switch0: another change holds the switch: pid $APID ($CXLSW $SET_A); not waiting (--no-lock-wait), nothing was sent"
	assert_equal "$(jq '.opcodes."0x5300>0x5402"' "$BATS_TEST_TMPDIR/s.json")" 1
	assert_state_is "$LD[12].range1_multiplier = 2 | $LD[14].range1_multiplier = 1"
}

@test "--no-lock-wait in JSON mode: one error object, exit code 8" {
	run_two --fail 0x5201:delay=3000:1 -- "bind switch0 --vcs 0 --vppb 6 --port 14 --force" \
		"unbind switch0 --vcs 0 --vppb 0 --force --no-lock-wait -j"
	assert_equal "$BRC" 8
	# stderr's line, and one JSON document
	assert_equal "$(grep -c '^{' "$B_OUT")" 1
	grep '^{' "$B_OUT" | jq -e --arg pid "$APID" '.error.exit_code == 8 and .error.command == "unbind" and
		(.error.message | startswith("switch0: another change holds the switch: pid \($pid) ("))'
	assert_state_is '.vcss[0].vppbs[6] |= (.binding_status = "bound_port" | .port_id = 14)'
}

@test "waiting ends at --timeout: exit 8, nothing sent" {
	run_two --fail 0x5402:delay=4000:1 -- "$SET_A" "set-lds switch0 --port 7 13=1G --force --timeout 1"
	assert_equal "$ARC" 0
	assert_equal "$BRC" 8
	run cat "$B_OUT"
	assert_output "cxl-switch set-lds: switch0: waiting for pid $APID ($CXLSW $SET_A), which is changing the switch
cxl-switch set-lds: switch0: pid $APID ($CXLSW $SET_A) still holds the switch after 1 s (--timeout): nothing was sent"
	assert_state_is "$LD[12].range1_multiplier = 2 | $LD[14].range1_multiplier = 1"
}

@test "a dry run takes no lock: it runs while another change holds the switch" {
	run_two --fail 0x5402:delay=3000:1 -- "$SET_A" "set-lds switch0 --port 7 13=1G --dry-run"
	assert_equal "$BRC" 0
	run cat "$B_OUT"
	assert_line --index 0 "switch0 port 7: Set LD Allocations (0x5402) not sent (dry run)"
	refute_output --partial "waiting for"
}

@test "a second fw-update waits: no abort kills the first transfer, both images land in turn" {
	jq '. + {firmware: {slots_supported: 3, active_slot: 2, staged_slot: 3,
		online_activation: true, revisions: ["1.0.0", "1.1.0", "1.2.0-rc1"]}}' \
		"$DEFAULT_TOPO" > "$STATE_IN"
	"$FWIMG" "$BATS_TEST_TMPDIR/a.bin" 2.0.0 200000
	"$FWIMG" "$BATS_TEST_TMPDIR/b.bin" 3.0.0 5000
	run_two --latency 20 --stats "$BATS_TEST_TMPDIR/s.json" -- \
		"fw-update switch0 $BATS_TEST_TMPDIR/a.bin --slot 1 --force" \
		"fw-update switch0 $BATS_TEST_TMPDIR/b.bin --slot 1 --force"
	assert_equal "$ARC" 0
	assert_equal "$BRC" 0
	run cat "$B_OUT"
	assert_line --index 0 "cxl-switch fw-update: switch0: waiting for pid $APID ($CXLSW fw-update switch0 $BATS_TEST_TMPDIR/a.bin --slot 1 --force), which is changing the switch"
	# 105 requests for A (1920 bytes each), 3 for B, no abort
	assert_equal "$(jq '.opcodes."0x0201"' "$BATS_TEST_TMPDIR/s.json")" 108
	assert_state_is '.firmware.revisions[0] = "3.0.0"'
}

@test "a second fw-update with --no-lock-wait: exit 8, the first transfer completes" {
	jq '. + {firmware: {slots_supported: 3, active_slot: 2, staged_slot: 3,
		online_activation: true, revisions: ["1.0.0", "1.1.0", "1.2.0-rc1"]}}' \
		"$DEFAULT_TOPO" > "$STATE_IN"
	"$FWIMG" "$BATS_TEST_TMPDIR/a.bin" 2.0.0 200000
	"$FWIMG" "$BATS_TEST_TMPDIR/b.bin" 3.0.0 5000
	run_two --latency 20 -- "fw-update switch0 $BATS_TEST_TMPDIR/a.bin --slot 1 --force" \
		"fw-update switch0 $BATS_TEST_TMPDIR/b.bin --slot 3 --force --no-lock-wait"
	assert_equal "$ARC" 0
	assert_equal "$BRC" 8
	assert_state_is '.firmware.revisions[0] = "2.0.0"'
}

@test "the lock is taken before the confirmation: a prompt holds off another change" {
	# A waits at its prompt on a terminal; B starts once /proc/locks shows
	# A's lock and finds it taken; only then is A's 'yes' typed, so A held
	# the lock before its confirmation.  (Both write to the terminal.)
	local done=$BATS_TEST_TMPDIR/b.done
	run "$EMU" --topology "$STATE_IN" --save "$STATE_OUT" --tty -- sh -c "
		'$CXLSW' set-lds switch0 --port 7 12=2G 14=1G < /dev/tty &
		a=\$!
		until grep -Eq \" FLOCK +ADVISORY +WRITE +\$a \" /proc/locks; do sleep 0.1; done
		'$CXLSW' set-lds switch0 --port 7 13=1G --force --no-lock-wait
		echo \"B exit \$?\"; touch '$done'
		wait \$a; echo \"A exit \$?\"" < <(until [ -e "$done" ]; do sleep 0.1; done; printf 'yes\n')
	assert_line --partial "Type 'yes' to go on: "
	assert_output --regexp "cxl-switch set-lds: switch0: another change holds the switch: pid [0-9]+ \\($CXLSW set-lds switch0 --port 7 12=2G 14=1G\\); not waiting \\(--no-lock-wait\\), nothing was sent"
	assert_line "B exit 8"
	assert_line "A exit 0"
	assert_state_is "$LD[12].range1_multiplier = 2 | $LD[14].range1_multiplier = 1"
}

@test "config-read is a read: it takes no lock" {
	run_two --fail 0x5402:delay=3000:1 -- "$SET_A" "config-read switch0 --port 4 --offset 0 --width 4 -j"
	assert_equal "$BRC" 0
	run cat "$B_OUT"
	refute_output --partial "waiting for"
	jq -e '.status == "done"' <<<"$output"
}

@test "abort is not held off by the lock: it stops the bind that holds it" {
	# the lock is taken before the bind is sent: abort once it runs
	B_AFTER="'$CXLSW' bg-status switch0 -j | grep -q '\"running\":true'" \
	run_two --bg-polls 1000000 -- "bind switch0 --vcs 0 --vppb 6 --port 14 --force" \
		"abort switch0 --force --no-lock-wait"
	assert_equal "$BRC" 0
	assert_equal "$ARC" 1
	run cat "$A_OUT"
	assert_output "cxl-switch bind: switch0: Bind vPPB (0x5201): background operation ended with Aborted (0x12)
cxl-switch bind: read back: vPPB 6 of VCS 0 is unbound as before: nothing changed"
	assert_state_untouched
}

@test "completion offers --no-lock-wait to a changing command" {
	run bash -c 'source "$1" && COMP_WORDS=("$2" bind switch0 --no-l) COMP_CWORD=3 && _cxl_switch && printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$TOP/completions/cxl-switch.bash" "$CXLSW"
	assert_success
	assert_output "--no-lock-wait"
}
