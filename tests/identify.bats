#!/usr/bin/env bats
# identify and list: Identify (0x0001) and Identify Switch Device (0x5100),
# checked against the topology files.
bats_require_minimum_version 1.5.0
load helpers

# What Identify Switch Device must report for a topology file.
expected_identity() {
	jq -S -c 'include "hex"; {
		vendor_id: (.identify.vendor_id | hex),
		device_id: (.identify.device_id | hex),
		subsys_vendor_id: (.identify.subsys_vendor_id | hex),
		subsys_id: (.identify.subsys_id | hex), serial: .identify.serial,
		component_type: .identify.component_type,
		max_msg_size: .max_msg_size,
		ingress_port_id: .ingress_port_id,
		hdm_decoders_per_usp: .hdm_decoders_per_usp,
		num_physical_ports: ([.ports | length, 255] | min),
		num_vcss: (.vcss | length),
		active_ports: [.ports[] | select(.config_state != "disabled") | .port_id],
		active_vcss: [.vcss[] | select(.state == "enabled") | .vcs_id],
		total_vppbs: ([.vcss[].vppbs | length] | add),
		bound_vppbs: ([.vcss[].vppbs[] | select(.binding_status == "bound_port" or .binding_status == "bound_ld")] | length)
	}' -L "$TOP/tests/lib" "$1"
}

@test "identify: every field matches the default topology" {
	run emu -- identify switch0 -j
	assert_success
	got=$(echo "$output" | jq -S -c 'del(.version, .command, .switch, .target, .path)')
	assert_equal "$got" "$(expected_identity "$DEFAULT_TOPO")"
	echo "$output" | jq -e '.switch == "switch0" and .path == "/dev/cxl/switch0"'
}

@test "identify: every field matches the 256-port topology" {
	run emu --topology "$BIG_TOPO" -- identify switch0 -j
	assert_success
	got=$(echo "$output" | jq -S -c 'del(.version, .command, .switch, .target, .path)')
	assert_equal "$got" "$(expected_identity "$BIG_TOPO")"
}

@test "identify: the message limit is reported in bytes" {
	run emu --msg-limit 512 -- identify switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq .max_msg_size)" 512
}

@test "identify: human output shows the same values" {
	run emu -- identify switch0
	assert_success
	assert_line --regexp "^serial +$(topo .identify.serial | tr -d '"')$"
	assert_line --regexp "^num_physical_ports +$(topo '.ports | length')$"
	assert_line --regexp '^component_type +switch$'
}

@test "identify: a device path works as well as a name" {
	run emu -- identify /dev/cxl/switch0 -j
	assert_success
	echo "$output" | jq -e '.switch == "switch0"'
}

@test "identify: two ioctls, Identify and Identify Switch Device" {
	emu --stats "$BATS_TEST_TMPDIR/s.json" -- identify switch0 >/dev/null
	run jq -c .opcodes "$BATS_TEST_TMPDIR/s.json"
	assert_output '{"0x0001":1,"0x5100":1}'
}

@test "identify: missing SWITCH is a usage error" {
	run "$CXLSW" identify
	assert_failure 2
	assert_output "cxl-switch identify: missing SWITCH (for example switch0)"
}

@test "identify: a malformed switch name is a usage error" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" -- identify sw0
	assert_failure 2
	assert_output "cxl-switch identify: invalid switch name 'sw0': expected switchN or a device path"
	assert_equal "$(jq .ioctls "$BATS_TEST_TMPDIR/s.json")" 0
}

@test "identify: an unknown switch names the ones there are, exit 3" {
	run emu --topology default --topology default -- identify switch9
	assert_failure 3
	assert_output "cxl-switch identify: no such switch 'switch9': available: switch0, switch1"
}

@test "identify: a command the device lacks is named, exit 7" {
	run emu --fail 0x0001:unsupported -- identify switch0
	assert_failure 7
	assert_output "cxl-switch identify: switch0 does not implement Identify (0x0001)"
}

