#!/usr/bin/env bats
# The transport matrix (issue 17, item 4): every read command and a run of
# change commands, once over the mailbox ioctl (switch0) and once over
# MCTP (mctp:1:8), against the same topology.  The JSON, the exit status,
# the error line, the switch's saved state and the audit lines must be the
# same apart from the switch's name.
#
# Few emulator sessions: the reads run in one session per device profile
# (both transports reach the same model there, which reads do not
# change), the changes in one session per transport; each @test then
# compares its share.
load helpers
bats_require_minimum_version 1.5.0

# The read commands: "COMMAND|ARGS after SWITCH".  A read that fails
# (the last four: a device lacks a log, no such port, not an MLD, not
# multi-headed) must fail the same way.
READS=(
	"identify|"
	"identify|--port 5"
	"identify|--port 5 --ld 2"
	"list-ports|"
	"list-ports|--port 1"
	"list-vcs|"
	"list-vcs|--vcs 1"
	"list-devices|"
	"list-lds|--port 5"
	"list-lds|--port 7"
	"topology|"
	"commands|"
	"events|"
	"event-policy|"
	"event-policy|--port 5"
	"fw-info|"
	"timestamp|"
	"bg-status|"
	"get-response-limit|"
	"config-read|--port 4 --offset 0"
	"mem-read|--port 5 --ld 2 --address 0x10 --length 8"
	"dcd-info|--port 12"
	"dc-regions|--port 12"
	"dc-extents|--port 12"
	"qos|--port 5"
	"mhd-info|--port 20"
	"list-lds|--port 4"
	"list-ports|--port 200"
	"mhd-info|--port 5"
	"commands|--port 5"
)

# The changes, in this order in one session per transport.  Each must
# succeed over the ioctl (checked below), so each changes something.
CHANGES=(
	"unbind|--vcs 0 --vppb 5 --force"
	"bind|--vcs 0 --vppb 6 --port 14 --force"
	"bind|--vcs 0 --vppb 5 --port 5 --ld 3 --force"
	"port-control|--port 4 --reset --force"
	"set-lds|--port 7 1=4G --force"
	"qos|--port 5 --bw-limit 0=50 --force"
	"dc-add|--port 12 --host 1 --region 0 --size 64M --force"
	"dc-regions|--port 12 --region 1 --block-size 256M --force"
	"event-policy|--set info=notify --force"
	"config-write|--port 4 --offset 0x80 --value 1 --force"
	"mem-write|--port 5 --ld 2 --address 0x10 --data 0102030405060708 --force"
	"fw-update|@FW@ --activate online --force"
	"fw-activate|--slot 1 --on-reset --force"
	"dc-release|--port 12 --host 0 --tag 6a2c5e64-3f0e-4d61-9c9e-1b2a0c4d5e02 --force"
	"abort|--force"
	"raw|0xc000 --data 01 --unsafe --force"
	"timestamp|--set 2030-01-01T00:00:00Z --force"
	"events|--clear --force"
	"set-response-limit|1024 --force"
)

# The one change of the run that is refused: the same refusal either way.
REFUSED="raw|0xc000 --data 01 --force"

