#!/usr/bin/env bats
# Fabric as code (issue 18): export, plan and apply a desired-state file
# against the emulated switch.  Outcomes are checked in the emulator's
# saved state and its audit log, never against the tool's own output.
bats_require_minimum_version 1.5.0
load helpers

setup() {
	setup_state
	LOG=$BATS_TEST_TMPDIR/log
	WANT=$BATS_TEST_TMPDIR/want.json
	POLICY=$BATS_TEST_TMPDIR/policy.conf
	# seven steps, one of each kind but a grow: unbind VCS 0 vPPB 5
	# (port 7 LD 0), hold port 15 in reset, shrink port 7 LD 0, port 5's
	# QoS control and LD 0's bandwidth limit, bind port 14 and port 7 LD 3
	cat > "$WANT" <<-'EOF'
	{"version": 1, "switches": [{"switch": "switch0",
	  "vcss": [{"vcs": 0, "vppbs": [{"vppb": 6, "port": 14},
	                                {"vppb": 5, "port": null},
	                                {"vppb": 7, "port": 7, "ld": 3}]}],
	  "pools": [{"port": 7, "lds": [{"ld": 0, "range1": "4G"}]},
	            {"port": 5, "qos_control": {"egress_moderate_percent": 20},
	             "lds": [{"ld": 0, "qos_bw_limit": 128}]}],
	  "ports": [{"port": 15, "reset": true}]}]}
	EOF
}

VCS0='.vcss[] | select(.vcs_id == 0) | .vppbs'
P7='(.ports[] | select(.port_id == 7) | .device.mld)'
P5='(.ports[] | select(.port_id == 5) | .device.mld)'
P15='(.ports[] | select(.port_id == 15) | .link_state_flags.perst_asserted)'
# what WANT makes of the default topology, in the emulator's terms
WANT_STATE="($VCS0)[6] |= {vppb_id: 6, binding_status: \"bound_port\", port_id: 14, ld_id: null}
	| ($VCS0)[5] |= {vppb_id: 5, binding_status: \"unbound\", port_id: null, ld_id: null}
	| ($VCS0)[7] |= {vppb_id: 7, binding_status: \"bound_ld\", port_id: 7, ld_id: 3}
	| $P7.lds[0].range1_multiplier = 4
	| $P5.qos_control.egress_moderate_percent = 20
	| $P5.lds[0].qos_bw_limit = 128
	| $P15 = true"

# The saved state with its event logs and clock left out, sorted.
plain() {
	jq -S 'del(.event_logs) | del(.timestamp_ns)' "$1"
}

@test "export then apply: no changes, exit 10, nothing sent" {
	run --separate-stderr emu_state -- export switch0
	assert_success
	echo "$output" > "$BATS_TEST_TMPDIR/now.json"
	echo "$output" | jq -e '.version == 1 and (.switches | length) == 1 and .switches[0].switch == "switch0"'
	# from the topology: VCS 0 vPPB 1 is port 5 LD 0, port 18 is held in reset
	echo "$output" | jq -e '.switches[0].vcss[0].vppbs[1] == {"vppb": 1, "port": 5, "ld": 0}'
	echo "$output" | jq -e '.switches[0].ports[] | select(.port == 18) | .reset'
	echo "$output" | jq -e --argjson b "$(topo "$P7.lds[2].range1_multiplier")" \
		'.switches[0].pools[] | select(.port == 7) | .lds[2].range1 == $b * 1073741824'
	run emu_state --syslog "$LOG" -- apply "$BATS_TEST_TMPDIR/now.json" --force
	assert_failure 10
	assert_output "switch0: no changes"
	assert_state_untouched
	[ ! -s "$LOG" ]
}

@test "export | apply -: no changes" {
	run "$EMU" --topology "$STATE_IN" --save "$STATE_OUT" -- \
		sh -c "'$CXLSW' export switch0 | '$CXLSW' apply - --force"
	assert_failure 10
	assert_output "switch0: no changes"
	assert_state_untouched
}

@test "plan: the ordered steps, their effects, hosts and request bytes; nothing sent" {
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- plan switch0 "$WANT" -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.switches[0].steps[].kind]')" \
		'["unbind","reset-hold","ld-shrink","qos-control","qos-bw-limit","bind","bind"]'
	assert_equal "$(echo "$output" | jq -r '.switches[0].steps[0].request')" 000500
	assert_equal "$(echo "$output" | jq -r '.switches[0].steps[0].affects')" \
		"the host on upstream port 0 (VCS 0) loses it"
	assert_equal "$(echo "$output" | jq -r '.switches[0].steps[2].effect')" \
		"LD 0 8 GiB -> 4 GiB on port 7"
	# the shrink comes after the unbind: LD 0 has no host then
	assert_equal "$(echo "$output" | jq -r '.switches[0].steps[2].affects')" \
		"no host: none of these LDs is bound to a vPPB"
	assert_equal "$(echo "$output" | jq -r '.switches[0].steps[4].affects')" \
		"LD 0: the host on upstream port 0 (VCS 0 vPPB 1)"
	assert_equal "$(echo "$output" | jq -r '.switches[0].steps[2].wire_opcode')" 21248
	assert_equal "$(echo "$output" | jq -r '.switches[0].steps[6].request')" 000707000300
	assert_equal "$(echo "$output" | jq -r '.switches[0].steps[6].key')" "switches[0].vcss[0].vppbs[2]"
	assert_state_untouched
	# only reads went out
	run jq -e '.opcodes | keys | map(select(test("0x5402|0x5404|0x5409|0x5201|0x5202|0x5102"))) == []' "$BATS_TEST_TMPDIR/s.json"
	assert_success
}

@test "apply: every step audited with the plan's id, and the switch reaches the file" {
	run --separate-stderr emu_state --syslog "$LOG" -- apply "$WANT" --force -j
	assert_success
	echo "$output" | jq -e '.switches[0].status == "done" and ([.switches[0].steps[].status] | unique) == ["done"]'
	id=$(echo "$output" | jq -r '.switches[0].plan_id')
	assert_state_is "$WANT_STATE"
	# an intent and a result line per step, each with the plan id
	assert_equal "$(grep -c "args=\"plan=$id step=" "$LOG")" 14
	assert_equal "$(grep -c 'result=sending$' "$LOG")" 7
	grep -q "command=apply opcode=0x5402 (Set LD Allocations) args=\"plan=$id step=3/7 port=7 lds=0-0 sizes=0=4294967296+0\" policy=none result=success" "$LOG"
	assert_equal "$(echo "$stderr" | tail -1)" "switch0: step 7/7 (bind): done"
}

@test "apply twice: the second changes nothing (exit 10)" {
	run emu_state -- apply "$WANT" --force
	assert_success
	cp "$STATE_OUT" "$STATE_IN"
	run emu_state --syslog "$LOG" -- apply "$WANT" --force
	assert_failure 10
	assert_output "switch0: no changes"
	assert_state_untouched
	[ ! -s "$LOG" ]
}

@test "generated desired states: apply, then export equals the file" {
	run --separate-stderr emu_state -- export switch0
	echo "$output" > "$BATS_TEST_TMPDIR/base.json"
	for k in 1 2 3 4 5; do
		# port 7's LDs resized, a free LD of it bound, port 15's reset,
		# port 5's QoS, port 6's bandwidth and host 1's dynamic capacity
		# on port 12, all from k
		jq --argjson k "$k" '
			.switches[0] |= (
			  .pools |= map(if .port == 7 then .lds |= map(.range1 = ((.ld * $k) % 5) * 1073741824 | .range2 = 0)
			                elif .port == 5 then .qos_control.egress_moderate_percent = 10 + $k
			                elif .port == 6 then .lds[$k].qos_allocated_bw = 10 * $k
			                else . end)
			  | .vcss |= map(if .vcs == 0 then .vppbs |= map(if .vppb == 7 then {vppb: 7, port: 7, ld: (8 + $k)}
			                                               elif .vppb == 6 then (if $k % 2 == 1 then {vppb: 6, port: 14} else {vppb: 6, port: null} end)
			                                               else . end)
			                 else . end)
			  | .ports |= map(if .port == 15 then .reset = ($k % 2 == 0) else . end)
			  | .dc |= map(if .port == 12 and .host == 1 and .region == 0 then .size = $k * 67108864 else . end))' \
			"$BATS_TEST_TMPDIR/base.json" > "$BATS_TEST_TMPDIR/gen.json"
		run emu_state -- apply "$BATS_TEST_TMPDIR/gen.json" --force
		assert_success
		run --separate-stderr emu --topology "$STATE_OUT" -- export switch0
		assert_success
		assert_equal "$(echo "$output" | jq -S -c .)" "$(jq -S -c . "$BATS_TEST_TMPDIR/gen.json")"
		cp "$STATE_OUT" "$STATE_IN"
	done
}

