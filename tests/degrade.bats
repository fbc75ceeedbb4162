#!/usr/bin/env bats
# A device that lacks commands, numbers its ports its own way, answers
# Busy at several levels or keeps its event records: the tool learns what
# the device is, asks only for what exists, does the most the device
# allows and names exactly what it cannot do (exit 7).  Issue 13.

load helpers
bats_require_minimum_version 1.5.0

stats() {
	jq -c "$1" "$BATS_TEST_TMPDIR/s.json"
}

S="--stats $BATS_TEST_TMPDIR/s.json"

# ---- Get Response Message Limit (0x0003) is optional --------------------

@test "degrade: without 0x0003 every paged or tunnelled command works, 0x0003 asked at most once" {
	for cmd in "list-ports switch0" "list-vcs switch0" "commands switch0" \
		"list-devices switch0" "topology switch0" "identify switch0 --port 5" \
		"identify switch0 --port 5 --ld 1" "list-lds switch0 --port 5" \
		"events switch0" "port-control switch0 --port 4 --reset --dry-run" \
		"bind switch0 --vcs 1 --vppb 7 --port 14 --dry-run"; do
		run emu --fail 0x0003:unsupported $S -- $cmd -j
		[ "$status" -eq 0 ] || fail "$cmd: exit $status: $output"
		# asked only when an answer needs more than 256 bytes (issue
		# 16), and then once: asked, it is known to lack it
		[ "$(stats '.opcodes."0x0003" // 0')" -le 1 ] ||
			fail "$cmd asked 0x0003 $(stats '.opcodes."0x0003"') times"
	done
}

@test "degrade: without 0x0003 the message size is Identify's maximum message size" {
	# 256 bytes from Identify: 15 port blocks per answer, 18 requests
	emu --topology "$BIG_TOPO" --msg-limit 256 --fail 0x0003:unsupported $S -- \
		list-ports switch0 >/dev/null
	assert_equal "$(jq -S -c .opcodes "$BATS_TEST_TMPDIR/s.json")" '{"0x0001":1,"0x0003":1,"0x5100":1,"0x5101":18}'
	# and a Command Effects Log that leaves 0x0003 out: not even asked
	run emu --cel-omit 0x0003 $S -- commands switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq -r '.commands[] | select(.opcode == 3) | .known_to')" tool
}

@test "degrade: each tunnel level learns its own limit from its own Identify" {
	# the DCD on port 12 lacks 0x0003 too: its Identify says 256 (the
	# topology's max_msg_size), asked once through the tunnel. With 10
	# more extents (24) the rest after the first page takes more than two
	# pages of what every CCI takes, the one case where a device's own
	# limit is worth asking (issue 16)
	local t=$BATS_TEST_TMPDIR/t.json
	jq 'def hex: [while(. > 0; ./16 | floor) | . % 16] | reverse |
			map("0123456789abcdef"[.:.+1]) | join("");
		(.ports[] | select(.port_id == 12) | .device.dcd.hosts[0].extents) +=
		[range(12; 22) | { start_dpa: ("0x" + ((17716740096 + . * 4194304) | hex)),
		  length_bytes: 2097152, tag: "6a2c5e64-3f0e-4d61-9c9e-1b2a0c4d5e10",
		  shared_sequence: 0 }]' "$TOPO/dcd-small.json" > "$t"
	run emu --topology "$t" --fail 0x0003:unsupported $S -- dc-extents switch0 --port 12 --host 0 -j
	assert_success
	assert_equal "$(echo "$output" | jq '.extents | length')" "$(topo '.ports[] | select(.port_id == 12) | .device.dcd.hosts[0].extents | length' "$t")"
	assert_equal "$(stats '.opcodes."0x5300>0x0003"')" 1
	assert_equal "$(stats '.opcodes."0x5300>0x0001"')" 1
	# an LD allocation answer (at most 260 bytes) never asks it
	run emu --fail 0x0003:unsupported $S -- list-lds switch0 --port 7 -j
	assert_success
	assert_equal "$(echo "$output" | jq '.lds | length')" "$(topo '.ports[] | select(.port_id == 7) | .device.mld.lds | length')"
	assert_equal "$(stats '.opcodes."0x5300>0x0003" // 0')" 0
}

