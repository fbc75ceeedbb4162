#!/usr/bin/env bats
# SPDX-License-Identifier: LGPL-2.1-or-later
# README's examples are real: every `$ cxl-switch ...` in a fenced block is
# run against the emulated switch (default topology) and must print what
# README shows, stdout and stderr together; `$ echo $?` checks the exit
# status of the example before it.
load helpers

# A comment after an example says how the device misbehaves for it.
emu_options() {
	case $1 in
	*"the device answering Busy"*) echo "--fail 0x5101:busy" ;;
	*"a device without Get VCS Info"*) echo "--fail 0x5200:unsupported" ;;
	esac
}

# Split README's examples into DIR/N.cmd, N.comment and N.want (the
# output README shows), N counting from 1 in README's order.
split_examples() {
	awk -v dir="$1" '
	function flush() { if (n) printf "%s", out > (dir "/" n ".want"); out = "" }
	/^```/ { if (inblock) flush(); inblock = !inblock; first = inblock; cur = 0; next }
	!inblock { next }
	first && !/^\$ / { inblock = 0; next }
	{ first = 0 }
	/^\$ / {
		flush(); n++
		cmd = substr($0, 3); comment = ""
		if (match(cmd, /[ \t]+# /)) {
			comment = substr(cmd, RSTART); cmd = substr(cmd, 1, RSTART - 1)
		}
		print cmd > (dir "/" n ".cmd"); print comment > (dir "/" n ".comment")
		next
	}
	{ out = out $0 "\n" }
	END { print n }
	' "$TOP/README.md"
}

@test "README: every example prints what README shows" {
	local dir=$BATS_TEST_TMPDIR/examples n i cmd got rc last=0
	mkdir "$dir"
	n=$(split_examples "$dir")
	[ "$n" -ge 7 ] || fail "only $n README examples were found"
	PATH="$(dirname "$CXLSW"):$PATH"
	for i in $(seq 1 "$n"); do
		cmd=$(cat "$dir/$i.cmd")
		if [ "$cmd" = 'echo $?' ]; then
			got=$last
		else
			# shellcheck disable=SC2046
			got=$("$EMU" $(emu_options "$(cat "$dir/$i.comment")") -- \
				sh -c "$cmd" 2>&1) && last=0 || last=$?
		fi
		[ "$got" = "$(cat "$dir/$i.want")" ] ||
			fail "README's '\$ $cmd' differs: $(diff "$dir/$i.want" <(echo "$got"))"
	done
}
