#!/usr/bin/env bats
# mhd-info: a multi-headed device's LD-to-head map and heads (0x5500,
# 0x5501 to the LD pool CCI), compared with the topology file.
load helpers

setup() {
	STATS=$BATS_TEST_TMPDIR/stats.json
}

# The multi-headed part of the device on port 20.
mhd() {
	topo ".ports[] | select(.port_id == 20) | .device.mhd $1" "${2:-$DEFAULT_TOPO}"
}

@test "mhd-info: the map and every head are the device's" {
	run emu -- mhd-info switch0 --port 20 -j
	assert_success
	assert_equal "$(jq -c .ld_to_head <<<"$output")" "$(mhd .ld_to_head)"
	assert_equal "$(jq -c '[.heads[] | del(.head_id)]' <<<"$output")" "$(mhd .heads)"
	jq -e '.switch == "switch0" and .target == {port: 20, pool: true}' <<<"$output"
	jq -e '.ld_count == 4 and .head_count == 2 and ([.heads[].head_id] == [0, 1])' <<<"$output"
}

@test "mhd-info: the link decoded with list-ports' names" {
	run emu -- mhd-info switch0 --port 20 -j
	assert_success
	jq -e '.heads[0] | .ltssm_state == "l0" and .current_link_speed_gts == 32.0 and .link_state_flags.prsnt_detected == true and .link_state_flags.lane_reversal == false' <<<"$output"
}

@test "mhd-info: human output, the LDs of each head and a table of heads" {
	run emu -- mhd-info switch0 --port 20
	assert_success
	assert_line --index 0 "switch0 LD pool of port 20: 4 LDs, 2 heads"
	assert_line --index 1 "head 0: LDs 0,1"
	assert_line --index 2 "head 1: LDs 2,3"
	assert_line --index 3 --regexp "^HEAD  PORT  WIDTH  MAX_WIDTH  SPEED +MAX_SPEED +SUPPORTED_GTS +LTSSM  LANE  FLAGS$"
	assert_line --index 4 --regexp "^0     0     x8     x8         32.0 GT/s  32.0 GT/s  2.5,5.0,8.0,16.0,32.0  l0     0     prsnt_detected$"
}

@test "mhd-info: the commands go to the LD pool CCI, one request each" {
	# through the port's device: the switch only takes target type 0
	# (r3.2 Table 7-37), the device's own tunnel reaches its LD pool
	run emu --stats "$STATS" -- mhd-info switch0 --port 20
	assert_success
	assert_equal "$(jq '.opcodes."0x5300>0x5300>0x5500"' "$STATS")" 1
	assert_equal "$(jq '.opcodes."0x5300>0x5300>0x5501"' "$STATS")" 1
	assert_equal "$(jq '.opcodes."0x5300>0x5500"' "$STATS")" null
}

@test "mhd-info: 32 heads behind a 256-byte limit are read in two pages" {
	local t=$BATS_TEST_TMPDIR/mhd32.json
	# head i on device port i, lane 8i; 28 9-byte blocks fit in 256 bytes
	jq '(.ports[] | select(.port_id == 20) | .device) |= (.max_msg_size = 256 |
		.mhd.heads = [range(32) as $i | .mhd.heads[0] |
			.port_number = $i | .first_negotiated_lane = ($i % 4) * 8])' \
		"$DEFAULT_TOPO" > "$t"
	run emu --topology "$t" --stats "$STATS" -- mhd-info switch0 --port 20 -j
	assert_success
	assert_equal "$(jq -c '[.heads[] | del(.head_id)]' <<<"$output")" "$(mhd .heads "$t")"
	jq -e '.head_count == 32' <<<"$output"
	assert_equal "$(jq '.opcodes."0x5300>0x5300>0x5501"' "$STATS")" 2
	assert_equal "$(jq '.opcodes."0x5300>0x5300>0x5500"' "$STATS")" 1
}

@test "mhd-info: a device without an LD pool CCI: the tunnel's return code" {
	run emu -- mhd-info switch0 --port 5
	assert_failure 1
	assert_output "cxl-switch mhd-info: switch0 LD pool of port 5: Get Multi-Headed Info (0x5500): tunnel to LD pool of port 5: Tunnel Management Command (0x5300): Unsupported Mailbox or CCI (0x15)"
}

@test "mhd-info: the device failing Get Head Info is named with its return code" {
	run emu --fail 0x5501:internal-error -- mhd-info switch0 --port 20
	assert_failure 1
	assert_output "cxl-switch mhd-info: switch0 LD pool of port 20: Get Head Info (0x5501): Internal Error (0x04)"
}

@test "mhd-info: a page that is not the one asked for is malformed" {
	run emu --fail 0x5500:short=9 -- mhd-info switch0 --port 20
	assert_failure 4
	assert_output --partial "Get Multi-Headed Info (0x5500)"
}

@test "mhd-info: --port is required, --ld is refused, --ld-pool is implied" {
	run emu -- mhd-info switch0
	assert_failure 2
	assert_output "cxl-switch mhd-info: missing --port: the switch port of the multi-headed device"
	run emu -- mhd-info switch0 --port 20 --ld 1
	assert_failure 2
	assert_output "cxl-switch mhd-info: --ld does not apply: the heads are described by the device's LD pool CCI"
	run emu -- mhd-info switch0 --port 20 --ld-pool -j
	assert_success
}
