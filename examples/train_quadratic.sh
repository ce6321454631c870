#!/bin/sh
# A trainer for examples/quadratic-tuning.yaml, in POSIX sh + awk, following the trainer protocol:
# hyperparameters arrive as --name=value; each stdout line that is a JSON object is a report; the
# one with "step" are intermediate, the last without "step" is final; exit 0 means success.
set -eu
x=0; y=0; momentum=0.9; epochs=1; optimizer=sgd
for arg in "$@"; do
  case "$arg" in
    --x=*) x="${arg#--x=}" ;;
    --y=*) y="${arg#--y=}" ;;
    --momentum=*) momentum="${arg#--momentum=}" ;;
    --epochs=*) epochs="${arg#--epochs=}" ;;
    --optimizer=*) optimizer="${arg#--optimizer=}" ;;
    *) echo "unknown argument $arg" >&2; exit 2 ;;
  esac
done
echo "trial $ORCH_TRIAL_NUMBER of experiment $ORCH_EXPERIMENT_ID in $ORCH_TRIAL_DIR" >&2

awk -v x="$x" -v y="$y" -v m="$momentum" -v epochs="$epochs" -v opt="$optimizer" -v dir="$ORCH_TRIAL_DIR" 'BEGIN {
  penalty = (opt == "adam") ? 0 : (opt == "rmsprop" ? 0.3 : 0.8)
  loss = (x - 1) ^ 2 + (y + 2) ^ 2 / 4 + (m - 0.9) ^ 2 * 10 + penalty
  # each epoch closes part of the gap to the final loss, as training would
  for (e = 1; e <= epochs; e++) {
    printf "{\"step\": %d, \"loss\": %.6f}\n", e, loss + 2.0 / (e + 1)
  }
  printf "model x=%s y=%s\n", x, y > (dir "/model.txt")
  printf "{\"loss\": %.6f, \"accuracy\": %.6f, \"artifact_uri\": \"file://%s/model.txt\"}\n", loss, 1 / (1 + loss), dir
}'