# ---- one clear line, exit 7 -----------------------------------------------

@test "degrade: a command the switch lacks is named with the switch, exit 7" {
	run emu --fail 0x5200:unsupported -- list-vcs switch0
	assert_failure 7
	assert_output "cxl-switch list-vcs: switch0 does not implement Get Virtual CXL Switch Info (0x5200)"
	run emu --fail 0x0100:unsupported -- events switch0
	assert_failure 7
	assert_output "cxl-switch events: switch0 does not implement Get Event Records (0x0100)"
	run emu --fail 0x0003:unsupported -- get-response-limit switch0
	assert_failure 7
	assert_output "cxl-switch get-response-limit: switch0 does not implement Get Response Message Limit (0x0003)"
}

@test "degrade: in JSON the lacking command is the usual error object" {
	run --separate-stderr emu --fail 0x5200:unsupported -- list-vcs switch0 -j
	assert_failure 7
	assert_equal "$stderr" "cxl-switch list-vcs: switch0 does not implement Get Virtual CXL Switch Info (0x5200)"
	echo "$output" | jq -e '.switch == "switch0" and .error.exit_code == 7 and
		.error.message == "switch0 does not implement Get Virtual CXL Switch Info (0x5200)" and
		.error.opcode == 20992 and .error.name == "Get Virtual CXL Switch Info" and
		.error.return_code == "Unsupported" and .error.command == "list-vcs"'
}

@test "degrade: a level on the way that lacks the tunnel is named, asked once" {
	run emu --fail 0x5300:unsupported $S -- identify switch0 --port 5 --ld 1
	assert_failure 7
	assert_output "cxl-switch identify: switch0 does not implement Tunnel Management Command (0x5300)"
	assert_equal "$(stats '.opcodes."0x5300"')" 1
	# an SLD has no LDs to tunnel to: the device on port 4 lacks 0x5300,
	# which the switch's port state explains
	run emu -- identify switch0 --port 4 --ld 0
	assert_failure 7
	assert_output "cxl-switch identify: switch0: LD 0 does not exist: the device on port 4 is a single-LD device; leave out --ld"
}

@test "degrade: list-devices when the switch cannot tunnel: every device as the switch sees it, the lack said once" {
	run --separate-stderr emu --fail 0x5300:unsupported $S -- list-devices switch0 -j
	assert_success
	assert_equal "$(stats '.opcodes."0x5300"')" 1
	assert_equal "$stderr" ""
	echo "$output" | jq -e '.unavailable == ["Tunnel Management Command (0x5300)"]'
	# every device still listed with its port state; the Type 3 ones marked
	assert_equal "$(echo "$output" | jq -S -c '[.devices[].port]')" \
		"$(topo '[.ports[] | select(.connected_device_type != "none" and .config_state != "usp") | del(.device, .config_space)]' | jq -S -c "$MODE")"
	echo "$output" | jq -e '[.devices[] | select(.connected_device_type | startswith("cxl_type3"))] |
		length > 0 and all(.[]; .reachable == false and .unavailable == ["Tunnel Management Command (0x5300)"])'
	run emu --fail 0x5300:unsupported -- list-devices switch0
	assert_success
	assert_line "devices not asked: the switch does not implement Tunnel Management Command (0x5300)"
	refute_line --partial "port 4:"
}

@test "degrade: topology when the switch cannot tunnel: hosts and ports, devices marked" {
	run emu --fail 0x5300:unsupported $S -- topology switch0 -j
	assert_success
	assert_equal "$(stats '.opcodes."0x5300"')" 1
	echo "$output" | jq -e '[.ports[].device | select(.)] | length > 0 and
		all(.[]; .reachable == false and .unavailable == ["Tunnel Management Command (0x5300)"])'
	echo "$output" | jq -e '.hosts | length == 4'
}

# ---- composite commands show what they can ---------------------------------

