#!/usr/bin/env bats
# Devices behind the switch: Tunnel Management (0x5300) to a port's
# device and to an LD of an MLD; list-devices; host correlation.
bats_require_minimum_version 1.5.0
load helpers

stats() {
	jq -c "$1" "$BATS_TEST_TMPDIR/s.json"
}

# The tool names the poison-handling bits; the topology keeps the byte.
MEMDEV_AS_TOPO='.poison_handling_caps |= ((if .injects_persistent_poison then 1 else 0 end) + (if .scans_for_poison then 2 else 0 end))'

dev() {
	topo ".ports[] | select(.port_id == $1) | .device${2:-}"
}

# The ports a device is connected to, of any type: the switch's own
# upstream ports face hosts, not devices.
DEVICE_PORTS='[.ports[] | select(.connected_device_type != "none" and .config_state != "usp")]'

@test "list-devices: every Type 3 device with its link up, as the topology says" {
	run emu -- list-devices switch0 -j
	assert_success
	want=$(jq -c '[.ports[] | select(.device and .ltssm_state == "l0") | .port_id]' "$DEFAULT_TOPO")
	assert_equal "$(echo "$output" | jq -c '[.devices[] | select(.link_up and .reachable) | .port_id]')" "$want"
	for p in $(echo "$want" | jq '.[]'); do
		assert_equal "$(echo "$output" | jq -S -c ".devices[] | select(.port_id == $p) | .identify | del(.max_msg_size)")" \
			"$(dev "$p" .identify | ashex)"
		assert_equal "$(echo "$output" | jq -S -c ".devices[] | select(.port_id == $p) | .memdev | $MEMDEV_AS_TOPO")" \
			"$(dev "$p" .memdev | jq -S -c .)"
		assert_equal "$(echo "$output" | jq -c ".devices[] | select(.port_id == $p) | .identify.max_msg_size")" \
			"$(dev "$p" .max_msg_size)"
		assert_equal "$(echo "$output" | jq -c ".devices[] | select(.port_id == $p) | .ld_count")" \
			"$(dev "$p" '.mld.lds | length' | sed 's/^0$/null/')"
	done
}

