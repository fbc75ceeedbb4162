#!/usr/bin/env bats
# bind and unbind (0x5201, 0x5202): changes checked in the emulator's
# saved state, refusals leave it byte-identical.
bats_require_minimum_version 1.5.0
load helpers

setup() {
	setup_state
	STATS=$BATS_TEST_TMPDIR/stats.json
}

# vPPB 6 of VCS 0 is unbound and port 14 is an empty DSP in the default
# topology; port 5 is an MLD whose LD 3 is free.
@test "bind: a port to a vPPB, nothing else changes" {
	[ "$(topo '.vcss[0].vppbs[6].binding_status')" = '"unbound"' ]
	run emu_state -- bind switch0 --vcs 0 --vppb 6 --port 14 --force
	assert_success
	assert_line --index 0 "switch0: Bind vPPB (0x5201) done"
	assert_state_is '.vcss[0].vppbs[6] |= (.binding_status = "bound_port" | .port_id = 14)'
}

@test "bind: one LD of a pooled device" {
	[ "$(topo '.ports[5].connected_device_type')" = '"cxl_type3_mld"' ]
	# LD 3 holds no memory: a warning on stderr, stdout one document
	run --separate-stderr emu_state -- bind switch0 --vcs 0 --vppb 7 --port 5 --ld 3 --force -j
	assert_success
	echo "$output" | jq -e '.status == "done" and .request == "000705000300"'
	assert_state_is '.vcss[0].vppbs[7] |= (.binding_status = "bound_ld" | .port_id = 5 | .ld_id = 3)'
}

@test "bind: the background operation is polled to its end" {
	run emu_state --bg-polls 5 --stats "$BATS_TEST_TMPDIR/s.json" -- \
		bind switch0 --vcs 0 --vppb 6 --port 14 --force
	assert_success
	# 5 polls that report running, one that reports the end
	assert_equal "$(jq '.opcodes."0x0002"' "$BATS_TEST_TMPDIR/s.json")" 6
	assert_equal "$(jq '.opcodes."0x5201"' "$BATS_TEST_TMPDIR/s.json")" 1
}

@test "bind --no-wait: returns at once, the port is bind-in-progress" {
	run emu_state --bg-polls 3 -- bind switch0 --vcs 0 --vppb 6 --port 14 --force --no-wait -j
	assert_success
	echo "$output" | jq -e '.status == "started"'
	assert_state_is '(.vcss[0].vppbs[6] |= (.binding_status = "in_progress" | .port_id = 14)) | (.ports[14].config_state = "bind_in_progress")'
}

@test "bind: the device failing the operation is named, nothing changes" {
	run emu_state --bg-fail 0x5201:internal-error -- bind switch0 --vcs 0 --vppb 6 --port 14 --force
	assert_failure 1
	assert_output "cxl-switch bind: switch0: Bind vPPB (0x5201): background operation ended with Internal Error (0x04)
cxl-switch bind: read back: vPPB 6 of VCS 0 is unbound as before: nothing changed"
	assert_state_untouched
}

@test "bind --dry-run: the exact request bytes, nothing sent" {
	run --separate-stderr emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- bind switch0 --vcs 0 --vppb 7 --port 5 --ld 3 --dry-run -j
	assert_success
	# VCS id, vPPB id, port id, reserved, LD id u16 little-endian
	echo "$output" | jq -e '.request == "000705000300" and .status == "dry_run"'
	echo "$output" | jq -e '.effect == "binds port 5 (CXL Type 3 MLD, LD 3) to vPPB 7 of VCS 0"'
	assert_equal "$(jq '.opcodes."0x5201" // 0' "$BATS_TEST_TMPDIR/s.json")" 0
	assert_state_untouched
}

@test "bind --dry-run: a whole port is LD 0xffff" {
	run emu_state -- bind switch0 --vcs 0 --vppb 6 --port 14 -n -j
	assert_success
	echo "$output" | jq -e '.request == "00060e00ffff"'
}

