#!/usr/bin/env bats
# The safety policy: the policy file, the catalog, raw vendor commands,
# lockdown, the confirmation on a terminal, the progress bar and syslog.
load helpers

setup() {
	setup_state
	# the emulator leads the tool's fixed path to this file (--policy)
	POLICY=$BATS_TEST_TMPDIR/policy.conf
	FIXED=/etc/cxl-switch/policy.conf
}

# emu_state with the test's policy file
emu_p() {
	emu_state --policy "$POLICY" "$@"
}

bind14() {
	emu_p "$@" -- bind switch0 --vcs 0 --vppb 6 --port 14 --force
}

@test "policy: no file, every class may be sent (with --force)" {
	run bind14
	assert_success
}

@test "policy: a host-visible change no rule allows is refused, naming the file" {
	printf 'allow switch-config\n' > "$POLICY"
	run bind14
	assert_failure 5
	assert_output "cxl-switch bind: refused: no rule of $FIXED allows host-visible changes to switch0 on this port"
	assert_state_untouched
}

@test "policy: a deny line refuses, naming the file and the line" {
	printf '# a BMC may do anything but this host may not bind\nallow all\ndeny host-visible switch=switch0\n' > "$POLICY"
	run bind14
	assert_failure 5
	assert_output "cxl-switch bind: refused: $FIXED:3 denies host-visible changes to switch0"
	assert_state_untouched
}

@test "policy: the last matching line decides" {
	printf 'deny host-visible\nallow host-visible switch=switch0\n' > "$POLICY"
	run bind14
	assert_success
}

@test "policy: ports= limits a rule to some ports" {
	printf 'allow host-visible ports=8-15\n' > "$POLICY"
	run bind14
	assert_success
	setup_state
	run emu_p -- bind switch0 --vcs 0 --vppb 7 --port 5 --ld 3 --force
	assert_failure 5
	assert_output "cxl-switch bind: refused: no rule of $FIXED allows host-visible changes to switch0 on this port"
	assert_state_untouched
}

@test "policy: switch= limits a rule to some switches" {
	printf 'allow all switch=switch1\n' > "$POLICY"
	run bind14
	assert_failure 5
	assert_state_untouched
}

@test "policy: a malformed file refuses every change and says why" {
	printf 'allow host-visible\npermit everything\n' > "$POLICY"
	run bind14
	assert_failure 5
	assert_output "cxl-switch bind: refused: policy file $FIXED:2: a rule starts with allow or deny, not 'permit': every change is refused"
	assert_state_untouched
	printf 'allow host-visibel\n' > "$POLICY"
	run bind14
	assert_failure 5
	assert_output --partial "$FIXED:1: unknown effect class 'host-visibel'"
}

@test "policy: reads are never refused, even by a malformed file" {
	printf 'nonsense\n' > "$POLICY"
	run emu_p -- list-ports switch0 -j
	assert_success
	run emu_p -- config-read switch0 --port 4 --offset 0
	assert_success
}

@test "policy: --dry-run is refused too when the policy refuses" {
	printf 'deny all\n' > "$POLICY"
	run emu_p -- bind switch0 --vcs 0 --vppb 6 --port 14 -n
	assert_failure 5
}

@test "commands: the catalog with effect classes, and the policy's answer" {
	printf 'allow switch-config\nallow host-visible ports=4-7\n' > "$POLICY"
	run emu --policy "$POLICY" -- commands -j
	assert_success
	echo "$output" | jq -e '.[] | select(.opcode == "0x5201") | .effect_class == "host-visible" and .background == true and .policy == "some_ports"'
	echo "$output" | jq -e '.[] | select(.opcode == "0x0004") | .policy == "allowed"'
	echo "$output" | jq -e '.[] | select(.opcode == "0x5101") | .effect_class == "read-only" and .policy == "allowed"'
	echo "$output" | jq -e 'all(.[]; .opcode < "0xc000")'
	echo "$output" | jq -e '[.[].opcode] == ([.[].opcode] | sort)'
}

@test "commands SWITCH: the device's Command Effects Log beside the catalog" {
	run emu --cel-omit 0x5103 --cel-extra 0x5203:0x0002 -- commands switch0 -j
	assert_success
	echo "$output" | jq -e '.[] | select(.opcode == "0x5201") | .known_to == "both" and .device_effects == ["immediate_config_change", "background_operation"]'
	echo "$output" | jq -e '.[] | select(.opcode == "0x5103") | .known_to == "tool" and .device_effects == null'
	echo "$output" | jq -e '.[] | select(.opcode == "0x5203") | .known_to == "device" and .name == null and .device_effects == ["immediate_config_change"]'
	echo "$output" | jq -e '.[] | select(.opcode == "0xc000") | .known_to == "device"'
}

