#!/usr/bin/env bash
# `make fuzz`: runs each libFuzzer target for SECONDS seconds, one process at a time, and prints
# per target its executions, exec/s and findings (crash/timeout/oom/leak artifacts).
#
#   Fuzz/run.sh BUILD WORK SECONDS SHARED TARGET...
#
# BUILD is the fuzz build's product folder, WORK keeps corpora, artifacts and logs between runs
# (corpus/<target>, artifacts/<target>, logs/<target>.log, summary.tsv). Seeds: Fuzz/seeds/<target>
# (committed), the files the targets write themselves at start-up (KIT_FUZZ_SEEDS), small
# fixtures from SHARED (copied, never committed) and, when `make fuzz` exported it, the
# malformed-input corpus of the CLI tests (WORK/malformed). libFuzzer stops at a finding; the
# target is then restarted for the time left (at most MAX_RESTARTS times), its corpus kept.
set -euo pipefail
build=$1 work=$2 seconds=$3 shared=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
MAX_RESTARTS=${MAX_RESTARTS:-200}

# One line for the finding in a libFuzzer log: kind, where (kit, libhdf5, Foundation, other)
# and the first frame that is neither the sanitizer's, libFuzzer's, the allocator's nor libc's.
# The targets call libhdf5 in-process (the CLI runs it in a crash-guarded worker instead), so
# a finding whose first such frame is in libhdf5 is libhdf5's; each run prints the split.
triage() {
    local log=$1 kind frame where fn
    if grep -q 'libFuzzer: timeout' "$log"; then kind=timeout
    elif grep -q -E 'out-of-memory|malloc\(.*\) exceeds' "$log"; then kind=oom
    elif grep -q 'LeakSanitizer' "$log"; then kind=leak
    else kind=$(sed -n 's/^SUMMARY: [A-Za-z]*: \([a-zA-Z-]*\).*/\1/p' "$log" | head -n 1); kind=${kind:-crash}
    fi
    frame=$(grep -E '^ +#[0-9]+ 0x' "$log" | grep -v -E 'compiler-rt|libFuzzer|fuzzer::|/libc\.so|sysdeps/|libc_start|in _start|in main |__sanitizer|LLVMFuzzerTestOneInput|libstdc\+\+|in operator new|in malloc|in calloc|in realloc' | head -n 1)
    case $frame in
    *libhdf5*) where=libhdf5 ;;
    *Foundation*) where=Foundation ;;
    *"/work/"*|*Sources/*) where=kit ;;
    *) where=other ;;
    esac
    fn=$(echo "$frame" | sed -n 's/.* in \([^ ]*\).*/\1/p')
    [ -n "$fn" ] || fn=$(echo "$frame" | sed -n 's/.*(\([^)]*\)).*/\1/p' | sed 's/ .*//')
    printf '%s\t%s\t%s\n' "$kind" "$where" "${fn:-?}"
}