# run_matrix DIR SWITCH LIST...: a script that runs each "CMD|ARGS" with
# -j on SWITCH, stdout to DIR/N.json, stderr to DIR/N.err, status DIR/N.rc.
write_script() {
	local dir=$1 sw=$2 i=0 entry cmd args
	shift 2
	mkdir -p "$dir"
	for entry in "$@"; do
		cmd=${entry%%|*}
		args=${entry#*|}
		args=${args//@FW@/$BATS_FILE_TMPDIR/fw.bin}
		printf '%s "%s" -j %s %s %s >"%s/%d.json" 2>"%s/%d.err"; echo $? >"%s/%d.rc"\n' \
			"${CXLSW_WRAP:-}" "$CXLSW" "$cmd" "$sw" "$args" "$dir" "$i" "$dir" "$i" "$dir" "$i"
		i=$((i + 1))
	done
}

setup_file() {
	local d=$BATS_FILE_TMPDIR
	"$TOP/tests/fw-image" "$d/fw.bin" 2.0.0 5000
	cp "$DEFAULT_TOPO" "$d/in.json"
	# the reads: one session per device profile, both transports (under
	# a checker, CXLSW_WRAP, the full model only: the check run has the
	# profiles)
	profiles="full qemu minimal"
	[ -z "${CXLSW_WRAP:-}" ] || profiles=full
	for p in $profiles; do
		{
			write_script "$d/read-$p-ioctl" switch0 "${READS[@]}"
			write_script "$d/read-$p-mctp" mctp:1:8 "${READS[@]}"
		} > "$d/reads-$p.sh"
		"$EMU" --topology "$d/in.json" --profile "$p" --mctp 1:8 -- \
			sh "$d/reads-$p.sh"
	done
	# the changes: a session each, from the same state
	for t in ioctl mctp; do
		[ $t = ioctl ] && sw=switch0 || sw=mctp:1:8
		write_script "$d/change-$t" "$sw" "${CHANGES[@]}" "$REFUSED" \
			> "$d/changes-$t.sh"
		"$EMU" --topology "$d/in.json" --save "$d/state-$t.json" \
			--syslog "$d/log-$t" --lockdown none --mctp 1:8 -- \
			sh "$d/changes-$t.sh"
	done
}

# JSON, an error line or an audit line with the switch's name made one:
# switch0 and its /dev path over the ioctl, mctp:1:8 over MCTP.
same_names() {
	sed -E 's#/dev/cxl/switch0|mctp:1:8|switch0#SWITCH#g'
}

# compare DIR-A DIR-B N LABEL: run N's status, JSON and stderr the same.
compare_run() {
	local a=$1 b=$2 n=$3 label=$4 ja jb
	[ "$(cat "$a/$n.rc")" = "$(cat "$b/$n.rc")" ] ||
		fail "$label: exit $(cat "$a/$n.rc") over the ioctl, $(cat "$b/$n.rc") over MCTP"
	ja=$(jq -S . "$a/$n.json" | same_names) || fail "$label: no JSON over the ioctl"
	jb=$(jq -S . "$b/$n.json" | same_names) || fail "$label: no JSON over MCTP"
	[ -n "$ja" ] && [ "$ja" != null ] || fail "$label printed nothing"
	[ "$ja" = "$jb" ] ||
		fail "$label differs: $(diff <(echo "$ja") <(echo "$jb") | head -20)"
	[ "$(same_names < "$a/$n.err")" = "$(same_names < "$b/$n.err")" ] ||
		fail "$label: stderr differs: $(cat "$a/$n.err") / $(cat "$b/$n.err")"
	# the switch is named as itself on each side
	! jq -e '[.. | objects | select(has("switch")) | .switch |
		 select(. != "mctp:1:8" and (startswith("mctp:1:8 ") | not))] |
		 length > 0' "$b/$n.json" >/dev/null ||
		fail "$label: MCTP output names another switch"
}

@test "transports: every read command answers the same over MCTP as over the ioctl" {
	local d=$BATS_FILE_TMPDIR i
	for i in "${!READS[@]}"; do
		compare_run "$d/read-full-ioctl" "$d/read-full-mctp" "$i" "${READS[$i]}"
	done
}

@test "transports: the same over both with QEMU's switch CCI and the spec's minimum" {
	local d=$BATS_FILE_TMPDIR i p ok
	[ -z "${CXLSW_WRAP:-}" ] || skip "under CXLSW_WRAP (a checker) the profiles are left to the check run"
	for p in qemu minimal; do
		ok=0
		for i in "${!READS[@]}"; do
			compare_run "$d/read-$p-ioctl" "$d/read-$p-mctp" "$i" "$p: ${READS[$i]}"
			[ "$(cat "$d/read-$p-mctp/$i.rc")" = 0 ] && ok=$((ok + 1))
		done
		# the profile answers less than the full model, but not nothing
		[ "$ok" -gt 0 ] || fail "$p: no read succeeded"
		[ "$ok" -lt $((${#READS[@]} - 4)) ] || fail "$p: every read succeeded"
	done
}

@test "transports: the reads answer from the topology, the failing ones fail" {
	local d=$BATS_FILE_TMPDIR/read-full-mctp
	# identify: the topology's serial, named mctp:1:8
	jq -e --argjson s "$(topo .identify.serial)" \
		'.serial == $s and .switch == "mctp:1:8"' "$d/0.json"
	# list-ports: every port of the topology
	jq -e --argjson n "$(topo '.ports | length')" '.ports | length == $n' "$d/3.json"
	n=$((${#READS[@]} - 4))
	for ((i = 0; i < n; i++)); do
		[ "$(cat "$d/$i.rc")" = 0 ] || fail "${READS[$i]} failed"
	done
	for ((i = n; i < ${#READS[@]}; i++)); do
		[ "$(cat "$d/$i.rc")" != 0 ] || fail "${READS[$i]} succeeded"
		jq -e '.error.exit_code > 0' "$d/$i.json"
	done
}

@test "transports: every change answers the same over MCTP as over the ioctl" {
	local d=$BATS_FILE_TMPDIR i
	for i in "${!CHANGES[@]}"; do
		assert_equal "$(cat "$d/change-ioctl/$i.rc")" 0
		jq -e '.status == "done" or .status == null' "$d/change-ioctl/$i.json"
		compare_run "$d/change-ioctl" "$d/change-mctp" "$i" "${CHANGES[$i]}"
	done
	compare_run "$d/change-ioctl" "$d/change-mctp" "${#CHANGES[@]}" "$REFUSED"
	[ "$(cat "$d/change-mctp/${#CHANGES[@]}.rc")" = 5 ]
}

@test "transports: the changes leave the same saved state over both" {
	local d=$BATS_FILE_TMPDIR
	[ "$(jq -S -c 'del(.timestamp_ns)' "$d/state-ioctl.json")" = \
	  "$(jq -S -c 'del(.timestamp_ns)' "$d/state-mctp.json")" ] ||
		fail "the state differs: $(diff <(jq -S 'del(.timestamp_ns)' "$d/state-ioctl.json") \
			<(jq -S 'del(.timestamp_ns)' "$d/state-mctp.json") | head -20)"
	# and the changes are in it
	jq -e '.vcss[0].vppbs[6].binding_status == "bound_port" and
	       .vcss[0].vppbs[6].port_id == 14' "$d/state-mctp.json"
	[ "$(jq -S -c 'del(.timestamp_ns)' "$d/in.json")" != \
	  "$(jq -S -c 'del(.timestamp_ns)' "$d/state-mctp.json")" ]
}

@test "transports: the audit lines are the same apart from the name" {
	local d=$BATS_FILE_TMPDIR a b
	a=$(sed -E 's/^cxl-switch\[[0-9]+\]/cxl-switch[PID]/' "$d/log-ioctl" | same_names)
	b=$(sed -E 's/^cxl-switch\[[0-9]+\]/cxl-switch[PID]/' "$d/log-mctp" | same_names)
	# an intent and a result for each change, and the refusal
	assert_equal "$(grep -c 'result=sending' <<< "$b")" "${#CHANGES[@]}"
	assert_equal "$(grep -c 'result=success' <<< "$b")" "${#CHANGES[@]}"
	grep -q 'switch=SWITCH .*command=raw .*result=refused' <<< "$b"
	grep -q 'switch=mctp:1:8 ' "$d/log-mctp"
	grep -q 'switch=switch0 ' "$d/log-ioctl"
	[ "$a" = "$b" ] || fail "audit differs: $(diff <(echo "$a") <(echo "$b") | head -20)"
}

@test "transports: the policy names an endpoint as mctp:NET:EID and applies alike" {
	local p=$BATS_TEST_TMPDIR/policy.conf fixed=/etc/cxl-switch/policy.conf
	setup_state
	# a BMC's policy: changes to the endpoint, none to the host's switch
	printf 'allow all switch=mctp:1:8\n' > "$p"
	run emu_state --policy "$p" --mctp 1:8 -- bind switch0 --vcs 0 --vppb 6 --port 14 --force
	assert_failure 5
	assert_output "cxl-switch bind: refused: no rule of $fixed allows host-visible changes to switch0 on this port"
	assert_state_untouched
	run emu_state --policy "$p" --mctp 1:8 --syslog "$BATS_TEST_TMPDIR/log" -- \
		bind mctp:1:8 --vcs 0 --vppb 6 --port 14 --force
	assert_success
	assert_state_is '.vcss[0].vppbs[6] |= (.binding_status = "bound_port" | .port_id = 14)'
	grep -q "switch=mctp:1:8 .*command=bind .*policy=$fixed result=success" "$BATS_TEST_TMPDIR/log" ||
		fail "audit: $(cat "$BATS_TEST_TMPDIR/log")"
	# a deny line for the endpoint refuses over MCTP, naming the line
	printf 'allow all\ndeny host-visible switch=mctp:1:8\n' > "$p"
	run emu_state --policy "$p" --mctp 1:8 -- unbind mctp:1:8 --vcs 0 --vppb 0 --force
	assert_failure 5
	assert_output "cxl-switch unbind: refused: $fixed:2 denies host-visible changes to mctp:1:8"
}

@test "transports: monitor over MCTP sees a change made over the ioctl as monitor over the ioctl does" {
	local d=$BATS_TEST_TMPDIR
	"$EMU" --mctp 1:8 -- sh -c "
		'$CXLSW' monitor mctp:1:8 -j --interval 0.1 --duration 2 > '$d/m' &
		'$CXLSW' monitor switch0 -j --interval 0.1 --duration 2 > '$d/i' &
		sleep 0.7
		'$CXLSW' unbind switch0 --vcs 0 --vppb 5 --force > /dev/null
		wait"
	jq -e -s 'all(.switch == "mctp:1:8")' "$d/m"
	jq -e -s 'all(.switch == "switch0")' "$d/i"
	# where the vPPB ended (the in-progress steps seen depend on timing)
	last='[.[] | select(.change == "vppb" and .vcs_id == 0 and .vppb_id == 5)] | last | .to'
	assert_equal "$(jq -c -s "$last" "$d/m")" '{"binding_status":"unbound","port_id":null,"ld_id":null}'
	assert_equal "$(jq -c -s "$last" "$d/m")" "$(jq -c -s "$last" "$d/i")"
	# the switch's event record, the same over both
	ev='[.[] | select(.change == "event") | del(.time, .switch)]'
	[ "$(jq -c -s "$ev | length" "$d/m")" -ge 1 ]
	assert_equal "$(jq -c -s "$ev" "$d/m")" "$(jq -c -s "$ev" "$d/i")"
}
