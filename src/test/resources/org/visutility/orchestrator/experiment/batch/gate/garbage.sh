#!/bin/sh
# An evaluator that prints no JSON object: no metrics.
echo "accuracy looks great, trust me"
