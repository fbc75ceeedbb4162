#!/usr/bin/env bats
# Shell completion: the bash function driven as bash would drive it, and
# the zsh one driven as zsh's compsys drives it, in a pseudo-terminal
# (tests/zsh-complete).  zsh is one of make check's packages.

load helpers

BASH_COMP=$TOP/completions/cxl-switch.bash
ZSH_COMP=$TOP/completions/_cxl-switch

# complete WORD...: run the completion function in a fresh bash with
# COMP_WORDS set to the words (the last one being completed) and print
# COMPREPLY one word a line, sorted.  The first word is the binary.
complete_words() {
	bash -c '
		source "$1" || exit 99
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_cxl_switch || exit 98
		printf "%s\n" "${COMPREPLY[@]}" | sort
	' complete "$BASH_COMP" "$@"
}

@test "bash: the completion file is valid and registers cxl-switch" {
	run bash -n "$BASH_COMP"
	assert_success
	run bash -c 'source "$1" && complete -p cxl-switch' _ "$BASH_COMP"
	assert_success
	assert_output "complete -F _cxl_switch cxl-switch"
}

# The commands 'cxl-switch help' lists, sorted as completion offers them.
help_commands() {
	"$CXLSW" help | awk '/^  [a-z]/ { print $1 }' | LC_ALL=C sort
}

@test "bash: 'cxl-switch li' offers the commands that start with li" {
	run complete_words "$CXLSW" li
	assert_success
	assert_output "$(help_commands | grep '^li')"
}

@test "bash: an empty word offers every command of 'cxl-switch help'" {
	run complete_words "$CXLSW" ""
	assert_success
	assert_output "$(help_commands)"
	assert_line list
	assert_line bind
}

@test "bash: the binary is found on PATH when typed without a slash" {
	PATH=$(dirname "$CXLSW"):$PATH run complete_words cxl-switch list-v
	assert_success
	assert_output list-vcs
}

@test "bash: global options before the command" {
	run complete_words "$CXLSW" --
	assert_success
	assert_line --json
	assert_line --pretty
	assert_line --version
	assert_line --help
	refute_line --port
}

@test "bash: --mailbox-timeout takes a value: the command after it is found" {
	run complete_words "$CXLSW" --
	assert_line --mailbox-timeout
	run complete_words "$CXLSW" --mailbox-timeout ""
	assert_success
	assert_output ""
	run complete_words "$CXLSW" --mailbox-timeout 0.5 list-p
	assert_success
	assert_output list-ports
	run complete_words "$CXLSW" --mailbox-timeout 0.5 list-ports --p
	assert_success
	assert_output "$(printf '%s\n' --port --pretty)"
}

@test "bash: 'cxl-switch list-ports --p' offers --port and --pretty" {
	run complete_words "$CXLSW" list-ports --p
	assert_success
	assert_output "$(printf '%s\n' --port --pretty)"
}

@test "bash: 'cxl-switch event-policy --p' offers --port and --pretty" {
	run complete_words "$CXLSW" event-policy --p
	assert_success
	assert_output "$(printf '%s\n' --port --pretty)"
}

@test "bash: every option of list-vcs, and only its own" {
	run complete_words "$CXLSW" list-vcs switch0 --
	assert_success
	assert_line --vcs
	assert_line --json
	refute_line --port
	refute_line --state
}

@test "bash: 'cxl-switch list-ports switch0 --state d' offers the states" {
	run complete_words "$CXLSW" list-ports switch0 --state d
	assert_success
	assert_output "$(printf '%s\n' disabled dsp)"
}

@test "bash: every --state word, and -s, and --state=WORD" {
	run complete_words "$CXLSW" list-ports -s ""
	assert_success
	assert_output "$(printf '%s\n' bind_in_progress disabled dsp fabric_port invalid unbind_in_progress usp)"
	# bash splits --state=u at the "=" into three words.
	run complete_words "$CXLSW" list-ports --state = u
	assert_success
	assert_output "$(printf '%s\n' unbind_in_progress usp)"
}

@test "bash: the words of --type" {
	run complete_words "$CXLSW" list-ports switch0 --type ""
	assert_success
	assert_output "$(printf '%s\n' cxl_type1 cxl_type2_or_hbr_switch cxl_type3_mld cxl_type3_sld none pbr_component pcie)"
	run complete_words "$CXLSW" list-ports -t cxl_type3
	assert_success
	assert_output "$(printf '%s\n' cxl_type3_mld cxl_type3_sld)"
}

