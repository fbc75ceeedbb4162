#!/usr/bin/env bats
# events (0x0100, 0x0101): records the emulated switch
# wrote itself (a bind, a port reset) and records written into the
# topology by hand, decoded field by field and checked against the saved
# bytes; clearing exactly what was shown.
bats_require_minimum_version 1.5.0
load helpers

setup() {
	setup_state
}

le16() { printf '%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)); }
le64() {
	local v=$1 i
	for i in 0 1 2 3 4 5 6 7; do printf '%02x' $(((v >> (8 * i)) & 255)); done
}

# record UUIDHEX FLAGS(u24) HANDLE RELATED TS CLASS SUBCLASS LD HEAD DATAHEX:
# one 128-byte record as the topology's 256 hex digits
record() {
	local data=${10}
	printf '%s80%02x%02x%02x%s%s%s%02x%02x%s%02x0000000000000000000000%s' \
		"$1" $(($2 & 255)) $(($2 >> 8 & 255)) $(($2 >> 16 & 255)) \
		"$(le16 "$3")" "$(le16 "$4")" "$(le64 "$5")" "$6" "$7" \
		"$(le16 "$8")" "$9" "$data$(printf '0%.0s' $(seq $((160 - ${#data}))))"
}

MLD_UUID=8dc443630c964710b7bf04bb99534c3f
OTHER_UUID=fbcd0a77c260417f85a9088b1621eba6
TS=1764018000123456789

# Two records by hand: an MLD port event in the warning log (flags:
# warning, maintenance needed) and an unknown one in the failure log.
hand_made() {
	jq --arg m "$(record $MLD_UUID $((1 | 1 << 3)) 7 5 $TS 2 1 3 1 "000c0000efbeadde78563412")" \
	   --arg o "$(record $OTHER_UUID $((2 | 1 << 2 | 1 << 4 | 1 << 5)) 9 0 0 0 0 0 0 "0102030405")" '
		. + {event_logs: {capacity: 16, next_handle: 10,
			info: {overflow_count: 0, first_overflow_ns: 0, last_overflow_ns: 0, records: []},
			warning: {overflow_count: 0, first_overflow_ns: 0, last_overflow_ns: 0, records: [$m]},
			failure: {overflow_count: 0, first_overflow_ns: 0, last_overflow_ns: 0, records: [$o]},
			fatal: {overflow_count: 0, first_overflow_ns: 0, last_overflow_ns: 0, records: []},
			dcd: {overflow_count: 0, first_overflow_ns: 0, last_overflow_ns: 0, records: []}}}' \
		"$DEFAULT_TOPO" > "$STATE_IN"
}

# A bind and a PERST# assert on the default topology: the switch logs both.
two_changes() {
	jq '. + {timestamp_ns: 1764018000000000000}' "$DEFAULT_TOPO" > "$BATS_TEST_TMPDIR/t0.json"
	emu --topology "$BATS_TEST_TMPDIR/t0.json" --save "$BATS_TEST_TMPDIR/t1.json" -- \
		bind switch0 --vcs 0 --vppb 6 --port 14 --force >/dev/null
	emu --topology "$BATS_TEST_TMPDIR/t1.json" --save "$STATE_IN" -- \
		port-control switch0 --port 4 --assert-perst --force >/dev/null
}

@test "events: a bind is a Virtual CXL Switch Event, every field from the bytes" {
	two_changes
	raw=$(topo '.event_logs.info.records[0]' "$STATE_IN" | tr -d '"')
	[ "${raw:0:32}" = 40d2642533964c4da5da3d47263af425 ]
	run emu_state -- events switch0 --log info -j
	assert_success
	echo "$output" | jq -e --arg raw "$raw" '.logs[0] as $l | $l.log == "info" and ($l.records | length) == 2 and
		($l.records[0] | .record_type == "virtual_cxl_switch" and .uuid == "40d26425-3396-4c4d-a5da-3d47263af425" and
		 .length == 128 and .severity == "info" and .handle == 1 and .related_handle == 0 and
		 .timestamp_ns >= 1764018000000000000 and (.timestamp | startswith("2025-11-24T21:00:0")) and
		 .event == {vcs_id: 0, vppb_id: 6, event_type: "binding_change", binding_status: "bound_port",
			    port_id: 14, ld_id: null, link_control: 0, slot_control: 0})'
	# the decoded VCS id, vPPB id, binding and port are the saved bytes 30h-34h
	[ "${raw:96:12}" = 00060002 ] || [ "${raw:96:12}" = 000600020eff ]
	assert_state_untouched
}

# r3.2: LD id (22h) and head id (24h) say something only with flag bit 7 /
# bit 8; an r3.1 record has reserved bytes there (hand_made's MLD record:
# LD 3 and head 1 in the bytes, neither flag).
@test "events: LD id and head id only when flag bits 7 and 8 say they are valid" {
	local ld_only head_only
	ld_only=$(record $MLD_UUID $((1 | 1 << 7)) 7 0 $TS 0 0 3 1 "000c")
	head_only=$(record $MLD_UUID $((1 | 1 << 8)) 8 0 $TS 0 0 3 1 "000c")
	jq --arg a "$ld_only" --arg b "$head_only" '. + {event_logs: {capacity: 16, next_handle: 9,
		warning: {overflow_count: 0, first_overflow_ns: 0, last_overflow_ns: 0, records: [$a, $b]}}}' \
		"$DEFAULT_TOPO" > "$STATE_IN"
	run emu_state -- events switch0 --log warning -j
	assert_success
	run jq -c '[.logs[0].records[] | [.ld_id, .head_id]]' <<<"$output"
	assert_output '[[3,null],[null,1]]'
	hand_made
	run emu_state -- events switch0 --log warning -j
	run jq -c '[.logs[0].records[] | [.ld_id, .head_id]]' <<<"$output"
	assert_output '[[null,null]]'
}

