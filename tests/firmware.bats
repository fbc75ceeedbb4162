#!/usr/bin/env bats
# fw-info, fw-update, fw-activate (0x0200-0x0202): checked against the
# topology's firmware slots and the emulator's saved state.  Images come
# from tests/fw-image (the rule the emulated switch verifies).
bats_require_minimum_version 1.5.0
load helpers

setup() {
	setup_state
	FWIMG=$TOP/tests/fw-image
	# 3 slots, slot 2 active, slot 3 staged, online activation
	jq '. + {firmware: {slots_supported: 3, active_slot: 2, staged_slot: 3,
		online_activation: true, revisions: ["1.0.0", "1.1.0", "1.2.0-rc1"]}}' \
		"$DEFAULT_TOPO" > "$STATE_IN"
}

stats() {
	jq -c "$1" "$BATS_TEST_TMPDIR/s.json"
}

@test "fw-info: every field, as the topology says (JSON)" {
	run emu_state -- fw-info switch0 -j
	assert_success
	echo "$output" | jq -e --argjson f "$(topo .firmware "$STATE_IN")" '
		.slots_supported == $f.slots_supported and
		.active_slot == $f.active_slot and .staged_slot == $f.staged_slot and
		.online_activation == $f.online_activation and
		([.slots[].revision] == $f.revisions) and
		([.slots[] | select(.active) | .slot] == [$f.active_slot]) and
		([.slots[] | select(.staged) | .slot] == [$f.staged_slot])'
	assert_state_untouched
}

@test "fw-info: human output, and the default two slots" {
	run emu_state -- fw-info switch0
	assert_success
	assert_line "active_slot        2"
	assert_line --regexp '^  2 +1\.1\.0 +yes +no$'
	assert_line --regexp '^  3 +1\.2\.0-rc1 +no +yes$'
	run emu -- fw-info switch0 -j
	echo "$output" | jq -e '.slots_supported == 2 and .active_slot == 1 and .staged_slot == null and .slots[1].revision == null'
}

@test "fw-update: a small image goes in one full transfer" {
	"$FWIMG" "$BATS_TEST_TMPDIR/fw.bin" 2.0.0 300
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 1 --force -j
	assert_success
	echo "$output" | jq -e '.status == "done" and .requests == 1 and .bytes_transferred == 300 and .slot == 1 and (.request | startswith("0001000000000000"))'
	assert_equal "$(stats '.opcodes."0x0201"')" 1
	assert_state_is '.firmware.revisions[0] = "2.0.0"'
}

@test "fw-update: a large image in chunks sized to the message limit" {
	"$FWIMG" "$BATS_TEST_TMPDIR/fw.bin" 3.0.0 10000
	# 2048-byte messages: 1920 image bytes (15 units) per request, 6 requests
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 3 --force -j
	assert_success
	echo "$output" | jq -e '.requests == 6 and .bytes_per_request == 1920 and .bytes_transferred == 10000'
	assert_equal "$(stats '.opcodes."0x0201"')" 6
	assert_state_is '.firmware.revisions[2] = "3.0.0"'
	run emu --topology "$STATE_IN" --msg-limit 256 --stats "$BATS_TEST_TMPDIR/s.json" -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 3 --force -j
	assert_success
	# 256-byte messages: one 128-byte unit per request
	echo "$output" | jq -e '.requests == 79 and .bytes_per_request == 128'
}

@test "fw-update --activate online: transferred, then active" {
	"$FWIMG" "$BATS_TEST_TMPDIR/fw.bin" 2.1.0 5000
	run emu_state -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 1 --activate online --force
	assert_success
	assert_line "  activation: online"
	assert_state_is '.firmware.revisions[0] = "2.1.0" | .firmware.active_slot = 1'
}

@test "fw-update --dry-run: the first request bytes and the plan, nothing sent" {
	"$FWIMG" "$BATS_TEST_TMPDIR/fw.bin" 2.0.0 5000
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 1 -n -j
	assert_success
	# initiate (1), slot 1, offset 0, 120 reserved, then the image: the
	# whole first request of 2048 bytes
	echo "$output" | jq -e '.status == "dry_run" and .requests == 3 and .image_bytes == 5000 and .bytes_transferred == 0 and
		(.request | length) == 4096 and (.request | startswith("0101000000000000")) and
		(.request[256:272] == "43584c5357465731")'
	echo "$output" | jq -e '.effect == "writes '"'$BATS_TEST_TMPDIR/fw.bin'"' (5000 bytes) to firmware slot 1 (now 1.0.0) in 3 requests of up to 1920 bytes; active slot 2 stays as it is"'
	assert_equal "$(stats '.opcodes."0x0201" // 0')" 0
	assert_state_untouched
}

