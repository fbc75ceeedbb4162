#!/usr/bin/env bats
# port-control (0x5102) and config-read/config-write (0x5103).
load helpers

setup() {
	setup_state
}

@test "port-control --assert-perst: PERST# shows in the link state, the link drops" {
	run emu_state -- port-control switch0 --port 4 --assert-perst --force
	assert_success
	assert_state_is '.ports[4] |= (.link_state_flags.perst_asserted = true | .ltssm_state = "detect" | .current_link_speed_gts = null | .negotiated_link_width = 0)'
}

@test "port-control --deassert-perst: the link trains again" {
	# one emulator session: the device remembers how its link had trained
	run "$EMU" --topology "$STATE_IN" --save "$STATE_OUT" -- sh -c \
		"'$CXLSW' port-control switch0 --port 11 --assert-perst -f &&
		 '$CXLSW' port-control switch0 --port 11 --deassert-perst -f"
	assert_success
	assert_state_is '.'
}

@test "port-control --reset: a connected port whose link is down retrains" {
	id=$(topo '[.ports[] | select(.config_state == "dsp" and .connected_device_type != "none" and .ltssm_state == "detect" and (.link_state_flags.perst_asserted | not))][0].port_id')
	[ "$id" != null ]
	run emu_state -- port-control switch0 --port "$id" --reset --force -j
	assert_success
	echo "$output" | jq -e --arg r "$(printf '%02x02' "$id")" '.request == $r'
	run jq -c --argjson id "$id" '.ports[] | select(.port_id == $id) | [.ltssm_state, (.negotiated_link_width > 0), (.current_link_speed_gts != null)]' "$STATE_OUT"
	assert_output '["l0",true,true]'
}

@test "port-control: the request bytes for each action" {
	for a in assert-perst:00 deassert-perst:01 reset:02; do
		run emu_state -- port-control switch0 --port 7 "--${a%:*}" -n -j
		assert_success
		echo "$output" | jq -e --arg b "07${a#*:}" '.request == $b'
	done
	assert_state_untouched
}

@test "port-control: the confirmation names the hosts bound to the port" {
	run emu_state -- port-control switch0 --port 5 --reset -n -j
	assert_success
	# port 5 is an MLD whose LDs are bound in several VCSs
	for v in $(topo '[.vcss[] | select(any(.vppbs[]; .port_id == 5)) | .usp_id] | .[]'); do
		echo "$output" | jq -e --arg u "upstream port $v " '.affects | contains($u)'
	done
}

@test "port-control: an upstream port is refused, nothing changes" {
	run emu_state -- port-control switch0 --port 0 --reset --force
	assert_failure 2
	assert_output "cxl-switch port-control: port 0 is not a downstream port (it is usp)"
	assert_state_untouched
}

@test "port-control: no action or two actions are usage errors" {
	run "$CXLSW" port-control switch0 --port 4
	assert_failure 2
	assert_output "cxl-switch port-control: missing the action: --assert-perst, --deassert-perst or --reset"
	run "$CXLSW" port-control switch0 --port 4 --reset --assert-perst
	assert_failure 2
	assert_output "cxl-switch port-control: give one of --assert-perst, --deassert-perst and --reset"
	run "$CXLSW" port-control switch0 --reset
	assert_failure 2
	assert_output "cxl-switch port-control: missing --port: the downstream port"
}

@test "port-control without --force: refused, state untouched" {
	run emu_state -- port-control switch0 --port 4 --reset
	assert_failure 5
	assert_output "cxl-switch port-control: refusing to send Physical Port Control (a host-visible change) without --force: stdin is not a terminal"
	assert_state_untouched
}

@test "config-read: the vendor and device ids at offset 0" {
	run emu_state -- config-read switch0 --port 4 --offset 0 -j
	assert_success
	want=$(printf '0x%s%s' "$(topo .identify.device_id | tr -d '"' | cut -c3-)" "$(topo .identify.vendor_id | tr -d '"' | cut -c3-)")
	echo "$output" | jq -e --argjson v "$((want))" '.value == $v and .effect_class == "read-only"'
	assert_state_untouched
}