@test "list-devices: every device of every type, with the switch's port state" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" -- list-devices switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.devices[].port_id]')" "$(topo "$DEVICE_PORTS | map(.port_id)")"
	# PCIe, Type 1, Type 2 and Type 3 (SLD, MLD) are all there
	assert_equal "$(echo "$output" | jq -c '[.devices[].connected_device_type] | unique')" \
		'["cxl_type1","cxl_type2_or_hbr_switch","cxl_type3_mld","cxl_type3_sld","pcie"]'
	# what the switch knows of each: Get Physical Port State, as the topology says
	assert_equal "$(echo "$output" | jq -S -c '[.devices[].port]')" \
		"$(topo "$DEVICE_PORTS | map(del(.device, .config_space))" | jq -S -c "$MODE")"
	assert_equal "$(echo "$output" | jq -c '[.devices[] | [.port_id, .connected_device_type, .link_up]]')" \
		"$(topo "$DEVICE_PORTS | map([.port_id, .connected_device_type, .ltssm_state == \"l0\"])")"
	# a device without a mailbox the tunnel reaches is not asked: reachable null
	assert_equal "$(echo "$output" | jq -c '[.devices[] | select(.reachable == null) | .port_id]')" \
		"$(topo "$DEVICE_PORTS | map(select(.connected_device_type | startswith(\"cxl_type3\") | not) | .port_id)")"
	echo "$output" | jq -e 'all(.devices[] | select(.reachable == null); has("identify") or has("error") | not)'
	# the tunnel carried Identify to the Type 3 devices only
	assert_equal "$(stats '[.opcodes | to_entries[] | select(.key | startswith("0x5300>0x0001")) | .value] | add')" \
		"$(topo '[.ports[] | select(.device and .ltssm_state == "l0")] | length')"
}

@test "list-devices: the human table shows the link and mode of devices that cannot be asked" {
	run emu -- list-devices switch0
	assert_success
	assert_line --index 0 --regexp '^PORT +TYPE +LINK +MODE +SERIAL +CAPACITY +FIRMWARE +LDS +HOST$'
	# one row per device port, whatever its type
	assert_equal "$(echo "$output" | grep -cE '^[0-9]+ ')" "$(topo "$DEVICE_PORTS | length")"
	for p in 8 9 10 13 18 30; do
		want=$(topo "$DEVICE_PORTS | .[] | select(.port_id == $p) |
			[.connected_device_type, .ltssm_state +
			 (if .negotiated_link_width > 0 then \" x\(.negotiated_link_width) \(.current_link_speed_gts).0GT/s\" else \"\" end) +
			 (if .link_state_flags.perst_asserted then \" PERST#\" else \"\" end),
			 .connected_cxl_version] | join(\"  \")" | jq -r .)
		assert_equal "$(echo "$output" | awk -v p="$p" '$1 == p { sub(/^[0-9]+ +/, ""); sub(/  +-  .*$/, ""); gsub(/  +/, "  "); print }')" "$want"
	done
	assert_line --regexp '^18 +cxl_type3_sld +detect PERST# +cxl_68b_flit_vh +- +- +- +- +-$'
	assert_line --regexp '^8 +pcie +l0 x4 16.0GT/s +none +- +- +- +- +-$'
}

@test "list-devices: a device whose link is down is asked, and listed as unreachable" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" -- list-devices switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '.devices[] | select(.port_id == 18) | [.link_up, .reachable, .identify]')" '[false,false,null]'
	assert_equal "$(echo "$output" | jq -r '.devices[] | select(.port_id == 18) | .error')" \
		"Identify (0x0001): tunnel to port 18: Tunnel Management Command (0x5300): Invalid Input (0x02)"
	# every port whose device type says a device is there was asked
	assert_equal "$(jq '.opcodes."0x5300>0x0001"' "$BATS_TEST_TMPDIR/s.json")" \
		"$(topo '[.ports[] | select(.device and .ltssm_state == "l0")] | length')"
	run emu -- list-devices switch0
	assert_success
	refute_line --partial "cxl-switch list-devices:"
	assert_line "port 18: unreachable: Identify (0x0001): tunnel to port 18: Tunnel Management Command (0x5300): Invalid Input (0x02)"
	# and what the port's state says, with the command that fixes it
	assert_line "  port 18 is held in reset (PERST#); run 'cxl-switch port-control switch0 --port 18 --deassert-perst'"
}

@test "list-devices: an unreachable device's row says why from its port state, and what to run" {
	run emu -- list-devices switch0 -j
	assert_success
	# every unreachable row with PERST# held or the link down has a hint
	# naming its own port; none of the reachable rows has one
	for id in $(topo '.ports[] | select(.device and (.link_state_flags.perst_asserted or .ltssm_state != "l0")) | .port_id'); do
		hint=$(echo "$output" | jq -r --argjson p "$id" '.devices[] | select(.port_id == $p) | .hint')
		if [ "$(topo ".ports[] | select(.port_id == $id) | .link_state_flags.perst_asserted")" = true ]; then
			assert_equal "$hint" "port $id is held in reset (PERST#); run 'cxl-switch port-control switch0 --port $id --deassert-perst'"
		else
			assert_equal "$hint" "the link of port $id is down (LTSSM $(topo ".ports[] | select(.port_id == $id) | .ltssm_state" | tr -d '"')); run 'cxl-switch port-control switch0 --port $id --reset'"
		fi
	done
	assert_equal "$(echo "$output" | jq '[.devices[] | select(.reachable == true and has("hint"))] | length')" 0
}

@test "list-devices: per-device failures are in the rows; stderr repeats them only with -v" {
	# the big switch's devices with their link up do not answer: errors
	run --separate-stderr emu --topology "$BIG_TOPO" -- list-devices switch0
	assert_failure 1
	n=$(echo "$output" | grep -c ': unreachable: ')
	[ "$n" -gt 100 ]
	assert_equal "$stderr" "cxl-switch list-devices: $n devices failed to answer: see their rows (-v: each here)"
	assert_line --regexp '^port 17: unreachable: '
	run --separate-stderr emu --topology "$BIG_TOPO" -- list-devices switch0 -v
	assert_failure 1
	assert_equal "$(echo "$stderr" | grep -c '^cxl-switch list-devices: switch0 port [0-9]*: ')" "$n"
}

@test "list-devices: a device that fails part way: its row says why, the rest listed, one document, exit 1" {
	run --separate-stderr emu --fail 0x4000:internal-error:2 -- list-devices switch0 -j
	assert_failure 1
	assert_equal "$stderr" "cxl-switch list-devices: 1 device failed to answer: see its rows (-v: each here)"
	echo "$output" | jq -e 'has("error") | not'
	assert_equal "$(echo "$output" | jq -c '.devices[] | select(.port_id == 5) | del(.port)')" \
		'{"port_id":5,"connected_device_type":"cxl_type3_mld","link_up":true,"reachable":true,"error":"Identify Memory Device (0x4000): Internal Error (0x04)"}'
	assert_equal "$(echo "$output" | jq -c '[.devices[].port_id]')" "$(topo "$DEVICE_PORTS | map(.port_id)")"
	# the device after it is whole
	assert_equal "$(echo "$output" | jq -S -c ".devices[] | select(.port_id == 6) | .memdev | $MEMDEV_AS_TOPO")" \
		"$(dev 6 .memdev | jq -S -c .)"
	# the table, which the stderr line sends the reader to, says it too
	run --separate-stderr emu --fail 0x4000:internal-error:2 -- list-devices switch0
	assert_failure 1
	assert_line "port 5: Identify Memory Device (0x4000): Internal Error (0x04)"
	assert_line --regexp '^5 +cxl_type3_mld +l0 x16 32.0GT/s +cxl_68b_flit_vh +- +- +- +- +-$'
}

@test "list-devices: host correlation names the host's memdev by serial number" {
	run emu -- list-devices switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.devices[] | select(.link_up and .reachable) | {(.port_id | tostring): .host_memdev}] | add')" \
		"$(jq -c '[.ports[] | select(.device and .ltssm_state == "l0") | {(.port_id | tostring): .device.host_memdev}] | add' "$DEFAULT_TOPO")"
	assert_equal "$(echo "$output" | jq -r '.devices[] | select(.port_id == 4) | .host_memdev')" mem0
}

@test "list-devices: a host that sees none of the devices: every host_memdev is null" {
	run emu --no-host -- list-devices switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.devices[].host_memdev] | unique')" '[null]'
}

@test "list-devices: the human table names port, type, serial, capacity and host" {
	run emu -- list-devices switch0
	assert_success
	assert_line --index 0 --regexp '^PORT +TYPE +LINK +MODE +SERIAL +CAPACITY +FIRMWARE +LDS +HOST$'
	assert_line --regexp '^4 +cxl_type3_sld +l0 x8 32.0GT/s +cxl_68b_flit_vh +0x00c0ffee00000004 +16 GiB +emu-t3-1.0 +- +mem0$'
	assert_line --regexp '^7 +cxl_type3_mld +.* +16 +mem2$'
}

@test "list-devices: 256 ports written a piece at a time: each device's own values, compact as pretty" {
	f=$BATS_TEST_TMPDIR/fabric256.json
	"$TOPO/gen-fabric.sh" 256 > "$f"
	run emu --topology "$f" --msg-limit 256 -- list-devices switch0 -j
	assert_success
	# several pieces: what a device repeats of the one before is copied
	# as text, which must not outlive the piece that held it
	[ "${#output}" -gt 131072 ]
	assert_equal "$(echo "$output" | jq -S -c '[.devices[] | select(.reachable) | {port_id,
		identify: (.identify | del(.max_msg_size)), memdev: (.memdev | '"$MEMDEV_AS_TOPO"'),
		ld_count, host_memdev}]')" \
		"$(jq '[.ports[] | select(.device and .ltssm_state == "l0") | {port_id, identify: .device.identify,
		memdev: .device.memdev, ld_count: ((.device.mld.lds // []) | length | if . == 0 then null else . end),
		host_memdev: .device.host_memdev}]' "$f" | ashex)"
	assert_equal "$(echo "$output" | jq -S -c '[.devices[].port]')" \
		"$(jq -c "$DEVICE_PORTS | map(del(.device, .config_space))" "$f" | jq -S -c "$MODE")"
	# the same document as written value by value (--pretty)
	compact=$(echo "$output" | jq -S -c .)
	run emu --topology "$f" --msg-limit 256 -- list-devices switch0 --pretty
	assert_success
	assert_equal "$(echo "$output" | jq -S -c .)" "$compact"
}

@test "list-devices: a firmware revision with a quote and a backslash is escaped, in every row after it too" {
	jq '(.ports[] | select(.port_id == 5) | .device.memdev.fw_revision) = "fw\"5\\x"' \
		"$DEFAULT_TOPO" > "$BATS_TEST_TMPDIR/t.json"
	run emu --topology "$BATS_TEST_TMPDIR/t.json" -- list-devices switch0 -j
	assert_success
	assert_equal "$(echo "$output" | jq -r '.devices[] | select(.port_id == 5) | .memdev.fw_revision')" 'fw"5\x'
	assert_equal "$(echo "$output" | jq -c '[.devices[] | select(.memdev) | {(.port_id | tostring): .memdev.fw_revision}] | add')" \
		"$(jq -c '[.ports[] | select(.device and .ltssm_state == "l0") | {(.port_id | tostring): .device.memdev.fw_revision}] | add' "$BATS_TEST_TMPDIR/t.json")"
	run emu --topology "$BATS_TEST_TMPDIR/t.json" -- list-devices switch0
	assert_success
	assert_line --regexp '^5 +cxl_type3_mld +.* +64 GiB +fw"5\\x +4 +mem1$'
}

@test "identify --port: the device's Identify and Identify Memory Device" {
	run emu -- identify switch0 --port 5 -j
	assert_success
	assert_equal "$(echo "$output" | jq -c .target)" '{"port":5}'
	assert_equal "$(echo "$output" | jq -S -c 'del(.version, .command, .switch, .target, .memdev, .max_msg_size)')" \
		"$(dev 5 .identify | ashex)"
	assert_equal "$(echo "$output" | jq -S -c ".memdev | $MEMDEV_AS_TOPO")" "$(dev 5 .memdev | jq -S -c .)"
}

@test "identify --port --ld: two tunnel levels reach one LD of an MLD" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" -- identify switch0 --port 7 --ld 3 -j
	assert_success
	assert_equal "$(echo "$output" | jq -c .target)" '{"port":7,"ld":3}'
	assert_equal "$(echo "$output" | jq -r .component_type)" type3
	assert_equal "$(stats '."opcodes"."0x5300>0x5300>0x0001"')" 1
	assert_equal "$(stats '."opcodes"."0x5300>0x5300>0x4000"')" 1
	# an LD's memory is its allocation: 8 GiB for LD 3 of port 7
	assert_equal "$(echo "$output" | jq .memdev.total_capacity_bytes)" \
		"$(dev 7 '.mld.lds[3] | (.range1_multiplier + .range2_multiplier) * 1073741824')"
}

@test "identify --port: the human form shows the memdev section" {
	run emu -- identify switch0 --port 4
	assert_success
	assert_line --regexp '^target +port 4$'
	assert_line 'memdev:'
	assert_line --regexp '^  total_capacity_bytes +17179869184$'
}

@test "identify --port: a port without a device: the switch's Invalid Input, explained" {
	assert_equal "$(topo '.ports[] | select(.port_id == 14) | .connected_device_type')" '"none"'
	run emu -- identify switch0 --port 14
	assert_failure 1
	assert_output "cxl-switch identify: switch0: no device on port 14; see 'cxl-switch list-ports switch0'"
	run --separate-stderr emu -- identify switch0 --port 14 -j
	assert_failure 1
	echo "$output" | jq -e '.error.exit_code == 1 and .error.return_code == "Invalid Input" and .error.message == "switch0: no device on port 14; see '"'cxl-switch list-ports switch0'"'"'
}

@test "--port: a port held in reset names PERST# and the command that releases it" {
	assert_equal "$(topo '.ports[] | select(.port_id == 18) | .link_state_flags.perst_asserted')" true
	run emu -- identify switch0 --port 18
	assert_failure 1
	assert_output "cxl-switch identify: switch0: port 18 is held in reset (PERST#); run 'cxl-switch port-control switch0 --port 18 --deassert-perst'"
	# the same through any tunnelled command
	run emu -- list-lds switch0 --port 18
	assert_failure 1
	assert_output "cxl-switch list-lds: switch0: port 18 is held in reset (PERST#); run 'cxl-switch port-control switch0 --port 18 --deassert-perst'"
}

@test "--port: a device whose link is down: the reset to try" {
	run emu -- identify switch0 --port 30
	assert_failure 1
	assert_output "cxl-switch identify: switch0: the link of port 30 is down (LTSSM detect); run 'cxl-switch port-control switch0 --port 30 --reset'"
}

@test "--ld: an LD a single-LD device does not have, and one an MLD does not have" {
	run emu -- identify switch0 --port 4 --ld 5
	assert_failure 7
	assert_output "cxl-switch identify: switch0: LD 5 does not exist: the device on port 4 is a single-LD device; leave out --ld"
	run emu -- identify switch0 --port 7 --ld 20
	assert_failure 1
	assert_output "cxl-switch identify: switch0: LD 20 does not exist: the device on port 7 has 16 LDs (0-15)"
}

@test "--port: an attacker's port state: a hint is only what the switch says" {
	# the switch lacking the tunnel is its own word, no hint of a port
	run emu --fail 0x5300:unsupported -- identify switch0 --port 14
	assert_failure 7
	assert_output "cxl-switch identify: switch0 does not implement Tunnel Management Command (0x5300)"
	# a port that looks fine: the device's word stands
	run emu --fail 0x0001:invalid-input -- identify switch0 --port 4
	assert_failure 1
	assert_output "cxl-switch identify: switch0 port 4: Identify (0x0001): Invalid Input (0x02)"
}

@test "identify --ld without --port, --ld with --ld-pool: usage errors, nothing sent" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" -- identify switch0 --ld 2
	assert_failure 2
	assert_output "cxl-switch identify: --ld needs --port: the LD is reached through its port"
	assert_equal "$(stats .ioctls)" 0
	run emu -- identify switch0 --port 5 --ld 1 --ld-pool
	assert_failure 2
	assert_output "cxl-switch identify: --ld and --ld-pool exclude each other: an LD or the LD pool"
	run emu -- identify switch0 --port 256
	assert_failure 2
	assert_output "cxl-switch identify: invalid --port '256': expected a number 0-255"
}

