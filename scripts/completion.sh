#!/bin/sh
# Write leadgate's shell completion for bash or zsh on standard output,
# from the command table of the program itself: `leadgate --list-commands`
# prints "COMMAND [SUB]<TAB>--option ..." per command (make completion).
#
# Usage: scripts/completion.sh bash|zsh LEADGATE
set -eu
shell=$1
bin=$2
words=$(mktemp)
trap 'rm -f "$words"' EXIT
"$bin" --list-commands >"$words"

# The case arms: the subcommands of each group, the options of each command.
arms() {
	awk -F '\t' '
	{
		n = split($1, w, " ")
		if (!(w[1] in seen)) { seen[w[1]] = 1; order[++k] = w[1] }
		if (n > 1) subs[w[1]] = subs[w[1]] " " w[2]
		opts[$1] = $2
		cmds[++m] = $1
	}
	END {
		print "_leadgate_subs() {"
		print "\tcase $1 in"
		for (i = 1; i <= k; i++)
			if (order[i] in subs)
				printf "\t%s) echo \"%s\" ;;\n", order[i], substr(subs[order[i]], 2)
		print "\tesac"
		print "}"
		print "_leadgate_opts() {"
		print "\tcase $1 in"
		for (i = 1; i <= m; i++)
			printf "\t\"%s\") echo \"%s --help\" ;;\n", cmds[i], opts[cmds[i]]
		print "\tesac"
		print "}"
		s = ""
		for (i = 1; i <= k; i++) s = s " " order[i]
		printf "_leadgate_commands=\"%s\"\n", substr(s, 2)
	}' "$words"
}

case $shell in
bash)
	cat <<'HEAD'
# bash completion for leadgate(1); generated from its command table by
# scripts/completion.sh (do not edit).
HEAD
	arms
	cat <<'BODY'
_leadgate() {
	local cur prev i cmd="" sub="" nwords=0 subs
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	if [ "$prev" = "-c" ] || [ "$prev" = "--config" ]; then
		COMPREPLY=($(compgen -f -- "$cur"))
		return
	fi
	# The command words before the cursor, past the global options.
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-c|--config) [ -z "$cmd" ] && i=$((i + 1)) ;;
		-*) ;;
		*)	if [ -z "$cmd" ]; then
				cmd=${COMP_WORDS[i]}
			elif [ -z "$sub" ] && [ -n "$(_leadgate_subs "$cmd")" ]; then
				sub=${COMP_WORDS[i]}
			fi ;;
		esac
	done
	if [ -z "$cmd" ]; then
		case $cur in
		-*) COMPREPLY=($(compgen -W "-c --config -v --verbose --help --version" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "$_leadgate_commands" -- "$cur")) ;;
		esac
		return
	fi
	subs=$(_leadgate_subs "$cmd")
	if [ -n "$subs" ] && [ -z "$sub" ]; then
		COMPREPLY=($(compgen -W "$subs" -- "$cur"))
		return
	fi
	case $cur in
	-*) COMPREPLY=($(compgen -W "$(_leadgate_opts "$cmd${sub:+ $sub}")" -- "$cur")) ;;
	*) COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}
complete -F _leadgate leadgate
BODY
	;;
zsh)
	cat <<'HEAD'
#compdef leadgate
# zsh completion for leadgate(1); generated from its command table by
# scripts/completion.sh (do not edit).
HEAD
	arms
	cat <<'BODY'
_leadgate() {
	local i cmd="" sub="" subs
	if [[ ${words[CURRENT-1]} == (-c|--config) ]]; then
		_files
		return
	fi
	for ((i = 2; i < CURRENT; i++)); do
		case ${words[i]} in
		-c|--config) [[ -z $cmd ]] && ((i++)) ;;
		-*) ;;
		*)	if [[ -z $cmd ]]; then
				cmd=${words[i]}
			elif [[ -z $sub && -n $(_leadgate_subs $cmd) ]]; then
				sub=${words[i]}
			fi ;;
		esac
	done
	if [[ -z $cmd ]]; then
		if [[ $PREFIX == -* ]]; then
			compadd -- -c --config -v --verbose --help --version
		else
			compadd -- ${=_leadgate_commands}
		fi
		return
	fi
	subs=$(_leadgate_subs $cmd)
	if [[ -n $subs && -z $sub ]]; then
		compadd -- ${=subs}
		return
	fi
	if [[ $PREFIX == -* ]]; then
		compadd -- ${=$(_leadgate_opts "$cmd${sub:+ $sub}")}
	else
		_files
	fi
}
_leadgate "$@"
BODY
	;;
*)
	echo "usage: scripts/completion.sh bash|zsh LEADGATE" >&2
	exit 64
	;;
esac