@test "degrade: topology without Get VCS Info: ports and devices, hosts marked unavailable" {
	run emu --fail 0x5200:unsupported -- topology switch0 -j
	assert_success
	echo "$output" | jq -e '.hosts == null and .unavailable == ["Get Virtual CXL Switch Info (0x5200)"] and
		all(.ports[]; .bound == null)'
	assert_equal "$(echo "$output" | jq -c '[.ports[].port_id]')" \
		"$(topo '[.ports[] | select(.config_state == "dsp") | .port_id]')"
	assert_equal "$(echo "$output" | jq -r '.ports[] | select(.port_id == 5) | .device.identify.serial')" \
		"$(topo '.ports[] | select(.port_id == 5) | .device.identify.serial' | tr -d '"')"
	run emu --fail 0x5200:unsupported -- topology switch0
	assert_success
	assert_line "hosts unknown: the device does not implement Get Virtual CXL Switch Info (0x5200)"
	assert_line "└─ ports"
	run emu --fail 0x5200:unsupported -- topology switch0 --dot
	assert_success
}

@test "degrade: a Command Effects Log without 0x5200: topology does not even ask" {
	run emu --cel-omit 0x5200 $S -- topology switch0 -j
	assert_success
	echo "$output" | jq -e '.hosts == null and .unavailable == ["Get Virtual CXL Switch Info (0x5200)"]'
	assert_equal "$(stats '.opcodes."0x5200" // 0')" 0
	assert_equal "$(stats '.opcodes."0x0400"')" 1
}

@test "degrade: identify --port on a device without Identify Memory Device" {
	run emu --fail 0x4000:unsupported -- identify switch0 --port 5 -j
	assert_success
	echo "$output" | jq -e '.memdev == null and .unavailable == ["Identify Memory Device (0x4000)"] and
		.component_type == "type3" and .target == {port: 5}'
	assert_equal "$(echo "$output" | jq -r .serial)" \
		"$(topo '.ports[] | select(.port_id == 5) | .device.identify.serial' | tr -d '"')"
	run emu --fail 0x4000:unsupported -- identify switch0 --port 5
	assert_success
	assert_line --regexp '^unavailable +Identify Memory Device \(0x4000\)$'
	assert_line --regexp '^memdev +-$'
}

@test "degrade: list-devices on devices without 0x4000 and 0x5400: identity kept, each asked once per device" {
	run emu --fail 0x4000:unsupported --fail 0x5400:unsupported $S -- list-devices switch0 -j
	assert_success
	echo "$output" | jq -e 'all(.devices[] | select(.reachable); .memdev == null and .identify.serial != null)'
	echo "$output" | jq -e 'all(.devices[] | select(.reachable and .connected_device_type == "cxl_type3_mld");
		.unavailable == ["Identify Memory Device (0x4000)", "Get LD Info (0x5400)"] and .ld_count == null)'
	reachable=$(echo "$output" | jq '[.devices[] | select(.reachable)] | length')
	assert_equal "$(stats '.opcodes."0x5300>0x4000"')" "$reachable"
	run emu --fail 0x4000:unsupported -- list-devices switch0
	assert_success
	assert_line "port 4: the device does not implement Identify Memory Device (0x4000)"
}

@test "degrade: list-lds without Get VCS Info: the pool, bindings unknown" {
	run emu --fail 0x5200:unsupported -- list-lds switch0 --port 5 -j
	assert_success
	echo "$output" | jq -e 'all(.lds[]; .bound_to == null) and .unavailable == ["Get Virtual CXL Switch Info (0x5200)"]'
	run emu --fail 0x5200:unsupported -- list-lds switch0 --port 5
	assert_success
	assert_line "bindings unknown: the device does not implement Get Virtual CXL Switch Info (0x5200)"
}

@test "degrade: monitor watches what the device has and says once what it lacks" {
	run emu --fail 0x5200:unsupported --fail 0x0100:unsupported $S -- monitor switch0 --duration 1.2 --interval 0.5 -j
	assert_success
	assert_equal "${#lines[@]}" 1
	echo "${lines[0]}" | jq -e '.change == "unavailable" and
		.unavailable == ["Get Virtual CXL Switch Info (0x5200)", "Get Event Records (0x0100)"]'
	# learned once: never asked again while watching
	assert_equal "$(stats '.opcodes."0x5200"')" 1
	assert_equal "$(stats '.opcodes."0x0100"')" 1
	run emu --fail 0x5200:unsupported -- monitor switch0 --duration 0.3
	assert_success
	assert_output --regexp ' switch0 not watched: the device does not implement Get Virtual CXL Switch Info \(0x5200\)$'
}