@test "--ld-pool to a device without an LD pool CCI: Unsupported Mailbox or CCI" {
	run emu -- identify switch0 --port 5 --ld-pool
	assert_failure 1
	assert_output "cxl-switch identify: switch0 LD pool of port 5: Identify (0x0001): tunnel to LD pool of port 5: Tunnel Management Command (0x5300): Unsupported Mailbox or CCI (0x15)"
}

@test "identify --ld-pool: the pool CCI through the port's device, and no 0x4000" {
	local stats=$BATS_TEST_TMPDIR/stats.json
	run emu --stats "$stats" -- identify switch0 --port 20 --ld-pool -j
	assert_success
	jq -e --argjson id "$(topo '.ports[] | select(.port_id == 20) | .device.identify')" \
		'.switch == "switch0" and .target == {port: 20, pool: true} and
		 .serial == $id.serial and .component_type == "type3" and (has("memdev") | not)' <<<"$output"
	# {20, type 0} wrapping {0xFF, type 1}: the switch never sees type 1
	run jq -c '.opcodes | [."0x5300>0x0001", ."0x5300>0x5300>0x0001",
		(to_entries | map(select(.key | endswith("0x4000"))) | length)]' "$stats"
	assert_output '[null,1,0]'
}

@test "tunnel: an answer with the wrong tag is rejected, naming the level" {
	run emu --fail 0x5300:tag -- identify switch0 --port 5
	assert_failure 4
	assert_output --regexp "^cxl-switch identify: switch0 port 5: Identify \\(0x0001\\): tunnel to port 5: inner answer has tag 0x.., the request 0x..$"
}

