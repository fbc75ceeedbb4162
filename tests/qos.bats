#!/usr/bin/env bats
# qos: an MLD's QoS (0x5403-0x5409, tunnelled to the port's device), read
# and compared with the topology file, changed and checked in the saved
# state; refusals leave the state byte-identical.
load helpers

setup() {
	setup_state
	STATS=$BATS_TEST_TMPDIR/stats.json
}

# The MLD of a port in the topology file.
mld() {
	topo ".ports[] | select(.port_id == $1) | .device.mld $2"
}

# The state update for an MLD of port $1: jq expression $2 on its mld.
mld_update() {
	echo "(.ports[] | select(.port_id == $1) | .device.mld) |= ($2)"
}

@test "qos: control, status and each LD's bandwidth are the device's" {
	run emu -- qos switch0 --port 5 -j
	assert_success
	assert_equal "$(jq -c .qos_control <<<"$output")" "$(mld 5 .qos_control)"
	assert_equal "$(jq -c .backpressure_average_percent <<<"$output")" \
		"$(mld 5 .backpressure_average_percent)"
	assert_equal "$(jq -c '[.lds[] | {ld_id, qos_allocated_bw, qos_bw_limit}]' <<<"$output")" \
		"$(mld 5 '| [.lds[] | {ld_id, qos_allocated_bw, qos_bw_limit}]')"
	jq -e '.switch == "switch0" and .target == {port: 5} and .ld_count == 4' <<<"$output"
	jq -e '.qos_telemetry_caps == {"egress_port_congestion": true, "temporary_throughput_reduction": false}' <<<"$output"
}

@test "qos: fractions n/256 are shown in percent too" {
	run emu -- qos switch0 --port 5 -j
	assert_success
	# 64/256 and 255/256
	jq -e '.lds[0] | .qos_allocated_bw == 64 and .qos_allocated_bw_percent == 25 and .qos_bw_limit == 255 and .qos_bw_limit_percent == 99.61' <<<"$output"
}

@test "qos: human output, the control block and a table of LDs" {
	run emu -- qos switch0 --port 5
	assert_success
	assert_line "target                        port 5"
	assert_line "qos_control:"
	assert_line "  egress_moderate_percent                10"
	assert_line "  temporary_throughput_reduction_enable  no"
	assert_line "backpressure_average_percent  3"
	assert_line "LD  ALLOCATED_BW  ALLOCATED_%  BW_LIMIT  LIMIT_%"
	assert_line "0   64/256        25.00%       255/256   99.61%"
	assert_line "3   64/256        25.00%       255/256   99.61%"
}

@test "qos: 16 LDs behind a 256-byte limit fit one request per list" {
	[ "$(topo '.ports[] | select(.port_id == 7) | .device.max_msg_size')" = 256 ]
	run emu --stats "$STATS" -- qos switch0 --port 7 -j
	assert_success
	assert_equal "$(jq '.lds | length' <<<"$output")" 16
	assert_equal "$(jq -c '[.lds[] | {ld_id, qos_allocated_bw, qos_bw_limit}]' <<<"$output")" \
		"$(mld 7 '| [.lds[] | {ld_id, qos_allocated_bw, qos_bw_limit}]')"
	# an answer is 2 + 16 bytes: one request each, and as that fits
	# what every CCI takes, the device's limit is not asked (issue 16)
	assert_equal "$(jq '.opcodes."0x5300>0x5406"' "$STATS")" 1
	assert_equal "$(jq '.opcodes."0x5300>0x5408"' "$STATS")" 1
	assert_equal "$(jq '.opcodes."0x5300>0x0003" // 0' "$STATS")" 0
}

@test "qos: a port whose device is no MLD: the device lacks the command, exit 7" {
	run emu -- qos switch0 --port 4
	assert_failure 7
	assert_output "cxl-switch qos: switch0 port 4 does not implement Get LD Info (0x5400)"
}

@test "qos: --port is required, --ld and --ld-pool do not apply" {
	run emu -- qos switch0
	assert_failure 2
	assert_output "cxl-switch qos: missing --port: the switch port of the pooled device (MLD)"
	run emu -- qos switch0 --port 5 --ld 1
	assert_failure 2
	run emu -- qos switch0 --port 5 --ld-pool
	assert_failure 2
}

# ---- --set ---------------------------------------------------------------