# ---- a dry run needs nothing the device lacks --------------------------------

@test "degrade: dry runs without Get VCS Info say what they could not check" {
	setup_state
	run emu_state --fail 0x5200:unsupported -- port-control switch0 --port 4 --reset --dry-run
	assert_success
	assert_line "  affects: unknown hosts (the switch does not implement Get Virtual CXL Switch Info (0x5200))"
	run emu_state --fail 0x5200:unsupported -- bind switch0 --vcs 1 --vppb 7 --port 14 --dry-run -j
	assert_success
	echo "$output" | jq -e '.status == "dry_run" and .request == "01070e00ffff" and
		.effect == "binds port 14 (no device) to vPPB 7 of VCS 1 (vPPB not checked: no Get Virtual CXL Switch Info (0x5200))"'
	run emu_state --fail 0x5200:unsupported -- unbind switch0 --vcs 1 --vppb 2 --dry-run
	assert_success
	assert_line "  effect:  unbinding vPPB 2 of VCS 1 (wait) removes what it is bound to (unknown: no Get Virtual CXL Switch Info (0x5200))"
	# the port is still checked
	run emu_state --fail 0x5200:unsupported -- bind switch0 --vcs 1 --vppb 7 --port 99 --dry-run
	assert_failure 2
	assert_output "cxl-switch bind: port 99 does not exist on switch0"
	assert_state_untouched
}

# ---- ask only for what exists ----------------------------------------------------

sparse() {
	# ports 0-5, 20, 25: the ids are not 0..N-1
	jq '.ports |= map(select(.port_id as $i | [0,1,2,3,4,5,20,25] | index($i))) |
	    .vcss |= map(.vppbs |= map(if (.port_id // -1) as $p | ([4,5,20,25,-1] | index($p))
		then . else (. + {binding_status: "unbound", port_id: null, ld_id: null}) end))' \
		"$DEFAULT_TOPO" > "$BATS_TEST_TMPDIR/sparse.json"
}

@test "degrade: list-ports asks the ids of the active-port bitmap, not 0..N-1" {
	sparse
	run emu --topology "$BATS_TEST_TMPDIR/sparse.json" $S -- list-ports switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.ports[].port_id]')" '[0,1,2,3,4,5,20,25]'
	# a device that refuses the batch: every port asked alone, no others
	run emu --topology "$BATS_TEST_TMPDIR/sparse.json" --fail 0x5101:invalid-input:1 $S -- list-ports switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.ports[].port_id]')" '[0,1,2,3,4,5,20,25]'
	assert_equal "$(stats '.opcodes."0x5101"')" 9
}

@test "degrade: a port refused alone is marked, the others listed" {
	# batch refused (1st), then port 2 (4th call) refused alone
	run emu --fail 0x5101:invalid-input:1 --fail 0x5101:invalid-input:4 -- list-ports switch0 --port 0-3 -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.ports[].port_id]')" '[0,1,2,3]'
	assert_equal "$(echo "$output" | jq -c '.ports[2]')" \
		'{"port_id":2,"error":"Get Physical Port State (0x5101): Invalid Input (0x02)"}'
	echo "$output" | jq -e '[.ports[0,1,3] | .config_state] == ["usp","usp","usp"]'
	run emu --fail 0x5101:invalid-input:1 --fail 0x5101:invalid-input:4 -- list-ports switch0 --port 0-3
	assert_success
	assert_line "port 2: Get Physical Port State (0x5101): Invalid Input (0x02)"
	assert_line --regexp '^2 +- +- '
}

# ---- bounded retries and the deadline ----------------------------------------------

