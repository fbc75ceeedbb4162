#!/usr/bin/env bats
# list-ports: Get Physical Port State (0x5101), against the topology files.
bats_require_minimum_version 1.5.0
load helpers

stats() {
	jq -c "$1" "$BATS_TEST_TMPDIR/s.json"
}

@test "list-ports: JSON equals the default topology's ports field by field" {
	run emu -- list-ports switch0 -j
	assert_success
	# the port state block, not the device behind the port (devices.bats)
	assert_equal "$(echo "$output" | jq -S -c .ports)" "$(topo '.ports | map(del(.device))' | jq -S -c "$MODE")"
}

@test "list-ports: the 256-port switch under a 256-byte limit lists every port" {
	run emu --topology "$BIG_TOPO" --msg-limit 256 \
		--stats "$BATS_TEST_TMPDIR/s.json" -- list-ports switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq '.ports | length')" 256
	assert_equal "$(echo "$output" | jq -S -c .ports)" \
		"$(topo '.ports' "$BIG_TOPO" | jq -S -c "$MODE")"
}

@test "list-ports: 256 ports at 256 bytes take the minimum of ioctls" {
	emu --topology "$BIG_TOPO" --msg-limit 256 \
		--stats "$BATS_TEST_TMPDIR/s.json" -- list-ports switch0 >/dev/null
	# 15 blocks of 16 bytes fit in 256 bytes: ceil(256 / 15) = 18 requests,
	# plus the response limit and Identify Switch Device.
	assert_equal "$(stats .opcodes)" '{"0x0003":1,"0x5100":1,"0x5101":18}'
}

@test "list-ports: 256 ports at 1 MiB take two requests (255 ids per request)" {
	emu --topology "$BIG_TOPO" --msg-limit 1048576 \
		--stats "$BATS_TEST_TMPDIR/s.json" -- list-ports switch0 >/dev/null
	assert_equal "$(stats '.opcodes."0x5101"')" 2
}

@test "list-ports: 32 ports at 2 KiB take one request" {
	emu --stats "$BATS_TEST_TMPDIR/s.json" -- list-ports switch0 >/dev/null
	assert_equal "$(stats .ioctls)" 3
	assert_equal "$(stats '.opcodes."0x5101"')" 1
}

@test "list-ports: --port picks ports, in one request" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" -- list-ports switch0 --port 5,7-9 -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.ports[].port_id]')" '[5,7,8,9]'
	assert_equal "$(echo "$output" | jq -S -c '.ports[0]')" \
		"$(topo '[.ports[] | select(.port_id == 5) | del(.device)]' | jq -S -c "$MODE | .[0]")"
	assert_equal "$(stats '.opcodes."0x5101"')" 1
}

@test "list-ports: --state filters on the configuration state" {
	run emu -- list-ports switch0 --state disabled -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.ports[].port_id]')" \
		"$(topo '[.ports[] | select(.config_state == "disabled") | .port_id]')"
	run emu -- list-ports switch0 -s usp -s disabled -j
	assert_equal "$(echo "$output" | jq -c '[.ports[].port_id]')" \
		"$(topo '[.ports[] | select(.config_state == "usp" or .config_state == "disabled") | .port_id]')"
}

@test "list-ports: --type filters on the connected device" {
	run emu -- list-ports switch0 --type cxl_type3_mld -j
	assert_success
	ids=$(echo "$output" | jq -c '[.ports[].port_id]')
	assert_equal "$ids" \
		"$(topo '[.ports[] | select(.connected_device_type == "cxl_type3_mld") | .port_id]')"
	[ "$ids" != "[]" ]
}

@test "list-ports: --up and --down split the ports by LTSSM L0" {
	up=$(emu -- list-ports switch0 --up -j | jq -c '[.ports[].port_id]')
	down=$(emu -- list-ports switch0 --down -j | jq -c '[.ports[].port_id]')
	assert_equal "$up" "$(topo '[.ports[] | select(.ltssm_state == "l0") | .port_id]')"
	assert_equal "$down" "$(topo '[.ports[] | select(.ltssm_state != "l0") | .port_id]')"
}

@test "list-ports: filters combine" {
	run emu -- list-ports switch0 --type cxl_type3_sld --down -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.ports[].port_id]')" \
		"$(topo '[.ports[] | select(.connected_device_type == "cxl_type3_sld" and .ltssm_state != "l0") | .port_id]')"
}

