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

@test "policy: no file, every class may be sent (with --force), and the log says so" {
	run bind14 --syslog "$BATS_TEST_TMPDIR/log"
	assert_success
	run cat "$BATS_TEST_TMPDIR/log"
	assert_line --index 1 --regexp ' policy=none result=success$'
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
	# LD 2 of port 6 holds memory: no warning before the refusal
	run emu_p -- bind switch0 --vcs 0 --vppb 7 --port 6 --ld 2 --force
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
	echo "$output" | jq -e '.commands[] | select(.opcode == 20993) | .effect_class == "host-visible" and .background == true and .policy == "some_ports"'
	echo "$output" | jq -e '.commands[] | select(.opcode == 4) | .policy == "allowed"'
	echo "$output" | jq -e '.commands[] | select(.opcode == 20737) | .effect_class == "read-only" and .policy == "allowed"'
	# the catalog's opcodes, then the vendor range raw may send, last
	echo "$output" | jq -e '.commands | all(.[:-1][]; .opcode < 49152)'
	echo "$output" | jq -e '[.commands[].opcode] == ([.commands[].opcode] | sort)'
	echo "$output" | jq -e '.commands[-1] == {"opcode": 49152, "opcode_last": 65535, "name": "Vendor Specific (raw --unsafe only)",
		"effect_class": "firmware-security", "background": false,
		"affects": "unknown: a vendor command'"'"'s effects are not defined openly", "policy": "refused"}'
}

@test "commands: Tunnel Management is classed by the most it carries; the policy judges what it carries" {
	# it is not read-only: it carries changes, firmware updates included
	run emu -- commands -j
	assert_success
	echo "$output" | jq -e '.commands[] | select(.opcode == 21248) | .effect_class == "firmware-security" and
		.policy == "as_carried" and (.affects | startswith("as the command it carries"))'
	# the tunnel's class is no loophole and no lock: a tunnelled read passes a
	# policy that refuses everything, a tunnelled change is judged as itself
	printf 'deny all\n' > "$POLICY"
	run emu_p -- identify switch0 --port 5 -j
	assert_success
	run emu_p -- set-lds switch0 --port 7 1=4G --force
	assert_failure 5
	assert_output "cxl-switch set-lds: refused: $FIXED:1 denies host-visible changes to switch0"
	assert_state_untouched
	printf 'allow host-visible\n' > "$POLICY"
	run emu_p -- set-lds switch0 --port 7 1=4G --force
	assert_success
}

@test "commands: the human table says who each command affects, and lists the vendor range" {
	run emu -- commands
	assert_success
	assert_line --index 0 --regexp '^OPCODE +NAME +EFFECT +BG +POLICY +AFFECTS$'
	assert_line --regexp '^0x5201 +Bind vPPB +host-visible +yes +allowed +the host on the VCS.s upstream port gains the device$'
	assert_line --regexp '^0x5300 +Tunnel Management Command +firmware-security +no +as_carried +as the command it carries: that command.s class and hosts decide$'
	assert_line --regexp '^0xc000-0xffff +Vendor Specific \(raw --unsafe only\) +firmware-security +no +allowed +unknown: a vendor command.s effects are not defined openly$'
	# every row's AFFECTS is the JSON's affects
	run emu -- commands -j
	want=$(echo "$output" | jq -r '.commands[] | "\(.opcode) \(.opcode_last // 0) \(.affects)"')
	run emu -- commands
	assert_equal "$(echo "$output" | awk 'NR > 1 && /^0x/ { print $1 }' | wc -l)" "$(echo "$want" | wc -l)"
	while read -r op last affects; do
		# numbers in JSON, 0x%04x in the table (the vendor range 0xc000-0xffff)
		op=$(printf '0x%04x' "$op")
		[ "$last" = 0 ] || op=$op-$(printf '0x%04x' "$last")
		assert_line --regexp "^$op .*  $(printf '%s' "$affects" | sed 's/[][\\.*^$()+?{}|]/\\&/g')$"
	done <<<"$want"
}

