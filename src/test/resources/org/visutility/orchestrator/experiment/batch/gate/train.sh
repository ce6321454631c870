#!/bin/sh
# A trainer for the gate's tests: its "model" is the metrics an evaluator reads back (MODEL_METRICS, from trainer.env).
printf '%s\n' "$MODEL_METRICS" > "$ORCH_TRIAL_DIR/model.json"
printf '{"loss": 1.0, "artifact_uri": "file://%s/model.json"}\n' "$ORCH_TRIAL_DIR"