@test "a refused step refuses the whole apply before anything is sent" {
	# port 15's reset is allowed, the steps on other ports are not
	printf 'allow host-visible ports=15\n' > "$POLICY"
	run --separate-stderr emu_state --policy "$POLICY" --syslog "$LOG" --stats "$BATS_TEST_TMPDIR/s.json" -- apply "$WANT" --force
	assert_failure 5
	assert_equal "$stderr" "cxl-switch apply: refused: switch0 step 1 (unbind): no rule of /etc/cxl-switch/policy.conf allows host-visible changes to switch0 on this port: nothing was sent"
	assert_state_untouched
	run jq -e '.opcodes | keys | map(select(test("0x5402|0x5404|0x5409|0x5201|0x5202|0x5102"))) == []' "$BATS_TEST_TMPDIR/s.json"
	assert_success
	# every step is logged refused, none sent
	assert_equal "$(grep -c 'command=apply .*result=refused: ' "$LOG")" 7
	grep -q 'opcode=0x5102 (Physical Port Control) args="plan=[0-9a-f]* step=2/7 port=15 op=assert_perst" policy=/etc/cxl-switch/policy.conf result=refused: another step is refused$' "$LOG"
	run grep -c 'result=sending' "$LOG"
	assert_output 0
	# plan shows the refusals up front, with exit 5
	run emu_state --policy "$POLICY" -- plan switch0 "$WANT" -j
	assert_failure 5
	assert_equal "$(echo "$output" | jq -c '[.switches[0].steps[].status]')" \
		'["refused","planned","refused","refused","refused","refused","refused"]'
}

@test "a fault at any step: the completed steps are undone, the fabric is as before, exit 11" {
	local step=0
	for fault in 0x5202:internal-error:1 0x5102:internal-error:1 \
		     0x5402:internal-error:1 0x5404:internal-error:1 \
		     0x5409:internal-error:1 0x5201:internal-error:1 \
		     0x5201:internal-error:2; do
		step=$((step + 1))
		run --separate-stderr emu_state --syslog "$LOG" --fail "$fault" -- apply "$WANT" --force -j
		assert_failure 11
		assert_state_untouched
		echo "$output" | jq -e --argjson n "$step" '.switches[0].status == "rolled_back"
			and .switches[0].steps[$n - 1].status == "failed"
			and ([.switches[0].steps[:$n - 1][].status] | all(. == "undone"))
			and .switches[0].read_back == "the fabric is as it was before the apply"'
		assert_equal "$(echo "$stderr" | tail -1)" \
			"cxl-switch apply: switch0: $(echo "$output" | jq -r '.switches[0].error'); rolled back: the fabric is as it was before the apply"
		# every undo is audited under the plan's id
		assert_equal "$(grep -c ' undo .*result=success$' "$LOG")" $((step - 1))
		rm -f "$LOG"
	done
}

@test "a fault at a step: the message names the step and the device's answer" {
	run --separate-stderr emu_state --fail 0x5201:internal-error:2 -- apply "$WANT" --force
	assert_failure 11
	assert_state_untouched
	assert_equal "$(echo "$stderr" | tail -1)" "cxl-switch apply: switch0: step 7/7 (bind): Bind vPPB (0x5201): Internal Error (0x04); rolled back: the fabric is as it was before the apply"
	assert_line "  read back: the fabric is as it was before the apply"
}

@test "an undo that fails: exit 9, and the read-back says which step is not undone" {
	# the second bind fails; undoing the first bind (an unbind) fails too
	run --separate-stderr emu_state --fail 0x5201:internal-error:2 --fail 0x5202:internal-error:2 -- apply "$WANT" --force
	assert_failure 9
	assert_equal "$(echo "$stderr" | tail -1)" "cxl-switch apply: switch0: step 7/7 (bind): Bind vPPB (0x5201): Internal Error (0x04); not rolled back: step 6 not undone: vPPB 6 of VCS 0 is bound to port 14, not unbound"
	assert_state_is "($VCS0)[6] |= {vppb_id: 6, binding_status: \"bound_port\", port_id: 14, ld_id: null}"
}

@test "several switches: switch by switch, stop at the first that fails, say which are done" {
	STATE_IN2=$BATS_TEST_TMPDIR/in2.json
	STATE_OUT2=$BATS_TEST_TMPDIR/out2.json
	cp "$DEFAULT_TOPO" "$STATE_IN2"
	jq '.switches += [.switches[0] | .switch = "switch1"]' "$WANT" > "$BATS_TEST_TMPDIR/two.json"
	# switch0 takes binds 1-2, switch1's second bind (the 4th) fails
	run --separate-stderr emu --topology "$STATE_IN" --topology "$STATE_IN2" \
		--save "$STATE_OUT" --save "$STATE_OUT2" --fail 0x5201:internal-error:4 -- \
		apply "$BATS_TEST_TMPDIR/two.json" --force
	assert_failure 11
	assert_equal "$(echo "$stderr" | tail -1)" "cxl-switch apply: switch1: step 7/7 (bind): Bind vPPB (0x5201): Internal Error (0x04); rolled back: the fabric is as it was before the apply; done before it: switch0"
	assert_state_is "$WANT_STATE"
	[ "$(plain "$STATE_IN2")" = "$(plain "$STATE_OUT2")" ]
}

@test "two applies at once: the second waits, then finds nothing to change" {
	script=$BATS_TEST_TMPDIR/two.sh
	cat > "$script" <<-EOF
		"$CXLSW" apply "$WANT" --force > "$BATS_TEST_TMPDIR/a.out" 2>&1 &
		for i in \$(seq 100); do
			grep -Eq " FLOCK +ADVISORY +WRITE +\$! " /proc/locks && break
			sleep 0.1
		done
		"$CXLSW" apply "$WANT" --force > "$BATS_TEST_TMPDIR/b.out" 2>&1
		echo \$? > "$BATS_TEST_TMPDIR/b.rc"
		wait \$!
		echo \$? > "$BATS_TEST_TMPDIR/a.rc"
	EOF
	# A's set LD allocations takes 2 s: B starts while A holds the lock
	"$EMU" --topology "$STATE_IN" --save "$STATE_OUT" --fail 0x5402:delay=2000:1 -- sh "$script"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/a.rc")" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/b.rc")" 10
	run cat "$BATS_TEST_TMPDIR/b.out"
	assert_line --index 0 --regexp "^cxl-switch apply: switch0: waiting for pid [0-9]+ \(.*apply .*\), which is changing the switch$"
	assert_line --index 1 "switch0: no changes"
	assert_state_is "$WANT_STATE"
}

@test "two applies at once: --no-lock-wait refuses the second, exit 8" {
	script=$BATS_TEST_TMPDIR/two.sh
	cat > "$script" <<-EOF
		"$CXLSW" apply "$WANT" --force > /dev/null 2>&1 &
		for i in \$(seq 100); do
			grep -Eq " FLOCK +ADVISORY +WRITE +\$! " /proc/locks && break
			sleep 0.1
		done
		"$CXLSW" apply "$WANT" --force --no-lock-wait > "$BATS_TEST_TMPDIR/b.out" 2>&1
		echo \$? > "$BATS_TEST_TMPDIR/b.rc"
		wait \$!
	EOF
	"$EMU" --topology "$STATE_IN" --save "$STATE_OUT" --fail 0x5402:delay=2000:1 -- sh "$script"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/b.rc")" 8
	run cat "$BATS_TEST_TMPDIR/b.out"
	assert_output --regexp "^cxl-switch apply: switch0: another change holds the switch: pid [0-9]+ .*; not waiting \(--no-lock-wait\), nothing was sent$"
	assert_state_is "$WANT_STATE"
}