@test "config-read: widths and byte enables on the wire" {
	# offset 0x0e, 1 byte: register number 3 (offset bits 7:2 in bits
	# 7:2), byte enable 0100b
	run emu_state -- config-read switch0 --port 4 --offset 0x0e --width 1 -j
	assert_success
	echo "$output" | jq -e '.request == "040c400000000000" and .value == 1'
	# offset 0x102, 2 bytes: extended register number 1, enables 1100b
	run emu_state -- config-read switch0 --port 4 --offset 0x102 --width 2 -n -j
	echo "$output" | jq -e '.request == "0400c10000000000"'
	# offset 0xffc: register 0x3f, extended register 0xf
	run emu_state -- config-read switch0 --port 4 --offset 0xffc -n -j
	echo "$output" | jq -e '.request == "04fcff0000000000"'
}

@test "config-read needs no --force: it changes nothing; the answer alone, the report with -v" {
	run emu_state -- config-read switch0 --port 4 --offset 8 --width 4
	assert_success
	assert_output "switch0 port 4 offset 0x008 (4 bytes): 0x06040001"
	assert_state_untouched
	run emu_state -- config-read switch0 --port 4 --offset 8 --width 4 -v
	assert_success
	assert_line "  effect:  reads 4 byte(s) at offset 0x008 of the configuration space of port 4 (CXL Type 3 SLD)"
	assert_line "  value: 0x06040001"
	# a dry run has no answer: it shows what would be sent
	run emu_state -- config-read switch0 --port 4 --offset 8 -n
	assert_success
	assert_line "  request: 04 08 f0 00 00 00 00 00"
}

@test "config-write: the scratch area keeps what was written" {
	run emu_state -- config-write switch0 --port 4 --offset 0x80 --value 0xdeadbeef --force -j
	assert_success
	echo "$output" | jq -e '.request == "0480f080efbeadde"'
	run emu --topology "$STATE_OUT" -- config-read switch0 --port 4 --offset 0x80 -j
	echo "$output" | jq -e '.value == 3735928559'
	run emu --topology "$STATE_OUT" -- config-read switch0 --port 4 --offset 0x82 --width 2 -j
	echo "$output" | jq -e '.value == 57005'
}

@test "config-write without --force: refused, state untouched" {
	run emu_state -- config-write switch0 --port 4 --offset 0x80 --value 1
	assert_failure 5
	assert_state_untouched
}

@test "config-read/write: bad offsets, widths and values" {
	run "$CXLSW" config-read switch0 --port 4 --offset 4096
	assert_failure 2
	assert_output "cxl-switch config-read: invalid --offset '4096': expected a byte offset 0-4095"
	run "$CXLSW" config-read switch0 --port 4 --offset 2 --width 4
	assert_failure 2
	assert_output "cxl-switch config-read: --offset 2 is not aligned to the width 4"
	run "$CXLSW" config-read switch0 --port 4 --offset 0 --width 3
	assert_failure 2
	assert_output "cxl-switch config-read: invalid --width '3': expected 1, 2 or 4"
	run "$CXLSW" config-write switch0 --port 4 --offset 0x80 --width 1 --value 0x100
	assert_failure 2
	assert_output "cxl-switch config-write: --value 0x100 does not fit in 1 byte"
	run "$CXLSW" config-write switch0 --port 4 --offset 0x80
	assert_failure 2
	assert_output "cxl-switch config-write: missing --value: the value to write"
	run "$CXLSW" config-read switch0 --port 4 --offset 0 --value 1
	assert_failure 2
	assert_output "cxl-switch config-read: unknown option '--value': see 'cxl-switch config-read --help'"
}

@test "config-read: a disabled port has no bridge to access" {
	run emu_state -- config-read switch0 --port 16 --offset 0
	assert_failure 2
	assert_output "cxl-switch config-read: port 16 has no bridge to access (it is disabled)"
}
