#!/bin/sh
# An evaluator for examples/quadratic-gated.yaml, following the evaluator protocol (docs/tuning.md):
# it gets the version's artifact as --artifact=URI and ORCH_EVAL_* in its environment, and prints
# one JSON object of metrics. The "model" is the x and y the trainer wrote to model.txt; a real
# evaluator would load the model and score it on this week's labelled rows.
set -eu
artifact=""
for arg in "$@"; do
  case "$arg" in
    --artifact=*) artifact="${arg#--artifact=}" ;;
    *) echo "unknown argument $arg" >&2; exit 2 ;;
  esac
done
file="${artifact#file://}"
[ -r "$file" ] || { echo "cannot read the artifact $artifact" >&2; exit 1; }
echo "scoring the $ORCH_EVAL_ROLE version $ORCH_EVAL_VERSION of $ORCH_EVAL_MODEL" >&2
awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
     END {
       loss = (v["x"] - 1) ^ 2 + (v["y"] + 2) ^ 2 / 4
       printf "{\"loss\": %.6f, \"accuracy\": %.6f}\n", loss, 1 / (1 + loss)
     }' "$file"