@test "apply without --force off a terminal is refused and logged; nothing sent" {
	run emu_state --syslog "$LOG" -- apply "$WANT"
	assert_failure 5
	assert_output "cxl-switch apply: refusing to apply 7 steps without --force: stdin is not a terminal"
	assert_state_untouched
	assert_equal "$(grep -c 'result=refused: no --force$' "$LOG")" 7
}

@test "apply --dry-run is plan: nothing sent" {
	run emu_state -- apply "$WANT" --dry-run -j
	assert_success
	echo "$output" | jq -e '.switches[0].status == "planned" and (.switches[0].steps | length) == 7'
	assert_state_untouched
}

bad() {
	printf '%s' "$1" > "$BATS_TEST_TMPDIR/bad.json"
	run emu_state -- plan switch0 "$BATS_TEST_TMPDIR/bad.json"
	assert_failure 2
	assert_output "cxl-switch plan: $BATS_TEST_TMPDIR/bad.json: $2"
	assert_state_untouched
}

@test "bad files: syntax, version, unknown keys, types and duplicates, with line or key" {
	bad '{"version":1,' "line 1, column 14: the JSON text ends early"
	bad $'{"version": 1,\n "switches": [\n  {"switch": "switch0",}]}' "line 3, column 24: unexpected character"
	bad '{"version":2,"switches":[]}' "line 1: version: version 2 is not known: expected 1"
	bad '{"switches":[]}' "line 1: (top): missing key 'version'"
	bad '{"version":1,"switches":[{"switch":"switch0","vcss":[{"vcs":0,"vppbs":[{"vppb":1,"prot":3}]}]}]}' \
		"line 1: switches[0].vcss[0].vppbs[0]: unknown key 'prot'"
	bad '{"version":1,"switches":[{"switch":"switch0","ports":[{"port":"x","reset":true}]}]}' \
		"line 1: switches[0].ports[0].port: expected a number 0-255, not a string"
	bad '{"version":1,"switches":[{"switch":"switch0","ports":[{"port":300,"reset":true}]}]}' \
		"line 1: switches[0].ports[0].port: 300 is out of range 0-255"
	bad '{"version":1,"switches":[{"switch":"switch0","vcss":[{"vcs":0,"vppbs":[{"vppb":1,"port":null},{"vppb":1,"port":4}]}]}]}' \
		"line 1: switches[0].vcss[0].vppbs[1].vppb: vPPB 1 of VCS 0 is given twice"
	bad '{"version":1,"switches":[{"switch":"switch0"},{"switch":"switch0"}]}' \
		"line 1: switches[1].switch: switch0 is given twice (also switches[0])"
	bad '{"version":1,"switches":[{"switch":"switch0","pools":[{"port":5,"lds":[{"ld":0,"range1":"lots"}]}]}]}' \
		"line 1: switches[0].pools[0].lds[0].range1: invalid size 'lots': expected bytes or a number with K, M, G or T"
	bad '{"version":1,"switches":[{"switch":"switch0","pools":[{"port":5,"qos_control":{"egress_severe_percent":101}}]}]}' \
		"line 1: switches[0].pools[0].qos_control.egress_severe_percent: 101 is out of range 1-100"
	# the ranges are the qos command's (r3.1 Set QoS Control): nothing
	# the device would answer Invalid Input to reaches it from a file
	bad '{"version":1,"switches":[{"switch":"switch0","pools":[{"port":5,"qos_control":{"egress_moderate_percent":0}}]}]}' \
		"line 1: switches[0].pools[0].qos_control.egress_moderate_percent: 0 is out of range 1-100"
	bad '{"version":1,"switches":[{"switch":"switch0","pools":[{"port":5,"qos_control":{"backpressure_sample_interval":16}}]}]}' \
		"line 1: switches[0].pools[0].qos_control.backpressure_sample_interval: 16 is out of range 0-15"
}

@test "a key given twice in one object is an error naming both lines, not the last one silently" {
	bad '{"version":1,"switches":[{"switch":"switch0","ports":[{"port":4,"reset":true,"port":5}]}]}' \
		"line 1: switches[0].ports[0].port: the key is given twice (also on line 1)"
	# written with an escape it is the same key
	bad '{"version":1,"switches":[{"switch":"switch0","ports":[{"port":4,"reset":true,"p\u006frt":5}]}]}' \
		"line 1: switches[0].ports[0].port: the key is given twice (also on line 1)"
	bad $'{"version": 1,\n "switches": [],\n "version": 1}' \
		"line 3: (top).version: the key is given twice (also on line 1)"
	bad '{"version":1,"switches":[{"switch":"switch0","pools":[{"port":5,"qos_control":{"egress_moderate_percent":10,"egress_moderate_percent":20}}]}]}' \
		"line 1: switches[0].pools[0].qos_control.egress_moderate_percent: the key is given twice (also on line 1)"
	# a VCS given twice, the first time without vPPBs
	bad '{"version":1,"switches":[{"switch":"switch0","vcss":[{"vcs":0,"vppbs":[]},{"vcs":0,"vppbs":[{"vppb":6,"port":null}]}]}]}' \
		"line 1: switches[0].vcss[1].vcs: VCS 0 is given twice"
}

@test "JSON nested deeper than 32 levels is refused where it gets too deep" {
	# 32 levels are JSON (and then not a switch); the 33rd is not
	deep=$(printf '%.0s[' {1..31}; printf '%.0s]' {1..31})
	bad "{\"version\":1,\"switches\":$deep}" "line 1: switches[0]: expected an object, not an array"
	deep=$(printf '%.0s[' {1..32}; printf '%.0s]' {1..32})
	bad "{\"version\":1,\"switches\":$deep}" "line 1, column 56: nesting too deep: more than 32 levels"
	# a syntax error anywhere comes first, even after an error in what
	# the file says
	bad "{\"version\":1,\"switches\":[{\"switch\":\"switch0\",\"bogus\":$deep}]}" \
		"line 1, column 83: nesting too deep: more than 32 levels"
	bad '{"version":1,"switches":[{"switch":"switch0","bogus":1}],}' "line 1, column 58: unexpected character"
	bad '{"version":1,"switches":[]} x' "line 1, column 29: text after the JSON object"
}

@test "strings: a bad escape, a lone surrogate, a control character or bad UTF-8 is refused at its column" {
	bad '{"version":1,"switches":[{"switch":"sw\x0"}]}' "line 1, column 39: invalid escape '\\x' in a string"
	bad '{"version":1,"switches":[{"switch":"sw\u12G4"}]}' "line 1, column 39: invalid escape in a string: \\u takes four hex digits"
	bad '{"version":1,"switches":[{"switch":"sw\u0000"}]}' "line 1, column 39: \\u0000 in a string: a NUL is not allowed"
	bad '{"version":1,"switches":[{"switch":"sw\uD83Dx"}]}' "line 1, column 39: \\uD83D in a string: a high surrogate without a low one"
	bad '{"version":1,"switches":[{"switch":"sw\uDE00"}]}' "line 1, column 39: \\uDE00 in a string: a low surrogate without a high one"
	bad $'{"version":1,"switches":[{"switch":"sw\tx"}]}' "line 1, column 39: a control character in a string: write it as an escape"
	bad $'{"version":1,"switches":[{"switch":"sw\xff"}]}' "line 1, column 39: invalid UTF-8 in a string"
	bad $'{"version":1,"switches":[{"switch":"sw\xc0\xb0"}]}' "line 1, column 39: invalid UTF-8 in a string"
	# what is whole is read: a pair, an escaped name
	bad '{"version":1,"switches":[{"switch":"switch0","\ud83d\ude00":1}]}' \
		"line 1: switches[0]: unknown key '"$'\xf0\x9f\x98\x80'"'"
	printf '%s' '{"version":1,"switches":[{"switch":"sw\u0069tch0"}]}' > "$BATS_TEST_TMPDIR/esc.json"
	run emu_state -- plan switch0 "$BATS_TEST_TMPDIR/esc.json"
	assert_failure 10
	assert_state_untouched
}

