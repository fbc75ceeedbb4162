#!/usr/bin/env bats
# The emulator's device profiles (--profile full|qemu|minimal): which
# commands each answers, its CEL, QEMU's port numbering, tunnels and
# tunnelled devices, and that a profile composes with the other options
# and leaves the saved state alone. Checked with probe (a raw client),
# not the tool; tests/emulator/README.md says where each rule comes from.
bats_require_minimum_version 1.5.0
load helpers
load probe

QEMU_TOPO=$TOPO/qemu.json
CEL_UUID=0da9c0b5bf414b788f7996b1623b3f17

setup_file() {
	[ -x "$PROBE" ] || make -C "$TOP" tests/emulator/probe >&2
}

setup() {
	setup_state
}

# little-endian field of a hex string: OFFSET SIZE
le() {
	local hex=$1 off=$2 size=$3 v=""
	for ((i = size - 1; i >= 0; i--)); do
		v+=${hex:$(((off + i) * 2)):2}
	done
	echo $((16#$v))
}
# the return code of OPCODE [HEX] at tunnel depth N (0: the switch's own)
# under EMU-OPTIONS: rc_of N [EMU-OPTIONS...] -- [PROBE-OPTIONS] OPCODE
rc_of() {
	local depth=$1
	shift
	run probe "$@"
	if [ "$depth" = 0 ]; then
		rc
	else
		level $((depth - 1)) rc
	fi
}
# a CEL (Get Log bytes) as "OPCODE:EFFECTS ..."
cel_list() {
	local hex=$1 out=()
	for ((o = 0; o < ${#hex} / 2; o += 4)); do
		out+=("$(printf '%04x:%04x' "$(le "$hex" $o 2)" "$(le "$hex" $((o + 2)) 2)")")
	done
	echo "${out[*]}"
}
# the whole CEL at tunnel depth N: cel N [EMU-OPTIONS...] -- [-t ...]
cel() {
	local depth=$1 size
	shift
	run probe "$@" 0x0400
	size=$(le "$(payload "$depth")" 24 4)
	run probe "$@" 0x0401 "${CEL_UUID}00000000$(printf '%02x%02x0000' $((size & 255)) $((size >> 8)))"
	cel_list "$(payload "$depth")"
}

# "OPCODE RC" for each OPCODE, at tunnel depth N, in one emulator run:
# rcs N [EMU-OPTIONS...] -- [PROBE-OPTIONS...] -- OPCODE...
rcs() {
	local depth=$1 opts=() popts=() script=""
	shift
	while [ "$1" != "--" ]; do
		opts+=("$1")
		shift
	done
	shift
	while [ "$1" != "--" ]; do
		popts+=("$1")
		shift
	done
	shift
	for op in "$@"; do
		script+="echo '== $op'; $PROBE ${popts[*]} /dev/cxl/switch0 $op; "
	done
	run "$EMU" --topology "$STATE_IN" "${opts[@]}" -- sh -c "$script"
	awk -v d="$depth" '
		/^== / { op = $2; next }
		d == 0 && /^rc=/ { split($1, a, "="); print op, a[2] }
		d > 0 && $1 == "tunnel" && $2 == (d - 1) ":" {
			for (i = 3; i <= NF; i++)
				if ($i ~ /^rc=/) { sub(/^rc=/, "", $i); print op, $i }
		}' <<<"$output"
}

# every OPCODE answers RC at depth N, in one run:
# every_rc RC N [EMU-OPTIONS...] -- [PROBE-OPTIONS...] -- OPCODE...
every_rc() {
	local want=$1 args=("${@:2}") ops=() i
	for ((i = ${#args[@]} - 1; i >= 0; i--)); do
		[ "${args[i]}" = "--" ] && break
		ops=("${args[i]}" "${ops[@]}")
	done
	assert_equal "$(rcs "${args[@]}")" "$(printf "%s $want\n" "${ops[@]}")"
}

@test "profiles: full is the default, the model unchanged, and saves byte for byte" {
	for op in 0x0001 0x0400 0x5100; do
		run probe -- $op
		local plain=$output
		run probe --profile full -- $op
		assert_success
		assert_equal "$output" "$plain"
	done
	assert_equal "$(cel 0 --profile full --)" "$(cel 0 --)"
	run probe --profile full -- 0x5101 020001
	assert_success
	assert_state_untouched
}

@test "profiles: a bad --profile is one line naming the choices, exit 2" {
	run "$EMU" --profile qemu2 -- true
	assert_failure 2
	assert_output "cxl-switch-emu: qemu2: bad --profile, want full, qemu or minimal"
	run "$EMU" --profile -- true
	assert_failure 2
}

@test "profiles: qemu answers QEMU's cxl_cmd_set_sw only, anything else is Unsupported" {
	every_rc 0x03 0 --profile qemu -- -- 0x0003 0x0004 0x0100 0x0101 \
		0x0102 0x0103 0x0200 0x0201 0x0202 0x5103 0x5200 0x5201 0x5202 \
		0x4000 0x5400 0xc000
	every_rc 0x00 0 --profile qemu -- -- 0x0001 0x0002 0x0300 0x0400 \
		0x5100
	# no background command on QEMU's switch: abort is never supported
	assert_equal "$(rc_of 0 --profile qemu -- 0x0005)" 0x20
	assert_equal "$(rc_of 0 -- 0x0005)" 0x00
	assert_equal "$(rc_of 0 --profile qemu -- 0x0301 0000000000000000)" 0x00
	assert_equal "$(rc_of 0 --profile qemu -- 0x5101 0110)" 0x00
	# and the full model has the ones qemu lacks
	assert_equal "$(rc_of 0 -- 0x0003)" 0x00
	assert_equal "$(rc_of 0 -- 0x5200 00010100)" 0x00
}

@test "profiles: qemu's CEL lists exactly QEMU's commands with their effects" {
	local want="0001:0000 0002:0000 0005:0000 0300:0000 0301:0008 0400:0000 0401:0000 5100:0000 5101:0000 5102:0000 5300:0000"
	assert_equal "$(cel 0 --profile qemu --)" "$want"
	assert_equal "$(cel 0 --profile qemu --topology "$QEMU_TOPO" --)" "$want"
	# composes: --cel-omit drops one (it still works), --cel-extra adds one
	assert_equal "$(cel 0 --profile qemu --cel-omit 0x0300 --cel-extra 0x4400:0x40 --)" \
		"0001:0000 0002:0000 0005:0000 0301:0008 0400:0000 0401:0000 4400:0040 5100:0000 5101:0000 5102:0000 5300:0000"
	assert_equal "$(rc_of 0 --profile qemu --cel-omit 0x0300 -- 0x0300)" 0x00
	assert_equal "$(rc_of 0 --profile qemu --cel-extra 0x4400:0x40 -- 0x4400)" 0x03
}

@test "profiles: qemu's Identify: 2^11 bytes, subsystem ids 0, a switch; --msg-limit still wins" {
	for topo in "$DEFAULT_TOPO" "$QEMU_TOPO"; do
		cp "$topo" "$STATE_IN"
		run probe --profile qemu -- 0x0001
		p=$(payload)
		assert_equal "$(rc)" 0x00
		assert_equal "$(le "$p" 16 1)" 11
		assert_equal "$(le "$p" 4 2):$(le "$p" 6 2):$(le "$p" 17 1)" 0:0:0
		assert_equal "$(printf '"0x%04x"' "$(le "$p" 0 2)")" "$(topo .identify.vendor_id "$topo")"
	done
	cp "$BIG_TOPO" "$STATE_IN"
	run probe --profile qemu -- 0x0001
	assert_equal "$(le "$(payload)" 16 1)" 11
	run probe --profile qemu --msg-limit 4096 -- 0x0001
	assert_equal "$(le "$(payload)" 16 1)" 12
}

@test "profiles: qemu's Identify Switch Device: DSPs + 1 ports, the ids' bitmap, one VCS" {
	cp "$QEMU_TOPO" "$STATE_IN"
	run probe --profile qemu -- 0x5100
	p=$(payload)
	assert_equal "$(rc)" 0x00
	# ingress 0, 4 DSPs + the USP, 1 VCS; ports 0 and 0x10-0x13 active
	assert_equal "${p:0:16}" 0000050101000f00
	assert_equal "$(le "$p" 36 1)" 1
	assert_equal "$(le "$p" 68 2):$(le "$p" 70 2):$(le "$p" 72 1)" 5:5:4
	# the default topology: 32 ports of which 4 USPs, 4 VCSs in the file
	cp "$DEFAULT_TOPO" "$STATE_IN"
	run probe --profile qemu -- 0x5100
	p=$(payload)
	assert_equal "$(le "$p" 2 1):$(le "$p" 3 1):$(le "$p" 4 4)" 29:1:4294967295
	run probe -- 0x5100
	assert_equal "$(le "$(payload)" 2 1):$(le "$(payload)" 3 1)" 32:4
}

@test "profiles: qemu's Get Physical Port State fails the whole request on an id that is no port" {
	cp "$QEMU_TOPO" "$STATE_IN"
	run probe --profile qemu -- 0x5101 021001
	assert_equal "$(rc)" 0x02
	assert_equal "$(payload)" ""
	run probe --profile qemu -- 0x5101 020100
	assert_equal "$(rc)" 0x02
	# the port count (5) as ids 0..4 is what a client must not ask
	run probe --profile qemu -- 0x5101 050001020304
	assert_equal "$(rc)" 0x02
	run probe --profile qemu -- 0x5101 050010111213
	assert_equal "$(rc)" 0x00
	assert_equal "$(le "$(payload)" 0 1)" 5
	# a count of 0 is no blocks; no count at all a bad length
	run probe --profile qemu -- 0x5101 00
	assert_equal "$(rc) $(payload)" "0x00 00000000"
	run probe --profile qemu -- 0x5101
	assert_equal "$(rc)" 0x16
	# the full and minimal models answer a block with state 0xF
	for prof in full minimal; do
		run probe --profile $prof -- 0x5101 021001
		assert_equal "$(rc)" 0x00
		assert_equal "$(le "$(payload)" $((4 + 16 + 1)) 1)" 15
	done
}

@test "profiles: qemu's port blocks are QEMU's: L2, Type 3 as MLD with 3 LDs, lane 0" {
	cp "$QEMU_TOPO" "$STATE_IN"
	run probe --profile qemu -- 0x5101 050010111213
	p=$(payload)
	i=0
	for id in 0 16 17 18 19; do
		b=${p:$((8 + i * 32)):32}
		port=".ports[] | select(.port_id == $id)"
		assert_equal "$(le "$b" 0 1)" "$id"
		assert_equal "$(le "$b" 11 1)" 7
		assert_equal "$(le "$b" 12 1)" 0
		assert_equal "$(le "$b" 15 1)" "$(topo "$port.supported_ld_count" "$QEMU_TOPO")"
		i=$((i + 1))
	done
	# 0x10: DSP, 68B-VH, MLD, modes 68B-VH and 256B; the empty 0x13: no device
	assert_equal "${p:40:12}" 100302000506
	assert_equal "${p:136:12}" 130300000006
	# the USP: no device, 68B-VH only
	assert_equal "${p:8:12}" 000400000002
	# the default topology's SLD on port 4 (L0 in the file) reads so too
	cp "$DEFAULT_TOPO" "$STATE_IN"
	run probe --profile qemu -- 0x5101 0104
	b=$(payload)
	assert_equal "$(le "$b" 8 1):$(le "$b" 15 1):$(le "$b" 19 1)" 5:7:3
	run probe -- 0x5101 0104
	b=$(payload)
	assert_equal "$(le "$b" 8 1):$(le "$b" 15 1)" 4:4
}

@test "profiles: qemu's tunnel takes target type 0 only; type 1 is Invalid Input" {
	# port 20 holds a multi-headed MLD: the full model reaches its LD pool
	# through the port's device ({20, type 0} wrapping {0xFF, type 1}, r3.2
	# Table 7-37), and refuses type 1 at the switch as QEMU does
	assert_equal "$(rc_of 2 -- -t 20:0 -t 255:1 0x0001)" 0x00
	assert_equal "$(rc_of 0 -- -t 20:1 0x0001)" 0x02
	run probe --profile qemu -- -t 20:1 0x0001
	assert_equal "$(rc)" 0x02
	assert_equal "$(level 0 rc)" ""
	# type 0 to a port without a device, to the USP, to no port
	for id in 14 0 64; do
		run probe --profile qemu -- -t $id 0x0001
		assert_equal "$id $(rc)" "$id 0x02"
	done
	# QEMU does not look at the link: port 18's device (held in reset)
	run probe --profile qemu -- -t 18 0x0001
	assert_equal "$(rc) $(level 0 rc)" "0x00 0x00"
	run probe -- -t 18 0x0001
	assert_equal "$(rc)" 0x02
	assert_state_untouched
}

@test "profiles: qemu's tunnelled device answers QEMU's FM-owned LD command set" {
	cp "$QEMU_TOPO" "$STATE_IN"
	every_rc 0x00 1 --profile qemu -- -t 16 -- 0x0001 0x0003 0x0300 0x0400
	assert_equal "$(rc_of 1 --profile qemu -- -t 16 0x0004 09)" 0x00
	every_rc 0x03 1 --profile qemu -- -t 16 -- 0x0002 0x0005 0x0100 \
		0x0102 0x0200 0x0301 0x4000 0x5400 0x5401 0x5500 0x5600
	# the DCD on 0x12 adds QEMU's FM DCD commands
	assert_equal "$(rc_of 1 --profile qemu -- -t 18 0x5600)" 0x00
	assert_equal "$(cel 1 --profile qemu -- -t 16)" \
		"0001:0000 0003:0000 0004:0000 0300:0000 0400:0000 0401:0000 5300:0000"
	assert_equal "$(cel 1 --profile qemu -- -t 18)" \
		"0001:0000 0003:0000 0004:0000 0300:0000 0400:0000 0401:0000 5300:0000 5600:0000 5601:0000 5602:1807 5603:0000 5604:1807 5605:1807"
	# an MLD of the default topology too: no 0x4000, no 0x54xx
	cp "$DEFAULT_TOPO" "$STATE_IN"
	assert_equal "$(rc_of 1 --profile qemu -- -t 5 0x5400)" 0x03
	assert_equal "$(rc_of 1 --profile qemu -- -t 5 0x4000)" 0x03
	assert_equal "$(rc_of 1 -- -t 5 0x5400)" 0x00
}

@test "profiles: qemu's device has 512-byte messages and its own tunnel reaches LD 0 only" {
	cp "$QEMU_TOPO" "$STATE_IN"
	run probe --profile qemu -- -t 17 0x0001
	p=$(payload 1)
	assert_equal "$(le "$p" 16 1):$(le "$p" 17 1)" 9:3
	assert_equal "$(printf '"0x%016x"' "$(le "$p" 8 8)")" \
		"$(topo '.ports[] | select(.port_id == 17) | .device.identify.serial' "$QEMU_TOPO")"
	run probe --profile qemu -- -t 17 0x0003
	assert_equal "$(payload 1)" 09
	# LD 0 of any Type 3 device, SLD or not; LD 1 and type 1 are Invalid Input
	run probe --profile qemu -- -t 17 -t 0 0x0001
	assert_equal "$(rc) $(level 0 rc) $(level 1 rc)" "0x00 0x00 0x00"
	assert_equal "$(le "$(payload 2)" 8 8)" "$(le "$p" 8 8)"
	for t in 1 0:1; do
		run probe --profile qemu -- -t 17 -t $t 0x0001
		assert_equal "$t $(level 0 rc)" "$t 0x02"
	done
	assert_equal "$(cel 2 --profile qemu -- -t 17 -t 0)" "0001:0000 0400:0000 0401:0000"
	assert_equal "$(rc_of 2 --profile qemu -- -t 17 -t 0 0x4000)" 0x03
	assert_equal "$(rc_of 2 --profile qemu -- -t 17 -t 0 0x0003)" 0x03
}

@test "profiles: qemu's Physical Port Control checks PERST# as QEMU does, and saves" {
	cp "$QEMU_TOPO" "$STATE_IN"
	# deassert without an assert, then assert twice: Internal Error
	assert_equal "$(rc_of 0 --profile qemu -- 0x5102 1001)" 0x04
	assert_state_untouched
	run "$EMU" --profile qemu --topology "$STATE_IN" --save "$STATE_OUT" -- \
		sh -c "$PROBE /dev/cxl/switch0 0x5102 1000; $PROBE /dev/cxl/switch0 0x5102 1000; $PROBE /dev/cxl/switch0 0x5102 1002"
	assert_equal "$(rc | tr '\n' ' ')" "0x00 0x04 0x04 "
	run jq -c '.ports[] | select(.port_id == 16) | .link_state_flags.perst_asserted' "$STATE_OUT"
	assert_output true
	assert_equal "$(rc_of 0 --profile qemu -- 0x5102 0100)" 0x02
	assert_equal "$(rc_of 0 --profile qemu -- 0x5102 1003)" 0x02
}

@test "profiles: qemu.json saves byte for byte under every profile and loads under full" {
	cp "$QEMU_TOPO" "$STATE_IN"
	for prof in full qemu minimal; do
		run probe --profile $prof -- 0x5100
		assert_equal "$(rc)" 0x00
		cmp "$QEMU_TOPO" "$STATE_OUT"
	done
	# the default topology under qemu: only the devices' message size moves
	cp "$DEFAULT_TOPO" "$STATE_IN"
	run probe --profile qemu -- 0x5100
	diff <(jq 'del(.ports[].device.max_msg_size)' "$DEFAULT_TOPO") \
		<(jq 'del(.ports[].device.max_msg_size)' "$STATE_OUT")
	assert_equal "$(jq '[.ports[].device.max_msg_size | values] | unique' -c "$STATE_OUT")" "[512]"
	assert_equal "$(jq .max_msg_size "$STATE_OUT")" 2048
}

@test "profiles: minimal answers 0x5100 and 0x5101, and 0x5200 only with several VCSs" {
	every_rc 0x03 0 --profile minimal -- -- 0x0001 0x0002 0x0003 0x0004 \
		0x0005 0x0100 0x0200 0x0300 0x0400 0x0401 0x5102 0x5103 0x5201 \
		0x5202 0x5300 0xc000
	assert_equal "$(rc_of 0 --profile minimal -- 0x5100)" 0x00
	assert_equal "$(rc_of 0 --profile minimal -- 0x5101 0104)" 0x00
	# default: 4 VCSs, so Get Virtual CXL Switch Info is there
	assert_equal "$(rc_of 0 --profile minimal -- 0x5200 00080100)" 0x00
	# qemu.json: one VCS, so it is not
	cp "$QEMU_TOPO" "$STATE_IN"
	assert_equal "$(rc_of 0 --profile minimal -- 0x5200 00080100)" 0x03
	# its answers are the full model's: the file's port count
	run probe --profile minimal -- 0x5100
	assert_equal "$(le "$(payload)" 2 1)" 5
	cp "$DEFAULT_TOPO" "$STATE_IN"
	run probe --profile minimal -- 0x5100
	assert_equal "$(le "$(payload)" 2 1)" 32
}

@test "profiles: --fail and --stats work under a profile, on commands it has or not" {
	cp "$QEMU_TOPO" "$STATE_IN"
	assert_equal "$(rc_of 0 --profile qemu --fail 0x5100:busy -- 0x5100)" 0x06
	# a fault replaces the device's answer, even Unsupported
	assert_equal "$(rc_of 0 --profile qemu --fail 0x0003:internal-error -- 0x0003)" 0x04
	assert_equal "$(rc_of 1 --profile qemu --fail 0x0001:busy -- -t 16 0x0001)" 0x06
	run probe --profile minimal --stats "$BATS_TEST_TMPDIR/stats.json" -- 0x0001
	assert_equal "$(rc)" 0x03
	assert_equal "$(jq -c . "$BATS_TEST_TMPDIR/stats.json")" '{"ioctls":1,"opcodes":{"0x0001":1}}'
	run probe --profile qemu --stats "$BATS_TEST_TMPDIR/stats.json" -- -t 16 -t 0 0x0001
	assert_equal "$(jq -c .opcodes "$BATS_TEST_TMPDIR/stats.json")" \
		'{"0x5300":1,"0x5300>0x5300":1,"0x5300>0x5300>0x0001":1}'
}

# what each of the OPCODE:EFFECTS given should answer, with CEL the list
# cel_list printed: "OP listed" (anything but Unsupported) or "OP 0x03"
# cel_expect CEL OPCODE:EFFECTS...
cel_expect() {
	local listed=" $1 " e
	shift
	for e in "$@"; do
		if [[ $listed == *" ${e%%:*}:"* ]]; then
			echo "0x${e%%:*} listed"
		else
			echo "0x${e%%:*} 0x03"
		fi
	done
}

# "OP RC" lines with every listed opcode's RC (not 0x03) as "listed"
listed_rcs() {
	sed 's/ 0x\(0[0-24-9a-f]\|[1-9a-f][0-9a-f]\)$/ listed/'
}

@test "profiles: each CEL lists exactly the commands that do not answer Unsupported" {
	local all ops=()
	# every opcode the full model lists, and some only devices have
	all="$(cel 0 --) 4000:0 5400:0 5401:0 5500:0 5600:0 5601:0 5603:0"
	for e in $all; do
		ops+=("0x${e%%:*}")
	done
	# (minimal has no CEL: its own test above)
	for prof in full qemu; do
		want=$(cel_expect "$(cel 0 --profile $prof --)" $all)
		got=$(rcs 0 --profile $prof -- -- "${ops[@]}" | listed_rcs)
		assert_equal "$prof: $got" "$prof: $want"
	done
	# the tunnelled devices' and an LD's, under qemu
	cp "$QEMU_TOPO" "$STATE_IN"
	for t in "-t 16" "-t 18" "-t 16 -t 0"; do
		depth=$(($(wc -w <<<"$t") / 2))
		want=$(cel_expect "$(cel $depth --profile qemu -- $t)" $all)
		got=$(rcs $depth --profile qemu -- $t -- "${ops[@]}" | listed_rcs)
		assert_equal "$t: $got" "$t: $want"
	done
}