@test "commands SWITCH: the device's Command Effects Log beside the catalog" {
	run emu --cel-omit 0x5103 --cel-extra 0x5203:0x0002 -- commands switch0 -j
	assert_success
	echo "$output" | jq -e '.commands[] | select(.opcode == 20993) | .known_to == "both" and .device_effects == ["immediate_config_change", "background_operation"]'
	echo "$output" | jq -e '.commands[] | select(.opcode == 20739) | .known_to == "tool" and .device_effects == null'
	echo "$output" | jq -e '.commands[] | select(.opcode == 20995) | .known_to == "device" and .name == null and .device_effects == ["immediate_config_change"]'
	echo "$output" | jq -e '.commands[] | select(.opcode == 49152 and (has("opcode_last") | not)) | .known_to == "device"'
}

@test "commands SWITCH: human table" {
	run emu -- commands switch0
	assert_success
	assert_line --index 0 --regexp '^OPCODE +NAME +EFFECT +BG +POLICY +KNOWN_TO +DEVICE_EFFECTS +AFFECTS$'
	assert_line --regexp '^0x5201 +Bind vPPB +host-visible +yes +allowed +both +immediate_config_change,background_operation +the host on the VCS.s upstream port gains the device$'
	assert_line --regexp '^0xc000-0xffff +Vendor Specific \(raw --unsafe only\) +firmware-security +no +allowed +tool +- +unknown: '
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

# ---- only an administrator can change the policy (issue 14) --------------

@test "policy: CXLSW_POLICY_FILE does not loosen it" {
	printf 'deny all\n' > "$POLICY"
	for other in /nonexistent "$BATS_TEST_TMPDIR/allow.conf"; do
		printf 'allow all\n' > "$BATS_TEST_TMPDIR/allow.conf"
		CXLSW_POLICY_FILE=$other run bind14
		assert_failure 5
		assert_output "cxl-switch bind: refused: $FIXED:1 denies host-visible changes to switch0"
		assert_state_untouched
	done
}

@test "policy: a file others may write refuses every change, naming it" {
	printf 'allow all\n' > "$POLICY"
	for mode in 666 664 646; do
		chmod "$mode" "$POLICY"
		run bind14
		assert_failure 5
		assert_output "cxl-switch bind: refused: policy file $FIXED is writable by group or others (mode 0$mode): every change is refused"
		assert_state_untouched
	done
}

@test "policy: a file owned by an ordinary user refuses every change" {
	printf 'allow all\n' > "$POLICY"
	chown nobody "$POLICY"
	run bind14
	assert_failure 5
	assert_output "cxl-switch bind: refused: policy file $FIXED is owned by uid $(id -u nobody), not root: every change is refused"
	assert_state_untouched
}

@test "policy: root's link to a user's file is not obeyed" {
	printf 'allow all\n' > "$BATS_TEST_TMPDIR/user.conf"
	chown nobody "$BATS_TEST_TMPDIR/user.conf"
	chmod 666 "$BATS_TEST_TMPDIR/user.conf"
	ln -s "$BATS_TEST_TMPDIR/user.conf" "$POLICY"
	run bind14
	assert_failure 5
	assert_output "cxl-switch bind: refused: policy file $BATS_TEST_TMPDIR/user.conf is owned by uid $(id -u nobody), not root: every change is refused"
	assert_state_untouched
}

@test "policy: a link owned by an ordinary user is not followed" {
	printf 'allow all\n' > "$BATS_TEST_TMPDIR/root.conf"
	ln -s "$BATS_TEST_TMPDIR/root.conf" "$POLICY"
	chown -h nobody "$POLICY"
	run bind14
	assert_failure 5
	assert_output "cxl-switch bind: refused: policy file $FIXED: symbolic link $FIXED is owned by uid $(id -u nobody), not root: every change is refused"
	assert_state_untouched
}

@test "policy: root's link to root's file is obeyed" {
	printf 'deny all\n' > "$BATS_TEST_TMPDIR/root.conf"
	ln -s "$BATS_TEST_TMPDIR/root.conf" "$POLICY"
	run bind14
	assert_failure 5
	assert_output "cxl-switch bind: refused: $FIXED:1 denies host-visible changes to switch0"
	assert_state_untouched
}

@test "policy: a dangling link is not 'no policy'" {
	ln -s "$BATS_TEST_TMPDIR/gone.conf" "$POLICY"
	run bind14
	assert_failure 5
	assert_output "cxl-switch bind: refused: policy file $FIXED: a dangling symbolic link ($BATS_TEST_TMPDIR/gone.conf does not exist): every change is refused"
	assert_state_untouched
}

@test "policy: a directory an ordinary user owns refuses every change, file or not" {
	mkdir "$BATS_TEST_TMPDIR/etc"
	chown nobody "$BATS_TEST_TMPDIR/etc"
	# without the file too: its owner could have removed root's
	for with in no yes; do
		[ "$with" = yes ] && printf 'allow all\n' > "$BATS_TEST_TMPDIR/etc/policy.conf"
		run emu_state --policy "$BATS_TEST_TMPDIR/etc/policy.conf" -- bind switch0 --vcs 0 --vppb 6 --port 14 --force
		assert_failure 5
		assert_output "cxl-switch bind: refused: policy file $FIXED: directory /etc/cxl-switch is owned by uid $(id -u nobody), not root: every change is refused"
		assert_state_untouched
	done
}

@test "policy: a FIFO is not read (and does not block)" {
	mkfifo "$POLICY"
	run timeout 20 "$EMU" --policy "$POLICY" --topology "$STATE_IN" --save "$STATE_OUT" -- \
		"$CXLSW" bind switch0 --vcs 0 --vppb 6 --port 14 --force
	assert_failure 5
	assert_output "cxl-switch bind: refused: policy file $FIXED is not a regular file: every change is refused"
	assert_state_untouched
}

@test "policy: text past the line limit is an error at that line, not a rule" {
	{
		printf 'allow switch-config\n'
		printf 'deny all  #%0600d' 0
		printf ' allow all\n'
	} > "$POLICY"
	run bind14
	assert_failure 5
	assert_output "cxl-switch bind: refused: policy file $FIXED:2: the line is longer than 511 bytes: every change is refused"
	assert_state_untouched
	# 511 bytes is a line
	{ printf 'deny all #'; printf '%0501d\n' 0; } > "$POLICY"
	[ "$(head -1 "$POLICY" | wc -c)" = 512 ]
	run bind14
	assert_failure 5
	assert_output "cxl-switch bind: refused: $FIXED:1 denies host-visible changes to switch0"
}

@test "policy: a NUL byte is an error at its line, not the end of the rule" {
	printf 'deny all\nallow all\0 switch=switch9\n' > "$POLICY"
	run bind14
	assert_failure 5
	assert_output "cxl-switch bind: refused: policy file $FIXED:2: a NUL byte in the line: every change is refused"
	assert_state_untouched
}

@test "policy: a CRLF file is an error at its first line, saying why" {
	printf '# written on another system\r\nallow all\r\n' > "$POLICY"
	run bind14
	assert_failure 5
	assert_output "cxl-switch bind: refused: policy file $FIXED:1: a carriage return in the line (write the file with LF line ends): every change is refused"
	assert_state_untouched
}

@test "policy: an unknown word is an error at its line" {
	printf 'allow all\nallow all hosts=1\n' > "$POLICY"
	run bind14
	assert_failure 5
	assert_output "cxl-switch bind: refused: policy file $FIXED:2: unknown setting 'hosts=1' (switch=NAMES, ports=LIST): every change is refused"
	assert_state_untouched
}

@test "policy: a refusal by a broken file is logged, policy=broken" {
	printf 'allow all\r\n' > "$POLICY"
	run bind14 --syslog "$BATS_TEST_TMPDIR/log"
	assert_failure 5
	run cat "$BATS_TEST_TMPDIR/log"
	assert_output --regexp "^cxl-switch\[[0-9]+\]: user=root uid=0 switch=switch0 serial=0x0123456789abcdef target=\"switch\" command=bind opcode=0x5201 \(Bind vPPB\) args=\"vcs=0 vppb=6 port=14 ld=-1\" policy=broken result=refused: policy file $FIXED:1: a carriage return in the line \(write the file with LF line ends\): every change is refused$"
}

# ---- a switch is a switch -------------------------------------------------

@test "switch: switch= rules match the device however it is named" {
	printf 'allow all\ndeny all switch=switch0\n' > "$POLICY"
	for name in switch0 /dev/cxl/switch0 /dev/char/250:0; do
		run emu_p --syslog "$BATS_TEST_TMPDIR/log" -- bind "$name" --vcs 0 --vppb 6 --port 14 --force
		assert_failure 5
		assert_output "cxl-switch bind: refused: $FIXED:2 denies host-visible changes to switch0"
		assert_state_untouched
		run cat "$BATS_TEST_TMPDIR/log"
		assert_output --regexp "^cxl-switch\[[0-9]+\]: user=root uid=0 switch=switch0 serial=0x0123456789abcdef target=\"switch\" command=bind .* result=refused: $FIXED:2 denies host-visible changes to switch0$"
	done
}

@test "switch: a file, a FIFO or another device is refused before it is opened" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	printf 'x' > "$BATS_TEST_TMPDIR/file"
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- bind /etc/shadow --vcs 0 --vppb 6 --port 14 --force
	assert_failure 3
	assert_output "cxl-switch bind: /etc/shadow is not a CXL switch: a regular file, not a character device"
	assert_equal "$(jq .ioctls "$BATS_TEST_TMPDIR/s.json")" 0
	assert_state_untouched
	run timeout 20 "$EMU" -- "$CXLSW" identify "$BATS_TEST_TMPDIR/fifo"
	assert_failure 3
	assert_output "cxl-switch identify: $BATS_TEST_TMPDIR/fifo is not a CXL switch: a FIFO, not a character device"
	run emu -- identify /dev/null
	assert_failure 3
	assert_output "cxl-switch identify: /dev/null is not a CXL switch: character device 1:3 is mem0 in sysfs, not a switch CCI"
	run emu -- identify /dev/cxl/mem0
	assert_failure 3
	assert_output "cxl-switch identify: /dev/cxl/mem0 is not a CXL switch: character device 1:3 is mem0 in sysfs, not a switch CCI"
	# nothing was opened for writing: the file is as it was
	[ "$(cat "$BATS_TEST_TMPDIR/file")" = x ]
}