@test "members in any order: vPPBs before their VCS, switches before the version" {
	jq '{switches: [.switches[] | {vcss: [.vcss[] | {vppbs, vcs}], pools, ports, switch}], version}' \
		"$WANT" > "$BATS_TEST_TMPDIR/order.json"
	[ "$(jq -c 'keys_unsorted' "$BATS_TEST_TMPDIR/order.json")" = '["switches","version"]' ]
	run emu_state -- apply "$BATS_TEST_TMPDIR/order.json" --force
	assert_success
	assert_state_is "$WANT_STATE"
	# the version is read first all the same: a file of another version
	# is not read as this one's
	bad '{"switches":[{"switch":"switch0","bogus":1}],"version":2}' "line 1: version: version 2 is not known: expected 1"
	# and the vPPBs are VCS 1's, read after its number
	bad '{"version":1,"switches":[{"switch":"switch0","vcss":[{"vppbs":[{"vppb":6,"port":null}],"vcs":1}]}]}' \
		"line 1: switch0: switches[0].vcss[0].vppbs[0]: vPPB 6 of VCS 1 is in progress (a bind or unbind runs): it cannot be changed now"
}

@test "conflicts with the switch: two hosts on one LD, more memory than the device has, wrong ports" {
	bad '{"version":1,"switches":[{"switch":"switch0","vcss":[{"vcs":0,"vppbs":[{"vppb":6,"port":5,"ld":1}]}]}]}' \
		"line 1: switch0: switches[0].vcss[0].vppbs[0]: port 5 LD 1 would be bound to two hosts: vPPB 6 of VCS 0 and vPPB 0 of VCS 1"
	bad '{"version":1,"switches":[{"switch":"switch0","vcss":[{"vcs":0,"vppbs":[{"vppb":6,"port":14},{"vppb":7,"port":14}]}]}]}' \
		"line 1: switch0: switches[0].vcss[0].vppbs[0]: port 14 would be bound twice: to vPPB 6 of VCS 0 and vPPB 7 of VCS 0"
	bad '{"version":1,"switches":[{"switch":"switch0","pools":[{"port":5,"lds":[{"ld":0,"range1":"100G"}]}]}]}' \
		"line 1: switch0: switches[0].pools[0]: the LDs would hold 114 GiB, more than the device's 64 GiB"
	bad '{"version":1,"switches":[{"switch":"switch0","pools":[{"port":5,"lds":[{"ld":0,"range1":"100M"}]}]}]}' \
		"line 1: switch0: switches[0].pools[0].lds[0]: range1: 100 MiB is not a multiple of the device's granularity 256 MiB"
	bad '{"version":1,"switches":[{"switch":"switch0","pools":[{"port":4,"lds":[]}]}]}' \
		"line 1: switch0: switches[0].pools[0]: port 4 holds no pooled device (CXL Type 3 MLD)"
	bad '{"version":1,"switches":[{"switch":"switch0","vcss":[{"vcs":0,"vppbs":[{"vppb":6,"port":5}]}]}]}' \
		"line 1: switch0: switches[0].vcss[0].vppbs[0]: port 5 holds a pooled device (CXL Type 3 MLD): give ld 0-3"
	bad '{"version":1,"switches":[{"switch":"switch0","vcss":[{"vcs":1,"vppbs":[{"vppb":6,"port":null}]}]}]}' \
		"line 1: switch0: switches[0].vcss[0].vppbs[0]: vPPB 6 of VCS 1 is in progress (a bind or unbind runs): it cannot be changed now"
	bad '{"version":1,"switches":[{"switch":"switch0","ports":[{"port":0,"reset":true}]}]}' \
		"line 1: switch0: switches[0].ports[0]: port 0 is not a downstream port: only those are held in reset"
}

@test "an error in a file of many lines names the line of its key" {
	sed 's/"range1": "4G"/"range1": "100M"/' "$WANT" > "$BATS_TEST_TMPDIR/lines.json"
	run emu_state -- plan switch0 "$BATS_TEST_TMPDIR/lines.json"
	assert_failure 2
	assert_output "cxl-switch plan: $BATS_TEST_TMPDIR/lines.json: line 5: switch0: switches[0].pools[0].lds[0]: range1: 100 MiB is not a multiple of the device's granularity 1 GiB"
	sed 's/"reset": true/"reset": "yes"/' "$WANT" > "$BATS_TEST_TMPDIR/lines.json"
	run emu_state -- apply "$BATS_TEST_TMPDIR/lines.json" --force
	assert_failure 2
	assert_output "cxl-switch apply: $BATS_TEST_TMPDIR/lines.json: line 8: switches[0].ports[0].reset: expected true or false, not a string"
	assert_state_untouched
}

@test "plan SWITCH picks that switch's entry; a file without it is an error" {
	run emu_state -- plan switch1 "$WANT"
	assert_failure 2
	assert_output "cxl-switch plan: $WANT has no entry for switch1"
	run emu_state -- plan - "$WANT" -j
	assert_success
	echo "$output" | jq -e '.switches | length == 1'
}

@test "the JSON Schema describes what export writes and rejects a typo" {
	python3 -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema is not installed"
	run --separate-stderr emu_state -- export switch0
	echo "$output" > "$BATS_TEST_TMPDIR/now.json"
	check='import json, sys, jsonschema
s = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(s)
jsonschema.validate(json.load(open(sys.argv[2])), s)'
	run python3 -c "$check" "$TOP/man/cxl-switch-fabric.schema.json" "$BATS_TEST_TMPDIR/now.json"
	assert_success
	run python3 -c "$check" "$TOP/man/cxl-switch-fabric.schema.json" "$WANT"
	assert_success
	jq '.switches[0].ports[0].rest = true' "$WANT" > "$BATS_TEST_TMPDIR/typo.json"
	run python3 -c "$check" "$TOP/man/cxl-switch-fabric.schema.json" "$BATS_TEST_TMPDIR/typo.json"
	assert_failure
}

@test "one switch named twice, by name and by path: an error, not a wait for its own lock" {
	jq '.switches += [.switches[0] | .switch = "/dev/cxl/switch0"]' "$WANT" > "$BATS_TEST_TMPDIR/twice.json"
	run emu_state -- apply "$BATS_TEST_TMPDIR/twice.json" --force --timeout 2
	assert_failure 2
	assert_output "cxl-switch apply: $BATS_TEST_TMPDIR/twice.json: switches[1].switch: /dev/cxl/switch0 is switch0 again (also switches[0])"
	assert_state_untouched
}

@test "SIGTERM during a step: the step ends, the completed steps are undone, exit 11" {
	PIDS=$BATS_TEST_TMPDIR/pids
	OUT=$BATS_TEST_TMPDIR/out
	"$EMU" --topology "$STATE_IN" --save "$STATE_OUT" --syslog "$LOG" --fail 0x5402:delay=1500:1 -- \
		sh -c "'$CXLSW' apply '$WANT' --force & echo \$! > '$PIDS'; wait \$!" > "$OUT" 2>&1 &
	emu_pid=$!
	wait_for "$LOG" "step=3/7 port=7 lds=0-0 sizes=0=4294967296+0\" policy=none result=sending"
	kill -TERM "$(cat "$PIDS")"
	rc=0
	wait "$emu_pid" || rc=$?
	assert_equal "$rc" 11
	run cat "$OUT"
	assert_line "switch0: step 3/7 (ld-shrink): done"
	assert_line "switch0: step 4/7 (qos-control): interrupted by SIGTERM"
	assert_line "cxl-switch apply: switch0: step 4/7 (qos-control): interrupted by SIGTERM; rolled back: the fabric is as it was before the apply"
	assert_state_untouched
	# nothing after the signal but the undos
	run grep -c 'step=4/7 .*result=sending' "$LOG"
	assert_output 0
	assert_equal "$(grep -c ' undo .*result=success$' "$LOG")" 3
	run --separate-stderr emu --topology "$STATE_OUT" -- export switch0
	assert_success
}

