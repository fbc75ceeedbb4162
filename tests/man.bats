#!/usr/bin/env bats
# The manual pages: lint-clean, one per command, and complete: every option
# a command accepts and every JSON key it prints is documented in its page.

load helpers
bats_require_minimum_version 1.5.0

MAN=$TOP/man

# The command names, from the tool's own list.
commands() {
	"$CXLSW" help | awk '/^  [a-z]/ { print $1 }'
}

# The --long options in "cxl-switch CMD --help".
long_options() {
	"$CXLSW" "$1" --help 2>/dev/null |
		sed -nE 's/^ +(-[^ -], )?(--[a-z][a-z0-9-]*).*/\2/p' | sort -u
}

# Arguments that make a command print JSON against the default topology,
# every key it can print included: a change that is sent (and waited for),
# not a dry run, so that the answer's keys are there too.
json_args() {
	case $1 in
	list) echo list ;;
	bind) echo "bind switch0 --vcs 1 --vppb 7 --port 22 --force" ;;
	unbind) echo "unbind switch0 --vcs 0 --vppb 5 --force" ;;
	port-control) echo "port-control switch0 --port 14 --reset --force" ;;
	config-read) echo "config-read switch0 --port 4 --offset 0" ;;
	config-write) echo "config-write switch0 --port 4 --offset 0x80 --value 1 --force" ;;
	mem-read) echo "mem-read switch0 --port 5 --ld 1 --address 0 --length 8" ;;
	mem-write) echo "mem-write switch0 --port 5 --ld 1 --address 0x20 --data 78563412 --force" ;;
	abort) echo "abort switch0 --force" ;;
	set-response-limit) echo "set-response-limit switch0 1024 --force" ;;
	raw) echo "raw switch0 0xc000 --unsafe --data 01ff --force" ;;
	list-lds) echo "list-lds switch0 --port 5" ;;
	set-lds) echo "set-lds switch0 --port 7 1=4G --force" ;;
	dcd-info | dc-extents) echo "$1 switch0 --port 12" ;;
	dc-regions) echo "dc-regions switch0 --port 12 --region 1 --block-size 256M --sanitize-on-release yes --force" ;;
	dc-add) echo "dc-add switch0 --port 12 --host 1 --region 0 --size 64M --force" ;;
	dc-release) echo "dc-release switch0 --port 12 --host 0 --tag 6a2c5e64-3f0e-4d61-9c9e-1b2a0c4d5e02 --force" ;;
	qos) echo "qos switch0 --port 5" ;;
	mhd-info) echo "mhd-info switch0 --port 20" ;;
	fw-update)
		"$TOP/tests/fw-image" "$BATS_TEST_TMPDIR/fw.bin" 2.0.0 5000
		echo "fw-update switch0 $BATS_TEST_TMPDIR/fw.bin --activate online --force" ;;
	fw-activate) echo "fw-activate switch0 --slot 1 --on-reset --force" ;;
	event-policy) echo "event-policy switch0 --set info=notify --force" ;;
	timestamp) echo "timestamp switch0 --set @1700000000 --force" ;;
	monitor) echo "monitor switch0 --interval 0.1 --duration 0.3" ;;
	plan | apply)
		# a step of every kind but a reset release; the grow (LDs 1-15 of
		# port 7) wider than the 240 bytes every device takes
		cat > "$BATS_TEST_TMPDIR/fabric.json" <<-'EOF'
		{"version": 1, "switches": [{"switch": "switch0",
		  "vcss": [{"vcs": 0, "vppbs": [{"vppb": 6, "port": 14}, {"vppb": 5, "port": null}]}],
		  "pools": [{"port": 7, "lds": [{"ld": 0, "range1": "4G"}, {"ld": 1, "range1": "9G"}, {"ld": 15, "range1": "9G"}]},
		            {"port": 5, "qos_control": {"egress_moderate_percent": 20},
		             "lds": [{"ld": 0, "qos_bw_limit": 128, "qos_allocated_bw": 32}]}],
		  "ports": [{"port": 15, "reset": true}],
		  "dc": [{"port": 12, "host": 0, "region": 1, "size": "256M"},
		         {"port": 12, "host": 1, "region": 0, "size": "192M"}]}]}
		EOF
		if [ "$1" = plan ]; then
			echo "plan switch0 $BATS_TEST_TMPDIR/fabric.json"
		else
			echo "apply $BATS_TEST_TMPDIR/fabric.json --force"
		fi ;;
	*) echo "$1 switch0" ;;
	esac
}

