#!/usr/bin/env bash
# Computes one unit of the paper record again and compares its result with the committed one
# (`--verify`): in a fresh temporary zoo, so the models it needs are trained again from the
# data. Prints "identical to the record" or the first differences; exits 1 on any difference.
# A batch id (e.g. chapter 4's `intra-many_to_many-gru4-seed1`) verifies each recorded unit of
# it and needs CHAPTER (the chapter's number); a unit id finds its chapter from its result file.
#
# usage: verify-unit.sh BIN_DIR UNIT [CHAPTER] [RESULTS_DIR]
set -euo pipefail
bin=${1:?BIN_DIR}; unit=${2:?"UNIT (a unit or batch id of the record, e.g. UNIT=train-brown-gru4-096668ecf84f23ae)"}
chapter=${3:-}; results=${4:-reports/paper/results}
if [ -z "$chapter" ]; then
  found=$(cd "$results" && ls -d -- */"$unit.json" 2>/dev/null | head -1 || true)
  [ -n "$found" ] || { echo "verify: no recorded unit '$unit' in $results (a batch id needs CHAPTER=NN)" >&2; exit 1; }
  chapter=${found%%/*}
fi
exe=""
for f in "$bin"/ch"$chapter"-*; do [ -f "$f" ] && [ -x "$f" ] && exe=$f; done
[ -n "$exe" ] || { echo "verify: no chapter $chapter in $bin" >&2; exit 1; }
exec "$exe" --profile paper --results "$results" --unit-workers 1 --verify "$unit"