@test "a step wider than one request: sent in parts; a failing second part is undone with the first" {
	echo '{"version":1,"switches":[{"switch":"switch0","pools":[{"port":7,"lds":[{"ld":1,"range1":"9G"},{"ld":15,"range1":"9G"}]}]}]}' > "$BATS_TEST_TMPDIR/wide.json"
	# at a 256-byte message limit one request carries 14 of port 7's 16 LDs
	run --separate-stderr emu_state --msg-limit 256 --stats "$BATS_TEST_TMPDIR/s.json" -- apply "$BATS_TEST_TMPDIR/wide.json" --force
	assert_success
	assert_equal "$(jq -c '.opcodes."0x5300>0x5402"' "$BATS_TEST_TMPDIR/s.json")" 2
	assert_state_is ".max_msg_size = 256 | $P7.lds[1].range1_multiplier = 9 | $P7.lds[15].range1_multiplier = 9"
	run --separate-stderr emu_state --msg-limit 256 --fail 0x5402:internal-error:2 -- apply "$BATS_TEST_TMPDIR/wide.json" --force
	assert_failure 11
	assert_equal "$(echo "$stderr" | tail -1)" "cxl-switch apply: switch0: step 1/1 (ld-grow): Set LD Allocations (0x5402): Internal Error (0x04); rolled back: the fabric is as it was before the apply"
	assert_state_is ".max_msg_size = 256"
}

@test "a switch without the tunnel (minimal profile): export leaves the pools out and says so; export | apply changes nothing" {
	run --separate-stderr emu --profile minimal -- export switch0
	assert_success
	echo "$output" | jq -e '.switches[0].pools == [] and (.switches[0].vcss | length) == 3'
	assert_equal "$(echo "$stderr" | head -1)" "cxl-switch export: warning: the pooled device on port 5 does not answer (switch0 does not implement Tunnel Management Command (0x5300)): it is left out"
	run "$EMU" --profile minimal -- sh -c "'$CXLSW' export switch0 2>/dev/null | '$CXLSW' apply - --force"
	assert_failure 10
	assert_output "switch0: no changes"
	# a pool the device cannot be asked about is an error naming the key
	run emu --profile minimal -- plan switch0 "$WANT"
	assert_failure 2
	assert_output "cxl-switch plan: $WANT: line 5: switch0: switches[0].pools[0]: the pooled device on port 7 does not answer: switch0 does not implement Tunnel Management Command (0x5300)"
}

@test "terminal: one confirmation for the whole plan; anything but yes sends nothing" {
	run emu_state --tty --syslog "$LOG" -- apply "$WANT" < <(printf 'no\n')
	assert_failure 5
	assert_output --partial "switch0: plan "
	assert_output --partial "Type 'yes' to apply these 7 steps: "
	assert_output --partial "cxl-switch apply: not confirmed: nothing was sent"
	assert_state_untouched
	assert_equal "$(grep -c 'result=refused: not confirmed$' "$LOG")" 7
	run emu_state --tty -- apply "$WANT" < <(printf 'yes\n')
	assert_success
	assert_equal "$(echo "$output" | grep -c "Type 'yes'")" 1
	assert_state_is "$WANT_STATE"
}

DCW='{"version":1,"switches":[{"switch":"switch0","dc":[{"port":12,"host":0,"region":1,"size":"256M"},{"port":12,"host":1,"region":0,"size":"192M"}]}]}'
# the bytes each host of the DCD on port 12 holds per region, as export says
dc_sizes() {
	run --separate-stderr emu --topology "$1" -- export switch0
	echo "$output" | jq -c '[.switches[0].dc[] | select(.port == 12) | .size]'
}

@test "dynamic capacity: a release and an add, then export says so; the extents in the saved state" {
	echo "$DCW" > "$BATS_TEST_TMPDIR/dc.json"
	run --separate-stderr emu_state -- plan switch0 "$BATS_TEST_TMPDIR/dc.json" -j
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.switches[0].steps[] | [.kind, .opcode, .target]]')" \
		'[["dc-release",22021,"port 12"],["dc-add",22020,"port 12"]]'
	run emu_state -- apply "$BATS_TEST_TMPDIR/dc.json" --force
	assert_success
	assert_equal "$(dc_sizes "$STATE_OUT")" "[268435456,268435456,201326592,0]"
	# host 0 gave back the top 256 MiB of its 512 MiB extent at 0x500000000
	run jq -c '.ports[] | select(.port_id == 12) | .device.dcd.hosts[0].extents | map([.start_dpa, .length_bytes])' "$STATE_OUT"
	assert_output '[["0x400000000",268435456],["0x500000000",268435456]]'
	cp "$STATE_OUT" "$STATE_IN"
	run emu_state -- apply "$BATS_TEST_TMPDIR/dc.json" --force
	assert_failure 10
}

@test "dynamic capacity: a failed add undoes the release before it: every host holds what it held" {
	echo "$DCW" > "$BATS_TEST_TMPDIR/dc.json"
	before=$(dc_sizes "$STATE_IN")
	run --separate-stderr emu_state --syslog "$LOG" --fail 0x5604:internal-error:1 -- apply "$BATS_TEST_TMPDIR/dc.json" --force
	assert_failure 11
	assert_equal "$(echo "$stderr" | tail -1)" "cxl-switch apply: switch0: step 2/2 (dc-add): Initiate Dynamic Capacity Add (0x5604): Internal Error (0x04); rolled back: the fabric is as it was before the apply"
	assert_equal "$(dc_sizes "$STATE_OUT")" "$before"
	grep -q 'opcode=0x5604 (Initiate Dynamic Capacity Add) args="plan=[0-9a-f]* step=1/2 undo port=12 host=0 region=1 size=268435456" policy=none result=success' "$LOG"
	# a failed release changes nothing at all
	run --separate-stderr emu_state --fail 0x5605:internal-error:1 -- apply "$BATS_TEST_TMPDIR/dc.json" --force
	assert_failure 11
	assert_state_untouched
}

@test "dynamic capacity: sizes the device cannot hold are errors naming the key" {
	bad '{"version":1,"switches":[{"switch":"switch0","dc":[{"port":12,"host":0,"region":1,"size":"100M"}]}]}' \
		"line 1: switch0: switches[0].dc[0]: size: 100 MiB is not a multiple of region 1's block size 256 MiB"
	bad '{"version":1,"switches":[{"switch":"switch0","dc":[{"port":12,"host":5,"region":1,"size":0}]}]}' \
		"line 1: switch0: switches[0].dc[0]: the DCD on port 12 has 2 hosts: there is no host 5"
	bad '{"version":1,"switches":[{"switch":"switch0","dc":[{"port":4,"host":0,"region":0,"size":0}]}]}' \
		"line 1: switch0: switches[0].dc[0]: port 4 holds no dynamic capacity device that answers"
	bad '{"version":1,"switches":[{"switch":"switch0","dc":[{"port":12,"host":0,"region":0,"size":"8G"}]}]}' \
		"line 1: switch0: switches[0].dc[0]: size: 8 GiB is more than region 0's 4 GiB"
	bad '{"version":1,"switches":[{"switch":"switch0","dc":[{"port":12,"host":0,"region":0}]}]}' \
		"line 1: switches[0].dc[0]: missing key 'size'"
}

@test "plan SWITCH finds the file's entry by any name of that switch" {
	run --separate-stderr emu_state -- plan /dev/cxl/switch0 "$WANT" -j
	assert_success
	echo "$output" | jq -e '(.switches | length) == 1 and .switches[0].switch == "switch0" and (.switches[0].steps | length) == 7'
	# the file's path names the switch SWITCH's short name does
	sed 's|"switch": "switch0"|"switch": "/dev/cxl/switch0"|' "$WANT" > "$BATS_TEST_TMPDIR/path.json"
	run --separate-stderr emu_state -- plan switch0 "$BATS_TEST_TMPDIR/path.json" -j
	assert_success
	echo "$output" | jq -e '(.switches | length) == 1 and (.switches[0].steps | length) == 7'
	# one switch twice under two spellings is an error, whichever is asked
	jq '.switches += [.switches[0] | .switch = "/dev/cxl/switch0"]' "$WANT" > "$BATS_TEST_TMPDIR/twice.json"
	run emu_state -- plan /dev/cxl/switch0 "$BATS_TEST_TMPDIR/twice.json"
	assert_failure 2
	assert_output "cxl-switch plan: $BATS_TEST_TMPDIR/twice.json: switches[1].switch: /dev/cxl/switch0 is switch0 again (also switches[0])"
	# another switch is still not this one
	run emu_state -- plan switch1 "$BATS_TEST_TMPDIR/path.json"
	assert_failure 2
	assert_output "cxl-switch plan: $BATS_TEST_TMPDIR/path.json has no entry for switch1"
	assert_state_untouched
}