@test "bind without --force off a terminal: refused, nothing sent" {
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- bind switch0 --vcs 0 --vppb 6 --port 14
	assert_failure 5
	assert_output "cxl-switch bind: refusing to send Bind vPPB (a host-visible change) without --force: stdin is not a terminal"
	assert_equal "$(jq '.opcodes."0x5201" // 0' "$BATS_TEST_TMPDIR/s.json")" 0
	assert_state_untouched
}

@test "bind: a bound vPPB is refused before anything is sent" {
	[ "$(topo '.vcss[0].vppbs[0].binding_status')" = '"bound_port"' ]
	run emu_state -- bind switch0 --vcs 0 --vppb 0 --port 14 --force
	assert_failure 2
	assert_output "cxl-switch bind: vPPB 0 of VCS 0 is not unbound: unbind it first"
	assert_state_untouched
}

@test "bind: an upstream port is refused" {
	run emu_state -- bind switch0 --vcs 0 --vppb 6 --port 1 --force
	assert_failure 2
	assert_output "cxl-switch bind: port 1 is not a downstream port (it is usp)"
	assert_state_untouched
}

@test "bind: a disabled port is refused" {
	run emu_state -- bind switch0 --vcs 0 --vppb 6 --port 16 --force
	assert_failure 2
	assert_output "cxl-switch bind: port 16 is not a downstream port (it is disabled)"
	assert_state_untouched
}

@test "bind: a port already bound elsewhere is refused" {
	run emu_state -- bind switch0 --vcs 0 --vppb 6 --port 4 --force
	assert_failure 2
	assert_output --regexp "^cxl-switch bind: port 4 is already bound to vPPB [0-9]+ of VCS [0-9]+$"
	assert_state_untouched
}

@test "bind: an MLD needs --ld, an SLD refuses it, LDs are counted" {
	run emu_state -- bind switch0 --vcs 0 --vppb 6 --port 5 --force
	assert_failure 2
	assert_output "cxl-switch bind: port 5 holds a pooled device (CXL Type 3 MLD): give --ld 0-3"
	run emu_state -- bind switch0 --vcs 0 --vppb 6 --port 4 --ld 0 --force
	assert_failure 2
	assert_output "cxl-switch bind: port 4 holds no pooled device: --ld applies to a CXL Type 3 MLD"
	run emu_state -- bind switch0 --vcs 0 --vppb 6 --port 5 --ld 4 --force
	assert_failure 2
	assert_output "cxl-switch bind: port 5 has 4 LDs: there is no LD 4"
	assert_state_untouched
}

@test "bind: an LD bound to another host is refused" {
	[ "$(topo '.vcss[1].vppbs[0] | [.port_id, .ld_id]' | tr -d ' ')" = "[5,1]" ]
	run emu_state -- bind switch0 --vcs 0 --vppb 6 --port 5 --ld 1 --force
	assert_failure 2
	assert_output "cxl-switch bind: port 5 (that LD) is already bound to vPPB 0 of VCS 1"
	assert_state_untouched
}

@test "bind: unknown VCS, disabled VCS, vPPB out of range" {
	run emu_state -- bind switch0 --vcs 9 --vppb 0 --port 14 --force
	assert_failure 2
	assert_output "cxl-switch bind: VCS 9 does not exist on switch0"
	run emu_state -- bind switch0 --vcs 3 --vppb 0 --port 14 --force
	assert_failure 2
	assert_output "cxl-switch bind: VCS 3 is not enabled"
	run emu_state -- bind switch0 --vcs 0 --vppb 8 --port 14 --force
	assert_failure 2
	assert_output "cxl-switch bind: VCS 0 has 8 vPPBs: there is no vPPB 8"
	assert_state_untouched
}

