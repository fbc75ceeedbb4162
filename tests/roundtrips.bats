#!/usr/bin/env bats
# Round trips at the floor (issue 16): every read-only command sends exactly
# the fewest requests the switch's answers allow, as tests/minimum.jq
# derives them from the topology file and the message limit (from the
# spec's payload sizes, not from the tool's code). The emulator counts
# what arrives (--stats). Counts are exact: no timing here.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	local n
	for n in 32 64 128 256; do
		"$TOPO/gen-fabric.sh" "$n" > "$BATS_FILE_TMPDIR/fabric$n.json"
	done
}

# The size of the switch's Command Effects Log, as Get Supported Logs
# (0x0400) says it, asked with the emulator's own probe: u32 at byte 24.
cel_bytes() {
	local b
	b=$("$EMU" --topology "$1" -- "$TOP/tests/emulator/probe" /dev/cxl/switch0 0x0400 |
		awk 'NR == 3 { print $12 $11 $10 $9 }')
	echo $((16#$b))
}

# minimum TOPOLOGY LIMIT CMD [PORT [FILE]]: FILE, a desired-state file
# (plan, reread)
minimum() {
	local file=()
	[ -z "${5:-}" ] || file=(--slurpfile file "$5")
	jq -n --slurpfile t "$1" --argjson limit "$2" --arg cmd "$3" \
		--argjson port "${4:-null}" --argjson cel "$CEL" "${file[@]}" \
		-f "$TOP/tests/minimum.jq"
}

# sent TOPOLOGY LIMIT ARGS...: the requests one run sends (ioctls, the
# tunnelled ones included once: each is one 0x5300 ioctl)
sent() {
	local topo=$1 limit=$2
	shift 2
	"$EMU" --topology "$topo" --msg-limit "$limit" \
		--stats "$BATS_TEST_TMPDIR/s.json" -- $CXLSW_WRAP "$CXLSW" "$@" -j \
		> "$BATS_TEST_TMPDIR/out.json"
	jq .ioctls "$BATS_TEST_TMPDIR/s.json"
}

# check TOPOLOGY LIMIT: every read-only command at its minimum
check_all() {
	local topo=$1 limit=$2 mld sld dcd bad= got want c
	CEL=$(cel_bytes "$topo")
	mld=$(jq '[.ports[] | select(.device.mld and .ltssm_state == "l0")][0].port_id' "$topo")
	dcd=$(jq '[.ports[] | select(.device.dcd and .ltssm_state == "l0")][0].port_id' "$topo")
	while read -r c; do
		set -- $c
		local port=null
		case "$1" in
		list-lds|qos) port=$mld ;;
		dcd-info) port=$dcd ;;
		esac
		if [ "$1" = plan ]; then
			# a file the switch already matches: its own export
			"$EMU" --topology "$topo" --msg-limit "$limit" -- \
				"$CXLSW" export switch0 > "$BATS_TEST_TMPDIR/now.json"
			got=$(sent "$topo" "$limit" "$@" "$BATS_TEST_TMPDIR/now.json")
		elif [ "$port" != null ]; then
			got=$(sent "$topo" "$limit" "$@" --port "$port")
		else
			got=$(sent "$topo" "$limit" "$@")
		fi
		want=$(minimum "$topo" "$limit" "$1" "$port" \
			"$([ "$1" = plan ] && echo "$BATS_TEST_TMPDIR/now.json")")
		echo "$topo @ $limit: $c: $got requests, minimum $want"
		[ "$got" = "$want" ] || bad+="$c: $got requests, minimum $want; "
	done <<-END
		list
		identify switch0
		list-ports switch0
		list-vcs switch0
		list-devices switch0
		list-lds switch0
		topology switch0
		export switch0
		doctor switch0
		plan switch0
		commands switch0
		events switch0
		dcd-info switch0
		qos switch0
		fw-info switch0
		timestamp switch0
		bg-status switch0
		get-response-limit switch0
		event-policy switch0
	END
	[ -z "$bad" ] || { echo "over (or under) the minimum: $bad"; return 1; }
}

@test "roundtrips: default topology at its own limit and at 256 bytes" {
	check_all "$DEFAULT_TOPO" "$(jq .max_msg_size "$DEFAULT_TOPO")"
	check_all "$DEFAULT_TOPO" 256
}

@test "roundtrips: extents over several pages (dcd-small), 256 and 2048 bytes" {
	check_all "$TOPO/dcd-small.json" 256
	check_all "$TOPO/dcd-small.json" 2048
}

@test "roundtrips: 32- and 64-port fabrics with devices, 256 and 4096 bytes" {
	for n in 32 64; do
		check_all "$BATS_FILE_TMPDIR/fabric$n.json" 256
		check_all "$BATS_FILE_TMPDIR/fabric$n.json" 4096
	done
}

@test "roundtrips: 128- and 256-port fabrics with devices, 256 and 4096 bytes" {
	for n in 128 256; do
		check_all "$BATS_FILE_TMPDIR/fabric$n.json" 256
		check_all "$BATS_FILE_TMPDIR/fabric$n.json" 4096
	done
}

@test "roundtrips: one request more than the minimum is caught" {
	local topo=$BATS_FILE_TMPDIR/fabric32.json
	CEL=$(cel_bytes "$topo")
	# Busy once: the tool asks again, one request over the floor
	"$EMU" --topology "$topo" --msg-limit 256 --fail 0x5101:busy:1 \
		--stats "$BATS_TEST_TMPDIR/s.json" -- "$CXLSW" list-ports switch0 -j > /dev/null
	assert_equal "$(jq .ioctls "$BATS_TEST_TMPDIR/s.json")" \
		"$(( $(minimum "$topo" 256 list-ports) + 1 ))"
}