@test "plan mctp:NET:EID finds the file's entry however the endpoint is written" {
	sed 's|"switch": "switch0"|"switch": "mctp:1:8"|' "$WANT" > "$BATS_TEST_TMPDIR/m.json"
	run --separate-stderr emu --mctp 1:8 -- plan mctp:01:008 "$BATS_TEST_TMPDIR/m.json" -j
	assert_success
	echo "$output" | jq -e '(.switches | length) == 1 and .switches[0].switch == "mctp:1:8" and (.switches[0].steps | length) == 7'
	sed 's|"switch": "switch0"|"switch": "mctp:01:8"|' "$WANT" > "$BATS_TEST_TMPDIR/m.json"
	run --separate-stderr emu --mctp 1:8 -- plan mctp:1:8 "$BATS_TEST_TMPDIR/m.json" -j
	assert_success
	echo "$output" | jq -e '.switches[0].switch == "mctp:1:8"'
	jq '.switches += [.switches[0] | .switch = "mctp:1:8"]' "$BATS_TEST_TMPDIR/m.json" > "$BATS_TEST_TMPDIR/twice.json"
	run emu --mctp 1:8 -- plan mctp:1:8 "$BATS_TEST_TMPDIR/twice.json"
	assert_failure 2
	assert_output "cxl-switch plan: $BATS_TEST_TMPDIR/twice.json: switches[1].switch: mctp:1:8 is mctp:1:8 again (also switches[0])"
}

@test "apply: --mailbox-timeout bounds every request, tunnelled ones too" {
	# Set LD Allocations reaches port 7's MLD through the tunnel: Busy
	# there is retried within the run's deadline (waits of 10, 20, 40 ms
	# fit in 100 ms, the 80 ms one would not), not the library's
	run --separate-stderr emu_state --stats "$BATS_TEST_TMPDIR/s.json" --fail 0x5402:busy -- \
		--mailbox-timeout 0.1 apply "$WANT" --force
	assert_failure 11
	n=$(jq '.opcodes."0x5300>0x5402"' "$BATS_TEST_TMPDIR/s.json")
	[ "$n" -ge 2 ] && [ "$n" -le 4 ] || fail "$n attempts in 100 ms"
	assert_equal "$(echo "$stderr" | tail -1)" "cxl-switch apply: switch0: step 3/7 (ld-shrink): Set LD Allocations (0x5402): Busy (0x06), still after $n attempts; rolled back: the fabric is as it was before the apply"
	assert_state_untouched
	# 0 lifts the deadline: every attempt the retry budget has
	run --separate-stderr emu_state --stats "$BATS_TEST_TMPDIR/s.json" --fail 0x5402:busy -- \
		--mailbox-timeout 0 apply "$WANT" --force
	assert_failure 11
	assert_equal "$(jq '.opcodes."0x5300>0x5402"' "$BATS_TEST_TMPDIR/s.json")" 6
}

# minimum CMD [FILE]: tests/minimum.jq's count for the default topology at
# its own message limit (FILE: the desired-state file, for reread)
minimum() {
	local file=()
	[ -z "${2:-}" ] || file=(--slurpfile file "$2")
	jq -n --slurpfile t "$DEFAULT_TOPO" --argjson limit "$(jq .max_msg_size "$DEFAULT_TOPO")" \
		--arg cmd "$1" --argjson port null --argjson cel 0 "${file[@]}" \
		-f "$TOP/tests/minimum.jq"
}

# The Type 3 devices whose link is up: those a whole read asks Get DCD Info.
# The pools and DCDs a desired-state file names: those apply reads.
FILE_POOLS='[.switches[0].pools[]?.port] | unique | length'
FILE_DCDS='[.switches[0].dc[]?.port] | unique | length'
# The hosts of the DCD on port 12 (the one DCW and DCR name).
DCD12_HOSTS='.ports[] | select(.port_id == 12) | .device.dcd.hosts | length'

@test "apply sends the fewest requests: the plan's read, the steps, their waits, and per step one read of what the file names" {
	local plan reread polls
	# the plan's read asks of the devices what WANT names (roundtrips.bats
	# holds plan to tests/minimum.jq's plan), and so does every read after
	# it, less the facts the plan's read learnt (minimum.jq reread)
	plan=$(minimum plan "$WANT")
	reread=$(minimum reread "$WANT")
	# the unbind and the two binds run in the background: each polled
	# --bg-polls (3) times running and once done
	polls=$((3 * (3 + 1)))
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- apply "$WANT" --force
	assert_success
	assert_state_is "$WANT_STATE"
	# Identify (the switch's serial, for the audit log), the plan's read,
	# seven steps of one request each (none wider than the 240 bytes every
	# device takes, so no device is asked its limit), the waits, and a
	# read-back per step (the first step is checked against the plan's
	# read: one switch, --force, nothing came between)
	assert_equal "$(jq .ioctls "$BATS_TEST_TMPDIR/s.json")" $((1 + plan + 7 + polls + 7 * reread))
	# facts are learnt once, in the plan's read: the switch's identity,
	# a named pool's LD Info; no device is asked whether it is a DCD
	# (WANT gives no dynamic capacity)
	assert_equal "$(jq '.opcodes."0x5100"' "$BATS_TEST_TMPDIR/s.json")" 1
	assert_equal "$(jq '.opcodes."0x5300>0x5400"' "$BATS_TEST_TMPDIR/s.json")" "$(jq "$FILE_POOLS" "$WANT")"
	assert_equal "$(jq '.opcodes."0x5300>0x5600"' "$BATS_TEST_TMPDIR/s.json")" null
	# the rollback: step 6 (the first bind) fails as it is sent
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" --fail 0x5201:internal-error:1 -- apply "$WANT" --force
	assert_failure 11
	assert_state_untouched
	# steps 1-5 (the unbind waited for), the failed bind; its check
	# before the undos; undos of 5..1 (the unbind's is a bind, waited
	# for); a read-back after each of steps 1-5, one before the undos, one
	# after each undo
	assert_equal "$(jq .ioctls "$BATS_TEST_TMPDIR/s.json")" \
		$((1 + plan + 5 + 4 + 1 + 5 + 4 + (5 + 1 + 5) * reread))
	assert_equal "$(jq '.opcodes."0x5300>0x5400"' "$BATS_TEST_TMPDIR/s.json")" "$(jq "$FILE_POOLS" "$WANT")"
}

@test "apply of dynamic capacity: each read after the plan's asks only the DCD's extents and the ports" {
	echo "$DCW" > "$BATS_TEST_TMPDIR/dc.json"
	run emu_state --stats "$BATS_TEST_TMPDIR/s.json" -- apply "$BATS_TEST_TMPDIR/dc.json" --force
	assert_success
	# a release and an add, each one request and waited for through the
	# tunnel (3 polls running, one done), each read back
	assert_equal "$(jq .ioctls "$BATS_TEST_TMPDIR/s.json")" \
		$((1 + $(minimum plan "$BATS_TEST_TMPDIR/dc.json") + 2 + 2 * 4 + 2 * $(minimum reread "$BATS_TEST_TMPDIR/dc.json")))
	# whether it is a DCD, and its regions, are facts of it: asked once
	assert_equal "$(jq '.opcodes."0x5300>0x5600"' "$BATS_TEST_TMPDIR/s.json")" "$(jq "$FILE_DCDS" "$BATS_TEST_TMPDIR/dc.json")"
	assert_equal "$(jq '.opcodes."0x5300>0x5601"' "$BATS_TEST_TMPDIR/s.json")" "$(jq "$FILE_DCDS" "$BATS_TEST_TMPDIR/dc.json")"
}

