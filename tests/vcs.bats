#!/usr/bin/env bats
# list-vcs: Get Virtual CXL Switch Info (0x5200), against the topology files.
load helpers

stats() {
	jq -c "$1" "$BATS_TEST_TMPDIR/s.json"
}

# The topology's VCSs as the tool reports them: num_vppbs is the count.
expected_vcss() {
	jq -S -c '[.vcss[] | .num_vppbs = (.vppbs | length)]' "$1"
}

@test "list-vcs: JSON equals the default topology field by field" {
	run emu -- list-vcs switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq -S -c .vcss)" "$(expected_vcss "$DEFAULT_TOPO")"
}

@test "list-vcs: 16 VCSs of 64 vPPBs under a 256-byte limit, all there" {
	run emu --topology "$BIG_TOPO" --msg-limit 256 \
		--stats "$BATS_TEST_TMPDIR/s.json" -- list-vcs switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq '[.vcss[].vppbs | length] | add')" 1024
	assert_equal "$(echo "$output" | jq -S -c .vcss)" "$(expected_vcss "$BIG_TOPO")"
}

@test "list-vcs: 16 x 64 vPPBs at 256 bytes take the fewest requests" {
	emu --topology "$BIG_TOPO" --msg-limit 256 \
		--stats "$BATS_TEST_TMPDIR/s.json" -- list-vcs switch0 >/dev/null
	# 16 VCS headers and 1024 entries are 4160 bytes; one answer carries at
	# most 252 of them after its own header: 17 answers at the least.
	assert_equal "$(stats '.opcodes."0x5200"')" 17
}

# r3.2 Table 7-32 literally: min(limit, total) entries whatever the start;
# the reading the tool pages by: min(limit, total - start).  A device may
# follow either; the answer's own counts and length decide.
@test "list-vcs: a device paging by the spec's literal reading is read the same" {
	run emu --topology "$BIG_TOPO" --msg-limit 256 --paging literal \
		--stats "$BATS_TEST_TMPDIR/s.json" -- list-vcs switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq -S -c .vcss)" "$(expected_vcss "$BIG_TOPO")"
	# and VCSs of different sizes, paged from a start beyond the smaller
	jq '.vcss[1].vppbs |= .[0:3]' "$BIG_TOPO" > "$BATS_TEST_TMPDIR/t.json"
	run emu --topology "$BATS_TEST_TMPDIR/t.json" --msg-limit 256 --paging literal -- list-vcs switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq -S -c .vcss)" "$(expected_vcss "$BATS_TEST_TMPDIR/t.json")"
}

@test "list-vcs: the default topology at 2 KiB takes one request" {
	emu --stats "$BATS_TEST_TMPDIR/s.json" -- list-vcs switch0 >/dev/null
	# 4 VCSs of 8 vPPBs: 148 bytes, within what every CCI takes: no 0x0003
	assert_equal "$(stats .opcodes)" '{"0x5100":1,"0x5200":1}'
}

@test "list-vcs: --vcs picks VCSs" {
	run emu -- list-vcs switch0 --vcs 1,3 -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.vcss[].vcs_id]')" '[1,3]'
	assert_equal "$(echo "$output" | jq -S -c '.vcss[0]')" \
		"$(expected_vcss "$DEFAULT_TOPO" | jq -c '.[] | select(.vcs_id == 1)')"
}

@test "list-vcs: human output, a block per VCS" {
	run emu -- list-vcs switch0 --vcs 0
	assert_success
	v=$(topo '.vcss[0]')
	assert_line --index 0 "VCS 0: $(echo "$v" | jq -r .state), USP $(echo "$v" | jq .usp_id), $(echo "$v" | jq '.vppbs | length') vPPBs"
	assert_line --index 1 --regexp '^  VPPB +BINDING +PORT +LD$'
	e=$(echo "$v" | jq -c '.vppbs[0]')
	assert_line --index 2 --regexp "^  0 +$(echo "$e" | jq -r .binding_status) +$(echo "$e" | jq -r '.port_id // "-"') +$(echo "$e" | jq -r '.ld_id // "-"')$"
}

@test "list-vcs: a VCS the switch does not have: exit 2" {
	run emu -- list-vcs switch0 --vcs 9
	assert_failure 2
	assert_output "cxl-switch list-vcs: VCS 9 does not exist on switch0 (it has 4 VCSs)"
}

@test "list-vcs: a malformed VCS list: exit 2, nothing sent" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" -- list-vcs switch0 --vcs one
	assert_failure 2
	assert_output "cxl-switch list-vcs: --vcs: invalid id 'one': expected a number 0-255 or a range like 4-7"
	assert_equal "$(stats .ioctls)" 0
}

@test "list-vcs: Invalid Input from the device is named, exit 1" {
	run emu --fail 0x5200:invalid-input -- list-vcs switch0
	assert_failure 1
	assert_output "cxl-switch list-vcs: switch0: Get Virtual CXL Switch Info (0x5200): Invalid Input (0x02)"
}

@test "list-vcs: a failing response-limit query is named" {
	# 16 VCSs of 64 vPPBs do not fit 256 bytes: the limit is asked
	run emu --topology "$BIG_TOPO" --fail 0x0003:internal-error -- list-vcs switch0
	assert_failure 1
	assert_output "cxl-switch list-vcs: switch0: Get Response Message Limit (0x0003): Internal Error (0x04)"
}