@test "fw-update --dry-run: a human sees the request's first 32 bytes, all 2048 with -v" {
	"$FWIMG" "$BATS_TEST_TMPDIR/fw.bin" 2.0.0 5000
	run emu_state -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 1 -n
	assert_success
	assert_line "  request: 01 01$(printf ' 00%.0s' $(seq 30)) ... (32 of 2048 bytes; -v shows all)"
	[ "$(echo "$output" | wc -c)" -lt 1024 ] || fail "$(echo "$output" | wc -c) bytes of output"
	run emu_state -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 1 -n -v
	assert_success
	assert_line --regexp '^  request: 01 01 00( [0-9a-f]{2}){2045}$'
	assert_state_untouched
}

@test "fw-update: the active slot is refused before anything is sent" {
	"$FWIMG" "$BATS_TEST_TMPDIR/fw.bin" 2.0.0 300
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 2 --force
	assert_failure 2
	assert_output "cxl-switch fw-update: slot 2 is the active slot: it cannot be written; give --slot 1"
	assert_equal "$(stats '.opcodes."0x0201" // 0')" 0
	assert_state_untouched
	run emu_state -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 4 --force
	assert_failure 2
	assert_output "cxl-switch fw-update: switch0 has firmware slots 1-3: there is no slot 4"
	assert_state_untouched
}

@test "fw-update: a bad image fails verification, named, the slot untouched" {
	"$FWIMG" "$BATS_TEST_TMPDIR/bad.bin" 2.0.0 5000 bad-crc
	run emu_state -- fw-update switch0 "$BATS_TEST_TMPDIR/bad.bin" --slot 1 --force
	assert_failure 1
	assert_output "cxl-switch fw-update: switch0: Transfer FW (0x0201): background operation ended with FW Verification Failed (0x0a) after 3840 of 5000 bytes: the transfer was aborted
cxl-switch fw-update: read back: slot 1 holds 1.0.0 as before, slot 2 is active: nothing changed"
	assert_state_untouched
	"$FWIMG" "$BATS_TEST_TMPDIR/bad.bin" 2.0.0 300 bad-magic
	run --separate-stderr emu_state -- fw-update switch0 "$BATS_TEST_TMPDIR/bad.bin" --slot 1 --force -j
	assert_failure 1
	echo "$output" | jq -e '.error.return_code == "FW Verification Failed" and .error.exit_code == 1'
	assert_state_untouched
}

@test "fw-update: a failure mid-way aborts the transfer and says how far it got" {
	"$FWIMG" "$BATS_TEST_TMPDIR/fw.bin" 2.0.0 10000
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" --fail 0x0201:internal-error:3 -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 1 --force
	assert_failure 1
	assert_output "cxl-switch fw-update: switch0: Transfer FW (0x0201): Internal Error (0x04) after 3840 of 10000 bytes: the transfer was aborted
cxl-switch fw-update: read back: slot 1 holds 1.0.0 as before, slot 2 is active: nothing changed"
	# three requests, then the abort action
	assert_equal "$(stats '.opcodes."0x0201"')" 4
	assert_state_untouched
}

@test "fw-update: Ctrl-C mid-way aborts the transfer, exit 6, state untouched" {
	"$FWIMG" "$BATS_TEST_TMPDIR/fw.bin" 2.0.0 200000
	"$EMU" --topology "$STATE_IN" --save "$STATE_OUT" --latency 20 \
		--syslog "$BATS_TEST_TMPDIR/log" -- \
		"$CXLSW" fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 1 --force \
		< /dev/null > "$BATS_TEST_TMPDIR/out" 2>&1 &
	local pid=$!
	wait_for "$BATS_TEST_TMPDIR/log" "result=sending"
	sleep 0.3
	kill -INT "$pid"
	status=0
	wait "$pid" || status=$?
	assert_equal "$status" 6
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 0 --regexp '^cxl-switch fw-update: switch0: Transfer FW \(0x0201\): interrupted after [0-9]+ of 200000 bytes: the transfer was aborted$'
	assert_line --index 1 "cxl-switch fw-update: read back: slot 1 holds 1.0.0 as before, slot 2 is active: nothing changed"
	assert_equal "${#lines[@]}" 2
	assert_state_untouched
}

