#!/usr/bin/env bats
# One LD's CXL.io space through the switch (r3.2 Table 7-36): config-read
# and config-write --ld (Send LD CXL.io Configuration Request, 0x5301),
# mem-read and mem-write (Send LD CXL.io Memory Request, 0x5302).  Reads
# are checked against the topology (the LD's header carries its device's
# Identify IDs), writes in the emulator's saved state; refusals send
# nothing and leave the state byte-identical.
load helpers

setup() {
	setup_state
	STATS=$BATS_TEST_TMPDIR/stats.json
}

# the device on port 5 (an MLD of 4 LDs, LD 1 bound to VCS 1 vPPB 0)
dev5() {
	topo ".ports[] | select(.port_id == 5) | .device$1"
}

@test "config-read --ld: an LD's configuration header through 0x5301" {
	run emu_state --stats "$STATS" -- config-read switch0 --port 5 --ld 1 --offset 0 -j
	assert_success
	local vid did
	vid=$(dev5 .identify.vendor_id | tr -d '"')
	did=$(dev5 .identify.device_id | tr -d '"')
	jq -e --argjson v "$((0x${did#0x}${vid#0x}))" '.opcode == 21249 and .name == "Send LD CXL.io Configuration Request" and
		.effect_class == "read-only" and .request == "0500f0000100000000000000" and
		.port_id == 5 and .ld_id == 1 and .value == $v' <<<"$output"
	run jq -c '[.opcodes."0x5301", .opcodes."0x5103"]' "$STATS"
	assert_output '[1,null]'
	assert_state_untouched
}

@test "config-write --ld: the LD's configuration space changes in the device, the port's does not" {
	run emu_state -- config-write switch0 --port 5 --ld 1 --offset 0x84 --width 2 --value 0xbeef --force -j
	assert_success
	jq -e '.opcode == 21249 and .effect_class == "host-visible" and
		.request == "0584308001000000efbe0000" and
		.affects == "the host on upstream port 1 (VCS 1 vPPB 0)"' <<<"$output"
	assert_state_is '(.ports[] | select(.port_id == 5) | .device.mld.lds[1].config_space_80h) =
		("00000000efbe" + ("00" * 122))'
}

@test "config-write --ld: guarded like config-write: no --force, nothing sent" {
	run emu_state --stats "$STATS" -- config-write switch0 --port 5 --ld 1 --offset 0x80 --value 1
	assert_failure 5
	assert_equal "$(jq '.opcodes."0x5301"' "$STATS")" null
	assert_state_untouched
}

@test "config-read --ld: a port without an MLD, or an LD it lacks: exit 2, nothing sent" {
	run emu_state --stats "$STATS" -- config-read switch0 --port 4 --ld 0 --offset 0
	assert_failure 2
	assert_output "cxl-switch config-read: port 4 has no pooled device (MLD): --ld needs one"
	run emu_state --stats "$STATS" -- config-read switch0 --port 5 --ld 4 --offset 0
	assert_failure 2
	assert_output "cxl-switch config-read: port 5's MLD has 4 LDs: there is no LD 4"
	assert_equal "$(jq '.opcodes."0x5301"' "$STATS")" null
	assert_state_untouched
}

@test "mem-write then mem-read: the bytes land in the LD's memory space and read back" {
	run emu_state -- mem-write switch0 --port 5 --ld 2 --address 0x10 --data 0102030405060708 --force -j
	assert_success
	jq -e '.opcode == 21250 and .effect_class == "host-visible" and .status == "done" and
		.request == "05ff80020008001000000000000000" + "0102030405060708" and
		.ld_id == 2 and .address == 16 and .length == 8' <<<"$output"
	assert_state_is '(.ports[] | select(.port_id == 5) | .device.mld.lds[2].mmio) =
		(("00" * 16) + "0102030405060708" + ("00" * 232))'
	cp "$STATE_OUT" "$STATE_IN"
	run emu_state -- mem-read switch0 --port 5 --ld 2 --address 0x14 --length 8 -j
	assert_success
	jq -e '.effect_class == "read-only" and .data == "0506070800000000"' <<<"$output"
	assert_state_untouched
}