@test "switch: a refused SWITCH of a change is logged" {
	run emu_state --syslog "$BATS_TEST_TMPDIR/log" -- bind /etc/shadow --vcs 0 --vppb 6 --port 14 --force
	assert_failure 3
	run cat "$BATS_TEST_TMPDIR/log"
	assert_output --regexp "^cxl-switch\[[0-9]+\]: user=root uid=0 switch=/etc/shadow serial=unknown target=\"switch\" command=bind opcode=0x0000 \(none\) args=\"\" policy=none result=refused: /etc/shadow is not a CXL switch: a regular file, not a character device$"
}

@test "switch: JSON and messages name the switch canonically" {
	run emu -- identify /dev/char/250:0 -j
	assert_success
	echo "$output" | jq -e '.switch == "switch0" and .serial == "0x0123456789abcdef"'
}

# ---- the rest: firmware images, Ctrl-C's abort, help, lockdown -----------

@test "fw-update: /dev/zero, a FIFO and a directory are refused at once" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	for image in /dev/zero "$BATS_TEST_TMPDIR/fifo" "$BATS_TEST_TMPDIR"; do
		case $image in
		/dev/zero) kind="a character device" ;;
		*/fifo) kind="a FIFO" ;;
		*) kind="a directory" ;;
		esac
		run timeout 20 "$EMU" --topology "$STATE_IN" --save "$STATE_OUT" --stats "$BATS_TEST_TMPDIR/s.json" -- \
			"$CXLSW" fw-update switch0 "$image" --slot 2 --force
		assert_failure 2
		assert_output "cxl-switch fw-update: IMAGE '$image' is $kind: a firmware image is a regular file"
		assert_equal "$(jq '.opcodes."0x0201" // 0' "$BATS_TEST_TMPDIR/s.json")" 0
		assert_state_untouched
	done
}