@test "a pool the file names and no step touches drifts during the apply: the final check still sees it" {
	# WANT, and port 6's LD 1 allocated bandwidth as it already is: no
	# step for it, so only the reads after the plan's can see it change
	jq --argjson bw "$(topo '.ports[] | select(.port_id == 6) | .device.mld.lds[1].qos_allocated_bw')" \
		'.switches[0].pools += [{port: 6, lds: [{ld: 1, qos_allocated_bw: $bw}]}]' "$WANT" > "$BATS_TEST_TMPDIR/w6.json"
	script=$BATS_TEST_TMPDIR/drift.sh
	# while the shrink (step 3) is held up, another client (the probe,
	# which takes no lock) sets that bandwidth to 64/256 through the tunnel
	cat > "$script" <<-EOF
		"$CXLSW" apply "$BATS_TEST_TMPDIR/w6.json" --force > "$BATS_TEST_TMPDIR/a.out" 2>&1 &
		for i in \$(seq 200); do
			grep -q 'step=3/7 .*result=sending' "$LOG" && break
			sleep 0.1
		done
		"$TOP/tests/emulator/probe" -t 6 /dev/cxl/switch0 0x5407 010140 > "$BATS_TEST_TMPDIR/probe.out"
		wait \$!
		echo \$? > "$BATS_TEST_TMPDIR/a.rc"
	EOF
	"$EMU" --topology "$STATE_IN" --save "$STATE_OUT" --syslog "$LOG" --fail 0x5402:delay=1500:1 -- sh "$script"
	grep -q "op=0x5407 len=.* rc=0x00$" "$BATS_TEST_TMPDIR/probe.out"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/a.rc")" 11
	run cat "$BATS_TEST_TMPDIR/a.out"
	assert_line "cxl-switch apply: switch0: step 7/7 (bind): switches[0].pools[2].lds[0]: the bandwidth of LD 1 of port 6 is not as asked; rolled back: the fabric is as it was before the apply"
	# every step undone; the other client's change is the only one left
	assert_state_is '(.ports[] | select(.port_id == 6) | .device.mld.lds[1].qos_allocated_bw) = 64'
}

# reset-hold of port 15, then a release and an add of the DCD on port 12
DCR='{"version":1,"switches":[{"switch":"switch0","ports":[{"port":15,"reset":true}],"dc":[{"port":12,"host":0,"region":1,"size":"256M"},{"port":12,"host":1,"region":0,"size":"192M"}]}]}'

@test "a DCD swapped for a device that is none between two steps: its port state shows it, it is asked again, nothing is released" {
	echo "$DCR" > "$BATS_TEST_TMPDIR/dcr.json"
	# after step 1 (Physical Port Control) port 12's DCD and port 5's MLD
	# (no DCD) change places: port 12 now says Type 3 MLD
	run --separate-stderr emu_state --stats "$BATS_TEST_TMPDIR/s.json" --fail 0x5102:swap=12,5:1 -- \
		apply "$BATS_TEST_TMPDIR/dcr.json" --force -j
	assert_failure 11
	echo "$output" | jq -e '.switches[0].status == "rolled_back"
		and [.switches[0].steps[].status] == ["undone", "failed", "planned"]'
	assert_equal "$(echo "$stderr" | tail -1)" "cxl-switch apply: switch0: step 2/3 (dc-release): the switch changed since the plan: host 0 holds nothing known in region 1 of the DCD on port 12, not 512 MiB; rolled back: the fabric is as it was before the apply"
	# port 12 was asked whether it is a DCD twice: its DCD by the plan's
	# read, the new device once (it is not); extents only the DCD's, and
	# no release or add reached anything
	assert_equal "$(jq '.opcodes."0x5300>0x5600"' "$BATS_TEST_TMPDIR/s.json")" 2
	assert_equal "$(jq '.opcodes."0x5300>0x5603"' "$BATS_TEST_TMPDIR/s.json")" "$(jq "$DCD12_HOSTS" "$DEFAULT_TOPO")"
	run jq -e '.opcodes | keys | map(select(test("0x5604|0x5605"))) == []' "$BATS_TEST_TMPDIR/s.json"
	assert_success
	# port 15 is out of reset again; the DCD (now behind port 5) holds
	# every extent it held
	run jq -e '.ports[] | select(.port_id == 15) | .link_state_flags.perst_asserted == false' "$STATE_OUT"
	assert_success
	assert_equal "$(jq -c '.ports[] | select(.port_id == 5) | .device.dcd' "$STATE_OUT")" \
		"$(jq -c '.ports[] | select(.port_id == 12) | .device.dcd' "$STATE_IN")"
}

@test "a port left empty, then given a device that looks like the DCD it had: the device is asked again, not taken for the DCD" {
	# port 11's SLD has no dynamic capacity but the same port state as
	# port 12's DCD: after the unbind port 12's DCD goes to empty port 14,
	# after the reset-hold port 11's SLD comes to port 12
	# (the identity a port state gives: type, CXL version and modes, link
	# width and speeds, LD count)
	[ "$(jq -c '[.ports[] | select(.port_id == 11 or .port_id == 12)
		| [.config_state, .connected_device_type, .connected_cxl_version, .supported_cxl_versions,
		   .max_link_width, .supported_link_speeds_gts, .supported_ld_count]] | unique | length' "$STATE_IN")" = 1 ]
	jq --argjson d "$DCR" -n '$d | .switches[0].vcss = [{vcs: 0, vppbs: [{vppb: 5, port: null}]}]' > "$BATS_TEST_TMPDIR/dcr.json"
	run --separate-stderr emu_state --stats "$BATS_TEST_TMPDIR/s.json" \
		--fail 0x5202:swap=12,14:1 --fail 0x5102:swap=12,11:1 -- apply "$BATS_TEST_TMPDIR/dcr.json" --force
	assert_failure 11
	assert_equal "$(echo "$stderr" | tail -1)" "cxl-switch apply: switch0: step 3/4 (dc-release): the switch changed since the plan: host 0 holds nothing known in region 1 of the DCD on port 12, not 512 MiB; rolled back: the fabric is as it was before the apply"
	# port 12 asked twice (its DCD by the plan's read, the new device
	# once), extents only the DCD's (the new device is no DCD)
	assert_equal "$(jq '.opcodes."0x5300>0x5600"' "$BATS_TEST_TMPDIR/s.json")" 2
	assert_equal "$(jq '.opcodes."0x5300>0x5603"' "$BATS_TEST_TMPDIR/s.json")" "$(jq "$DCD12_HOSTS" "$DEFAULT_TOPO")"
	assert_equal "$(jq -c '.ports[] | select(.port_id == 14) | .device.dcd' "$STATE_OUT")" \
		"$(jq -c '.ports[] | select(.port_id == 12) | .device.dcd' "$STATE_IN")"
	run jq -e '(.vcss[] | select(.vcs_id == 0) | .vppbs[5].binding_status) == "bound_ld"' "$STATE_OUT"
	assert_success
}

@test "a pooled device swapped for another between two steps: its LD Info is read again, the shrink is not sent" {
	# port 7's MLD (16 LDs) and port 20's (4 LDs) change places after the
	# unbind, before the shrink of port 7's LD 0
	run --separate-stderr emu_state --stats "$BATS_TEST_TMPDIR/s.json" --fail 0x5202:swap=7,20:1 -- apply "$WANT" --force
	assert_failure 11
	assert_equal "$(echo "$stderr" | tail -1)" "cxl-switch apply: switch0: step 3/7 (ld-shrink): the switch changed since the plan: LD 0 of port 7 does not hold the planned allocation; rolled back: the fabric is as it was before the apply"
	assert_equal "$(jq '.opcodes."0x5300>0x5400"' "$BATS_TEST_TMPDIR/s.json")" $(( $(jq "$FILE_POOLS" "$WANT") + 1 ))
	run jq -e '.opcodes."0x5300>0x5402" == null' "$BATS_TEST_TMPDIR/s.json"
	assert_success
}

# The schema's complaints about a file, checked with jq alone (tests/schema.jq).
schema_check() {
	jq -r --slurpfile schema "$TOP/man/cxl-switch-fabric.schema.json" \
		-f "$TOP/tests/schema.jq" "$1"
}

