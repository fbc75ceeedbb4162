#!/usr/bin/env bats
# list-lds and set-lds: an MLD's LD pool (0x5400-0x5402, tunnelled).
load helpers

stats() {
	jq -c "$1" "$BATS_TEST_TMPDIR/s.json"
}

mld() {
	topo ".ports[] | select(.port_id == $1) | .device.mld${2:-}" "${3:-$DEFAULT_TOPO}"
}

GIB=1073741824

@test "list-lds: every LD's ranges and allocation, as the topology says" {
	for p in 5 6 7 20 25; do
		run emu -- list-lds switch0 --port "$p" -j
		assert_success
		assert_equal "$(echo "$output" | jq -c '[.lds[] | [.ld_id, .range1_multiplier, .range2_multiplier]]')" \
			"$(mld "$p" '.lds | map([.ld_id, .range1_multiplier, .range2_multiplier])')"
		assert_equal "$(echo "$output" | jq .memory_size_bytes)" "$(mld "$p" .memory_size_bytes)"
		# sizes are bytes in the tool's JSON; the topology names the code
		assert_equal "$(echo "$output" | jq .granularity_bytes)" \
			"$(mld "$p" .granularity | jq '{"256MiB": 268435456, "512MiB": 536870912, "1GiB": 1073741824}[.]')"
	done
}

@test "list-lds: allocation, total and free in bytes add up" {
	run emu -- list-lds switch0 --port 5 -j
	assert_success
	# 256 MiB granularity: (16+0), (16+8), (32+0), (0+0) units
	assert_equal "$(echo "$output" | jq -c '[.lds[].allocation_bytes]')" \
		"[4294967296,6442450944,8589934592,0]"
	assert_equal "$(echo "$output" | jq '.allocated_bytes + .free_bytes == .memory_size_bytes')" true
}

@test "list-lds: each LD names the vPPBs it is bound to" {
	run emu -- list-lds switch0 --port 5 -j
	assert_success
	for ld in 0 1 2 3; do
		assert_equal "$(echo "$output" | jq -c ".lds[$ld].bound_to | map([.vcs_id, .vppb_id])")" \
			"$(topo "[.vcss[] | .vcs_id as \$v | .vppbs[] | select(.port_id == 5 and .ld_id == $ld) | [\$v, .vppb_id]]")"
	done
}

@test "list-lds: 16 LDs behind a 256-byte device limit take two pages" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" -- list-lds switch0 --port 7 -j
	assert_success
	assert_equal "$(echo "$output" | jq '.lds | length')" 16
	assert_equal "$(stats '."opcodes"."0x5300>0x5401"')" 2
}

# r3.2 Table 7-46 literally: min(limit, LD count) entries from the start;
# the second page of 16 LDs at 15 a page then says 15, of which one is an LD.
@test "list-lds: a device paging by the spec's literal reading is read the same" {
	run emu --paging literal --stats "$BATS_TEST_TMPDIR/s.json" -- list-lds switch0 --port 7 -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.lds[] | [.ld_id, .range1_multiplier, .range2_multiplier]]')" \
		"$(mld 7 '.lds | map([.ld_id, .range1_multiplier, .range2_multiplier])')"
	assert_equal "$(stats '."opcodes"."0x5300>0x5401"')" 2
}

@test "list-lds: the switch's smaller limit shrinks the device's pages too" {
	# 256 bytes at the switch leave 240 for the tunnelled answer: 14 LDs
	run emu --msg-limit 256 --stats "$BATS_TEST_TMPDIR/s.json" -- list-lds switch0 --port 7 -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.lds[].range1_multiplier]')" "$(mld 7 '.lds | map(.range1_multiplier)')"
	assert_equal "$(stats '."opcodes"."0x5300>0x5401"')" 2
}

@test "list-lds: the human table" {
	run emu -- list-lds switch0 --port 5
	assert_success
	assert_line --index 0 "switch0 port 5: 4 LDs, 64 GiB, granularity 256 MiB, 18 GiB allocated, 46 GiB free"
	assert_line --regexp '^1 +16 +8 +6 GiB +VCS 1 vPPB 0 \(USP 1\)$'
}

@test "list-lds: no --port, or a port without a pooled device" {
	run emu -- list-lds switch0
	assert_failure 2
	assert_output "cxl-switch list-lds: missing --port: the switch port of the pooled device (MLD)"
	run emu -- list-lds switch0 --port 4
	assert_failure 7
	assert_output "cxl-switch list-lds: switch0 port 4 does not implement Get LD Info (0x5400)"
}

@test "set-lds: one LD, checked in the device's saved state" {
	setup_state
	run emu_state -- set-lds switch0 --port 5 3=2G --force
	assert_success
	assert_state_is '(.ports[] | select(.port_id == 5) | .device.mld.lds[3].range1_multiplier) = 8'
}