@test "commands SWITCH: human table" {
	run emu -- commands switch0
	assert_success
	assert_line --index 0 --regexp '^OPCODE +NAME +EFFECT +BG +POLICY +KNOWN_TO +DEVICE_EFFECTS$'
	assert_line --regexp '^0x5201 +Bind vPPB +host-visible +yes +allowed +both +immediate_config_change,background_operation$'
}

@test "raw: only vendor opcodes" {
	run emu_state -- raw switch0 0x5201 --data 000605000000 --unsafe --force
	assert_failure 5
	assert_output "cxl-switch raw: opcode 0x5201 is not a vendor opcode: raw sends only 0xc000-0xffff; use the command that names it"
	assert_state_untouched
}

@test "raw: needs --unsafe" {
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- raw switch0 0xc000 --data 01 --force
	assert_failure 5
	assert_output "cxl-switch raw: a vendor command's effects are not openly defined: give --unsafe to send it"
	assert_equal "$(jq .ioctls "$BATS_TEST_TMPDIR/s.json")" 0
}

@test "raw: refused under kernel lockdown" {
	for mode in integrity confidentiality; do
		run emu_state --lockdown "$mode" --stats "$BATS_TEST_TMPDIR/s.json" -- raw switch0 0xc000 --unsafe --force
		assert_failure 5
		assert_line "cxl-switch raw: kernel lockdown is $mode: raw commands are refused"
		assert_equal "$(jq '.opcodes."0xc000" // 0' "$BATS_TEST_TMPDIR/s.json")" 0
	done
}

@test "raw: warns, sends, prints the answer" {
	run emu_state --lockdown none -- raw switch0 0xc000 --data 0a0b0c --unsafe --force -j
	assert_success
	assert_line --index 0 "cxl-switch raw: warning: vendor command 0xc000 bypasses the command catalog; the kernel may taint itself"
	echo "${lines[1]}" | jq -e '.answer == "0a0b0c" and .return_code == "Success" and .effect_class == "firmware-security"'
}

@test "raw: the policy treats a vendor command as firmware-security" {
	printf 'allow switch-config,host-visible\n' > "$POLICY"
	run emu_p --lockdown none -- raw switch0 0xc000 --unsafe --force
	assert_failure 5
	assert_line "cxl-switch raw: refused: no rule of $FIXED allows firmware-security changes to switch0"
}

@test "raw: bad data is a usage error" {
	run "$CXLSW" raw switch0 0xc000 --data 0g --unsafe
	assert_failure 2
	assert_output --partial "cxl-switch raw: invalid --data '0g': expected pairs of hex digits"
}

@test "syslog: a change and its result are logged" {
	run emu_state --syslog "$BATS_TEST_TMPDIR/log" -- bind switch0 --vcs 0 --vppb 6 --port 14 --force
	assert_success
	run cat "$BATS_TEST_TMPDIR/log"
	assert_output --regexp "^cxl-switch\[[0-9]+\]: user=[^ ]+ uid=[0-9]+ switch=switch0 command=bind opcode=0x5201 \(Bind vPPB\) args=\"vcs=0 vppb=6 port=14 ld=-1\" result=success$"
}

@test "syslog: a refusal is logged, a read is not" {
	run emu_state --syslog "$BATS_TEST_TMPDIR/log" -- bind switch0 --vcs 0 --vppb 6 --port 14
	assert_failure 5
	run cat "$BATS_TEST_TMPDIR/log"
	assert_output --regexp 'command=bind .* result=refused: no --force$'
	run emu_state --syslog "$BATS_TEST_TMPDIR/log2" -- config-read switch0 --port 4 --offset 0
	assert_success
	run cat "$BATS_TEST_TMPDIR/log2"
	assert_output ''
}

@test "syslog: a failure names the return code" {
	run emu_state --syslog "$BATS_TEST_TMPDIR/log" --fail 0x5102:busy -- port-control switch0 --port 4 --reset --force
	assert_failure 1
	run cat "$BATS_TEST_TMPDIR/log"
	assert_output --regexp 'command=port-control opcode=0x5102 .* result=failed: Physical Port Control \(0x5102\): Busy \(0x06\), still after 6 attempts$'
}