@test "events: a PERST# assert is a Physical Switch Event with the port's new state" {
	two_changes
	port=$(emu --topology "$STATE_IN" -- list-ports switch0 --port 4 -j | jq -c '.ports[0]')
	run emu_state -- events switch0 --log info -j
	assert_success
	echo "$output" | jq -e --argjson p "$port" '.logs[0].records[1] |
		.record_type == "physical_switch" and .handle == 2 and
		.event.port_id == 4 and .event.event_type == "link_state_change" and
		.event.config_state == $p.config_state and .event.ltssm_state == $p.ltssm_state and
		.event.connected_device_type == $p.connected_device_type and
		.event.connected_device_mode == $p.connected_device_mode and
		.event.supported_cxl_modes == $p.supported_cxl_modes and
		.event.negotiated_link_width == $p.negotiated_link_width and
		.event.max_link_width == $p.max_link_width and
		.event.supported_link_speeds_gts == $p.supported_link_speeds_gts and
		.event.current_link_speed_gts == $p.current_link_speed_gts and
		.event.link_state_flags == $p.link_state_flags and .event.link_state_flags.perst_asserted'
}

@test "events: the common header field by field, an MLD port event, an unknown record" {
	hand_made
	run emu_state -- events switch0 -j
	assert_success
	# jq reads numbers as doubles: the 19-digit ns are checked as text
	assert_output --partial '"timestamp_ns":1764018000123456789,'
	echo "$output" | jq -e '.logs[1].records[0] |
		.record_type == "mld_port" and .uuid == "8dc44363-0c96-4710-b7bf-04bb99534c3f" and
		.severity == "warning" and .flags == {permanent_condition: false, maintenance_needed: true,
			performance_degraded: false, hardware_replacement_needed: false} and
		.handle == 7 and .related_handle == 5 and
		.timestamp == "2025-11-24T21:00:00.123456789Z" and
		.maintenance_class == 2 and .maintenance_subclass == 1 and .ld_id == null and .head_id == null and
		.event == {event_type: "correctable_message_received", port_id: 12, error_message: "0x12345678deadbeef"}'
	echo "$output" | jq -e '.logs[2].records[0] |
		.record_type == "unknown" and .severity == "failure" and .timestamp == null and
		.flags == {permanent_condition: true, maintenance_needed: false, performance_degraded: true,
			hardware_replacement_needed: true} and
		(.data | startswith("0102030405000000")) and (.data | length) == 160 and (has("event") | not)'
	echo "$output" | jq -e '[.logs[].log] == ["info", "warning", "failure", "fatal"] and .clear == null'
	assert_state_untouched
}

