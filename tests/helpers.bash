# Shared by every bats suite: where things are, and how to run the tool
# against the emulated switch.
bats_load_library bats-support
bats_load_library bats-assert

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

# The topology file's value at a jq path, compact.
topo() {
	jq -c "$1" "${2:-$DEFAULT_TOPO}"
}