@test "roundtrips: the minimum follows the file: every port of a 256-port switch at 256 bytes" {
	local topo=$BATS_FILE_TMPDIR/fabric256.json
	CEL=0
	# 256 ports, 15 blocks of 16 bytes in 256: 18 pages, 0x5100 and the limit
	assert_equal "$(minimum "$topo" 256 list-ports)" 20
	# 255 blocks in 4096 (4 + 255 x 16 = 4084): 2 pages
	assert_equal "$(minimum "$topo" 4096 list-ports)" 4
	# 16 VCSs of 64 vPPBs, each 264 bytes split in two: 17 pages of 252
	assert_equal "$(minimum "$topo" 256 list-vcs)" 19
}

# apply_run TOPOLOGY LIMIT FILE [EMU-OPTIONS...]: the requests of an apply
# of FILE (its exit status in $BATS_TEST_TMPDIR/rc)
apply_run() {
	local topo=$1 limit=$2 file=$3 rc=0
	shift 3
	cp "$topo" "$BATS_TEST_TMPDIR/in.json"
	"$EMU" --topology "$BATS_TEST_TMPDIR/in.json" --msg-limit "$limit" \
		--syslog "$BATS_TEST_TMPDIR/log" --stats "$BATS_TEST_TMPDIR/s.json" "$@" -- \
		"$CXLSW" apply "$file" --force > /dev/null 2>&1 || rc=$?
	echo "$rc" > "$BATS_TEST_TMPDIR/rc"
	jq .ioctls "$BATS_TEST_TMPDIR/s.json"
}

# apply_check TOPOLOGY LIMIT: apply of the switch's own export with one
# port (a PCIe device's) held in reset.  The file names every pool, DCD
# and vPPB, so each read after the plan's asks all that tests/minimum.jq's
# reread counts for it.
apply_check() {
	local topo=$1 limit=$2 port plan reread want got
	CEL=$(cel_bytes "$topo")
	port=$(jq '[.ports[] | select(.config_state == "dsp" and .connected_device_type == "pcie")][0].port_id' "$topo")
	"$EMU" --topology "$topo" --msg-limit "$limit" -- "$CXLSW" export switch0 |
		jq --argjson p "$port" '.switches[0].ports |= map(if .port == $p then .reset = true else . end)' \
		> "$BATS_TEST_TMPDIR/want.json"
	jq -e --argjson p "$port" '[.switches[0].ports[] | select(.port == $p and .reset)] | length == 1' \
		"$BATS_TEST_TMPDIR/want.json"
	plan=$(minimum "$topo" "$limit" plan null "$BATS_TEST_TMPDIR/want.json")
	reread=$(minimum "$topo" "$limit" reread null "$BATS_TEST_TMPDIR/want.json")
	# Identify (the serial for the audit log), the plan's read (made
	# under the lock just before: the step's state), the step, its
	# read-back (the final check)
	want=$((1 + plan + 1 + reread))
	got=$(apply_run "$topo" "$limit" "$BATS_TEST_TMPDIR/want.json")
	echo "$topo @ $limit: apply: $got requests, minimum $want"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rc")" 0
	[ "$got" = "$want" ] || return 1
	# the step fails as it is sent: one read, which finds nothing to undo
	got=$(apply_run "$topo" "$limit" "$BATS_TEST_TMPDIR/want.json" --fail 0x5102:internal-error:1)
	echo "$topo @ $limit: apply, rolled back: $got requests, minimum $want"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rc")" 11
	[ "$got" = "$want" ]
}

@test "roundtrips: apply reads after its plan only what its file names (32 and 64 ports, 256 and 4096 bytes)" {
	for n in 32 64; do
		apply_check "$BATS_FILE_TMPDIR/fabric$n.json" 256
		apply_check "$BATS_FILE_TMPDIR/fabric$n.json" 4096
	done
}

@test "roundtrips: apply on the default topology and dcd-small at their own limit and at 256 bytes" {
	for t in "$DEFAULT_TOPO" "$TOPO/dcd-small.json"; do
		apply_check "$t" "$(jq .max_msg_size "$t")"
		apply_check "$t" 256
	done
}

# make bench's floor (tests/bench/floor) is measured against the tool as
# "the same requests and nothing else": the emulator's --trace must record
# every request as sent, and the floor must replay exactly those.
@test "roundtrips: the bench's floor replays exactly the requests the tool sent" {
	local t=$BATS_TEST_TMPDIR c
	for c in "list-ports switch0" "topology switch0" "list-lds switch0 --port 5"; do
		"$EMU" --stats "$t/tool.json" --trace "$t/trace" -- \
			"$CXLSW" $c -j > /dev/null
		"$EMU" --stats "$t/floor.json" -- "$TOP/tests/bench/floor" "$t/trace"
		# same count, same opcodes, same tunnelled commands by path
		assert_equal "$(jq -S . "$t/floor.json")" "$(jq -S . "$t/tool.json")"
		[ "$(jq .ioctls "$t/tool.json")" -gt 1 ]
	done
	# a cut trace is refused, not replayed in part
	head -c 15 "$t/trace" > "$t/cut"
	run -2 "$EMU" -- "$TOP/tests/bench/floor" "$t/cut"
}