@test "events -v: human output names every header field" {
	hand_made
	run emu_state -- events switch0 --log warning -v
	assert_success
	assert_line "warning log: 1 record"
	assert_line --regexp '^    handle +7$'
	assert_line --regexp '^    record_type +mld_port$'
	assert_line --regexp '^    flags +maintenance_needed$'
	assert_line --regexp '^    timestamp +2025-11-24T21:00:00.123456789Z$'
	assert_line --regexp '^      error_message +0x12345678deadbeef$'
}

@test "events: quiet by default, one line per record, the values the JSON holds" {
	hand_made
	run emu_state -- events switch0 --log warning -j
	assert_success
	json=$output
	run emu_state -- events switch0 --log warning
	assert_success
	assert_line "warning log: 1 record"
	assert_line --regexp '^  HANDLE +SEVERITY +TIMESTAMP +RECORD_TYPE +EVENT$'
	# handle, severity, timestamp and type as the JSON says, on one line
	want=$(echo "$json" | jq -r '.logs[0].records[0] | "\(.handle) \(.severity) \(.timestamp) \(.record_type)"')
	assert_equal "$(echo "$output" | sed -n 3p | awk '{ print $1, $2, $3, $4 }')" "$want"
	assert_line --partial "error_message=0x12345678deadbeef"
	assert_equal "${#lines[@]}" 3
	refute_line --partial "overflow"
}

@test "events: a full log overflows, and says so" {
	jq '. + {timestamp_ns: 1764018000000000000, event_logs: {capacity: 1, next_handle: 1,
		info: {overflow_count: 0, first_overflow_ns: 0, last_overflow_ns: 0, records: []}}}' \
		"$DEFAULT_TOPO" > "$BATS_TEST_TMPDIR/t.json"
	"$EMU" --topology "$BATS_TEST_TMPDIR/t.json" --save "$STATE_IN" -- sh -c '
		for op in --assert-perst --deassert-perst --reset; do
			"$0" port-control switch0 --port 4 $op --force >/dev/null || exit 1
		done' "$CXLSW"
	[ "$(topo '.event_logs.info.overflow_count' "$STATE_IN")" = 2 ]
	run emu_state -- events switch0 --log info -j
	assert_success
	echo "$output" | jq -e --argjson l "$(topo .event_logs.info "$STATE_IN")" '.logs[0] |
		.overflow and .overflow_count == 2 and (.records | length) == 1 and
		.first_overflow_ns > 0 and .last_overflow_ns >= .first_overflow_ns and
		(.first_overflow | endswith("Z"))'
	first=$(echo "$output" | jq -r '.logs[0].first_overflow')
	last=$(echo "$output" | jq -r '.logs[0].last_overflow')
	run emu_state -- events switch0 --log info
	assert_line "  overflow: 2 records lost, first $first, last $last"
}

@test "events --clear: exactly the handles shown, in the saved state" {
	hand_made
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- events switch0 --log warning --clear --force -j
	assert_success
	echo "$output" | jq -e '.clear.status == "done" and .clear.records_cleared == 1 and .clear.request == "0100010000000700"'
	# the failure log was not shown, so its record stays
	assert_state_is '.event_logs.warning.records = []'
	assert_equal "$(jq '.opcodes."0x0101"' "$BATS_TEST_TMPDIR/s.json")" 1
}