@test "bind: bad numbers and missing options are usage errors, nothing sent" {
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- bind switch0 --vcs x --vppb 0 --port 14
	assert_failure 2
	assert_output "cxl-switch bind: invalid --vcs 'x': expected a number 0-255"
	run "$CXLSW" bind switch0 --vcs 0 --port 14
	assert_failure 2
	assert_output "cxl-switch bind: missing --vppb: give --vcs and --vppb"
	run "$CXLSW" bind switch0 --vcs 0 --vppb 1
	assert_failure 2
	assert_output "cxl-switch bind: missing --port: the downstream port to bind (or --ld any: an LD of any pooled device)"
	run "$CXLSW" bind switch0 --vcs 0 --vppb 1 --port 300
	assert_failure 2
	assert_output "cxl-switch bind: invalid --port '300': expected a number 0-255"
	run "$CXLSW" bind switch0 --vcs 0 --vppb 1 --port 3 --mode wait
	assert_failure 2
	assert_output "cxl-switch bind: unknown option '--mode': see 'cxl-switch bind --help'"
}

@test "bind: Busy from the device is named, nothing changes" {
	run emu_state --fail 0x5201:busy -- bind switch0 --vcs 0 --vppb 6 --port 14 --force
	assert_failure 1
	assert_output "cxl-switch bind: switch0: Bind vPPB (0x5201): Busy (0x06), still after 6 attempts
cxl-switch bind: read back: vPPB 6 of VCS 0 is unbound as before: nothing changed"
	assert_state_untouched
}

@test "unbind: an LD, in the state and in words" {
	e=$(topo '.vcss[1].vppbs[4]')
	run emu_state -- unbind switch0 --vcs 1 --vppb 4 --force -j
	assert_success
	echo "$output" | jq -e --argjson p "$(echo "$e" | jq .port_id)" --argjson l "$(echo "$e" | jq .ld_id)" \
		'.effect == "unbinding vPPB 4 of VCS 1 removes port \($p) (CXL Type 3 MLD, LD \($l)) from the host on upstream port 1 (wait)"'
	assert_state_is '.vcss[1].vppbs[4] |= (.binding_status = "unbound" | .port_id = null | .ld_id = null)'
}

@test "unbind --mode: the option byte on the wire" {
	for m in wait:00 managed:01 surprise:02; do
		run emu_state -- unbind switch0 --vcs 0 --vppb 0 --mode "${m%:*}" -n -j
		assert_success
		echo "$output" | jq -e --arg b "${m#*:}" '.request == "0000\($b)"'
	done
	run "$CXLSW" unbind switch0 --vcs 0 --vppb 0 --mode gentle
	assert_failure 2
	assert_output "cxl-switch unbind: invalid --mode 'gentle': expected wait, managed or surprise"
}

@test "unbind: an unbound vPPB is refused" {
	run emu_state -- unbind switch0 --vcs 0 --vppb 6 --force
	assert_failure 2
	assert_output "cxl-switch unbind: vPPB 6 of VCS 0 is not bound (it is unbound)"
	assert_state_untouched
}

@test "unbind then bind again round-trips the state" {
	emu --topology "$STATE_IN" --save "$BATS_TEST_TMPDIR/mid.json" -- unbind switch0 --vcs 0 --vppb 0 --force >/dev/null
	port=$(topo '.vcss[0].vppbs[0].port_id')
	run emu --topology "$BATS_TEST_TMPDIR/mid.json" --save "$STATE_OUT" -- bind switch0 --vcs 0 --vppb 0 --port "$port" --force
	assert_success
	assert_state_is '.'
}

# ---- choices: --vppb any, --ld any; an LD without memory -----------------

@test "bind --vppb any: the first unbound vPPB of the VCS, named in the dry run and the result" {
	first=$(topo '[.vcss[2].vppbs[] | select(.binding_status == "unbound") | .vppb_id][0]')
	assert_equal "$first" 7
	run emu_state -- bind switch0 --vcs 2 --vppb any --port 22 --dry-run -j
	assert_success
	echo "$output" | jq -e --argjson b "$first" '.picked == {vppb_id: $b} and .request == "02071600ffff" and
		.effect == "binds port 22 (CXL Type 3 SLD) to vPPB 7 of VCS 2 (picked: the first unbound vPPB)"'
	assert_state_untouched
	run emu_state -- bind switch0 --vcs 2 --vppb any --port 22 --force
	assert_success
	assert_line "  effect:  binds port 22 (CXL Type 3 SLD) to vPPB 7 of VCS 2 (picked: the first unbound vPPB)"
	assert_line "    vppb_id  7"
	assert_state_is '.vcss[2].vppbs[7] |= (.binding_status = "bound_port" | .port_id = 22)'
}