@test "identify: Invalid Input from Identify Switch Device is named, exit 1" {
	run emu --fail 0x5100:invalid-input -- identify switch0
	assert_failure 1
	assert_output "cxl-switch identify: switch0: Identify Switch Device (0x5100): Invalid Input (0x02)"
}

@test "list: every switch with its own identity" {
	run emu --topology "$DEFAULT_TOPO" --topology "$BIG_TOPO" -- list -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.switches[].switch]')" '["switch0","switch1"]'
	assert_equal "$(echo "$output" | jq -S -c '.switches[0] | del(.switch, .path)')" \
		"$(expected_identity "$DEFAULT_TOPO")"
	assert_equal "$(echo "$output" | jq -S -c '.switches[1] | del(.switch, .path)')" \
		"$(expected_identity "$BIG_TOPO")"
}

@test "list: human table, one row per switch" {
	run emu --topology default --topology "$BIG_TOPO" -- list
	assert_success
	assert_line --index 0 --regexp '^SWITCH +VENDOR +DEVICE +SERIAL'
	assert_line --index 1 --regexp "^switch0 +$(topo .identify.vendor_id | tr -d '"') "
	assert_line --index 2 --regexp "^switch1 .* $(topo .identify.serial "$BIG_TOPO" | tr -d '"') "
}

@test "list: a host without switches prints an empty list" {
	if compgen -G "/sys/bus/cxl/devices/switch*" >/dev/null; then
		skip "this host has CXL switches"
	fi
	run "$CXLSW" list -j
	assert_success
	assert_output '{"version":1,"command":"list","switch":null,"target":null,"switches":[]}'
	run "$CXLSW" list
	assert_output "no CXL switch CCI devices found (looked for /dev/cxl/switch* and /sys/bus/cxl/devices/switch*)"
}

@test "list: a node in /dev/cxl that sysfs does not know is listed as failing, with why" {
	run --separate-stderr "$EMU" -- sh -c \
		'ln -s /dev/null "$UMOCKDEV_DIR/dev/cxl/switch5" && exec "$@"' \
		sh $CXLSW_WRAP "$CXLSW" list -j
	assert_failure 3
	assert_equal "$(echo "$output" | jq -r '.switches[0].switch')" switch0
	assert_equal "$(echo "$output" | jq -r '.switches[1].error.message')" \
		"/dev/cxl/switch5 is not a CXL switch: character device 0:0 is unknown to sysfs, not a switch CCI"
	assert_equal "$(echo "$output" | jq '.switches | length')" 2
}

@test "list: switches that all fail are said to have failed, not to be missing" {
	run --separate-stderr emu --topology default --topology default --fail 0x0001:internal-error -- list
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "cxl-switch list: switch0: Identify (0x0001): Internal Error (0x04)
cxl-switch list: switch1: Identify (0x0001): Internal Error (0x04)
cxl-switch list: no switch listed: all 2 failed (above)"
	# one switch: its own line is the whole story
	run --separate-stderr emu --fail 0x0001:internal-error -- list
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "cxl-switch list: switch0: Identify (0x0001): Internal Error (0x04)"
	# in JSON, each with its error
	run --separate-stderr emu --topology default --topology default --fail 0x0001:internal-error -- list -j
	assert_failure 1
	assert_equal "$(echo "$output" | jq -c '[.switches[] | [.switch, .error.exit_code]]')" '[["switch0",1],["switch1",1]]'
}

@test "list: a switch that fails is reported, the others still listed" {
	run --separate-stderr emu --topology default --topology default --fail 0x0001:internal-error:1 -- list -j
	assert_failure 1
	assert_equal "$stderr" "cxl-switch list: switch0: Identify (0x0001): Internal Error (0x04)"
	# one JSON document: the failing switch as an entry with its error
	echo "$output" | jq -e '.switches | length == 2 and .[0].switch == "switch0" and .[0].error.return_code == "Internal Error" and .[0].error.exit_code == 1 and .[1].switch == "switch1" and .[1].serial != null'
}
