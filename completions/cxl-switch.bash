# bash completion for cxl-switch(1)                        -*- shell-script -*-
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Everything that can change with the tool is read from the tool itself when
# completing: the commands from "cxl-switch help", each command's options
# and whether it takes a SWITCH from "cxl-switch COMMAND --help".  A new
# command or option therefore needs no change here.  Switch names come from
# sysfs.  Only the words of enumerations that --help abbreviates, and the
# values of the arguments after SWITCH, are listed below.  Needs bash 4;
# does not need the bash-completion package.

# The binary being completed: the one typed (./cxl-switch/cxl-switch in a
# checkout works too), else cxl-switch on PATH.
_cxl_switch_bin()
{
	local bin=${COMP_WORDS[0]}

	if [[ $bin == "~/"* ]]; then
		bin=$HOME/${bin#"~/"}
	fi
	if [[ $bin == */* ]]; then
		if [[ -x $bin && ! -d $bin ]]; then
			printf '%s\n' "$bin"
			return 0
		fi
	elif type -P -- "$bin" >/dev/null 2>&1; then
		type -P -- "$bin"
		return 0
	fi
	type -P cxl-switch
}

# Command names: the lines "  NAME   SUMMARY" of "cxl-switch help".
_cxl_switch_commands()
{
	local line re='^  ([a-z][a-z0-9-]*) +[^ ]'

	while IFS= read -r line; do
		[[ $line =~ $re ]] && printf '%s\n' "${BASH_REMATCH[1]}"
	done < <("$1" help 2>/dev/null)
}

# Read "BIN [COMMAND] --help" into the caller's variables: _cxsw_longs (the
# --long options), _cxsw_argopt (option -> its long name, for the options
# that take a value, short and long) and _cxsw_usage (the Usage: line).
_cxl_switch_read_help()
{
	local line short long usage=
	local re='^ +(-([^ -]), )?--([a-z][a-z0-9-]*)(=[A-Z])?'

	while IFS= read -r line; do
		if [[ $line == Usage:* ]]; then
			_cxsw_usage=$line
			usage=1
			continue
		elif [[ -n $usage && $line =~ ^\ +[^\ -] ]]; then
			# a long Usage: line is wrapped: SWITCH may be below it
			_cxsw_usage+=" ${line#"${line%%[! ]*}"}"
			continue
		fi
		usage=
		if [[ $line =~ $re ]]; then
			short=${BASH_REMATCH[2]}
			long=--${BASH_REMATCH[3]}
			_cxsw_longs+=("$long")
			if [[ -n ${BASH_REMATCH[4]} ]]; then
				_cxsw_argopt[$long]=$long
				[[ -n $short ]] && _cxsw_argopt[-$short]=$long
			fi
		fi
	done < <("$@" --help 2>/dev/null)
}

# Switch names: the switchN entries of the CXL bus, read now; and for a
# word that may become mctp:NET:EID, the CXL endpoints mctpd knows, from
# "BIN list --names" (which asks mctpd only when it runs).
_cxl_switch_names()
{
	local d name

	for d in /sys/bus/cxl/devices/switch*; do
		name=${d##*/}
		[[ $name =~ ^switch[0-9]+$ ]] && printf '%s\n' "$name"
	done
	if [[ -z $2 || mctp: == "$2"* || $2 == mctp:* ]]; then
		while IFS= read -r name; do
			[[ $name == mctp:* ]] && printf '%s\n' "$name"
		done < <("$1" list --names 2>/dev/null)
	fi
}

# The words an option's value may be, for the enumerations.
_cxl_switch_values()
{
	case $1:$2 in
	list-ports:--state)
		echo disabled bind_in_progress unbind_in_progress dsp usp \
			fabric_port invalid
		;;
	list-ports:--type)
		echo none pcie cxl_type1 cxl_type2_or_hbr_switch \
			cxl_type3_sld cxl_type3_mld pbr_component
		;;
	unbind:--mode)
		echo wait managed surprise
		;;
	config-read:--width | config-write:--width)
		echo 1 2 4
		;;
	dc-add:--policy)
		echo free contiguous prescriptive enable_shared_access
		;;
	dc-release:--policy)
		echo tag_based prescriptive
		;;
	dc-regions:--sanitize-on-release)
		echo yes no
		;;
	qos:--set)		# KEY=VALUE: the QoS control fields
		echo egress_port_congestion_enable= \
			temporary_throughput_reduction_enable= \
			egress_moderate_percent= egress_severe_percent= \
			backpressure_sample_interval= req_cmpl_basis= \
			completion_collection_interval=
		;;
	events:--log)
		echo info warning failure fatal dcd
		;;
	bind:--vppb | bind:--ld)	# a number, or the first free one
		echo any
		;;
	fw-update:--activate | fw-activate:--activate)
		echo online reset
		;;
	event-policy:--set)
		echo info= warning= failure= fatal= dcd=
		;;
	esac
}