# Copies the seeds of target $1 into corpus folder $2; prints the folders fuzz-config imports
# model_config texts from.
seed() {
    local t=$1 dir=$2 f
    mkdir -p "$dir"
    cp -n "$here/seeds/$t"/* "$dir"/ 2>/dev/null || true
    case $t in
    keras)
        if [ -d "$shared/fixtures/keras" ]; then
            for f in "$shared"/fixtures/keras/*.h5; do
                case $f in *.reference.h5) ;; *) [ "$(stat -c %s "$f")" -le 65536 ] && cp -n "$f" "$dir"/ ;; esac
            done
        fi
        [ -d "$work/malformed" ] && find "$work/malformed" -name '*.h5' ! -name 'dataset*' -size -65k -exec cp -n {} "$dir"/ \;
        ;;
    dataset)
        if [ -d "$shared/fixtures/keras" ]; then
            for f in "$shared"/fixtures/keras/m2o_simplernn_tanh.reference.h5 "$shared"/fixtures/keras/m2m_lstm_masked.reference.h5; do
                [ -f "$f" ] && cp -n "$f" "$dir"/
            done
        fi
        [ -d "$work/malformed" ] && find "$work/malformed" -name 'dataset*.h5' -size -65k -exec cp -n {} "$dir"/ \;
        ;;
    bleu)
        for f in "$shared"/data/tatoeba/en_train.txt "$shared"/data/tatoeba_estonian/de_et_train.txt; do
            [ -f "$f" ] && head -n 20 "$f" > "$dir/$(basename "$f" .txt)-20-lines.txt"
        done
        [ -d "$work/malformed" ] && find "$work/malformed" -name '*.txt' -exec cp -n {} "$dir"/ \;
        ;;
    esac
    return 0
}

# The folders whose *.h5 models fuzz-config turns into model_config seeds.
imports() {
    local list=""
    for d in "$shared/fixtures/keras" "$shared/models/authors" "$work/malformed"; do [ -d "$d" ] && list="$list${list:+:}$d"; done
    echo "$list"
}

mkdir -p "$work/logs"
summary="$work/summary.tsv"
printf 'target\tseconds\tcpu_seconds\texecutions\texec_per_s\tfindings\tkit_findings\truns\tcorpus_files\n' > "$summary"
for t in "$@"; do
    exe="$build/fuzz-$t" corpus="$work/corpus/$t" art="$work/artifacts/$t" log="$work/logs/$t.log"
    mkdir -p "$art" "$work/quarantine/$t"
    seed "$t" "$corpus"
    : > "$log"; : > "$log.time"
    start=$(date +%s) execs=0 findings=0 runs=0
    since=$( [ -f "$work/findings.tsv" ] && wc -l < "$work/findings.tsv" || echo 0 )
    while [ "$runs" -le "$MAX_RESTARTS" ]; do
        left=$(( seconds - ($(date +%s) - start) ))
        [ "$left" -gt 0 ] || break
        before=$(ls "$art" | wc -l)
        set +e
        KIT_FUZZ_SEEDS="$corpus" KIT_FUZZ_IMPORT="$(imports)" SWIFT_BACKTRACE=enable=no \
            LSAN_OPTIONS="suppressions=$here/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
            /usr/bin/time -f 'cpu %U %S' -a -o "$log.time" \
            "$exe" -max_total_time="$left" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
                   -artifact_prefix="$art/" "$corpus" > "$log.run" 2>&1
        rc=$?
        set -e
        runs=$((runs + 1))
        cat "$log.run" >> "$log"
        n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log.run" | tail -n 1)
        execs=$((execs + ${n:-0}))
        [ "$rc" -eq 0 ] && break
        new=$(( $(ls "$art" | wc -l) - before ))
        findings=$((findings + (new > 0 ? new : 1)))
        # A corpus file that is itself the finding would stop every restart at once.
        for a in $(ls -t "$art" | head -n "$(( new > 0 ? new : 0 ))"); do
            sum=$(sha1sum < "$art/$a" | cut -d' ' -f1)
            for c in "$corpus"/*; do
                [ "$(sha1sum < "$c" | cut -d' ' -f1)" = "$sum" ] && mv "$c" "$work/quarantine/$t/"
            done
        done
        finding=$(triage "$log.run")
        for a in $(ls -t "$art" | head -n "$(( new > 0 ? new : 0 ))"); do printf '%s\t%s\t%s\n' "$t" "$a" "$finding" >> "$work/findings.tsv"; done
        echo "  fuzz-$t: $(echo "$finding" | tr '\t' ' ')"
    done
    rm -f "$log.run"
    wall=$(( $(date +%s) - start ))
    cpu=$(awk '$1 == "cpu" { s += $2 + $3 } END { printf "%.0f", s }' "$log.time")
    rate=$(( wall > 0 ? execs / wall : execs ))
    files=$(ls "$corpus" | wc -l)
    printf 'fuzz-%s: %d s (cpu %s s), %d executions, %d exec/s, %d findings, %d run(s), corpus %d files\n' \
        "$t" "$wall" "$cpu" "$execs" "$rate" "$findings" "$runs" "$files"
    if [ -f "$work/findings.tsv" ]; then
        awk -F'\t' -v t="$t" -v since="$since" 'NR > since && $1 == t { w[$4]++ }
            END { printf "    findings by place: kit %d, libhdf5 %d, Foundation %d, other %d\n", w["kit"], w["libhdf5"], w["Foundation"], w["other"] }' "$work/findings.tsv"
        awk -F'\t' -v t="$t" -v since="$since" 'NR > since && $1 == t { n[$3 " in " $5 " (" $4 ")"]++ }
            END { for (k in n) printf "    %3d x %s\n", n[k], k }' "$work/findings.tsv" | sort -rn
    fi
    kit=$( [ -f "$work/findings.tsv" ] && awk -F'\t' -v t="$t" -v since="$since" 'NR > since && $1 == t && $4 != "libhdf5" { n++ } END { print n + 0 }' "$work/findings.tsv" || echo 0 )
    printf '%s\t%d\t%s\t%d\t%d\t%d\t%d\t%d\t%d\n' "$t" "$wall" "$cpu" "$execs" "$rate" "$findings" "$kit" "$runs" "$files" >> "$summary"
done
echo "summary: $summary; findings: $work/artifacts/<target>/"