@test "degrade: Busy at two tunnel levels costs six requests, not 6^3" {
	run emu --fail 0x5300:busy $S -- identify switch0 --port 5 --ld 1
	assert_failure 1
	assert_output "cxl-switch identify: switch0 port 5 LD 1: Identify (0x0001): tunnel to LD 1: Tunnel Management Command (0x5300): tunnel to port 5: Tunnel Management Command (0x5300): Busy (0x06), still after 6 attempts"
	assert_equal "$(stats .ioctls)" 6
	assert_equal "$(stats '.opcodes."0x5300"')" 6
}

@test "degrade: --mailbox-timeout bounds the retries; 0 lifts it" {
	# waits of 10, 20 and 40 ms fit in 100 ms, the 80 ms one would not:
	# at most 4 attempts (fewer on a loaded machine), never the full 6
	run emu --fail 0x5101:busy $S -- --mailbox-timeout 0.1 list-ports switch0
	assert_failure 1
	n=$(stats '.opcodes."0x5101"')
	[ "$n" -ge 2 ] && [ "$n" -le 4 ] || fail "$n attempts in 100 ms"
	assert_output "cxl-switch list-ports: switch0: Get Physical Port State (0x5101): Busy (0x06), still after $n attempts"
	run emu --fail 0x5101:busy $S -- --mailbox-timeout 0 list-ports switch0
	assert_failure 1
	assert_equal "$(stats '.opcodes."0x5101"')" 6
	run emu $S -- --mailbox-timeout soon list-ports switch0
	assert_failure 2
	assert_output "cxl-switch: invalid --mailbox-timeout 'soon': expected seconds 0-3600, e.g. 0.5"
	assert_equal "$(stats .ioctls)" 0
}

@test "degrade: a slow answer past the deadline is not tried again" {
	# every answer takes 60 ms, Busy: the first already outlasts 50 ms
	run emu --fail 0x5101:busy --latency 60 $S -- --mailbox-timeout 0.05 list-ports switch0
	assert_failure 1
	assert_output "cxl-switch list-ports: switch0: Get Physical Port State (0x5101): Busy (0x06)"
	assert_equal "$(stats '.opcodes."0x5101"')" 1
}

# ---- events at any message size ----------------------------------------------------

three_records() {
	jq '. + {timestamp_ns: 1764018000000000000}' "$DEFAULT_TOPO" > "$BATS_TEST_TMPDIR/t0.json"
	emu --topology "$BATS_TEST_TMPDIR/t0.json" --save "$BATS_TEST_TMPDIR/t1.json" -- \
		port-control switch0 --port 4 --assert-perst --force >/dev/null
	emu --topology "$BATS_TEST_TMPDIR/t1.json" --save "$BATS_TEST_TMPDIR/t2.json" -- \
		port-control switch0 --port 4 --deassert-perst --force >/dev/null
	emu --topology "$BATS_TEST_TMPDIR/t2.json" --save "$BATS_TEST_TMPDIR/t3.json" -- \
		port-control switch0 --port 4 --reset --force >/dev/null
	jq '.max_msg_size = 256' "$BATS_TEST_TMPDIR/t3.json" > "$STATE_IN"
}

@test "degrade: events at 256 bytes: more records are said, --clear reads and clears them all" {
	setup_state
	three_records
	assert_equal "$(jq '.event_logs.info.records | length' "$STATE_IN")" 3
	run emu_state -- events switch0 --log info
	assert_success
	assert_line "  (the device holds more records: it hands them out once these are cleared, with --clear)"
	assert_state_untouched
	run emu_state --fail 0x0003:unsupported $S -- events switch0 --log info --clear --force -j
	assert_success
	echo "$output" | jq -e '(.logs[0].records | length) == 3 and (.logs[0].more_records | not) and
		.clear.records_cleared == 3 and ([.logs[0].records[].handle] | unique | length) == 3'
	assert_equal "$(stats '.opcodes."0x0101"')" 3
	assert_state_is '.event_logs.info.records = []'
}

@test "degrade: events --clear --dry-run says the rest is read in turns, clears nothing" {
	setup_state
	three_records
	run emu_state -- events switch0 --log info --clear --dry-run -j
	assert_success
	echo "$output" | jq -e '.clear.status == "dry_run" and
		.clear.effect == "clears the 1 record shown from the info log of switch0, then reads and clears the further records the device holds, in turns"'
	assert_state_untouched
}