@test "bind --vppb any: a VCS with none free is refused, nothing sent" {
	# VCS 3 is disabled; fill VCS 2's last vPPB
	jq '.vcss[2].vppbs[7] |= (.binding_status = "bound_port" | .port_id = 24)' "$DEFAULT_TOPO" > "$STATE_IN"
	run emu_state --stats "$STATS" -- bind switch0 --vcs 2 --vppb any --port 22 --force
	assert_failure 2
	assert_output "cxl-switch bind: VCS 2 has no unbound vPPB: all 8 are bound or in progress; see 'cxl-switch list-vcs switch0 --vcs 2'"
	assert_equal "$(jq '.opcodes."0x5201" // 0' "$STATS")" 0
	assert_state_untouched
	run emu -- unbind switch0 --vcs 0 --vppb any --force
	assert_failure 2
	assert_output "cxl-switch unbind: invalid --vppb 'any': expected a number 0-255"
}

@test "bind --ld any: the first LD bound nowhere that has memory" {
	# port 7: LD 0 and LD 5 are bound, LD 1 holds 8 GiB
	assert_equal "$(topo '.ports[] | select(.port_id == 7) | .device.mld.lds[1].range1_multiplier')" 8
	run emu_state -- bind switch0 --vcs 0 --vppb 6 --port 7 --ld any --force -j
	assert_success
	echo "$output" | jq -e '.picked == {ld_id: 1} and (has("warning") | not) and
		.effect == "binds port 7 (CXL Type 3 MLD, LD 1) to vPPB 6 of VCS 0 (picked: the first free LD with memory)"'
	assert_state_is '.vcss[0].vppbs[6] |= (.binding_status = "bound_ld" | .port_id = 7 | .ld_id = 1)'
}

@test "bind: an LD with no memory is bound with a warning on stderr and in JSON" {
	assert_equal "$(topo '.ports[] | select(.port_id == 7) | .device.mld.lds[12] | .range1_multiplier + .range2_multiplier')" 0
	run --separate-stderr emu_state -- bind switch0 --vcs 0 --vppb 6 --port 7 --ld 12 --dry-run -j
	assert_success
	want="LD 12 of port 7 has no memory allocated: the host sees a device without capacity; give it some with 'cxl-switch set-lds switch0 --port 7 12=SIZE'"
	assert_equal "$stderr" "cxl-switch bind: warning: $want"
	echo "$output" | jq -e --arg w "$want" '.warning == $w and .status == "dry_run"'
	# an LD with memory: no warning
	run --separate-stderr emu_state -- bind switch0 --vcs 0 --vppb 6 --port 7 --ld 1 --dry-run -j
	assert_success
	assert_equal "$stderr" ""
	echo "$output" | jq -e 'has("warning") | not'
}

@test "bind --ld any without --port: the first pooled device with a free LD that has memory" {
	# port 5's only free LD (3) holds nothing; port 6's LD 2 is free and holds 4 GiB
	assert_equal "$(topo '.ports[] | select(.port_id == 6) | .device.mld.lds[2] | .range1_multiplier + .range2_multiplier')" 16
	run emu_state -- bind switch0 --vcs 2 --vppb any --ld any --force -j
	assert_success
	echo "$output" | jq -e '.picked == {vppb_id: 7, port_id: 6, ld_id: 2} and
		.effect == "binds port 6 (CXL Type 3 MLD, LD 2) to vPPB 7 of VCS 2 (picked: the first unbound vPPB, the first pooled device with a free LD with memory, that LD)"'
	assert_state_is '.vcss[2].vppbs[7] |= (.binding_status = "bound_ld" | .port_id = 6 | .ld_id = 2)'
}