@test "set-lds: range 2 and several LDs at once; the answer lists what the device applied" {
	setup_state
	run emu_state -- set-lds switch0 --port 6 4=1G+512M 5=2G --force -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.lds[] | select(.ld_id >= 4 and .ld_id <= 5) | [.range1_multiplier, .range2_multiplier]]')" '[[2,1],[4,0]]'
	assert_state_is '(.ports[] | select(.port_id == 6) | .device.mld.lds[4]) |= (.range1_multiplier = 2 | .range2_multiplier = 1) | (.ports[] | select(.port_id == 6) | .device.mld.lds[5].range1_multiplier) = 4'
}

@test "set-lds: wider than one request: sent in parts" {
	setup_state
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- set-lds switch0 --port 7 0=1G 15=1G --force
	assert_success
	assert_equal "$(stats '."opcodes"."0x5300>0x5402"')" 2
	assert_state_is '(.ports[] | select(.port_id == 7) | .device.mld.lds[0,15]) |= (.range1_multiplier = 1 | .range2_multiplier = 0)'
}

@test "set-lds: a failing second part: the first is put back, as a read-back shows" {
	setup_state
	run emu_state --fail 0x5402:internal-error:2 -- set-lds switch0 --port 7 0=1G 15=1G --force
	assert_failure 1
	assert_line --partial "Set LD Allocations (0x5402): Internal Error (0x04)"
	assert_line "cxl-switch set-lds: read back: LD 0 put back after being applied: nothing changed"
	assert_state_untouched
}

@test "set-lds: sizes are checked before sending, nothing changes" {
	setup_state
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- set-lds switch0 --port 7 2=1536M --force
	assert_failure 2
	assert_output "cxl-switch set-lds: LD 2: range 1 1536 MiB is not a multiple of the device's granularity 1 GiB"
	assert_equal "$(stats '."opcodes"."0x5300>0x5402"')" null
	assert_state_untouched
	run emu_state -- set-lds switch0 --port 7 2=400G --force
	assert_failure 2
	assert_output "cxl-switch set-lds: the LDs would hold 488 GiB, more than the device's 256 GiB"
	assert_state_untouched
	run emu_state -- set-lds switch0 --port 5 9=1G --force
	assert_failure 2
	assert_output "cxl-switch set-lds: the device has 4 LDs: there is no LD 9"
	assert_state_untouched
}

@test "set-lds: bad arguments are usage errors" {
	run emu -- set-lds switch0 --port 5 3
	assert_failure 2
	assert_output "cxl-switch set-lds: invalid '3': expected LD=SIZE or LD=SIZE+SIZE, e.g. 2=4G"
	run emu -- set-lds switch0 --port 5 3=4X
	assert_failure 2
	assert_output "cxl-switch set-lds: invalid size in '3=4X': expected bytes or a number with K, M, G or T (256M, 4G)"
	run emu -- set-lds switch0 3=4G
	assert_failure 2
	assert_output "cxl-switch set-lds: missing --port: the switch port of the pooled device (MLD)"
	run emu -- set-lds switch0 --port 5 1=1G 1=2G
	assert_failure 2
	assert_output "cxl-switch set-lds: LD 1 is given twice"
	run emu -- set-lds switch0 --port 4 0=1G --force
	assert_failure 2
	assert_output "cxl-switch set-lds: port 4 holds no pooled device (CXL Type 3 MLD)"
}

@test "set-lds: without --force off a terminal: refused, untouched" {
	setup_state
	run emu_state -- set-lds switch0 --port 5 3=1G
	assert_failure 5
	assert_output "cxl-switch set-lds: refusing to send Set LD Allocations (a host-visible change) without --force: stdin is not a terminal"
	assert_state_untouched
}

@test "set-lds: the policy can refuse host-visible changes" {
	setup_state
	echo "deny host-visible switch=switch0 ports=5" > "$BATS_TEST_TMPDIR/policy"
	run emu_state --policy "$BATS_TEST_TMPDIR/policy" -- set-lds switch0 --port 5 3=1G --force
	assert_failure 5
	assert_output "cxl-switch set-lds: refused: /etc/cxl-switch/policy.conf:1 denies host-visible changes to switch0"
	assert_state_untouched
}

@test "set-lds: --dry-run shows the request and its 0x5300 wrapping" {
	run emu -- set-lds switch0 --port 5 3=1G --dry-run -j
	assert_success
	assert_equal "$(echo "$output" | jq -r .status)" dry_run
	# 1 LD from LD 3; 4 units of 256 MiB in range 1
	assert_equal "$(echo "$output" | jq -r .request)" "0103000004000000000000000000000000000000"
	assert_equal "$(echo "$output" | jq -r .wire_opcode)" 21248
	# port 5, target type 0, 12 + 20 bytes of message; a request (0) for
	# 0x5402 with a 20-byte payload, then the payload itself
	wire=$(echo "$output" | jq -r .wire_request)
	assert_equal "${wire:0:8}" "05002000"
	assert_equal "${wire:8:2}" "00"
	assert_equal "${wire:14:10}" "0254140000"
	assert_equal "${wire:32}" "0103000004000000000000000000000000000000"
}

