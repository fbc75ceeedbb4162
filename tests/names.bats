#!/usr/bin/env bats
# The words for FM-API values r3.2 added or the tool lacked: every value
# the spec defines has its word, and a reserved one is not mistaken for
# another (a reserved link speed is not "no link").  Values are put in the
# topology (the emulated switch sends them as the spec encodes them) and
# checked in JSON and human output.
load helpers

setup() {
	setup_state
}

# port 4 with these changes, the rest as the default topology
port4() {
	jq "(.ports[] | select(.port_id == 4)) |= ($1)" "$DEFAULT_TOPO" > "$STATE_IN"
}

@test "list-ports: connected device modes 4 and 5, supported mode bits 3 and 4 (r3.2 Table 7-19)" {
	port4 '.connected_cxl_version = "cxl_pbr" |
		.supported_cxl_versions = ["cxl_1.1", "cxl_2.0", "256b_flit", "latency_optimized_256b_flit", "pbr"]'
	run emu_state -- list-ports switch0 --port 4 -j
	assert_success
	run jq -c '.ports[0] | [.connected_device_mode, .supported_cxl_modes]' <<<"$output"
	assert_output '["cxl_pbr",["cxl_1.1","cxl_2.0","256b_flit","latency_optimized_256b_flit","pbr"]]'
	port4 '.connected_cxl_version = "cxl_latency_optimized_256b_flit"'
	run emu_state -- list-ports switch0 --port 4
	assert_success
	assert_line --index 1 --regexp '^4 +dsp +cxl_type3_sld +cxl_latency_optimized_256b_flit '
}

@test "list-ports: a reserved link speed code is shown as such, not as no link" {
	port4 '.current_link_speed_gts = "reserved_code_7"'
	run emu_state -- list-ports switch0 --port 4 -j
	assert_success
	run jq -c '.ports[0] | [.current_link_speed_gts, .max_link_speed_gts]' <<<"$output"
	assert_output '["reserved_code_7",32]'
	# no link at all is still null
	port4 '.current_link_speed_gts = null | .ltssm_state = "detect"'
	run emu_state -- list-ports switch0 --port 4 -j
	run jq -c '.ports[0].current_link_speed_gts' <<<"$output"
	assert_output null
}

@test "list-vcs: vPPB binding status 4 is bound_pid (r3.2 Table 7-32)" {
	jq '.vcss[0].vppbs[0].binding_status = "bound_pid"' "$DEFAULT_TOPO" > "$STATE_IN"
	run emu_state -- list-vcs switch0 --vcs 0 -j
	assert_success
	run jq -r '.vcss[0].vppbs[0].binding_status' <<<"$output"
	assert_output bound_pid
}

@test "identify --port: component type 4 is gfd, and a GFD is not asked Identify Memory Device" {
	port4 '.device.identify.component_type = "gfd"'
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- identify switch0 --port 4 -j
	assert_success
	jq -e '.component_type == "gfd" and (has("memdev") | not)' <<<"$output"
	assert_equal "$(jq '.opcodes."0x5300>0x4000"' "$BATS_TEST_TMPDIR/s.json")" null
}

@test "commands SWITCH: CEL effect bits 8 to 11 have their names (r3.1 CEL entry)" {
	run emu --cel-extra 0x5101:0x0f00 -- commands switch0 -j
	assert_success
	run jq -c '.commands[] | select(.opcode == 20737) | .device_effects' <<<"$output"
	assert_output '["request_abort_background_operation_supported","reset_effects_valid","config_change_after_conventional_reset","config_change_after_cxl_reset"]'
}