@test "fw-update: an image larger than Transfer FW can address is refused unread" {
	truncate -s 549755813761 "$BATS_TEST_TMPDIR/huge.bin"
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- fw-update switch0 "$BATS_TEST_TMPDIR/huge.bin" --slot 2 --force
	assert_failure 2
	assert_output "cxl-switch fw-update: IMAGE '$BATS_TEST_TMPDIR/huge.bin' has 549755813761 bytes: Transfer FW takes at most 549755813760"
	assert_equal "$(jq '.opcodes."0x0201" // 0' "$BATS_TEST_TMPDIR/s.json")" 0
	assert_state_untouched
}

@test "terminal: Ctrl-C's abort obeys the policy like the abort command" {
	printf 'allow host-visible\n' > "$POLICY"
	printf 'y\n' > "$BATS_TEST_TMPDIR/in"
	"$EMU" --tty --policy "$POLICY" --topology "$STATE_IN" --save "$STATE_OUT" \
		--stats "$BATS_TEST_TMPDIR/s.json" --bg-polls 1000000 \
		--syslog "$BATS_TEST_TMPDIR/log" -- \
		"$CXLSW" bind switch0 --vcs 0 --vppb 6 --port 14 --force \
		< "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" 2>&1 &
	local pid=$!
	wait_for "$BATS_TEST_TMPDIR/log" "result=sending"
	sleep 0.3
	kill -INT "$pid"
	status=0
	wait "$pid" || status=$?
	assert_equal "$status" 6
	run cat "$BATS_TEST_TMPDIR/out"
	refute_output --partial "Abort the operation on the device?"
	assert_output --partial "cxl-switch bind: switch0: Bind vPPB was interrupted and goes on in the device: aborting it is refused: no rule of $FIXED allows switch-config changes to switch0"
	assert_equal "$(jq '.opcodes."0x0005" // 0' "$BATS_TEST_TMPDIR/s.json")" 0
	run jq -c '.vcss[0].vppbs[6].binding_status' "$STATE_OUT"
	assert_output '"in_progress"'
}

