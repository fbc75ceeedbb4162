#!/usr/bin/env bats
# topology: hosts -> vPPBs -> ports -> devices -> LDs, as JSON, a tree
# and Graphviz DOT.
bats_require_minimum_version 1.5.0
load helpers

@test "topology: the hosts are the VCSs with their vPPBs, as the topology says" {
	run emu -- topology switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.hosts[] | [.vcs_id, .usp_id, .state, [.vppbs[] | [.vppb_id, .binding_status, .port_id, .ld_id]]]]')" \
		"$(topo '[.vcss[] | [.vcs_id, .usp_id, .state, [.vppbs[] | [.vppb_id, .binding_status, .port_id, .ld_id]]]]')"
}

@test "topology: every downstream port, bound or not, with its device and LD pool" {
	run emu -- topology switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.ports[].port_id]')" \
		"$(topo '[.ports[] | select(.config_state == "dsp") | .port_id]')"
	assert_equal "$(echo "$output" | jq -c '.ports[] | select(.port_id == 14) | [.bound, .device]')" '[false,null]'
	assert_equal "$(echo "$output" | jq -c '.ports[] | select(.port_id == 5) | .device.ld_pool.lds | map(.range1_multiplier)')" \
		"$(topo '.ports[] | select(.port_id == 5) | .device.mld.lds | map(.range1_multiplier)')"
	assert_equal "$(echo "$output" | jq -r '.ports[] | select(.port_id == 4) | .device.identify.serial')" \
		"$(topo '.ports[] | select(.port_id == 4) | .device.identify.serial' | jq -r .)"
}

@test "topology: the tree shows hosts, what is unbound and the free memory" {
	run emu -- topology switch0
	assert_success
	assert_line --index 0 "switch0: 32 ports, 4 VCSs"
	assert_line "├─ host on upstream port 0: VCS 0 (enabled)"
	assert_line --regexp '^│  ├─ vPPB 1: port 5 LD 0, cxl_type3_mld serial 0x00c0ffee00000005, 4 GiB'
	assert_line "└─ not bound to any host"
	assert_line "   ├─ port 14: none"
	assert_line "   ├─ port 18: cxl_type3_sld, unreachable (link down)"
	assert_line "   ├─ port 5 pool: 46 GiB free, LDs unbound: 3"
}

@test "topology --dot: a graph that Graphviz renders" {
	run emu -- topology switch0 --dot
	assert_success
	assert_line --index 0 'digraph "switch0" {'
	assert_line '  host0 -> vcs0_vppb1;'
	assert_line '  vcs0_vppb1 -> port5_ld0;'
	assert_line --regexp '^  port14 \[.*style=dashed\];$'
	if ! command -v dot >/dev/null; then
		skip "graphviz (dot) is not installed"
	fi
	echo "$output" > "$BATS_TEST_TMPDIR/t.dot"
	run dot -Tsvg "$BATS_TEST_TMPDIR/t.dot"
	assert_success
	assert_output --partial "<svg"
}

@test "topology: --dot and --json together are a usage error" {
	run emu -- topology switch0 --dot -j
	assert_failure 2
	assert_output --partial "cxl-switch topology: --dot and --json exclude each other: one output format"
}

@test "topology: a device that fails is shown with its error, in one JSON document" {
	run --separate-stderr emu --fail 0x4000:internal-error -- topology switch0 -j
	assert_failure 1
	assert_equal "$(echo "$output" | jq -r '.ports[] | select(.port_id == 4) | .device.error')" \
		"Identify Memory Device (0x4000): Internal Error (0x04)"
	assert_equal "$(echo "$output" | jq '.hosts | length')" 4
}

@test "topology: dynamic capacity devices show what each host holds" {
	run emu -- topology switch0 -j
	assert_success
	for p in 12 25; do
		assert_equal "$(echo "$output" | jq -c ".ports[] | select(.port_id == $p) | .device.dynamic_capacity.hosts | map([.host_id, [.extents[] | [.start_dpa, .length_bytes, .tag]]])")" \
			"$(topo ".ports[] | select(.port_id == $p) | .device.dcd.hosts | map([.host_id, [.extents[] | [.start_dpa, .length_bytes, .tag]]])")"
	done
	assert_equal "$(echo "$output" | jq -c '.ports[] | select(.port_id == 4) | .device.dynamic_capacity')" null
	run emu -- topology switch0
	assert_success
	assert_line "   ├─ port 12 dynamic capacity 8 GiB: host 0 holds 768 MiB in 2 extents, host 1 holds 128 MiB in 1 extent"
}

@test "topology: each device is reached through one tunnel, its limit never asked" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" -- topology switch0 -j
	assert_success
	# the devices that answer: a Type 3 device on a downstream port whose
	# link is up; of those, an MLD's allocations and a DCD's extents come
	# in pages of what every CCI takes: at most two, so asking the
	# device's limit (0x0003) would save nothing (issue 16)
	local reachable='[.ports[] | select(.config_state == "dsp" and .ltssm_state == "l0" and .device != null and (.connected_device_type | test("cxl_type3")))]'
	devices=$(topo "$reachable | length")
	paged=$(topo "$reachable | map(select(.connected_device_type == \"cxl_type3_mld\" or .device.dcd != null)) | length")
	[ "$devices" -gt 0 ] && [ "$paged" -gt 0 ]
	assert_equal "$(jq '.opcodes."0x5300>0x0001"' "$BATS_TEST_TMPDIR/s.json")" "$devices"
	assert_equal "$(jq '.opcodes."0x5300>0x0003" // 0' "$BATS_TEST_TMPDIR/s.json")" 0
	# each MLD is asked Get LD Info once, for its LD count and its pool
	mlds=$(topo "$reachable | map(select(.connected_device_type == \"cxl_type3_mld\")) | length")
	assert_equal "$(jq '.opcodes."0x5300>0x5400"' "$BATS_TEST_TMPDIR/s.json")" "$mlds"
}

# Does the tree section of line i (drawn at indent ind) go on after it?
# A nested section goes on in the next line; the top level in any later.
section_goes_on() {
	local i=$1 ind=$2 j l
	for ((j = i + 1; j < ${#lines[@]}; j++)); do
		l=${lines[j]}
		[[ $l == "$ind├─ "* || $l == "$ind└─ "* ]] && return 0
		[ -n "$ind" ] && return 1
	done
	return 1
}

@test "topology: the last line of every section of the tree is drawn with └─" {
	run emu -- topology switch0
	assert_success
	local i cur ind last
	for ((i = 1; i < ${#lines[@]}; i++)); do
		cur=${lines[i]}
		case $cur in
		"│  ├─ "*) ind="│  " last=false ;;
		"│  └─ "*) ind="│  " last=true ;;
		"   ├─ "*) ind="   " last=false ;;
		"   └─ "*) ind="   " last=true ;;
		"├─ "*) ind="" last=false ;;
		"└─ "*) ind="" last=true ;;
		*) continue ;;
		esac
		if section_goes_on "$i" "$ind"; then
			[ "$last" = false ] || fail "drawn as the last of its section, but it is not: $cur"
		else
			[ "$last" = true ] || fail "the last of its section, drawn with ├─: $cur"
		fi
	done
	assert_line --regexp '^   └─ port 25 dynamic capacity '
}
