# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared by every bats suite: where things are, and how to run the tool
# against the emulated switch.

# bats-support and bats-assert: their function files are sourced directly,
# because the libraries' load.bash (through bats_load_library) was measured
# at ~0.25 s of CPU per test in subshells, more than most tests cost.  A
# layout without src/ falls back to bats_load_library.
load_bats_libs() {
	local lib dir file
	for lib in bats-support bats-assert; do
		dir=
		for dir in ${BATS_LIB_PATH//:/ } /usr/lib/bats ""; do
			[ -d "$dir/$lib/src" ] && break
		done
		if [ -z "$dir" ]; then
			bats_load_library "$lib"
			continue
		fi
		for file in "$dir/$lib/src/"*.bash; do
			source "$file"
		done
	done
}
load_bats_libs

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
CXLSW=${CXLSW:-$TOP/cxl-switch/cxl-switch}
EMU=${EMU:-$TOP/tests/emulator/cxl-switch-emu}
TOPO=$TOP/tests/topologies
DEFAULT_TOPO=$TOPO/default.json
BIG_TOPO=$TOPO/big256.json

# emu [EMU-OPTIONS...] -- cxl-switch ARGS...: the unmodified binary, talking
# to the emulated switch through the real ioctl path.  CXLSW_WRAP (for
# example "valgrind -q --error-exitcode=99") runs the tool under a checker.
emu() {
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		opts+=("$1")
		shift
	done
	shift
	"$EMU" "${opts[@]}" -- $CXLSW_WRAP "$CXLSW" "$@"
}

# The topology files (the emulator's input) keep their own name for the
# port's Connected Device Mode and Supported CXL Modes; the tool's are the
# spec's (r3.2 Table 7-19), the same in list-ports and events.
MODE='map(with_entries(if .key == "connected_cxl_version" then .key = "connected_device_mode"
	elif .key == "supported_cxl_versions" then .key = "supported_cxl_modes" else . end))'

# A topology file's value as the tool's JSON gives it: codes, IDs and
# addresses as numbers (tests/lib/hex.jq), sorted and compact.
ashex() {
	jq -S -c -L "$TOP/tests/lib" 'include "hex"; hexids' "$@"
}

# The topology file's value at a jq path, compact.
topo() {
	jq -c "$1" "${2:-$DEFAULT_TOPO}"
}

# A copy of the default topology to load, and where the state is saved:
# tests compare the saved state with the input (jq, or cmp for "untouched").
setup_state() {
	STATE_IN=$BATS_TEST_TMPDIR/in.json
	STATE_OUT=$BATS_TEST_TMPDIR/out.json
	cp "${1:-$DEFAULT_TOPO}" "$STATE_IN"
}

# emu_state [EMU-OPTIONS...] -- ARGS: run against STATE_IN, save STATE_OUT.
emu_state() {
	emu --topology "$STATE_IN" --save "$STATE_OUT" "$@"
}

# The switch logs what happens to it (a bind, a failed bind, a port
# reset) in its event logs, which are saved too, and a clock that was set
# runs on: the checks below leave out the saved event logs, unless the
# input has some of its own or the jq update names them, and the clock.
# tests/events.bats and timestamp.bats check those themselves.
no_events() {
	if [[ $1 == *event_logs* ]] || jq -e 'has("event_logs")' "$STATE_IN" >/dev/null; then
		echo 'del(.timestamp_ns)'
	else
		echo 'del(.event_logs) | del(.timestamp_ns)'
	fi
}

# The saved state unchanged, byte for byte; or, when the input was not
# written by the emulator or the switch logged something, the same JSON
# but for the event logs and the running clock.
assert_state_untouched() {
	local strip
	cmp -s "$STATE_IN" "$STATE_OUT" && return 0
	strip=$(no_events "")
	[ "$(jq -S -c "$strip" "$STATE_IN")" = "$(jq -S -c "$strip" "$STATE_OUT")" ] &&
		return 0
	fail "the switch's state changed: $(diff <(jq -S . "$STATE_IN") <(jq -S . "$STATE_OUT") | head -20)"
}

# The saved state equals the input except for the given jq update.
assert_state_is() {
	local want got strip
	strip=$(no_events "$1")
	want=$(jq -S -c "$1 | $strip" "$STATE_IN")
	got=$(jq -S -c "$strip" "$STATE_OUT")
	[ "$want" = "$got" ] ||
		fail "state differs from the input with $1: $(diff <(echo "$want" | jq .) <(echo "$got" | jq .) | head -20)"
}

# wait_for FILE TEXT: until FILE holds TEXT (at most 20 s), so that a
# signal goes to a change at a known point, not after a guess at how long the tool
# takes to start: the audit's intent line ("result=sending") is written
# just before the change is sent, a prompt or "waiting for" on the output.
wait_for() {
	for _ in $(seq 200); do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "no '$2' in $1 after 20 s"
}

# zsh_complete [EMU-OPTIONS...] -- LINE: the matches zsh offers for LINE
# (a TAB at its end, typed into zsh in a pseudo-terminal: tests/zsh-
# complete), one a line, sorted; the tool is the one under test and the
# emulator's fake sysfs has the switches.
zsh_complete() {
	PATH="$(dirname "$CXLSW"):$PATH" "$EMU" "${@:1:$#-1}" \
		"$TOP/tests/zsh-complete" "$TOP/completions" "${!#}"
}

# The bash completion, driven as bash drives it, under the emulator
# (whose fake sysfs has the switches): emu_complete_words [EMU-OPTS] -- WORDS
emu_complete_words() {
	local opts=()
	while [ "$1" != "--" ]; do
		opts+=("$1")
		shift
	done
	shift
	"$EMU" "${opts[@]}" -- bash -c '
		source "$1" || exit 99
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_cxl_switch || exit 98
		printf "%s\n" "${COMPREPLY[@]}" | sort
	' complete "$TOP/completions/cxl-switch.bash" "$@"
}