@test "qos --set: the named fields change, the others are kept" {
	run emu_state -- qos switch0 --port 5 --set egress_moderate_percent=20,egress_port_congestion_enable=off --force -j
	assert_success
	jq -e '.status == "done" and .opcode == 21508 and .name == "Set QoS Control"' <<<"$output"
	# flags 0, 20 %, 25 %, 8, 1000 (0x03e8), 64
	jq -e '.request == "00141908e80340"' <<<"$output"
	jq -e '.qos_control.egress_moderate_percent == 20 and .qos_control.egress_severe_percent == 25 and .qos_control.egress_port_congestion_enable == false' <<<"$output"
	assert_state_is "$(mld_update 5 '.qos_control |= (.egress_moderate_percent = 20 | .egress_port_congestion_enable = false)')"
}

# r3.1 gives the percentages 1-100, but a device outside the spec may
# report 0 (the emulator loads it so): it is shown as it is, and a Set
# that would carry it back is refused before anything is sent.
@test "qos --set: a device reporting a percentage of 0 is not sent it back" {
	jq '(.ports[] | select(.port_id == 5) | .device.mld.qos_control.egress_moderate_percent) = 0' \
		"$STATE_IN" > "$BATS_TEST_TMPDIR/q0.json" && mv "$BATS_TEST_TMPDIR/q0.json" "$STATE_IN"
	run emu_state -- qos switch0 --port 5 -j
	assert_success
	jq -e '.qos_control.egress_moderate_percent == 0' <<<"$output"
	run emu_state --stats "$STATS" -- qos switch0 --port 5 --set egress_severe_percent=30 --force
	assert_failure 2
	assert_output "cxl-switch qos: the device on port 5 reports egress_moderate_percent 0, which Set QoS Control does not take (1-100): give egress_moderate_percent=N in --set too"
	assert_equal "$(jq '.opcodes."0x5300>0x5404" // 0' "$STATS")" 0
	assert_state_untouched
	run emu_state -- qos switch0 --port 5 --set egress_severe_percent=30,egress_moderate_percent=12 --force
	assert_success
	assert_state_is "$(mld_update 5 '.qos_control |= (.egress_moderate_percent = 12 | .egress_severe_percent = 30)')"
}

@test "qos --set: telemetry the device cannot do is not enabled" {
	[ "$(topo '.ports[] | select(.port_id == 5) | .device.memdev.qos_telemetry_caps.temporary_throughput_reduction')" = false ]
	run emu_state --stats "$STATS" -- qos switch0 --port 5 --set temporary_throughput_reduction_enable=true --force
	assert_failure 2
	assert_output "cxl-switch qos: the device on port 5 does not support temporary throughput reduction telemetry: temporary_throughput_reduction_enable cannot be enabled"
	assert_equal "$(jq '.opcodes."0x5300>0x5404" // 0' "$STATS")" 0
	assert_state_untouched
}

@test "qos --set: an empty list is refused" {
	run emu_state -- qos switch0 --port 5 --set , --force
	assert_failure 2
	assert_output "cxl-switch qos: --set: expected KEY=VALUE[,KEY=VALUE...], e.g. egress_moderate_percent=20"
	assert_state_untouched
}

@test "qos --set: the effect names the fields, affects the hosts of the port" {
	run emu_state -- qos switch0 --port 5 --set req_cmpl_basis=500,egress_port_congestion_enable=false --dry-run -j
	assert_success
	jq -e '.effect == "sets the QoS control of port 5: egress_port_congestion_enable true -> false, req_cmpl_basis 1000 -> 500"' <<<"$output"
	jq -e '.affects | test("the host on upstream port 0 \\(VCS 0 vPPB 1\\)")' <<<"$output"
	assert_state_untouched
}

@test "qos --set: a percentage over 100 is refused before anything is sent" {
	run emu_state --stats "$STATS" -- qos switch0 --port 5 --set egress_severe_percent=101 --force
	assert_failure 2
	assert_output "cxl-switch qos: --set: invalid egress_severe_percent '101': expected 1-100"
	assert_equal "$(jq '.ioctls' "$STATS")" 0
	assert_state_untouched
}

# r3.1 Set QoS Control: percentages 1-100, backpressure sample interval
# 0-15, completion collection interval 0-255
@test "qos --set: each field's spec range is checked before anything is sent" {
	for bad in egress_moderate_percent=0 egress_severe_percent=0 backpressure_sample_interval=16; do
		run emu_state --stats "$STATS" -- qos switch0 --port 5 --set "$bad" --force
		assert_failure 2
		assert_equal "$(jq '.ioctls' "$STATS")" 0
	done
	assert_output "cxl-switch qos: --set: invalid backpressure_sample_interval '16': expected 0-15"
	run emu_state -- qos switch0 --port 5 --set egress_moderate_percent=0 --force
	assert_output "cxl-switch qos: --set: invalid egress_moderate_percent '0': expected 1-100"
	assert_state_untouched
	# the ends of the ranges are taken
	run emu_state -- qos switch0 --port 5 --set egress_moderate_percent=1,backpressure_sample_interval=15,completion_collection_interval=0 --force
	assert_success
	assert_state_is '(.ports[] | select(.port_id == 5) | .device.mld.qos_control) |= (.egress_moderate_percent = 1 | .backpressure_sample_interval = 15 | .completion_collection_interval = 0)'
}