# monitor -j while another process binds and resets: change lines of
# every kind, a port, a vPPB and event records; a checker (CXLSW_WRAP)
# starts slowly, so the changes wait longer for it
SETTLE=0.5
[ -n "$CXLSW_WRAP" ] && SETTLE=5
export SETTLE
monitor_changes() {
	"$EMU" -- sh -c '
		$CXLSW_WRAP "$0" monitor switch0 --interval 0.1 --duration $((${SETTLE%.*} + 2)) -j &
		sleep $SETTLE
		"$0" bind switch0 --vcs 0 --vppb 6 --port 14 --force >/dev/null
		"$0" port-control switch0 --port 4 --assert-perst --force >/dev/null
		wait $!' "$CXLSW" | jq -s .
}

@test "the pages exist: cxl-switch.1 and one per command" {
	run commands
	assert_success
	assert_line list
	assert_line identify
	assert_line list-ports
	assert_line list-vcs
	assert_line bind
	assert_line unbind
	assert_line raw
	assert_line help
	[ -f "$MAN/cxl-switch.1" ] || fail "man/cxl-switch.1 is missing"
	for cmd in $(commands); do
		[ -f "$MAN/cxl-switch-$cmd.1" ] ||
			fail "command '$cmd' has no page man/cxl-switch-$cmd.1"
	done
}

@test "every page is lint-clean: mandoc -Tlint -W warning prints nothing" {
	local n=0
	for page in "$MAN"/*.1; do
		run mandoc -Tlint -W warning "$page"
		assert_success
		assert_output ''
		n=$((n + 1))
	done
	[ "$n" -ge 17 ] || fail "only $n pages in man/"
}

@test "every page has NAME, SYNOPSIS, DESCRIPTION, EXIT STATUS, SEE ALSO" {
	for page in "$MAN"/*.1; do
		for sh in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" "SEE ALSO"; do
			grep -qx "\.Sh $sh" "$page" ||
				fail "${page##*/} has no section $sh"
		done
	done
}

@test "every command page has OPTIONS, JSON OUTPUT, HUMAN OUTPUT, EXAMPLES" {
	for cmd in $(commands); do
		for sh in "JSON OUTPUT" "HUMAN OUTPUT" EXAMPLES OPTIONS; do
			grep -qx "\.Sh $sh" "$MAN/cxl-switch-$cmd.1" ||
				fail "cxl-switch-$cmd.1 has no section $sh"
		done
	done
}

@test "every --long option of every command is in the command's page" {
	local opts
	for cmd in $(commands); do
		opts=$(long_options "$cmd")
		if [ "$cmd" != help ]; then
			# Every command takes the output options.
			grep -qx -- --json <<<"$opts" ||
				fail "no --json in 'cxl-switch $cmd --help'"
		fi
		for opt in $opts; do
			grep -qE -- "^\.It .*Fl ${opt#-}( |$)" "$MAN/cxl-switch-$cmd.1" ||
				fail "cxl-switch-$cmd.1 has no entry for $opt"
		done
	done
	# The global options are in cxl-switch.1.
	for opt in $("$CXLSW" --help | sed -nE 's/^ +(-[^ -], )?(--[a-z][a-z0-9-]*).*/\2/p'); do
		grep -qE -- "^\.It .*Fl ${opt#-}( |$)" "$MAN/cxl-switch.1" ||
			fail "cxl-switch.1 has no entry for $opt"
	done
}

@test "list-ports documents its options, with the words of --state and --type" {
	local page=$MAN/cxl-switch-list-ports.1
	for opt in --port --state --type --up --down; do
		grep -qE -- "^\.It .*Fl ${opt#-}( |$)" "$page" || fail "no $opt"
	done
	for word in disabled bind_in_progress unbind_in_progress dsp usp \
		fabric_port invalid none pcie cxl_type1 cxl_type2_or_hbr_switch \
		cxl_type3_sld cxl_type3_mld pbr_component; do
		grep -qx "\.Cm $word\( [,.]\)\?" "$page" || fail "no word $word"
	done
}