@test "set-lds: the confirmation names the hosts of a bound LD" {
	run emu -- set-lds switch0 --port 5 2=1G --dry-run -j
	assert_success
	assert_equal "$(echo "$output" | jq -r .affects)" "LD 2: the host on upstream port 2 (VCS 2 vPPB 0)"
	assert_equal "$(echo "$output" | jq -r .effect)" "LD 2 8 GiB -> 1 GiB on port 5 (11 GiB of 64 GiB allocated after)"
}

@test "set-lds: LD=SIZE is the LD's whole allocation: a range 2 it held is cleared" {
	# LD 10 of port 7 holds 4 GiB in range 1 and 4 GiB in range 2
	assert_equal "$(topo '.ports[] | select(.port_id == 7) | .device.mld.lds[10] | [.range1_multiplier, .range2_multiplier]')" '[4,4]'
	setup_state
	run emu_state -- set-lds switch0 --port 7 10=1G --force -j
	assert_success
	assert_equal "$(echo "$output" | jq -r .effect)" "LD 10 8 GiB -> 1 GiB on port 7 (89 GiB of 256 GiB allocated after)"
	assert_equal "$(echo "$output" | jq -c '.lds[] | select(.ld_id == 10) | [.range1_multiplier, .range2_multiplier, .allocation_bytes]')" '[1,0,1073741824]'
	assert_state_is '(.ports[] | select(.port_id == 7) | .device.mld.lds[10]) |= (.range1_multiplier = 1 | .range2_multiplier = 0)'
}

@test "set-lds: SIZE+SIZE2 keeps both ranges: 4G+4G leaves the 4 GiB + 4 GiB LD as it is" {
	setup_state
	run emu_state -- set-lds switch0 --port 7 10=4G+4G --force -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '.lds[] | select(.ld_id == 10) | [.range1_multiplier, .range2_multiplier]')" '[4,4]'
	assert_state_untouched
	run emu_state -- set-lds switch0 --port 7 10=4G --force
	assert_success
	assert_line "  effect:  LD 10 8 GiB -> 4 GiB on port 7 (92 GiB of 256 GiB allocated after)"
}

@test "set-lds: the human answer is a table of the values the JSON of the same change holds" {
	setup_state
	run emu_state -- set-lds switch0 --port 7 10=1G 11=2G+1G --force -j
	assert_success
	json=$output
	setup_state
	run emu_state -- set-lds switch0 --port 7 10=1G 11=2G+1G --force
	assert_success
	refute_output --partial "ld_id,"
	assert_line "  lds:"
	assert_line --regexp '^    ld_id +range1_multiplier +range2_multiplier +allocation_bytes$'
	# every row of the table is one LD of the JSON, value for value
	want=$(echo "$json" | jq -r '.lds[] | [.ld_id, .range1_multiplier, .range2_multiplier, .allocation_bytes] | map(tostring) | join(" ")')
	got=$(echo "$output" | sed -n '/^  lds:$/,$p' | tail -n +3 | tr -s ' ' | sed 's/^ //')
	assert_equal "$got" "$want"
	assert_equal "$(echo "$json" | jq '.lds | length')" 2
}

@test "set-lds any=SIZE: the first LD with no memory and bound nowhere, named in the dry run and the result" {
	# port 7: LDs 12-15 hold nothing, none is bound
	assert_equal "$(topo '[.ports[] | select(.port_id == 7) | .device.mld.lds | to_entries[] | select(.value.range1_multiplier + .value.range2_multiplier == 0) | .key][0]')" 12
	setup_state
	run emu_state -- set-lds switch0 --port 7 any=4G --dry-run -j
	assert_success
	echo "$output" | jq -e '.picked_ld_id == 12 and (.effect | endswith("; picked LD 12, the first that held no memory and was bound nowhere"))'
	assert_state_untouched
	# an LD named beside it is not picked
	run emu_state -- set-lds switch0 --port 7 12=1G any=4G --force -j
	assert_success
	echo "$output" | jq -e '.picked_ld_id == 13'
	assert_state_is '(.ports[] | select(.port_id == 7) | .device.mld.lds[12].range1_multiplier) = 1 | (.ports[] | select(.port_id == 7) | .device.mld.lds[13].range1_multiplier) = 4'
}

@test "set-lds any=SIZE: none free is refused; any twice is a usage error" {
	# port 5: LD 3 is the only one without memory; give it some
	setup_state
	jq '(.ports[] | select(.port_id == 5) | .device.mld.lds[3].range1_multiplier) = 4' "$DEFAULT_TOPO" > "$STATE_IN"
	run emu_state -- set-lds switch0 --port 5 any=1G --force
	assert_failure 2
	assert_output "cxl-switch set-lds: port 5 has no LD that holds no memory and is bound to no vPPB: name one"
	assert_state_untouched
	run emu -- set-lds switch0 --port 5 any=1G any=2G
	assert_failure 2
	assert_output "cxl-switch set-lds: 'any' is given twice: it picks one LD"
}