@test "mem-read: human output is a dump of the bytes read, -v the whole report" {
	# bytes that are text and bytes that are not, across two dump lines
	jq '(.ports[] | select(.port_id == 5) | .device.mld.lds[1].mmio) =
		(("00" * 16) + "48656c6c6f2c20435846210a01020304" + ("00" * 224))' \
		"$STATE_IN" > "$BATS_TEST_TMPDIR/t.json" && mv "$BATS_TEST_TMPDIR/t.json" "$STATE_IN"
	run emu_state -- mem-read switch0 --port 5 --ld 1 --address 0x8 --length 40
	assert_success
	assert_output "switch0 port 5 LD 1: 40 bytes at 0x8
00000008  00 00 00 00 00 00 00 00  48 65 6c 6c 6f 2c 20 43  |........Hello, C|
00000018  58 46 21 0a 01 02 03 04  00 00 00 00 00 00 00 00  |XF!.............|
00000028  00 00 00 00 00 00 00 00                           |........|"
	# the dump and the JSON of the same read agree
	run emu_state -- mem-read switch0 --port 5 --ld 1 --address 0x8 --length 40 -j
	jq -e '.data == ("00" * 8) + "48656c6c6f2c20435846210a01020304" + ("00" * 16)' <<<"$output"
	run emu_state -- mem-read switch0 --port 5 --ld 1 --address 0 --length 8 -v
	assert_success
	assert_line --index 0 "switch0: Send LD CXL.io Memory Request (0x5302) done"
	assert_line --index 3 "  request: 05 ff 00 01 00 08 00 00 00 00 00 00 00 00 00"
	assert_line "  data: 0000000000000000"
}

@test "mem-write: refused without --force, a dry run sends nothing" {
	run emu_state --stats "$STATS" -- mem-write switch0 --port 5 --ld 1 --address 0 --data 01020304
	assert_failure 5
	run emu_state --stats "$STATS" -- mem-write switch0 --port 5 --ld 1 --address 0 --data 01020304 --dry-run -j
	assert_success
	jq -e '.status == "dry_run" and .request == "050f8001000400000000000000000001020304"' <<<"$output"
	assert_equal "$(jq '.opcodes."0x5302"' "$STATS")" null
	assert_state_untouched
}

@test "mem-read and mem-write: bad arguments are one line, exit 2, nothing sent" {
	run emu_state --stats "$STATS" -- mem-read switch0 --port 5 --ld 1 --address 2
	assert_failure 2
	assert_output "cxl-switch mem-read: invalid --address '2': expected a byte address that is a multiple of 4"
	run emu_state -- mem-read switch0 --port 5 --ld 1 --address 0 --length 6
	assert_output "cxl-switch mem-read: invalid --length '6': expected a multiple of 4 from 4 to 4096 bytes"
	run emu_state -- mem-write switch0 --port 5 --ld 1 --address 0 --data 010203 --force
	assert_output "cxl-switch mem-write: invalid --data '010203': expected hex digits for 4 to 4096 bytes, a multiple of 4"
	run emu_state -- mem-read switch0 --port 5 --address 0
	assert_output "cxl-switch mem-read: missing --ld"
	run emu_state --stats "$STATS" -- mem-read switch0 --port 5 --ld 1 --address 0 --length 4096
	assert_failure 2
	assert_output "cxl-switch mem-read: 4096 bytes do not fit switch0's messages: at most 2044 in one read"
	run emu_state -- mem-read switch0 --port 6 --ld 8 --address 0
	assert_failure 2
	assert_output "cxl-switch mem-read: port 6's MLD has 8 LDs: there is no LD 8"
	assert_equal "$(jq '.opcodes."0x5302"' "$STATS")" null
	assert_state_untouched
}

@test "the emulated switch refuses 0x5301 and 0x5302 for what is not an LD" {
	local probe=$TOP/tests/emulator/probe
	# port 4 is an SLD, LD 4 of port 5 does not exist, port 14 has no MLD
	for req in 0400f0000000000000000000 0500f0000400000000000000 0e00f0000000000000000000; do
		run "$EMU" --topology "$STATE_IN" -- "$probe" /dev/cxl/switch0 0x5301 "$req"
		assert_output --regexp '^rc=0x02 '
	done
	# outside the LD's 256-byte register block; a length its data does not match
	run "$EMU" --topology "$STATE_IN" -- "$probe" /dev/cxl/switch0 0x5302 05ff00010008000001000000000000
	assert_output --regexp '^rc=0x02 '
	run "$EMU" --topology "$STATE_IN" -- "$probe" /dev/cxl/switch0 0x5302 050f8001000800000000000000000001020304
	assert_output --regexp '^rc=0x16 '
}

@test "commands: 0x5301 and 0x5302 are in the catalog and in the switch's CEL" {
	run emu -- commands switch0 -j
	assert_success
	jq -e '[.commands[] | select(.opcode == 21249 or .opcode == 21250) | .known_to] == ["both", "both"]' <<<"$output"
}