@test "bash: every --state and --type word is one the tool accepts" {
	[ "$(complete_words "$CXLSW" list-ports --state "" | wc -l)" -eq 7 ]
	[ "$(complete_words "$CXLSW" list-ports --type "" | wc -l)" -eq 7 ]
	for word in $(complete_words "$CXLSW" list-ports --state ""); do
		run emu -- list-ports switch0 --state "$word" -j
		assert_success
	done
	for word in $(complete_words "$CXLSW" list-ports --type ""); do
		run emu -- list-ports switch0 --type "$word" -j
		assert_success
	done
}

@test "bash: 'cxl-switch help list-' offers commands" {
	run complete_words "$CXLSW" help list-
	assert_success
	assert_output "$(help_commands | grep '^list-')"
	run complete_words "$CXLSW" help list ""
	assert_success
	assert_output ''
}

@test "bash: switch names come from sysfs: two switches" {
	run emu_complete_words --topology default --topology default -- \
		"$CXLSW" identify sw
	assert_success
	assert_output "$(printf '%s\n' switch0 switch1)"
}

@test "bash: switch names come from sysfs: one switch, after options" {
	run emu_complete_words -- "$CXLSW" list-ports --state dsp -j ""
	assert_success
	assert_output switch0
}

@test "bash: no second switch is offered" {
	run emu_complete_words --topology default --topology default -- \
		"$CXLSW" list-vcs switch0 ""
	assert_success
	assert_output ''
}

@test "bash: a device path completes as a file" {
	run emu_complete_words -- "$CXLSW" identify /dev/cxl/sw
	assert_success
	assert_output /dev/cxl/switch0
}

@test "bash: a new command and option need no completion change" {
	# A stand-in tool with a command and an option the script never saw.
	local fake=$BATS_TEST_TMPDIR/bin/cxl-switch
	mkdir -p "${fake%/*}"
	cat >"$fake" <<-'EOF'
	#!/bin/sh
	case "$1 $2" in
	"help ")
		printf 'usage: cxl-switch COMMAND\n\n'
		printf '  %-20s %s\n' frobnicate "does a thing" list "lists"
		printf "\n'cxl-switch help COMMAND' shows a command's manual.\n" ;;
	"frobnicate --help")
		echo "Usage: cxl-switch frobnicate [OPTION...] SWITCH"
		echo "  -w, --widget=N             The widget" ;;
	esac
	EOF
	chmod +x "$fake"
	run complete_words "$fake" f
	assert_success
	assert_output frobnicate
	run complete_words "$fake" frobnicate --w
	assert_success
	assert_output --widget
}

@test "zsh: the completion file is a compdef for cxl-switch" {
	run head -n 1 "$ZSH_COMP"
	assert_output "#compdef cxl-switch"
}

@test "zsh: the completion file parses (zsh -n)" {
	run zsh -n "$ZSH_COMP"
	assert_success
	assert_output ''
}

@test "zsh: the commands, from the tool's own list" {
	run zsh_complete -- "cxl-switch "
	assert_success
	assert_equal "$output" "$("$CXLSW" help | awk '/^  [a-z]/ { print $1 }' | sort)"
	run zsh_complete -- "cxl-switch list-p"
	assert_success
	assert_output list-ports
	run zsh_complete -- "cxl-switch help set-"
	assert_success
	assert_output "$(printf '%s\n' set-lds set-response-limit)"
}

@test "zsh: SWITCH is offered after every command that takes one, --help wrapped or not" {
	# unbind's Usage: line is wrapped, SWITCH on the line below it
	for cmd in list-ports unbind port-control config-read mem-write dc-add fw-activate; do
		run zsh_complete -- "cxl-switch $cmd "
		assert_success
		[ "$output" = switch0 ] || fail "zsh: cxl-switch $cmd: offered '$output', not switch0"
	done
	run zsh_complete --topology default --topology default -- "cxl-switch bind "
	assert_output "$(printf '%s\n' switch0 switch1)"
	# and the options after it
	run zsh_complete -- "cxl-switch unbind switch0 --mo"
	assert_success
	assert_output --mode
}

@test "zsh: option values and the argument after SWITCH, as bash offers them" {
	for line in "unbind switch0 --mode " "events switch0 --log " "config-write switch0 --width " \
		"fw-update switch0 img --activate " "list-ports switch0 --type " "set-response-limit switch0 " \
		"raw switch0 "; do
		run zsh_complete -- "cxl-switch $line"
		assert_success
		# shellcheck disable=SC2086
		want=$(complete_words "$CXLSW" $line "")
		[ -n "$want" ] || fail "bash offers nothing for '$line'"
		[ "$output" = "$want" ] || fail "zsh offers '$output' for '$line', bash '$want'"
	done
}