@test "fw-update on a terminal: a progress bar" {
	"$FWIMG" "$BATS_TEST_TMPDIR/fw.bin" 2.0.0 5000
	run emu_state --tty -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 1 --force
	assert_success
	assert_output --partial "Transfer FW: [####################] 100%"
	assert_state_is '.firmware.revisions[0] = "2.0.0"'
}

@test "fw-update: without --force off a terminal, a missing image, usage" {
	"$FWIMG" "$BATS_TEST_TMPDIR/fw.bin" 2.0.0 300
	run emu_state -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin"
	assert_failure 5
	assert_output "cxl-switch fw-update: refusing to send Transfer FW (a firmware-security change) without --force: stdin is not a terminal"
	assert_state_untouched
	run emu_state -- fw-update switch0 "$BATS_TEST_TMPDIR/none.bin" --force
	assert_failure 2
	assert_output "cxl-switch fw-update: cannot read IMAGE '$BATS_TEST_TMPDIR/none.bin': No such file or directory"
	run "$CXLSW" fw-update switch0
	assert_failure 2
	assert_output "cxl-switch fw-update: missing IMAGE: the firmware image file"
	run "$CXLSW" fw-update switch0 x --activate later
	assert_failure 2
	assert_output "cxl-switch fw-update: invalid --activate 'later': expected online or reset"
}

@test "fw-update: refused by a policy without firmware-security" {
	"$FWIMG" "$BATS_TEST_TMPDIR/fw.bin" 2.0.0 300
	echo "allow read-only,switch-config,host-visible" > "$BATS_TEST_TMPDIR/policy"
	run emu_state --policy "$BATS_TEST_TMPDIR/policy" -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 1 --force
	assert_failure 5
	assert_output "cxl-switch fw-update: refused: no rule of /etc/cxl-switch/policy.conf allows firmware-security changes to switch0"
	assert_state_untouched
}

@test "fw-activate: online and on reset, in the saved state" {
	run emu_state -- fw-activate switch0 --slot 1 --force -j
	assert_success
	echo "$output" | jq -e '.request == "0001" and .effect_class == "firmware-security"'
	assert_state_is '.firmware.active_slot = 1'
	run emu_state -- fw-activate switch0 --slot 1 --on-reset --force -j
	assert_success
	echo "$output" | jq -e '.request == "0101"'
	assert_state_is '.firmware.staged_slot = 1'
}

@test "fw-activate: refusals before sending, and the device's Activation Failed" {
	run emu_state -- fw-activate switch0 --slot 2 --force
	assert_failure 2
	assert_output "cxl-switch fw-activate: slot 2 is already the active slot"
	run emu_state -- fw-activate switch0 --slot 9 --force
	assert_failure 2
	assert_output "cxl-switch fw-activate: switch0 has firmware slots 1-3: there is no slot 9"
	run emu -- fw-activate switch0 --slot 2 --force
	assert_failure 2
	assert_output "cxl-switch fw-activate: slot 2 is empty: nothing to activate"
	run "$CXLSW" fw-activate switch0
	assert_failure 2
	assert_output "cxl-switch fw-activate: missing --slot: the slot to activate"
	run "$CXLSW" fw-activate switch0 --slot 1 --online --on-reset
	assert_failure 2
	assert_output "cxl-switch fw-activate: give --activate once: online or reset"
	run "$CXLSW" fw-activate switch0 --slot 1 --activate later
	assert_failure 2
	assert_output "cxl-switch fw-activate: invalid --activate 'later': expected online or reset"
	jq '.firmware.revisions[0] = "rollback-test"' "$STATE_IN" > "$BATS_TEST_TMPDIR/t.json" && mv "$BATS_TEST_TMPDIR/t.json" "$STATE_IN"
	run emu_state -- fw-activate switch0 --slot 1 --force
	assert_failure 1
	assert_output "cxl-switch fw-activate: switch0: Activate FW (0x0202): Activation Failed, FW Rolled Back (0x0c)"
	assert_state_untouched
	jq '.firmware.online_activation = false' "$STATE_IN" > "$BATS_TEST_TMPDIR/t.json" && mv "$BATS_TEST_TMPDIR/t.json" "$STATE_IN"
	run emu_state -- fw-activate switch0 --slot 1 --force
	assert_failure 2
	assert_output "cxl-switch fw-activate: switch0 cannot activate firmware online: use --activate reset"
	assert_state_untouched
}

