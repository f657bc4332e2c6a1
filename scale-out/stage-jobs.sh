#!/usr/bin/env bash
# Writes a profile's work units as one job file per stage, one shell command per line:
# Only jobs with a unit whose result is not stored yet are listed: made again after a partial
# run, the files hold the rest (a job is one unit, or a batch of units sharing a model, which
# runs those of its units not yet stored).
#   jobs-1-train.txt        chapter 2: train every zoo model the later chapters read
#   jobs-2-experiments.txt  chapters 1, 3-6: decompose, evaluate, reuse, replace (one unit each)
#   jobs-3-merge.txt        every chapter once: read the units' results (`--record`: nothing is
#                           computed; a unit that failed is listed as not yet run), write its report
# Run them in order, e.g. `parallel < jobs-1-train.txt && parallel < jobs-2-experiments.txt &&
# parallel < jobs-3-merge.txt`, or on Slurm with scale-out/slurm-submit.sh. A later stage
# never depends on the order inside an earlier one; a unit that finds a model missing trains it
# itself (the zoo's flock makes two processes wanting one model train it once).
#
# usage: stage-jobs.sh BIN_DIR PROFILE RESULTS_DIR REPORTS_DIR [OUT_DIR]
set -euo pipefail
bin=${1:?BIN_DIR}; profile=${2:?PROFILE}; results=${3:?RESULTS_DIR}; reports=${4:?REPORTS_DIR}; out=${5:-.}
chapters=(01-keras-interop 02-model-zoo 03-rq1-decomposition-cost 04-rq2-reuse 05-rq3-replacement 06-motivating-examples)
mkdir -p "$out"
tmp=$(mktemp -d "$out/.jobs.tmp-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for c in "${chapters[@]}"; do
  case $c in
    02-*) stage=1-train ;;
    *)    stage=2-experiments ;;
  esac
  "$bin/ch$c" --profile "$profile" --results "$results" --list-jobs --missing-only >> "$tmp/jobs-$stage.txt"
  printf '%q --profile %q --results %q --reports %q --record\n' "$bin/ch$c" "$profile" "$results" "$reports" >> "$tmp/jobs-3-merge.txt"
done
# Written whole or not at all: the three files replace any earlier ones only once all are made.
for f in jobs-1-train.txt jobs-2-experiments.txt jobs-3-merge.txt; do
  touch "$tmp/$f"
  mv -f "$tmp/$f" "$out/$f"
  echo "wrote $out/$f ($(wc -l < "$out/$f") jobs)"
done
