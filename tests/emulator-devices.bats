#!/usr/bin/env bats
# The emulated switch's devices: Tunnel Management (0x5300) to the Type 3
# devices behind its ports and to an MLD's LDs, their commands, limits and
# errors, the saved state, the host's memdevs and the tunnel faults.
# Checked with probe (a raw client, probe -t wraps in tunnels) and
# host-probe (libcxl), against the topology file, not the tool.
bats_require_minimum_version 1.5.0
load helpers
load probe

HOST_PROBE=$TOP/tests/emulator/host-probe

setup_file() {
	[ -x "$PROBE" ] && [ -x "$HOST_PROBE" ] ||
		make -C "$TOP" tests/emulator/probe tests/emulator/host-probe >&2
}

setup() {
	setup_state
}

# little-endian field of a hex string: OFFSET SIZE
le() {
	local hex=$1 off=$2 size=$3 v=""
	for ((i = size - 1; i >= 0; i--)); do
		v+=${hex:$(((off + i) * 2)):2}
	done
	echo $((16#$v))
}
dev() { topo ".ports[] | select(.port_id == $1) | .device$2" "$STATE_IN"; }

@test "devices: the default topology saves byte for byte, devices and all" {
	run probe -- -t 4 0x0001
	assert_success
	assert_state_untouched
}

@test "devices: Identify through the switch's tunnel is the device's" {
	for port in 4 5 7 12 20 25; do
		run probe -- -t $port 0x0001
		assert_equal "$(rc)" 0x00
		assert_equal "$(level 0 rc)" 0x00
		assert_equal "$(level 0 op)" 0x0001
		assert_equal "$(level 0 tag)" 0x41
		assert_equal "$(level 0 cat)" 1
		p=$(payload 1)
		assert_equal "$(printf '"0x%016x"' "$(le "$p" 8 8)")" "$(dev $port .identify.serial)"
		assert_equal "$(le "$p" 16 1)" "$(jq -n "$(dev $port .max_msg_size) | log2 | round")"
		assert_equal "$(le "$p" 17 1)" 3
	done
}

@test "devices: Identify Memory Device of a device and of one LD (two levels)" {
	run probe -- -t 22 0x4000
	p=$(payload 1)
	assert_equal "$(le "$p" 16 8)" $(($(dev 22 .memdev.total_capacity_bytes) >> 28))
	assert_equal "$(le "$p" 32 8)" $(($(dev 22 .memdev.persistent_only_capacity_bytes) >> 28))
	assert_equal "$(le "$p" 56 4)" "$(dev 22 .memdev.lsa_size)"
	run probe -- -t 5 -t 2 0x4000
	assert_equal "$(level 0 op)" 0x5300
	assert_equal "$(level 1 op)" 0x4000
	assert_equal "$(level 1 tag)" 0x42
	p=$(payload 2)
	# LD 2 of port 5: (32 + 0) * 256 MiB
	assert_equal "$(le "$p" 16 8)" 32
	run probe -- -t 5 -t 2 0x0001
	assert_equal "$(printf '"0x%016x"' "$(le "$(payload 2)" 8 8)")" "$(dev 5 .identify.serial)"
}

@test "devices: LD allocations on a 256-byte device need two pages" {
	run probe -- -t 7 0x5401 0010
	assert_equal "$(level 0 rc)" 0x02
	run probe -- -t 7 0x5401 000f
	assert_equal "$(level 0 rc)" 0x00
	p=$(payload 1)
	assert_equal "$(le "$p" 0 1)" 16
	assert_equal "$(le "$p" 3 1)" 15
	run probe -- -t 7 0x5401 0f0f
	p=$(payload 1)
	assert_equal "$(le "$p" 2 1)" 15
	assert_equal "$(le "$p" 3 1)" 1
	assert_equal "$(le "$p" 4 8)" "$(dev 7 .mld.lds[15].range1_multiplier)"
}

@test "devices: Set LD Allocations applies all or nothing" {
	# LD 3 of port 5 gets 300 x 256 MiB: beyond the 64 GiB
	run probe -- -t 5 0x5402 010300002c010000000000000000000000000000
	assert_equal "$(level 0 rc)" 0x02
	assert_state_untouched
	# LDs 3..4 of a 4-LD device
	run probe -- -t 5 0x5402 02030000$(printf '%032d%032d' 0 0)
	assert_equal "$(level 0 rc)" 0x02
	# LD 3: 8 + 4
	run probe -- -t 5 0x5402 010300000800000000000000040000000000000000
	assert_equal "$(level 0 rc)" 0x16
	run probe -- -t 5 0x5402 0103000008000000000000000400000000000000
	assert_equal "$(level 0 rc)" 0x00
	assert_equal "$(payload 1)" 0103000008000000000000000400000000000000
	assert_state_is '(.ports[] | select(.port_id == 5) | .device.mld.lds[3]) |= (.range1_multiplier = 8 | .range2_multiplier = 4)'
}

@test "devices: QoS control, status and bandwidth" {
	run probe -- -t 6 0x5404 016565000000ff
	assert_equal "$(level 0 rc)" 0x02
	run probe -- -t 6 0x5406 0207
	assert_equal "$(level 0 rc)" 0x02
	run probe -- -t 6 0x5409 020680ff
	assert_equal "$(payload 1)" 020680ff
	run probe -- -t 6 0x5405
	assert_equal "$(payload 1)" "$(printf '%02x' "$(dev 6 .mld.backpressure_average_percent)")"
	run "$EMU" --topology "$STATE_IN" --save "$STATE_OUT" -- sh -c "
		$PROBE -t 6 /dev/cxl/switch0 0x5404 02141e04e80340
		$PROBE -t 6 /dev/cxl/switch0 0x5407 02060102
		$PROBE -t 6 /dev/cxl/switch0 0x5409 020680ff"
	assert_success
	assert_state_is '(.ports[] | select(.port_id == 6) | .device.mld) |= (
		.qos_control = {"egress_port_congestion_enable": false, "temporary_throughput_reduction_enable": true,
			"egress_moderate_percent": 20, "egress_severe_percent": 30, "backpressure_sample_interval": 4,
			"req_cmpl_basis": 1000, "completion_collection_interval": 64}
		| .lds[6].qos_allocated_bw = 1 | .lds[7].qos_allocated_bw = 2
		| .lds[6].qos_bw_limit = 128 | .lds[7].qos_bw_limit = 255)'
}

@test "devices: multi-headed info and the LD-pool CCI" {
	# the pool is the device's: {port, type 0} wrapping {0xFF, type 1}
	run probe -- -t 20 -t 255:1 0x5500 0010
	assert_equal "$(level 1 rc)" 0x00
	assert_equal "$(payload 2)" 040200000004000000000101
	run probe -- -t 20 -t 0:1 0x5501 0002
	p=$(payload 2)
	assert_equal "$(le "$p" 0 1)" 2
	assert_equal "$(le "$p" 13 1)" "$(dev 20 .mhd.heads[1].port_number)"
	run probe -- -t 20 0x5400
	assert_equal "$(le "$(payload 1)" 8 2)" 4
	# r3.2 Table 7-37: the id is valid only with target type 0, so a
	# switch has no egress port for type 1, even to a multi-headed device
	run probe -- -t 20:1 0x5500 0010
	assert_equal "$(rc)" 0x02
	run probe -- -t 5:1 0x0001
	assert_equal "$(rc)" 0x02
	# the LD-pool CCI of an MLD that is not multi-headed; an SLD has no tunnel
	run probe -- -t 5 -t 255:1 0x0001
	assert_equal "$(level 0 rc)" 0x15
	run probe -- -t 4 -t 255:1 0x0001
	assert_equal "$(level 0 rc)" 0x03
	# the pool is no memory device and no tunnel
	run probe -- -t 20 -t 255:1 0x4000
	assert_equal "$(level 1 rc)" 0x03
	run probe -- -t 20 -t 255:1 -t 0 0x0001
	assert_equal "$(level 1 rc)" 0x03
}

@test "devices: tunnel errors at each level" {
	# no device, a link down, no such LD
	for port in 14 30 200; do
		run probe -- -t $port 0x0001
		assert_equal "$(rc)" 0x02
	done
	run probe -- -t 5 -t 4 0x0001
	assert_equal "$(level 0 rc)" 0x02
	# command size 13 for a 12-byte message; header length 1 for none
	run probe -- 0x5300 04000d00004100010000000000000000
	assert_equal "$(rc)" 0x16
	run probe -- 0x5300 04000c00004100010001000000000000
	assert_equal "$(rc)" 0x16
	# a response as the inner message
	run probe -- 0x5300 04000c00014100010000000000000000
	assert_equal "$(rc)" 0x02
	# an SLD does not tunnel; unknown opcodes are the inner Unsupported
	run probe -- -t 4 -t 0 0x0001
	assert_equal "$(level 0 rc)" 0x03
	run probe -- -t 4 0x5100
	assert_equal "$(level 0 rc)" 0x03
	# the whole answer must fit the switch's limit
	run probe --msg-limit 256 -- -o 256 -t 7 0x5401 000f
	assert_equal "$(rc)" 0x02
}

@test "devices: dynamic capacity: info, regions, extents" {
	run probe -- -t 12 0x5600
	p=$(payload 1)
	assert_equal "$(le "$p" 0 1)" 2
	assert_equal "$(le "$p" 1 1)" 2
	assert_equal "$(le "$p" 4 2)" 15
	assert_equal "$(le "$p" 12 8)" 32
	assert_equal "$(le "$p" 20 8)" $(((2 << 20) | (256 << 20)))
	run probe -- -t 12 0x5601 01000200
	p=$(payload 1)
	assert_equal "$(le "$p" 3 1)" 2
	assert_equal "$(le "$p" 12 8)" 16
	assert_equal "$(le "$p" 84 4)" 64
	assert_equal "$(le "$p" 88 4)" 61
	run probe -- -t 12 0x5603 010000000a00000000000000
	p=$(payload 1)
	assert_equal "$(le "$p" 8 4)" 1
	assert_equal "$(le "$p" 16 4)" "$(dev 12 .dcd.hosts[1].generation)"
}

# VALUE BYTES: little-endian hex
le_hex() {
	local s=""
	for ((i = 0; i < $2; i++)); do
		s+=$(printf '%02x' $((($1 >> (8 * i)) & 0xff)))
	done
	echo "$s"
}

# 0x5604 / 0x5605: HOST POLICY-OR-FLAGS REGION LENGTH TAG-HEX [DPA LEN]...
dc_req() {
	local out
	out=$(le_hex "$1" 2)$(le_hex "$2" 1)$(le_hex "$3" 1)$(le_hex "$4" 8)$5
	shift 5
	out+=$(le_hex $(($# / 2)) 4)
	while [ $# -gt 0 ]; do
		out+=$(le_hex "$1" 8)$(le_hex "$2" 8)$(printf '%048d' 0)
		shift 2
	done
	echo "$out"
}

TAG=11111111222233334444555555555555
MiB=$((1 << 20))

@test "devices: dynamic capacity add runs in the background and bumps the generation" {
	# host 1, free, region 1 (base 20 GiB; host 0 holds its first 512 MiB):
	# not applied before it completes, applied at once with 0 polls
	run probe --bg-polls 2 -- -t 12 0x5604 "$(dc_req 1 0 1 $((512 * MiB)) $TAG)"
	assert_equal "$(level 0 rc)" 0x01
	assert_equal "$(level 0 bg)" 1
	assert_state_untouched
	run probe --bg-polls 0 -- -t 12 0x5604 "$(dc_req 1 0 1 $((512 * MiB)) $TAG)"
	assert_equal "$(level 0 rc)" 0x01
	assert_state_is '(.ports[] | select(.port_id == 12) | .device.dcd.hosts[1]) |= (.generation += 1
		| .extents += [{"start_dpa": "0x520000000", "length_bytes": 536870912,
			"tag": "11111111-2222-3333-4444-555555555555", "shared_sequence": 0}])'
}

@test "devices: dynamic capacity add, polled to its end through the tunnel" {
	run "$EMU" --topology "$STATE_IN" --save "$STATE_OUT" --bg-polls 2 -- sh -c "
		$PROBE -t 12 /dev/cxl/switch0 0x5604 $(dc_req 0 2 0 $((4 * MiB)) $TAG $((0x400000000 + 512 * MiB)) $((4 * MiB)))
		$PROBE -t 12 /dev/cxl/switch0 0x5604 $(dc_req 0 0 0 $((2 * MiB)) $TAG)
		$PROBE -t 12 /dev/cxl/switch0 0x0002
		$PROBE -t 12 /dev/cxl/switch0 0x0002
		$PROBE -t 12 /dev/cxl/switch0 0x0002"
	assert_success
	# started, Busy, then running, running, done (opcode 0x5604, Success)
	assert_equal "$(sed -n 's/^tunnel 0: .*rc=//p' <<<"$output" | tr '\n' ' ')" "0x01 0x06 0x00 0x00 0x00 "
	# the last status: not running, 100 %, opcode 0x5604, Success
	assert_equal "$(grep -E '^[0-9a-f]{2} ' <<<"$output" | tail -1)" "c8 00 04 56 00 00 00 00"
	assert_state_is '(.ports[] | select(.port_id == 12) | .device.dcd.hosts[0]) |= (.generation += 1
		| .extents += [{"start_dpa": "0x420000000", "length_bytes": 4194304,
			"tag": "11111111-2222-3333-4444-555555555555", "shared_sequence": 0}])'
}

@test "devices: dynamic capacity errors change nothing" {
	# prescriptive, overlapping host 0's extent at 16 GiB
	run probe -- -t 12 0x5604 "$(dc_req 1 2 0 $((256 * MiB)) $TAG $((0x400000000)) $((256 * MiB)))"
	assert_equal "$(level 0 rc)" 0x1e
	# prescriptive, outside region 0
	run probe -- -t 12 0x5604 "$(dc_req 1 2 0 $((256 * MiB)) $TAG $((0x500000000)) $((256 * MiB)))"
	assert_equal "$(level 0 rc)" 0x1e
	# 5 GiB in a 4 GiB region
	run probe -- -t 12 0x5604 "$(dc_req 0 0 0 $((5120 * MiB)) $TAG)"
	assert_equal "$(level 0 rc)" 0x1d
	# 1 MiB in 2 MiB blocks; host 5; region 9; policy 7
	run probe -- -t 12 0x5604 "$(dc_req 0 0 0 $MiB $TAG)"
	assert_equal "$(level 0 rc)" 0x02
	run probe -- -t 12 0x5604 "$(dc_req 5 0 0 $((2 * MiB)) $TAG)"
	assert_equal "$(level 0 rc)" 0x02
	run probe -- -t 12 0x5604 "$(dc_req 0 0 9 $((2 * MiB)) $TAG)"
	assert_equal "$(level 0 rc)" 0x02
	run probe -- -t 12 0x5604 "$(dc_req 0 7 0 $((2 * MiB)) $TAG)"
	assert_equal "$(level 0 rc)" 0x02
	# one extent too few bytes for the count
	req=$(dc_req 1 2 0 $((2 * MiB)) $TAG $((0x400000000 + 512 * MiB)) $((2 * MiB)))
	run probe -- -t 12 0x5604 "${req:0:$((${#req} - 2))}"
	assert_equal "$(level 0 rc)" 0x16
	# prescriptive release of an extent host 1 does not have
	run probe -- -t 12 0x5605 "$(dc_req 1 1 0 $((256 * MiB)) $TAG $((0x400000000)) $((256 * MiB)))"
	assert_equal "$(level 0 rc)" 0x1e
	# a region with extents cannot change its block size
	run probe -- -t 12 0x5602 00000000$(le_hex $((256 * MiB)) 8)00000000
	assert_equal "$(level 0 rc)" 0x02
	# one not in its mask
	run probe -- -t 12 0x5602 01000000$(le_hex $((2 * MiB)) 8)01000000
	assert_equal "$(level 0 rc)" 0x02
	assert_state_untouched
}

@test "devices: tag-based and prescriptive release" {
	# host 1's one extent, 128 MiB, tag ...5e03
	run probe --bg-polls 0 -- -t 12 0x5605 "$(dc_req 1 0 0 $((128 * MiB)) 6a2c5e643f0e4d619c9e1b2a0c4d5e03)"
	assert_equal "$(level 0 rc)" 0x01
	assert_state_is '(.ports[] | select(.port_id == 12) | .device.dcd.hosts[1]) |= (.generation += 1 | .extents = [])'
	# the middle of host 0's 512 MiB extent in region 1 splits it
	run probe --bg-polls 0 -- -t 12 0x5605 "$(dc_req 0 1 0 $((256 * MiB)) $TAG $((0x500000000 + 0)) $((256 * MiB)))"
	assert_equal "$(level 0 rc)" 0x01
	run jq -c '.ports[] | select(.port_id == 12) | .device.dcd.hosts[0].extents | map([.start_dpa, .length_bytes])' "$STATE_OUT"
	assert_output '[["0x400000000",268435456],["0x510000000",268435456]]'
}

@test "devices: faults of a tunnel answer, at the level asked for" {
	run probe --fail 0x5300:tag:2 -- -t 5 -t 2 0x0001
	assert_equal "$(level 0 tag)" 0x41
	assert_equal "$(level 1 tag)" 0x43
	run probe --fail 0x5300:opcode:1 -- -t 5 -t 2 0x0001
	assert_equal "$(level 0 op)" 0x5301
	run probe --fail 0x5300:category:2 -- -t 5 -t 2 0x0001
	assert_equal "$(level 1 cat)" 0
	run probe --fail 0x5300:tunnel-len=-3 -- -t 4 0x0001
	assert_equal "$(level 0 resp_len)" 27
	run probe --fail 0x5300:inner-len=5 -- -t 4 0x0001
	assert_equal "$(level 0 len)" 23
	run probe --fail 0x5401:busy -- -t 5 0x5401 0004
	assert_equal "$(rc)" 0x00
	assert_equal "$(level 0 rc)" 0x06
	run probe --fail 0x0001:errno=EIO -- -t 5 -t 1 0x0001
	assert_output errno=EIO
	run "$EMU" --fail 0x5101:tag -- true
	assert_failure 2
}

@test "devices: the inner payload length is bits 20:0 (r3.2 Table 7-14)" {
	# 2^20 more: bit 20 set, which a 19:0 reader would not see
	run probe --fail 0x5300:inner-len=1048576 -- -t 4 0x0001
	assert_equal "$(level 0 len)" $((1048576 + 18))
	# a request whose inner length has bit 20 set and command size 12
	run probe -- 0x5300 04000c00004100010000001000000000
	assert_equal "$(rc)" 0x16
	run probe -- 0x5300 04000c00004100010000000000000000
	assert_equal "$(rc)" 0x00
}

@test "devices: swap=P,Q moves two ports' devices after the command, the ports' own fields stay" {
	local keep='del(.device, .connected_cxl_version, .connected_device_type, .supported_cxl_versions,
		.max_link_width, .negotiated_link_width, .supported_link_speeds_gts, .max_link_speed_gts,
		.current_link_speed_gts, .ltssm_state, .first_negotiated_lane, .link_state_flags,
		.supported_ld_count)'
	# the command that carries it is answered from the state before
	run probe --fail 0x5300:swap=12,5:1 -- -t 12 0x5600
	assert_equal "$(level 0 rc)" 0x00
	# the device and what the port state says of it moved; id, role and
	# configuration space did not
	for p in 5:12 12:5; do
		assert_equal "$(jq -c ".ports[] | select(.port_id == ${p%:*}) | $keep" "$STATE_OUT")" \
			"$(jq -c ".ports[] | select(.port_id == ${p%:*}) | $keep" "$STATE_IN")"
		assert_equal "$(jq -c ".ports[] | select(.port_id == ${p%:*}) | del(.port_id, .config_state, .config_space)" "$STATE_OUT")" \
			"$(jq -c ".ports[] | select(.port_id == ${p#*:}) | del(.port_id, .config_state, .config_space)" "$STATE_IN")"
	done
	# the next command finds them swapped: port 12's device is no DCD now
	# (Get DCD Info: Unsupported)
	run "$EMU" --topology "$STATE_IN" --fail 0x0001:swap=12,5:1 -- sh -c \
		"'$PROBE' /dev/cxl/switch0 0x0001 > /dev/null; '$PROBE' -t 12 /dev/cxl/switch0 0x5600"
	assert_equal "$(level 0 rc)" 0x03
	# ports the model lacks, or one port twice: nothing moves; bad specs refused
	run probe --fail 0x0001:swap=12,200:1 -- 0x0001
	cmp <(jq -S . "$STATE_IN") <(jq -S . "$STATE_OUT")
	for bad in swap=12 swap=12,256 swap=,5 swap=12,5,6 swap=-1,5; do
		run "$EMU" --fail "0x0001:$bad" -- true
		assert_failure 2
	done
}

@test "devices: --stats counts tunnelled commands by path" {
	run probe --stats "$BATS_TEST_TMPDIR/s.json" -- -t 5 -t 2 0x0001
	run jq -c .opcodes "$BATS_TEST_TMPDIR/s.json"
	assert_output '{"0x5300":1,"0x5300>0x5300":1,"0x5300>0x5300>0x0001":1}'
}

@test "devices: a changed device loads and saves back the same" {
	run probe -- -t 5 0x5402 0103000008000000000000000400000000000000
	cp "$STATE_OUT" "$BATS_TEST_TMPDIR/again.json"
	"$EMU" --topology "$BATS_TEST_TMPDIR/again.json" --save "$BATS_TEST_TMPDIR/again2.json" -- true
	cmp "$BATS_TEST_TMPDIR/again.json" "$BATS_TEST_TMPDIR/again2.json"
}

@test "devices: bad device keys are one line naming file and key" {
	jq '(.ports[] | select(.port_id == 5) | .device.mld.lds[1].frob) = 1' "$DEFAULT_TOPO" > "$STATE_IN"
	run "$EMU" --topology "$STATE_IN" -- true
	assert_failure 2
	assert_output "cxl-switch-emu: $STATE_IN: ports[5].device.mld.lds[1].frob: unknown key"
	jq '(.ports[] | select(.port_id == 12) | .device.dcd.regions[0].block_size_bytes) = 4096' "$DEFAULT_TOPO" > "$STATE_IN"
	run "$EMU" --topology "$STATE_IN" -- true
	assert_output "cxl-switch-emu: $STATE_IN: ports[12].device.dcd.regions[0].block_size_bytes: not one of supported_block_sizes_bytes"
	jq '(.ports[] | select(.port_id == 4) | .device.max_msg_size) = 100' "$DEFAULT_TOPO" > "$STATE_IN"
	run "$EMU" --topology "$STATE_IN" -- true
	assert_output "cxl-switch-emu: $STATE_IN: ports[4].device.max_msg_size: must be a power of two from 256 to 1048576"
}

@test "devices: the host sees its memdevs through libcxl, or none with --no-host" {
	run "$EMU" -- "$HOST_PROBE"
	assert_success
	want=$(jq -r '.ports[] | select(.device.host_memdev != null) | "\(.device.host_memdev) \(.device.identify.serial)"' "$DEFAULT_TOPO" | sort)
	assert_equal "$(sort <<<"$output")" "$want"
	run "$EMU" --no-host -- "$HOST_PROBE"
	assert_success
	assert_output ""
}
