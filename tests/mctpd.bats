#!/usr/bin/env bats
# Discovery (issue 17, item 2): list shows the CXL endpoints that mctpd
# publishes on D-Bus (au.com.codeconstruct.MCTP1), asked through busctl.
# Here a fake busctl on PATH answers GetManagedObjects as mctpd does, and
# a process named mctpd (a copy of sleep) stands for the daemon; the
# endpoints are served by the emulator (--mctp 1:8, --mctp-type3 1:9:4).
load helpers
bats_require_minimum_version 1.5.0

setup() {
	BIN=$BATS_TEST_TMPDIR/bin
	mkdir -p "$BIN"
	BUSCTL_LOG=$BATS_TEST_TMPDIR/busctl.log
	OBJECTS=$BATS_TEST_TMPDIR/objects.json
	# busctl: logs its arguments, prints $OBJECTS, exits with its status
	cat > "$BIN/busctl" <<-EOF
		#!/bin/sh
		echo "\$*" >> "$BUSCTL_LOG"
		cat "$OBJECTS"
		exit \$(cat "$BATS_TEST_TMPDIR/busctl.rc" 2>/dev/null || echo 0)
	EOF
	chmod +x "$BIN/busctl"
	PATH=$BIN:$PATH
	MCTPD_PID=
	# busctl is asked only where a system bus exists: this test's own
	export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$BATS_TEST_TMPDIR/system_bus_socket
	: > "$BATS_TEST_TMPDIR/system_bus_socket"
	# a real mctpd would answer for itself: the fake one needs a quiet bus
	if pgrep -x mctpd >/dev/null 2>&1; then
		skip "an mctpd runs on this machine"
	fi
	# what mctpd publishes: the switch (0x07), a Type 3 device (0x08), a
	# PLDM-only endpoint and our own (control only), and an interface
	objects '
		"/au/com/codeconstruct/mctp1/interfaces/mctpi2c1": {
			"au.com.codeconstruct.MCTP.Interface1": {
				"NetworkId": {"type": "u", "data": 1},
				"Role": {"type": "s", "data": "BusOwner"}}},
		"/au/com/codeconstruct/mctp1/networks/1/endpoints/9": '"$(endpoint 1 9 '0,8')"',
		"/au/com/codeconstruct/mctp1/networks/1/endpoints/8": '"$(endpoint 1 8 '0,7')"',
		"/au/com/codeconstruct/mctp1/networks/1/endpoints/10": '"$(endpoint 1 10 '0,1')"',
		"/au/com/codeconstruct/mctp1/networks/1/endpoints/20": '"$(endpoint 1 20 '0')"''
}

teardown() {
	if [ -n "$MCTPD_PID" ]; then
		kill "$MCTPD_PID" 2>/dev/null || true
		wait "$MCTPD_PID" 2>/dev/null || true
	fi
}

# endpoint NET EID TYPES: one endpoint object as busctl --json=short
# prints it (variants are {"type", "data"})
endpoint() {
	printf '{"xyz.openbmc_project.MCTP.Endpoint": {
		"NetworkId": {"type": "u", "data": %s},
		"EID": {"type": "y", "data": %s},
		"SupportedMessageTypes": {"type": "ay", "data": [%s]}},
		"au.com.codeconstruct.MCTP.Endpoint1": {
		"Connectivity": {"type": "s", "data": "Available"}}}' "$1" "$2" "$3"
}

# objects JSON-MEMBERS: GetManagedObjects' answer, a{oa{sa{sv}}}
objects() {
	printf '{"type": "a{oa{sa{sv}}}", "data": [{%s}]}\n' "$1" > "$OBJECTS"
}

# start an "mctpd": a process whose name (comm) is mctpd
start_mctpd() {
	cp "$(command -v sleep)" "$BIN/mctpd"
	"$BIN/mctpd" 60 >/dev/null 2>&1 3>&- &
	MCTPD_PID=$!
}

@test "mctpd: list shows its CXL endpoints, the switch and the Type 3 device" {
	start_mctpd
	run --separate-stderr emu --mctp 1:8 --mctp-type3 1:9:4 -- -j list
	assert_success
	assert_equal "$stderr" ""
	echo "$output" | jq -e '[.switches[] | [.switch, .component_type]] ==
		[["switch0", "switch"], ["mctp:1:8", "switch"], ["mctp:1:9", "type3"]]'
	echo "$output" | jq -e --argjson s "$(topo .identify.serial)" '.switches[1].serial == $s'
	# busctl was asked once, for mctpd's objects
	run cat "$BUSCTL_LOG"
	assert_output "--json=short --timeout=5 call au.com.codeconstruct.MCTP1 /au/com/codeconstruct/mctp1 org.freedesktop.DBus.ObjectManager GetManagedObjects"
	run emu --mctp 1:8 --mctp-type3 1:9:4 -- list
	assert_success
	assert_line --regexp '^mctp:1:8 +0x1b36 +0x7075 '
	assert_line --regexp '^mctp:1:9 +0x1b36 +0x0d93 .* type3 '
	refute_line --partial 'mctp:1:10'
	refute_line --partial 'mctp:1:20'
}

