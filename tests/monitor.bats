#!/usr/bin/env bats
# monitor: changes made by another process on the same emulated switch
# (the emulator's whole child process tree sees the device), one line
# each; --count, --duration, SIGINT and SIGTERM end it cleanly.
bats_require_minimum_version 1.5.0
load helpers

setup() {
	setup_state
}

# Time for the monitor to take its first look: longer under a checker
# (CXLSW_WRAP, valgrind), which starts slowly.
SETTLE=0.5
[ -n "$CXLSW_WRAP" ] && SETTLE=5
export SETTLE

# monitor ARGS in the background, a bind and a PERST# assert from another
# process SETTLE seconds later, then wait for the monitor
watch_changes() {
	timeout 120 "$EMU" --topology "$STATE_IN" --save "$STATE_OUT" -- sh -c '
		bin=$1; shift
		$CXLSW_WRAP "$bin" monitor switch0 --interval 0.1 "$@" > "$BATS_TEST_TMPDIR/mon" &
		sleep $SETTLE
		"$bin" bind switch0 --vcs 0 --vppb 6 --port 14 --force >/dev/null || exit 1
		"$bin" port-control switch0 --port 4 --assert-perst --force >/dev/null || exit 1
		wait $!' sh "$CXLSW" "$@"
}

@test "monitor -j: a bind by another process, as vPPB, port and event lines" {
	run watch_changes --duration $((${SETTLE%.*} + 2)) -j
	assert_success
	run jq -s -c '.' "$BATS_TEST_TMPDIR/mon"
	assert_success
	lines=$output
	# every line a whole JSON object with a time and the switch
	echo "$lines" | jq -e 'all(.[]; .switch == "switch0" and (.time | test("^20[0-9-]+T[0-9:.]+Z$")))'
	echo "$lines" | jq -e --argjson t "$(topo '.ports[4].ltssm_state')" '
		any(.[]; .change == "vppb" and .vcs_id == 0 and .vppb_id == 6 and
			.to == {binding_status: "bound_port", port_id: 14, ld_id: null}) and
		any(.[]; .change == "port" and .port_id == 4 and
			.changes.ltssm_state == {from: $t, to: "detect"} and
			.changes.link_state_flags.to == ["perst_asserted", "prsnt_detected"]) and
		any(.[]; .change == "event" and .log == "info" and .record_type == "virtual_cxl_switch" and
			.record.event.vppb_id == 6 and .record.event.binding_status == "bound_port") and
		any(.[]; .change == "event" and .record_type == "physical_switch" and .record.event.port_id == 4)'
	# the first vPPB line starts from the topology's state
	echo "$lines" | jq -e '[.[] | select(.change == "vppb")][0].from == {binding_status: "unbound", port_id: null, ld_id: null}'
}

@test "monitor: human lines, one per change" {
	run watch_changes --duration $((${SETTLE%.*} + 2))
	assert_success
	run cat "$BATS_TEST_TMPDIR/mon"
	assert_line --regexp '^20[0-9-]+T[0-9:.]+Z switch0 vcs 0 vppb 6: (unbound|in_progress \(port 14\)) -> bound_port \(port 14\)$'
	assert_line --regexp '^20[0-9-]+T[0-9:.]+Z switch0 port 4: ltssm_state l0 -> detect, negotiated_link_width 8 -> 0, current_link_speed_gts 32.0 -> -, link_state_flags prsnt_detected -> perst_asserted,prsnt_detected$'
	assert_line --regexp '^20[0-9-]+T[0-9:.]+Z switch0 event info log, handle 1: virtual_cxl_switch vcs_id=0 vppb_id=6 event_type=binding_change binding_status=bound_port port_id=14 ld_id=- link_control=0x0000 slot_control=0x0000$'
}

@test "monitor --count: stops after N changes, exit 0" {
	run watch_changes --count 1 -j
	assert_success
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/mon")" 1
	jq -e .change "$BATS_TEST_TMPDIR/mon"
}

@test "monitor: SIGINT and SIGTERM end it with status 0 and whole lines" {
	for sig in INT TERM; do
		"$EMU" --topology "$STATE_IN" -- sh -c '
			$CXLSW_WRAP "$0" monitor switch0 --interval 0.05 -j > "$BATS_TEST_TMPDIR/mon" &
			pid=$!
			sleep $SETTLE
			for p in 4 5 6 7; do
				"$0" port-control switch0 --port $p --reset --force >/dev/null
			done
			sleep 0.3
			kill -'"$sig"' $pid
			wait $pid' "$CXLSW"
		assert_equal "$?" 0
		# no partial line: every line parses
		run jq -c .change "$BATS_TEST_TMPDIR/mon"
		assert_success
	done
}

@test "monitor --duration: nothing changes, nothing printed, it ends" {
	SECONDS=0
	run emu_state -- monitor switch0 --interval 0.2 --duration 0.7
	assert_success
	assert_output ''
	[ "$SECONDS" -lt 5 ]
	assert_state_untouched
}

@test "monitor: bad options are usage errors" {
	run "$CXLSW" monitor switch0 --interval 0
	assert_failure 2
	assert_output "cxl-switch monitor: invalid --interval '0': expected seconds from 0.01 to 86400, like 0.2"
	run "$CXLSW" monitor switch0 --interval soon
	assert_failure 2
	run "$CXLSW" monitor switch0 --count 0
	assert_failure 2
	assert_output "cxl-switch monitor: invalid --count '0': expected a number of changes from 1"
	run "$CXLSW" monitor switch0 --count 1 --duration 1
	assert_failure 2
	assert_output "cxl-switch monitor: give one of --count and --duration"
	run "$CXLSW" monitor switch0 --duration -1
	assert_failure 2
}

@test "monitor: a device failure while watching is reported, exit 4" {
	run --separate-stderr emu --fail 0x5101:errno=EIO:2 -- monitor switch0 --interval 0.05 -j
	assert_failure 4
	assert_equal "$stderr" "cxl-switch monitor: switch0: Get Physical Port State (0x5101): /dev/cxl/switch0: I/O error on the mailbox (EIO)"
	echo "$output" | jq -e '.error.exit_code == 4'
}
