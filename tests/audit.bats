#!/usr/bin/env bats
# The audit log (issue 14): an intent line before a change is sent and a
# result line after, naming the user, the switch's identity, the target,
# the command and every argument; values escaped so no line can be
# forged; a change whose intent cannot be logged is refused; refusals of
# every kind are logged.  The emulator's --syslog collects the lines.
load helpers

setup() {
	setup_state
	LOG=$BATS_TEST_TMPDIR/log
	STATS=$BATS_TEST_TMPDIR/s.json
	HEAD='^cxl-switch\[[0-9]+\]: user=root uid=0 switch=switch0 serial=0x0123456789abcdef'
}

@test "audit: an intent line before the request, a result line after" {
	run emu_state --syslog "$LOG" -- bind switch0 --vcs 0 --vppb 6 --port 14 --force
	assert_success
	run cat "$LOG"
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --regexp "$HEAD target=\"switch\" command=bind opcode=0x5201 \(Bind vPPB\) args=\"vcs=0 vppb=6 port=14 ld=-1\" policy=none result=sending$"
	assert_line --index 1 --regexp "$HEAD target=\"switch\" command=bind opcode=0x5201 \(Bind vPPB\) args=\"vcs=0 vppb=6 port=14 ld=-1\" policy=none result=success$"
}

@test "audit: no /dev/log, no change: refused, nothing sent" {
	run emu_state --no-syslog --stats "$STATS" -- bind switch0 --vcs 0 --vppb 6 --port 14 --force
	assert_failure 5
	assert_output "cxl-switch bind: refused: the audit log cannot be written (/dev/log: No such file or directory): nothing was sent"
	assert_equal "$(jq '.opcodes."0x5201" // 0' "$STATS")" 0
	assert_state_untouched
	# a read needs no log
	run emu --no-syslog -- list-ports switch0 --port 14 -j
	assert_success
}

@test "audit: a newline in a firmware image's name cannot forge a line" {
	local image="$BATS_TEST_TMPDIR/fw
cxl-switch[1]: user=admin uid=0 switch=switch0 command=fw-update result=success"
	"$TOP/tests/fw-image" "$image" 2.0.0 300
	run emu_state --syslog "$LOG" -- fw-update switch0 "$image" --slot 2 --force
	assert_success
	run cat "$LOG"
	assert_equal "${#lines[@]}" 2
	for i in 0 1; do
		assert_line --index $i --regexp "$HEAD target=\"switch\" command=fw-update opcode=0x0201 \(Transfer FW\) args=\"image=$BATS_TEST_TMPDIR/fw\\\\x0acxl-switch\[1\]: user=admin uid=0 switch=switch0 command=fw-update result=success bytes=300 slot=2 activate=no\" policy=none result="
	done
	refute_line --regexp '^cxl-switch\[1\]'
}

@test "audit: quotes and backslashes cannot end the quoted arguments" {
	local image="$BATS_TEST_TMPDIR/a\" result=success \\x"
	"$TOP/tests/fw-image" "$image" 2.0.0 300
	run emu_state --syslog "$LOG" -- fw-update switch0 "$image" --slot 2 --force
	assert_success
	run cat "$LOG"
	assert_line --index 0 --partial 'args="image='"$BATS_TEST_TMPDIR"'/a\x22 result=success \x5cx bytes=300 slot=2 activate=no" policy=none result=sending'
}

@test "audit: set-lds logs every size it sets" {
	run emu_state --syslog "$LOG" -- set-lds switch0 --port 7 0=1G 15=2G+1G --force
	assert_success
	run cat "$LOG"
	assert_line --index 1 --regexp "$HEAD target=\"port 7\" command=set-lds opcode=0x5402 \(Set LD Allocations\) args=\"port=7 lds=0-15 sizes=0=1073741824,15=2147483648\+1073741824\" policy=none result=success$"
}

@test "audit: qos and dc-add name the port and device they change" {
	run emu_state --syslog "$LOG" -- qos switch0 --port 5 --bw-limit 0=50 --force
	assert_success
	run cat "$LOG"
	assert_line --index 1 --regexp "$HEAD target=\"port 5\" command=qos opcode=0x540[0-9a-f] \(.*\) args=\"[^\"]*0=[0-9]+[^\"]*\" policy=none result=success$"
	run emu_state --syslog "$LOG" -- dc-add switch0 --port 12 --host 1 --region 0 --size 64M --force
	assert_success
	run cat "$LOG"
	assert_line --index 1 --regexp "$HEAD target=\"port 12\" command=dc-add opcode=0x5604 \(Initiate Dynamic Capacity Add\) args=\"host=1 region=0 size=67108864 policy=free extents=0\" policy=none result=success$"
}

@test "audit: a refusal is logged, a read is not" {
	run emu_state --syslog "$LOG" -- bind switch0 --vcs 0 --vppb 6 --port 14
	assert_failure 5
	run cat "$LOG"
	assert_output --regexp "$HEAD target=\"switch\" command=bind .* result=refused: no --force$"
	run emu_state --syslog "$LOG" -- config-read switch0 --port 4 --offset 0
	assert_success
	run cat "$LOG"
	assert_output ''
}

@test "audit: raw's refusals are logged: not a vendor opcode, no --unsafe" {
	run emu_state --syslog "$LOG" --lockdown none -- raw switch0 0x5201 --data 000605000000 --unsafe --force
	assert_failure 5
	run cat "$LOG"
	assert_output --regexp "^cxl-switch\[[0-9]+\]: user=root uid=0 switch=switch0 serial=unknown target=\"switch\" command=raw opcode=0x5201 \(Bind vPPB\) args=\"opcode=0x5201 data=000605000000\" policy=none result=refused: opcode 0x5201 is not a vendor opcode: raw sends only 0xc000-0xffff; use the command that names it$"
	run emu_state --syslog "$LOG" --lockdown none -- raw switch0 0xc000 --data 01 --force
	assert_failure 5
	run cat "$LOG"
	assert_output --regexp "command=raw opcode=0xc000 \(vendor\) args=\"opcode=0xc000 data=01\" policy=none result=refused: a vendor command's effects are not openly defined: give --unsafe to send it$"
	run emu_state --syslog "$LOG" --lockdown integrity -- raw switch0 0xc000 --unsafe --force
	assert_failure 5
	run cat "$LOG"
	assert_output --regexp "result=refused: kernel lockdown is integrity: raw commands are refused$"
	assert_state_untouched
}

@test "audit: raw's data is logged whole, 2000 bytes of it (the switch takes 2048)" {
	local data
	data=$(head -c 2000 /dev/zero | od -An -v -tx1 | tr -d ' \n')
	run emu_state --syslog "$LOG" --lockdown none -- raw switch0 0xc000 --data "$data" --unsafe --force -j
	assert_success
	run cat "$LOG"
	assert_line --index 0 --partial "args=\"opcode=0xc000 data=$data\" policy=none result=sending"
}

@test "audit: a failure names the return code" {
	run emu_state --syslog "$LOG" --fail 0x5102:busy -- port-control switch0 --port 4 --reset --force
	assert_failure 1
	run cat "$LOG"
	assert_line --index 0 --regexp 'command=port-control opcode=0x5102 .* result=sending$'
	assert_line --index 1 --regexp 'command=port-control opcode=0x5102 .* result=failed: Physical Port Control \(0x5102\): Busy \(0x06\), still after 6 attempts$'
}
