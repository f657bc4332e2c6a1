#!/usr/bin/env bash
# The cost of a profile (default the paper's): per chapter and kind of unit, the units planned
# and done, the measured wall seconds per unit and its core-seconds (the mean over the done
# ones, from their result files), and the estimated total on 2 and on N cores. A unit's
# core-seconds are its CPU seconds where the result records them (a unit that ran alone in its
# process); older results have only wall seconds, taken as x 1.1 cores busy — an overestimate
# when they ran beside other units (wall time then counts the wait). A stage's wall time on c
# cores is max(its core-seconds / c, its longest unit). Kinds with no unit done are "not
# measured" and left out of the totals, which then are lower bounds.
#
# usage: cost-table.sh BIN_DIR [PROFILE] [RESULTS_DIR] [N]
set -euo pipefail
bin=${1:?BIN_DIR}; profile=${2:-paper}
results=${3:-$([ "$profile" = paper ] && echo reports/paper/results || echo ".results/$profile")}; n=${4:-16}
chapters=(01-keras-interop 02-model-zoo 03-rq1-decomposition-cost 04-rq2-reuse 05-rq3-replacement 06-motivating-examples)
tsv=$(mktemp)
trap 'rm -f "$tsv"' EXIT
for c in "${chapters[@]}"; do
  "$bin/ch$c" --profile "$profile" --results "$results" --estimate >> "$tsv"
done
awk -F'\t' -v n="$n" -v profile="$profile" '
  function wall(sec, longest, cores) { w = sec / cores; return w > longest ? w : longest }
  function hours(s) { return sprintf("%.2f h", s / 3600) }
  BEGIN {
    print "| chapter | kind | planned | done | wall s per unit | core-s per unit | from | estimated core-s (all planned) |"
    print "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: |"
  }
  {
    stage = ($1 == "02") ? 1 : 2
    planned[stage] += $3; done[stage] += $4
    if ($4 > 0) {
      per = $5 / $4
      if ($7 > 0) { core = $8 / $7; from = sprintf("CPU time of %d", $7) } else { core = per * 1.1; from = "wall x 1.1" }
      est = core * $3
      printf "| %s | %s | %d | %d | %.1f | %.1f | %s | %.0f |\n", $1, $2, $3, $4, per, core, from, est
      total[stage] += est; if ($6 > longest[stage]) longest[stage] = $6
    } else {
      printf "| %s | %s | %d | 0 | not measured | – | – | – |\n", $1, $2, $3
      unmeasured[stage] += $3
    }
  }
  END {
    print ""
    for (s = 1; s <= 2; s++) {
      name = (s == 1) ? "stage 1 (train)" : "stage 2 (experiments)"
      printf "- %s: %d units planned, %d done; %d in kinds not yet measured; estimated %.0f core-seconds, on 2 cores %s, on %d cores %s\n", \
        name, planned[s], done[s], unmeasured[s], total[s], hours(wall(total[s], longest[s], 2)), n, hours(wall(total[s], longest[s], n))
      w2 += wall(total[s], longest[s], 2); wn += wall(total[s], longest[s], n); left += unmeasured[s]
    }
    printf "- %s profile total: on 2 cores %s%s, on %d cores %s%s (stage 3, the merge, takes seconds)\n", \
      profile, (left > 0 ? "at least " : ""), hours(w2), n, (left > 0 ? "at least " : ""), hours(wn)
  }' "$tsv"
