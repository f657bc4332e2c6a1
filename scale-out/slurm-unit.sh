#!/usr/bin/env bash
# One Slurm array task: runs lines SLURM_ARRAY_TASK_ID, +JOB_STRIDE, … of JOB_FILE (0-based),
# from the folder sbatch was called in; stops at the first failing line.
set -euo pipefail
: "${JOB_FILE:?}" "${JOB_STRIDE:?}" "${SLURM_ARRAY_TASK_ID:?}"
awk -v i="$SLURM_ARRAY_TASK_ID" -v s="$JOB_STRIDE" '(NR - 1) % s == i' "$JOB_FILE" | while IFS= read -r line; do
  bash -c "$line"
done