# The words the argument after SWITCH may be, for the commands that take one.
_cxl_switch_second()
{
	case $1 in
	set-response-limit)	# BYTES: a power of two, 256 B to 1 MiB
		echo 256 512 1024 2048 4096 8192 16384 32768 65536 131072 \
			262144 524288 1048576
		;;
	raw)			# OPCODE: the vendor range starts at 0xc000
		echo 0xc000
		;;
	timestamp)		# TIME, after --set: now as ISO 8601 UTC
		date -u +%Y-%m-%dT%H:%M:%SZ
		;;
	esac
}

_cxl_switch()
{
	local -a words=()
	local bin cmd= opt= w i n npos=0 skip=0 cut=

	# bash splits mctp:1:8 at the colons (COMP_WORDBREAKS): join it again,
	# and offer only what follows the piece being completed (cut)
	for ((i = 0; i <= COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((${#words[@]})) && [[ ${words[-1]} == mctp* ]] &&
		   [[ $w == : || ${words[-1]} == *: ]]; then
			words[-1]+=$w
		else
			words+=("$w")
		fi
	done
	local cur=${words[-1]}
	local -a before=("${words[@]:1:${#words[@]}-2}")
	[[ $cur != "${COMP_WORDS[COMP_CWORD]}" ]] &&
		cut=${cur%"${COMP_WORDS[COMP_CWORD]}"}
	local -a _cxsw_longs=()
	local -A _cxsw_argopt=()
	local _cxsw_usage=

	COMPREPLY=()
	bin=$(_cxl_switch_bin) || return 0
	[[ -n $bin ]] || return 0

	# The command: the first word that is not a global option (nor the
	# value of --mailbox-timeout, the one that takes a value).
	for ((i = 0; i < ${#before[@]}; i++)); do
		if [[ ${before[i]} == --mailbox-timeout ]]; then
			((i++))
			continue
		fi
		if [[ ${before[i]} != -* ]]; then
			cmd=${before[i]}
			before=("${before[@]:i+1}")
			break
		fi
	done

	if [[ -z $cmd ]]; then
		# a number of seconds: nothing to offer
		((${#before[@]})) &&
			[[ ${before[${#before[@]} - 1]} == --mailbox-timeout ]] &&
			return 0
		if [[ $cur == -* ]]; then
			_cxl_switch_read_help "$bin"
			COMPREPLY=($(compgen -W "${_cxsw_longs[*]}" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_cxl_switch_commands "$bin")" \
				-- "$cur"))
		fi
		return 0
	fi

	if [[ $cmd == help ]]; then
		if ((${#before[@]} == 0)) && [[ $cur != -* ]]; then
			COMPREPLY=($(compgen -W "$(_cxl_switch_commands "$bin")" \
				-- "$cur"))
		fi
		return 0
	fi

	_cxl_switch_read_help "$bin" "$cmd"
	[[ -n $_cxsw_usage ]] || return 0	# not a command of this tool

	# The option whose value is being completed: "--opt VALUE", or
	# "--opt=VALUE", which bash splits at "=" into three words.
	n=${#before[@]}
	if [[ $cur == = ]]; then
		((n)) && opt=${before[n - 1]}
		cur=
	elif ((n >= 2)) && [[ ${before[n - 1]} == = ]]; then
		opt=${before[n - 2]}
	elif ((n)); then
		opt=${before[n - 1]}
		[[ -n ${_cxsw_argopt[$opt]-} ]] || opt=
	fi
	if [[ -n $opt ]]; then
		[[ -n ${_cxsw_argopt[$opt]-} ]] || return 0
		COMPREPLY=($(compgen -W \
			"$(_cxl_switch_values "$cmd" "${_cxsw_argopt[$opt]}")" \
			-- "$cur"))
		return 0
	fi

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "${_cxsw_longs[*]}" -- "$cur"))
		return 0
	fi

	# Positional words already given, leaving out options and values.
	for w in "${before[@]}"; do
		if [[ $w == = ]]; then
			continue	# "--opt = VALUE": VALUE is still skipped
		elif ((skip)); then
			skip=0
		elif [[ $w == -* ]]; then
			[[ -n ${_cxsw_argopt[$w]-} ]] && skip=1
		else
			((npos++))
		fi
	done
	if [[ $_cxsw_usage == *SWITCH* ]] && ((npos == 0)); then
		if [[ $cur == /* ]]; then
			COMPREPLY=($(compgen -f -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_cxl_switch_names "$bin" "$cur")" -- "$cur"))
			[[ -n $cut ]] && COMPREPLY=("${COMPREPLY[@]#"$cut"}")
		fi
	elif [[ $_cxsw_usage == *SWITCH\ IMAGE* ]] && ((npos == 1)); then
		COMPREPLY=($(compgen -f -- "$cur"))	# a firmware image file
	elif [[ $_cxsw_usage == *SWITCH*\ FILE ]] && ((npos == 1)); then
		COMPREPLY=($(compgen -f -- "$cur"))	# plan's desired-state file
	elif [[ $_cxsw_usage == *\ FILE ]] && ((npos == 0)); then
		COMPREPLY=($(compgen -f -- "$cur"))	# apply's desired-state file
	elif [[ $_cxsw_usage == *SWITCH* ]] && ((npos == 1)); then
		COMPREPLY=($(compgen -W "$(_cxl_switch_second "$cmd")" -- "$cur"))
	fi
	return 0
}

complete -F _cxl_switch cxl-switch