@test "mctpd: an endpoint given with --mctp too is listed once" {
	start_mctpd
	run emu --mctp 1:8 --mctp-type3 1:9:4 -- -j list --mctp 1:9
	assert_success
	echo "$output" | jq -e '[.switches[].switch] == ["switch0", "mctp:1:9", "mctp:1:8"]'
}

@test "mctpd: without an mctpd process busctl is not run at all" {
	run emu --mctp 1:8 -- -j list
	assert_success
	echo "$output" | jq -e '[.switches[].switch] == ["switch0"]'
	[ ! -e "$BUSCTL_LOG" ] || fail "busctl ran: $(cat "$BUSCTL_LOG")"
	run emu --mctp 1:8 -- -j list --mctp 1:8
	echo "$output" | jq -e '[.switches[].switch] == ["switch0", "mctp:1:8"]'
	[ ! -e "$BUSCTL_LOG" ]
}

@test "mctpd: a process named mctpd without a system bus runs no busctl" {
	# what every other suite sees while this one runs beside it: a
	# stand-in mctpd, but no bus; their list must not fail on busctl
	start_mctpd
	rm "$BATS_TEST_TMPDIR/system_bus_socket"
	echo 1 > "$BATS_TEST_TMPDIR/busctl.rc"
	run emu --mctp 1:8 -- -j list
	assert_success
	echo "$output" | jq -e '[.switches[].switch] == ["switch0"]'
	[ ! -e "$BUSCTL_LOG" ] || fail "busctl ran: $(cat "$BUSCTL_LOG")"
}

@test "mctpd: busctl failing is one line, exit 4, the rest still listed" {
	start_mctpd
	echo 1 > "$BATS_TEST_TMPDIR/busctl.rc"
	run --separate-stderr emu --mctp 1:8 -- list --mctp 1:8
	assert_failure 4
	assert_equal "$stderr" "cxl-switch list: mctpd runs, but its endpoints could not be read: busctl could not ask au.com.codeconstruct.MCTP1"
	assert_line --regexp '^switch0 '
	assert_line --regexp '^mctp:1:8 '
	run --separate-stderr emu --mctp 1:8 -- -j list
	assert_failure 4
	echo "$output" | jq -e '.switches[0].switch == "switch0" and (.switches[1].error.message | test("could not be read"))'
}

@test "mctpd: an answer that is not GetManagedObjects' is refused, not guessed at" {
	start_mctpd
	for bad in 'not json' '{"type": "s", "data": "x"}' '{"data": [1, 2]}'; do
		echo "$bad" > "$OBJECTS"
		run --separate-stderr emu -- list
		assert_failure 4
		assert_equal "$stderr" "cxl-switch list: mctpd runs, but its endpoints could not be read: mctpd's GetManagedObjects answer is not the a{oa{sa{sv}}} it should be"
		assert_line --regexp '^switch0 '
	done
	# endpoints with a property of the wrong type or out of range are left out
	objects '"/a": {"xyz.openbmc_project.MCTP.Endpoint": {
			"NetworkId": {"type": "s", "data": "1"}, "EID": {"type": "y", "data": 8},
			"SupportedMessageTypes": {"type": "ay", "data": [7]}}},
		"/b": '"$(endpoint 1 255 7)"', "/c": '"$(endpoint 1 3 7)"',
		"/d": {"xyz.openbmc_project.MCTP.Endpoint": {"EID": {"type": "y", "data": 8}}}'
	run emu --mctp 1:8 -- -j list
	assert_success
	echo "$output" | jq -e '[.switches[].switch] == ["switch0"]'
}

@test "mctpd: an endpoint that does not answer fails alone, exit 4" {
	start_mctpd
	objects '"/x": '"$(endpoint 1 8 '0,7')"', "/y": '"$(endpoint 2 30 '0,7')"''
	run --separate-stderr emu --mctp 1:8 -- -j list
	assert_failure 4
	echo "$output" | jq -e '.switches[1].switch == "mctp:1:8" and
		(.switches[2].error.message | test("mctp:2:30: .*no route to the endpoint"))'
}

@test "mctpd: a machine without AF_MCTP gets one line, not one per endpoint" {
	start_mctpd
	run --separate-stderr emu --no-af-mctp -- list
	assert_failure 4
	assert_equal "$stderr" "cxl-switch list: mctp:1:8: this kernel has no AF_MCTP sockets (EAFNOSUPPORT): MCTP needs Linux 5.15 or later built with CONFIG_MCTP"
	assert_line --regexp '^switch0 '
}

