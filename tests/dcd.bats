#!/usr/bin/env bats
# Dynamic capacity devices (0x5600-0x5605) behind switch ports 12 and 25:
# reads compared with the topology file, adds and releases checked in the
# emulator's saved state, refusals leave it byte-identical.
load helpers

SMALL_TOPO=$TOPO/dcd-small.json
# Port 12's DCD in the default topology.
DCD='.ports[12].device.dcd'
TAG1=6a2c5e64-3f0e-4d61-9c9e-1b2a0c4d5e01
TAG2=6a2c5e64-3f0e-4d61-9c9e-1b2a0c4d5e02

setup() {
	setup_state
	STATS=$BATS_TEST_TMPDIR/stats.json
}

# How often the device received OPCODE through the tunnel.
tunnelled() {
	jq ".opcodes.\"0x5300>$1\" // 0" "$STATS"
}

# ---- dcd-info ------------------------------------------------------------

@test "dcd-info: the topology's hosts, policies, capacity and block sizes" {
	for port in 12 25; do
		run emu -- dcd-info switch0 --port $port -j
		assert_success
		d=".ports[$port].device.dcd"
		jq -e --argjson t "$(topo "$d" | ashex)" '
			.host_count == $t.host_count and
			.region_count == ($t.regions | length) and
			.selection_policies == $t.selection_policies and
			.removal_policies == $t.removal_policies and
			.total_capacity_bytes == $t.total_capacity_bytes and
			[.regions[] | {region_id, supported_block_sizes_bytes, sanitize_on_release_configurable}] ==
			[$t.regions[] | {region_id, supported_block_sizes_bytes,
				sanitize_on_release_configurable: (.sanitize_on_release_configurable // true)}]
		' <<<"$output" || fail "port $port: $output"
		jq -e --argjson p "$port" '.target == {port: $p} and .switch == "switch0"' <<<"$output"
	done
}

@test "dcd-info: human output, block sizes with units" {
	run emu -- dcd-info switch0 --port 12
	assert_success
	assert_line "host_count            2"
	assert_line "selection_policies    free,contiguous,prescriptive,enable_shared_access"
	assert_line "removal_policies      tag_based,prescriptive"
	assert_line "  REGION  BLOCK_SIZES    SANITIZE_SETTABLE"
	assert_line "  0       2 MiB,256 MiB  yes"
	assert_line "  1       256 MiB,1 GiB  yes"
}

# Get DCD Info byte 0x0A (r3.1): which regions' sanitize-on-release setting
# Set DC Region Configuration may change; whether a region sanitizes is
# 0x5601's, per region.
@test "dcd-info: byte 0x0A is which regions' sanitize setting can change, not which sanitize" {
	jq "$DCD.regions[1].sanitize_on_release_configurable = false" "$DEFAULT_TOPO" > "$STATE_IN"
	run emu_state -- dcd-info switch0 --port 12 -j
	assert_success
	run jq -c '[.regions[] | .sanitize_on_release_configurable]' <<<"$output"
	assert_output '[true,false]'
	run emu_state -- dc-regions switch0 --port 12 -j
	run jq -c '[.regions[] | .sanitize_on_release]' <<<"$output"
	assert_output '[false,true]'
	assert_state_untouched
}

@test "dc-regions --region: a sanitize setting the region does not let change is refused, nothing sent" {
	jq "$DCD.regions[1].sanitize_on_release_configurable = false" "$DEFAULT_TOPO" > "$STATE_IN"
	run emu_state --stats "$STATS" -- dc-regions switch0 --port 12 --region 1 --block-size 256M \
		--sanitize-on-release no --force
	assert_failure 2
	assert_output "cxl-switch dc-regions: region 1's sanitize-on-release setting cannot be changed (Get DCD Info: not configurable); it stays yes"
	assert_equal "$(tunnelled 0x5602)" 0
	assert_state_untouched
	# the emulated device refuses it too, and takes the setting unchanged
	run "$EMU" --topology "$STATE_IN" --save "$STATE_OUT" -- "$TOP/tests/emulator/probe" -t 12 /dev/cxl/switch0 0x5602 01000000000000100000000000000000
	assert_line --partial "tunnel 0: resp_len=12 cat=1 tag=0x41 op=0x5602 len=0 bg=0 rc=0x02"
	assert_state_untouched
	run "$EMU" --topology "$STATE_IN" --save "$STATE_OUT" -- "$TOP/tests/emulator/probe" -t 12 /dev/cxl/switch0 0x5602 01000000000000100000000001000000
	assert_line --partial "rc=0x00"
	refute_line --partial "rc=0x02"
}

@test "dcd-info: --port is required, --ld refused, nothing sent" {
	run emu --stats "$STATS" -- dcd-info switch0
	assert_failure 2
	assert_output "cxl-switch dcd-info: missing --port: the dynamic capacity device is reached through its switch port"
	run emu -- dcd-info switch0 --port 25 --ld 1
	assert_failure 2
	assert_output --partial "--ld does not apply"
}

@test "dcd-info: a device without DCD commands is named, exit 7" {
	run emu -- dcd-info switch0 --port 4
	assert_failure 7
	assert_output "cxl-switch dcd-info: switch0 port 4 does not implement Get DCD Info (0x5600)"
}

# ---- dc-regions ------------------------------------------------------------

@test "dc-regions: every region as the topology has it, and the counts" {
	run emu -- dc-regions switch0 --port 12 -j
	assert_success
	jq -e --argjson t "$(topo "$DCD" | ashex)" '
		.host_id == 0 and .region_count == 2 and
		.extents_supported == $t.extents_supported and
		.tags_supported == $t.tags_supported and
		[.regions[] | del(.attributes)] ==
		[$t.regions[] | del(.supported_block_sizes_bytes)]
	' <<<"$output"
	# 3 extents of the 64 are held, by 3 distinct tags of 16
	jq -e '.extents_available == 61 and .tags_available == 13' <<<"$output"
}

@test "dc-regions: human output with sizes" {
	run emu -- dc-regions switch0 --port 12 --host 1
	assert_success
	assert_line "host_id            1"
	assert_line "  REGION  BASE         DECODE_LEN  LENGTH  BLOCK    SANITIZE  ATTRIBUTES"
	assert_line "  0       0x400000000  4 GiB       4 GiB   2 MiB    no        -"
	assert_line "  1       0x500000000  4 GiB       4 GiB   256 MiB  yes       -"
}

@test "dc-regions: paged at a 256-byte limit: 6 regions take two requests" {
	run emu --topology "$SMALL_TOPO" --stats "$STATS" -- dc-regions switch0 --port 12 -j
	assert_success
	jq -e --argjson t "$(topo "$DCD" "$SMALL_TOPO" | ashex)" '
		.region_count == 6 and
		[.regions[] | del(.attributes)] == [$t.regions[] | del(.supported_block_sizes_bytes)]
	' <<<"$output"
	# (256 - 20) / 40 = 5 regions a page
	assert_equal "$(tunnelled 0x5601)" 2
}

@test "dc-regions: a host the device does not have is refused before sending" {
	run emu --stats "$STATS" -- dc-regions switch0 --port 12 --host 2
	assert_failure 2
	assert_output "cxl-switch dc-regions: port 12 has 2 hosts: there is no host 2 (give --host 0-1)"
	assert_equal "$(tunnelled 0x5601)" 0
}

@test "dc-regions --region: sanitize on release set, the region shown after" {
	run emu_state -- dc-regions switch0 --port 12 --region 1 --block-size 256M \
		--sanitize-on-release no --force -j
	assert_success
	jq -e '.status == "done" and .request == "01000000000000100000000000000000"' <<<"$output"
	jq -e '.regions[0].region_id == 1 and .regions[0].sanitize_on_release == false' <<<"$output"
	assert_state_is "$DCD.regions[1].sanitize_on_release = false"
}

@test "dc-regions --region: a block size the region does not support is refused" {
	run emu_state --stats "$STATS" -- dc-regions switch0 --port 12 --region 0 --block-size 1G --force
	assert_failure 2
	assert_output "cxl-switch dc-regions: region 0 does not support 1 GiB blocks: supported block sizes are given by dcd-info"
	assert_equal "$(tunnelled 0x5602)" 0
	assert_state_untouched
}

@test "dc-regions --region: the device refusing a new block size is named" {
	# region 1 holds host 0's extent: the emulated device keeps its size
	run emu_state -- dc-regions switch0 --port 12 --region 1 --block-size 1G --force
	assert_failure 1
	assert_output "cxl-switch dc-regions: switch0 port 12: Set DC Region Configuration (0x5602): Invalid Input (0x02): the block size of region 1 cannot change to 1 GiB while hosts hold capacity in it (1 extent, host 0); release it first ('cxl-switch dc-release switch0 --port 12 --host 0 ...')"
	assert_state_untouched
}

@test "dc-regions: --block-size without --region, and a bad size, are usage errors" {
	run emu -- dc-regions switch0 --port 12 --block-size 2M
	assert_failure 2
	assert_output "cxl-switch dc-regions: missing --region: the region to set"
	run emu -- dc-regions switch0 --port 12 --region 0 --block-size 3M
	assert_failure 2
	assert_output --partial "invalid --block-size '3M'"
}

# ---- dc-extents ------------------------------------------------------------

@test "dc-extents: every extent of each host and the generation, as the topology" {
	for port in 12 25; do
		for host in 0 1; do
			run emu -- dc-extents switch0 --port $port --host $host -j
			assert_success
			jq -e --argjson t "$(topo ".ports[$port].device.dcd.hosts[$host]" | ashex)" '
				.host_id == $t.host_id and .generation == $t.generation and
				.extent_count == ($t.extents | length) and
				.extents == $t.extents and .restarts == 0
			' <<<"$output" || fail "port $port host $host: $output"
		done
	done
}

@test "dc-extents: human output" {
	run emu -- dc-extents switch0 --port 12
	assert_success
	assert_line "generation    2"
	assert_line "  START_DPA    LENGTH   TAG                                   SEQ"
	assert_line "  0x400000000  256 MiB  $TAG1  0"
	assert_line "  0x500000000  512 MiB  $TAG2  0"
}

@test "dc-extents: 14 extents at a 256-byte limit take three pages" {
	run emu --topology "$SMALL_TOPO" --stats "$STATS" -- dc-extents switch0 --port 12 -j
	assert_success
	jq -e --argjson t "$(topo "$DCD.hosts[0]" "$SMALL_TOPO" | ashex)" '
		.extent_count == 14 and .extents == $t.extents and
		.generation == $t.generation
	' <<<"$output"
	# (256 - 24) / 40 = 5 extents a page
	assert_equal "$(tunnelled 0x5603)" 3
}

@test "dc-extents: a short page is reported as malformed, not shown" {
	run emu --fail 0x5603:short=30 -- dc-extents switch0 --port 12
	assert_failure 4
	assert_output --partial "Get DC Region Extent Lists (0x5603): answer of 30 bytes does not match"
}

# ---- dc-add ----------------------------------------------------------------

@test "dc-add: free capacity to host 1, the new extent in the state and the output" {
	run emu_state -- dc-add switch0 --port 12 --host 1 --region 0 --size 64M --force -j
	assert_success
	jq -e '.status == "done" and .generation == 2 and .extent_count == 2' <<<"$output"
	jq -e '.extents[1] == {"start_dpa": 17582522368, "length_bytes": 67108864, "tag": "00000000-0000-0000-0000-000000000000", "shared_sequence": 0}' <<<"$output"
	jq -e '.effect == "adds 64 MiB from region 0 of the DCD on port 12 to host 1 (free selection)"' <<<"$output"
	jq -e '.affects == "host 1 of the DCD on port 12 is offered 64 MiB"' <<<"$output"
	assert_state_is "$DCD.hosts[1] |= (.generation = 2 | .extents += [{start_dpa: \"0x418000000\", length_bytes: 67108864, tag: \"00000000-0000-0000-0000-000000000000\", shared_sequence: 0}])"
}

@test "dc-add: prescriptive extents with a tag, human output ends with the extents" {
	local tag=11111111-2222-4333-8444-555555555555
	run emu_state -- dc-add switch0 --port 12 --host 1 --region 1 --policy prescriptive \
		--tag $tag --extent 0x540000000:256M --extent 0x580000000:512M --force
	assert_success
	assert_line --index 0 "switch0 port 12: Initiate Dynamic Capacity Add (0x5604) done"
	assert_line "  effect:  adds 768 MiB from region 1 of the DCD on port 12 to host 1 (prescriptive selection)"
	assert_line "  0x540000000  256 MiB  $tag  0"
	assert_line "  0x580000000  512 MiB  $tag  0"
	assert_state_is "$DCD.hosts[1] |= (.generation = 2 | .extents += [
		{start_dpa: \"0x540000000\", length_bytes: 268435456, tag: \"$tag\", shared_sequence: 0},
		{start_dpa: \"0x580000000\", length_bytes: 536870912, tag: \"$tag\", shared_sequence: 0}])"
}

@test "dc-add --dry-run: the request and the tunnelled bytes, nothing sent" {
	run emu_state --stats "$STATS" -- dc-add switch0 --port 12 --host 1 --region 0 --size 1G --dry-run -j
	assert_success
	# host 1, policy free, region 0, length 1 GiB, no tag, no extents
	jq -e '.status == "dry_run" and .request == "0100000000000040000000000000000000000000000000000000000000000000"' <<<"$output"
	jq -e '.wire_opcode == 21248 and (.wire_request | startswith("0c00"))' <<<"$output"
	assert_equal "$(tunnelled 0x5604)" 0
	assert_state_untouched
}

@test "dc-add: sizes with units are the same bytes" {
	local want
	want=$(emu -- dc-add switch0 --port 12 --host 1 --region 0 --size 1073741824 -n -j | jq -r .request)
	for size in 1G 1GiB 1g 1GB 1024M 1048576K 0x40000000; do
		run emu -- dc-add switch0 --port 12 --host 1 --region 0 --size $size -n -j
		assert_success
		assert_equal "$(jq -r .request <<<"$output")" "$want"
	done
	for size in 0 1.5G 1X -1G 17179869184T ""; do
		run emu -- dc-add switch0 --port 12 --host 1 --region 0 --size "$size" -n
		assert_failure 2
		assert_output --partial "invalid --size"
	done
}

@test "dc-add: the background operation is polled through the tunnel to its end" {
	run emu_state --bg-polls 5 --stats "$STATS" -- dc-add switch0 --port 12 --host 1 --region 0 --size 64M --force
	assert_success
	# 5 polls of the device that report running, one that reports the end
	assert_equal "$(tunnelled 0x0002)" 6
	assert_equal "$(tunnelled 0x5604)" 1
	# the extents read under the lock for the read-back, and again afterwards
	assert_equal "$(tunnelled 0x5603)" 2
	assert_state_is "$DCD.hosts[1] |= (.generation = 2 | .extents += [{start_dpa: \"0x418000000\", length_bytes: 67108864, tag: \"00000000-0000-0000-0000-000000000000\", shared_sequence: 0}])"
}

@test "dc-add --no-wait: started, no polling, no extents shown" {
	run emu_state --bg-polls 3 --stats "$STATS" -- dc-add switch0 --port 12 --host 1 --region 0 --size 64M --force --no-wait -j
	assert_success
	jq -e '.status == "started" and (has("extents") | not)' <<<"$output"
	assert_equal "$(tunnelled 0x0002)" 0
}

@test "dc-add: the operation failing on the device is named, nothing changes" {
	run emu_state --bg-fail 0x5604:0x1d -- dc-add switch0 --port 12 --host 1 --region 0 --size 64M --force
	assert_failure 1
	assert_output "cxl-switch dc-add: switch0 port 12: Initiate Dynamic Capacity Add (0x5604): background operation ended with Resources Exhausted (0x1d)
cxl-switch dc-add: read back: host 1 holds 128 MiB as before: nothing changed"
	assert_state_untouched
}

@test "dc-add: more than the region has free: the device's Resources Exhausted" {
	# region 0 is 4 GiB; 384 MiB of it are held
	run emu_state -- dc-add switch0 --port 12 --host 1 --region 0 --size 3968M --force
	assert_failure 1
	assert_output "cxl-switch dc-add: switch0 port 12: Initiate Dynamic Capacity Add (0x5604): Resources Exhausted (0x1d)
cxl-switch dc-add: read back: host 1 holds 128 MiB as before: nothing changed"
	assert_state_untouched
}

@test "dc-add: an extent another host holds: the device's Invalid Extent List" {
	run emu_state -- dc-add switch0 --port 12 --host 1 --region 0 --policy prescriptive \
		--extent 0x400000000:64M --force
	assert_failure 1
	assert_output "cxl-switch dc-add: switch0 port 12: Initiate Dynamic Capacity Add (0x5604): Invalid Extent List (0x1e)
cxl-switch dc-add: read back: host 1 holds 128 MiB as before: nothing changed"
	assert_state_untouched
}

@test "dc-add without --force off a terminal: refused, nothing sent" {
	run emu_state --stats "$STATS" -- dc-add switch0 --port 12 --host 1 --region 0 --size 64M
	assert_failure 5
	assert_output "cxl-switch dc-add: refusing to send Initiate Dynamic Capacity Add (a host-visible change) without --force: stdin is not a terminal"
	assert_equal "$(tunnelled 0x5604)" 0
	assert_state_untouched
}

@test "dc-add: the policy file's deny is applied, naming the file" {
	printf 'allow all\ndeny host-visible switch=switch0\n' > "$BATS_TEST_TMPDIR/policy"
	run emu_state --policy "$BATS_TEST_TMPDIR/policy" --stats "$STATS" -- dc-add switch0 --port 12 --host 1 --region 0 --size 64M --force
	assert_failure 5
	assert_output "cxl-switch dc-add: refused: /etc/cxl-switch/policy.conf:2 denies host-visible changes to switch0"
	assert_equal "$(tunnelled 0x5604)" 0
	assert_state_untouched
}

@test "dc-add: a size that is not a multiple of the block size is refused" {
	run emu_state --stats "$STATS" -- dc-add switch0 --port 12 --host 1 --region 1 --size 64M --force
	assert_failure 2
	assert_output "cxl-switch dc-add: size 64 MiB is not a multiple of region 1's block size (256 MiB)"
	assert_equal "$(tunnelled 0x5604)" 0
	assert_state_untouched
}

@test "dc-add: a selection policy the device does not support is refused" {
	jq '.ports[12].device.dcd.selection_policies = ["free", "prescriptive"]' "$DEFAULT_TOPO" > "$STATE_IN"
	run emu_state --stats "$STATS" -- dc-add switch0 --port 12 --host 1 --region 0 --size 64M --policy contiguous --force
	assert_failure 2
	assert_output "cxl-switch dc-add: port 12 does not support the contiguous selection policy: it supports free, prescriptive"
	assert_equal "$(tunnelled 0x5604)" 0
	assert_state_is .
}

@test "dc-add: overlapping extents, an extent outside the region, off its blocks" {
	run emu_state --stats "$STATS" -- dc-add switch0 --port 12 --host 1 --region 0 --policy prescriptive \
		--extent 0x420000000:64M --extent 0x422000000:64M --force
	assert_failure 2
	assert_output "cxl-switch dc-add: extent 0x422000000:64 MiB overlaps another --extent"
	run emu_state -- dc-add switch0 --port 12 --host 1 --region 0 --policy prescriptive \
		--extent 0x500000000:64M --force
	assert_failure 2
	assert_output "cxl-switch dc-add: extent 0x500000000:64 MiB is not inside region 0"
	run emu_state -- dc-add switch0 --port 12 --host 1 --region 0 --policy prescriptive \
		--extent 0x420100000:64M --force
	assert_failure 2
	assert_output "cxl-switch dc-add: extent 0x420100000:64 MiB is not on region 0's 2 MiB blocks"
	assert_equal "$(tunnelled 0x5604)" 0
	assert_state_untouched
}

@test "dc-add: prescriptive needs --extent, --extent needs prescriptive, --size must match" {
	run emu -- dc-add switch0 --port 12 --host 1 --region 0 --size 64M --policy prescriptive
	assert_failure 2
	assert_output "cxl-switch dc-add: --policy prescriptive needs --extent DPA:LEN: the extents to add"
	run emu -- dc-add switch0 --port 12 --host 1 --region 0 --extent 0x420000000:64M
	assert_failure 2
	assert_output "cxl-switch dc-add: --extent applies to --policy prescriptive only"
	run emu -- dc-add switch0 --port 12 --host 1 --region 0 --policy prescriptive \
		--extent 0x420000000:64M --size 128M --force
	assert_failure 2
	assert_output "cxl-switch dc-add: --size 134217728 is not the sum of the extents (67108864 bytes)"
	run emu -- dc-add switch0 --port 12 --host 1 --region 0 --policy nearest --size 64M
	assert_failure 2
	assert_output "cxl-switch dc-add: invalid --policy 'nearest': expected one of free, contiguous, prescriptive, enable_shared_access"
}

@test "dc-add: a host or region the device does not have is refused" {
	run emu_state -- dc-add switch0 --port 12 --host 5 --region 0 --size 64M --force
	assert_failure 2
	assert_output "cxl-switch dc-add: port 12 has 2 hosts: there is no host 5 (give --host 0-1)"
	run emu_state -- dc-add switch0 --port 12 --host 1 --region 3 --size 64M --force
	assert_failure 2
	assert_output "cxl-switch dc-add: port 12 has 2 regions: there is no region 3"
	assert_state_untouched
}

# ---- dc-release ----------------------------------------------------------------

@test "dc-release: by tag, all the tag holds; the host's extents after" {
	run emu_state -- dc-release switch0 --port 12 --host 0 --tag $TAG2 --force -j
	assert_success
	jq -e '.status == "done" and .extent_count == 1 and .extents[0].tag == "'$TAG1'"' <<<"$output"
	jq -e '.effect == "releases 512 MiB from host 0 of the DCD on port 12 (tag_based removal)"' <<<"$output"
	assert_state_is "$DCD.hosts[0] |= (.generation = 3 | .extents |= map(select(.tag != \"$TAG2\")))"
}

@test "dc-release: prescriptive, part of an extent, with forced and sanitize flags" {
	run emu_state -- dc-release switch0 --port 12 --host 0 --extent 0x500000000:256M --forced --sanitize --force -j
	assert_success
	# flags: prescriptive (1) | forced (0x10) | sanitize (0x20)
	jq -e '.request | startswith("000031000000001000000000")' <<<"$output"
	assert_state_is "$DCD.hosts[0] |= (.generation = 3 | .extents[1] |= (.start_dpa = \"0x510000000\" | .length_bytes = 268435456))"
}

@test "dc-release: capacity the host does not hold is refused before sending" {
	run emu_state --stats "$STATS" -- dc-release switch0 --port 12 --host 1 --extent 0x400000000:256M --force
	assert_failure 2
	assert_output "cxl-switch dc-release: extent 0x400000000:256 MiB is not held by the host (see dc-extents)"
	run emu_state -- dc-release switch0 --port 12 --host 1 --tag $TAG1 --force
	assert_failure 2
	assert_output "cxl-switch dc-release: host 1 holds no capacity with tag $TAG1 (see dc-extents)"
	run emu_state -- dc-release switch0 --port 12 --host 0 --tag $TAG1 --size 512M --force
	assert_failure 2
	assert_output "cxl-switch dc-release: host 0 holds 256 MiB with tag $TAG1: cannot release 512 MiB"
	assert_equal "$(tunnelled 0x5605)" 0
	assert_state_untouched
}

@test "dc-release: a removal policy the device does not support is refused" {
	jq '.ports[12].device.dcd.removal_policies = ["tag_based"]' "$DEFAULT_TOPO" > "$STATE_IN"
	run emu_state --stats "$STATS" -- dc-release switch0 --port 12 --host 0 --extent 0x500000000:256M --force
	assert_failure 2
	assert_output "cxl-switch dc-release: port 12 does not support the prescriptive removal policy: it supports tag_based"
	assert_equal "$(tunnelled 0x5605)" 0
	assert_state_is .
}

@test "dc-release: part of a tag's capacity: the device's Invalid Input is named" {
	# the emulated device releases a tag's capacity only as a whole
	run emu_state -- dc-release switch0 --port 12 --host 0 --tag $TAG2 --size 256M --force
	assert_failure 1
	assert_output "cxl-switch dc-release: switch0 port 12: Initiate Dynamic Capacity Release (0x5605): Invalid Input (0x02): host 0 holds 512 MiB under the tag and the device refused --size 256 MiB, a part of it; give --size 512MiB (all of it) or leave --size out
cxl-switch dc-release: read back: host 0 holds 768 MiB as before: nothing changed"
	assert_state_untouched
}

@test "dc-release: tag_based needs --tag, without --force nothing is sent" {
	run emu -- dc-release switch0 --port 12 --host 0 --size 256M
	assert_failure 2
	assert_output "cxl-switch dc-release: --policy tag_based needs --tag: the tag of the capacity to release"
	run emu_state --stats "$STATS" -- dc-release switch0 --port 12 --host 0 --tag $TAG2
	assert_failure 5
	assert_equal "$(tunnelled 0x5605)" 0
	assert_state_untouched
}

@test "dc-release: the background operation is polled to its end" {
	run emu_state --bg-polls 4 --stats "$STATS" -- dc-release switch0 --port 12 --host 0 --tag $TAG1 --force
	assert_success
	assert_equal "$(tunnelled 0x0002)" 5
	assert_state_is "$DCD.hosts[0] |= (.generation = 3 | .extents |= map(select(.tag != \"$TAG1\")))"
}
