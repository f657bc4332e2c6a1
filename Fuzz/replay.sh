#!/usr/bin/env bash
# Replays fuzz findings through the command-line tool, the way a user would meet them, and
# counts how each run ended: clean (exit 1, one line on stderr, nothing left behind), crash
# (killed by a signal), hang (over TIMEOUT seconds), other (any other exit, or more than one
# line, or a leftover file).
#
#   Fuzz/replay.sh RNN_DECOMPOSE MODEL TARGET:FILE...
#
# TARGET is keras (the file is the model of `inspect` and `predict`) or dataset (the file is
# the --inputs of `predict` and the --data of `decompose`, next to MODEL, a good many-to-one
# model). Prints one line per run that did not end cleanly, then the counts.
set -uo pipefail
cli=$1 model=$2
shift 2
TIMEOUT=${TIMEOUT:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
clean=0 crash=0 hang=0 other=0
declare -A signals=()

run() {   # one command; the rest of the arguments are the command line
    local what=$1; shift
    rm -rf "$work/out"; mkdir -p "$work/out"
    { timeout -s KILL "$TIMEOUT" "$@" > /dev/null 2> "$work/err"; } 2> /dev/null
    local rc=$? lines left
    lines=$(wc -l < "$work/err")
    left=$(find "$work/out" -mindepth 1 | wc -l)
    if [ "$rc" -eq 137 ]; then hang=$((hang + 1)); echo "hang  $what"
    elif [ "$rc" -gt 128 ]; then
        crash=$((crash + 1)); local s; s=$(kill -l $((rc - 128)) 2>/dev/null || echo $((rc - 128)))
        signals[$s]=$(( ${signals[$s]:-0} + 1 )); echo "crash $what: SIG$s"
    elif [ "$rc" -eq 1 ] && [ "$lines" -eq 1 ] && [ "$left" -eq 0 ]; then clean=$((clean + 1))
    else other=$((other + 1)); echo "other $what: exit $rc, $lines stderr line(s), $left file(s) left: $(head -c 300 "$work/err" | tr '\n' ' ')"
    fi
}

for arg in "$@"; do
    t=${arg%%:*} f=${arg#*:}
    case $t in
    keras)
        run "inspect $f" "$cli" inspect "$f"
        run "predict $f" "$cli" predict "$f" --inputs "$f" --output "$work/out/p.h5"
        ;;
    dataset)
        run "predict --inputs $f" "$cli" predict "$model" --inputs "$f" --output "$work/out/p.h5"
        run "decompose --data $f" "$cli" decompose "$model" --data "$f" --out "$work/out/modules"
        ;;
    esac
done
sig=""; for s in "${!signals[@]}"; do sig="$sig SIG$s ${signals[$s]}"; done
echo "runs $((clean + crash + hang + other)): clean $clean, crash $crash${sig:+ (${sig# })}, hang $hang, other $other"