@test "tunnel: wrong opcode, wrong category and lying lengths are rejected" {
	run emu --fail 0x5300:opcode -- identify switch0 --port 5
	assert_failure 4
	assert_output --partial "tunnel to port 5: inner answer is for opcode"
	run emu --fail 0x5300:category -- identify switch0 --port 5
	assert_failure 4
	assert_output --partial "tunnel to port 5: inner message category 0, not a response"
	run emu --fail 0x5300:tunnel-len=8 -- identify switch0 --port 5
	assert_failure 4
	assert_output --partial "tunnel to port 5: response length says"
	run emu --fail 0x5300:inner-len=8 -- identify switch0 --port 5
	assert_failure 4
	assert_output --partial "tunnel to port 5: inner payload length says"
}

@test "tunnel: an inner length with bit 20 set is not the length (bits 20:0, r3.2 Table 7-14)" {
	run emu --fail 0x5300:inner-len=1048576 -- identify switch0 --port 5
	assert_failure 4
	assert_output "cxl-switch identify: switch0 port 5: Identify (0x0001): tunnel to port 5: inner payload length says $((1048576 + 18)) bytes, 18 arrived"
}

@test "tunnel: a lie at the second level names the LD level" {
	# the first 0x5300 handled is the switch's, the second the MLD's:
	# 0x5300 number 1 is the switch's level of the request, 2 the MLD's
	# (no limit is asked first: an Identify fits any, issue 16)
	run emu --fail 0x5300:tag:2 -- identify switch0 --port 7 --ld 1
	assert_failure 4
	assert_output --regexp "^cxl-switch identify: switch0 port 7 LD 1: Identify \\(0x0001\\): tunnel to LD 1: inner answer has tag 0x.., the request 0x..$"
	run emu --fail 0x5300:tag:1 -- identify switch0 --port 7 --ld 1
	assert_failure 4
	assert_output --partial "switch0 port 7 LD 1: Identify (0x0001): tunnel to LD 1: Tunnel Management Command (0x5300): tunnel to port 7: inner answer has tag"
}

@test "tunnel: Busy at the device is retried through the tunnel" {
	run emu --stats "$BATS_TEST_TMPDIR/s.json" --fail 0x4000:busy:1 -- identify switch0 --port 4 -j
	assert_success
	assert_equal "$(stats '."opcodes"."0x5300>0x4000"')" 2
}

@test "tunnel: in JSON mode a tunnel failure is one JSON error object" {
	run --separate-stderr emu --fail 0x5300:tag -- identify switch0 --port 5 -j
	assert_failure 4
	assert_equal "$(jq -s length <<<"$output")" 1
	assert_equal "$(echo "$output" | jq -r .error.exit_code)" 4
	assert_equal "$(echo "$output" | jq -c '[.switch, .target]')" '["switch0",{"port":5}]'
}