@test "the emulated MLD refuses QoS control values outside the spec's ranges" {
	# telemetry, moderate, severe, sample interval, ReqCmpBasis (2), interval
	for req in 01001908e80340 010a0008e80340 010a1910e80340; do
		run "$EMU" --topology "$STATE_IN" --save "$STATE_OUT" -- "$TOP/tests/emulator/probe" -t 5 /dev/cxl/switch0 0x5404 "$req"
		assert_line --partial "op=0x5404 len=0 bg=0 rc=0x02"
	done
	assert_state_untouched
	run "$EMU" --topology "$STATE_IN" -- "$TOP/tests/emulator/probe" -t 5 /dev/cxl/switch0 0x5404 010a190fe80340
	assert_line --partial "op=0x5404 len=7 bg=0 rc=0x00"
}

@test "qos --set: an unknown key is refused, naming the keys" {
	run emu_state -- qos switch0 --port 5 --set moderate=5 --force
	assert_failure 2
	assert_output --partial "--set: unknown key 'moderate': expected egress_port_congestion_enable,"
	assert_state_untouched
}

# ---- --alloc-bw and --bw-limit ------------------------------------------

@test "qos --alloc-bw: LDs 0 and 2 get half, LD 1 between them keeps its share" {
	run emu_state -- qos switch0 --port 5 --alloc-bw 0,2=50 --force -j
	assert_success
	# 3 LDs from LD 0: 128, 64 (kept), 128
	jq -e '.request == "0300804080" and .opcode == 21511' <<<"$output"
	jq -e '.effect == "sets the allocated bandwidth of port 5: LD 0 25.00% -> 50.00% (128/256), LD 2 25.00% -> 50.00% (128/256)"' <<<"$output"
	jq -e '[.lds[] | .qos_allocated_bw] == [128, 64, 128]' <<<"$output"
	assert_state_is "$(mld_update 5 '.lds[0].qos_allocated_bw = 128 | .lds[2].qos_allocated_bw = 128')"
}

@test "qos --bw-limit: a range with decimals; 100% is the largest fraction, 255/256" {
	run emu_state -- qos switch0 --port 6 --bw-limit 1-2=12.5 --bw-limit 3=100% --force -j
	assert_success
	jq -e '.request == "03012020ff"' <<<"$output"
	assert_state_is "$(mld_update 6 '.lds[1].qos_bw_limit = 32 | .lds[2].qos_bw_limit = 32 | .lds[3].qos_bw_limit = 255')"
}

@test "qos --alloc-bw: affects names each LD's host" {
	run emu_state -- qos switch0 --port 5 --alloc-bw 0-3=10 --dry-run -j
	assert_success
	jq -e '.affects == "LD 0: the host on upstream port 0 (VCS 0 vPPB 1); LD 1: the host on upstream port 1 (VCS 1 vPPB 0); LD 2: the host on upstream port 2 (VCS 2 vPPB 0); LD 3: no host (the port is bound to no vPPB)"' <<<"$output"
	assert_state_untouched
}

@test "qos --dry-run: the request and the wire bytes, nothing sent" {
	run emu_state --stats "$STATS" -- qos switch0 --port 5 --alloc-bw 0,2=50 --dry-run -j
	assert_success
	jq -e '.status == "dry_run" and .request == "0300804080" and .wire_opcode == 21248' <<<"$output"
	# port 5, target type 0, 17 bytes: a request header (any tag) for
	# 0x5407 with 5 payload bytes, then the payload
	jq -e '.wire_request | test("^0500110000[0-9a-f]{2}000754050000000000000300804080$")' <<<"$output"
	jq -e 'has("lds") | not' <<<"$output"
	assert_equal "$(jq '.opcodes."0x5300>0x5407" // 0' "$STATS")" 0
	assert_state_untouched
}

@test "qos --dry-run: the human form shows the request bytes" {
	run emu_state -- qos switch0 --port 5 --bw-limit 3=50 --dry-run
	assert_success
	assert_line --index 0 "switch0 port 5: Set QoS BW Limit (0x5409) not sent (dry run)"
	assert_line "  request: 01 03 80"
	assert_state_untouched
}

