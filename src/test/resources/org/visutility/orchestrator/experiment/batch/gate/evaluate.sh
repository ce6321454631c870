#!/bin/sh
# An evaluator for the gate's tests: prints the metrics its artifact holds, and notes beside the
# artifact what it was given (evaluated-as-<role>.txt).
artifact=""
for a in "$@"; do
  case "$a" in --artifact=*) artifact="${a#--artifact=}" ;; esac
done
file="${artifact#file://}"
{
  echo "args=$*"
  echo "model=$ORCH_EVAL_MODEL"
  echo "version=$ORCH_EVAL_VERSION"
  echo "experiment=$ORCH_EVAL_EXPERIMENT_ID"
  echo "role=$ORCH_EVAL_ROLE"
  echo "dir=$ORCH_EVAL_DIR"
  [ -d "$ORCH_EVAL_DIR" ] && echo "dir_exists=yes"
  echo "secret=${ORCHESTRATOR_DB_PASSWORD:-none}"
} > "$(dirname "$file")/evaluated-as-$ORCH_EVAL_ROLE.txt"
echo "scoring $file"
cat "$file"