@test "the JSON Schema (checked with jq) takes what export writes on every topology, and every example of the man pages and README" {
	for t in default dcd-small qemu big256; do
		run --separate-stderr emu --topology "$TOPO/$t.json" -- export switch0
		assert_success
		echo "$output" > "$BATS_TEST_TMPDIR/$t.json"
		# the export is not empty: VCSs, and pools or devices where there are
		jq -e '.switches[0].vcss | length > 0' "$BATS_TEST_TMPDIR/$t.json"
		run schema_check "$BATS_TEST_TMPDIR/$t.json"
		assert_success
		assert_output ""
	done
	jq -e '.switches[0] | (.pools | length) > 0 and (.dc | length) > 0 and (.ports | length) > 0' "$BATS_TEST_TMPDIR/default.json"
	# the man page's file format and its example, the README's files
	awk '/^\.Bd -literal/ { inb = 1; buf = ""; next }
	     /^\.Ed/ { if (inb && buf ~ /^\{/) print buf; inb = 0; next }
	     inb { buf = buf $0 "\n" }' "$TOP/man/cxl-switch-apply.1" > "$BATS_TEST_TMPDIR/ex-format.json"
	sed -n '/^\$ cat give.json$/,/^\$ cxl-switch plan/p' "$TOP/man/cxl-switch-apply.1" | sed '1d;$d' \
		> "$BATS_TEST_TMPDIR/ex-give.json"
	grep -o "echo '{[^']*}'" "$TOP/README.md" | sed "s/^echo '//; s/'\$//" |
		awk -v d="$BATS_TEST_TMPDIR" '{ print > (d "/ex-readme" NR ".json") }'
	n=0
	for f in "$BATS_TEST_TMPDIR"/ex-*.json; do
		n=$((n + 1))
		jq -e '.version == 1' "$f"
		run schema_check "$f"
		assert_success
		assert_output ""
		# and the tool reads it the same way
		run emu -- plan switch0 "$f"
		[ "$status" -eq 0 ] || [ "$status" -eq 10 ] || fail "$f: plan exit $status: $output"
	done
	assert_equal "$n" 4
}

@test "the JSON Schema (checked with jq) refuses what the tool refuses, naming the key" {
	jq '.switches[0].ports[0].rest = true
	    | .switches[0].ports[1] = {port: "15", reset: true}
	    | .switches[0].vcss[0].vppbs[0].port = 256
	    | .switches[0].pools[0].lds[0].range1 = -1
	    | .switches[0].pools[1].qos_control.egress_moderate_percent = 101
	    | del(.switches[0].switch) | .version = 2' "$WANT" > "$BATS_TEST_TMPDIR/bad.json"
	run schema_check "$BATS_TEST_TMPDIR/bad.json"
	assert_success
	assert_equal "$(echo "$output" | sort)" "$(sort <<-'EOF'
		version: expected 1, not 2
		switches[0]: missing key 'switch'
		switches[0].vcss[0].vppbs[0].port: 256 matches 0 of the 2 choices, not one
		switches[0].pools[0].lds[0].range1: -1 matches 0 of the 2 choices, not one
		switches[0].pools[1].qos_control.egress_moderate_percent: 101 is above the maximum 100
		switches[0].ports[0].rest: unknown key
		switches[0].ports[1].port: expected integer, not string
	EOF
	)"
	# a schema keyword the checker does not know is an error, not a pass
	jq '.properties.version.format = "x"' "$TOP/man/cxl-switch-fabric.schema.json" > "$BATS_TEST_TMPDIR/s.json"
	run jq -r --slurpfile schema "$BATS_TEST_TMPDIR/s.json" -f "$TOP/tests/schema.jq" "$WANT"
	assert_output "version: the checker does not know the schema keyword(s) format"
}

@test "the JSON Schema's sizes are the sizes the tool reads" {
	for size in 4G 4g 4GiB 4GB 4gb 4Gib 4GIB 4096M 1T 0x100000000 0X1G 4294967296 4294967296B 4294967296b 4K 4KiB \
		    "" G 4.0G 4GG " 4G" 4Gi -4G 0x 4E; do
		jq --arg s "$size" '.switches[0].pools[0].lds[0].range1 = $s' "$WANT" > "$BATS_TEST_TMPDIR/size.json"
		schema=ok
		[ -z "$(schema_check "$BATS_TEST_TMPDIR/size.json")" ] || schema=refused
		run emu_state -- plan switch0 "$BATS_TEST_TMPDIR/size.json"
		tool=ok
		[[ "$output" != *"invalid size"* ]] || tool=refused
		assert_equal "'$size' $schema" "'$size' $tool"
	done
}

@test "a fault at any step of the other kinds: dc-release, ld-grow, dc-add, qos-allocated-bw, reset-release are undone too" {
	# with the seven kinds of WANT, every kind of step fails once
	echo '{"version":1,"switches":[{"switch":"switch0","ports":[{"port":18,"reset":false}],
	       "pools":[{"port":6,"lds":[{"ld":1,"qos_allocated_bw":77}]},{"port":7,"lds":[{"ld":1,"range1":"9G"}]}],
	       "dc":[{"port":12,"host":0,"region":1,"size":"256M"},{"port":12,"host":1,"region":0,"size":"192M"}]}]}' \
		> "$BATS_TEST_TMPDIR/w2.json"
	run --separate-stderr emu_state -- plan switch0 "$BATS_TEST_TMPDIR/w2.json" -j
	assert_equal "$(echo "$output" | jq -c '[.switches[0].steps[].kind]')" \
		'["dc-release","ld-grow","dc-add","qos-allocated-bw","reset-release"]'
	before=$(dc_sizes "$STATE_IN")
	local step=0
	for fault in 0x5605:internal-error:1 0x5402:internal-error:1 0x5604:internal-error:1 \
		     0x5407:internal-error:1 0x5102:internal-error:1; do
		step=$((step + 1))
		run --separate-stderr emu_state --fail "$fault" -- apply "$BATS_TEST_TMPDIR/w2.json" --force -j
		assert_failure 11
		echo "$output" | jq -e --argjson n "$step" '.switches[0].status == "rolled_back"
			and .switches[0].steps[$n - 1].status == "failed"
			and ([.switches[0].steps[:$n - 1][].status] | all(. == "undone"))'
		# every host holds what it held (the extents given back may sit
		# elsewhere in the region); everything else is as it was
		assert_equal "$(dc_sizes "$STATE_OUT")" "$before"
		assert_state_is "(.ports[] | select(.port_id == 12) | .device.dcd.hosts) |= $(jq -c '.ports[] | select(.port_id == 12) | .device.dcd.hosts' "$STATE_OUT")"
	done
}

@test "a step whose answer is lost but which the device ran: the fresh read-back sees it, and it is undone" {
	# Physical Port Control runs (port 15 goes into reset) but its answer
	# never comes: the rollback must read the switch anew, not trust the
	# state it had before the step, to know there is something to undo
	run --separate-stderr emu_state --syslog "$LOG" --fail 0x5102:lost:1 -- apply "$WANT" --force -j
	assert_failure 11
	assert_state_untouched
	echo "$output" | jq -e '.switches[0].status == "rolled_back"
		and ([.switches[0].steps[:2][].status] == ["undone", "undone"])
		and ([.switches[0].steps[2:][].status] | all(. == "planned"))'
	grep -q 'opcode=0x5102 (Physical Port Control) args="plan=[0-9a-f]* step=2/7 undo port=15 op=assert_perst" policy=none result=success$' "$LOG"
}

@test "the JSON Schema's whole numbers are the tool's: 15.0 and 1.5e1 are 15, 15.5 is not a number of a port" {
	for n in 15 15.0 1.5e1 150e-1 15.5 -15 -0.5 300.0 1e30 '"15"'; do
		# written as is (jq would write 15.0 as 15)
		sed "s/\"port\": 15, \"reset\"/\"port\": $n, \"reset\"/" "$WANT" > "$BATS_TEST_TMPDIR/n.json"
		grep -qF "\"port\": $n, \"reset\"" "$BATS_TEST_TMPDIR/n.json"
		schema=ok
		[ -z "$(schema_check "$BATS_TEST_TMPDIR/n.json")" ] || schema=refused
		run emu_state -- plan switch0 "$BATS_TEST_TMPDIR/n.json"
		tool=ok
		[ "$status" -ne 2 ] || tool=refused
		assert_equal "$n $schema" "$n $tool"
	done
	# a whole number written with a fraction is that number
	sed 's/"port": 15, "reset": true/"port": 15.0, "reset": true/' "$WANT" > "$BATS_TEST_TMPDIR/n.json"
	run emu_state -- apply "$BATS_TEST_TMPDIR/n.json" --force
	assert_success
	assert_state_is "$WANT_STATE"
}