@test "qos: without --force a change is refused, nothing changes" {
	run emu_state --stats "$STATS" -- qos switch0 --port 5 --alloc-bw 1=30
	assert_failure 5
	assert_output "cxl-switch qos: refusing to send Set QoS Allocated BW (a host-visible change) without --force: stdin is not a terminal"
	assert_equal "$(jq '.opcodes."0x5300>0x5407" // 0' "$STATS")" 0
	assert_state_untouched
}

@test "qos: the policy refuses a host-visible change on the port" {
	printf 'allow all\ndeny host-visible ports=5\n' > "$BATS_TEST_TMPDIR/policy"
	run emu_state --policy "$BATS_TEST_TMPDIR/policy" -- qos switch0 --port 5 --bw-limit 0=50 --force
	assert_failure 5
	assert_output "cxl-switch qos: refused: /etc/cxl-switch/policy.conf:2 denies host-visible changes to switch0"
	assert_state_untouched
}

@test "qos: a percentage outside 0-100 is refused before anything is sent" {
	for bad in 101 -1 abc 50x nan; do
		run emu_state --stats "$STATS" -- qos switch0 --port 5 --alloc-bw "0=$bad" --force
		assert_failure 2
		assert_output "cxl-switch qos: --alloc-bw: invalid percent '$bad': expected 0-100, decimals allowed (12.5)"
		assert_equal "$(jq '.ioctls' "$STATS")" 0
	done
	assert_state_untouched
}

@test "qos: an LD the device does not have is refused before the set" {
	run emu_state --stats "$STATS" -- qos switch0 --port 5 --alloc-bw 2-4=10 --force
	assert_failure 2
	assert_output "cxl-switch qos: the device on port 5 has 4 LDs (0-3): there is no LD 4"
	assert_equal "$(jq '.opcodes."0x5300>0x5407" // 0' "$STATS")" 0
	assert_state_untouched
}

@test "qos: the device failing the set is named with its return code" {
	run emu_state --fail 0x5409:internal-error -- qos switch0 --port 5 --bw-limit 0=50 --force
	assert_failure 1
	assert_output "cxl-switch qos: switch0 port 5: Set QoS BW Limit (0x5409): Internal Error (0x04)"
	assert_state_untouched
}

@test "qos: one change at a time" {
	run emu_state -- qos switch0 --port 5 --alloc-bw 0=5 --set egress_severe_percent=5 --force
	assert_failure 2
	assert_output "cxl-switch qos: --alloc-bw and --set exclude each other: one change at a time"
	assert_state_untouched
}

# ---- the human answer shows the values the JSON holds ------------------

# human_rows SECTION: the rows under "  SECTION:" of a change's human
# answer, blanks squeezed, header line left out.
human_rows() {
	echo "$output" | sed -n "/^  $1:\$/,/^  [a-z_]*:/p" | sed '1,2d;/^  [a-z_]*:/d' | tr -s ' ' | sed 's/^ //'
}

@test "qos --set: the human answer shows the control block's values, as the JSON of the same change" {
	run emu_state -- qos switch0 --port 5 --set egress_moderate_percent=20 --force -j
	assert_success
	json=$output
	setup_state
	run emu_state -- qos switch0 --port 5 --set egress_moderate_percent=20 --force
	assert_success
	refute_output --partial "egress_port_congestion_enable,"
	assert_line "  qos_control:"
	want=$(echo "$json" | jq -r '.qos_control | to_entries[] | "\(.key) \(.value | if . == true then "yes" elif . == false then "no" else tostring end)"')
	got=$(echo "$output" | sed -n '/^  qos_control:$/,$p' | sed 1d | tr -s ' ' | sed 's/^ //')
	assert_equal "$got" "$want"
	assert_line --regexp '^    egress_moderate_percent +20$'
}

@test "qos --alloc-bw and --bw-limit: the human answer is a table of each LD's values, as the JSON" {
	for opt in --alloc-bw --bw-limit; do
		setup_state
		run emu_state -- qos switch0 --port 5 $opt 0,2=50 --force -j
		assert_success
		json=$output
		setup_state
		run emu_state -- qos switch0 --port 5 $opt 0,2=50 --force
		assert_success
		refute_output --partial "ld_id,"
		want=$(echo "$json" | jq -r '.lds[] | [.[]] | map(tostring) | join(" ")')
		# numbers as numbers: the table writes 50.00 for the JSON's 50.00
		assert_equal "$(human_rows lds | awk '{ for (i = 1; i <= NF; i++) $i += 0; print }')" "$want"
		assert_equal "$(echo "$json" | jq '.lds | length')" 3
	done
}