@test "list-ports: human table shows every field of a port" {
	run emu -- list-ports switch0 --port 11
	assert_success
	assert_line --index 0 --regexp '^PORT +STATE +DEVICE +CXL +VERSIONS +WIDTH +MAXW +GT/S +MAX +SPEEDS +LTSSM +LANE +FLAGS +LDS$'
	p=$(topo '.ports[] | select(.port_id == 11)')
	width=$(echo "$p" | jq .negotiated_link_width)
	lane=$(echo "$p" | jq .first_negotiated_lane)
	assert_line --index 1 --regexp "^11 +dsp +$(echo "$p" | jq -r .connected_device_type) .* x$width .* $lane +lane_reversal,prsnt_detected +0$"
}

@test "list-ports: a port that is down shows - for its speed" {
	id=$(topo '[.ports[] | select(.current_link_speed_gts == null)][0].port_id')
	run emu -- list-ports switch0 --port "$id"
	assert_success
	assert_line --index 1 --regexp "^$id +[a-z_]+ +[a-z0-9_]+ +[a-z0-9_]+ +[^ ]+ +x0 +x[0-9]+ +- "
}

@test "list-ports: port 999 is refused before anything is sent" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" -- list-ports switch0 --port 999
	assert_failure 2
	assert_output "cxl-switch list-ports: --port: invalid id '999': expected a number 0-255 or a range like 4-7"
	assert_equal "$(stats .ioctls)" 0
}

@test "list-ports: malformed port lists are refused" {
	for bad in 3x -1 "" 1,,2 4, 0x; do
		run "$CXLSW" list-ports switch0 --port "$bad"
		assert_failure 2
		assert_output --partial "cxl-switch list-ports: --port: invalid id"
	done
	run "$CXLSW" list-ports switch0 --port 7-3
	assert_failure 2
	assert_output "cxl-switch list-ports: --port: invalid range '7-3': the first id is larger"
}

@test "list-ports: an unknown state word lists the allowed ones" {
	run "$CXLSW" list-ports switch0 --state up
	assert_failure 2
	assert_output "cxl-switch list-ports: invalid state 'up': expected one of disabled, bind_in_progress, unbind_in_progress, dsp, usp, fabric_port, invalid"
}

@test "list-ports: an unknown device type lists the allowed ones" {
	run "$CXLSW" list-ports switch0 --type sld
	assert_failure 2
	assert_output "cxl-switch list-ports: invalid device type 'sld': expected one of none, pcie, cxl_type1, cxl_type2_or_hbr_switch, cxl_type3_sld, cxl_type3_mld, pbr_component"
}

@test "list-ports: --up with --down conflict" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" -- list-ports switch0 --up --down
	assert_failure 2
	assert_output "cxl-switch list-ports: --up and --down cannot be used together"
	assert_equal "$(stats .ioctls)" 0
}

@test "list-ports: a port the switch does not have: exit 2, no port state asked" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" -- list-ports switch0 --port 40
	assert_failure 2
	assert_output "cxl-switch list-ports: port 40 does not exist on switch0 (it has 32 ports, 0-31)"
	assert_equal "$(stats '.opcodes."0x5101" // 0')" 0
}

@test "list-ports: a device without Get Physical Port State is named, exit 7" {
	run emu --fail 0x5101:unsupported -- list-ports switch0
	assert_failure 7
	assert_output "cxl-switch list-ports: switch0 does not implement Get Physical Port State (0x5101)"
}

@test "list-ports: a failure in the middle of a split listing: no partial JSON, an error object" {
	# (Invalid Input is asked again port by port: tests/degrade.bats)
	run --separate-stderr emu --topology "$BIG_TOPO" --msg-limit 256 --fail 0x5101:internal-error:3 -- list-ports switch0 -j
	assert_failure 1
	assert_equal "$stderr" "cxl-switch list-ports: switch0: Get Physical Port State (0x5101): Internal Error (0x04)"
	assert_output '{"version":1,"command":"list-ports","switch":"switch0","target":null,"error":{"command":"list-ports","exit_code":1,"message":"switch0: Get Physical Port State (0x5101): Internal Error (0x04)","opcode":20737,"name":"Get Physical Port State","return_code":"Internal Error"}}'
}

@test "list-ports: without -j a failure prints no table" {
	run --separate-stderr emu --topology "$BIG_TOPO" --msg-limit 256 --fail 0x5101:internal-error:3 -- list-ports switch0
	assert_failure 1
	assert_output ''
}