@test "every JSON key a command prints is an entry of its page" {
	local keys
	for cmd in $(commands); do
		[ "$cmd" = help ] && continue
		# stdout only: raw warns on stderr, and needs a lockdown of none
		# (the emulator shows no lockdown file without --lockdown).
		run --separate-stderr emu $([ "$cmd" = raw ] && echo --lockdown none) -- $(json_args "$cmd") -j
		# monitor prints only changes: make some, from another process
		[ "$cmd" = monitor ] && run --separate-stderr monitor_changes
		# doctor finds the default topology's faults: exit 12
		[ "$cmd" = doctor ] && [ "$status" = 12 ] && status=0
		assert_success
		# the envelope (version, command, switch, target) and the key a
		# list goes under are cxl-switch(1)'s, JSON OUTPUT
		for key in version command switch target; do
			grep -qx "\.It Ql $key" "$MAN/cxl-switch.1" ||
				fail "cxl-switch.1 has no entry '.It Ql $key'"
		done
		keys=$(jq -r 'if type == "array" then .[] else . end | del(.version, .command, .target) |
			if (keys - ["switch"]) == ["ports"] or (keys - ["switch"]) == ["vcss"] or
			   (keys - ["switch"]) == ["switches"] or (keys - ["switch"]) == ["commands"] or
			   (keys - ["switch"]) == ["fabric"]
			then del(.switch) | .[] else . end |
			[paths | .[] | strings] | unique | .[]' <<<"$output")
		[ -n "$keys" ] || fail "'$cmd -j' printed no keys"
		for key in $keys; do
			grep -qx "\.It Ql $key" "$MAN/cxl-switch-$cmd.1" ||
				fail "cxl-switch-$cmd.1 has no entry '.It Ql $key'"
		done
	done
}

@test "every enumeration word of lib/names.c is in a page" {
	local words
	words=$(sed -n '/^static const char \*const/,/^};/p' "$TOP/lib/names.c" |
		grep -o '"[a-z0-9_.]*"' | tr -d '"' | sort -u)
	[ "$(wc -l <<<"$words")" -ge 30 ] || fail "too few words: $words"
	for word in $words switch type3 enabled; do
		grep -qE "^\.(It )?(Ql|Cm) $word( |$)" "$MAN"/cxl-switch-*.1 ||
			fail "the word '$word' is in no page"
	done
}

@test "cxl-switch.1 documents exit codes 0 to 6, as cli.h defines them" {
	local page=$MAN/cxl-switch.1 section
	section=$(sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$page")
	for code in 0 1 2 3 4 5 6 7; do
		grep -qx "\.It $code" <<<"$section" || fail "exit code $code"
	done
	for code in $(sed -nE 's/^\s*EXIT_[A-Z]+ = ([0-9]+),.*/\1/p' \
		"$TOP/cxl-switch/cli.h"); do
		grep -qx "\.It $code" <<<"$section" ||
			fail "cli.h's exit code $code is not in cxl-switch.1"
	done
	grep -qF 'Get Physical Port State (0x5101): Internal Error (0x04)' <<<"$section"
	grep -qF 'switch0 does not implement Get Virtual CXL Switch Info (0x5200)' <<<"$section"
}

@test "the failing-return-code message in cxl-switch.1 is the tool's" {
	run emu --fail 0x5101:internal-error -- list-ports switch0
	assert_failure 1
	assert_output "cxl-switch list-ports: switch0: Get Physical Port State (0x5101): Internal Error (0x04)"
	grep -qF "$output" "$MAN/cxl-switch.1"
}

@test "the lacking-command message in cxl-switch.1 is the tool's" {
	run emu --fail 0x5200:unsupported -- list-vcs switch0
	assert_failure 7
	assert_output "cxl-switch list-vcs: switch0 does not implement Get Virtual CXL Switch Info (0x5200)"
	grep -qF "$output" "$MAN/cxl-switch.1"
}

@test "cxl-switch.1 names every command and refers to every page" {
	local page=$MAN/cxl-switch.1 seealso
	seealso=$(sed -n '/^\.Sh SEE ALSO/,$p' "$page")
	for cmd in $(commands); do
		grep -qE "^\.It Cm $cmd( |$)" "$page" ||
			fail "cxl-switch.1 does not list the command $cmd"
		grep -qE "^\.Xr cxl-switch-$cmd 1" <<<"$seealso" ||
			fail "cxl-switch-$cmd(1) is not in SEE ALSO"
	done
}

@test "every cross-reference to a cxl-switch page points to a page" {
	local ref
	for ref in $(grep -ho '^\.Xr cxl-switch[a-z-]* 1' "$MAN"/*.1 |
		awk '{ print $2 }' | sort -u); do
		[ -f "$MAN/$ref.1" ] || fail "no page for $ref(1)"
	done
}

@test "the opcodes each page names are those the command sends" {
	local ops
	for cmd in $(commands); do
		# help sends nothing; raw sends the opcode it is given.
		case $cmd in help | raw) continue ;; esac
		run emu --stats "$BATS_TEST_TMPDIR/stats.json" -- \
			$(json_args "$cmd")
		[ "$cmd" = doctor ] && [ "$status" = 12 ] && status=0
		assert_success
		ops=$(jq -r '.opcodes | keys[]' "$BATS_TEST_TMPDIR/stats.json")
		[ -n "$ops" ] || fail "no opcodes for $cmd"
		for op in $ops; do
			grep -qx "\.It $op" "$MAN/cxl-switch-$cmd.1" ||
				fail "cxl-switch-$cmd.1 does not name opcode $op"
		done
		# a tunnelled command is named as the statistics name it: 0x5300>OPCODE
		[ "$(grep -c '^\.It 0x[0-9a-f]\{4\}\(>0x[0-9a-f]\{4\}\)*$' "$MAN/cxl-switch-$cmd.1")" = \
			"$(wc -l <<<"$ops")" ] ||
			fail "cxl-switch-$cmd.1 names opcodes that $cmd does not send"
	done
}

@test "cxl-switch.1 has the safety policy, its environment and its file" {
	local page=$MAN/cxl-switch.1 section
	for sh in "SAFETY POLICY" ENVIRONMENT FILES; do
		grep -qx "\.Sh $sh" "$page" || fail "no section $sh"
	done
	section=$(sed -n '/^\.Sh SAFETY POLICY/,/^\.Sh /p' "$page")
	for class in read-only switch-config host-visible firmware-security; do
		grep -q "$class" <<<"$section" || fail "no effect class $class"
	done
	grep -qF 'allow|deny CLASSES [switch=NAME[,NAME...]] [ports=LIST]' <<<"$section"
	grep -qx '\.It Pa /etc/cxl-switch/policy.conf' "$page"
	# The path is the one cli.h defines, and no variable names another.
	grep -qF '"/etc/cxl-switch/policy.conf"' "$TOP/cxl-switch/cli.h"
	! grep -rq 'CXLSW_POLICY_FILE' "$TOP/cxl-switch" --include='*.c' --include='*.h' ||
		fail "the tool still names CXLSW_POLICY_FILE"
	! grep -q 'getenv' "$TOP"/cxl-switch/policy*.c "$TOP/cxl-switch/audit.c" ||
		fail "the policy or the audit log reads a variable"
	! grep -q 'CXLSW_POLICY_FILE' "$page" || fail "cxl-switch.1 still names CXLSW_POLICY_FILE"
}

@test "the audit line format in cxl-switch.1 is the one guard.c logs" {
	run emu --syslog "$BATS_TEST_TMPDIR/log" -- \
		unbind switch0 --vcs 0 --vppb 5 --force
	assert_success
	line=$(tail -1 "$BATS_TEST_TMPDIR/log")
	[[ $line == "cxl-switch["*"]: user="*" uid="*" switch=switch0 serial=0x0123456789abcdef target=\"switch\" command=unbind opcode=0x5202 (Unbind vPPB) args=\"vcs=0 vppb=5 mode=wait\" policy=none result=success" ]] ||
		fail "unexpected log line: $line"
	grep -qF "${line#*]: user=* uid=* }" "$MAN/cxl-switch.1" ||
		fail "cxl-switch.1 does not show the line: $line"
	grep -qF 'user=NAME uid=UID switch=SWITCH serial=SERIAL target="TARGET" command=CMD opcode=0xOPCD (NAME) args="ARGS" policy=POLICY result=RESULT' \
		"$MAN/cxl-switch.1"
}

@test "the policy example of cxl-switch.1 works as described" {
	local conf=$BATS_TEST_TMPDIR/policy.conf
	sed -n '/^# \/etc\/cxl-switch\/policy.conf on a host$/,/^\.Ed$/p' \
		"$MAN/cxl-switch.1" | sed '$d' >"$conf"
	grep -q '^allow host-visible' "$conf" || fail "no host example"
	# Port 14 is in the host's range, port 22 is not; no switch-config.
	run emu --policy "$conf" -- port-control switch0 --port 14 --reset --force
	assert_success
	run emu --policy "$conf" -- bind switch0 --vcs 1 --vppb 7 --port 22 --force
	assert_failure 5
	run emu --policy "$conf" -- set-response-limit switch0 1024 --force
	assert_failure 5
	sed -n '/^# \/etc\/cxl-switch\/policy.conf on the BMC$/,/^\.Ed$/p' \
		"$MAN/cxl-switch.1" | sed '$d' >"$conf"
	grep -qx 'allow all' "$conf" || fail "no BMC example"
	run emu --policy "$conf" -- set-response-limit switch0 1024 --force
	assert_success
}