@test "zsh: a command's options come from its --help" {
	run zsh_complete -- "cxl-switch port-control switch0 --"
	assert_success
	assert_equal "$output" "$("$CXLSW" port-control --help | sed -nE 's/^ +(-[^ -], )?(--[a-z][a-z0-9-]*).*/\2/p' | sort -u)"
	run zsh_complete -- "cxl-switch bg-status switch0 --f"
	assert_success
	assert_output ''
}

@test "bash: SWITCH after a command whose --help wraps its Usage: line" {
	for cmd in unbind port-control config-read mem-write dc-add fw-activate; do
		run emu_complete_words -- "$CXLSW" "$cmd" ""
		assert_success
		[ "$output" = switch0 ] || fail "bash: cxl-switch $cmd: offered '$output', not switch0"
	done
}

@test "bash: the words of unbind --mode, and -m, and --mode=WORD" {
	run complete_words "$CXLSW" unbind switch0 --vcs 0 --vppb 5 --mode ""
	assert_success
	assert_output "$(printf '%s\n' managed surprise wait)"
	run complete_words "$CXLSW" unbind switch0 -m s
	assert_success
	assert_output surprise
	run complete_words "$CXLSW" unbind --mode = m
	assert_success
	assert_output managed
}

@test "bash: every unbind --mode word is one the tool accepts" {
	local words
	words=$(complete_words "$CXLSW" unbind --mode "")
	[ "$(wc -l <<<"$words")" -eq 3 ]
	for word in $words; do
		run emu -- unbind switch0 --vcs 0 --vppb 5 --mode "$word" --dry-run -j
		assert_success
		[ "$(jq -r .request <<<"$output")" != "" ] || fail "no request"
	done
}

@test "bash: the widths of config-read and config-write" {
	run complete_words "$CXLSW" config-read switch0 --port 4 --width ""
	assert_success
	assert_output "$(printf '%s\n' 1 2 4)"
	run complete_words "$CXLSW" config-write switch0 -w ""
	assert_success
	assert_output "$(printf '%s\n' 1 2 4)"
	for width in $(complete_words "$CXLSW" config-read --width ""); do
		run emu -- config-read switch0 --port 4 --offset 0 --width "$width" -j
		assert_success
		[ "$(jq .width <<<"$output")" = "$width" ]
	done
}

@test "bash: --value is config-write's, not config-read's" {
	run complete_words "$CXLSW" config-write --v
	assert_success
	assert_output "$(printf '%s\n' --value --verbose --version)"
	run complete_words "$CXLSW" config-read --v
	assert_success
	assert_output "$(printf '%s\n' --verbose --version)"
}

@test "bash: set-response-limit's BYTES: the powers of two 256 to 1048576" {
	run complete_words "$CXLSW" set-response-limit switch0 ""
	assert_success
	assert_output "$(printf '%s\n' 256 512 1024 2048 4096 8192 16384 32768 65536 131072 262144 524288 1048576 | sort)"
	run complete_words "$CXLSW" set-response-limit --force switch0 -n 10
	assert_success
	assert_output "$(printf '%s\n' 1024 1048576)"
	# Nothing after BYTES.
	run complete_words "$CXLSW" set-response-limit switch0 1024 ""
	assert_success
	assert_output ''
}

@test "bash: every set-response-limit BYTES is one the tool accepts" {
	local words
	words=$(complete_words "$CXLSW" set-response-limit switch0 "")
	[ "$(wc -l <<<"$words")" -eq 13 ]
	for bytes in $words; do
		run emu --msg-limit 1048576 -- set-response-limit switch0 "$bytes" --dry-run -j
		assert_success
	done
}

@test "bash: raw's OPCODE offers the vendor range's first opcode" {
	run complete_words "$CXLSW" raw switch0 ""
	assert_success
	assert_output 0xc000
	run complete_words "$CXLSW" raw --unsafe switch0 --data 01ff 0x
	assert_success
	assert_output 0xc000
	run complete_words "$CXLSW" raw switch0 0xc000 ""
	assert_success
	assert_output ''
	run emu --lockdown none -- raw switch0 0xc000 --unsafe --dry-run -j
	assert_success
}

@test "bash: raw's first argument is still the switch" {
	run emu_complete_words -- "$CXLSW" raw --unsafe ""
	assert_success
	assert_output switch0
}

@test "bash: the options of the new commands come from their --help" {
	run complete_words "$CXLSW" bind switch0 --
	assert_success
	for opt in --vcs --vppb --port --ld --force --dry-run --no-wait --timeout --json; do
		assert_line "$opt"
	done
	run complete_words "$CXLSW" port-control switch0 --
	assert_success
	for opt in --port --assert-perst --deassert-perst --reset --force --dry-run; do
		assert_line "$opt"
	done
	run complete_words "$CXLSW" raw switch0 --
	assert_success
	assert_line --unsafe
	assert_line --data
	run complete_words "$CXLSW" bg-status switch0 --
	assert_success
	assert_line --json
	refute_line --force
}

