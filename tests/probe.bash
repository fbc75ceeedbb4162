# SPDX-License-Identifier: LGPL-2.1-or-later
# The raw mailbox client (tests/emulator/probe) against the emulated
# switch, for what the tool never sends; loaded by the emulator's suites
# after helpers.bash.  PROBE is the client's path.
PROBE=${PROBE:-$TOP/tests/emulator/probe}

# probe [EMU-OPTIONS...] -- [PROBE-OPTIONS...] OPCODE [HEX]: on switch0,
# against STATE_IN, saved in STATE_OUT
probe() {
	local opts=() popts=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		opts+=("$1")
		shift
	done
	shift
	while [ $# -gt 0 ] && [ "${1#0x}" = "$1" ]; do
		popts+=("$1")
		shift
	done
	"$EMU" --topology "$STATE_IN" --save "$STATE_OUT" "${opts[@]}" -- \
		"$PROBE" "${popts[@]}" /dev/cxl/switch0 "$@"
}

# the ioctl's return code; a tunnel level's fields
rc() { sed -n 's/^rc=\(0x[0-9a-f]*\).*/\1/p' <<<"$output"; }
level() { sed -n "s/^tunnel $1: .*$2=\([0-9a-fx]*\).*/\1/p" <<<"$output"; }
# the answer's bytes after N levels of headers, as one hex string
payload() {
	grep -E '^[0-9a-f]{2}( |$)' <<<"$output" | tr -d ' \n' |
		cut -c$((32 * ${1:-0} + 1))-
}