@test "events --clear: split to fit the message limit" {
	two_changes
	jq '.max_msg_size = 256' "$STATE_IN" > "$BATS_TEST_TMPDIR/t.json"
	mv "$BATS_TEST_TMPDIR/t.json" "$STATE_IN"
	# 256 bytes: one record per answer; the device keeps records until
	# they are cleared, so the first answer is all one read can show
	run emu_state -- events switch0 --log info -j
	assert_success
	echo "$output" | jq -e '.logs[0].more_records and (.logs[0].records | length) == 1'
	# --clear reads the rest in turns: every record read, shown, cleared
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- events switch0 --log info --clear --force -j
	assert_success
	echo "$output" | jq -e '.clear.records_cleared == 2 and (.logs[0].records | length) == 2 and (.logs[0].more_records | not)'
	# the handles are bytes 20-21 of each record, little-endian
	want=$(jq -r '.event_logs.info.records[] | .[42:44] + .[40:42]' "$STATE_IN" |
		while read -r h; do echo $((16#$h)); done | paste -sd,)
	assert_equal "$(echo "$output" | jq -c '[.logs[0].records[].handle]')" "[$want]"
	assert_equal "$(jq '.opcodes."0x0101"' "$BATS_TEST_TMPDIR/s.json")" 2
	assert_state_is '.event_logs.info.records = []'
}

@test "events --clear: refused without --force, dry run shows the request" {
	hand_made
	run emu_state -- events switch0 --clear
	assert_failure 5
	assert_output "cxl-switch events: refusing to send Clear Event Records (a switch-config change) without --force: stdin is not a terminal"
	assert_state_untouched
	run emu_state -- events switch0 --clear -n -j
	assert_success
	# log 1, not clear-all, 1 handle, 3 reserved, handle 7
	echo "$output" | jq -e '.clear.status == "dry_run" and .clear.request == "0100010000000700" and
		.clear.effect == "clears the 2 records shown from the warning, failure logs of switch0"'
	assert_state_untouched
}

@test "events: errors name the command; bad options are usage errors" {
	run "$CXLSW" events switch0 --log debug
	assert_failure 2
	assert_output "cxl-switch events: invalid --log 'debug': expected info, warning, failure, fatal or dcd"
	run emu --fail 0x0100:internal-error -- events switch0
	assert_failure 1
	assert_output "cxl-switch events: switch0: Get Event Records (0x0100): Internal Error (0x04)"
	run emu --fail 0x0100:short=20 -- events switch0
	assert_failure 4
	assert_output "cxl-switch events: switch0: Get Event Records (0x0100): answer of 20 bytes, the command answers 32 to 1048576"
	hand_made
	run emu_state --fail 0x0101:0x0e -- events switch0 --clear --force
	assert_failure 1
	assert_output "cxl-switch events: switch0: Clear Event Records (0x0101): Invalid Handle (0x0e)"
	assert_state_untouched
}

# ---- a device behind the switch (--port, --ld) ---------------------------

@test "events --port: the device's own logs, read and cleared through the tunnel" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" -- events switch0 --port 5 -j
	assert_success
	echo "$output" | jq -e '.switch == "switch0" and .target == {port: 5} and ([.logs[].records | length] | add) == 0'
	jq -e '.opcodes."0x5300>0x0100" >= 1 and (.opcodes."0x0100" // 0) == 0' "$BATS_TEST_TMPDIR/s.json"
	run emu -- events switch0 --port 7 --ld 3 --log info -j
	assert_success
	echo "$output" | jq -e '.target == {port: 7, ld: 3}'
	# the device's logs are empty: --clear has nothing to send
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- events switch0 --port 5 --clear --force -j
	assert_success
	jq -e '(.opcodes."0x5300>0x0101" // 0) == 0' "$BATS_TEST_TMPDIR/s.json"
}