@test "zsh: the value words are those of the bash completion" {
	run zsh -fc '
		source "$1" >/dev/null 2>&1   # defines the functions, then fails outside compsys
		_cxl-switch_values unbind --mode; print -r -- "$reply"
		_cxl-switch_values config-write --width; print -r -- "$reply"
	' _ "$ZSH_COMP"
	assert_line "wait managed surprise"
	assert_line "1 2 4"
	grep -qF "'2:bytes (a power of two):(256 512 1024 2048 4096 8192 16384 32768 65536 131072 262144 524288 1048576)'" "$ZSH_COMP"
	grep -qF "(0xc000)" "$ZSH_COMP"
}

@test "bash: the words of events --log and fw-update --activate" {
	run complete_words "$CXLSW" events switch0 --log ""
	assert_success
	assert_output "$(printf '%s\n' dcd failure fatal info warning)"
	for w in $output; do
		run emu -- events switch0 --log "$w" -j
		assert_success
	done
	run complete_words "$CXLSW" fw-update switch0 img --activate o
	assert_success
	assert_output online
}

@test "bash: fw-update's IMAGE completes as a file, the options of fw and events" {
	mkdir -p "$BATS_TEST_TMPDIR/d" && touch "$BATS_TEST_TMPDIR/d/image.bin"
	run complete_words "$CXLSW" fw-update switch0 "$BATS_TEST_TMPDIR/d/ima"
	assert_success
	assert_output "$BATS_TEST_TMPDIR/d/image.bin"
	run complete_words "$CXLSW" fw-update switch0 x.bin --
	assert_success
	for opt in --slot --activate --force --dry-run --json; do
		assert_line "$opt"
	done
	run complete_words "$CXLSW" monitor switch0 --
	for opt in --interval --count --duration --json; do
		assert_line "$opt"
	done
	refute_line --force
	run complete_words "$CXLSW" events switch0 --c
	assert_output --clear
}

@test "bash: 'cxl-switch list --' offers --mctp" {
	run complete_words "$CXLSW" list --
	assert_success
	assert_line --mctp
}

@test "bash and zsh: bind's --vppb and --ld offer any; doctor and the tunnelled maintenance options" {
	run complete_words "$CXLSW" bind switch0 --vcs 0 --vppb ""
	assert_success
	assert_output any
	run complete_words "$CXLSW" bind switch0 --ld ""
	assert_output any
	run complete_words "$CXLSW" do
	assert_output doctor
	run complete_words "$CXLSW" doctor switch0 --
	assert_line --json
	assert_line --verbose
	refute_line --force
	for cmd in fw-info fw-update fw-activate events timestamp; do
		run complete_words "$CXLSW" $cmd switch0 --
		assert_line --port
		assert_line --ld
	done
	command -v zsh >/dev/null || skip "zsh is not installed"
	run zsh -fc '
		source "$1" >/dev/null 2>&1
		_cxl-switch_values bind --vppb; print -r -- "$reply"
	' _ "$ZSH_COMP"
	assert_output any
}

@test "bash: plan's SWITCH then FILE, apply's FILE, their options" {
	mkdir -p "$BATS_TEST_TMPDIR/d" && touch "$BATS_TEST_TMPDIR/d/fabric.json"
	run emu_complete_words -- "$CXLSW" plan sw
	assert_success
	assert_output switch0
	run complete_words "$CXLSW" plan switch0 "$BATS_TEST_TMPDIR/d/fab"
	assert_success
	assert_output "$BATS_TEST_TMPDIR/d/fabric.json"
	run complete_words "$CXLSW" apply "$BATS_TEST_TMPDIR/d/fab"
	assert_success
	assert_output "$BATS_TEST_TMPDIR/d/fabric.json"
	# no second file after apply's one
	run complete_words "$CXLSW" apply "$BATS_TEST_TMPDIR/d/fabric.json" "$BATS_TEST_TMPDIR/d/fab"
	assert_output ""
	run complete_words "$CXLSW" apply x.json --
	for opt in --force --dry-run --no-lock-wait --timeout --json; do
		assert_line -- "$opt"
	done
	run emu_complete_words -- "$CXLSW" export sw
	assert_output switch0
}

@test "zsh: plan and apply complete a desired-state file" {
	grep -qF "plan)" "$ZSH_COMP"
	run grep -c "desired-state file:_files" "$ZSH_COMP"
	assert_output 2
}
