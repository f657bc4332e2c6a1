#!/usr/bin/env bash
# Submits the three stage files of `make jobs` to Slurm: one job array per stage, each stage
# starting only after the previous one succeeded (--dependency=afterok). Arrays hold at most
# MAX_ARRAY tasks (Slurm's MaxArraySize is often 1001); a task then runs every MAX_ARRAY-th
# line. Extra sbatch options (partition, time, memory) go in SBATCH_OPTIONS.
#
# usage: slurm-submit.sh [JOBS_DIR] [--dry-run]     (--dry-run prints the sbatch commands)
set -euo pipefail
dir=.; dry=
for a in "$@"; do case $a in --dry-run) dry=1 ;; *) dir=$a ;; esac; done
max=${MAX_ARRAY:-1000}
here=$(cd "$(dirname "$0")" && pwd)
prev=
for f in jobs-1-train.txt jobs-2-experiments.txt jobs-3-merge.txt; do
  file="$dir/$f"
  [ -f "$file" ] || { echo "slurm-submit: $file not found (run make jobs first)" >&2; exit 1; }
  n=$(wc -l < "$file")
  [ "$n" -gt 0 ] || continue
  tasks=$(( n < max ? n : max ))
  cmd=(sbatch --parsable --job-name "rnn-${f%.txt}" --array "0-$((tasks - 1))"
       ${prev:+--dependency "afterok:$prev"} ${SBATCH_OPTIONS:-}
       --export "ALL,JOB_FILE=$(cd "$dir" && pwd)/$f,JOB_STRIDE=$tasks" "$here/slurm-unit.sh")
  if [ -n "$dry" ]; then
    echo "${cmd[*]}"; prev="<id of ${f%.txt}>"
  else
    prev=$("${cmd[@]}"); echo "submitted ${f%.txt}: $n jobs as array $prev ($tasks tasks)"
  fi
done