@test "firmware: injected faults on 0x0200 and 0x0202 are named" {
	run emu --fail 0x0200:unsupported -- fw-info switch0
	assert_failure 7
	assert_output "cxl-switch fw-info: switch0 does not implement Get FW Info (0x0200)"
	run emu --fail 0x0200:internal-error -- fw-info switch0
	assert_failure 1
	assert_output "cxl-switch fw-info: switch0: Get FW Info (0x0200): Internal Error (0x04)"
	run emu --fail 0x0200:short=10 -- fw-info switch0
	assert_failure 4
	assert_output "cxl-switch fw-info: switch0: Get FW Info (0x0200): answer of 10 bytes, the command answers 80 to 80"
	run emu_state --fail 0x0202:0x0d -- fw-activate switch0 --slot 1 --force
	assert_failure 1
	assert_output "cxl-switch fw-activate: switch0: Activate FW (0x0202): Activation Failed, Cold Reset Required (0x0d)"
	assert_state_untouched
}

@test "firmware: the slots survive a save and load unchanged" {
	run emu_state -- fw-info switch0
	assert_success
	cmp "$STATE_IN" "$STATE_OUT" || jq -e --slurpfile a "$STATE_IN" '.firmware == $a[0].firmware' "$STATE_OUT"
	run emu --save "$BATS_TEST_TMPDIR/d.json" -- fw-info switch0
	cmp "$DEFAULT_TOPO" "$BATS_TEST_TMPDIR/d.json"
}

# ---- a device behind the switch (--port, --ld) ---------------------------

@test "fw-info --port: the device's slots; slot 1 holds the revision its Identify Memory Device reports" {
	run emu -- fw-info switch0 --port 4 -j
	assert_success
	echo "$output" | jq -e --argjson rev "$(topo '.ports[] | select(.port_id == 4) | .device.memdev.fw_revision')" \
		'.switch == "switch0" and .target == {port: 4} and .active_slot == 1 and .slots[0].revision == $rev and .slots[1].revision == null'
}

@test "fw-update and fw-activate --port: the device's firmware through the tunnel, the switch's untouched" {
	"$FWIMG" "$BATS_TEST_TMPDIR/fw.bin" 2.0.0 5000
	run "$EMU" --topology "$STATE_IN" --save "$STATE_OUT" --stats "$BATS_TEST_TMPDIR/s.json" -- sh -c "
		'$CXLSW' fw-update switch0 '$BATS_TEST_TMPDIR/fw.bin' --port 4 --slot 2 --force -j &&
		'$CXLSW' fw-activate switch0 --port 4 --slot 2 --force -j &&
		'$CXLSW' fw-info switch0 --port 4 -j"
	assert_success
	echo "${lines[0]}" | jq -e '.status == "done" and .target == {port: 4} and .bytes_transferred == 5000 and .wire_opcode == 21248 and
		.affects == "the device on port 4 once the slot is activated, and every host that uses its memory"'
	echo "${lines[1]}" | jq -e '.status == "done" and .target == {port: 4}'
	echo "${lines[2]}" | jq -e '.active_slot == 2 and .slots[1].revision == "2.0.0"'
	assert_equal "$(stats '.opcodes."0x0201" // 0')" 0
	[ "$(stats '.opcodes."0x5300>0x0201"')" -ge 2 ]
	assert_state_untouched
}

@test "fw-update --port: the policy decides for the port; a port without a device is named" {
	"$FWIMG" "$BATS_TEST_TMPDIR/fw.bin" 2.0.0 300
	printf 'allow all\ndeny firmware-security ports=4\n' > "$BATS_TEST_TMPDIR/policy"
	run emu_state --policy "$BATS_TEST_TMPDIR/policy" -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --port 4 --slot 2 --force
	assert_failure 5
	assert_output "cxl-switch fw-update: refused: /etc/cxl-switch/policy.conf:2 denies firmware-security changes to switch0"
	# the rule names port 4: the device on port 5 and the switch itself may
	run emu_state --policy "$BATS_TEST_TMPDIR/policy" -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --port 5 --slot 2 -n -j
	assert_success
	echo "$output" | jq -e '.status == "dry_run" and .target == {port: 5}'
	run emu_state --policy "$BATS_TEST_TMPDIR/policy" -- fw-update switch0 "$BATS_TEST_TMPDIR/fw.bin" --slot 1 -n -j
	assert_success
	assert_state_untouched
	run emu -- fw-info switch0 --port 18
	assert_failure 1
	assert_output "cxl-switch fw-info: switch0: port 18 is held in reset (PERST#); run 'cxl-switch port-control switch0 --port 18 --deassert-perst'"
}