@test "help: man is run from /usr/bin, not from PATH" {
	mkdir "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\ntouch %s/ran\n' "$BATS_TEST_TMPDIR" > "$BATS_TEST_TMPDIR/bin/man"
	chmod 755 "$BATS_TEST_TMPDIR/bin/man"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run emu --tty -- help bind < /dev/null
	[ ! -e "$BATS_TEST_TMPDIR/ran" ] || fail "help ran the man first on PATH"
}

@test "raw: a missing lockdown file under securityfs is unknown: refused, logged" {
	grep -qw securityfs /proc/filesystems || skip "this kernel has no securityfs"
	# without --lockdown the emulator shows no lockdown file
	run emu_state --syslog "$BATS_TEST_TMPDIR/log" --stats "$BATS_TEST_TMPDIR/s.json" -- raw switch0 0xc000 --data 01 --unsafe --force
	assert_failure 5
	assert_output "cxl-switch raw: kernel lockdown is unknown: the kernel has securityfs but /sys/kernel/security/lockdown cannot be read: raw commands are refused"
	assert_equal "$(jq .ioctls "$BATS_TEST_TMPDIR/s.json")" 0
	assert_state_untouched
	run cat "$BATS_TEST_TMPDIR/log"
	assert_output --regexp "^cxl-switch\[[0-9]+\]: user=root uid=0 switch=switch0 serial=unknown target=\"switch\" command=raw opcode=0xc000 \(vendor\) args=\"opcode=0xc000 data=01\" policy=none result=refused: kernel lockdown is unknown: .*$"
}