@test "list --names: the host's switches and mctpd's endpoints, nothing opened" {
	start_mctpd
	run emu --mctp 1:8 --stats "$BATS_TEST_TMPDIR/s.json" -- list --names
	assert_success
	assert_output "$(printf '%s\n' switch0 mctp:1:8 mctp:1:9)"
	assert_equal "$(jq '.ioctls' "$BATS_TEST_TMPDIR/s.json")" 0
	run emu -- -j list --names
	echo "$output" | jq -e '.switches == ["switch0", "mctp:1:8", "mctp:1:9"]'
}

# Hardened BMCs mount /proc with hidepid: a user then sees only their own
# processes and cannot tell whether mctpd (root's) runs, so the bus is
# asked rather than mctpd's endpoints silently left out. Run in a private
# PID and mount namespace, the tool as nobody, mctpd as root.
@test "mctpd: under /proc hidepid, a user who cannot see mctpd still gets its endpoints" {
	command -v setpriv > /dev/null || skip "no setpriv"
	unshare --pid --fork --mount --mount-proc true 2> /dev/null ||
		skip "cannot make PID and mount namespaces here"
	local d
	d=$(mktemp -d /tmp/cxlsw-hidepid.XXXXXX)
	chmod 755 "$d"
	cp "$BIN/busctl" "$OBJECTS" "$d/"
	sed -i "s|$BUSCTL_LOG|$d/busctl.log|; s|$OBJECTS|$d/objects.json|; s|$BATS_TEST_TMPDIR/busctl.rc|$d/busctl.rc|" "$d/busctl"
	cp "$(command -v sleep)" "$d/mctpd"
	: > "$d/bus"
	: > "$d/busctl.log"
	chmod 666 "$d/busctl.log"
	chmod 755 "$d/busctl" "$d/mctpd"
	chmod 644 "$d/objects.json"
	as_nobody() {
		unshare --pid --fork --mount --mount-proc sh -c '
			[ "$1" = hide ] && mount -o remount,hidepid=invisible /proc
			[ "$2" = mctpd ] && { "$3/mctpd" 30 & sleep 0.1; }
			PATH=$3:$PATH DBUS_SYSTEM_BUS_ADDRESS=unix:path=$3/bus \
				setpriv --reuid 65534 --regid 65534 --clear-groups \
				"$4" list --names' sh "$@" "$d" "$CXLSW"
	}
	# hidden and running: asked, and its endpoints listed
	run as_nobody hide mctpd
	assert_success
	assert_output "$(printf '%s\n' mctp:1:8 mctp:1:9)"
	[ -s "$d/busctl.log" ]
	# not hidden and not running: nobody sees that, and asks nothing
	: > "$d/busctl.log"
	run as_nobody show none
	assert_success
	assert_output ""
	[ ! -s "$d/busctl.log" ]
	# not hidden and running: seen, asked
	run as_nobody show mctpd
	assert_output "$(printf '%s\n' mctp:1:8 mctp:1:9)"
	rm -rf "$d"
}

@test "completion: bash offers mctpd's endpoints as mctp: names" {
	start_mctpd
	run emu_complete_words -- "$CXLSW" identify ""
	assert_success
	assert_output "$(printf '%s\n' mctp:1:8 mctp:1:9 switch0)"
	run emu_complete_words -- "$CXLSW" list-ports mctp:1:
	assert_output "$(printf '%s\n' mctp:1:8 mctp:1:9)"
	# a word that cannot become mctp: does not ask
	rm -f "$BUSCTL_LOG"
	run emu_complete_words -- "$CXLSW" identify sw
	assert_output switch0
	[ ! -e "$BUSCTL_LOG" ]
}

@test "completion: zsh offers mctpd's endpoints as mctp: names" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	start_mctpd
	run zsh_complete -- "cxl-switch identify mc"
	assert_success
	assert_output "$(printf '%s\n' mctp:1:8 mctp:1:9)"
	run zsh_complete -- "cxl-switch identify "
	assert_output "$(printf '%s\n' mctp:1:8 mctp:1:9 switch0)"
}

@test "completion: bash completes mctp: names that bash split at the colons" {
	start_mctpd
	# "identify mctp:1:" as bash hands it over: mctp, :, 1, :
	run emu_complete_words -- "$CXLSW" identify mctp : 1 :
	assert_success
	assert_output "$(printf '%s\n' :8 :9)"
	run emu_complete_words -- "$CXLSW" identify mctp : 1 : 9
	assert_output 9
	# the word after a split name is the second argument, not a SWITCH
	run emu_complete_words -- "$CXLSW" set-response-limit mctp : 1 : 8 ""
	assert_line 4096
	assert_output "$(emu_complete_words -- "$CXLSW" set-response-limit switch0 "")"
}
